//! Reading the whole caseload again while the screens stay in use: after another officer's
//! import or purge, or a lost team database coming back. The read runs on another thread over
//! a second handle (as the open's second part does), and is taken in once it has arrived, so
//! a key never waits for it; until then the screens show what they held.

use super::Caseload;
use crate::domain::case::Crn;
use crate::query::{CaseView, Planner};
use std::thread::JoinHandle;

/// A whole read under way.
pub(super) struct Reload {
    handle: JoinHandle<anyhow::Result<Vec<CaseView>>>,
    /// Cases read again one by one since it began: read again after it lands, in case the
    /// whole read saw them before they were written.
    pub(super) written: Vec<Crn>,
    /// Asked for again while under way: another read follows this one.
    again: bool,
}

impl Caseload {
    /// Starts reading everything again (on this thread for a database with no second handle,
    /// one in memory, which no other planner can write to anyway). Asked again while a read
    /// is under way, another follows it.
    pub fn begin_reload(&mut self, planner: &Planner) -> anyhow::Result<()> {
        if let Some(reload) = &mut self.reloading {
            reload.again = true;
            return Ok(());
        }
        let today = self.today;
        match planner.reader()? {
            Some(reader) => {
                let handle = std::thread::Builder::new()
                    .name("reload".into())
                    .spawn(move || Ok(reader.upcoming(today)?))?;
                self.reloading = Some(Reload {
                    handle,
                    written: Vec::new(),
                    again: false,
                });
            }
            None => {
                let whole = planner.upcoming(today)?;
                self.replace(planner, whole, &[])?;
            }
        }
        Ok(())
    }

    /// Whether a whole read is under way.
    pub fn reloading(&self) -> bool {
        self.reloading.is_some()
    }

    /// Takes in a whole read once it has arrived (`wait`: waiting for it); true when it was
    /// taken in now (the views' rows are then out of date).
    pub fn take_reload(&mut self, planner: &Planner, wait: bool) -> anyhow::Result<bool> {
        match &self.reloading {
            Some(r) if wait || r.handle.is_finished() => {}
            _ => return Ok(false),
        }
        let Some(reload) = self.reloading.take() else {
            return Ok(false);
        };
        let whole = reload
            .handle
            .join()
            .map_err(|_| anyhow::anyhow!("reading the caseload again stopped unexpectedly"))??;
        self.replace(planner, whole, &reload.written)?;
        if reload.again {
            self.begin_reload(planner)?;
        }
        Ok(true)
    }

    /// Holds `whole` (every case from the window's first day, in list order) in place of the
    /// cases held; `written` are read again after.
    fn replace(
        &mut self,
        planner: &Planner,
        whole: Vec<CaseView>,
        written: &[Crn],
    ) -> anyhow::Result<()> {
        // A load still under way from the open is superseded: its thread ends by itself.
        self.rest = None;
        self.cases.clear();
        self.brief.clear();
        self.days.clear();
        self.append(whole);
        self.search = None;
        self.hits = None;
        self.hit_count = 0;
        // The earlier cases (before the window) may have been purged or changed: their keys
        // are read again if a search has begun, and the few held whole are read again.
        let searched = self.earlier.is_some() || self.earlier_loading.is_some();
        self.earlier = None;
        self.earlier_loading = None;
        if searched {
            self.begin_search(planner)?;
        }
        let others: Vec<Crn> = self.others.keys().cloned().collect();
        for crn in others.iter().chain(written) {
            self.refresh_one(planner, crn)?;
        }
        self.stored = planner.case_count()?;
        self.began = planner.change_token()?;
        self.recount(planner)
    }
}
