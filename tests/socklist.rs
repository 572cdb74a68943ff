//! Pasted socket lists (`socketlab::socklist`): real outputs of each command, read into the
//! course's rows. The Linux ones were recorded on a Linux machine with a Python server on 8099,
//! two clients, a UDP socket on 5353 and an IPv6 listener on 8080 (`ss`, `netstat` from
//! net-tools, `lsof`); macOS's `netstat -an`, Windows' `netstat -ano` and PowerShell's
//! `Get-NetTCPConnection` are written as those tools print them.

use socketlab::engine::socket::SockState;
use socketlab::socklist::{self, read, End, Note, Proto, Row, Tool, Unread};

const SS_TAN: &str = r#"State     Recv-Q Send-Q Local Address:Port  Peer Address:Port Process
LISTEN    0      5          127.0.0.1:8099       0.0.0.0:*           
LISTEN    0      128          0.0.0.0:2024       0.0.0.0:*           
ESTAB     0      0          127.0.0.1:8099     127.0.0.1:59308       
TIME-WAIT 0      0          127.0.0.1:8099     127.0.0.1:59318       
ESTAB     0      0          127.0.0.1:8099     127.0.0.1:59314       
"#;
const SS_TANP: &str = r#"State     Recv-Q Send-Q Local Address:Port  Peer Address:Port Process                           
LISTEN    0      5          127.0.0.1:8099       0.0.0.0:*     users:(("python3",pid=8751,fd=3))
LISTEN    0      128          0.0.0.0:2024       0.0.0.0:*                                      
ESTAB     0      0          127.0.0.1:8099     127.0.0.1:59308 users:(("python3",pid=8751,fd=4))
TIME-WAIT 0      0          127.0.0.1:8099     127.0.0.1:59318                                  
ESTAB     0      0          127.0.0.1:8099     127.0.0.1:59314 users:(("python3",pid=8751,fd=5))
ESTAB     0      0          127.0.0.1:59308    127.0.0.1:8099  users:(("python3",pid=8793,fd=3))
ESTAB     0      0          127.0.0.1:59314    127.0.0.1:8099  users:(("python3",pid=8793,fd=4))
"#;
const SS_TUANP: &str = r#"Netid State  Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess                            
udp   UNCONN 0      0            0.0.0.0:5353       0.0.0.0:*    users:(("python3",pid=14323,fd=3))
udp   ESTAB  0      0          127.0.0.1:49876    127.0.0.1:5353 users:(("python3",pid=14323,fd=4))
tcp   LISTEN 0      128                *:8080             *:*    users:(("python3",pid=14323,fd=5))
"#;
const NETSTAT_ANP: &str = r#"Active Internet connections (servers and established)
Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name    
tcp        0      0 0.0.0.0:2024            0.0.0.0:*               LISTEN      -                   
tcp6       0      0 :::8080                 :::*                    LISTEN      14323/python3       
udp        0      0 0.0.0.0:5353            0.0.0.0:*                           14323/python3       
udp        0      0 127.0.0.1:49876         127.0.0.1:5353          ESTABLISHED 14323/python3       
Active UNIX domain sockets (servers and established)
Proto RefCnt Flags       Type       State         I-Node   PID/Program name     Path
unix  3      [ ]         STREAM     CONNECTED     144      -                    
unix  3      [ ]         STREAM     CONNECTED     143      -                    
"#;
const LSOF_I: &str = r#"COMMAND  PID USER   FD   TYPE  DEVICE SIZE/OFF NODE NAME
python3 8751 root    3u  IPv4 1046462      0t0  TCP 127.0.0.1:8099 (LISTEN)
python3 8751 root    4u  IPv4 1046478      0t0  TCP 127.0.0.1:8099->127.0.0.1:59308 (ESTABLISHED)
python3 8751 root    5u  IPv4 1046479      0t0  TCP 127.0.0.1:8099->127.0.0.1:59314 (ESTABLISHED)
python3 8793 root    3u  IPv4 1045349      0t0  TCP 127.0.0.1:59308->127.0.0.1:8099 (ESTABLISHED)
python3 8793 root    4u  IPv4 1045350      0t0  TCP 127.0.0.1:59314->127.0.0.1:8099 (ESTABLISHED)
python3 14323 root    3u  IPv4 1049191      0t0  UDP *:5353 
python3 14323 root    4u  IPv4 1049192      0t0  UDP 127.0.0.1:49876->127.0.0.1:5353 
python3 14323 root    5u  IPv6 1049193      0t0  TCP *:8080 (LISTEN)
"#;
const NETSTAT_MACOS: &str = r#"Active Internet connections (including servers)
Proto Recv-Q Send-Q  Local Address          Foreign Address        (state)    
tcp4       0      0  192.168.1.101.10378    192.168.1.102.80       ESTABLISHED
tcp4       0      0  127.0.0.1.8099         127.0.0.1.52001        TIME_WAIT  
tcp46      0      0  *.8099                 *.*                    LISTEN     
tcp6       0      0  fe80::1%lo0.631        *.*                    LISTEN     
udp4       0      0  *.5353                 *.*                               
"#;
const NETSTAT_ANO_WINDOWS: &str = r#"
Active Connections

  Proto  Local Address          Foreign Address        State           PID
  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       1004
  TCP    192.168.1.101:10378    192.168.1.102:80       ESTABLISHED     7788
  TCP    192.168.1.101:10380    192.168.1.102:80       TIME_WAIT       0
  TCP    [::]:445               [::]:0                 LISTENING       4
  UDP    0.0.0.0:5353           *:*                                    2216
