//! The stage for a given width: host boxes (with the text lines inside them), links, and where
//! each packet and its label go.
//!
//! Wide screens put two hosts side by side and a hub on the right of the others. Narrow ones
//! (phones) stack the hosts top to bottom, full width, so that packets move vertically and the
//! text keeps its size instead of shrinking with a scaled-down drawing. One SVG unit is one
//! CSS pixel, so the font sizes here are the sizes a learner reads.
//!
//! Packets get **lanes**: a link's two directions run on its two sides, and packets going the
//! same way that would come closer than their labels allow get different lanes, for their
//! whole flight. A packet with no free lane is drawn as a dot, and so is one whose label would
//! meet another link's label or a host box at any moment of its trip ([`labels`]). So the
//! whole motion is known when a packet leaves, and the browser can animate it by itself.

use super::scenes::Scene;
use super::{mono_width, Rect, SANS_BOLD_EM};

/// Screens narrower than this (CSS px) get the stacked phone layout.
pub const NARROW_BELOW: f64 = 600.0;
/// The most lanes on each side of a link.
pub const MAX_LANES: usize = 3;
/// Space kept between a packet's label and the link, a host box, or another label.
const GAP: f64 = 4.0;

/// Type sizes and spacing, in CSS px. Every size is at least 12 px.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sizes {
    /// Host names (bold sans-serif).
    pub name: f64,
    /// Addresses, programs and callouts (monospace).
    pub mono: f64,
    /// The distance between two lines of text in a host box.
    pub line: f64,
    /// Packet labels (monospace, bold).
    pub chip_font: f64,
    pub chip_h: f64,
    /// Inner padding of a host box.
    pub pad: f64,
}

pub const WIDE: Sizes = Sizes {
    name: 17.0,
    mono: 13.0,
    line: 20.0,
    chip_font: 13.0,
    chip_h: 24.0,
    pad: 10.0,
};

pub const NARROW: Sizes = Sizes {
    name: 15.0,
    mono: 13.0,
    line: 19.0,
    chip_font: 12.0,
    chip_h: 24.0,
    pad: 7.0,
};

