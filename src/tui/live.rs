//! Live on every desk: what another officer writes to the same database shows here without a
//! key. The event loop calls `App::watch` every `POLL` while no key comes; the query layer
//! says what changed (nothing, some cases, or everything). Changed cases are read again one by
//! one on this thread; everything is read again on another (`Caseload::begin_reload`) and
//! taken in when it lands. Either way the cursor stays on its case, and the scroll, the
//! search, the filters and any open pop-up or half-typed form stay as they were: an open
//! editor keeps the version it was opened on, so its save is refused, not lost, if the case
//! changed meanwhile (`App::save`).
//!
//! A team database that cannot be reached (`QueryError::is_unreachable`) is said in the
//! header until it answers again; keys keep working on what is held, and once it answers,
//! everything is read again (what was written meanwhile was not seen).

use super::app::App;
use crate::domain::case::Crn;
use crate::query::Changed;
use std::time::Duration;

/// How often the screens look for other officers' changes while no key comes: a change shows
/// on every other planner within this and the time to read it.
pub const POLL: Duration = Duration::from_millis(250);

impl App {
    /// Looks for what other planners wrote and takes it in; true when the screen changed and
    /// should be drawn again. Skipped while the caseload is still loading from the open.
    pub fn watch(&mut self) -> bool {
        if self.data.loading().is_some() {
            return false;
        }
        let landed = self.take_reload(false);
        let result = match &mut self.link.watch {
            Some(watch) => self.planner.changed(watch),
            // No first look yet (the database could not be reached at open): from now on,
            // with everything read again.
            None => self.planner.watch().map(|watch| {
                self.link.watch = Some(watch);
                Changed::Everything
            }),
        };
        landed | self.watched(result)
    }

    /// Takes in what a look at the database found (`watch`); true when the screen changed.
    pub fn watched(&mut self, result: crate::query::Result<Changed>) -> bool {
        match result {
            Ok(changed) => self.reached(changed),
            Err(e) if e.is_unreachable() => !std::mem::replace(&mut self.link.lost, true),
            Err(e) => {
                let first = !std::mem::replace(&mut self.link.failed, true);
                if first {
                    self.complain(format!("Other officers' changes could not be read: {e}"));
                }
                first
            }
        }
    }

    /// A look succeeded: takes in what it found. True when the screen changed.
    fn reached(&mut self, changed: Changed) -> bool {
        self.link.failed = false;
        if std::mem::replace(&mut self.link.lost, false) {
            // Whatever was written while it was away was not seen.
            self.say("The team database is reachable again: everything has been read again");
            self.reload_all();
            return true;
        }
        match changed {
            Changed::Nothing => false,
            Changed::Cases(crns) => {
                self.take_changes(&crns);
                true
            }
            Changed::Everything => self.reload_all(),
        }
    }

    /// Whether the team database could not be reached at the last look.
    pub fn unreachable(&self) -> bool {
        self.link.lost
    }

    /// Cases another planner wrote: each read again and put in its place.
    fn take_changes(&mut self, crns: &[Crn]) {
        let selected = self.selected();
        if let Err(e) = self.data.refresh_cases(&self.planner, crns) {
            self.complain(format!("The screen could not be refreshed: {e}"));
        }
        self.keep_place(selected);
        let (data, planner) = (&self.data, &self.planner);
        for crn in crns {
            self.popups
                .iter_mut()
                .for_each(|p| p.refresh_case(crn, data, planner));
        }
    }

    /// Starts reading everything again; true when it was done at once (a database with no
    /// second handle), so the screen changed. A holiday file imported elsewhere comes in too.
    fn reload_all(&mut self) -> bool {
        if let Err(e) = self.planner.reread_calendar() {
            self.complain(format!("The bank holidays could not be read again: {e}"));
        }
        let reloading = self.data.reloading();
        if let Err(e) = self.data.begin_reload(&self.planner) {
            self.complain(format!("The screen could not be refreshed: {e}"));
            return true;
        }
        !reloading && !self.data.reloading() && {
            self.after_reload();
            true
        }
    }

    /// Takes in a whole read once it has arrived (`wait`: waiting for it, as tests and a key
    /// that needs the whole caseload do); true when it landed now.
    pub fn take_reload(&mut self, wait: bool) -> bool {
        match self.data.take_reload(&self.planner, wait) {
            Ok(true) => {
                self.after_reload();
                true
            }
            Ok(false) => false,
            Err(e) => {
                self.complain(format!("The screen could not be refreshed: {e}"));
                true
            }
        }
    }

    fn after_reload(&mut self) {
        let selected = self.selected();
        self.keep_place(selected);
        let (data, planner) = (&self.data, &self.planner);
        self.popups
            .iter_mut()
            .for_each(|p| p.refresh_all(data, planner));
    }

    /// The rows rebuilt after the caseload changed, with the cursor back on `selected`
    /// wherever it now sits.
    fn keep_place(&mut self, selected: Option<Crn>) {
        self.refresh_views();
        if let Some(crn) = selected {
            if self.selected().as_ref() != Some(&crn) {
                let data = &self.data;
                self.views.get_mut(self.view).select(&crn, data);
            }
        }
    }
}
