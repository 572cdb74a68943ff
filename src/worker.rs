//! What a page asks the engine's worker (`src/bin/socketlab-engine.rs`), and its answers, as
//! compact bytes ([`crate::engine::wire`]). The worker holds the TCP/IP stacks and the scenario
//! file's reader, which no page carries at startup, so a page sends it:
//!
//! - a **run**: a setup to run and goals to check against the run (a fix-it question's, and the
//!   workshop's Run); the answer is each goal's result and the run's recording
//!   ([`crate::lessons::fix::serve`]);
//! - an **open**: a scenario file's text (TOML or JSON: a file the learner opened, a shared
//!   link's), read and checked as `socketlab-cli check` reads it; the answer is the scenario,
//!   or every problem with it.
//!
//! A request is its kind's byte, then its body. Bytes that are no request get an empty answer,
//! which reads as nothing.

use crate::engine::checker::Problem;
use crate::engine::scenario::{self, Scenario};
use crate::engine::wire::{take_byte, Wire};
use crate::lessons::fix::Run;

const RUN: u8 = 0;
const OPEN: u8 = 1;

/// The worker's whole job: a request's bytes in, its answer's bytes out.
pub fn serve(request: &[u8]) -> Vec<u8> {
    match request.split_first() {
        Some((&RUN, run)) => crate::lessons::fix::serve(run),
        Some((&OPEN, mut body)) => {
            let opened = <(String, bool)>::take(&mut body)
                .filter(|_| body.is_empty())
                .map(|(text, json)| match json {
                    true => scenario::from_json(&text),
                    false => scenario::from_toml(&text),
                });
            let mut out = Vec::new();
            match opened {
                Some(Ok(s)) => {
                    out.push(0);
                    s.put(&mut out);
                }
                Some(Err(problems)) => {
                    out.push(1);
                    problems.put(&mut out);
                }
                None => {}
            }
            out
        }
        _ => Vec::new(),
    }
}

/// The request that runs `run`.
pub fn run_request(run: &Run) -> Vec<u8> {
    let mut out = vec![RUN];
    out.extend(run.to_bytes());
    out
}

/// The request that opens a scenario file's `text` (JSON if `json`, TOML otherwise).
pub fn open_request(text: &str, json: bool) -> Vec<u8> {
    let mut out = vec![OPEN];
    (text.to_string(), json).put(&mut out);
    out
}

/// An open's answer read back: the scenario, or every problem with the file; `None` if the
/// bytes are not an open's answer.
pub fn read_opened(mut bytes: &[u8]) -> Option<Result<Scenario, Vec<Problem>>> {
    let read = match take_byte(&mut bytes)? {
        0 => Ok(Scenario::take(&mut bytes)?),
        1 => Err(Vec::<Problem>::take(&mut bytes)?),
        _ => return None,
    };
    bytes.is_empty().then_some(read)
}

/// A problem with a file: where, then what.
impl Wire for Problem {
    fn put(&self, out: &mut Vec<u8>) {
        self.path.put(out);
        self.message.put(out);
    }
    fn take(bytes: &mut &[u8]) -> Option<Self> {
        Some(Problem {
            path: Wire::take(bytes)?,
            message: Wire::take(bytes)?,
        })
    }
}
