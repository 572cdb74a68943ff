//! The engine's boundary, written down as absences (see ARCHITECTURE.md): no browser crate, no
//! clock and no global random generator inside `src/engine/`.
#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::Path;

fn engine_sources() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/engine");
    let mut out: Vec<(String, String)> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .map(|p| (p.display().to_string(), fs::read_to_string(&p).unwrap()))
        .collect();
    out.sort();
    assert!(out.len() >= 10, "found the engine's modules");
    out
}

#[test]
fn the_engine_knows_nothing_of_the_browser_clocks_or_global_randomness() {
    let forbidden = [
        "yew",
        "web_sys",
        "js_sys",
        "gloo",
        "wasm_bindgen",
        "SystemTime",
        "std::time::Instant",
        "thread_rng",
        "rand::",
    ];
    for (path, text) in engine_sources() {
        for word in forbidden {
            assert!(!text.contains(word), "{path} mentions {word}");
        }
    }
}

#[test]
fn the_engine_iterates_only_ordered_collections() {
    for (path, text) in engine_sources() {
        assert!(
            !text.contains("HashMap") && !text.contains("HashSet"),
            "{path} uses a hash collection"
        );
    }
}
