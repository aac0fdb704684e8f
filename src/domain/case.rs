//! The case record and its value types (DOMAIN.md §1, §3, §5).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

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

/// Case reference number: a letter and six digits (`X123456`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Crn(String);

impl Crn {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Crn {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, ParseError> {
        let t = s.trim().to_ascii_uppercase();
        let b = t.as_bytes();
        if b.len() == 7 && b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_digit) {
            Ok(Crn(t))
        } else {
            Err(ParseError(format!(
                "{} is not a CRN; expected a letter and six digits, like X123456",
                quote_token(s)
            )))
        }
    }
}

impl fmt::Display for Crn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Prison (NOMS) number: a letter, four digits, two letters (`A1234BC`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Noms(String);

impl Noms {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

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
            Ok(Noms(t))
        } else {
            Err(ParseError(format!(
                "{} is not a NOMS number; expected a letter, four digits and two letters, like A1234BC",
                quote_token(s)
            )))
        }
    }
}

impl fmt::Display for Noms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
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

/// The case's columns, in the order import files, exports and the database all use.
///
/// Append only: a field's place here is its bit in the stored marks of what an import set and
/// what the planner changed (`domain::marks`), so moving one would change what stored marks mean.
pub const COLUMNS: [&str; 25] = [
    "crn",
    "name",
    "noms",
    "prison",
    "officer",
    "team",
    "rosh",
    "mappa",
    "release_date",
    "release_type",
    "accommodation",
    "dtr",
    "dtr_date",
    "crs",
    "cas3",
    "ap",
    "ap_required",
    "cas2",
    "friday_release",
    "confirmed_day",
    "notes",
    "crs_date",
    "cas3_date",
    "ap_date",
    "cas2_date",
];

/// One person's release as stored. Blank optional fields are `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub crn: Crn,
    pub name: String,
    pub noms: Option<Noms>,
    pub prison: Option<String>,
    pub officer: Option<String>,
    pub team: Option<String>,
    pub rosh: Option<Rosh>,
    pub mappa: Option<u8>,
    pub release_date: NaiveDate,
    pub release_type: ReleaseType,
    pub accommodation: Accommodation,
    pub dtr: Option<DtrStatus>,
    pub dtr_date: Option<NaiveDate>,
    pub crs: Option<CrsStatus>,
    pub cas3: Option<Cas3Status>,
    pub ap: Option<ApStatus>,
    pub ap_required: Option<bool>,
    pub cas2: Option<Cas2Status>,
    pub friday_release: Option<FridayRelease>,
    pub confirmed_day: Option<NaiveDate>,
    pub notes: Option<String>,
    /// When each referral was sent (the DTR's is `dtr_date`).
    pub crs_date: Option<NaiveDate>,
    pub cas3_date: Option<NaiveDate>,
    pub ap_date: Option<NaiveDate>,
    pub cas2_date: Option<NaiveDate>,
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

impl Case {
    /// A case with only the required fields; the rest blank.
    pub fn new(crn: Crn, name: impl Into<String>, release_date: NaiveDate) -> Case {
        Case {
            crn,
            name: name.into(),
            noms: None,
            prison: None,
            officer: None,
            team: None,
            rosh: None,
            mappa: None,
            release_date,
            release_type: ReleaseType::Crd,
            accommodation: Accommodation::Unknown,
            dtr: None,
            dtr_date: None,
            crs: None,
            cas3: None,
            ap: None,
            ap_required: None,
            cas2: None,
            friday_release: None,
            confirmed_day: None,
            notes: None,
            crs_date: None,
            cas3_date: None,
            ap_date: None,
            cas2_date: None,
        }
    }

    pub fn dtr(&self) -> DtrStatus {
        self.dtr.unwrap_or(DtrStatus::NotSent)
    }
    pub fn crs(&self) -> CrsStatus {
        self.crs.unwrap_or(CrsStatus::NotSent)
    }
    pub fn cas3(&self) -> Cas3Status {
        self.cas3.unwrap_or(Cas3Status::NotSent)
    }
    pub fn ap(&self) -> ApStatus {
        self.ap.unwrap_or(ApStatus::NotSent)
    }
    pub fn cas2(&self) -> Cas2Status {
        self.cas2.unwrap_or(Cas2Status::NotSent)
    }
    pub fn ap_required(&self) -> bool {
        self.ap_required.unwrap_or(false)
    }

