//! The scenes the view can show: the course's scenarios, built into the app, their words
//! loaded by language. The first is the default.

use crate::i18n::{tp, Msg};
use crate::vecmap::VecMap;
use std::net::SocketAddrV4;
use std::rc::Rc;

use crate::engine::event::{EventKind, SegmentId};
use crate::engine::net::HostId;
use crate::engine::scenario::{Scenario, StageDef};
use crate::engine::time::Instant;
use crate::engine::timeline::{Recording, Timeline};
use crate::view::narrate::Narrator;

/// The scenes in the picker's order: the slides' own scene first (the default).
pub const SCENES: &[&str] = &[
    "slides",
    "walkthrough",
    "two-apps-one-pc",
    "node-server-8099",
    "many-clients",
    "forking-server",
    "web-server-80",
    "mongodb-27017",
    "connection-refused",
    "port-in-use",
    "syn-timeout",
    "port-not-protocol",
    "privileged-port",
    "three-ranges",
    "server-closes-first",
    "stress-50-clients",
];

/// A shipped scene, as the page loaded it (`recordings/<id>.bin`, fetched by `static/boot.js`
/// with the words that open the scene): its scenario, without words, and its recorded run.
#[cfg(target_arch = "wasm32")]
fn shipped_scene(id: &str) -> Result<(Scenario, Recording), String> {
    let bytes =
        recording_bytes(id).ok_or_else(|| crate::i18n::t(Msg::SceneNotLoaded).to_string())?;
    crate::engine::scene_file::decode(&bytes, id)
        .map_err(|_| crate::i18n::t(Msg::SceneDamaged).to_string())
}

/// Natively (tests, the CLI) the engine is at hand: the scene's file is built in, and run.
#[cfg(not(target_arch = "wasm32"))]
fn shipped_scene(id: &str) -> Result<(Scenario, Recording), String> {
    let scenario = builtin(id).ok_or_else(|| tp(Msg::SceneNotBuiltIn, &[("id", id)]))?;
    let recording = Recording::of(scenario.build_trusted(), scenario.run_limit());
    Ok((scenario, recording))
}

#[cfg(target_arch = "wasm32")]
fn recording_bytes(id: &str) -> Option<Vec<u8>> {
    use wasm_bindgen::JsCast;
    let all = js_sys::Reflect::get(&js_sys::global(), &"socketlabRecordings".into()).ok()?;
    let one = js_sys::Reflect::get(&all, &id.into()).ok()?;
    Some(one.dyn_into::<js_sys::Uint8Array>().ok()?.to_vec())
}

/// Put shipped scene `id`'s recording in the page, as `static/boot.js` does once it has
/// fetched it (component tests).
#[cfg(target_arch = "wasm32")]
pub fn install_recording(id: &str, bytes: &[u8]) {
    let global = js_sys::global();
    let mut all = js_sys::Reflect::get(&global, &"socketlabRecordings".into()).unwrap_or_default();
    if !all.is_object() {
        all = js_sys::Object::new().into();
        let _ = js_sys::Reflect::set(&global, &"socketlabRecordings".into(), &all);
    }
    let _ = js_sys::Reflect::set(&all, &id.into(), &js_sys::Uint8Array::from(bytes));
}

/// Whether shipped scene `id` can be shown now: its recording is in the page (always, natively).
pub fn has_recording(id: &str) -> bool {
    #[cfg(target_arch = "wasm32")]
    let loaded = recording_bytes(id).is_some();
    #[cfg(not(target_arch = "wasm32"))]
    let loaded = {
        let _ = id;
        true
    };
    loaded
}

#[cfg(not(target_arch = "wasm32"))]
fn builtin(id: &str) -> Option<Scenario> {
    crate::builtin::BUILTIN
        .iter()
        .find(|(s, _)| *s == id)
        .map(|(_, make)| make())
}

/// A scene's title, for the picker: from its words in the page's language, without building
/// the scene.
pub fn title(id: &str) -> String {
    match page_words(id) {
        Some(words) => words.first().map(|w| w.to_string()).unwrap_or_default(),
        #[cfg(not(target_arch = "wasm32"))]
        None => builtin(id).map_or_else(|| id.to_string(), |s| s.title),
        #[cfg(target_arch = "wasm32")]
        None => id.to_string(),
    }
}

/// A shipped scene's words in the page's language: the title, the description, then each
/// stage's title and text. The web build carries the scenes without them (`build.rs`); the page
/// loads them with the scene (`static/boot.js` keeps them under "lang/@id"). Natively there are
/// none to load: the scenes have their English words (the CLI and the tests read them so).
#[cfg(target_arch = "wasm32")]
fn page_words(id: &str) -> Option<Vec<Rc<str>>> {
    crate::i18n::lesson_words(&format!("@{id}"))
}

