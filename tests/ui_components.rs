//! Component tests in headless Chromium: the socket table, the controls, the inspector and the
//! narration.
#![cfg(target_arch = "wasm32")]

use std::net::SocketAddrV4;

use socketlab::engine::net::SERVER_IP;
use socketlab::engine::time::ms;
use socketlab::engine::{AppKind, AppSpec, EventKind, Sim};
use socketlab::ui::components::inspector::{Inspector, InspectorProps};
use socketlab::ui::components::tables::{SocketTable, SocketTableProps};
use socketlab::ui::scenes::{Scene, SCENES};
use socketlab::ui::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use yew::Callback;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "common/recordings.rs"]
mod recordings;

fn root() -> web_sys::Element {
    // The English catalog, as the page loads it before the app starts.
    socketlab::i18n::install_source("en", include_str!("../locales/en.json")).unwrap();
    recordings::install();
    socketlab::i18n::install_lessons_source("en", include_str!("../locales/lessons/en.json"))
        .unwrap();
    socketlab::i18n::install_scenes_source("en", include_str!("../locales/scenes/en.json"))
        .unwrap();
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    root
}

fn texts(root: &web_sys::Element, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.text_content())
        .map(|t| t.trim().to_string())
        .collect()
}

/// The course's slide: the server listens on 80 and has a connection from 10378.
fn server_at_the_slide() -> socketlab::engine::HostView {
    let mut sim = Sim::course_default(1);
    sim.spawn(
        socketlab::engine::HostId(1),
        AppSpec::server(AppKind::WebServer, 80),
    )
    .unwrap();
    sim.spawn(
        socketlab::engine::HostId(0),
        AppSpec::client(AppKind::WebBrowser, SocketAddrV4::new(SERVER_IP, 80)).from_port(10378),
    )
    .unwrap();
    sim.step(ms(60));
    sim.snapshot().host("Server").unwrap().clone()
}

/// The slide's server table, mounted in the course layout or the compact one.
async fn mount_slide_table(compact: bool) -> web_sys::Element {
    mount_lesson_table(compact, &[], false).await
}

/// The slide's server table as a lesson's question shows it: with the answer's words hidden
/// (`mask`), its sockets' names answering a predict question (`picking`).
async fn mount_lesson_table(compact: bool, mask: &[&str], picking: bool) -> web_sys::Element {
    let root = root();
    let props = table_props(server_at_the_slide(), compact, mask, picking);
    yew::Renderer::<SocketTable>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    root
}

/// A host's table as the player shows it, current, with nothing highlighted.
fn table_props(
    host: socketlab::engine::HostView,
    compact: bool,
    mask: &[&str],
    picking: bool,
) -> SocketTableProps {
    SocketTableProps {
        host: std::rc::Rc::new(host),
        compact,
        highlight: Default::default(),
        focus: None,
        scene: None,
        on_focus: Callback::noop(),
        current: true,
        masked: None,
        mask: std::rc::Rc::new(mask.iter().map(|m| m.to_string()).collect()),
        picking,
    }
}

/// Wait for the browser's next animation frame.
async fn next_frame() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        gloo::utils::window()
            .request_animation_frame(&resolve)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_table_too_wide_for_its_box_says_it_scrolls_and_one_that_fits_does_not() {
    for (width, cue) in [(180, true), (900, false)] {
        let root = mount_slide_table(false).await;
        root.set_attribute("style", &format!("width: {width}px"))
            .unwrap();
        // The table measures itself when its box or what it holds changes size: the browser
        // tells it after laying the page out, and it says so at the frame after that.
        for _ in 0..3 {
            next_frame().await;
        }
        yew::scheduler::flush().await;
        let cues = texts(&root, ".scroll-cue");
        assert_eq!(!cues.is_empty(), cue, "at {width} px: {cues:?}");
        if cue {
            assert!(cues[0].contains("scroll →"), "{cues:?}");
        }
        root.remove();
    }
}

