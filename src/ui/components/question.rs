//! A lesson's question, of any of the four kinds, with its feedback, its hints and "Show
//! solution". Every answer is judged by [`crate::lessons`] against the scene at the step's
//! moment; this component only gathers the answer and shows the verdict.

use super::tables::row_label;
use crate::vecmap::VecMap;
use std::rc::Rc;

use crate::i18n::{t, tp, Msg};
use yew::prelude::*;

use crate::engine::net::HostId;
use crate::engine::scenario::PROGRAMS;
use crate::engine::socket::SockId;
use crate::engine::time::Instant;
use crate::engine::Timeline;
use crate::lessons::{Answer, Ask, Cell, Control, Judged, Moment, Pick, Question};
use crate::ui::lesson::LessonAt;
use crate::ui::scenes::Scene;
use crate::ui::store::Update;
use crate::view::scenes::host_name;

#[derive(Properties, PartialEq, Clone)]
pub struct QuestionProps {
    pub at: LessonAt,
    pub scene: Rc<Scene>,
    /// A socket tapped in a table (counted): a predict question takes it as an answer.
    #[prop_or_default]
    pub picked: Option<(u32, Pick)>,
    pub on_update: Callback<Update>,
    pub on_reveal: Callback<(Instant, Option<(HostId, SockId)>)>,
    /// The tables of the hosts the question is about: for a predict question, each socket's
    /// name is an answer.
    #[prop_or_default]
    pub tables: Html,
    /// Show a learner's own run of the scene on the stage (a fix they tried).
    #[prop_or_default]
    pub on_run: Callback<Rc<Scene>>,
}

/// What the learner has seen of a question: the verdict on the last answer, how many hints,
/// and whether the solution is shown.
#[derive(Clone, Default, PartialEq)]
struct Seen {
    judged: Option<Judged>,
    hints: usize,
    solution: bool,
    /// A fix's last try: the values the learner ran, which the controls keep.
    tried: Option<crate::lessons::Changes>,
    /// A fix's run is under way in the engine's worker.
    running: bool,
}

