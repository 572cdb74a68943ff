//! The web app's entry point. Trunk builds this binary for wasm32 (see `index.html`).

#[cfg(target_arch = "wasm32")]
fn main() {
    socketlab::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("socketlab is the web app: serve it with `bash scripts/serve.sh` (see README.md).");
    std::process::exit(2);
}
