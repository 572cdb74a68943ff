//! A lesson's step beside the stage: its text, "try it on your machine", its question, and
//! Back and Next. The step's scene and moment are on the stage (the player shows them); the
//! question is judged against that moment by [`crate::lessons`], never here.

use std::rc::Rc;

use crate::i18n::{t, tp, Msg};
use yew::prelude::*;

use super::components::question::QuestionView;
use super::home::link;
use super::route::Route;
use super::scenes::Scene;
use super::store::Update;
use crate::engine::net::HostId;
use crate::engine::socket::SockId;
use crate::engine::time::Instant;
use crate::engine::Snapshot;
use crate::lessons::scorm::xml;
use crate::lessons::try_it::{self, Desktop};
use crate::lessons::{Ask, Control, Fact, Lesson, Moment, Pick, Progress, Step};

/// A step of a lesson, and the learner's progress.
#[derive(Clone)]
pub struct LessonAt {
    pub lessons: Rc<Vec<Lesson>>,
    pub index: usize,
    /// From 0; always a step the lesson has.
    pub step: usize,
    pub progress: Rc<Progress>,
    /// A challenge's seed and the scene it drew (the lesson is the drawn one).
    pub drawn: Option<(u64, Rc<Scene>)>,
}

impl PartialEq for LessonAt {
    fn eq(&self, other: &LessonAt) -> bool {
        Rc::ptr_eq(&self.lessons, &other.lessons)
            && (self.index, self.step) == (other.index, other.step)
            && Rc::ptr_eq(&self.progress, &other.progress)
            && match (&self.drawn, &other.drawn) {
                (Some((a, x)), Some((b, y))) => a == b && Rc::ptr_eq(x, y),
                (a, b) => a.is_none() && b.is_none(),
            }
    }
}

impl LessonAt {
    pub fn lesson(&self) -> &Lesson {
        &self.lessons[self.index]
    }

    pub fn step(&self) -> &Step {
        &self.lesson().steps[self.step]
    }

    /// The player's number for the lesson's scene (every shipped lesson's scene is one:
    /// `tests/lessons.rs` checks).
    pub fn scene_index(&self) -> usize {
        Scene::index_of(&self.lesson().scenario).unwrap_or(0)
    }

    /// A challenge's drawn scene, which the lesson shows instead of its shipped one.
    pub fn drawn_scene(&self) -> Option<&Rc<Scene>> {
        self.drawn.as_ref().map(|(_, s)| s)
    }

