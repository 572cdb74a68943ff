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

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::net::{Ipv4Addr, SocketAddrV4};

use serde::{Deserialize, Serialize};
use toml::{Table, Value};

use super::faults::{FirewallRule, LinkFaults, NetChange, Verdict};
use super::net::{HostId, HostSpec, LinkId, LinkSpec, DEFAULT_LATENCY};
use super::ports::OsProfile;
use super::program::{Action, AppKind, Milestone, When};
use super::sim::{Sim, SimConfig};
use super::socket::{Pid, Proto};
use super::time::{Duration, Instant};

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
        _ => usize::MAX,
    }
}

/// A file too large to read, as a problem.
fn too_large(text: &str) -> Option<Vec<Problem>> {
    (text.len() > MAX_FILE_BYTES).then(|| {
        vec![Problem {
            path: String::new(),
            message: format!(
                "the file is {} KB; a scenario may be at most {} KB",
                text.len().div_ceil(1024),
                MAX_FILE_BYTES / 1024
            ),
        }]
    })
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub version: u32,
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub seed: u64,
    /// Stop after this much virtual time, if it has not gone quiet before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<f64>,
    pub hosts: Vec<HostDef>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<LinkDef>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub processes: Vec<ProcessDef>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<ActionDef>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub firewall: Vec<FirewallDef>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub network: Vec<NetEventDef>,
    /// A guided walkthrough's stages: from `at_ms` on, the view shows this title and text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<StageDef>,
}

/// The Rust type of a field of the given kind (see `format.rs`).
macro_rules! field_type {
    (text) => { String };
    (f64) => { f64 };
    (u16) => { u16 };
    (pair) => { [String; 2] };
    (opt text) => { Option<String> };
    (opt f64) => { Option<f64> };
    (opt u16) => { Option<u16> };
    (opt u32) => { Option<u32> };
    (opt bool) => { Option<bool> };
    (opt pair) => { Option<[String; 2]> };
}

