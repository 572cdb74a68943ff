//! A recorded run's events in compact bytes ([`super::wire`]): the form of
//! `recordings/<scene>.bin` and of the engine worker's answers. Each case of an enum goes as
//! its number in the order written here, then its fields in order; `put` matches every case,
//! so a case added to the engine does not compile until it has its form here, and
//! `tests/builtin.rs` reads every shipped scene's run back as it was recorded. (An enum whose
//! cases have no fields is declared inside `wire_cases!`, which gives its form.)

use std::borrow::Cow;
use std::rc::Rc;

use super::event::{Demux, DropReason, Event, EventKind, SegmentId, SegmentSent};
use super::faults::NetChange;
use super::net::{HostId, HostSpec, LinkId};
use super::socket::{Pid, SockError, SockId};
use super::time::Instant;
use super::wire::{put_bytes, take_byte, take_bytes, Wire};

/// A number that names something (a host, a socket, a segment): its number.
macro_rules! wire_number {
    ($($t:ident($n:ty)),*) => {$(
        impl Wire for $t {
            fn put(&self, out: &mut Vec<u8>) {
                self.0.put(out);
            }
            fn take(bytes: &mut &[u8]) -> Option<Self> {
                <$n>::take(bytes).map($t)
            }
        }
    )*};
}
wire_number!(HostId(usize), LinkId(usize), SockId(u64), SegmentId(u64));

impl Wire for Pid {
    fn put(&self, out: &mut Vec<u8>) {
        self.host.put(out);
        self.pid.put(out);
    }
    fn take(bytes: &mut &[u8]) -> Option<Self> {
        Some(Pid {
            host: Wire::take(bytes)?,
            pid: Wire::take(bytes)?,
        })
    }
}

impl Wire for HostSpec {
    fn put(&self, out: &mut Vec<u8>) {
        self.name.put(out);
        self.ip.put(out);
        self.os.put(out);
    }
    fn take(bytes: &mut &[u8]) -> Option<Self> {
        Some(HostSpec {
            name: Wire::take(bytes)?,
            ip: Wire::take(bytes)?,
            os: Wire::take(bytes)?,
        })
    }
}

impl Wire for SockError {
    fn put(&self, out: &mut Vec<u8>) {
        self.op.put(out);
        self.errno.put(out);
        self.why.put(out);
        (self.args.len() as u64).put(out);
        for (name, value) in &self.args {
            name.to_string().put(out);
            value.put(out);
        }
    }
    fn take(bytes: &mut &[u8]) -> Option<Self> {
        Some(SockError {
            op: Wire::take(bytes)?,
            errno: Wire::take(bytes)?,
            why: Wire::take(bytes)?,
            args: Vec::<(String, String)>::take(bytes)?
                .into_iter()
                .map(|(name, value)| (Cow::Owned(name), value))
                .collect(),
        })
    }
}

impl Wire for NetChange {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            NetChange::Link { link, up } => {
                out.push(0);
                link.put(out);
                up.put(out);
            }
            NetChange::Host { host, up } => {
                out.push(1);
                host.put(out);
                up.put(out);
            }
        }
    }
    fn take(bytes: &mut &[u8]) -> Option<Self> {
        Some(match take_byte(bytes)? {
            0 => NetChange::Link {
                link: Wire::take(bytes)?,
                up: Wire::take(bytes)?,
            },
            1 => NetChange::Host {
                host: Wire::take(bytes)?,
                up: Wire::take(bytes)?,
            },
            _ => return None,
        })
    }
}

impl Wire for Demux {
    fn put(&self, out: &mut Vec<u8>) {
        let (case, sock) = match *self {
            Demux::Connection { sock } => (0, Some(sock)),
            Demux::Listener { sock } => (1, Some(sock)),
            Demux::NoSocketAnswerRst => (2, None),
            Demux::NoSocketIgnoreRst => (3, None),
            Demux::UdpSocket { sock } => (4, Some(sock)),
            Demux::UdpClosedPort => (5, None),
            Demux::Icmp => (6, None),
            Demux::Reassembling => (7, None),
            Demux::Unseen => (8, None),
        };
        out.push(case);
        if let Some(sock) = sock {
            sock.put(out);
        }
    }
    fn take(bytes: &mut &[u8]) -> Option<Self> {
        Some(match take_byte(bytes)? {
            0 => Demux::Connection {
                sock: Wire::take(bytes)?,
            },
            1 => Demux::Listener {
                sock: Wire::take(bytes)?,
            },
            2 => Demux::NoSocketAnswerRst,
            3 => Demux::NoSocketIgnoreRst,
            4 => Demux::UdpSocket {
                sock: Wire::take(bytes)?,
            },
            5 => Demux::UdpClosedPort,
            6 => Demux::Icmp,
            7 => Demux::Reassembling,
            8 => Demux::Unseen,
            _ => return None,
        })
    }
}

