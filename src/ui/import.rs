//! The import's page (`?import`): the learner's own traffic, as the course draws it.
//!
//! - **A pasted socket list** (`ss -tan`, `netstat -an`, `lsof -i`, `Get-NetTCPConnection`) is
//!   read in the page (`crate::socklist`) and drawn as the course's tables, one per local
//!   address, each row explained.
//! - **A capture file** (pcap, pcapng) is read in the capture's worker (`socketlab-capture`,
//!   started when the first file opens), with a progress bar; the page shows what the file
//!   holds, the part chosen (the first connections, or a time window), the hosts, and the
//!   packets one by one (or playing, at their recorded times, scaled) beside every host's socket
//!   table as the packets show it (`crate::capture`).
//!
//! What the learner has opened or pasted is kept for the page's life (`KEPT`), so that drawing
//! the page again in another language keeps it. Nothing is sent anywhere.

use std::cell::RefCell;
use std::net::{IpAddr, SocketAddr};
use std::rc::Rc;

use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use yew::prelude::*;

use crate::capture::infer::{Change, Proto as CapProto, Row as CapRow, Side, Sock};
use crate::capture::read::{Format, Transport, ACK, FIN, RST, SYN};
use crate::capture::shown::{self, Cut, Shown, ShownPacket, FIRST_CONNECTIONS, MOST_SHOWN};
use crate::capture::staged::{self, NotStaged, Said};
use crate::capture::{Refused, Seen, Skip, Stop};
use crate::engine::ports::PortClass;
use crate::engine::socket::SockState;
use crate::i18n::{t, tn, tp, Msg};
use crate::socklist::{self, Listing, Note, Tool};
use crate::ui::route::Route;
use crate::ui::WorkshopRun;
use crate::view::scenes::{Line, Scene};

/// The capture worker's script, as Trunk writes it (`index.html`: `data-bin="socketlab-capture"`).
const SCRIPT: &str = "socketlab-capture_loader.js";

/// The most of a file read: a bigger one is read up to here, and the page says so.
const MOST_FILE_BYTES: f64 = 256.0 * 1024.0 * 1024.0;

/// Speeds the capture plays at, and how long the shown part lasts at 1× (seconds).
const SPEEDS: [f64; 4] = [0.5, 1.0, 2.0, 4.0];

/// What the page shows, kept across a redraw in another language.
#[derive(Clone, Default, PartialEq)]
pub struct State {
    text: String,
    listing: Option<Rc<Listing>>,
    /// The paste box was read and was empty.
    empty: bool,
    file: Option<String>,
    /// The share of the file read, while it is read.
    reading: Option<f64>,
    /// Requests sent to the worker and not answered yet: only the answer to the last is shown.
    pending: usize,
    shown: Option<Rc<Shown>>,
    /// Why the last file or cut shows nothing: one sentence.
    problem: Option<String>,
    /// Whether the file was bigger than the page reads.
    file_cut: bool,
    /// How many of the shown packets have been seen (0: before the first).
    at: usize,
    playing: bool,
    /// The speed chosen, by its place in [`SPEEDS`]; none: 1×.
    speed: Option<usize>,
    names: Rc<Vec<(IpAddr, String)>>,
    cut_problem: bool,
    /// The tables of the hosts the packet shown is not between are open.
    others_open: bool,
    /// The part shown, on the player's stage, with what the stage leaves out (not kept: it is
    /// made again in the page's language when the page is drawn anew).
    stage: Option<(Rc<Scene>, Option<String>)>,
    /// The learner is on the stage.
    on_stage: bool,
    /// Why the part cannot be played on the stage: one sentence.
    stage_problem: Option<String>,
    /// How many times a part has been put on the stage: each a run of its own.
    runs: u32,
}

thread_local! {
    static KEPT: RefCell<Option<State>> = const { RefCell::new(None) };
    static WORKER: RefCell<Option<CaptureWorker>> = const { RefCell::new(None) };
    /// Where the worker's messages go: the page on screen now.
    static LISTENER: RefCell<Option<Callback<Act>>> = const { RefCell::new(None) };
}

pub enum Act {
    Text(String),
    Read,
    Opening(String, bool),
    /// A part of the open file was asked for.
    Asking,
    Progress(f64),
    Answer(Vec<u8>),
    Failed(String),
    Go(usize),
    Play(bool),
    Tick,
    Speed(usize),
    Name(IpAddr, String),
    CutProblem,
    Others(bool),
    /// Play the part shown on the stage (true), or come back from it.
    Stage(bool),
}

