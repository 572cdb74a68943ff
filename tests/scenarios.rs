//! Scenario files: the shipped course scenarios, round trips, every validation problem, and
//! reading garbage without panicking.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::fs;

use common::{assert_said, shipped};
use proptest::prelude::*;
use socketlab::engine::pcap::capture;
use socketlab::engine::scenario::{self, Scenario};
use socketlab::engine::time::ms;
use socketlab::engine::*;

fn load(name: &str) -> Scenario {
    let (_, text) = shipped()
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("{name} is shipped"));
    scenario::from_toml(&text).unwrap()
}

fn run(s: &Scenario) -> Sim {
    let mut sim = s.build().unwrap();
    sim.set_verify_demux(true);
    sim.run_until_idle(s.run_limit());
    assert_eq!(sim.demux_mismatches(), &[] as &[String]);
    sim
}

fn status_of<'a>(sim: &'a Sim, name: &str) -> Vec<&'a AppStatus> {
    sim.processes()
        .filter(|p| p.name == name)
        .map(|p| p.status())
        .collect()
}

#[test]
fn the_course_scenarios_are_all_shipped_and_valid() {
    let names: Vec<String> = shipped().into_iter().map(|(n, _)| n).collect();
    for wanted in [
        "two-apps-one-pc.toml",
        "node-server-8099.toml",
        "web-server-80.toml",
        "mongodb-27017.toml",
        "connection-refused.toml",
        "port-in-use.toml",
    ] {
        assert!(
            names.iter().any(|n| n == wanted),
            "{wanted} is missing from scenarios/"
        );
    }
    for (name, text) in shipped() {
        let s = scenario::from_toml(&text).unwrap_or_else(|p| panic!("{name}: {p:?}"));
        assert!(
            !s.title.is_empty()
                && s.description
                    .as_deref()
                    .is_some_and(|d| !d.trim().is_empty()),
            "{name} tells the learner what it shows"
        );
    }
}

#[test]
fn every_shipped_scenario_round_trips_through_toml_and_json() {
    for (name, text) in shipped() {
        let s = scenario::from_toml(&text).unwrap();
        assert_eq!(
            scenario::from_toml(&s.to_toml()).as_ref(),
            Ok(&s),
            "{name} via TOML"
        );
        assert_eq!(
            scenario::from_json(&s.to_json()).as_ref(),
            Ok(&s),
            "{name} via JSON"
        );
    }
}

#[test]
fn each_shipped_scenario_shows_what_its_title_says() {
    let sim = run(&load("node-server-8099.toml"));
    for client in ["web browser", "curl", "mobile app"] {
        assert!(
            matches!(status_of(&sim, client)[..], [AppStatus::Done { .. }]),
            "{client} got its reply"
        );
    }

    let sim = run(&load("connection-refused.toml"));
    assert!(matches!(
        status_of(&sim, "curl")[..],
        [AppStatus::Failed(SockError {
            errno: Errno::ECONNREFUSED,
            ..
        })]
    ));

    let sim = run(&load("port-in-use.toml"));
    let node = status_of(&sim, "Node.js server");
    assert!(node.iter().any(|s| matches!(
        s,
        AppStatus::Failed(SockError {
            errno: Errno::EADDRINUSE,
            ..
        })
    )));
    assert!(
        node.iter().any(|s| matches!(s, AppStatus::Running)),
        "the first server goes on"
    );
    assert!(
        matches!(status_of(&sim, "web browser")[..], [AppStatus::Done { .. }]),
        "and serves the browser"
    );

    let sim = run(&load("syn-timeout.toml"));
    assert!(matches!(
        status_of(&sim, "curl")[..],
        [AppStatus::Failed(SockError {
            errno: Errno::ETIMEDOUT,
            ..
        })]
    ));

    let sim = run(&load("mongodb-27017.toml"));
    assert!(matches!(
        status_of(&sim, "mongo shell")[..],
        [AppStatus::Done { .. }]
    ));

    let sim = run(&load("two-apps-one-pc.toml"));
    assert!(matches!(
        status_of(&sim, "web browser")[..],
        [AppStatus::Done { .. }]
    ));
    assert!(matches!(
        status_of(&sim, "email client")[..],
        [AppStatus::Done { .. }]
    ));

    let sim = run(&load("web-server-80.toml"));
    let first_syn = sim.events().iter().find_map(|e| match &e.kind {
        EventKind::SegmentSent(s) => s.summary.tcp().map(|t| (t.src_port, t.dst_port)),
        _ => None,
    });
    assert_eq!(first_syn, Some((10378, 80)), "the slide's ports");
}

