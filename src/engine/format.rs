// The scenario format, written once: the file's own fields, then its sections (lists of
// tables) in the order a file writes them. Three readers include this file, each with its own
// `scenario_format!`:
// - `engine/scenario.rs` makes the structs a file is read into, the fields its validator
//   checks (kind, presence, range) and the drafts the later checks read;
// - `builtin.rs` makes the static tables the shipped scenes are compiled into;
// - `build.rs` reads the field kinds its generator writes.
// Each field is `name: (kind) "toml key"`, a number's followed by `[least, most, "unit"]`.
// The kinds are text, f64, u16, u32, u64, bool and pair (two host names), each optional
// with `opt`. What only the values together can tell (names that must be unique or must
// exist, the fields each kind of action takes) is checked in `scenario.rs`.
scenario_format! {
    /// A scenario: a network, its programs and what they do when.
    file {
        version: (u32) "version",
        title: (text) "title",
        description: (opt text) "description",
        task: (opt text) "task",
        seed: (u64) "seed",
        duration_ms: (opt f64) "duration_ms" [1.0, MAX_DURATION_MS, " ms"],
    }
    /// A host: its name, its address, and the OS whose TCP it follows (Linux unless told).
    HostDef in hosts {
        name: (text) "name",
        ip: (text) "ip",
        os: (opt text) "os",
    }
    /// A link between two hosts: latency, and percentages lost, duplicated and reordered.
    LinkDef in links {
        between: (pair) "between",
        latency_ms: (opt f64) "latency_ms" [0.001, 10_000.0, " ms"],
        loss: (opt f64) "loss" [0.0, 100.0, " %"],
        duplicate: (opt f64) "duplicate" [0.0, 100.0, " %"],
        reorder: (opt f64) "reorder" [0.0, 100.0, " %"],
        jitter_ms: (opt f64) "jitter_ms" [0.0, 10_000.0, " ms"],
    }
    /// A program started on a host, by root (a service the system starts) unless `user`
    /// names another user: only root may bind a port below 1024 on Linux.
    ProcessDef in processes {
        name: (text) "name",
        host: (text) "host",
        program: (text) "program",
        user: (opt text) "user",
    }
    /// Something a process does, at a time or after a milestone ("curl:connected"): listen,
    /// connect ("Host name:port" or "a.b.c.d:port"), send or close.
    ActionDef in actions {
        process: (text) "process",
        at_ms: (opt f64) "at_ms" [0.0, MAX_DURATION_MS, " ms"],
        after: (opt text) "after",
        delay_ms: (opt f64) "delay_ms" [0.0, MAX_DURATION_MS, " ms"],
        op: (text) "do",
        port: (opt u16) "port" [1, 65535],
        backlog: (opt u32) "backlog" [1, SOMAXCONN],
        to: (opt text) "to",
        from_port: (opt u16) "from_port" [1, 65535],
        auto: (opt bool) "auto",
        keep_alive: (opt bool) "keep_alive",
        data: (opt text) "data",
    }
    /// A host firewall rule: traffic to this port is dropped or rejected.
    FirewallDef in firewall {
        host: (text) "host",
        proto: (text) "proto",
        port: (u16) "port" [1, 65535],
        verdict: (text) "verdict",
    }
    /// A link or a host going down or coming back at a time.
    NetEventDef in network {
        at_ms: (f64) "at_ms" [0.0, MAX_DURATION_MS, " ms"],
        link: (opt pair) "link",
        host: (opt text) "host",
        state: (text) "state",
    }
    /// A walkthrough's stage: from `at_ms` on, the view shows this title and text.
    StageDef in stages {
        at_ms: (f64) "at_ms" [0.0, MAX_DURATION_MS, " ms"],
        title: (text) "title",
        text: (text) "text",
    }
    /// What the scene's run must do, for a teacher's challenge (with `task`, the file's words
    /// to the learner): `goal` names it, with the fields that goal takes (a process gets its
    /// reply, listens or connects; a host holds `count` connections on `port` at once; no
    /// segment is dropped; a host's socket reaches `state`). The challenges' checker checks
    /// them against the run.
    GoalDef in goals {
        goal: (text) "goal",
        process: (opt text) "process",
        host: (opt text) "host",
        port: (opt u16) "port" [1, 65535],
        count: (opt u32) "count" [1, 1000],
        state: (opt text) "state",
    }
}
