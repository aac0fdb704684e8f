//! Case queries and writes: windowed lists, import planning and applying, upserts, the
//! expected-day cache and release-morning check-ins.
//!
//! `expected_day` is stored beside each case so lists by day are an index range scan; it is
//! computed by the caller's rules (domain) and rewritten by `recompute_expected` when the calendar
//! or policy changes. The store never decides a release day itself.

use super::audit::{insert_audit, AuditWriter, CREATED};
use super::marks::{base_text, read_marks};
use super::new_cases::{self, NewCase};
use super::updates::Updates;
use super::{now_utc, Result, Store, StoreError};
use crate::domain::case::{
    Accommodation, ApStatus, Cas2Status, Cas3Status, Case, CasePatch, Crn, CrsStatus, DtrStatus,
    FieldChange, FridayRelease, Housing, Noms, ReleaseType, Rosh,
};
use crate::domain::marks::{self, Conflict, FieldMarks};
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::types::{ToSqlOutput, Value, ValueRef};
use rusqlite::{
    params, Connection, OptionalExtension, Row, Statement, ToSql, Transaction, TransactionBehavior,
};
use std::str::FromStr;

/// The columns holding `Case` fields, in `Case` field order. Index `i` here is column `i` of
/// `SELECT_CASE` and parameter `?{i+1}` of the insert and update statements.
const FIELDS: [&str; 25] = crate::domain::case::COLUMNS;

macro_rules! case_columns {
    () => {
        "crn, name, noms, prison, officer, team, rosh, mappa, \
         release_date, release_type, accommodation, dtr, dtr_date, crs, cas3, ap, ap_required, \
         cas2, friday_release, confirmed_day, notes, crs_date, cas3_date, ap_date, cas2_date, \
         expected_day, reported_at, version, updated_at"
    };
}
macro_rules! select_case {
    () => {
        concat!("SELECT ", case_columns!(), " FROM cases")
    };
}
pub(super) const SELECT_CASE: &str = select_case!();

/// One case by its CRN with its marks (`read_marks` from column `MARKS_AT`): what an import
/// merges against and an edit marks.
const SELECT_MARKED_BY_CRN: &str = concat!(
    "SELECT ",
    case_columns!(),
    ", imported_mask, planner_mask, planner_base FROM cases WHERE crn = ?1"
);
const MARKS_AT: usize = 29;

pub(super) const ORDER: &str = "ORDER BY expected_day, name, crn";

/// One case by its CRN: `SELECT_CASE` with the key, a constant so it can be a cached statement.
const SELECT_BY_CRN: &str = concat!(select_case!(), " WHERE crn = ?1");

/// ?1..?25 the fields, ?26 expected_day, ?27 now, ?28..?30 the marks (imported, planner, base).
const INSERT_CASE: &str = "INSERT INTO cases (crn, name, noms, prison, officer, team, rosh, \
     mappa, release_date, release_type, accommodation, dtr, dtr_date, crs, cas3, ap, ap_required, \
     cas2, friday_release, confirmed_day, notes, crs_date, cas3_date, ap_date, cas2_date, \
     expected_day, version, created_at, updated_at, imported_mask, planner_mask, planner_base) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, \
     ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, 1, ?27, ?27, ?28, ?29, ?30)";

/// Same parameters as `INSERT_CASE`; bumps the version.
const UPDATE_CASE: &str = "UPDATE cases SET name = ?2, noms = ?3, prison = ?4, officer = ?5, \
     team = ?6, rosh = ?7, mappa = ?8, release_date = ?9, release_type = ?10, \
     accommodation = ?11, dtr = ?12, dtr_date = ?13, crs = ?14, cas3 = ?15, ap = ?16, \
     ap_required = ?17, cas2 = ?18, friday_release = ?19, confirmed_day = ?20, notes = ?21, \
     crs_date = ?22, cas3_date = ?23, ap_date = ?24, cas2_date = ?25, \
     expected_day = ?26, version = version + 1, updated_at = ?27, imported_mask = ?28, \
     planner_mask = ?29, planner_base = ?30 WHERE crn = ?1";

/// The marks alone: an import that changed no value but what counts as imported (a field the
/// file brought for the first time, or one the file has caught up on). Not an edit of the
/// case, so its version stays.
const UPDATE_MARKS: &str = "UPDATE cases SET imported_mask = ?2, planner_mask = ?3, \
     planner_base = ?4 WHERE crn = ?1";

/// Audit field for a case replaced wholesale by `insert_many`.
const REPLACED: &str = "replaced";
/// Audit field for a release-morning check-in.
const REPORTED: &str = "reported";

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

/// What an import would do to one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlannedRow {
    /// A case not held: added, with the fields the row set counting as imported (a mask of
    /// `COLUMNS` bits).
    New { case: Case, imported: u64 },
    Updated {
        /// Boxed so a plan's rows are the size of one case, not two: at 100,000 new rows the
        /// unboxed plan held 44 MB, half of it room for a `before` that new rows never have.
        before: Box<Case>,
        /// Boxed too, so a planned row is no larger than a parsed one (`plan_import_owned`).
        after: Box<Case>,
        /// The file's values taken, field by field.
        changes: Vec<FieldChange>,
        marks: Box<MarksChange>,
    },
    /// No value taken. The marks may still change: a field the file brought for the first
    /// time, or one whose file value has caught up with the planner's, now counts as imported.
    Unchanged {
        crn: Crn,
        marks: Option<Box<MarksChange>>,
    },
}

/// A held case's marks before and after an import (`domain::marks`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarksChange {
    /// The case's version when planned: a marks-only write is refused if it moved.
    pub version: i64,
    pub before: FieldMarks,
    pub after: FieldMarks,
}

impl PlannedRow {
    pub fn crn(&self) -> &Crn {
        match self {
            PlannedRow::New { case, .. } => &case.crn,
            PlannedRow::Updated { after, .. } => &after.crn,
            PlannedRow::Unchanged { crn, .. } => crn,
        }
    }
}

/// A field the planner changed that the file disagrees with: kept as the planner set it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedConflict {
    pub crn: Crn,
    pub conflict: Conflict,
}

