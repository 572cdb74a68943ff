//! The stage: hosts as boxes (name, address, programs and their ports, and where the latest
//! arrival went), the links between them, and every segment on the wire. It is laid out for
//! the width it has (`crate::view::stage`), one SVG unit per CSS pixel, so text keeps its
//! size on a phone. The packets are drawn over it by `packets.rs`, on a canvas a worker paints
//! at the clock's moment every frame, without the page's main thread.

use crate::vecmap::VecSet;
use std::rc::Rc;

use crate::i18n::{tn, tp, Msg};
use yew::prelude::*;

use crate::engine::event::{Demux, EventKind, SegmentId};
use crate::engine::snapshot::HostView;
use crate::engine::socket::SockState;
use crate::engine::time::Instant;
use crate::ui::clock::Clock;
use crate::ui::components::controls::seconds;
use crate::ui::components::packets::{packet_at, seg_of, PacketLayer};
use crate::ui::hooks::{use_box_size, window_size};
use crate::ui::n;
use crate::ui::scenes::Scene;
use crate::view::narrate::program;
use crate::view::scenes::host_name;
use crate::view::stage::{self as geo, StageDraw};

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
    pub focused: Rc<VecSet<SegmentId>>,
    pub reduced_motion: bool,
    pub playing: bool,
    pub on_select: Callback<Option<SegmentId>>,
    pub on_hover: Callback<Option<SegmentId>>,
    /// Words a lesson's open question asks for: shown as "?" until it is answered.
    #[prop_or_default]
    pub mask: Rc<Vec<String>>,
    /// The segment a lesson's open question asks about: labelled "this segment", the others
    /// dimmed.
    #[prop_or_default]
    pub marked: Option<SegmentId>,
    /// In a lesson: stacked hosts (a narrow stage) sit as close as packets allow, so the
    /// question and its tables share the screen with the stage.
    #[prop_or_default]
    pub short: bool,
    /// A lesson's open question asks which process holds a socket: each host's programs read
    /// "?" (how many there are would tell).
    #[prop_or_default]
    pub programs_hidden: bool,
}

/// The stage's drawing for a width, with the question's segment marked: labelled with "this
/// segment" where a lane holds that, else with its own label alone, else a (ringed) dot.
fn drawing(
    scene: &Scene,
    (w, h): (f64, f64),
    marked: Option<SegmentId>,
) -> (StageDraw, Option<(SegmentId, Rc<str>)>) {
    let draw = StageDraw::new(scene, w, h);
    let Some(seg) = marked else {
        return (draw, None);
    };
    let (Some(i), Some(text)) = (
        scene.flights.iter().position(|f| f.seg == seg),
        scene.text(seg),
    ) else {
        return (draw, None);
    };
    let long: Rc<str> = tp(Msg::StageThisSegment, &[("label", &text.short)]).into();
    for label in [long, text.short.clone()] {
        if let Some(d) = draw.marking(i, geo::columns(&label)) {
            return (d, Some((seg, label)));
        }
    }
    (draw, Some((seg, text.short.clone())))
}