    /// The Friday-policy setting in force: the recorded decision, else the type's default.
    pub fn friday_release(&self) -> FridayRelease {
        self.friday_release
            .unwrap_or_else(|| self.release_type.default_friday_release())
    }

    /// §3: a place is booked when AP is `PLACEMENT_BOOKED`, CAS3 `BED_BOOKED` or CAS2 `ACCEPTED`.
    pub fn place_booked(&self) -> bool {
        self.housing().place_booked()
    }

    /// §3: `NFA`, `TRANSIENT` or `UNKNOWN` with no place booked.
    pub fn needs_accommodation(&self) -> bool {
        self.housing().needs_accommodation()
    }

    /// The place booked, if any (`Housing::booked_place`).
    pub fn booked_place(&self) -> Option<&'static str> {
        self.housing().booked_place()
    }

    /// The fields the accommodation rules read.
    pub fn housing(&self) -> Housing {
        Housing {
            accommodation: self.accommodation,
            ap: self.ap,
            cas3: self.cas3,
            cas2: self.cas2,
        }
    }

    /// On the Approved Premises route: an AP application submitted, assessed or placed.
    pub fn on_ap_route(&self) -> bool {
        matches!(
            self.ap(),
            ApStatus::Submitted | ApStatus::AssessedSuitable | ApStatus::PlacementBooked
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_in_both_formats() {
        assert_eq!(parse_date("2026-12-24").unwrap(), d(2026, 12, 24));
        assert_eq!(parse_date("24/12/2026").unwrap(), d(2026, 12, 24));
        assert_eq!(parse_date(" 4/1/2027 ").unwrap(), d(2027, 1, 4));
    }

    #[test]
    fn us_order_is_refused_not_guessed() {
        let e = parse_date("12/24/2026").unwrap_err();
        assert!(e.0.contains("no month 24"), "{e}");
        assert!(parse_date("31/02/2026")
            .unwrap_err()
            .0
            .contains("no day 31"));
        assert!(parse_date("24-12-2026").is_err());
        assert!(parse_date("24/12/26").is_err());
        assert!(parse_date("tomorrow").is_err());
    }

    #[test]
    fn the_quick_iso_path_agrees_with_the_long_one() {
        let mut day = d(1899, 12, 25);
        while day < d(2201, 1, 8) {
            let text = day.format("%Y-%m-%d").to_string();
            assert_eq!(
                iso_date(text.as_bytes()),
                parse_date_any(&text).ok(),
                "{text}"
            );
            day = day + chrono::Days::new(3);
        }
        for text in [
            "2026-02-29",
            "2026-00-10",
            "2026-13-01",
            "2026-12-32",
            "1899-12-31",
            "2201-01-01",
            "2026-1-05",
            "2026/12/24",
            "2026-12-2x",
            " 2026-12-24",
            "２０２６-12-24",
            "",
        ] {
            assert_eq!(iso_date(text.as_bytes()), None, "{text}");
            assert_eq!(parse_date(text), parse_date_any(text), "{text}");
        }
    }

    #[test]
    fn crn_and_noms_shapes() {
        assert_eq!("x123456".parse::<Crn>().unwrap().as_str(), "X123456");
        assert!("X12345".parse::<Crn>().is_err());
        assert!("1234567".parse::<Crn>().is_err());
        assert_eq!("a1234bc".parse::<Noms>().unwrap().as_str(), "A1234BC");
        assert!("A12345C".parse::<Noms>().is_err());
    }

    #[test]
    fn codes_fold_case_and_separators() {
        assert_eq!("very high".parse::<Rosh>().unwrap(), Rosh::VeryHigh);
        assert_eq!(
            "bed-booked".parse::<Cas3Status>().unwrap(),
            Cas3Status::BedBooked
        );
        let e = "MAYBE".parse::<Accommodation>().unwrap_err();
        assert!(e.0.contains("NFA"), "{e}");
    }

    #[test]
    fn friday_release_defaults_by_type() {
        let mut c = Case::new("X000001".parse().unwrap(), "A", d(2026, 1, 1));
        assert_eq!(c.friday_release(), FridayRelease::One);
        c.release_type = ReleaseType::Mtd;
        assert_eq!(c.friday_release(), FridayRelease::Two);
        c.release_type = ReleaseType::Hdc;
        assert_eq!(c.friday_release(), FridayRelease::No);
        c.friday_release = Some(FridayRelease::One);
        assert_eq!(c.friday_release(), FridayRelease::One);
    }

    #[test]
    fn needs_accommodation_unless_booked() {
        let mut c = Case::new("X000001".parse().unwrap(), "A", d(2026, 1, 1));
        assert!(c.needs_accommodation());
        c.cas3 = Some(Cas3Status::BedBooked);
        assert!(!c.needs_accommodation());
        assert_eq!(c.booked_place(), Some("CAS3 bed booked"));
        c.cas3 = None;
        c.accommodation = Accommodation::Settled;
        assert!(!c.needs_accommodation());
    }

    #[test]
    fn control_characters_are_removed() {
        assert_eq!(clean_text(" Zo\u{1b}[2Jë\t"), "Zo[2Jë");
        assert_eq!(clean_text("line one\r\nline two"), "line one line two");
        // C1 controls (NEL, CSI) and DEL go; printable text, 0xC2-led or not, stays.
        assert_eq!(clean_text("a\u{85}b\u{9b}c\u{7f}d"), "abcd");
        assert_eq!(clean_text("  £5 ¼ \u{a0}"), "£5 ¼");
        assert_eq!(clean_text("  plain  "), "plain");
    }
}

/// The fields one import row (or one edit) sets. `None` leaves the stored value as it is (§5:
/// absent column or blank cell). Required fields are always present in an import row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CasePatch {
    pub name: Option<String>,
    pub noms: Option<Noms>,
    pub prison: Option<String>,
    pub officer: Option<String>,
    pub team: Option<String>,
    pub rosh: Option<Rosh>,
    pub mappa: Option<u8>,
    pub release_date: Option<NaiveDate>,
    pub release_type: Option<ReleaseType>,
    pub accommodation: Option<Accommodation>,
    pub dtr: Option<DtrStatus>,
    pub dtr_date: Option<NaiveDate>,
    pub crs: Option<CrsStatus>,
    pub cas3: Option<Cas3Status>,
    pub ap: Option<ApStatus>,
    pub ap_required: Option<bool>,
    pub cas2: Option<Cas2Status>,
    pub friday_release: Option<FridayRelease>,
    pub confirmed_day: Option<NaiveDate>,
    pub notes: Option<String>,
    pub crs_date: Option<NaiveDate>,
    pub cas3_date: Option<NaiveDate>,
    pub ap_date: Option<NaiveDate>,
    pub cas2_date: Option<NaiveDate>,
}

