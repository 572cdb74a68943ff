//! A capture file, read and turned into socket tables (`socketlab::capture`): every shipped
//! scene's own capture, as the app downloads it, gives the engine's own sockets and states; a
//! capture recorded from the Linux kernel gives what `ss -tan` said at the same moments; every
//! link type and both file formats read; damaged bytes never panic and always say where.
#![cfg(all(not(target_arch = "wasm32"), feature = "import"))]

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};

use socketlab::builtin::BUILTIN;
use socketlab::capture::infer::{Proto, Sock};
use socketlab::capture::read::Transport;
use socketlab::capture::{infer, read, Capture, Packet, Refused, Seen, Skip, Stop};
use socketlab::engine::event::EventKind;
use socketlab::engine::pcap::capture;
use socketlab::engine::socket::SockState;
use socketlab::engine::timeline::Recording;

#[path = "common/captures.rs"]
mod captures;
use captures::{damaged, data};

fn read_all(bytes: &[u8]) -> Capture {
    read(bytes, &mut |_| {}).unwrap_or_else(|e| panic!("{e:?}"))
}

/// One socket's life, as (time in µs, state; `None` when it leaves the table).
type Life = Vec<(i64, Option<SockState>)>;
/// A socket's life as inferred, with the `after` of each change.
type Lives = HashMap<(SocketAddr, SocketAddr), Vec<(Life, Vec<usize>)>>;
/// A moment `ss -tan` was run: its name, when, and each namespace's output.
type Moment = (String, i64, Vec<(String, String)>);

/// Each TCP connection socket's life in the engine's run, by (local, peer).
fn engine_lives(r: &Recording) -> HashMap<(SocketAddr, SocketAddr), Vec<Life>> {
    let mut ends: HashMap<(usize, u64), (SocketAddr, SocketAddr)> = HashMap::new();
    let mut lives: HashMap<(SocketAddr, SocketAddr), Vec<Life>> = HashMap::new();
    let mut pending: HashMap<(usize, u64), Life> = HashMap::new();
    let v4 = |a: std::net::SocketAddrV4| SocketAddr::V4(a);
    for e in &r.events {
        let at = e.at.total_micros();
        match &e.kind {
            EventKind::SocketCreated {
                host,
                sock,
                state,
                local: Some(l),
                remote: Some(p),
                ..
            } => {
                ends.insert((host.0, sock.0), (v4(*l), v4(*p)));
                pending.insert((host.0, sock.0), vec![(at, Some(*state))]);
            }
            EventKind::Connecting {
                host,
                sock,
                local,
                remote,
            } => {
                ends.insert((host.0, sock.0), (v4(*local), v4(*remote)));
                pending.entry((host.0, sock.0)).or_default();
            }
            EventKind::StateChanged { host, sock, to, .. } => {
                if let Some(life) = pending.get_mut(&(host.0, sock.0)) {
                    let to = (*to != SockState::Closed).then_some(*to);
                    if life.last().map(|l| l.1) != Some(to) {
                        life.push((at, to));
                    }
                }
            }
            EventKind::SocketClosed { host, sock } => {
                let k = (host.0, sock.0);
                if let Some(mut life) = pending.remove(&k) {
                    if life.last().map(|l| l.1) != Some(None) {
                        life.push((at, None));
                    }
                    lives.entry(ends[&k]).or_default().push(life);
                }
            }
            _ => {}
        }
    }
    for (k, life) in pending {
        lives.entry(ends[&k]).or_default().push(life);
    }
    lives
}

/// Each connection socket's life as the capture shows it, by (local, peer), in order.
fn inferred_lives(inferred: &socketlab::capture::Inferred) -> Lives {
    let mut by_sock: HashMap<Sock, (Life, Vec<usize>)> = HashMap::new();
    let mut order = Vec::new();
    for c in &inferred.changes {
        let Sock::Conn(..) = c.sock else { continue };
        let state = c.to.map(|s| match s {
            Seen::State(s) => s,
            Seen::Unknown => SockState::Fresh,
        });
        let e = by_sock.entry(c.sock).or_insert_with(|| {
            order.push(c.sock);
            Default::default()
        });
        e.0.push((c.at, state));
        e.1.push(c.after);
    }
    let mut out: HashMap<_, Vec<_>> = HashMap::new();
    for sock in order {
        let Sock::Conn(n, side) = sock else { continue };
        let conn = &inferred.conns[n];
        if conn.proto != Proto::Tcp {
            continue;
        }
        let key = match side {
            socketlab::capture::infer::Side::Client => (conn.client, conn.server),
            socketlab::capture::infer::Side::Server => (conn.server, conn.client),
        };
        out.entry(key)
            .or_default()
            .push(by_sock.remove(&sock).unwrap());
    }
    out
}

