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
//! - **Bindings.** SQLite copies every text it is given (into memory it allocates, freeing the
//!   last value's) and keeps a value bound from one run of a statement to the next, so a value
//!   equal to the one already bound in its place is not bound again: in list order the days, and
//!   often the codes, repeat from one row to the next.
//! - **History.** One audit row says the import created its new cases: when, by whom, from which
//!   file, how many; each case names it in `created_by`, and its history shows it as the case's
//!   "created" row (`SqliteStore::audit_for`). A row per case, even written by one `INSERT … SELECT`,
//!   was another table and index entry per case: 12% of a lean file's import.

use super::audit::CREATED;
use super::columns::{field, DayText, SqlCell as Cell};
use super::{Result, StoreError};
use crate::domain::case::{Case, COLUMNS};
use crate::domain::fields::Field;
use rusqlite::{params, Connection, Statement};

/// Cases per `INSERT` statement. Measured at 100,000 cases (callgrind): 1 → 3.08, 2 → 2.80,
/// 4 → 2.61, 8 → 2.51, 16 → 2.60, 32 → 2.64 billion instructions for the whole import. Past 8
/// the texts held bound at once outgrow SQLite's per-connection small allocations (lookaside),
/// and each bind goes to malloc. Far under SQLite's 32,766 parameters even with every column.
const ROWS_PER_INSERT: usize = 8;

/// Fields every new case has a value for: the key, and every field that is never blank (a
/// required field, or one with a default).
fn always() -> u64 {
    Field::ALL
        .into_iter()
        .filter(|f| !f.is_optional())
        .fold(1, |mask, f| mask | f.bit())
}

/// One new case to write: its expected day and the fields its import set (`imported_mask`).
pub(super) struct NewCase<'p> {
    pub case: &'p Case,
    pub day: chrono::NaiveDate,
    pub imported: u64,
    /// The name's first bytes as a number, for sorting (set by `insert`).
    pub head: u64,
}

/// Inserts `cases` (in list order: the caller need not sort them) written at `now`, and the
/// "created" audit row that stands for each, by `who` from `source`. A case already stored (by
/// someone else since the import was planned) fails the whole write with `StoreError::Conflict`.
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
    // List order. Most comparisons end at the day or the name's first eight bytes, taken once
    // as one number (big-endian, so it orders as the bytes do); only equal ones compare texts.
    for c in cases.iter_mut() {
        let mut b = [0u8; 8];
        let n = c.case.name.len().min(8);
        b[..n].copy_from_slice(&c.case.name.as_bytes()[..n]);
        c.head = u64::from_be_bytes(b);
    }
    cases.sort_unstable_by_key(|c| (c.day, c.head));
    for run in cases.chunk_by_mut(|a, b| (a.day, a.head) == (b.day, b.head)) {
        run.sort_unstable_by(|a, b| (&a.case.name, &a.case.crn).cmp(&(&b.case.name, &b.case.crn)));
    }
    let n = cases.len();
    conn.execute(
        "INSERT INTO audit (at, who, crn, field, new, source) VALUES (?1, ?2, NULL, ?3, ?4, ?5)",
        params![
            now,
            who,
            CREATED,
            format!("{n} case{}", if n == 1 { "" } else { "s" }),
            source
        ],
    )?;
    let created_by = conn.last_insert_rowid();
    let mask = cases.iter().fold(always(), |m, c| m | c.imported);
    let fields: Vec<usize> = (0..COLUMNS.len())
        .filter(|i| mask & (1 << i) != 0)
        .collect();
    let chunks = cases.chunks_exact(ROWS_PER_INSERT);
    let rest = chunks.remainder();
    if chunks.len() > 0 {
        let mut many = Insert::new(conn, &fields, ROWS_PER_INSERT, now, created_by)?;
        for chunk in chunks {
            many.run(chunk)?;
        }
    }
    if !rest.is_empty() {
        let mut one = Insert::new(conn, &fields, 1, now, created_by)?;
        for case in rest {
            one.run(std::slice::from_ref(case))?;
        }
    }
    Ok(())
}

/// An `INSERT` of `rows` new cases at a time, with the columns `fields` (indexes into `COLUMNS`)
/// and the expected day, marks, write times and the audit row that created them. `OR ROLLBACK`:
/// a case already stored ends the whole transaction at once, as the caller would, so SQLite
/// keeps no journal to undo one statement of several rows (that journal, written to a
/// temporary file page by page, cost more than the rows).
struct Insert<'c, 'p> {
    st: Statement<'c>,
    fields: &'c [usize],
    /// What each row parameter (?3 on) holds now: a fresh statement's are NULL.
    bound: Vec<Cell<'p>>,
}

