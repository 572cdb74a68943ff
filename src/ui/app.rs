//! The app: header with the scene picker, the stage with its stage text and playback controls,
//! the socket tables and the packet inspector, the narration, the flow graph, and the port
//! reference. State lives in one reducer (`state.rs`); everything drawn comes from the
//! timeline's snapshot at the current moment.

// The home screen's build (the `home` feature alone) draws no player: most of this is not in it.
#![cfg_attr(all(feature = "home", not(feature = "lessons")), allow(dead_code))]

use std::cell::{Cell, RefCell};
use std::net::SocketAddrV4;
use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use gloo::render::{request_animation_frame, AnimationFrame};
use gloo::timers::callback::Timeout;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlSelectElement, KeyboardEvent};
use yew::prelude::*;

use super::clock::{real_now, Clock};
use super::components::controls::{Controls, HelpDialog};
use super::components::flow::Flow;
use super::components::inspector::Inspector;
use super::components::language::language_picker;
use super::components::narration::{lines_until, Narration};
use super::components::stage::Stage;
use super::components::tables::SocketTable;
use super::home::link;
#[cfg(feature = "home")]
use super::home::Home;
use super::lesson::LessonAt;
#[cfg(feature = "lessons")]
use super::lesson::LessonPanel;
use super::route::{use_place, Params, Route};
use super::scenes::{self, has_recording, Scene, SCENES};
use super::state::{Action, Model, Panel};
use super::store::{Store, Update};
use crate::engine::event::{EventKind, SegmentId};
use crate::engine::net::HostId;
use crate::engine::ports::{self, PortClass};
use crate::engine::snapshot::{HostView, Snapshot};
use crate::engine::socket::{SockId, SockState};
use crate::engine::time::Instant;
use crate::i18n::{t, tp, Msg};
use crate::lessons::Pick;
use crate::vecmap::{VecMap, VecSet};
use crate::view::pace::Pace;
use crate::view::scenes::host_name;

/// The phone's layout in `static/app.css`: one column, and the side panel shows one host's
/// table (the others are not drawn, so they are not redrawn either until shown).
const PHONE_LAYOUT: &str = "(max-width: 899px)";

/// The query parameter that makes the app panic on purpose, so that a test can check the page
/// shows a readable message instead of freezing. It changes nothing else.
const DEBUG_PANIC_PARAM: &str = "debug-panic";

fn prefers_reduced_motion() -> bool {
    gloo::utils::window()
        .match_media("(prefers-reduced-motion: reduce)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
}

/// Space, arrows and Home drive playback, unless a form control wants the key itself.
fn shortcut(e: &KeyboardEvent, clock: &Clock) -> Option<Action> {
    if e.ctrl_key() || e.meta_key() || e.alt_key() {
        return None;
    }
    let tag = e
        .target()
        .and_then(|t| t.dyn_into::<HtmlElement>().ok())
        .map(|el| el.tag_name().to_ascii_lowercase())
        .unwrap_or_default();
    let in_control = matches!(
        tag.as_str(),
        "input" | "select" | "textarea" | "button" | "summary"
    );
    let on_packet = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| el.get_attribute("role").as_deref() == Some("button"));
    match e.key().as_str() {
        " " | "Spacebar" if !in_control && !on_packet => Some(Action::Toggle(clock.now())),
        "ArrowRight" if tag != "input" && tag != "select" => Some(Action::StepForward(clock.now())),
        "ArrowLeft" if tag != "input" && tag != "select" => Some(Action::StepBack(clock.now())),
        "Home" if tag != "input" => Some(Action::Restart),
        "?" => Some(Action::ShowHelp(true)),
        _ => None,
    }
}

thread_local! {
    /// How many times the learner has picked a scene: a slow scene's recording that comes after
    /// a later pick is not shown.
    static PICKS: Cell<u32> = const { Cell::new(0) };
}

/// The scene the free player opens: the one the address names, or the first.
fn explored(params: &VecMap<String, String>) -> &'static str {
    SCENES[params
        .get("scene")
        .and_then(|s| Scene::index_of(s))
        .unwrap_or(0)]
}

/// The model the page's address asks for: `?scene=…&t=ms&speed=…&play=1`.
fn model_from(params: &VecMap<String, String>) -> Model {
    let index = params
        .get("scene")
        .and_then(|s| Scene::index_of(s))
        .unwrap_or(0);
    let mut m = Model::new(index);
    let speeds = ["0.25", "0.5", "1", "2", "4"];
    if let Some(i) = params
        .get("speed")
        .and_then(|s| speeds.iter().position(|v| v == s))
    {
        m.speed = super::state::SPEEDS[i];
    }
    m.playing = params.get("play").is_some_and(|v| v == "1");
    if let Some(ms) = params.get("t").and_then(|v| v.parse::<i64>().ok()) {
        // Clamped before it becomes microseconds, so no number overflows.
        let end_ms = m.end().total_millis();
        m.t = Instant::from_millis(ms.clamp(0, end_ms)).min(m.end());
    }
    if let (Some(wanted), None) = (
        params.get("scene"),
        Scene::index_of(params.get("scene").map(String::as_str).unwrap_or("")),
    ) {
        m.error = Some(tp(Msg::PlayerNoScene, &[("name", wanted)]));
    }
    m
}

/// While a scene plays, the tables, narration and stage text redraw at the frame a moment is
/// crossed when moments are at least [`SPARSE_MS`] of real time apart (the slides' scene: 2.5 s
/// apart at 1×, 625 ms at 4×), so the learner sees a packet arrive and its table change
/// together. When moments come faster (a busy scene: several a frame), they redraw at most every
/// [`busy_redraw_ms`]: redrawing every socket table that often would make the packets stutter.
const SPARSE_MS: f64 = 400.0;

/// How long a busy scene waits between redraws, from how long the last one took (real ms: the
/// app drawing it, and its frame): once a second when a redraw fits in a frame, up to every
/// 3 s when it is heavy (a hundred sockets, a slow device), so that the frames a redraw makes
/// late stay few.
fn busy_redraw_ms(redraw_ms: f64) -> f64 {
    ((redraw_ms - FRAME_MS) * 150.0).clamp(1000.0, 3000.0)
}

/// One frame at 60 Hz, in ms.
const FRAME_MS: f64 = 16.7;

/// How often the frame loop ticks the clock while playing, for the scrubber and the time
/// display (real ms): each tick lays out and repaints them, and twice a second reads as
/// steady. A busy scene redraws every second or so anyway, and they show the exact time then.
const TICK_MS: f64 = 500.0;

