//! Network faults: what a learner sees when links lose, duplicate or reorder segments, when a
//! link or a host goes down and comes back, and when a firewall drops or rejects. Recovery
//! (retransmission, RST, timeout) is smoltcp's.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::net::SocketAddrV4;

use common::*;
use socketlab::engine::net::SERVER_IP;
use socketlab::engine::packet::TcpFlags;
use socketlab::engine::time::{ms, Duration, Instant};
use socketlab::engine::*;

fn faulty_course(faults: LinkFaults, seed: u64) -> (Sim, HostId, HostId) {
    let mut sim = Sim::new(seed);
    sim.set_verify_demux(true);
    let client = sim
        .add_host(HostSpec::new("Client PC", net::CLIENT_PC_IP))
        .unwrap();
    let server = sim.add_host(HostSpec::new("Server", SERVER_IP)).unwrap();
    let mut link = LinkSpec::new(client, server);
    link.faults = faults;
    sim.add_link(link).unwrap();
    (sim, client, server)
}

/// Node.js listening on 8099 and curl connecting to it at 100 ms, over a fault-free link.
fn node_and_curl_at_100ms() -> (Sim, HostId, Pid) {
    let (mut sim, client, server) = faulty_course(LinkFaults::default(), 1);
    sim.spawn(server, AppSpec::server(AppKind::NodeServer, 8099))
        .unwrap();
    let curl = sim
        .spawn(
            client,
            AppSpec::client(AppKind::Curl, node_addr()).at(ms(100)),
        )
        .unwrap();
    (sim, server, curl)
}

fn drops(sim: &Sim, reason: DropReason) -> usize {
    sim.events()
        .iter()
        .filter(|e| matches!(&e.kind, EventKind::SegmentDropped { reason: r, .. } if *r == reason))
        .count()
}

/// A client that sends a long request and a server that reads it all: the bytes that reach the
/// server's program, in order.
fn transfer(sim: &mut Sim, client: HostId, server: HostId, len: usize) -> Vec<u8> {
    let srv = sim.spawn_manual(server, "sink", "nc").unwrap();
    let lfd = sim.socket(srv, Proto::Tcp).unwrap();
    sim.bind(srv, lfd, SocketAddrV4::new(SERVER_IP, 9000))
        .unwrap();
    sim.listen(srv, lfd, 4).unwrap();
    let cli = sim.spawn_manual(client, "source", "nc").unwrap();
    let cfd = sim.socket(cli, Proto::Tcp).unwrap();
    sim.connect(cli, cfd, SocketAddrV4::new(SERVER_IP, 9000))
        .unwrap();
    let data: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
    let (mut sent, mut got, mut sfd) = (0, Vec::new(), None);
    for _ in 0..20_000 {
        if sfd.is_none() {
            sfd = sim.accept(srv, lfd).unwrap().map(|(fd, _)| fd);
        }
        if sent < len && sim.socket_state(cli, cfd) == Some(SockState::Established) {
            sent += sim.send(cli, cfd, &data[sent..]).unwrap_or(0);
        }
        if let Some(fd) = sfd {
            while let Ok(Recv::Data(d)) = sim.recv(srv, fd, 1 << 16) {
                got.extend(d);
            }
        }
        if got.len() == len {
            break;
        }
        let t = sim
            .next_wakeup()
            .unwrap_or(sim.now() + Duration::from_millis(10));
        sim.step(t);
    }
    assert_eq!(got, data, "every byte arrived once, in order");
    got
}

#[test]
fn lost_segments_are_retransmitted_and_the_stream_stays_whole() {
    let (mut sim, client, server) = faulty_course(
        LinkFaults {
            loss: 0.2,
            ..LinkFaults::default()
        },
        5,
    );
    transfer(&mut sim, client, server, 40_000);
    assert!(drops(&sim, DropReason::Lost) > 0, "some segments were lost");
    // smoltcp sent some sequence numbers more than once: retransmissions.
    let mut seen = std::collections::BTreeMap::new();
    for e in sim.events() {
        if let EventKind::SegmentSent(s) = &e.kind {
            if let Some(t) = s.summary.tcp().filter(|t| t.payload_len > 0) {
                *seen.entry((s.from, t.seq)).or_insert(0) += 1;
            }
        }
    }
    assert!(seen.values().any(|&n| n > 1), "retransmissions are visible");
    assert_eq!(sim.demux_mismatches(), &[] as &[String]);
}