impl Reducible for State {
    type Action = Act;
    fn reduce(self: Rc<Self>, act: Act) -> Rc<Self> {
        let mut s = (*self).clone();
        match act {
            Act::Text(text) => s.text = text,
            Act::Read => {
                s.empty = s.text.trim().is_empty();
                s.listing = (!s.empty).then(|| Rc::new(socklist::read(&s.text)));
            }
            Act::Opening(name, cut) => {
                s.file = Some(name);
                s.file_cut = cut;
                s.reading = Some(0.0);
                s.problem = None;
                s.shown = None;
                s.pending += 1;
            }
            Act::Asking => s.pending += 1,
            Act::Progress(p) => {
                if s.reading.is_some() {
                    s.reading = Some(p.clamp(0.0, 1.0));
                }
            }
            // An answer to a request since overtaken (a file opened while another was read, a
            // part asked for twice) is left for the last one's.
            Act::Answer(_) if s.pending > 1 => s.pending -= 1,
            Act::Answer(bytes) => {
                s.pending = 0;
                s.reading = None;
                s.cut_problem = false;
                match shown::decode_answer(&bytes) {
                    Some(Ok(shown)) => {
                        s.at = 0;
                        s.playing = false;
                        s.problem = None;
                        s.stage_problem = None;
                        s.shown = Some(Rc::new(shown));
                    }
                    Some(Err(refused)) => {
                        s.problem = Some(refused_sentence(refused));
                        s.shown = None;
                    }
                    None => s.problem = Some(tp(Msg::ImportWorkerFailed, &[("why", SCRIPT)])),
                }
            }
            Act::Failed(why) => {
                s.pending = 0;
                s.reading = None;
                // The worker is gone, and the file it held with it.
                s.shown = None;
                s.problem = Some(tp(Msg::ImportWorkerFailed, &[("why", &why)]));
            }
            Act::Go(at) => {
                let n = s.shown.as_ref().map_or(0, |x| x.shown.len());
                s.at = at.min(n);
                s.playing = s.playing && s.at < n;
            }
            Act::Play(on) => {
                let n = s.shown.as_ref().map_or(0, |x| x.shown.len());
                if on && s.at >= n {
                    s.at = 0;
                }
                s.playing = on && n > 0;
            }
            Act::Tick => {
                let n = s.shown.as_ref().map_or(0, |x| x.shown.len());
                s.at = (s.at + 1).min(n);
                s.playing = s.at < n;
            }
            Act::Speed(i) => s.speed = Some(i.min(SPEEDS.len() - 1)),
            Act::Name(ip, name) => {
                let names = Rc::make_mut(&mut s.names);
                names.retain(|(a, _)| *a != ip);
                let name = name.trim().to_string();
                if !name.is_empty() {
                    names.push((ip, name));
                }
            }
            Act::CutProblem => s.cut_problem = true,
            Act::Others(open) => s.others_open = open,
            Act::Stage(true) => {
                s.stage = None;
                s.on_stage = false;
                s.stage_problem = None;
                if let Some(shown) = s.shown.clone() {
                    s.runs += 1;
                    match stage_scene(&s, &shown) {
                        Ok(scene) => {
                            s.stage = Some(scene);
                            s.on_stage = true;
                        }
                        Err(why) => s.stage_problem = Some(why),
                    }
                }
            }
            Act::Stage(false) => {
                s.stage = None;
                s.on_stage = false;
            }
        }
        KEPT.with_borrow_mut(|k| {
            *k = Some(State {
                stage: None,
                ..s.clone()
            })
        });
        Rc::new(s)
    }
}

impl State {
    fn speed(&self) -> usize {
        self.speed.unwrap_or(1).min(SPEEDS.len() - 1)
    }

    /// The page as it was kept, with the stage made again in the page's language.
    fn kept() -> State {
        let mut s = KEPT.with_borrow(|k| k.clone()).unwrap_or_default();
        if let (true, Some(shown)) = (s.on_stage, s.shown.clone()) {
            s.stage = stage_scene(&s, &shown).ok();
            s.on_stage = s.stage.is_some();
        }
        s
    }
}

/// The part shown as a scene for the player's stage, in the page's words, with a sentence on
/// what the stage leaves out; or why it cannot be.
fn stage_scene(s: &State, shown: &Shown) -> Result<(Rc<Scene>, Option<String>), String> {
    let title = s.file.clone().unwrap_or_default();
    let st = staged::staged(shown, &title, |ip| host_name(s, ip)).map_err(|e| {
        t(match e {
            NotStaged::NoIpv4 => Msg::ImportStageNoIpv4,
            NotStaged::TooLong => Msg::ImportStageTooLong,
        })
        .to_string()
    })?;
    let mut scenario = st.scenario;
    scenario.description = Some(tp(
        Msg::ImportStageAbout,
        &[
            ("packets", &st.packets.len().to_string()),
            ("hosts", &st.hosts.len().to_string()),
        ],
    ));
    let mut notes = Vec::new();
    if st.left_out > 0 {
        let n = st.left_out.to_string();
        notes.push(tp(Msg::ImportStageLeftOut, &[("n", &n)]));
    }
    if st.beyond.0 > 0 {
        let (n, c) = (st.beyond.0.to_string(), st.beyond.1.to_string());
        let most = staged::MOST_HOSTS.to_string();
        notes.push(tp(
            Msg::ImportStageBeyond,
            &[("n", &n), ("c", &c), ("most", &most)],
        ));
    }
    if st.looped > 0 {
        let n = st.looped.to_string();
        notes.push(tp(Msg::ImportStageLoopback, &[("n", &n)]));
    }
    let notice = (!notes.is_empty()).then(|| notes.join(" "));
    let said = st.said;
    let lines = |_: &Scene| {
        said.iter()
            .map(|&(at, seg, what)| {
                let (host, text) = match what {
                    Said::Packet(k) => {
                        let p = &shown.shown[k];
                        let text = tp(
                            Msg::ImportStagePacket,
                            &[
                                ("k", &(k + 1).to_string()),
                                ("frame", &p.frame.to_string()),
                                ("ms", &format!("{:.3}", p.at as f64 / 1e3)),
                                ("packet", &packet_line(s, shown, k)),
                                ("ports", &ports_line(p)),
                            ],
                        );
                        (host_name(s, p.src.ip()), text)
                    }
                    Said::Change(i) => change_line(s, shown, &shown.inferred.changes[i]),
                };
                Line {
                    at,
                    host: host.into(),
                    text: text.into(),
                    seg,
                }
            })
            .collect()
    };
    let scene = Scene::observed(scenario, st.recording, s.runs, lines);
    Ok((scene, notice))
}