/// While playing, the clock follows a [`Pace`] (where the stage's worker draws the packets at
/// every frame) and the page sleeps until the next thing it must do: cross a moment (see
/// [`SPARSE_MS`]), draw a waiting redraw, tick the scrubber, or stop.
#[hook]
fn use_frame_loop(model: &UseReducerHandle<Model>, clock: &Clock) {
    let dispatcher = model.dispatcher();
    let clock = clock.clone();
    let scene = model.scene.clone();
    use_effect_with(
        (
            model.playing,
            (model.scene_index, model.scene.run),
            model.speed.to_bits(),
            model.stop_at,
            model.limit,
            model.jumps,
        ),
        move |&(playing, _, speed, stop_at, limit, _)| {
            let speed = f64::from_bits(speed);
            let stop = stop_at.unwrap_or(scene.end()).min(scene.end());
            let stop = limit.map_or(stop, |l| stop.min(l));
            let stopped = clock.clone();
            let runner = playing.then(|| {
                let busy: Vec<(f64, f64)> = scene
                    .busy
                    .iter()
                    .map(|(a, b)| (a.total_micros() as f64, b.total_micros() as f64))
                    .collect();
                let from = clock.now();
                let runner = Rc::new(Runner {
                    scene,
                    clock,
                    dispatcher,
                    stop,
                    speed,
                    busy,
                    redraw: Cell::new(Redraw {
                        drawn_at: f64::MIN,
                        shown: from,
                        crossed_at: f64::MIN,
                        pending: false,
                        sparse: true,
                        redraw_ms: 0.0,
                        ticked_at: f64::MIN,
                    }),
                    timer: RefCell::new(None),
                    frame: RefCell::new(None),
                    visibility: RefCell::new(None),
                });
                runner.start();
                // A hidden page draws no frames: the clock waits for it, and goes on from
                // where it was when the learner comes back.
                let me = runner.clone();
                *runner.visibility.borrow_mut() = Some(EventListener::new(
                    &gloo::utils::document(),
                    "visibilitychange",
                    move |_| {
                        if gloo::utils::document().hidden() {
                            me.pause();
                        } else if me.clock.pace().is_none() {
                            me.start();
                        }
                    },
                ));
                // Started while hidden (a background tab, or a change made while it was): wait.
                if gloo::utils::document().hidden() {
                    runner.pause();
                }
                runner
            });
            move || {
                if let Some(r) = runner {
                    r.timer.borrow_mut().take();
                    r.frame.borrow_mut().take();
                    r.visibility.borrow_mut().take();
                }
                stopped.halt();
                stopped.set_busy(false);
            }
        },
    );
}

/// The frame loop while a scene plays: its scene, clock and stop, its memory of redraws, and
/// what it waits for.
struct Runner {
    scene: Rc<Scene>,
    clock: Clock,
    dispatcher: UseReducerDispatcher<Model>,
    stop: Instant,
    speed: f64,
    /// When segments are on the wire, in µs (the pace's `busy`).
    busy: Vec<(f64, f64)>,
    redraw: Cell<Redraw>,
    timer: RefCell<Option<Timeout>>,
    frame: RefCell<Option<AnimationFrame>>,
    visibility: RefCell<Option<EventListener>>,
}

impl Runner {
    /// Play from where the clock is, now, and wake on the next turn (once this render's
    /// effects have all run).
    fn start(self: &Rc<Runner>) {
        self.clock.play(Pace::new(
            self.clock.now().total_micros() as f64,
            real_now(),
            self.speed,
            self.stop.total_micros() as f64,
            self.busy.clone(),
        ));
        let me = self.clone();
        *self.timer.borrow_mut() = Some(Timeout::new(0, move || me.wake()));
    }

    /// Wait where the clock is, until [`Runner::start`] again.
    fn pause(&self) {
        self.timer.borrow_mut().take();
        self.clock.halt();
    }

    /// Tick the clock, redraw if a moment was crossed (now, or when a busy scene's next
    /// redraw is due), and sleep until the next thing to do.
    fn wake(self: &Rc<Runner>) {
        let now = real_now();
        let to = self.clock.now().min(self.stop);
        self.clock.tick(to);
        let mut r = self.redraw.get();
        r.ticked_at = now;
        if self.scene.next_moment(r.shown).is_some_and(|m| m <= to) {
            r.sparse = now - r.crossed_at >= SPARSE_MS;
            r.crossed_at = now;
            self.clock.set_busy(!r.sparse);
            r.pending = true;
            r.shown = to;
        }
        let wait = busy_redraw_ms(r.redraw_ms);
        let due = r.sparse || now - r.drawn_at >= wait;
        if (r.pending && due) || to >= self.stop {
            r.pending = false;
            r.drawn_at = now;
            self.redraw.set(r);
            self.dispatcher.dispatch(Action::Reach(to));
            if to >= self.stop {
                return;
            }
            self.measure_redraw(now);
        }
        self.redraw.set(r);
        // Next: the next moment (unless a redraw already waits), the waiting redraw, the
        // scrubber's tick (unless a busy scene's redraws show the time), or the stop.
        let pace = self.clock.pace();
        let real_at = |t: Instant| {
            pace.as_ref()
                .map_or(f64::INFINITY, |p| p.real_at(t.total_micros() as f64))
        };
        let mut next = real_at(self.stop);
        if r.pending {
            next = next.min(r.drawn_at + wait);
        } else if let Some(m) = self.scene.next_moment(to) {
            next = next.min(real_at(m));
        }
        if !self.clock.busy() {
            next = next.min(r.ticked_at + TICK_MS);
        }
        let me = self.clone();
        // At least a millisecond on: a moment's real time may round to just before it.
        let delay = (next - now).clamp(1.0, 60_000.0).ceil() as u32;
        *self.timer.borrow_mut() = Some(Timeout::new(delay, move || me.wake()));
    }

    /// How long the redraw dispatched at `dispatched` (real ms) takes: from the dispatch to
    /// the second frame after it, less one frame. Yew draws after the dispatch (in a microtask,
    /// or later if it yields), the browser lays the page out and paints in the next frame, and
    /// the one after starts once all of that is done: a redraw that fits leaves at most a
    /// frame, one that does not delays that second frame by what it costs.
    fn measure_redraw(self: &Rc<Runner>, dispatched: f64) {
        let me = self.clone();
        *self.frame.borrow_mut() = Some(request_animation_frame(move |_| {
            let again = me.clone();
            *me.frame.borrow_mut() = Some(request_animation_frame(move |second| {
                let origin = gloo::utils::window()
                    .performance()
                    .map_or(0.0, |p| p.time_origin());
                let mut r = again.redraw.get();
                r.redraw_ms = origin + second - dispatched - FRAME_MS;
                again.redraw.set(r);
            }));
        }));
    }
}

/// The frame loop's memory of redraws: when the last one happened (real ms), the moment the
/// clock had passed, when the last moment was crossed, whether one waits to be drawn, and
/// whether moments are coming slowly enough to draw each at once, how long the last redraw
/// took (ms: drawing it, and its frame), and when the clock last ticked.
#[derive(Clone, Copy)]
struct Redraw {
    drawn_at: f64,
    shown: Instant,
    crossed_at: f64,
    pending: bool,
    sparse: bool,
    redraw_ms: f64,
    ticked_at: f64,
}

