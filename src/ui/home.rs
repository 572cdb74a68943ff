//! The home screen: the lessons in order, each with how far the learner got, the free player
//! ("Explore"), and the learner's progress to export, import or reset.
// The other builds (without the `home` feature) use only `link` from here.
#![cfg_attr(not(feature = "home"), allow(dead_code))]

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::components::language::language_picker;
use super::route::Route;
use super::store::{export, Update};
use crate::i18n::{t, tp, Msg};
use crate::lessons::file::Part;
use crate::lessons::{Lesson, Progress};

/// The header of a page of its own (the workshop, the import): the app's name and icon, which
/// go home, what the page is, the way to the lessons, and the language picker.
#[cfg(any(feature = "workshop", feature = "import"))]
pub fn own_page_header(go: &Callback<Route>, tagline: std::rc::Rc<str>) -> Html {
    html! {
        <header class="site-header">
            <a class="brand" href="./" onclick={link(go, Route::Home)}>
                <img class="brand-icon" src="icon.svg" alt="" width="28" height="28" />
                <h1>{ crate::i18n::t(crate::i18n::Msg::SiteName) }</h1>
            </a>
            <p class="tagline">{ tagline }</p>
            <a class="button small header-link" href="./" onclick={link(go, Route::Home)}>{ crate::i18n::t(crate::i18n::Msg::HomeLessons) }</a>
            { super::components::language::language_picker() }
        </header>
    }
}

/// A click on a link that opens `route` inside the app (a new history entry, no reload). A
/// click with a modifier key is left to the browser (a new tab opens the same address), and so
/// is one to a route another build shows (the page that loads shows it; this one stays until it
/// does).
pub fn link(go: &Callback<Route>, route: Route) -> Callback<MouseEvent> {
    let go = go.clone();
    Callback::from(move |e: MouseEvent| {
        if e.ctrl_key()
            || e.meta_key()
            || e.shift_key()
            || e.button() != 0
            || !route.in_this_build()
        {
            return;
        }
        e.prevent_default();
        go.emit(route.clone());
    })
}

#[derive(Properties)]
pub struct HomeProps {
    pub lessons: Rc<Vec<Lesson>>,
    pub progress: Rc<Progress>,
    /// A line about the stored progress, or about the address that brought the learner here.
    pub notice: Option<String>,
    pub on_update: Callback<Update>,
    pub go: Callback<Route>,
}

/// The lessons are the shipped ones, made once: the same list is the same `Rc` (comparing
/// every lesson's steps instead would cost the web app kilobytes of comparing code).
impl PartialEq for HomeProps {
    fn eq(&self, other: &HomeProps) -> bool {
        Rc::ptr_eq(&self.lessons, &other.lessons)
            && self.progress == other.progress
            && self.notice == other.notice
            && self.on_update == other.on_update
            && self.go == other.go
    }
}

/// How each question was done, as the home screen says it, in `Outcome::ALL`'s order.
const OUTCOMES: [Msg; 4] = [
    Msg::HomeOutcomeFirstTry,
    Msg::HomeOutcomeAfterTries,
    Msg::HomeOutcomeWithHints,
    Msg::HomeOutcomeWithSolution,
];

/// How far the learner got in a lesson, in words, and whether it is done.
fn state_of(lesson: &Lesson, progress: &Progress) -> (String, &'static str, usize) {
    let asked = lesson.asked();
    match progress.lessons.get(&lesson.id) {
        None => (t(Msg::HomeNotStarted).to_string(), "new", 0),
        // A challenge: its attempts, how many passed, and the hints they took.
        Some(p) if p.challenge.is_some() => {
            let c = p.challenge.clone().unwrap_or_default();
            let words = tp(
                Msg::HomeChallengeState,
                &[
                    ("started", &c.started.to_string()),
                    ("passed", &c.passed.to_string()),
                    ("hints", &p.hints().to_string()),
                ],
            );
            let class = match c.passed {
                0 => "started",
                _ => "done",
            };
            (words, class, p.step)
        }
        Some(p) if p.complete(asked) => {
            let said: Vec<String> = p
                .outcomes()
                .iter()
                .zip(OUTCOMES)
                .filter(|(n, _)| **n > 0)
                .map(|(n, msg)| tp(msg, &[("n", &n.to_string())]))
                .collect();
            (
                tp(
                    Msg::HomeDone,
                    &[
                        ("score", &p.score(asked).to_string()),
                        (
                            "how",
                            &said.join(crate::i18n::t(Msg::HomeOutcomeJoin).as_ref()),
                        ),
                    ],
                ),
                "done",
                0,
            )
        }
        Some(p) => (
            tp(
                Msg::HomeInProgress,
                &[
                    ("step", &(p.step + 1).to_string()),
                    ("steps", &lesson.steps.len().to_string()),
                ],
            ),
            "started",
            p.step.min(lesson.steps.len().saturating_sub(1)),
        ),
    }
}

