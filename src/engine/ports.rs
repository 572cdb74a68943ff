//! Port numbers: the range classes, and the registry of well-known and registered ports that
//! the lessons name.
//!
//! The registry is data, looked up by number. Where a number is a convention or the course's own
//! example rather than an IANA assignment, the entry says so, so that learners are never taught
//! something the IANA registry would contradict.

use std::net::Ipv4Addr;
use std::ops::RangeInclusive;

use serde::{Deserialize, Serialize};

use super::rng::Rng;

/// The three ranges IANA divides port numbers into (RFC 6335, section 6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum PortClass {
    /// 0–1023: "well-known" or system ports, reserved for common server applications.
    WellKnown,
    /// 1024–49151: registered or user ports.
    Registered,
    /// 49152–65535: dynamic or private ports, where IANA says ephemeral ports belong.
    Dynamic,
}

impl PortClass {
    /// The class a port number falls in.
    pub fn of(port: u16) -> PortClass {
        match port {
            0..=1023 => PortClass::WellKnown,
            1024..=49151 => PortClass::Registered,
            _ => PortClass::Dynamic,
        }
    }

    /// The range as learners read it, e.g. "0–1023".
    pub fn range(self) -> &'static str {
        match self {
            PortClass::WellKnown => "0–1023",
            PortClass::Registered => "1024–49151",
            PortClass::Dynamic => "49152–65535",
        }
    }
}

/// Which transport protocols a registry entry is used with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Transports {
    Tcp,
    Udp,
    TcpAndUdp,
}

impl Transports {
    pub fn label(self) -> &'static str {
        match self {
            Transports::Tcp => "TCP",
            Transports::Udp => "UDP",
            Transports::TcpAndUdp => "TCP, UDP",
        }
    }
}

/// Where a registry entry's number comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Assignment {
    /// Assigned in the IANA Service Name and Transport Protocol Port Number Registry.
    Iana,
    /// Widely used by convention, but not IANA's assignment for this number.
    Convention,
    /// The course's own example number.
    CourseExample,
}

/// One well-known or registered port that the lessons mention.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Service {
    pub port: u16,
    pub transports: Transports,
    /// Short service name, as `/etc/services` or the IANA registry spells it where it has one.
    /// What listens there is said by the view, in the learner's language (`port.<number>` in
    /// the catalogs).
    pub name: &'static str,
    pub assignment: Assignment,
}

const fn service(
    port: u16,
    transports: Transports,
    name: &'static str,
    assignment: Assignment,
) -> Service {
    Service {
        port,
        transports,
        name,
        assignment,
    }
}

use Assignment::{Convention, CourseExample, Iana};
use Transports::{Tcp, TcpAndUdp, Udp};

/// The registry, ordered by port number.
pub const SERVICES: &[Service] = &[
    service(20, Tcp, "ftp-data", Iana),
    service(21, Tcp, "ftp", Iana),
    service(22, Tcp, "ssh", Iana),
    service(23, Tcp, "telnet", Iana),
    service(25, Tcp, "smtp", Iana),
    service(53, TcpAndUdp, "domain", Iana),
    service(67, Udp, "bootps", Iana),
    service(68, Udp, "bootpc", Iana),
    service(80, Tcp, "http", Iana),
    service(110, Tcp, "pop3", Iana),
    service(143, Tcp, "imap", Iana),
    service(443, Tcp, "https", Iana),
    service(465, Tcp, "submissions", Iana),
    service(587, Tcp, "submission", Iana),
    service(993, Tcp, "imaps", Iana),
    service(995, Tcp, "pop3s", Iana),
    service(3000, Tcp, "dev-http", Convention),
    service(3306, Tcp, "mysql", Iana),
    service(5432, Tcp, "postgresql", Iana),
    service(6379, Tcp, "redis", Iana),
    service(8080, Tcp, "http-alt", Iana),
    service(8099, Tcp, "node-example", CourseExample),
    service(27017, Tcp, "mongodb", Iana),
    service(28017, Tcp, "mongodb-http", Convention),
];

/// The registry entry for a port number, if the lessons know one.
pub fn lookup(port: u16) -> Option<&'static Service> {
    SERVICES
        .binary_search_by_key(&port, |s| s.port)
        .ok()
        .map(|i| &SERVICES[i])
}

