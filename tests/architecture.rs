//! The engine's boundary, written down as absences (see ARCHITECTURE.md): no browser crate, no
//! clock and no global random generator inside `src/engine/`, and no browser crate in
//! `src/lessons/`.
#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::Path;

fn engine_sources() -> Vec<(String, String)> {
    let out = sources("src/engine");
    assert!(out.len() >= 10, "found the engine's modules");
    out
}

/// Every Rust file in a folder of `src/`, with its text, in name order.
fn sources(folder: &str) -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut out: Vec<(String, String)> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .map(|p| (p.display().to_string(), fs::read_to_string(&p).unwrap()))
        .collect();
    out.sort();
    out
}

#[test]
fn the_engine_knows_nothing_of_the_browser_clocks_global_randomness_or_words() {
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
        // Words are the view's: the engine names what happened, never says it. A file's
        // problem names its message (`Msg`); `crate::i18n` says it.
        for (at, _) in text.match_indices("i18n") {
            assert!(
                text[at..].starts_with("i18n::Msg;")
                    || text[at..].starts_with("i18n::Msg}")
                    || text[at..].starts_with("i18n::Msg,"),
                "{path} uses crate::i18n for more than naming a message"
            );
        }
    }
}

/// The lessons know the engine and not the browser, so every question can be judged natively.
#[test]
fn the_lessons_know_nothing_of_the_browser() {
    let lessons = sources("src/lessons");
    assert!(lessons.len() >= 3, "found the lessons' modules");
    for (path, text) in lessons {
        for word in [
            "yew",
            "web_sys",
            "js_sys",
            "gloo",
            "wasm_bindgen",
            "crate::ui",
        ] {
            assert!(!text.contains(word), "{path} mentions {word}");
        }
        assert!(
            !text.contains("HashMap") && !text.contains("HashSet"),
            "{path}"
        );
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

/// The engine's files depend on each other in one direction only: no file reaches (through
/// `super::` or `crate::engine::`) a file that reaches back to it. A cycle means two parts that
/// cannot be read, tested or changed apart.
#[test]
fn the_engines_files_form_no_import_cycle() {
    use std::collections::{BTreeMap, BTreeSet};
    let mut uses: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (path, text) in engine_sources() {
        let name = Path::new(&path)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .to_string();
        // Unit tests beside the code may use anything.
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        let mut deps = BTreeSet::new();
        for prefix in ["super::", "crate::engine::"] {
            for (i, _) in code.match_indices(prefix) {
                let rest = &code[i + prefix.len()..];
                let dep: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if !dep.is_empty() && dep != name {
                    deps.insert(dep);
                }
            }
        }
        uses.insert(name, deps);
    }
    // Depth-first search for a path that returns to where it started.
    fn reaches(
        uses: &BTreeMap<String, BTreeSet<String>>,
        from: &str,
        to: &str,
        seen: &mut BTreeSet<String>,
        path: &mut Vec<String>,
    ) -> bool {
        for d in uses.get(from).into_iter().flatten() {
            if d == to {
                path.push(d.clone());
                return true;
            }
            if seen.insert(d.clone()) {
                path.push(d.clone());
                if reaches(uses, d, to, seen, path) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    for name in uses.keys().filter(|n| *n != "mod") {
        let mut path = vec![name.clone()];
        assert!(
            !reaches(&uses, name, name, &mut BTreeSet::new(), &mut path),
            "an import cycle: {}",
            path.join(" → ")
        );
    }
}

/// Unicode case mapping (`to_lowercase`, `to_uppercase`) brings the standard library's case
/// tables into the web app: 5 KB of the 240 KB startup budget (brotli), measured when one
/// `to_lowercase` of "TCP" was taken out. What the app shows is ASCII where it changes case.
#[test]
fn the_web_app_changes_case_in_ascii_only() {
    let mut found = Vec::new();
    for folder in [
        "src/ui",
        "src/ui/components",
        "src/view",
        "src/lessons",
        "src/engine",
    ] {
        for (name, text) in sources(folder) {
            for call in [".to_lowercase()", ".to_uppercase()"] {
                if text.contains(call) {
                    found.push(format!("{name}: {call}"));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "use to_ascii_lowercase/uppercase: {found:?}"
    );
}
