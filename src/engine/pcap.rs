//! A session as a capture file that Wireshark and tshark open: classic pcap (libpcap's own
//! format, little-endian, microsecond timestamps), link type LINKTYPE_IPV4 (228, raw IPv4
//! packets), timestamps in virtual time from the start of the run. Each segment appears
//! once, as it went onto its link (a duplicate made by the link is a second packet on the
//! wire, so it appears too; a segment with no link to travel is not captured).
//!
//! The format is small enough to write here: a 24-byte file header, then each packet's
//! 16-byte header and its bytes. The CLI and the web app's download share it.

use super::event::{Event, EventKind};

/// The file's magic number, written little-endian: microsecond timestamps.
const MAGIC: u32 = 0xa1b2_c3d4;
/// The format's version, 2.4 (the only one there is).
const VERSION: (u16, u16) = (2, 4);
/// The most bytes of a packet kept: every IPv4 packet whole.
const SNAPLEN: u32 = 65_535;
/// LINKTYPE_IPV4: each packet starts with its IPv4 header.
const LINKTYPE_IPV4: u32 = 228;

/// The segments among `events` as a pcap file, and how many packets it holds.
pub fn capture(events: &[Event]) -> (Vec<u8>, usize) {
    let mut out = Vec::with_capacity(24 + events.len() * 80);
    out.extend_from_slice(&MAGIC.to_le_bytes());
    out.extend_from_slice(&VERSION.0.to_le_bytes());
    out.extend_from_slice(&VERSION.1.to_le_bytes());
    out.extend_from_slice(&0i32.to_le_bytes()); // GMT offset: none
    out.extend_from_slice(&0u32.to_le_bytes()); // timestamp accuracy: unused, always 0
    out.extend_from_slice(&SNAPLEN.to_le_bytes());
    out.extend_from_slice(&LINKTYPE_IPV4.to_le_bytes());
    let mut count = 0;
    for event in events {
        let EventKind::SegmentSent(s) = &event.kind else {
            continue;
        };
        if s.link.is_none() {
            continue;
        }
        let micros = s.depart.total_micros().max(0) as u64;
        // A packet is an IPv4 packet, so at most 65,535 bytes: nothing is cut.
        let len = s.bytes.len().min(SNAPLEN as usize);
        out.extend_from_slice(&((micros / 1_000_000) as u32).to_le_bytes());
        out.extend_from_slice(&((micros % 1_000_000) as u32).to_le_bytes());
        out.extend_from_slice(&(len as u32).to_le_bytes());
        out.extend_from_slice(&(s.bytes.len() as u32).to_le_bytes());
        out.extend_from_slice(&s.bytes[..len]);
        count += 1;
    }
    (out, count)
}
