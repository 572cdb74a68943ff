//! Playback: Play/Pause, Step back, Step forward, Restart, a speed choice and a timeline
//! scrubber with a mark per moment. Every control is a real form control with a name, so a
//! keyboard and a screen reader can use it; the shortcuts are listed in the help dialog.

use std::rc::Rc;

use crate::i18n::{t, tp, Msg};
use web_sys::{HtmlDialogElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::engine::time::Instant;
use crate::ui::clock::Clock;
use crate::ui::state::SPEEDS;
use crate::view::timescale::TimeScale;

/// A moment as the learner reads it, in the learner's language: "0.100 s", 「0.100 秒」.
pub fn seconds(t: Instant) -> String {
    tp(
        Msg::ControlsSeconds,
        &[("s", &crate::engine::time::seconds_figure(t))],
    )
}

/// The speed choices as the menu shows them, in the order of [`SPEEDS`].
const SPEED_LABELS: [&str; 5] = ["0.25×", "0.5×", "1×", "2×", "4×"];

/// A small drawn icon (fonts may lack the media-control characters).
fn icon(path: &'static str) -> Html {
    html! { <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d={path} /></svg> }
}

#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    /// The moment the reducer shows; the scrubber and the time follow the clock between moments.
    pub t: Instant,
    pub clock: Clock,
    pub end: Instant,
    pub playing: bool,
    pub speed: f64,
    /// Every moment at which something happens.
    pub moments: Rc<Vec<Instant>>,
    /// Where each moment is on the bar: quiet stretches shortened.
    pub scale: Rc<TimeScale>,
    /// A lesson's question waits at this moment: playing goes no further until it is answered.
    #[prop_or_default]
    pub held: bool,
    pub on_toggle: Callback<()>,
    pub on_step_back: Callback<()>,
    pub on_step_forward: Callback<()>,
    pub on_restart: Callback<()>,
    pub on_speed: Callback<f64>,
    pub on_seek: Callback<Instant>,
    pub on_help: Callback<()>,
}

#[function_component(Controls)]
pub fn controls(props: &ControlsProps) -> Html {
    crate::ui::hooks::counted("Controls");
    let click = |cb: &Callback<()>| {
        let cb = cb.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let on_speed = {
        let cb = props.on_speed.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Some(speed) = select
                .value()
                .parse::<usize>()
                .ok()
                .and_then(|i| SPEEDS.get(i))
            {
                cb.emit(*speed);
            }
        })
    };
    let on_seek = {
        let (cb, scale) = (props.on_seek.clone(), props.scale.clone());
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(ms) = input.value().parse::<i64>() {
                cb.emit(scale.time(ms * 1000));
            }
        })
    };
    let (slider, time) = (use_node_ref(), use_node_ref());
    use_moving_time(props, &slider, &time);
    let now = props.clock.now().max(props.t);
    let end_ms = ((props.scale.bar_len() + 999) / 1000).max(1);
    let t_ms = props.scale.bar(now) / 1000;
    let play_label = t(if props.playing {
        Msg::ControlsPause
    } else {
        Msg::ControlsPlay
    });
    html! {
        <div class="controls" role="group" aria-label={t(Msg::ControlsPlayback)}>
            <div class="buttons">
                <button class="button restart" aria-label={t(Msg::ControlsRestart)} title={t(Msg::ControlsRestartKey)} onclick={click(&props.on_restart)}>{ icon("M4 4h3v16H4zM20 4v16L9 12z") }</button>
                <button class="button" aria-label={t(Msg::ControlsStepBack)} title={t(Msg::ControlsStepBackKey)} onclick={click(&props.on_step_back)}>{ icon("M17 4v16L6 12zM4 4h2v16H4z") }</button>
                <button class="button primary play" aria-label={play_label.clone()} aria-disabled={props.held.then_some("true")}
                        title={if props.held { t(Msg::ControlsHeld).to_string() } else { tp(Msg::ControlsPlayKey, &[("action", &play_label)]) }} onclick={click(&props.on_toggle)}>
                    { if props.playing { icon("M6 4h4v16H6zM14 4h4v16h-4z") } else { icon("M7 4v16l13-8z") } }
                </button>
                <button class="button" aria-label={t(Msg::ControlsStepForward)} title={t(Msg::ControlsStepForwardKey)} onclick={click(&props.on_step_forward)}>{ icon("M7 4v16l11-8zM18 4h2v16h-2z") }</button>
                <label class="speed">
                    <span>{ t(Msg::ControlsSpeed) }</span>
                    <select aria-label={t(Msg::ControlsSpeed)} onchange={on_speed}>
                        { for SPEEDS.iter().zip(SPEED_LABELS).enumerate().map(|(i, (s, label))| html! {
                            <option value={i.to_string()} selected={(*s - props.speed).abs() < 1e-9}>{ label }</option>
                        }) }
                    </select>
                </label>
                <button class="button help-button" aria-label={t(Msg::HelpTitle)} title={t(Msg::HelpTitleKey)} onclick={click(&props.on_help)}>{ "?" }</button>
            </div>
            // The slider and the clock change twice a second while playing; each sits in a
            // fixed-size box of its own (see app.css), so the browser lays out and paints only
            // that box.
            <div class="scrubber">
                <div class="track">
                    <input ref={slider} type="range" aria-label={t(Msg::ControlsTimeline)} min="0" max={end_ms.to_string()} step="1"
                           value={t_ms.to_string()} aria-valuetext={seconds(now)} oninput={on_seek} />
                    <Marks moments={props.moments.clone()} scale={props.scale.clone()} />
                </div>
                <div class="clock-box">
                    <output ref={time} class="clock" aria-live="off">{ clock_text(now, props.end) }</output>
                    if props.scale.shortens() {
                        <span class="scale-note">{ t(Msg::ControlsShortened) }</span>
                    }
                </div>
            </div>
        </div>
    }
}

