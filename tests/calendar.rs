//! DOMAIN.md §1–§2: the worked dates, and properties of the release-day rules.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use proptest::prelude::*;
use releaseday::domain::calendar::Calendar;
use releaseday::domain::case::{FridayRelease, ReleaseType};
use releaseday::domain::holidays::{Division, HolidayFile};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn cal(policy: bool) -> Calendar {
    Calendar::new(
        HolidayFile::embedded().events(Division::EnglandAndWales),
        policy,
    )
}

fn span(first: NaiveDate, last: NaiveDate) -> Vec<NaiveDate> {
    first.iter_days().take_while(|x| *x <= last).collect()
}

#[test]
fn christmas_2025_statutory_and_policy() {
    let stat = cal(false);
    for due in span(d(2025, 12, 24), d(2025, 12, 28)) {
        assert_eq!(stat.ordinary_expected_day(due), d(2025, 12, 24), "{due}");
    }
    assert_eq!(
        stat.covers(d(2025, 12, 24)),
        span(d(2025, 12, 24), d(2025, 12, 28))
    );
    let pol = cal(true);
    assert_eq!(
        pol.covers(d(2025, 12, 23)),
        span(d(2025, 12, 23), d(2025, 12, 28))
    );
    assert!(pol.covers(d(2025, 12, 24)).is_empty());
}

#[test]
fn christmas_2026_statutory_and_policy() {
    let stat = cal(false);
    assert_eq!(
        stat.statutory_day(d(2026, 12, 26), ReleaseType::Crd),
        d(2026, 12, 24)
    );
    assert_eq!(
        stat.covers(d(2026, 12, 24)),
        span(d(2026, 12, 24), d(2026, 12, 28))
    );
    let pol = cal(true);
    // "Christmas Eve 2026 (Thu) goes out Wed 23 Dec".
    assert_eq!(
        pol.policy_day(d(2026, 12, 24), FridayRelease::One),
        d(2026, 12, 23)
    );
    assert_eq!(
        pol.covers(d(2026, 12, 23)),
        span(d(2026, 12, 23), d(2026, 12, 28))
    );
    let r = pol.reasoning_of(d(2026, 12, 26), ReleaseType::Crd, FridayRelease::One, None);
    assert_eq!(
        (r.statutory, r.policy, r.expected),
        (d(2026, 12, 24), Some(d(2026, 12, 23)), d(2026, 12, 23))
    );
    // Boxing Day 2026 is a Saturday: its substitute Monday 28 Dec is a non-working day.
    assert!(pol.is_non_working(d(2026, 12, 28)));
    assert!(pol.is_working(d(2026, 12, 29)));
}

#[test]
fn new_year_2027_statutory_and_policy() {
    let stat = cal(false);
    assert_eq!(
        stat.covers(d(2026, 12, 31)),
        span(d(2026, 12, 31), d(2027, 1, 3))
    );
    let pol = cal(true);
    assert_eq!(pol.ordinary_expected_day(d(2027, 1, 1)), d(2026, 12, 30));
    assert_eq!(
        pol.covers(d(2026, 12, 30)),
        span(d(2026, 12, 30), d(2027, 1, 3))
    );
}

#[test]
fn easter_2027_statutory_and_policy() {
    let stat = cal(false);
    assert_eq!(
        stat.covers(d(2027, 3, 25)),
        span(d(2027, 3, 25), d(2027, 3, 29))
    );
    let pol = cal(true);
    // A Thursday before Good Friday goes out on Wednesday.
    assert_eq!(pol.ordinary_expected_day(d(2027, 3, 25)), d(2027, 3, 24));
    assert_eq!(pol.ordinary_expected_day(d(2027, 3, 29)), d(2027, 3, 24));
    assert_eq!(
        pol.covers(d(2027, 3, 24)),
        span(d(2027, 3, 24), d(2027, 3, 29))
    );
}

#[test]
fn ordinary_weeks_under_the_policy() {
    let pol = cal(true);
    // Fri/Sat/Sun dues go out on Thursday; a Friday takes nothing.
    for due in span(d(2027, 6, 10), d(2027, 6, 13)) {
        assert_eq!(pol.ordinary_expected_day(due), d(2027, 6, 10), "{due}");
    }
    assert!(pol.covers(d(2027, 6, 11)).is_empty());
    assert_eq!(pol.covers(d(2027, 6, 9)), vec![d(2027, 6, 9)]);
}