/// The round trip: each shipped scene's capture, as the app downloads it, read back and
/// inferred, gives every connection socket the engine had on the wire, each going through the
/// engine's own states in the engine's order, each change at the moment the packet that makes it
/// is on the wire (from when it leaves to when it arrives: one capture point cannot tell
/// which), and a listener only where the engine listened.
#[test]
fn every_shipped_scenes_capture_gives_the_engines_sockets_and_states() {
    let (mut checked, mut listeners, mut skipped) = (0, 0, Vec::new());
    for (name, scene) in BUILTIN {
        let s = scene();
        let r = Recording::of(s.build_trusted(), s.run_limit());
        let (bytes, n) = capture(&r.events);
        let cap = read_all(&bytes);
        assert_eq!(cap.packets.len(), n, "{name}: every packet reads");
        assert_eq!(cap.stop, None, "{name}");
        let inferred = infer(&cap.packets);
        // When each captured packet left and arrived.
        let wire: Vec<(i64, i64)> = r
            .events
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::SegmentSent(s) if s.link.is_some() => {
                    Some((s.depart.total_micros(), s.arrive.total_micros()))
                }
                _ => None,
            })
            .collect();
        // The scenes whose links lose or hold back segments are left out: one capture point
        // shows a lost segment as sent, and the observer cannot know it never arrived.
        let dropped = r
            .events
            .iter()
            .any(|e| matches!(e.kind, EventKind::SegmentDropped { .. }));
        let engine = engine_lives(&r);
        let seen = inferred_lives(&inferred);
        for (key, lives) in &seen {
            let theirs = engine
                .get(key)
                .unwrap_or_else(|| panic!("{name}: {key:?} is no socket of the engine's"));
            assert_eq!(
                lives.len(),
                theirs.len(),
                "{name}: {key:?}: as many sockets"
            );
            if dropped {
                continue;
            }
            for ((life, afters), engine_life) in lives.iter().zip(theirs) {
                // The engine's life from the moment its socket first shows on the wire.
                let engine_states: Vec<Option<SockState>> = engine_life
                    .iter()
                    .map(|l| l.1)
                    .skip_while(|s| !life.iter().any(|l| l.1 == *s))
                    .collect();
                let states: Vec<Option<SockState>> = life.iter().map(|l| l.1).collect();
                assert_eq!(states, engine_states, "{name}: {key:?}: the same states");
                for (i, (&(_, state), &after)) in life.iter().zip(afters).enumerate() {
                    let (_, engine_at) = engine_life
                        .iter()
                        .find(|l| l.1 == state)
                        .map(|l| (l.1, l.0))
                        .unwrap();
                    // A TIME-WAIT that ends: 60 s after the packet that began it was on the wire.
                    let ends_time_wait =
                        state.is_none() && i > 0 && life[i - 1].1 == Some(SockState::TimeWait);
                    let (lo, hi) = if ends_time_wait {
                        let (depart, arrive) = wire[afters[i - 1] - 1];
                        (depart + 60_000_000, arrive + 60_000_000)
                    } else {
                        wire[after.max(1) - 1]
                    };
                    assert!(
                        (lo..=hi).contains(&engine_at),
                        "{name}: {key:?} becomes {state:?} at {engine_at} µs in the engine, \
                         not while packet {after} is on the wire ({lo}..={hi} µs)"
                    );
                }
                checked += 1;
            }
        }
        // Every engine connection socket whose connection shows on the wire is inferred.
        for key in engine.keys() {
            let on_wire = cap
                .packets
                .iter()
                .any(|p| p.is_tcp() && (p.src, p.dst) == *key || (p.dst, p.src) == *key);
            let answered = cap.packets.iter().any(|p| p.src == key.0 && p.dst == key.1);
            if on_wire && answered {
                assert!(seen.contains_key(key), "{name}: {key:?} is not inferred");
            }
        }
        // A listener only where the engine listened: on that host, on that port.
        let mut bound = HashMap::new();
        let mut listening = Vec::new();
        for e in &r.events {
            match &e.kind {
                EventKind::Bound {
                    host, sock, local, ..
                } => {
                    bound.insert((host.0, sock.0), local.port());
                }
                EventKind::StateChanged {
                    host,
                    sock,
                    to: SockState::Listen,
                    ..
                } => listening.push((IpAddr::V4(r.hosts[host.0].ip), bound[&(host.0, sock.0)])),
                _ => {}
            }
        }
        for (proto, at) in &inferred.listeners {
            if *proto == Proto::Tcp {
                assert!(
                    listening.contains(&(at.ip(), at.port())),
                    "{name}: {at} listens in the engine"
                );
                listeners += 1;
            }
        }
        if dropped {
            skipped.push(*name);
        }
    }
    println!(
        "{checked} sockets and {listeners} listeners checked; states not compared in {skipped:?}"
    );
    assert!(checked > 50, "{checked} sockets checked");
    assert!(listeners >= BUILTIN.len() - 2, "{listeners} listeners");
}

