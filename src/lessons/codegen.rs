//! The shipped lessons' structure as Rust, so the web app can carry them without a TOML parser
//! (as `build.rs` does for scenes); their words go by language into `locales/lessons/` (see
//! [`super::words`]). `tests/lessons.rs` reads `lessons/*.toml` with the one reader
//! in [`super::file`], writes them out with [`shipped_rs`], and fails if `src/lessons/shipped.rs`
//! differs (`UPDATE_SHIPPED=1` rewrites it), so the file and the data cannot drift apart.

use crate::vecmap::VecMap;

use super::file::{Ask, Lesson, Question, Step, Text, WrongChoice};
use super::fix::{Control, Goal};
use super::moment::Moment;
use super::question::{Cell, Fact, Pick};

/// A value written as the Rust expression that builds it.
trait Rust {
    fn rust(&self) -> String;
}

impl Rust for String {
    fn rust(&self) -> String {
        format!("s({self:?})")
    }
}

impl Rust for usize {
    fn rust(&self) -> String {
        self.to_string()
    }
}

impl<T: Rust> Rust for Vec<T> {
    fn rust(&self) -> String {
        let items: Vec<String> = self.iter().map(Rust::rust).collect();
        format!("vec![{}]", items.join(", "))
    }
}

impl<T: Rust> Rust for Option<T> {
    fn rust(&self) -> String {
        match self {
            Some(v) => format!("Some({})", v.rust()),
            None => "None".to_string(),
        }
    }
}

impl<K: Rust, V: Rust> Rust for VecMap<K, V> {
    fn rust(&self) -> String {
        let items: Vec<String> = self
            .iter()
            .map(|(k, v)| format!("({}, {})", k.rust(), v.rust()))
            .collect();
        format!("map(vec![{}])", items.join(", "))
    }
}

/// The words are not in the structure: the page loads them by language (see [`super::words`]).
impl Rust for Text {
    fn rust(&self) -> String {
        "Text::default()".to_string()
    }
}

impl Rust for WrongChoice {
    fn rust(&self) -> String {
        format!(
            "WrongChoice {{ answer: {}, why: {} }}",
            self.answer.rust(),
            self.why.rust()
        )
    }
}

impl Rust for Moment {
    fn rust(&self) -> String {
        match self {
            Moment::At(t) => format!("Moment::At(Instant::from_micros({}))", t.total_micros()),
            Moment::SocketAppears { host, socket } => format!(
                "Moment::SocketAppears {{ host: {}, socket: {socket} }}",
                host.rust()
            ),
            Moment::BeforeSegment(n) => format!("Moment::BeforeSegment({n})"),
        }
    }
}

impl Rust for Pick {
    fn rust(&self) -> String {
        match self {
            Pick::Socket { host, socket } => {
                format!("Pick::Socket {{ host: {}, socket: {socket} }}", host.rust())
            }
            Pick::NoSocket => "Pick::NoSocket".to_string(),
        }
    }
}

impl Rust for Cell {
    fn rust(&self) -> String {
        format!("Cell::{self:?}")
    }
}

impl Rust for Fact {
    fn rust(&self) -> String {
        match self {
            Fact::SourcePort { host, socket } => {
                format!(
                    "Fact::SourcePort {{ host: {}, socket: {socket} }}",
                    host.rust()
                )
            }
            Fact::State { host, socket } => {
                format!("Fact::State {{ host: {}, socket: {socket} }}", host.rust())
            }
            Fact::ServicePort(name) => format!("Fact::ServicePort({})", name.rust()),
            Fact::PortRange(port) => format!("Fact::PortRange({port})"),
            Fact::Reply(host) => format!("Fact::Reply({})", host.rust()),
        }
    }
}

impl Rust for Control {
    fn rust(&self) -> String {
        match self {
            Control::ListenPort { process } => {
                format!("Control::ListenPort {{ process: {} }}", process.rust())
            }
            Control::ConnectPort { process } => {
                format!("Control::ConnectPort {{ process: {} }}", process.rust())
            }
            Control::Program { process } => {
                format!("Control::Program {{ process: {} }}", process.rust())
            }
            Control::FirewallRule { index } => {
                format!("Control::FirewallRule {{ index: {index} }}")
            }
        }
    }
}

