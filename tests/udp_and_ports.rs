//! UDP beside TCP, and how each OS profile picks ephemeral ports.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::net::SocketAddrV4;

use common::*;
use socketlab::engine::net::SERVER_IP;
use socketlab::engine::packet::{self, Transport};
use socketlab::engine::ports::EphemeralPorts;
use socketlab::engine::time::ms;
use socketlab::engine::*;

/// A program with a UDP socket bound to `port` on the server, and one with an unbound UDP
/// socket on the client: each with its descriptor.
fn udp_ends(sim: &mut Sim, client: HostId, server: HostId, port: u16) -> ((Pid, Fd), (Pid, Fd)) {
    let srv = sim.spawn_manual(server, "server", "srv").unwrap();
    let sfd = sim.socket(srv, Proto::Udp).unwrap();
    sim.bind(srv, sfd, SocketAddrV4::new(SERVER_IP, port))
        .unwrap();
    let cli = sim.spawn_manual(client, "client", "cli").unwrap();
    let cfd = sim.socket(cli, Proto::Udp).unwrap();
    ((srv, sfd), (cli, cfd))
}

#[test]
fn a_udp_query_and_its_answer_go_to_the_bound_sockets() {
    let (mut sim, client, server) = course();
    let dns = sim.spawn_manual(server, "DNS server", "named").unwrap();
    let sfd = sim.socket(dns, Proto::Udp).unwrap();
    sim.bind(dns, sfd, SocketAddrV4::new(SERVER_IP, 53))
        .unwrap();
    let dig = sim.spawn_manual(client, "dig", "dig").unwrap();
    let cfd = sim.socket(dig, Proto::Udp).unwrap();
    sim.send_to(
        dig,
        cfd,
        b"A? example.com",
        SocketAddrV4::new(SERVER_IP, 53),
    )
    .unwrap();
    sim.step(ms(20));
    let (query, from) = sim.recv_from(dns, sfd).unwrap().expect("the query arrived");
    assert_eq!(query, b"A? example.com");
    assert_eq!(from.ip(), &net::CLIENT_PC_IP);
    sim.send_to(dns, sfd, b"example.com A 93.184.215.14", from)
        .unwrap();
    sim.step(ms(40));
    let (answer, from) = sim
        .recv_from(dig, cfd)
        .unwrap()
        .expect("the answer arrived");
    assert_eq!(
        (answer.as_slice(), from),
        (
            &b"example.com A 93.184.215.14"[..],
            SocketAddrV4::new(SERVER_IP, 53)
        )
    );
    let server_sock = sim.snapshot().host("Server").unwrap().sockets[0].sock;
    assert_eq!(
        decisions(&sim, "Server"),
        [Demux::UdpSocket { sock: server_sock }]
    );
    let snap = sim.snapshot();
    let row = &snap.host("Client PC").unwrap().sockets[0];
    assert_eq!((row.proto, row.state.ss_name()), (Proto::Udp, "UNCONN"));
    settle(&mut sim);
}

