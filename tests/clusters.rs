//! DOMAIN.md §2: holiday clusters from the calendar alone, load clusters from the cases.

use chrono::{Datelike, NaiveDate, Weekday};
use releaseday::domain::calendar::Calendar;
use releaseday::domain::clusters::{
    clusters, clusters_within, local_rate, ClusterKind, ClusterThresholds, DayLoad, Extent,
};
use releaseday::domain::holidays::{Division, HolidayFile};
use releaseday::domain::severity::Severity;
use std::collections::BTreeMap;

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
fn holiday_clusters_come_from_the_calendar_alone() {
    let c = cal(true);
    let found = clusters(
        &c,
        d(2026, 11, 23),
        d(2027, 11, 22),
        &BTreeMap::new(),
        &ClusterThresholds::default(),
    );
    let xmas = found
        .iter()
        .find(|k| k.day == d(2026, 12, 23))
        .expect("Christmas cluster");
    assert_eq!(xmas.kind, ClusterKind::Holiday);
    assert_eq!(xmas.covers, span(d(2026, 12, 23), d(2026, 12, 28)));
    assert_eq!(xmas.holidays, vec!["Christmas Day", "Boxing Day"]);
    assert_eq!(xmas.severity, Severity::Red);
    assert_eq!(xmas.load, 0);
    assert!(xmas.message.contains("23–28 Dec"), "{}", xmas.message);
    assert!(
        xmas.message.contains("Thu 24 Dec"),
        "says how the policy moved it: {}",
        xmas.message
    );
    let new_year = found
        .iter()
        .find(|k| k.day == d(2026, 12, 30))
        .expect("New Year cluster");
    assert_eq!(new_year.covers, span(d(2026, 12, 30), d(2027, 1, 3)));
    let easter = found
        .iter()
        .find(|k| k.day == d(2027, 3, 24))
        .expect("Easter cluster");
    assert_eq!(easter.covers, span(d(2027, 3, 24), d(2027, 3, 29)));
    assert_eq!(easter.holidays, vec!["Good Friday", "Easter Monday"]);
    // Every cluster day lies in the range, in date order, and no day is reported twice.
    assert!(found.windows(2).all(|w| w[0].day < w[1].day));
    // England and Wales have 8 bank holidays a year; the clusters cover all of them.
    let covered: usize = found.iter().map(|k| k.holidays.len()).sum();
    assert_eq!(
        covered,
        c.holidays_between(d(2026, 11, 23), d(2027, 11, 22)).len()
    );
}

#[test]
fn statutory_view_puts_christmas_on_christmas_eve() {
    let c = cal(false);
    let found = clusters(
        &c,
        d(2026, 12, 1),
        d(2026, 12, 31),
        &BTreeMap::new(),
        &ClusterThresholds::default(),
    );
    let days: Vec<NaiveDate> = found.iter().map(|k| k.day).collect();
    assert_eq!(days, vec![d(2026, 12, 24), d(2026, 12, 31)]);
    assert_eq!(found[0].covers, span(d(2026, 12, 24), d(2026, 12, 28)));
    assert_eq!(found[0].severity, Severity::Red);
}

#[test]
fn a_four_day_bank_holiday_weekend_is_amber_without_the_policy() {
    // Early May bank holiday 2027 is Mon 3 May: statutory Fri 30 Apr covers 30 Apr–3 May.
    let found = clusters(
        &cal(false),
        d(2027, 4, 26),
        d(2027, 5, 7),
        &BTreeMap::new(),
        &ClusterThresholds::default(),
    );
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].day, d(2027, 4, 30));
    assert_eq!(found[0].covers.len(), 4);
    assert_eq!(found[0].severity, Severity::Amber);
}

/// Two releases on every working day of June–July 2027 (no bank holidays in it).
fn steady_loads() -> BTreeMap<NaiveDate, DayLoad> {
    let c = cal(true);
    span(d(2027, 6, 1), d(2027, 7, 30))
        .into_iter()
        .filter(|x| c.is_working(*x) && x.weekday() != Weekday::Fri)
        .map(|x| {
            (
                x,
                DayLoad {
                    load: 2,
                    no_accommodation: 1,
                },
            )
        })
        .collect()
}

