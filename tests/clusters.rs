//! DOMAIN.md §2: holiday clusters from the calendar alone, load clusters from the cases.

use chrono::{Datelike, NaiveDate, Weekday};
use releaseday::domain::calendar::Calendar;
use releaseday::domain::clusters::{clusters, ClusterKind, ClusterThresholds, DayLoad};
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
    let total = base_total - 2 + 12;
    // Tue 1 Jun to Thu 29 Jul (Fri 30 Jul carries nothing), both counted: 59 days.
    assert_eq!(*loads.last_key_value().unwrap().0, d(2027, 7, 29));
    let r = total as f64 / 59.0;
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
    // 12 ≥ 5 × r (r ≈ 1.65), so red.
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
        let mut loads = steady_loads();
        loads.insert(
            tue,
            DayLoad {
                load,
                no_accommodation: 0,
            },
        );
        clusters(&c, tue, tue, &loads, &ClusterThresholds::default())
    };
    // The range is the one day, so r = load / 7 and expected = load / 7: any load ≥ 5 is a spike.
    assert!(run(4).is_empty(), "fewer than five is never a cluster");
    let five = run(5);
    assert_eq!(five.len(), 1);
    assert_eq!(five[0].kind, ClusterKind::Load);
    assert_eq!(five[0].severity, Severity::Red, "5 ≥ 5 × 5/7");
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
