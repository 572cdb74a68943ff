//! The playback pace (src/view/pace.rs) on the cases in tests/data/pace.json, which the stage's
//! worker (static/stage.js) is checked against too (tests/e2e/pace.test.mjs): the page and the
//! worker must find the same moment at the same real time.

use serde::Deserialize;
use socketlab::view::pace::Pace;

#[derive(Deserialize)]
struct Cases {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    pace: PaceIn,
    at: Vec<(f64, f64)>,
    real_at: Vec<(f64, Option<f64>)>,
}

#[derive(Deserialize)]
struct PaceIn {
    since: f64,
    start: f64,
    speed: f64,
    stop: f64,
    busy: Vec<(f64, f64)>,
}

fn close(got: f64, want: f64, what: &str) {
    assert!((got - want).abs() < 1e-6, "{what}: {got}, not {want}");
}

#[test]
fn the_pace_is_where_the_shared_cases_say() {
    let cases: Cases = serde_json::from_str(include_str!("data/pace.json")).unwrap();
    for (n, c) in cases.cases.iter().enumerate() {
        let p = &c.pace;
        let pace = Pace::new(p.start, p.since, p.speed, p.stop, p.busy.clone());
        for &(real, t) in &c.at {
            close(pace.at(real), t, &format!("case {n}, at({real})"));
        }
        for &(t, real) in &c.real_at {
            let got = pace.real_at(t);
            match real {
                Some(real) => close(got, real, &format!("case {n}, real_at({t})")),
                None => assert_eq!(got, f64::INFINITY, "case {n}: {t} is past the stop"),
            }
        }
    }
}

#[test]
fn real_at_finds_where_at_gets_to() {
    let pace = Pace::new(
        0.0,
        0.0,
        1.0,
        1_000_000.0,
        (0..200)
            .map(|k| (k as f64 * 5000.0, k as f64 * 5000.0 + 1200.0))
            .collect(),
    );
    for k in 0..1000 {
        let t = k as f64 * 997.0;
        close(pace.at(pace.real_at(t)), t, &format!("{t}"));
    }
}
