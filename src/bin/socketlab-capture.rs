//! The capture's worker (a Trunk worker module, `index.html`): reads a learner's capture file
//! off the page's thread, saying how far it is as it goes, and answers the cuts the page asks
//! for (`socketlab::capture::shown`). Only the import's page starts it, when a file is opened.
//!
//! Messages in: a `Blob` (the learner's `File`), a capture file (the one kept before is dropped); a
//! `Uint8Array`, a cut of the kept file. Out: a number, the share of the file read so far
//! (0 to 1); a `Uint8Array`, an answer (postcard's form of `shown::Answer`).

#[cfg(target_arch = "wasm32")]
fn main() {
    use socketlab::capture::shown::{self, Cut, Opened, FIRST_CONNECTIONS};
    use socketlab::capture::Refused;
    use std::cell::RefCell;
    use wasm_bindgen::{closure::Closure, JsCast};

    thread_local! {
        static OPENED: RefCell<Option<Opened>> = const { RefCell::new(None) };
    }
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply = scope.clone();
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |m: web_sys::MessageEvent| {
            let data = m.data();
            let answer = if let Some(blob) = data.dyn_ref::<web_sys::Blob>() {
                // The file kept before goes first: only one is held at a time.
                OPENED.with(|o| *o.borrow_mut() = None);
                // Read here, off the page's thread: the page never holds the file's bytes.
                let file = web_sys::FileReaderSync::new()
                    .and_then(|r| r.read_as_array_buffer(blob))
                    .map(|b| js_sys::Uint8Array::new(&b).to_vec());
                let Ok(file) = file else {
                    let bytes = shown::encode_answer(&Err(Refused::Unreadable));
                    let _ = reply.post_message(&js_sys::Uint8Array::from(&bytes[..]));
                    return;
                };
                let total = file.len().max(1) as f64;
                let said = reply.clone();
                let mut progress = |read: usize| {
                    let _ = said.post_message(&(read as f64 / total).into());
                };
                match Opened::new(file, &mut progress) {
                    Ok(opened) => {
                        let answer = opened.shown(Cut::Connections {
                            count: FIRST_CONNECTIONS,
                        });
                        OPENED.with(|o| *o.borrow_mut() = Some(opened));
                        Ok(answer)
                    }
                    Err(refused) => Err(refused),
                }
            } else {
                let asked = js_sys::Uint8Array::new(&data).to_vec();
                OPENED.with(|o| match (o.borrow().as_ref(), shown::decode_cut(&asked)) {
                    (Some(opened), Some(cut)) => Ok(opened.shown(cut)),
                    _ => Err(Refused::NotKept),
                })
            };
            let bytes = shown::encode_answer(&answer);
            let _ = reply.post_message(&js_sys::Uint8Array::from(&bytes[..]));
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The worker lives as long as the page: so does its one handler.
    on_message.forget();
    let _ = scope.post_message(&"ready".into());
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("socketlab-capture is the web app's capture worker: Trunk builds it for wasm32 (see index.html).");
    std::process::exit(2);
}