#[test]
fn the_node_scene_reads_as_the_course_draws_it() {
    let (bytes, _) = capture(&node_run().events);
    let cap = read_all(&bytes);
    let inferred = infer(&cap.packets);
    let server: IpAddr = "192.168.1.102".parse().unwrap();
    // After the first connection's handshake, the server has its listener and the connection.
    let third = cap
        .packets
        .iter()
        .position(|p| p.dst.port() == 8099 && p.flags() == 0x10)
        .unwrap();
    let tables = inferred.tables_after(third + 1);
    let (_, rows) = tables.iter().find(|(ip, _)| *ip == server).unwrap();
    let shown: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{} {:?}",
                r.peer.map_or("n/a".to_string(), |p| p.to_string()),
                r.state
            )
        })
        .collect();
    assert_eq!(rows[0].local.to_string(), "192.168.1.102:8099");
    assert_eq!(shown[0], "n/a Some(State(Listen))");
    assert!(
        shown
            .iter()
            .any(|s| s.ends_with("Some(State(Established))")),
        "{shown:?}"
    );
    assert!(cap.skipped.is_empty());
}

// ---- reading every format and link type ---------------------------------------------------

/// A pcap file of `link`, with each packet's bytes.
fn pcap_of(link: u32, packets: &[Vec<u8>], big: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let u32b = |v: u32| {
        if big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    };
    let u16b = |v: u16| {
        if big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    };
    out.extend_from_slice(&u32b(0xa1b2_c3d4));
    out.extend_from_slice(&u16b(2));
    out.extend_from_slice(&u16b(4));
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&u32b(65535));
    out.extend_from_slice(&u32b(link));
    for (i, p) in packets.iter().enumerate() {
        out.extend_from_slice(&u32b(1_700_000_000 + i as u32));
        out.extend_from_slice(&u32b(250_000));
        out.extend_from_slice(&u32b(p.len() as u32));
        out.extend_from_slice(&u32b(p.len() as u32));
        out.extend_from_slice(p);
    }
    out
}

/// The course's Node.js scene, run.
fn node_run() -> Recording {
    let (_, scene) = BUILTIN
        .iter()
        .find(|(n, _)| *n == "node-server-8099")
        .unwrap();
    let s = scene();
    Recording::of(s.build_trusted(), s.run_limit())
}

/// The node scene's packets, as raw IPv4.
fn node_packets() -> Vec<Vec<u8>> {
    node_run()
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::SegmentSent(s) if s.link.is_some() => Some(s.bytes.to_vec()),
            _ => None,
        })
        .collect()
}

