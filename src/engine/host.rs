//! One host's socket table, kept in step with its smoltcp stack: the BSD sockets (what each is
//! for, its addresses, state and queues), the ports in use, how an arriving segment is
//! demultiplexed, and what follows when smoltcp changes a socket (rows added for new
//! connections, deadlines set, processes woken, rows removed). The system calls that change the
//! table on a process's behalf are in `syscalls.rs`.

use std::collections::VecDeque;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::rc::Rc;

use smoltcp::iface::{SocketHandle, SocketSet};
use smoltcp::socket::{tcp, udp, Socket};

use super::agenda::{Agenda, Deadline};
use super::event::{Demux, DropReason, EventKind};
use super::faults::{unreachable_tcp, FirewallRule};
use super::net::{HostId, HostSpec};
use super::packet::{PacketSummary, Transport};
use super::ports::EphemeralPorts;
use super::program::FIRST_PID;
use super::recorder::Recorder;
use super::socket::{Errno, Fd, Op, Pid, Proto, SockError, SockId, SockState, Why};
use super::stack::{listen_endpoint, new_tcp_socket, v4, Stack};
use super::time::{Duration, Instant};
use crate::vecmap::VecMap;

/// Linux's cap on a listen() backlog (net.core.somaxconn since 5.4).
pub const SOMAXCONN: usize = 4096;

/// How long a connection stays in TIME-WAIT on Linux.
pub const TIME_WAIT: Duration = Duration::from_secs(60);

/// What a host's table reaches outside itself when it changes: the record of events, the
/// agenda (processes to wake, deadlines to set), and how long data may wait unacknowledged.
pub(crate) struct Cx<'a> {
    pub rec: &'a mut Recorder,
    pub agenda: &'a mut Agenda,
    pub stall_timeout: Duration,
}

impl Cx<'_> {
    /// Give up on a connection at `at` (or now, if that has passed) if it is still stuck then.
    pub fn deadline(&mut self, at: Instant, deadline: Deadline) {
        self.agenda.set_deadline(at.max(self.rec.now), deadline);
    }
}

/// How many sockets use a local port, and how many of them hold it alone (bound by bind(), a
/// listener or its connections, UDP) rather than chosen by a TCP connect().
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct PortUsers {
    pub all: u32,
    pub exclusive: u32,
}

/// What a BSD socket is for, beyond its protocol state.
#[derive(Debug)]
pub(crate) enum Role {
    /// A socket a process created: unbound, bound, connecting or connected.
    Plain,
    /// A listening socket. smoltcp turns a listening socket into the connection itself, so the
    /// listener keeps one smoltcp socket in LISTEN (the slot); when a SYN takes it, the slot
    /// becomes a new connection in the queue, and a fresh slot takes its place.
    Listener {
        slot: Option<SocketHandle>,
        backlog: usize,
        queue: VecDeque<SockId>,
    },
    /// A connection waiting in a listener's queue for accept().
    Queued { listener: SockId },
}

#[derive(Debug)]
pub(crate) struct Entry {
    pub id: SockId,
    pub proto: Proto,
    pub owner: Option<(Pid, Fd)>,
    pub local: Option<SocketAddrV4>,
    pub remote: Option<SocketAddrV4>,
    pub state: SockState,
    /// The smoltcp socket: a connection's own, a UDP socket's, or none (unbound or bound TCP
    /// sockets have none yet; a listener's is in its `Role`).
    pub handle: Option<SocketHandle>,
    pub role: Role,
    pub recv_q: usize,
    pub send_q: usize,
    /// The error a later call reports (SO_ERROR), e.g. after a refused connect().
    pub pending_error: Option<SockError>,
    /// An RST arrived for this connection: tells "refused" or "reset" from "timed out".
    pub rst_received: bool,
    /// An ICMP port unreachable ended this connection in SYN-SENT (a firewall's REJECT).
    pub icmp_refused: bool,
    /// Since when its queued data has waited for an acknowledgment (see [`Deadline::Stall`]).
    pub stalled_since: Option<Instant>,
    /// Its local port was chosen by connect(), which other connect()s may share.
    pub shared_port: bool,
    /// How many SYNs its connect() has sent.
    pub syns_sent: u32,
    pub shut_read: bool,
    pub shut_write: bool,
    /// The smoltcp socket of a connection resting in TIME-WAIT that no process holds, set
    /// aside from the stack so that polls stop visiting it (a busy client keeps a minute of
    /// them); `handle` is None meanwhile. It goes back when a segment arrives for it.
    pub parked: Option<Box<Socket<'static>>>,
    /// The last segment it sent once in TIME-WAIT (its final ACK): what it sends again when
    /// the peer's FIN comes again after smoltcp let the socket go (10 s; Linux keeps it 60).
    pub final_ack: Option<Vec<u8>>,
}

impl Entry {
    /// Whether [`Host::sync`] reads it from smoltcp: it has a smoltcp socket, or listens.
    fn polled(&self) -> bool {
        self.handle.is_some() || matches!(self.role, Role::Listener { .. })
    }

    pub fn new(id: SockId, proto: Proto, owner: Option<(Pid, Fd)>) -> Entry {
        Entry {
            id,
            proto,
            owner,
            local: None,
            remote: None,
            state: SockState::Fresh,
            handle: None,
            role: Role::Plain,
            recv_q: 0,
            send_q: 0,
            pending_error: None,
            rst_received: false,
            icmp_refused: false,
            stalled_since: None,
            shared_port: false,
            syns_sent: 0,
            shut_read: false,
            shut_write: false,
            final_ack: None,
            parked: None,
        }
    }
}