/// A datagram larger than the link's MTU leaves in IP fragments, as Linux sends it: the first
/// carries the UDP header, each is at most 1500 bytes, the receiver's IP layer holds them
/// until the last has come, and only then does UDP deliver the whole datagram.
#[test]
fn a_datagram_larger_than_the_mtu_travels_in_fragments_and_arrives_whole() {
    let (mut sim, client, server) = course();
    let ((srv, sfd), (cli, cfd)) = udp_ends(&mut sim, client, server, 9999);
    let data: Vec<u8> = (0..4000u32).map(|i| (i % 251) as u8).collect();
    sim.send_to(cli, cfd, &data, SocketAddrV4::new(SERVER_IP, 9999))
        .unwrap();
    sim.step(ms(100));
    let sent: Vec<packet::PacketSummary> = sim
        .events()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::SegmentSent(s) => Some(s.summary.clone()),
            _ => None,
        })
        .collect();
    // 4000 bytes + 8 of UDP header in pieces of 1480: three fragments of one datagram.
    let shape: Vec<(u16, bool, u16)> = sent
        .iter()
        .map(|s| {
            let f = s.fragment.expect("every packet is a fragment");
            (f.offset, f.more, s.total_len)
        })
        .collect();
    assert_eq!(
        shape,
        [(0, true, 1500), (1480, true, 1500), (2960, false, 1068)]
    );
    assert!(
        sent.iter().all(|s| s.ident == sent[0].ident),
        "one datagram"
    );
    match &sent[0].transport {
        Transport::Udp(u) => assert_eq!((u.dst_port, u.payload_len), (9999, 4000)),
        other => panic!("the first fragment carries the UDP header, not {other:?}"),
    }
    assert!(matches!(
        sent[1].transport,
        Transport::Fragment { protocol: 17 }
    ));
    let sock = sim.snapshot().host("Server").unwrap().sockets[0].sock;
    assert_eq!(
        decisions(&sim, "Server"),
        [
            Demux::Reassembling,
            Demux::Reassembling,
            Demux::UdpSocket { sock }
        ],
        "held until the last fragment completes the datagram"
    );
    let (got, _) = sim
        .recv_from(srv, sfd)
        .unwrap()
        .expect("the datagram arrived");
    assert_eq!(got, data, "whole and in order");
    settle(&mut sim);
}

#[test]
fn a_datagram_to_a_closed_udp_port_gets_icmp_port_unreachable() {
    let (mut sim, client, _server) = course();
    let p = sim.spawn_manual(client, "nc -u", "nc").unwrap();
    let fd = sim.socket(p, Proto::Udp).unwrap();
    sim.send_to(p, fd, b"hello?", SocketAddrV4::new(SERVER_IP, 9999))
        .unwrap();
    settle(&mut sim);
    assert_eq!(decisions(&sim, "Server"), [Demux::UdpClosedPort]);
    let segs = segments(&sim);
    assert_eq!(segs.len(), 2);
    assert!(segs[1].contains("ICMP type=3 code=3"), "{segs:?}");
    // The engine gives the message's type and code; the view says what they mean.
    let icmp = sim.events().iter().find_map(|e| match &e.kind {
        EventKind::SegmentSent(s) => match &s.summary.transport {
            Transport::Icmp(i) => Some(i.clone()),
            _ => None,
        },
        _ => None,
    });
    assert_eq!(
        socketlab::view::narrate::icmp_message(&icmp.unwrap()),
        "destination unreachable (port unreachable)"
    );
    assert_eq!(decisions(&sim, "Client PC"), [Demux::Icmp]);
}

#[test]
fn udp_and_tcp_can_use_the_same_port_number() {
    let (mut sim, _client, server) = course();
    let p = sim.spawn_manual(server, "DNS server", "named").unwrap();
    let t = sim.socket(p, Proto::Tcp).unwrap();
    sim.bind(p, t, SocketAddrV4::new(SERVER_IP, 53)).unwrap();
    sim.listen(p, t, 8).unwrap();
    let u = sim.socket(p, Proto::Udp).unwrap();
    sim.bind(p, u, SocketAddrV4::new(SERVER_IP, 53))
        .expect("UDP 53 is not TCP 53");
    let u2 = sim.socket(p, Proto::Udp).unwrap();
    assert_eq!(
        sim.bind(p, u2, SocketAddrV4::new(SERVER_IP, 53))
            .unwrap_err()
            .errno,
        Errno::EADDRINUSE
    );
}

#[test]
fn linux_hashes_a_start_point_and_prefers_even_ports_for_connect() {
    let mut ports = EphemeralPorts::new(OsProfile::Linux, 5);
    let dst = Some((SERVER_IP, 8099));
    let picks: Vec<u16> = (0..50)
        .map(|_| ports.pick(dst, |_| false).unwrap())
        .collect();
    assert!(
        picks
            .iter()
            .all(|p| (32768..=60999).contains(p) && p % 2 == 0),
        "{picks:?}"
    );
    let bind_pick = ports.pick(None, |_| false).unwrap();
    assert_eq!(bind_pick % 2, 1, "bind(0) gets an odd port first");
    // Deterministic: the same seed picks the same ports.
    let mut again = EphemeralPorts::new(OsProfile::Linux, 5);
    assert_eq!(again.pick(dst, |_| false), Some(picks[0]));
    // Taken ports are skipped.
    let mut ports = EphemeralPorts::new(OsProfile::Linux, 5);
    let first = picks[0];
    assert_ne!(ports.pick(dst, |p| p == first), Some(first));
}