#[test]
fn every_link_type_reads_to_the_same_packets() {
    let raw = node_packets();
    let want = read_all(&pcap_of(228, &raw, false)).packets;
    let framed = |head: &dyn Fn(&[u8]) -> Vec<u8>| -> Vec<Vec<u8>> {
        raw.iter()
            .map(|p| {
                let mut f = head(p);
                f.extend_from_slice(p);
                f
            })
            .collect()
    };
    let ethernet = framed(&|_| {
        let mut h = vec![2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2];
        h.extend_from_slice(&[0x81, 0x00, 0x00, 0x05]); // a VLAN tag
        h.extend_from_slice(&[0x08, 0x00]);
        h
    });
    let sll = framed(&|_| {
        let mut h = vec![0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0];
        h.extend_from_slice(&[0x08, 0x00]);
        h
    });
    let sll2 = framed(&|_| {
        let mut h = vec![0x08, 0x00, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6];
        h.extend_from_slice(&[2, 0, 0, 0, 0, 1, 0, 0]);
        h
    });
    let null = framed(&|_| 2u32.to_le_bytes().to_vec());
    let null_swapped = framed(&|_| 2u32.to_be_bytes().to_vec());
    let loop_ = framed(&|_| 2u32.to_be_bytes().to_vec());
    for (what, link, frames) in [
        ("Ethernet with a VLAN tag", 1, &ethernet),
        ("Linux cooked v1", 113, &sll),
        ("Linux cooked v2", 276, &sll2),
        ("raw IP", 101, &raw),
        ("BSD loopback", 0, &null),
        ("BSD loopback, other byte order", 0, &null_swapped),
        ("OpenBSD loopback", 108, &loop_),
    ] {
        for big in [false, true] {
            let bytes = pcap_of(link, frames, big);
            let got = read_all(&bytes);
            assert_eq!(got.packets.len(), want.len(), "{what}");
            for (g, w) in got.packets.iter().zip(&want) {
                assert_eq!(
                    (g.src, g.dst, g.transport),
                    (w.src, w.dst, w.transport),
                    "{what}"
                );
                assert_eq!(g.ip_bytes(&bytes), raw[g.frame - 1], "{what}: the IP bytes");
            }
        }
    }
}

#[test]
fn what_is_not_tcp_or_udp_is_counted_by_why() {
    let mut frames = node_packets();
    let mut icmp = frames[0].clone();
    icmp[9] = 1;
    let mut fragment = frames[0].clone();
    fragment[6] = 0x20; // more fragments
    let cut = frames[0][..30].to_vec();
    frames.extend([icmp, fragment, cut]);
    let bytes = pcap_of(228, &frames, false);
    let cap = read_all(&bytes);
    assert_eq!(cap.frames, frames.len());
    assert_eq!(
        cap.skipped,
        vec![(Skip::Protocol(1), 1), (Skip::Fragment, 1), (Skip::Cut, 1)]
    );
    // An ARP frame on Ethernet, and an unknown link type.
    let arp = vec![0u8; 14]
        .into_iter()
        .enumerate()
        .map(|(i, b)| {
            if i == 12 {
                0x08
            } else if i == 13 {
                0x06
            } else {
                b
            }
        })
        .chain([0; 28])
        .collect::<Vec<u8>>();
    let cap = read_all(&pcap_of(1, &[arp], false));
    assert_eq!(cap.skipped, vec![(Skip::NotIp(0x0806), 1)]);
    let cap = read_all(&pcap_of(147, &[vec![0; 60]], false));
    assert_eq!(cap.skipped, vec![(Skip::LinkType(147), 1)]);
}

#[test]
fn a_file_that_is_no_capture_is_refused_with_why() {
    assert_eq!(read(b"", &mut |_| {}), Err(Refused::Empty));
    assert_eq!(
        read(b"Netid State Recv-Q", &mut |_| {}),
        Err(Refused::NotACapture)
    );
    let mut v3 = pcap_of(228, &[], false);
    v3[4] = 3;
    assert_eq!(read(&v3, &mut |_| {}), Err(Refused::Version(3)));
    assert_eq!(
        read(&pcap_of(228, &[], false)[..10], &mut |_| {}),
        Err(Refused::DamagedHeader)
    );
}

#[test]
fn a_truncated_file_keeps_the_packets_before_and_says_where() {
    let raw = node_packets();
    let bytes = pcap_of(228, &raw, false);
    let cut = &bytes[..bytes.len() - 7];
    let cap = read_all(cut);
    assert_eq!(cap.packets.len(), raw.len() - 1);
    assert_eq!(cap.stop, Some(Stop::Truncated { frame: raw.len() }));
}

// ---- the kernel's captures -----------------------------------------------------------------

