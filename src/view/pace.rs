//! The pace of playback: where the virtual clock is a given real time after play was pressed.
//!
//! Time runs at 40 µs of virtual time per real millisecond at 1× while a segment is on the
//! wire (a 100 ms link takes 2.5 s to cross), and 250 times faster while nothing is (TIME-WAIT,
//! a retry's back-off). It is a function of real time, not a sum of frames, so the page and the
//! stage's worker (`static/stage.js`, `Pace` there, which follows this one line for line) each
//! work out the same moment from the same real time without telling each other every frame:
//! the worker draws the packets at every frame, and the page wakes only when a moment where
//! something happens is due.
//!
//! Pure and native-testable: times are plain numbers (virtual µs, real ms). `tests/pace.rs`
//! and `tests/e2e/pace.test.mjs` check both on the same cases (`tests/data/pace.json`).

/// Virtual microseconds per real millisecond at 1×, while a segment is on the wire.
pub const RATE_US_PER_MS: f64 = 40.0;
/// How much faster time runs while nothing is on the wire.
pub const QUIET_FACTOR: f64 = 250.0;

/// One run of playback: from `start` (virtual µs) at `since` (real ms), at `rate`, until `stop`.
#[derive(Clone, Debug, PartialEq)]
pub struct Pace {
    /// Real time (ms) at which the run started.
    pub since: f64,
    /// Virtual time (µs) then.
    pub start: f64,
    /// Virtual µs per real ms while a segment is on the wire (the speed chosen × 40).
    pub rate: f64,
    /// Where the run ends (virtual µs); it goes no further.
    pub stop: f64,
    /// When segments are on the wire: sorted, disjoint `[from, to)` spans in virtual µs.
    pub busy: Vec<(f64, f64)>,
}

impl Pace {
    /// A run from `start` at real time `since`, at `speed` (1.0 is 1×), until `stop`, in a
    /// scene whose segments are on the wire during `busy`.
    pub fn new(start: f64, since: f64, speed: f64, stop: f64, busy: Vec<(f64, f64)>) -> Pace {
        // A speed that is not a positive number would never get anywhere.
        let speed = if speed.is_finite() && speed > 0.0 {
            speed
        } else {
            1.0
        };
        Pace {
            since,
            start: start.min(stop),
            rate: RATE_US_PER_MS * speed,
            stop,
            busy,
        }
    }

    /// The virtual time (µs) at real time `real` (ms): never before the start, never past the
    /// stop.
    pub fn at(&self, real: f64) -> f64 {
        let mut left = (real - self.since).max(0.0);
        let mut t = self.start;
        let mut i = self.busy.partition_point(|b| b.0 <= t);
        while t < self.stop {
            let (rate, edge) = self.span(t, i);
            let need = (edge - t) / rate;
            if left <= need {
                return (t + left * rate).min(self.stop);
            }
            left -= need;
            t = edge;
            while i < self.busy.len() && self.busy[i].0 <= t {
                i += 1;
            }
        }
        self.stop
    }

    /// The real time (ms) at which the run reaches virtual time `t`; infinite if it never
    /// does (past the stop).
    pub fn real_at(&self, target: f64) -> f64 {
        if target > self.stop {
            return f64::INFINITY;
        }
        let mut real = self.since;
        let mut t = self.start;
        let mut i = self.busy.partition_point(|b| b.0 <= t);
        while t < target {
            let (rate, edge) = self.span(t, i);
            let edge = edge.min(target);
            real += (edge - t) / rate;
            t = edge;
            while i < self.busy.len() && self.busy[i].0 <= t {
                i += 1;
            }
        }
        real
    }

    /// At virtual time `t`, where `i` spans start at or before it: the rate, and where it
    /// changes next (or the stop).
    fn span(&self, t: f64, i: usize) -> (f64, f64) {
        match i.checked_sub(1).map(|k| self.busy[k]) {
            Some((_, to)) if t < to => (self.rate, to.min(self.stop)),
            _ => (
                self.rate * QUIET_FACTOR,
                self.busy.get(i).map_or(self.stop, |b| b.0.min(self.stop)),
            ),
        }
    }
}
