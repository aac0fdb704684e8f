//! The caseload the screens show, held in memory: loaded once from the query layer, then
//! kept current case by case after each edit (never reloaded whole per keypress).

use super::earlier::Earlier;
use super::filter::Filter;
use super::loader;
use super::search::SearchIndex;
use crate::domain::case::Crn;
use crate::domain::clusters::{Cluster, DayLoad};
use crate::query::search::CaseKey;
use crate::query::{CaseView, Planner};
use chrono::{Months, NaiveDate};
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
    /// Each case's expected day, by CRN: a case is found by searching its day's few cases,
    /// so an edit that moves a case shifts no positions here.
    days: HashMap<Crn, NaiveDate>,
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
    /// `Store::data_version` when the load began: if someone else wrote while the two parts
    /// were read, the parts may not fit together and `settle` reads everything again.
    began: i64,
    /// Releases that could not be loaded at all (both reads failed): the screens keep saying
    /// so, since the lists and counts are short by this many until the next start.
    pub unloaded: usize,
}

impl Caseload {
    /// Loads what the first screen needs now and the rest on another thread (`loader`);
    /// `settle` takes the rest in.
    pub fn load(planner: &Planner, today: NaiveDate) -> anyhow::Result<Caseload> {
        let began = planner.store.data_version()?;
        let first = loader::first(planner, today)?;
        let stored = planner.case_count()?;
        let mut data = Caseload {
            today,
            from: planner.window_start(today),
            others: HashMap::new(),
            earlier: None,
            earlier_loading: None,
            days: HashMap::new(),
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
        let changed = planner.store.data_version().is_ok_and(|v| v != self.began);
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

    /// Adds cases that come after every case held, in list order.
    fn append(&mut self, cases: Vec<CaseView>) {
        self.days
            .extend(cases.iter().map(|v| (v.case.crn.clone(), v.expected_day())));
        self.brief.extend(cases.iter().map(Brief::of));
        self.cases.extend(cases);
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

    /// Readies the search over the whole database: the held cases' keys, and the keys of
    /// every case before the window, read once, on the first search of a session. At national
    /// scale those are half the database (about a tenth of a second to read): they are read
    /// on another thread over a read-only connection, and the search takes them in when they
    /// arrive (`take_earlier`), so `/` itself does not wait.
    pub fn begin_search(&mut self, planner: &Planner) -> anyhow::Result<()> {
        if self.search.is_none() {
            self.search = Some(SearchIndex::build(&self.cases));
        }
        if self.earlier.is_some() || self.earlier_loading.is_some() {
            return Ok(());
        }
        let from = self.from;
        match planner.reader()? {
            Some(reader) => {
                let handle = std::thread::Builder::new()
                    .name("search keys".into())
                    .spawn(move || Ok(Earlier::new(reader.keys_before(from)?)))?;
                self.earlier_loading = Some((handle, Vec::new()));
            }
            None => self.earlier = Some(Earlier::new(planner.keys_before(from)?)),
        }
        Ok(())
    }

    /// Whether the earlier cases' keys are still being read.
    pub fn earlier_pending(&self) -> bool {
        self.earlier_loading.is_some()
    }

    /// Takes in the earlier cases' keys once read (`wait`: waiting for them if need be);
    /// true when they arrived now, so the search's counts changed.
    pub fn take_earlier(&mut self, wait: bool) -> anyhow::Result<bool> {
        match &self.earlier_loading {
            Some((handle, _)) if wait || handle.is_finished() => {}
            _ => return Ok(false),
        }
        let Some((handle, written)) = self.earlier_loading.take() else {
            return Ok(false);
        };
        let mut earlier = handle
            .join()
            .map_err(|_| anyhow::anyhow!("reading the earlier cases stopped unexpectedly"))??;
        for crn in &written {
            earlier.update(crn, self.get(crn), self.from);
        }
        if let Some((folded, _)) = &self.hits {
            earlier.prepare(folded);
        }
        self.earlier = Some(earlier);
        Ok(true)
    }

    /// Positions in `cases` of the held cases the search in force matches (`prepare` made it).
    pub fn search_hits(&self) -> Vec<usize> {
        match &self.hits {
            Some((_, hits)) => (0..hits.len()).filter(|i| hits[*i]).collect(),
            None => Vec::new(),
        }
    }

    /// The cases before the window that the search in force matches, most recent first.
    pub fn earlier_hits(&self) -> Vec<&CaseKey> {
        match (&self.earlier, &self.hits) {
            (Some(e), Some((folded, _))) => e.found(folded),
            _ => Vec::new(),
        }
    }

    /// How many cases in the whole database the search in force matches, when `prepare` has
    /// made its matches (`None` before: no search, or the search was not begun).
    pub fn match_count(&self) -> Option<usize> {
        let (folded, _) = self.hits.as_ref()?;
        let earlier = self.earlier.as_ref().map_or(0, |e| e.count(folded));
        Some(self.hit_count + earlier)
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

    /// Makes the search's matches once for every view to share; call after the search text
    /// changes, before the views refresh (`visible` works without it, only slower).
    pub fn prepare(&mut self, filter: &Filter) {
        let folded = filter.folded();
        if folded.is_empty() || self.hits.as_ref().is_some_and(|(f, _)| f == folded) {
            return;
        }
        let index = self
            .search
            .get_or_insert_with(|| SearchIndex::build(&self.cases));
        let hits = match &self.hits {
            // One more letter typed: only the cases that matched before need looking at.
            Some((before, hits)) if folded.starts_with(before.as_str()) => {
                index.narrow(hits, folded)
            }
            _ => index.hits(folded),
        };
        self.hit_count = hits.iter().filter(|h| **h).count();
        self.hits = Some((folded.to_string(), hits));
        if let Some(e) = &mut self.earlier {
            e.prepare(folded);
        }
    }

    /// Whether case `i` passes the filter and search.
    pub fn visible(&self, i: usize, filter: &Filter) -> bool {
        let v = &self.cases[i];
        let folded = filter.folded();
        let found = folded.is_empty()
            || match &self.hits {
                Some((f, hits)) if f == folded => hits[i],
                _ => Filter::search_key(v).contains(folded),
            };
        found && filter.matches_dimensions(v)
    }

    /// Where a case sits in `cases`: a search of its expected day's cases only.
    pub fn position(&self, crn: &Crn) -> Option<usize> {
        let day = *self.days.get(crn)?;
        let lo = self.first_on_or_after(day);
        let hi = lo + self.brief[lo..].partition_point(|b| b.day <= day);
        (lo..hi).find(|i| self.cases[*i].case.crn == *crn)
    }

    /// Reloads one case after it changed; keeps order, search, loads and clusters current
    /// without going over the other cases (an edit costs the same at 100 cases or 100,000).
    pub fn refresh_case(&mut self, planner: &Planner, crn: &Crn) -> anyhow::Result<()> {
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
        self.recluster(planner)
    }

    fn remove(&mut self, i: usize) {
        self.count(i, -1);
        let gone = self.cases.remove(i);
        self.brief.remove(i);
        self.days.remove(&gone.case.crn);
        if let Some(index) = &mut self.search {
            index.remove(i);
        }
        if let Some((_, hits)) = &mut self.hits {
            self.hit_count -= usize::from(hits.remove(i));
        }
    }

    fn insert_sorted(&mut self, view: CaseView) {
        let key = |v: &CaseView| (v.expected_day(), v.case.name.clone(), v.case.crn.clone());
        let k = key(&view);
        let at = self.cases.partition_point(|v| key(v) < k);
        self.days.insert(view.case.crn.clone(), view.expected_day());
        self.brief.insert(at, Brief::of(&view));
        self.cases.insert(at, view);
        self.count(at, 1);
        if let Some(index) = &mut self.search {
            index.insert(at, &self.cases[at]);
        }
        self.rematch(at, true);
    }

    /// Keeps the last search's matches current for case `i` (new at `i` when `inserted`).
    fn rematch(&mut self, i: usize, inserted: bool) {
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
    fn count(&mut self, i: usize, by: isize) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::Accommodation;
    use crate::io::demo::{self, DemoOptions};
    use crate::query::Settings;
    use crate::store::Store;
    use chrono::Days;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn fixture() -> (Planner, Caseload) {
        let mut planner =
            Planner::new(Store::open_in_memory().unwrap(), Settings::default()).unwrap();
        let opts = DemoOptions {
            cases: 300,
            seed: 5,
            weeks: 16,
        };
        let generated = demo::generate(&opts, today(), &planner.cal);
        let cal = planner.cal.clone();
        planner
            .store
            .insert_many(&generated, "test", &|c| cal.expected_day(c))
            .unwrap();
        let data = Caseload::load(&planner, today()).unwrap();
        (planner, data)
    }

    fn edit(planner: &mut Planner, data: &mut Caseload, i: usize, f: impl Fn(&mut Case)) {
        let v = &data.cases[i];
        let mut case = v.case.clone();
        f(&mut case);
        let day = planner.cal.expected_day(&case);
        planner
            .store
            .save_edit(&case, v.version, "test", day)
            .unwrap();
        data.refresh_case(planner, &case.crn).unwrap();
    }

    use crate::domain::case::Case;

    /// A confirmed day weeks back takes a case out of the held days: it leaves the lists and
    /// the loads, stays held for the popup showing it, and the search still finds it among
    /// the earlier cases; a day back in the window puts it back in the lists.
    #[test]
    fn a_case_moved_before_the_window_is_still_found_and_held() {
        let (mut planner, mut data) = fixture();
        data.begin_search(&planner).unwrap();
        let i = data.first_on_or_after(today());
        let crn = data.cases[i].case.crn.clone();
        let name = data.cases[i].case.name.clone();
        let search = Filter::searching(crn.as_str());
        data.prepare(&search);
        assert_eq!(data.search_hits(), [i]);
        let back = today() - Days::new(30);
        edit(&mut planner, &mut data, i, |c| c.confirmed_day = Some(back));
        assert_eq!(data.position(&crn), None, "out of the lists");
        assert_eq!(
            data.get(&crn).map(|v| v.expected_day()),
            Some(back),
            "held still"
        );
        assert!(!data.loads.contains_key(&back), "not counted in a load");
        let fresh = Caseload::load(&planner, today()).unwrap();
        assert_eq!(data.cases.len(), fresh.cases.len());
        assert_eq!(data.loads, fresh.loads);
        data.prepare(&Filter::searching(name.to_lowercase()));
        data.prepare(&search);
        let found: Vec<_> = data.earlier_hits().iter().map(|k| k.crn.clone()).collect();
        assert_eq!(
            found,
            std::slice::from_ref(&crn),
            "found among the earlier cases"
        );
        assert_eq!(data.match_count(), Some(1));
        // Back to today: in the lists again, and no longer among the earlier ones.
        let v = data.get(&crn).unwrap();
        let mut case = v.case.clone();
        case.confirmed_day = Some(today());
        planner
            .store
            .save_edit(&case, v.version, "test", today())
            .unwrap();
        data.refresh_case(&planner, &crn).unwrap();
        assert!(data.position(&crn).is_some());
        assert!(data.earlier_hits().is_empty());
        assert_eq!(data.match_count(), Some(1));
    }

    /// What the screens see after edits kept up case by case equals a load from scratch.
    #[test]
    fn edits_keep_the_caseload_as_a_fresh_load_would_have_it() {
        let (mut planner, mut data) = fixture();
        let search = Filter::searching("a");
        data.prepare(&search);
        let n = data.cases.len();
        for i in [0, n / 3, n / 2, n - 1] {
            edit(&mut planner, &mut data, i, |c| {
                c.accommodation = if c.needs_accommodation() {
                    Accommodation::Settled
                } else {
                    Accommodation::Nfa
                };
            });
        }
        // Moved to another day: a new confirmed day one week on.
        let moved = data.cases[n / 4].case.crn.clone();
        let i = data.position(&moved).unwrap();
        edit(&mut planner, &mut data, i, |c| {
            c.confirmed_day = Some(today() + Days::new(40));
            c.name = "Zoë Aardvark".into();
        });
        let fresh = Caseload::load(&planner, today()).unwrap();
        let crns =
            |d: &Caseload| -> Vec<Crn> { d.cases.iter().map(|v| v.case.crn.clone()).collect() };
        assert_eq!(crns(&data), crns(&fresh));
        assert_eq!(data.loads, fresh.loads);
        assert_eq!(data.clusters, fresh.clusters);
        for (i, v) in fresh.cases.iter().enumerate() {
            assert_eq!(data.position(&v.case.crn), Some(i));
            assert_eq!(data.visible(i, &search), search.matches(v), "{i}");
        }
        // The kept matches and search index answer as a new search would.
        let zoe = Filter::searching("zoe aard");
        data.prepare(&zoe);
        let found: Vec<usize> = (0..n).filter(|i| data.visible(*i, &zoe)).collect();
        assert_eq!(found, vec![data.position(&moved).unwrap()]);
        let mut again = fresh;
        again.prepare(&search);
        data.prepare(&search);
        for i in 0..n {
            assert_eq!(data.visible(i, &search), again.visible(i, &search), "{i}");
        }
    }

    /// A database big enough that the screens load it in two parts.
    fn big(path: &std::path::Path) -> Planner {
        let mut planner = Planner::new(Store::open(path).unwrap(), Settings::default()).unwrap();
        let opts = DemoOptions {
            cases: loader::FIRST_CASES * 3,
            seed: 9,
            weeks: 30,
        };
        let generated = demo::generate(&opts, today(), &planner.cal);
        let cal = planner.cal.clone();
        planner
            .store
            .insert_many(&generated, "test", &|c| cal.expected_day(c))
            .unwrap();
        planner
    }

    /// On a file, the earlier cases' keys are read on another thread; a case moved before the
    /// window while they are read is among them once they arrive, found by the search in force.
    #[test]
    fn earlier_keys_read_on_another_thread_include_cases_written_meanwhile() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("e.db");
        let mut planner = big(&path);
        let mut data = Caseload::load(&planner, today()).unwrap();
        data.settle(&planner).unwrap();
        data.begin_search(&planner).unwrap();
        assert!(data.earlier_pending(), "read on another thread");
        let i = data.first_on_or_after(today());
        let crn = data.cases[i].case.crn.clone();
        edit(&mut planner, &mut data, i, |c| {
            c.confirmed_day = Some(today() - Days::new(60))
        });
        let search = Filter::searching(crn.as_str());
        data.prepare(&search);
        assert!(data.take_earlier(true).unwrap());
        assert!(!data.earlier_pending());
        let found: Vec<_> = data.earlier_hits().iter().map(|k| k.crn.clone()).collect();
        assert_eq!(found, [crn]);
        assert_eq!(data.match_count(), Some(1));
        assert!(!data.take_earlier(true).unwrap(), "once");
    }

    /// Both reads of the rest fail: the screens keep what loaded and count what did not.
    #[test]
    fn a_rest_that_cannot_be_read_is_counted_as_not_loaded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        let planner = big(&path);
        let mut data = Caseload::load(&planner, today()).unwrap();
        let rest = data.rest.take().unwrap();
        let missing = rest.counts(today()).0;
        assert!(missing > 0);
        data.rest = Some(loader::Rest::failing(rest));
        // The fallback read on the screens' own connection fails too.
        rusqlite::Connection::open(&path)
            .unwrap()
            .execute_batch("ALTER TABLE cases RENAME TO gone")
            .unwrap();
        let held = data.cases.len();
        assert!(data.settle(&planner).is_err());
        assert_eq!(data.unloaded, missing);
        assert_eq!(data.cases.len(), held, "what did load is kept");
        assert!(
            !data.settle(&planner).unwrap(),
            "nothing is retried on every key"
        );
    }

    /// Another officer moves a case from the first part's days to the rest's while the two
    /// parts load: the screens still end up with each case once, as a whole read has them.
    #[test]
    fn a_write_by_someone_else_during_the_load_leaves_no_case_doubled_or_lost() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        let planner = big(&path);
        let mut data = Caseload::load(&planner, today()).unwrap();
        assert!(data.rest.is_some());
        let mut other = Planner::new(Store::open(&path).unwrap(), Settings::default()).unwrap();
        let v = &data.cases[data.first_on_or_after(today())];
        let mut case = v.case.clone();
        case.confirmed_day = Some(today() + Days::new(200));
        let day = other.cal.expected_day(&case);
        other
            .store
            .save_edit(&case, v.version, "other", day)
            .unwrap();
        data.settle(&planner).unwrap();
        let whole = planner.upcoming(today()).unwrap();
        let crns = |v: &[CaseView]| -> Vec<Crn> { v.iter().map(|v| v.case.crn.clone()).collect() };
        assert_eq!(crns(&data.cases), crns(&whole));
        let at = data.position(&case.crn).unwrap();
        assert_eq!(data.day(at), day);
    }

    /// A caseload too big to load before the first frame: the first part at once, the rest
    /// on another thread; once settled it is what a whole load gives, and before that the
    /// loads (and so the clusters) already count every case.
    #[test]
    fn a_large_caseload_loads_in_two_parts_that_add_up_to_the_whole() {
        let dir = tempfile::tempdir().unwrap();
        let planner = big(&dir.path().join("r.db"));
        let whole = planner.upcoming(today()).unwrap();
        let from_today = whole.iter().filter(|v| v.expected_day() >= today()).count();
        let homeless = whole
            .iter()
            .filter(|v| v.expected_day() >= today() && v.case.needs_accommodation())
            .count();

        let mut data = Caseload::load(&planner, today()).unwrap();
        assert!(data.rest.is_some(), "the rest loads on another thread");
        assert!(data.cases.len() < whole.len());
        let (n, h) = data.loading_counts();
        let first = data.first_on_or_after(today())..data.cases.len();
        assert_eq!(first.len() + n, from_today);
        assert_eq!(first.filter(|i| data.homeless(*i)).count() + h, homeless);
        let early = (data.loads.clone(), data.clusters.clone());

        // The screens' loop polls until the second thread is done, then takes the rest in.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while data.loading() != Some(true) {
            assert_eq!(data.loading(), Some(false));
            assert!(
                std::time::Instant::now() < deadline,
                "the rest never arrived"
            );
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        assert!(data.settle(&planner).unwrap());
        assert_eq!(data.loading(), None, "nothing left loading");
        assert!(!data.settle(&planner).unwrap(), "once");
        let crns = |v: &[CaseView]| -> Vec<Crn> { v.iter().map(|v| v.case.crn.clone()).collect() };
        assert_eq!(crns(&data.cases), crns(&whole));
        assert_eq!(data.loading_counts(), (0, 0));
        assert_eq!((data.loads.clone(), data.clusters.clone()), early);
        for (i, v) in whole.iter().enumerate() {
            assert_eq!(data.position(&v.case.crn), Some(i));
        }
    }

    /// Someone else moved a case across the split between the two reads: it arrives twice,
    /// and the newer version is kept, once, in its place.
    #[test]
    fn a_case_read_in_both_parts_is_held_once_at_its_newer_version() {
        let (_planner, mut data) = fixture();
        let n = data.cases.len();
        let last = data.day(n - 1);
        let (moved, same) = (data.cases[0].clone(), data.cases[1].clone());
        let mut newer = moved.clone();
        newer.version += 1;
        newer.days.expected = last + Days::new(7);
        let mut later = data.cases[2].clone();
        later.case.crn = "Z999999".parse().unwrap();
        later.days.expected = last + Days::new(8);
        data.take_rest(vec![same.clone(), newer, later]);
        assert_eq!(
            data.cases.len(),
            n + 1,
            "one new case; the two held ones not doubled"
        );
        let at = data.position(&moved.case.crn).unwrap();
        assert_eq!(at, n - 1, "the moved case now sits at its new, later day");
        assert_eq!(data.cases[at].version, moved.version + 1);
        assert_eq!(data.position(&same.case.crn), Some(0));
        assert_eq!(data.day(n), last + Days::new(8));
        assert!(
            data.brief.windows(2).all(|w| w[0].day <= w[1].day),
            "still in day order"
        );
    }
}
