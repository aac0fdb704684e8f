//! Schema upgrades (issue 4, promise 5): migrations are forward-only, and a database written by
//! any released version opens in this one with every row intact.
//!
//! - `released_migrations_never_change` fails if the text of a released migration is edited
//!   (officers' files have already run it): append a new migration instead.
//! - `tests/fixtures/schema/vN.db` is a database at schema version N, written once by
//!   `write_missing_fixtures` (ignored; run it with `--ignored` after adding a migration) from
//!   the migration SQL of that day plus invented rows, and committed. Each is opened with the
//!   current `SqliteStore::open` and its rows are checked.

use chrono::NaiveDate;
use releaseday::domain::case::*;
use releaseday::store::sqlite::{MIGRATIONS, SCHEMA_VERSION};
use releaseday::store::{CaseStore, Cases, SqliteStore};
use rusqlite::{params, Connection};
use std::path::{Path, PathBuf};

/// FNV-1a (64-bit) of each released migration's exact text, in order. A hash, not the text, so
/// this file cannot be "fixed" by pasting the new text in: changing a line here means someone
/// chose to break officers' files.
const RELEASED: &[u64] = &[
    0x7b48_c383_2c06_70de,
    0x48ef_7fc8_0ad9_3659,
    0x9362_f447_bbdf_97fa,
    0xa50d_697c_1809_2be7,
    0x8b8a_51af_deaf_1069,
    0xc142_1bea_aa96_80c3,
    0x175f_c811_f351_1d5a,
];

fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[test]
fn released_migrations_never_change() {
    assert!(
        MIGRATIONS.len() >= RELEASED.len(),
        "a released migration was removed: migrations are forward-only"
    );
    for (i, want) in RELEASED.iter().enumerate() {
        let got = fnv1a(MIGRATIONS[i]);
        assert_eq!(
            got,
            *want,
            "migration {} (MIGRATIONS[{i}]) was released and must never change (it hashes to \
             {got:#018x}); put the change in a new migration appended to MIGRATIONS",
            i + 1
        );
    }
}

fn schema_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema")
}

fn fixture(version: i64) -> PathBuf {
    schema_dir().join(format!("v{version}.db"))
}

#[test]
fn every_schema_version_has_a_fixture() {
    for v in 1..=SCHEMA_VERSION {
        assert!(
            fixture(v).is_file(),
            "no fixture database for schema version {v}: run \
             `cargo test --test schema -- --ignored write_missing_fixtures` and commit {}",
            fixture(v).display()
        );
    }
}

// ---- the invented rows every fixture holds ----

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// One invented case as the fixture stores it, and what reading it back must give.
struct Row {
    crn: &'static str,
    name: &'static str,
    noms: Option<&'static str>,
    prison: Option<&'static str>,
    rosh: Option<&'static str>,
    mappa: Option<i64>,
    release_date: &'static str,
    release_type: &'static str,
    accommodation: &'static str,
    dtr: Option<&'static str>,
    dtr_date: Option<&'static str>,
    crs: Option<&'static str>,
    cas3: Option<&'static str>,
    ap: Option<&'static str>,
    ap_required: Option<i64>,
    cas2: Option<&'static str>,
    friday_release: Option<&'static str>,
    confirmed_day: Option<&'static str>,
    notes: Option<&'static str>,
    expected_day: &'static str,
    reported_at: Option<&'static str>,
    version: i64,
    /// Schema 2 on: when CRS and CAS3 referrals were sent.
    crs_date: Option<&'static str>,
    cas3_date: Option<&'static str>,
}