#[wasm_bindgen_test]
async fn a_listening_socket_shows_na_and_a_connected_one_its_4_tuple() {
    let root = mount_slide_table(false).await;
    assert_eq!(texts(&root, "caption"), ["Server sockets (192.168.1.102)"]);
    assert_eq!(texts(&root, "thead th"), ["Socket 1", "Socket 2"]);
    let row = |name: &str| -> Vec<String> {
        let rows = root.query_selector_all("tbody tr").unwrap();
        (0..rows.length())
            .filter_map(|i| rows.item(i))
            .filter_map(|r| r.dyn_into::<web_sys::Element>().ok())
            .find(|r| {
                // A row name may also carry a short form for phones ("Dest. Port"): the long
                // one is what a screen reader hears.
                let th = r.query_selector("th").unwrap();
                let long = th.as_ref().and_then(|h| h.query_selector(".long").unwrap());
                long.or(th).and_then(|h| h.text_content()).as_deref() == Some(name)
            })
            .map(|r| texts(&r, "td"))
            .unwrap_or_default()
    };
    assert_eq!(row("Transport"), ["TCP", "TCP"]);
    assert_eq!(row("Source Port"), ["80", "80"]);
    assert_eq!(row("Source IP Addr"), ["192.168.1.102", "192.168.1.102"]);
    assert_eq!(row("Destination Port"), ["n/a", "10378"]);
    assert_eq!(row("Destination IP Addr"), ["n/a", "192.168.1.101"]);
    assert_eq!(row("State"), ["LISTEN", "ESTABLISHED"]);
    assert_eq!(row("Process"), ["nginx (fd 3)", "nginx (fd 4)"]);
}

/// A new socket adds a column to the course's table and leaves the others as they were: a
/// learner on a socket's name (keyboard focus) stays there, and the new column's cells are the
/// ones marked as just changed.
#[wasm_bindgen_test]
async fn a_new_sockets_column_leaves_the_others_and_the_focus_alone() {
    let root = root();
    let full = server_at_the_slide();
    assert_eq!(
        full.sockets.len(),
        2,
        "the slide: a listener and a connection"
    );
    let mut listening = full.clone();
    listening.sockets.truncate(1);
    let props = |host| table_props(host, false, &[], false);
    let mut app =
        yew::Renderer::<SocketTable>::with_root_and_props(root.clone(), props(listening)).render();
    yew::scheduler::flush().await;
    let first = root.query_selector(".socket-name").unwrap().unwrap();
    let first: web_sys::HtmlElement = first.dyn_into().unwrap();
    let cell = root.query_selector("tbody td").unwrap().unwrap();
    first.focus().unwrap();
    app.update(props(full));
    yew::scheduler::flush().await;
    assert_eq!(
        texts(&root, ".socket-name"),
        ["Socket 1", "Socket 2"],
        "a column for the new socket"
    );
    assert!(first.is_connected(), "Socket 1's name is the same element");
    assert!(
        cell.is_connected(),
        "Socket 1's cells are the same elements"
    );
    let active = gloo::utils::document().active_element().unwrap();
    assert_eq!(
        active.text_content().unwrap(),
        "Socket 1",
        "the focus stays"
    );
    // Only the new socket's cells are marked as just changed.
    let changed = root.query_selector_all("td.changed").unwrap().length();
    assert_eq!(changed, 7, "the new column's seven cells, no others");
    app.destroy();
}

#[wasm_bindgen_test]
async fn the_compact_table_reads_like_ss() {
    let root = mount_slide_table(true).await;
    let cells = texts(&root, "tbody td");
    assert_eq!(
        &cells[..7],
        [
            "tcp",
            "LISTEN",
            // A listener's Recv-Q is its accept queue, its Send-Q the backlog (nginx: 511).
            "0",
            "511",
            "192.168.1.102:80",
            "0.0.0.0:*",
            "nginx (fd 3)"
        ]
    );
    // At 60 ms the server's 127-byte reply is sent but not yet acknowledged: it waits in Send-Q.
    assert_eq!(
        &cells[7..14],
        [
            "tcp",
            "ESTAB",
            "0",
            "127",
            "192.168.1.102:80",
            "192.168.1.101:10378",
            "nginx (fd 4)"
        ]
    );
}

fn button(root: &web_sys::Element, label: &str) -> web_sys::HtmlElement {
    root.query_selector(&format!("button[aria-label='{label}']"))
        .unwrap()
        .unwrap_or_else(|| panic!("a {label} button"))
        .dyn_into()
        .unwrap()
}

