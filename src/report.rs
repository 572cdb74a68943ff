//! The command line's English, as the CLI stays: a host's sockets as `ss -tuanp` prints them
//! and in the course's layout, and a mistake in building a network ([`NetError`]). The engine
//! gives the rows (a snapshot) and the error's kind; the words are here. The web app does not
//! use them: it draws its tables in the learner's language (`ui::components::tables`).

use std::fmt::{self, Write as _};

use crate::engine::NetError;

use crate::engine::snapshot::HostView;
use crate::engine::socket::Proto;

/// The rows of the course's socket table, in the order of
/// [`crate::engine::snapshot::SocketRow::course_cells`].
pub const COURSE_FIELDS: [&str; 7] = [
    "Transport",
    "Source Port",
    "Source IP Addr",
    "Destination Port",
    "Destination IP Addr",
    "State",
    "Process",
];

/// The host's table in the style of `ss -tuanp`.
pub fn ss_table(host: &HostView) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<6}{:<13}{:>7} {:>7} {:>22} {:>22}  Process",
        "Netid", "State", "Recv-Q", "Send-Q", "Local Address:Port", "Peer Address:Port"
    );
    for row in &host.sockets {
        let local = row
            .local
            .map(|a| a.to_string())
            .unwrap_or_else(|| "*:*".to_string());
        let peer = row
            .remote
            .map(|a| a.to_string())
            .unwrap_or_else(|| "0.0.0.0:*".to_string());
        let process = match (&row.command, row.pid, row.fd) {
            (Some(cmd), Some(pid), Some(fd)) => {
                format!("users:((\"{cmd}\",pid={},fd={fd}))", pid.pid)
            }
            _ => String::new(),
        };
        let netid = match row.proto {
            Proto::Tcp => "tcp",
            Proto::Udp => "udp",
        };
        let _ = writeln!(
            out,
            "{:<6}{:<13}{:>7} {:>7} {:>22} {:>22}  {}",
            netid,
            row.state.ss_name(),
            row.recv_q,
            row.send_q,
            local,
            peer,
            process
        );
    }
    out
}

/// The host's sockets laid out as the course's slides lay them out: one column per socket
/// ("Socket 1", "Socket 2", ...), one row per field, "n/a" where a listening socket has no peer.
pub fn course_table(host: &HostView) -> String {
    let mut head = vec![format!("{} Sockets", host.name)];
    head.extend(COURSE_FIELDS.iter().map(|f| f.to_string()));
    let mut columns: Vec<Vec<String>> = vec![head];
    for (i, row) in host.sockets.iter().enumerate() {
        let mut column = vec![format!("Socket {}", i + 1)];
        column.extend(host.cells(row));
        columns.push(column);
    }
    let widths: Vec<usize> = columns
        .iter()
        .map(|c| c.iter().map(|s| s.chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for line in 0..columns[0].len() {
        let cells: Vec<String> = columns
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{:<w$}", c[line], w = *w))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

impl fmt::Display for NetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NetError::DuplicateHostName(n) => write!(f, "there is already a host named \"{n}\""),
            NetError::DuplicateAddress(ip) => {
                write!(f, "another host already has the address {ip}")
            }
            NetError::UnusableAddress(ip) => {
                write!(f, "{ip} cannot be a host's address (it is unspecified, broadcast, multicast or loopback)")
            }
            NetError::UnknownHost(h) => write!(f, "there is no host number {}", h.0),
            NetError::LinkToItself(h) => {
                write!(f, "host number {} cannot be linked to itself", h.0)
            }
            NetError::DuplicateLink(a, b) => {
                write!(f, "hosts {} and {} are already linked", a.0, b.0)
            }
            NetError::UnknownLink(l) => write!(f, "there is no link number {}", l.0),
            NetError::UnknownProcess(p) => {
                write!(f, "there is no process {} on host {}", p.pid, p.host.0)
            }
        }
    }
}
