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

/// The shipped challenge lesson: each fault's drawn lesson answers its diagnose question with
/// that fault (every other cause gets feedback of its own, about what that fault would have
/// shown), and its fix question with the draw's controls, whose solution holds and whose wrong
/// value does not. The lint holds it fault by fault, and catches a challenge that no longer holds.
#[test]
fn the_challenge_lesson_is_held_fault_by_fault() {
    use socketlab::lessons::{self, Answer, Ask};
    let template = lessons::words::shipped()
        .into_iter()
        .find(|l| l.challenge)
        .expect("a challenge ships");
    let base = base();
    assert!(lessons::lint(&template, &base).is_empty());
    for fault in Fault::ALL {
        let drawn = socketlab::lessons::challenge::Drawn::all()
            .into_iter()
            .find(|d| d.fault == fault)
            .unwrap();
        let setup = socketlab::lessons::challenge::setup(&base, drawn).unwrap();
        let lesson = lessons::challenge::lesson(&template, fault, &setup).unwrap();
        let timeline =
            socketlab::engine::Timeline::record(setup.build().unwrap(), setup.run_limit());
        let diagnose = lesson
            .steps
            .iter()
            .find_map(|s| {
                s.question
                    .as_ref()
                    .filter(|q| matches!(q.ask, Ask::Diagnose { .. }))
                    .map(|q| (s, q))
            })
            .unwrap();
        let (step, q) = diagnose;
        assert_eq!(q.ask.solution(), Answer::Choice(fault.key().into()));
        // Its explanation is the drawn fault's.
        let explain = q.explain.as_ref().unwrap().get("en");
        assert!(!explain.is_empty());
        let right = q
            .ask
            .judge(&step.at, &timeline, &setup, &q.ask.solution())
            .unwrap();
        assert!(right.verdict.correct, "{fault:?}");
        let wrongs = q.ask.wrong_answers();
        assert_eq!(wrongs.len(), Fault::ALL.len() - 1);
        for w in wrongs {
            let j = q.ask.judge(&step.at, &timeline, &setup, &w).unwrap();
            assert!(
                !j.verdict.correct && !j.verdict.feedback.is_empty(),
                "{fault:?} {w:?}"
            );
        }
    }
    // A challenge that no longer holds (here, every cause's feedback the same) fails the lint,
    // with the setup it was drawn with.
    let mut broken = template.clone();
    for q in broken.steps.iter_mut().filter_map(|s| s.question.as_mut()) {
        if let Ask::Diagnose { causes, .. } = &mut q.ask {
            for c in causes.iter_mut() {
                c.why = causes_first_why(&template);
            }
        }
    }
    let problems = lessons::lint(&broken, &base);
    assert!(
        problems.iter().any(
            |p| p.message().contains("with the fault") && p.message().contains("same feedback")
        ),
        "{problems:?}"
    );
}

/// A challenge's page has the code of a challenge's questions only: a challenge's file with
/// another kind of question, or a "try it", is refused.
#[test]
fn a_challenge_asks_only_its_own_kinds_of_question() {
    let text = std::fs::read_to_string("lessons/17-whats-wrong.toml").unwrap();
    assert!(socketlab::lessons::file::from_toml(&text).is_ok());
    let choose = text.replacen(
        "question.kind = \"diagnose\"",
        "try_it = \"Server\"\nquestion.kind = \"choose\"\nquestion.explain = { en = \"x\", zh-Hant = \"x\" }",
        1,
    );
    let problems = socketlab::lessons::file::from_toml(&choose).unwrap_err();
    let said: Vec<String> = problems.iter().map(|p| p.message()).collect();
    assert!(
        said.iter()
            .any(|m| m.contains("only diagnose and fix questions, not \"choose\"")),
        "{said:?}"
    );
    assert!(
        said.iter()
            .any(|m| m.contains("no \"try it on your machine\"")),
        "{said:?}"
    );
}