"#;
const GET_NET_TCP_CONNECTION: &str = r#"
LocalAddress                        LocalPort RemoteAddress                       RemotePort State       AppliedSetting OwningProcess
------------                        --------- -------------                       ---------- -----       -------------- -------------
192.168.1.101                       10378     192.168.1.102                       80         Established Internet       7788
0.0.0.0                             8099      0.0.0.0                             0          Listen                     5120
::                                  445       ::                                  0          Listen                     4
192.168.1.101                       10380     192.168.1.102                       80         TimeWait                   0
"#;

fn end(addr: &str, port: Option<u16>) -> End {
    End {
        addr: addr.to_string(),
        port,
    }
}

/// Each row as a line a test reads: "tcp 127.0.0.1:8099 → 127.0.0.1:59308 ESTABLISHED python3/8751".
fn said(rows: &[Row]) -> Vec<String> {
    rows.iter()
        .map(|r| {
            let at = |e: &End| {
                format!(
                    "{}:{}",
                    e.addr,
                    e.port.map_or("*".to_string(), |p| p.to_string())
                )
            };
            let proto = match r.proto {
                Proto::Tcp => "tcp",
                Proto::Udp => "udp",
            };
            let peer = r.peer.as_ref().map_or("-".to_string(), at);
            let state = r.state.map_or("-", |s| s.rfc_name());
            let process = match &r.process {
                Some((Some(name), pid)) => format!(" {name}/{pid}"),
                Some((None, pid)) => format!(" {pid}"),
                None => String::new(),
            };
            format!("{proto} {} → {peer} {state}{process}", at(&r.local))
        })
        .collect()
}

#[test]
fn ss_tan_gives_each_socket_its_state_and_a_listener_no_peer() {
    let l = read(SS_TAN);
    assert_eq!(l.tool, Some(Tool::Ss));
    assert_eq!(
        said(&l.rows),
        [
            "tcp 127.0.0.1:8099 → - LISTEN",
            "tcp 0.0.0.0:2024 → - LISTEN",
            "tcp 127.0.0.1:8099 → 127.0.0.1:59308 ESTABLISHED",
            "tcp 127.0.0.1:8099 → 127.0.0.1:59318 TIME-WAIT",
            "tcp 127.0.0.1:8099 → 127.0.0.1:59314 ESTABLISHED",
        ]
    );
    assert!(l.unread.is_empty());
    assert_eq!(l.rows[2].line, 4);
}

#[test]
fn ss_tanp_names_each_sockets_process() {
    let l = read(SS_TANP);
    let rows = said(&l.rows);
    assert_eq!(rows[0], "tcp 127.0.0.1:8099 → - LISTEN python3/8751");
    assert_eq!(rows[1], "tcp 0.0.0.0:2024 → - LISTEN");
    assert_eq!(
        rows[6],
        "tcp 127.0.0.1:59314 → 127.0.0.1:8099 ESTABLISHED python3/8793"
    );
    assert_eq!(rows.len(), 7);
}

