//! Writing cases outside an import: an officer's edit (versioned, marked as the planner's), a
//! release-morning check-in, whole cases as given (the demo caseload, tests), the caseload
//! cleared, and the expected days worked out again.

use super::audit::{insert_audit, CREATED};
use super::columns::{
    bind_case, corrupt, insert_case, select_case, select_marked_by_crn, time_text, update_case,
    DayText,
};
use super::reads::{exists, find_marked, get_case, query_cases};
use super::{now_utc, Result, SqliteStore, StoreError};
use crate::domain::case::{Case, Crn, FieldChange};
use crate::domain::fields::Field;
use crate::domain::marks::FieldMarks;
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{params, Connection};

/// Audit field for a case replaced wholesale by `insert_many`.
const REPLACED: &str = "replaced";
/// Audit field for a release-morning check-in.
const REPORTED: &str = "reported";

impl SqliteStore {
    /// Inserts or replaces one case, in its own transaction, auditing "created" for a new case or
    /// one row per changed field for a replaced one. Unlike an import, blank fields of `case`
    /// clear the stored values. Every field counts as imported, none as the planner's.
    pub fn upsert_case(&mut self, case: &Case, who: &str, expected_day: NaiveDate) -> Result<()> {
        let now = now_utc();
        let tx = self.write_tx()?;
        let marks = FieldMarks::all_imported();
        match get_case(&tx, &case.crn)? {
            None => {
                write_case(&tx, insert_case(), case, expected_day, &now, &marks)?;
                insert_audit(&tx, &now, who, Some(&case.crn), CREATED, None, None)?;
            }
            Some(stored) => {
                let changes = stored.case.diff(case);
                if !changes.is_empty() || stored.expected_day != expected_day {
                    write_case(&tx, update_case(), case, expected_day, &now, &marks)?;
                }
                for c in &changes {
                    let (old, new) = (c.old.as_deref(), c.new.as_deref());
                    insert_audit(&tx, &now, who, Some(&case.crn), c.field, old, new)?;
                }
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Inserts or replaces many cases in one transaction, each statement prepared once (the demo
    /// loader). Audits "created" for each new case and "replaced" for each existing one. Every
    /// field of each counts as imported, none as the planner's. Returns the number written.
    pub fn insert_many(
        &mut self,
        cases: &[Case],
        who: &str,
        expected_day: &dyn Fn(&Case) -> NaiveDate,
    ) -> Result<usize> {
        let now = now_utc();
        let tx = self.write_tx()?;
        {
            let mut insert = tx.prepare_cached(insert_case())?;
            let mut update = tx.prepare_cached(update_case())?;
            let marks = FieldMarks::all_imported();
            for case in cases {
                let day = expected_day(case);
                let field = if exists(&tx, &case.crn)? {
                    bind_case(&mut update, case, day, &now, &marks)?;
                    REPLACED
                } else {
                    bind_case(&mut insert, case, day, &now, &marks)?;
                    CREATED
                };
                insert_audit(&tx, &now, who, Some(&case.crn), field, None, None)?;
            }
        }
        tx.commit()?;
        Ok(cases.len())
    }

    /// Saves an officer's edit of one case: refused with `StaleEdit` unless the stored case is
    /// still at `expected_version`; otherwise one transaction writes the case (version + 1) and
    /// one audit row per changed field, and marks each changed field as the planner's (DOMAIN.md
    /// §5). Returns the new version and what changed.
    pub fn save_edit(
        &mut self,
        case: &Case,
        expected_version: i64,
        who: &str,
        expected_day: NaiveDate,
    ) -> Result<(i64, Vec<FieldChange>)> {
        self.save_edit_with(case, expected_version, who, expected_day, false)
    }

    /// `save_edit`, where `restoring` is undo or redo putting back values held before: a field
    /// it returns to the value it had before the planner changed it is no longer marked as
    /// the planner's (`FieldMarks::planner_changed`).
    pub fn save_edit_with(
        &mut self,
        case: &Case,
        expected_version: i64,
        who: &str,
        expected_day: NaiveDate,
        restoring: bool,
    ) -> Result<(i64, Vec<FieldChange>)> {
        let now = now_utc();
        let tx = self.write_tx()?;
        let mut lookup = tx.prepare_cached(select_marked_by_crn())?;
        let (stored, mut marks) =
            find_marked(&mut lookup, &case.crn)?.ok_or(StoreError::NotFound)?;
        drop(lookup);
        if stored.version != expected_version {
            return Err(StoreError::StaleEdit);
        }
        let changes = stored.case.diff(case);
        if changes.is_empty() {
            return Ok((stored.version, changes));
        }
        for c in &changes {
            let i = Field::from_column(c.field)
                .ok_or(corrupt("planner_mask"))?
                .index();
            marks.planner_changed(i, c.old.as_deref(), c.new.as_deref(), restoring);
        }
        write_case(&tx, update_case(), case, expected_day, &now, &marks)?;
        for c in &changes {
            let (old, new) = (c.old.as_deref(), c.new.as_deref());
            insert_audit(&tx, &now, who, Some(&case.crn), c.field, old, new)?;
        }
        tx.commit()?;
        Ok((stored.version + 1, changes))
    }

    /// Deletes every case with its history (the demo loader, before reseeding), auditing one
    /// "cleared" row: a new caseload that reuses a CRN never shows an old one's changes.
    /// History left behind by earlier versions, of cases no longer stored, goes too.
    /// Returns how many cases were deleted.
    pub fn remove_all_cases(&mut self, who: &str) -> Result<usize> {
        let now = now_utc();
        let tx = self.write_tx()?;
        // An import's one "created" row for its cases goes with them.
        tx.execute(
            "DELETE FROM audit WHERE crn IS NOT NULL \
             OR id IN (SELECT created_by FROM cases WHERE created_by IS NOT NULL)",
            [],
        )?;
        let n = tx.execute("DELETE FROM cases", [])?;
        let count = n.to_string();
        insert_audit(&tx, &now, who, None, "cleared", None, Some(&count))?;
        tx.commit()?;
        Ok(n)
    }

    /// Rewrites the stored expected day of every case whose day differs from `expected_day`
    /// (after a calendar or policy change), in one transaction. Returns how many changed.
    pub fn recompute_expected(
        &mut self,
        expected_day: &dyn Fn(&Case) -> NaiveDate,
    ) -> Result<usize> {
        let tx = self.write_tx()?;
        let stored = query_cases(&tx, select_case(), [])?;
        let mut changed = 0;
        {
            let mut update =
                tx.prepare_cached("UPDATE cases SET expected_day = ?2 WHERE crn = ?1")?;
            for s in &stored {
                let day = expected_day(&s.case);
                if day != s.expected_day {
                    update.execute(params![s.case.crn.as_str(), DayText::new(day)])?;
                    changed += 1;
                }
            }
        }
        tx.commit()?;
        Ok(changed)
    }

    /// Records (or, with `None`, clears) a release-morning check-in, audited as "reported".
    /// With `expected_version`, refused with `StaleEdit` unless the stored case is still at that
    /// version: a check-in made against a sheet that changed meanwhile (another duty officer
    /// marked the person already) never replaces what is there. Setting the value it already
    /// has writes nothing. Returns the case's version after the call.
    pub fn set_reported(
        &mut self,
        crn: &Crn,
        at: Option<NaiveDateTime>,
        who: &str,
        expected_version: Option<i64>,
    ) -> Result<i64> {
        let now = now_utc();
        let tx = self.write_tx()?;
        let stored = get_case(&tx, crn)?.ok_or(StoreError::NotFound)?;
        if expected_version.is_some_and(|v| v != stored.version) {
            return Err(StoreError::StaleEdit);
        }
        if stored.reported_at == at {
            return Ok(stored.version);
        }
        let (old, new) = (stored.reported_at.map(time_text), at.map(time_text));
        tx.execute(
            "UPDATE cases SET reported_at = ?2, version = version + 1, updated_at = ?3 \
             WHERE crn = ?1",
            params![crn.as_str(), new, now],
        )?;
        insert_audit(
            &tx,
            &now,
            who,
            Some(crn),
            REPORTED,
            old.as_deref(),
            new.as_deref(),
        )?;
        tx.commit()?;
        Ok(stored.version + 1)
    }
}

/// Runs `insert_case` or `update_case` for one case.
fn write_case(
    conn: &Connection,
    sql: &str,
    case: &Case,
    day: NaiveDate,
    now: &str,
    marks: &FieldMarks,
) -> Result<()> {
    let mut st = conn.prepare_cached(sql)?;
    bind_case(&mut st, case, day, now, marks)
}
