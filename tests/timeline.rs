//! The timeline's snapshots are the engine's snapshots: at every moment, going forward or
//! backward, and under network faults.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::net::SocketAddrV4;

use common::*;
use proptest::prelude::*;
use socketlab::engine::net::SERVER_IP;
use socketlab::engine::time::{ms, Duration, Instant};
use socketlab::engine::*;

/// The Node.js example with three clients, on a lossy, duplicating, reordering, jittery link
/// that also goes down for a while, and a firewall that rejects port 8080.
fn busy(seed: u64) -> Sim {
    let mut sim = Sim::course_default(seed);
    let (client, server) = (HostId(0), HostId(1));
    let phone = sim
        .add_host(HostSpec::new("Phone", "192.168.1.103".parse().unwrap()))
        .unwrap();
    let mut link = LinkSpec::new(phone, server);
    link.faults = LinkFaults {
        loss: 0.15,
        duplicate: 0.1,
        reorder: 0.1,
        jitter: Duration::from_millis(7),
    };
    sim.add_link(link).unwrap();
    sim.add_firewall_rule(
        server,
        FirewallRule {
            proto: Proto::Tcp,
            port: 8080,
            verdict: Verdict::Reject,
        },
    )
    .unwrap();
    sim.spawn(server, AppSpec::server(AppKind::NodeServer, 8099))
        .unwrap();
    sim.spawn(
        client,
        AppSpec::client(AppKind::WebBrowser, node_addr()).at(ms(100)),
    )
    .unwrap();
    sim.spawn(
        client,
        AppSpec::client(AppKind::Curl, SocketAddrV4::new(SERVER_IP, 8080)).at(ms(150)),
    )
    .unwrap();
    for i in 0..4 {
        sim.spawn(
            phone,
            AppSpec::client(AppKind::MobileApp, node_addr()).at(ms(120 + i * 300)),
        )
        .unwrap();
    }
    sim.schedule_net(
        ms(700),
        NetChange::Link {
            link: LinkId(1),
            up: false,
        },
    )
    .unwrap();
    sim.schedule_net(
        ms(2500),
        NetChange::Link {
            link: LinkId(1),
            up: true,
        },
    )
    .unwrap();
    sim
}

const END: i64 = 120_000;

#[test]
fn every_moment_of_the_timeline_equals_the_engine_snapshot() {
    let timeline = Timeline::record(busy(11), ms(END));
    let moments = timeline.moments();
    assert!(moments.len() > 40, "a busy run: {} moments", moments.len());
    let kinds = |f: fn(&EventKind) -> bool| timeline.events().iter().filter(|e| f(&e.kind)).count();
    assert!(
        kinds(|k| matches!(
            k,
            EventKind::SegmentDropped {
                reason: DropReason::Lost,
                ..
            }
        )) > 0,
        "losses happened"
    );
    assert!(
        kinds(|k| matches!(k, EventKind::SegmentSent(s) if s.copy_of.is_some())) > 0,
        "duplicates happened"
    );
    assert!(
        kinds(|k| matches!(
            k,
            EventKind::SegmentDropped {
                reason: DropReason::LinkDown,
                ..
            }
        )) > 0
    );
    assert!(
        kinds(|k| matches!(
            k,
            EventKind::SegmentDropped {
                reason: DropReason::Firewall { .. },
                ..
            }
        )) > 0
    );

    // Walk one live engine forward through every moment and half-way between moments.
    let mut sim = busy(11);
    let mut times: Vec<Instant> = moments.clone();
    times.extend(
        moments
            .windows(2)
            .map(|w| w[0] + Duration::from_micros((w[1] - w[0]).total_micros() / 2)),
    );
    times.sort();
    times.dedup();
    for t in times {
        sim.step(t);
        assert_eq!(timeline.seek(t), sim.snapshot(), "at {t}");
    }
    // And backwards: seeking is exact whatever came before.
    for t in moments.iter().rev().step_by(7) {
        let mut fresh = busy(11);
        fresh.step(*t);
        assert_eq!(timeline.seek(*t), fresh.snapshot(), "backwards at {t}");
    }
}

#[test]
fn stepping_moves_from_event_to_event() {
    let timeline = Timeline::record(busy(3), ms(END));
    let first = timeline
        .next_event(Instant::ZERO - Duration::from_micros(1))
        .unwrap_or(Instant::ZERO);
    assert_eq!(first, Instant::ZERO, "setting up happens at 0");
    let t = ms(100);
    let next = timeline.next_event(t).unwrap();
    assert!(next > t);
    assert_eq!(
        timeline.previous_event(next),
        Some(timeline.moments().into_iter().rfind(|m| *m < next).unwrap())
    );
    assert_eq!(timeline.next_event(timeline.end()), None);
    assert_eq!(timeline.previous_event(Instant::ZERO), None);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// seek(t1) then seek(t2) equals a fresh seek(t2), and replaying the engine to t2 yields
    /// byte-identical events.
    #[test]
    fn seeking_is_deterministic(seed in 0u64..1000, t1 in 0i64..4000, t2 in 0i64..4000) {
        let timeline = Timeline::record(busy(seed), ms(END));
        let _ = timeline.seek(ms(t1));
        let after_detour = timeline.seek(ms(t2));
        let fresh = Timeline::record(busy(seed), ms(END));
        prop_assert_eq!(&after_detour, &fresh.seek(ms(t2)));

        let mut replay = busy(seed);
        replay.step(ms(t2));
        let n = timeline.events_until(ms(t2));
        prop_assert_eq!(&timeline.events()[..n], replay.events());
        prop_assert_eq!(&after_detour, &replay.snapshot());
    }
}
