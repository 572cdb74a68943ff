//! Lessons' questions, judged against the scene at their moment: the course's Node.js server
//! on 8099 and curl from 10378 (the slides' scene), and a connection refused.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use socketlab::vecmap::VecMap;
use std::net::SocketAddrV4;

use common::*;
use socketlab::engine::net::SERVER_IP;
use socketlab::engine::scenario::{self, Scenario};
use socketlab::engine::time::ms;
use socketlab::engine::*;
use socketlab::lessons::{
    self, Cell, Changes, Choose, Control, Fact, FillTable, FixIt, Goal, Moment, Pick, Predict,
    SceneError,
};

/// The slides' scene, recorded: its segments are 1 SYN, 2 SYN-ACK, 3 ACK, 4 the request,
/// 5 the reply, then the close.
fn slides() -> Timeline {
    let (sim, _, _, _) = node_and_curl();
    Timeline::record(sim, ms(10_000))
}

fn socket(host: &str, socket: usize) -> Pick {
    Pick::Socket {
        host: host.to_string(),
        socket,
    }
}

#[test]
fn a_syn_goes_to_the_listening_socket_and_other_picks_are_told_why_not() {
    let t = slides();
    let q = Predict { segment: 1 };
    let (pick, reason) = q.answer(&t).unwrap();
    assert_eq!(pick, socket("Server", 1));
    assert_eq!(
        reason,
        "no connection matches, but a socket listens on this port".into()
    );
    let right = q.check(&t, &socket("Server", 1)).unwrap();
    assert!(right.correct, "{right:?}");
    let wrong = q.check(&t, &Pick::NoSocket).unwrap();
    assert!(!wrong.correct);
    assert!(
        wrong
            .feedback
            .starts_with("A socket receives it: no connection matches"),
        "{}",
        wrong.feedback
    );
    let elsewhere = q.check(&t, &socket("Client PC", 1)).unwrap();
    assert_eq!(
        elsewhere.feedback,
        "This segment is going to Server, not to Client PC."
    );
    let missing = q.check(&t, &socket("Server", 3)).unwrap();
    assert_eq!(missing.feedback, "Server has no Socket 3 at this moment.");
}

#[test]
fn the_request_goes_to_the_connection_socket_not_the_listener() {
    let t = slides();
    let q = Predict { segment: 4 };
    assert_eq!(q.answer(&t).unwrap().0, socket("Server", 2));
    let wrong = q.check(&t, &socket("Server", 1)).unwrap();
    assert!(!wrong.correct);
    assert_eq!(
        wrong.feedback,
        "The listener only receives new connections: this segment's 4-tuple (192.168.1.101:10378 → 192.168.1.102:8099) matches Socket 2 exactly."
    );
    // The reply comes back to curl's socket, the client's only one.
    assert_eq!(
        Predict { segment: 5 }.answer(&t).unwrap().0,
        socket("Client PC", 1)
    );
}

#[test]
fn a_syn_to_a_port_nobody_listens_on_goes_to_no_socket() {
    let (mut sim, client, server) = course();
    sim.spawn(server, AppSpec::server(AppKind::NodeServer, 8099))
        .unwrap();
    sim.spawn(
        client,
        AppSpec::client(AppKind::Curl, SocketAddrV4::new(SERVER_IP, 8080)).at(ms(100)),
    )
    .unwrap();
    let t = Timeline::record(sim, ms(10_000));
    let q = Predict { segment: 1 };
    assert_eq!(q.answer(&t).unwrap().0, Pick::NoSocket);
    assert!(q.check(&t, &Pick::NoSocket).unwrap().correct);
    let wrong = q.check(&t, &socket("Server", 1)).unwrap();
    assert!(
        wrong
            .feedback
            .starts_with("No socket receives it: no socket matches"),
        "{}",
        wrong.feedback
    );
}

/// The slide "Server creates socket & process": the server's Socket 2, when it appears, is
/// 8099 at 192.168.1.102 to 10378 at 192.168.1.101; Socket 1 still has no destination.
#[test]
fn the_servers_new_socket_is_filled_in_from_the_table_at_that_moment() {
    let t = slides();
    let all = vec![
        Cell::SourcePort,
        Cell::SourceAddr,
        Cell::DestPort,
        Cell::DestAddr,
    ];
    let q = FillTable {
        at: Moment::SocketAppears {
            host: "Server".into(),
            socket: 2,
        },
        host: "Server".into(),
        socket: 2,
        cells: all.clone(),
    };
    let expected: VecMap<Cell, String> = [
        (Cell::SourcePort, "8099"),
        (Cell::SourceAddr, "192.168.1.102"),
        (Cell::DestPort, "10378"),
        (Cell::DestAddr, "192.168.1.101"),
    ]
    .into_iter()
    .map(|(c, v)| (c, v.to_string()))
    .collect();
    assert_eq!(q.answer(&t).unwrap(), expected);
    let verdicts = q.check(&t, &expected).unwrap();
    assert!(verdicts.values().all(|v| v.correct), "{verdicts:#?}");
    let mut given = expected.clone();
    given.insert(Cell::DestPort, "n/a".into());
    given.remove(&Cell::DestAddr);
    let verdicts = q.check(&t, &given).unwrap();
    assert!(verdicts[&Cell::SourcePort].correct);
    assert_eq!(
        verdicts[&Cell::DestPort].feedback,
        "Destination Port is not n/a: a connected socket's destination is the other end of its connection."
    );
    assert_eq!(
        verdicts[&Cell::DestAddr].feedback,
        "Destination IP Addr is still empty."
    );
    let listener = FillTable {
        socket: 1,
        ..q.clone()
    };
    let mut wrong = listener.answer(&t).unwrap();
    assert_eq!(wrong[&Cell::DestPort], "n/a");
    wrong.insert(Cell::DestPort, "10378".into());
    assert_eq!(
        listener.check(&t, &wrong).unwrap()[&Cell::DestPort].feedback,
        "Destination Port is not 10378: a listening socket has no peer: each connection it receives gets a socket of its own."
    );
}