/// A row for a case not held that cannot add it: it lacks a name or release date (the file
/// has no such column, or the cell is blank).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unheld {
    /// The row's line in the file.
    pub line: usize,
    pub crn: Crn,
    /// `name`, `release_date` or both, in column order.
    pub missing: Vec<&'static str>,
}

/// An import checked against the store, row by row in file order. Nothing is written until
/// `Store::apply_import`, which refuses a plan with `unheld` rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportPlan {
    pub rows: Vec<PlannedRow>,
    /// Every conflict, in file order (a row's in column order).
    pub conflicts: Vec<PlannedConflict>,
    pub unheld: Vec<Unheld>,
}

impl ImportPlan {
    /// (new, updated, unchanged)
    pub fn counts(&self) -> (usize, usize, usize) {
        self.rows
            .iter()
            .fold((0, 0, 0), |(n, u, s), row| match row {
                PlannedRow::New { .. } => (n + 1, u, s),
                PlannedRow::Updated { .. } => (n, u + 1, s),
                PlannedRow::Unchanged { .. } => (n, u, s + 1),
            })
    }
}

/// What an applied import did. (Its conflicts are the plan's.)
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl Store {
    pub fn case_count(&self) -> Result<usize> {
        let n: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM cases", [], |r| r.get(0))?;
        Ok(n as usize)
    }

    /// Changes when another connection (another officer, an import) commits: two reads with
    /// the same value in between saw the same data.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    pub fn get(&self, crn: &Crn) -> Result<Option<StoredCase>> {
        get_case(&self.conn, crn)
    }

    /// What imports set of a case and what the planner changed since (DOMAIN.md §5).
    pub fn marks(&self, crn: &Crn) -> Result<Option<FieldMarks>> {
        let mut st = self.conn.prepare_cached(SELECT_MARKED_BY_CRN)?;
        Ok(find_marked(&mut st, crn)?.map(|(_, marks)| marks))
    }

    /// Cases whose stored expected day is in `[from, to]`, by expected day, then name, then CRN.
    pub fn cases_expected_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<StoredCase>> {
        query_cases(
            &self.conn,
            &format!("{SELECT_CASE} WHERE expected_day BETWEEN ?1 AND ?2 {ORDER}"),
            params![day_text(from), day_text(to)],
        )
    }

    /// Cases whose stored expected day is `from` or later, in the same order.
    pub fn cases_expected_from(&self, from: NaiveDate) -> Result<Vec<StoredCase>> {
        query_cases(
            &self.conn,
            &format!("{SELECT_CASE} WHERE expected_day >= ?1 {ORDER}"),
            params![day_text(from)],
        )
    }

    /// The expected day of the case `n` places on from the first expected on `from` or later
    /// (in list order), or `None` when there are not that many. Reads the day index only.
    pub fn nth_expected_day_from(&self, from: NaiveDate, n: usize) -> Result<Option<NaiveDate>> {
        let day: Option<String> = self
            .conn
            .prepare_cached(
                "SELECT expected_day FROM cases WHERE expected_day >= ?1 \
                 ORDER BY expected_day LIMIT 1 OFFSET ?2",
            )?
            .query_row(params![day_text(from), n as i64], |r| r.get(0))
            .optional()?;
        day.map(|d| parse_day(&d).ok_or(corrupt("expected_day")))
            .transpose()
    }

    /// Cases whose stored expected day is after `after`, in no order (the caller sorts).
    /// For a large share of the table: a scan in file order costs about a third of as many
    /// row-by-row lookups through the day index (measured at 50,000 of 100,000 cases).
    pub fn cases_expected_after_unordered(&self, after: NaiveDate) -> Result<Vec<StoredCase>> {
        query_cases(
            &self.conn,
            &format!("{SELECT_CASE} WHERE +expected_day > ?1"),
            params![day_text(after)],
        )
    }

    /// The expected day and accommodation fields of every case expected after `after`:
    /// what counting releases and who has nowhere to go needs, without whole cases.
    /// A scan in file order, as `cases_expected_after_unordered`.
    pub fn housing_after(&self, after: NaiveDate) -> Result<Vec<(NaiveDate, Housing)>> {
        let mut st = self.conn.prepare_cached(
            "SELECT expected_day, accommodation, ap, cas3, cas2 FROM cases \
             WHERE +expected_day > ?1",
        )?;
        let rows = st.query_and_then(params![day_text(after)], |row| {
            let day = parse_day(req_str(row, 0)?).ok_or(corrupt("expected_day"))?;
            let housing = Housing {
                accommodation: named_code(row, 1, "accommodation")?
                    .ok_or(corrupt("accommodation"))?,
                ap: named_code(row, 2, "ap")?,
                cas3: named_code(row, 3, "cas3")?,
                cas2: named_code(row, 4, "cas2")?,
            };
            Ok((day, housing))
        })?;
        rows.collect()
    }

    /// The cases that can carry a gap flag on `from`: every case expected from `from` to
    /// `near_to`, AP-required cases to `ap_to`, and HDC cases at any later day (CAS2 shows
    /// always). Each part reads an index; the caller sorts and applies the rules. The HDC part
    /// leaves out only what the AP part read: `IS 1`, since a blank `ap_required` (NULL) makes
    /// `= 1` unknown, and NOT of unknown dropped every HDC case with the field left blank.
    pub fn cases_that_may_flag(
        &self,
        from: NaiveDate,
        near_to: NaiveDate,
        ap_to: NaiveDate,
    ) -> Result<Vec<StoredCase>> {
        let sql = format!(
            "{SELECT_CASE} WHERE expected_day >= ?1 AND expected_day <= ?2 \
             UNION ALL {SELECT_CASE} WHERE ap_required = 1 AND expected_day > ?2 \
                 AND expected_day <= ?3 \
             UNION ALL {SELECT_CASE} WHERE release_type = 'HDC' AND expected_day > ?2 \
                 AND NOT (ap_required IS 1 AND expected_day <= ?3)"
        );
        query_cases(
            &self.conn,
            &sql,
            params![day_text(from), day_text(near_to), day_text(ap_to)],
        )
    }

    /// Every case, in the same order.
    pub fn all_cases(&self) -> Result<Vec<StoredCase>> {
        query_cases(&self.conn, &format!("{SELECT_CASE} {ORDER}"), [])
    }

    /// Checks import rows against the store without writing, each row's line counted as in a
    /// CSV file with its header on line 1. See `plan_import_owned`.
    pub fn plan_import(&self, rows: &[(Crn, CasePatch)]) -> Result<ImportPlan> {
        let lines = rows
            .iter()
            .enumerate()
            .map(|(i, (crn, patch))| (i + 2, crn.clone(), patch.clone()));
        self.plan_import_owned(lines, false)
    }

    /// Checks import rows (line, CRN, fields) against the store without writing. A `None` in a
    /// patch keeps the stored value (DOMAIN.md §5); every other field is merged with what the
    /// planner did (`domain::marks::merge`; `prefer_file` takes the file's value wherever it
    /// differs). A row for a case not held that lacks a name or release date is listed in
    /// `unheld`. Takes the rows: a new case takes its patch's text instead of a copy (an
    /// import of 100,000 new rows would otherwise hold every name and note twice).
    pub fn plan_import_owned(
        &self,
        rows: impl IntoIterator<Item = (usize, Crn, CasePatch)>,
        prefer_file: bool,
    ) -> Result<ImportPlan> {
        // One read transaction for every lookup: one snapshot, and one lock taken instead of two
        // system calls per row (outside a transaction each SELECT locks and unlocks the file).
        // Dropped at the end, which ends it: nothing was written. Under WAL readers block no
        // one; on a network share (rollback journal) the shared lock lasts the whole plan, so
        // another officer's save waits (within its busy timeout) for as long as the plan takes.
        let read = Transaction::new_unchecked(&self.conn, TransactionBehavior::Deferred)?;
        // A first import, into no cases, has nothing to look up.
        let any_stored: bool =
            read.query_row("SELECT EXISTS (SELECT 1 FROM cases)", [], |r| r.get(0))?;
        let mut lookup = read.prepare_cached(SELECT_MARKED_BY_CRN)?;
        let (mut conflicts, mut unheld, mut failed) = (Vec::new(), Vec::new(), None);
        let mut plan_row =
            |line: usize, crn: Crn, patch: CasePatch| -> Result<Option<PlannedRow>> {
                let stored = if any_stored {
                    find_marked(&mut lookup, &crn)?
                } else {
                    None
                };
                Ok(Some(match stored {
                    None => {
                        let missing: Vec<&'static str> = [
                            ("name", patch.name.is_none()),
                            ("release_date", patch.release_date.is_none()),
                        ]
                        .into_iter()
                        .filter_map(|(field, lacking)| lacking.then_some(field))
                        .collect();
                        if !missing.is_empty() {
                            unheld.push(Unheld { line, crn, missing });
                            return Ok(None);
                        }
                        let imported = patch.present();
                        match patch.into_new_case(crn) {
                            Some(case) => PlannedRow::New { case, imported },
                            None => unreachable!("a name and release date were checked above"),
                        }
                    }
                    Some((stored, before)) => {
                        let mut after = stored.case.clone();
                        let merged = marks::merge(&mut after, &before, &patch, prefer_file);
                        conflicts.extend(merged.conflicts.into_iter().map(|conflict| {
                            PlannedConflict {
                                crn: crn.clone(),
                                conflict,
                            }
                        }));
                        let same = merged.marks == before;
                        let version = stored.version;
                        let marks = move |after| {
                            Box::new(MarksChange {
                                version,
                                before,
                                after,
                            })
                        };
                        if !merged.changes.is_empty() {
                            PlannedRow::Updated {
                                before: Box::new(stored.case),
                                after: Box::new(after),
                                changes: merged.changes,
                                marks: marks(merged.marks),
                            }
                        } else if !same {
                            PlannedRow::Unchanged {
                                crn,
                                marks: Some(marks(merged.marks)),
                            }
                        } else {
                            PlannedRow::Unchanged { crn, marks: None }
                        }
                    }
                }))
            };
        // Each row is planned as the rows are taken, by one `filter_map` straight into the
        // plan: given the parser's list of rows, the standard library then writes the plan into
        // that list's own memory (a planned row is no larger than a parsed one) rather than a
        // second list as large (at 100,000 new cases, 25 MB more to take from the system).
        let rows: Vec<PlannedRow> = rows
            .into_iter()
            .filter_map(|(line, crn, patch)| {
                if failed.is_some() {
                    return None;
                }
                plan_row(line, crn, patch).unwrap_or_else(|e| {
                    failed = Some(e);
                    None
                })
            })
            .collect();
        if let Some(e) = failed {
            return Err(e);
        }
        Ok(ImportPlan {
            rows,
            conflicts,
            unheld,
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
            let mut lookup = tx.prepare_cached(SELECT_MARKED_BY_CRN)?;
            let mut audit = AuditWriter::new(&tx, &now, who, source)?;
            for row in &plan.rows {
                match row {
                    PlannedRow::New { .. } => {}
                    PlannedRow::Updated {
                        before,
                        after,
                        changes,
                        marks,
                    } => {
                        match find_marked(&mut lookup, &after.crn)? {
                            Some((stored, held))
                                if stored.case == **before && held == marks.before => {}
                            _ => return Err(StoreError::Conflict),
                        }
                        // The fields that changed, and the expected day when it moved.
                        let changed = changes
                            .iter()
                            .filter_map(|c| marks::column_index(c.field))
                            .fold(0u64, |m, i| m | 1 << i);
                        let day = expected_day(after);
                        let moved = (day != expected_day(before)).then_some(day);
                        updates.write(after, changed, moved, &marks.after)?;
                        for c in changes {
                            let (old, new) = (c.old.as_deref(), c.new.as_deref());
                            audit.add(Some(&after.crn), c.field, old, new)?;
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
            tx.execute(
                "DELETE FROM meta WHERE key = ?1",
                [super::meta::DEMO_MARKER],
            )?;
        }
        tx.commit()?;
        Ok(summary)
    }

    /// Inserts or replaces one case, in its own transaction, auditing "created" for a new case or
    /// one row per changed field for a replaced one. Unlike an import, blank fields of `case`
    /// clear the stored values. Every field counts as imported, none as the planner's.
    pub fn upsert_case(&mut self, case: &Case, who: &str, expected_day: NaiveDate) -> Result<()> {
        let now = now_utc();
        let tx = self.write_tx()?;
        let marks = FieldMarks::all_imported();
        match get_case(&tx, &case.crn)? {
            None => {
                write_case(&tx, INSERT_CASE, case, expected_day, &now, &marks)?;
                insert_audit(&tx, &now, who, Some(&case.crn), CREATED, None, None)?;
            }
            Some(stored) => {
                let changes = diff(&stored.case, case);
                if !changes.is_empty() || stored.expected_day != expected_day {
                    write_case(&tx, UPDATE_CASE, case, expected_day, &now, &marks)?;
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
            let mut insert = tx.prepare_cached(INSERT_CASE)?;
            let mut update = tx.prepare_cached(UPDATE_CASE)?;
            let marks = FieldMarks::all_imported();
            for case in cases {
                let day = DayText::new(expected_day(case));
                let field = if exists(&tx, &case.crn)? {
                    bind_case(&mut update, case, &day, &now, &marks)?;
                    REPLACED
                } else {
                    bind_case(&mut insert, case, &day, &now, &marks)?;
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
        let mut lookup = tx.prepare_cached(SELECT_MARKED_BY_CRN)?;
        let (stored, mut marks) =
            find_marked(&mut lookup, &case.crn)?.ok_or(StoreError::NotFound)?;
        drop(lookup);
        if stored.version != expected_version {
            return Err(StoreError::StaleEdit);
        }
        let changes = diff(&stored.case, case);
        if changes.is_empty() {
            return Ok((stored.version, changes));
        }
        for c in &changes {
            let i = marks::column_index(c.field).ok_or(corrupt("planner_mask"))?;
            marks.planner_changed(i, c.old.as_deref(), c.new.as_deref(), restoring);
        }
        write_case(&tx, UPDATE_CASE, case, expected_day, &now, &marks)?;
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
        let stored = query_cases(&tx, SELECT_CASE, [])?;
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

fn exists(conn: &Connection, crn: &Crn) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM cases WHERE crn = ?1")?
        .query_row([crn.as_str()], |_| Ok(()))
        .optional()?
        .is_some())
}

pub(super) fn get_case(conn: &Connection, crn: &Crn) -> Result<Option<StoredCase>> {
    let mut st = conn.prepare_cached(SELECT_BY_CRN)?;
    find_case(&mut st, crn)
}

/// One case through a prepared `SELECT_BY_CRN`.
fn find_case(st: &mut rusqlite::Statement<'_>, crn: &Crn) -> Result<Option<StoredCase>> {
    st.query_and_then([crn.as_str()], read_case)?
        .next()
        .transpose()
}

/// One case and its marks through a prepared `SELECT_MARKED_BY_CRN`.
fn find_marked(
    st: &mut rusqlite::Statement<'_>,
    crn: &Crn,
) -> Result<Option<(StoredCase, FieldMarks)>> {
    st.query_and_then([crn.as_str()], |row| {
        Ok((read_case(row)?, read_marks(row, MARKS_AT)?))
    })?
    .next()
    .transpose()
}

fn query_cases<P: rusqlite::Params>(conn: &Connection, sql: &str, p: P) -> Result<Vec<StoredCase>> {
    let mut st = conn.prepare_cached(sql)?;
    let rows = st.query_and_then(p, read_case)?;
    rows.collect()
}

/// Runs `INSERT_CASE` or `UPDATE_CASE` for one case.
fn write_case(
    conn: &Connection,
    sql: &str,
    case: &Case,
    day: NaiveDate,
    now: &str,
    marks: &FieldMarks,
) -> Result<()> {
    let mut st = conn.prepare_cached(sql)?;
    bind_case(&mut st, case, &DayText::new(day), now, marks)
}

/// Executes `INSERT_CASE` or `UPDATE_CASE` with one case's values and marks, borrowed rather
/// than copied (this is the hot loop of a national-scale import).
fn bind_case(
    st: &mut Statement<'_>,
    c: &Case,
    day: &DayText,
    now: &str,
    marks: &FieldMarks,
) -> Result<()> {
    st.execute(params![
        c.crn.as_str(),
        c.name,
        c.noms.as_ref().map(Noms::as_str),
        c.prison,
        c.officer,
        c.team,
        c.rosh.map(|v| v.as_str()),
        c.mappa,
        DayText::new(c.release_date),
        c.release_type.as_str(),
        c.accommodation.as_str(),
        c.dtr.map(|v| v.as_str()),
        c.dtr_date.map(DayText::new),
        c.crs.map(|v| v.as_str()),
        c.cas3.map(|v| v.as_str()),
        c.ap.map(|v| v.as_str()),
        c.ap_required,
        c.cas2.map(|v| v.as_str()),
        c.friday_release.map(FridayRelease::as_str),
        c.confirmed_day.map(DayText::new),
        c.notes,
        c.crs_date.map(DayText::new),
        c.cas3_date.map(DayText::new),
        c.ap_date.map(DayText::new),
        c.cas2_date.map(DayText::new),
        day,
        now,
        marks.imported as i64,
        marks.planner as i64,
        base_text(marks),
    ])?;
    Ok(())
}

/// A date as `YYYY-MM-DD`, formatted on the stack and bound without allocating.
#[derive(PartialEq)]
pub(super) struct DayText([u8; 10]);

impl DayText {
    pub(super) fn new(d: NaiveDate) -> DayText {
        use chrono::Datelike;
        let mut b = *b"0000-00-00";
        let y = d.year().clamp(0, 9999) as u32;
        for (i, v) in [
            (0, y / 1000),
            (1, y / 100 % 10),
            (2, y / 10 % 10),
            (3, y % 10),
        ] {
            b[i] = b'0' + v as u8;
        }
        b[5] = b'0' + (d.month() / 10) as u8;
        b[6] = b'0' + (d.month() % 10) as u8;
        b[8] = b'0' + (d.day() / 10) as u8;
        b[9] = b'0' + (d.day() % 10) as u8;
        DayText(b)
    }
}

impl ToSql for DayText {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(ValueRef::Text(&self.0)))
    }
}

pub(super) fn day_text(d: NaiveDate) -> String {
    String::from_utf8_lossy(&DayText::new(d).0).into_owned()
}

fn time_text(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.f").to_string()
}

/// The case's fields as SQL values, in `FIELDS` order.
fn case_values(c: &Case) -> Vec<Value> {
    fn text(s: Option<&str>) -> Value {
        s.map_or(Value::Null, |s| Value::Text(s.to_string()))
    }
    fn date(d: Option<NaiveDate>) -> Value {
        d.map_or(Value::Null, |d| Value::Text(day_text(d)))
    }
    vec![
        Value::Text(c.crn.as_str().to_string()),
        Value::Text(c.name.clone()),
        text(c.noms.as_ref().map(Noms::as_str)),
        text(c.prison.as_deref()),
        text(c.officer.as_deref()),
        text(c.team.as_deref()),
        text(c.rosh.map(|v| v.as_str())),
        c.mappa.map_or(Value::Null, |m| Value::Integer(m.into())),
        date(Some(c.release_date)),
        text(Some(c.release_type.as_str())),
        text(Some(c.accommodation.as_str())),
        text(c.dtr.map(|v| v.as_str())),
        date(c.dtr_date),
        text(c.crs.map(|v| v.as_str())),
        text(c.cas3.map(|v| v.as_str())),
        text(c.ap.map(|v| v.as_str())),
        c.ap_required
            .map_or(Value::Null, |b| Value::Integer(i64::from(b))),
        text(c.cas2.map(|v| v.as_str())),
        text(c.friday_release.map(FridayRelease::as_str)),
        date(c.confirmed_day),
        text(c.notes.as_deref()),
        date(c.crs_date),
        date(c.cas3_date),
        date(c.ap_date),
        date(c.cas2_date),
    ]
}

/// Field-by-field differences between two versions of a case, in column order, with values
/// shown as `CasePatch::apply` shows them. Unlike a patch, a blank in `after` counts as a change.
fn diff(before: &Case, after: &Case) -> Vec<FieldChange> {
    let show = |c: &Case| -> Vec<Option<String>> {
        case_values(c)
            .into_iter()
            .zip(FIELDS)
            .map(|(v, field)| match v {
                Value::Null => None,
                Value::Integer(b) if field == "ap_required" => {
                    Some(if b == 1 { "yes" } else { "no" }.to_string())
                }
                Value::Integer(i) => Some(i.to_string()),
                Value::Text(s) => Some(s),
                Value::Real(r) => Some(r.to_string()),
                Value::Blob(_) => None,
            })
            .collect()
    };
    show(before)
        .into_iter()
        .zip(show(after))
        .zip(FIELDS)
        .skip(1) // the CRN is the key, never a change
        .filter(|((old, new), _)| old != new)
        .map(|((old, new), field)| FieldChange { field, old, new })
        .collect()
}

pub(super) fn corrupt(column: &'static str) -> StoreError {
    StoreError::Corrupt { column }
}

fn column_name(i: usize) -> &'static str {
    FIELDS.get(i).copied().unwrap_or(match i {
        25 => "expected_day",
        26 => "reported_at",
        27 => "version",
        _ => "updated_at",
    })
}

/// Column `i` as text borrowed from the row; NULL is `None`; anything but UTF-8 text is corrupt.
fn opt_str<'r>(row: &'r Row<'_>, i: usize) -> Result<Option<&'r str>> {
    match row.get_ref(i)? {
        ValueRef::Null => Ok(None),
        ValueRef::Text(b) => std::str::from_utf8(b)
            .map(Some)
            .map_err(|_| corrupt(column_name(i))),
        _ => Err(corrupt(column_name(i))),
    }
}

fn opt_text(row: &Row<'_>, i: usize) -> Result<Option<String>> {
    Ok(opt_str(row, i)?.map(str::to_string))
}

pub(super) fn req_str<'r>(row: &'r Row<'_>, i: usize) -> Result<&'r str> {
    opt_str(row, i)?.ok_or(corrupt(column_name(i)))
}

/// A stored code enum: matched exactly against its codes first (no allocation), then through
/// `FromStr`, which also accepts a hand-edited lower-case code.
pub(super) trait Code: Sized + Copy + FromStr + 'static {
    fn codes() -> &'static [Self];
    fn code(self) -> &'static str;
    fn from_code(s: &str) -> Option<Self> {
        Self::codes()
            .iter()
            .copied()
            .find(|v| v.code() == s)
            .or_else(|| s.parse().ok())
    }
}

macro_rules! codes {
    ($($t:ty),+) => {$(
        impl Code for $t {
            fn codes() -> &'static [Self] {
                <$t>::ALL
            }
            fn code(self) -> &'static str {
                self.as_str()
            }
        }
    )+};
}

codes!(
    ReleaseType,
    Accommodation,
    Rosh,
    DtrStatus,
    CrsStatus,
    Cas3Status,
    ApStatus,
    Cas2Status
);

impl Code for FridayRelease {
    fn codes() -> &'static [Self] {
        &[FridayRelease::No, FridayRelease::One, FridayRelease::Two]
    }
    fn code(self) -> &'static str {
        self.as_str()
    }
}

