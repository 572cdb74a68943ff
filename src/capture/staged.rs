//! The part of a capture the page shows, as a scene the player plays: its IPv4 hosts on the
//! stage, each packet crossing from its sender to its receiver, and each host's socket table
//! changing as the capture shows it ([`super::infer`]). The sender's changes take effect when
//! its packet leaves, the receiver's when it arrives.
//!
//! One capture point sees a packet pass once: it does not show how long the packet took to
//! cross. On the stage each packet takes [`CROSSING`] to cross, and a connection's next packet
//! leaves a pause after it arrives ([`STEP`] in all), or at its own time in the capture if that
//! is later. Connections do not wait for each other: their packets cross at once, as on the
//! wire. So a busy connection runs behind the capture's clock; the narration gives each
//! packet's own time in the capture.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr, SocketAddrV4};
use std::rc::Rc;

use super::infer::{Change, Proto as CapProto, Seen, Side, Sock, TIME_WAIT_MICROS};
use super::read::{Transport, ACK, SYN};
use super::shown::{Shown, ShownPacket};
use crate::engine::event::{Demux, EventKind, SegmentId, SegmentSent};
use crate::engine::net::{HostId, HostSpec, LinkId};
use crate::engine::packet::{self, PacketSummary};
use crate::engine::scenario::{HostDef, Scenario};
use crate::engine::socket::{Proto, SockId, SockState};
use crate::engine::time::Instant;
use crate::engine::timeline::Recording;

/// How long each packet takes to cross the stage, in microseconds.
pub const CROSSING: i64 = 20_000;
/// The least stage time between two packets of one connection: the first's crossing, and a
/// pause after it arrives, so that the next leaves at a moment of its own (a step shows one of
/// the connection's packets at a time).
pub const STEP: i64 = 25_000;
/// The longest part the stage plays, first packet to last (a day, in microseconds): the
/// player's time scale is made for a scene's seconds and minutes, not for months.
pub const LONGEST: i64 = 24 * 3600 * 1_000_000;

/// The most hosts the stage draws: every host has its box on the stage and its table beside it,
/// and a part with more does not stay smooth on a slow machine (`FRAME_PAGE=import node
/// benches/frames.mjs`). A part with more plays its first connections whose hosts fit.
pub const MOST_HOSTS: usize = 12;

/// What a line of the narration is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Said {
    /// The part's packet `k` leaves its sender.
    Packet(usize),
    /// Change number `i` of the part's [`super::Inferred::changes`].
    Change(usize),
}

/// A capture's part, ready for the player.
#[derive(Clone, Debug, PartialEq)]
pub struct Staged {
    pub scenario: Scenario,
    pub recording: Recording,
    /// Each host on the stage's address, by host number.
    pub hosts: Vec<IpAddr>,
    /// The narration: when, about which segment, what.
    pub said: Vec<(Instant, Option<SegmentId>, Said)>,
    /// Each segment's packet in the part, by segment number (from 1).
    pub packets: Vec<usize>,
    /// Packets of the part not on the stage: IPv6 ones (the stage draws IPv4 hosts), and any
    /// whose headers were captured too short to read.
    pub left_out: usize,
    /// The part's connections on the stage, by number: its IPv4 ones, in order, each whose
    /// hosts fit among [`MOST_HOSTS`] with those before it.
    pub conns: Vec<usize>,
    /// Packets of IPv4 connections left off the stage, for hosts beyond [`MOST_HOSTS`]; and how
    /// many such connections.
    pub beyond: (usize, usize),
    /// Packets on the stage that a host sends to itself (loopback): they have no link to cross.
    pub looped: usize,
}

/// Why a part cannot be staged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotStaged {
    /// It has no IPv4 packet to show.
    NoIpv4,
    /// It lasts longer than [`LONGEST`].
    TooLong,
}

/// A socket on the stage: its number, its state, and when (stage time) it came to it.
#[derive(Clone, Copy)]
struct OnStage {
    id: SockId,
    state: SockState,
    since: i64,
}

struct Stager<'a> {
    shown: &'a Shown,
    /// Per connection of the part, whether it is on the stage.
    staged: Vec<bool>,
    host_of: HashMap<IpAddr, HostId>,
    socks: HashMap<Sock, OnStage>,
    next_sock: u64,
    events: Vec<(i64, EventKind)>,
    said: Vec<(i64, Option<SegmentId>, Said)>,
}