#[function_component(QuestionView)]
pub fn question_view(props: &QuestionProps) -> Html {
    crate::ui::hooks::counted("QuestionView");
    let seen = use_state(Seen::default);
    // The lesson's scene as shipped: what an answer is judged against, even while the stage
    // shows a learner's own run of it.
    let base = use_mut_ref(|| props.scene.clone());
    if !props.scene.tried() {
        *base.borrow_mut() = props.scene.clone();
    }
    let runs = use_mut_ref(|| 0u32);
    // A fix's run answers later: by then the learner may have asked for a hint (kept: the
    // answer changes only the verdict), or left the question (then the answer is dropped, so
    // it cannot replace the next step's scene).
    let latest = use_mut_ref(Seen::default);
    *latest.borrow_mut() = (*seen).clone();
    let alive = use_mut_ref(|| true);
    {
        let alive = alive.clone();
        use_effect_with((), move |_| move || *alive.borrow_mut() = false);
    }
    let at = &props.at;
    let step = at.step();
    let Some(q) = step.question.as_ref() else {
        return Html::default();
    };
    let (lesson_id, index) = (at.lesson().id.clone(), at.step);
    let before = at.progress.done(&lesson_id, index);
    let challenge = at.drawn.is_some();

    let submit = {
        let (seen, scene, q) = (seen.clone(), base.borrow().clone(), q.clone());
        let (on_run, runs) = (props.on_run.clone(), runs.clone());
        let (on_update, on_reveal, moment) = (
            props.on_update.clone(),
            props.on_reveal.clone(),
            step.at.clone(),
        );
        let lesson_id = lesson_id.clone();
        // The verdict on an answer, once there is one: counted, shown, and if right the moment
        // it asked about revealed. Dropped if the learner has left the question.
        let finish = {
            let (seen, scene, q, moment) = (seen.clone(), scene.clone(), q.clone(), moment.clone());
            let (latest, alive) = (latest.clone(), alive.clone());
            Rc::new(
                move |judged: Judged, tried: Option<crate::lessons::Changes>| {
                    if !*alive.borrow() {
                        return;
                    }
                    let correct = judged.verdict.correct;
                    // A challenge's fix that holds passes the attempt.
                    if correct && challenge && tried.is_some() {
                        on_update.emit(Update::Passed(lesson_id.clone(), index));
                    }
                    on_update.emit(Update::Answered(lesson_id.clone(), index, correct));
                    if correct {
                        reveal(&q, &moment, &scene.timeline, &on_reveal);
                    }
                    let now = latest.borrow().clone();
                    seen.set(Seen {
                        judged: Some(judged),
                        tried: tried.or(now.tried.clone()),
                        running: false,
                        ..now
                    });
                },
            )
        };
        Callback::from(move |answer: Answer| {
            // A fix: the learner's setup runs in the engine's worker, and plays on the stage,
            // refused or working, when its run comes back.
            if let (Answer::Changes(c), Some(fix)) = (&answer, q.ask.fix_it(&scene.scenario)) {
                let tried = Some(c.clone());
                let setup = match fix.apply(c) {
                    Ok(setup) => setup,
                    Err(why) => {
                        let wrong = crate::lessons::Verdict::wrong(tp(
                            Msg::FeedbackCannotSet,
                            &[("why", &why)],
                        ));
                        return finish(wrong.into(), tried);
                    }
                };
                // Until its run answers, the verdict on an earlier try is not shown.
                seen.set(Seen {
                    running: true,
                    judged: None,
                    ..latest.borrow().clone()
                });
                let run = crate::lessons::fix::Run::of(setup.clone(), &fix.goals);
                let (finish, scene, on_run, runs, alive) = (
                    finish.clone(),
                    scene.clone(),
                    on_run.clone(),
                    runs.clone(),
                    alive.clone(),
                );
                crate::ui::engine::run(&run, move |result| {
                    if !*alive.borrow() {
                        return;
                    }
                    let verdict = match result {
                        Ok((results, recording)) => {
                            *runs.borrow_mut() += 1;
                            on_run.emit(Scene::played(scene.id, setup, recording, *runs.borrow()));
                            fix.verdict(&results)
                        }
                        Err(why) => crate::lessons::Verdict::wrong(tp(
                            Msg::FixCouldNotRun,
                            &[("why", &why)],
                        )),
                    };
                    finish(verdict.into(), tried);
                });
                return;
            }
            let judged = q
                .ask
                .judge(&moment, &scene.timeline, &scene.scenario, &answer)
                .unwrap_or_else(|e| {
                    Judged::from(crate::lessons::Verdict {
                        correct: false,
                        feedback: tp(Msg::QuestionUncheckable, &[("why", &e.to_string())]),
                    })
                });
            finish(judged, None);
        })
    };
    use_table_pick(props.picked.clone(), &q.ask, &submit);
    let asked = match &q.ask {
        // The challenges' page asks only a challenge's questions.
        Ask::Predict { .. } | Ask::Fill { .. } | Ask::Choose { .. } if crate::CHALLENGE_PAGE => {
            Html::default()
        }
        Ask::Predict { .. } => predict_inputs(&submit),
        Ask::Fill {
            host,
            socket,
            solution,
            ..
        } => fill_inputs(host, *socket, solution, seen.judged.as_ref(), &submit),
        Ask::Choose { options, .. } => choose_inputs(options, &submit),
        // A challenge's: in the challenges' build only (the lessons' build sends a challenge
        // there).
        #[cfg(feature = "challenge")]
        Ask::Diagnose { causes, .. } => diagnose_inputs(causes, &submit),
        #[cfg(not(feature = "challenge"))]
        Ask::Diagnose { .. } => Html::default(),
        Ask::Fix { controls, .. } => fix_inputs(
            controls,
            &base.borrow(),
            seen.tried.as_ref(),
            seen.running,
            &submit,
        ),
    };
    // Why the answer is right, once the learner has it (never before: it says the answer).
    let answered = seen.solution || seen.judged.as_ref().is_some_and(|j| j.verdict.correct);
    let explain = q
        .explain
        .as_ref()
        .filter(|_| answered)
        .map(|e| e.get(crate::i18n::lang()).to_string());
    let prompt_id = format!("q-{}-{index}", lesson_id);
    // A question about which process holds a socket keeps the tables' process row, which a
    // phone otherwise leaves to the stage.
    let about_process = matches!(
        &q.ask,
        Ask::Choose {
            fact: crate::lessons::Fact::Pid { .. },
            ..
        }
    );
    html! {
        <section class="question" aria-labelledby={prompt_id.clone()}>
            <h3 id={prompt_id}>
                <span class="question-kind">{ kind_name(&q.ask) }</span>
                { q.prompt.get(crate::i18n::lang()).to_string() }
            </h3>
            if before && seen.judged.is_none() {
                <p class="answered-before">{ t(Msg::QuestionBefore) }</p>
            }
            <div class={classes!("question-tables", about_process.then_some("about-process"))}>{ props.tables.clone() }</div>
            { asked }
            <div class="feedback-live" role="status" aria-live="polite">
                if let Some(j) = &seen.judged {
                    <p class={classes!("feedback", if j.verdict.correct { "right" } else { "wrong" })}>
                        <strong>{ t(if j.verdict.correct { Msg::QuestionRight } else { Msg::QuestionWrong }) }</strong>
                        { crate::ui::lesson::inline(&j.verdict.feedback, false) }
                        if !j.verdict.correct { { t(Msg::QuestionTryAgain) } }
                    </p>
                }
            </div>
            if let Some(explain) = explain {
                <div class="explain"><strong>{ t(Msg::QuestionWhy) }</strong>{ crate::ui::lesson::rich(&explain) }</div>
            }
            { help(q, &seen, props, &lesson_id, index) }
        </section>
    }
}

