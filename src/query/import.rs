//! Bringing a file's rows into the caseload: checked against the cases held first (DOMAIN.md
//! §5: the three-way merge with the planner's work), then written in one transaction.

use super::{Planner, QueryError, Result};
use crate::domain::calendar::ExpectedDays;
use crate::domain::case::Case;
use crate::io::import::{ImportRow, RowError};

/// What an import would do and did, row by row.
pub use crate::store::{ImportPlan, ImportSummary, PlannedConflict, PlannedRow, Unheld};

impl Planner {
    /// What importing a parsed file's rows would change (new, updated, unchanged, and
    /// conflicts with the planner's work: DOMAIN.md §5), without writing. `prefer_file` takes
    /// the file's value wherever it differs. A row for a CRN not held that lacks a name or a
    /// release date is refused (`QueryError::Unheld`), each such row listed.
    /// Refuses a database holding the demo caseload (`QueryError::DemoDatabase`): asked before
    /// a file is read, so a large one is not checked for nothing, and again by `plan_import`.
    pub fn importable(&self) -> Result<()> {
        if self.demo_note()?.is_some() && self.case_count()? > 0 {
            return Err(QueryError::DemoDatabase);
        }
        Ok(())
    }

    /// Takes the rows, so each is held once: as parsed, then as planned.
    pub fn plan_import(&self, rows: Vec<ImportRow>, prefer_file: bool) -> Result<ImportPlan> {
        self.importable()?;
        // In place: a row to plan is no larger than a parsed row.
        let rows = rows.into_iter().map(|r| (r.line, r.crn, r.patch)).collect();
        let plan = self.store.plan_import(rows, prefer_file)?;
        if plan.unheld.is_empty() {
            return Ok(plan);
        }
        Err(QueryError::Unheld(plan.unheld))
    }

    /// Writes a planned import in one transaction, its audit rows naming `source` (e.g.
    /// "import of weekly.csv").
    pub fn apply_import(&mut self, plan: &ImportPlan, source: &str) -> Result<ImportSummary> {
        // The expected days of an import's cases, remembered: a file's cases share few days.
        let days = ExpectedDays::new(&self.cal);
        Ok(self
            .store
            .apply_import(plan, &self.settings.who, Some(source), &|c: &Case| {
                days.of(c)
            })?)
    }
}

/// One problem per row for CRNs an import cannot add, worded for the file: where the file has
/// a column for what is missing, the row's cell is named (the column given is the first such
/// field); where it has none, the row says the file can only update cases already held.
/// `has_column` says whether the file has a column for a field (`name`, `release_date`).
pub fn unheld_errors(unheld: &[Unheld], has_column: impl Fn(&str) -> bool) -> Vec<RowError> {
    unheld
        .iter()
        .map(|u| {
            let what = |f: &&str| {
                if *f == "name" {
                    "a name"
                } else {
                    "a release date"
                }
            };
            let needed: Vec<&str> = u.missing.iter().map(what).collect();
            let verb = if needed.len() == 1 { "is" } else { "are" };
            let needed = needed.join(" and ");
            match u.missing.iter().find(|f| has_column(f)) {
                Some(field) => RowError::new(
                    u.line,
                    Some(field),
                    format!(
                        "{} is not held yet, so {needed} {verb} needed to add it",
                        u.crn
                    ),
                ),
                None => RowError::new(
                    u.line,
                    None,
                    format!(
                        "{} is not held, and this file has no column giving {needed} to add \
                         it: a file without them only updates cases already held",
                        u.crn
                    ),
                ),
            }
        })
        .collect()
}