#[wasm_bindgen_test]
async fn the_controls_step_play_and_restart() {
    let root = root();
    // The player, as `?scene=slides` opens it (the page with no address opens the lessons).
    gloo::utils::window()
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("?scene=slides"))
        .unwrap();
    yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    let clock = || texts(&root, ".clock")[0].clone();
    assert!(clock().starts_with("0.000 s / "), "{}", clock());
    button(&root, "Step forward").click();
    yew::scheduler::flush().await;
    assert!(
        clock().starts_with("0.100 s / "),
        "the next moment: the servers listen ({})",
        clock()
    );
    assert_eq!(
        texts(&root, ".stage-text h3"),
        ["2 of 7: The server creates a socket and listens"]
    );
    button(&root, "Step forward").click();
    yew::scheduler::flush().await;
    assert!(clock().starts_with("0.300 s / "), "{}", clock());
    button(&root, "Step back").click();
    yew::scheduler::flush().await;
    assert!(
        clock().starts_with("0.100 s / "),
        "step back is exact ({})",
        clock()
    );
    button(&root, "Play").click();
    yew::scheduler::flush().await;
    assert!(
        root.query_selector("button[aria-label='Pause']")
            .unwrap()
            .is_some(),
        "Play turns into Pause"
    );
    button(&root, "Restart").click();
    yew::scheduler::flush().await;
    assert!(clock().starts_with("0.000 s / "));
    assert!(
        root.query_selector("button[aria-label='Play']")
            .unwrap()
            .is_some(),
        "Restart stops playing"
    );
}

#[wasm_bindgen_test]
async fn the_inspector_shows_a_segment_layer_by_layer_from_its_bytes() {
    recordings::install();
    let index = SCENES.iter().position(|s| *s == "web-server-80").unwrap();
    let scene = Scene::load(index).unwrap();
    let request = scene
        .timeline
        .events()
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::SegmentSent(s) if s.summary.tcp().is_some_and(|t| t.payload_len > 0) => {
                Some(s.seg)
            }
            _ => None,
        })
        .unwrap();
    let root = root();
    let props = InspectorProps {
        scene,
        selected: Some(request),
        on_close: Callback::noop(),
    };
    yew::Renderer::<Inspector>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    let fields: Vec<String> = texts(&root, ".fields div");
    assert!(
        fields.contains(&"Source address192.168.1.101".to_string()),
        "{fields:?}"
    );
    assert!(fields.contains(&"Protocol6 (TCP)".to_string()));
    assert!(fields.contains(&"TTL64".to_string()));
    assert!(fields.contains(&"Source port10378".to_string()));
    assert!(fields.contains(&"Destination port80".to_string()));
    assert!(fields.contains(&"FlagsPSH, ACK".to_string()));
    assert!(
        texts(&root, ".payload-text")[0].starts_with("GET / HTTP/1.1\\r\\nHost: 192.168.1.102:80")
    );
    assert!(
        texts(&root, ".hex")[0].starts_with("0000  47 45 54 20 2f 20 48 54 54 50"),
        "hex of \"GET / HTTP\""
    );
}

