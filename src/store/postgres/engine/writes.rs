//! Writing cases outside an import: an officer's edit (versioned, marked as the planner's), a
//! release-morning check-in, whole cases as given, and the expected days worked out again. The
//! triggers audit each write under the signed-in role and bump the version.

use super::columns::{insert_rows, update_case, written_values, PgCell, WRITTEN};
use super::failure::corrupt;
use super::reads::{find, find_marked};
use super::PgStore;
use crate::domain::case::{Case, Crn, FieldChange};
use crate::domain::fields::Field;
use crate::domain::marks::FieldMarks;
use crate::store::marks::base_text;
use crate::store::{Result, StoreError};
use ::postgres::types::ToSql;
use ::postgres::{GenericClient, Transaction};
use chrono::{NaiveDate, NaiveDateTime, Timelike};

/// Cases per `INSERT` of `insert_many`: well under the protocol's 65,535 parameters.
const ROWS_PER_INSERT: usize = 200;

/// Inserts `cases` with their expected days and marks, `ROWS_PER_INSERT` at a time.
pub(super) fn insert_cases(
    tx: &mut Transaction<'_>,
    cases: &[(&Case, NaiveDate)],
    marks: &FieldMarks,
) -> Result<()> {
    let base = base_text(marks);
    for chunk in cases.chunks(ROWS_PER_INSERT) {
        let values: Vec<PgCell<'_>> = chunk
            .iter()
            .flat_map(|(c, day)| written_values(c, *day, marks, &base))
            .collect();
        let params: Vec<&(dyn ToSql + Sync)> =
            values.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
        tx.execute(&insert_rows(chunk.len()), &params)?;
    }
    Ok(())
}

/// Rewrites one held case whole (its version checked when `version` is given); the version
/// after, or `None` when the case is not at that version (or not visible).
fn rewrite(
    tx: &mut impl GenericClient,
    case: &Case,
    day: NaiveDate,
    marks: &FieldMarks,
    version: Option<i64>,
) -> Result<Option<i64>> {
    let base = base_text(marks);
    let mut values: Vec<PgCell<'_>> = written_values(case, day, marks, &base).collect();
    if let Some(v) = version {
        values.push(PgCell::Int(v));
    }
    debug_assert_eq!(values.len(), WRITTEN + usize::from(version.is_some()));
    let params: Vec<&(dyn ToSql + Sync)> =
        values.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
    Ok(tx
        .query_opt(update_case(version.is_some()), &params)?
        .map(|r| r.get(0)))
}

/// A check-in time as the database keeps it: to the microsecond (what is stored and what the
/// audit trigger writes then agree).
fn to_micros(t: NaiveDateTime) -> NaiveDateTime {
    let micros = t.nanosecond() / 1000 * 1000;
    t.with_nanosecond(micros).unwrap_or(t)
}

impl PgStore {
    pub(super) fn upsert_case(&self, case: &Case, day: NaiveDate) -> Result<()> {
        let marks = FieldMarks::all_imported();
        self.write(None, |tx| {
            match find(tx, &case.crn)? {
                None => insert_cases(tx, &[(case, day)], &marks)?,
                Some(stored) => {
                    if stored.case != *case || stored.expected_day != day {
                        rewrite(tx, case, day, &marks, None)?;
                    }
                }
            }
            Ok(())
        })
    }

    /// Inserts or replaces many cases in one transaction. The triggers audit "created" for a
    /// new case and each changed field of a replaced one.
    pub(super) fn insert_many(
        &self,
        cases: &[Case],
        expected_day: &dyn Fn(&Case) -> NaiveDate,
    ) -> Result<usize> {
        let marks = FieldMarks::all_imported();
        self.write(None, |tx| {
            let crns: Vec<&str> = cases.iter().map(|c| c.crn.as_str()).collect();
            let held: std::collections::HashSet<String> = tx
                .query("SELECT crn FROM cases WHERE crn = ANY($1)", &[&crns])?
                .iter()
                .map(|r| r.get(0))
                .collect();
            let mut new = Vec::new();
            for case in cases {
                let day = expected_day(case);
                if held.contains(case.crn.as_str()) {
                    rewrite(tx, case, day, &marks, None)?;
                } else {
                    new.push((case, day));
                }
            }
            insert_cases(tx, &new, &marks)?;
            Ok(cases.len())
        })
    }

    pub(super) fn save_edit(
        &self,
        case: &Case,
        expected_version: i64,
        expected_day: NaiveDate,
        restoring: bool,
    ) -> Result<(i64, Vec<FieldChange>)> {
        self.write(None, |tx| {
            let (stored, mut marks) =
                find_marked(tx, &case.crn, true)?.ok_or(StoreError::NotFound)?;
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
            let version = rewrite(tx, case, expected_day, &marks, Some(expected_version))?
                .ok_or(StoreError::StaleEdit)?;
            Ok((version, changes))
        })
    }

    pub(super) fn set_reported(
        &self,
        crn: &Crn,
        at: Option<NaiveDateTime>,
        expected_version: Option<i64>,
    ) -> Result<i64> {
        let at = at.map(to_micros);
        self.write(None, |tx| {
            let row = tx
                .query_opt(
                    "SELECT version, reported_at FROM cases WHERE crn = $1 FOR UPDATE",
                    &[&crn.as_str()],
                )?
                .ok_or(StoreError::NotFound)?;
            let (version, held): (i64, Option<NaiveDateTime>) = (row.get(0), row.get(1));
            if expected_version.is_some_and(|v| v != version) {
                return Err(StoreError::StaleEdit);
            }
            if held == at {
                return Ok(version);
            }
            let row = tx
                .query_opt(
                    "UPDATE cases SET reported_at = $2 WHERE crn = $1 AND version = $3 \
                     RETURNING version",
                    &[&crn.as_str(), &at, &version],
                )?
                .ok_or(StoreError::StaleEdit)?;
            Ok(row.get(0))
        })
    }

    /// Rewrites the stored expected day of every case the role sees whose day differs, in one
    /// transaction; not an edit (no version, no audit). Returns how many changed.
    pub(super) fn recompute_expected(
        &self,
        expected_day: &dyn Fn(&Case) -> NaiveDate,
    ) -> Result<usize> {
        let mut crns: Vec<String> = Vec::new();
        let mut days: Vec<NaiveDate> = Vec::new();
        self.each_case(crate::store::Cases::All, &mut |s| {
            let day = expected_day(&s.case);
            if day != s.expected_day {
                crns.push(s.case.crn.to_string());
                days.push(day);
            }
            std::ops::ControlFlow::Continue(())
        })?;
        if crns.is_empty() {
            return Ok(0);
        }
        self.write(Some("expected days redone"), |tx| {
            Ok(tx.execute(
                "UPDATE cases c SET expected_day = u.day \
                 FROM unnest($1::text[], $2::date[]) AS u (crn, day) \
                 WHERE c.crn = u.crn AND c.expected_day IS DISTINCT FROM u.day",
                &[&crns, &days],
            )? as usize)
        })
    }
}
