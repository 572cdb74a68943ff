//! The language picker: each language by its own name. A choice is kept in the browser
//! (`socketlab.lang`, which `static/boot.js` reads) and the page loads again in that language,
//! at the same address (less any `lang` it named), so the learner stays where they were.

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

/// Keep `tag` as the learner's language and load the page again in it.
fn choose(tag: &str) {
    let window = gloo::utils::window();
    if let Ok(Some(store)) = window.local_storage() {
        let _ = store.set_item("socketlab.lang", tag);
    }
    let location = window.location();
    let search = location.search().unwrap_or_default();
    let kept: Vec<&str> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("lang="))
        .collect();
    let path = location.pathname().unwrap_or_default();
    let address = match kept.is_empty() {
        true => path,
        false => format!("?{}", kept.join("&")),
    };
    let _ = location.replace(&address);
}
