//! Ready-made busy simulations for benchmarks and stress scenes: the course's network with the
//! Node.js server on 8099 and many curl clients. Shared by the native and the wasm benchmarks,
//! so both measure the same session.

use std::net::SocketAddrV4;

use crate::engine::net::SERVER_IP;
use crate::engine::time::Instant;
use crate::engine::{AppKind, AppSpec, HostId, Sim};

/// `connections` curl clients, one every `spacing_ms`, each doing handshake, request, reply
/// and close with the Node.js server.
pub fn churn(connections: usize, spacing_ms: i64) -> Sim {
    let mut sim = Sim::course_default(42);
    let (client, server) = (HostId(0), HostId(1));
    let target = SocketAddrV4::new(SERVER_IP, 8099);
    // Both hosts exist in the course network, so neither spawn can fail.
    let _ = sim.spawn(server, AppSpec::server(AppKind::NodeServer, 8099));
    for i in 0..connections as i64 {
        let _ = sim.spawn(
            client,
            AppSpec::client(AppKind::Curl, target).at(Instant::from_millis(1 + i * spacing_ms)),
        );
    }
    sim
}
