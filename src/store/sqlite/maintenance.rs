//! Keeping and letting go: backups through SQLite's online backup API, restoring one (checked
//! first, the current database kept aside), and purging cases past their retention.
//!
//! A backup is one self-contained file (rollback journal, not WAL), written beside its final
//! name and renamed into place, owner-only on Unix. A restore copies pages the other way through
//! the same API, so SQLite itself deals with the live database's `-wal` and any other open
//! connection. A purge deletes cases and their audit history in one transaction with
//! `secure_delete` on, so the freed pages are zeroed rather than left holding names.

use super::audit::insert_audit;
use super::migrations::{self, SCHEMA_VERSION};
use super::{now_utc, paths, SqliteStore, StoreError};
use crate::store::{MaintenanceError, Purged, Restored};
use chrono::NaiveDate;
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{params, Connection, ErrorCode, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Suffix of the copy of the current database kept by a restore.
pub const BEFORE_RESTORE: &str = ".before-restore";

/// Audit field of a purge (`new` says how many cases and the cut-off day, never who).
pub const PURGE: &str = "purge";

/// How often a backup step waits for another connection's lock before giving up.
const LOCK_RETRIES: u32 = 50;
const LOCK_PAUSE: Duration = Duration::from_millis(100);

impl From<rusqlite::Error> for MaintenanceError {
    fn from(e: rusqlite::Error) -> Self {
        MaintenanceError::Store(StoreError::from(e))
    }
}

type Result<T> = std::result::Result<T, MaintenanceError>;

impl SqliteStore {
    /// The database file, as SQLite resolved it; `None` in memory.
    pub fn file_path(&self) -> Option<PathBuf> {
        self.conn
            .path()
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
    }

    /// Writes a consistent copy of the whole database to `dest` through SQLite's online backup
    /// API (other connections may keep reading and writing meanwhile). The copy is built in a
    /// hidden file beside `dest`, owner-only on Unix, and renamed into place when complete.
    /// An existing `dest` is refused unless `overwrite`. Returns the number of cases copied.
    pub fn backup_to(&self, dest: &Path, overwrite: bool) -> Result<usize> {
        if self.is_own_file(dest) {
            return Err(MaintenanceError::SameFile(dest.to_path_buf()));
        }
        if !overwrite && exists(dest) {
            return Err(MaintenanceError::Exists(dest.to_path_buf()));
        }
        let tmp = partial_beside(dest)?;
        remove_with_sidecars(&tmp);
        let written = (|| -> Result<()> {
            paths::prepare_db_file(&tmp)?;
            let mut out = Connection::open(&tmp)?;
            copy_all(&self.conn, &mut out)?;
            // One self-contained file: no -wal beside it to lose in a copy.
            let _mode: String =
                out.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get(0))?;
            out.close().map_err(|(_, e)| e)?;
            Ok(())
        })();
        if let Err(e) = written {
            remove_with_sidecars(&tmp);
            return Err(e);
        }
        if !overwrite && exists(dest) {
            remove_with_sidecars(&tmp);
            return Err(MaintenanceError::Exists(dest.to_path_buf()));
        }
        if let Err(error) = std::fs::rename(&tmp, dest) {
            remove_with_sidecars(&tmp);
            return Err(MaintenanceError::Write {
                path: dest.to_path_buf(),
                error,
            });
        }
        Ok(self.case_count()?)
    }

    /// Replaces the whole database with the backup at `src`.
    ///
    /// `src` is opened read-only and must pass `PRAGMA integrity_check`, hold releaseday's tables
    /// and be at a schema version this program knows; otherwise it is refused and nothing is
    /// touched. Its pages are read into memory and the file closed; then the current database is
    /// copied to `<db>.before-restore` (owner-only, replacing an older one), the backup's pages
    /// are copied in through the online backup API in one transaction, and an older backup's
    /// schema is migrated forward. Restoring `<db>.before-restore` itself undoes a restore.
    pub fn restore_from(&mut self, src: &Path) -> Result<Restored> {
        if self.is_own_file(src) {
            return Err(MaintenanceError::SameFile(src.to_path_buf()));
        }
        let source = open_checked(src)?;
        let ours: i64 = self
            .conn
            .pragma_query_value(None, "page_size", |r| r.get(0))?;
        let theirs: i64 = source.pragma_query_value(None, "page_size", |r| r.get(0))?;
        if ours != theirs && self.journal_mode()? == "wal" {
            return Err(MaintenanceError::PageSize {
                path: src.to_path_buf(),
                found: theirs,
                ours,
            });
        }
        // Staged in memory, so the file is closed before anything is written: restoring from
        // the `.before-restore` copy itself (an undo) then works like any other file.
        let mut staged = Connection::open_in_memory()?;
        staged.pragma_update(None, "page_size", theirs)?;
        copy_all(&source, &mut staged)?;
        drop(source);
        let safety_copy = match self.file_path() {
            Some(db) => {
                let mut name = db.into_os_string();
                name.push(BEFORE_RESTORE);
                let safety = PathBuf::from(name);
                self.backup_to(&safety, true)?;
                Some(safety)
            }
            None => None,
        };
        copy_all(&staged, &mut self.conn)?;
        drop(staged);
        migrations::migrate(&mut self.conn)?;
        Ok(Restored {
            cases: self.case_count()?,
            safety_copy,
        })
    }

    /// Deletes every case whose stored expected day is before `before`, with every audit row
    /// about it, in one transaction, and audits the purge itself as one row that names no one
    /// (field `purge`, new "N cases released before YYYY-MM-DD"). With `dry_run` nothing is
    /// written. Deleted content is zeroed (`secure_delete`) and the WAL checkpointed, so the
    /// names do not linger in free pages.
    pub fn purge_before(
        &mut self,
        before: NaiveDate,
        who: &str,
        dry_run: bool,
    ) -> std::result::Result<Purged, StoreError> {
        let day = before.format("%Y-%m-%d").to_string();
        if dry_run {
            return count_purgeable(&self.conn, &day);
        }
        let prior: i64 = self
            .conn
            .pragma_query_value(None, "secure_delete", |r| r.get(0))?;
        self.conn.pragma_update(None, "secure_delete", 1)?;
        let result = self.purge_in_tx(&day, who);
        let reset = self.conn.pragma_update(None, "secure_delete", prior);
        let purged = result?;
        reset?;
        if purged.cases > 0 {
            // Best effort: another open connection may hold the WAL; the pages are zeroed anyway.
            let _ = self
                .conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        }
        Ok(purged)
    }

    fn purge_in_tx(&mut self, day: &str, who: &str) -> std::result::Result<Purged, StoreError> {
        let now = now_utc();
        let tx = self.write_tx()?;
        let audit_rows = tx.execute(
            "DELETE FROM audit WHERE crn IN (SELECT crn FROM cases WHERE expected_day < ?1)",
            params![day],
        )?;
        let cases = tx.execute("DELETE FROM cases WHERE expected_day < ?1", params![day])?;
        if cases > 0 {
            let what = format!(
                "{cases} case{} released before {day}",
                if cases == 1 { "" } else { "s" }
            );
            insert_audit(&tx, &now, who, None, PURGE, None, Some(&what))?;
        }
        tx.commit()?;
        Ok(Purged { cases, audit_rows })
    }

    /// Whether `path` is this database's file or one of its working files.
    fn is_own_file(&self, path: &Path) -> bool {
        let Some(db) = self.file_path() else {
            return false;
        };
        let Ok(target) = resolve(path) else {
            return false;
        };
        ["", "-wal", "-shm", "-journal"].iter().any(|suffix| {
            let mut name = db.clone().into_os_string();
            name.push(suffix);
            resolve(Path::new(&name)).is_ok_and(|p| p == target)
        })
    }
}

