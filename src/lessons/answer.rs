//! A learner's answer to any kind of question, and the one place it is judged: the same code
//! judges a learner in the browser and a lesson's solution and wrong answers in the lint.

use crate::i18n::Msg;
use crate::vecmap::VecMap;

use super::file::Ask;
use super::fix::{Changes, FixIt};
use super::moment::Moment;
use super::question::{choice_verdict, map_of, Cell, Choose, FillTable, Pick, Predict, Verdict};
use crate::engine::scenario::Scenario;
use crate::engine::Timeline;

/// What a learner gives: a socket, cells, an option or changes to a setup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    Pick(Pick),
    Cells(VecMap<Cell, String>),
    Choice(String),
    Changes(Changes),
}

/// A judged answer: the verdict and, for a table, whether each cell is right.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Judged {
    pub verdict: Verdict,
    pub cells: VecMap<Cell, bool>,
}

impl From<Verdict> for Judged {
    fn from(verdict: Verdict) -> Judged {
        Judged {
            verdict,
            cells: VecMap::new(),
        }
    }
}

/// A host's socket as a learner picks it: "Server: Socket 2", with the host's shown name.
pub fn socket_label(host: &str, socket: usize) -> String {
    crate::i18n::tp(
        Msg::QuestionHostSocket,
        &[
            ("host", &crate::view::scenes::host_name(host)),
            ("n", &socket.to_string()),
        ],
    )
}

