//! The programs of the course as data: which program (web browser, email client, curl, a
//! mobile app, a Node.js server, a web server, a mail server, MongoDB and its shell, a forking
//! server), the
//! protocol each speaks, the actions a scenario gives them and when, and a process's state.
//! What the programs do with their sockets is `app.rs`.

use crate::vecmap::VecMap;
use std::net::SocketAddrV4;

use serde::{Deserialize, Serialize};

use super::net::HostId;
use super::socket::{Fd, Pid, SockError, SockId, FIRST_FD};
use super::time::{Duration, Instant};

crate::engine::wire::wire_cases! {
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
        /// A web server that forks a process for each connection, as the slide draws it: Python's
        /// `socketserver.ForkingTCPServer` (an HTTP server with `ForkingMixIn`). Last, so that a
        /// recording's program numbers stay as they were.
        ForkingServer,
    }
}

/// Each program by the name a scenario file gives it (`program = "node-server"`).
pub const PROGRAMS: &[(&str, AppKind)] = &[
    ("web-browser", AppKind::WebBrowser),
    ("email-client", AppKind::EmailClient),
    ("curl", AppKind::Curl),
    ("mobile-app", AppKind::MobileApp),
    ("node-server", AppKind::NodeServer),
    ("web-server", AppKind::WebServer),
    ("mail-server", AppKind::MailServer),
    ("mongo-server", AppKind::MongoServer),
    ("mongo-shell", AppKind::MongoShell),
    ("forking-server", AppKind::ForkingServer),
];

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
            AppKind::ForkingServer => "forking server",
        }
    }

    /// The backlog the program asks listen() for when it is not told one: Node.js and nginx
    /// ask for 511, mongod for SOMAXCONN, Postfix for 100; clients do not listen.
    pub fn default_backlog(self) -> usize {
        match self {
            AppKind::NodeServer | AppKind::WebServer => 511,
            AppKind::MongoServer => 4096,
            AppKind::MailServer => 100,
            // socketserver.TCPServer.request_queue_size
            AppKind::ForkingServer => 5,
            _ => 128,
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
            AppKind::ForkingServer => "python3",
        }
    }

    pub fn protocol(self) -> Protocol {
        match self {
            AppKind::EmailClient | AppKind::MailServer => Protocol::MailStandIn,
            AppKind::MongoServer | AppKind::MongoShell => Protocol::MongoStandIn,
            _ => Protocol::Http,
        }
    }

    /// A server that forks a child process for each connection it accepts: the child serves
    /// it and exits; the parent only accepts.
    pub fn forks(self) -> bool {
        matches!(self, AppKind::ForkingServer)
    }

    /// A one-shot command (curl) exits when it has its reply; browsers and apps keep running.
    pub fn exits_when_done(self) -> bool {
        matches!(self, AppKind::Curl)
    }

    /// The port its server listens on by default.
    pub fn default_port(self) -> u16 {
        match self {
            AppKind::NodeServer | AppKind::ForkingServer => 8099,
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

    /// The server's answer to `request`, and whether the server closes the connection once it
    /// is sent.
    pub fn response(self, server: AppKind, local: SocketAddrV4, request: &[u8]) -> Reply {
        let keep = |bytes: Vec<u8>| Reply {
            bytes,
            close: false,
        };
        match self {
            Protocol::Http => {
                let body = format!(
                    "Hello from the {} on port {}!\n",
                    server.name(),
                    local.port()
                );
                // Python's http.server answers in HTTP/1.0 and closes the connection: the
                // child that served it then exits.
                if server == AppKind::ForkingServer {
                    return Reply {
                        bytes: format!(
                            "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{body}",
                            body.len()
                        )
                        .into_bytes(),
                        close: true,
                    };
                }
                keep(format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: keep-alive\r\n\r\n{body}",
                    body.len()
                )
                .into_bytes())
            }
            Protocol::MailStandIn => keep(b"250 mail.example greets client-pc.example\r\n".to_vec()),
            // A browser on MongoDB's port: mongod finds "GET " where a message's header was
            // due, answers in HTTP/1.0 what real mongod answers, word for word (4.0's bytes, as
            // nmap's fingerprint records them), and closes the connection with the rest of the
            // request unread.
            Protocol::MongoStandIn if is_http_request(request) => Reply {
                bytes: format!(
                    "HTTP/1.0 200 OK\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{MONGOD_HTTP_ANSWER}",
                    MONGOD_HTTP_ANSWER.len()
                )
                .into_bytes(),
                close: true,
            },
            Protocol::MongoStandIn => keep(
                b"{\"cursor\":{\"firstBatch\":[{\"name\":\"Ada\"}]},\"ok\":1}\n".to_vec(),
            ),
        }
    }

    /// How many bytes the server reads first, when it reads a fixed-size header before the
    /// rest: a MongoDB message starts with 16 (its length, id, reply-to id and opcode).
    pub fn header_len(self) -> Option<usize> {
        match self {
            Protocol::MongoStandIn => Some(16),
            _ => None,
        }
    }

    pub fn request_complete(self, buf: &[u8]) -> bool {
        match self {
            Protocol::Http => find(buf, b"\r\n\r\n").is_some(),
            // mongod decides on the header alone when it is an HTTP request.
            Protocol::MongoStandIn if buf.len() >= 16 && is_http_request(buf) => true,
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

/// What mongod answers an HTTP request on its own port (its body, with the line's end).
pub const MONGOD_HTTP_ANSWER: &str =
    "It looks like you are trying to access MongoDB over HTTP on the native driver port.\r\n";

/// A server's answer to one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub bytes: Vec<u8>,
    /// The server closes the connection once the answer is sent.
    pub close: bool,
}

/// Whether `request` starts as an HTTP request does: a method, a space and a path.
fn is_http_request(request: &[u8]) -> bool {
    [
        "GET /",
        "HEAD /",
        "POST /",
        "PUT /",
        "DELETE /",
        "OPTIONS /",
    ]
    .iter()
    .any(|m| request.starts_with(m.as_bytes()))
}

/// Where `needle` first starts in `haystack`.
pub(crate) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Something a program does with its sockets, as a scenario or a lesson scripts it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// socket(), bind() to this host's address and `port`, listen(`backlog`). From then on the
    /// program accepts every connection and answers every request it understands.
    Listen { port: u16, backlog: usize },
    /// socket(), bind() to `from_port` if given, connect() to `to`. With `auto`, the program
    /// then sends its usual request, reads the whole reply and closes; with `keep_alive` too,
    /// it keeps the connection open after the reply (a browser's HTTP keep-alive) and closes
    /// once the server has closed its side.
    Connect {
        to: SocketAddrV4,
        from_port: Option<u16>,
        auto: bool,
        keep_alive: bool,
    },
    /// send() on the program's connection (its client connection, else its newest accepted one).
    Send { data: Vec<u8> },
    /// close() the program's connection (as for `Send`), or its listener when it has none.
    Close,
}

/// When a scheduled action runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    At(Instant),
    /// `delay` after `process` first reaches `milestone`.
    After {
        process: Pid,
        milestone: Milestone,
        delay: Duration,
    },
}

