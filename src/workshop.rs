//! The workshop's model, apart from the page: a scene being built (a [`Scenario`], the one
//! format files and links use), its history for undo and redo, the entries a learner adds
//! (named and addressed so that they already make sense), where a problem of the file's checks
//! belongs (`hosts[1].ip`: that entry's field), and the choices a field offers. The page
//! (`ui::workshop`) draws it; everything here is tested natively (`tests/workshop.rs`).

use crate::engine::program::PROGRAMS;
use crate::engine::scenario::{FieldValue, Scenario, FORMAT_VERSION, GOALS};

/// How many changes undo can go back through.
pub const UNDO_DEPTH: usize = 200;

/// A scene and its earlier versions: each change is a new version; undo and redo move
/// between them, and a change after an undo drops the versions it undid.
#[derive(Clone, Debug, PartialEq)]
pub struct History {
    versions: Vec<Scenario>,
    at: usize,
}

impl History {
    pub fn new(scene: Scenario) -> History {
        History {
            versions: vec![scene],
            at: 0,
        }
    }

    /// The scene as it is now.
    pub fn now(&self) -> &Scenario {
        &self.versions[self.at]
    }

    /// A new version of the scene (nothing if it is the same as now).
    pub fn change(&mut self, scene: Scenario) {
        if scene == *self.now() {
            return;
        }
        self.versions.truncate(self.at + 1);
        self.versions.push(scene);
        if self.versions.len() > UNDO_DEPTH + 1 {
            self.versions.remove(0);
        }
        self.at = self.versions.len() - 1;
    }

    pub fn can_undo(&self) -> bool {
        self.at > 0
    }

    pub fn can_redo(&self) -> bool {
        self.at + 1 < self.versions.len()
    }

    pub fn undo(&mut self) -> bool {
        let can = self.can_undo();
        if can {
            self.at -= 1;
        }
        can
    }

    pub fn redo(&mut self) -> bool {
        let can = self.can_redo();
        if can {
            self.at += 1;
        }
        can
    }
}

/// A scene with nothing in it yet, titled `title`.
pub fn blank(title: &str) -> Scenario {
    Scenario {
        version: FORMAT_VERSION,
        title: title.to_string(),
        seed: 1,
        ..Scenario::default()
    }
}

/// What the learner's language calls a new entry: the words a new host, program or stage
/// starts with (the page gives them from its catalog).
pub struct NewWords<'a> {
    pub host: &'a str,
    pub stage_title: &'a str,
    pub stage_text: &'a str,
}

/// `base`, or `base 2`, `base 3`…: the first that `taken` does not hold.
fn free_name(base: &str, taken: impl Fn(&str) -> bool) -> String {
    (1..)
        .map(|n| match n {
            1 => base.to_string(),
            n => format!("{base} {n}"),
        })
        .find(|name| !taken(name))
        .unwrap_or_default()
}

/// Whether a program is a server (it listens), by its name in a file.
pub fn is_server(program: &str) -> bool {
    program.ends_with("-server")
}

