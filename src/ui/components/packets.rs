//! The packets on the stage. Every segment on the wire is drawn on one canvas by a painter
//! (`static/stage.js`) that runs in a worker: the app sends it the scene's flights when the
//! drawing changes, the marked segments when they change, and, when playing starts, its pace
//! (`crate::view::pace`): the painter then works out each frame's moment itself. So a frame
//! costs the page's main thread nothing, however many packets move.
//!
//! Over the canvas, each labelled packet also has an element: a button of the packet's size
//! and name, placed where the packet is at the moment the app last drew (every moment while
//! paused, at each redraw while playing). It is what a keyboard and a screen reader reach, and
//! what a tap lands on while paused; it draws nothing itself. While the clock runs, clicks and
//! hovers are matched against the canvas at the clock's moment instead ([`packet_at`]).

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

use crate::engine::event::SegmentId;
use crate::engine::time::Instant;
use crate::ui::clock::Clock;
use crate::ui::n;
use crate::ui::scenes::Scene;
use crate::vecmap::{VecMap, VecSet};
use crate::view::pace::Pace;
use crate::view::scenes::PacketText;
use crate::view::stage::{self as geo, StageDraw};
use crate::view::Rect;

/// The painter's script, beside the page (Trunk copies it from `static/`).
const SCRIPT: &str = "stage.js";
/// Numbers per flight in the painter's table, in this order (see `static/stage.js`).
const FIELDS: usize = 13;
const LABELLED: f64 = 1.0;
const RST: f64 = 2.0;

#[derive(Properties, PartialEq)]
pub struct PacketLayerProps {
    pub scene: Rc<Scene>,
    pub draw: Rc<StageDraw>,
    pub clock: Clock,
    /// The moment the app last drew: where the packets' buttons stand.
    pub t: Instant,
    pub playing: bool,
    pub selected: Option<SegmentId>,
    pub hovered: Option<SegmentId>,
    /// Segments of the socket a learner picked in a table.
    pub focused: Rc<VecSet<SegmentId>>,
    pub reduced_motion: bool,
    pub on_key: Callback<KeyboardEvent>,
    /// What a lesson's open question says is not shown yet: these words read "?".
    #[prop_or_default]
    pub mask: Rc<Vec<String>>,
    /// The segment a question asks about, with its label ("this segment: …"): marked, and the
    /// only one labelled, the others dimmed dots.
    #[prop_or_default]
    pub marked: Option<(SegmentId, Rc<str>)>,
}

/// What a packet's chip and button say: its label and accessible name, with a lesson's masked
/// words hidden, or the label a question's marked segment has.
fn words(
    props_mask: &[String],
    marked: &Option<(SegmentId, Rc<str>)>,
    seg: SegmentId,
    text: &PacketText,
) -> (String, String) {
    use crate::view::mask::mask;
    match marked {
        Some((m, label)) if *m == seg => {
            let label = mask(label, props_mask);
            (
                label.clone(),
                format!("{label}. {}", mask(&text.aria, props_mask)),
            )
        }
        _ => (mask(&text.short, props_mask), mask(&text.aria, props_mask)),
    }
}

#[function_component(PacketLayer)]
pub fn packet_layer(props: &PacketLayerProps) -> Html {
    crate::ui::hooks::counted("PacketLayer");
    let canvas = use_node_ref();
    let group = use_node_ref();
    let buttons = use_mut_ref(VecMap::<SegmentId, Button>::new);
    // The packet button that has the keyboard's focus: the canvas marks it while playing.
    let keyboard = use_mut_ref(|| None::<SegmentId>);
    let painter = use_painter(&canvas);
    use_flights(props, &painter, &canvas, &buttons);
    use_frames(&props.clock, &painter);
    use_after_render(props, &painter, &group, &buttons, &keyboard);
    let on_focus = {
        let (keyboard, painter) = (keyboard.clone(), painter.clone());
        let (selected, hovered, focused) = (props.selected, props.hovered, props.focused.clone());
        let question = props.marked.as_ref().map(|(seg, _)| *seg);
        move |seg: Option<SegmentId>| {
            *keyboard.borrow_mut() = seg;
            if let Some(p) = painter.borrow().as_ref() {
                post_marks(p, selected, hovered, seg, &focused, question);
            }
        }
    };
    let on_focus_in = {
        let on_focus = on_focus.clone();
        Callback::from(move |e: FocusEvent| on_focus(seg_of(&e)))
    };
    let on_focus_out = Callback::from(move |_: FocusEvent| on_focus(None));
    let narrow = props.draw.geom.narrow;
    html! {
        <>
            <canvas class="packet-canvas" ref={canvas} aria-hidden="true" />
            <div class={classes!("packets", narrow.then_some("narrow"), props.playing.then_some("playing"))}
                 ref={group} onkeydown={props.on_key.clone()}
                 onfocusin={on_focus_in} onfocusout={on_focus_out} />
        </>
    }
}

