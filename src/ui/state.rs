//! The view's state and its one reducer: the only place that changes what is shown. Everything
//! drawn at virtual time `t` comes from `scene.timeline.seek(t)`.
//!
//! While a scene plays, the animation does not go through the reducer: the clock (`clock.rs`)
//! follows its pace, the stage's worker draws the packets, and the frame loop reports to the
//! reducer ([`Action::Reach`]) only when the clock crosses a moment where something happens. So the
//! tables, the narration and the stage text redraw when an event happens, not sixty times a
//! second.

use crate::i18n::{t, tp, Msg};
use std::rc::Rc;

use yew::prelude::*;

use super::scenes::Scene;
use crate::engine::event::SegmentId;
use crate::engine::net::HostId;
use crate::engine::socket::SockId;
use crate::engine::time::Instant;
use crate::lessons::Moment;

/// Playback speeds a learner can pick.
pub const SPEEDS: [f64; 5] = [0.25, 0.5, 1.0, 2.0, 4.0];

/// What the panel under the stage shows on a phone (on a wide screen every panel shows).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Panel {
    Story,
    Events,
    Packet,
    Flow,
    Ports,
}

impl Panel {
    pub const ALL: [Panel; 5] = [
        Panel::Story,
        Panel::Events,
        Panel::Packet,
        Panel::Flow,
        Panel::Ports,
    ];

    pub fn label(self) -> std::rc::Rc<str> {
        match self {
            Panel::Story => t(Msg::PanelsStory),
            Panel::Events => t(Msg::PanelsEvents),
            Panel::Packet => t(Msg::PanelsPacket),
            Panel::Flow => t(Msg::PanelsFlow),
            Panel::Ports => t(Msg::PanelsPorts),
        }
    }

    /// The id of the panel's element.
    pub fn id(self) -> &'static str {
        match self {
            Panel::Story => "panel-story",
            Panel::Events => "panel-events",
            Panel::Packet => "panel-packet",
            Panel::Flow => "panel-flow",
            Panel::Ports => "panel-ports",
        }
    }
}

#[derive(Clone, PartialEq)]
pub struct Model {
    pub scene_index: usize,
    pub scene: Rc<Scene>,
    /// The moment the tables, narration and stage text show. While playing, the latest moment
    /// reached; the clock's own time runs ahead of it between moments.
    pub t: Instant,
    /// Counts the times `t` was set by the learner (seek, step, restart, a new scene), so the
    /// clock knows to jump there.
    pub jumps: u32,
    pub playing: bool,
    pub speed: f64,
    /// The segment open in the inspector.
    pub selected: Option<SegmentId>,
    /// The segment under the pointer.
    pub hovered: Option<SegmentId>,
    /// The socket whose packets are highlighted.
    pub focus: Option<(HostId, SockId)>,
    /// Tables as `ss -tan` (one row per socket) instead of the course's columns.
    pub compact: bool,
    /// On a phone: the host whose table shows, when the learner picked one; otherwise the
    /// table follows the latest event.
    pub table_pin: Option<HostId>,
    /// On a phone: the panel shown under the stage.
    pub panel: Panel,
    pub help_open: bool,
    /// A scene that could not be loaded, in words.
    pub error: Option<String>,
    /// Where playing stops by itself (a lesson plays on to a segment's arrival, then waits).
    pub stop_at: Option<Instant>,
    /// In a lesson: the moment of the next question not yet answered. Playing, stepping and
    /// seeking go no further, so the scene never shows an answer before it is given.
    pub limit: Option<Instant>,
}

