//! The scenarios compiled into the app are exactly the shipped files, as the engine reads them.
#![cfg(not(target_arch = "wasm32"))]

use socketlab::builtin::BUILTIN;
use socketlab::engine::scenario;

#[test]
fn every_shipped_file_is_built_in_and_equal_to_its_toml() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        files += 1;
        let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
        let parsed = scenario::from_toml(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|p| panic!("{stem}: {p:?}"));
        let built = BUILTIN
            .iter()
            .find(|(s, _)| *s == stem)
            .unwrap_or_else(|| panic!("{stem} is not built in"))
            .1();
        assert_eq!(built, parsed, "{stem}");
        // And the trusted build makes the same run as the checked one.
        let a = scenario::from_toml(&parsed.to_toml())
            .unwrap()
            .build()
            .unwrap()
            .take_events();
        let b = built.build_trusted().take_events();
        assert_eq!(a, b, "{stem}: same setup events");
    }
    assert_eq!(files, BUILTIN.len());
}

/// A scene's words, in the order the page reads them: its title and description, each host's
/// name, then each stage's title and text (each paragraph as one line). A scene whose first
/// stage starts at 0 never shows its description (the player shows a stage from the start), so
/// the page gets none.
fn words_of(
    title: &str,
    description: Option<&str>,
    hosts: &[&str],
    stages: &[(&str, &str)],
    staged_from_start: bool,
) -> Vec<String> {
    let line = socketlab::lessons::words::one_line;
    let description = description.filter(|_| !staged_from_start);
    let mut out = vec![line(title), line(description.unwrap_or(""))];
    out.extend(hosts.iter().map(|h| h.to_string()));
    for (title, text) in stages {
        out.push(line(title));
        out.push(line(text));
    }
    out
}

/// `locales/scenes/<lang>.json`: each shipped scene's words in `lang`, by its id, a text a line.
fn scene_words_json(scenes: &[(String, Vec<String>)]) -> String {
    let quote = |s: &String| serde_json::to_string(s).unwrap();
    let items: Vec<String> = scenes
        .iter()
        .map(|(id, words)| {
            let words: Vec<String> = words.iter().map(quote).collect();
            format!("  {}: [\n    {}\n  ]", quote(id), words.join(",\n    "))
        })
        .collect();
    format!("{{\n{}\n}}\n", items.join(",\n"))
}

