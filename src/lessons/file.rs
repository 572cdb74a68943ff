//! Lesson files (`lessons/*.toml`): read, and every problem reported at once with its path and
//! a sentence, as scenario files are. Every learner-facing string sits under a language key
//! (`title.en`); English is required, and room is left for the others.
//!
//! ```toml
//! version = 1
//! id = "new-socket-per-connection"
//! scenario = "node-server-8099"   # a file in scenarios/
//! title.en = "A new socket for each connection"
//! goal.en = "See why a server has one listening socket and one more per client."
//!
//! [[steps]]
//! before_segment = 4              # or at_ms = 0, or socket_appears = "Server:2"
//! text.en = "curl's request is on its way."
//! question.kind = "predict"       # predict, fill, choose or fix
//! question.prompt.en = "Which socket will receive it?"
//! question.solution = "Server:2"  # a host's Socket N, or "none"
//! question.wrong = ["Server:1", "none"]
//! question.hints = [{ en = "A listener only receives new connections." }]
//! try_it = "Server"               # show the real commands, and this host's table in them
//! ```

use crate::vecmap::VecMap;
use serde::{Deserialize, Serialize};

use toml::{Table, Value};

use super::fix::{Changes, Control, Goal};
use super::moment::Moment;
use super::question::{Cell, Fact, Pick};
use crate::engine::checker::{join, kind, Checker, Problem};
use crate::engine::time::ms;

/// The lesson format version this build reads.
pub const LESSON_VERSION: i64 = 1;

/// The languages a lesson's text may be in; `en` is required.
pub const LANGUAGES: &[&str] = &["en", "zh-Hant"];

/// At most this many steps in a lesson, and hints in a question.
const MOST_STEPS: usize = 40;
const MOST_HINTS: usize = 2;

/// A learner-facing string, by language.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Text(pub VecMap<String, String>);

/// A text travels without its words: a lesson's structure is shipped apart from its words,
/// which go by language (see [`super::words`]). Only where a text is travels (a question's
/// second hint, its explanation), so the words fill the right places: as one byte, so that a
/// list of texts is never longer than the bytes that hold it.
impl Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(0)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        u8::deserialize(d).map(|_| Text::default())
    }
}

impl Text {
    /// The text in `lang`, or in English when it has none in that language.
    pub fn get(&self, lang: &str) -> &str {
        self.0
            .get(lang)
            .or_else(|| self.0.get("en"))
            .map_or("", String::as_str)
    }
}

/// The part of the course a lesson belongs to, as the home screen groups them, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Part {
    /// The course's slides, in their order.
    Slides,
    /// What happens with a server of one's own: many clients, other protocols, ports and closes.
    OwnServer,
    /// Mistakes a learner will meet, to read and fix.
    WhenItGoesWrong,
    /// "What's wrong?": a fault drawn at random, diagnosed and fixed.
    Challenges,
}

impl Part {
    pub const ALL: [Part; 4] = [
        Part::Slides,
        Part::OwnServer,
        Part::WhenItGoesWrong,
        Part::Challenges,
    ];

