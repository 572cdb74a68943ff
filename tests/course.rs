//! The course material, one slide at a time: each test builds the slide's situation on the
//! simulated network and checks the socket tables and the segments a learner would see.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::net::SocketAddrV4;

use common::*;
use socketlab::engine::net::SERVER_IP;
use socketlab::engine::ports::{OsProfile, PortClass};
use socketlab::engine::time::ms;
use socketlab::engine::*;

/// "Two applications on one PC share one IP address: the transport layer tells their packets
/// apart by port number."
#[test]
fn two_apps_on_one_pc_are_told_apart_by_port() {
    let (mut sim, client, server) = course();
    sim.spawn(server, AppSpec::server(AppKind::WebServer, 80))
        .unwrap();
    sim.spawn(server, AppSpec::server(AppKind::MailServer, 587))
        .unwrap();
    let browser = sim
        .spawn(
            client,
            AppSpec::client(AppKind::WebBrowser, SocketAddrV4::new(SERVER_IP, 80)).at(ms(100)),
        )
        .unwrap();
    let mail = sim
        .spawn(
            client,
            AppSpec::client(AppKind::EmailClient, SocketAddrV4::new(SERVER_IP, 587)).at(ms(100)),
        )
        .unwrap();

    // Mid-way, both apps hold a socket on the same IP address, on different ports.
    sim.step(ms(150));
    let snap = sim.snapshot();
    let pc = snap.host("Client PC").unwrap();
    assert_eq!(pc.sockets.len(), 2);
    let (a, b) = (&pc.sockets[0], &pc.sockets[1]);
    assert_eq!(
        (a.process.as_deref(), b.process.as_deref()),
        (Some("web browser"), Some("email client"))
    );
    assert_eq!(
        a.local.unwrap().ip(),
        b.local.unwrap().ip(),
        "one IP address"
    );
    assert_ne!(
        a.local.unwrap().port(),
        b.local.unwrap().port(),
        "two ports"
    );
    assert_eq!(
        (a.remote.unwrap().port(), b.remote.unwrap().port()),
        (80, 587)
    );

    settle(&mut sim);
    // Every reply reached the socket of the app that asked, chosen by destination port.
    let browser_reply = match sim.process(browser).unwrap().status() {
        AppStatus::Done { reply } => String::from_utf8_lossy(reply).into_owned(),
        other => panic!("browser: {other:?}"),
    };
    assert!(
        browser_reply.starts_with("HTTP/1.1 200 OK"),
        "{browser_reply}"
    );
    assert!(browser_reply.contains("Hello from the web server on port 80"));
    match sim.process(mail).unwrap().status() {
        AppStatus::Done { reply } => {
            assert_eq!(reply, b"250 mail.example greets client-pc.example\r\n")
        }
        other => panic!("email client: {other:?}"),
    }
    let to_pc = decisions(&sim, "Client PC");
    let socks: std::collections::BTreeSet<_> = to_pc.iter().filter_map(|d| d.socket()).collect();
    assert_eq!(
        socks.len(),
        2,
        "segments for the PC went to two different sockets"
    );
    assert!(to_pc.iter().all(|d| matches!(d, Demux::Connection { .. })));
}

/// "Server creates socket and listens": TCP, 192.168.1.102:8099, destination n/a.
#[test]
fn the_server_creates_a_socket_and_listens() {
    let (mut sim, _client, server) = course();
    sim.spawn(server, AppSpec::server(AppKind::NodeServer, 8099))
        .unwrap();
    sim.step(ms(0));
    assert_eq!(
        table(&sim, "Server"),
        "\
Server Sockets       Socket 1
Transport            TCP
Source Port          8099
Source IP Addr       192.168.1.102
Destination Port     n/a
Destination IP Addr  n/a
State                LISTEN
Process              node (fd 3)
"
    );
    assert_eq!(
        segments(&sim),
        Vec::<String>::new(),
        "listening sends nothing"
    );
    let ss = socketlab::report::ss_table(sim.snapshot().host("Server").unwrap());
    assert!(
        ss.contains("LISTEN")
            && ss.contains("192.168.1.102:8099")
            && ss.contains("users:((\"node\",pid=1000,fd=3))"),
        "{ss}"
    );
}

