//! Words the screens and the command line both show, so each says a thing the same way.

use super::CaseView;
use crate::domain::case::{Appointment, Case};
use crate::domain::dates;
use chrono::{NaiveDate, NaiveDateTime};

/// How the duty sheet's first part is ordered: today's releases.
pub const EXPECTED_ORDER: &str = "by name";
/// How its second part is ordered: earlier days' releases not yet reported.
pub const OUTSTANDING_ORDER: &str = "by day, then name";

/// The accommodation as the duty sheet shows it, naming a place booked: "NFA · CAS3 bed
/// booked" (somewhere to go tonight, though the record still says no fixed abode), "NFA",
/// "SETTLED". Whether to mark it as nowhere to go is `Case::needs_accommodation`.
pub fn accommodation(case: &Case) -> String {
    match case.booked_place() {
        Some(place) => format!("{} · {place}", case.accommodation),
        None => case.accommodation.to_string(),
    }
}

/// A moment as the duty sheet says it: "09:30" today, "tomorrow 14:00", "Tue 1 Dec 14:00".
pub fn moment(t: NaiveDateTime, today: NaiveDate) -> String {
    let time = t.format("%H:%M");
    match (t.date() - today).num_days() {
        0 => time.to_string(),
        1 => format!("tomorrow {time}"),
        _ => format!("{} {time}", dates::near(t.date(), today)),
    }
}

/// The initial appointment for the sheet: "09:30", "at the gate", "tomorrow 14:00 (next day,
/// 2pm)", "not needed", "none booked".
pub fn appointment(v: &CaseView, today: NaiveDate) -> String {
    match (v.case.appointment, v.appointment_at) {
        (None, _) => "none booked".into(),
        (Some(Appointment::NotNeeded), _) => "not needed".into(),
        (Some(Appointment::Immediate), _) => "at the gate".into(),
        (Some(_), Some(t)) => moment(t, today),
        (Some(a), None) => a.to_string(),
    }
}

/// The appointment with its place: "09:30 at Ashbury Probation Office".
pub fn appointment_and_place(v: &CaseView, today: NaiveDate) -> String {
    let when = appointment(v, today);
    match v.case.appointment_place.as_deref().map(str::trim) {
        Some(p) if !p.is_empty() && v.case.appointment.is_some() => format!("{when}, {p}"),
        _ => when,
    }
}

/// The warning no one may miss: "‼ nowhere to go and nothing until tomorrow 14:00".
pub fn nothing_until(v: &CaseView, today: NaiveDate) -> Option<String> {
    v.nothing_until
        .map(|t| format!("‼ nowhere to go and nothing until {}", moment(t, today)))
}

/// "approved", "in progress", …; "not tracked" when blank.
pub fn licence(case: &Case) -> &'static str {
    case.licence.map_or("not tracked", |l| l.words())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::{Accommodation, Cas3Status};
    use chrono::NaiveDate;

    #[test]
    fn a_booked_bed_is_named_beside_the_record() {
        let mut c = Case::new(
            "X123456".parse().unwrap(),
            "Ann Example",
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        );
        c.accommodation = Accommodation::Nfa;
        assert_eq!(accommodation(&c), "NFA");
        c.cas3 = Some(Cas3Status::BedBooked);
        assert_eq!(accommodation(&c), "NFA · CAS3 bed booked");
        assert!(!c.needs_accommodation());
    }
}
