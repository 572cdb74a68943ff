//! A learner's progress: per lesson, the step reached and each question's state (done, tries,
//! hints used, solution shown). The browser keeps it under a versioned key; a learner can
//! export it to a file to hand in and import it back. Anything stored that cannot be read —
//! corrupt, from another version, from another app — is reported in one line and replaced by
//! fresh progress; the page carries on.

use crate::i18n::{t, tp, Msg};
use crate::vecmap::VecMap;
use std::fmt::Write as _;

use super::json::{quote, Json};

/// Where the browser keeps it (`localStorage`); the version is part of the key.
pub const PROGRESS_KEY: &str = "socketlab.progress.v1";

/// The version of the stored form this build reads and writes.
pub const PROGRESS_VERSION: u32 = 1;

/// What an exported file says it is, so a file from elsewhere is not taken for one.
const APP: &str = "socketlab";

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub app: String,
    pub version: u32,
    /// By lesson id.
    pub lessons: VecMap<String, LessonProgress>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LessonProgress {
    /// The step the learner last saw (from 0), to resume there.
    pub step: usize,
    /// By the index of the step that asks it (in a challenge, the attempt's).
    pub questions: VecMap<usize, QuestionProgress>,
    /// A challenge's record (none for a lesson).
    pub challenge: Option<Attempts>,
}

/// A challenge's attempts: each a fault drawn by a seed, diagnosed and fixed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Attempts {
    /// The seed of the attempt under way, whose questions are the lesson's.
    pub seed: u64,
    /// Attempts started, this one included.
    pub started: u32,
    /// Attempts finished with every goal holding (the fix answered right, not shown).
    pub passed: u32,
    /// Hints opened in the attempts before this one.
    pub hints: u32,
    /// The best score of an attempt before this one.
    pub best: u32,
    /// The seeds of the attempts before this one, the latest last (at most [`REMEMBERED`]):
    /// going back to one (the browser's Back, a link shared earlier) takes it up again, and is
    /// not a new attempt.
    pub earlier: Vec<u64>,
    /// The seeds of the attempts that can no longer pass (at most [`REMEMBERED`]): those that
    /// passed (passing one again is not a second pass) and those in which a solution was shown.
    pub closed: Vec<u64>,
}

/// How many seeds a challenge's record remembers, of earlier attempts and of passed ones.
pub const REMEMBERED: usize = 100;

