//! What is due when: the programs' actions and network changes at their times, the socket
//! layer's deadlines (the OS giving up on a connection), and actions waiting for a process to
//! reach a milestone. Things due at one instant keep the order they were added in.

use super::faults::NetChange;
use super::program::{Action, When};
use super::socket::{Pid, SockId};
use super::time::Instant;
use crate::vecmap::{Queue, VecMap, VecSet};

/// Something due at a time.
pub(crate) enum Scheduled {
    Action(Pid, Action),
    Net(NetChange),
}

/// A time at which the socket layer gives up on a connection, as the host's OS would, if it is
/// still stuck: smoltcp's own timeout would end it with an RST that Linux never sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Deadline {
    /// connect(): still in SYN-SENT.
    Connect { host: usize, sock: SockId },
    /// Data queued since `since` and not one byte of it acknowledged.
    Stall {
        host: usize,
        sock: SockId,
        since: Instant,
    },
    /// The end of TIME-WAIT: Linux holds the 4-tuple for 60 s (TCP_TIMEWAIT_LEN); smoltcp lets
    /// go after 10 s, so the socket layer keeps the row, and the 4-tuple, until this.
    TimeWait { host: usize, sock: SockId },
}

impl Deadline {
    /// The socket it is for.
    pub fn sock(&self) -> SockId {
        match *self {
            Deadline::Connect { sock, .. }
            | Deadline::Stall { sock, .. }
            | Deadline::TimeWait { sock, .. } => sock,
        }
    }

    /// The host (by index) whose socket it is.
    pub fn host(&self) -> usize {
        match *self {
            Deadline::Connect { host, .. }
            | Deadline::Stall { host, .. }
            | Deadline::TimeWait { host, .. } => host,
        }
    }
}

/// An action waiting for a milestone.
#[derive(Clone, Debug)]
pub(crate) struct Waiting {
    pub pid: Pid,
    pub action: Action,
    pub when: When,
}

#[derive(Default)]
pub(crate) struct Agenda {
    scheduled: Queue<(Instant, u64), Scheduled>,
    deadlines: Queue<(Instant, u64), Deadline>,
    added: u64,
    /// Actions waiting for a process to reach a milestone.
    pub waiting: Vec<Waiting>,
    /// Processes with sockets that changed, and which sockets: due now, to react.
    woken: VecMap<Pid, VecSet<SockId>>,
}

impl Agenda {
    /// Due at `at`, after everything already due then.
    pub fn schedule(&mut self, at: Instant, what: Scheduled) {
        self.added += 1;
        self.scheduled.insert((at, self.added), what);
    }

    pub fn set_deadline(&mut self, at: Instant, deadline: Deadline) {
        self.added += 1;
        self.deadlines.insert((at, self.added), deadline);
    }

    /// When the first scheduled thing is due.
    pub fn next_scheduled(&self) -> Option<Instant> {
        self.scheduled.first_key_value().map(|((t, _), _)| *t)
    }

    /// The first scheduled thing, if it is due by `t`, taken off the agenda.
    pub fn take_due(&mut self, t: Instant) -> Option<Scheduled> {
        let ((due, _), _) = self.scheduled.first_key_value()?;
        if *due > t {
            return None;
        }
        self.scheduled.pop_first().map(|(_, v)| v)
    }

    /// The first deadline and when it falls.
    pub fn first_deadline(&self) -> Option<(Instant, &Deadline)> {
        self.deadlines.first_key_value().map(|((t, _), d)| (*t, d))
    }

    pub fn pop_deadline(&mut self) -> Option<Deadline> {
        self.deadlines.pop_first().map(|(_, d)| d)
    }

    /// Process `pid` has to look at socket `sock`, which changed.
    pub fn wake(&mut self, pid: Pid, sock: SockId) {
        self.woken.entry(pid).or_default().insert(sock);
    }

    pub fn any_woken(&self) -> bool {
        !self.woken.is_empty()
    }

    /// The first process woken, with the sockets that changed, in process order.
    pub fn pop_woken(&mut self) -> Option<(Pid, VecSet<SockId>)> {
        self.woken.pop_first()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::time::ms;

    #[test]
    fn things_due_at_one_instant_keep_the_order_they_were_added_in() {
        let mut a = Agenda::default();
        let pid = Pid {
            host: crate::engine::net::HostId(0),
            pid: 1000,
        };
        a.schedule(ms(10), Scheduled::Action(pid, Action::Close));
        a.schedule(
            ms(5),
            Scheduled::Action(pid, Action::Send { data: vec![1] }),
        );
        a.schedule(
            ms(5),
            Scheduled::Action(pid, Action::Send { data: vec![2] }),
        );
        assert_eq!(a.next_scheduled(), Some(ms(5)));
        assert!(a.take_due(ms(4)).is_none(), "nothing due yet");
        let data = |s: Option<Scheduled>| match s {
            Some(Scheduled::Action(_, Action::Send { data })) => data,
            _ => vec![],
        };
        assert_eq!(data(a.take_due(ms(5))), [1]);
        assert_eq!(data(a.take_due(ms(5))), [2]);
        assert!(a.take_due(ms(9)).is_none());
    }
}
