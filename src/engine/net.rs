//! The simulated network: named hosts with IPv4 addresses, and the links between them.

use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

use super::ports::OsProfile;
use super::time::Duration;

/// A host's index in the simulation, in the order hosts were added.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct HostId(pub usize);

/// A link's index in the simulation, in the order links were added.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct LinkId(pub usize);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostSpec {
    pub name: String,
    pub ip: Ipv4Addr,
    pub os: OsProfile,
}

impl HostSpec {
    pub fn new(name: &str, ip: Ipv4Addr) -> HostSpec {
        HostSpec {
            name: name.to_string(),
            ip,
            os: OsProfile::Linux,
        }
    }

    pub fn with_os(mut self, os: OsProfile) -> HostSpec {
        self.os = os;
        self
    }
}

/// How a link misbehaves. Probabilities are 0.0–1.0.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LinkFaults {
    /// Chance a segment is lost on the way.
    pub loss: f64,
    /// Chance a segment arrives twice.
    pub duplicate: f64,
    /// Chance a segment is held back by one extra latency, so later ones overtake it.
    pub reorder: f64,
    /// Up to this much extra delay, drawn for each segment.
    pub jitter: Duration,
}

impl LinkFaults {
    pub fn is_none(&self) -> bool {
        self.loss <= 0.0
            && self.duplicate <= 0.0
            && self.reorder <= 0.0
            && self.jitter == Duration::ZERO
    }
}

/// A point-to-point link. Packets between its two hosts take `latency` in each direction.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkSpec {
    pub a: HostId,
    pub b: HostId,
    pub latency: Duration,
    pub faults: LinkFaults,
}

/// The default one-way latency: long enough for the view to show packets travelling, short
/// next to smoltcp's one-second initial retransmission timeout.
pub const DEFAULT_LATENCY: Duration = Duration::from_millis(20);

impl LinkSpec {
    pub fn new(a: HostId, b: HostId) -> LinkSpec {
        LinkSpec {
            a,
            b,
            latency: DEFAULT_LATENCY,
            faults: LinkFaults::default(),
        }
    }

    pub fn joins(&self, x: HostId, y: HostId) -> bool {
        (self.a == x && self.b == y) || (self.a == y && self.b == x)
    }
}

/// The course's addresses.
pub const CLIENT_PC_IP: Ipv4Addr = Ipv4Addr::new(192, 168, 1, 101);
pub const SERVER_IP: Ipv4Addr = Ipv4Addr::new(192, 168, 1, 102);
