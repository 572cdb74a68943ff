//! Every mistake a learner can make with sockets comes back as a typed error with its OS name
//! and a plain sentence, is recorded as an event, and changes nothing else.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::net::{Ipv4Addr, SocketAddrV4};

use common::*;
use socketlab::engine::net::{CLIENT_PC_IP, SERVER_IP};
use socketlab::engine::time::{ms, Duration, Instant};
use socketlab::engine::*;
use socketlab::view::narrate::{said, why};

fn addr(ip: Ipv4Addr, port: u16) -> SocketAddrV4 {
    SocketAddrV4::new(ip, port)
}

fn failed(sim: &Sim, pid: Pid) -> SockError {
    match sim.process(pid).unwrap().status() {
        AppStatus::Failed(e) => e.clone(),
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[test]
fn eaddrinuse_when_a_second_server_takes_the_same_port() {
    let (mut sim, _client, server) = course();
    sim.spawn(server, AppSpec::server(AppKind::NodeServer, 8099))
        .unwrap();
    let second = sim
        .spawn(server, AppSpec::server(AppKind::WebServer, 8099))
        .unwrap();
    sim.step(ms(0));
    let e = failed(&sim, second);
    assert_eq!((e.op, e.errno), (socket::Op::Bind, Errno::EADDRINUSE));
    assert_eq!(
        said(&e),
        "bind: EADDRINUSE: port 8099 is already in use by Node.js server (fd 3)"
    );
    assert_eq!(errors(&sim), [e]);
    // Nothing changed for the first server.
    let snap = sim.snapshot();
    let rows = &snap.host("Server").unwrap().sockets;
    assert_eq!(
        rows.iter().filter(|r| r.state == SockState::Listen).count(),
        1
    );
}

#[test]
fn eaddrinuse_while_an_old_connection_waits_in_time_wait() {
    let (mut sim, client, server) = course();
    sim.spawn(server, AppSpec::server(AppKind::NodeServer, 8099))
        .unwrap();
    sim.spawn(
        client,
        AppSpec::client(AppKind::Curl, node_addr()).from_port(10378),
    )
    .unwrap();
    sim.step(ms(500));
    let again = sim
        .spawn(
            client,
            AppSpec::client(AppKind::Curl, node_addr()).from_port(10378),
        )
        .unwrap();
    sim.step(ms(501));
    let e = failed(&sim, again);
    assert_eq!(e.errno, Errno::EADDRINUSE);
    assert_eq!(
        why(&e),
        "port 10378 is already in use by a connection in TIME-WAIT"
    );
}

#[test]
fn econnrefused_when_nothing_listens_and_the_host_answers_rst() {
    let (mut sim, client, _server) = course();
    let curl = sim
        .spawn(
            client,
            AppSpec::client(AppKind::Curl, addr(SERVER_IP, 8080)),
        )
        .unwrap();
    settle(&mut sim);
    let e = failed(&sim, curl);
    assert_eq!((e.op, e.errno), (socket::Op::Connect, Errno::ECONNREFUSED));
    assert_eq!(
        why(&e),
        "192.168.1.102:8080 answered RST: nothing listens on port 8080"
    );
    assert_eq!(decisions(&sim, "Server"), [Demux::NoSocketAnswerRst]);
    let segs = segments(&sim);
    assert_eq!(segs.len(), 2);
    assert!(
        segs[1].starts_with("Server → Client PC 8080 → ") && segs[1].ends_with("[RST, ACK] len=0"),
        "{segs:?}"
    );
    assert!(
        sim.snapshot().host("Client PC").unwrap().sockets.is_empty(),
        "curl closed its socket"
    );
}

/// Linux (tcp_syn_retries = 6): seven SYNs, each after twice the wait before (1, 2, 4 … 32 s),
/// then connect() fails with ETIMEDOUT 127 s after it began, and nothing more is sent.
#[test]
fn etimedout_when_the_syn_is_never_answered() {
    let (mut sim, client, _server) = course();
    // Nobody has 192.168.1.200: every SYN leaves and is lost.
    let curl = sim
        .spawn(
            client,
            AppSpec::client(AppKind::Curl, addr(Ipv4Addr::new(192, 168, 1, 200), 80)),
        )
        .unwrap();
    settle(&mut sim);
    let e = failed(&sim, curl);
    assert_eq!((e.op, e.errno), (socket::Op::Connect, Errno::ETIMEDOUT));
    let syns: Vec<Instant> = sim
        .events()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::SegmentSent(s) => Some((e.at, s.summary.to_string())),
            _ => None,
        })
        .map(|(at, text)| {
            assert!(text.contains("[SYN]") && !text.contains("RST"), "{text}");
            at
        })
        .collect();
    let secs: Vec<u64> = syns
        .iter()
        .map(|t| t.total_millis() as u64 / 1000)
        .collect();
    assert_eq!(secs, [0, 1, 3, 7, 15, 31, 63], "seven SYNs with back-off");
    let failed_at = sim
        .events()
        .iter()
        .find(|e| matches!(e.kind, EventKind::ErrorReturned { .. }))
        .unwrap()
        .at;
    assert_eq!(
        failed_at,
        syns[0] + Duration::from_secs(127),
        "gave up at 127 s"
    );
}

