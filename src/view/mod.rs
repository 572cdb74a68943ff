//! Geometry for the screen in hand: where the stage puts its hosts, links, packets and labels,
//! and where the flow graph puts its lifelines and rows, for a given width in CSS pixels.
//!
//! Pure and native-testable. It knows neither the browser nor TCP: it gets counts, links,
//! label lengths and times, and gives back rectangles. Its promise, which native tests check
//! for every built-in scene and the browser tests check again as rendered: **no label sits on
//! top of another label or of a host's text**. Where a label cannot be placed without
//! overlapping, its packet is drawn as a dot (it keeps its accessible name, and the inspector
//! shows it in full).

pub mod flow;
pub mod mask;
pub mod narrate;
pub mod pace;
pub mod ports;
pub mod scenes;
pub mod stage;
pub mod timescale;

/// An axis-aligned rectangle in CSS pixels (the stage's SVG is drawn at one unit per pixel).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn centered(cx: f64, cy: f64, w: f64, h: f64) -> Rect {
        Rect {
            x: cx - w / 2.0,
            y: cy - h / 2.0,
            w,
            h,
        }
    }

    pub fn intersects(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }

    pub fn inside(&self, o: &Rect) -> bool {
        self.x >= o.x
            && self.y >= o.y
            && self.x + self.w <= o.x + o.w
            && self.y + self.h <= o.y + o.h
    }

    /// Whether the point (x, y) is in the box.
    pub fn contains(&self, x: f64, y: f64) -> bool {
        x >= self.x && x <= self.x + self.w && y >= self.y && y <= self.y + self.h
    }

    pub fn center(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    pub fn grow(&self, by: f64) -> Rect {
        Rect {
            x: self.x - by,
            y: self.y - by,
            w: self.w + 2.0 * by,
            h: self.h + 2.0 * by,
        }
    }
}

/// The advance of one glyph of a monospace font, as a share of its size. DejaVu Sans Mono,
/// Menlo and Consolas are 0.60–0.61 em; a little more leaves room for rounding.
pub const MONO_EM: f64 = 0.62;
/// The same for a bold sans-serif font, a generous average (capitals are wider than 0.6 em).
pub const SANS_BOLD_EM: f64 = 0.68;

/// The width of `chars` characters of monospace text at `size` px.
pub fn mono_width(chars: usize, size: f64) -> f64 {
    chars as f64 * size * MONO_EM
}