/// The sections' structs, as serde reads them, and the keys each allows.
macro_rules! scenario_format {
    ($( $(#[$doc:meta])* $name:ident in $list:literal {
        $( $field:ident : ($($kind:ident)+) $key:literal ),* $(,)?
    } )*) => {
        $(
            $(#[$doc])*
            #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
            #[serde(deny_unknown_fields)]
            pub struct $name {
                $(
                    #[serde(rename = $key, default, skip_serializing_if = "Absent::absent")]
                    pub $field: field_type!($($kind)+),
                )*
            }

            impl $name {
                /// The keys a file may use in this section.
                pub const KEYS: &'static [&'static str] = &[$($key),*];
            }
        )*
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
impl Absent for [String; 2] {}

include!("format.rs");

impl StageDef {
    pub fn at(&self) -> Instant {
        ms_to_instant(self.at_ms)
    }
}

/// One thing wrong with a scenario file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// Where: `hosts[1].ip`, or empty for the file as a whole.
    pub path: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
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
            let place = e
                .span()
                .map(|s| line_col(text, s.start))
                .map(|(l, c)| format!("line {l}, column {c}: "))
                .unwrap_or_default();
            return Err(vec![Problem {
                path: String::new(),
                message: format!("{place}not valid TOML: {message}"),
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
            message: format!(
                "line {}, column {}: not valid JSON: {e}",
                e.line(),
                e.column()
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
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }

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
        let value = Value::try_from(self).map_err(|e| {
            vec![Problem {
                path: String::new(),
                message: e.to_string(),
            }]
        })?;
        let checked = from_value(&value)?;
        Ok(checked.build_trusted())
    }

    /// Build without checking again: for scenarios already checked, such as the shipped ones
    /// (`tests/builtin.rs` checks them). Anything it cannot use is left out; it never panics.
    pub fn build_trusted(&self) -> Sim {
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
        sim
    }

    fn add_hosts(&self, sim: &mut Sim) -> BTreeMap<String, (HostId, Ipv4Addr)> {
        let mut hosts = BTreeMap::new();
        for h in &self.hosts {
            let ip: Ipv4Addr = h.ip.parse().unwrap_or(Ipv4Addr::UNSPECIFIED);
            let os = h.os.as_deref().and_then(parse_os).unwrap_or_default();
            if let Ok(id) = sim.add_host(HostSpec::new(&h.name, ip).with_os(os)) {
                hosts.insert(h.name.clone(), (id, ip));
            }
        }
        hosts
    }

    fn add_links(
        &self,
        sim: &mut Sim,
        hosts: &BTreeMap<String, (HostId, Ipv4Addr)>,
    ) -> BTreeMap<(String, String), LinkId> {
        let mut links = BTreeMap::new();
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
        hosts: &BTreeMap<String, (HostId, Ipv4Addr)>,
    ) -> (BTreeMap<String, Pid>, BTreeMap<String, AppKind>) {
        let mut pids: BTreeMap<String, Pid> = BTreeMap::new();
        let mut kinds: BTreeMap<String, AppKind> = BTreeMap::new();
        for p in &self.processes {
            let (Some(&(host, _)), Some(kind)) = (hosts.get(&p.host), parse_program(&p.program))
            else {
                continue;
            };
            if let Ok(pid) = sim.spawn_program(host, kind) {
                pids.insert(p.name.clone(), pid);
                kinds.insert(p.name.clone(), kind);
            }
        }
        (pids, kinds)
    }

    fn add_rules_and_changes(
        &self,
        sim: &mut Sim,
        hosts: &BTreeMap<String, (HostId, Ipv4Addr)>,
        links: &BTreeMap<(String, String), LinkId>,
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
    pub fn host_ids(&self) -> BTreeMap<String, HostId> {
        self.hosts
            .iter()
            .enumerate()
            .map(|(i, h)| (h.name.clone(), HostId(i)))
            .collect()
    }

    /// Link ids by the names of their ends, in file order.
    pub fn link_ids(&self) -> BTreeMap<(String, String), LinkId> {
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

fn resolve(to: &str, hosts: &BTreeMap<String, (HostId, Ipv4Addr)>) -> Option<SocketAddrV4> {
    let (host, port) = to.rsplit_once(':')?;
    let port: u16 = port.trim().parse().ok()?;
    let ip = match hosts.get(host.trim()) {
        Some(&(_, ip)) => ip,
        None => host.trim().parse().ok()?,
    };
    Some(SocketAddrV4::new(ip, port))
}

pub const PROGRAMS: &[(&str, AppKind)] = &[
    ("web-browser", AppKind::WebBrowser),
    ("email-client", AppKind::EmailClient),
    ("curl", AppKind::Curl),
    ("mobile-app", AppKind::MobileApp),
    ("node-server", AppKind::NodeServer),
    ("web-server", AppKind::WebServer),
    ("mail-server", AppKind::MailServer),
    ("mongo-server", AppKind::MongoServer),
    ("mongo-shell", AppKind::MongoShell),
];

impl ActionDef {
    /// The action this entry asks for (a checked scenario names only hosts that exist).
    fn action(
        &self,
        hosts: &BTreeMap<String, (HostId, Ipv4Addr)>,
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
            },
            "send" => Action::Send {
                data: a.data.clone().unwrap_or_default().into_bytes(),
            },
            _ => Action::Close,
        })
    }

    /// When it happens: at a time, or after a process reaches a milestone.
    fn when(&self, pids: &BTreeMap<String, Pid>) -> Option<When> {
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

fn parse_program(s: &str) -> Option<AppKind> {
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

fn parse_verdict(s: &str) -> Option<Verdict> {
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

// ---- validation -------------------------------------------------------------------------------

/// Walks a parsed file and collects every problem.
struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn problem(&mut self, path: &str, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.to_string(),
            message: message.into(),
        });
    }

    fn table<'v>(&mut self, value: &'v Value, path: &str) -> Option<&'v Table> {
        match value {
            Value::Table(t) => Some(t),
            other => {
                self.problem(
                    path,
                    format!("must be a table of fields, not {}", kind(other)),
                );
                None
            }
        }
    }

    fn fields(&mut self, t: &Table, path: &str, allowed: &[&str]) {
        for key in t.keys() {
            if !allowed.contains(&key.as_str()) {
                let known = allowed
                    .iter()
                    .map(|a| format!("\"{a}\""))
                    .collect::<Vec<_>>()
                    .join(", ");
                self.problem(
                    &join(path, key),
                    format!("unknown field; the fields here are {known}"),
                );
            }
        }
    }

    fn string<'v>(
        &mut self,
        t: &'v Table,
        path: &str,
        key: &str,
        required: bool,
    ) -> Option<&'v str> {
        match t.get(key) {
            Some(Value::String(s)) if s.trim().is_empty() => {
                self.problem(&join(path, key), "must not be empty");
                None
            }
            Some(Value::String(s)) => Some(s),
            Some(other) => {
                self.problem(
                    &join(path, key),
                    format!("must be text in quotes, not {}", kind(other)),
                );
                None
            }
            None if required => {
                self.problem(path, format!("\"{key}\" is missing"));
                None
            }
            None => None,
        }
    }

    fn number(
        &mut self,
        t: &Table,
        path: &str,
        key: &str,
        required: bool,
        range: (f64, f64),
        unit: &str,
    ) -> Option<f64> {
        let (min, max) = range;
        let n = match t.get(key) {
            Some(Value::Integer(i)) => *i as f64,
            Some(Value::Float(f)) if f.is_finite() => *f,
            Some(other) => {
                self.problem(
                    &join(path, key),
                    format!("must be a number, not {}", kind(other)),
                );
                return None;
            }
            None if required => {
                self.problem(path, format!("\"{key}\" is missing"));
                return None;
            }
            None => return None,
        };
        if n < min || n > max {
            self.problem(
                &join(path, key),
                format!("{n} is out of range: it must be from {min} to {max}{unit}"),
            );
            return None;
        }
        Some(n)
    }

    fn integer(
        &mut self,
        t: &Table,
        path: &str,
        key: &str,
        required: bool,
        min: i64,
        max: i64,
    ) -> Option<i64> {
        match t.get(key) {
            Some(Value::Integer(i)) if (min..=max).contains(i) => Some(*i),
            Some(Value::Integer(i)) => {
                self.problem(
                    &join(path, key),
                    format!("{i} is out of range: it must be from {min} to {max}"),
                );
                None
            }
            Some(other) => {
                self.problem(
                    &join(path, key),
                    format!("must be a whole number, not {}", kind(other)),
                );
                None
            }
            None if required => {
                self.problem(path, format!("\"{key}\" is missing"));
                None
            }
            None => None,
        }
    }

    fn array<'v>(&mut self, t: &'v Table, path: &str, key: &str, required: bool) -> &'v [Value] {
        match t.get(key) {
            Some(Value::Array(a)) if a.len() > max_entries(key) => {
                let most = max_entries(key);
                self.problem(
                    &join(path, key),
                    format!(
                        "{} entries are more than a scenario may have (at most {most})",
                        a.len()
                    ),
                );
                &a[..most]
            }
            Some(Value::Array(a)) => a,
            Some(other) => {
                self.problem(
                    &join(path, key),
                    format!("must be a list ([[{key}]] sections), not {}", kind(other)),
                );
                &[]
            }
            None if required => {
                self.problem(path, format!("\"{key}\" is missing"));
                &[]
            }
            None => &[],
        }
    }

    fn pair<'v>(&mut self, t: &'v Table, path: &str, key: &str) -> Option<(&'v str, &'v str)> {
        match t.get(key) {
            Some(Value::Array(a)) => match a.as_slice() {
                [Value::String(x), Value::String(y)] => Some((x, y)),
                _ => {
                    self.problem(
                        &join(path, key),
                        "must be two host names, like [\"Client PC\", \"Server\"]",
                    );
                    None
                }
            },
            Some(other) => {
                self.problem(
                    &join(path, key),
                    format!("must be two host names in a list, not {}", kind(other)),
                );
                None
            }
            None => None,
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "text",
        Value::Integer(_) => "a whole number",
        Value::Float(_) => "a number",
        Value::Boolean(_) => "true/false",
        Value::Datetime(_) => "a date",
        Value::Array(_) => "a list",
        Value::Table(_) => "a table",
    }
}

