//! The caseload the screens show, held in memory: loaded once from the query layer, then
//! kept current case by case after each edit (never reloaded whole per keypress).
//!
//! Here the held cases and what the lists read of them; `loader` loads the first days at once
//! and the rest on a second thread; `search` finds any case in the database (the held cases'
//! keys in `index`, the earlier cases' in `earlier`); `update` keeps it all current after a
//! write, this planner's or another's; `reload` reads everything again off the screens'
//! thread when another planner changed too much to follow case by case.

mod earlier;
mod index;
mod loader;
mod reload;
mod search;
#[cfg(test)]
mod tests;
mod update;

use crate::domain::case::Crn;
use crate::domain::clusters::{Cluster, DayLoad};
use crate::domain::hash::QuickMap;
use crate::query::{CaseView, ChangeToken, Planner};
use chrono::{Months, NaiveDate};
use earlier::Earlier;
use index::SearchIndex;
use std::collections::{BTreeMap, HashMap};
use std::thread::JoinHandle;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Brief {
    day: NaiveDate,
    homeless: bool,
    flagged: bool,
}

impl Brief {
    fn of(v: &CaseView) -> Brief {
        Brief {
            day: v.expected_day(),
            homeless: v.case.needs_accommodation(),
            flagged: !v.flags.is_empty(),
        }
    }
}

pub struct Caseload {
    pub today: NaiveDate,
    /// The first day held: today less the duty sheet's look-back days.
    pub from: NaiveDate,
    /// Every case still to be released plus the look-back days', by expected day then name.
    pub cases: Vec<CaseView>,
    /// Cases from before `from`, opened from a search: held whole for the popups showing them.
    others: HashMap<Crn, CaseView>,
    /// The search keys of every case before `from`, read on the first search.
    earlier: Option<Earlier>,
    /// Those keys while they are read on another thread, with the cases written meanwhile
    /// (their keys are brought up to date when the read arrives).
    earlier_loading: Option<(JoinHandle<anyhow::Result<Earlier>>, Vec<Crn>)>,
    /// Beside each case in `cases`, what the lists test of every case: kept apart in a
    /// small dense array, since reaching into 50,000 `CaseView`s of ~500 bytes each to read a
    /// day or a flag was most of the cost of rebuilding a list.
    brief: Vec<Brief>,
    /// Each case's expected day, by CRN (`Crn::key`: a number, so 100,000 CRNs are not
    /// copied): a case is found by searching its day's few cases, so an edit that moves a case
    /// shifts no positions here.
    days: QuickMap<u32, NaiveDate>,
    /// The folded search keys, made on the first search.
    search: Option<SearchIndex>,
    /// The last search's matches, by position in `cases`: (folded text, matches).
    hits: Option<(String, Vec<bool>)>,
    /// How many of `hits` are true, kept with them (the search line shows it every frame).
    hit_count: usize,
    /// Releases per expected day, from the cases above.
    pub loads: BTreeMap<NaiveDate, DayLoad>,
    /// Holiday and load clusters from today to 12 months on.
    pub clusters: Vec<Cluster>,
    /// Cases in the database, including those released long ago.
    pub stored: usize,
    /// The far-future cases, while they load on another thread (`loader`).
    rest: Option<loader::Rest>,
    /// The database's change token when the load began: if someone wrote while the two parts
    /// were read, the parts may not fit together and `settle` reads everything again.
    began: ChangeToken,
    /// Releases that could not be loaded at all (both reads failed): the screens keep saying
    /// so, since the lists and counts are short by this many until the next start.
    pub unloaded: usize,
    /// Everything being read again on another thread (`reload`), after another officer's
    /// import or purge.
    reloading: Option<reload::Reload>,
}

impl Caseload {
    /// Loads what the first screen needs now and the rest on another thread (`loader`);
    /// `settle` takes the rest in.
    pub fn load(planner: &Planner, today: NaiveDate) -> anyhow::Result<Caseload> {
        let began = planner.change_token()?;
        let first = loader::first(planner, today)?;
        let stored = planner.case_count()?;
        let mut data = Caseload {
            today,
            from: planner.window_start(today),
            others: HashMap::new(),
            earlier: None,
            earlier_loading: None,
            days: QuickMap::default(),
            brief: Vec::new(),
            cases: Vec::new(),
            search: None,
            hits: None,
            hit_count: 0,
            loads: BTreeMap::new(),
            clusters: Vec::new(),
            stored,
            rest: None,
            began,
            unloaded: 0,
            reloading: None,
        };
        data.append(first.cases);
        data.recount(planner)?;
        if let Some(rest) = first.rest {
            // Until the rest arrives, its releases count in the loads from the light read.
            data.loads.extend(rest.loads.iter().map(|(d, l)| (*d, *l)));
            data.recluster(planner)?;
            data.rest = Some(rest);
        }
        Ok(data)
    }