struct CaptureWorker {
    worker: web_sys::Worker,
    ready: bool,
    held: Vec<JsValue>,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

fn tell(act: Act) {
    if let Some(cb) = LISTENER.with_borrow(|l| l.clone()) {
        cb.emit(act);
    }
}

/// Send the worker a message (a file, or a cut's bytes), starting it the first time.
fn send(message: JsValue) {
    let failed = WORKER.with_borrow_mut(|slot| {
        if slot.is_none() {
            match start() {
                Ok(w) => *slot = Some(w),
                Err(why) => return Some(why),
            }
        }
        let w = slot.as_mut()?;
        if !w.ready {
            w.held.push(message);
            return None;
        }
        w.worker
            .post_message(&message)
            .err()
            .map(|_| SCRIPT.to_string())
    });
    if let Some(why) = failed {
        tell(Act::Failed(why));
    }
}

fn start() -> Result<CaptureWorker, String> {
    let worker = web_sys::Worker::new(SCRIPT).map_err(|_| SCRIPT.to_string())?;
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(|m: web_sys::MessageEvent| {
            let data = m.data();
            if let Some(share) = data.as_f64() {
                return tell(Act::Progress(share));
            }
            if let Ok(bytes) = data.dyn_into::<js_sys::Uint8Array>() {
                return tell(Act::Answer(bytes.to_vec()));
            }
            // Anything else is the worker saying it is ready: what was held goes.
            let sent = WORKER.with_borrow_mut(|w| {
                let Some(w) = w.as_mut() else { return true };
                w.ready = true;
                w.held.drain(..).all(|m| w.worker.post_message(&m).is_ok())
            });
            if !sent {
                tell(Act::Failed(SCRIPT.to_string()));
            }
        });
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(|e: web_sys::Event| {
        let said = super::engine::worker_error(&e, SCRIPT);
        // The next file starts a new worker.
        if let Some(w) = WORKER.with_borrow_mut(|w| w.take()) {
            w.worker.terminate();
        }
        tell(Act::Failed(said));
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Ok(CaptureWorker {
        worker,
        ready: false,
        held: Vec::new(),
        _on_message: on_message,
        _on_error: on_error,
    })
}

/// Open a file: the worker reads it (the page never holds its bytes).
fn open(file: web_sys::File, d: &UseReducerDispatcher<State>) {
    let cut = file.size() > MOST_FILE_BYTES;
    d.dispatch(Act::Opening(file.name(), cut));
    let blob: web_sys::Blob = if cut {
        file.slice_with_f64_and_f64(0.0, MOST_FILE_BYTES)
            .unwrap_or_else(|_| file.into())
    } else {
        file.into()
    };
    send(blob.into());
}

fn refused_sentence(r: Refused) -> String {
    match r {
        Refused::Empty => t(Msg::ImportRefusedEmpty).to_string(),
        Refused::Unreadable => t(Msg::ImportRefusedUnreadable).to_string(),
        Refused::NotKept => t(Msg::ImportRefusedNotKept).to_string(),
        Refused::NotACapture => t(Msg::ImportRefusedNotACapture).to_string(),
        Refused::DamagedHeader => t(Msg::ImportRefusedDamagedHeader).to_string(),
        Refused::Version(v) => tp(Msg::ImportRefusedVersion, &[("version", &v.to_string())]),
    }
}

#[derive(Properties, PartialEq)]
pub struct ImportProps {
    pub go: Callback<Route>,
}

#[function_component(Import)]
pub fn import(props: &ImportProps) -> Html {
    let state = use_reducer(State::kept);
    let d = state.dispatcher();
    {
        let d = d.clone();
        use_effect_with((), move |_| {
            LISTENER.with_borrow_mut(|l| *l = Some(Callback::from(move |a| d.dispatch(a))));
            || LISTENER.with_borrow_mut(|l| *l = None)
        });
    }
    // Playing: one packet after another, at their recorded times (scaled to the speed).
    {
        let d = d.clone();
        let delay = state.playing.then(|| play_delay(&state));
        use_effect_with((delay, state.at), move |(delay, _)| {
            let timer = delay
                .map(|ms| gloo::timers::callback::Timeout::new(ms, move || d.dispatch(Act::Tick)));
            move || drop(timer)
        });
    }
    if let Some((scene, notice)) = &state.stage {
        let d = d.clone();
        let run = WorkshopRun {
            scene: scene.clone(),
            back: Callback::from(move |()| {
                d.dispatch(Act::Stage(false));
                // Back where the learner left: the button that opened the stage.
                crate::ui::hooks::focus_later("import-stage".to_string());
            }),
            back_label: Msg::ImportStageBack,
            page: "&",
            summary: notice.clone(),
        };
        return html! {
            <super::app::Player params={Rc::new(crate::ui::route::Params::new())} lesson={None::<super::lesson::LessonAt>}
                on_update={Callback::noop()} go={props.go.clone()} workshop={Some(run)} />
        };
    }
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let ondrop = {
        let d = d.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if let Some(f) = e
                .data_transfer()
                .and_then(|t| t.files())
                .and_then(|f| f.get(0))
            {
                open(f, &d);
            }
        })
    };
    html! {
        <div class="shell import" data-lesson="&" {ondragover} {ondrop}>
            { super::home::own_page_header(&props.go, t(Msg::ImportTitle)) }
            <main class="import-main">
                <h2 class="sr-only">{ t(Msg::ImportTitle) }</h2>
                <p class="intro">{ t(Msg::ImportIntro) }</p>
                { capture_section(&state, &d) }
                <PastePart text={state.text.clone()} empty={state.empty} listing={state.listing.clone()} d={d.clone()} />
            </main>
        </div>
    }
}

/// How long to wait before the next packet while playing, in ms: the gap to it in the
/// capture, scaled so that the part shown lasts between 10 and 60 seconds at 1×.
fn play_delay(s: &State) -> u32 {
    let Some(shown) = &s.shown else { return 500 };
    let n = shown.shown.len();
    let first = shown.shown.first().map_or(0, |p| p.at);
    let span = (shown.shown.last().map_or(0, |p| p.at) - first).max(1) as f64;
    let total_ms = (n as f64 * 400.0).clamp(10_000.0, 60_000.0);
    let gap = match s.at {
        0 => 0.0,
        k if k < n => (shown.shown[k].at - shown.shown[k - 1].at).max(0) as f64,
        _ => 0.0,
    };
    let ms = (gap / span * total_ms).clamp(120.0, 3_000.0) / SPEEDS[s.speed()];
    ms as u32
}

// ---- the capture ---------------------------------------------------------------------------

fn capture_section(s: &State, d: &UseReducerDispatcher<State>) -> Html {
    let onchange = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Some(f) = input.files().and_then(|f| f.get(0)) {
                open(f, &d);
            }
            input.set_value("");
        })
    };
    html! {
        <section class="card import-capture" aria-labelledby="capture-title">
            <h2 id="capture-title">{ t(Msg::ImportCaptureTitle) }</h2>
            <p>{ t(Msg::ImportCaptureText) }</p>
            <label class="button primary file-button">
                { t(Msg::ImportCaptureOpen) }
                <input type="file" class="sr-only" accept=".pcap,.pcapng,.cap,application/vnd.tcpdump.pcap" {onchange} />
            </label>
            <p class="import-drop">{ t(Msg::ImportCaptureDrop) }</p>
            if let Some(share) = s.reading {
                <div class="import-reading" role="status">
                    <label for="capture-progress">{ tp(Msg::ImportCaptureReading, &[("name", s.file.as_deref().unwrap_or(""))]) }</label>
                    <progress id="capture-progress" max="1" value={share.to_string()}></progress>
                </div>
            }
            if let Some(p) = &s.problem {
                <p class="notice import-problem" role="alert">{ p.clone() }</p>
            }
            if let (Some(shown), None) = (&s.shown, s.reading) {
                { capture_view(s, shown, d) }
            }
        </section>
    }
}