pub(crate) struct Host {
    pub id: HostId,
    /// Its TCP sockets' buffer sizes, each way (the window each offers).
    pub buffer: Buffers,
    pub spec: HostSpec,
    pub stack: Stack,
    /// Sockets in creation order, which is the order of the course's "Socket 1, Socket 2".
    pub entries: VecMap<SockId, Entry>,
    /// Connections by (protocol, local, remote).
    pub conns: VecMap<(Proto, SocketAddrV4, SocketAddrV4), SockId>,
    /// Listening TCP sockets and bound UDP sockets, by port.
    pub bound: VecMap<(Proto, u16), SockId>,
    /// Who uses each local port, connections included.
    pub port_users: VecMap<(Proto, u16), PortUsers>,
    pub ephemeral: EphemeralPorts,
    pub next_pid: u32,
    /// Whether it is plugged in (a network change can take it down).
    pub up: bool,
    /// Its firewall's rules for arriving traffic.
    pub firewall: Vec<FirewallRule>,
    /// Datagrams arriving in fragments, by sender and IP identification: what has come so far.
    pub reassembly: VecMap<(Ipv4Addr, u16), Partial>,
    /// The entries [`Host::sync`] reads from smoltcp: those with a smoltcp socket, and
    /// listeners. A client keeps a minute of TIME-WAIT rows with none, which sync then skips
    /// without visiting. Kept by [`Host::rewatch`] from the entry itself.
    watched: Vec<SockId>,
    /// Something may have changed its sockets since its last poll: a system call, a deadline,
    /// or the socket layer acting on a smoltcp socket. See [`Host::quiet`].
    stirred: bool,
    /// When smoltcp next needs a poll (its `poll_at`), as of the last poll; good while
    /// nothing has stirred the host since.
    due: Option<Instant>,
    /// Connections that reached TIME-WAIT with their smoltcp socket still in the stack: each
    /// is parked once no process holds it and it has nothing left to send.
    resting: Vec<SockId>,
    /// An empty set to ask smoltcp what one socket has due (see [`Host::park_resting`]).
    probe: SocketSet<'static>,
}

/// A host's TCP buffer sizes, each way: the receive buffer is the window a socket offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Buffers {
    /// A socket that connects.
    pub connect: usize,
    /// A connection a listener accepts (its SYN-ACK's window).
    pub accept: usize,
}

/// A datagram whose fragments are arriving.
#[derive(Clone, Debug)]
pub(crate) struct Partial {
    /// Payload bytes received so far, each fragment once: a duplicated fragment (a link that
    /// duplicates) does not count again.
    have: usize,
    /// The offsets of the fragments received so far.
    offsets: Vec<u16>,
    /// The datagram's payload length, once its last fragment has come.
    total: Option<usize>,
    /// Its first fragment, once it has come: the one with the UDP header, which a firewall
    /// rule and an ICMP error look at.
    first: Option<Reassembled>,
    since: Instant,
}

/// A datagram whose last fragment has just come, by its first fragment.
#[derive(Clone, Debug)]
pub(crate) struct Reassembled {
    pub bytes: Rc<[u8]>,
    pub summary: PacketSummary,
}

impl Reassembled {
    fn port(&self) -> Option<u16> {
        match &self.summary.transport {
            Transport::Udp(u) => Some(u.dst_port),
            _ => None,
        }
    }
}

/// How long a host holds an incomplete datagram's fragments: smoltcp's reassembly timeout,
/// set to Linux's (net.ipv4.ipfrag_time, 30 s) by the stack.
pub const REASSEMBLY_TIMEOUT: Duration = Duration::from_secs(30);

impl Host {
    /// A host with an empty socket table, plugged in, with no firewall rules.
    pub fn new(
        id: HostId,
        spec: HostSpec,
        stack: Stack,
        ephemeral: EphemeralPorts,
        buffer: Buffers,
    ) -> Host {
        Host {
            id,
            buffer,
            spec,
            stack,
            entries: VecMap::new(),
            conns: VecMap::new(),
            bound: VecMap::new(),
            port_users: VecMap::new(),
            ephemeral,
            next_pid: FIRST_PID,
            up: true,
            firewall: Vec::new(),
            reassembly: VecMap::new(),
            watched: Vec::new(),
            stirred: false,
            due: None,
            resting: Vec::new(),
            probe: SocketSet::new(Vec::new()),
        }
    }

    /// Why the first firewall rule that matches drops this packet, if one does.
    pub fn firewall_verdict(&self, s: &PacketSummary) -> Option<DropReason> {
        self.firewall
            .iter()
            .find(|r| r.matches(s))
            .map(|r| DropReason::Firewall { verdict: r.verdict })
    }

    pub fn port_in_use(&self, proto: Proto, port: u16) -> bool {
        self.port_users.contains_key(&(proto, port))
    }

    /// Whether a socket may take `port` as its ephemeral port (as [`Host::pick_ephemeral`]
    /// judges it). bind() (port 0) needs a port
    /// nobody uses. connect() (`to` is its destination) may also share a TCP port that only
    /// other connect()s took, toward other destinations: Linux's `__inet_hash_connect` reuses
    /// such a port when the 4-tuple stays unique, so one client has a whole range of ports
    /// for each destination.
    #[cfg(test)]
    pub fn ephemeral_free(&self, proto: Proto, port: u16, to: Option<SocketAddrV4>) -> bool {
        let users = self.port_users.get(&(proto, port));
        ephemeral_free(users, &self.conns, self.spec.ip, (proto, port), to)
    }

    /// An ephemeral port for a socket that connects to `to` (None: bind() to port 0), from
    /// the OS's range and in its order; None when none is free.
    pub fn pick_ephemeral(&mut self, proto: Proto, to: Option<SocketAddrV4>) -> Option<u16> {
        let Host {
            ephemeral,
            port_users,
            conns,
            spec,
            ..
        } = self;
        let dst = to.map(|d| (*d.ip(), d.port()));
        ephemeral.pick(dst, |port| {
            let users = port_users.get(&(proto, port));
            !ephemeral_free(users, conns, spec.ip, (proto, port), to)
        })
    }

    /// One more socket uses a port: `shared` when connect() chose it, so that other
    /// connect()s may share it (see [`Host::ephemeral_free`]).
    pub fn use_port(&mut self, proto: Proto, port: u16, shared: bool) {
        let users = self.port_users.entry((proto, port)).or_default();
        users.all += 1;
        users.exclusive += u32::from(!shared);
    }

