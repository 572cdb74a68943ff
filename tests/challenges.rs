//! "What's wrong?" challenges, natively: a seed draws the same fault every time, every kind of
//! fault is drawn by some seed, each breaks the scene (its goals do not hold) and each is fixed
//! with its controls (they do).
#![cfg(not(target_arch = "wasm32"))]

use socketlab::builtin::BUILTIN;
use socketlab::lessons::challenge::{draw, Fault};
use socketlab::lessons::fix::Changes;

fn base() -> socketlab::engine::scenario::Scenario {
    BUILTIN
        .iter()
        .find(|(id, _)| *id == "node-server-8099")
        .unwrap()
        .1()
}

fn set(value: &str) -> Changes {
    [(0, value.to_string())].into_iter().collect()
}

#[test]
fn a_seed_draws_the_same_challenge_and_some_seed_draws_each_fault() {
    let base = base();
    assert_eq!(draw(&base, 42), draw(&base, 42));
    let mut seen = Vec::new();
    for seed in 0..64 {
        let fault = draw(&base, seed).unwrap().fault;
        if !seen.contains(&fault) {
            seen.push(fault);
        }
    }
    for fault in Fault::ALL {
        assert!(seen.contains(&fault), "{fault:?} is never drawn");
    }
    // A scene without the Node.js server on 8099 makes no challenge.
    let other = BUILTIN
        .iter()
        .find(|(id, _)| *id == "web-server-80")
        .unwrap()
        .1();
    assert_eq!(draw(&other, 1), None);
}

#[test]
fn each_fault_breaks_the_scene_and_its_controls_fix_it() {
    let base = base();
    let mut done = Vec::new();
    for seed in 0..64 {
        let challenge = draw(&base, seed).unwrap();
        if done.contains(&challenge.fault) {
            continue;
        }
        done.push(challenge.fault);
        let fix = &challenge.fix;
        let broken = fix.check(&Changes::new());
        assert!(
            !broken.correct,
            "{:?}: {}",
            challenge.fault, broken.feedback
        );
        let fixed = fix.check(&set(match challenge.fault {
            Fault::OtherPort => "8099",
            Fault::FirewallDrop | Fault::FirewallReject => "off",
            Fault::PortInUse => "8100",
            Fault::WrongAddress => "Server",
            Fault::NotListening => "8099",
        }));
        assert!(fixed.correct, "{:?}: {}", challenge.fault, fixed.feedback);
        // What the learner reads about the broken scene names what happened.
        let said = match challenge.fault {
            Fault::OtherPort => "ECONNREFUSED",
            Fault::FirewallDrop => "dropped",
            Fault::FirewallReject => "ECONNREFUSED",
            Fault::PortInUse => "EADDRINUSE",
            Fault::WrongAddress => "dropped",
            Fault::NotListening => "never listens",
        };
        assert!(
            broken.feedback.contains(said),
            "{:?}: {}",
            challenge.fault,
            broken.feedback
        );
    }
    assert_eq!(done.len(), Fault::ALL.len());
}

/// The host a client connects to is a control: a host of the setup or an IPv4 address; anything
/// else changes nothing and says why.
#[test]
fn the_host_a_client_connects_to_is_set_by_name_or_address() {
    let base = base();
    let challenge = (0..64)
        .filter_map(|seed| draw(&base, seed))
        .find(|c| c.fault == Fault::WrongAddress)
        .unwrap();
    let fix = &challenge.fix;
    let s = &fix.scenario;
    assert!(fix.controls[0].current(s).starts_with("192.168.1."));
    assert!(
        fix.check(&set("192.168.1.102")).correct,
        "the server's address"
    );
    let refused = fix.check(&set("Nowhere"));
    assert!(!refused.correct);
    assert!(
        refused
            .feedback
            .contains("\"Nowhere\" is not an IPv4 address or the name of a host in this setup"),
        "{}",
        refused.feedback
    );
}
