//! Events in words: one readable line per event, for the CLI's log and the view's narration, in
//! the installed catalog's language (the CLI's is English). The engine gives structured events;
//! the words are the catalog's (`narrate.*`, `os.*`, `demux.*`). A [`Narrator`] follows the event
//! stream, so it knows which process owns a socket and what its addresses are when a later event
//! mentions it only by number.

use crate::vecmap::VecMap;
use std::net::SocketAddrV4;

use crate::engine::event::{Demux, DropReason, Event, EventKind, SegmentSent};
use crate::engine::faults::{NetChange, Verdict};
use crate::engine::net::{HostId, HostSpec};
use crate::engine::packet::{preview, IcmpSummary, PacketSummary, Transport};
use crate::engine::ports::OsProfile;
use crate::engine::program::AppKind;
use crate::engine::sim::Sim;
use crate::engine::socket::{Pid, Proto, SockError, SockId, SockState, Why};
use crate::engine::tables::Tables;
use crate::i18n::{t, tn, tp, Msg};
use crate::view::scenes::host_name;

/// The last TCP segment seen in one direction of a connection, to notice a retransmission.
#[derive(Clone, Copy, Debug)]
struct LastSent {
    /// The highest sequence number sent so far, past the end of its data.
    seq_end: u32,
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
        let hosts: Vec<&HostSpec> = sim.hosts().map(|(_, h)| h).collect();
        Narrator::for_hosts(&hosts, sim.links().map(|l| (l.a, l.b)).collect())
    }

    /// A narrator for a network of these hosts (in host order) and links: a simulation's, or a
    /// recorded run's.
    pub fn for_hosts<H: std::borrow::Borrow<HostSpec>>(
        hosts: &[H],
        links: Vec<(HostId, HostId)>,
    ) -> Narrator {
        let names = hosts
            .iter()
            .map(|h| host_name(&h.borrow().name).to_string());
        Narrator::new(names.collect())
            .with_links(links)
            .with_os(hosts.iter().map(|h| h.borrow().os).collect())
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

    /// The OS host `h` runs, by its name ("Linux").
    fn os(&self, h: HostId) -> &'static str {
        self.os.get(h.0).copied().unwrap_or_default().name()
    }

    fn host(&self, h: HostId) -> &str {
        self.hosts.get(h.0).map(String::as_str).unwrap_or("?")
    }

    fn process(&self, pid: Pid) -> String {
        self.tables
            .process(pid)
            .map(|p| program(&p.name, p.kind))
            .unwrap_or_else(|| tp(Msg::NarrateProcessN, &[("pid", &pid.pid.to_string())]))
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
            Some((pid, fd)) => self.socket_of(pid, fd, &addrs),
            None => tp(Msg::NarrateSocketOrphan, &[("addrs", &addrs)]),
        }
    }

    /// "node's socket (fd 4)", then `addrs`.
    fn socket_of(&self, pid: Pid, fd: u32, addrs: &str) -> String {
        let process = self.process(pid);
        tp(
            Msg::NarrateSocket,
            &[
                ("process", &process),
                ("fd", &fd.to_string()),
                ("addrs", addrs),
            ],
        )
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
            EventKind::SegmentSent(s) => self.sent_words(s),
            EventKind::SegmentDelivered {
                seg,
                host,
                decision,
            } => {
                let target = match decision.socket() {
                    Some(sock) => format!(" → {}", self.socket(*host, sock)),
                    None => String::new(),
                };
                let reason = demux_reason(decision);
                let args: &[(&str, &str)] = &[
                    ("seg", &seg.0.to_string()),
                    ("target", &target),
                    ("reason", &reason),
                ];
                (
                    self.host(*host).to_string(),
                    tp(Msg::NarrateDelivered, args),
                )
            }
            EventKind::SegmentDropped { seg, reason } => {
                let args: &[(&str, &str)] = &[
                    ("seg", &seg.0.to_string()),
                    ("reason", &drop_reason(reason)),
                ];
                (String::new(), tp(Msg::NarrateDropped, args))
            }
            _ => (String::new(), String::new()),
        }
    }

    /// A segment sent: by which socket (or by the stack itself), what, to where, when it
    /// arrives, and where the sending host's OS would differ.
    fn sent_words(&mut self, s: &SegmentSent) -> (String, String) {
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
                    Some(r) => (Msg::NarrateSentBy, self.socket(s.from, r.sock), src),
                    None => (Msg::NarrateStackAnswers, String::new(), src),
                }
            }
            None => (
                Msg::NarrateStackSends,
                String::new(),
                SocketAddrV4::new(s.summary.src, 0),
            ),
        };
        let to = match s.summary.ports() {
            Some((_, dp)) => format!("{}:{dp}", s.summary.dst),
            None => s.summary.dst.to_string(),
        };
        let copy = match s.copy_of {
            Some(_) => t(Msg::NarrateDuplicate).to_string(),
            None => String::new(),
        };
        let note = self
            .os_differs(s)
            .map(|(os, n)| tp(Msg::NarrateOsDiffers, &[("os", os), ("note", &t(n))]))
            .unwrap_or_default();
        let travel = (s.arrive - s.depart).total_millis().to_string();
        let eta = match s.link {
            Some(_) => tp(Msg::NarrateArrivesIn, &[("ms", &travel)]),
            None => String::new(),
        };
        let (msg, socket, src) = who;
        let said = tp(
            msg,
            &[
                ("socket", &socket),
                ("host", self.host(s.from)),
                ("src", &src.to_string()),
                ("what", &what),
                ("to", &to),
            ],
        );
        (
            self.host(s.from).to_string(),
            format!("{said}{copy}{eta}{note}  [{}]", s.summary),
        )
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
                let msg = match (owner, local, remote) {
                    (Some(_), _, _) => Msg::NarrateCreates,
                    (None, Some(_), Some(_)) => Msg::NarrateStackCreatesFor,
                    _ => Msg::NarrateStackCreates,
                };
                let (process, fd) = match owner {
                    Some((pid, fd)) => (self.process(*pid), fd.to_string()),
                    None => (String::new(), String::new()),
                };
                let addr = |a: &Option<SocketAddrV4>| a.map(|a| a.to_string()).unwrap_or_default();
                let text = tp(
                    msg,
                    &[
                        ("process", &process),
                        ("fd", &fd),
                        ("proto", &proto.to_string()),
                        ("local", &addr(local)),
                        ("remote", &addr(remote)),
                        ("state", &state.to_string()),
                    ],
                );
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
                tp(
                    Msg::NarrateAccepts,
                    &[
                        ("process", &self.process(*pid)),
                        ("socket", &self.socket(*host, *sock)),
                    ],
                ),
            ),
            EventKind::Bound {
                host,
                sock,
                local,
                picked,
            } => {
                let socket = self.socket(*host, *sock);
                let os = self.os(*host);
                let text = tp(
                    if *picked {
                        Msg::NarrateBoundPicked
                    } else {
                        Msg::NarrateBound
                    },
                    &[
                        ("socket", &socket),
                        ("local", &local.to_string()),
                        ("os", os),
                    ],
                );
                (self.host(*host).to_string(), text)
            }
            EventKind::Connecting {
                host,
                sock,
                local,
                remote,
            } => {
                let who = match self.tables.row(*host, *sock).and_then(|r| r.pid.zip(r.fd)) {
                    Some((pid, fd)) => self.socket_of(pid, fd, ""),
                    None => t(Msg::NarrateASocket).to_string(),
                };
                let args: &[(&str, &str)] = &[
                    ("who", &who),
                    ("local", &local.to_string()),
                    ("remote", &remote.to_string()),
                ];
                let text = tp(Msg::NarrateConnects, args);
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
                let text = tp(Msg::NarrateGone, &[("socket", &self.socket(*host, *sock))]);
                (self.host(*host).to_string(), text)
            }
            EventKind::FdClosed {
                host,
                sock: _,
                pid,
                fd,
            } => {
                let args: &[(&str, &str)] =
                    &[("process", &self.process(*pid)), ("fd", &fd.to_string())];
                let text = tp(Msg::NarrateClosesFd, args);
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
                let (socket, recv, send) = (
                    self.socket(*host, *sock),
                    recv_q.to_string(),
                    send_q.to_string(),
                );
                let text = if listening {
                    // What `ss -lnt` shows for a listener: the accept queue and the backlog.
                    let args: &[(&str, &str)] =
                        &[("socket", &socket), ("n", &recv), ("backlog", &send)];
                    tn(Msg::NarrateAcceptQueue, *recv_q as u64, args)
                } else {
                    let args: &[(&str, &str)] =
                        &[("socket", &socket), ("recv", &recv), ("send", &send)];
                    tp(Msg::NarrateQueues, args)
                };
                (self.host(*host).to_string(), text)
            }
            _ => (String::new(), String::new()),
        }
    }

    /// Processes, data handed over, errors, the network changing.
    fn other_words(&mut self, kind: &EventKind) -> (String, String) {
        match kind {
            EventKind::ProcessStarted {
                pid,
                name,
                command,
                kind,
            } => (
                self.host(pid.host).to_string(),
                tp(
                    Msg::NarrateStarts,
                    &[
                        ("name", &program(name, *kind)),
                        ("command", command),
                        ("pid", &pid.pid.to_string()),
                    ],
                ),
            ),
            EventKind::ProcessExited { pid } => (
                self.host(pid.host).to_string(),
                tp(Msg::NarrateExits, &[("process", &self.process(*pid))]),
            ),
            EventKind::Forked {
                host,
                parent,
                child,
                sock,
                ..
            } => (
                self.host(*host).to_string(),
                tp(
                    Msg::NarrateForks,
                    &[
                        ("process", &self.process(*parent)),
                        ("parent", &parent.pid.to_string()),
                        ("child", &child.pid.to_string()),
                        ("socket", &self.socket(*host, *sock)),
                    ],
                ),
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
                let msg = match self.is_tcp(*host, *sock) {
                    true => Msg::NarrateWrites,
                    false => Msg::NarrateSendsDatagram,
                };
                let args: &[(&str, &str)] = &[
                    ("process", &self.process(*pid)),
                    ("n", &bytes.len().to_string()),
                    ("data", &preview(bytes)),
                ];
                let text = tp(msg, args);
                (self.host(*host).to_string(), text)
            }
            EventKind::DataDelivered {
                host,
                pid,
                bytes,
                from,
                ..
            } => {
                let from = from
                    .map(|f| tp(Msg::NarrateReadsFrom, &[("addr", &f.to_string())]))
                    .unwrap_or_default();
                let args: &[(&str, &str)] = &[
                    ("process", &self.process(*pid)),
                    ("n", &bytes.len().to_string()),
                    ("from", &from),
                    ("data", &preview(bytes)),
                ];
                (self.host(*host).to_string(), tp(Msg::NarrateReads, args))
            }
            EventKind::ErrorReturned { pid, error, .. } => (
                self.host(pid.host).to_string(),
                tp(
                    Msg::NarrateError,
                    &[("process", &self.process(*pid)), ("error", &said(error))],
                ),
            ),
            EventKind::NetChanged(change) => self.net_words(change),
            _ => (String::new(), String::new()),
        }
    }

    /// A link or a host going down or up.
    fn net_words(&self, change: &NetChange) -> (String, String) {
        match change {
            NetChange::Link { link, up } => {
                let ends = self
                    .links
                    .get(link.0)
                    .map(|(a, b)| {
                        tp(
                            Msg::NarrateLinkBetween,
                            &[("a", self.host(*a)), ("b", self.host(*b))],
                        )
                    })
                    .unwrap_or_else(|| tp(Msg::NarrateLinkN, &[("n", &link.0.to_string())]));
                let msg = if *up {
                    Msg::NarrateGoesUp
                } else {
                    Msg::NarrateGoesDown
                };
                (String::new(), tp(msg, &[("what", &ends)]))
            }
            NetChange::Host { host, up } => (
                self.host(*host).to_string(),
                t(if *up {
                    Msg::NarrateHostUp
                } else {
                    Msg::NarrateHostDown
                })
                .to_string(),
            ),
        }
    }

    /// Where this segment shows smoltcp doing what the sending host's OS does differently, in
    /// a few words, with the OS's name: the engine is a real TCP/IP stack, but not Linux's or
    /// Windows', and a learner holding it against Wireshark should be told rather than left
    /// to wonder.
    fn os_differs(&mut self, s: &SegmentSent) -> Option<(&'static str, Msg)> {
        let os = self.os.get(s.from.0).copied().unwrap_or_default();
        let repeated = self.repeated(s);
        let note = self.linux_differs(s, repeated);
        match os {
            OsProfile::Linux => note.map(|n| ("Linux", n)),
            // Windows waits 3 s for a SYN's answer, doubling (3, 6, 12: 21 s in all); smoltcp
            // starts at 1 s. Linux's other notes are about Linux alone.
            OsProfile::Windows if repeated.is_some_and(|syn| syn) => {
                Some(("Windows", Msg::OsWindowsSyn))
            }
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
    fn linux_differs(&mut self, s: &SegmentSent, repeated: Option<bool>) -> Option<Msg> {
        let Transport::Tcp(t) = &s.summary.transport else {
            return None;
        };
        let (src, dst) = (
            SocketAddrV4::new(s.summary.src, t.src_port),
            SocketAddrV4::new(s.summary.dst, t.dst_port),
        );
        let mine = self.wire.get(&(src, dst)).copied();
        let len = t.payload_len as u32 + u32::from(t.flags.syn) + u32::from(t.flags.fin);
        let seq_end = t.seq.wrapping_add(len);
        self.wire.insert(
            (src, dst),
            LastSent {
                seq_end: mine.map_or(seq_end, |m| {
                    if beyond(seq_end, m.seq_end) {
                        seq_end
                    } else {
                        m.seq_end
                    }
                }),
            },
        );
        if s.copy_of.is_some() {
            return None;
        }
        if t.flags.syn && t.options.window_scale.is_some_and(|w| w < 7) {
            return Some(Msg::OsWindowScale);
        }
        if repeated == Some(false) {
            return Some(Msg::OsRetransmit);
        }
        // When a Linux host acknowledges (quick ACK; a FIN's ACK with the program's own FIN),
        // the engine follows it (`OsProfile::acks_like_linux`): nothing to note.
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
        Transport::Tcp(tcp) if tcp.payload_len > 0 => tp(
            Msg::NarrateSegData,
            &[
                ("flags", &tcp.flags.to_string()),
                ("n", &tcp.payload_len.to_string()),
            ],
        ),
        Transport::Tcp(tcp) => tcp.flags.to_string(),
        Transport::Udp(u) => tp(Msg::NarrateSegUdp, &[("n", &u.payload_len.to_string())]),
        Transport::Icmp(i) => format!("ICMP {}", icmp_message(i)),
        Transport::Fragment { .. } => {
            let offset = summary.fragment.map_or(0, |f| f.offset);
            let args: &[(&str, &str)] = &[
                ("id", &summary.ident.to_string()),
                ("offset", &offset.to_string()),
            ];
            tp(Msg::NarrateSegFragment, args)
        }
        Transport::Other { protocol } => tp(Msg::NarrateSegOther, &[("n", &protocol.to_string())]),
    }
}

/// A program's name in the learner's language ("Node.js server", "Node.js 伺服器"); a process
/// that runs no program of the course's keeps the name it was given.
pub fn program(name: &str, kind: Option<AppKind>) -> String {
    let Some(kind) = kind else {
        return name.to_string();
    };
    t(match kind {
        AppKind::WebBrowser => Msg::ProgramWebBrowser,
        AppKind::EmailClient => Msg::ProgramEmailClient,
        AppKind::Curl => Msg::ProgramCurl,
        AppKind::MobileApp => Msg::ProgramMobileApp,
        AppKind::NodeServer => Msg::ProgramNodeServer,
        AppKind::WebServer => Msg::ProgramWebServer,
        AppKind::MailServer => Msg::ProgramMailServer,
        AppKind::MongoServer => Msg::ProgramMongoServer,
        AppKind::MongoShell => Msg::ProgramMongoShell,
        AppKind::ForkingServer => Msg::ProgramForkingServer,
    })
    .to_string()
}

/// What an ICMP message says, in the installed language: "destination unreachable (port
/// unreachable)".
pub fn icmp_message(icmp: &IcmpSummary) -> String {
    let msg = match (icmp.msg_type, icmp.code) {
        (3, 0) => Msg::IcmpNetUnreachable,
        (3, 1) => Msg::IcmpHostUnreachable,
        (3, 3) => Msg::IcmpPortUnreachable,
        (3, _) => Msg::IcmpUnreachable,
        (8, _) => Msg::IcmpEchoRequest,
        (0, _) => Msg::IcmpEchoReply,
        _ => Msg::IcmpOther,
    };
    let (kind, code) = (icmp.msg_type.to_string(), icmp.code.to_string());
    tp(msg, &[("type", &kind), ("code", &code)])
}

/// Why a segment never reached a host's stack, in the installed language.
pub fn drop_reason(reason: &DropReason) -> std::rc::Rc<str> {
    t(match reason {
        DropReason::NoRoute => Msg::DropNoRoute,
        DropReason::BacklogFull { .. } => Msg::DropBacklogFull,
        DropReason::Lost => Msg::DropLost,
        DropReason::LinkDown => Msg::DropLinkDown,
        DropReason::HostDown => Msg::DropHostDown,
        DropReason::Firewall { verdict } => match verdict {
            Verdict::Drop => Msg::DropFirewall,
            Verdict::Reject => Msg::DropFirewallReject,
            Verdict::RejectWithTcpReset => Msg::DropFirewallReset,
        },
    })
}

/// Why a segment went where it went (the engine's demultiplexing decision), in the installed
/// language: "its 4-tuple matches a connected socket".
pub fn demux_reason(decision: &Demux) -> std::rc::Rc<str> {
    t(match decision {
        Demux::Connection { .. } => Msg::DemuxConnection,
        Demux::Listener { .. } => Msg::DemuxListener,
        Demux::NoSocketAnswerRst => Msg::DemuxNoSocketRst,
        Demux::NoSocketIgnoreRst => Msg::DemuxNoSocketIgnore,
        Demux::UdpSocket { .. } => Msg::DemuxUdp,
        Demux::UdpClosedPort => Msg::DemuxUdpClosed,
        Demux::Icmp => Msg::DemuxIcmp,
        Demux::Reassembling => Msg::DemuxFragment,
        Demux::Unseen => Msg::ImportDemuxUnseen,
    })
}

/// A socket call's failure as a learner reads it, in the installed language:
/// "bind: EADDRINUSE: port 8099 is already in use by node (fd 3)".
pub fn said(error: &SockError) -> String {
    tp(
        Msg::ErrSaid,
        &[
            ("op", error.op.name()),
            ("errno", error.errno.name()),
            ("why", &why(error)),
        ],
    )
}

/// Why a socket call failed, in the installed language: "port 8099 is already in use by node
/// (fd 3)".
pub fn why(error: &SockError) -> String {
    let mut args: Vec<(&str, String)> = error
        .args
        .iter()
        .map(|(k, v)| (k.as_ref(), v.clone()))
        .collect();
    // A program of the course's is said by its kind, in the learner's language.
    let kind = args
        .iter()
        .find(|(k, _)| *k == "program")
        .and_then(|(_, id)| {
            let mut known = crate::engine::scenario::PROGRAMS.iter();
            known.find(|(p, _)| p == id).map(|(_, kind)| *kind)
        });
    for (k, v) in &mut args {
        if *k == "process" {
            *v = program(v, kind);
        }
    }
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    tp(why_msg(error.why), &args)
}

fn why_msg(why: Why) -> Msg {
    match why {
        Why::NoProcess => Msg::ErrNoProcess,
        Why::NoDescriptor => Msg::ErrNoDescriptor,
        Why::EphemeralPortsUsed => Msg::ErrEphemeralPortsUsed,
        Why::EphemeralPortsUsedToward => Msg::ErrEphemeralPortsUsedToward,
        Why::AlreadyBound => Msg::ErrAlreadyBound,
        Why::CannotBind => Msg::ErrCannotBind,
        Why::NotHostAddress => Msg::ErrNotHostAddress,
        Why::PortInUse => Msg::ErrPortInUse,
        Why::PortInUseBy => Msg::ErrPortInUseBy,
        Why::PortInUseByConnection => Msg::ErrPortInUseByConnection,
        Why::PrivilegedPort => Msg::ErrPrivilegedPort,
        Why::StackRefusedAddress => Msg::ErrStackRefusedAddress,
        Why::UdpCannotListen => Msg::ErrUdpCannotListen,
        Why::CannotListen => Msg::ErrCannotListen,
        Why::NotListening => Msg::ErrNotListening,
        Why::NotConnectable => Msg::ErrNotConnectable,
        Why::ListenerCannotConnect => Msg::ErrListenerCannotConnect,
        Why::AlreadyConnecting => Msg::ErrAlreadyConnecting,
        Why::ConnectionEnded => Msg::ErrConnectionEnded,
        Why::AlreadyConnected => Msg::ErrAlreadyConnected,
        Why::ConnectionExists => Msg::ErrConnectionExists,
        Why::StackRefusedConnect => Msg::ErrStackRefusedConnect,
        Why::UdpNoPeer => Msg::ErrUdpNoPeer,
        Why::ShutDownForWriting => Msg::ErrShutDownForWriting,
        Why::HandshakeUnfinished => Msg::ErrHandshakeUnfinished,
        Why::NowhereToSend => Msg::ErrNowhereToSend,
        Why::Closing => Msg::ErrClosing,
        Why::CannotSend => Msg::ErrCannotSend,
        Why::NotConnected => Msg::ErrNotConnected,
        Why::SendToIsForUdp => Msg::ErrSendToIsForUdp,
        Why::NotDatagramAddress => Msg::ErrNotDatagramAddress,
        Why::TooBigForDatagram => Msg::ErrTooBigForDatagram,
        Why::Unreachable => Msg::ErrUnreachable,
        Why::RecvFromIsForUdp => Msg::ErrRecvFromIsForUdp,
        Why::UdpNotBound => Msg::ErrUdpNotBound,
        Why::IcmpRefused => Msg::ErrIcmpRefused,
        Why::RstRefused => Msg::ErrRstRefused,
        Why::SynUnanswered => Msg::ErrSynUnanswered,
        Why::Reset => Msg::ErrReset,
        Why::AckTimeout => Msg::ErrAckTimeout,
    }
}