    /// As a lesson file names it.
    pub fn key(self) -> &'static str {
        match self {
            Part::Slides => "slides",
            Part::OwnServer => "own-server",
            Part::WhenItGoesWrong => "when-it-goes-wrong",
            Part::Challenges => "challenges",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Lesson {
    pub id: String,
    pub part: Part,
    /// The scene it plays: a file stem in `scenarios/`.
    pub scenario: String,
    pub title: Text,
    pub goal: Text,
    pub steps: Vec<Step>,
    /// A "What's wrong?" challenge: its scene is `scenario` with a fault drawn by a seed
    /// ([`super::challenge`]), which also gives its *diagnose* question's answer and its *fix*
    /// question's controls, goals and solution.
    pub challenge: bool,
}

impl Lesson {
    /// How many of its steps ask a question.
    pub fn asked(&self) -> usize {
        self.steps.iter().filter(|s| s.question.is_some()).count()
    }

    /// Every text of the lesson in one fixed order: its title and goal, then each step's text,
    /// its question's prompt and its hints. A language's words travel as a list in this order
    /// (see [`super::words`]).
    pub fn texts_mut(&mut self) -> Vec<&mut Text> {
        let mut out = vec![&mut self.title, &mut self.goal];
        for step in &mut self.steps {
            out.push(&mut step.text);
            if let Some(q) = &mut step.question {
                out.push(&mut q.prompt);
                out.extend(q.hints.iter_mut());
                out.extend(q.explain.as_mut());
                match &mut q.ask {
                    Ask::Choose { wrong, .. } => out.extend(wrong.iter_mut().map(|w| &mut w.why)),
                    Ask::Diagnose { causes, .. } => {
                        for c in causes {
                            out.push(&mut c.name);
                            out.push(&mut c.why);
                            out.push(&mut c.explain);
                        }
                    }
                    _ => {}
                }
            }
        }
        out
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub at: Moment,
    pub text: Text,
    pub question: Option<Question>,
    /// The host whose socket table "Try it on your machine" prints at this step, if any.
    pub try_it: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub prompt: Text,
    /// Up to two, shown one at a time before "Show solution".
    pub hints: Vec<Text>,
    /// Why the right answer is right, in a sentence or two: shown once the learner has answered
    /// right or asked for the solution, never before (it may say the answer).
    pub explain: Option<Text>,
    pub ask: Ask,
}

/// A wrong option of a *choose* question, with what a learner who picks it should hear: the
/// idea behind that mistake.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WrongChoice {
    pub answer: String,
    pub why: Text,
}

/// A cause a *diagnose* question offers: its key (a [`super::challenge::Fault`]'s), its name,
/// what a learner who picks it wrongly should hear (what that fault would have shown), and,
/// when it is the drawn one, why what the learner saw comes from it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cause {
    pub answer: String,
    pub name: Text,
    pub why: Text,
    pub explain: Text,
}

/// What a question asks, with its solution and the wrong answers a test replays.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Ask {
    /// Which socket receives the segment the step stops before.
    Predict { solution: Pick, wrong: Vec<Pick> },
    /// Some cells of a host's Socket N at the step's moment.
    Fill {
        host: String,
        socket: usize,
        solution: VecMap<Cell, String>,
        wrong: Vec<VecMap<Cell, String>>,
    },
    Choose {
        fact: Fact,
        options: Vec<String>,
        solution: String,
        /// Every option but the solution, each with its own feedback.
        wrong: Vec<WrongChoice>,
    },
    /// Which fault a challenge's scene has: one of `causes`, the drawn one the solution
    /// (a challenge's file leaves it empty: the draw sets it).
    Diagnose {
        causes: Vec<Cause>,
        solution: String,
    },
    /// Repair the lesson's scene with these controls (in a challenge, the draw's).
    Fix {
        controls: Vec<Control>,
        goals: Vec<Goal>,
        solution: Changes,
        wrong: Vec<Changes>,
    },
}

/// Read a lesson from TOML text.
pub fn from_toml(text: &str) -> Result<Lesson, Vec<Problem>> {
    let table: Table = text.parse().map_err(|e: toml::de::Error| {
        vec![Problem {
            path: String::new(),
            said: format!("not valid TOML: {}", e.message()).into(),
        }]
    })?;
    let mut c = Checker::new(crate::i18n::Msg::WorkshopProblemWhatLesson);
    let lesson = read_lesson(&mut c, &table);
    match lesson {
        Some(lesson) if c.problems.is_empty() => Ok(lesson),
        _ => Err(c.problems),
    }
}

