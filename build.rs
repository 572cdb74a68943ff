//! Turns the shipped scenarios (scenarios/*.toml) into Rust constructors, so the web app can
//! show them without carrying a TOML parser and the validator (about 40 KB of the startup
//! budget). `tests/builtin.rs` checks that every constructor equals what the engine's own
//! reader makes of the same file, so the two cannot drift apart. The web build leaves out the
//! scenes' words ([`WORDS`]), which the page loads in the learner's language.

use std::fmt::Write as _;
use std::path::Path;

/// Each section of the format: its struct, its list in the file, and each field's name, TOML
/// key and kind, from the one definition in `src/engine/format.rs`.
type Fields = &'static [(&'static str, &'static str, &'static str)];

macro_rules! scenario_format {
    (
        $(#[$file_doc:meta])* file {
            $( $top:ident : ($($top_kind:ident)+) $top_key:literal $([$($top_range:tt)*])? ),* $(,)?
        }
        $( $(#[$doc:meta])* $name:ident in $list:ident {
            $( $field:ident : ($($kind:ident)+) $key:literal $([$($range:tt)*])? ),* $(,)?
        } )*
    ) => {
        const FILE: Fields = &[$( (stringify!($top), $top_key, stringify!($($top_kind)+)) ),*];
        const SECTIONS: &[(&str, &str, Fields)] = &[
            $( (stringify!($name), stringify!($list), &[$( (stringify!($field), $key, stringify!($($kind)+)) ),*]), )*
        ];
    };
}

include!("src/engine/format.rs");

/// A field's kind, from the format: the file's own (`table` "Scenario") or a section's.
fn kind(table: &str, field: &str) -> &'static str {
    let fields = match table {
        "Scenario" => FILE,
        _ => SECTIONS
            .iter()
            .find(|(name, _, _)| *name == table)
            .map_or(&[][..], |(_, _, fields)| fields),
    };
    fields
        .iter()
        .find(|(f, _, _)| *f == field)
        .map_or("text", |(_, _, k)| k)
}

/// The fields that are words a learner reads. The web build leaves them empty: the page loads
/// them in the learner's language with the scene (`locales/scenes/<lang>.json`, which
/// `tests/builtin.rs` keeps equal to the scene files and their translations).
const WORDS: &[(&str, &str)] = &[
    ("Scenario", "title"),
    ("Scenario", "description"),
    ("StageDef", "title"),
    ("StageDef", "text"),
];

fn literal(table: &str, field: &str, value: Option<&toml::Value>, file: &str) -> String {
    let k = kind(table, field);
    let web = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "wasm32");
    let blank = toml::Value::String(String::new());
    let value = match value {
        Some(_) if web && WORDS.contains(&(table, field)) => Some(&blank),
        v => v,
    };
    let fail = |what: &str| -> ! {
        panic!("{file}: {table}.{field}: {what} (run `socketlab-cli check {file}`)")
    };
    let text =
        |v: &toml::Value| format!("{:?}", v.as_str().unwrap_or_else(|| fail("expected text")));
    let num = |v: &toml::Value| match v {
        toml::Value::Integer(i) => format!("{i}.0"),
        toml::Value::Float(f) => format!("{f:?}"),
        _ => fail("expected a number"),
    };
    let int = |v: &toml::Value, ty: &str| {
        format!(
            "{}{ty}",
            v.as_integer()
                .unwrap_or_else(|| fail("expected a whole number"))
        )
    };
    let pair = |v: &toml::Value| {
        let a = v.as_array().unwrap_or_else(|| fail("expected two names"));
        format!("[{}, {}]", text(&a[0]), text(&a[1]))
    };
    match (k, value) {
        ("text", Some(v)) => text(v),
        ("u32", Some(v)) => int(v, "u32"),
        ("u64", Some(v)) => int(v, "u64"),
        ("u16", Some(v)) => int(v, "u16"),
        ("f64", Some(v)) => num(v),
        ("pair", Some(v)) => pair(v),
        (opt, None) if opt.starts_with("opt") => "None".to_string(),
        ("opt f64", Some(v)) => format!("Some({})", num(v)),
        ("opt text", Some(v)) => format!("Some({})", text(v)),
        ("opt u16", Some(v)) => format!("Some({})", int(v, "u16")),
        ("opt u32", Some(v)) => format!("Some({})", int(v, "u32")),
        ("opt bool", Some(v)) => format!(
            "Some({})",
            v.as_bool()
                .unwrap_or_else(|| fail("expected true or false"))
        ),
        ("opt pair", Some(v)) => format!("Some({})", pair(v)),
        _ => fail("missing"),
    }
}

