//! A testing aid: does what smoltcp did with a segment agree with the demultiplexing decision
//! the socket layer recorded? Compares every socket of the host before and after delivery, and
//! what the host sent in answer. Native builds only: the web build leaves it out (it costs
//! kilobytes of the page's budget and the view never turns it on).

use crate::vecmap::VecMap;

use smoltcp::iface::SocketHandle;
use smoltcp::socket::{tcp, udp};
use smoltcp::wire::{IpAddress, IpEndpoint};

use super::event::Demux;
use super::host::{Host, Role};
use super::packet::{self, PacketSummary, Transport};
use super::socket::{Proto, SockId};

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Fingerprint {
    state: tcp::State,
    remote: Option<IpEndpoint>,
    recv_q: usize,
    send_q: usize,
}

pub(crate) fn fingerprint(host: &Host) -> VecMap<SocketHandle, Fingerprint> {
    let mut out = VecMap::new();
    for e in host.entries.values() {
        let handles = match &e.role {
            Role::Listener { slot, .. } => [*slot, None],
            _ => [e.handle, None],
        };
        for handle in handles.into_iter().flatten() {
            let f = match e.proto {
                Proto::Tcp => {
                    let s = host.tcp(handle);
                    Fingerprint {
                        state: s.state(),
                        remote: s.remote_endpoint(),
                        recv_q: s.recv_queue(),
                        send_q: s.send_queue(),
                    }
                }
                Proto::Udp => {
                    let s = host.stack.sockets.get::<udp::Socket>(handle);
                    Fingerprint {
                        state: tcp::State::Closed,
                        remote: None,
                        recv_q: s.recv_queue(),
                        send_q: s.send_queue(),
                    }
                }
            };
            out.insert(handle, f);
        }
    }
    out
}

/// Does what smoltcp did with the segment agree with our decision? Compares every socket of
/// the host before and after, and what the host sent in answer.
pub(crate) fn check_demux(
    host: &Host,
    s: &PacketSummary,
    decision: Demux,
    before: &VecMap<SocketHandle, Fingerprint>,
    after: &VecMap<SocketHandle, Fingerprint>,
) -> Result<(), String> {
    let changed: Vec<SocketHandle> = after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(*v))
        .map(|(k, _)| *k)
        .collect();
    let handle_of = |sock: SockId| -> Option<SocketHandle> {
        let e = host.entries.get(&sock)?;
        match &e.role {
            Role::Listener { slot, .. } => *slot,
            _ => e.handle,
        }
    };
    let replies: Vec<PacketSummary> = host
        .stack
        .device
        .tx
        .iter()
        .filter_map(|b| packet::decode(b).ok())
        .collect();
    let answered_rst = |port: u16| {
        replies
            .iter()
            .any(|r| r.dst == s.src && r.tcp().is_some_and(|t| t.flags.rst && t.dst_port == port))
    };
    match decision {
        Demux::Connection { sock } | Demux::Listener { sock } | Demux::UdpSocket { sock } => {
            check_chosen(handle_of(sock), sock, s, decision, &changed, after)
        }
        Demux::NoSocketAnswerRst | Demux::NoSocketIgnoreRst => {
            if !changed.is_empty() {
                return Err("smoltcp changed a socket, but we said no socket matches".to_string());
            }
            let port = s.tcp().map(|t| t.src_port).unwrap_or(0);
            match (decision, answered_rst(port)) {
                (Demux::NoSocketAnswerRst, false) => {
                    Err("we expected an RST answer; smoltcp sent none".into())
                }
                (Demux::NoSocketIgnoreRst, true) => {
                    Err("smoltcp answered an RST with an RST".into())
                }
                _ => Ok(()),
            }
        }
        Demux::UdpClosedPort => {
            if !changed.is_empty() {
                return Err(
                    "smoltcp changed a socket, but no UDP socket is bound there".to_string()
                );
            }
            let icmp = replies
                .iter()
                .any(|r| r.dst == s.src && matches!(r.transport, Transport::Icmp(_)));
            if icmp {
                Ok(())
            } else {
                Err("we expected ICMP port unreachable; smoltcp sent none".to_string())
            }
        }
        Demux::Icmp => Ok(()),
        Demux::Reassembling if changed.is_empty() => Ok(()),
        Demux::Reassembling => {
            Err("smoltcp changed a socket before the datagram was whole".to_string())
        }
        Demux::Unseen => Err("the engine always knows where a segment went".to_string()),
    }
}

/// The demultiplexing check for a segment we gave to socket `sock` (smoltcp's `handle`): smoltcp
/// changed that socket and no other, and a listener's slot took a SYN.
fn check_chosen(
    handle: Option<SocketHandle>,
    sock: SockId,
    s: &PacketSummary,
    decision: Demux,
    changed: &[SocketHandle],
    after: &VecMap<SocketHandle, Fingerprint>,
) -> Result<(), String> {
    let Some(handle) = handle else {
        return Err(format!(
            "the chosen socket {} has no smoltcp socket",
            sock.0
        ));
    };
    if let Some(other) = changed.iter().find(|c| **c != handle) {
        return Err(format!(
            "smoltcp changed another socket ({other:?}) than the chosen one"
        ));
    }
    if let (Demux::Listener { .. }, Some(t)) = (decision, s.tcp()) {
        if t.flags.syn && !t.flags.ack {
            let f = after.get(&handle);
            let want = IpEndpoint::new(IpAddress::Ipv4(s.src), t.src_port);
            if f.map(|f| (f.state, f.remote)) != Some((tcp::State::SynReceived, Some(want))) {
                return Err("the listener's smoltcp socket did not take the SYN".to_string());
            }
        }
    }
    Ok(())
}