#[test]
fn eaddrnotavail_for_a_foreign_address_and_when_ephemeral_ports_run_out() {
    let (mut sim, client, _server) = course();
    let p = sim.spawn_manual(client, "test program", "prog").unwrap();
    let fd = sim.socket(p, Proto::Tcp).unwrap();
    let e = sim.bind(p, fd, addr(SERVER_IP, 5000)).unwrap_err();
    assert_eq!(e.errno, Errno::EADDRNOTAVAIL);
    assert_eq!(
        why(&e),
        "192.168.1.102 is not an address of Client PC (192.168.1.101)"
    );
    assert_eq!(
        sim.socket_state(p, fd),
        Some(SockState::Fresh),
        "nothing changed"
    );

    // Take every port of Linux's ephemeral range, then ask for one more.
    for port in OsProfile::Linux.ephemeral_range() {
        let fd = sim.socket(p, Proto::Tcp).unwrap();
        sim.bind(p, fd, addr(CLIENT_PC_IP, port)).unwrap();
    }
    let e = sim.connect(p, fd, node_addr()).unwrap_err();
    assert_eq!(e.errno, Errno::EADDRNOTAVAIL);
    assert_eq!(
        why(&e),
        "all 28232 ephemeral ports (32768–60999) are in use toward 192.168.1.102:8099"
    );
}

/// Linux (`__inet_hash_connect`) lets connect() share a local port that only other connect()s
/// took, as long as the 4-tuple stays unique: a client has the whole ephemeral range for each
/// destination. A port held by bind() is never shared.
#[test]
fn connect_reuses_an_ephemeral_port_toward_another_destination_as_linux_does() {
    let config = SimConfig {
        tcp_buffer: Some(64),
        ..SimConfig::default()
    };
    let mut sim = Sim::course_with_config(1, config);
    let client = sim.host_by_name("Client PC").unwrap();
    let p = sim.spawn_manual(client, "test program", "prog").unwrap();
    let web = addr(SERVER_IP, 80);
    let mongo = addr(SERVER_IP, 27017);
    // Every port of the range taken: the odd ones by bind() (which holds a port alone), the
    // even ones, which Linux gives connect() first, by connections toward the web server.
    let range = OsProfile::Linux.ephemeral_range();
    for port in range.clone().filter(|p| p % 2 == 1) {
        let fd = sim.socket(p, Proto::Tcp).unwrap();
        sim.bind(p, fd, addr(CLIENT_PC_IP, port)).unwrap();
    }
    let mut used = std::collections::BTreeSet::new();
    for _ in range.filter(|p| p % 2 == 0) {
        let fd = sim.socket(p, Proto::Tcp).unwrap();
        sim.connect(p, fd, web).unwrap();
        used.insert(sim.socket_addrs(p, fd).unwrap().0.unwrap().port());
    }
    assert_eq!(
        used.len(),
        14116,
        "each connection toward :80 has a port of its own"
    );
    let fd = sim.socket(p, Proto::Tcp).unwrap();
    let e = sim.connect(p, fd, web).unwrap_err();
    assert_eq!(e.errno, Errno::EADDRNOTAVAIL, "no port left toward :80");
    // Toward another destination, a port already used toward :80 is taken again.
    let fd = sim.socket(p, Proto::Tcp).unwrap();
    sim.connect(p, fd, mongo).unwrap();
    let (local, remote) = sim.socket_addrs(p, fd).unwrap();
    assert!(used.contains(&local.unwrap().port()));
    assert_eq!(remote, Some(mongo));
    // bind() to port 0 needs a port nobody uses: there is none.
    let fd = sim.socket(p, Proto::Tcp).unwrap();
    let e = sim.bind(p, fd, addr(Ipv4Addr::UNSPECIFIED, 0)).unwrap_err();
    assert_eq!(e.errno, Errno::EADDRNOTAVAIL);
}