#[cfg(not(target_arch = "wasm32"))]
fn page_words(_: &str) -> Option<Vec<Rc<str>>> {
    None
}

thread_local! {
    /// The shipped scenes' hosts' names in the page's language, by the names their scene files
    /// give them ("Server": "伺服器"), from the words the page loaded with a scene.
    static HOST_NAMES: std::cell::RefCell<VecMap<String, Rc<str>>> = Default::default();
}

/// A host's name as a learner reads it: in the page's language for a shipped scene's host,
/// else as its scene names it. The scene's own name stays its id: lessons, links and a
/// learner's answers name a host by it.
pub fn host_name(name: &str) -> Rc<str> {
    HOST_NAMES
        .with_borrow(|names| names.get(name).cloned())
        .unwrap_or_else(|| name.into())
}

/// Give a shipped scene the words the page loaded for it, if any: the title, the description,
/// each host's name, then each stage's title and text.
fn in_language(scenario: &mut Scenario, id: &str) {
    let Some(words) = page_words(id) else {
        return;
    };
    let mut words = words.iter().map(|w| w.to_string());
    let mut next = move || words.next().unwrap_or_default();
    scenario.title = next();
    // A scene that shows a stage from the start ships no description (it is never shown).
    scenario.description = Some(next()).filter(|d| !d.is_empty());
    for host in &scenario.hosts {
        let shown = next();
        if !shown.is_empty() {
            HOST_NAMES.with_borrow_mut(|names| names.insert(host.name.clone(), shown.into()));
        }
    }
    for stage in &mut scenario.stages {
        stage.title = next();
        stage.text = next();
    }
}

/// One line of narration.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub at: Instant,
    pub host: Rc<str>,
    pub text: Rc<str>,
    /// The segment the line is about, for lines a learner can open in the inspector.
    pub seg: Option<SegmentId>,
}

/// A connection, by its two ends in a fixed order, so both directions get one colour.
pub type ConnKey = (SocketAddrV4, SocketAddrV4);

pub fn conn_key(a: SocketAddrV4, b: SocketAddrV4) -> ConnKey {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

/// The runs of a challenge's drawn scenes count on from here: each is the scene its lesson
/// shows, as a shipped scene is.
pub const DRAWN_RUN: u32 = 1 << 30;

/// The id of a scene made from a learner's capture (the import's): not a shipped scene.
pub const CAPTURE: &str = "capture";

/// A scene ready to play: its scenario, its recorded run and what the view derives from it
/// once (narration, segment index, connection labels, host layout).
pub struct Scene {
    pub id: &'static str,
    /// 0 for the scene as shipped; a learner's own run of it (a fix they tried) counts on from
    /// 1, so the view knows the two apart; a challenge's drawn scene, the lesson's own, from
    /// [`DRAWN_RUN`].
    pub run: u32,
    pub scenario: Scenario,
    pub timeline: Timeline,
    pub lines: Vec<Line>,
    /// Where each segment's SegmentSent event is, by segment number (they are numbered 1, 2, …
    /// in the order they are sent, so a vector serves).
    segments: Vec<usize>,
    /// Each connection's number, in the order connections first appear (for colour and label).
    pub connections: VecMap<ConnKey, usize>,
    pub links: Vec<(HostId, HostId)>,
    /// When segments are on the wire: merged [depart, arrive) intervals, in order.
    pub busy: Vec<(Instant, Instant)>,
    /// Each segment's label and accessible name, made once, by segment number.
    labels: Vec<PacketText>,
    /// Every segment that travels a link, in the order sent: what the stage animates.
    pub flights: Vec<SceneFlight>,
    /// The longest time a segment is on the stage, to bound the search for those in flight.
    longest_flight: i64,
    /// Every moment something happens or a stage begins, in order: where stepping stops and
    /// where the view redraws while playing.
    pub moments: Vec<Instant>,
    /// The most programs any host runs, and the longest host name and address (characters):
    /// what the stage's boxes must hold.
    pub most_programs: usize,
    pub longest_name: usize,
    pub longest_ip: usize,
}

/// A segment's trip across a link, as the stage draws it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SceneFlight {
    pub seg: SegmentId,
    pub from: HostId,
    pub to: HostId,
    /// Index into [`Scene::links`].
    pub link: usize,
    /// From the link's first host to its second.
    pub forward: bool,
    /// From the moment it is sent until it is delivered or dropped (µs).
    pub shown: (i64, i64),
    pub depart: i64,
    pub arrive: i64,
}

