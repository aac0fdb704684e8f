//! The store through its public API: what the CLI and TUI rely on.

use chrono::NaiveDate;
use releaseday::domain::case::*;
use releaseday::store::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn crn(s: &str) -> Crn {
    s.parse().unwrap()
}

/// A stand-in for the domain's expected-day rule: the confirmed day, else the release date.
fn expected(c: &Case) -> NaiveDate {
    c.confirmed_day.unwrap_or(c.release_date)
}

fn full_case() -> Case {
    Case {
        crn: crn("X200001"),
        name: "Zoë Invented".into(),
        noms: Some("B9876ZZ".parse().unwrap()),
        prison: Some("HMP Example".into()),
        officer: Some("Officer Sample".into()),
        team: Some("East PDU".into()),
        rosh: Some(Rosh::High),
        mappa: Some(3),
        release_date: d(2026, 12, 24),
        release_type: ReleaseType::Hdc,
        accommodation: Accommodation::Cas2,
        dtr: Some(DtrStatus::Accepted),
        dtr_date: Some(d(2026, 9, 30)),
        crs: Some(CrsStatus::Completed),
        cas3: Some(Cas3Status::Withdrawn),
        ap: Some(ApStatus::Rejected),
        ap_required: Some(true),
        cas2: Some(Cas2Status::Accepted),
        friday_release: Some(FridayRelease::No),
        confirmed_day: Some(d(2026, 12, 29)),
        notes: Some("multi\nline ✓".into()),
        crs_date: Some(d(2026, 9, 1)),
        cas3_date: None,
        ap_date: Some(d(2026, 8, 1)),
        cas2_date: Some(d(2026, 10, 1)),
    }
}

fn patch(name: &str, release_date: NaiveDate) -> CasePatch {
    CasePatch {
        name: Some(name.into()),
        release_date: Some(release_date),
        ..CasePatch::default()
    }
}

fn crns(v: &[StoredCase]) -> Vec<&str> {
    v.iter().map(|s| s.case.crn.as_str()).collect()
}

#[test]
fn a_full_and_a_minimal_case_read_back_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    let full = full_case();
    let minimal = Case::new(crn("X200002"), "Min", d(2027, 2, 1));
    {
        let mut store = Store::open(&path).unwrap();
        store
            .insert_many(&[full.clone(), minimal.clone()], "t", &expected)
            .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let got = store.get(&full.crn).unwrap().unwrap();
    assert_eq!(got.case, full);
    assert_eq!(got.expected_day, d(2026, 12, 29));
    assert_eq!(got.version, 1);
    assert!(chrono::DateTime::parse_from_rfc3339(&got.updated_at).is_ok());
    assert_eq!(store.get(&minimal.crn).unwrap().unwrap().case, minimal);
}

#[test]
fn windows_are_inclusive_and_ordered_by_day_name_crn() {
    let mut store = Store::open_in_memory().unwrap();
    let cases = [
        ("X300005", "Eve", d(2026, 12, 23)),
        ("X300004", "Ann", d(2026, 12, 23)),
        ("X300003", "Ann", d(2026, 12, 23)),
        ("X300002", "Bob", d(2026, 12, 22)),
        ("X300001", "Cat", d(2026, 12, 21)),
        ("X300006", "Dan", d(2027, 1, 4)),
    ]
    .map(|(c, n, day)| Case::new(crn(c), n, day));
    store.insert_many(&cases, "t", &expected).unwrap();

    let w = store
        .cases_expected_between(d(2026, 12, 22), d(2026, 12, 23))
        .unwrap();
    assert_eq!(crns(&w), ["X300002", "X300003", "X300004", "X300005"]);
    let w = store
        .cases_expected_between(d(2026, 12, 21), d(2026, 12, 21))
        .unwrap();
    assert_eq!(crns(&w), ["X300001"]);
    assert!(store
        .cases_expected_between(d(2026, 12, 24), d(2027, 1, 3))
        .unwrap()
        .is_empty());
    let w = store.cases_expected_from(d(2026, 12, 23)).unwrap();
    assert_eq!(crns(&w), ["X300003", "X300004", "X300005", "X300006"]);
    assert_eq!(store.all_cases().unwrap().len(), 6);
}

