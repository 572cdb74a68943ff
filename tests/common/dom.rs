//! What the component tests (`tests/ui_*.rs`) do with the page: draw the app at an address,
//! read the text of what a selector finds.

use socketlab::ui::App;

/// The app drawn at `query` (its words already installed), in an element of its own.
pub fn draw_at(query: &str) -> web_sys::Element {
    let history = gloo::utils::window().history().unwrap();
    history
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(query))
        .unwrap();
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root(root.clone()).render();
    root
}

/// The button under `root` whose text is `text`.
#[allow(dead_code)]
pub fn button(root: &web_sys::Element, text: &str) -> web_sys::HtmlElement {
    use wasm_bindgen::JsCast;
    let buttons = root.query_selector_all("button").unwrap();
    (0..buttons.length())
        .filter_map(|i| buttons.item(i))
        .find(|b| b.text_content().is_some_and(|t| t.trim() == text))
        .unwrap_or_else(|| panic!("no button \"{text}\""))
        .unchecked_into()
}

/// The trimmed text of each element `selector` finds under `root`.
pub fn texts(root: &web_sys::Element, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.text_content())
        .map(|t| t.trim().to_string())
        .collect()
}
