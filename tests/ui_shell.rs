//! Component tests in headless Chromium: the app's shell renders what a learner needs to start.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "common/recordings.rs"]
mod recordings;

#[path = "common/dom.rs"]
mod dom;
use dom::{draw_at, texts};

/// The app at an address: the player's tests open the slides' scene, as `?scene=slides` does.
fn mount_at(query: &str) -> web_sys::Element {
    // The English catalog, as the page loads it before the app starts, and the lessons' words,
    // as it loads them for the screen it shows.
    socketlab::i18n::install_source("en", include_str!("../locales/en.json")).unwrap();
    recordings::install();
    socketlab::i18n::install_lessons_source("en", include_str!("../locales/lessons/en.json"))
        .unwrap();
    socketlab::i18n::install_scenes_source("en", include_str!("../locales/scenes/en.json"))
        .unwrap();
    draw_at(query)
}

fn mount() -> web_sys::Element {
    mount_at("?scene=slides")
}

#[wasm_bindgen_test]
async fn the_page_with_no_address_opens_the_lessons_and_explore() {
    let root = mount_at("?");
    yew::scheduler::flush().await;
    let titles = texts(&root, ".lesson-card .lesson-title");
    assert!(titles.len() >= 8, "{titles:?}");
    assert_eq!(titles[0], "Two apps on one PC");
    assert_eq!(
        texts(&root, ".lesson-card .lesson-state")[0],
        "○Not started"
    );
    assert_eq!(texts(&root, "#explore-title"), ["Explore"]);
    root.remove();
}

/// The app at an address with the English catalog and no words loaded (here the page has no
/// way to fetch them): it says so in one line.
async fn drawn_without_words(query: &str) -> web_sys::Element {
    socketlab::i18n::install_source("en", include_str!("../locales/en.json")).unwrap();
    recordings::install();
    let none = js_sys::Object::new();
    js_sys::Reflect::set(&js_sys::global(), &"socketlabLessonTexts".into(), &none).unwrap();
    let root = draw_at(query);
    yew::scheduler::flush().await;
    assert_eq!(
        texts(&root, "#lesson-loading"),
        ["Part of this page did not load. Check the connection, then try again."]
    );
    root
}

/// When the lessons' words have not loaded, the home screen says so in one line, with a link to
/// try again, and shows no lesson without its title.
#[wasm_bindgen_test]
async fn without_the_lessons_words_the_home_screen_says_so_and_can_try_again() {
    let root = drawn_without_words("?").await;
    let failed = root.query_selector("#lesson-failed").unwrap().unwrap();
    assert!(!failed.has_attribute("hidden"), "the links show");
    assert_eq!(texts(&root, "#lesson-failed a"), ["Try again"]);
    assert!(
        texts(&root, ".lesson-card").is_empty(),
        "no lesson without its title"
    );
    root.remove();
}

