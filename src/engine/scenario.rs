//! Scenario files: a network, its programs and what they do when, in TOML (or the same
//! structure in JSON, for links).
//!
//! ```toml
//! version = 1
//! title = "The Node.js server on port 8099"
//! seed = 8099
//!
//! [[hosts]]
//! name = "Server"
//! ip = "192.168.1.102"
//!
//! [[processes]]
//! name = "node"
//! host = "Server"
//! program = "node-server"
//!
//! [[actions]]
//! process = "node"
//! at_ms = 0
//! do = "listen"
//! port = 8099
//! ```
//!
//! Reading a file never panics and reports every problem at once, each with its path and a
//! plain sentence (`hosts[1].ip: "192.168.1.300" is not an IPv4 address`); unknown fields are
//! problems too. Only a file without problems becomes a [`Scenario`], and only a `Scenario`
//! builds a [`Sim`].
//!
//! The checks come in two passes. The first is generated from `format.rs`: each field is
//! there if required, of its kind and in its range ([`Section::FIELDS`]); the fields that
//! pass make a typed draft of each entry ([`draft`]). The second reads the drafts: names that
//! must be unique or must exist, the fields each kind of action takes, addresses, stages in
//! time order.

use std::net::{Ipv4Addr, SocketAddrV4};

use serde::{Deserialize, Serialize};
use toml::{Table, Value};

use super::checker::{join, said, text as t, Arg, Checker};
pub use super::checker::{Field, Kind, Problem};
use super::faults::{FirewallRule, LinkFaults, NetChange, Verdict};
use super::host::SOMAXCONN;
use super::net::{HostId, HostSpec, LinkId, LinkSpec, DEFAULT_LATENCY};
use super::ports::OsProfile;
use super::program::{Action, AppKind, Milestone, When};
use super::sim::{Sim, SimConfig};
use super::socket::{Pid, Proto, SockState};
use super::time::{Duration, Instant};
pub use super::wire::Wire;
use crate::i18n::Msg;
use crate::vecmap::{VecMap, VecSet};

/// The format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// The longest a scenario may run, in virtual time.
pub const MAX_DURATION_MS: f64 = 3_600_000.0;

/// The largest scenario file read, in bytes: the course's busiest is under 4 KB.
pub const MAX_FILE_BYTES: usize = 256 * 1024;

/// How many of each list a scenario may have: what the stage can show and a phone can run
/// without freezing the tab. A longer list is a problem, and only its first entries are read.
pub fn max_entries(list: &str) -> usize {
    match list {
        "hosts" => 24,
        "links" => 48,
        "processes" => 200,
        "actions" => 1000,
        "firewall" => 100,
        "network" => 200,
        "stages" => 40,
        "goals" => 20,
        _ => usize::MAX,
    }
}

/// A file too large to read, as a problem.
fn too_large(text: &str) -> Option<Vec<Problem>> {
    (text.len() > MAX_FILE_BYTES).then(|| {
        vec![Problem {
            path: String::new(),
            said: said(
                Msg::WorkshopProblemTooLarge,
                &[
                    ("kb", t(text.len().div_ceil(1024))),
                    ("most", t(MAX_FILE_BYTES / 1024)),
                ],
            ),
        }]
    })
}

/// The Rust type of a field of the given kind (see `format.rs`).
macro_rules! field_type {
    (text) => { String };
    (f64) => { f64 };
    (u16) => { u16 };
    (u32) => { u32 };
    (u64) => { u64 };
    (pair) => { [String; 2] };
    (opt text) => { Option<String> };
    (opt f64) => { Option<f64> };
    (opt u16) => { Option<u16> };
    (opt u32) => { Option<u32> };
    (opt bool) => { Option<bool> };
    (opt pair) => { Option<[String; 2]> };
}

/// A field's kind and whether it must be there, from its kind in `format.rs`.
macro_rules! field_kind {
    (opt $($kind:ident)+) => { (field_kind!($($kind)+).0, false) };
    (text) => { (Kind::Text, true) };
    (f64) => { (Kind::Number, true) };
    (u16) => { (Kind::Whole, true) };
    (u32) => { (Kind::Whole, true) };
    (u64) => { (Kind::Whole, true) };
    (bool) => { (Kind::Bool, true) };
    (pair) => { (Kind::Pair, true) };
}

/// A number's range: the one `format.rs` gives, else what its type holds.
macro_rules! field_range {
    (($($kind:ident)+) [$lo:expr, $hi:expr]) => { Some(($lo as f64, $hi as f64, "")) };
    (($($kind:ident)+) [$lo:expr, $hi:expr, $unit:literal]) => { Some(($lo as f64, $hi as f64, $unit)) };
    ((opt $($kind:ident)+)) => { field_range!(($($kind)+)) };
    ((u16)) => { Some((0.0, u16::MAX as f64, "")) };
    ((u32)) => { Some((0.0, u32::MAX as f64, "")) };
    // A TOML integer is at most i64::MAX.
    ((u64)) => { Some((0.0, i64::MAX as f64, "")) };
    (($($kind:ident)+)) => { None };
}

/// A field's declaration in `format.rs` as the validator checks it.
macro_rules! field {
    ($key:literal, ($($kind:ident)+) $($range:tt)*) => {
        Field {
            key: $key,
            kind: field_kind!($($kind)+).0,
            required: field_kind!($($kind)+).1,
            range: field_range!(($($kind)+) $($range)*),
        }
    };
}

/// A field as the checks read it before the whole file is known to be good: there, and of
/// its kind, or not.
macro_rules! draft_type {
    (opt $($kind:ident)+) => { draft_type!($($kind)+) };
    (text) => { Option<String> };
    (f64) => { Option<f64> };
    (u16) => { Option<u16> };
    (u32) => { Option<u32> };
    (u64) => { Option<u64> };
    (bool) => { Option<bool> };
    (pair) => { Option<[String; 2]> };
}

/// A list of entries in a scenario file: its key, its fields, and how the checks read an
/// entry (a [`draft`] of it).
pub trait Section {
    const LIST: &'static str;
    const FIELDS: &'static [Field];
    type Draft: serde::de::DeserializeOwned;
}

