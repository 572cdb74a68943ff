//! The BSD socket calls a process makes: `socket`, `bind`, `listen`, `accept`, `connect`,
//! `send`, `recv`, `shutdown`, `close`, and for UDP `send_to` and `recv_from`.
//!
//! They never block: `accept` and `recv` say "would block" instead, and `connect` starts the
//! handshake and returns; its outcome shows in the socket's state, or as the error its next
//! call returns. Every error is also recorded as an event, so the view can show it.

use std::net::{Ipv4Addr, SocketAddrV4};

use smoltcp::socket::udp;
use smoltcp::wire::{IpAddress, IpEndpoint};

use super::agenda::Deadline;
use super::event::EventKind;
use super::host::{Entry, Role, SOMAXCONN};
use super::net::HostId;
use super::program::{Process, ROOT};
use super::sim::Sim;
use super::socket::{Errno, Fd, Op, Pid, Proto, Shutdown, SockError, SockId, SockState, Why};
use super::stack::listen_endpoint;
use super::stack::MTU;
use super::time::Duration;

/// What `recv` found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recv {
    Data(Vec<u8>),
    /// The peer closed its side and every byte has been read.
    Eof,
    /// Nothing to read yet.
    WouldBlock,
}

impl Sim {
    /// Record an error returned to a process as an event, and return it.
    fn report<T>(
        &mut self,
        pid: Pid,
        fd: Option<Fd>,
        result: Result<T, SockError>,
    ) -> Result<T, SockError> {
        // A system call may have acted on the host's sockets: its next poll must look.
        if let Some(host) = self.hosts.get_mut(pid.host.0) {
            host.stir();
        }
        if let Err(error) = &result {
            let sock = fd.and_then(|fd| self.sock_of(pid, fd));
            self.emit(EventKind::ErrorReturned {
                pid,
                fd,
                sock,
                error: error.clone(),
            });
        }
        result
    }

    pub(crate) fn sock_of(&self, pid: Pid, fd: Fd) -> Option<SockId> {
        self.processes.get(&pid)?.fds.get(&fd).copied()
    }

    /// The host index and socket behind a descriptor.
    fn resolve(&self, op: Op, pid: Pid, fd: Fd) -> Result<(usize, SockId), SockError> {
        let process = self.processes.get(&pid).ok_or_else(|| {
            SockError::new(
                op,
                Errno::EBADF,
                Why::NoProcess,
                vec![("pid", pid.pid.to_string())],
            )
        })?;
        let sock = process.fds.get(&fd).copied().ok_or_else(|| {
            SockError::new(
                op,
                Errno::EBADF,
                Why::NoDescriptor,
                [process.named(), vec![("fd", fd.to_string())]].concat(),
            )
        })?;
        Ok((pid.host.0, sock))
    }

    fn entry(&self, h: usize, sock: SockId) -> &Entry {
        // resolve() only returns sockets that exist: a descriptor is removed with its socket.
        &self.hosts[h].entries[&sock]
    }

    /// The process and descriptor that hold a socket now (a forked child, after fork()).
    pub(crate) fn set_owner(&mut self, host: HostId, sock: SockId, owner: Option<(Pid, Fd)>) {
        if let Some(e) = self
            .hosts
            .get_mut(host.0)
            .and_then(|h| h.entries.get_mut(&sock))
        {
            e.owner = owner;
        }
    }

    fn entry_mut(&mut self, h: usize, sock: SockId) -> &mut Entry {
        self.hosts[h]
            .entries
            .get_mut(&sock)
            .expect("a descriptor always names a socket in the table")
    }

    /// Port `port` is in use on host `h`: the error says by whom (a process's descriptor, or a
    /// connection no process holds any more, in its state).
    fn port_in_use(&self, h: usize, op: Op, proto: Proto, port: u16) -> SockError {
        let host = &self.hosts[h];
        let user = host
            .bound
            .get(&(proto, port))
            .and_then(|id| host.entries.get(id))
            .or_else(|| {
                host.entries
                    .values()
                    .find(|e| e.proto == proto && e.local.is_some_and(|l| l.port() == port))
            });
        let port = ("port", port.to_string());
        let (why, args) = match user {
            Some(Entry {
                owner: Some((pid, fd)),
                ..
            }) => match self.processes.get(pid) {
                Some(p) => (
                    Why::PortInUseBy,
                    [vec![port], p.named(), vec![("fd", fd.to_string())]].concat(),
                ),
                None => (Why::PortInUse, vec![port]),
            },
            Some(e) => (
                Why::PortInUseByConnection,
                vec![port, ("state", e.state.to_string())],
            ),
            None => (Why::PortInUse, vec![port]),
        };
        SockError::new(op, Errno::EADDRINUSE, why, args)
    }

