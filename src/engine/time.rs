//! Virtual time. The engine never reads a clock: callers pass `now` in, as smoltcp's `poll` takes
//! a timestamp. Microsecond resolution, counted from the start of the simulation.

pub use smoltcp::time::{Duration, Instant};

/// Milliseconds as an [`Instant`] since the start of the simulation.
pub fn ms(millis: i64) -> Instant {
    Instant::from_millis(millis)
}
