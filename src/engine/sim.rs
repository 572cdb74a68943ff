//! The simulation: hosts with their stacks, links with segments in flight, processes, and the
//! step loop that moves virtual time forward.
//!
//! Time only moves when the caller says so: `step(now)` processes everything due up to `now`,
//! one instant at a time; `next_wakeup()` says when something is next due. Every segment is
//! handed to its host's stack alone, so the demultiplexing decision we record is the one that
//! applied to exactly that segment, and can be checked against what smoltcp did.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::rc::Rc;

use smoltcp::iface::SocketHandle;
use smoltcp::socket::{tcp, udp};
use smoltcp::wire::{IpAddress, IpEndpoint};

use super::agenda::{Agenda, Deadline, Scheduled, Waiting};
use super::event::{Demux, DropReason, Event, EventKind, SegmentId, SegmentSent};
use super::faults::{reject_answer, unreachable_tcp, FirewallRule, NetChange, Verdict};
use super::net::{HostId, HostSpec, LinkId, LinkSpec, CLIENT_PC_IP, SERVER_IP};
use super::packet::{self, PacketSummary, Transport};
use super::ports::{EphemeralPorts, OsProfile};
use super::program::{Action, Process, When};
use super::rng::Rng;
use super::snapshot::{FlightView, HostView, ProcessView, Snapshot, SocketRow};
use super::socket::{Errno, Fd, Op, Pid, Proto, SockError, SockId, SockState};
use super::stack::Stack;
use super::time::{Duration, Instant};

/// Settings every host shares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimConfig {
    /// Each TCP socket's receive and send buffer, in bytes; the receive buffer is the window
    /// the socket advertises. None: each host's OS's initial window (64240 on Linux). A
    /// benchmark of thousands of connections sets a small one.
    pub tcp_buffer: Option<usize>,
    /// How many datagrams a UDP socket's buffers hold, each up to the MTU.
    pub udp_packets: usize,
    /// How long an established connection may go without its data being acknowledged before it
    /// fails with ETIMEDOUT. Linux: about 15 minutes (tcp_retries2 = 15).
    pub stall_timeout: Duration,
}

impl Default for SimConfig {
    fn default() -> SimConfig {
        SimConfig {
            tcp_buffer: None,
            udp_packets: 8,
            stall_timeout: Duration::from_secs(924),
        }
    }
}

impl SimConfig {
    /// The TCP buffer size for a host running `os`.
    pub fn tcp_buffer_for(&self, os: OsProfile) -> usize {
        self.tcp_buffer.unwrap_or_else(|| os.initial_window())
    }
}

/// A mistake in building the network.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NetError {
    DuplicateHostName(String),
    DuplicateAddress(Ipv4Addr),
    UnusableAddress(Ipv4Addr),
    UnknownHost(HostId),
    LinkToItself(HostId),
    DuplicateLink(HostId, HostId),
    /// A process that does not exist, or has exited.
    UnknownProcess(Pid),
    UnknownLink(LinkId),
}

impl fmt::Display for NetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NetError::DuplicateHostName(n) => write!(f, "there is already a host named \"{n}\""),
            NetError::DuplicateAddress(ip) => {
                write!(f, "another host already has the address {ip}")
            }
            NetError::UnusableAddress(ip) => {
                write!(f, "{ip} cannot be a host's address (it is unspecified, broadcast, multicast or loopback)")
            }
            NetError::UnknownHost(h) => write!(f, "there is no host number {}", h.0),
            NetError::LinkToItself(h) => {
                write!(f, "host number {} cannot be linked to itself", h.0)
            }
            NetError::DuplicateLink(a, b) => {
                write!(f, "hosts {} and {} are already linked", a.0, b.0)
            }
            NetError::UnknownLink(l) => write!(f, "there is no link number {}", l.0),
            NetError::UnknownProcess(p) => {
                write!(f, "there is no process {} on host {}", p.pid, p.host.0)
            }
        }
    }
}

impl std::error::Error for NetError {}

/// Linux's cap on a listen() backlog (net.core.somaxconn since 5.4).
pub const SOMAXCONN: usize = 4096;

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
    /// How many SYNs its connect() has sent.
    pub syns_sent: u32,
    pub shut_read: bool,
    pub shut_write: bool,
}

impl Entry {
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
            syns_sent: 0,
            shut_read: false,
            shut_write: false,
        }
    }
}

pub(crate) struct Host {
    pub spec: HostSpec,
    pub stack: Stack,
    /// Sockets in creation order, which is the order of the course's "Socket 1, Socket 2".
    pub entries: BTreeMap<SockId, Entry>,
    /// Connections by (protocol, local, remote).
    pub conns: BTreeMap<(Proto, SocketAddrV4, SocketAddrV4), SockId>,
    /// Listening TCP sockets and bound UDP sockets, by port.
    pub bound: BTreeMap<(Proto, u16), SockId>,
    /// How many sockets use each local port, connections included.
    pub port_users: BTreeMap<(Proto, u16), u32>,
    pub ephemeral: EphemeralPorts,
    pub next_pid: u32,
    /// Whether it is plugged in (a network change can take it down).
    pub up: bool,
    /// Its firewall's rules for arriving traffic.
    pub firewall: Vec<FirewallRule>,
}

/// A link: how it was made, whether it is up, and the generator its faults draw from (its own,
/// so adding a link elsewhere does not change what happens on this one).
pub(crate) struct Link {
    pub spec: LinkSpec,
    pub up: bool,
    pub rng: Rng,
}

impl Host {
    pub fn port_in_use(&self, proto: Proto, port: u16) -> bool {
        self.port_users.get(&(proto, port)).is_some_and(|&n| n > 0)
    }

    pub fn use_port(&mut self, proto: Proto, port: u16) {
        *self.port_users.entry((proto, port)).or_insert(0) += 1;
    }

    pub fn release_port(&mut self, proto: Proto, port: u16) {
        if let Some(n) = self.port_users.get_mut(&(proto, port)) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.port_users.remove(&(proto, port));
            }
        }
    }

    pub fn tcp(&self, handle: SocketHandle) -> &tcp::Socket<'static> {
        self.stack.sockets.get::<tcp::Socket>(handle)
    }

    pub fn tcp_mut(&mut self, handle: SocketHandle) -> &mut tcp::Socket<'static> {
        self.stack.sockets.get_mut::<tcp::Socket>(handle)
    }
}

struct Flight {
    /// Lost on the way: it vanishes when it would have arrived.
    lost: bool,
    seg: SegmentId,
    from: HostId,
    to: HostId,
    link: LinkId,
    depart: Instant,
    bytes: Rc<[u8]>,
    summary: PacketSummary,
}

