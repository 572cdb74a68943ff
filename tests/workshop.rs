//! The workshop's model (`socketlab::workshop`, and the scenario's fields one at a time): a
//! scene built from nothing by adding entries checks and runs as a learner expects (a server
//! and two clients: both connections in the server's table), every field of the format can be
//! read and set, a value a field's type cannot hold changes nothing, undo and redo walk the
//! versions, and each problem of the file's checks finds its field.

mod common;

use socketlab::engine::scenario::{self, FieldValue, Scenario, Unfit, SECTIONS};
use socketlab::lessons::fix::Run;
use socketlab::lessons::goals::Goal;
use socketlab::workshop::{
    blank, choices, file_name, place_of, read_number, with_new_entry, History, NewWords, Place,
};

const WORDS: NewWords = NewWords {
    host: "Host",
    stage_title: "A stage",
    stage_text: "What happens now.",
};

fn add(s: &Scenario, list: &str) -> Scenario {
    with_new_entry(s, list, &WORDS)
}

fn set(s: &mut Scenario, list: &str, index: usize, key: &str, value: &str) {
    s.set_field(Some(list), index, key, FieldValue::Text(value.into()))
        .unwrap();
}

/// A server and two clients, from nothing, as a learner builds it by adding entries and
/// changing only what the new entries do not already say.
fn server_and_two_clients() -> Scenario {
    let mut s = blank("My network");
    for _ in 0..3 {
        s = add(&s, "hosts");
    }
    s = add(&s, "links");
    s = add(&s, "links");
    // The first program is a server on the first host; it listens on its port.
    s = add(&s, "processes");
    s = add(&s, "actions");
    // A client on the second host (a new program is a client once there is a server).
    s = add(&s, "processes");
    set(&mut s, "processes", 1, "host", "Host 2");
    s = add(&s, "actions");
    // And one on the third: it connects to the server too.
    s = add(&s, "processes");
    s = add(&s, "actions");
    s
}

#[test]
fn a_server_and_two_clients_built_from_nothing_check_and_both_connect() {
    let s = server_and_two_clients();
    assert_eq!(
        s.hosts
            .iter()
            .map(|h| (&*h.name, &*h.ip))
            .collect::<Vec<_>>(),
        [
            ("Host", "192.168.1.101"),
            ("Host 2", "192.168.1.102"),
            ("Host 3", "192.168.1.103")
        ]
    );
    assert_eq!(s.processes[0].program, "node-server");
    assert_eq!(s.processes[1].program, "curl");
    assert_eq!(s.processes[2].name, "curl 2");
    assert_eq!(s.actions[1].to.as_deref(), Some("Host:8099"));
    // The file the workshop saves reads back as the same scene, with no problem.
    let read = scenario::from_toml(&s.to_toml()).unwrap();
    assert_eq!(read, s);
    // Run as the workshop's Run runs it: both clients get their replies, and the server held
    // both connections at once.
    let goals = [
        Goal::Replies("curl".into()),
        Goal::Replies("curl 2".into()),
        Goal::Established {
            host: "Host".into(),
            port: 8099,
            count: 2,
        },
    ];
    let (results, _) = Run::of(s, &goals).go();
    assert!(results.iter().all(Result::is_ok), "{results:?}");
}

#[test]
fn every_field_of_the_format_can_be_read_and_set() {
    let mut s = blank("Every field");
    for (list, fields) in SECTIONS {
        s.insert_entry(list, 0);
        for f in *fields {
            let value = match f.kind {
                scenario::Kind::Text => FieldValue::Text("x".into()),
                scenario::Kind::Number | scenario::Kind::Whole => FieldValue::Number(7.0),
                scenario::Kind::Bool => FieldValue::Bool(true),
                scenario::Kind::Pair => FieldValue::Pair(["a".into(), "b".into()]),
            };
            s.set_field(Some(list), 0, f.key, value.clone())
                .unwrap_or_else(|e| panic!("{list}.{}: {e:?}", f.key));
            assert_eq!(
                s.field(Some(list), 0, f.key),
                Some(value),
                "{list}.{}",
                f.key
            );
            if !f.required {
                s.set_field(Some(list), 0, f.key, FieldValue::Absent)
                    .unwrap();
                assert_eq!(s.field(Some(list), 0, f.key), Some(FieldValue::Absent));
            }
        }
    }
    for f in scenario::FILE_FIELDS {
        assert!(s.field(None, 0, f.key).is_some(), "{}", f.key);
    }
    assert_eq!(s.field(Some("hosts"), 5, "name"), None);
    assert_eq!(s.field(Some("nothing"), 0, "name"), None);
}