/// The part `shown` as a scene, its hosts named by `name`, titled `title`.
pub fn staged(
    shown: &Shown,
    title: &str,
    name: impl Fn(IpAddr) -> String,
) -> Result<Staged, NotStaged> {
    let inf = &shown.inferred;
    let v4 = |a: SocketAddr| matches!(a, SocketAddr::V4(_));
    let first = shown.shown.iter().find(|p| v4(p.src) && v4(p.dst));
    let Some(first) = first else {
        return Err(NotStaged::NoIpv4);
    };
    let last = shown.shown.iter().map(|p| p.at).max().unwrap_or(first.at);
    if last.saturating_sub(first.at) > LONGEST {
        return Err(NotStaged::TooLong);
    }
    let start = first.at;

    // The connections on the stage: the IPv4 ones, in the order the part shows them, each whose
    // hosts fit among the most the stage draws with those before it.
    let mut chosen: Vec<IpAddr> = Vec::new();
    let mut on_stage = vec![false; inf.conns.len()];
    for (c, conn) in inf.conns.iter().enumerate() {
        let (a, b) = (conn.client.ip(), conn.server.ip());
        if !(a.is_ipv4() && b.is_ipv4()) {
            continue;
        }
        let mut new: Vec<IpAddr> = [a, b]
            .into_iter()
            .filter(|ip| !chosen.contains(ip))
            .collect();
        new.dedup();
        if chosen.len() + new.len() <= MOST_HOSTS {
            chosen.extend(new);
            on_stage[c] = true;
        }
    }
    // The hosts: those addresses, in the order the capture shows them, each with its own name.
    let mut hosts = Vec::new();
    let mut specs: Vec<HostSpec> = Vec::new();
    for ip in inf.hosts.iter().filter(|ip| chosen.contains(ip)) {
        let IpAddr::V4(v4) = ip else { continue };
        let mut shown_name = name(*ip);
        if specs.iter().any(|s| s.name == shown_name) {
            shown_name = format!("{shown_name} ({ip})");
        }
        specs.push(HostSpec::new(&shown_name, *v4));
        hosts.push(*ip);
    }
    let mut st = Stager {
        shown,
        staged: on_stage.clone(),
        host_of: hosts
            .iter()
            .enumerate()
            .map(|(i, ip)| (*ip, HostId(i)))
            .collect(),
        socks: HashMap::new(),
        next_sock: 0,
        events: Vec::new(),
        said: Vec::new(),
    };

    // Each packet's summary, when its headers read and both its ends are on the stage.
    let staged_at = |k: usize| inf.conn_of.get(k).is_some_and(|&c| on_stage[c]);
    let summaries: Vec<Option<(PacketSummary, Rc<[u8]>)>> = shown
        .shown
        .iter()
        .enumerate()
        .map(|(k, p)| staged_at(k).then(|| summary(p)).flatten())
        .collect();
    // Left out: IPv4 connections whose hosts do not fit, apart from the rest.
    let beyond_conns = inf
        .conns
        .iter()
        .zip(&on_stage)
        .filter(|(c, on)| !**on && c.client.is_ipv4() && c.server.is_ipv4())
        .count();
    let beyond = shown
        .shown
        .iter()
        .enumerate()
        .filter(|&(k, p)| v4(p.src) && v4(p.dst) && !staged_at(k))
        .count();
    let left_out = summaries
        .iter()
        .filter(|s| s.is_none())
        .count()
        .saturating_sub(beyond);

    // Stage times. A connection's packets follow one another: each leaves at its time in the
    // capture (from the part's first packet, one step in), or once the connection's packet
    // before has crossed and a pause has passed, whichever is later. Connections do not wait for
    // each other, so packets of different connections cross at once, as they did on the wire.
    let key_of = |c: usize| {
        let conn = &inf.conns[c];
        (
            conn.proto,
            conn.client.min(conn.server),
            conn.client.max(conn.server),
        )
    };
    // Per connection (by its ends): when its next packet may leave.
    let mut chains: HashMap<(CapProto, SocketAddr, SocketAddr), i64> = HashMap::new();
    let since = |at: i64| (at - start).max(0) + STEP;

    let mut links: Vec<(HostId, HostId)> = Vec::new();
    let mut packets = Vec::new();
    let mut changes = inf.changes.iter().enumerate().peekable();
    // The tables before the first packet: the listeners it shows from the start.
    while let Some((i, c)) = changes.next_if(|(_, c)| c.after == 0) {
        st.change(i, c, 0);
    }
    let mut looped = 0;
    for (k, p) in shown.shown.iter().enumerate() {
        let timers: Vec<(usize, &Change)> =
            std::iter::from_fn(|| changes.next_if(|(_, c)| c.after == k + 1 && c.timer)).collect();
        let mine: Vec<(usize, &Change)> =
            std::iter::from_fn(|| changes.next_if(|(_, c)| c.after == k + 1 && !c.timer)).collect();
        // When this packet leaves, if it is on the stage.
        let key = inf
            .conn_of
            .get(k)
            .filter(|&&c| on_stage[c])
            .map(|&c| key_of(c));
        let depart = key.map(|key| {
            let ready = chains.get(&key).copied().unwrap_or(0);
            since(p.at).max(ready)
        });
        // A timer's changes (a TIME-WAIT's end): 60 seconds after the socket came to TIME-WAIT
        // on the stage, and before this packet leaves, when it is the same connection's (its
        // ends used again).
        for (i, c) in timers {
            let mut at = st.timer_ends(c);
            if let (Some(depart), Sock::Conn(n, _)) = (depart, c.sock) {
                if key == Some(key_of(n)) {
                    at = at.min(depart - 1);
                }
            }
            st.change(i, c, at);
        }
        let (Some(key), Some(depart)) = (key, depart) else {
            continue;
        };
        let arrive = depart + CROSSING;
        chains.insert(key, depart + STEP);
        // The sender's changes as it leaves (a socket bound to the address it leaves from),
        // the receiver's as it arrives.
        let sends = |c: &Change| local_of(shown, c.sock) == p.src;
        for &(i, c) in &mine {
            if sends(c) {
                st.change(i, c, depart);
            }
        }
        let Some((summary, bytes)) = summaries[k].clone() else {
            // Its headers do not read: its changes still show.
            for &(i, c) in &mine {
                if !sends(c) {
                    st.change(i, c, arrive);
                }
            }
            continue;
        };
        let (from, to) = (st.host_of[&p.src.ip()], st.host_of[&p.dst.ip()]);
        // A host talking to itself (loopback): no link to cross.
        let link = if from == to {
            looped += 1;
            None
        } else {
            let pair = (from.min(to), from.max(to));
            Some(match links.iter().position(|l| *l == pair) {
                Some(l) => l,
                None => {
                    links.push(pair);
                    links.len() - 1
                }
            })
        };
        packets.push(k);
        // Numbered in the order sent on the stage, once every packet has its time (below).
        let seg = SegmentId(packets.len() as u64);
        st.events.push((
            depart,
            EventKind::SegmentSent(Box::new(SegmentSent {
                seg,
                from,
                to: Some(to),
                link: link.map(LinkId),
                depart: Instant::from_micros(depart),
                arrive: Instant::from_micros(arrive),
                bytes,
                summary,
                copy_of: None,
            })),
        ));
        st.said.push((depart, Some(seg), Said::Packet(k)));
        // Where it went as it arrives (to a socket there before it, or to one it makes), and
        // the receiver's changes.
        let before = st.receiver(k, p);
        let at = st.events.len();
        for &(i, c) in &mine {
            if !sends(c) {
                st.change(i, c, arrive);
            }
        }
        let decision = st.decision(k, p, before);
        let delivered = EventKind::SegmentDelivered {
            seg,
            host: to,
            decision,
        };
        match before {
            Some(_) => st.events.insert(at, (arrive, delivered)),
            None => st.events.push((arrive, delivered)),
        }
    }
    // Timers that end after the part's last packet.
    for (i, c) in changes {
        let at = st.timer_ends(c);
        st.change(i, c, at);
    }

    let Stager {
        mut events,
        mut said,
        ..
    } = st;
    // In time order; what happens at one moment, in the order it was made. Segments are
    // numbered in the order they leave, as the player counts them.
    events.sort_by_key(|(at, _)| *at);
    said.sort_by_key(|(at, _, _)| *at);
    let mut number = vec![0u64; packets.len() + 1];
    let mut sent = 0;
    for (_, e) in &mut events {
        match e {
            EventKind::SegmentSent(s) => {
                sent += 1;
                number[s.seg.0 as usize] = sent;
                s.seg = SegmentId(sent);
            }
            EventKind::SegmentDelivered { seg, .. } => *seg = SegmentId(number[seg.0 as usize]),
            _ => {}
        }
    }
    let mut in_order = vec![0; packets.len()];
    for (old, &k) in packets.iter().enumerate() {
        in_order[number[old + 1] as usize - 1] = k;
    }
    let packets = in_order;
    for (_, seg, _) in &mut said {
        if let Some(s) = seg {
            *s = SegmentId(number[s.0 as usize]);
        }
    }
    let end = events.last().map_or(0, |(at, _)| *at) + CROSSING;
    let scenario = Scenario {
        title: title.to_string(),
        hosts: specs
            .iter()
            .map(|h| HostDef {
                name: h.name.clone(),
                ip: h.ip.to_string(),
                os: None,
            })
            .collect(),
        ..Scenario::default()
    };
    let recording = Recording {
        hosts: specs,
        links,
        events: events
            .into_iter()
            .map(|(at, kind)| crate::engine::event::Event {
                at: Instant::from_micros(at),
                kind,
            })
            .collect(),
        end: Instant::from_micros(end),
    };
    Ok(Staged {
        scenario,
        recording,
        hosts,
        said: said
            .into_iter()
            .map(|(at, seg, s)| (Instant::from_micros(at), seg, s))
            .collect(),
        packets,
        left_out,
        conns: (0..inf.conns.len()).filter(|&c| on_stage[c]).collect(),
        beyond: (beyond, beyond_conns),
        looped,
    })
}

