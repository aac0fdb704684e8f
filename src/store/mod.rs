//! The store: where the caseload, its audit log and settings are kept, behind one interface
//! (`CaseStore`, in `interface.rs`, whose head says what every engine promises) with an engine
//! per database.
//!
//! - `interface.rs`: the trait the query layer holds (`Box<dyn CaseStore>`).
//! - `records.rs`, `plan.rs`, `error.rs`: what the store hands back, an import planned against
//!   the cases held (the same for every engine), and what goes wrong.
//! - `marks.rs`: how a case's import and planner marks are kept as plain values.
//! - `sqlite/`: the SQLite file, the default and the demo's engine.
//! - `postgres/`: the team database: its connection, schema and administration, and its engine
//!   (`postgres/engine/`, `PgStore`).
//! - `whole.rs`: a whole database in memory, as one engine hands it to another (backup, copy).
//!
//! Every SQL statement of the program lives under this module; nothing else knows SQL or names
//! a database's client library (DESIGN.md).

mod error;
mod interface;
pub(crate) mod marks;
pub mod plan;
#[cfg(feature = "postgres")]
pub mod postgres;
mod records;
pub mod sqlite;
pub mod whole;

use std::path::Path;

pub use error::{EngineError, MaintenanceError, Result, StoreError};
pub use interface::{CaseStore, Cases, ChangeLog, ChangeToken, EachCase, RowToPlan, DEMO_MARKER};
pub use plan::{ImportPlan, ImportSummary, MarksChange, PlannedConflict, PlannedRow, Unheld};
pub use records::{AuditEntry, CaseKey, Purged, Restored, StoredCase};
pub use sqlite::SqliteStore;

/// Opens (creating if need be) the database file at `path`: the SQLite engine.
pub fn open(path: &Path) -> Result<Box<dyn CaseStore>> {
    Ok(Box::new(SqliteStore::open(path)?))
}

/// A private database in memory (the SQLite engine's).
pub fn open_in_memory() -> Result<Box<dyn CaseStore>> {
    Ok(Box::new(SqliteStore::open_in_memory()?))
}

/// What tests need of a SQLite file that the program never does.
#[cfg(any(test, feature = "test-support"))]
pub mod testing {
    use std::path::Path;

    /// Makes every read of cases from the file at `path` fail, as a damaged database would
    /// (another connection on it sees the cases table gone).
    pub fn break_case_reads(path: &Path) {
        rusqlite::Connection::open(path)
            .and_then(|c| c.execute_batch("ALTER TABLE cases RENAME TO gone"))
            .expect("the test database is writable");
    }
}

/// The current time as RFC 3339 UTC to the second, for audit rows and `created_at`/`updated_at`.
/// (Timestamps record when a write happened; they never feed the release-day rules.)
pub(crate) fn now_utc() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
