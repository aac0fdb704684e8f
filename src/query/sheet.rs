//! The duty officer's sheet (DOMAIN.md §6 `today`): who goes on it and what its headline
//! counts, as pure functions both faces use: `releaseday today` over the cases it reads, the
//! Today screen over the caseload it holds.

use super::CaseView;
use chrono::{Days, NaiveDate};
use std::cmp::Ordering;

/// The order of appointment time (DOMAIN.md §8: the sheet "can be sorted by appointment
/// time"): the earliest first, at the gate before anyone, no appointment last; ties keep the
/// sheet's own order (a stable sort).
pub fn by_appointment(a: &CaseView, b: &CaseView) -> Ordering {
    let key = |v: &CaseView| (v.appointment_at.is_none(), v.appointment_at);
    key(a).cmp(&key(b))
}

/// The first day the sheet looks back to for people released but not yet reported: `today`
/// less the look-back days (`Settings::outstanding_days`). The screens hold the cases from
/// this day on.
pub fn look_back_start(today: NaiveDate, outstanding_days: u32) -> NaiveDate {
    today
        .checked_sub_days(Days::new(outstanding_days.into()))
        .unwrap_or(today)
}

/// The two parts of the sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetPart {
    /// Released today, reported or not (ordered by name).
    Expected,
    /// Released on an earlier day of the look-back and not yet reported (by day, then name).
    Outstanding,
}

/// Where a release expected on `day` goes on the sheet for `today`, whose look-back starts on
/// `from` (`look_back_start`); `None` when it is not on the sheet.
pub fn sheet_part(
    day: NaiveDate,
    reported: bool,
    today: NaiveDate,
    from: NaiveDate,
) -> Option<SheetPart> {
    if day == today {
        Some(SheetPart::Expected)
    } else if day >= from && day < today && !reported {
        Some(SheetPart::Outstanding)
    } else {
        None
    }
}

/// The sheet's headline counts, as both faces show them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SheetCounts {
    /// Released today.
    pub expected: usize,
    /// Of those released today, how many have reported.
    pub reported: usize,
    /// Of those released today, how many have not reported yet.
    pub to_report: usize,
    /// Earlier days' releases not yet reported.
    pub earlier: usize,
    /// Everyone on the sheet with nowhere to go.
    pub homeless: usize,
    /// Of those, how many have no one to see until a later day.
    pub nothing_until: usize,
}

impl SheetCounts {
    /// The counts of a sheet's two parts.
    pub fn of<'a>(
        expected: impl IntoIterator<Item = &'a CaseView>,
        earlier: impl IntoIterator<Item = &'a CaseView>,
    ) -> SheetCounts {
        let mut n = SheetCounts::default();
        for v in expected {
            n.expected += 1;
            n.reported += usize::from(v.reported_at.is_some());
            n.homeless += usize::from(v.case.needs_accommodation());
            n.nothing_until += usize::from(v.nothing_until.is_some());
        }
        for v in earlier {
            n.earlier += 1;
            n.homeless += usize::from(v.case.needs_accommodation());
            n.nothing_until += usize::from(v.nothing_until.is_some());
        }
        n.to_report = n.expected - n.reported;
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn today_is_expected_and_the_look_back_days_unreported_are_outstanding() {
        let today = d(11, 23);
        let from = look_back_start(today, 7);
        assert_eq!(from, d(11, 16));
        assert_eq!(look_back_start(today, 0), today);
        let part = |day, reported| sheet_part(day, reported, today, from);
        assert_eq!(part(today, false), Some(SheetPart::Expected));
        assert_eq!(
            part(today, true),
            Some(SheetPart::Expected),
            "reported today stays on"
        );
        assert_eq!(part(d(11, 16), false), Some(SheetPart::Outstanding));
        assert_eq!(part(d(11, 22), false), Some(SheetPart::Outstanding));
        assert_eq!(part(d(11, 22), true), None, "reported: off the sheet");
        assert_eq!(part(d(11, 15), false), None, "before the look-back");
        assert_eq!(part(d(11, 24), false), None, "not released yet");
    }
}
