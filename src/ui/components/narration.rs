//! Narration: a plain sentence per event, in an event list up to the current moment (newest
//! first, so the latest is always in view without scrolling), and the newest in a polite live
//! region for screen readers.

use std::rc::Rc;

use crate::i18n::{t, tp, Msg};
use yew::prelude::*;

use crate::engine::event::SegmentId;
use crate::engine::time::Instant;
use crate::ui::components::controls::seconds;
use crate::ui::scenes::Scene;
use crate::view::mask::mask;

/// How many of the latest lines the list shows at least.
const SHOWN: usize = 30;
/// The oldest lines leave the list this many at a time, so the list shows from SHOWN to
/// SHOWN + DROP - 1 lines. Between drops the list only grows at the top, which Yew's keyed
/// diff does by adding the new lines' nodes; dropping at every redraw made it move or redraw
/// most of the list each time.
const DROP: usize = 10;

#[derive(Properties, PartialEq)]
pub struct NarrationProps {
    pub scene: Rc<Scene>,
    /// How many narration lines have happened by now. (No clock here: it would redraw the
    /// whole list every frame; the controls show the time.)
    pub count: usize,
    /// Whether the scene is playing: while it does, a list out of sight waits to be seen.
    #[prop_or_default]
    pub playing: bool,
    pub selected: Option<SegmentId>,
    pub on_select: Callback<Option<SegmentId>>,
    /// A lesson's answer words, shown "?" until the question is answered.
    #[prop_or_default]
    pub mask: Rc<Vec<String>>,
}

/// How many lines of `scene` have happened at or before `t`.
pub fn lines_until(scene: &Scene, t: Instant) -> usize {
    scene.lines.partition_point(|l| l.at <= t)
}

/// The panel is drawn with the rest of the view, which redraws when a moment is crossed (at most
/// every one to three seconds in a busy scene: see `busy_redraw_ms` in `app.rs`). While the scene
/// plays and the list is out of sight (below a lesson's first screen, or behind a phone's closed
/// tab), the list keeps the lines it had and catches up when seen: only the newest line, read
/// out to a screen reader, follows every moment.
#[function_component(Narration)]
pub fn narration(props: &NarrationProps) -> Html {
    crate::ui::hooks::counted("Narration");
    let node = use_node_ref();
    let count = props.count.min(props.scene.lines.len());
    let scene = (props.scene.id, props.scene.run);
    let shown =
        crate::ui::hooks::use_held_while_unseen(&node, count as i64, props.playing, scene) as usize;
    let announce = props.scene.lines[..count]
        .last()
        .map(|l| said_by(&l.host, &mask(&l.text, &props.mask)))
        .unwrap_or_default();
    html! {
        <section id="panel-events" class="narration panel" aria-labelledby="events-title" ref={node}>
            <h2 id="events-title">{ t(Msg::EventsTitle) }</h2>
            <div class="sr-only" aria-live="polite" aria-atomic="true">{ announce }</div>
            <EventList scene={props.scene.clone()} count={shown} selected={props.selected}
                       on_select={props.on_select.clone()} mask={props.mask.clone()} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct EventListProps {
    scene: Rc<Scene>,
    count: usize,
    selected: Option<SegmentId>,
    on_select: Callback<Option<SegmentId>>,
    mask: Rc<Vec<String>>,
}

/// The list of the latest `count` lines, newest first.
#[function_component(EventList)]
fn event_list(props: &EventListProps) -> Html {
    crate::ui::hooks::counted("EventList");
    let lines = &props.scene.lines[..props.count.min(props.scene.lines.len())];
    let start = lines.len().saturating_sub(SHOWN) / DROP * DROP;
    let latest_at = lines.last().map(|l| l.at);
    // One keyed list (the note on earlier lines too), so that Yew matches lines by key: new
    // lines at the top are added and the others stay. An unkeyed child among them would make
    // Yew pair lines by position, and every line would be made again at each redraw.
    let earlier = (start > 0).then(|| {
        html! { <li class="earlier" key="earlier">{ tp(Msg::EventsEarlier, &[("n", &start.to_string())]) }</li> }
    });
    let items = (start..lines.len()).rev().map(|i| {
        let l = &lines[i];
        html! {
            <EventLine key={i} scene={props.scene.clone()} index={i} current={Some(l.at) == latest_at}
                       selected={l.seg.is_some() && l.seg == props.selected}
                       on_select={props.on_select.clone()} mask={props.mask.clone()} />
        }
    });
    html! {
        <ol class="event-list" reversed=true tabindex="0" aria-label={t(Msg::EventsList)}>
            { for items.chain(earlier) }
        </ol>
    }
}

/// A line of the list as the learner reads it: "Server: …", 「伺服器：…」.
fn said_by(host: &str, text: &str) -> String {
    tp(Msg::EventsLine, &[("host", host), ("text", text)])
}

#[derive(Properties, PartialEq)]
struct EventLineProps {
    scene: Rc<Scene>,
    /// The line's place in the scene's narration.
    index: usize,
    /// Whether it happened at the latest moment.
    current: bool,
    /// Whether its segment is the one in the inspector.
    selected: bool,
    on_select: Callback<Option<SegmentId>>,
    mask: Rc<Vec<String>>,
}

/// One line of the list: drawn when it first appears and when it stops being the latest (or is
/// picked), not at every redraw.
#[function_component(EventLine)]
fn event_line(props: &EventLineProps) -> Html {
    crate::ui::hooks::counted("EventLine");
    let l = &props.scene.lines[props.index];
    let class = classes!(
        "event",
        props.current.then_some("current"),
        props.selected.then_some("selected")
    );
    // Few nodes per line: while a busy scene plays, several lines arrive at each redraw.
    let (at, sentence) = (
        seconds(l.at),
        format!(" {}", said_by(&l.host, &mask(&l.text, &props.mask))),
    );
    let text = html! { <><span class="at">{ at.clone() }</span>{ sentence.clone() }</> };
    match l.seg {
        Some(seg) => {
            let on_select = props.on_select.clone();
            let label = tp(
                Msg::EventsInspect,
                &[
                    ("line", &format!("{at}{sentence}")),
                    ("seg", &seg.0.to_string()),
                ],
            );
            html! {
                <li class={class}>
                    <button class="event-button" aria-label={label}
                            onclick={Callback::from(move |_: MouseEvent| on_select.emit(Some(seg)))}>{ text }</button>
                </li>
            }
        }
        None => html! { <li class={class}>{ text }</li> },
    }
}