    pub fn release_port(&mut self, proto: Proto, port: u16, shared: bool) {
        if let Some(users) = self.port_users.get_mut(&(proto, port)) {
            users.all = users.all.saturating_sub(1);
            if !shared {
                users.exclusive = users.exclusive.saturating_sub(1);
            }
            if users.all == 0 {
                self.port_users.remove(&(proto, port));
            }
        }
    }

    /// The state of the TCP connection `local` → `remote`, if this host has one (CLOSED for a
    /// table entry whose socket is gone).
    pub fn connection_state(&self, local: SocketAddrV4, remote: SocketAddrV4) -> Option<SockState> {
        let id = self.conns.get(&(Proto::Tcp, local, remote))?;
        Some(self.entries.get(id).map_or(SockState::Closed, |e| e.state))
    }

    /// Put `id` among the entries sync reads, or take it out, as the entry now is: call after
    /// giving an entry a smoltcp socket or a listener's role, or taking them away.
    pub fn rewatch(&mut self, id: SockId) {
        let live = self.entries.get(&id).is_some_and(Entry::polled);
        // Kept sorted, so sync reads the table in its order.
        match (live, self.watched.binary_search(&id)) {
            (true, Err(at)) => self.watched.insert(at, id),
            (false, Ok(at)) => {
                self.watched.remove(at);
            }
            _ => {}
        }
    }

    /// Take the listening socket on TCP `port` out of smoltcp's set, for a segment that Linux
    /// gives to a connection: smoltcp offers a segment to its sockets in turn, and a listening
    /// one takes any SYN for its port, also the retransmitted or duplicated SYN of a connection
    /// that exists. [`Host::listener_back`] puts it back.
    pub(crate) fn listener_aside(&mut self, port: u16) -> Option<(SockId, Socket<'static>)> {
        let &sock = self.bound.get(&(Proto::Tcp, port))?;
        let Some(Entry {
            role: Role::Listener { slot, .. },
            ..
        }) = self.entries.get_mut(&sock)
        else {
            return None;
        };
        let handle = slot.take()?;
        Some((sock, self.stack.sockets.remove(handle)))
    }

    /// The listening socket [`Host::listener_aside`] took out, back in smoltcp's set.
    pub(crate) fn listener_back(&mut self, (sock, socket): (SockId, Socket<'static>)) {
        let handle = self.stack.sockets.add(socket);
        if let Some(Entry {
            role: Role::Listener { slot, .. },
            ..
        }) = self.entries.get_mut(&sock)
        {
            *slot = Some(handle);
        }
        self.rewatch(sock);
    }

    /// A new TCP socket to connect, as this host's OS makes one.
    pub fn new_tcp_socket(&self) -> tcp::Socket<'static> {
        new_tcp_socket(self.buffer.connect, self.spec.os)
    }