/// A socket tapped in a table answers a predict question; a tap made before the question
/// was shown does not.
#[hook]
fn use_table_pick(picked: Option<(u32, Pick)>, ask: &Ask, submit: &Callback<Answer>) {
    let at_mount = use_mut_ref(|| picked.as_ref().map(|(n, _)| *n));
    let predict = !crate::CHALLENGE_PAGE && matches!(ask, Ask::Predict { .. });
    let submit = submit.clone();
    let count = picked.as_ref().map(|(n, _)| *n);
    use_effect_with(count, move |_| {
        if let (true, Some((n, pick))) = (predict, picked) {
            if *at_mount.borrow() != Some(n) {
                submit.emit(Answer::Pick(pick));
            }
        }
    });
}

/// The hints, one at a time, then "Show solution".
fn help(
    q: &Question,
    seen: &UseStateHandle<Seen>,
    props: &QuestionProps,
    lesson: &str,
    index: usize,
) -> Html {
    let more_hints = seen.hints < q.hints.len();
    let on_hint = {
        let (seen, u, l) = (seen.clone(), props.on_update.clone(), lesson.to_string());
        Callback::from(move |_: MouseEvent| {
            u.emit(Update::Hinted(l.clone(), index));
            seen.set(Seen {
                hints: seen.hints + 1,
                ..(*seen).clone()
            });
        })
    };
    let on_solution = {
        let (seen, u, l) = (seen.clone(), props.on_update.clone(), lesson.to_string());
        let (q, moment, scene, on_reveal) = (
            q.clone(),
            props.at.step().at.clone(),
            props.scene.clone(),
            props.on_reveal.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            u.emit(Update::Shown(l.clone(), index));
            reveal(&q, &moment, &scene.timeline, &on_reveal);
            seen.set(Seen {
                solution: true,
                ..(*seen).clone()
            });
        })
    };
    let solution = q.ask.solution().describe(&q.ask, &props.scene.scenario);
    html! {
        <div class="help">
            if seen.hints > 0 {
                <ol class="hints" aria-label={t(Msg::QuestionHints)}>
                    { for q.hints.iter().take(seen.hints).map(|h| html! { <li>{ crate::ui::lesson::rich(h.get(crate::i18n::lang())) }</li> }) }
                </ol>
            }
            if seen.solution {
                <p class="solution" role="status"><strong>{ t(Msg::QuestionSolution) }</strong>{ solution }</p>
            } else if more_hints {
                <button class="button small" onclick={on_hint}>{ tp(Msg::QuestionHintN, &[("n", &(seen.hints + 1).to_string()), ("of", &q.hints.len().to_string())]) }</button>
            } else {
                <button class="button small" onclick={on_solution}>{ t(Msg::QuestionShowSolution) }</button>
            }
        </div>
    }
}

