//! A case's value types (DOMAIN.md §1, §3, §5, §7, §8): the CRN, the codes of each closed set,
//! and the parsers every field's reading shares. Below the field table (`domain::fields`),
//! which builds the case record from them; `domain::case` names both.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A closed set of codes (`code_enum!` types and the Friday-release setting): stored as the
/// code, read back matched exactly first (no copy), then as typed, so a hand-edited lower-case
/// code still reads.
pub trait Code: Sized + Copy + PartialEq + std::str::FromStr<Err = ParseError> + 'static {
    const ALL: &'static [Self];
    const CODES: &'static [&'static str];
    fn code(self) -> &'static str;

    fn from_code(s: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|v| v.code() == s)
            .or_else(|| s.parse().ok())
    }
}

/// Error from parsing one field: a plain sentence, no personal data beyond the offending token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseError(pub String);

/// Declares a closed set of upper-case codes with `FromStr`, `Display`, `as_str` and `ALL`.
macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident, $what:literal { $($var:ident => $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name { $(#[serde(rename = $s)] $var),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$var),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$var => $s),+ }
            }
        }

        impl Code for $name {
            const ALL: &'static [$name] = $name::ALL;
            const CODES: &'static [&'static str] = &[$($s),+];
            fn code(self) -> &'static str {
                self.as_str()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = ParseError;
            fn from_str(s: &str) -> Result<Self, ParseError> {
                // A cell that is exactly a code (what exports hold) needs no normalising copy.
                $(if s == $s { return Ok($name::$var); })+
                let norm = normalise_code(s);
                $(if norm == $s { return Ok($name::$var); })+
                let allowed: Vec<&str> = vec![$($s),+];
                Err(ParseError(format!(
                    "{} is not {}; expected one of {}",
                    quote_token(s), $what, allowed.join(", ")
                )))
            }
        }
    };
}

mod custody;
pub use custody::{Appointment, AppointmentTime, LicenceStatus, SentenceType};

/// Upper-cases and folds spaces and hyphens to underscores, so `very high` = `VERY_HIGH`.
pub fn normalise_code(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_uppercase(),
        })
        .collect()
}

/// Quotes a user token for an error message, cut short so a huge field cannot flood the terminal.
pub fn quote_token(s: &str) -> String {
    let t: String = s
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(40)
        .collect();
    if s.trim().chars().count() > 40 {
        format!("\"{t}…\"")
    } else {
        format!("\"{t}\"")
    }
}

code_enum!(
    /// How the legal release date is moved when it falls on a non-working day (§1).
    ReleaseType, "a release type" {
        Crd => "CRD", Ard => "ARD", Prrd => "PRRD", Etd => "ETD", Mtd => "MTD", Ltd => "LTD",
        Hdc => "HDC", Apd => "APD", Ecsl => "ECSL", Other => "OTHER",
    }
);

/// Which way the statutory rule moves a release due on a non-working day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Movement {
    Back,
    Forward,
    None,
}

impl ReleaseType {
    pub fn movement(self) -> Movement {
        use ReleaseType::*;
        match self {
            Crd | Ard | Prrd | Etd | Mtd | Ltd => Movement::Back,
            Hdc => Movement::Forward,
            Apd | Ecsl | Other => Movement::None,
        }
    }

    /// The Friday-policy setting a blank `friday_release` means for this type (§1).
    pub fn default_friday_release(self) -> FridayRelease {
        use ReleaseType::*;
        match self {
            Crd | Ard | Prrd => FridayRelease::One,
            Etd | Mtd | Ltd => FridayRelease::Two,
            _ => FridayRelease::No,
        }
    }
}

code_enum!(
    /// Planned accommodation on release (§3).
    Accommodation, "an accommodation type" {
        Settled => "SETTLED", Transient => "TRANSIENT", Ap => "AP", Cas2 => "CAS2",
        Cas3 => "CAS3", LaTemp => "LA_TEMP", Nfa => "NFA", Unknown => "UNKNOWN",
    }
);

code_enum!(
    /// Risk of serious harm level.
    Rosh, "a RoSH level" { Low => "LOW", Medium => "MEDIUM", High => "HIGH", VeryHigh => "VERY_HIGH" }
);