const ROWS: [Row; 3] = [
    Row {
        crn: "X900001",
        name: "Zoë Fixture",
        noms: Some("A9001ZF"),
        prison: Some("HMP Nowhere"),
        rosh: Some("HIGH"),
        mappa: Some(2),
        release_date: "2026-12-24",
        release_type: "CRD",
        accommodation: "NFA",
        dtr: Some("SUBMITTED"),
        dtr_date: Some("2026-11-02"),
        crs: Some("LIVE"),
        cas3: Some("IN_REVIEW"),
        ap: None,
        ap_required: Some(0),
        cas2: None,
        friday_release: None,
        confirmed_day: None,
        notes: Some("rang the council, \"call back Tuesday\""),
        expected_day: "2026-12-23",
        reported_at: None,
        version: 3,
        crs_date: Some("2026-11-03"),
        cas3_date: Some("2026-11-04"),
    },
    Row {
        crn: "X900002",
        name: "Ann Oldfile",
        noms: None,
        prison: None,
        rosh: None,
        mappa: None,
        release_date: "2027-01-08",
        release_type: "MTD",
        accommodation: "SETTLED",
        dtr: None,
        dtr_date: None,
        crs: None,
        cas3: None,
        ap: None,
        ap_required: None,
        cas2: None,
        friday_release: Some("2"),
        confirmed_day: Some("2027-01-06"),
        notes: None,
        expected_day: "2027-01-06",
        reported_at: None,
        version: 1,
        crs_date: None,
        cas3_date: None,
    },
    Row {
        crn: "X900003",
        name: "Bob Schema",
        noms: Some("B1234CD"),
        prison: Some("HMP Elsewhere"),
        rosh: Some("VERY_HIGH"),
        mappa: Some(3),
        release_date: "2026-11-21",
        release_type: "HDC",
        accommodation: "CAS2",
        dtr: Some("ACCEPTED"),
        dtr_date: Some("2026-10-01"),
        crs: Some("COMPLETED"),
        cas3: None,
        ap: Some("REJECTED"),
        ap_required: Some(1),
        cas2: Some("PLACE_OFFERED"),
        friday_release: Some("no"),
        confirmed_day: None,
        notes: Some("second line\nof a note"),
        expected_day: "2026-11-23",
        reported_at: Some("2026-11-23T09:41:00"),
        version: 2,
        crs_date: None,
        cas3_date: None,
    },
];

/// Writes `vN.db` for each schema version that has none yet. Existing fixtures are never
/// rewritten: they stand for files officers already have.
#[test]
#[ignore = "writes tests/fixtures/schema/vN.db; run once after adding a migration, then commit"]
fn write_missing_fixtures() {
    std::fs::create_dir_all(schema_dir()).unwrap();
    for v in 1..=SCHEMA_VERSION {
        let path = fixture(v);
        if path.exists() {
            continue;
        }
        write_fixture(&path, v);
        println!("wrote {}", path.display());
    }
}

fn write_fixture(path: &Path, version: i64) {
    let conn = Connection::open(path).unwrap();
    // One self-contained file: the rollback journal, no -wal beside it.
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    for sql in &MIGRATIONS[..version as usize] {
        conn.execute_batch(sql).unwrap();
    }
    conn.pragma_update(None, "user_version", version).unwrap();
    let at = "2026-11-01T09:00:00Z";
    for r in &ROWS {
        conn.execute(
            "INSERT INTO cases (crn, name, noms, prison, officer, team, rosh, mappa, \
             release_date, release_type, accommodation, dtr, dtr_date, crs, cas3, ap, \
             ap_required, cas2, friday_release, confirmed_day, notes, expected_day, reported_at, \
             version, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, 'J Officer', 'Team A', ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, \
             ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?23)",
            params![
                r.crn,
                r.name,
                r.noms,
                r.prison,
                r.rosh,
                r.mappa,
                r.release_date,
                r.release_type,
                r.accommodation,
                r.dtr,
                r.dtr_date,
                r.crs,
                r.cas3,
                r.ap,
                r.ap_required,
                r.cas2,
                r.friday_release,
                r.confirmed_day,
                r.notes,
                r.expected_day,
                r.reported_at,
                r.version,
                at
            ],
        )
        .unwrap();
        if version >= 2 {
            conn.execute(
                "UPDATE cases SET crs_date = ?2, cas3_date = ?3 WHERE crn = ?1",
                params![r.crn, r.crs_date, r.cas3_date],
            )
            .unwrap();
        }
        conn.execute(
            "INSERT INTO audit (at, who, crn, field, old, new) \
             VALUES (?1, 'fixture', ?2, 'created', NULL, NULL)",
            params![at, r.crn],
        )
        .unwrap();
    }
    conn.execute(
        "INSERT INTO audit (at, who, crn, field, old, new) \
         VALUES (?1, 'fixture', 'X900001', 'cas3', 'SUBMITTED', 'IN_REVIEW')",
        [at],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('fixture_schema', ?1)",
        [version.to_string()],
    )
    .unwrap();
    conn.execute_batch("VACUUM").unwrap();
}

