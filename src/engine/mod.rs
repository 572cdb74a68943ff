//! The simulation engine: what a learner sees happen inside each host.
//!
//! Owns the simulated network, one smoltcp TCP/IP stack per host, the BSD-style socket layer,
//! events and snapshots. Must not know the browser: nothing here imports a browser crate,
//! reads a clock, or uses a global random generator.
//!
//! - [`sim`]: hosts, links, segments in flight, the step loop, demultiplexing.
//! - [`stack`]: one smoltcp interface, socket set and virtual device per host.
//! - [`socket`] and [`syscalls`]: the BSD socket layer (descriptors, states, typed errors).
//! - [`ports`]: port classes, the well-known port registry, ephemeral-port allocation.
//! - [`app`]: the course's programs and their behaviour.
//! - [`event`], [`snapshot`], [`packet`]: what the view and the CLI read.

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
