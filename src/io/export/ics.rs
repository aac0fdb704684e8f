//! The release calendar (RFC 5545): one all-day event per release on its expected day and one
//! per cluster warning, for Outlook, Google or Apple calendars.
//!
//! Calendars get shared and synced to phones, so by default an event names a person by CRN and
//! initials only; full names only when asked. Notes and NOMS numbers never go in. Escaping and
//! line folding are the `icalendar` crate's.

use crate::domain::case::{clean_text, Case};
use crate::domain::clusters::{Cluster, ClusterKind};
use crate::domain::dates;
use crate::domain::gaps::Flag;
use chrono::{DateTime, Days, NaiveDate, Utc};
use icalendar::{Calendar, Class, Component, Event, EventLike, Property};

/// One release, as the caller worked it out from the query layer.
pub struct Release<'a> {
    pub case: &'a Case,
    pub expected: NaiveDate,
    /// How the expected day was reached ("due Sat 26 Dec 2026 → statutory Thu 24 Dec 2026 → …").
    pub how: String,
    pub worst: Option<&'a Flag>,
}

pub struct Options {
    /// Names in full rather than initials.
    pub full_names: bool,
    /// The day the flags and loads were worked out for.
    pub today: NaiveDate,
    /// When the file was written: clients take an event with a later DTSTAMP as the newer copy.
    pub stamp: DateTime<Utc>,
}

/// The whole calendar as text (CRLF lines, folded at 75 octets).
pub fn calendar<'a>(
    releases: impl IntoIterator<Item = Release<'a>>,
    clusters: &[Cluster],
    opts: &Options,
) -> String {
    let mut cal = Calendar::new();
    // Replaces the crate's default PRODID with ours (RFC 5545 §3.7.3).
    cal.properties.retain(|p| p.key() != "PRODID");
    cal.append_property(Property::new(
        "PRODID",
        concat!(
            "-//releaseday//releaseday ",
            env!("CARGO_PKG_VERSION"),
            "//EN"
        ),
    ));
    cal.append_property(Property::new("METHOD", "PUBLISH"));
    cal.name("Releases (releaseday)");
    for r in releases {
        cal.push(release_event(&r, opts));
    }
    for k in clusters {
        cal.push(cluster_event(k, opts));
    }
    cal.to_string()
}

/// Stable across exports for the same release, so re-importing updates the event in place.
/// Keyed by the legal release date, not the expected day: when a prison confirms another day
/// the event moves instead of leaving a stale copy on the old day.
pub fn release_uid(case: &Case) -> String {
    format!("release-{}-{}@releaseday", case.crn, case.release_date)
}

pub fn cluster_uid(day: NaiveDate) -> String {
    format!("cluster-{day}@releaseday")
}

/// "J.S." from "Jo Smith"; "S.J." from "Smith, Jo" (the order the file gave).
pub fn initials(name: &str) -> String {
    name.split(|c: char| c.is_whitespace() || c == ',')
        .filter_map(|word| word.chars().find(|c| c.is_alphabetic()))
        .flat_map(|c| c.to_uppercase().chain(std::iter::once('.')))
        .collect()
}

fn release_event(r: &Release<'_>, opts: &Options) -> Event {
    let c = r.case;
    let who = if opts.full_names {
        clean_text(&c.name)
    } else {
        initials(&c.name)
    };
    let mut summary = format!("Release {} {who}", c.crn).trim_end().to_string();
    if c.needs_accommodation() {
        summary += " ▲ nowhere to go";
    }
    let mut lines = vec![
        format!("CRN {}, release type {}", c.crn, c.release_type),
        format!("Release day: {}", r.how),
        format!(
            "Accommodation: {}{}",
            c.accommodation,
            if c.needs_accommodation() {
                " ▲ nowhere to go (no fixed abode, or no place booked)"
            } else {
                ""
            }
        ),
    ];
    if let Some(f) = r.worst {
        lines.push(format!(
            "Most pressing on {}: {} {}",
            dates::long(opts.today),
            f.severity,
            clean_text(&f.message)
        ));
    }
    lines.push(format!(
        "Officer: {}",
        c.officer
            .as_deref()
            .map(clean_text)
            .unwrap_or_else(|| "none allocated".into())
    ));
    lines.push(exported_on(opts));
    let mut categories = vec!["Release"];
    if c.needs_accommodation() {
        categories.push("Nowhere to go");
    }
    let mut e = day_event(release_uid(c), r.expected, opts);
    e.summary(&summary)
        .description(&lines.join("\n"))
        .categories(categories)
        // Shared calendars show a private event as busy without its details.
        .class(Class::Private);
    e.done()
}

fn cluster_event(k: &Cluster, opts: &Options) -> Event {
    let counts = match k.load {
        0 => "no releases yet".to_string(),
        1 => format!("1 release ({} with nowhere to go)", k.no_accommodation),
        n => format!("{n} releases ({} with nowhere to go)", k.no_accommodation),
    };
    let why = match k.kind {
        ClusterKind::Holiday => k.holidays.join(", "),
        ClusterKind::Load => "more releases than usual".into(),
    };
    let summary = format!(
        "{} Release cluster ({}): {counts} · {why}",
        k.severity.symbol(),
        k.severity
    );
    let description = format!("{}.\n{}", clean_text(&k.message), exported_on(opts));
    let mut e = day_event(cluster_uid(k.day), k.day, opts);
    e.summary(&summary).description(&description).categories([
        "Release cluster",
        k.severity.as_str(),
        k.kind.as_str(),
    ]);
    e.done()
}

/// An all-day event: DTSTART;VALUE=DATE and an exclusive DTEND the next day (RFC 5545
/// §3.6.1; the crate's `all_day` sets DTEND to the same day, which some clients drop).
fn day_event(uid: String, day: NaiveDate, opts: &Options) -> Event {
    let mut e = Event::with_uid(&uid);
    e.timestamp(opts.stamp)
        .starts(day)
        .ends(day.checked_add_days(Days::new(1)).unwrap_or(day))
        // All-day notices should not block anyone's free time.
        .add_property("TRANSP", "TRANSPARENT");
    e
}

fn exported_on(opts: &Options) -> String {
    format!(
        "From releaseday as of {}; a later export updates this event.",
        dates::long(opts.today)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_take_the_first_letter_of_each_name() {
        assert_eq!(initials("Jo Smith"), "J.S.");
        assert_eq!(initials("Smith, Jo"), "S.J.");
        assert_eq!(initials("zoë  o'neil-brown"), "Z.O.");
        assert_eq!(initials("'Ann' Example"), "A.E.");
        assert_eq!(initials(""), "");
    }
}
