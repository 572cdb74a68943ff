//! Turns the shipped scenarios (scenarios/*.toml) into Rust constructors, so the web app can
//! show them without carrying a TOML parser and the validator (about 40 KB of the startup
//! budget). `tests/builtin.rs` checks that every constructor equals what the engine's own
//! reader makes of the same file, so the two cannot drift apart.

use std::fmt::Write as _;
use std::path::Path;

/// Field types, by struct and field name, for the Rust literal each value becomes.
fn kind(table: &str, field: &str) -> &'static str {
    match (table, field) {
        ("Scenario", "version") => "u32",
        ("Scenario", "seed") => "u64",
        ("Scenario", "duration_ms") => "opt f64",
        ("Scenario", "description") => "string",
        ("LinkDef", "between") => "pair",
        ("NetEventDef", "link") => "opt pair",
        ("LinkDef", _) => "opt f64",
        ("HostDef", "os") => "opt string",
        ("ActionDef", "at_ms" | "delay_ms") => "opt f64",
        ("ActionDef", "after" | "to" | "data") => "opt string",
        ("ActionDef", "port" | "from_port") => "opt u16",
        ("ActionDef", "backlog") => "opt u32",
        ("ActionDef", "auto") => "opt bool",
        ("FirewallDef", "port") => "u16",
        ("NetEventDef" | "StageDef", "at_ms") => "f64",
        ("NetEventDef", "host") => "opt string",
        _ => "string",
    }
}

/// The fields of each struct, in declaration order, with the TOML key each reads.
const STRUCTS: &[(&str, &[(&str, &str)])] = &[
    ("HostDef", &[("name", "name"), ("ip", "ip"), ("os", "os")]),
    (
        "LinkDef",
        &[
            ("between", "between"),
            ("latency_ms", "latency_ms"),
            ("loss", "loss"),
            ("duplicate", "duplicate"),
            ("reorder", "reorder"),
            ("jitter_ms", "jitter_ms"),
        ],
    ),
    (
        "ProcessDef",
        &[("name", "name"), ("host", "host"), ("program", "program")],
    ),
    (
        "ActionDef",
        &[
            ("process", "process"),
            ("at_ms", "at_ms"),
            ("after", "after"),
            ("delay_ms", "delay_ms"),
            ("op", "do"),
            ("port", "port"),
            ("backlog", "backlog"),
            ("to", "to"),
            ("from_port", "from_port"),
            ("auto", "auto"),
            ("data", "data"),
        ],
    ),
    (
        "FirewallDef",
        &[
            ("host", "host"),
            ("proto", "proto"),
            ("port", "port"),
            ("verdict", "verdict"),
        ],
    ),
    (
        "NetEventDef",
        &[
            ("at_ms", "at_ms"),
            ("link", "link"),
            ("host", "host"),
            ("state", "state"),
        ],
    ),
    (
        "StageDef",
        &[("at_ms", "at_ms"), ("title", "title"), ("text", "text")],
    ),
];

const SECTIONS: &[(&str, &str)] = &[
    ("hosts", "HostDef"),
    ("links", "LinkDef"),
    ("processes", "ProcessDef"),
    ("actions", "ActionDef"),
    ("firewall", "FirewallDef"),
    ("network", "NetEventDef"),
    ("stages", "StageDef"),
];

fn literal(table: &str, field: &str, value: Option<&toml::Value>, file: &str) -> String {
    let k = kind(table, field);
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
        ("string", Some(v)) => text(v),
        ("string", None) if field == "description" => "\"\"".to_string(),
        ("u32", Some(v)) => int(v, "u32"),
        ("u64", Some(v)) => int(v, "u64"),
        ("u16", Some(v)) => int(v, "u16"),
        ("f64", Some(v)) => num(v),
        ("pair", Some(v)) => pair(v),
        (opt, None) if opt.starts_with("opt") => "None".to_string(),
        ("opt f64", Some(v)) => format!("Some({})", num(v)),
        ("opt string", Some(v)) => format!("Some({})", text(v)),
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

fn main() {
    println!("cargo:rerun-if-changed=scenarios");
    println!("cargo:rerun-if-changed=build.rs");
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
        for field in ["version", "title", "description", "seed", "duration_ms"] {
            let _ = writeln!(
                out,
                "        {field}: {},",
                literal("Scenario", field, top.get(field), &file)
            );
        }
        for (section, table) in SECTIONS {
            let fields = STRUCTS
                .iter()
                .find(|(n, _)| n == table)
                .map(|(_, f)| *f)
                .unwrap_or(&[]);
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
                let _ = write!(out, "            Raw{table} {{ ");
                for (name, key) in fields {
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
            "pub fn {fn_name}() -> Scenario {{\n    {}.to_scenario()\n}}\n",
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
