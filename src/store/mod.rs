//! The store: the SQLite file that holds the caseload, its audit log and settings.
//!
//! Every SQL statement of the app lives under this module; nothing else knows SQL (DESIGN.md).
//! Opening sets the pragmas (WAL, `synchronous=NORMAL`, foreign keys, a busy timeout), creates the
//! file with owner-only permissions on Unix, and runs the forward-only migrations.
//!
//! Errors are one sentence that never contains a person's name or CRN, so they are safe to print.

mod audit;
mod cases;
mod holidays;
pub mod meta;
pub mod migrations;
pub mod paths;

use rusqlite::{Connection, ErrorCode, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use audit::AuditEntry;
pub use cases::{ImportPlan, ImportSummary, PlannedRow, StoredCase};
pub use migrations::{MIGRATIONS, SCHEMA_VERSION};
pub use paths::{default_db_path, demo_db_path, operating_system_user};

/// How long a writer waits for another process's lock before giving up (`busy_timeout`).
const BUSY_TIMEOUT: Duration = Duration::from_millis(5000);

/// The open database. One connection; methods that write take `&mut self` and run in one
/// transaction each, so a failure leaves nothing half-written.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
}

/// What went wrong in the store, as one sentence a user can act on. Never names a person or a CRN.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("could not create the database folder {}: {error}", path.display())]
    CreateDir {
        path: PathBuf,
        error: std::io::Error,
    },

    #[error("could not create or protect the database file {}: {error}", path.display())]
    PrepareFile {
        path: PathBuf,
        error: std::io::Error,
    },

    #[error("the database is busy: another releaseday is writing to it; try again in a moment")]
    Busy(#[source] rusqlite::Error),

    #[error("the database file is not a releaseday database or is damaged; check the --db path")]
    NotADatabase(#[source] rusqlite::Error),

    #[error(
        "the database was written by a newer releaseday (schema version {found}; this program \
         knows up to {known}); install the newer version"
    )]
    TooNew { found: i64, known: i64 },

    #[error("a stored value in column {column} is not valid; the database may be damaged")]
    Corrupt { column: &'static str },

    #[error("a new case in the import has no {field}; check the file's {field} column")]
    MissingField { field: &'static str },

    #[error("no case with that CRN is stored")]
    NotFound,

    #[error(
        "the stored cases changed while the import was being checked, so nothing was written; \
         run the import again"
    )]
    Conflict,

    #[error(
        "someone else changed this case since it was opened, so your change was not saved; \
         it has been reloaded: check it and make the change again"
    )]
    StaleEdit,

    #[error("the database could not complete the operation: {0}")]
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy(e),
            Some(ErrorCode::NotADatabase) => StoreError::NotADatabase(e),
            _ => StoreError::Sqlite(e),
        }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

impl Store {
    /// Opens (creating if need be) the database at `path` and brings its schema up to date.
    ///
    /// Creates missing parent folders (0700 on Unix, only the folders it creates) and the file
    /// itself (0600 on Unix) before SQLite touches it; an existing file that group or others can
    /// read is tightened to 0600. On Windows the per-user data folder's ACL protects the file.
    pub fn open(path: &Path) -> Result<Store> {
        paths::prepare_db_file(path)?;
        let conn = Connection::open(path)?;
        Store::configure(conn)
    }

    /// A private database in memory, for tests and dry runs.
    pub fn open_in_memory() -> Result<Store> {
        Store::configure(Connection::open_in_memory()?)
    }

    fn configure(mut conn: Connection) -> Result<Store> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Returns the mode in force: "wal" for a file, "memory" for an in-memory database.
        let _mode: String =
            conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Up to 32 MiB of page cache (the default is 2 MiB): a national caseload of 100,000
        // cases is about 40 MiB, and lists and imports touch most of it.
        conn.pragma_update(None, "cache_size", -32768)?;
        migrations::migrate(&mut conn)?;
        Ok(Store { conn })
    }

    /// The schema version recorded in the file (`PRAGMA user_version`).
    pub fn schema_version(&self) -> Result<i64> {
        migrations::user_version(&self.conn)
    }

    /// The journal mode in force, lower case: `wal` for a file database, `memory` in memory.
    pub fn journal_mode(&self) -> Result<String> {
        Ok(self
            .conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))?)
    }

    /// Starts a write transaction that takes the write lock at once, so checks made inside it
    /// still hold when it commits.
    fn write_tx(&mut self) -> Result<Transaction<'_>> {
        Ok(self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?)
    }

    /// As `write_tx`, for the few writers that take `&self`.
    fn write_tx_shared(&self) -> Result<Transaction<'_>> {
        Ok(Transaction::new_unchecked(
            &self.conn,
            TransactionBehavior::Immediate,
        )?)
    }
}

/// The current time as RFC 3339 UTC to the second, for audit rows and `created_at`/`updated_at`.
/// (Timestamps record when a write happened; they never feed the release-day rules.)
pub(crate) fn now_utc() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_memory_store_is_migrated() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
        assert_eq!(store.journal_mode().unwrap(), "memory");
    }

    #[test]
    fn file_store_uses_wal_and_foreign_keys() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("r.db")).unwrap();
        assert_eq!(store.journal_mode().unwrap(), "wal");
        let fk: i64 = store
            .conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
        let sync: i64 = store
            .conn
            .pragma_query_value(None, "synchronous", |r| r.get(0))
            .unwrap();
        assert_eq!(sync, 1, "NORMAL");
    }

    #[test]
    fn a_file_that_is_not_a_database_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.db");
        std::fs::write(&path, vec![b'x'; 4096]).unwrap();
        let e = Store::open(&path).unwrap_err();
        assert!(matches!(e, StoreError::NotADatabase(_)), "{e:?}");
        assert!(e.to_string().contains("not a releaseday database"), "{e}");
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        drop(Store::open(&path).unwrap());
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        drop(conn);
        let e = Store::open(&path).unwrap_err();
        assert!(matches!(e, StoreError::TooNew { found: 99, .. }), "{e:?}");
    }

    #[test]
    fn a_locked_database_reports_busy() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        let mut a = Store::open(&path).unwrap();
        let mut b = Store::open(&path).unwrap();
        b.conn.busy_timeout(Duration::from_millis(10)).unwrap();
        let tx = a.write_tx().unwrap();
        let e = b.meta_set("k", "v").unwrap_err();
        assert!(matches!(e, StoreError::Busy(_)), "{e:?}");
        drop(tx);
        b.meta_set("k", "v").unwrap();
        let _ = &mut b;
    }
}
