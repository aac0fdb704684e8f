//! Gap flags (DOMAIN.md §4): one function per row of the table, evaluated by one function.
//!
//! R = expected release day, T = today. A flag shows amber from its "shows from" day and
//! red from its "red from" day (both inclusive); its due day is the red-from day.

use super::calendar::Calendar;
use super::case::{ApStatus, Cas2Status, Cas3Status, Case, CrsStatus, DtrStatus, ReleaseType};
use super::dates;
use super::severity::Severity;
use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The eight flag codes of §4, in table order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FlagCode {
    DtrNotSent,
    CrsNotSent,
    Cas3NotSent,
    ApNotSent,
    ApNotPlaced,
    Cas2NotSent,
    NfaAtRelease,
    NoOfficer,
}

impl FlagCode {
    pub const ALL: [FlagCode; 8] = [
        FlagCode::DtrNotSent,
        FlagCode::CrsNotSent,
        FlagCode::Cas3NotSent,
        FlagCode::ApNotSent,
        FlagCode::ApNotPlaced,
        FlagCode::Cas2NotSent,
        FlagCode::NfaAtRelease,
        FlagCode::NoOfficer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FlagCode::DtrNotSent => "DTR_NOT_SENT",
            FlagCode::CrsNotSent => "CRS_NOT_SENT",
            FlagCode::Cas3NotSent => "CAS3_NOT_SENT",
            FlagCode::ApNotSent => "AP_NOT_SENT",
            FlagCode::ApNotPlaced => "AP_NOT_PLACED",
            FlagCode::Cas2NotSent => "CAS2_NOT_SENT",
            FlagCode::NfaAtRelease => "NFA_AT_RELEASE",
            FlagCode::NoOfficer => "NO_OFFICER",
        }
    }

    /// The code shortened for a narrow column: "DTR", "AP place", "officer".
    pub fn short(self) -> &'static str {
        match self {
            FlagCode::DtrNotSent => "DTR",
            FlagCode::CrsNotSent => "CRS",
            FlagCode::Cas3NotSent => "CAS3",
            FlagCode::ApNotSent => "AP",
            FlagCode::ApNotPlaced => "AP place",
            FlagCode::Cas2NotSent => "CAS2",
            FlagCode::NfaAtRelease => "NFA",
            FlagCode::NoOfficer => "officer",
        }
    }

    pub fn parse(s: &str) -> Option<FlagCode> {
        let norm = super::case::normalise_code(s);
        FlagCode::ALL.into_iter().find(|c| c.as_str() == norm)
    }

    /// What an officer must do, as the start of the flag's message.
    fn action(self) -> &'static str {
        match self {
            FlagCode::DtrNotSent => "DTR",
            FlagCode::CrsNotSent => "CRS referral",
            FlagCode::Cas3NotSent => "CAS3 referral",
            FlagCode::ApNotSent => "AP application",
            FlagCode::ApNotPlaced => "AP placement",
            FlagCode::Cas2NotSent => "CAS2 referral",
            FlagCode::NfaAtRelease => "Accommodation",
            FlagCode::NoOfficer => "Officer allocation",
        }
    }
}

impl fmt::Display for FlagCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One flag on one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flag {
    pub code: FlagCode,
    pub severity: Severity,
    /// The red-from day.
    pub due: NaiveDate,
    pub message: String,
}

/// The thresholds of §4. Defaults are the table's; a team's config may change them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GapThresholds {
    /// Homelessness Reduction Act 2017: refer within 56 days; show from 84.
    pub dtr_shows_days: u32,
    pub dtr_red_days: u32,
    /// CRS prompted 12 weeks before release; CAS3 needs it first.
    pub crs_shows_days: u32,
    pub crs_red_days: u32,
    /// CAS3 takes referrals for releases within 3 months.
    pub cas3_shows_months: u32,
    pub cas3_red_days: u32,
    /// CAS1: apply 6 months ahead (shown from 12); ≤ 28 days is short notice.
    pub ap_shows_months: u32,
    pub ap_red_days: u32,
    pub ap_placed_shows_days: u32,
    pub ap_placed_red_days: u32,
    /// CAS2 warns under 21 days and refuses at 10.
    pub cas2_red_days: u32,
    pub nfa_shows_days: u32,
    pub nfa_red_days: u32,
    pub officer_shows_days: u32,
    /// Licence work warns of late allocation at 5 working days.
    pub officer_red_working_days: u32,
}

impl Default for GapThresholds {
    fn default() -> Self {
        GapThresholds {
            dtr_shows_days: 84,
            dtr_red_days: 56,
            crs_shows_days: 112,
            crs_red_days: 84,
            cas3_shows_months: 3,
            cas3_red_days: 28,
            ap_shows_months: 12,
            ap_red_days: 28,
            ap_placed_shows_days: 56,
            ap_placed_red_days: 14,
            cas2_red_days: 21,
            nfa_shows_days: 28,
            nfa_red_days: 7,
            officer_shows_days: 28,
            officer_red_working_days: 5,
        }
    }
}