type PainterCell = Rc<RefCell<Option<Painter>>>;
type Buttons = Rc<RefCell<VecMap<SegmentId, Button>>>;

/// The painter, started once when the canvas is in the page and stopped with the layer.
#[hook]
fn use_painter(canvas: &NodeRef) -> PainterCell {
    let painter = use_mut_ref(|| None::<Painter>);
    let (cell, canvas) = (painter.clone(), canvas.clone());
    use_effect_with((), move |_| {
        *cell.borrow_mut() = canvas
            .cast::<web_sys::HtmlCanvasElement>()
            .and_then(Painter::start);
        move || {
            if let Some(p) = cell.borrow_mut().take() {
                p.stop();
            }
        }
    });
    painter
}

/// A new scene, a new size or a change of motion: a new table of flights for the painter, and
/// no buttons left from the last one.
#[hook]
fn use_flights(
    props: &PacketLayerProps,
    painter: &PainterCell,
    canvas: &NodeRef,
    buttons: &Buttons,
) {
    let (painter, canvas, buttons) = (painter.clone(), canvas.clone(), buttons.clone());
    let (scene, clock) = (props.scene.clone(), props.clock.clone());
    use_effect_with(
        (
            props.draw.clone(),
            props.reduced_motion,
            props.mask.clone(),
            props.marked.clone(),
        ),
        move |(draw, reduced, mask, marked)| {
            if let (Some(p), Some(c)) = (
                painter.borrow().as_ref(),
                canvas.cast::<web_sys::HtmlElement>(),
            ) {
                p.resize(&c, &draw.geom);
                p.post(&flights_message(&scene, draw, *reduced, mask, marked));
                // A painter started while the scene plays learns its pace here.
                if let Some(pace) = clock.pace() {
                    if let Ok(m) = play_message(&pace) {
                        p.post(&m);
                    }
                }
            }
            move || {
                for b in buttons.borrow().values() {
                    b.element.remove();
                }
                buttons.borrow_mut().clear();
            }
        },
    );
}

/// When playing starts, its pace to the painter, which then draws every frame by itself; when
/// it stops, where it stopped.
#[hook]
fn use_frames(clock: &Clock, painter: &PainterCell) {
    let painter = painter.clone();
    use_effect_with(clock.clone(), move |clock| {
        let subscription = clock.follow(move |pace, t| {
            if let Some(p) = painter.borrow().as_ref() {
                let message = pace.map_or_else(|| Ok(moment(t)), |pace| play_message(pace));
                p.post(&message.unwrap_or_else(|_| moment(t)));
            }
        });
        move || drop(subscription)
    });
}

fn moment(t: Instant) -> JsValue {
    JsValue::from_f64(t.total_micros() as f64)
}

/// Play at this pace (see `static/stage.js`).
fn play_message(pace: &Pace) -> Result<JsValue, JsValue> {
    let busy: Vec<f64> = pace.busy.iter().flat_map(|&(a, b)| [a, b]).collect();
    object(&[
        ("type", "play".into()),
        ("since", pace.since.into()),
        ("start", pace.start.into()),
        ("rate", pace.rate.into()),
        ("stop", pace.stop.into()),
        ("busy", js_sys::Float64Array::from(&busy[..]).into()),
    ])
}

