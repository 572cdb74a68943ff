//! Component tests in headless Chromium: each kind of question renders, rejects a wrong answer
//! with feedback about it, accepts the right one, and tells the lesson (progress; for a
//! prediction, the moment and socket to play on to; for a fix, the learner's own run to show).
//! Hints come one at a time, then the solution; the explanation only after the answer.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use socketlab::engine::time::Instant;
use socketlab::ui::components::question::{QuestionProps, QuestionView};
use socketlab::ui::lesson::LessonAt;
use socketlab::ui::scenes::Scene;
use socketlab::ui::store::Update;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use yew::Callback;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "common/recordings.rs"]
mod recordings;

/// What the question told the lesson.
#[derive(Default)]
struct Told {
    updates: Vec<Update>,
    reveals: Vec<Instant>,
    /// The learner's own runs shown: each one's port curl connects to, and its run number.
    runs: Vec<u32>,
}

/// The question of lesson `id`'s step `step` (from 0), mounted alone, and its props (for a test
/// that changes them: a socket tapped in a table).
fn mount_with(
    id: &str,
    step: usize,
) -> (
    web_sys::Element,
    Rc<RefCell<Told>>,
    yew::AppHandle<QuestionView>,
    QuestionProps,
) {
    mount_drawn(id, step, None)
}

/// The same, for a challenge: the lesson that `seed` draws.
fn mount_drawn(
    id: &str,
    step: usize,
    seed: Option<u64>,
) -> (
    web_sys::Element,
    Rc<RefCell<Told>>,
    yew::AppHandle<QuestionView>,
    QuestionProps,
) {
    // The English catalog and the lessons' words, as the page loads them before the app starts
    // and when a lesson opens.
    socketlab::i18n::install_source("en", include_str!("../locales/en.json")).unwrap();
    recordings::install();
    socketlab::i18n::install_lessons_source("en", include_str!("../locales/lessons/en.json"))
        .unwrap();
    socketlab::i18n::install_scenes_source("en", include_str!("../locales/scenes/en.json"))
        .unwrap();
    let mut lessons = socketlab::ui::lesson::in_page();
    let index = lessons.iter().position(|l| l.id == id).unwrap();
    let scene = Scene::load(Scene::index_of(&lessons[index].scenario).unwrap()).unwrap();
    let drawn = seed.map(|seed| {
        let drawn = socketlab::lessons::challenge::Drawn::of(seed);
        let setup = socketlab::lessons::challenge::setup(&scene.scenario, drawn).unwrap();
        let lesson =
            socketlab::lessons::challenge::lesson(&lessons[index], drawn.fault, &setup).unwrap();
        lessons[index] = lesson;
        (seed, scene.clone())
    });
    let lessons = Rc::new(lessons);
    let told = Rc::new(RefCell::new(Told::default()));
    let props = QuestionProps {
        at: LessonAt {
            lessons,
            index,
            step,
            progress: Rc::new(socketlab::lessons::Progress::new()),
            drawn,
        },
        scene,
        picked: None,
        on_update: {
            let told = told.clone();
            Callback::from(move |u| told.borrow_mut().updates.push(u))
        },
        on_reveal: {
            let told = told.clone();
            Callback::from(move |(t, _)| told.borrow_mut().reveals.push(t))
        },
        tables: yew::Html::default(),
        on_run: {
            let told = told.clone();
            Callback::from(move |s: Rc<Scene>| told.borrow_mut().runs.push(s.run))
        },
    };
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let app =
        yew::Renderer::<QuestionView>::with_root_and_props(root.clone(), props.clone()).render();
    (root, told, app, props)
}

/// The question of lesson `id`'s step `step` (from 0), mounted alone.
fn mount(id: &str, step: usize) -> (web_sys::Element, Rc<RefCell<Told>>) {
    let (root, told, _, _) = mount_with(id, step);
    (root, told)
}

