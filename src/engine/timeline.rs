//! A recorded run, and the exact snapshot at any moment of it, forward or backward.
//!
//! smoltcp's stacks cannot be copied, so checkpoints are not copies of the engine. Instead every
//! change to what a snapshot shows is an event (socket created, bound, connecting, state,
//! queues, descriptor closed, segment sent, delivered, dropped ...), and a snapshot is rebuilt
//! from the event log: plain-data checkpoints every [`CHECKPOINT_EVERY`] events, then the events
//! after the nearest one. Tests check the result against the engine's own snapshot at the
//! same moment, so "rebuilt" and "real" cannot drift apart.

use crate::vecmap::VecMap;
use std::cell::RefCell;

use super::event::{Event, EventKind, SegmentId};
use super::net::{HostId, HostSpec, LinkId};
use super::packet::PacketSummary;
use super::sim::Sim;
use super::snapshot::{progress, FlightView, HostView, Snapshot};
use super::tables::Tables;
use super::time::Instant;
use super::wire::{self, Wire};
use super::wire_events;

/// How many events lie between two checkpoints: a seek replays at most this many.
pub const CHECKPOINT_EVERY: usize = 256;

/// A run as plain data: its hosts, its links and every event. A [`Timeline`] is built from it
/// without the engine, so a page that plays a shipped scene carries the run, not the stacks
/// that made it (`recordings/<scene>.bin`, written by `tests/builtin.rs`).
#[derive(Clone, Debug, PartialEq)]
pub struct Recording {
    /// Each host as the engine was given it, in host order.
    pub hosts: Vec<HostSpec>,
    /// Each link's two hosts, in link order.
    pub links: Vec<(HostId, HostId)>,
    pub events: Vec<Event>,
    /// Where the run stopped.
    pub end: Instant,
}

/// No time in a recording is later than this (a year): the view subtracts and scales times,
/// which a damaged file's extreme ones would overflow.
const LATEST: Instant = Instant::from_micros_const(365 * 24 * 3600 * 1_000_000);

/// What a recording's bytes begin with: the format's name and version. A file of another
/// version is refused rather than misread.
const MAGIC: &[u8; 4] = b"SLR4";

/// Why bytes are not a recording this release can play. (The engine has no words: the web app
/// says "this scene's recorded run is damaged" in the learner's language.)
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecordingError {
    /// They do not start as a recording of this version does.
    NotARecording,
    /// They start as one, but do not read to the end: how many bytes read before they stop.
    Damaged(usize),
    /// They read, with this many bytes left over.
    TooLong(usize),
    /// A shipped scene's file whose scene, before its run, does not read.
    SceneDamaged,
    /// A shipped scene's file, of another scene than the one asked for.
    OtherScene,
    /// They read, but event number `n` (from 1; 0 for the links or the end) goes back in time,
    /// names a host or a link the run does not have, or arrives before it leaves.
    Inconsistent(usize),
}

impl Recording {
    /// Run `sim` until nothing is left to do or `until`, recording everything from its start.
    pub fn of(mut sim: Sim, until: Instant) -> Recording {
        sim.run_until_idle(until);
        let end = sim.now();
        let hosts = sim.hosts().map(|(_, h)| h.clone()).collect();
        let links = sim.links().map(|l| (l.a, l.b)).collect();
        Recording {
            hosts,
            links,
            events: sim.take_events(),
            end,
        }
    }