fn format_name(f: Format) -> &'static str {
    match f {
        Format::Pcap => "pcap",
        Format::PcapNg => "pcapng",
    }
}

fn seconds(us: i64) -> String {
    format!("{:.3}", us as f64 / 1e6)
}

fn capture_view(s: &State, shown: &Rc<Shown>, d: &UseReducerDispatcher<State>) -> Html {
    let name = s.file.clone().unwrap_or_default();
    let summary = tp(
        Msg::ImportCaptureSummary,
        &[
            ("name", &name),
            ("format", format_name(shown.format)),
            ("frames", &shown.frames.to_string()),
            ("packets", &shown.packets.to_string()),
            ("connections", &shown.connections.to_string()),
            ("hosts", &shown.hosts.to_string()),
            ("seconds", &seconds(shown.span)),
        ],
    );
    let skipped: Vec<String> = shown
        .skipped
        .iter()
        .map(|&(why, n)| skip_line(why, n))
        .collect();
    html! {
        <div class="import-result">
            <p class="import-summary" role="status">{ summary }</p>
            if s.file_cut {
                <p class="notice">{ t(Msg::ImportCaptureFileCut) }</p>
            }
            // (A file the page read only the beginning of ends inside a packet: said above.)
            if let Some(stop) = shown.stop.filter(|st| !(s.file_cut && matches!(st, Stop::Truncated { .. }))) {
                <p class="notice" role="alert">{ stop_sentence(stop) }</p>
            }
            if shown.out_of_order > 0 {
                <p class="notice">{ tn(Msg::ImportCaptureOutOfOrder, shown.out_of_order as u64, &[("n", &shown.out_of_order.to_string())]) }</p>
            }
            if !skipped.is_empty() {
                <div class="import-skipped">
                    <p>{ tn(Msg::ImportSkippedTitle, shown.frames.saturating_sub(shown.packets) as u64, &[("n", &shown.frames.saturating_sub(shown.packets).to_string())]) }</p>
                    <ul>{ for skipped.into_iter().map(|l| html! { <li>{ l }</li> }) }</ul>
                </div>
            }
            <CutPart shown={shown.clone()} problem={s.cut_problem} d={d.clone()} />
            if shown.shown.is_empty() {
                <p>{ t(Msg::ImportCaptureNothing) }</p>
            } else {
                <HostsPart shown={shown.clone()} names={s.names.clone()} d={d.clone()} />
                { stage_part(s, d) }
                { stepper(s, shown, d) }
            }
        </div>
    }
}

/// The way to the player's stage, and why the part cannot go there if it cannot.
fn stage_part(s: &State, d: &UseReducerDispatcher<State>) -> Html {
    let onclick = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Act::Stage(true)))
    };
    html! {
        <div class="import-stage">
            <button class="button primary" id="import-stage" {onclick}>{ t(Msg::ImportStagePlay) }</button>
            <p class="hint">{ t(Msg::ImportStagePlayHint) }</p>
            if let Some(why) = &s.stage_problem {
                <p class="notice" role="alert">{ why.clone() }</p>
            }
        </div>
    }
}

fn skip_line(why: Skip, n: usize) -> String {
    let count = n.to_string();
    let with = |msg, what: &str| tn(msg, n as u64, &[("n", &count), ("what", what)]);
    match why {
        Skip::LinkType(l) => with(Msg::ImportSkipLinkType, &l.to_string()),
        Skip::NotIp(0x0806) => with(Msg::ImportSkipArp, ""),
        Skip::NotIp(e) => with(Msg::ImportSkipNotIp, &format!("0x{e:04x}")),
        Skip::Protocol(1) | Skip::Protocol(58) => with(Msg::ImportSkipIcmp, ""),
        Skip::Protocol(p) => with(Msg::ImportSkipProtocol, &p.to_string()),
        Skip::Fragment => with(Msg::ImportSkipFragment, ""),
        Skip::Cut => with(Msg::ImportSkipCut, ""),
        Skip::BadHeader => with(Msg::ImportSkipBadHeader, ""),
        Skip::Other => with(Msg::ImportSkipOther, ""),
    }
}

fn stop_sentence(stop: Stop) -> String {
    let n = |msg, n: usize| tp(msg, &[("n", &n.to_string())]);
    match stop {
        Stop::Truncated { frame } => n(Msg::ImportStopTruncated, frame),
        Stop::DamagedBlock { block } => n(Msg::ImportStopDamagedBlock, block),
        Stop::DamagedPacket { frame } => n(Msg::ImportStopDamagedPacket, frame),
        Stop::UnknownInterface { frame } => n(Msg::ImportStopUnknownInterface, frame),
        Stop::TooMany => n(Msg::ImportStopTooMany, crate::capture::read::MOST_PACKETS),
    }
}

/// The parts of the page that a step through the packets leaves alone: each a component of its
/// own, drawn again only when what it shows changes.
#[derive(Properties, PartialEq)]
struct CutProps {
    shown: Rc<Shown>,
    problem: bool,
    d: UseReducerDispatcher<State>,
}

#[function_component(CutPart)]
fn cut_part(p: &CutProps) -> Html {
    cut_form(p.problem, &p.shown, &p.d)
}

#[derive(Properties, PartialEq)]
struct HostsProps {
    shown: Rc<Shown>,
    names: Rc<Vec<(IpAddr, String)>>,
    d: UseReducerDispatcher<State>,
}

#[function_component(HostsPart)]
fn hosts_part(p: &HostsProps) -> Html {
    hosts_form(&p.names, &p.shown, &p.d)
}

