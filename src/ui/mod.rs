//! The Yew app. Draws the engine's snapshots; components get plain data and callbacks.
//! Knows nothing of TCP internals: everything it shows comes from [`crate::engine`].

mod app;
pub mod clock;
pub mod components;
pub mod download;
mod home;
mod hooks;
pub mod lesson;
mod panic;
pub mod route;
pub mod store;
pub use crate::view::scenes;
pub mod state;

pub use app::App;

/// A coordinate for an SVG attribute: whole numbers are plenty, and formatting them needs
/// none of the float-formatting code (which would cost the page kilobytes).
pub fn n(v: f64) -> String {
    (v.round() as i64).to_string()
}

/// Start the app in the page's `#app` element (or `<body>` when a page has none), in place of
/// the static first screen that index.html holds (static/boot.js loads this code only once
/// that screen has painted).
pub fn start() {
    panic::install_hook();
    // The words come first: without its catalog the app would show keys, so it says why instead.
    if let Err(why) = crate::i18n::install() {
        panic::show_fatal(&format!("The app could not start: {why}."));
        return;
    }
    take_over();
}

thread_local! {
    /// The app drawn in the page, so that a new language can draw it again.
    static DRAWN: std::cell::RefCell<Option<yew::AppHandle<App>>> = const { std::cell::RefCell::new(None) };
}

fn take_over() {
    let document = gloo::utils::document();
    let app = match document.get_element_by_id("app") {
        Some(root) => {
            // The root holds a "Loading…" line until the app draws.
            root.set_inner_html("");
            yew::Renderer::<App>::with_root(root).render()
        }
        None => yew::Renderer::<App>::new().render(),
    };
    DRAWN.with(|d| *d.borrow_mut() = Some(app));
}

/// Draw the app again from its address and the learner's stored progress, in the catalog
/// installed now: a new language, in place (no reload, so an LMS session carries on).
pub fn redraw() {
    if let Some(app) = DRAWN.with(|d| d.borrow_mut().take()) {
        app.destroy();
    }
    take_over();
}
