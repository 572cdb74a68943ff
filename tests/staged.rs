//! A capture's part on the player's stage (`capture::staged`): every packet on the stage crosses
//! from its sender to its receiver, and at each packet's arrival every host's table on the stage
//! is the table the capture shows after that packet; each packet's summary and bytes are its
//! own; damaged captures never make the stage panic.

use std::net::{IpAddr, SocketAddr};

use socketlab::builtin::BUILTIN;
use socketlab::capture::infer::{Proto, Seen, Side, Sock};
use socketlab::capture::shown::{Cut, Opened, Shown};
use socketlab::capture::staged::{staged, NotStaged, Staged, CROSSING, STEP};
use socketlab::engine::event::{Demux, EventKind};
use socketlab::engine::pcap::capture;
use socketlab::engine::socket::{self, SockState};
use socketlab::engine::time::Instant;
use socketlab::engine::timeline::{Recording, Timeline};

fn data(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/captures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn shown_of(bytes: Vec<u8>, cut: Cut) -> Shown {
    Opened::new(bytes, &mut |_| {})
        .expect("the capture reads")
        .shown(cut)
}

const ALL: Cut = Cut::Connections { count: usize::MAX };

/// A row as both sides can say it: protocol, local, remote, state.
type Said = (bool, String, String, String);

/// Every IPv4 host's table after the part's first `n` packets, as the capture infers it.
fn inferred_tables(shown: &Shown, hosts: &[IpAddr], n: usize) -> Vec<Vec<Said>> {
    let tables = shown.inferred.tables_after(n);
    hosts
        .iter()
        .map(|ip| {
            let rows = &tables.iter().find(|(h, _)| h == ip).expect("a host").1;
            let mut rows: Vec<Said> = rows
                .iter()
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

/// Check a staged part against the capture's own tables, packet by packet; how many packets.
fn check(name: &str, shown: &Shown, staged: &Staged) -> usize {
    let timeline = Timeline::play(staged.recording.clone());
    let events = timeline.events();
    assert!(
        events.windows(2).all(|w| w[0].at <= w[1].at),
        "{name}: the events are in time order"
    );
    assert_eq!(
        stage_tables(&timeline, Instant::from_micros(0)),
        inferred_tables(shown, &staged.hosts, 0),
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
        let ends = |a: SocketAddr| a.to_string();
        let (sp, dp) = s.summary.ports().expect("ports");
        assert_eq!(
            (
                format!("{}:{sp}", s.summary.src),
                format!("{}:{dp}", s.summary.dst)
            ),
            (ends(p.src), ends(p.dst)),
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
        assert_eq!(staged.hosts[s.to.expect("a receiver").0], p.dst.ip());
        // It is delivered as it arrives, and the tables then are the capture's after it.
        let delivered = events.iter().any(|d| {
            matches!(&d.kind, EventKind::SegmentDelivered { seg, .. } if *seg == s.seg)
                && d.at == s.arrive
        });
        assert!(delivered, "{name}: segment {} arrives", s.seg.0);
        // The receiver's table changes as the packet arrives, not before; the sender's as it
        // leaves. (Other connections' packets cross at the same time: each connection's rows
        // are compared.)
        let to = s.to.expect("a receiver").0;
        let tcp = matches!(p.transport, socketlab::capture::read::Transport::Tcp { .. });
        let ends = [ends(p.src), ends(p.dst)];
        let mine = |tables: Vec<Vec<Said>>| -> Vec<Vec<Said>> {
            tables
                .into_iter()
                .map(|rows| {
                    rows.into_iter()
                        .filter(|r| {
                            r.0 == tcp
                                && (r.1 == ends[0] && r.2 == ends[1]
                                    || r.1 == ends[1] && r.2 == ends[0])
                        })
                        .collect()
                })
                .collect()
        };
        let at = |t: Instant| mine(stage_tables(&timeline, t));
        let on = |host: IpAddr| {
            shown.inferred.changes_of(k).iter().any(|c| {
                let local = match c.sock {
                    Sock::Listener(n) => shown.inferred.listeners[n].1,
                    Sock::Conn(n, Side::Client) => shown.inferred.conns[n].client,
                    Sock::Conn(n, Side::Server) => shown.inferred.conns[n].server,
                };
                !c.timer && local.ip() == host
            })
        };
        let just_before = Instant::from_micros(s.arrive.total_micros() - 1);
        if p.src.ip() != p.dst.ip() {
            assert_eq!(
                at(s.depart)[to],
                at(just_before)[to],
                "{name}: nothing changes on the receiver while packet {k} crosses"
            );
            if on(p.dst.ip()) {
                assert_ne!(
                    at(just_before)[to],
                    at(s.arrive)[to],
                    "{name}: packet {k} changes its receiver's table as it arrives"
                );
            }
            if on(p.src.ip()) {
                let before = Instant::from_micros(s.depart.total_micros() - 1);
                assert_ne!(
                    at(before)[s.from.0],
                    at(s.depart)[s.from.0],
                    "{name}: packet {k} changes its sender's table as it leaves"
                );
            }
        }
        assert_eq!(
            at(s.arrive),
            mine(inferred_tables(shown, &staged.hosts, k + 1)),
            "{name}: the connection's sockets after packet {k} (frame {})",
            p.frame
        );
        seen += 1;
    }
    // In the end, every table is the capture's after its last packet and last timer.
    assert_eq!(
        stage_tables(&timeline, staged.recording.end),
        inferred_tables(shown, &staged.hosts, shown.shown.len() + 1),
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
fn a_part_with_no_ipv4_too_many_hosts_or_longer_than_a_day_is_refused_with_why() {
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
    // More hosts than the stage draws.
    let mut many = shown.clone();
    for i in 0..11 {
        many.inferred
            .hosts
            .push(IpAddr::V4(std::net::Ipv4Addr::new(10, 9, 9, i)));
    }
    assert_eq!(
        staged(&many, "", |ip| ip.to_string()),
        Err(NotStaged::TooManyHosts(13))
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
    joined.inferred = socketlab::capture::infer(
        &socketlab::capture::read::read(&data("kernel.pcapng"), &mut |_| {})
            .expect("reads")
            .packets[4..],
    );
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

/// A small random source for the fuzzing, seeded.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

#[test]
fn damaged_captures_play_on_the_stage_or_say_why_and_never_panic() {
    let originals = [data("kernel.pcapng"), data("kernel-sll.pcap")];
    let mut rng = Rng(0x5eed_cafe);
    let mut played = 0;
    for round in 0..400 {
        let mut bytes = originals[round % 2].clone();
        for _ in 0..1 + rng.below(8) {
            let i = rng.below(bytes.len());
            bytes[i] ^= 1 << rng.below(8);
        }
        if round % 3 == 0 {
            let keep = rng.below(bytes.len());
            bytes.truncate(keep);
        }
        let Ok(opened) = Opened::new(bytes, &mut |_| {}) else {
            continue;
        };
        let cut = match round % 2 {
            0 => ALL,
            _ => Cut::Window {
                from: rng.below(500_000) as i64,
                to: rng.below(2_000_000) as i64,
            },
        };
        let shown = opened.shown(cut);
        if let Ok(staged) = staged(&shown, "fuzz", |ip| ip.to_string()) {
            let timeline = Timeline::play(staged.recording.clone());
            let sent = staged.packets.len();
            let delivered = timeline
                .events()
                .iter()
                .filter(|e| matches!(e.kind, EventKind::SegmentDelivered { .. }))
                .count();
            assert_eq!(sent, delivered, "round {round}: every packet arrives");
            let _ = timeline.seek(staged.recording.end);
            played += 1;
        }
    }
    assert!(played > 100, "most damaged captures still play ({played})");
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
