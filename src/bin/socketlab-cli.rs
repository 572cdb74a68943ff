//! socketlab-cli: run a Socket Lab scenario without a browser.

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use socketlab::engine::pcap::capture;
use socketlab::engine::scenario::{self, Problem, Scenario};
use socketlab::engine::time::Instant;
use socketlab::engine::Timeline;
use socketlab::view::narrate::Narrator;

const USAGE: &str = "\
socketlab-cli: run Socket Lab scenarios without a browser

Usage:
  socketlab-cli run SCENARIO [--pcap FILE] [--until MS] [--tables-every-event]
  socketlab-cli check SCENARIO
  socketlab-cli scorm-manifest DIR
  socketlab-cli COMMAND --help

SCENARIO is a .toml file (or .json with the same structure); see scenarios/.
Exit status: 0 on success, 2 for a bad command line, an unreadable file or an invalid scenario.
";

const RUN_HELP: &str = "\
socketlab-cli run SCENARIO [--pcap FILE] [--until MS] [--tables-every-event]

Runs the scenario until nothing is left to happen (or its duration_ms), prints the event log,
one line per event, then every host's socket table in the style of `ss -tuanp`.

  --pcap FILE            also write the segments as a capture for Wireshark or tshark
                         (classic pcap, raw IPv4, virtual timestamps)
  --until MS             stop at this virtual time, in milliseconds
  --tables-every-event   print the tables after every event, not only at the end
";

const CHECK_HELP: &str = "\
socketlab-cli check SCENARIO

Reads the scenario and prints every problem with where it is (like
`hosts[1].ip: \"192.168.1.300\" is not an IPv4 address`). Exit status 2 when there is any
problem, 0 when the file is valid.
";

const MANIFEST_HELP: &str = "\
socketlab-cli scorm-manifest DIR

Prints the SCORM 1.2 manifest (imsmanifest.xml) for a package made of DIR, the built site: one
SCO per lesson, each launching index.html at its lesson, and every file under DIR listed as the
site's files. scripts/package.sh writes it into the package.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("socketlab-cli: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let Some(command) = args.first() else {
        print!("{USAGE}");
        return Err("no command given: use `run` or `check`".to_string());
    };
    let rest = &args[1..];
    match command.as_str() {
        "-h" | "--help" | "help" => {
            print!("{USAGE}");
            Ok(())
        }
        "run" if wants_help(rest) => {
            print!("{RUN_HELP}");
            Ok(())
        }
        "check" if wants_help(rest) => {
            print!("{CHECK_HELP}");
            Ok(())
        }
        "scorm-manifest" if wants_help(rest) => {
            print!("{MANIFEST_HELP}");
            Ok(())
        }
        "scorm-manifest" => manifest_command(rest),
        "run" => run_command(rest),
        "check" => check_command(rest),
        other => Err(format!(
            "unknown command `{other}`: use `run`, `check` or `scorm-manifest` (see --help)"
        )),
    }
}

/// Prints the SCORM manifest for the site in the one directory given.
fn manifest_command(args: &[String]) -> Result<(), String> {
    let [dir] = args else {
        return Err(
            "scorm-manifest takes one DIR, the built site (see scorm-manifest --help)".to_string(),
        );
    };
    let root = std::path::Path::new(dir);
    if !root.join("index.html").is_file() {
        return Err(format!(
            "{dir} has no index.html: build the site first (trunk build --release)"
        ));
    }
    let mut files = Vec::new();
    list_files(root, root, &mut files).map_err(|e| format!("cannot read {dir}: {e}"))?;
    files.retain(|f| f != "imsmanifest.xml");
    files.sort();
    print!(
        "{}",
        socketlab::lessons::scorm::manifest(&socketlab::lessons::words::shipped(), &files)
    );
    Ok(())
}

/// Every file under `dir`, as a path from `root` with `/` between its parts.
fn list_files(
    root: &std::path::Path,
    dir: &std::path::Path,
    out: &mut Vec<String>,
) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            list_files(root, &path, out)?;
        } else if let Ok(rel) = path.strip_prefix(root) {
            let parts: Vec<String> = rel
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect();
            out.push(parts.join("/"));
        }
    }
    Ok(())
}

fn wants_help(args: &[String]) -> bool {
    args.iter().any(|a| a == "--help" || a == "-h")
}

fn load(path: &str) -> Result<Result<Scenario, Vec<Problem>>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    Ok(if path.ends_with(".json") {
        scenario::from_json(&text)
    } else {
        scenario::from_toml(&text)
    })
}

