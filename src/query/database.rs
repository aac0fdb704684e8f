//! The database as a whole, whichever engine holds it: opening one, noticing that someone
//! else wrote to it, keeping housekeeping out of an officer's way, and the maintenance
//! commands (backup, restore, purge).

use super::{Planner, QueryError, Result, Settings};
use crate::domain::case::{Case, Crn};
use crate::domain::marks::FieldMarks;
use crate::store::{self, ChangeToken, MaintenanceError, Purged, Restored, StoredCase};
use chrono::NaiveDate;
use std::path::Path;

impl Planner {
    /// Opens (creating if need be) the database file at `path` and builds the planner on it.
    pub fn open(path: &Path, settings: Settings) -> Result<Planner> {
        let store = store::open(path).map_err(|source| QueryError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        Planner::new(store, settings)
    }

    /// A planner on a private database in memory (tests, trying things out).
    pub fn in_memory(settings: Settings) -> Result<Planner> {
        Planner::new(store::open_in_memory()?, settings)
    }

    /// Changes whenever anything is written to the database, by this planner or another
    /// officer's: two equal tokens, nothing changed in between.
    pub fn change_token(&self) -> Result<ChangeToken> {
        Ok(self.store.change_token()?)
    }

    /// The screens are open: the many small saves they make keep the engine's housekeeping
    /// out of the way, until `idle`.
    pub fn serve_screens(&mut self) -> Result<()> {
        Ok(self.store.serve_screens()?)
    }

    /// The officer paused: the housekeeping `serve_screens` put off.
    pub fn idle(&mut self) -> Result<()> {
        Ok(self.store.idle()?)
    }

    /// Writes a copy of the whole database to `file`; returns how many cases it holds.
    pub fn backup(
        &self,
        file: &Path,
        overwrite: bool,
    ) -> std::result::Result<usize, MaintenanceError> {
        self.store.backup_to(file, overwrite)
    }

    /// Replaces the whole database with the backup in `file` (checked first; the database as
    /// it was is kept beside it).
    pub fn restore(&mut self, file: &Path) -> std::result::Result<Restored, MaintenanceError> {
        self.store.restore_from(file)
    }

    /// Deletes the cases released before `before` with their history (`dry_run`: counts
    /// them), audited as this planner's officer.
    pub fn purge(&mut self, before: NaiveDate, dry_run: bool) -> Result<Purged> {
        Ok(self
            .store
            .purge_before(before, &self.settings.who, dry_run)?)
    }

    /// Writes whole cases as given (a case held under the same CRN is replaced), each field
    /// counting as imported, their expected days by this planner's calendar: how the demo
    /// caseload, and the tests and benchmarks, lay down a caseload.
    pub fn put_cases(&mut self, cases: &[Case], who: &str) -> Result<usize> {
        let cal = &self.cal;
        Ok(self
            .store
            .insert_many(cases, who, &|c| cal.expected_day(c))?)
    }

    /// A case exactly as stored: its version, check-in and when it was last written.
    pub fn stored(&self, crn: &Crn) -> Result<Option<StoredCase>> {
        Ok(self.store.get(crn)?)
    }

    /// What imports set of a case and what the planner changed since (DOMAIN.md §5).
    pub fn marks(&self, crn: &Crn) -> Result<Option<FieldMarks>> {
        Ok(self.store.marks(crn)?)
    }
}

#[cfg(any(test, feature = "test-support"))]
impl Planner {
    /// The store itself, for tests that stand in for another officer or program writing to
    /// the database, or that look at what was written. Built only for tests and benchmarks
    /// (the `test-support` feature): the faces ask the query layer for everything.
    pub fn test_store(&self) -> &dyn crate::store::CaseStore {
        &*self.store
    }

    /// `test_store`, to write.
    pub fn test_store_mut(&mut self) -> &mut dyn crate::store::CaseStore {
        &mut *self.store
    }
}
