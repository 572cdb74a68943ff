//! Events in words: one readable line per event, for the CLI's log and the view's narration.
//! A [`Narrator`] follows the event stream, so it knows which process owns a socket and what
//! its addresses are when a later event mentions it only by number.

use crate::vecmap::VecMap;
use std::net::SocketAddrV4;

use super::event::{Event, EventKind, SegmentSent};
use super::faults::NetChange;
use super::net::HostId;
use super::packet::{preview, PacketSummary, Transport};
use super::ports::OsProfile;
use super::sim::Sim;
use super::socket::{Pid, Proto, SockId, SockState};
use super::tables::Tables;
use super::time::Instant;

/// The last TCP segment seen in one direction of a connection, to notice where smoltcp's
/// timing differs from Linux's.
#[derive(Clone, Copy, Debug)]
struct LastSent {
    at: Instant,
    ack: Option<u32>,
    bare_ack: bool,
    /// The highest sequence number sent so far, past the end of its data.
    seq_end: u32,
    /// The segment carried data.
    data: bool,
}

/// Turns events into sentences. Feed it every event, in order.
#[derive(Clone, Debug)]
pub struct Narrator {
    hosts: Vec<String>,
    /// Each link's two hosts, to name a link that goes down.
    links: Vec<(HostId, HostId)>,
    /// Each host's OS, whose TCP a segment is held against (Linux unless told).
    os: Vec<OsProfile>,
    /// The socket and process tables the events have built so far.
    tables: Tables,
    /// Per direction of each TCP connection (source, destination): the last segment sent.
    wire: VecMap<(SocketAddrV4, SocketAddrV4), LastSent>,
}

impl Narrator {
    pub fn new(host_names: Vec<String>) -> Narrator {
        let host_names_len = host_names.len();
        Narrator {
            hosts: host_names,
            links: Vec::new(),
            os: Vec::new(),
            tables: Tables::new(host_names_len),
            wire: VecMap::new(),
        }
    }

    /// A narrator for the network a simulation has: its hosts' names and OSes, its links.
    pub fn for_network(sim: &Sim) -> Narrator {
        Narrator::new(sim.hosts().map(|(_, h)| h.name.clone()).collect())
            .with_links(sim.links().map(|l| (l.a, l.b)).collect())
            .with_os(sim.hosts().map(|(_, h)| h.os).collect())
    }

    /// The OS each host runs, in host order, so a segment is held against that OS's TCP.
    pub fn with_os(mut self, os: Vec<OsProfile>) -> Narrator {
        self.os = os;
        self
    }

    /// Name links by their hosts ("the link between Client PC and Server goes down").
    pub fn with_links(mut self, links: Vec<(HostId, HostId)>) -> Narrator {
        self.links = links;
        self
    }

    fn host(&self, h: HostId) -> &str {
        self.hosts.get(h.0).map(String::as_str).unwrap_or("?")
    }

    fn process(&self, pid: Pid) -> String {
        self.tables
            .process(pid)
            .map(|p| p.name.clone())
            .unwrap_or_else(|| format!("process {}", pid.pid))
    }

    /// "node's socket (fd 4) 192.168.1.102:8099 ↔ 192.168.1.101:10378"
    fn socket(&self, host: HostId, sock: SockId) -> String {
        let row = self.tables.row(host, sock);
        let addrs = match (row.and_then(|r| r.local), row.and_then(|r| r.remote)) {
            (Some(l), Some(r)) => format!(" {l} ↔ {r}"),
            (Some(l), None) => format!(" {l}"),
            _ => String::new(),
        };
        match row.and_then(|r| r.pid.zip(r.fd)) {
            Some((pid, fd)) => format!("{}'s socket (fd {fd}){addrs}", self.process(pid)),
            None => format!("socket{addrs} (no process holds it)"),
        }
    }

    /// One line for an event, after which the narrator knows what the event changed.
    pub fn line(&mut self, event: &Event) -> String {
        let us = event.at.total_micros().max(0);
        let (host, text) = self.describe(&event.kind);
        format!(
            "{:>3}.{:06} s  {host:<12} {text}",
            us / 1_000_000,
            us % 1_000_000
        )
    }

    /// The host the event happens on, and what happens, in words.
    pub fn describe(&mut self, kind: &EventKind) -> (String, String) {
        // A line names a socket as the learner knew it: after what the event creates or
        // changes, but before what it takes away (a bound address is told as news).
        let before = matches!(
            kind,
            EventKind::Bound { .. }
                | EventKind::SocketClosed { .. }
                | EventKind::FdClosed { .. }
                | EventKind::ProcessExited { .. }
        );
        if !before {
            self.tables.apply(kind);
        }
        let line = self.words(kind);
        if before {
            self.tables.apply(kind);
        }
        line
    }