/// What a packet on the stage says.
#[derive(Clone, Debug, PartialEq)]
pub struct PacketText {
    pub conn: Option<usize>,
    /// The label, without the spaces a packet chip cannot spare: "A 10378→80 PSH,ACK".
    pub short: Rc<str>,
    pub aria: Rc<str>,
    pub rst: bool,
}

impl PartialEq for Scene {
    fn eq(&self, other: &Scene) -> bool {
        (self.id, self.run) == (other.id, other.run)
    }
}

impl Scene {
    /// Scene `index`'s id, or why there is none.
    fn id_of(index: usize) -> Result<&'static str, String> {
        SCENES
            .get(index)
            .copied()
            .ok_or_else(|| tp(Msg::SceneNoNumber, &[("n", &index.to_string())]))
    }

    pub fn load(index: usize) -> Result<Rc<Scene>, String> {
        let id = Scene::id_of(index)?;
        let (mut scenario, recording) = shipped_scene(id)?;
        in_language(&mut scenario, id);
        Ok(Scene::played(id, scenario, recording, 0))
    }

    /// A challenge's drawn setup of scene `index`, as shipped (`recordings/<file>.bin`, which
    /// the page has loaded), in that scene's words but for its description, which tells the
    /// scene working; run number `run` (from [`DRAWN_RUN`]).
    #[inline(never)]
    pub fn drawn(index: usize, file: &str, run: u32) -> Result<Rc<Scene>, String> {
        let id = Scene::id_of(index)?;
        let (mut scenario, recording) = shipped_scene(file)?;
        in_language(&mut scenario, id);
        scenario.description = None;
        Ok(Scene::played(id, scenario, recording, run))
    }

    /// Scene `id` as `scenario` sets it up: the shipped one (`run` 0), or a learner's change of
    /// it, run number `run`. The scenario is one the lessons built from a shipped scene, so it
    /// is trusted.
    pub fn of(id: &'static str, scenario: Scenario, run: u32) -> Rc<Scene> {
        let recording = Recording::of(scenario.build_trusted(), scenario.run_limit());
        Scene::played(id, scenario, recording, run)
    }

    /// A learner's own run of the lesson's scene (a fix they tried), not the scene the lesson
    /// shows.
    pub fn tried(&self) -> bool {
        self.run != 0 && self.run < DRAWN_RUN
    }

    /// Scene `id` as `scenario` sets it up, playing `recording`, a run of it (one the page
    /// loaded, or one just made).
    #[inline(never)]
    pub fn played(
        id: &'static str,
        scenario: Scenario,
        recording: Recording,
        run: u32,
    ) -> Rc<Scene> {
        let links = recording.links.clone();
        let narrator = Narrator::for_hosts(&recording.hosts, links.clone());
        let timeline = Timeline::play(recording);
        let (lines, segments, connections) = narrate(&timeline, narrator);
        let (labels, busy) = packet_texts(&timeline, &connections);
        let flights = flights(&timeline, &links);
        let longest_flight = flights
            .iter()
            .map(|f| f.shown.1 - f.shown.0)
            .max()
            .unwrap_or(0);
        let moments = moments(&timeline, &scenario);
        let (most_programs, longest_name, longest_ip) = host_text_sizes(&scenario);
        Rc::new(Scene {
            id,
            run,
            scenario,
            timeline,
            lines,
            segments,
            connections,
            links,
            busy,
            labels,
            flights,
            longest_flight,
            moments,
            most_programs,
            longest_name,
            longest_ip,
        })
    }

    /// A learner's capture as a scene (run number `run`): `recording` is what the capture
    /// shows, and its narration is `lines` (an observer's words, not the engine's, which would
    /// tell what a program did: a capture does not show that).
    #[cfg(feature = "import")]
    pub fn observed(
        scenario: Scenario,
        recording: Recording,
        run: u32,
        lines: impl FnOnce(&Scene) -> Vec<Line>,
    ) -> Rc<Scene> {
        let mut scene = Scene::played(CAPTURE, scenario, recording, run);
        if let Some(s) = Rc::get_mut(&mut scene) {
            s.lines = lines(s);
        }
        scene
    }

    /// An empty stage: what the player shows when no scene is in the page (the first one did not
    /// load: its file brings its hosts), beside the sentence saying so.
    pub fn still() -> Rc<Scene> {
        let id = SCENES[0];
        let scenario = Scenario::default();
        let still = Recording {
            hosts: scenario.host_specs().collect(),
            links: vec![],
            events: vec![],
            end: Instant::ZERO,
        };
        Scene::played(id, scenario, still, 0)
    }

    pub fn index_of(id: &str) -> Option<usize> {
        SCENES.iter().position(|s| *s == id)
    }

    /// The stage of a walkthrough at `t`, if the scene has stages.
    pub fn stage_at(&self, t: Instant) -> Option<(usize, &StageDef)> {
        self.scenario
            .stages
            .iter()
            .enumerate()
            .rev()
            .find(|(_, s)| s.at() <= t)
    }

    pub fn end(&self) -> Instant {
        self.timeline.end()
    }

    /// The first moment after `t` (an event or a stage), if any.
    pub fn next_moment(&self, t: Instant) -> Option<Instant> {
        let i = self.moments.partition_point(|m| *m <= t);
        self.moments.get(i).copied()
    }

    /// The last moment before `t`, if any.
    pub fn previous_moment(&self, t: Instant) -> Option<Instant> {
        let i = self.moments.partition_point(|m| *m < t);
        i.checked_sub(1).map(|i| self.moments[i])
    }

    /// Where the segments on the stage at `t` are in [`Scene::flights`].
    pub fn in_flight_indices(&self, t: Instant) -> impl Iterator<Item = usize> + '_ {
        let t = t.total_micros();
        let last = self.flights.partition_point(|f| f.shown.0 <= t);
        let first = self.flights[..last].partition_point(|f| f.shown.0 < t - self.longest_flight);
        (first..last).filter(move |&i| {
            let f = &self.flights[i];
            f.shown.0 <= t && t < f.shown.1
        })
    }

    /// The host where the latest event at or before `t` happened, if any.
    pub fn latest_host(&self, t: Instant) -> Option<HostId> {
        let n = self.timeline.events_until(t);
        self.timeline.events()[..n]
            .iter()
            .rev()
            .find_map(|e| e.kind.host())
    }

    /// Whether any segment is on the wire at `t`.
    pub fn busy_at(&self, t: Instant) -> bool {
        let i = self.busy.partition_point(|(a, _)| *a <= t);
        i > 0 && t < self.busy[i - 1].1
    }

    /// What a segment's packet says on the stage.
    pub fn text(&self, seg: SegmentId) -> Option<&PacketText> {
        self.labels.get((seg.0 as usize).checked_sub(1)?)
    }

    /// Where a segment's SegmentSent event is in the timeline.
    pub fn sent_index(&self, seg: SegmentId) -> Option<usize> {
        self.segments.get((seg.0 as usize).checked_sub(1)?).copied()
    }
}

