//! Hooks shared by components.

use gloo::events::EventListener;
use yew::prelude::*;

/// The window's inner width and height in CSS pixels.
pub fn window_size() -> (f64, f64) {
    let window = gloo::utils::window();
    let get = |v: Result<wasm_bindgen::JsValue, _>, or: f64| {
        v.ok().and_then(|v| v.as_f64()).unwrap_or(or)
    };
    (
        get(window.inner_width(), 1024.0),
        get(window.inner_height(), 768.0),
    )
}

/// An element's width and the window's height, measured once the element is drawn and again
/// whenever the window changes size; `first` until then. Components that lay themselves out
/// for the screen in hand (the stage, the flow graph) draw from this.
#[hook]
pub fn use_box_size(node: &NodeRef, first: impl FnOnce() -> (f64, f64)) -> (f64, f64) {
    let size = use_state(first);
    {
        let node = node.clone();
        let size = size.clone();
        use_effect_with((), move |_| {
            let measure = move || {
                if let Some(el) = node.cast::<web_sys::Element>() {
                    let w = el.client_width() as f64;
                    let h = window_size().1;
                    if w > 0.0 && ((w - size.0).abs() >= 1.0 || (h - size.1).abs() >= 1.0) {
                        size.set((w, h));
                    }
                }
            };
            measure();
            let listener = EventListener::new(&gloo::utils::window(), "resize", move |_| measure());
            move || drop(listener)
        });
    }
    *size
}
