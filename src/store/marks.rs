//! How a case's marks (`domain::marks::FieldMarks`) are stored: two integer masks and, for the
//! fields the planner changed, their earlier values as a JSON object keyed by column name
//! (`{"dtr":"NOT_SENT","officer":null}`), NULL when there are none, which is nearly always.
//! Plain integers and text, so another engine stores them the same way.

use super::cases::corrupt;
use super::Result;
use crate::domain::case::COLUMNS;
use crate::domain::marks::{column_index, FieldMarks};
use rusqlite::types::ValueRef;
use rusqlite::Row;
use serde_json::{Map, Value};

/// The `planner_base` column's text; `None` (NULL) when no field has an earlier value kept.
pub(super) fn base_text(marks: &FieldMarks) -> Option<String> {
    if marks.base.is_empty() {
        return None;
    }
    let object: Map<String, Value> = marks
        .base
        .iter()
        .map(|(i, v)| {
            let value = v.as_ref().map_or(Value::Null, |s| Value::String(s.clone()));
            (COLUMNS[*i].to_string(), value)
        })
        .collect();
    Some(Value::Object(object).to_string())
}

/// The marks from columns `at` (imported_mask), `at + 1` (planner_mask), `at + 2`
/// (planner_base). A value that is not what `base_text` writes is corrupt.
pub(super) fn read_marks(row: &Row<'_>, at: usize) -> Result<FieldMarks> {
    let mask = |i: usize, column: &'static str| -> Result<u64> {
        match row.get_ref(i)? {
            ValueRef::Integer(n) if n >= 0 => Ok(n as u64),
            _ => Err(corrupt(column)),
        }
    };
    let imported = mask(at, "imported_mask")?;
    let planner = mask(at + 1, "planner_mask")?;
    let base = match row.get_ref(at + 2)? {
        ValueRef::Null => Vec::new(),
        ValueRef::Text(b) => parse_base(b).ok_or(corrupt("planner_base"))?,
        _ => return Err(corrupt("planner_base")),
    };
    Ok(FieldMarks {
        imported,
        planner,
        base,
    })
}

fn parse_base(text: &[u8]) -> Option<Vec<(usize, Option<String>)>> {
    let Value::Object(object) = serde_json::from_slice(text).ok()? else {
        return None;
    };
    let mut base = Vec::with_capacity(object.len());
    for (column, value) in object {
        let i = column_index(&column).filter(|i| *i > 0)?;
        let value = match value {
            Value::Null => None,
            Value::String(s) => Some(s),
            _ => return None,
        };
        base.push((i, value));
    }
    base.sort_by_key(|(i, _)| *i);
    Some(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_base_round_trips_and_nonsense_is_refused() {
        let marks = FieldMarks {
            imported: 0b110,
            planner: (1 << 4) | (1 << 11),
            base: vec![(4, None), (11, Some("NOT_SENT \"quoted\" ✓".into()))],
        };
        let text = base_text(&marks).unwrap();
        assert_eq!(parse_base(text.as_bytes()).unwrap(), marks.base, "{text}");
        assert_eq!(base_text(&FieldMarks::all_imported()), None);
        for bad in [
            "",
            "[]",
            r#"{"nothing":"x"}"#,
            r#"{"crn":"X100001"}"#,
            r#"{"dtr":3}"#,
        ] {
            assert_eq!(parse_base(bad.as_bytes()), None, "{bad}");
        }
    }
}
