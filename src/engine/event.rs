//! What happened, in order, with virtual timestamps: segments sent, delivered (with the
//! demultiplexing decision and why) and dropped; sockets created, changing state and closed;
//! data handed to and from processes; errors returned to them.

use std::fmt;
use std::net::SocketAddrV4;
use std::rc::Rc;

use super::net::{HostId, LinkId};
use super::packet::PacketSummary;
use super::socket::{Fd, Pid, Proto, SockError, SockId, SockState};
use super::time::Instant;

/// A segment's number: in the order segments were sent, over the whole run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SegmentId(pub u64);

/// Which socket a host's transport layer hands an arriving segment to, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Demux {
    /// The segment's 4-tuple (its source and destination address and port) matches a
    /// connected socket.
    Connection { sock: SockId },
    /// No connected socket matches, but a socket listens on the destination port.
    Listener { sock: SockId },
    /// No socket matches, so the host answers with RST ("connection refused").
    NoSocketAnswerRst,
    /// No socket matches, and the segment is itself an RST, which is never answered.
    NoSocketIgnoreRst,
    /// A UDP socket is bound to the destination port.
    UdpSocket { sock: SockId },
    /// No UDP socket is bound to the destination port: the host answers with ICMP
    /// "port unreachable".
    UdpClosedPort,
    /// An ICMP message, handled by the stack itself.
    Icmp,
}

impl Demux {
    /// The socket the segment went to, if any.
    pub fn socket(&self) -> Option<SockId> {
        match *self {
            Demux::Connection { sock } | Demux::Listener { sock } | Demux::UdpSocket { sock } => {
                Some(sock)
            }
            _ => None,
        }
    }

    /// Why, in a few words.
    pub fn reason(&self) -> &'static str {
        match self {
            Demux::Connection { .. } => "its 4-tuple matches a connected socket",
            Demux::Listener { .. } => "no connection matches, but a socket listens on this port",
            Demux::NoSocketAnswerRst => "no socket uses this port, so the host answers RST",
            Demux::NoSocketIgnoreRst => "no socket uses this port; an RST is never answered",
            Demux::UdpSocket { .. } => "a UDP socket is bound to this port",
            Demux::UdpClosedPort => {
                "no UDP socket on this port: the host answers ICMP port unreachable"
            }
            Demux::Icmp => "an ICMP message for the host's stack",
        }
    }
}

/// Why a segment never reached a host's stack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DropReason {
    /// No host has the destination address, or no link leads to it.
    NoRoute,
    /// The listener's accept queue is full; like Linux, the host drops the SYN and the client
    /// will try again.
    BacklogFull { listener: SockId },
}

impl fmt::Display for DropReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DropReason::NoRoute => f.write_str("no link leads to the destination address"),
            DropReason::BacklogFull { .. } => f.write_str(
                "the listener's backlog is full, so the SYN is dropped (the client will retry)",
            ),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct SegmentSent {
    pub seg: SegmentId,
    pub from: HostId,
    /// The host the segment travels to, when one has the destination address and a link.
    pub to: Option<HostId>,
    pub link: Option<LinkId>,
    pub depart: Instant,
    pub arrive: Instant,
    /// The packet as the stack wrote it: an IPv4 header and what it carries.
    pub bytes: Rc<[u8]>,
    pub summary: PacketSummary,
}

#[derive(Clone, Debug, PartialEq)]
pub enum EventKind {
    SegmentSent(SegmentSent),
    SegmentDelivered {
        seg: SegmentId,
        host: HostId,
        decision: Demux,
    },
    SegmentDropped {
        seg: SegmentId,
        reason: DropReason,
    },
    ProcessStarted {
        pid: Pid,
        name: String,
    },
    SocketCreated {
        host: HostId,
        sock: SockId,
        proto: Proto,
        /// The process and descriptor, when a process created it (not for a connection that
        /// waits in a listener's queue).
        owner: Option<(Pid, Fd)>,
        state: SockState,
        local: Option<SocketAddrV4>,
        remote: Option<SocketAddrV4>,
    },
    /// A process took a connection from a listener's queue and got a descriptor for it.
    Accepted {
        host: HostId,
        listener: SockId,
        sock: SockId,
        pid: Pid,
        fd: Fd,
    },
    Bound {
        host: HostId,
        sock: SockId,
        local: SocketAddrV4,
    },
    StateChanged {
        host: HostId,
        sock: SockId,
        from: SockState,
        to: SockState,
    },
    /// The socket is gone from the host's table.
    SocketClosed {
        host: HostId,
        sock: SockId,
    },
    /// A process wrote data into a socket.
    DataSent {
        host: HostId,
        sock: SockId,
        pid: Pid,
        fd: Fd,
        bytes: Vec<u8>,
    },
    /// A process read data out of a socket.
    DataDelivered {
        host: HostId,
        sock: SockId,
        pid: Pid,
        fd: Fd,
        bytes: Vec<u8>,
        from: Option<SocketAddrV4>,
    },
    ErrorReturned {
        pid: Pid,
        fd: Option<Fd>,
        sock: Option<SockId>,
        error: SockError,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub at: Instant,
    pub kind: EventKind,
}
