//! The shipped bank-holiday asset against gov.uk's list, and the England and Wales projection
//! rule against the same list (DOMAIN.md §1, "Calendar range").

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use releaseday::domain::holidays::{parse_govuk, project_england_and_wales, Division, HolidayFile};

const REFERENCE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/reference/govuk-bank-holidays.json"
);

/// Years the shipped asset must cover.
const ASSET_YEARS: std::ops::RangeInclusive<i32> = 2018..=2028;

/// Years in which England and Wales had one-off changes (extra or moved bank holidays).
const ONE_OFF_YEARS: [i32; 4] = [2012, 2020, 2022, 2023];

fn dates_in(file: &HolidayFile, d: Division, year: i32) -> BTreeSet<NaiveDate> {
    file.events(d)
        .iter()
        .map(|h| h.date)
        .filter(|date| date.year() == year)
        .collect()
}

/// The gov.uk reference copy, or None (with a note) where this checkout has none.
fn reference() -> Option<HolidayFile> {
    let text = match std::fs::read_to_string(REFERENCE) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("note: no gov.uk reference at {REFERENCE} ({e}); skipping the comparison");
            return None;
        }
    };
    Some(parse_govuk(&text).expect("the gov.uk reference file parses"))
}

fn fmt_dates(s: &BTreeSet<NaiveDate>) -> String {
    let v: Vec<String> = s
        .iter()
        .map(|d| d.format("%a %Y-%m-%d").to_string())
        .collect();
    if v.is_empty() {
        "(none)".to_string()
    } else {
        v.join(", ")
    }
}

/// One line naming the dates only in `ours` and only in `theirs`.
fn diff(what: &str, ours: &BTreeSet<NaiveDate>, theirs: &BTreeSet<NaiveDate>) -> String {
    let only_ours: BTreeSet<_> = ours.difference(theirs).copied().collect();
    let only_theirs: BTreeSet<_> = theirs.difference(ours).copied().collect();
    format!(
        "{what}: only in ours: {}; only in gov.uk: {}",
        fmt_dates(&only_ours),
        fmt_dates(&only_theirs)
    )
}

#[test]
fn embedded_asset_covers_2018_to_2028_for_every_division() {
    let file = HolidayFile::embedded();
    for d in Division::ALL {
        let events = file.events(d);
        assert!(
            events.windows(2).all(|w| w[0].date < w[1].date),
            "{}: events not strictly sorted by date",
            d.key()
        );
        for h in events {
            assert!(
                ASSET_YEARS.contains(&h.date.year()),
                "{}: {} is outside {ASSET_YEARS:?}",
                d.key(),
                h.date
            );
            assert!(!h.title.is_empty(), "{}: {} has no title", d.key(), h.date);
        }
        for y in ASSET_YEARS {
            let n = dates_in(&file, d, y).len();
            // Every division has at least 8 bank holidays a year.
            assert!(n >= 8, "{}: only {n} holidays in {y}", d.key());
            let mut christmas = dates_in(&file, d, y)
                .into_iter()
                .filter(|date| date.month() == 12 && date.day() >= 25);
            assert!(
                christmas.next().is_some(),
                "{}: no Christmas in {y}",
                d.key()
            );
        }
    }
}

#[test]
fn embedded_asset_matches_govuk_reference() {
    let Some(reference) = reference() else { return };
    let ours = HolidayFile::embedded();
    let mut problems = Vec::new();
    for d in Division::ALL {
        for y in ASSET_YEARS {
            let a = dates_in(&ours, d, y);
            let b = dates_in(&reference, d, y);
            if a != b {
                problems.push(diff(&format!("{} {y}", d.key()), &a, &b));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "the asset differs from gov.uk:\n{}",
        problems.join("\n")
    );
}

#[test]
fn projection_matches_govuk_in_ordinary_years() {
    let Some(reference) = reference() else { return };
    let mut problems = Vec::new();
    let mut checked = 0;
    for y in 2012..=2028 {
        if ONE_OFF_YEARS.contains(&y) {
            continue;
        }
        let projected: BTreeSet<NaiveDate> = project_england_and_wales(y)
            .iter()
            .map(|h| h.date)
            .collect();
        let published = dates_in(&reference, Division::EnglandAndWales, y);
        if projected != published {
            problems.push(diff(
                &format!("england-and-wales {y}"),
                &projected,
                &published,
            ));
        }
        checked += 1;
    }
    assert_eq!(checked, 13);
    assert!(
        problems.is_empty(),
        "the projection differs from gov.uk:\n{}",
        problems.join("\n")
    );
}

#[test]
fn projection_titles_match_embedded_asset_in_ordinary_years() {
    let file = HolidayFile::embedded();
    for y in ASSET_YEARS {
        if ONE_OFF_YEARS.contains(&y) {
            continue;
        }
        let shipped: Vec<_> = file
            .events(Division::EnglandAndWales)
            .iter()
            .filter(|h| h.date.year() == y)
            .map(|h| (h.date, h.title.as_str(), h.notes.as_str()))
            .collect();
        let projected = project_england_and_wales(y);
        let projected: Vec<_> = projected
            .iter()
            .map(|h| (h.date, h.title.as_str(), h.notes.as_str()))
            .collect();
        assert_eq!(projected, shipped, "{y}");
    }
}