impl Rust for Goal {
    fn rust(&self) -> String {
        match self {
            Goal::Replies(p) => format!("Goal::Replies({})", p.rust()),
            Goal::Listens(p) => format!("Goal::Listens({})", p.rust()),
        }
    }
}

impl Rust for Ask {
    fn rust(&self) -> String {
        match self {
            Ask::Predict { solution, wrong } => format!(
                "Ask::Predict {{ solution: {}, wrong: {} }}",
                solution.rust(),
                wrong.rust()
            ),
            Ask::Fill {
                host,
                socket,
                solution,
                wrong,
            } => format!(
                "Ask::Fill {{ host: {}, socket: {socket}, solution: {}, wrong: {} }}",
                host.rust(),
                solution.rust(),
                wrong.rust()
            ),
            Ask::Choose {
                fact,
                options,
                solution,
                wrong,
            } => format!(
                "Ask::Choose {{ fact: {}, options: {}, solution: {}, wrong: {} }}",
                fact.rust(),
                options.rust(),
                solution.rust(),
                wrong.rust()
            ),
            Ask::Fix {
                controls,
                goal,
                solution,
                wrong,
            } => format!(
                "Ask::Fix {{ controls: {}, goal: {}, solution: {}, wrong: {} }}",
                controls.rust(),
                goal.rust(),
                solution.rust(),
                wrong.rust()
            ),
        }
    }
}

impl Rust for Question {
    fn rust(&self) -> String {
        format!(
            "Question {{ prompt: {}, hints: {}, explain: {}, ask: {} }}",
            self.prompt.rust(),
            self.hints.rust(),
            self.explain.rust(),
            self.ask.rust()
        )
    }
}

impl Rust for Step {
    fn rust(&self) -> String {
        format!(
            "Step {{ at: {}, text: {}, question: {}, try_it: {} }}",
            self.at.rust(),
            self.text.rust(),
            self.question.rust(),
            self.try_it.rust()
        )
    }
}

impl Rust for Lesson {
    fn rust(&self) -> String {
        format!(
            "Lesson {{ id: {}, scenario: {}, title: {}, goal: {}, steps: {} }}",
            self.id.rust(),
            self.scenario.rust(),
            self.title.rust(),
            self.goal.rust(),
            self.steps.rust()
        )
    }
}

/// `src/lessons/shipped.rs` for these lessons, in order.
pub fn shipped_rs(lessons: &[Lesson]) -> String {
    let mut out = String::from(
        "// Generated from lessons/*.toml by tests/lessons.rs (UPDATE_SHIPPED=1 cargo test --test lessons). Do not edit.\n\
         //! The shipped lessons' structure, built without a TOML parser (see `codegen.rs`); their\n\
         //! words are loaded by language (see `words.rs`).\n\n\
         #![allow(clippy::all, unused_imports)]\n\n\
         use crate::vecmap::VecMap;\n\n\
         use super::file::{Ask, Lesson, Question, Step, Text, WrongChoice};\n\
         use super::fix::{Control, Goal};\n\
         use super::moment::Moment;\n\
         use super::question::{Cell, Fact, Pick};\n\
         use crate::engine::time::Instant;\n\n\
         /// Owned text, made by one small function rather than inline at every use, which keeps\n\
         /// the web app's code small.\n\
         #[inline(never)]\n\
         fn s(text: &str) -> String {\n    text.to_string()\n}\n\n\
         /// A map, built by inserting (see `question::map_of`).\n\
         fn map<K: Ord, V>(pairs: Vec<(K, V)>) -> VecMap<K, V> {\n    super::question::map_of(pairs)\n}\n\n\
         /// Every shipped lesson, in the order of its file name, without its words.\n\
         pub fn shipped() -> Vec<Lesson> {\n    vec![\n",
    );
    for lesson in lessons {
        out.push_str("        ");
        out.push_str(&lesson.rust());
        out.push_str(",\n");
    }
    out.push_str("    ]\n}\n");
    out
}
