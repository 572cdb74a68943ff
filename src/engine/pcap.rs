//! A session as a capture file that Wireshark and tshark open: classic pcap, link type
//! LINKTYPE_IPV4 (228, raw IPv4 packets), microsecond timestamps in virtual time. Each segment
//! appears once, as it went onto its link (a duplicate made by the link is a second packet
//! on the wire, so it appears too; a segment with no link to travel is not captured).

use std::io::Write;

use pcap_file::pcap::{PcapHeader, PcapPacket, PcapWriter};
use pcap_file::DataLink;

use super::event::{Event, EventKind};

/// Write the segments among `events` as a pcap file; returns how many packets were written.
pub fn write_pcap<W: Write>(events: &[Event], out: W) -> Result<usize, String> {
    let header = PcapHeader {
        datalink: DataLink::IPV4,
        ..PcapHeader::default()
    };
    let mut writer = PcapWriter::with_header(out, header)
        .map_err(|e| format!("could not write the capture: {e}"))?;
    let mut count = 0;
    for event in events {
        let EventKind::SegmentSent(s) = &event.kind else {
            continue;
        };
        if s.link.is_none() {
            continue;
        }
        let timestamp = std::time::Duration::from_micros(s.depart.total_micros().max(0) as u64);
        let packet = PcapPacket::new(timestamp, s.bytes.len() as u32, &s.bytes);
        writer
            .write_packet(&packet)
            .map_err(|e| format!("could not write the capture: {e}"))?;
        count += 1;
    }
    writer
        .into_writer()
        .flush()
        .map_err(|e| format!("could not write the capture: {e}"))?;
    Ok(count)
}
