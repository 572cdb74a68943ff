//! What can go wrong on the network: per-link loss, duplication, reordering and extra delay
//! (drawn from the link's own seeded generator), links and hosts going down and up, and host
//! firewall rules that drop or reject traffic to a port.
//!
//! Retransmissions, resets and timeouts that follow are smoltcp's. The one packet built here is
//! a firewall's REJECT answer, as netfilter builds it outside the TCP stack: an RST for TCP, an
//! ICMP "port unreachable" for UDP.

use std::net::{Ipv4Addr, SocketAddrV4};

use smoltcp::phy::ChecksumCapabilities;
use smoltcp::wire::{
    Icmpv4DstUnreachable, Icmpv4Message, Icmpv4Packet, Icmpv4Repr, IpAddress, IpProtocol,
    Ipv4Packet, Ipv4Repr, TcpControl, TcpPacket, TcpRepr, TcpSeqNumber,
};

use super::net::{HostId, LinkId};
use super::packet::{PacketSummary, Transport};
use super::socket::Proto;

pub use super::net::LinkFaults;

crate::engine::wire::wire_cases! {
    #[derive(
        Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
    )]
    pub enum Verdict {
        /// Silently discard: the sender hears nothing and retries until it times out.
        Drop,
        /// Discard and answer with ICMP port unreachable, as iptables' REJECT does by default: a
        /// TCP client in SYN-SENT takes it as "connection refused", as Linux does.
        Reject,
        /// Discard and answer TCP with RST (iptables `--reject-with tcp-reset`), UDP with ICMP.
        RejectWithTcpReset,
    }
}

/// A host firewall rule for traffic arriving at a port.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct FirewallRule {
    pub proto: Proto,
    pub port: u16,
    pub verdict: Verdict,
}

impl FirewallRule {
    pub fn matches(&self, s: &PacketSummary) -> bool {
        match (&s.transport, self.proto) {
            (Transport::Tcp(t), Proto::Tcp) => t.dst_port == self.port,
            (Transport::Udp(u), Proto::Udp) => u.dst_port == self.port,
            _ => false,
        }
    }
}

/// A change to the network at a moment: scheduled like a program's actions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum NetChange {
    Link {
        link: LinkId,
        up: bool,
    },
    /// A host going down is unplugged: nothing reaches it or leaves it; its programs and
    /// sockets carry on, and retransmit, until it comes back.
    Host {
        host: HostId,
        up: bool,
    },
}

/// The answer a REJECT rule sends back for `incoming` (raw bytes and their summary), from the
/// address the packet was sent to. None when nothing should be answered (an RST is never
/// answered, nor an ICMP error).
pub fn reject_answer(verdict: Verdict, incoming: &[u8], s: &PacketSummary) -> Option<Vec<u8>> {
    let caps = ChecksumCapabilities::default();
    match &s.transport {
        Transport::Tcp(t) if t.flags.rst => None,
        Transport::Tcp(t) if verdict == Verdict::RejectWithTcpReset => {
            // RFC 9293 3.10.7.1: answer an ACK with seq = its ack; otherwise ack what it sent.
            let (seq, ack) = match t.ack {
                Some(ack) => (ack, None),
                None => {
                    let len =
                        t.payload_len as u32 + u32::from(t.flags.syn) + u32::from(t.flags.fin);
                    (0, Some(t.seq.wrapping_add(len)))
                }
            };
            let tcp = TcpRepr {
                src_port: t.dst_port,
                dst_port: t.src_port,
                control: TcpControl::Rst,
                seq_number: TcpSeqNumber(seq as i32),
                ack_number: ack.map(|a| TcpSeqNumber(a as i32)),
                window_len: 0,
                window_scale: None,
                max_seg_size: None,
                sack_permitted: false,
                sack_ranges: [None; 3],
                timestamp: None,
                payload: &[],
            };
            let ip = ipv4(s.dst, s.src, IpProtocol::Tcp, tcp.buffer_len());
            let mut bytes = vec![0; ip.buffer_len() + tcp.buffer_len()];
            ip.emit(&mut Ipv4Packet::new_unchecked(&mut bytes[..]), &caps);
            let (src, dst) = (IpAddress::Ipv4(s.dst), IpAddress::Ipv4(s.src));
            tcp.emit(
                &mut TcpPacket::new_unchecked(&mut bytes[ip.buffer_len()..]),
                &src,
                &dst,
                &caps,
            );
            Some(bytes)
        }
        Transport::Tcp(_) | Transport::Udp(_) => {
            let header = Ipv4Packet::new_checked(incoming).ok()?;
            let header_repr = Ipv4Repr::parse(&header, &caps).ok()?;
            let data = &header.payload()[..header.payload().len().min(8)];
            let icmp = Icmpv4Repr::DstUnreachable {
                reason: Icmpv4DstUnreachable::PortUnreachable,
                header: header_repr,
                data,
            };
            let ip = ipv4(s.dst, s.src, IpProtocol::Icmp, icmp.buffer_len());
            let mut bytes = vec![0; ip.buffer_len() + icmp.buffer_len()];
            ip.emit(&mut Ipv4Packet::new_unchecked(&mut bytes[..]), &caps);
            icmp.emit(
                &mut Icmpv4Packet::new_unchecked(&mut bytes[ip.buffer_len()..]),
                &caps,
            );
            Some(bytes)
        }
        _ => None,
    }
}

fn ipv4(src: Ipv4Addr, dst: Ipv4Addr, next_header: IpProtocol, payload_len: usize) -> Ipv4Repr {
    Ipv4Repr {
        src_addr: src,
        dst_addr: dst,
        next_header,
        payload_len,
        hop_limit: 64,
    }
}

/// The TCP connection an ICMP destination-unreachable message is about, from the header it
/// quotes: (this host's address and port, the peer's), as the host that sent the segment sees
/// them. None for anything else.
pub fn unreachable_tcp(bytes: &[u8]) -> Option<(SocketAddrV4, SocketAddrV4)> {
    let ip = Ipv4Packet::new_checked(bytes).ok()?;
    if ip.next_header() != IpProtocol::Icmp {
        return None;
    }
    let icmp = Icmpv4Packet::new_checked(ip.payload()).ok()?;
    if icmp.msg_type() != Icmpv4Message::DstUnreachable {
        return None;
    }
    // The quoted datagram is cut after 8 bytes of its payload, so its own length field does
    // not hold here: read its header as it is.
    let data = icmp.data();
    if data.len() < 20 {
        return None;
    }
    let quoted = Ipv4Packet::new_unchecked(data);
    let header_len = usize::from(quoted.header_len());
    if quoted.next_header() != IpProtocol::Tcp || header_len < 20 {
        return None;
    }
    let ports = data.get(header_len..)?;
    let port = |i: usize| Some(u16::from_be_bytes([*ports.get(i)?, *ports.get(i + 1)?]));
    Some((
        SocketAddrV4::new(quoted.src_addr(), port(0)?),
        SocketAddrV4::new(quoted.dst_addr(), port(2)?),
    ))
}