#[test]
fn a_value_a_field_cannot_hold_changes_nothing_and_says_why() {
    let mut s = add(&blank("Ports"), "firewall");
    let before = s.clone();
    let port = |v: f64| FieldValue::Number(v);
    assert_eq!(
        s.set_field(Some("firewall"), 0, "port", port(70000.0)),
        Err(Unfit::AtMost(65535))
    );
    assert_eq!(
        s.set_field(Some("firewall"), 0, "port", port(-1.0)),
        Err(Unfit::AtMost(65535))
    );
    assert_eq!(
        s.set_field(Some("firewall"), 0, "port", port(80.5)),
        Err(Unfit::NotWhole)
    );
    assert_eq!(
        s.set_field(Some("firewall"), 0, "port", FieldValue::Absent),
        Err(Unfit::Needed)
    );
    assert_eq!(
        s.set_field(Some("firewall"), 0, "port", FieldValue::Text("80".into())),
        Err(Unfit::NotItsKind)
    );
    assert_eq!(
        s.set_field(Some("firewall"), 3, "port", port(80.0)),
        Err(Unfit::NoField)
    );
    assert_eq!(s, before);
    // A port out of the file's range but in its type's goes in, and the file's check says so.
    s.set_field(Some("firewall"), 0, "port", port(0.0)).unwrap();
    s = add(&s, "hosts");
    set(&mut s, "firewall", 0, "host", "Host");
    let problems = scenario::from_toml(&s.to_toml()).unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].path, "firewall[0].port");
    assert_eq!(read_number("  "), Some(FieldValue::Absent));
    assert_eq!(read_number("12.5"), Some(FieldValue::Number(12.5)));
    assert_eq!(read_number("twelve"), None);
    assert_eq!(read_number("inf"), None);
}

#[test]
fn undo_and_redo_walk_the_versions_and_a_change_after_undo_drops_the_rest() {
    let first = blank("One");
    let mut h = History::new(first.clone());
    assert!(!h.can_undo() && !h.can_redo());
    let second = add(&first, "hosts");
    let third = add(&second, "hosts");
    h.change(second.clone());
    h.change(second.clone()); // the same scene: no new version
    h.change(third.clone());
    assert!(h.undo());
    assert_eq!(h.now(), &second);
    assert!(h.undo());
    assert_eq!(h.now(), &first);
    assert!(!h.undo());
    assert!(h.redo());
    assert_eq!(h.now(), &second);
    let other = add(&second, "links");
    h.change(other.clone());
    assert!(!h.can_redo());
    assert!(h.undo());
    assert_eq!(h.now(), &second);
    // At most UNDO_DEPTH changes are kept.
    let mut h = History::new(first.clone());
    for n in 0..(socketlab::workshop::UNDO_DEPTH + 50) {
        let mut s = first.clone();
        s.seed = n as u64 + 2;
        h.change(s);
    }
    let mut undone = 0;
    while h.undo() {
        undone += 1;
    }
    assert_eq!(undone, socketlab::workshop::UNDO_DEPTH);
}

#[test]
fn each_problem_of_the_files_checks_finds_its_field() {
    let place = |list: Option<&str>, index: Option<usize>, key: Option<&str>| Place {
        list: list.map(str::to_string),
        index,
        key: key.map(str::to_string),
    };
    assert_eq!(
        place_of("hosts[1].ip"),
        place(Some("hosts"), Some(1), Some("ip"))
    );
    assert_eq!(place_of("links[0]"), place(Some("links"), Some(0), None));
    assert_eq!(place_of("hosts"), place(Some("hosts"), None, None));
    assert_eq!(place_of("title"), place(None, None, Some("title")));
    assert_eq!(place_of(""), place(None, None, None));
    // Every problem of a scene with many: each path names a field the editor shows, or an
    // entry, section or the file.
    let mut s = server_and_two_clients();
    set(&mut s, "hosts", 1, "ip", "192.168.1.300");
    set(&mut s, "actions", 1, "to", "Nowhere:80");
    s.set_field(None, 0, "title", FieldValue::Text(String::new()))
        .unwrap();
    s = add(&s, "firewall");
    set(&mut s, "firewall", 0, "verdict", "maybe");
    let problems = scenario::from_toml(&s.to_toml()).unwrap_err();
    assert!(problems.len() >= 4, "{problems:?}");
    for p in &problems {
        let at = place_of(&p.path);
        if let (Some(list), Some(i), Some(key)) = (&at.list, at.index, &at.key) {
            assert!(s.field(Some(list), i, key).is_some(), "{p:?}");
        } else if let (None, Some(key)) = (&at.list, &at.key) {
            assert!(s.field(None, 0, key).is_some(), "{p:?}");
        }
    }
}

