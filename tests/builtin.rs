//! The scenarios compiled into the app are exactly the shipped files, as the engine reads them.
#![cfg(not(target_arch = "wasm32"))]

use socketlab::builtin::BUILTIN;
use socketlab::engine::scenario;

#[test]
fn every_shipped_file_is_built_in_and_equal_to_its_toml() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        files += 1;
        let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
        let parsed = scenario::from_toml(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|p| panic!("{stem}: {p:?}"));
        let built = BUILTIN
            .iter()
            .find(|(s, _)| *s == stem)
            .unwrap_or_else(|| panic!("{stem} is not built in"))
            .1();
        assert_eq!(built, parsed, "{stem}");
        // And the trusted build makes the same run as the checked one.
        let a = scenario::from_toml(&parsed.to_toml())
            .unwrap()
            .build()
            .unwrap()
            .take_events();
        let b = built.build_trusted().take_events();
        assert_eq!(a, b, "{stem}: same setup events");
    }
    assert_eq!(files, BUILTIN.len());
}
