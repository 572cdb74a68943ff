//! The workshop (`?workshop`): a learner builds a scene of their own, field by field, runs it in
//! the player, saves it as a scenario file, opens one, and shares it as a link whose fragment
//! carries the whole file (`#s=1.…`, [`crate::engine::scene_link`]). Its own build
//! (`socketlab-workshop`): no other page carries this code or its words
//! (`locales/workshop-<lang>.json`).
//!
//! The scene is a [`Scenario`], the format every file and link uses. Each change is a version
//! in [`History`] (undo, redo) and is checked as `socketlab-cli check` checks a file, by the
//! same reader, here in the page: each problem shows at its field. The engine's worker runs it
//! (`Run`, loaded when the learner first runs a scene) and reads JSON files; the player plays
//! the recording. The scene being edited is kept in the browser's storage, so a reload or
//! another language brings it back.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use yew::prelude::*;

use crate::engine::checker::Problem;
use crate::engine::scenario::{
    Field, FieldValue, Kind, Scenario, Unfit, Wire, WithChallenge, FILE_FIELDS, MAX_FILE_BYTES,
    SECTIONS,
};
use crate::engine::scene_link::{self, LinkError, MOST_SHARED_CHARS};
use crate::i18n::{t, tn, tp, Msg};
use crate::lessons::fix::{Checked, Run};
use crate::lessons::goals::{of_scene, Goal};
use crate::ui::download::{save, File};
use crate::ui::hooks::{focus, focus_later};
use crate::ui::route::Route;
use crate::ui::scenes::Scene;
use crate::ui::WorkshopRun;
use crate::workshop::{
    blank, choices, edit, file_name, number_text, path_of, place_of, read_number, shown_first,
    with_new_entry, History, NewWords,
};

/// Where the scene being edited is kept between visits (its bytes, `Wire`, as hex: a scene
/// with problems keeps too, which its file would not open as).
const KEPT: &str = "socketlab.workshop";

/// The scene id the player knows a workshop scene by.
const SCENE_ID: &str = "workshop";

#[derive(Clone, PartialEq)]
enum Share {
    Making,
    Link(String),
    TooLong(usize),
    Failed(String),
}

/// A line about what was just done (a file opened or refused), with the problems it had.
#[derive(Clone, PartialEq)]
struct Notice {
    text: String,
    problems: Vec<Problem>,
    alert: bool,
}

#[derive(Clone, PartialEq)]
struct State {
    history: History,
    /// Counts the versions shown (each change, undo or redo): a check answers for one.
    version: u32,
    /// The problems of version `.0`, once the worker has checked it.
    checked: Option<(u32, Vec<Problem>)>,
    /// A value typed into a field that its type cannot hold: the field's path, what was typed
    /// and why (the scene kept its value).
    unfit: Option<(String, String, Unfit)>,
    notice: Option<Notice>,
    /// Why the worker could not check or run.
    engine: Option<String>,
    running: bool,
    playing: Option<Rc<Scene>>,
    runs: u32,
    share: Option<Share>,
    /// Whether the share dialog's link was copied, in words.
    copied: Option<String>,
    /// The last run's goal results (a challenge's), and the version it ran.
    results: Option<(u32, Rc<Vec<Checked>>)>,
}

