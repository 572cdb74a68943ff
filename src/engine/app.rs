//! Simulated processes: the programs of the course (web browser, email client, curl, a mobile
//! app, a Node.js server, a web server, a mail server, MongoDB and its shell) and what they do
//! with their sockets. A server accepts each connection and answers each request; a client
//! connects, sends one request, reads the reply and closes.
//!
//! Processes only use the socket calls in `syscalls.rs`, as a real program would.

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddrV4;

use serde::{Deserialize, Serialize};

use super::event::EventKind;
use super::net::HostId;
use super::sim::{NetError, Sim};
use super::socket::{Fd, Pid, Proto, SockError, SockId, SockState, FIRST_FD};
use super::syscalls::Recv;
use super::time::Instant;

/// The programs the lessons use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AppKind {
    WebBrowser,
    EmailClient,
    Curl,
    MobileApp,
    NodeServer,
    WebServer,
    MailServer,
    MongoServer,
    MongoShell,
}

impl AppKind {
    /// What a learner calls it.
    pub fn name(self) -> &'static str {
        match self {
            AppKind::WebBrowser => "web browser",
            AppKind::EmailClient => "email client",
            AppKind::Curl => "curl",
            AppKind::MobileApp => "mobile app",
            AppKind::NodeServer => "Node.js server",
            AppKind::WebServer => "web server",
            AppKind::MailServer => "mail server",
            AppKind::MongoServer => "MongoDB server",
            AppKind::MongoShell => "mongo shell",
        }
    }

    /// The command name `ss -p` or `ps` would show.
    pub fn command(self) -> &'static str {
        match self {
            AppKind::WebBrowser => "firefox",
            AppKind::EmailClient => "thunderbird",
            AppKind::Curl => "curl",
            AppKind::MobileApp => "mobile-app",
            AppKind::NodeServer => "node",
            AppKind::WebServer => "nginx",
            AppKind::MailServer => "postfix",
            AppKind::MongoServer => "mongod",
            AppKind::MongoShell => "mongosh",
        }
    }

    pub fn protocol(self) -> Protocol {
        match self {
            AppKind::EmailClient | AppKind::MailServer => Protocol::MailStandIn,
            AppKind::MongoServer | AppKind::MongoShell => Protocol::MongoStandIn,
            _ => Protocol::Http,
        }
    }

    pub fn is_server(self) -> bool {
        matches!(
            self,
            AppKind::NodeServer | AppKind::WebServer | AppKind::MailServer | AppKind::MongoServer
        )
    }

    /// The port its server listens on by default.
    pub fn default_port(self) -> u16 {
        match self {
            AppKind::NodeServer => 8099,
            AppKind::WebServer | AppKind::WebBrowser | AppKind::Curl | AppKind::MobileApp => 80,
            AppKind::MailServer | AppKind::EmailClient => 587,
            AppKind::MongoServer | AppKind::MongoShell => 27017,
        }
    }
}

/// What the bytes on a connection say.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Protocol {
    /// Real HTTP/1.1 text.
    Http,
    /// A stand-in for mail submission: one SMTP-style command and one reply.
    MailStandIn,
    /// A stand-in for MongoDB: one JSON line each way (real MongoDB speaks a binary protocol).
    MongoStandIn,
}

