//! The default scene is the course's slides: at each of its stages, both hosts' socket tables
//! hold exactly the slide's sockets, cell by cell. The slides' tables are written out below as
//! the slides have them (Transport, Source Port, Source IP Addr, Destination Port,
//! Destination IP Addr), so a change to the engine or the scene that breaks the lesson fails
//! here.
#![cfg(not(target_arch = "wasm32"))]

use socketlab::engine::scenario;
use socketlab::engine::snapshot::Snapshot;
use socketlab::engine::time::Instant;
use socketlab::engine::Timeline;

/// One slide's table: a column per socket, as on the slide.
type Table = &'static [[&'static str; 5]];

const LISTENER: [&str; 5] = ["TCP", "80", "192.168.1.102", "n/a", "n/a"];
const CLIENT: [&str; 5] = ["TCP", "10378", "192.168.1.101", "80", "192.168.1.102"];
const SERVER_CONN: [&str; 5] = ["TCP", "80", "192.168.1.102", "10378", "192.168.1.101"];

/// The stages in order: title, the client's table, the server's table.
const STAGES: &[(&str, Table, Table)] = &[
    ("Well-known ports", &[], &[]),
    // "Server creates socket and listens"
    ("The server creates a socket and listens", &[], &[LISTENER]),
    // "Client creates a socket and connects"
    (
        "The client creates a socket and connects",
        &[CLIENT],
        &[LISTENER],
    ),
    // "Transport layer delivers message to server"
    (
        "The transport layer delivers the message to the server",
        &[CLIENT],
        &[LISTENER],
    ),
    // "Server creates socket & process"
    (
        "The server creates a new socket",
        &[CLIENT],
        &[LISTENER, SERVER_CONN],
    ),
    // "Transport layer delivers message to client"
    (
        "The transport layer delivers the message to the client",
        &[CLIENT],
        &[LISTENER, SERVER_CONN],
    ),
    // "Sockets closed": here a real stack differs from the slide, and the stage text says
    // so: the server's Socket 2 is gone after the last ACK, the client's socket waits in
    // TIME-WAIT, the listener stays.
    ("Sockets closed", &[CLIENT], &[LISTENER]),
];

fn slides() -> (scenario::Scenario, Timeline) {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/slides.toml"
    ))
    .expect("scenarios/slides.toml exists");
    let scenario = scenario::from_toml(&text).expect("the slides' scene is valid");
    let sim = scenario.build().expect("the slides' scene builds");
    let timeline = Timeline::record(sim, scenario.run_limit());
    (scenario, timeline)
}

/// The first five course cells of each socket on `host`, a column per socket.
fn cells(snap: &Snapshot, host: &str) -> Vec<[String; 5]> {
    snap.host(host)
        .expect("host exists")
        .sockets
        .iter()
        .map(|row| {
            let c = row.course_cells();
            [
                c[0].clone(),
                c[1].clone(),
                c[2].clone(),
                c[3].clone(),
                c[4].clone(),
            ]
        })
        .collect()
}

fn owned(table: Table) -> Vec<[String; 5]> {
    table.iter().map(|col| col.map(str::to_string)).collect()
}

#[test]
fn every_stage_of_the_default_scene_shows_the_slides_tables_cell_by_cell() {
    let (scenario, timeline) = slides();
    let titles: Vec<&str> = scenario.stages.iter().map(|s| s.title.as_str()).collect();
    let expected: Vec<&str> = STAGES.iter().map(|s| s.0).collect();
    assert_eq!(titles, expected, "the stages, in the slides' order");
    for (stage, (title, client, server)) in scenario.stages.iter().zip(STAGES) {
        let snap = timeline.seek(stage.at());
        assert_eq!(
            cells(&snap, "Client PC"),
            owned(client),
            "client's table at \"{title}\""
        );
        assert_eq!(
            cells(&snap, "Server"),
            owned(server),
            "server's table at \"{title}\""
        );
    }
}

#[test]
fn the_stages_show_what_the_slides_name_as_it_happens() {
    let (scenario, timeline) = slides();
    let at = |title: &str| {
        scenario
            .stages
            .iter()
            .find(|s| s.title == title)
            .map(|s| s.at())
            .expect("stage exists")
    };
    let state = |t: Instant, host: &str, i: usize| {
        timeline.seek(t).host(host).unwrap().sockets[i]
            .state
            .rfc_name()
            .to_string()
    };
    let flags = |t: Instant| -> Vec<String> {
        timeline
            .seek(t)
            .in_flight
            .iter()
            .map(|f| {
                f.summary
                    .tcp()
                    .map(|t| t.flags.to_string())
                    .unwrap_or_default()
            })
            .collect()
    };
    // The client's SYN is on its way and about to arrive.
    let delivering = at("The transport layer delivers the message to the server");
    assert_eq!(flags(delivering), ["SYN"]);
    assert!(timeline.seek(delivering).in_flight[0].progress > 0.95);
    // The new socket is there the moment the SYN arrives, half-open.
    assert_eq!(
        state(at("The server creates a new socket"), "Server", 1),
        "SYN-RECEIVED"
    );
    // The reply is on its way back, carrying data, behind the server's quick ACK of the request.
    let back = at("The transport layer delivers the message to the client");
    assert_eq!(flags(back), ["ACK", "PSH, ACK"]);
    assert_eq!(state(back, "Client PC", 0), "ESTABLISHED");
    assert_eq!(state(back, "Server", 1), "ESTABLISHED");
    // Closed: the client waits in TIME-WAIT, the listener stays.
    let closed = at("Sockets closed");
    assert_eq!(state(closed, "Client PC", 0), "TIME-WAIT");
    assert_eq!(state(closed, "Server", 0), "LISTEN");
    // The stage text says how this differs from the slide.
    let text = &scenario.stages.last().unwrap().text;
    assert!(text.contains("differs from the slide") && text.contains("TIME-WAIT"));
}

#[test]
fn the_default_scene_names_mongodb_by_its_real_port() {
    let (scenario, _) = slides();
    let first = &scenario.stages[0].text;
    assert!(first.contains("27017"), "MongoDB listens on 27017");
    assert!(first.contains("27107 is a typo"));
}
