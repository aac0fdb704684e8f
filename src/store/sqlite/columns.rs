//! The field table's fields as SQLite columns (row coding). The statements' column lists are
//! made once from `COLUMNS`; a field's value is bound as SQLite keeps it (text; a day as
//! `YYYY-MM-DD` text, formatted on the stack; a small integer; yes/no as 0 or 1) and read back
//! through the field table, where a value that is not one is a damaged column, named.
//!
//! In a whole-case `SELECT` (`select_case`) field `f` is column `f.index()` and the CRN column 0,
//! as in `COLUMNS`; the insert's and update's parameter `?{i+1}` is `COLUMNS[i]`.

use super::Result;
use crate::domain::case::{Case, COLUMNS};
use crate::domain::fields::{Cell, Field, FieldValue, Kind};
use crate::domain::marks::FieldMarks;
use crate::store::marks::{base_text, marks_from};
use crate::store::{StoreError, StoredCase};
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Row, Statement, ToSql};
use std::sync::OnceLock;

/// List order: by expected day, then name, then CRN (the day index's order).
pub(super) const ORDER: &str = "ORDER BY expected_day, name, crn";

/// What a whole-case `SELECT` reads after the fields.
const KEPT: [&str; 4] = ["expected_day", "reported_at", "version", "updated_at"];

/// The column of `expected_day` in a whole-case `SELECT`, and of the rest of `KEPT` after it.
const KEPT_AT: usize = COLUMNS.len();

/// Where the marks (imported_mask, planner_mask, planner_base) start in `select_marked_by_crn`.
pub(super) const MARKS_AT: usize = KEPT_AT + KEPT.len();

fn made(cell: &'static OnceLock<String>, make: impl FnOnce() -> String) -> &'static str {
    cell.get_or_init(make)
}

/// `SELECT <COLUMNS>, <KEPT> FROM cases`: every case read whole.
pub(super) fn select_case() -> &'static str {
    static SQL: OnceLock<String> = OnceLock::new();
    made(&SQL, || {
        format!(
            "SELECT {}, {} FROM cases",
            COLUMNS.join(", "),
            KEPT.join(", ")
        )
    })
}

/// One case by its CRN.
pub(super) fn select_by_crn() -> &'static str {
    static SQL: OnceLock<String> = OnceLock::new();
    made(&SQL, || format!("{} WHERE crn = ?1", select_case()))
}

/// One case by its CRN with its marks (`read_marks` from `MARKS_AT`): what an import merges
/// against and an edit marks.
pub(super) fn select_marked_by_crn() -> &'static str {
    static SQL: OnceLock<String> = OnceLock::new();
    made(&SQL, || {
        format!(
            "SELECT {}, {}, imported_mask, planner_mask, planner_base FROM cases WHERE crn = ?1",
            COLUMNS.join(", "),
            KEPT.join(", ")
        )
    })
}

/// A whole new case: `?1` to `?N` the columns of `COLUMNS`, then the expected day, the write
/// time and the marks (`bind_case`).
pub(super) fn insert_case() -> &'static str {
    static SQL: OnceLock<String> = OnceLock::new();
    made(&SQL, || {
        let n = COLUMNS.len();
        let fields: Vec<String> = (1..=n).map(|p| format!("?{p}")).collect();
        format!(
            "INSERT INTO cases ({}, expected_day, version, created_at, updated_at, \
             imported_mask, planner_mask, planner_base) VALUES ({}, ?{}, 1, ?{}, ?{}, ?{}, ?{}, \
             ?{})",
            COLUMNS.join(", "),
            fields.join(", "),
            n + 1,
            n + 2,
            n + 2,
            n + 3,
            n + 4,
            n + 5
        )
    })
}

/// A whole case rewritten, with `insert_case`'s parameters; the version goes up by one.
pub(super) fn update_case() -> &'static str {
    static SQL: OnceLock<String> = OnceLock::new();
    made(&SQL, || {
        let n = COLUMNS.len();
        let sets: Vec<String> = (1..n)
            .map(|i| format!("{} = ?{}", COLUMNS[i], i + 1))
            .collect();
        format!(
            "UPDATE cases SET {}, expected_day = ?{}, version = version + 1, updated_at = ?{}, \
             imported_mask = ?{}, planner_mask = ?{}, planner_base = ?{} WHERE crn = ?1",
            sets.join(", "),
            n + 1,
            n + 2,
            n + 3,
            n + 4,
            n + 5
        )
    })
}

