//! The demo caseload: realistic, invented and the same for the same seed.

use super::rng::{add, sub};
use super::*;
use crate::domain::case::*;
use crate::domain::clusters::{clusters, ClusterKind, ClusterThresholds, DayLoad};
use crate::domain::holidays::{Division, HolidayFile};
use chrono::Months;
use std::collections::{BTreeMap, HashMap};

fn cal() -> Calendar {
    Calendar::new(
        HolidayFile::embedded().events(Division::EnglandAndWales),
        true,
    )
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn today() -> NaiveDate {
    d(2026, 11, 23)
}

fn opts(cases: usize, seed: u64) -> DemoOptions {
    DemoOptions {
        cases,
        seed,
        ..DemoOptions::default()
    }
}

#[test]
fn defaults() {
    assert_eq!(
        DemoOptions::default(),
        DemoOptions {
            cases: 250,
            seed: 1,
            weeks: 16
        }
    );
    assert_eq!(
        generate(&DemoOptions::default(), today(), &cal()).len(),
        250
    );
}

#[test]
fn lists_are_big_enough_and_clean() {
    let l = Lists::load();
    assert!(l.first.len() >= 150, "{} first names", l.first.len());
    assert!(l.last.len() >= 150, "{} last names", l.last.len());
    assert!(l.adult_prisons.len() >= 15);
    assert!(l.yoi_prisons.len() >= 2);
    assert!(l.officers.len() >= 12);
    assert!(l.teams.len() >= 5);
    for list in [
        &l.first,
        &l.last,
        &l.adult_prisons,
        &l.yoi_prisons,
        &l.officers,
        &l.teams,
    ] {
        let unique: HashSet<_> = list.iter().collect();
        assert_eq!(unique.len(), list.len(), "duplicates in a list");
        assert!(list.iter().all(|s| !s.chars().any(char::is_control)));
    }
    for name in ["Zoë", "Siân"] {
        assert!(l.first.contains(&name), "{name}");
    }
    for name in ["O'Neill", "Nowak", "Okafor", "Begum"] {
        assert!(l.last.contains(&name), "{name}");
    }
}

#[test]
fn deterministic() {
    let cal = cal();
    let a = generate(&DemoOptions::default(), today(), &cal);
    let b = generate(&DemoOptions::default(), today(), &cal);
    assert_eq!(a, b);
    let c = generate(&opts(250, 2), today(), &cal);
    assert_ne!(a, c);
    // Same seed, same people, whatever the day.
    let e = generate(&DemoOptions::default(), d(2027, 3, 1), &cal);
    let names = |v: &[Case]| {
        v.iter()
            .map(|c| (c.crn.clone(), c.name.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&a), names(&e));
}

#[test]
fn crns_and_noms_unique_and_well_formed() {
    let cases = generate(&opts(20_000, 7), today(), &cal());
    assert_eq!(cases.len(), 20_000);
    let crns: HashSet<&str> = cases.iter().map(|c| c.crn.as_str()).collect();
    assert_eq!(crns.len(), cases.len());
    let noms: Vec<&str> = cases
        .iter()
        .filter_map(|c| c.noms.as_ref().map(|n| n.as_str()))
        .collect();
    let unique: HashSet<&&str> = noms.iter().collect();
    assert_eq!(unique.len(), noms.len());
    let share = noms.len() as f64 / cases.len() as f64;
    assert!((0.85..0.95).contains(&share), "NOMS share {share}");
    for c in &cases {
        assert_eq!(c.crn.as_str().parse::<Crn>().unwrap(), c.crn);
        if let Some(n) = &c.noms {
            assert_eq!(n.as_str().parse::<Noms>().unwrap(), *n);
        }
        let (first, last) = c.name.split_once(' ').unwrap();
        assert!(!first.is_empty() && !last.is_empty());
    }
}

#[test]
fn nfa_share() {
    let cases = generate(&opts(600, 3), today(), &cal());
    let nfa = cases
        .iter()
        .filter(|c| c.accommodation == Accommodation::Nfa)
        .count();
    let share = nfa as f64 / cases.len() as f64;
    assert!((0.10..=0.25).contains(&share), "NFA share {share}");
}

#[test]
fn christmas_cluster() {
    let cal = cal();
    let from = today();
    let to = add(from, 16 * 7);
    let cases = generate(&DemoOptions::default(), from, &cal);
    let mut loads: BTreeMap<NaiveDate, DayLoad> = BTreeMap::new();
    for c in &cases {
        let l = loads.entry(cal.expected_day(c)).or_default();
        l.load += 1;
        if c.needs_accommodation() {
            l.no_accommodation += 1;
        }
    }
    let found = clusters(&cal, from, to, &loads, &ClusterThresholds::default());
    let big: Vec<_> = found
        .iter()
        .filter(|c| c.kind == ClusterKind::Holiday && c.load >= 5)
        .collect();
    assert!(!big.is_empty(), "{found:#?}");
    // The biggest one is Christmas: Wed 23 Dec under the Friday policy, and its covers hold a holiday.
    let xmas = big.iter().max_by_key(|c| c.load).unwrap();
    assert_eq!(xmas.day, d(2026, 12, 23));
    assert!(cal
        .covers(xmas.day)
        .iter()
        .any(|d| cal.holiday(*d).is_some()));
}

#[test]
fn release_dates_in_range() {
    let cal = cal();
    for (seed, weeks) in [(1, 16), (9, 4), (11, 52), (5, 0)] {
        let o = DemoOptions {
            cases: 2000,
            seed,
            weeks,
        };
        let t = today();
        let window_end = add(t, u64::from(weeks) * 7);
        let far_end = t
            .checked_add_months(Months::new(9))
            .unwrap()
            .max(add(window_end, 60));
        let cases = generate(&o, t, &cal);
        let mut recent = 0;
        let mut far = 0;
        for c in &cases {
            assert!(
                c.release_date >= sub(t, 14) && c.release_date <= far_end,
                "{c:?}"
            );
            if c.release_date < t {
                recent += 1;
                let e = cal.expected_day(c);
                assert!(e < t && e >= sub(t, 14));
            }
            if c.release_date > window_end {
                far += 1;
            }
            if let Some(day) = c.confirmed_day {
                let s = cal.statutory_day_of(c);
                assert!(day <= s && day >= sub(s, 2) && day >= t, "{c:?}");
            }
            if let Some(dtr) = c.dtr_date {
                assert!(dtr < t);
                assert_ne!(c.dtr(), DtrStatus::NotSent);
            }
            if c.dtr.is_some_and(|s| s != DtrStatus::NotSent) {
                assert!(c.dtr_date.is_some());
            }
        }
        assert!(recent >= 3, "recent {recent}");
        let share = far as f64 / cases.len() as f64;
        assert!((0.03..=0.09).contains(&share), "far share {share}");
    }
}

#[test]
fn realistic_mix() {
    let cal = cal();
    let cases = generate(
        &DemoOptions {
            cases: 2000,
            ..DemoOptions::default()
        },
        today(),
        &cal,
    );
    let n = cases.len() as f64;
    let share = |f: &dyn Fn(&Case) -> bool| cases.iter().filter(|c| f(c)).count() as f64 / n;
    let hdc = share(&|c| c.release_type == ReleaseType::Hdc);
    assert!((0.08..=0.12).contains(&hdc), "HDC {hdc}");
    let recall = share(&|c| {
        c.notes
            .as_deref()
            .is_some_and(|s| s.starts_with("Recall: fixed-term"))
    });
    assert!((0.04..=0.06).contains(&recall), "recall {recall}");
    let ap = share(&|c| c.ap_required());
    assert!((0.05..=0.09).contains(&ap), "AP {ap}");
    let no_officer = share(&|c| c.officer.is_none());
    assert!(
        (0.01..=0.05).contains(&no_officer),
        "no officer {no_officer}"
    );
    let notes = share(&|c| c.notes.is_some());
    assert!((0.25..=0.42).contains(&notes), "notes {notes}");
    let transient = share(&|c| c.accommodation == Accommodation::Transient);
    assert!((0.07..=0.13).contains(&transient), "transient {transient}");
    let unknown = share(&|c| c.accommodation == Accommodation::Unknown);
    assert!((0.05..=0.11).contains(&unknown), "unknown {unknown}");
    // AP cases are high risk under MAPPA 2 or 3 (Parole Board releases aside).
    for c in cases
        .iter()
        .filter(|c| c.ap_required() && c.release_type != ReleaseType::Apd)
    {
        assert!(matches!(c.rosh, Some(Rosh::High | Rosh::VeryHigh)));
        assert!(matches!(c.mappa, Some(2 | 3)));
        assert_eq!(c.accommodation, Accommodation::Ap);
    }
    // Youth cases come from YOIs; CAS2 accommodation means CAS2 accepted.
    for c in &cases {
        if matches!(c.release_type, ReleaseType::Etd | ReleaseType::Mtd) {
            assert!(c.prison.as_deref().unwrap().starts_with("HMYOI"));
        }
        if c.accommodation == Accommodation::Cas2 {
            assert_eq!(c.cas2(), Cas2Status::Accepted);
        }
    }
    // Officers always sit in the same team.
    let mut team_of: HashMap<&str, &str> = HashMap::new();
    for c in &cases {
        if let (Some(o), Some(t)) = (c.officer.as_deref(), c.team.as_deref()) {
            assert_eq!(*team_of.entry(o).or_insert(t), t);
        }
    }
    // Close to release most homeless cases have a DTR in; a minority still have none.
    let close: Vec<&Case> = cases
        .iter()
        .filter(|c| {
            let t = (c.release_date - today()).num_days();
            (0..=28).contains(&t)
                && c.needs_accommodation()
                && c.accommodation == Accommodation::Nfa
        })
        .collect();
    let no_dtr = close
        .iter()
        .filter(|c| c.dtr() == DtrStatus::NotSent)
        .count() as f64;
    assert!(!close.is_empty());
    let missing = no_dtr / close.len() as f64;
    assert!(
        missing > 0.0 && missing < 0.35,
        "DTR missing close to release: {missing}"
    );
}

#[test]
fn large_caseload() {
    let cases = generate(&opts(20_000, 42), today(), &cal());
    assert_eq!(cases.len(), 20_000);
}

#[test]
fn tiny_caseloads() {
    let cal = cal();
    for n in 0..12 {
        assert_eq!(generate(&opts(n, 1), today(), &cal).len(), n);
    }
}

#[test]
fn a_realistic_mix_of_handovers_and_readiness() {
    use crate::domain::handover::{Handover, HandoverRule};
    use std::collections::HashSet;
    let cases = generate(&DemoOptions::default(), today(), &cal());
    let rules: HashSet<HandoverRule> = cases.iter().map(|c| Handover::of(c).rule).collect();
    assert_eq!(rules.len(), HandoverRule::ALL.len(), "{rules:?}");
    let kinds: HashSet<String> = cases
        .iter()
        .filter_map(|c| c.appointment)
        .map(|a| match a {
            Appointment::At(_) => "at".to_string(),
            other => other.to_string(),
        })
        .collect();
    assert_eq!(kinds.len(), 4, "every kind of appointment: {kinds:?}");
    assert!(
        cases.iter().any(|c| c.appointment.is_none()),
        "some not booked"
    );
    let licences: HashSet<Option<LicenceStatus>> = cases.iter().map(|c| c.licence).collect();
    assert_eq!(
        licences.len(),
        5,
        "every status, and untracked: {licences:?}"
    );
    for check in [
        |c: &Case| c.id_documents,
        |c: &Case| c.bank_account,
        |c: &Case| c.benefits,
        |c: &Case| c.gp,
    ] {
        let seen: HashSet<Option<bool>> = cases.iter().map(check).collect();
        assert_eq!(seen.len(), 3, "yes, no and not known");
    }
    assert!(cases.iter().any(|c| c.pom.is_some()));
    assert!(cases.iter().all(|c| !c.recall() || c.pom.is_none()));
}
