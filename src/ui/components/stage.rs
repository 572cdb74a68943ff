//! The stage: hosts as boxes (name, address, programs and their ports), the links between them,
//! and every segment on the wire at the engine's progress for the current moment. When a
//! segment arrives, the host shows where its transport layer delivered it, and why.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;
use wasm_bindgen::JsCast;

use yew::prelude::*;

use crate::engine::event::{Demux, EventKind, SegmentId};
use crate::engine::net::HostId;
use crate::engine::snapshot::{HostView, Snapshot};
use crate::engine::socket::SockState;
use crate::engine::time::{seconds, Duration, Instant};
use crate::ui::n;
use crate::ui::scenes::Scene;

const WIDTH: f64 = 720.0;
const BOX_W: f64 = 236.0;
const BOX_H: f64 = 150.0;
/// How long (virtual time) the delivery callout stays up after a segment arrives.
const CALLOUT: Duration = Duration::from_millis(15);

#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub height: f64,
    pub centers: Vec<(f64, f64)>,
}

/// Where the hosts go: a hub (the host with the most links) on the right and the others in a
/// column on the left; two hosts side by side; one in the middle.
pub fn layout(hosts: usize, links: &[(HostId, HostId)]) -> Layout {
    let mut degree = vec![0usize; hosts];
    for (a, b) in links {
        if a.0 < hosts && b.0 < hosts {
            degree[a.0] += 1;
            degree[b.0] += 1;
        }
    }
    let hub = (0..hosts)
        .max_by_key(|i| (degree[*i], usize::MAX - i))
        .filter(|i| hosts > 2 && degree[*i] >= 2);
    match (hosts, hub) {
        (0, _) => Layout {
            height: 240.0,
            centers: vec![],
        },
        (1, _) => Layout {
            height: 240.0,
            centers: vec![(WIDTH / 2.0, 120.0)],
        },
        (2, _) => Layout {
            height: 260.0,
            centers: vec![
                (BOX_W / 2.0 + 4.0, 130.0),
                (WIDTH - BOX_W / 2.0 - 4.0, 130.0),
            ],
        },
        (n, Some(hub)) => {
            let others = n - 1;
            let height = (others as f64 * (BOX_H + 30.0) + 30.0).max(260.0);
            let gap = height / others as f64;
            let mut centers = vec![(0.0, 0.0); n];
            let mut row = 0;
            for (i, c) in centers.iter_mut().enumerate() {
                if i == hub {
                    *c = (WIDTH - BOX_W / 2.0 - 4.0, height / 2.0);
                } else {
                    *c = (BOX_W / 2.0 + 4.0, gap * (row as f64 + 0.5));
                    row += 1;
                }
            }
            Layout { height, centers }
        }
        (n, None) => {
            let height = 520.0;
            let centers = (0..n)
                .map(|i| {
                    let a =
                        std::f64::consts::TAU * i as f64 / n as f64 - std::f64::consts::FRAC_PI_2;
                    // The browser's Math.cos/sin: Rust's own would add ~3 KB of wasm for this.
                    (
                        WIDTH / 2.0 + (WIDTH / 2.0 - BOX_W / 2.0 - 4.0) * js_sys::Math::cos(a),
                        height / 2.0 + 180.0 * js_sys::Math::sin(a),
                    )
                })
                .collect();
            Layout { height, centers }
        }
    }
}

/// Where a line from `a` to `b` leaves the box around `a`.
fn box_edge(a: (f64, f64), b: (f64, f64)) -> (f64, f64) {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (hw, hh) = (BOX_W / 2.0 + 6.0, BOX_H / 2.0 + 6.0);
    let t = match (dx.abs() > f64::EPSILON, dy.abs() > f64::EPSILON) {
        (true, true) => (hw / dx.abs()).min(hh / dy.abs()),
        (true, false) => hw / dx.abs(),
        (false, true) => hh / dy.abs(),
        _ => 0.0,
    };
    (a.0 + dx * t.min(1.0), a.1 + dy * t.min(1.0))
}