/// Click the button whose text starts with `text`.
fn click(root: &web_sys::Element, text: &str) {
    let buttons = root.query_selector_all("button").unwrap();
    let button = (0..buttons.length())
        .filter_map(|i| buttons.item(i))
        .find(|b| b.text_content().is_some_and(|t| t.trim().starts_with(text)))
        .unwrap_or_else(|| panic!("no button \"{text}\""));
    button.unchecked_into::<web_sys::HtmlElement>().click();
}

fn set(root: &web_sys::Element, name: &str, value: &str) {
    let input = root
        .query_selector(&format!("[name={name}]"))
        .unwrap()
        .unwrap_or_else(|| panic!("no field {name}"));
    input
        .unchecked_into::<web_sys::HtmlInputElement>()
        .set_value(value);
}

fn submit(root: &web_sys::Element) {
    let form = root.query_selector("form").unwrap().unwrap();
    form.unchecked_into::<web_sys::HtmlFormElement>()
        .request_submit()
        .unwrap();
}

/// The feedback shown: whether it says right, and its words.
fn feedback(root: &web_sys::Element) -> (bool, String) {
    let p = root.query_selector(".feedback").unwrap().expect("feedback");
    (
        p.get_attribute("class")
            .is_some_and(|c| c.split(' ').any(|c| c == "right")),
        p.text_content().unwrap_or_default(),
    )
}

fn answered(told: &Rc<RefCell<Told>>) -> Vec<bool> {
    told.borrow()
        .updates
        .iter()
        .filter_map(|u| match u {
            Update::Answered(_, _, ok) => Some(*ok),
            _ => None,
        })
        .collect()
}

#[wasm_bindgen_test]
async fn predict_takes_a_socket_tapped_in_a_table_and_plays_on_to_the_arrival_when_right() {
    let (root, told, mut app, props) = mount_with("new-socket-per-connection", 1);
    yew::scheduler::flush().await;
    // "No socket" is a button of the question's own; the sockets are the tables' names.
    click(&root, "No socket");
    yew::scheduler::flush().await;
    let (right, words) = feedback(&root);
    assert!(!right, "{words}");
    assert!(words.contains("Not quite."), "{words}");
    assert!(
        root.query_selector(".explain").unwrap().is_none(),
        "no explanation before the answer"
    );
    let tapped = |n: u32, socket: usize| QuestionProps {
        picked: Some((
            n,
            socketlab::lessons::Pick::Socket {
                host: "Server".into(),
                socket,
            },
        )),
        ..props.clone()
    };
    app.update(tapped(0, 1));
    yew::scheduler::flush().await;
    assert!(feedback(&root)
        .1
        .contains("The listener only receives new connections"));
    app.update(tapped(1, 2));
    yew::scheduler::flush().await;
    let (right, words) = feedback(&root);
    assert!(right, "{words}");
    assert_eq!(answered(&told), [false, false, true]);
    assert_eq!(told.borrow().reveals.len(), 1, "it plays on to the arrival");
    let explain = root
        .query_selector(".explain")
        .unwrap()
        .expect("why, once answered");
    assert!(explain.text_content().unwrap().contains("4-tuple"));
    root.remove();
}

/// A challenge's diagnosis: every cause by its name; a wrong one hears what that fault would
/// have shown, the drawn one is right and explained by its own words. (Seed 13 draws a firewall
/// that drops: tests/data/challenge-seeds.json.)
#[wasm_bindgen_test]
async fn diagnose_offers_every_cause_and_only_the_drawn_fault_is_right() {
    let (root, told, _, _) = mount_drawn("whats-wrong", 1, Some(13));
    yew::scheduler::flush().await;
    assert_eq!(
        root.query_selector_all(".choices .choice")
            .unwrap()
            .length(),
        6
    );
    click(&root, "A firewall rejects the SYN");
    yew::scheduler::flush().await;
    let (right, words) = feedback(&root);
    assert!(!right && words.contains("port unreachable"), "{words}");
    click(&root, "A firewall drops the SYN");
    yew::scheduler::flush().await;
    let (right, words) = feedback(&root);
    assert!(right, "{words}");
    assert_eq!(answered(&told), [false, true]);
    let explain = root.query_selector(".explain").unwrap().expect("why");
    assert!(explain.text_content().unwrap().contains("ETIMEDOUT"));
    root.remove();
}