#[wasm_bindgen_test]
async fn narration_lists_events_newest_first_and_opens_their_segments() {
    recordings::install();
    use socketlab::ui::components::narration::{lines_until, Narration, NarrationProps};
    // The busy walkthrough: four clients, so events from several sockets interleave.
    let scene = Scene::load(Scene::index_of("walkthrough").unwrap()).unwrap();
    let count = lines_until(&scene, ms(400));
    let picked = std::rc::Rc::new(std::cell::Cell::new(None));
    let root = root();
    let props = NarrationProps {
        scene: scene.clone(),
        count,
        playing: false,
        selected: None,
        on_select: {
            let picked = picked.clone();
            Callback::from(move |seg| picked.set(seg))
        },
        mask: Default::default(),
    };
    yew::Renderer::<Narration>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    let lines = texts(&root, ".event-list li.event");
    // The latest 30 to 39 lines: the oldest leave ten at a time.
    let shown = count - count.saturating_sub(30) / 10 * 10;
    assert_eq!(
        lines.len(),
        shown,
        "one line per event so far, {count} of them"
    );
    assert!(lines[0].starts_with("0.400 s "), "newest first: {lines:?}");
    assert!(
        lines.last().unwrap().starts_with("0.000 s "),
        "oldest last: {lines:?}"
    );
    let latest = &scene.lines[count - 1];
    assert_eq!(
        texts(&root, "[aria-live]"),
        [format!("{}: {}", latest.host, latest.text)],
        "the newest sentence is announced"
    );
    // The course's sentence for a connect: the client's socket sends SYN to the server's port.
    let syn = lines
        .iter()
        .find(|l| l.contains("sends SYN to 192.168.1.102:8099"))
        .unwrap_or_else(|| panic!("a SYN line in {lines:?}"));
    assert!(syn.contains("192.168.1.101:"), "{syn}");
    // A line about a segment is a button that opens that segment.
    let buttons = root.query_selector_all(".event-button").unwrap();
    let first: web_sys::HtmlElement = buttons.item(0).unwrap().dyn_into().unwrap();
    let label = first.get_attribute("aria-label").unwrap();
    assert!(
        label.starts_with(first.text_content().unwrap().trim()),
        "the accessible name starts with the visible text: {label}"
    );
    first.click();
    let seg = picked.get().expect("clicking a line selects its segment");
    assert!(
        label.ends_with(&format!("(inspect segment {})", seg.0)),
        "{label}"
    );
}

/// As the scene plays on, new lines join the top of the list and the lines already there stay
/// the same elements: a learner who tabbed to a line keeps the focus there (and a screen reader
/// does not read the list again), also when the oldest lines leave and "earlier events" appears.
#[wasm_bindgen_test]
async fn a_redraw_keeps_the_lines_on_screen_and_the_focus_on_them() {
    // The words first: a scene's lines are written in them when it loads.
    let root = root();
    use socketlab::ui::components::narration::{lines_until, Narration, NarrationProps};
    let scene = Scene::load(Scene::index_of("walkthrough").unwrap()).unwrap();
    let props = |count: usize| NarrationProps {
        scene: scene.clone(),
        count,
        playing: false,
        selected: None,
        on_select: Callback::noop(),
        mask: Default::default(),
    };
    // From 30 lines (all shown, no "earlier" note) to 41: the ten oldest leave at once.
    let (before, after) = (30, 41);
    assert!(
        lines_until(&scene, scene.end()) > after,
        "the scene has enough lines"
    );
    let mut app =
        yew::Renderer::<Narration>::with_root_and_props(root.clone(), props(before)).render();
    yew::scheduler::flush().await;
    assert!(
        texts(&root, ".earlier").is_empty(),
        "all lines shown: {:?}",
        texts(&root, ".earlier")
    );
    // The newest line that will still be shown after the drop: the 15th newest of 30.
    let buttons = root.query_selector_all(".event-list li.event").unwrap();
    let kept: web_sys::Element = buttons.item(14).unwrap().dyn_into().unwrap();
    let kept_text = kept.text_content().unwrap();
    assert!(
        kept_text.contains("bound to"),
        "the line says what happened: {kept_text:?}"
    );
    let button = kept
        .query_selector("button")
        .unwrap()
        .or_else(|| root.query_selector(".event-button").unwrap())
        .unwrap();
    let button: web_sys::HtmlElement = button.dyn_into().unwrap();
    button.focus().unwrap();
    let focused_text = button.text_content().unwrap();
    app.update(props(after));
    yew::scheduler::flush().await;
    let lines = texts(&root, ".event-list li.event");
    assert_eq!(lines.len(), 31, "the ten oldest left: {lines:?}");
    assert_eq!(
        texts(&root, ".earlier").len(),
        1,
        "the list says earlier events left"
    );
    assert!(
        kept.is_connected(),
        "the line {kept_text:?} is the same element after the redraw"
    );
    let active = gloo::utils::document().active_element().unwrap();
    assert_eq!(
        active.text_content().unwrap(),
        focused_text,
        "the focus stays on the line the learner was on"
    );
    app.destroy();
}