    fn take_pending(&mut self, h: usize, sock: SockId, op: Op) -> Result<(), SockError> {
        match self.entry_mut(h, sock).pending_error.take() {
            Some(mut e) => {
                e.op = op;
                Err(e)
            }
            None => Ok(()),
        }
    }

    /// Pick an ephemeral port for a socket on host `h`.
    fn ephemeral_port(
        &mut self,
        h: usize,
        op: Op,
        proto: Proto,
        dst: Option<SocketAddrV4>,
    ) -> Result<u16, SockError> {
        let host = &mut self.hosts[h];
        let range = host.ephemeral.profile().ephemeral_range();
        host.pick_ephemeral(proto, dst).ok_or_else(|| {
            SockError::new(
                op,
                Errno::EADDRNOTAVAIL,
                match dst {
                    Some(_) if proto == Proto::Tcp => Why::EphemeralPortsUsedToward,
                    _ => Why::EphemeralPortsUsed,
                },
                vec![
                    ("n", range.len().to_string()),
                    ("first", range.start().to_string()),
                    ("last", range.end().to_string()),
                    ("remote", dst.map(|d| d.to_string()).unwrap_or_default()),
                ],
            )
        })
    }

    // ---- socket() -------------------------------------------------------------------------------

    pub fn socket(&mut self, pid: Pid, proto: Proto) -> Result<Fd, SockError> {
        let result = self.socket_inner(pid, proto);
        self.report(pid, None, result)
    }

    fn socket_inner(&mut self, pid: Pid, proto: Proto) -> Result<Fd, SockError> {
        if !self.processes.contains_key(&pid) {
            return Err(SockError::new(
                Op::Socket,
                Errno::EBADF,
                Why::NoProcess,
                vec![("pid", pid.pid.to_string())],
            ));
        }
        let id = self.new_sock_id();
        let process = self.processes.get_mut(&pid).expect("checked above");
        let fd = process.lowest_free_fd();
        process.fds.insert(fd, id);
        let h = pid.host.0;
        self.hosts[h]
            .entries
            .insert(id, Entry::new(id, proto, Some((pid, fd))));
        self.emit(EventKind::SocketCreated {
            host: pid.host,
            sock: id,
            proto,
            owner: Some((pid, fd)),
            state: SockState::Fresh,
            local: None,
            remote: None,
        });
        Ok(fd)
    }

    // ---- bind() ---------------------------------------------------------------------------------

    /// Bind to an address of this host (or 0.0.0.0 for all of them) and a port; port 0 picks an
    /// ephemeral port.
    pub fn bind(&mut self, pid: Pid, fd: Fd, addr: SocketAddrV4) -> Result<(), SockError> {
        let result = self.bind_inner(Op::Bind, pid, fd, addr);
        self.report(pid, Some(fd), result)
    }

    /// Whether this socket may be bound to `addr`, in the order Linux checks (`__inet_bind`):
    /// the address one of the host's (or any), the port one this process may bind, and the
    /// socket not bound yet and fresh.
    fn may_bind(
        &self,
        op: Op,
        pid: Pid,
        sock: SockId,
        addr: SocketAddrV4,
    ) -> Result<(), SockError> {
        let h = pid.host.0;
        let host_ip = self.hosts[h].spec.ip;
        if !addr.ip().is_unspecified() && *addr.ip() != host_ip {
            return Err(SockError::new(
                op,
                Errno::EADDRNOTAVAIL,
                Why::NotHostAddress,
                vec![
                    ("ip", addr.ip().to_string()),
                    ("host", self.hosts[h].spec.name.clone()),
                    ("host_ip", host_ip.to_string()),
                ],
            ));
        }
        self.may_bind_port(op, pid, addr)?;
        let e = self.entry(h, sock);
        if let Some(local) = e.local {
            return Err(SockError::new(
                op,
                Errno::EINVAL,
                Why::AlreadyBound,
                vec![("local", local.to_string())],
            ));
        }
        if e.state != SockState::Fresh {
            return Err(SockError::new(
                op,
                Errno::EINVAL,
                Why::CannotBind,
                vec![("state", e.state.to_string())],
            ));
        }
        Ok(())
    }