code_enum!(
    /// Duty to Refer (Homelessness Reduction Act 2017) status.
    DtrStatus, "a DTR status" {
        NotSent => "NOT_SENT", Submitted => "SUBMITTED", Accepted => "ACCEPTED",
        NotAccepted => "NOT_ACCEPTED", Withdrawn => "WITHDRAWN",
    }
);

code_enum!(
    /// CRS accommodation referral status.
    CrsStatus, "a CRS status" {
        NotSent => "NOT_SENT", Live => "LIVE", Completed => "COMPLETED", Withdrawn => "WITHDRAWN",
    }
);

code_enum!(
    /// CAS3 temporary accommodation referral status.
    Cas3Status, "a CAS3 status" {
        NotSent => "NOT_SENT", Submitted => "SUBMITTED", InReview => "IN_REVIEW",
        ReadyToPlace => "READY_TO_PLACE", BedBooked => "BED_BOOKED", Rejected => "REJECTED",
        Withdrawn => "WITHDRAWN",
    }
);

code_enum!(
    /// Approved Premises (CAS1) application status.
    ApStatus, "an AP status" {
        NotSent => "NOT_SENT", Submitted => "SUBMITTED", AssessedSuitable => "ASSESSED_SUITABLE",
        PlacementBooked => "PLACEMENT_BOOKED", Rejected => "REJECTED", Withdrawn => "WITHDRAWN",
    }
);

code_enum!(
    /// CAS2 (HDC accommodation) referral status.
    Cas2Status, "a CAS2 status" {
        NotSent => "NOT_SENT", Submitted => "SUBMITTED", PlaceOffered => "PLACE_OFFERED",
        Accepted => "ACCEPTED", NoPlace => "NO_PLACE", Withdrawn => "WITHDRAWN",
    }
);

/// Per-case Friday / pre-holiday release decision (§1). `None` on a case means blank: the type's default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FridayRelease {
    #[serde(rename = "no")]
    No,
    #[serde(rename = "1")]
    One,
    #[serde(rename = "2")]
    Two,
}

impl FridayRelease {
    pub fn as_str(self) -> &'static str {
        match self {
            FridayRelease::No => "no",
            FridayRelease::One => "1",
            FridayRelease::Two => "2",
        }
    }

    /// Extra working days the policy may take, beyond the statutory day.
    pub fn days(self) -> u32 {
        match self {
            FridayRelease::No => 0,
            FridayRelease::One => 1,
            FridayRelease::Two => 2,
        }
    }
}

impl Code for FridayRelease {
    const ALL: &'static [FridayRelease] =
        &[FridayRelease::No, FridayRelease::One, FridayRelease::Two];
    const CODES: &'static [&'static str] = &["no", "1", "2"];
    fn code(self) -> &'static str {
        self.as_str()
    }
}

impl fmt::Display for FridayRelease {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for FridayRelease {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, ParseError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "no" | "n" | "0" | "false" | "none" => Ok(FridayRelease::No),
            "1" | "yes" | "y" | "true" => Ok(FridayRelease::One),
            "2" => Ok(FridayRelease::Two),
            _ => Err(ParseError(format!(
                "{} is not a Friday release setting; expected no, 1 or 2",
                quote_token(s)
            ))),
        }
    }
}

/// Parses a yes/no cell (`ap_required`).
pub fn parse_yes_no(s: &str) -> Result<bool, ParseError> {
    match s.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "1" => Ok(true),
        "no" | "n" | "false" | "0" => Ok(false),
        _ => Err(ParseError(format!("{} is not yes or no", quote_token(s)))),
    }
}

/// Parses a MAPPA level, 0 to 3 (a `Level 2` or `L2` prefix is accepted).
pub fn parse_mappa(s: &str) -> Result<u8, ParseError> {
    let t = s.trim().to_ascii_lowercase();
    let digits = t.trim_start_matches("level").trim_start_matches('l').trim();
    match digits {
        "0" => Ok(0),
        "1" => Ok(1),
        "2" => Ok(2),
        "3" => Ok(3),
        _ => Err(ParseError(format!(
            "{} is not a MAPPA level; expected 0, 1, 2 or 3",
            quote_token(s)
        ))),
    }
}