/// Where a line of text starts: `x`, the baseline `y`, and whether it is anchored at its end.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TextAt {
    pub x: f64,
    pub y: f64,
    pub end: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct HostGeom {
    pub rect: Rect,
    pub name: TextAt,
    pub ip: TextAt,
    /// One position per program line the box has room for.
    pub programs: Vec<TextAt>,
    /// The line that says where the latest arrival went.
    /// Where the latest arrival went ("→ listener :80 (new)"); none on a lesson's stage, whose
    /// step says it in words and whose tables light up the socket.
    pub callout: Option<TextAt>,
    /// How many monospace characters fit on one line of the box.
    pub chars: usize,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinkGeom {
    pub a: usize,
    pub b: usize,
    /// Where the link leaves host `a`'s box and enters host `b`'s.
    pub from: (f64, f64),
    pub to: (f64, f64),
}

#[derive(Clone, Debug, PartialEq)]
pub struct StageGeom {
    pub width: f64,
    pub height: f64,
    pub narrow: bool,
    pub sizes: Sizes,
    pub hosts: Vec<HostGeom>,
    /// In the scene's link order; None for a link to a host that does not exist.
    pub links: Vec<Option<LinkGeom>>,
}

/// The host with the most links, when it has two or more and there are three hosts or more.
fn hub(hosts: usize, links: &[(usize, usize)]) -> Option<usize> {
    let mut degree = vec![0usize; hosts];
    for &(a, b) in links {
        if a < hosts && b < hosts {
            degree[a] += 1;
            degree[b] += 1;
        }
    }
    (0..hosts)
        .max_by_key(|i| (degree[*i], usize::MAX - i))
        .filter(|i| hosts > 2 && degree[*i] >= 2)
}

/// How tall a host box is with `programs` program lines, and a line for the callout if it has
/// one.
fn box_height(s: &Sizes, title_lines: usize, programs: usize, callout: bool) -> f64 {
    2.0 * s.pad + s.line * (title_lines + programs + usize::from(callout)) as f64
}

/// The text positions inside a host box.
fn host_geom(
    s: &Sizes,
    rect: Rect,
    one_line_title: bool,
    programs: usize,
    callout: bool,
) -> HostGeom {
    let base = |i: usize| rect.y + s.pad + s.line * i as f64 + s.line * 0.72;
    let left = rect.x + s.pad;
    let (name, ip, first) = if one_line_title {
        (
            TextAt {
                x: left,
                y: base(0),
                end: false,
            },
            TextAt {
                x: rect.x + rect.w - s.pad,
                y: base(0),
                end: true,
            },
            1,
        )
    } else {
        (
            TextAt {
                x: left,
                y: base(0),
                end: false,
            },
            TextAt {
                x: left,
                y: base(1),
                end: false,
            },
            2,
        )
    };
    HostGeom {
        rect,
        name,
        ip,
        programs: (0..programs)
            .map(|i| TextAt {
                x: left,
                y: base(first + i),
                end: false,
            })
            .collect(),
        callout: callout.then(|| TextAt {
            x: left,
            y: base(first + programs),
            end: false,
        }),
        chars: ((rect.w - 2.0 * s.pad) / (s.mono * super::MONO_EM))
            .floor()
            .max(4.0) as usize,
    }
}

/// Where the straight line from `a`'s centre towards `b`'s centre leaves the box `a`.
fn edge(a: &Rect, b: &Rect) -> (f64, f64) {
    let (ca, cb) = (a.center(), b.center());
    let (dx, dy) = (cb.0 - ca.0, cb.1 - ca.1);
    let (hw, hh) = (a.w / 2.0 + 2.0, a.h / 2.0 + 2.0);
    let t = match (dx.abs() > 1e-9, dy.abs() > 1e-9) {
        (true, true) => (hw / dx.abs()).min(hh / dy.abs()),
        (true, false) => hw / dx.abs(),
        (false, true) => hh / dy.abs(),
        _ => 0.0,
    };
    (ca.0 + dx * t.min(1.0), ca.1 + dy * t.min(1.0))
}

/// What placing the hosts needs to know.
struct Room {
    width: f64,
    full_w: f64,
    gap: f64,
    hosts: usize,
    hub: Option<usize>,
    s: Sizes,
    programs: usize,
    /// How wide a host's name and address are side by side, with padding.
    title_w: f64,
    /// Whether a box has a line for its callout.
    callout: bool,
}

impl Room {
    /// A host box's height with its title on one line or two.
    fn box_h(&self, one_line: bool) -> f64 {
        box_height(
            &self.s,
            if one_line { 1 } else { 2 },
            self.programs,
            self.callout,
        )
    }
}

/// Hosts on a wide stage: one centred, two side by side, a hub with the others in a column, or
/// a grid. Their boxes, the stage's height, and whether titles fit on one line.
fn place_wide(room: &Room) -> (Vec<Rect>, f64, bool) {
    let (width, full_w) = (room.width, room.full_w);
    match (room.hosts, room.hub) {
        (0, _) => (Vec::new(), 120.0, false),
        (1, _) => {
            let bw = 260.0_f64.min(full_w);
            let bh = room.box_h(false);
            let r = Rect {
                x: (width - bw) / 2.0,
                y: 2.0,
                w: bw,
                h: bh,
            };
            (vec![r], bh + 4.0, false)
        }
        (2, _) => {
            let bw = (width * 0.32).clamp(150.0, 250.0);
            let bh = room.box_h(false);
            let lanes = 2.0 * MAX_LANES as f64 * (room.s.chip_h + GAP) + 4.0 * GAP;
            let height = bh.max(lanes) + 4.0;
            let y = (height - bh) / 2.0;
            let at = |x| Rect { x, y, w: bw, h: bh };
            (vec![at(2.0), at(width - 2.0 - bw)], height, false)
        }
        (hosts, Some(hub)) => {
            let bw = (width * 0.3).clamp(150.0, 240.0);
            let (rects, h) = hub_and_column(hub, hosts, bw, room.box_h(false), width);
            (rects, h, false)
        }
        (hosts, None) => {
            let (rects, h) = grid(hosts, room.box_h(false), width);
            (rects, h, false)
        }
    }
}

/// Hosts on a narrow stage: stacked full width (the hub in the middle of three; on a lesson's
/// stage, the two others side by side above it), or a hub with the others in a column when
/// there are more.
fn place_narrow(room: &Room) -> (Vec<Rect>, f64, bool) {
    let one_line = room.title_w <= room.full_w;
    let bh = room.box_h(one_line);
    let stack = |order: &[usize]| {
        let (rects, h) = stacked(order, room.hosts, bh, room.gap, room.full_w);
        (rects, h, one_line)
    };
    match (room.hosts, room.hub) {
        (0, _) => (Vec::new(), 120.0, false),
        (1, _) => {
            let r = Rect {
                x: 2.0,
                y: 2.0,
                w: room.full_w,
                h: bh,
            };
            (vec![r], bh + 4.0, one_line)
        }
        (2, _) => stack(&[0, 1]),
        (3, Some(hub)) if !room.callout => {
            // Two half-width boxes cannot hold a name and an address on one line.
            let bh = room.box_h(false);
            let half = ((room.full_w - PAIR_GAP) / 2.0).floor();
            let others: Vec<usize> = (0..3).filter(|i| *i != hub).collect();
            let mut rects = vec![
                Rect {
                    x: 2.0,
                    y: 2.0,
                    w: half,
                    h: bh,
                };
                3
            ];
            rects[others[1]].x = 2.0 + room.full_w - half;
            let hub_h = room.box_h(room.title_w <= room.full_w);
            rects[hub] = Rect {
                x: 2.0,
                y: 2.0 + bh + room.gap,
                w: room.full_w,
                h: hub_h,
            };
            (rects, bh + room.gap + hub_h + 4.0, false)
        }
        (3, Some(hub)) => {
            let others: Vec<usize> = (0..3).filter(|i| *i != hub).collect();
            stack(&[others[0], hub, others[1]])
        }
        (hosts, Some(hub)) => {
            let bw = ((room.width - 60.0) / 2.0).floor();
            let (rects, h) = hub_and_column(hub, hosts, bw, room.box_h(false), room.width);
            (rects, h, false)
        }
        (hosts, None) => stack(&(0..hosts).collect::<Vec<_>>()),
    }
}

/// Hosts one under another in `order`, full width, `gap` apart: their boxes and the height.
fn stacked(order: &[usize], hosts: usize, bh: f64, gap: f64, full_w: f64) -> (Vec<Rect>, f64) {
    let mut rects = vec![
        Rect {
            x: 0.0,
            y: 0.0,
            w: 0.0,
            h: 0.0
        };
        hosts
    ];
    for (row, &i) in order.iter().enumerate() {
        rects[i] = Rect {
            x: 2.0,
            y: 2.0 + row as f64 * (bh + gap),
            w: full_w,
            h: bh,
        };
    }
    (rects, order.len() as f64 * (bh + gap) - gap + 4.0)
}

/// The others in a column on the left, the hub on the right: their boxes and the height.
fn hub_and_column(hub: usize, hosts: usize, bw: f64, bh: f64, width: f64) -> (Vec<Rect>, f64) {
    let others = hosts - 1;
    let row_gap = 24.0;
    let h = (others as f64 * (bh + row_gap) + row_gap).max(bh + 2.0 * row_gap);
    let mut rects = Vec::with_capacity(hosts);
    let mut row = 0;
    for i in 0..hosts {
        if i == hub {
            rects.push(Rect {
                x: width - 2.0 - bw,
                y: (h - bh) / 2.0,
                w: bw,
                h: bh,
            });
        } else {
            rects.push(Rect {
                x: 2.0,
                y: row_gap + row as f64 * (bh + row_gap),
                w: bw,
                h: bh,
            });
            row += 1;
        }
    }
    (rects, h)
}

/// A grid, three to a row, with room between rows and columns for packets: the boxes and the
/// height.
fn grid(hosts: usize, bh: f64, width: f64) -> (Vec<Rect>, f64) {
    let cols = 3usize.min(hosts);
    let bw = ((width - 4.0 - (cols - 1) as f64 * 120.0) / cols as f64).clamp(150.0, 240.0);
    let col_gap = if cols > 1 {
        (width - 4.0 - cols as f64 * bw) / (cols - 1) as f64
    } else {
        0.0
    };
    let rects = (0..hosts)
        .map(|i| {
            let (r, c) = (i / cols, i % cols);
            Rect {
                x: 2.0 + c as f64 * (bw + col_gap),
                y: 2.0 + r as f64 * (bh + 150.0),
                w: bw,
                h: bh,
            }
        })
        .collect();
    (
        rects,
        hosts.div_ceil(cols) as f64 * (bh + 150.0) - 150.0 + 4.0,
    )
}

/// How many columns `c` takes in a monospace font: a CJK (full-width) character takes two.
pub fn char_columns(c: char) -> usize {
    1 + usize::from(c >= '\u{2E80}')
}

/// How many columns `text` takes in a monospace font ([`char_columns`]).
pub fn columns(text: &str) -> usize {
    text.chars().map(char_columns).sum()
}

/// The space between stacked hosts on a lesson's stage: room for a packet's label to pass.
const TIGHT_GAP: f64 = 48.0;
/// Between two boxes side by side on a narrow stage.
const PAIR_GAP: f64 = 10.0;

/// The stage for a box `width` CSS px wide on a screen `screen_h` px tall, with `hosts` hosts
/// joined by `links`, each host showing up to `programs` program lines (the most programs any
/// host of the scene runs). `longest_name` and `longest_ip` (in columns, [`columns`]) decide whether a
/// narrow box can put the host's name and address on one line. On a narrow screen the space
/// between stacked hosts grows with the screen's height, so the stage, the controls and a
/// socket table share one screen.
pub fn layout(
    width: f64,
    screen_h: f64,
    hosts: usize,
    links: &[(usize, usize)],
    programs: usize,
    longest_name: usize,
    longest_ip: usize,
) -> StageGeom {
    let width = width.max(280.0).round();
    let narrow = width < NARROW_BELOW;
    let s = if narrow { NARROW } else { WIDE };
    let programs = programs.clamp(1, if narrow { 2 } else { 3 });
    let tight = screen_h <= 0.0;
    let room = Room {
        width,
        full_w: width - 4.0,
        // Stacked hosts are this far apart, with room between boxes for packets to travel. A
        // screen height of 0 asks for a lesson's stage, which shares the screen with the
        // question and its table: the tightest stack, and no callout lines.
        gap: match tight {
            false => (screen_h * 0.11).clamp(64.0, 150.0).round(),
            true => TIGHT_GAP,
        },
        hosts,
        hub: hub(hosts, links),
        s,
        programs,
        title_w: longest_name as f64 * s.name * SANS_BOLD_EM
            + mono_width(longest_ip, s.mono)
            + 3.0 * s.pad,
        callout: !tight,
    };
    let (rects, height, one_line) = if narrow {
        place_narrow(&room)
    } else {
        place_wide(&room)
    };
    // A box as wide as the stage holds its title on one line where it fits, whatever the
    // others do (the hub under a pair, on a lesson's narrow stage).
    let one_line_in = |r: &Rect| one_line || (narrow && r.w >= room.full_w && room.title_w <= r.w);

    let geoms: Vec<HostGeom> = rects
        .iter()
        .map(|r| host_geom(&s, *r, one_line_in(r), programs, !tight))
        .collect();
    let link_geoms = links
        .iter()
        .map(|&(a, b)| {
            let (ra, rb) = (rects.get(a)?, rects.get(b)?);
            Some(LinkGeom {
                a,
                b,
                from: edge(ra, rb),
                to: edge(rb, ra),
            })
        })
        .collect();
    StageGeom {
        width,
        height: height.ceil(),
        narrow,
        sizes: s,
        hosts: geoms,
        links: link_geoms,
    }
}

/// A packet's label box: its width and height for `chars` characters.
pub fn chip_size(s: &Sizes, chars: usize) -> (f64, f64) {
    (mono_width(chars, s.chip_font) + 12.0, s.chip_h)
}

/// The diameter of a packet drawn as a dot.
pub const DOT: f64 = 14.0;

/// What the geometry needs to know about one packet's flight.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Flight {
    /// Index into the scene's links.
    pub link: usize,
    /// From the link's first host to its second.
    pub forward: bool,
    /// When it is on the stage, in µs: from when it is sent until it is delivered or dropped.
    pub shown: (i64, i64),
    pub depart: i64,
    pub arrive: i64,
    /// Its label's size.
    pub w: f64,
    pub h: f64,
}