#[test]
fn a_fields_choices_are_the_files_words_and_the_scenes_names() {
    let s = server_and_two_clients();
    assert_eq!(
        choices(&s, Some("actions"), "process").unwrap(),
        ["node", "curl", "curl 2"]
    );
    assert_eq!(
        choices(&s, Some("links"), "between").unwrap(),
        ["Host", "Host 2", "Host 3"]
    );
    // Every choice of a word is one the file's checks take.
    for word in choices(&s, Some("processes"), "program").unwrap() {
        assert!(scenario::parse_program(&word).is_some(), "{word}");
    }
    for word in choices(&s, Some("hosts"), "os").unwrap() {
        assert!(scenario::parse_os(&word).is_some(), "{word}");
    }
    for word in choices(&s, Some("firewall"), "verdict").unwrap() {
        assert!(scenario::parse_verdict(&word).is_some(), "{word}");
    }
    assert_eq!(choices(&s, None, "title"), None);
    assert_eq!(file_name(&s), "my-network");
    assert_eq!(file_name(&blank("  ")), "scene");
    assert_eq!(file_name(&blank("我的網絡 (1)")), "我的網絡-1");
}

#[test]
fn renaming_a_host_or_a_process_renames_it_wherever_the_scene_names_it() {
    let s = server_and_two_clients();
    let text = |v: &str| FieldValue::Text(v.to_string());
    let s = socketlab::workshop::edit(&s, Some("hosts"), 0, "name", text("Server")).unwrap();
    assert_eq!(s.processes[0].host, "Server");
    assert_eq!(
        s.links[0].between,
        ["Server".to_string(), "Host 2".to_string()]
    );
    assert_eq!(s.actions[1].to.as_deref(), Some("Server:8099"));
    let mut s = socketlab::workshop::edit(&s, Some("processes"), 0, "name", text("web")).unwrap();
    assert_eq!(s.actions[0].process, "web");
    s.actions[1].after = Some("web:listening".into());
    s.actions[1].at_ms = None;
    let s = socketlab::workshop::edit(&s, Some("processes"), 0, "name", text("node")).unwrap();
    assert_eq!(s.actions[1].after.as_deref(), Some("node:listening"));
    // Still a scene without problems.
    scenario::from_toml(&s.to_toml()).unwrap();
    // A value the field cannot hold: nothing changes.
    assert!(
        socketlab::workshop::edit(&s, Some("actions"), 0, "port", FieldValue::Number(1e6)).is_err()
    );
}

#[test]
fn an_action_shows_the_fields_of_what_it_does_first() {
    use socketlab::workshop::shown_first;
    assert!(shown_first(Some("actions"), "port", Some("listen")));
    assert!(!shown_first(Some("actions"), "port", Some("connect")));
    assert!(shown_first(Some("actions"), "to", Some("connect")));
    assert!(shown_first(Some("actions"), "data", Some("send")));
    assert!(!shown_first(Some("actions"), "backlog", Some("listen")));
    assert!(!shown_first(Some("links"), "loss", None));
    assert!(shown_first(None, "title", None));
    // Every field a file has either shows first or under "more": none is left out.
    for (list, fields) in SECTIONS {
        for f in *fields {
            if f.required {
                assert!(
                    shown_first(Some(list), f.key, None),
                    "{list}.{}: a field every entry needs shows first",
                    f.key
                );
            }
        }
    }
}

