//! The SQLite engine: the caseload in one file on the officer's machine (or a shared folder),
//! the default and the demo's. Opening sets the pragmas (WAL, `synchronous=NORMAL`, foreign
//! keys, a busy timeout), creates the file with owner-only permissions on Unix, and runs the
//! forward-only migrations. What only this engine does (checkpoints, the journal mode, a
//! network share's rollback journal, file permissions) stays in here.
//!
//! - `columns.rs`: the table's fields as SQLite columns, bound and read (row coding).
//! - `reads.rs`, `stream.rs`, `search.rs`: cases by CRN and by window, streamed, light reads.
//! - `import.rs`, `new_cases.rs`, `updates.rs`: an import planned and written.
//! - `writes.rs`: an officer's edits and check-ins, whole-case writes, expected days redone.
//! - `audit.rs`, `meta.rs`, `holidays.rs`: the history, settings and a holiday file.
//! - `maintenance.rs`: backups, restores and purges; `migrations.rs` the schema; `paths.rs`
//!   and `netfs.rs` the file and where it lives.
//! - `engine.rs`: the `CaseStore` implementation, each call answered by the methods above.

mod audit;
mod changes;
mod columns;
mod engine;
mod holidays;
mod import;
mod maintenance;
mod meta;
pub mod migrations;
mod netfs;
mod new_cases;
mod paths;
mod reads;
mod search;
mod stream;
mod updates;
mod whole;
mod writes;

use rusqlite::{Connection, ErrorCode, Transaction, TransactionBehavior};
use std::path::Path;
use std::time::{Duration, Instant};

use super::{now_utc, EngineError, Result, StoreError};
pub use maintenance::{BEFORE_RESTORE, PURGE};
pub use migrations::{MIGRATIONS, SCHEMA_VERSION};
pub use whole::write_file;

/// How long a writer waits for another process's lock before giving up (`busy_timeout`).
const BUSY_TIMEOUT: Duration = Duration::from_millis(5000);

/// How long a write transaction keeps trying for the lock, in all, before `StoreError::Busy`:
/// each try waits up to `BUSY_TIMEOUT` inside SQLite, then `write_tx` backs off and tries again.
const WRITE_PATIENCE: Duration = Duration::from_secs(15);

/// The open database. One connection; methods that write take `&mut self` and run in one
/// transaction each, so a failure leaves nothing half-written.
#[derive(Debug)]
pub struct SqliteStore {
    conn: Connection,
    /// Warnings printed when the database was opened (`SqliteStore::warnings`).
    warnings: Vec<String>,
    /// How long `write_tx` keeps trying for the write lock (`WRITE_PATIENCE`; tests shorten it).
    patience: Duration,
    /// `total_changes` at the last idle checkpoint (`checkpoint_if_written`).
    checkpointed_at: u64,
}

/// How to open a database file; `Default` is what the program uses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OpenOptions {
    /// Whether the database's folder is on a network file system (NFS, SMB, ...), where WAL is
    /// unsafe. `None`: ask the operating system (Linux: the mount table). `Some`: take this answer
    /// (tests, and a way to force the rollback journal).
    pub network: Option<bool>,
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
                StoreError::Busy(EngineError::new(e))
            }
            Some(ErrorCode::NotADatabase) => StoreError::NotADatabase(EngineError::new(e)),
            _ => StoreError::Engine(EngineError::new(e)),
        }
    }
}