/// How far along its link a flight is at `t`, 0 to 1.
pub fn progress(f: &Flight, t: i64) -> f64 {
    let total = (f.arrive - f.depart) as f64;
    if total <= 0.0 {
        return 1.0;
    }
    ((t - f.depart) as f64 / total).clamp(0.0, 1.0)
}

/// Unit vector along a link in the flight's direction, the link's length, and the unit normal
/// pointing to the flight's side (forward flights on one side, backward on the other).
fn axes(l: &LinkGeom, forward: bool) -> ((f64, f64), f64, (f64, f64)) {
    let (dx, dy) = (l.to.0 - l.from.0, l.to.1 - l.from.1);
    let len = (dx * dx + dy * dy).sqrt().max(1e-9);
    let uf = (dx / len, dy / len);
    let nf = (-uf.1, uf.0);
    if forward {
        (uf, len, nf)
    } else {
        ((-uf.0, -uf.1), len, (-nf.0, -nf.1))
    }
}

/// The extent of a w × h box along a unit direction.
fn extent(w: f64, h: f64, d: (f64, f64)) -> f64 {
    w * d.0.abs() + h * d.1.abs()
}

/// How far along the link (from its sending end) the centre of a label of this size is at
/// progress `p`: it starts clear of the sender's box and stops clear of the receiver's.
fn along(len: f64, e: f64, p: f64) -> f64 {
    let margin = e / 2.0 + GAP;
    if len <= 2.0 * margin {
        len / 2.0
    } else {
        margin + p * (len - 2.0 * margin)
    }
}