crate::engine::wire::wire_cases! {
    /// Which operating system's ephemeral-port behaviour a host follows.
    #[derive(
        Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
    )]
    #[serde(rename_all = "lowercase")]
    pub enum OsProfile {
        /// Linux: `net.ipv4.ip_local_port_range` is 32768–60999; the start point is a hash of the
        /// destination and a secret, and connect() tries even ports first (bind() gets the odd ones).
        #[default]
        Linux,
        /// Windows (Vista and later), following IANA: 49152–65535, handed out one after another.
        Windows,
        /// macOS and the BSDs: 49152–65535, each port picked at random.
        Macos,
    }
}

impl OsProfile {
    pub const ALL: [OsProfile; 3] = [OsProfile::Linux, OsProfile::Windows, OsProfile::Macos];

    pub fn ephemeral_range(self) -> RangeInclusive<u16> {
        match self {
            OsProfile::Linux => 32768..=60999,
            OsProfile::Windows | OsProfile::Macos => 49152..=65535,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            OsProfile::Linux => "Linux",
            OsProfile::Windows => "Windows",
            OsProfile::Macos => "macOS",
        }
    }

    /// The receive window its SYN offers (the initial receive buffer): 64240 bytes (44 full
    /// segments) on Linux and Windows, 65535 on macOS.
    pub fn initial_window(self) -> usize {
        match self {
            OsProfile::Linux | OsProfile::Windows => 64240,
            OsProfile::Macos => 65535,
        }
    }

    /// The receive window a listening socket's SYN-ACK offers. Linux rounds the largest
    /// unscaled window, 65535, down to whole segments: for a SYN it uses the full MSS (44 ×
    /// 1460 = 64240), for a SYN-ACK to a client that sent timestamps the MSS less the 12-byte
    /// option (45 × 1448 = 65160). Windows and macOS offer what their SYN does.
    pub fn synack_window(self) -> usize {
        match self {
            OsProfile::Linux => 65160,
            other => other.initial_window(),
        }
    }

    /// Whether its segments carry TCP timestamps (RFC 7323): Linux and macOS do by default,
    /// Windows does not.
    pub fn timestamps(self) -> bool {
        !matches!(self, OsProfile::Windows)
    }

    /// Whether it acknowledges as Linux does: data at once at the start of a connection (its
    /// quick-ACK mode: a bare ACK, before the program has read the data), and a FIN only after
    /// the program has had its turn (receiving a FIN enters its delayed-ACK "pingpong" mode), so
    /// that a program that closes at once answers with one FIN,ACK. Windows and macOS delay
    /// their ACKs, as smoltcp does by default.
    pub fn acks_like_linux(self) -> bool {
        matches!(self, OsProfile::Linux)
    }

    /// How long connect() waits for an answer to its SYNs before ETIMEDOUT: Linux sends 7 SYNs
    /// (tcp_syn_retries = 6) and gives up 127 s after the first; Windows sends 3 (21 s);
    /// macOS gives up after 75 s.
    pub fn connect_timeout_ms(self) -> u64 {
        match self {
            OsProfile::Linux => 127_000,
            OsProfile::Windows => 21_000,
            OsProfile::Macos => 75_000,
        }
    }

    /// How many SYNs a connect() sends at most: Linux 7 (tcp_syn_retries = 6), Windows 3
    /// (TcpMaxConnectRetransmissions = 2). None: as many as fit before the connect timeout.
    pub fn syn_limit(self) -> Option<u32> {
        match self {
            OsProfile::Linux => Some(7),
            OsProfile::Windows => Some(3),
            OsProfile::Macos => None,
        }
    }

    /// The ports below which only a privileged process (root, or one with the capability) may
    /// bind: Linux 1024 (`net.ipv4.ip_unprivileged_port_start`); Windows none; macOS none
    /// since 10.14 (Mojave) for a server listening on all addresses, which the course's servers
    /// stand for (they show the host's address, as the slides do). macOS still keeps such a
    /// port for root on one given address; the engine does not model that case.
    pub fn privileged_below(self) -> Option<u16> {
        match self {
            OsProfile::Linux => Some(1024),
            OsProfile::Windows | OsProfile::Macos => None,
        }
    }