/// "Client creates a socket and connects" from an ephemeral port (the slide's 10378 is a
/// port chosen by hand; a real client gets one from its OS's ephemeral range).
#[test]
fn a_client_connects_from_an_ephemeral_port() {
    let (mut sim, client, server) = course();
    sim.spawn(server, AppSpec::server(AppKind::NodeServer, 8099))
        .unwrap();
    sim.spawn(
        client,
        AppSpec::client(AppKind::Curl, node_addr()).at(ms(100)),
    )
    .unwrap();
    sim.step(ms(100));
    let snap = sim.snapshot();
    let row = &snap.host("Client PC").unwrap().sockets[0];
    assert_eq!(row.state, SockState::SynSent);
    let port = row.local.unwrap().port();
    assert!(
        OsProfile::Linux.ephemeral_range().contains(&port),
        "{port} is in Linux's range"
    );
    assert_eq!(port % 2, 0, "Linux gives connect() an even port first");
    assert_eq!(PortClass::of(8099), PortClass::Registered);
    assert_eq!(
        segments(&sim),
        [format!("Client PC → Server {port} → 8099 [SYN] len=0")]
    );
}

/// "Transport layer delivers message to server": the SYN matches the listener; then the
/// request reaches the server's new socket.
#[test]
fn the_transport_layer_delivers_the_message_to_the_server() {
    let (mut sim, _client, server, _curl) = node_and_curl();
    sim.step(ms(120));
    let listener = sim.snapshot().host("Server").unwrap().sockets[0].sock;
    assert_eq!(
        decisions(&sim, "Server"),
        [Demux::Listener { sock: listener }]
    );
    assert_eq!(
        &*socketlab::view::narrate::demux_reason(&Demux::Listener { sock: listener }),
        "no connection matches, but a socket listens on this port"
    );

    sim.step(ms(160));
    let server_decisions = decisions(&sim, "Server");
    let conn = sim.snapshot().host("Server").unwrap().sockets[1].sock;
    assert_eq!(
        server_decisions[1..],
        [
            Demux::Connection { sock: conn },
            Demux::Connection { sock: conn }
        ]
    );
    let delivered: Vec<String> = sim
        .events()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::DataDelivered {
                host, sock, bytes, ..
            } if *host == server && *sock == conn => {
                Some(String::from_utf8_lossy(bytes).into_owned())
            }
            _ => None,
        })
        .collect();
    assert_eq!(delivered.len(), 1);
    assert!(
        delivered[0].starts_with("GET / HTTP/1.1\r\nHost: 192.168.1.102:8099\r\nUser-Agent: curl/")
    );
}

/// "Server creates socket & process": the listener stays; a new socket holds the 4-tuple.
#[test]
fn the_server_creates_a_new_socket_for_the_connection() {
    let (mut sim, _client, _server, _curl) = node_and_curl();
    sim.step(ms(160));
    assert_eq!(
        table(&sim, "Server"),
        "\
Server Sockets       Socket 1       Socket 2
Transport            TCP            TCP
Source Port          8099           8099
Source IP Addr       192.168.1.102  192.168.1.102
Destination Port     n/a            10378
Destination IP Addr  n/a            192.168.1.101
State                LISTEN         ESTABLISHED
Process              node (fd 3)    node (fd 4)
"
    );
    assert_eq!(
        table(&sim, "Client PC"),
        "\
Client PC Sockets    Socket 1
Transport            TCP
Source Port          10378
Source IP Addr       192.168.1.101
Destination Port     8099
Destination IP Addr  192.168.1.102
State                ESTABLISHED
Process              curl (fd 3)
"
    );
    let snap = sim.snapshot();
    let rows = &snap.host("Server").unwrap().sockets;
    assert_eq!(
        (rows[0].fd, rows[1].fd),
        (Some(3), Some(4)),
        "accept() gave the connection its own descriptor"
    );
    assert_eq!(
        segments(&sim)[..3],
        [
            "Client PC → Server 10378 → 8099 [SYN] len=0",
            "Server → Client PC 8099 → 10378 [SYN, ACK] len=0",
            "Client PC → Server 10378 → 8099 [ACK] len=0",
        ]
    );
}