/// A browser with two tabs open on one server: one process, two connections. Each tab's socket
/// sends its own request and reads its own reply (the first connection goes on when the second
/// opens), and the process is done once both are.
#[test]
fn a_process_that_connects_twice_keeps_both_connections() {
    let text = r#"
version = 1
title = "Two tabs"
seed = 2

[[hosts]]
name = "Client PC"
ip = "192.168.1.101"

[[hosts]]
name = "Server"
ip = "192.168.1.102"

[[links]]
between = ["Client PC", "Server"]
latency_ms = 20

[[processes]]
name = "node"
host = "Server"
program = "node-server"

[[processes]]
name = "browser"
host = "Client PC"
program = "web-browser"

[[actions]]
process = "node"
at_ms = 0
do = "listen"
port = 8099

[[actions]]
process = "browser"
at_ms = 100
do = "connect"
to = "Server:8099"

[[actions]]
process = "browser"
at_ms = 101
do = "connect"
to = "Server:8099"
"#;
    let sim = run(&scenario::from_toml(text).unwrap());
    let browser = sim
        .processes()
        .find(|p| p.name == "web browser")
        .unwrap()
        .pid;
    // Per socket of the browser's: the bytes it sent and the bytes it read.
    let mut sent: Vec<(u32, usize)> = Vec::new();
    let mut read: Vec<(u32, usize)> = Vec::new();
    for e in sim.events() {
        match &e.kind {
            EventKind::DataSent { pid, fd, bytes, .. } if *pid == browser => {
                sent.push((*fd, bytes.len()))
            }
            EventKind::DataDelivered { pid, fd, bytes, .. } if *pid == browser => {
                read.push((*fd, bytes.len()))
            }
            _ => {}
        }
    }
    sent.sort_unstable();
    read.sort_unstable();
    assert_eq!(sent.len(), 2, "a request on each tab's socket: {sent:?}");
    assert_ne!(sent[0].0, sent[1].0, "two sockets, not one twice: {sent:?}");
    assert_eq!(
        read.iter().map(|(fd, _)| *fd).collect::<Vec<_>>(),
        sent.iter().map(|(fd, _)| *fd).collect::<Vec<_>>(),
        "each tab reads its own reply"
    );
    assert!(
        read.iter().all(|(_, n)| *n > 0),
        "replies with bytes: {read:?}"
    );
    assert!(matches!(
        status_of(&sim, "web browser")[..],
        [AppStatus::Done { .. }]
    ));
    // The server accepted two connections, from two client ports.
    let ports: std::collections::BTreeSet<u16> = sim
        .events()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::SegmentSent(s) => s
                .summary
                .tcp()
                .filter(|t| t.dst_port == 8099)
                .map(|t| t.src_port),
            _ => None,
        })
        .collect();
    assert_eq!(ports.len(), 2, "two client ports: {ports:?}");
}

