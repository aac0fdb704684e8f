//! UK bank holidays (DOMAIN.md §1, "Non-working day" and "Calendar range").
//!
//! The shipped list (`assets/bank-holidays.json`, gov.uk's JSON format) is compiled in;
//! a user may load a newer gov.uk file with [`parse_govuk`]. Beyond the list's last year,
//! England and Wales holidays are projected by the standing rules
//! ([`project_england_and_wales`]). Pure: no I/O.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// The shipped gov.uk-format bank-holiday list (2018–2028, all three divisions).
pub const EMBEDDED_JSON: &str = include_str!("../../assets/bank-holidays.json");

/// A gov.uk bank-holiday division.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Division {
    EnglandAndWales,
    Scotland,
    NorthernIreland,
}

impl Division {
    pub const ALL: [Division; 3] = [
        Division::EnglandAndWales,
        Division::Scotland,
        Division::NorthernIreland,
    ];

    /// The division's key in gov.uk's JSON ("england-and-wales", "scotland", "northern-ireland").
    pub fn key(self) -> &'static str {
        match self {
            Division::EnglandAndWales => "england-and-wales",
            Division::Scotland => "scotland",
            Division::NorthernIreland => "northern-ireland",
        }
    }

    fn index(self) -> usize {
        match self {
            Division::EnglandAndWales => 0,
            Division::Scotland => 1,
            Division::NorthernIreland => 2,
        }
    }
}

/// One bank holiday: the day actually taken off (a substitute day carries notes "Substitute day").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    pub date: NaiveDate,
    pub title: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub bunting: bool,
}

/// A parsed gov.uk bank-holiday file: each division's events, sorted by date.
/// A division absent from the file has no events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolidayFile {
    divisions: [Vec<Holiday>; 3],
}

impl HolidayFile {
    /// The division's events, sorted by date (empty if the file did not include it).
    pub fn events(&self, d: Division) -> &[Holiday] {
        &self.divisions[d.index()]
    }

    /// The shipped list ([`EMBEDDED_JSON`]). Panics only if the shipped asset is broken,
    /// which the crate's tests rule out.
    pub fn embedded() -> HolidayFile {
        match parse_govuk(EMBEDDED_JSON) {
            Ok(file) => file,
            Err(e) => panic!("the shipped assets/bank-holidays.json is broken: {e}"),
        }
    }
}

/// Why a bank-holiday file could not be read. Each message is one sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HolidayFileError {
    /// The text is not JSON at all.
    #[error("not valid JSON: {0}")]
    Json(String),
    /// JSON, but not shaped like gov.uk's bank-holidays file.
    #[error("not gov.uk bank-holiday JSON: {0}")]
    NotGovuk(String),
    /// An event's date is not a YYYY-MM-DD calendar date.
    #[error("bad date {date:?} in {division:?} (expected YYYY-MM-DD)")]
    BadDate {
        division: &'static str,
        date: String,
    },
}

#[derive(Deserialize)]
struct RawDivision {
    events: Vec<RawEvent>,
}

#[derive(Deserialize)]
struct RawEvent {
    title: String,
    date: String,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    bunting: bool,
}

/// Parses a gov.uk bank-holidays JSON file. Errors are one clear sentence (e.g. "not gov.uk
/// bank-holiday JSON: missing \"england-and-wales\"", or naming the bad date string).
/// The England and Wales division is required; the others are optional.
pub fn parse_govuk(json: &str) -> Result<HolidayFile, HolidayFileError> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| HolidayFileError::Json(e.to_string()))?;
    let serde_json::Value::Object(mut top) = value else {
        return Err(HolidayFileError::NotGovuk(
            "the top level is not an object".to_string(),
        ));
    };
    let mut divisions: [Vec<Holiday>; 3] = Default::default();
    for d in Division::ALL {
        let key = d.key();
        let raw = match top.remove(key) {
            None | Some(serde_json::Value::Null) if d == Division::EnglandAndWales => {
                return Err(HolidayFileError::NotGovuk(format!("missing {key:?}")));
            }
            None | Some(serde_json::Value::Null) => continue,
            Some(v) => v,
        };
        let raw: RawDivision = serde_json::from_value(raw)
            .map_err(|e| HolidayFileError::NotGovuk(format!("in {key:?}, {e}")))?;
        let mut events = raw
            .events
            .into_iter()
            .map(|ev| {
                let date = NaiveDate::parse_from_str(ev.date.trim(), "%Y-%m-%d").map_err(|_| {
                    HolidayFileError::BadDate {
                        division: key,
                        date: ev.date.clone(),
                    }
                })?;
                Ok(Holiday {
                    date,
                    title: ev.title,
                    notes: ev.notes,
                    bunting: ev.bunting,
                })
            })
            .collect::<Result<Vec<_>, HolidayFileError>>()?;
        events.sort_by_key(|h| h.date);
        divisions[d.index()] = events;
    }
    Ok(HolidayFile { divisions })
}

/// Western Easter Sunday (anonymous Gregorian algorithm).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    ymd(year, month as u32, day as u32)
}

