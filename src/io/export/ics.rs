//! The release calendar (RFC 5545): one all-day event per release on its expected day, one per
//! OMiC handover on its handover day (DOMAIN.md §7) and one per cluster warning, for Outlook,
//! Google or Apple calendars.
//!
//! Calendars get shared and synced to phones, so by default an event names a person by CRN and
//! initials only; full names only when asked. Notes and NOMS numbers never go in.
//!
//! Written one event at a time (`IcsWriter`): a year of releases at 100,000 cases is 50 MB of
//! text, never held whole. Escaping is the `icalendar` crate's; folding is ours, since the
//! crate's `fold_line` leaves a last piece of exactly 75 octets 76 long with its leading space
//! (RFC 5545 §3.1 allows 75).
//!
//! Each event carries SEQUENCE and LAST-MODIFIED, which calendar programs read to tell that an
//! event they hold was revised (a moved day is otherwise ignored by some). The content of an
//! event follows from three things: the case's record (when it was last written), the day the
//! export is "as of" (its flags and the words "as of Mon 23 Nov"), and the calendar and policy
//! the expected days were worked out under. SEQUENCE is the seconds from 2020 to the later of
//! the record's change and the days' working-out, plus the days from 2020 to the day the export
//! is as of: a sum, so it grows whenever either part does (an edit, a moved calendar, the next
//! day's export, a `--today` rehearsal ahead of the clock alike), stays the same for the same
//! day's export of an unchanged caseload, and never goes back when a case is deleted and
//! imported again, as a per-case version counter would.

use crate::domain::case::{clean_text, Case};
use crate::domain::clusters::{Cluster, ClusterKind};
use crate::domain::dates;
use crate::domain::gaps::Flag;
use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use icalendar::{Calendar, Class, Component, Event, EventLike, Property};
use std::io::Write;

/// RFC 5545 §3.1: content lines are at most 75 octets, not counting the line break.
pub const MAX_LINE_OCTETS: usize = 75;

/// One release, as the caller worked it out from the query layer.
pub struct Release<'a> {
    pub case: &'a Case,
    pub expected: NaiveDate,
    /// How the expected day was reached ("due Sat 26 Dec 2026 → statutory Thu 24 Dec 2026 → …").
    pub how: String,
    pub worst: Option<&'a Flag>,
    /// When what the event says last changed: the case written, or its day worked out again.
    pub changed: Option<DateTime<Utc>>,
}

/// One OMiC handover (DOMAIN.md §7), as the caller worked it out from the query layer.
pub struct Handover<'a> {
    pub crn: &'a str,
    pub name: &'a str,
    pub pom: Option<&'a str>,
    /// The community offender manager (the case's officer).
    pub officer: Option<&'a str>,
    pub day: NaiveDate,
    /// The rule that set the day, in words ("determinate sentence: 8 months and 14 days …").
    pub rule: &'a str,
    pub expected: NaiveDate,
    /// When what the event says last changed.
    pub changed: Option<DateTime<Utc>>,
}

pub struct Options {
    /// Names in full rather than initials.
    pub full_names: bool,
    /// The day the flags and loads were worked out for.
    pub today: NaiveDate,
    /// When the file was written: clients take an event with a later DTSTAMP as the newer copy.
    pub stamp: DateTime<Utc>,
}

/// The whole calendar as text (CRLF lines, folded at 75 octets), for callers with everything
/// in hand; `IcsWriter` writes one event at a time. `clusters_changed` is when the caseload
/// last changed (`IcsWriter::cluster`).
pub fn calendar<'a>(
    releases: impl IntoIterator<Item = Release<'a>>,
    clusters: &[Cluster],
    clusters_changed: Option<DateTime<Utc>>,
    opts: &Options,
) -> String {
    let mut out = Vec::new();
    let mut w = IcsWriter::begin(&mut out, opts).expect("write to memory");
    for r in releases {
        w.release(&r).expect("write to memory");
    }
    for k in clusters {
        w.cluster(k, clusters_changed).expect("write to memory");
    }
    w.end().expect("write to memory");
    String::from_utf8(out).expect("ICS is UTF-8")
}

/// A calendar written event by event.
pub struct IcsWriter<'a> {
    out: &'a mut dyn Write,
    opts: &'a Options,
    /// Folded text of the event being written, reused.
    buf: String,
}

