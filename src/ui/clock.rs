//! The playback clock: the exact virtual time of the animation, which runs ahead of the
//! reducer's moment between events. The frame loop sets it; what moves every frame (packets,
//! the scrubber, the time display) listens to it and updates its own elements, so a frame
//! costs no re-render of the app.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::engine::time::Instant;

type Listener = Rc<dyn Fn(Instant)>;

#[derive(Default)]
struct Inner {
    t: Cell<i64>,
    busy: Cell<bool>,
    next_id: Cell<u64>,
    listeners: RefCell<Vec<(u64, Listener)>>,
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
    }
}

impl Clock {
    pub fn now(&self) -> Instant {
        Instant::from_micros(self.0.t.get())
    }

    /// Whether the app redraws on its own every so often while the clock runs (a busy scene:
    /// see `app::busy_redraw_ms`), so what shows the time need not update between redraws.
    pub fn busy(&self) -> bool {
        self.0.busy.get()
    }

    pub fn set_busy(&self, busy: bool) {
        self.0.busy.set(busy);
    }

    /// Move the clock without telling anyone (the reducer's redraw will show it).
    pub fn set(&self, t: Instant) {
        self.0.t.set(t.total_micros());
    }

    /// Move the clock and tell every listener.
    pub fn tick(&self, t: Instant) {
        self.set(t);
        // A copy, so a listener may subscribe or unsubscribe while being told.
        let listeners: Vec<Listener> = self
            .0
            .listeners
            .borrow()
            .iter()
            .map(|(_, l)| l.clone())
            .collect();
        for l in listeners {
            l(t);
        }
    }

    pub fn subscribe(&self, f: impl Fn(Instant) + 'static) -> Subscription {
        let id = self.0.next_id.get();
        self.0.next_id.set(id + 1);
        self.0.listeners.borrow_mut().push((id, Rc::new(f)));
        Subscription {
            clock: self.clone(),
            id,
        }
    }
}
