//! Socket Lab: an interactive tutorial that teaches TCP ports and sockets by showing them.
//!
//! Code map (see `ARCHITECTURE.md` in the steering repo for the invariants):
//!
//! - [`engine`]: the simulation. Pure, deterministic Rust: one smoltcp TCP/IP stack per
//!   simulated host, a BSD-style socket layer on top, events and snapshots. It knows nothing of
//!   the browser, never reads a clock and never uses a global random generator.
//! - [`view`]: what the view derives from a scene, and the geometry of the screen in hand
//!   (the stage laid out for a width, packet lanes, which labels show, the flow graph's
//!   lifelines). Pure and native-testable: it knows the engine's events, not the browser.
//! - `ui` (wasm32 only): the Yew app. It draws snapshots of the engine and mutates the
//!   simulation in exactly one place, its reducer; a clock, a function of real time while
//!   playing, moves what moves between moments.
//! - [`lessons`]: the course step by step, with questions judged against the simulation at
//!   their moment. It knows the engine, not the browser.
//! - [`i18n`]: the message catalogs (`locales/`): every word a learner reads, per language.
//! - `capture` (feature `import`): a learner's own capture file, read into packets and the
//!   socket tables an observer of the wire infers from them.
//! - [`socklist`]: a learner's own socket list, pasted (`ss`, `netstat`, `lsof`,
//!   `Get-NetTCPConnection`), read into the course's rows.
//! - [`report`]: the CLI's text tables, in English (the web app does not use them).
//! - [`builtin`]: the shipped scenarios, compiled in by `build.rs` (no TOML parser in the app).
//! - [`workloads`]: busy simulations shared by benchmarks and stress scenes.
//! - [`worker`]: what a page asks the engine's worker (run a setup, open a scenario file), and
//!   its answers, as bytes.
//! - [`workshop`]: the workshop's model apart from the page: a scene being built, its undo
//!   history, new entries, where a problem belongs.
//! - [`vecmap`]: sorted maps and sets kept in one `Vec`, and a small sort: used instead of
//!   `BTreeMap` and the standard sorts because each of those compiles kilobytes of WebAssembly
//!   per type.
//! - `src/main.rs`: the web app's entry point, built by Trunk; `src/bin/socketlab-cli.rs`, the
//!   headless CLI.

pub mod builtin;
#[cfg(feature = "import")]
pub mod capture;
pub mod engine;
pub mod i18n;
pub mod lessons;
pub mod report;
pub mod socklist;
pub mod vecmap;
pub mod view;
pub mod worker;
pub mod workloads;
pub mod workshop;

#[cfg(target_arch = "wasm32")]
pub mod ui;

/// Whether this build is the challenges' own page: the challenge without the home screen. It
/// shows the challenge only; another lesson, or the free player, loads the lessons' build (a
/// page load, as the lessons' build sends a challenge here), so the code that only the other
/// lessons' questions use (predict, fill, choose) is left out of this build.
pub const CHALLENGE_PAGE: bool = cfg!(all(feature = "challenge", not(feature = "home")));

/// Whether this build shows the free player (`?explore`, `?scene=…`): its own page's build (no
/// lessons, no home screen), and the build with every part (the tests'). A lesson's or a
/// challenge's page sends it there (a page load), and leaves out the code only it uses.
pub const FREE_PLAYER: bool = cfg!(any(
    all(feature = "lessons", feature = "home"),
    not(any(feature = "lessons", feature = "home"))
));

/// The allocator of every WebAssembly build (the app, the free player, the engine's worker):
/// Talc, a well-kept crate that is smaller in WebAssembly than the standard library's dlmalloc
/// and faster at the many small allocations of a redraw (measured with `benches/size.mjs`).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