/// "Transport layer delivers message to client": the reply reaches curl's socket.
#[test]
fn the_transport_layer_delivers_the_reply_to_the_client() {
    let (mut sim, _client, _server, curl) = node_and_curl();
    sim.step(ms(180));
    let reply: Vec<u8> = sim
        .events()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::DataDelivered { pid, bytes, .. } if *pid == curl => Some(bytes.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    let reply = String::from_utf8(reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 200 OK\r\n"));
    assert!(reply.ends_with("\r\n\r\nHello from the Node.js server on port 8099!\n"));
    // As on Linux, the server's stack acknowledges the request at once (its quick ACK), before
    // the program's reply.
    assert_eq!(
        segments(&sim)[3..6],
        [
            "Client PC → Server 10378 → 8099 [PSH, ACK] len=81",
            "Server → Client PC 8099 → 10378 [ACK] len=0",
            "Server → Client PC 8099 → 10378 [PSH, ACK] len=133"
        ]
    );
}

/// "Sockets closed": FIN each way; the side that closed first waits in TIME-WAIT, then every
/// connection socket is gone and only the listener remains.
#[test]
fn sockets_close_with_fin_and_time_wait() {
    let (mut sim, client, _server, _curl) = node_and_curl();
    sim.step(ms(240));
    // curl acknowledges the reply at once, then closes. Node.js closes as soon as it reads the
    // end: as on Linux, its FIN carries the ACK of curl's, in one segment.
    assert_eq!(
        segments(&sim)[6..],
        [
            "Client PC → Server 10378 → 8099 [ACK] len=0",
            "Client PC → Server 10378 → 8099 [FIN, ACK] len=0",
            "Server → Client PC 8099 → 10378 [FIN, ACK] len=0",
            "Client PC → Server 10378 → 8099 [ACK] len=0",
        ]
    );
    let snap = sim.snapshot();
    let pc = &snap.host("Client PC").unwrap().sockets;
    assert_eq!(pc.len(), 1);
    assert_eq!(
        (pc[0].state, pc[0].process.as_deref()),
        (SockState::TimeWait, None),
        "closed by curl, kept by TCP"
    );
    let states: Vec<_> = snap
        .host("Server")
        .unwrap()
        .sockets
        .iter()
        .map(|r| r.state)
        .collect();
    assert_eq!(
        states,
        [SockState::Listen],
        "the server's connection socket is gone"
    );

    // Linux keeps TIME-WAIT for 60 s (TCP_TIMEWAIT_LEN); then the port is free again. smoltcp
    // lets go after 10 s; the socket layer holds the row and the 4-tuple until 60 s.
    // The client entered TIME-WAIT at 220 ms, when the server's FIN arrived.
    sim.step(ms(60_219));
    assert_eq!(
        sim.snapshot().host("Client PC").unwrap().sockets[0].state,
        SockState::TimeWait
    );
    sim.step(ms(60_220));
    assert!(sim.snapshot().host("Client PC").unwrap().sockets.is_empty());
    let client_states: Vec<(SockState, SockState)> = sim
        .events()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::StateChanged { host, from, to, .. } if *host == client => Some((*from, *to)),
            _ => None,
        })
        .collect();
    use SockState::*;
    assert_eq!(
        client_states,
        [
            (Fresh, Bound),
            (Bound, SynSent),
            (SynSent, Established),
            (Established, FinWait1),
            // The server's FIN,ACK acknowledges curl's FIN and brings its own at once: from
            // FIN-WAIT-1 straight to TIME-WAIT, as `ss` sees it on Linux.
            (FinWait1, TimeWait),
            (TimeWait, Closed)
        ]
    );
    settle(&mut sim);
}

