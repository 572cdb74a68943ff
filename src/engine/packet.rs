//! Decoding the raw IPv4 packets that the stacks send into summaries a learner can read:
//! addresses, ports, flags, sequence numbers, window, a payload preview. Uses smoltcp's wire
//! module, so the fields are read from the real bytes, never reconstructed.

use std::fmt;
use std::net::Ipv4Addr;

use serde::Serialize;
use smoltcp::wire::{Icmpv4Packet, IpProtocol, Ipv4Packet, TcpOption, TcpPacket, UdpPacket};

/// How many payload bytes a preview shows.
const PREVIEW_BYTES: usize = 48;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PacketSummary {
    pub src: Ipv4Addr,
    pub dst: Ipv4Addr,
    pub ttl: u8,
    /// The IPv4 total length: header plus everything it carries.
    pub total_len: u16,
    pub ident: u16,
    /// Where this packet sits in a datagram the sender's IP layer cut into fragments (one
    /// larger than the link's MTU); None for a whole datagram.
    pub fragment: Option<Fragment>,
    pub transport: Transport,
}

/// One piece of a fragmented IPv4 datagram.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Fragment {
    /// Where its bytes start in the datagram's payload.
    pub offset: u16,
    /// More fragments follow (the MF flag); false on the last one.
    pub more: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Transport {
    Tcp(TcpSummary),
    Udp(UdpSummary),
    Icmp(IcmpSummary),
    /// A fragment after the first: the rest of a datagram's bytes, with no transport header
    /// of its own (the first fragment carries it).
    Fragment {
        protocol: u8,
    },
    Other {
        protocol: u8,
    },
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TcpFlags {
    pub syn: bool,
    pub ack: bool,
    pub fin: bool,
    pub rst: bool,
    pub psh: bool,
    pub urg: bool,
}

impl TcpFlags {
    /// The flags as Wireshark lists them, e.g. "SYN, ACK".
    pub fn names(&self) -> Vec<&'static str> {
        let all = [
            (self.syn, "SYN"),
            (self.fin, "FIN"),
            (self.rst, "RST"),
            (self.psh, "PSH"),
            (self.ack, "ACK"),
            (self.urg, "URG"),
        ];
        all.iter().filter(|(on, _)| *on).map(|(_, n)| *n).collect()
    }
}

impl fmt::Display for TcpFlags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.names().join(", "))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TcpSummary {
    pub src_port: u16,
    pub dst_port: u16,
    pub seq: u32,
    /// The acknowledgment number, when the ACK flag is set.
    pub ack: Option<u32>,
    pub flags: TcpFlags,
    pub window: u16,
    pub options: TcpOptions,
    pub payload_len: usize,
    pub payload_preview: String,
}

/// The TCP options a segment carries, read from its header bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TcpOptions {
    /// Maximum segment size (SYN only).
    pub mss: Option<u16>,
    /// Window scale: the shift count (SYN only).
    pub window_scale: Option<u8>,
    /// SACK permitted (SYN only).
    pub sack_permitted: bool,
    /// SACK blocks: ranges received out of order.
    pub sack: Vec<(u32, u32)>,
    /// Timestamps: the sender's clock (TSval) and the echo of the peer's (TSecr).
    pub timestamp: Option<(u32, u32)>,
    /// Options this reader does not know, by kind number.
    pub unknown: Vec<u8>,
}

impl TcpOptions {
    fn parse(mut bytes: &[u8]) -> TcpOptions {
        let mut o = TcpOptions::default();
        while !bytes.is_empty() {
            let Ok((rest, option)) = TcpOption::parse(bytes) else {
                break;
            };
            match option {
                TcpOption::EndOfList => break,
                TcpOption::NoOperation => {}
                TcpOption::MaxSegmentSize(m) => o.mss = Some(m),
                TcpOption::WindowScale(w) => o.window_scale = Some(w),
                TcpOption::SackPermitted => o.sack_permitted = true,
                TcpOption::SackRange(r) => o.sack.extend(r.iter().flatten()),
                TcpOption::TimeStamp { tsval, tsecr } => o.timestamp = Some((tsval, tsecr)),
                TcpOption::Unknown { kind, .. } => o.unknown.push(kind),
            }
            bytes = rest;
        }
        o
    }

    pub fn is_empty(&self) -> bool {
        *self == TcpOptions::default()
    }
}

