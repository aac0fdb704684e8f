//! A case's fields, defined once (`table.rs`) and read and written through that one
//! definition everywhere: imports, the edit form and `releaseday edit` (the same parsers, so a
//! popup refuses exactly what an import would), exports, JSON, the store and the audit log.
//!
//! - `table.rs`: the table itself, one line per field. Start there.
//! - `value.rs`: how each type of value parses, shows as text and is stored (`FieldValue`).
//! - `generate.rs`: the macro that turns the table into `Case`, `CasePatch`, `Field`, `COLUMNS`.
//! - `edit.rs`: what an officer's edit is checked for, and the sent date it fills in.

#[macro_use]
mod generate;
mod edit;
mod table;
pub mod value;

pub use super::codes::Code;
pub use edit::{check_edit, EditCheck};
pub use table::{Case, CasePatch, Field, COLUMNS};
pub use value::{Cell, FieldValue, Kind};

use super::codes::ParseError;

/// One field changed by a patch or an edit: its column name and the old and new values as
/// text (`None`: blank).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: &'static str,
    pub old: Option<String>,
    pub new: Option<String>,
}

impl Field {
    /// The field a column name names (`dtr_date`), as `releaseday edit` and the audit log
    /// give it.
    pub fn from_column(column: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.column() == column)
    }

    /// The field a normalised import header names: its column name or one of its aliases.
    pub fn from_header(header: &str) -> Option<Field> {
        Field::ALL
            .into_iter()
            .find(|f| f.column() == header || f.aliases().contains(&header))
    }

    /// Its bit in a mask of fields (`domain::marks`).
    pub const fn bit(self) -> u64 {
        1 << self.index()
    }

    /// The stored value as text; `None` when blank.
    pub fn get(self, c: &Case) -> Option<String> {
        self.text(c).map(|t| t.into_owned())
    }

    pub fn is_date(self) -> bool {
        self.kind() == Kind::Date
    }
}

/// Why a required field cannot be cleared.
pub(crate) fn required_blank(f: Field) -> ParseError {
    ParseError(format!(
        "it cannot be blank: every case has a {}",
        f.label().to_lowercase()
    ))
}

impl Case {
    /// Field-by-field differences between two versions of a case, in column order. Unlike a
    /// patch, a blank in `after` counts as a change. The CRN is the key, never a change.
    pub fn diff(&self, after: &Case) -> Vec<FieldChange> {
        Field::ALL
            .into_iter()
            .filter_map(|f| f.change(self, after))
            .collect()
    }
}

impl CasePatch {
    /// The new case a patch describes; `None` when a required field is missing.
    pub fn to_new_case(&self, crn: &Crn) -> Option<Case> {
        self.clone().into_new_case(crn.clone())
    }

    /// Applies the patch and returns what changed, field by field, in column order.
    pub fn apply(&self, case: &mut Case) -> Vec<FieldChange> {
        self.apply_with(case, |_, _| true).0
    }

    /// Applies the fields `take` agrees to: it is asked about each field whose value the patch
    /// would change (with the field's index in `COLUMNS` and the change) and a field it refuses
    /// keeps its stored value. Returns what was taken, in column order, and the mask of every
    /// field the patch sets, changed or not (bit `i` for `COLUMNS[i]`).
    pub fn apply_with(
        &self,
        case: &mut Case,
        mut take: impl FnMut(usize, &FieldChange) -> bool,
    ) -> (Vec<FieldChange>, u64) {
        let mut changes = Vec::new();
        for f in Field::ALL {
            f.apply(self, case, &mut take, &mut changes);
        }
        (changes, self.present())
    }

    /// The mask of the fields the patch sets (bit `i` for `COLUMNS[i]`): what a new case's
    /// import brought.
    pub fn present(&self) -> u64 {
        Field::ALL
            .into_iter()
            .filter(|f| f.is_set(self))
            .fold(0, |mask, f| mask | f.bit())
    }

    /// The required fields a new case would lack, in column order.
    pub fn missing(&self) -> impl Iterator<Item = Field> + '_ {
        Field::ALL
            .into_iter()
            .filter(|f| f.is_required() && !f.is_set(self))
    }
}

use super::codes::Crn;

#[cfg(test)]
mod tests;
