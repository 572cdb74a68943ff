//! A capture's part on the player's stage (`capture::staged`): every packet on the stage crosses
//! from its sender to its receiver, and at each packet's arrival every host's table on the stage
//! is the table the capture shows after that packet; each packet's summary and bytes are its
//! own; damaged captures never make the stage panic.

use std::net::{IpAddr, SocketAddr};

use socketlab::builtin::BUILTIN;
use socketlab::capture::infer::TIME_WAIT_MICROS;
use socketlab::capture::infer::{Proto, Seen, Side, Sock};
use socketlab::capture::shown::{Cut, Opened, Shown};
use socketlab::capture::staged::{staged, NotStaged, Staged, CROSSING, MOST_HOSTS, STEP};
use socketlab::capture::Packet;
use socketlab::engine::event::{Demux, EventKind};
use socketlab::engine::pcap::capture;
use socketlab::engine::socket::{self, SockState};
use socketlab::engine::time::Instant;
use socketlab::engine::timeline::{Recording, Timeline};

#[path = "common/captures.rs"]
mod captures;
use captures::{damaged, data};

fn shown_of(bytes: Vec<u8>, cut: Cut) -> Shown {
    Opened::new(bytes, &mut |_| {})
        .expect("the capture reads")
        .shown(cut)
}

const ALL: Cut = Cut::Connections { count: usize::MAX };

/// Shipped scene `id`'s own capture, as the app downloads it, shown whole.
fn scene_shown(id: &str) -> Shown {
    let s = BUILTIN
        .iter()
        .find(|(n, _)| *n == id)
        .unwrap_or_else(|| panic!("no scene {id}"))
        .1();
    let r = Recording::of(s.build_trusted(), s.run_limit());
    shown_of(capture(&r.events).0, ALL)
}

/// A part's packets as the reader gives them, to infer a changed part again (on the part's
/// clock, as the worker does).
fn packets_of(shown: &Shown) -> Vec<Packet> {
    shown
        .shown
        .iter()
        .map(|p| Packet {
            frame: p.frame,
            at: p.at,
            src: p.src,
            dst: p.dst,
            transport: p.transport,
            bytes: (0, 0),
        })
        .collect()
}

/// A row as both sides can say it: protocol, local, remote, state.
type Said = (bool, String, String, String);

/// Every staged host's table after the part's first `n` packets, as the capture infers it: its
/// listeners, and the sockets of the connections on the stage.
fn inferred_tables(shown: &Shown, staged: &Staged, n: usize) -> Vec<Vec<Said>> {
    let tables = shown.inferred.tables_after(n);
    staged
        .hosts
        .iter()
        .map(|ip| {
            let rows = &tables.iter().find(|(h, _)| h == ip).expect("a host").1;
            let mut rows: Vec<Said> = rows
                .iter()
                .filter(|r| match r.sock {
                    Sock::Conn(c, _) => staged.conns.contains(&c),
                    Sock::Listener(_) => true,
                })
                .map(|r| {
                    let state = match r.state {
                        Some(Seen::State(s)) => s,
                        Some(Seen::Unknown) => SockState::Unknown,
                        // UDP has no state of its own: the stage's UDP sockets are bound.
                        None => SockState::Bound,
                    };
                    (
                        r.proto == Proto::Tcp,
                        r.local.to_string(),
                        r.peer.map(|p| p.to_string()).unwrap_or_default(),
                        state.rfc_name().to_string(),
                    )
                })
                .collect();
            rows.sort();
            rows
        })
        .collect()
}

/// Every host's table on the stage at `t`.
fn stage_tables(timeline: &Timeline, t: Instant) -> Vec<Vec<Said>> {
    timeline
        .seek(t)
        .hosts
        .iter()
        .map(|h| {
            let mut rows: Vec<Said> = h
                .sockets
                .iter()
                .map(|r| {
                    (
                        r.proto == socket::Proto::Tcp,
                        r.local.map(|a| a.to_string()).unwrap_or_default(),
                        r.remote.map(|a| a.to_string()).unwrap_or_default(),
                        r.state.rfc_name().to_string(),
                    )
                })
                .collect();
            rows.sort();
            rows
        })
        .collect()
}