/// England and Wales bank holidays for a year by the standing rules: New Year's Day, Good Friday,
/// Easter Monday, first Monday of May, last Monday of May, last Monday of August, Christmas Day
/// and Boxing Day, each with its substitute weekday where it falls on a weekend (Christmas on
/// Saturday → Mon 27 Dec substitute for Christmas and Tue 28 for Boxing Day; Christmas on
/// Sunday → Boxing Day Mon 26, Christmas substitute Tue 27; Boxing Day on Saturday → Mon 28;
/// New Year on a weekend → following Monday). Titles as gov.uk; substitute days carry notes
/// "Substitute day". Sorted by date.
pub fn project_england_and_wales(year: i32) -> Vec<Holiday> {
    let easter = easter_sunday(year);
    let mut out = vec![
        holiday(easter - Duration::days(2), "Good Friday", false, false),
        holiday(easter + Duration::days(1), "Easter Monday", false, true),
        holiday(first_monday(year, 5), "Early May bank holiday", false, true),
        holiday(last_monday(year, 5), "Spring bank holiday", false, true),
        holiday(last_monday(year, 8), "Summer bank holiday", false, true),
    ];
    // Fixed-date holidays: those on a weekday stand; each one on a weekend moves, in
    // calendar order, to the first weekday after it not already a holiday.
    let fixed = [
        (ymd(year, 1, 1), "New Year\u{2019}s Day"),
        (ymd(year, 12, 25), "Christmas Day"),
        (ymd(year, 12, 26), "Boxing Day"),
    ];
    for &(date, title) in &fixed {
        if !is_weekend(date) {
            out.push(holiday(date, title, false, true));
        }
    }
    for &(date, title) in &fixed {
        if is_weekend(date) {
            let mut sub = date + Duration::days(1);
            while is_weekend(sub) || out.iter().any(|h| h.date == sub) {
                sub += Duration::days(1);
            }
            out.push(holiday(sub, title, true, true));
        }
    }
    out.sort_by_key(|h| h.date);
    out
}

fn holiday(date: NaiveDate, title: &str, substitute: bool, bunting: bool) -> Holiday {
    Holiday {
        date,
        title: title.to_string(),
        notes: if substitute { "Substitute day" } else { "" }.to_string(),
        bunting,
    }
}

fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    // Only called with valid month/day pairs; chrono's range covers any plausible year.
    NaiveDate::from_ymd_opt(year, month, day).expect("valid calendar date")
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

fn first_monday(year: i32, month: u32) -> NaiveDate {
    let first = ymd(year, month, 1);
    let ahead = (7 - first.weekday().num_days_from_monday()) % 7;
    first + Duration::days(i64::from(ahead))
}