/// The label on a packet: "A 10378 → 8099 SYN".
fn label_for(
    connections: &VecMap<ConnKey, usize>,
    s: &crate::engine::packet::PacketSummary,
) -> (Option<usize>, String) {
    match s.ports() {
        Some((sp, dp)) => {
            let conn = connections
                .get(&conn_key(
                    SocketAddrV4::new(s.src, sp),
                    SocketAddrV4::new(s.dst, dp),
                ))
                .copied();
            let flags = s
                .tcp()
                .map(|t| t.flags.to_string())
                .unwrap_or_else(|| "UDP".into());
            let letter = conn.map(conn_label).unwrap_or_default();
            (
                conn,
                format!("{letter} {sp} → {dp} {flags}").trim().to_string(),
            )
        }
        None => (None, "ICMP".to_string()),
    }
}

/// The label without the spaces a narrow screen cannot spare: "A 10378→80 PSH,ACK".
fn short_label(label: &str) -> String {
    label.replace(" → ", "→").replace(", ", ",")
}

/// Every segment's trip across a link: from its SegmentSent event until its delivery or drop.
fn flights(timeline: &Timeline, links: &[(HostId, HostId)]) -> Vec<SceneFlight> {
    let events = timeline.events();
    let mut out: Vec<SceneFlight> = Vec::new();
    // Where each segment's trip is in `out`, by segment number.
    let mut index: VecMap<SegmentId, usize> = VecMap::new();
    for e in events {
        match &e.kind {
            EventKind::SegmentSent(s) => {
                let (Some(to), Some(link)) = (s.to, s.link) else {
                    continue;
                };
                let Some(&(a, _)) = links.get(link.0) else {
                    continue;
                };
                index.insert(s.seg, out.len());
                out.push(SceneFlight {
                    seg: s.seg,
                    from: s.from,
                    to,
                    link: link.0,
                    forward: s.from == a,
                    shown: (e.at.total_micros(), s.arrive.total_micros()),
                    depart: s.depart.total_micros(),
                    arrive: s.arrive.total_micros(),
                });
            }
            EventKind::SegmentDelivered { seg, .. } | EventKind::SegmentDropped { seg, .. } => {
                if let Some(&i) = index.get(seg) {
                    out[i].shown.1 = e.at.total_micros();
                }
            }
            _ => {}
        }
    }
    // A segment never delivered nor dropped stays on the stage until its arrival time.
    out
}

