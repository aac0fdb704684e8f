//! The value types of DOMAIN.md §7 and §8: the sentence (for the OMiC handover), the licence's
//! status and the initial appointment.

use super::{normalise_code, parse_date, quote_token, ParseError};
use crate::domain::fields::{Cell, Code, FieldValue, Kind};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

code_enum!(
    /// The sentence, as far as the handover rules read it (§7); blank = determinate.
    SentenceType, "a sentence type" {
        Determinate => "DETERMINATE", Indeterminate => "INDETERMINATE",
    }
);

code_enum!(
    /// Create and Vary a Licence's status (§8); a blank case is not tracked.
    LicenceStatus, "a licence status" {
        NotStarted => "NOT_STARTED", InProgress => "IN_PROGRESS", Submitted => "SUBMITTED",
        Approved => "APPROVED",
    }
);

impl LicenceStatus {
    /// How an officer says it: "not started", "approved".
    pub fn words(self) -> &'static str {
        match self {
            LicenceStatus::NotStarted => "not started",
            LicenceStatus::InProgress => "in progress",
            LicenceStatus::Submitted => "submitted",
            LicenceStatus::Approved => "approved",
        }
    }
}

/// The initial appointment with probation (§8): a day and time, or one of Create and Vary a
/// Licence's kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Appointment {
    /// A day and time, to the minute.
    At(AppointmentTime),
    /// On release, from the gate.
    Immediate,
    /// The next working day after the release, at 14:00 (CVL's default).
    NextDay2pm,
    NotNeeded,
}

/// An appointment's day and time, held as its text form (`YYYY-MM-DD HH:MM`), so the stored
/// value can be lent out like every other field's without a copy; `at` reads it back. Only the
/// text, not the moment beside it: 16 bytes rather than 28 in each of 100,000 cases the
/// screens hold (the text is the moment's one canonical form, so equality is the same).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AppointmentTime {
    text: [u8; 16],
}

impl AppointmentTime {
    /// `None` for a year that is not four digits (parsing never makes one).
    pub fn new(at: NaiveDateTime) -> Option<AppointmentTime> {
        let s = at.format("%Y-%m-%d %H:%M").to_string();
        let text: [u8; 16] = s.as_bytes().try_into().ok()?;
        Some(AppointmentTime { text })
    }

    pub fn at(&self) -> NaiveDateTime {
        let t = &self.text;
        let num = |r: std::ops::Range<usize>| {
            t[r].iter()
                .fold(0u32, |n, b| n * 10 + u32::from(b.wrapping_sub(b'0')))
        };
        NaiveDate::from_ymd_opt(num(0..4) as i32, num(5..7), num(8..10))
            .and_then(|d| d.and_hms_opt(num(11..13), num(14..16), 0))
            .expect("formatted by `new` from a valid moment")
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.text).expect("formatted as ASCII")
    }
}

const KINDS: [(&str, Appointment); 3] = [
    ("IMMEDIATE", Appointment::Immediate),
    ("NEXT_DAY_2PM", Appointment::NextDay2pm),
    ("NOT_NEEDED", Appointment::NotNeeded),
];

impl Appointment {
    /// An appointment at a day and time.
    pub fn at(day: NaiveDate, time: NaiveTime) -> Option<Appointment> {
        AppointmentTime::new(day.and_time(time)).map(Appointment::At)
    }

    /// The day and time it names, if it names one.
    pub fn time(self) -> Option<NaiveDateTime> {
        match self {
            Appointment::At(t) => Some(t.at()),
            _ => None,
        }
    }

    fn as_str(&self) -> &str {
        match self {
            Appointment::At(t) => t.as_str(),
            other => KINDS
                .iter()
                .find(|(_, a)| a == other)
                .map_or("", |(code, _)| code),
        }
    }
}