/// The simulation. See the module documentation.
pub struct Sim {
    pub(crate) now: Instant,
    seed: u64,
    pub(crate) config: SimConfig,
    pub(crate) hosts: Vec<Host>,
    links: Vec<Link>,
    /// Segments on their way, by arrival time, then by the order they were sent.
    flights: BTreeMap<(Instant, SegmentId), Flight>,
    next_seg: u64,
    next_sock: u64,
    events: Vec<Event>,
    pub(crate) processes: BTreeMap<Pid, Process>,
    /// What is due when: actions, network changes, the socket layer's deadlines, and actions
    /// waiting for a milestone.
    pub(crate) agenda: Agenda,
    /// Processes with sockets that changed, and which sockets.
    pub(crate) dirty: BTreeMap<Pid, BTreeSet<SockId>>,
    verify_demux: bool,
    mismatches: Vec<String>,
}

/// How many times the loop goes round at one instant before it moves on: a guard against a
/// stack that keeps asking to be polled "now" without doing anything.
pub(crate) const MAX_ROUNDS_PER_INSTANT: usize = 64;

impl Sim {
    pub fn new(seed: u64) -> Sim {
        Sim::with_config(seed, SimConfig::default())
    }

    pub fn with_config(seed: u64, config: SimConfig) -> Sim {
        Sim {
            now: Instant::ZERO,
            seed,
            config,
            hosts: Vec::new(),
            links: Vec::new(),
            flights: BTreeMap::new(),
            next_seg: 0,
            next_sock: 0,
            events: Vec::new(),
            processes: BTreeMap::new(),
            agenda: Agenda::default(),
            dirty: BTreeMap::new(),
            verify_demux: false,
            mismatches: Vec::new(),
        }
    }

    /// The course's network: "Client PC" 192.168.1.101 and "Server" 192.168.1.102 on one link.
    pub fn course_default(seed: u64) -> Sim {
        Sim::course_with_config(seed, SimConfig::default())
    }

