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
//!
//! - [`file`]: lesson files (`lessons/*.toml`), read and checked with every problem at once;
//!   every learner-facing string under a language key.
//! - [`lint`]: a lesson held against its scene: moments that exist, solutions the engine
//!   accepts, wrong answers it rejects with feedback of their own.
//! - [`progress`]: what a learner has done, kept by the browser under a versioned key, and
//!   exported to a file; anything unreadable is reported in one line and reset.
//! - [`try_it`]: the real commands for a step on Linux, macOS and Windows, and what each
//!   prints at that moment, rendered from the scene's own tables.

pub mod file;
pub mod fix;
pub mod lint;
pub mod moment;
pub mod progress;
pub mod question;
pub mod try_it;

pub use file::{Ask, Lesson, Question, Step, Text};
pub use fix::{Changes, Control, FixIt, Goal};
pub use lint::lint;
pub use moment::{Moment, SceneError};
pub use progress::{Progress, PROGRESS_KEY};
pub use question::{Cell, Choose, Fact, FillTable, Pick, Predict, Verdict};