/// The distance between two lanes on a link: the widest label across it, plus a gap.
pub fn lane_pitch(g: &StageGeom, link: usize, widest: f64) -> f64 {
    match g.links.get(link).copied().flatten() {
        Some(l) => extent(widest, g.sizes.chip_h, axes(&l, true).2) + GAP,
        None => 0.0,
    }
}

/// How many slots a link has: [`MAX_LANES`] lanes on each side. A flight prefers the lanes
/// on its own side (slots `0..MAX_LANES`), then those on the other side.
pub const SLOTS: usize = 2 * MAX_LANES;

/// Where a packet's label box is at time `t`, in `slot` (None: a dot on the link itself).
pub fn chip_rect(
    g: &StageGeom,
    f: &Flight,
    slot: Option<usize>,
    pitch: f64,
    t: i64,
) -> Option<Rect> {
    let l = g.links.get(f.link).copied().flatten()?;
    let (u, len, mut n) = axes(&l, f.forward);
    let start = if f.forward { l.from } else { l.to };
    let (w, h) = match slot {
        Some(_) => (f.w, f.h),
        None => (DOT, DOT),
    };
    let a = along(len, extent(w, h, u), progress(f, t));
    let off = match slot {
        Some(k) => {
            if k >= MAX_LANES {
                n = (-n.0, -n.1);
            }
            extent(w, h, n) / 2.0 + GAP + (k % MAX_LANES) as f64 * pitch
        }
        None => 0.0,
    };
    Some(Rect::centered(
        start.0 + u.0 * a + n.0 * off,
        start.1 + u.1 * a + n.1 * off,
        w,
        h,
    ))
}