fn day(s: Option<&str>) -> Option<NaiveDate> {
    s.map(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
}

fn code<T: std::str::FromStr>(s: Option<&str>) -> Option<T>
where
    T::Err: std::fmt::Debug,
{
    s.map(|s| s.parse().unwrap())
}

/// What `Store::get` must return for `r` from a fixture at `version`.
fn expected_case(r: &Row, version: i64) -> Case {
    let mut c = Case::new(
        r.crn.parse().unwrap(),
        r.name,
        day(Some(r.release_date)).unwrap(),
    );
    c.noms = code(r.noms);
    c.prison = r.prison.map(str::to_string);
    c.officer = Some("J Officer".into());
    c.team = Some("Team A".into());
    c.rosh = code(r.rosh);
    c.mappa = r.mappa.map(|m| m as u8);
    c.release_type = r.release_type.parse().unwrap();
    c.accommodation = r.accommodation.parse().unwrap();
    c.dtr = code(r.dtr);
    c.dtr_date = day(r.dtr_date);
    c.crs = code(r.crs);
    c.cas3 = code(r.cas3);
    c.ap = code(r.ap);
    c.ap_required = r.ap_required.map(|v| v == 1);
    c.cas2 = code(r.cas2);
    c.friday_release = code(r.friday_release);
    c.confirmed_day = day(r.confirmed_day);
    c.notes = r.notes.map(str::to_string);
    if version >= 2 {
        c.crs_date = day(r.crs_date);
        c.cas3_date = day(r.cas3_date);
    }
    c
}

#[test]
fn every_fixture_opens_in_this_version_with_its_rows_intact() {
    for v in 1..=SCHEMA_VERSION {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join(format!("v{v}.db"));
        std::fs::copy(fixture(v), &path).unwrap();
        let found: i64 = Connection::open(&path)
            .unwrap()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(found, v, "fixture v{v}.db is at schema version {found}");

        let mut store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION, "v{v}");
        assert_eq!(store.case_count().unwrap(), ROWS.len(), "v{v}");
        for r in &ROWS {
            let crn: Crn = r.crn.parse().unwrap();
            let stored = store.get(&crn).unwrap().expect("the case survived");
            assert_eq!(stored.case, expected_case(r, v), "v{v} {}", r.crn);
            assert_eq!(stored.expected_day, day(Some(r.expected_day)).unwrap());
            assert_eq!(stored.version, r.version, "v{v} {}", r.crn);
            assert_eq!(
                stored.reported_at,
                r.reported_at.map(|t| {
                    chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S").unwrap()
                }),
                "v{v} {}",
                r.crn
            );
            let created = store.audit_for(&crn).unwrap();
            assert!(
                created
                    .iter()
                    .any(|a| a.field == "created" && a.who == "fixture"),
                "v{v} {}: audit kept",
                r.crn
            );
        }
        assert_eq!(
            store.meta_get("fixture_schema").unwrap(),
            Some(v.to_string())
        );
        let listed = store
            .cases(Cases::Between(d(2026, 11, 1), d(2027, 1, 31)))
            .unwrap();
        let names: Vec<&str> = listed.iter().map(|s| s.case.name.as_str()).collect();
        assert_eq!(names, ["Bob Schema", "Zoë Fixture", "Ann Oldfile"], "v{v}");

        // The upgraded file takes new writes, including the newest columns.
        let crn: Crn = "X900002".parse().unwrap();
        let mut case = store.get(&crn).unwrap().unwrap();
        case.case.cas2_date = Some(d(2026, 12, 1));
        case.case.notes = Some("after the upgrade".into());
        let (version, changes) = store
            .save_edit(&case.case, case.version, "test", case.expected_day)
            .unwrap();
        assert_eq!(version, case.version + 1);
        assert_eq!(changes.len(), 2);
        drop(store);
        let again = SqliteStore::open(&path).unwrap();
        let reread = again.get(&crn).unwrap().unwrap();
        assert_eq!(reread.case.cas2_date, Some(d(2026, 12, 1)));
        assert_eq!(reread.case.notes.as_deref(), Some("after the upgrade"));
    }
}

#[test]
fn fixtures_are_not_changed_by_the_tests() {
    // The tests open copies: the committed files stay at their own versions.
    for v in 1..=SCHEMA_VERSION {
        let conn =
            Connection::open_with_flags(fixture(v), rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                .unwrap();
        let found: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(found, v);
        let mode: String = conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "delete", "v{v}.db is one self-contained file");
    }
}

