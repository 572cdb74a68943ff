//! Component tests in headless Chromium: the workshop's page. A learner adds entries, a problem
//! of the file's checks shows at its field (the same reader as `socketlab-cli check`, in the
//! page), a value a field cannot hold is said there and changes nothing, and undo and redo walk
//! the changes.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "common/dom.rs"]
mod dom;
use dom::{button, draw_at, texts};

fn mount() -> web_sys::Element {
    socketlab::i18n::install_source("en", include_str!("../locales/en.json")).unwrap();
    socketlab::ui::engine::answer_in_page(socketlab::worker::serve);
    // A workshop with nothing kept from another test.
    let storage = gloo::utils::window().local_storage().unwrap().unwrap();
    storage.remove_item("socketlab.workshop").unwrap();
    storage.remove_item("socketlab.workshop.toml").unwrap();
    draw_at("?workshop")
}

/// Type into a field and leave it: the change the workshop takes.
fn type_into(root: &web_sys::Element, id: &str, value: &str) {
    let input = root
        .query_selector(&format!("#{id}"))
        .unwrap()
        .unwrap_or_else(|| panic!("no field {id}"));
    input
        .unchecked_ref::<web_sys::HtmlInputElement>()
        .set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let change = web_sys::Event::new_with_event_init_dict("change", &init).unwrap();
    input.dispatch_event(&change).unwrap();
}

fn value(root: &web_sys::Element, id: &str) -> Option<String> {
    root.query_selector(&format!("#{id}"))
        .unwrap()
        .map(|e| e.unchecked_into::<web_sys::HtmlInputElement>().value())
}

/// Past the moment the workshop waits after a change before it checks the scene.
async fn checked() {
    let wait = js_sys::Promise::new(&mut |done, _| {
        gloo::utils::window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&done, 400)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(wait).await.unwrap();
    yew::scheduler::flush().await;
}

#[wasm_bindgen_test]
async fn a_problem_shows_at_its_field_and_an_unfit_value_changes_nothing() {
    let root = mount();
    yew::scheduler::flush().await;
    assert_eq!(
        texts(&root, ".workshop-status p"),
        ["Change anything, or press Run, and the scene is checked."]
    );
    button(&root, "Add a host").click();
    yew::scheduler::flush().await;
    assert_eq!(value(&root, "ws-hosts-0-name").as_deref(), Some("Host"));
    assert_eq!(
        value(&root, "ws-hosts-0-ip").as_deref(),
        Some("192.168.1.101")
    );
    checked().await;
    assert_eq!(
        texts(&root, ".workshop-status p"),
        ["No problems: the scene is ready to run."]
    );
    type_into(&root, "ws-hosts-0-ip", "192.168.1.300");
    yew::scheduler::flush().await;
    checked().await;
    let field = root.query_selector("#ws-hosts-0-ip").unwrap().unwrap();
    assert_eq!(field.get_attribute("aria-invalid").as_deref(), Some("true"));
    let described = field.get_attribute("aria-describedby").unwrap();
    assert_eq!(
        texts(&root, &format!("#{described}")),
        ["\"192.168.1.300\" is not an IPv4 address (four numbers from 0 to 255, like 192.168.1.102)"]
    );
    assert_eq!(
        texts(&root, ".problem-list li"),
        ["Host 1 · IP address: \"192.168.1.300\" is not an IPv4 address (four numbers from 0 to 255, like 192.168.1.102)"]
    );
    // A port a field cannot hold: said there, the scene as it was.
    button(&root, "Add a firewall rule").click();
    yew::scheduler::flush().await;
    type_into(&root, "ws-firewall-0-port", "70000");
    yew::scheduler::flush().await;
    assert!(texts(&root, ".field-problem")
        .contains(&"Type a whole number from 0 to 65535.".to_string()));
    assert_eq!(
        value(&root, "ws-firewall-0-port").as_deref(),
        Some("70000"),
        "what was typed stays to be corrected"
    );
    // Undo takes the rule away (the unfit port was never a change), then the address.
    button(&root, "Undo").click();
    yew::scheduler::flush().await;
    assert_eq!(value(&root, "ws-firewall-0-port"), None);
    button(&root, "Undo").click();
    yew::scheduler::flush().await;
    assert_eq!(
        value(&root, "ws-hosts-0-ip").as_deref(),
        Some("192.168.1.101")
    );
    button(&root, "Redo").click();
    yew::scheduler::flush().await;
    assert_eq!(
        value(&root, "ws-hosts-0-ip").as_deref(),
        Some("192.168.1.300")
    );
    root.remove();
}

/// Two changes before the page draws again (a quick learner, a slow phone) both count: each is
/// made to the scene as it is by then, not as the last drawing had it.
#[wasm_bindgen_test]
async fn two_changes_before_the_next_drawing_both_count() {
    let root = mount();
    yew::scheduler::flush().await;
    button(&root, "Add a host").click();
    yew::scheduler::flush().await;
    type_into(&root, "ws-hosts-0-name", "Server");
    type_into(&root, "ws-hosts-0-ip", "10.0.0.1");
    yew::scheduler::flush().await;
    assert_eq!(value(&root, "ws-hosts-0-name").as_deref(), Some("Server"));
    assert_eq!(value(&root, "ws-hosts-0-ip").as_deref(), Some("10.0.0.1"));
    // And a value typed back as it was takes away what was said about an unfit one.
    button(&root, "Add a firewall rule").click();
    yew::scheduler::flush().await;
    type_into(&root, "ws-firewall-0-port", "70000");
    yew::scheduler::flush().await;
    assert_eq!(texts(&root, ".workshop-field.invalid label").len(), 1);
    type_into(&root, "ws-firewall-0-port", "80");
    yew::scheduler::flush().await;
    assert_eq!(texts(&root, ".workshop-field.invalid label").len(), 0);
    root.remove();
}