#[function_component(Home)]
pub fn home(props: &HomeProps) -> Html {
    crate::ui::hooks::counted("Home");
    let import_error = use_state(|| None::<String>);
    let confirming = use_state(|| false);
    let reader = use_mut_ref(|| None::<gloo::file::callbacks::FileReader>);
    let go = &props.go;
    let on_import = import_handler(&props.on_update, &import_error, &reader);
    let on_export = {
        let (p, error) = (props.progress.clone(), import_error.clone());
        Callback::from(move |_: MouseEvent| error.set(export(&p).err()))
    };
    let notice = (*import_error).clone().or(props.notice.clone());
    html! {
        <div class="shell home">
            <header class="site-header">
                <a class="skip-link" href="#lessons">{ t(Msg::HomeSkip) }</a>
                <div class="brand">
                    <img class="brand-icon" src="icon.svg" alt="" width="28" height="28" />
                    <h1>{ t(Msg::SiteName) }</h1>
                </div>
                <p class="tagline">{ t(Msg::SiteTagline) }</p>
                { language_picker() }
            </header>
            <main class="home-main">
                <p class="intro">{ t(Msg::HomeIntro) }</p>
                <p class="notice" role="status" hidden={notice.is_none()}>{ notice.clone().unwrap_or_default() }</p>
                <section id="lessons" aria-labelledby="lessons-title" tabindex="-1">
                    <h2 id="lessons-title">{ t(Msg::HomeLessons) }</h2>
                    { for Part::ALL.into_iter().map(|part| {
                        let first = props.lessons.iter().position(|l| l.part == part).unwrap_or(0);
                        html! {
                    <>
                    <h3 class="part-title">{ t(part_title(part)) }</h3>
                    <ol class="lesson-list" start={(first + 1).to_string()}>
                        { for props.lessons.iter().enumerate().filter(|(_, l)| l.part == part).map(|(i, l)| {
                            let (state, class, resume) = state_of(l, &props.progress);
                            // A challenge goes back to the attempt under way.
                            let seed = props.progress.lessons.get(&l.id).and_then(|p| p.challenge.as_ref()).map(|c| c.seed);
                            let route = Route::Lesson { id: l.id.clone(), step: resume, seed };
                            html! {
                                <li key={l.id.clone()} class={classes!("lesson-card", class)}>
                                    <a href={route.query()} onclick={link(go, route.clone())}>
                                        <span class="lesson-number" aria-hidden="true">{ i + 1 }</span>
                                        <span class="lesson-title">{ l.title.get(crate::i18n::lang()).to_string() }</span>
                                    </a>
                                    <p class="lesson-goal">{ l.goal.get(crate::i18n::lang()).to_string() }</p>
                                    <p class="lesson-state"><span class="state-mark" aria-hidden="true">{ mark(class) }</span><span class="state-words">{ state }</span></p>
                                </li>
                            }
                        }) }
                    </ol>
                    </>
                        }
                    }) }
                </section>
                <section class="explore-card" aria-labelledby="explore-title">
                    <h2 id="explore-title">{ t(Msg::HomeExplore) }</h2>
                    <p>{ t(Msg::HomeExploreText) }</p>
                    <a class="button primary" href="?explore" onclick={link(go, Route::Explore)}>{ t(Msg::HomeExploreOpen) }</a>
                    <p class="workshop-text">{ t(Msg::HomeWorkshopText) }</p>
                    <a class="button" href="?workshop" onclick={link(go, Route::Workshop)}>{ t(Msg::HomeWorkshopOpen) }</a>
                    <p class="workshop-text">{ t(Msg::HomeTrafficText) }</p>
                    <a class="button" href="?import" onclick={link(go, Route::Import)}>{ t(Msg::HomeTrafficOpen) }</a>
                </section>
                <section class="progress-card" aria-labelledby="progress-title">
                    <h2 id="progress-title">{ t(Msg::HomeProgress) }</h2>
                    <p>{ t(Msg::HomeProgressText) }</p>
                    <div class="progress-actions">
                        <button class="button" onclick={on_export}>{ t(Msg::HomeExport) }</button>
                        <label class="button file-button">
                            { t(Msg::HomeImport) }
                            <input type="file" accept="application/json,.json" class="sr-only" onchange={on_import} />
                        </label>
                        { reset_controls(&confirming, &props.on_update) }
                    </div>
                </section>
            </main>
        </div>
    }
}

