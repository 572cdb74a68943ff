//! Goals checked against recorded runs: each kind holds where the scene does what it says, and
//! where it does not, says what happened instead, from the events.
#![cfg(not(target_arch = "wasm32"))]

use socketlab::builtin::BUILTIN;
use socketlab::engine::event::DropReason;
use socketlab::engine::faults::Verdict;
use socketlab::engine::socket::{Errno, SockState};
use socketlab::engine::timeline::Recording;
use socketlab::lessons::goals::{check, Goal, Miss};

/// A shipped scene's run, and the checks of goals against it.
fn run(id: &str) -> impl Fn(&Goal) -> Result<(), Miss> {
    let (_, make) = BUILTIN.iter().find(|(s, _)| *s == id).unwrap();
    let scenario = make();
    let run = Recording::of(scenario.build_trusted(), scenario.run_limit());
    move |goal| check(goal, &run, &scenario)
}

fn established(host: &str, port: u16, count: u32) -> Goal {
    Goal::Established {
        host: host.into(),
        port,
        count,
    }
}

#[test]
fn clients_at_once_hold_as_many_established_sockets_on_the_servers_port() {
    let r = run("many-clients");
    // The browser's two tabs, curl and the phone's app.
    assert_eq!(r(&established("Server", 8099, 4)), Ok(()));
    assert_eq!(r(&established("Server", 8099, 5)), Err(Miss::AtMost(4)));
    // Not on another port, and not on a host there is not.
    assert_eq!(r(&established("Server", 80, 1)), Err(Miss::AtMost(0)));
    assert_eq!(r(&established("Laptop", 8099, 1)), Err(Miss::NoHost));
    for who in ["curl", "app", "browser"] {
        assert_eq!(r(&Goal::Connects(who.into())), Ok(()), "{who}");
        assert_eq!(r(&Goal::Replies(who.into())), Ok(()), "{who}");
    }
    assert_eq!(r(&Goal::Listens("node".into())), Ok(()));
    assert_eq!(r(&Goal::NoDrops), Ok(()));
}

#[test]
fn a_refused_connection_fails_with_the_error_the_client_got() {
    let r = run("connection-refused");
    match r(&Goal::Replies("curl".into())) {
        Err(Miss::Failed(e)) => assert_eq!(e.errno, Errno::ECONNREFUSED),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        r(&Goal::Connects("curl".into())),
        Err(Miss::Failed(_))
    ));
    // The server listens all the same; a process there is not is said so.
    assert_eq!(r(&Goal::Listens("node".into())), Ok(()));
    assert_eq!(r(&Goal::Replies("wget".into())), Err(Miss::NoProcess));
}

#[test]
fn a_firewall_that_drops_syns_breaks_no_drops_with_its_reason() {
    let r = run("syn-timeout");
    match r(&Goal::NoDrops) {
        Err(Miss::Dropped { count, first }) => {
            assert!(count >= 2, "the SYN and its retries: {count}");
            assert_eq!(
                first,
                DropReason::Firewall {
                    verdict: Verdict::Drop
                }
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_side_that_closes_first_reaches_time_wait() {
    let r = run("server-closes-first");
    let reaches = |host: &str, state| Goal::Reaches {
        host: host.into(),
        state,
    };
    assert_eq!(r(&reaches("Server", SockState::TimeWait)), Ok(()));
    assert_eq!(
        r(&reaches("Client PC", SockState::TimeWait)),
        Err(Miss::Never)
    );
    assert_eq!(r(&reaches("Client PC", SockState::LastAck)), Ok(()));
}

/// Every kind of goal reads from a lesson file, and a goal that is not one is a problem with
/// its path.
#[test]
fn goals_read_from_a_lesson_file() {
    let base = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons/13-connection-refused.toml"),
    )
    .unwrap();
    let with = |goals: &str| {
        socketlab::lessons::file::from_toml(&base.replace(
            "question.goals = [{ replies = \"curl\" }]",
            &format!("question.goals = {goals}"),
        ))
    };
    let lesson = with(
        r#"[{ replies = "curl" }, { no_drops = true }, { established = { host = "Server", port = 8099, count = 1 } }, { reaches = { host = "Client PC", state = "TIME-WAIT" } }, { connects = "curl" }, { listens = "node" }]"#,
    )
    .unwrap();
    let fix = lesson
        .steps
        .iter()
        .find_map(|s| {
            s.question
                .as_ref()
                .and_then(|q| q.ask.fix_it(&Default::default()))
        })
        .unwrap();
    assert_eq!(fix.goals.len(), 6);
    assert_eq!(
        fix.goals[3],
        Goal::Reaches {
            host: "Client PC".into(),
            state: SockState::TimeWait
        }
    );
    for (bad, said) in [
        (
            r#"[{ reaches = { host = "Server", state = "WAITING" } }]"#,
            "is not a TCP state",
        ),
        (r#"[{ no_drops = false }]"#, "must be true"),
        (
            r#"[{ replies = "curl", listens = "node" }]"#,
            "name one goal",
        ),
        (r#"[{ arrives = "curl" }]"#, "unknown field"),
        (
            r#"[{ established = { host = "Server", port = 0, count = 1 } }]"#,
            "out of range",
        ),
    ] {
        let problems = with(bad).unwrap_err();
        assert!(
            problems
                .iter()
                .any(|p| p.message().contains(said) && p.path.contains("goals[0]")),
            "{bad}: {problems:?}"
        );
    }
}

/// A fix with two goals says how each one went: left as it is, curl times out and the SYNs are
/// dropped, each said; with the rule off, both hold.
#[test]
fn a_fix_says_how_each_of_its_goals_went() {
    use socketlab::engine::scenario;
    use socketlab::lessons::fix::{Control, FixIt};
    let path = format!("{}/scenarios/syn-timeout.toml", env!("CARGO_MANIFEST_DIR"));
    let fix = FixIt {
        scenario: scenario::from_toml(&std::fs::read_to_string(path).unwrap()).unwrap(),
        controls: vec![Control::FirewallRule { index: 0 }],
        goals: vec![Goal::Replies("curl".into()), Goal::NoDrops],
    };
    let set = |v: &str| [(0, v.to_string())].into_iter().collect();
    let left = fix.check(&set("on"));
    assert!(!left.correct);
    assert!(
        left.feedback
            .starts_with("Not yet: curl still fails: connect: ETIMEDOUT")
            && left.feedback.contains(" Not yet: ")
            && left.feedback.contains(
                "segments were dropped; the first: a firewall rule drops traffic to this port."
            ),
        "{}",
        left.feedback
    );
    let fixed = fix.check(&set("off"));
    assert!(fixed.correct, "{}", fixed.feedback);
    assert_eq!(
        fixed.feedback,
        "It works: curl connected and got its reply. It works: no segment was dropped."
    );
}