/// The Node.js example: a browser, curl and a mobile app on one server port; one socket per
/// connection, each told apart by its 4-tuple.
#[test]
fn many_clients_share_one_server_port_with_a_socket_each() {
    let mut sim = Sim::course_default(99);
    sim.set_verify_demux(true);
    let server = sim.host_by_name("Server").unwrap();
    let pc = sim.host_by_name("Client PC").unwrap();
    let phone = sim
        .add_host(
            HostSpec::new("Phone", "192.168.1.103".parse().unwrap())
                .with_os(ports::OsProfile::Macos),
        )
        .unwrap();
    sim.add_link(LinkSpec::new(phone, server)).unwrap();
    sim.spawn(server, AppSpec::server(AppKind::NodeServer, 8099))
        .unwrap();
    sim.spawn(
        pc,
        AppSpec::client(AppKind::WebBrowser, node_addr()).at(ms(100)),
    )
    .unwrap();
    sim.spawn(pc, AppSpec::client(AppKind::Curl, node_addr()).at(ms(101)))
        .unwrap();
    sim.spawn(
        phone,
        AppSpec::client(AppKind::MobileApp, node_addr()).at(ms(102)),
    )
    .unwrap();
    sim.step(ms(162));
    let snap = sim.snapshot();
    let rows = &snap.host("Server").unwrap().sockets;
    assert_eq!(
        rows.len(),
        4,
        "{}",
        socketlab::report::course_table(snap.host("Server").unwrap())
    );
    assert!(
        rows.iter().all(|r| r.local.unwrap().port() == 8099),
        "every socket uses port 8099"
    );
    let peers: std::collections::BTreeSet<_> =
        rows[1..].iter().map(|r| r.remote.unwrap()).collect();
    assert_eq!(peers.len(), 3, "three different 4-tuples");
    let phone_port = rows
        .iter()
        .find(|r| r.remote.is_some_and(|a| a.ip().octets()[3] == 103))
        .unwrap()
        .remote
        .unwrap()
        .port();
    assert!(OsProfile::Macos.ephemeral_range().contains(&phone_port));
    settle(&mut sim);
    for p in sim
        .processes()
        .filter(|p| p.kind != Some(AppKind::NodeServer))
    {
        assert!(
            matches!(p.status(), AppStatus::Done { .. }),
            "{} finished: {:?}",
            p.name,
            p.status()
        );
    }
}

