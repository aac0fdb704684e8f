//! Reading cases: one by its CRN (with its marks), counts, and the light read of what the
//! accommodation rules need. Windows of cases are read a case at a time (`stream.rs`).
//!
//! `expected_day` is stored beside each case so lists by day are an index range scan; it is
//! worked out by the caller's rules (domain) and rewritten by `recompute_expected` when the
//! calendar or policy changes. The store never decides a release day itself.

use super::columns::{
    corrupt, day_text, parse_day, read_case, read_field, read_marks, req_day, select_by_crn,
    select_marked_by_crn, MARKS_AT,
};
use super::{Result, SqliteStore};
use crate::domain::case::{Crn, Housing};
use crate::domain::fields::Field;
use crate::domain::marks::FieldMarks;
use crate::store::StoredCase;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};

impl SqliteStore {
    pub fn case_count(&self) -> Result<usize> {
        let n: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM cases", [], |r| r.get(0))?;
        Ok(n as usize)
    }

    /// Changes when another connection (another officer, an import) commits: two reads with
    /// the same value in between saw the same data.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    pub fn get(&self, crn: &Crn) -> Result<Option<StoredCase>> {
        get_case(&self.conn, crn)
    }

    /// What imports set of a case and what the planner changed since (DOMAIN.md §5).
    pub fn marks(&self, crn: &Crn) -> Result<Option<FieldMarks>> {
        let mut st = self.conn.prepare_cached(select_marked_by_crn())?;
        Ok(find_marked(&mut st, crn)?.map(|(_, marks)| marks))
    }

    /// The expected day of the case `n` places on from the first expected on `from` or later
    /// (in list order), or `None` when there are not that many. Reads the day index only.
    pub fn nth_expected_day_from(&self, from: NaiveDate, n: usize) -> Result<Option<NaiveDate>> {
        let day: Option<String> = self
            .conn
            .prepare_cached(
                "SELECT expected_day FROM cases WHERE expected_day >= ?1 \
                 ORDER BY expected_day LIMIT 1 OFFSET ?2",
            )?
            .query_row(params![day_text(from), n as i64], |r| r.get(0))
            .optional()?;
        day.map(|d| parse_day(&d).ok_or(corrupt("expected_day")))
            .transpose()
    }

    /// The expected day and accommodation fields of every case expected after `after`:
    /// what counting releases and who has nowhere to go needs, without whole cases.
    /// A scan in file order, as `cases_expected_after_unordered`.
    pub fn housing_after(&self, after: NaiveDate) -> Result<Vec<(NaiveDate, Housing)>> {
        let mut st = self.conn.prepare_cached(
            "SELECT expected_day, accommodation, ap, cas3, cas2 FROM cases \
             WHERE +expected_day > ?1",
        )?;
        let rows = st.query_and_then(params![day_text(after)], |row| {
            Ok((req_day(row, 0, "expected_day")?, read_housing(row)?))
        })?;
        rows.collect()
    }
}

/// The accommodation fields from columns 1 to 4 (`accommodation, ap, cas3, cas2`) of a light
/// read: what the accommodation rules of §3 need.
pub(super) fn read_housing(row: &Row<'_>) -> Result<Housing> {
    Ok(Housing {
        accommodation: read_field(row, 1, Field::Accommodation)?.ok_or(corrupt("accommodation"))?,
        ap: read_field(row, 2, Field::Ap)?,
        cas3: read_field(row, 3, Field::Cas3)?,
        cas2: read_field(row, 4, Field::Cas2)?,
    })
}

pub(super) fn exists(conn: &Connection, crn: &Crn) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM cases WHERE crn = ?1")?
        .query_row([crn.as_str()], |_| Ok(()))
        .optional()?
        .is_some())
}

pub(super) fn get_case(conn: &Connection, crn: &Crn) -> Result<Option<StoredCase>> {
    let mut st = conn.prepare_cached(select_by_crn())?;
    find_case(&mut st, crn)
}

/// One case through a prepared `select_by_crn`.
fn find_case(st: &mut rusqlite::Statement<'_>, crn: &Crn) -> Result<Option<StoredCase>> {
    st.query_and_then([crn.as_str()], read_case)?
        .next()
        .transpose()
}

/// One case and its marks through a prepared `select_marked_by_crn`.
pub(super) fn find_marked(
    st: &mut rusqlite::Statement<'_>,
    crn: &Crn,
) -> Result<Option<(StoredCase, FieldMarks)>> {
    st.query_and_then([crn.as_str()], |row| {
        Ok((read_case(row)?, read_marks(row, MARKS_AT)?))
    })?
    .next()
    .transpose()
}

pub(super) fn query_cases<P: rusqlite::Params>(
    conn: &Connection,
    sql: &str,
    p: P,
) -> Result<Vec<StoredCase>> {
    let mut st = conn.prepare_cached(sql)?;
    let rows = st.query_and_then(p, read_case)?;
    rows.collect()
}
