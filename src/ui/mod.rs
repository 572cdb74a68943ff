//! The Yew app. Draws the engine's snapshots; components get plain data and callbacks.
//! Knows nothing of TCP internals: everything it shows comes from [`crate::engine`].

mod app;
mod panic;

pub use app::App;

/// Start the app in the page's `#app` element (or `<body>` when a page has none).
pub fn start() {
    panic::install_hook();
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
