//! A capture file's bytes, read into packets: the file format (pcap, in either byte order, with
//! microsecond or nanosecond times; pcapng, with each interface's link type and time
//! resolution) is `pcap-parser`'s; the link layers (Ethernet with VLAN tags, Linux cooked
//! capture v1 and v2, raw IPv4 and IPv6, BSD loopback), IPv4, IPv6, TCP and UDP headers are
//! read here, as few bytes as the course shows. A frame that is not TCP or UDP over IP is
//! counted by why ([`Skip`]); a file that stops being a capture part way keeps the packets
//! before, and says where it stopped ([`Stop`]).

use serde::{Deserialize, Serialize};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use pcap_parser::pcap::{parse_pcap_frame, parse_pcap_frame_be, parse_pcap_header};
use pcap_parser::pcapng::{parse_block_be, parse_block_le, Block};
use pcap_parser::PcapError;

/// The most packets kept: past this the file is read no further, and the capture says so.
pub const MOST_PACKETS: usize = 1_000_000;

/// Which file format the bytes are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Format {
    Pcap,
    PcapNg,
}

/// What a TCP or UDP packet carries, as the course shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Transport {
    Tcp {
        /// The flags byte: FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10.
        flags: u8,
        seq: u32,
        ack: u32,
        window: u16,
        /// The payload's length, from the IP header (so a capture cut short still counts it).
        len: u32,
    },
    Udp {
        len: u32,
    },
}

pub const FIN: u8 = 0x01;
pub const SYN: u8 = 0x02;
pub const RST: u8 = 0x04;
pub const ACK: u8 = 0x10;

/// One TCP or UDP packet of the capture.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Packet {
    /// Its frame's number in the file, from 1, as Wireshark numbers it.
    pub frame: usize,
    /// When it was captured, in microseconds since 1970 (as the file says).
    pub at: i64,
    pub src: SocketAddr,
    pub dst: SocketAddr,
    pub transport: Transport,
    /// Where its IP packet's captured bytes lie in the file.
    pub bytes: (usize, usize),
}

impl Packet {
    pub fn flags(&self) -> u8 {
        match self.transport {
            Transport::Tcp { flags, .. } => flags,
            Transport::Udp { .. } => 0,
        }
    }
    pub fn is_tcp(&self) -> bool {
        matches!(self.transport, Transport::Tcp { .. })
    }
    /// The IP packet's bytes as captured, from the file they were read from.
    pub fn ip_bytes<'a>(&self, file: &'a [u8]) -> &'a [u8] {
        file.get(self.bytes.0..self.bytes.0 + self.bytes.1)
            .unwrap_or(&[])
    }
}

/// Why a frame is not one of the capture's packets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Skip {
    /// Its interface's link type is not one this reads (the number, as the file says it).
    LinkType(u32),
    /// Not IP: ARP and others, by their EtherType.
    NotIp(u16),
    /// IP, but not TCP or UDP (ICMP is 1, ICMPv6 58): by protocol number.
    Protocol(u8),
    /// A fragment of a larger IP packet.
    Fragment,
    /// Captured too short to hold its headers (the capture's snap length).
    Cut,
    /// Headers that do not add up (a length shorter than the header, an unknown version).
    BadHeader,
    /// Any other kind, once a file has shown [`MOST_SKIP_KINDS`] kinds.
    Other,
}

/// How many kinds of skipped frame a capture lists one by one.
pub const MOST_SKIP_KINDS: usize = 16;

/// Where and why a file stopped being readable part way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stop {
    /// The file ends inside a packet (or a pcapng block): its number, from 1.
    Truncated { frame: usize },
    /// A pcapng block that does not read: its number in the file, from 1.
    DamagedBlock { block: usize },
    /// A pcap record that does not read: the packet's number, from 1.
    DamagedPacket { frame: usize },
    /// A packet of an interface the file never described (pcapng): the packet's number.
    UnknownInterface { frame: usize },
    /// More than [`MOST_PACKETS`] packets: read up to there.
    TooMany,
}

