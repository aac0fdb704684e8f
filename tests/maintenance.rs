//! Keeping and letting go, end to end: `backup`, `restore` and `purge` on the real binary, with
//! the database inspected through rusqlite. Fixtures are invented (see tests/cli.rs for the
//! caseload's expected days: with T = Mon 23 Nov 2026, X100010 is due Sun 22 Nov, X100011 and
//! X100012 Mon 23 Nov, X100009 Thu 3 Dec, X100003 Mon 7 Dec, X100006 Wed 9 Dec, X100002 Thu 10 Dec).

mod common;

use chrono::NaiveDate;
use common::cli::{fixture, Env};
use releaseday::domain::case::Case;
use releaseday::store::SqliteStore;
use rusqlite::Connection;
use std::path::Path;

impl Env {
    /// A fresh database, run as `tester`.
    fn tester() -> Env {
        Env::new().user("tester")
    }

    fn with_caseload(self) -> Env {
        self.ok(&["import", fixture("caseload.csv").to_str().unwrap()]);
        self
    }

    fn conn(&self) -> Connection {
        Connection::open(self.db()).unwrap()
    }

    /// (crn, name) of every stored case, by CRN.
    fn cases(&self) -> Vec<(String, String)> {
        rows(
            &self.conn(),
            "SELECT crn, name FROM cases ORDER BY crn",
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }

    /// Every audit row as text, oldest first: (crn, field, old, new, who).
    fn audit(&self) -> Vec<AuditRow> {
        rows(
            &self.conn(),
            "SELECT crn, field, old, new, who, at FROM audit ORDER BY id",
            |r| {
                Ok(AuditRow {
                    crn: r.get(0)?,
                    field: r.get(1)?,
                    old: r.get(2)?,
                    new: r.get(3)?,
                    who: r.get(4)?,
                    at: r.get(5)?,
                })
            },
        )
    }

    /// What the user would see of the database: every case and every audit row.
    fn snapshot(&self) -> (Vec<(String, String)>, Vec<AuditRow>) {
        (self.cases(), self.audit())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct AuditRow {
    crn: Option<String>,
    field: String,
    old: Option<String>,
    new: Option<String>,
    who: String,
    at: String,
}

impl AuditRow {
    fn text(&self) -> String {
        format!(
            "{} {} {} {} {} {}",
            self.crn.as_deref().unwrap_or(""),
            self.field,
            self.old.as_deref().unwrap_or(""),
            self.new.as_deref().unwrap_or(""),
            self.who,
            self.at
        )
    }
}

fn rows<T>(
    conn: &Connection,
    sql: &str,
    f: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Vec<T> {
    let mut st = conn.prepare(sql).unwrap();
    let out = st
        .query_map([], f)
        .unwrap()
        .collect::<rusqlite::Result<Vec<T>>>()
        .unwrap();
    out
}

fn crns(cases: &[(String, String)]) -> Vec<&str> {
    cases.iter().map(|(c, _)| c.as_str()).collect()
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

// ---------------------------------------------------------------------------------------------
// backup and restore

#[test]
fn backup_then_change_then_restore_brings_the_old_data_back() {
    let env = Env::tester().with_caseload();
    let before = env.snapshot();
    assert_eq!(before.0.len(), 14);
    let backup = env.path("monday.db");
    let out = env.ok(&["backup", backup.to_str().unwrap()]);
    assert!(out.contains("Backed up 14 cases to"), "{out}");

    // Changes after the backup, one of them still in the live WAL of an open connection.
    let live = env.conn();
    live.execute(
        "UPDATE cases SET name = 'Changed Later' WHERE crn = 'X100001'",
        [],
    )
    .unwrap();
    live.execute("DELETE FROM cases WHERE crn = 'X100002'", [])
        .unwrap();
    assert_ne!(env.cases(), before.0);

    let out = env.ok(&["restore", backup.to_str().unwrap()]);
    assert!(out.contains("Restored 14 cases from"), "{out}");
    assert!(out.contains("x.db.before-restore"), "{out}");
    assert_eq!(env.snapshot(), before, "cases and audit as they were");
    // The connection that was open all along sees the restored data too.
    let name: String = live
        .query_row("SELECT name FROM cases WHERE crn = 'X100001'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(name, "Ann Example");
    drop(live);

    // The database as it was before the restore is kept, whole.
    let safety = env.path("x.db.before-restore");
    let kept = Connection::open(&safety).unwrap();
    let (n, changed): (i64, i64) = kept
        .query_row(
            "SELECT COUNT(*), SUM(name = 'Changed Later') FROM cases",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((n, changed), (13, 1));
    #[cfg(unix)]
    assert_eq!(mode(&safety), 0o600);

    drop(kept);

    // The restored database still works as usual.
    let listed = env.ok(&["list", "--from", "2026-01-01", "--to", "2027-12-31"]);
    assert!(listed.contains("Ann Example"), "{listed}");

    // Restoring the kept copy undoes the restore, and keeps the restored state in its place.
    let out = env.ok(&["restore", safety.to_str().unwrap()]);
    assert!(out.contains("Restored 13 cases"), "{out}");
    assert!(env
        .cases()
        .iter()
        .any(|(crn, name)| crn == "X100001" && name == "Changed Later"));
    let n: i64 = Connection::open(&safety)
        .unwrap()
        .query_row("SELECT COUNT(*) FROM cases", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 14);
}

#[test]
fn a_backup_is_private_and_not_overwritten_without_force() {
    let env = Env::tester().with_caseload();
    let backup = env.path("b.db");
    env.ok(&["backup", backup.to_str().unwrap()]);
    #[cfg(unix)]
    assert_eq!(mode(&backup), 0o600);
    let copy = Connection::open(&backup).unwrap();
    let n: i64 = copy
        .query_row("SELECT COUNT(*) FROM cases", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 14);
    drop(copy);

    // A second backup to the same name is refused, the first left alone.
    std::fs::write(env.path("other.db"), b"keep me").unwrap();
    let err = env.fails(&["backup", env.path("other.db").to_str().unwrap()]);
    assert!(err.contains("already exists"), "{err}");
    assert!(err.contains("--force"), "{err}");
    assert_eq!(std::fs::read(env.path("other.db")).unwrap(), b"keep me");

    // With --force it is replaced, and a loose file becomes owner-only.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(env.path("other.db"), std::fs::Permissions::from_mode(0o644))
            .unwrap();
    }
    env.ok(&["backup", "--force", env.path("other.db").to_str().unwrap()]);
    #[cfg(unix)]
    assert_eq!(mode(&env.path("other.db")), 0o600);
    let n: i64 = Connection::open(env.path("other.db"))
        .unwrap()
        .query_row("SELECT COUNT(*) FROM cases", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 14);

    // Nothing half-written is left beside it.
    let names: Vec<String> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("partial"))
        .collect();
    assert!(names.is_empty(), "{names:?}");

    // Backing up over the database itself is refused.
    let err = env.fails(&["backup", "--force", env.db().to_str().unwrap()]);
    assert!(err.contains("the database itself"), "{err}");
}

/// Runs `restore FILE`, expects it refused with a message containing `expect`, and checks the
/// database and its neighbours are as they were.
fn assert_restore_refused(env: &Env, file: &Path, expect: &str) {
    let before = env.snapshot();
    let err = env.fails(&["restore", file.to_str().unwrap()]);
    assert!(err.contains(expect), "expected {expect:?} in: {err}");
    assert!(err.contains("nothing was restored"), "{err}");
    assert_eq!(err.lines().count(), 1, "one sentence: {err}");
    assert_eq!(env.snapshot(), before, "the database is untouched");
    assert!(
        !env.path("x.db.before-restore").exists(),
        "refused before anything was copied"
    );
}

#[test]
fn restore_refuses_a_file_of_garbage() {
    let env = Env::tester().with_caseload();
    let junk = env.path("junk.db");
    let bytes: Vec<u8> = (0..16_384u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&junk, bytes).unwrap();
    assert_restore_refused(&env, &junk, "is not a database or is damaged");
}

#[test]
fn restore_refuses_a_truncated_backup() {
    let env = Env::tester();
    // A caseload big enough to span many pages.
    env.ok(&["demo", "--cases", "400"]);
    let backup = env.path("b.db");
    env.ok(&["backup", backup.to_str().unwrap()]);
    let bytes = std::fs::read(&backup).unwrap();
    assert!(bytes.len() > 40_000, "{} bytes", bytes.len());
    let cut = env.path("cut.db");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    assert_restore_refused(&env, &cut, "damaged");

    // Garbage written over the middle of an otherwise whole file.
    let mut scribbled = bytes.clone();
    let mid = scribbled.len() / 2;
    scribbled[mid..mid + 8192].fill(0xA5);
    let bad = env.path("scribbled.db");
    std::fs::write(&bad, &scribbled).unwrap();
    assert_restore_refused(&env, &bad, "damaged");

    // The whole backup still restores.
    env.ok(&["restore", backup.to_str().unwrap()]);
}

#[test]
fn restore_refuses_a_backup_whose_table_and_index_disagree() {
    // Quiet damage that reads back fine: a name changed in the table but not in its index.
    // Only the integrity check notices.
    let env = Env::tester().with_caseload();
    let backup = env.path("b.db");
    env.ok(&["backup", backup.to_str().unwrap()]);
    let mut bytes = std::fs::read(&backup).unwrap();
    let needle = b"Ann Example";
    let at: Vec<usize> = (0..bytes.len() - needle.len())
        .filter(|i| &bytes[*i..*i + needle.len()] == needle)
        .collect();
    assert_eq!(at.len(), 2, "once in the table, once in the index by day");
    bytes[at[0]..at[0] + 3].copy_from_slice(b"Amy");
    let flipped = env.path("flipped.db");
    std::fs::write(&flipped, &bytes).unwrap();
    let n: i64 = Connection::open(&flipped)
        .unwrap()
        .query_row("SELECT COUNT(*) FROM cases", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 14, "it reads back fine");
    assert_restore_refused(&env, &flipped, "integrity check failed");
}

#[test]
fn restore_refuses_a_database_that_is_not_releaseday() {
    let env = Env::tester().with_caseload();
    let other = env.path("recipes.db");
    let conn = Connection::open(&other).unwrap();
    conn.execute_batch("CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('soup');")
        .unwrap();
    drop(conn);
    assert_restore_refused(&env, &other, "is not a releaseday database");

    // An empty file is an empty database: not a releaseday one either.
    let empty = env.path("empty.db");
    std::fs::write(&empty, b"").unwrap();
    assert_restore_refused(&env, &empty, "is not a releaseday database");

    // A releaseday database from a newer version.
    let newer = env.path("newer.db");
    env.ok(&["backup", newer.to_str().unwrap()]);
    Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    assert_restore_refused(&env, &newer, "newer releaseday");

    // A file that is not there.
    assert_restore_refused(&env, &env.path("missing.db"), "cannot read");
}

// ---------------------------------------------------------------------------------------------
// purge

/// The fixture caseload, with Jon's name corrected by a second import so his history holds his
/// name, and a check-in for Kim.
fn purge_env() -> Env {
    let env = Env::tester().with_caseload();
    let fix = env.path("fix.csv");
    std::fs::write(
        &fix,
        "crn,name,release_date\nX100010,Jonathan Example,2026-11-22\n",
    )
    .unwrap();
    env.ok(&["import", fix.to_str().unwrap()]);
    assert!(env
        .audit()
        .iter()
        .any(|a| a.new.as_deref() == Some("Jonathan Example")));
    env
}

const OLD: [&str; 6] = [
    "X100003", "X100006", "X100009", "X100010", "X100011", "X100012",
];

#[test]
fn purge_deletes_the_old_cases_and_their_history_and_nothing_else() {
    let env = purge_env();
    let before_cases = env.cases();
    let before_audit = env.audit();
    let kept_audit: Vec<AuditRow> = before_audit
        .iter()
        .filter(|a| !OLD.contains(&a.crn.as_deref().unwrap_or("")))
        .cloned()
        .collect();

    let out = env.ok_on("2027-03-01", &["purge", "--released-before", "2026-12-10"]);
    assert!(
        out.contains("Purged 6 cases released before 2026-12-10"),
        "{out}"
    );

    let after = env.cases();
    let expected: Vec<(String, String)> = before_cases
        .into_iter()
        .filter(|(crn, _)| !OLD.contains(&crn.as_str()))
        .collect();
    assert_eq!(after, expected, "exactly the cases due before 10 Dec went");
    assert!(crns(&after).contains(&"X100002"), "due on the day itself");

    let audit = env.audit();
    let (purge, rest) = audit.split_last().unwrap();
    assert_eq!(rest, kept_audit, "other cases' history is untouched");
    assert_eq!(purge.field, "purge");
    assert_eq!(purge.crn, None);
    assert_eq!(purge.old, None);
    assert_eq!(
        purge.new.as_deref(),
        Some("6 cases released before 2026-12-10")
    );
    assert_eq!(purge.who, "tester");
    let text = purge.text();
    for (crn, name) in expected_gone() {
        assert!(!text.contains(crn), "{text}");
        assert!(!text.contains(name), "{text}");
    }
    // Nowhere in the audit log is a purged person left.
    let all: String = audit.iter().map(AuditRow::text).collect();
    for (crn, name) in expected_gone() {
        assert!(!all.contains(crn), "{crn} still in the audit log");
        assert!(!all.contains(name), "{name} still in the audit log");
    }
    assert!(!all.contains("Jonathan"), "his corrected name went too");
}

/// (crn, first name) of the cases the purge above deletes.
fn expected_gone() -> Vec<(&'static str, &'static str)> {
    vec![
        ("X100003", "Cara"),
        ("X100006", "Fay"),
        ("X100009", "Ivy"),
        ("X100010", "Jon"),
        ("X100011", "Kim"),
        ("X100012", "Lee"),
    ]
}

#[test]
fn a_dry_run_purges_nothing() {
    let env = purge_env();
    let before = env.snapshot();
    let out = env.ok_on(
        "2027-03-01",
        &["purge", "--released-before", "2026-12-10", "--dry-run"],
    );
    assert!(
        out.contains("Would purge 6 cases released before 2026-12-10"),
        "{out}"
    );
    assert!(out.contains("nothing was deleted"), "{out}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn purge_without_a_date_keeps_90_days() {
    let env = Env::tester();
    // Mon 1 Mar 2027: 90 days back is Tue 1 Dec 2026, 91 days back Mon 30 Nov.
    let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    {
        let mut store = SqliteStore::open(&env.db()).unwrap();
        for (crn, name, released) in [
            ("X200001", "Old Enough", day(11, 30)),
            ("X200002", "Just Kept", day(12, 1)),
            ("X200003", "Recent", day(12, 15)),
        ] {
            let c = Case::new(crn.parse().unwrap(), name, released);
            store.upsert_case(&c, "t", released).unwrap();
        }
    }
    let out = env.ok_on("2027-03-01", &["purge", "--dry-run"]);
    assert!(
        out.contains("Would purge 1 case released before 2026-12-01"),
        "{out}"
    );
    let out = env.ok_on("2027-03-01", &["purge"]);
    assert!(
        out.contains("Purged 1 case released before 2026-12-01"),
        "{out}"
    );
    assert_eq!(crns(&env.cases()), ["X200002", "X200003"]);
    let out = env.ok_on("2027-03-01", &["purge"]);
    assert!(out.contains("nothing was purged"), "{out}");
}

#[test]
fn purge_refuses_a_day_after_today() {
    let env = Env::tester().with_caseload();
    let before = env.snapshot();
    let err = env.fails(&["purge", "--released-before", "2027-06-01"]);
    assert!(err.contains("after today"), "{err}");
    assert_eq!(env.snapshot(), before);
}