impl SqliteStore {
    /// Opens (creating if need be) the database at `path` and brings its schema up to date.
    ///
    /// Creates missing parent folders (0700 on Unix, only the folders it creates) and the file
    /// itself (0600 on Unix) before SQLite touches it; an existing file that group or others can
    /// read is tightened to 0600. On Windows the per-user data folder's ACL protects the file.
    ///
    /// On a network file system (see `OpenOptions::network`) the rollback journal is used instead
    /// of WAL. Each warning (a file tightened, a network share) is printed to standard error as
    /// one line starting `releaseday: ` and kept in `warnings`.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        SqliteStore::open_with(path, OpenOptions::default())
    }

    /// As `open`, with the network-share question answered by `options` when it says so.
    pub fn open_with(path: &Path, options: OpenOptions) -> Result<SqliteStore> {
        let mut warnings = paths::prepare_db_file(path)?;
        let network = match options.network {
            Some(false) => None,
            Some(true) => Some(None),
            None => network_type(path).map(Some),
        };
        let journal = match &network {
            None => Journal::Wal,
            Some(fstype) => {
                let on = fstype
                    .as_deref()
                    .map_or(String::new(), |t| format!(" ({t})"));
                warnings.push(format!(
                    "the database is on a network share{on}; using the rollback journal \
                     instead of WAL, which is unsafe there"
                ));
                Journal::Rollback
            }
        };
        for w in &warnings {
            eprintln!("releaseday: {w}");
        }
        let conn = Connection::open(path)?;
        let mut store = SqliteStore::configure(conn, journal)?;
        paths::secure_sidecars(path);
        store.warnings = warnings;
        Ok(store)
    }

    /// A private database in memory, for tests and dry runs.
    pub fn open_in_memory() -> Result<SqliteStore> {
        SqliteStore::configure(Connection::open_in_memory()?, Journal::Wal)
    }

    /// The warnings printed when this database was opened, without the `releaseday: ` prefix.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    fn configure(mut conn: Connection, journal: Journal) -> Result<SqliteStore> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // A new file gets 16 KiB pages (SQLite's default is 4 KiB; a file that has pages keeps
        // its size): a quarter of the pages to write, log and copy back for the same rows, and
        // shallower indexes. A first import of 100,000 cases spent a fifth of its time in the
        // system calls that move pages (issue 11 part 5).
        conn.pragma_update(None, "page_size", 16384)?;
        // Each returns the mode in force: "wal" or "delete" for a file, "memory" in memory.
        let (mode, synchronous) = match journal {
            Journal::Wal => ("WAL", "NORMAL"),
            // Without WAL, NORMAL can lose a commit's durability on power loss; FULL syncs it.
            Journal::Rollback => ("DELETE", "FULL"),
        };
        let _mode: String =
            conn.pragma_update_and_check(None, "journal_mode", mode, |r| r.get(0))?;
        conn.pragma_update(None, "synchronous", synchronous)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Up to 8 MiB of page cache (the default is 2 MiB). The file's pages stay in the
        // operating system's cache anyway; 32 MiB here made the screens' peak memory 15 MB
        // larger at 100,000 cases without making the planner's queries measurably faster.
        conn.pragma_update(None, "cache_size", -8192)?;
        migrations::migrate(&mut conn)?;
        Ok(SqliteStore {
            conn,
            warnings: Vec::new(),
            patience: WRITE_PATIENCE,
            checkpointed_at: 0,
        })
    }

    /// A second, read-only connection to the same file, for reading on another thread while
    /// this one serves the screens; `None` for a database in memory (nothing to share).
    /// No migrations, permission checks or warnings: this connection already did them.
    pub fn reader(&self) -> Result<Option<SqliteStore>> {
        let Some(path) = self.conn.path().filter(|p| !p.is_empty()) else {
            return Ok(None);
        };
        let conn = Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        Ok(Some(SqliteStore {
            conn,
            warnings: Vec::new(),
            patience: self.patience,
            checkpointed_at: 0,
        }))
    }

    /// The schema version recorded in the file (`PRAGMA user_version`).
    pub fn schema_version(&self) -> Result<i64> {
        migrations::user_version(&self.conn)
    }

    /// For the screens: no WAL checkpoint inside a save (its fsync made the slowest edits
    /// several times slower); `checkpoint_if_written` runs one when the officer pauses.
    /// The screens also hold the caseload they show in memory, so the connection's page
    /// cache serves saves and single cases: 4 MiB rather than 8, which the first days' cases,
    /// on pages all over the file, filled at open while the rest of the caseload loads (the
    /// planner's peak at 100,000 cases, 79 → 75 MB). 2 MiB made saves slower (the screens
    /// bench's p50 doubled); 4 MiB did not.
    pub fn defer_checkpoints(&self) -> Result<()> {
        self.conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        self.conn.pragma_update(None, "cache_size", -4096)?;
        Ok(())
    }

    /// Copies the WAL back into the database if this connection wrote since the last one that
    /// finished; passive, so it never waits for (or blocks) another officer. One cut short by
    /// another officer's read is tried again at the next pause.
    pub fn checkpoint_if_written(&mut self) -> Result<()> {
        let written = self.conn.total_changes();
        if written != self.checkpointed_at {
            let (busy, log, done): (i64, i64, i64) =
                self.conn
                    .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                    })?;
            if busy == 0 && done == log {
                self.checkpointed_at = written;
            }
        }
        Ok(())
    }

    /// The journal mode in force, lower case: `wal` for a file database, `memory` in memory.
    pub fn journal_mode(&self) -> Result<String> {
        Ok(self
            .conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))?)
    }

    /// Starts a write transaction that takes the write lock at once, so checks made inside it
    /// still hold when it commits. Another process holding the lock is waited for (`busy_timeout`,
    /// then retries with a growing pause) for up to `WRITE_PATIENCE` before `StoreError::Busy`.
    fn write_tx(&mut self) -> Result<Transaction<'_>> {
        self.write_tx_shared()
    }

    /// As `write_tx`, for the few writers that take `&self`.
    fn write_tx_shared(&self) -> Result<Transaction<'_>> {
        begin_immediate(&self.conn, self.patience)
    }
}