fn count_purgeable(conn: &Connection, day: &str) -> std::result::Result<Purged, StoreError> {
    let cases: i64 = conn.query_row(
        "SELECT COUNT(*) FROM cases WHERE expected_day < ?1",
        params![day],
        |r| r.get(0),
    )?;
    let audit_rows: i64 = conn.query_row(
        "SELECT COUNT(*) FROM audit WHERE crn IN (SELECT crn FROM cases WHERE expected_day < ?1)",
        params![day],
        |r| r.get(0),
    )?;
    Ok(Purged {
        cases: cases as usize,
        audit_rows: audit_rows as usize,
    })
}

/// Opens a would-be backup read-only and checks it is a whole releaseday database.
fn open_checked(src: &Path) -> Result<Connection> {
    let meta = std::fs::metadata(src).map_err(|error| MaintenanceError::Read {
        path: src.to_path_buf(),
        error,
    })?;
    if !meta.is_file() {
        return Err(MaintenanceError::Read {
            path: src.to_path_buf(),
            error: std::io::Error::other("it is not a file"),
        });
    }
    let refused = |e: rusqlite::Error| match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => MaintenanceError::NotADatabase(src.to_path_buf()),
        Some(ErrorCode::DatabaseCorrupt) => MaintenanceError::Damaged(src.to_path_buf()),
        _ => MaintenanceError::from(e),
    };
    let conn = Connection::open_with_flags(
        src,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(refused)?;
    conn.busy_timeout(Duration::from_secs(5)).map_err(refused)?;
    let verdict: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .and_then(|mut st| {
            st.query_map([], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<String>>>()
        })
        .map_err(refused)?;
    if verdict != ["ok"] {
        return Err(MaintenanceError::Damaged(src.to_path_buf()));
    }
    let tables: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' \
             AND name IN ('cases', 'audit', 'meta')",
            [],
            |r| r.get(0),
        )
        .map_err(refused)?;
    let found = migrations::user_version(&conn).map_err(|e| match e {
        StoreError::NotADatabase(_) => MaintenanceError::NotADatabase(src.to_path_buf()),
        other => MaintenanceError::Store(other),
    })?;
    if tables != 3 || found < 1 {
        return Err(MaintenanceError::Foreign(src.to_path_buf()));
    }
    if found > SCHEMA_VERSION {
        return Err(MaintenanceError::TooNew {
            path: src.to_path_buf(),
            found,
            known: SCHEMA_VERSION,
        });
    }
    Ok(conn)
}