#[test]
fn windows_hands_out_ports_one_after_another() {
    let mut ports = EphemeralPorts::new(OsProfile::Windows, 9);
    let a = ports.pick(None, |_| false).unwrap();
    let b = ports.pick(None, |_| false).unwrap();
    let c = ports.pick(None, |p| p == b.wrapping_add(1)).unwrap();
    assert!((49152..=65535).contains(&a));
    assert_eq!(b, if a == 65535 { 49152 } else { a + 1 });
    assert_eq!(c, b + 2, "skips a taken port");
}

#[test]
fn macos_picks_at_random_in_the_iana_range_and_reports_exhaustion() {
    let mut ports = EphemeralPorts::new(OsProfile::Macos, 3);
    let picks: Vec<u16> = (0..20)
        .map(|_| ports.pick(None, |_| false).unwrap())
        .collect();
    assert!(picks.iter().all(|p| *p >= 49152));
    let distinct: std::collections::BTreeSet<_> = picks.iter().collect();
    assert!(distinct.len() > 15, "random, not sequential: {picks:?}");
    assert_eq!(ports.pick(None, |_| true), None, "every port taken");
}

/// A host's firewall sees a fragmented datagram whole, as a Linux firewall does (tracking
/// connections reassembles fragments before the filter table): the fragments before the last
/// are held, the last is dropped by the rule for the datagram's port, nothing is delivered,
/// and a REJECT's ICMP error quotes the UDP header, from the first fragment.
#[test]
fn a_firewall_judges_a_fragmented_datagram_by_its_port_once_it_is_whole() {
    for verdict in [Verdict::Drop, Verdict::Reject] {
        let (mut sim, client, server) = course();
        sim.add_firewall_rule(
            server,
            FirewallRule {
                proto: Proto::Udp,
                port: 9999,
                verdict,
            },
        )
        .unwrap();
        let ((srv, sfd), (cli, cfd)) = udp_ends(&mut sim, client, server, 9999);
        sim.send_to(cli, cfd, &[7u8; 4000], SocketAddrV4::new(SERVER_IP, 9999))
            .unwrap();
        sim.step(ms(100));
        assert_eq!(
            decisions(&sim, "Server"),
            [Demux::Reassembling, Demux::Reassembling],
            "{verdict:?}: the first two fragments are held"
        );
        let fragments: Vec<SegmentId> = sim
            .events()
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::SegmentSent(s) if s.from == client => Some(s.seg),
                _ => None,
            })
            .collect();
        let dropped: Vec<(SegmentId, DropReason)> = sim
            .events()
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::SegmentDropped { seg, reason } => Some((*seg, reason.clone())),
                _ => None,
            })
            .collect();
        assert_eq!(fragments.len(), 3);
        assert_eq!(
            dropped,
            [(fragments[2], DropReason::Firewall { verdict })],
            "the fragment that completes the datagram is the one dropped"
        );
        assert_eq!(sim.recv_from(srv, sfd).unwrap(), None, "nothing delivered");
        let icmp: Vec<u16> = sim
            .events()
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::SegmentSent(s) if matches!(s.summary.transport, Transport::Icmp(_)) => {
                    // IPv4 header, ICMP header, then the quoted IPv4 header and UDP header.
                    let b = &s.bytes[20 + 8 + 20..];
                    Some(u16::from_be_bytes([b[2], b[3]]))
                }
                _ => None,
            })
            .collect();
        let expected: &[u16] = if verdict == Verdict::Reject {
            &[9999]
        } else {
            &[]
        };
        assert_eq!(
            icmp, expected,
            "{verdict:?}: the ICMP error quotes the datagram's port"
        );
        settle(&mut sim);
    }
}