/// The moments `scripts/kernel-capture.sh` recorded: name, microseconds since 1970, and each
/// namespace's `ss -tan` ("client", "server").
fn kernel_moments() -> Vec<Moment> {
    let text = String::from_utf8(data("kernel-ss.txt")).unwrap();
    let mut out: Vec<Moment> = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("@ ") {
            let (name, at) = rest.split_once(' ').unwrap();
            out.push((name.to_string(), at.parse().unwrap(), Vec::new()));
        } else if let Some(ns) = line.strip_prefix("# ") {
            out.last_mut()
                .unwrap()
                .2
                .push((ns.to_string(), String::new()));
        } else {
            let (_, _, sections) = out.last_mut().unwrap();
            let section = &mut sections.last_mut().unwrap().1;
            section.push_str(line);
            section.push('\n');
        }
    }
    out
}

/// An address as ss prints it, as the capture shows it: `::ffff:192.168.1.102` is IPv4.
fn address(text: &str) -> IpAddr {
    let ip: IpAddr = text.parse().unwrap_or_else(|_| panic!("{text}"));
    ip.to_canonical()
}

/// The real kernel: a capture recorded in network namespaces (`scripts/kernel-capture.sh`,
/// over IPv4 and IPv6, with a request the client closes first, held connections and refused
/// ones) infers, at each moment the script ran `ss -tan`, every connection ss shows, in ss's
/// state, and no connection ss does not show; and a listener on the port ss shows listening on
/// every address (`*:8099`).
#[test]
fn a_kernel_capture_gives_what_ss_said_at_the_same_moments() {
    let bytes = data("kernel.pcapng");
    let cap = read_all(&bytes);
    assert!(cap.packets.len() > 30, "{} packets", cap.packets.len());
    assert!(cap.packets.iter().any(|p| p.src.is_ipv6()));
    let inferred = infer(&cap.packets);
    let hosts_of = |ns: &str| -> Vec<IpAddr> {
        let n = if ns == "client" { 101 } else { 102 };
        vec![
            format!("192.168.1.{n}").parse().unwrap(),
            format!("fd00::{n}").parse().unwrap(),
        ]
    };
    let moments = kernel_moments();
    assert_eq!(moments.len(), 3);
    let mut connections = 0;
    for (name, at, sections) in &moments {
        let n = cap.packets.iter().take_while(|p| p.at <= *at).count();
        let tables = inferred.tables_after(n);
        for (ns, text) in sections {
            let listing = socketlab::socklist::read(text);
            assert!(
                listing.unread.is_empty(),
                "{name} {ns}: {:?}",
                listing.unread
            );
            let mine: Vec<&socketlab::capture::Row> = tables
                .iter()
                .filter(|(ip, _)| hosts_of(ns).contains(ip))
                .flat_map(|(_, rows)| rows)
                .collect();
            // Every row ss shows is inferred, in its state.
            for row in &listing.rows {
                let state = row.state.unwrap();
                let port = row.local.port.unwrap();
                let Some(peer) = &row.peer else {
                    assert_eq!(state, SockState::Listen);
                    assert_eq!(row.local.addr, "*", "{name}: listens on every address");
                    // Listening on every address: the capture shows it on each address it was
                    // reached at.
                    assert!(
                        mine.iter().any(|r| r.peer.is_none()
                            && r.local.port() == port
                            && r.state == Some(Seen::State(SockState::Listen))),
                        "{name} {ns}: a listener on {port}"
                    );
                    continue;
                };
                let local = SocketAddr::new(address(&row.local.addr), port);
                let peer = SocketAddr::new(address(&peer.addr), peer.port.unwrap());
                let found = mine
                    .iter()
                    .find(|r| r.local == local && r.peer == Some(peer))
                    .unwrap_or_else(|| panic!("{name} {ns}: {local} ↔ {peer} is not inferred"));
                assert_eq!(
                    found.state,
                    Some(Seen::State(state)),
                    "{name} {ns}: {local} ↔ {peer}"
                );
                connections += 1;
            }
            // And no connection ss does not show.
            for r in mine.iter().filter(|r| r.peer.is_some()) {
                assert!(
                    listing.rows.iter().any(|row| row.peer.is_some()
                        && row.local.port == Some(r.local.port())
                        && address(&row.local.addr) == r.local.ip()),
                    "{name} {ns}: {} ↔ {:?} is inferred but ss does not show it",
                    r.local,
                    r.peer
                );
            }
        }
    }
    assert!(connections >= 10, "{connections} connections compared");
    // The refused connections: an RST answered the SYN.
    assert_eq!(inferred.conns.iter().filter(|c| c.refused).count(), 2);
}