/// The events of a staged part make sense in order: in time order; a socket is made before
/// anything names it and named only while it is there; a segment is delivered after it is
/// sent, to a socket that is there.
fn consistent(name: &str, staged: &Staged) {
    let events = &staged.recording.events;
    assert!(
        events.windows(2).all(|w| w[0].at <= w[1].at),
        "{name}: the events are in time order"
    );
    let mut live = std::collections::HashSet::new();
    let mut sent = std::collections::HashSet::new();
    // When each socket in TIME-WAIT came to it.
    let mut waiting = std::collections::HashMap::new();
    for e in events {
        match &e.kind {
            EventKind::SocketCreated { host, sock, .. } => {
                assert!(live.insert((*host, *sock)), "{name}: {sock:?} made twice")
            }
            EventKind::StateChanged { host, sock, to, .. } => {
                assert!(
                    live.contains(&(*host, *sock)),
                    "{name}: {sock:?} changed, not there"
                );
                if *to == SockState::TimeWait {
                    waiting.insert((*host, *sock), e.at.total_micros());
                }
            }
            EventKind::SocketClosed { host, sock } => {
                assert!(
                    live.remove(&(*host, *sock)),
                    "{name}: {sock:?} closed, not there"
                );
                // A TIME-WAIT lasts 60 seconds on the stage, as in the capture (or less, when
                // a new connection on the same ends takes its place).
                if let Some(since) = waiting.remove(&(*host, *sock)) {
                    let lasted = e.at.total_micros() - since;
                    assert!(
                        lasted <= TIME_WAIT_MICROS,
                        "{name}: {sock:?} waited {lasted} µs in TIME-WAIT"
                    );
                }
            }
            EventKind::SegmentSent(s) => assert!(sent.insert(s.seg)),
            EventKind::SegmentDelivered {
                seg,
                host,
                decision,
            } => {
                assert!(
                    sent.contains(seg),
                    "{name}: {seg:?} arrives before it leaves"
                );
                if let Some(sock) = decision.socket() {
                    assert!(
                        live.contains(&(*host, sock)),
                        "{name}: {seg:?} goes to {sock:?}, which is not there"
                    );
                }
            }
            _ => {}
        }
    }
    // The part ends at most a TIME-WAIT after its last packet arrives.
    let last = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::SegmentSent(s) => Some(s.depart.total_micros()),
            _ => None,
        })
        .max()
        .unwrap_or(0);
    assert!(
        staged.recording.end.total_micros() <= last + CROSSING + TIME_WAIT_MICROS + CROSSING,
        "{name}: the stage ends at {}, its last packet leaves at {last}",
        staged.recording.end
    );
}

