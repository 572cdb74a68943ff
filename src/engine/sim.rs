//! The simulation: hosts with their stacks and socket tables, the links between them, the
//! processes, what is due when, and the record of events; and what ties them together: a
//! packet a host sends is routed onto a link, a segment that arrives is demultiplexed and given
//! to its host's stack alone, and every host's table is brought into step with its stack.
//!
//! Each part owns one thing: [`super::host`] a host's stack and socket table,
//! [`super::links`] the links and the segments in flight, [`super::agenda`] the schedule,
//! deadlines and processes to wake, [`super::recorder`] the events. Time only moves when the
//! caller says so (`run.rs`): `step(now)` processes everything due up to `now`, one
//! instant at a time; `next_wakeup()` says when something is next due. Because every segment
//! is handed to its host's stack alone, the demultiplexing decision we record is the one that
//! applied to exactly that segment, and can be checked against what smoltcp did.

use smoltcp::socket::tcp;
use std::net::Ipv4Addr;

use super::agenda::{Agenda, Deadline, Scheduled, Waiting};
use super::event::{Demux, DropReason, Event, EventKind};
use super::faults::{reject_answer, FirewallRule, NetChange, Verdict};
use super::host::{Buffers, Cx, Host, Reassembled};
use super::links::{Flight, Links, Route};
use super::net::{HostId, HostSpec, LinkId, LinkSpec, CLIENT_PC_IP, SERVER_IP};
use super::packet;
use super::ports::{EphemeralPorts, OsProfile};
use super::program::{Action, Processes, When};
use super::recorder::Recorder;
use super::rng::Rng;
use super::snapshot::{HostView, ProcessView, Snapshot, SocketRow};
use super::socket::{Pid, SockId, SockState};
use super::stack::Stack;
use super::time::{Duration, Instant};

pub use super::host::{SOMAXCONN, TIME_WAIT};

