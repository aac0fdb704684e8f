//! Release-day readiness (DOMAIN.md §8) as the duty sheet shows it: when each person is to be
//! seen, whether they leave with nowhere to go and no one to see until a later day, and the
//! Resettlement Passport's checklist. The flags themselves are in `gaps`.

use super::calendar::Calendar;
use super::case::{Appointment, Case};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

/// When the initial appointment is, for a release on `r` (the expected day): a day and time as
/// given; `NEXT_DAY_2PM` the next working day after `r` at 14:00; `IMMEDIATE` at the gate, the
/// release day's first moment (so it sorts first); `NOT_NEEDED` or blank: none.
pub fn appointment_time(
    a: Option<Appointment>,
    r: NaiveDate,
    cal: &Calendar,
) -> Option<NaiveDateTime> {
    match a? {
        Appointment::At(t) => Some(t.at()),
        Appointment::NextDay2pm => {
            let next = r.succ_opt()?;
            Some(cal.working_on_or_after(next).and_time(two_pm()))
        }
        Appointment::Immediate => Some(r.and_time(NaiveTime::MIN)),
        Appointment::NotNeeded => None,
    }
}

fn two_pm() -> NaiveTime {
    NaiveTime::from_hms_opt(14, 0, 0).expect("a time")
}

/// The moment a person released on `r` with nowhere to go (§3) first sees anyone, where that is
/// on a later day (`APPOINTMENT_LATE`'s condition): "nowhere to go and nothing until tomorrow
/// 14:00". `None` when they have somewhere to go, or are seen on the day.
pub fn nothing_until(case: &Case, r: NaiveDate, cal: &Calendar) -> Option<NaiveDateTime> {
    if !case.needs_accommodation() {
        return None;
    }
    appointment_time(case.appointment, r, cal).filter(|t| t.date() > r)
}

/// The four checks (§8), each yes, no or not known (`None`), with the words the sheet uses.
pub fn checklist(case: &Case) -> [(&'static str, Option<bool>); 4] {
    [
        ("ID", case.id_documents),
        ("bank", case.bank_account),
        ("benefits", case.benefits),
        ("GP", case.gp),
    ]
}

/// A check as a symbol and its meaning never by colour alone: ✓ yes, ✗ no, ? not known.
pub fn check_mark(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "✓",
        Some(false) => "✗",
        None => "?",
    }
}

/// "ID ✓ bank ✗ benefits ? GP ✓".
pub fn checklist_text(case: &Case) -> String {
    checklist(case)
        .iter()
        .map(|(what, v)| format!("{what} {}", check_mark(*v)))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::Accommodation;
    use crate::domain::holidays::{Division, HolidayFile};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn cal() -> Calendar {
        Calendar::new(
            HolidayFile::embedded().events(Division::EnglandAndWales),
            true,
        )
    }

    #[test]
    fn the_next_working_day_at_two_skips_weekends_and_holidays() {
        let cal = cal();
        // Thu 24 Dec 2026: Fri 25 and Mon 28 Dec are bank holidays, then the weekend: Tue 29.
        let t = appointment_time(Some(Appointment::NextDay2pm), d("2026-12-24"), &cal).unwrap();
        assert_eq!(t.to_string(), "2026-12-29 14:00:00");
        let t = appointment_time(Some(Appointment::Immediate), d("2026-12-24"), &cal).unwrap();
        assert_eq!(t.to_string(), "2026-12-24 00:00:00");
        assert_eq!(
            appointment_time(Some(Appointment::NotNeeded), d("2026-12-24"), &cal),
            None
        );
        assert_eq!(appointment_time(None, d("2026-12-24"), &cal), None);
    }

    #[test]
    fn nowhere_to_go_and_nothing_until_a_later_day() {
        let cal = cal();
        let r = d("2026-11-26");
        let mut c = Case::new("X100001".parse().unwrap(), "Ann Example", r);
        c.accommodation = Accommodation::Nfa;
        c.appointment = Some(Appointment::NextDay2pm);
        assert_eq!(
            nothing_until(&c, r, &cal).unwrap().to_string(),
            "2026-11-27 14:00:00"
        );
        c.appointment = Appointment::at(r, NaiveTime::from_hms_opt(16, 30, 0).unwrap());
        assert_eq!(nothing_until(&c, r, &cal), None, "seen on the day");
        c.appointment = Some(Appointment::NextDay2pm);
        c.accommodation = Accommodation::Settled;
        assert_eq!(nothing_until(&c, r, &cal), None, "somewhere to go");
        c.gp = Some(true);
        c.bank_account = Some(false);
        assert_eq!(checklist_text(&c), "ID ? bank ✗ benefits ? GP ✓");
    }
}