/// Calls in the wrong state fail as Linux fails them (the kernel function that decides is
/// named beside each).
#[test]
fn calls_in_the_wrong_state_fail_with_linux_errnos() {
    let (mut sim, client, server) = course();
    let srv = sim.spawn_manual(server, "my server", "server").unwrap();
    let lfd = sim.socket(srv, Proto::Tcp).unwrap();
    // accept() before listen(): inet_accept, EINVAL.
    assert_eq!(sim.accept(srv, lfd).unwrap_err().errno, Errno::EINVAL);
    sim.bind(srv, lfd, addr(SERVER_IP, 9000)).unwrap();
    // bind() twice: __inet_bind, EINVAL.
    let e = sim.bind(srv, lfd, addr(SERVER_IP, 9001)).unwrap_err();
    assert_eq!(
        (e.errno, why(&e).as_str()),
        (
            Errno::EINVAL,
            "this socket is already bound to 192.168.1.102:9000"
        )
    );
    sim.listen(srv, lfd, 4).unwrap();
    // recv() on a listening socket: tcp_recvmsg, ENOTCONN.
    assert_eq!(sim.recv(srv, lfd, 10).unwrap_err().errno, Errno::ENOTCONN);
    // send() on a listening socket: sk_stream_wait_connect, EPIPE (not connecting).
    assert_eq!(sim.send(srv, lfd, b"hi").unwrap_err().errno, Errno::EPIPE);
    // connect() on a listening socket: inet_stream_connect, EISCONN (the socket left CLOSE).
    assert_eq!(
        sim.connect(srv, lfd, addr(CLIENT_PC_IP, 1))
            .unwrap_err()
            .errno,
        Errno::EISCONN
    );

    let cli = sim.spawn_manual(client, "my client", "client").unwrap();
    let cfd = sim.socket(cli, Proto::Tcp).unwrap();
    // send() on a fresh socket: sk_stream_wait_connect, EPIPE.
    let e = sim.send(cli, cfd, b"hi").unwrap_err();
    assert_eq!(
        (e.errno, why(&e).as_str()),
        (
            Errno::EPIPE,
            "this socket is not connected, so there is nowhere to send"
        )
    );
    // shutdown() on a socket never connected: inet_shutdown, ENOTCONN.
    assert_eq!(
        sim.shutdown(cli, cfd, Shutdown::Write).unwrap_err().errno,
        Errno::ENOTCONN
    );
    sim.connect(cli, cfd, addr(SERVER_IP, 9000)).unwrap();
    // connect() again while connecting (non-blocking): inet_stream_connect, EALREADY.
    let e = sim.connect(cli, cfd, addr(SERVER_IP, 9000)).unwrap_err();
    assert_eq!(e.errno, Errno::EALREADY);
    // send() during SYN-SENT (non-blocking): sk_stream_wait_connect, EAGAIN.
    let e = sim.send(cli, cfd, b"too early").unwrap_err();
    assert_eq!(
        (e.errno, why(&e).as_str()),
        (
            Errno::EAGAIN,
            "the handshake has not finished: send() would have to wait for ESTABLISHED"
        )
    );
    sim.step(ms(100));
    assert_eq!(sim.socket_state(cli, cfd), Some(SockState::Established));
    // connect() on a connected socket: inet_stream_connect, EISCONN.
    let e = sim.connect(cli, cfd, addr(SERVER_IP, 9000)).unwrap_err();
    assert_eq!(
        (e.errno, why(&e).as_str()),
        (
            Errno::EISCONN,
            "this socket is already connected to 192.168.1.102:9000"
        )
    );
    // listen() on a connected socket: inet_listen, EINVAL.
    assert_eq!(sim.listen(cli, cfd, 1).unwrap_err().errno, Errno::EINVAL);
    // A descriptor that does not exist: sockfd_lookup, EBADF.
    let e = sim.recv(cli, 42, 1).unwrap_err();
    assert_eq!(
        (e.errno, why(&e).as_str()),
        (Errno::EBADF, "my client has no socket with descriptor 42")
    );
    // Every error above was recorded as an event for the view.
    assert_eq!(errors(&sim).len(), 12);
    assert_eq!(sim.demux_mismatches(), &[] as &[String]);
}

