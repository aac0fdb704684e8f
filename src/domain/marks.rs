//! Planner work survives re-imports (DOMAIN.md §5): for every field of a case, whether an
//! import set it, whether the planner changed it since, and the value it had before the
//! planner did; and the three-way merge an import makes with them.
//!
//! A field is numbered by its place in `case::COLUMNS`, and a mask has bit `i` for
//! `COLUMNS[i]` (the CRN, bit 0, is the key and never marked).
//!
//! The value the last import brought is kept only where it differs from the case: while a
//! field's planner mark is clear and an import set it, the case holds what that import
//! brought, so the value is taken aside (`base`) only when the planner first changes it.

use super::case::{Case, CasePatch, FieldChange, COLUMNS};

/// Every field of a case, as a mask: what a case written before marks were kept (and a demo
/// case) counts as having been imported. Stored databases were migrated with this value for
/// the 24 fields there were then; a field added to `COLUMNS` later was never imported there.
pub const ALL_FIELDS: u64 = ((1u64 << COLUMNS.len()) - 1) & !1;

/// The place of `column` in `COLUMNS`.
pub fn column_index(column: &str) -> Option<usize> {
    COLUMNS.iter().position(|c| *c == column)
}

/// Where each field of one case stands between imports and the planner.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldMarks {
    /// Fields some import set.
    pub imported: u64,
    /// Fields changed in the planner (the screens, `releaseday edit`) since an import last
    /// set them, or ever when none did.
    pub planner: u64,
    /// For each field whose planner bit is set, by index in `COLUMNS` and in that order: the
    /// value it held when the planner first changed it (`None`: blank). For a field an import
    /// set, that is the value the last import brought.
    pub base: Vec<(usize, Option<String>)>,
}

/// What a merge does with a non-blank cell that differs from the stored value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The file's value is taken.
    Take,
    /// The planner changed the field and the file still says what the last import brought:
    /// the planner's value stays, and the field counts as unchanged.
    Stale,
    /// The planner changed the field and the file says something new (or no import ever set
    /// it): the planner's value stays and the import reports it.
    Conflict,
}

/// A field an import left as the planner set it, though the file says otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub field: &'static str,
    /// The value kept (`None`: blank).
    pub kept: Option<String>,
    /// What the file says.
    pub file: String,
}

/// One row's merge into a stored case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Merged {
    /// The fields whose file value was taken, in column order.
    pub changes: Vec<FieldChange>,
    pub conflicts: Vec<Conflict>,
    /// The case's marks after the import.
    pub marks: FieldMarks,
}

impl FieldMarks {
    /// Every field imported, none changed in the planner.
    pub fn all_imported() -> FieldMarks {
        FieldMarks::imported(ALL_FIELDS)
    }

    /// `mask` imported, none changed in the planner: a new case from an import.
    pub fn imported(mask: u64) -> FieldMarks {
        FieldMarks {
            imported: mask,
            planner: 0,
            base: Vec::new(),
        }
    }

    pub fn is_imported(&self, i: usize) -> bool {
        self.imported & (1 << i) != 0
    }

    pub fn is_planner(&self, i: usize) -> bool {
        self.planner & (1 << i) != 0
    }

    /// The value field `i` held before the planner changed it: `None` when its planner mark
    /// is clear, `Some(None)` when it was blank.
    pub fn base(&self, i: usize) -> Option<Option<&str>> {
        self.base
            .iter()
            .find(|(j, _)| *j == i)
            .map(|(_, v)| v.as_deref())
    }

    /// The value the last import brought for field `i`, as taken aside when the planner changed
    /// it; `None` when no import set it, or when its planner mark is clear (the case holds it).
    pub fn last_imported(&self, i: usize) -> Option<&str> {
        if self.is_imported(i) {
            self.base(i).flatten()
        } else {
            None
        }
    }

    /// Records that the planner changed field `i` from `old` to `new`. The first change since
    /// the field was last imported takes its value aside. With `restoring` (undo and redo,
    /// putting back a value that was held) a field returned to the value it had before the
    /// planner changed it is as the planner found it: its mark is cleared. An ordinary edit
    /// back to that value stays a planner change (the officer chose it).
    pub fn planner_changed(
        &mut self,
        i: usize,
        old: Option<&str>,
        new: Option<&str>,
        restoring: bool,
    ) {
        let bit = 1u64 << i;
        if self.planner & bit == 0 {
            self.planner |= bit;
            let at = self.base.partition_point(|(j, _)| *j < i);
            self.base.insert(at, (i, old.map(str::to_string)));
        }
        if restoring && self.base(i) == Some(new) {
            self.clear_planner(bit);
        }
    }