/// Settings every host shares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimConfig {
    /// Each TCP socket's receive and send buffer, in bytes; the receive buffer is the window
    /// the socket advertises. None: each host's OS's initial window (on Linux 64240 for a
    /// socket that connects, 65160 for one a listener accepts). A benchmark of thousands of
    /// connections sets a small one.
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
    /// The TCP buffer sizes for a host running `os`.
    pub fn tcp_buffers_for(&self, os: OsProfile) -> Buffers {
        Buffers {
            connect: self.tcp_buffer.unwrap_or_else(|| os.initial_window()),
            accept: self.tcp_buffer.unwrap_or_else(|| os.synack_window()),
        }
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

impl std::error::Error for NetError {}

/// The simulation. See the module documentation.
pub struct Sim {
    seed: u64,
    pub(crate) config: SimConfig,
    pub(crate) hosts: Vec<Host>,
    links: Links,
    pub(crate) rec: Recorder,
    pub(crate) processes: Processes,
    /// What is due when: actions, network changes, the socket layer's deadlines, actions
    /// waiting for a milestone, and processes woken by a change to their sockets.
    pub(crate) agenda: Agenda,
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
            seed,
            config,
            hosts: Vec::new(),
            links: Links::default(),
            rec: Recorder::default(),
            processes: Processes::default(),
            agenda: Agenda::default(),
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
        self.rec.now
    }

    pub fn config(&self) -> &SimConfig {
        &self.config
    }

    /// Check every delivered segment's demultiplexing decision against what smoltcp did with
    /// it (slower: it compares every socket of the host before and after). Disagreements are
    /// listed by [`Sim::demux_mismatches`].
    pub fn set_verify_demux(&mut self, on: bool) {
        self.rec.verify_demux = on;
    }

    pub fn demux_mismatches(&self) -> &[String] {
        &self.rec.mismatches
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
        let stack = Stack::new(ip, Rng::derive(self.seed, salt), self.now());
        let ephemeral = EphemeralPorts::new(spec.os, Rng::derive(self.seed, salt << 32));
        let buffer = self.config.tcp_buffers_for(spec.os);
        self.hosts
            .push(Host::new(id, spec, stack, ephemeral, buffer));
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
        if self.links.between(link.a, link.b).is_some() {
            return Err(NetError::DuplicateLink(link.a, link.b));
        }
        let n = self.links.specs().count() as u64;
        let rng = Rng::new(Rng::derive(self.seed, 0x4C49_4E4B_0000 + n));
        Ok(self.links.add(link, rng))
    }

    pub fn hosts(&self) -> impl Iterator<Item = (HostId, &HostSpec)> {
        self.hosts.iter().map(|h| (h.id, &h.spec))
    }

    pub fn host_by_name(&self, name: &str) -> Option<HostId> {
        self.hosts
            .iter()
            .find(|h| h.spec.name == name)
            .map(|h| h.id)
    }

    pub fn links(&self) -> impl Iterator<Item = &LinkSpec> {
        self.links.specs()
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
        self.rec.events()
    }

    /// Take the events recorded since the last call (a long run need not keep them all).
    pub fn take_events(&mut self) -> Vec<Event> {
        self.rec.take_events()
    }

    pub(crate) fn emit(&mut self, kind: EventKind) {
        self.rec.emit(kind);
    }

    pub(crate) fn new_sock_id(&mut self) -> SockId {
        self.rec.new_sock_id()
    }

    pub(crate) fn mark_dirty(&mut self, pid: Pid, sock: SockId) {
        self.agenda.wake(pid, sock);
    }

    /// Host `h` and what its table reaches when it changes, borrowed apart.
    pub(crate) fn host_cx(&mut self, h: usize) -> (&mut Host, Cx<'_>) {
        let cx = Cx {
            rec: &mut self.rec,
            agenda: &mut self.agenda,
            stall_timeout: self.config.stall_timeout,
        };
        (&mut self.hosts[h], cx)
    }

    // ---- time ---------------------------------------------------------------------------------

    /// When something is next due: a segment arriving, a stack's timer, a process starting.
    /// None when nothing will ever happen again without a new call.
    pub fn next_wakeup(&mut self) -> Option<Instant> {
        let now = self.now();
        let mut next = self.links.next_arrival();
        let mut consider = |t: Instant| next = Some(next.map_or(t, |n| n.min(t)));
        if let Some(t) = self.agenda.next_scheduled() {
            consider(t.max(now));
        }
        if self.agenda.any_woken() {
            consider(now);
        }
        if let Some(t) = self.next_deadline() {
            consider(t.max(now));
        }
        for host in &mut self.hosts {
            if let Some(t) = host.due(now) {
                consider(t.max(now));
            }
        }
        next
    }

    /// Deliver the first segment due by `t`, if any. True if there was one.
    pub(crate) fn deliver_due_flight(&mut self, t: Instant) -> bool {
        match self.links.take_due(t) {
            Some(flight) => {
                self.deliver(flight);
                true
            }
            None => false,
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
            if deadline.host() < self.hosts.len() {
                let (host, mut cx) = self.host_cx(deadline.host());
                host.give_up(&mut cx, deadline);
            }
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
        self.rec.now = t;
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
        self.agenda.schedule(at.max(self.now()), what);
    }

    /// Give up on a connection at `at` if it is still stuck then.
    pub(crate) fn set_deadline(&mut self, at: Instant, deadline: Deadline) {
        self.agenda.set_deadline(at.max(self.now()), deadline);
    }

    /// When the first deadline that still applies falls; the others are dropped.
    fn next_deadline(&mut self) -> Option<Instant> {
        while let Some((t, d)) = self.agenda.first_deadline() {
            if self.hosts.get(d.host()).is_some_and(|h| h.still_stuck(d)) {
                return Some(t);
            }
            self.agenda.pop_deadline();
        }
        None
    }

    /// Take a link or host down, or bring it back, at a time.
    pub fn schedule_net(&mut self, at: Instant, change: NetChange) -> Result<(), NetError> {
        match change {
            NetChange::Link { link, .. } if !self.links.exists(link) => {
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
        for host in &mut self.hosts {
            host.stir();
        }
        match change {
            NetChange::Link { link, up } => self.links.set_up(link, up),
            NetChange::Host { host, up } => {
                if let Some(h) = self.hosts.get_mut(host.0) {
                    h.up = up;
                }
            }
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

    // ---- the network ----------------------------------------------------------------------------

    /// Poll one host's stack at the current time, bring the socket tables up to date and put
    /// what it sent on the links. True when anything changed or was sent.
    pub(crate) fn poll_host(&mut self, h: usize) -> bool {
        let now = self.now();
        let quiet = self.hosts[h].quiet(now);
        if quiet && !cfg!(debug_assertions) {
            return false;
        }
        self.hosts[h].poll(now);
        let changed = self.sync_host(h);
        let sent = self.drain_tx(h);
        debug_assert!(
            !(quiet && (changed || sent)),
            "host {h} looked quiet at {now} but its poll changed its sockets or sent"
        );
        changed || sent
    }

    /// Bring host `h`'s socket table into step with its stack. True if anything changed.
    pub(crate) fn sync_host(&mut self, h: usize) -> bool {
        let (host, mut cx) = self.host_cx(h);
        host.sync(&mut cx)
    }

    /// Refresh the accept queue and backlog `ss` shows for host `h`'s listeners.
    pub(crate) fn sync_listeners(&mut self, h: usize) {
        self.hosts[h].sync_listeners(&mut self.rec);
    }

    /// Remove a socket from host `h`'s table and free its smoltcp socket.
    pub(crate) fn remove_entry(&mut self, h: usize, id: SockId) {
        self.hosts[h].remove_entry(&mut self.rec, id);
    }

    fn drain_tx(&mut self, h: usize) -> bool {
        let packets = std::mem::take(&mut self.hosts[h].stack.device.tx);
        let sent = !packets.is_empty();
        for bytes in packets {
            self.put_on_link(h, bytes);
        }
        sent
    }

    /// A segment for a connection still in TIME-WAIT (the table keeps it Linux's 60 s) whose
    /// smoltcp socket is gone (smoltcp keeps it 10 s). Linux answers a FIN or data again with
    /// its ACK, and lets an RST end TIME-WAIT; a bare ACK needs nothing. True if answered here.
    fn answer_lingering(&mut self, h: usize, flight: &Flight, decision: Demux) -> bool {
        let (Demux::Connection { sock }, Some(t)) = (decision, flight.summary.tcp()) else {
            return false;
        };
        let Some(e) = self.hosts[h].entries.get(&sock) else {
            return false;
        };
        if e.state != SockState::TimeWait || e.handle.is_some() || e.parked.is_some() {
            return false;
        }
        if t.flags.rst {
            let (host, mut cx) = self.host_cx(h);
            host.give_up(&mut cx, Deadline::TimeWait { host: h, sock });
        } else if t.flags.fin || t.flags.syn || t.payload_len > 0 {
            if let Some(ack) = e.final_ack.clone() {
                self.put_on_link(h, ack);
            }
        }
        true
    }

    /// A packet host `h` sent, routed to the host with its destination address.
    fn put_on_link(&mut self, h: usize, bytes: Vec<u8>) {
        // Our stacks only write valid IPv4; a packet that does not decode is dropped unseen
        // rather than shown half-read.
        let Ok(summary) = packet::decode(&bytes) else {
            return;
        };
        if !self.hosts[h].sends(&summary, &bytes) {
            return;
        }
        let route = match self.hosts.iter().find(|to| to.spec.ip == summary.dst) {
            Some(to) => Route::To {
                to: to.id,
                up: self.hosts[h].up && to.up,
            },
            None => Route::Nowhere,
        };
        let from = self.hosts[h].id;
        self.links.send(&mut self.rec, from, route, bytes, summary);
    }

    fn deliver(&mut self, flight: Flight) {
        let h = flight.to.0;
        let gone = if flight.lost {
            Some(DropReason::Lost)
        } else if !self.links.is_up(flight.link) {
            Some(DropReason::LinkDown)
        } else if !self.hosts[h].up {
            Some(DropReason::HostDown)
        } else if flight.summary.fragment.is_none() {
            self.hosts[h].firewall_verdict(&flight.summary)
        } else {
            // A fragment meets the firewall once its datagram is whole (below).
            None
        };
        if let Some(reason) = gone {
            self.dropped(h, &flight, reason, None);
            return;
        }
        // Let the host's timers due at this instant fire first, so the decision below meets the
        // tables as they are when the segment arrives, and smoltcp's poll handles only it.
        self.poll_host(h);
        let now = self.now();
        let decision = match self.hosts[h].demux_arriving(&flight.summary, &flight.bytes, now) {
            Ok((d, None)) => d,
            Ok((d, Some(whole))) => match self.hosts[h].firewall_verdict(&whole.summary) {
                Some(reason) => {
                    self.dropped(h, &flight, reason, Some(&whole));
                    return;
                }
                None => d,
            },
            Err(reason) => {
                self.dropped(h, &flight, reason, None);
                return;
            }
        };
        if let Some(sock) = decision.socket() {
            self.hosts[h].unpark(sock);
        }
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
        if !self.answer_lingering(h, &flight, decision) {
            self.hand_to_stack(h, &flight, decision);
        }
        if decision == Demux::Icmp {
            self.hosts[h].icmp_unreachable(&flight.bytes);
        }
        self.sync_host(h);
        self.drain_tx(h);
    }

    /// A segment that never reaches host `h`'s stack. A firewall's REJECT answers it, or the
    /// datagram `whole` that this fragment completed (its ICMP error quotes the first
    /// fragment, which has the UDP header).
    fn dropped(
        &mut self,
        h: usize,
        flight: &Flight,
        reason: DropReason,
        whole: Option<&Reassembled>,
    ) {
        self.emit(EventKind::SegmentDropped {
            seg: flight.seg,
            reason: reason.clone(),
        });
        if let DropReason::Firewall {
            verdict: verdict @ (Verdict::Reject | Verdict::RejectWithTcpReset),
        } = reason
        {
            let (bytes, summary) = match whole {
                Some(w) => (&w.bytes, &w.summary),
                None => (&flight.bytes, &flight.summary),
            };
            if let Some(answer) = reject_answer(verdict, bytes, summary) {
                self.put_on_link(h, answer);
            }
        }
    }

    /// Give the segment to host `h`'s stack alone. Natively, with the check turned on, what
    /// smoltcp did is compared with `decision` (see [`super::verify`]).
    fn hand_to_stack(&mut self, h: usize, flight: &Flight, decision: Demux) {
        let now = self.now();
        // A SYN for a connection that exists (retransmitted, duplicated) is that connection's,
        // as on Linux; smoltcp would let the port's listener take it and make a second socket
        // with the same 4-tuple. The listener steps aside while the stack handles it (and while
        // the check below compares the sockets smoltcp has, by handle, before and after).
        let aside = match (decision, flight.summary.tcp()) {
            (Demux::Connection { .. }, Some(t)) if t.flags.syn && !t.flags.ack => {
                self.hosts[h].listener_aside(t.dst_port)
            }
            _ => None,
        };
        #[cfg(not(target_arch = "wasm32"))]
        let before = self
            .rec
            .verify_demux
            .then(|| super::verify::fingerprint(&self.hosts[h]));
        let host = &mut self.hosts[h];
        // A FIN on an established connection, to a host that acknowledges as Linux does: its
        // ACK waits for the program's turn (a program that closes at once sends one FIN,ACK).
        let fin_waits = host.spec.os.acks_like_linux()
            && flight.summary.tcp().is_some_and(|t| t.flags.fin)
            && match decision {
                Demux::Connection { sock } => host
                    .entries
                    .get(&sock)
                    .and_then(|e| e.handle)
                    .is_some_and(|handle| host.tcp(handle).state() == tcp::State::Established),
                _ => false,
            };
        host.stack.device.rx.push_back(flight.bytes.to_vec());
        if fin_waits {
            host.ingress(now);
        } else {
            host.poll(now);
        }
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(before) = before {
            let host = &self.hosts[h];
            let after = super::verify::fingerprint(host);
            let checked =
                super::verify::check_demux(host, &flight.summary, decision, &before, &after);
            if let Err(why) = checked {
                self.rec.mismatches.push(format!(
                    "segment {} ({}): {why}",
                    flight.seg.0, flight.summary
                ));
            }
        }
        #[cfg(target_arch = "wasm32")]
        let _ = decision;
        if let Some(listener) = aside {
            self.hosts[h].listener_back(listener);
        }
    }

    // ---- snapshots ------------------------------------------------------------------------------

    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            at: self.now(),
            hosts: self.hosts.iter().map(|h| self.host_view(h)).collect(),
            in_flight: self.links.views(self.now()),
        }
    }

    fn host_view(&self, h: &Host) -> HostView {
        let id = h.id;
        let processes = self
            .processes
            .on_host(id)
            .filter(|p| !p.exited())
            .map(|p| ProcessView {
                pid: p.pid,
                name: p.name.clone(),
                command: p.command.clone(),
                kind: p.kind,
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