/// What a program has got to, for actions that wait for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Milestone {
    /// Its listen() succeeded.
    Listening,
    /// Its connection's handshake finished.
    Connected,
    /// It read a whole reply.
    Replied,
    /// It closed its connection.
    Closed,
    /// A socket call failed.
    Failed,
}

/// What a process does: the course's two roles.
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

/// A program and its role, started at `start`: a shorthand for spawning it and scheduling its
/// `Listen` or `Connect` action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppSpec {
    pub kind: AppKind,
    pub role: AppRole,
    pub start: Instant,
}

impl AppSpec {
    pub fn server(kind: AppKind, port: u16) -> AppSpec {
        AppSpec {
            kind,
            role: AppRole::Server {
                port,
                backlog: kind.default_backlog(),
            },
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
    /// Nothing done yet.
    Idle,
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
    pub(crate) inbox: Vec<u8>,
    pub(crate) outbox: Vec<u8>,
    pub(crate) answered: bool,
    /// Close the connection once the outbox is sent (the answer said so).
    pub(crate) close_when_sent: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct ServerPart {
    /// None in a forked child, which serves the one connection it inherited.
    pub(crate) listen_fd: Option<Fd>,
    pub(crate) conns: VecMap<Fd, Conn>,
}

#[derive(Clone, Debug)]
pub(crate) struct ClientPart {
    pub(crate) fd: Fd,
    pub(crate) server: SocketAddrV4,
    pub(crate) auto: bool,
    pub(crate) keep_alive: bool,
    /// It has its reply (and, kept alive, waits for the server to close).
    pub(crate) replied: bool,
    pub(crate) conn: Conn,
}

/// The first pid a host hands out; each process after gets the next.
pub const FIRST_PID: u32 = 1000;

/// Every process the simulation started, by host and then pid. A host hands out pids in
/// order from [`FIRST_PID`] and a process stays (its status readable) after it exits, so a
/// process is found at its index rather than searched for: a system call looks up its
/// process, and a busy scene starts thousands.
#[derive(Clone, Debug, Default)]
pub(crate) struct Processes {
    by_host: Vec<Vec<Process>>,
}

impl Processes {
    fn place(pid: &Pid) -> Option<(usize, usize)> {
        let i = pid.pid.checked_sub(FIRST_PID)?;
        Some((pid.host.0, usize::try_from(i).ok()?))
    }

    pub fn get(&self, pid: &Pid) -> Option<&Process> {
        let (h, i) = Self::place(pid)?;
        self.by_host.get(h)?.get(i)
    }

    pub fn get_mut(&mut self, pid: &Pid) -> Option<&mut Process> {
        let (h, i) = Self::place(pid)?;
        self.by_host.get_mut(h)?.get_mut(i)
    }

    pub fn contains_key(&self, pid: &Pid) -> bool {
        self.get(pid).is_some()
    }

    /// Add the process its host started last (its pid is the host's next). False, and
    /// nothing added, for any other pid.
    pub fn insert(&mut self, process: Process) -> bool {
        let Some((h, i)) = Self::place(&process.pid) else {
            return false;
        };
        if self.by_host.len() <= h {
            self.by_host.resize_with(h + 1, Vec::new);
        }
        let list = &mut self.by_host[h];
        if i != list.len() {
            return false;
        }
        list.push(process);
        true
    }

    /// The processes on one host, in pid order.
    pub fn on_host(&self, host: HostId) -> impl Iterator<Item = &Process> {
        self.by_host.get(host.0).into_iter().flatten()
    }

    /// Every process, in pid order (host by host).
    pub fn values(&self) -> impl Iterator<Item = &Process> {
        self.by_host.iter().flatten()
    }
}

/// A process on a host.
/// The privileged user: the one who may bind any port.
pub const ROOT: &str = "root";

#[derive(Clone, Debug)]
pub struct Process {
    pub pid: Pid,
    pub name: String,
    /// Who started it: "root" (the default: a service the system starts) or a user's name.
    /// Only root binds a port an OS keeps for privileged processes.
    pub user: String,
    pub command: String,
    pub kind: Option<AppKind>,
    pub(crate) fds: VecMap<Fd, SockId>,
    pub(crate) server: Option<ServerPart>,
    /// Its client connections, oldest first: one for curl, one per tab for a browser.
    pub(crate) clients: Vec<ClientPart>,
    /// Whether its own code reacts to its sockets; a manual process leaves every call to the
    /// caller (tests, lessons, the sandbox).
    pub(crate) scripted: bool,
    pub(crate) status: AppStatus,
    pub(crate) milestones: VecMap<Milestone, Instant>,
    /// Actions scheduled for it that have not run yet.
    pub(crate) pending: usize,
    pub(crate) exited: bool,
}

impl Process {
    /// How an error names it: `process`, its name, and for a program of the course's also
    /// `program`, its kind as a scenario file writes it (`node-server`), for the view to say.
    pub(crate) fn named(&self) -> Vec<(&'static str, String)> {
        let mut args = vec![("process", self.name.clone())];
        if let Some(kind) = self.kind {
            let id = PROGRAMS.iter().find(|(_, k)| *k == kind);
            args.extend(id.map(|(id, _)| ("program", id.to_string())));
        }
        args
    }

    pub fn status(&self) -> &AppStatus {
        &self.status
    }

    /// Whether it has exited (a one-shot command that finished). Its status stays readable.
    pub fn exited(&self) -> bool {
        self.exited
    }

    /// When it first reached each milestone.
    pub fn milestones(&self) -> &VecMap<Milestone, Instant> {
        &self.milestones
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