fn causes_first_why(l: &socketlab::lessons::Lesson) -> socketlab::lessons::Text {
    l.steps
        .iter()
        .filter_map(|s| s.question.as_ref())
        .find_map(|q| match &q.ask {
            socketlab::lessons::Ask::Diagnose { causes, .. } => Some(causes[0].why.clone()),
            _ => None,
        })
        .unwrap()
}

/// A challenge's progress: each seed is an attempt; a new one puts the last one's questions
/// away but keeps its hints, its best score and whether it passed (counted once, and only for
/// the learner's own fix).
#[test]
fn a_challenges_progress_counts_attempts_passes_and_hints() {
    use socketlab::lessons::Progress;
    let mut p = Progress::new();
    p.drew("whats-wrong", 42, 2);
    p.drew("whats-wrong", 42, 2);
    p.hinted("whats-wrong", 1);
    p.answered("whats-wrong", 1, false);
    p.answered("whats-wrong", 1, true);
    p.passed("whats-wrong", 2);
    p.answered("whats-wrong", 2, true);
    // Answered again after it is done: not another pass.
    p.passed("whats-wrong", 2);
    let l = &p.lessons["whats-wrong"];
    let c = l.challenge.clone().unwrap();
    assert_eq!((c.seed, c.started, c.passed), (42, 1, 1));
    assert!(l.complete(2));
    assert_eq!(l.score(2), 75, "(50 with a hint + 100) / 2");
    p.drew("whats-wrong", 7, 2);
    p.shown("whats-wrong", 2);
    p.passed("whats-wrong", 2);
    let l = &p.lessons["whats-wrong"];
    let c = l.challenge.clone().unwrap();
    assert_eq!(
        (c.seed, c.started, c.passed, c.hints, c.best),
        (7, 2, 1, 1, 75)
    );
    assert!(
        l.questions.get(&1).is_none(),
        "the new attempt starts afresh"
    );
    assert!(l.complete(2), "passed once: the lesson is done");
    assert_eq!(l.score(2), 75, "its best attempt");
    assert_eq!(l.hints(), 1);
    // Back to the first attempt (the browser's Back, an old link): taken up again from its
    // first step, not a new attempt; passing it again is not a second pass.
    p.drew("whats-wrong", 42, 2);
    p.passed("whats-wrong", 2);
    let c = p.lessons["whats-wrong"].challenge.clone().unwrap();
    assert_eq!((c.seed, c.started, c.passed), (42, 2, 1));
    assert_eq!((c.earlier, c.closed), (vec![7], vec![42, 7]));
    // Back to the second, whose solution was shown: taken up again, it cannot pass either.
    p.drew("whats-wrong", 7, 2);
    p.passed("whats-wrong", 2);
    assert_eq!(
        p.lessons["whats-wrong"].challenge.as_ref().unwrap().passed,
        1
    );
    // A third, left unpassed and taken up again later: passing it then counts, once.
    p.drew("whats-wrong", 99, 2);
    p.drew("whats-wrong", 42, 2);
    p.drew("whats-wrong", 99, 2);
    p.passed("whats-wrong", 2);
    p.drew("whats-wrong", 42, 2);
    p.drew("whats-wrong", 99, 2);
    p.passed("whats-wrong", 2);
    let c = p.lessons["whats-wrong"].challenge.clone().unwrap();
    assert_eq!((c.seed, c.started, c.passed), (99, 3, 2));
    assert_eq!((c.earlier, c.closed), (vec![7, 42], vec![42, 7, 99]));
    // Kept and exported as it is.
    assert_eq!(Progress::parse(&p.to_json()), Ok(p.clone()));
    // A record exported before earlier attempts were kept still reads (with none).
    let old = p
        .to_json()
        .replace(", \"earlier\": [7, 42], \"closed\": [42, 7, 99]", "");
    assert_ne!(old, p.to_json());
    let read = Progress::parse(&old).unwrap();
    let c = read.lessons["whats-wrong"].challenge.clone().unwrap();
    assert!(c.earlier.is_empty() && c.closed.is_empty());
    // The seeds kept are capped: the 100 latest earlier attempts, each still taken up again.
    let mut q = Progress::new();
    for seed in 1..=150 {
        q.drew("whats-wrong", seed, 2);
    }
    q.drew("whats-wrong", 50, 2);
    let c = q.lessons["whats-wrong"].challenge.clone().unwrap();
    assert_eq!(c.earlier.len(), socketlab::lessons::progress::REMEMBERED);
    assert_eq!(
        c.started, 150,
        "seed 50 is among the 100 latest before 150: taken up again"
    );
    q.drew("whats-wrong", 150, 2);
    assert_eq!(
        q.lessons["whats-wrong"].challenge.as_ref().unwrap().started,
        150
    );
    // A damaged record is refused, as any damaged progress is.
    let damaged = p
        .to_json()
        .replace("\"started\": 3", "\"started\": \"three\"");
    assert_ne!(damaged, p.to_json());
    assert!(Progress::parse(&damaged).is_err());
}