/// The scene with a new entry at the end of section `list`, filled in so that the scene
/// still checks where it can: a host with a name and an address of its own, a link between
/// hosts not yet linked, a program (a server on a host that has none, else a client), what it
/// does (a server listens on its port; a client connects to the first server), a firewall
/// rule, a network change, a stage.
pub fn with_new_entry(s: &Scenario, list: &str, words: &NewWords) -> Scenario {
    let mut s = s.clone();
    let hosts: Vec<String> = s.hosts.iter().map(|h| h.name.clone()).collect();
    let last_host = hosts.last().cloned().unwrap_or_default();
    if !s.insert_entry(list, usize::MAX) {
        return s;
    }
    let text = |t: &str| FieldValue::Text(t.to_string());
    let i = s.entries(list) - 1;
    let set = |s: &mut Scenario, key: &str, v: FieldValue| {
        let _ = s.set_field(Some(list), i, key, v);
    };
    match list {
        "hosts" => {
            let name = free_name(words.host, |n| hosts.iter().any(|h| h == n));
            let ip = (101..=254)
                .map(|n| format!("192.168.1.{n}"))
                .find(|ip| !s.hosts.iter().any(|h| h.ip == *ip))
                .unwrap_or_default();
            set(&mut s, "name", text(&name));
            set(&mut s, "ip", text(&ip));
        }
        "links" => {
            let linked = |a: &str, b: &str| {
                s.links.iter().any(|l| {
                    (l.between[0] == a && l.between[1] == b)
                        || (l.between[0] == b && l.between[1] == a)
                })
            };
            let pair = hosts
                .iter()
                .enumerate()
                .flat_map(|(i, a)| hosts[i + 1..].iter().map(move |b| (a, b)))
                .find(|(a, b)| !linked(a, b))
                .map(|(a, b)| [a.clone(), b.clone()])
                .unwrap_or_default();
            set(&mut s, "between", FieldValue::Pair(pair));
        }
        "processes" => {
            let serving = |host: &str| {
                s.processes
                    .iter()
                    .any(|p| p.host == host && is_server(&p.program))
            };
            // A server on the first host without one (most scenes have one server), else a
            // client on the last host.
            let (host, program) = match hosts.iter().find(|h| !serving(h)) {
                Some(h) if !s.processes.iter().any(|p| is_server(&p.program)) => {
                    (h.clone(), "node-server")
                }
                _ => (last_host.clone(), "curl"),
            };
            let name = free_name(command_of(program), |n| {
                s.processes.iter().any(|p| p.name == n)
            });
            set(&mut s, "name", text(&name));
            set(&mut s, "host", text(&host));
            set(&mut s, "program", text(program));
        }
        "actions" => {
            let Some(process) = s.processes.last().cloned() else {
                return s;
            };
            set(&mut s, "process", text(&process.name));
            if is_server(&process.program) {
                set(&mut s, "at_ms", FieldValue::Number(0.0));
                set(&mut s, "do", text("listen"));
                set(
                    &mut s,
                    "port",
                    FieldValue::Number(port_of(&process.program).into()),
                );
            } else {
                let server = s.processes.iter().find(|p| is_server(&p.program)).cloned();
                set(&mut s, "at_ms", FieldValue::Number(100.0));
                set(&mut s, "do", text("connect"));
                if let Some(server) = server {
                    let to = format!("{}:{}", server.host, port_of(&server.program));
                    set(&mut s, "to", text(&to));
                }
            }
        }
        "firewall" => {
            set(&mut s, "host", text(&last_host));
            set(&mut s, "proto", text("tcp"));
            set(&mut s, "port", FieldValue::Number(80.0));
            set(&mut s, "verdict", text("drop"));
        }
        "network" => {
            let link = s.links.first().map(|l| l.between.clone());
            set(&mut s, "at_ms", FieldValue::Number(1000.0));
            match link {
                Some(pair) => set(&mut s, "link", FieldValue::Pair(pair)),
                None => set(&mut s, "host", text(&last_host)),
            }
            set(&mut s, "state", text("down"));
        }
        "goals" => {
            // The first client gets its reply: the goal most challenges have.
            let client = s.processes.iter().find(|p| !is_server(&p.program)).cloned();
            set(&mut s, "goal", text("replies"));
            if let Some(p) = client.or_else(|| s.processes.first().cloned()) {
                set(&mut s, "process", text(&p.name));
            }
        }
        "stages" => {
            let at = s.stages.iter().map(|st| st.at_ms).fold(0.0, f64::max);
            let at = if s.stages.len() > 1 { at + 1000.0 } else { 0.0 };
            set(&mut s, "at_ms", FieldValue::Number(at));
            set(&mut s, "title", text(words.stage_title));
            set(&mut s, "text", text(words.stage_text));
        }
        _ => {}
    }
    s
}

/// The command a program runs as (`node` for `node-server`): a new process's name.
pub fn command_of(program: &str) -> &'static str {
    crate::engine::scenario::parse_program(program).map_or("app", |k| k.command())
}

/// The port a server program listens on unless told another.
fn port_of(program: &str) -> u16 {
    crate::engine::scenario::parse_program(program).map_or(8099, |k| k.default_port())
}