#[derive(Properties, PartialEq)]
struct PasteProps {
    text: String,
    empty: bool,
    listing: Option<Rc<Listing>>,
    d: UseReducerDispatcher<State>,
}

#[function_component(PastePart)]
fn paste_part(p: &PasteProps) -> Html {
    paste_section(&p.text, p.empty, p.listing.as_ref(), &p.d)
}

fn cut_form(problem: bool, shown: &Rc<Shown>, d: &UseReducerDispatcher<State>) -> Html {
    let said = match shown.cut {
        Cut::Connections { count } => tp(
            Msg::ImportCutShownConnections,
            &[
                ("shown", &count.min(shown.connections).to_string()),
                ("total", &shown.connections.to_string()),
                ("packets", &shown.shown.len().to_string()),
            ],
        ),
        Cut::Window { from, to } => tp(
            Msg::ImportCutShownWindow,
            &[
                ("packets", &shown.shown.len().to_string()),
                ("from", &seconds(from)),
                ("to", &seconds(to)),
            ],
        ),
    };
    let (count, from, to) = match shown.cut {
        Cut::Connections { count } => (count, 0, shown.span),
        Cut::Window { from, to } => (FIRST_CONNECTIONS, from, to),
    };
    let onsubmit = {
        let d = d.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let form: web_sys::HtmlFormElement = e.target_unchecked_into();
            let value = |name: &str| -> String {
                form.elements()
                    .named_item(name)
                    .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
                    .map(|i| i.value())
                    .unwrap_or_default()
            };
            let by_window = form
                .query_selector("#cut-by-window")
                .ok()
                .flatten()
                .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
                .is_some_and(|i| i.checked());
            let cut = if by_window {
                let secs = |v: String| v.trim().replace(',', ".").parse::<f64>().ok();
                match (secs(value("from")), secs(value("to"))) {
                    (Some(a), Some(b)) if a.is_finite() && b.is_finite() && a >= 0.0 && b > a => {
                        Some(Cut::Window {
                            from: (a * 1e6) as i64,
                            to: (b * 1e6).min(9e15) as i64,
                        })
                    }
                    _ => None,
                }
            } else {
                value("count")
                    .trim()
                    .parse::<usize>()
                    .ok()
                    .filter(|n| *n >= 1)
                    .map(|count| Cut::Connections { count })
            };
            match cut {
                Some(cut) => {
                    d.dispatch(Act::Asking);
                    send(js_sys::Uint8Array::from(&shown::encode_cut(cut)[..]).into())
                }
                None => d.dispatch(Act::CutProblem),
            }
        })
    };
    let by_window = matches!(shown.cut, Cut::Window { .. });
    html! {
        <form class="import-cut" {onsubmit} novalidate=true>
            <p>{ said }</p>
            if shown.cut_again {
                <p class="notice">{ tp(Msg::ImportCutAgain, &[("most", &MOST_SHOWN.to_string())]) }</p>
            }
            <fieldset>
                <legend>{ t(Msg::ImportCutTitle) }</legend>
                <label class="import-choice">
                    <input type="radio" name="by-window" value="0" checked={!by_window} />
                    { t(Msg::ImportCutConnections) }
                </label>
                <label class="import-field">{ t(Msg::ImportCutCount) }
                    <input name="count" type="number" inputmode="numeric" min="1" value={count.to_string()} />
                </label>
                <label class="import-choice">
                    <input type="radio" id="cut-by-window" name="by-window" value="1" checked={by_window} />
                    { t(Msg::ImportCutWindow) }
                </label>
                <label class="import-field">{ t(Msg::ImportCutFrom) }
                    <input name="from" type="text" inputmode="decimal" value={seconds(from)} />
                </label>
                <label class="import-field">{ t(Msg::ImportCutTo) }
                    <input name="to" type="text" inputmode="decimal" value={seconds(to)} />
                </label>
            </fieldset>
            if problem {
                <p class="notice" role="alert">{ t(Msg::ImportCutBad) }</p>
            }
            <button class="button" type="submit">{ t(Msg::ImportCutShow) }</button>
        </form>
    }
}

/// A table's caption: the host's name and address, or its address when it has no name.
fn host_caption(s: &State, ip: IpAddr) -> String {
    match s.names.iter().find(|(a, _)| *a == ip) {
        Some((_, name)) => tp(
            Msg::ImportTablesCaption,
            &[("host", name), ("ip", &ip.to_string())],
        ),
        None => ip.to_string(),
    }
}

/// A host's name: the learner's, or its address.
fn host_name(s: &State, ip: IpAddr) -> String {
    s.names
        .iter()
        .find(|(a, _)| *a == ip)
        .map_or_else(|| ip.to_string(), |(_, n)| n.clone())
}

fn hosts_form(
    names: &[(IpAddr, String)],
    shown: &Rc<Shown>,
    d: &UseReducerDispatcher<State>,
) -> Html {
    html! {
        <details class="import-hosts">
            <summary>{ tn(Msg::ImportHostsTitle, shown.inferred.hosts.len() as u64, &[("n", &shown.inferred.hosts.len().to_string())]) }</summary>
            <p>{ t(Msg::ImportHostsText) }</p>
            { for shown.inferred.hosts.iter().map(|&ip| {
                let d = d.clone();
                let onchange = Callback::from(move |e: Event| {
                    let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                    d.dispatch(Act::Name(ip, input.value()));
                });
                let value = names.iter().find(|(a, _)| *a == ip).map(|(_, n)| n.clone()).unwrap_or_default();
                html! {
                    <label class="import-field">{ tp(Msg::ImportHostsName, &[("ip", &ip.to_string())]) }
                        <input type="text" maxlength="40" {value} {onchange} />
                    </label>
                }
            }) }
        </details>
    }
}

fn flags(f: u8) -> String {
    let mut out = Vec::new();
    for (bit, name) in [
        (SYN, "SYN"),
        (FIN, "FIN"),
        (RST, "RST"),
        (0x08, "PSH"),
        (ACK, "ACK"),
    ] {
        if f & bit != 0 {
            out.push(name);
        }
    }
    out.join(", ")
}

fn class_name(port: u16) -> Rc<str> {
    crate::view::ports::class_name(PortClass::of(port))
}