#[test]
fn duplicated_and_reordered_segments_still_deliver_each_byte_once() {
    let faults = LinkFaults {
        duplicate: 0.3,
        reorder: 0.3,
        jitter: Duration::from_millis(5),
        ..LinkFaults::default()
    };
    let (mut sim, client, server) = faulty_course(faults, 9);
    transfer(&mut sim, client, server, 30_000);
    let copies = sim
        .events()
        .iter()
        .filter(|e| matches!(&e.kind, EventKind::SegmentSent(s) if s.copy_of.is_some()))
        .count();
    assert!(copies > 0, "the link made duplicates");
    // Some segment arrived before one sent earlier in the same direction (send order).
    let arrivals: Vec<(time::Instant, time::Instant)> = sim
        .events()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::SegmentSent(s) if s.from == client && s.copy_of.is_none() => {
                Some((s.depart, s.arrive))
            }
            _ => None,
        })
        .collect();
    assert!(
        arrivals.windows(2).any(|w| w[1].1 < w[0].1),
        "some segments overtook others"
    );
}

#[test]
fn a_link_that_goes_down_drops_the_syn_until_it_comes_back() {
    let (mut sim, _, curl) = node_and_curl_at_100ms();
    sim.schedule_net(
        ms(50),
        NetChange::Link {
            link: LinkId(0),
            up: false,
        },
    )
    .unwrap();
    sim.schedule_net(
        ms(2500),
        NetChange::Link {
            link: LinkId(0),
            up: true,
        },
    )
    .unwrap();
    settle(&mut sim);
    assert!(
        drops(&sim, DropReason::LinkDown) >= 2,
        "the SYN and its first retry were lost"
    );
    assert!(
        matches!(sim.process(curl).unwrap().status(), AppStatus::Done { .. }),
        "a later retry got through"
    );
    let changes: Vec<_> = sim
        .events()
        .iter()
        .filter_map(|e| {
            if let EventKind::NetChanged(c) = e.kind {
                Some((e.at, c))
            } else {
                None
            }
        })
        .collect();
    assert_eq!(changes.len(), 2);
}

#[test]
fn a_host_that_stays_down_makes_connect_time_out() {
    let (mut sim, server, curl) = node_and_curl_at_100ms();
    sim.schedule_net(
        ms(10),
        NetChange::Host {
            host: server,
            up: false,
        },
    )
    .unwrap();
    settle(&mut sim);
    assert!(drops(&sim, DropReason::HostDown) >= 4);
    match sim.process(curl).unwrap().status() {
        AppStatus::Failed(e) => assert_eq!(e.errno, Errno::ETIMEDOUT),
        other => panic!("{other:?}"),
    }
}

/// curl against a server whose firewall rejects 8099 with `verdict`.
fn rejected(verdict: Verdict) -> (Sim, Pid) {
    let (mut sim, client, server) = faulty_course(LinkFaults::default(), 1);
    sim.spawn(server, AppSpec::server(AppKind::NodeServer, 8099))
        .unwrap();
    sim.add_firewall_rule(
        server,
        FirewallRule {
            proto: Proto::Tcp,
            port: 8099,
            verdict,
        },
    )
    .unwrap();
    let curl = sim
        .spawn(client, AppSpec::client(AppKind::Curl, node_addr()))
        .unwrap();
    settle(&mut sim);
    assert_eq!(drops(&sim, DropReason::Firewall { verdict }), 1);
    // The listener never saw the SYN.
    assert!(decisions(&sim, "Server").is_empty());
    (sim, curl)
}

/// iptables' REJECT answers ICMP port unreachable unless told otherwise, and Linux ends a
/// connect() in SYN-SENT on it with ECONNREFUSED (tcp_v4_err), without a second SYN.
#[test]
fn a_firewall_reject_answers_icmp_port_unreachable_and_connect_is_refused() {
    let (sim, curl) = rejected(Verdict::Reject);
    match sim.process(curl).unwrap().status() {
        AppStatus::Failed(e) => {
            assert_eq!(e.errno, Errno::ECONNREFUSED);
            assert_eq!(
                socketlab::view::narrate::why(e),
                "192.168.1.102:8099 answered ICMP port unreachable: a firewall rejects port 8099"
            );
        }
        other => panic!("{other:?}"),
    }
    let segs = segments(&sim);
    assert_eq!(
        segs.len(),
        2,
        "one SYN, one ICMP answer, nothing after: {segs:?}"
    );
    assert!(
        segs[1].starts_with("Server → Client PC") && segs[1].contains("ICMP"),
        "{segs:?}"
    );
}