    fn words(&mut self, kind: &EventKind) -> (String, String) {
        match kind {
            EventKind::SegmentSent(_)
            | EventKind::SegmentDelivered { .. }
            | EventKind::SegmentDropped { .. } => self.wire_words(kind),
            EventKind::SocketCreated { .. }
            | EventKind::Accepted { .. }
            | EventKind::Bound { .. }
            | EventKind::Connecting { .. } => self.socket_words(kind),
            EventKind::StateChanged { .. }
            | EventKind::SocketClosed { .. }
            | EventKind::FdClosed { .. }
            | EventKind::Queues { .. } => self.socket_state_words(kind),
            _ => self.other_words(kind),
        }
    }

    /// Segments: sent, arriving, dropped.
    fn wire_words(&mut self, kind: &EventKind) -> (String, String) {
        match kind {
            EventKind::SegmentSent(s) => {
                let what = segment_words(&s.summary);
                let who = match s.summary.ports() {
                    Some((sp, dp)) => {
                        let (src, dst) = (
                            SocketAddrV4::new(s.summary.src, sp),
                            SocketAddrV4::new(s.summary.dst, dp),
                        );
                        let owner = self
                            .tables
                            .sockets_of(s.from)
                            .find(|r| r.local == Some(src) && r.remote == Some(dst));
                        match owner {
                            Some(r) => format!("{} sends", self.socket(s.from, r.sock)),
                            None => format!(
                                "the stack of {} answers from {src} with",
                                self.host(s.from)
                            ),
                        }
                    }
                    None => format!("the stack of {} sends", self.host(s.from)),
                };
                let to = match s.summary.ports() {
                    Some((_, dp)) => format!("{}:{dp}", s.summary.dst),
                    None => s.summary.dst.to_string(),
                };
                let copy = if s.copy_of.is_some() {
                    " (a duplicate made by the link)"
                } else {
                    ""
                };
                let note = self
                    .os_differs(s)
                    .map(|(os, n)| format!(" ({os} differs: {n})"))
                    .unwrap_or_default();
                let travel = (s.arrive - s.depart).total_millis();
                let eta = if s.link.is_some() {
                    format!("; it arrives in {travel} ms")
                } else {
                    String::new()
                };
                (
                    self.host(s.from).to_string(),
                    format!("{who} {what} to {to}{copy}{eta}{note}  [{}]", s.summary),
                )
            }
            EventKind::SegmentDelivered {
                seg,
                host,
                decision,
            } => {
                let target = match decision.socket() {
                    Some(sock) => format!(" → {}", self.socket(*host, sock)),
                    None => String::new(),
                };
                (
                    self.host(*host).to_string(),
                    format!("← segment {} arrives{target}: {}", seg.0, decision.reason()),
                )
            }
            EventKind::SegmentDropped { seg, reason } => (
                String::new(),
                format!("✗ segment {} dropped: {reason}", seg.0),
            ),
            _ => (String::new(), String::new()),
        }
    }

    /// Sockets: made, accepted, bound, connecting.
    fn socket_words(&mut self, kind: &EventKind) -> (String, String) {
        match kind {
            EventKind::SocketCreated {
                host,
                sock: _,
                proto,
                owner,
                state,
                local,
                remote,
            } => {
                let text = match (owner, local, remote) {
                    (Some((pid, fd)), _, _) => {
                        format!("{} creates a {proto} socket: fd {fd}", self.process(*pid))
                    }
                    (None, Some(l), Some(r)) => {
                        format!("the stack creates a new {proto} socket for the connection {l} ↔ {r} ({state}); it waits for accept()")
                    }
                    _ => format!("the stack creates a new {proto} socket ({state})"),
                };
                (self.host(*host).to_string(), text)
            }
            EventKind::Accepted {
                host,
                sock,
                pid,
                fd: _,
                ..
            } => (
                self.host(*host).to_string(),
                format!(
                    "{} accepts the connection: {}",
                    self.process(*pid),
                    self.socket(*host, *sock)
                ),
            ),
            EventKind::Bound { host, sock, local } => {
                let text = format!("{} is bound to {local}", self.socket(*host, *sock));
                (self.host(*host).to_string(), text)
            }
            EventKind::Connecting {
                host,
                sock,
                local,
                remote,
            } => {
                let who = match self.tables.row(*host, *sock).and_then(|r| r.pid.zip(r.fd)) {
                    Some((pid, fd)) => format!("{}'s socket (fd {fd})", self.process(pid)),
                    None => "a socket".to_string(),
                };
                let text = format!("{who} connects from {local} to {remote}");
                (self.host(*host).to_string(), text)
            }
            _ => (String::new(), String::new()),
        }
    }

