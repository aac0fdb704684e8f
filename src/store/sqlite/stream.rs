//! Reads for output written as it is read: each case handed to the caller one at a time, in list
//! order, instead of a `Vec` of the whole window (at 100,000 cases a year's list held 60 MB of
//! cases before a line was printed). Also the light reads the cluster rules need: releases per
//! day from a few columns, the caseload's extent, and when anything last changed.

use super::columns::{corrupt, day_text, parse_day, read_case, req_day, select_case, ORDER};
use super::reads::read_housing;
use super::{now_utc, Result, SqliteStore, StoreError};
use crate::domain::case::Housing;
use crate::store::StoredCase;
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, Params};

/// Meta key: when the stored expected days were last worked out again (a calendar or Friday
/// policy change moves days without writing the cases themselves).
const EXPECTED_DAYS_AT: &str = "expected_days_redone_at";

impl SqliteStore {
    /// Calls `each` with every case whose stored expected day is in `[from, to]`, by expected
    /// day, then name, then CRN (the index's order: nothing is sorted in memory). Stops at the
    /// first error `each` returns.
    pub fn each_case_expected_between<E: From<StoreError>>(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        each: impl FnMut(StoredCase) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        self.each_case_of(
            &format!(
                "{} WHERE expected_day BETWEEN ?1 AND ?2 {ORDER}",
                select_case()
            ),
            params![day_text(from), day_text(to)],
            each,
        )
    }

    /// Every case expected after `after`, in no order (as `cases_expected_after_unordered`).
    pub fn each_case_expected_after_unordered<E: From<StoreError>>(
        &self,
        after: NaiveDate,
        each: impl FnMut(StoredCase) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        self.each_case_of(
            &format!("{} WHERE +expected_day > ?1", select_case()),
            params![day_text(after)],
            each,
        )
    }

    /// Every case, in the same order.
    pub fn each_case<E: From<StoreError>>(
        &self,
        each: impl FnMut(StoredCase) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        self.each_case_of(&format!("{} {ORDER}", select_case()), [], each)
    }

    /// The cases that can carry a gap flag on `from` (as `cases_that_may_flag`), one at a
    /// time, in no particular order. A blank `ap_required` means no (DOMAIN.md §4): `IS 1`,
    /// not `= 1`, so SQL's NULL never drops an HDC case that is not on the AP route.
    pub fn each_case_that_may_flag<E: From<StoreError>>(
        &self,
        from: NaiveDate,
        near_to: NaiveDate,
        ap_to: NaiveDate,
        each: impl FnMut(StoredCase) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let select = select_case();
        let sql = format!(
            "{select} WHERE expected_day >= ?1 AND expected_day <= ?2 \
             UNION ALL {select} WHERE ap_required = 1 AND expected_day > ?2 \
                 AND expected_day <= ?3 \
             UNION ALL {select} WHERE release_type = 'HDC' AND expected_day > ?2 \
                 AND NOT (ap_required IS 1 AND expected_day <= ?3) \
             UNION ALL {select} WHERE (officer IS NULL OR trim(officer) = '') \
                 AND expected_day > ?2 AND release_type IS NOT 'HDC' \
                 AND NOT (ap_required IS 1 AND expected_day <= ?3)"
        );
        self.each_case_of(
            &sql,
            params![day_text(from), day_text(near_to), day_text(ap_to)],
            each,
        )
    }

    fn each_case_of<E: From<StoreError>>(
        &self,
        sql: &str,
        p: impl Params,
        mut each: impl FnMut(StoredCase) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let mut st = self.conn.prepare_cached(sql).map_err(StoreError::from)?;
        let rows = st.query_and_then(p, read_case).map_err(StoreError::from)?;
        for row in rows {
            each(row?)?;
        }
        Ok(())
    }

    /// How many cases are expected in `[from, to]` (the day index only).
    pub fn count_expected_between(&self, from: NaiveDate, to: NaiveDate) -> Result<usize> {
        let n: i64 = self
            .conn
            .prepare_cached("SELECT COUNT(*) FROM cases WHERE expected_day BETWEEN ?1 AND ?2")?
            .query_row(params![day_text(from), day_text(to)], |r| r.get(0))?;
        Ok(n as usize)
    }

