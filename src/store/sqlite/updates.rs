//! Writing an import's changes to held cases (issue 11 part 5): an `UPDATE` that names only the
//! fields the import changed. SQLite keeps an index up on an update only when the statement
//! sets one of its columns, so a change of officer and accommodation leaves the day index alone,
//! where a statement setting every column took each case's entry out and put it back. One
//! statement per set of changed fields, prepared when first needed.

use super::columns::{field, DayText, SqlCell as Cell};
use super::Result;
use crate::domain::case::{Case, COLUMNS};
use crate::domain::hash::QuickMap;
use crate::domain::marks::FieldMarks;
use crate::store::marks::base_text;
use chrono::NaiveDate;
use rusqlite::{Connection, Statement};

/// The mask bit for the expected day in a statement's key (the fields use bits 0 to 24).
const DAY: u64 = 1 << 63;

pub(super) struct Updates<'c> {
    conn: &'c Connection,
    now: &'c str,
    statements: QuickMap<u64, Statement<'c>>,
}

impl<'c> Updates<'c> {
    pub(super) fn new(conn: &'c Connection, now: &'c str) -> Updates<'c> {
        Updates {
            conn,
            now,
            statements: QuickMap::default(),
        }
    }

    /// Writes the fields in `changed` (bit `i` for `COLUMNS[i]`) of `case`, the expected day
    /// when `day` is given, and the marks; the version goes up by one and the case is stamped
    /// with the write time.
    pub(super) fn write(
        &mut self,
        case: &Case,
        changed: u64,
        day: Option<NaiveDate>,
        marks: &FieldMarks,
    ) -> Result<()> {
        let key = changed | if day.is_some() { DAY } else { 0 };
        let st = match self.statements.entry(key) {
            std::collections::hash_map::Entry::Occupied(st) => st.into_mut(),
            std::collections::hash_map::Entry::Vacant(slot) => {
                let mut sets: Vec<String> = (1..COLUMNS.len())
                    .filter(|i| changed & (1 << i) != 0)
                    .map(|i| format!("{} = ?", COLUMNS[i]))
                    .collect();
                if day.is_some() {
                    sets.push("expected_day = ?".into());
                }
                let sql = format!(
                    "UPDATE cases SET {}version = version + 1, updated_at = ?, \
                     imported_mask = ?, planner_mask = ?, planner_base = ? WHERE crn = ?",
                    sets.iter().map(|s| format!("{s}, ")).collect::<String>()
                );
                slot.insert(self.conn.prepare(&sql)?)
            }
        };
        let mut p = 1;
        for i in (1..COLUMNS.len()).filter(|i| changed & (1 << i) != 0) {
            st.raw_bind_parameter(p, field(case, i))?;
            p += 1;
        }
        if let Some(day) = day {
            st.raw_bind_parameter(p, Cell::Day(DayText::new(day)))?;
            p += 1;
        }
        st.raw_bind_parameter(p, self.now)?;
        st.raw_bind_parameter(p + 1, marks.imported as i64)?;
        st.raw_bind_parameter(p + 2, marks.planner as i64)?;
        st.raw_bind_parameter(p + 3, base_text(marks))?;
        st.raw_bind_parameter(p + 4, case.crn.as_str())?;
        st.raw_execute()?;
        Ok(())
    }
}