    /// Whether this process may bind `addr`: on Linux a port below 1024 needs root (Linux checks
    /// this before whether the port is free: `__inet_bind`); see `OsProfile::privileged_below`.
    fn may_bind_port(&self, op: Op, pid: Pid, addr: SocketAddrV4) -> Result<(), SockError> {
        let profile = self.hosts[pid.host.0].ephemeral.profile();
        let Some(process) = self.processes.get(&pid) else {
            return Ok(());
        };
        let port = addr.port();
        match profile.privileged_below() {
            Some(first) if port != 0 && port < first && process.user != ROOT => {
                Err(SockError::new(
                    op,
                    Errno::EACCES,
                    Why::PrivilegedPort,
                    [
                        vec![("port", port.to_string()), ("first", first.to_string())],
                        vec![("user", process.user.clone())],
                        vec![("os", profile.name().to_string())],
                        process.named(),
                    ]
                    .concat(),
                ))
            }
            _ => Ok(()),
        }
    }

    fn bind_inner(
        &mut self,
        op: Op,
        pid: Pid,
        fd: Fd,
        addr: SocketAddrV4,
    ) -> Result<(), SockError> {
        let (h, sock) = self.resolve(op, pid, fd)?;
        self.may_bind(op, pid, sock, addr)?;
        let proto = self.entry(h, sock).proto;
        let port = match addr.port() {
            0 => self.ephemeral_port(h, op, proto, None)?,
            p if self.hosts[h].port_in_use(proto, p) => {
                return Err(self.port_in_use(h, op, proto, p));
            }
            p => p,
        };
        let local = SocketAddrV4::new(*addr.ip(), port);
        let picked = addr.port() == 0;
        let udp_buffers = self.config.udp_packets;
        let host = &mut self.hosts[h];
        let handle = match proto {
            Proto::Tcp => None,
            Proto::Udp => {
                let mut socket = udp::Socket::new(udp_buffer(udp_buffers), udp_buffer(udp_buffers));
                socket.bind(listen_endpoint(local)).map_err(|e| {
                    SockError::new(
                        op,
                        Errno::EINVAL,
                        Why::StackRefusedAddress,
                        vec![("why", e.to_string())],
                    )
                })?;
                host.bound.insert((Proto::Udp, port), sock);
                Some(host.stack.sockets.add(socket))
            }
        };
        host.use_port(proto, port, false);
        let e = host.entries.get_mut(&sock).expect("resolved above");
        e.local = Some(local);
        e.handle = handle;
        e.state = SockState::Bound;
        host.rewatch(sock);
        self.emit(EventKind::Bound {
            host: pid.host,
            sock,
            local,
            picked,
        });
        self.emit(EventKind::StateChanged {
            host: pid.host,
            sock,
            from: SockState::Fresh,
            to: SockState::Bound,
        });
        Ok(())
    }

    // ---- listen() -------------------------------------------------------------------------------

    pub fn listen(&mut self, pid: Pid, fd: Fd, backlog: usize) -> Result<(), SockError> {
        let result = self.listen_inner(pid, fd, backlog);
        self.sync_listeners(pid.host.0);
        self.report(pid, Some(fd), result)
    }

