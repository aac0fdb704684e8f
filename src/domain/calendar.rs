//! Working days and the release day (DOMAIN.md §1) and covers(D) (§2).
//!
//! Pure: holidays come in as data, `today` is never consulted.

use super::case::{Case, FridayRelease, Movement, ReleaseType};
use super::dates;
use super::hash::QuickMap;
use super::holidays::{project_england_and_wales, Holiday};
use chrono::{Datelike, Days, NaiveDate, Weekday};
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};

/// Years projected by rule either side of the published list. Wide enough for any sentence.
const PROJECT_FROM: i32 = 1990;
const PROJECT_TO: i32 = 2150;

/// A bank holiday in force: published by gov.uk or projected by rule past the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolidayDay {
    pub date: NaiveDate,
    pub title: String,
    pub projected: bool,
}

/// The England and Wales working-day calendar, plus whether the Friday policy is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    holidays: HashMap<NaiveDate, HolidayDay>,
    published_years: BTreeSet<i32>,
    policy: bool,
}

/// How a case's expected day was reached, for the detail pane and the CLI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayReasoning {
    pub due: NaiveDate,
    pub statutory: NaiveDate,
    /// The Friday-policy day, when the policy is on and moved the day.
    pub policy: Option<NaiveDate>,
    pub confirmed: Option<NaiveDate>,
    pub expected: NaiveDate,
}

impl Calendar {
    /// Builds the calendar from the published England and Wales events; years outside them are projected.
    pub fn new(published: &[Holiday], friday_policy: bool) -> Calendar {
        let mut holidays = HashMap::new();
        let mut published_years = BTreeSet::new();
        for h in published {
            published_years.insert(h.date.year());
            holidays.insert(
                h.date,
                HolidayDay {
                    date: h.date,
                    title: h.title.clone(),
                    projected: false,
                },
            );
        }
        // A gap year inside the published span counts as published (nothing to project).
        if let (Some(&first), Some(&last)) = (published_years.first(), published_years.last()) {
            published_years.extend(first..=last);
        }
        for year in PROJECT_FROM..=PROJECT_TO {
            if published_years.contains(&year) {
                continue;
            }
            for h in project_england_and_wales(year) {
                holidays.insert(
                    h.date,
                    HolidayDay {
                        date: h.date,
                        title: h.title,
                        projected: true,
                    },
                );
            }
        }
        Calendar {
            holidays,
            published_years,
            policy: friday_policy,
        }
    }

    pub fn friday_policy(&self) -> bool {
        self.policy
    }

    /// The last year gov.uk's list (as loaded) covers; later years are projected.
    pub fn last_published_year(&self) -> Option<i32> {
        self.published_years.last().copied()
    }

    /// The years whose bank holidays are known, published or projected by rule (outside them
    /// no day would be a holiday, so a list or a cluster there would mislead).
    pub fn known_years(&self) -> (i32, i32) {
        let first = self
            .published_years
            .first()
            .copied()
            .unwrap_or(PROJECT_FROM);
        let last = self.published_years.last().copied().unwrap_or(PROJECT_TO);
        (first.min(PROJECT_FROM), last.max(PROJECT_TO))
    }

    pub fn is_published_year(&self, year: i32) -> bool {
        self.published_years.contains(&year)
    }

    /// The bank holiday on `d`, if the list (published or projected) has one. When Christmas
    /// falls on a weekend the list names its substitute weekday; 25 December itself is
    /// non-working all the same (see `is_non_working`).
    pub fn holiday(&self, d: NaiveDate) -> Option<HolidayDay> {
        self.holidays.get(&d).cloned()
    }

    /// Bank holidays in `[from, to]`, in date order.
    pub fn holidays_between(&self, from: NaiveDate, to: NaiveDate) -> Vec<HolidayDay> {
        from.iter_days()
            .take_while(|d| *d <= to)
            .filter_map(|d| self.holiday(d))
            .collect()
    }

    /// Saturday, Sunday, 25 December or an England and Wales bank holiday.
    pub fn is_non_working(&self, d: NaiveDate) -> bool {
        matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
            || (d.month() == 12 && d.day() == 25)
            || self.holidays.contains_key(&d)
    }

    pub fn is_working(&self, d: NaiveDate) -> bool {
        !self.is_non_working(d)
    }

    /// The latest working day on or before `d`.
    pub fn working_on_or_before(&self, mut d: NaiveDate) -> NaiveDate {
        while self.is_non_working(d) {
            d = prev(d);
        }
        d
    }

    /// The earliest working day on or after `d`.
    pub fn working_on_or_after(&self, mut d: NaiveDate) -> NaiveDate {
        while self.is_non_working(d) {
            d = next(d);
        }
        d
    }

    /// The day `n` working days before `d` (not counting `d`).
    pub fn working_days_before(&self, mut d: NaiveDate, n: u32) -> NaiveDate {
        let mut left = n;
        while left > 0 {
            d = prev(d);
            if self.is_working(d) {
                left -= 1;
            }
        }
        d
    }