enum Act {
    Change(Scenario),
    /// A field changed: the edit, made to the scene as it is now.
    Field(FieldEdit),
    /// A new entry at the end of a section.
    Add(&'static str),
    Remove(&'static str, usize),
    /// A scene from a file or a link, as a change (undo goes back), with what to say.
    Opened(Scenario, String),
    Undo,
    Redo,
    Checked(u32, Vec<Problem>),
    Unfit(Option<(String, String, Unfit)>),
    Notice(Option<Notice>),
    Engine(Option<String>),
    Running,
    /// A run to play, with its goals' results and the version it ran.
    Play(Rc<Scene>, Vec<Checked>, u32),
    Back,
    Share(Option<Share>),
    Copied(String),
}

impl Reducible for State {
    type Action = Act;
    fn reduce(self: Rc<Self>, act: Act) -> Rc<Self> {
        let mut s = (*self).clone();
        let moved = |s: &mut State| {
            s.version += 1;
            s.unfit = None;
        };
        let act = match act {
            Act::Field(e) => match set_field(s.history.now(), &e) {
                Ok(next) => Act::Change(next),
                Err(unfit) => Act::Unfit(Some(unfit)),
            },
            Act::Add(list) => {
                let words = NewWords {
                    host: &t(Msg::WorkshopNewHost),
                    stage_title: &t(Msg::WorkshopNewStageTitle),
                    stage_text: &t(Msg::WorkshopNewStageText),
                };
                Act::Change(with_new_entry(s.history.now(), list, &words))
            }
            Act::Remove(list, index) => {
                let mut next = s.history.now().clone();
                next.remove_entry(list, index);
                Act::Change(next)
            }
            other => other,
        };
        match act {
            Act::Field(..) | Act::Add(..) | Act::Remove(..) => {}
            Act::Change(scene) => {
                // The same scene (a value typed back as it was): only what was unfit goes.
                if scene == *s.history.now() {
                    if s.unfit.is_none() {
                        return self;
                    }
                    s.unfit = None;
                    return Rc::new(s);
                }
                s.history.change(scene);
                moved(&mut s);
                s.notice = None;
            }
            Act::Opened(scene, said) => {
                s.history.change(scene);
                moved(&mut s);
                s.notice = Some(Notice {
                    text: said,
                    problems: Vec::new(),
                    alert: false,
                });
            }
            Act::Undo => {
                if s.history.undo() {
                    moved(&mut s);
                }
            }
            Act::Redo => {
                if s.history.redo() {
                    moved(&mut s);
                }
            }
            Act::Checked(version, problems) => {
                if version != s.version {
                    return self;
                }
                s.checked = Some((version, problems));
                s.engine = None;
            }
            Act::Unfit(unfit) => s.unfit = unfit,
            Act::Notice(notice) => s.notice = notice,
            Act::Engine(why) => {
                s.engine = why;
                s.running = false;
            }
            Act::Running => s.running = true,
            // A run of a version since changed (typed into while it ran) is not shown: the
            // learner's newer scene stays on screen.
            Act::Play(_, _, version) if version != s.version => s.running = false,
            Act::Play(scene, results, version) => {
                s.running = false;
                s.runs += 1;
                s.playing = Some(scene);
                s.results = Some((version, Rc::new(results)));
            }
            Act::Back => s.playing = None,
            Act::Share(share) => {
                s.share = share;
                s.copied = None;
            }
            Act::Copied(said) => s.copied = Some(said),
        }
        Rc::new(s)
    }
}

/// Where the same scene is kept as its file: if another release cannot read the bytes, the
/// file still opens (through the worker's checks).
const KEPT_FILE: &str = "socketlab.workshop.toml";

/// Whether the workshop is embedded in a course page (`?embed=1`): it keeps nothing, so a
/// learner's own scene on the same site is never written over.
fn embedded() -> bool {
    crate::ui::route::query()
        .get("embed")
        .is_some_and(|v| v == "1")
}

fn storage() -> Option<web_sys::Storage> {
    gloo::utils::window().local_storage().ok().flatten()
}

impl State {
    /// The problems of the scene as it is now, once it is checked.
    fn problems(&self) -> Option<&[Problem]> {
        match &self.checked {
            Some((v, p)) if *v == self.version => Some(p),
            _ => None,
        }
    }
}

/// The scene kept from the last visit: as it was (its bytes), or else its file to open.
fn kept() -> Option<Result<Scenario, String>> {
    if embedded() {
        return None;
    }
    let storage = storage()?;
    let file = storage.get_item(KEPT_FILE).ok().flatten();
    let read = kept_bytes(&storage);
    match (read, file) {
        (Some(s), _) => Some(Ok(s)),
        (None, Some(file)) => Some(Err(file)),
        (None, None) => None,
    }
}

fn kept_bytes(storage: &web_sys::Storage) -> Option<Scenario> {
    let hex = storage.get_item(KEPT).ok().flatten()?;
    let bytes: Option<Vec<u8>> = (0..hex.len() / 2)
        .map(|i| u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok())
        .collect();
    let bytes = bytes?;
    let mut rest = &bytes[..];
    WithChallenge::take(&mut rest)
        .filter(|_| rest.is_empty())
        .map(|w| w.0)
}

fn keep(s: &Scenario) {
    let mut bytes = Vec::new();
    WithChallenge(s.clone()).put(&mut bytes);
    let mut hex = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        hex.push(char::from_digit((b >> 4) as u32, 16).unwrap_or('0'));
        hex.push(char::from_digit((b & 15) as u32, 16).unwrap_or('0'));
    }
    if let (false, Some(storage)) = (embedded(), storage()) {
        // A full storage keeps the last scene it could; the page goes on.
        let _ = storage.set_item(KEPT, &hex);
        let _ = storage.set_item(KEPT_FILE, &s.to_toml());
    }
}

/// Whether a scene has nothing in it yet (a new one: it is not checked until it changes).
fn empty(s: &Scenario) -> bool {
    SECTIONS.iter().all(|(list, _)| s.entries(list) == 0)
        && s.description.is_none()
        && s.task.is_none()
}

fn first_state() -> State {
    let (scene, notice) = match kept() {
        Some(Ok(s)) if !empty(&s) => (
            s,
            Some(Notice {
                text: t(Msg::WorkshopRestored).to_string(),
                problems: Vec::new(),
                alert: false,
            }),
        ),
        _ => (blank(&t(Msg::WorkshopNewTitle)), None),
    };
    State {
        history: History::new(scene),
        version: 0,
        checked: None,
        unfit: None,
        notice,
        engine: None,
        running: false,
        playing: None,
        runs: 0,
        share: None,
        copied: None,
        results: None,
    }
}

#[derive(Properties, PartialEq)]
pub struct WorkshopProps {
    pub go: Callback<Route>,
}

/// What a field's change says: where, which half of a pair, and what was typed or picked.
#[derive(Clone)]
struct FieldEdit {
    list: Option<&'static str>,
    index: usize,
    field: Field,
    half: usize,
    typed: String,
}

#[function_component(Workshop)]
pub fn workshop(props: &WorkshopProps) -> Html {
    let state = use_reducer(first_state);
    let d = state.dispatcher();

    // Each version is kept, then checked in a task of its own after it is drawn (a new scene,
    // with nothing in it, only once it changes).
    {
        let (d, scene) = (d.clone(), state.history.now().clone());
        use_effect_with(state.version, move |version| {
            let version = *version;
            // What was kept is kept until it changes (another release's, unread, is not
            // written over by a new scene).
            if version > 0 {
                keep(&scene);
            }
            let timer = (version > 0 || !empty(&scene)).then(|| {
                gloo::timers::callback::Timeout::new(0, move || check(version, &scene, d))
            });
            move || drop(timer)
        });
    }
    // A shared scene's link: in the address when the page opened, or pasted later.
    {
        let d = d.clone();
        use_effect_with((), move |_| {
            // Kept by another release, whose bytes this one cannot read: its file opens.
            if let (Some(Err(file)), false) = (kept(), has_fragment()) {
                let said = |_: &Scenario| t(Msg::WorkshopRestored).to_string();
                open_text(&file, false, d.clone(), said, |_| String::new(), true);
            }
            open_fragment(&d);
            let listener =
                gloo::events::EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
                    open_fragment(&d)
                });
            move || drop(listener)
        });
    }

    // The share dialog takes the focus when it opens, and gives it back to its button.
    {
        let open = state.share.is_some();
        use_effect_with(open, move |open| {
            focus(if *open { "ws-share" } else { "ws-share-button" });
        });
    }

    if let Some(scene) = &state.playing {
        let d = d.clone();
        let summary = state
            .results
            .as_ref()
            .filter(|_| !scene.scenario.goals.is_empty())
            .map(|(_, results)| goals_summary(results));
        let run = WorkshopRun {
            scene: scene.clone(),
            back: Callback::from(move |()| {
                d.dispatch(Act::Back);
                // Back where the learner left: the Run button.
                focus_later("ws-run".to_string());
            }),
            back_label: Msg::WorkshopBack,
            page: "%",
            summary,
        };
        return html! {
            <super::app::Player params={Rc::new(crate::ui::route::Params::new())} lesson={None::<super::lesson::LessonAt>}
                on_update={Callback::noop()} go={props.go.clone()} workshop={Some(run)} />
        };
    }

    let scene = state.history.now();
    let checked = state.problems().is_some();
    let problems = state.problems().unwrap_or_default();

    // Each edit is made to the scene as it is when the reducer takes it (not as this drawing
    // had it: two changes before the next drawing both count).
    let on_field = {
        let d = d.clone();
        Callback::from(move |e: FieldEdit| d.dispatch(Act::Field(e)))
    };
    let on_add = {
        let d = d.clone();
        Callback::from(move |list: &'static str| d.dispatch(Act::Add(list)))
    };
    let on_remove = {
        let d = d.clone();
        Callback::from(move |(list, index): (&'static str, usize)| {
            d.dispatch(Act::Remove(list, index));
            // The entry's button went with it: the focus goes to its section.
            focus_later(format!("ws-{list}"));
        })
    };

    let toolbar = toolbar(&state, &d, checked && problems.is_empty());
    let status = status_line(&state, checked, problems);
    let ctx = Ctx {
        scene,
        problems,
        unfit: state.unfit.as_ref(),
        on_field,
    };

    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let ondrop = {
        let d = d.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            let file = e
                .data_transfer()
                .and_then(|t| t.files())
                .and_then(|f| f.get(0));
            if let Some(file) = file {
                open_file(file, &d);
            }
        })
    };

    html! {
        <div class="shell workshop" data-lesson="%" {ondragover} {ondrop}>
            { super::home::own_page_header(&props.go, t(Msg::WorkshopTitle)) }
            <main class="workshop-main">
                <h2 class="sr-only">{ t(Msg::WorkshopTitle) }</h2>
                <p class="intro">{ t(Msg::WorkshopIntro) }</p>
                { task_panel(scene, state.results.as_ref().filter(|(v, _)| *v == state.version).map(|(_, r)| &r[..])) }
                { toolbar }
                { status }
                if let Some(n) = &state.notice {
                    <div class={classes!("notice", "workshop-notice")} role={if n.alert { "alert" } else { "status" }}>
                        <p>{ n.text.clone() }</p>
                        if !n.problems.is_empty() {
                            <ul class="problem-list">
                                { for n.problems.iter().map(|p| html! { <li>{ problem_line(p, None) }</li> }) }
                            </ul>
                        }
                    </div>
                }
                { file_section(&ctx) }
                { for SECTIONS.iter().map(|(list, fields)| section(&ctx, list, fields, &on_add, &on_remove)) }
                <p class="workshop-drop">{ t(Msg::WorkshopDrop) }</p>
            </main>
            { share_dialog(&state, &d) }
        </div>
    }
}