#[test]
fn epipe_after_shutdown_and_econnreset_when_the_peer_closes_with_unread_data() {
    let (mut sim, client, server) = course();
    let srv = sim.spawn_manual(server, "my server", "server").unwrap();
    let lfd = sim.socket(srv, Proto::Tcp).unwrap();
    sim.bind(srv, lfd, addr(SERVER_IP, 7000)).unwrap();
    sim.listen(srv, lfd, 4).unwrap();
    let cli = sim.spawn_manual(client, "my client", "client").unwrap();
    let cfd = sim.socket(cli, Proto::Tcp).unwrap();
    sim.connect(cli, cfd, addr(SERVER_IP, 7000)).unwrap();
    sim.step(ms(100));
    let (sfd, peer) = sim
        .accept(srv, lfd)
        .unwrap()
        .expect("a connection is waiting");
    assert_eq!(peer.ip(), &CLIENT_PC_IP);

    // The client sends; the server closes without reading it: Linux (and we) answer with RST.
    sim.send(cli, cfd, b"unread").unwrap();
    sim.step(ms(200));
    sim.close(srv, sfd).unwrap();
    sim.step(ms(300));
    let e = sim.recv(cli, cfd, 100).unwrap_err();
    assert_eq!(
        (e.errno, why(&e).as_str()),
        (
            Errno::ECONNRESET,
            "192.168.1.102:7000 reset the connection (RST)"
        )
    );
    assert!(segments(&sim)
        .iter()
        .any(|s| s.contains("Server → Client PC 7000 →") && s.contains("RST")));

    // A second connection: shut down writing, then try to write.
    let c2 = sim.socket(cli, Proto::Tcp).unwrap();
    sim.connect(cli, c2, addr(SERVER_IP, 7000)).unwrap();
    sim.step(ms(400));
    sim.shutdown(cli, c2, Shutdown::Write).unwrap();
    let e = sim.send(cli, c2, b"more").unwrap_err();
    assert_eq!(e.errno, Errno::EPIPE);
    settle(&mut sim);
}

#[test]
fn udp_errors_eopnotsupp_and_emsgsize() {
    let (mut sim, client, _server) = course();
    let p = sim.spawn_manual(client, "dns tool", "dig").unwrap();
    let fd = sim.socket(p, Proto::Udp).unwrap();
    let e = sim.listen(p, fd, 1).unwrap_err();
    assert_eq!(
        (e.errno, why(&e).as_str()),
        (
            Errno::EOPNOTSUPP,
            "UDP has no connections, so a UDP socket cannot listen"
        )
    );
    // Linux (udp_sendmsg): a datagram larger than 65507 bytes cannot be sent at all; one larger
    // than the link's MTU is sent in fragments (tests/udp_and_ports.rs).
    let e = sim
        .send_to(p, fd, &[0; 65508], addr(SERVER_IP, 53))
        .unwrap_err();
    assert_eq!(e.errno, Errno::EMSGSIZE);
    assert_eq!(
        why(&e),
        "65508 bytes do not fit in one UDP datagram (at most 65507: 65535 less the IP and UDP headers)"
    );
    let t = sim.socket(p, Proto::Tcp).unwrap();
    assert_eq!(
        sim.send_to(p, t, b"x", addr(SERVER_IP, 53))
            .unwrap_err()
            .errno,
        Errno::EOPNOTSUPP
    );
}

#[test]
fn bad_network_input_is_an_error_not_a_panic() {
    let mut sim = Sim::course_default(1);
    let e = sim
        .add_host(HostSpec::new("Server", "10.0.0.1".parse().unwrap()))
        .unwrap_err();
    assert_eq!(e.to_string(), "there is already a host named \"Server\"");
    let e = sim.add_host(HostSpec::new("Other", SERVER_IP)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "another host already has the address 192.168.1.102"
    );
    let e = sim
        .add_host(HostSpec::new("Bcast", "192.168.1.255".parse().unwrap()))
        .unwrap_err();
    assert!(e.to_string().contains("cannot be a host's address"));
    assert!(sim.add_link(LinkSpec::new(HostId(0), HostId(0))).is_err());
    assert!(sim.add_link(LinkSpec::new(HostId(0), HostId(9))).is_err());
    assert!(
        sim.add_link(LinkSpec::new(HostId(0), HostId(1))).is_err(),
        "already linked"
    );
    assert!(sim
        .spawn(HostId(7), AppSpec::server(AppKind::WebServer, 80))
        .is_err());
    let ghost = Pid {
        host: HostId(0),
        pid: 4242,
    };
    assert_eq!(
        sim.socket(ghost, Proto::Tcp).unwrap_err().errno,
        Errno::EBADF
    );
}