/// A part's heading on the home screen.
fn part_title(part: Part) -> Msg {
    match part {
        Part::Slides => Msg::HomePartSlides,
        Part::OwnServer => Msg::HomePartOwnServer,
        Part::WhenItGoesWrong => Msg::HomePartWhenItGoesWrong,
        Part::Challenges => Msg::HomePartChallenges,
    }
}

/// A mark beside a lesson's state, so the state is not told by colour alone.
fn mark(class: &str) -> &'static str {
    match class {
        "done" => "✓",
        "started" => "…",
        _ => "○",
    }
}

/// "Reset progress…", then a confirmation in place: nothing is lost by one stray tap.
fn reset_controls(confirming: &UseStateHandle<bool>, on_update: &Callback<Update>) -> Html {
    let ask = {
        let c = confirming.clone();
        Callback::from(move |_: MouseEvent| c.set(true))
    };
    let cancel = {
        let c = confirming.clone();
        Callback::from(move |_: MouseEvent| c.set(false))
    };
    let reset = {
        let (c, u) = (confirming.clone(), on_update.clone());
        Callback::from(move |_: MouseEvent| {
            u.emit(Update::Reset);
            c.set(false);
        })
    };
    if **confirming {
        html! {
            <div class="confirm" role="group" aria-label={t(Msg::HomeResetQuestion)}>
                <p>{ t(Msg::HomeResetConfirm) }</p>
                <button class="button danger" onclick={reset}>{ t(Msg::HomeResetYes) }</button>
                <button class="button" onclick={cancel}>{ t(Msg::HomeCancel) }</button>
            </div>
        }
    } else {
        html! { <button class="button" onclick={ask}>{ t(Msg::HomeReset) }</button> }
    }
}

/// Read a chosen file as progress: replace the learner's progress with it, or say in one line
/// why it cannot be read (and change nothing).
fn import_handler(
    on_update: &Callback<Update>,
    error: &UseStateHandle<Option<String>>,
    reader: &Rc<RefCell<Option<gloo::file::callbacks::FileReader>>>,
) -> Callback<Event> {
    let (on_update, error, reader) = (on_update.clone(), error.clone(), reader.clone());
    Callback::from(move |e: Event| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        let (on_update, error) = (on_update.clone(), error.clone());
        let name = file.name();
        let task = gloo::file::callbacks::read_as_text(&file.into(), move |text| {
            match text
                .map_err(|_| t(Msg::HomeUnreadable).to_string())
                .and_then(|t| Progress::parse(&t))
            {
                Ok(p) => {
                    error.set(None);
                    on_update.emit(Update::Replace(p));
                }
                Err(why) => error.set(Some(tp(
                    Msg::HomeNotImported,
                    &[("name", &name), ("why", &why)],
                ))),
            }
        });
        *reader.borrow_mut() = Some(task);
    })
}