/// After every render: the buttons at the app's moment, the marks, and the clock's moment (a
/// seek or a step while paused moves no frame).
#[hook]
fn use_after_render(
    props: &PacketLayerProps,
    painter: &PainterCell,
    group: &NodeRef,
    buttons: &Buttons,
    keyboard: &Rc<RefCell<Option<SegmentId>>>,
) {
    let (painter, group, buttons, keyboard) = (
        painter.clone(),
        group.clone(),
        buttons.clone(),
        keyboard.clone(),
    );
    let (scene, draw, clock) = (props.scene.clone(), props.draw.clone(), props.clock.clone());
    let (t, selected, hovered, focused, reduced) = (
        props.t,
        props.selected,
        props.hovered,
        props.focused.clone(),
        props.reduced_motion,
    );
    let (mask, question) = (props.mask.clone(), props.marked.clone());
    let playing = props.playing;
    // The marks the painter has: a redraw that changes none posts none.
    let posted = use_mut_ref(|| None::<Marks>);
    use_effect(move || {
        crate::ui::hooks::timed("PacketLayer: buttons");
        let marked = |seg: SegmentId| hovered == Some(seg) || focused.contains(&seg);
        let said = |seg: SegmentId, text: &PacketText| words(&mask, &question, seg, text);
        if let Some(group) = group.cast::<web_sys::Element>() {
            let mut buttons = buttons.borrow_mut();
            let bits = |seg| {
                (u8::from(selected == Some(seg)) * SELECTED) | (u8::from(marked(seg)) * HIGHLIGHT)
            };
            place_buttons(
                &scene,
                &draw,
                &group,
                &mut buttons,
                (t, reduced, playing),
                bits,
                said,
            );
        }
        crate::ui::hooks::timed("PacketLayer: marks");
        if let Some(p) = painter.borrow().as_ref() {
            let asked = question.as_ref().map(|(seg, _)| *seg);
            let marks = (selected, hovered, *keyboard.borrow(), focused, asked);
            if posted.borrow().as_ref() != Some(&marks) {
                post_marks(p, marks.0, marks.1, marks.2, &marks.3, marks.4);
                *posted.borrow_mut() = Some(marks);
            }
            // Paused, a seek or a step moves no frame; playing, the painter keeps its pace.
            if clock.pace().is_none() {
                p.post(&moment(clock.now()));
            }
        }
        crate::ui::hooks::timed("(after the packets' effect)");
    });
}

/// The segment a packet element (or something inside one) stands for.
pub fn seg_of(e: &web_sys::Event) -> Option<SegmentId> {
    let el: web_sys::Element = e.target()?.dyn_into().ok()?;
    let packet = el.closest("[data-seg]").ok()??;
    packet
        .get_attribute("data-seg")?
        .parse()
        .ok()
        .map(SegmentId)
}

/// The painter: in a worker that owns the canvas, or, where a browser cannot hand a canvas to
/// a worker, the same script in the page.
enum Painter {
    Worker(web_sys::Worker),
    Page(Rc<PagePainter>),
}

/// The painter in the page: its object once the script has loaded, and what was sent before.
struct PagePainter {
    painter: RefCell<Option<JsValue>>,
    waiting: RefCell<Vec<JsValue>>,
    loaded: RefCell<Option<EventListener>>,
}

impl Painter {
    fn start(canvas: web_sys::HtmlCanvasElement) -> Option<Painter> {
        let colours = colours(&canvas)?;
        let offscreen = js_sys::Reflect::has(&canvas, &"transferControlToOffscreen".into())
            .unwrap_or(false)
            && js_sys::Reflect::has(&gloo::utils::window(), &"Worker".into()).unwrap_or(false);
        if offscreen {
            if let (Ok(worker), Ok(off)) = (
                web_sys::Worker::new(SCRIPT),
                canvas.transfer_control_to_offscreen(),
            ) {
                let init = init_message(&off, colours).ok()?;
                worker
                    .post_message_with_transfer(&init, &js_sys::Array::of1(&off))
                    .ok()?;
                return Some(Painter::Worker(worker));
            }
        }
        let page = Rc::new(PagePainter {
            painter: RefCell::new(None),
            waiting: RefCell::new(vec![init_message(&canvas, colours).ok()?]),
            loaded: RefCell::new(None),
        });
        page.load();
        Some(Painter::Page(page))
    }

    fn post(&self, message: &JsValue) {
        match self {
            Painter::Worker(w) => {
                let _ = w.post_message(message);
            }
            Painter::Page(p) => p.handle(message),
        }
    }