/// Check a staged part against the capture's own tables, packet by packet; how many packets.
fn check(name: &str, shown: &Shown, staged: &Staged) -> usize {
    consistent(name, staged);
    let timeline = Timeline::play(staged.recording.clone());
    let events = timeline.events();
    assert_eq!(
        stage_tables(&timeline, Instant::from_micros(0)),
        inferred_tables(shown, staged, 0),
        "{name}: before the first packet, the listeners"
    );
    let mut seen = 0;
    for e in events {
        let EventKind::SegmentSent(s) = &e.kind else {
            continue;
        };
        let k = staged.packets[s.seg.0 as usize - 1];
        let p = &shown.shown[k];
        // The packet is its own: its addresses, ports and flags.
        let (sp, dp) = s.summary.ports().expect("ports");
        assert_eq!(
            (
                format!("{}:{sp}", s.summary.src),
                format!("{}:{dp}", s.summary.dst)
            ),
            (p.src.to_string(), p.dst.to_string()),
            "{name}: segment {} is packet {k}",
            s.seg.0
        );
        assert_eq!(
            s.arrive - s.depart,
            socketlab::engine::time::Duration::from_micros(CROSSING as u64)
        );
        assert_eq!(
            staged.hosts[s.from.0],
            p.src.ip(),
            "{name}: it leaves its sender"
        );
        let to = s.to.expect("a receiver").0;
        assert_eq!(staged.hosts[to], p.dst.ip());
        assert_eq!(
            s.link.is_none(),
            s.from.0 == to,
            "{name}: a link unless looped"
        );
        // It is delivered as it arrives.
        let delivered = events.iter().any(|d| {
            matches!(&d.kind, EventKind::SegmentDelivered { seg, .. } if *seg == s.seg)
                && d.at == s.arrive
        });
        assert!(delivered, "{name}: segment {} arrives", s.seg.0);
        // The socket at each end: the sender's changes as the packet leaves, the receiver's
        // as it arrives, and nothing in between. (Other connections' packets cross at the same
        // time: each end's rows of this connection are compared.)
        let tcp = matches!(p.transport, socketlab::capture::read::Transport::Tcp { .. });
        let end_rows = |tables: Vec<Vec<Said>>, local: SocketAddr, peer: SocketAddr| {
            let (local, peer) = (local.to_string(), peer.to_string());
            tables
                .into_iter()
                .map(|rows| {
                    rows.into_iter()
                        .filter(|r| r.0 == tcp && r.1 == local && r.2 == peer)
                        .collect::<Vec<_>>()
                })
                .collect::<Vec<_>>()
        };
        let sender = |t: Instant| end_rows(stage_tables(&timeline, t), p.src, p.dst);
        let receiver = |t: Instant| end_rows(stage_tables(&timeline, t), p.dst, p.src);
        let changes = |at: SocketAddr| {
            shown.inferred.changes_of(k).iter().any(|c| {
                let local = match c.sock {
                    Sock::Listener(n) => shown.inferred.listeners[n].1,
                    Sock::Conn(n, Side::Client) => shown.inferred.conns[n].client,
                    Sock::Conn(n, Side::Server) => shown.inferred.conns[n].server,
                };
                !c.timer && local == at && !matches!(c.sock, Sock::Listener(_))
            })
        };
        let micros = |t: Instant, d: i64| Instant::from_micros(t.total_micros() + d);
        let (sent_before, sent_after) = (sender(micros(s.depart, -1)), sender(s.depart));
        if changes(p.src) {
            assert_ne!(
                sent_before, sent_after,
                "{name}: packet {k} changes its sender as it leaves"
            );
        } else {
            assert_eq!(
                sent_before, sent_after,
                "{name}: packet {k} leaves its sender as it was"
            );
        }
        assert_eq!(
            receiver(s.depart),
            receiver(micros(s.arrive, -1)),
            "{name}: nothing changes on the receiver while packet {k} crosses"
        );
        let (got_before, got_after) = (receiver(micros(s.arrive, -1)), receiver(s.arrive));
        if changes(p.dst) {
            assert_ne!(
                got_before, got_after,
                "{name}: packet {k} changes its receiver as it arrives"
            );
        } else {
            assert_eq!(
                got_before, got_after,
                "{name}: packet {k} arrives changing nothing"
            );
        }
        // After it, both ends are as the capture shows them.
        let inferred = inferred_tables(shown, staged, k + 1);
        assert_eq!(
            sender(s.arrive),
            end_rows(inferred.clone(), p.src, p.dst),
            "{name}: the sender after packet {k} (frame {})",
            p.frame
        );
        assert_eq!(
            got_after,
            end_rows(inferred, p.dst, p.src),
            "{name}: the receiver after packet {k} (frame {})",
            p.frame
        );
        seen += 1;
    }
    // In the end, every table is the capture's after its last packet and last timer.
    assert_eq!(
        stage_tables(&timeline, staged.recording.end),
        inferred_tables(shown, staged, shown.shown.len() + 1),
        "{name}: the tables in the end"
    );
    seen
}

