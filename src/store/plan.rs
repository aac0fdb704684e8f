//! An import planned against the cases held (DOMAIN.md §5): what each row of the file would do,
//! worked out by the domain's merge, whatever the engine. An engine supplies the lookup of a
//! held case and its marks (in one snapshot) and writes the plan (`CaseStore::apply_import`).

use super::{Result, RowToPlan, StoredCase};
use crate::domain::case::{Case, CasePatch, Crn, FieldChange};
use crate::domain::fields::Field;
use crate::domain::marks::{self, Conflict, FieldMarks};

/// What an import would do to one row. `New` holds its case unboxed on purpose: most rows of a
/// first import are new, each planned row takes the place of its row to plan (a `CasePatch` of
/// about the same size), and a box would be one more allocation per new case.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(clippy::large_enum_variant)]
pub enum PlannedRow {
    /// A case not held: added, with the fields the row set counting as imported (a mask of
    /// `COLUMNS` bits).
    New { case: Case, imported: u64 },
    Updated {
        /// Boxed so a plan's rows are the size of one case, not two: at 100,000 new rows the
        /// unboxed plan held 44 MB, half of it room for a `before` that new rows never have.
        before: Box<Case>,
        /// Boxed too, so a planned row is no larger than a row to plan (`plan`).
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

/// A row for a case not held that cannot add it: it lacks a required field, a name or a release
/// date (the file has no such column, or the cell is blank).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unheld {
    /// The row's line in the file.
    pub line: usize,
    pub crn: Crn,
    /// The required fields it lacks (`name`, `release_date`), in column order.
    pub missing: Vec<&'static str>,
}

/// An import checked against the store, row by row in file order. Nothing is written until
/// `CaseStore::apply_import`, which refuses a plan with `unheld` rows.
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

/// Plans `rows` against the cases `lookup` finds (a held case and its marks, by CRN; `None`
/// when not held). A `None` in a patch keeps the stored value; every other field is merged with
/// what the planner did (`domain::marks::merge`; `prefer_file` takes the file's value wherever
/// it differs). A row for a case not held that lacks a required field is listed in `unheld`.
/// Takes the rows: a new case takes its patch's text instead of a copy, and the plan is written
/// into the rows' own memory.
pub fn plan(
    rows: Vec<RowToPlan>,
    prefer_file: bool,
    mut lookup: impl FnMut(&Crn) -> Result<Option<(StoredCase, FieldMarks)>>,
) -> Result<ImportPlan> {
    let (mut conflicts, mut unheld, mut failed) = (Vec::new(), Vec::new(), None);
    let mut plan_row =
        |line: usize, crn: Crn, patch: CasePatch| -> Result<Option<PlannedRow>> {
            let stored = lookup(&crn)?;
            Ok(Some(match stored {
                None => {
                    let missing: Vec<&'static str> = patch.missing().map(Field::column).collect();
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