#[test]
fn the_same_seed_gives_the_same_bytes_and_another_seed_other_sequence_numbers() {
    let run = |seed| {
        let mut sim = Sim::course_default(seed);
        let (c, s) = (
            sim.host_by_name("Client PC").unwrap(),
            sim.host_by_name("Server").unwrap(),
        );
        sim.spawn(s, AppSpec::server(AppKind::NodeServer, 8099))
            .unwrap();
        sim.spawn(c, AppSpec::client(AppKind::Curl, node_addr()).at(ms(5)))
            .unwrap();
        sim.run_until_idle(ms(60_000));
        sim.events()
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::SegmentSent(s) => Some(s.bytes.to_vec()),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(run(1), run(1));
    assert_ne!(run(1), run(2));
    let first = run(1);
    let syn = packet::decode(&first[0]).unwrap();
    let syn_ack = packet::decode(&first[1]).unwrap();
    assert_ne!(
        syn.tcp().unwrap().seq,
        syn_ack.tcp().unwrap().seq,
        "each host draws its own ISN"
    );
}

/// The snapshot shows each segment in flight with how far along its link it is.
#[test]
fn segments_in_flight_have_their_progress_along_the_link() {
    let (mut sim, client, server, _curl) = node_and_curl();
    sim.step(ms(105));
    let snap = sim.snapshot();
    assert_eq!(snap.in_flight.len(), 1);
    let syn = &snap.in_flight[0];
    assert_eq!(
        (syn.from, syn.to, syn.depart, syn.arrive),
        (client, server, ms(100), ms(120))
    );
    assert_eq!(syn.progress, 0.25);
    assert!(syn.summary.tcp().unwrap().flags.syn);
    sim.step(ms(115));
    assert_eq!(sim.snapshot().in_flight[0].progress, 0.75);
    sim.step(ms(120));
    let snap = sim.snapshot();
    assert_eq!(snap.in_flight.len(), 1, "the SYN arrived; the SYN-ACK left");
    assert_eq!(
        (snap.in_flight[0].from, snap.in_flight[0].progress),
        (server, 0.0)
    );
}

/// mongo connects to MongoDB on 27017 (the slide's "27107" is a typo).
#[test]
fn the_mongo_shell_talks_to_mongodb_on_27017() {
    let (mut sim, client, server) = course();
    sim.spawn(
        server,
        AppSpec::server(AppKind::MongoServer, AppKind::MongoServer.default_port()),
    )
    .unwrap();
    let shell = sim
        .spawn(
            client,
            AppSpec::client(AppKind::MongoShell, SocketAddrV4::new(SERVER_IP, 27017)),
        )
        .unwrap();
    settle(&mut sim);
    match sim.process(shell).unwrap().status() {
        AppStatus::Done { reply } => assert_eq!(
            reply,
            b"{\"cursor\":{\"firstBatch\":[{\"name\":\"Ada\"}]},\"ok\":1}\n"
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(AppKind::MongoShell.protocol(), Protocol::MongoStandIn);
    assert_eq!(
        segments(&sim)[0]
            .split(" [")
            .next()
            .unwrap()
            .rsplit(' ')
            .next(),
        Some("27017")
    );
}

/// curl is a one-shot command: it exits once it has its reply. The browser keeps running.
#[test]
fn curl_exits_when_done_and_the_browser_stays() {
    let (mut sim, client, server) = course();
    sim.spawn(server, AppSpec::server(AppKind::NodeServer, 8099))
        .unwrap();
    let curl = sim
        .spawn(client, AppSpec::client(AppKind::Curl, node_addr()))
        .unwrap();
    let browser = sim
        .spawn(client, AppSpec::client(AppKind::WebBrowser, node_addr()))
        .unwrap();
    settle(&mut sim);
    assert!(sim.process(curl).unwrap().exited());
    assert!(
        matches!(sim.process(curl).unwrap().status(), AppStatus::Done { .. }),
        "its result stays readable"
    );
    assert!(!sim.process(browser).unwrap().exited());
    let names: Vec<String> = sim
        .snapshot()
        .host("Client PC")
        .unwrap()
        .processes
        .iter()
        .map(|p| p.name.clone())
        .collect();
    assert_eq!(names, ["web browser"]);
    assert!(sim
        .events()
        .iter()
        .any(|e| e.kind == EventKind::ProcessExited { pid: curl }));
}

/// A server that cannot listen stops, as Node.js does on an unhandled EADDRINUSE: the first one
/// goes on, the second exits (its error stays readable) and leaves the host's programs.
#[test]
fn a_server_that_cannot_listen_exits_and_the_first_goes_on() {
    let (mut sim, _client, server) = course();
    let first = sim
        .spawn(server, AppSpec::server(AppKind::NodeServer, 8099))
        .unwrap();
    settle(&mut sim);
    let second = sim
        .spawn(server, AppSpec::server(AppKind::NodeServer, 8099))
        .unwrap();
    settle(&mut sim);
    assert!(sim.process(second).unwrap().exited());
    assert!(
        matches!(sim.process(second).unwrap().status(), AppStatus::Failed(_)),
        "its error stays readable: {:?}",
        sim.process(second).unwrap().status()
    );
    assert!(!sim.process(first).unwrap().exited());
    let pids: Vec<_> = sim
        .snapshot()
        .host("Server")
        .unwrap()
        .processes
        .iter()
        .map(|p| p.pid)
        .collect();
    assert_eq!(pids, [first]);
}