fn read_lesson(c: &mut Checker, top: &Table) -> Option<Lesson> {
    c.fields(
        top,
        "",
        &[
            "version",
            "id",
            "part",
            "scenario",
            "title",
            "goal",
            "steps",
            "challenge",
        ],
    );
    if let Some(v) = c.integer(top, "", "version", true, 0, i64::MAX) {
        if v != LESSON_VERSION {
            c.problem("version", format!("this lesson is format version {v}; this Socket Lab reads version {LESSON_VERSION}"));
        }
    }
    let id = c.string(top, "", "id", true);
    if let Some(id) = id.filter(|id| !is_id(id)) {
        c.problem(
            "id",
            format!("\"{id}\" must be lower-case letters, digits and dashes, like \"new-socket-per-connection\""),
        );
    }
    let part = c.string(top, "", "part", true).and_then(|p| {
        let part = Part::ALL.into_iter().find(|part| part.key() == p);
        if part.is_none() {
            c.problem("part", format!("\"{p}\" is not a part of the course; use \"slides\", \"own-server\", \"when-it-goes-wrong\" or \"challenges\""));
        }
        part
    });
    let scenario = c.string(top, "", "scenario", true);
    let title = text(c, top, "", "title");
    let goal = text(c, top, "", "goal");
    let challenge = match top.get("challenge") {
        None => false,
        Some(Value::Boolean(b)) => *b,
        Some(v) => {
            c.problem(
                "challenge",
                format!("must be true or false, not {}", kind(v)),
            );
            false
        }
    };
    let steps = list(c, top, "", ("steps", true, MOST_STEPS), |c, v, p| {
        read_step(c, v, p, challenge)
    });
    if challenge {
        let asks: Vec<&Ask> = steps
            .iter()
            .flatten()
            .filter_map(|s| s.question.as_ref().map(|q| &q.ask))
            .collect();
        if !asks.iter().any(|a| matches!(a, Ask::Diagnose { .. }))
            || !asks.iter().any(|a| matches!(a, Ask::Fix { .. }))
        {
            c.problem(
                "steps",
                "a challenge asks a diagnose question and then a fix question",
            );
        }
    }
    Some(Lesson {
        id: id?.to_string(),
        part: part?,
        scenario: scenario?.to_string(),
        title: title?,
        goal: goal?,
        steps: steps?,
        challenge,
    })
}

fn is_id(id: &str) -> bool {
    id.chars()
        .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')
}

/// A field that must be there, read by `read` at its own path.
fn required<'t, T>(
    c: &mut Checker,
    t: &'t Table,
    path: &str,
    key: &str,
    read: impl FnOnce(&mut Checker, &'t Value, &str) -> Option<T>,
) -> Option<T> {
    match t.get(key) {
        Some(v) => read(c, v, &join(path, key)),
        None => {
            c.problem(path, format!("\"{key}\" is missing"));
            None
        }
    }
}

/// A string under each language key, English required.
fn text(c: &mut Checker, t: &Table, path: &str, key: &str) -> Option<Text> {
    required(c, t, path, key, lang_text)
}

/// A table of strings by language, at `path`.
fn lang_text(c: &mut Checker, value: &Value, path: &str) -> Option<Text> {
    let by_lang = c.table(value, path)?;
    c.fields(by_lang, path, LANGUAGES);
    let mut out = VecMap::new();
    for lang in LANGUAGES {
        if let Some(s) = c.string(by_lang, path, lang, *lang == "en") {
            out.insert(lang.to_string(), s.to_string());
        }
    }
    out.contains_key("en").then_some(Text(out))
}

fn read_step(c: &mut Checker, value: &Value, path: &str, challenge: bool) -> Option<Step> {
    let t = c.table(value, path)?;
    c.fields(
        t,
        path,
        &[
            "at_ms",
            "socket_appears",
            "before_segment",
            "text",
            "question",
            "try_it",
        ],
    );
    let try_it = c.string(t, path, "try_it", false).map(str::to_string);
    if challenge && try_it.is_some() {
        c.problem(
            &join(path, "try_it"),
            "a challenge's page has no \"try it on your machine\": its clues are the scene's",
        );
    }
    let at = read_moment(c, t, path);
    let text = text(c, t, path, "text");
    let question = match t.get("question") {
        Some(q) => Some(read_question(
            c,
            q,
            &join(path, "question"),
            at.as_ref(),
            challenge,
        )?),
        None => None,
    };
    Some(Step {
        at: at?,
        text: text?,
        question,
        try_it,
    })
}

