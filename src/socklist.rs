//! A learner's own socket list, pasted: the output of `ss -tan` (with `-p`, with `-u` and
//! its Netid column), `netstat -an` as Linux, macOS and Windows print it (`-ano` with its PID),
//! `lsof -i` and PowerShell's `Get-NetTCPConnection`, read line by line into the course's rows:
//! protocol, local address and port, peer address and port (none for a listener or an unbound
//! UDP socket), state, and the owning process when the tool says it. Which tool wrote it is
//! told from its header, or from the lines themselves when the header was not pasted. A line
//! that is none of these is kept, with its number, as one that could not be read (the page
//! shows it as such); a section that lists no internet sockets (netstat's UNIX domain
//! sockets) is kept as skipped. Nothing here panics, whatever is pasted (`tests/socklist.rs`).

use crate::engine::socket::SockState;

/// The most text read: a busy server's list is a few hundred KB; more is cut, and said.
pub const MOST_BYTES: usize = 1 << 20;

/// The tool whose output a list is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tool {
    /// `ss -tan`, `-tanp`, `-tuanp` (Linux's iproute2).
    Ss,
    /// `netstat -an` on Linux (net-tools), `-tanp` too.
    NetstatLinux,
    /// `netstat -an` on macOS and the BSDs: a port after the address's last dot.
    NetstatMac,
    /// `netstat -an` or `-ano` on Windows.
    NetstatWindows,
    /// `lsof -i` (macOS, Linux).
    Lsof,
    /// PowerShell's `Get-NetTCPConnection`.
    PowerShell,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Proto {
    Tcp,
    Udp,
}

/// One end of a socket: an address (`*` for any) and a port (`None` for any).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct End {
    pub addr: String,
    pub port: Option<u16>,
}

/// One socket, as the course's table shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The line it came from, from 1.
    pub line: usize,
    pub proto: Proto,
    pub local: End,
    /// `None` for a listener or a socket with no peer.
    pub peer: Option<End>,
    /// `None` for UDP, which has no state.
    pub state: Option<SockState>,
    /// The owning process, when the tool says it: its name (when given) and PID.
    pub process: Option<(Option<String>, u32)>,
}

/// Why a line is not a row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unread {
    /// Not a line of any tool this reads.
    Unreadable,
    /// A line of a section that lists no internet sockets (UNIX domain sockets).
    NotInternet,
}

/// A pasted list, read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Listing {
    pub tool: Option<Tool>,
    pub rows: Vec<Row>,
    /// The lines that are no row, by number (from 1), and why.
    pub unread: Vec<(usize, Unread)>,
    /// The text was longer than [`MOST_BYTES`]; only its beginning was read.
    pub cut: bool,
}

