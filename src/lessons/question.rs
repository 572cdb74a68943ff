//! Questions, and how an answer is judged: against the scene's snapshot at the question's
//! moment and the engine's own decisions, so the right answer is whatever the simulation does.
//! A wrong answer gets feedback about that answer.

use crate::i18n::{t, tp, Msg};
use crate::vecmap::VecMap;
use crate::view::narrate::demux_reason;
use crate::view::scenes::host_name;
use serde::{Deserialize, Serialize};
use std::net::SocketAddrV4;

use super::moment::{arrival, Moment, SceneError};
use crate::engine::{Demux, EventKind, HostView, SegmentId, Snapshot, SockId, SocketRow, Timeline};

/// How an answer was judged, with a sentence about that answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub correct: bool,
    pub feedback: String,
}

impl Verdict {
    pub(crate) fn right(feedback: impl Into<String>) -> Verdict {
        Verdict {
            correct: true,
            feedback: feedback.into(),
        }
    }

    pub(crate) fn wrong(feedback: impl Into<String>) -> Verdict {
        Verdict {
            correct: false,
            feedback: feedback.into(),
        }
    }
}

/// A socket a learner points at: one of a host's sockets as the course numbers them
/// ("Server", Socket 2), or none (the host answers RST).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Pick {
    Socket { host: String, socket: usize },
    NoSocket,
}

/// "Which socket will receive this segment?", asked just before segment `segment` arrives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Predict {
    pub segment: u64,
}

/// What the engine did with the segment, read from the scene.
struct Arrival {
    /// The snapshot just before it arrives.
    before: Snapshot,
    host: usize,
    decision: Demux,
    /// Its source and destination, when it carries ports.
    ends: Option<(SocketAddrV4, SocketAddrV4)>,
}

impl Predict {
    pub fn moment(&self) -> Moment {
        Moment::BeforeSegment(self.segment)
    }

    /// The socket that receives the segment, as the engine decided, with its reason.
    pub fn answer(&self, timeline: &Timeline) -> Result<(Pick, std::rc::Rc<str>), SceneError> {
        let a = self.arrival(timeline)?;
        Ok((a.pick(), demux_reason(&a.decision)))
    }

    /// Judge a learner's pick.
    pub fn check(&self, timeline: &Timeline, pick: &Pick) -> Result<Verdict, SceneError> {
        let a = self.arrival(timeline)?;
        let truth = a.pick();
        if *pick == truth {
            let reason = demux_reason(&a.decision);
            return Ok(Verdict::right(tp(
                Msg::FeedbackRight,
                &[("reason", &reason)],
            )));
        }
        Ok(Verdict::wrong(a.why_not(pick, &truth)))
    }

    fn arrival(&self, timeline: &Timeline) -> Result<Arrival, SceneError> {
        let never = SceneError::NeverArrives(self.segment);
        let i = arrival(timeline, self.segment).ok_or(never.clone())?;
        let EventKind::SegmentDelivered { host, decision, .. } = &timeline.events()[i].kind else {
            return Err(never);
        };
        let ends = timeline.events()[..i].iter().find_map(|e| match &e.kind {
            EventKind::SegmentSent(s) if s.seg == SegmentId(self.segment) => {
                let (sp, dp) = s.summary.ports()?;
                Some((
                    SocketAddrV4::new(s.summary.src, sp),
                    SocketAddrV4::new(s.summary.dst, dp),
                ))
            }
            _ => None,
        });
        Ok(Arrival {
            before: timeline.seek_events(i),
            host: host.0,
            decision: *decision,
            ends,
        })
    }
}

impl Arrival {
    fn host(&self) -> Option<&HostView> {
        self.before.hosts.get(self.host)
    }

    /// The course's number of a socket on the receiving host.
    fn number(&self, sock: SockId) -> Option<usize> {
        self.host()?.number_of(sock)
    }

    fn pick(&self) -> Pick {
        match (
            self.decision.socket().and_then(|s| self.number(s)),
            self.host(),
        ) {
            (Some(socket), Some(h)) => Pick::Socket {
                host: h.name.clone(),
                socket,
            },
            _ => Pick::NoSocket,
        }
    }

    fn tuple(&self) -> String {
        // In the learner's brackets: " (a → b)", 「（a → b）」.
        self.ends
            .map(|(src, dst)| {
                let (src, dst) = (src.to_string(), dst.to_string());
                tp(Msg::FeedbackTuple, &[("src", &src), ("dst", &dst)])
            })
            .unwrap_or_default()
    }