    /// What an import does with `file`, a non-blank value for field `i` that differs from the
    /// stored one. `prefer_file` takes the file's value wherever it differs.
    pub fn verdict(&self, i: usize, file: &str, prefer_file: bool) -> Verdict {
        if prefer_file || !self.is_planner(i) {
            Verdict::Take
        } else if self.is_imported(i) && self.base(i) == Some(Some(file)) {
            Verdict::Stale
        } else {
            Verdict::Conflict
        }
    }

    /// The fields in `mask` now hold what an import brought: imported, and no longer changed
    /// in the planner.
    pub fn import_set(&mut self, mask: u64) {
        self.imported |= mask;
        self.clear_planner(mask);
    }

    fn clear_planner(&mut self, mask: u64) {
        if self.planner & mask != 0 {
            self.planner &= !mask;
            self.base.retain(|(j, _)| mask & (1 << j) == 0);
        }
    }
}

/// Merges one import row into a stored case (§5), field by field. A blank cell or absent
/// column changes nothing. For a value that differs from the case: taken unless the planner
/// changed the field since it was last imported; then kept, silently when the file still says
/// what the last import brought (`Verdict::Stale`), as a conflict otherwise. `prefer_file`
/// takes every differing value. Every field left holding the file's value — taken, or equal
/// already (the file has caught up with the officer) — counts as imported, its planner mark
/// cleared.
pub fn merge(case: &mut Case, marks: &FieldMarks, patch: &CasePatch, prefer_file: bool) -> Merged {
    let mut kept = 0u64;
    let mut conflicts = Vec::new();
    let (changes, present) = patch.apply_with(case, |i, change| {
        let file = change.new.as_deref().unwrap_or_default();
        match marks.verdict(i, file, prefer_file) {
            Verdict::Take => true,
            Verdict::Stale => {
                kept |= 1 << i;
                false
            }
            Verdict::Conflict => {
                kept |= 1 << i;
                conflicts.push(Conflict {
                    field: change.field,
                    kept: change.old.clone(),
                    file: file.to_string(),
                });
                false
            }
        }
    });
    let mut marks = marks.clone();
    marks.import_set(present & !kept);
    Merged {
        changes,
        conflicts,
        marks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::{Accommodation, DtrStatus};
    use chrono::NaiveDate;

    const DTR: usize = 11;
    const ACCOMMODATION: usize = 10;

    fn case() -> Case {
        let mut c = Case::new(
            "X100001".parse().unwrap(),
            "Ann Example",
            NaiveDate::from_ymd_opt(2026, 12, 24).unwrap(),
        );
        c.dtr = Some(DtrStatus::NotSent);
        c.accommodation = Accommodation::Cas3;
        c
    }

    fn file(dtr: Option<DtrStatus>, accommodation: Option<Accommodation>) -> CasePatch {
        CasePatch {
            dtr,
            accommodation,
            ..CasePatch::default()
        }
    }

    #[test]
    fn indexes_are_the_columns() {
        assert_eq!(column_index("dtr"), Some(DTR));
        assert_eq!(column_index("accommodation"), Some(ACCOMMODATION));
        assert_eq!(column_index("nothing"), None);
        assert_eq!(ALL_FIELDS.count_ones() as usize, COLUMNS.len() - 1);
        assert_eq!(ALL_FIELDS & 1, 0, "the CRN is the key, never marked");
        assert_eq!(
            ALL_FIELDS & ((1 << 25) - 1),
            33_554_430,
            "migration 4 stores this number for the 24 fields there were then"
        );
    }

    /// The officer records DTR SUBMITTED and NFA over an imported case.
    fn edited() -> (Case, FieldMarks) {
        let mut c = case();
        let mut m = FieldMarks::all_imported();
        c.dtr = Some(DtrStatus::Submitted);
        m.planner_changed(DTR, Some("NOT_SENT"), Some("SUBMITTED"), false);
        c.accommodation = Accommodation::Nfa;
        m.planner_changed(ACCOMMODATION, Some("CAS3"), Some("NFA"), false);
        (c, m)
    }

    #[test]
    fn the_first_planner_change_takes_the_imported_value_aside() {
        let (_, mut m) = edited();
        assert_eq!(m.last_imported(DTR), Some("NOT_SENT"));
        assert_eq!(m.base(ACCOMMODATION), Some(Some("CAS3")));
        // A second change keeps the first's snapshot: it is what the import brought.
        m.planner_changed(DTR, Some("SUBMITTED"), Some("ACCEPTED"), false);
        assert_eq!(m.last_imported(DTR), Some("NOT_SENT"));
        assert_eq!(m.base.len(), 2);
        assert!(
            m.base.windows(2).all(|w| w[0].0 < w[1].0),
            "in column order"
        );
    }

    #[test]
    fn last_weeks_sheet_keeps_the_planners_values_as_unchanged() {
        let (mut c, m) = edited();
        let before = c.clone();
        let got = merge(
            &mut c,
            &m,
            &file(Some(DtrStatus::NotSent), Some(Accommodation::Cas3)),
            false,
        );
        assert_eq!(c, before);
        assert!(
            got.changes.is_empty() && got.conflicts.is_empty(),
            "{got:?}"
        );
        assert_eq!(got.marks, m, "still the planner's");
    }

    #[test]
    fn a_new_value_on_a_planner_field_is_a_conflict_and_prefer_file_takes_it() {
        let (mut c, m) = edited();
        let patch = file(Some(DtrStatus::Withdrawn), Some(Accommodation::Cas3));
        let got = merge(&mut c, &m, &patch, false);
        assert_eq!(c.dtr, Some(DtrStatus::Submitted));
        assert_eq!(
            got.conflicts,
            [Conflict {
                field: "dtr",
                kept: Some("SUBMITTED".into()),
                file: "WITHDRAWN".into()
            }]
        );
        assert_eq!(got.marks, m, "a conflict changes no mark");
        let got = merge(&mut c, &m, &patch, true);
        assert_eq!(c.dtr, Some(DtrStatus::Withdrawn));
        assert_eq!(c.accommodation, Accommodation::Cas3, "the stale one too");
        assert_eq!(got.changes.len(), 2);
        assert!(got.conflicts.is_empty());
        assert_eq!(got.marks, FieldMarks::all_imported());
    }

    #[test]
    fn the_file_catching_up_clears_the_mark() {
        let (mut c, m) = edited();
        let got = merge(&mut c, &m, &file(Some(DtrStatus::Submitted), None), false);
        assert!(got.changes.is_empty());
        assert!(!got.marks.is_planner(DTR));
        assert!(
            got.marks.is_planner(ACCOMMODATION),
            "absent column: no change"
        );
        assert_eq!(got.marks.base(DTR), None);
        // Its next change is a real update.
        let got = merge(
            &mut c,
            &got.marks,
            &file(Some(DtrStatus::Accepted), None),
            false,
        );
        assert_eq!(c.dtr, Some(DtrStatus::Accepted));
        assert_eq!(got.changes.len(), 1);
    }

    #[test]
    fn a_field_no_import_set_conflicts_once_the_planner_set_it() {
        let mut c = case();
        let mut m = FieldMarks::imported(ALL_FIELDS & !(1 << DTR));
        c.dtr = Some(DtrStatus::Submitted);
        m.planner_changed(DTR, None, Some("SUBMITTED"), false);
        assert_eq!(m.last_imported(DTR), None);
        // Even a file saying blank's default would conflict; this one says NOT_SENT.
        let got = merge(&mut c, &m, &file(Some(DtrStatus::NotSent), None), false);
        assert_eq!(got.conflicts.len(), 1);
        assert_eq!(c.dtr, Some(DtrStatus::Submitted));
        // Untouched and never imported: taken, and imported from now on.
        let mut fresh = case();
        fresh.dtr = None;
        let m = FieldMarks::imported(ALL_FIELDS & !(1 << DTR));
        let got = merge(&mut fresh, &m, &file(Some(DtrStatus::NotSent), None), false);
        assert_eq!(got.changes.len(), 1);
        assert!(got.marks.is_imported(DTR));
    }

    #[test]
    fn undo_puts_the_marks_back_and_an_edit_back_does_not() {
        let mut m = FieldMarks::all_imported();
        m.planner_changed(DTR, Some("NOT_SENT"), Some("SUBMITTED"), false);
        let mut edited_back = m.clone();
        edited_back.planner_changed(DTR, Some("SUBMITTED"), Some("NOT_SENT"), false);
        assert!(edited_back.is_planner(DTR), "the officer chose NOT_SENT");
        m.planner_changed(DTR, Some("SUBMITTED"), Some("NOT_SENT"), true);
        assert_eq!(
            m,
            FieldMarks::all_imported(),
            "undone: as the import left it"
        );
        // Redo marks it again.
        m.planner_changed(DTR, Some("NOT_SENT"), Some("SUBMITTED"), true);
        assert_eq!(m.last_imported(DTR), Some("NOT_SENT"));
    }

    #[test]
    fn a_blank_cell_changes_nothing() {
        let (mut c, m) = edited();
        let before = c.clone();
        let got = merge(&mut c, &m, &CasePatch::default(), false);
        assert_eq!((c, got.marks), (before, m));
    }
}
