//! Simulated processes: the programs of the course (web browser, email client, curl, a mobile
//! app, a Node.js server, a web server, a mail server, MongoDB and its shell) and what they do
//! with their sockets. A server accepts each connection and answers each request; a client
//! connects, sends one request, reads the reply and closes.
//!
//! Processes only use the socket calls in `syscalls.rs`, as a real program would.

use std::net::SocketAddrV4;

use super::event::EventKind;
use super::net::HostId;
use super::program::{
    Action, AppKind, AppRole, AppSpec, AppStatus, ClientPart, Conn, Milestone, Process, ServerPart,
    When, ROOT,
};
use super::sim::{NetError, Sim};
use super::socket::{Fd, Pid, Proto, SockError, SockId, SockState};
use super::syscalls::Recv;
use crate::vecmap::{VecMap, VecSet};

/// Run one action for a process now.
pub(crate) fn perform(sim: &mut Sim, pid: Pid, action: &Action) {
    let Some(process) = sim.processes.get_mut(&pid) else {
        return;
    };
    // A program that finished its work (a browser that loaded its page) runs again when it
    // opens another connection.
    let again = matches!(action, Action::Connect { .. })
        && matches!(process.status, AppStatus::Done { .. });
    if matches!(process.status, AppStatus::Idle) || again {
        process.status = AppStatus::Running;
    }
    let result = match action {
        Action::Listen { port, backlog } => start_server(sim, pid, *port, *backlog),
        Action::Connect {
            to,
            from_port,
            auto,
            keep_alive,
        } => start_client(sim, pid, *to, *from_port, (*auto, *keep_alive)),
        Action::Send { data } => match current_fd(sim, pid) {
            Some(fd) => sim.send(pid, fd, data).map(|_| {
                // A client that connected without its request (auto = false) has now sent one:
                // it reads the reply and closes, as it would have.
                if let Some(c) = sim
                    .processes
                    .get_mut(&pid)
                    .and_then(|p| p.clients.iter_mut().find(|c| c.fd == fd && !c.auto))
                {
                    c.auto = true;
                    c.conn.answered = true;
                }
            }),
            None => Ok(()),
        },
        Action::Close => close_current(sim, pid),
    };
    let listen_failed = result.is_err() && matches!(action, Action::Listen { .. });
    if let Err(e) = result {
        fail(sim, pid, e);
    }
    if listen_failed {
        // A server that cannot listen stops: Node.js (an unhandled 'error' event), nginx and
        // mongod print why and exit. It holds no socket by now (start_server closed it).
        exit_if_idle(sim, pid);
    }
    maybe_exit(sim, pid);
}

/// The process exits now, if it holds nothing and waits for nothing.
fn exit_if_idle(sim: &mut Sim, pid: Pid) {
    let Some(p) = sim.processes.get_mut(&pid) else {
        return;
    };
    let idle = p.clients.is_empty() && p.server.is_none() && p.fds.is_empty() && p.pending == 0;
    if p.exited || !idle || p.kind.is_none() {
        return;
    }
    p.exited = true;
    sim.emit(EventKind::ProcessExited { pid });
}

/// A one-shot command exits once it is finished, holds no socket and has nothing more to do.
fn maybe_exit(sim: &mut Sim, pid: Pid) {
    let Some(p) = sim.processes.get(&pid) else {
        return;
    };
    let finished = matches!(p.status, AppStatus::Done { .. } | AppStatus::Failed(_));
    if finished && p.kind.is_some_and(AppKind::exits_when_done) {
        exit_if_idle(sim, pid);
    }
}