/// Which journal the file uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Journal {
    /// Write-ahead log: readers never wait for the writer. Needs memory shared between processes.
    Wal,
    /// The rollback journal (`DELETE`): works wherever file locks do.
    Rollback,
}

/// The network file system type holding the database's folder, if any (the folder exists by now:
/// `prepare_db_file` made it).
fn network_type(path: &Path) -> Option<String> {
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let dir = std::fs::canonicalize(parent).ok()?;
    netfs::detect(&dir)
}

/// `BEGIN IMMEDIATE`, retried while the database is busy until `patience` has passed. Each try
/// already waits up to the connection's busy timeout; between tries the pause doubles from 50 ms
/// to 1 s, so two writers that keep colliding drift apart.
fn begin_immediate(conn: &Connection, patience: Duration) -> Result<Transaction<'_>> {
    let start = Instant::now();
    let mut pause = Duration::from_millis(50);
    loop {
        match Transaction::new_unchecked(conn, TransactionBehavior::Immediate) {
            Ok(tx) => return Ok(tx),
            Err(e) => {
                let busy = matches!(
                    e.sqlite_error_code(),
                    Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
                );
                let left = patience.saturating_sub(start.elapsed());
                if !busy || left.is_zero() {
                    return Err(e.into());
                }
                std::thread::sleep(pause.min(left));
                pause = (pause * 2).min(Duration::from_secs(1));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_memory_store_is_migrated() {
        let store = SqliteStore::open_in_memory().unwrap();
        assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
        assert_eq!(store.journal_mode().unwrap(), "memory");
    }

    /// The screens defer checkpoints out of saves and run them when idle: the WAL then grows
    /// past SQLite's automatic 1,000 pages until the idle call copies it all back.
    #[test]
    fn deferred_checkpoints_run_when_idle() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(&dir.path().join("r.db")).unwrap();
        store.defer_checkpoints().unwrap();
        let wal = |s: &SqliteStore| -> (i64, i64) {
            // (frames in the WAL, frames checkpointed) without copying anything.
            s.conn
                .query_row("PRAGMA wal_checkpoint(NOOP)", [], |r| {
                    Ok((r.get(1)?, r.get(2)?))
                })
                .unwrap()
        };
        store
            .conn
            .execute_batch(
                "CREATE TABLE filler(x); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 \
                 FROM n WHERE i < 2400) INSERT INTO filler SELECT randomblob(8000) FROM n;",
            )
            .unwrap();
        let (frames, done) = wal(&store);
        assert!(
            frames > 1000 && done < frames,
            "{frames} {done}: nothing was checkpointed"
        );
        // Another officer reading an older snapshot holds the checkpoint back...
        let reader = Connection::open(dir.path().join("r.db")).unwrap();
        reader.execute_batch("BEGIN").unwrap();
        let _: i64 = reader
            .query_row("SELECT COUNT(*) FROM cases", [], |r| r.get(0))
            .unwrap();
        store
            .conn
            .execute("INSERT INTO filler VALUES (1)", [])
            .unwrap();
        store.checkpoint_if_written().unwrap();
        let (frames, done) = wal(&store);
        assert!(done < frames, "{frames} {done}: the reader's frames stay");
        // ...and the next pause, once it has finished, completes it.
        reader.execute_batch("COMMIT").unwrap();
        store.checkpoint_if_written().unwrap();
        let (frames, done) = wal(&store);
        assert_eq!(done, frames, "the idle checkpoint copied every frame");
    }

    /// A new file gets 16 KiB pages; a file that already has pages keeps its own size.
    #[test]
    fn new_files_get_16_kib_pages_and_old_ones_keep_theirs() {
        let dir = tempfile::tempdir().unwrap();
        let page_size = |s: &SqliteStore| -> i64 {
            s.conn
                .pragma_query_value(None, "page_size", |r| r.get(0))
                .unwrap()
        };
        let new = SqliteStore::open(&dir.path().join("new.db")).unwrap();
        assert_eq!(page_size(&new), 16384);
        let old_path = dir.path().join("old.db");
        let old = Connection::open(&old_path).unwrap();
        old.execute_batch("PRAGMA page_size = 4096; CREATE TABLE t(x);")
            .unwrap();
        drop(old);
        let mut old = SqliteStore::open(&old_path).unwrap();
        assert_eq!(page_size(&old), 4096);
        old.upsert_case(
            &crate::domain::case::Case::new(
                "X100001".parse().unwrap(),
                "Ann",
                chrono::NaiveDate::from_ymd_opt(2027, 1, 4).unwrap(),
            ),
            "t",
            chrono::NaiveDate::from_ymd_opt(2027, 1, 4).unwrap(),
        )
        .unwrap();
        assert_eq!(page_size(&old), 4096);
        assert_eq!(old.case_count().unwrap(), 1);
    }

    #[test]
    fn file_store_uses_wal_and_foreign_keys() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("r.db")).unwrap();
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
        let e = SqliteStore::open(&path).unwrap_err();
        assert!(matches!(e, StoreError::NotADatabase(_)), "{e:?}");
        assert!(e.to_string().contains("not a releaseday database"), "{e}");
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        drop(SqliteStore::open(&path).unwrap());
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        drop(conn);
        let e = SqliteStore::open(&path).unwrap_err();
        assert!(matches!(e, StoreError::TooNew { found: 99, .. }), "{e:?}");
    }

    #[test]
    fn a_locked_database_reports_busy() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        let mut a = SqliteStore::open(&path).unwrap();
        let mut b = SqliteStore::open(&path).unwrap();
        b.conn.busy_timeout(Duration::from_millis(10)).unwrap();
        b.patience = Duration::from_millis(300);
        let tx = a.write_tx().unwrap();
        let e = b.meta_set("k", "v").unwrap_err();
        assert!(matches!(e, StoreError::Busy(_)), "{e:?}");
        let started = Instant::now();
        let e = b.write_tx().map(drop).unwrap_err();
        assert!(matches!(e, StoreError::Busy(_)), "{e:?}");
        assert!(e.to_string().contains("try again in a moment"), "{e}");
        assert!(
            started.elapsed() >= Duration::from_millis(300),
            "it kept trying for its patience: {:?}",
            started.elapsed()
        );
        drop(tx);
        b.meta_set("k", "v").unwrap();
    }

    #[test]
    fn a_writer_retries_past_the_busy_timeout_until_the_lock_is_free() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        let mut a = SqliteStore::open(&path).unwrap();
        let b = SqliteStore::open(&path).unwrap();
        // SQLite alone would give up after 20 ms; the lock is held for 400 ms.
        b.conn.busy_timeout(Duration::from_millis(20)).unwrap();
        let holder = std::thread::spawn(move || {
            let tx = a.write_tx().unwrap();
            tx.execute("INSERT INTO meta (key, value) VALUES ('held', '1')", [])
                .unwrap();
            std::thread::sleep(Duration::from_millis(400));
            tx.commit().unwrap();
        });
        std::thread::sleep(Duration::from_millis(100));
        let tx = b.write_tx_shared().unwrap();
        tx.execute("INSERT INTO meta (key, value) VALUES ('k', 'v')", [])
            .unwrap();
        tx.commit().unwrap();
        holder.join().unwrap();
        assert_eq!(b.meta_get("held").unwrap().as_deref(), Some("1"));
        assert_eq!(b.meta_get("k").unwrap().as_deref(), Some("v"));
    }

    #[test]
    fn a_network_share_uses_the_rollback_journal_and_says_so_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        let net = OpenOptions {
            network: Some(true),
        };
        let mut store = SqliteStore::open_with(&path, net).unwrap();
        assert_eq!(store.journal_mode().unwrap(), "delete");
        let sync: i64 = store
            .conn
            .pragma_query_value(None, "synchronous", |r| r.get(0))
            .unwrap();
        assert_eq!(sync, 2, "FULL");
        assert_eq!(
            store.warnings(),
            [
                "the database is on a network share; using the rollback journal instead of WAL, \
              which is unsafe there"
                    .to_string()
            ]
        );
        store.meta_set("k", "v").unwrap();
        let _ = &mut store;
        drop(store);
        assert!(!dir.path().join("r.db-wal").exists());
        assert!(!dir.path().join("r.db-shm").exists());

        // A file that was in WAL mode (say, copied onto the share) is switched over.
        let wal_path = dir.path().join("w.db");
        let local = SqliteStore::open_with(
            &wal_path,
            OpenOptions {
                network: Some(false),
            },
        )
        .unwrap();
        assert_eq!(local.journal_mode().unwrap(), "wal");
        assert!(local.warnings().is_empty());
        local.meta_set("k", "v").unwrap();
        drop(local);
        let shared = SqliteStore::open_with(&wal_path, net).unwrap();
        assert_eq!(shared.journal_mode().unwrap(), "delete");
        assert_eq!(shared.meta_get("k").unwrap().as_deref(), Some("v"));
        drop(shared);
        // And back to WAL when it is local again.
        let back = SqliteStore::open(&wal_path).unwrap();
        assert_eq!(back.journal_mode().unwrap(), "wal");
    }

    #[cfg(unix)]
    #[test]
    fn the_wal_and_shm_sqlite_creates_are_private_whatever_the_umask() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        let store = SqliteStore::open(&path).unwrap();
        store.meta_set("k", "v").unwrap();
        for suffix in ["", "-wal", "-shm"] {
            let p = dir.path().join(format!("r.db{suffix}"));
            let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", p.display());
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_database_others_could_read_is_tightened_with_one_warning() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        drop(SqliteStore::open(&path).unwrap());
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(
            store.warnings(),
            [format!(
                "other users could open {}; it is now private to you (mode 0600)",
                path.display()
            )]
        );
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        drop(store);
        assert!(SqliteStore::open(&path).unwrap().warnings().is_empty());
    }
}

