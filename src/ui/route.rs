//! Where the learner is: the home screen, the free scene player ("Explore"), or a step of a
//! lesson. The page's address says it (`?lesson=ID&step=N`, a challenge's with `&seed=S`,
//! `?scene=ID&t=ms`), so a link or a
//! reload opens the same place, and the browser's back and forward buttons move between them.

use crate::vecmap::VecMap;
use std::rc::Rc;

use gloo::events::EventListener;
use yew::prelude::*;

/// The page's query parameters, by name.
pub type Params = VecMap<String, String>;

/// The largest seed an address may give: the largest integer JSON numbers keep exactly.
const MOST_SEED: u64 = (1 << 53) - 1;

/// The parameters that open the player rather than the home screen.
const PLAYER_PARAMS: &[&str] = &["scene", "t", "speed", "play", "explore"];

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Home,
    /// The free scene player, with the parameters it starts from.
    Explore,
    /// A lesson by id, at a step (from 0); a challenge's, with the seed that draws its fault
    /// (none: the attempt under way, or a new one).
    Lesson {
        id: String,
        step: usize,
        seed: Option<u64>,
    },
    /// The workshop (`?workshop`), where a shared scene's link (`#s=…`) opens too.
    Workshop,
    /// The learner's own traffic (`?import`): a pasted socket list, a capture file.
    Import,
}

impl Route {
    /// Whether this build of the app shows the route; another build's route is a page load
    /// (see `crate::ui::app`'s `elsewhere`).
    pub fn in_this_build(&self) -> bool {
        match self {
            Route::Home => cfg!(feature = "home"),
            Route::Explore => crate::FREE_PLAYER,
            Route::Lesson { .. } => cfg!(feature = "lessons"),
            Route::Workshop => cfg!(feature = "workshop"),
            Route::Import => cfg!(feature = "import"),
        }
    }

    /// The place an address asks for. A lesson's step counts from 1 in the address.
    pub fn from_params(params: &Params) -> Route {
        if let Some(id) = params.get("lesson") {
            let step = params
                .get("step")
                .and_then(|s| s.parse::<usize>().ok())
                .map_or(0, |n| n.saturating_sub(1));
            return Route::Lesson {
                id: id.clone(),
                step,
                // A seed a page can keep as a number (JSON's, in an LMS's suspend data).
                seed: params
                    .get("seed")
                    .and_then(|s| s.parse().ok())
                    .filter(|s| *s <= MOST_SEED),
            };
        }
        if params.contains_key("workshop") {
            return Route::Workshop;
        }
        if params.contains_key("import") {
            return Route::Import;
        }
        if PLAYER_PARAMS.iter().any(|p| params.contains_key(*p)) {
            return Route::Explore;
        }
        Route::Home
    }

    /// The query string that opens this place ("?lesson=server-listens&step=2").
    pub fn query(&self) -> String {
        match self {
            Route::Home => String::new(),
            Route::Explore => "?explore".to_string(),
            Route::Workshop => "?workshop".to_string(),
            Route::Import => "?import".to_string(),
            Route::Lesson { id, step, seed } => {
                let seed = seed.map_or(String::new(), |s| format!("&seed={s}"));
                format!("?lesson={id}{seed}&step={}", step + 1)
            }
        }
    }
}

/// The page's query parameters (`?scene=walkthrough&speed=2&play=1`); a shared scene's link
/// (a fragment `#s=…`) counts as `workshop`, which opens it.
pub fn query() -> Params {
    let location = gloo::utils::window().location();
    let search = location.search().unwrap_or_default();
    // (Only the workshop's build reads the fragment: another build sends a `workshop` address
    // there, which boot.js sends to the workshop's build.)
    let shared =
        cfg!(feature = "workshop") && location.hash().unwrap_or_default().starts_with("#s=");
    let mut params: Params = search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k.to_string(), v.to_string())
        })
        .collect();
    if shared {
        params.insert("workshop".to_string(), String::new());
    }
    params
}

/// The free player's address names the moment shown (`t`, in ms), so that drawing the app
/// again (in another language) or reloading comes back to it; a lesson's address does not.
pub fn keep_time(ms: i64) {
    let params = query();
    if params.contains_key("lesson") {
        return;
    }
    let mut kept = address_params_but(&["t", "play"]);
    if kept.is_empty() {
        kept.push("explore".to_string());
    }
    if ms > 0 {
        kept.push(format!("t={ms}"));
    }
    replace_address(&kept);
}

/// The address's parameters as written ("t=800"), but those that set one of `names`.
pub fn address_params_but(names: &[&str]) -> Vec<String> {
    gloo::utils::window()
        .location()
        .search()
        .unwrap_or_default()
        .trim_start_matches('?')
        .split('&')
        .filter(|p| {
            !p.is_empty()
                && !names
                    .iter()
                    .any(|n| p.strip_prefix(n).is_some_and(|v| v.starts_with('=')))
        })
        .map(str::to_string)
        .collect()
}

/// Put `params` in the address in place of its own (replacing the history entry: the same
/// page).
pub fn replace_address(params: &[String]) {
    if let Ok(history) = gloo::utils::window().history() {
        let url = format!("?{}", params.join("&"));
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Say in the address the scene the learner picked (`?scene=ID`), so that a reload or a
/// language switch opens it again. It replaces the history entry: picking a scene is not a move
/// the back button should undo. (The language is remembered apart from the address.)
pub fn show_scene(id: &str) {
    replace_address(&[format!("scene={id}")]);
}

/// Where the learner is, and a callback that takes them elsewhere (a new entry in the
/// browser's history). Back and forward come here too.
#[derive(Clone, PartialEq)]
pub struct Place {
    pub route: Route,
    pub params: Rc<Params>,
}

#[hook]
pub fn use_place() -> (Place, Callback<Route>) {
    let place = use_state(|| {
        let params = query();
        Place {
            route: Route::from_params(&params),
            params: Rc::new(params),
        }
    });
    {
        let place = place.clone();
        use_effect_with((), move |_| {
            let listener = EventListener::new(&gloo::utils::window(), "popstate", move |_| {
                let params = query();
                place.set(Place {
                    route: Route::from_params(&params),
                    params: Rc::new(params),
                });
            });
            move || drop(listener)
        });
    }
    let go = {
        let place = place.clone();
        use_callback((), move |route: Route, _| {
            let window = gloo::utils::window();
            let path = window.location().pathname().unwrap_or_default();
            let url = format!("{path}{}", route.query());
            if let Ok(history) = window.history() {
                let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
            }
            place.set(Place {
                route,
                params: Rc::new(Params::new()),
            });
            window.scroll_to_with_x_and_y(0.0, 0.0);
        })
    };
    ((*place).clone(), go)
}
