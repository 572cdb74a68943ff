//! The engine's worker, seen from the page: a fix-it question's changed setup runs there
//! (`src/bin/socketlab-engine.rs`, built by Trunk as a worker module). The worker is started the
//! first time a learner runs a setup, so a lesson's startup carries no TCP/IP stack; it then
//! stays for the next run. Answers come back in the order runs were asked for. What went wrong
//! is named for the learner's message by the worker's file, or by the browser's own words.

use std::cell::RefCell;
use std::collections::VecDeque;

use wasm_bindgen::{closure::Closure, JsCast};

use crate::engine::timeline::Recording;
use crate::lessons::fix::{read_answer, Checked, Run};

/// The worker's script, as Trunk writes it (`index.html`: `data-bin="socketlab-engine"`).
const SCRIPT: &str = "socketlab-engine_loader.js";

type Then = Box<dyn FnOnce(Result<Vec<u8>, String>)>;

/// The worker's function: a run's bytes in, its answer's bytes out.
type Serve = fn(&[u8]) -> Vec<u8>;

struct Engine {
    worker: web_sys::Worker,
    /// The worker has said it is ready (its first message): until then runs wait here.
    ready: bool,
    held: Vec<js_sys::Uint8Array>,
    waiting: VecDeque<Then>,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

/// How long a new worker may take to load and start (its code is about 140 KB, compressed).
const READY_WITHIN_MS: u32 = 30_000;

thread_local! {
    static ENGINE: RefCell<Option<Engine>> = const { RefCell::new(None) };
    /// How many workers have been started: a timer knows whether its worker is still the one.
    static WORKERS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    /// The worker's own function, called in the page instead of the worker (component tests,
    /// which have no worker script to start).
    static IN_PAGE: std::cell::Cell<Option<Serve>> = const { std::cell::Cell::new(None) };
}

/// Answer runs in the page with `serve` (the worker's function, `worker::serve`), the
/// same bytes in and out, rather than in the worker: for component tests.
pub fn answer_in_page(serve: Serve) {
    IN_PAGE.set(Some(serve));
}

/// Run `job` in the worker, then call `then` with each goal's result and the run's recording,
/// or with why there are none (the worker did not load, or answered with something that does
/// not read).
pub fn run(job: &Run, then: impl FnOnce(Result<(Vec<Checked>, Recording), String>) + 'static) {
    ask(&crate::worker::run_request(job), move |answer| {
        then(run_answer(answer))
    });
}

/// A run's answer read (once, not in each caller's copy of [`run`]).
#[inline(never)]
fn run_answer(answer: Result<Vec<u8>, String>) -> Result<(Vec<Checked>, Recording), String> {
    answer.and_then(|bytes| read_answer(&bytes).map_err(|_| SCRIPT.to_string()))
}

/// Send the worker `request` (see [`crate::worker`]), then call `then` with its answer's bytes,
/// or with why there are none.
pub fn ask(request: &[u8], then: impl FnOnce(Result<Vec<u8>, String>) + 'static) {
    if let Some(serve) = IN_PAGE.get() {
        return then(Ok(serve(request)));
    }
    let then: Then = Box::new(then);
    // What went wrong, if anything, and the callback if it is still ours to call.
    let failed: Option<(String, Option<Then>)> = ENGINE.with_borrow_mut(|slot| {
        if slot.is_none() {
            match start() {
                Ok(engine) => *slot = Some(engine),
                Err(why) => return Some((why, Some(then))),
            }
        }
        let engine = match slot.as_mut() {
            Some(engine) => engine,
            None => return Some((SCRIPT.to_string(), Some(then))),
        };
        engine.waiting.push_back(then);
        let request = js_sys::Uint8Array::from(request);
        if !engine.ready {
            engine.held.push(request);
            return None;
        }
        let sent = engine.worker.post_message(&request);
        sent.err().map(|_| (SCRIPT.to_string(), None))
    });
    // Called outside the borrow: a callback may well run another setup.
    match failed {
        Some((why, Some(then))) => then(Err(why)),
        Some((why, None)) => fail_all(&why),
        None => {}
    }
}

/// What a worker's error event says, or the worker's script's name when it says nothing (a
/// script that did not load).
pub fn worker_error(e: &web_sys::Event, script: &str) -> String {
    e.dyn_ref::<web_sys::ErrorEvent>()
        .map(|e| e.message())
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| script.to_string())
}

fn start() -> Result<Engine, String> {
    let worker = web_sys::Worker::new(SCRIPT).map_err(|_| SCRIPT.to_string())?;
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(on_answer);
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(|e: web_sys::Event| {
        fail_all(&worker_error(&e, SCRIPT));
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    // A worker whose code did not load or start says nothing at all (its loader's failure stays
    // inside it): if it has not said it is ready by then, the runs waiting hear so.
    let started = WORKERS.get() + 1;
    WORKERS.set(started);
    gloo::timers::callback::Timeout::new(READY_WITHIN_MS, move || {
        let silent = ENGINE.with_borrow(|e| e.as_ref().is_some_and(|e| !e.ready));
        if silent && WORKERS.get() == started {
            fail_all(SCRIPT);
        }
    })
    .forget();
    Ok(Engine {
        worker,
        ready: false,
        held: Vec::new(),
        waiting: VecDeque::new(),
        _on_message: on_message,
        _on_error: on_error,
    })
}

/// A message from the worker: that it is ready, or the answer to the oldest run waiting.
fn on_answer(m: web_sys::MessageEvent) {
    let Ok(answer) = m.data().dyn_into::<js_sys::Uint8Array>() else {
        // Anything but an answer's bytes is the worker saying it is ready: the runs held until
        // now go.
        let sent = ENGINE.with_borrow_mut(|e| {
            let Some(e) = e.as_mut() else { return true };
            e.ready = true;
            e.held.drain(..).all(|r| e.worker.post_message(&r).is_ok())
        });
        if !sent {
            fail_all(SCRIPT);
        }
        return;
    };
    let next = ENGINE.with_borrow_mut(|e| e.as_mut().and_then(|e| e.waiting.pop_front()));
    if let Some(then) = next {
        then(Ok(answer.to_vec()));
    }
}

/// The worker failed: every run still waiting hears why, and the next run starts a new one.
fn fail_all(why: &str) {
    let waiting: Vec<Then> = ENGINE.with_borrow_mut(|e| match e.take() {
        Some(mut engine) => {
            engine.worker.terminate();
            engine.waiting.drain(..).collect()
        }
        None => Vec::new(),
    });
    for then in waiting {
        then(Err(why.to_string()));
    }
}