/// From `format.rs`: the structs a file is read into, the fields the validator checks, and
/// the sections' drafts.
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
        #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct Scenario {
            $(
                #[serde(rename = $top_key, default, skip_serializing_if = "Absent::absent")]
                pub $top: field_type!($($top_kind)+),
            )*
            $(
                #[serde(default, skip_serializing_if = "Vec::is_empty")]
                pub $list: Vec<$name>,
            )*
        }

        /// The file's own fields, as the validator checks them.
        pub const FILE_FIELDS: &[Field] = &[$(
            field!($top_key, ($($top_kind)+) $([$($top_range)*])?),
        )*];

        /// The keys of the sections, in the order a file writes them.
        const SECTION_KEYS: &[&str] = &[$(stringify!($list)),*];

        /// Each section's key and fields, in the order a file writes them: what an editor
        /// offers (the workshop), field by field.
        pub const SECTIONS: &[(&str, &[Field])] = &[$((stringify!($list), <$name as Section>::FIELDS)),*];

        /// A scenario's fields one at a time, by where they are (`None` for the file's own,
        /// else a section's key and an entry's index) and their key: what an editor reads and
        /// changes. Nothing here checks a value beyond what its type holds; the file's checks
        /// (`from_toml`) say what else is wrong.
        impl Scenario {
            /// How many entries section `list` has.
            pub fn entries(&self, list: &str) -> usize {
                match list {
                    $( stringify!($list) => self.$list.len(), )*
                    _ => 0,
                }
            }

            /// A field's value; `None` if there is no such field or entry.
            pub fn field(&self, list: Option<&str>, index: usize, key: &str) -> Option<FieldValue> {
                match list {
                    None => match key {
                        $( $top_key => Some(self.$top.value()), )*
                        _ => None,
                    },
                    $( Some(stringify!($list)) => {
                        let entry = self.$list.get(index)?;
                        match key {
                            $( $key => Some(entry.$field.value()), )*
                            _ => None,
                        }
                    } )*
                    Some(_) => None,
                }
            }

            /// Set a field; a value its type cannot hold changes nothing and says why.
            pub fn set_field(&mut self, list: Option<&str>, index: usize, key: &str, value: FieldValue) -> Result<(), Unfit> {
                match list {
                    None => match key {
                        $( $top_key => self.$top.assign(value), )*
                        _ => Err(Unfit::NoField),
                    },
                    $( Some(stringify!($list)) => {
                        let entry = self.$list.get_mut(index).ok_or(Unfit::NoField)?;
                        match key {
                            $( $key => entry.$field.assign(value), )*
                            _ => Err(Unfit::NoField),
                        }
                    } )*
                    Some(_) => Err(Unfit::NoField),
                }
            }

            /// Put a new, empty entry into section `list` at `index` (at its end if past it).
            pub fn insert_entry(&mut self, list: &str, index: usize) -> bool {
                match list {
                    $( stringify!($list) => {
                        let at = index.min(self.$list.len());
                        self.$list.insert(at, $name::default());
                        true
                    } )*
                    _ => false,
                }
            }

            /// Take entry `index` out of section `list`.
            pub fn remove_entry(&mut self, list: &str, index: usize) -> bool {
                match list {
                    $( stringify!($list) if index < self.$list.len() => {
                        self.$list.remove(index);
                        true
                    } )*
                    _ => false,
                }
            }

            /// Move entry `from` of section `list` to `to` (the entries between shift by one).
            pub fn move_entry(&mut self, list: &str, from: usize, to: usize) -> bool {
                match list {
                    $( stringify!($list) if from < self.$list.len() && to < self.$list.len() => {
                        let entry = self.$list.remove(from);
                        self.$list.insert(to, entry);
                        true
                    } )*
                    _ => false,
                }
            }
        }

        impl Scenario {
            /// The scenario as a TOML file that [`from_toml`] reads back as it is: the file's
            /// own fields, then each section's entries as `[[list]]` tables, every field in
            /// the order `format.rs` gives and only the ones that are there. Written here
            /// rather than by a TOML library, so the web app can offer it without one.
            pub fn to_toml(&self) -> String {
                let mut out = String::new();
                $( put(&mut out, $top_key, &self.$top); )*
                $(
                    for entry in &self.$list {
                        out.push_str(concat!("\n[[", stringify!($list), "]]\n"));
                        $( put(&mut out, $key, &entry.$field); )*
                    }
                )*
                out
            }
        }

        $(
            $(#[$doc])*
            #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
            #[serde(deny_unknown_fields)]
            pub struct $name {
                $(
                    #[serde(rename = $key, default, skip_serializing_if = "Absent::absent")]
                    pub $field: field_type!($($kind)+),
                )*
            }

            impl Wire for $name {
                fn put(&self, out: &mut Vec<u8>) {
                    $( self.$field.put(out); )*
                }
                fn take(bytes: &mut &[u8]) -> Option<Self> {
                    Some($name { $( $field: Wire::take(bytes)?, )* })
                }
            }

            impl Section for $name {
                const LIST: &'static str = stringify!($list);
                const FIELDS: &'static [Field] = &[$(
                    field!($key, ($($kind)+) $([$($range)*])?),
                )*];
                type Draft = draft::$name;
            }
        )*

        /// Each section's entries as the checks read them: every field that is there with
        /// the right kind, and `None` for the rest (already reported), so that a problem in
        /// one field does not hide those in others.
        pub mod draft {
            use serde::Deserialize;
            $(
                #[derive(Debug, Default, Deserialize)]
                #[serde(default)]
                pub struct $name {
                    $(
                        #[serde(rename = $key)]
                        pub $field: draft_type!($($kind)+),
                    )*
                }
            )*
        }
    };
}

/// Whether a field is left out when written: an optional one that is not there. (Every field
/// reads as absent-allowed; the validator has already said which must be there.)
trait Absent {
    fn absent(&self) -> bool {
        false
    }
}
impl<T> Absent for Option<T> {
    fn absent(&self) -> bool {
        self.is_none()
    }
}
impl Absent for String {}
impl Absent for f64 {}
impl Absent for u16 {}
impl Absent for u32 {}
impl Absent for u64 {}
impl Absent for [String; 2] {}

/// A field's value as an editor has it: text, a number (whole or not: [`Unfit`] says when a
/// whole one's type cannot hold it), true or false, two host names, or nothing (an optional
/// field left out).
#[derive(Clone, Debug, PartialEq)]
pub enum FieldValue {
    Absent,
    Text(String),
    Number(f64),
    Bool(bool),
    Pair([String; 2]),
}

/// Why a value cannot go into a field: what the field's type holds, before any check of the
/// file's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unfit {
    /// There is no such field or entry.
    NoField,
    /// A field every entry has cannot be left empty (the file's checks say what it must be).
    Needed,
    /// Not the field's kind (text for a number, say).
    NotItsKind,
    /// A whole number is needed.
    NotWhole,
    /// A whole number from 0 to this.
    AtMost(u64),
}

