//! "Try it on your machine": the real commands for a step on Linux, macOS and Windows, and
//! what each prints at this moment of the scene, rendered from the scene's own socket table
//! in that command's own layout. Only what a table can say is shown: no command here needs a
//! value the simulation does not have.

use std::fmt::Write as _;
use std::net::SocketAddrV4;

use crate::engine::{HostView, Proto, SockState, SocketRow};

/// A desktop OS a learner may have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Desktop {
    Linux,
    Macos,
    Windows,
}

/// The course's Node.js server, in five lines: listens on 8099 and answers every request.
pub const NODE_SERVER: &str = "const http = require('http');
const server = http.createServer((req, res) => {
  res.end('Hello from port 8099\\n');
});
server.listen(8099, () => console.log('listening on 8099'));";

/// The request the course's client makes, printing the connection as it goes.
pub const CURL: &str = "curl -v http://127.0.0.1:8099/";

/// The command that lists TCP sockets on `os`.
pub fn socket_list(os: Desktop) -> &'static str {
    match os {
        Desktop::Linux => "ss -tan",
        Desktop::Macos => "netstat -an -p tcp",
        Desktop::Windows => "netstat -an -p tcp",
    }
}

/// What [`socket_list`] prints for `host`'s TCP sockets, as that OS prints it.
pub fn socket_list_output(os: Desktop, host: &HostView) -> String {
    let rows: Vec<&SocketRow> = host
        .sockets
        .iter()
        .filter(|r| r.proto == Proto::Tcp && r.local.is_some())
        .collect();
    match os {
        Desktop::Linux => ss_tan(&rows),
        Desktop::Macos => macos_netstat(&rows),
        Desktop::Windows => windows_netstat(&rows),
    }
}

fn ss_tan(rows: &[&SocketRow]) -> String {
    let mut out = format!(
        "{:<10} {:<6} {:<6} {:>21} {:>21} Process\n",
        "State", "Recv-Q", "Send-Q", "Local Address:Port", "Peer Address:Port"
    );
    for r in rows {
        let peer = r.remote.map_or("0.0.0.0:*".to_string(), |a| a.to_string());
        let local = r.local.map_or(String::new(), |a| a.to_string());
        // ss shows a listener's Send-Q as its backlog, and Recv-Q as the connections waiting.
        let _ = writeln!(
            out,
            "{:<10} {:<6} {:<6} {:>21} {:>21}",
            r.state.ss_name(),
            r.recv_q,
            r.send_q,
            local,
            peer
        );
    }
    out
}

/// macOS writes an address and its port with a dot, a listener's peer as `*.*`, and the
/// newest socket first.
fn macos_netstat(rows: &[&SocketRow]) -> String {
    let dotted = |a: SocketAddrV4| format!("{}.{}", a.ip(), a.port());
    let mut out = String::from("Active Internet connections (including servers)\n");
    let _ = writeln!(
        out,
        "{:<6}{:>6} {:>6}  {:<22} {:<22} (state)",
        "Proto", "Recv-Q", "Send-Q", "Local Address", "Foreign Address"
    );
    for r in rows.iter().rev() {
        let local = r.local.map(dotted).unwrap_or_default();
        let peer = r.remote.map_or("*.*".to_string(), dotted);
        let (recv, send) = match r.state {
            SockState::Listen => (0, 0),
            _ => (r.recv_q, r.send_q),
        };
        let _ = writeln!(
            out,
            "{:<6}{:>6} {:>6}  {:<22} {:<22} {}",
            "tcp4",
            recv,
            send,
            local,
            peer,
            bsd_state(r.state)
        );
    }
    out
}

fn windows_netstat(rows: &[&SocketRow]) -> String {
    let mut out = String::from("\nActive Connections\n\n");
    let _ = writeln!(
        out,
        "  {:<7}{:<23}{:<23}State",
        "Proto", "Local Address", "Foreign Address"
    );
    for r in rows {
        let local = r.local.map(|a| a.to_string()).unwrap_or_default();
        let peer = r.remote.map_or("0.0.0.0:0".to_string(), |a| a.to_string());
        let _ = writeln!(
            out,
            "  {:<7}{:<23}{:<23}{}",
            "TCP",
            local,
            peer,
            windows_state(r.state)
        );
    }
    out
}

/// A state as BSD's (and macOS's) netstat spells it.
fn bsd_state(s: SockState) -> &'static str {
    match s {
        SockState::Fresh | SockState::Bound | SockState::Closed => "CLOSED",
        SockState::Listen => "LISTEN",
        SockState::SynSent => "SYN_SENT",
        SockState::SynReceived => "SYN_RCVD",
        SockState::Established => "ESTABLISHED",
        SockState::FinWait1 => "FIN_WAIT_1",
        SockState::FinWait2 => "FIN_WAIT_2",
        SockState::CloseWait => "CLOSE_WAIT",
        SockState::Closing => "CLOSING",
        SockState::LastAck => "LAST_ACK",
        SockState::TimeWait => "TIME_WAIT",
    }
}

/// A state as Windows' netstat spells it.
fn windows_state(s: SockState) -> &'static str {
    match s {
        SockState::Listen => "LISTENING",
        SockState::SynReceived => "SYN_RECEIVED",
        other => bsd_state(other),
    }
}
