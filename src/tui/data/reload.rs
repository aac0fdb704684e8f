//! Reading the whole caseload again while the screens stay in use: after another officer's
//! import or purge, or a lost team database coming back. The read runs on another thread over
//! a second handle (as the open's second part does), which also lays out what the lists read
//! (the dense array, the days by CRN, the loads); the screens' thread only swaps it in, and
//! the caseload it replaces is freed on another thread (tens of thousands of cases take tens
//! of milliseconds to free). Until it lands the screens show what they held; a key never waits.

use super::{Brief, Caseload};
use crate::domain::case::Crn;
use crate::domain::clusters::{self, DayLoad};
use crate::domain::hash::QuickMap;
use crate::query::{CaseView, Planner};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::thread::JoinHandle;

/// A whole read under way.
pub(super) struct Reload {
    handle: JoinHandle<anyhow::Result<Whole>>,
    /// Cases read again one by one since it began: read again after it lands, in case the
    /// whole read saw them before they were written.
    pub(super) written: Vec<Crn>,
    /// Asked for again while under way: another read follows this one.
    again: bool,
}

/// Everything from the window's first day, read and laid out.
struct Whole {
    cases: Vec<CaseView>,
    brief: Vec<Brief>,
    days: QuickMap<u32, NaiveDate>,
    loads: BTreeMap<NaiveDate, DayLoad>,
    stored: usize,
}

impl Whole {
    fn read(planner: &Planner, today: NaiveDate) -> anyhow::Result<Whole> {
        let cases = planner.upcoming(today)?;
        let brief: Vec<Brief> = cases.iter().map(Brief::of).collect();
        let days = cases
            .iter()
            .map(|v| (v.case.crn.key(), v.expected_day()))
            .collect();
        let loads = clusters::loads(brief.iter().map(|b| (b.day, b.homeless)));
        Ok(Whole {
            cases,
            brief,
            days,
            loads,
            stored: planner.case_count()?,
        })
    }
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
                    .spawn(move || Whole::read(&reader, today))?;
                self.reloading = Some(Reload {
                    handle,
                    written: Vec::new(),
                    again: false,
                });
            }
            None => {
                let whole = Whole::read(planner, today)?;
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

    /// Holds `whole` in place of the cases held; `written` are read again after.
    fn replace(&mut self, planner: &Planner, whole: Whole, written: &[Crn]) -> anyhow::Result<()> {
        // A load still under way from the open is superseded: its thread ends by itself.
        self.rest = None;
        let old = (
            std::mem::replace(&mut self.cases, whole.cases),
            std::mem::replace(&mut self.brief, whole.brief),
            std::mem::replace(&mut self.days, whole.days),
            self.search.take(),
        );
        let _ = std::thread::Builder::new()
            .name("free".into())
            .spawn(move || drop(old));
        self.loads = whole.loads;
        self.stored = whole.stored;
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
        self.began = planner.change_token()?;
        self.recluster(planner)
    }
}
