//! Keeping the caseload current case by case after each write: the case read again and moved
//! to its place, with the search's matches, the loads and the clusters kept up, never
//! reloading the whole caseload.

use super::{Brief, Caseload};
use crate::domain::case::Crn;
use crate::query::{CaseView, Planner};
use crate::tui::filter::Filter;

impl Caseload {
    /// Reloads one case after it changed; keeps order, search, loads and clusters current
    /// without going over the other cases (an edit costs the same at 100 cases or 100,000).
    pub fn refresh_case(&mut self, planner: &Planner, crn: &Crn) -> anyhow::Result<()> {
        self.refresh_one(planner, crn)?;
        self.recluster(planner)
    }

    /// Reloads the cases another planner wrote (`refresh_case` for each, the clusters worked
    /// out once for them all). While the whole caseload is being read again, they are read
    /// again once it lands too, in case it was read before they were written.
    pub fn refresh_cases(&mut self, planner: &Planner, crns: &[Crn]) -> anyhow::Result<()> {
        for crn in crns {
            self.refresh_one(planner, crn)?;
        }
        if let Some(reload) = &mut self.reloading {
            reload.written.extend(crns.iter().cloned());
        }
        // Cases added or deleted elsewhere change the count (the welcome screen reads it).
        self.stored = planner.case_count()?;
        self.recluster(planner)
    }

    pub(super) fn refresh_one(&mut self, planner: &Planner, crn: &Crn) -> anyhow::Result<()> {
        let fresh = planner.case(crn, self.today)?;
        let at = self.position(crn);
        // Among the earlier cases only if it was not held, or now lies before the window: an
        // edit to a held case that stays held (nearly every edit) skips a scan of them.
        let before = |v: &CaseView| v.expected_day() < self.from;
        if at.is_none() || fresh.as_ref().is_some_and(before) {
            if let Some(e) = &mut self.earlier {
                e.update(crn, fresh.as_ref(), self.from);
            }
            if let Some((_, written)) = &mut self.earlier_loading {
                written.push(crn.clone());
            }
        }
        self.others.remove(crn);
        // Moved before the window (a confirmed day in the past): no longer in the lists, but
        // still held for the popup that shows it.
        let fresh = match fresh {
            Some(v) if v.expected_day() < self.from => {
                self.others.insert(crn.clone(), v);
                None
            }
            fresh => fresh,
        };
        match (at, fresh) {
            (Some(i), Some(view))
                if view.expected_day() == self.cases[i].expected_day()
                    && view.case.name == self.cases[i].case.name =>
            {
                // Same day and name (an import elsewhere may rename): order holds; swap in place.
                self.count(i, -1);
                self.brief[i] = Brief::of(&view);
                self.cases[i] = view;
                self.count(i, 1);
                if let Some(index) = &mut self.search {
                    index.set(i, &self.cases[i]);
                }
                self.rematch(i, false);
            }
            (at, fresh) => {
                if let Some(i) = at {
                    self.remove(i);
                }
                if let Some(view) = fresh {
                    self.insert_sorted(view);
                }
            }
        }
        Ok(())
    }

    pub(super) fn remove(&mut self, i: usize) {
        self.count(i, -1);
        let gone = self.cases.remove(i);
        self.brief.remove(i);
        self.days.remove(&gone.case.crn.key());
        if let Some(index) = &mut self.search {
            index.remove(i);
        }
        if let Some((_, hits)) = &mut self.hits {
            self.hit_count -= usize::from(hits.remove(i));
        }
    }

    pub(super) fn insert_sorted(&mut self, view: CaseView) {
        let key = |v: &CaseView| (v.expected_day(), v.case.name.clone(), v.case.crn.clone());
        let k = key(&view);
        let at = self.cases.partition_point(|v| key(v) < k);
        self.days.insert(view.case.crn.key(), view.expected_day());
        self.brief.insert(at, Brief::of(&view));
        self.cases.insert(at, view);
        self.count(at, 1);
        if let Some(index) = &mut self.search {
            index.insert(at, &self.cases[at]);
        }
        self.rematch(at, true);
    }

    /// Keeps the last search's matches current for case `i` (new at `i` when `inserted`).
    pub(super) fn rematch(&mut self, i: usize, inserted: bool) {
        if let Some((folded, hits)) = &mut self.hits {
            let hit = Filter::search_key(&self.cases[i]).contains(folded.as_str());
            if inserted {
                hits.insert(i, hit);
            } else {
                self.hit_count -= usize::from(std::mem::replace(&mut hits[i], hit));
            }
            self.hit_count += usize::from(hit);
        }
    }

    /// Adds (`by` = 1) or takes away (-1) case `i` from the loads of its day.
    pub(super) fn count(&mut self, i: usize, by: isize) {
        let Brief { day, homeless, .. } = self.brief[i];
        let load = self.loads.entry(day).or_default();
        load.load = load.load.saturating_add_signed(by);
        if homeless {
            load.no_accommodation = load.no_accommodation.saturating_add_signed(by);
        }
        if load.load == 0 {
            // As if counted afresh: days without releases have no entry.
            self.loads.remove(&day);
        }
    }
}
