//! A whole database in memory, as one engine hands it to another: a backup of the team database
//! as a SQLite file, and `db copy` between a desk's file and the team database. Cases with
//! their version, marks and times, the whole audit history, the settings and the holiday file.

use super::{AuditEntry, StoredCase};
use crate::domain::marks::FieldMarks;

/// One case as copied: as stored, with its marks and when it was created (RFC 3339 UTC).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopiedCase {
    pub stored: StoredCase,
    pub marks: FieldMarks,
    pub created_at: String,
}

/// Everything a database holds, oldest audit row first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Whole {
    pub cases: Vec<CopiedCase>,
    pub audit: Vec<AuditEntry>,
    pub meta: Vec<(String, String)>,
    pub holiday_file: Option<String>,
}

impl Whole {
    /// Audit rows about cases (the rest are about the database: holiday files, purges).
    pub fn case_audit_rows(&self) -> usize {
        self.audit.iter().filter(|a| a.crn.is_some()).count()
    }
}