impl Wire for DropReason {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            DropReason::NoRoute => out.push(0),
            DropReason::BacklogFull { listener } => {
                out.push(1);
                listener.put(out);
            }
            DropReason::Lost => out.push(2),
            DropReason::LinkDown => out.push(3),
            DropReason::HostDown => out.push(4),
            DropReason::Firewall { verdict } => {
                out.push(5);
                verdict.put(out);
            }
        }
    }
    fn take(bytes: &mut &[u8]) -> Option<Self> {
        Some(match take_byte(bytes)? {
            0 => DropReason::NoRoute,
            1 => DropReason::BacklogFull {
                listener: Wire::take(bytes)?,
            },
            2 => DropReason::Lost,
            3 => DropReason::LinkDown,
            4 => DropReason::HostDown,
            5 => DropReason::Firewall {
                verdict: Wire::take(bytes)?,
            },
            _ => return None,
        })
    }
}

/// An event, its time written as the step from the event before it (`last`), and a sent
/// segment's departure as the step from its event, its arrival as the step from its departure:
/// small numbers, and the same ones again and again, which compress well.
pub fn put_event(e: &Event, last: Instant, out: &mut Vec<u8>) {
    let at = e.at.total_micros();
    (at - last.total_micros()).put(out);
    use EventKind::*;
    match &e.kind {
        SegmentSent(s) => {
            out.push(0);
            s.seg.put(out);
            s.from.put(out);
            s.to.put(out);
            s.link.put(out);
            let depart = s.depart.total_micros();
            (depart - at).put(out);
            (s.arrive.total_micros() - depart).put(out);
            put_bytes(&s.bytes, out);
            s.copy_of.put(out);
        }
        SegmentDelivered {
            seg,
            host,
            decision,
        } => {
            out.push(1);
            seg.put(out);
            host.put(out);
            decision.put(out);
        }
        SegmentDropped { seg, reason } => {
            out.push(2);
            seg.put(out);
            reason.put(out);
        }
        ProcessStarted {
            pid,
            name,
            command,
            kind,
        } => {
            out.push(3);
            pid.put(out);
            name.put(out);
            command.put(out);
            kind.put(out);
        }
        ProcessExited { pid } => {
            out.push(4);
            pid.put(out);
        }
        SocketCreated {
            host,
            sock,
            proto,
            owner,
            state,
            local,
            remote,
        } => {
            out.push(5);
            host.put(out);
            sock.put(out);
            proto.put(out);
            owner.put(out);
            state.put(out);
            local.put(out);
            remote.put(out);
        }
        Accepted {
            host,
            listener,
            sock,
            pid,
            fd,
        } => {
            out.push(6);
            host.put(out);
            listener.put(out);
            sock.put(out);
            pid.put(out);
            fd.put(out);
        }
        Bound {
            host,
            sock,
            local,
            picked,
        } => {
            out.push(7);
            host.put(out);
            sock.put(out);
            local.put(out);
            picked.put(out);
        }
        Connecting {
            host,
            sock,
            local,
            remote,
        } => {
            out.push(8);
            host.put(out);
            sock.put(out);
            local.put(out);
            remote.put(out);
        }
        FdClosed {
            host,
            sock,
            pid,
            fd,
        } => {
            out.push(9);
            host.put(out);
            sock.put(out);
            pid.put(out);
            fd.put(out);
        }
        Queues {
            host,
            sock,
            recv_q,
            send_q,
        } => {
            out.push(10);
            host.put(out);
            sock.put(out);
            recv_q.put(out);
            send_q.put(out);
        }
        NetChanged(change) => {
            out.push(11);
            change.put(out);
        }
        StateChanged {
            host,
            sock,
            from,
            to,
        } => {
            out.push(12);
            host.put(out);
            sock.put(out);
            from.put(out);
            to.put(out);
        }
        SocketClosed { host, sock } => {
            out.push(13);
            host.put(out);
            sock.put(out);
        }
        DataSent {
            host,
            sock,
            pid,
            fd,
            bytes,
        } => {
            out.push(14);
            host.put(out);
            sock.put(out);
            pid.put(out);
            fd.put(out);
            put_bytes(bytes, out);
        }
        DataDelivered {
            host,
            sock,
            pid,
            fd,
            bytes,
            from,
        } => {
            out.push(15);
            host.put(out);
            sock.put(out);
            pid.put(out);
            fd.put(out);
            put_bytes(bytes, out);
            from.put(out);
        }
        ErrorReturned {
            pid,
            fd,
            sock,
            error,
        } => {
            out.push(16);
            pid.put(out);
            fd.put(out);
            sock.put(out);
            error.put(out);
        }
        Forked {
            host,
            parent,
            child,
            sock,
            fd,
        } => {
            out.push(17);
            host.put(out);
            parent.put(out);
            child.put(out);
            sock.put(out);
            fd.put(out);
        }
    }
}