/// The buttons along the top: undo, redo, run, save, open, share, new.
fn toolbar(
    state: &UseReducerHandle<State>,
    d: &UseReducerDispatcher<State>,
    runnable: bool,
) -> Html {
    let act = |make: fn() -> Act| {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(make()))
    };
    let scene = state.history.now().clone();
    let on_run = {
        let (d, scene, run, version) = (d.clone(), scene.clone(), state.runs + 1, state.version);
        let can = runnable && !state.running;
        Callback::from(move |_: MouseEvent| {
            if !can {
                return;
            }
            d.dispatch(Act::Running);
            let (d, scene) = (d.clone(), scene.clone());
            let goals = of_scene(&scene);
            super::engine::run(
                &Run::of(scene.clone(), &goals),
                move |answer| match answer {
                    Ok((results, recording)) => d.dispatch(Act::Play(
                        Scene::played(SCENE_ID, scene, recording, run),
                        results,
                        version,
                    )),
                    Err(why) => d.dispatch(Act::Engine(Some(why))),
                },
            );
        })
    };
    let problems = problem_count(state);
    let on_save = {
        let (d, scene) = (d.clone(), scene.clone());
        Callback::from(move |_: MouseEvent| {
            save_file(&scene, &d);
            // A file with problems does not open until they are fixed: said when it is saved.
            if problems > 0 {
                d.dispatch(Act::Notice(Some(Notice {
                    text: tn(
                        Msg::WorkshopSavedWithProblems,
                        problems as u64,
                        &[("count", &problems.to_string())],
                    ),
                    problems: Vec::new(),
                    alert: false,
                })));
            }
        })
    };
    let on_share = {
        let (d, scene) = (d.clone(), scene.clone());
        Callback::from(move |_: MouseEvent| share(&scene, &d))
    };
    let on_new = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| {
            d.dispatch(Act::Change(blank(&t(Msg::WorkshopNewTitle))))
        })
    };
    let on_open = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                open_file(file, &d);
            }
            input.set_value("");
        })
    };
    html! {
        <div class="workshop-tools" role="toolbar" aria-label={t(Msg::WorkshopToolbar)}>
            // Buttons that cannot act now say so (aria-disabled) and keep the focus, rather
            // than drop it to the page as a disabled button would.
            <button class="button small" onclick={act(|| Act::Undo)} aria-disabled={(!state.history.can_undo()).to_string()}>{ t(Msg::WorkshopUndo) }</button>
            <button class="button small" onclick={act(|| Act::Redo)} aria-disabled={(!state.history.can_redo()).to_string()}>{ t(Msg::WorkshopRedo) }</button>
            <button class="button small primary" id="ws-run" onclick={on_run} aria-disabled={(!runnable || state.running).to_string()}>{ t(Msg::WorkshopRun) }</button>
            <button class="button small" onclick={on_save}>{ t(Msg::WorkshopSave) }</button>
            <label class="button small file-button">
                { t(Msg::WorkshopOpen) }
                <input type="file" class="sr-only" accept=".toml,.json,application/toml,application/json,text/plain" onchange={on_open} />
            </label>
            <button class="button small" id="ws-share-button" onclick={on_share}>{ t(Msg::WorkshopShare) }</button>
            <button class="button small" onclick={on_new}>{ t(Msg::WorkshopNew) }</button>
        </div>
    }
}

/// A challenge's words: its task, and each goal with whether the last run met it (and what
/// happened instead), for the scene as it is now.
fn task_panel(scene: &Scenario, results: Option<&[Checked]>) -> Html {
    let goals = of_scene(scene);
    if scene.task.is_none() && goals.is_empty() {
        return Html::default();
    }
    html! {
        <section class="workshop-task" aria-labelledby="ws-task-title">
            <h3 id="ws-task-title">{ t(Msg::WorkshopTaskTitle) }</h3>
            if let Some(task) = &scene.task {
                <p class="task-text">{ task.clone() }</p>
            }
            if !goals.is_empty() {
                <p>{ t(Msg::WorkshopTaskGoals) }</p>
                <ul class="goal-list">
                    { for goals.iter().enumerate().map(|(i, g)| {
                        let result = results.and_then(|r| r.get(i));
                        let (class, mark) = match result {
                            Some(Ok(())) => ("met", Some(t(Msg::WorkshopGoalMet))),
                            Some(Err(_)) => ("missed", Some(t(Msg::WorkshopGoalMissed))),
                            None => ("", None),
                        };
                        html! {
                            <li class={classes!("goal", class)}>
                                if let Some(mark) = mark {
                                    <span class="goal-mark">{ mark }</span>{ " " }
                                }
                                { asked(g) }
                                if let Some(r @ Err(_)) = result {
                                    <p class="goal-said">{ crate::lessons::goals::said(g, r) }</p>
                                }
                            </li>
                        }
                    }) }
                </ul>
                <p role="status" class="task-status">{ match results {
                    Some(r) => goals_summary(r),
                    None => t(Msg::WorkshopTaskRun).to_string(),
                } }</p>
            }
        </section>
    }
}

/// Whether a run met every goal, in a sentence.
fn goals_summary(results: &[Checked]) -> String {
    match results.iter().filter(|r| r.is_err()).count() {
        0 => t(Msg::WorkshopTaskPassed).to_string(),
        n => tn(
            Msg::WorkshopTaskNotYet,
            n as u64,
            &[("count", &n.to_string())],
        ),
    }
}

/// How many problems the scene as it is now has (0 until it is checked).
fn problem_count(state: &State) -> usize {
    state.problems().map_or(0, <[Problem]>::len)
}

/// Whether the scene is checked, how many problems it has, and why the engine is not there.
fn status_line(state: &State, checked: bool, problems: &[Problem]) -> Html {
    let line = if let Some(why) = &state.engine {
        tp(Msg::WorkshopEngineFailed, &[("why", why)])
    } else if state.running {
        t(Msg::WorkshopRunning).to_string()
    } else if !checked {
        match state.version == 0 && empty(state.history.now()) {
            true => t(Msg::WorkshopNotChecked).to_string(),
            false => t(Msg::WorkshopChecking).to_string(),
        }
    } else if problems.is_empty() {
        t(Msg::WorkshopReady).to_string()
    } else {
        tn(
            Msg::WorkshopProblems,
            problems.len() as u64,
            &[("count", &problems.len().to_string())],
        )
    };
    let bad = checked && !problems.is_empty();
    html! {
        <div class="workshop-status">
            <p class={classes!(bad.then_some("has-problems"))} role="status">{ line }</p>
            if bad {
                <ul class="problem-list">
                    { for problems.iter().map(|p| {
                        let target = problem_target(p);
                        html! { <li>{ problem_line(p, target) }</li> }
                    }) }
                </ul>
            }
        </div>
    }
}