/// The slide's "try MongoDB's port in a browser" (scenarios/port-not-protocol.toml): TCP
/// connects the browser to mongod's 27017 whatever it will say. mongod reads a message's
/// 16-byte header, finds "GET " there, answers with real mongod's sentence in HTTP/1.0 and
/// closes with the rest of the request unread: as on Linux, the answer leaves first and the
/// stack then resets the connection (RST, never FIN), so nobody waits in TIME-WAIT. The same
/// browser, done with that page, connects again: to 28017, where nothing listens, and gets
/// ECONNREFUSED.
#[test]
fn mongod_answers_a_browser_in_http_then_resets_and_28017_refuses() {
    let text = fs::read_to_string("scenarios/port-not-protocol.toml").unwrap();
    let sim = run(&scenario::from_toml(&text).unwrap());
    let pid_of = |name: &str| sim.processes().find(|p| p.name == name).unwrap().pid;
    let (browser, mongod) = (pid_of("web browser"), pid_of("MongoDB server"));
    let reads = |who: Pid| -> Vec<Vec<u8>> {
        sim.events()
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::DataDelivered { pid, bytes, .. } if *pid == who => Some(bytes.clone()),
                _ => None,
            })
            .collect()
    };
    assert_eq!(
        reads(mongod),
        [b"GET / HTTP/1.1\r\n".to_vec()],
        "mongod reads the header's 16 bytes and no more"
    );
    let page = String::from_utf8(reads(browser).concat()).unwrap();
    assert!(
        page.starts_with("HTTP/1.0 200 OK\r\nConnection: close\r\n"),
        "{page}"
    );
    assert!(
        page.ends_with("\r\n\r\nIt looks like you are trying to access MongoDB over HTTP on the native driver port.\r\n"),
        "{page}"
    );
    // What the database sent on the connection, in order: the answer, then RST, no FIN.
    let db = sim.host_by_name("Database").unwrap();
    let flags: Vec<(usize, bool, bool)> = sim
        .events()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::SegmentSent(s) if s.from == db => s
                .summary
                .tcp()
                .filter(|t| t.src_port == 27017)
                .map(|t| (t.payload_len, t.flags.fin, t.flags.rst)),
            _ => None,
        })
        .collect();
    let answer = flags
        .iter()
        .position(|f| f.0 > 0)
        .expect("an answer with bytes");
    assert!(
        !flags.iter().any(|f| f.1),
        "no FIN from mongod's side: {flags:?}"
    );
    assert!(
        flags[answer + 1..].first().is_some_and(|f| f.2),
        "an RST right after the answer: {flags:?}"
    );
    let waits = sim.events().iter().any(|e| {
        matches!(
            e.kind,
            EventKind::StateChanged {
                to: SockState::TimeWait,
                ..
            }
        )
    });
    assert!(!waits, "a reset connection leaves nobody in TIME-WAIT");
    assert!(
        matches!(
            &status_of(&sim, "web browser")[..],
            [AppStatus::Failed(e)] if e.errno == Errno::ECONNREFUSED
        ),
        "the second connection is refused"
    );
}

/// A valid file to break in one place at a time.
const BASE: &str = r#"
version = 1
title = "Base"
seed = 1

[[hosts]]
name = "A"
ip = "10.0.0.1"

[[hosts]]
name = "B"
ip = "10.0.0.2"

[[links]]
between = ["A", "B"]

[[processes]]
name = "srv"
host = "B"
program = "node-server"

[[processes]]
name = "cli"
host = "A"
program = "curl"

[[actions]]
process = "srv"
at_ms = 0
do = "listen"
port = 8099

[[actions]]
process = "cli"
at_ms = 10
do = "connect"
to = "B:8099"
"#;

fn problems(text: &str) -> Vec<String> {
    match scenario::from_toml(text) {
        Ok(_) => vec![],
        Err(p) => p.iter().map(|p| p.to_string()).collect(),
    }
}

#[test]
fn the_base_file_is_valid() {
    assert_eq!(problems(BASE), Vec::<String>::new());
}

