//! How a case's marks (`domain::marks::FieldMarks`) are stored: two integer masks and, for the
//! fields the planner changed, their earlier values as a JSON object keyed by column name
//! (`{"dtr":"NOT_SENT","officer":null}`), NULL when there are none, which is nearly always.
//! Plain integers and text, so another engine stores them the same way.

use crate::domain::case::COLUMNS;
use crate::domain::marks::{column_index, FieldMarks};
use serde_json::{Map, Value};

/// The `planner_base` column's text; `None` (NULL) when no field has an earlier value kept.
pub(crate) fn base_text(marks: &FieldMarks) -> Option<String> {
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

/// The marks from their stored values: the two masks and the `planner_base` text (`None`:
/// NULL). A value that is not what is written here is damage: `Err` names its column.
pub(crate) fn marks_from(
    imported: i64,
    planner: i64,
    base: Option<&[u8]>,
) -> Result<FieldMarks, &'static str> {
    let mask = |n: i64, column| u64::try_from(n).map_err(|_| column);
    Ok(FieldMarks {
        imported: mask(imported, "imported_mask")?,
        planner: mask(planner, "planner_mask")?,
        base: match base {
            None => Vec::new(),
            Some(text) => parse_base(text).ok_or("planner_base")?,
        },
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