/// A host whose address ends in .1 is a host like any other: as a client it reaches a server on
/// another subnet, and as a server it answers one (it once had no default route, and the
/// learner was told the server "never answered the SYN").
#[test]
fn a_host_at_dot_one_talks_to_another_subnet() {
    for (server_ip, client_ip) in [("10.0.0.1", "172.16.5.20"), ("172.16.5.20", "10.0.0.1")] {
        let mut sim = Sim::new(7);
        sim.set_verify_demux(true);
        let server = sim
            .add_host(HostSpec::new("Server", server_ip.parse().unwrap()))
            .unwrap();
        let client = sim
            .add_host(HostSpec::new("Laptop", client_ip.parse().unwrap()))
            .unwrap();
        sim.add_link(LinkSpec::new(client, server)).unwrap();
        sim.spawn(server, AppSpec::server(AppKind::NodeServer, 8099))
            .unwrap();
        let to = SocketAddrV4::new(server_ip.parse().unwrap(), 8099);
        let curl = sim
            .spawn(client, AppSpec::client(AppKind::Curl, to))
            .unwrap();
        settle(&mut sim);
        match sim.process(curl).unwrap().status() {
            AppStatus::Done { reply } => assert!(reply.starts_with(b"HTTP/1.1 200 OK")),
            other => panic!("curl at {client_ip} to {server_ip}: {other:?}"),
        }
    }
}

/// `ss -lnt` on Linux shows a listener's accept queue as Recv-Q and its backlog as Send-Q
/// (inet_diag: sk_ack_backlog, sk_max_ack_backlog): Node.js listens with 511, and a connection
/// whose handshake has finished waits there until accept() takes it.
#[test]
fn a_listeners_row_shows_its_accept_queue_and_backlog() {
    let (mut sim, client, server) = course();
    sim.spawn(server, AppSpec::server(AppKind::NodeServer, 8099))
        .unwrap();
    let srv = sim.spawn_manual(server, "lazy server", "lazy").unwrap();
    let lfd = sim.socket(srv, Proto::Tcp).unwrap();
    sim.bind(srv, lfd, addr(SERVER_IP, 9000)).unwrap();
    sim.listen(srv, lfd, 3).unwrap();
    let cli = sim.spawn_manual(client, "client", "cli").unwrap();
    let cfd = sim.socket(cli, Proto::Tcp).unwrap();
    sim.connect(cli, cfd, addr(SERVER_IP, 9000)).unwrap();
    sim.step(ms(100));
    let listeners = |sim: &Sim| -> Vec<(u16, usize, usize)> {
        sim.snapshot().hosts[server.0]
            .sockets
            .iter()
            .filter(|r| r.state == SockState::Listen)
            .map(|r| (r.local.unwrap().port(), r.recv_q, r.send_q))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect()
    };
    assert_eq!(listeners(&sim), [(8099, 0, 511), (9000, 1, 3)]);
    sim.accept(srv, lfd).unwrap().expect("a connection waits");
    assert_eq!(listeners(&sim), [(8099, 0, 511), (9000, 0, 3)]);
}