/// Read a pasted list.
pub fn read(text: &str) -> Listing {
    let mut end = text.len().min(MOST_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut out = Listing {
        cut: end < text.len(),
        ..Listing::default()
    };
    let mut tool = None;
    let mut unix = false;
    for (i, line) in text[..end].lines().enumerate() {
        let n = i + 1;
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.is_empty() {
            continue;
        }
        if let Some(t) = header(line) {
            tool = Some(t);
            unix = false;
            out.tool.get_or_insert(t);
            continue;
        }
        if line.starts_with("Active UNIX") {
            unix = true;
            continue;
        }
        if line.starts_with("Active ")
            || line.starts_with("Proto RefCnt")
            || words[0].starts_with("---")
        {
            continue;
        }
        if unix {
            out.unread.push((n, Unread::NotInternet));
            continue;
        }
        // The header's tool first, then any tool, for a list pasted without its header.
        let read = match tool.and_then(|t| row(t, &words, n)) {
            Some(r) => Some(r),
            None => TOOLS
                .iter()
                .find_map(|&t| row(t, &words, n).map(|r| (t, r)))
                .map(|(t, r)| {
                    out.tool.get_or_insert(t);
                    r
                }),
        };
        match read {
            Some(r) => out.rows.push(r),
            None => out.unread.push((n, Unread::Unreadable)),
        }
    }
    out
}

const TOOLS: [Tool; 6] = [
    Tool::Ss,
    Tool::NetstatLinux,
    Tool::NetstatWindows,
    Tool::NetstatMac,
    Tool::Lsof,
    Tool::PowerShell,
];

/// The tool a header line is of.
fn header(line: &str) -> Option<Tool> {
    let has = |w: &str| line.contains(w);
    if (has("State") && has("Recv-Q") && has("Peer Address"))
        || line.trim_start().starts_with("Netid")
    {
        Some(Tool::Ss)
    } else if has("Proto") && has("Recv-Q") && has("(state)") {
        Some(Tool::NetstatMac)
    } else if has("Proto") && has("Recv-Q") && has("Foreign Address") {
        Some(Tool::NetstatLinux)
    } else if has("Proto") && has("Local Address") && has("Foreign Address") {
        Some(Tool::NetstatWindows)
    } else if has("COMMAND") && has("PID") && has("NAME") {
        Some(Tool::Lsof)
    } else if has("LocalAddress") && has("LocalPort") {
        Some(Tool::PowerShell)
    } else {
        None
    }
}

/// A line of `tool`'s output as a row, if it is one.
fn row(tool: Tool, w: &[&str], line: usize) -> Option<Row> {
    match tool {
        Tool::Ss => {
            // [Netid] State Recv-Q Send-Q Local Peer [Process]
            let (proto, rest) = match proto_of(w.first()?) {
                Some(p) => (p, &w[1..]),
                None => (Proto::Tcp, w),
            };
            let [state, recv, send, local, peer, process @ ..] = rest else {
                return None;
            };
            numbers(&[recv, send])?;
            let state = state_of(state)?;
            made(
                line,
                proto,
                colon_end(local)?,
                Some(colon_end(peer)?),
                state,
                ss_process(&process.join(" ")),
            )
        }
        Tool::NetstatLinux => {
            // Proto Recv-Q Send-Q Local Foreign [State] [PID/Program]
            let [proto, recv, send, local, peer, rest @ ..] = w else {
                return None;
            };
            let proto = proto_of(proto)?;
            numbers(&[recv, send])?;
            let (state, process) = match (proto, rest) {
                (Proto::Tcp, [state, process @ ..]) => (state_of(state)?, process),
                (Proto::Udp, [state, process @ ..]) if state_of(state).is_some() => {
                    (state_of(state)?, process)
                }
                (Proto::Udp, process) => (None, process),
                _ => return None,
            };
            let process = process.first().and_then(|p| pid_program(p));
            made(
                line,
                proto,
                colon_end(local)?,
                Some(colon_end(peer)?),
                state,
                process,
            )
        }
        Tool::NetstatMac => {
            // Proto Recv-Q Send-Q Local Foreign [(state)]
            let [proto, recv, send, local, peer, rest @ ..] = w else {
                return None;
            };
            let proto = proto_of(proto)?;
            numbers(&[recv, send])?;
            let state = match rest.first() {
                Some(s) => state_of(s)?,
                None => None,
            };
            made(
                line,
                proto,
                dot_end(local)?,
                Some(dot_end(peer)?),
                state,
                None,
            )
        }
        Tool::NetstatWindows => {
            // Proto Local Foreign [State] [PID]
            let [proto, local, peer, rest @ ..] = w else {
                return None;
            };
            let proto = proto_of(proto)?;
            let (state, pid) = match (proto, rest) {
                (Proto::Tcp, [state]) => (state_of(state)?, None),
                (Proto::Tcp, [state, pid]) => (state_of(state)?, Some(pid.parse().ok()?)),
                (Proto::Udp, []) => (None, None),
                (Proto::Udp, [pid]) => (None, Some(pid.parse().ok()?)),
                _ => return None,
            };
            let process = pid.map(|p| (None, p));
            made(
                line,
                proto,
                colon_end(local)?,
                Some(colon_end(peer)?),
                state,
                process,
            )
        }
        Tool::Lsof => {
            // COMMAND PID USER FD TYPE DEVICE SIZE/OFF NODE NAME [(STATE)]
            let [command, pid, _user, _fd, kind, _device, _size, node, name, rest @ ..] = w else {
                return None;
            };
            if !kind.starts_with("IPv") {
                return None;
            }
            let proto = proto_of(node)?;
            let pid: u32 = pid.parse().ok()?;
            let (local, peer) = match name.split_once("->") {
                Some((l, p)) => (colon_end(l)?, Some(colon_end(p)?)),
                None => (colon_end(name)?, None),
            };
            let state = match rest.first() {
                Some(s) => state_of(s.trim_start_matches('(').trim_end_matches(')'))?,
                None => None,
            };
            made(
                line,
                proto,
                local,
                peer,
                state,
                Some((Some(command.to_string()), pid)),
            )
        }
        Tool::PowerShell => {
            // LocalAddress LocalPort RemoteAddress RemotePort State AppliedSetting OwningProcess
            let [local, lport, remote, rport, state, rest @ ..] = w else {
                return None;
            };
            // PowerShell says Bound for a TCP socket bound and not listening.
            let state = state_of(state)?.unwrap_or(SockState::Bound);
            let pid = rest.last().and_then(|p| p.parse().ok());
            let peer = End {
                addr: remote.to_string(),
                port: lport
                    .parse::<u16>()
                    .ok()
                    .and(rport.parse::<u16>().ok())
                    .filter(|p| *p != 0),
            };
            let local = End {
                addr: local.to_string(),
                port: Some(lport.parse().ok()?),
            };
            made(
                line,
                Proto::Tcp,
                local,
                Some(peer),
                Some(state),
                pid.map(|p| (None, p)),
            )
        }
    }
}

/// A row as every tool's lines make it: a peer that is "anyone" is no peer, and UDP has no
/// state.
fn made(
    line: usize,
    proto: Proto,
    local: End,
    peer: Option<End>,
    state: Option<SockState>,
    process: Option<(Option<String>, u32)>,
) -> Option<Row> {
    Some(Row {
        line,
        proto,
        local,
        peer: peer.and_then(some_peer),
        state: match proto {
            Proto::Tcp => state,
            Proto::Udp => None,
        },
        process,
    })
}

fn numbers(w: &[&&str]) -> Option<()> {
    w.iter().all(|n| n.parse::<u64>().is_ok()).then_some(())
}

fn proto_of(w: &str) -> Option<Proto> {
    match w.to_ascii_lowercase().as_str() {
        "tcp" | "tcp4" | "tcp6" | "tcp46" => Some(Proto::Tcp),
        "udp" | "udp4" | "udp6" | "udp46" => Some(Proto::Udp),
        _ => None,
    }
}

/// A state as any of the tools writes it (`ESTAB`, `ESTABLISHED`, `TIME_WAIT`, `TimeWait`,
/// `LISTENING`, …): `Some(None)` for UDP's "no state" (`UNCONN`, `Bound`), `None` if it is no
/// state at all.
fn state_of(w: &str) -> Option<Option<SockState>> {
    let k: String = w
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    Some(Some(match k.as_str() {
        "LISTEN" | "LISTENING" => SockState::Listen,
        "ESTAB" | "ESTABLISHED" => SockState::Established,
        "SYNSENT" => SockState::SynSent,
        "SYNRECV" | "SYNRECEIVED" => SockState::SynReceived,
        "FINWAIT1" => SockState::FinWait1,
        "FINWAIT2" => SockState::FinWait2,
        "CLOSEWAIT" => SockState::CloseWait,
        "CLOSING" => SockState::Closing,
        "LASTACK" => SockState::LastAck,
        "TIMEWAIT" => SockState::TimeWait,
        "CLOSE" | "CLOSED" => SockState::Closed,
        "UNCONN" | "BOUND" => return Some(None),
        _ => return None,
    }))
}

/// `address:port` (`127.0.0.1:8099`, `*:8099`, `[::]:22`, `:::80`, `0.0.0.0:*`,
/// `127.0.0.53%lo:53`): the port after the last colon.
fn colon_end(w: &str) -> Option<End> {
    let (addr, port) = w.rsplit_once(':')?;
    end(addr, port)
}

/// `address.port` (macOS: `192.168.1.5.52345`, `*.8099`, `*.*`).
fn dot_end(w: &str) -> Option<End> {
    let (addr, port) = w.rsplit_once('.')?;
    end(addr, port)
}

fn end(addr: &str, port: &str) -> Option<End> {
    let port = match port {
        "*" => None,
        p => Some(p.parse::<u16>().ok()?),
    };
    let addr = addr.trim_start_matches('[').trim_end_matches(']');
    let addr = addr.split('%').next().unwrap_or(addr);
    let addr = match addr {
        "" => "::",
        a => a,
    };
    (!addr.chars().any(char::is_whitespace)).then(|| End {
        addr: addr.to_string(),
        port,
    })
}

/// A peer, unless it is "anyone" (a listener's `0.0.0.0:*`, Windows' `0.0.0.0:0`).
fn some_peer(end: End) -> Option<End> {
    let zero =
        matches!(end.addr.as_str(), "0.0.0.0" | "::" | "*") && end.port.is_none_or(|p| p == 0);
    (!zero).then_some(end)
}

/// ss's `users:(("node",pid=1234,fd=18))`: the first process's name and PID.
fn ss_process(text: &str) -> Option<(Option<String>, u32)> {
    let inner = text.strip_prefix("users:((\"")?;
    let (name, rest) = inner.split_once('"')?;
    let pid = rest.split("pid=").nth(1)?;
    let pid: String = pid.chars().take_while(char::is_ascii_digit).collect();
    Some((Some(name.to_string()), pid.parse().ok()?))
}

/// netstat's `1234/node`.
fn pid_program(w: &str) -> Option<(Option<String>, u32)> {
    let (pid, name) = w.split_once('/')?;
    Some((Some(name.to_string()), pid.parse().ok()?))
}

/// What the course says about one row: each note one sentence on the page, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Note {
    /// A TCP socket that waits for connections on `port`, in the port's class (well-known,
    /// registered, dynamic); `every` when it listens on every address (`*`, `0.0.0.0`, `[::]`).
    Listens { port: u16, every: bool },
    /// A UDP socket bound to `port` with no peer: it takes datagrams from anyone.
    UdpBound { port: u16, every: bool },
    /// A connection a server here accepted: its own port is one that a listener in the list
    /// listens on, and the peer's port is the client's.
    Accepted { port: u16, peer_port: u16 },
    /// A connection made from here: from `port` (an ephemeral port, unless it is one a client
    /// chose), to a server's `peer_port`.
    Outgoing { port: u16, peer_port: u16 },
    /// What the state means for this socket (never LISTEN: [`Note::Listens`] says it).
    State(SockState),
    /// Both ends are this machine (127.0.0.1, ::1): it talks to itself.
    Loopback,
}