/// The lane a slot stands for, the same for both directions: which side of the link (as seen
/// going forward) and how far out. A forward flight's "other side" is a backward flight's own.
fn lane_of(f: &Flight, slot: usize) -> (bool, usize) {
    (f.forward == (slot < MAX_LANES), slot % MAX_LANES)
}

/// Whether a label in `slot` stays on the stage and off every host box for its whole trip.
fn slot_fits(g: &StageGeom, f: &Flight, slot: usize, pitch: f64) -> bool {
    let bounds = Rect {
        x: 0.0,
        y: 0.0,
        w: g.width,
        h: g.height,
    };
    [f.depart, (f.depart + f.arrive) / 2, f.arrive]
        .iter()
        .all(|&t| {
            chip_rect(g, f, Some(slot), pitch, t).is_some_and(|r| {
                r.inside(&bounds)
                    && !g
                        .hosts
                        .iter()
                        .any(|h| h.rect.grow(GAP / 2.0).intersects(&r))
            })
        })
}

/// Whether two labels in the same slot of one link keep apart while both are shown. Their
/// centres are measured on one axis, from the link's first host to its second, so packets
/// going opposite ways (which cross) are compared too.
fn keep_apart(g: &StageGeom, a: &Flight, b: &Flight) -> bool {
    let lo = a.shown.0.max(b.shown.0);
    let hi = a.shown.1.min(b.shown.1);
    if lo >= hi {
        return true;
    }
    let Some(l) = g.links.get(a.link).copied().flatten() else {
        return true;
    };
    let (u, len, _) = axes(&l, true);
    let (ea, eb) = (extent(a.w, a.h, u), extent(b.w, b.h, u));
    let need = (ea + eb) / 2.0 + GAP;
    let pos = |f: &Flight, e: f64, t: i64| {
        let x = along(len, e, progress(f, t));
        if f.forward {
            x
        } else {
            len - x
        }
    };
    // The distance is piecewise linear in time, bending only where a flight starts or stops
    // moving: its smallest value is at one of those moments, or zero where it changes sign.
    let mut times = vec![lo, hi - 1];
    for t in [a.depart, a.arrive, b.depart, b.arrive] {
        if t > lo && t < hi {
            times.push(t);
        }
    }
    crate::vecmap::sort(&mut times);
    let ds: Vec<f64> = times
        .iter()
        .map(|&t| pos(a, ea, t) - pos(b, eb, t))
        .collect();
    let crosses = ds.windows(2).any(|w| (w[0] < 0.0) != (w[1] < 0.0));
    !crosses && ds.iter().all(|d| d.abs() >= need)
}