/// A field of a scenario's structs, read and set as a [`FieldValue`].
trait Slot {
    fn value(&self) -> FieldValue;
    fn assign(&mut self, value: FieldValue) -> Result<(), Unfit>;
}

impl Slot for String {
    fn value(&self) -> FieldValue {
        FieldValue::Text(self.clone())
    }
    fn assign(&mut self, value: FieldValue) -> Result<(), Unfit> {
        match value {
            FieldValue::Text(t) => *self = t,
            FieldValue::Absent => self.clear(),
            _ => return Err(Unfit::NotItsKind),
        }
        Ok(())
    }
}

impl Slot for f64 {
    fn value(&self) -> FieldValue {
        FieldValue::Number(*self)
    }
    fn assign(&mut self, value: FieldValue) -> Result<(), Unfit> {
        match value {
            FieldValue::Number(n) if n.is_finite() => *self = n,
            FieldValue::Absent => return Err(Unfit::Needed),
            _ => return Err(Unfit::NotItsKind),
        }
        Ok(())
    }
}

macro_rules! whole_slot {
    ($($t:ty),*) => {$(
        impl Slot for $t {
            fn value(&self) -> FieldValue {
                FieldValue::Number(*self as f64)
            }
            fn assign(&mut self, value: FieldValue) -> Result<(), Unfit> {
                // The most a number typed in an editor holds exactly (2^53 - 1: a larger one
                // would already be rounded), and a TOML integer can be.
                let most = (<$t>::MAX as u64).min((1 << 53) - 1);
                match value {
                    FieldValue::Number(n) if n.fract() != 0.0 || !n.is_finite() => Err(Unfit::NotWhole),
                    FieldValue::Number(n) if n < 0.0 || n > most as f64 => Err(Unfit::AtMost(most)),
                    FieldValue::Number(n) => {
                        *self = n as $t;
                        Ok(())
                    }
                    FieldValue::Absent => Err(Unfit::Needed),
                    _ => Err(Unfit::NotItsKind),
                }
            }
        }
    )*};
}
whole_slot!(u16, u32, u64);

impl Slot for bool {
    fn value(&self) -> FieldValue {
        FieldValue::Bool(*self)
    }
    fn assign(&mut self, value: FieldValue) -> Result<(), Unfit> {
        match value {
            FieldValue::Bool(b) => *self = b,
            FieldValue::Absent => return Err(Unfit::Needed),
            _ => return Err(Unfit::NotItsKind),
        }
        Ok(())
    }
}

impl Slot for [String; 2] {
    fn value(&self) -> FieldValue {
        FieldValue::Pair(self.clone())
    }
    fn assign(&mut self, value: FieldValue) -> Result<(), Unfit> {
        match value {
            FieldValue::Pair(p) => *self = p,
            FieldValue::Absent => *self = Default::default(),
            _ => return Err(Unfit::NotItsKind),
        }
        Ok(())
    }
}

impl<T: Slot + Default> Slot for Option<T> {
    fn value(&self) -> FieldValue {
        self.as_ref().map_or(FieldValue::Absent, Slot::value)
    }
    fn assign(&mut self, value: FieldValue) -> Result<(), Unfit> {
        if value == FieldValue::Absent {
            *self = None;
            return Ok(());
        }
        let mut v = T::default();
        v.assign(value)?;
        *self = Some(v);
        Ok(())
    }
}

/// A field's value as TOML writes it.
trait TomlValue {
    fn write(&self, out: &mut String);
}

/// `key = value` on a line of its own, unless the field is absent.
fn put<T: TomlValue + Absent>(out: &mut String, key: &str, value: &T) {
    if !value.absent() {
        out.push_str(key);
        out.push_str(" = ");
        value.write(out);
        out.push('\n');
    }
}

impl<T: TomlValue> TomlValue for Option<T> {
    fn write(&self, out: &mut String) {
        if let Some(v) = self {
            v.write(out);
        }
    }
}

/// A string: a basic one, or a multi-line one when the text has lines (a description, a
/// stage's text), so the file reads as it was written. Quotes, backslashes and control
/// characters are escaped.
impl TomlValue for String {
    fn write(&self, out: &mut String) {
        let lines = self.contains('\n');
        out.push_str(if lines { "\"\"\"\n" } else { "\"" });
        for c in self.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' if lines => out.push('\n'),
                '\t' => out.push('\t'),
                c if c.is_control() => {
                    out.push_str(&format!("\\u{:04X}", c as u32));
                }
                c => out.push(c),
            }
        }
        out.push_str(if lines { "\"\"\"" } else { "\"" });
    }
}

impl TomlValue for [String; 2] {
    fn write(&self, out: &mut String) {
        out.push('[');
        self[0].write(out);
        out.push_str(", ");
        self[1].write(out);
        out.push(']');
    }
}

/// A number as the shortest decimal, with at most 17 places, that reads back as this very
/// number: "20", "0.5", "12.25", "0.001". So whatever a person typed (up to 15 significant
/// digits) is written as typed and reads back the same. A number that needs more digits than
/// a 53-bit integer holds (a computed one, say 94.13899441502451) is written to as many
/// places as fit, which reads back within 10^-15 of itself; TOML spells infinities and NaN
/// its own way.
///
/// Written by hand because the float formatting in Rust's standard library would add over
/// 5 KB (brotli) to the web app, which offers this file for download.
impl TomlValue for f64 {
    fn write(&self, out: &mut String) {
        let v = *self;
        if v.is_nan() {
            return out.push_str("nan");
        }
        if v.is_sign_negative() {
            out.push('-');
        }
        let v = v.abs();
        if v.is_infinite() {
            return out.push_str("inf");
        }
        // n / 10^places, with n and 10^places exact in an f64: the division rounds the
        // decimal to the nearest f64, exactly as a TOML reader does, so equality means the
        // decimal reads back as `v`.
        const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
        let (mut n, mut scale, mut places) = (v.round(), 1.0, 0);
        while n / scale != v && places < 17 {
            let finer = (v * scale * 10.0).round();
            if finer >= EXACT {
                break;
            }
            (n, scale, places) = (finer, scale * 10.0, places + 1);
        }
        let digits = (n as u64).to_string();
        let whole = digits.len().saturating_sub(places);
        out.push_str(if whole == 0 { "0" } else { &digits[..whole] });
        if places > 0 {
            out.push('.');
            out.extend(std::iter::repeat_n(
                '0',
                places.saturating_sub(digits.len()),
            ));
            out.push_str(&digits[whole..]);
        }
    }
}

/// A number as a file writes it: the shortest decimal that reads back as this number.
pub fn number_text(n: f64) -> String {
    let mut out = String::new();
    n.write(&mut out);
    out
}

