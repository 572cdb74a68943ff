//! Virtual time. The engine never reads a clock: callers pass `now` in, as smoltcp's `poll` takes
//! a timestamp. Microsecond resolution, counted from the start of the simulation.

pub use smoltcp::time::{Duration, Instant};

/// Milliseconds as an [`Instant`] since the start of the simulation.
pub fn ms(millis: i64) -> Instant {
    Instant::from_millis(millis)
}

/// A moment as seconds with milliseconds, "0.420 s" (integer arithmetic only).
pub fn seconds(t: Instant) -> String {
    format!("{} s", seconds_figure(t))
}

/// The number of [`seconds`] alone, to three places: "0.100".
pub fn seconds_figure(t: Instant) -> String {
    let us = t.total_micros();
    let sign = if us < 0 { "-" } else { "" };
    let us = us.unsigned_abs();
    format!("{sign}{}.{:03}", us / 1_000_000, (us / 1000) % 1000)
}

/// An [`Instant`] as whole microseconds, for a recording (`#[serde(with = "...::micros")]`).
pub mod micros {
    use super::Instant;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &Instant, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(t.total_micros())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Instant, D::Error> {
        i64::deserialize(d).map(Instant::from_micros)
    }
}
