//! Engine benchmarks. They print figures; they assert nothing about speed.
//!
//!   cargo bench --bench engine
//!
//! - full connections (handshake, request, reply, close) per second, and the CPU time of one;
//! - simulated segments per second, in that churn and in a bulk transfer;
//! - memory per open connection, with 10,000 concurrent connections to one server.
//!
//! CPU time is this thread's time on a CPU (`/proc/thread-self/schedstat`), so a busy machine
//! does not inflate it; wall time is printed beside it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::net::SocketAddrV4;
use std::sync::atomic::{AtomicIsize, Ordering::Relaxed};
use std::time::Instant as Wall;

use socketlab::engine::net::SERVER_IP;
use socketlab::engine::time::{ms, Duration, Instant};
use socketlab::engine::*;

/// Counts the bytes the program holds, so memory per connection is measured, not guessed.
struct Counting;

static HELD: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        HELD.fetch_add(layout.size() as isize, Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        HELD.fetch_sub(layout.size() as isize, Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        HELD.fetch_add(new_size as isize - layout.size() as isize, Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Nanoseconds this thread has spent on a CPU.
fn cpu_ns() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

struct Clock {
    wall: Wall,
    cpu: Option<u64>,
}

impl Clock {
    fn start() -> Clock {
        Clock {
            wall: Wall::now(),
            cpu: cpu_ns(),
        }
    }
    /// (wall seconds, CPU seconds if the OS reports them)
    fn stop(&self) -> (f64, Option<f64>) {
        let wall = self.wall.elapsed().as_secs_f64();
        let cpu = self.cpu.zip(cpu_ns()).map(|(a, b)| (b - a) as f64 / 1e9);
        (wall, cpu)
    }
}

fn segments_in(events: &[Event]) -> usize {
    events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::SegmentSent(_)))
        .count()
}

/// One curl connection after another to the Node.js server, a second apart in virtual time
/// (so about ten earlier ones wait in TIME-WAIT, as on a real client).
fn connection_churn(n: usize) {
    let mut sim = Sim::course_default(1);
    let (client, server) = (HostId(0), HostId(1));
    sim.spawn(server, AppSpec::server(AppKind::NodeServer, 8099))
        .unwrap();
    let target = SocketAddrV4::new(SERVER_IP, 8099);
    // Warm up, so allocation of the first tables is not counted.
    for i in 0..100 {
        sim.spawn(
            client,
            AppSpec::client(AppKind::Curl, target).at(ms(i * 1000)),
        )
        .unwrap();
    }
    sim.run_until_idle(ms(100 * 1000 + 60_000));
    sim.take_events();
    let t0 = sim.now();
    let mut segments = 0;
    let clock = Clock::start();
    for i in 0..n as i64 {
        let at = t0 + Duration::from_millis(i as u64 * 1000);
        sim.spawn(client, AppSpec::client(AppKind::Curl, target).at(at))
            .unwrap();
        sim.step(at + Duration::from_millis(999));
        if i % 256 == 255 {
            segments += segments_in(&sim.take_events());
        }
    }
    sim.run_until_idle(Instant::from_secs(i64::MAX / 4_000_000));
    segments += segments_in(&sim.take_events());
    let (wall, cpu) = clock.stop();
    let done = sim
        .processes()
        .filter(|p| matches!(p.status(), AppStatus::Done { .. }))
        .count();
    assert_eq!(done, n + 100, "every connection finished");
    let per = |secs: f64| secs / n as f64 * 1e6;
    println!(
        "connection churn: {n} connections (handshake, request, reply, close), {segments} segments"
    );
    println!(
        "  wall: {:.3} s  → {:.1} µs per connection, {:.0} connections/s, {:.0} segments/s",
        wall,
        per(wall),
        n as f64 / wall,
        segments as f64 / wall
    );
    if let Some(cpu) = cpu {
        println!(
            "  CPU:  {:.3} s  → {:.1} µs per connection (budget 50 µs), {:.0} segments/s",
            cpu,
            per(cpu),
            segments as f64 / cpu
        );
    }
}

/// One connection carrying `bytes` from client to server, read as fast as it arrives.
fn bulk_transfer(bytes: usize) {
    let mut sim = Sim::course_default(2);
    let (client, server) = (HostId(0), HostId(1));
    let srv = sim.spawn_manual(server, "sink", "nc").unwrap();
    let lfd = sim.socket(srv, Proto::Tcp).unwrap();
    sim.bind(srv, lfd, SocketAddrV4::new(SERVER_IP, 9000))
        .unwrap();
    sim.listen(srv, lfd, 1).unwrap();
    let cli = sim.spawn_manual(client, "source", "nc").unwrap();
    let cfd = sim.socket(cli, Proto::Tcp).unwrap();
    sim.connect(cli, cfd, SocketAddrV4::new(SERVER_IP, 9000))
        .unwrap();
    sim.step(ms(100));
    let (sfd, _) = sim.accept(srv, lfd).unwrap().unwrap();
    let chunk = vec![7u8; 4096];
    let (mut sent, mut got, mut segments) = (0, 0, 0);
    let clock = Clock::start();
    while got < bytes {
        if sent < bytes {
            sent += sim
                .send(cli, cfd, &chunk[..chunk.len().min(bytes - sent)])
                .unwrap();
        }
        while let Ok(Recv::Data(d)) = sim.recv(srv, sfd, 1 << 16) {
            got += d.len();
        }
        let next = sim
            .next_wakeup()
            .unwrap_or(sim.now() + Duration::from_millis(1));
        sim.step(next);
        segments += segments_in(&sim.take_events());
    }
    let (wall, cpu) = clock.stop();
    println!(
        "bulk transfer: {} KiB over one connection, {segments} segments",
        bytes / 1024
    );
    println!(
        "  wall: {:.3} s → {:.0} segments/s",
        wall,
        segments as f64 / wall
    );
    if let Some(cpu) = cpu {
        println!(
            "  CPU:  {:.3} s → {:.0} segments/s",
            cpu,
            segments as f64 / cpu
        );
    }
}

/// `n` connections open at once to one server; memory held per connection (both ends).
fn memory_per_connection(n: usize) {
    // Small buffers, as a scenario may set them: 10,000 connections with Linux's 64 KB windows
    // would hold 2.5 GB of buffers.
    let mut sim = Sim::course_with_config(
        3,
        SimConfig {
            tcp_buffer: Some(4096),
            ..SimConfig::default()
        },
    );
    let (client, server) = (HostId(0), HostId(1));
    let srv = sim.spawn_manual(server, "Node.js server", "node").unwrap();
    let lfd = sim.socket(srv, Proto::Tcp).unwrap();
    sim.bind(srv, lfd, SocketAddrV4::new(SERVER_IP, 8099))
        .unwrap();
    sim.listen(srv, lfd, n).unwrap();
    let cli = sim.spawn_manual(client, "load generator", "wrk").unwrap();
    sim.step(ms(1));
    sim.take_events();
    let before = HELD.load(Relaxed);
    let clock = Clock::start();
    for _ in 0..n {
        let fd = sim.socket(cli, Proto::Tcp).unwrap();
        sim.connect(cli, fd, SocketAddrV4::new(SERVER_IP, 8099))
            .unwrap();
    }
    // The backlog holds at most somaxconn (4096) connections: accept as they come, as a
    // server would; SYNs that found the queue full are retransmitted a second later.
    let mut accepted = 0;
    for _ in 0..200 {
        sim.step(sim.now() + Duration::from_millis(100));
        while let Ok(Some(_)) = sim.accept(srv, lfd) {
            accepted += 1;
        }
        if accepted == n {
            break;
        }
    }
    sim.step(ms(1000));
    sim.take_events();
    let (wall, _) = clock.stop();
    let held = HELD.load(Relaxed) - before;
    let snap = sim.snapshot();
    let established = |h: &str| {
        snap.host(h)
            .unwrap()
            .sockets
            .iter()
            .filter(|r| r.state == SockState::Established)
            .count()
    };
    assert_eq!(
        (accepted, established("Client PC"), established("Server")),
        (n, n, n)
    );
    let buffer = sim.config().tcp_buffer.unwrap_or(0);
    let buffers = 2 * 2 * buffer;
    println!("memory: {n} concurrent connections to one server, set up in {wall:.1} s wall");
    println!(
        "  {:.1} MiB held → {:.1} KiB per connection (both ends; {} KiB of it are the four TCP buffers of {} B)",
        held as f64 / (1 << 20) as f64,
        held as f64 / n as f64 / 1024.0,
        buffers / 1024,
        buffer
    );
}

fn main() {
    // `cargo bench` passes --bench; a filter word selects one benchmark.
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let wants = |name: &str| filter.is_empty() || filter.iter().any(|f| name.contains(f.as_str()));
    if wants("churn") {
        connection_churn(5_000);
    }
    if wants("bulk") {
        bulk_transfer(8 << 20);
    }
    if wants("memory") {
        memory_per_connection(10_000);
    }
}
