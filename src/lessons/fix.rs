//! "Fix it": a broken setup (connection refused, port already in use, a firewall that drops
//! SYNs) that the learner repairs with the few controls a user has: a port, which program
//! runs, a firewall rule. The check applies the changes to the scenario, runs it again and
//! passes when the client's connection succeeds: the simulation says whether it works.

use crate::i18n::{tp, Msg};
use crate::vecmap::VecMap;

use super::goals;
pub use super::goals::{Goal, Miss};
use super::question::Verdict;
use crate::engine::faults::Verdict as FirewallVerdict;
use crate::engine::scenario::{self, Scenario};
use crate::engine::timeline::Recording;
use crate::engine::wire::{put_bytes, take_bytes, Wire};
use crate::engine::Sim;
use crate::view::scenes::host_name;
use serde::{Deserialize, Serialize};

/// Something a user could change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Control {
    /// The port a process listens on (its "listen" action).
    ListenPort { process: String },
    /// The port a process connects to (the port in its "connect" action's "to").
    ConnectPort { process: String },
    /// The host a process connects to (the host in its "connect" action's "to": a host's name
    /// or an IPv4 address).
    ConnectHost { process: String },
    /// Which program a process runs ("node-server", "web-server", ...).
    Program { process: String },
    /// Whether the scenario's firewall rule number `index` (from 0) is there: "on" or "off".
    FirewallRule { index: usize },
}

/// A learner's changes: a value for some of the controls, by their place in the list.
pub type Changes = VecMap<usize, String>;

/// A broken setup to repair, and what it must do once repaired.
#[derive(Clone, Debug, PartialEq)]
pub struct FixIt {
    pub scenario: Scenario,
    pub controls: Vec<Control>,
    /// What the repaired setup must do: every one must hold.
    pub goals: Vec<Goal>,
}

impl FixIt {
    /// The scenario with the changes made, or a sentence about the first change that cannot
    /// be made (nothing is changed then).
    #[inline(never)]
    pub fn apply(&self, changes: &Changes) -> Result<Scenario, String> {
        let mut s = self.scenario.clone();
        // Rules switched off are taken out last, highest first, so the others keep their
        // numbers meanwhile.
        let mut off = Vec::new();
        for (&i, value) in changes {
            let control = self
                .controls
                .get(i)
                .ok_or_else(|| tp(Msg::FixNoControl, &[("n", &(i + 1).to_string())]))?;
            if control.set(&mut s, value.trim())? {
                if let Control::FirewallRule { index } = control {
                    off.push(*index);
                }
            }
        }
        crate::vecmap::sort(&mut off);
        off.dedup();
        for index in off.into_iter().rev() {
            s.firewall.remove(index);
        }
        Ok(s)
    }

    /// Run the changed setup and judge it: right when every goal holds. (The web app runs it
    /// in its engine's worker instead, [`Run`], and says what came back with
    /// [`FixIt::verdict`].)
    pub fn check(&self, changes: &Changes) -> Verdict {
        match self.apply(changes) {
            Ok(setup) => self.verdict(&Run::of(setup, &self.goals).go().0),
            Err(why) => Verdict::wrong(tp(Msg::FeedbackCannotSet, &[("why", &why)])),
        }
    }

    /// What a run's results say to the learner (one per goal, in order): for each goal, that it
    /// holds, or what happened instead; right when every one holds.
    pub fn verdict(&self, results: &[Checked]) -> Verdict {
        let said: Vec<String> = self
            .goals
            .iter()
            .zip(results)
            .map(|(g, r)| goals::said(g, r))
            .collect();
        let feedback = said.join(" ");
        match results.len() == self.goals.len() && results.iter().all(Result::is_ok) {
            true => Verdict::right(feedback),
            false => Verdict::wrong(feedback),
        }
    }
}

/// One goal's result: it holds, or what happened instead.
pub type Checked = Result<(), Miss>;

/// A changed setup to run, and its goals: what the web app hands its engine's worker, which
/// runs it and checks the goals against the run (`src/bin/socketlab-engine.rs`), so that the
/// checker's code loads with the engine, not with the lesson. The setup goes as its scenario
/// file (`Scenario::to_toml`), the one format a setup is written in.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Run {
    pub setup: String,
    pub goals: Vec<Goal>,
}

