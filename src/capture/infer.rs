//! Socket tables as an observer of the wire infers them from a capture: a listener where a port
//! accepts connections, one socket per connection and side with its 4-tuple, and each socket's
//! state as the packets show it. Each packet's effect on the receiving side is taken at the
//! packet's own time (the capture sees it arrive), and the whole capture is known, so a server's
//! SYN-RECEIVED socket appears with the SYN it answered. A connection the capture joins after its
//! handshake is in an "unknown" state until its FIN or RST tells more; a socket in TIME-WAIT
//! leaves the table 60 seconds later, as on Linux (`TCP_TIMEWAIT_LEN`).

use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::net::{IpAddr, SocketAddr};

use super::read::{Packet, Transport, ACK, FIN, RST, SYN};
use crate::engine::socket::SockState;

/// How long Linux keeps a socket in TIME-WAIT, in microseconds.
pub const TIME_WAIT_MICROS: i64 = 60_000_000;

/// A socket's state as the capture shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Seen {
    State(SockState),
    /// The capture joined the connection after its handshake: data flows, but what each side
    /// has done before is not in the file.
    Unknown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Proto {
    Tcp,
    Udp,
}

/// Which side of a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Side {
    /// The side that sent the first SYN (or, joined mid-stream, the one on the higher port).
    Client,
    Server,
}

/// One connection the capture shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conn {
    pub proto: Proto,
    pub client: SocketAddr,
    pub server: SocketAddr,
    /// Its first packet's index in the capture's packets.
    pub first: usize,
    /// The capture joined it after its handshake.
    pub joined: bool,
    /// The server answered its SYN with RST: nothing listened.
    pub refused: bool,
}

/// A change to one host's table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// How many of the capture's packets have been seen when it takes effect: 0 before the
    /// first, `k + 1` for a change packet `k` makes; one more than there are packets for a
    /// TIME-WAIT that ends after the capture does.
    pub after: usize,
    /// When, in the capture's microseconds.
    pub at: i64,
    /// Made by a timer (a TIME-WAIT's end), not by a packet: between the packet before and
    /// this one, and shown with this one.
    pub timer: bool,
    pub sock: Sock,
    /// The socket's state from now on; `None` when it leaves the table.
    pub to: Option<Seen>,
}

/// Which socket a change is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sock {
    /// A listener, by its number in [`Inferred::listeners`].
    Listener(usize),
    /// A connection's side, by the connection's number.
    Conn(usize, Side),
}

/// The capture's hosts, connections and every table change, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inferred {
    /// Every address that sends or receives, in the order the capture first shows it.
    pub hosts: Vec<IpAddr>,
    pub conns: Vec<Conn>,
    /// Every port that accepted a connection (TCP) or sent from a fixed port it also received
    /// on (UDP): its address and port.
    pub listeners: Vec<(Proto, SocketAddr)>,
    /// Sorted by `after`, then in the order they were made.
    pub changes: Vec<Change>,
    /// Per packet, its connection.
    pub conn_of: Vec<usize>,
}

/// One row of a host's table at a moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub proto: Proto,
    pub local: SocketAddr,
    /// None ("n/a") for a listener.
    pub peer: Option<SocketAddr>,
    /// None for UDP, which has no state.
    pub state: Option<Seen>,
    pub sock: Sock,
}

/// The state one side of a TCP connection is in, and what it has sent that waits for an ACK.
#[derive(Clone, Copy, Debug, Default)]
struct SideState {
    state: Option<Seen>,
    /// The sequence number after its SYN, when it has sent one.
    syn_end: Option<u32>,
    /// The sequence number after its FIN, when it has sent one.
    fin_end: Option<u32>,
}

struct Builder<'a> {
    packets: &'a [Packet],
    out: Inferred,
    live: HashMap<(Proto, SocketAddr, SocketAddr), usize>,
    sides: Vec<[SideState; 2]>,
    hosts: HashMap<IpAddr, ()>,
    listeners: HashMap<(Proto, SocketAddr), usize>,
    /// Per connection, the index of its latest SYN (for the server's SYN-RECEIVED socket).
    last_syn: Vec<usize>,
    /// Sockets in TIME-WAIT, and when they leave.
    /// (When, connection, side): the soonest first.
    expiring: BinaryHeap<Reverse<(i64, usize, usize)>>,
    /// Sockets an RST will close once their own last packets have gone: (packet, conn, side).
    gone_at: Vec<(usize, usize, Side)>,
}

/// How many packets after an RST are looked through for the other side's crossing ones.
const CROSSING: usize = 64;

fn index(side: Side) -> usize {
    match side {
        Side::Client => 0,
        Side::Server => 1,
    }
}

fn other(side: Side) -> Side {
    match side {
        Side::Client => Side::Server,
        Side::Server => Side::Client,
    }
}

