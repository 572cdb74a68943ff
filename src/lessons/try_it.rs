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

/// The port a learner would look up on `host`: its first listening TCP socket's.
pub fn listening_port(host: &HostView) -> Option<u16> {
    host.sockets
        .iter()
        .find(|r| r.proto == Proto::Tcp && r.state == SockState::Listen)
        .and_then(|r| r.local)
        .map(|a| a.port())
}

/// The command that names the program behind `port` on `os`: `lsof` on Linux and macOS
/// (`-n -P`: numbers, not host and service names), `Get-NetTCPConnection` in PowerShell.
pub fn port_owner(os: Desktop, port: u16) -> String {
    match os {
        Desktop::Linux | Desktop::Macos => format!("lsof -nP -i :{port}"),
        Desktop::Windows => format!(
            "Get-NetTCPConnection -LocalPort {port} | Format-Table -AutoSize LocalAddress,LocalPort,RemoteAddress,RemotePort,State,OwningProcess"
        ),
    }
}

/// What [`port_owner`] prints for `host` at this moment. lsof lists only sockets a process
/// still holds (a socket in TIME-WAIT, or one waiting in a listener's queue, has none), at
/// either end of a connection; PowerShell lists every socket whose local port is `port`, with
/// process 0 for one no process holds. lsof's USER and DEVICE are not in the simulation, so
/// they read `you` and `…`.
pub fn port_owner_output(os: Desktop, host: &HostView, port: u16) -> String {
    let on_port = |r: &&SocketRow| {
        r.proto == Proto::Tcp
            && (r.local.map(|a| a.port()) == Some(port)
                || (os != Desktop::Windows && r.remote.map(|a| a.port()) == Some(port)))
    };
    let rows: Vec<&SocketRow> = host.sockets.iter().filter(on_port).collect();
    match os {
        Desktop::Windows => get_net_tcp_connection(&rows),
        _ => lsof(os, &rows),
    }
}

fn lsof(os: Desktop, rows: &[&SocketRow]) -> String {
    let mut out = format!(
        "{:<9} {:>5} {:<4} {:>4} {:<4} {:>6} {:>8} {:<4} NAME\n",
        "COMMAND", "PID", "USER", "FD", "TYPE", "DEVICE", "SIZE/OFF", "NODE"
    );
    for r in rows {
        let (Some(pid), Some(fd), Some(command), Some(local)) =
            (r.pid, r.fd, r.command.as_deref(), r.local)
        else {
            continue;
        };
        let name = match r.remote {
            Some(peer) => format!("{local}->{peer}"),
            None => local.to_string(),
        };
        let state = match os {
            Desktop::Linux => linux_state(r.state),
            _ => bsd_state(r.state),
        };
        let _ = writeln!(
            out,
            "{:<9} {:>5} {:<4} {:>4} {:<4} {:>6} {:>8} {:<4} {name} ({state})",
            command,
            pid.pid,
            "you",
            format!("{fd}u"),
            "IPv4",
            "…",
            "0t0",
            "TCP"
        );
    }
    out
}

/// PowerShell's `Format-Table -AutoSize`: each column as wide as its widest cell, number
/// columns (heading included) on the right.
fn get_net_tcp_connection(rows: &[&SocketRow]) -> String {
    const HEADS: [&str; 6] = [
        "LocalAddress",
        "LocalPort",
        "RemoteAddress",
        "RemotePort",
        "State",
        "OwningProcess",
    ];
    const NUMERIC: [bool; 6] = [false, true, false, true, false, true];
    let mut table: Vec<[String; 6]> =
        vec![HEADS.map(String::from), HEADS.map(|h| "-".repeat(h.len()))];
    for r in rows {
        let Some(local) = r.local else { continue };
        let (ip, port) = r.remote.map_or(("0.0.0.0".to_string(), 0), |a| {
            (a.ip().to_string(), a.port())
        });
        table.push([
            local.ip().to_string(),
            local.port().to_string(),
            ip,
            port.to_string(),
            windows_ps_state(r.state).to_string(),
            r.pid.map_or(0, |p| p.pid).to_string(),
        ]);
    }
    let widths: Vec<usize> = (0..6)
        .map(|i| {
            table
                .iter()
                .map(|row| row[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::from("\n");
    for row in &table {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            let w = widths[i];
            let _ = match NUMERIC[i] {
                true => write!(line, "{cell:>w$} "),
                false => write!(line, "{cell:<w$} "),
            };
        }
        out += line.trim_end();
        out.push('\n');
    }
    out
}

/// Every way a learner may have seen a state written: the RFC's (the course's table), ss's,
/// Linux's lsof and netstat's, BSD's and macOS's, Windows'.
pub fn spellings(s: SockState) -> [&'static str; 5] {
    [
        s.rfc_name(),
        s.ss_name(),
        linux_state(s),
        bsd_state(s),
        windows_state(s),
    ]
}

/// A state as Linux's lsof spells it.
fn linux_state(s: SockState) -> &'static str {
    match s {
        SockState::SynReceived => "SYN_RECV",
        SockState::FinWait1 => "FIN_WAIT1",
        SockState::FinWait2 => "FIN_WAIT2",
        SockState::Closed | SockState::Fresh | SockState::Bound => "CLOSE",
        other => bsd_state(other),
    }
}

/// A state as PowerShell's `Get-NetTCPConnection` spells it.
fn windows_ps_state(s: SockState) -> &'static str {
    match s {
        SockState::Fresh | SockState::Closed => "Closed",
        SockState::Bound => "Bound",
        SockState::Listen => "Listen",
        SockState::SynSent => "SynSent",
        SockState::SynReceived => "SynReceived",
        SockState::Established => "Established",
        SockState::FinWait1 => "FinWait1",
        SockState::FinWait2 => "FinWait2",
        SockState::CloseWait => "CloseWait",
        SockState::Closing => "Closing",
        SockState::LastAck => "LastAck",
        SockState::TimeWait => "TimeWait",
        SockState::Unknown => "Unknown",
    }
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
        SockState::Unknown => "UNKNOWN",
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