fn stepper(s: &State, shown: &Rc<Shown>, d: &UseReducerDispatcher<State>) -> Html {
    let n = shown.shown.len();
    let at = s.at.min(n);
    let go = |to: usize| {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Act::Go(to)))
    };
    let on_slider = {
        let d = d.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            d.dispatch(Act::Go(input.value().parse().unwrap_or(0)));
        })
    };
    let on_play = {
        let d = d.clone();
        let playing = s.playing;
        Callback::from(move |_: MouseEvent| d.dispatch(Act::Play(!playing)))
    };
    let on_speed = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            d.dispatch(Act::Speed(select.value().parse().unwrap_or(1)));
        })
    };
    let position = match at {
        0 => t(Msg::ImportStepBefore).to_string(),
        k => tp(
            Msg::ImportStepPosition,
            &[
                ("k", &k.to_string()),
                ("n", &n.to_string()),
                ("ms", &format!("{:.3}", shown.shown[k - 1].at as f64 / 1e3)),
                ("frame", &shown.shown[k - 1].frame.to_string()),
            ],
        ),
    };
    html! {
        <section class="import-step" aria-labelledby="step-title">
            <h3 id="step-title">{ t(Msg::ImportStepTitle) }</h3>
            <p class="import-inferred">{ t(Msg::ImportTablesInferred) }</p>
            <div class="import-controls">
                <button class="button" onclick={go(at.saturating_sub(1))} disabled={at == 0}>{ t(Msg::ControlsStepBack) }</button>
                <button class="button primary" onclick={on_play}>{ t(if s.playing { Msg::ControlsPause } else { Msg::ControlsPlay }) }</button>
                <button class="button" onclick={go(at + 1)} disabled={at >= n}>{ t(Msg::ControlsStepForward) }</button>
                <label class="import-speed">{ t(Msg::ControlsSpeed) }
                    <select onchange={on_speed}>
                        { for SPEEDS.iter().enumerate().map(|(i, v)| html! {
                            <option value={i.to_string()} selected={i == s.speed()}>{ format!("{v}×") }</option>
                        }) }
                    </select>
                </label>
            </div>
            <label class="import-slider">
                <span class="sr-only">{ t(Msg::ControlsTimeline) }</span>
                <input type="range" min="0" max={n.to_string()} value={at.to_string()} oninput={on_slider} />
            </label>
            <p class="import-position" aria-live="polite">{ position }</p>
            // The packet, then the tables it changes, then what it did: on a phone the packet
            // and the two tables it is between are on one screen under the controls.
            if at > 0 {
                <p class="import-packet-line">{ packet_line(s, shown, at - 1) }</p>
            }
            { tables_view(s, shown, at, d) }
            if at > 0 {
                { packet_notes(s, shown, at - 1) }
            }
        </section>
    }
}

/// An end of a packet: its address and port, after the host's name when it has one.
fn end_of(s: &State, a: SocketAddr) -> String {
    match s.names.iter().find(|(ip, _)| *ip == a.ip()) {
        Some((_, name)) => format!("{name} ({a})"),
        None => a.to_string(),
    }
}

fn packet_line(s: &State, shown: &Shown, k: usize) -> String {
    let p = &shown.shown[k];
    let who = |a: SocketAddr| end_of(s, a);
    match p.transport {
        Transport::Tcp { flags: f, len, .. } => tp(
            Msg::ImportPacketTcp,
            &[
                ("src", &who(p.src)),
                ("dst", &who(p.dst)),
                ("flags", &flags(f)),
                ("len", &len.to_string()),
            ],
        ),
        Transport::Udp { len } => tp(
            Msg::ImportPacketUdp,
            &[
                ("src", &who(p.src)),
                ("dst", &who(p.dst)),
                ("len", &len.to_string()),
            ],
        ),
    }
}

/// A packet's ports and their classes: "From port 10378 (registered) to port 8099 (registered)."
fn ports_line(p: &ShownPacket) -> String {
    tp(
        Msg::ImportPacketPorts,
        &[
            ("src", &p.src.port().to_string()),
            ("src_class", &class_name(p.src.port())),
            ("dst", &p.dst.port().to_string()),
            ("dst_class", &class_name(p.dst.port())),
        ],
    )
}

/// What packet `k` did: its ports' classes, and each socket it changed.
fn packet_notes(s: &State, shown: &Rc<Shown>, k: usize) -> Html {
    let ports = ports_line(&shown.shown[k]);
    let changes: Vec<String> = shown
        .inferred
        .changes_of(k)
        .iter()
        .map(|c| {
            let (host, text) = change_line(s, shown, c);
            tp(Msg::EventsLine, &[("host", &host), ("text", &text)])
        })
        .collect();
    html! {
        <div class="import-packet">
            <p>{ ports }</p>
            if changes.is_empty() {
                <p>{ t(Msg::ImportChangeNone) }</p>
            } else {
                <ul>{ for changes.into_iter().map(|c| html! { <li>{ c }</li> }) }</ul>
            }
        </div>
    }
}

fn state_cell(seen: Option<Seen>) -> String {
    match seen {
        Some(Seen::State(st)) => st.rfc_name().to_string(),
        Some(Seen::Unknown) => t(Msg::ImportStateUnknown).to_string(),
        None => String::new(),
    }
}

/// The host a change is on, and what it does there.
fn change_line(s: &State, shown: &Shown, c: &Change) -> (String, String) {
    let inf = &shown.inferred;
    let (host, local, peer) = match c.sock {
        Sock::Listener(n) => {
            let (_, at) = inf.listeners[n];
            (at.ip(), at, None)
        }
        Sock::Conn(n, side) => {
            let conn = &inf.conns[n];
            let (l, p) = match side {
                Side::Client => (conn.client, conn.server),
                Side::Server => (conn.server, conn.client),
            };
            (l.ip(), l, Some(p))
        }
    };
    let args = |state: &str| {
        vec![
            ("local", local.to_string()),
            (
                "peer",
                peer.map_or_else(|| "n/a".to_string(), |p| p.to_string()),
            ),
            ("state", state.to_string()),
        ]
    };
    let said = |msg, a: Vec<(&str, String)>| {
        let a: Vec<(&str, &str)> = a.iter().map(|(k, v)| (*k, v.as_str())).collect();
        tp(msg, &a)
    };
    // The client's socket of a connection whose SYN was answered with RST: refused.
    let refused = match c.sock {
        Sock::Conn(n, Side::Client) => inf.conns[n].refused,
        _ => false,
    };
    let text = match c.to {
        None if c.timer => said(Msg::ImportChangeTimeWaitOver, args("")),
        None if refused => said(Msg::ImportChangeRefused, args("")),
        None => said(Msg::ImportChangeGone, args("")),
        Some(seen) => said(Msg::ImportChangeTo, args(&state_cell(Some(seen)))),
    };
    (host_name(s, host), text)
}

