//! The home screen's build of the web app: the home screen without the player and the lessons
//! (built with `--no-default-features --features home`; see `index.html`). `static/boot.js`
//! loads it for an address that opens no lesson and no scene; a link from it to a lesson or a
//! scene loads that page's build.

#[cfg(target_arch = "wasm32")]
fn main() {
    socketlab::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("socketlab-home is the web app's home screen: serve it with `bash scripts/serve.sh` (see README.md).");
    std::process::exit(2);
}