/// Why bytes are no capture at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refused {
    /// Empty.
    Empty,
    /// The browser did not give the file's bytes (it was moved or deleted after it was chosen).
    Unreadable,
    /// A part of a file was asked for, but no file is open in the worker (it was restarted).
    NotKept,
    /// They begin as neither a pcap nor a pcapng file (a text file, an image, a `.cap` of another
    /// tool).
    NotACapture,
    /// A pcap or pcapng header that does not read to its end.
    DamagedHeader,
    /// A pcap file of another major version than 2.
    Version(u16),
}

/// A capture, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Capture {
    pub format: Format,
    /// Every TCP and UDP packet, in the file's order.
    pub packets: Vec<Packet>,
    /// How many frames were read in all.
    pub frames: usize,
    /// The frames that are no packet, counted by why, in the order of [`Skip`].
    pub skipped: Vec<(Skip, usize)>,
    /// Set when the file stopped being readable before its end.
    pub stop: Option<Stop>,
}

impl Capture {
    fn skip(&mut self, why: Skip) {
        // A file of many kinds of frame lists the first few by kind, and the rest together.
        let known = self.skipped.iter().any(|(s, _)| *s == why);
        let why = if !known && self.skipped.len() >= MOST_SKIP_KINDS {
            Skip::Other
        } else {
            why
        };
        match self.skipped.binary_search_by(|(s, _)| s.cmp(&why)) {
            Ok(i) => self.skipped[i].1 += 1,
            Err(i) => self.skipped.insert(i, (why, 1)),
        }
    }
    /// How many frames were skipped, whatever why.
    pub fn skipped_count(&self) -> usize {
        self.skipped.iter().map(|(_, n)| n).sum()
    }
}

/// How often `read` tells its caller how far it is, in frames.
pub const PROGRESS_EVERY: usize = 4096;

/// Read `bytes` as a capture. `progress` is told, every [`PROGRESS_EVERY`] frames, how many of
/// the bytes have been read.
pub fn read(bytes: &[u8], progress: &mut dyn FnMut(usize)) -> Result<Capture, Refused> {
    if bytes.is_empty() {
        return Err(Refused::Empty);
    }
    match bytes.get(..4) {
        Some([0x0a, 0x0d, 0x0d, 0x0a]) => read_pcapng(bytes, progress),
        Some(m) if is_pcap_magic(m) => read_pcap(bytes, progress),
        _ => Err(Refused::NotACapture),
    }
}

fn is_pcap_magic(m: &[u8]) -> bool {
    matches!(
        m,
        [0xd4, 0xc3, 0xb2, 0xa1]
            | [0xa1, 0xb2, 0xc3, 0xd4]
            | [0x4d, 0x3c, 0xb2, 0xa1]
            | [0xa1, 0xb2, 0x3c, 0x4d]
    )
}

fn new_capture(format: Format) -> Capture {
    Capture {
        format,
        packets: Vec::new(),
        frames: 0,
        skipped: Vec::new(),
        stop: None,
    }
}

fn read_pcap(bytes: &[u8], progress: &mut dyn FnMut(usize)) -> Result<Capture, Refused> {
    let (mut rest, header) = parse_pcap_header(bytes).map_err(|_| Refused::DamagedHeader)?;
    if header.version_major != 2 {
        return Err(Refused::Version(header.version_major));
    }
    let nanos = header.is_nanosecond_precision();
    let big = header.is_bigendian();
    let link = header.network.0 as u32;
    let mut cap = new_capture(Format::Pcap);
    while !rest.is_empty() {
        let frame = cap.frames + 1;
        let parsed = if big {
            parse_pcap_frame_be(rest)
        } else {
            parse_pcap_frame(rest)
        };
        let (next, block) = match parsed {
            Ok(x) => x,
            Err(pcap_parser::nom::Err::Incomplete(_)) => {
                cap.stop = Some(Stop::Truncated { frame });
                break;
            }
            Err(_) => {
                cap.stop = Some(Stop::DamagedPacket { frame });
                break;
            }
        };
        let fraction = if nanos {
            block.ts_usec as i64 / 1000
        } else {
            block.ts_usec as i64
        };
        let at = block.ts_sec as i64 * 1_000_000 + fraction;
        let offset = bytes.len() - rest.len() + 16;
        if !frame_read(&mut cap, link, block.data, offset, at) {
            break;
        }
        rest = next;
        if cap.frames.is_multiple_of(PROGRESS_EVERY) {
            progress(bytes.len() - rest.len());
        }
    }
    Ok(cap)
}