/// Migration 4 (planner work survives re-imports, DOMAIN.md §5): a case stored before it counts
/// as imported, every field, and unchanged in the planner; so last week's sheet leaves what the
/// officer records next, and a file's change to a field no one touched is taken.
#[test]
fn cases_from_before_marks_count_as_imported() {
    use releaseday::domain::marks::{column_index, FieldMarks};
    for v in 1..=3 {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join(format!("v{v}.db"));
        std::fs::copy(fixture(v), &path).unwrap();
        {
            let store = SqliteStore::open(&path).unwrap();
            for r in &ROWS {
                let marks = store.marks(&r.crn.parse().unwrap()).unwrap().unwrap();
                // The 24 fields there were when migration 4 ran (bits 1 to 24); a field added
                // since was never imported into these cases.
                assert_eq!(marks, FieldMarks::imported(0x1FF_FFFE), "v{v} {}", r.crn);
            }
            let old = store.audit_for(&"X900001".parse().unwrap()).unwrap();
            assert!(old.iter().all(|a| a.source.is_none()), "v{v}: {old:?}");
        }
        let run = |args: &[&str]| -> String {
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_releaseday"))
                .env_remove("RELEASEDAY_DB")
                .env("RELEASEDAY_CONFIG", tmp.path().join("config.toml"))
                .env("USER", "fixture-officer")
                .arg("--db")
                .arg(&path)
                .args(["--today", "2026-12-01"])
                .args(args)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "v{v} {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8(out.stdout).unwrap()
        };
        // The officer moves Zoë's CAS3 referral on after the upgrade.
        run(&["edit", "X900001", "cas3=READY_TO_PLACE"]);
        // The sheet the fixture came from, with one real change (Zoë's accommodation).
        let sheet = tmp.path().join("sheet.csv");
        std::fs::write(
            &sheet,
            "crn,name,release_date,accommodation,cas3,dtr\n\
             X900001,Zoë Fixture,2026-12-24,CAS3,IN_REVIEW,SUBMITTED\n\
             X900003,Bob Schema,2026-11-21,CAS2,,ACCEPTED\n",
        )
        .unwrap();
        let out = run(&["import", sheet.to_str().unwrap()]);
        assert!(
            out.contains(": 0 new, 1 updated, 1 unchanged, 0 conflicts."),
            "v{v}: {out}"
        );
        let store = SqliteStore::open(&path).unwrap();
        let zoe = store.get(&"X900001".parse().unwrap()).unwrap().unwrap();
        assert_eq!(
            zoe.case.cas3,
            Some(Cas3Status::ReadyToPlace),
            "v{v}: stale kept"
        );
        assert_eq!(zoe.case.accommodation, Accommodation::Cas3, "v{v}: taken");
        let marks = store.marks(&zoe.case.crn).unwrap().unwrap();
        let cas3 = column_index("cas3").unwrap();
        assert_eq!(marks.last_imported(cas3), Some("IN_REVIEW"), "v{v}");
        let last = store.audit_for(&zoe.case.crn).unwrap().remove(0);
        assert_eq!(
            (last.field.as_str(), last.source.as_deref()),
            ("accommodation", Some("import of sheet.csv")),
            "v{v}"
        );
    }
}

/// Migration 5 (issue 11 part 5, import speed): the officer and prison indexes, which no query
/// used, are gone from files of every earlier version; their cases name no import's "created"
/// row (`created_by` is NULL) and keep their own in their history.
#[test]
fn migration_5_drops_the_unused_indexes_and_keeps_each_cases_own_created_row() {
    for v in 1..=4 {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join(format!("v{v}.db"));
        std::fs::copy(fixture(v), &path).unwrap();
        drop(SqliteStore::open(&path).unwrap());
        let conn = Connection::open(&path).unwrap();
        let mut names: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "audit_by_crn",
                "cases_ap_required_by_day",
                "cases_by_expected_day",
                "cases_hdc_by_day"
            ],
            "v{v}"
        );
        let named: i64 = conn
            .query_row("SELECT COUNT(created_by) FROM cases", [], |r| r.get(0))
            .unwrap();
        assert_eq!(named, 0, "v{v}");
    }
}