#[test]
fn load_clusters_are_spikes_the_calendar_does_not_explain() {
    let c = cal(true);
    let mut loads = steady_loads();
    let base_total: usize = loads.values().map(|l| l.load).sum();
    // A spike on Tue 15 Jun 2027.
    loads.insert(
        d(2027, 6, 15),
        DayLoad {
            load: 12,
            no_accommodation: 5,
        },
    );
    // The caseload runs Tue 1 Jun to Thu 29 Jul (Fri 30 Jul carries nothing). The spike's
    // window, 28 days either side (18 May to 13 Jul), is cut to start on 1 Jun: 43 days.
    assert_eq!(*loads.last_key_value().unwrap().0, d(2027, 7, 29));
    let in_window: usize = loads
        .range(d(2027, 6, 1)..=d(2027, 7, 13))
        .map(|(_, l)| l.load)
        .sum();
    assert!(
        in_window < base_total - 2 + 12,
        "the window is not the whole caseload"
    );
    let r = in_window as f64 / 43.0;
    let found = clusters(
        &c,
        d(2027, 6, 1),
        d(2027, 7, 31),
        &loads,
        &ClusterThresholds::default(),
    );
    let spikes: Vec<_> = found
        .iter()
        .filter(|k| k.kind == ClusterKind::Load)
        .collect();
    assert_eq!(spikes.len(), 1, "{found:#?}");
    let k = spikes[0];
    assert_eq!(k.day, d(2027, 6, 15));
    assert_eq!((k.load, k.no_accommodation), (12, 5));
    assert!(
        (k.expected_load - r).abs() < 1e-9,
        "a Tuesday covers one day: expected = r"
    );
    // 12 ≥ 5 × r (r ≈ 1.6), so red.
    assert_eq!(k.severity, Severity::Red);
    assert!(
        found.iter().all(|k| k.kind == ClusterKind::Load),
        "no bank holiday in June–July 2027"
    );
}

#[test]
fn spike_thresholds_need_five_releases_and_three_times_expected() {
    let c = cal(true);
    let tue = d(2027, 6, 15);
    let run = |load: usize| {
        let mut loads = BTreeMap::new();
        loads.insert(
            tue,
            DayLoad {
                load,
                no_accommodation: 0,
            },
        );
        clusters(&c, tue, tue, &loads, &ClusterThresholds::default())
    };
    // The caseload is the one day, so its window is one day, counted as 7 (the floor):
    // r = load / 7 and expected = load / 7, so any load ≥ 5 is a spike.
    assert!(run(4).is_empty(), "fewer than five is never a cluster");
    let five = run(5);
    assert_eq!(five.len(), 1);
    assert_eq!(five[0].kind, ClusterKind::Load);
    assert!((five[0].rate - 5.0 / 7.0).abs() < 1e-9, "{}", five[0].rate);
    assert_eq!(five[0].severity, Severity::Red, "5 ≥ 5 × 5/7");
    // Without the floor the rate would be 5 a day, and 5 is not 3 × 5.
    assert!(
        five[0].message.contains("7× the usual 0.7 a day"),
        "{}",
        five[0].message
    );
}

#[test]
fn load_rule_at_its_amber_and_red_edges() {
    let c = cal(true);
    // 7 working days Mon–Thu over a fortnight: 1 release a day, plus a spike on Wed 16 Jun 2027.
    let days = [
        d(2027, 6, 14),
        d(2027, 6, 15),
        d(2027, 6, 17),
        d(2027, 6, 21),
        d(2027, 6, 22),
        d(2027, 6, 23),
        d(2027, 6, 24),
    ];
    let check = |spike: usize| {
        let mut loads: BTreeMap<NaiveDate, DayLoad> = days
            .iter()
            .map(|x| {
                (
                    *x,
                    DayLoad {
                        load: 1,
                        no_accommodation: 0,
                    },
                )
            })
            .collect();
        loads.insert(
            d(2027, 6, 16),
            DayLoad {
                load: spike,
                no_accommodation: 0,
            },
        );
        let found = clusters(
            &c,
            d(2027, 6, 14),
            d(2027, 6, 24),
            &loads,
            &ClusterThresholds::default(),
        );
        found
            .into_iter()
            .find(|k| k.day == d(2027, 6, 16))
            .map(|k| k.severity)
    };
    // r = (7 + spike) / 11 days. spike 5: r = 12/11, 3r ≈ 3.27 → amber (5 < 5r ≈ 5.45).
    assert_eq!(check(5), Some(Severity::Amber));
    // spike 6: r = 13/11, 5r ≈ 5.9 → red.
    assert_eq!(check(6), Some(Severity::Red));
}