impl fmt::Display for TcpOptions {
    /// As Wireshark's summary line lists them: "MSS=1460 SACK_PERM TSval=1 TSecr=0 WS=128".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(m) = self.mss {
            parts.push(format!("MSS={m}"));
        }
        if self.sack_permitted {
            parts.push("SACK_PERM".to_string());
        }
        if let Some((v, e)) = self.timestamp {
            parts.push(format!("TSval={v} TSecr={e}"));
        }
        if let Some(w) = self.window_scale {
            parts.push(format!("WS={}", 1u32 << w.min(14)));
        }
        for (l, r) in &self.sack {
            parts.push(format!("SLE={l} SRE={r}"));
        }
        for k in &self.unknown {
            parts.push(format!("option {k}"));
        }
        f.write_str(&parts.join(" "))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UdpSummary {
    pub src_port: u16,
    pub dst_port: u16,
    pub payload_len: usize,
    pub payload_preview: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IcmpSummary {
    /// The message's type (3: destination unreachable; 8 and 0: echo request and reply) and
    /// code (for type 3: 0 network, 1 host, 3 port unreachable). The view says what they mean.
    pub msg_type: u8,
    pub code: u8,
}

/// Why bytes could not be read as an IPv4 packet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DecodeError(pub String);

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a valid IPv4 packet: {}", self.0)
    }
}

impl std::error::Error for DecodeError {}

/// Show payload bytes as text: printable ASCII as itself, line breaks as `\r` `\n`, anything
/// else as `\xNN`, cut after [`PREVIEW_BYTES`] with an ellipsis.
pub fn preview(payload: &[u8]) -> String {
    let mut out = escaped(&payload[..payload.len().min(PREVIEW_BYTES)]);
    if payload.len() > PREVIEW_BYTES {
        out.push('…');
    }
    out
}

