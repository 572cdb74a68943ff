//! The words a learner reads about what happens: each says what really happened, and no more.
//! (Found by reading the narration against a real kernel: "sends" for bytes only queued, a link
//! named by number, an RST blamed on an empty port while connections still used it.)

mod common;

use common::*;
use socketlab::engine::net::LinkId;
use socketlab::engine::packet::Transport;
use socketlab::engine::ports::OsProfile;
use socketlab::engine::time::ms;
use socketlab::engine::*;
use socketlab::view::narrate::Narrator;

fn narration(sim: &Sim) -> Vec<String> {
    let mut narrator = Narrator::for_network(sim);
    sim.events()
        .iter()
        .map(|e| narrator.describe(&e.kind).1)
        .collect()
}

#[test]
fn a_link_that_goes_down_is_named_by_its_hosts() {
    let (mut sim, _, _, _) = node_and_curl();
    sim.schedule_net(
        ms(50),
        NetChange::Link {
            link: LinkId(0),
            up: false,
        },
    )
    .unwrap();
    settle(&mut sim);
    let lines = narration(&sim);
    assert!(
        lines
            .iter()
            .any(|l| l == "the link between Client PC and Server goes down"),
        "{lines:#?}"
    );
}

#[test]
fn a_tcp_send_is_told_as_bytes_queued_not_sent() {
    let (mut sim, _, _, _) = node_and_curl();
    settle(&mut sim);
    let lines = narration(&sim);
    let request = lines
        .iter()
        .find(|l| l.starts_with("curl writes"))
        .expect("curl's request is narrated");
    assert!(
        request.starts_with("curl writes 81 bytes into its socket's send buffer: \"GET / HTTP/1.1"),
        "{request}"
    );
    assert!(!lines.iter().any(|l| l.contains(" sends 81 bytes")));
}

/// A SYN and its SYN-ACK carry what Linux's do: MSS 1460, SACK permitted, and the window
/// Linux offers, 65535 rounded down to whole segments: 44 × 1460 = 64240 in the SYN, 45 × 1448
/// (the MSS less the timestamp option) = 65160 in the SYN-ACK, as `kernel-compare.sh` shows.
#[test]
fn a_syn_shows_its_tcp_options() {
    let (mut sim, _, _, _) = node_and_curl();
    settle(&mut sim);
    let handshake = |ack: bool| {
        sim.events()
            .iter()
            .find_map(|e| match &e.kind {
                EventKind::SegmentSent(s) => match &s.summary.transport {
                    Transport::Tcp(t) if t.flags.syn && t.flags.ack == ack => {
                        Some((t.window, t.options.clone()))
                    }
                    _ => None,
                },
                _ => None,
            })
            .expect("a SYN and a SYN-ACK")
    };
    let (window, syn) = handshake(false);
    assert_eq!(syn.mss, Some(1460), "{syn:?}");
    assert!(syn.sack_permitted, "{syn:?}");
    assert_eq!(window, 64240);
    let (window, synack) = handshake(true);
    assert_eq!((window, synack.mss), (65160, Some(1460)));
}

#[test]
fn an_rst_for_a_stray_segment_names_both_things_that_did_not_match() {
    assert_eq!(
        &*socketlab::view::narrate::demux_reason(&Demux::NoSocketAnswerRst),
        "no socket matches: no connection has its 4-tuple and nothing listens on its port, so the host answers RST"
    );
}

/// Where smoltcp's segments differ from Linux's, the narration says so at that segment: the
/// window scale its SYN offers. Segments that match Linux (its quick ACKs, its FIN,ACK) get
/// no note.
#[test]
fn where_linux_differs_the_narration_says_so_at_that_segment() {
    let (mut sim, _, _, _) = node_and_curl();
    settle(&mut sim);
    let lines = narration(&sim);
    let noted = |needle: &str| {
        lines
            .iter()
            .filter(|l| l.contains("(Linux differs: ") && l.contains(needle))
            .count()
    };
    assert_eq!(noted("sends SYN to"), 1, "{lines:#?}");
    assert_eq!(noted("sends SYN, ACK to"), 1);
    // The request and the reply are acknowledged at once with a bare ACK, and the server's
    // FIN carries the ACK of the client's, as on Linux: no note.
    assert_eq!(noted("sends ACK to"), 0, "{lines:#?}");
    assert_eq!(noted("sends FIN, ACK to"), 0, "{lines:#?}");
    // The client's request follows its own bare ACK, as on Linux: no note.
    let request: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("curl's socket") && l.contains("sends PSH, ACK"))
        .collect();
    assert_eq!(request.len(), 1, "{lines:#?}");
    assert!(!request[0].contains("Linux differs"), "{}", request[0]);
}

/// A client on `os` whose SYNs a firewall drops at the server: the narration of its SYNs.
fn syns_unanswered(os: OsProfile) -> Vec<String> {
    let mut sim = Sim::new(5);
    sim.set_verify_demux(true);
    let client = sim
        .add_host(HostSpec::new("Client PC", net::CLIENT_PC_IP).with_os(os))
        .unwrap();
    let server = sim
        .add_host(HostSpec::new("Server", net::SERVER_IP))
        .unwrap();
    sim.add_link(LinkSpec::new(client, server)).unwrap();
    sim.add_firewall_rule(
        server,
        FirewallRule {
            proto: Proto::Tcp,
            port: 8099,
            verdict: Verdict::Drop,
        },
    )
    .unwrap();
    start_node_and_curl(&mut sim, client, server);
    settle(&mut sim);
    narration(&sim)
        .into_iter()
        .filter(|l| l.contains("sends SYN to"))
        .collect()
}

/// smoltcp sends a SYN again after 1 s, then 2 s, as Linux does; Windows waits 3 s, then 6:
/// on a Windows host, each repeated SYN says so.
#[test]
fn a_windows_host_repeating_its_syn_says_windows_waits_longer() {
    let windows = syns_unanswered(OsProfile::Windows);
    assert_eq!(windows.len(), 3, "Windows sends 3 SYNs: {windows:#?}");
    assert!(!windows[0].contains("differs"), "{}", windows[0]);
    for line in &windows[1..] {
        assert!(
            line.contains("(Windows differs: it sends its SYN again after 3 s, then 6 s"),
            "{line}"
        );
    }
    let linux = syns_unanswered(OsProfile::Linux);
    assert_eq!(linux.len(), 7, "Linux sends 7 SYNs: {linux:#?}");
    assert!(linux[1..]
        .iter()
        .all(|l| !l.contains("differs: it sends its SYN again")));
}

/// A segment smoltcp sends again after a loss is named: Linux would have waited less.
#[test]
fn a_retransmission_says_linux_would_have_sent_it_sooner() {
    let mut sim = Sim::new(3);
    sim.set_verify_demux(true);
    let client = sim
        .add_host(HostSpec::new("Client PC", net::CLIENT_PC_IP))
        .unwrap();
    let server = sim
        .add_host(HostSpec::new("Server", net::SERVER_IP))
        .unwrap();
    let mut link = LinkSpec::new(client, server);
    link.faults.loss = 0.3;
    sim.add_link(link).unwrap();
    start_node_and_curl(&mut sim, client, server);
    settle(&mut sim);
    let again: Vec<String> = narration(&sim)
        .into_iter()
        .filter(|l| l.contains("(Linux differs: it would have retransmitted sooner"))
        .collect();
    assert!(!again.is_empty(), "{:#?}", narration(&sim));
    assert!(
        again.iter().all(|l| !l.contains("sends SYN to")),
        "{again:#?}"
    );
}