#[test]
fn a_holiday_cluster_with_a_spike_stays_holiday() {
    let c = cal(true);
    let mut loads = BTreeMap::new();
    loads.insert(
        d(2026, 12, 23),
        DayLoad {
            load: 30,
            no_accommodation: 9,
        },
    );
    let found = clusters(
        &c,
        d(2026, 12, 1),
        d(2026, 12, 31),
        &loads,
        &ClusterThresholds::default(),
    );
    let xmas: Vec<_> = found.iter().filter(|k| k.day == d(2026, 12, 23)).collect();
    assert_eq!(xmas.len(), 1);
    assert_eq!(xmas[0].kind, ClusterKind::Holiday);
    assert_eq!((xmas[0].load, xmas[0].no_accommodation), (30, 9));
    assert!(
        xmas[0].message.contains("9 with nowhere to go"),
        "{}",
        xmas[0].message
    );
}

#[test]
fn christmas_on_a_saturday_names_each_holiday_once() {
    // 2027: Christmas Sat 25 (substitute Mon 27), Boxing Day Sun 26 (substitute Tue 28).
    let c = cal(true);
    let found = clusters(
        &c,
        d(2027, 12, 1),
        d(2027, 12, 31),
        &BTreeMap::new(),
        &ClusterThresholds::default(),
    );
    let xmas = found
        .iter()
        .find(|k| k.covers.contains(&d(2027, 12, 25)))
        .unwrap();
    assert_eq!(xmas.day, d(2027, 12, 23));
    assert_eq!(xmas.covers, span(d(2027, 12, 23), d(2027, 12, 28)));
    assert_eq!(xmas.holidays, vec!["Christmas Day", "Boxing Day"]);
    assert!(c.is_non_working(d(2027, 12, 25)));
    assert_eq!(c.holidays_between(d(2027, 1, 1), d(2027, 12, 31)).len(), 8);
}

/// `n` releases on every working day of `[first, last]`.
fn every_working_day(
    c: &Calendar,
    first: NaiveDate,
    last: NaiveDate,
    n: usize,
) -> BTreeMap<NaiveDate, DayLoad> {
    span(first, last)
        .into_iter()
        .filter(|x| c.is_working(*x))
        .map(|x| {
            (
                x,
                DayLoad {
                    load: n,
                    no_accommodation: 1,
                },
            )
        })
        .collect()
}

/// A busy June 2027, five releases every working day, and three releases months ahead (March
/// 2028). A rate averaged over the whole range (about 0.4 a day) made every ordinary day of
/// June a "spike"; the local rate (about 2 a day) makes none of them one.
fn busy_june() -> BTreeMap<NaiveDate, DayLoad> {
    let c = cal(true);
    let mut loads = every_working_day(&c, d(2027, 6, 1), d(2027, 6, 30), 5);
    loads.insert(
        d(2028, 3, 14),
        DayLoad {
            load: 3,
            no_accommodation: 0,
        },
    );
    loads
}

#[test]
fn a_busy_month_of_five_releases_a_day_is_not_a_load_cluster_day_after_day() {
    let c = cal(true);
    let loads = busy_june();
    let found = clusters(
        &c,
        d(2027, 6, 1),
        d(2028, 3, 31),
        &loads,
        &ClusterThresholds::default(),
    );
    let spikes: Vec<_> = found
        .iter()
        .filter(|k| k.kind == ClusterKind::Load)
        .map(|k| k.day)
        .collect();
    assert_eq!(spikes, Vec::<NaiveDate>::new(), "{found:#?}");
}