    /// Size the canvas element for the stage, and tell the painter.
    fn resize(&self, canvas: &web_sys::HtmlElement, g: &geo::StageGeom) {
        let style = canvas.style();
        let _ = style.set_property("width", &format!("{}px", n(g.width)));
        let _ = style.set_property("height", &format!("{}px", n(g.height)));
        if let Ok(m) = size_message(g) {
            self.post(&m);
        }
    }

    fn stop(self) {
        if let Painter::Worker(w) = self {
            w.terminate();
        }
    }
}

impl PagePainter {
    /// Load the painter's script into the page (once per page) and hand it what waits.
    fn load(self: &Rc<PagePainter>) {
        let ready = {
            let me = self.clone();
            move || {
                let made =
                    js_sys::Reflect::get(&gloo::utils::window(), &"SocketLabStagePainter".into())
                        .ok()
                        .and_then(|c| c.dyn_into::<js_sys::Function>().ok())
                        .and_then(|c| js_sys::Reflect::construct(&c, &js_sys::Array::new()).ok());
                *me.painter.borrow_mut() = made;
                let waiting: Vec<JsValue> = me.waiting.borrow_mut().drain(..).collect();
                for m in waiting {
                    me.handle(&m);
                }
            }
        };
        let window = gloo::utils::window();
        if js_sys::Reflect::has(&window, &"SocketLabStagePainter".into()).unwrap_or(false) {
            ready();
            return;
        }
        let document = gloo::utils::document();
        let Ok(script) = document.create_element("script") else {
            return;
        };
        let _ = script.set_attribute("src", SCRIPT);
        *self.loaded.borrow_mut() = Some(EventListener::once(&script, "load", move |_| ready()));
        if let Some(head) = document.head() {
            let _ = head.append_child(&script);
        }
    }

    fn handle(&self, message: &JsValue) {
        let painter = self.painter.borrow();
        let Some(p) = painter.as_ref() else {
            self.waiting.borrow_mut().push(message.clone());
            return;
        };
        if let Ok(f) = js_sys::Reflect::get(p, &"handle".into()) {
            if let Ok(f) = f.dyn_into::<js_sys::Function>() {
                let _ = f.call1(p, message);
            }
        }
    }
}

/// The packets' colours, from the stylesheet (one per connection, the ink of their borders,
/// and the mark of chosen dots), so they are written in one place.
fn colours(canvas: &web_sys::HtmlCanvasElement) -> Option<(js_sys::Array, String, String)> {
    let computed = gloo::utils::window().get_computed_style(canvas).ok()??;
    let colour = |name: &str| {
        computed
            .get_property_value(name)
            .ok()
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| "#33414f".into())
    };
    let list = js_sys::Array::new();
    for k in 0..8 {
        list.push(&colour(&format!("--conn-{k}")).into());
    }
    Some((list, colour("--ink"), colour("--accent")))
}

fn object(pairs: &[(&str, JsValue)]) -> Result<JsValue, JsValue> {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        js_sys::Reflect::set(&o, &(*k).into(), v)?;
    }
    Ok(o.into())
}

/// Drawn sharp on a phone's dense screen; past 2× a dot gains nothing a learner sees and the
/// canvas would cost more to draw.
fn scale() -> f64 {
    gloo::utils::window().device_pixel_ratio().clamp(1.0, 2.0)
}

/// The labels' font: the stylesheet's family for packets, at the stage's size.
fn font(g: &geo::StageGeom) -> String {
    format!(
        "700 {}px ui-monospace, \"SFMono-Regular\", Menlo, Consolas, \"DejaVu Sans Mono\", monospace",
        n(g.sizes.chip_font)
    )
}

fn init_message(
    canvas: &JsValue,
    (colours, ink, mark): (js_sys::Array, String, String),
) -> Result<JsValue, JsValue> {
    object(&[
        ("type", "init".into()),
        ("canvas", canvas.clone()),
        ("colours", colours.into()),
        ("ink", ink.into()),
        ("mark", mark.into()),
    ])
}

fn size_message(g: &geo::StageGeom) -> Result<JsValue, JsValue> {
    object(&[
        ("type", "size".into()),
        ("width", g.width.into()),
        ("height", g.height.into()),
        ("scale", scale().into()),
        ("font", font(g).into()),
    ])
}