fn from_value(value: &Value) -> Result<Scenario, Vec<Problem>> {
    let mut c = Checker {
        problems: Vec::new(),
    };
    let Some(top) = c.table(value, "") else {
        return Err(c.problems);
    };
    check_top(&mut c, top);
    let hosts = check_hosts(&mut c, top);
    let linked = check_links(&mut c, top, &hosts);
    let processes = check_processes(&mut c, top, &hosts);
    check_actions(&mut c, top, &hosts, &processes);
    check_firewall(&mut c, top, &hosts);
    check_network(&mut c, top, &hosts, &linked);
    check_stages(&mut c, top);
    if !c.problems.is_empty() {
        return Err(c.problems);
    }
    // The walk above checked every field the structure has, so this only fails if the two
    // disagree; say so rather than panic.
    Scenario::deserialize(value.clone()).map_err(|e| {
        vec![Problem {
            path: String::new(),
            message: format!("could not be read: {e}"),
        }]
    })
}

/// The names a scenario gives its hosts and processes, each with the index of its entry.
type Names = BTreeMap<String, usize>;

/// The file's own fields: version, title, description, seed, duration.
fn check_top(c: &mut Checker, top: &Table) {
    c.fields(
        top,
        "",
        &[
            "version",
            "title",
            "description",
            "seed",
            "duration_ms",
            "hosts",
            "links",
            "processes",
            "actions",
            "firewall",
            "network",
            "stages",
        ],
    );
    if let Some(v) = c.integer(top, "", "version", true, 0, i64::MAX) {
        if v != i64::from(FORMAT_VERSION) {
            c.problem("version", format!("this file is format version {v}; this Socket Lab reads version {FORMAT_VERSION}"));
        }
    }
    c.string(top, "", "title", true);
    if top.contains_key("description") {
        if let Some(
            v @ (Value::Integer(_)
            | Value::Float(_)
            | Value::Boolean(_)
            | Value::Array(_)
            | Value::Table(_)
            | Value::Datetime(_)),
        ) = top.get("description")
        {
            c.problem(
                "description",
                format!("must be text in quotes, not {}", kind(v)),
            );
        }
    }
    c.integer(top, "", "seed", true, 0, i64::MAX);
    c.number(top, "", "duration_ms", false, (1.0, MAX_DURATION_MS), " ms");
}

