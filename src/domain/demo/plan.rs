//! The shape of the caseload: the dates every case is drawn against, and how many of each
//! kind of case there are.

use super::rng::{add, sub, Rng};
use crate::domain::calendar::Calendar;
use chrono::{Months, NaiveDate};

/// The dates every case is drawn against.
pub(super) struct Plan {
    pub(super) today: NaiveDate,
    /// Last day of the main window (`today + weeks × 7`).
    pub(super) window_end: NaiveDate,
    /// The far releases lie in `(window_end, far_end]`.
    pub(super) far_end: NaiveDate,
    /// Non-working days (from today on) in the run around the next bank holiday in the window.
    pub(super) holiday_run: Vec<NaiveDate>,
    /// The last few days before today that an ordinary release went out on.
    pub(super) recent_days: Vec<NaiveDate>,
}

impl Plan {
    pub(super) fn new(today: NaiveDate, weeks: u32, cal: &Calendar) -> Plan {
        let window_end = add(today, u64::from(weeks) * 7);
        let nine_months = today
            .checked_add_months(Months::new(9))
            .unwrap_or(NaiveDate::MAX);
        let far_end = if nine_months > add(window_end, 14) {
            nine_months
        } else {
            add(window_end, 60)
        };
        let mut holiday_run = Vec::new();
        if let Some(h) = cal.holidays_between(today, window_end).first() {
            let mut start = h.date;
            while start > today && cal.is_non_working(sub(start, 1)) {
                start = sub(start, 1);
            }
            let mut d = start;
            while cal.is_non_working(d) && d < NaiveDate::MAX {
                holiday_run.push(d);
                d = add(d, 1);
            }
        }
        // Days an ordinary release due that day actually went out on: up to three, looking back
        // a fortnight (after a long weekend the last one may be several days ago).
        let recent_days = (1..=14)
            .map(|k| sub(today, k))
            .filter(|d| cal.ordinary_expected_day(*d) == *d)
            .take(3)
            .collect();
        Plan {
            today,
            window_end,
            far_end,
            holiday_run,
            recent_days,
        }
    }

    /// Days from today to `d` (negative in the past).
    pub(super) fn days_to(&self, d: NaiveDate) -> i64 {
        (d - self.today).num_days()
    }
}

/// The kind of case, which decides its release date and much of its detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Released on one of the last few release days (not yet reported, perhaps).
    Recent,
    /// Due after the window, up to nine months out.
    Far,
    /// Due on a non-working day around the next bank holiday.
    HolidayExtra,
    /// A fixed-term recall coming to its end.
    Recall,
    Hdc,
    /// Approved Premises required (high risk, MAPPA 2 or 3).
    Ap,
    /// A detention and training order (ETD/MTD), from a YOI.
    Youth,
    /// A Parole Board release on an approved parole date.
    Apd,
    General,
}

impl Kind {
    /// Whether the release date is drawn from the main window's evenly spread days
    /// (an Approved Premises case may instead be due after the window).
    pub(super) fn in_window(self) -> bool {
        matches!(
            self,
            Kind::Hdc | Kind::Ap | Kind::Youth | Kind::Apd | Kind::General
        )
    }
}

/// `count` due dates spread evenly over `[from, to]` (one in each of `count` equal slices,
/// placed at random within it), shuffled. Even spreading keeps chance spikes out of the
/// demo, so the load clusters it shows are the ones the calendar explains.
pub(super) fn spread(
    from: NaiveDate,
    to: NaiveDate,
    count: usize,
    rng: &mut Rng,
) -> Vec<NaiveDate> {
    let days = ((to - from).num_days().max(0) + 1) as f64;
    let mut out: Vec<NaiveDate> = (0..count)
        .map(|j| {
            let x = (j as f64 + rng.unit()) / count as f64 * days;
            add(from, (x as u64).min(days as u64 - 1))
        })
        .collect();
    for i in (1..out.len()).rev() {
        let j = rng.index(i + 1);
        out.swap(i, j);
    }
    out
}

/// Exact numbers of each kind for `n` cases (shares per mille), in a shuffled order.
pub(super) fn schedule(n: usize, plan: &Plan, rng: &mut Rng) -> Vec<Kind> {
    let share = |per_mille: usize| (n * per_mille + 500) / 1000;
    let mut counts = vec![
        (
            Kind::Recent,
            if plan.recent_days.is_empty() {
                0
            } else {
                share(25).max(n.min(3))
            },
        ),
        (Kind::Far, share(35)),
        (
            Kind::HolidayExtra,
            if plan.holiday_run.is_empty() {
                0
            } else {
                share(50)
            },
        ),
        (Kind::Recall, share(50)),
        (Kind::Hdc, share(100)),
        (Kind::Ap, share(60)),
        (Kind::Youth, share(20)),
        (Kind::Apd, share(20)),
    ];
    let mut kinds = Vec::with_capacity(n);
    for (kind, count) in counts.drain(..) {
        let room = n - kinds.len();
        kinds.extend(std::iter::repeat_n(kind, count.min(room)));
    }
    let rest = n - kinds.len();
    kinds.extend(std::iter::repeat_n(Kind::General, rest));
    // Fisher–Yates.
    for i in (1..kinds.len()).rev() {
        let j = rng.index(i + 1);
        kinds.swap(i, j);
    }
    kinds
}