/// The id of the element a problem belongs at: its field, its entry, its section, or none.
fn problem_target(p: &Problem) -> Option<String> {
    let at = place_of(&p.path);
    match (&at.list, at.index, &at.key) {
        (Some(list), Some(i), Some(key)) => Some(field_id(Some(list), i, key)),
        (Some(list), Some(i), None) => Some(format!("ws-{list}-{i}")),
        (Some(list), None, _) => Some(format!("ws-{list}")),
        (None, _, Some(key)) => Some(field_id(None, 0, key)),
        _ => None,
    }
}

/// A problem as one line: where (a link to its field, when it has one) and what.
fn problem_line(p: &Problem, target: Option<String>) -> Html {
    let at = place_of(&p.path);
    let place = match (at.list.as_deref(), at.index, at.key.as_deref()) {
        (Some(list), Some(i), Some(key)) if is_field(list, key) => format!(
            "{} · {}",
            entry_label(list, i),
            t(field_label(Some(list), key))
        ),
        (Some(list), Some(i), _) if is_field(list, "") => entry_label(list, i),
        (Some(list), None, _) if is_field(list, "") => t(section_words(list).0).to_string(),
        (None, _, Some(key)) if FILE_FIELDS.iter().any(|f| f.key == key) => {
            t(field_label(None, key)).to_string()
        }
        _ if p.path.is_empty() => t(Msg::WorkshopSectionFile).to_string(),
        // A place the workshop has no words for (a file's unknown field): as the file says it.
        _ => p.path.clone(),
    };
    let line = tp(
        Msg::WorkshopProblemIn,
        &[("where", &place), ("problem", &said(p))],
    );
    match target {
        Some(id) => html! { <a href={format!("#{id}")} onclick={focus_on(id)}>{ line }</a> },
        None => html! { { line } },
    }
}

/// What a problem says, in the learner's language, with a place in the file said as the
/// workshop names it ("Host 1", not `hosts[0]`).
fn said(p: &Problem) -> String {
    p.said.words_with(&|path: &str| {
        let at = place_of(path);
        match (at.list.as_deref(), at.index) {
            (Some(list), Some(i)) if is_field(list, "") => entry_label(list, i),
            _ => path.to_string(),
        }
    })
}

/// Whether `list` is a section of the format and `key` one of its fields (any, for "").
fn is_field(list: &str, key: &str) -> bool {
    SECTIONS
        .iter()
        .any(|(l, fields)| *l == list && (key.is_empty() || fields.iter().any(|f| f.key == key)))
}

/// Follow a problem's link without changing the address (its fragment is the shared scene's
/// place): focus the field.
fn focus_on(id: String) -> Callback<MouseEvent> {
    Callback::from(move |e: MouseEvent| {
        e.prevent_default();
        if let Some(el) = focus(&id) {
            el.scroll_into_view();
        }
    })
}

struct Ctx<'a> {
    scene: &'a Scenario,
    problems: &'a [Problem],
    unfit: Option<&'a (String, String, Unfit)>,
    on_field: Callback<FieldEdit>,
}

fn field_id(list: Option<&str>, index: usize, key: &str) -> String {
    match list {
        Some(list) => format!("ws-{list}-{index}-{key}"),
        None => format!("ws-{key}"),
    }
}

/// The scene's own fields: title, description, seed, how long it runs (the format's version
/// is the file's, not the learner's to change).
fn file_section(ctx: &Ctx) -> Html {
    html! {
        <section class="workshop-section" id="ws-file" aria-labelledby="ws-file-title" tabindex="-1">
            <h3 id="ws-file-title">{ t(Msg::WorkshopSectionFile) }</h3>
            <div class="workshop-entry">
                { fields_of(ctx, None, 0, FILE_FIELDS) }
            </div>
        </section>
    }
}