    /// The course's network with a configuration of one's own (a benchmark's small buffers).
    pub fn course_with_config(seed: u64, config: SimConfig) -> Sim {
        let mut sim = Sim::with_config(seed, config);
        // Two distinct, usable addresses and one link between them: none of these can fail.
        let client = sim
            .add_host(HostSpec::new("Client PC", CLIENT_PC_IP))
            .unwrap_or(HostId(0));
        let server = sim
            .add_host(HostSpec::new("Server", SERVER_IP))
            .unwrap_or(HostId(1));
        let _ = sim.add_link(LinkSpec::new(client, server));
        sim
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn now(&self) -> Instant {
        self.now
    }

    pub fn config(&self) -> &SimConfig {
        &self.config
    }

    /// Check every delivered segment's demultiplexing decision against what smoltcp did with
    /// it (slower: it compares every socket of the host before and after). Disagreements are
    /// listed by [`Sim::demux_mismatches`].
    pub fn set_verify_demux(&mut self, on: bool) {
        self.verify_demux = on;
    }

    pub fn demux_mismatches(&self) -> &[String] {
        &self.mismatches
    }

    pub fn add_host(&mut self, spec: HostSpec) -> Result<HostId, NetError> {
        if self.hosts.iter().any(|h| h.spec.name == spec.name) {
            return Err(NetError::DuplicateHostName(spec.name));
        }
        if self.hosts.iter().any(|h| h.spec.ip == spec.ip) {
            return Err(NetError::DuplicateAddress(spec.ip));
        }
        let ip = spec.ip;
        if ip.is_unspecified()
            || ip.is_broadcast()
            || ip.is_multicast()
            || ip.is_loopback()
            || ip.octets()[3] == 255
        {
            return Err(NetError::UnusableAddress(ip));
        }
        let id = HostId(self.hosts.len());
        let salt = id.0 as u64 + 1;
        let stack = Stack::new(ip, Rng::derive(self.seed, salt), self.now);
        let ephemeral = EphemeralPorts::new(spec.os, Rng::derive(self.seed, salt << 32));
        self.hosts.push(Host {
            spec,
            stack,
            entries: BTreeMap::new(),
            conns: BTreeMap::new(),
            bound: BTreeMap::new(),
            port_users: BTreeMap::new(),
            ephemeral,
            next_pid: 1000,
            up: true,
            firewall: Vec::new(),
        });
        Ok(id)
    }

    pub fn add_link(&mut self, link: LinkSpec) -> Result<LinkId, NetError> {
        for h in [link.a, link.b] {
            if h.0 >= self.hosts.len() {
                return Err(NetError::UnknownHost(h));
            }
        }
        if link.a == link.b {
            return Err(NetError::LinkToItself(link.a));
        }
        if self.links.iter().any(|l| l.spec.joins(link.a, link.b)) {
            return Err(NetError::DuplicateLink(link.a, link.b));
        }
        let id = LinkId(self.links.len());
        let rng = Rng::new(Rng::derive(self.seed, 0x4C49_4E4B_0000 + id.0 as u64));
        self.links.push(Link {
            spec: link,
            up: true,
            rng,
        });
        Ok(id)
    }

    pub fn hosts(&self) -> impl Iterator<Item = (HostId, &HostSpec)> {
        self.hosts
            .iter()
            .enumerate()
            .map(|(i, h)| (HostId(i), &h.spec))
    }

    pub fn host_by_name(&self, name: &str) -> Option<HostId> {
        self.hosts
            .iter()
            .position(|h| h.spec.name == name)
            .map(HostId)
    }

    pub fn links(&self) -> impl Iterator<Item = &LinkSpec> {
        self.links.iter().map(|l| &l.spec)
    }

    pub(crate) fn host_index(&self, host: HostId) -> Result<usize, NetError> {
        if host.0 < self.hosts.len() {
            Ok(host.0)
        } else {
            Err(NetError::UnknownHost(host))
        }
    }

    /// Every event so far.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// Take the events recorded since the last call (a long run need not keep them all).
    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    pub(crate) fn emit(&mut self, kind: EventKind) {
        self.events.push(Event { at: self.now, kind });
    }

    pub(crate) fn new_sock_id(&mut self) -> SockId {
        self.next_sock += 1;
        SockId(self.next_sock)
    }

    pub(crate) fn mark_dirty(&mut self, pid: Pid, sock: SockId) {
        self.dirty.entry(pid).or_default().insert(sock);
    }

    // ---- time ---------------------------------------------------------------------------------

    /// When something is next due: a segment arriving, a stack's timer, a process starting.
    /// None when nothing will ever happen again without a new call.
    pub fn next_wakeup(&mut self) -> Option<Instant> {
        let now = self.now;
        let mut next = self.flights.keys().next().map(|(t, _)| *t);
        let mut consider = |t: Instant| next = Some(next.map_or(t, |n| n.min(t)));
        if let Some(t) = self.agenda.next_scheduled() {
            consider(t.max(now));
        }
        if !self.dirty.is_empty() {
            consider(now);
        }
        if let Some(t) = self.next_deadline() {
            consider(t.max(now));
        }
        for host in &mut self.hosts {
            if let Some(t) = host.stack.iface.poll_at(now, &host.stack.sockets) {
                consider(t.max(now));
            }
        }
        next
    }

    /// Deliver the first segment due by `t`, if any. True if there was one.
    pub(crate) fn deliver_due_flight(&mut self, t: Instant) -> bool {
        match self.flights.first_entry() {
            Some(entry) if entry.key().0 <= t => {
                let flight = entry.remove();
                self.deliver(flight);
                true
            }
            _ => false,
        }
    }

    /// The first scheduled thing due by `t`, taken off the schedule. A network change is made
    /// here; a program's action is handed back for the programs to perform.
    pub(crate) fn take_due_action(&mut self, t: Instant) -> Option<Option<(Pid, Action)>> {
        Some(match self.agenda.take_due(t)? {
            Scheduled::Action(pid, action) => {
                if let Some(p) = self.processes.get_mut(&pid) {
                    p.pending = p.pending.saturating_sub(1);
                }
                Some((pid, action))
            }
            Scheduled::Net(change) => {
                self.apply_net_change(change);
                None
            }
        })
    }

    /// Give up on the first connection whose deadline is due by `t`, if any. True if one was.
    pub(crate) fn fire_due_deadline(&mut self, t: Instant) -> bool {
        if self.next_deadline().is_none_or(|d| d > t) {
            return false;
        }
        if let Some(deadline) = self.agenda.pop_deadline() {
            self.give_up(deadline);
        }
        true
    }

    /// Let every host's stack run its timers and send what it has. True if anything changed.
    pub(crate) fn poll_all(&mut self) -> bool {
        let mut busy = false;
        for h in 0..self.hosts.len() {
            busy |= self.poll_host(h);
        }
        busy
    }

    pub(crate) fn set_now(&mut self, t: Instant) {
        self.now = t;
    }

    // ---- scheduling -----------------------------------------------------------------------------

    /// Run `action` for process `pid` at a time, or after the process (or another) reaches a
    /// milestone. A time in the past means "now".
    pub fn schedule(&mut self, pid: Pid, action: Action, when: When) -> Result<(), NetError> {
        if !self.processes.contains_key(&pid) {
            return Err(NetError::UnknownProcess(pid));
        }
        match when {
            When::At(t) => self.enqueue(t, pid, action),
            When::After {
                process,
                milestone,
                delay,
            } => {
                let Some(p) = self.processes.get(&process) else {
                    return Err(NetError::UnknownProcess(process));
                };
                match p.milestones().get(&milestone) {
                    Some(&at) => self.enqueue(at + delay, pid, action),
                    None => {
                        if let Some(p) = self.processes.get_mut(&pid) {
                            p.pending += 1;
                        }
                        self.agenda.waiting.push(Waiting { pid, action, when });
                    }
                }
            }
        }
        Ok(())
    }

    pub(crate) fn enqueue(&mut self, at: Instant, pid: Pid, action: Action) {
        if let Some(p) = self.processes.get_mut(&pid) {
            p.pending += 1;
        }
        self.push_scheduled(at, Scheduled::Action(pid, action));
    }

    /// Due at `at` (or now, if that has passed), after everything already due then.
    fn push_scheduled(&mut self, at: Instant, what: Scheduled) {
        self.agenda.schedule(at.max(self.now), what);
    }

    /// Whether the host's OS sends this SYN. A connect() sends at most the OS's number of SYNs
    /// (Linux 7); smoltcp's back-off is capped at 60 s, so it would send Linux an eighth at
    /// 123 s, before the connect deadline at 127 s. That one never leaves the host.
    fn os_sends_syn(&mut self, h: usize, s: &PacketSummary) -> bool {
        let Transport::Tcp(t) = &s.transport else {
            return true;
        };
        if !t.flags.syn || t.flags.ack {
            return true;
        }
        let host = &mut self.hosts[h];
        let limit = host.spec.os.syn_limit();
        let key = (
            Proto::Tcp,
            SocketAddrV4::new(s.src, t.src_port),
            SocketAddrV4::new(s.dst, t.dst_port),
        );
        let Some(e) = host.conns.get(&key).and_then(|id| host.entries.get_mut(id)) else {
            return true;
        };
        e.syns_sent += 1;
        limit.is_none_or(|n| e.syns_sent <= n)
    }

    /// Give up on a connection at `at` if it is still stuck then.
    pub(crate) fn set_deadline(&mut self, at: Instant, deadline: Deadline) {
        self.agenda.set_deadline(at.max(self.now), deadline);
    }

    /// Whether a deadline still applies: its socket is still stuck as it was.
    fn applies(&self, d: &Deadline) -> bool {
        match *d {
            Deadline::Connect { host, sock } => self.hosts[host]
                .entries
                .get(&sock)
                .is_some_and(|e| e.state == SockState::SynSent),
            Deadline::Stall { host, sock, since } => self.hosts[host]
                .entries
                .get(&sock)
                .is_some_and(|e| e.stalled_since == Some(since) && e.state.is_connected()),
            Deadline::TimeWait { host, sock } => self.hosts[host]
                .entries
                .get(&sock)
                .is_some_and(|e| e.state == SockState::TimeWait),
        }
    }

    /// When the first deadline that still applies falls; the others are dropped.
    fn next_deadline(&mut self) -> Option<Instant> {
        while let Some((t, d)) = self.agenda.first_deadline() {
            if self.applies(d) {
                return Some(t);
            }
            self.agenda.pop_deadline();
        }
        None
    }

    /// The OS gives up on a connection (connect, stall: it ends with ETIMEDOUT and sends
    /// nothing more; its smoltcp socket is swapped for a closed one, since closing it would send
    /// a FIN and aborting it an RST), or lets TIME-WAIT end.
    fn give_up(&mut self, d: Deadline) {
        if !self.applies(&d) {
            return;
        }
        let (Deadline::Connect { host, sock }
        | Deadline::Stall { host, sock, .. }
        | Deadline::TimeWait { host, sock }) = d;
        let os = self.hosts[host].spec.os;
        let h = &mut self.hosts[host];
        // TIME-WAIT's end needs only the row closed; a connection given up on first loses its
        // smoltcp socket.
        let given_up = !matches!(d, Deadline::TimeWait { .. });
        if let Some(handle) = h
            .entries
            .get(&sock)
            .and_then(|e| e.handle)
            .filter(|_| given_up)
        {
            h.stack.sockets.remove(handle);
            let fresh = h.stack.sockets.add(new_tcp_socket(0, os));
            if let Some(e) = h.entries.get_mut(&sock) {
                e.handle = Some(fresh);
                e.stalled_since = None;
            }
        }
        self.apply(
            host,
            sock,
            Observed::Tcp {
                state: SockState::Closed,
                recv_q: 0,
                send_q: 0,
            },
        );
    }

    /// Take a link or host down, or bring it back, at a time.
    pub fn schedule_net(&mut self, at: Instant, change: NetChange) -> Result<(), NetError> {
        match change {
            NetChange::Link { link, .. } if link.0 >= self.links.len() => {
                return Err(NetError::UnknownLink(link))
            }
            NetChange::Host { host, .. } => {
                self.host_index(host)?;
            }
            _ => {}
        }
        self.push_scheduled(at, Scheduled::Net(change));
        Ok(())
    }

    fn apply_net_change(&mut self, change: NetChange) {
        match change {
            NetChange::Link { link, up } => self.links[link.0].up = up,
            NetChange::Host { host, up } => self.hosts[host.0].up = up,
        }
        self.emit(EventKind::NetChanged(change));
    }

    /// Add a firewall rule to a host, for traffic arriving at a port.
    pub fn add_firewall_rule(&mut self, host: HostId, rule: FirewallRule) -> Result<(), NetError> {
        let h = self.host_index(host)?;
        self.hosts[h]
            .firewall
            .retain(|r| (r.proto, r.port) != (rule.proto, rule.port));
        self.hosts[h].firewall.push(rule);
        Ok(())
    }

    /// Poll one host's stack at the current time, bring the socket tables up to date and put
    /// what it sent on the links. True when anything changed or was sent.
    pub(crate) fn poll_host(&mut self, h: usize) -> bool {
        self.hosts[h].stack.poll(self.now);
        let changed = self.sync_host(h);
        let sent = self.drain_tx(h);
        changed || sent
    }

    fn drain_tx(&mut self, h: usize) -> bool {
        let packets = std::mem::take(&mut self.hosts[h].stack.device.tx);
        let sent = !packets.is_empty();
        for bytes in packets {
            self.put_on_link(HostId(h), bytes);
        }
        sent
    }

    fn put_on_link(&mut self, from: HostId, bytes: Vec<u8>) {
        // Our stacks only write valid IPv4; a packet that does not decode is dropped unseen
        // rather than shown half-read.
        let Ok(summary) = packet::decode(&bytes) else {
            return;
        };
        if !self.os_sends_syn(from.0, &summary) {
            return;
        }
        let to = self
            .hosts
            .iter()
            .position(|h| h.spec.ip == summary.dst)
            .map(HostId);
        let link = to.and_then(|to| {
            self.links
                .iter()
                .position(|l| l.spec.joins(from, to))
                .map(LinkId)
        });
        let to = link.and(to);
        let bytes: Rc<[u8]> = bytes.into();
        let Some((to, link)) = to.zip(link) else {
            let seg = self.sent(from, None, None, self.now, bytes, summary, None);
            self.emit(EventKind::SegmentDropped {
                seg,
                reason: DropReason::NoRoute,
            });
            return;
        };
        let spec = &self.links[link.0].spec;
        let (latency, faults) = (spec.latency, spec.faults);
        let down = if !self.hosts[from.0].up || !self.hosts[to.0].up {
            Some(DropReason::HostDown)
        } else if !self.links[link.0].up {
            Some(DropReason::LinkDown)
        } else {
            None
        };
        if let Some(reason) = down {
            let seg = self.sent(from, Some(to), Some(link), self.now, bytes, summary, None);
            self.emit(EventKind::SegmentDropped { seg, reason });
            return;
        }
        // Draw only for the faults the link has, so a clean link's runs never change.
        let rng = &mut self.links[link.0].rng;
        let mut delay = latency;
        if faults.jitter > Duration::ZERO {
            delay += Duration::from_micros(rng.below(faults.jitter.total_micros() + 1));
        }
        if faults.reorder > 0.0 && chance(rng, faults.reorder) {
            delay += latency;
        }
        let lost = faults.loss > 0.0 && chance(rng, faults.loss);
        let copy = faults.duplicate > 0.0 && chance(rng, faults.duplicate);
        let arrive = self.now + delay;
        let seg = self.launch(
            from,
            to,
            link,
            arrive,
            bytes.clone(),
            summary.clone(),
            None,
            lost,
        );
        if copy {
            // The copy trails the original by a tenth of the latency.
            let arrive = arrive + Duration::from_micros((latency.total_micros() / 10).max(1));
            self.launch(from, to, link, arrive, bytes, summary, Some(seg), false);
        }
    }

    /// Record a segment leaving on `link` now and put it in flight until `arrive`.
    #[allow(clippy::too_many_arguments)]
    fn launch(
        &mut self,
        from: HostId,
        to: HostId,
        link: LinkId,
        arrive: Instant,
        bytes: Rc<[u8]>,
        summary: PacketSummary,
        copy_of: Option<SegmentId>,
        lost: bool,
    ) -> SegmentId {
        let seg = self.sent(
            from,
            Some(to),
            Some(link),
            arrive,
            bytes.clone(),
            summary.clone(),
            copy_of,
        );
        let flight = Flight {
            lost,
            seg,
            from,
            to,
            link,
            depart: self.now,
            bytes,
            summary,
        };
        self.flights.insert((arrive, seg), flight);
        seg
    }

    /// Record a segment leaving `from` now, and return its number.
    #[allow(clippy::too_many_arguments)]
    fn sent(
        &mut self,
        from: HostId,
        to: Option<HostId>,
        link: Option<LinkId>,
        arrive: Instant,
        bytes: Rc<[u8]>,
        summary: PacketSummary,
        copy_of: Option<SegmentId>,
    ) -> SegmentId {
        self.next_seg += 1;
        let seg = SegmentId(self.next_seg);
        let depart = self.now;
        self.emit(EventKind::SegmentSent(SegmentSent {
            seg,
            from,
            to,
            link,
            depart,
            arrive,
            bytes,
            summary,
            copy_of,
        }));
        seg
    }

    fn deliver(&mut self, flight: Flight) {
        let h = flight.to.0;
        let gone = if flight.lost {
            Some(DropReason::Lost)
        } else if !self.links[flight.link.0].up {
            Some(DropReason::LinkDown)
        } else if !self.hosts[h].up {
            Some(DropReason::HostDown)
        } else {
            self.hosts[h]
                .firewall
                .iter()
                .find(|r| r.matches(&flight.summary))
                .map(|r| DropReason::Firewall { verdict: r.verdict })
        };
        if let Some(reason) = gone {
            self.emit(EventKind::SegmentDropped {
                seg: flight.seg,
                reason: reason.clone(),
            });
            if let DropReason::Firewall {
                verdict: verdict @ (Verdict::Reject | Verdict::RejectWithTcpReset),
            } = reason
            {
                if let Some(answer) = reject_answer(verdict, &flight.bytes, &flight.summary) {
                    self.put_on_link(flight.to, answer);
                }
            }
            return;
        }
        // Let the host's timers due at this instant fire first, so the decision below meets the
        // tables as they are when the segment arrives, and smoltcp's poll handles only it.
        self.poll_host(h);
        let decision = match self.demux(h, &flight.summary) {
            Ok(d) => d,
            Err(reason) => {
                self.emit(EventKind::SegmentDropped {
                    seg: flight.seg,
                    reason,
                });
                return;
            }
        };
        self.emit(EventKind::SegmentDelivered {
            seg: flight.seg,
            host: flight.to,
            decision,
        });
        let is_rst = flight.summary.tcp().is_some_and(|t| t.flags.rst);
        if let (true, Some(sock)) = (is_rst, decision.socket()) {
            if let Some(e) = self.hosts[h].entries.get_mut(&sock) {
                e.rst_received = true;
            }
        }
        // The check against smoltcp is a testing aid: the web build leaves it out (it costs
        // kilobytes of the page's budget and the view never turns it on).
        #[cfg(not(target_arch = "wasm32"))]
        let before = self.verify_demux.then(|| fingerprint(&self.hosts[h]));
        let host = &mut self.hosts[h];
        host.stack.device.rx.push_back(flight.bytes.to_vec());
        host.stack.poll(self.now);
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(before) = before {
            let after = fingerprint(&self.hosts[h]);
            if let Err(why) = self.check_demux(h, &flight.summary, decision, &before, &after) {
                self.mismatches.push(format!(
                    "segment {} ({}): {why}",
                    flight.seg.0, flight.summary
                ));
            }
        }
        if decision == Demux::Icmp {
            self.icmp_unreachable(h, &flight.bytes);
        }
        self.sync_host(h);
        self.drain_tx(h);
    }

    /// An ICMP destination-unreachable about one of this host's TCP connections. Linux
    /// (tcp_v4_err) ends a connection still in SYN-SENT with ECONNREFUSED; for an established
    /// one it is only a soft error. smoltcp does not act on ICMP at all, so the socket layer
    /// does: it closes the smoltcp socket, which in SYN-SENT sends nothing.
    fn icmp_unreachable(&mut self, h: usize, bytes: &[u8]) {
        let Some((local, remote)) = unreachable_tcp(bytes) else {
            return;
        };
        let host = &mut self.hosts[h];
        let Some(&sock) = host.conns.get(&(Proto::Tcp, local, remote)) else {
            return;
        };
        let Some(e) = host.entries.get_mut(&sock) else {
            return;
        };
        if e.state != SockState::SynSent {
            return;
        }
        e.icmp_refused = true;
        if let Some(handle) = e.handle {
            host.tcp_mut(handle).close();
        }
    }

    /// Which socket the host's transport layer gives this segment to, and why; or why it is
    /// dropped before the stack sees it.
    fn demux(&self, h: usize, s: &PacketSummary) -> Result<Demux, DropReason> {
        let host = &self.hosts[h];
        match &s.transport {
            Transport::Tcp(t) => {
                let local = SocketAddrV4::new(s.dst, t.dst_port);
                let remote = SocketAddrV4::new(s.src, t.src_port);
                if let Some(&sock) = host.conns.get(&(Proto::Tcp, local, remote)) {
                    return Ok(Demux::Connection { sock });
                }
                if let Some(&sock) = host.bound.get(&(Proto::Tcp, t.dst_port)) {
                    if let Some(Entry {
                        role: Role::Listener { slot, .. },
                        ..
                    }) = host.entries.get(&sock)
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
            Transport::Udp(u) => Ok(match host.bound.get(&(Proto::Udp, u.dst_port)) {
                Some(&sock) => Demux::UdpSocket { sock },
                None => Demux::UdpClosedPort,
            }),
            Transport::Icmp(_) | Transport::Other { .. } => Ok(Demux::Icmp),
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    /// Does what smoltcp did with the segment agree with our decision? Compares every socket of
    /// the host before and after, and what the host sent in answer.
    fn check_demux(
        &self,
        h: usize,
        s: &PacketSummary,
        decision: Demux,
        before: &BTreeMap<SocketHandle, Fingerprint>,
        after: &BTreeMap<SocketHandle, Fingerprint>,
    ) -> Result<(), String> {
        let host = &self.hosts[h];
        let changed: Vec<SocketHandle> = after
            .iter()
            .filter(|(k, v)| before.get(*k) != Some(*v))
            .map(|(k, _)| *k)
            .collect();
        let handle_of = |sock: SockId| -> Option<SocketHandle> {
            let e = host.entries.get(&sock)?;
            match &e.role {
                Role::Listener { slot, .. } => *slot,
                _ => e.handle,
            }
        };
        let replies: Vec<PacketSummary> = host
            .stack
            .device
            .tx
            .iter()
            .filter_map(|b| packet::decode(b).ok())
            .collect();
        let answered_rst = |port: u16| {
            replies.iter().any(|r| {
                r.dst == s.src && r.tcp().is_some_and(|t| t.flags.rst && t.dst_port == port)
            })
        };
        match decision {
            Demux::Connection { sock } | Demux::Listener { sock } | Demux::UdpSocket { sock } => {
                check_chosen(handle_of(sock), sock, s, decision, &changed, after)
            }
            Demux::NoSocketAnswerRst | Demux::NoSocketIgnoreRst => {
                if !changed.is_empty() {
                    return Err(
                        "smoltcp changed a socket, but we said no socket matches".to_string()
                    );
                }
                let port = s.tcp().map(|t| t.src_port).unwrap_or(0);
                match (decision, answered_rst(port)) {
                    (Demux::NoSocketAnswerRst, false) => {
                        Err("we expected an RST answer; smoltcp sent none".into())
                    }
                    (Demux::NoSocketIgnoreRst, true) => {
                        Err("smoltcp answered an RST with an RST".into())
                    }
                    _ => Ok(()),
                }
            }
            Demux::UdpClosedPort => {
                if !changed.is_empty() {
                    return Err(
                        "smoltcp changed a socket, but no UDP socket is bound there".to_string()
                    );
                }
                let icmp = replies
                    .iter()
                    .any(|r| r.dst == s.src && matches!(r.transport, Transport::Icmp(_)));
                if icmp {
                    Ok(())
                } else {
                    Err("we expected ICMP port unreachable; smoltcp sent none".to_string())
                }
            }
            Demux::Icmp => Ok(()),
        }
    }

    // ---- keeping the BSD tables in step with smoltcp --------------------------------------------

    /// Read every socket of a host from smoltcp and apply what changed. True if anything did.
    fn sync_host(&mut self, h: usize) -> bool {
        let host = &self.hosts[h];
        let mut changes: Vec<(SockId, Observed)> = Vec::new();
        for (id, e) in &host.entries {
            match (&e.role, e.proto) {
                (
                    Role::Listener {
                        slot: Some(slot), ..
                    },
                    _,
                ) => {
                    let s = host.tcp(*slot);
                    if s.state() != tcp::State::Listen {
                        changes.push((*id, Observed::SlotTaken));
                    }
                }
                (Role::Listener { .. }, _) => {}
                (_, Proto::Tcp) => {
                    if let Some(handle) = e.handle {
                        let s = host.tcp(handle);
                        let state = SockState::from_tcp(s.state());
                        // smoltcp ended TIME-WAIT after 10 s; Linux holds it for 60 (until
                        // Deadline::TimeWait). The row stays; the smoltcp socket is freed, so
                        // polls stop visiting it.
                        if e.state == SockState::TimeWait && state == SockState::Closed {
                            changes.push((*id, Observed::Lingering));
                            continue;
                        }
                        let (rq, sq) = (s.recv_queue(), s.send_queue());
                        if state != e.state || rq != e.recv_q || sq != e.send_q {
                            changes.push((
                                *id,
                                Observed::Tcp {
                                    state,
                                    recv_q: rq,
                                    send_q: sq,
                                },
                            ));
                        }
                    }
                }
                (_, Proto::Udp) => {
                    if let Some(handle) = e.handle {
                        let s = host.stack.sockets.get::<udp::Socket>(handle);
                        let (rq, sq) = (s.recv_queue(), s.send_queue());
                        if rq != e.recv_q || sq != e.send_q {
                            changes.push((
                                *id,
                                Observed::Udp {
                                    recv_q: rq,
                                    send_q: sq,
                                },
                            ));
                        }
                    }
                }
            }
        }
        let any = !changes.is_empty();
        for (id, observed) in changes {
            self.apply(h, id, observed);
        }
        self.sync_listeners(h);
        any
    }

    /// A listening socket's queues as `ss -lnt` shows them: Recv-Q is how many connections
    /// have finished their handshake and wait for accept(), Send-Q the backlog listen() asked
    /// for (capped at net.core.somaxconn, 4096, by listen()).
    pub(crate) fn sync_listeners(&mut self, h: usize) {
        let host = &self.hosts[h];
        let mut changed = Vec::new();
        for (id, e) in &host.entries {
            let Role::Listener { backlog, queue, .. } = &e.role else {
                continue;
            };
            let ready = queue
                .iter()
                .filter(|q| {
                    host.entries.get(q).is_some_and(|c| {
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
            if let Some(e) = self.hosts[h].entries.get_mut(&id) {
                e.recv_q = recv_q;
                e.send_q = send_q;
            }
            self.emit(EventKind::Queues {
                host: HostId(h),
                sock: id,
                recv_q,
                send_q,
            });
        }
    }

    fn apply(&mut self, h: usize, id: SockId, observed: Observed) {
        let host_id = HostId(h);
        match observed {
            Observed::SlotTaken => self.promote_slot(h, id),
            Observed::Lingering => {
                let host = &mut self.hosts[h];
                if let Some(handle) = host.entries.get_mut(&id).and_then(|e| e.handle.take()) {
                    host.stack.sockets.remove(handle);
                }
            }
            Observed::Udp { recv_q, send_q } => {
                let Some(e) = self.hosts[h].entries.get_mut(&id) else {
                    return;
                };
                e.recv_q = recv_q;
                e.send_q = send_q;
                let owner = e.owner;
                self.emit(EventKind::Queues {
                    host: host_id,
                    sock: id,
                    recv_q,
                    send_q,
                });
                if let Some((pid, _)) = owner {
                    self.mark_dirty(pid, id);
                }
            }
            Observed::Tcp {
                state,
                recv_q,
                send_q,
            } => self.apply_tcp(h, id, state, recv_q, send_q),
        }
    }

    /// What smoltcp shows of a TCP connection, applied to its row: the state and queues, the
    /// deadlines that follow from them, and the processes to wake.
    fn apply_tcp(&mut self, h: usize, id: SockId, state: SockState, recv_q: usize, send_q: usize) {
        let host_id = HostId(h);
        let Some(e) = self.hosts[h].entries.get_mut(&id) else {
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
            e.stalled_since = Some(self.now);
            Some(self.now)
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
            self.emit(EventKind::Queues {
                host: host_id,
                sock: id,
                recv_q,
                send_q,
            });
        }
        if from != state {
            self.emit(EventKind::StateChanged {
                host: host_id,
                sock: id,
                from,
                to: state,
            });
        }
        if let Some(pid) = owner {
            self.mark_dirty(pid, id);
        }
        if let Some(l) = listener {
            if let Some(pid) = self.hosts[h]
                .entries
                .get(&l)
                .and_then(|l| l.owner)
                .map(|(p, _)| p)
            {
                self.mark_dirty(pid, l);
            }
        }
        if state == SockState::TimeWait && from != state {
            let until = self.now + TIME_WAIT;
            self.set_deadline(until, Deadline::TimeWait { host: h, sock: id });
        }
        if let Some(since) = stall {
            let at = since + self.config.stall_timeout;
            self.set_deadline(
                at,
                Deadline::Stall {
                    host: h,
                    sock: id,
                    since,
                },
            );
        }
        if from != state && matches!(state, SockState::Closed | SockState::Listen) {
            self.connection_ended(h, id, from);
        } else {
            self.abort_if_orphan_got_data(h, id);
        }
    }

    /// Data arrived for a connection its process has already closed: nobody can ever read it,
    /// so, like Linux (its TCPAbortOnData counter), the host resets the connection. smoltcp's
    /// close() only closes the sending half, so this is the BSD layer's job.
    fn abort_if_orphan_got_data(&mut self, h: usize, id: SockId) {
        let host = &mut self.hosts[h];
        let Some(e) = host.entries.get(&id) else {
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
            host.tcp_mut(handle).abort();
        }
    }

    /// A listener's slot took a SYN: it is now a connection in the listener's queue, with a
    /// socket of its own in the table. A fresh slot listens in its place while the backlog
    /// has room.
    fn promote_slot(&mut self, h: usize, listener: SockId) {
        let host = &mut self.hosts[h];
        let Some(Entry {
            role: Role::Listener { slot, .. },
            local: Some(listen_addr),
            owner,
            ..
        }) = host.entries.get_mut(&listener)
        else {
            return;
        };
        let (listen_addr, listener_owner) = (*listen_addr, *owner);
        let Some(handle) = slot.take() else { return };
        let s = host.tcp(handle);
        let state = SockState::from_tcp(s.state());
        let (local, remote) = (
            s.local_endpoint().and_then(v4),
            s.remote_endpoint().and_then(v4),
        );
        let (recv_q, send_q) = (s.recv_queue(), s.send_queue());
        let (Some(local), Some(remote)) = (local, remote) else {
            return;
        };
        let id = self.new_sock_id();
        let host = &mut self.hosts[h];
        let mut entry = Entry::new(id, Proto::Tcp, None);
        entry.local = Some(local);
        entry.remote = Some(remote);
        entry.state = state;
        entry.handle = Some(handle);
        entry.role = Role::Queued { listener };
        entry.recv_q = recv_q;
        entry.send_q = send_q;
        host.entries.insert(id, entry);
        host.conns.insert((Proto::Tcp, local, remote), id);
        host.use_port(Proto::Tcp, local.port());
        if let Some(Entry {
            role: Role::Listener { queue, .. },
            ..
        }) = host.entries.get_mut(&listener)
        {
            queue.push_back(id);
        }
        self.emit(EventKind::SocketCreated {
            host: HostId(h),
            sock: id,
            proto: Proto::Tcp,
            owner: None,
            state,
            local: Some(local),
            remote: Some(remote),
        });
        if (recv_q, send_q) != (0, 0) {
            self.emit(EventKind::Queues {
                host: HostId(h),
                sock: id,
                recv_q,
                send_q,
            });
        }
        self.refill_slot(h, listener, listen_addr);
        if let Some((pid, _)) = listener_owner {
            self.mark_dirty(pid, listener);
        }
    }

    /// Give a listener a fresh smoltcp socket in LISTEN, if its queue has room.
    pub(crate) fn refill_slot(&mut self, h: usize, listener: SockId, addr: SocketAddrV4) {
        let os = self.hosts[h].spec.os;
        let buffer = self.config.tcp_buffer_for(os);
        let host = &mut self.hosts[h];
        let Some(Entry {
            role:
                Role::Listener {
                    slot,
                    backlog,
                    queue,
                },
            ..
        }) = host.entries.get(&listener)
        else {
            return;
        };
        if slot.is_some() || queue.len() >= *backlog {
            return;
        }
        let mut socket = new_tcp_socket(buffer, os);
        let endpoint = listen_endpoint(addr);
        if socket.listen(endpoint).is_err() {
            return;
        }
        let handle = host.stack.sockets.add(socket);
        if let Some(Entry {
            role: Role::Listener { slot, .. },
            ..
        }) = host.entries.get_mut(&listener)
        {
            *slot = Some(handle);
        }
    }

    /// A connection reached CLOSED (or, still in a listener's queue, fell back to LISTEN after
    /// an RST). Tell its process why, or remove it when no process holds it any more.
    fn connection_ended(&mut self, h: usize, id: SockId, from: SockState) {
        let Some(e) = self.hosts[h].entries.get(&id) else {
            return;
        };
        let (owner, rst, icmp, remote) = (e.owner, e.rst_received, e.icmp_refused, e.remote);
        let peer = remote
            .map(|r| r.to_string())
            .unwrap_or_else(|| "the peer".to_string());
        let error = match (from, rst) {
            (SockState::SynSent, _) if icmp => Some(SockError::new(
                Op::Connect,
                Errno::ECONNREFUSED,
                format!(
                    "{peer} answered ICMP port unreachable: a firewall rejects port {}",
                    remote.map_or(0, |r| r.port())
                ),
            )),
            (SockState::SynSent, true) => Some(SockError::new(
                Op::Connect,
                Errno::ECONNREFUSED,
                format!(
                    "{peer} answered RST: nothing listens on port {}",
                    remote.map_or(0, |r| r.port())
                ),
            )),
            (SockState::SynSent, false) => Some(SockError::new(
                Op::Connect,
                Errno::ETIMEDOUT,
                format!("{peer} never answered the SYN, so connect() gave up"),
            )),
            (SockState::LastAck | SockState::TimeWait | SockState::Closing, false) => None,
            (_, true) => Some(SockError::new(
                Op::Recv,
                Errno::ECONNRESET,
                format!("{peer} reset the connection (RST)"),
            )),
            (_, false) => Some(SockError::new(
                Op::Recv,
                Errno::ETIMEDOUT,
                format!("{peer} stopped acknowledging, so the connection timed out"),
            )),
        };
        match owner {
            Some(_) => {
                // The process learns of it from its next call on the socket (and SO_ERROR), which
                // is when the error is "returned" and recorded as an event.
                let mut fell_back = None;
                if let Some(e) = self.hosts[h].entries.get_mut(&id) {
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
                    self.hosts[h].tcp_mut(handle).abort();
                    self.emit(EventKind::StateChanged {
                        host: HostId(h),
                        sock: id,
                        from: SockState::Listen,
                        to: SockState::Closed,
                    });
                }
            }
            None => self.remove_entry(h, id),
        }
    }

    /// Remove a socket from the host's table and free its smoltcp socket.
    pub(crate) fn remove_entry(&mut self, h: usize, id: SockId) {
        let host = &mut self.hosts[h];
        let Some(e) = host.entries.remove(&id) else {
            return;
        };
        if let (Some(local), Some(remote)) = (e.local, e.remote) {
            if host.conns.get(&(e.proto, local, remote)) == Some(&id) {
                host.conns.remove(&(e.proto, local, remote));
            }
        }
        if let Some(local) = e.local {
            if host.bound.get(&(e.proto, local.port())) == Some(&id) {
                host.bound.remove(&(e.proto, local.port()));
            }
            host.release_port(e.proto, local.port());
        }
        if let Some(handle) = e.handle {
            host.stack.sockets.remove(handle);
        }
        match e.role {
            Role::Listener { slot, queue, .. } => {
                if let Some(slot) = slot {
                    host.stack.sockets.remove(slot);
                }
                // Connections nobody accepted are reset, as Linux does when a listener closes.
                for q in queue {
                    if let Some(handle) = host.entries.get(&q).and_then(|c| c.handle) {
                        host.tcp_mut(handle).abort();
                    }
                    if let Some(c) = host.entries.get_mut(&q) {
                        c.role = Role::Plain;
                    }
                }
            }
            Role::Queued { listener } => {
                if let Some(Entry {
                    role: Role::Listener { queue, .. },
                    local: Some(addr),
                    ..
                }) = host.entries.get_mut(&listener)
                {
                    queue.retain(|q| *q != id);
                    let addr = *addr;
                    self.emit(EventKind::SocketClosed {
                        host: HostId(h),
                        sock: id,
                    });
                    self.refill_slot(h, listener, addr);
                    return;
                }
            }
            Role::Plain => {}
        }
        self.emit(EventKind::SocketClosed {
            host: HostId(h),
            sock: id,
        });
    }

    // ---- processes ------------------------------------------------------------------------------

    // ---- snapshots ------------------------------------------------------------------------------

    pub fn snapshot(&self) -> Snapshot {
        let hosts = self
            .hosts
            .iter()
            .enumerate()
            .map(|(i, h)| self.host_view(HostId(i), h))
            .collect();
        let in_flight = self
            .flights
            .iter()
            .map(|((arrive, _), f)| {
                let progress = super::snapshot::progress(f.depart, *arrive, self.now);
                FlightView {
                    seg: f.seg,
                    link: f.link,
                    from: f.from,
                    to: f.to,
                    depart: f.depart,
                    arrive: *arrive,
                    progress,
                    summary: f.summary.clone(),
                }
            })
            .collect();
        Snapshot {
            at: self.now,
            hosts,
            in_flight,
        }
    }

    fn host_view(&self, id: HostId, h: &Host) -> HostView {
        let processes = self
            .processes
            .range(
                Pid { host: id, pid: 0 }..=Pid {
                    host: id,
                    pid: u32::MAX,
                },
            )
            .filter(|(_, p)| !p.exited())
            .map(|(pid, p)| ProcessView {
                pid: *pid,
                name: p.name.clone(),
                command: p.command.clone(),
            })
            .collect();
        let sockets = h
            .entries
            .values()
            .map(|e| {
                let process = e.owner.and_then(|(pid, _)| self.processes.get(&pid));
                SocketRow {
                    sock: e.id,
                    fd: e.owner.map(|(_, fd)| fd),
                    pid: e.owner.map(|(pid, _)| pid),
                    process: process.map(|p| p.name.clone()),
                    command: process.map(|p| p.command.clone()),
                    proto: e.proto,
                    local: e.local,
                    remote: e.remote,
                    state: e.state,
                    recv_q: e.recv_q,
                    send_q: e.send_q,
                }
            })
            .collect();
        HostView {
            id,
            name: h.spec.name.clone(),
            ip: h.spec.ip,
            os: h.spec.os,
            processes,
            sockets,
        }
    }
}

/// How long a connection stays in TIME-WAIT on Linux.
pub const TIME_WAIT: Duration = Duration::from_secs(60);

/// True with probability `p` (0.0–1.0).
fn chance(rng: &mut Rng, p: f64) -> bool {
    ((rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
}

enum Observed {
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

#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone, Debug, PartialEq, Eq)]
struct Fingerprint {
    state: tcp::State,
    remote: Option<IpEndpoint>,
    recv_q: usize,
    send_q: usize,
}

#[cfg(not(target_arch = "wasm32"))]
fn fingerprint(host: &Host) -> BTreeMap<SocketHandle, Fingerprint> {
    let mut out = BTreeMap::new();
    for e in host.entries.values() {
        let handles = match &e.role {
            Role::Listener { slot, .. } => [*slot, None],
            _ => [e.handle, None],
        };
        for handle in handles.into_iter().flatten() {
            let f = match e.proto {
                Proto::Tcp => {
                    let s = host.tcp(handle);
                    Fingerprint {
                        state: s.state(),
                        remote: s.remote_endpoint(),
                        recv_q: s.recv_queue(),
                        send_q: s.send_queue(),
                    }
                }
                Proto::Udp => {
                    let s = host.stack.sockets.get::<udp::Socket>(handle);
                    Fingerprint {
                        state: tcp::State::Closed,
                        remote: None,
                        recv_q: s.recv_queue(),
                        send_q: s.send_queue(),
                    }
                }
            };
            out.insert(handle, f);
        }
    }
    out
}

pub(crate) fn v4(endpoint: IpEndpoint) -> Option<SocketAddrV4> {
    match endpoint.addr {
        IpAddress::Ipv4(ip) => Some(SocketAddrV4::new(ip, endpoint.port)),
    }
}

pub(crate) fn listen_endpoint(addr: SocketAddrV4) -> smoltcp::wire::IpListenEndpoint {
    smoltcp::wire::IpListenEndpoint {
        addr: (!addr.ip().is_unspecified()).then(|| IpAddress::Ipv4(*addr.ip())),
        port: addr.port(),
    }
}

/// A TCP socket for a host running `os`, with `buffer` bytes each way: its SYN offers a window
/// of `buffer` and, where the OS does, timestamps from the host's clock. smoltcp's inactivity
/// timeout stays off: the socket layer applies the OS's own deadlines (connect, stall), which
/// end a connection without the RST smoltcp's timeout would send.
pub(crate) fn new_tcp_socket(buffer: usize, os: OsProfile) -> tcp::Socket<'static> {
    let mut socket = tcp::Socket::new(
        tcp::SocketBuffer::new(vec![0; buffer]),
        tcp::SocketBuffer::new(vec![0; buffer]),
    );
    if os.timestamps() {
        socket.set_tsval_generator(Some(super::stack::tsval));
    }
    socket
}

/// The demultiplexing check for a segment we gave to socket `sock` (smoltcp's `handle`): smoltcp
/// changed that socket and no other, and a listener's slot took a SYN.
#[cfg(not(target_arch = "wasm32"))]
fn check_chosen(
    handle: Option<SocketHandle>,
    sock: SockId,
    s: &PacketSummary,
    decision: Demux,
    changed: &[SocketHandle],
    after: &BTreeMap<SocketHandle, Fingerprint>,
) -> Result<(), String> {
    let Some(handle) = handle else {
        return Err(format!(
            "the chosen socket {} has no smoltcp socket",
            sock.0
        ));
    };
    if let Some(other) = changed.iter().find(|c| **c != handle) {
        return Err(format!(
            "smoltcp changed another socket ({other:?}) than the chosen one"
        ));
    }
    if let (Demux::Listener { .. }, Some(t)) = (decision, s.tcp()) {
        if t.flags.syn && !t.flags.ack {
            let f = after.get(&handle);
            let want = IpEndpoint::new(IpAddress::Ipv4(s.src), t.src_port);
            if f.map(|f| (f.state, f.remote)) != Some((tcp::State::SynReceived, Some(want))) {
                return Err("the listener's smoltcp socket did not take the SYN".to_string());
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
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
        let listener = sim.processes[&srv].fds[&lfd];
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
}
