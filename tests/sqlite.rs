//! The SQLite engine's own promises, beyond the store's interface (`tests/store.rs` holds
//! those): the file private to its officer, WAL, migrations on open, and SQLite's indexes kept
//! whole through a bulk import, and a plan
//! that fits in the parsed rows' memory.

use chrono::NaiveDate;
use releaseday::domain::case::*;
use releaseday::store::sqlite::{MIGRATIONS, SCHEMA_VERSION};
use releaseday::store::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn crn(s: &str) -> Crn {
    s.parse().unwrap()
}

fn expected(c: &Case) -> NaiveDate {
    c.confirmed_day.unwrap_or(c.release_date)
}

fn patch(name: &str, release_date: NaiveDate) -> CasePatch {
    CasePatch {
        name: Some(name.into()),
        release_date: Some(release_date),
        ..CasePatch::default()
    }
}

#[cfg(unix)]
#[test]
fn new_file_is_0600_in_a_new_0700_folder() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data").join("releaseday");
    let path = dir.join("releaseday.db");
    let store = SqliteStore::open(&path).unwrap();
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
    drop(SqliteStore::open(&path).unwrap());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
}

#[test]
fn a_file_database_is_in_wal_mode() {
    let tmp = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&tmp.path().join("r.db")).unwrap();
    assert_eq!(store.journal_mode().unwrap(), "wal");
}

#[test]
fn schema_version_is_the_number_of_migrations() {
    let store = SqliteStore::open_in_memory().unwrap();
    assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
    assert_eq!(SCHEMA_VERSION, MIGRATIONS.len() as i64);
}

#[test]
fn opening_twice_is_idempotent() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("r.db");
    let mut a = SqliteStore::open(&path).unwrap();
    a.upsert_case(
        &Case::new(crn("X200001"), "Zoë Invented", d(2026, 12, 24)),
        "t",
        d(2026, 12, 29),
    )
    .unwrap();
    a.meta_set("k", "v").unwrap();
    let b = SqliteStore::open(&path).unwrap(); // while the first is still open
    assert_eq!(b.schema_version().unwrap(), MIGRATIONS.len() as i64);
    assert_eq!(b.case_count().unwrap(), 1);
    drop((a, b));
    let c = SqliteStore::open(&path).unwrap();
    assert_eq!(c.case_count().unwrap(), 1);
    assert_eq!(c.meta_get("k").unwrap().as_deref(), Some("v"));
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
    let mut store = SqliteStore::open(&path).unwrap();
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
            .cases(Cases::Between(d(2027, 1, 1), d(2027, 1, 1)))
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
    let mut store = SqliteStore::open(&path).unwrap();
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