/// Gives each flight a slot for its whole trip, or None (a dot) when every slot that fits is
/// taken by a label it would touch. Flights are taken in the order given (the order they are
/// sent), so earlier packets keep the lanes nearest the link.
pub fn assign_lanes(g: &StageGeom, flights: &[Flight], pitch: &[f64]) -> Vec<Option<usize>> {
    let mut slots: Vec<Option<usize>> = Vec::with_capacity(flights.len());
    // Per link: the flights given a slot so far that may still be on the stage.
    let mut placed: Vec<Vec<usize>> = vec![Vec::new(); g.links.len()];
    for (i, f) in flights.iter().enumerate() {
        let Some(group) = placed.get_mut(f.link) else {
            slots.push(None);
            continue;
        };
        let p = pitch.get(f.link).copied().unwrap_or(0.0);
        group.retain(|&j| flights[j].shown.1 > f.shown.0);
        let slot = (0..SLOTS).find(|&k| {
            slot_fits(g, f, k, p)
                && group
                    .iter()
                    .filter(|&&j| slots[j].map(|s| lane_of(&flights[j], s)) == Some(lane_of(f, k)))
                    .all(|&j| keep_apart(g, &flights[j], f))
        });
        slots.push(slot);
        if slot.is_some() {
            group.push(i);
        }
    }
    slots
}

/// The most packets that show their label at one moment. More cannot be read while they move,
/// and each labelled packet costs the browser work every frame; the rest are dots.
pub const MAX_LABELS: usize = 12;

/// Which flights show their label for their whole trip (at most [`MAX_LABELS`] at a time). Lanes keep the labels on one link
/// apart; this keeps apart labels on different links (which meet near a shared host) and
/// keeps every label off every host box, by checking each flight against the labels already
/// given, at moments spread over the time both are on the stage. A flight that would touch one
/// is drawn as a dot for its whole trip, so labels never flicker.
pub fn labels(
    g: &StageGeom,
    flights: &[Flight],
    slots: &[Option<usize>],
    pitch: &[f64],
) -> Vec<bool> {
    let mut labelled = vec![false; flights.len()];
    // Labelled flights that may still be on the stage.
    let mut active: Vec<usize> = Vec::new();
    let rect = |i: usize, t: i64| {
        let f = &flights[i];
        chip_rect(g, f, slots[i], pitch.get(f.link).copied().unwrap_or(0.0), t)
    };
    for (i, f) in flights.iter().enumerate() {
        if slots[i].is_none() {
            continue;
        }
        active.retain(|&j| flights[j].shown.1 > f.shown.0);
        // Every labelled flight still on the stage when this one leaves will be there with it;
        // counting them here keeps the number on the stage under the cap at every moment.
        if active.len() >= MAX_LABELS {
            continue;
        }
        let clear = |lo: i64, hi: i64, others: &[usize]| {
            let step = ((hi - lo) / 40).max(1000);
            let mut t = lo;
            while t < hi {
                let Some(a) = rect(i, t) else { return false };
                if g.hosts
                    .iter()
                    .any(|h| h.rect.grow(GAP / 2.0).intersects(&a))
                {
                    return false;
                }
                for &j in others {
                    if flights[j].shown.0 <= t && t < flights[j].shown.1 {
                        if let Some(b) = rect(j, t) {
                            if b.grow(GAP / 2.0).intersects(&a) {
                                return false;
                            }
                        }
                    }
                }
                t = if t == hi - 1 {
                    hi
                } else {
                    (t + step).min(hi - 1)
                };
            }
            true
        };
        let others: Vec<usize> = active
            .iter()
            .copied()
            .filter(|&j| flights[j].link != f.link)
            .collect();
        if clear(f.shown.0, f.shown.1.max(f.shown.0 + 1), &others) {
            labelled[i] = true;
            active.push(i);
        }
    }
    labelled
}