/// `a` is at or after `b` in sequence space.
fn reached(a: u32, b: u32) -> bool {
    a.wrapping_sub(b) < 1 << 31
}

/// Infer every table change from a capture's packets.
pub fn infer(packets: &[Packet]) -> Inferred {
    let mut b = Builder {
        packets,
        out: Inferred::default(),
        live: HashMap::new(),
        sides: Vec::new(),
        hosts: HashMap::new(),
        listeners: HashMap::new(),
        last_syn: Vec::new(),
        expiring: BinaryHeap::new(),
        gone_at: Vec::new(),
    };
    for (k, p) in packets.iter().enumerate() {
        b.expire(k, p.at);
        for ip in [p.src.ip(), p.dst.ip()] {
            if b.hosts.insert(ip, ()).is_none() {
                b.out.hosts.push(ip);
            }
        }
        match p.transport {
            Transport::Tcp {
                flags,
                seq,
                ack,
                len,
                ..
            } => b.tcp(k, p, flags, seq, ack, len),
            Transport::Udp { .. } => b.udp(k, p),
        }
    }
    // Sockets in TIME-WAIT at the end leave when their time is up: after the capture ends
    // (`after` one more than there are packets).
    b.expire(packets.len(), i64::MAX);
    let mut out = b.out;
    // Stable: changes of one moment keep the order they were made in.
    out.changes.sort_by_key(|c| c.after);
    out
}

