//! When a lesson's step shows: a point in a scene's recorded events. A moment resolves to a
//! number of events — everything before it has happened, nothing after — so a step can stop
//! between two events at the same instant (a segment arrives, and only then does the socket it
//! makes appear).

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::engine::time::Instant;
use crate::engine::{EventKind, HostId, SegmentId, Timeline};

/// A point in a scene.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Moment {
    /// Everything that happens at or before this time on the scene's clock.
    At(#[serde(with = "crate::engine::time::micros")] Instant),
    /// The event at which `host`'s table first holds `socket` sockets: its "Socket N" has
    /// just appeared.
    SocketAppears { host: String, socket: usize },
    /// Just before segment `n` (as the scene numbers them, from 1) arrives at its host.
    BeforeSegment(u64),
}

/// What a lesson asks for that its scene does not have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SceneError {
    NoSuchHost(String),
    /// The host never has that many sockets at once.
    NoSuchSocket {
        host: String,
        socket: usize,
    },
    /// The scene sends fewer segments, or this one never arrives (lost, dropped).
    NeverArrives(u64),
    /// The port registry has no service by this name.
    NoSuchService(String),
    /// No program on this host reads a reply or gets an error.
    NoReply(String),
    /// The socket has no port yet at that moment.
    NotBound {
        host: String,
        socket: usize,
    },
    /// No process holds the socket at that moment (it waits for accept(), or was closed).
    NotHeld {
        host: String,
        socket: usize,
    },
}

impl fmt::Display for SceneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SceneError::NoSuchHost(h) => write!(f, "the scene has no host named \"{h}\""),
            SceneError::NoSuchSocket { host, socket } => {
                write!(f, "{host} never has a Socket {socket} in this scene")
            }
            SceneError::NeverArrives(n) => {
                write!(f, "segment {n} never arrives at a host in this scene")
            }
            SceneError::NoSuchService(name) => {
                write!(f, "the port registry has no service named \"{name}\"")
            }
            SceneError::NotBound { host, socket } => {
                write!(f, "{host}'s Socket {socket} has no port yet at that moment")
            }
            SceneError::NotHeld { host, socket } => {
                write!(
                    f,
                    "no process holds {host}'s Socket {socket} at that moment"
                )
            }
            SceneError::NoReply(host) => {
                write!(
                    f,
                    "no program on {host} reads a reply or gets an error in this scene"
                )
            }
        }
    }
}

impl Moment {
    /// How many of the scene's events have happened at this moment.
    pub fn resolve(&self, timeline: &Timeline) -> Result<usize, SceneError> {
        match self {
            Moment::At(t) => Ok(timeline.events_until(*t)),
            Moment::SocketAppears { host, socket } => {
                let id = host_id(timeline, host)?;
                socket_appears(timeline, id, *socket).ok_or_else(|| SceneError::NoSuchSocket {
                    host: host.clone(),
                    socket: *socket,
                })
            }
            Moment::BeforeSegment(n) => arrival(timeline, *n).ok_or(SceneError::NeverArrives(*n)),
        }
    }
}

impl Moment {
    /// The time a player shows for this moment: the time itself; when a socket appears, the
    /// instant of that event; just before a segment arrives, a microsecond before, with the
    /// segment still on the wire.
    pub fn time(&self, timeline: &Timeline) -> Result<Instant, SceneError> {
        let n = self.resolve(timeline)?;
        let event_at = |i: usize| timeline.events().get(i).map_or(Instant::ZERO, |e| e.at);
        Ok(match self {
            Moment::At(t) => *t,
            Moment::SocketAppears { .. } => event_at(n.saturating_sub(1)),
            Moment::BeforeSegment(_) => {
                (event_at(n) - crate::engine::time::Duration::from_micros(1)).max(Instant::ZERO)
            }
        })
    }
}

/// The host a scene calls `name`.
pub(crate) fn host_id(timeline: &Timeline, name: &str) -> Result<HostId, SceneError> {
    timeline
        .seek_events(0)
        .host(name)
        .map(|h| h.id)
        .ok_or_else(|| SceneError::NoSuchHost(name.to_string()))
}

/// The number of events after which `host` first has `count` sockets in its table.
fn socket_appears(timeline: &Timeline, host: HostId, count: usize) -> Option<usize> {
    let mut rows = 0usize;
    for (i, e) in timeline.events().iter().enumerate() {
        match &e.kind {
            EventKind::SocketCreated { host: h, .. } if *h == host => rows += 1,
            EventKind::SocketClosed { host: h, .. } if *h == host => rows = rows.saturating_sub(1),
            _ => continue,
        }
        if rows >= count {
            return Some(i + 1);
        }
    }
    None
}

/// The index of the event at which segment `n` reaches its host (delivered to its stack).
pub(crate) fn arrival(timeline: &Timeline, n: u64) -> Option<usize> {
    timeline.events().iter().position(
        |e| matches!(e.kind, EventKind::SegmentDelivered { seg, .. } if seg == SegmentId(n)),
    )
}
