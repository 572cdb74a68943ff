//! The BSD-style socket layer's vocabulary: descriptors, owners, protocol states spelled the
//! RFC way, and the errors a learner can cause, each with its OS name and a plain sentence.
//!
//! The operations themselves (`socket`, `bind`, `listen`, `accept`, `connect`, `send`, `recv`,
//! `shutdown`, `close`, `send_to`, `recv_from`) are methods of [`super::Sim`], because they act
//! on a host's smoltcp stack.

use std::fmt;

use serde::{Deserialize, Serialize};
use smoltcp::socket::tcp;

use super::net::HostId;

/// A process: unique in the whole simulation, numbered per host as the host starts them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Pid {
    pub host: HostId,
    pub pid: u32,
}

/// A file descriptor, per process, as `ss -p` shows it (`fd=3`). 0, 1 and 2 are stdio.
pub type Fd = u32;

/// The first descriptor a process gets for a socket.
pub const FIRST_FD: Fd = 3;

/// A socket's identity for the whole run, whatever descriptor (if any) points at it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SockId(pub u64);

crate::engine::wire::wire_cases! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
    pub enum Proto {
        Tcp,
        Udp,
    }
}

impl fmt::Display for Proto {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Proto::Tcp => "TCP",
            Proto::Udp => "UDP",
        })
    }
}

crate::engine::wire::wire_cases! {
    /// A socket's state. TCP states are RFC 9293's; the others are the BSD layer's own.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
    pub enum SockState {
        /// Created, not yet bound or connected.
        Fresh,
        /// Bound to a port, not listening or connected (TCP), or a UDP socket.
        Bound,
        Closed,
        Listen,
        SynSent,
        SynReceived,
        Established,
        FinWait1,
        FinWait2,
        CloseWait,
        Closing,
        LastAck,
        TimeWait,
        /// An observer's, never the engine's: a capture joined the connection after its
        /// handshake, so the state each side is in does not show on the wire (a scene made from
        /// a learner's capture). Not in [`SockState::ALL`]: no scenario or lesson names it.
        Unknown,
    }
}

impl SockState {
    pub const ALL: [SockState; 13] = [
        SockState::Fresh,
        SockState::Bound,
        SockState::Closed,
        SockState::Listen,
        SockState::SynSent,
        SockState::SynReceived,
        SockState::Established,
        SockState::FinWait1,
        SockState::FinWait2,
        SockState::CloseWait,
        SockState::Closing,
        SockState::LastAck,
        SockState::TimeWait,
    ];

    /// The state whose [`SockState::rfc_name`] is `name`.
    pub fn from_rfc_name(name: &str) -> Option<SockState> {
        SockState::ALL.into_iter().find(|s| s.rfc_name() == name)
    }

    pub fn from_tcp(state: tcp::State) -> SockState {
        match state {
            tcp::State::Closed => SockState::Closed,
            tcp::State::Listen => SockState::Listen,
            tcp::State::SynSent => SockState::SynSent,
            tcp::State::SynReceived => SockState::SynReceived,
            tcp::State::Established => SockState::Established,
            tcp::State::FinWait1 => SockState::FinWait1,
            tcp::State::FinWait2 => SockState::FinWait2,
            tcp::State::CloseWait => SockState::CloseWait,
            tcp::State::Closing => SockState::Closing,
            tcp::State::LastAck => SockState::LastAck,
            tcp::State::TimeWait => SockState::TimeWait,
        }
    }

