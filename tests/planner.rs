//! The query layer: the gap worklist reads only the cases that can carry a flag, and gives
//! exactly what the rules give over every case.

use chrono::{Days, NaiveDate};
use releaseday::domain::case::{Accommodation, Case, ReleaseType};
use releaseday::domain::demo::{self, DemoOptions};
use releaseday::domain::gaps::flags;
use releaseday::query::{Planner, Settings};
use releaseday::store::SqliteStore;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn ahead(days: u64) -> NaiveDate {
    today().checked_add_days(Days::new(days)).unwrap()
}

#[test]
fn the_worklist_equals_the_rules_applied_to_every_case() {
    let mut planner =
        Planner::new(SqliteStore::open_in_memory().unwrap(), Settings::default()).unwrap();
    let mut cases = demo::generate(
        &DemoOptions {
            cases: 400,
            seed: 9,
            weeks: 16,
        },
        today(),
        &planner.cal,
    );
    // Far ahead: an HDC case with nowhere to go (CAS2 shows at any distance), an AP case 11
    // months out (AP shows from 12 months), and ordinary cases that cannot flag yet.
    let mut hdc = Case::new("X800001".parse().unwrap(), "Far Hdc", ahead(730));
    hdc.release_type = ReleaseType::Hdc;
    hdc.accommodation = Accommodation::Nfa;
    let mut ap = Case::new("X800002".parse().unwrap(), "Far Ap", ahead(330));
    ap.ap_required = Some(true);
    ap.officer = Some("Someone".into());
    ap.accommodation = Accommodation::Settled;
    let plain = Case::new("X800003".parse().unwrap(), "Far Plain", ahead(500));
    cases.extend([hdc, ap, plain]);
    planner.put_cases(&cases, "test").unwrap();

    let got: Vec<(String, &str)> = planner
        .gaps(today())
        .unwrap()
        .iter()
        .map(|g| (g.crn.to_string(), g.flag.code.as_str()))
        .collect();
    let mut want: Vec<(String, &str)> = Vec::new();
    planner
        .each_stored(|s| {
            let r = planner.cal.expected_day(&s.case);
            for f in flags(&s.case, r, today(), &planner.cal, &planner.settings.gaps) {
                want.push((s.case.crn.to_string(), f.code.as_str()));
            }
            Ok::<(), releaseday::query::QueryError>(())
        })
        .unwrap();
    let mut sorted = got.clone();
    sorted.sort();
    want.sort();
    assert_eq!(sorted, want);
    assert!(got.contains(&("X800001".into(), "CAS2_NOT_SENT")));
    assert!(got.contains(&("X800002".into(), "AP_NOT_SENT")));
    assert!(!got.iter().any(|(crn, _)| crn == "X800003"));
}
