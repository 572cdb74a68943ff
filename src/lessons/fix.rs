//! "Fix it": a broken setup (connection refused, port already in use, a firewall that drops
//! SYNs) that the learner repairs with the few controls a user has: a port, which program
//! runs, a firewall rule. The check applies the changes to the scenario, runs it again and
//! passes when the client's connection succeeds: the simulation says whether it works.

use crate::i18n::{tp, Msg};
use crate::vecmap::VecMap;

use super::question::Verdict;
use crate::engine::faults::Verdict as FirewallVerdict;
use crate::engine::scenario::{self, Scenario};
use crate::engine::timeline::Recording;
use crate::engine::wire::{put_bytes, take_byte, take_bytes, Wire};
use crate::engine::{AppStatus, Milestone, Pid, Sim, SockError};
use crate::view::scenes::host_name;
use serde::{Deserialize, Serialize};

/// Something a user could change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Control {
    /// The port a process listens on (its "listen" action).
    ListenPort { process: String },
    /// The port a process connects to (the port in its "connect" action's "to").
    ConnectPort { process: String },
    /// Which program a process runs ("node-server", "web-server", ...).
    Program { process: String },
    /// Whether the scenario's firewall rule number `index` (from 0) is there: "on" or "off".
    FirewallRule { index: usize },
}

/// A learner's changes: a value for some of the controls, by their place in the list.
pub type Changes = VecMap<usize, String>;

/// What the repaired setup must do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Goal {
    /// This client process connects and gets its reply.
    Replies(String),
    /// This server process listens (its listen() succeeds).
    Listens(String),
}

/// A broken setup to repair, and what it must do once repaired.
#[derive(Clone, Debug, PartialEq)]
pub struct FixIt {
    pub scenario: Scenario,
    pub controls: Vec<Control>,
    pub goal: Goal,
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

    /// Run the changed setup and judge it: right when the client gets its reply. (The web app
    /// runs it in its engine's worker instead, [`Run`], and says the outcome with
    /// [`FixIt::verdict`].)
    pub fn check(&self, changes: &Changes) -> Verdict {
        match self.apply(changes) {
            Ok(setup) => self.verdict(&Run::of(setup, &self.goal).go().0),
            Err(why) => Verdict::wrong(tp(Msg::FeedbackCannotSet, &[("why", &why)])),
        }
    }

    /// What a run's outcome says to the learner.
    pub fn verdict(&self, outcome: &Outcome) -> Verdict {
        let (who, listening) = match &self.goal {
            Goal::Replies(p) => (p, false),
            Goal::Listens(p) => (p, true),
        };
        let said = |msg: Msg, error: &str| tp(msg, &[("who", who), ("error", error)]);
        match outcome {
            Outcome::NothingRuns => Verdict::wrong(said(Msg::FeedbackNothingRuns, "")),
            Outcome::Works => Verdict::right(match listening {
                true => said(Msg::FeedbackWorksListens, ""),
                false => said(Msg::FeedbackWorksReplied, ""),
            }),
            Outcome::Fails(error) => Verdict::wrong(said(
                Msg::FeedbackStillFails,
                &crate::view::narrate::said(error),
            )),
            Outcome::Never => Verdict::wrong(match listening {
                true => said(Msg::FeedbackNeverListens, ""),
                false => said(Msg::FeedbackNeverReplied, ""),
            }),
        }
    }
}

/// What a repaired setup did, in no language: the engine's side of a check.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The goal's process got there.
    Works,
    /// Its socket call failed with this error, and it gave up.
    Fails(SockError),
    /// It ran, but never got there.
    Never,
    /// No process of the goal's name runs.
    NothingRuns,
}

/// A changed setup to run, and its goal: what the web app hands its engine's worker, which
/// answers with the outcome and the run's recording (`src/bin/socketlab-engine.rs`). The setup
/// goes as its scenario file (`Scenario::to_toml`), the one format a setup is written in.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    pub setup: String,
    pub goal: Goal,
}

/// A run's answer: its outcome, and its recording's bytes ([`Recording::encode`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Ran {
    pub outcome: Outcome,
    pub recording: Vec<u8>,
}

impl Run {
    /// A run as the web app sends it to its engine's worker.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.setup.put(&mut out);
        self.goal.put(&mut out);
        out
    }

    /// A run's bytes read back whole; `None` if they are not one.
    pub fn from_bytes(mut bytes: &[u8]) -> Option<Run> {
        let run = Run {
            setup: Wire::take(&mut bytes)?,
            goal: Wire::take(&mut bytes)?,
        };
        bytes.is_empty().then_some(run)
    }

    pub fn of(setup: Scenario, goal: &Goal) -> Run {
        Run {
            setup: setup.to_toml(),
            goal: goal.clone(),
        }
    }

    /// Run the setup in the engine. The scene is a shipped one, checked by its tests, and a
    /// control only sets what it has checked itself (a port, a known program, a rule that
    /// exists); a setup that does not read back (a request not from this app) runs nothing.
    pub fn go(&self) -> (Outcome, Recording) {
        let Ok(scenario) = scenario::from_toml(&self.setup) else {
            return nothing_ran();
        };
        let (mut sim, pids) = scenario.build_trusted_named();
        sim.run_until_idle(scenario.run_limit());
        let outcome = outcome(&self.goal, &sim, &pids);
        (outcome, Recording::of(sim, scenario.run_limit()))
    }
}

