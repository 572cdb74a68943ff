//! "What's wrong?" challenges, the lessons' side: a working scene with one fault put into it,
//! picked by a seed (so a teacher can give a class the same one), the controls a user has to
//! fix it, and the goals that decide, checked against the run as a fix-it's are. The learner is
//! to name the cause ([`Fault`]) from the segments, the narration and the `ss` view, then fix
//! it. A challenge lesson (`challenge = true` in its file) is the words; [`lesson`] makes the
//! lesson a seed draws, which the page shows and a test replays.
//!
//! Every fault keeps the scene a real one: the engine runs it and says what a real network
//! would, so a fault is diagnosed from what happens, never from the setup's text.

use crate::engine::rng::Rng;
use crate::engine::scenario::{FirewallDef, ProcessDef, Scenario};

use super::file::{Ask, Lesson};
use super::fix::{Changes, Control, FixIt, Goal};

/// What is wrong with the scene: the causes a learner chooses from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// The server listens on another port than the one its clients connect to: RST.
    OtherPort,
    /// A firewall on the server drops the clients' SYNs: they retry, then time out.
    FirewallDrop,
    /// A firewall on the server rejects them: ICMP port unreachable, connection refused at once.
    FirewallReject,
    /// Another process already listens on the server's port: its listen() fails (EADDRINUSE),
    /// and the clients reach the other process.
    PortInUse,
    /// The client connects to an address where no host is: its SYNs go nowhere and it times
    /// out.
    WrongAddress,
    /// The server program runs but was never told to listen: nothing listens on the port, and
    /// the server's host answers each SYN with RST.
    NotListening,
}

impl Fault {
    pub const ALL: [Fault; 6] = [
        Fault::OtherPort,
        Fault::FirewallDrop,
        Fault::FirewallReject,
        Fault::PortInUse,
        Fault::WrongAddress,
        Fault::NotListening,
    ];

    /// As a challenge's file names it (a diagnose question's `answer`).
    pub fn key(self) -> &'static str {
        match self {
            Fault::OtherPort => "other-port",
            Fault::FirewallDrop => "firewall-drop",
            Fault::FirewallReject => "firewall-reject",
            Fault::PortInUse => "port-in-use",
            Fault::WrongAddress => "wrong-address",
            Fault::NotListening => "not-listening",
        }
    }

    pub fn from_key(key: &str) -> Option<Fault> {
        Fault::ALL.into_iter().find(|f| f.key() == key)
    }
}

/// One challenge: its fault, and the broken setup with the controls and goals that judge a fix.
#[derive(Clone, Debug, PartialEq)]
pub struct Challenge {
    pub fault: Fault,
    pub fix: FixIt,
    /// A value for each control that fixes it, and one that does not.
    pub solution: Changes,
    pub wrong: Changes,
}

/// The server process of a challenge's scene, the port it should listen on, and the client
/// whose reply the goals ask for.
const SERVER: &str = "node";
const PORT: u16 = 8099;
const CLIENT: &str = "curl";

/// The processes a challenge is about: the server, then the client.
pub const PROCESSES: [&str; 2] = [SERVER, CLIENT];

/// The ports a programmer might pick instead of the server's.
const OTHER_PORTS: [u16; 5] = [8080, 8000, 3000, 8098, 9099];

/// What a seed draws: a fault and, for a server on another port, that port. Everything else
/// about a challenge follows from these, so a handful of setups cover every seed, each shipped
/// with its recorded run ([`Drawn::scene`]): the page plays a challenge as it plays a lesson.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Drawn {
    pub fault: Fault,
    /// The port the server listens on instead, for [`Fault::OtherPort`]; 0 otherwise.
    pub other: u16,
}

impl Drawn {
    /// What `seed` draws: the same every time.
    pub fn of(seed: u64) -> Drawn {
        let mut rng = Rng::new(seed);
        let fault = Fault::ALL[rng.below(Fault::ALL.len() as u64) as usize];
        let other = OTHER_PORTS[rng.below(OTHER_PORTS.len() as u64) as usize];
        Drawn {
            fault,
            other: if fault == Fault::OtherPort { other } else { 0 },
        }
    }

    /// Everything a seed can draw.
    pub fn all() -> Vec<Drawn> {
        Fault::ALL
            .iter()
            .flat_map(|&fault| {
                match fault {
                    Fault::OtherPort => OTHER_PORTS.to_vec(),
                    _ => vec![0],
                }
                .into_iter()
                .map(move |other| Drawn { fault, other })
            })
            .collect()
    }

    /// Its setup's scene id, the name of its recorded run (`recordings/<id>.bin`):
    /// "whats-wrong-firewall-drop", "whats-wrong-other-port-8080".
    pub fn scene(&self) -> String {
        match self.other {
            0 => format!("whats-wrong-{}", self.fault.key()),
            port => format!("whats-wrong-{}-{port}", self.fault.key()),
        }
    }
}

/// The challenge that `seed` draws from `base`, a working scene in which `node` listens on
/// 8099 on a host and `curl` connects to it (the course's Node.js scene). The same seed draws
/// the same challenge; `None` if `base` is not such a scene.
pub fn draw(base: &Scenario, seed: u64) -> Option<Challenge> {
    let drawn = Drawn::of(seed);
    let setup = setup(base, drawn)?;
    let (controls, goals, solution, wrong) = fix(drawn.fault, &setup)?;
    Some(Challenge {
        fault: drawn.fault,
        fix: FixIt {
            scenario: setup,
            controls,
            goals,
        },
        solution,
        wrong,
    })
}