    /// Takes in the cases still loading, waiting for them if need be; true if there were
    /// any (the views' rows are then out of date). Every key calls this first.
    pub fn settle(&mut self, planner: &Planner) -> anyhow::Result<bool> {
        let Some(rest) = self.rest.take() else {
            return Ok(false);
        };
        let (after, missing) = (rest.after, rest.counts(self.today).0);
        let cases = match rest.wait() {
            Ok(cases) => cases,
            // The second connection failed: read them on this one.
            Err(_) => planner
                .upcoming_after(after, self.today)
                .inspect_err(|_| self.unloaded = missing)?,
        };
        let changed = planner.change_token().is_ok_and(|v| v != self.began);
        if !changed {
            self.take_rest(cases);
        } else {
            // Another writer committed meanwhile: a case it moved across the split could be
            // in both parts or in neither. Rare, and one whole read on this connection fixes it.
            let whole = planner
                .upcoming(self.today)
                .inspect_err(|_| self.unloaded = missing)?;
            self.cases.clear();
            self.brief.clear();
            self.days.clear();
            self.append(whole);
        }
        self.search = None;
        self.hits = None;
        self.recount(planner)?;
        Ok(true)
    }

    /// Whether cases are still loading on the second thread, and whether they have arrived.
    pub fn loading(&self) -> Option<bool> {
        self.rest.as_ref().map(loader::Rest::is_ready)
    }

    /// How many shown releases from today on, and how many of them with nowhere to go, are
    /// still loading (counted at open); (0, 0) once everything is in.
    pub fn loading_counts(&self) -> (usize, usize) {
        self.rest.as_ref().map_or((0, 0), |r| r.counts(self.today))
    }

    /// Takes in the cases read on the second connection. Nobody wrote between the reads, so
    /// this is a guard: were a case in both parts, the newer version wins. The rest all fall
    /// after every case held, so what remains appends in order.
    fn take_rest(&mut self, mut cases: Vec<CaseView>) {
        let mut stale = Vec::new();
        cases.retain(|v| match self.position(&v.case.crn) {
            Some(i) if self.cases[i].version >= v.version => false,
            Some(i) => {
                stale.push(i);
                true
            }
            None => true,
        });
        stale.sort_unstable();
        for i in stale.into_iter().rev() {
            self.remove(i);
        }
        self.append(cases);
    }

    /// Adds cases that come after every case held, in list order. When their list has room
    /// for the cases held (`Planner::upcoming_after` leaves it), those go in front of them
    /// there: copying 50,000 cases after the held ones would hold both lists at once.
    fn append(&mut self, mut cases: Vec<CaseView>) {
        self.days.reserve(cases.len());
        self.days
            .extend(cases.iter().map(|v| (v.case.crn.key(), v.expected_day())));
        self.brief.extend(cases.iter().map(Brief::of));
        if cases.capacity() - cases.len() >= self.cases.len() {
            cases.splice(0..0, std::mem::take(&mut self.cases));
            self.cases = cases;
        } else {
            self.cases.extend(cases);
        }
    }

    /// A case held: in the window, or opened from a search (`hold`).
    pub fn get(&self, crn: &Crn) -> Option<&CaseView> {
        self.position(crn)
            .map(|i| &self.cases[i])
            .or_else(|| self.others.get(crn))
    }

    /// Makes sure a case is held whole, reading it if it lies outside the window; false when
    /// it is no longer in the database.
    pub fn hold(&mut self, planner: &Planner, crn: &Crn) -> anyhow::Result<bool> {
        if self.get(crn).is_some() {
            return Ok(true);
        }
        match planner.case(crn, self.today)? {
            Some(v) if v.expected_day() >= self.from => {
                // In the window's days but not held (written elsewhere since open).
                self.refresh_case(planner, crn)?;
                Ok(true)
            }
            Some(v) => {
                self.others.insert(crn.clone(), v);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Case `i`'s expected day (as `cases[i].expected_day()`, read from the dense array).
    pub fn day(&self, i: usize) -> NaiveDate {
        self.brief[i].day
    }

    /// Whether case `i` needs accommodation (as `cases[i].case.needs_accommodation()`).
    pub fn homeless(&self, i: usize) -> bool {
        self.brief[i].homeless
    }

    /// Whether case `i` carries any gap flag.
    pub fn flagged(&self, i: usize) -> bool {
        self.brief[i].flagged
    }

    /// The position of the first case expected on `day` or later.
    pub fn first_on_or_after(&self, day: NaiveDate) -> usize {
        self.brief.partition_point(|b| b.day < day)
    }

    /// Where a case sits in `cases`: a search of its expected day's cases only.
    pub fn position(&self, crn: &Crn) -> Option<usize> {
        let day = *self.days.get(&crn.key())?;
        let lo = self.first_on_or_after(day);
        let hi = lo + self.brief[lo..].partition_point(|b| b.day <= day);
        (lo..hi).find(|i| self.cases[*i].case.crn == *crn)
    }

    fn recount(&mut self, planner: &Planner) -> anyhow::Result<()> {
        self.loads = crate::domain::clusters::loads(self.brief.iter().map(|b| (b.day, b.homeless)));
        self.recluster(planner)
    }

    fn recluster(&mut self, planner: &Planner) -> anyhow::Result<()> {
        let to = self.today + Months::new(12);
        self.clusters = planner.clusters_from_loads(self.today, to, &self.loads)?;
        Ok(())
    }

    pub fn cluster_on(&self, day: NaiveDate) -> Option<&Cluster> {
        self.clusters
            .binary_search_by_key(&day, |k| k.day)
            .ok()
            .map(|i| &self.clusters[i])
    }
}
