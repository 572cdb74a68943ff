use socketlab::engine::net::SERVER_IP;
use socketlab::engine::*;
use std::net::SocketAddrV4;
fn main() {
    let mut sim = Sim::course_default(7);
    sim.set_verify_demux(true);
    let server = sim.host_by_name("Server").unwrap();
    let client = sim.host_by_name("Client PC").unwrap();
    sim.spawn(server, AppSpec::server(AppKind::NodeServer, 8099))
        .unwrap();
    let c = sim
        .spawn(
            client,
            AppSpec::client(AppKind::Curl, SocketAddrV4::new(SERVER_IP, 8099))
                .from_port(10378)
                .at(time::ms(100)),
        )
        .unwrap();
    sim.step(time::ms(141));
    let snap = sim.snapshot();
    for h in &snap.hosts {
        println!("{}\n{}", h.name, h.ss_table());
    }
    let end = sim.run_until_idle(time::ms(60_000));
    for e in sim.events() {
        println!(
            "{:>10} {:?}",
            e.at.total_micros(),
            match &e.kind {
                EventKind::SegmentSent(s) => format!("SENT {}", s.summary),
                k => format!("{k:?}"),
            }
        );
    }
    println!(
        "end {end} status {:?} mismatches {:?}",
        sim.process(c).unwrap().status(),
        sim.demux_mismatches()
    );
    for h in &sim.snapshot().hosts {
        println!("{}\n{}", h.name, h.ss_table());
    }
}