macro_rules! toml_display {
    ($($t:ty),*) => {$(
        impl TomlValue for $t {
            fn write(&self, out: &mut String) {
                out.push_str(&self.to_string());
            }
        }
    )*};
}
toml_display!(u16, u32, u64, bool);

include!("format.rs");

/// A scenario's compact form: everything a run and a page show, without a teacher's challenge
/// (its task and goals), which only the workshop shows and [`WithChallenge`] carries. So a
/// page that plays a shipped scene (whose file has no challenge: `tests/builtin.rs`) carries
/// no code to read one. Written out field by field: a field added to the format stops the
/// build here until it is placed.
impl Wire for Scenario {
    fn put(&self, out: &mut Vec<u8>) {
        let Scenario {
            version,
            title,
            description,
            task: _,
            seed,
            duration_ms,
            hosts,
            links,
            processes,
            actions,
            firewall,
            network,
            stages,
            goals: _,
        } = self;
        version.put(out);
        title.put(out);
        description.put(out);
        seed.put(out);
        duration_ms.put(out);
        hosts.put(out);
        links.put(out);
        processes.put(out);
        actions.put(out);
        firewall.put(out);
        network.put(out);
        stages.put(out);
    }
    fn take(bytes: &mut &[u8]) -> Option<Self> {
        Some(Scenario {
            version: Wire::take(bytes)?,
            title: Wire::take(bytes)?,
            description: Wire::take(bytes)?,
            task: None,
            seed: Wire::take(bytes)?,
            duration_ms: Wire::take(bytes)?,
            hosts: Wire::take(bytes)?,
            links: Wire::take(bytes)?,
            processes: Wire::take(bytes)?,
            actions: Wire::take(bytes)?,
            firewall: Wire::take(bytes)?,
            network: Wire::take(bytes)?,
            stages: Wire::take(bytes)?,
            goals: Vec::new(),
        })
    }
}

/// A scenario with its challenge (task and goals), compact: what the workshop keeps and the
/// engine's worker answers when it opens a file.
#[derive(Clone, Debug, PartialEq)]
pub struct WithChallenge(pub Scenario);

impl Wire for WithChallenge {
    fn put(&self, out: &mut Vec<u8>) {
        self.0.put(out);
        self.0.task.put(out);
        self.0.goals.put(out);
    }
    fn take(bytes: &mut &[u8]) -> Option<Self> {
        let mut s = Scenario::take(bytes)?;
        s.task = Wire::take(bytes)?;
        s.goals = Wire::take(bytes)?;
        Some(WithChallenge(s))
    }
}

impl StageDef {
    pub fn at(&self) -> Instant {
        ms_to_instant(self.at_ms)
    }
}

/// Read a scenario from TOML text.
pub fn from_toml(text: &str) -> Result<Scenario, Vec<Problem>> {
    if let Some(problems) = too_large(text) {
        return Err(problems);
    }
    let value: Value = match text.parse::<Table>() {
        Ok(table) => Value::Table(table),
        Err(e) => {
            let message = e.message().to_string();
            let (line, column) = e.span().map_or((1, 1), |s| line_col(text, s.start));
            return Err(vec![Problem {
                path: String::new(),
                said: said(
                    Msg::WorkshopProblemNotToml,
                    &[
                        ("line", t(line)),
                        ("column", t(column)),
                        ("detail", t(message)),
                    ],
                ),
            }]);
        }
    };
    from_value(&value)
}