/// Every flight of the scene as the painter draws it: when it shows, how it moves (a straight
/// line at a steady pace from one box to another), its colour and whether it has a label.
fn flights_message(
    scene: &Scene,
    draw: &StageDraw,
    reduced: bool,
    mask: &[String],
    marked: &Option<(SegmentId, Rc<str>)>,
) -> JsValue {
    let mut data = Vec::with_capacity(scene.flights.len() * FIELDS);
    let labels = js_sys::Array::new();
    for (i, (sf, f)) in scene.flights.iter().zip(&draw.flights).enumerate() {
        let text = scene.text(sf.seg);
        let slot = draw.label_slot(i);
        let ends = [f.depart, f.arrive].map(|t| draw.box_at(i, t));
        let (Some(text), [Some(a), Some(b)]) = (text, ends) else {
            // Never on the stage: shown and hidden at once.
            data.extend([sf.shown.0 as f64; 2]);
            data.extend([0.0; FIELDS - 2]);
            labels.push(&"".into());
            continue;
        };
        let (from, to, size) = match slot {
            Some(_) => ((a.x, a.y), (b.x, b.y), (a.w, a.h)),
            None => (a.center(), b.center(), (0.0, 0.0)),
        };
        let flags = if slot.is_some() { LABELLED } else { 0.0 } + if text.rst { RST } else { 0.0 };
        data.extend([
            sf.shown.0 as f64,
            sf.shown.1 as f64,
            f.depart as f64,
            f.arrive as f64,
            from.0,
            from.1,
            to.0,
            to.1,
            size.0,
            size.1,
            (text.conn.unwrap_or(0) % 8) as f64,
            flags,
            sf.seg.0 as f64,
        ]);
        let label = match slot {
            Some(_) => words(mask, marked, sf.seg, text).0,
            None => String::new(),
        };
        labels.push(&label.into());
    }
    let array = js_sys::Float64Array::from(data.as_slice());
    object(&[
        ("type", "flights".into()),
        ("data", array.into()),
        ("labels", labels.into()),
        ("reduced", reduced.into()),
    ])
    .unwrap_or(JsValue::NULL)
}

/// Tell the painter which segment is chosen and which are marked: under the pointer, with the
/// keyboard's focus, of the socket picked in a table, or the one a question asks about (then
/// the others are dimmed).
fn post_marks(
    painter: &Painter,
    selected: Option<SegmentId>,
    hovered: Option<SegmentId>,
    keyboard: Option<SegmentId>,
    focused: &VecSet<SegmentId>,
    asked: Option<SegmentId>,
) {
    let list = js_sys::Array::new();
    for seg in hovered.iter().chain(&keyboard).chain(focused).chain(&asked) {
        list.push(&JsValue::from_f64(seg.0 as f64));
    }
    let message = object(&[
        ("type", "marks".into()),
        ("selected", selected.map_or(-1.0, |s| s.0 as f64).into()),
        ("marked", list.into()),
        ("dim", asked.is_some().into()),
    ]);
    if let Ok(m) = message {
        painter.post(&m);
    }
}

/// What the painter marks: the selected segment, the hovered one, the one with the keyboard's
/// focus, those of the socket picked in a table, and the one a question asks about.
type Marks = (
    Option<SegmentId>,
    Option<SegmentId>,
    Option<SegmentId>,
    Rc<VecSet<SegmentId>>,
    Option<SegmentId>,
);

/// A packet's button and what it last showed.
struct Button {
    element: web_sys::HtmlElement,
    at: (i32, i32),
    bits: u8,
}

const SELECTED: u8 = 1;
const HIGHLIGHT: u8 = 2;

/// Where a flight's box is at `t` (half-way with reduced motion: a packet does not glide).
fn when(f: &geo::Flight, t: Instant, reduced: bool) -> i64 {
    if reduced {
        (f.depart + f.arrive) / 2
    } else {
        t.total_micros()
    }
}