impl fmt::Display for Appointment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Reads `HH:MM` (or `H:MM`, or `HH:MM:SS` with zero seconds, as spreadsheets write).
fn parse_time(s: &str) -> Option<NaiveTime> {
    let mut parts = s.split(':');
    let (h, m) = (parts.next()?, parts.next()?);
    let sec = parts.next();
    if parts.next().is_some() || !(1..=2).contains(&h.len()) || m.len() != 2 {
        return None;
    }
    if sec.is_some_and(|s| s != "00") {
        return None;
    }
    let num = |p: &str| -> Option<u32> {
        if p.bytes().all(|b| b.is_ascii_digit()) {
            p.parse().ok()
        } else {
            None
        }
    };
    NaiveTime::from_hms_opt(num(h)?, num(m)?, 0)
}

impl FieldValue for Appointment {
    const KIND: Kind = Kind::Text;
    const EXAMPLE: &'static str = "2026-10-01 09:30";

    fn parse(s: &str) -> Result<Self, ParseError> {
        let norm = normalise_code(s);
        if let Some((_, a)) = KINDS.iter().find(|(code, _)| *code == norm) {
            return Ok(*a);
        }
        const EXPECTED: &str =
            "expected YYYY-MM-DD HH:MM, DD/MM/YYYY HH:MM, IMMEDIATE, NEXT_DAY_2PM or NOT_NEEDED";
        let bad =
            |why: &str| ParseError(format!("{} is not an appointment: {why}", quote_token(s)));
        let t = s.trim();
        let Some((day, time)) = t.split_once([' ', 'T']) else {
            return Err(bad(EXPECTED));
        };
        let day = parse_date(day).map_err(|_| bad(EXPECTED))?;
        let time = parse_time(time.trim())
            .ok_or_else(|| bad("the time must be HH:MM, 24-hour (09:30, 14:00)"))?;
        Appointment::at(day, time).ok_or_else(|| bad(EXPECTED))
    }

    fn text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self.as_str())
    }

    fn cell(&self) -> Cell<'_> {
        Cell::Text(self.as_str())
    }

    fn from_cell(cell: Cell<'_>) -> Option<Self> {
        match cell {
            Cell::Text(s) => Self::parse(s).ok(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Appointment {
        Appointment::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn appointments_read_in_both_date_orders_and_as_kinds() {
        assert_eq!(at("2027-03-12 09:30").text(), "2027-03-12 09:30");
        assert_eq!(at("12/03/2027 09:30"), at("2027-03-12 09:30"));
        assert_eq!(at(" 12/03/2027  9:30 ").text(), "2027-03-12 09:30");
        assert_eq!(at("2027-03-12T14:00:00").text(), "2027-03-12 14:00");
        assert_eq!(at("immediate"), Appointment::Immediate);
        assert_eq!(at("Next day 2pm"), Appointment::NextDay2pm);
        assert_eq!(at("NOT_NEEDED").text(), "NOT_NEEDED");
        assert_eq!(
            at("2027-03-12 09:30").time().unwrap().to_string(),
            "2027-03-12 09:30:00"
        );
    }

    #[test]
    fn bad_appointments_say_what_is_expected() {
        for (s, why) in [
            ("2027-03-12", "expected YYYY-MM-DD HH:MM"),
            ("tomorrow", "expected YYYY-MM-DD HH:MM"),
            ("2027-03-12 9.30", "the time must be HH:MM"),
            ("2027-03-12 25:00", "the time must be HH:MM"),
            ("03/12/2027 14:60", "the time must be HH:MM"),
            ("31/02/2027 14:00", "expected YYYY-MM-DD HH:MM"),
        ] {
            let e = Appointment::parse(s).unwrap_err().0;
            assert!(
                e.contains("is not an appointment") && e.contains(why),
                "{s}: {e}"
            );
        }
    }

    #[test]
    fn stored_values_read_back() {
        let a = at("2027-03-12 09:30");
        assert_eq!(Appointment::from_cell(a.cell()), Some(a));
        assert_eq!(
            Appointment::from_cell(Cell::Text("NEXT_DAY_2PM")),
            Some(Appointment::NextDay2pm)
        );
        assert_eq!(Appointment::from_cell(Cell::Bool(true)), None);
        assert_eq!(
            SentenceType::parse("indeterminate").unwrap(),
            SentenceType::Indeterminate
        );
        assert_eq!(
            LicenceStatus::parse("in progress").unwrap(),
            LicenceStatus::InProgress
        );
    }
}
