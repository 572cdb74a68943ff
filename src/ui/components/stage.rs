//! The stage: hosts as boxes (name, address, programs and their ports, and where the latest
//! arrival went), the links between them, and every segment on the wire. It is laid out for
//! the width it has (`crate::view::stage`), one SVG unit per CSS pixel, so text keeps its
//! size on a phone. The packets move with the clock, every frame, without a re-render.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::engine::event::{Demux, EventKind, SegmentId};
use crate::engine::snapshot::HostView;
use crate::engine::socket::SockState;
use crate::engine::time::{seconds, Instant};
use crate::ui::clock::Clock;
use crate::ui::hooks::{use_box_size, window_size};
use crate::ui::n;
use crate::ui::scenes::Scene;
use crate::view::stage::{self as geo, StageDraw};
use crate::view::Rect;

/// The stage's size before it can be measured: the window's width less the page's margins,
/// and the window's height.
fn first_size() -> (f64, f64) {
    let (w, h) = window_size();
    (first_width(w), h)
}

fn first_width(w: f64) -> f64 {
    if w < geo::NARROW_BELOW {
        // The phone layout's margins: page 8 px, stage padding 4 px and border 1 px, each side.
        w - 26.0
    } else {
        (w * 0.55).min(900.0)
    }
}

#[derive(Properties, PartialEq)]
pub struct StageProps {
    pub scene: Rc<Scene>,
    /// The hosts, each an `Rc` that stays the same while the host does.
    pub hosts: Rc<Vec<Rc<HostView>>>,
    /// The moment shown (for the arrival callouts).
    pub t: Instant,
    pub clock: Clock,
    pub selected: Option<SegmentId>,
    pub hovered: Option<SegmentId>,
    /// Segments of the socket a learner picked in a table.
    pub focused: Rc<BTreeSet<SegmentId>>,
    pub reduced_motion: bool,
    pub on_select: Callback<Option<SegmentId>>,
    pub on_hover: Callback<Option<SegmentId>>,
}

