//! The shipped scenarios (`scenarios/*.toml`), compiled into the program by `build.rs` as
//! static data, so the web app needs no TOML parser. `tests/builtin.rs` checks each one equals
//! what the engine's reader makes of its file.

use crate::engine::scenario::Scenario;

type S = &'static str;

struct RawScenario {
    version: u32,
    title: S,
    description: S,
    seed: u64,
    duration_ms: Option<f64>,
    hosts: &'static [raw::HostDef],
    links: &'static [raw::LinkDef],
    processes: &'static [raw::ProcessDef],
    actions: &'static [raw::ActionDef],
    firewall: &'static [raw::FirewallDef],
    network: &'static [raw::NetEventDef],
    stages: &'static [raw::StageDef],
}

/// The static form of a field of the given kind (see `engine/format.rs`).
macro_rules! raw_type {
    (text) => { S };
    (f64) => { f64 };
    (u16) => { u16 };
    (pair) => { [S; 2] };
    (opt text) => { Option<S> };
    (opt f64) => { Option<f64> };
    (opt u16) => { Option<u16> };
    (opt u32) => { Option<u32> };
    (opt bool) => { Option<bool> };
    (opt pair) => { Option<[S; 2]> };
}

/// A static field as the engine's struct holds it.
macro_rules! owned {
    (text, $v:expr) => {
        owned($v)
    };
    (pair, $v:expr) => {
        pair($v)
    };
    (opt text, $v:expr) => {
        opt($v)
    };
    (opt pair, $v:expr) => {
        $v.map(pair)
    };
    ($($kind:ident)+, $v:expr) => {
        $v
    };
}

/// The sections as static data (what `build.rs` writes), each with its owned form.
mod raw {
    use super::{opt, owned, pair, S};

    macro_rules! scenario_format {
        ($( $(#[$doc:meta])* $name:ident in $list:literal {
            $( $field:ident : ($($kind:ident)+) $key:literal ),* $(,)?
        } )*) => {
            $(
                $(#[$doc])*
                pub struct $name {
                    $( pub $field: raw_type!($($kind)+), )*
                }

                impl $name {
                    pub fn owned(&self) -> crate::engine::scenario::$name {
                        crate::engine::scenario::$name {
                            $( $field: owned!($($kind)+, self.$field), )*
                        }
                    }
                }
            )*
        };
    }

    include!("engine/format.rs");
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
            hosts: self.hosts.iter().map(raw::HostDef::owned).collect(),
            links: self.links.iter().map(raw::LinkDef::owned).collect(),
            processes: self.processes.iter().map(raw::ProcessDef::owned).collect(),
            actions: self.actions.iter().map(raw::ActionDef::owned).collect(),
            firewall: self.firewall.iter().map(raw::FirewallDef::owned).collect(),
            network: self.network.iter().map(raw::NetEventDef::owned).collect(),
            stages: self.stages.iter().map(raw::StageDef::owned).collect(),
        }
    }
}

include!(concat!(env!("OUT_DIR"), "/builtin_scenes.rs"));