    /// Why `pick` is not where the segment goes (`truth`).
    fn why_not(&self, pick: &Pick, truth: &Pick) -> String {
        let here = self.host().map(|h| h.name.as_str()).unwrap_or_default();
        let (reason, tuple) = (demux_reason(&self.decision), self.tuple());
        let (host, socket) = match pick {
            Pick::NoSocket => {
                let args = [("reason", &*reason), ("tuple", &tuple)];
                return tp(Msg::FeedbackASocketReceives, &args);
            }
            Pick::Socket { host, socket } => (host, *socket),
        };
        if host != here {
            let (here, host) = (host_name(here), host_name(host));
            return tp(Msg::FeedbackOtherHost, &[("here", &here), ("host", &host)]);
        }
        let socket_n = socket.to_string();
        let Some(row) = self.host().and_then(|h| h.numbered(socket)) else {
            return tp(
                Msg::FeedbackNoSuchSocket,
                &[("here", &host_name(here)), ("socket", &socket_n)],
            );
        };
        let picked_listens = row.remote.is_none();
        let (msg, n) = match (&self.decision, truth) {
            (Demux::Connection { .. }, Pick::Socket { socket: n, .. }) if picked_listens => {
                (Msg::FeedbackListenerOnlyNew, *n)
            }
            (Demux::Connection { .. }, Pick::Socket { socket: n, .. }) => {
                (Msg::FeedbackOtherConnection, *n)
            }
            (Demux::Listener { .. }, Pick::Socket { socket: n, .. }) => {
                (Msg::FeedbackOpensConnection, *n)
            }
            _ => (Msg::FeedbackNoSocket, 0),
        };
        let args = [
            ("socket", socket_n.as_str()),
            ("tuple", &tuple),
            ("n", &n.to_string()),
            ("reason", &reason),
        ];
        tp(msg, &args)
    }
}

/// `host`'s Socket N in the table at moment `at`.
fn socket_at(
    timeline: &Timeline,
    at: &Moment,
    host: &str,
    socket: usize,
) -> Result<SocketRow, SceneError> {
    timeline
        .seek_events(at.resolve(timeline)?)
        .host(host)
        .ok_or_else(|| SceneError::NoSuchHost(host.to_string()))?
        .numbered(socket)
        .cloned()
        .ok_or_else(|| SceneError::NoSuchSocket {
            host: host.to_string(),
            socket,
        })
}

/// What `host`'s programs first get back (see [`Fact::Reply`]).
fn reply_on(timeline: &Timeline, host: &str) -> Result<String, SceneError> {
    use crate::engine::EventKind;
    let h = timeline
        .seek(crate::engine::time::Instant::ZERO)
        .host(host)
        .map(|h| h.id)
        .ok_or_else(|| SceneError::NoSuchHost(host.to_string()))?;
    // The first connection: the first socket a process there reads from, until it is closed.
    let mut first = None;
    let mut read = Vec::new();
    for e in timeline.events() {
        match &e.kind {
            EventKind::DataDelivered {
                host: at,
                pid,
                fd,
                bytes,
                ..
            } if *at == h && first.is_none_or(|f| f == (*pid, *fd)) => {
                first = Some((*pid, *fd));
                read.extend_from_slice(bytes);
            }
            EventKind::FdClosed { pid, fd, .. } if first == Some((*pid, *fd)) => break,
            EventKind::ErrorReturned { pid, error, .. } if pid.host == h && first.is_none() => {
                return Ok(error.errno.name().to_string());
            }
            _ => {}
        }
    }
    if first.is_none() {
        return Err(SceneError::NoReply(host.to_string()));
    }
    let body = match crate::engine::program::find(&read, b"\r\n\r\n") {
        Some(end) => &read[end + 4..],
        None => &read[..],
    };
    Ok(String::from_utf8_lossy(body).trim().to_string())
}

/// A cell of the course's socket table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Cell {
    Transport,
    SourcePort,
    SourceAddr,
    DestPort,
    DestAddr,
    State,
}

impl Cell {
    /// Its row in the course's table ([`crate::engine::snapshot::SocketRow::course_cells`]).
    pub fn row(self) -> usize {
        match self {
            Cell::Transport => 0,
            Cell::SourcePort => 1,
            Cell::SourceAddr => 2,
            Cell::DestPort => 3,
            Cell::DestAddr => 4,
            Cell::State => 5,
        }
    }