    /// The recording as bytes: [`MAGIC`], then the run in compact form ([`wire_events`]):
    /// its hosts, its links, its events (each time as the step from the one before) and its end.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        self.hosts.put(&mut out);
        self.links.put(&mut out);
        self.events.len().put(&mut out);
        let mut last = Instant::ZERO;
        for e in &self.events {
            wire_events::put_event(e, last, &mut out);
            last = e.at;
        }
        self.end.total_micros().put(&mut out);
        out
    }

    /// Bytes read back as a recording, checked so that playing it cannot go wrong: every host,
    /// link and process it names is one of its own, and its events are in time order.
    pub fn decode(bytes: &[u8]) -> Result<Recording, RecordingError> {
        let mut rest = bytes
            .strip_prefix(MAGIC)
            .ok_or(RecordingError::NotARecording)?;
        let damaged = |rest: &[u8]| RecordingError::Damaged(bytes.len() - rest.len());
        let hosts = Vec::take(&mut rest).ok_or_else(|| damaged(rest))?;
        let links = Vec::take(&mut rest).ok_or_else(|| damaged(rest))?;
        let count = wire::take_len(&mut rest).ok_or_else(|| damaged(rest))?;
        let mut events = Vec::with_capacity(count);
        let mut last = Instant::ZERO;
        for _ in 0..count {
            let e = wire_events::take_event(&mut rest, last).ok_or_else(|| damaged(rest))?;
            last = e.at;
            events.push(e);
        }
        let end = i64::take(&mut rest).ok_or_else(|| damaged(rest))?;
        if !rest.is_empty() {
            return Err(RecordingError::TooLong(rest.len()));
        }
        let r = Recording {
            hosts,
            links,
            events,
            end: Instant::from_micros(end),
        };
        r.check()?;
        Ok(r)
    }

    fn check(&self) -> Result<(), RecordingError> {
        let hosts = self.hosts.len();
        let host_ok = |h: HostId| h.0 < hosts;
        let link_ok = |l: LinkId| l.0 < self.links.len();
        if !self.links.iter().all(|(a, b)| host_ok(*a) && host_ok(*b)) {
            return Err(RecordingError::Inconsistent(0));
        }
        let mut last = Instant::ZERO;
        for (i, e) in self.events.iter().enumerate() {
            let (hosts_named, links_named) = e.kind.names();
            let sound = e.at >= last
                && hosts_named.into_iter().all(host_ok)
                && links_named.into_iter().all(link_ok)
                && e.at <= LATEST
                && match &e.kind {
                    EventKind::SegmentSent(s) => {
                        s.depart >= e.at && s.arrive >= s.depart && s.arrive <= LATEST
                    }
                    _ => true,
                };
            if !sound {
                return Err(RecordingError::Inconsistent(i + 1));
            }
            last = e.at;
        }
        if self.end < last || self.end > LATEST {
            return Err(RecordingError::Inconsistent(0));
        }
        Ok(())
    }
}

#[derive(Clone, Debug)]
struct Flight {
    link: LinkId,
    from: HostId,
    to: HostId,
    depart: Instant,
    arrive: Instant,
    summary: PacketSummary,
}

/// What a snapshot shows, kept in maps so events apply quickly: the socket and process tables
/// (shared with the narration, see [`Tables`]) and the segments on the wire.
#[derive(Clone, Debug, Default)]
struct State {
    tables: Tables,
    flights: VecMap<SegmentId, Flight>,
}

impl State {
    fn apply(&mut self, event: &Event) {
        self.tables.apply(&event.kind);
        match &event.kind {
            EventKind::SegmentSent(s) => {
                if let (Some(to), Some(link)) = (s.to, s.link) {
                    let flight = Flight {
                        link,
                        from: s.from,
                        to,
                        depart: s.depart,
                        arrive: s.arrive,
                        summary: s.summary.clone(),
                    };
                    self.flights.insert(s.seg, flight);
                }
            }
            EventKind::SegmentDelivered { seg, .. } | EventKind::SegmentDropped { seg, .. } => {
                self.flights.remove(seg);
            }
            _ => {}
        }
    }
}

/// A recorded run.
pub struct Timeline {
    hosts: Vec<HostSpec>,
    events: Vec<Event>,
    /// (events applied, state after them), the first at no events.
    checkpoints: Vec<(usize, State)>,
    end: Instant,
    /// The last state a seek built: playing forward only applies the events since.
    cursor: RefCell<Option<(usize, State)>>,
}

impl Timeline {
    /// Run `sim` until nothing is left to do or `until`, recording everything from its start
    /// (the events of setting it up included).
    pub fn record(sim: Sim, until: Instant) -> Timeline {
        Timeline::play(Recording::of(sim, until))
    }

    /// The timeline of a recorded run (one [`Recording::decode`] checked, or one just made).
    pub fn play(r: Recording) -> Timeline {
        Timeline::from_events(r.hosts, r.events, r.end)
    }

