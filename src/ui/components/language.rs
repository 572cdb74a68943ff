//! The language picker: each language by its own name. A choice is kept in the browser
//! (`socketlab.lang`, which `static/boot.js` reads on the next visit), and the app is drawn
//! again in that language where the learner was.

use yew::prelude::*;

use crate::i18n::{lang, t, Msg, LANGUAGES};

/// The picker, for a header. (A function, not a component: it keeps no state.)
pub fn language_picker() -> Html {
    let onchange = Callback::from(|e: Event| {
        if let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
            choose(&select.value());
        }
    });
    html! {
        <label class="language-picker">
            <span class="sr-only">{ t(Msg::LangLabel) }</span>
            <select {onchange}>
                { for LANGUAGES.iter().map(|(tag, name)| html! {
                    <option value={*tag} lang={*tag} selected={*tag == lang()}>{ *name }</option>
                }) }
            </select>
        </label>
    }
}

/// Keep `tag` as the learner's language, load its catalog (static/boot.js does the fetching,
/// as at start) and draw the app again in it, where the learner was. The address loses any
/// `lang` it named, so that a reload keeps the choice; if the catalog does not load, the page
/// stays as it was and says so.
fn choose(tag: &str) {
    let window = gloo::utils::window();
    if let Ok(Some(store)) = window.local_storage() {
        let _ = store.set_item("socketlab.lang", tag);
    }
    drop_lang_from_address(&window);
    let then = |loaded: bool| match loaded && crate::i18n::install().is_ok() {
        true => {
            crate::ui::app::keep_player_time();
            crate::ui::redraw()
        }
        false => {
            if let Some(line) = gloo::utils::document().get_element_by_id("lang-notice") {
                line.set_text_content(Some(&t(Msg::LangNotLoaded)));
                let _ = line.remove_attribute("hidden");
            }
        }
    };
    crate::ui::boot_call("socketlabLanguage", &[tag], std::rc::Rc::new(then));
}

fn drop_lang_from_address(window: &web_sys::Window) {
    let location = window.location();
    let search = location.search().unwrap_or_default();
    if !search.contains("lang=") {
        return;
    }
    let kept: Vec<&str> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("lang="))
        .collect();
    let address = match kept.is_empty() {
        true => location.pathname().unwrap_or_default(),
        false => format!("?{}", kept.join("&")),
    };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&address));
    }
}
