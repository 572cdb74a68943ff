//! Helpers shared by the native scenario tests.
#![allow(dead_code)]

use std::net::SocketAddrV4;

use socketlab::engine::net::SERVER_IP;
use socketlab::engine::time::ms;
use socketlab::engine::*;

/// Every segment sent so far, one line each, as a learner reads them:
/// `Client PC → Server 10378 → 8099 [SYN] len=0`.
pub fn segments(sim: &Sim) -> Vec<String> {
    let name = |h: HostId| {
        sim.hosts()
            .nth(h.0)
            .map(|(_, s)| s.name.clone())
            .unwrap_or_default()
    };
    sim.events()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::SegmentSent(s) => {
                let to =
                    s.to.map(name)
                        .unwrap_or_else(|| format!("nowhere ({})", s.summary.dst));
                let what = match s.summary.tcp() {
                    Some(t) => format!(
                        "{} → {} [{}] len={}",
                        t.src_port, t.dst_port, t.flags, t.payload_len
                    ),
                    None => s.summary.to_string(),
                };
                Some(format!("{} → {} {}", name(s.from), to, what))
            }
            _ => None,
        })
        .collect()
}

/// The host's table in the course's layout.
pub fn table(sim: &Sim, host: &str) -> String {
    socketlab::report::course_table(sim.snapshot().host(host).expect("host exists"))
}

/// The events of one kind, for assertions.
pub fn errors(sim: &Sim) -> Vec<SockError> {
    sim.events()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::ErrorReturned { error, .. } => Some(error.clone()),
            _ => None,
        })
        .collect()
}

pub fn decisions(sim: &Sim, host: &str) -> Vec<Demux> {
    let id = sim.host_by_name(host).expect("host exists");
    sim.events()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::SegmentDelivered { host, decision, .. } if *host == id => Some(*decision),
            _ => None,
        })
        .collect()
}

pub fn node_addr() -> SocketAddrV4 {
    SocketAddrV4::new(SERVER_IP, 8099)
}

/// The course's network with the demultiplexing check on.
pub fn course() -> (Sim, HostId, HostId) {
    let mut sim = Sim::course_default(2024);
    sim.set_verify_demux(true);
    let client = sim.host_by_name("Client PC").unwrap();
    let server = sim.host_by_name("Server").unwrap();
    (sim, client, server)
}

pub fn settle(sim: &mut Sim) {
    sim.run_until_idle(ms(600_000));
    assert_eq!(
        sim.demux_mismatches(),
        &[] as &[String],
        "our demux decisions agree with smoltcp"
    );
}

/// The course's slide: the Node.js server listening on 8099, and curl connecting to it from
/// port 10378 at 100 ms. Returns the simulation, the client and server hosts, and curl.
pub fn node_and_curl() -> (Sim, HostId, HostId, Pid) {
    let (mut sim, client, server) = course();
    sim.spawn(server, AppSpec::server(AppKind::NodeServer, 8099))
        .unwrap();
    let curl = sim
        .spawn(
            client,
            AppSpec::client(AppKind::Curl, node_addr())
                .from_port(10378)
                .at(ms(100)),
        )
        .unwrap();
    (sim, client, server, curl)
}

/// The Node.js server on 8099 on `server`, and curl on `client` connecting to it at 100 ms
/// from an ephemeral port. Returns curl.
pub fn start_node_and_curl(sim: &mut Sim, client: HostId, server: HostId) -> Pid {
    sim.spawn(server, AppSpec::server(AppKind::NodeServer, 8099))
        .unwrap();
    sim.spawn(
        client,
        AppSpec::client(AppKind::Curl, node_addr()).at(ms(100)),
    )
    .unwrap()
}

/// Each expected line begins one of the lines found (problems, feedback).
pub fn assert_said(found: &[String], expected: &[&str]) {
    for e in expected {
        assert!(
            found.iter().any(|f| f.starts_with(e)),
            "expected {e:?} in {found:#?}"
        );
    }
}

/// Every shipped scenario file (`scenarios/*.toml`), by name, with its text, in name order.
pub fn shipped() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}
