//! The view's state and its one reducer: the only place that changes what is shown. Everything
//! drawn at virtual time `t` comes from `scene.timeline.seek(t)`.

use std::rc::Rc;

use yew::prelude::*;

use super::scenes::Scene;
use crate::engine::event::SegmentId;
use crate::engine::net::HostId;
use crate::engine::socket::SockId;
use crate::engine::time::{Duration, Instant};

/// Playback speeds a learner can pick.
pub const SPEEDS: [f64; 5] = [0.25, 0.5, 1.0, 2.0, 4.0];

/// Virtual microseconds per real millisecond at 1×: a 100 ms link takes 2.5 s to cross.
const RATE_US_PER_MS: f64 = 40.0;
/// How much faster time runs while nothing is on the wire (TIME-WAIT, retry back-off).
const QUIET_FACTOR: f64 = 250.0;

#[derive(Clone, PartialEq)]
pub struct Model {
    pub scene_index: usize,
    pub scene: Rc<Scene>,
    pub t: Instant,
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
    pub help_open: bool,
    /// A scene that could not be loaded, in words.
    pub error: Option<String>,
}

pub enum Action {
    TogglePlay,
    StepForward,
    StepBack,
    Restart,
    Seek(Instant),
    SetSpeed(f64),
    /// The animation frame: this much real time passed.
    Tick(f64),
    LoadScene(usize),
    Select(Option<SegmentId>),
    Hover(Option<SegmentId>),
    Focus(Option<(HostId, SockId)>),
    ToggleCompact,
    ShowHelp(bool),
}

impl Model {
    pub fn new(scene_index: usize) -> Model {
        let (scene_index, scene, error) = match Scene::load(scene_index) {
            Ok(scene) => (scene_index, scene, None),
            Err(e) => {
                // Fall back to the first scene, and say why.
                let first = Scene::load(0)
                    .unwrap_or_else(|e2| panic!("the built-in scenes are broken: {e}; {e2}"));
                (0, first, Some(e))
            }
        };
        Model {
            scene_index,
            scene,
            t: Instant::ZERO,
            playing: false,
            speed: 1.0,
            selected: None,
            hovered: None,
            focus: None,
            compact: false,
            help_open: false,
            error,
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
}

impl Reducible for Model {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let timeline = &self.scene.timeline;
        match action {
            Action::TogglePlay => self.with(|m| {
                if !m.playing && m.t >= m.end() {
                    m.t = Instant::ZERO;
                }
                m.playing = !m.playing;
            }),
            Action::StepForward => {
                let next = timeline.next_event(self.t).unwrap_or(self.end());
                self.with(|m| {
                    m.playing = false;
                    m.t = next;
                })
            }
            Action::StepBack => {
                let previous = timeline.previous_event(self.t).unwrap_or(Instant::ZERO);
                self.with(|m| {
                    m.playing = false;
                    m.t = previous;
                })
            }
            Action::Restart => self.with(|m| {
                m.playing = false;
                m.t = Instant::ZERO;
                m.selected = None;
            }),
            Action::Seek(t) => self.with(|m| m.t = t.max(Instant::ZERO).min(m.end())),
            Action::SetSpeed(s) => self.with(|m| m.speed = s.clamp(0.25, 4.0)),
            Action::Tick(real_ms) => {
                if !self.playing {
                    return self;
                }
                let real_ms = real_ms.clamp(0.0, 100.0);
                let mut step = real_ms * RATE_US_PER_MS * self.speed;
                let quiet = !self.scene.busy_at(self.t);
                let next = timeline.next_event(self.t);
                if quiet {
                    // Hurry through quiet stretches, but stop at the next thing that happens.
                    step *= QUIET_FACTOR;
                }
                let mut t = self.t + Duration::from_micros(step.max(1.0) as u64);
                if quiet {
                    if let Some(next) = next {
                        t = t.min(next);
                    }
                }
                let end = self.end();
                self.with(|m| {
                    m.t = t.min(end);
                    if t >= end {
                        m.playing = false;
                    }
                })
            }
            Action::LoadScene(index) => match Scene::load(index) {
                Ok(scene) => Rc::new(Model {
                    scene_index: index,
                    scene,
                    error: None,
                    ..Model::new_blank(&self)
                }),
                Err(e) => self.with(|m| m.error = Some(e)),
            },
            Action::Select(seg) => self.with(|m| m.selected = seg),
            Action::Hover(seg) => self.with(|m| m.hovered = seg),
            Action::Focus(f) => self.with(|m| m.focus = if m.focus == f { None } else { f }),
            Action::ToggleCompact => self.with(|m| m.compact = !m.compact),
            Action::ShowHelp(open) => self.with(|m| m.help_open = open),
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
            playing: false,
            speed: previous.speed,
            selected: None,
            hovered: None,
            focus: None,
            compact: previous.compact,
            help_open: false,
            error: None,
        }
    }
}