fn section(
    ctx: &Ctx,
    list: &'static str,
    fields: &'static [Field],
    on_add: &Callback<&'static str>,
    on_remove: &Callback<(&'static str, usize)>,
) -> Html {
    let (title, about, add) = section_words(list);
    let count = ctx.scene.entries(list);
    let needs = match list {
        "hosts" | "stages" => None,
        "actions" if ctx.scene.processes.is_empty() => Some(Msg::WorkshopNeedsProcess),
        _ if ctx.scene.hosts.is_empty() => Some(Msg::WorkshopNeedsHost),
        _ => None,
    };
    let section_problems: Vec<&Problem> = ctx
        .problems
        .iter()
        .filter(|p| {
            let at = place_of(&p.path);
            at.list.as_deref() == Some(list) && at.index.is_none()
        })
        .collect();
    let on_add = {
        let on_add = on_add.clone();
        Callback::from(move |_: MouseEvent| on_add.emit(list))
    };
    html! {
        <section class="workshop-section" id={format!("ws-{list}")} aria-labelledby={format!("ws-{list}-title")} tabindex="-1">
            <h3 id={format!("ws-{list}-title")}>{ t(title) }</h3>
            <p class="workshop-about">{ t(about) }</p>
            { for section_problems.iter().map(|p| html! { <p class="field-problem">{ said(p) }</p> }) }
            if count == 0 {
                <p class="workshop-none">{ t(Msg::WorkshopNoneYet) }</p>
            }
            <ol class="workshop-entries">
                { for (0..count).map(|i| entry(ctx, list, i, fields, on_remove)) }
            </ol>
            if let Some(needs) = needs {
                <p class="workshop-none">{ t(needs) }</p>
            }
            <button class="button small" onclick={on_add} disabled={needs.is_some()}>{ t(add) }</button>
        </section>
    }
}

/// A section's title, the line about it and its "Add" button's words.
fn section_words(list: &str) -> (Msg, Msg, Msg) {
    match list {
        "hosts" => (
            Msg::WorkshopSectionHosts,
            Msg::WorkshopAboutHosts,
            Msg::WorkshopAddHosts,
        ),
        "links" => (
            Msg::WorkshopSectionLinks,
            Msg::WorkshopAboutLinks,
            Msg::WorkshopAddLinks,
        ),
        "processes" => (
            Msg::WorkshopSectionProcesses,
            Msg::WorkshopAboutProcesses,
            Msg::WorkshopAddProcesses,
        ),
        "actions" => (
            Msg::WorkshopSectionActions,
            Msg::WorkshopAboutActions,
            Msg::WorkshopAddActions,
        ),
        "firewall" => (
            Msg::WorkshopSectionFirewall,
            Msg::WorkshopAboutFirewall,
            Msg::WorkshopAddFirewall,
        ),
        "network" => (
            Msg::WorkshopSectionNetwork,
            Msg::WorkshopAboutNetwork,
            Msg::WorkshopAddNetwork,
        ),
        "goals" => (
            Msg::WorkshopSectionGoals,
            Msg::WorkshopAboutGoals,
            Msg::WorkshopAddGoals,
        ),
        _ => (
            Msg::WorkshopSectionStages,
            Msg::WorkshopAboutStages,
            Msg::WorkshopAddStages,
        ),
    }
}

/// An entry's heading: "Host 2", with its name when it has one ("Host 2: Server").
fn entry_label(list: &str, index: usize) -> String {
    let msg = match list {
        "hosts" => Msg::WorkshopEntryHosts,
        "links" => Msg::WorkshopEntryLinks,
        "processes" => Msg::WorkshopEntryProcesses,
        "actions" => Msg::WorkshopEntryActions,
        "firewall" => Msg::WorkshopEntryFirewall,
        "network" => Msg::WorkshopEntryNetwork,
        "goals" => Msg::WorkshopEntryGoals,
        _ => Msg::WorkshopEntryStages,
    };
    tp(msg, &[("n", &(index + 1).to_string())])
}

fn entry(
    ctx: &Ctx,
    list: &'static str,
    index: usize,
    fields: &'static [Field],
    on_remove: &Callback<(&'static str, usize)>,
) -> Html {
    let label = entry_label(list, index);
    let name = match ctx.scene.field(Some(list), index, "name") {
        Some(FieldValue::Text(n)) if !n.is_empty() => Some(n),
        _ => None,
    };
    let entry_problems: Vec<&Problem> = ctx
        .problems
        .iter()
        .filter(|p| {
            let at = place_of(&p.path);
            at.list.as_deref() == Some(list) && at.index == Some(index) && at.key.is_none()
        })
        .collect();
    let remove = {
        let on_remove = on_remove.clone();
        Callback::from(move |_: MouseEvent| on_remove.emit((list, index)))
    };
    let heading = match &name {
        Some(n) if *n != label => format!("{label} · {n}"),
        _ => label.clone(),
    };
    html! {
        <li class="workshop-entry" id={format!("ws-{list}-{index}")} tabindex="-1">
            <div class="entry-head">
                <h4>{ heading }</h4>
                <button class="button small" onclick={remove} aria-label={tp(Msg::WorkshopRemoveEntry, &[("entry", &label)])}>{ t(Msg::WorkshopRemove) }</button>
            </div>
            { for entry_problems.iter().map(|p| html! { <p class="field-problem">{ said(p) }</p> }) }
            { fields_of(ctx, Some(list), index, fields) }
        </li>
    }
}

/// An entry's fields: those most scenes set, then the rest under "More" (open when one of
/// them is set or has a problem). The format's version is the file's, not the learner's.
fn fields_of(ctx: &Ctx, list: Option<&'static str>, index: usize, fields: &[Field]) -> Html {
    let kind = match list {
        Some("goals") => "goal",
        _ => "do",
    };
    let does = match ctx.scene.field(list, index, kind) {
        Some(FieldValue::Text(d)) => Some(d),
        _ => None,
    };
    let fields = fields.iter().filter(|f| f.key != "version");
    let (first, more): (Vec<&Field>, Vec<&Field>) =
        fields.partition(|f| shown_first(list, f.key, does.as_deref()));
    let open = more.iter().any(|f| {
        let path = path_of(list, index, f.key);
        ctx.scene.field(list, index, f.key) != Some(FieldValue::Absent)
            || ctx.problems.iter().any(|p| p.path == path)
            || ctx.unfit.is_some_and(|(p, _, _)| *p == path)
    });
    html! {
        <>
            { for first.iter().map(|f| field(ctx, list, index, f)) }
            if !more.is_empty() {
                <details class="more-fields" open={open}>
                    <summary>{ tn(Msg::WorkshopMore, more.len() as u64, &[("count", &more.len().to_string())]) }</summary>
                    <div class="more-grid">
                        { for more.iter().map(|f| field(ctx, list, index, f)) }
                    </div>
                </details>
            }
        </>
    }
}

/// A field's label, from the catalog.
fn field_label(list: Option<&str>, key: &str) -> Msg {
    use Msg::*;
    match (list, key) {
        (None, "version") => WorkshopFieldVersion,
        (None, "title") => WorkshopFieldTitle,
        (None, "description") => WorkshopFieldDescription,
        (None, "seed") => WorkshopFieldSeed,
        (None, "task") => WorkshopFieldTask,
        (None, _) => WorkshopFieldDurationMs,
        (Some("hosts"), "name") => WorkshopFieldHostsName,
        (Some("hosts"), "ip") => WorkshopFieldHostsIp,
        (Some("hosts"), _) => WorkshopFieldHostsOs,
        (Some("links"), "between") => WorkshopFieldLinksBetween,
        (Some("links"), "latency_ms") => WorkshopFieldLinksLatencyMs,
        (Some("links"), "loss") => WorkshopFieldLinksLoss,
        (Some("links"), "duplicate") => WorkshopFieldLinksDuplicate,
        (Some("links"), "reorder") => WorkshopFieldLinksReorder,
        (Some("links"), _) => WorkshopFieldLinksJitterMs,
        (Some("processes"), "name") => WorkshopFieldProcessesName,
        (Some("processes"), "host") => WorkshopFieldProcessesHost,
        (Some("processes"), "program") => WorkshopFieldProcessesProgram,
        (Some("processes"), _) => WorkshopFieldProcessesUser,
        (Some("actions"), "process") => WorkshopFieldActionsProcess,
        (Some("actions"), "at_ms") => WorkshopFieldActionsAtMs,
        (Some("actions"), "after") => WorkshopFieldActionsAfter,
        (Some("actions"), "delay_ms") => WorkshopFieldActionsDelayMs,
        (Some("actions"), "do") => WorkshopFieldActionsDo,
        (Some("actions"), "port") => WorkshopFieldActionsPort,
        (Some("actions"), "backlog") => WorkshopFieldActionsBacklog,
        (Some("actions"), "to") => WorkshopFieldActionsTo,
        (Some("actions"), "from_port") => WorkshopFieldActionsFromPort,
        (Some("actions"), "auto") => WorkshopFieldActionsAuto,
        (Some("actions"), "keep_alive") => WorkshopFieldActionsKeepAlive,
        (Some("actions"), _) => WorkshopFieldActionsData,
        (Some("firewall"), "host") => WorkshopFieldFirewallHost,
        (Some("firewall"), "proto") => WorkshopFieldFirewallProto,
        (Some("firewall"), "port") => WorkshopFieldFirewallPort,
        (Some("firewall"), _) => WorkshopFieldFirewallVerdict,
        (Some("network"), "at_ms") => WorkshopFieldNetworkAtMs,
        (Some("network"), "link") => WorkshopFieldNetworkLink,
        (Some("network"), "host") => WorkshopFieldNetworkHost,
        (Some("network"), _) => WorkshopFieldNetworkState,
        (Some("goals"), "goal") => WorkshopFieldGoalsGoal,
        (Some("goals"), "process") => WorkshopFieldGoalsProcess,
        (Some("goals"), "host") => WorkshopFieldGoalsHost,
        (Some("goals"), "port") => WorkshopFieldGoalsPort,
        (Some("goals"), "count") => WorkshopFieldGoalsCount,
        (Some("goals"), _) => WorkshopFieldGoalsState,
        (Some(_), "at_ms") => WorkshopFieldStagesAtMs,
        (Some(_), "title") => WorkshopFieldStagesTitle,
        (Some(_), _) => WorkshopFieldStagesText,
    }
}

/// What a field's kind of unfit value says.
fn unfit_words(unfit: Unfit, kind: Kind) -> String {
    match unfit {
        Unfit::AtMost(most) => tp(Msg::WorkshopUnfitMost, &[("most", &most.to_string())]),
        Unfit::NotWhole => t(Msg::WorkshopUnfitWhole).to_string(),
        Unfit::Needed => t(Msg::WorkshopUnfitNeeded).to_string(),
        _ if kind == Kind::Whole => t(Msg::WorkshopUnfitWhole).to_string(),
        _ => t(Msg::WorkshopUnfitNumber).to_string(),
    }
}

/// One field: its label, its input (a choice, text, or a number typed as text so that what
/// was typed can be kept and named when it is not one), and its problems.
fn field(ctx: &Ctx, list: Option<&'static str>, index: usize, f: &Field) -> Html {
    let id = field_id(list, index, f.key);
    let path = path_of(list, index, f.key);
    let value = ctx
        .scene
        .field(list, index, f.key)
        .unwrap_or(FieldValue::Absent);
    let mut said: Vec<String> = ctx
        .problems
        .iter()
        .filter(|p| p.path == path)
        .map(said)
        .collect();
    let unfit = ctx.unfit.filter(|(p, _, _)| *p == path);
    if let Some((_, _, why)) = unfit {
        said.insert(0, unfit_words(*why, f.kind));
    }
    let problem_id = format!("{id}-problem");
    let invalid = (!said.is_empty()).then_some("true");
    let described = (!said.is_empty()).then(|| problem_id.clone());
    let label = t(field_label(list, f.key));
    let edit = |half: usize| {
        let on_field = ctx.on_field.clone();
        let f = *f;
        Callback::from(move |e: Event| {
            let typed = js_sys::Reflect::get(
                &e.target().map(JsValue::from).unwrap_or_default(),
                &"value".into(),
            )
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default();
            on_field.emit(FieldEdit {
                list,
                index,
                field: f,
                half,
                typed,
            });
        })
    };
    let options = choices(ctx.scene, list, f.key);
    let select = |id: String, current: &str, half: usize, label: Option<Rc<str>>| {
        let mut offered = options.clone().unwrap_or_default();
        // What the scene has, even if it is no longer a choice (a host since removed).
        if !current.is_empty() && !offered.iter().any(|o| o == current) {
            offered.push(current.to_string());
        }
        let unset = !f.required || f.kind == Kind::Pair || current.is_empty();
        html! {
            <select id={id} onchange={edit(half)} aria-invalid={invalid} aria-describedby={described.clone()} aria-label={label}>
                if unset {
                    <option value="" selected={current.is_empty()}>{ t(Msg::WorkshopNotSet) }</option>
                }
                { for offered.iter().map(|o| html! { <option value={o.clone()} selected={o == current}>{ o.clone() }</option> }) }
            </select>
        }
    };
    let input = match (&value, f.kind) {
        (_, Kind::Pair) => {
            let pair = match &value {
                FieldValue::Pair(p) => p.clone(),
                _ => Default::default(),
            };
            html! {
                <span class="pair">
                    { select(id.clone(), &pair[0], 0, None) }
                    <span aria-hidden="true">{ "↔" }</span>
                    { select(format!("{id}-2"), &pair[1], 1, Some(Rc::from(format!("{label} (2)")))) }
                </span>
            }
        }
        (_, Kind::Bool) => {
            let current = match value {
                FieldValue::Bool(true) => "true",
                FieldValue::Bool(false) => "false",
                _ => "",
            };
            html! {
                <select id={id.clone()} onchange={edit(0)} aria-invalid={invalid} aria-describedby={described.clone()}>
                    <option value="" selected={current.is_empty()}>{ t(Msg::WorkshopNotSet) }</option>
                    <option value="true" selected={current == "true"}>{ t(Msg::WorkshopYes) }</option>
                    <option value="false" selected={current == "false"}>{ t(Msg::WorkshopNo) }</option>
                </select>
            }
        }
        (_, Kind::Text) if options.is_some() => {
            let current = match &value {
                FieldValue::Text(c) => c.clone(),
                _ => String::new(),
            };
            select(id.clone(), &current, 0, None)
        }
        (_, Kind::Text) => {
            let current = match &value {
                FieldValue::Text(c) => c.clone(),
                _ => String::new(),
            };
            let long = matches!(f.key, "description" | "text" | "data");
            if long {
                html! { <textarea id={id.clone()} rows="3" value={current} onchange={edit(0)} aria-invalid={invalid} aria-describedby={described.clone()} /> }
            } else {
                html! { <input id={id.clone()} type="text" value={current} onchange={edit(0)} aria-invalid={invalid} aria-describedby={described.clone()} autocomplete="off" spellcheck="false" /> }
            }
        }
        _ => {
            // A number: what was typed, if the scene could not take it; else the scene's.
            let shown = match (unfit, &value) {
                (Some((_, typed, _)), _) => typed.clone(),
                (None, FieldValue::Number(n)) => number_text(*n),
                _ => String::new(),
            };
            let mode = if f.kind == Kind::Whole {
                "numeric"
            } else {
                "decimal"
            };
            html! { <input id={id.clone()} type="text" inputmode={mode} value={shown} onchange={edit(0)} aria-invalid={invalid} aria-describedby={described.clone()} autocomplete="off" /> }
        }
    };
    html! {
        <div class={classes!("workshop-field", invalid.map(|_| "invalid"))}>
            <label for={id.clone()}>
                { label.clone() }
                if !f.required && f.kind != Kind::Pair {
                    <span class="optional">{ format!(" ({})", t(Msg::WorkshopOptional)) }</span>
                }
            </label>
            { input }
            if !said.is_empty() {
                <div id={problem_id} class="field-problem">
                    { for said.into_iter().map(|s| html! { <p>{ s }</p> }) }
                </div>
            }
        </div>
    }
}

/// A field's change, as the scene takes it: the new version, or (a value its type cannot
/// hold) why not, with what was typed.
fn set_field(scene: &Scenario, e: &FieldEdit) -> Result<Scenario, (String, String, Unfit)> {
    let typed = e.typed.clone();
    let value = match e.field.kind {
        Kind::Text if typed.is_empty() && !e.field.required => Some(FieldValue::Absent),
        Kind::Text => Some(FieldValue::Text(typed.clone())),
        Kind::Bool => Some(match typed.as_str() {
            "true" => FieldValue::Bool(true),
            "false" => FieldValue::Bool(false),
            _ => FieldValue::Absent,
        }),
        Kind::Pair => {
            let mut pair = match scene.field(e.list, e.index, e.field.key) {
                Some(FieldValue::Pair(p)) => p,
                _ => Default::default(),
            };
            pair[e.half.min(1)] = typed.clone();
            match pair.iter().all(String::is_empty) && !e.field.required {
                true => Some(FieldValue::Absent),
                false => Some(FieldValue::Pair(pair)),
            }
        }
        Kind::Number | Kind::Whole => read_number(&typed),
    };
    let result = match value {
        Some(v) => edit(scene, e.list, e.index, e.field.key, v),
        None => Err(Unfit::NotItsKind),
    };
    result.map_err(|why| (path_of(e.list, e.index, e.field.key), typed, why))
}

/// Check version `version` of the scene as `socketlab-cli check` checks its file: the same
/// reader, in the page (the scenario file's reader is the workshop's; the engine's worker,
/// which runs a scene, loads only when one runs).
fn check(version: u32, scene: &Scenario, d: UseReducerDispatcher<State>) {
    let problems = crate::engine::scenario::from_toml(&scene.to_toml()).err();
    d.dispatch(Act::Checked(version, problems.unwrap_or_default()));
}

/// Offer the scene as its scenario file.
fn save_file(scene: &Scenario, d: &UseReducerDispatcher<State>) {
    let name = format!("{}.toml", file_name(scene));
    let text = scene.to_toml();
    if let Err(why) = save(&File {
        name: &name,
        mime: "application/toml",
        bytes: text.as_bytes(),
    }) {
        d.dispatch(Act::Notice(Some(Notice {
            text: why,
            problems: Vec::new(),
            alert: true,
        })));
    }
}

/// Open a scenario file from the device: read (no more than a scenario may be, and a byte
/// more so that the check says it is too large), checked, and taken as a change,
/// or refused with every problem, the scene being edited kept.
fn open_file(file: web_sys::File, d: &UseReducerDispatcher<State>) {
    let name = file.name();
    let blob = gloo::file::Blob::from(web_sys::Blob::from(file));
    let blob = match blob.size() as usize > MAX_FILE_BYTES {
        true => blob.slice(0, MAX_FILE_BYTES as u64 + 1),
        false => blob,
    };
    let d = d.clone();
    let reader = Rc::new(RefCell::new(None));
    let held = reader.clone();
    let task = gloo::file::callbacks::read_as_text(&blob, move |text| {
        let _keep = held.borrow_mut().take();
        let Ok(text) = text else {
            return d.dispatch(Act::Notice(Some(Notice {
                text: tp(Msg::WorkshopOpenUnread, &[("name", &name)]),
                problems: Vec::new(),
                alert: true,
            })));
        };
        let json =
            name.to_ascii_lowercase().ends_with(".json") || text.trim_start().starts_with('{');
        let said = move |s: &Scenario| tp(Msg::WorkshopOpened, &[("title", &s.title)]);
        let refused = {
            let name = name.clone();
            move |n: usize| {
                tn(
                    Msg::WorkshopOpenRefused,
                    n as u64,
                    &[("name", &name), ("count", &n.to_string())],
                )
            }
        };
        open_text(&text, json, d, said, refused, false);
    });
    *reader.borrow_mut() = Some(task);
}

/// Check a scenario file's text in the worker, then take it as a change or list its problems.
fn open_text(
    text: &str,
    json: bool,
    d: UseReducerDispatcher<State>,
    said: impl Fn(&Scenario) -> String + 'static,
    refused: impl Fn(usize) -> String + 'static,
    quiet: bool,
) {
    let failed = d.clone();
    let take = move |read: Result<Scenario, Vec<Problem>>| match read {
        Ok(scene) => {
            let line = said(&scene);
            d.dispatch(Act::Opened(scene, line));
        }
        // A kept file that does not open (it had problems) is no news to the learner.
        Err(_) if quiet => {}
        Err(problems) => d.dispatch(Act::Notice(Some(Notice {
            text: refused(problems.len()),
            problems,
            alert: true,
        }))),
    };
    // TOML (files, links, the kept scene) is read in the page; JSON, rarer, by the engine's
    // worker, which carries a JSON reader the page need not.
    if !json {
        return take(crate::engine::scenario::from_toml(text));
    }
    let request = crate::worker::open_request(text, json);
    super::engine::ask(&request, move |answer| match answer {
        Ok(bytes) => match crate::worker::read_opened(&bytes) {
            Some(read) => take(read),
            None => failed.dispatch(Act::Engine(Some("socketlab-engine".to_string()))),
        },
        Err(why) => failed.dispatch(Act::Engine(Some(why))),
    });
}

/// Whether the address carries a shared scene (`#s=…`; another fragment, such as the skip
/// link's `#stage`, is the page's own).
fn has_fragment() -> bool {
    let hash = gloo::utils::window().location().hash().unwrap_or_default();
    hash.starts_with("#s=")
}

/// Open the scene in the address's fragment (`#s=1.…`), if there is one, then take it out of
/// the address (the scene is kept like any other: a reload does not open the link again over
/// the learner's changes). What is wrong with a link is said, and changes nothing.
fn open_fragment(d: &UseReducerDispatcher<State>) {
    let location = gloo::utils::window().location();
    let fragment = location.hash().unwrap_or_default();
    if !has_fragment() {
        return;
    }
    if let Ok(history) = gloo::utils::window().history() {
        // The address without its fragment: the workshop's, as it was (an embedded page's
        // keeps `embed=1`).
        let mut params = crate::ui::route::address_params_but(&["workshop"]);
        params.push("workshop".to_string());
        let here = format!("?{}", params.join("&"));
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&here));
    }
    let alert = |text: String| {
        Act::Notice(Some(Notice {
            text,
            problems: Vec::new(),
            alert: true,
        }))
    };
    let deflated = match scene_link::decode(&fragment) {
        Ok(bytes) => bytes,
        Err(e) => {
            let text = match e {
                LinkError::NotASceneLink => t(Msg::WorkshopLinkNotScene).to_string(),
                LinkError::OtherVersion(v) => {
                    tp(Msg::WorkshopLinkVersion, &[("version", &v.to_string())])
                }
                LinkError::Damaged { at } => {
                    tp(Msg::WorkshopLinkDamaged, &[("at", &at.to_string())])
                }
                LinkError::TooLong { chars } => {
                    tp(Msg::WorkshopLinkTooLong, &[("chars", &chars.to_string())])
                }
            };
            return d.dispatch(alert(text));
        }
    };
    let d = d.clone();
    through("DecompressionStream", &deflated, move |inflated| {
        let text = inflated.ok().and_then(|b| String::from_utf8(b).ok());
        let Some(text) = text else {
            return d.dispatch(alert(t(Msg::WorkshopLinkUnpacked).to_string()));
        };
        let said = |s: &Scenario| tp(Msg::WorkshopLinkOpened, &[("title", &s.title)]);
        let refused = |n: usize| {
            tn(
                Msg::WorkshopLinkRefused,
                n as u64,
                &[("count", &n.to_string())],
            )
        };
        open_text(&text, false, d, said, refused, false);
    });
}