    fn listen_inner(&mut self, pid: Pid, fd: Fd, backlog: usize) -> Result<(), SockError> {
        // Linux (__sys_listen) caps the backlog at net.core.somaxconn.
        let backlog = backlog.min(SOMAXCONN);
        let op = Op::Listen;
        let (h, sock) = self.resolve(op, pid, fd)?;
        let e = self.entry(h, sock);
        if e.proto == Proto::Udp {
            return Err(SockError::new(
                op,
                Errno::EOPNOTSUPP,
                Why::UdpCannotListen,
                vec![],
            ));
        }
        match e.state {
            SockState::Listen => {
                if let Role::Listener { backlog: b, .. } = &mut self.entry_mut(h, sock).role {
                    *b = backlog.max(1);
                }
                return Ok(());
            }
            SockState::Fresh => {
                // Linux binds an unbound socket to an ephemeral port before it listens.
                self.bind_inner(op, pid, fd, SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0))?;
            }
            SockState::Bound => {}
            other => {
                return Err(SockError::new(
                    op,
                    Errno::EINVAL,
                    Why::CannotListen,
                    vec![("state", other.to_string())],
                ));
            }
        }
        let e = self.entry_mut(h, sock);
        let local = e.local.expect("a bound socket has a local address");
        e.role = Role::Listener {
            slot: None,
            backlog: backlog.max(1),
            queue: Default::default(),
        };
        e.state = SockState::Listen;
        self.hosts[h].bound.insert((Proto::Tcp, local.port()), sock);
        self.hosts[h].rewatch(sock);
        self.emit(EventKind::StateChanged {
            host: pid.host,
            sock,
            from: SockState::Bound,
            to: SockState::Listen,
        });
        self.hosts[h].refill_slot(sock, local);
        Ok(())
    }

    // ---- accept() -------------------------------------------------------------------------------

    /// Take the oldest established connection from the listener's queue: a new socket with a
    /// descriptor of its own. `None` when none is waiting.
    pub fn accept(&mut self, pid: Pid, fd: Fd) -> Result<Option<(Fd, SocketAddrV4)>, SockError> {
        let result = self.accept_inner(pid, fd);
        self.sync_listeners(pid.host.0);
        self.report(pid, Some(fd), result)
    }

    fn accept_inner(&mut self, pid: Pid, fd: Fd) -> Result<Option<(Fd, SocketAddrV4)>, SockError> {
        let op = Op::Accept;
        let (h, listener) = self.resolve(op, pid, fd)?;
        let host = &self.hosts[h];
        let Role::Listener { queue, slot, .. } = &host.entries[&listener].role else {
            return Err(SockError::new(op, Errno::EINVAL, Why::NotListening, vec![]));
        };
        let had_room = slot.is_some();
        // Like Linux, accept() hands out only connections whose handshake has finished.
        let ready = queue.iter().position(|q| {
            host.entries
                .get(q)
                .is_some_and(|c| matches!(c.state, SockState::Established | SockState::CloseWait))
        });
        let Some(index) = ready else { return Ok(None) };
        let Some(Entry {
            role: Role::Listener { queue, .. },
            local: Some(listen_addr),
            ..
        }) = self.hosts[h].entries.get_mut(&listener)
        else {
            return Ok(None);
        };
        let listen_addr = *listen_addr;
        let conn = queue.remove(index).expect("index from position()");
        let process = self.processes.get_mut(&pid).expect("resolved above");
        let new_fd = process.lowest_free_fd();
        process.fds.insert(new_fd, conn);
        let e = self.entry_mut(h, conn);
        e.owner = Some((pid, new_fd));
        e.role = Role::Plain;
        let remote = e.remote.expect("a queued connection has a peer");
        self.emit(EventKind::Accepted {
            host: pid.host,
            listener,
            sock: conn,
            pid,
            fd: new_fd,
        });
        if !had_room {
            self.hosts[h].refill_slot(listener, listen_addr);
        }
        Ok(Some((new_fd, remote)))
    }

    // ---- connect() ------------------------------------------------------------------------------

    /// Start connecting to `remote`. Returns once the SYN is on its way; the socket shows
    /// SYN-SENT, then ESTABLISHED, or its next call returns ECONNREFUSED or ETIMEDOUT.
    pub fn connect(&mut self, pid: Pid, fd: Fd, remote: SocketAddrV4) -> Result<(), SockError> {
        let result = self.connect_inner(pid, fd, remote);
        self.report(pid, Some(fd), result)
    }

    fn connect_inner(&mut self, pid: Pid, fd: Fd, remote: SocketAddrV4) -> Result<(), SockError> {
        let op = Op::Connect;
        let (h, sock) = self.resolve(op, pid, fd)?;
        let e = self.entry(h, sock);
        let (proto, state, bound) = (e.proto, e.state, e.local);
        if remote.port() == 0 || remote.ip().is_unspecified() || remote.ip().is_broadcast() {
            return Err(SockError::new(
                op,
                Errno::EINVAL,
                Why::NotConnectable,
                vec![("remote", remote.to_string())],
            ));
        }
        if proto == Proto::Udp {
            return self.connect_udp(pid, fd, (h, sock), bound.is_some(), remote);
        }
        self.may_connect(h, sock, state, remote)?;
        self.connect_tcp(pid, (h, sock), state, bound, remote)
    }

    /// connect() on a UDP socket only sets its peer (binding it first if need be).
    fn connect_udp(
        &mut self,
        pid: Pid,
        fd: Fd,
        (h, sock): (usize, SockId),
        bound: bool,
        remote: SocketAddrV4,
    ) -> Result<(), SockError> {
        if !bound {
            self.bind_inner(
                Op::Connect,
                pid,
                fd,
                SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0),
            )?;
        }
        let e = self.entry_mut(h, sock);
        e.remote = Some(remote);
        let local = e
            .local
            .unwrap_or(SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0));
        self.emit(EventKind::Connecting {
            host: pid.host,
            sock,
            local,
            remote,
        });
        Ok(())
    }

    /// Whether a TCP socket in `state` may connect, as Linux's inet_stream_connect decides.
    fn may_connect(
        &self,
        h: usize,
        sock: SockId,
        state: SockState,
        remote: SocketAddrV4,
    ) -> Result<(), SockError> {
        let op = Op::Connect;
        match state {
            SockState::Fresh | SockState::Bound => {}
            // Linux (inet_stream_connect): a socket that has left CLOSE, listening included,
            // is "already connected".
            SockState::Listen => {
                return Err(SockError::new(
                    op,
                    Errno::EISCONN,
                    Why::ListenerCannotConnect,
                    vec![],
                ))
            }
            SockState::SynSent | SockState::SynReceived => {
                return Err(SockError::new(
                    op,
                    Errno::EALREADY,
                    Why::AlreadyConnecting,
                    vec![("remote", remote.to_string())],
                ))
            }
            SockState::Closed => {
                return Err(SockError::new(
                    op,
                    Errno::EINVAL,
                    Why::ConnectionEnded,
                    vec![],
                ))
            }
            _ => {
                let peer = self
                    .entry(h, sock)
                    .remote
                    .map(|r| r.to_string())
                    .unwrap_or_default();
                return Err(SockError::new(
                    op,
                    Errno::EISCONN,
                    Why::AlreadyConnected,
                    vec![("peer", peer.to_string())],
                ));
            }
        }
        Ok(())
    }

    /// connect() on a TCP socket that may: pick the local address, make the smoltcp socket
    /// and send the SYN, and set the OS's deadline for an answer.
    fn connect_tcp(
        &mut self,
        pid: Pid,
        (h, sock): (usize, SockId),
        state: SockState,
        bound: Option<SocketAddrV4>,
        remote: SocketAddrV4,
    ) -> Result<(), SockError> {
        let host_ip = self.hosts[h].spec.ip;
        let (local, newly_bound) = match bound {
            Some(l) => (SocketAddrV4::new(host_ip, l.port()), false),
            None => (
                SocketAddrV4::new(
                    host_ip,
                    self.ephemeral_port(h, Op::Connect, Proto::Tcp, Some(remote))?,
                ),
                true,
            ),
        };
        if let Some(state) = self.hosts[h].connection_state(local, remote) {
            return Err(SockError::new(
                Op::Connect,
                Errno::EADDRNOTAVAIL,
                Why::ConnectionExists,
                vec![
                    ("local", local.to_string()),
                    ("remote", remote.to_string()),
                    ("state", state.to_string()),
                ],
            ));
        }
        let os = self.hosts[h].spec.os;
        let mut socket = self.hosts[h].new_tcp_socket();
        let host = &mut self.hosts[h];
        let remote_ep = IpEndpoint::new(IpAddress::Ipv4(*remote.ip()), remote.port());
        let local_ep = listen_endpoint(local);
        socket
            .connect(host.stack.iface.context(), remote_ep, local_ep)
            .map_err(|e| {
                SockError::new(
                    Op::Connect,
                    Errno::EINVAL,
                    Why::StackRefusedConnect,
                    vec![("why", e.to_string())],
                )
            })?;
        let handle = host.stack.sockets.add(socket);
        if newly_bound {
            host.use_port(Proto::Tcp, local.port(), true);
        }
        host.conns.insert((Proto::Tcp, local, remote), sock);
        let e = host.entries.get_mut(&sock).expect("resolved above");
        e.local = Some(local);
        e.remote = Some(remote);
        e.handle = Some(handle);
        e.shared_port = newly_bound;
        e.state = SockState::SynSent;
        host.rewatch(sock);
        if newly_bound {
            self.emit(EventKind::Bound {
                host: pid.host,
                sock,
                local,
                picked: true,
            });
        }
        self.emit(EventKind::Connecting {
            host: pid.host,
            sock,
            local,
            remote,
        });
        self.emit(EventKind::StateChanged {
            host: pid.host,
            sock,
            from: state,
            to: SockState::SynSent,
        });
        let at = self.now() + Duration::from_millis(os.connect_timeout_ms());
        self.set_deadline(at, Deadline::Connect { host: h, sock });
        Ok(())
    }

    // ---- send() and recv() ----------------------------------------------------------------------

    /// Queue bytes to send on a connected socket. Returns how many fitted in the send buffer.
    pub fn send(&mut self, pid: Pid, fd: Fd, data: &[u8]) -> Result<usize, SockError> {
        let result = self.send_inner(pid, fd, data);
        self.report(pid, Some(fd), result)
    }

    fn send_inner(&mut self, pid: Pid, fd: Fd, data: &[u8]) -> Result<usize, SockError> {
        let op = Op::Send;
        let (h, sock) = self.resolve(op, pid, fd)?;
        if self.entry(h, sock).proto == Proto::Udp {
            let Some(remote) = self.entry(h, sock).remote else {
                return Err(SockError::new(op, Errno::ENOTCONN, Why::UdpNoPeer, vec![]));
            };
            return self.send_to_inner(Op::Send, pid, fd, data, remote);
        }
        self.take_pending(h, sock, op)?;
        let e = self.entry(h, sock);
        if e.shut_write {
            return Err(SockError::new(
                op,
                Errno::EPIPE,
                Why::ShutDownForWriting,
                vec![],
            ));
        }
        match e.state {
            SockState::Established | SockState::CloseWait => {}
            // Linux (sk_stream_wait_connect): a socket still connecting makes a non-blocking
            // send() fail with EAGAIN; one that is not connecting at all, with EPIPE. (BSD and
            // macOS say ENOTCONN for the second.)
            SockState::SynSent | SockState::SynReceived => {
                return Err(SockError::new(
                    op,
                    Errno::EAGAIN,
                    Why::HandshakeUnfinished,
                    vec![],
                ))
            }
            SockState::Fresh | SockState::Bound | SockState::Listen => {
                return Err(SockError::new(op, Errno::EPIPE, Why::NowhereToSend, vec![]))
            }
            other => {
                return Err(SockError::new(
                    op,
                    Errno::EPIPE,
                    Why::Closing,
                    vec![("state", other.to_string())],
                ))
            }
        }
        let handle = e.handle.expect("a connected socket has a smoltcp socket");
        let n = self.hosts[h]
            .tcp_mut(handle)
            .send_slice(data)
            .map_err(|_| SockError::new(op, Errno::EPIPE, Why::CannotSend, vec![]))?;
        if n > 0 {
            self.emit(EventKind::DataSent {
                host: pid.host,
                sock,
                pid,
                fd,
                bytes: data[..n].to_vec(),
            });
            self.mark_dirty(pid, sock);
        }
        Ok(n)
    }

    /// Read up to `max` bytes from a connected socket.
    pub fn recv(&mut self, pid: Pid, fd: Fd, max: usize) -> Result<Recv, SockError> {
        let result = self.recv_inner(pid, fd, max);
        self.report(pid, Some(fd), result)
    }

    fn recv_inner(&mut self, pid: Pid, fd: Fd, max: usize) -> Result<Recv, SockError> {
        let op = Op::Recv;
        let (h, sock) = self.resolve(op, pid, fd)?;
        if self.entry(h, sock).proto == Proto::Udp {
            return Ok(match self.recv_from_inner(Op::Recv, pid, fd)? {
                Some((data, _)) => Recv::Data(data),
                None => Recv::WouldBlock,
            });
        }
        self.take_pending(h, sock, op)?;
        let e = self.entry(h, sock);
        if e.shut_read {
            return Ok(Recv::Eof);
        }
        let state = e.state;
        let Some(handle) = e
            .handle
            .filter(|_| state.is_connected() || state == SockState::Closed)
        else {
            return Err(SockError::new(
                op,
                Errno::ENOTCONN,
                Why::NotConnected,
                vec![],
            ));
        };
        let s = self.hosts[h].tcp_mut(handle);
        if s.can_recv() {
            let mut buffer = vec![0; max.min(s.recv_queue())];
            let n = s.recv_slice(&mut buffer).unwrap_or(0);
            buffer.truncate(n);
            // The table's Recv-Q follows at the next poll, as every queue change does.
            self.emit(EventKind::DataDelivered {
                host: pid.host,
                sock,
                pid,
                fd,
                bytes: buffer.clone(),
                from: None,
            });
            self.mark_dirty(pid, sock);
            return Ok(Recv::Data(buffer));
        }
        if !s.may_recv() && !matches!(state, SockState::SynSent | SockState::SynReceived) {
            return Ok(Recv::Eof);
        }
        Ok(Recv::WouldBlock)
    }

    // ---- shutdown() and close() -----------------------------------------------------------------

    pub fn shutdown(&mut self, pid: Pid, fd: Fd, how: Shutdown) -> Result<(), SockError> {
        let result = self.shutdown_inner(pid, fd, how);
        self.report(pid, Some(fd), result)
    }

    fn shutdown_inner(&mut self, pid: Pid, fd: Fd, how: Shutdown) -> Result<(), SockError> {
        let op = Op::Shutdown;
        let (h, sock) = self.resolve(op, pid, fd)?;
        let e = self.entry(h, sock);
        if e.proto == Proto::Tcp && !e.state.is_connected() {
            return Err(SockError::new(
                op,
                Errno::ENOTCONN,
                Why::NotConnected,
                vec![],
            ));
        }
        let (handle, proto) = (e.handle, e.proto);
        let e = self.entry_mut(h, sock);
        if matches!(how, Shutdown::Read | Shutdown::Both) {
            e.shut_read = true;
        }
        if matches!(how, Shutdown::Write | Shutdown::Both) && !e.shut_write {
            e.shut_write = true;
            if let (Proto::Tcp, Some(handle)) = (proto, handle) {
                // Sends FIN once everything queued has gone.
                self.hosts[h].tcp_mut(handle).close();
            }
        }
        self.mark_dirty(pid, sock);
        Ok(())
    }

    /// Release the descriptor. A connection then closes (FIN; RST if unread data is left, as
    /// Linux does) and stays in the table, with no process, until TCP is done with it.
    pub fn close(&mut self, pid: Pid, fd: Fd) -> Result<(), SockError> {
        let result = self.close_inner(pid, fd);
        self.report(pid, Some(fd), result)
    }

    fn close_inner(&mut self, pid: Pid, fd: Fd) -> Result<(), SockError> {
        let (h, sock) = self.resolve(Op::Close, pid, fd)?;
        if let Some(p) = self.processes.get_mut(&pid) {
            p.fds.remove(&fd);
        }
        let e = self.entry_mut(h, sock);
        e.owner = None;
        let (proto, state, handle) = (e.proto, e.state, e.handle);
        let is_listener = matches!(e.role, Role::Listener { .. });
        self.emit(EventKind::FdClosed {
            host: pid.host,
            sock,
            pid,
            fd,
        });
        match (proto, handle) {
            (Proto::Tcp, Some(handle)) if !is_listener && state != SockState::Closed => {
                // Unread data left behind: Linux resets rather than closes (smoltcp's buffer is
                // the truth; the table's Recv-Q follows it at the next poll).
                if self.hosts[h].tcp_mut(handle).recv_queue() > 0 {
                    // What the program wrote before closing left at its write() on Linux, before
                    // the RST; smoltcp sends at its next poll and its abort would drop it, so
                    // the host sends it now.
                    if self.hosts[h].tcp_mut(handle).send_queue() > 0 {
                        self.poll_host(h);
                    }
                    self.hosts[h].tcp_mut(handle).abort();
                } else {
                    self.hosts[h].tcp_mut(handle).close();
                }
            }
            _ => self.remove_entry(h, sock),
        }
        Ok(())
    }

    // ---- UDP ------------------------------------------------------------------------------------

    pub fn send_to(
        &mut self,
        pid: Pid,
        fd: Fd,
        data: &[u8],
        dst: SocketAddrV4,
    ) -> Result<usize, SockError> {
        let result = self.send_to_inner(Op::SendTo, pid, fd, data, dst);
        self.report(pid, Some(fd), result)
    }

    fn send_to_inner(
        &mut self,
        op: Op,
        pid: Pid,
        fd: Fd,
        data: &[u8],
        dst: SocketAddrV4,
    ) -> Result<usize, SockError> {
        let (h, sock) = self.resolve(op, pid, fd)?;
        if self.entry(h, sock).proto == Proto::Tcp {
            return Err(SockError::new(
                op,
                Errno::EOPNOTSUPP,
                Why::SendToIsForUdp,
                vec![],
            ));
        }
        if dst.port() == 0 || dst.ip().is_unspecified() {
            return Err(SockError::new(
                op,
                Errno::EINVAL,
                Why::NotDatagramAddress,
                vec![("remote", dst.to_string())],
            ));
        }
        if data.len() > MAX_UDP_PAYLOAD {
            return Err(SockError::new(
                op,
                Errno::EMSGSIZE,
                Why::TooBigForDatagram,
                vec![
                    ("bytes", data.len().to_string()),
                    ("max", MAX_UDP_PAYLOAD.to_string()),
                ],
            ));
        }
        if self.entry(h, sock).handle.is_none() {
            self.bind_inner(op, pid, fd, SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0))?;
        }
        let handle = self.entry(h, sock).handle.expect("bound above");
        let endpoint = IpEndpoint::new(IpAddress::Ipv4(*dst.ip()), dst.port());
        match self.hosts[h]
            .stack
            .sockets
            .get_mut::<udp::Socket>(handle)
            .send_slice(data, endpoint)
        {
            Ok(()) => {
                self.emit(EventKind::DataSent {
                    host: HostId(h),
                    sock,
                    pid,
                    fd,
                    bytes: data.to_vec(),
                });
                self.mark_dirty(pid, sock);
                Ok(data.len())
            }
            Err(udp::SendError::BufferFull) => Ok(0),
            Err(udp::SendError::Unaddressable) => Err(SockError::new(
                op,
                Errno::EINVAL,
                Why::Unreachable,
                vec![("remote", dst.to_string())],
            )),
        }
    }

    /// Read one datagram and who sent it; `None` when none is waiting.
    pub fn recv_from(
        &mut self,
        pid: Pid,
        fd: Fd,
    ) -> Result<Option<(Vec<u8>, SocketAddrV4)>, SockError> {
        let result = self.recv_from_inner(Op::RecvFrom, pid, fd);
        self.report(pid, Some(fd), result)
    }

    fn recv_from_inner(
        &mut self,
        op: Op,
        pid: Pid,
        fd: Fd,
    ) -> Result<Option<(Vec<u8>, SocketAddrV4)>, SockError> {
        let (h, sock) = self.resolve(op, pid, fd)?;
        let e = self.entry(h, sock);
        if e.proto == Proto::Tcp {
            return Err(SockError::new(
                op,
                Errno::EOPNOTSUPP,
                Why::RecvFromIsForUdp,
                vec![],
            ));
        }
        let Some(handle) = e.handle else {
            return Err(SockError::new(op, Errno::EINVAL, Why::UdpNotBound, vec![]));
        };
        let socket = self.hosts[h].stack.sockets.get_mut::<udp::Socket>(handle);
        // The whole datagram, up to 65507 bytes (a reassembled one among them).
        let Ok((data, meta)) = socket.recv() else {
            return Ok(None);
        };
        let buffer = data.to_vec();
        let IpAddress::Ipv4(ip) = meta.endpoint.addr;
        let from = SocketAddrV4::new(ip, meta.endpoint.port);
        self.emit(EventKind::DataDelivered {
            host: HostId(h),
            sock,
            pid,
            fd,
            bytes: buffer.clone(),
            from: Some(from),
        });
        Ok(Some((buffer, from)))
    }

    // ---- inspection -----------------------------------------------------------------------------

    /// getsockopt(SO_ERROR): the error a failed connect() or a reset left, once.
    pub fn take_error(&mut self, pid: Pid, fd: Fd) -> Result<Option<SockError>, SockError> {
        let (h, sock) = match self.resolve(Op::Recv, pid, fd) {
            Ok(found) => found,
            Err(e) => return self.report(pid, Some(fd), Err(e)),
        };
        let error = self.entry_mut(h, sock).pending_error.take();
        if let Some(error) = &error {
            self.emit(EventKind::ErrorReturned {
                pid,
                fd: Some(fd),
                sock: Some(sock),
                error: error.clone(),
            });
        }
        Ok(error)
    }

    /// The state of the socket behind a descriptor.
    pub fn socket_state(&self, pid: Pid, fd: Fd) -> Option<SockState> {
        let (h, sock) = self.resolve(Op::Recv, pid, fd).ok()?;
        Some(self.entry(h, sock).state)
    }

    /// The local and remote address of the socket behind a descriptor.
    pub fn socket_addrs(
        &self,
        pid: Pid,
        fd: Fd,
    ) -> Option<(Option<SocketAddrV4>, Option<SocketAddrV4>)> {
        let (h, sock) = self.resolve(Op::Recv, pid, fd).ok()?;
        let e = self.entry(h, sock);
        Some((e.local, e.remote))
    }

    pub fn process(&self, pid: Pid) -> Option<&Process> {
        self.processes.get(&pid)
    }
}

/// The most a UDP datagram can carry: an IPv4 packet is at most 65535 bytes, less 20 of IP
/// header and 8 of UDP header. Linux sends one larger than the link's MTU in fragments.
pub const MAX_UDP_PAYLOAD: usize = 65507;

/// A UDP socket's buffer: room for `packets` datagrams of a link's MTU, and for one of the
/// largest size besides.
fn udp_buffer(packets: usize) -> udp::PacketBuffer<'static> {
    udp::PacketBuffer::new(
        vec![udp::PacketMetadata::EMPTY; packets],
        vec![0; packets * MTU + MAX_UDP_PAYLOAD],
    )
}