/// One pcapng interface: its link type, and how to turn its timestamps into microseconds.
struct Interface {
    link: u32,
    /// Timestamp units per second.
    per_second: u64,
    /// Seconds added to each timestamp.
    offset: i64,
}

fn read_pcapng(bytes: &[u8], progress: &mut dyn FnMut(usize)) -> Result<Capture, Refused> {
    let mut cap = new_capture(Format::PcapNg);
    let mut interfaces: Vec<Interface> = Vec::new();
    let mut big = false;
    let mut rest = bytes;
    let mut block_number = 0;
    while !rest.is_empty() {
        block_number += 1;
        // Each section says its own byte order, in its header block's byte-order magic.
        if rest.starts_with(&[0x0a, 0x0d, 0x0d, 0x0a]) {
            match rest.get(8..12) {
                Some([0x4d, 0x3c, 0x2b, 0x1a]) => big = false,
                Some([0x1a, 0x2b, 0x3c, 0x4d]) => big = true,
                Some(_) if block_number == 1 => return Err(Refused::DamagedHeader),
                Some(_) => {
                    cap.stop = Some(Stop::DamagedBlock {
                        block: block_number,
                    });
                    break;
                }
                None if block_number == 1 => return Err(Refused::DamagedHeader),
                None => {
                    cap.stop = Some(Stop::Truncated {
                        frame: cap.frames + 1,
                    });
                    break;
                }
            }
        }
        let parsed = if big {
            parse_block_be(rest)
        } else {
            parse_block_le(rest)
        };
        let (next, block) = match parsed {
            Ok(x) => x,
            Err(_) if block_number == 1 => return Err(Refused::DamagedHeader),
            Err(pcap_parser::nom::Err::Incomplete(_)) => {
                cap.stop = Some(Stop::Truncated {
                    frame: cap.frames + 1,
                });
                break;
            }
            Err(pcap_parser::nom::Err::Error(PcapError::Incomplete(_)))
            | Err(pcap_parser::nom::Err::Failure(PcapError::Incomplete(_))) => {
                cap.stop = Some(Stop::Truncated {
                    frame: cap.frames + 1,
                });
                break;
            }
            Err(_) => {
                cap.stop = Some(Stop::DamagedBlock {
                    block: block_number,
                });
                break;
            }
        };
        let start = bytes.len() - rest.len();
        match &block {
            Block::SectionHeader(_) => interfaces.clear(),
            Block::InterfaceDescription(idb) => {
                let per_second = per_second(idb.if_tsresol).unwrap_or(0);
                interfaces.push(Interface {
                    link: idb.linktype.0 as u32,
                    per_second,
                    offset: idb.ts_offset(),
                });
            }
            Block::EnhancedPacket(epb) => {
                let frame = cap.frames + 1;
                let Some(i) = interfaces.get(epb.if_id as usize) else {
                    cap.stop = Some(Stop::UnknownInterface { frame });
                    break;
                };
                let Some(at) = micros(epb.ts_high, epb.ts_low, i) else {
                    cap.stop = Some(Stop::DamagedBlock {
                        block: block_number,
                    });
                    break;
                };
                // An enhanced packet block's data begins 28 bytes into the block.
                let link = i.link;
                let data = &epb.data[..(epb.caplen as usize).min(epb.data.len())];
                if !frame_read(&mut cap, link, data, start + 28, at) {
                    break;
                }
            }
            Block::SimplePacket(spb) => {
                let frame = cap.frames + 1;
                let Some(i) = interfaces.first() else {
                    cap.stop = Some(Stop::UnknownInterface { frame });
                    break;
                };
                // A simple packet block has no time: it takes the last packet's.
                let at = cap.packets.last().map_or(0, |p| p.at);
                let link = i.link;
                let data = &spb.data[..(spb.origlen as usize).min(spb.data.len())];
                if !frame_read(&mut cap, link, data, start + 12, at) {
                    break;
                }
            }
            _ => {}
        }
        rest = next;
        if block.is_data_block() && cap.frames.is_multiple_of(PROGRESS_EVERY) {
            progress(bytes.len() - rest.len());
        }
    }
    Ok(cap)
}

