//! The playback clock: the exact virtual time of the animation, which runs ahead of the
//! reducer's moment between events. While playing it follows a [`Pace`], a function of real
//! time, so it costs nothing between the moments the page wakes for: the stage's worker
//! follows the same pace and draws the packets at every frame; the frame loop (`app.rs`) ticks
//! the clock when a moment is due, and twice a second for the scrubber and the time display.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::engine::time::Instant;
use crate::view::pace::Pace;

type Listener = Rc<dyn Fn(Instant)>;
type PaceListener = Rc<dyn Fn(Option<&Rc<Pace>>, Instant)>;

#[derive(Default)]
struct Inner {
    t: Cell<i64>,
    busy: Cell<bool>,
    next_id: Cell<u64>,
    listeners: RefCell<Vec<(u64, Listener)>>,
    pace: RefCell<Option<Rc<Pace>>>,
    pace_listeners: RefCell<Vec<(u64, PaceListener)>>,
}

/// Shared by the app and the parts that move every frame. Two clocks are equal only when they
/// are the same clock, so handing one down never counts as a change of props.
#[derive(Clone, Default)]
pub struct Clock(Rc<Inner>);

impl PartialEq for Clock {
    fn eq(&self, other: &Clock) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Stops listening when dropped.
pub struct Subscription {
    clock: Clock,
    id: u64,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.clock
            .0
            .listeners
            .borrow_mut()
            .retain(|(id, _)| *id != self.id);
        self.clock
            .0
            .pace_listeners
            .borrow_mut()
            .retain(|(id, _)| *id != self.id);
    }
}

impl Clock {
    /// Where the clock is: while playing, where the pace has it now.
    pub fn now(&self) -> Instant {
        match self.0.pace.borrow().as_ref() {
            Some(p) => Instant::from_micros(p.at(real_now()) as i64),
            None => Instant::from_micros(self.0.t.get()),
        }
    }

    /// The pace it follows while playing.
    pub fn pace(&self) -> Option<Rc<Pace>> {
        self.0.pace.borrow().clone()
    }

    /// Play at `pace` (the frame loop) and tell whoever follows the pace.
    pub fn play(&self, pace: Pace) {
        *self.0.pace.borrow_mut() = Some(Rc::new(pace));
        self.tell_pace();
    }

    /// Stop following the pace, where it has got to.
    pub fn halt(&self) {
        if self.0.pace.borrow().is_some() {
            self.set(self.now());
        }
    }

    /// Whether the app redraws on its own every so often while the clock runs (a busy scene:
    /// see `app::busy_redraw_ms`), so what shows the time need not update between redraws.
    pub fn busy(&self) -> bool {
        self.0.busy.get()
    }

    pub fn set_busy(&self, busy: bool) {
        self.0.busy.set(busy);
    }

    /// Move the clock without telling the tick listeners (the reducer's redraw will show it).
    /// If it was playing it stops following its pace, and whoever followed that is told.
    pub fn set(&self, t: Instant) {
        self.0.t.set(t.total_micros());
        if self.0.pace.borrow_mut().take().is_some() {
            self.tell_pace();
        }
    }

    fn tell_pace(&self) {
        let pace = self.pace();
        let t = self.now();
        for l in copied(&self.0.pace_listeners) {
            l(pace.as_ref(), t);
        }
    }

    /// Told when playing starts (with its pace) or stops (with where it stopped).
    pub fn follow(&self, f: impl Fn(Option<&Rc<Pace>>, Instant) + 'static) -> Subscription {
        let id = self.next_id();
        self.0.pace_listeners.borrow_mut().push((id, Rc::new(f)));
        Subscription {
            clock: self.clone(),
            id,
        }
    }

    fn next_id(&self) -> u64 {
        let id = self.0.next_id.get();
        self.0.next_id.set(id + 1);
        id
    }

    /// Tell every tick listener the clock's moment (while playing, its pace's), and keep it.
    pub fn tick(&self, t: Instant) {
        self.0.t.set(t.total_micros());
        for l in copied(&self.0.listeners) {
            l(t);
        }
    }

    /// Told at every tick of the frame loop (see the module's note).
    pub fn subscribe(&self, f: impl Fn(Instant) + 'static) -> Subscription {
        let id = self.next_id();
        self.0.listeners.borrow_mut().push((id, Rc::new(f)));
        Subscription {
            clock: self.clone(),
            id,
        }
    }
}

/// The listeners, copied, so that one may subscribe or unsubscribe while being told.
fn copied<L: Clone>(list: &RefCell<Vec<(u64, L)>>) -> Vec<L> {
    list.borrow().iter().map(|(_, l)| l.clone()).collect()
}

/// Real time in ms since the epoch: the page's and the stage worker's clocks agree on it.
pub fn real_now() -> f64 {
    let p = gloo::utils::window().performance();
    p.map_or_else(js_sys::Date::now, |p| p.time_origin() + p.now())
}