/// A step's moment: exactly one of `at_ms`, `socket_appears`, `before_segment`.
fn read_moment(c: &mut Checker, t: &Table, path: &str) -> Option<Moment> {
    let given: Vec<&str> = ["at_ms", "socket_appears", "before_segment"]
        .into_iter()
        .filter(|k| t.contains_key(*k))
        .collect();
    if given.len() != 1 {
        c.problem(
            path,
            "say when the step shows with one of \"at_ms\", \"socket_appears\" (like \"Server:2\") or \"before_segment\"",
        );
        return None;
    }
    match given[0] {
        "at_ms" => c
            .integer(t, path, "at_ms", true, 0, 3_600_000)
            .map(|n| Moment::At(ms(n))),
        "socket_appears" => {
            let (host, socket) = socket_ref(c, t, path, "socket_appears")?;
            Some(Moment::SocketAppears { host, socket })
        }
        _ => c
            .integer(t, path, "before_segment", true, 1, 100_000)
            .map(|n| Moment::BeforeSegment(n as u64)),
    }
}

/// "Host name:N": a host's Socket N.
fn socket_ref(c: &mut Checker, t: &Table, path: &str, key: &str) -> Option<(String, usize)> {
    let s = c.string(t, path, key, true)?;
    let parsed = parse_socket(s);
    if parsed.is_none() {
        c.problem(
            &join(path, key),
            format!("\"{s}\" must be a host's socket, like \"Server:2\" (its Socket 2)"),
        );
    }
    parsed
}

fn parse_socket(s: &str) -> Option<(String, usize)> {
    let (host, n) = s.rsplit_once(':')?;
    let n: usize = n.trim().parse().ok().filter(|n| *n > 0)?;
    (!host.trim().is_empty()).then(|| (host.trim().to_string(), n))
}

fn parse_pick(s: &str) -> Option<Pick> {
    if s == "none" {
        return Some(Pick::NoSocket);
    }
    parse_socket(s).map(|(host, socket)| Pick::Socket { host, socket })
}

fn read_question(
    c: &mut Checker,
    value: &Value,
    path: &str,
    at: Option<&Moment>,
    challenge: bool,
) -> Option<Question> {
    let t = c.table(value, path)?;
    let prompt = text(c, t, path, "prompt");
    let hints = list(c, t, path, ("hints", false, MOST_HINTS), lang_text);
    let explain = match t.get("explain") {
        Some(v) => Some(lang_text(c, v, &join(path, "explain"))?),
        None => None,
    };
    let kind = c.string(t, path, "kind", true);
    if kind == Some("choose") && explain.is_none() {
        c.problem(
            path,
            "a choose question needs \"explain\": a sentence or two on why its answer is right, shown once the learner has answered",
        );
    }
    let ask = match kind {
        // A challenge's page has the code of its own two kinds only (`crate::CHALLENGE_PAGE`).
        Some(other @ ("predict" | "fill" | "choose")) if challenge => {
            c.problem(
                &join(path, "kind"),
                format!("a challenge asks only diagnose and fix questions, not \"{other}\""),
            );
            None
        }
        Some("predict") => read_predict(c, t, path, at),
        Some("fill") => read_fill(c, t, path),
        Some("choose") => read_choose(c, t, path),
        Some("fix") if challenge => read_drawn_fix(c, t, path),
        Some("fix") => read_fix(c, t, path),
        Some("diagnose") if challenge => read_diagnose(c, t, path),
        Some("diagnose") => {
            c.problem(
                &join(path, "kind"),
                "a diagnose question names a drawn fault: only a challenge (challenge = true) asks one",
            );
            None
        }
        Some(other) => {
            c.problem(
                &join(path, "kind"),
                format!("\"{other}\" is not a kind of question; use \"predict\", \"fill\", \"choose\", \"fix\" or, in a challenge, \"diagnose\""),
            );
            None
        }
        None => None,
    };
    Some(Question {
        prompt: prompt?,
        hints: hints?,
        explain,
        ask: ask?,
    })
}

