//! A learner's own capture (pcap or pcapng, from Wireshark, tshark, tcpdump or dumpcap), read
//! and turned into the course's picture: which hosts talk, which connections they make, and each
//! host's socket table as the packets show it.
//!
//! - [`read`]: the file's bytes into TCP and UDP packets, with what was skipped and why, and
//!   where a damaged file stopped.
//! - [`shown`]: the part of a capture the page shows (a cut), as the capture's worker answers it.
//! - [`infer`]: the packets into connections, listeners and every change to each host's table.
//! - [`staged`]: the part shown as a scene the player plays, on the stage.
//!
//! Only the import's own build carries it (Cargo feature `import`).

pub mod infer;
pub mod read;
pub mod shown;
pub mod staged;

pub use infer::{infer, Inferred, Row, Seen};
pub use read::{read, Capture, Packet, Refused, Skip, Stop};