fn known_host(c: &mut Checker, hosts: &Names, path: &str, name: &str) {
    if !hosts.contains_key(name) {
        c.problem(path, format!("there is no host named \"{name}\""));
    }
}

/// Hosts: unique names and usable, unique addresses. Returns the names.
fn check_hosts(c: &mut Checker, top: &Table) -> Names {
    // Hosts
    let mut host_names: BTreeMap<String, usize> = BTreeMap::new();
    let mut ips: BTreeMap<Ipv4Addr, usize> = BTreeMap::new();
    let hosts = c.array(top, "", "hosts", true);
    if hosts.is_empty() && top.contains_key("hosts") {
        c.problem("hosts", "a scenario needs at least one host");
    }
    for (i, h) in hosts.iter().enumerate() {
        let path = format!("hosts[{i}]");
        let Some(t) = c.table(h, &path) else { continue };
        c.fields(t, &path, HostDef::KEYS);
        if let Some(name) = c.string(t, &path, "name", true) {
            if let Some(first) = host_names.insert(name.to_string(), i) {
                c.problem(
                    &join(&path, "name"),
                    format!("\"{name}\" is already the name of hosts[{first}]"),
                );
            }
        }
        if let Some(ip) = c.string(t, &path, "ip", true) {
            match ip.parse::<Ipv4Addr>() {
                Err(_) => c.problem(&join(&path, "ip"), format!("\"{ip}\" is not an IPv4 address (four numbers from 0 to 255, like 192.168.1.102)")),
                Ok(a) if a.is_unspecified() || a.is_broadcast() || a.is_multicast() || a.is_loopback() || a.octets()[3] == 255 || a.octets()[3] == 0 => {
                    c.problem(&join(&path, "ip"), format!("{a} cannot be a host's address (it is unspecified, a network or broadcast address, multicast or loopback)"))
                }
                Ok(a) => {
                    if let Some(first) = ips.insert(a, i) {
                        c.problem(&join(&path, "ip"), format!("{a} is already the address of hosts[{first}]"));
                    }
                }
            }
        }
        if let Some(os) = c.string(t, &path, "os", false) {
            if parse_os(os).is_none() {
                c.problem(
                    &join(&path, "os"),
                    format!(
                        "\"{os}\" is not an OS profile; use \"linux\", \"windows\" or \"macos\""
                    ),
                );
            }
        }
    }
    host_names
}

