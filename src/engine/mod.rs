//! The simulation engine: what a learner sees happen inside each host.
//!
//! Owns the simulated network, one smoltcp TCP/IP stack per host, the BSD-style socket layer,
//! events and snapshots. Must not know the browser: nothing here imports a browser crate,
//! reads a clock, or uses a global random generator.
//!
//! - [`sim`]: hosts, links, segments in flight, demultiplexing, and keeping the BSD tables in
//!   step with smoltcp (with the OS's own deadlines: connect, stall, TIME-WAIT).
//! - [`run`]: the clock: from wakeup to wakeup, segments, scheduled actions, deadlines and stack
//!   timers in time order, the programs reacting after each; [`agenda`]: what is due when.
//! - [`stack`]: one smoltcp interface, socket set and virtual device per host.
//! - [`socket`] and [`syscalls`]: the BSD socket layer (descriptors, states, typed errors, the
//!   errno Linux would give).
//! - [`program`] (the course's programs as data) and [`app`] (what they do with their sockets).
//! - [`ports`]: port classes, the registry, each OS's ephemeral range, window and timers.
//! - [`faults`]: firewall rules and network changes; [`net`]: hosts, links and their faults.
//! - [`event`], [`snapshot`], [`packet`]: what the view and the CLI read; [`tables`]: every
//!   host's socket table as events build it, shared by [`timeline`] and [`narrate`].
//! - [`scenario`]: scenario files, read and checked; [`pcap`]: captures.
//!
//! Files depend on each other in one direction only (`tests/architecture.rs` checks).

pub mod agenda;
pub mod app;
pub mod event;
pub mod faults;
pub mod narrate;
pub mod net;
pub mod packet;
pub mod pcap;
pub mod ports;
pub mod program;
pub mod rng;
pub mod run;
pub mod scenario;
pub mod sim;
pub mod snapshot;
pub mod socket;
pub mod stack;
pub mod syscalls;
pub mod tables;
pub mod time;
pub mod timeline;

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
