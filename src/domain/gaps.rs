//! Gap flags (DOMAIN.md §4, with `NO_OFFICER` as §7 redefines it and §8's readiness flags):
//! one function per row of the tables, evaluated by one function.
//!
//! R = expected release day, T = today. A flag shows amber from its "shows from" day and
//! red from its "red from" day (both inclusive); its due day is the red-from day.

use super::calendar::Calendar;
use super::case::{
    ApStatus, Appointment, Cas2Status, Cas3Status, Case, CrsStatus, DtrStatus, LicenceStatus,
    ReleaseType,
};
use super::dates;
use super::handover::Handover;
use super::severity::Severity;
use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The flag codes of §4 and §8, in table order.
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
    NoAppointment,
    AppointmentLate,
    LicenceNotApproved,
}

impl FlagCode {
    pub const ALL: [FlagCode; 11] = [
        FlagCode::DtrNotSent,
        FlagCode::CrsNotSent,
        FlagCode::Cas3NotSent,
        FlagCode::ApNotSent,
        FlagCode::ApNotPlaced,
        FlagCode::Cas2NotSent,
        FlagCode::NfaAtRelease,
        FlagCode::NoOfficer,
        FlagCode::NoAppointment,
        FlagCode::AppointmentLate,
        FlagCode::LicenceNotApproved,
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
            FlagCode::NoAppointment => "NO_APPOINTMENT",
            FlagCode::AppointmentLate => "APPOINTMENT_LATE",
            FlagCode::LicenceNotApproved => "LICENCE_NOT_APPROVED",
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
            FlagCode::NoAppointment => "appt",
            FlagCode::AppointmentLate => "appt late",
            FlagCode::LicenceNotApproved => "licence",
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
            FlagCode::NoAppointment => "Initial appointment",
            FlagCode::AppointmentLate => "An earlier appointment",
            FlagCode::LicenceNotApproved => "Licence approval",
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
    /// OMiC (§7): Manage POM Cases lists handovers 8 weeks ahead, and counts a COM allocation
    /// overdue 2 days after the handover.
    pub officer_handover_shows_days: u32,
    pub officer_handover_red_days: u32,
    /// §8: the licence must name the first appointment; CVL's hard stop is 2 working days
    /// before release.
    pub appointment_shows_days: u32,
    pub appointment_red_working_days: u32,
    /// §8: CVL's hard-stop warning (4 working days) and hard stop (2).
    pub licence_shows_working_days: u32,
    pub licence_red_working_days: u32,
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
            officer_handover_shows_days: 56,
            officer_handover_red_days: 2,
            appointment_shows_days: 14,
            appointment_red_working_days: 2,
            licence_shows_working_days: 4,
            licence_red_working_days: 2,
        }
    }
}

/// A rule that applies to a case: from when it shows (None = always) and from when it is red.
struct Window {
    shows_from: Option<NaiveDate>,
    red_from: NaiveDate,
    /// `NO_OFFICER`: the handover day, where it is what made the flag show or turn red.
    handover: Option<HandoverCause>,
}

/// What the handover did to a `NO_OFFICER` flag: made it show early, or turn red early.
#[derive(Clone, Copy)]
struct HandoverCause {
    day: NaiveDate,
    shows: bool,
    red: bool,
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
        FlagCode::NoAppointment | FlagCode::AppointmentLate => {
            cal.working_days_before(r, t.appointment_red_working_days)
        }
        FlagCode::LicenceNotApproved => cal.working_days_before(r, t.licence_red_working_days),
    }
}

fn dtr_not_sent(c: &Case, r: NaiveDate, t: &GapThresholds, cal: &Calendar) -> Option<Window> {
    (c.needs_accommodation() && matches!(c.dtr(), DtrStatus::NotSent | DtrStatus::Withdrawn)).then(
        || Window {
            shows_from: Some(days_before(r, t.dtr_shows_days)),
            red_from: red_from(FlagCode::DtrNotSent, r, t, cal),
            handover: None,
        },
    )
}

fn crs_not_sent(c: &Case, r: NaiveDate, t: &GapThresholds, cal: &Calendar) -> Option<Window> {
    (c.needs_accommodation() && matches!(c.crs(), CrsStatus::NotSent | CrsStatus::Withdrawn)).then(
        || Window {
            shows_from: Some(days_before(r, t.crs_shows_days)),
            red_from: red_from(FlagCode::CrsNotSent, r, t, cal),
            handover: None,
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
        handover: None,
    })
}

fn ap_not_sent(c: &Case, r: NaiveDate, t: &GapThresholds, cal: &Calendar) -> Option<Window> {
    (c.ap_required() && matches!(c.ap(), ApStatus::NotSent | ApStatus::Withdrawn)).then(|| Window {
        shows_from: Some(months_before(r, t.ap_shows_months)),
        red_from: red_from(FlagCode::ApNotSent, r, t, cal),
        handover: None,
    })
}

fn ap_not_placed(c: &Case, r: NaiveDate, t: &GapThresholds, cal: &Calendar) -> Option<Window> {
    (c.ap_required() && matches!(c.ap(), ApStatus::Submitted | ApStatus::AssessedSuitable)).then(
        || Window {
            shows_from: Some(days_before(r, t.ap_placed_shows_days)),
            red_from: red_from(FlagCode::ApNotPlaced, r, t, cal),
            handover: None,
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
        handover: None,
    })
}

