//! The caseload the screens show, held in memory: loaded once from the query layer, then
//! kept current case by case after each edit (never reloaded whole per keypress).

use super::filter::Filter;
use crate::domain::case::Crn;
use crate::domain::clusters::{Cluster, DayLoad};
use crate::query::{CaseView, Planner};
use chrono::{Months, NaiveDate};
use std::collections::{BTreeMap, HashMap};

pub struct Caseload {
    pub today: NaiveDate,
    /// Every case still to be released plus the look-back days', by expected day then name.
    pub cases: Vec<CaseView>,
    /// Each case's folded search key, beside it in `cases`.
    keys: Vec<String>,
    index: HashMap<Crn, usize>,
    /// Releases per expected day, from the cases above.
    pub loads: BTreeMap<NaiveDate, DayLoad>,
    /// Holiday and load clusters from today to 12 months on.
    pub clusters: Vec<Cluster>,
    /// Cases in the database, including those released long ago.
    pub stored: usize,
}

impl Caseload {
    pub fn load(planner: &Planner, today: NaiveDate) -> anyhow::Result<Caseload> {
        let cases = planner.upcoming(today)?;
        let stored = planner.store.case_count()?;
        let keys = cases.iter().map(Filter::search_key).collect();
        let mut data = Caseload {
            today,
            cases,
            keys,
            index: HashMap::new(),
            loads: BTreeMap::new(),
            clusters: Vec::new(),
            stored,
        };
        data.reindex(planner);
        Ok(data)
    }

    pub fn get(&self, crn: &Crn) -> Option<&CaseView> {
        self.index.get(crn).map(|i| &self.cases[*i])
    }

    /// Whether case `i` passes the filter and search.
    pub fn visible(&self, i: usize, filter: &Filter) -> bool {
        filter.matches_keyed(&self.cases[i], &self.keys[i])
    }

    pub fn position(&self, crn: &Crn) -> Option<usize> {
        self.index.get(crn).copied()
    }

    /// Reloads one case after it changed; keeps order, loads and clusters current.
    pub fn refresh_case(&mut self, planner: &Planner, crn: &Crn) -> anyhow::Result<()> {
        let fresh = planner.case(crn, self.today)?;
        let old_day = self.get(crn).map(|c| c.expected_day());
        match (self.index.get(crn).copied(), fresh) {
            (Some(i), Some(view)) if Some(view.expected_day()) == old_day => {
                // Same day: swap in place; the name never changes by edit, so order holds.
                let need =
                    view.case.needs_accommodation() != self.cases[i].case.needs_accommodation();
                self.keys[i] = Filter::search_key(&view);
                self.cases[i] = view;
                if need {
                    self.recount(planner);
                }
                return Ok(());
            }
            (Some(i), fresh) => {
                self.cases.remove(i);
                self.keys.remove(i);
                if let Some(view) = fresh {
                    self.insert_sorted(view);
                }
            }
            (None, Some(view)) => self.insert_sorted(view),
            (None, None) => return Ok(()),
        }
        self.reindex(planner);
        Ok(())
    }

    fn insert_sorted(&mut self, view: CaseView) {
        let key = |v: &CaseView| (v.expected_day(), v.case.name.clone(), v.case.crn.clone());
        let k = key(&view);
        let at = self.cases.partition_point(|v| key(v) < k);
        self.keys.insert(at, Filter::search_key(&view));
        self.cases.insert(at, view);
    }

    fn reindex(&mut self, planner: &Planner) {
        self.index = self
            .cases
            .iter()
            .enumerate()
            .map(|(i, v)| (v.case.crn.clone(), i))
            .collect();
        self.recount(planner);
    }

    fn recount(&mut self, planner: &Planner) {
        let loads = crate::domain::clusters::loads(
            self.cases
                .iter()
                .map(|v| (v.expected_day(), v.case.needs_accommodation())),
        );
        let to = self.today + Months::new(12);
        self.clusters = planner.clusters_from_loads(self.today, to, &loads);
        self.loads = loads;
    }

    pub fn cluster_on(&self, day: NaiveDate) -> Option<&Cluster> {
        self.clusters
            .binary_search_by_key(&day, |k| k.day)
            .ok()
            .map(|i| &self.clusters[i])
    }
}
