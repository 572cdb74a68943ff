//! The shipped scenarios (`scenarios/*.toml`), compiled into the program by `build.rs` as
//! static data, so the web app needs no TOML parser. `tests/builtin.rs` checks each one equals
//! what the engine's reader makes of its file.

use crate::engine::scenario::{
    ActionDef, FirewallDef, HostDef, LinkDef, NetEventDef, ProcessDef, Scenario, StageDef,
};

type S = &'static str;

struct RawScenario {
    version: u32,
    title: S,
    description: S,
    seed: u64,
    duration_ms: Option<f64>,
    hosts: &'static [RawHostDef],
    links: &'static [RawLinkDef],
    processes: &'static [RawProcessDef],
    actions: &'static [RawActionDef],
    firewall: &'static [RawFirewallDef],
    network: &'static [RawNetEventDef],
    stages: &'static [RawStageDef],
}

struct RawHostDef {
    name: S,
    ip: S,
    os: Option<S>,
}

struct RawLinkDef {
    between: [S; 2],
    latency_ms: Option<f64>,
    loss: Option<f64>,
    duplicate: Option<f64>,
    reorder: Option<f64>,
    jitter_ms: Option<f64>,
}

struct RawProcessDef {
    name: S,
    host: S,
    program: S,
}

struct RawActionDef {
    process: S,
    at_ms: Option<f64>,
    after: Option<S>,
    delay_ms: Option<f64>,
    op: S,
    port: Option<u16>,
    backlog: Option<u32>,
    to: Option<S>,
    from_port: Option<u16>,
    auto: Option<bool>,
    data: Option<S>,
}

struct RawFirewallDef {
    host: S,
    proto: S,
    port: u16,
    verdict: S,
}

struct RawNetEventDef {
    at_ms: f64,
    link: Option<[S; 2]>,
    host: Option<S>,
    state: S,
}

struct RawStageDef {
    at_ms: f64,
    title: S,
    text: S,
}

fn owned(s: S) -> String {
    s.to_string()
}

fn opt(s: Option<S>) -> Option<String> {
    s.map(owned)
}

fn pair([a, b]: [S; 2]) -> [String; 2] {
    [owned(a), owned(b)]
}

impl RawScenario {
    fn to_scenario(&self) -> Scenario {
        Scenario {
            version: self.version,
            title: owned(self.title),
            description: owned(self.description),
            seed: self.seed,
            duration_ms: self.duration_ms,
            hosts: self
                .hosts
                .iter()
                .map(|h| HostDef {
                    name: owned(h.name),
                    ip: owned(h.ip),
                    os: opt(h.os),
                })
                .collect(),
            links: self
                .links
                .iter()
                .map(|l| LinkDef {
                    between: pair(l.between),
                    latency_ms: l.latency_ms,
                    loss: l.loss,
                    duplicate: l.duplicate,
                    reorder: l.reorder,
                    jitter_ms: l.jitter_ms,
                })
                .collect(),
            processes: self
                .processes
                .iter()
                .map(|p| ProcessDef {
                    name: owned(p.name),
                    host: owned(p.host),
                    program: owned(p.program),
                })
                .collect(),
            actions: self
                .actions
                .iter()
                .map(|a| ActionDef {
                    process: owned(a.process),
                    at_ms: a.at_ms,
                    after: opt(a.after),
                    delay_ms: a.delay_ms,
                    op: owned(a.op),
                    port: a.port,
                    backlog: a.backlog,
                    to: opt(a.to),
                    from_port: a.from_port,
                    auto: a.auto,
                    data: opt(a.data),
                })
                .collect(),
            firewall: self
                .firewall
                .iter()
                .map(|f| FirewallDef {
                    host: owned(f.host),
                    proto: owned(f.proto),
                    port: f.port,
                    verdict: owned(f.verdict),
                })
                .collect(),
            network: self
                .network
                .iter()
                .map(|n| NetEventDef {
                    at_ms: n.at_ms,
                    link: n.link.map(pair),
                    host: opt(n.host),
                    state: owned(n.state),
                })
                .collect(),
            stages: self
                .stages
                .iter()
                .map(|s| StageDef {
                    at_ms: s.at_ms,
                    title: owned(s.title),
                    text: owned(s.text),
                })
                .collect(),
        }
    }
}

include!(concat!(env!("OUT_DIR"), "/builtin_scenes.rs"));
