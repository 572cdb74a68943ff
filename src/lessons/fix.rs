//! "Fix it": a broken setup (connection refused, port already in use, a firewall that drops
//! SYNs) that the learner repairs with the few controls a user has: a port, which program
//! runs, a firewall rule. The check applies the changes to the scenario, runs it again and
//! passes when the client's connection succeeds: the simulation says whether it works.

use crate::i18n::{tp, Msg};
use crate::vecmap::VecMap;

use super::question::Verdict;
use crate::engine::scenario::{self, Scenario};
use crate::engine::{AppStatus, Milestone, Pid, Sim};
use crate::view::scenes::host_name;

/// Something a user could change.
#[derive(Clone, Debug, PartialEq, Eq)]
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
#[derive(Clone, Debug, PartialEq, Eq)]
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

    /// Run the changed setup and judge it: right when the client gets its reply.
    pub fn check(&self, changes: &Changes) -> Verdict {
        let scenario = match self.apply(changes) {
            Ok(s) => s,
            Err(why) => return Verdict::wrong(tp(Msg::FeedbackCannotSet, &[("why", &why)])),
        };
        // The scene is a shipped one, checked by its tests, and a control only sets what it
        // has checked itself (a port, a known program, a rule that exists), so the setup is
        // built without checking it again: the web app then needs no TOML reader.
        let (mut sim, pids) = scenario.build_trusted_named();
        sim.run_until_idle(scenario.run_limit());
        self.judge(&sim, &pids)
    }

    fn judge(&self, sim: &Sim, pids: &VecMap<String, Pid>) -> Verdict {
        let (who, wanted) = match &self.goal {
            Goal::Replies(p) => (p, Milestone::Replied),
            Goal::Listens(p) => (p, Milestone::Listening),
        };
        let said = |msg: Msg, error: &str| tp(msg, &[("who", who), ("error", error)]);
        let Some(process) = pids.get(who).and_then(|pid| sim.process(*pid)) else {
            return Verdict::wrong(said(Msg::FeedbackNothingRuns, ""));
        };
        let listening = wanted == Milestone::Listening;
        match (process.milestones().contains_key(&wanted), process.status()) {
            (true, _) => Verdict::right(match listening {
                true => said(Msg::FeedbackWorksListens, ""),
                false => said(Msg::FeedbackWorksReplied, ""),
            }),
            (false, AppStatus::Failed(error)) => Verdict::wrong(said(
                Msg::FeedbackStillFails,
                &crate::view::narrate::said(error),
            )),
            (false, _) => Verdict::wrong(match listening {
                true => said(Msg::FeedbackNeverListens, ""),
                false => said(Msg::FeedbackNeverReplied, ""),
            }),
        }
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
                Some(r) => tp(
                    Msg::FixRule,
                    &[
                        ("host", &host_name(&r.host)),
                        ("verdict", &r.verdict.to_string()),
                        ("proto", &r.proto.to_string()),
                        ("port", &r.port.to_string()),
                    ],
                ),
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
