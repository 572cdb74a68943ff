//! Goals: what a setup must do, stated as data in a lesson file and checked against the run the
//! engine recorded, never against the setup's fields. "curl gets its reply", "three sockets in
//! ESTABLISHED on Server:8099 at the same moment", "no segment is dropped", "the client's socket
//! reaches TIME-WAIT": each holds or not, and one that does not says what happened instead, from
//! the events (the error a call returned, the most sockets there were, the first drop and why).
//!
//! A goal reads only the recording (`Recording`), so the web app checks the run its engine's
//! worker sends back as the tests check one made natively.

use crate::engine::event::{DropReason, EventKind};
use crate::engine::net::HostId;
use crate::engine::scenario::Scenario;
use crate::engine::socket::{Pid, SockError, SockState};
use crate::engine::tables::Tables;
use crate::engine::timeline::Recording;
use crate::engine::wire::{take_byte, Wire};

/// A condition on a run.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Goal {
    /// This client process gets its reply: data arrives at one of its sockets.
    Replies(String),
    /// This server process listens: its listen() succeeds.
    Listens(String),
    /// This process's connect() succeeds: one of its sockets reaches ESTABLISHED.
    Connects(String),
    /// At one moment, at least `count` sockets of `host` with local port `port` are in
    /// ESTABLISHED (a server's connections, each with its own 4-tuple).
    Established { host: String, port: u16, count: u32 },
    /// No segment is dropped anywhere.
    NoDrops,
    /// A socket of `host` reaches `state` (the side that closes first reaches TIME-WAIT).
    Reaches { host: String, state: SockState },
}

/// What happened instead of a goal.
#[derive(Clone, Debug, PartialEq)]
pub enum Miss {
    /// No process of the goal's name ran.
    NoProcess,
    /// The process's socket call failed with this error (the last one it got).
    Failed(SockError),
    /// It ran, and nothing failed, but it never got there.
    Never,
    /// At most this many sockets were in ESTABLISHED at once.
    AtMost(u32),
    /// This many segments were dropped, the first for this reason.
    Dropped { count: usize, first: DropReason },
    /// No host of the goal's name is in the setup.
    NoHost,
}

/// A scene file's goals (a teacher's challenge, `[[goals]]`), as the checker's. The file's
/// checks have made sure each names what it needs; one that does not is left out.
pub fn of_scene(s: &Scenario) -> Vec<Goal> {
    s.goals.iter().filter_map(of_def).collect()
}

fn of_def(g: &crate::engine::scenario::GoalDef) -> Option<Goal> {
    Some(match g.goal.as_str() {
        "replies" => Goal::Replies(g.process.clone()?),
        "listens" => Goal::Listens(g.process.clone()?),
        "connects" => Goal::Connects(g.process.clone()?),
        "established" => Goal::Established {
            host: g.host.clone()?,
            port: g.port?,
            count: g.count?,
        },
        "no_drops" => Goal::NoDrops,
        "reaches" => Goal::Reaches {
            host: g.host.clone()?,
            state: SockState::from_rfc_name(g.state.as_deref()?)?,
        },
        _ => return None,
    })
}

/// Whether `goal` holds in `run`, the recorded run of `setup`, or what happened instead.
pub fn check(goal: &Goal, run: &Recording, setup: &Scenario) -> Result<(), Miss> {
    match goal {
        Goal::Replies(name) | Goal::Listens(name) | Goal::Connects(name) => {
            let pid = pid_of(run, setup, name).ok_or(Miss::NoProcess)?;
            process_goal(goal, pid, run)
        }
        Goal::Established { host, port, count } => {
            let host = host_id(run, host).ok_or(Miss::NoHost)?;
            let most = most_established(run, host, *port);
            if most >= *count {
                Ok(())
            } else {
                Err(Miss::AtMost(most))
            }
        }
        Goal::NoDrops => {
            let mut drops = run.events.iter().filter_map(|e| match &e.kind {
                EventKind::SegmentDropped { reason, .. } => Some(reason),
                _ => None,
            });
            match drops.next() {
                None => Ok(()),
                Some(first) => Err(Miss::Dropped {
                    count: 1 + drops.count(),
                    first: first.clone(),
                }),
            }
        }
        Goal::Reaches { host, state } => {
            let host = host_id(run, host).ok_or(Miss::NoHost)?;
            let reached = run.events.iter().any(|e| match &e.kind {
                EventKind::StateChanged { host: h, to, .. } => *h == host && to == state,
                _ => false,
            });
            if reached {
                Ok(())
            } else {
                Err(Miss::Never)
            }
        }
    }
}

