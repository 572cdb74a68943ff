// The scenario format's sections, written once. Three readers include this file, each with its
// own `scenario_format!`: `engine/scenario.rs` makes the structs a scenario file is read into
// (and the keys its validator allows), `builtin.rs` the static tables the shipped scenes are
// compiled into, and `build.rs` the field kinds its generator writes. Each field is
// `name: (kind) "toml key"`; the kinds are text, f64, u16 and pair (two host names), each
// optional with `opt`.
scenario_format! {
    /// A walkthrough's stage: from `at_ms` on, the view shows this title and text.
    StageDef in "stages" {
        at_ms: (f64) "at_ms",
        title: (text) "title",
        text: (text) "text",
    }
    /// A host: its name, its address, and the OS whose TCP it follows (Linux unless told).
    HostDef in "hosts" {
        name: (text) "name",
        ip: (text) "ip",
        os: (opt text) "os",
    }
    /// A link between two hosts: latency, and percentages lost, duplicated and reordered.
    LinkDef in "links" {
        between: (pair) "between",
        latency_ms: (opt f64) "latency_ms",
        loss: (opt f64) "loss",
        duplicate: (opt f64) "duplicate",
        reorder: (opt f64) "reorder",
        jitter_ms: (opt f64) "jitter_ms",
    }
    /// A program started on a host.
    ProcessDef in "processes" {
        name: (text) "name",
        host: (text) "host",
        program: (text) "program",
    }
    /// Something a process does, at a time or after a milestone ("curl:connected"): listen,
    /// connect ("Host name:port" or "a.b.c.d:port"), send or close.
    ActionDef in "actions" {
        process: (text) "process",
        at_ms: (opt f64) "at_ms",
        after: (opt text) "after",
        delay_ms: (opt f64) "delay_ms",
        op: (text) "do",
        port: (opt u16) "port",
        backlog: (opt u32) "backlog",
        to: (opt text) "to",
        from_port: (opt u16) "from_port",
        auto: (opt bool) "auto",
        data: (opt text) "data",
    }
    /// A host firewall rule: traffic to this port is dropped or rejected.
    FirewallDef in "firewall" {
        host: (text) "host",
        proto: (text) "proto",
        port: (u16) "port",
        verdict: (text) "verdict",
    }
    /// A link or a host going down or coming back at a time.
    NetEventDef in "network" {
        at_ms: (f64) "at_ms",
        link: (opt pair) "link",
        host: (opt text) "host",
        state: (text) "state",
    }
}