/// Some of a process's sockets changed: let its code act on them.
pub(crate) fn react(sim: &mut Sim, pid: Pid, socks: &VecSet<SockId>) {
    let Some(process) = sim.processes.get_mut(&pid) else {
        return;
    };
    if !process.scripted || !matches!(process.status, AppStatus::Running) {
        return;
    }
    let kind = process.kind;
    // The parts are taken out while they run, so they can make socket calls on the simulation;
    // the process itself (and its descriptor table) stays where the calls find it.
    let mut server = process.server.take();
    let mut clients = std::mem::take(&mut process.clients);
    if let (Some(part), Some(kind)) = (&mut server, kind) {
        serve(sim, pid, kind, part, socks);
    }
    // Each of its client connections (a browser with two tabs has two), oldest first.
    let mut client_done = false;
    if let Some(kind) = kind {
        let mut i = 0;
        while i < clients.len() {
            let changed = sim
                .sock_of(pid, clients[i].fd)
                .is_some_and(|s| socks.contains(&s));
            let alone = clients.len() == 1;
            if changed && run_client(sim, pid, kind, &mut clients[i], alone) {
                clients.remove(i);
                client_done = true;
            } else {
                i += 1;
            }
        }
    }
    // A forked child whose connection is done exits (socketserver's child calls os._exit()).
    let child_done = server
        .as_ref()
        .is_some_and(|s| s.listen_fd.is_none() && s.conns.is_empty());
    if let Some(process) = sim.processes.get_mut(&pid) {
        process.server = server.filter(|_| !child_done);
        process.clients = clients;
    }
    if client_done {
        maybe_exit(sim, pid);
    }
    if child_done {
        exit_if_idle(sim, pid);
    }
}

impl Sim {
    /// fork() for the connection on `fd`: a child process of the same program, holding the
    /// connection's descriptor under the same number, which it serves; the parent closes its
    /// copy. (The table shows the end of it: the socket is the child's.) None, and nothing
    /// done, when the parent has no such descriptor.
    pub(crate) fn fork_for(&mut self, parent: Pid, fd: Fd) -> Option<Pid> {
        let p = self.processes.get(&parent)?;
        let (name, command, kind, user) =
            (p.name.clone(), p.command.clone(), p.kind, p.user.clone());
        let sock = p.fds.get(&fd).copied()?;
        let child = self
            .add_process(parent.host, &name, &command, kind, true)
            .ok()?;
        if let Some(p) = self.processes.get_mut(&parent) {
            p.fds.remove(&fd);
        }
        if let Some(c) = self.processes.get_mut(&child) {
            c.user = user;
            c.status = AppStatus::Running;
            c.fds.insert(fd, sock);
            let mut conns = VecMap::new();
            conns.insert(fd, Conn::default());
            c.server = Some(ServerPart {
                listen_fd: None,
                conns,
            });
        }
        self.set_owner(parent.host, sock, Some((child, fd)));
        self.emit(EventKind::Forked {
            host: parent.host,
            parent,
            child,
            sock,
            fd,
        });
        // What already waits on the connection (the request) is the child's to read.
        self.mark_dirty(child, sock);
        Some(child)
    }
}

fn fail(sim: &mut Sim, pid: Pid, error: SockError) {
    if let Some(p) = sim.processes.get_mut(&pid) {
        p.status = AppStatus::Failed(error);
    }
    sim.reached(pid, Milestone::Failed);
}

fn start_server(sim: &mut Sim, pid: Pid, port: u16, backlog: usize) -> Result<(), SockError> {
    let ip = sim.hosts[pid.host.0].spec.ip;
    let fd = sim.socket(pid, Proto::Tcp)?;
    let bound = sim
        .bind(pid, fd, SocketAddrV4::new(ip, port))
        .and_then(|_| sim.listen(pid, fd, backlog));
    if let Err(e) = bound {
        // A program whose listen() failed closes the socket it made, as Node.js does.
        let _ = sim.close(pid, fd);
        return Err(e);
    }
    if let Some(p) = sim.processes.get_mut(&pid) {
        p.server = Some(ServerPart {
            listen_fd: Some(fd),
            conns: VecMap::new(),
        });
    }
    sim.reached(pid, Milestone::Listening);
    Ok(())
}