    pub fn tcp(&self, handle: SocketHandle) -> &tcp::Socket<'static> {
        self.stack.sockets.get::<tcp::Socket>(handle)
    }

    pub fn tcp_mut(&mut self, handle: SocketHandle) -> &mut tcp::Socket<'static> {
        self.stirred = true;
        self.stack.sockets.get_mut::<tcp::Socket>(handle)
    }

    /// Something outside a poll acted on this host's sockets (a system call, say).
    pub fn stir(&mut self) {
        self.stirred = true;
    }

    /// Whether a poll now would change nothing: no segment waits, nothing acted on its sockets
    /// since the last poll, and none of its sockets has anything due (smoltcp's `poll_at`
    /// covers data to send, timers and fragments still to go). The simulation skips polling
    /// such a host; debug builds poll it anyway and check that nothing changed.
    pub fn quiet(&mut self, now: Instant) -> bool {
        !self.stirred && self.stack.device.rx.is_empty() && self.due(now).is_none_or(|t| t > now)
    }

    /// When smoltcp next needs a poll: kept from the last poll while nothing stirred the host.
    pub fn due(&mut self, now: Instant) -> Option<Instant> {
        if self.stirred {
            return self.stack.iface.poll_at(now, &self.stack.sockets);
        }
        debug_assert_eq!(
            self.due,
            self.stack.iface.poll_at(now, &self.stack.sockets),
            "host {:?}: poll_at kept from the last poll",
            self.id
        );
        self.due
    }

    /// Let smoltcp take in what arrived and send nothing yet: the host's programs react first,
    /// and the next poll sends (see [`OsProfile::acks_like_linux`]).
    pub fn ingress(&mut self, now: Instant) {
        self.stack.ingress(now);
        self.stirred = true;
    }

    /// Let smoltcp process what arrived and send what is due.
    pub fn poll(&mut self, now: Instant) {
        self.stirred = false;
        self.stack.poll(now);
        self.due = self.stack.iface.poll_at(now, &self.stack.sockets);
    }

    /// What the host's OS does with a segment its stack wrote: whether it leaves the host. A
    /// connect() sends at most the OS's number of SYNs (Linux 7); smoltcp's back-off is capped at
    /// 60 s, so it would send Linux an eighth at 123 s, before the connect deadline at 127 s. That
    /// one never leaves the host. A connection in TIME-WAIT keeps what it sends, its final ACK,
    /// to send again once smoltcp has let it go (see `Sim::answer_lingering`).
    pub fn sends(&mut self, s: &PacketSummary, bytes: &[u8]) -> bool {
        let Transport::Tcp(t) = &s.transport else {
            return true;
        };
        let limit = self.spec.os.syn_limit();
        let key = (
            Proto::Tcp,
            SocketAddrV4::new(s.src, t.src_port),
            SocketAddrV4::new(s.dst, t.dst_port),
        );
        let Some(e) = self.conns.get(&key).and_then(|id| self.entries.get_mut(id)) else {
            return true;
        };
        if e.state == SockState::TimeWait {
            e.final_ack = Some(bytes.to_vec());
        }
        if !t.flags.syn || t.flags.ack {
            return true;
        }
        e.syns_sent += 1;
        limit.is_none_or(|n| e.syns_sent <= n)
    }

    /// Whether a deadline still applies: its socket is still stuck as it was.
    pub fn still_stuck(&self, d: &Deadline) -> bool {
        let Some(e) = self.entries.get(&d.sock()) else {
            return false;
        };
        match *d {
            Deadline::Connect { .. } => e.state == SockState::SynSent,
            Deadline::Stall { since, .. } => {
                e.stalled_since == Some(since) && e.state.is_connected()
            }
            Deadline::TimeWait { .. } => e.state == SockState::TimeWait,
        }
    }

    /// The OS gives up on a connection (connect, stall: it ends with ETIMEDOUT and sends
    /// nothing more; its smoltcp socket is swapped for a closed one, since closing it would send
    /// a FIN and aborting it an RST), or lets TIME-WAIT end.
    pub fn give_up(&mut self, cx: &mut Cx<'_>, d: Deadline) {
        if !self.still_stuck(&d) {
            return;
        }
        let sock = d.sock();
        let os = self.spec.os;
        self.stirred = true;
        // TIME-WAIT's end needs only the row closed; a connection given up on first loses its
        // smoltcp socket.
        let given_up = !matches!(d, Deadline::TimeWait { .. });
        if let Some(handle) = self
            .entries
            .get(&sock)
            .and_then(|e| e.handle)
            .filter(|_| given_up)
        {
            self.stack.sockets.remove(handle);
            let fresh = self.stack.sockets.add(new_tcp_socket(0, os));
            if let Some(e) = self.entries.get_mut(&sock) {
                e.handle = Some(fresh);
                e.stalled_since = None;
            }
        }
        self.apply(
            cx,
            sock,
            Observed::Tcp {
                state: SockState::Closed,
                recv_q: 0,
                send_q: 0,
            },
        );
        self.sync_listeners(cx.rec);
    }

    /// An ICMP destination-unreachable about one of this host's TCP connections. Linux
    /// (tcp_v4_err) ends a connection still in SYN-SENT with ECONNREFUSED; for an established
    /// one it is only a soft error. smoltcp does not act on ICMP at all, so the socket layer
    /// does: it closes the smoltcp socket, which in SYN-SENT sends nothing.
    pub fn icmp_unreachable(&mut self, bytes: &[u8]) {
        let Some((local, remote)) = unreachable_tcp(bytes) else {
            return;
        };
        let Some(&sock) = self.conns.get(&(Proto::Tcp, local, remote)) else {
            return;
        };
        let Some(e) = self.entries.get_mut(&sock) else {
            return;
        };
        if e.state != SockState::SynSent {
            return;
        }
        e.icmp_refused = true;
        if let Some(handle) = e.handle {
            self.tcp_mut(handle).close();
        }
    }

    /// How an arriving packet is demultiplexed. A fragment is held until its datagram is
    /// whole (as the IP layer does); the fragment that completes it comes back with the
    /// datagram's first fragment, for the firewall, which sees whole datagrams (a Linux
    /// firewall tracks connections, and that reassembles fragments before its filter table).
    pub fn demux_arriving(
        &mut self,
        s: &PacketSummary,
        bytes: &Rc<[u8]>,
        now: Instant,
    ) -> Result<(Demux, Option<Reassembled>), DropReason> {
        let Some(fragment) = s.fragment else {
            return Ok((self.demux(s)?, None));
        };
        self.reassembly
            .retain(|_, p| p.since + REASSEMBLY_TIMEOUT > now);
        let key = (s.src, s.ident);
        let p = self.reassembly.entry(key).or_insert(Partial {
            have: 0,
            offsets: Vec::new(),
            total: None,
            first: None,
            since: now,
        });
        // smoltcp writes no IP options: the header is 20 bytes.
        let len = usize::from(s.total_len).saturating_sub(20);
        if !p.offsets.contains(&fragment.offset) {
            p.offsets.push(fragment.offset);
            p.have += len;
        }
        if !fragment.more {
            p.total = Some(usize::from(fragment.offset) + len);
        }
        if let Transport::Udp(_) = &s.transport {
            p.first = Some(Reassembled {
                bytes: bytes.clone(),
                summary: s.clone(),
            });
        }
        let port = p.first.as_ref().and_then(Reassembled::port);
        match (p.total, port) {
            (Some(total), Some(port)) if p.have >= total => {
                let first = self.reassembly.remove(&key).and_then(|p| p.first);
                let demux = match self.bound.get(&(Proto::Udp, port)) {
                    Some(&sock) => Demux::UdpSocket { sock },
                    None => Demux::UdpClosedPort,
                };
                Ok((demux, first))
            }
            _ => Ok((Demux::Reassembling, None)),
        }
    }

    /// Which socket the host's transport layer gives this segment to, and why; or why it is
    /// dropped before the stack sees it.
    pub fn demux(&self, s: &PacketSummary) -> Result<Demux, DropReason> {
        match &s.transport {
            Transport::Tcp(t) => {
                let local = SocketAddrV4::new(s.dst, t.dst_port);
                let remote = SocketAddrV4::new(s.src, t.src_port);
                if let Some(&sock) = self.conns.get(&(Proto::Tcp, local, remote)) {
                    return Ok(Demux::Connection { sock });
                }
                if let Some(&sock) = self.bound.get(&(Proto::Tcp, t.dst_port)) {
                    if let Some(Entry {
                        role: Role::Listener { slot, .. },
                        ..
                    }) = self.entries.get(&sock)
                    {
                        if slot.is_none() && t.flags.syn && !t.flags.ack {
                            return Err(DropReason::BacklogFull { listener: sock });
                        }
                        if slot.is_some() {
                            return Ok(Demux::Listener { sock });
                        }
                    }
                }
                Ok(if t.flags.rst {
                    Demux::NoSocketIgnoreRst
                } else {
                    Demux::NoSocketAnswerRst
                })
            }
            Transport::Udp(u) => Ok(match self.bound.get(&(Proto::Udp, u.dst_port)) {
                Some(&sock) => Demux::UdpSocket { sock },
                None => Demux::UdpClosedPort,
            }),
            Transport::Icmp(_) | Transport::Other { .. } => Ok(Demux::Icmp),
            Transport::Fragment { .. } => Ok(Demux::Reassembling),
        }
    }

    /// What smoltcp shows of an entry's socket that the table does not have yet, if anything.
    fn observe(&self, e: &Entry) -> Option<Observed> {
        match (&e.role, e.proto) {
            (
                Role::Listener {
                    slot: Some(slot), ..
                },
                _,
            ) => (self.tcp(*slot).state() != tcp::State::Listen).then_some(Observed::SlotTaken),
            (Role::Listener { .. }, _) => None,
            (_, Proto::Tcp) => {
                let s = self.tcp(e.handle?);
                let state = SockState::from_tcp(s.state());
                // smoltcp ended TIME-WAIT after 10 s; Linux holds it for 60 (until
                // Deadline::TimeWait). The row stays; the smoltcp socket is freed, so polls
                // stop visiting it.
                if e.state == SockState::TimeWait && state == SockState::Closed {
                    return Some(Observed::Lingering);
                }
                let (recv_q, send_q) = (s.recv_queue(), s.send_queue());
                (state != e.state || recv_q != e.recv_q || send_q != e.send_q).then_some(
                    Observed::Tcp {
                        state,
                        recv_q,
                        send_q,
                    },
                )
            }
            (_, Proto::Udp) => {
                let s = self.stack.sockets.get::<udp::Socket>(e.handle?);
                let (recv_q, send_q) = (s.recv_queue(), s.send_queue());
                (recv_q != e.recv_q || send_q != e.send_q)
                    .then_some(Observed::Udp { recv_q, send_q })
            }
        }
    }

    /// Read every socket of a host from smoltcp and apply what changed. True if anything did.
    pub fn sync(&mut self, cx: &mut Cx<'_>) -> bool {
        #[cfg(debug_assertions)]
        self.check_watched();
        let changes: Vec<(SockId, Observed)> = self
            .watched
            .iter()
            .filter_map(|id| Some((*id, self.observe(self.entries.get(id)?)?)))
            .collect();
        let any = !changes.is_empty();
        for (id, observed) in changes {
            if let Observed::Tcp {
                state: SockState::TimeWait,
                ..
            } = observed
            {
                self.resting.push(id);
            }
            self.apply(cx, id, observed);
        }
        // A listener's queue changes only with its connections' rows (or a system call,
        // which refreshes it itself).
        if any {
            self.sync_listeners(cx.rec);
        }
        self.park_resting(cx.rec.now);
        any
    }

    /// Set aside the smoltcp socket of each connection that rests in TIME-WAIT with no
    /// process holding it, once it has nothing left to send: all it may still do is answer
    /// a segment that arrives for it (a repeated FIN), and [`Host::unpark`] brings it back
    /// for that. The row stays in the table until TIME-WAIT ends.
    fn park_resting(&mut self, now: Instant) {
        if self.resting.is_empty() {
            return;
        }
        let mut waiting = Vec::new();
        for id in std::mem::take(&mut self.resting) {
            let Some(e) = self.entries.get(&id) else {
                continue;
            };
            let Some(handle) = e.handle.filter(|_| e.state == SockState::TimeWait) else {
                continue;
            };
            if e.owner.is_some() {
                waiting.push(id);
                continue;
            }
            // What this socket alone has due: only its close timer, or an ACK still to go.
            let probe = self.probe.add(self.stack.sockets.remove(handle));
            let due = self.stack.iface.poll_at(now, &self.probe);
            let socket = self.probe.remove(probe);
            let idle = due.is_none_or(|t| t > now + Duration::from_secs(1));
            let (handle, parked) = if idle {
                (None, Some(Box::new(socket)))
            } else {
                waiting.push(id);
                (Some(self.stack.sockets.add(socket)), None)
            };
            if let Some(e) = self.entries.get_mut(&id) {
                e.handle = handle;
                e.parked = parked;
            }
            self.rewatch(id);
        }
        self.resting = waiting;
        self.due = self.stack.iface.poll_at(now, &self.stack.sockets);
    }

    /// A segment arrives for a connection whose socket is parked: it goes back to the stack,
    /// which answers as TIME-WAIT does.
    pub fn unpark(&mut self, id: SockId) {
        let Some(e) = self.entries.get_mut(&id) else {
            return;
        };
        let Some(socket) = e.parked.take() else {
            return;
        };
        e.handle = Some(self.stack.sockets.add(*socket));
        self.rewatch(id);
        self.resting.push(id);
        self.stirred = true;
    }

    /// The watched set is exactly what [`Host::rewatch`] would make it (debug builds, so
    /// every test checks it at every poll).
    #[cfg(debug_assertions)]
    fn check_watched(&self) {
        let expected: Vec<SockId> = self
            .entries
            .values()
            .filter(|e| e.polled())
            .map(|e| e.id)
            .collect();
        assert_eq!(
            self.watched, expected,
            "host {:?}: watched entries",
            self.id
        );
    }

    /// A listening socket's queues as `ss -lnt` shows them: Recv-Q is how many connections
    /// have finished their handshake and wait for accept(), Send-Q the backlog listen() asked
    /// for (capped at net.core.somaxconn, 4096, by listen()).
    pub fn sync_listeners(&mut self, rec: &mut Recorder) {
        let mut changed = Vec::new();
        // Every listener is in `bound`, under its port: reported in port order.
        for id in self.bound.values() {
            let Some(
                e @ Entry {
                    role: Role::Listener { backlog, queue, .. },
                    ..
                },
            ) = self.entries.get(id)
            else {
                continue;
            };
            let ready = queue
                .iter()
                .filter(|q| {
                    self.entries.get(q).is_some_and(|c| {
                        !matches!(c.state, SockState::SynReceived | SockState::Listen)
                    })
                })
                .count();
            let backlog = *backlog;
            if (ready, backlog) != (e.recv_q, e.send_q) {
                changed.push((*id, ready, backlog));
            }
        }
        for (id, recv_q, send_q) in changed {
            if let Some(e) = self.entries.get_mut(&id) {
                e.recv_q = recv_q;
                e.send_q = send_q;
            }
            rec.emit(EventKind::Queues {
                host: self.id,
                sock: id,
                recv_q,
                send_q,
            });
        }
    }

    fn apply(&mut self, cx: &mut Cx<'_>, id: SockId, observed: Observed) {
        let host_id = self.id;
        match observed {
            Observed::SlotTaken => self.promote_slot(cx, id),
            Observed::Lingering => {
                if let Some(handle) = self.entries.get_mut(&id).and_then(|e| e.handle.take()) {
                    self.stack.sockets.remove(handle);
                }
                self.rewatch(id);
            }
            Observed::Udp { recv_q, send_q } => {
                let Some(e) = self.entries.get_mut(&id) else {
                    return;
                };
                e.recv_q = recv_q;
                e.send_q = send_q;
                let owner = e.owner;
                cx.rec.emit(EventKind::Queues {
                    host: host_id,
                    sock: id,
                    recv_q,
                    send_q,
                });
                if let Some((pid, _)) = owner {
                    cx.agenda.wake(pid, id);
                }
            }
            Observed::Tcp {
                state,
                recv_q,
                send_q,
            } => self.apply_tcp(cx, id, state, recv_q, send_q),
        }
    }

    /// What smoltcp shows of a TCP connection, applied to its row: the state and queues, the
    /// deadlines that follow from them, and the processes to wake.
    fn apply_tcp(
        &mut self,
        cx: &mut Cx<'_>,
        id: SockId,
        state: SockState,
        recv_q: usize,
        send_q: usize,
    ) {
        let host_id = self.id;
        let Some(e) = self.entries.get_mut(&id) else {
            return;
        };
        let from = e.state;
        let queues_changed = (e.recv_q, e.send_q) != (recv_q, send_q);
        // Data waits for an acknowledgment from the moment it is queued, and again from
        // each time some of it is acknowledged.
        let stall = if send_q == 0 || !state.is_connected() {
            e.stalled_since = None;
            None
        } else if e.stalled_since.is_none() || send_q < e.send_q {
            e.stalled_since = Some(cx.rec.now);
            Some(cx.rec.now)
        } else {
            None
        };
        e.state = state;
        e.recv_q = recv_q;
        e.send_q = send_q;
        let owner = e.owner.map(|(p, _)| p);
        let listener = match e.role {
            Role::Queued { listener } => Some(listener),
            _ => None,
        };
        if queues_changed {
            cx.rec.emit(EventKind::Queues {
                host: host_id,
                sock: id,
                recv_q,
                send_q,
            });
        }
        if from != state {
            cx.rec.emit(EventKind::StateChanged {
                host: host_id,
                sock: id,
                from,
                to: state,
            });
        }
        if let Some(pid) = owner {
            cx.agenda.wake(pid, id);
        }
        if let Some(l) = listener {
            if let Some(pid) = self.entries.get(&l).and_then(|l| l.owner).map(|(p, _)| p) {
                cx.agenda.wake(pid, l);
            }
        }
        if state == SockState::TimeWait && from != state {
            let host = self.id.0;
            cx.deadline(
                cx.rec.now + TIME_WAIT,
                Deadline::TimeWait { host, sock: id },
            );
        }
        if let Some(since) = stall {
            let at = since + cx.stall_timeout;
            cx.deadline(
                at,
                Deadline::Stall {
                    host: self.id.0,
                    sock: id,
                    since,
                },
            );
        }
        if from != state && matches!(state, SockState::Closed | SockState::Listen) {
            self.connection_ended(cx, id, from);
        } else {
            self.abort_if_orphan_got_data(id);
        }
    }

    /// Data arrived for a connection its process has already closed: nobody can ever read it,
    /// so, like Linux (its TCPAbortOnData counter), the host resets the connection. smoltcp's
    /// close() only closes the sending half, so this is the BSD layer's job.
    fn abort_if_orphan_got_data(&mut self, id: SockId) {
        let Some(e) = self.entries.get(&id) else {
            return;
        };
        if e.owner.is_some()
            || !matches!(e.role, Role::Plain)
            || e.recv_q == 0
            || !e.state.is_connected()
        {
            return;
        }
        if let Some(handle) = e.handle {
            self.tcp_mut(handle).abort();
        }
    }

    /// A listener's slot took a SYN: it is now a connection in the listener's queue, with a
    /// socket of its own in the table. A fresh slot listens in its place while the backlog
    /// has room.
    fn promote_slot(&mut self, cx: &mut Cx<'_>, listener: SockId) {
        let Some(Entry {
            role: Role::Listener { slot, .. },
            local: Some(listen_addr),
            owner,
            ..
        }) = self.entries.get_mut(&listener)
        else {
            return;
        };
        let (listen_addr, listener_owner) = (*listen_addr, *owner);
        let Some(handle) = slot.take() else { return };
        let s = self.tcp(handle);
        let state = SockState::from_tcp(s.state());
        let (local, remote) = (
            s.local_endpoint().and_then(v4),
            s.remote_endpoint().and_then(v4),
        );
        let (recv_q, send_q) = (s.recv_queue(), s.send_queue());
        let (Some(local), Some(remote)) = (local, remote) else {
            return;
        };
        let id = cx.rec.new_sock_id();
        let mut entry = Entry::new(id, Proto::Tcp, None);
        entry.local = Some(local);
        entry.remote = Some(remote);
        entry.state = state;
        entry.handle = Some(handle);
        entry.role = Role::Queued { listener };
        entry.recv_q = recv_q;
        entry.send_q = send_q;
        self.entries.insert(id, entry);
        self.rewatch(id);
        self.conns.insert((Proto::Tcp, local, remote), id);
        self.use_port(Proto::Tcp, local.port(), false);
        if let Some(Entry {
            role: Role::Listener { queue, .. },
            ..
        }) = self.entries.get_mut(&listener)
        {
            queue.push_back(id);
        }
        cx.rec.emit(EventKind::SocketCreated {
            host: self.id,
            sock: id,
            proto: Proto::Tcp,
            owner: None,
            state,
            local: Some(local),
            remote: Some(remote),
        });
        if (recv_q, send_q) != (0, 0) {
            cx.rec.emit(EventKind::Queues {
                host: self.id,
                sock: id,
                recv_q,
                send_q,
            });
        }
        self.refill_slot(listener, listen_addr);
        if let Some((pid, _)) = listener_owner {
            cx.agenda.wake(pid, listener);
        }
    }

    /// Give a listener a fresh smoltcp socket in LISTEN, if its queue has room.
    pub fn refill_slot(&mut self, listener: SockId, addr: SocketAddrV4) {
        let Some(Entry {
            role:
                Role::Listener {
                    slot,
                    backlog,
                    queue,
                },
            ..
        }) = self.entries.get(&listener)
        else {
            return;
        };
        if slot.is_some() || queue.len() >= *backlog {
            return;
        }
        // The listener's slot becomes the connection a SYN makes: its buffer is an accepted
        // socket's.
        let mut socket = new_tcp_socket(self.buffer.accept, self.spec.os);
        let endpoint = listen_endpoint(addr);
        if socket.listen(endpoint).is_err() {
            return;
        }
        let handle = self.stack.sockets.add(socket);
        if let Some(Entry {
            role: Role::Listener { slot, .. },
            ..
        }) = self.entries.get_mut(&listener)
        {
            *slot = Some(handle);
        }
    }

    /// A connection reached CLOSED (or, still in a listener's queue, fell back to LISTEN after
    /// an RST). Tell its process why, or remove it when no process holds it any more.
    fn connection_ended(&mut self, cx: &mut Cx<'_>, id: SockId, from: SockState) {
        let Some(e) = self.entries.get(&id) else {
            return;
        };
        let (owner, rst, icmp, remote) = (e.owner, e.rst_received, e.icmp_refused, e.remote);
        let peer = || vec![("peer", remote.map(|r| r.to_string()).unwrap_or_default())];
        let refused = |why| {
            let mut args = peer();
            args.push(("port", remote.map_or(0, |r| r.port()).to_string()));
            SockError::new(Op::Connect, Errno::ECONNREFUSED, why, args)
        };
        let error = match (from, rst) {
            (SockState::SynSent, _) if icmp => Some(refused(Why::IcmpRefused)),
            (SockState::SynSent, true) => Some(refused(Why::RstRefused)),
            (SockState::SynSent, false) => Some(SockError::new(
                Op::Connect,
                Errno::ETIMEDOUT,
                Why::SynUnanswered,
                peer(),
            )),
            (SockState::LastAck | SockState::TimeWait | SockState::Closing, false) => None,
            (_, true) => Some(SockError::new(
                Op::Recv,
                Errno::ECONNRESET,
                Why::Reset,
                peer(),
            )),
            (_, false) => Some(SockError::new(
                Op::Recv,
                Errno::ETIMEDOUT,
                Why::AckTimeout,
                peer(),
            )),
        };
        match owner {
            Some(_) => {
                // The process learns of it from its next call on the socket (and SO_ERROR), which
                // is when the error is "returned" and recorded as an event.
                let mut fell_back = None;
                if let Some(e) = self.entries.get_mut(&id) {
                    if error.is_some() {
                        e.pending_error = error;
                    }
                    // A socket that fell back to LISTEN would accept the next SYN by itself.
                    if e.state == SockState::Listen {
                        e.state = SockState::Closed;
                        fell_back = e.handle;
                    }
                }
                if let Some(handle) = fell_back {
                    self.tcp_mut(handle).abort();
                    cx.rec.emit(EventKind::StateChanged {
                        host: self.id,
                        sock: id,
                        from: SockState::Listen,
                        to: SockState::Closed,
                    });
                }
            }
            None => self.remove_entry(cx.rec, id),
        }
    }

    /// Remove a socket from the host's table and free its smoltcp socket.
    pub fn remove_entry(&mut self, rec: &mut Recorder, id: SockId) {
        let Some(e) = self.entries.remove(&id) else {
            return;
        };
        self.rewatch(id);
        if let (Some(local), Some(remote)) = (e.local, e.remote) {
            if self.conns.get(&(e.proto, local, remote)) == Some(&id) {
                self.conns.remove(&(e.proto, local, remote));
            }
        }
        if let Some(local) = e.local {
            if self.bound.get(&(e.proto, local.port())) == Some(&id) {
                self.bound.remove(&(e.proto, local.port()));
            }
            self.release_port(e.proto, local.port(), e.shared_port);
        }
        if let Some(handle) = e.handle {
            self.stack.sockets.remove(handle);
        }
        match e.role {
            Role::Listener { slot, queue, .. } => {
                if let Some(slot) = slot {
                    self.stack.sockets.remove(slot);
                }
                // Connections nobody accepted are reset, as Linux does when a listener closes.
                for q in queue {
                    if let Some(handle) = self.entries.get(&q).and_then(|c| c.handle) {
                        self.tcp_mut(handle).abort();
                    }
                    if let Some(c) = self.entries.get_mut(&q) {
                        c.role = Role::Plain;
                    }
                }
            }
            Role::Queued { listener } => {
                if let Some(Entry {
                    role: Role::Listener { queue, .. },
                    local: Some(addr),
                    ..
                }) = self.entries.get_mut(&listener)
                {
                    queue.retain(|q| *q != id);
                    let addr = *addr;
                    rec.emit(EventKind::SocketClosed {
                        host: self.id,
                        sock: id,
                    });
                    self.refill_slot(listener, addr);
                    return;
                }
            }
            Role::Plain => {}
        }
        rec.emit(EventKind::SocketClosed {
            host: self.id,
            sock: id,
        });
    }
}

