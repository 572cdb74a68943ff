//! The flow graph, as Wireshark draws one: a vertical line per host, an arrow per segment from
//! its sender to its receiver with the ports at both ends, on the same clock as the stage and a
//! line at the current moment.

use std::rc::Rc;

use yew::prelude::*;

use crate::engine::event::{EventKind, SegmentId};
use crate::engine::time::Instant;
use crate::ui::n;
use crate::ui::scenes::Scene;

const ROW: f64 = 34.0;
const TOP: f64 = 40.0;

/// Every moment a segment leaves or arrives, in order: the diagram's rows.
fn rows(scene: &Scene) -> Vec<Instant> {
    let mut times: Vec<Instant> = scene
        .timeline
        .events()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::SegmentSent(s) if s.to.is_some() => Some([s.depart, s.arrive]),
            _ => None,
        })
        .flatten()
        .collect();
    times.sort();
    times.dedup();
    times
}

/// The y of a moment: its row, or between rows for a moment in between.
fn y_of(rows: &[Instant], t: Instant) -> f64 {
    let i = rows.partition_point(|r| *r <= t);
    if i == 0 {
        return TOP - ROW / 2.0;
    }
    let below = rows[i - 1];
    let frac = match rows.get(i) {
        Some(next) if *next > below => {
            (t - below).total_micros() as f64 / (*next - below).total_micros() as f64
        }
        _ => 0.0,
    };
    TOP + ROW * ((i - 1) as f64 + frac)
}

#[derive(Properties, PartialEq)]
pub struct FlowProps {
    pub scene: Rc<Scene>,
    pub t: Instant,
    pub selected: Option<SegmentId>,
    pub on_select: Callback<Option<SegmentId>>,
}

#[function_component(Flow)]
pub fn flow(props: &FlowProps) -> Html {
    let rows = use_memo(props.scene.clone(), |scene| rows(scene));
    let hosts: Vec<String> = props
        .scene
        .scenario
        .hosts
        .iter()
        .map(|h| h.name.clone())
        .collect();
    let width = 220.0 * hosts.len().max(1) as f64 + 120.0;
    let x_of = |h: usize| 120.0 + 220.0 * h as f64;
    let height = TOP + ROW * rows.len() as f64 + 20.0;
    let now_y = y_of(&rows, props.t);
    html! {
        <section class="flow" aria-labelledby="flow-title">
            <h2 id="flow-title">{ "Flow graph" }</h2>
            <div class="flow-scroll" tabindex="0" role="region" aria-label="Flow graph, scrollable">
                <svg viewBox={format!("0 0 {} {}", n(width), n(height))} width={n(width)} height={n(height)} role="group" aria-label="Every segment as an arrow between hosts, in time order">
                    { for hosts.iter().enumerate().map(|(i, name)| html! {
                        <g class="lifeline" key={name.clone()}>
                            <text x={n(x_of(i))} y="20" text-anchor="middle">{ name }</text>
                            <line x1={n(x_of(i))} x2={n(x_of(i))} y1="28" y2={n(height)} />
                        </g>
                    }) }
                    <Arrows scene={props.scene.clone()} rows={rows.clone()} selected={props.selected} on_select={props.on_select.clone()} />
                    <line class="now" x1="0" x2={n(width)} y1={n(now_y)} y2={n(now_y)} />
                </svg>
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ArrowsProps {
    scene: Rc<Scene>,
    rows: Rc<Vec<Instant>>,
    selected: Option<SegmentId>,
    on_select: Callback<Option<SegmentId>>,
}

/// The arrows only change with the scene or the selection, not with every frame.
#[function_component(Arrows)]
fn arrows(props: &ArrowsProps) -> Html {
    let x_of = |h: usize| 120.0 + 220.0 * h as f64;
    let arrows = props.scene.timeline.events().iter().filter_map(|e| {
        let EventKind::SegmentSent(s) = &e.kind else { return None };
        let to = s.to?;
        let (x1, x2) = (x_of(s.from.0), x_of(to.0));
        let (y1, y2) = (y_of(&props.rows, s.depart), y_of(&props.rows, s.arrive));
        let (conn, label) = props.scene.label(s.seg);
        let seg = s.seg;
        let on_select = props.on_select.clone();
        let class = classes!("arrow", format!("conn-{}", conn.unwrap_or(0) % 8), (props.selected == Some(seg)).then_some("selected"));
        let dir = if x2 >= x1 { 1.0 } else { -1.0 };
        Some(html! {
            <g class={class} key={seg.0.to_string()} onclick={Callback::from(move |_: MouseEvent| on_select.emit(Some(seg)))}>
                <line x1={n(x1)} y1={n(y1)} x2={n(x2)} y2={n(y2)} />
                <polygon points={format!("{},{} {},{} {},{}", n(x2), n(y2), n(x2 - 9.0 * dir), n(y2 - 5.0), n(x2 - 9.0 * dir), n(y2 + 5.0))} />
                <text x={n((x1 + x2) / 2.0)} y={n((y1 + y2) / 2.0 - 4.0)} text-anchor="middle">{ AttrValue::from(label) }</text>
            </g>
        })
    });
    html! { <g class="arrows">{ for arrows }</g> }
}