/// Every host's table after `at` packets: the two hosts of the packet shown (before the first,
/// of the first packet) first, and the others behind a button, so that a step redraws two
/// tables however many hosts the capture has.
fn tables_view(s: &State, shown: &Rc<Shown>, at: usize, d: &UseReducerDispatcher<State>) -> Html {
    let tables = shown.inferred.tables_after(at);
    let packet = &shown.shown[at.max(1) - 1];
    let ends = [packet.src.ip(), packet.dst.ip()];
    let (mine, others): (Vec<_>, Vec<_>) = tables.iter().partition(|(ip, _)| ends.contains(ip));
    let draw = |(ip, rows): &&(IpAddr, Vec<CapRow>)| {
        course_table(
            &host_caption(s, *ip),
            rows.iter().map(cap_cells).collect(),
            None,
        )
    };
    let toggle = {
        let d = d.clone();
        let open = s.others_open;
        Callback::from(move |_: MouseEvent| d.dispatch(Act::Others(!open)))
    };
    html! {
        <div class="import-tables">
            { for mine.iter().map(draw) }
            if !others.is_empty() {
                <button class="button small import-others" aria-expanded={s.others_open.to_string()} onclick={toggle}>
                    { tn(Msg::ImportTablesOthers, others.len() as u64, &[("n", &others.len().to_string())]) }
                </button>
                if s.others_open {
                    { for others.iter().map(draw) }
                }
            }
        </div>
    }
}

fn cap_cells(r: &CapRow) -> [String; 7] {
    let na = || "n/a".to_string();
    [
        match r.proto {
            CapProto::Tcp => "TCP".to_string(),
            CapProto::Udp => "UDP".to_string(),
        },
        r.local.port().to_string(),
        r.local.ip().to_string(),
        r.peer.map_or_else(na, |p| p.port().to_string()),
        r.peer.map_or_else(na, |p| p.ip().to_string()),
        state_cell(r.state),
        String::new(),
    ]
}

/// One course table: its caption, the course's columns (Process only when a row has one), and
/// (for a pasted list) each row's number.
fn course_table(caption: &str, rows: Vec<[String; 7]>, numbers: Option<&[usize]>) -> Html {
    let with_process = rows.iter().any(|r| !r[6].is_empty());
    let heads = [
        Msg::TablesRowTransport,
        Msg::TablesRowSourcePort,
        Msg::TablesRowSourceIp,
        Msg::TablesRowDestPort,
        Msg::TablesRowDestIp,
        Msg::TablesRowState,
        Msg::TablesRowProcess,
    ];
    let caption = caption.to_string();
    // The region's name tells a pasted list's table from the capture's for the same address.
    let region = match numbers {
        Some(_) => tp(Msg::ImportTablesListed, &[("table", &caption)]),
        None => tp(Msg::TablesScrollable, &[("host", &caption)]),
    };
    html! {
        <div class="table-scroll import-table" role="region" aria-label={region} tabindex="0">
            // On a narrow screen each row wraps (static/import.css), every cell after its
            // column's name, so the state shows without scrolling sideways; the roles keep it a
            // table for a screen reader.
            <table class="socket-table" role="table">
                <caption>{ caption }</caption>
                <thead role="rowgroup"><tr role="row">
                    if numbers.is_some() { <th scope="col" role="columnheader">{ "#" }</th> }
                    { for heads.iter().take(if with_process { 7 } else { 6 }).map(|m| html! { <th scope="col" role="columnheader">{ t(*m) }</th> }) }
                </tr></thead>
                <tbody role="rowgroup">
                    if rows.is_empty() {
                        <tr role="row"><td role="cell" colspan="7">{ t(Msg::ImportTablesEmpty) }</td></tr>
                    }
                    { for rows.iter().enumerate().map(|(i, r)| html! {
                        <tr role="row">
                            if let Some(n) = numbers { <td role="cell" data-label="#">{ n[i] + 1 }</td> }
                            { for r.iter().zip(heads).take(if with_process { 7 } else { 6 }).map(|(c, m)| html! { <td role="cell" data-label={t(m)}>{ c.clone() }</td> }) }
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

// ---- the pasted list -----------------------------------------------------------------------

fn paste_section(
    text: &str,
    empty: bool,
    listing: Option<&Rc<Listing>>,
    d: &UseReducerDispatcher<State>,
) -> Html {
    let oninput = {
        let d = d.clone();
        Callback::from(move |e: InputEvent| {
            let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            d.dispatch(Act::Text(area.value()));
        })
    };
    let onclick = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Act::Read))
    };
    html! {
        <section class="card import-paste" aria-labelledby="paste-title">
            <h2 id="paste-title">{ t(Msg::ImportPasteTitle) }</h2>
            <label for="paste-box">{ t(Msg::ImportPasteLabel) }</label>
            <textarea id="paste-box" rows="8" wrap="off" spellcheck="false" autocomplete="off" value={text.to_string()} {oninput} />
            <button class="button primary" {onclick}>{ t(Msg::ImportPasteRead) }</button>
            if empty {
                <p class="notice" role="alert">{ t(Msg::ImportPasteEmpty) }</p>
            }
            if let Some(listing) = listing {
                <ListingPart listing={listing.clone()} />
            }
        </section>
    }
}

fn tool_name(tool: Tool) -> Rc<str> {
    t(match tool {
        Tool::Ss => Msg::ImportToolSs,
        Tool::NetstatLinux => Msg::ImportToolNetstatLinux,
        Tool::NetstatMac => Msg::ImportToolNetstatMac,
        Tool::NetstatWindows => Msg::ImportToolNetstatWindows,
        Tool::Lsof => Msg::ImportToolLsof,
        Tool::PowerShell => Msg::ImportToolPowershell,
    })
}

/// A pasted list, read: drawn again only when another list is read (not as the box is typed in).
#[derive(Properties)]
struct ListingProps {
    listing: Rc<Listing>,
}

impl PartialEq for ListingProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.listing, &other.listing)
    }
}

