//! The field table's fields as the team database's columns (row coding), made from `COLUMNS`
//! and each field's `Kind` as the SQLite engine's are: a new field is its line in the table and
//! a migration adding its column, and nothing here changes. A field is bound as its column's
//! type wants it (text; a `date`; a `smallint` or wider integer; a `boolean`) and read back
//! through the field table, where a value that is not one is a damaged column, named.
//!
//! In a whole-case `SELECT` (`select_case`) field `f` is column `f.index()` and the CRN column
//! 0, as in `COLUMNS`; then `KEPT`, then (`select_marked`) the marks from `MARKS_AT`.

use super::failure::corrupt;
use crate::domain::case::{Case, COLUMNS};
use crate::domain::fields::{Cell, Field, Kind};
use crate::domain::marks::FieldMarks;
use crate::store::marks::marks_from;
use crate::store::{Result, StoredCase};
use ::postgres::types::{to_sql_checked, IsNull, ToSql, Type};
use ::postgres::Row;
use chrono::{NaiveDate, NaiveDateTime};
use std::sync::OnceLock;

/// List order: by expected day, then name, then CRN (the day index's order).
pub(super) const ORDER: &str = "ORDER BY expected_day, name, crn";

/// A `timestamptz` column as the SQLite file keeps times: RFC 3339 UTC to the second.
pub(super) fn utc_text(column: &str) -> String {
    format!("to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')")
}

/// The column of `expected_day` in a whole-case `SELECT`, then `reported_at`, `version` and
/// `updated_at` after it.
const KEPT_AT: usize = COLUMNS.len();

/// Where the marks (imported_mask, planner_mask, planner_base) start in `select_marked`.
pub(super) const MARKS_AT: usize = KEPT_AT + 4;

fn made(cell: &'static OnceLock<String>, make: impl FnOnce() -> String) -> &'static str {
    cell.get_or_init(make)
}

/// `SELECT <COLUMNS>, expected_day, reported_at, version, updated_at FROM cases`.
pub(super) fn select_case() -> &'static str {
    static SQL: OnceLock<String> = OnceLock::new();
    made(&SQL, || {
        format!(
            "SELECT {}, expected_day, reported_at, version, {} FROM cases",
            COLUMNS.join(", "),
            utc_text("updated_at")
        )
    })
}

/// `select_case` with the marks after, for one CRN (`$1`).
pub(super) fn select_marked() -> &'static str {
    static SQL: OnceLock<String> = OnceLock::new();
    made(&SQL, || {
        format!(
            "SELECT {}, expected_day, reported_at, version, {}, imported_mask, planner_mask, \
             planner_base FROM cases",
            COLUMNS.join(", "),
            utc_text("updated_at")
        )
    })
}

/// Every case column a write sets: the fields, the expected day and the marks. (The version,
/// times and check-in are the database's or their own statements'.)
pub(super) fn written_columns() -> impl Iterator<Item = &'static str> {
    COLUMNS.iter().copied().chain([
        "expected_day",
        "imported_mask",
        "planner_mask",
        "planner_base",
    ])
}

/// How many values a written row binds (`written_columns`).
pub(super) const WRITTEN: usize = COLUMNS.len() + 4;

/// `INSERT INTO cases (<written_columns>) VALUES (…), (…)` for `rows` rows.
pub(super) fn insert_rows(rows: usize) -> String {
    let columns: Vec<&str> = written_columns().collect();
    let values: Vec<String> = (0..rows)
        .map(|r| {
            let p: Vec<String> = (1..=WRITTEN)
                .map(|i| format!("${}", r * WRITTEN + i))
                .collect();
            format!("({})", p.join(", "))
        })
        .collect();
    format!(
        "INSERT INTO cases ({}) VALUES {}",
        columns.join(", "),
        values.join(", ")
    )
}

/// `UPDATE cases SET <written_columns but crn> … WHERE crn = $1` with `insert_rows(1)`'s
/// parameters, and `AND version = $N` where `versioned` (N = `WRITTEN + 1`). Returns the
/// version after.
pub(super) fn update_case(versioned: bool) -> &'static str {
    static PLAIN: OnceLock<String> = OnceLock::new();
    static CHECKED: OnceLock<String> = OnceLock::new();
    let make = |versioned: bool| {
        let sets: Vec<String> = written_columns()
            .enumerate()
            .skip(1)
            .map(|(i, c)| format!("{c} = ${}", i + 1))
            .collect();
        let check = if versioned {
            format!(" AND version = ${}", WRITTEN + 1)
        } else {
            String::new()
        };
        format!(
            "UPDATE cases SET {} WHERE crn = $1{check} RETURNING version",
            sets.join(", ")
        )
    };
    if versioned {
        made(&CHECKED, || make(true))
    } else {
        made(&PLAIN, || make(false))
    }
}

/// One case's written values, in `written_columns` order.
pub(super) fn written_values<'a>(
    c: &'a Case,
    day: NaiveDate,
    marks: &'a FieldMarks,
    base: &'a Option<String>,
) -> impl Iterator<Item = PgCell<'a>> {
    (0..COLUMNS.len()).map(move |i| field(c, i)).chain([
        PgCell::Date(day),
        PgCell::Int(marks.imported as i64),
        PgCell::Int(marks.planner as i64),
        base.as_deref().map_or(PgCell::Null, PgCell::Text),
    ])
}

/// One value as the server is given it, borrowed: its variant is the field's `Kind`, and it
/// is encoded as the column's own type wants (an integer as `smallint`, `integer` or `bigint`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum PgCell<'a> {
    Null,
    Text(&'a str),
    Date(NaiveDate),
    Int(i64),
    Bool(bool),
}

