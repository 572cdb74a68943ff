//! The flow graph, as Wireshark draws one: a lifeline per host and one row per segment, an
//! arrow from its sender to its receiver labelled with its connection, ports and flags. Rows
//! sent after the current moment are faded; a line marks the moment, and the graph scrolls to
//! keep it in view. Laid out for its width (`crate::view::flow`), so no two labels overlap and
//! every lifeline is visible; the header with the host names stays in view as it scrolls.

use std::rc::Rc;

use crate::i18n::{t, Msg};
use crate::ui::hooks::use_box_size;
use yew::prelude::*;

use super::downloads::downloads;

use crate::engine::event::{EventKind, SegmentId};
use crate::engine::time::{seconds_figure, Instant};
use crate::ui::n;
use crate::ui::scenes::Scene;
use crate::view::flow::{self as geo, FlowGeom};
use crate::view::scenes::host_name;

/// One row: a segment, who sent it to whom, and when.
#[derive(Clone, PartialEq)]
struct Row {
    seg: SegmentId,
    at: Instant,
    from: usize,
    to: Option<usize>,
}

fn rows(scene: &Scene) -> Vec<Row> {
    scene
        .timeline
        .events()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::SegmentSent(s) => Some(Row {
                seg: s.seg,
                at: e.at,
                from: s.from.0,
                to: s.to.map(|h| h.0),
            }),
            _ => None,
        })
        .collect()
}

#[derive(Properties, PartialEq)]
pub struct FlowProps {
    pub scene: Rc<Scene>,
    pub t: Instant,
    /// Whether the scene is playing: while it does, a graph out of sight waits to be seen.
    #[prop_or_default]
    pub playing: bool,
    pub selected: Option<SegmentId>,
    pub on_select: Callback<Option<SegmentId>>,
    /// A lesson's answer words, shown "?" in the arrows' labels until the question is answered.
    #[prop_or_default]
    pub mask: Rc<Vec<String>>,
}