impl Run {
    pub fn of(setup: Scenario, goals: &[Goal]) -> Run {
        Run {
            setup: setup.to_toml(),
            goals: goals.to_vec(),
        }
    }

    /// Run the setup in the engine and check each goal against the run. The scene is a shipped
    /// one, checked by its tests, and a control only sets what it has checked itself (a port, a
    /// known program, a rule that exists); a setup that does not read back (a request not from
    /// this app) runs nothing.
    pub fn go(&self) -> (Vec<Checked>, Recording) {
        match scenario::from_toml(&self.setup) {
            Ok(setup) => {
                let run = Recording::of(setup.build_trusted(), setup.run_limit());
                let results = self.goals.iter().map(|g| goals::check(g, &run, &setup));
                (results.collect(), run)
            }
            Err(_) => (
                self.goals.iter().map(|_| Err(Miss::NoProcess)).collect(),
                Recording::of(Sim::new(0), crate::engine::time::Instant::ZERO),
            ),
        }
    }

    /// The run as the page sends it to its engine's worker.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.put(&mut out);
        out
    }
}

/// The engine worker's whole job: a [`Run`]'s bytes in; out, each goal's result and the run's
/// recording ([`Recording::encode`]). Bytes that are not a run run nothing.
pub fn serve(mut request: &[u8]) -> Vec<u8> {
    let run = Run::take(&mut request)
        .filter(|_| request.is_empty())
        .unwrap_or_default();
    let (results, recording) = run.go();
    let mut out = Vec::new();
    results.put(&mut out);
    put_bytes(&recording.encode(), &mut out);
    out
}

impl Wire for Run {
    fn put(&self, out: &mut Vec<u8>) {
        self.setup.put(out);
        self.goals.put(out);
    }
    fn take(bytes: &mut &[u8]) -> Option<Self> {
        Some(Run {
            setup: Wire::take(bytes)?,
            goals: Wire::take(bytes)?,
        })
    }
}

/// A worker's answer read back: each goal's result and the run, checked; or, for developers,
/// why it cannot be.
pub fn read_answer(mut bytes: &[u8]) -> Result<(Vec<Checked>, Recording), String> {
    let results = Vec::<Checked>::take(&mut bytes);
    let recording = take_bytes(&mut bytes).filter(|_| bytes.is_empty());
    match (results, recording) {
        (Some(results), Some(recording)) => Recording::decode(recording)
            .map(|run| (results, run))
            .map_err(|_| "the answer's recording does not read".to_string()),
        _ => Err("the answer does not read".to_string()),
    }
}

impl Control {
    /// What the control sets, in words: "The port node listens on".
    pub fn label(&self, s: &Scenario) -> String {
        let of = |msg: Msg, process: &str| tp(msg, &[("process", process)]);
        match self {
            Control::ListenPort { process } => of(Msg::FixListenPort, process),
            Control::ConnectPort { process } => of(Msg::FixConnectPort, process),
            Control::ConnectHost { process } => of(Msg::FixConnectHost, process),
            Control::Program { process } => of(Msg::FixProgram, process),
            Control::FirewallRule { index } => match s.firewall.get(*index) {
                // What the rule does, in the learner's words (not the scenario's `drop`).
                Some(r) => match scenario::parse_verdict(&r.verdict) {
                    Some(verdict) => tp(
                        match verdict {
                            FirewallVerdict::Drop => Msg::FixRuleDrop,
                            FirewallVerdict::Reject => Msg::FixRuleReject,
                            FirewallVerdict::RejectWithTcpReset => Msg::FixRuleReset,
                        },
                        &[
                            ("host", &host_name(&r.host)),
                            ("proto", &r.proto.to_ascii_uppercase()),
                            ("port", &r.port.to_string()),
                        ],
                    ),
                    None => tp(Msg::FixRuleN, &[("n", &(index + 1).to_string())]),
                },
                None => tp(Msg::FixRuleN, &[("n", &(index + 1).to_string())]),
            },
        }
    }