fn host_id(run: &Recording, name: &str) -> Option<HostId> {
    run.hosts.iter().position(|h| h.name == name).map(HostId)
}

/// The pid of the setup's process called `name`: the setup starts its processes in its order,
/// each host's taking the next pid there, before anything else happens, so the process is its
/// host's n-th to start (of those the setup could start).
fn pid_of(run: &Recording, setup: &Scenario, name: &str) -> Option<Pid> {
    let p = setup.processes.iter().find(|p| p.name == name)?;
    let host = host_id(run, &p.host)?;
    let startable = |q: &&crate::engine::scenario::ProcessDef| {
        q.host == p.host && crate::engine::scenario::parse_program(&q.program).is_some()
    };
    let nth = setup
        .processes
        .iter()
        .filter(startable)
        .position(|q| q.name == name)?;
    run.events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::ProcessStarted { pid, .. } if pid.host == host => Some(*pid),
            _ => None,
        })
        .nth(nth)
}

/// A process's goal: the process and any it forked (a forking server's children serve its
/// connections), the sockets they hold in the tables the events build ([`Tables`]), and
/// whether the wanted thing happened to one of them.
fn process_goal(goal: &Goal, pid: Pid, run: &Recording) -> Result<(), Miss> {
    let mut pids: Vec<Pid> = vec![pid];
    let mut tables = Tables::new(run.hosts.len());
    let mut failed = None;
    for e in &run.events {
        tables.apply(&e.kind);
        match &e.kind {
            EventKind::Forked { parent, child, .. } if pids.contains(parent) => pids.push(*child),
            EventKind::ErrorReturned { pid, error, .. } if pids.contains(pid) => {
                failed = Some(error.clone());
            }
            _ => {}
        }
        // One of its sockets reaches `state` with this event.
        let reaches = |state: SockState| match &e.kind {
            EventKind::StateChanged { host, sock, to, .. } => {
                *to == state
                    && tables
                        .row(*host, *sock)
                        .and_then(|r| r.pid)
                        .is_some_and(|p| pids.contains(&p))
            }
            _ => false,
        };
        let done = match (goal, &e.kind) {
            (Goal::Replies(_), EventKind::DataDelivered { pid, bytes, .. }) => {
                pids.contains(pid) && !bytes.is_empty()
            }
            (Goal::Listens(_), _) => reaches(SockState::Listen),
            (Goal::Connects(_), _) => reaches(SockState::Established),
            _ => false,
        };
        if done {
            return Ok(());
        }
    }
    match failed {
        Some(error) => Err(Miss::Failed(error)),
        None => Err(Miss::Never),
    }
}

/// The most sockets of `host` with local port `port` in ESTABLISHED at one moment, in the
/// tables the events build.
fn most_established(run: &Recording, host: HostId, port: u16) -> u32 {
    let mut tables = Tables::new(run.hosts.len());
    let mut most = 0;
    for e in &run.events {
        tables.apply(&e.kind);
        if e.kind.host() == Some(host) {
            let now = tables
                .sockets_of(host)
                .filter(|r| r.state == SockState::Established)
                .filter(|r| r.local.is_some_and(|l| l.port() == port))
                .count();
            most = most.max(now as u32);
        }
    }
    most
}