#[function_component(Stage)]
pub fn stage(props: &StageProps) -> Html {
    crate::ui::hooks::counted("Stage");
    let frame = use_node_ref();
    let size = use_box_size(&frame, first_size);
    let scene = &props.scene;
    // Tight only where hosts stack (a phone): a wide stage keeps its callouts and lanes.
    let height = if props.short && size.0 < geo::NARROW_BELOW {
        0.0
    } else {
        size.1
    };
    let drawn = use_memo(
        (scene.clone(), size.0 as i64, height as i64, props.marked),
        |(scene, w, h, marked)| {
            let (draw, label) = drawing(scene, (*w as f64, *h as f64), *marked);
            (Rc::new(draw), label)
        },
    );
    let (draw, marked_label) = (&drawn.0, drawn.1.clone());
    let g = &draw.geom;
    let links = g.links.iter().flatten().map(|l| {
        html! { <line class="link" x1={n(l.from.0)} y1={n(l.from.1)} x2={n(l.to.0)} y2={n(l.to.1)} /> }
    });
    let hosts = props.hosts.iter().filter_map(|h| {
        let geom = g.hosts.get(h.id.0)?;
        let callout = callout(scene, h, props.t).unwrap_or_default();
        let callout = crate::view::mask::mask(&callout, &props.mask);
        Some(html! { <HostBox key={h.name.clone()} host={h.clone()} geom={geom.clone()} callout={callout} mask={props.mask.clone()}
                              programs_hidden={props.programs_hidden} /> })
    });
    let pointer = use_pointer(props, &frame, draw);
    let on_wire = scene.in_flight_indices(props.t).count();
    let label = tn(
        Msg::StageLabel,
        on_wire as u64,
        &[
            ("time", &seconds(props.t)),
            ("hosts", &props.hosts.len().to_string()),
            ("segments", &on_wire.to_string()),
        ],
    );
    let class = classes!("stage-svg", g.narrow.then_some("narrow"));
    html! {
        <div class="stage-frame" ref={frame} role="group" aria-label={label} onclick={pointer.click}
             onpointermove={pointer.moving} onpointerleave={pointer.leave}>
            <svg class={class} viewBox={format!("0 0 {} {}", n(g.width), n(g.height))}
                 width={n(g.width)} height={n(g.height)}>
                <g class="links">{ for links }</g>
                <g class="hosts">{ for hosts }</g>
            </svg>
            <PacketLayer scene={props.scene.clone()} draw={draw.clone()} clock={props.clock.clone()}
                         t={props.t} playing={props.playing}
                         selected={props.selected} hovered={props.hovered}
                         focused={props.focused.clone()} reduced_motion={props.reduced_motion}
                         on_key={pointer.key} mask={props.mask.clone()} marked={marked_label} />
        </div>
    }
}

/// The stage's handlers for the pointer and the keyboard.
struct Pointer {
    click: Callback<MouseEvent>,
    key: Callback<KeyboardEvent>,
    moving: Callback<PointerEvent>,
    leave: Callback<PointerEvent>,
}