#[test]
fn every_validation_problem_is_reported_with_its_path() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "version = 1",
            "version = 2",
            "version: this file is format version 2; this Socket Lab reads version 1",
        ),
        (
            "title = \"Base\"",
            "title = \"\"",
            "title: must not be empty",
        ),
        ("title = \"Base\"", "", "\"title\" is missing"),
        (
            "seed = 1",
            "seed = \"x\"",
            "seed: must be a whole number, not text",
        ),
        (
            "seed = 1",
            "seed = 1\ncolour = \"red\"",
            "colour: unknown field; the fields here are",
        ),
        (
            "ip = \"10.0.0.2\"",
            "ip = \"192.168.1.300\"",
            "hosts[1].ip: \"192.168.1.300\" is not an IPv4 address",
        ),
        (
            "ip = \"10.0.0.2\"",
            "ip = \"10.0.0.1\"",
            "hosts[1].ip: 10.0.0.1 is already the address of hosts[0]",
        ),
        (
            "ip = \"10.0.0.2\"",
            "ip = \"10.0.0.255\"",
            "hosts[1].ip: 10.0.0.255 cannot be a host's address",
        ),
        (
            "name = \"B\"",
            "name = \"A\"",
            "hosts[1].name: \"A\" is already the name of hosts[0]",
        ),
        (
            "ip = \"10.0.0.2\"",
            "ip = \"10.0.0.2\"\nos = \"beos\"",
            "hosts[1].os: \"beos\" is not an OS profile",
        ),
        (
            "ip = \"10.0.0.2\"",
            "ip = \"10.0.0.2\"\nmac = \"x\"",
            "hosts[1].mac: unknown field",
        ),
        (
            "between = [\"A\", \"B\"]",
            "between = [\"A\", \"C\"]",
            "links[0].between: there is no host named \"C\"",
        ),
        (
            "between = [\"A\", \"B\"]",
            "between = [\"A\", \"A\"]",
            "links[0].between: a link joins two different hosts",
        ),
        (
            "between = [\"A\", \"B\"]",
            "between = \"A\"",
            "links[0].between: must be two host names in a list, not text",
        ),
        (
            "between = [\"A\", \"B\"]",
            "between = [\"A\", \"B\"]\nloss = 150",
            "links[0].loss: 150 is out of range: it must be from 0 to 100 %",
        ),
        (
            "between = [\"A\", \"B\"]",
            "between = [\"A\", \"B\"]\nlatency_ms = 0",
            "links[0].latency_ms: 0 is out of range",
        ),
        (
            "program = \"node-server\"",
            "program = \"apache\"",
            "processes[0].program: \"apache\" is not a program Socket Lab knows",
        ),
        (
            "host = \"B\"\nprogram",
            "host = \"Z\"\nprogram",
            "processes[0].host: there is no host named \"Z\"",
        ),
        (
            "name = \"cli\"",
            "name = \"srv\"",
            "processes[1].name: \"srv\" is already the name of processes[0]",
        ),
        (
            "port = 8099",
            "port = 70000",
            "actions[0].port: 70000 is out of range: it must be from 1 to 65535",
        ),
        ("port = 8099", "", "actions[0]: \"port\" is missing"),
        (
            "do = \"listen\"",
            "do = \"dance\"",
            "actions[0].do: \"dance\" is not an action",
        ),
        (
            "to = \"B:8099\"",
            "to = \"B\"",
            "actions[1].to: \"B\" must be \"host name:port\"",
        ),
        (
            "to = \"B:8099\"",
            "to = \"C:80\"",
            "actions[1].to: \"C:80\" must be \"host name:port\"",
        ),
        (
            "to = \"B:8099\"",
            "to = \"B:8099\"\nport = 1",
            "actions[1].port: unknown field",
        ),
        (
            "process = \"cli\"",
            "process = \"nobody\"",
            "actions[1].process: there is no process named \"nobody\"",
        ),
        (
            "at_ms = 10",
            "",
            "actions[1]: say when: \"at_ms\" (a time) or \"after\"",
        ),
        (
            "at_ms = 10",
            "at_ms = 10\nafter = \"srv:listening\"",
            "actions[1]: give either \"at_ms\" or \"after\", not both",
        ),
        (
            "at_ms = 10",
            "after = \"srv:ready\"",
            "actions[1].after: \"ready\" is not a milestone",
        ),
        (
            "at_ms = 10",
            "after = \"srv\"",
            "actions[1].after: \"srv\" must be \"process:milestone\"",
        ),
        (
            "at_ms = 10",
            "at_ms = 10\ndelay_ms = 5",
            "actions[1].delay_ms: only goes with \"after\"",
        ),
        (
            "at_ms = 10",
            "at_ms = -1",
            "actions[1].at_ms: -1 is out of range",
        ),
    ];
    for (from, to, expected) in cases {
        assert!(BASE.contains(from), "case base text {from:?}");
        let text = BASE.replacen(from, to, 1);
        let found = problems(&text);
        assert!(
            found
                .iter()
                .any(|p| p.starts_with(expected) || p.contains(expected)),
            "expected {expected:?}, got {found:?}"
        );
    }
}

#[test]
fn firewall_and_network_sections_are_checked_too() {
    let text = format!(
        "{BASE}\n[[firewall]]\nhost = \"Q\"\nproto = \"icmp\"\nport = 0\nverdict = \"maybe\"\n\n[[network]]\nat_ms = 5\nlink = [\"A\", \"Q\"]\nhost = \"A\"\nstate = \"sideways\"\n"
    );
    let found = problems(&text);
    assert_said(
        &found,
        &[
            "firewall[0].host: there is no host named \"Q\"",
            "firewall[0].proto: \"icmp\" must be \"tcp\" or \"udp\"",
            "firewall[0].port: 0 is out of range",
            "firewall[0].verdict: \"maybe\" must be \"drop\"",
            "network[0]: name either a \"link\" or a \"host\", not both",
            "network[0].link: there is no link between \"A\" and \"Q\"",
            "network[0].state: \"sideways\" must be \"down\" or \"up\"",
        ],
    );
}

