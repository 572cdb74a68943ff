//! What happened, in order, with virtual timestamps: segments sent, delivered (with the
//! demultiplexing decision and why) and dropped; sockets created, changing state and closed;
//! data handed to and from processes; errors returned to them.

use std::net::SocketAddrV4;
use std::rc::Rc;

use super::faults::{NetChange, Verdict};
use super::net::{HostId, LinkId};
use super::packet::PacketSummary;
use super::program::AppKind;
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
    /// A fragment of an IP datagram, not the last to arrive: the host's IP layer holds it
    /// until every fragment is there, and only then gives the whole datagram to UDP.
    Reassembling,
    /// A capture saw it arrive, but not which socket took it (a scene made from a learner's
    /// capture; the engine always knows).
    Unseen,
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
}

/// Why a segment never reached a host's stack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DropReason {
    /// No host has the destination address, or no link leads to it.
    NoRoute,
    /// The listener's accept queue is full; like Linux, the host drops the SYN and the client
    /// will try again.
    BacklogFull { listener: SockId },
    /// Lost on the link (the link's loss rate).
    Lost,
    /// The link was down.
    LinkDown,
    /// The sending or receiving host was down (unplugged).
    HostDown,
    /// A firewall rule on the receiving host for this port.
    Firewall { verdict: Verdict },
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
    /// Set on the second copy of a segment the link duplicated.
    pub copy_of: Option<SegmentId>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum EventKind {
    /// Boxed: a segment's summary is larger than any other event, and every event in the
    /// log would otherwise take its size.
    SegmentSent(Box<SegmentSent>),
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
        /// Its name in English (the CLI's); the view names a program by its `kind`.
        name: String,
        command: String,
        kind: Option<AppKind>,
    },
    /// A one-shot command finished and exited.
    ProcessExited {
        pid: Pid,
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
        /// Whether the OS picked the port (an ephemeral one: the program asked for port 0,
        /// or connected without binding), rather than the program naming it.
        picked: bool,
    },
    /// connect() gave the socket its peer (and, from the route, its local address).
    Connecting {
        host: HostId,
        sock: SockId,
        local: SocketAddrV4,
        remote: SocketAddrV4,
    },
    /// The process closed its descriptor; the socket may live on while TCP finishes.
    FdClosed {
        host: HostId,
        sock: SockId,
        pid: Pid,
        fd: Fd,
    },
    /// The bytes waiting in a socket's receive and send buffers changed.
    Queues {
        host: HostId,
        sock: SockId,
        recv_q: usize,
        send_q: usize,
    },
    /// A link or host went down or came back.
    NetChanged(NetChange),
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
    /// A forking server made a child process for a connection it accepted: the child holds the
    /// connection's descriptor (the same number), and the parent closed its copy. (Last, so that
    /// a recording's event numbers stay as they were.)
    Forked {
        host: HostId,
        parent: Pid,
        child: Pid,
        sock: SockId,
        fd: Fd,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub at: Instant,
    pub kind: EventKind,
}

impl EventKind {
    /// Every host and link this event names (a process by its host), for a recording's check.
    pub fn names(&self) -> (Vec<HostId>, Vec<LinkId>) {
        use EventKind::*;
        match self {
            SegmentSent(s) => (
                s.to.into_iter().chain([s.from]).collect(),
                s.link.into_iter().collect(),
            ),
            NetChanged(NetChange::Link { link, .. }) => (vec![], vec![*link]),
            NetChanged(NetChange::Host { host, .. }) => (vec![*host], vec![]),
            SocketCreated { host, owner, .. } => (
                owner.iter().map(|(p, _)| p.host).chain([*host]).collect(),
                vec![],
            ),
            Forked {
                host,
                parent,
                child,
                ..
            } => (vec![*host, parent.host, child.host], vec![]),
            Accepted { host, pid, .. }
            | FdClosed { host, pid, .. }
            | DataSent { host, pid, .. }
            | DataDelivered { host, pid, .. } => (vec![*host, pid.host], vec![]),
            ProcessStarted { pid, .. } | ProcessExited { pid } | ErrorReturned { pid, .. } => {
                (vec![pid.host], vec![])
            }
            SegmentDelivered { host, .. }
            | Bound { host, .. }
            | Connecting { host, .. }
            | Queues { host, .. }
            | StateChanged { host, .. }
            | SocketClosed { host, .. } => (vec![*host], vec![]),
            SegmentDropped { .. } => (vec![], vec![]),
        }
    }

    /// The host whose socket table or wire this event is about: the sender of a segment, the
    /// receiver of a delivery, the owner of a socket. None for events of a process or of the
    /// network as a whole.
    pub fn host(&self) -> Option<HostId> {
        match self {
            EventKind::SegmentSent(s) => Some(s.from),
            EventKind::SegmentDelivered { host, .. }
            | EventKind::SocketCreated { host, .. }
            | EventKind::Accepted { host, .. }
            | EventKind::Bound { host, .. }
            | EventKind::Connecting { host, .. }
            | EventKind::FdClosed { host, .. }
            | EventKind::Queues { host, .. }
            | EventKind::StateChanged { host, .. }
            | EventKind::SocketClosed { host, .. }
            | EventKind::DataSent { host, .. }
            | EventKind::DataDelivered { host, .. }
            | EventKind::Forked { host, .. } => Some(*host),
            EventKind::SegmentDropped { .. }
            | EventKind::ProcessStarted { .. }
            | EventKind::ProcessExited { .. }
            | EventKind::NetChanged(_)
            | EventKind::ErrorReturned { .. } => None,
        }
    }
}
