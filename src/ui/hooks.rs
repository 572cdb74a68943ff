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

/// Whether any part of the element is on screen, as an `IntersectionObserver` last said: false
/// while it is scrolled out of the viewport or hidden (`display: none`, a phone's closed tab);
/// true until the observer first says.
#[hook]
pub fn use_in_view(node: &NodeRef) -> bool {
    let seen = use_state_eq(|| true);
    {
        let (node, seen) = (node.clone(), seen.clone());
        use_effect_with((), move |_| {
            use wasm_bindgen::{closure::Closure, JsCast};
            let told = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
                // The last entry is the newest.
                if let Some(entry) = entries.iter().last() {
                    let entry: web_sys::IntersectionObserverEntry = entry.unchecked_into();
                    seen.set(entry.is_intersecting());
                }
            });
            let observer = web_sys::IntersectionObserver::new(told.as_ref().unchecked_ref()).ok();
            if let (Some(o), Some(el)) = (&observer, node.cast::<web_sys::Element>()) {
                o.observe(&el);
            }
            move || {
                if let Some(o) = observer {
                    o.disconnect();
                }
                drop(told);
            }
        });
    }
    *seen
}

/// While the scene plays and the element is out of sight, `now` as it was when last in sight
/// (or when the scene stopped): what a panel out of sight shows, so that crossing a moment does
/// not redraw it. It catches up when it comes into sight or the scene stops, and at once when
/// `scene` changes (another scene, or another run of it: what was held belongs to the old one).
/// One concrete type, not generic: each instance of a hook is code the page loads.
#[hook]
pub fn use_held_while_unseen(
    node: &NodeRef,
    now: i64,
    playing: bool,
    scene: (&'static str, u32),
) -> i64 {
    let in_view = use_in_view(node);
    let held = use_mut_ref(|| None::<((&'static str, u32), i64)>);
    let mut held = held.borrow_mut();
    let same_scene = held.as_ref().is_some_and(|(k, _)| *k == scene);
    match held.as_mut() {
        Some((_, value)) if same_scene && !in_view && playing => *value,
        _ => {
            *held = Some((scene, now));
            now
        }
    }
}

/// Counts a component's render, by name, in the page's `__socketlabRenders`, and tells the
/// page's `__socketlabMark(name)` if it has one: what `benches/renders.mjs` reads (it builds the
/// site with `--features render-count`). Without the feature it is nothing at all.
#[inline(always)]
pub fn counted(name: &'static str) {
    #[cfg(feature = "render-count")]
    {
        use wasm_bindgen::JsValue;
        let window = gloo::utils::window();
        let key = JsValue::from_str("__socketlabRenders");
        let counts = match js_sys::Reflect::get(&window, &key) {
            Ok(v) if v.is_object() => v,
            _ => {
                let fresh: JsValue = js_sys::Object::new().into();
                let _ = js_sys::Reflect::set(&window, &key, &fresh);
                fresh
            }
        };
        let name = JsValue::from_str(name);
        let n = js_sys::Reflect::get(&counts, &name)
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0);
        let _ = js_sys::Reflect::set(&counts, &name, &JsValue::from_f64(n + 1.0));
    }
    timed(name);
}

/// Tells the page's `__socketlabMark(name)`, where `benches/renders.mjs` set one, that `name`
/// starts now: it times each render or effect up to the next. Without the feature `render-count`
/// it is nothing at all.
#[inline(always)]
pub fn timed(name: &'static str) {
    #[cfg(feature = "render-count")]
    {
        use wasm_bindgen::JsValue;
        let window = gloo::utils::window();
        if let Ok(mark) = js_sys::Reflect::get(&window, &JsValue::from_str("__socketlabMark")) {
            if let Some(mark) = wasm_bindgen::JsCast::dyn_ref::<js_sys::Function>(&mark) {
                let _ = mark.call1(&JsValue::NULL, &JsValue::from_str(name));
            }
        }
    }
    #[cfg(not(feature = "render-count"))]
    let _ = name;
}

/// Whether the window matches a CSS media query, now and as it changes (a phone turned, a
/// window resized across the query's width).
#[hook]
pub fn use_media(query: &'static str) -> bool {
    let list = || gloo::utils::window().match_media(query).ok().flatten();
    let matches = use_state(|| list().is_some_and(|m| m.matches()));
    {
        let matches = matches.clone();
        use_effect_with((), move |_| {
            let listener = list().map(|m| {
                let target = m.clone();
                EventListener::new(&target, "change", move |_| matches.set(m.matches()))
            });
            move || drop(listener)
        });
    }
    *matches
}

/// Focus element `id`, if the page has it; the element, to do more with.
#[cfg(any(feature = "workshop", feature = "import"))]
pub fn focus(id: &str) -> Option<web_sys::HtmlElement> {
    let el = gloo::utils::document().get_element_by_id(id)?;
    let el = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el).ok()?;
    let _ = el.focus();
    Some(el)
}

/// Focus element `id` once the page is drawn again (after a change takes away what had the
/// focus).
#[cfg(any(feature = "workshop", feature = "import"))]
pub fn focus_later(id: String) {
    gloo::timers::callback::Timeout::new(0, move || {
        focus(&id);
    })
    .forget();
}