#[test]
fn import_plan_counts_and_audit_rows() {
    let mut store = Store::open_in_memory().unwrap();
    let first = vec![
        (crn("X400001"), patch("Ann", d(2026, 6, 1))),
        (crn("X400002"), patch("Bob", d(2026, 6, 2))),
    ];
    let plan = store.plan_import(&first).unwrap();
    assert_eq!(plan.counts(), (2, 0, 0));
    let s = store.apply_import(&plan, "alice", &expected).unwrap();
    assert_eq!((s.new, s.updated, s.unchanged), (2, 0, 0));

    let mut moved = patch("Ann", d(2026, 6, 5));
    moved.dtr = Some(DtrStatus::Submitted);
    let second = vec![
        (crn("X400001"), moved),
        (crn("X400002"), patch("Bob", d(2026, 6, 2))),
        (crn("X400003"), patch("Cat", d(2026, 6, 3))),
    ];
    let plan = store.plan_import(&second).unwrap();
    assert_eq!(plan.counts(), (1, 1, 1));
    match &plan.rows[0] {
        PlannedRow::Updated {
            before,
            after,
            changes,
            ..
        } => {
            assert_eq!(before.release_date, d(2026, 6, 1));
            assert_eq!(after.release_date, d(2026, 6, 5));
            let fields: Vec<_> = changes.iter().map(|c| c.field).collect();
            assert_eq!(fields, ["release_date", "dtr"]);
        }
        other => panic!("expected an update, got {other:?}"),
    }
    let s = store.apply_import(&plan, "bob", &expected).unwrap();
    assert_eq!(
        s,
        ImportSummary {
            new: 1,
            updated: 1,
            unchanged: 1
        }
    );

    let ann = store.get(&crn("X400001")).unwrap().unwrap();
    assert_eq!((ann.version, ann.expected_day), (2, d(2026, 6, 5)));
    let log = store.audit_for(&crn("X400001")).unwrap();
    let rows: Vec<_> = log
        .iter()
        .map(|e| {
            (
                e.who.as_str(),
                e.field.as_str(),
                e.old.as_deref(),
                e.new.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("bob", "dtr", None, Some("SUBMITTED")),
            (
                "bob",
                "release_date",
                Some("2026-06-01"),
                Some("2026-06-05")
            ),
            ("alice", "created", None, None),
        ]
    );
    assert_eq!(
        store.audit_for(&crn("X400002")).unwrap().len(),
        1,
        "unchanged: no audit"
    );
    let cat = store.audit_for(&crn("X400003")).unwrap();
    assert_eq!(
        (cat[0].field.as_str(), cat[0].new.as_deref()),
        ("created", None)
    );
}

#[test]
fn a_reimport_with_blank_fields_keeps_stored_values() {
    let mut store = Store::open_in_memory().unwrap();
    let mut c = full_case();
    c.confirmed_day = None;
    store.upsert_case(&c, "officer", expected(&c)).unwrap();
    // A fresher export with only the required columns and the accommodation.
    let mut p = patch(&c.name, c.release_date);
    p.accommodation = Some(Accommodation::Nfa);
    let plan = store.plan_import(&[(c.crn.clone(), p)]).unwrap();
    assert_eq!(plan.counts(), (0, 1, 0));
    store.apply_import(&plan, "import", &expected).unwrap();
    let got = store.get(&c.crn).unwrap().unwrap().case;
    let mut want = c.clone();
    want.accommodation = Accommodation::Nfa;
    assert_eq!(
        got, want,
        "only the accommodation changed; officer, notes, statuses kept"
    );
}

#[test]
fn a_failing_import_writes_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .upsert_case(
            &Case::new(crn("X500009"), "Old", d(2026, 1, 5)),
            "t",
            d(2026, 1, 5),
        )
        .unwrap();
    let mut changed = patch("Old", d(2026, 1, 5));
    changed.officer = Some("Someone".into());
    // Two new rows with the same CRN: the second insert breaks the primary key.
    let rows = vec![
        (crn("X500009"), changed),
        (crn("X500001"), patch("One", d(2026, 1, 6))),
        (crn("X500001"), patch("Two", d(2026, 1, 7))),
    ];
    let plan = store.plan_import(&rows).unwrap();
    assert_eq!(plan.counts(), (2, 1, 0));
    let e = store.apply_import(&plan, "t", &expected).unwrap_err();
    let msg = e.to_string();
    assert!(!msg.contains("X500001") && !msg.contains("One"), "{msg}");
    assert_eq!(store.get(&crn("X500001")).unwrap(), None);
    assert_eq!(store.case_count().unwrap(), 1);
    let old = store.get(&crn("X500009")).unwrap().unwrap();
    assert_eq!((old.case.officer, old.version), (None, 1));
    assert!(store.audit_for(&crn("X500001")).unwrap().is_empty());
    assert_eq!(store.audit_for(&crn("X500009")).unwrap().len(), 1);
}