    /// Working days in `(from, to]`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let mut n = 0;
        let mut d = from;
        while d < to {
            d = next(d);
            if self.is_working(d) {
                n += 1;
            }
        }
        n
    }

    /// Criminal Justice Act 1961 s.23(3): back to the nearest earlier working day for
    /// determinate types, forward for HDC, unchanged for arranged dates.
    pub fn statutory_day(&self, due: NaiveDate, release_type: ReleaseType) -> NaiveDate {
        match release_type.movement() {
            Movement::Back => self.working_on_or_before(due),
            Movement::Forward => self.working_on_or_after(due),
            Movement::None => due,
        }
    }

    /// Offenders (Day of Release from Detention) Act 2023, as Calculate Release Dates implements it:
    /// from the statutory day, step back while the day is non-working or the next day is non-working;
    /// `2` takes one more working day, only where the policy moved the day at all.
    /// Applies whatever the calendar's policy switch says; callers check the switch.
    pub fn policy_day(&self, statutory: NaiveDate, setting: FridayRelease) -> NaiveDate {
        if setting == FridayRelease::No {
            return statutory;
        }
        let mut d = statutory;
        while self.is_non_working(d) || self.is_non_working(next(d)) {
            d = prev(d);
        }
        if d != statutory && setting == FridayRelease::Two {
            d = self.working_on_or_before(prev(d));
        }
        d
    }

    /// The expected day of a release from its parts: confirmed day first, then the
    /// Friday-policy day (when the policy is on), then the statutory day.
    pub fn expected_day_of(
        &self,
        due: NaiveDate,
        release_type: ReleaseType,
        setting: FridayRelease,
        confirmed: Option<NaiveDate>,
    ) -> NaiveDate {
        self.reasoning_of(due, release_type, setting, confirmed)
            .expected
    }

    pub fn reasoning_of(
        &self,
        due: NaiveDate,
        release_type: ReleaseType,
        setting: FridayRelease,
        confirmed: Option<NaiveDate>,
    ) -> DayReasoning {
        let statutory = self.statutory_day(due, release_type);
        let policy = if self.policy {
            Some(self.policy_day(statutory, setting)).filter(|p| *p != statutory)
        } else {
            None
        };
        DayReasoning {
            due,
            statutory,
            policy,
            confirmed,
            expected: confirmed.or(policy).unwrap_or(statutory),
        }
    }

    pub fn reasoning(&self, case: &Case) -> DayReasoning {
        self.reasoning_of(
            case.release_date,
            case.release_type,
            case.friday_release(),
            case.confirmed_day,
        )
    }

    pub fn statutory_day_of(&self, case: &Case) -> NaiveDate {
        self.statutory_day(case.release_date, case.release_type)
    }

    pub fn expected_day(&self, case: &Case) -> NaiveDate {
        self.reasoning(case).expected
    }

    /// The expected day of an ordinary case (CRD, blank `friday_release`, no confirmed day) due on `d`.
    pub fn ordinary_expected_day(&self, d: NaiveDate) -> NaiveDate {
        self.expected_day_of(
            d,
            ReleaseType::Crd,
            ReleaseType::Crd.default_friday_release(),
            None,
        )
    }

    /// covers(D) (§2): the due dates whose ordinary case goes out on `day`, in date order.
    /// Empty for a day no ordinary case goes out on (a non-working day, or a Friday under the policy).
    pub fn covers(&self, day: NaiveDate) -> Vec<NaiveDate> {
        // Expected days never run ahead of due dates, and they rise with the due date, so
        // the covered dates start at `day` and end before the first date that maps later.
        let mut out = Vec::new();
        let mut d = day;
        for _ in 0..60 {
            let e = self.ordinary_expected_day(d);
            if e > day {
                break;
            }
            if e == day {
                out.push(d);
            }
            d = next(d);
        }
        out
    }
}

/// `Calendar::expected_day` for the many cases of one import: the day depends only on the
/// release date, type, Friday setting and confirmed day, and a national file repeats a few
/// thousand such combinations over 100,000 cases, so each is worked out once (issue 11 part
/// 5: the stepping over non-working days was about 2% of an import's instructions).
#[derive(Debug)]
pub struct ExpectedDays<'c> {
    cal: &'c Calendar,
    days: RefCell<QuickMap<DayKey, NaiveDate>>,
}

type DayKey = (NaiveDate, ReleaseType, FridayRelease, Option<NaiveDate>);

impl<'c> ExpectedDays<'c> {
    pub fn new(cal: &'c Calendar) -> ExpectedDays<'c> {
        ExpectedDays {
            cal,
            days: RefCell::new(QuickMap::default()),
        }
    }

    /// The same day as `Calendar::expected_day(case)`.
    pub fn of(&self, case: &Case) -> NaiveDate {
        let key = (
            case.release_date,
            case.release_type,
            case.friday_release(),
            case.confirmed_day,
        );
        *self
            .days
            .borrow_mut()
            .entry(key)
            .or_insert_with(|| self.cal.expected_day(case))
    }
}

impl DayReasoning {
    /// "due Sat 26 Dec → statutory Thu 24 Dec → Friday policy Wed 23 Dec", plus a
    /// confirmed day and a note where an arranged date falls on a non-working day.
    pub fn explain(&self, cal: &Calendar, release_type: ReleaseType) -> String {
        let mut s = format!("due {}", dates::long(self.due));
        if self.statutory != self.due {
            s += &format!(" → statutory {}", dates::long(self.statutory));
        } else if release_type.movement() == Movement::None && cal.is_non_working(self.due) {
            s += &format!(
                " (an arranged {} date on a non-working day: not moved)",
                release_type
            );
        }
        if let Some(p) = self.policy {
            s += &format!(" → Friday policy {}", dates::long(p));
        }
        if let Some(c) = self.confirmed {
            s += &format!(" → confirmed by the prison {}", dates::long(c));
        }
        s
    }
}

fn next(d: NaiveDate) -> NaiveDate {
    d.checked_add_days(Days::new(1)).expect("date in range")
}

fn prev(d: NaiveDate) -> NaiveDate {
    d.checked_sub_days(Days::new(1)).expect("date in range")
}
