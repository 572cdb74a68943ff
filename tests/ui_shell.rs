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
async fn the_walkthrough_is_the_default_scene_with_its_hosts_and_first_stage() {
    let root = mount();
    yew::scheduler::flush().await;
    assert_eq!(
        texts(&root, ".stage-svg .host-name"),
        ["Client PC", "Server", "Phone"]
    );
    assert_eq!(
        texts(&root, ".stage-svg .host-ip"),
        ["192.168.1.101", "192.168.1.102", "192.168.1.103"]
    );
    assert_eq!(
        texts(&root, ".stage-text h3"),
        ["1 of 7: Two apps, one IP address"]
    );
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
