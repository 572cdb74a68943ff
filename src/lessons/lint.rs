//! Everything a lesson claims, held against its scene: each step's moment is in the scene and
//! comes after the step before; each question's solution is what the engine accepts; each
//! wrong answer it lists is rejected, with feedback of its own. A lesson whose scene changes
//! under it fails here, with the path of what no longer holds.

use crate::vecmap::VecSet;

use super::answer::Answer;
use super::file::{Ask, Lesson};
use super::fix::Changes;
use super::moment::{host_id, Moment};
use super::question::Verdict;
use crate::engine::checker::Problem;
use crate::engine::scenario::Scenario;
use crate::engine::Timeline;

/// The problems with `lesson` played on `scenario` (its scene), none if it holds. A challenge
/// is held as the lesson each setup a seed can draw makes of it.
pub fn lint(lesson: &Lesson, scenario: &Scenario) -> Vec<Problem> {
    if !lesson.challenge {
        return lint_drawn(lesson, scenario);
    }
    let mut problems = Vec::new();
    for drawn in super::challenge::Drawn::all() {
        let made = super::challenge::setup(scenario, drawn).and_then(|setup| {
            Some((
                super::challenge::lesson(lesson, drawn.fault, &setup)?,
                setup,
            ))
        });
        match made {
            Some((l, setup)) => problems.extend(lint_drawn(&l, &setup).into_iter().map(|p| {
                Problem {
                    said: format!("with the fault of {}: {}", drawn.scene(), p.message()).into(),
                    ..p
                }
            })),
            None => problems.push(Problem {
                path: "scenario".into(),
                said: format!(
                    "{} cannot be drawn from this scene: a challenge's scene is one where node listens on 8099 and curl connects to it",
                    drawn.scene()
                )
                .into(),
            }),
        }
    }
    problems
}

fn lint_drawn(lesson: &Lesson, scenario: &Scenario) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut say = |path: String, message: String| {
        problems.push(Problem {
            path,
            said: message.into(),
        })
    };
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
    problems.extend(giveaways(lesson));
    problems
}

/// What a question's answer would be read as, if a text said it first: a *choose* question's
/// solution; the ports and states a *fill* question asks for (not its addresses, which the
/// stage shows as the hosts' own, and not "n/a"); for a *predict* question, the socket it
/// names ("Socket 2").
fn secrets(ask: &Ask) -> Vec<String> {
    match ask {
        Ask::Choose { solution, .. } => vec![solution.clone()],
        Ask::Fill { solution, .. } => solution
            .values()
            .filter(|v| !v.contains('.') && *v != "n/a" && *v != "TCP" && *v != "UDP")
            .cloned()
            .collect(),
        Ask::Predict {
            solution: super::question::Pick::Socket { socket, .. },
            ..
        } => vec![format!("Socket {socket}")],
        // A challenge's words are the same whichever fault is drawn.
        Ask::Predict { .. } | Ask::Fix { .. } | Ask::Diagnose { .. } => Vec::new(),
    }
}

/// Steps whose text, or a question's prompt, says the answer to a question before the learner
/// has given it: any step's text up to and including the question's own, in any language. (A
/// predict question's socket only in its own step: an earlier step may introduce the socket.)
fn giveaways(lesson: &Lesson) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (i, step) in lesson.steps.iter().enumerate() {
        let Some(q) = &step.question else { continue };
        let own = matches!(q.ask, Ask::Predict { .. });
        let first = if own { i } else { 0 };
        for secret in secrets(&q.ask) {
            let mut places: Vec<(String, &super::file::Text)> = (first..=i)
                .map(|j| (format!("steps[{j}].text"), &lesson.steps[j].text))
                .collect();
            places.push((format!("steps[{i}].question.prompt"), &q.prompt));
            for (path, text) in places {
                for (lang, words) in text.0.iter() {
                    if crate::view::mask::says(words, &secret) {
                        problems.push(Problem {
                            path: path.clone(),
                            said: format!("its {lang} text says \"{secret}\", the answer to the question of steps[{i}], before the learner has answered: say it in the question's explain instead").into(),
                        });
                    }
                }
            }
        }
    }
    problems
}

/// What does not hold about one question: its solution and its wrong answers, judged.
fn ask_holds(ask: &Ask, at: &Moment, timeline: &Timeline, scenario: &Scenario) -> Vec<String> {
    let mut problems = Vec::new();
    let judge = |a: &Answer| ask.judge(at, timeline, scenario, a).map(|j| j.verdict);
    if let Some(q) = ask.fix_it(scenario) {
        if q.check(&Changes::new()).correct {
            problems.push("the scene already works: there is nothing to fix".to_string());
        }
    }
    let judged = judge(&ask.solution()).and_then(|right| {
        let wrongs = ask
            .wrong_answers()
            .iter()
            .map(judge)
            .collect::<Result<Vec<_>, _>>()?;
        Ok((right, wrongs))
    });
    match judged {
        Ok((right, wrongs)) => problems.extend(verdict_problems(&right, &wrongs)),
        Err(e) => problems.push(e),
    }
    problems
}

fn verdict_problems(right: &Verdict, wrongs: &[Verdict]) -> Vec<String> {
    let mut problems = Vec::new();
    if !right.correct {
        problems.push(format!(
            "its solution is not what the simulation does: {}",
            right.feedback
        ));
    }
    let mut seen = VecSet::new();
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
