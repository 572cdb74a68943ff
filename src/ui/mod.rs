//! The Yew app. Draws the engine's snapshots; components get plain data and callbacks.
//! Knows nothing of TCP internals: everything it shows comes from [`crate::engine`].

mod app;
pub mod clock;
pub mod components;
pub mod download;
pub mod engine;
mod home;
mod hooks;
pub mod lesson;
mod panic;
pub mod route;
pub mod store;
pub use crate::view::scenes;
#[cfg(feature = "import")]
pub mod import;
pub mod state;
#[cfg(feature = "workshop")]
pub mod workshop;

pub use app::{App, WorkshopRun};

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
    // Drawn in a task of its own: starting the code and drawing the first screen are then two
    // shorter tasks, each of which a tap or a key can come between (Lighthouse counts a task
    // over 50 ms as blocking).
    gloo::timers::callback::Timeout::new(0, take_over).forget();
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

/// Call `globalThis[name](args…)`, a function of `static/boot.js` that loads a file and returns
/// a promise, and once it settles call `then` with whether it loaded (at once with `false` if
/// the page has no such function). One callback type for every call keeps the page's code small.
pub fn boot_call(name: &str, args: &[&str], then: std::rc::Rc<dyn Fn(bool)>) {
    use wasm_bindgen::{closure::Closure, JsCast, JsValue};
    let function = js_sys::Reflect::get(&js_sys::global(), &name.into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let args: js_sys::Array = args.iter().map(|a| JsValue::from_str(a)).collect();
    let promise = function
        .and_then(|f| f.apply(&JsValue::NULL, &args).ok())
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok());
    let Some(promise) = promise else {
        return then(false);
    };
    let settled = |loaded: bool| {
        let then = then.clone();
        Closure::once_into_js(move |_: JsValue| then(loaded))
    };
    // `then` called as JavaScript does, with the two one-shot callbacks.
    let js_then = js_sys::Reflect::get(&promise, &"then".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let Some(js_then) = js_then {
        let _ = js_then.call2(&promise, &settled(true), &settled(false));
    }
}
