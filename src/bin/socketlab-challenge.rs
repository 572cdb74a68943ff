//! The challenges' build of the web app: the lessons with the challenge page, which draws a fault
//! into a scene and runs it (built with `--no-default-features --features challenge`; see
//! `index.html`). `static/boot.js` loads it for an address that opens a challenge (its card on
//! the first screen says so); a lesson's own build leaves the challenge page out.

#[cfg(target_arch = "wasm32")]
fn main() {
    socketlab::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("socketlab-challenge is the web app's challenge page: serve it with `bash scripts/serve.sh` (see README.md).");
    std::process::exit(2);
}