#[cfg(unix)]
#[test]
fn new_file_is_0600_in_a_new_0700_folder() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data").join("releaseday");
    let path = dir.join("releaseday.db");
    let store = Store::open(&path).unwrap();
    drop(store);
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&tmp.path().join("data")), 0o700);
    for side in ["releaseday.db-wal", "releaseday.db-shm"] {
        let p = dir.join(side);
        if p.exists() {
            assert_eq!(mode(&p) & 0o077, 0, "{side} is private too");
        }
    }
}

#[cfg(unix)]
#[test]
fn an_existing_readable_file_is_tightened() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("r.db");
    drop(Store::open(&path).unwrap());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let store = Store::open(&path).unwrap();
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
}

#[test]
fn a_file_database_is_in_wal_mode() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(&tmp.path().join("r.db")).unwrap();
    assert_eq!(store.journal_mode().unwrap(), "wal");
}

#[test]
fn recompute_changes_only_rows_whose_day_differs() {
    let mut store = Store::open_in_memory().unwrap();
    let mut confirmed = Case::new(crn("X600001"), "A", d(2026, 12, 25));
    confirmed.confirmed_day = Some(d(2026, 12, 23));
    let plain = Case::new(crn("X600002"), "B", d(2026, 12, 25));
    let weekday = Case::new(crn("X600003"), "C", d(2026, 12, 21));
    store
        .insert_many(&[confirmed, plain, weekday], "t", &|c| c.release_date)
        .unwrap();
    // A new rule: a confirmed day wins, and 25 Dec moves to the 24th.
    let rule = |c: &Case| {
        c.confirmed_day
            .unwrap_or(if c.release_date == d(2026, 12, 25) {
                d(2026, 12, 24)
            } else {
                c.release_date
            })
    };
    assert_eq!(store.recompute_expected(&rule).unwrap(), 2);
    assert_eq!(store.recompute_expected(&rule).unwrap(), 0);
    let days: Vec<_> = store
        .all_cases()
        .unwrap()
        .into_iter()
        .map(|s| (s.case.crn.to_string(), s.expected_day))
        .collect();
    assert_eq!(
        days,
        [
            ("X600003".to_string(), d(2026, 12, 21)),
            ("X600001".to_string(), d(2026, 12, 23)),
            ("X600002".to_string(), d(2026, 12, 24)),
        ]
    );
}

#[test]
fn reporting_in_is_recorded_and_audited() {
    let mut store = Store::open_in_memory().unwrap();
    let c = Case::new(crn("X700001"), "A", d(2026, 3, 5));
    store.upsert_case(&c, "t", d(2026, 3, 5)).unwrap();
    let at = d(2026, 3, 5).and_hms_opt(10, 30, 0).unwrap();
    store
        .set_reported(&c.crn, Some(at), "duty officer", None)
        .unwrap();
    assert_eq!(store.get(&c.crn).unwrap().unwrap().reported_at, Some(at));
    let last = &store.audit_for(&c.crn).unwrap()[0];
    assert_eq!(
        (
            last.who.as_str(),
            last.field.as_str(),
            last.old.as_deref(),
            last.new.as_deref()
        ),
        (
            "duty officer",
            "reported",
            None,
            Some("2026-03-05T10:30:00")
        )
    );
    let e = store
        .set_reported(&crn("X700009"), Some(at), "duty", None)
        .unwrap_err();
    assert!(!e.to_string().contains("X700009"), "{e}");
}