/// Every problem a scenario file can have names a message of the catalogs (the workshop says
/// it in the learner's language), never an English sentence of the code's, and each says all
/// its values in both languages: files broken line by line (a line left out, a value made
/// wrong) from every shipped scene.
#[test]
fn every_problem_of_a_scenario_file_is_said_in_both_languages() {
    use socketlab::engine::checker::Said;
    let mut broken = Vec::new();
    for (_, text) in common::shipped() {
        let lines: Vec<&str> = text.lines().collect();
        for i in 0..lines.len() {
            let mut without = lines.clone();
            without.remove(i);
            broken.push(without.join("\n"));
            for wrong in [
                "\"\"",
                "-1",
                "70000",
                "\"nowhere:0\"",
                "true",
                "[1]",
                "{ a = 1 }",
                "1.5",
                "\"1.2.3.4.5\"",
            ] {
                if let Some((key, _)) = lines[i].split_once(" = ") {
                    let mut changed = lines.clone();
                    let line = format!("{key} = {wrong}");
                    changed[i] = &line;
                    broken.push(changed.join("\n"));
                }
            }
        }
    }
    broken.push("hosts = [".to_string());
    broken.push("{\"version\": 1".to_string());
    broken.push(
        "version = 2\ntitle = \"x\"\nseed = 1\n[[hosts]]\nname = \"A\"\nip = \"10.0.0.1\""
            .to_string(),
    );
    let zh = std::fs::read_to_string("locales/zh-Hant.json").unwrap();
    let problems: Vec<_> = broken
        .iter()
        .filter_map(|text| match text.starts_with('{') {
            true => scenario::from_json(text).err(),
            false => scenario::from_toml(text).err(),
        })
        .flatten()
        .collect();
    assert!(problems.len() > 1000, "{} problems", problems.len());
    let english: Vec<String> = problems.iter().map(|p| p.message()).collect();
    socketlab::i18n::install_source("zh-Hant", &zh).unwrap();
    let chinese: Vec<String> = problems.iter().map(|p| p.message()).collect();
    socketlab::i18n::install_source("en", include_str!("../locales/en.json")).unwrap();
    for ((p, en), zh) in problems.iter().zip(&english).zip(&chinese) {
        assert!(
            matches!(p.said, Said::Message(..)),
            "{p}: an English sentence of the code's"
        );
        assert!(
            !en.contains('{') || en.contains("{ a = 1 }"),
            "{p}: a value left unsaid"
        );
        assert!(zh != en, "{p}: not said in Chinese");
    }
}

/// A teacher's challenge: a scene with a task and goals, checked against its run by the
/// challenges' checker; each goal's fields are checked in the file.
const CHALLENGE: &str = include_str!("data/teachers-challenge.toml");

#[test]
fn a_teachers_challenge_is_checked_against_its_run_like_the_shipped_ones() {
    use socketlab::lessons::goals::of_scene;
    let s = scenario::from_toml(CHALLENGE).unwrap();
    assert_eq!(
        s.task.as_deref(),
        Some("curl cannot reach the server. Fix the scene so that it gets its reply.")
    );
    let goals = of_scene(&s);
    assert_eq!(goals, [Goal::Replies("curl".into()), Goal::NoDrops]);
    // As shared: refused (RST), so curl never gets its reply; nothing is dropped.
    let (results, _) = Run::of(s.clone(), &goals).go();
    assert!(results[0].is_err() && results[1].is_ok(), "{results:?}");
    // Fixed in the workshop: the port curl connects to.
    let fixed = socketlab::workshop::edit(
        &s,
        Some("actions"),
        1,
        "to",
        FieldValue::Text("Server:8099".into()),
    )
    .unwrap();
    let (results, _) = Run::of(fixed.clone(), &of_scene(&fixed)).go();
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    // The file keeps the task and goals.
    assert_eq!(scenario::from_toml(&fixed.to_toml()).unwrap(), fixed);
}