/// The slider and the time follow the clock while it plays, and the app's moment after every
/// render.
#[hook]
fn use_moving_time(props: &ControlsProps, slider: &NodeRef, time: &NodeRef) {
    let (slider, time) = (slider.clone(), time.clone());
    // While playing: move the slider and the time at each of the frame loop's ticks (twice a
    // second). A busy scene redraws every second or so and shows the exact time then, so its
    // ticks leave them alone.
    {
        let (slider, time, clock, end, scale) = (
            slider.clone(),
            time.clone(),
            props.clock.clone(),
            props.end,
            props.scale.clone(),
        );
        use_effect(move || {
            crate::ui::hooks::timed("Controls: subscribe");
            let told = clock.clone();
            let subscription = clock.subscribe(move |t| {
                if !told.busy() {
                    show_time(&slider, &time, t, end, &scale);
                }
            });
            move || drop(subscription)
        });
    }
    // After every render too: the frames wrote to these elements behind the renderer's back,
    // so what it believes is there may not be.
    {
        let (slider, time, clock, t, end, scale) = (
            slider.clone(),
            time.clone(),
            props.clock.clone(),
            props.t,
            props.end,
            props.scale.clone(),
        );
        use_effect(move || {
            crate::ui::hooks::timed("Controls: show_time");
            show_time(&slider, &time, clock.now().max(t), end, &scale)
        });
    }
}

/// Put `t` on the slider and in the time display. The display's text node is the renderer's
/// own, changed in place, so later renders keep updating the node on the page.
fn show_time(slider: &NodeRef, time: &NodeRef, t: Instant, end: Instant, scale: &TimeScale) {
    if let Some(input) = slider.cast::<HtmlInputElement>() {
        input.set_value(&(scale.bar(t) / 1000).to_string());
        let _ = input.set_attribute("aria-valuetext", &seconds(t));
    }
    if let Some(text) = time
        .cast::<web_sys::Element>()
        .and_then(|out| out.first_child())
    {
        text.set_node_value(Some(&clock_text(t, end)));
    }
}

fn clock_text(t: Instant, end: Instant) -> String {
    format!("{} / {}", seconds(t), seconds(end))
}

#[derive(Properties, PartialEq)]
struct MarksProps {
    moments: Rc<Vec<Instant>>,
    scale: Rc<TimeScale>,
}