    /// Its row's name in the learner's language ("Source Port").
    pub fn label(self) -> std::rc::Rc<str> {
        t(match self {
            Cell::Transport => Msg::TablesRowTransport,
            Cell::SourcePort => Msg::TablesRowSourcePort,
            Cell::SourceAddr => Msg::TablesRowSourceIp,
            Cell::DestPort => Msg::TablesRowDestPort,
            Cell::DestAddr => Msg::TablesRowDestIp,
            Cell::State => Msg::TablesRowState,
        })
    }

    /// What a learner who got this cell wrong should know about it.
    fn lesson(self, value: &str) -> std::rc::Rc<str> {
        t(match self {
            Cell::Transport => Msg::FeedbackCellTransport,
            Cell::SourcePort | Cell::SourceAddr => Msg::FeedbackCellSource,
            Cell::DestPort | Cell::DestAddr if value == "n/a" => Msg::FeedbackCellDestListening,
            Cell::DestPort | Cell::DestAddr => Msg::FeedbackCellDest,
            Cell::State => Msg::FeedbackCellState,
        })
    }
}

/// "Fill in the table": some cells of a host's Socket N at a moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FillTable {
    pub at: Moment,
    pub host: String,
    pub socket: usize,
    pub cells: Vec<Cell>,
}

impl FillTable {
    /// Each asked cell's value in the table at the moment.
    pub fn answer(&self, timeline: &Timeline) -> Result<VecMap<Cell, String>, SceneError> {
        let values = socket_at(timeline, &self.at, &self.host, self.socket)?.course_cells();
        Ok(map_of(
            self.cells.iter().map(|&c| (c, values[c.row()].clone())),
        ))
    }

    /// Judge each asked cell; a cell left out is wrong.
    pub fn check(
        &self,
        timeline: &Timeline,
        given: &VecMap<Cell, String>,
    ) -> Result<VecMap<Cell, Verdict>, SceneError> {
        let answer = self.answer(timeline)?;
        Ok(map_of(answer.into_iter().map(|(cell, value)| {
            let name = cell.label();
            let verdict = match given.get(&cell).map(|g| g.trim()) {
                Some(g) if same(cell, &value, g) => {
                    let args = [("cell", &*name), ("value", &value)];
                    Verdict::right(tp(Msg::FeedbackCellRight, &args))
                }
                Some(g) if !g.is_empty() => {
                    let why = cell.lesson(&value);
                    let args = [("cell", &*name), ("given", g), ("why", &why)];
                    Verdict::wrong(tp(Msg::FeedbackCellWrong, &args))
                }
                _ => Verdict::wrong(tp(Msg::FeedbackCellEmpty, &[("cell", &name)])),
            };
            (cell, verdict)
        })))
    }
}

/// Whether a learner's `given` says a cell's `value`, in any spelling they may have met: any
/// case (of ASCII letters: the page carries no Unicode case tables); a state as the RFC, `ss` or `netstat` writes it (ESTABLISHED, ESTAB; TIME-WAIT,
/// TIME_WAIT); "n/a" (no peer) as `ss` (`*`, `0.0.0.0:*`), Windows (`0.0.0.0:0`) or in the
/// learner's own words ("none", 「沒有」).
pub fn same(cell: Cell, value: &str, given: &str) -> bool {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_ascii_whitespace() && *c != '\u{3000}')
            .map(|c| c.to_ascii_uppercase())
            .map(|c| if c == '_' { '-' } else { c })
            .collect()
    };
    let (value, given) = (squash(value), squash(given));
    if value == given {
        return true;
    }
    if value == "N/A" {
        const NOTATION: [&str; 9] = [
            "NA",
            "-",
            "–",
            "*",
            "*:*",
            "0.0.0.0",
            "0.0.0.0:*",
            "0.0.0.0:0",
            "0",
        ];
        let words = t(Msg::AnswerNoneWords);
        return NOTATION.contains(&given.as_str()) || words.split(',').any(|w| squash(w) == given);
    }
    // The state as ss, lsof, netstat or Windows writes it.
    cell == Cell::State
        && crate::engine::SockState::from_rfc_name(&value).is_some_and(|s| {
            super::try_it::spellings(s)
                .iter()
                .any(|w| squash(w) == given)
        })
}

