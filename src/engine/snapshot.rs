//! The state of the whole simulation at one moment, as plain data: per host its processes and
//! socket rows (like `netstat`), and the segments in flight with their progress along a link.
//! Everything the view draws at time t comes from one of these.

use std::net::{Ipv4Addr, SocketAddrV4};

use super::event::SegmentId;
use super::net::{HostId, LinkId};
use super::packet::PacketSummary;
use super::ports::OsProfile;
use super::program::AppKind;
use super::socket::{Fd, Pid, Proto, SockId, SockState};
use super::time::Instant;

#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    pub at: Instant,
    pub hosts: Vec<HostView>,
    pub in_flight: Vec<FlightView>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostView {
    pub id: HostId,
    pub name: String,
    pub ip: Ipv4Addr,
    pub os: OsProfile,
    pub processes: Vec<ProcessView>,
    /// In the order the sockets were created: "Socket 1" is the first.
    pub sockets: Vec<SocketRow>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProcessView {
    pub pid: Pid,
    /// Its name in English, as the CLI prints it: "Node.js server", "web browser", or the name
    /// a lesson or a test gave a process of its own. The web view says a program by its `kind`.
    pub name: String,
    /// The command `ss -p` shows: "node", "curl".
    pub command: String,
    /// The program it runs; none for a process a lesson or a test drives by hand.
    pub kind: Option<AppKind>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SocketRow {
    pub sock: SockId,
    pub fd: Option<Fd>,
    pub pid: Option<Pid>,
    /// The owning process's name; None once no process holds the socket (after close(), or for
    /// a connection still waiting in a listener's queue).
    pub process: Option<String>,
    pub command: Option<String>,
    pub proto: Proto,
    /// None until the socket is bound.
    pub local: Option<SocketAddrV4>,
    /// None ("n/a") for a listening or unconnected socket.
    pub remote: Option<SocketAddrV4>,
    pub state: SockState,
    pub recv_q: usize,
    pub send_q: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FlightView {
    pub seg: SegmentId,
    pub link: LinkId,
    pub from: HostId,
    pub to: HostId,
    pub depart: Instant,
    pub arrive: Instant,
    /// How far along the link the segment is, from 0 (leaving) to 1 (arriving).
    pub progress: f32,
    pub summary: PacketSummary,
}

/// How far along its link a segment is at `now`: 0 leaving, 1 arriving.
pub fn progress(depart: Instant, arrive: Instant, now: Instant) -> f32 {
    let total = (arrive - depart).total_micros() as f32;
    let done = if now > depart {
        (now - depart).total_micros() as f32
    } else {
        0.0
    };
    if total <= 0.0 {
        1.0
    } else {
        (done / total).clamp(0.0, 1.0)
    }
}

impl SocketRow {
    /// The socket's column in the course's table, one cell per row (transport, source port
    /// and address, destination port and address, state, process):
    /// "n/a" where a listening socket has no peer, "–" where no process holds it.
    pub fn course_cells(&self) -> [String; 7] {
        let na = || "n/a".to_string();
        [
            self.proto.to_string(),
            self.local.map(|a| a.port().to_string()).unwrap_or_else(na),
            self.local.map(|a| a.ip().to_string()).unwrap_or_else(na),
            self.remote.map(|a| a.port().to_string()).unwrap_or_else(na),
            self.remote.map(|a| a.ip().to_string()).unwrap_or_else(na),
            self.state.rfc_name().to_string(),
            self.process_cell(false),
        ]
    }

    /// The process cell: "node (fd 4)", with its pid (`with_pid`) where the program's name
    /// alone does not tell which process holds the socket: "python3 (pid 1002, fd 4)".
    pub fn process_cell(&self, with_pid: bool) -> String {
        match (&self.command, self.pid, self.fd) {
            (Some(c), Some(pid), Some(fd)) if with_pid => format!("{c} (pid {}, fd {fd})", pid.pid),
            (Some(c), _, Some(fd)) => format!("{c} (fd {fd})"),
            _ => "–".to_string(),
        }
    }
}

impl Snapshot {
    pub fn host(&self, name: &str) -> Option<&HostView> {
        self.hosts.iter().find(|h| h.name == name)
    }
}

impl HostView {
    /// A socket's cells as the host's table shows them ([`SocketRow::course_cells`]), with the
    /// pid in the process cell where two of the host's processes run the same program (a
    /// forking server's children, two copies of a server): there the name alone does not say
    /// which process holds the socket.
    pub fn cells(&self, row: &SocketRow) -> [String; 7] {
        let mut cells = row.course_cells();
        if self.pid_tells(row) {
            cells[6] = row.process_cell(true);
        }
        cells
    }

    /// Whether the host runs another process of the same program as the socket's holder.
    pub fn pid_tells(&self, row: &SocketRow) -> bool {
        row.command.as_ref().is_some_and(|command| {
            self.processes
                .iter()
                .filter(|p| &p.command == command)
                .count()
                > 1
        })
    }

    /// Its "Socket n", as the course numbers a host's sockets (from 1, in creation order).
    pub fn numbered(&self, n: usize) -> Option<&SocketRow> {
        self.sockets.get(n.checked_sub(1)?)
    }

    /// The course's number of one of its sockets ("Socket 2" is 2).
    pub fn number_of(&self, sock: SockId) -> Option<usize> {
        self.sockets
            .iter()
            .position(|r| r.sock == sock)
            .map(|i| i + 1)
    }
}