#[test]
fn ss_tuanp_reads_udp_with_no_state_and_a_wildcard_listener() {
    let l = read(SS_TUANP);
    assert_eq!(
        said(&l.rows),
        [
            "udp 0.0.0.0:5353 → - - python3/14323",
            "udp 127.0.0.1:49876 → 127.0.0.1:5353 - python3/14323",
            "tcp *:8080 → - LISTEN python3/14323",
        ]
    );
}

#[test]
fn linux_netstat_reads_ipv6_udp_and_skips_unix_sockets() {
    let l = read(NETSTAT_ANP);
    assert_eq!(l.tool, Some(Tool::NetstatLinux));
    assert_eq!(
        said(&l.rows),
        [
            "tcp 0.0.0.0:2024 → - LISTEN",
            "tcp :::8080 → - LISTEN python3/14323",
            "udp 0.0.0.0:5353 → - - python3/14323",
            "udp 127.0.0.1:49876 → 127.0.0.1:5353 - python3/14323",
        ]
    );
    assert_eq!(
        l.unread,
        [(9, Unread::NotInternet), (10, Unread::NotInternet)]
    );
}

#[test]
fn lsof_reads_both_ends_from_its_name_column() {
    let l = read(LSOF_I);
    assert_eq!(l.tool, Some(Tool::Lsof));
    let rows = said(&l.rows);
    assert_eq!(
        rows[1],
        "tcp 127.0.0.1:8099 → 127.0.0.1:59308 ESTABLISHED python3/8751"
    );
    assert_eq!(rows[5], "udp *:5353 → - - python3/14323");
    assert_eq!(rows[7], "tcp *:8080 → - LISTEN python3/14323");
    assert_eq!(rows.len(), 8);
}

#[test]
fn macos_netstat_reads_the_port_after_the_last_dot() {
    let l = read(NETSTAT_MACOS);
    assert_eq!(l.tool, Some(Tool::NetstatMac));
    assert_eq!(
        said(&l.rows),
        [
            "tcp 192.168.1.101:10378 → 192.168.1.102:80 ESTABLISHED",
            "tcp 127.0.0.1:8099 → 127.0.0.1:52001 TIME-WAIT",
            "tcp *:8099 → - LISTEN",
            "tcp fe80::1:631 → - LISTEN",
            "udp *:5353 → - -",
        ]
    );
}

#[test]
fn windows_netstat_ano_reads_listening_and_its_pids() {
    let l = read(NETSTAT_ANO_WINDOWS);
    assert_eq!(l.tool, Some(Tool::NetstatWindows));
    assert_eq!(
        said(&l.rows),
        [
            "tcp 0.0.0.0:135 → - LISTEN 1004",
            "tcp 192.168.1.101:10378 → 192.168.1.102:80 ESTABLISHED 7788",
            "tcp 192.168.1.101:10380 → 192.168.1.102:80 TIME-WAIT 0",
            "tcp :::445 → - LISTEN 4",
            "udp 0.0.0.0:5353 → - - 2216",
        ]
    );
    assert!(l.unread.is_empty(), "{:?}", l.unread);
}

#[test]
fn get_net_tcp_connection_reads_its_columns() {
    let l = read(GET_NET_TCP_CONNECTION);
    assert_eq!(l.tool, Some(Tool::PowerShell));
    assert_eq!(
        said(&l.rows),
        [
            "tcp 192.168.1.101:10378 → 192.168.1.102:80 ESTABLISHED 7788",
            "tcp 0.0.0.0:8099 → - LISTEN 5120",
            "tcp :::445 → - LISTEN 4",
            "tcp 192.168.1.101:10380 → 192.168.1.102:80 TIME-WAIT 0",
        ]
    );
}

#[test]
fn lines_pasted_without_their_header_are_read_and_others_kept_as_unread() {
    // ss's rows without the header, a line of chat, and Windows' rows: each read by its own
    // shape.
    let text = format!(
        "{}\nhere is my output:\n{}",
        SS_TAN.lines().skip(1).collect::<Vec<_>>().join("\n"),
        NETSTAT_ANO_WINDOWS
            .lines()
            .skip(4)
            .collect::<Vec<_>>()
            .join("\n")
    );
    let l = read(&text);
    assert_eq!(l.rows.len(), 10);
    assert_eq!(l.unread, [(6, Unread::Unreadable)]);
    assert_eq!(l.rows[0].state, Some(SockState::Listen));
    assert_eq!(l.rows[9].local, end("0.0.0.0", Some(5353)));
}

