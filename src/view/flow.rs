//! The flow graph for a given width: a lifeline per host and one row per segment, as
//! Wireshark's flow graph draws it. One row per segment means no two arrow labels can share a
//! line; lifelines are spread to fit the width, and when they cannot all fit at a readable
//! spacing the graph is wider than its box and scrolls (its header row stays in view).

use super::mono_width;

/// Type size of the labels (monospace), in CSS px.
pub const FONT: f64 = 12.0;
/// The height of one row.
pub const ROW: f64 = 26.0;
/// The column on the left that says when each segment left.
pub const TIME_W: f64 = 64.0;
/// The header row with the host names.
pub const HEAD: f64 = 30.0;

#[derive(Clone, Debug, PartialEq)]
pub struct FlowGeom {
    pub width: f64,
    /// The height of the rows (the header is drawn separately, so that it can stay in view).
    pub height: f64,
    /// Each host's lifeline.
    pub xs: Vec<f64>,
    /// The spacing between two neighbouring lifelines.
    pub spacing: f64,
}

/// Lifelines for `hosts` hosts in a box `width` px wide, far enough apart for a label of
/// `longest` characters, with `rows` rows.
pub fn layout(width: f64, hosts: usize, longest: usize, rows: usize) -> FlowGeom {
    let label = mono_width(longest, FONT) + 16.0;
    // Labels sit between lifelines; beside the outer ones is room for a host's name.
    let margin = 52.0;
    let usable = width - TIME_W - 2.0 * margin;
    let spacing = if hosts > 1 {
        (usable / (hosts - 1) as f64).max(label)
    } else {
        0.0
    };
    let xs: Vec<f64> = (0..hosts)
        .map(|i| (TIME_W + margin + spacing * i as f64).round())
        .collect();
    let right = xs.last().copied().unwrap_or(TIME_W) + margin;
    FlowGeom {
        width: right.max(width).round(),
        height: ROW * rows as f64 + 8.0,
        xs,
        spacing,
    }
}

impl FlowGeom {
    /// The baseline of row `i`'s arrow.
    pub fn row_y(&self, i: usize) -> f64 {
        ROW * i as f64 + ROW - 6.0
    }

    /// How many characters of label fit between lifelines `a` and `b` (or beside a lifeline,
    /// for a segment that goes nowhere).
    pub fn label_chars(&self, a: usize, b: Option<usize>) -> usize {
        let room = match b {
            Some(b) if b != a => (self.xs[a] - self.xs[b]).abs() - 12.0,
            _ => self.spacing.max(120.0) - 12.0,
        };
        (room / (FONT * super::MONO_EM)).floor().max(1.0) as usize
    }
}