fn start_client(
    sim: &mut Sim,
    pid: Pid,
    to: SocketAddrV4,
    from_port: Option<u16>,
    (auto, keep_alive): (bool, bool),
) -> Result<(), SockError> {
    let fd = sim.socket(pid, Proto::Tcp)?;
    let connected = match from_port {
        Some(port) => {
            let ip = sim.hosts[pid.host.0].spec.ip;
            sim.bind(pid, fd, SocketAddrV4::new(ip, port))
        }
        None => Ok(()),
    }
    .and_then(|_| sim.connect(pid, fd, to));
    if let Err(e) = connected {
        let _ = sim.close(pid, fd);
        return Err(e);
    }
    if let Some(p) = sim.processes.get_mut(&pid) {
        // Another connection of the same process (a second tab) is one more: the first goes on.
        p.clients.push(ClientPart {
            fd,
            server: to,
            auto,
            keep_alive,
            replied: false,
            conn: Conn::default(),
        });
    }
    Ok(())
}

/// The connection a `Send` or `Close` action means: the newest client connection, else the
/// newest accepted one.
fn current_fd(sim: &Sim, pid: Pid) -> Option<Fd> {
    let p = sim.processes.get(&pid)?;
    p.clients.last().map(|c| c.fd).or_else(|| {
        p.server
            .as_ref()
            .and_then(|s| s.conns.keys().next_back().copied())
    })
}

fn close_current(sim: &mut Sim, pid: Pid) -> Result<(), SockError> {
    let Some(p) = sim.processes.get_mut(&pid) else {
        return Ok(());
    };
    if let Some(mut client) = p.clients.pop() {
        let alone = p.clients.is_empty();
        sim.close(pid, client.fd)?;
        match client.replied {
            true => finish(sim, pid, &mut client, alone),
            false => sim.reached(pid, Milestone::Closed),
        }
        return Ok(());
    }
    if let Some(server) = &mut p.server {
        if let Some((&fd, _)) = server.conns.last_key_value() {
            server.conns.remove(&fd);
            sim.close(pid, fd)?;
            sim.reached(pid, Milestone::Closed);
            return Ok(());
        }
        let fd = server.listen_fd;
        p.server = None;
        if let Some(fd) = fd {
            sim.close(pid, fd)?;
        }
        sim.reached(pid, Milestone::Closed);
    }
    Ok(())
}

fn serve(sim: &mut Sim, pid: Pid, kind: AppKind, part: &mut ServerPart, socks: &VecSet<SockId>) {
    if let Some(listen_fd) = part.listen_fd {
        let listener = sim.sock_of(pid, listen_fd);
        if listener.is_some_and(|l| socks.contains(&l)) {
            while let Ok(Some((fd, _peer))) = sim.accept(pid, listen_fd) {
                match kind.forks() {
                    // fork(): the child serves the connection; the parent closes its copy
                    // and goes back to accept().
                    true => {
                        sim.fork_for(pid, fd);
                    }
                    false => {
                        part.conns.insert(fd, Conn::default());
                    }
                }
            }
        }
    }
    let ready: Vec<Fd> = part
        .conns
        .keys()
        .copied()
        .filter(|fd| sim.sock_of(pid, *fd).is_some_and(|s| socks.contains(&s)))
        .collect();
    let protocol = kind.protocol();
    for fd in ready {
        let Some(conn) = part.conns.get_mut(&fd) else {
            continue;
        };
        let mut finished = false;
        // A server that reads a header first (mongod: 16 bytes) looks at it before reading on.
        let header = protocol.header_len();
        loop {
            let want = match header {
                Some(n) if conn.inbox.len() < n => n - conn.inbox.len(),
                _ => 4096,
            };
            match sim.recv(pid, fd, want) {
                Ok(Recv::Data(bytes)) => conn.inbox.extend_from_slice(&bytes),
                Ok(Recv::WouldBlock) => break,
                Ok(Recv::Eof) | Err(_) => {
                    finished = true;
                    break;
                }
            }
            if header == Some(conn.inbox.len()) && protocol.request_complete(&conn.inbox) {
                break;
            }
        }
        if !conn.answered && protocol.request_complete(&conn.inbox) {
            conn.answered = true;
            let local = sim
                .socket_addrs(pid, fd)
                .and_then(|(l, _)| l)
                .unwrap_or(SocketAddrV4::new([0, 0, 0, 0].into(), 0));
            let reply = protocol.response(kind, local, &conn.inbox);
            conn.outbox = reply.bytes;
            conn.close_when_sent = reply.close;
        }
        flush(sim, pid, fd, &mut conn.outbox);
        if finished || (conn.close_when_sent && conn.outbox.is_empty()) {
            // The client closed its side (or reset), or the server's answer was its last
            // word: close ours.
            let _ = sim.close(pid, fd);
            part.conns.remove(&fd);
        }
    }
}