/// A port below 1024 is only root's on Linux: a normal user's server gets EACCES (before any
/// question of the port being free), and nothing listens; root, or any user on macOS or
/// Windows, or any user on a port from 1024 up, listens.
#[test]
fn eacces_for_a_normal_users_server_on_a_port_below_1024_on_linux_only() {
    let scene = |os: &str, user: Option<&str>, port: u16| {
        let user = user.map_or(String::new(), |u| format!("user = \"{u}\"\n"));
        let text = format!(
            "version = 1\ntitle = \"t\"\nseed = 1\n\
             [[hosts]]\nname = \"Server\"\nip = \"192.168.1.102\"\nos = \"{os}\"\n\
             [[processes]]\nname = \"web\"\nhost = \"Server\"\nprogram = \"web-server\"\n\
             [[processes]]\nname = \"node\"\nhost = \"Server\"\nprogram = \"node-server\"\n{user}\
             [[actions]]\nprocess = \"web\"\nat_ms = 0\ndo = \"listen\"\nport = 80\n\
             [[actions]]\nprocess = \"node\"\nat_ms = 10\ndo = \"listen\"\nport = {port}\n"
        );
        let mut sim = scenario::from_toml(&text).unwrap().build().unwrap();
        sim.step(ms(100));
        errors(&sim)
    };
    let refused = scene("linux", Some("alice"), 80);
    assert_eq!(refused.len(), 1, "{refused:?}");
    let e = &refused[0];
    assert_eq!((e.op, e.errno), (socket::Op::Bind, Errno::EACCES));
    assert_eq!(
        said(e),
        "bind: EACCES: port 80 is below 1024: on Linux only root may bind it, and Node.js server runs as alice"
    );
    assert_eq!(scene("linux", Some("alice"), 443)[0].errno, Errno::EACCES);
    assert_eq!(scene("linux", Some("alice"), 1023)[0].errno, Errno::EACCES);
    assert!(scene("linux", Some("alice"), 1024).is_empty());
    assert!(scene("linux", Some("alice"), 8080).is_empty());
    // Root may, and is who starts a process unless the scene says otherwise; it finds the
    // port taken by the web server.
    for root in [None, Some("root")] {
        assert_eq!(scene("linux", root, 80)[0].errno, Errno::EADDRINUSE);
        assert!(scene("linux", root, 443).is_empty());
    }
    for os in ["macos", "windows"] {
        assert!(scene(os, Some("alice"), 443).is_empty(), "{os}");
        assert_eq!(
            scene(os, Some("alice"), 80)[0].errno,
            Errno::EADDRINUSE,
            "{os}"
        );
    }
}

/// A user's name is checked like every field: a clear sentence at the field.
#[test]
fn a_process_user_that_is_no_name_is_refused() {
    let text = "version = 1\ntitle = \"t\"\nseed = 1\n\
                [[hosts]]\nname = \"Server\"\nip = \"192.168.1.102\"\n\
                [[processes]]\nname = \"node\"\nhost = \"Server\"\nprogram = \"node-server\"\nuser = \"Alice Smith\"\n";
    let problems = scenario::from_toml(text).unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].path, "processes[0].user");
    assert!(
        problems[0].message().contains("a user's name"),
        "{problems:?}"
    );
}

/// Linux checks a bind's address, then the port's privilege, then whether the socket is bound
/// (`__inet_bind`): a bound socket asked again for port 80 by a normal user gets EACCES, and a
/// foreign address EADDRNOTAVAIL before either.
#[test]
fn bind_checks_the_address_then_the_privilege_then_the_socket() {
    let text = "version = 1\ntitle = \"t\"\nseed = 1\n\
                [[hosts]]\nname = \"Server\"\nip = \"192.168.1.102\"\n";
    let scenario = scenario::from_toml(text).unwrap();
    let mut sim = scenario.build().unwrap();
    let host = scenario.host_ids()["Server"];
    let pid = sim
        .spawn_manual(host, "python3", "python3 -m http.server")
        .unwrap();
    sim.set_user(pid, "alice");
    let fd = sim.socket(pid, Proto::Tcp).unwrap();
    sim.bind(pid, fd, addr(SERVER_IP, 8080)).unwrap();
    let again = |sim: &mut Sim, ip, port| sim.bind(pid, fd, addr(ip, port)).unwrap_err().errno;
    assert_eq!(again(&mut sim, SERVER_IP, 80), Errno::EACCES);
    assert_eq!(again(&mut sim, SERVER_IP, 8081), Errno::EINVAL);
    assert_eq!(again(&mut sim, CLIENT_PC_IP, 80), Errno::EADDRNOTAVAIL);
}

/// A client that sends no request never gets a reply to keep the connection open after: the
/// scene says so at the field.
#[test]
fn keep_alive_without_a_request_is_refused() {
    let text = "version = 1\ntitle = \"t\"\nseed = 1\n\
                [[hosts]]\nname = \"Server\"\nip = \"192.168.1.102\"\n\
                [[processes]]\nname = \"b\"\nhost = \"Server\"\nprogram = \"web-browser\"\n\
                [[actions]]\nprocess = \"b\"\nat_ms = 0\ndo = \"connect\"\nto = \"Server:80\"\nauto = false\nkeep_alive = true\n";
    let problems = scenario::from_toml(text).unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].path, "actions[0].keep_alive");
}