/// The address a socket of the part is bound to.
fn local_of(shown: &Shown, sock: Sock) -> SocketAddr {
    let inf = &shown.inferred;
    match sock {
        Sock::Listener(n) => inf.listeners[n].1,
        Sock::Conn(c, Side::Client) => inf.conns[c].client,
        Sock::Conn(c, Side::Server) => inf.conns[c].server,
    }
}

fn v4_of(a: SocketAddr) -> Option<SocketAddrV4> {
    match a {
        SocketAddr::V4(a) => Some(a),
        SocketAddr::V6(_) => None,
    }
}

impl Stager<'_> {
    /// When a timer's change `c` (a TIME-WAIT's end) happens on the stage: as long after its
    /// socket came to TIME-WAIT on the stage as it was in the capture ([`TIME_WAIT_MICROS`]).
    fn timer_ends(&self, c: &Change) -> i64 {
        self.socks
            .get(&c.sock)
            .map_or(0, |s| s.since + TIME_WAIT_MICROS)
    }

    /// Change `i` (`c`) at stage time `at`, when its socket is on the stage.
    fn change(&mut self, i: usize, c: &Change, at: i64) {
        let inf = &self.shown.inferred;
        if let Sock::Conn(n, _) = c.sock {
            if !self.staged.get(n).copied().unwrap_or(false) {
                return;
            }
        }
        let (proto, local, remote) = match c.sock {
            Sock::Listener(n) => (inf.listeners[n].0, inf.listeners[n].1, None),
            Sock::Conn(n, side) => {
                let conn = &inf.conns[n];
                let (l, r) = match side {
                    Side::Client => (conn.client, conn.server),
                    Side::Server => (conn.server, conn.client),
                };
                (conn.proto, l, Some(r))
            }
        };
        let Some(local) = v4_of(local) else { return };
        let Some(&host) = self.host_of.get(&IpAddr::V4(*local.ip())) else {
            return;
        };
        let to = c.to.map(|seen| match seen {
            Seen::State(s) => s,
            Seen::Unknown => SockState::Unknown,
        });
        let kind = match (self.socks.get(&c.sock).copied(), to) {
            (None, Some(state)) => {
                self.next_sock += 1;
                let id = SockId(self.next_sock);
                self.socks.insert(
                    c.sock,
                    OnStage {
                        id,
                        state,
                        since: at,
                    },
                );
                EventKind::SocketCreated {
                    host,
                    sock: id,
                    proto: match proto {
                        CapProto::Tcp => Proto::Tcp,
                        CapProto::Udp => Proto::Udp,
                    },
                    owner: None,
                    state,
                    local: Some(local),
                    remote: remote.and_then(v4_of),
                }
            }
            (Some(s), Some(state)) if s.state == state => return,
            (Some(s), Some(state)) => {
                self.socks.insert(
                    c.sock,
                    OnStage {
                        state,
                        since: at,
                        ..s
                    },
                );
                EventKind::StateChanged {
                    host,
                    sock: s.id,
                    from: s.state,
                    to: state,
                }
            }
            (Some(s), None) => {
                self.socks.remove(&c.sock);
                EventKind::SocketClosed { host, sock: s.id }
            }
            (None, None) => return,
        };
        self.events.push((at, kind));
        self.said.push((at, None, Said::Change(i)));
    }

    /// The receiving side's socket of packet `k`'s connection, if it is on the stage now.
    fn receiver(&self, k: usize, p: &ShownPacket) -> Option<SockId> {
        let c = *self.shown.inferred.conn_of.get(k)?;
        let conn = &self.shown.inferred.conns[c];
        let side = if p.dst == conn.server {
            Side::Server
        } else {
            Side::Client
        };
        self.socks.get(&Sock::Conn(c, side)).map(|s| s.id)
    }

    /// Which socket took packet `k`, as far as the capture shows: the receiver's socket of
    /// its connection (`before` it arrived, else made as it arrived), the listener a SYN came
    /// to, or the RST that refused it. Else the capture does not show it.
    fn decision(&self, k: usize, p: &ShownPacket, before: Option<SockId>) -> Demux {
        let inf = &self.shown.inferred;
        let (tcp, flags) = match p.transport {
            Transport::Tcp { flags, .. } => (true, flags),
            Transport::Udp { .. } => (false, 0),
        };
        let proto = if tcp { CapProto::Tcp } else { CapProto::Udp };
        let listener = inf
            .listeners
            .iter()
            .position(|&(pr, at)| pr == proto && at == p.dst)
            .and_then(|n| self.socks.get(&Sock::Listener(n)))
            .map(|s| s.id);
        let syn = flags & (SYN | ACK) == SYN;
        let after = self.receiver(k, p);
        let refused = inf.conn_of.get(k).is_some_and(|&c| inf.conns[c].refused);
        match (tcp, before, listener, after) {
            (true, Some(sock), _, _) => Demux::Connection { sock },
            (true, None, _, None) if syn && refused => Demux::NoSocketAnswerRst,
            (true, None, Some(sock), _) if syn => Demux::Listener { sock },
            (true, None, _, Some(sock)) => Demux::Connection { sock },
            (false, Some(sock), _, _) | (false, None, Some(sock), _) => Demux::UdpSocket { sock },
            (false, None, None, Some(sock)) => Demux::UdpSocket { sock },
            _ => Demux::Unseen,
        }
    }
}

