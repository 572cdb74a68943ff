//! Component tests in headless Chromium: the import's page. A learner pastes a socket list of
//! the real kernel's (`ss -tan` in `scripts/kernel-capture.sh`'s server namespace) and reads it
//! as the course's tables, each row explained; lines that are no socket are said by number; an
//! empty box is said; and the page drawn again (as in another language) keeps what was read.
//! A capture on the player's stage: a connection the capture joined after its handshake is in
//! an "unknown" state in the stage's tables, in the learner's language.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "common/dom.rs"]
mod dom;
use dom::{button, draw_at, texts};

const SS: &str =
    "State  Recv-Q Send-Q          Local Address:Port           Peer Address:Port Process
LISTEN 0      511                         *:8099                      *:*
ESTAB  0      0      [::ffff:192.168.1.102]:8099 [::ffff:192.168.1.101]:10379
ESTAB  0      0                 [fd00::102]:8099            [fd00::101]:10389
";

fn mount() -> web_sys::Element {
    socketlab::i18n::install_source("en", include_str!("../locales/en.json")).unwrap();
    draw_at("?import")
}

fn paste(root: &web_sys::Element, text: &str) {
    let area = root.query_selector("#paste-box").unwrap().unwrap();
    area.unchecked_ref::<web_sys::HtmlTextAreaElement>()
        .set_value(text);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let input = web_sys::Event::new_with_event_init_dict("input", &init).unwrap();
    area.dispatch_event(&input).unwrap();
}

#[wasm_bindgen_test]
async fn a_pasted_list_is_drawn_as_the_course_tables_with_each_row_explained() {
    let root = mount();
    yew::scheduler::flush().await;
    button(&root, "Read it").click();
    yew::scheduler::flush().await;
    assert!(texts(&root, ".import-paste .notice")
        .contains(&"Paste a socket list into the box first.".to_string()));
    paste(&root, &format!("{SS}not a socket line\n"));
    yew::scheduler::flush().await;
    button(&root, "Read it").click();
    yew::scheduler::flush().await;
    assert_eq!(
        texts(&root, ".import-paste .import-summary"),
        ["Read as ss output: 3 sockets."]
    );
    assert!(texts(&root, ".import-paste .notice")
        .contains(&"1 line could not be read: line 5.".to_string()));
    // One table per local address: every address first.
    assert_eq!(
        texts(&root, ".import-paste caption"),
        ["Every address (*)", "::ffff:192.168.1.102", "fd00::102"]
    );
    assert_eq!(
        texts(&root, ".import-paste tbody tr"),
        [
            "1TCP8099*n/an/aLISTEN",
            "2TCP8099::ffff:192.168.1.10210379::ffff:192.168.1.101ESTABLISHED",
            "3TCP8099fd00::10210389fd00::101ESTABLISHED",
        ]
    );
    let notes = texts(&root, ".import-notes li");
    assert!(notes[0].starts_with("A listening socket: it waits for connections on port 8099 (registered), on every address of this machine (* means every address)."), "{notes:?}");
    assert!(notes[1].starts_with("A connection a server here accepted: its own port, 8099, is the listening socket's, and 10379 is the client's port."), "{notes:?}");
    assert!(notes[1].ends_with("ESTABLISHED: connected; data can flow both ways."));
    // Drawn again (a language switch draws the app anew): what was read is still there.
    root.remove();
    let again = mount();
    yew::scheduler::flush().await;
    assert_eq!(
        texts(&again, ".import-paste .import-summary"),
        ["Read as ss output: 3 sockets."]
    );
    again.remove();
}

/// The kernel's capture from its fifth packet on (its first connection joined after the
/// handshake), on the stage as the import puts it there.
fn joined_scene() -> std::rc::Rc<socketlab::ui::scenes::Scene> {
    use socketlab::capture::shown::{Cut, Opened};
    let bytes = include_bytes!("data/captures/kernel.pcapng").to_vec();
    let packets = socketlab::capture::read(&bytes, &mut |_| {})
        .unwrap()
        .packets;
    let mut shown = Opened::new(bytes, &mut |_| {})
        .unwrap()
        .shown(Cut::Connections { count: 10 });
    shown.shown.drain(..4);
    // Inferred again on the part's clock (from the capture's first packet), as the worker does.
    let start = packets[0].at;
    let rebased: Vec<socketlab::capture::Packet> = packets[4..]
        .iter()
        .map(|p| socketlab::capture::Packet {
            at: p.at - start,
            ..p.clone()
        })
        .collect();
    shown.inferred = socketlab::capture::infer(&rebased);
    let staged =
        socketlab::capture::staged::staged(&shown, "kernel.pcapng", |ip| ip.to_string()).unwrap();
    socketlab::ui::scenes::Scene::observed(staged.scenario, staged.recording, 1, |_| Vec::new())
}

#[wasm_bindgen_test]
async fn a_joined_connection_is_unknown_in_the_stage_s_tables_in_either_language() {
    use socketlab::ui::components::tables::{SocketTable, SocketTableProps};
    let scene = joined_scene();
    // The first packet on the stage has arrived: the joined connection's sockets are there.
    let first = scene.flights[0];
    let snapshot = scene
        .timeline
        .seek(socketlab::engine::time::Instant::from_micros(first.arrive));
    let host = snapshot.hosts[first.to.0].clone();
    assert!(host
        .sockets
        .iter()
        .any(|r| r.state == socketlab::engine::socket::SockState::Unknown));
    for (lang, source, unknown) in [
        ("en", include_str!("../locales/en.json"), "unknown"),
        ("zh-Hant", include_str!("../locales/zh-Hant.json"), "不明"),
    ] {
        socketlab::i18n::install_source(lang, source).unwrap();
        for compact in [false, true] {
            let document = gloo::utils::document();
            let root = document.create_element("div").unwrap();
            document.body().unwrap().append_child(&root).unwrap();
            let props = SocketTableProps {
                host: std::rc::Rc::new(host.clone()),
                compact,
                highlight: Default::default(),
                focus: None,
                scene: Some(scene.clone()),
                on_focus: yew::Callback::noop(),
                current: true,
                masked: None,
                mask: Default::default(),
                picking: false,
            };
            yew::Renderer::<SocketTable>::with_root_and_props(root.clone(), props).render();
            yew::scheduler::flush().await;
            let cells = texts(&root, "td");
            assert!(
                cells.iter().any(|c| c == unknown),
                "{lang} {compact}: {cells:?}"
            );
            assert!(!cells.iter().any(|c| c == "UNKNOWN"), "{lang}: {cells:?}");
            root.remove();
        }
    }
    socketlab::i18n::install_source("en", include_str!("../locales/en.json")).unwrap();
}