impl Answer {
    /// The answer in words, as "Show solution" gives it.
    pub fn describe(&self, ask: &Ask, scenario: &Scenario) -> String {
        match self {
            Answer::Pick(Pick::Socket { host, socket }) => socket_label(host, *socket),
            Answer::Pick(Pick::NoSocket) => crate::i18n::t(Msg::SolutionNoSocket).to_string(),
            Answer::Cells(cells) => cells
                .iter()
                .map(|(c, v)| format!("{}: {v}", c.label()))
                .collect::<Vec<_>>()
                .join("; "),
            Answer::Choice(c) => match ask {
                Ask::Diagnose { causes, .. } => causes.iter().find(|x| x.answer == *c).map_or_else(
                    || c.clone(),
                    |x| x.name.get(crate::i18n::lang()).to_string(),
                ),
                _ => c.clone(),
            },
            Answer::Changes(changes) => {
                let controls = match ask {
                    Ask::Fix { controls, .. } => controls.as_slice(),
                    _ => &[],
                };
                changes
                    .iter()
                    .filter_map(|(i, v)| {
                        Some(format!("{}: {v}", controls.get(*i)?.label(scenario)))
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            }
        }
    }
}

impl Ask {
    /// The lesson's own solution, as an answer.
    pub fn solution(&self) -> Answer {
        match self {
            Ask::Predict { solution, .. } => Answer::Pick(solution.clone()),
            Ask::Fill { solution, .. } => Answer::Cells(solution.clone()),
            Ask::Choose { solution, .. } | Ask::Diagnose { solution, .. } => {
                Answer::Choice(solution.clone())
            }
            Ask::Fix { solution, .. } => Answer::Changes(solution.clone()),
        }
    }

    /// The wrong answers the lesson lists, each with feedback of its own.
    pub fn wrong_answers(&self) -> Vec<Answer> {
        match self {
            Ask::Predict { wrong, .. } => wrong.iter().cloned().map(Answer::Pick).collect(),
            Ask::Fill { wrong, .. } => wrong.iter().cloned().map(Answer::Cells).collect(),
            Ask::Choose { wrong, .. } => wrong
                .iter()
                .map(|w| Answer::Choice(w.answer.clone()))
                .collect(),
            Ask::Diagnose { causes, solution } => causes
                .iter()
                .filter(|c| c.answer != *solution)
                .map(|c| Answer::Choice(c.answer.clone()))
                .collect(),
            Ask::Fix { wrong, .. } => wrong.iter().cloned().map(Answer::Changes).collect(),
        }
    }

    /// Judge `answer`, asked at `at` in the scene `scenario` recorded as `timeline`: against
    /// the simulation at that moment, or, for a fix, by running the changed setup. An error
    /// says what the lesson asks for that the scene does not have.
    pub fn judge(
        &self,
        at: &Moment,
        timeline: &Timeline,
        scenario: &Scenario,
        answer: &Answer,
    ) -> Result<Judged, String> {
        // Only a fix reads the setup, and the web app judges fixes elsewhere.
        #[cfg(target_arch = "wasm32")]
        let _ = scenario;
        let err = |e: super::moment::SceneError| e.to_string();
        match (self, answer) {
            // The challenges' page asks only a challenge's questions (see `crate::CHALLENGE_PAGE`).
            (Ask::Predict { .. } | Ask::Fill { .. } | Ask::Choose { .. }, _)
                if crate::CHALLENGE_PAGE =>
            {
                Err("a challenge's page asks only diagnose and fix questions".into())
            }
            (Ask::Predict { .. }, Answer::Pick(pick)) => {
                let Moment::BeforeSegment(segment) = at else {
                    return Err("a predict question needs a step with \"before_segment\"".into());
                };
                let q = Predict { segment: *segment };
                Ok(q.check(timeline, pick).map_err(err)?.into())
            }
            (
                Ask::Fill {
                    host,
                    socket,
                    solution,
                    ..
                },
                Answer::Cells(given),
            ) => {
                let q = FillTable {
                    at: at.clone(),
                    host: host.clone(),
                    socket: *socket,
                    cells: solution.keys().copied().collect(),
                };
                let verdicts = q.check(timeline, given).map_err(err)?;
                let cells = map_of(verdicts.iter().map(|(c, v)| (*c, v.correct)));
                let feedback: Vec<String> = verdicts.into_values().map(|v| v.feedback).collect();
                let correct = cells.values().all(|&ok| ok);
                Ok(Judged {
                    verdict: Verdict {
                        correct,
                        feedback: feedback.join(" "),
                    },
                    cells,
                })
            }
            (
                Ask::Choose {
                    fact,
                    options,
                    wrong,
                    ..
                },
                Answer::Choice(chosen),
            ) => {
                let q = Choose {
                    at: at.clone(),
                    fact: fact.clone(),
                    options: options.clone(),
                };
                let why = wrong
                    .iter()
                    .find(|w| w.answer.eq_ignore_ascii_case(chosen.trim()))
                    .map(|w| w.why.get(crate::i18n::lang()));
                Ok(q.check(timeline, chosen, why).map_err(err)?.into())
            }
            // The drawn fault is the answer; a wrong cause gets what that fault would have shown.
            (Ask::Diagnose { causes, solution }, Answer::Choice(chosen)) => {
                if solution.is_empty() {
                    return Err("a challenge's diagnose question is answered once a seed has drawn its fault".into());
                }
                let chosen = chosen.trim();
                let why = causes
                    .iter()
                    .find(|c| c.answer == chosen)
                    .map(|c| c.why.get(crate::i18n::lang()));
                Ok(choice_verdict(chosen == solution, why).into())
            }
            // The web app runs a fix in its engine's worker and judges the outcome there
            // (ui::components::question); a page has no engine of its own to run one here.
            #[cfg(not(target_arch = "wasm32"))]
            (Ask::Fix { .. }, Answer::Changes(changes)) => Ok(self
                .fix_it(scenario)
                .map(|q| q.check(changes))
                .unwrap_or_else(|| Verdict::wrong(&*crate::i18n::t(Msg::FeedbackNothingToFix)))
                .into()),
            _ => Err("that answer does not fit this kind of question".into()),
        }
    }

    /// A fix question's setup to repair: the scene, its controls and its goals.
    pub fn fix_it(&self, scenario: &Scenario) -> Option<FixIt> {
        match self {
            Ask::Fix {
                controls, goals, ..
            } => Some(FixIt {
                scenario: scenario.clone(),
                controls: controls.clone(),
                goals: goals.clone(),
            }),
            _ => None,
        }
    }
}