#[test]
fn a_real_spike_in_a_busy_month_is_reported_and_only_it() {
    let c = cal(true);
    let mut loads = busy_june();
    let spike = d(2027, 6, 15);
    loads.insert(
        spike,
        DayLoad {
            load: 30,
            no_accommodation: 12,
        },
    );
    let found = clusters(
        &c,
        d(2027, 6, 1),
        d(2028, 3, 31),
        &loads,
        &ClusterThresholds::default(),
    );
    let spikes: Vec<_> = found
        .iter()
        .filter(|k| k.kind == ClusterKind::Load)
        .collect();
    assert_eq!(spikes.len(), 1, "{found:#?}");
    let k = spikes[0];
    assert_eq!((k.day, k.load, k.no_accommodation), (spike, 30, 12));
    // 28 days either side of Tue 15 Jun, cut to start on 1 Jun: 1 Jun to 13 Jul, 43 days.
    let in_window: usize = loads
        .range(d(2027, 6, 1)..=d(2027, 7, 13))
        .map(|(_, l)| l.load)
        .sum();
    assert!(
        (k.rate - in_window as f64 / 43.0).abs() < 1e-9,
        "{}",
        k.rate
    );
    assert_eq!(k.severity, Severity::Red, "30 ≥ 5 × r (r ≈ 3)");
    // Said as an officer would: how many times the usual, and the usual a day.
    assert_eq!(k.releases(), "30 releases");
    // r = 135 / 43 ≈ 3.14 (21 ordinary days at 5, the spike's 30); 30 / r ≈ 9.6.
    assert_eq!(in_window, 135);
    assert_eq!(k.why(), "9.6× the usual 3.1 a day");
    assert!(
        k.message
            .starts_with("Tue 15 Jun 2027 takes releases due 15 Jun; 30 releases, "),
        "{}",
        k.message
    );
    assert!(
        k.message.ends_with("12 with nowhere to go"),
        "{}",
        k.message
    );
}

/// DOMAIN.md §2: a day's verdict reads only the 28 days either side of it, so it is the same
/// whatever range is asked for: a range of that day alone, a month, a year, or one starting
/// long before the first case.
#[test]
fn a_days_verdict_is_the_same_whatever_the_range() {
    let c = cal(true);
    let mut loads = busy_june();
    loads.insert(
        d(2027, 6, 15),
        DayLoad {
            load: 30,
            no_accommodation: 12,
        },
    );
    let t = ClusterThresholds::default();
    let on = |from: NaiveDate, to: NaiveDate, day: NaiveDate| {
        clusters(&c, from, to, &loads, &t)
            .into_iter()
            .find(|k| k.day == day)
    };
    for day in [d(2027, 6, 15), d(2027, 6, 16), d(2027, 6, 30)] {
        let alone = on(day, day, day);
        for (from, to) in [
            (d(2027, 6, 1), d(2027, 6, 30)),
            (d(2027, 6, 10), d(2027, 6, 20).max(day)),
            (d(2027, 1, 1), d(2028, 12, 31)),
            (d(2020, 1, 1), d(2030, 12, 31)),
        ] {
            assert_eq!(on(from, to, day), alone, "{day} in {from}..{to}");
        }
    }
    assert!(on(d(2027, 6, 15), d(2027, 6, 15), d(2027, 6, 15)).is_some());
}

/// The rate's window is cut to the caseload's extent: four releases a day on each of 14 days,
/// twelve on the middle one. Counted over the whole 57-day window the usual rate would be
/// about 1 a day and twelve a spike; over the 14 days the caseload spans it is about 4.6 a day,
/// and twelve is less than three times that.
#[test]
fn the_rate_window_is_cut_to_the_caseloads_extent() {
    let c = cal(true);
    let first = d(2027, 6, 7);
    let mut loads: BTreeMap<NaiveDate, DayLoad> = (0..14)
        .map(|i| {
            (
                first + chrono::Days::new(i),
                DayLoad {
                    load: 4,
                    no_accommodation: 0,
                },
            )
        })
        .collect();
    let wed = d(2027, 6, 16);
    assert_eq!(c.covers(wed), vec![wed]);
    loads.insert(
        wed,
        DayLoad {
            load: 12,
            no_accommodation: 0,
        },
    );
    let t = ClusterThresholds::default();
    let found = clusters(&c, first, d(2027, 6, 20), &loads, &t);
    assert!(
        found.iter().all(|k| k.day != wed),
        "12 is under 3 × 64/14: {found:#?}"
    );
    let r = local_rate(wed, &loads, Extent::of(&loads), t.min_rate_days);
    assert!((r - 64.0 / 14.0).abs() < 1e-9, "{r}");
    // With the extent a caseload wider than these loads (as the store's might be), the window
    // is no longer cut: the same loads make Wed 16 Jun a spike.
    let wide = Extent {
        first: d(2027, 1, 1),
        last: d(2027, 12, 31),
    };
    let spread = clusters_within(&c, first, d(2027, 6, 20), &loads, Some(wide), &t);
    let k = spread.iter().find(|k| k.day == wed).expect("a spike");
    assert_eq!(k.kind, ClusterKind::Load);
    assert!((k.rate - 64.0 / 57.0).abs() < 1e-9, "{}", k.rate);
}
