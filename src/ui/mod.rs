//! The Yew app. Draws the engine's snapshots; components get plain data and callbacks.
//! Knows nothing of TCP internals: everything it shows comes from [`crate::engine`].

mod app;
pub mod clock;
pub mod components;
mod hooks;
mod panic;
pub use crate::view::scenes;
pub mod state;

pub use app::App;

/// A coordinate for an SVG attribute: whole numbers are plenty, and formatting them needs
/// none of the float-formatting code (which would cost the page kilobytes).
pub fn n(v: f64) -> String {
    (v.round() as i64).to_string()
}

/// Start the app in the page's `#app` element (or `<body>` when a page has none), once the
/// browser has painted the static first screen that index.html holds: taking over before
/// that first paint would leave the page blank until the app draws (the first screen must
/// paint first, whatever the network's speed).
pub fn start() {
    panic::install_hook();
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    // This frame is about to paint; the next one comes after it. Each closure frees itself
    // once called.
    let second = Closure::once_into_js(move |_: f64| take_over());
    let first = Closure::once_into_js(move |_: f64| {
        let _ = gloo::utils::window().request_animation_frame(second.unchecked_ref());
    });
    let _ = gloo::utils::window().request_animation_frame(first.unchecked_ref());
}

fn take_over() {
    let document = gloo::utils::document();
    match document.get_element_by_id("app") {
        Some(root) => {
            // The root holds a "Loading…" line until the app draws.
            root.set_inner_html("");
            yew::Renderer::<App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<App>::new().render();
        }
    }
}