fn flush(sim: &mut Sim, pid: Pid, fd: Fd, outbox: &mut Vec<u8>) {
    if outbox.is_empty() {
        return;
    }
    if let Ok(n) = sim.send(pid, fd, outbox) {
        outbox.drain(..n);
    }
}

/// Drive a client connection. True once the client is finished with it. `alone`: it is the
/// process's only client connection, so its reply is the process's result; with others still
/// open (another tab), the process goes on running.
fn run_client(sim: &mut Sim, pid: Pid, kind: AppKind, part: &mut ClientPart, alone: bool) -> bool {
    let fd = part.fd;
    match sim.socket_state(pid, fd) {
        Some(SockState::Established | SockState::CloseWait) => {}
        Some(SockState::Closed) => {
            // The handshake failed (its error waits in SO_ERROR), or the connection was reset.
            let error = sim.take_error(pid, fd).ok().flatten();
            let _ = sim.close(pid, fd);
            match error {
                // A kept-alive connection reset after its reply: the reply stands.
                _ if part.replied => finish(sim, pid, part, alone),
                Some(e) => fail(sim, pid, e),
                None => sim.reached(pid, Milestone::Closed),
            }
            return true;
        }
        _ => return false,
    }
    if !sim
        .processes
        .get(&pid)
        .is_some_and(|p| p.milestones.contains_key(&Milestone::Connected))
    {
        sim.reached(pid, Milestone::Connected);
    }
    if !part.auto {
        return false;
    }
    let protocol = kind.protocol();
    if !part.conn.answered {
        part.conn.answered = true;
        part.conn.outbox = protocol.request(kind, part.server);
    }
    flush(sim, pid, fd, &mut part.conn.outbox);
    let mut eof = false;
    loop {
        match sim.recv(pid, fd, 4096) {
            Ok(Recv::Data(bytes)) => part.conn.inbox.extend_from_slice(&bytes),
            Ok(Recv::WouldBlock) => break,
            Ok(Recv::Eof) => {
                eof = true;
                break;
            }
            Err(e) => {
                let _ = sim.close(pid, fd);
                fail(sim, pid, e);
                return true;
            }
        }
    }
    if !part.replied && protocol.response_complete(&part.conn.inbox) {
        part.replied = true;
        if part.keep_alive {
            // It goes on running, the reply kept, until the server closes.
            sim.reached(pid, Milestone::Replied);
        } else {
            let _ = sim.close(pid, fd);
            let reply = std::mem::take(&mut part.conn.inbox);
            if let Some(p) = sim.processes.get_mut(&pid).filter(|_| alone) {
                p.status = AppStatus::Done { reply };
            }
            sim.reached(pid, Milestone::Replied);
            sim.reached(pid, Milestone::Closed);
            return true;
        }
    }
    if part.replied && eof {
        // Kept alive until the server closed its side (its idle timeout): close ours.
        let _ = sim.close(pid, fd);
        finish(sim, pid, part, alone);
        return true;
    }
    false
}

