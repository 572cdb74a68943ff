//! Every host's socket table and process list as events build them: the one place socket
//! state is derived from the event log. The timeline keeps a copy at each checkpoint to rebuild
//! snapshots; the narration reads it to name the sockets an event mentions by number.

use crate::vecmap::VecMap;

use super::event::EventKind;
use super::net::HostId;
use super::snapshot::{ProcessView, SocketRow};
use super::socket::{Pid, SockId};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tables {
    sockets: Vec<VecMap<SockId, SocketRow>>,
    processes: VecMap<Pid, ProcessView>,
}

fn row_mut(t: &mut Tables, host: HostId, sock: SockId) -> Option<&mut SocketRow> {
    t.sockets.get_mut(host.0).and_then(|t| t.get_mut(&sock))
}

impl Tables {
    pub fn new(hosts: usize) -> Tables {
        Tables {
            sockets: vec![VecMap::new(); hosts],
            processes: VecMap::new(),
        }
    }

    pub fn row(&self, host: HostId, sock: SockId) -> Option<&SocketRow> {
        self.sockets.get(host.0).and_then(|t| t.get(&sock))
    }

    pub fn process(&self, pid: Pid) -> Option<&ProcessView> {
        self.processes.get(&pid)
    }

    /// A host's sockets, in the order they were made.
    pub fn sockets_of(&self, host: HostId) -> impl Iterator<Item = &SocketRow> {
        self.sockets
            .get(host.0)
            .into_iter()
            .flat_map(|t| t.values())
    }

    pub fn processes_of(&self, host: HostId) -> impl Iterator<Item = &ProcessView> {
        self.processes.values().filter(move |p| p.pid.host == host)
    }

    /// Apply what an event changes in the tables (most events change nothing here).
    pub fn apply(&mut self, kind: &EventKind) {
        self.made(kind);
        self.changed(kind);
    }

    /// A process starts or exits; a socket is made or accepted.
    fn made(&mut self, kind: &EventKind) {
        match kind {
            EventKind::ProcessStarted {
                pid,
                name,
                command,
                kind,
            } => {
                self.processes.insert(
                    *pid,
                    ProcessView {
                        pid: *pid,
                        name: name.clone(),
                        command: command.clone(),
                        kind: *kind,
                    },
                );
            }
            EventKind::ProcessExited { pid } => {
                self.processes.remove(pid);
            }
            EventKind::SocketCreated {
                host,
                sock,
                proto,
                owner,
                state,
                local,
                remote,
            } => {
                let process = owner.and_then(|(pid, _)| self.processes.get(&pid)).cloned();
                if let Some(table) = self.sockets.get_mut(host.0) {
                    table.insert(
                        *sock,
                        SocketRow {
                            sock: *sock,
                            fd: owner.map(|(_, fd)| fd),
                            pid: owner.map(|(pid, _)| pid),
                            process: process.as_ref().map(|p| p.name.clone()),
                            command: process.map(|p| p.command),
                            proto: *proto,
                            local: *local,
                            remote: *remote,
                            state: *state,
                            recv_q: 0,
                            send_q: 0,
                        },
                    );
                }
            }
            EventKind::Accepted {
                host,
                sock,
                pid,
                fd,
                ..
            }
            | EventKind::Forked {
                host,
                sock,
                child: pid,
                fd,
                ..
            } => {
                let process = self.processes.get(pid).cloned();
                if let Some(r) = row_mut(self, *host, *sock) {
                    r.fd = Some(*fd);
                    r.pid = Some(*pid);
                    r.process = process.as_ref().map(|p| p.name.clone());
                    r.command = process.map(|p| p.command);
                }
            }
            _ => {}
        }
    }

    /// A socket's addresses, state or queues change, or it goes.
    fn changed(&mut self, kind: &EventKind) {
        match kind {
            EventKind::Bound {
                host, sock, local, ..
            } => {
                if let Some(r) = row_mut(self, *host, *sock) {
                    r.local = Some(*local);
                }
            }
            EventKind::Connecting {
                host,
                sock,
                local,
                remote,
            } => {
                if let Some(r) = row_mut(self, *host, *sock) {
                    r.local = Some(*local);
                    r.remote = Some(*remote);
                }
            }
            EventKind::StateChanged { host, sock, to, .. } => {
                if let Some(r) = row_mut(self, *host, *sock) {
                    r.state = *to;
                }
            }
            EventKind::Queues {
                host,
                sock,
                recv_q,
                send_q,
            } => {
                if let Some(r) = row_mut(self, *host, *sock) {
                    r.recv_q = *recv_q;
                    r.send_q = *send_q;
                }
            }
            EventKind::FdClosed { host, sock, .. } => {
                if let Some(r) = row_mut(self, *host, *sock) {
                    r.fd = None;
                    r.pid = None;
                    r.process = None;
                    r.command = None;
                }
            }
            EventKind::SocketClosed { host, sock } => {
                if let Some(table) = self.sockets.get_mut(host.0) {
                    table.remove(sock);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddrV4;

    use super::*;
    use crate::engine::program::AppKind;
    use crate::engine::socket::{Proto, SockState};

    #[test]
    fn a_socket_row_follows_its_events_and_leaves_with_the_last() {
        let (host, sock) = (HostId(0), SockId(7));
        let pid = Pid { host, pid: 1000 };
        let local: SocketAddrV4 = "192.168.1.102:8099".parse().unwrap();
        let mut t = Tables::new(1);
        t.apply(&EventKind::ProcessStarted {
            pid,
            name: "Node.js server".into(),
            command: "node".into(),
            kind: Some(AppKind::NodeServer),
        });
        t.apply(&EventKind::SocketCreated {
            host,
            sock,
            proto: Proto::Tcp,
            owner: Some((pid, 3)),
            state: SockState::Fresh,
            local: None,
            remote: None,
        });
        t.apply(&EventKind::Bound {
            host,
            sock,
            local,
            picked: false,
        });
        t.apply(&EventKind::StateChanged {
            host,
            sock,
            from: SockState::Fresh,
            to: SockState::Listen,
        });
        let row = t.row(host, sock).expect("the row");
        assert_eq!(
            (row.local, row.state, row.fd, row.process.as_deref()),
            (
                Some(local),
                SockState::Listen,
                Some(3),
                Some("Node.js server")
            )
        );
        t.apply(&EventKind::FdClosed {
            host,
            sock,
            pid,
            fd: 3,
        });
        assert_eq!(
            t.row(host, sock).and_then(|r| r.fd),
            None,
            "no process holds it"
        );
        t.apply(&EventKind::SocketClosed { host, sock });
        assert!(t.row(host, sock).is_none());
        assert_eq!(t.processes_of(host).count(), 1);
    }
}