/// A goal's result, as the learner reads it: "It works: curl connected and got its reply.", or
/// what happened instead ("Not yet: curl still fails: connect() returned ECONNREFUSED ...").
pub fn said(goal: &Goal, result: &Result<(), Miss>) -> String {
    use crate::i18n::{tn, tp, Msg};
    let (who, host, port, count, state) = match goal {
        Goal::Replies(p) | Goal::Listens(p) | Goal::Connects(p) => (p.as_str(), "", 0, 0, ""),
        Goal::Established { host, port, count } => ("", host.as_str(), *port, *count, ""),
        Goal::Reaches { host, state } => ("", host.as_str(), 0, 0, state.rfc_name()),
        Goal::NoDrops => ("", "", 0, 0, ""),
    };
    let host = crate::view::scenes::host_name(host);
    let (port, count) = (port.to_string(), count.to_string());
    let say = |msg: Msg, extra: &[(&str, &str)]| {
        let mut args = vec![
            ("who", who),
            ("host", &*host),
            ("port", port.as_str()),
            ("count", count.as_str()),
            ("state", state),
        ];
        args.extend_from_slice(extra);
        tp(msg, &args)
    };
    match (goal, result) {
        (Goal::Replies(_), Ok(())) => say(Msg::FeedbackWorksReplied, &[]),
        (Goal::Listens(_), Ok(())) => say(Msg::FeedbackWorksListens, &[]),
        (Goal::Connects(_), Ok(())) => say(Msg::FeedbackWorksConnects, &[]),
        (Goal::Established { .. }, Ok(())) => say(Msg::FeedbackWorksEstablished, &[]),
        (Goal::NoDrops, Ok(())) => say(Msg::FeedbackWorksNoDrops, &[]),
        (Goal::Reaches { .. }, Ok(())) => say(Msg::FeedbackWorksReaches, &[]),
        (_, Err(Miss::NoProcess)) => say(Msg::FeedbackNothingRuns, &[]),
        (_, Err(Miss::NoHost)) => say(Msg::FeedbackNoHost, &[]),
        (_, Err(Miss::Failed(error))) => say(
            Msg::FeedbackStillFails,
            &[("error", &crate::view::narrate::said(error))],
        ),
        (Goal::Listens(_), Err(_)) => say(Msg::FeedbackNeverListens, &[]),
        (Goal::Connects(_), Err(_)) => say(Msg::FeedbackNeverConnects, &[]),
        (Goal::Reaches { .. }, Err(_)) => say(Msg::FeedbackNeverReaches, &[]),
        (_, Err(Miss::AtMost(n))) => say(Msg::FeedbackAtMost, &[("n", &n.to_string())]),
        (_, Err(Miss::Dropped { count, first })) => tn(
            Msg::FeedbackDropped,
            *count as u64,
            &[
                ("n", &count.to_string()),
                ("reason", &crate::view::narrate::drop_reason(first)),
            ],
        ),
        (_, Err(Miss::Never)) => say(Msg::FeedbackNeverReplied, &[]),
    }
}

impl Wire for Goal {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            Goal::Replies(p) => {
                out.push(0);
                p.put(out);
            }
            Goal::Listens(p) => {
                out.push(1);
                p.put(out);
            }
            Goal::Connects(p) => {
                out.push(2);
                p.put(out);
            }
            Goal::Established { host, port, count } => {
                out.push(3);
                host.put(out);
                port.put(out);
                count.put(out);
            }
            Goal::NoDrops => out.push(4),
            Goal::Reaches { host, state } => {
                out.push(5);
                host.put(out);
                state.put(out);
            }
        }
    }
    fn take(bytes: &mut &[u8]) -> Option<Self> {
        Some(match take_byte(bytes)? {
            0 => Goal::Replies(Wire::take(bytes)?),
            1 => Goal::Listens(Wire::take(bytes)?),
            2 => Goal::Connects(Wire::take(bytes)?),
            3 => Goal::Established {
                host: Wire::take(bytes)?,
                port: Wire::take(bytes)?,
                count: Wire::take(bytes)?,
            },
            4 => Goal::NoDrops,
            5 => Goal::Reaches {
                host: Wire::take(bytes)?,
                state: Wire::take(bytes)?,
            },
            _ => return None,
        })
    }
}

/// A goal's result: a 0 when it holds, else the case of what happened instead and its fields.
impl Wire for Result<(), Miss> {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            Ok(()) => out.push(0),
            Err(Miss::NoProcess) => out.push(1),
            Err(Miss::Failed(error)) => {
                out.push(2);
                error.put(out);
            }
            Err(Miss::Never) => out.push(3),
            Err(Miss::AtMost(n)) => {
                out.push(4);
                n.put(out);
            }
            Err(Miss::Dropped { count, first }) => {
                out.push(5);
                count.put(out);
                first.put(out);
            }
            Err(Miss::NoHost) => out.push(6),
        }
    }
    fn take(bytes: &mut &[u8]) -> Option<Self> {
        Some(match take_byte(bytes)? {
            0 => Ok(()),
            1 => Err(Miss::NoProcess),
            2 => Err(Miss::Failed(Wire::take(bytes)?)),
            3 => Err(Miss::Never),
            4 => Err(Miss::AtMost(Wire::take(bytes)?)),
            5 => Err(Miss::Dropped {
                count: Wire::take(bytes)?,
                first: Wire::take(bytes)?,
            }),
            6 => Err(Miss::NoHost),
            _ => return None,
        })
    }
}