/// Links: between two different known hosts, once each. Returns the linked pairs.
fn check_links(c: &mut Checker, top: &Table, hosts: &Names) -> BTreeSet<(String, String)> {
    // Links
    let mut linked = BTreeSet::new();
    for (i, l) in c.array(top, "", "links", false).iter().enumerate() {
        let path = format!("links[{i}]");
        let Some(t) = c.table(l, &path) else { continue };
        c.fields(t, &path, LinkDef::KEYS);
        match c.pair(t, &path, "between") {
            Some((a, b)) => {
                known_host(c, hosts, &join(&path, "between"), a);
                known_host(c, hosts, &join(&path, "between"), b);
                if a == b {
                    c.problem(
                        &join(&path, "between"),
                        format!("a link joins two different hosts, not \"{a}\" to itself"),
                    );
                } else if !linked.insert(link_key(a, b)) {
                    c.problem(
                        &join(&path, "between"),
                        format!("\"{a}\" and \"{b}\" are already linked"),
                    );
                }
            }
            None if !t.contains_key("between") => c.problem(&path, "\"between\" is missing"),
            None => {}
        }
        c.number(t, &path, "latency_ms", false, (0.001, 10_000.0), " ms");
        for key in ["loss", "duplicate", "reorder"] {
            c.number(t, &path, key, false, (0.0, 100.0), " %");
        }
        c.number(t, &path, "jitter_ms", false, (0.0, 10_000.0), " ms");
    }

    linked
}

/// Processes: unique names, known hosts and programs. Returns the names.
fn check_processes(c: &mut Checker, top: &Table, hosts: &Names) -> Names {
    // Processes
    let mut process_names: BTreeMap<String, usize> = BTreeMap::new();
    for (i, p) in c.array(top, "", "processes", false).iter().enumerate() {
        let path = format!("processes[{i}]");
        let Some(t) = c.table(p, &path) else { continue };
        c.fields(t, &path, ProcessDef::KEYS);
        if let Some(name) = c.string(t, &path, "name", true) {
            if name.contains(':') {
                c.problem(
                    &join(&path, "name"),
                    "must not contain \":\" (actions write \"name:milestone\")",
                );
            }
            if let Some(first) = process_names.insert(name.to_string(), i) {
                c.problem(
                    &join(&path, "name"),
                    format!("\"{name}\" is already the name of processes[{first}]"),
                );
            }
        }
        if let Some(host) = c.string(t, &path, "host", true) {
            known_host(c, hosts, &join(&path, "host"), host);
        }
        if let Some(program) = c.string(t, &path, "program", true) {
            if parse_program(program).is_none() {
                c.problem(
                    &join(&path, "program"),
                    format!(
                        "\"{program}\" is not a program Socket Lab knows; use one of {}",
                        names(PROGRAMS)
                    ),
                );
            }
        }
    }

    process_names
}