impl ToSql for PgCell<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            PgCell::Null => Ok(IsNull::Yes),
            PgCell::Text(s) => s.to_sql(ty, out),
            PgCell::Date(d) => d.to_sql(ty, out),
            PgCell::Bool(b) => b.to_sql(ty, out),
            PgCell::Int(n) => match *ty {
                Type::INT2 => i16::try_from(*n)?.to_sql(ty, out),
                Type::INT4 => i32::try_from(*n)?.to_sql(ty, out),
                _ => n.to_sql(ty, out),
            },
        }
    }

    fn accepts(_: &Type) -> bool {
        // Each variant's own `to_sql` checks the type it is given.
        true
    }

    to_sql_checked!();
}

/// The value of `COLUMNS[i]` of `c`, as bound.
pub(super) fn field(c: &Case, i: usize) -> PgCell<'_> {
    match i.checked_sub(1) {
        None => PgCell::Text(c.crn.as_str()),
        Some(f) => match Field::ALL[f].cell(c) {
            None => PgCell::Null,
            Some(Cell::Text(s)) => PgCell::Text(s),
            Some(Cell::Date(d)) => PgCell::Date(d),
            Some(Cell::Int(n)) => PgCell::Int(n),
            Some(Cell::Bool(b)) => PgCell::Bool(b),
        },
    }
}

/// Column `i`, holding field `f`, as the field table reads it: by the field's kind.
fn cell_at<'r>(row: &'r Row, i: usize, f: Field) -> Result<Option<Cell<'r>>> {
    let bad = || corrupt(f.column());
    Ok(match f.kind() {
        Kind::Text => row
            .try_get::<_, Option<&str>>(i)
            .map_err(|_| bad())?
            .map(Cell::Text),
        Kind::Date => row
            .try_get::<_, Option<NaiveDate>>(i)
            .map_err(|_| bad())?
            .map(Cell::Date),
        Kind::YesNo => row
            .try_get::<_, Option<bool>>(i)
            .map_err(|_| bad())?
            .map(Cell::Bool),
        Kind::Integer => int_at(row, i).map_err(|_| bad())?.map(Cell::Int),
    })
}

/// An integer column of any width.
fn int_at(row: &Row, i: usize) -> std::result::Result<Option<i64>, ::postgres::Error> {
    Ok(match *row.columns()[i].type_() {
        Type::INT2 => row.try_get::<_, Option<i16>>(i)?.map(i64::from),
        Type::INT4 => row.try_get::<_, Option<i32>>(i)?.map(i64::from),
        _ => row.try_get::<_, Option<i64>>(i)?,
    })
}

pub(super) fn req_str<'r>(row: &'r Row, i: usize, column: &'static str) -> Result<&'r str> {
    row.try_get::<_, &str>(i).map_err(|_| corrupt(column))
}

pub(super) fn opt_str(row: &Row, i: usize, column: &'static str) -> Result<Option<String>> {
    row.try_get::<_, Option<String>>(i)
        .map_err(|_| corrupt(column))
}

pub(super) fn req_day(row: &Row, i: usize, column: &'static str) -> Result<NaiveDate> {
    row.try_get::<_, NaiveDate>(i).map_err(|_| corrupt(column))
}

pub(super) fn opt_time(row: &Row, i: usize, column: &'static str) -> Result<Option<NaiveDateTime>> {
    row.try_get::<_, Option<NaiveDateTime>>(i)
        .map_err(|_| corrupt(column))
}

/// One whole-case `SELECT` row back to a `StoredCase`.
pub(super) fn read_case(row: &Row) -> Result<StoredCase> {
    let crn = req_str(row, 0, "crn")?
        .parse()
        .map_err(|_| corrupt("crn"))?;
    let case = Case::from_cells(crn, |f| cell_at(row, f.index(), f), |f| corrupt(f.column()))?;
    Ok(StoredCase {
        case,
        expected_day: req_day(row, KEPT_AT, "expected_day")?,
        reported_at: opt_time(row, KEPT_AT + 1, "reported_at")?,
        version: row
            .try_get::<_, i64>(KEPT_AT + 2)
            .map_err(|_| corrupt("version"))?,
        updated_at: req_str(row, KEPT_AT + 3, "updated_at")?.to_string(),
    })
}

/// The marks from columns `at` to `at + 2` (imported_mask, planner_mask, planner_base).
pub(super) fn read_marks(row: &Row, at: usize) -> Result<FieldMarks> {
    let mask = |i: usize, column: &'static str| -> Result<i64> {
        row.try_get::<_, i64>(i).map_err(|_| corrupt(column))
    };
    let base = row
        .try_get::<_, Option<&str>>(at + 2)
        .map_err(|_| corrupt("planner_base"))?;
    marks_from(
        mask(at, "imported_mask")?,
        mask(at + 1, "planner_mask")?,
        base.map(str::as_bytes),
    )
    .map_err(corrupt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_statements_name_every_column_once_in_order() {
        let select = select_case();
        assert!(select.starts_with("SELECT crn, name, noms, "), "{select}");
        for f in Field::ALL {
            assert_eq!(
                select.matches(&format!(" {},", f.column())).count(),
                1,
                "{f:?}"
            );
        }
        let insert = insert_rows(2);
        assert!(insert.contains(&format!("(${}, ", WRITTEN + 1)), "{insert}");
        assert!(insert.ends_with(&format!("${})", 2 * WRITTEN)), "{insert}");
        let update = update_case(true);
        assert!(
            update.starts_with("UPDATE cases SET name = $2, "),
            "{update}"
        );
        assert!(update.ends_with(&format!(
            "WHERE crn = $1 AND version = ${} RETURNING version",
            WRITTEN + 1
        )));
        assert!(!update.contains("SET crn"));
    }
}