/// A short label for connection number `n`: A, B, … Z, AA, AB …
pub fn conn_label(n: usize) -> String {
    let mut n = n;
    let mut out = String::new();
    loop {
        out.insert(0, (b'A' + (n % 26) as u8) as char);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    out
}

/// Each connection (by its two ends) and its number, in the order it first appears.
type Connections = VecMap<(SocketAddrV4, SocketAddrV4), usize>;

/// Every event in words (buffer-size changes left out: the tables show them), which events
/// are segments sent, and the connections in the order they first appear.
fn narrate(timeline: &Timeline, mut narrator: Narrator) -> (Vec<Line>, Vec<usize>, Connections) {
    let mut lines = Vec::new();
    let mut segments = Vec::new();
    let mut connections = VecMap::new();
    for (i, event) in timeline.events().iter().enumerate() {
        let (host, text) = narrator.describe(&event.kind);
        let seg = match &event.kind {
            EventKind::SegmentSent(s) => {
                segments.push(i);
                if let Some((sp, dp)) = s.summary.ports() {
                    let key = conn_key(
                        SocketAddrV4::new(s.summary.src, sp),
                        SocketAddrV4::new(s.summary.dst, dp),
                    );
                    let next = connections.len();
                    connections.entry(key).or_insert(next);
                }
                Some(s.seg)
            }
            EventKind::SegmentDelivered { seg, .. } | EventKind::SegmentDropped { seg, .. } => {
                Some(*seg)
            }
            _ => None,
        };
        // Buffer sizes change with every acknowledgment: the tables show them; the
        // narration would drown in them.
        if matches!(event.kind, EventKind::Queues { .. }) {
            continue;
        }
        lines.push(Line {
            at: event.at,
            host: host.into(),
            text: text.into(),
            seg,
        });
    }
    (lines, segments, connections)
}

/// What each segment says on the stage, and the spans of time when anything is on the wire.
fn packet_texts(
    timeline: &Timeline,
    connections: &Connections,
) -> (Vec<PacketText>, Vec<(Instant, Instant)>) {
    let mut spans: Vec<(Instant, Instant)> = Vec::new();
    let mut labels = Vec::new();
    for event in timeline.events() {
        if let EventKind::SegmentSent(s) = &event.kind {
            if s.to.is_some() {
                spans.push((s.depart, s.arrive));
            }
            let (conn, label) = label_for(connections, &s.summary);
            // The accessible name starts with the words on the packet.
            let aria = tp(
                Msg::PacketAria,
                &[
                    ("label", &label),
                    ("n", &s.seg.0.to_string()),
                    ("summary", &s.summary.to_string()),
                ],
            );
            let rst = s.summary.tcp().is_some_and(|t| t.flags.rst);
            labels.push(PacketText {
                conn,
                short: short_label(&label).into(),
                aria: aria.into(),
                rst,
            });
        }
    }
    crate::vecmap::sort(&mut spans);
    let mut busy: Vec<(Instant, Instant)> = Vec::new();
    for (a, b) in spans {
        match busy.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => busy.push((a, b)),
        }
    }
    (labels, busy)
}

/// The moments a step stops at: every event's, and every stage's, up to the end.
fn moments(timeline: &Timeline, scenario: &Scenario) -> Vec<Instant> {
    let mut moments = timeline.moments();
    moments.extend(scenario.stages.iter().map(|s| s.at()));
    crate::vecmap::sort(&mut moments);
    moments.dedup();
    let end = timeline.end();
    moments.retain(|m| *m <= end);
    moments
}

/// The most programs on one host, and the longest host name (as shown) and address, in columns.
fn host_text_sizes(scenario: &Scenario) -> (usize, usize, usize) {
    let most_programs = (0..scenario.hosts.len())
        .map(|h| {
            scenario
                .processes
                .iter()
                .filter(|p| p.host == scenario.hosts[h].name)
                .count()
        })
        .max()
        .unwrap_or(0);
    let longest_name = scenario
        .hosts
        .iter()
        .map(|h| crate::view::stage::columns(&host_name(&h.name)))
        .max()
        .unwrap_or(0);
    let longest_ip = scenario.hosts.iter().map(|h| h.ip.len()).max().unwrap_or(0);
    (most_programs, longest_name, longest_ip)
}