/// A pcapng timestamp in microseconds since 1970, if it is within any capture's reach.
fn micros(high: u32, low: u32, i: &Interface) -> Option<i64> {
    if i.per_second == 0 {
        return None;
    }
    let ts = ((high as u64) << 32) | low as u64;
    let whole = (ts / i.per_second) as i128 + i.offset as i128;
    let part = (ts % i.per_second) as i128 * 1_000_000 / i.per_second as i128;
    i64::try_from(whole * 1_000_000 + part)
        .ok()
        .filter(|t| t.abs() <= MOST_MICROS)
}

/// No capture's time is further from 1970 than this (about 142 years): differences of times
/// and a TIME-WAIT's end then never overflow.
pub const MOST_MICROS: i64 = 1 << 52;

/// An interface's timestamp units per second, from its `if_tsresol` option: a power of ten, or
/// with the top bit set a power of two. (pcap-parser's own reading refuses every power of two.)
fn per_second(tsresol: u8) -> Option<u64> {
    match tsresol & 0x80 {
        0 => 10u64.checked_pow(tsresol as u32),
        _ => 1u64
            .checked_shl((tsresol & 0x7f) as u32)
            .filter(|_| tsresol & 0x7f < 64),
    }
}

/// One frame: counted, then read into a packet or counted as skipped. False when no more
/// packets may be kept.
fn frame_read(cap: &mut Capture, link: u32, data: &[u8], offset: usize, at: i64) -> bool {
    if cap.packets.len() >= MOST_PACKETS {
        cap.stop = Some(Stop::TooMany);
        return false;
    }
    cap.frames += 1;
    let frame = cap.frames;
    match ip_of(link, data).and_then(|(start, version)| {
        let ip = &data[start..];
        packet(ip, version).map(|(src, dst, transport)| Packet {
            frame,
            at,
            src,
            dst,
            transport,
            bytes: (offset + start, ip.len()),
        })
    }) {
        Ok(p) => cap.packets.push(p),
        Err(why) => cap.skip(why),
    }
    true
}

const ETHERTYPE_IPV4: u16 = 0x0800;
const ETHERTYPE_IPV6: u16 = 0x86dd;

/// Where a frame's IP packet begins, and its version, by the frame's link type.
fn ip_of(link: u32, data: &[u8]) -> Result<(usize, u8), Skip> {
    let by_type = |ethertype: u16, at: usize| match ethertype {
        ETHERTYPE_IPV4 => Ok((at, 4)),
        ETHERTYPE_IPV6 => Ok((at, 6)),
        other => Err(Skip::NotIp(other)),
    };
    let be16 = |at: usize| -> Result<u16, Skip> {
        data.get(at..at + 2)
            .map(|b| u16::from_be_bytes([b[0], b[1]]))
            .ok_or(Skip::Cut)
    };
    match link {
        // Ethernet, with any number of 802.1Q / 802.1ad tags.
        1 => {
            let mut at = 12;
            loop {
                let t = be16(at)?;
                if t == 0x8100 || t == 0x88a8 {
                    at += 4;
                    continue;
                }
                return by_type(t, at + 2);
            }
        }
        // Linux cooked capture v1: the protocol after 14 bytes.
        113 => by_type(be16(14)?, 16),
        // Linux cooked capture v2: the protocol first, 20 bytes of header.
        276 => by_type(be16(0)?, 20),
        // Raw IP (101; 12 and 14 on some systems): the version says which.
        101 | 12 | 14 => match data.first().map(|b| b >> 4) {
            Some(4) => Ok((0, 4)),
            Some(6) => Ok((0, 6)),
            Some(_) => Err(Skip::BadHeader),
            None => Err(Skip::Cut),
        },
        228 => Ok((0, 4)),
        229 => Ok((0, 6)),
        // BSD loopback: a 4-byte address family in the capturing machine's byte order (NULL),
        // or in network order (LOOP, 108).
        0 | 108 => {
            let family = data.get(..4).ok_or(Skip::Cut)?;
            let f = if link == 108 {
                u32::from_be_bytes([family[0], family[1], family[2], family[3]])
            } else {
                let le = u32::from_le_bytes([family[0], family[1], family[2], family[3]]);
                if le < 256 {
                    le
                } else {
                    le.swap_bytes()
                }
            };
            match f {
                2 => Ok((4, 4)),
                // AF_INET6 is 24 on NetBSD and OpenBSD, 28 on FreeBSD, 30 on macOS.
                24 | 28 | 30 => Ok((4, 6)),
                _ => Err(Skip::NotIp(f as u16)),
            }
        }
        other => Err(Skip::LinkType(other)),
    }
}