/// The engine worker's whole job: a [`Run`]'s bytes in, its [`Ran`]'s bytes out (compact
/// form, [`Wire`]). Bytes that are not a run get an answer that runs nothing.
pub fn serve(request: &[u8]) -> Vec<u8> {
    let (outcome, recording) = match Run::from_bytes(request) {
        Some(run) => run.go(),
        None => nothing_ran(),
    };
    let ran = Ran {
        outcome,
        recording: recording.encode(),
    };
    let mut out = Vec::new();
    ran.put(&mut out);
    out
}

impl Wire for Goal {
    fn put(&self, out: &mut Vec<u8>) {
        let (case, process) = match self {
            Goal::Replies(p) => (0, p),
            Goal::Listens(p) => (1, p),
        };
        out.push(case);
        process.put(out);
    }
    fn take(bytes: &mut &[u8]) -> Option<Self> {
        let case = take_byte(bytes)?;
        let process = String::take(bytes)?;
        match case {
            0 => Some(Goal::Replies(process)),
            1 => Some(Goal::Listens(process)),
            _ => None,
        }
    }
}

impl Wire for Outcome {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            Outcome::Works => out.push(0),
            Outcome::Fails(error) => {
                out.push(1);
                error.put(out);
            }
            Outcome::Never => out.push(2),
            Outcome::NothingRuns => out.push(3),
        }
    }
    fn take(bytes: &mut &[u8]) -> Option<Self> {
        match take_byte(bytes)? {
            0 => Some(Outcome::Works),
            1 => SockError::take(bytes).map(Outcome::Fails),
            2 => Some(Outcome::Never),
            3 => Some(Outcome::NothingRuns),
            _ => None,
        }
    }
}

impl Wire for Ran {
    fn put(&self, out: &mut Vec<u8>) {
        self.outcome.put(out);
        put_bytes(&self.recording, out);
    }
    fn take(bytes: &mut &[u8]) -> Option<Self> {
        Some(Ran {
            outcome: Wire::take(bytes)?,
            recording: take_bytes(bytes)?.to_vec(),
        })
    }
}

/// The answer to a request that is not a setup this app could have sent: nothing ran.
fn nothing_ran() -> (Outcome, Recording) {
    let empty = Recording::of(Sim::new(0), crate::engine::time::Instant::ZERO);
    (Outcome::NothingRuns, empty)
}

/// A worker's answer read back: the outcome and the run, checked; or, for developers, why it
/// cannot be.
pub fn read_answer(bytes: &[u8]) -> Result<(Outcome, Recording), String> {
    // No `{:?}` here: it would bring the types' names into the web app.
    let mut rest = bytes;
    let ran = Ran::take(&mut rest)
        .filter(|_| rest.is_empty())
        .ok_or("the answer does not read")?;
    let recording = Recording::decode(&ran.recording)
        .map_err(|_| "the answer's recording does not read".to_string())?;
    Ok((ran.outcome, recording))
}

fn outcome(goal: &Goal, sim: &Sim, pids: &VecMap<String, Pid>) -> Outcome {
    let (who, wanted) = match goal {
        Goal::Replies(p) => (p, Milestone::Replied),
        Goal::Listens(p) => (p, Milestone::Listening),
    };
    let Some(process) = pids.get(who).and_then(|pid| sim.process(*pid)) else {
        return Outcome::NothingRuns;
    };
    match (process.milestones().contains_key(&wanted), process.status()) {
        (true, _) => Outcome::Works,
        (false, AppStatus::Failed(error)) => Outcome::Fails(error.clone()),
        (false, _) => Outcome::Never,
    }
}

impl Control {
    /// What the control sets, in words: "The port node listens on".
    pub fn label(&self, s: &Scenario) -> String {
        let of = |msg: Msg, process: &str| tp(msg, &[("process", process)]);
        match self {
            Control::ListenPort { process } => of(Msg::FixListenPort, process),
            Control::ConnectPort { process } => of(Msg::FixConnectPort, process),
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
            Control::ConnectPort { process } => op(process, "connect").and_then(|a| {
                a.to.as_deref()?
                    .rsplit_once(':')
                    .map(|(_, p)| p.to_string())
            }),
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
                action(s, process, "listen")?.port = Some(p);
            }
            Control::ConnectPort { process } => {
                let p = port()?;
                let a = action(s, process, "connect")?;
                let host =
                    a.to.as_deref()
                        .and_then(|t| t.rsplit_once(':'))
                        .map(|(h, _)| h);
                a.to = Some(format!("{}:{p}", host.unwrap_or_default()));
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