/// A kept-alive client connection, closed after its reply: the process is done with the reply.
fn finish(sim: &mut Sim, pid: Pid, part: &mut ClientPart, alone: bool) {
    let reply = std::mem::take(&mut part.conn.inbox);
    if let Some(p) = sim.processes.get_mut(&pid).filter(|_| alone) {
        p.status = AppStatus::Done { reply };
    }
    sim.reached(pid, Milestone::Closed);
}

impl Sim {
    /// Start a program on a host and schedule its role's first action at `spec.start`.
    pub fn spawn(&mut self, host: HostId, spec: AppSpec) -> Result<Pid, NetError> {
        let pid = self.spawn_program(host, spec.kind)?;
        let action = match spec.role {
            AppRole::Server { port, backlog } => Action::Listen { port, backlog },
            AppRole::Client { server, local_port } => Action::Connect {
                to: server,
                from_port: local_port,
                auto: true,
                keep_alive: false,
            },
        };
        self.schedule(pid, action, When::At(spec.start))?;
        Ok(pid)
    }

    /// Start a program that does nothing until an action is scheduled for it.
    pub fn spawn_program(&mut self, host: HostId, kind: AppKind) -> Result<Pid, NetError> {
        self.add_process(host, kind.name(), kind.command(), Some(kind), true)
    }

    /// Who runs process `pid`: root (as every process starts) or another user.
    pub fn set_user(&mut self, pid: Pid, user: &str) {
        if let Some(p) = self.processes.get_mut(&pid) {
            p.user = user.to_string();
        }
    }

    /// A process that makes no calls of its own: the caller makes them.
    pub fn spawn_manual(
        &mut self,
        host: HostId,
        name: &str,
        command: &str,
    ) -> Result<Pid, NetError> {
        let pid = self.add_process(host, name, command, None, false)?;
        if let Some(p) = self.processes.get_mut(&pid) {
            p.status = AppStatus::Running;
        }
        Ok(pid)
    }

    fn add_process(
        &mut self,
        host: HostId,
        name: &str,
        command: &str,
        kind: Option<AppKind>,
        scripted: bool,
    ) -> Result<Pid, NetError> {
        let h = self.host_index(host)?;
        let pid = Pid {
            host,
            pid: self.hosts[h].next_pid,
        };
        self.hosts[h].next_pid += 1;
        // The pid is the host's next, which is where the table puts it.
        let added = self.processes.insert(Process {
            pid,
            name: name.to_string(),
            user: ROOT.to_string(),
            command: command.to_string(),
            kind,
            fds: VecMap::new(),
            server: None,
            clients: Vec::new(),
            scripted,
            status: AppStatus::Idle,
            milestones: VecMap::new(),
            pending: 0,
            exited: false,
        });
        debug_assert!(added, "{pid:?} is its host's next pid");
        self.emit(EventKind::ProcessStarted {
            pid,
            name: name.to_string(),
            command: command.to_string(),
            kind,
        });
        Ok(pid)
    }

    /// Every process, in pid order.
    pub fn processes(&self) -> impl Iterator<Item = &Process> {
        self.processes.values()
    }

    /// A process reached a milestone: record the first time, and release the actions that
    /// were waiting for it.
    pub(crate) fn reached(&mut self, pid: Pid, milestone: Milestone) {
        let now = self.now();
        let Some(p) = self.processes.get_mut(&pid) else {
            return;
        };
        if p.milestones.contains_key(&milestone) {
            return;
        }
        p.milestones.insert(milestone, now);
        let mut released = Vec::new();
        self.agenda.waiting.retain(|w| {
            let matches = matches!(w.when, When::After { process, milestone: m, .. } if process == pid && m == milestone);
            if matches {
                released.push(w.clone());
            }
            !matches
        });
        for w in released {
            if let When::After { delay, .. } = w.when {
                // It moves from waiting to scheduled: still one pending action.
                if let Some(p) = self.processes.get_mut(&w.pid) {
                    p.pending = p.pending.saturating_sub(1);
                }
                self.enqueue(now + delay, w.pid, w.action);
            }
        }
    }
}
