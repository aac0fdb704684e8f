//! Reading cases: one by its CRN (with its marks), windows of days streamed a case at a time,
//! counts, the light reads of housing and search keys. Row-level security answers for which
//! cases the role sees: every read here is of those alone.

use super::columns::{
    opt_str, opt_time, read_case, read_marks, req_day, req_str, select_case, select_marked,
    MARKS_AT, ORDER,
};
use super::failure::{corrupt, lost};
use super::PgStore;
use crate::domain::case::{Crn, Housing};
use crate::domain::fields::{Field, FieldValue};
use crate::domain::marks::FieldMarks;
use crate::store::{CaseKey, Cases, Result, StoreError, StoredCase};
use ::postgres::fallible_iterator::FallibleIterator;
use ::postgres::types::ToSql;
use ::postgres::{GenericClient, Row};
use chrono::NaiveDate;
use std::ops::ControlFlow;

/// The `WHERE … ORDER` of a streamed read and its parameters.
fn window(which: Cases) -> (String, Vec<NaiveDate>) {
    match which {
        Cases::Between(from, to) => (
            format!("WHERE expected_day BETWEEN $1 AND $2 {ORDER}"),
            vec![from, to],
        ),
        Cases::From(from) => (format!("WHERE expected_day >= $1 {ORDER}"), vec![from]),
        Cases::After(after) => ("WHERE expected_day > $1".into(), vec![after]),
        // A blank `ap_required` means no: `IS TRUE`, so NULL never drops an HDC case.
        Cases::MayFlag {
            from,
            near_to,
            ap_to,
        } => (
            "WHERE expected_day >= $1 AND (expected_day <= $2 \
             OR (ap_required IS TRUE AND expected_day <= $3) OR release_type = 'HDC' \
             OR officer IS NULL OR btrim(officer) = '')"
                .into(),
            vec![from, near_to, ap_to],
        ),
        Cases::All => (ORDER.into(), vec![]),
    }
}

/// One case and its marks by CRN, in `client`'s transaction or session.
pub(super) fn find_marked(
    client: &mut impl GenericClient,
    crn: &Crn,
    lock: bool,
) -> Result<Option<(StoredCase, FieldMarks)>> {
    let sql = format!(
        "{} WHERE crn = $1{}",
        select_marked(),
        if lock { " FOR UPDATE" } else { "" }
    );
    client
        .query_opt(&sql, &[&crn.as_str()])?
        .map(|row| Ok((read_case(&row)?, read_marks(&row, MARKS_AT)?)))
        .transpose()
}

/// One case by CRN.
pub(super) fn find(client: &mut impl GenericClient, crn: &Crn) -> Result<Option<StoredCase>> {
    let sql = format!("{} WHERE crn = $1", select_case());
    client
        .query_opt(&sql, &[&crn.as_str()])?
        .map(|row| read_case(&row))
        .transpose()
}

/// Streams the rows of `sql` to `each`. A connection lost after the first row was handed on is
/// `Unavailable` (not tried again: the caller has rows already).
fn stream(
    client: &mut impl GenericClient,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
    mut each: impl FnMut(&Row) -> Result<ControlFlow<()>>,
) -> Result<()> {
    let mut rows = client.query_raw(sql, params.iter().copied())?;
    let mut handed = false;
    loop {
        let row = match rows.next() {
            Ok(Some(row)) => row,
            Ok(None) => return Ok(()),
            Err(e) => {
                let e = StoreError::from(e);
                return Err(if handed && lost(&e) {
                    StoreError::Unavailable("the connection was lost during a read".into())
                } else {
                    e
                });
            }
        };
        handed = true;
        if each(&row)?.is_break() {
            return Ok(());
        }
    }
}

impl PgStore {
    pub(super) fn get(&self, crn: &Crn) -> Result<Option<StoredCase>> {
        self.with(|c| find(c, crn))
    }

    pub(super) fn marks(&self, crn: &Crn) -> Result<Option<FieldMarks>> {
        self.with(|c| Ok(find_marked(c, crn, false)?.map(|(_, m)| m)))
    }

    pub(super) fn case_count(&self) -> Result<usize> {
        self.with(|c| {
            let n: i64 = c.query_one("SELECT count(*) FROM cases", &[])?.get(0);
            Ok(n as usize)
        })
    }