/// Make the scene's link: its file, compressed by the browser, in the fragment. A link longer
/// than a link should be is offered as a file instead.
fn share(scene: &Scenario, d: &UseReducerDispatcher<State>) {
    d.dispatch(Act::Share(Some(Share::Making)));
    let d = d.clone();
    through(
        "CompressionStream",
        scene.to_toml().as_bytes(),
        move |deflated| {
            let share = match deflated {
                Ok(bytes) => {
                    let location = gloo::utils::window().location();
                    let link = format!(
                        "{}{}#{}",
                        location.origin().unwrap_or_default(),
                        location.pathname().unwrap_or_default(),
                        scene_link::encode(&bytes)
                    );
                    match link.chars().count() {
                        n if n > MOST_SHARED_CHARS => Share::TooLong(n),
                        _ => Share::Link(link),
                    }
                }
                Err(why) => Share::Failed(why),
            };
            d.dispatch(Act::Share(Some(share)));
        },
    );
}

/// Pass `bytes` through the browser's `CompressionStream` or `DecompressionStream` (raw
/// DEFLATE), then call `then` with what came out, or why nothing did.
fn through(stream: &str, bytes: &[u8], then: impl FnOnce(Result<Vec<u8>, String>) + 'static) {
    let made = (|| -> Result<JsValue, JsValue> {
        let global = js_sys::global();
        let make = |name: &str, arg: &JsValue| -> Result<JsValue, JsValue> {
            let class: js_sys::Function =
                js_sys::Reflect::get(&global, &name.into())?.dyn_into()?;
            js_sys::Reflect::construct(&class, &js_sys::Array::of1(arg))
        };
        let call = |on: &JsValue, name: &str, arg: Option<&JsValue>| -> Result<JsValue, JsValue> {
            let f: js_sys::Function = js_sys::Reflect::get(on, &name.into())?.dyn_into()?;
            match arg {
                Some(a) => f.call1(on, a),
                None => f.call0(on),
            }
        };
        let codec = make(stream, &"deflate-raw".into())?;
        let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
        let blob = web_sys::Blob::new_with_u8_array_sequence(&parts)?;
        let piped = call(&call(&blob, "stream", None)?, "pipeThrough", Some(&codec))?;
        let response = make("Response", &piped)?;
        call(&response, "arrayBuffer", None)
    })();
    let promise = match made.and_then(|p| p.dyn_into::<js_sys::Promise>()) {
        Ok(p) => p,
        Err(e) => return then(Err(js_words(&e, stream))),
    };
    let then = Rc::new(RefCell::new(Some(then)));
    let (ok, failed) = (then.clone(), then);
    let stream = stream.to_string();
    settle(
        &promise,
        move |buffer| {
            if let Some(then) = ok.borrow_mut().take() {
                then(Ok(js_sys::Uint8Array::new(&buffer).to_vec()));
            }
        },
        move |e| {
            if let Some(then) = failed.borrow_mut().take() {
                then(Err(js_words(&e, &stream)));
            }
        },
    );
}

