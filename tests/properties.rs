//! Random sequences of socket calls on three hosts. Whatever a learner does, the engine must
//! not panic, its tables must stay sane, its demultiplexing decisions must agree with smoltcp,
//! and every byte sent on a connection must reach the peer exactly once and in order, or the
//! connection must end with an error that says why (a reset, a timeout). Below them, cases
//! found by drawing faulty links too (loss, duplicates, reordering, jitter), kept as tests.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::net::{Ipv4Addr, SocketAddrV4};

use proptest::prelude::*;
use socketlab::engine::time::Duration;
use socketlab::engine::*;

const PORTS: [u16; 4] = [0, 80, 8099, 5000];
const TARGET_PORTS: [u16; 4] = [80, 8099, 5000, 9];

#[derive(Clone, Debug)]
enum Call {
    Socket {
        host: usize,
        udp: bool,
    },
    Bind {
        host: usize,
        slot: usize,
        port: u16,
    },
    Listen {
        host: usize,
        slot: usize,
        backlog: usize,
    },
    Connect {
        host: usize,
        slot: usize,
        to: usize,
        port: u16,
    },
    /// socket() then connect(): how most clients start, so connections happen often.
    Dial {
        host: usize,
        to: usize,
        port: u16,
    },
    Accept {
        host: usize,
        slot: usize,
    },
    Send {
        host: usize,
        slot: usize,
        len: usize,
    },
    /// send() on one of the process's established connections, when it has any.
    Talk {
        host: usize,
        slot: usize,
        len: usize,
    },
    Recv {
        host: usize,
        slot: usize,
    },
    ShutdownWrite {
        host: usize,
        slot: usize,
    },
    Close {
        host: usize,
        slot: usize,
    },
    Step {
        millis: u64,
    },
}

fn call() -> impl Strategy<Value = Call> {
    let host = 0..3usize;
    let slot = 0..4usize;
    prop_oneof![
        (host.clone(), any::<bool>()).prop_map(|(host, udp)| Call::Socket { host, udp }),
        (host.clone(), slot.clone(), prop::sample::select(&PORTS[..]))
            .prop_map(|(host, slot, port)| Call::Bind { host, slot, port }),
        (host.clone(), slot.clone(), 1..3usize).prop_map(|(host, slot, backlog)| Call::Listen {
            host,
            slot,
            backlog
        }),
        (
            host.clone(),
            slot.clone(),
            0..3usize,
            prop::sample::select(&TARGET_PORTS[..])
        )
            .prop_map(|(host, slot, to, port)| Call::Connect {
                host,
                slot,
                to,
                port
            }),
        (
            host.clone(),
            0..3usize,
            prop::sample::select(&TARGET_PORTS[..])
        )
            .prop_map(|(host, to, port)| Call::Dial { host, to, port }),
        (host.clone(), 0..3usize, Just(8099u16)).prop_map(|(host, to, port)| Call::Dial {
            host,
            to,
            port
        }),
        (host.clone(), slot.clone()).prop_map(|(host, slot)| Call::Accept { host, slot }),
        (host.clone(), slot.clone(), 1..3000usize).prop_map(|(host, slot, len)| Call::Send {
            host,
            slot,
            len
        }),
        (host.clone(), slot.clone(), 1..3000usize).prop_map(|(host, slot, len)| Call::Talk {
            host,
            slot,
            len
        }),
        (host.clone(), slot.clone(), 1..3000usize).prop_map(|(host, slot, len)| Call::Talk {
            host,
            slot,
            len
        }),
        (host.clone(), slot.clone()).prop_map(|(host, slot)| Call::Recv { host, slot }),
        (host.clone(), slot.clone()).prop_map(|(host, slot)| Call::ShutdownWrite { host, slot }),
        (host.clone(), slot.clone()).prop_map(|(host, slot)| Call::Close { host, slot }),
        (0..400u64).prop_map(|millis| Call::Step { millis }),
    ]
}