fn opt_code<T: Code>(row: &Row<'_>, i: usize) -> Result<Option<T>> {
    opt_str(row, i)?
        .map(|s| T::from_code(s).ok_or(corrupt(column_name(i))))
        .transpose()
}

/// As `opt_code`, for a query whose columns are not in `SELECT_CASE` order.
pub(super) fn named_code<T: Code>(
    row: &Row<'_>,
    i: usize,
    column: &'static str,
) -> Result<Option<T>> {
    opt_str(row, i)?
        .map(|s| T::from_code(s).ok_or(corrupt(column)))
        .transpose()
}

fn req_code<T: Code>(row: &Row<'_>, i: usize) -> Result<T> {
    opt_code(row, i)?.ok_or(corrupt(column_name(i)))
}

fn opt_parsed<T: FromStr>(row: &Row<'_>, i: usize) -> Result<Option<T>> {
    opt_str(row, i)?
        .map(|s| s.parse().map_err(|_| corrupt(column_name(i))))
        .transpose()
}

/// Parses exactly `YYYY-MM-DD`, as the store writes it.
pub(super) fn parse_day(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    NaiveDate::from_ymd_opt(digits(0..4)? as i32, digits(5..7)?, digits(8..10)?)
}

fn opt_date(row: &Row<'_>, i: usize) -> Result<Option<NaiveDate>> {
    opt_str(row, i)?
        .map(|s| parse_day(s).ok_or(corrupt(column_name(i))))
        .transpose()
}