/// Remember `seed` in `seeds`, forgetting the oldest beyond [`REMEMBERED`].
fn remember(seeds: &mut Vec<u64>, seed: u64) {
    seeds.push(seed);
    if seeds.len() > REMEMBERED {
        seeds.remove(0);
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QuestionProgress {
    pub done: bool,
    /// Answers given until the right one (that one included).
    pub tries: u32,
    /// Hints opened before the question was done.
    pub hints: u32,
    /// The learner asked for the solution before answering right.
    pub solution_shown: bool,
}

/// How a question was done: what the home screen says and what the score counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// The first answer was right, without a hint: full credit.
    FirstTry,
    /// Right after one wrong answer or more, without a hint: three quarters.
    AfterTries,
    /// Right after opening a hint: half.
    WithHints,
    /// The solution was shown: none.
    WithSolution,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [
        Outcome::FirstTry,
        Outcome::AfterTries,
        Outcome::WithHints,
        Outcome::WithSolution,
    ];

    /// The credit it earns, in percent of the question. `static/lms.js` reports the same to an
    /// LMS (`tests/lessons.rs` and the LMS test hold both to the README's rule).
    pub fn credit(self) -> u32 {
        match self {
            Outcome::FirstTry => 100,
            Outcome::AfterTries => 75,
            Outcome::WithHints => 50,
            Outcome::WithSolution => 0,
        }
    }
}

impl QuestionProgress {
    /// How it was done, once it is.
    pub fn outcome(&self) -> Option<Outcome> {
        Some(match self {
            q if !q.done => return None,
            q if q.solution_shown => Outcome::WithSolution,
            q if q.hints > 0 => Outcome::WithHints,
            q if q.tries > 1 => Outcome::AfterTries,
            _ => Outcome::FirstTry,
        })
    }
}

impl LessonProgress {
    /// The lesson's score, 0 to 100: the mean credit of the questions it asks (one not done
    /// counts nothing); a challenge's, its best attempt's.
    pub fn score(&self, asked: usize) -> u32 {
        let best = self.challenge.as_ref().map_or(0, |c| c.best);
        self.attempt_score(asked).max(best)
    }

    fn attempt_score(&self, asked: usize) -> u32 {
        let credit: u32 = self
            .questions
            .values()
            .filter_map(|q| q.outcome())
            .map(Outcome::credit)
            .sum();
        match asked {
            0 => 0,
            n => ((credit as f64 / n as f64).round() as u32).min(100),
        }
    }

    /// How many of its questions were done each way, in [`Outcome::ALL`]'s order.
    pub fn outcomes(&self) -> [usize; 4] {
        let mut counts = [0; 4];
        for o in self.questions.values().filter_map(|q| q.outcome()) {
            counts[Outcome::ALL.iter().position(|a| *a == o).unwrap_or(0)] += 1;
        }
        counts
    }

    /// Every question the lesson asks is done; a challenge, once an attempt has passed (its
    /// solutions shown are not a pass).
    pub fn complete(&self, asked: usize) -> bool {
        match &self.challenge {
            Some(c) => c.passed > 0,
            None => self.attempt_complete(asked),
        }
    }

    fn attempt_complete(&self, asked: usize) -> bool {
        self.questions.values().filter(|q| q.done).count() >= asked
    }

    /// Hints opened, in every attempt.
    pub fn hints(&self) -> u32 {
        let earlier = self.challenge.as_ref().map_or(0, |c| c.hints);
        earlier + self.attempt_hints()
    }

    /// Hints opened in this attempt (a lesson's only one).
    fn attempt_hints(&self) -> u32 {
        self.questions.values().map(|q| q.hints).sum()
    }
}

impl Progress {
    pub fn new() -> Progress {
        Progress {
            app: APP.to_string(),
            version: PROGRESS_VERSION,
            lessons: VecMap::new(),
        }
    }

    /// The progress stored in the browser, if any, and a line to show when it had to be reset.
    pub fn restore(stored: Option<&str>) -> (Progress, Option<String>) {
        match stored.map(Progress::parse) {
            None => (Progress::new(), None),
            Some(Ok(p)) => (p, None),
            Some(Err(why)) => (
                Progress::new(),
                Some(tp(Msg::ProgressReset, &[("why", &why)])),
            ),
        }
    }

    /// Read progress from JSON (stored or exported), or say in a few words why not.
    pub fn parse(text: &str) -> Result<Progress, String> {
        let value = Json::parse(text).ok_or_else(|| t(Msg::ProgressDamaged).to_string())?;
        if value.get("app").and_then(Json::as_str) != Some(APP) {
            return Err(t(Msg::ProgressNotOurs).to_string());
        }
        match value.get("version").and_then(Json::as_u64) {
            Some(v) if v == u64::from(PROGRESS_VERSION) => {}
            Some(v) => return Err(tp(Msg::ProgressOtherVersion, &[("v", &v.to_string())])),
            None => return Err(t(Msg::ProgressNoVersion).to_string()),
        }
        Progress::read(&value).ok_or_else(|| t(Msg::ProgressPartDamaged).to_string())
    }

    fn read(value: &Json) -> Option<Progress> {
        let mut p = Progress::new();
        let Json::Object(lessons) = value.get("lessons")? else {
            return None;
        };
        for (id, l) in lessons {
            let mut lesson = LessonProgress {
                step: usize::try_from(l.get("step")?.as_u64()?).ok()?,
                questions: VecMap::new(),
                challenge: None,
            };
            if let Some(c) = l.get("challenge") {
                let count = |k: &str| c.get(k)?.as_u64().and_then(|n| u32::try_from(n).ok());
                // Seeds: a record exported before it kept them has none.
                let seeds = |k: &str| -> Option<Vec<u64>> {
                    let mut kept = Vec::new();
                    if let Some(list) = c.get(k) {
                        let Json::List(items) = list else {
                            return None;
                        };
                        for seed in items.iter().rev().take(REMEMBERED).rev() {
                            kept.push(seed.as_u64()?);
                        }
                    }
                    Some(kept)
                };
                lesson.challenge = Some(Attempts {
                    seed: c.get("seed")?.as_u64()?,
                    started: count("started")?,
                    passed: count("passed")?,
                    hints: count("hints")?,
                    best: count("best")?.min(100),
                    earlier: seeds("earlier")?,
                    closed: seeds("closed")?,
                });
            }
            let Json::Object(questions) = l.get("questions")? else {
                return None;
            };
            for (step, q) in questions {
                let count = |k: &str| q.get(k)?.as_u64().and_then(|n| u32::try_from(n).ok());
                lesson.questions.insert(
                    step.parse().ok()?,
                    QuestionProgress {
                        done: q.get("done")?.as_bool()?,
                        tries: count("tries")?,
                        hints: count("hints")?,
                        solution_shown: q.get("solution_shown")?.as_bool()?,
                    },
                );
            }
            p.lessons.insert(id.clone(), lesson);
        }
        Some(p)
    }

    /// The JSON a learner exports, and the browser stores.
    pub fn to_json(&self) -> String {
        let lessons: Vec<String> = self
            .lessons
            .iter()
            .map(|(id, l)| {
                let questions: Vec<String> = l
                    .questions
                    .iter()
                    .map(|(step, q)| {
                        format!(
                            "        \"{step}\": {{ \"done\": {}, \"tries\": {}, \"hints\": {}, \"solution_shown\": {} }}",
                            q.done, q.tries, q.hints, q.solution_shown
                        )
                    })
                    .collect();
                let challenge = l.challenge.as_ref().map_or(String::new(), |c| {
                    let list = |seeds: &[u64]| {
                        let mut out = String::new();
                        for (i, seed) in seeds.iter().enumerate() {
                            let _ = write!(out, "{}{seed}", if i > 0 { ", " } else { "" });
                        }
                        out
                    };
                    format!(
                        ",\n      \"challenge\": {{ \"seed\": {}, \"started\": {}, \"passed\": {}, \"hints\": {}, \"best\": {}, \"earlier\": [{}], \"closed\": [{}] }}",
                        c.seed, c.started, c.passed, c.hints, c.best, list(&c.earlier), list(&c.closed)
                    )
                });
                format!(
                    "    {}: {{\n      \"step\": {},\n      \"questions\": {{\n{}\n      }}{challenge}\n    }}",
                    quote(id),
                    l.step,
                    questions.join(",\n")
                )
            })
            .collect();
        format!(
            "{{\n  \"app\": {},\n  \"version\": {},\n  \"lessons\": {{\n{}\n  }}\n}}\n",
            quote(&self.app),
            self.version,
            lessons.join(",\n")
        )
    }

    /// The question at `step` of `lesson` is done (answered right, or its solution shown).
    pub fn done(&self, lesson: &str, step: usize) -> bool {
        self.lessons
            .get(lesson)
            .and_then(|l| l.questions.get(&step))
            .is_some_and(|q| q.done)
    }

    /// The learner reached `step` of `lesson`.
    pub fn saw(&mut self, lesson: &str, step: usize) {
        self.lessons.entry(lesson.to_string()).or_default().step = step;
    }

    /// A challenge's attempt with `seed` is the one shown (of `asked` questions): if it is not
    /// the one under way, the questions of the one before are put away (its hints and score
    /// kept in the record), and this one starts, or, if it was drawn before, is taken up again
    /// from its first step (not counted as a new attempt).
    pub fn drew(&mut self, lesson: &str, seed: u64, asked: usize) {
        let l = self.lessons.entry(lesson.to_string()).or_default();
        if l.challenge.as_ref().is_some_and(|c| c.seed == seed) {
            return;
        }
        let score = l.attempt_score(asked);
        let hints = l.attempt_hints();
        let first = l.challenge.is_none();
        let c = l.challenge.get_or_insert_with(Attempts::default);
        // Taken up again (out of the earlier ones first, so the cap cannot drop it), or new.
        match c.earlier.contains(&seed) {
            true => c.earlier.retain(|s| *s != seed),
            false => c.started += 1,
        }
        if !first {
            remember(&mut c.earlier, c.seed);
        }
        c.hints += hints;
        c.best = c.best.max(score);
        c.seed = seed;
        l.questions = VecMap::new();
        l.step = 0;
    }

    /// The learner answered the question at `step` of `lesson`. Answers after it is done (a
    /// learner trying again) change nothing of how it was done.
    pub fn answered(&mut self, lesson: &str, step: usize, correct: bool) {
        let q = self.question(lesson, step);
        if !q.done {
            q.tries += 1;
            q.done = correct;
        }
    }

    /// A challenge's attempt passed: its fix, the question at `step`, holds (the learner's own
    /// fix: counted once, and not in an attempt in which a solution was shown).
    pub fn passed(&mut self, lesson: &str, step: usize) {
        if self.done(lesson, step) {
            return;
        }
        if let Some(c) = self.close_attempt(lesson) {
            c.passed += 1;
        }
    }

    /// Close `lesson`'s challenge attempt under way (see [`Attempts::closed`]): its record, if
    /// the attempt was open until now.
    fn close_attempt(&mut self, lesson: &str) -> Option<&mut Attempts> {
        let c = self
            .lessons
            .get_mut(lesson)
            .and_then(|l| l.challenge.as_mut())
            .filter(|c| !c.closed.contains(&c.seed))?;
        remember(&mut c.closed, c.seed);
        Some(c)
    }

    /// The learner opened a hint (one opened after the question was done counts for nothing).
    pub fn hinted(&mut self, lesson: &str, step: usize) {
        let q = self.question(lesson, step);
        if !q.done {
            q.hints += 1;
        }
    }

    /// The learner asked for the solution: the question is done, but not earned.
    pub fn shown(&mut self, lesson: &str, step: usize) {
        let q = self.question(lesson, step);
        q.solution_shown |= !q.done;
        q.done = true;
        // A challenge's attempt in which a solution was shown cannot pass, even taken up again.
        self.close_attempt(lesson);
    }

    fn question(&mut self, lesson: &str, step: usize) -> &mut QuestionProgress {
        self.lessons
            .entry(lesson.to_string())
            .or_default()
            .questions
            .entry(step)
            .or_default()
    }
}