/// Call `ok` with what `promise` gives, or `failed` with why it was refused.
fn settle(
    promise: &js_sys::Promise,
    ok: impl FnOnce(JsValue) + 'static,
    failed: impl FnOnce(JsValue) + 'static,
) {
    let (ok, failed) = (Closure::once_into_js(ok), Closure::once_into_js(failed));
    let then = js_sys::Reflect::get(promise, &"then".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let Some(then) = then {
        let _ = then.call2(promise, &ok, &failed);
    }
}

/// The browser's own words for what went wrong (its error's message), or the API's name.
fn js_words(e: &JsValue, what: &str) -> String {
    js_sys::Reflect::get(e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| what.to_string())
}

/// The share dialog: the link, its length and a copy button; or why there is none.
fn share_dialog(state: &UseReducerHandle<State>, d: &UseReducerDispatcher<State>) -> Html {
    let Some(share) = &state.share else {
        return Html::default();
    };
    let close = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Act::Share(None)))
    };
    let body = match share {
        Share::Making => html! { <p role="status">{ t(Msg::WorkshopShareMaking) }</p> },
        Share::Link(link) => {
            let n = link.chars().count();
            let (page, fragment) = link.split_once('#').unwrap_or((link, ""));
            let frame = format!(
                "<iframe src=\"{page}?embed=1#{fragment}\" title=\"{}\" width=\"100%\" height=\"800\" style=\"border: 0\" loading=\"lazy\"></iframe>",
                tp(Msg::EmbedFrameTitle, &[("title", &state.history.now().title)])
                    .replace('&', "&amp;")
                    .replace('"', "&quot;")
                    .replace('<', "&lt;")
            );
            let on_copy = {
                let (link, d) = (link.clone(), d.clone());
                Callback::from(move |_: MouseEvent| copy(&link, &d))
            };
            html! {
                <>
                    <p>{ t(Msg::WorkshopShareText) }</p>
                    <label for="ws-share-link">{ t(Msg::WorkshopShareLink) }</label>
                    <textarea id="ws-share-link" class="share-link" readonly=true rows="4" value={link.clone()} />
                    <p class="share-length">{ tn(Msg::WorkshopShareLength, n as u64, &[("count", &n.to_string())]) }</p>
                    <button class="button small primary" onclick={on_copy}>{ t(Msg::WorkshopShareCopy) }</button>
                    <p role="status" class="share-copied">{ state.copied.clone().unwrap_or_default() }</p>
                    <label for="ws-share-embed">{ t(Msg::WorkshopShareEmbed) }</label>
                    <textarea id="ws-share-embed" class="share-link" readonly=true rows="4" value={frame} />
                </>
            }
        }
        Share::TooLong(n) => {
            let scene = state.history.now().clone();
            let d = d.clone();
            let on_save = Callback::from(move |_: MouseEvent| save_file(&scene, &d));
            html! {
                <>
                    <p role="alert">{ tp(Msg::WorkshopShareTooLong, &[("count", &n.to_string()), ("most", &MOST_SHARED_CHARS.to_string())]) }</p>
                    <button class="button small primary" onclick={on_save}>{ t(Msg::WorkshopSave) }</button>
                </>
            }
        }
        Share::Failed(why) => {
            html! { <p role="alert">{ tp(Msg::WorkshopShareFailed, &[("why", why)]) }</p> }
        }
    };
    let problems = problem_count(state);
    html! {
        <div class="share-dialog" id="ws-share" role="dialog" aria-modal="false" aria-labelledby="ws-share-title" tabindex="-1">
            <h3 id="ws-share-title">{ t(Msg::WorkshopShareTitle) }</h3>
            if problems > 0 {
                <p class="share-warning">{ tn(Msg::WorkshopShareHasProblems, problems as u64, &[("count", &problems.to_string())]) }</p>
            }
            { body }
            <button class="button small" onclick={close}>{ t(Msg::WorkshopClose) }</button>
        </div>
    }
}