/// A link as it comes: clean (half the time), or with up to 30 % loss, 20 % duplicates, 30 %
/// reordering and 30 ms of jitter.
fn faults() -> impl Strategy<Value = LinkFaults> {
    prop_oneof![
        Just(LinkFaults::default()),
        (0.0..0.3f64, 0.0..0.2f64, 0.0..0.3f64, 0..30u64).prop_map(
            |(loss, duplicate, reorder, jitter)| LinkFaults {
                loss,
                duplicate,
                reorder,
                jitter: Duration::from_millis(jitter),
            }
        ),
    ]
}

/// Bytes written per socket, bytes read per socket, sockets that sent or received an RST,
/// sockets whose calls returned an error, and sockets their program closed (the reasons a stream
/// may stop short).
type Streams = (
    BTreeMap<SockId, Vec<u8>>,
    BTreeMap<SockId, Vec<u8>>,
    BTreeSet<SockId>,
    BTreeMap<SockId, Errno>,
    BTreeSet<SockId>,
);

struct World {
    sim: Sim,
    pids: Vec<Pid>,
    ips: Vec<Ipv4Addr>,
    /// Pairs of sockets seen connected to each other: (sender side, receiver side), both ways.
    pairs: BTreeSet<(SockId, SockId)>,
    /// Every connected TCP socket's (local, remote), as seen.
    tuples: BTreeMap<(SocketAddrV4, SocketAddrV4), BTreeSet<SockId>>,
    counter: u8,
}

impl World {
    fn new(seed: u64, links: [LinkFaults; 3]) -> World {
        let mut sim = Sim::new(seed);
        sim.set_verify_demux(true);
        let ips: Vec<Ipv4Addr> = (1..=3).map(|i| Ipv4Addr::new(10, 0, 0, i)).collect();
        let hosts: Vec<HostId> = ips
            .iter()
            .enumerate()
            .map(|(i, ip)| sim.add_host(HostSpec::new(&format!("H{i}"), *ip)).unwrap())
            .collect();
        let [f01, f12, f02] = links;
        for ((a, b), faults) in [((0, 1), f01), ((1, 2), f12), ((0, 2), f02)] {
            let mut link = LinkSpec::new(hosts[a], hosts[b]);
            link.faults = faults;
            sim.add_link(link).unwrap();
        }
        let pids: Vec<Pid> = hosts
            .iter()
            .map(|h| sim.spawn_manual(*h, "prog", "prog").unwrap())
            .collect();
        // Every host starts with a listener on 8099 (fd 3), which random calls may also close.
        for (pid, ip) in pids.iter().zip(&ips) {
            let fd = sim.socket(*pid, Proto::Tcp).unwrap();
            sim.bind(*pid, fd, SocketAddrV4::new(*ip, 8099)).unwrap();
            sim.listen(*pid, fd, 2).unwrap();
        }
        World {
            sim,
            pids,
            ips,
            pairs: BTreeSet::new(),
            tuples: BTreeMap::new(),
            counter: 0,
        }
    }

    fn fd(&self, host: usize, slot: usize) -> Option<Fd> {
        let fds: Vec<Fd> = self
            .sim
            .process(self.pids[host])?
            .fds()
            .map(|(fd, _)| fd)
            .collect();
        (!fds.is_empty()).then(|| fds[slot % fds.len()])
    }