/// `tests/data/challenge-seeds.json`: a seed that draws each kind of fault, with the value that
/// fixes it, for the end-to-end test that diagnoses and fixes one of each by touch
/// (`UPDATE_SHIPPED=1` writes it).
#[test]
fn the_end_to_end_tests_seeds_draw_each_fault() {
    let base = base();
    let mut lines = Vec::new();
    for fault in Fault::ALL {
        let (seed, c) = (1..200)
            .filter_map(|seed| draw(&base, seed).map(|c| (seed, c)))
            .find(|(_, c)| c.fault == fault)
            .unwrap();
        let wrong: Vec<&str> = Fault::ALL
            .iter()
            .filter(|f| **f != fault)
            .map(|f| f.key())
            .collect();
        lines.push(format!(
            "  {{ \"fault\": \"{}\", \"seed\": {seed}, \"fix\": \"{}\", \"wrong\": \"{}\" }}",
            fault.key(),
            c.solution[&0],
            wrong[seed as usize % wrong.len()]
        ));
    }
    let json = format!("[\n{}\n]\n", lines.join(",\n"));
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/challenge-seeds.json");
    if std::env::var_os("UPDATE_SHIPPED").is_some() {
        std::fs::write(&path, &json).unwrap();
    }
    assert_eq!(
        std::fs::read_to_string(&path).unwrap_or_default(),
        json,
        "UPDATE_SHIPPED=1 cargo test --test challenges writes it"
    );
}

/// Every setup a seed can draw ships with its recorded run (`recordings/<id>.bin`, as a shipped
/// scene does), which the page plays: a challenge needs no engine to start. The runs are the
/// engine's own, and each seed's setup is one of them. `UPDATE_SHIPPED=1 cargo test --test
/// challenges` writes them.
#[test]
fn every_setup_a_seed_draws_ships_with_its_run() {
    use socketlab::engine::scene_file::{decode, encode};
    use socketlab::engine::timeline::Recording;
    use socketlab::lessons::challenge::{setup, Drawn};
    let base = base();
    let all = Drawn::all();
    assert_eq!(all.len(), 10);
    for drawn in &all {
        let id = drawn.scene();
        let scenario = setup(&base, *drawn).unwrap();
        let run = Recording::of(scenario.build_trusted(), scenario.run_limit());
        let bytes = encode(&id, &scenario, &run);
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("recordings/{id}.bin"));
        if std::env::var_os("UPDATE_SHIPPED").is_some() {
            std::fs::write(&path, &bytes).unwrap();
        }
        let shipped = std::fs::read(&path).unwrap_or_default();
        assert!(
            shipped == bytes,
            "recordings/{id}.bin is out of date: run UPDATE_SHIPPED=1 cargo test --test challenges"
        );
        let (read, _) = decode(&shipped, &id).unwrap();
        assert_eq!(read.actions, scenario.actions, "{id}");
        assert_eq!(read.firewall, scenario.firewall, "{id}");
    }
    for seed in 0..500 {
        assert!(all.contains(&Drawn::of(seed)), "seed {seed}");
        assert_eq!(draw(&base, seed).unwrap().fault, Drawn::of(seed).fault);
    }
}