/// Read a scenario from JSON text (the same structure as the TOML).
pub fn from_json(text: &str) -> Result<Scenario, Vec<Problem>> {
    if let Some(problems) = too_large(text) {
        return Err(problems);
    }
    match serde_json::from_str::<Value>(text) {
        Ok(value) => from_value(&value),
        Err(e) => Err(vec![Problem {
            path: String::new(),
            said: said(
                Msg::WorkshopProblemNotJson,
                &[
                    ("line", t(e.line())),
                    ("column", t(e.column())),
                    ("detail", t(e)),
                ],
            ),
        }]),
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

impl Scenario {
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// How long to run it: `duration_ms`, or an hour of virtual time at most.
    pub fn run_limit(&self) -> Instant {
        Instant::from_micros((self.duration_ms.unwrap_or(MAX_DURATION_MS) * 1000.0) as i64)
    }

    /// Build the simulation. Everything was checked when the file was read, so this cannot
    /// fail for a `Scenario` that came from [`from_toml`] or [`from_json`]; a hand-built one
    /// gets the same checks here.
    pub fn build(&self) -> Result<Sim, Vec<Problem>> {
        self.build_named().map(|(sim, _)| sim)
    }

    /// [`Scenario::build`], with each process's pid by the name the file gives it (a program's
    /// process is named for the program, so two copies of one are told apart only here).
    pub fn build_named(&self) -> Result<(Sim, VecMap<String, Pid>), Vec<Problem>> {
        let value = Value::try_from(self).map_err(|e| {
            vec![Problem {
                path: String::new(),
                said: said(Msg::WorkshopProblemUnread, &[("detail", t(e))]),
            }]
        })?;
        Ok(from_value(&value)?.build_trusted_named())
    }

    /// Build without checking again: for scenarios already checked, such as the shipped ones
    /// (`tests/builtin.rs` checks them). Anything it cannot use is left out; it never panics.
    pub fn build_trusted(&self) -> Sim {
        self.build_trusted_named().0
    }

    /// [`Scenario::build_trusted`], with each process's pid by its name in the file.
    pub fn build_trusted_named(&self) -> (Sim, VecMap<String, Pid>) {
        let mut sim = Sim::with_config(self.seed, SimConfig::default());
        let hosts = self.add_hosts(&mut sim);
        let links = self.add_links(&mut sim, &hosts);
        let (pids, kinds) = self.add_processes(&mut sim, &hosts);
        self.add_rules_and_changes(&mut sim, &hosts, &links);
        for a in &self.actions {
            let Some(&pid) = pids.get(&a.process) else {
                continue;
            };
            let (Some(action), Some(when)) = (
                a.action(&hosts, kinds.get(&a.process).copied()),
                a.when(&pids),
            ) else {
                continue;
            };
            let _ = sim.schedule(pid, action, when);
        }
        (sim, pids)
    }

    /// Each host as the engine is given it: its name, its address and its OS.
    pub fn host_specs(&self) -> impl Iterator<Item = HostSpec> + '_ {
        self.hosts.iter().map(|h| {
            let ip: Ipv4Addr = h.ip.parse().unwrap_or(Ipv4Addr::UNSPECIFIED);
            let os = h.os.as_deref().and_then(parse_os).unwrap_or_default();
            HostSpec::new(&h.name, ip).with_os(os)
        })
    }

    fn add_hosts(&self, sim: &mut Sim) -> VecMap<String, (HostId, Ipv4Addr)> {
        let mut hosts = VecMap::new();
        for spec in self.host_specs() {
            let (name, ip) = (spec.name.clone(), spec.ip);
            if let Ok(id) = sim.add_host(spec) {
                hosts.insert(name, (id, ip));
            }
        }
        hosts
    }

    fn add_links(
        &self,
        sim: &mut Sim,
        hosts: &VecMap<String, (HostId, Ipv4Addr)>,
    ) -> VecMap<(String, String), LinkId> {
        let mut links = VecMap::new();
        for l in &self.links {
            let (Some(&(a, _)), Some(&(b, _))) =
                (hosts.get(&l.between[0]), hosts.get(&l.between[1]))
            else {
                continue;
            };
            let mut spec = LinkSpec::new(a, b);
            spec.latency = l.latency_ms.map(ms_to_duration).unwrap_or(DEFAULT_LATENCY);
            spec.faults = LinkFaults {
                loss: l.loss.unwrap_or(0.0) / 100.0,
                duplicate: l.duplicate.unwrap_or(0.0) / 100.0,
                reorder: l.reorder.unwrap_or(0.0) / 100.0,
                jitter: l.jitter_ms.map(ms_to_duration).unwrap_or(Duration::ZERO),
            };
            if let Ok(id) = sim.add_link(spec) {
                links.insert(link_key(&l.between[0], &l.between[1]), id);
            }
        }
        links
    }

    fn add_processes(
        &self,
        sim: &mut Sim,
        hosts: &VecMap<String, (HostId, Ipv4Addr)>,
    ) -> (VecMap<String, Pid>, VecMap<String, AppKind>) {
        let mut pids: VecMap<String, Pid> = VecMap::new();
        let mut kinds: VecMap<String, AppKind> = VecMap::new();
        for p in &self.processes {
            let (Some(&(host, _)), Some(kind)) = (hosts.get(&p.host), parse_program(&p.program))
            else {
                continue;
            };
            if let Ok(pid) = sim.spawn_program(host, kind) {
                if let Some(user) = &p.user {
                    sim.set_user(pid, user);
                }
                pids.insert(p.name.clone(), pid);
                kinds.insert(p.name.clone(), kind);
            }
        }
        (pids, kinds)
    }

    fn add_rules_and_changes(
        &self,
        sim: &mut Sim,
        hosts: &VecMap<String, (HostId, Ipv4Addr)>,
        links: &VecMap<(String, String), LinkId>,
    ) {
        for f in &self.firewall {
            let (Some(&(host, _)), Some(proto), Some(verdict)) = (
                hosts.get(&f.host),
                parse_proto(&f.proto),
                parse_verdict(&f.verdict),
            ) else {
                continue;
            };
            let _ = sim.add_firewall_rule(
                host,
                FirewallRule {
                    proto,
                    port: f.port,
                    verdict,
                },
            );
        }
        for n in &self.network {
            let up = n.state == "up";
            let change = match (&n.link, &n.host) {
                (Some([a, b]), None) => links
                    .get(&link_key(a, b))
                    .map(|&link| NetChange::Link { link, up }),
                (None, Some(h)) => hosts.get(h).map(|&(host, _)| NetChange::Host { host, up }),
                _ => None,
            };
            if let Some(change) = change {
                let _ = sim.schedule_net(ms_to_instant(n.at_ms), change);
            }
        }
    }

    /// The host ids by name, in the order the file lists them.
    pub fn host_ids(&self) -> VecMap<String, HostId> {
        self.hosts
            .iter()
            .enumerate()
            .map(|(i, h)| (h.name.clone(), HostId(i)))
            .collect()
    }

    /// Link ids by the names of their ends, in file order.
    pub fn link_ids(&self) -> VecMap<(String, String), LinkId> {
        self.links
            .iter()
            .enumerate()
            .map(|(i, l)| (link_key(&l.between[0], &l.between[1]), LinkId(i)))
            .collect()
    }
}

fn link_key(a: &str, b: &str) -> (String, String) {
    if a <= b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

fn ms_to_duration(ms: f64) -> Duration {
    Duration::from_micros((ms * 1000.0).round().max(0.0) as u64)
}

fn ms_to_instant(ms: f64) -> Instant {
    Instant::from_micros((ms * 1000.0).round().max(0.0) as i64)
}

fn resolve(to: &str, hosts: &VecMap<String, (HostId, Ipv4Addr)>) -> Option<SocketAddrV4> {
    let (host, port) = to.rsplit_once(':')?;
    let port: u16 = port.trim().parse().ok()?;
    let ip = match hosts.get(host.trim()) {
        Some(&(_, ip)) => ip,
        None => host.trim().parse().ok()?,
    };
    Some(SocketAddrV4::new(ip, port))
}

pub use super::program::PROGRAMS;

impl ActionDef {
    /// The action this entry asks for (a checked scenario names only hosts that exist).
    fn action(
        &self,
        hosts: &VecMap<String, (HostId, Ipv4Addr)>,
        kind: Option<AppKind>,
    ) -> Option<Action> {
        let a = self;
        Some(match a.op.as_str() {
            "listen" => Action::Listen {
                port: a.port.unwrap_or(0),
                backlog: a
                    .backlog
                    .map_or_else(|| kind.map_or(128, |k| k.default_backlog()), |b| b as usize),
            },
            "connect" => Action::Connect {
                to: a.to.as_deref().and_then(|t| resolve(t, hosts))?,
                from_port: a.from_port,
                auto: a.auto.unwrap_or(true),
                keep_alive: a.keep_alive.unwrap_or(false),
            },
            "send" => Action::Send {
                data: a.data.clone().unwrap_or_default().into_bytes(),
            },
            _ => Action::Close,
        })
    }

    /// When it happens: at a time, or after a process reaches a milestone.
    fn when(&self, pids: &VecMap<String, Pid>) -> Option<When> {
        Some(match (&self.at_ms, &self.after) {
            (Some(at), _) => When::At(ms_to_instant(*at)),
            (None, Some(after)) => {
                let (process, milestone) = after.split_once(':')?;
                When::After {
                    process: *pids.get(process)?,
                    milestone: parse_milestone(milestone)?,
                    delay: self.delay_ms.map(ms_to_duration).unwrap_or(Duration::ZERO),
                }
            }
            (None, None) => When::At(Instant::ZERO),
        })
    }
}

pub fn parse_program(s: &str) -> Option<AppKind> {
    PROGRAMS.iter().find(|(n, _)| *n == s).map(|(_, k)| *k)
}

/// The OS profile a host's `os` names ("linux", "windows", "macos").
pub fn parse_os(s: &str) -> Option<OsProfile> {
    match s {
        "linux" => Some(OsProfile::Linux),
        "windows" => Some(OsProfile::Windows),
        "macos" => Some(OsProfile::Macos),
        _ => None,
    }
}

fn parse_proto(s: &str) -> Option<Proto> {
    match s {
        "tcp" => Some(Proto::Tcp),
        "udp" => Some(Proto::Udp),
        _ => None,
    }
}

/// A firewall rule's verdict as a scenario file writes it (`drop`, `reject`, …).
pub fn parse_verdict(s: &str) -> Option<Verdict> {
    match s {
        "drop" => Some(Verdict::Drop),
        "reject" => Some(Verdict::Reject),
        "reject-with-tcp-reset" => Some(Verdict::RejectWithTcpReset),
        _ => None,
    }
}

const MILESTONES: &[(&str, Milestone)] = &[
    ("listening", Milestone::Listening),
    ("connected", Milestone::Connected),
    ("replied", Milestone::Replied),
    ("closed", Milestone::Closed),
    ("failed", Milestone::Failed),
];

fn parse_milestone(s: &str) -> Option<Milestone> {
    MILESTONES.iter().find(|(n, _)| *n == s).map(|(_, m)| *m)
}

fn names<T>(list: &[(&str, T)]) -> String {
    list.iter()
        .map(|(n, _)| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn from_value(value: &Value) -> Result<Scenario, Vec<Problem>> {
    let mut c = Checker::new(Msg::WorkshopProblemWhatScenario);
    let Some(top) = c.table(value, "") else {
        return Err(c.problems);
    };
    check_top(&mut c, top);
    // Each section is read (its fields' kinds and ranges), then checked against the sections
    // before it (names that must exist or be unique).
    let hosts = read::<HostDef>(&mut c, top, true);
    let hosts = check_hosts(&mut c, &hosts);
    let links = read::<LinkDef>(&mut c, top, false);
    let linked = check_links(&mut c, &links, &hosts);
    let processes = read::<ProcessDef>(&mut c, top, false);
    let processes = check_processes(&mut c, &processes, &hosts);
    let actions = read::<ActionDef>(&mut c, top, false);
    check_actions(&mut c, &actions, &hosts, &processes);
    let rules = read::<FirewallDef>(&mut c, top, false);
    check_firewall(&mut c, &rules, &hosts);
    let events = read::<NetEventDef>(&mut c, top, false);
    check_network(&mut c, &events, &hosts, &linked);
    let stages = read::<StageDef>(&mut c, top, false);
    check_stages(&mut c, &stages);
    let goals = read::<GoalDef>(&mut c, top, false);
    check_goals(&mut c, &goals, &hosts, &processes);
    if !c.problems.is_empty() {
        return Err(c.problems);
    }
    // Every field has been checked against the format the structs come from, so this only
    // fails if the two disagree; say so rather than panic.
    Scenario::deserialize(value.clone()).map_err(|e| {
        vec![Problem {
            path: String::new(),
            said: said(Msg::WorkshopProblemUnread, &[("detail", t(e))]),
        }]
    })
}

/// One entry of a section as the checks after the first pass see it.
struct Entry<'v, D> {
    /// Its place in the list (the file's, so messages can point at it).
    index: usize,
    /// `hosts[1]`
    path: String,
    /// The entry as the file wrote it, for which fields it gives.
    raw: &'v Table,
    /// Its fields that are there and of the right kind.
    draft: D,
}

impl<D> Entry<'_, D> {
    fn at(&self, key: &str) -> String {
        join(&self.path, key)
    }

    fn gives(&self, key: &str) -> bool {
        self.raw.contains_key(key)
    }
}

/// The first pass over a section, from its declaration in `format.rs` alone: each entry is a
/// table, names only the section's fields, gives the required ones, and gives each with its
/// kind and in its range. Each entry comes back as a draft holding the fields that passed.
fn read<'v, S: Section>(
    c: &mut Checker,
    top: &'v Table,
    required: bool,
) -> Vec<Entry<'v, S::Draft>> {
    let keys: Vec<&str> = S::FIELDS.iter().map(|f| f.key).collect();
    let mut entries = Vec::new();
    for (index, value) in c
        .array(top, "", S::LIST, required, max_entries(S::LIST))
        .iter()
        .enumerate()
    {
        let path = format!("{}[{index}]", S::LIST);
        let Some(raw) = c.table(value, &path) else {
            continue;
        };
        c.fields(raw, &path, &keys);
        let mut good = Table::new();
        for field in S::FIELDS {
            if let (true, Some(v)) = (c.field(raw, &path, field), raw.get(field.key)) {
                good.insert(field.key.to_string(), v.clone());
            }
        }
        match S::Draft::deserialize(Value::Table(good)) {
            Ok(draft) => entries.push(Entry {
                index,
                path,
                raw,
                draft,
            }),
            Err(e) => c.say(&path, Msg::WorkshopProblemUnread, &[("detail", t(e))]),
        }
    }
    entries
}