#[test]
fn all_problems_are_reported_at_once() {
    let text = BASE
        .replace("ip = \"10.0.0.2\"", "ip = \"300.1.1.1\"")
        .replace("program = \"curl\"", "program = \"wget\"")
        .replace("version = 1", "version = 9");
    let found = problems(&text);
    assert_eq!(found.len(), 3, "{found:#?}");
}

#[test]
fn syntax_errors_say_where() {
    let found = problems("version = 1\ntitle = \"unterminated\nseed = 3\n");
    assert_eq!(found.len(), 1);
    assert!(found[0].starts_with("line 2, column"), "{found:?}");
    let json = scenario::from_json("{\"version\": 1, \"title\": \"t\"").unwrap_err();
    assert!(json[0].to_string().contains("not valid JSON"));
}

#[test]
fn a_json_scenario_reads_like_its_toml() {
    let toml = scenario::from_toml(BASE).unwrap();
    let json = toml.to_json();
    assert!(json.contains("\"do\": \"listen\""));
    assert_eq!(scenario::from_json(&json), Ok(toml));
}

#[test]
fn an_action_after_a_milestone_waits_for_it() {
    let text = format!(
        "{BASE}\n[[actions]]\nprocess = \"cli\"\nafter = \"cli:replied\"\ndelay_ms = 100\ndo = \"connect\"\nto = \"B:8099\"\n"
    );
    let s = scenario::from_toml(&text).unwrap();
    let sim = run(&s);
    let connects: Vec<_> = sim
        .events()
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Connecting { .. }))
        .map(|e| e.at)
        .collect();
    let replied = sim
        .processes()
        .find(|p| p.name == "curl")
        .unwrap()
        .milestones()[&Milestone::Replied];
    assert_eq!(
        connects,
        [ms(10), replied + time::Duration::from_millis(100)],
        "the second connect waited for the first reply"
    );
}