    fn next_bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len)
            .map(|_| {
                self.counter = self.counter.wrapping_add(1);
                self.counter
            })
            .collect()
    }

    fn apply(&mut self, call: &Call) {
        // Results are ignored on purpose: errors are part of what the property explores.
        match *call {
            Call::Socket { host, udp } => {
                let _ = self
                    .sim
                    .socket(self.pids[host], if udp { Proto::Udp } else { Proto::Tcp });
            }
            Call::Dial { host, to, port } => {
                let pid = self.pids[host];
                if let Ok(fd) = self.sim.socket(pid, Proto::Tcp) {
                    let _ = self
                        .sim
                        .connect(pid, fd, SocketAddrV4::new(self.ips[to], port));
                }
            }
            Call::Talk { host, slot, len } => {
                let pid = self.pids[host];
                let connected: Vec<Fd> = self
                    .sim
                    .process(pid)
                    .map(|p| p.fds().map(|(f, _)| f).collect::<Vec<_>>())
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|fd| {
                        matches!(
                            self.sim.socket_state(pid, *fd),
                            Some(SockState::Established | SockState::CloseWait)
                        )
                    })
                    .collect();
                if !connected.is_empty() {
                    let data = self.next_bytes(len);
                    let _ = self.sim.send(pid, connected[slot % connected.len()], &data);
                }
            }
            Call::Step { millis } => {
                let t = self.sim.now() + Duration::from_millis(millis);
                self.sim.step(t);
            }
            ref other => {
                let host = match other {
                    Call::Bind { host, .. }
                    | Call::Listen { host, .. }
                    | Call::Connect { host, .. }
                    | Call::Accept { host, .. }
                    | Call::Send { host, .. }
                    | Call::Recv { host, .. }
                    | Call::ShutdownWrite { host, .. }
                    | Call::Close { host, .. } => *host,
                    _ => unreachable!(),
                };
                let slot = match other {
                    Call::Bind { slot, .. }
                    | Call::Listen { slot, .. }
                    | Call::Connect { slot, .. }
                    | Call::Accept { slot, .. }
                    | Call::Send { slot, .. }
                    | Call::Recv { slot, .. }
                    | Call::ShutdownWrite { slot, .. }
                    | Call::Close { slot, .. } => *slot,
                    _ => unreachable!(),
                };
                let Some(fd) = self.fd(host, slot) else {
                    return;
                };
                let pid = self.pids[host];
                match *other {
                    Call::Bind { port, .. } => {
                        let _ = self
                            .sim
                            .bind(pid, fd, SocketAddrV4::new(self.ips[host], port));
                    }
                    Call::Listen { backlog, .. } => {
                        let _ = self.sim.listen(pid, fd, backlog);
                    }
                    Call::Connect { to, port, .. } => {
                        let _ = self
                            .sim
                            .connect(pid, fd, SocketAddrV4::new(self.ips[to], port));
                    }
                    Call::Accept { .. } => {
                        let _ = self.sim.accept(pid, fd);
                    }
                    Call::Send { len, .. } => {
                        let data = self.next_bytes(len);
                        let _ = self.sim.send(pid, fd, &data);
                    }
                    Call::Recv { .. } => {
                        let _ = self.sim.recv(pid, fd, 1000);
                    }
                    Call::ShutdownWrite { .. } => {
                        let _ = self.sim.shutdown(pid, fd, Shutdown::Write);
                    }
                    Call::Close { .. } => {
                        let _ = self.sim.close(pid, fd);
                    }
                    _ => {}
                }
            }
        }
    }

    /// The table invariants, and who is connected to whom.
    fn check(&mut self) -> Result<(), TestCaseError> {
        let snap = self.sim.snapshot();
        for host in &snap.hosts {
            let mut listeners = BTreeSet::new();
            let mut tuples = BTreeSet::new();
            for row in &host.sockets {
                if row.state == SockState::Listen {
                    let key = (row.proto, row.local.map(|l| l.port()));
                    prop_assert!(
                        listeners.insert(key),
                        "two listeners on {key:?} on {}",
                        host.name
                    );
                }
                if let (true, Some(local), Some(remote)) =
                    (row.state.is_connected(), row.local, row.remote)
                {
                    prop_assert!(
                        tuples.insert((row.proto, local, remote)),
                        "two sockets with {local} ↔ {remote} on {}",
                        host.name
                    );
                }
            }
        }
        let mut by_tuple = BTreeMap::new();
        for host in &snap.hosts {
            for row in host
                .sockets
                .iter()
                .filter(|r| r.proto == Proto::Tcp && r.state.is_connected())
            {
                if let (Some(l), Some(r)) = (row.local, row.remote) {
                    by_tuple.insert((l, r), row.sock);
                }
            }
        }
        for (tuple, sock) in &by_tuple {
            self.tuples.entry(*tuple).or_default().insert(*sock);
        }
        for ((l, r), a) in &by_tuple {
            if let Some(b) = by_tuple.get(&(*r, *l)) {
                self.pairs.insert((*a, *b));
            }
        }
        prop_assert!(
            self.sim.demux_mismatches().is_empty(),
            "{:?}",
            self.sim.demux_mismatches()
        );
        Ok(())
    }

    /// Accept and read everything that is left, letting time run: a quarter of a second at a
    /// time for 100 s (what a clean link needs), then 5 s at a time until past the 924 s after
    /// which Linux gives up on data never acknowledged (what a faulty link may need).
    fn drain(&mut self) {
        let steps = std::iter::repeat_n(250, 400).chain(std::iter::repeat_n(5_000, 200));
        for millis in steps {
            for (host, &pid) in self.pids.iter().enumerate() {
                let fds: Vec<Fd> = self
                    .sim
                    .process(pid)
                    .map(|p| p.fds().map(|(f, _)| f).collect())
                    .unwrap_or_default();
                for fd in fds {
                    while let Ok(Some(_)) = self.sim.accept(pid, fd) {}
                    while let Ok(Recv::Data(_)) = self.sim.recv(pid, fd, 100_000) {}
                }
                let _ = host;
            }
            let t = self.sim.now() + Duration::from_millis(millis);
            self.sim.step(t);
            let _ = self.check();
        }
    }

    /// Bytes each TCP socket's process wrote and read, and the sockets an RST touched.
    fn streams(&self) -> Streams {
        let (mut sent, mut got, mut reset) = (BTreeMap::new(), BTreeMap::new(), BTreeSet::new());
        let mut failed = BTreeMap::new();
        let mut rst_segments = BTreeSet::new();
        let mut closed = BTreeSet::new();
        for e in self.sim.events() {
            match &e.kind {
                EventKind::DataSent { sock, bytes, .. } => {
                    sent.entry(*sock).or_insert_with(Vec::new).extend(bytes)
                }
                EventKind::DataDelivered {
                    sock,
                    bytes,
                    from: None,
                    ..
                } => got.entry(*sock).or_insert_with(Vec::new).extend(bytes),
                EventKind::SegmentSent(s) if s.summary.tcp().is_some_and(|t| t.flags.rst) => {
                    rst_segments.insert(s.seg);
                    // The socket that sent it was aborted: what it had not read is lost.
                    let t = s.summary.tcp().unwrap();
                    let tuple = (
                        SocketAddrV4::new(s.summary.src, t.src_port),
                        SocketAddrV4::new(s.summary.dst, t.dst_port),
                    );
                    reset.extend(self.tuples.get(&tuple).into_iter().flatten());
                }
                EventKind::SegmentDelivered { seg, decision, .. } if rst_segments.contains(seg) => {
                    if let Some(sock) = decision.socket() {
                        reset.insert(sock);
                    }
                }
                EventKind::ErrorReturned {
                    sock: Some(sock),
                    error,
                    ..
                } if matches!(error.errno, Errno::ETIMEDOUT | Errno::ECONNRESET) => {
                    failed.insert(*sock, error.errno);
                }
                // Its program closed it: what it had not read is gone (with an RST while the
                // connection is up; without one once it has ended, as on Linux).
                EventKind::FdClosed { sock, .. } => {
                    closed.insert(*sock);
                }
                _ => {}
            }
        }
        (sent, got, reset, failed, closed)
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_socket_calls_keep_the_tables_sane_and_the_streams_whole(
        seed in any::<u64>(),
        links in [faults(), faults(), faults()],
        calls in prop::collection::vec(call(), 1..60),
    ) {
        let mut world = World::new(seed, links);
        for call in &calls {
            world.apply(call);
            world.check()?;
        }
        world.drain();
        world.check()?;
        let (sent, got, reset, failed, closed) = world.streams();
        for (a, b) in &world.pairs {
            let out = sent.get(a).map(Vec::as_slice).unwrap_or_default();
            let received = got.get(b).map(Vec::as_slice).unwrap_or_default();
            prop_assert!(out.starts_with(received), "socket {} received bytes that socket {} never sent in that order", b.0, a.0);
            // A stream that stops short says why: an RST, a call that failed (a timeout), or a
            // receiver whose program closed it without reading everything.
            let why = reset.contains(a) || reset.contains(b) || failed.contains_key(a) || failed.contains_key(b) || closed.contains(b);
            if !why {
                prop_assert_eq!(out.len(), received.len(), "socket {} sent {} bytes, its peer {} read {}, and neither was reset nor got an error", a.0, out.len(), b.0, received.len());
            }
        }

    }
}