    /// The ephemeral range as learners read it, e.g. "32768–60999".
    pub fn range_label(self) -> String {
        let r = self.ephemeral_range();
        format!("{}–{}", r.start(), r.end())
    }

    /// Where the range is set on this OS.
    pub fn range_setting(self) -> &'static str {
        match self {
            OsProfile::Linux => "net.ipv4.ip_local_port_range",
            OsProfile::Windows => "netsh int ipv4 show dynamicport tcp",
            OsProfile::Macos => "net.inet.ip.portrange.first / .last",
        }
    }
}

/// A host's ephemeral-port allocator. Deterministic: its choices come from the host's seed.
#[derive(Clone, Debug)]
pub struct EphemeralPorts {
    profile: OsProfile,
    rng: Rng,
    /// Linux: a secret mixed into the destination hash; Windows: where the next search starts.
    secret: u64,
    cursor: u32,
}

impl EphemeralPorts {
    pub fn new(profile: OsProfile, seed: u64) -> EphemeralPorts {
        let mut rng = Rng::new(seed);
        let secret = rng.next_u64();
        let (low, high) = (
            *profile.ephemeral_range().start() as u64,
            *profile.ephemeral_range().end() as u64,
        );
        let cursor = (rng.below(high - low + 1)) as u32;
        EphemeralPorts {
            profile,
            rng,
            secret,
            cursor,
        }
    }

    pub fn profile(&self) -> OsProfile {
        self.profile
    }

    /// Pick a free port for a socket that connects to `dst` (or that is bound to port 0 when
    /// `dst` is None). `in_use` says whether a port is taken. None when every port in the range
    /// is taken: the caller reports EADDRNOTAVAIL, as Linux does.
    pub fn pick(
        &mut self,
        dst: Option<(Ipv4Addr, u16)>,
        in_use: impl Fn(u16) -> bool,
    ) -> Option<u16> {
        let low = *self.profile.ephemeral_range().start() as u32;
        let n = *self.profile.ephemeral_range().end() as u32 - low + 1;
        let at = |i: u32| (low + i % n) as u16;
        match self.profile {
            OsProfile::Linux => {
                let (ip, port) = dst
                    .map(|(ip, p)| (u32::from(ip) as u64, p as u64))
                    .unwrap_or((0, 0));
                let hash = Rng::derive(self.secret, (ip << 16) | port);
                let start = (hash as u32).wrapping_add(self.cursor) % n;
                self.cursor = self.cursor.wrapping_add(2);
                // Linux gives connect() even ports and bind() odd ones first, so that the two
                // rarely collide.
                let parity = if dst.is_some() { 0 } else { 1 };
                let first = (0..n)
                    .step_by(2)
                    .map(|i| (start - start % 2 + parity + i) % n);
                let second = (0..n)
                    .step_by(2)
                    .map(|i| (start - start % 2 + (1 - parity) + i) % n);
                first.chain(second).map(at).find(|&p| !in_use(p))
            }
            OsProfile::Windows => {
                let found = (0..n).map(|i| self.cursor + i).find(|&i| !in_use(at(i)))?;
                self.cursor = (found + 1) % n;
                Some(at(found))
            }
            OsProfile::Macos => {
                for _ in 0..16 {
                    let p = at(self.rng.below(n as u64) as u32);
                    if !in_use(p) {
                        return Some(p);
                    }
                }
                let start = self.rng.below(n as u64) as u32;
                (0..n).map(|i| at(start + i)).find(|&p| !in_use(p))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_is_sorted_and_unique_so_lookup_finds_every_entry() {
        for pair in SERVICES.windows(2) {
            assert!(
                pair[0].port < pair[1].port,
                "{} before {}",
                pair[0].port,
                pair[1].port
            );
        }
        for s in SERVICES {
            assert_eq!(lookup(s.port), Some(s));
        }
    }

    #[test]
    fn linux_and_the_iana_range_differ() {
        assert_eq!(OsProfile::Linux.range_label(), "32768–60999");
        assert_eq!(OsProfile::Windows.range_label(), "49152–65535");
        assert_eq!(OsProfile::Macos.range_label(), PortClass::Dynamic.range());
    }
}