/// The message keys of `locales/en.json`, the reference catalog, as a Rust enum in the keys'
/// sorted order (the order of the runtime catalogs that `scripts/postbuild.mjs` writes), each
/// with its English text as its doc, and the keys themselves for tests and tools.
fn message_keys() -> String {
    println!("cargo:rerun-if-changed=locales/en.json");
    let text = std::fs::read_to_string("locales/en.json").expect("locales/en.json exists");
    let catalog: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&text).expect("locales/en.json is a JSON object");
    let mut variants = String::new();
    let mut keys = String::new();
    let mut all = String::new();
    for (key, value) in &catalog {
        let name: String = key
            .split(['.', '_', '-'])
            .map(|part| {
                let mut chars = part.chars();
                chars.next().map_or(String::new(), |c| {
                    c.to_ascii_uppercase().to_string() + chars.as_str()
                })
            })
            .collect();
        let english = match value {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Object(forms) => forms
                .get("other")
                .and_then(|v| v.as_str())
                .unwrap_or_else(|| panic!("locales/en.json: {key} has no \"other\" form"))
                .to_string(),
            _ => panic!("locales/en.json: {key} is neither a text nor plural forms"),
        };
        writeln!(
            variants,
            "    /// {}\n    {name},",
            english.replace('\n', " ")
        )
        .unwrap();
        writeln!(keys, "    {key:?},").unwrap();
        writeln!(all, "    Msg::{name},").unwrap();
    }
    format!(
        "// Generated by build.rs from locales/en.json. Do not edit.\n\n\
         /// A message of the catalogs (`locales/*.json`), by its key in `locales/en.json`.\n\
         #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]\n\
         pub enum Msg {{\n{variants}}}\n\n\
         /// Each message's key, in [`Msg`]'s order (sorted).\n\
         pub const KEYS: &[&str] = &[\n{keys}];\n\n\
         /// Every message, in order: a message read back from its number (`MESSAGES[n]`).\n\
         pub const MESSAGES: &[Msg] = &[\n{all}];\n"
    )
}

fn main() {
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out_dir).join("messages.rs"), message_keys())
        .expect("OUT_DIR is writable");
    println!("cargo:rerun-if-changed=scenarios");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/engine/format.rs");
    let dir = Path::new("scenarios");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("scenarios/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let mut out = String::from("// Generated by build.rs from scenarios/*.toml. Do not edit.\n\n");
    let mut index = String::from("/// Every shipped scenario: (file stem, constructor).\n#[allow(clippy::type_complexity)]\npub const BUILTIN: &[(&str, fn() -> Scenario)] = &[\n");
    for path in files {
        println!("cargo:rerun-if-changed={}", path.display());
        let file = path.display().to_string();
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("a file name")
            .to_string();
        let fn_name = format!("scene_{}", stem.replace('-', "_"));
        let text = std::fs::read_to_string(&path).expect("readable scenario");
        let top: toml::Table = text
            .parse()
            .unwrap_or_else(|e| panic!("{file}: not valid TOML: {e}"));
        let _ = writeln!(
            out,
            "static {}: RawScenario = RawScenario {{",
            fn_name.to_uppercase()
        );
        for (field, key, _) in FILE {
            let _ = writeln!(
                out,
                "        {field}: {},",
                literal("Scenario", field, top.get(*key), &file)
            );
        }
        for (table, section, fields) in SECTIONS {
            let _ = writeln!(out, "        {section}: &[");
            for item in top
                .get(*section)
                .and_then(|v| v.as_array())
                .map(Vec::as_slice)
                .unwrap_or(&[])
            {
                let t = item
                    .as_table()
                    .unwrap_or_else(|| panic!("{file}: {section}: expected tables"));
                let _ = write!(out, "            raw::{table} {{ ");
                for (name, key, _) in fields.iter() {
                    let _ = write!(
                        out,
                        "{name}: {}, ",
                        literal(table, name, t.get(*key), &file)
                    );
                }
                let _ = writeln!(out, "}},");
            }
            let _ = writeln!(out, "        ],");
        }
        let _ = writeln!(out, "}};\n");
        let _ = writeln!(
            out,
            "pub fn {fn_name}() -> Scenario {{\n    {}.owned()\n}}\n",
            fn_name.to_uppercase()
        );
        let _ = writeln!(index, "    ({stem:?}, {fn_name}),");
    }
    index.push_str("];\n");
    out.push_str(&index);
    let dest =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("builtin_scenes.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}