impl Builder<'_> {
    fn change(&mut self, after: usize, at: i64, sock: Sock, to: Option<Seen>) {
        self.out.changes.push(Change {
            after,
            at,
            timer: false,
            sock,
            to,
        });
    }

    fn set(&mut self, k: usize, conn: usize, side: Side, to: Option<Seen>) {
        let s = &mut self.sides[conn][index(side)];
        if s.state == to {
            return;
        }
        s.state = to;
        let at = self.packets[k].at;
        self.change(k + 1, at, Sock::Conn(conn, side), to);
        if to == Some(Seen::State(SockState::TimeWait)) {
            self.expiring
                .push(Reverse((at + TIME_WAIT_MICROS, conn, index(side))));
        }
    }

    /// Sockets whose TIME-WAIT is over by `now` leave, before packet `k` (and are shown with it:
    /// the tables after the packet before still hold them).
    fn expire(&mut self, k: usize, now: i64) {
        while let Some(&Reverse((when, c, i))) = self.expiring.peek() {
            if when > now {
                break;
            }
            self.expiring.pop();
            let side = if i == 0 { Side::Client } else { Side::Server };
            let s = &mut self.sides[c][i];
            if s.state == Some(Seen::State(SockState::TimeWait)) {
                s.state = None;
                self.out.changes.push(Change {
                    after: k + 1,
                    at: when,
                    timer: true,
                    sock: Sock::Conn(c, side),
                    to: None,
                });
            }
        }
    }

    fn state(&self, conn: usize, side: Side) -> Option<Seen> {
        self.sides[conn][index(side)].state
    }

    fn new_conn(
        &mut self,
        k: usize,
        client: SocketAddr,
        server: SocketAddr,
        proto: Proto,
    ) -> usize {
        let c = self.out.conns.len();
        self.out.conns.push(Conn {
            proto,
            client,
            server,
            first: k,
            joined: false,
            refused: false,
        });
        self.sides.push(Default::default());
        self.last_syn.push(k);
        self.live.insert(key(proto, client, server), c);
        c
    }

    fn listener(&mut self, proto: Proto, at: SocketAddr) {
        if self.listeners.contains_key(&(proto, at)) {
            return;
        }
        let n = self.out.listeners.len();
        self.listeners.insert((proto, at), n);
        self.out.listeners.push((proto, at));
        let first = self.packets.first().map_or(0, |p| p.at);
        let to = match proto {
            Proto::Tcp => Some(Seen::State(SockState::Listen)),
            Proto::Udp => None,
        };
        // Known once a connection is accepted, but there since before the capture began.
        self.out.changes.push(Change {
            after: 0,
            at: first,
            timer: false,
            sock: Sock::Listener(n),
            to: to.or(Some(Seen::State(SockState::Bound))),
        });
    }

    fn udp(&mut self, k: usize, p: &Packet) {
        let c = match self.live.get(&key(Proto::Udp, p.src, p.dst)) {
            Some(&c) => c,
            None => {
                let c = self.new_conn(k, p.src, p.dst, Proto::Udp);
                // The sender's socket is there from its first datagram.
                self.set(k, c, Side::Client, Some(Seen::State(SockState::Bound)));
                c
            }
        };
        self.out.conn_of.push(c);
        let conn = &self.out.conns[c];
        // A reply from the port the first datagram went to: that port is a server's.
        if p.src == conn.server {
            let server = conn.server;
            self.listener(Proto::Udp, server);
        }
    }

    fn tcp(&mut self, k: usize, p: &Packet, flags: u8, seq: u32, ack: u32, len: u32) {
        self.tcp_packet(k, p, flags, seq, ack, len);
        while let Some(i) = self.gone_at.iter().position(|g| g.0 == k) {
            let (_, c, side) = self.gone_at.swap_remove(i);
            self.set_gone(k, c, side);
        }
    }

    /// After an RST from `p`'s sender at `k`: the last packet the other side sends on the same
    /// connection before anything else happens on it, among the next few.
    fn crossed(&self, k: usize, p: &Packet) -> Option<usize> {
        let mut last = None;
        for (j, q) in self.packets.iter().enumerate().skip(k + 1).take(CROSSING) {
            if !q.is_tcp() {
                continue;
            }
            if (q.src, q.dst) == (p.dst, p.src) && q.flags() & (SYN | RST) == 0 {
                last = Some(j);
            } else if key(Proto::Tcp, q.src, q.dst) == key(Proto::Tcp, p.src, p.dst) {
                break;
            }
        }
        last
    }

    fn tcp_packet(&mut self, k: usize, p: &Packet, flags: u8, seq: u32, ack: u32, len: u32) {
        let syn_only = flags & (SYN | ACK) == SYN;
        let found = self.live.get(&key(Proto::Tcp, p.src, p.dst)).copied();
        let c = match found {
            // A new SYN on a 4-tuple whose connection is over (or in TIME-WAIT): a new one.
            Some(c) if syn_only && self.over(c) => {
                for side in [Side::Client, Side::Server] {
                    self.set_gone(k, c, side);
                }
                self.open(k, p)
            }
            Some(c) => c,
            None if syn_only => self.open(k, p),
            // Joined at the SYN-ACK: its sender is the server, and the handshake is seen.
            None if flags & (SYN | ACK | RST) == SYN | ACK => {
                self.new_conn(k, p.dst, p.src, Proto::Tcp)
            }
            None => {
                // Joined after the handshake: the side on the lower port is taken as the server.
                let (client, server) = if p.src.port() < p.dst.port() {
                    (p.dst, p.src)
                } else {
                    (p.src, p.dst)
                };
                let c = self.new_conn(k, client, server, Proto::Tcp);
                self.out.conns[c].joined = true;
                if flags & RST == 0 {
                    for side in [Side::Client, Side::Server] {
                        self.set(k, c, side, Some(Seen::Unknown));
                    }
                }
                c
            }
        };
        self.out.conn_of.push(c);
        let from = if p.src == self.out.conns[c].client {
            Side::Client
        } else {
            Side::Server
        };
        let to = other(from);
        use SockState::*;
        let st = |s: SockState| Some(Seen::State(s));

        if flags & RST != 0 {
            if from == Side::Server && self.state(c, Side::Server).is_none() {
                self.out.conns[c].refused = true;
            }
            self.set_gone(k, c, from);
            // The other side's socket goes when the RST reaches it. Packets it sends after the
            // RST on the wire were sent before it arrived (the two crossed): it goes with its
            // last of them.
            match self.crossed(k, p) {
                Some(last) => self.gone_at.push((last, c, to)),
                None => self.set_gone(k, c, to),
            }
            return;
        }
        if flags & SYN != 0 {
            self.sides[c][index(from)].syn_end = Some(seq.wrapping_add(1));
            if flags & ACK == 0 {
                if from == Side::Client {
                    self.last_syn[c] = k;
                    self.set(k, c, from, st(SynSent));
                }
            } else if from == Side::Server {
                // The server answered: its socket was made by the SYN, on a listening port.
                let server = self.out.conns[c].server;
                self.listener(Proto::Tcp, server);
                if self.state(c, Side::Server).is_none() {
                    let syn = self.last_syn[c];
                    self.sides[c][1].state = st(SynReceived);
                    let at = self.packets[syn].at;
                    self.change(syn + 1, at, Sock::Conn(c, Side::Server), st(SynReceived));
                }
            }
        }
        // What this packet acknowledges of the other side's SYN and FIN.
        if flags & ACK != 0 {
            let other_side = self.sides[c][index(to)];
            if let Some(end) = other_side.syn_end {
                let acked = reached(ack, end);
                if acked && other_side.state == st(SynReceived) {
                    self.set(k, c, to, st(Established));
                }
            }
            // A SYN-ACK: the client that receives it is connected (from SYN-SENT, or from nothing
            // seen when the capture began at the SYN-ACK).
            if flags & SYN != 0
                && from == Side::Server
                && matches!(self.state(c, to), None | Some(Seen::State(SynSent)))
                && self.sides[c][index(to)].fin_end.is_none()
            {
                self.set(k, c, to, st(Established));
            }
            if let Some(end) = other_side.fin_end {
                if reached(ack, end) {
                    match other_side.state {
                        // With a FIN too, FIN-WAIT-1 goes straight to TIME-WAIT (below).
                        Some(Seen::State(FinWait1)) if flags & FIN == 0 => {
                            self.set(k, c, to, st(FinWait2))
                        }
                        Some(Seen::State(Closing)) => self.set(k, c, to, st(TimeWait)),
                        Some(Seen::State(LastAck)) => self.set_gone(k, c, to),
                        _ => {}
                    }
                }
            }
        }
        if flags & FIN != 0 {
            let syn = (flags & SYN != 0) as u32;
            let end = seq.wrapping_add(len + syn + 1);
            let first_fin = self.sides[c][index(from)].fin_end.is_none();
            self.sides[c][index(from)].fin_end = Some(end);
            if first_fin {
                match self.state(c, from) {
                    Some(Seen::State(CloseWait)) => self.set(k, c, from, st(LastAck)),
                    Some(Seen::State(Established | SynReceived)) | Some(Seen::Unknown) => {
                        self.set(k, c, from, st(FinWait1))
                    }
                    _ => {}
                }
                match self.state(c, to) {
                    Some(Seen::State(Established)) | Some(Seen::Unknown) => {
                        self.set(k, c, to, st(CloseWait))
                    }
                    Some(Seen::State(FinWait1)) => {
                        let acked = self.sides[c][index(to)]
                            .fin_end
                            .is_some_and(|end| flags & ACK != 0 && reached(ack, end));
                        self.set(k, c, to, st(if acked { TimeWait } else { Closing }))
                    }
                    Some(Seen::State(FinWait2)) => self.set(k, c, to, st(TimeWait)),
                    _ => {}
                }
            }
        }
    }

    /// A new connection from a SYN.
    fn open(&mut self, k: usize, p: &Packet) -> usize {
        self.new_conn(k, p.src, p.dst, Proto::Tcp)
    }

    /// Both sides are gone or waiting out TIME-WAIT.
    fn over(&self, c: usize) -> bool {
        self.sides[c].iter().all(|s| {
            matches!(
                s.state,
                None | Some(Seen::State(SockState::TimeWait | SockState::Closed))
            )
        })
    }

    fn set_gone(&mut self, k: usize, c: usize, side: Side) {
        if self.state(c, side).is_some() {
            self.set(k, c, side, None);
        }
    }
}