#[test]
fn schema_version_is_the_number_of_migrations() {
    let store = Store::open_in_memory().unwrap();
    assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
    assert_eq!(SCHEMA_VERSION, MIGRATIONS.len() as i64);
}

#[test]
fn opening_twice_is_idempotent() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("r.db");
    let mut a = Store::open(&path).unwrap();
    a.upsert_case(&full_case(), "t", d(2026, 12, 29)).unwrap();
    a.meta_set("k", "v").unwrap();
    let b = Store::open(&path).unwrap(); // while the first is still open
    assert_eq!(b.schema_version().unwrap(), MIGRATIONS.len() as i64);
    assert_eq!(b.case_count().unwrap(), 1);
    drop((a, b));
    let c = Store::open(&path).unwrap();
    assert_eq!(c.case_count().unwrap(), 1);
    assert_eq!(c.meta_get("k").unwrap().as_deref(), Some("v"));
}

#[test]
fn holiday_file_and_meta_round_trip() {
    let store = Store::open_in_memory().unwrap();
    assert_eq!(store.holiday_file().unwrap(), None);
    let json = r#"{"england-and-wales":{"division":"england-and-wales","events":[]}}"#;
    store.set_holiday_file(json, "ann").unwrap();
    assert_eq!(store.holiday_file().unwrap().as_deref(), Some(json));
    let log = store.audit_recent(5).unwrap();
    assert_eq!(
        (log[0].crn.as_ref(), log[0].field.as_str()),
        (None, "holidays")
    );
    assert_eq!(store.meta_get("missing").unwrap(), None);
}

#[test]
fn default_paths_keep_demo_apart() {
    if let (Some(real), Some(demo)) = (default_db_path(), demo_db_path()) {
        assert_ne!(real, demo);
        assert!(demo.ends_with("releaseday-demo.db"));
        assert!(real.ends_with("releaseday.db"));
    }
    assert!(!operating_system_user().is_empty());
}

#[test]
fn save_edit_checks_the_version_and_audits_each_field() {
    use releaseday::domain::case::{Accommodation, DtrStatus};
    let mut store = Store::open_in_memory().unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 23).unwrap();
    let case = releaseday::domain::case::Case::new("X200001".parse().unwrap(), "Edit Person", day);
    store.upsert_case(&case, "test", day).unwrap();
    let v1 = store.get(&case.crn).unwrap().unwrap().version;

    let mut edited = case.clone();
    edited.accommodation = Accommodation::Cas3;
    edited.dtr = Some(DtrStatus::Submitted);
    let (v2, changes) = store.save_edit(&edited, v1, "desk", day).unwrap();
    assert_eq!(v2, v1 + 1);
    assert_eq!(
        changes.iter().map(|c| c.field).collect::<Vec<_>>(),
        ["accommodation", "dtr"]
    );
    let audit = store.audit_for(&case.crn).unwrap();
    assert_eq!(audit[0].who, "desk");
    assert!(audit
        .iter()
        .any(|a| a.field == "dtr" && a.new.as_deref() == Some("SUBMITTED")));

    // A second officer working from the old version is refused, and nothing is overwritten.
    let mut stale = case.clone();
    stale.accommodation = Accommodation::Nfa;
    let err = store.save_edit(&stale, v1, "duty", day).unwrap_err();
    assert!(
        err.to_string().contains("someone else changed this case"),
        "{err}"
    );
    let now = store.get(&case.crn).unwrap().unwrap();
    assert_eq!(now.case.accommodation, Accommodation::Cas3);
    assert_eq!(now.version, v2);

    // Clearing a field is an edit too (unlike an import's blank cell).
    let mut cleared = now.case.clone();
    cleared.dtr = None;
    let (_, changes) = store.save_edit(&cleared, v2, "desk", day).unwrap();
    assert_eq!(changes[0].field, "dtr");
    assert_eq!(changes[0].new, None);
}