/// When the lesson's step changes: show its scene at its moment, and remember the learner
/// got there.
#[hook]
fn use_lesson_step(
    model: &UseReducerHandle<Model>,
    at: Option<&LessonAt>,
    on_update: &Callback<Update>,
) {
    let d = model.dispatcher();
    let on_update = on_update.clone();
    // A challenge's new draw shows from its step again.
    let key = at.map(|a| (a.index, a.step, a.drawn.as_ref().map(|(seed, _)| *seed)));
    let at = at.cloned();
    use_effect_with(key, move |_| {
        if let Some(at) = at {
            d.dispatch(Action::Show(
                at.scene_index(),
                at.drawn_scene().cloned(),
                at.step().at.clone(),
            ));
            on_update.emit(Update::Saw(at.lesson().id.clone(), at.step));
        }
    });
}

/// In a lesson, the scene goes no further than its next unanswered question's moment; the
/// limit moves on as questions are answered (the progress changes).
#[hook]
fn use_lesson_limit(model: &UseReducerHandle<Model>, at: Option<&LessonAt>) {
    let d = model.dispatcher();
    let limit = at
        .filter(|at| at.lesson().scenario == model.scene.id)
        .and_then(|at| super::lesson::play_limit(at, &model.scene));
    // Keyed on the model's own limit too: answering again (a Reveal clears it) sets it anew.
    use_effect_with((limit, model.limit), move |(limit, now)| {
        if limit != now {
            d.dispatch(Action::Limit(*limit));
        }
    });
}

/// Keyboard shortcuts, anywhere on the page.
#[hook]
fn use_shortcuts(model: &UseReducerHandle<Model>, clock: &Clock) {
    let dispatcher = model.dispatcher();
    let clock = clock.clone();
    use_effect_with((), move |_| {
        // Not passive: a shortcut must stop the browser scrolling the page on Space.
        let options = EventListenerOptions::enable_prevent_default();
        let listener = EventListener::new_with_options(
            &gloo::utils::document(),
            "keydown",
            options,
            move |e| {
                let Some(e) = e.dyn_ref::<KeyboardEvent>() else {
                    return;
                };
                if let Some(action) = shortcut(e, &clock) {
                    e.prevent_default();
                    dispatcher.dispatch(action);
                }
            },
        );
        move || drop(listener)
    });
}

thread_local! {
    /// The free player's clock while one is on the page: where it is, for an address that
    /// must come back to the same moment (see [`keep_player_time`]).
    static PLAYER_CLOCK: RefCell<Option<Clock>> = const { RefCell::new(None) };
}

/// Put the free player's moment into the page's address, before the app is drawn again (in
/// another language), so that it opens at the same moment.
pub fn keep_player_time() {
    if let Some(now) = PLAYER_CLOCK.with(|c| c.borrow().as_ref().map(Clock::now)) {
        super::route::keep_time(now.total_millis());
    }
}

/// The app: the home screen, the free player or a lesson, as the page's address says.
#[function_component(App)]
pub fn app() -> Html {
    crate::ui::hooks::counted("App");
    let (place, go) = use_place();
    if place.params.contains_key(DEBUG_PANIC_PARAM) {
        panic!("the page was opened with ?{DEBUG_PANIC_PARAM}, which stops the app on purpose to test this message");
    }
    #[cfg(any(feature = "lessons", feature = "home"))]
    let lessons = use_memo((), |_| super::lesson::in_page());
    let store = use_reducer(Store::load);
    let on_update = {
        let d = store.dispatcher();
        use_callback((), move |u: Update, _| d.dispatch(u))
    };
    let progress = store.progress.clone();
    // The home screen, with a line about what went wrong (a lesson there is not), in the
    // home screen's build; the other builds load it.
    #[cfg(feature = "home")]
    let home = |error: Option<String>| {
        // The home screen shows every lesson's title and goal: loaded with it.
        if !super::lesson::has_words("") {
            return super::lesson::loading_view("", "./");
        }
        html! {
            <Home lessons={lessons.clone()} progress={progress.clone()} notice={error.or(store.notice.clone())}
                  on_update={on_update.clone()} go={go.clone()} />
        }
    };
    #[cfg(not(feature = "home"))]
    let home = |_: Option<String>| elsewhere(&Route::Home);
    #[cfg(not(feature = "lessons"))]
    let _ = (&progress, &on_update);
    match &place.route {
        Route::Home => home(None),
        // The free player is a page of its own.
        Route::Explore if !crate::FREE_PLAYER => elsewhere(&place.route),
        // Every scene's words (the picker lists every title), then the scene's recording.
        #[cfg(any(feature = "lessons", not(feature = "home")))]
        Route::Explore
            if !super::lesson::has_words("@") || !has_recording(explored(&place.params)) =>
        {
            let waiting = match super::lesson::has_words("@") {
                false => "@".to_string(),
                true => format!("#{}", explored(&place.params)),
            };
            let here = gloo::utils::window()
                .location()
                .search()
                .unwrap_or_default();
            super::lesson::loading_view(&waiting, &here)
        }
        #[cfg(any(feature = "lessons", not(feature = "home")))]
        Route::Explore => html! {
            <Player params={place.params.clone()} lesson={None::<LessonAt>} on_update={on_update.clone()} go={go.clone()} />
        },
        #[cfg(feature = "workshop")]
        Route::Workshop => html! { <super::workshop::Workshop go={go.clone()} /> },
        #[cfg(feature = "import")]
        Route::Import => html! { <super::import::Import go={go.clone()} /> },
        #[cfg(feature = "lessons")]
        Route::Lesson { id, step, seed } => match lessons.iter().position(|l| l.id == *id) {
            // The challenges' page shows the challenge only: another lesson is a page load,
            // before anything of it is fetched here.
            Some(index) if crate::CHALLENGE_PAGE && !lessons[index].challenge => {
                elsewhere(&place.route)
            }
            Some(_) if !super::lesson::has_words(id) => {
                super::lesson::loading_view(id, &place.route.query())
            }
            Some(index) if !has_recording(&lessons[index].scenario) => super::lesson::loading_view(
                &format!("#{}", lessons[index].scenario),
                &place.route.query(),
            ),
            // A challenge draws its fault first, in the challenges' build; the lessons' build
            // leaves it to that build (a page load).
            #[cfg(feature = "challenge")]
            Some(index) if lessons[index].challenge => html! {
                <super::lesson::ChallengeView lessons={lessons.clone()} index={index} step={*step} seed={*seed}
                    progress={progress.clone()} params={place.params.clone()} on_update={on_update.clone()} go={go.clone()} />
            },
            #[cfg(not(feature = "challenge"))]
            Some(index) if lessons[index].challenge => {
                let _ = seed;
                elsewhere(&place.route)
            }
            Some(index) => {
                let steps = lessons[index].steps.len();
                let at = LessonAt {
                    lessons: lessons.clone(),
                    index,
                    step: (*step).min(steps.saturating_sub(1)),
                    progress: progress.clone(),
                    drawn: None,
                };
                html! {
                    <Player params={place.params.clone()} lesson={Some(at)} on_update={on_update.clone()} go={go.clone()} />
                }
            }
            None => home(Some(tp(Msg::HomeNoLesson, &[("name", id)]))),
        },
        // The home screen's build: a lesson there is not is named on the home screen.
        #[cfg(all(feature = "home", not(feature = "lessons")))]
        Route::Lesson { id, .. } if !lessons.iter().any(|l| l.id == *id) => {
            home(Some(tp(Msg::HomeNoLesson, &[("name", id)])))
        }
        #[allow(unreachable_patterns)]
        other => elsewhere(other),
    }
}