/// One field changed by a patch: its column name and the old and new values as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: &'static str,
    pub old: Option<String>,
    pub new: Option<String>,
}

impl CasePatch {
    /// Builds the new case a patch describes; `None` when a required field is missing.
    pub fn to_new_case(&self, crn: &Crn) -> Option<Case> {
        let mut case = Case::new(crn.clone(), self.name.clone()?, self.release_date?);
        self.apply(&mut case);
        Some(case)
    }

    /// `to_new_case` for a patch that is no longer needed: its text moves into the case rather
    /// than being copied, and no list of changes is made (an import's new rows, where that
    /// list was built and thrown away for every row).
    pub fn into_new_case(self, crn: Crn) -> Option<Case> {
        let blank = Case::new(crn, self.name?, self.release_date?);
        // Every field named, so a new field cannot be forgotten here.
        Some(Case {
            crn: blank.crn,
            name: blank.name,
            release_date: blank.release_date,
            noms: self.noms.or(blank.noms),
            prison: self.prison.or(blank.prison),
            officer: self.officer.or(blank.officer),
            team: self.team.or(blank.team),
            rosh: self.rosh.or(blank.rosh),
            mappa: self.mappa.or(blank.mappa),
            release_type: self.release_type.unwrap_or(blank.release_type),
            accommodation: self.accommodation.unwrap_or(blank.accommodation),
            dtr: self.dtr.or(blank.dtr),
            dtr_date: self.dtr_date.or(blank.dtr_date),
            crs: self.crs.or(blank.crs),
            cas3: self.cas3.or(blank.cas3),
            ap: self.ap.or(blank.ap),
            ap_required: self.ap_required.or(blank.ap_required),
            cas2: self.cas2.or(blank.cas2),
            friday_release: self.friday_release.or(blank.friday_release),
            confirmed_day: self.confirmed_day.or(blank.confirmed_day),
            notes: self.notes.or(blank.notes),
            crs_date: self.crs_date.or(blank.crs_date),
            cas3_date: self.cas3_date.or(blank.cas3_date),
            ap_date: self.ap_date.or(blank.ap_date),
            cas2_date: self.cas2_date.or(blank.cas2_date),
        })
    }

