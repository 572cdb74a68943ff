//! What the page shows when Rust panics: a readable message and a reload button, instead of a
//! page that silently stops responding. The markup lives in `index.html` (`#fatal`), so it is
//! there even when the app's own code can no longer run.

use std::panic::PanicHookInfo;

pub(super) fn install_hook() {
    // Through Yew, so that its renderer keeps this hook instead of installing its default.
    yew::set_custom_panic_hook(Box::new(|info: &PanicHookInfo<'_>| {
        // Keep the full report for developers in the console...
        console_error_panic_hook::hook(info);
        // ...and tell the learner in plain words.
        show_fatal(&info.to_string());
    }));
}

pub(super) fn show_fatal(detail: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(boot) = document.get_element_by_id("boot-message") {
        boot.remove();
    }
    if let Some(text) = document.get_element_by_id("fatal-detail") {
        text.set_text_content(Some(detail));
    }
    if let Some(fatal) = document.get_element_by_id("fatal") {
        let _ = fatal.remove_attribute("hidden");
    }
}