/// What another build of the app shows: the lessons (the app's build), the home screen (its
/// own build) and scenes (the free player's build) each come with only their own code, and a
/// new page load at the address gives the build that shows it (`static/boot.js` picks the build
/// by the address). One line says so meanwhile.
#[cfg_attr(all(feature = "lessons", feature = "home"), allow(dead_code))]
fn elsewhere(route: &Route) -> Html {
    let href = match route.query() {
        q if q.is_empty() => "./".to_string(),
        q => q,
    };
    let _ = gloo::utils::window().location().replace(&href);
    html! {
        <main class="shell lesson-loading">
            <p class="notice" role="status">{ t(Msg::HomeLoading) }</p>
        </main>
    }
}

#[derive(Properties, PartialEq)]
pub struct PlayerProps {
    /// The address's parameters, which the free player starts from.
    pub params: Rc<Params>,
    /// The lesson step shown beside the stage, if any.
    pub lesson: Option<LessonAt>,
    pub on_update: Callback<Update>,
    pub go: Callback<Route>,
    /// The workshop's scene, run, or the import's capture, and the way back to that page.
    #[prop_or_default]
    pub workshop: Option<WorkshopRun>,
}

/// A scene a page of its own made (the workshop's run, the import's capture), for the player
/// to play, and what takes the learner back.
#[derive(Clone, PartialEq)]
pub struct WorkshopRun {
    pub scene: Rc<Scene>,
    pub back: Callback<()>,
    /// The back button's words.
    pub back_label: Msg,
    /// The page's mark for `static/boot.js` (`data-lesson`): "%" the workshop, "&" the import.
    pub page: &'static str,
    /// A sentence under the header: a challenge's result for this run, what a capture's stage
    /// leaves out.
    pub summary: Option<String>,
}

/// Whether this build has a page that plays its own scenes (the workshop, the import).
const OWN_RUNS: bool = cfg!(any(feature = "workshop", feature = "import"));

/// The model a player starts with: a lesson's scene at its step, the workshop's run (playing),
/// or what the address asks.
fn first_model(
    params: &Params,
    lesson: Option<&LessonAt>,
    workshop: Option<&WorkshopRun>,
) -> Model {
    if let Some(run) = workshop.filter(|_| OWN_RUNS) {
        let mut m = Model::of_scene(usize::MAX, run.scene.clone());
        m.playing = true;
        return m;
    }
    match lesson {
        Some(at) => {
            let mut m = Model::new(at.scene_index());
            m.show(at.scene_index(), at.drawn_scene(), &at.step().at);
            m
        }
        None if crate::FREE_PLAYER => model_from(params),
        None => Model::new(0),
    }
}