impl Protocol {
    /// What the lessons say about it.
    pub fn label(self) -> &'static str {
        match self {
            Protocol::Http => "HTTP/1.1",
            Protocol::MailStandIn => "a stand-in for SMTP: one command, one reply",
            Protocol::MongoStandIn => {
                "a stand-in for MongoDB's binary protocol: one JSON line each way"
            }
        }
    }

    pub fn request(self, client: AppKind, server: SocketAddrV4) -> Vec<u8> {
        match self {
            Protocol::Http => {
                let agent = match client {
                    AppKind::Curl => "curl/8.5.0",
                    AppKind::MobileApp => "MobileApp/1.0 (Android 14)",
                    _ => "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
                };
                format!("GET / HTTP/1.1\r\nHost: {server}\r\nUser-Agent: {agent}\r\nAccept: */*\r\n\r\n").into_bytes()
            }
            Protocol::MailStandIn => b"EHLO client-pc.example\r\n".to_vec(),
            Protocol::MongoStandIn => b"{\"find\":\"students\",\"filter\":{}}\n".to_vec(),
        }
    }

    pub fn response(self, server: AppKind, local: SocketAddrV4) -> Vec<u8> {
        match self {
            Protocol::Http => {
                let body = format!(
                    "Hello from the {} on port {}!\n",
                    server.name(),
                    local.port()
                );
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: keep-alive\r\n\r\n{body}",
                    body.len()
                )
                .into_bytes()
            }
            Protocol::MailStandIn => b"250 mail.example greets client-pc.example\r\n".to_vec(),
            Protocol::MongoStandIn => {
                b"{\"cursor\":{\"firstBatch\":[{\"name\":\"Ada\"}]},\"ok\":1}\n".to_vec()
            }
        }
    }

    pub fn request_complete(self, buf: &[u8]) -> bool {
        match self {
            Protocol::Http => find(buf, b"\r\n\r\n").is_some(),
            Protocol::MailStandIn | Protocol::MongoStandIn => buf.ends_with(b"\n"),
        }
    }

    pub fn response_complete(self, buf: &[u8]) -> bool {
        match self {
            Protocol::Http => {
                let Some(end) = find(buf, b"\r\n\r\n") else {
                    return false;
                };
                let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
                let length = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .unwrap_or(0);
                buf.len() >= end + 4 + length
            }
            Protocol::MailStandIn | Protocol::MongoStandIn => buf.ends_with(b"\n"),
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// What a process does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "kebab-case")]
pub enum AppRole {
    /// Listen on `port` and answer every request.
    Server { port: u16, backlog: usize },
    /// Connect to `server` (from `local_port`, or an ephemeral port), send one request, read
    /// the reply, close.
    Client {
        server: SocketAddrV4,
        local_port: Option<u16>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppSpec {
    pub kind: AppKind,
    pub role: AppRole,
    /// When it starts (a server usually at 0).
    pub start: Instant,
}

impl AppSpec {
    pub fn server(kind: AppKind, port: u16) -> AppSpec {
        AppSpec {
            kind,
            role: AppRole::Server { port, backlog: 16 },
            start: Instant::ZERO,
        }
    }

    pub fn client(kind: AppKind, server: SocketAddrV4) -> AppSpec {
        AppSpec {
            kind,
            role: AppRole::Client {
                server,
                local_port: None,
            },
            start: Instant::ZERO,
        }
    }

    pub fn from_port(mut self, port: u16) -> AppSpec {
        if let AppRole::Client { local_port, .. } = &mut self.role {
            *local_port = Some(port);
        }
        self
    }

    pub fn at(mut self, start: Instant) -> AppSpec {
        self.start = start;
        self
    }
}

/// How a program is doing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AppStatus {
    /// Not started yet.
    Waiting,
    Running,
    /// A client that got its whole reply and closed.
    Done {
        reply: Vec<u8>,
    },
    /// A socket call failed and the program gave up (as `curl` prints "Connection refused").
    Failed(SockError),
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Conn {
    inbox: Vec<u8>,
    outbox: Vec<u8>,
    answered: bool,
}

#[derive(Clone, Debug)]
pub(crate) enum Behaviour {
    /// Makes no calls of its own: tests, lessons and the sandbox drive its sockets.
    Manual,
    Server {
        kind: AppKind,
        port: u16,
        backlog: usize,
        listen_fd: Option<Fd>,
        conns: BTreeMap<Fd, Conn>,
    },
    Client {
        kind: AppKind,
        server: SocketAddrV4,
        local_port: Option<u16>,
        fd: Option<Fd>,
        conn: Conn,
    },
}

/// A process on a host.
#[derive(Clone, Debug)]
pub struct Process {
    pub pid: Pid,
    pub name: String,
    pub command: String,
    pub kind: Option<AppKind>,
    pub(crate) fds: BTreeMap<Fd, SockId>,
    pub(crate) behaviour: Behaviour,
    status: AppStatus,
}

impl Process {
    pub fn status(&self) -> &AppStatus {
        &self.status
    }

    /// Descriptors and the sockets they name, in descriptor order.
    pub fn fds(&self) -> impl Iterator<Item = (Fd, SockId)> + '_ {
        self.fds.iter().map(|(f, s)| (*f, *s))
    }

    /// POSIX hands out the lowest free descriptor.
    pub(crate) fn lowest_free_fd(&self) -> Fd {
        match self.fds.last_key_value() {
            None => FIRST_FD,
            // No gaps below the highest: the next one up (the common case, and O(1)).
            Some((&last, _)) if self.fds.len() as u64 == u64::from(last - FIRST_FD) + 1 => last + 1,
            Some(_) => (FIRST_FD..)
                .find(|fd| !self.fds.contains_key(fd))
                .unwrap_or(FIRST_FD),
        }
    }
}

/// A process's start time came: a server starts listening, a client connects.
pub(crate) fn wake(sim: &mut Sim, pid: Pid) {
    let Some(process) = sim.processes.get_mut(&pid) else {
        return;
    };
    process.status = AppStatus::Running;
    // The behaviour is taken out while it runs, so it can make socket calls on the simulation;
    // the process itself (and its descriptor table) stays where the calls find it.
    let mut behaviour = std::mem::replace(&mut process.behaviour, Behaviour::Manual);
    let result = match &mut behaviour {
        Behaviour::Manual => Ok(()),
        Behaviour::Server {
            port,
            backlog,
            listen_fd,
            ..
        } => start_server(sim, pid, *port, *backlog, listen_fd),
        Behaviour::Client {
            server,
            local_port,
            fd,
            ..
        } => start_client(sim, pid, *server, *local_port, fd),
    };
    if let Some(process) = sim.processes.get_mut(&pid) {
        process.behaviour = behaviour;
        if let Err(e) = result {
            process.status = AppStatus::Failed(e);
        }
    }
}

/// Some of a process's sockets changed: let it act on them.
pub(crate) fn react(sim: &mut Sim, pid: Pid, socks: &BTreeSet<SockId>) {
    let Some(process) = sim.processes.get_mut(&pid) else {
        return;
    };
    if !matches!(process.status, AppStatus::Running) {
        return;
    }
    let mut behaviour = std::mem::replace(&mut process.behaviour, Behaviour::Manual);
    let outcome = match &mut behaviour {
        Behaviour::Manual => None,
        Behaviour::Server {
            kind,
            listen_fd,
            conns,
            ..
        } => {
            serve(sim, pid, *kind, *listen_fd, conns, socks);
            None
        }
        Behaviour::Client {
            kind,
            server,
            fd,
            conn,
            ..
        } => run_client(sim, pid, *kind, *server, fd, conn),
    };
    if let Some(process) = sim.processes.get_mut(&pid) {
        process.behaviour = behaviour;
        if let Some(status) = outcome {
            process.status = status;
        }
    }
}

fn start_server(
    sim: &mut Sim,
    pid: Pid,
    port: u16,
    backlog: usize,
    listen_fd: &mut Option<Fd>,
) -> Result<(), SockError> {
    let ip = sim.hosts[pid.host.0].spec.ip;
    let fd = sim.socket(pid, Proto::Tcp)?;
    *listen_fd = Some(fd);
    sim.bind(pid, fd, SocketAddrV4::new(ip, port))?;
    sim.listen(pid, fd, backlog)
}

fn start_client(
    sim: &mut Sim,
    pid: Pid,
    server: SocketAddrV4,
    local_port: Option<u16>,
    fd_slot: &mut Option<Fd>,
) -> Result<(), SockError> {
    let fd = sim.socket(pid, Proto::Tcp)?;
    *fd_slot = Some(fd);
    if let Some(port) = local_port {
        let ip = sim.hosts[pid.host.0].spec.ip;
        sim.bind(pid, fd, SocketAddrV4::new(ip, port))?;
    }
    sim.connect(pid, fd, server)
}

fn serve(
    sim: &mut Sim,
    pid: Pid,
    kind: AppKind,
    listen_fd: Option<Fd>,
    conns: &mut BTreeMap<Fd, Conn>,
    socks: &BTreeSet<SockId>,
) {
    let Some(listen_fd) = listen_fd else { return };
    let listener = sim.sock_of(pid, listen_fd);
    if listener.is_some_and(|l| socks.contains(&l)) {
        while let Ok(Some((fd, _peer))) = sim.accept(pid, listen_fd) {
            conns.insert(fd, Conn::default());
        }
    }
    let ready: Vec<Fd> = conns
        .keys()
        .copied()
        .filter(|fd| sim.sock_of(pid, *fd).is_some_and(|s| socks.contains(&s)))
        .collect();
    let protocol = kind.protocol();
    for fd in ready {
        let Some(conn) = conns.get_mut(&fd) else {
            continue;
        };
        let mut finished = false;
        loop {
            match sim.recv(pid, fd, 4096) {
                Ok(Recv::Data(bytes)) => conn.inbox.extend_from_slice(&bytes),
                Ok(Recv::WouldBlock) => break,
                Ok(Recv::Eof) | Err(_) => {
                    finished = true;
                    break;
                }
            }
        }
        if !conn.answered && protocol.request_complete(&conn.inbox) {
            conn.answered = true;
            let local = sim
                .socket_addrs(pid, fd)
                .and_then(|(l, _)| l)
                .unwrap_or(SocketAddrV4::new([0, 0, 0, 0].into(), 0));
            conn.outbox = protocol.response(kind, local);
        }
        flush(sim, pid, fd, &mut conn.outbox);
        if finished {
            // The client closed its side (or reset): close ours.
            let _ = sim.close(pid, fd);
            conns.remove(&fd);
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

fn run_client(
    sim: &mut Sim,
    pid: Pid,
    kind: AppKind,
    server: SocketAddrV4,
    fd: &mut Option<Fd>,
    conn: &mut Conn,
) -> Option<AppStatus> {
    let this_fd = (*fd)?;
    let protocol = kind.protocol();
    match sim.socket_state(pid, this_fd) {
        Some(SockState::Established | SockState::CloseWait) => {}
        Some(SockState::Closed) => {
            // The handshake failed: connect()'s error is waiting in SO_ERROR.
            let error = sim.take_error(pid, this_fd).ok().flatten();
            let _ = sim.close(pid, this_fd);
            *fd = None;
            return error.map(AppStatus::Failed);
        }
        _ => return None,
    }
    if !conn.answered {
        conn.answered = true;
        conn.outbox = protocol.request(kind, server);
    }
    flush(sim, pid, this_fd, &mut conn.outbox);
    loop {
        match sim.recv(pid, this_fd, 4096) {
            Ok(Recv::Data(bytes)) => conn.inbox.extend_from_slice(&bytes),
            Ok(Recv::WouldBlock) | Ok(Recv::Eof) => break,
            Err(e) => {
                let _ = sim.close(pid, this_fd);
                *fd = None;
                return Some(AppStatus::Failed(e));
            }
        }
    }
    if protocol.response_complete(&conn.inbox) {
        let _ = sim.close(pid, this_fd);
        *fd = None;
        return Some(AppStatus::Done {
            reply: std::mem::take(&mut conn.inbox),
        });
    }
    None
}

impl Sim {
    /// Start a program on a host: a server from its start time, a client at its start time.
    pub fn spawn(&mut self, host: HostId, spec: AppSpec) -> Result<Pid, NetError> {
        let behaviour = match spec.role {
            AppRole::Server { port, backlog } => Behaviour::Server {
                kind: spec.kind,
                port,
                backlog,
                listen_fd: None,
                conns: BTreeMap::new(),
            },
            AppRole::Client { server, local_port } => Behaviour::Client {
                kind: spec.kind,
                server,
                local_port,
                fd: None,
                conn: Conn::default(),
            },
        };
        let pid = self.add_process(
            host,
            spec.kind.name(),
            spec.kind.command(),
            Some(spec.kind),
            behaviour,
        )?;
        self.timers.insert((spec.start.max(self.now), pid));
        Ok(pid)
    }

    /// A process that makes no calls of its own: the caller makes them.
    pub fn spawn_manual(
        &mut self,
        host: HostId,
        name: &str,
        command: &str,
    ) -> Result<Pid, NetError> {
        let pid = self.add_process(host, name, command, None, Behaviour::Manual)?;
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
        behaviour: Behaviour,
    ) -> Result<Pid, NetError> {
        let h = self.host_index(host)?;
        let pid = Pid {
            host,
            pid: self.hosts[h].next_pid,
        };
        self.hosts[h].next_pid += 1;
        self.processes.insert(
            pid,
            Process {
                pid,
                name: name.to_string(),
                command: command.to_string(),
                kind,
                fds: BTreeMap::new(),
                behaviour,
                status: AppStatus::Waiting,
            },
        );
        self.emit(EventKind::ProcessStarted {
            pid,
            name: name.to_string(),
        });
        Ok(pid)
    }

    /// Every process, in pid order.
    pub fn processes(&self) -> impl Iterator<Item = &Process> {
        self.processes.values()
    }
}