#[function_component(Stage)]
pub fn stage(props: &StageProps) -> Html {
    let frame = use_node_ref();
    let size = use_box_size(&frame, first_size);
    let scene = &props.scene;
    let draw = use_memo(
        (scene.clone(), size.0 as i64, size.1 as i64),
        |(scene, w, h)| StageDraw::new(scene, *w as f64, *h as f64),
    );
    let g = &draw.geom;
    let links = g.links.iter().flatten().map(|l| {
        html! { <line class="link" x1={n(l.from.0)} y1={n(l.from.1)} x2={n(l.to.0)} y2={n(l.to.1)} /> }
    });
    let hosts = props.hosts.iter().map(|h| {
        let Some(geom) = g.hosts.get(h.id.0) else {
            return html! {};
        };
        let callout = callout(scene, h, props.t).unwrap_or_default();
        html! { <HostBox key={h.name.clone()} host={h.clone()} geom={geom.clone()} callout={callout} /> }
    });
    // One handler per kind of event for all packets: each packet says which segment it is.
    let seg_of = |e: &web_sys::Event| -> Option<SegmentId> {
        let el: web_sys::Element = e.target()?.dyn_into().ok()?;
        let packet = el.closest("[data-seg]").ok()??;
        packet
            .get_attribute("data-seg")?
            .parse()
            .ok()
            .map(SegmentId)
    };
    let on_click = {
        let cb = props.on_select.clone();
        let (scene, draw, clock) = (props.scene.clone(), draw.clone(), props.clock.clone());
        Callback::from(move |e: MouseEvent| {
            // A labelled packet is an element; a dot is found by where the click landed.
            let seg = seg_of(&e).or_else(|| {
                let frame: web_sys::Element = e.current_target()?.dyn_into().ok()?;
                let b = frame.get_bounding_client_rect();
                let (x, y) = (
                    e.client_x() as f64 - b.left(),
                    e.client_y() as f64 - b.top(),
                );
                dot_at(&scene, &draw, clock.now(), x, y)
            });
            if let Some(seg) = seg {
                cb.emit(Some(seg));
            }
        })
    };
    let on_key = {
        let cb = props.on_select.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                if let Some(seg) = seg_of(&e) {
                    e.prevent_default();
                    cb.emit(Some(seg));
                }
            }
        })
    };
    let on_over = {
        let cb = props.on_hover.clone();
        Callback::from(move |e: PointerEvent| cb.emit(seg_of(&e)))
    };
    let on_leave = {
        let cb = props.on_hover.clone();
        Callback::from(move |_: PointerEvent| cb.emit(None))
    };
    let on_wire = scene.in_flight_indices(props.t).count();
    let label = format!(
        "The network at {}: {} hosts, {} segment{} on the wire",
        seconds(props.t),
        props.hosts.len(),
        on_wire,
        if on_wire == 1 { "" } else { "s" }
    );
    let class = classes!("stage-svg", g.narrow.then_some("narrow"));
    html! {
        <div class="stage-frame" ref={frame} role="group" aria-label={label} onclick={on_click}>
            <svg class={class} viewBox={format!("0 0 {} {}", n(g.width), n(g.height))}
                 width={n(g.width)} height={n(g.height)}>
                <g class="links">{ for links }</g>
                <g class="hosts">{ for hosts }</g>
            </svg>
            <PacketLayer scene={props.scene.clone()} draw={draw.clone()} clock={props.clock.clone()}
                         selected={props.selected} hovered={props.hovered}
                         focused={props.focused.clone()} reduced_motion={props.reduced_motion}
                         on_key={on_key} on_over={on_over} on_leave={on_leave} />
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct HostBoxProps {
    host: Rc<HostView>,
    geom: geo::HostGeom,
    callout: String,
}

/// `text` cut to `chars` characters, with an ellipsis when cut.
fn fit(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(chars.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// A host: drawn again only when the host, its place or its callout changes.
#[function_component(HostBox)]
fn host_box(props: &HostBoxProps) -> Html {
    let h = &props.host;
    let g = &props.geom;
    // Each program with the local ports its sockets use.
    let programs: Vec<String> = h
        .processes
        .iter()
        .map(|p| {
            let ports: BTreeSet<u16> = h
                .sockets
                .iter()
                .filter(|r| r.pid == Some(p.pid))
                .filter_map(|r| r.local.map(|l| l.port()))
                .collect();
            let ports: Vec<String> = ports.iter().map(|p| format!(":{p}")).collect();
            format!("{} {}", p.name, ports.join(" ")).trim().to_string()
        })
        .collect();
    let room = g.programs.len();
    let (shown, more) = if programs.len() > room {
        (room - 1, programs.len() - (room - 1))
    } else {
        (programs.len(), 0)
    };
    let text = |class: &'static str, at: &geo::TextAt, s: String| {
        let anchor = if at.end { "end" } else { "start" };
        html! { <text class={class} x={n(at.x)} y={n(at.y)} text-anchor={anchor}>{ s }</text> }
    };
    let r = g.rect;
    html! {
        <g class="host">
            <rect x={n(r.x)} y={n(r.y)} width={n(r.w)} height={n(r.h)} rx="12" />
            { text("host-name", &g.name, h.name.clone()) }
            { text("host-ip", &g.ip, h.ip.to_string()) }
            { for programs.iter().take(shown).zip(&g.programs).map(|(p, at)| text("program", at, fit(p, g.chars))) }
            if more > 0 {
                { text("program more", &g.programs[room - 1], format!("+ {more} more")) }
            }
            if !props.callout.is_empty() {
                { text("callout", &g.callout, fit(&props.callout, g.chars)) }
            }
        </g>
    }
}

/// Where the latest segment to arrive at this host went, and why: "→ listener :80 (new)".
fn callout(scene: &Scene, host: &HostView, t: Instant) -> Option<String> {
    let events = scene.timeline.events();
    let last = scene.timeline.events_until(t);
    // A bounded look back: in a busy scene something arrived recently anyway.
    let first = last.saturating_sub(4000);
    let (seg, decision) = events[first..last]
        .iter()
        .rev()
        .find_map(|e| match &e.kind {
            EventKind::SegmentDelivered {
                seg,
                host: h,
                decision,
            } if *h == host.id => Some((*seg, decision)),
            _ => None,
        })?;
    let port = scene
        .sent_index(seg)
        .and_then(|i| match &events[i].kind {
            EventKind::SegmentSent(s) => s.summary.ports().map(|(_, dp)| dp),
            _ => None,
        })
        .unwrap_or(0);
    let owner = |sock| {
        host.sockets
            .iter()
            .find(|r| r.sock == sock)
            .map(|r| match (&r.command, r.fd, r.state) {
                (Some(c), Some(fd), _) => format!("{c} fd {fd}"),
                (_, _, SockState::SynReceived) => "a new socket".to_string(),
                _ => format!("closing socket ({})", r.state),
            })
            .unwrap_or_else(|| "a socket now gone".into())
    };
    Some(match decision {
        Demux::Connection { sock } => format!("→ {} (4-tuple)", owner(*sock)),
        Demux::Listener { .. } => format!("→ listener :{port} (new)"),
        Demux::NoSocketAnswerRst => format!("nothing on :{port} → RST"),
        Demux::NoSocketIgnoreRst => format!("nothing on :{port}; RST ignored"),
        Demux::UdpSocket { sock } => format!("→ {} (UDP :{port})", owner(*sock)),
        Demux::UdpClosedPort => format!("UDP :{port} closed → ICMP"),
        Demux::Icmp => "ICMP → the stack".to_string(),
    })
}

#[derive(Properties, PartialEq)]
struct PacketLayerProps {
    scene: Rc<Scene>,
    draw: Rc<StageDraw>,
    clock: Clock,
    selected: Option<SegmentId>,
    hovered: Option<SegmentId>,
    focused: Rc<BTreeSet<SegmentId>>,
    reduced_motion: bool,
    on_key: Callback<KeyboardEvent>,
    on_over: Callback<PointerEvent>,
    on_leave: Callback<PointerEvent>,
}

/// A packet element on the stage and what it last showed: its position in whole pixels and its
/// state bits, so an unchanged packet costs nothing.
struct Drawn {
    element: web_sys::HtmlElement,
    at: (i32, i32),
    bits: u8,
}

const SELECTED: u8 = 1;
const HIGHLIGHT: u8 = 2;

/// The packets are HTML elements over the drawing, each moved by a CSS transform: the browser
/// moves them on the compositor, with no layout and no repaint of the stage. Each is made when
/// its segment leaves, moved by the clock every frame (only when its rounded position changes)
/// and removed when it arrives. Clicks, keys and hovers are handled once, on the layer.
#[function_component(PacketLayer)]
fn packet_layer(props: &PacketLayerProps) -> Html {
    let group = use_node_ref();
    let dots = use_node_ref();
    let drawn = use_mut_ref(BTreeMap::<SegmentId, Drawn>::new);
    // What each dot path last said, so an unchanged path is not set again.
    let dot_paths = use_mut_ref(|| vec![String::new(); DOT_PATHS]);
    {
        // A new scene or a new width starts with an empty layer.
        let drawn = drawn.clone();
        use_effect_with(props.draw.clone(), move |_| {
            move || {
                for d in drawn.borrow().values() {
                    d.element.remove();
                }
                drawn.borrow_mut().clear();
            }
        });
    }
    {
        let group = group.clone();
        let (dots, dot_paths) = (dots.clone(), dot_paths.clone());
        let drawn = drawn.clone();
        let scene = props.scene.clone();
        let draw = props.draw.clone();
        let clock = props.clock.clone();
        let (selected, hovered, focused, reduced) = (
            props.selected,
            props.hovered,
            props.focused.clone(),
            props.reduced_motion,
        );
        use_effect(move || {
            let frame = move |t: Instant| {
                let Some(group) = group.cast::<web_sys::Element>() else {
                    return;
                };
                let bits = |seg: SegmentId| {
                    (u8::from(selected == Some(seg)) * SELECTED)
                        | (u8::from(hovered == Some(seg) || focused.contains(&seg)) * HIGHLIGHT)
                };
                let dots = DotLayer {
                    svg: dots.cast::<web_sys::Element>(),
                    last: &mut dot_paths.borrow_mut(),
                };
                draw_packets(
                    &scene,
                    &draw,
                    &group,
                    &mut drawn.borrow_mut(),
                    dots,
                    t,
                    reduced,
                    bits,
                );
            };
            frame(clock.now());
            let subscription = clock.subscribe(frame);
            move || drop(subscription)
        });
    }
    html! {
        <>
            // Packets without a label, all of them as a few paths in one layer: in a busy scene
            // there are many, and an element each would cost the browser work every frame.
            // Every segment can also be opened from the event list.
            <svg class="dots" ref={dots} width={n(props.draw.geom.width)} height={n(props.draw.geom.height)} aria-hidden="true">
                { for (0..DOT_PATHS).map(|k| html! { <path key={k} class={if k < 8 { format!("conn-{k}") } else { "marked".to_string() }} /> }) }
            </svg>
            <div class={classes!("packets", props.draw.geom.narrow.then_some("narrow"))} ref={group} onkeydown={props.on_key.clone()}
                 onpointerover={props.on_over.clone()} onpointerleave={props.on_leave.clone()} />
        </>
    }
}

/// Put every segment on the wire at `t` where it belongs, as a label or a dot.
#[allow(clippy::too_many_arguments)]
fn draw_packets(
    scene: &Scene,
    draw: &StageDraw,
    group: &web_sys::Element,
    drawn: &mut BTreeMap<SegmentId, Drawn>,
    dots: DotLayer,
    t: Instant,
    reduced: bool,
    bits: impl Fn(SegmentId) -> u8,
) {
    let g = &draw.geom;
    let now: Vec<usize> = scene.in_flight_indices(t).collect();
    let when = |i: usize| {
        let f = &draw.flights[i];
        // With reduced motion a segment does not glide: it shows half-way until it arrives.
        if reduced {
            (f.depart + f.arrive) / 2
        } else {
            t.total_micros()
        }
    };
    let document = gloo::utils::document();
    let mut present = BTreeSet::new();
    let mut paths = vec![String::new(); DOT_PATHS];
    for &i in &now {
        let f = &draw.flights[i];
        let seg = scene.flights[i].seg;
        let Some(text) = scene.text(seg) else {
            continue;
        };
        // Which packets show their label was worked out for each whole trip (`labels`), so a
        // label never flickers into a dot and back.
        let label_slot = draw.slots[i].filter(|_| draw.labelled[i]);
        let Some(slot) = label_slot else {
            if let Some(dot) = geo::chip_rect(g, f, None, 0.0, when(i)) {
                let (cx, cy) = dot.center();
                let k = if bits(seg) != 0 {
                    8
                } else {
                    text.conn.unwrap_or(0) % 8
                };
                // A dot is a line of no length with round caps: a short string for the browser
                // to read each frame (the path's stroke width is the dot's size).
                let _ = write!(paths[k], "M{} {}h0", cx.round() as i32, cy.round() as i32);
            }
            continue;
        };
        let Some(rect) = geo::chip_rect(g, f, Some(slot), draw.pitch[f.link], when(i)) else {
            continue;
        };
        present.insert(seg);
        // Each packet rounds to whole pixels at its own phase: packets on links of one length
        // would otherwise all step a pixel in the same frames, and those frames would be heavy.
        let phase = (seg.0 as f64 * 0.618_034).fract();
        let at = (
            (rect.x + phase).floor() as i32,
            (rect.y + phase).floor() as i32,
        );
        let b = bits(seg);
        let transform = || format!("translate({}px, {}px)", at.0, at.1);
        let class = || {
            let mut class = format!("packet conn-{}", text.conn.unwrap_or(0) % 8);
            for (bit, name) in [(SELECTED, " selected"), (HIGHLIGHT, " highlight")] {
                if b & bit != 0 {
                    class.push_str(name);
                }
            }
            if text.rst {
                class.push_str(" rst");
            }
            class
        };
        match drawn.get_mut(&seg) {
            Some(d) => {
                if d.at != at {
                    let _ = d.element.style().set_property("transform", &transform());
                    d.at = at;
                }
                if d.bits != b {
                    let _ = d.element.set_attribute("class", &class());
                    d.bits = b;
                }
            }
            None => {
                let made = make_packet(
                    &document,
                    seg,
                    &text.short,
                    &text.aria,
                    &rect,
                    &transform(),
                    &class(),
                );
                let Ok(element) = made else {
                    continue;
                };
                let _ = group.append_child(&element);
                drawn.insert(
                    seg,
                    Drawn {
                        element,
                        at,
                        bits: b,
                    },
                );
            }
        }
    }
    drawn.retain(|seg, d| {
        let keep = present.contains(seg);
        if !keep {
            d.element.remove();
        }
        keep
    });
    if let Some(svg) = dots.svg {
        let children = svg.children();
        for (k, d) in paths.into_iter().enumerate() {
            if dots.last[k] != d {
                if let Some(path) = children.item(k as u32) {
                    let _ = path.set_attribute("d", &d);
                }
                dots.last[k] = d;
            }
        }
    }
}

/// The paths that draw the dots: one per connection colour, and one for marked dots (those
/// chosen, under the pointer or belonging to the socket picked in a table).
const DOT_PATHS: usize = 9;

/// The dots' drawing and what its paths last said.
struct DotLayer<'a> {
    svg: Option<web_sys::Element>,
    last: &'a mut Vec<String>,
}

/// The segment drawn as a dot nearest to (x, y) on the stage at `t`, if one is within reach of
/// a finger.
fn dot_at(scene: &Scene, draw: &StageDraw, t: Instant, x: f64, y: f64) -> Option<SegmentId> {
    scene
        .in_flight_indices(t)
        .filter(|&i| !draw.labelled[i])
        .filter_map(|i| {
            let r = geo::chip_rect(&draw.geom, &draw.flights[i], None, 0.0, t.total_micros())?;
            let (cx, cy) = r.center();
            let d = (cx - x).powi(2) + (cy - y).powi(2);
            (d <= 16.0 * 16.0).then_some((d, scene.flights[i].seg))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, seg)| seg)
}

fn set_size(el: &web_sys::HtmlElement, rect: &Rect) -> Result<(), wasm_bindgen::JsValue> {
    let style = el.style();
    style.set_property("width", &format!("{}px", n(rect.w)))?;
    style.set_property("height", &format!("{}px", n(rect.h)))
}

fn make_packet(
    document: &web_sys::Document,
    seg: SegmentId,
    label: &str,
    aria: &str,
    rect: &Rect,
    transform: &str,
    class: &str,
) -> Result<web_sys::HtmlElement, wasm_bindgen::JsValue> {
    let el: web_sys::HtmlElement = document.create_element("div")?.dyn_into()?;
    el.set_attribute("class", class)?;
    el.set_attribute("data-seg", &seg.0.to_string())?;
    el.set_attribute("role", "button")?;
    el.set_attribute("tabindex", "0")?;
    el.set_attribute("aria-label", aria)?;
    // Styles set through the CSSOM, which the page's Content-Security-Policy allows.
    el.style().set_property("transform", transform)?;
    set_size(&el, rect)?;
    let text = document.create_element("span")?;
    text.set_text_content(Some(label));
    el.append_child(&text)?;
    Ok(el)
}