fn last_monday(year: i32, month: u32) -> NaiveDate {
    let next_month_first = if month == 12 {
        ymd(year + 1, 1, 1)
    } else {
        ymd(year, month + 1, 1)
    };
    let last = next_month_first - Duration::days(1);
    let back = last.weekday().num_days_from_monday();
    last - Duration::days(i64::from(back))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn dated(hs: &[Holiday]) -> Vec<(String, String, String)> {
        hs.iter()
            .map(|h| (h.date.to_string(), h.title.clone(), h.notes.clone()))
            .collect()
    }

    fn row(date: &str, title: &str, notes: &str) -> (String, String, String) {
        (date.to_string(), title.to_string(), notes.to_string())
    }

    #[test]
    fn easter_dates() {
        for (y, want) in [
            (2024, "2024-03-31"),
            (2025, "2025-04-20"),
            (2026, "2026-04-05"),
            (2027, "2027-03-28"),
            (2028, "2028-04-16"),
            (2038, "2038-04-25"),
            (2000, "2000-04-23"),
            (2019, "2019-04-21"),
        ] {
            assert_eq!(easter_sunday(y), d(want), "Easter {y}");
        }
    }

    #[test]
    fn projection_2026_boxing_day_substitute_monday() {
        assert_eq!(
            dated(&project_england_and_wales(2026)),
            vec![
                row("2026-01-01", "New Year\u{2019}s Day", ""),
                row("2026-04-03", "Good Friday", ""),
                row("2026-04-06", "Easter Monday", ""),
                row("2026-05-04", "Early May bank holiday", ""),
                row("2026-05-25", "Spring bank holiday", ""),
                row("2026-08-31", "Summer bank holiday", ""),
                row("2026-12-25", "Christmas Day", ""),
                row("2026-12-28", "Boxing Day", "Substitute day"),
            ]
        );
    }

    #[test]
    fn projection_2027_christmas_on_saturday() {
        assert_eq!(
            dated(&project_england_and_wales(2027)),
            vec![
                row("2027-01-01", "New Year\u{2019}s Day", ""),
                row("2027-03-26", "Good Friday", ""),
                row("2027-03-29", "Easter Monday", ""),
                row("2027-05-03", "Early May bank holiday", ""),
                row("2027-05-31", "Spring bank holiday", ""),
                row("2027-08-30", "Summer bank holiday", ""),
                row("2027-12-27", "Christmas Day", "Substitute day"),
                row("2027-12-28", "Boxing Day", "Substitute day"),
            ]
        );
    }

    #[test]
    fn projection_2028_new_year_on_saturday() {
        assert_eq!(
            dated(&project_england_and_wales(2028)),
            vec![
                row("2028-01-03", "New Year\u{2019}s Day", "Substitute day"),
                row("2028-04-14", "Good Friday", ""),
                row("2028-04-17", "Easter Monday", ""),
                row("2028-05-01", "Early May bank holiday", ""),
                row("2028-05-29", "Spring bank holiday", ""),
                row("2028-08-28", "Summer bank holiday", ""),
                row("2028-12-25", "Christmas Day", ""),
                row("2028-12-26", "Boxing Day", ""),
            ]
        );
    }

    #[test]
    fn projection_christmas_on_sunday_and_new_year_on_sunday() {
        // 2022: Christmas Sunday → Boxing Day Mon 26, Christmas substitute Tue 27.
        let p = project_england_and_wales(2022);
        let tail: Vec<_> = dated(&p).into_iter().rev().take(2).collect();
        assert_eq!(
            tail,
            vec![
                row("2022-12-27", "Christmas Day", "Substitute day"),
                row("2022-12-26", "Boxing Day", ""),
            ]
        );
        // 2023: New Year's Day Sunday → Mon 2 Jan.
        let p = project_england_and_wales(2023);
        assert_eq!(
            dated(&p[..1]),
            vec![row("2023-01-02", "New Year\u{2019}s Day", "Substitute day")]
        );
    }

    #[test]
    fn projection_sorted_weekdays_only() {
        for y in 1990..2100 {
            let p = project_england_and_wales(y);
            assert_eq!(p.len(), 8, "{y}");
            assert!(p.windows(2).all(|w| w[0].date < w[1].date), "{y}");
            assert!(p.iter().all(|h| !is_weekend(h.date)), "{y}");
        }
    }

    #[test]
    fn embedded_asset_parses() {
        let f = HolidayFile::embedded();
        for div in Division::ALL {
            let ev = f.events(div);
            assert!(!ev.is_empty(), "{}", div.key());
            assert!(
                ev.windows(2).all(|w| w[0].date < w[1].date),
                "{}",
                div.key()
            );
        }
    }

    #[test]
    fn parse_minimal_and_sorts() {
        let json = r#"{"england-and-wales": {"division": "england-and-wales", "events": [
            {"title": "Boxing Day", "date": "2026-12-28", "notes": "Substitute day", "bunting": true},
            {"title": "Christmas Day", "date": "2026-12-25"}
        ]}}"#;
        let f = parse_govuk(json).unwrap();
        let ev = f.events(Division::EnglandAndWales);
        assert_eq!(ev.len(), 2);
        assert_eq!(ev[0].date, d("2026-12-25"));
        assert_eq!(ev[0].notes, "");
        assert!(!ev[0].bunting);
        assert_eq!(ev[1].notes, "Substitute day");
        assert!(f.events(Division::Scotland).is_empty());
        assert!(f.events(Division::NorthernIreland).is_empty());
    }

    #[test]
    fn parse_error_not_json() {
        let e = parse_govuk("{not json").unwrap_err();
        assert!(matches!(e, HolidayFileError::Json(_)), "{e:?}");
        assert!(e.to_string().starts_with("not valid JSON: "), "{e}");
        let e = parse_govuk("[1, 2]").unwrap_err();
        assert_eq!(
            e.to_string(),
            "not gov.uk bank-holiday JSON: the top level is not an object"
        );
    }

    #[test]
    fn parse_error_missing_division() {
        let e = parse_govuk(r#"{"scotland": {"division": "scotland", "events": []}}"#).unwrap_err();
        assert_eq!(
            e.to_string(),
            "not gov.uk bank-holiday JSON: missing \"england-and-wales\""
        );
    }

    #[test]
    fn parse_error_bad_shape() {
        let e = parse_govuk(r#"{"england-and-wales": {"events": [{"title": "X"}]}}"#).unwrap_err();
        assert!(matches!(e, HolidayFileError::NotGovuk(_)), "{e:?}");
        assert!(e.to_string().contains("\"england-and-wales\""), "{e}");
        assert!(e.to_string().contains("date"), "{e}");
    }

    #[test]
    fn parse_error_bad_date() {
        let json = r#"{"england-and-wales": {"events": []},
            "scotland": {"events": [{"title": "St Andrew’s Day", "date": "2026-11-31"}]}}"#;
        let e = parse_govuk(json).unwrap_err();
        assert_eq!(
            e,
            HolidayFileError::BadDate {
                division: "scotland",
                date: "2026-11-31".to_string()
            }
        );
        assert_eq!(
            e.to_string(),
            "bad date \"2026-11-31\" in \"scotland\" (expected YYYY-MM-DD)"
        );
    }

    #[test]
    fn division_keys() {
        let keys: Vec<_> = Division::ALL.iter().map(|d| d.key()).collect();
        assert_eq!(keys, ["england-and-wales", "scotland", "northern-ireland"]);
    }
}
