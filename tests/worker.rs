//! The engine worker's requests (`socketlab::worker`): a scenario file opened there reads as
//! `socketlab-cli check` reads it (the scenario, or every problem with the same sentences), a
//! run answers as a fix-it question's always has, and bytes that are no request get an answer
//! that reads as nothing.

use socketlab::engine::scenario;
use socketlab::worker::{open_request, read_opened, run_request, serve};

fn shipped(name: &str) -> String {
    std::fs::read_to_string(format!("scenarios/{name}")).unwrap()
}

#[test]
fn a_file_opened_in_the_worker_reads_as_the_cli_reads_it() {
    let text = shipped("node-server-8099.toml");
    let expected = scenario::from_toml(&text).unwrap();
    let opened = read_opened(&serve(&open_request(&text, false))).unwrap();
    assert_eq!(opened, Ok(expected.clone()));
    // The same scene as JSON.
    let json = serde_json::to_string(&toml::from_str::<toml::Value>(&text).unwrap()).unwrap();
    let opened = read_opened(&serve(&open_request(&json, true))).unwrap();
    assert_eq!(opened, Ok(expected));
}

#[test]
fn a_file_with_three_problems_gets_all_three_with_the_clis_sentences() {
    let text = shipped("node-server-8099.toml")
        .replacen("seed = ", "seed = -", 1)
        .replacen("title = \"", "title = 3 # \"", 1)
        + "\n[[firewall]]\nhost = \"Nowhere\"\nproto = \"tcp\"\nport = 80\nverdict = \"drop\"\n";
    let cli = scenario::from_toml(&text).unwrap_err();
    let opened = read_opened(&serve(&open_request(&text, false))).unwrap();
    assert_eq!(opened.as_ref().err(), Some(&cli));
    assert_eq!(cli.len(), 3, "{cli:?}");
    // Text that is not TOML at all: one problem, with its place.
    let opened = read_opened(&serve(&open_request("hosts = [", false))).unwrap();
    let problems = opened.unwrap_err();
    assert_eq!(problems.len(), 1);
    assert!(problems[0].message().contains("line 1"), "{problems:?}");
}

#[test]
fn a_run_answers_as_a_fix_it_questions_run() {
    let setup = scenario::from_toml(&shipped("node-server-8099.toml")).unwrap();
    let run = socketlab::lessons::fix::Run::of(setup, &[]);
    let answer = serve(&run_request(&run));
    assert_eq!(answer, socketlab::lessons::fix::serve(&run.to_bytes()));
    let (results, recording) = socketlab::lessons::fix::read_answer(&answer).unwrap();
    assert!(results.is_empty());
    assert!(!recording.events.is_empty());
}

#[test]
fn bytes_that_are_no_request_get_an_answer_that_reads_as_nothing() {
    for junk in [&[][..], &[7], &[1], &[1, 200, 200, 200], &[0, 1, 2]] {
        let answer = serve(junk);
        assert_eq!(read_opened(&answer), None, "{junk:?}");
    }
    // An open's answer cut short reads as nothing too.
    let answer = serve(&open_request(&shipped("node-server-8099.toml"), false));
    for cut in [0, 1, answer.len() / 2, answer.len() - 1] {
        assert_eq!(read_opened(&answer[..cut]), None);
    }
}