/// Runs `insert_case` or `update_case` with one case's values and marks, borrowed rather than
/// copied (the hot loop of a whole-case write).
pub(super) fn bind_case(
    st: &mut Statement<'_>,
    c: &Case,
    day: NaiveDate,
    now: &str,
    marks: &FieldMarks,
) -> Result<()> {
    let n = COLUMNS.len();
    for i in 0..n {
        st.raw_bind_parameter(i + 1, field(c, i))?;
    }
    st.raw_bind_parameter(n + 1, SqlCell::Day(DayText::new(day)))?;
    st.raw_bind_parameter(n + 2, now)?;
    st.raw_bind_parameter(n + 3, marks.imported as i64)?;
    st.raw_bind_parameter(n + 4, marks.planner as i64)?;
    st.raw_bind_parameter(n + 5, base_text(marks))?;
    st.raw_execute()?;
    Ok(())
}

/// One field of a case as SQLite is given it, borrowed (a day formatted on the stack).
#[derive(PartialEq)]
pub(super) enum SqlCell<'a> {
    Null,
    Int(i64),
    Text(&'a str),
    Day(DayText),
}

impl ToSql for SqlCell<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self {
            SqlCell::Null => ValueRef::Null,
            SqlCell::Int(i) => ValueRef::Integer(*i),
            SqlCell::Text(s) => ValueRef::Text(s.as_bytes()),
            SqlCell::Day(d) => ValueRef::Text(&d.0),
        }))
    }
}

/// The value of `COLUMNS[i]` of `c`, as stored.
pub(super) fn field(c: &Case, i: usize) -> SqlCell<'_> {
    match i.checked_sub(1) {
        None => SqlCell::Text(c.crn.as_str()),
        Some(f) => match Field::ALL[f].cell(c) {
            None => SqlCell::Null,
            Some(Cell::Text(s)) => SqlCell::Text(s),
            Some(Cell::Date(d)) => SqlCell::Day(DayText::new(d)),
            Some(Cell::Int(n)) => SqlCell::Int(n),
            Some(Cell::Bool(b)) => SqlCell::Int(i64::from(b)),
        },
    }
}

/// A date as `YYYY-MM-DD`, formatted on the stack and bound without allocating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// A check-in time as stored: local time, to the millisecond or finer where it is not whole.
pub(super) fn time_text(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.f").to_string()
}

pub(super) fn corrupt(column: &'static str) -> StoreError {
    StoreError::Corrupt { column }
}

/// Column `i` as text borrowed from the row; NULL is `None`; anything but UTF-8 text is damage.
pub(super) fn opt_str<'r>(
    row: &'r Row<'_>,
    i: usize,
    column: &'static str,
) -> Result<Option<&'r str>> {
    match row.get_ref(i)? {
        ValueRef::Null => Ok(None),
        ValueRef::Text(b) => std::str::from_utf8(b)
            .map(Some)
            .map_err(|_| corrupt(column)),
        _ => Err(corrupt(column)),
    }
}

pub(super) fn req_str<'r>(row: &'r Row<'_>, i: usize, column: &'static str) -> Result<&'r str> {
    opt_str(row, i, column)?.ok_or(corrupt(column))
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

/// A day column that is never NULL.
pub(super) fn req_day(row: &Row<'_>, i: usize, column: &'static str) -> Result<NaiveDate> {
    parse_day(req_str(row, i, column)?).ok_or(corrupt(column))
}

/// A check-in time column (`time_text`).
pub(super) fn opt_time(
    row: &Row<'_>,
    i: usize,
    column: &'static str,
) -> Result<Option<NaiveDateTime>> {
    opt_str(row, i, column)?
        .map(|s| {
            NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").map_err(|_| corrupt(column))
        })
        .transpose()
}

/// Column `i`, holding field `f`, as the field table reads it: by the field's kind.
fn cell_at<'r>(row: &'r Row<'_>, i: usize, f: Field) -> Result<Option<Cell<'r>>> {
    let column = f.column();
    let bad = || corrupt(column);
    Ok(match (f.kind(), row.get_ref(i)?) {
        (_, ValueRef::Null) => None,
        (Kind::Text, _) => opt_str(row, i, column)?.map(Cell::Text),
        (Kind::Date, _) => Some(Cell::Date(
            opt_str(row, i, column)?
                .and_then(parse_day)
                .ok_or_else(bad)?,
        )),
        (Kind::Integer, ValueRef::Integer(n)) => Some(Cell::Int(n)),
        (Kind::YesNo, ValueRef::Integer(0)) => Some(Cell::Bool(false)),
        (Kind::YesNo, ValueRef::Integer(1)) => Some(Cell::Bool(true)),
        (Kind::Integer | Kind::YesNo, _) => return Err(bad()),
    })
}

