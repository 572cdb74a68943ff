//! Timeline benchmarks. They print figures; they assert nothing about speed.
//!
//!   cargo bench --bench timeline
//!
//! - recording a session of 10,000 connections, and seeking to random moments of it
//!   (aim: under 16 ms, one animation frame);
//! - pcap export throughput.

use std::time::Instant as Wall;

use socketlab::engine::pcap::capture;
use socketlab::engine::rng::Rng;
use socketlab::engine::time::Instant;
use socketlab::engine::Timeline;
use socketlab::workloads::churn;

const CONNECTIONS: usize = 10_000;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let wall = Wall::now();
    let sim = churn(CONNECTIONS, 100);
    let timeline = Timeline::record(sim, Instant::from_secs(3600));
    let record = wall.elapsed().as_secs_f64();
    let events = timeline.events().len();
    println!(
        "session: {CONNECTIONS} connections, {events} events, {:.1} s of virtual time, recorded in {record:.2} s",
        timeline.end().total_millis() as f64 / 1000.0
    );

    let mut rng = Rng::new(7);
    let span = timeline.end().total_micros() as u64;
    let mut times = Vec::new();
    let mut sockets = 0;
    for _ in 0..2000 {
        let t = Instant::from_micros(rng.below(span) as i64);
        let start = Wall::now();
        let snap = timeline.seek(t);
        times.push(start.elapsed().as_secs_f64() * 1e3);
        sockets += snap.hosts.iter().map(|h| h.sockets.len()).sum::<usize>();
    }
    times.sort_by(|a, b| a.total_cmp(b));
    println!(
        "seek to a random moment (2000 seeks, {:.0} sockets on average in the snapshot): mean {:.3} ms, p50 {:.3} ms, p95 {:.3} ms, max {:.3} ms (aim: under 16 ms)",
        sockets as f64 / 2000.0,
        times.iter().sum::<f64>() / times.len() as f64,
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        times[times.len() - 1]
    );

    let start = Wall::now();
    let (bytes, packets) = capture(timeline.events());
    let secs = start.elapsed().as_secs_f64();
    println!(
        "pcap export: {packets} packets, {:.1} MB in {:.1} ms → {:.0} packets/s, {:.0} MB/s",
        bytes.len() as f64 / 1e6,
        secs * 1e3,
        packets as f64 / secs,
        bytes.len() as f64 / 1e6 / secs
    );
}