#[test]
fn a_moment_the_scene_never_reaches_is_an_error_that_says_so() {
    let t = slides();
    let appears = |host: &str, socket| Moment::SocketAppears {
        host: host.into(),
        socket,
    };
    assert_eq!(
        appears("Server", 5).resolve(&t),
        Err(SceneError::NoSuchSocket {
            host: "Server".into(),
            socket: 5
        })
    );
    assert_eq!(
        appears("Nope", 1).resolve(&t).unwrap_err().to_string(),
        "the scene has no host named \"Nope\""
    );
    assert_eq!(
        Moment::BeforeSegment(99)
            .resolve(&t)
            .unwrap_err()
            .to_string(),
        "segment 99 never arrives at a host in this scene"
    );
    // Just before segment 1 arrives, the server listens and nothing else has happened there.
    let n = Moment::BeforeSegment(1).resolve(&t).unwrap();
    let before = t.seek_events(n);
    assert_eq!(before.host("Server").unwrap().sockets.len(), 1);
    assert!(Moment::At(ms(0)).resolve(&t).unwrap() <= n);
}

/// The right option is computed: the ephemeral port curl got (10378 in the slides), the state
/// of its socket when the server's new socket appears, the port the registry gives MongoDB
/// (27017: the slide's 27107 is a typo), the IANA range a port is in. A wrong option gets the
/// lesson's word on it, and one the lesson has no word on gets a plain "not the answer".
#[test]
fn a_choice_is_judged_by_what_the_scene_and_the_registry_say() {
    let t = slides();
    let client_port = Choose {
        at: Moment::SocketAppears {
            host: "Server".into(),
            socket: 2,
        },
        fact: Fact::SourcePort {
            host: "Client PC".into(),
            socket: 1,
        },
        options: vec!["80".into(), "8099".into(), "10378".into()],
    };
    assert_eq!(client_port.answer(&t).unwrap(), "10378");
    assert!(client_port.check(&t, "10378", None).unwrap().correct);
    let why = "80 is the server's end.";
    let judged = client_port.check(&t, "80", Some(why)).unwrap();
    assert_eq!((judged.correct, judged.feedback.as_str()), (false, why));
    assert_eq!(
        client_port.check(&t, "8099", None).unwrap().feedback,
        "That is not the answer."
    );
    let state = Choose {
        fact: Fact::State {
            host: "Client PC".into(),
            socket: 1,
        },
        options: vec!["SYN-SENT".into(), "ESTABLISHED".into(), "TIME-WAIT".into()],
        ..client_port.clone()
    };
    // When the SYN makes the server's Socket 2, its SYN-ACK has not reached curl yet.
    assert_eq!(state.answer(&t).unwrap(), "SYN-SENT");
    assert!(!state.check(&t, "ESTABLISHED", None).unwrap().correct);
    let mongo = Choose {
        at: Moment::At(ms(0)),
        fact: Fact::ServicePort("mongodb".into()),
        options: vec!["27017".into(), "27107".into(), "28017".into()],
    };
    assert_eq!(mongo.answer(&t).unwrap(), "27017");
    let range = Choose {
        fact: Fact::PortRange(27017),
        ..mongo.clone()
    };
    assert_eq!(range.answer(&t).unwrap(), "1024–49151");
    let unknown = Choose {
        fact: Fact::ServicePort("gopher+".into()),
        ..mongo
    };
    assert_eq!(
        unknown.answer(&t).unwrap_err().to_string(),
        "the port registry has no service named \"gopher+\""
    );
}

