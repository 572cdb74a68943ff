//! The timeline scrubber's scale. A scene's exchange may last four seconds and then a socket
//! waits a minute in TIME-WAIT with nothing on the wire: drawn to scale, the exchange would be
//! a sliver at the bar's start. So a quiet stretch (no moment for longer than [`QUIET`]) takes
//! the room of [`SHORT`] on the bar, and the bar says so; everything else is to scale.

use crate::engine::time::Instant;

/// A gap between two moments longer than this (µs) is a quiet stretch.
pub const QUIET: i64 = 1_500_000;
/// How much bar a quiet stretch takes (µs), as if it lasted this long.
pub const SHORT: i64 = 400_000;

/// Where each moment of a scene's time is on the bar: a piecewise-linear map, in µs of time and
/// of bar.
#[derive(Clone, Debug, PartialEq)]
pub struct TimeScale {
    /// (time, bar) at the ends of every stretch, both rising, from (0, 0) to (end, len).
    knots: Vec<(i64, i64)>,
    /// The bar's ranges that stand for a quiet stretch.
    quiet: Vec<(i64, i64)>,
}

impl TimeScale {
    /// The scale for a scene whose moments (in order) are `moments` and which ends at `end`.
    pub fn new(moments: &[Instant], end: Instant) -> TimeScale {
        let end = end.total_micros().max(1);
        let mut knots = vec![(0i64, 0i64)];
        let mut quiet = Vec::new();
        let times = moments
            .iter()
            .map(|m| m.total_micros().clamp(0, end))
            .chain(std::iter::once(end));
        for t in times {
            let &(last_t, last_bar) = knots.last().expect("starts with one");
            if t <= last_t {
                continue;
            }
            let gap = t - last_t;
            let bar = if gap > QUIET {
                quiet.push((last_bar, last_bar + SHORT));
                SHORT
            } else {
                gap
            };
            knots.push((t, last_bar + bar));
        }
        TimeScale { knots, quiet }
    }

    /// The bar's length (µs of bar).
    pub fn bar_len(&self) -> i64 {
        self.knots.last().map_or(1, |k| k.1.max(1))
    }

    /// Whether some stretch is shortened: the bar then says so.
    pub fn shortens(&self) -> bool {
        !self.quiet.is_empty()
    }

    /// The bar's ranges that stand for a quiet stretch.
    pub fn quiet(&self) -> &[(i64, i64)] {
        &self.quiet
    }

    /// Where time `t` is on the bar.
    pub fn bar(&self, t: Instant) -> i64 {
        Self::along(&self.knots, t.total_micros(), |k| k.0, |k| k.1)
    }

    /// The time at bar position `bar`.
    pub fn time(&self, bar: i64) -> Instant {
        Instant::from_micros(Self::along(&self.knots, bar, |k| k.1, |k| k.0))
    }

    /// `x` mapped from the knots' `from` axis to their `to` axis, linearly within a stretch.
    fn along(
        knots: &[(i64, i64)],
        x: i64,
        from: impl Fn(&(i64, i64)) -> i64,
        to: impl Fn(&(i64, i64)) -> i64,
    ) -> i64 {
        let i = knots.partition_point(|k| from(k) <= x);
        match (i.checked_sub(1).map(|j| &knots[j]), knots.get(i)) {
            (Some(a), Some(b)) => {
                let (span, part) = (from(b) - from(a), x - from(a));
                // In floating point: the page then needs no 128-bit division.
                to(a) + ((to(b) - to(a)) as f64 * part as f64 / span.max(1) as f64).round() as i64
            }
            (Some(a), None) => to(a),
            (None, _) => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::time::ms;

    #[test]
    fn a_quiet_minute_takes_little_of_the_bar_and_the_exchange_the_rest() {
        let moments = [ms(0), ms(300), ms(400), ms(1000), ms(60_900)];
        let s = TimeScale::new(&moments, ms(60_900));
        assert_eq!(s.bar_len(), 1_000_000 + 400_000);
        assert_eq!(s.bar(ms(400)), 400_000);
        assert_eq!(s.bar(ms(60_900)), s.bar_len());
        assert_eq!(s.quiet(), &[(1_000_000, 1_400_000)]);
        // Half way through the quiet stretch on the bar is half way through the minute.
        assert_eq!(s.time(1_200_000), ms(30_950));
        // Every moment comes back to itself.
        for m in moments {
            assert_eq!(s.time(s.bar(m)), m);
        }
        assert!(s.shortens());
        assert!(!TimeScale::new(&[ms(0), ms(500)], ms(1000)).shortens());
    }
}