/// What a code of seven checked ASCII bytes shares with the `String` it once was: `as_str`,
/// `Display`, `Debug` (`Crn("X123456")`), the same hash, and serde as a string (read back
/// through `FromStr`, so only a valid code is ever held).
macro_rules! seven_ascii {
    ($name:ident) => {
        impl $name {
            pub fn as_str(&self) -> &str {
                std::str::from_utf8(&self.0).expect("checked ASCII when parsed")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_tuple(stringify!($name))
                    .field(&self.as_str())
                    .finish()
            }
        }

        impl std::hash::Hash for $name {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                self.as_str().hash(state)
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

/// Case reference number: a letter and six digits (`X123456`). Its seven ASCII bytes are held
/// in place, not in a `String`: the screens hold 100,000 cases, and a `String` was 24 bytes in
/// the case plus an allocation of its own (`seven_ascii!`).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Crn([u8; 7]);

seven_ascii!(Crn);

impl Crn {
    /// The CRN (a letter and six digits, checked) as a number below 26,000,000, different for
    /// every CRN: a key for maps of many cases that need no copy of each CRN's text (an
    /// import's check for a CRN given twice, the screens' index of 100,000 cases).
    pub fn key(&self) -> u32 {
        self.0.iter().fold(0, |n, &b| match b {
            b'0'..=b'9' => n * 10 + u32::from(b - b'0'),
            _ => u32::from(b.wrapping_sub(b'A')),
        })
    }
}

impl FromStr for Crn {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, ParseError> {
        let t = s.trim().to_ascii_uppercase();
        let b = t.as_bytes();
        if b.len() == 7 && b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_digit) {
            Ok(Crn(b.try_into().expect("seven bytes")))
        } else {
            Err(ParseError(format!(
                "{} is not a CRN; expected a letter and six digits, like X123456",
                quote_token(s)
            )))
        }
    }
}

/// Prison (NOMS) number: a letter, four digits, two letters (`A1234BC`); held in place, as
/// the CRN is.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Noms([u8; 7]);

seven_ascii!(Noms);

impl FromStr for Noms {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, ParseError> {
        let t = s.trim().to_ascii_uppercase();
        let b = t.as_bytes();
        let ok = b.len() == 7
            && b[0].is_ascii_uppercase()
            && b[1..5].iter().all(u8::is_ascii_digit)
            && b[5..].iter().all(u8::is_ascii_uppercase);
        if ok {
            Ok(Noms(b.try_into().expect("seven bytes")))
        } else {
            Err(ParseError(format!(
                "{} is not a NOMS number; expected a letter, four digits and two letters, like A1234BC",
                quote_token(s)
            )))
        }
    }
}

/// Parses `YYYY-MM-DD` or British `DD/MM/YYYY`; never guesses US order.
pub fn parse_date(s: &str) -> Result<NaiveDate, ParseError> {
    match iso_date(s.as_bytes()) {
        Some(d) => Ok(d),
        None => parse_date_any(s),
    }
}

/// `parse_date` without its quick path.
fn parse_date_any(s: &str) -> Result<NaiveDate, ParseError> {
    let t = s.trim();
    let bad = |why: &str| ParseError(format!("{} is not a date: {why}", quote_token(s)));
    if t.is_empty() {
        return Err(bad("it is empty"));
    }
    let (y, m, d) = if let Some((y, rest)) = t.split_once('-') {
        let (m, d) = rest
            .split_once('-')
            .ok_or_else(|| bad("expected YYYY-MM-DD or DD/MM/YYYY"))?;
        if y.len() != 4 {
            return Err(bad("expected YYYY-MM-DD or DD/MM/YYYY"));
        }
        (y, m, d)
    } else if let Some((d, rest)) = t.split_once('/') {
        let (m, y) = rest
            .split_once('/')
            .ok_or_else(|| bad("expected YYYY-MM-DD or DD/MM/YYYY"))?;
        if y.len() != 4 {
            return Err(bad("the year must have four digits (DD/MM/YYYY)"));
        }
        (y, m, d)
    } else {
        return Err(bad("expected YYYY-MM-DD or DD/MM/YYYY"));
    };
    let num = |p: &str| -> Result<u32, ParseError> {
        if p.is_empty() || p.len() > 2 && p.len() != 4 || !p.bytes().all(|c| c.is_ascii_digit()) {
            Err(bad("expected YYYY-MM-DD or DD/MM/YYYY"))
        } else {
            p.parse()
                .map_err(|_| bad("expected YYYY-MM-DD or DD/MM/YYYY"))
        }
    };
    let (y, m, d) = (num(y)? as i32, num(m)?, num(d)?);
    if !(1..=12).contains(&m) {
        let hint = if t.contains('/') && (1..=12).contains(&d) && m <= 31 {
            " (dates are day/month/year, British order)"
        } else {
            ""
        };
        return Err(bad(&format!("there is no month {m}{hint}")));
    }
    if !(1900..=2200).contains(&y) {
        return Err(bad(&format!("the year {y} is out of range")));
    }
    NaiveDate::from_ymd_opt(y, m, d)
        .ok_or_else(|| bad(&format!("there is no day {d} in that month")))
}

/// The common case of `parse_date`, quickly: exactly `YYYY-MM-DD` (what exports and our own
/// files hold), a real day, in the years `parse_date` accepts. `None` sends anything else,
/// good or bad, the long way, which words the errors.
fn iso_date(b: &[u8]) -> Option<NaiveDate> {
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b.get(r)?.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (digits(0..4)? as i32, digits(5..7)?, digits(8..10)?);
    if !(1900..=2200).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Removes control characters (and so ANSI escape sequences' ESC) from imported text; line
/// breaks and tabs become single spaces, so "line one⏎line two" keeps its words apart; trims.
pub fn clean_text(s: &str) -> String {
    // Most text holds no control character: then cleaning is trimming, and one copy will do.
    // Checked on bytes: C0 controls and DEL are single bytes, and every C1 control (U+0080 to
    // U+009F) starts with 0xC2, as do a few printable characters such as £, which take the
    // careful path below and come out the same.
    if !s.bytes().any(|b| b < 0x20 || b == 0x7f || b == 0xc2) {
        return s.trim().to_string();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\n' | '\r' | '\t') {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else if !c.is_control() {
            out.push(c);
        }
    }
    out.trim().to_string()
}

/// What §3's accommodation rules read of a case: enough to count who has nowhere to go
/// without loading whole cases (the screens count the far future this way at open).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Housing {
    pub accommodation: Accommodation,
    pub ap: Option<ApStatus>,
    pub cas3: Option<Cas3Status>,
    pub cas2: Option<Cas2Status>,
}

impl Housing {
    /// §3: a place is booked when AP is `PLACEMENT_BOOKED`, CAS3 `BED_BOOKED` or CAS2 `ACCEPTED`.
    pub fn place_booked(&self) -> bool {
        self.ap == Some(ApStatus::PlacementBooked)
            || self.cas3 == Some(Cas3Status::BedBooked)
            || self.cas2 == Some(Cas2Status::Accepted)
    }

    /// The place booked, if any, in words an officer uses: "AP placement booked",
    /// "CAS3 bed booked" or "CAS2 place accepted" (§3's three ways a place is booked).
    pub fn booked_place(&self) -> Option<&'static str> {
        if self.ap == Some(ApStatus::PlacementBooked) {
            Some("AP placement booked")
        } else if self.cas3 == Some(Cas3Status::BedBooked) {
            Some("CAS3 bed booked")
        } else if self.cas2 == Some(Cas2Status::Accepted) {
            Some("CAS2 place accepted")
        } else {
            None
        }
    }

    /// §3: `NFA`, `TRANSIENT` or `UNKNOWN` with no place booked.
    pub fn needs_accommodation(&self) -> bool {
        matches!(
            self.accommodation,
            Accommodation::Nfa | Accommodation::Transient | Accommodation::Unknown
        ) && !self.place_booked()
    }
}

#[cfg(test)]
mod tests;
