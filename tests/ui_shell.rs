//! Component tests in headless Chromium: the app's shell renders what a learner needs to start.
#![cfg(target_arch = "wasm32")]

use socketlab::ui::App;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn mount() -> web_sys::Element {
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root(root.clone()).render();
    root
}

fn texts(root: &web_sys::Element, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.text_content())
        .map(|t| t.trim().to_string())
        .collect()
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
async fn stage_shows_the_course_hosts_with_their_addresses() {
    let root = mount();
    yew::scheduler::flush().await;

    assert_eq!(
        texts(&root, ".topology .host-name"),
        ["Client PC", "Server"]
    );
    assert_eq!(
        texts(&root, ".topology .host-ip"),
        ["192.168.1.101", "192.168.1.102"]
    );
    let svg = root.query_selector(".topology").unwrap().unwrap();
    assert_eq!(svg.get_attribute("role").as_deref(), Some("img"));
}

#[wasm_bindgen_test]
async fn side_panel_lists_well_known_ports_with_mongodb_on_27017() {
    let root = mount();
    yew::scheduler::flush().await;

    let ports = texts(&root, "table.ports tbody th");
    assert!(ports.iter().any(|p| p == "80"));
    assert!(ports.iter().any(|p| p == "27017"));
    assert!(
        !ports.iter().any(|p| p == "27107"),
        "the slide's typo is not taught"
    );
    assert_eq!(
        texts(&root, "table.ports caption"),
        ["Port numbers the lessons use"]
    );
}