/// After a predict question: play on until the segment arrives, and light up the socket
/// that got it.
fn reveal(
    q: &Question,
    moment: &Moment,
    timeline: &Timeline,
    on_reveal: &Callback<(Instant, Option<(HostId, SockId)>)>,
) {
    let (Ask::Predict { .. }, Moment::BeforeSegment(n)) = (&q.ask, moment) else {
        return;
    };
    if crate::CHALLENGE_PAGE {
        return;
    }
    let predict = crate::lessons::Predict { segment: *n };
    let Ok(i) = moment.resolve(timeline) else {
        return;
    };
    let arrives = timeline.events()[i].at;
    let after = timeline.seek_events(i + 1);
    let socket = match predict.answer(timeline) {
        Ok((Pick::Socket { host, socket }, _)) => after
            .host(&host)
            .and_then(|h| Some((h.id, h.numbered(socket)?.sock))),
        _ => None,
    };
    on_reveal.emit((arrives, socket));
}

fn kind_name(ask: &Ask) -> Rc<str> {
    t(match ask {
        Ask::Predict { .. } => Msg::QuestionPredict,
        Ask::Fill { .. } => Msg::QuestionFill,
        Ask::Choose { .. } => Msg::QuestionChoose,
        Ask::Fix { .. } => Msg::QuestionFix,
        Ask::Diagnose { .. } => Msg::QuestionDiagnose,
    })
}

/// The sockets are the answers: each one's name in its host's table is a button. Besides
/// them, "no socket" (the host answers RST).
fn predict_inputs(submit: &Callback<Answer>) -> Html {
    let none = {
        let submit = submit.clone();
        Callback::from(move |_: MouseEvent| submit.emit(Answer::Pick(Pick::NoSocket)))
    };
    html! {
        <div class="choices predict" role="group" aria-label={t(Msg::QuestionSockets)}>
            <p class="choices-how">{ t(Msg::QuestionTapSocket) }</p>
            <button class="choice" onclick={none}>
                <strong>{ t(Msg::QuestionNoSocket) }</strong>
                <span class="choice-detail">{ t(Msg::QuestionRst) }</span>
            </button>
        </div>
    }
}

/// A labelled field for each cell asked, marked right or wrong once checked.
fn fill_inputs(
    host: &str,
    socket: usize,
    asked: &VecMap<Cell, String>,
    judged: Option<&Judged>,
    submit: &Callback<Answer>,
) -> Html {
    let onsubmit = {
        let submit = submit.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let form: web_sys::HtmlFormElement = e.target_unchecked_into();
            let mut given = VecMap::new();
            let elements = form.elements();
            for i in 0..elements.length() {
                let Some(input) = elements.item(i).and_then(|el| {
                    wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(el).ok()
                }) else {
                    continue;
                };
                if let Some(cell) = CELLS
                    .iter()
                    .find(|(_, name)| *name == input.name())
                    .map(|(c, _)| *c)
                {
                    given.insert(cell, input.value());
                }
            }
            submit.emit(Answer::Cells(given));
        })
    };
    html! {
        <form class="fill" {onsubmit}>
            <p class="fill-what">{ tp(Msg::QuestionFillWhat, &[("host", &host_name(host)), ("n", &socket.to_string())]) }</p>
            <p class="fill-none">{ t(Msg::QuestionFillNone) }</p>
            { for asked.keys().map(|cell| {
                let name = CELLS.iter().find(|(c, _)| c == cell).map_or("", |(_, n)| n);
                let mark = judged.and_then(|j| j.cells.get(cell).copied());
                html! {
                    <label class={classes!("cell-field", mark.map(|ok| if ok { "right" } else { "wrong" }))} key={name}>
                        <span>{ row_label(cell.row()) }</span>
                        <input name={name} autocomplete="off" spellcheck="false" aria-invalid={mark.map(|ok| (!ok).to_string())} />
                        if let Some(ok) = mark {
                            <span class="mark">{ t(if ok { Msg::QuestionCellRight } else { Msg::QuestionCellWrong }) }</span>
                        }
                    </label>
                }
            }) }
            <button class="button primary" type="submit">{ t(Msg::QuestionCheck) }</button>
        </form>
    }
}

/// Each cell a form field can ask for, by the field's name.
const CELLS: &[(Cell, &str)] = &[
    (Cell::Transport, "transport"),
    (Cell::SourcePort, "source_port"),
    (Cell::SourceAddr, "source_addr"),
    (Cell::DestPort, "dest_port"),
    (Cell::DestAddr, "dest_addr"),
    (Cell::State, "state"),
];

