//! The lists one case at a time, for output written as it is made: a year's list at 100,000
//! cases is never held whole (the command line's peak memory stays flat however wide the
//! window). Also what the cluster rules read: the loads around a range and the caseload's extent.

use super::filter::CaseFilter;
use super::sheet::{sheet_part, SheetPart};
use super::{CaseView, GapRow, Planner, QueryError, Result, TodaySheet};
use crate::domain::clusters::{self, DayLoad, Extent};
use crate::domain::gaps;
use crate::store::{Cases, EachCase, StoredCase};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::ops::ControlFlow;

/// Runs one of the store's streaming reads with a caller's `each`, which may fail with its
/// own error: the first such error stops the read and is returned as it is.
pub(super) fn stream<E: From<QueryError>>(
    read: impl FnOnce(EachCase<'_>) -> crate::store::Result<()>,
    mut each: impl FnMut(StoredCase) -> std::result::Result<(), E>,
) -> std::result::Result<(), E> {
    let mut failed = None;
    let read = read(&mut |s| match each(s) {
        Ok(()) => ControlFlow::Continue(()),
        Err(e) => {
            failed = Some(e);
            ControlFlow::Break(())
        }
    });
    match failed {
        Some(e) => Err(e),
        None => read.map_err(|e| E::from(QueryError::from(e))),
    }
}

impl Planner {
    /// Calls `each` with every case expected in `[from, to]` that passes `filter`, as a view
    /// for `today`, by expected day then name (then CRN); stops at `each`'s first error.
    pub fn each_listed<E: From<QueryError>>(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        today: NaiveDate,
        filter: &CaseFilter,
        mut each: impl FnMut(CaseView) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        self.each_listed_changed(from, to, today, filter, |v, _| each(v))
    }

    /// As `each_listed`, with when each case was last written (RFC 3339 UTC), for exports
    /// that date their records.
    pub fn each_listed_changed<E: From<QueryError>>(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        today: NaiveDate,
        filter: &CaseFilter,
        mut each: impl FnMut(CaseView, &str) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        stream(
            |read| self.store.each_case(Cases::Between(from, to), read),
            |mut s: StoredCase| {
                if !filter.matches(&s.case) {
                    return Ok(());
                }
                let changed = std::mem::take(&mut s.updated_at);
                each(self.view(s, today), &changed)
            },
        )
    }

    /// When the caseload last changed, as far as what it shows goes: a case written, deleted
    /// or checked in, or the expected days worked out again (RFC 3339 UTC).
    pub fn last_change(&self) -> Result<Option<String>> {
        Ok(self.store.last_change()?)
    }

    /// When the expected days were last worked out again (a calendar or policy change).
    pub fn days_redone_at(&self) -> Result<Option<String>> {
        Ok(self.store.expected_days_redone_at()?)
    }

    /// How many cases `each_listed` would give.
    pub fn count_listed(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        filter: &CaseFilter,
    ) -> Result<usize> {
        if filter.is_empty() {
            return Ok(self.store.count_expected_between(from, to)?);
        }
        let mut n = 0;
        self.store.each_case(Cases::Between(from, to), &mut |s| {
            n += usize::from(filter.matches(&s.case));
            ControlFlow::Continue(())
        })?;
        Ok(n)
    }

    /// Every case in the store, as stored, by expected day then name (the CSV export).
    pub fn each_stored<E: From<QueryError>>(
        &self,
        each: impl FnMut(StoredCase) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        stream(|read| self.store.each_case(Cases::All, read), each)
    }

    /// The gap worklist (`gaps`, or `gaps_until` with `to`) of the cases passing `filter`.
    /// Reads the cases one at a time and keeps only their flags' rows.
    pub fn gaps_filtered(
        &self,
        today: NaiveDate,
        to: Option<NaiveDate>,
        filter: &CaseFilter,
    ) -> Result<Vec<GapRow>> {
        let mut rows = Vec::new();
        let which = match to {
            Some(to) => Cases::Between(today, to),
            None => {
                let (near_to, ap_to) = gaps::horizons(today, &self.settings.gaps);
                Cases::MayFlag {
                    from: today,
                    near_to,
                    ap_to,
                }
            }
        };
        self.store.each_case(which, &mut |s| {
            if filter.matches(&s.case) {
                push_gap_rows(&mut rows, self.view(s, today));
            }
            ControlFlow::Continue(())
        })?;
        sort_gap_rows(&mut rows);
        Ok(rows)
    }

    /// The duty officer's sheet (`today_sheet`) of the cases passing `filter`.
    pub fn today_sheet_filtered(
        &self,
        today: NaiveDate,
        filter: &CaseFilter,
    ) -> Result<TodaySheet> {
        let from = self.window_start(today);
        let (mut expected, mut outstanding) = (Vec::new(), Vec::new());
        // By day, then name: the outstanding part's order, and today's (one day) by name.
        self.each_listed(from, today, today, filter, |v| {
            match sheet_part(v.days.expected, v.reported_at.is_some(), today, from) {
                Some(SheetPart::Expected) => expected.push(v),
                Some(SheetPart::Outstanding) => outstanding.push(v),
                None => {}
            }
            Ok::<(), QueryError>(())
        })?;
        Ok(TodaySheet {
            today,
            expected,
            outstanding,
        })
    }

    /// What the cluster rules read for `[from, to]` (DOMAIN.md §2): releases per expected day
    /// from 28 days before `from` to 28 days after `to`, and the whole caseload's extent.
    /// A light read of five columns, never whole cases.
    pub fn cluster_loads(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<(BTreeMap<NaiveDate, DayLoad>, Option<Extent>)> {
        let (lo, hi) = clusters::rate_window(from, to);
        let mut loads: BTreeMap<NaiveDate, DayLoad> = BTreeMap::new();
        self.store
            .each_housing(Cases::Between(lo, hi), &mut |day, housing| {
                let l = loads.entry(day).or_default();
                l.load += 1;
                l.no_accommodation += usize::from(housing.needs_accommodation());
            })?;
        Ok((loads, self.extent()?))
    }

    /// The caseload's earliest and latest expected day.
    pub fn extent(&self) -> Result<Option<Extent>> {
        Ok(self
            .store
            .expected_extent()?
            .map(|(first, last)| Extent { first, last }))
    }
}

pub(super) fn push_gap_rows(rows: &mut Vec<GapRow>, v: CaseView) {
    for flag in &v.flags {
        rows.push(GapRow {
            crn: v.case.crn.clone(),
            name: v.case.name.clone(),
            officer: v.case.officer.clone(),
            team: v.case.team.clone(),
            prison: v.case.prison.clone(),
            expected_day: v.days.expected,
            flag: flag.clone(),
        });
    }
}

/// The worklist's order (`view::worklist_key`).
pub(super) fn sort_gap_rows(rows: &mut [GapRow]) {
    rows.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
}