/// The keys every question has, and the ones its kind adds.
fn question_fields(c: &mut Checker, t: &Table, path: &str, own: &[&str]) {
    let mut allowed = vec!["kind", "prompt", "hints", "explain", "solution", "wrong"];
    allowed.extend_from_slice(own);
    c.fields(t, path, &allowed);
}

/// The list under `key`, of at most `most` entries, each read by `one` at its own path
/// (`steps[2]`); None if any could not be read (each said why).
fn list<T>(
    c: &mut Checker,
    t: &Table,
    path: &str,
    (key, required, most): (&str, bool, usize),
    mut one: impl FnMut(&mut Checker, &Value, &str) -> Option<T>,
) -> Option<Vec<T>> {
    let read: Vec<Option<T>> = c
        .array(t, path, key, required, most)
        .iter()
        .enumerate()
        .map(|(i, v)| one(c, v, &format!("{}[{i}]", join(path, key))))
        .collect();
    read.into_iter().collect()
}

/// A question's "wrong" answers, each read by `one`.
fn wrong<T>(
    c: &mut Checker,
    t: &Table,
    path: &str,
    one: impl FnMut(&mut Checker, &Value, &str) -> Option<T>,
) -> Option<Vec<T>> {
    list(c, t, path, ("wrong", false, 20), one)
}

fn pick(c: &mut Checker, v: &Value, path: &str) -> Option<Pick> {
    let parsed = v.as_str().and_then(parse_pick);
    if parsed.is_none() {
        c.problem(
            path,
            format!(
                "must be a host's socket, like \"Server:2\", or \"none\", not {}",
                shown(v)
            ),
        );
    }
    parsed
}

fn shown(v: &Value) -> String {
    match v.as_str() {
        Some(s) => format!("\"{s}\""),
        None => kind(v).to_string(),
    }
}

fn read_predict(c: &mut Checker, t: &Table, path: &str, at: Option<&Moment>) -> Option<Ask> {
    question_fields(c, t, path, &[]);
    if at.is_some_and(|m| !matches!(m, Moment::BeforeSegment(_))) {
        c.problem(
            path,
            "a predict question stops just before a segment arrives: its step needs \"before_segment\"",
        );
    }
    let solution = required(c, t, path, "solution", pick);
    let wrong = wrong(c, t, path, pick);
    Some(Ask::Predict {
        solution: solution?,
        wrong: wrong?,
    })
}

fn parse_cell(s: &str) -> Option<Cell> {
    Some(match s {
        "transport" => Cell::Transport,
        "source_port" => Cell::SourcePort,
        "source_addr" => Cell::SourceAddr,
        "dest_port" => Cell::DestPort,
        "dest_addr" => Cell::DestAddr,
        "state" => Cell::State,
        _ => return None,
    })
}

/// Cells and their values: `{ source_port = "8099", dest_addr = "192.168.1.101" }`.
fn cells(c: &mut Checker, v: &Value, path: &str) -> Option<VecMap<Cell, String>> {
    let t = c.table(v, path)?;
    let mut out = VecMap::new();
    for (key, value) in t {
        let at = join(path, key);
        match (parse_cell(key), value.as_str()) {
            (Some(cell), Some(s)) => {
                out.insert(cell, s.to_string());
            }
            (None, _) => c.problem(
                &at,
                "not a cell; use transport, source_port, source_addr, dest_port, dest_addr or state",
            ),
            (_, None) => c.problem(&at, format!("must be text in quotes, not {}", kind(value))),
        }
    }
    (out.len() == t.len()).then_some(out)
}