#[test]
fn a_capture_reads_back_field_by_field() {
    let s = load("node-server-8099.toml");
    let timeline = Timeline::record(s.build().unwrap(), s.run_limit());
    let (bytes, n) = capture(timeline.events());
    let sent: Vec<&event::SegmentSent> = timeline
        .events()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::SegmentSent(s) if s.link.is_some() => Some(&**s),
            _ => None,
        })
        .collect();
    assert_eq!(n, sent.len());
    let mut reader = pcap_file::pcap::PcapReader::new(&bytes[..]).unwrap();
    let header = reader.header();
    assert_eq!(header.datalink, pcap_file::DataLink::IPV4);
    assert_eq!((header.version_major, header.version_minor), (2, 4));
    assert_eq!(header.ts_resolution, pcap_file::TsResolution::MicroSecond);
    let mut i = 0;
    while let Some(packet) = reader.next_packet() {
        let packet = packet.unwrap();
        let s = sent[i];
        assert_eq!(
            packet.timestamp.as_micros() as i64,
            s.depart.total_micros(),
            "packet {i} time"
        );
        assert_eq!(packet.orig_len as usize, s.bytes.len());
        assert_eq!(&packet.data[..], &s.bytes[..]);
        let summary = packet::decode(&packet.data).unwrap();
        assert_eq!(summary, s.summary);
        i += 1;
    }
    assert_eq!(i, sent.len());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Whatever a teacher types, reading it never panics.
    #[test]
    fn reading_any_text_never_panics(text in ".{0,400}") {
        let _ = scenario::from_toml(&text);
        let _ = scenario::from_json(&text);
    }

    /// Damaged copies of real scenarios (a line dropped, a value changed) are reported, never
    /// a panic, and whatever still reads also builds and runs.
    #[test]
    fn damaged_scenarios_never_panic(pick in 0usize..100, line in 0usize..200, junk in prop::sample::select(vec!["", "x = 1", "port = 0", "ip = \"1.2.3\"", "[[hosts]]", "do = \"close\"", "at_ms = 1e9", "between = []"])) {
        let files = shipped();
        let (_, text) = &files[pick % files.len()];
        let mut lines: Vec<&str> = text.lines().collect();
        let at = line % lines.len();
        lines[at] = junk;
        let damaged = lines.join("\n");
        if let Ok(s) = scenario::from_toml(&damaged) {
            let mut sim = s.build().unwrap();
            sim.run_until_idle(ms(120_000));
        }
    }

    /// The app's "Scenario file" download writes any text a scenario holds (quotes,
    /// backslashes, lines, tabs, control characters, any script) so that it reads back the
    /// same, and any number a field may hold.
    #[test]
    fn a_written_scenario_reads_back_the_same(
        title in "\\PC{1,40}",
        description in "(\\PC|\n|\t|\r|\"|\\\\|\u{0}|\u{7f}|\u{85}){0,80}",
        data in ".{0,30}",
        name in "[a-zA-Z][^\"\\\\:]{0,12}\"?\\\\?",
        // As a person types them: up to 15 significant digits.
        latency in (1u64..=10_000_000_000_000).prop_map(|n| n as f64 / 1e9),
        at in (0u64..=360_000_000_000_000).prop_map(|n| n as f64 / 1e8),
        seed in 0u64..=(i64::MAX as u64),
    ) {
        let mut s = load("node-server-8099.toml");
        // Each begins with a letter: a title or description of spaces alone is a problem.
        s.title = format!("T{title}");
        s.description = Some(format!("D{description}"));
        s.seed = seed;
        s.links[0].latency_ms = Some(latency);
        let old = s.hosts[0].name.clone();
        s.hosts[0].name = name.clone();
        for link in &mut s.links {
            for end in &mut link.between {
                if *end == old {
                    *end = name.clone();
                }
            }
        }
        for p in &mut s.processes {
            if p.host == old {
                p.host = name.clone();
            }
        }
        s.actions[0].at_ms = Some(at);
        s.actions.iter_mut().filter(|a| a.op == "send").for_each(|a| a.data = Some(data.clone()));
        // Only what is a scenario gets written: a name the checks refuse is not one.
        prop_assume!(s.build().is_ok());
        let read = scenario::from_toml(&s.to_toml());
        prop_assert_eq!(read.as_ref(), Ok(&s), "{}", s.to_toml());
    }

    /// A computed number (any f64 a field may hold, with all 17 digits) reads back within
    /// 10^-15 of itself, and a whole or short one exactly.
    #[test]
    fn a_written_number_reads_back_within_a_part_in_10_to_the_15(
        at in 0.0f64..3_600_000.0,
        whole in 0u32..3_600_000,
    ) {
        for at in [at, f64::from(whole), f64::from(whole) / 4.0] {
            let mut s = load("slides.toml");
            s.actions[0].at_ms = Some(at);
            let text = s.to_toml();
            let read = scenario::from_toml(&text).unwrap().actions[0].at_ms.unwrap();
            if at.fract() == 0.0 || (at * 4.0).fract() == 0.0 {
                prop_assert_eq!(read, at, "{}", text);
            } else {
                prop_assert!((read - at).abs() <= at * 1e-15, "{} read as {}", at, read);
            }
        }
    }
}

#[test]
fn the_stress_scene_puts_over_a_hundred_segments_in_flight() {
    let s = load("stress-50-clients.toml");
    let timeline = Timeline::record(s.build().unwrap(), s.run_limit());
    let most = timeline
        .moments()
        .into_iter()
        .map(|t| timeline.seek(t).in_flight.len())
        .max()
        .unwrap();
    assert!(most >= 100, "at most {most} segments in flight at once");
    let sim = run(&s);
    let done = sim
        .processes()
        .filter(|p| matches!(p.status(), AppStatus::Done { .. }))
        .count();
    assert_eq!(done, 50);
}