/// The scene player: the stage, the tables and the panels, and a lesson's step beside them.
#[function_component(Player)]
pub fn player(props: &PlayerProps) -> Html {
    crate::ui::hooks::counted("Player");
    // The free player (in the builds that have it; see `crate::FREE_PLAYER`).
    let free = crate::FREE_PLAYER && props.lesson.is_none();
    let model = {
        let (params, lesson) = (props.params.clone(), props.lesson.clone());
        let workshop = props.workshop.clone();
        use_reducer(move || first_model(&params, lesson.as_ref(), workshop.as_ref()))
    };
    use_lesson_step(&model, props.lesson.as_ref(), &props.on_update);
    use_lesson_limit(&model, props.lesson.as_ref());
    let clock = use_model_clock(&model);
    {
        // The free player's clock, for a language switch to come back to its moment.
        let clock = clock.clone();
        use_effect_with(free, move |free| {
            if *free {
                PLAYER_CLOCK.with(|c| *c.borrow_mut() = Some(clock));
            }
            move || PLAYER_CLOCK.with(|c| *c.borrow_mut() = None)
        });
    }
    use_frame_loop(&model, &clock);
    use_shortcuts(&model, &clock);
    let reduced_motion = use_memo((), |_| prefers_reduced_motion());
    // The scene titles for the picker, read once.
    let back = props
        .workshop
        .as_ref()
        .filter(|_| OWN_RUNS)
        .map(|w| (w.back.clone(), w.back_label, w.page));
    let picker = free && back.is_none();
    let titles = use_memo(
        (),
        move |_| if picker { scene_titles() } else { Vec::new() },
    );

    let scene = model.scene.clone();
    let snapshot = use_snapshot(&model);
    let hosts = use_stable_hosts(&snapshot);
    let moments = use_memo((model.scene_index, model.scene.run), {
        let scene = scene.clone();
        move |_| scene.timeline.moments()
    });
    let scale = use_memo((model.scene_index, model.scene.run), {
        let (scene, moments) = (scene.clone(), moments.clone());
        move |_| crate::view::timescale::TimeScale::new(&moments, scene.end())
    });
    let held = model.limit.is_some_and(|l| model.t >= l);
    let count = lines_until(&scene, model.t);

    // Made once: a child whose props are unchanged is not drawn again, and a new callback
    // every frame would count as a change (callbacks compare by identity).
    let on = use_memo((), {
        let d = model.dispatcher();
        let clock = clock.clone();
        move |_| Handlers::new(d, clock)
    });

    // What to highlight: the sockets at both ends of the segment under the pointer (or in the
    // inspector), and the segments of the socket picked in a table.
    let pointed = model.hovered.or(model.selected);
    let ends = pointed.and_then(|seg| segment_ends(&scene, seg));
    let focused_segments = Rc::new(focused_segments(&snapshot, model.focus));

    let (stage_title, stage_text) = stage_words(&scene, model.t);
    // A lesson's step on its own scene: what its question keeps secret until answered, and the
    // hosts it is about, whose tables stand in the question.
    let at = props
        .lesson
        .as_ref()
        .filter(|at| at.lesson().scenario == scene.id);
    let secrecy = use_memo(at.cloned(), |at| {
        at.as_ref().map(super::lesson::secrecy).unwrap_or_default()
    });
    let asked_hosts = at
        .map(|at| super::lesson::question_hosts(at, &scene, &snapshot))
        .unwrap_or_default();
    let shown_host = shown_host(&model, &scene, &hosts, &asked_hosts);
    let masked = at.and_then(|at| masked_socket(at, &snapshot));
    let picked = use_state(|| None::<(u32, Pick)>);
    let on_table_socket = table_socket_handler(&props.lesson, &hosts, &picked, &on.focus);
    let picking = at.is_some_and(|at| {
        matches!(
            at.step().question.as_ref().map(|q| &q.ask),
            Some(crate::lessons::Ask::Predict { .. })
        )
    });
    // On a phone the side panel shows one table: the others keep what they last showed.
    let phone = crate::ui::hooks::use_media(PHONE_LAYOUT);
    let hidden_tables = use_mut_ref(Held::default);
    let lesson_tables = LessonTables {
        masked,
        on_socket: on_table_socket,
        mask: secrecy.mask.clone(),
        picking,
        asked: asked_hosts,
        held: phone.then_some(hidden_tables),
    };
    let asked_tables = tables_of(&model, &scene, &hosts, ends.as_ref(), &lesson_tables, true);
    // The lesson's step beside the stage (not in the free player's build, which has no lessons).
    #[cfg(feature = "lessons")]
    let lesson_panel = match &props.lesson {
        Some(at) => html! {
            <LessonPanel at={at.clone()} scene={scene.clone()} picked={(*picked).clone()} on_update={props.on_update.clone()}
                         go={props.go.clone()} on_reveal={on.reveal.clone()} tables={asked_tables} on_run={on.run.clone()} />
        },
        None => Html::default(),
    };
    #[cfg(not(feature = "lessons"))]
    let lesson_panel = {
        let _ = (asked_tables, &picked);
        Html::default()
    };

    html! {
        <div class={classes!("shell", props.lesson.is_some().then_some("in-lesson"))}
             data-lesson={props.lesson.is_none().then_some(back.as_ref().map_or("@", |b| b.2))}>
            { site_header(&titles, model.scene_index, &on.scene, free, &props.go, back.as_ref()) }
            if let Some(error) = &model.error {
                <p class="notice" role="alert">{ error }</p>
            }
            { workshop_summary(props.workshop.as_ref()) }
            <main class="layout">
                <section id="stage" class="stage" aria-labelledby="stage-title" tabindex="-1">
                    <h2 id="stage-title" class="sr-only">{ t(Msg::PlayerNetwork) }</h2>
                    // A lesson's step says what is happening; the scene's own stage text would
                    // say it again, and tell what a question asks before it is answered.
                    if free {
                        <div class="stage-text" aria-live="polite">
                            <h3>{ stage_title }</h3>
                            <p class="story-text">{ stage_text.clone() }</p>
                        </div>
                    }
                    <Stage scene={scene.clone()} hosts={hosts.clone()} t={model.t} clock={clock.clone()}
                           selected={model.selected} hovered={model.hovered}
                           focused={focused_segments} reduced_motion={*reduced_motion}
                           playing={model.playing}
                           on_select={on.select.clone()} on_hover={on.hover.clone()}
                           mask={secrecy.mask.clone()} marked={secrecy.segment} short={props.lesson.is_some()}
                           programs_hidden={secrecy.processes} />
                    <Controls t={model.t} clock={clock.clone()} end={model.end()} playing={model.playing} speed={model.speed} moments={moments} scale={scale} held={held}
                              on_toggle={on.toggle.clone()} on_step_back={on.step_back.clone()}
                              on_step_forward={on.step_forward.clone()} on_restart={on.restart.clone()}
                              on_speed={on.speed.clone()} on_seek={on.seek.clone()} on_help={on.help.clone()} />
                </section>
                { lesson_panel }
                { tables_panel(&model, &scene, &hosts, shown_host, ends.as_ref(), &on, &lesson_tables) }
                { more_panels(&model, &scene, count, stage_text, &on, &secrecy) }
            </main>
            <HelpDialog open={model.help_open} on_close={on.close_help.clone()} />
        </div>
    }
}

/// A teacher's challenge's result for the workshop's run (only the workshop's build has one).
fn workshop_summary(run: Option<&WorkshopRun>) -> Html {
    #[cfg(any(feature = "workshop", feature = "import"))]
    if let Some(summary) = run.and_then(|w| w.summary.clone()) {
        return html! { <p class="notice" role="status">{ summary }</p> };
    }
    let _ = run;
    Html::default()
}

fn scene_titles() -> Vec<String> {
    SCENES.iter().map(|id| scenes::title(id)).collect()
}

/// The engine's snapshot at the model's moment, rebuilt only when the scene or moment changes.
#[hook]
fn use_snapshot(model: &UseReducerHandle<Model>) -> Rc<Snapshot> {
    let scene = model.scene.clone();
    (*use_memo(
        (model.scene_index, model.scene.run, model.t),
        move |(_, _, t)| Rc::new(scene.timeline.seek(*t)),
    ))
    .clone()
}

/// The clock, set to the model's moment whenever the model is the truth: paused, or after a
/// jump (while playing, the frame loop runs it ahead of the model).
#[hook]
fn use_model_clock(model: &UseReducerHandle<Model>) -> Clock {
    let clock = (*use_memo((), |_| Clock::default())).clone();
    let seen = use_mut_ref(|| None::<u32>);
    if !model.playing || *seen.borrow() != Some(model.jumps) {
        clock.set(model.t);
        *seen.borrow_mut() = Some(model.jumps);
    }
    clock
}

/// Each host's table as an Rc that stays the same while its rows do, so an unchanged table is
/// neither copied nor drawn again.
#[hook]
fn use_stable_hosts(snapshot: &Snapshot) -> Rc<Vec<Rc<HostView>>> {
    let host_cache = use_mut_ref(Vec::<Rc<HostView>>::new);
    let mut cache = host_cache.borrow_mut();
    let fresh: Vec<Rc<HostView>> = snapshot
        .hosts
        .iter()
        .enumerate()
        .map(|(i, h)| match cache.get(i) {
            Some(old) if **old == *h => old.clone(),
            _ => Rc::new(h.clone()),
        })
        .collect();
    *cache = fresh.clone();
    Rc::new(fresh)
}

/// The host whose table a phone shows under the stage: the one the learner picked, else the
/// latest event's, else the first; never one whose table stands in a lesson's question.
fn shown_host(model: &Model, scene: &Scene, hosts: &[Rc<HostView>], asked: &[HostId]) -> HostId {
    let free = |h: &HostId| !asked.contains(h);
    model
        .table_pin
        .filter(free)
        .or_else(|| scene.latest_host(model.t).filter(free))
        .or_else(|| hosts.iter().map(|h| h.id).find(free))
        .unwrap_or(HostId(0))
}

/// The stage's heading and text at `t`: the scene's stage then, or its title and description.
fn stage_words(scene: &Scene, t: Instant) -> (String, String) {
    match scene.stage_at(t) {
        Some((i, s)) => (
            tp(
                Msg::StageOf,
                &[
                    ("n", &(i + 1).to_string()),
                    ("of", &scene.scenario.stages.len().to_string()),
                    ("title", &s.title),
                ],
            ),
            s.text.clone(),
        ),
        None => (
            scene.scenario.title.clone(),
            scene.scenario.description.clone().unwrap_or_default(),
        ),
    }
}