/// With `--reject-with tcp-reset` the firewall answers RST, which looks like a closed port.
#[test]
fn a_firewall_reject_with_tcp_reset_answers_rst_and_connect_is_refused() {
    let (sim, curl) = rejected(Verdict::RejectWithTcpReset);
    match sim.process(curl).unwrap().status() {
        AppStatus::Failed(e) => assert_eq!(e.errno, Errno::ECONNREFUSED),
        other => panic!("{other:?}"),
    }
    let segs = segments(&sim);
    assert!(
        segs[1].starts_with("Server → Client PC 8099 →") && segs[1].contains("[RST, ACK]"),
        "{segs:?}"
    );
}

#[test]
fn a_firewall_reject_on_udp_answers_icmp() {
    let (mut sim, client, server) = faulty_course(LinkFaults::default(), 1);
    sim.add_firewall_rule(
        server,
        FirewallRule {
            proto: Proto::Udp,
            port: 53,
            verdict: Verdict::Reject,
        },
    )
    .unwrap();
    let p = sim.spawn_manual(client, "dig", "dig").unwrap();
    let fd = sim.socket(p, Proto::Udp).unwrap();
    sim.send_to(p, fd, b"A? example.com", SocketAddrV4::new(SERVER_IP, 53))
        .unwrap();
    settle(&mut sim);
    let segs = segments(&sim);
    assert!(segs[1].contains("ICMP type=3 code=3"), "{segs:?}");
}

#[test]
fn the_same_seed_gives_the_same_faults() {
    let run = |seed| {
        let (mut sim, client, server) = faulty_course(
            LinkFaults {
                loss: 0.3,
                duplicate: 0.2,
                reorder: 0.2,
                jitter: Duration::from_millis(3),
            },
            seed,
        );
        transfer(&mut sim, client, server, 5000);
        sim.events()
            .iter()
            .filter_map(|e| {
                if let EventKind::SegmentSent(s) = &e.kind {
                    Some((s.depart, s.arrive, s.bytes.to_vec()))
                } else {
                    None
                }
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(run(4), run(4));
    assert_ne!(run(4), run(5));
}

/// The segments a host sent, with when they left and their TCP flags.
fn tcp_sent_by(sim: &Sim, host: HostId) -> Vec<(Instant, TcpFlags)> {
    sim.events()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::SegmentSent(s) if s.from == host => Some((e.at, s.summary.tcp()?.flags)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_fin_repeated_late_in_time_wait_is_acknowledged_again_as_linux_does() {
    // First run: when the server's FIN leaves (curl closes first, so the client ends in
    // TIME-WAIT).
    let (mut sim, server, _) = node_and_curl_at_100ms();
    settle(&mut sim);
    let client = HostId(0);
    let (fin_at, _) = *tcp_sent_by(&sim, server)
        .iter()
        .find(|(_, f)| f.fin)
        .expect("the server closes too");
    // Second run, the same but for the link: it goes down while the client's last ACK is
    // on its way (the link takes 20 ms each way), and comes back 25 s later.
    let (mut sim, server, _) = node_and_curl_at_100ms();
    let link = LinkId(0);
    let down = fin_at + Duration::from_millis(30);
    let up = fin_at + Duration::from_secs(25);
    sim.schedule_net(down, NetChange::Link { link, up: false })
        .unwrap();
    sim.schedule_net(up, NetChange::Link { link, up: true })
        .unwrap();
    settle(&mut sim);
    // The server, in LAST-ACK, sends its FIN again until one gets through after the link
    // is back; the client is still in TIME-WAIT (Linux holds it 60 s, smoltcp's own timer
    // only 10) and answers with an ACK, not an RST.
    let (again, _) = *tcp_sent_by(&sim, server)
        .iter()
        .find(|(at, f)| *at >= up && f.fin)
        .expect("the server repeats its FIN after the link is back");
    let answers: Vec<TcpFlags> = tcp_sent_by(&sim, client)
        .into_iter()
        .filter(|(at, _)| *at >= again)
        .map(|(_, f)| f)
        .collect();
    assert!(
        answers.first().is_some_and(|f| f.ack && !f.rst),
        "the client acknowledges the repeated FIN: {answers:?}"
    );
    assert!(answers.iter().all(|f| !f.rst), "{answers:?}");
    let server_closed = sim.events().iter().any(|e| {
        e.at >= again && matches!(e.kind, EventKind::SocketClosed { host, .. } if host == server)
    });
    assert!(server_closed, "the server's connection ends on that ACK");
}