impl<'a> IcsWriter<'a> {
    /// Writes the calendar's own lines (`BEGIN:VCALENDAR`, version, product, name).
    pub fn begin(out: &'a mut dyn Write, opts: &'a Options) -> std::io::Result<IcsWriter<'a>> {
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
        // An empty calendar, less its last line: events go between.
        let text = cal.to_string();
        let head = text
            .strip_suffix("END:VCALENDAR\r\n")
            .expect("the crate ends a calendar with END:VCALENDAR");
        let mut w = IcsWriter {
            out,
            opts,
            buf: String::new(),
        };
        w.put(head)?;
        Ok(w)
    }

    pub fn release(&mut self, r: &Release<'_>) -> std::io::Result<()> {
        let e = release_event(r, self.opts);
        self.put_event(&e)
    }

    pub fn handover(&mut self, h: &Handover<'_>) -> std::io::Result<()> {
        let e = handover_event(h, self.opts);
        self.put_event(&e)
    }

    /// A cluster's warning; `changed` is when the caseload last changed, since a cluster's
    /// counts (and a load cluster's usual rate) follow from many cases.
    pub fn cluster(&mut self, k: &Cluster, changed: Option<DateTime<Utc>>) -> std::io::Result<()> {
        let e = cluster_event(k, changed, self.opts);
        self.put_event(&e)
    }

    pub fn end(mut self) -> std::io::Result<()> {
        self.put("END:VCALENDAR\r\n")?;
        self.out.flush()
    }

    fn put_event(&mut self, e: &Event) -> std::io::Result<()> {
        let text = e
            .try_into_string()
            .map_err(|_| std::io::Error::other("an event could not be written"))?;
        self.put(&text)
    }

    /// Writes the crate's text refolded: its folds undone, every line folded again at 75.
    fn put(&mut self, text: &str) -> std::io::Result<()> {
        self.buf.clear();
        for line in unfold(text).split("\r\n").filter(|l| !l.is_empty()) {
            fold_into(line, &mut self.buf);
        }
        self.out.write_all(self.buf.as_bytes())
    }
}

/// RFC 5545 §3.1 unfolding: a line break followed by a space or tab joins the lines.
pub fn unfold(text: &str) -> String {
    text.replace("\r\n ", "").replace("\r\n\t", "")
}

/// Appends one content line (without its line break) folded to lines of at most 75 octets:
/// the first piece 75, each continuation a space and 74; never inside a UTF-8 character.
pub fn fold_into(line: &str, out: &mut String) {
    let mut rest = line;
    let mut room = MAX_LINE_OCTETS;
    while rest.len() > room {
        let mut cut = room;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        room = MAX_LINE_OCTETS - 1;
    }
    out.push_str(rest);
    out.push_str("\r\n");
}

/// SEQUENCE (see the module's notes): seconds from 2020 to when the event's record last
/// changed, plus days from 2020 to the day the export is as of.
pub fn sequence(changed: Option<DateTime<Utc>>, today: NaiveDate) -> u32 {
    let epoch = Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0).unwrap();
    let seconds = changed.map_or(0, |c| (c - epoch).num_seconds().max(0));
    let days = (today - epoch.date_naive()).num_days().max(0);
    u32::try_from(seconds + days).unwrap_or(u32::MAX)
}

