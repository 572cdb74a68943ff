//! socketlab-cli: what a teacher sees at the terminal, and its exit codes.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;
use std::process::{Command, Output};

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_socketlab-cli"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the CLI runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("socketlab-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn run_prints_the_event_log_then_the_tables() {
    let out = cli(&["run", "scenarios/web-server-80.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("# scenarios/web-server-80.toml: A web server on port 80\n"));
    assert!(stdout.contains("web server (nginx, pid 1000) starts"));
    assert!(stdout.contains("web browser's socket (fd 3) 192.168.1.101:10378 ↔ 192.168.1.102:80 sends SYN to 192.168.1.102:80; it arrives in 20 ms"));
    assert!(stdout.contains("[192.168.1.101:10378 → 192.168.1.102:80 TCP [SYN] seq="));
    assert!(stdout.contains("no connection matches, but a socket listens on this port"));
    assert!(stdout.contains("\n# Socket tables at "));
    assert!(
        stdout.contains("tcp   LISTEN") && stdout.contains("users:((\"nginx\",pid=1000,fd=3))"),
        "{stdout}"
    );
}

#[test]
fn run_until_stops_early_and_tables_show_that_moment() {
    let out = cli(&["run", "scenarios/web-server-80.toml", "--until", "150"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("# Socket tables at 0.150000 s"));
    assert!(
        stdout.contains("ESTAB") && stdout.contains("192.168.1.101:10378"),
        "{stdout}"
    );
    assert!(!stdout.contains("FIN"), "nothing after 150 ms");
}

#[test]
fn run_writes_a_capture() {
    let pcap = temp("node.pcap");
    let out = cli(&[
        "run",
        "scenarios/node-server-8099.toml",
        "--pcap",
        pcap.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains(&format!("# wrote 30 packets to {}", pcap.display())));
    let bytes = std::fs::read(&pcap).unwrap();
    assert_eq!(
        &bytes[..4],
        &[0xd4, 0xc3, 0xb2, 0xa1],
        "classic pcap, little-endian, microseconds"
    );
}

#[test]
fn tables_every_event_prints_a_table_after_each_event() {
    let out = cli(&[
        "run",
        "scenarios/connection-refused.toml",
        "--tables-every-event",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    let events = stdout.lines().filter(|l| l.contains(" s  ")).count();
    let headers = stdout
        .lines()
        .filter(|l| l.starts_with("    | Server") && l.contains("Netid"))
        .count();
    assert_eq!(headers, events, "one Server table per event");
}

#[test]
fn check_accepts_a_valid_file_and_lists_every_problem_of_a_bad_one() {
    let out = cli(&["check", "scenarios/port-in-use.toml"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "scenarios/port-in-use.toml: OK: \"Port already in use\" (2 hosts, 1 links, 3 processes, 3 actions)\n");

    let bad = temp("bad.toml");
    std::fs::write(&bad, "version = 1\ntitle = \"x\"\nseed = 1\n[[hosts]]\nname = \"A\"\nip = \"192.168.1.300\"\ncolour = 3\n").unwrap();
    let out = cli(&["check", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("hosts[0].ip: \"192.168.1.300\" is not an IPv4 address"),
        "{stdout}"
    );
    assert!(stdout.contains("hosts[0].colour: unknown field"));
    assert_eq!(
        text(&out.stderr).trim(),
        format!("socketlab-cli: {} has 2 problems", bad.display())
    );
    // run refuses it the same way
    assert_eq!(cli(&["run", bad.to_str().unwrap()]).status.code(), Some(2));
}

#[test]
fn a_missing_file_or_a_bad_flag_is_one_line_and_exit_2() {
    for (args, expected) in [
        (
            vec!["run", "no-such.toml"],
            "socketlab-cli: cannot read no-such.toml: ",
        ),
        (
            vec!["check", "no-such.toml"],
            "socketlab-cli: cannot read no-such.toml: ",
        ),
        (
            vec!["run", "scenarios/web-server-80.toml", "--fast"],
            "socketlab-cli: unknown option `--fast` (see run --help)",
        ),
        (
            vec!["run", "scenarios/web-server-80.toml", "--until", "soon"],
            "socketlab-cli: --until needs a time in milliseconds",
        ),
        (
            vec!["run", "scenarios/web-server-80.toml", "--pcap"],
            "socketlab-cli: --pcap needs a FILE",
        ),
        (vec!["run"], "socketlab-cli: run needs a SCENARIO file"),
        (
            vec!["check", "a.toml", "b.toml"],
            "socketlab-cli: check takes one SCENARIO file",
        ),
        (vec!["fly"], "socketlab-cli: unknown command `fly`"),
    ] {
        let out = cli(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = text(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.starts_with(expected), "{args:?}: {stderr}");
    }
}

#[test]
fn help_is_there_for_every_command() {
    for (args, mention) in [
        (vec!["--help"], "socketlab-cli run SCENARIO"),
        (vec!["run", "--help"], "--tables-every-event"),
        (vec!["check", "--help"], "Exit status 2"),
    ] {
        let out = cli(&args);
        assert_eq!(out.status.code(), Some(0));
        assert!(text(&out.stdout).contains(mention), "{args:?}");
    }
}