/// The names a scenario gives its hosts and processes, each with the index of its entry.
type Names = VecMap<String, usize>;

/// The file's own fields, and which sections it may have.
fn check_top(c: &mut Checker, top: &Table) {
    let keys: Vec<&str> = FILE_FIELDS
        .iter()
        .map(|f| f.key)
        .chain(SECTION_KEYS.iter().copied())
        .collect();
    c.fields(top, "", &keys);
    for field in FILE_FIELDS {
        c.field(top, "", field);
    }
    // A version out of range was reported as such just above.
    let version = top.get("version").and_then(Value::as_integer);
    if let Some(v) = version.filter(|v| u32::try_from(*v).is_ok()) {
        if v != i64::from(FORMAT_VERSION) {
            c.say(
                "version",
                Msg::WorkshopProblemVersion,
                &[("version", t(v)), ("reads", t(FORMAT_VERSION))],
            );
        }
    }
    if top
        .get(HostDef::LIST)
        .and_then(Value::as_array)
        .is_some_and(|a| a.is_empty())
    {
        c.say(HostDef::LIST, Msg::WorkshopProblemNoHost, &[]);
    }
}

fn known_host(c: &mut Checker, hosts: &Names, path: &str, name: &str) {
    if !hosts.contains_key(name) {
        c.say(path, Msg::WorkshopProblemNoSuchHost, &[("name", t(name))]);
    }
}