/// Make, move and remove the packets' buttons so there is one for each labelled packet on the
/// wire at `t`, where the canvas draws it (while `playing`, a button stays where it was made).
fn place_buttons(
    scene: &Scene,
    draw: &StageDraw,
    group: &web_sys::Element,
    buttons: &mut VecMap<SegmentId, Button>,
    (t, reduced, playing): (Instant, bool, bool),
    bits: impl Fn(SegmentId) -> u8,
    said: impl Fn(SegmentId, &PacketText) -> (String, String),
) {
    let document = gloo::utils::document();
    let mut present = VecSet::new();
    for i in scene.in_flight_indices(t) {
        let f = &draw.flights[i];
        let seg = scene.flights[i].seg;
        let (Some(text), Some(_)) = (scene.text(seg), draw.label_slot(i)) else {
            continue;
        };
        let Some(rect) = draw.box_at(i, when(f, t, reduced)) else {
            continue;
        };
        present.insert(seg);
        let at = (rect.x.round() as i32, rect.y.round() as i32);
        let b = bits(seg);
        let class = || {
            let mut class = String::from("packet");
            for (bit, name) in [(SELECTED, " selected"), (HIGHLIGHT, " highlight")] {
                if b & bit != 0 {
                    class.push_str(name);
                }
            }
            class
        };
        match buttons.get_mut(&seg) {
            Some(d) => {
                // While the clock runs, the canvas shows where a packet is and the buttons
                // take no pointer: a button moves when the clock stops.
                if d.at != at && !playing {
                    let _ = d.element.style().set_property("transform", &translate(at));
                    d.at = at;
                }
                if d.bits != b {
                    let _ = d.element.set_attribute("class", &class());
                    d.bits = b;
                }
            }
            None => {
                let (label, aria) = said(seg, text);
                let Ok(element) = make_button(&document, seg, &label, &aria, &rect, at, &class())
                else {
                    continue;
                };
                let _ = group.append_child(&element);
                buttons.insert(
                    seg,
                    Button {
                        element,
                        at,
                        bits: b,
                    },
                );
            }
        }
    }
    buttons.retain(|seg, d| {
        let keep = present.contains(seg);
        if !keep {
            d.element.remove();
        }
        keep
    });
}

fn translate(at: (i32, i32)) -> String {
    format!("translate({}px, {}px)", at.0, at.1)
}

fn make_button(
    document: &web_sys::Document,
    seg: SegmentId,
    label: &str,
    aria: &str,
    rect: &Rect,
    at: (i32, i32),
    class: &str,
) -> Result<web_sys::HtmlElement, JsValue> {
    let el: web_sys::HtmlElement = document.create_element("div")?.dyn_into()?;
    el.set_attribute("class", class)?;
    el.set_attribute("data-seg", &seg.0.to_string())?;
    el.set_attribute("role", "button")?;
    el.set_attribute("tabindex", "0")?;
    el.set_attribute("aria-label", aria)?;
    // Styles set through the CSSOM, which the page's Content-Security-Policy allows.
    let style = el.style();
    style.set_property("transform", &translate(at))?;
    style.set_property("width", &format!("{}px", n(rect.w)))?;
    style.set_property("height", &format!("{}px", n(rect.h)))?;
    let text = document.create_element("span")?;
    text.set_text_content(Some(label));
    el.append_child(&text)?;
    Ok(el)
}

/// The packet drawn at (x, y) on the stage at `t`: a labelled packet whose box holds the point
/// (the one drawn last, on top), or else the dot nearest to it within reach of a finger.
pub fn packet_at(
    scene: &Scene,
    draw: &StageDraw,
    t: Instant,
    reduced: bool,
    x: f64,
    y: f64,
) -> Option<SegmentId> {
    let mut label = None;
    let mut dot: Option<(f64, SegmentId)> = None;
    for i in scene.in_flight_indices(t) {
        let seg = scene.flights[i].seg;
        let Some(r) = draw.box_at(i, when(&draw.flights[i], t, reduced)) else {
            continue;
        };
        if draw.label_slot(i).is_some() {
            if r.grow(2.0).contains(x, y) {
                label = Some(seg);
            }
        } else {
            let (cx, cy) = r.center();
            let d = (cx - x).powi(2) + (cy - y).powi(2);
            if d <= 16.0 * 16.0 && dot.is_none_or(|(best, _)| d < best) {
                dot = Some((d, seg));
            }
        }
    }
    label.or(dot.map(|(_, seg)| seg))
}