fn read_fill(c: &mut Checker, t: &Table, path: &str) -> Option<Ask> {
    question_fields(c, t, path, &["socket"]);
    let socket = socket_ref(c, t, path, "socket");
    let solution = required(c, t, path, "solution", cells);
    if solution.as_ref().is_some_and(VecMap::is_empty) {
        c.problem(&join(path, "solution"), "name at least one cell to fill in");
    }
    // The question's table hides the socket's ports and addresses until it is answered; its
    // transport and state stay in sight (the tables, the stage), so asking them would say them.
    for (cell, key) in [(Cell::Transport, "transport"), (Cell::State, "state")] {
        if solution.as_ref().is_some_and(|s| s.contains_key(&cell)) {
            c.problem(
                &join(&join(path, "solution"), key),
                "a fill question asks ports and addresses, which its table hides until answered; the screen shows the transport and the state, so ask those with a choose question (fact = { state = \"Server:2\" })",
            );
        }
    }
    let wrong = wrong(c, t, path, cells);
    let (host, socket) = socket?;
    Some(Ask::Fill {
        host,
        socket,
        solution: solution?,
        wrong: wrong?,
    })
}

fn read_fact(c: &mut Checker, t: &Table, path: &str) -> Option<Fact> {
    let at = join(path, "fact");
    let f = required(c, t, path, "fact", |c, v, at| c.table(v, at))?;
    c.fields(
        f,
        &at,
        &[
            "source_port",
            "state",
            "source_port_range",
            "pid",
            "service",
            "range",
            "reply",
            "ephemeral_range",
        ],
    );
    if f.len() != 1 {
        c.problem(&at, "name one fact: source_port, state, source_port_range, pid (a host's socket, like \"Client PC:1\"), service (like \"mongodb\"), range (a port number, like 27017), reply or ephemeral_range (a host, like \"Client PC\")");
        return None;
    }
    if f.contains_key("reply") {
        return c
            .string(f, &at, "reply", true)
            .map(|s| Fact::Reply(s.to_string()));
    }
    if f.contains_key("ephemeral_range") {
        return c
            .string(f, &at, "ephemeral_range", true)
            .map(|s| Fact::EphemeralRange(s.to_string()));
    }
    if f.contains_key("range") {
        return c
            .integer(f, &at, "range", true, 0, 65535)
            .map(|p| Fact::PortRange(p as u16));
    }
    if f.contains_key("service") {
        return c
            .string(f, &at, "service", true)
            .map(|s| Fact::ServicePort(s.to_string()));
    }
    let key = ["state", "source_port_range", "pid"]
        .into_iter()
        .find(|k| f.contains_key(*k))
        .unwrap_or("source_port");
    let (host, socket) = socket_ref(c, f, &at, key)?;
    Some(match key {
        "state" => Fact::State { host, socket },
        "source_port_range" => Fact::SourcePortRange { host, socket },
        "pid" => Fact::Pid { host, socket },
        _ => Fact::SourcePort { host, socket },
    })
}

fn option_text(c: &mut Checker, v: &Value, path: &str) -> Option<String> {
    let s = v.as_str().map(str::to_string);
    if s.is_none() {
        c.problem(path, format!("must be text in quotes, not {}", kind(v)));
    }
    s
}

/// A wrong option and why it is wrong: `{ answer = "80", why.en = "…" }`.
fn wrong_choice(c: &mut Checker, v: &Value, path: &str) -> Option<WrongChoice> {
    let t = c.table(v, path)?;
    c.fields(t, path, &["answer", "why"]);
    let answer = c.string(t, path, "answer", true).map(str::to_string);
    let why = text(c, t, path, "why");
    Some(WrongChoice {
        answer: answer?,
        why: why?,
    })
}

