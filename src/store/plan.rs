//! An import planned against the cases held (DOMAIN.md §5): what each row of the file would do,
//! worked out by the domain's merge, whatever the engine. An engine supplies the lookup of a
//! held case and its marks (in one snapshot) and writes the plan (`CaseStore::apply_import`).

use super::{Result, RowToPlan, StoreError, StoredCase};
use crate::domain::case::{Case, CasePatch, Crn, FieldChange};
use crate::domain::exact::exact;
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
    /// A held case some of whose values the file changes. Only the changes are kept, not
    /// the case before and after: at 100,000 changed rows the two whole cases were two thirds
    /// of an import's memory. The engine writes the case as it reads it when applying, at the
    /// version planned (`marks.version`), with the changes' new values (`updated_case`).
    Updated {
        crn: Crn,
        /// The file's values taken, field by field, in column order (old and new as text).
        changes: Vec<FieldChange>,
        /// Held in the row, not boxed: a planned row is still no larger than a row to plan.
        marks: MarksChange,
    },
    /// No value taken. The marks may still change: a field the file brought for the first
    /// time, or one whose file value has caught up with the planner's, now counts as imported.
    Unchanged {
        crn: Crn,
        marks: Option<MarksChange>,
    },
}

/// A held case's marks before and after an import (`domain::marks`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarksChange {
    /// The case's version when planned: any write of the plan's is refused if it moved (every
    /// write of a case adds one to it, so an equal version is the case as planned).
    pub version: i64,
    pub before: FieldMarks,
    pub after: FieldMarks,
}

impl PlannedRow {
    pub fn crn(&self) -> &Crn {
        match self {
            PlannedRow::New { case, .. } => &case.crn,
            PlannedRow::Updated { crn, .. } => crn,
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

/// The case a planned update writes: `stored` (the case as held, at the version planned) with
/// each change's new value put in through its field's parser, which reads back exactly what
/// the value's text says (the plan keeps the text, for the audit and the dry run, rather than
/// a second copy of the case). A text that does not read back is a store fault, never a
/// user's: `StoreError::Corrupt` naming the field.
pub fn updated_case(mut stored: Case, changes: &[FieldChange]) -> Result<Case> {
    for c in changes {
        let field = Field::from_column(c.field).ok_or(StoreError::Corrupt { column: c.field })?;
        field
            .set(&mut stored, c.new.as_deref().unwrap_or(""))
            .map_err(|_| StoreError::Corrupt { column: c.field })?;
    }
    Ok(stored)
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
                    // Merged into the case as read, which is then dropped: the plan keeps
                    // only what changed.
                    let mut after = stored.case;
                    let merged = marks::merge(&mut after, &before, &patch, prefer_file);
                    conflicts.extend(merged.conflicts.into_iter().map(|conflict| {
                        PlannedConflict {
                            crn: crn.clone(),
                            conflict,
                        }
                    }));
                    let same = merged.marks == before;
                    let version = stored.version;
                    let marks = move |after| MarksChange {
                        version,
                        before,
                        after,
                    };
                    if !merged.changes.is_empty() {
                        PlannedRow::Updated {
                            crn,
                            changes: exact(merged.changes),
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    /// A case with every field set from its text: each field's example, and a name and notes
    /// such as an import leaves them (a spreadsheet's formula guard already taken off).
    fn full_case() -> Case {
        let day = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        let mut c = Case::new("X100001".parse().unwrap(), "Blank", day);
        for f in Field::ALL {
            f.set(&mut c, f.example()).unwrap();
        }
        c.name = "=Zoë O'Neill-Smith".into();
        // Unlike its example, not the default (so clearing it is a change too).
        c.accommodation = crate::domain::case::Accommodation::Nfa;
        c.notes = Some("+44 line one line two ✓".into());
        c
    }

    #[test]
    fn a_planned_row_fits_in_the_memory_of_a_row_to_plan() {
        // What lets `plan` write the plan into the parsed rows' own list (and what keeps the
        // changes and marks of 100,000 updated rows out of a second allocation each).
        assert!(
            std::mem::size_of::<PlannedRow>() <= std::mem::size_of::<RowToPlan>(),
            "{} > {}",
            std::mem::size_of::<PlannedRow>(),
            std::mem::size_of::<RowToPlan>()
        );
        assert_eq!(
            std::mem::align_of::<PlannedRow>(),
            std::mem::align_of::<RowToPlan>()
        );
    }

    #[test]
    fn an_update_is_rebuilt_exactly_from_the_case_held_and_the_changes_text() {
        let day = NaiveDate::from_ymd_opt(2027, 2, 1).unwrap();
        let bare = Case::new("X100001".parse().unwrap(), "Ann", day);
        let full = full_case();
        // Every field set, and every field cleared again (or put back to its default).
        assert_eq!(updated_case(bare.clone(), &bare.diff(&full)).unwrap(), full);
        assert_eq!(updated_case(full.clone(), &full.diff(&bare)).unwrap(), bare);
        assert_eq!(
            Field::ALL.len(),
            bare.diff(&full).len(),
            "every field changed"
        );
    }

    #[test]
    fn a_change_whose_text_does_not_read_back_is_a_store_fault_naming_the_field() {
        let bad = FieldChange {
            field: "release_date",
            old: None,
            new: Some("not a day".into()),
        };
        let err = updated_case(full_case(), &[bad]).unwrap_err();
        assert!(matches!(
            err,
            StoreError::Corrupt {
                column: "release_date"
            }
        ));
    }
}