/// dumpcap's three ways of recording the same traffic (the veth's Ethernet in pcapng; every
/// interface, Linux cooked capture v1 in pcap and v2 in pcapng) read to the same packets.
#[test]
fn the_same_traffic_reads_the_same_from_every_kernel_capture() {
    let shown = |name: &str| -> Vec<(SocketAddr, SocketAddr, Transport)> {
        read_all(&data(name))
            .packets
            .iter()
            .map(|p| (p.src, p.dst, p.transport))
            .collect()
    };
    let ethernet = shown("kernel.pcapng");
    assert_eq!(ethernet.len(), 36);
    assert_eq!(shown("kernel-sll.pcap"), ethernet);
    assert_eq!(shown("kernel-sll2.pcapng"), ethernet);
    let v6 = ethernet.iter().filter(|p| p.0.is_ipv6()).count();
    assert!(v6 >= 15, "{v6} IPv6 packets");
}

// ---- hostile bytes -------------------------------------------------------------------------

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    fn sample() -> Vec<u8> {
        pcap_of(
            1,
            &node_packets()
                .iter()
                .map(|p| {
                    let mut f = vec![2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00];
                    f.extend_from_slice(p);
                    f
                })
                .collect::<Vec<_>>(),
            false,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            if let Ok(cap) = read(&bytes, &mut |_| {}) {
                let _ = infer(&cap.packets);
            }
        }

        #[test]
        fn flipped_and_cut_captures_never_panic_and_say_why(
            flips in proptest::collection::vec((any::<usize>(), 0u8..8), 1..6),
            cut in any::<usize>(),
        ) {
            let bytes = damaged(&sample(), &flips, Some(cut));
            if let Ok(cap) = read(&bytes, &mut |_| {}) {
                let inferred = infer(&cap.packets);
                let _ = inferred.tables_after(cap.packets.len());
                prop_assert!(cap.frames >= cap.packets.len());
                prop_assert_eq!(cap.frames, cap.packets.len() + cap.skipped_count());
            }
        }
    }

    /// The worker's whole path on damaged files: opened, then parts asked for (any number of
    /// connections, any window, even backwards), each answer sent as bytes and read back.
    #[test]
    fn the_workers_answers_to_damaged_files_and_any_cut_read_back() {
        use socketlab::capture::shown::{decode_answer, encode_answer, Cut, Opened};
        let bytes = data("kernel.pcapng");
        let mut runner = proptest::test_runner::TestRunner::default();
        runner
            .run(
                &(
                    proptest::collection::vec((any::<usize>(), 0u8..8), 0..4),
                    any::<usize>(),
                    any::<i64>(),
                    any::<i64>(),
                ),
                |(flips, count, from, to)| {
                    let b = damaged(&bytes, &flips, None);
                    let answer = Opened::new(b, &mut |_| {}).map(|opened| {
                        let _ = opened.shown(Cut::Window { from, to });
                        opened.shown(Cut::Connections { count })
                    });
                    prop_assert_eq!(decode_answer(&encode_answer(&answer)), Some(answer));
                    Ok(())
                },
            )
            .unwrap();
    }

    #[test]
    fn flipped_pcapng_never_panics() {
        let bytes = data("kernel.pcapng");
        let mut runner = proptest::test_runner::TestRunner::default();
        runner
            .run(
                &(
                    proptest::collection::vec((any::<usize>(), 0u8..8), 1..6),
                    any::<usize>(),
                ),
                |(flips, cut)| {
                    let b = damaged(&bytes, &flips, Some(cut));
                    if let Ok(cap) = read(&b, &mut |_| {}) {
                        let _ = infer(&cap.packets).tables_after(cap.packets.len());
                    }
                    Ok(())
                },
            )
            .unwrap();
    }
}

// ---- the observer's edge cases -------------------------------------------------------------

fn tcp(at_ms: i64, src: &str, dst: &str, flags: u8, seq: u32, ack: u32, len: u32) -> Packet {
    Packet {
        frame: 0,
        at: at_ms * 1000,
        src: src.parse().unwrap(),
        dst: dst.parse().unwrap(),
        transport: Transport::Tcp {
            flags,
            seq,
            ack,
            window: 1000,
            len,
        },
        bytes: (0, 0),
    }
}