impl<'c, 'p> Insert<'c, 'p> {
    fn new(
        conn: &'c Connection,
        fields: &'c [usize],
        rows: usize,
        now: &str,
        created_by: i64,
    ) -> Result<Self> {
        let names: Vec<&str> = fields.iter().map(|&i| COLUMNS[i]).collect();
        // ?1 is the write time and ?2 the audit row, for every row; each row's own values
        // follow, `per_row` at a time.
        let per_row = fields.len() + 2;
        let row = |r: usize| {
            let first = 3 + r * per_row;
            let own: Vec<String> = (first..first + per_row).map(|p| format!("?{p}")).collect();
            format!("({}, ?1, ?1, ?2)", own.join(", "))
        };
        let sql = format!(
            "INSERT OR ROLLBACK INTO cases ({}, expected_day, imported_mask, created_at, \
             updated_at, created_by) VALUES {}",
            names.join(", "),
            (0..rows).map(row).collect::<Vec<_>>().join(", ")
        );
        let mut st = conn.prepare(&sql)?;
        // SQLite keeps a binding from one run of a statement to the next.
        st.raw_bind_parameter(1, now)?;
        st.raw_bind_parameter(2, created_by)?;
        let bound = (0..rows * per_row).map(|_| Cell::Null).collect();
        Ok(Insert { st, fields, bound })
    }

    /// Binds `value` to row parameter `p` (from 3) unless that is what it holds already.
    fn bind(&mut self, p: usize, value: Cell<'p>) -> Result<()> {
        let held = &mut self.bound[p - 3];
        if *held != value {
            self.st.raw_bind_parameter(p, &value)?;
            *held = value;
        }
        Ok(())
    }

    fn run(&mut self, cases: &[NewCase<'p>]) -> Result<()> {
        let fields = self.fields;
        let mut p = 3;
        for c in cases {
            for &i in fields {
                self.bind(p, field(c.case, i))?;
                p += 1;
            }
            self.bind(p, Cell::Day(DayText::new(c.day)))?;
            self.bind(p + 1, Cell::Int(c.imported as i64))?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sqlite::test_cases::{crn, d, full_case};
    use crate::store::SqliteStore;

    /// `field` binds what `columns::bind_case` binds, field by field: a case written either way
    /// reads back the same. (An import names every field a new case has in its marks.)
    #[test]
    fn fields_are_bound_as_the_store_writes_them() {
        let full = full_case();
        let blank = Case::new(crn("X100002"), "Al", d(2027, 1, 4));
        for (case, imported) in [(&full, crate::domain::marks::ALL_FIELDS), (&blank, 0)] {
            let mut via_insert = SqliteStore::open_in_memory().unwrap();
            let tx = via_insert.conn.transaction().unwrap();
            let new = NewCase {
                case,
                day: d(2026, 12, 23),
                imported,
                head: 0,
            };
            insert(
                &tx,
                vec![new],
                "2026-11-01T09:00:00Z",
                "t",
                Some("import of x"),
            )
            .unwrap();
            tx.commit().unwrap();
            let mut via_upsert = SqliteStore::open_in_memory().unwrap();
            via_upsert.upsert_case(case, "t", d(2026, 12, 23)).unwrap();
            let a = via_insert.get(&case.crn).unwrap().unwrap();
            let b = via_upsert.get(&case.crn).unwrap().unwrap();
            assert_eq!(
                (&a.case, a.expected_day, a.version),
                (case, b.expected_day, 1)
            );
            assert_eq!(a.case, b.case);
        }
    }

    /// Eight cases to a statement and the rest one by one, in list order, each with its marks;
    /// a value bound in one run and left as it is in the next (a repeated day or code) is kept.
    #[test]
    fn many_cases_go_in_whole_in_list_order() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let cases: Vec<Case> = (0..21)
            .map(|i| {
                let mut c = Case::new(
                    crn(&format!("X{:06}", 100 + i)),
                    format!("N{}", 30 - i),
                    d(2027, 1, 4),
                );
                c.prison = (i % 3 == 0).then(|| "HMP Same".to_string());
                c
            })
            .collect();
        let news = cases
            .iter()
            .enumerate()
            .map(|(i, case)| NewCase {
                case,
                day: d(2027, 1, 1 + (i % 4) as u32),
                imported: 1 << (i % 20 + 1),
                head: 0,
            })
            .collect();
        let tx = store.conn.transaction().unwrap();
        insert(&tx, news, "2026-11-01T09:00:00Z", "t", None).unwrap();
        tx.commit().unwrap();
        let stored = store.all_cases().unwrap();
        assert_eq!(stored.len(), 21);
        for (i, case) in cases.iter().enumerate() {
            let s = store.get(&case.crn).unwrap().unwrap();
            assert_eq!(&s.case, case);
            assert_eq!(s.expected_day, d(2027, 1, 1 + (i % 4) as u32));
            let marks = store.marks(&case.crn).unwrap().unwrap();
            assert_eq!(marks.imported, 1 << (i % 20 + 1));
        }
        let rowids: Vec<String> = store
            .conn
            .prepare("SELECT crn FROM cases ORDER BY rowid")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        let listed: Vec<String> = stored.iter().map(|s| s.case.crn.to_string()).collect();
        assert_eq!(rowids, listed, "the table's rows lie in list order");
    }
}