type Addresses = (SocketAddr, SocketAddr, Transport);

/// An IP packet's addresses, ports and transport header.
fn packet(ip: &[u8], version: u8) -> Result<Addresses, Skip> {
    let (src, dst, proto, payload, claimed) = match version {
        4 => {
            if ip.len() < 20 {
                return Err(Skip::Cut);
            }
            if ip[0] >> 4 != 4 {
                return Err(Skip::BadHeader);
            }
            let ihl = (ip[0] & 0x0f) as usize * 4;
            let total = u16::from_be_bytes([ip[2], ip[3]]) as usize;
            if ihl < 20 || total < ihl {
                return Err(Skip::BadHeader);
            }
            let frag = u16::from_be_bytes([ip[6], ip[7]]);
            if frag & 0x3fff != 0 {
                return Err(Skip::Fragment);
            }
            let src = IpAddr::V4(Ipv4Addr::new(ip[12], ip[13], ip[14], ip[15]));
            let dst = IpAddr::V4(Ipv4Addr::new(ip[16], ip[17], ip[18], ip[19]));
            let payload = ip.get(ihl..).ok_or(Skip::Cut)?;
            (src, dst, ip[9], payload, total - ihl)
        }
        _ => {
            if ip.len() < 40 {
                return Err(Skip::Cut);
            }
            if ip[0] >> 4 != 6 {
                return Err(Skip::BadHeader);
            }
            let length = u16::from_be_bytes([ip[4], ip[5]]) as usize;
            let octets = |at: usize| {
                let mut a = [0u8; 16];
                a.copy_from_slice(&ip[at..at + 16]);
                IpAddr::V6(Ipv6Addr::from(a))
            };
            let (src, dst) = (octets(8), octets(24));
            // Extension headers, each saying the next: hop-by-hop, routing, destination options.
            let mut next = ip[6];
            let mut at = 40;
            let mut left = length;
            loop {
                match next {
                    0 | 43 | 60 => {
                        let h = ip.get(at..at + 2).ok_or(Skip::Cut)?;
                        let len = (h[1] as usize + 1) * 8;
                        if len > left {
                            return Err(Skip::BadHeader);
                        }
                        next = h[0];
                        at += len;
                        left -= len;
                    }
                    44 => return Err(Skip::Fragment),
                    _ => break,
                }
            }
            let payload = ip.get(at..).ok_or(Skip::Cut)?;
            (src, dst, next, payload, left)
        }
    };
    match proto {
        6 => {
            let h = payload.get(..20).ok_or(Skip::Cut)?;
            let offset = (h[12] >> 4) as usize * 4;
            if offset < 20 || offset > claimed {
                return Err(Skip::BadHeader);
            }
            let be32 = |at: usize| u32::from_be_bytes([h[at], h[at + 1], h[at + 2], h[at + 3]]);
            Ok((
                SocketAddr::new(src, u16::from_be_bytes([h[0], h[1]])),
                SocketAddr::new(dst, u16::from_be_bytes([h[2], h[3]])),
                Transport::Tcp {
                    flags: h[13],
                    seq: be32(4),
                    ack: be32(8),
                    window: u16::from_be_bytes([h[14], h[15]]),
                    len: (claimed - offset) as u32,
                },
            ))
        }
        17 => {
            let h = payload.get(..8).ok_or(Skip::Cut)?;
            if claimed < 8 {
                return Err(Skip::BadHeader);
            }
            Ok((
                SocketAddr::new(src, u16::from_be_bytes([h[0], h[1]])),
                SocketAddr::new(dst, u16::from_be_bytes([h[2], h[3]])),
                Transport::Udp {
                    len: (claimed - 8) as u32,
                },
            ))
        }
        other => Err(Skip::Protocol(other)),
    }
}