/// Copies every page of `from` into `to` in one step (one transaction on `to`), waiting for
/// another connection's lock a few seconds at most.
fn copy_all(from: &Connection, to: &mut Connection) -> rusqlite::Result<()> {
    let backup = Backup::new(from, to)?;
    let mut waits = 0;
    loop {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More => {}
            _ if waits < LOCK_RETRIES => {
                waits += 1;
                std::thread::sleep(LOCK_PAUSE);
            }
            _ => {
                return Err(rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                    None,
                ))
            }
        }
    }
}

/// The hidden file a backup is built in: `.NAME.partial` in `dest`'s folder.
pub(super) fn partial_beside(dest: &Path) -> Result<PathBuf> {
    let name = dest.file_name().ok_or_else(|| MaintenanceError::Write {
        path: dest.to_path_buf(),
        error: std::io::Error::new(std::io::ErrorKind::InvalidInput, "the path names no file"),
    })?;
    let dir = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Ok(dir.join(format!(".{}.partial", name.to_string_lossy())))
}

/// Removes a file and any journal SQLite left beside it; missing files are fine.
pub(super) fn remove_with_sidecars(path: &Path) {
    for suffix in ["", "-journal", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}

/// Whether anything (even a dangling link) is at `path`.
pub(super) fn exists(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

/// The canonical path of a file, or of a not-yet-existing file in an existing folder.
fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    match std::fs::canonicalize(path) {
        Ok(p) => Ok(p),
        Err(_) => {
            let name = path
                .file_name()
                .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::InvalidInput))?;
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            Ok(std::fs::canonicalize(dir)?.join(name))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::Case;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn store_with(path: &Path, cases: &[(&str, NaiveDate)]) -> SqliteStore {
        let mut store = SqliteStore::open(path).unwrap();
        for (crn, day) in cases {
            let c = Case::new(crn.parse().unwrap(), format!("Name {crn}"), *day);
            store.upsert_case(&c, "t", *day).unwrap();
        }
        store
    }

    #[test]
    fn a_backup_is_one_rollback_journal_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = store_with(&dir.path().join("r.db"), &[("X000001", d(2026, 5, 1))]);
        let out = dir.path().join("b.db");
        assert_eq!(store.backup_to(&out, false).unwrap(), 1);
        let bytes = std::fs::read(&out).unwrap();
        assert_eq!(&bytes[..16], b"SQLite format 3\0");
        assert_eq!((bytes[18], bytes[19]), (1, 1), "not WAL");
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("b.db") && n != "b.db")
            .collect();
        assert!(left.is_empty(), "{left:?}");
        assert!(matches!(
            store.backup_to(&out, false),
            Err(MaintenanceError::Exists(_))
        ));
        assert!(matches!(
            store.backup_to(&dir.path().join("r.db"), true),
            Err(MaintenanceError::SameFile(_))
        ));
        assert!(matches!(
            store.backup_to(&dir.path().join("r.db-wal"), true),
            Err(MaintenanceError::SameFile(_))
        ));
    }

    #[test]
    fn purge_zeroes_what_it_deletes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        let mut store = store_with(
            &path,
            &[("X000001", d(2026, 1, 5)), ("X000002", d(2026, 9, 1))],
        );
        let got = store.purge_before(d(2026, 6, 1), "t", false).unwrap();
        assert_eq!((got.cases, got.audit_rows), (1, 1));
        drop(store);
        let needle = b"Name X000001";
        for suffix in ["", "-wal"] {
            let mut name = path.clone().into_os_string();
            name.push(suffix);
            if let Ok(bytes) = std::fs::read(PathBuf::from(name)) {
                assert!(
                    !bytes.windows(needle.len()).any(|w| w == needle),
                    "the purged name lingers in r.db{suffix}"
                );
            }
        }
    }
}