/// The event [`put_event`] wrote after one at `last`; `None` if the bytes do not hold one. A
/// damaged file's steps may be huge or negative: they saturate, and the recording's check
/// refuses the times they make.
pub fn take_event(bytes: &mut &[u8], last: Instant) -> Option<Event> {
    let at = last.total_micros().saturating_add(i64::take(bytes)?);
    let kind = match take_byte(bytes)? {
        0 => {
            let (seg, from, to, link) = (
                Wire::take(bytes)?,
                Wire::take(bytes)?,
                Wire::take(bytes)?,
                Wire::take(bytes)?,
            );
            let depart = at.saturating_add(i64::take(bytes)?);
            let arrive = depart.saturating_add(i64::take(bytes)?);
            let raw = take_bytes(bytes)?;
            EventKind::SegmentSent(Box::new(SegmentSent {
                seg,
                from,
                to,
                link,
                depart: Instant::from_micros(depart),
                arrive: Instant::from_micros(arrive),
                summary: super::packet::decode(raw).ok()?,
                bytes: Rc::from(raw),
                copy_of: Wire::take(bytes)?,
            }))
        }
        1 => EventKind::SegmentDelivered {
            seg: Wire::take(bytes)?,
            host: Wire::take(bytes)?,
            decision: Wire::take(bytes)?,
        },
        2 => EventKind::SegmentDropped {
            seg: Wire::take(bytes)?,
            reason: Wire::take(bytes)?,
        },
        3 => EventKind::ProcessStarted {
            pid: Wire::take(bytes)?,
            name: Wire::take(bytes)?,
            command: Wire::take(bytes)?,
            kind: Wire::take(bytes)?,
        },
        4 => EventKind::ProcessExited {
            pid: Wire::take(bytes)?,
        },
        5 => EventKind::SocketCreated {
            host: Wire::take(bytes)?,
            sock: Wire::take(bytes)?,
            proto: Wire::take(bytes)?,
            owner: Wire::take(bytes)?,
            state: Wire::take(bytes)?,
            local: Wire::take(bytes)?,
            remote: Wire::take(bytes)?,
        },
        6 => EventKind::Accepted {
            host: Wire::take(bytes)?,
            listener: Wire::take(bytes)?,
            sock: Wire::take(bytes)?,
            pid: Wire::take(bytes)?,
            fd: Wire::take(bytes)?,
        },
        7 => EventKind::Bound {
            host: Wire::take(bytes)?,
            sock: Wire::take(bytes)?,
            local: Wire::take(bytes)?,
            picked: Wire::take(bytes)?,
        },
        8 => EventKind::Connecting {
            host: Wire::take(bytes)?,
            sock: Wire::take(bytes)?,
            local: Wire::take(bytes)?,
            remote: Wire::take(bytes)?,
        },
        9 => EventKind::FdClosed {
            host: Wire::take(bytes)?,
            sock: Wire::take(bytes)?,
            pid: Wire::take(bytes)?,
            fd: Wire::take(bytes)?,
        },
        10 => EventKind::Queues {
            host: Wire::take(bytes)?,
            sock: Wire::take(bytes)?,
            recv_q: Wire::take(bytes)?,
            send_q: Wire::take(bytes)?,
        },
        11 => EventKind::NetChanged(Wire::take(bytes)?),
        12 => EventKind::StateChanged {
            host: Wire::take(bytes)?,
            sock: Wire::take(bytes)?,
            from: Wire::take(bytes)?,
            to: Wire::take(bytes)?,
        },
        13 => EventKind::SocketClosed {
            host: Wire::take(bytes)?,
            sock: Wire::take(bytes)?,
        },
        14 => EventKind::DataSent {
            host: Wire::take(bytes)?,
            sock: Wire::take(bytes)?,
            pid: Wire::take(bytes)?,
            fd: Wire::take(bytes)?,
            bytes: take_bytes(bytes)?.to_vec(),
        },
        15 => EventKind::DataDelivered {
            host: Wire::take(bytes)?,
            sock: Wire::take(bytes)?,
            pid: Wire::take(bytes)?,
            fd: Wire::take(bytes)?,
            bytes: take_bytes(bytes)?.to_vec(),
            from: Wire::take(bytes)?,
        },
        16 => EventKind::ErrorReturned {
            pid: Wire::take(bytes)?,
            fd: Wire::take(bytes)?,
            sock: Wire::take(bytes)?,
            error: Wire::take(bytes)?,
        },
        17 => EventKind::Forked {
            host: Wire::take(bytes)?,
            parent: Wire::take(bytes)?,
            child: Wire::take(bytes)?,
            sock: Wire::take(bytes)?,
            fd: Wire::take(bytes)?,
        },
        _ => return None,
    };
    Some(Event {
        at: Instant::from_micros(at),
        kind,
    })
}