/// A case the property test found, played again: the calls, then the drain, the tables checked
/// after each.
fn replay(mut world: World, calls: &[Call]) {
    for call in calls {
        world.apply(call);
        world.check().unwrap();
    }
    world.drain();
    world.check().unwrap();
}

/// Found with faulty links: a SYN retransmitted after its SYN-ACK was lost reached a host whose
/// half-open connection for it still existed. Linux gives it to that connection (which answers
/// with its SYN-ACK again); smoltcp offered it to the port's listener first, which made a
/// second socket with the same 4-tuple.
#[test]
fn a_retransmitted_syn_goes_to_its_half_open_connection_not_to_the_listener() {
    let lossy = LinkFaults {
        loss: 0.2539391073028378,
        duplicate: 0.016422713050505786,
        reorder: 0.1442328626946868,
        jitter: Duration::from_millis(1),
    };
    let world = World::new(
        8885603830806047153,
        [LinkFaults::default(), LinkFaults::default(), lossy],
    );
    let calls = [
        Call::Dial {
            host: 1,
            to: 0,
            port: 8099,
        },
        Call::Dial {
            host: 0,
            to: 0,
            port: 80,
        },
        Call::Dial {
            host: 0,
            to: 2,
            port: 8099,
        },
        Call::Step { millis: 20 },
        Call::Close { host: 0, slot: 2 },
        Call::Dial {
            host: 2,
            to: 0,
            port: 8099,
        },
    ];
    // check() finds two sockets with one 4-tuple, or smoltcp choosing another socket.
    replay(world, &calls);
}

/// Found with a link that delays some segments: the fragments of two UDP datagrams arrived
/// interleaved. Linux reassembles several datagrams at once; the stacks now do too (four), and
/// a duplicated fragment counts once.
#[test]
fn interleaved_fragments_of_two_datagrams_both_arrive() {
    let late = LinkFaults {
        reorder: 0.026085692208351524,
        jitter: Duration::from_millis(1),
        ..LinkFaults::default()
    };
    let world = World::new(
        1914362405235177590,
        [LinkFaults::default(), late, LinkFaults::default()],
    );
    let calls = [
        Call::Socket { host: 2, udp: true },
        Call::Close { host: 2, slot: 0 },
        Call::Connect {
            host: 2,
            slot: 0,
            to: 1,
            port: 80,
        },
        Call::Send {
            host: 2,
            slot: 0,
            len: 1473,
        },
        Call::Send {
            host: 2,
            slot: 0,
            len: 1473,
        },
        Call::Dial {
            host: 1,
            to: 2,
            port: 80,
        },
    ];
    replay(world, &calls);
}
