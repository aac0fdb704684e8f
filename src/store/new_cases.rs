//! Writing an import's new cases (issue 11 part 5: a first import of 100,000 cases within twice
//! the time of `sqlite3 .import` of the same file). What a new case costs, and why it is shaped
//! as it is; these are the choices to keep when the store changes shape:
//!
//! - **Order.** New cases go in by list order (expected day, name, CRN), the day index's order:
//!   that index grows at its end instead of being searched and split row by row, and the table's
//!   rows lie in the order lists read them. (Setting the indexes aside and building them again
//!   afterwards, as before, sorted every index key a second time: a third of the instructions.)
//! - **Columns.** The statement names only the columns some new case of this import has a value
//!   for, so a lean file's absent fields are neither bound nor copied: the rest take the schema's
//!   defaults (NULL; `version` 1, `planner_mask` 0). The write time is bound once.
//! - **Rows per statement.** `ROWS_PER_INSERT` cases per `INSERT … VALUES (…), (…)`: each run of
//!   a statement opens a cursor on the table and each index and closes them again.
//! - **History.** Each new case's "created" row is written by one `INSERT … SELECT` over the rows
//!   just added, in CRN order (the audit index's order), instead of one statement per case.

use super::audit::CREATED;
use super::cases::DayText;
use super::{Result, StoreError};
use crate::domain::case::{Case, FridayRelease, Noms, COLUMNS};
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{params, Connection, Statement, ToSql};

/// Cases per `INSERT` statement. Past about 16 the saving per case is small, and a statement's
/// parameters stay far under SQLite's limit (32,766) even with every column.
const ROWS_PER_INSERT: usize = 16;

/// Fields every new case has a value for: the key, the name and release date a new case needs,
/// and the two with a default (release type CRD, accommodation UNKNOWN).
const ALWAYS: u64 = 1 | 1 << 1 | 1 << 8 | 1 << 9 | 1 << 10;

/// One field of a case as the store writes it, borrowed (a date formatted on the stack).
pub(super) enum Cell<'a> {
    Null,
    Int(i64),
    Text(&'a str),
    Day(DayText),
}

impl ToSql for Cell<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self {
            Cell::Null => ValueRef::Null,
            Cell::Int(i) => ValueRef::Integer(*i),
            Cell::Text(s) => ValueRef::Text(s.as_bytes()),
            Cell::Day(d) => return d.to_sql(),
        }))
    }
}

/// Field `i` of `COLUMNS` of `c`, as stored (the values `cases::bind_case` binds).
pub(super) fn field(c: &Case, i: usize) -> Cell<'_> {
    fn text(s: Option<&str>) -> Cell<'_> {
        s.map_or(Cell::Null, Cell::Text)
    }
    fn day(d: Option<chrono::NaiveDate>) -> Cell<'static> {
        d.map_or(Cell::Null, |d| Cell::Day(DayText::new(d)))
    }
    match i {
        0 => Cell::Text(c.crn.as_str()),
        1 => Cell::Text(&c.name),
        2 => text(c.noms.as_ref().map(Noms::as_str)),
        3 => text(c.prison.as_deref()),
        4 => text(c.officer.as_deref()),
        5 => text(c.team.as_deref()),
        6 => text(c.rosh.map(|v| v.as_str())),
        7 => c.mappa.map_or(Cell::Null, |m| Cell::Int(m.into())),
        8 => Cell::Day(DayText::new(c.release_date)),
        9 => Cell::Text(c.release_type.as_str()),
        10 => Cell::Text(c.accommodation.as_str()),
        11 => text(c.dtr.map(|v| v.as_str())),
        12 => day(c.dtr_date),
        13 => text(c.crs.map(|v| v.as_str())),
        14 => text(c.cas3.map(|v| v.as_str())),
        15 => text(c.ap.map(|v| v.as_str())),
        16 => c.ap_required.map_or(Cell::Null, |b| Cell::Int(b.into())),
        17 => text(c.cas2.map(|v| v.as_str())),
        18 => text(c.friday_release.map(FridayRelease::as_str)),
        19 => day(c.confirmed_day),
        20 => text(c.notes.as_deref()),
        21 => day(c.crs_date),
        22 => day(c.cas3_date),
        23 => day(c.ap_date),
        24 => day(c.cas2_date),
        _ => Cell::Null,
    }
}