/// A connection's key, the same both ways: its protocol and its two ends.
fn key(proto: Proto, a: SocketAddr, b: SocketAddr) -> (Proto, SocketAddr, SocketAddr) {
    if a <= b {
        (proto, a, b)
    } else {
        (proto, b, a)
    }
}

impl Inferred {
    /// Every host's table after the first `n` packets (0: before the first), by host in the
    /// order of [`Inferred::hosts`]; each table in the order its sockets appeared.
    pub fn tables_after(&self, n: usize) -> Vec<(IpAddr, Vec<Row>)> {
        let mut now: Vec<(Sock, Seen)> = Vec::new();
        for c in self.changes.iter().take_while(|c| c.after <= n) {
            match (now.iter().position(|(s, _)| *s == c.sock), c.to) {
                (Some(i), Some(to)) => now[i].1 = to,
                (Some(i), None) => {
                    now.remove(i);
                }
                (None, Some(to)) => now.push((c.sock, to)),
                (None, None) => {}
            }
        }
        self.hosts
            .iter()
            .map(|&ip| {
                let rows = now
                    .iter()
                    .filter_map(|&(sock, seen)| {
                        let row = self.row(sock, seen);
                        (row.local.ip() == ip).then_some(row)
                    })
                    .collect();
                (ip, rows)
            })
            .collect()
    }

    fn row(&self, sock: Sock, seen: Seen) -> Row {
        match sock {
            Sock::Listener(n) => {
                let (proto, local) = self.listeners[n];
                Row {
                    proto,
                    local,
                    peer: None,
                    state: (proto == Proto::Tcp).then_some(seen),
                    sock,
                }
            }
            Sock::Conn(c, side) => {
                let conn = &self.conns[c];
                let (local, peer) = match side {
                    Side::Client => (conn.client, conn.server),
                    Side::Server => (conn.server, conn.client),
                };
                Row {
                    proto: conn.proto,
                    local,
                    peer: Some(peer),
                    state: (conn.proto == Proto::Tcp).then_some(seen),
                    sock,
                }
            }
        }
    }

    /// The changes packet `k` makes (its effect on each side's table).
    pub fn changes_of(&self, k: usize) -> &[Change] {
        let start = self.changes.partition_point(|c| c.after <= k);
        let end = self.changes.partition_point(|c| c.after <= k + 1);
        &self.changes[start..end]
    }
}