/// Where a problem of the file's checks belongs, from its path: the file's own field
/// (`title`), a section (`hosts`), an entry (`hosts[1]`) or an entry's field (`hosts[1].ip`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub list: Option<String>,
    pub index: Option<usize>,
    pub key: Option<String>,
}

/// A problem's path read as a [`Place`]; the file as a whole for an empty path.
pub fn place_of(path: &str) -> Place {
    let (head, key) = match path.split_once('.') {
        Some((head, key)) => (head, Some(key.to_string())),
        None => (path, None),
    };
    if let Some((list, rest)) = head.split_once('[') {
        let index = rest.trim_end_matches(']').parse().ok();
        return Place {
            list: Some(list.to_string()),
            index,
            key,
        };
    }
    let is_section = crate::engine::scenario::SECTIONS
        .iter()
        .any(|(l, _)| *l == head);
    match (is_section, head.is_empty()) {
        (true, _) => Place {
            list: Some(head.to_string()),
            index: None,
            key,
        },
        (false, true) => Place {
            list: None,
            index: None,
            key: None,
        },
        (false, false) => Place {
            list: None,
            index: None,
            key: Some(head.to_string()),
        },
    }
}

/// The path of a field, as the file's checks name it.
pub fn path_of(list: Option<&str>, index: usize, key: &str) -> String {
    match list {
        Some(list) => format!("{list}[{index}].{key}"),
        None => key.to_string(),
    }
}

/// The values a field may take, when they are few and known (the file's words, which a
/// choice shows as they are: `linux`, `node-server`), or the scene's names (hosts, processes);
/// `None` for a field of free text or a number.
pub fn choices(s: &Scenario, list: Option<&str>, key: &str) -> Option<Vec<String>> {
    let words = |w: &[&str]| Some(w.iter().map(|w| w.to_string()).collect());
    let hosts = || Some(s.hosts.iter().map(|h| h.name.clone()).collect());
    match (list?, key) {
        ("hosts", "os") => words(&["linux", "windows", "macos"]),
        ("processes", "program") => Some(PROGRAMS.iter().map(|(n, _)| n.to_string()).collect()),
        ("processes", "host") | ("firewall", "host") | ("network", "host") => hosts(),
        ("links", "between") | ("network", "link") => hosts(),
        ("actions", "process") => Some(s.processes.iter().map(|p| p.name.clone()).collect()),
        ("actions", "do") => words(&["listen", "connect", "send", "close"]),
        ("firewall", "proto") => words(&["tcp", "udp"]),
        ("firewall", "verdict") => words(&["drop", "reject", "reject-with-tcp-reset"]),
        ("network", "state") => words(&["down", "up"]),
        ("goals", "goal") => Some(GOALS.iter().map(|(g, _)| g.to_string()).collect()),
        ("goals", "process") => Some(s.processes.iter().map(|p| p.name.clone()).collect()),
        ("goals", "host") => hosts(),
        ("goals", "state") => Some(
            crate::engine::socket::SockState::ALL
                .iter()
                .map(|st| st.rfc_name().to_string())
                .collect(),
        ),
        _ => None,
    }
}

/// A number as a field shows it: the shortest decimal that reads back as it (as the file
/// writes it).
pub fn number_text(n: f64) -> String {
    crate::engine::scenario::number_text(n)
}

/// What the learner typed into a number's field: nothing (the field left out), or a number;
/// `None` if it is not one.
pub fn read_number(typed: &str) -> Option<FieldValue> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Some(FieldValue::Absent);
    }
    typed
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite())
        .map(FieldValue::Number)
}

/// The name a scene's file is saved under: its title in lowercase words joined by dashes
/// (letters of any script kept), or `scene`.
pub fn file_name(s: &Scenario) -> String {
    let mut name = String::new();
    for c in s.title.chars() {
        if c.is_alphanumeric() {
            name.extend(c.to_lowercase());
        } else if !name.is_empty() && !name.ends_with('-') {
            name.push('-');
        }
        if name.chars().count() >= 60 {
            break;
        }
    }
    let name = name.trim_end_matches('-');
    match name.is_empty() {
        true => "scene".to_string(),
        false => name.to_string(),
    }
}