/// The scenes' words leave the app's code (the web build carries the scenes without them) and
/// come by language: `locales/scenes/en.json` is the scene files' English, and every other
/// language's file is its translation (`locales/scenes/<lang>.toml`), which has every text of
/// every shipped scene, stage for stage. `UPDATE_SHIPPED=1 cargo test --test builtin` writes them.
#[test]
fn the_scenes_words_by_language_are_the_scene_files_and_their_translations() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let english: Vec<(String, Vec<String>)> = BUILTIN
        .iter()
        .map(|(id, make)| {
            let s = make();
            let stages: Vec<_> = s.stages.iter().map(|st| (&*st.title, &*st.text)).collect();
            let hosts: Vec<_> = s.hosts.iter().map(|h| &*h.name).collect();
            let from_start = s.stages.first().is_some_and(|st| st.at_ms == 0.0);
            let description = s.description.as_deref();
            let words = words_of(&s.title, description, &hosts, &stages, from_start);
            (id.to_string(), words)
        })
        .collect();
    let mut generated = vec![("en".to_string(), scene_words_json(&english))];
    for lang in socketlab::lessons::file::LANGUAGES
        .iter()
        .filter(|l| **l != "en")
    {
        let path = root.join(format!("locales/scenes/{lang}.toml"));
        let text = std::fs::read_to_string(&path).unwrap();
        let by_id: toml::Table = text.parse().unwrap_or_else(|e| panic!("{lang}: {e}"));
        let mut theirs = Vec::new();
        for (id, en) in &english {
            let scene = by_id
                .get(id)
                .and_then(|v| v.as_table())
                .unwrap_or_else(|| panic!("locales/scenes/{lang}.toml has no [{id}]"));
            let text = |t: &toml::Table, key: &str| -> String {
                t.get(key)
                    .and_then(|v| v.as_str())
                    .unwrap_or_else(|| panic!("locales/scenes/{lang}.toml: {id}: no {key}"))
                    .to_string()
            };
            let stages: Vec<(String, String)> = scene
                .get("stages")
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
                .map(|st| {
                    let st = st.as_table().unwrap();
                    (text(st, "title"), text(st, "text"))
                })
                .collect();
            let stages: Vec<_> = stages.iter().map(|(a, b)| (&**a, &**b)).collect();
            let hosts: Vec<&str> = scene
                .get("hosts")
                .and_then(|v| v.as_array())
                .unwrap_or_else(|| panic!("locales/scenes/{lang}.toml: {id}: no hosts"))
                .iter()
                .map(|h| h.as_str().unwrap())
                .collect();
            // A description the page never shows (the English has none) needs no translation.
            let shown = !en[1].is_empty();
            let description = shown.then(|| text(scene, "description"));
            let words = words_of(
                &text(scene, "title"),
                description.as_deref(),
                &hosts,
                &stages,
                !shown,
            );
            assert_eq!(
                words.len(),
                en.len(),
                "{lang} {id}: a name for each host, a stage for each stage"
            );
            theirs.push((id.clone(), words));
        }
        assert_eq!(
            by_id.len(),
            english.len(),
            "{lang}: a scene that is not shipped"
        );
        generated.push((lang.to_string(), scene_words_json(&theirs)));
    }
    for (lang, json) in &generated {
        let path = root.join(format!("locales/scenes/{lang}.json"));
        if std::env::var_os("UPDATE_SHIPPED").is_some() {
            std::fs::write(&path, json).unwrap();
        }
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            on_disk == *json,
            "locales/scenes/{lang}.json is out of date: run UPDATE_SHIPPED=1 cargo test --test builtin"
        );
    }
}

/// Each shipped scene's run is recorded once (`recordings/<scene>.bin`, with the scene itself
/// without its words) and the web app plays the recording, so a page carries no TCP/IP stack,
/// and no scene, in its code. The recording is the run: read back, it gives every event the
/// engine gives, and a timeline built from it shows the same snapshot at every moment; the
/// scene reads back as its file, but for its words. `UPDATE_SHIPPED=1 cargo test --test
/// builtin` writes them.
#[test]
fn every_shipped_scene_plays_from_a_recording_equal_to_its_run() {
    use socketlab::engine::scene_file::{decode as decode_scene, encode as encode_scene};
    use socketlab::engine::timeline::{Recording, Timeline};
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("recordings");
    for (id, make) in BUILTIN {
        let scenario = make();
        let made = Recording::of(scenario.build_trusted(), scenario.run_limit());
        let bytes = encode_scene(id, &scenario, &made);
        let path = root.join(format!("{id}.bin"));
        if std::env::var_os("UPDATE_SHIPPED").is_some() {
            std::fs::create_dir_all(&root).unwrap();
            std::fs::write(&path, &bytes).unwrap();
        }
        let on_disk = std::fs::read(&path).unwrap_or_default();
        assert!(
            on_disk == bytes,
            "recordings/{id}.bin is out of date: run UPDATE_SHIPPED=1 cargo test --test builtin"
        );
        let (scene, read) = decode_scene(&on_disk, id).unwrap_or_else(|e| panic!("{id}: {e:?}"));
        assert_eq!(read, made, "{id}: the recording reads back as it was made");
        let mut bare = scenario.clone();
        bare.title = String::new();
        bare.description = None;
        for stage in &mut bare.stages {
            (stage.title, stage.text) = (String::new(), String::new());
        }
        assert_eq!(
            scene, bare,
            "{id}: the scene reads back as its file, without its words"
        );
        assert_eq!(scene.to_toml(), bare.to_toml(), "{id}");
        let (played, ran) = (
            Timeline::play(read),
            Timeline::record(scenario.build_trusted(), scenario.run_limit()),
        );
        assert_eq!(played.events(), ran.events(), "{id}");
        for t in ran.moments() {
            assert_eq!(played.seek(t), ran.seek(t), "{id} at {t}");
        }
    }
}