    /// Applies the patch and returns what changed, field by field, in column order.
    pub fn apply(&self, case: &mut Case) -> Vec<FieldChange> {
        self.apply_with(case, |_, _| true).0
    }

    /// Applies the fields `take` agrees to: it is asked about each field whose value the patch
    /// would change (with the field's index in `COLUMNS` and the change) and a field it refuses
    /// keeps its stored value. Returns what was taken, in column order, and the mask of every
    /// field the patch sets, changed or not (bit `i` for `COLUMNS[i]`).
    pub fn apply_with(
        &self,
        case: &mut Case,
        mut take: impl FnMut(usize, &FieldChange) -> bool,
    ) -> (Vec<FieldChange>, u64) {
        let mut changes = Vec::new();
        let mut present = 0u64;
        macro_rules! set {
            ($field:ident, $i:literal, opt, $show:expr) => {
                const _: () = assert!(same_name(stringify!($field), COLUMNS[$i]));
                if let Some(new) = &self.$field {
                    present |= 1 << $i;
                    if case.$field.as_ref() != Some(new) {
                        let show = $show;
                        let change = FieldChange {
                            field: COLUMNS[$i],
                            old: case.$field.as_ref().map(show),
                            new: Some(show(new)),
                        };
                        if take($i, &change) {
                            case.$field = Some(new.clone());
                            changes.push(change);
                        }
                    }
                }
            };
            ($field:ident, $i:literal, req, $show:expr) => {
                const _: () = assert!(same_name(stringify!($field), COLUMNS[$i]));
                if let Some(new) = &self.$field {
                    present |= 1 << $i;
                    if &case.$field != new {
                        let show = $show;
                        let change = FieldChange {
                            field: COLUMNS[$i],
                            old: Some(show(&case.$field)),
                            new: Some(show(new)),
                        };
                        if take($i, &change) {
                            case.$field = new.clone();
                            changes.push(change);
                        }
                    }
                }
            };
        }
        fn text<T: ToString>(v: &T) -> String {
            v.to_string()
        }
        fn yes_no(v: &bool) -> String {
            if *v { "yes" } else { "no" }.to_string()
        }
        set!(name, 1, req, text);
        set!(noms, 2, opt, text);
        set!(prison, 3, opt, text);
        set!(officer, 4, opt, text);
        set!(team, 5, opt, text);
        set!(rosh, 6, opt, text);
        set!(mappa, 7, opt, text);
        set!(release_date, 8, req, text);
        set!(release_type, 9, req, text);
        set!(accommodation, 10, req, text);
        set!(dtr, 11, opt, text);
        set!(dtr_date, 12, opt, text);
        set!(crs, 13, opt, text);
        set!(cas3, 14, opt, text);
        set!(ap, 15, opt, text);
        set!(ap_required, 16, opt, yes_no);
        set!(cas2, 17, opt, text);
        set!(friday_release, 18, opt, text);
        set!(confirmed_day, 19, opt, text);
        set!(notes, 20, opt, text);
        set!(crs_date, 21, opt, text);
        set!(cas3_date, 22, opt, text);
        set!(ap_date, 23, opt, text);
        set!(cas2_date, 24, opt, text);
        (changes, present)
    }