#[test]
fn every_shipped_scenes_capture_plays_on_the_stage_with_the_tables_it_shows() {
    for (name, scene) in BUILTIN {
        let s = scene();
        let r = Recording::of(s.build_trusted(), s.run_limit());
        let (bytes, n) = capture(&r.events);
        let shown = shown_of(bytes, ALL);
        let staged = staged(&shown, name, |ip| ip.to_string()).expect("staged");
        assert_eq!(staged.left_out, 0, "{name}: every packet is IPv4");
        let seen = check(name, &shown, &staged);
        assert_eq!(
            seen,
            shown.shown.len().min(n),
            "{name}: every packet crosses"
        );
        // The narration: one line per packet, one per change on the stage.
        let lines = staged
            .said
            .iter()
            .filter(|(_, seg, _)| seg.is_some())
            .count();
        assert_eq!(lines, seen, "{name}");
        // Connections cross at once, as they did on the wire: fifty clients' packets are on
        // the stage together.
        if *name == "stress-50-clients" {
            let flights: Vec<(i64, i64)> = staged
                .recording
                .events
                .iter()
                .filter_map(|e| match &e.kind {
                    EventKind::SegmentSent(s) => {
                        Some((s.depart.total_micros(), s.arrive.total_micros()))
                    }
                    _ => None,
                })
                .collect();
            let most = flights
                .iter()
                .map(|&(d, _)| flights.iter().filter(|&&(a, b)| a <= d && d < b).count())
                .max()
                .unwrap_or(0);
            assert!(most >= 5, "{name}: at most {most} packets cross at once");
        }
    }
}

#[test]
fn the_kernels_capture_plays_its_ipv4_part_and_leaves_ipv6_to_the_stepper() {
    for file in ["kernel.pcapng", "kernel-sll.pcap", "kernel-sll2.pcapng"] {
        let shown = shown_of(data(file), ALL);
        let staged = staged(&shown, file, |ip| format!("host {ip}")).expect("staged");
        let v6 = shown.shown.iter().filter(|p| p.src.is_ipv6()).count();
        assert!(v6 > 0, "{file}: the recording has IPv6 traffic");
        assert_eq!(
            staged.left_out, v6,
            "{file}: the IPv6 packets are left out, and said"
        );
        assert!(staged.hosts.iter().all(IpAddr::is_ipv4));
        assert_eq!(
            staged.recording.hosts[0].name,
            format!("host {}", staged.hosts[0]),
            "{file}: hosts have the learner's names"
        );
        let seen = check(file, &shown, &staged);
        assert_eq!(seen + v6, shown.shown.len());
        // The refused connection's SYN arrives where nothing listens, and its RST says so.
        let refused = staged.recording.events.iter().any(|e| {
            matches!(
                e.kind,
                EventKind::SegmentDelivered {
                    decision: Demux::NoSocketAnswerRst,
                    ..
                }
            )
        });
        assert!(refused, "{file}: a refused SYN");
        let listener = staged.recording.events.iter().any(|e| {
            matches!(
                e.kind,
                EventKind::SegmentDelivered {
                    decision: Demux::Listener { .. },
                    ..
                }
            )
        });
        assert!(listener, "{file}: a SYN to the listener");
    }
}

#[test]
fn a_part_with_no_ipv4_or_longer_than_a_day_is_refused_with_why() {
    let mut shown = shown_of(data("kernel.pcapng"), ALL);
    let v6: Vec<_> = shown
        .shown
        .iter()
        .filter(|p| p.src.is_ipv6())
        .cloned()
        .collect();
    let mut only_v6 = shown.clone();
    only_v6.shown = v6;
    assert_eq!(
        staged(&only_v6, "", |ip| ip.to_string()),
        Err(NotStaged::NoIpv4)
    );
    let last = shown.shown.len() - 1;
    shown.shown[last].at += 25 * 3600 * 1_000_000;
    assert_eq!(
        staged(&shown, "", |ip| ip.to_string()),
        Err(NotStaged::TooLong)
    );
}

#[test]
fn a_joined_connection_is_unknown_on_the_stage_and_each_step_is_one_packet() {
    // The kernel's capture from its fifth packet on: its first connections are joined.
    let shown = shown_of(data("kernel.pcapng"), ALL);
    let mut joined = shown.clone();
    joined.shown = shown.shown[4..].to_vec();
    // Infer the part again, as the worker does for a cut.
    joined.inferred = socketlab::capture::infer(&packets_of(&joined));
    let staged = staged(&joined, "joined", |ip| ip.to_string()).expect("staged");
    let unknown = staged.recording.events.iter().any(|e| {
        matches!(
            e.kind,
            EventKind::SocketCreated {
                state: SockState::Unknown,
                ..
            }
        )
    });
    assert!(unknown, "a joined connection's sockets are unknown");
    check("joined", &joined, &staged);
    // A connection's packets follow one another: each leaves a pause after the one before
    // arrived, so a step shows one of them.
    let mut last: std::collections::HashMap<(String, String), i64> = Default::default();
    for e in &staged.recording.events {
        if let EventKind::SegmentSent(s) = &e.kind {
            let (sp, dp) = s.summary.ports().expect("ports");
            let (a, b) = (
                format!("{}:{sp}", s.summary.src),
                format!("{}:{dp}", s.summary.dst),
            );
            let key = if a < b { (a, b) } else { (b, a) };
            let depart = s.depart.total_micros();
            if let Some(before) = last.insert(key, depart) {
                assert!(depart - before >= STEP, "{before} then {depart}");
            }
        }
    }
}