/// An RFC 3339 time as the store writes it, as a UTC time.
pub fn parse_changed(rfc3339: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(rfc3339)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Stable across exports for the same release, so re-importing updates the event in place.
/// Keyed by the legal release date, not the expected day: when a prison confirms another day
/// the event moves instead of leaving a stale copy on the old day.
pub fn release_uid(case: &Case) -> String {
    format!("release-{}-{}@releaseday", case.crn, case.release_date)
}

/// Keyed by the handover day: a sentence recorded differently moves the day, and the event
/// with it only if the client drops the old one; the day in the key keeps two apart.
pub fn handover_uid(crn: &str, day: NaiveDate) -> String {
    format!("handover-{crn}-{day}@releaseday")
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
    let mut e = day_event(release_uid(c), r.expected, r.changed, opts);
    e.summary(&summary)
        .description(&lines.join("\n"))
        .categories(categories)
        // Shared calendars show a private event as busy without its details.
        .class(Class::Private);
    e.done()
}

fn handover_event(h: &Handover<'_>, opts: &Options) -> Event {
    let who = if opts.full_names {
        clean_text(h.name)
    } else {
        initials(h.name)
    };
    let com = h.officer.map(clean_text).filter(|o| !o.is_empty());
    let mut summary = format!("Handover {} {who} to the community", h.crn);
    if com.is_none() {
        summary += " ▲ no COM";
    }
    let lines = [
        format!(
            "OMiC handover: from the prison offender manager ({}) to the community offender \
             manager ({})",
            h.pom.map(clean_text).unwrap_or_else(|| "not named".into()),
            com.as_deref().unwrap_or("none allocated")
        ),
        format!("Rule: {}", h.rule),
        format!("Release expected {}", dates::long(h.expected)),
        exported_on(opts),
    ];
    let mut categories = vec!["Handover"];
    if com.is_none() {
        categories.push("No COM");
    }
    let mut e = day_event(handover_uid(h.crn, h.day), h.day, h.changed, opts);
    e.summary(&summary)
        .description(&lines.join("\n"))
        .categories(categories)
        .class(Class::Private);
    e.done()
}

fn cluster_event(k: &Cluster, changed: Option<DateTime<Utc>>, opts: &Options) -> Event {
    let counts = match k.load {
        0 => "no releases yet".to_string(),
        _ => format!(
            "{} ({} with nowhere to go)",
            k.releases(),
            k.no_accommodation
        ),
    };
    let why = match k.kind {
        ClusterKind::Holiday => k.why(),
        ClusterKind::Load => format!("load cluster: {}", k.why()),
    };
    let summary = format!(
        "{} Release cluster ({}): {counts} · {why}",
        k.severity.symbol(),
        k.severity
    );
    let description = format!("{}.\n{}", clean_text(&k.message), exported_on(opts));
    let mut e = day_event(cluster_uid(k.day), k.day, changed, opts);
    e.summary(&summary).description(&description).categories([
        "Release cluster",
        k.severity.as_str(),
        k.kind.as_str(),
    ]);
    e.done()
}

/// An all-day event: DTSTART;VALUE=DATE and an exclusive DTEND the next day (RFC 5545
/// §3.6.1; the crate's `all_day` sets DTEND to the same day, which some clients drop), with
/// SEQUENCE and LAST-MODIFIED from when its content last changed.
fn day_event(uid: String, day: NaiveDate, changed: Option<DateTime<Utc>>, opts: &Options) -> Event {
    let mut e = Event::with_uid(&uid);
    e.sequence(sequence(changed, opts.today));
    if let Some(changed) = changed {
        e.last_modified(changed);
    }
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

    /// Lines of 74, 75, 76, 149, 150 and 151 octets, and multi-byte characters across every
    /// fold point: each folded line is at most 75 octets, and unfolding gives the line back.
    #[test]
    fn folding_keeps_every_line_within_75_octets_and_unfolds_to_the_text() {
        let mut lines: Vec<String> = [74, 75, 76, 149, 150, 151, 300]
            .iter()
            .map(|n| "x".repeat(*n))
            .collect();
        for pad in 0..4 {
            lines.push(format!("{}{}", "y".repeat(70 + pad), "ë▲李".repeat(30)));
        }
        for line in &lines {
            let mut out = String::new();
            fold_into(line, &mut out);
            assert!(out.ends_with("\r\n"));
            for l in out.trim_end_matches("\r\n").split("\r\n") {
                assert!(l.len() <= MAX_LINE_OCTETS, "{} octets: {l:?}", l.len());
            }
            assert_eq!(unfold(&out).trim_end_matches("\r\n"), line);
        }
        // Exactly 75 octets stays one line; 76 folds to 75 + " " and 1.
        let mut out = String::new();
        fold_into(&"x".repeat(75), &mut out);
        assert_eq!(out.matches("\r\n").count(), 1);
        out.clear();
        fold_into(&"x".repeat(76), &mut out);
        assert_eq!(out, format!("{}\r\n x\r\n", "x".repeat(75)));
    }

    #[test]
    fn sequence_grows_with_the_record_and_the_day_and_only_then() {
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let at = |s: &str| parse_changed(s);
        let edited = at("2026-11-23T10:15:00Z");
        let before = sequence(at("2026-11-20T09:00:00Z"), day(23));
        assert_eq!(
            before,
            sequence(at("2026-11-20T09:00:00Z"), day(23)),
            "same input"
        );
        assert!(sequence(edited, day(23)) > before, "an edit");
        assert!(
            sequence(edited, day(24)) > sequence(edited, day(23)),
            "the next day"
        );
        // An edit made while rehearsing a day ahead of the clock still counts.
        let ahead = NaiveDate::from_ymd_opt(2030, 1, 1).unwrap();
        assert!(sequence(edited, ahead) > sequence(at("2026-11-20T09:00:00Z"), ahead));
    }

    #[test]
    fn initials_take_the_first_letter_of_each_name() {
        assert_eq!(initials("Jo Smith"), "J.S.");
        assert_eq!(initials("Smith, Jo"), "S.J.");
        assert_eq!(initials("zoë  o'neil-brown"), "Z.O.");
        assert_eq!(initials("'Ann' Example"), "A.E.");
        assert_eq!(initials(""), "");
    }
}