/// Column `i`, holding field `f`, as a value of the field's type (`None`: NULL).
pub(super) fn read_field<T: FieldValue>(row: &Row<'_>, i: usize, f: Field) -> Result<Option<T>> {
    cell_at(row, i, f)?
        .map(|cell| T::from_cell(cell).ok_or(corrupt(f.column())))
        .transpose()
}

/// One whole-case `SELECT` row back to a `StoredCase`; a bad value is an error naming its
/// column.
pub(super) fn read_case(row: &Row<'_>) -> Result<StoredCase> {
    let crn = req_str(row, 0, "crn")?
        .parse()
        .map_err(|_| corrupt("crn"))?;
    let case = Case::from_cells(crn, |f| cell_at(row, f.index(), f), |f| corrupt(f.column()))?;
    Ok(StoredCase {
        case,
        expected_day: req_day(row, KEPT_AT, "expected_day")?,
        reported_at: opt_time(row, KEPT_AT + 1, "reported_at")?,
        version: match row.get_ref(KEPT_AT + 2)? {
            ValueRef::Integer(v) => v,
            _ => return Err(corrupt("version")),
        },
        updated_at: req_str(row, KEPT_AT + 3, "updated_at")?.to_string(),
    })
}

/// The marks from columns `at` (imported_mask), `at + 1` (planner_mask), `at + 2`
/// (planner_base). A value that is not what is written is damage.
pub(super) fn read_marks(row: &Row<'_>, at: usize) -> Result<FieldMarks> {
    let mask = |i: usize, column: &'static str| -> Result<i64> {
        match row.get_ref(i)? {
            ValueRef::Integer(n) => Ok(n),
            _ => Err(corrupt(column)),
        }
    };
    let base = match row.get_ref(at + 2)? {
        ValueRef::Null => None,
        ValueRef::Text(b) => Some(b),
        _ => return Err(corrupt("planner_base")),
    };
    marks_from(
        mask(at, "imported_mask")?,
        mask(at + 1, "planner_mask")?,
        base,
    )
    .map_err(corrupt)
}

#[cfg(test)]
mod tests {
    use super::super::test_cases::{d, full_case};
    use super::super::SqliteStore;
    use super::*;

    #[test]
    fn stored_values_are_the_codes() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let mut c = full_case();
        c.rosh = "VERY_HIGH".parse().ok();
        c.friday_release = "2".parse().ok();
        store.upsert_case(&c, "t", d(2026, 12, 23)).unwrap();
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
    fn a_damaged_value_is_an_error_naming_its_column() {
        let mut store = SqliteStore::open_in_memory().unwrap();
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
                "UPDATE cases SET mappa = NULL, ap_required = 2",
                "ap_required",
            ),
            (
                "UPDATE cases SET ap_required = NULL, friday_release = 'maybe'",
                "friday_release",
            ),
            (
                "UPDATE cases SET friday_release = NULL, name = x'00ff'",
                "name",
            ),
            (
                "UPDATE cases SET name = 'A', accommodation = 'SOMEWHERE'",
                "accommodation",
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
    fn the_statements_name_every_column_once_in_order() {
        let select = select_case();
        assert!(select.starts_with("SELECT crn, name, noms, "), "{select}");
        assert!(select.ends_with(", expected_day, reported_at, version, updated_at FROM cases"));
        let insert = insert_case();
        let n = COLUMNS.len();
        assert!(
            insert.contains(&format!("?{n}, ?{}, 1, ?{}", n + 1, n + 2)),
            "{insert}"
        );
        let update = update_case();
        assert!(
            update.starts_with("UPDATE cases SET name = ?2, noms = ?3, "),
            "{update}"
        );
        assert!(update.ends_with("WHERE crn = ?1") && !update.contains("SET crn"));
        for f in Field::ALL {
            assert_eq!(
                select.matches(&format!(" {},", f.column())).count(),
                1,
                "{f:?}"
            );
        }
    }
}
