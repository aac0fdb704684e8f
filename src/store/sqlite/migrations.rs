//! Forward-only schema migrations, counted in `PRAGMA user_version`.
//!
//! Migration `i` (0-based) takes the schema from version `i` to `i + 1`; each runs in its own
//! transaction together with the version bump, so a failure leaves the file at the last good
//! version. A database newer than this program is refused rather than guessed at.

use super::{Result, StoreError};
use rusqlite::{Connection, TransactionBehavior};

/// The schema, one migration per entry.
///
/// NEVER EDIT A RELEASED MIGRATION: officers' files have already run it. To change the schema,
/// append a new entry (SQLite's `ALTER TABLE ... ADD COLUMN`, or create-copy-drop-rename for
/// anything more) and add a test that upgrades a file from the previous version.
pub const MIGRATIONS: &[&str] = &[
    // 1: cases, audit, meta, holiday_files.
    r#"
CREATE TABLE cases (
    crn            TEXT PRIMARY KEY NOT NULL,
    name           TEXT NOT NULL,
    noms           TEXT,
    prison         TEXT,
    officer        TEXT,
    team           TEXT,
    rosh           TEXT,
    mappa          INTEGER CHECK (mappa BETWEEN 0 AND 3),
    release_date   TEXT NOT NULL,
    release_type   TEXT NOT NULL,
    accommodation  TEXT NOT NULL,
    dtr            TEXT,
    dtr_date       TEXT,
    crs            TEXT,
    cas3           TEXT,
    ap             TEXT,
    ap_required    INTEGER CHECK (ap_required IN (0, 1)),
    cas2           TEXT,
    friday_release TEXT,
    confirmed_day  TEXT,
    notes          TEXT,
    expected_day   TEXT NOT NULL,
    reported_at    TEXT,
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX cases_by_expected_day ON cases (expected_day, name, crn);
CREATE INDEX cases_by_officer ON cases (officer);
CREATE INDEX cases_by_prison ON cases (prison);

CREATE TABLE audit (
    id    INTEGER PRIMARY KEY,
    at    TEXT NOT NULL,
    who   TEXT NOT NULL,
    crn   TEXT,
    field TEXT NOT NULL,
    old   TEXT,
    new   TEXT
);
CREATE INDEX audit_by_crn ON audit (crn);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

CREATE TABLE holiday_files (
    id          INTEGER PRIMARY KEY,
    imported_at TEXT NOT NULL,
    json        TEXT NOT NULL
);
"#,
    // 2: the day each referral was sent, beside the DTR's.
    r#"
ALTER TABLE cases ADD COLUMN crs_date TEXT;
ALTER TABLE cases ADD COLUMN cas3_date TEXT;
ALTER TABLE cases ADD COLUMN ap_date TEXT;
ALTER TABLE cases ADD COLUMN cas2_date TEXT;
"#,
    // 3: the few cases far ahead that can carry a gap flag (AP applications, HDC), so the
    // worklist reads the weeks ahead and these, not every future case.
    r#"
CREATE INDEX cases_ap_required_by_day ON cases (expected_day) WHERE ap_required = 1;
CREATE INDEX cases_hdc_by_day ON cases (expected_day) WHERE release_type = 'HDC';
"#,
    // 4: planner work survives re-imports (DOMAIN.md §5). Per case, bit i of a mask for field
    // i of `domain::case::COLUMNS`: the fields some import set, and the fields changed in the
    // planner since; for each of the latter, the value it held before the planner changed it
    // (a JSON object by column name; NULL when there is none). Cases already stored count as
    // imported, every field (the 24 there are: 33554430 = bits 1 to 24), and unchanged since.
    // The audit names what wrote a row when it was not the planner (`import of weekly.csv`).
    r#"
ALTER TABLE cases ADD COLUMN imported_mask INTEGER NOT NULL DEFAULT 33554430;
ALTER TABLE cases ADD COLUMN planner_mask INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN planner_base TEXT;
ALTER TABLE audit ADD COLUMN source TEXT;
"#,
    // 5: a faster import (issue 11 part 5). No query reads cases by officer or by prison alone
    // (the `--officer` and `--prison` filters, and the screens', narrow a window read through
    // the day index, in memory), yet every case written kept both indexes up: at 100,000 new
    // cases they were a sixth of an import's instructions. And an import says once, in one
    // audit row, that it created its new cases; each case names that row in `created_by`, and
    // its history shows it as the case's "created" row (`audit::audit_for`). NULL: the case's
    // own "created" row is in the audit log under its CRN (cases from before, the demo's).
    r#"
DROP INDEX IF EXISTS cases_by_officer;
DROP INDEX IF EXISTS cases_by_prison;
ALTER TABLE cases ADD COLUMN created_by INTEGER;
"#,
    // 6: whether the person is registered with a GP (DOMAIN.md §8), blank = not known. The
    // first of the readiness fields; an old case's import marks never had its bit, so a
    // re-import may fill it and the planner's value is still protected once set there.
    r#"
ALTER TABLE cases ADD COLUMN gp INTEGER;
"#,
    // 7: the OMiC handover (DOMAIN.md §7: the sentence, the parole eligibility date, early
    // allocation, recall, the prison offender manager) and the rest of release-day readiness
    // (§8: the initial appointment and its place, the licence, the ID / bank / benefits
    // checklist). All optional; as with 6, old cases' import marks never had their bits.
    r#"
ALTER TABLE cases ADD COLUMN sentence_type TEXT;
ALTER TABLE cases ADD COLUMN sentence_start TEXT;
ALTER TABLE cases ADD COLUMN ped TEXT;
ALTER TABLE cases ADD COLUMN early_allocation INTEGER CHECK (early_allocation IN (0, 1));
ALTER TABLE cases ADD COLUMN recall INTEGER CHECK (recall IN (0, 1));
ALTER TABLE cases ADD COLUMN pom TEXT;
ALTER TABLE cases ADD COLUMN appointment TEXT;
ALTER TABLE cases ADD COLUMN appointment_place TEXT;
ALTER TABLE cases ADD COLUMN licence TEXT;
ALTER TABLE cases ADD COLUMN id_documents INTEGER CHECK (id_documents IN (0, 1));
ALTER TABLE cases ADD COLUMN bank_account INTEGER CHECK (bank_account IN (0, 1));
ALTER TABLE cases ADD COLUMN benefits INTEGER CHECK (benefits IN (0, 1));
"#,
];

/// The schema version this program writes: the number of migrations.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub(crate) fn user_version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

/// Brings the schema up to date. Safe to call on every open and from two processes at once:
/// each step re-reads the version under the write lock.
pub(crate) fn migrate(conn: &mut Connection) -> Result<()> {
    migrate_with(conn, MIGRATIONS)
}

fn migrate_with(conn: &mut Connection, migrations: &[&str]) -> Result<()> {
    let known = migrations.len() as i64;
    let found = user_version(conn)?;
    if found > known {
        return Err(StoreError::TooNew { found, known });
    }
    if found == known {
        return Ok(());
    }
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version = user_version(&tx)?;
        if version > known {
            return Err(StoreError::TooNew {
                found: version,
                known,
            });
        }
        if version == known {
            return Ok(());
        }
        tx.execute_batch(migrations[version as usize])?;
        tx.pragma_update(None, "user_version", version + 1)?;
        tx.commit()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables(conn: &Connection) -> Vec<String> {
        let mut st = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .unwrap();
        let names = st.query_map([], |r| r.get(0)).unwrap();
        names.map(|n| n.unwrap()).collect()
    }

    #[test]
    fn fresh_database_reaches_the_latest_version() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        assert_eq!(user_version(&conn).unwrap(), SCHEMA_VERSION);
        assert_eq!(
            tables(&conn),
            ["audit", "cases", "holiday_files", "meta"].map(String::from)
        );
    }

    #[test]
    fn migrating_twice_changes_nothing() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        migrate(&mut conn).unwrap();
        assert_eq!(user_version(&conn).unwrap(), SCHEMA_VERSION);
    }

    #[test]
    fn each_migration_applies_on_top_of_the_previous() {
        let mut conn = Connection::open_in_memory().unwrap();
        for n in 1..=MIGRATIONS.len() {
            migrate_with(&mut conn, &MIGRATIONS[..n]).unwrap();
            assert_eq!(user_version(&conn).unwrap(), n as i64);
        }
    }

    #[test]
    fn a_failing_migration_leaves_the_last_good_version() {
        let mut conn = Connection::open_in_memory().unwrap();
        let steps = [
            "CREATE TABLE a (x INTEGER);",
            "CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1);",
        ];
        assert!(migrate_with(&mut conn, &steps).is_err());
        assert_eq!(user_version(&conn).unwrap(), 1);
        assert_eq!(tables(&conn), ["a".to_string()], "table b was rolled back");
    }

    #[test]
    fn a_newer_database_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        let e = migrate(&mut conn).unwrap_err();
        assert!(matches!(e, StoreError::TooNew { .. }), "{e:?}");
        assert!(e.to_string().contains("newer releaseday"), "{e}");
    }
}