/// What the stage needs for one scene at one width, worked out once.
#[derive(PartialEq)]
pub struct StageDraw {
    pub geom: StageGeom,
    /// One per [`Scene::flights`], with its label's size for this width.
    pub flights: Vec<Flight>,
    /// Each flight's slot beside its link, or None for a dot.
    pub slots: Vec<Option<usize>>,
    /// Whether each flight shows its label (see [`labels`]); the others are dots. Only a
    /// flight with a slot can be labelled.
    pub labelled: Vec<bool>,
    /// Per link: the distance between two lanes.
    pub pitch: Vec<f64>,
}

impl StageDraw {
    pub fn new(scene: &Scene, width: f64, screen_h: f64) -> StageDraw {
        let links: Vec<(usize, usize)> = scene.links.iter().map(|(a, b)| (a.0, b.0)).collect();
        let geom = layout(
            width,
            screen_h,
            scene.scenario.hosts.len(),
            &links,
            scene.most_programs,
            scene.longest_name,
            scene.longest_ip,
        );
        let flights: Vec<Flight> = scene
            .flights
            .iter()
            .map(|f| {
                let chars = scene
                    .text(f.seg)
                    .map(|p| p.short.chars().count())
                    .unwrap_or(4);
                let (w, h) = chip_size(&geom.sizes, chars);
                Flight {
                    link: f.link,
                    forward: f.forward,
                    shown: f.shown,
                    depart: f.depart,
                    arrive: f.arrive,
                    w,
                    h,
                }
            })
            .collect();
        let pitch: Vec<f64> = (0..links.len())
            .map(|l| {
                let widest = flights
                    .iter()
                    .filter(|f| f.link == l)
                    .map(|f| f.w)
                    .fold(0.0, f64::max);
                lane_pitch(&geom, l, widest)
            })
            .collect();
        let slots = assign_lanes(&geom, &flights, &pitch);
        let labelled = labels(&geom, &flights, &slots, &pitch);
        StageDraw {
            geom,
            flights,
            slots,
            labelled,
            pitch,
        }
    }

    /// The same stage with one flight marked: the segment a lesson's question asks about. Only
    /// it shows a label, `chars` columns wide (its own words and "this segment"), in the
    /// nearest lane where it fits for its whole trip; every other packet is a dot, so nothing
    /// draws the eye away and no label can meet it. None when no lane holds a label that wide.
    pub fn marking(&self, i: usize, chars: usize) -> Option<StageDraw> {
        let mut d = StageDraw {
            geom: self.geom.clone(),
            flights: self.flights.clone(),
            slots: self.slots.clone(),
            labelled: self.labelled.clone(),
            pitch: self.pitch.clone(),
        };
        let f = d.flights.get_mut(i)?;
        let (w, h) = chip_size(&d.geom.sizes, chars);
        (f.w, f.h) = (w, h);
        let link = f.link;
        if let Some(p) = d.pitch.get_mut(link) {
            *p = p.max(lane_pitch(&d.geom, link, w));
        }
        let pitch = d.pitch.get(link).copied().unwrap_or(0.0);
        let f = &d.flights[i];
        let slot = (0..SLOTS).find(|&k| slot_fits(&d.geom, f, k, pitch));
        d.slots = vec![None; d.flights.len()];
        d.slots[i] = slot;
        d.labelled = labels(&d.geom, &d.flights, &d.slots, &d.pitch);
        d.label_slot(i).is_some().then_some(d)
    }

    /// The slot flight `i`'s label stands in, if it shows its label (a dot otherwise).
    pub fn label_slot(&self, i: usize) -> Option<usize> {
        self.slots[i].filter(|_| self.labelled[i])
    }

    /// Where flight `i` is drawn at `t` (µs): its label's box, or its dot's.
    pub fn box_at(&self, i: usize, t: i64) -> Option<Rect> {
        let f = &self.flights[i];
        let pitch = self.pitch.get(f.link).copied().unwrap_or(0.0);
        chip_rect(&self.geom, f, self.label_slot(i), pitch, t)
    }
}