/// The header: the name (a link home), the tagline, and the scene picker or the lesson's
/// way back to the list.
fn site_header(
    titles: &[String],
    current: usize,
    on_scene: &Callback<Event>,
    free: bool,
    go: &Callback<Route>,
    back: Option<&(Callback<()>, Msg, &'static str)>,
) -> Html {
    // The way on: a lesson's back to the list, the free player's scene picker and the lessons,
    // or (the workshop's run) back to the workshop.
    let nav = if !free {
        html! { <a class="button small header-link" href="./" onclick={link(go, Route::Home)}>{ t(Msg::PlayerAllLessons) }</a> }
    } else {
        html! {
            <>
                <label class="scene-picker">
                    <span>{ t(Msg::PlayerScene) }</span>
                    <select aria-label={t(Msg::PlayerScene)} onchange={on_scene.clone()}>
                        { for titles.iter().enumerate().map(|(i, title)| {
                            html! { <option key={i} value={i.to_string()} selected={i == current}>{ title.clone() }</option> }
                        }) }
                    </select>
                </label>
                <a class="button small header-link" href="./" onclick={link(go, Route::Home)}>{ t(Msg::HomeLessons) }</a>
            </>
        }
    };
    #[cfg(any(feature = "workshop", feature = "import"))]
    let nav = match back {
        Some((back, label, _)) => {
            let back = back.clone();
            html! {
                <button class="button small header-link" onclick={Callback::from(move |_: MouseEvent| back.emit(()))}>{ t(*label) }</button>
            }
        }
        None => nav,
    };
    #[cfg(not(any(feature = "workshop", feature = "import")))]
    let _ = back;
    html! {
            <header class="site-header">
                <a class="skip-link" href="#stage">{ t(Msg::PlayerSkip) }</a>
                <a class="brand" href="./" onclick={link(go, Route::Home)}>
                    <img class="brand-icon" src="icon.svg" alt="" width="28" height="28" />
                    <h1>{ t(Msg::SiteName) }</h1>
                </a>
                <p class="tagline">{ t(Msg::SiteTagline) }</p>
                { nav }
                { language_picker() }
            </header>
    }
}

/// The tables of the hosts a lesson's question is about (`asked`), or of every other host: each
/// with what the lesson hides in it, and its sockets' names as answers to a predict question.
fn tables_of(
    model: &Model,
    scene: &Rc<Scene>,
    hosts: &[Rc<HostView>],
    ends: Option<&Ends>,
    lesson: &LessonTables,
    asked: bool,
) -> Html {
    let shown = hosts
        .iter()
        .filter(|h| lesson.asked.contains(&h.id) == asked);
    let shown_host = shown_host(model, scene, hosts, &lesson.asked);
    // A table a phone does not show is drawn as it last was, so a moment does not redraw it.
    let held = lesson.held.as_ref().filter(|_| !asked);
    let mut held = held.map(|h| h.borrow_mut());
    if let Some(held) = held.as_deref_mut() {
        if held.scene != Some((scene.id, scene.run)) {
            *held = Held {
                scene: Some((scene.id, scene.run)),
                hosts: VecMap::new(),
            };
        }
    }
    let shown: Vec<Rc<HostView>> = shown
        .map(|h| match held.as_deref_mut() {
            Some(held) if h.id != shown_host => {
                held.hosts.entry(h.id).or_insert_with(|| h.clone()).clone()
            }
            Some(held) => {
                held.hosts.insert(h.id, h.clone());
                h.clone()
            }
            None => h.clone(),
        })
        .collect();
    drop(held);
    html! {
        { for shown.iter().map(|h| {
            let highlight: VecSet<SockId> = ends.map(|e| e.sockets_on(h)).unwrap_or_default();
            let focus = model.focus.filter(|(host, _)| *host == h.id).map(|(_, s)| s);
            html! { <SocketTable key={h.name.clone()} host={h.clone()} compact={model.compact} highlight={highlight} focus={focus}
                                 scene={Some(scene.clone())} on_focus={lesson.on_socket.clone()} current={asked || h.id == shown_host}
                                 masked={lesson.masked.filter(|(host, _)| *host == h.id).map(|(_, s)| s)}
                                 mask={lesson.mask.clone()} picking={lesson.picking} /> }
        }) }
    }
}

/// The socket tables: a picker for the host a phone shows, the layout switch, and every host's
/// table (the current one marked), but for those a lesson's question shows beside it.
fn tables_panel(
    model: &Model,
    scene: &Rc<Scene>,
    hosts: &[Rc<HostView>],
    shown_host: HostId,
    ends: Option<&Ends>,
    on: &Handlers,
    lesson: &LessonTables,
) -> Html {
    let compact = model.compact;
    let others: Vec<&Rc<HostView>> = hosts
        .iter()
        .filter(|h| !lesson.asked.contains(&h.id))
        .collect();
    if others.is_empty() {
        return Html::default();
    }
    html! {
                <aside class="side-panel" aria-labelledby="tables-title">
                    <div class="panel-head">
                        <h2 id="tables-title">{ t(if lesson.asked.is_empty() { Msg::TablesTitle } else { Msg::TablesOthers }) }</h2>
                        <div class="table-picker" role="group" aria-label={t(Msg::TablesWhichHost)}>
                            { for others.iter().map(|h| {
                                let pressed = (h.id == shown_host).to_string();
                                let id = h.id;
                                let pin = on.pin.clone();
                                html! {
                                    <button key={h.name.clone()} class="button small" aria-pressed={pressed}
                                            onclick={Callback::from(move |_: MouseEvent| pin.emit(id))}>{ host_name(&h.name) }</button>
                                }
                            }) }
                        </div>
                        <button class="button small compact-toggle" aria-pressed={compact.to_string()} onclick={on.compact.clone()}>
                            { t(if compact { Msg::TablesCourseLayout } else { Msg::TablesCompact }) }
                        </button>
                    </div>
                    { tables_of(model, scene, hosts, ends, lesson, false) }
                </aside>
    }
}

/// The tabs and the panels they open: the story, the inspector, the events, the flow graph and
/// the ports.
fn more_panels(
    model: &Model,
    scene: &Rc<Scene>,
    count: usize,
    stage_text: String,
    on: &Handlers,
    secrecy: &super::lesson::Secrecy,
) -> Html {
    // Until a lesson's question is answered, a panel that would tell its answer says so instead.
    let later = |id: &'static str, class: &'static str, title: Msg| {
        html! {
            <section id={id} class={classes!(class, "panel", "after-answer")} aria-labelledby={format!("{id}-title")}>
                <h2 id={format!("{id}-title")}>{ t(title) }</h2>
                <p class="hint">{ t(Msg::LessonAnswerFirst) }</p>
            </section>
        }
    };
    html! {
        <>
                <nav class="panel-tabs" aria-label={t(Msg::PanelsNav)}>
                    { for Panel::ALL.iter().map(|p| {
                        let show = on.panel.clone();
                        let p = *p;
                        html! {
                            <button class="tab" aria-pressed={(model.panel == p).to_string()} aria-controls={p.id()}
                                    onclick={Callback::from(move |_: MouseEvent| show.emit(p))}>{ p.label() }</button>
                        }
                    }) }
                </nav>
                <div class="panels" data-open={model.panel.id()}>
                    <section id="panel-story" class="story panel" aria-labelledby="story-title">
                        <h2 id="story-title" class="sr-only">{ t(Msg::PanelsStory) }</h2>
                        <p>{ if secrecy.hidden { t(Msg::LessonAnswerFirst).to_string() } else { crate::view::mask::mask(&stage_text, &secrecy.mask) } }</p>
                    </section>
                    if secrecy.deep {
                        { later("panel-packet", "inspector", Msg::InspectorTitle) }
                    } else {
                        <Inspector scene={scene.clone()} selected={model.selected}
                                   on_close={on.close_inspector.clone()} />
                    }
                    if secrecy.hidden {
                        { later("panel-events", "narration", Msg::EventsTitle) }
                    } else {
                        <Narration scene={scene.clone()} count={count} playing={model.playing} selected={model.selected} on_select={on.select.clone()} mask={secrecy.mask.clone()} />
                    }
                    if secrecy.deep {
                        { later("panel-flow", "flow", Msg::FlowTitle) }
                    } else {
                        <Flow scene={scene.clone()} t={model.t} playing={model.playing} selected={model.selected} on_select={on.select.clone()} mask={secrecy.mask.clone()} />
                    }
                    // The port registry and the ranges answer a question about a service's port.
                    if secrecy.deep {
                        { later("panel-ports", "ports-panel", Msg::PortsTitle) }
                    } else {
                        <aside id="panel-ports" class="ports-panel panel" aria-labelledby="ports-title">
                            <h2 id="ports-title">{ t(Msg::PortsTitle) }</h2>
                            <p>{ t(Msg::PortsText) }</p>
                            <PortTable />
                            <PortRanges scene={scene.clone()} />
                        </aside>
                    }
                </div>
        </>
    }
}

/// What a lesson changes in the tables: a socket hidden until its question is answered, the
/// answer's words hidden, what tapping a socket does, and the hosts whose tables stand in the
/// question.
struct LessonTables {
    masked: Option<(HostId, SockId)>,
    on_socket: Callback<(HostId, SockId)>,
    mask: Rc<Vec<String>>,
    picking: bool,
    asked: Vec<HostId>,
    /// On a phone, what each of the side panel's hidden tables last showed.
    held: Option<Rc<RefCell<Held>>>,
}

/// What each table a phone does not show last showed, in which scene (its run).
#[derive(Default)]
struct Held {
    scene: Option<(&'static str, u32)>,
    hosts: VecMap<HostId, Rc<HostView>>,
}

/// A socket tapped in a table: highlighted, and while a lesson asks "which socket will receive
/// it?", also the learner's answer (counted, so the same socket can be picked again).
fn table_socket_handler(
    lesson: &Option<LessonAt>,
    hosts: &Rc<Vec<Rc<HostView>>>,
    picked: &UseStateHandle<Option<(u32, Pick)>>,
    focus: &Callback<(HostId, SockId)>,
) -> Callback<(HostId, SockId)> {
    let predicting = lesson.as_ref().is_some_and(|at| {
        matches!(
            at.step().question.as_ref().map(|q| &q.ask),
            Some(crate::lessons::Ask::Predict { .. })
        )
    });
    if !predicting {
        return focus.clone();
    }
    let (hosts, picked, focus) = (hosts.clone(), picked.clone(), focus.clone());
    Callback::from(move |(host, sock): (HostId, SockId)| {
        focus.emit((host, sock));
        let Some(h) = hosts.iter().find(|h| h.id == host) else {
            return;
        };
        if let Some(socket) = h.number_of(sock) {
            let n = picked.as_ref().map_or(0, |(n, _)| n + 1);
            let host = h.name.clone();
            picked.set(Some((n, Pick::Socket { host, socket })));
        }
    })
}

/// The socket a lesson's unanswered "fill in the table" question asks about: its table hides
/// the answer until the learner has given it.
fn masked_socket(at: &LessonAt, snapshot: &Snapshot) -> Option<(HostId, SockId)> {
    let crate::lessons::Ask::Fill { host, socket, .. } = &at.step().question.as_ref()?.ask else {
        return None;
    };
    if at.progress.done(&at.lesson().id, at.step) {
        return None;
    }
    let h = snapshot.host(host)?;
    Some((h.id, h.numbered(*socket)?.sock))
}

/// The segments on the wire that belong to the socket a learner picked in a table.
fn focused_segments(snapshot: &Snapshot, focus: Option<(HostId, SockId)>) -> VecSet<SegmentId> {
    let Some((host, sock)) = focus else {
        return VecSet::new();
    };
    let Some(row) = snapshot
        .hosts
        .get(host.0)
        .and_then(|h| h.sockets.iter().find(|r| r.sock == sock))
    else {
        return VecSet::new();
    };
    snapshot
        .in_flight
        .iter()
        .filter(|f| {
            let Some((sp, dp)) = f.summary.ports() else {
                return false;
            };
            let (src, dst) = (
                SocketAddrV4::new(f.summary.src, sp),
                SocketAddrV4::new(f.summary.dst, dp),
            );
            match (row.local, row.remote) {
                (Some(l), Some(r)) => (src, dst) == (l, r) || (src, dst) == (r, l),
                (Some(l), None) => {
                    row.state == SockState::Listen && dst.port() == l.port() && f.to == host
                }
                _ => false,
            }
        })
        .map(|f| f.seg)
        .collect()
}

/// Every callback the app hands its children, made once from the reducer's dispatcher. Those
/// that depend on the exact time read it from the clock.
struct Handlers {
    select: Callback<Option<SegmentId>>,
    hover: Callback<Option<SegmentId>>,
    focus: Callback<(HostId, SockId)>,
    pin: Callback<HostId>,
    panel: Callback<Panel>,
    scene: Callback<Event>,
    compact: Callback<MouseEvent>,
    toggle: Callback<()>,
    step_back: Callback<()>,
    step_forward: Callback<()>,
    restart: Callback<()>,
    help: Callback<()>,
    close_help: Callback<()>,
    close_inspector: Callback<()>,
    speed: Callback<f64>,
    seek: Callback<Instant>,
    // A lesson's: the free player's build has none.
    #[cfg_attr(not(feature = "lessons"), allow(dead_code))]
    reveal: Callback<(Instant, Option<(HostId, SockId)>)>,
    #[cfg_attr(not(feature = "lessons"), allow(dead_code))]
    run: Callback<Rc<Scene>>,
}

impl Handlers {
    fn new(d: UseReducerDispatcher<Model>, clock: Clock) -> Handlers {
        // A callback that turns its argument into an action for the reducer.
        fn to<T: 'static>(d: &UseReducerDispatcher<Model>, make: fn(T) -> Action) -> Callback<T> {
            let d = d.clone();
            Callback::from(move |x| d.dispatch(make(x)))
        }
        // One that also passes the clock's exact time.
        let timed = |make: fn(Instant) -> Action| {
            let (d, clock) = (d.clone(), clock.clone());
            Callback::from(move |()| d.dispatch(make(clock.now())))
        };
        Handlers {
            select: to(&d, Action::Select),
            hover: to(&d, Action::Hover),
            focus: to(&d, |f| Action::Focus(Some(f))),
            pin: to(&d, Action::PinTable),
            panel: to(&d, Action::ShowPanel),
            scene: {
                let d = d.clone();
                Callback::from(move |e: Event| {
                    let select: HtmlSelectElement = e.target_unchecked_into();
                    if let Ok(i) = select.value().parse::<usize>() {
                        // A scene whose recording is not in the page yet is fetched first. Only
                        // the latest pick counts, and only while the player is still there;
                        // one that did not load says so, and the scene shown stays.
                        let pick = PICKS.get() + 1;
                        PICKS.set(pick);
                        let d = d.clone();
                        let show = Rc::new(move |loaded: bool| {
                            if PICKS.get() != pick || !select.is_connected() {
                                return;
                            }
                            d.dispatch(Action::LoadScene(i));
                            if let (true, Some(id)) = (loaded, SCENES.get(i)) {
                                super::route::show_scene(id);
                            }
                        });
                        match SCENES.get(i) {
                            Some(id) if !has_recording(id) => {
                                super::boot_call("socketlabRecording", &[id], show)
                            }
                            _ => show(true),
                        }
                    }
                })
            },
            compact: to(&d, |_| Action::ToggleCompact),
            toggle: timed(Action::Toggle),
            step_back: timed(Action::StepBack),
            step_forward: timed(Action::StepForward),
            restart: to(&d, |()| Action::Restart),
            help: to(&d, |()| Action::ShowHelp(true)),
            close_help: to(&d, |()| Action::ShowHelp(false)),
            close_inspector: to(&d, |()| Action::Select(None)),
            speed: to(&d, Action::SetSpeed),
            seek: to(&d, Action::Seek),
            reveal: to(&d, |(t, f)| Action::Reveal(t, f)),
            run: to(&d, Action::Run),
        }
    }
}

/// The two ends of a segment: who sent it to whom, with which ports.
struct Ends {
    src: SocketAddrV4,
    dst: SocketAddrV4,
}

impl Ends {
    /// The sockets on `host` that this segment leaves or reaches (a listener when no connected
    /// socket matches yet).
    fn sockets_on(&self, host: &crate::engine::snapshot::HostView) -> VecSet<SockId> {
        let mut out: VecSet<SockId> = host
            .sockets
            .iter()
            .filter(|r| {
                (r.local, r.remote) == (Some(self.src), Some(self.dst))
                    || (r.local, r.remote) == (Some(self.dst), Some(self.src))
            })
            .map(|r| r.sock)
            .collect();
        if out.is_empty() && host.ip == *self.dst.ip() {
            out.extend(
                host.sockets
                    .iter()
                    .filter(|r| {
                        r.state == SockState::Listen
                            && r.local.is_some_and(|l| l.port() == self.dst.port())
                    })
                    .map(|r| r.sock),
            );
        }
        out
    }
}

fn segment_ends(scene: &Scene, seg: SegmentId) -> Option<Ends> {
    let i = scene.sent_index(seg)?;
    let EventKind::SegmentSent(s) = &scene.timeline.events()[i].kind else {
        return None;
    };
    let (sp, dp) = s.summary.ports()?;
    Some(Ends {
        src: SocketAddrV4::new(s.summary.src, sp),
        dst: SocketAddrV4::new(s.summary.dst, dp),
    })
}

#[function_component(PortTable)]
fn port_table() -> Html {
    crate::ui::hooks::counted("PortTable");
    html! {
        <div class="table-scroll" role="region" aria-labelledby="ports-caption" tabindex="0">
            <table class="ports">
                <caption id="ports-caption">{ t(Msg::PortsCaption) }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ t(Msg::PortsPort) }</th>
                        <th scope="col">{ t(Msg::PortsTransport) }</th>
                        <th scope="col">{ t(Msg::PortsWho) }</th>
                        <th scope="col">{ t(Msg::PortsClass) }</th>
                    </tr>
                </thead>
                <tbody>
                    { for ports::SERVICES.iter().map(|s| html! {
                        <tr key={s.port}>
                            <th scope="row">{ s.port }</th>
                            <td>{ s.transports.label() }</td>
                            <td>{ crate::view::ports::description(s.port).unwrap_or_default() }</td>
                            <td>{ crate::view::ports::class_label(s) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct PortRangesProps {
    scene: Rc<Scene>,
}

/// IANA's three ranges, then each OS's ephemeral range and which hosts of this scene use it.
#[function_component(PortRanges)]
fn port_ranges(props: &PortRangesProps) -> Html {
    crate::ui::hooks::counted("PortRanges");
    let classes = [
        PortClass::WellKnown,
        PortClass::Registered,
        PortClass::Dynamic,
    ];
    let hosts_on = |os: ports::OsProfile| -> Vec<String> {
        props
            .scene
            .scenario
            .hosts
            .iter()
            .filter(|h| {
                h.os.as_deref()
                    .and_then(crate::engine::scenario::parse_os)
                    .unwrap_or_default()
                    == os
            })
            .map(|h| host_name(&h.name).to_string())
            .collect()
    };
    html! {
        <>
            <h3>{ t(Msg::PortsRanges) }</h3>
            <dl class="port-ranges">
                { for classes.iter().map(|c| html! {
                    <div key={c.range()}>
                        <dt>{ c.range() }</dt>
                        <dd>{ crate::view::ports::class_name(*c) }</dd>
                    </div>
                }) }
            </dl>
            <h3>{ t(Msg::PortsEphemeral) }</h3>
            <dl class="port-ranges">
                { for ports::OsProfile::ALL.iter().map(|os| {
                    let hosts = hosts_on(*os);
                    html! {
                        <div key={os.name()}>
                            <dt>{ os.range_label() }</dt>
                            <dd>
                                { tp(Msg::PortsOsSetting, &[("os", os.name()), ("setting", os.range_setting())]) }
                                if *os == ports::OsProfile::Linux {
                                    { " " }{ t(Msg::PortsAndroidToo) }
                                }
                                if !hosts.is_empty() {
                                    <br />{ tp(Msg::PortsInScene, &[("hosts", &hosts.join(&*t(Msg::PortsListSeparator)))]) }
                                }
                            </dd>
                        </div>
                    }
                }) }
            </dl>
        </>
    }
}
