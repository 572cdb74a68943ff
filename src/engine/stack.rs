//! One host's TCP/IP stack: a smoltcp `Interface` and `SocketSet` on a virtual IP-medium device.
//! The device is two queues: packets the simulation hands in, and packets the stack sends out,
//! which the simulation puts on a link.

use std::cell::Cell;
use std::collections::VecDeque;
use std::net::{Ipv4Addr, SocketAddrV4};

use smoltcp::iface::{Config, Interface, SocketSet};
use smoltcp::phy::{self, ChecksumCapabilities, Device, DeviceCapabilities, Medium};
use smoltcp::socket::tcp;
use smoltcp::time::Instant;
use smoltcp::wire::{
    HardwareAddress, IpAddress, IpCidr, IpEndpoint, IpListenEndpoint, Ipv4Address,
};

use super::ports::OsProfile;

/// The link MTU: Ethernet's, so segment sizes look like a real LAN's.
pub const MTU: usize = 1500;

#[derive(Debug, Default)]
pub struct VirtualDevice {
    pub rx: VecDeque<Vec<u8>>,
    pub tx: Vec<Vec<u8>>,
}

pub struct RxToken(Vec<u8>);

pub struct TxToken<'a>(&'a mut Vec<Vec<u8>>);

impl phy::RxToken for RxToken {
    fn consume<R, F: FnOnce(&[u8]) -> R>(self, f: F) -> R {
        f(&self.0)
    }
}

impl phy::TxToken for TxToken<'_> {
    fn consume<R, F: FnOnce(&mut [u8]) -> R>(self, len: usize, f: F) -> R {
        let mut buffer = vec![0; len];
        let result = f(&mut buffer);
        self.0.push(buffer);
        result
    }
}

impl Device for VirtualDevice {
    type RxToken<'a> = RxToken;
    type TxToken<'a> = TxToken<'a>;

    fn receive(&mut self, _now: Instant) -> Option<(RxToken, TxToken<'_>)> {
        let packet = self.rx.pop_front()?;
        Some((RxToken(packet), TxToken(&mut self.tx)))
    }

    fn transmit(&mut self, _now: Instant) -> Option<TxToken<'_>> {
        Some(TxToken(&mut self.tx))
    }

    fn capabilities(&self) -> DeviceCapabilities {
        let mut caps = DeviceCapabilities::default();
        caps.medium = Medium::Ip;
        caps.max_transmission_unit = MTU;
        // Real checksums, so that captures open in Wireshark without complaints.
        caps.checksum = ChecksumCapabilities::default();
        caps
    }
}

thread_local! {
    /// The clock TCP timestamps read while a stack is being polled: the polled host's
    /// milliseconds plus its offset. Set by [`Stack::poll`] just before smoltcp runs, so every
    /// timestamp comes from the simulation's virtual time, never from a real clock.
    static TS_CLOCK: Cell<u32> = const { Cell::new(0) };
}

/// smoltcp's timestamp generator (a plain function, so it reads the clock above): the TSval a
/// segment sent now carries. Like Linux, a millisecond clock that starts at a random point.
pub fn tsval() -> u32 {
    TS_CLOCK.with(Cell::get)
}

pub struct Stack {
    pub iface: Interface,
    pub device: VirtualDevice,
    pub sockets: SocketSet<'static>,
    /// Where this host's timestamp clock starts (Linux randomises it).
    ts_offset: u32,
}

impl Stack {
    /// A stack with one address, `ip`/24, and a default route through another address of its
    /// subnet (`.1`, or `.254` for the host that is `.1` itself), so any destination is
    /// reachable as far as the stack is concerned; the simulation's links decide what really
    /// arrives. `seed` drives smoltcp's generator: initial sequence numbers differ per host and
    /// per seed.
    pub fn new(ip: Ipv4Addr, seed: u64, now: Instant) -> Stack {
        let mut device = VirtualDevice::default();
        let mut config = Config::new(HardwareAddress::Ip);
        config.random_seed = seed;
        let mut iface = Interface::new(config, &mut device, now);
        iface.update_ip_addrs(|addrs| {
            // A fresh interface has room for an address; this cannot fail.
            let _ = addrs.push(IpCidr::new(ip.into(), 24));
        });
        let _ = iface.routes_mut().add_default_ipv4_route(gateway_for(ip));
        // Fragments of an incomplete datagram are dropped after Linux's ipfrag_time.
        iface.set_reassembly_timeout(smoltcp::time::Duration::from_secs(30));
        Stack {
            iface,
            device,
            sockets: SocketSet::new(Vec::new()),
            ts_offset: (seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32) as u32,
        }
    }

    pub fn poll(&mut self, now: Instant) {
        let ms = now.total_millis() as u32;
        TS_CLOCK.with(|c| c.set(self.ts_offset.wrapping_add(ms)));
        self.iface.poll(now, &mut self.device, &mut self.sockets);
    }

    /// Let smoltcp take in what arrived, and send nothing yet (the next poll sends).
    pub fn ingress(&mut self, now: Instant) {
        let ms = now.total_millis() as u32;
        TS_CLOCK.with(|c| c.set(self.ts_offset.wrapping_add(ms)));
        while self
            .iface
            .poll_ingress_single(now, &mut self.device, &mut self.sockets)
            != smoltcp::iface::PollIngressSingleResult::None
        {}
    }
}

/// The default gateway a host at `ip` uses: another address on its /24 (the network has no
/// routers; any on-link next hop lets the stack send off its subnet).
pub fn gateway_for(ip: Ipv4Addr) -> Ipv4Address {
    let [a, b, c, d] = ip.octets();
    Ipv4Address::new(a, b, c, if d == 1 { 254 } else { 1 })
}

pub(crate) fn v4(endpoint: IpEndpoint) -> Option<SocketAddrV4> {
    match endpoint.addr {
        IpAddress::Ipv4(ip) => Some(SocketAddrV4::new(ip, endpoint.port)),
    }
}

pub(crate) fn listen_endpoint(addr: SocketAddrV4) -> IpListenEndpoint {
    IpListenEndpoint {
        addr: (!addr.ip().is_unspecified()).then(|| IpAddress::Ipv4(*addr.ip())),
        port: addr.port(),
    }
}

/// A TCP socket for a host running `os`, with `buffer` bytes each way: its SYN offers a window
/// of `buffer` and, where the OS does, timestamps from the host's clock. smoltcp's inactivity
/// timeout stays off: the socket layer applies the OS's own deadlines (connect, stall), which
/// end a connection without the RST smoltcp's timeout would send.
pub(crate) fn new_tcp_socket(buffer: usize, os: OsProfile) -> tcp::Socket<'static> {
    let mut socket = tcp::Socket::new(
        tcp::SocketBuffer::new(vec![0; buffer]),
        tcp::SocketBuffer::new(vec![0; buffer]),
    );
    if os.timestamps() {
        socket.set_tsval_generator(Some(tsval));
    }
    // Linux's quick-ACK: data is acknowledged as it arrives (see `OsProfile::acks_like_linux`).
    if os.acks_like_linux() {
        socket.set_ack_delay(None);
    }
    socket
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_host_has_a_gateway_that_is_not_itself() {
        for ip in ["10.0.0.1", "10.0.0.2", "192.168.1.254", "192.168.1.102"] {
            let ip: Ipv4Addr = ip.parse().unwrap();
            assert_ne!(Ipv4Addr::from(gateway_for(ip).octets()), ip);
        }
    }
}
