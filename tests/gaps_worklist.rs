//! The gap worklist is exactly the flags `list` shows for the cases from today on (DOMAIN.md §4,
//! §6): the same on the command line, in the query layer and on the Gaps screen, for random
//! caseloads and days. A case's fields are drawn so that blanks (NULL in the store) are common,
//! since a blank `ap_required` once hid HDC cases' `CAS2_NOT_SENT` from `gaps`.

use chrono::{Days, NaiveDate};
use proptest::prelude::*;
use proptest::test_runner::Config;
use releaseday::domain::case::*;
use releaseday::query::{Planner, Settings};
use releaseday::store::SqliteStore;
use releaseday::tui::data::Caseload;
use releaseday::tui::filter::Filter;
use releaseday::tui::views::GapsView;
use releaseday::tui::View;
use std::collections::BTreeSet;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// (CRN, code) pairs, sorted.
type Flags = BTreeSet<(String, &'static str)>;

fn from_list(planner: &Planner, today: NaiveDate) -> Flags {
    planner
        .list(today, d(2100, 1, 1), today)
        .unwrap()
        .iter()
        .flat_map(|v| {
            v.flags
                .iter()
                .map(|f| (v.case.crn.to_string(), f.code.as_str()))
        })
        .collect()
}

fn from_gaps(planner: &Planner, today: NaiveDate) -> Flags {
    planner
        .gaps(today)
        .unwrap()
        .iter()
        .map(|g| (g.crn.to_string(), g.flag.code.as_str()))
        .collect()
}

fn from_screen(planner: &Planner, today: NaiveDate) -> Flags {
    let mut data = Caseload::load(planner, today).unwrap();
    data.settle(planner).unwrap();
    let mut view = GapsView::default();
    view.refresh(&data, &Filter::default());
    view.rows(&data)
        .iter()
        .map(|(v, f)| (v.case.crn.to_string(), f.code.as_str()))
        .collect()
}

fn planner_with(cases: &[Case]) -> Planner {
    let mut store = SqliteStore::open_in_memory().unwrap();
    let settings = Settings::default();
    let planner = Planner::new(SqliteStore::open_in_memory().unwrap(), settings.clone()).unwrap();
    let cal = planner.cal.clone();
    store
        .insert_many(cases, "test", &|c| cal.expected_day(c))
        .unwrap();
    Planner::new(store, settings).unwrap()
}

fn pick<T: Copy>(all: &[T], i: u8) -> Option<T> {
    // One draw in three is blank.
    let i = usize::from(i) % (all.len() + all.len() / 2 + 1);
    all.get(i).copied()
}

fn case_strategy() -> impl Strategy<Value = Case> {
    (0u32..1000, 0u64..460, any::<[u8; 8]>(), any::<bool>()).prop_map(
        |(n, offset, codes, officer)| {
            let due = d(2026, 11, 1) + Days::new(offset);
            let mut c = Case::new(format!("X{:06}", n).parse().unwrap(), format!("P {n}"), due);
            c.release_type = pick(ReleaseType::ALL, codes[0]).unwrap_or(ReleaseType::Hdc);
            c.accommodation = pick(Accommodation::ALL, codes[1]).unwrap_or(Accommodation::Nfa);
            c.dtr = pick(DtrStatus::ALL, codes[2]);
            c.crs = pick(CrsStatus::ALL, codes[3]);
            c.cas3 = pick(Cas3Status::ALL, codes[4]);
            c.ap = pick(ApStatus::ALL, codes[5]);
            c.ap_required = pick(&[true, false], codes[6]);
            c.cas2 = pick(Cas2Status::ALL, codes[7]);
            c.officer = officer.then(|| "An Officer".to_string());
            c
        },
    )
}

proptest! {
    #![proptest_config(Config { cases: 48, ..Config::default() })]

    #[test]
    fn gaps_are_the_flags_list_shows_on_every_face(
        cases in proptest::collection::btree_map(0u32..1000, case_strategy(), 1..40),
        today_offset in 0u64..200,
    ) {
        let cases: Vec<Case> = cases.into_values().collect();
        let mut unique = std::collections::BTreeMap::new();
        for c in cases {
            unique.insert(c.crn.clone(), c);
        }
        let cases: Vec<Case> = unique.into_values().collect();
        let planner = planner_with(&cases);
        let today = d(2026, 11, 1) + Days::new(today_offset);
        let want = from_list(&planner, today);
        prop_assert_eq!(&from_gaps(&planner, today), &want);
        prop_assert_eq!(&from_screen(&planner, today), &want);
    }
}

/// The case the issue found, through the real binary: HDC, nowhere to go, `ap_required` left
/// blank, due 20 weeks ahead. `list` shows `CAS2_NOT_SENT`; so must `gaps`.
#[test]
fn an_hdc_case_with_ap_required_blank_is_on_the_worklist() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("c.csv");
    std::fs::write(
        &csv,
        "crn,name,release_date,release_type,accommodation,officer,ap_required\n\
         X300001,Hana Example,2027-04-20,HDC,NFA,An Officer,\n",
    )
    .unwrap();
    let run = |args: &[&str]| -> String {
        let out = assert_cmd::Command::cargo_bin("releaseday")
            .unwrap()
            .env_remove("RELEASEDAY_DB")
            .env("RELEASEDAY_CONFIG", dir.path().join("config.toml"))
            .arg("--db")
            .arg(dir.path().join("x.db"))
            .arg("--today")
            .arg("2026-12-01")
            .args(args)
            .assert()
            .success()
            .get_output()
            .clone();
        String::from_utf8(out.stdout).unwrap()
    };
    run(&["import", csv.to_str().unwrap()]);
    let list: serde_json::Value = serde_json::from_str(&run(&[
        "list",
        "--from",
        "2027-04-01",
        "--to",
        "2027-05-01",
        "--format",
        "json",
    ]))
    .unwrap();
    let listed: Vec<&str> = list[0]["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(listed.contains(&"CAS2_NOT_SENT"), "{listed:?}");
    let gaps: serde_json::Value =
        serde_json::from_str(&run(&["gaps", "--format", "json"])).unwrap();
    let codes: Vec<&str> = gaps
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, listed, "gaps shows what list shows");
}