    fn from_events(hosts: Vec<HostSpec>, events: Vec<Event>, end: Instant) -> Timeline {
        let mut state = State {
            tables: Tables::new(hosts.len()),
            ..State::default()
        };
        let mut checkpoints = vec![(0, state.clone())];
        for (i, event) in events.iter().enumerate() {
            state.apply(event);
            if (i + 1) % CHECKPOINT_EVERY == 0 {
                checkpoints.push((i + 1, state.clone()));
            }
        }
        let end = events.last().map_or(end, |e| e.at.max(end));
        Timeline {
            hosts,
            events,
            checkpoints,
            end,
            cursor: RefCell::new(None),
        }
    }

    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The time of the last event (or where the run stopped, if later).
    pub fn end(&self) -> Instant {
        self.end
    }

    /// How many events happened at or before `t`.
    pub fn events_until(&self, t: Instant) -> usize {
        self.events.partition_point(|e| e.at <= t)
    }

    /// The first moment after `t` at which something happens.
    pub fn next_event(&self, t: Instant) -> Option<Instant> {
        self.events.get(self.events_until(t)).map(|e| e.at)
    }

    /// The last moment before `t` at which something happened.
    pub fn previous_event(&self, t: Instant) -> Option<Instant> {
        let before = self.events.partition_point(|e| e.at < t);
        before.checked_sub(1).map(|i| self.events[i].at)
    }

    /// Every distinct moment at which something happens, for a scrubber's marks.
    pub fn moments(&self) -> Vec<Instant> {
        let mut out: Vec<Instant> = self.events.iter().map(|e| e.at).collect();
        out.dedup();
        out
    }

    /// The snapshot at `t`: everything that happened at or before `t` has happened.
    pub fn seek(&self, t: Instant) -> Snapshot {
        self.state_after(self.events_until(t), t)
    }

    /// The snapshot just after the first `n` events (at the time of the last of them), for
    /// stepping through events that share one moment.
    pub fn seek_events(&self, n: usize) -> Snapshot {
        let n = n.min(self.events.len());
        let t = n
            .checked_sub(1)
            .map_or(Instant::ZERO, |i| self.events[i].at);
        self.state_after(n, t)
    }

    fn state_after(&self, n: usize, t: Instant) -> Snapshot {
        let mut cursor = self.cursor.borrow_mut();
        // Going forward a little from the last seek: continue from there. Anything else starts
        // from the nearest checkpoint. Both give the same state: events apply in order.
        let reuse = matches!(&*cursor, Some((applied, _)) if *applied <= n && n - *applied <= CHECKPOINT_EVERY);
        let (applied, mut state) = match cursor.take() {
            Some(c) if reuse => c,
            _ => {
                let index = self
                    .checkpoints
                    .partition_point(|(applied, _)| *applied <= n)
                    - 1;
                let (applied, state) = &self.checkpoints[index];
                (*applied, state.clone())
            }
        };
        for event in &self.events[applied..n] {
            state.apply(event);
        }
        let view = self.view(&state, t);
        *cursor = Some((n, state));
        view
    }

    fn view(&self, state: &State, t: Instant) -> Snapshot {
        let hosts = self
            .hosts
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let id = HostId(i);
                HostView {
                    id,
                    name: h.name.clone(),
                    ip: h.ip,
                    os: h.os,
                    processes: state.tables.processes_of(id).cloned().collect(),
                    sockets: state.tables.sockets_of(id).cloned().collect(),
                }
            })
            .collect();
        let mut flights: Vec<(&SegmentId, &Flight)> = state.flights.iter().collect();
        crate::vecmap::sort_by_key(&mut flights, |(seg, f)| (f.arrive, **seg));
        let in_flight = flights
            .into_iter()
            .map(|(seg, f)| FlightView {
                seg: *seg,
                link: f.link,
                from: f.from,
                to: f.to,
                depart: f.depart,
                arrive: f.arrive,
                progress: progress(f.depart, f.arrive, t),
                summary: f.summary.clone(),
            })
            .collect();
        Snapshot {
            at: t,
            hosts,
            in_flight,
        }
    }
}