impl End {
    /// `*`, `0.0.0.0` or `::`: every address of the machine.
    pub fn is_every_address(&self) -> bool {
        matches!(self.addr.as_str(), "*" | "0.0.0.0" | "::" | "[::]")
    }
    fn is_loopback(&self) -> bool {
        let a = self.addr.as_str();
        a.starts_with("127.") || a == "::1" || a == "localhost" || a == "::ffff:127.0.0.1"
    }
}

/// The course's notes on each row of `listing`, in its order, knowing the rest of the list
/// (which ports listen).
pub fn explain(listing: &Listing) -> Vec<Vec<Note>> {
    use std::collections::HashSet;
    // The listeners' ports: on every address, or on one address.
    let mut every: HashSet<(Proto, u16)> = HashSet::new();
    let mut one: HashSet<(Proto, u16, &str)> = HashSet::new();
    for r in &listing.rows {
        let listens =
            r.peer.is_none() && (r.proto == Proto::Udp || r.state == Some(SockState::Listen));
        if let (true, Some(port)) = (listens, r.local.port) {
            match r.local.is_every_address() {
                true => every.insert((r.proto, port)),
                false => one.insert((r.proto, port, r.local.addr.as_str())),
            };
        }
    }
    listing
        .rows
        .iter()
        .map(|row| {
            let mut notes = Vec::new();
            let port = row.local.port.unwrap_or(0);
            let every_address = row.local.is_every_address();
            let Some(peer) = &row.peer else {
                match (row.proto, row.state) {
                    (Proto::Udp, _) => notes.push(Note::UdpBound {
                        port,
                        every: every_address,
                    }),
                    (Proto::Tcp, Some(SockState::Listen)) => notes.push(Note::Listens {
                        port,
                        every: every_address,
                    }),
                    // A TCP socket with no peer that does not listen (bound, or closed).
                    (Proto::Tcp, Some(state)) => notes.push(Note::State(state)),
                    (Proto::Tcp, None) => {}
                }
                return notes;
            };
            let peer_port = peer.port.unwrap_or(0);
            // A listener on this port (on this address, or on every address): the connection
            // was accepted from it. (On one machine, a client's port is never a listener's too.)
            let listened = every.contains(&(row.proto, port))
                || one.contains(&(row.proto, port, row.local.addr.as_str()));
            notes.push(if listened {
                Note::Accepted { port, peer_port }
            } else {
                Note::Outgoing { port, peer_port }
            });
            if let Some(state) = row.state {
                notes.push(Note::State(state));
            }
            if row.local.is_loopback() && peer.is_loopback() {
                notes.push(Note::Loopback);
            }
            notes
        })
        .collect()
}

/// The course's tables: the rows by their local address, in the order the list first shows
/// each (every address, `*`, is a table of its own), with each row's place in `listing.rows`.
pub fn tables(listing: &Listing) -> Vec<(String, Vec<usize>)> {
    let mut out: Vec<(String, Vec<usize>)> = Vec::new();
    let mut place: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, r) in listing.rows.iter().enumerate() {
        let addr = if r.local.is_every_address() {
            "*"
        } else {
            r.local.addr.as_str()
        };
        match place.get(addr) {
            Some(&n) => out[n].1.push(i),
            None => {
                place.insert(addr, out.len());
                out.push((addr.to_string(), vec![i]));
            }
        }
    }
    out
}