/// Bytes that are not a whole, sound recording of this version are refused with a reason, and
/// nothing a damaged file holds can make playing it panic: each of thousands of cuts and
/// flipped bytes either is refused or plays to its end.
#[test]
fn a_damaged_recording_is_refused_or_plays_never_panics() {
    use socketlab::engine::timeline::{Recording, RecordingError, Timeline};
    let (id, make) = BUILTIN.iter().find(|(id, _)| *id == "walkthrough").unwrap();
    let scenario = make();
    let good = Recording::of(scenario.build_trusted(), scenario.run_limit()).encode();
    assert_eq!(
        Recording::decode(b"").unwrap_err(),
        RecordingError::NotARecording
    );
    assert_eq!(
        Recording::decode(b"PK\x03\x04 a zip").unwrap_err(),
        RecordingError::NotARecording
    );
    assert!(matches!(
        Recording::decode(&good[..good.len() / 2]),
        Err(RecordingError::Damaged(_))
    ));
    let mut longer = good.clone();
    longer.push(0);
    assert_eq!(Recording::decode(&longer), Err(RecordingError::TooLong(1)));
    // A seeded walk over the bytes (no RNG crate needed): cut here, flip there.
    let mut next = xorshift(0x9e37_79b9_7f4a_7c15);
    let (mut refused, mut played) = (0, 0);
    for _ in 0..3000 {
        let mut bytes = good.clone();
        for _ in 0..1 + next() % 3 {
            let i = 4 + (next() as usize) % (bytes.len() - 4);
            bytes[i] = next() as u8;
        }
        match Recording::decode(&bytes) {
            Err(_) => refused += 1,
            Ok(r) => {
                let t = Timeline::play(r);
                for m in t.moments() {
                    t.seek(m);
                }
                t.seek(t.end());
                played += 1;
            }
        }
    }
    assert!(
        refused > 0 && played > 0,
        "{id}: {refused} refused, {played} played"
    );
}

/// Every kind of event, with every case of its fields that a run can hold, reads back from a
/// recording's bytes as it was written (the shipped scenes hold most kinds, not all of them).
#[test]
fn every_kind_of_event_reads_back_from_a_recording() {
    use socketlab::engine::event::{Demux, DropReason, Event, EventKind, SegmentId};
    use socketlab::engine::faults::{NetChange, Verdict};
    use socketlab::engine::net::{HostId, LinkId};
    use socketlab::engine::program::AppKind;
    use socketlab::engine::socket::{Errno, Op, Pid, Proto, SockError, SockId, SockState, Why};
    use socketlab::engine::timeline::Recording;
    let (_, make) = BUILTIN.iter().find(|(id, _)| *id == "walkthrough").unwrap();
    let scenario = make();
    let mut run = Recording::of(scenario.build_trusted(), scenario.run_limit());
    let (host, sock) = (HostId(1), SockId(77));
    let pid = Pid { host, pid: 4242 };
    let addr = "192.168.1.102:8099".parse().unwrap();
    let error = SockError::new(
        Op::Bind,
        Errno::EACCES,
        Why::PrivilegedPort,
        vec![("port", "80".into()), ("user", "student".into())],
    );
    let mut kinds = vec![
        EventKind::SegmentDropped {
            seg: SegmentId(1),
            reason: DropReason::BacklogFull { listener: sock },
        },
        EventKind::SegmentDropped {
            seg: SegmentId(2),
            reason: DropReason::Firewall {
                verdict: Verdict::RejectWithTcpReset,
            },
        },
        EventKind::SegmentDropped {
            seg: SegmentId(3),
            reason: DropReason::HostDown,
        },
        EventKind::SegmentDelivered {
            seg: SegmentId(4),
            host,
            decision: Demux::UdpSocket { sock },
        },
        EventKind::SegmentDelivered {
            seg: SegmentId(5),
            host,
            decision: Demux::Reassembling,
        },
        EventKind::ProcessStarted {
            pid,
            name: "py".into(),
            command: "python3".into(),
            kind: Some(AppKind::ForkingServer),
        },
        EventKind::ProcessStarted {
            pid,
            name: "x".into(),
            command: String::new(),
            kind: None,
        },
        EventKind::SocketCreated {
            host,
            sock,
            proto: Proto::Udp,
            owner: Some((pid, 3)),
            state: SockState::Bound,
            local: Some(addr),
            remote: None,
        },
        EventKind::Accepted {
            host,
            listener: sock,
            sock: SockId(78),
            pid,
            fd: 4,
        },
        EventKind::Bound {
            host,
            sock,
            local: addr,
            picked: true,
        },
        EventKind::Connecting {
            host,
            sock,
            local: addr,
            remote: addr,
        },
        EventKind::Queues {
            host,
            sock,
            recv_q: 70_000,
            send_q: 0,
        },
        EventKind::NetChanged(NetChange::Link {
            link: LinkId(0),
            up: false,
        }),
        EventKind::NetChanged(NetChange::Host { host, up: true }),
        EventKind::StateChanged {
            host,
            sock,
            from: SockState::FinWait2,
            to: SockState::TimeWait,
        },
        EventKind::DataSent {
            host,
            sock,
            pid,
            fd: 3,
            bytes: b"GET / HTTP/1.1".to_vec(),
        },
        EventKind::DataDelivered {
            host,
            sock,
            pid,
            fd: 3,
            bytes: vec![0, 255],
            from: Some(addr),
        },
        EventKind::ErrorReturned {
            pid,
            fd: None,
            sock: Some(sock),
            error,
        },
        EventKind::Forked {
            host,
            parent: pid,
            child: Pid { host, pid: 4243 },
            sock,
            fd: 4,
        },
        EventKind::FdClosed {
            host,
            sock,
            pid,
            fd: 4,
        },
        EventKind::SocketClosed { host, sock },
        EventKind::ProcessExited { pid },
    ];
    let at = run.end;
    run.events
        .extend(kinds.drain(..).map(|kind| Event { at, kind }));
    assert_eq!(Recording::decode(&run.encode()), Ok(run));
}