/// All of `payload` as text, escaped as [`preview`] does.
pub fn escaped(payload: &[u8]) -> String {
    let mut out = String::new();
    for &b in payload {
        match b {
            b'\r' => out.push_str("\\r"),
            b'\n' => out.push_str("\\n"),
            b'\t' => out.push_str("\\t"),
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out
}

pub fn decode(bytes: &[u8]) -> Result<PacketSummary, DecodeError> {
    let ip = Ipv4Packet::new_checked(bytes).map_err(|e| DecodeError(e.to_string()))?;
    let fragment = (ip.more_frags() || ip.frag_offset() > 0).then(|| Fragment {
        offset: ip.frag_offset(),
        more: ip.more_frags(),
    });
    let transport = match fragment {
        Some(f) if f.offset > 0 => Transport::Fragment {
            protocol: u8::from(ip.next_header()),
        },
        Some(_) if ip.next_header() == IpProtocol::Udp => first_udp_fragment(ip.payload())?,
        _ => decode_transport(ip.next_header(), ip.payload())?,
    };
    Ok(PacketSummary {
        src: ip.src_addr(),
        dst: ip.dst_addr(),
        ttl: ip.hop_limit(),
        total_len: ip.total_len(),
        ident: ip.ident(),
        fragment,
        transport,
    })
}

/// A UDP datagram's first fragment: its header gives the ports and the whole datagram's
/// length; only the first bytes of the payload are here.
fn first_udp_fragment(payload: &[u8]) -> Result<Transport, DecodeError> {
    if payload.len() < 8 {
        return Err(DecodeError(
            "UDP: a first fragment shorter than its header".into(),
        ));
    }
    let udp = UdpPacket::new_unchecked(payload);
    Ok(Transport::Udp(UdpSummary {
        src_port: udp.src_port(),
        dst_port: udp.dst_port(),
        payload_len: usize::from(udp.len()).saturating_sub(8),
        payload_preview: preview(&payload[8..]),
    }))
}

fn decode_transport(protocol: IpProtocol, payload: &[u8]) -> Result<Transport, DecodeError> {
    Ok(match protocol {
        IpProtocol::Tcp => {
            let tcp =
                TcpPacket::new_checked(payload).map_err(|e| DecodeError(format!("TCP: {e}")))?;
            let flags = TcpFlags {
                syn: tcp.syn(),
                ack: tcp.ack(),
                fin: tcp.fin(),
                rst: tcp.rst(),
                psh: tcp.psh(),
                urg: tcp.urg(),
            };
            Transport::Tcp(TcpSummary {
                src_port: tcp.src_port(),
                dst_port: tcp.dst_port(),
                seq: tcp.seq_number().0 as u32,
                ack: flags.ack.then(|| tcp.ack_number().0 as u32),
                flags,
                window: tcp.window_len(),
                options: TcpOptions::parse(tcp.options()),
                payload_len: tcp.payload().len(),
                payload_preview: preview(tcp.payload()),
            })
        }
        IpProtocol::Udp => {
            let udp =
                UdpPacket::new_checked(payload).map_err(|e| DecodeError(format!("UDP: {e}")))?;
            Transport::Udp(UdpSummary {
                src_port: udp.src_port(),
                dst_port: udp.dst_port(),
                payload_len: udp.payload().len(),
                payload_preview: preview(udp.payload()),
            })
        }
        IpProtocol::Icmp => {
            let icmp = Icmpv4Packet::new_checked(payload)
                .map_err(|e| DecodeError(format!("ICMP: {e}")))?;
            Transport::Icmp(IcmpSummary {
                msg_type: u8::from(icmp.msg_type()),
                code: icmp.msg_code(),
            })
        }
        other => Transport::Other {
            protocol: u8::from(other),
        },
    })
}

impl PacketSummary {
    /// The TCP part, if this is a TCP segment.
    pub fn tcp(&self) -> Option<&TcpSummary> {
        match &self.transport {
            Transport::Tcp(t) => Some(t),
            _ => None,
        }
    }

    /// Source and destination ports, for TCP and UDP.
    pub fn ports(&self) -> Option<(u16, u16)> {
        match &self.transport {
            Transport::Tcp(t) => Some((t.src_port, t.dst_port)),
            Transport::Udp(u) => Some((u.src_port, u.dst_port)),
            _ => None,
        }
    }
}

/// One line, as a packet list shows it:
/// `192.168.1.101:10378 → 192.168.1.102:8099 TCP [SYN] seq=… win=64240 len=0`.
impl fmt::Display for PacketSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.transport {
            Transport::Tcp(t) => {
                write!(
                    f,
                    "{}:{} → {}:{} TCP [{}] seq={}",
                    self.src, t.src_port, self.dst, t.dst_port, t.flags, t.seq
                )?;
                if let Some(ack) = t.ack {
                    write!(f, " ack={ack}")?;
                }
                write!(f, " win={} len={}", t.window, t.payload_len)?;
                if !t.options.is_empty() {
                    write!(f, " {}", t.options)?;
                }
                if t.payload_len > 0 {
                    write!(f, " \"{}\"", t.payload_preview)?;
                }
                Ok(())
            }
            Transport::Udp(u) => {
                write!(
                    f,
                    "{}:{} → {}:{} UDP len={}",
                    self.src, u.src_port, self.dst, u.dst_port, u.payload_len
                )?;
                if self.fragment.is_some() {
                    write!(f, " (first fragment, id {})", self.ident)?;
                }
                if u.payload_len > 0 {
                    write!(f, " \"{}\"", u.payload_preview)?;
                }
                Ok(())
            }
            Transport::Icmp(i) => write!(
                f,
                "{} → {} ICMP type={} code={}",
                self.src, self.dst, i.msg_type, i.code
            ),
            Transport::Fragment { protocol } => {
                let offset = self.fragment.map_or(0, |f| f.offset);
                write!(
                    f,
                    "{} → {} IP fragment (protocol {protocol}, id {}, offset {offset})",
                    self.src, self.dst, self.ident
                )
            }
            Transport::Other { protocol } => {
                write!(f, "{} → {} protocol {}", self.src, self.dst, protocol)
            }
        }
    }
}

/// The bytes a packet carries above its transport header (TCP or UDP payload); empty for
/// anything else or anything that does not parse.
pub fn payload(bytes: &[u8]) -> &[u8] {
    let Ok(ip) = Ipv4Packet::new_checked(bytes) else {
        return &[];
    };
    let header = ip.header_len() as usize;
    let end = (ip.total_len() as usize).min(bytes.len());
    let body = &bytes[header.min(end)..end];
    if ip.frag_offset() > 0 {
        return body;
    }
    match ip.next_header() {
        IpProtocol::Tcp => match TcpPacket::new_checked(body) {
            Ok(tcp) => &body[(tcp.header_len() as usize).min(body.len())..],
            Err(_) => &[],
        },
        IpProtocol::Udp => body.get(8..).unwrap_or(&[]),
        _ => &[],
    }
}

/// Bytes as a hex dump: offset, sixteen bytes, and their printable characters.
pub fn hex_dump(bytes: &[u8]) -> String {
    let mut out = String::new();
    for (i, chunk) in bytes.chunks(16).enumerate() {
        let hex: Vec<String> = chunk.iter().map(|b| format!("{b:02x}")).collect();
        let text: String = chunk
            .iter()
            .map(|&b| {
                if (0x20..0x7f).contains(&b) {
                    b as char
                } else {
                    '.'
                }
            })
            .collect();
        out.push_str(&format!("{:04x}  {:<47}  {text}\n", i * 16, hex.join(" ")));
    }
    out
}
