//! The workshop's build of the web app: the free player and the scene editor, without the
//! lessons and the home screen (built with `--no-default-features --features workshop`; see
//! `index.html`). `static/boot.js` loads it for `?workshop` and for a shared scene's link
//! (`#s=…`); a link from it to a lesson or home loads that page's build.

#[cfg(target_arch = "wasm32")]
fn main() {
    socketlab::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("socketlab-workshop is the web app's workshop: serve it with `bash scripts/serve.sh` (see README.md).");
    std::process::exit(2);
}