/// A file too big for the tab to run says so, plainly, and is not read: too many hosts, too
/// many processes or actions, or simply too many bytes.
#[test]
fn scenarios_too_large_to_run_are_refused_with_a_sentence() {
    let mut text = BASE.to_string();
    for i in 0..1200 {
        text.push_str(&format!(
            "\n[[actions]]\nprocess = \"cli\"\nat_ms = {}\ndo = \"close\"\n",
            20 + i
        ));
    }
    let found = problems(&text);
    assert!(
        found.contains(
            &"actions: 1202 entries are more than a scenario may have (at most 1000)".to_string()
        ),
        "{found:?}"
    );
    let mut hosts = String::from("version = 1\ntitle = \"t\"\nseed = 1\n");
    for i in 0..30 {
        hosts.push_str(&format!(
            "\n[[hosts]]\nname = \"h{i}\"\nip = \"10.0.0.{}\"\n",
            i + 2
        ));
    }
    assert_eq!(
        problems(&hosts),
        ["hosts: 30 entries are more than a scenario may have (at most 24)"]
    );
    let huge = format!("{BASE}\n# {}\n", "x".repeat(300 * 1024));
    assert_eq!(
        problems(&huge),
        ["the file is 301 KB; a scenario may be at most 256 KB"]
    );
}

/// BASE with one entry in every section.
fn full_base() -> String {
    format!(
        "{BASE}\n[[firewall]]\nhost = \"B\"\nproto = \"tcp\"\nport = 22\nverdict = \"drop\"\n\n[[network]]\nat_ms = 5\nhost = \"A\"\nstate = \"down\"\n\n[[stages]]\nat_ms = 0\ntitle = \"Start\"\ntext = \"A server listens.\"\n"
    )
}

/// The problems `full_base()` has with one field of one entry changed (`entry` None: the
/// file's own fields), or taken out (`value` None).
fn problems_with(list: Option<&str>, key: &str, value: Option<toml::Value>) -> Vec<String> {
    let mut top: toml::Table = full_base().parse().unwrap();
    let table = match list {
        Some(list) => top[list].as_array_mut().unwrap()[0].as_table_mut().unwrap(),
        None => &mut top,
    };
    match value {
        Some(v) => table.insert(key.to_string(), v),
        None => table.remove(key),
    };
    problems(&toml::to_string(&top).unwrap())
}

/// Each field's kind, presence and range is checked as `format.rs` declares it, for the
/// file's own fields and every section's: a wrong kind, a required field left out, and a
/// number below its least value each give a problem at that field.
fn check_declared_fields(list: Option<&str>, fields: &[scenario::Field]) {
    use scenario::Kind;
    use toml::Value as V;
    for f in fields {
        let at = match list {
            Some(list) => format!("{list}[0].{}", f.key),
            None => f.key.to_string(),
        };
        let entry = at.rsplit_once('.').map_or("", |(e, _)| e).to_string();
        let wrong = match f.kind {
            Kind::Text | Kind::Pair => V::Integer(7),
            Kind::Number | Kind::Bool => V::String("x".into()),
            Kind::Whole => V::Float(1.5),
        };
        let found = problems_with(list, f.key, Some(wrong));
        assert!(
            found
                .iter()
                .any(|p| p.starts_with(&format!("{at}: must be"))),
            "a wrong kind for {at}: {found:#?}"
        );
        let found = problems_with(list, f.key, None);
        let missing = format!("\"{}\" is missing", f.key);
        let said = if entry.is_empty() {
            missing.clone()
        } else {
            format!("{entry}: {missing}")
        };
        // (An optional field may still be required by what an action does: a listen's port.)
        assert!(
            !f.required || found.contains(&said),
            "{at} left out: {found:#?}"
        );
        if let Some((least, _, _)) = f.range {
            let below = match f.kind {
                Kind::Whole => V::Integer(least as i64 - 1),
                _ => V::Float(least - 1.0),
            };
            let found = problems_with(list, f.key, Some(below));
            assert!(
                found
                    .iter()
                    .any(|p| p.starts_with(&format!("{at}: ")) && p.contains("is out of range")),
                "{at} below its least value {least}: {found:#?}"
            );
        }
    }
}

#[test]
fn every_field_the_format_declares_is_checked_for_its_kind_presence_and_range() {
    use scenario::{
        ActionDef, FirewallDef, HostDef, LinkDef, NetEventDef, ProcessDef, Section, StageDef,
    };
    assert_eq!(problems(&full_base()), Vec::<String>::new());
    check_declared_fields(None, scenario::FILE_FIELDS);
    check_declared_fields(Some(HostDef::LIST), HostDef::FIELDS);
    check_declared_fields(Some(LinkDef::LIST), LinkDef::FIELDS);
    check_declared_fields(Some(ProcessDef::LIST), ProcessDef::FIELDS);
    check_declared_fields(Some(ActionDef::LIST), ActionDef::FIELDS);
    check_declared_fields(Some(FirewallDef::LIST), FirewallDef::FIELDS);
    check_declared_fields(Some(NetEventDef::LIST), NetEventDef::FIELDS);
    check_declared_fields(Some(StageDef::LIST), StageDef::FIELDS);
}