#[test]
fn hdc_moves_forward_and_arranged_dates_stay() {
    let c = cal(true);
    assert_eq!(
        c.statutory_day(d(2026, 12, 25), ReleaseType::Hdc),
        d(2026, 12, 29)
    );
    assert_eq!(
        c.expected_day_of(d(2026, 12, 25), ReleaseType::Hdc, FridayRelease::No, None),
        d(2026, 12, 29)
    );
    for t in [ReleaseType::Apd, ReleaseType::Ecsl, ReleaseType::Other] {
        assert_eq!(c.statutory_day(d(2026, 12, 26), t), d(2026, 12, 26));
        assert_eq!(
            c.expected_day_of(d(2026, 12, 26), t, t.default_friday_release(), None),
            d(2026, 12, 26)
        );
    }
}

#[test]
fn friday_release_settings() {
    let c = cal(true);
    let fri = d(2027, 6, 11);
    assert_eq!(
        c.expected_day_of(fri, ReleaseType::Crd, FridayRelease::No, None),
        fri
    );
    assert_eq!(
        c.expected_day_of(fri, ReleaseType::Crd, FridayRelease::One, None),
        d(2027, 6, 10)
    );
    assert_eq!(
        c.expected_day_of(fri, ReleaseType::Crd, FridayRelease::Two, None),
        d(2027, 6, 9)
    );
    // Detention and training orders default to two days early.
    let mtd = ReleaseType::Mtd;
    assert_eq!(
        c.expected_day_of(fri, mtd, mtd.default_friday_release(), None),
        d(2027, 6, 9)
    );
    // `2` only where the policy moved the day at all: a Wednesday stays put.
    let wed = d(2027, 6, 9);
    assert_eq!(
        c.expected_day_of(wed, ReleaseType::Crd, FridayRelease::Two, None),
        wed
    );
    // An explicit setting applies whatever the type.
    assert_eq!(
        c.expected_day_of(fri, ReleaseType::Hdc, FridayRelease::One, None),
        d(2027, 6, 10)
    );
}

#[test]
fn confirmed_day_wins_and_policy_switch_shows_statutory() {
    let on = cal(true);
    let off = cal(false);
    let due = d(2026, 12, 26);
    let conf = Some(d(2026, 12, 22));
    assert_eq!(
        on.expected_day_of(due, ReleaseType::Crd, FridayRelease::One, conf),
        d(2026, 12, 22)
    );
    assert_eq!(
        off.expected_day_of(due, ReleaseType::Crd, FridayRelease::One, conf),
        d(2026, 12, 22)
    );
    assert_eq!(
        off.expected_day_of(due, ReleaseType::Crd, FridayRelease::One, None),
        d(2026, 12, 24)
    );
}

#[test]
fn projected_years_beyond_the_list() {
    let c = cal(true);
    let last = c.last_published_year().unwrap();
    assert!(last >= 2028);
    let next = last + 1;
    let xmas = c.holiday(d(next, 12, 25)).unwrap();
    assert!(xmas.projected);
    assert!(!c.holiday(d(2026, 12, 25)).unwrap().projected);
    // Good Friday 2030 is 19 April.
    assert!(c.is_non_working(d(2030, 4, 19)));
    assert!(c.holiday(d(2030, 4, 19)).unwrap().projected);
}

/// A date between 2019 and 2031 (the published list and some projected years).
fn any_date() -> impl Strategy<Value = NaiveDate> {
    (0u64..(13 * 366)).prop_map(|n| d(2019, 1, 1).checked_add_days(Days::new(n)).unwrap())
}

fn back_type() -> impl Strategy<Value = ReleaseType> {
    prop::sample::select(vec![
        ReleaseType::Crd,
        ReleaseType::Ard,
        ReleaseType::Prrd,
        ReleaseType::Etd,
        ReleaseType::Mtd,
        ReleaseType::Ltd,
    ])
}