fn states(inferred: &socketlab::capture::Inferred, n: usize) -> Vec<String> {
    inferred
        .tables_after(n)
        .iter()
        .flat_map(|(_, rows)| rows.iter())
        .map(|r| {
            format!(
                "{} {:?} {:?}",
                r.local,
                r.peer.map(|p| p.to_string()),
                r.state
            )
        })
        .collect()
}

const C: &str = "10.0.0.1:40000";
const S: &str = "10.0.0.2:80";

/// A capture that begins at the SYN-ACK still shows the handshake: the SYN-ACK's sender is the
/// server, the client is connected, the server's socket waits for the last ACK.
#[test]
fn a_capture_that_begins_at_the_syn_ack_knows_who_is_the_server() {
    let packets = [
        tcp(0, S, C, 0x12, 500, 101, 0),
        tcp(1, C, S, 0x10, 101, 501, 0),
    ];
    let inferred = infer(&packets);
    assert_eq!(inferred.conns[0].server.to_string(), S);
    assert!(!inferred.conns[0].joined);
    let after_one = states(&inferred, 1);
    assert!(
        after_one.contains(&format!("{S} Some(\"{C}\") Some(State(SynReceived))")),
        "{after_one:?}"
    );
    assert!(
        after_one.contains(&format!("{C} Some(\"{S}\") Some(State(Established))")),
        "{after_one:?}"
    );
    let after_two = states(&inferred, 2);
    assert!(
        after_two.contains(&format!("{S} Some(\"{C}\") Some(State(Established))")),
        "{after_two:?}"
    );
}

/// A connection joined mid-stream that ends with an RST is over: a SYN on the same 4-tuple
/// starts a new one.
#[test]
fn a_new_syn_after_a_joined_connection_is_reset_is_a_new_connection() {
    let packets = [
        tcp(0, C, S, 0x18, 101, 501, 10),
        tcp(1, S, C, 0x14, 501, 111, 0),
        tcp(2, C, S, 0x02, 9000, 0, 0),
    ];
    let inferred = infer(&packets);
    assert_eq!(inferred.conns.len(), 2);
    assert!(inferred.conns[0].joined);
    assert_eq!(inferred.conn_of, [0, 0, 1]);
    assert_eq!(
        states(&inferred, 3),
        [format!("{C} Some(\"{S}\") Some(State(SynSent))")]
    );
}

/// A TIME-WAIT ends 60 s after it began, between two packets: the tables after the packet
/// before still hold the socket, and the change, marked as the timer's, comes with the next.
#[test]
fn a_time_wait_ends_with_the_next_packet_as_the_timers_change() {
    let packets = [
        tcp(0, C, S, 0x02, 100, 0, 0),
        tcp(1, S, C, 0x12, 500, 101, 0),
        tcp(2, C, S, 0x10, 101, 501, 0),
        tcp(3, C, S, 0x11, 101, 501, 0),
        tcp(4, S, C, 0x11, 501, 102, 0),
        tcp(5, C, S, 0x10, 102, 502, 0),
        // 70 s later, another connection from another port.
        tcp(70_000, "10.0.0.1:40001", S, 0x02, 7000, 0, 0),
    ];
    let inferred = infer(&packets);
    // After the last ACK the client waits in TIME-WAIT (beside the server's listener).
    let after = states(&inferred, 6);
    assert!(
        after.contains(&format!("{C} Some(\"{S}\") Some(State(TimeWait))")),
        "{after:?}"
    );
    let change = inferred
        .changes_of(6)
        .iter()
        .find(|c| c.timer)
        .expect("the timer's change comes with the next packet");
    assert_eq!(change.to, None);
    // The client went into TIME-WAIT with the server's FIN (4 ms).
    assert_eq!(change.at, 4_000 + 60_000_000);
}

/// A UDP exchange and a TCP connection between the same two ports are two connections.
#[test]
fn udp_and_tcp_between_the_same_ports_are_apart() {
    let mut dns = tcp(0, C, S, 0, 0, 0, 0);
    dns.transport = Transport::Udp { len: 30 };
    let packets = [
        dns,
        tcp(1, C, S, 0x02, 100, 0, 0),
        tcp(2, S, C, 0x12, 500, 101, 0),
    ];
    let inferred = infer(&packets);
    assert_eq!(inferred.conns.len(), 2);
    assert_eq!(inferred.conns[0].proto, Proto::Udp);
    assert_eq!(inferred.conns[1].proto, Proto::Tcp);
}
