use super::*;
use crate::domain::case::Accommodation;
use crate::domain::demo::{self, DemoOptions};
use crate::query::Settings;
use crate::tui::filter::Filter;
use chrono::Days;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn fixture() -> (Planner, Caseload) {
    let mut planner = Planner::in_memory(Settings::default()).unwrap();
    let opts = DemoOptions {
        cases: 300,
        seed: 5,
        weeks: 16,
    };
    let generated = demo::generate(&opts, today(), &planner.cal);
    planner.put_cases(&generated, "test").unwrap();
    let data = Caseload::load(&planner, today()).unwrap();
    (planner, data)
}

fn edit(planner: &mut Planner, data: &mut Caseload, i: usize, f: impl Fn(&mut Case)) {
    let v = &data.cases[i];
    let mut case = v.case.clone();
    f(&mut case);
    let day = planner.cal.expected_day(&case);
    planner
        .test_store_mut()
        .save_edit(&case, v.version, "test", day, false)
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
        .test_store_mut()
        .save_edit(&case, v.version, "test", today(), false)
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
    let crns = |d: &Caseload| -> Vec<Crn> { d.cases.iter().map(|v| v.case.crn.clone()).collect() };
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
    let mut planner = Planner::open(path, Settings::default()).unwrap();
    let opts = DemoOptions {
        cases: loader::FIRST_CASES * 3,
        seed: 9,
        weeks: 30,
    };
    let generated = demo::generate(&opts, today(), &planner.cal);
    planner.put_cases(&generated, "test").unwrap();
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
    crate::store::testing::break_case_reads(&path);
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
    let mut other = Planner::open(&path, Settings::default()).unwrap();
    let v = &data.cases[data.first_on_or_after(today())];
    let mut case = v.case.clone();
    case.confirmed_day = Some(today() + Days::new(200));
    let day = other.cal.expected_day(&case);
    other
        .test_store_mut()
        .save_edit(&case, v.version, "other", day, false)
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