fn problems_message(path: &str, problems: &[Problem]) -> String {
    for p in problems {
        println!("{path}: {p}");
    }
    format!(
        "{path} has {} problem{}",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    )
}

fn check_command(args: &[String]) -> Result<(), String> {
    let path = match args {
        [path] if !path.starts_with('-') => path,
        [] => return Err("check needs a SCENARIO file (see check --help)".to_string()),
        _ => {
            return Err(format!(
                "check takes one SCENARIO file and no options; got: {}",
                args.join(" ")
            ))
        }
    };
    match load(path)? {
        Ok(s) => {
            println!(
                "{path}: OK: \"{}\" ({} hosts, {} links, {} processes, {} actions)",
                s.title,
                s.hosts.len(),
                s.links.len(),
                s.processes.len(),
                s.actions.len()
            );
            Ok(())
        }
        Err(problems) => Err(problems_message(path, &problems)),
    }
}

struct RunOptions {
    path: String,
    pcap: Option<String>,
    until: Option<Instant>,
    every_event: bool,
}

fn parse_run(args: &[String]) -> Result<RunOptions, String> {
    let mut options = RunOptions {
        path: String::new(),
        pcap: None,
        until: None,
        every_event: false,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--pcap" => options.pcap = Some(it.next().ok_or("--pcap needs a FILE")?.clone()),
            "--until" => {
                let v = it.next().ok_or("--until needs a time in milliseconds")?;
                let ms: f64 = v
                    .parse()
                    .ok()
                    .filter(|m: &f64| m.is_finite() && *m >= 0.0)
                    .ok_or(format!(
                        "--until needs a time in milliseconds (a number from 0), not `{v}`"
                    ))?;
                options.until = Some(Instant::from_micros((ms * 1000.0) as i64));
            }
            "--tables-every-event" => options.every_event = true,
            flag if flag.starts_with('-') => {
                return Err(format!("unknown option `{flag}` (see run --help)"))
            }
            path if options.path.is_empty() => options.path = path.to_string(),
            extra => {
                return Err(format!(
                    "run takes one SCENARIO file; `{extra}` is one too many"
                ))
            }
        }
    }
    if options.path.is_empty() {
        return Err("run needs a SCENARIO file (see run --help)".to_string());
    }
    Ok(options)
}

fn run_command(args: &[String]) -> Result<(), String> {
    let options = parse_run(args)?;
    let scenario =
        load(&options.path)?.map_err(|problems| problems_message(&options.path, &problems))?;
    let sim = scenario
        .build()
        .map_err(|problems| problems_message(&options.path, &problems))?;
    let mut narrator = Narrator::for_network(&sim);
    let limit = options
        .until
        .map_or(scenario.run_limit(), |u| u.min(scenario.run_limit()));
    let timeline = Timeline::record(sim, limit);
    let end = options
        .until
        .unwrap_or(timeline.end())
        .min(timeline.end().max(options.until.unwrap_or(Instant::ZERO)));
    let shown = timeline.events_until(end);

    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let io = |e: std::io::Error| format!("cannot write the output: {e}");
    writeln!(out, "# {}: {}", options.path, scenario.title).map_err(io)?;
    for (i, event) in timeline.events()[..shown].iter().enumerate() {
        writeln!(out, "{}", narrator.line(event)).map_err(io)?;
        if options.every_event {
            for host in timeline.seek_events(i + 1).hosts {
                for line in socketlab::report::ss_table(&host).lines() {
                    writeln!(out, "    | {:<10} {line}", host.name).map_err(io)?;
                }
            }
        }
    }
    let snapshot = timeline.seek(end);
    writeln!(
        out,
        "\n# Socket tables at {:.6} s",
        end.total_micros() as f64 / 1e6
    )
    .map_err(io)?;
    for host in &snapshot.hosts {
        writeln!(
            out,
            "\n{} ({})\n{}",
            host.name,
            host.ip,
            socketlab::report::ss_table(host)
        )
        .map_err(io)?;
    }
    if let Some(path) = &options.pcap {
        let (bytes, n) = capture(&timeline.events()[..shown]);
        std::fs::write(path, bytes).map_err(|e| format!("cannot write {path}: {e}"))?;
        writeln!(out, "# wrote {n} packets to {path}").map_err(io)?;
    }
    out.flush().map_err(io)
}