fn shipped(stem: &str) -> Scenario {
    let path = format!("{}/scenarios/{stem}.toml", env!("CARGO_MANIFEST_DIR"));
    scenario::from_toml(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn changes(list: &[(usize, &str)]) -> Changes {
    list.iter().map(|(i, v)| (*i, v.to_string())).collect()
}

/// curl asks for 8080 where nothing listens. Either end can be fixed: curl connects to 8099,
/// or the server listens on 8080. Left as it is, curl is refused; a port that is not a number
/// changes nothing and says why.
#[test]
fn connection_refused_is_fixed_by_either_port_and_the_check_runs_the_setup() {
    let fix = FixIt {
        scenario: shipped("connection-refused"),
        controls: vec![
            Control::ConnectPort {
                process: "curl".into(),
            },
            Control::ListenPort {
                process: "node".into(),
            },
        ],
        goals: vec![Goal::Replies("curl".into())],
    };
    let broken = fix.check(&Changes::new());
    assert!(!broken.correct);
    assert!(
        broken.feedback.contains("ECONNREFUSED"),
        "{}",
        broken.feedback
    );
    assert!(fix.check(&changes(&[(0, "8099")])).correct);
    assert!(fix.check(&changes(&[(1, "8080")])).correct);
    let still = fix.check(&changes(&[(0, "8081")]));
    assert!(
        still.feedback.contains("ECONNREFUSED"),
        "{}",
        still.feedback
    );
    assert_eq!(
        fix.check(&changes(&[(0, "http")])).feedback,
        "That cannot be set: \"http\" is not a port (a number from 1 to 65535)."
    );
    assert_eq!(
        fix.apply(&changes(&[(5, "1")])).unwrap_err(),
        "there is no control number 6"
    );
}

/// A firewall drops the SYNs and curl times out; switching the rule off fixes it.
#[test]
fn a_syn_timeout_is_fixed_by_switching_the_firewall_rule_off() {
    let fix = FixIt {
        scenario: shipped("syn-timeout"),
        controls: vec![Control::FirewallRule { index: 0 }],
        goals: vec![Goal::Replies("curl".into())],
    };
    let broken = fix.check(&Changes::new());
    assert!(broken.feedback.contains("ETIMEDOUT"), "{}", broken.feedback);
    assert!(!fix.check(&changes(&[(0, "on")])).correct);
    assert!(fix.check(&changes(&[(0, "off")])).correct);
}

/// A second Node.js server on 8099 fails with EADDRINUSE; it listens once it takes another
/// port. The goal names it as the file does ("node 2"), though both processes run node.
#[test]
fn a_port_already_in_use_is_fixed_by_another_port() {
    let fix = FixIt {
        scenario: shipped("port-in-use"),
        controls: vec![Control::ListenPort {
            process: "node 2".into(),
        }],
        goals: vec![Goal::Listens("node 2".into())],
    };
    let broken = fix.check(&Changes::new());
    assert!(
        broken.feedback.contains("EADDRINUSE"),
        "{}",
        broken.feedback
    );
    assert!(!fix.check(&changes(&[(0, "8099")])).correct);
    let fixed = fix.check(&changes(&[(0, "8100")]));
    assert_eq!(fixed.feedback, "It works: node 2 listens.");
}

/// Every lesson in `lessons/`, by file name.
fn lesson_files() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons");
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

/// The text of the lesson file whose name starts with `prefix` ("05-").
fn lesson_file(prefix: &str) -> String {
    lesson_files()
        .into_iter()
        .find(|(n, _)| n.starts_with(prefix))
        .unwrap_or_else(|| panic!("no lesson file {prefix}*"))
        .1
}

/// Each shipped lesson reads without a problem, and holds against its scene: its moments are
/// there in order, each question's solution is what the engine accepts, and each wrong answer
/// it lists is rejected with feedback of its own. Ids are unique; each question is answerable.
#[test]
fn every_lesson_replays_its_solutions_and_rejects_its_wrong_answers() {
    let files = lesson_files();
    assert!(files.len() >= 8, "{files:?}");
    let mut ids = std::collections::BTreeSet::new();
    for (name, text) in files {
        let lesson = lessons::file::from_toml(&text).unwrap_or_else(|p| panic!("{name}: {p:#?}"));
        assert!(
            ids.insert(lesson.id.clone()),
            "{name}: id {} repeats",
            lesson.id
        );
        let questions = lesson.asked();
        assert!(questions >= 2, "{name} asks {questions} questions");
        let problems = lessons::lint(&lesson, &shipped(&lesson.scenario));
        assert_eq!(problems, vec![], "{name}");
    }
}

/// A lesson whose claims the engine does not bear out fails the lint, at the path of each.
#[test]
fn the_lint_catches_a_wrong_solution_a_wrong_answer_accepted_and_a_missing_moment() {
    let text = lesson_file("05-")
        .replace(
            "question.solution = \"Server:2\"",
            "question.solution = \"Server:1\"",
        )
        .replace(
            "question.wrong = [\"Server:1\", \"none\"]",
            "question.wrong = [\"Server:2\"]",
        )
        .replace(
            "socket_appears = \"Server:2\"",
            "socket_appears = \"Server:7\"",
        );
    let lesson = lessons::file::from_toml(&text).unwrap();
    let problems: Vec<String> = lessons::lint(&lesson, &shipped("slides"))
        .iter()
        .map(|p| p.to_string())
        .collect();
    assert_said(
        &problems,
        &[
            "steps[0]: Server never has a Socket 7 in this scene",
            "steps[1].question: its solution is not what the simulation does: The listener only receives new connections",
            "steps[1].question: wrong[0] is accepted",
        ],
    );
}

/// A lesson that says an answer before the learner gives it is refused: a choose question's
/// solution in any step's text up to the question (in any language), a port a fill question
/// asks for, the socket a predict question's answer names in its own step.
#[test]
fn the_lint_refuses_a_step_text_that_gives_an_answer_away() {
    let lint = |text: &str, scene: &str| -> Vec<String> {
        let lesson = lessons::file::from_toml(text).unwrap();
        lessons::lint(&lesson, &shipped(scene))
            .iter()
            .map(|p| p.to_string())
            .collect()
    };
    // Each a shipped lesson with one text changed, and what the lint says of it.
    let told = [
        // Lesson 4 as it was: its first step named the browser's port before asking it.
        (
            "04-",
            "from its *ephemeral* range (on Linux",
            "from its *ephemeral* range; here the slides' `10378` (on Linux",
            "steps[0].text: its en text says \"10378\", the answer to the question of steps[1]",
        ),
        // In Chinese only, and in the question's own step.
        (
            "06-",
            "在你回答之前，表格會把瀏覽器的狀態隱藏起來。",
            "瀏覽器的 socket 進入 TIME-WAIT。",
            "steps[1].text: its zh-Hant text says \"TIME-WAIT\"",
        ),
        // A port a fill question asks for.
        (
            "03-",
            "binds it to the web's well-known port on its own address",
            "binds it to port `80` on its own address",
            "steps[0].text: its en text says \"80\"",
        ),
        // The socket a predict question's answer is, named in its own step's text.
        (
            "05-",
            "The browser's request is on its way.",
            "The browser's request is on its way to Socket 2.",
            "steps[1].text: its en text says \"Socket 2\"",
        ),
    ];
    for (prefix, from, to, said) in told {
        let text = lesson_file(prefix);
        assert!(text.contains(from), "{prefix}: {from}");
        assert_said(&lint(&text.replace(from, to), "slides"), &[said]);
    }
    // A number that only contains the answer does not say it.
    let fine = lesson_file("03-").replace("Nobody is connected yet.", "Nobody has used 8099 here.");
    assert_eq!(lint(&fine, "slides"), Vec::<String>::new());
}

/// A choose question gives every wrong option feedback of its own, and says why its answer is
/// right: a lesson without them is refused when it is read.
#[test]
fn a_choose_question_without_feedback_for_an_option_or_an_explanation_is_refused() {
    let text = lesson_file("11-");
    let refused = |text: &str| -> Vec<String> {
        let problems = lessons::file::from_toml(text).unwrap_err();
        problems.iter().map(|p| p.to_string()).collect()
    };
    // Drop the feedback on CLOSED, and the explanation.
    let start = text
        .find("[[steps.question.wrong]]\nanswer = \"CLOSED\"")
        .unwrap();
    let end = start + text[start..].find("\n\n").unwrap();
    let without = format!("{}{}", &text[..start], &text[end + 1..]);
    assert_said(
        &refused(&without),
        &["steps[0].question.wrong: the option \"CLOSED\" has no feedback"],
    );
    let start = text.find("question.explain.en").unwrap();
    let end = start + text[start..].find("[[steps.question.wrong]]").unwrap();
    let without = format!("{}{}", &text[..start], &text[end..]);
    assert_said(
        &refused(&without),
        &["steps[0].question: a choose question needs \"explain\""],
    );
    // Feedback for an option the question does not offer.
    let stray = text.replace("answer = \"CLOSED\"", "answer = \"LISTEN\"");
    assert_said(
        &refused(&stray),
        &[
            "steps[0].question.wrong: the option \"CLOSED\" has no feedback",
            "steps[0].question.wrong[1].answer: \"LISTEN\" is not one of the wrong options",
        ],
    );
}

/// A listener's missing peer is right however a learner has seen it written: `n/a` (the
/// course), `*` or `0.0.0.0:*` (ss), `0.0.0.0:0` (Windows), or in words of their language; a
/// state as the RFC, ss or netstat spells it.
#[test]
fn a_fill_answer_is_right_in_every_spelling_a_learner_has_met() {
    use lessons::question::same;
    for given in ["n/a", "N/A", "*", "0.0.0.0:*", "0.0.0.0:0", "none", " - "] {
        assert!(same(Cell::DestAddr, "n/a", given), "{given}");
    }
    assert!(!same(Cell::DestAddr, "n/a", "192.168.1.101"));
    assert!(
        !same(Cell::DestAddr, "n/a", "不適用"),
        "Chinese words in English"
    );
    let zh = std::fs::read_to_string(format!(
        "{}/locales/zh-Hant.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    socketlab::i18n::install_source("zh-Hant", &zh).unwrap();
    for given in ["不適用", "沒有", "n/a", "*"] {
        assert!(same(Cell::DestPort, "n/a", given), "{given}");
    }
    for (value, given) in [
        ("ESTABLISHED", "ESTAB"),
        ("ESTABLISHED", "established"),
        ("TIME-WAIT", "TIME_WAIT"),
        ("SYN-RECEIVED", "SYN-RECV"),
        ("FIN-WAIT-1", "FIN_WAIT1"),
        ("LISTEN", "LISTENING"),
    ] {
        assert!(same(Cell::State, value, given), "{given}");
    }
    assert!(!same(Cell::State, "TIME-WAIT", "CLOSE-WAIT"));
    assert!(!same(Cell::SourcePort, "80", "8080"));
    // In a lesson: lesson 3's listener, filled in as ss prints it.
    let q = FillTable {
        at: Moment::At(ms(200)),
        host: "Server".into(),
        socket: 1,
        cells: vec![Cell::DestPort, Cell::DestAddr],
    };
    let given: VecMap<Cell, String> = [(Cell::DestPort, "*"), (Cell::DestAddr, "0.0.0.0")]
        .into_iter()
        .map(|(c, v)| (c, v.to_string()))
        .collect();
    let verdicts = q.check(&slides(), &given).unwrap();
    assert!(verdicts.values().all(|v| v.correct), "{verdicts:?}");
}

/// Reading a lesson reports every problem at once, each with its path and a sentence.
#[test]
fn a_lesson_file_with_mistakes_gets_one_problem_each() {
    let text = r#"
version = 2
id = "Bad Id"
scenario = "slides"
title.fr = "Bonjour"
goal.en = ""
colour = "red"

[[steps]]
at_ms = 0
before_segment = 3
text.en = "Two moments."

[[steps]]
before_segment = 1
text.en = "A question of an unknown kind."
question.kind = "guess"
question.prompt.en = "?"

[[steps]]
socket_appears = "Server"
text.en = "A socket without its number, and a predict question at the wrong moment."
question.kind = "predict"
question.prompt.en = "Which socket?"
question.solution = "Server:two"

[[steps]]
at_ms = 0
text.en = "A choice whose solution is not an option."
question.kind = "choose"
question.prompt.en = "Which port?"
question.fact = { service = "http" }
question.options = ["80", "443"]
question.solution = "8080"

[[steps]]
at_ms = 0
text.en = "A fill question that asks what the screen shows."
question.kind = "fill"
question.prompt.en = "Fill it in."
question.socket = "Server:1"
question.solution = { state = "LISTEN", source_port = "80" }
"#;
    let problems: Vec<String> = lessons::file::from_toml(text)
        .unwrap_err()
        .iter()
        .map(|p| p.to_string())
        .collect();
    assert_said(
        &problems,
        &[
            "colour: unknown field",
            "version: this lesson is format version 2",
            "id: \"Bad Id\" must be lower-case letters, digits and dashes",
            "title.fr: unknown field; the fields here are \"en\", \"zh-Hant\"",
            "title: \"en\" is missing",
            "goal.en: must not be empty",
            "steps[0]: say when the step shows with one of",
            "steps[1].question.kind: \"guess\" is not a kind of question",
            "steps[2].socket_appears: \"Server\" must be a host's socket, like \"Server:2\"",
            "steps[2].question.solution: must be a host's socket, like \"Server:2\", or \"none\", not \"Server:two\"",
            "steps[3].question.solution: \"8080\" is not one of the options",
            "steps[4].question.solution.state: a fill question asks ports and addresses",
        ],
    );
}

/// What a learner did is what progress says: right the first time, right after wrong tries, with
/// hints, with the solution; the score follows (100, 75, 50 and 0 per question, the mean for a
/// lesson: the README's rule, which `static/lms.js` reports to an LMS); answering again after a
/// question is done changes nothing.
#[test]
fn progress_says_how_each_question_was_done_and_scores_it() {
    use socketlab::lessons::progress::{Outcome, Progress};
    let mut p = Progress::new();
    // Question at step 0: right at once. Step 1: wrong, then right. Step 2: a hint, then
    // right. Step 3: the solution.
    p.answered("l", 0, true);
    p.answered("l", 1, false);
    p.answered("l", 1, true);
    p.hinted("l", 2);
    p.answered("l", 2, true);
    p.answered("l", 3, false);
    p.shown("l", 3);
    let lesson = &p.lessons["l"];
    let how: Vec<Option<Outcome>> = (0..4).map(|i| lesson.questions[&i].outcome()).collect();
    assert_eq!(
        how,
        [
            Some(Outcome::FirstTry),
            Some(Outcome::AfterTries),
            Some(Outcome::WithHints),
            Some(Outcome::WithSolution)
        ]
    );
    assert_eq!(lesson.outcomes(), [1, 1, 1, 1]);
    assert_eq!(lesson.score(4), 56, "(100 + 75 + 50 + 0) / 4 = 56.25");
    // Trying again once done, wrong or with a hint, changes nothing.
    let before = p.clone();
    p.answered("l", 0, false);
    p.hinted("l", 0);
    assert_eq!(p, before);
    // A question not done counts nothing; a lesson that asks none scores 0.
    assert_eq!(p.lessons["l"].score(5), 45);
    assert_eq!(
        socketlab::lessons::progress::LessonProgress::default().score(0),
        0
    );
}

/// Progress survives a round trip through its stored form; the score counts questions
/// answered without the solution; a damaged, old or foreign value is reported in one line
/// and replaced by fresh progress.
#[test]
fn progress_round_trips_and_anything_unreadable_is_reset_with_a_line() {
    use socketlab::lessons::progress::{Progress, PROGRESS_KEY};
    let mut p = Progress::new();
    p.saw("client-connects", 2);
    p.answered("client-connects", 1, false);
    p.hinted("client-connects", 1);
    p.answered("client-connects", 1, true);
    p.shown("client-connects", 2);
    let lesson = &p.lessons["client-connects"];
    assert_eq!(lesson.step, 2);
    assert_eq!(
        (lesson.questions[&1].tries, lesson.questions[&1].hints),
        (2, 1)
    );
    assert_eq!(
        lesson.score(2),
        25,
        "a hint halves, the shown solution earns nothing"
    );
    assert!(lesson.complete(2));
    let stored = p.to_json();
    assert_eq!(Progress::restore(Some(&stored)), (p.clone(), None));
    assert_eq!(Progress::restore(None), (Progress::new(), None));
    assert!(PROGRESS_KEY.ends_with(".v1"));
    for (stored, why) in [
        (
            "{ not json",
            "it could not be read (the stored text is damaged)",
        ),
        (
            r#"{"app":"other","version":1}"#,
            "it is not Socket Lab progress",
        ),
        (
            r#"{"app":"socketlab","version":0,"lessons":{}}"#,
            "it is from another version of Socket Lab (0)",
        ),
        (
            r#"{"app":"socketlab","version":1,"lessons":{"x":{"step":"two"}}}"#,
            "part of it could not be read (the stored text is damaged)",
        ),
    ] {
        let (fresh, line) = Progress::restore(Some(stored));
        assert_eq!(fresh, Progress::new(), "{stored}");
        assert_eq!(line, Some(format!("Your saved progress was reset: {why}.")));
    }
}

/// "Try it on your machine": at the moment the server's Socket 2 appears in the slides'
/// scene, each OS's socket list shows the listener and the new connection, in its own words
/// and layout, from the scene's table.
#[test]
fn each_os_lists_the_servers_sockets_in_its_own_words() {
    use socketlab::lessons::try_it::{socket_list, socket_list_output, Desktop};
    let t = Timeline::record(shipped("slides").build().unwrap(), ms(10_000));
    let at = Moment::BeforeSegment(4).resolve(&t).unwrap();
    let snapshot = t.seek_events(at);
    let server = snapshot.host("Server").unwrap();
    let linux = socket_list_output(Desktop::Linux, server);
    assert_eq!(socket_list(Desktop::Linux), "ss -tan");
    let lines: Vec<Vec<&str>> = linux
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(
        lines[1],
        ["LISTEN", "0", "511", "192.168.1.102:80", "0.0.0.0:*"]
    );
    assert_eq!(
        lines[2],
        ["ESTAB", "0", "0", "192.168.1.102:80", "192.168.1.101:10378"]
    );
    let mac = socket_list_output(Desktop::Macos, server);
    assert!(
        mac.contains("192.168.1.102.80       192.168.1.101.10378    ESTABLISHED"),
        "{mac}"
    );
    assert!(
        mac.contains("192.168.1.102.80       *.*                    LISTEN"),
        "{mac}"
    );
    let windows = socket_list_output(Desktop::Windows, server);
    assert!(
        windows.contains("TCP    192.168.1.102:80       0.0.0.0:0              LISTENING"),
        "{windows}"
    );
    assert!(
        windows.contains("192.168.1.101:10378    ESTABLISHED"),
        "{windows}"
    );
}

/// "Try it on your machine", second half: which program has the port. At curl's request in
/// lesson 7's scene, lsof names node for the listener and for curl's connection (either end of
/// the port), and PowerShell lists the server's sockets on 8099 with node's process id.
#[test]
fn each_os_names_the_program_behind_the_port() {
    use socketlab::lessons::try_it::{listening_port, port_owner, port_owner_output, Desktop};
    let t = Timeline::record(shipped("node-server-8099").build().unwrap(), ms(10_000));
    let at = Moment::BeforeSegment(13).resolve(&t).unwrap();
    let snapshot = t.seek_events(at);
    let server = snapshot.host("Server").unwrap();
    let port = listening_port(server).unwrap();
    assert_eq!(port, 8099);
    assert_eq!(port_owner(Desktop::Linux, port), "lsof -nP -i :8099");
    let words = |out: &str| -> Vec<Vec<String>> {
        out.lines()
            .map(|l| l.split_whitespace().map(String::from).collect())
            .collect()
    };
    let linux = words(&port_owner_output(Desktop::Linux, server, port));
    assert_eq!(
        linux[0],
        ["COMMAND", "PID", "USER", "FD", "TYPE", "DEVICE", "SIZE/OFF", "NODE", "NAME"]
    );
    let listener = linux
        .iter()
        .find(|l| l.last().map(String::as_str) == Some("(LISTEN)"));
    let listener = listener.expect("lsof lists the listener");
    assert_eq!(listener[0], "node");
    assert_eq!(listener[8], "192.168.1.102:8099");
    assert!(
        linux
            .iter()
            .any(|l| l[0] == "node" && l[8] == "192.168.1.102:8099->192.168.1.101:10378"),
        "{linux:?}"
    );
    let pid = &listener[1];
    let windows = port_owner_output(Desktop::Windows, server, port);
    assert!(port_owner(Desktop::Windows, port).starts_with("Get-NetTCPConnection -LocalPort 8099"));
    let rows = words(&windows);
    assert_eq!(
        rows[1],
        [
            "LocalAddress",
            "LocalPort",
            "RemoteAddress",
            "RemotePort",
            "State",
            "OwningProcess"
        ]
    );
    assert!(
        rows.iter()
            .any(|r| r[..] == ["192.168.1.102", "8099", "0.0.0.0", "0", "Listen", pid]),
        "{windows}"
    );
    assert!(
        rows.iter().any(|r| r[..]
            == [
                "192.168.1.102",
                "8099",
                "192.168.1.101",
                "10378",
                "Established",
                pid
            ]),
        "{windows}"
    );
    // The client's side of a connection to 8099 has another local port: not PowerShell's.
    let client = snapshot.host("Client PC").unwrap();
    let from_client = port_owner_output(Desktop::Windows, client, port);
    assert_eq!(from_client.lines().count(), 3, "{from_client}");
    assert!(port_owner_output(Desktop::Macos, client, port)
        .contains("->192.168.1.102:8099 (ESTABLISHED)"));
}

/// `src/lessons/shipped.bin` (the structure the web app carries), `locales/lessons/<lang>.json`
/// (their words by language) and `locales/lessons/scenes.json` (each lesson's scene, for the
/// site's build) are exactly the lesson files, as the one reader reads them.
/// `UPDATE_SHIPPED=1 cargo test --test lessons` writes them anew.
#[test]
fn the_shipped_lessons_are_the_lesson_files() {
    let lessons: Vec<lessons::Lesson> = lesson_files()
        .iter()
        .map(|(name, text)| {
            lessons::file::from_toml(text).unwrap_or_else(|p| panic!("{name}: {p:#?}"))
        })
        .collect();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let structure = lessons::shipped::encode(&lessons);
    let mut generated = vec![("src/lessons/shipped.bin".to_string(), structure)];
    for lang in lessons::file::LANGUAGES {
        let json = lessons::words::words_json(&lessons, lang);
        generated.push((format!("locales/lessons/{lang}.json"), json.into_bytes()));
    }
    // Each lesson's scene, which the site's build ships with the lesson's words.
    let scenes: serde_json::Map<String, serde_json::Value> = lessons
        .iter()
        .map(|l| (l.id.clone(), l.scenario.clone().into()))
        .collect();
    let scenes = serde_json::to_string_pretty(&scenes).unwrap() + "\n";
    generated.push((
        "locales/lessons/scenes.json".to_string(),
        scenes.into_bytes(),
    ));
    for (path, text) in &generated {
        if std::env::var_os("UPDATE_SHIPPED").is_some() {
            std::fs::write(root.join(path), text).unwrap();
        }
        let on_disk = std::fs::read(root.join(path)).unwrap_or_default();
        assert!(
            on_disk == *text,
            "{path} is out of date: run UPDATE_SHIPPED=1 cargo test --test lessons"
        );
    }
    assert_eq!(lessons::words::shipped(), lessons);
}

/// The shipped lessons' structure travels as data (`src/lessons/shipped.bin`): every kind of
/// moment, question, answer, fact, control and goal reads back as it was written, and every
/// cut or changed byte of the file reads as nothing or as lessons, never a panic.
#[test]
fn every_kind_of_step_reads_back_from_the_shipped_form() {
    use lessons::{Cell, Control, Fact, Goal, Moment, Pick, Question, Step, Text, WrongChoice};
    use socketlab::engine::time::Instant;
    use socketlab::lessons::shipped::{decode, encode};
    let cells = |pairs: &[(Cell, &str)]| {
        let mut m = VecMap::new();
        for (c, v) in pairs {
            m.insert(*c, v.to_string());
        }
        m
    };
    let q = |ask: lessons::Ask, hints: usize, explain: bool| Question {
        prompt: Text::default(),
        hints: vec![Text::default(); hints],
        explain: explain.then(Text::default),
        ask,
    };
    let facts = [
        Fact::SourcePort {
            host: "Phone".into(),
            socket: 300,
        },
        Fact::State {
            host: "Server".into(),
            socket: 2,
        },
        Fact::ServicePort("mongodb".into()),
        Fact::PortRange(65535),
        Fact::Reply("Client PC".into()),
        Fact::SourcePortRange {
            host: "Linux PC".into(),
            socket: 1,
        },
        Fact::EphemeralRange("Windows PC".into()),
        Fact::Pid {
            host: "Server".into(),
            socket: 9,
        },
    ];
    let mut asks = vec![
        lessons::Ask::Predict {
            solution: Pick::Socket {
                host: "Server".into(),
                socket: 1,
            },
            wrong: vec![
                Pick::NoSocket,
                Pick::Socket {
                    host: "é".into(),
                    socket: 0,
                },
            ],
        },
        lessons::Ask::Fill {
            host: "Server".into(),
            socket: 2,
            solution: cells(&[(Cell::Transport, "TCP"), (Cell::State, "LISTEN")]),
            wrong: vec![
                cells(&[(Cell::SourcePort, "80"), (Cell::SourceAddr, "n/a")]),
                cells(&[(Cell::DestPort, "1"), (Cell::DestAddr, "伺服器")]),
            ],
        },
        lessons::Ask::Fix {
            controls: vec![
                Control::ListenPort {
                    process: "node".into(),
                },
                Control::ConnectPort {
                    process: "curl".into(),
                },
                Control::Program {
                    process: "p".into(),
                },
                Control::FirewallRule { index: 129 },
            ],
            goals: vec![Goal::Replies("curl".into())],
            solution: [(0, "8099".to_string()), (3, "off".to_string())]
                .into_iter()
                .collect(),
            wrong: vec![VecMap::new()],
        },
        lessons::Ask::Fix {
            controls: vec![],
            goals: vec![Goal::Listens("node 2".into())],
            solution: VecMap::new(),
            wrong: vec![],
        },
        lessons::Ask::Diagnose {
            causes: vec![lessons::file::Cause {
                answer: "firewall-drop".into(),
                name: Text::default(),
                why: Text::default(),
                explain: Text::default(),
            }],
            solution: String::new(),
        },
    ];
    asks.extend(facts.into_iter().map(|fact| lessons::Ask::Choose {
        fact,
        options: vec!["a".into(), "".into()],
        solution: "a".into(),
        wrong: vec![WrongChoice {
            answer: "".into(),
            why: Text::default(),
        }],
    }));
    let moments = [
        Moment::At(Instant::from_micros(0)),
        Moment::At(Instant::from_micros(924_000_000_123i64)),
        Moment::At(Instant::from_micros(-5i64)),
        Moment::SocketAppears {
            host: "Server".into(),
            socket: 5,
        },
        Moment::BeforeSegment(u64::MAX),
    ];
    let mut steps: Vec<Step> = moments
        .into_iter()
        .map(|at| Step {
            at,
            text: Text::default(),
            question: None,
            try_it: Some("Server".into()),
        })
        .collect();
    steps.extend(asks.into_iter().enumerate().map(|(i, ask)| Step {
        at: Moment::BeforeSegment(i as u64),
        text: Text::default(),
        question: Some(q(ask, i % 3, i % 2 == 0)),
        try_it: None,
    }));
    let every_kind = vec![
        lessons::Lesson {
            id: "every-kind".into(),
            part: lessons::file::Part::WhenItGoesWrong,
            scenario: "slides".into(),
            title: Text::default(),
            goal: Text::default(),
            steps,
            challenge: true,
        },
        lessons::Lesson {
            id: String::new(),
            part: lessons::file::Part::Slides,
            scenario: String::new(),
            title: Text::default(),
            goal: Text::default(),
            steps: vec![],
            challenge: false,
        },
    ];
    assert_eq!(decode(&encode(&every_kind)), Some(every_kind.clone()));
    assert_eq!(decode(&[]), None);
    // Damage: every cut, and every byte changed, of the shipped file.
    let shipped = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lessons/shipped.bin"),
    )
    .unwrap();
    for cut in 0..shipped.len() {
        assert_eq!(decode(&shipped[..cut]), None, "cut at {cut}");
    }
    for i in 0..shipped.len() {
        for b in [0x00, 0x01, 0x7f, 0x80, 0xff] {
            let mut changed = shipped.clone();
            changed[i] = b;
            let _ = decode(&changed);
        }
    }
    let mut longer = shipped.clone();
    longer.push(0);
    assert_eq!(decode(&longer), None, "a byte after the last lesson");
}

/// Progress is read by a small JSON reader of its own: it reads what any JSON writer gives
/// (spaces, escapes, other key orders), and refuses broken, too deep or trailing text without
/// panicking.
#[test]
fn stored_progress_is_read_from_any_json_and_broken_text_is_refused() {
    use socketlab::lessons::json::Json;
    use socketlab::lessons::progress::Progress;
    let written_elsewhere = r#"{"lessons":{"caf\u00e9 \"1\"":{"questions":{"3":{"solution_shown":false,
        "hints":2,"tries":1,"done":true}},"step":3}},"version":1,"app":"socketlab"}"#;
    let p = Progress::parse(written_elsewhere).unwrap();
    let lesson = &p.lessons["café \"1\""];
    assert_eq!((lesson.step, lesson.questions[&3].hints), (3, 2));
    assert_eq!(Progress::parse(&p.to_json()), Ok(p));
    for broken in [
        "",
        "{",
        "{\"a\":}",
        "[1,]",
        "{} {}",
        "\"open",
        "nul",
        &"[".repeat(100_000),
    ] {
        assert_eq!(Json::parse(broken), None, "{broken:.20}");
    }
    assert_eq!(
        Json::parse("[1.5, -2, 7]"),
        Some(Json::List(vec![
            Json::Number(None),
            Json::Number(None),
            Json::Number(Some(7))
        ]))
    );
}