/// A shipped scene's file is refused whole when any part of it is damaged, and a damaged file
/// that still reads (a flipped byte in a port, a name's letter) makes a scene the view shows
/// without panicking: cut at every length, and thousands of flipped bytes.
#[test]
fn a_damaged_scene_file_is_refused_or_shows_never_panics() {
    use socketlab::engine::scene_file::decode as decode_scene;
    use socketlab::engine::timeline::RecordingError;
    use socketlab::view::scenes::Scene;
    let good = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("recordings/walkthrough.bin"),
    )
    .unwrap();
    let decode = |bytes: &[u8]| decode_scene(bytes, "walkthrough");
    assert!(decode(&good).is_ok());
    assert_eq!(decode(b"SLR2").unwrap_err(), RecordingError::NotARecording);
    assert_eq!(
        decode_scene(&good, "slides").unwrap_err(),
        RecordingError::OtherScene,
        "another scene's file"
    );
    for cut in (0..good.len()).step_by(7) {
        assert!(decode(&good[..cut]).is_err(), "cut at {cut}");
    }
    let mut next = xorshift(0x2545_f491_4f6c_dd1d);
    let (mut refused, mut shown) = (0, 0);
    for _ in 0..3000 {
        let mut bytes = good.clone();
        // The scene's part of the file is its first few hundred bytes: flip there mostly.
        for _ in 0..1 + next() % 2 {
            let i = 4 + (next() as usize) % (bytes.len().min(600) - 4);
            bytes[i] = next() as u8;
        }
        match decode(&bytes) {
            Err(_) => refused += 1,
            Ok((scenario, recording)) => {
                let scene = Scene::played("walkthrough", scenario, recording, 0);
                for m in scene.timeline.moments() {
                    scene.timeline.seek(m);
                    let _ = scene.stage_at(m);
                }
                shown += 1;
            }
        }
    }
    assert!(refused > 0 && shown > 0, "{refused} refused, {shown} shown");
}

/// Seeded pseudo-random numbers (xorshift), for damage that is the same on every run.
fn xorshift(mut x: u64) -> impl FnMut() -> u64 {
    move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    }
}
