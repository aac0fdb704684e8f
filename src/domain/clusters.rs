//! Release clusters (DOMAIN.md §2): holiday clusters from the calendar alone, load clusters
//! from the cases, judged against the local rate (the 28 days either side of a day, cut to the
//! caseload's extent), so a day's verdict never depends on the range asked for.
//!
//! Also the officer's wording of a cluster ("takes releases due 24–28 Dec", "1 release",
//! "5× the usual 2 a day"), shared by the command line, the calendar screen and the ICS export.

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

/// The days either side of D whose releases make the usual rate of §2 (W(D) = D − 28 … D + 28).
pub const RATE_WINDOW_DAYS: u64 = 28;

/// The caseload's extent: its earliest and latest expected day. §2 cuts each day's rate window
/// to it, so days before the first case or after the last never dilute the usual rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extent {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl Extent {
    /// The extent of a whole caseload's loads; `None` when it has no releases.
    pub fn of(loads: &BTreeMap<NaiveDate, DayLoad>) -> Option<Extent> {
        let mut days = loads.iter().filter(|(_, l)| l.load > 0).map(|(d, _)| *d);
        let first = days.next()?;
        let last = days.next_back().unwrap_or(first);
        Some(Extent { first, last })
    }

    /// The smallest extent holding both.
    pub fn union(a: Option<Extent>, b: Option<Extent>) -> Option<Extent> {
        match (a, b) {
            (Some(a), Some(b)) => Some(Extent {
                first: a.first.min(b.first),
                last: a.last.max(b.last),
            }),
            (a, None) => a,
            (None, b) => b,
        }
    }
}

/// The days whose loads `clusters_within` reads for `[from, to]`: 28 days either side.
pub fn rate_window(from: NaiveDate, to: NaiveDate) -> (NaiveDate, NaiveDate) {
    let days = Days::new(RATE_WINDOW_DAYS);
    (
        from.checked_sub_days(days).unwrap_or(NaiveDate::MIN),
        to.checked_add_days(days).unwrap_or(NaiveDate::MAX),
    )
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
    /// r(D): the usual releases a day around D (§2's local rate).
    pub rate: f64,
    /// r × max(1, |covers|): the load an ordinary day like this would carry.
    pub expected_load: f64,
    pub message: String,
}

impl Cluster {
    /// The due dates it takes, "24–28 Dec", or "none due" for a day no ordinary release is due
    /// to go out on (a Thursday before Good Friday under the Friday policy, a weekend).
    pub fn takes(&self) -> String {
        match (self.covers.first(), self.covers.last()) {
            (Some(a), Some(b)) => dates::range(*a, *b),
            _ => "none due".into(),
        }
    }

    /// "1 release", "21 releases".
    pub fn releases(&self) -> String {
        releases(self.load)
    }

    /// Why it is a cluster, in a few words: the holidays it takes, or how far above the usual
    /// load it is ("5× the usual 2 a day").
    pub fn why(&self) -> String {
        match self.kind {
            ClusterKind::Holiday => self.holidays.join(", "),
            ClusterKind::Load => spike(self.load, self.rate, self.covers.len()),
        }
    }
}

/// "1 release", "21 releases".
pub fn releases(n: usize) -> String {
    if n == 1 {
        "1 release".into()
    } else {
        format!("{n} releases")
    }
}

/// A rate or ratio as an officer would say it: whole numbers from 10, else one decimal
/// without a trailing ".0" ("2", "2.4", "0.3").
fn amount(x: f64) -> String {
    if x >= 9.95 {
        format!("{x:.0}")
    } else if x < 0.05 {
        "under 0.1".into()
    } else {
        let s = format!("{x:.1}");
        s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
    }
}

/// "5× the usual 2 a day"; for a day that takes several days' releases, the usual for such a
/// day too: "4× the usual 8 for the 4 days it takes (2 a day)".
fn spike(load: usize, rate: f64, covers: usize) -> String {
    let days = covers.max(1);
    let expected = rate * days as f64;
    let times = if expected > 0.0 {
        format!("{}×", amount(load as f64 / expected))
    } else {
        "far above".into()
    };
    if days == 1 {
        format!("{times} the usual {} a day", amount(rate))
    } else {
        format!(
            "{times} the usual {} for the {days} days it takes ({} a day)",
            amount(expected),
            amount(rate)
        )
    }
}

/// Every holiday or load cluster day in `[from, to]`, in date order, where `loads` holds the
/// whole caseload's releases per expected day (its extent is the caseload's).
pub fn clusters(
    cal: &Calendar,
    from: NaiveDate,
    to: NaiveDate,
    loads: &BTreeMap<NaiveDate, DayLoad>,
    t: &ClusterThresholds,
) -> Vec<Cluster> {
    clusters_within(cal, from, to, loads, Extent::of(loads), t)
}