fn req_date(row: &Row<'_>, i: usize) -> Result<NaiveDate> {
    opt_date(row, i)?.ok_or(corrupt(column_name(i)))
}

fn opt_int(row: &Row<'_>, i: usize) -> Result<Option<i64>> {
    match row.get_ref(i)? {
        ValueRef::Null => Ok(None),
        ValueRef::Integer(n) => Ok(Some(n)),
        _ => Err(corrupt(column_name(i))),
    }
}

/// One `SELECT_CASE` row back to a `StoredCase`; a bad value is an error naming its column.
pub(super) fn read_case(row: &Row<'_>) -> Result<StoredCase> {
    let mappa = match opt_int(row, 7)? {
        None => None,
        Some(n @ 0..=3) => Some(n as u8),
        Some(_) => return Err(corrupt("mappa")),
    };
    let ap_required = match opt_int(row, 16)? {
        None => None,
        Some(0) => Some(false),
        Some(1) => Some(true),
        Some(_) => return Err(corrupt("ap_required")),
    };
    let case = Case {
        crn: opt_parsed(row, 0)?.ok_or(corrupt("crn"))?,
        name: req_str(row, 1)?.to_string(),
        noms: opt_parsed(row, 2)?,
        prison: opt_text(row, 3)?,
        officer: opt_text(row, 4)?,
        team: opt_text(row, 5)?,
        rosh: opt_code(row, 6)?,
        mappa,
        release_date: req_date(row, 8)?,
        release_type: req_code(row, 9)?,
        accommodation: req_code(row, 10)?,
        dtr: opt_code(row, 11)?,
        dtr_date: opt_date(row, 12)?,
        crs: opt_code(row, 13)?,
        cas3: opt_code(row, 14)?,
        ap: opt_code(row, 15)?,
        ap_required,
        cas2: opt_code(row, 17)?,
        friday_release: opt_code(row, 18)?,
        confirmed_day: opt_date(row, 19)?,
        notes: opt_text(row, 20)?,
        crs_date: opt_date(row, 21)?,
        cas3_date: opt_date(row, 22)?,
        ap_date: opt_date(row, 23)?,
        cas2_date: opt_date(row, 24)?,
    };
    let reported_at = opt_str(row, 26)?
        .map(|s| {
            NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
                .map_err(|_| corrupt("reported_at"))
        })
        .transpose()?;
    Ok(StoredCase {
        case,
        expected_day: req_date(row, 25)?,
        reported_at,
        version: opt_int(row, 27)?.ok_or(corrupt("version"))?,
        updated_at: req_str(row, 28)?.to_string(),
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::case::*;
    use chrono::Datelike;

    pub(crate) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    pub(crate) fn crn(s: &str) -> Crn {
        s.parse().unwrap()
    }

    /// Every field filled, non-default values throughout.
    pub(crate) fn full_case() -> Case {
        Case {
            crn: crn("X100001"),
            name: "Zoë Example-Smith".into(),
            noms: Some("A1234BC".parse().unwrap()),
            prison: Some("HMP Nowhere".into()),
            officer: Some("Officer Test".into()),
            team: Some("North PDU".into()),
            rosh: Some(Rosh::VeryHigh),
            mappa: Some(2),
            release_date: d(2026, 12, 26),
            release_type: ReleaseType::Mtd,
            accommodation: Accommodation::LaTemp,
            dtr: Some(DtrStatus::NotAccepted),
            dtr_date: Some(d(2026, 10, 1)),
            crs: Some(CrsStatus::Live),
            cas3: Some(Cas3Status::ReadyToPlace),
            ap: Some(ApStatus::AssessedSuitable),
            ap_required: Some(false),
            cas2: Some(Cas2Status::PlaceOffered),
            friday_release: Some(FridayRelease::Two),
            confirmed_day: Some(d(2026, 12, 23)),
            notes: Some("line one, \"quoted\"; ünïcode".into()),
            crs_date: Some(d(2026, 9, 1)),
            cas3_date: Some(d(2026, 10, 2)),
            ap_date: Some(d(2026, 6, 3)),
            cas2_date: Some(d(2026, 11, 4)),
        }
    }

    fn day_of(c: &Case) -> NaiveDate {
        c.confirmed_day.unwrap_or(c.release_date)
    }

    #[test]
    fn day_text_and_parse_day_agree() {
        let mut day = d(1900, 1, 1);
        while day < d(2201, 1, 1) {
            let text = day_text(day);
            assert_eq!(text, day.format("%Y-%m-%d").to_string());
            assert_eq!(parse_day(&text), Some(day));
            day = day + chrono::Days::new(13);
        }
        for bad in [
            "2026-1-01",
            "2026-02-30",
            "26-02-01xx",
            "2026/02/01",
            "２０２６-02-01",
            "",
        ] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
    }

    #[test]
    fn round_trip_full_and_minimal() {
        let mut store = Store::open_in_memory().unwrap();
        let full = full_case();
        let minimal = Case::new(crn("X100002"), "Al", d(2027, 1, 4));
        store.upsert_case(&full, "t", d(2026, 12, 23)).unwrap();
        store.upsert_case(&minimal, "t", d(2027, 1, 4)).unwrap();
        let got = store.get(&full.crn).unwrap().unwrap();
        assert_eq!(got.case, full);
        assert_eq!(got.expected_day, d(2026, 12, 23));
        assert_eq!(got.version, 1);
        assert_eq!(got.reported_at, None);
        assert_eq!(store.get(&minimal.crn).unwrap().unwrap().case, minimal);
        assert_eq!(store.get(&crn("X999999")).unwrap(), None);
        // ap_required true too
        let mut yes = full.clone();
        yes.ap_required = Some(true);
        store.upsert_case(&yes, "t", d(2026, 12, 23)).unwrap();
        assert_eq!(store.get(&full.crn).unwrap().unwrap().case, yes);
    }

    #[test]
    fn stored_values_are_the_codes() {
        let mut store = Store::open_in_memory().unwrap();
        store
            .upsert_case(&full_case(), "t", d(2026, 12, 23))
            .unwrap();
        let (rosh, fr, apr, rd): (String, String, i64, String) = store
            .conn
            .query_row(
                "SELECT rosh, friday_release, ap_required, release_date FROM cases",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        assert_eq!(
            (rosh.as_str(), fr.as_str(), apr, rd.as_str()),
            ("VERY_HIGH", "2", 0, "2026-12-26")
        );
    }

    #[test]
    fn a_corrupt_code_is_an_error_naming_the_column() {
        let mut store = Store::open_in_memory().unwrap();
        let c = full_case();
        store.upsert_case(&c, "t", d(2026, 12, 23)).unwrap();
        store
            .conn
            .pragma_update(None, "ignore_check_constraints", "ON")
            .unwrap();
        for (sql, column) in [
            ("UPDATE cases SET rosh = 'SEVERE'", "rosh"),
            (
                "UPDATE cases SET rosh = NULL, release_type = 'XYZ'",
                "release_type",
            ),
            (
                "UPDATE cases SET release_type = 'CRD', dtr_date = '31/12/2026'",
                "dtr_date",
            ),
            ("UPDATE cases SET dtr_date = NULL, mappa = 7", "mappa"),
            (
                "UPDATE cases SET mappa = NULL, friday_release = 'maybe'",
                "friday_release",
            ),
            (
                "UPDATE cases SET friday_release = NULL, name = x'00ff'",
                "name",
            ),
        ] {
            store.conn.execute(sql, []).unwrap();
            let e = store.get(&c.crn).unwrap_err();
            assert!(
                matches!(e, StoreError::Corrupt { column: col } if col == column),
                "{sql}: {e:?}"
            );
            let msg = e.to_string();
            assert!(msg.contains(column) && !msg.contains("X100001"), "{msg}");
            assert!(store.all_cases().is_err());
        }
    }

    #[test]
    fn windows_are_inclusive_and_ordered() {
        let mut store = Store::open_in_memory().unwrap();
        let cases = [
            ("X000001", "Bea", d(2026, 3, 2)),
            ("X000002", "Ann", d(2026, 3, 2)),
            ("X000004", "Ann", d(2026, 3, 2)),
            ("X000003", "Cy", d(2026, 3, 1)),
            ("X000005", "Di", d(2026, 3, 4)),
            ("X000006", "Ed", d(2026, 3, 5)),
        ]
        .map(|(c, n, day)| Case::new(crn(c), n, day));
        store.insert_many(&cases, "t", &|c| c.release_date).unwrap();
        let crns = |v: Vec<StoredCase>| -> Vec<String> {
            v.into_iter().map(|s| s.case.crn.to_string()).collect()
        };
        assert_eq!(
            crns(
                store
                    .cases_expected_between(d(2026, 3, 1), d(2026, 3, 4))
                    .unwrap()
            ),
            ["X000003", "X000002", "X000004", "X000001", "X000005"]
        );
        assert_eq!(
            crns(
                store
                    .cases_expected_between(d(2026, 3, 2), d(2026, 3, 2))
                    .unwrap()
            ),
            ["X000002", "X000004", "X000001"]
        );
        assert!(store
            .cases_expected_between(d(2026, 3, 3), d(2026, 3, 3))
            .unwrap()
            .is_empty());
        assert_eq!(
            crns(store.cases_expected_from(d(2026, 3, 4)).unwrap()),
            ["X000005", "X000006"]
        );
        assert_eq!(store.all_cases().unwrap().len(), 6);
        assert_eq!(store.case_count().unwrap(), 6);
    }

    #[test]
    fn plan_and_apply_an_import() {
        let mut store = Store::open_in_memory().unwrap();
        store
            .upsert_case(
                &Case::new(crn("X000001"), "Ann", d(2026, 5, 1)),
                "t",
                d(2026, 5, 1),
            )
            .unwrap();
        store
            .upsert_case(
                &Case::new(crn("X000002"), "Bea", d(2026, 5, 1)),
                "t",
                d(2026, 5, 1),
            )
            .unwrap();
        let patch = |name: &str, date: NaiveDate| CasePatch {
            name: Some(name.into()),
            release_date: Some(date),
            ..CasePatch::default()
        };
        let mut changed = patch("Ann", d(2026, 5, 1));
        changed.accommodation = Some(Accommodation::Nfa);
        changed.confirmed_day = Some(d(2026, 4, 30));
        let rows = vec![
            (crn("X000001"), changed),
            (crn("X000002"), patch("Bea", d(2026, 5, 1))),
            (crn("X000003"), patch("Cy", d(2026, 6, 1))),
        ];
        let plan = store.plan_import(&rows).unwrap();
        assert_eq!(plan.counts(), (1, 1, 1));
        assert_eq!(store.case_count().unwrap(), 2, "planning writes nothing");
        let summary = store.apply_import(&plan, "officer", &day_of).unwrap();
        assert_eq!(
            summary,
            ImportSummary {
                new: 1,
                updated: 1,
                unchanged: 1
            }
        );
        let ann = store.get(&crn("X000001")).unwrap().unwrap();
        assert_eq!(ann.case.accommodation, Accommodation::Nfa);
        assert_eq!(ann.expected_day, d(2026, 4, 30));
        assert_eq!(ann.version, 2);
        assert_eq!(store.get(&crn("X000002")).unwrap().unwrap().version, 1);
        assert_eq!(store.get(&crn("X000003")).unwrap().unwrap().case.name, "Cy");
        // Applying the same plan again: the stored case is no longer `before`.
        assert!(matches!(
            store.apply_import(&plan, "officer", &day_of),
            Err(StoreError::Conflict)
        ));
    }

    #[test]
    fn rows_that_cannot_add_their_case_are_listed_and_refused() {
        let mut store = Store::open_in_memory().unwrap();
        let held = Case::new(crn("X000009"), "Held", d(2026, 5, 1));
        store.upsert_case(&held, "t", d(2026, 5, 1)).unwrap();
        let only_name = CasePatch {
            name: Some("A".into()),
            ..Default::default()
        };
        let only_date = CasePatch {
            release_date: Some(d(2026, 5, 1)),
            ..Default::default()
        };
        let plan = store
            .plan_import(&[
                (crn("X000001"), only_name),
                (crn("X000009"), CasePatch::default()),
                (crn("X000002"), CasePatch::default()),
                (crn("X000003"), only_date),
            ])
            .unwrap();
        let unheld: Vec<(usize, &str, Vec<&str>)> = plan
            .unheld
            .iter()
            .map(|u| (u.line, u.crn.as_str(), u.missing.clone()))
            .collect();
        assert_eq!(
            unheld,
            [
                (2, "X000001", vec!["release_date"]),
                (4, "X000002", vec!["name", "release_date"]),
                (5, "X000003", vec!["name"]),
            ],
            "a held case needs neither"
        );
        let e = store.apply_import(&plan, "t", &day_of).unwrap_err();
        assert!(
            matches!(
                e,
                StoreError::MissingField {
                    field: "release_date"
                }
            ),
            "{e:?}"
        );
        assert_eq!(store.case_count().unwrap(), 1, "nothing written");
    }

    #[test]
    fn upsert_replaces_and_audits_changes_only() {
        let mut store = Store::open_in_memory().unwrap();
        let mut c = full_case();
        store.upsert_case(&c, "a", d(2026, 12, 23)).unwrap();
        store.upsert_case(&c, "a", d(2026, 12, 23)).unwrap();
        assert_eq!(
            store.get(&c.crn).unwrap().unwrap().version,
            1,
            "identical: no write"
        );
        c.notes = None;
        c.ap_required = Some(true);
        store.upsert_case(&c, "b", d(2026, 12, 23)).unwrap();
        let got = store.get(&c.crn).unwrap().unwrap();
        assert_eq!(got.case, c, "a blank clears on replace");
        assert_eq!(got.version, 2);
        let audit = store.audit_for(&c.crn).unwrap();
        let fields: Vec<_> = audit.iter().map(|a| a.field.as_str()).collect();
        assert_eq!(fields, ["notes", "ap_required", "created"]);
        assert_eq!(audit[1].old.as_deref(), Some("no"));
        assert_eq!(audit[1].new.as_deref(), Some("yes"));
        assert_eq!(audit[0].new, None);
    }

    #[test]
    fn insert_many_upserts_in_one_go() {
        let mut store = Store::open_in_memory().unwrap();
        let a = Case::new(crn("X000001"), "Ann", d(2026, 5, 1));
        let b = Case::new(crn("X000002"), "Bea", d(2026, 5, 2));
        assert_eq!(
            store.insert_many(&[a.clone(), b], "demo", &day_of).unwrap(),
            2
        );
        let mut a2 = a.clone();
        a2.name = "Ann Two".into();
        store.insert_many(&[a2.clone()], "demo", &day_of).unwrap();
        let got = store.get(&a.crn).unwrap().unwrap();
        assert_eq!((got.case, got.version), (a2, 2));
        let fields: Vec<_> = store
            .audit_for(&a.crn)
            .unwrap()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["replaced", "created"]);
        assert_eq!(store.remove_all_cases("demo").unwrap(), 2);
        assert_eq!(store.case_count().unwrap(), 0);
    }

    #[test]
    fn recompute_touches_only_changed_days() {
        let mut store = Store::open_in_memory().unwrap();
        let cases: Vec<Case> = (1..=4)
            .map(|i| Case::new(crn(&format!("X00000{i}")), "N", d(2026, 5, i)))
            .collect();
        store.insert_many(&cases, "t", &|c| c.release_date).unwrap();
        let moved = |c: &Case| {
            if c.release_date.day0() % 2 == 0 {
                c.release_date.pred_opt().unwrap()
            } else {
                c.release_date
            }
        };
        assert_eq!(store.recompute_expected(&moved).unwrap(), 2);
        assert_eq!(store.recompute_expected(&moved).unwrap(), 0);
        let first = store.get(&crn("X000001")).unwrap().unwrap();
        assert_eq!(first.expected_day, d(2026, 4, 30));
        assert_eq!(first.version, 1, "a derived day is not an edit");
        assert_eq!(
            store.get(&crn("X000002")).unwrap().unwrap().expected_day,
            d(2026, 5, 2)
        );
    }

    #[test]
    fn reporting_in_is_stored_and_audited() {
        let mut store = Store::open_in_memory().unwrap();
        let c = Case::new(crn("X000001"), "Ann", d(2026, 5, 1));
        store.upsert_case(&c, "t", d(2026, 5, 1)).unwrap();
        let at = d(2026, 5, 1).and_hms_milli_opt(9, 15, 2, 250).unwrap();
        store.set_reported(&c.crn, Some(at), "duty", None).unwrap();
        store.set_reported(&c.crn, Some(at), "duty", None).unwrap();
        let got = store.get(&c.crn).unwrap().unwrap();
        assert_eq!((got.reported_at, got.version), (Some(at), 2));
        store.set_reported(&c.crn, None, "duty", None).unwrap();
        let audit = store.audit_for(&c.crn).unwrap();
        assert_eq!(audit.len(), 3, "created, reported, cleared");
        assert_eq!(audit[1].field, "reported");
        assert_eq!(audit[1].new.as_deref(), Some("2026-05-01T09:15:02.250"));
        assert_eq!(
            (audit[0].old.as_deref(), audit[0].new.as_deref()),
            (Some("2026-05-01T09:15:02.250"), None)
        );
        assert!(matches!(
            store.set_reported(&crn("X999999"), Some(at), "duty", None),
            Err(StoreError::NotFound)
        ));
    }
}