    /// Its value in the setup as it is: a port, a program, or "on" for a rule.
    pub fn current(&self, s: &Scenario) -> String {
        let op = |process: &str, op: &str| {
            s.actions
                .iter()
                .find(|a| a.process == process && a.op == op)
        };
        match self {
            Control::ListenPort { process } => op(process, "listen")
                .and_then(|a| a.port)
                .map(|p| p.to_string()),
            Control::ConnectPort { process } => {
                op(process, "connect").and_then(|a| Some(host_and_port(a)?.1.to_string()))
            }
            Control::ConnectHost { process } => {
                op(process, "connect").and_then(|a| Some(host_and_port(a)?.0.to_string()))
            }
            Control::Program { process } => s
                .processes
                .iter()
                .find(|p| p.name == *process)
                .map(|p| p.program.clone()),
            Control::FirewallRule { .. } => Some("on".to_string()),
        }
        .unwrap_or_default()
    }

    /// Set this control in `s` to `value`. True for a firewall rule to take out (the caller
    /// does, once every control is set).
    fn set(&self, s: &mut Scenario, value: &str) -> Result<bool, String> {
        let port = || -> Result<u16, String> {
            value
                .parse::<u16>()
                .ok()
                .filter(|p| *p > 0)
                .ok_or_else(|| tp(Msg::FixNotAPort, &[("value", value)]))
        };
        match self {
            Control::ListenPort { process } => {
                let p = port()?;
                let listens = s
                    .actions
                    .iter_mut()
                    .find(|a| a.process == *process && a.op == "listen");
                match listens {
                    Some(a) => a.port = Some(p),
                    // A server that was never told to listen: it listens from the start.
                    None if s.processes.iter().any(|q| q.name == *process) => {
                        s.actions.insert(0, listen_at_start(process, p))
                    }
                    None => return Err(tp(Msg::FixNoProcess, &[("process", process)])),
                }
            }
            Control::ConnectPort { process } => {
                let p = port()?;
                let a = action(s, process, "connect")?;
                let host = host_and_port(a).map_or("", |(h, _)| h);
                a.to = Some(format!("{host}:{p}"));
            }
            Control::ConnectHost { process } => {
                let known = s.hosts.iter().any(|h| h.name == value)
                    || value.parse::<std::net::Ipv4Addr>().is_ok();
                if !known {
                    return Err(tp(Msg::FixNotAnAddress, &[("value", value)]));
                }
                let a = action(s, process, "connect")?;
                let port = host_and_port(a).map_or("", |(_, p)| p);
                a.to = Some(format!("{value}:{port}"));
            }
            Control::Program { process } => {
                if !scenario::PROGRAMS.iter().any(|(name, _)| *name == value) {
                    return Err(tp(Msg::FixUnknownProgram, &[("value", value)]));
                }
                let p = s
                    .processes
                    .iter_mut()
                    .find(|p| p.name == *process)
                    .ok_or_else(|| tp(Msg::FixNoProcess, &[("process", process)]))?;
                p.program = value.to_string();
            }
            Control::FirewallRule { index } => {
                if *index >= s.firewall.len() {
                    return Err(tp(Msg::FixNoRule, &[("n", &(index + 1).to_string())]));
                }
                return match value {
                    "on" => Ok(false),
                    "off" => Ok(true),
                    other => Err(tp(Msg::FixOnOrOff, &[("value", other)])),
                };
            }
        }
        Ok(false)
    }
}

/// A connect action's "to", as its host (a name or an address) and its port.
fn host_and_port(a: &scenario::ActionDef) -> Option<(&str, &str)> {
    a.to.as_deref()?.rsplit_once(':')
}

/// `process` listens on `port` from the start.
fn listen_at_start(process: &str, port: u16) -> scenario::ActionDef {
    scenario::ActionDef {
        process: process.to_string(),
        at_ms: Some(0.0),
        after: None,
        delay_ms: None,
        op: "listen".to_string(),
        port: Some(port),
        backlog: None,
        to: None,
        from_port: None,
        auto: None,
        keep_alive: None,
        data: None,
    }
}

/// A process's first action of a kind (`op`: "listen", "connect").
fn action<'s>(
    s: &'s mut Scenario,
    process: &str,
    op: &str,
) -> Result<&'s mut scenario::ActionDef, String> {
    s.actions
        .iter_mut()
        .find(|a| a.process == process && a.op == op)
        .ok_or_else(|| tp(Msg::FixNoAction, &[("process", process), ("op", op)]))
}
