//! What a page asks the engine's worker (`src/bin/socketlab-engine.rs`), and its answers, as
//! compact bytes ([`crate::engine::wire`]). The worker holds the TCP/IP stacks and the scenario
//! file's readers, which no page carries at startup, so a page sends it:
//!
//! - a **run**: a setup to run and goals to check against the run (a fix-it question's, and the
//!   workshop's Run); the answer is each goal's result and the run's recording
//!   ([`crate::lessons::fix::serve`]);
//! - an **open**: a scenario file's text, read and checked as `socketlab-cli check` reads it;
//!   the answer is the scenario with its challenge ([`WithChallenge`]), or every problem with
//!   it. The workshop reads TOML itself (links, its kept scene, most files) and sends a JSON
//!   file here, whose reader it does not carry.
//!
//! A request is its kind's byte, then its body. Bytes that are no request get an empty answer,
//! which reads as nothing.

use crate::engine::checker::{Arg, Problem, Said};
use crate::engine::scenario::{self, Scenario, WithChallenge};
use crate::engine::wire::{take_byte, Wire};
use crate::i18n::{Msg, MESSAGES};
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
                    WithChallenge(s).put(&mut out);
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
        0 => Ok(WithChallenge::take(&mut bytes)?.0),
        1 => Err(Vec::<Problem>::take(&mut bytes)?),
        _ => return None,
    };
    bytes.is_empty().then_some(read)
}

/// A problem with a file: where, then what.
impl Wire for Problem {
    fn put(&self, out: &mut Vec<u8>) {
        self.path.put(out);
        self.said.put(out);
    }
    fn take(bytes: &mut &[u8]) -> Option<Self> {
        Some(Problem {
            path: Wire::take(bytes)?,
            said: Wire::take(bytes)?,
        })
    }
}

/// A message by its number in the catalogs (this build's: page and worker are one release).
impl Wire for Msg {
    fn put(&self, out: &mut Vec<u8>) {
        (*self as u32).put(out);
    }
    fn take(bytes: &mut &[u8]) -> Option<Self> {
        MESSAGES.get(u32::take(bytes)? as usize).copied()
    }
}

impl Wire for Said {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            Said::Message(msg, args) => {
                out.push(0);
                msg.put(out);
                args.put(out);
            }
            Said::Author(s) => {
                out.push(1);
                s.put(out);
            }
        }
    }
    fn take(bytes: &mut &[u8]) -> Option<Self> {
        Some(match take_byte(bytes)? {
            0 => Said::Message(Wire::take(bytes)?, Wire::take(bytes)?),
            1 => Said::Author(Wire::take(bytes)?),
            _ => return None,
        })
    }
}

impl Wire for Arg {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            Arg::Text(t) => {
                out.push(0);
                t.put(out);
            }
            Arg::Word(w) => {
                out.push(1);
                w.put(out);
            }
            Arg::Place(p) => {
                out.push(2);
                p.put(out);
            }
        }
    }
    fn take(bytes: &mut &[u8]) -> Option<Self> {
        Some(match take_byte(bytes)? {
            0 => Arg::Text(Wire::take(bytes)?),
            1 => Arg::Word(Wire::take(bytes)?),
            2 => Arg::Place(Wire::take(bytes)?),
            _ => return None,
        })
    }
}