/// Index names on the cases and audit tables and the integrity check's verdict.
fn indexes_and_integrity(path: &std::path::Path) -> (Vec<String>, String) {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut names: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'index' \
             AND tbl_name IN ('cases', 'audit') AND sql IS NOT NULL",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    names.sort();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    (names, ok)
}

#[test]
fn a_bulk_import_keeps_every_index_whole_and_a_failed_one_leaves_them_as_they_were() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bulk.db");
    let mut store = Store::open(&path).unwrap();
    let (before, _) = indexes_and_integrity(&path);
    // The day index, the two partial ones and the audit's (migration 5 dropped the unused
    // officer and prison indexes).
    assert!(before.len() >= 4, "{before:?}");
    let rows: Vec<(Crn, CasePatch)> = (0..6_000)
        .map(|i| {
            (
                crn(&format!("B{:06}", i)),
                patch(&format!("Bulk {i}"), d(2027, 1, 1 + (i % 28) as u32)),
            )
        })
        .collect();
    let plan = store.plan_import(&rows).unwrap();
    store.apply_import(&plan, "test", &expected).unwrap();
    assert_eq!(store.case_count().unwrap(), 6_000);
    assert_eq!(
        indexes_and_integrity(&path),
        (before.clone(), "ok".to_string())
    );
    // The window query still uses its index and finds the rows.
    assert_eq!(
        store
            .cases_expected_between(d(2027, 1, 1), d(2027, 1, 1))
            .unwrap()
            .len(),
        215
    );

    // A second bulk plan made stale by a case stored meanwhile fails part-way: nothing of it
    // is written and the indexes are back as they were.
    let more: Vec<(Crn, CasePatch)> = (6_000..12_000)
        .map(|i| {
            (
                crn(&format!("B{:06}", i)),
                patch(&format!("Bulk {i}"), d(2027, 2, 1)),
            )
        })
        .collect();
    let stale = store.plan_import(&more).unwrap();
    let late = vec![more[5_999].clone()];
    let late_plan = store.plan_import(&late).unwrap();
    store.apply_import(&late_plan, "other", &expected).unwrap();
    assert!(matches!(
        store.apply_import(&stale, "test", &expected),
        Err(StoreError::Conflict)
    ));
    assert_eq!(store.case_count().unwrap(), 6_001);
    assert_eq!(indexes_and_integrity(&path), (before, "ok".to_string()));
}

#[test]
fn a_failed_first_bulk_import_leaves_indexes_and_audit_as_they_were() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("first.db");
    let mut store = Store::open(&path).unwrap();
    let (before, _) = indexes_and_integrity(&path);
    assert!(before.contains(&"audit_by_crn".to_string()), "{before:?}");
    let rows: Vec<(Crn, CasePatch)> = (0..6_000)
        .map(|i| {
            (
                crn(&format!("A{:06}", 6_000 - i)),
                patch(&format!("First {i}"), d(2027, 3, 1 + (i % 28) as u32)),
            )
        })
        .collect();
    let stale = store.plan_import(&rows).unwrap();
    // One of its cases arrives first, so the big import fails part-way, after thousands of its
    // cases went in: nothing of it may stay.
    let late = vec![rows[5_999].clone()];
    let late_plan = store.plan_import(&late).unwrap();
    store.apply_import(&late_plan, "other", &expected).unwrap();
    assert!(matches!(
        store.apply_import(&stale, "test", &expected),
        Err(StoreError::Conflict)
    ));
    assert_eq!(store.case_count().unwrap(), 1);
    assert_eq!(store.audit_recent(10).unwrap().len(), 1);
    assert_eq!(
        indexes_and_integrity(&path),
        (before.clone(), "ok".to_string())
    );

    // Without the late case it goes in whole, its indexes whole, and one audit row says it
    // created 5,999 cases; each case's history shows it as its own "created" row.
    let plan = store.plan_import(&rows[..5_999]).unwrap();
    store.apply_import(&plan, "test", &expected).unwrap();
    assert_eq!(store.case_count().unwrap(), 6_000);
    assert_eq!(indexes_and_integrity(&path), (before, "ok".to_string()));
    let recent = store.audit_recent(2).unwrap();
    assert_eq!(
        (recent[0].crn.as_ref(), recent[0].field.as_str()),
        (None, "created")
    );
    assert_eq!(recent[0].new.as_deref(), Some("5999 cases"));
    assert_eq!(
        (recent[1].who.as_str(), recent[1].new.as_deref()),
        ("other", Some("1 case")),
        "the late case's import"
    );
    let log = store.audit_for(&crn("A003000")).unwrap();
    assert_eq!((log.len(), log[0].field.as_str()), (1, "created"));
    assert_eq!(
        (log[0].who.as_str(), log[0].crn.as_ref()),
        ("test", Some(&crn("A003000")))
    );
}