/// Whether a port is free for an ephemeral choice: unused, or (for a TCP connect() toward `to`)
/// used only by other connect()s and never with the same 4-tuple.
fn ephemeral_free(
    users: Option<&PortUsers>,
    conns: &VecMap<(Proto, SocketAddrV4, SocketAddrV4), SockId>,
    ip: Ipv4Addr,
    (proto, port): (Proto, u16),
    to: Option<SocketAddrV4>,
) -> bool {
    let Some(users) = users else {
        return true;
    };
    match to {
        Some(to) if proto == Proto::Tcp && users.exclusive == 0 => {
            !conns.contains_key(&(proto, SocketAddrV4::new(ip, port), to))
        }
        _ => false,
    }
}

pub(crate) enum Observed {
    SlotTaken,
    /// smoltcp let go of a connection still in Linux's TIME-WAIT.
    Lingering,
    Tcp {
        state: SockState,
        recv_q: usize,
        send_q: usize,
    },
    Udp {
        recv_q: usize,
        send_q: usize,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::net::SERVER_IP;
    use crate::engine::sim::Sim;
    use crate::engine::time::ms;

    /// The course's network, a server listening on 9000 with `backlog`, and a client.
    fn listening(backlog: usize) -> (Sim, Pid, Fd, Pid, SockId) {
        let mut sim = Sim::course_default(1);
        sim.set_verify_demux(true);
        let srv = sim.spawn_manual(HostId(1), "server", "srv").unwrap();
        let lfd = sim.socket(srv, Proto::Tcp).unwrap();
        sim.bind(srv, lfd, SocketAddrV4::new(SERVER_IP, 9000))
            .unwrap();
        sim.listen(srv, lfd, backlog).unwrap();
        let cli = sim.spawn_manual(HostId(0), "client", "cli").unwrap();
        let listener = sim.sock_of(srv, lfd).unwrap();
        (sim, srv, lfd, cli, listener)
    }

    fn role(sim: &Sim, sock: SockId) -> (bool, usize) {
        match &sim.hosts[1].entries[&sock].role {
            Role::Listener { slot, queue, .. } => (slot.is_some(), queue.len()),
            _ => panic!("not a listener"),
        }
    }

    fn connect(sim: &mut Sim, cli: Pid) -> Fd {
        let fd = sim.socket(cli, Proto::Tcp).unwrap();
        sim.connect(cli, fd, SocketAddrV4::new(SERVER_IP, 9000))
            .unwrap();
        fd
    }

    #[test]
    fn a_listener_keeps_one_smoltcp_slot_that_each_syn_takes_and_a_fresh_one_replaces() {
        let (mut sim, _, _, cli, listener) = listening(4);
        assert_eq!(
            role(&sim, listener),
            (true, 0),
            "listening: one slot, nothing queued"
        );
        connect(&mut sim, cli);
        sim.step(ms(30));
        // The SYN took the slot (now a connection in the queue) and a new slot listens.
        assert_eq!(role(&sim, listener), (true, 1));
        connect(&mut sim, cli);
        sim.step(ms(60));
        assert_eq!(role(&sim, listener), (true, 2));
        assert!(
            sim.demux_mismatches().is_empty(),
            "{:?}",
            sim.demux_mismatches()
        );
    }

    #[test]
    fn listen_caps_the_backlog_at_somaxconn() {
        let (sim, _, _, _, listener) = listening(100_000);
        match &sim.hosts[1].entries[&listener].role {
            Role::Listener { backlog, .. } => assert_eq!(*backlog, SOMAXCONN),
            _ => panic!("not a listener"),
        }
        assert_eq!(
            sim.hosts[1].entries[&listener].send_q, 4096,
            "ss shows it as Send-Q"
        );
    }

    #[test]
    fn a_full_backlog_drops_the_next_syn_until_accept_makes_room() {
        let (mut sim, srv, lfd, cli, listener) = listening(1);
        connect(&mut sim, cli);
        sim.step(ms(100));
        assert_eq!(
            role(&sim, listener),
            (false, 1),
            "the queue is full: no slot"
        );
        let late = connect(&mut sim, cli);
        sim.step(ms(200));
        let dropped = sim
            .events()
            .iter()
            .filter(|e| {
                matches!(
                    e.kind,
                    EventKind::SegmentDropped {
                        reason: DropReason::BacklogFull { .. },
                        ..
                    }
                )
            })
            .count();
        assert_eq!(dropped, 1, "the second SYN finds no room");
        sim.accept(srv, lfd).unwrap().expect("the first connection");
        assert!(
            role(&sim, listener).0,
            "accept() made room: a slot listens again"
        );
        // The client retransmits its SYN after smoltcp's 1 s and gets in.
        sim.step(ms(1500));
        assert_eq!(sim.socket_state(cli, late), Some(SockState::Established));
    }

    #[test]
    fn connect_shares_a_port_only_connect_took_and_only_toward_another_destination() {
        let (mut sim, _srv, _lfd, cli, _listener) = listening(8);
        let fd = connect(&mut sim, cli);
        let (local, _) = sim.socket_addrs(cli, fd).unwrap();
        let port = local.unwrap().port();
        let host = &sim.hosts[0];
        let (same, other) = (
            SocketAddrV4::new(SERVER_IP, 9000),
            SocketAddrV4::new(SERVER_IP, 80),
        );
        assert!(
            !host.ephemeral_free(Proto::Tcp, port, Some(same)),
            "the 4-tuple is taken"
        );
        assert!(
            host.ephemeral_free(Proto::Tcp, port, Some(other)),
            "another destination"
        );
        assert!(
            !host.ephemeral_free(Proto::Tcp, port, None),
            "bind() needs it unused"
        );
        assert!(
            host.ephemeral_free(Proto::Udp, port, None),
            "UDP ports are apart"
        );
        // A port bound by bind() is shared with nobody.
        let b = sim.socket(cli, Proto::Tcp).unwrap();
        let bound = SocketAddrV4::new(crate::engine::net::CLIENT_PC_IP, 40001);
        sim.bind(cli, b, bound).unwrap();
        let host = &sim.hosts[0];
        assert!(!host.ephemeral_free(Proto::Tcp, 40001, Some(other)));
    }
}