/// A name that must not repeat within its list.
fn unique(c: &mut Checker, names: &mut Names, list: &str, path: &str, name: &str, index: usize) {
    if let Some(first) = names.insert(name.to_string(), index) {
        let entry = Arg::Place(format!("{list}[{first}]"));
        c.say(
            path,
            Msg::WorkshopProblemNameTaken,
            &[("name", t(name)), ("entry", entry)],
        );
    }
}

/// Hosts: unique names and usable, unique addresses. Returns the names.
fn check_hosts(c: &mut Checker, hosts: &[Entry<'_, draft::HostDef>]) -> Names {
    let mut names = Names::new();
    let mut ips: VecMap<Ipv4Addr, usize> = VecMap::new();
    for h in hosts {
        if let Some(name) = &h.draft.name {
            unique(c, &mut names, HostDef::LIST, &h.at("name"), name, h.index);
        }
        if let Some(ip) = &h.draft.ip {
            match ip.parse::<Ipv4Addr>() {
                Err(_) => c.say(&h.at("ip"), Msg::WorkshopProblemNotIpv4, &[("ip", t(ip))]),
                Ok(a)
                    if a.is_unspecified()
                        || a.is_broadcast()
                        || a.is_multicast()
                        || a.is_loopback()
                        || a.octets()[3] == 255
                        || a.octets()[3] == 0 =>
                {
                    c.say(&h.at("ip"), Msg::WorkshopProblemNotHostIp, &[("ip", t(a))])
                }
                Ok(a) => {
                    if let Some(first) = ips.insert(a, h.index) {
                        let entry = Arg::Place(format!("hosts[{first}]"));
                        c.say(
                            &h.at("ip"),
                            Msg::WorkshopProblemIpTaken,
                            &[("ip", t(a)), ("entry", entry)],
                        );
                    }
                }
            }
        }
        c.known(
            h.at("os"),
            &h.draft.os,
            |os| parse_os(os).is_some(),
            |os| said(Msg::WorkshopProblemNotOs, &[("os", t(os))]),
        );
    }
    names
}

/// Links: between two different known hosts, once each. Returns the linked pairs.
fn check_links(
    c: &mut Checker,
    links: &[Entry<'_, draft::LinkDef>],
    hosts: &Names,
) -> VecSet<(String, String)> {
    let mut linked = VecSet::new();
    for l in links {
        let Some([a, b]) = &l.draft.between else {
            continue;
        };
        let path = l.at("between");
        known_host(c, hosts, &path, a);
        known_host(c, hosts, &path, b);
        if a == b {
            c.say(&path, Msg::WorkshopProblemLinkToItself, &[("host", t(a))]);
        } else if !linked.insert(link_key(a, b)) {
            c.say(
                &path,
                Msg::WorkshopProblemLinked,
                &[("a", t(a)), ("b", t(b))],
            );
        }
    }
    linked
}

/// Processes: unique names, known hosts and programs. Returns the names.
fn check_processes(
    c: &mut Checker,
    processes: &[Entry<'_, draft::ProcessDef>],
    hosts: &Names,
) -> Names {
    let mut seen = Names::new();
    for p in processes {
        if let Some(name) = &p.draft.name {
            if name.contains(':') {
                c.say(&p.at("name"), Msg::WorkshopProblemColon, &[]);
            }
            unique(c, &mut seen, ProcessDef::LIST, &p.at("name"), name, p.index);
        }
        if let Some(host) = &p.draft.host {
            known_host(c, hosts, &p.at("host"), host);
        }
        if let Some(user) = &p.draft.user {
            let fits =
                |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-';
            if user.is_empty() || user.len() > 32 || !user.chars().all(fits) {
                c.say(&p.at("user"), Msg::WorkshopProblemUser, &[]);
            }
        }
        c.known(
            p.at("program"),
            &p.draft.program,
            |p| parse_program(p).is_some(),
            |p| {
                said(
                    Msg::WorkshopProblemNotProgram,
                    &[("program", t(p)), ("names", t(names(PROGRAMS)))],
                )
            },
        );
    }
    seen
}

/// Actions: a known process, a time or a milestone, and the fields each kind of action takes.
fn check_actions(
    c: &mut Checker,
    actions: &[Entry<'_, draft::ActionDef>],
    hosts: &Names,
    processes: &Names,
) {
    for a in actions {
        if let Some(p) = a
            .draft
            .process
            .as_deref()
            .filter(|p| !processes.contains_key(*p))
        {
            c.say(
                &a.at("process"),
                Msg::WorkshopProblemNoSuchProcess,
                &[("name", t(p))],
            );
        }
        check_when(c, a, processes);
        check_op(c, a, hosts);
    }
}

/// An action's time: "at_ms", or "after" a process's milestone, with an optional delay.
fn check_when(c: &mut Checker, a: &Entry<'_, draft::ActionDef>, processes: &Names) {
    match (a.gives("at_ms"), a.gives("after")) {
        (true, true) => c.say(&a.path, Msg::WorkshopProblemWhenBoth, &[]),
        (false, false) => c.say(&a.path, Msg::WorkshopProblemWhenNone, &[]),
        _ => {}
    }
    if a.gives("delay_ms") && !a.gives("after") {
        c.say(&a.at("delay_ms"), Msg::WorkshopProblemDelayAlone, &[]);
    }
    let Some(after) = &a.draft.after else {
        return;
    };
    let path = a.at("after");
    match after.split_once(':') {
        Some((p, m)) => {
            if !processes.contains_key(p) {
                c.say(&path, Msg::WorkshopProblemNoSuchProcess, &[("name", t(p))]);
            }
            if parse_milestone(m).is_none() {
                c.say(
                    &path,
                    Msg::WorkshopProblemNotMilestone,
                    &[("milestone", t(m)), ("names", t(names(MILESTONES)))],
                );
            }
        }
        None => c.say(&path, Msg::WorkshopProblemNotAfter, &[("after", t(after))]),
    }
}

/// The fields only some actions take, by what they do.
fn op_fields(op: &str) -> Option<&'static [&'static str]> {
    Some(match op {
        "listen" => &["port", "backlog"],
        "connect" => &["to", "from_port", "auto", "keep_alive"],
        "send" => &["data"],
        "close" => &[],
        _ => return None,
    })
}

/// What an action does, and the fields that kind of action takes.
fn check_op(c: &mut Checker, a: &Entry<'_, draft::ActionDef>, hosts: &Names) {
    const COMMON: [&str; 5] = ["process", "at_ms", "after", "delay_ms", "do"];
    let op = a.draft.op.as_deref();
    if let Some(other) = op.filter(|op| op_fields(op).is_none()) {
        c.say(
            &a.at("do"),
            Msg::WorkshopProblemNotAction,
            &[("action", t(other))],
        );
    }
    // Fields of the section that this kind of action does not take (fields of no section
    // were reported by the first pass).
    if let Some(extra) = op.and_then(op_fields) {
        let allowed: Vec<&str> = COMMON.iter().chain(extra).copied().collect();
        for key in a.raw.keys() {
            let ours = ActionDef::FIELDS.iter().any(|f| f.key == key);
            if ours && !allowed.contains(&key.as_str()) {
                let known = allowed
                    .iter()
                    .map(|k| format!("\"{k}\""))
                    .collect::<Vec<_>>();
                c.say(
                    &a.at(key),
                    Msg::WorkshopProblemUnknownField,
                    &[("known", t(known.join(", ")))],
                );
            }
        }
    }
    let needs: &[&str] = match op {
        Some("listen") => &["port"],
        Some("connect") => &["to"],
        Some("send") => &["data"],
        _ => &[],
    };
    for key in needs.iter().filter(|k| !a.gives(k)) {
        c.missing_key(&a.path, key);
    }
    if a.draft.keep_alive == Some(true) && a.draft.auto == Some(false) {
        c.say(&a.at("keep_alive"), Msg::WorkshopProblemKeepAlive, &[]);
    }
    if let (Some("connect"), Some(to)) = (op, &a.draft.to) {
        let ok = to.rsplit_once(':').is_some_and(|(h, p)| {
            p.trim().parse::<u16>().is_ok_and(|p| p > 0)
                && (hosts.contains_key(h.trim()) || h.trim().parse::<Ipv4Addr>().is_ok())
        });
        if !ok {
            c.say(&a.at("to"), Msg::WorkshopProblemNotTo, &[("to", t(to))]);
        }
    }
}

/// Firewall rules: a known host, a protocol, a port, a verdict.
fn check_firewall(c: &mut Checker, rules: &[Entry<'_, draft::FirewallDef>], hosts: &Names) {
    for f in rules {
        if let Some(h) = &f.draft.host {
            known_host(c, hosts, &f.at("host"), h);
        }
        c.known(
            f.at("proto"),
            &f.draft.proto,
            |p| parse_proto(p).is_some(),
            |p| said(Msg::WorkshopProblemNotProto, &[("proto", t(p))]),
        );
        c.known(
            f.at("verdict"),
            &f.draft.verdict,
            |v| parse_verdict(v).is_some(),
            |v| said(Msg::WorkshopProblemNotVerdict, &[("verdict", t(v))]),
        );
    }
}

/// Network events: a link that exists or a known host, going up or down at a time.
fn check_network(
    c: &mut Checker,
    events: &[Entry<'_, draft::NetEventDef>],
    hosts: &Names,
    linked: &VecSet<(String, String)>,
) {
    for n in events {
        match (n.gives("link"), n.gives("host")) {
            (true, true) => c.say(&n.path, Msg::WorkshopProblemLinkOrHost, &[]),
            (false, false) => c.say(&n.path, Msg::WorkshopProblemNeitherLinkNorHost, &[]),
            _ => {}
        }
        if let Some([a, b]) = &n.draft.link {
            if !linked.contains(&link_key(a, b)) {
                c.say(
                    &n.at("link"),
                    Msg::WorkshopProblemNoSuchLink,
                    &[("a", t(a)), ("b", t(b))],
                );
            }
        }
        if let Some(h) = &n.draft.host {
            known_host(c, hosts, &n.at("host"), h);
        }
        c.known(
            n.at("state"),
            &n.draft.state,
            |s| matches!(s, "up" | "down"),
            |s| said(Msg::WorkshopProblemNotState, &[("state", t(s))]),
        );
    }
}

/// The goals a goal word takes, and the fields each needs.
pub const GOALS: &[(&str, &[&str])] = &[
    ("replies", &["process"]),
    ("listens", &["process"]),
    ("connects", &["process"]),
    ("established", &["host", "port", "count"]),
    ("no_drops", &[]),
    ("reaches", &["host", "state"]),
];

/// A teacher's goals: a known goal, the fields it takes (and no others), the process or host
/// it names in the file, a TCP state by its name.
fn check_goals(
    c: &mut Checker,
    goals: &[Entry<'_, draft::GoalDef>],
    hosts: &Names,
    processes: &Names,
) {
    for g in goals {
        let Some(word) = g.draft.goal.as_deref() else {
            continue;
        };
        let Some((_, needs)) = GOALS.iter().find(|(w, _)| *w == word) else {
            c.say(
                &g.at("goal"),
                Msg::WorkshopProblemNotGoal,
                &[("goal", t(word)), ("names", t(names(GOALS)))],
            );
            continue;
        };
        for key in GoalDef::FIELDS
            .iter()
            .map(|f| f.key)
            .filter(|k| *k != "goal")
        {
            match (needs.contains(&key), g.gives(key)) {
                (true, false) => c.missing_key(&g.path, key),
                (false, true) => {
                    let known: Vec<String> = std::iter::once("goal")
                        .chain(needs.iter().copied())
                        .map(|k| format!("\"{k}\""))
                        .collect();
                    c.say(
                        &g.at(key),
                        Msg::WorkshopProblemUnknownField,
                        &[("known", t(known.join(", ")))],
                    );
                }
                _ => {}
            }
        }
        if let Some(p) = g
            .draft
            .process
            .as_deref()
            .filter(|p| !processes.contains_key(*p))
        {
            c.say(
                &g.at("process"),
                Msg::WorkshopProblemNoSuchProcess,
                &[("name", t(p))],
            );
        }
        if let Some(h) = &g.draft.host {
            known_host(c, hosts, &g.at("host"), h);
        }
        c.known(
            g.at("state"),
            &g.draft.state,
            |s| SockState::from_rfc_name(s).is_some(),
            |s| said(Msg::WorkshopProblemNotTcpState, &[("state", t(s))]),
        );
    }
}

/// A walkthrough's stages, in time order.
fn check_stages(c: &mut Checker, stages: &[Entry<'_, draft::StageDef>]) {
    let mut last_at = -1.0;
    for s in stages {
        if let Some(at) = s.draft.at_ms {
            if at < last_at {
                c.say(
                    &s.at("at_ms"),
                    Msg::WorkshopProblemStageOrder,
                    &[("at", t(at)), ("last", t(last_at))],
                );
            }
            last_at = at;
        }
    }
}
