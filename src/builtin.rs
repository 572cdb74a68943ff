//! The shipped scenarios (`scenarios/*.toml`), compiled into the program by `build.rs` as
//! static data, so the web app needs no TOML parser. `tests/builtin.rs` checks each one equals
//! what the engine's reader makes of its file.

use crate::engine::scenario::Scenario;
use raw::RawScenario;

type S = &'static str;

/// The static form of a field of the given kind (see `engine/format.rs`).
macro_rules! raw_type {
    (text) => { S };
    (f64) => { f64 };
    (u16) => { u16 };
    (u32) => { u32 };
    (u64) => { u64 };
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
        (
            $(#[$file_doc:meta])* file {
                $( $top:ident : ($($top_kind:ident)+) $top_key:literal $([$($top_range:tt)*])? ),* $(,)?
            }
            $( $(#[$doc:meta])* $name:ident in $list:ident {
                $( $field:ident : ($($kind:ident)+) $key:literal $([$($range:tt)*])? ),* $(,)?
            } )*
        ) => {
            $(#[$file_doc])*
            pub struct RawScenario {
                $( pub $top: raw_type!($($top_kind)+), )*
                $( pub $list: &'static [$name], )*
            }

            impl RawScenario {
                pub fn owned(&self) -> crate::engine::scenario::Scenario {
                    crate::engine::scenario::Scenario {
                        $( $top: owned!($($top_kind)+, self.$top), )*
                        $( $list: self.$list.iter().map($name::owned).collect(), )*
                    }
                }
            }

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

include!(concat!(env!("OUT_DIR"), "/builtin_scenes.rs"));