    /// The expected day and accommodation fields of every case expected in `[from, to]`, one
    /// at a time: what counting releases per day needs, without whole cases.
    pub fn each_housing_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        mut each: impl FnMut(NaiveDate, Housing),
    ) -> Result<()> {
        // Through the day index for a window of a few weeks in a big caseload; for a window
        // holding much of the table, a scan in file order (`+expected_day`) costs about a
        // third as much as a lookup per row (the same choice as `housing_after`).
        let most = self.count_expected_between(from, to)? * 4 > self.case_count()?;
        let mut st = self.conn.prepare_cached(if most {
            "SELECT expected_day, accommodation, ap, cas3, cas2 FROM cases \
             WHERE +expected_day BETWEEN ?1 AND ?2"
        } else {
            "SELECT expected_day, accommodation, ap, cas3, cas2 FROM cases \
             WHERE expected_day BETWEEN ?1 AND ?2"
        })?;
        let mut rows = st.query(params![day_text(from), day_text(to)])?;
        while let Some(row) = rows.next()? {
            each(req_day(row, 0, "expected_day")?, read_housing(row)?);
        }
        Ok(())
    }

    /// The earliest and latest stored expected day, or `None` with no cases (two index reads).
    pub fn expected_extent(&self) -> Result<Option<(NaiveDate, NaiveDate)>> {
        let day = |sql: &str| -> Result<Option<NaiveDate>> {
            let text: Option<String> = self
                .conn
                .prepare_cached(sql)?
                .query_row([], |r| r.get(0))
                .optional()?
                .flatten();
            text.map(|t| parse_day(&t).ok_or(corrupt("expected_day")))
                .transpose()
        };
        let first = day("SELECT MIN(expected_day) FROM cases")?;
        let last = day("SELECT MAX(expected_day) FROM cases")?;
        Ok(first.zip(last))
    }

    /// Records that the stored expected days were just worked out again.
    pub fn note_expected_days_redone(&self) -> Result<()> {
        self.meta_set(EXPECTED_DAYS_AT, &now_utc())
    }

    /// When the stored expected days were last worked out again (RFC 3339 UTC), if ever.
    pub fn expected_days_redone_at(&self) -> Result<Option<String>> {
        self.meta_get(EXPECTED_DAYS_AT)
    }

    /// When the caseload last changed (RFC 3339 UTC): the latest audit row (every write of a
    /// case, an import, a check-in, a purge or a reseed writes one) or the last time the
    /// expected days were worked out again, whichever is later. `None` for a new database.
    pub fn last_change(&self) -> Result<Option<String>> {
        let audited: Option<String> = self
            .conn
            .prepare_cached("SELECT at FROM audit ORDER BY id DESC LIMIT 1")?
            .query_row([], |r| r.get(0))
            .optional()?;
        Ok(audited.max(self.expected_days_redone_at()?))
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_cases::{crn, d};
    use super::*;
    use crate::domain::case::{Case, ReleaseType};

    #[test]
    fn each_case_reads_in_list_order_and_stops_at_an_error() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        for (c, name, day) in [
            ("X000003", "Cy", d(2026, 12, 2)),
            ("X000001", "Bo", d(2026, 12, 1)),
            ("X000002", "Al", d(2026, 12, 1)),
        ] {
            store
                .upsert_case(&Case::new(crn(c), name, day), "t", day)
                .unwrap();
        }
        let mut seen = Vec::new();
        store
            .each_case_expected_between(d(2026, 12, 1), d(2026, 12, 2), |s| {
                seen.push(s.case.name);
                Ok::<(), StoreError>(())
            })
            .unwrap();
        assert_eq!(seen, ["Al", "Bo", "Cy"]);
        assert_eq!(
            store
                .count_expected_between(d(2026, 12, 1), d(2026, 12, 1))
                .unwrap(),
            2
        );
        let mut n = 0;
        let stopped = store.each_case(|_| {
            n += 1;
            Err(StoreError::NotFound)
        });
        assert!(matches!(stopped, Err(StoreError::NotFound)));
        assert_eq!(n, 1);
        assert_eq!(
            store.expected_extent().unwrap(),
            Some((d(2026, 12, 1), d(2026, 12, 2)))
        );
        assert!(store.last_change().unwrap().is_some());
    }

    /// An HDC case with `ap_required` left blank, due between the near window and the AP
    /// horizon: `NOT (NULL AND …)` is NULL in SQL, which dropped it from the worklist.
    #[test]
    fn a_blank_ap_required_never_hides_an_hdc_case() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let mut c = Case::new(crn("X000009"), "Hal", d(2027, 6, 1));
        c.release_type = ReleaseType::Hdc;
        store.upsert_case(&c, "t", d(2027, 6, 1)).unwrap();
        let mut n = 0;
        store
            .each_case_that_may_flag(d(2026, 11, 23), d(2027, 3, 1), d(2027, 11, 23), |_| {
                n += 1;
                Ok::<(), StoreError>(())
            })
            .unwrap();
        assert_eq!(n, 1);
    }
}