#[test]
fn damaged_captures_play_on_the_stage_or_say_why_and_never_panic() {
    use proptest::prelude::*;
    let originals = [data("kernel.pcapng"), data("kernel-sll.pcap")];
    let played = std::cell::Cell::new(0);
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 400,
        ..ProptestConfig::default()
    });
    runner
        .run(
            &(
                0usize..2,
                proptest::collection::vec((any::<usize>(), 0u8..8), 1..9),
                proptest::option::weighted(0.33, any::<usize>()),
                any::<bool>(),
                (0i64..500_000, 0i64..2_000_000),
            ),
            |(which, flips, cut, whole, (from, to))| {
                let bytes = damaged(&originals[which], &flips, cut);
                let Ok(opened) = Opened::new(bytes, &mut |_| {}) else {
                    return Ok(());
                };
                let part = if whole { ALL } else { Cut::Window { from, to } };
                let shown = opened.shown(part);
                if let Ok(staged) = staged(&shown, "fuzz", |ip| ip.to_string()) {
                    consistent("fuzz", &staged);
                    let timeline = Timeline::play(staged.recording.clone());
                    let delivered = timeline
                        .events()
                        .iter()
                        .filter(|e| matches!(e.kind, EventKind::SegmentDelivered { .. }))
                        .count();
                    prop_assert_eq!(staged.packets.len(), delivered, "every packet arrives");
                    let _ = timeline.seek(staged.recording.end);
                    played.set(played.get() + 1);
                }
                Ok(())
            },
        )
        .unwrap();
    assert!(
        played.get() > 100,
        "most damaged captures still play ({})",
        played.get()
    );
}

#[test]
fn a_packet_captured_short_keeps_its_lengths_and_the_bytes_that_were_kept() {
    let mut shown = shown_of(data("kernel.pcapng"), ALL);
    // The first IPv4 packet with data, cut after its TCP header and four bytes of data (as a
    // small snap length keeps it).
    let k = shown
        .shown
        .iter()
        .position(|p| {
            p.src.is_ipv4()
                && matches!(p.transport, socketlab::capture::read::Transport::Tcp { len, .. } if len > 8)
        })
        .expect("a request");
    let whole = shown.shown[k].bytes.clone();
    let header = usize::from(whole[0] & 0x0f) * 4
        + usize::from(whole[usize::from(whole[0] & 0x0f) * 4 + 12] >> 4) * 4;
    shown.shown[k].bytes.truncate(header + 4);
    let staged = staged(&shown, "short", |ip| ip.to_string()).expect("staged");
    let n = staged
        .packets
        .iter()
        .position(|&p| p == k)
        .expect("on the stage");
    let sent = staged
        .recording
        .events
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::SegmentSent(s) if s.seg.0 as usize == n + 1 => Some(s.clone()),
            _ => None,
        })
        .expect("sent");
    let total = u16::from_be_bytes([whole[2], whole[3]]);
    assert_eq!(sent.summary.total_len, total, "the length the packet had");
    let tcp = sent.summary.tcp().expect("tcp");
    assert_eq!(tcp.payload_len, usize::from(total) - header);
    assert_eq!(sent.bytes.len(), header + 4, "the bytes that were kept");
    assert_eq!(&sent.bytes[header..], &whole[header..header + 4]);
    assert!(
        socketlab::engine::packet::decode(&sent.bytes).is_ok(),
        "they read"
    );
}