#[test]
fn a_goals_fields_are_checked_in_the_file() {
    let with = |goal: &str| format!("{CHALLENGE}\n[[goals]]\n{goal}\n");
    let problems = |goal: &str| {
        scenario::from_toml(&with(goal))
            .unwrap_err()
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        problems("goal = \"flies\""),
        [
            r#"goals[2].goal: "flies" is not a goal; use one of "replies", "listens", "connects", "established", "no_drops", "reaches""#
        ]
    );
    assert_eq!(
        problems("goal = \"replies\""),
        [r#"goals[2]: "process" is missing"#]
    );
    assert_eq!(
        problems("goal = \"replies\"\nprocess = \"wget\""),
        [r#"goals[2].process: there is no process named "wget""#]
    );
    assert_eq!(
        problems(
            "goal = \"established\"\nhost = \"Server\"\nport = 8099\ncount = 2\nstate = \"LISTEN\""
        ),
        [r#"goals[2].state: unknown field; the fields here are "goal", "host", "port", "count""#]
    );
    assert_eq!(
        problems("goal = \"reaches\"\nhost = \"PC\"\nstate = \"WAITING\""),
        [
            r#"goals[2].state: "WAITING" is not a TCP state; use a name such as "ESTABLISHED" or "TIME-WAIT""#
        ]
    );
    scenario::from_toml(&with(
        "goal = \"reaches\"\nhost = \"PC\"\nstate = \"TIME-WAIT\"",
    ))
    .unwrap();
    // A goal added in the workshop: the first client gets its reply.
    let s = add(&scenario::from_toml(CHALLENGE).unwrap(), "goals");
    assert_eq!(s.goals[2].goal, "replies");
    assert_eq!(s.goals[2].process.as_deref(), Some("curl"));
}

#[test]
fn renaming_follows_into_goals_and_a_seed_past_exact_numbers_is_refused() {
    let s = scenario::from_toml(CHALLENGE).unwrap();
    let text = |v: &str| FieldValue::Text(v.to_string());
    let s = socketlab::workshop::edit(&s, Some("processes"), 1, "name", text("wget")).unwrap();
    assert_eq!(s.goals[0].process.as_deref(), Some("wget"));
    let s = add(&s, "goals");
    let mut s = s;
    s.goals[2] = socketlab::engine::scenario::GoalDef {
        goal: "reaches".into(),
        host: Some("PC".into()),
        state: Some("TIME-WAIT".into()),
        ..Default::default()
    };
    let s = socketlab::workshop::edit(&s, Some("hosts"), 1, "name", text("Laptop")).unwrap();
    assert_eq!(s.goals[2].host.as_deref(), Some("Laptop"));
    scenario::from_toml(&s.to_toml()).unwrap();
    // A seed an editor's number cannot hold exactly is refused, not rounded into a file that
    // does not read.
    let mut s = s;
    assert_eq!(
        s.set_field(
            None,
            0,
            "seed",
            FieldValue::Number(9_223_372_036_854_775_807.0)
        ),
        Err(Unfit::AtMost((1 << 53) - 1))
    );
    s.set_field(
        None,
        0,
        "seed",
        FieldValue::Number(((1u64 << 53) - 1) as f64),
    )
    .unwrap();
    scenario::from_toml(&s.to_toml()).unwrap();
}

/// A scenario's compact form leaves a teacher's challenge out (pages that play shipped scenes
/// carry no code to read one), so no shipped scene may have one; the workshop's form keeps it.
#[test]
fn the_compact_form_leaves_the_challenge_to_the_workshops_form() {
    use socketlab::engine::scenario::{Wire, WithChallenge};
    for (name, text) in common::shipped() {
        let s = scenario::from_toml(&text).unwrap();
        assert!(
            s.task.is_none() && s.goals.is_empty(),
            "{name} has a challenge"
        );
    }
    let s = scenario::from_toml(CHALLENGE).unwrap();
    let mut bytes = Vec::new();
    WithChallenge(s.clone()).put(&mut bytes);
    let mut rest = &bytes[..];
    assert_eq!(
        WithChallenge::take(&mut rest),
        Some(WithChallenge(s.clone()))
    );
    assert!(rest.is_empty());
    let mut bytes = Vec::new();
    s.put(&mut bytes);
    let mut rest = &bytes[..];
    let bare = Scenario::take(&mut rest).unwrap();
    assert!(rest.is_empty());
    assert_eq!(bare.task, None);
    assert!(bare.goals.is_empty());
    assert_eq!(
        Scenario {
            task: s.task.clone(),
            goals: s.goals.clone(),
            ..bare
        },
        s
    );
}
