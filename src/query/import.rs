//! Bringing a file's rows into the caseload: checked against the cases held first (DOMAIN.md
//! §5: the three-way merge with the planner's work), then written in one transaction.

use super::{Planner, QueryError, Result};
use crate::domain::case::Case;
use crate::domain::fields::Field;
use crate::io::import::{ImportError, ImportRow, RowError};

/// What an import would do and did, row by row.
pub use crate::store::{ImportPlan, ImportSummary, PlannedConflict, PlannedRow, Unheld};

impl Planner {
    /// What importing a parsed file's rows would change (new, updated, unchanged, and
    /// conflicts with the planner's work: DOMAIN.md §5), without writing. `prefer_file` takes
    /// the file's value wherever it differs. A row for a CRN not held that lacks a name or a
    /// release date is an error at its line (`QueryError::Import`), each such row reported.
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
        let plan = self.store.plan_import(
            &mut rows.into_iter().map(|r| (r.line, r.crn, r.patch)),
            prefer_file,
        )?;
        if plan.unheld.is_empty() {
            return Ok(plan);
        }
        let errors = plan
            .unheld
            .iter()
            .flat_map(|u| {
                u.missing.iter().map(|field| {
                    RowError::new(
                        u.line,
                        Some(field),
                        format!(
                            "{} is not held yet, so a {} is needed to add it",
                            u.crn,
                            Field::from_column(field)
                                .map_or(*field, Field::label)
                                .to_lowercase()
                        ),
                    )
                })
            })
            .collect::<Vec<_>>();
        Err(QueryError::Import(ImportError::Invalid(errors.into())))
    }

    /// Writes a planned import in one transaction, its audit rows naming `source` (e.g.
    /// "import of weekly.csv").
    pub fn apply_import(&mut self, plan: &ImportPlan, source: &str) -> Result<ImportSummary> {
        let cal = &self.cal;
        Ok(self
            .store
            .apply_import(plan, &self.settings.who, Some(source), &|c: &Case| {
                cal.expected_day(c)
            })?)
    }
}