    /// The RFC 9293 name ("SYN-SENT", "TIME-WAIT"), or the BSD layer's for sockets TCP has not
    /// touched yet.
    pub fn rfc_name(self) -> &'static str {
        match self {
            SockState::Fresh => "NEW",
            SockState::Bound => "BOUND",
            SockState::Closed => "CLOSED",
            SockState::Listen => "LISTEN",
            SockState::SynSent => "SYN-SENT",
            SockState::SynReceived => "SYN-RECEIVED",
            SockState::Established => "ESTABLISHED",
            SockState::FinWait1 => "FIN-WAIT-1",
            SockState::FinWait2 => "FIN-WAIT-2",
            SockState::CloseWait => "CLOSE-WAIT",
            SockState::Closing => "CLOSING",
            SockState::LastAck => "LAST-ACK",
            SockState::TimeWait => "TIME-WAIT",
            SockState::Unknown => "UNKNOWN",
        }
    }

    /// The name `ss` prints in its State column ("ESTAB", "UNCONN", ...).
    pub fn ss_name(self) -> &'static str {
        match self {
            SockState::Fresh | SockState::Bound => "UNCONN",
            SockState::Closed => "CLOSE",
            SockState::Listen => "LISTEN",
            SockState::SynSent => "SYN-SENT",
            SockState::SynReceived => "SYN-RECV",
            SockState::Established => "ESTAB",
            SockState::FinWait1 => "FIN-WAIT-1",
            SockState::FinWait2 => "FIN-WAIT-2",
            SockState::CloseWait => "CLOSE-WAIT",
            SockState::Closing => "CLOSING",
            SockState::LastAck => "LAST-ACK",
            SockState::TimeWait => "TIME-WAIT",
            SockState::Unknown => "UNKNOWN",
        }
    }

    /// Whether the socket has a peer: a full 4-tuple rather than a remote of "n/a".
    pub fn is_connected(self) -> bool {
        !matches!(
            self,
            SockState::Fresh | SockState::Bound | SockState::Closed | SockState::Listen
        )
    }
}

impl fmt::Display for SockState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.rfc_name())
    }
}

crate::engine::wire::wire_cases! {
    /// The POSIX error a socket call returns.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
    pub enum Errno {
        /// The port (and address) is already bound by another socket.
        EADDRINUSE,
        /// A port only a privileged process may bind (below 1024 on Linux).
        EACCES,
        /// The address is not one of this host's, or no ephemeral port is free.
        EADDRNOTAVAIL,
        /// The peer answered the SYN with RST: nothing listens on that port.
        ECONNREFUSED,
        /// The peer never answered.
        ETIMEDOUT,
        /// The connection was reset by the peer.
        ECONNRESET,
        /// The socket is not connected.
        ENOTCONN,
        /// The socket is already connected.
        EISCONN,
        /// The call does not fit the socket's state.
        EINVAL,
        /// No such descriptor in this process.
        EBADF,
        /// Writing after this side shut down writing.
        EPIPE,
        /// The operation does not apply to this kind of socket.
        EOPNOTSUPP,
        /// A connect() is already under way.
        EALREADY,
        /// A non-blocking call would have to wait (send() before the handshake has finished).
        EAGAIN,
        /// The destination is a message too large for the socket's buffer.
        EMSGSIZE,
    }
}

impl Errno {
    pub fn name(self) -> &'static str {
        match self {
            Errno::EADDRINUSE => "EADDRINUSE",
            Errno::EACCES => "EACCES",
            Errno::EADDRNOTAVAIL => "EADDRNOTAVAIL",
            Errno::ECONNREFUSED => "ECONNREFUSED",
            Errno::ETIMEDOUT => "ETIMEDOUT",
            Errno::ECONNRESET => "ECONNRESET",
            Errno::ENOTCONN => "ENOTCONN",
            Errno::EISCONN => "EISCONN",
            Errno::EINVAL => "EINVAL",
            Errno::EBADF => "EBADF",
            Errno::EPIPE => "EPIPE",
            Errno::EOPNOTSUPP => "EOPNOTSUPP",
            Errno::EALREADY => "EALREADY",
            Errno::EAGAIN => "EAGAIN",
            Errno::EMSGSIZE => "EMSGSIZE",
        }
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

crate::engine::wire::wire_cases! {
    /// The socket call that failed.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub enum Op {
        Socket,
        Bind,
        Listen,
        Accept,
        Connect,
        Send,
        Recv,
        Shutdown,
        Close,
        SendTo,
        RecvFrom,
    }
}

impl Op {
    pub fn name(self) -> &'static str {
        match self {
            Op::Socket => "socket",
            Op::Bind => "bind",
            Op::Listen => "listen",
            Op::Accept => "accept",
            Op::Connect => "connect",
            Op::Send => "send",
            Op::Recv => "recv",
            Op::Shutdown => "shutdown",
            Op::Close => "close",
            Op::SendTo => "sendto",
            Op::RecvFrom => "recvfrom",
        }
    }
}