/// As `clusters`, where `loads` need hold only the releases expected from 28 days before
/// `from` to 28 days after `to` (`rate_window`) and `extent` is the whole caseload's.
///
/// r(D) = the releases expected in W(D) = [D − 28, D + 28] cut to `extent`, ÷ the days in
/// W(D) (at least `min_rate_days`); expected(D) = r(D) × max(1, |covers(D)|). Each day's
/// verdict reads only its own window, never the range asked for.
pub fn clusters_within(
    cal: &Calendar,
    from: NaiveDate,
    to: NaiveDate,
    loads: &BTreeMap<NaiveDate, DayLoad>,
    extent: Option<Extent>,
    t: &ClusterThresholds,
) -> Vec<Cluster> {
    let mut out = Vec::new();
    let mut d = from;
    while d <= to {
        let load = loads.get(&d).copied().unwrap_or_default();
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
        // A day with no holiday and fewer releases than a spike needs is never a cluster:
        // its rate need not be worked out.
        if !holidays.is_empty() || load.load >= t.min_load {
            let rate = local_rate(d, loads, extent, t.min_rate_days);
            let expected = rate * covers.len().max(1) as f64;
            let spike =
                |factor: f64| load.load >= t.min_load && load.load as f64 >= factor * expected;
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
                let message = describe(cal, d, kind, &covers, &holidays, load, rate);
                out.push(Cluster {
                    day: d,
                    kind,
                    severity,
                    covers,
                    holidays,
                    load: load.load,
                    no_accommodation: load.no_accommodation,
                    rate,
                    expected_load: expected,
                    message,
                });
            }
        }
        match d.checked_add_days(Days::new(1)) {
            Some(n) => d = n,
            None => break,
        }
    }
    out
}

/// r(D) of §2: releases expected in D − 28 … D + 28 cut to the caseload's extent, per day of
/// that window, the window counted as at least `min_days` days.
pub fn local_rate(
    day: NaiveDate,
    loads: &BTreeMap<NaiveDate, DayLoad>,
    extent: Option<Extent>,
    min_days: i64,
) -> f64 {
    let Some(extent) = extent else {
        return 0.0;
    };
    let (lo, hi) = rate_window(day, day);
    let (lo, hi) = (lo.max(extent.first), hi.min(extent.last));
    let (total, days) = if lo <= hi {
        let total: usize = loads.range(lo..=hi).map(|(_, l)| l.load).sum();
        (total, (hi - lo).num_days() + 1)
    } else {
        (0, 0)
    };
    total as f64 / days.max(min_days).max(1) as f64
}

/// The officer's sentence for a warning: the days it takes and the holidays, how the Friday
/// policy moves it ("Thu 24 Dec 2026 takes releases due 24–28 Dec; under the Friday policy
/// most go out Wed 23 Dec, which then covers 23–28 Dec"), and its releases.
fn describe(
    cal: &Calendar,
    day: NaiveDate,
    kind: ClusterKind,
    covers: &[NaiveDate],
    holidays: &[String],
    load: DayLoad,
    rate: f64,
) -> String {
    let mut s = match (covers.first(), covers.last()) {
        (Some(&a), Some(&b)) => {
            // The statutory day of the last covered date is the day the policy moved them from.
            let statutory = cal.statutory_day(b, crate::domain::case::ReleaseType::Crd);
            let moved: Vec<NaiveDate> =
                covers.iter().copied().filter(|c| *c >= statutory).collect();
            match (moved.first(), moved.last()) {
                (Some(&sa), Some(&sb)) if cal.friday_policy() && statutory != day => format!(
                    "{} takes releases due {}; under the Friday policy most go out {}, which then covers {}",
                    dates::long(statutory),
                    dates::range(sa, sb),
                    dates::short(day),
                    dates::range(a, b)
                ),
                _ => format!(
                    "{} takes releases due {}",
                    dates::long(day),
                    dates::range(a, b)
                ),
            }
        }
        _ if cal.is_working(day) => format!(
            "{} takes no ordinary releases (those due on it go out {})",
            dates::long(day),
            dates::short(cal.ordinary_expected_day(day))
        ),
        _ => format!(
            "{} is not a working day, but releases are expected on it",
            dates::long(day)
        ),
    };
    if !holidays.is_empty() {
        s += &format!(" ({})", holidays.join(", "));
    }
    match kind {
        ClusterKind::Load => {
            s += &format!(
                "; {}, {}, {} with nowhere to go",
                releases(load.load),
                spike(load.load, rate, covers.len()),
                load.no_accommodation
            );
        }
        ClusterKind::Holiday if load.load > 0 => {
            s += &format!(
                "; {} expected, {} with nowhere to go",
                releases(load.load),
                load.no_accommodation
            );
        }
        ClusterKind::Holiday => {}
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_as_an_officer_would_say_them() {
        assert_eq!(amount(2.0), "2");
        assert_eq!(amount(2.44), "2.4");
        assert_eq!(amount(0.31), "0.3");
        assert_eq!(amount(12.4), "12");
        assert_eq!(amount(0.01), "under 0.1");
        assert_eq!(spike(10, 2.0, 1), "5× the usual 2 a day");
        assert_eq!(
            spike(32, 2.0, 4),
            "4× the usual 8 for the 4 days it takes (2 a day)"
        );
        assert_eq!(releases(1), "1 release");
        assert_eq!(releases(0), "0 releases");
    }
}