#[function_component(ListingPart)]
fn listing_part(p: &ListingProps) -> Html {
    listing_view(&p.listing)
}

fn listing_view(listing: &Listing) -> Html {
    if listing.rows.is_empty() {
        return html! { <p class="notice" role="alert">{ t(Msg::ImportPasteNone) }</p> };
    }
    let n = listing.rows.len();
    let summary = tn(
        Msg::ImportPasteSummary,
        n as u64,
        &[
            ("n", &n.to_string()),
            (
                "tool",
                &listing
                    .tool
                    .map_or_else(String::new, |t| tool_name(t).to_string()),
            ),
        ],
    );
    let unreadable: Vec<String> = listing
        .unread
        .iter()
        .filter(|(_, w)| *w == socklist::Unread::Unreadable)
        .map(|(l, _)| l.to_string())
        .collect();
    let unix = listing.unread.len() - unreadable.len();
    let notes = socklist::explain(listing);
    html! {
        <div class="import-result" role="status">
            <p class="import-summary">{ summary }</p>
            if listing.cut {
                <p class="notice">{ t(Msg::ImportPasteCut) }</p>
            }
            if !unreadable.is_empty() {
                <p class="notice">{ tn(Msg::ImportPasteUnread, unreadable.len() as u64, &[("n", &unreadable.len().to_string()), ("lines", &unreadable.join(&t(Msg::PortsListSeparator)))]) }</p>
            }
            if unix > 0 {
                <p>{ tn(Msg::ImportPasteUnix, unix as u64, &[("n", &unix.to_string())]) }</p>
            }
            { for socklist::tables(listing).into_iter().map(|(addr, rows)| {
                let every = addr == "*";
                let caption = if every { t(Msg::ImportTablesEvery).to_string() } else { addr.clone() };
                let cells: Vec<[String; 7]> = rows.iter().map(|&i| list_cells(&listing.rows[i])).collect();
                html! {
                    <div class="import-listed">
                        { course_table(&caption, cells, Some(&rows)) }
                        <ol class="import-notes">
                            { for rows.iter().map(|&i| html! {
                                <li value={(i + 1).to_string()}>
                                    { for notes[i].iter().flat_map(|note| note_sentences(note, &listing.rows[i].local.addr)).map(|s| html! { <span class="import-note">{ s }</span> }) }
                                </li>
                            }) }
                        </ol>
                    </div>
                }
            }) }
        </div>
    }
}

fn list_cells(r: &socklist::Row) -> [String; 7] {
    let na = || "n/a".to_string();
    let port = |p: Option<u16>| p.map_or_else(|| "*".to_string(), |p| p.to_string());
    [
        match r.proto {
            socklist::Proto::Tcp => "TCP".to_string(),
            socklist::Proto::Udp => "UDP".to_string(),
        },
        port(r.local.port),
        r.local.addr.clone(),
        r.peer.as_ref().map_or_else(na, |p| port(p.port)),
        r.peer.as_ref().map_or_else(na, |p| p.addr.clone()),
        r.state
            .map_or_else(String::new, |s| s.rfc_name().to_string()),
        r.process
            .as_ref()
            .map_or_else(String::new, |(name, pid)| match name {
                Some(n) => format!("{n} ({pid})"),
                None => pid.to_string(),
            }),
    ]
}

/// A note's sentences (a listener's port may add what usually listens there).
fn note_sentences(note: &Note, addr: &str) -> Vec<String> {
    let port_args = |port: u16| (port.to_string(), class_name(port).to_string());
    match *note {
        Note::Listens { port, every } | Note::UdpBound { port, every } => {
            let (p, class) = port_args(port);
            let msg = match (matches!(note, Note::Listens { .. }), every) {
                (true, true) => Msg::ImportNoteListensEvery,
                (true, false) => Msg::ImportNoteListensOne,
                (false, true) => Msg::ImportNoteUdpEvery,
                (false, false) => Msg::ImportNoteUdpOne,
            };
            let mut said = vec![tp(msg, &[("port", &p), ("class", &class), ("addr", addr)])];
            if let Some(what) = crate::view::ports::description(port) {
                said.push(tp(
                    Msg::ImportNoteService,
                    &[("port", &p), ("service", &what)],
                ));
            }
            said
        }
        Note::Accepted { port, peer_port } => vec![tp(
            Msg::ImportNoteAccepted,
            &[
                ("port", &port.to_string()),
                ("peer_port", &peer_port.to_string()),
            ],
        )],
        Note::Outgoing { port, peer_port } => vec![tp(
            Msg::ImportNoteOutgoing,
            &[
                ("port", &port.to_string()),
                ("peer_port", &peer_port.to_string()),
            ],
        )],
        Note::State(st) => vec![state_note(st).to_string()],
        Note::Loopback => vec![t(Msg::ImportNoteLoopback).to_string()],
    }
}

fn state_note(st: SockState) -> Rc<str> {
    use SockState::*;
    t(match st {
        SynSent => Msg::ImportStateSynSent,
        SynReceived => Msg::ImportStateSynReceived,
        Established => Msg::ImportStateEstablished,
        FinWait1 => Msg::ImportStateFinWait1,
        FinWait2 => Msg::ImportStateFinWait2,
        CloseWait => Msg::ImportStateCloseWait,
        Closing => Msg::ImportStateClosing,
        LastAck => Msg::ImportStateLastAck,
        TimeWait => Msg::ImportStateTimeWait,
        Closed => Msg::ImportStateClosed,
        Listen | Bound | Fresh => Msg::ImportStateBound,
        Unknown => Msg::ImportStateUnknown,
    })
}