/// A tick under the scrubber for each moment something happens (at most one per pixel column),
/// and a dashed line where a quiet stretch is shortened.
#[function_component(Marks)]
fn marks(props: &MarksProps) -> Html {
    crate::ui::hooks::counted("Marks");
    let len = props.scale.bar_len() as f64;
    let x = |bar: i64| (bar as f64 / len * 1000.0) as u32;
    let mut xs: Vec<u32> = props
        .moments
        .iter()
        .map(|m| x(props.scale.bar(*m)))
        .collect();
    xs.dedup();
    html! {
        <svg class="marks" viewBox="0 0 1000 10" preserveAspectRatio="none" aria-hidden="true">
            { for xs.iter().map(|x| html! { <line x1={x.to_string()} x2={x.to_string()} y1="0" y2="10" /> }) }
            { for props.scale.quiet().iter().map(|(a, b)| html! {
                <line class="quiet" x1={x(*a).to_string()} x2={x(*b).to_string()} y1="5" y2="5" />
            }) }
        </svg>
    }
}

#[derive(Properties, PartialEq)]
pub struct HelpProps {
    pub open: bool,
    pub on_close: Callback<()>,
}

/// The keyboard shortcuts, in a modal dialog (Escape closes it).
#[function_component(HelpDialog)]
pub fn help_dialog(props: &HelpProps) -> Html {
    crate::ui::hooks::counted("HelpDialog");
    let dialog = use_node_ref();
    {
        let dialog = dialog.clone();
        use_effect_with(props.open, move |open| {
            if let Some(d) = dialog.cast::<HtmlDialogElement>() {
                match (*open, d.open()) {
                    (true, false) => {
                        let _ = d.show_modal();
                    }
                    (false, true) => d.close(),
                    _ => {}
                }
            }
        });
    }
    let close = props.on_close.clone();
    let on_close = Callback::from(move |_: Event| close.emit(()));
    let close_button = props.on_close.clone();
    html! {
        <dialog ref={dialog} class="help" aria-labelledby="help-title" onclose={on_close}>
            <h2 id="help-title">{ t(Msg::HelpTitle) }</h2>
            <h3>{ t(Msg::HelpKey) }</h3>
            <dl class="key">
                <div><dt><span class="key-chip">{ "A" }</span><span class="key-chip b">{ "B" }</span></dt><dd>{ t(Msg::HelpKeyLetter) }</dd></div>
                <div><dt><span class="key-chip">{ "10378→80 SYN" }</span></dt><dd>{ t(Msg::HelpKeyPorts) }</dd></div>
                <div><dt><code>{ "fd 3" }</code></dt><dd>{ t(Msg::HelpKeyFd) }</dd></div>
                <div><dt><code class="key-callout">{ "→" }</code></dt><dd>{ t(Msg::HelpKeyArrow) }</dd></div>
                <div><dt><code>{ "?" }</code></dt><dd>{ t(Msg::HelpKeyHidden) }</dd></div>
                <div><dt><span class="key-chip marked">{ "80→58990" }</span></dt><dd>{ t(Msg::HelpKeyThis) }</dd></div>
            </dl>
            <h3>{ t(Msg::HelpShortcuts) }</h3>
            <dl class="shortcuts">
                <div><dt><kbd>{ t(Msg::HelpSpaceKey) }</kbd></dt><dd>{ t(Msg::HelpSpace) }</dd></div>
                <div><dt><kbd>{ "←" }</kbd></dt><dd>{ t(Msg::HelpBack) }</dd></div>
                <div><dt><kbd>{ "→" }</kbd></dt><dd>{ t(Msg::HelpForward) }</dd></div>
                <div><dt><kbd>{ t(Msg::HelpHomeKey) }</kbd></dt><dd>{ t(Msg::ControlsRestart) }</dd></div>
                <div><dt><kbd>{ "?" }</kbd></dt><dd>{ t(Msg::HelpList) }</dd></div>
                <div><dt><kbd>{ t(Msg::HelpTabKey) }</kbd></dt><dd>{ t(Msg::HelpTab) }</dd></div>
            </dl>
            <button class="button primary" onclick={Callback::from(move |_: MouseEvent| close_button.emit(()))}>{ t(Msg::HelpClose) }</button>
        </dialog>
    }
}