/// Actions: a known process, a time or a milestone, and the fields each kind of action takes.
fn check_actions(c: &mut Checker, top: &Table, hosts: &Names, processes: &Names) {
    for (i, a) in c.array(top, "", "actions", false).iter().enumerate() {
        let path = format!("actions[{i}]");
        let Some(t) = c.table(a, &path) else { continue };
        if let Some(p) = c.string(t, &path, "process", true) {
            if !processes.contains_key(p) {
                c.problem(
                    &join(&path, "process"),
                    format!("there is no process named \"{p}\""),
                );
            }
        }
        check_when(c, t, &path, processes);
        check_op(c, t, &path, hosts);
    }
}

/// An action's time: "at_ms", or "after" a process's milestone, with an optional delay.
fn check_when(c: &mut Checker, t: &Table, path: &str, processes: &Names) {
    let at = c.number(t, path, "at_ms", false, (0.0, MAX_DURATION_MS), " ms");
    let after = c.string(t, path, "after", false);
    c.number(t, path, "delay_ms", false, (0.0, MAX_DURATION_MS), " ms");
    match (
        at.is_some() || t.contains_key("at_ms"),
        after.is_some() || t.contains_key("after"),
    ) {
        (true, true) => c.problem(path, "give either \"at_ms\" or \"after\", not both"),
        (false, false) => c.problem(
            path,
            "say when: \"at_ms\" (a time) or \"after\" (like \"curl:connected\")",
        ),
        _ => {}
    }
    if t.contains_key("delay_ms") && !t.contains_key("after") {
        c.problem(&join(path, "delay_ms"), "only goes with \"after\"");
    }
    if let Some(after) = after {
        match after.split_once(':') {
            Some((p, m)) => {
                if !processes.contains_key(p) {
                    c.problem(
                        &join(path, "after"),
                        format!("there is no process named \"{p}\""),
                    );
                }
                if parse_milestone(m).is_none() {
                    c.problem(
                        &join(path, "after"),
                        format!(
                            "\"{m}\" is not a milestone; use one of {}",
                            names(MILESTONES)
                        ),
                    );
                }
            }
            None => c.problem(
                &join(path, "after"),
                format!("\"{after}\" must be \"process:milestone\", like \"curl:connected\""),
            ),
        }
    }
}

/// What an action does, and the fields that kind of action takes.
fn check_op(c: &mut Checker, t: &Table, path: &str, hosts: &Names) {
    let common = ["process", "at_ms", "after", "delay_ms", "do"];
    let op = c.string(t, path, "do", true);
    let extra: &[&str] = match op {
        Some("listen") => &["port", "backlog"],
        Some("connect") => &["to", "from_port", "auto"],
        Some("send") => &["data"],
        Some("close") => &[],
        Some(other) => {
            c.problem(&join(path, "do"), format!("\"{other}\" is not an action; use \"listen\", \"connect\", \"send\" or \"close\""));
            &["port", "backlog", "to", "from_port", "auto", "data"]
        }
        None => &["port", "backlog", "to", "from_port", "auto", "data"],
    };
    let allowed: Vec<&str> = common.iter().chain(extra).copied().collect();
    c.fields(t, path, &allowed);
    match op {
        Some("listen") => {
            c.integer(t, path, "port", true, 1, 65535);
            c.integer(t, path, "backlog", false, 1, 4096);
        }
        Some("connect") => {
            if let Some(to) = c.string(t, path, "to", true) {
                let ok = to.rsplit_once(':').is_some_and(|(h, p)| {
                    p.trim().parse::<u16>().is_ok_and(|p| p > 0)
                        && (hosts.contains_key(h.trim()) || h.trim().parse::<Ipv4Addr>().is_ok())
                });
                if !ok {
                    c.problem(&join(path, "to"), format!("\"{to}\" must be \"host name:port\" or \"address:port\", like \"Server:8099\" (a host this file names, a port from 1 to 65535)"));
                }
            }
            c.integer(t, path, "from_port", false, 1, 65535);
            if let Some(v) = t.get("auto") {
                if !v.is_bool() {
                    c.problem(
                        &join(path, "auto"),
                        format!("must be true or false, not {}", kind(v)),
                    );
                }
            }
        }
        Some("send") => {
            c.string(t, path, "data", true);
        }
        _ => {}
    }
}

