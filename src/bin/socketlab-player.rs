//! The free player's build of the web app: the app without the lessons and the home screen
//! (built with `--no-default-features`; see `index.html`). `static/boot.js` loads it for an
//! address that opens a scene; a link from it to a lesson or home loads the app's full build.

#[cfg(target_arch = "wasm32")]
fn main() {
    socketlab::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("socketlab-player is the web app's free player: serve it with `bash scripts/serve.sh` (see README.md).");
    std::process::exit(2);
}