#[test]
fn a_capture_on_loopback_plays_on_one_host_with_each_end_changing_in_turn() {
    // The node scene's capture as if it were all on one machine's loopback: 127.0.0.1 at both
    // ends, the ports as they were.
    let mut shown = scene_shown("node-server-8099");
    let lo = std::net::Ipv4Addr::LOCALHOST;
    for p in &mut shown.shown {
        p.src.set_ip(IpAddr::V4(lo));
        p.dst.set_ip(IpAddr::V4(lo));
        p.bytes[12..16].copy_from_slice(&lo.octets());
        p.bytes[16..20].copy_from_slice(&lo.octets());
    }
    shown.inferred = socketlab::capture::infer(&packets_of(&shown));
    let staged = staged(&shown, "lo", |ip| ip.to_string()).expect("staged");
    assert_eq!(staged.hosts, vec![IpAddr::V4(lo)]);
    assert_eq!(
        staged.looped,
        shown.shown.len(),
        "every packet goes from the host to itself"
    );
    assert!(staged.recording.links.is_empty());
    let seen = check("loopback", &shown, &staged);
    assert_eq!(seen, shown.shown.len());
    // The first SYN comes to the listener, as on two hosts.
    let first = staged.recording.events.iter().find_map(|e| match &e.kind {
        EventKind::SegmentDelivered { decision, .. } => Some(*decision),
        _ => None,
    });
    assert!(matches!(first, Some(Demux::Listener { .. })), "{first:?}");
}

#[test]
fn a_time_wait_that_ends_between_packets_leaves_before_the_next_packet_on_its_ends() {
    // The kernel's capture with a minute and a half between its first connection (closed by
    // the client: TIME-WAIT) and the rest: the TIME-WAIT ends in the gap.
    let mut shown = shown_of(data("kernel.pcapng"), ALL);
    for p in shown.shown.iter_mut().skip(10) {
        p.at += 90_000_000;
    }
    shown.inferred = socketlab::capture::infer(&packets_of(&shown));
    let timers = shown.inferred.changes.iter().filter(|c| c.timer).count();
    assert!(timers > 0, "a TIME-WAIT ends in the capture");
    let staged = staged(&shown, "gap", |ip| ip.to_string()).expect("staged");
    check("gap", &shown, &staged);
    // The stage plays the gap at the capture's pace: its packets after the gap leave after it.
    let after_gap = staged
        .recording
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::SegmentSent(s) => Some(s.depart.total_micros()),
            _ => None,
        })
        .filter(|&d| d >= 90_000_000)
        .count();
    assert!(after_gap > 0);
}

#[test]
fn a_part_with_more_hosts_than_the_stage_draws_plays_its_first_connections_that_fit() {
    // The stress scene's capture with each connection's client on an address of its own:
    // fifty-odd hosts.
    let mut shown = scene_shown("stress-50-clients");
    let conns = shown.inferred.conn_of.clone();
    for (p, &c) in shown.shown.iter_mut().zip(&conns) {
        let client = shown.inferred.conns[c].client;
        let own = std::net::Ipv4Addr::new(10, 77, (c >> 8) as u8, c as u8);
        for (end, at) in [(&mut p.src, 12), (&mut p.dst, 16)] {
            if *end == client {
                end.set_ip(IpAddr::V4(own));
                p.bytes[at..at + 4].copy_from_slice(&own.octets());
            }
        }
    }
    shown.inferred = socketlab::capture::infer(&packets_of(&shown));
    let hosts = shown.inferred.hosts.len();
    assert!(hosts > MOST_HOSTS, "{hosts} hosts");
    let staged = staged(&shown, "many", |ip| ip.to_string()).expect("staged");
    assert_eq!(
        staged.hosts.len(),
        MOST_HOSTS,
        "as many hosts as the stage draws"
    );
    // The first connections, in order: each that fits.
    assert_eq!(staged.conns[0], 0);
    let (packets, left) = staged.beyond;
    assert!(
        left > 0 && packets > 0,
        "{left} connections left off, and said"
    );
    let on = check("many", &shown, &staged);
    assert_eq!(
        on + packets,
        shown.shown.len(),
        "every packet is on the stage or counted"
    );
}