    /// The mask of the fields the patch sets (bit `i` for `COLUMNS[i]`): what a new case's
    /// import brought.
    pub fn present(&self) -> u64 {
        let mut present = 0u64;
        macro_rules! has {
            ($($field:ident $i:literal),+ $(,)?) => {$(
                const _: () = assert!(same_name(stringify!($field), COLUMNS[$i]));
                if self.$field.is_some() {
                    present |= 1 << $i;
                }
            )+};
        }
        has!(
            name 1, noms 2, prison 3, officer 4, team 5, rosh 6, mappa 7, release_date 8,
            release_type 9, accommodation 10, dtr 11, dtr_date 12, crs 13, cas3 14, ap 15,
            ap_required 16, cas2 17, friday_release 18, confirmed_day 19, notes 20, crs_date 21,
            cas3_date 22, ap_date 23, cas2_date 24,
        );
        present
    }
}

/// Whether two names are the same, at compile time: ties each patch field to its place in
/// `COLUMNS`, so a mask bit can never name the wrong field.
const fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod patch_tests {
    use super::*;

    #[test]
    fn blank_fields_keep_stored_values() {
        let date = NaiveDate::from_ymd_opt(2026, 12, 24).unwrap();
        let mut case = Case::new("X000001".parse().unwrap(), "Ann Example", date);
        case.dtr = Some(DtrStatus::Submitted);
        case.notes = Some("called council".into());
        let patch = CasePatch {
            name: Some("Ann Example".into()),
            release_date: Some(date),
            accommodation: Some(Accommodation::Nfa),
            ..CasePatch::default()
        };
        let changes = patch.apply(&mut case);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].field, "accommodation");
        assert_eq!(changes[0].old.as_deref(), Some("UNKNOWN"));
        assert_eq!(case.dtr, Some(DtrStatus::Submitted));
        assert_eq!(case.notes.as_deref(), Some("called council"));
        assert!(
            patch.apply(&mut case).is_empty(),
            "a second apply changes nothing"
        );
    }

    #[test]
    fn into_new_case_matches_to_new_case() {
        let crn: Crn = "X000001".parse().unwrap();
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        let full = CasePatch {
            name: Some("Ann Example".into()),
            noms: Some("A1234BC".parse().unwrap()),
            prison: Some("HMP Nowhere".into()),
            officer: Some("Officer Test".into()),
            team: Some("North".into()),
            rosh: Some(Rosh::High),
            mappa: Some(2),
            release_date: Some(day(24)),
            release_type: Some(ReleaseType::Hdc),
            accommodation: Some(Accommodation::Nfa),
            dtr: Some(DtrStatus::Submitted),
            dtr_date: Some(day(1)),
            crs: Some(CrsStatus::Live),
            cas3: Some(Cas3Status::BedBooked),
            ap: Some(ApStatus::Rejected),
            ap_required: Some(false),
            cas2: Some(Cas2Status::NoPlace),
            friday_release: Some(FridayRelease::Two),
            confirmed_day: Some(day(23)),
            notes: Some("called council".into()),
            crs_date: Some(day(2)),
            cas3_date: Some(day(3)),
            ap_date: Some(day(4)),
            cas2_date: Some(day(5)),
        };
        let minimal = CasePatch {
            name: Some("Bo".into()),
            release_date: Some(day(1)),
            ..CasePatch::default()
        };
        let no_date = CasePatch {
            name: Some("Cy".into()),
            ..CasePatch::default()
        };
        for patch in [full, minimal, no_date, CasePatch::default()] {
            assert_eq!(
                patch.clone().into_new_case(crn.clone()),
                patch.to_new_case(&crn),
                "{patch:?}"
            );
        }
    }
}