#[test]
fn anything_pasted_is_read_or_kept_and_never_panics() {
    // What the page does with a list: read it, explain each row, draw its tables. Each row is in
    // exactly one table, and has its notes.
    let page = |text: &str| {
        let l = read(text);
        let notes = socklist::explain(&l);
        assert_eq!(notes.len(), l.rows.len());
        let mut placed: Vec<usize> = socklist::tables(&l)
            .into_iter()
            .flat_map(|(_, rows)| rows)
            .collect();
        placed.sort_unstable();
        assert_eq!(placed, (0..l.rows.len()).collect::<Vec<_>>());
    };
    // Every cut of every sample, and every byte changed in them.
    let all = [
        SS_TAN,
        SS_TANP,
        SS_TUANP,
        NETSTAT_ANP,
        LSOF_I,
        NETSTAT_MACOS,
        NETSTAT_ANO_WINDOWS,
        GET_NET_TCP_CONNECTION,
    ];
    for text in all {
        for cut in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
            page(&text[..cut]);
        }
        let bytes = text.as_bytes();
        for i in 0..bytes.len() {
            for b in [b':', b'.', b' ', 0xff] {
                let mut changed = bytes.to_vec();
                changed[i] = b;
                page(&String::from_utf8_lossy(&changed));
            }
        }
    }
    // Far too much: cut, and said.
    let big = SS_TAN.repeat(5_000);
    let l = read(&big);
    assert!(l.cut);
    assert!(l.rows.len() > 10_000);
    // And its notes and tables are worked out in one pass each (no row against every row).
    page(&big);
}

/// Each row gets the course's notes: a listener on every address, a connection it accepted (by
/// the listener's port), one made from an ephemeral port, TIME-WAIT on the side that closed
/// first, and a machine talking to itself. The rows are the kernel's own (`ss -tan` in
/// `scripts/kernel-capture.sh`'s namespaces, put on one list), with a loopback line added.
#[test]
fn each_row_is_explained_as_the_course_does() {
    let text =
        "State     Recv-Q Send-Q          Local Address:Port           Peer Address:Port Process
LISTEN    0      511                         *:8099                      *:*
ESTAB     0      0      [::ffff:192.168.1.102]:8099 [::ffff:192.168.1.101]:10379
TIME-WAIT 0      0               192.168.1.101:10378          192.168.1.102:8099
ESTAB     0      0                   127.0.0.1:41000              127.0.0.1:5432
";
    let listing = socklist::read(text);
    assert_eq!(listing.rows.len(), 4);
    let notes: Vec<Vec<Note>> = socklist::explain(&listing);
    assert_eq!(
        notes[0],
        vec![Note::Listens {
            port: 8099,
            every: true
        }]
    );
    assert_eq!(
        notes[1],
        vec![
            Note::Accepted {
                port: 8099,
                peer_port: 10379
            },
            Note::State(SockState::Established)
        ]
    );
    assert_eq!(
        notes[2],
        vec![
            Note::Outgoing {
                port: 10378,
                peer_port: 8099
            },
            Note::State(SockState::TimeWait)
        ]
    );
    assert_eq!(
        notes[3],
        vec![
            Note::Outgoing {
                port: 41000,
                peer_port: 5432
            },
            Note::State(SockState::Established),
            Note::Loopback
        ]
    );
    // A TCP socket with no peer that does not listen (PowerShell's "Bound") is no listener,
    // and makes no connection on its port an accepted one.
    let bound = socklist::read(&format!(
        "{GET_NET_TCP_CONNECTION}0.0.0.0                             10378     0.0.0.0                             0          Bound                      7788\n"
    ));
    let said = socklist::explain(&bound);
    assert_eq!(said[4], vec![Note::State(SockState::Bound)]);
    assert!(matches!(said[0][0], Note::Outgoing { port: 10378, .. }));
    // The tables: every address first (as listed), then each local address.
    let tables: Vec<String> = socklist::tables(&listing)
        .into_iter()
        .map(|(a, rows)| format!("{a} {rows:?}"))
        .collect();
    assert_eq!(
        tables,
        [
            "* [0]",
            "::ffff:192.168.1.102 [1]",
            "192.168.1.101 [2]",
            "127.0.0.1 [3]"
        ]
    );
}