/// Until a lesson's question is answered, a table says "?" wherever it would say the answer (a
/// port, a state), in either layout; answering a predict question, each socket's name is an
/// answer named for its host.
#[wasm_bindgen_test]
async fn a_lessons_table_hides_the_answer_and_names_its_sockets_as_answers() {
    for compact in [false, true] {
        let root = mount_lesson_table(compact, &["10378", "ESTAB", "ESTABLISHED"], true).await;
        let text = root.text_content().unwrap();
        assert!(!text.contains("10378"), "compact {compact}: {text}");
        assert!(!text.contains("ESTAB"), "compact {compact}: {text}");
        assert!(text.contains('?'), "compact {compact}: {text}");
        assert!(text.contains("192.168.1.101"), "the rest shows: {text}");
        root.remove();
    }
    let root = mount_lesson_table(false, &[], true).await;
    let names: Vec<String> = {
        let buttons = root.query_selector_all(".socket-name.pick").unwrap();
        (0..buttons.length())
            .filter_map(|i| buttons.item(i))
            .filter_map(|b| {
                b.unchecked_into::<web_sys::Element>()
                    .get_attribute("aria-label")
            })
            .collect()
    };
    assert_eq!(names, ["Server: Socket 1", "Server: Socket 2"]);
    root.remove();
}

/// Waits `ms` of the page's time (observers and frames run meanwhile).
async fn wait_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |done, _| {
        gloo::utils::window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&done, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// While the scene plays, an event list out of sight (below a lesson's first screen, behind a
/// phone's closed tab) is not redrawn at each moment: it keeps its lines, and the screen
/// reader's line still follows every moment. It catches up as soon as it is in sight, and a
/// paused scene's list follows every step wherever it is.
#[wasm_bindgen_test]
async fn an_event_list_out_of_sight_waits_while_playing_and_catches_up_in_sight() {
    let root = root();
    use socketlab::ui::components::narration::{Narration, NarrationProps};
    let scene = Scene::load(Scene::index_of("walkthrough").unwrap()).unwrap();
    let props = |count: usize, playing: bool| NarrationProps {
        scene: scene.clone(),
        count,
        playing,
        selected: None,
        on_select: Callback::noop(),
        mask: Default::default(),
    };
    let place = |style: &str| root.set_attribute("style", style).unwrap();
    place("position: absolute; left: 0; top: 20000px; width: 30rem");
    let mut app =
        yew::Renderer::<Narration>::with_root_and_props(root.clone(), props(10, true)).render();
    yew::scheduler::flush().await;
    wait_ms(150).await;
    assert_eq!(texts(&root, ".event-list li.event").len(), 10);
    app.update(props(20, true));
    yew::scheduler::flush().await;
    wait_ms(150).await;
    assert_eq!(
        texts(&root, ".event-list li.event").len(),
        10,
        "out of sight while playing, the list keeps its lines"
    );
    let latest = &scene.lines[19];
    assert_eq!(
        texts(&root, "[aria-live]"),
        [format!("{}: {}", latest.host, latest.text)],
        "the screen reader still hears the newest line"
    );
    place("position: fixed; left: 0; top: 0; width: 30rem");
    wait_ms(300).await;
    yew::scheduler::flush().await;
    assert_eq!(
        texts(&root, ".event-list li.event").len(),
        20,
        "in sight, the list catches up"
    );
    place("position: absolute; left: 0; top: 20000px; width: 30rem");
    wait_ms(150).await;
    app.update(props(25, false));
    yew::scheduler::flush().await;
    assert_eq!(
        texts(&root, ".event-list li.event").len(),
        25,
        "paused, the list follows every step even out of sight"
    );
    // Another run arrives (a fix-it question's, with fewer lines) while the list is held out of
    // sight: what was held belongs to the old run, so the list shows the new one's lines.
    app.update(props(30, true));
    yew::scheduler::flush().await;
    let other = Scene::load(Scene::index_of("connection-refused").unwrap()).unwrap();
    let fewer = other.lines.len().min(5);
    assert!(fewer < 25);
    app.update(NarrationProps {
        scene: other.clone(),
        count: fewer,
        playing: true,
        selected: None,
        on_select: Callback::noop(),
        mask: Default::default(),
    });
    yew::scheduler::flush().await;
    assert_eq!(
        texts(&root, ".event-list li.event").len(),
        fewer,
        "a new run's list starts from its own lines"
    );
    app.destroy();
    root.remove();
}
