//! The simulation engine: what a learner sees happen inside each host.
//!
//! Owns the simulated network, one smoltcp TCP/IP stack per host, the BSD-style socket layer,
//! events and snapshots. Must not know the browser: nothing here imports yew, web-sys, js-sys,
//! gloo or wasm-bindgen, reads a clock, or uses a global random generator.

pub mod ports;
