//! Everything a lesson claims, held against its scene: each step's moment is in the scene and
//! comes after the step before; each question's solution is what the engine accepts; each
//! wrong answer it lists is rejected, with feedback of its own. A lesson whose scene changes
//! under it fails here, with the path of what no longer holds.

use std::collections::BTreeSet;

use super::file::{Ask, Lesson};
use super::fix::{Changes, FixIt};
use super::moment::{host_id, Moment, SceneError};
use super::question::{Choose, FillTable, Predict, Verdict};
use crate::engine::checker::Problem;
use crate::engine::scenario::Scenario;
use crate::engine::Timeline;

/// The problems with `lesson` played on `scenario` (its scene), none if it holds.
pub fn lint(lesson: &Lesson, scenario: &Scenario) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut say = |path: String, message: String| problems.push(Problem { path, message });
    let sim = match scenario.build() {
        Ok(sim) => sim,
        Err(p) => {
            say("scenario".into(), format!("its scene cannot run: {}", p[0]));
            return problems;
        }
    };
    let timeline = Timeline::record(sim, scenario.run_limit());
    let mut last = 0;
    for (i, step) in lesson.steps.iter().enumerate() {
        let path = format!("steps[{i}]");
        match step.at.resolve(&timeline) {
            Ok(n) if n < last => say(path.clone(), "comes before the step above it".into()),
            Ok(n) => last = n,
            Err(e) => say(path.clone(), e.to_string()),
        }
        if let Some(Err(e)) = step.try_it.as_ref().map(|h| host_id(&timeline, h)) {
            say(format!("{path}.try_it"), e.to_string());
        }
        if let Some(q) = &step.question {
            for message in ask_holds(&q.ask, &step.at, &timeline, scenario) {
                say(format!("{path}.question"), message);
            }
        }
    }
    problems
}

/// What does not hold about one question: its solution and its wrong answers, judged.
fn ask_holds(ask: &Ask, at: &Moment, timeline: &Timeline, scenario: &Scenario) -> Vec<String> {
    let judged: Result<(Verdict, Vec<Verdict>), String> = match ask {
        Ask::Predict { solution, wrong } => {
            let Moment::BeforeSegment(segment) = at else {
                return vec!["a predict question needs a step with \"before_segment\"".into()];
            };
            let q = Predict { segment: *segment };
            judge(|a| q.check(timeline, a), solution, wrong)
        }
        Ask::Fill {
            host,
            socket,
            solution,
            wrong,
        } => {
            let q = FillTable {
                at: at.clone(),
                host: host.clone(),
                socket: *socket,
                cells: solution.keys().copied().collect(),
            };
            judge(
                |given| {
                    let verdicts = q.check(timeline, given)?;
                    let all = verdicts.values().all(|v| v.correct);
                    let feedback: Vec<String> =
                        verdicts.into_values().map(|v| v.feedback).collect();
                    Ok::<_, SceneError>(Verdict {
                        correct: all,
                        feedback: feedback.join(" "),
                    })
                },
                solution,
                wrong,
            )
        }
        Ask::Choose {
            fact,
            options,
            solution,
            wrong,
        } => {
            let q = Choose {
                at: at.clone(),
                fact: fact.clone(),
                options: options.clone(),
            };
            judge(|a: &String| q.check(timeline, a), solution, wrong)
        }
        Ask::Fix {
            controls,
            goal,
            solution,
            wrong,
        } => {
            let q = FixIt {
                scenario: scenario.clone(),
                controls: controls.clone(),
                goal: goal.clone(),
            };
            let mut problems = Vec::new();
            if q.check(&Changes::new()).correct {
                problems.push("the scene already works: there is nothing to fix".to_string());
            }
            let check = |c: &Changes| Ok::<_, SceneError>(q.check(c));
            match judge(check, solution, wrong) {
                Ok((right, wrongs)) => problems.extend(verdict_problems(&right, &wrongs)),
                Err(e) => problems.push(e),
            }
            return problems;
        }
    };
    match judged {
        Ok((right, wrongs)) => verdict_problems(&right, &wrongs),
        Err(e) => vec![e],
    }
}

/// The solution's verdict and each wrong answer's.
fn judge<A, E: ToString>(
    check: impl Fn(&A) -> Result<Verdict, E>,
    solution: &A,
    wrong: &[A],
) -> Result<(Verdict, Vec<Verdict>), String> {
    let right = check(solution).map_err(|e| e.to_string())?;
    let wrongs = wrong
        .iter()
        .map(|w| check(w).map_err(|e| e.to_string()))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((right, wrongs))
}

fn verdict_problems(right: &Verdict, wrongs: &[Verdict]) -> Vec<String> {
    let mut problems = Vec::new();
    if !right.correct {
        problems.push(format!(
            "its solution is not what the simulation does: {}",
            right.feedback
        ));
    }
    let mut seen = BTreeSet::new();
    for (i, w) in wrongs.iter().enumerate() {
        if w.correct {
            problems.push(format!("wrong[{i}] is accepted: {}", w.feedback));
        } else if !seen.insert(w.feedback.as_str()) {
            problems.push(format!(
                "wrong[{i}] gets the same feedback as an answer before it: \"{}\"",
                w.feedback
            ));
        }
    }
    problems
}
