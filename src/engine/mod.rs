//! The simulation engine: what a learner sees happen inside each host.
//!
//! Owns the simulated network, one smoltcp TCP/IP stack per host, the BSD-style socket layer,
//! events and snapshots. Must not know the browser: nothing here imports a browser crate,
//! reads a clock, or uses a global random generator.
//!
//! - [`sim`]: the simulation, which ties its parts together: it routes what a host sends onto
//!   a link, hands each arriving segment to its host's stack alone, and keeps every table in
//!   step. Its parts each own one thing:
//!   - [`host`]: one host: its smoltcp [`stack`], its socket table (the BSD sockets, the
//!     listener's slot and queue, the ports in use, fragments being reassembled), how an
//!     arriving segment is demultiplexed, and what follows when smoltcp changes a socket;
//!   - [`links`]: the links, the faults each draws, and the segments in flight on them;
//!   - [`agenda`]: what is due when (actions, network changes, the OS's deadlines: connect,
//!     stall, TIME-WAIT) and the processes woken by a change to their sockets;
//!   - [`recorder`]: the events, in order, and the numbers that name segments and sockets.
//! - [`run`]: the clock: from wakeup to wakeup, segments, scheduled actions, deadlines and stack
//!   timers in time order, the programs reacting after each.
//! - [`socket`] and [`syscalls`]: the BSD socket layer's calls (descriptors, states, typed
//!   errors, the errno Linux would give); [`verify`] (native only) checks each
//!   demultiplexing decision against what smoltcp did.
//! - [`program`] (the course's programs as data) and [`app`] (what they do with their sockets).
//! - [`ports`]: port classes, the registry, each OS's ephemeral range, window and timers.
//! - [`faults`]: firewall rules and network changes; [`net`]: hosts, links and their faults.
//! - [`event`], [`snapshot`], [`packet`]: what the view and the CLI read; [`tables`]: every
//!   host's socket table as events build it, shared by [`timeline`] and the view's narration
//!   (`view::narrate`: the engine has no words of its own).
//! - [`scenario`]: scenario files, read and checked. The format is declared once, in
//!   `format.rs`: the structs, the validator's first pass (each field's kind, presence and
//!   range), its compact binary form ([`scenario::Wire`]) and the shipped scenes' static form
//!   (`builtin.rs`, `build.rs`, for the CLI and the tests) all come from it; [`scene_file`]:
//!   a shipped scene with its recorded run, as the web app loads it; [`pcap`]: captures.
//!
//! Files depend on each other in one direction only (`tests/architecture.rs` checks).

pub mod agenda;
pub mod app;
pub mod checker;
pub mod event;
pub mod faults;
pub mod host;
pub mod links;
pub mod net;
pub mod packet;
pub mod pcap;
pub mod ports;
pub mod program;
pub mod recorder;
pub mod rng;
pub mod run;
pub mod scenario;
pub mod scene_file;
pub mod scene_link;
pub mod sim;
pub mod snapshot;
pub mod socket;
pub mod stack;
pub mod syscalls;
pub mod tables;
pub mod time;
pub mod timeline;
#[cfg(not(target_arch = "wasm32"))]
pub mod verify;
pub mod wire;
pub mod wire_events;

pub use event::{Demux, DropReason, Event, EventKind, SegmentId};
pub use faults::{FirewallRule, LinkFaults, NetChange, Verdict};
pub use net::{HostId, HostSpec, LinkId, LinkSpec};
pub use program::{Action, AppKind, AppRole, AppSpec, AppStatus, Milestone, Protocol, When};
pub use scenario::{Problem, Scenario};
pub use sim::{NetError, Sim, SimConfig};
pub use snapshot::{HostView, Snapshot, SocketRow};
pub use socket::{Errno, Fd, Pid, Proto, Shutdown, SockError, SockId, SockState};
pub use syscalls::Recv;
pub use timeline::Timeline;
pub use {packet::decode, ports::OsProfile};