/// Cases the engine's own tests write.
#[cfg(test)]
pub(super) mod test_cases {
    use super::columns::{read_case, select_case, ORDER};
    use super::{Result, SqliteStore};
    use crate::domain::case::{Case, Crn};
    use crate::domain::fields::Field;
    use crate::store::StoredCase;
    use chrono::NaiveDate;

    pub(crate) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    pub(crate) fn crn(s: &str) -> Crn {
        s.parse().unwrap()
    }

    /// Every field filled: each with its example value, a few with values of their own.
    pub(crate) fn full_case() -> Case {
        let mut c = Case::new(crn("X100001"), "Zoë Example-Smith", d(2026, 12, 26));
        for f in Field::ALL {
            f.set(&mut c, f.example()).unwrap();
        }
        c.name = "Zoë Example-Smith".into();
        c.release_date = d(2026, 12, 26);
        c.ap_required = Some(false);
        c.confirmed_day = Some(d(2026, 12, 23));
        c.notes = Some("line one, \"quoted\"; ünïcode".into());
        c
    }

    impl SqliteStore {
        /// Every case, in list order.
        pub(crate) fn all_cases(&self) -> Result<Vec<StoredCase>> {
            let mut st = self.conn.prepare(&format!("{} {ORDER}", select_case()))?;
            let rows = st.query_and_then([], read_case)?;
            rows.collect()
        }
    }
}