fn read_choose(c: &mut Checker, t: &Table, path: &str) -> Option<Ask> {
    question_fields(c, t, path, &["fact", "options"]);
    let fact = read_fact(c, t, path);
    let options = list(c, t, path, ("options", true, 6), option_text);
    let solution = c.string(t, path, "solution", true).map(str::to_string);
    let wrong = wrong(c, t, path, wrong_choice);
    if let (Some(options), Some(solution)) = (&options, &solution) {
        if !options.contains(solution) {
            c.problem(
                &join(path, "solution"),
                format!("\"{solution}\" is not one of the options"),
            );
        }
        // Every other option is a wrong one, with feedback about that mistake.
        let given: Vec<&str> = wrong.iter().flatten().map(|w| w.answer.as_str()).collect();
        for option in options.iter().filter(|o| *o != solution) {
            if !given.contains(&option.as_str()) {
                c.problem(
                    &join(path, "wrong"),
                    format!("the option \"{option}\" has no feedback: add a [[steps.question.wrong]] with answer = \"{option}\" and why.en, saying why a learner might pick it and why it is not right"),
                );
            }
        }
        for (i, w) in wrong.iter().flatten().enumerate() {
            if !options.contains(&w.answer) || w.answer == *solution {
                c.problem(
                    &format!("{}[{i}].answer", join(path, "wrong")),
                    format!("\"{}\" is not one of the wrong options", w.answer),
                );
            }
        }
    }
    Some(Ask::Choose {
        fact: fact?,
        options: options?,
        solution: solution?,
        wrong: wrong?,
    })
}

fn read_control(c: &mut Checker, v: &Value, path: &str) -> Option<Control> {
    let t = c.table(v, path)?;
    c.fields(
        t,
        path,
        &[
            "listen_port",
            "connect_port",
            "connect_host",
            "program",
            "firewall_rule",
        ],
    );
    if t.len() != 1 {
        c.problem(path, "name one control: listen_port, connect_port, connect_host or program (a process), or firewall_rule (a rule's number from 0)");
        return None;
    }
    if t.contains_key("firewall_rule") {
        return c
            .integer(t, path, "firewall_rule", true, 0, 99)
            .map(|i| Control::FirewallRule { index: i as usize });
    }
    let key = ["listen_port", "connect_port", "connect_host", "program"]
        .into_iter()
        .find(|k| t.contains_key(*k))?;
    let process = c.string(t, path, key, true)?.to_string();
    Some(match key {
        "listen_port" => Control::ListenPort { process },
        "connect_port" => Control::ConnectPort { process },
        "connect_host" => Control::ConnectHost { process },
        _ => Control::Program { process },
    })
}

/// One goal of a fix-it: `{ replies = "curl" }`, `{ listens = "node" }`, `{ connects = "curl" }`,
/// `{ established = { host = "Server", port = 8099, count = 3 } }`, `{ no_drops = true }` or
/// `{ reaches = { host = "Client", state = "TIME-WAIT" } }` (see `goals.rs`).
fn read_goal(c: &mut Checker, v: &Value, path: &str) -> Option<Goal> {
    const KINDS: [&str; 6] = [
        "replies",
        "listens",
        "connects",
        "established",
        "no_drops",
        "reaches",
    ];
    let g = c.table(v, path)?;
    c.fields(g, path, &KINDS);
    if g.len() != 1 {
        c.problem(path, "name one goal: replies, listens or connects (a process), established, no_drops or reaches");
        return None;
    }
    let kind = KINDS.into_iter().find(|k| g.contains_key(*k))?;
    let process = |c: &mut Checker| c.string(g, path, kind, true).map(String::from);
    match kind {
        "replies" => process(c).map(Goal::Replies),
        "listens" => process(c).map(Goal::Listens),
        "connects" => process(c).map(Goal::Connects),
        "no_drops" => match g.get(kind) {
            Some(Value::Boolean(true)) => Some(Goal::NoDrops),
            _ => {
                c.problem(&join(path, kind), "must be true");
                None
            }
        },
        "established" => {
            let at = join(path, kind);
            let t = c.table(&g[kind], &at)?;
            c.fields(t, &at, &["host", "port", "count"]);
            let host = c.string(t, &at, "host", true).map(String::from);
            let port = c.integer(t, &at, "port", true, 1, 65535);
            let count = c.integer(t, &at, "count", true, 1, 1000);
            Some(Goal::Established {
                host: host?,
                port: port? as u16,
                count: count? as u32,
            })
        }
        _ => {
            let at = join(path, kind);
            let t = c.table(&g[kind], &at)?;
            c.fields(t, &at, &["host", "state"]);
            let host = c.string(t, &at, "host", true).map(String::from);
            let state = c.string(t, &at, "state", true).and_then(|s| {
                let state = crate::engine::socket::SockState::from_rfc_name(s);
                if state.is_none() {
                    c.problem(&join(&at, "state"), format!("\"{s}\" is not a TCP state; use a name such as \"ESTABLISHED\" or \"TIME-WAIT\""));
                }
                state
            });
            Some(Goal::Reaches {
                host: host?,
                state: state?,
            })
        }
    }
}