/// One new case to write: its expected day and the fields its import set (`imported_mask`).
pub(super) struct NewCase<'p> {
    pub case: &'p Case,
    pub day: chrono::NaiveDate,
    pub imported: u64,
}

/// Inserts `cases` (in list order: the caller need not sort them) written at `now`, and one
/// "created" audit row for each, by `who` from `source`. A case already stored (by someone else
/// since the import was planned) fails the whole write with `StoreError::Conflict`.
pub(super) fn insert(
    conn: &Connection,
    mut cases: Vec<NewCase<'_>>,
    now: &str,
    who: &str,
    source: Option<&str>,
) -> Result<()> {
    if cases.is_empty() {
        return Ok(());
    }
    cases.sort_unstable_by(|a, b| {
        (a.day, &a.case.name, &a.case.crn).cmp(&(b.day, &b.case.name, &b.case.crn))
    });
    // Rowids are handed out above the largest: the cases added below are those above this one.
    let last: i64 = conn.query_row("SELECT COALESCE(MAX(rowid), 0) FROM cases", [], |r| {
        r.get(0)
    })?;
    let mask = cases.iter().fold(ALWAYS, |m, c| m | c.imported);
    let fields: Vec<usize> = (0..COLUMNS.len())
        .filter(|i| mask & (1 << i) != 0)
        .collect();
    let chunks = cases.chunks_exact(ROWS_PER_INSERT);
    let rest = chunks.remainder();
    if chunks.len() > 0 {
        let mut many = Insert::new(conn, &fields, ROWS_PER_INSERT, now)?;
        for chunk in chunks {
            many.run(chunk)?;
        }
    }
    if !rest.is_empty() {
        let mut one = Insert::new(conn, &fields, 1, now)?;
        for case in rest {
            one.run(std::slice::from_ref(case))?;
        }
    }
    conn.execute(
        "INSERT INTO audit (at, who, crn, field, source) \
         SELECT ?1, ?2, crn, ?3, ?4 FROM cases WHERE rowid > ?5 ORDER BY crn",
        params![now, who, CREATED, source, last],
    )?;
    Ok(())
}

/// An `INSERT` of `rows` new cases at a time, with the columns `fields` (indexes into `COLUMNS`)
/// and the expected day, marks and write times.
struct Insert<'c> {
    st: Statement<'c>,
    fields: &'c [usize],
}

impl<'c> Insert<'c> {
    fn new(conn: &'c Connection, fields: &'c [usize], rows: usize, now: &str) -> Result<Self> {
        let names: Vec<&str> = fields.iter().map(|&i| COLUMNS[i]).collect();
        // Parameter ?1 is the write time; each row's own follow it, `per_row` at a time.
        let per_row = fields.len() + 2;
        let row = |r: usize| {
            let first = 2 + r * per_row;
            let own: Vec<String> = (first..first + per_row).map(|p| format!("?{p}")).collect();
            format!("({}, ?1, ?1)", own.join(", "))
        };
        let sql = format!(
            "INSERT OR ROLLBACK INTO cases ({}, expected_day, imported_mask, created_at, \
             updated_at) VALUES {}",
            names.join(", "),
            (0..rows).map(row).collect::<Vec<_>>().join(", ")
        );
        let mut st = conn.prepare(&sql)?;
        // SQLite keeps a binding from one run of a statement to the next.
        st.raw_bind_parameter(1, now)?;
        Ok(Insert { st, fields })
    }

    fn run(&mut self, cases: &[NewCase<'_>]) -> Result<()> {
        let mut p = 2;
        for c in cases {
            for &i in self.fields {
                self.st.raw_bind_parameter(p, field(c.case, i))?;
                p += 1;
            }
            self.st.raw_bind_parameter(p, DayText::new(c.day))?;
            self.st.raw_bind_parameter(p + 1, c.imported as i64)?;
            p += 2;
        }
        self.st.raw_execute().map_err(|e| {
            if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) {
                StoreError::Conflict
            } else {
                e.into()
            }
        })?;
        Ok(())
    }
}