/// Firewall rules: a known host, a protocol, a port, a verdict.
fn check_firewall(c: &mut Checker, top: &Table, hosts: &Names) {
    // Firewall rules
    for (i, f) in c.array(top, "", "firewall", false).iter().enumerate() {
        let path = format!("firewall[{i}]");
        let Some(t) = c.table(f, &path) else { continue };
        c.fields(t, &path, FirewallDef::KEYS);
        if let Some(h) = c.string(t, &path, "host", true) {
            known_host(c, hosts, &join(&path, "host"), h);
        }
        if let Some(p) = c.string(t, &path, "proto", true) {
            if parse_proto(p).is_none() {
                c.problem(
                    &join(&path, "proto"),
                    format!("\"{p}\" must be \"tcp\" or \"udp\""),
                );
            }
        }
        c.integer(t, &path, "port", true, 1, 65535);
        if let Some(v) = c.string(t, &path, "verdict", true) {
            if parse_verdict(v).is_none() {
                c.problem(
                    &join(&path, "verdict"),
                    format!("\"{v}\" must be \"drop\" (silence), \"reject\" (answer ICMP port unreachable, as iptables does) or \"reject-with-tcp-reset\" (answer TCP with RST)"),
                );
            }
        }
    }
}

/// Network events: a link that exists or a known host, going up or down at a time.
fn check_network(c: &mut Checker, top: &Table, hosts: &Names, linked: &BTreeSet<(String, String)>) {
    // Network events
    for (i, n) in c.array(top, "", "network", false).iter().enumerate() {
        let path = format!("network[{i}]");
        let Some(t) = c.table(n, &path) else { continue };
        c.fields(t, &path, NetEventDef::KEYS);
        c.number(t, &path, "at_ms", true, (0.0, MAX_DURATION_MS), " ms");
        let link = c.pair(t, &path, "link");
        let host = c.string(t, &path, "host", false);
        match (t.contains_key("link"), t.contains_key("host")) {
            (true, true) => c.problem(&path, "name either a \"link\" or a \"host\", not both"),
            (false, false) => c.problem(&path, "name the \"link\" or the \"host\" that changes"),
            _ => {}
        }
        if let Some((a, b)) = link {
            if !linked.contains(&link_key(a, b)) {
                c.problem(
                    &join(&path, "link"),
                    format!("there is no link between \"{a}\" and \"{b}\""),
                );
            }
        }
        if let Some(h) = host {
            known_host(c, hosts, &join(&path, "host"), h);
        }
        if let Some(s) = c.string(t, &path, "state", true) {
            if s != "up" && s != "down" {
                c.problem(
                    &join(&path, "state"),
                    format!("\"{s}\" must be \"down\" or \"up\""),
                );
            }
        }
    }
}

/// A walkthrough's stages, in time order.
fn check_stages(c: &mut Checker, top: &Table) {
    // Walkthrough stages, in time order
    let mut last_at = -1.0;
    for (i, s) in c.array(top, "", "stages", false).iter().enumerate() {
        let path = format!("stages[{i}]");
        let Some(t) = c.table(s, &path) else { continue };
        c.fields(t, &path, StageDef::KEYS);
        if let Some(at) = c.number(t, &path, "at_ms", true, (0.0, MAX_DURATION_MS), " ms") {
            if at < last_at {
                c.problem(&join(&path, "at_ms"), format!("stages must be in time order: {at} comes before the previous stage's {last_at}"));
            }
            last_at = at;
        }
        c.string(t, &path, "title", true);
        c.string(t, &path, "text", true);
    }
}