/// The time a player shows for a step: just before a segment arrives, that segment is still
/// on the wire; when a socket appears, the table has it.
#[test]
fn a_steps_moment_is_a_time_the_player_can_show() {
    let t = slides();
    let before = Moment::BeforeSegment(4).time(&t).unwrap();
    let snap = t.seek(before);
    assert!(
        snap.in_flight.iter().any(|f| f.seg.0 == 4),
        "segment 4 is on the wire"
    );
    let appears = Moment::SocketAppears {
        host: "Server".into(),
        socket: 2,
    }
    .time(&t)
    .unwrap();
    assert_eq!(t.seek(appears).host("Server").unwrap().sockets.len(), 2);
}

/// The web app plays each lesson on one of its built-in scenes.
#[test]
fn every_lessons_scene_is_one_the_player_has() {
    for lesson in socketlab::lessons::words::shipped() {
        assert!(
            socketlab::view::scenes::Scene::index_of(&lesson.scenario).is_some(),
            "{}: {}",
            lesson.id,
            lesson.scenario
        );
    }
}

/// The SCORM manifest names one SCO per shipped lesson, each launching the site at its lesson
/// (with `&` escaped, as XML needs), and lists the site's files, and nothing else, as the
/// asset the SCOs share.
#[test]
fn the_scorm_manifest_has_a_sco_per_lesson_and_lists_the_sites_files() {
    use socketlab::lessons::scorm;
    let lessons = lessons::words::shipped();
    let files = vec!["index.html".to_string(), "app.css".to_string()];
    let xml = scorm::manifest(&lessons, &files);
    assert_eq!(
        xml.matches("adlcp:scormtype=\"sco\"").count(),
        lessons.len()
    );
    assert_eq!(xml.matches("<item ").count(), lessons.len());
    for lesson in &lessons {
        let href = format!(
            "href=\"index.html?lesson={}&amp;lms=scorm12&amp;questions={}\"",
            lesson.id,
            lesson.asked()
        );
        assert!(xml.contains(&href), "{href}");
    }
    let site = &xml[xml.find("identifier=\"site\"").unwrap()..];
    assert_eq!(site.matches("<file ").count(), files.len());
    assert!(!xml.contains("&lms"), "every & is escaped");
    assert!(xml.contains("<schemaversion>1.2</schemaversion>"));
    assert_eq!(
        xml.matches("<adlcp:masteryscore>50</adlcp:masteryscore>")
            .count(),
        lessons.len()
    );
}