/// A challenge's causes, by name; the answer is the cause's key.
#[cfg(feature = "challenge")]
fn diagnose_inputs(causes: &[crate::lessons::file::Cause], submit: &Callback<Answer>) -> Html {
    html! {
        <div class="choices causes" role="group" aria-label={t(Msg::QuestionOptions)}>
            { for causes.iter().map(|c| {
                let (submit, key) = (submit.clone(), c.answer.clone());
                html! {
                    <button class="choice" key={c.answer.clone()} onclick={Callback::from(move |_: MouseEvent| submit.emit(Answer::Choice(key.clone())))}>
                        <strong>{ c.name.get(crate::i18n::lang()).to_string() }</strong>
                    </button>
                }
            }) }
        </div>
    }
}

fn choose_inputs(options: &[String], submit: &Callback<Answer>) -> Html {
    html! {
        <div class="choices" role="group" aria-label={t(Msg::QuestionOptions)}>
            { for options.iter().map(|o| {
                let (submit, o2) = (submit.clone(), o.clone());
                html! {
                    <button class="choice" key={o.clone()} onclick={Callback::from(move |_: MouseEvent| submit.emit(Answer::Choice(o2.clone())))}>
                        <strong>{ o.clone() }</strong>
                    </button>
                }
            }) }
        </div>
    }
}

/// The controls a user has, set as the setup has them now, and "Run it".
fn fix_inputs(
    controls: &[Control],
    scene: &Scene,
    tried: Option<&crate::lessons::Changes>,
    running: bool,
    submit: &Callback<Answer>,
) -> Html {
    let onsubmit = {
        let submit = submit.clone();
        let count = controls.len();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let form: web_sys::HtmlFormElement = e.target_unchecked_into();
            let elements = form.elements();
            let mut changes = VecMap::new();
            for i in 0..count {
                let Some(el) = elements.named_item(&format!("control-{i}")) else {
                    continue;
                };
                let value = if let Some(cb) =
                    wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlInputElement>(&el)
                        .filter(|c| c.type_() == "checkbox")
                {
                    if cb.checked() { "on" } else { "off" }.to_string()
                } else if let Some(input) =
                    wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlInputElement>(&el)
                {
                    input.value()
                } else if let Some(select) =
                    wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlSelectElement>(&el)
                {
                    select.value()
                } else {
                    continue;
                };
                changes.insert(i, value);
            }
            submit.emit(Answer::Changes(changes));
        })
    };
    let s = &scene.scenario;
    html! {
        <form class="fix" {onsubmit}>
            { for controls.iter().enumerate().map(|(i, c)| {
                // The learner's last try stays in the controls; before one, the setup's values.
                let now = tried.and_then(|t| t.get(&i).cloned()).unwrap_or_else(|| c.current(s));
                let (name, label) = (format!("control-{i}"), c.label(s));
                match c {
                    Control::ListenPort { .. } | Control::ConnectPort { .. } => html! {
                        <label class="control" key={i}>
                            <span>{ label }</span>
                            <input {name} type="number" inputmode="numeric" min="1" max="65535" value={now} />
                        </label>
                    },
                    // The setup's hosts, and the address it has now if that is none of them.
                    Control::ConnectHost { .. } => html! {
                        <label class="control" key={i}>
                            <span>{ label }</span>
                            <select {name}>
                                if !s.hosts.iter().any(|h| h.name == now) {
                                    <option value={now.clone()} selected=true>{ now.clone() }</option>
                                }
                                { for s.hosts.iter().map(|h| html! {
                                    <option value={h.name.clone()} selected={h.name == now}>{ format!("{} ({})", crate::view::scenes::host_name(&h.name), h.ip) }</option>
                                }) }
                            </select>
                        </label>
                    },
                    Control::Program { .. } => html! {
                        <label class="control" key={i}>
                            <span>{ label }</span>
                            <select {name}>
                                { for PROGRAMS.iter().map(|(p, _)| html! { <option value={*p} selected={*p == now}>{ *p }</option> }) }
                            </select>
                        </label>
                    },
                    Control::FirewallRule { .. } => html! {
                        <label class="control check" key={i}>
                            <input {name} type="checkbox" checked={now == "on"} />
                            <span>{ tp(Msg::QuestionRuleOn, &[("label", &label)]) }</span>
                        </label>
                    },
                }
            }) }
            <button class="button primary" type="submit" disabled={running} aria-busy={running.then_some("true")}>
                { t(if running { Msg::QuestionRunning } else { Msg::QuestionRun }) }
            </button>
        </form>
    }
}