/// A packet's summary, and its bytes as the inspector reads them. A capture may keep only a
/// packet's first bytes (its snap length, and the page keeps at most
/// [`super::shown::MOST_BYTES`]): the lengths in its IPv4 and UDP headers are then set to what
/// was kept, so that the headers read, and the summary gives the lengths the packet had.
fn summary(p: &ShownPacket) -> Option<(PacketSummary, Rc<[u8]>)> {
    let mut b = p.bytes.clone();
    if b.len() < 20 || b[0] >> 4 != 4 {
        return None;
    }
    let total = u16::from_be_bytes([b[2], b[3]]);
    let kept = u16::try_from(b.len()).ok()?;
    if usize::from(total) > b.len() {
        b[2..4].copy_from_slice(&kept.to_be_bytes());
    }
    let header = usize::from(b[0] & 0x0f) * 4;
    if let (Transport::Udp { .. }, Some(udp)) = (p.transport, b.get_mut(header + 4..header + 6)) {
        let said = u16::from_be_bytes([udp[0], udp[1]]);
        let room = u16::try_from(kept as usize - header.min(kept as usize)).ok()?;
        udp.copy_from_slice(&said.min(room).to_be_bytes());
    }
    let mut s = packet::decode(&b).ok()?;
    s.total_len = total.max(s.total_len);
    match (&mut s.transport, p.transport) {
        (packet::Transport::Tcp(t), Transport::Tcp { len, .. }) => t.payload_len = len as usize,
        (packet::Transport::Udp(u), Transport::Udp { len }) => u.payload_len = len as usize,
        _ => {}
    }
    Some((s, b.into()))
}