/// An import's new cases share one audit row, and each case's history shows it as the case's
/// "created" row, oldest, below the changes made since; clearing the caseload takes it too.
#[test]
fn each_new_case_history_says_which_import_created_it() {
    let mut store = Store::open_in_memory().unwrap();
    let rows = vec![
        (crn("X600001"), patch("Ann", d(2026, 6, 1))),
        (crn("X600002"), patch("Bob", d(2026, 6, 2))),
    ];
    let plan = store.plan_import(&rows).unwrap();
    store
        .apply_import_from(&plan, "alice", Some("import of week1.csv"), &expected)
        .unwrap();
    let mut moved = patch("Ann", d(2026, 6, 5));
    moved.dtr = Some(DtrStatus::Submitted);
    let plan = store.plan_import(&[(crn("X600001"), moved)]).unwrap();
    store
        .apply_import_from(&plan, "bob", Some("import of week2.csv"), &expected)
        .unwrap();
    let shown = |c: &str| -> Vec<(String, String, Option<String>, Option<String>)> {
        store
            .audit_for(&crn(c))
            .unwrap()
            .into_iter()
            .map(|e| {
                assert_eq!(e.crn.as_ref(), Some(&crn(c)));
                (e.who, e.field, e.new, e.source)
            })
            .collect()
    };
    let week1 = Some("import of week1.csv".to_string());
    let week2 = Some("import of week2.csv".to_string());
    assert_eq!(
        shown("X600001"),
        [
            (
                "bob".into(),
                "dtr".into(),
                Some("SUBMITTED".into()),
                week2.clone()
            ),
            (
                "bob".into(),
                "release_date".into(),
                Some("2026-06-05".into()),
                week2
            ),
            ("alice".into(), "created".into(), None, week1.clone()),
        ]
    );
    assert_eq!(
        shown("X600002"),
        [("alice".into(), "created".into(), None, week1)]
    );
    let all = store.audit_for(&crn("X600002")).unwrap();
    assert!(chrono::DateTime::parse_from_rfc3339(&all[0].at).is_ok());
    assert_eq!(
        store.audit_recent(10).unwrap().len(),
        3,
        "one row for both new cases"
    );

    store.remove_all_cases("demo").unwrap();
    let left = store.audit_recent(10).unwrap();
    assert_eq!(left.len(), 1, "{left:?}");
    assert_eq!(left[0].field, "cleared");
}

/// A planned row fits in a parsed row's place, so the plan is written into the parsed rows'
/// own memory (`Store::plan_import_owned`): at 100,000 new cases, 25 MB the import does not
/// take from the system (a sixth of its peak).
#[test]
fn a_planned_row_fits_in_a_parsed_rows_place() {
    use releaseday::io::import::ImportRow;
    use std::mem::{align_of, size_of};
    assert!(
        size_of::<PlannedRow>() <= size_of::<(usize, Crn, CasePatch)>()
            && size_of::<(usize, Crn, CasePatch)>() <= size_of::<ImportRow>(),
        "{} {}",
        size_of::<PlannedRow>(),
        size_of::<ImportRow>()
    );
    assert_eq!(align_of::<PlannedRow>(), align_of::<ImportRow>());
}