pub enum Action {
    /// Play, or pause at this moment (the clock's exact time).
    Toggle(Instant),
    StepForward(Instant),
    StepBack(Instant),
    Restart,
    Seek(Instant),
    SetSpeed(f64),
    /// The playing clock crossed a moment: show this time.
    Reach(Instant),
    LoadScene(usize),
    Select(Option<SegmentId>),
    Hover(Option<SegmentId>),
    Focus(Option<(HostId, SockId)>),
    ToggleCompact,
    PinTable(HostId),
    ShowPanel(Panel),
    ShowHelp(bool),
    /// A lesson's step: this scene (a challenge's drawn one, if given), paused at this moment.
    Show(usize, Option<Rc<Scene>>, Moment),
    /// Play on until this time, then pause with this socket highlighted.
    Reveal(Instant, Option<(HostId, SockId)>),
    /// A lesson's next unanswered question is at this moment (or there is none).
    Limit(Option<Instant>),
    /// A learner's own run of the scene (a fix they tried): shown from the start, playing.
    Run(Rc<Scene>),
}

impl Model {
    pub fn new(scene_index: usize) -> Model {
        let (scene_index, scene, error) = match Scene::load(scene_index) {
            Ok(scene) => (scene_index, scene, None),
            Err(e) => {
                // Fall back to the first scene (or, if its run is not in the page either, its
                // hosts standing still), and say why.
                let first = Scene::load(0).unwrap_or_else(|_| Scene::still());
                (0, first, Some(e))
            }
        };
        Model {
            error,
            ..Model::of_scene(scene_index, scene)
        }
    }

    /// A model showing `scene` (scene number `scene_index`, or any number not a shipped
    /// scene's, for a scene of the learner's own), paused at its start.
    pub fn of_scene(scene_index: usize, scene: Rc<Scene>) -> Model {
        Model {
            scene_index,
            scene,
            t: Instant::ZERO,
            jumps: 0,
            playing: false,
            speed: 1.0,
            selected: None,
            hovered: None,
            focus: None,
            compact: false,
            table_pin: None,
            panel: Panel::Story,
            help_open: false,
            error: None,
            stop_at: None,
            limit: None,
        }
    }

    /// Where playing stops by itself: at `stop_at`, a lesson's limit or the scene's end.
    pub fn stop(&self) -> Instant {
        let stop = self.stop_at.unwrap_or(self.end()).min(self.end());
        self.limit.map_or(stop, |l| stop.min(l))
    }

    /// `t`, no further than a lesson's limit allows (a learner who is already past it, by an
    /// earlier step, stays where they are).
    fn held(&self, t: Instant) -> Instant {
        match self.limit {
            Some(l) if t > l => l.max(self.t.min(t)),
            _ => t,
        }
    }

    /// This scene (loaded if it is not the one shown; a challenge's `drawn` scene instead of
    /// the shipped one), paused at `at`. A moment the scene does not have shows its start, and
    /// says why.
    pub fn show(&mut self, scene_index: usize, drawn: Option<&Rc<Scene>>, at: &Moment) {
        match drawn {
            Some(drawn) if !Rc::ptr_eq(drawn, &self.scene) => {
                *self = Model {
                    scene_index,
                    scene: drawn.clone(),
                    ..Model::new_blank(self)
                };
            }
            Some(_) => {}
            None => {
                // A learner's own run gives way to the scene as shipped.
                let own_run = self.scene.run != 0;
                if (scene_index != self.scene_index || own_run) && !self.load(scene_index) {
                    return;
                }
            }
        }
        let t = match at.time(&self.scene.timeline) {
            Ok(t) => t,
            Err(e) => {
                self.error = Some(tp(Msg::PlayerStepUnshown, &[("why", &e.to_string())]));
                Instant::ZERO
            }
        };
        self.jump(t);
        self.selected = None;
        self.focus = None;
    }

    /// Load scene `index` and start it over, keeping the learner's settings; or keep what is
    /// shown and say why it could not be loaded. True when it loaded.
    fn load(&mut self, index: usize) -> bool {
        match Scene::load(index) {
            Ok(scene) => {
                *self = Model {
                    scene_index: index,
                    scene,
                    ..Model::new_blank(self)
                };
                true
            }
            Err(e) => {
                self.error = Some(e);
                false
            }
        }
    }

    pub fn end(&self) -> Instant {
        self.scene.end()
    }

    fn with(self: &Rc<Self>, change: impl FnOnce(&mut Model)) -> Rc<Self> {
        let mut next = (**self).clone();
        change(&mut next);
        if next == **self {
            self.clone()
        } else {
            Rc::new(next)
        }
    }

