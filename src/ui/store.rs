//! The learner's progress in the browser: kept in `localStorage` under a versioned key,
//! exported to a JSON file and imported back. What it means lives in
//! [`crate::lessons::progress`]; this file only moves it in and out of the browser.

use std::rc::Rc;

use crate::i18n::{t, Msg};
use yew::prelude::*;

use crate::lessons::{Progress, PROGRESS_KEY};

/// Something the learner did that progress records.
#[derive(Clone, Debug, PartialEq)]
pub enum Update {
    Saw(String, usize),
    Answered(String, usize, bool),
    /// A challenge's attempt with this seed is shown, of this many questions.
    Drew(String, u64, usize),
    /// A challenge's fix, at this step, holds: sent before its `Answered`.
    Passed(String, usize),
    Hinted(String, usize),
    Shown(String, usize),
    /// Imported from a file.
    Replace(Progress),
    Reset,
}

/// The progress, and a line to show when what was stored could not be read (it was reset).
#[derive(Clone, PartialEq)]
pub struct Store {
    pub progress: Rc<Progress>,
    pub notice: Option<String>,
}

fn storage() -> Option<web_sys::Storage> {
    gloo::utils::window().local_storage().ok().flatten()
}

impl Store {
    pub fn load() -> Store {
        let stored = storage().and_then(|s| s.get_item(PROGRESS_KEY).ok().flatten());
        let (progress, notice) = Progress::restore(stored.as_deref());
        let store = Store {
            progress: Rc::new(progress),
            notice,
        };
        if store.notice.is_some() {
            store.save();
        }
        store
    }

    /// Write it back. A browser that keeps nothing (private mode, storage full) still lets
    /// the learner go on; the progress then lasts as long as the page.
    fn save(&self) {
        if let Some(s) = storage() {
            let _ = s.set_item(PROGRESS_KEY, &self.progress.to_json());
        }
    }
}

impl Reducible for Store {
    type Action = Update;

    fn reduce(self: Rc<Self>, update: Update) -> Rc<Self> {
        let mut p = (*self.progress).clone();
        let mut notice = self.notice.clone();
        match update {
            Update::Saw(l, s) => p.saw(&l, s),
            Update::Answered(l, s, ok) => p.answered(&l, s, ok),
            Update::Drew(l, seed, asked) => p.drew(&l, seed, asked),
            Update::Passed(l, s) => p.passed(&l, s),
            Update::Hinted(l, s) => p.hinted(&l, s),
            Update::Shown(l, s) => p.shown(&l, s),
            Update::Replace(new) => {
                p = new;
                notice = Some(t(Msg::HomeImported).to_string());
            }
            Update::Reset => {
                p = Progress::new();
                notice = Some(t(Msg::HomeResetDone).to_string());
            }
        }
        if p == *self.progress && notice == self.notice {
            return self;
        }
        let next = Store {
            progress: Rc::new(p),
            notice,
        };
        next.save();
        Rc::new(next)
    }
}

/// Offer the progress as a file to download.
pub fn export(progress: &Progress) -> Result<(), String> {
    super::download::save(&super::download::File {
        name: "socket-lab-progress.json",
        mime: "application/json",
        bytes: progress.to_json().as_bytes(),
    })
}
