//! Release clusters (DOMAIN.md §2): holiday clusters from the calendar alone, load clusters
//! from the cases.

use super::calendar::Calendar;
use super::dates;
use super::severity::Severity;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClusterKind {
    Holiday,
    Load,
}

impl ClusterKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ClusterKind::Holiday => "holiday",
            ClusterKind::Load => "load",
        }
    }
}

/// Releases expected on one day: how many, and how many of them need accommodation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayLoad {
    pub load: usize,
    pub no_accommodation: usize,
}

/// Releases per expected day from (expected day, needs accommodation) pairs: load(D) of §2.
pub fn loads(cases: impl IntoIterator<Item = (NaiveDate, bool)>) -> BTreeMap<NaiveDate, DayLoad> {
    let mut out: BTreeMap<NaiveDate, DayLoad> = BTreeMap::new();
    for (day, homeless) in cases {
        let e = out.entry(day).or_default();
        e.load += 1;
        if homeless {
            e.no_accommodation += 1;
        }
    }
    out
}

/// The thresholds of §2's load-cluster rule and severity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClusterThresholds {
    /// A spike needs at least this many releases on the day.
    pub min_load: usize,
    /// ... and at least this many times the expected load.
    pub load_factor: f64,
    /// Red when load ≥ min_load and ≥ this many times expected.
    pub red_load_factor: f64,
    /// Red when covers span at least this many days.
    pub red_span_days: usize,
    /// The rate's denominator is at least this many days.
    pub min_rate_days: i64,
    /// Warnings begin this many weeks ahead.
    pub warn_weeks: u32,
}

impl Default for ClusterThresholds {
    fn default() -> Self {
        ClusterThresholds {
            min_load: 5,
            load_factor: 3.0,
            red_load_factor: 5.0,
            red_span_days: 5,
            min_rate_days: 7,
            warn_weeks: 8,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cluster {
    pub day: NaiveDate,
    pub kind: ClusterKind,
    pub severity: Severity,
    pub covers: Vec<NaiveDate>,
    pub holidays: Vec<String>,
    pub load: usize,
    pub no_accommodation: usize,
    /// r × max(1, |covers|): the load an ordinary day like this would carry.
    pub expected_load: f64,
    pub message: String,
}

/// Every holiday or load cluster day in `[from, to]`, in date order. `loads` holds the
/// releases per expected day in the range (days outside it are ignored).
pub fn clusters(
    cal: &Calendar,
    from: NaiveDate,
    to: NaiveDate,
    loads: &BTreeMap<NaiveDate, DayLoad>,
    t: &ClusterThresholds,
) -> Vec<Cluster> {
    let in_range: BTreeMap<NaiveDate, DayLoad> = loads
        .range(from..=to)
        .filter(|(_, l)| l.load > 0)
        .map(|(d, l)| (*d, *l))
        .collect();
    let rate = rate(&in_range, t.min_rate_days);
    let mut out = Vec::new();
    let mut d = from;
    while d <= to {
        let load = in_range.get(&d).copied().unwrap_or_default();
        let covers = cal.covers(d);
        let mut holidays: Vec<String> = Vec::new();
        for title in covers
            .iter()
            .filter_map(|c| cal.holiday(*c).map(|h| h.title))
        {
            if !holidays.contains(&title) {
                holidays.push(title);
            }
        }
        let expected = rate * covers.len().max(1) as f64;
        let spike = |factor: f64| load.load >= t.min_load && load.load as f64 >= factor * expected;
        let kind = if !holidays.is_empty() {
            Some(ClusterKind::Holiday)
        } else if spike(t.load_factor) {
            Some(ClusterKind::Load)
        } else {
            None
        };
        if let Some(kind) = kind {
            let span = match (covers.first(), covers.last()) {
                (Some(a), Some(b)) => (*b - *a).num_days() as usize + 1,
                _ => 0,
            };
            let severity = if span >= t.red_span_days || spike(t.red_load_factor) {
                Severity::Red
            } else {
                Severity::Amber
            };
            let message = describe(cal, d, kind, &covers, &holidays, load, expected);
            out.push(Cluster {
                day: d,
                kind,
                severity,
                covers,
                holidays,
                load: load.load,
                no_accommodation: load.no_accommodation,
                expected_load: expected,
                message,
            });
        }
        match d.checked_add_days(Days::new(1)) {
            Some(n) => d = n,
            None => break,
        }
    }
    out
}

/// r: releases in the range per calendar day from the earliest to the latest release day
/// (both counted), with at least `min_days` days.
fn rate(loads: &BTreeMap<NaiveDate, DayLoad>, min_days: i64) -> f64 {
    let (Some((first, _)), Some((last, _))) = (loads.first_key_value(), loads.last_key_value())
    else {
        return 0.0;
    };
    let total: usize = loads.values().map(|l| l.load).sum();
    let span = ((*last - *first).num_days() + 1).max(min_days);
    total as f64 / span as f64
}

/// The officer's sentence for a warning.
fn describe(
    cal: &Calendar,
    day: NaiveDate,
    kind: ClusterKind,
    covers: &[NaiveDate],
    holidays: &[String],
    load: DayLoad,
    expected: f64,
) -> String {
    let mut s = match (covers.first(), covers.last()) {
        (Some(a), Some(b)) => format!(
            "{} takes releases due {}",
            dates::long(day),
            dates::range(*a, *b)
        ),
        _ => format!("{} has releases", dates::long(day)),
    };
    if !holidays.is_empty() {
        s += &format!(" ({})", holidays.join(", "));
    }
    if let (true, Some(&last)) = (cal.friday_policy(), covers.last()) {
        // The statutory day of the last covered date is the day the policy moved them from.
        let statutory = cal.statutory_day(last, crate::domain::case::ReleaseType::Crd);
        if statutory != day {
            let stat_covers: Vec<NaiveDate> =
                covers.iter().copied().filter(|c| *c >= statutory).collect();
            if let (Some(a), Some(b)) = (stat_covers.first(), stat_covers.last()) {
                s += &format!(
                    "; under the Friday policy they go out here rather than on the statutory {}, which would take {}",
                    dates::short(statutory),
                    dates::range(*a, *b)
                );
            }
        }
    }
    if kind == ClusterKind::Load {
        s += &format!(
            "; {} releases where about {:.1} would be usual, {} with nowhere to go",
            load.load, expected, load.no_accommodation
        );
    } else if load.load > 0 {
        s += &format!(
            "; {} release{} expected, {} with nowhere to go",
            load.load,
            if load.load == 1 { "" } else { "s" },
            load.no_accommodation
        );
    }
    s
}