/// `base` with the drawn fault put into it.
pub fn setup(base: &Scenario, drawn: Drawn) -> Option<Scenario> {
    let mut setup = base.clone();
    // The scene's own words describe it working.
    setup.description = None;
    setup.stages.clear();
    let host = setup
        .processes
        .iter()
        .find(|p| p.name == SERVER)?
        .host
        .clone();
    let listen = setup
        .actions
        .iter()
        .position(|a| a.process == SERVER && a.op == "listen" && a.port == Some(PORT))?;
    let connect = setup
        .actions
        .iter()
        .position(|a| a.process == CLIENT && a.op == "connect")?;
    match drawn.fault {
        Fault::OtherPort => setup.actions[listen].port = Some(drawn.other),
        Fault::FirewallDrop | Fault::FirewallReject => setup.firewall.push(FirewallDef {
            host: host.clone(),
            proto: "tcp".into(),
            port: PORT,
            verdict: match drawn.fault {
                Fault::FirewallDrop => "drop",
                _ => "reject",
            }
            .into(),
        }),
        Fault::PortInUse => {
            // An older copy of the server, started first, holds the port.
            let old = "node (old)";
            setup.processes.insert(
                0,
                ProcessDef {
                    name: old.into(),
                    host: host.clone(),
                    program: "node-server".into(),
                    user: None,
                },
            );
            let mut first = setup.actions[listen].clone();
            first.process = old.into();
            setup.actions.insert(0, first);
        }
        Fault::NotListening => {
            setup.actions.remove(listen);
        }
        Fault::WrongAddress => {
            // An address on the server's network where no host is.
            let server_ip = &setup.hosts.iter().find(|h| h.name == host)?.ip;
            let (net, _) = server_ip.rsplit_once('.')?;
            let nobody = (2..255)
                .map(|n| format!("{net}.{n}"))
                .find(|ip| setup.hosts.iter().all(|h| h.ip != *ip))?;
            let to = setup.actions[connect].to.as_deref()?;
            let (_, port) = to.rsplit_once(':')?;
            setup.actions[connect].to = Some(format!("{nobody}:{port}"));
        }
    }
    Some(setup)
}

/// A fault's fix in `setup` (the setup it was put into): the control a user has, the goals
/// that decide, a value of the control that fixes it and one that does not.
#[allow(clippy::type_complexity)]
pub fn fix(fault: Fault, setup: &Scenario) -> Option<(Vec<Control>, Vec<Goal>, Changes, Changes)> {
    let host = &setup.processes.iter().find(|p| p.name == SERVER)?.host;
    let set = |value: &str| -> Changes { [(0, value.to_string())].into_iter().collect() };
    let (control, solution, wrong) = match fault {
        Fault::OtherPort | Fault::NotListening => (
            Control::ListenPort {
                process: SERVER.into(),
            },
            set("8099"),
            set("9000"),
        ),
        Fault::FirewallDrop | Fault::FirewallReject => (
            Control::FirewallRule {
                index: setup.firewall.len().checked_sub(1)?,
            },
            set("off"),
            set("on"),
        ),
        // Another port than the old copy's: the clients still reach the old copy.
        Fault::PortInUse => (
            Control::ListenPort {
                process: SERVER.into(),
            },
            set("8100"),
            set("8099"),
        ),
        Fault::WrongAddress => (
            Control::ConnectHost {
                process: CLIENT.into(),
            },
            set(host),
            set("192.168.1.250"),
        ),
    };
    let goals = match fault {
        Fault::PortInUse | Fault::NotListening => {
            vec![Goal::Listens(SERVER.into()), Goal::Replies(CLIENT.into())]
        }
        _ => vec![Goal::Replies(CLIENT.into()), Goal::NoDrops],
    };
    Some((vec![control], goals, solution, wrong))
}

/// The lesson a challenge lesson `template` is with `fault` put into `setup` (see [`setup`]):
/// its diagnose question answered by the fault (and explained by that fault's words), its fix
/// question given the fault's control, goals and solution. `None` if `template` is not a
/// challenge or `setup` not one a fault was put into.
#[inline(never)]
pub fn lesson(template: &Lesson, fault: Fault, setup: &Scenario) -> Option<Lesson> {
    if !template.challenge {
        return None;
    }
    let (drawn_controls, drawn_goals, drawn_solution, drawn_wrong) = fix(fault, setup)?;
    let mut lesson = template.clone();
    for q in lesson.steps.iter_mut().filter_map(|s| s.question.as_mut()) {
        match &mut q.ask {
            Ask::Diagnose { causes, solution } => {
                *solution = fault.key().to_string();
                q.explain = causes
                    .iter()
                    .find(|c| c.answer == *solution)
                    .map(|c| c.explain.clone());
            }
            Ask::Fix {
                controls,
                goals,
                solution,
                wrong,
            } => {
                controls.clone_from(&drawn_controls);
                goals.clone_from(&drawn_goals);
                solution.clone_from(&drawn_solution);
                *wrong = vec![drawn_wrong.clone()];
            }
            _ => {}
        }
    }
    Some(lesson)
}
