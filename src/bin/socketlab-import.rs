//! The import's build of the web app: a pasted socket list drawn as the course's tables, and a
//! learner's own capture file read in its worker (`socketlab-capture`) and drawn as the course's
//! hosts, packets and socket tables (built with `--no-default-features --features import`; see
//! `index.html`). `static/boot.js` loads it for `?import`.

#[cfg(target_arch = "wasm32")]
fn main() {
    socketlab::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("socketlab-import is the web app's import page: serve it with `bash scripts/serve.sh` (see README.md).");
    std::process::exit(2);
}
