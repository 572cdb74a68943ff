//! The engine's worker (a Trunk worker module, `index.html`): the TCP/IP stacks that run a
//! learner's changed setup, and the scenario file's reader, in a build of their own that a page
//! loads the first time a fix-it question runs one (`src/ui/engine.rs`; the requests and
//! answers: `socketlab::worker`). A lesson's startup plays recorded runs and carries
//! none of this.

#[cfg(target_arch = "wasm32")]
fn main() {
    use wasm_bindgen::{closure::Closure, JsCast};
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply = scope.clone();
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |m: web_sys::MessageEvent| {
            let request = js_sys::Uint8Array::new(&m.data()).to_vec();
            let answer = socketlab::worker::serve(&request);
            let _ = reply.post_message(&js_sys::Uint8Array::from(&answer[..]));
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The worker lives as long as the page: so does its one handler.
    on_message.forget();
    // The page holds its runs until the engine can take them (a message before this one would
    // find no handler).
    let _ = scope.post_message(&"ready".into());
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("socketlab-engine is the web app's engine worker: Trunk builds it for wasm32 (see index.html).");
    std::process::exit(2);
}
