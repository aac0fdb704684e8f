//! An import planned against the SQLite file (in one snapshot) and written in one transaction:
//! new cases all at once (`new_cases`), changed ones field by field (`updates`), marks, audit.

use super::audit::AuditWriter;
use super::columns::select_marked_by_crn;
use super::new_cases::{self, NewCase};
use super::reads::find_marked;
use super::updates::Updates;
use super::{now_utc, Result, SqliteStore, StoreError};
use crate::domain::case::{Case, CasePatch, Crn};
use crate::domain::fields::Field;
use crate::store::marks::base_text;
use crate::store::plan::{self, ImportPlan, ImportSummary, PlannedRow};
use crate::store::{RowToPlan, DEMO_MARKER};
use chrono::NaiveDate;
use rusqlite::{params, Transaction, TransactionBehavior};

/// The marks alone: an import that changed no value but what counts as imported (a field the
/// file brought for the first time, or one the file has caught up on). Not an edit of the
/// case, so its version stays.
const UPDATE_MARKS: &str = "UPDATE cases SET imported_mask = ?2, planner_mask = ?3, \
     planner_base = ?4 WHERE crn = ?1";

impl SqliteStore {
    /// Checks import rows against the store without writing, each row's line counted as in a
    /// CSV file with its header on line 1. See `plan_import_owned`.
    pub fn plan_import(&self, rows: &[(Crn, CasePatch)]) -> Result<ImportPlan> {
        let lines = rows
            .iter()
            .enumerate()
            .map(|(i, (crn, patch))| (i + 2, crn.clone(), patch.clone()))
            .collect();
        self.plan_import_owned(lines, false)
    }

    /// Checks import rows (line, CRN, fields) against the store without writing: `plan::plan`
    /// over this file's cases, in one read transaction. Takes the rows: a new case takes its
    /// patch's text instead of a copy (an import of 100,000 new rows would otherwise hold every
    /// name and note twice), and the plan is written into the rows' own memory.
    pub fn plan_import_owned(&self, rows: Vec<RowToPlan>, prefer_file: bool) -> Result<ImportPlan> {
        // One read transaction for every lookup: one snapshot, and one lock taken instead of two
        // system calls per row (outside a transaction each SELECT locks and unlocks the file).
        // Dropped at the end, which ends it: nothing was written. Under WAL readers block no
        // one; on a network share (rollback journal) the shared lock lasts the whole plan, so
        // another officer's save waits (within its busy timeout) for as long as the plan takes.
        let read = Transaction::new_unchecked(&self.conn, TransactionBehavior::Deferred)?;
        // A first import, into no cases, has nothing to look up.
        let any_stored: bool =
            read.query_row("SELECT EXISTS (SELECT 1 FROM cases)", [], |r| r.get(0))?;
        let mut lookup = read.prepare_cached(select_marked_by_crn())?;
        plan::plan(rows, prefer_file, |crn| {
            if any_stored {
                find_marked(&mut lookup, crn)
            } else {
                Ok(None)
            }
        })
    }

    /// Writes a plan in one transaction: inserts new cases (`new_cases`), updates changed ones
    /// (version + 1, only the fields that changed: `updates`) and the marks of cases whose values
    /// the file left, and audits one "created" row for the new cases (each case names it, and
    /// its history shows it) and one row per changed field. If anything fails, or a case changed since the plan
    /// was made, nothing is written. A plan with rows that cannot add their case (`unheld`) is
    /// refused.
    pub fn apply_import(
        &mut self,
        plan: &ImportPlan,
        who: &str,
        expected_day: &dyn Fn(&Case) -> NaiveDate,
    ) -> Result<ImportSummary> {
        self.apply_import_from(plan, who, None, expected_day)
    }

    /// `apply_import` with each audit row naming `source`, what wrote it (e.g. "import of
    /// weekly.csv").
    pub fn apply_import_from(
        &mut self,
        plan: &ImportPlan,
        who: &str,
        source: Option<&str>,
        expected_day: &dyn Fn(&Case) -> NaiveDate,
    ) -> Result<ImportSummary> {
        if let Some(unheld) = plan.unheld.first() {
            return Err(StoreError::MissingField {
                field: unheld.missing[0],
            });
        }
        let now = now_utc();
        let tx = self.write_tx()?;
        let mut summary = ImportSummary::default();
        // New cases first, all at once and in list order (see `new_cases`); then the held
        // cases, in file order.
        let news: Vec<NewCase<'_>> = plan
            .rows
            .iter()
            .filter_map(|row| match row {
                PlannedRow::New { case, imported } => Some(NewCase {
                    case,
                    day: expected_day(case),
                    imported: *imported,
                    head: 0,
                }),
                _ => None,
            })
            .collect();
        summary.new = news.len();
        new_cases::insert(&tx, news, &now, who, source)?;
        {
            // Each statement prepared once for the whole plan.
            let mut updates = Updates::new(&tx, &now);
            let mut update_marks = tx.prepare_cached(UPDATE_MARKS)?;
            let mut lookup = tx.prepare_cached(select_marked_by_crn())?;
            let mut audit = AuditWriter::new(&tx, &now, who, source)?;
            for row in &plan.rows {
                match row {
                    PlannedRow::New { .. } => {}
                    PlannedRow::Updated {
                        crn,
                        changes,
                        marks,
                    } => {
                        let stored = match find_marked(&mut lookup, crn)? {
                            Some((stored, held))
                                if stored.version == marks.version && held == marks.before =>
                            {
                                stored
                            }
                            _ => return Err(StoreError::Conflict),
                        };
                        // The fields that changed, and the expected day when it moved.
                        let changed = changes
                            .iter()
                            .filter_map(|c| Field::from_column(c.field))
                            .fold(0u64, |m, f| m | f.bit());
                        let after = plan::updated_case(stored.case, changes)?;
                        let day = expected_day(&after);
                        let moved = (day != stored.expected_day).then_some(day);
                        updates.write(&after, changed, moved, &marks.after)?;
                        for c in changes {
                            let (old, new) = (c.old.as_deref(), c.new.as_deref());
                            audit.add(Some(crn), c.field, old, new)?;
                        }
                        summary.updated += 1;
                    }
                    PlannedRow::Unchanged { crn, marks } => {
                        if let Some(marks) = marks {
                            match find_marked(&mut lookup, crn)? {
                                Some((stored, held))
                                    if stored.version == marks.version && held == marks.before => {}
                                _ => return Err(StoreError::Conflict),
                            }
                            let m = &marks.after;
                            update_marks.execute(params![
                                crn.as_str(),
                                m.imported as i64,
                                m.planner as i64,
                                base_text(m)
                            ])?;
                        }
                        summary.unchanged += 1;
                    }
                }
            }
        }
        if summary.new + summary.updated > 0 {
            tx.execute("DELETE FROM meta WHERE key = ?1", [DEMO_MARKER])?;
        }
        tx.commit()?;
        Ok(summary)
    }
}