#[function_component(Flow)]
pub fn flow(props: &FlowProps) -> Html {
    crate::ui::hooks::counted("Flow");
    let node = use_node_ref();
    // Out of sight while playing, the graph keeps its moment (see `use_held_while_unseen`).
    let scene = (props.scene.id, props.scene.run);
    let now = Instant::from_micros(crate::ui::hooks::use_held_while_unseen(
        &node,
        props.t.total_micros(),
        props.playing,
        scene,
    ));
    let scroller = use_node_ref();
    let download_error = use_state(|| None::<String>);
    let width = use_box_size(&scroller, || (600.0, 0.0)).0;
    let rows = use_memo(props.scene.clone(), |scene| rows(scene));
    let hosts: Vec<String> = props
        .scene
        .scenario
        .hosts
        .iter()
        .map(|h| host_name(&h.name).to_string())
        .collect();
    let longest = rows
        .iter()
        .map(|r| {
            props
                .scene
                .text(r.seg)
                .map_or(4, |p| p.short.chars().count())
        })
        .max()
        .unwrap_or(8);
    let geom = use_memo(
        (width as i64, hosts.len(), longest, rows.len()),
        |(w, hosts, longest, rows)| geo::layout(*w as f64, *hosts, *longest, *rows),
    );
    // The rows sent by now; the line under the last of them marks the moment.
    let done = rows.partition_point(|r| r.at <= now);
    let now_y = geo::ROW * done as f64 + 2.0;
    // Keep the moment in view: scroll only the graph, and only when the line is out of sight.
    // Measured at the next animation frame, when the page is laid out anyway (reading sizes
    // right after a render would force a layout in the middle of it).
    {
        let scroller = scroller.clone();
        let pending = use_mut_ref(|| None);
        use_effect_with((done, props.scene.id), move |_| {
            crate::ui::hooks::timed("Flow: scroll");
            let frame = gloo::render::request_animation_frame(move |_| {
                if let Some(el) = scroller.cast::<web_sys::Element>() {
                    let (top, height) = (el.scroll_top() as f64, el.client_height() as f64);
                    let line = now_y + geo::HEAD;
                    if height > 0.0 && (line < top + geo::HEAD || line > top + height - geo::ROW) {
                        el.set_scroll_top((line - height / 2.0).max(0.0) as i32);
                    }
                }
            });
            *pending.borrow_mut() = Some(frame);
        });
    }
    let g = &*geom;
    html! {
        <section id="panel-flow" class="flow panel" aria-labelledby="flow-title" ref={node}>
            <h2 id="flow-title">{ t(Msg::FlowTitle) }</h2>
            <div class="flow-scroll" ref={scroller} tabindex="0" role="region" aria-label={t(Msg::FlowScrollable)}>
                <svg class="flow-head" viewBox={format!("0 0 {} {}", n(g.width), n(geo::HEAD))} width={n(g.width)} height={n(geo::HEAD)} aria-hidden="true">
                    <text class="time-head" x="4" y="20">{ t(Msg::FlowSent) }</text>
                    { for hosts.iter().enumerate().map(|(i, name)| html! {
                        <text key={i} x={n(g.xs[i])} y="20" text-anchor="middle">{ name }</text>
                    }) }
                </svg>
                <svg viewBox={format!("0 0 {} {}", n(g.width), n(g.height))} width={n(g.width)} height={n(g.height)}
                     role="group" aria-label={t(Msg::FlowArrows)}>
                    { for g.xs.iter().enumerate().map(|(i, x)| html! {
                        <line class="lifeline" key={i} x1={n(*x)} x2={n(*x)} y1="0" y2={n(g.height)} />
                    }) }
                    <Arrows scene={props.scene.clone()} rows={rows.clone()} geom={geom.clone()} selected={props.selected} on_select={props.on_select.clone()} mask={props.mask.clone()} />
                    // Rows not sent yet are veiled; one rectangle, so the arrows need not redraw.
                    <rect class="later" x="0" y={n(now_y)} width={n(g.width)} height={n((g.height - now_y).max(0.0))} />
                    <line class="now" x1="0" x2={n(g.width)} y1={n(now_y)} y2={n(now_y)} />
                </svg>
            </div>
            { downloads(&props.scene, &download_error) }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ArrowsProps {
    scene: Rc<Scene>,
    rows: Rc<Vec<Row>>,
    geom: Rc<FlowGeom>,
    selected: Option<SegmentId>,
    on_select: Callback<Option<SegmentId>>,
    mask: Rc<Vec<String>>,
}

/// The arrows change only with the scene, the width and the selection: not with the moment.
#[function_component(Arrows)]
fn arrows(props: &ArrowsProps) -> Html {
    crate::ui::hooks::counted("Arrows");
    let g = &*props.geom;
    let arrows = props.rows.iter().enumerate().map(|(i, r)| {
        let y = g.row_y(i);
        let x1 = g.xs.get(r.from).copied().unwrap_or(0.0);
        let (conn, label) = match props.scene.text(r.seg) {
            Some(p) => (p.conn, crate::view::mask::mask(&p.short, &props.mask)),
            None => (None, String::new()),
        };
        let to = r.to.filter(|t| *t < g.xs.len() && *t != r.from);
        let room = g.label_chars(r.from, to);
        let text: String = if label.chars().count() > room {
            let mut s: String = label.chars().take(room.saturating_sub(1)).collect();
            s.push('…');
            s
        } else {
            label.to_string()
        };
        let seg = r.seg;
        let on_select = props.on_select.clone();
        let class = classes!(
            "arrow",
            format!("conn-{}", conn.unwrap_or(0) % 8),
            (props.selected == Some(seg)).then_some("selected")
        );
        let (line, label_x) = match to {
            Some(t) => {
                let x2 = g.xs[t];
                let dir = if x2 >= x1 { 1.0 } else { -1.0 };
                (
                    html! {
                        <>
                            <line x1={n(x1)} y1={n(y)} x2={n(x2 - 2.0 * dir)} y2={n(y)} />
                            <polygon points={format!("{},{} {},{} {},{}", n(x2), n(y), n(x2 - 9.0 * dir), n(y - 5.0), n(x2 - 9.0 * dir), n(y + 5.0))} />
                        </>
                    },
                    (x1 + x2) / 2.0,
                )
            }
            // A segment with nowhere to go: a short stub and a cross.
            None => (
                html! { <line class="stub" x1={n(x1)} y1={n(y)} x2={n(x1 + 24.0)} y2={n(y)} /> },
                x1 + 24.0 + (g.spacing.max(120.0) - 36.0) / 2.0,
            ),
        };
        html! {
            <g class={class} key={seg.0.to_string()} onclick={Callback::from(move |_: MouseEvent| on_select.emit(Some(seg)))}>
                <text class="time" x="4" y={n(y)}>{ seconds_figure(r.at) }</text>
                { line }
                <text class="label" x={n(label_x)} y={n(y - 5.0)} text-anchor="middle">{ text }</text>
            </g>
        }
    });
    html! { <g class="arrows">{ for arrows }</g> }
}