proptest! {
    #[test]
    fn statutory_day_is_the_latest_working_day_on_or_before(due in any_date(), t in back_type()) {
        let c = cal(true);
        let s = c.statutory_day(due, t);
        prop_assert!(s <= due);
        prop_assert!(c.is_working(s));
        for between in span(s.succ_opt().unwrap(), due) {
            prop_assert!(c.is_non_working(between));
        }
    }

    #[test]
    fn policy_day_is_never_after_statutory_nor_too_early(due in any_date(), t in back_type()) {
        let c = cal(true);
        let s = c.statutory_day(due, t);
        let one = c.policy_day(s, FridayRelease::One);
        let two = c.policy_day(s, FridayRelease::Two);
        prop_assert!(one <= s && two <= one);
        prop_assert!(c.is_working(one) && c.is_working(two));
        // The policy day is the latest working day not immediately before a non-working day...
        prop_assert!(c.is_working(one.succ_opt().unwrap()));
        // ...so every working day it skipped was immediately before one.
        for skipped in span(one.succ_opt().unwrap(), s) {
            prop_assert!(c.is_non_working(skipped) || c.is_non_working(skipped.succ_opt().unwrap()));
        }
        // `2` is exactly one working day more, and only where the policy moved the day.
        if one == s {
            prop_assert_eq!(two, s);
        } else {
            prop_assert_eq!(c.working_days_between(two, one), 1);
        }
        // In an ordinary week (no holiday nearby) the policy takes at most the allowed days.
        let near_holiday = span(two.checked_sub_days(Days::new(7)).unwrap(), s.checked_add_days(Days::new(7)).unwrap())
            .into_iter().any(|x| c.holiday(x).is_some());
        if !near_holiday {
            prop_assert!(c.working_days_between(one, s) <= 1);
            prop_assert!(c.working_days_between(two, s) <= 2);
        }
    }

    #[test]
    fn hdc_day_is_the_earliest_working_day_on_or_after(due in any_date()) {
        let c = cal(true);
        let s = c.statutory_day(due, ReleaseType::Hdc);
        prop_assert!(s >= due && c.is_working(s));
        for between in span(due, s.pred_opt().unwrap()) {
            prop_assert!(c.is_non_working(between));
        }
    }

    #[test]
    fn covers_partition_every_date(start in any_date(), policy in any::<bool>()) {
        let c = cal(policy);
        // Each date in a window lies in the covers of exactly one day: its expected day.
        let window = span(start, start.checked_add_days(Days::new(40)).unwrap());
        let mut seen = std::collections::BTreeMap::new();
        let days = span(start.checked_sub_days(Days::new(14)).unwrap(), start.checked_add_days(Days::new(40)).unwrap());
        for day in &days {
            for covered in c.covers(*day) {
                prop_assert!(seen.insert(covered, *day).is_none(), "{} covered twice", covered);
            }
        }
        for due in window {
            prop_assert_eq!(seen.get(&due).copied(), Some(c.ordinary_expected_day(due)));
        }
    }
}

#[test]
fn weekends_and_christmas_are_never_working() {
    let c = cal(true);
    for day in span(d(2018, 1, 1), d(2032, 12, 31)) {
        if matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
            || (day.month() == 12 && day.day() == 25)
        {
            assert!(c.is_non_working(day), "{day}");
        }
    }
}

#[test]
fn policy_steps_back_over_a_weekend_before_a_tuesday_holiday() {
    // Christmas 2018 fell on a Tuesday: Mon 24 Dec is followed by a non-working day, and so is
    // Fri 21 Dec, so the rule as written steps back to Thu 20 Dec (two working days early).
    let c = cal(true);
    assert_eq!(
        c.policy_day(d(2018, 12, 24), FridayRelease::One),
        d(2018, 12, 20)
    );
}

/// The import's memo of expected days gives each case the day the calendar gives it, for every
/// type, Friday setting and confirmed day, asked in any order and more than once.
#[test]
fn remembered_expected_days_are_the_calendars() {
    use releaseday::domain::calendar::ExpectedDays;
    use releaseday::domain::case::Case;
    for policy in [true, false] {
        let cal = cal(policy);
        let memo = ExpectedDays::new(&cal);
        let settings = [
            None,
            Some(FridayRelease::No),
            Some(FridayRelease::One),
            Some(FridayRelease::Two),
        ];
        for round in 0..2 {
            for (i, due) in span(d(2026, 12, 18), d(2027, 1, 6)).into_iter().enumerate() {
                for (t, &release_type) in ReleaseType::ALL.iter().enumerate() {
                    let mut case = Case::new("X100001".parse().unwrap(), "Ann", due);
                    case.release_type = release_type;
                    case.friday_release = settings[(i + t + round) % settings.len()];
                    case.confirmed_day = (t % 3 == 0).then(|| d(2026, 12, 21 + t as u32 % 5));
                    assert_eq!(memo.of(&case), cal.expected_day(&case), "{case:?}");
                }
            }
        }
    }
}