fn copy(link: &str, d: &UseReducerDispatcher<State>) {
    // A page not served over HTTPS (a classroom server) has no clipboard to write to.
    let navigator = gloo::utils::window().navigator();
    let has = js_sys::Reflect::get(&navigator, &"clipboard".into()).is_ok_and(|c| c.is_object());
    if !has {
        return d.dispatch(Act::Copied(t(Msg::WorkshopShareNotCopied).to_string()));
    }
    let clipboard = navigator.clipboard();
    let promise = clipboard.write_text(link);
    let (ok, failed) = (d.clone(), d.clone());
    settle(
        &promise,
        move |_| ok.dispatch(Act::Copied(t(Msg::WorkshopShareCopied).to_string())),
        move |_| failed.dispatch(Act::Copied(t(Msg::WorkshopShareNotCopied).to_string())),
    );
}

/// What a goal asks, before any run: "curl gets its reply".
fn asked(goal: &Goal) -> String {
    match goal {
        Goal::Replies(p) => tp(Msg::WorkshopGoalReplies, &[("who", p)]),
        Goal::Listens(p) => tp(Msg::WorkshopGoalListens, &[("who", p)]),
        Goal::Connects(p) => tp(Msg::WorkshopGoalConnects, &[("who", p)]),
        Goal::Established { host, port, count } => tp(
            Msg::WorkshopGoalEstablished,
            &[
                ("host", &crate::view::scenes::host_name(host)),
                ("port", &port.to_string()),
                ("count", &count.to_string()),
            ],
        ),
        Goal::NoDrops => tp(Msg::WorkshopGoalNoDrops, &[]),
        Goal::Reaches { host, state } => tp(
            Msg::WorkshopGoalReaches,
            &[
                ("host", &crate::view::scenes::host_name(host)),
                ("state", state.rfc_name()),
            ],
        ),
    }
}