#[derive(Properties, PartialEq)]
pub struct StageProps {
    pub scene: Rc<Scene>,
    pub snapshot: Rc<Snapshot>,
    /// The hosts, each an `Rc` that stays the same while the host does.
    pub hosts: Rc<Vec<Rc<HostView>>>,
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
    let snap = &props.snapshot;
    let scene = &props.scene;
    let layout = layout(snap.hosts.len(), &scene.links);
    let centers = &layout.centers;
    let links = scene
        .links
        .iter()
        .filter(|(a, b)| a.0 < centers.len() && b.0 < centers.len())
        .map(|(a, b)| {
            let (p, q) = (centers[a.0], centers[b.0]);
            html! { <line class="link" x1={n(p.0)} y1={n(p.1)} x2={n(q.0)} y2={n(q.1)} /> }
        });
    let hosts = props.hosts.iter().map(|h| {
        let (x, y) = centers.get(h.id.0).copied().unwrap_or((0.0, 0.0));
        html! { <HostBox key={h.name.clone()} host={h.clone()} x={x as i32} y={y as i32} /> }
    });
    let callouts = callouts(scene, snap, centers);
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
        Callback::from(move |e: MouseEvent| {
            if let Some(seg) = seg_of(&e) {
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
    let label = format!(
        "The network at {}: {} hosts, {} segment{} on the wire",
        seconds(snap.at),
        snap.hosts.len(),
        snap.in_flight.len(),
        if snap.in_flight.len() == 1 { "" } else { "s" }
    );
    html! {
        <svg class="stage-svg" viewBox={format!("0 0 {} {}", n(WIDTH), n(layout.height + 50.0))} role="group" aria-label={label}>
            <g class="links">{ for links }</g>
            <g class="hosts">{ for hosts }</g>
            <g class="callouts">{ for callouts }</g>
            <PacketLayer scene={props.scene.clone()} snapshot={props.snapshot.clone()} selected={props.selected} hovered={props.hovered}
                         focused={props.focused.clone()} reduced_motion={props.reduced_motion}
                         on_click={on_click} on_key={on_key} on_over={on_over} on_leave={on_leave} />
        </svg>
    }
}

#[derive(Properties, PartialEq)]
struct HostBoxProps {
    host: Rc<HostView>,
    x: i32,
    y: i32,
}

/// A host: drawn again only when the host changes, not every frame.
#[function_component(HostBox)]
fn host_box_component(props: &HostBoxProps) -> Html {
    host_box(&props.host, (props.x as f64, props.y as f64))
}

fn host_box(h: &HostView, (cx, cy): (f64, f64)) -> Html {
    let (x, y) = (cx - BOX_W / 2.0, cy - BOX_H / 2.0);
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
    let shown = programs.len().min(3);
    let more = programs.len() - shown;
    html! {
        <g class="host" key={h.name.clone()}>
            <rect x={n(x)} y={n(y)} width={n(BOX_W)} height={n(BOX_H)} rx="14" />
            <text class="host-name" x={n(cx)} y={n(y + 30.0)} text-anchor="middle">{ &h.name }</text>
            <text class="host-ip" x={n(cx)} y={n(y + 54.0)} text-anchor="middle">{ h.ip.to_string() }</text>
            { for programs.iter().take(shown).enumerate().map(|(i, p)| html! {
                <text class="program" x={n(x + 16.0)} y={n(y + 84.0 + 21.0 * i as f64)}>{ p }</text>
            }) }
            if more > 0 {
                <text class="program more" x={n(x + 16.0)} y={n(y + 84.0 + 21.0 * 3.0)}>{ format!("+ {more} more") }</text>
            }
        </g>
    }
}

#[derive(Properties, PartialEq)]
struct PacketLayerProps {
    scene: Rc<Scene>,
    snapshot: Rc<Snapshot>,
    selected: Option<SegmentId>,
    hovered: Option<SegmentId>,
    focused: Rc<BTreeSet<SegmentId>>,
    reduced_motion: bool,
    on_click: Callback<MouseEvent>,
    on_key: Callback<KeyboardEvent>,
    on_over: Callback<PointerEvent>,
    on_leave: Callback<PointerEvent>,
}

/// A packet element on the stage and what it last showed: its position in whole SVG units
/// and its state bits (selected, highlighted), so an unchanged packet costs no string.
struct Drawn {
    element: web_sys::Element,
    at: (i32, i32),
    bits: u8,
}

const SVG: &str = "http://www.w3.org/2000/svg";

/// The segments on the wire. They are the only part of the page that changes every frame, so
/// this layer keeps its own elements: it creates one per segment as it leaves, moves it only
/// when its (rounded) position changes, and removes it when it arrives, instead of having the
/// whole list diffed each frame. Clicks, keys and hovers are handled once, on the group.
#[function_component(PacketLayer)]
fn packet_layer(props: &PacketLayerProps) -> Html {
    let group = use_node_ref();
    let drawn = use_mut_ref(BTreeMap::<SegmentId, Drawn>::new);
    {
        let group = group.clone();
        let drawn = drawn.clone();
        let snap = props.snapshot.clone();
        let scene = props.scene.clone();
        let (selected, hovered, focused, reduced) = (
            props.selected,
            props.hovered,
            props.focused.clone(),
            props.reduced_motion,
        );
        use_effect(move || {
            let Some(group) = group.cast::<web_sys::Element>() else {
                return;
            };
            let document = gloo::utils::document();
            let layout = layout(snap.hosts.len(), &scene.links);
            let mut drawn = drawn.borrow_mut();
            let mut present = BTreeSet::new();
            for f in &snap.in_flight {
                let (Some(&a), Some(&b)) =
                    (layout.centers.get(f.from.0), layout.centers.get(f.to.0))
                else {
                    continue;
                };
                let Some(text) = scene.text(f.seg) else {
                    continue;
                };
                present.insert(f.seg);
                let (start, end) = (box_edge(a, b), box_edge(b, a));
                // With reduced motion a segment does not glide: it shows half-way until it arrives.
                let p = if reduced { 0.5 } else { f.progress as f64 };
                let at = (
                    (start.0 + (end.0 - start.0) * p).round() as i32,
                    (start.1 + (end.1 - start.1) * p).round() as i32,
                );
                let bits = u8::from(selected == Some(f.seg))
                    | u8::from(hovered == Some(f.seg) || focused.contains(&f.seg)) << 1;
                let transform = || format!("translate({} {})", at.0, at.1);
                let class = || {
                    let mut class = format!("packet conn-{}", text.conn.unwrap_or(0) % 8);
                    for (bit, name) in [(1, " selected"), (2, " highlight")] {
                        if bits & bit != 0 {
                            class.push_str(name);
                        }
                    }
                    if text.rst {
                        class.push_str(" rst");
                    }
                    class
                };
                match drawn.get_mut(&f.seg) {
                    Some(d) => {
                        if d.at != at {
                            let _ = d.element.set_attribute("transform", &transform());
                            d.at = at;
                        }
                        if d.bits != bits {
                            let _ = d.element.set_attribute("class", &class());
                            d.bits = bits;
                        }
                    }
                    None => {
                        let Ok(element) =
                            make_packet(&document, f.seg, text, &transform(), &class())
                        else {
                            continue;
                        };
                        let _ = group.append_child(&element);
                        drawn.insert(f.seg, Drawn { element, at, bits });
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
        });
    }
    {
        // A new scene starts with an empty stage.
        let drawn = drawn.clone();
        use_effect_with(props.scene.id, move |_| {
            move || {
                for d in drawn.borrow().values() {
                    d.element.remove();
                }
                drawn.borrow_mut().clear();
            }
        });
    }
    html! {
        <g class="packets" ref={group} onclick={props.on_click.clone()} onkeydown={props.on_key.clone()}
           onpointerover={props.on_over.clone()} onpointerleave={props.on_leave.clone()} />
    }
}

fn make_packet(
    document: &web_sys::Document,
    seg: SegmentId,
    text: &crate::ui::scenes::PacketText,
    transform: &str,
    class: &str,
) -> Result<web_sys::Element, wasm_bindgen::JsValue> {
    let g = document.create_element_ns(Some(SVG), "g")?;
    g.set_attribute("class", class)?;
    g.set_attribute("transform", transform)?;
    g.set_attribute("data-seg", &seg.0.to_string())?;
    g.set_attribute("role", "button")?;
    g.set_attribute("tabindex", "0")?;
    g.set_attribute("aria-label", &text.aria)?;
    let width = 14.0 + 9.6 * text.label.chars().count() as f64;
    let rect = document.create_element_ns(Some(SVG), "rect")?;
    for (k, v) in [
        ("x", n(-width / 2.0)),
        ("y", "-16".into()),
        ("width", n(width)),
        ("height", "32".into()),
        ("rx", "16".into()),
    ] {
        rect.set_attribute(k, &v)?;
    }
    let label = document.create_element_ns(Some(SVG), "text")?;
    label.set_attribute("text-anchor", "middle")?;
    label.set_attribute("y", "6")?;
    label.set_text_content(Some(&text.label));
    g.append_child(&rect)?;
    g.append_child(&label)?;
    Ok(g)
}

/// Under each host, where its latest arrivals went and why.
fn callouts(scene: &Scene, snap: &Snapshot, centers: &[(f64, f64)]) -> Vec<Html> {
    let t = snap.at;
    let from = if t > Instant::ZERO + CALLOUT {
        t - CALLOUT
    } else {
        Instant::ZERO
    };
    let events = scene.timeline.events();
    let first = events.partition_point(|e| e.at <= from);
    let last = events.partition_point(|e| e.at <= t);
    let mut out = Vec::new();
    let mut per_host = vec![0usize; centers.len()];
    for e in events[first..last].iter().rev() {
        let EventKind::SegmentDelivered {
            seg,
            host,
            decision,
        } = &e.kind
        else {
            continue;
        };
        let Some(&(cx, cy)) = centers.get(host.0) else {
            continue;
        };
        let row = per_host[host.0];
        if row >= 2 {
            continue;
        }
        per_host[host.0] += 1;
        let port = scene
            .sent_index(*seg)
            .and_then(|i| match &events[i].kind {
                EventKind::SegmentSent(s) => s.summary.ports().map(|(_, dp)| dp),
                _ => None,
            })
            .unwrap_or(0);
        let host_view = snap.hosts.get(host.0);
        let owner = |sock| {
            host_view
                .and_then(|h| h.sockets.iter().find(|r| r.sock == sock))
                .map(|r| match (&r.command, r.fd, r.state) {
                    (Some(c), Some(fd), _) => format!("{c} fd {fd}"),
                    (_, _, SockState::SynReceived) => "a new socket".to_string(),
                    _ => format!("closing socket ({})", r.state),
                })
        };
        let text = match decision {
            Demux::Connection { sock } => format!(
                "→ {} (4-tuple)",
                owner(*sock).unwrap_or_else(|| "a socket".into())
            ),
            Demux::Listener { .. } => format!("→ listener :{port} (new)"),
            Demux::NoSocketAnswerRst => format!("nothing on :{port} → answer RST"),
            Demux::NoSocketIgnoreRst => format!("nothing on :{port}; RST ignored"),
            Demux::UdpSocket { sock } => format!(
                "→ {} (UDP :{port})",
                owner(*sock).unwrap_or_else(|| "a socket".into())
            ),
            Demux::UdpClosedPort => format!("UDP :{port} closed → ICMP"),
            Demux::Icmp => "ICMP → the stack".to_string(),
        };
        let y = cy + BOX_H / 2.0 + 22.0 + 22.0 * row as f64;
        // Anchored to the box's outer edge, so the words stay on the stage.
        let (x, anchor) = if cx < WIDTH / 2.0 {
            (cx - BOX_W / 2.0, "start")
        } else {
            (cx + BOX_W / 2.0, "end")
        };
        out.push(html! {
            <text class="callout" key={format!("c{}", seg.0)} x={n(x)} y={n(y)} text-anchor={anchor}>{ text }</text>
        });
    }
    out
}