fn nfa_at_release(c: &Case, r: NaiveDate, t: &GapThresholds, cal: &Calendar) -> Option<Window> {
    c.needs_accommodation().then(|| Window {
        shows_from: Some(days_before(r, t.nfa_shows_days)),
        red_from: red_from(FlagCode::NfaAtRelease, r, t, cal),
        handover: None,
    })
}

/// §7: the §4 days, or earlier by the handover: shown from the earlier of H − 56 and R − 28,
/// red from the earlier of H + 2 and 5 working days before R. A recall (no H) keeps §4's.
fn no_officer(c: &Case, r: NaiveDate, t: &GapThresholds, cal: &Calendar) -> Option<Window> {
    let unallocated = c.officer.as_deref().is_none_or(|o| o.trim().is_empty());
    if !unallocated {
        return None;
    }
    let shows = days_before(r, t.officer_shows_days);
    let red = red_from(FlagCode::NoOfficer, r, t, cal);
    let Some(h) = Handover::of(c).day else {
        return Some(Window {
            shows_from: Some(shows),
            red_from: red,
            handover: None,
        });
    };
    let h_shows = days_before(h, t.officer_handover_shows_days);
    let h_red = h
        .checked_add_days(Days::new(t.officer_handover_red_days.into()))
        .unwrap_or(NaiveDate::MAX);
    Some(Window {
        shows_from: Some(shows.min(h_shows)),
        red_from: red.min(h_red),
        handover: Some(HandoverCause {
            day: h,
            shows: h_shows <= shows,
            red: h_red <= red,
        }),
    })
}

/// §8: no initial appointment recorded.
fn no_appointment(c: &Case, r: NaiveDate, t: &GapThresholds, cal: &Calendar) -> Option<Window> {
    c.appointment.is_none().then(|| Window {
        shows_from: Some(days_before(r, t.appointment_shows_days)),
        red_from: red_from(FlagCode::NoAppointment, r, t, cal),
        handover: None,
    })
}

/// §8: nowhere to go, and no one to see until the next day or later.
fn appointment_late(c: &Case, r: NaiveDate, t: &GapThresholds, cal: &Calendar) -> Option<Window> {
    let late = match c.appointment {
        Some(Appointment::NextDay2pm) => true,
        Some(Appointment::At(at)) => at.at().date() > r,
        _ => false,
    };
    (late && c.needs_accommodation()).then(|| Window {
        shows_from: Some(days_before(r, t.appointment_shows_days)),
        red_from: red_from(FlagCode::AppointmentLate, r, t, cal),
        handover: None,
    })
}

/// §8: a tracked licence not yet approved.
fn licence_not_approved(
    c: &Case,
    r: NaiveDate,
    t: &GapThresholds,
    cal: &Calendar,
) -> Option<Window> {
    matches!(
        c.licence,
        Some(LicenceStatus::NotStarted | LicenceStatus::InProgress | LicenceStatus::Submitted)
    )
    .then(|| Window {
        shows_from: Some(cal.working_days_before(r, t.licence_shows_working_days)),
        red_from: red_from(FlagCode::LicenceNotApproved, r, t, cal),
        handover: None,
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
        (FlagCode::NoAppointment, no_appointment(case, r, t, cal)),
        (FlagCode::AppointmentLate, appointment_late(case, r, t, cal)),
        (
            FlagCode::LicenceNotApproved,
            licence_not_approved(case, r, t, cal),
        ),
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
            // The handover named where it is what made the flag show (amber) or turn red.
            let handover = w.handover.filter(|h| match severity {
                Severity::Red => h.red,
                _ => h.shows,
            });
            let message = match handover {
                Some(h) => handover_message(h.day, today),
                None => message(code, w.red_from, r, today, case),
            };
            Some(Flag {
                code,
                severity,
                due: w.red_from,
                message,
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

/// `NO_OFFICER` where the handover made it show or turn red: "no community offender manager:
/// handover was due Fri 12 Mar".
fn handover_message(h: NaiveDate, today: NaiveDate) -> String {
    let day = dates::near(h, today);
    match h.cmp(&today) {
        std::cmp::Ordering::Less => {
            format!("no community offender manager: handover was due {day}")
        }
        std::cmp::Ordering::Equal => {
            format!("no community offender manager: handover due today ({day})")
        }
        std::cmp::Ordering::Greater => {
            format!("no community offender manager: handover due {day}")
        }
    }
}

/// A one-line message an officer would write: "DTR overdue by 4 days (due Tue 10 Nov)".
fn message(
    code: FlagCode,
    due: NaiveDate,
    release: NaiveDate,
    today: NaiveDate,
    case: &Case,
) -> String {
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
        FlagCode::NoAppointment => format!("No initial appointment booked, {when}"),
        FlagCode::AppointmentLate => {
            let appt = match case.appointment {
                Some(Appointment::At(at)) => format!(
                    "first appointment {} {}",
                    dates::near(at.at().date(), today),
                    at.at().format("%H:%M")
                ),
                _ => "first appointment the next working day at 14:00".to_string(),
            };
            format!("Nowhere to go and {appt}, {when}")
        }
        FlagCode::LicenceNotApproved => {
            let status = match case.licence {
                Some(LicenceStatus::NotStarted) | None => "not started".to_string(),
                Some(l) => format!("{}, not yet approved", l.words()),
            };
            format!("Licence {status}, {when}")
        }
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