    /// Sockets changing state, their queues, closed.
    fn socket_state_words(&mut self, kind: &EventKind) -> (String, String) {
        match kind {
            EventKind::StateChanged {
                host,
                sock,
                from,
                to,
            } => (
                self.host(*host).to_string(),
                format!("{}: {from} → {to}", self.socket(*host, *sock)),
            ),
            EventKind::SocketClosed { host, sock } => {
                let text = format!("{} is gone from the table", self.socket(*host, *sock));
                (self.host(*host).to_string(), text)
            }
            EventKind::FdClosed {
                host,
                sock: _,
                pid,
                fd,
            } => {
                let text = format!("{} closes fd {fd}", self.process(*pid));
                (self.host(*host).to_string(), text)
            }
            EventKind::Queues {
                host,
                sock,
                recv_q,
                send_q,
            } => {
                let listening = self
                    .tables
                    .row(*host, *sock)
                    .is_some_and(|r| r.state == SockState::Listen);
                let text = if listening {
                    // What `ss -lnt` shows for a listener: the accept queue and the backlog.
                    format!(
                        "{}: {recv_q} connection{} wait{} for accept() (backlog {send_q})",
                        self.socket(*host, *sock),
                        if *recv_q == 1 { "" } else { "s" },
                        if *recv_q == 1 { "s" } else { "" },
                    )
                } else {
                    format!(
                        "{}: Recv-Q {recv_q}, Send-Q {send_q}",
                        self.socket(*host, *sock)
                    )
                };
                (self.host(*host).to_string(), text)
            }
            _ => (String::new(), String::new()),
        }
    }

    /// Processes, data handed over, errors, the network changing.
    fn other_words(&mut self, kind: &EventKind) -> (String, String) {
        match kind {
            EventKind::ProcessStarted { pid, name, command } => (
                self.host(pid.host).to_string(),
                format!("{name} ({command}, pid {}) starts", pid.pid),
            ),
            EventKind::ProcessExited { pid } => (
                self.host(pid.host).to_string(),
                format!("{} exits", self.process(*pid)),
            ),
            EventKind::DataSent {
                host,
                sock,
                pid,
                bytes,
                ..
            } => {
                // send() on TCP only copies the bytes into the socket's send buffer: the stack
                // sends them in segments when the window allows. A UDP datagram leaves at once.
                let text = if self.is_tcp(*host, *sock) {
                    format!(
                        "{} writes {} bytes into its socket's send buffer: \"{}\"",
                        self.process(*pid),
                        bytes.len(),
                        preview(bytes)
                    )
                } else {
                    format!(
                        "{} sends a {}-byte datagram: \"{}\"",
                        self.process(*pid),
                        bytes.len(),
                        preview(bytes)
                    )
                };
                (self.host(*host).to_string(), text)
            }
            EventKind::DataDelivered {
                host,
                pid,
                bytes,
                from,
                ..
            } => {
                let from = from.map(|f| format!(" from {f}")).unwrap_or_default();
                (
                    self.host(*host).to_string(),
                    format!(
                        "{} reads {} bytes{from}: \"{}\"",
                        self.process(*pid),
                        bytes.len(),
                        preview(bytes)
                    ),
                )
            }
            EventKind::ErrorReturned { pid, error, .. } => (
                self.host(pid.host).to_string(),
                format!("{} gets an error: {error}", self.process(*pid)),
            ),
            EventKind::NetChanged(change) => match change {
                NetChange::Link { link, up } => {
                    let ends = self
                        .links
                        .get(link.0)
                        .map(|(a, b)| {
                            format!("the link between {} and {}", self.host(*a), self.host(*b))
                        })
                        .unwrap_or_else(|| format!("link {}", link.0));
                    (
                        String::new(),
                        format!("{ends} goes {}", if *up { "up" } else { "down" }),
                    )
                }
                NetChange::Host { host, up } => (
                    self.host(*host).to_string(),
                    format!("the host goes {}", if *up { "up" } else { "down" }),
                ),
            },
            _ => (String::new(), String::new()),
        }
    }

    /// Where this segment shows smoltcp doing what the sending host's OS does differently, in
    /// a few words, with the OS's name: the engine is a real TCP/IP stack, but not Linux's or
    /// Windows', and a learner holding it against Wireshark should be told rather than left
    /// to wonder.
    fn os_differs(&mut self, s: &SegmentSent) -> Option<(&'static str, &'static str)> {
        let os = self.os.get(s.from.0).copied().unwrap_or_default();
        let repeated = self.repeated(s);
        let note = self.linux_differs(s, repeated);
        match os {
            OsProfile::Linux => note.map(|n| ("Linux", n)),
            // Windows waits 3 s for a SYN's answer, doubling (3, 6, 12: 21 s in all); smoltcp
            // starts at 1 s. Linux's other notes are about Linux alone.
            OsProfile::Windows if repeated.is_some_and(|syn| syn) => Some((
                "Windows",
                "it sends its SYN again after 3 s, then 6 s; smoltcp after 1 s, then 2 s",
            )),
            OsProfile::Windows | OsProfile::Macos => None,
        }
    }