/// A rule that applies to a case: from when it shows (None = always) and from when it is red.
struct Window {
    shows_from: Option<NaiveDate>,
    red_from: NaiveDate,
}

fn days_before(r: NaiveDate, n: u32) -> NaiveDate {
    r.checked_sub_days(Days::new(n.into()))
        .unwrap_or(NaiveDate::MIN)
}

/// Calendar months back, clamped to the month's end (31 May − 3 months = 28/29 Feb).
fn months_before(r: NaiveDate, n: u32) -> NaiveDate {
    r.checked_sub_months(Months::new(n))
        .unwrap_or(NaiveDate::MIN)
}

/// The red-from (due) day of a rule for a release on `r`, whether or not the rule applies:
/// the detail pane shows each referral's deadline beside its status.
pub fn red_from(code: FlagCode, r: NaiveDate, t: &GapThresholds, cal: &Calendar) -> NaiveDate {
    match code {
        FlagCode::DtrNotSent => days_before(r, t.dtr_red_days),
        FlagCode::CrsNotSent => days_before(r, t.crs_red_days),
        FlagCode::Cas3NotSent => days_before(r, t.cas3_red_days),
        FlagCode::ApNotSent => days_before(r, t.ap_red_days),
        FlagCode::ApNotPlaced => days_before(r, t.ap_placed_red_days),
        FlagCode::Cas2NotSent => days_before(r, t.cas2_red_days),
        FlagCode::NfaAtRelease => days_before(r, t.nfa_red_days),
        FlagCode::NoOfficer => cal.working_days_before(r, t.officer_red_working_days),
    }
}

fn dtr_not_sent(c: &Case, r: NaiveDate, t: &GapThresholds, cal: &Calendar) -> Option<Window> {
    (c.needs_accommodation() && matches!(c.dtr(), DtrStatus::NotSent | DtrStatus::Withdrawn)).then(
        || Window {
            shows_from: Some(days_before(r, t.dtr_shows_days)),
            red_from: red_from(FlagCode::DtrNotSent, r, t, cal),
        },
    )
}

fn crs_not_sent(c: &Case, r: NaiveDate, t: &GapThresholds, cal: &Calendar) -> Option<Window> {
    (c.needs_accommodation() && matches!(c.crs(), CrsStatus::NotSent | CrsStatus::Withdrawn)).then(
        || Window {
            shows_from: Some(days_before(r, t.crs_shows_days)),
            red_from: red_from(FlagCode::CrsNotSent, r, t, cal),
        },
    )
}

fn cas3_not_sent(c: &Case, r: NaiveDate, t: &GapThresholds, cal: &Calendar) -> Option<Window> {
    (c.needs_accommodation()
        && c.release_type != ReleaseType::Hdc
        && !c.on_ap_route()
        && matches!(c.cas3(), Cas3Status::NotSent | Cas3Status::Withdrawn))
    .then(|| Window {
        shows_from: Some(months_before(r, t.cas3_shows_months)),
        red_from: red_from(FlagCode::Cas3NotSent, r, t, cal),
    })
}

fn ap_not_sent(c: &Case, r: NaiveDate, t: &GapThresholds, cal: &Calendar) -> Option<Window> {
    (c.ap_required() && matches!(c.ap(), ApStatus::NotSent | ApStatus::Withdrawn)).then(|| Window {
        shows_from: Some(months_before(r, t.ap_shows_months)),
        red_from: red_from(FlagCode::ApNotSent, r, t, cal),
    })
}

fn ap_not_placed(c: &Case, r: NaiveDate, t: &GapThresholds, cal: &Calendar) -> Option<Window> {
    (c.ap_required() && matches!(c.ap(), ApStatus::Submitted | ApStatus::AssessedSuitable)).then(
        || Window {
            shows_from: Some(days_before(r, t.ap_placed_shows_days)),
            red_from: red_from(FlagCode::ApNotPlaced, r, t, cal),
        },
    )
}

fn cas2_not_sent(c: &Case, r: NaiveDate, t: &GapThresholds, cal: &Calendar) -> Option<Window> {
    (c.release_type == ReleaseType::Hdc
        && c.needs_accommodation()
        && matches!(c.cas2(), Cas2Status::NotSent | Cas2Status::Withdrawn))
    .then(|| Window {
        shows_from: None,
        red_from: red_from(FlagCode::Cas2NotSent, r, t, cal),
    })
}