/// The free player shows scenes with the words the page loaded for them (the web build carries
/// the scenes without words); without them it says so, and draws no stage with empty titles.
#[wasm_bindgen_test]
async fn the_players_scenes_speak_the_loaded_words_and_say_so_without_them() {
    let root = drawn_without_words("?scene=connection-refused").await;
    assert!(
        texts(&root, ".stage-text").is_empty(),
        "no stage without its words"
    );
    root.remove();

    // Chinese words installed as the English: what shows is what the page loaded.
    let zh = include_str!("../locales/scenes/zh-Hant.json");
    socketlab::i18n::install_scenes_source("en", zh).unwrap();
    let root = draw_at("?scene=connection-refused");
    yew::scheduler::flush().await;
    assert_eq!(texts(&root, ".stage-text h3"), ["連線被拒絕"]);
    // The hosts by the names the words give them, on the stage and over their tables; the
    // programs by the catalog's names (English here: the English catalog is installed).
    assert_eq!(
        texts(&root, ".stage-svg .host-name"),
        ["客戶端電腦", "伺服器"]
    );
    assert_eq!(
        texts(&root, ".table-picker button"),
        ["客戶端電腦", "伺服器"]
    );
    let options = texts(&root, ".scene-picker option");
    assert_eq!(options.len(), 16);
    assert_eq!(
        options[0],
        "課程投影片：一個瀏覽器，連接埠 80 上的一個網頁伺服器"
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn shell_has_the_name_a_stage_and_a_side_panel() {
    let root = mount();
    yew::scheduler::flush().await;
    assert_eq!(texts(&root, "header h1"), ["Socket Lab"]);
    let stage = root
        .query_selector("main section#stage")
        .unwrap()
        .expect("a stage section");
    assert_eq!(
        stage.get_attribute("aria-labelledby").as_deref(),
        Some("stage-title")
    );
    assert_eq!(texts(&root, "#stage-title"), ["The network"]);
    assert!(
        root.query_selector("main aside.side-panel")
            .unwrap()
            .is_some(),
        "a side panel"
    );
}

#[wasm_bindgen_test]
async fn the_slides_scene_is_the_default_with_its_two_hosts_and_first_stage() {
    let root = mount();
    yew::scheduler::flush().await;
    assert_eq!(
        texts(&root, ".stage-svg .host-name"),
        ["Client PC", "Server"]
    );
    assert_eq!(
        texts(&root, ".stage-svg .host-ip"),
        ["192.168.1.101", "192.168.1.102"]
    );
    assert_eq!(texts(&root, ".stage-text h3"), ["1 of 7: Well-known ports"]);
}

/// The y of each host box on the stage, in document order.
fn host_tops(root: &web_sys::Element) -> Vec<f64> {
    let boxes = root.query_selector_all(".stage-svg .host rect").unwrap();
    (0..boxes.length())
        .map(|i| {
            let el: web_sys::Element = boxes.item(i).unwrap().dyn_into().unwrap();
            el.get_attribute("y").unwrap().parse().unwrap()
        })
        .collect()
}

#[wasm_bindgen_test]
async fn a_narrow_stage_stacks_the_hosts_and_a_wide_one_puts_them_side_by_side() {
    for (width, narrow) in [(360, true), (900, false)] {
        let root = mount();
        root.set_attribute("style", &format!("width: {width}px"))
            .unwrap();
        yew::scheduler::flush().await;
        // The stage measures its box after the first draw and lays out again.
        yew::scheduler::flush().await;
        let svg = root.query_selector(".stage-svg").unwrap().unwrap();
        assert_eq!(
            svg.get_attribute("class")
                .unwrap_or_default()
                .contains("narrow"),
            narrow,
            "at {width} px the stage is {}",
            if narrow { "narrow" } else { "wide" }
        );
        let tops = host_tops(&root);
        assert_eq!(tops.len(), 2);
        if narrow {
            assert!(
                tops[1] > tops[0] + 50.0,
                "the server is below the client: {tops:?}"
            );
        } else {
            assert_eq!(tops[0], tops[1], "side by side: {tops:?}");
        }
        let view_box = svg.get_attribute("viewBox").unwrap();
        let drawn_width: f64 = view_box.split(' ').nth(2).unwrap().parse().unwrap();
        assert!(
            (drawn_width - svg.client_width() as f64).abs() <= 1.0,
            "one SVG unit per CSS pixel: {view_box} drawn {} px wide",
            svg.client_width()
        );
        root.remove();
    }
}

#[wasm_bindgen_test]
async fn the_port_reference_lists_mongodb_on_27017() {
    let root = mount();
    yew::scheduler::flush().await;
    let ports = texts(&root, "table.ports tbody th");
    assert!(ports.iter().any(|p| p == "80"));
    assert!(ports.iter().any(|p| p == "27017"));
    assert!(
        !ports.iter().any(|p| p == "27107"),
        "the slide's typo is not taught"
    );
}

#[wasm_bindgen_test]
async fn the_ports_panel_gives_each_port_its_class_and_each_os_its_ephemeral_range() {
    let root = mount();
    yew::scheduler::flush().await;
    assert_eq!(texts(&root, "#ports-title"), ["Common ports"]);
    let rows = root.query_selector_all("table.ports tbody tr").unwrap();
    let row_of = |port: &str| -> Vec<String> {
        (0..rows.length())
            .filter_map(|i| rows.item(i))
            .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
            .find(|r| texts(r, "th") == [port])
            .map(|r| texts(&r, "td"))
            .unwrap_or_default()
    };
    assert_eq!(row_of("8099")[2], "registered; the course's example");
    assert_eq!(row_of("80")[2], "well-known");
    let ranges = texts(&root, ".port-ranges dt");
    assert!(ranges.contains(&"32768–60999".to_string()), "{ranges:?}");
    // The slides' two hosts are Linux: the panel says so beside Linux's range.
    let linux = texts(&root, ".port-ranges dd")
        .into_iter()
        .find(|d| d.starts_with("Linux"))
        .unwrap_or_default();
    assert!(
        linux.contains("In this scene: Client PC, Server"),
        "{linux}"
    );
}

/// A scene's recording that is damaged, or is a run of other hosts, is refused: the player says
/// so and shows the first scene instead, and nothing breaks. (The file is fetched whole, so
/// this is what a bad download or a tampered site gives.)
#[wasm_bindgen_test]
async fn a_damaged_or_wrong_recording_says_so_and_the_player_keeps_working() {
    for bytes in [
        &b"SLR2 not a run"[..],
        &include_bytes!("../recordings/walkthrough.bin")[..],
    ] {
        let root = mount_at("?scene=connection-refused");
        socketlab::view::scenes::install_recording("connection-refused", bytes);
        root.remove();
        let root = draw_at("?scene=connection-refused");
        yew::scheduler::flush().await;
        assert_eq!(
            texts(&root, ".notice"),
            ["This scene's recorded run is damaged, so it cannot be shown. Reload the page and try again."]
        );
        assert_eq!(
            texts(&root, ".stage-svg .host-name").len(),
            2,
            "the first scene shows"
        );
        root.remove();
    }
    recordings::install();
}