/// A lesson's paragraph written over several lines reads as one: English words keep a space
/// where the line broke, Chinese characters none (a space there would show in the sentence).
#[test]
fn a_paragraph_over_several_lines_reads_as_one_in_either_language() {
    use socketlab::lessons::words::one_line;
    assert_eq!(
        one_line("The SYN has reached\n  the server.  Its socket"),
        "The SYN has reached the server. Its socket"
    );
    assert_eq!(
        one_line("伺服器的協定堆疊為這一個\n連線建立一個新的 socket，\n即 Socket 2。"),
        "伺服器的協定堆疊為這一個連線建立一個新的 socket，即 Socket 2。"
    );
    assert_eq!(one_line("監聽\n`80` 埠"), "監聽 `80` 埠");
    // Beside a full-width mark, no space either: "27017（…", "。curl".
    assert_eq!(
        one_line("MongoDB 在 27017\n（投影片。\ncurl 連接"),
        "MongoDB 在 27017（投影片。curl 連接"
    );
}

/// The web app runs a fix in its engine's worker: a request's bytes in, an answer's bytes out
/// (`fix::serve`), read back by the page (`fix::read_answer`). Across every fix of the three
/// setups, the answer says what the check says, and carries the run the stage then plays.
/// Bytes that are not a request run nothing, and are not taken for a run.
#[test]
fn the_engine_worker_answers_a_fix_as_the_check_does_with_its_run() {
    use socketlab::lessons::fix::{read_answer, serve, Run};
    let setups = [
        (
            "connection-refused",
            vec![
                Control::ConnectPort {
                    process: "curl".into(),
                },
                Control::ListenPort {
                    process: "node".into(),
                },
            ],
            Goal::Replies("curl".into()),
        ),
        (
            "port-in-use",
            vec![Control::ListenPort {
                process: "node 2".into(),
            }],
            Goal::Listens("node 2".into()),
        ),
        (
            "syn-timeout",
            vec![Control::FirewallRule { index: 0 }],
            Goal::Replies("curl".into()),
        ),
    ];
    let tries: [&[(usize, &str)]; 6] = [
        &[],
        &[(0, "8099")],
        &[(0, "8081")],
        &[(1, "8080")],
        &[(0, "off")],
        &[(0, "8090")],
    ];
    let mut works = 0;
    for (stem, controls, goal) in setups {
        let fix = FixIt {
            scenario: shipped(stem),
            controls,
            goals: vec![goal],
        };
        for t in tries {
            let c = changes(t);
            let Ok(setup) = fix.apply(&c) else { continue };
            let request = Run::of(setup, &fix.goals).to_bytes();
            let (results, run) = read_answer(&serve(&request)).unwrap();
            let verdict = fix.verdict(&results);
            assert_eq!(verdict, fix.check(&c), "{stem} {t:?}");
            assert!(!run.events.is_empty(), "{stem} {t:?}: the run comes back");
            works += usize::from(verdict.correct);
        }
    }
    assert!(works >= 3, "each setup has a fix that works: {works}");
    let (results, run) = read_answer(&serve(b"not a run")).unwrap();
    assert!(results.is_empty() && run.events.is_empty());
    assert!(read_answer(b"").is_err());
}