/// A socket call's failure: which call, the OS error, and why, with the values the reason
/// speaks of (ports, addresses, states, process names) by name. The engine holds no words: the
/// view says it in the learner's language (`err.*` in the catalogs, `view::narrate::said`), e.g.
/// `bind: EADDRINUSE: port 8099 is already in use by node (fd 3)`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SockError {
    pub op: Op,
    pub errno: Errno,
    pub why: Why,
    /// The values `why` speaks of, by the names its message gives them.
    pub args: Vec<(std::borrow::Cow<'static, str>, String)>,
}

crate::engine::wire::wire_cases! {
    /// Why a socket call failed: each reason is one message of the catalogs.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub enum Why {
        NoProcess,
        NoDescriptor,
        EphemeralPortsUsed,
        EphemeralPortsUsedToward,
        AlreadyBound,
        CannotBind,
        NotHostAddress,
        PortInUse,
        PortInUseBy,
        PortInUseByConnection,
        PrivilegedPort,
        StackRefusedAddress,
        UdpCannotListen,
        CannotListen,
        NotListening,
        NotConnectable,
        ListenerCannotConnect,
        AlreadyConnecting,
        ConnectionEnded,
        AlreadyConnected,
        ConnectionExists,
        StackRefusedConnect,
        UdpNoPeer,
        ShutDownForWriting,
        HandshakeUnfinished,
        NowhereToSend,
        Closing,
        CannotSend,
        NotConnected,
        SendToIsForUdp,
        NotDatagramAddress,
        TooBigForDatagram,
        Unreachable,
        RecvFromIsForUdp,
        UdpNotBound,
        IcmpRefused,
        RstRefused,
        SynUnanswered,
        Reset,
        AckTimeout,
    }
}

impl SockError {
    pub fn new(op: Op, errno: Errno, why: Why, args: Vec<(&'static str, String)>) -> SockError {
        SockError {
            op,
            errno,
            why,
            args: args.into_iter().map(|(k, v)| (k.into(), v)).collect(),
        }
    }
}

/// Without words: the call, the errno, the reason's name and its values
/// (`bind: EADDRINUSE: PortInUseBy port=8099 process=node fd=3`).
impl fmt::Display for SockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {:?}", self.op.name(), self.errno, self.why)?;
        for (name, value) in &self.args {
            write!(f, " {name}={value}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SockError {}

/// Which half of a connection `shutdown` closes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Shutdown {
    Read,
    Write,
    Both,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_errno_is_named_as_linux_names_it_and_an_error_reads_call_errno_reason() {
        let all = [
            Errno::EADDRINUSE,
            Errno::EADDRNOTAVAIL,
            Errno::ECONNREFUSED,
            Errno::ETIMEDOUT,
            Errno::ECONNRESET,
            Errno::ENOTCONN,
            Errno::EISCONN,
            Errno::EINVAL,
            Errno::EBADF,
            Errno::EPIPE,
            Errno::EOPNOTSUPP,
            Errno::EALREADY,
            Errno::EAGAIN,
            Errno::EMSGSIZE,
        ];
        for e in all {
            // The name is the enum's own spelling, which is <errno.h>'s.
            assert_eq!(e.name(), format!("{e:?}"));
        }
        let port = vec![("port", "8099".to_string())];
        let error = SockError::new(Op::Bind, Errno::EADDRINUSE, Why::PortInUse, port);
        assert_eq!(error.to_string(), "bind: EADDRINUSE: PortInUse port=8099");
    }

    #[test]
    fn states_read_as_rfc_9293_and_as_ss_prints_them() {
        assert_eq!(SockState::SynReceived.rfc_name(), "SYN-RECEIVED");
        assert_eq!(SockState::SynReceived.ss_name(), "SYN-RECV");
        assert_eq!(SockState::Established.ss_name(), "ESTAB");
        assert_eq!(SockState::Bound.ss_name(), "UNCONN");
        assert!(SockState::TimeWait.is_connected() && !SockState::Listen.is_connected());
    }
}