#[test]
fn a_written_scenario_spells_numbers_as_a_person_types_them() {
    let mut s = load("slides.toml");
    for (at, written) in [
        (0.0, "0"),
        (20.0, "20"),
        (0.5, "0.5"),
        (12.25, "12.25"),
        (0.001, "0.001"),
        (0.1, "0.1"),
        (0.0000001, "0.0000001"),
        (3_600_000.0, "3600000"),
        (1234.5678, "1234.5678"),
    ] {
        s.actions[0].at_ms = Some(at);
        let text = s.to_toml();
        assert!(
            text.contains(&format!("\nat_ms = {written}\n")),
            "{at} is written as {written}:\n{text}"
        );
        assert_eq!(scenario::from_toml(&text).as_ref(), Ok(&s), "{at}");
    }
}

/// The slide's "server creates socket & process", as a forking server does it
/// (scenarios/forking-server.toml): for each connection it accepts, the Python server forks a
/// child that holds the connection as its own descriptor (the same number, fd 4, in each child),
/// while the parent keeps only the listener. Each child answers, closes and exits; its socket
/// stays in TIME-WAIT with no process, and the listener stays with the parent. Node.js beside
/// it holds every connection in its one process.
#[test]
fn a_forking_server_gives_each_connection_a_child_and_node_keeps_them_all() {
    let text = fs::read_to_string("scenarios/forking-server.toml").unwrap();
    let s = scenario::from_toml(&text).unwrap();
    let timeline = socketlab::engine::timeline::Timeline::record(s.build_trusted(), s.run_limit());
    let server_at = |at: i64| timeline.seek(ms(at)).host("Server").unwrap().clone();
    let owners = |at: i64| -> Vec<(Option<u16>, String, String)> {
        let server = server_at(at);
        server
            .sockets
            .iter()
            .map(|r| {
                (
                    r.remote.map(|a| a.port()),
                    r.state.rfc_name().to_string(),
                    server.cells(r)[6].clone(),
                )
            })
            .collect()
    };
    let at = |remote: Option<u16>, state: &str, process: &str| {
        (remote, state.to_string(), process.to_string())
    };
    // Both children alive, each with its connection as fd 4; the parent only listens. Where
    // three processes run python3, the table names each by its pid; node runs alone.
    assert_eq!(
        owners(300),
        [
            at(None, "LISTEN", "node (fd 3)"),
            at(None, "LISTEN", "python3 (pid 1001, fd 3)"),
            at(Some(59656), "ESTABLISHED", "python3 (pid 1002, fd 4)"),
            at(Some(34652), "ESTABLISHED", "python3 (pid 1003, fd 4)"),
        ]
    );
    let pids = |at: i64| -> Vec<u32> {
        let server = server_at(at);
        server.processes.iter().map(|p| p.pid.pid).collect()
    };
    assert_eq!(pids(300), [1000, 1001, 1002, 1003]);
    // Each child answered, closed first and exited: its socket waits in TIME-WAIT, held by
    // nobody. Node.js holds both of its connections in its one process.
    assert_eq!(pids(900), [1000, 1001]);
    assert_eq!(
        owners(900),
        [
            at(None, "LISTEN", "node (fd 3)"),
            at(None, "LISTEN", "python3 (fd 3)"),
            at(Some(59656), "TIME-WAIT", "–"),
            at(Some(34652), "TIME-WAIT", "–"),
            at(Some(58606), "ESTABLISHED", "node (fd 4)"),
            at(Some(51834), "ESTABLISHED", "node (fd 5)"),
        ]
    );
    // The forks are in the record: the parent's, one per connection to port 8000.
    let forks: Vec<(u32, u32)> = timeline
        .events()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Forked { parent, child, .. } => Some((parent.pid, child.pid)),
            _ => None,
        })
        .collect();
    assert_eq!(forks, [(1001, 1002), (1001, 1003)]);
}
