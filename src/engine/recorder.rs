//! The recorder: the simulation's clock as events read it, every event in the order it
//! happened, the numbers that name segments and sockets in those events, and (a testing aid)
//! the disagreements the demultiplexing check found.

use super::event::{Event, EventKind, SegmentId};
use super::socket::SockId;
use super::time::Instant;

pub(crate) struct Recorder {
    /// The virtual time now: what every event recorded is stamped with.
    pub now: Instant,
    events: Vec<Event>,
    segments: u64,
    sockets: u64,
    /// Whether to check every delivered segment's demultiplexing decision against smoltcp.
    pub verify_demux: bool,
    pub mismatches: Vec<String>,
}

impl Default for Recorder {
    fn default() -> Recorder {
        Recorder {
            now: Instant::ZERO,
            events: Vec::new(),
            segments: 0,
            sockets: 0,
            verify_demux: false,
            mismatches: Vec::new(),
        }
    }
}

impl Recorder {
    pub fn emit(&mut self, kind: EventKind) {
        self.events.push(Event { at: self.now, kind });
    }

    pub fn events(&self) -> &[Event] {
        &self.events
    }

    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    /// A number for a new socket, never given before (the course's "Socket 2" is the row's
    /// place in its host's table, not this).
    pub fn new_sock_id(&mut self) -> SockId {
        self.sockets += 1;
        SockId(self.sockets)
    }

    /// A number for a segment leaving a host, in the order they leave.
    pub fn new_seg_id(&mut self) -> SegmentId {
        self.segments += 1;
        SegmentId(self.segments)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::time::ms;

    #[test]
    fn events_are_stamped_with_the_time_they_happened_and_numbers_never_repeat() {
        let mut r = Recorder {
            now: ms(5),
            ..Recorder::default()
        };
        r.emit(EventKind::SocketClosed {
            host: crate::engine::net::HostId(0),
            sock: SockId(1),
        });
        assert_eq!(r.events()[0].at, ms(5));
        assert_eq!(r.take_events().len(), 1);
        assert!(
            r.events().is_empty(),
            "taken events are gone from the record"
        );
        let (a, b) = (r.new_sock_id(), r.new_sock_id());
        assert_ne!(a, b);
        assert_ne!(r.new_seg_id(), r.new_seg_id());
    }
}