/// Clicks, taps and hovers find the packet on a button (while paused) or drawn on the canvas
/// at the clock's moment; Enter or Space on a packet's button chooses it.
#[hook]
fn use_pointer(props: &StageProps, frame: &NodeRef, draw: &Rc<StageDraw>) -> Pointer {
    let draw = draw.clone();
    // A click or a tap: on a packet's button (while paused), or on a packet drawn on the
    // canvas at the clock's moment.
    let point = {
        let frame = frame.clone();
        move |e: &MouseEvent| -> Option<(f64, f64)> {
            let b = frame.cast::<web_sys::Element>()?.get_bounding_client_rect();
            Some((
                e.client_x() as f64 - b.left(),
                e.client_y() as f64 - b.top(),
            ))
        }
    };
    let on_click = {
        let cb = props.on_select.clone();
        let (scene, draw, clock) = (props.scene.clone(), draw.clone(), props.clock.clone());
        let reduced = props.reduced_motion;
        let point = point.clone();
        Callback::from(move |e: MouseEvent| {
            let seg = seg_of(&e).or_else(|| {
                let (x, y) = point(&e)?;
                packet_at(&scene, &draw, clock.now(), reduced, x, y)
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
    // Hovering: the packet under the pointer, told only when it changes.
    let under = use_mut_ref(|| None::<SegmentId>);
    let on_move = {
        let cb = props.on_hover.clone();
        let under = under.clone();
        let (scene, draw, clock) = (props.scene.clone(), draw.clone(), props.clock.clone());
        let reduced = props.reduced_motion;
        Callback::from(move |e: PointerEvent| {
            let seg = seg_of(&e).or_else(|| {
                let (x, y) = point(&e)?;
                packet_at(&scene, &draw, clock.now(), reduced, x, y)
            });
            if *under.borrow() != seg {
                *under.borrow_mut() = seg;
                cb.emit(seg);
            }
        })
    };
    let on_leave = {
        let cb = props.on_hover.clone();
        Callback::from(move |_: PointerEvent| {
            if under.borrow_mut().take().is_some() {
                cb.emit(None);
            }
        })
    };
    Pointer {
        click: on_click,
        key: on_key,
        moving: on_move,
        leave: on_leave,
    }
}

#[derive(Properties, PartialEq)]
struct HostBoxProps {
    host: Rc<HostView>,
    geom: geo::HostGeom,
    callout: String,
    mask: Rc<Vec<String>>,
    programs_hidden: bool,
}

/// `text` cut to `chars` columns of the monospace font ([`geo::char_columns`]), with an
/// ellipsis when cut.
fn fit(text: &str, chars: usize) -> String {
    let mut left = chars as isize;
    let mut s: String = text
        .chars()
        .take_while(|c| {
            left -= geo::char_columns(*c) as isize;
            left >= 0
        })
        .collect();
    if s.len() < text.len() {
        s.pop();
        s.push('…');
    }
    s
}

/// A host: drawn again only when the host, its place or its callout changes.
#[function_component(HostBox)]
fn host_box(props: &HostBoxProps) -> Html {
    crate::ui::hooks::counted("HostBox");
    let h = &props.host;
    let g = &props.geom;
    // Each program with the local ports its sockets use.
    let programs: Vec<String> = h
        .processes
        .iter()
        .map(|p| {
            let ports: VecSet<u16> = h
                .sockets
                .iter()
                .filter(|r| r.pid == Some(p.pid))
                .filter_map(|r| r.local.map(|l| l.port()))
                .collect();
            let ports: Vec<String> = ports.iter().map(|p| format!(":{p}")).collect();
            let line = format!("{} {}", program(&p.name, p.kind), ports.join(" "));
            crate::view::mask::mask(line.trim(), &props.mask)
        })
        .collect();
    let programs = match props.programs_hidden && !programs.is_empty() {
        true => vec!["?".to_string()],
        false => programs,
    };
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
            { text("host-name", &g.name, host_name(&h.name).to_string()) }
            { text("host-ip", &g.ip, h.ip.to_string()) }
            { for programs.iter().take(shown).zip(&g.programs).map(|(p, at)| text("program", at, fit(p, g.chars))) }
            if more > 0 {
                { text("program more", &g.programs[room - 1], tp(Msg::StageMore, &[("n", &more.to_string())])) }
            }
            if let (Some(at), false) = (&g.callout, props.callout.is_empty()) {
                { text("callout", at, fit(&props.callout, g.chars)) }
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
                (_, _, SockState::SynReceived) => crate::i18n::t(Msg::StageNewSocket).to_string(),
                // A capture's socket: no program is known, and its state is what the wire shows.
                #[cfg(feature = "import")]
                (None, _, state) if scene.id == crate::view::scenes::CAPTURE => tp(
                    Msg::ImportStageSocket,
                    &[(
                        "state",
                        &super::tables::unknown_state(state)
                            .unwrap_or_else(|| state.ss_name().to_string()),
                    )],
                ),
                _ => tp(Msg::StageClosingSocket, &[("state", &r.state.to_string())]),
            })
            .unwrap_or_else(|| crate::i18n::t(Msg::StageGoneSocket).to_string())
    };
    let port = port.to_string();
    let (msg, owner) = match decision {
        Demux::Connection { sock } => (Msg::StageTo, owner(*sock)),
        Demux::Listener { .. } => (Msg::StageToListener, String::new()),
        Demux::NoSocketAnswerRst => (Msg::StageNothingRst, String::new()),
        Demux::NoSocketIgnoreRst => (Msg::StageNothingIgnored, String::new()),
        Demux::UdpSocket { sock } => (Msg::StageToUdp, owner(*sock)),
        Demux::UdpClosedPort => (Msg::StageUdpClosed, String::new()),
        Demux::Icmp => (Msg::StageToStack, String::new()),
        Demux::Reassembling => (Msg::StageFragmentHeld, String::new()),
        Demux::Unseen => (Msg::ImportStageUnseen, String::new()),
    };
    Some(tp(msg, &[("owner", &owner), ("port", &port)]))
}