    /// Whether this segment repeats one already sent on its connection (Some(true) for a SYN),
    /// judged before [`Narrator::linux_differs`] records it.
    fn repeated(&self, s: &SegmentSent) -> Option<bool> {
        let Transport::Tcp(t) = &s.summary.transport else {
            return None;
        };
        let key = (
            SocketAddrV4::new(s.summary.src, t.src_port),
            SocketAddrV4::new(s.summary.dst, t.dst_port),
        );
        let m = self.wire.get(&key)?;
        let len = t.payload_len as u32 + u32::from(t.flags.syn) + u32::from(t.flags.fin);
        let again = len > 0 && s.copy_of.is_none() && !beyond(t.seq.wrapping_add(len), m.seq_end);
        again.then_some(t.flags.syn)
    }

    /// Where this segment shows smoltcp doing what Linux does differently (`repeated` is what
    /// [`Narrator::repeated`] says of it); it also records the segment for the notes on later
    /// ones.
    fn linux_differs(&mut self, s: &SegmentSent, repeated: Option<bool>) -> Option<&'static str> {
        let Transport::Tcp(t) = &s.summary.transport else {
            return None;
        };
        let (src, dst) = (
            SocketAddrV4::new(s.summary.src, t.src_port),
            SocketAddrV4::new(s.summary.dst, t.dst_port),
        );
        let mine = self.wire.get(&(src, dst)).copied();
        let theirs = self.wire.get(&(dst, src)).copied();
        let len = t.payload_len as u32 + u32::from(t.flags.syn) + u32::from(t.flags.fin);
        let seq_end = t.seq.wrapping_add(len);
        let bare_ack = t.flags.names() == ["ACK"] && t.payload_len == 0;
        self.wire.insert(
            (src, dst),
            LastSent {
                at: s.depart,
                ack: t.ack,
                bare_ack,
                seq_end: mine.map_or(seq_end, |m| {
                    if beyond(seq_end, m.seq_end) {
                        seq_end
                    } else {
                        m.seq_end
                    }
                }),
                data: t.payload_len > 0,
            },
        );
        if s.copy_of.is_some() {
            return None;
        }
        if t.flags.syn && t.options.window_scale.is_some_and(|w| w < 7) {
            return Some("its SYN offers a window scale that lets its receive buffer grow (7, ×128, for a 6 MB limit; 10, ×1024, on recent kernels with 32 MB); this stack's buffers stay at 64 KB, so it offers 0 (×1)");
        }
        if repeated == Some(false) {
            return Some(
                "it would have retransmitted sooner: its shortest wait is 200 ms, smoltcp's 1 s",
            );
        }
        if let Some(m) = mine {
            if t.flags.fin && t.payload_len == 0 && m.bare_ack && m.at == s.depart && m.ack == t.ack
            {
                return Some("a server that closes at once sends this FIN with the ACK before it, as one segment");
            }
        }
        let acks_new_data = theirs.is_some_and(|p| p.data) && mine.is_none_or(|m| m.ack != t.ack);
        if acks_new_data && !bare_ack && !t.flags.syn {
            return Some(
                "it acknowledges new data at once with a bare ACK (quick ACK), then sends this",
            );
        }
        None
    }

    /// Whether a socket the narrator knows is a TCP socket (the log can skip UDP queue noise).
    pub fn is_tcp(&self, host: HostId, sock: SockId) -> bool {
        self.tables.row(host, sock).map(|r| r.proto) == Some(Proto::Tcp)
    }
}

/// Whether sequence number `a` lies beyond `b` (modulo 2³², as TCP compares them).
fn beyond(a: u32, b: u32) -> bool {
    a.wrapping_sub(b) as i32 > 0
}

/// What a packet carries, in a few words: "SYN, ACK", "a UDP datagram of 12 bytes".
fn segment_words(summary: &PacketSummary) -> String {
    match &summary.transport {
        Transport::Tcp(t) if t.payload_len > 0 => {
            format!("{} with {} bytes", t.flags, t.payload_len)
        }
        Transport::Tcp(t) => t.flags.to_string(),
        Transport::Udp(u) => format!("a UDP datagram of {} bytes", u.payload_len),
        Transport::Icmp(i) => format!("ICMP {}", i.message),
        Transport::Fragment { .. } => {
            let offset = summary.fragment.map_or(0, |f| f.offset);
            format!(
                "a fragment of datagram {} (from byte {offset})",
                summary.ident
            )
        }
        Transport::Other { protocol } => format!("a protocol {protocol} packet"),
    }
}
