//! Questions, and how an answer is judged: against the scene's snapshot at the question's
//! moment and the engine's own decisions, so the right answer is whatever the simulation does.
//! A wrong answer gets feedback about that answer.

use std::collections::BTreeMap;
use std::net::SocketAddrV4;

use super::moment::{arrival, Moment, MomentError};
use crate::engine::{Demux, EventKind, HostView, SegmentId, Snapshot, SockId, Timeline};

/// How an answer was judged, with a sentence about that answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub correct: bool,
    pub feedback: String,
}

impl Verdict {
    fn right(feedback: impl Into<String>) -> Verdict {
        Verdict {
            correct: true,
            feedback: feedback.into(),
        }
    }

    fn wrong(feedback: impl Into<String>) -> Verdict {
        Verdict {
            correct: false,
            feedback: feedback.into(),
        }
    }
}

/// A socket a learner points at: one of a host's sockets as the course numbers them
/// ("Server", Socket 2), or none (the host answers RST).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
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
    pub fn answer(&self, timeline: &Timeline) -> Result<(Pick, &'static str), MomentError> {
        let a = self.arrival(timeline)?;
        Ok((a.pick(), a.decision.reason()))
    }

    /// Judge a learner's pick.
    pub fn check(&self, timeline: &Timeline, pick: &Pick) -> Result<Verdict, MomentError> {
        let a = self.arrival(timeline)?;
        let truth = a.pick();
        if *pick == truth {
            return Ok(Verdict::right(format!("Right: {}.", a.decision.reason())));
        }
        Ok(Verdict::wrong(a.why_not(pick, &truth)))
    }

    fn arrival(&self, timeline: &Timeline) -> Result<Arrival, MomentError> {
        let never = MomentError::NeverArrives(self.segment);
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
        self.host()?
            .sockets
            .iter()
            .position(|r| r.sock == sock)
            .map(|i| i + 1)
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
        self.ends
            .map(|(src, dst)| format!(" ({src} → {dst})"))
            .unwrap_or_default()
    }

    /// Why `pick` is not where the segment goes (`truth`).
    fn why_not(&self, pick: &Pick, truth: &Pick) -> String {
        let here = self.host().map(|h| h.name.as_str()).unwrap_or_default();
        let (host, socket) = match pick {
            Pick::NoSocket => {
                return format!(
                    "A socket receives it: {}{}.",
                    self.decision.reason(),
                    self.tuple()
                )
            }
            Pick::Socket { host, socket } => (host, *socket),
        };
        if host != here {
            return format!("This segment is going to {here}, not to {host}.");
        }
        let Some(row) = self.host().and_then(|h| h.sockets.get(socket - 1)) else {
            return format!("{here} has no Socket {socket} at this moment.");
        };
        let picked_listens = row.remote.is_none();
        match (&self.decision, truth) {
            (Demux::Connection { .. }, Pick::Socket { socket: n, .. }) if picked_listens => format!(
                "The listener only receives new connections: this segment's 4-tuple{} matches Socket {n} exactly.",
                self.tuple()
            ),
            (Demux::Connection { .. }, Pick::Socket { socket: n, .. }) => format!(
                "Socket {socket} is another connection: this segment's 4-tuple{} matches Socket {n}.",
                self.tuple()
            ),
            (Demux::Listener { .. }, Pick::Socket { socket: n, .. }) => format!(
                "No connection has this segment's 4-tuple{} yet: a segment that opens one goes to the socket listening on its port, Socket {n}.",
                self.tuple()
            ),
            _ => format!("No socket receives it: {}.", self.decision.reason()),
        }
    }
}

/// A cell of the course's socket table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cell {
    Transport,
    SourcePort,
    SourceAddr,
    DestPort,
    DestAddr,
    State,
}

impl Cell {
    /// Its row in [`crate::engine::snapshot::COURSE_FIELDS`], and its name there.
    fn row(self) -> (usize, &'static str) {
        let i = match self {
            Cell::Transport => 0,
            Cell::SourcePort => 1,
            Cell::SourceAddr => 2,
            Cell::DestPort => 3,
            Cell::DestAddr => 4,
            Cell::State => 5,
        };
        (i, crate::engine::snapshot::COURSE_FIELDS[i])
    }

    /// What a learner who got this cell wrong should know about it.
    fn lesson(self, value: &str) -> &'static str {
        match self {
            Cell::Transport => "the protocol the socket was made for",
            Cell::SourcePort | Cell::SourceAddr => {
                "a socket's source is its own end: the host's address and the port it is bound to"
            }
            Cell::DestPort | Cell::DestAddr if value == "n/a" => {
                "a listening socket has no peer: each connection it receives gets a socket of its own"
            }
            Cell::DestPort | Cell::DestAddr => {
                "a connected socket's destination is the other end of its connection"
            }
            Cell::State => "the state `ss` shows for it",
        }
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
    pub fn answer(&self, timeline: &Timeline) -> Result<BTreeMap<Cell, String>, MomentError> {
        let snapshot = timeline.seek_events(self.at.resolve(timeline)?);
        let row = snapshot
            .host(&self.host)
            .ok_or_else(|| MomentError::NoSuchHost(self.host.clone()))?
            .sockets
            .get(self.socket.wrapping_sub(1))
            .ok_or_else(|| MomentError::NoSuchSocket {
                host: self.host.clone(),
                socket: self.socket,
            })?;
        let values = row.course_cells();
        Ok(self
            .cells
            .iter()
            .map(|&c| (c, values[c.row().0].clone()))
            .collect())
    }

    /// Judge each asked cell; a cell left out is wrong.
    pub fn check(
        &self,
        timeline: &Timeline,
        given: &BTreeMap<Cell, String>,
    ) -> Result<BTreeMap<Cell, Verdict>, MomentError> {
        let answer = self.answer(timeline)?;
        Ok(answer
            .into_iter()
            .map(|(cell, value)| {
                let name = cell.row().1;
                let verdict = match given.get(&cell).map(|g| g.trim()) {
                    Some(g) if g.eq_ignore_ascii_case(&value) => {
                        Verdict::right(format!("{name}: {value}."))
                    }
                    Some(g) if !g.is_empty() => {
                        Verdict::wrong(format!("{name} is not {g}: {}.", cell.lesson(&value)))
                    }
                    _ => Verdict::wrong(format!("{name} is still empty.")),
                };
                (cell, verdict)
            })
            .collect())
    }
}