    fn route(&self, step: usize) -> Route {
        Route::Lesson {
            id: self.lesson().id.clone(),
            step,
            seed: self.drawn.as_ref().map(|(seed, _)| *seed),
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct LessonPanelProps {
    pub at: LessonAt,
    /// The scene on the stage: the lesson's, once the player has loaded it.
    pub scene: Rc<Scene>,
    /// A socket the learner tapped in a table, counted: an answer to a predict question.
    pub picked: Option<(u32, Pick)>,
    pub on_update: Callback<Update>,
    pub go: Callback<Route>,
    /// Play on to a time, then highlight a socket: how a predict question shows its answer.
    pub on_reveal: Callback<(Instant, Option<(HostId, SockId)>)>,
    /// The socket tables of the hosts the step's question is about, shown with it.
    #[prop_or_default]
    pub tables: Html,
    /// Show a learner's own run of the scene (a fix they tried) on the stage.
    #[prop_or_default]
    pub on_run: Callback<Rc<Scene>>,
}

#[function_component(LessonPanel)]
pub fn lesson_panel(props: &LessonPanelProps) -> Html {
    crate::ui::hooks::counted("LessonPanel");
    let at = &props.at;
    let lesson = at.lesson();
    let step = at.step();
    let heading = use_node_ref();
    {
        // A new step: its heading takes the focus, so a screen reader reads the step from the
        // top and Tab goes on into it. Without scrolling: on a phone the stage stays in view.
        let heading = heading.clone();
        use_effect_with((at.index, at.step), move |_| {
            if let Some(h) = heading.cast::<web_sys::HtmlElement>() {
                let options = web_sys::FocusOptions::new();
                options.set_prevent_scroll(true);
                let _ = h.focus_with_options(&options);
            }
        });
    }
    let last = lesson.steps.len() - 1;
    let ready = props.scene.id == lesson.scenario;
    // A challenge (its own build): a new attempt draws another fault, from the first step; the
    // fault's number, for a teacher to share.
    #[cfg(feature = "challenge")]
    let challenge_nav = match &at.drawn {
        Some((seed, _)) => (
            another_fault(&lesson.id, *seed, &props.go),
            html! { <p class="challenge-seed">{ tp(Msg::LessonChallengeSeed, &[("seed", &seed.to_string())]) }</p> },
        ),
        None => (Html::default(), Html::default()),
    };
    #[cfg(not(feature = "challenge"))]
    let challenge_nav = (Html::default(), Html::default());
    // A step's text and question are drawn anew for another step, or another fault.
    let key = format!(
        "{}/{}/{:?}",
        lesson.id,
        at.step,
        at.drawn.as_ref().map(|d| d.0)
    );
    // A challenge's fix names what is wrong: it waits until the diagnosis is answered.
    let earlier_open = at.drawn.is_some()
        && lesson.steps[..at.step]
            .iter()
            .enumerate()
            .any(|(i, s)| s.question.is_some() && !at.progress.done(&lesson.id, i));
    html! {
        <section class="step-panel" aria-labelledby="step-title" data-lesson={lesson.id.clone()}>
            <div class="step-head">
                <p class="step-count">{ tp(Msg::LessonStepCount, &[("lesson", &(at.index + 1).to_string()), ("step", &(at.step + 1).to_string()), ("steps", &(last + 1).to_string())]) }</p>
                <h2 id="step-title" ref={heading} tabindex="-1">{ lesson.title.get(crate::i18n::lang()).to_string() }</h2>
            </div>
            if at.step == 0 && step.question.is_none() {
                <p class="step-goal">{ lesson.goal.get(crate::i18n::lang()).to_string() }</p>
            }
            <StepText key={key.clone()} text={AttrValue::from(step.text.get(crate::i18n::lang()).to_string())} />
            if step.question.is_some() && ready && earlier_open {
                <p class="notice">{ t(Msg::LessonAnswerEarlier) }</p>
            } else if let (Some(_), true) = (&step.question, ready) {
                <QuestionView key={key} at={at.clone()} scene={props.scene.clone()} picked={props.picked.clone()}
                              on_update={props.on_update.clone()} on_reveal={props.on_reveal.clone()} tables={props.tables.clone()} on_run={props.on_run.clone()} />
            }
            // After the question: trying it on one's own machine comes second (never in a
            // challenge, whose page leaves its code out).
            if let (Some(host), true, false) = (&step.try_it, ready, crate::CHALLENGE_PAGE) {
                { try_it_view(&props.scene, &step.at, host) }
            }
            <nav class="step-nav" aria-label={t(Msg::LessonStepsNav)}>
                if at.step > 0 {
                    <a class="button" href={at.route(at.step - 1).query()} onclick={link(&props.go, at.route(at.step - 1))}>{ t(Msg::LessonBack) }</a>
                } else {
                    <a class="button to-home" href="./" onclick={link(&props.go, Route::Home)}>{ t(Msg::LessonAll) }</a>
                }
                if at.step < last {
                    <a class="button primary" href={at.route(at.step + 1).query()} onclick={link(&props.go, at.route(at.step + 1))}>{ t(Msg::LessonNext) }</a>
                } else {
                    <a class="button primary to-home" href="./" onclick={link(&props.go, Route::Home)}>{ t(Msg::LessonFinish) }</a>
                }
                { challenge_nav.0 }
            </nav>
            { challenge_nav.1 }
            { embed_view(&lesson.id, lesson.title.get(crate::i18n::lang())) }
        </section>
    }
}

/// What a step keeps from the learner until its question is answered (predict, then reveal):
/// nothing once it is answered (now or before), and nothing for a "fix it", whose clues are
/// what the learner needs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Secrecy {
    /// The story and the events: they tell the moment the question asks about.
    pub hidden: bool,
    /// The packet's details and the flow graph too: a choose question's answer (a port, a
    /// state) can be read there.
    pub deep: bool,
    /// The answer's words, shown "?" wherever they stand alone: the stage, the tables.
    pub mask: Rc<Vec<String>>,
    /// The segment a predict question asks about: marked on the stage.
    pub segment: Option<crate::engine::SegmentId>,
    /// Which process holds a socket: the stage's list of each host's programs, which tells
    /// how many processes run, reads "?" too.
    pub processes: bool,
}

/// The first question, from this step on, that holds the scene back: not answered yet, and not
/// a fix (whose broken run is its clue). Its step's index, and the step.
fn next_open(at: &LessonAt) -> Option<(usize, &Step)> {
    let lesson = at.lesson();
    lesson
        .steps
        .iter()
        .enumerate()
        .skip(at.step)
        .find(|(i, step)| {
            step.question
                .as_ref()
                .is_some_and(|q| !matches!(q.ask, Ask::Fix { .. }))
                && !at.progress.done(&lesson.id, *i)
        })
}

/// What `at`'s step keeps secret now: all its question's secrecy while it is open; from a step
/// before a later open question (whose moment the scene may play up to), that question's
/// answer words, which would otherwise show as the scene plays there.
pub fn secrecy(at: &LessonAt) -> Secrecy {
    let Some((i, step)) = next_open(at) else {
        return Secrecy::default();
    };
    let Some(q) = &step.question else {
        return Secrecy::default();
    };
    let secrecy = of_question(q, &step.at);
    match i == at.step {
        true => secrecy,
        // A later question's answer only: the other pids it offers are hidden at its own
        // moment, not before.
        false => Secrecy {
            mask: match &q.ask {
                Ask::Choose { solution, .. } => Rc::new(answer_words(solution)),
                _ => secrecy.mask,
            },
            ..Secrecy::default()
        },
    }
}

/// A choose question's answer as the tables and the stage may write it: as it is, and a state
/// as the compact view (ss) writes it too.
fn answer_words(solution: &str) -> Vec<String> {
    let short = crate::engine::SockState::from_rfc_name(solution)
        .map(|s| s.ss_name())
        .filter(|short| *short != solution);
    std::iter::once(solution.to_string())
        .chain(short.map(str::to_string))
        .collect()
}

/// What an open question keeps secret.
fn of_question(q: &crate::lessons::Question, at: &Moment) -> Secrecy {
    match (&q.ask, at) {
        // A challenge's clues are everything the scene shows.
        (Ask::Fix { .. } | Ask::Diagnose { .. }, _) => Secrecy::default(),
        (Ask::Predict { .. }, Moment::BeforeSegment(n)) => Secrecy {
            hidden: true,
            segment: Some(crate::engine::SegmentId(*n)),
            ..Secrecy::default()
        },
        (Ask::Predict { .. } | Ask::Fill { .. }, _) => Secrecy {
            hidden: true,
            ..Secrecy::default()
        },
        (
            Ask::Choose {
                solution,
                fact,
                options,
                ..
            },
            _,
        ) => {
            // Which process holds a socket: every pid offered is hidden, or the others, left
            // in the tables, would point at the one that is not.
            let pid = matches!(fact, crate::lessons::Fact::Pid { .. });
            let words: Vec<String> = match pid {
                true => options.clone(),
                false => answer_words(solution),
            };
            Secrecy {
                hidden: true,
                deep: true,
                mask: Rc::new(words),
                segment: None,
                processes: pid,
            }
        }
    }
}

/// How far a lesson's scene may play: to the moment of the first question, from this step on,
/// that is not answered yet (a fix, whose broken run is its clue, holds nothing back).
pub fn play_limit(at: &LessonAt, scene: &Scene) -> Option<Instant> {
    next_open(at).and_then(|(_, step)| step.at.time(&scene.timeline).ok())
}

/// The hosts a step's question is about, whose tables it shows beside it: where a predict
/// question's segment arrives; the host of the socket a fill or choose question names; for a
/// port (a service's, a range's), the hosts with a socket on it, else those that listen; the
/// hosts of the processes and rules a fix changes.
pub fn question_hosts(at: &LessonAt, scene: &Scene, snapshot: &Snapshot) -> Vec<HostId> {
    let Some(q) = &at.step().question else {
        return Vec::new();
    };
    let named = |name: &str| snapshot.host(name).map(|h| h.id);
    let on_port = |port: u16| -> Vec<HostId> {
        let with = |keep: &dyn Fn(&crate::engine::SocketRow) -> bool| -> Vec<HostId> {
            snapshot
                .hosts
                .iter()
                .filter(|h| h.sockets.iter().any(keep))
                .map(|h| h.id)
                .collect()
        };
        let bound = with(&|r| r.local.is_some_and(|l| l.port() == port));
        match bound.is_empty() {
            true => with(&|r| r.state == crate::engine::SockState::Listen),
            false => bound,
        }
    };
    let mut hosts: Vec<HostId> = match &q.ask {
        Ask::Predict { .. } => match &at.step().at {
            Moment::BeforeSegment(n) => crate::lessons::moment::arrival(&scene.timeline, *n)
                .and_then(|i| match &scene.timeline.events()[i].kind {
                    crate::engine::EventKind::SegmentDelivered { host, .. } => Some(*host),
                    _ => None,
                })
                .into_iter()
                .collect(),
            _ => Vec::new(),
        },
        Ask::Fill { host, .. } => named(host).into_iter().collect(),
        // A challenge: the server's host and the client's.
        Ask::Diagnose { .. } => crate::lessons::challenge::PROCESSES
            .iter()
            .filter_map(|p| {
                let host = &scene.scenario.processes.iter().find(|x| x.name == *p)?.host;
                named(host)
            })
            .collect(),
        Ask::Choose { fact, .. } => match fact {
            Fact::SourcePort { host, .. }
            | Fact::State { host, .. }
            | Fact::SourcePortRange { host, .. }
            | Fact::Pid { host, .. }
            | Fact::EphemeralRange(host) => named(host).into_iter().collect(),
            Fact::ServicePort(name) => crate::engine::ports::SERVICES
                .iter()
                .find(|s| s.name == name.as_str())
                .map(|s| on_port(s.port))
                .unwrap_or_default(),
            Fact::PortRange(port) => on_port(*port),
            // The host whose program will print it: its socket is the one that reads the reply.
            Fact::Reply(host) => named(host).into_iter().collect(),
        },
        Ask::Fix { controls, .. } => controls
            .iter()
            .filter_map(|c| {
                let host = match c {
                    Control::ListenPort { process }
                    | Control::ConnectPort { process }
                    | Control::ConnectHost { process }
                    | Control::Program { process } => scene
                        .scenario
                        .processes
                        .iter()
                        .find(|p| p.name == *process)
                        .map(|p| p.host.clone()),
                    Control::FirewallRule { index } => {
                        scene.scenario.firewall.get(*index).map(|r| r.host.clone())
                    }
                }?;
                named(&host)
            })
            .collect(),
    };
    let mut seen = Vec::new();
    hosts.retain(|h| {
        let new = !seen.contains(h);
        seen.push(*h);
        new
    });
    hosts
}

#[derive(Properties, PartialEq)]
struct StepTextProps {
    text: AttrValue,
}

/// A step's text. On a phone a long one shows its first lines and "More", so the stage, the
/// question and its table share the screen.
#[function_component(StepText)]
fn step_text(props: &StepTextProps) -> Html {
    crate::ui::hooks::counted("StepText");
    let open = use_state(|| false);
    let columns = crate::view::stage::columns(&props.text);
    // Which phones clamp it (the stylesheet decides): a long text on any phone, a shorter one
    // on a short phone too.
    let size = match columns {
        c if c > LONG_STEP_TEXT => Some("long"),
        c if c > SHORT_PHONE_STEP_TEXT => Some("longish"),
        _ => None,
    };
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    html! {
        <div class={classes!("step-text-wrap", size, (*open).then_some("open"))}>
            <div class="step-text">{ rich(&props.text) }</div>
            if size.is_some() {
                <button class="more-text" aria-expanded={open.to_string()} onclick={toggle}>
                    { t(if *open { Msg::LessonLess } else { Msg::LessonMore }) }
                </button>
            }
        </div>
    }
}

/// Columns (a CJK character counts two) beyond which a step's text is clamped on a phone:
/// about three lines at 360 px; and on a short phone, about two.
const LONG_STEP_TEXT: usize = 110;
const SHORT_PHONE_STEP_TEXT: usize = 70;

/// The shipped lessons with the words the page has loaded in its language: each lesson's
/// every text once it has been opened, and every title and goal once the home screen has.
pub fn in_page() -> Vec<Lesson> {
    let mut lessons = crate::lessons::shipped::shipped();
    let lang = crate::i18n::lang();
    let heads = crate::i18n::lesson_words("").unwrap_or_default();
    for (i, lesson) in lessons.iter_mut().enumerate() {
        let words = crate::i18n::lesson_words(&lesson.id);
        let words = words.unwrap_or_else(|| heads.iter().skip(2 * i).take(2).cloned().collect());
        crate::lessons::words::fill(lesson, lang, words.into_iter().map(Some));
    }
    lessons
}

/// Whether the page has lesson `id`'s words in its language, which come with its scene's (for
/// `""`: every lesson's title and goal, which the home screen shows; for `"@"`: every scene's
/// words, which the free player shows).
pub fn has_words(id: &str) -> bool {
    crate::i18n::lesson_words(id).is_some()
}

/// Whether what [`loading_view`] waits for is in: lesson `id`'s words, or for `"#scene"` that
/// shipped scene's recorded run.
fn ready(id: &str) -> bool {
    match id.strip_prefix('#') {
        Some(scene) => crate::view::scenes::has_recording(scene),
        None => has_words(id),
    }
}

thread_local! {
    /// The lesson words asked for ("lang/id"), so that drawing the app again while they load
    /// does not ask again, and whether they failed to load.
    static ASKED: std::cell::RefCell<(String, bool)> = const { std::cell::RefCell::new((String::new(), false)) };
}

/// A screen whose words are not in the page yet (lesson `id`'s, for `""` the home screen's
/// titles and goals, for `"@"` the scenes'), or for `"#scene"` whose recording is not: one line while `static/boot.js` fetches them, then the app drawn
/// again with them. If they do not load, the line says so, with a link that opens the page anew
/// (`again`) and, from a lesson, the way home. (A function, not a component: what changes comes once, from
/// outside.)
pub fn loading_view(id: &str, again: &str) -> Html {
    let asked = format!("{}/{id}", crate::i18n::lang());
    if ASKED.with(|a| a.borrow().0 != asked) {
        ASKED.with(|a| *a.borrow_mut() = (asked.clone(), false));
        let lesson = id.to_string();
        let then = move |loaded: bool| match loaded && ready(&lesson) {
            true => crate::ui::redraw(),
            false => {
                ASKED.with(|a| a.borrow_mut().1 = true);
                // Drawn already: say so in place (before then, the drawing below does).
                let document = gloo::utils::document();
                if let Some(line) = document.get_element_by_id("lesson-loading") {
                    line.set_text_content(Some(&t(Msg::LessonNotLoaded)));
                }
                if let Some(links) = document.get_element_by_id("lesson-failed") {
                    let _ = links.remove_attribute("hidden");
                }
            }
        };
        match id.strip_prefix('#') {
            Some(scene) => crate::ui::boot_call("socketlabRecording", &[scene], Rc::new(then)),
            None => {
                crate::ui::boot_call("socketlabLesson", &[crate::i18n::lang(), id], Rc::new(then))
            }
        }
    }
    let failed = ASKED.with(|a| a.borrow().1);
    html! {
        <main class="shell lesson-loading">
            <p id="lesson-loading" class="notice" role="status">{ t(if failed { Msg::LessonNotLoaded } else { Msg::HomeLoading }) }</p>
            <p id="lesson-failed" class="progress-actions" hidden={!failed}>
                <a class="button primary" href={again.to_string()}>{ t(Msg::LessonTryAgain) }</a>
                if !id.is_empty() {
                    <a class="button" href="./">{ t(Msg::LessonAll) }</a>
                }
            </p>
        </main>
    }
}

/// A step's text: paragraphs (split at blank lines), with `code` and *emphasis*.
pub fn rich(text: &str) -> Html {
    let paragraph = |p: &str| html! { <p>{ inline(p, true) }</p> };
    html! { { for text.split("\n\n").filter(|p| !p.trim().is_empty()).map(paragraph) } }
}

/// One paragraph's words, with `code` and, if `emphasis`, *emphasis*, on one line. (Feedback
/// has code only: it may quote a learner's `*`.)
pub fn inline(text: &str, emphasis: bool) -> Html {
    let p = crate::lessons::words::one_line(text);
    let mut parts = Vec::new();
    for (i, part) in p.split('`').enumerate() {
        if i % 2 == 1 {
            parts.push(html! { <code>{ part.to_string() }</code> });
            continue;
        }
        let marks = if emphasis { '*' } else { '\u{0}' };
        for (j, s) in part.split(marks).enumerate() {
            parts.push(if j % 2 == 1 {
                html! { <em>{ s.to_string() }</em> }
            } else {
                html! { { s.to_string() } }
            });
        }
    }
    html! { { for parts } }
}

/// The real commands, and what each OS's socket list prints at the step's moment. (At the
/// step's, not the stage's: the panel is not drawn again while the scene plays.)
fn try_it_view(scene: &Scene, at: &Moment, host_id: &str) -> Html {
    let moment = at.time(&scene.timeline).unwrap_or(Instant::ZERO);
    let snapshot = scene.timeline.seek(moment);
    let Some(host) = snapshot.host(host_id) else {
        return Html::default();
    };
    let host_name = &*crate::view::scenes::host_name(host_id);
    let port = try_it::listening_port(host);
    // Each system, and what the learner's own machine shows that the scene's server does not.
    let oses = [
        (Desktop::Linux, "Linux", Msg::TryitRealLinux),
        (Desktop::Macos, "macOS", Msg::TryitRealMacos),
        (Desktop::Windows, "Windows", Msg::TryitRealWindows),
    ];
    html! {
        <details class="try-it">
            <summary>{ t(Msg::TryitTitle) }</summary>
            <p>{ t(Msg::TryitSave) }</p>
            { code(try_it::NODE_SERVER) }
            <p>{ t(Msg::TryitConnect) }</p>
            { code(try_it::CURL) }
            { for oses.iter().map(|(os, name, real)| html! {
                <div class="try-os" key={*name}>
                    <h3>{ tp(Msg::TryitList, &[("os", name)]) }</h3>
                    { code(try_it::socket_list(*os)) }
                    <p class="output-label">{ tp(Msg::TryitPrints, &[("host", host_name)]) }</p>
                    <pre class="output" tabindex="0">{ try_it::socket_list_output(*os, host) }</pre>
                    if let Some(port) = port {
                        <h3>{ tp(Msg::TryitOwner, &[("port", &port.to_string()), ("os", name)]) }</h3>
                        { code(try_it::port_owner(*os, port)) }
                        <p class="output-label">{ tp(if *os == Desktop::Windows { Msg::TryitPrints } else { Msg::TryitPrintsYours }, &[("host", host_name)]) }</p>
                        <pre class="output" tabindex="0">{ try_it::port_owner_output(*os, host, port) }</pre>
                    }
                    <div class="try-real">{ rich(&t(*real)) }</div>
                </div>
            }) }
        </details>
    }
}

/// "Embed this lesson": the address of the lesson alone (`?embed=1`) and an `<iframe>` for a
/// course page, each with a Copy button. The embedded page sizes its frame itself
/// (static/embed.js).
fn embed_view(id: &str, title: &str) -> Html {
    let location = gloo::utils::window().location();
    let here = format!(
        "{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default()
    );
    let link = format!("{here}?embed=1&lesson={id}");
    let frame = format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"800\" style=\"border: 0\" loading=\"lazy\"></iframe>",
        xml(&link),
        xml(&tp(Msg::EmbedFrameTitle, &[("title", title)]))
    );
    html! {
        <details class="embed-this">
            <summary>{ t(Msg::EmbedTitle) }</summary>
            <p>{ t(Msg::EmbedLink) }</p>
            { code(link) }
            <p>{ t(Msg::EmbedFrame) }</p>
            { code(frame) }
        </details>
    }
}

/// A command or a file, with a button that copies it (and then says so).
fn code(text: impl Into<AttrValue>) -> Html {
    let text: AttrValue = text.into();
    let copied = text.clone();
    let onclick = Callback::from(move |e: MouseEvent| {
        let clipboard = gloo::utils::window().navigator().clipboard();
        let _ = clipboard.write_text(&copied);
        let button: web_sys::HtmlElement = e.target_unchecked_into();
        button.set_text_content(Some(&t(Msg::CodeCopied)));
    });
    html! {
        <div class="code">
            <pre><code>{ text.clone() }</code></pre>
            <button class="button small copy" {onclick} aria-label={tp(Msg::CodeCopyLabel, &[("first", text.lines().next().unwrap_or_default())])}>{ t(Msg::CodeCopy) }</button>
        </div>
    }
}

/// A new seed for a challenge's attempt: short enough to read out to a class.
#[cfg(feature = "challenge")]
pub fn new_seed() -> u64 {
    1 + (js_sys::Math::random() * 999_999.0) as u64
}

/// "Try another fault": the challenge again, from its first step, with a fault drawn by a new
/// seed (never the same one as now).
#[cfg(feature = "challenge")]
fn another_fault(id: &str, seed: u64, go: &Callback<Route>) -> Html {
    let mut next = new_seed();
    if next == seed {
        next = seed % 999_999 + 1;
    }
    let route = Route::Lesson {
        id: id.to_string(),
        step: 0,
        seed: Some(next),
    };
    html! {
        <a class="button another-fault" href={route.query()} onclick={link(go, route.clone())}>{ t(Msg::LessonAnotherFault) }</a>
    }
}

#[cfg(feature = "challenge")]
#[derive(Properties)]
pub struct ChallengeProps {
    pub lessons: Rc<Vec<Lesson>>,
    /// The challenge's lesson, as its file has it.
    pub index: usize,
    pub step: usize,
    /// The address's seed, if it gives one.
    pub seed: Option<u64>,
    pub progress: Rc<Progress>,
    pub params: Rc<crate::ui::route::Params>,
    pub on_update: Callback<Update>,
    pub go: Callback<Route>,
}

/// Props compare the lessons and the progress by identity: they are shared, not copied.
#[cfg(feature = "challenge")]
impl PartialEq for ChallengeProps {
    fn eq(&self, other: &ChallengeProps) -> bool {
        Rc::ptr_eq(&self.lessons, &other.lessons)
            && Rc::ptr_eq(&self.progress, &other.progress)
            && Rc::ptr_eq(&self.params, &other.params)
            && (self.index, self.step, self.seed) == (other.index, other.step, other.seed)
            && self.on_update == other.on_update
            && self.go == other.go
    }
}

/// A challenge: the fault its seed draws (the address's; else the attempt under way's; else a
/// new one, which the address then says, so that it can be shared), played from that setup's
/// recorded run (`recordings/<id>.bin`, loaded as a scene's is), then the drawn lesson in the
/// player like any other. Its page carries no engine until a fix runs.
#[cfg(feature = "challenge")]
#[function_component(ChallengeView)]
pub fn challenge_view(props: &ChallengeProps) -> Html {
    let template = &props.lessons[props.index];
    let fresh = use_state(new_seed);
    let seed = props
        .seed
        .or_else(|| {
            props
                .progress
                .lessons
                .get(&template.id)
                .and_then(|l| l.challenge.as_ref())
                .map(|c| c.seed)
        })
        .unwrap_or(*fresh);
    {
        // The address names the seed (in place: the same page; its other parameters, an LMS's
        // launch, an embed, a language, stay), and progress the attempt.
        let (id, asked, on_update) = (
            template.id.clone(),
            template.asked(),
            props.on_update.clone(),
        );
        use_effect_with(seed, move |&seed| {
            let mut kept = super::route::address_params_but(&["seed"]);
            kept.push(format!("seed={seed}"));
            super::route::replace_address(&kept);
            on_update.emit(Update::Drew(id, seed, asked));
        });
    }
    let drawn = crate::lessons::challenge::Drawn::of(seed);
    let file = drawn.scene();
    let loaded = super::scenes::has_recording(&file);
    let waiting = format!("#{file}");
    // The drawn scene and lesson, once its run is in the page.
    let lessons = props.lessons.clone();
    let made = use_memo((props.index, seed, loaded), move |(index, seed, loaded)| {
        if !*loaded {
            return None;
        }
        let template = &lessons[*index];
        let n = crate::view::scenes::DRAWN_RUN + (*seed % 1_000_000) as u32;
        let scene = Scene::index_of(&template.scenario)
            .ok_or_else(|| t(Msg::SceneNotLoaded).to_string())
            .and_then(|i| Scene::drawn(i, &file, n));
        Some(scene.and_then(|scene| {
            let lesson = crate::lessons::challenge::lesson(template, drawn.fault, &scene.scenario)
                .ok_or_else(|| t(Msg::SceneDamaged).to_string())?;
            let mut all = (*lessons).clone();
            all[*index] = lesson;
            Ok((Rc::new(all), scene))
        }))
    });
    match &*made {
        None => loading_view(
            &waiting,
            &gloo::utils::window()
                .location()
                .search()
                .unwrap_or_default(),
        ),
        Some(Err(why)) => html! {
            <main class="shell lesson-loading">
                <p class="notice" role="alert">{ tp(Msg::LessonChallengeFailed, &[("why", why)]) }</p>
                <p><a class="button" href="./" onclick={link(&props.go, Route::Home)}>{ t(Msg::LessonAll) }</a></p>
            </main>
        },
        Some(Ok((lessons, scene))) => {
            let steps = lessons[props.index].steps.len();
            let at = LessonAt {
                lessons: lessons.clone(),
                index: props.index,
                step: props.step.min(steps.saturating_sub(1)),
                progress: props.progress.clone(),
                drawn: Some((seed, scene.clone())),
            };
            html! {
                <crate::ui::app::Player params={props.params.clone()} lesson={Some(at)} on_update={props.on_update.clone()} go={props.go.clone()} />
            }
        }
    }
}