/// The values set, one per control in order ("" leaves one as it is).
fn changes(c: &mut Checker, v: &Value, path: &str) -> Option<Changes> {
    let Some(list) = v.as_array() else {
        c.problem(
            path,
            format!("must be a list of values, one per control, not {}", kind(v)),
        );
        return None;
    };
    let mut out = Changes::new();
    for (i, item) in list.iter().enumerate() {
        match item.as_str() {
            Some("") => {}
            Some(s) => {
                out.insert(i, s.to_string());
            }
            None => {
                c.problem(
                    &format!("{path}[{i}]"),
                    format!("must be text in quotes, not {}", kind(item)),
                );
                return None;
            }
        }
    }
    Some(out)
}

/// A challenge's fix: the draw gives its controls, goals and solution.
fn read_drawn_fix(c: &mut Checker, t: &Table, path: &str) -> Option<Ask> {
    c.fields(t, path, &["kind", "prompt", "hints", "explain"]);
    Some(Ask::Fix {
        controls: Vec::new(),
        goals: Vec::new(),
        solution: Changes::new(),
        wrong: Vec::new(),
    })
}

/// A cause a diagnose question offers:
/// `{ answer = "firewall-drop", name.en = "…", why.en = "…", explain.en = "…" }`.
fn cause(c: &mut Checker, v: &Value, path: &str) -> Option<Cause> {
    let t = c.table(v, path)?;
    c.fields(t, path, &["answer", "name", "why", "explain"]);
    let answer = c.string(t, path, "answer", true).map(str::to_string);
    if let Some(a) = answer.as_deref() {
        if super::challenge::Fault::from_key(a).is_none() {
            c.problem(
                &join(path, "answer"),
                format!("\"{a}\" is not a fault a challenge draws"),
            );
        }
    }
    let name = text(c, t, path, "name");
    let why = text(c, t, path, "why");
    let explain = text(c, t, path, "explain");
    Some(Cause {
        answer: answer?,
        name: name?,
        why: why?,
        explain: explain?,
    })
}

/// A challenge's diagnose question: every fault the draw can pick, each with its name and
/// feedback; the draw gives the answer.
fn read_diagnose(c: &mut Checker, t: &Table, path: &str) -> Option<Ask> {
    c.fields(t, path, &["kind", "prompt", "hints", "causes"]);
    let causes = list(c, t, path, ("causes", true, 12), cause)?;
    for fault in super::challenge::Fault::ALL {
        if !causes.iter().any(|x| x.answer == fault.key()) {
            c.problem(
                &join(path, "causes"),
                format!(
                    "the fault \"{}\" is not among the causes: a challenge may draw it",
                    fault.key()
                ),
            );
        }
    }
    Some(Ask::Diagnose {
        causes,
        solution: String::new(),
    })
}

fn read_fix(c: &mut Checker, t: &Table, path: &str) -> Option<Ask> {
    question_fields(c, t, path, &["controls", "goals"]);
    let controls = list(c, t, path, ("controls", true, 4), read_control);
    let goals = list(c, t, path, ("goals", true, 6), read_goal);
    let solution = required(c, t, path, "solution", changes);
    let wrong = wrong(c, t, path, changes);
    Some(Ask::Fix {
        controls: controls?,
        goals: goals?,
        solution: solution?,
        wrong: wrong?,
    })
}