/// The scene with one field set to `value`, as the workshop sets it: renaming a host or a
/// process renames it everywhere the scene names it (the processes on a host, the links,
/// rules and changes, an action's process, `to` and `after`), so that a scene which checked
/// still does (goals too). A value the field's type cannot hold changes nothing and says why.
pub fn edit(
    s: &Scenario,
    list: Option<&str>,
    index: usize,
    key: &str,
    value: FieldValue,
) -> Result<Scenario, crate::engine::scenario::Unfit> {
    let mut next = s.clone();
    next.set_field(list, index, key, value)?;
    match (list, key) {
        (Some("hosts"), "name") => {
            let (old, new) = (&s.hosts[index].name, next.hosts[index].name.clone());
            if *old != new
                && !s
                    .hosts
                    .iter()
                    .enumerate()
                    .any(|(i, h)| i != index && h.name == *old)
            {
                rename_host(&mut next, old, &new);
            }
        }
        (Some("processes"), "name") => {
            let (old, new) = (&s.processes[index].name, next.processes[index].name.clone());
            if *old != new
                && !s
                    .processes
                    .iter()
                    .enumerate()
                    .any(|(i, p)| i != index && p.name == *old)
            {
                rename_process(&mut next, old, &new);
            }
        }
        _ => {}
    }
    Ok(next)
}

fn rename_host(s: &mut Scenario, old: &str, new: &str) {
    let swap = |name: &mut String| {
        if name == old {
            *name = new.to_string();
        }
    };
    s.processes.iter_mut().for_each(|p| swap(&mut p.host));
    s.links
        .iter_mut()
        .for_each(|l| l.between.iter_mut().for_each(swap));
    s.firewall.iter_mut().for_each(|r| swap(&mut r.host));
    s.goals
        .iter_mut()
        .for_each(|g| g.host.iter_mut().for_each(swap));
    for n in &mut s.network {
        n.host.iter_mut().for_each(swap);
        n.link.iter_mut().flatten().for_each(swap);
    }
    for a in &mut s.actions {
        if let Some(port) =
            a.to.as_deref()
                .and_then(|to| to.strip_prefix(old)?.strip_prefix(':'))
        {
            a.to = Some(format!("{new}:{port}"));
        }
    }
}

fn rename_process(s: &mut Scenario, old: &str, new: &str) {
    for g in &mut s.goals {
        if g.process.as_deref() == Some(old) {
            g.process = Some(new.to_string());
        }
    }
    for a in &mut s.actions {
        if a.process == old {
            a.process = new.to_string();
        }
        if let Some(milestone) = a
            .after
            .as_deref()
            .and_then(|m| m.strip_prefix(old)?.strip_prefix(':'))
        {
            a.after = Some(format!("{new}:{milestone}"));
        }
    }
}

/// Whether a field shows at once in its entry, or under the entry's "more" (the fields most
/// scenes leave out). An action shows the fields of what it does (`does`: a listen its port, a
/// connect where to, a send its data), a goal those of its kind (`does`: its goal word). A field that is set, or has a problem, shows too (the page
/// opens "more" for it).
pub fn shown_first(list: Option<&str>, key: &str, does: Option<&str>) -> bool {
    match (list, key) {
        (None, k) => matches!(k, "title" | "seed"),
        (Some("hosts"), k) => k != "os",
        (Some("links"), k) => matches!(k, "between" | "latency_ms"),
        (Some("processes"), k) => k != "user",
        (Some("goals"), k) => {
            k == "goal"
                || GOALS
                    .iter()
                    .any(|(g, needs)| Some(*g) == does && needs.contains(&k))
        }
        (Some("actions"), k) => matches!(
            (k, does),
            ("process" | "do" | "at_ms", _)
                | ("port", Some("listen"))
                | ("to", Some("connect"))
                | ("data", Some("send"))
        ),
        _ => true,
    }
}