#[wasm_bindgen_test]
async fn fill_marks_each_cell_and_accepts_the_snapshots_values() {
    let (root, told) = mount("new-socket-per-connection", 0);
    yew::scheduler::flush().await;
    set(&root, "source_port", "10378");
    set(&root, "dest_port", "80");
    set(&root, "dest_addr", "192.168.1.101");
    submit(&root);
    yew::scheduler::flush().await;
    let (right, words) = feedback(&root);
    assert!(!right);
    assert!(words.contains("Source Port is not 10378"), "{words}");
    assert_eq!(
        root.query_selector_all(".cell-field.wrong")
            .unwrap()
            .length(),
        2
    );
    assert_eq!(
        root.query_selector_all(".cell-field.right")
            .unwrap()
            .length(),
        1
    );
    set(&root, "source_port", "80");
    set(&root, "dest_port", "10378");
    submit(&root);
    yew::scheduler::flush().await;
    assert!(feedback(&root).0);
    assert_eq!(answered(&told), [false, true]);
    root.remove();
}

#[wasm_bindgen_test]
async fn choose_rejects_the_slides_typo_and_accepts_27017() {
    let (root, told) = mount("well-known-ports", 2);
    yew::scheduler::flush().await;
    click(&root, "27107");
    yew::scheduler::flush().await;
    let (right, words) = feedback(&root);
    assert!(!right);
    assert!(
        words.contains("27107 is the number on the slide, and it is a typo"),
        "{words}"
    );
    click(&root, "27017");
    yew::scheduler::flush().await;
    assert!(feedback(&root).0);
    assert_eq!(answered(&told), [false, true]);
    root.remove();
}

#[wasm_bindgen_test]
async fn fix_it_runs_the_changed_setup() {
    let (root, told) = mount("connection-refused", 1);
    yew::scheduler::flush().await;
    let port = root.query_selector("[name=control-0]").unwrap().unwrap();
    assert_eq!(
        port.unchecked_ref::<web_sys::HtmlInputElement>().value(),
        "8080",
        "the setup as it is"
    );
    set(&root, "control-0", "8081");
    submit(&root);
    yew::scheduler::flush().await;
    let (right, words) = feedback(&root);
    assert!(!right);
    assert!(
        words.contains("curl still fails: connect: ECONNREFUSED"),
        "{words}"
    );
    // The learner's value stays, and their setup is shown on the stage.
    let port = root.query_selector("[name=control-0]").unwrap().unwrap();
    assert_eq!(
        port.unchecked_ref::<web_sys::HtmlInputElement>().value(),
        "8081"
    );
    assert_eq!(told.borrow().runs, [1]);
    set(&root, "control-0", "8099");
    submit(&root);
    yew::scheduler::flush().await;
    let (right, words) = feedback(&root);
    assert!(right, "{words}");
    assert!(words.contains("It works: curl connected and got its reply."));
    assert_eq!(answered(&told), [false, true]);
    assert_eq!(told.borrow().runs, [1, 2], "each run a scene of its own");
    root.remove();
}

#[wasm_bindgen_test]
async fn hints_come_one_at_a_time_then_the_solution() {
    let (root, told) = mount("new-socket-per-connection", 0);
    yew::scheduler::flush().await;
    click(&root, "Show a hint (1 of 2)");
    yew::scheduler::flush().await;
    click(&root, "Show a hint (2 of 2)");
    yew::scheduler::flush().await;
    assert_eq!(root.query_selector_all(".hints li").unwrap().length(), 2);
    click(&root, "Show solution");
    yew::scheduler::flush().await;
    let solution = root.query_selector(".solution").unwrap().unwrap();
    assert_eq!(
        solution.text_content().unwrap(),
        "Solution: Source Port: 80; Destination Port: 10378; Destination IP Addr: 192.168.1.101"
    );
    let updates = &told.borrow().updates;
    assert_eq!(updates.len(), 3);
    assert!(matches!(updates[2], Update::Shown(_, 0)));
    root.remove();
}