/// A map made by inserting one pair at a time. `collect()` into a map would sort first, and
/// each kind of map sorted costs the web app kilobytes of sorting code.
pub(crate) fn map_of<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> VecMap<K, V> {
    let mut map = VecMap::new();
    for (k, v) in pairs {
        map.insert(k, v);
    }
    map
}

/// What a *choose* question's right answer is computed from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Fact {
    /// The port a host's Socket N is bound to (its Source Port): the ephemeral port a client
    /// got, or the port a server listens on.
    SourcePort { host: String, socket: usize },
    /// The state of a host's Socket N, as the course's table spells it ("ESTABLISHED").
    State { host: String, socket: usize },
    /// The port a service has in the registry, by its short name ("http", "mongodb").
    ServicePort(String),
    /// Which of IANA's three ranges a port number falls in ("1024–49151").
    PortRange(u16),
    /// What a host's programs first get back, over the whole scene: the reply a program reads
    /// on the first connection made from there (the body, after an HTTP head), or else the
    /// error a call there returns first (a client's "ECONNREFUSED", a server's "EACCES"). A
    /// prediction of what the learner will see.
    Reply(String),
    /// Which of IANA's three ranges a host's Socket N's source port falls in ("1024–49151"):
    /// the range of the port the OS or the program picked.
    SourcePortRange { host: String, socket: usize },
    /// The range a host's OS picks ephemeral ports from ("49152–65535" on Windows).
    EphemeralRange(String),
    /// The process id of the process that holds a host's Socket N ("1003"), as `ss -p` shows
    /// it: after fork(), the child's.
    Pid { host: String, socket: usize },
}

/// "Choose": one of a few options, the right one computed from the simulation or the port
/// registry at the question's moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choose {
    pub at: Moment,
    pub fact: Fact,
    /// What the learner chooses from; the right answer must be one of them.
    pub options: Vec<String>,
}

impl Choose {
    /// The right option's text.
    pub fn answer(&self, timeline: &Timeline) -> Result<String, SceneError> {
        let row = |host: &str, socket: usize| socket_at(timeline, &self.at, host, socket);
        Ok(match &self.fact {
            Fact::SourcePort { host, socket } => row(host, *socket)?.course_cells()[1].clone(),
            Fact::State { host, socket } => row(host, *socket)?.state.rfc_name().to_string(),
            Fact::ServicePort(name) => crate::engine::ports::SERVICES
                .iter()
                .find(|s| s.name == name.as_str())
                .map(|s| s.port.to_string())
                .ok_or_else(|| SceneError::NoSuchService(name.clone()))?,
            Fact::PortRange(port) => crate::engine::ports::PortClass::of(*port)
                .range()
                .to_string(),
            Fact::Reply(host) => reply_on(timeline, host)?,
            Fact::SourcePortRange { host, socket } => {
                let local = row(host, *socket)?
                    .local
                    .ok_or_else(|| SceneError::NotBound {
                        host: host.clone(),
                        socket: *socket,
                    })?;
                crate::engine::ports::PortClass::of(local.port())
                    .range()
                    .to_string()
            }
            Fact::Pid { host, socket } => row(host, *socket)?
                .pid
                .map(|p| p.pid.to_string())
                .ok_or_else(|| SceneError::NotHeld {
                    host: host.clone(),
                    socket: *socket,
                })?,
            Fact::EphemeralRange(host) => timeline
                .seek(crate::engine::time::Instant::ZERO)
                .host(host)
                .map(|h| h.os.range_label())
                .ok_or_else(|| SceneError::NoSuchHost(host.clone()))?,
        })
    }

    /// Judge a learner's choice: right when it is what the simulation or the registry says;
    /// otherwise the lesson's word on that option (`why`), which is about the idea behind
    /// that mistake and never gives the answer away.
    pub fn check(
        &self,
        timeline: &Timeline,
        chosen: &str,
        why: Option<&str>,
    ) -> Result<Verdict, SceneError> {
        let answer = self.answer(timeline)?;
        Ok(choice_verdict(
            chosen.trim().eq_ignore_ascii_case(&answer),
            why,
        ))
    }
}

/// The verdict on an option chosen (a *choose* question's, a challenge's cause): right, with
/// nothing more to say; or the lesson's word on that option (`why`), about the idea behind
/// that mistake.
pub fn choice_verdict(right: bool, why: Option<&str>) -> Verdict {
    if right {
        return Verdict::right(String::new());
    }
    Verdict::wrong(match why {
        Some(why) => why.to_string(),
        None => t(Msg::FeedbackNotThisOption).to_string(),
    })
}
