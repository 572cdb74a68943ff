//! The first screen in index.html is plain HTML, painted before the app's code arrives. Its
//! words must be the default scene's first stage, or the page would say one thing and then
//! another.
#![cfg(not(target_arch = "wasm32"))]

use socketlab::engine::scenario;

/// Whitespace folded to single spaces.
fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text between `open` (its end) and the next `close`.
fn between<'a>(html: &'a str, open: &str, close: &str) -> &'a str {
    let start = html
        .find(open)
        .unwrap_or_else(|| panic!("index.html has {open}"))
        + open.len();
    let start = start + html[start..].find('>').unwrap() + 1;
    let end = start + html[start..].find(close).unwrap();
    &html[start..end]
}

#[test]
fn the_static_first_screen_says_what_the_default_scene_says_first() {
    let root = env!("CARGO_MANIFEST_DIR");
    let html = std::fs::read_to_string(format!("{root}/index.html")).unwrap();
    let text = std::fs::read_to_string(format!("{root}/scenarios/slides.toml")).unwrap();
    let scene = scenario::from_toml(&text).unwrap();
    let first = &scene.stages[0];
    let title = between(&html, "<h3 id=\"boot-stage-title\"", "</h3>");
    assert_eq!(
        fold(title),
        format!("1 of {}: {}", scene.stages.len(), first.title)
    );
    let story = between(&html, "<p class=\"first-story\"", "</p>");
    assert_eq!(fold(story), fold(&first.text));
}
