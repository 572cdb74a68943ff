//! Lessons: the course taught step by step, with questions checked against the simulation at
//! the moment they are asked, never against a stored letter alone. This module knows the
//! engine (it reads a recorded [`Timeline`](crate::engine::Timeline)) and not the browser.
//!
//! - [`moment`]: when a step shows, as a point in a scene's recorded events: a time, when a
//!   host's "Socket N" appears, or just before a segment arrives.
//! - [`question`]: the questions and how an answer is judged, each against the snapshot at
//!   its moment: *predict the socket* a segment goes to, *fill in the table* of a socket,
//!   *choose* an option whose right answer the simulation or the port registry gives.
//! - [`fix`]: *fix it*: a broken setup repaired with a user's controls, judged by running it.
//! - [`answer`]: a learner's answer to any kind of question, and the one place it is judged.
//!
//! - [`file`]: lesson files (`lessons/*.toml`), read and checked with every problem at once;
//!   every learner-facing string under a language key.
//! - [`lint`]: a lesson held against its scene: moments that exist, solutions the engine
//!   accepts, wrong answers it rejects with feedback of their own.
//! - [`progress`]: what a learner has done, kept by the browser under a versioned key, and
//!   exported to a file; anything unreadable is reported in one line and reset.
//! - [`shipped`]: the lessons of `lessons/`, as data the web app reads without a TOML parser
//!   (written and checked by a test); without their words, which [`words`] keeps by language,
//!   for the page to load when they are read.
//! - [`scorm`]: the lessons as a SCORM 1.2 package's manifest, one SCO each (written by the
//!   CLI), and the markup escaper the app's embed snippet shares.
//! - [`try_it`]: the real commands for a step on Linux, macOS and Windows, and what each
//!   prints at that moment, rendered from the scene's own tables.

pub mod answer;
pub mod challenge;
pub mod file;
pub mod fix;
pub mod goals;
pub mod json;
pub mod lint;
pub mod moment;
pub mod progress;
pub mod question;
pub mod scorm;
pub mod shipped;
pub mod try_it;
pub mod words;

pub use answer::{Answer, Judged};
pub use file::{Ask, Lesson, Question, Step, Text, WrongChoice};
pub use fix::{Changes, Control, FixIt, Goal};
pub use lint::lint;
pub use moment::{Moment, SceneError};
pub use progress::{Progress, PROGRESS_KEY};
pub use question::{Cell, Choose, Fact, FillTable, Pick, Predict, Verdict};