    pub(super) fn count_expected_between(&self, from: NaiveDate, to: NaiveDate) -> Result<usize> {
        self.with(|c| {
            let n: i64 = c
                .query_one(
                    "SELECT count(*) FROM cases WHERE expected_day BETWEEN $1 AND $2",
                    &[&from, &to],
                )?
                .get(0);
            Ok(n as usize)
        })
    }

    pub(super) fn nth_expected_day_from(
        &self,
        from: NaiveDate,
        n: usize,
    ) -> Result<Option<NaiveDate>> {
        self.with(|c| {
            c.query_opt(
                "SELECT expected_day FROM cases WHERE expected_day >= $1 \
                 ORDER BY expected_day LIMIT 1 OFFSET $2",
                &[&from, &(n as i64)],
            )?
            .map(|r| req_day(&r, 0, "expected_day"))
            .transpose()
        })
    }

    pub(super) fn expected_extent(&self) -> Result<Option<(NaiveDate, NaiveDate)>> {
        self.with(|c| {
            let row = c.query_one(
                "SELECT min(expected_day), max(expected_day) FROM cases",
                &[],
            )?;
            let first: Option<NaiveDate> = row.get(0);
            let last: Option<NaiveDate> = row.get(1);
            Ok(first.zip(last))
        })
    }

    /// Hands every case `which` names to `each`, one at a time.
    pub(super) fn each_case(
        &self,
        which: Cases,
        each: &mut dyn FnMut(StoredCase) -> ControlFlow<()>,
    ) -> Result<()> {
        let (tail, days) = window(which);
        let sql = format!("{} {tail}", select_case());
        let params: Vec<&(dyn ToSql + Sync)> =
            days.iter().map(|d| d as &(dyn ToSql + Sync)).collect();
        self.with(|c| stream(c, &sql, &params, |row| Ok(each(read_case(row)?))))
    }

    /// The expected day and accommodation fields of every case `which` names.
    pub(super) fn each_housing(
        &self,
        which: Cases,
        each: &mut dyn FnMut(NaiveDate, Housing),
    ) -> Result<()> {
        let (tail, days) = window(which);
        let sql = format!(
            "SELECT expected_day, accommodation, ap, cas3, cas2 FROM cases {}",
            tail.split(" ORDER BY").next().unwrap_or_default()
        );
        let params: Vec<&(dyn ToSql + Sync)> =
            days.iter().map(|d| d as &(dyn ToSql + Sync)).collect();
        self.with(|c| {
            stream(c, &sql, &params, |row| {
                each(req_day(row, 0, "expected_day")?, read_housing(row)?);
                Ok(ControlFlow::Continue(()))
            })
        })
    }

    pub(super) fn case_keys_before(&self, day: NaiveDate) -> Result<Vec<CaseKey>> {
        self.with(|c| {
            let rows = c.query(
                "SELECT crn, name, noms, expected_day, reported_at FROM cases \
                 WHERE expected_day < $1 ORDER BY expected_day DESC, name, crn",
                &[&day],
            )?;
            rows.iter()
                .map(|row| {
                    Ok(CaseKey {
                        crn: req_str(row, 0, "crn")?
                            .parse()
                            .map_err(|_| corrupt("crn"))?,
                        name: req_str(row, 1, "name")?.to_string(),
                        noms: opt_str(row, 2, "noms")?,
                        expected_day: req_day(row, 3, "expected_day")?,
                        reported_at: opt_time(row, 4, "reported_at")?,
                    })
                })
                .collect()
        })
    }
}

/// A code column of a light read, through the field table's parser.
fn code<T: FieldValue>(row: &Row, i: usize, f: Field) -> Result<Option<T>> {
    opt_str(row, i, f.column())?
        .map(|s| T::parse(&s).map_err(|_| corrupt(f.column())))
        .transpose()
}

/// Columns 1 to 4 (`accommodation, ap, cas3, cas2`) of a light read.
fn read_housing(row: &Row) -> Result<Housing> {
    Ok(Housing {
        accommodation: code(row, 1, Field::Accommodation)?.ok_or(corrupt("accommodation"))?,
        ap: code(row, 2, Field::Ap)?,
        cas3: code(row, 3, Field::Cas3)?,
        cas2: code(row, 4, Field::Cas2)?,
    })
}