    /// Stop and show `t`, as the learner asked.
    fn jump(&mut self, t: Instant) {
        self.playing = false;
        self.stop_at = None;
        self.t = t.max(Instant::ZERO).min(self.end());
        self.jumps = self.jumps.wrapping_add(1);
    }
}

impl Reducible for Model {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let scene = self.scene.clone();
        match action {
            Action::Toggle(t) if self.playing => self.with(|m| m.jump(t)),
            // Held at a lesson's question: nothing plays until it is answered.
            Action::Toggle(_) if self.limit.is_some_and(|l| self.t >= l) => self,
            Action::Toggle(_) => self.with(|m| {
                if m.t >= m.end() {
                    m.t = Instant::ZERO;
                    m.jumps = m.jumps.wrapping_add(1);
                }
                m.playing = true;
            }),
            Action::StepForward(now) => {
                let next = self.held(scene.next_moment(now).unwrap_or(self.end()));
                self.with(|m| m.jump(next))
            }
            Action::StepBack(now) => {
                let previous = scene.previous_moment(now).unwrap_or(Instant::ZERO);
                self.with(|m| m.jump(previous))
            }
            Action::Restart => self.with(|m| {
                m.jump(Instant::ZERO);
                m.selected = None;
            }),
            Action::Seek(t) => self.with(|m| {
                let (playing, t) = (m.playing, m.held(t));
                m.jump(t);
                m.playing = playing && m.t < m.stop();
            }),
            Action::SetSpeed(s) => self.with(|m| m.speed = s.clamp(0.25, 4.0)),
            Action::Reach(t) => {
                if !self.playing {
                    return self;
                }
                self.with(|m| {
                    let stop = m.stop();
                    m.t = t.min(stop);
                    if m.t >= stop {
                        m.playing = false;
                        m.stop_at = None;
                    }
                })
            }
            Action::LoadScene(index) => self.with(|m| {
                m.load(index);
            }),
            Action::Select(seg) => self.with(|m| {
                m.selected = seg;
                if seg.is_some() {
                    m.panel = Panel::Packet;
                }
            }),
            Action::Hover(seg) => self.with(|m| m.hovered = seg),
            Action::Focus(f) => self.with(|m| m.focus = if m.focus == f { None } else { f }),
            Action::ToggleCompact => self.with(|m| m.compact = !m.compact),
            Action::PinTable(host) => self.with(|m| {
                m.table_pin = if m.table_pin == Some(host) {
                    None
                } else {
                    Some(host)
                }
            }),
            Action::ShowPanel(p) => self.with(|m| m.panel = p),
            Action::ShowHelp(open) => self.with(|m| m.help_open = open),
            Action::Show(index, drawn, at) => self.with(|m| m.show(index, drawn.as_ref(), &at)),
            // The question is answered: its limit goes (the lesson sets the next one).
            Action::Reveal(until, focus) => self.with(|m| {
                m.focus = focus;
                m.limit = None;
                if until > m.t {
                    m.playing = true;
                    m.stop_at = Some(until.min(m.end()));
                }
            }),
            Action::Limit(limit) => self.with(|m| m.limit = limit),
            Action::Run(scene) => self.with(|m| {
                m.scene = scene;
                m.jump(Instant::ZERO);
                m.selected = None;
                m.focus = None;
                m.limit = None;
                m.playing = true;
            }),
        }
    }
}

impl Model {
    /// The settings a learner chose, kept across scene changes; everything else starts over.
    fn new_blank(previous: &Model) -> Model {
        Model {
            scene_index: previous.scene_index,
            scene: previous.scene.clone(),
            t: Instant::ZERO,
            jumps: previous.jumps.wrapping_add(1),
            playing: false,
            speed: previous.speed,
            selected: None,
            hovered: None,
            focus: None,
            compact: previous.compact,
            table_pin: None,
            panel: previous.panel,
            help_open: false,
            error: None,
            stop_at: None,
            limit: previous.limit,
        }
    }
}