fn nfa_at_release(c: &Case, r: NaiveDate, t: &GapThresholds, cal: &Calendar) -> Option<Window> {
    c.needs_accommodation().then(|| Window {
        shows_from: Some(days_before(r, t.nfa_shows_days)),
        red_from: red_from(FlagCode::NfaAtRelease, r, t, cal),
    })
}

fn no_officer(c: &Case, r: NaiveDate, t: &GapThresholds, cal: &Calendar) -> Option<Window> {
    let unallocated = c.officer.as_deref().is_none_or(|o| o.trim().is_empty());
    unallocated.then(|| Window {
        shows_from: Some(days_before(r, t.officer_shows_days)),
        red_from: red_from(FlagCode::NoOfficer, r, t, cal),
    })
}

/// Every flag shown for `case` today, in table order. `expected` is the case's expected day (R).
/// Nothing for a case already released (R < T).
pub fn flags(
    case: &Case,
    expected: NaiveDate,
    today: NaiveDate,
    cal: &Calendar,
    t: &GapThresholds,
) -> Vec<Flag> {
    if expected < today {
        return Vec::new();
    }
    let r = expected;
    let windows = [
        (FlagCode::DtrNotSent, dtr_not_sent(case, r, t, cal)),
        (FlagCode::CrsNotSent, crs_not_sent(case, r, t, cal)),
        (FlagCode::Cas3NotSent, cas3_not_sent(case, r, t, cal)),
        (FlagCode::ApNotSent, ap_not_sent(case, r, t, cal)),
        (FlagCode::ApNotPlaced, ap_not_placed(case, r, t, cal)),
        (FlagCode::Cas2NotSent, cas2_not_sent(case, r, t, cal)),
        (FlagCode::NfaAtRelease, nfa_at_release(case, r, t, cal)),
        (FlagCode::NoOfficer, no_officer(case, r, t, cal)),
    ];
    windows
        .into_iter()
        .filter_map(|(code, w)| {
            let w = w?;
            let severity = if today >= w.red_from {
                Severity::Red
            } else if w.shows_from.is_none_or(|s| today >= s) {
                Severity::Amber
            } else {
                return None;
            };
            Some(Flag {
                code,
                severity,
                due: w.red_from,
                message: message(code, w.red_from, r, today),
            })
        })
        .collect()
}

/// How far ahead a release can be and still show a flag today: (for every rule but the
/// AP application's, for AP-required cases). HDC cases show CAS2 at any distance. A few days'
/// margin covers calendar-month arithmetic; the rules themselves decide each flag.
pub fn horizons(today: NaiveDate, t: &GapThresholds) -> (NaiveDate, NaiveDate) {
    let days = [
        t.dtr_shows_days,
        t.crs_shows_days,
        t.ap_placed_shows_days,
        t.nfa_shows_days,
        t.officer_shows_days,
    ]
    .into_iter()
    .max()
    .unwrap_or(0);
    let by_days = today.checked_add_days(Days::new(u64::from(days) + 3));
    let by_months = today
        .checked_add_months(Months::new(t.cas3_shows_months))
        .and_then(|d| d.checked_add_days(Days::new(3)));
    let near = by_days.max(by_months).unwrap_or(NaiveDate::MAX);
    let ap = today
        .checked_add_months(Months::new(t.ap_shows_months))
        .and_then(|d| d.checked_add_days(Days::new(3)))
        .unwrap_or(NaiveDate::MAX)
        .max(near);
    (near, ap)
}

/// The flag to show for a case in one cell: red before amber, then the one whose deadline
/// is nearest the release (the most pressing now: released today with nowhere to go outranks
/// a CRS referral that fell due in August), then table order.
pub fn worst(flags: &[Flag]) -> Option<&Flag> {
    flags
        .iter()
        .min_by_key(|f| (f.severity, std::cmp::Reverse(f.due), f.code))
}

/// A one-line message an officer would write: "DTR overdue by 4 days (due Tue 10 Nov)".
fn message(code: FlagCode, due: NaiveDate, release: NaiveDate, today: NaiveDate) -> String {
    let late = (today - due).num_days();
    let to_release = (release - today).num_days();
    let when = match to_release {
        0 => "release today".to_string(),
        1 => "release tomorrow".to_string(),
        n => format!(
            "release in {} ({})",
            dates::days(n),
            dates::near(release, today)
        ),
    };
    match code {
        FlagCode::NfaAtRelease => format!("No accommodation booked, {when}"),
        FlagCode::NoOfficer => format!("No officer allocated, {when}"),
        _ => {
            let what = code.action();
            let due_s = dates::near(due, today);
            if late > 0 {
                format!("{what} overdue by {} (due {due_s})", dates::days(late))
            } else if late == 0 {
                format!("{what} due today ({due_s})")
            } else {
                format!("{what} due in {} (by {due_s})", dates::days(-late))
            }
        }
    }
}
