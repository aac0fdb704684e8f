//! What the store hands back, whatever the engine: a case as stored, an audit row, a search
//! key, what a restore and a purge did.

use crate::domain::case::{Case, Crn};
use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use std::path::PathBuf;

/// A case as stored, with what the store keeps beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCase {
    pub case: Case,
    /// The expected release day computed when the case was last written or recomputed.
    pub expected_day: NaiveDate,
    /// When the person reported in on release morning, local time; `None` until then.
    pub reported_at: Option<NaiveDateTime>,
    /// Starts at 1; each write of the case adds one.
    pub version: i64,
    /// RFC 3339 UTC.
    pub updated_at: String,
}

/// One audit row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    /// RFC 3339 UTC, e.g. `2026-11-02T09:30:00Z`.
    pub at: String,
    pub who: String,
    /// `None` for changes not about one case (a holiday file).
    pub crn: Option<Crn>,
    /// A case column name, or `created`, `replaced`, `reported`, `holidays`, `cleared`.
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
    /// What wrote the row when it was not the planner, e.g. `import of weekly.csv`.
    pub source: Option<String>,
}

/// A case as the search list shows it, without the rest of its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseKey {
    pub crn: Crn,
    pub name: String,
    pub noms: Option<String>,
    pub expected_day: NaiveDate,
    pub reported_at: Option<NaiveDateTime>,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// Cases in the database now.
    pub cases: usize,
    /// Where the database as it was before is kept (`None` for an in-memory database).
    pub safety_copy: Option<PathBuf>,
}

/// What a purge did (or, for a dry run, would do).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    pub cases: usize,
    /// Audit rows about those cases.
    pub audit_rows: usize,
}
