//! Exports for other programs (issue 6): the release calendar (`export --format ics`) read back
//! with the `icalendar` crate's parser, and the printable duty sheet (`today --format html`)
//! read back as XML. Today is Mon 23 Nov 2026 unless a test says otherwise, so the window holds
//! Christmas 2026: statutory Thu 24 Dec, Friday policy Wed 23 Dec covering 23–28 Dec.
//! All names, CRNs, NOMS numbers and prisons are invented.

mod common;

use assert_cmd::Command;
use common::cli::{Env, TODAY};
use icalendar::{Calendar, CalendarComponent, Component, DatePerhapsTime, Event, EventLike};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

/// Twelve months on: the end of the calendar's window (and of `clusters`' default).
const YEAR_ON: &str = "2027-11-23";

impl Env {
    fn demo(&self) {
        self.ok(&["demo", "--cases", "120", "--seed", "7"]);
    }

    /// The demo caseload as a real one: written into a file of its own, exported and imported
    /// here, so more cases can be imported beside it (a demo database refuses imports).
    fn demo_imported(&self, extra: &[&str]) {
        let side = self.path("demo-side.db");
        let csv = self.path("demo.csv");
        for args in [
            [&["demo"][..], extra].concat(),
            vec![
                "export",
                "--format",
                "csv",
                "--output",
                csv.to_str().unwrap(),
            ],
        ] {
            let mut c = Command::cargo_bin("releaseday").expect("the releaseday binary");
            c.env_remove("RELEASEDAY_DB")
                .arg("--db")
                .arg(&side)
                .arg("--today")
                .arg(TODAY)
                .args(&args)
                .assert()
                .success();
        }
        self.ok(&["import", csv.to_str().unwrap()]);
    }

    /// Releases in the calendar's window, as `list` gives them.
    fn list_in_window(&self) -> Vec<Value> {
        self.json(&["list", "--from", TODAY, "--to", YEAR_ON, "--format", "json"])
    }

    fn ics(&self, extra: &[&str]) -> String {
        let mut args = vec!["export", "--format", "ics"];
        args.extend_from_slice(extra);
        self.ok(&args)
    }
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("no string {key:?} in {v}"))
}

/// The events of an ICS text, through the crate's parser (unfolding and unescaping included).
fn events(text: &str) -> Vec<Event> {
    let cal = Calendar::from_str(text).unwrap_or_else(|e| panic!("unparsable ICS: {e}\n{text}"));
    cal.components
        .iter()
        .filter_map(CalendarComponent::as_event)
        .cloned()
        .collect()
}

/// The release event of a CRN.
fn release_of<'a>(evs: &'a [Event], crn: &str) -> &'a Event {
    evs.iter()
        .find(|e| uid(e).starts_with(&format!("release-{crn}-")))
        .unwrap_or_else(|| panic!("no release event for {crn}"))
}

fn uid(e: &Event) -> &str {
    e.get_uid().expect("every event has a UID")
}

fn day(d: Option<DatePerhapsTime>) -> String {
    match d {
        Some(DatePerhapsTime::Date(d)) => d.to_string(),
        other => panic!("expected an all-day date, got {other:?}"),
    }
}

fn releases(events: &[Event]) -> Vec<&Event> {
    events
        .iter()
        .filter(|e| uid(e).starts_with("release-"))
        .collect()
}

/// Every text an event shows: what a calendar program could display or sync.
fn shown(e: &Event) -> String {
    let mut all: Vec<String> = e
        .properties()
        .values()
        .map(|p| p.value().to_string())
        .collect();
    all.extend(e.get_categories().unwrap_or_default());
    all.join("\n")
}

/// Three invented people: one with nowhere to go and everything a leak could carry, one
/// settled, one due in 13 months (outside the window) and one released last month.
const PEOPLE: &str = "crn,name,noms,prison,officer,release_date,accommodation,rosh,notes\n\
X123456,Zara Quillfeather,A1234BC,HMP Exampleton,Pat Officer,2026-12-24,NFA,HIGH,Sister in Leeds may take her\n\
X234567,Bob Example,B2345CD,HMP Exampleton,Pat Officer,2026-12-10,SETTLED,LOW,\n\
X345678,Cy Later,C3456DE,HMP Exampleton,,2027-12-21,SETTLED,,\n\
X456789,Di Earlier,D4567EF,HMP Exampleton,,2026-10-15,SETTLED,,\n";

// ---------------------------------------------------------------------------------------------
// ICS

#[test]
fn ics_has_one_event_per_release_in_the_window_on_its_expected_day() {
    let env = Env::new();
    env.demo_imported(&["--cases", "120", "--seed", "7"]);
    env.import_csv("people.csv", PEOPLE);
    let list = env.list_in_window();
    let evs = events(&env.ics(&[]));
    let rel = releases(&evs);
    assert_eq!(rel.len(), list.len(), "one event per release in the window");
    assert!(list.len() > 100, "the demo caseload is in the window");

    let by_uid: BTreeMap<&str, &Event> = rel.iter().map(|e| (uid(e), *e)).collect();
    for case in &list {
        let want = format!(
            "release-{}-{}@releaseday",
            s(case, "crn"),
            s(case, "release_date")
        );
        let e = by_uid
            .get(want.as_str())
            .unwrap_or_else(|| panic!("no event {want}"));
        let expected = s(case, "expected_day");
        assert_eq!(day(e.get_start()), expected, "{want}");
        let next = chrono::NaiveDate::from_str(expected)
            .unwrap()
            .succ_opt()
            .unwrap();
        assert_eq!(day(e.get_end()), next.to_string(), "DTEND is the next day");
        assert!(e.get_timestamp().is_some(), "{want} has a DTSTAMP");
        assert!(e.get_summary().unwrap().contains(s(case, "crn")));
    }
    // Outside the window: released last month, and due 13 months on (whose OMiC handover,
    // 7 Apr 2027, is inside it: that is its only event).
    let all = shown_all(&evs);
    assert!(!all.contains("X456789"));
    let cy: Vec<&str> = evs
        .iter()
        .map(uid)
        .filter(|u| u.contains("X345678"))
        .collect();
    assert_eq!(cy, ["handover-X345678-2027-04-07@releaseday"]);
    // Zara's day: Thu 24 Dec is the statutory day; the Friday policy makes it Wed 23 Dec.
    let zara = by_uid["release-X123456-2026-12-24@releaseday"];
    assert_eq!(day(zara.get_start()), "2026-12-23");
    assert!(zara.get_summary().unwrap().contains("nowhere to go"));
    let desc = zara.get_description().unwrap();
    assert!(
        desc.contains("NFA") && desc.contains("Pat Officer"),
        "{desc}"
    );
    assert!(desc.contains("Friday policy Wed 23 Dec 2026"), "{desc}");
}

fn shown_all(evs: &[Event]) -> String {
    evs.iter().map(shown).collect::<Vec<_>>().join("\n")
}

#[test]
fn ics_has_an_event_on_each_handover_day_of_the_year_ahead() {
    let env = Env::new();
    env.import_csv("people.csv", PEOPLE);
    env.import_csv(
        "more.csv",
        "crn,name,release_date,officer,pom,sentence_type,recall\n\
         X567890,Eve Lifer,2027-12-01,Pat Officer,Jo Bloggs,INDETERMINATE,\n\
         X678901,Fay Recall,2026-12-15,,,,yes\n",
    );
    let evs = events(&env.ics(&[]));
    let handovers: Vec<&Event> = evs
        .iter()
        .filter(|e| uid(e).starts_with("handover-"))
        .collect();
    // Cy (determinate, 21 Dec 2027: 7 Apr 2027) and Eve (indeterminate, 1 Dec 2027: 1 Dec
    // 2026); Fay is a recall, with no handover; Zara's and Bob's were in the spring.
    let days: BTreeMap<&str, String> = handovers
        .iter()
        .map(|e| (uid(e), day(e.get_start())))
        .collect();
    assert_eq!(
        days,
        BTreeMap::from([
            (
                "handover-X345678-2027-04-07@releaseday",
                "2027-04-07".to_string()
            ),
            (
                "handover-X567890-2026-12-01@releaseday",
                "2026-12-01".to_string()
            ),
        ])
    );
    let cy = handovers
        .iter()
        .find(|e| uid(e).contains("X345678"))
        .unwrap();
    assert_eq!(
        cy.get_summary().unwrap(),
        "Handover X345678 C.L. to the community ▲ no COM"
    );
    let desc = cy.get_description().unwrap();
    assert!(
        desc.contains("Rule: determinate sentence: 8 months and 14 days before release"),
        "{desc}"
    );
    assert!(desc.contains("none allocated"), "{desc}");
    assert!(!shown(cy).contains("Cy Later"), "initials only by default");
    let eve = handovers
        .iter()
        .find(|e| uid(e).contains("X567890"))
        .unwrap();
    assert!(
        eve.get_description()
            .unwrap()
            .contains("(Jo Bloggs) to the community offender manager (Pat Officer)"),
        "{}",
        shown(eve)
    );
    assert!(eve
        .get_categories()
        .unwrap()
        .contains(&"Handover".to_string()));
}

#[test]
fn ics_uids_are_unique_and_stable_across_exports() {
    let env = Env::new();
    env.demo();
    let first = events(&env.ics(&[]));
    let file = env.path("releases.ics");
    env.ok(&[
        "export",
        "--format",
        "ics",
        "--output",
        file.to_str().unwrap(),
    ]);
    let second = events(&std::fs::read_to_string(&file).unwrap());

    let uids = |evs: &[Event]| -> Vec<(String, String)> {
        evs.iter()
            .map(|e| (uid(e).to_string(), day(e.get_start())))
            .collect()
    };
    let set: BTreeSet<_> = first.iter().map(uid).collect();
    assert_eq!(set.len(), first.len(), "UIDs are unique");
    assert_eq!(
        uids(&first),
        uids(&second),
        "same events, same UIDs, same days"
    );

    // A day the prison confirms moves the event; its UID stays, so a calendar updates it.
    let env = Env::new();
    env.import_csv("people.csv", PEOPLE);
    let before = events(&env.ics(&[]));
    env.import_csv(
        "confirmed.csv",
        "crn,name,release_date,confirmed_day\nX123456,Zara Quillfeather,2026-12-24,2026-12-22\n",
    );
    let after = events(&env.ics(&[]));
    let find = |evs: &[Event]| {
        evs.iter()
            .find(|e| uid(e) == "release-X123456-2026-12-24@releaseday")
            .map(|e| day(e.get_start()))
    };
    assert_eq!(find(&before).as_deref(), Some("2026-12-23"));
    assert_eq!(find(&after).as_deref(), Some("2026-12-22"));
    assert_eq!(before.len(), after.len());
}

#[test]
fn ics_warns_of_every_cluster_including_christmas() {
    let env = Env::new();
    env.demo();
    let evs = events(&env.ics(&[]));
    let clusters = env.json(&["clusters", "--format", "json"]);
    let cluster_events: Vec<&Event> = evs
        .iter()
        .filter(|e| uid(e).starts_with("cluster-"))
        .collect();
    assert_eq!(cluster_events.len(), clusters.len());
    let handovers = evs
        .iter()
        .filter(|e| uid(e).starts_with("handover-"))
        .count();
    assert_eq!(
        evs.len(),
        cluster_events.len() + releases(&evs).len() + handovers
    );
    for k in &clusters {
        let d = s(k, "day");
        let e = cluster_events
            .iter()
            .find(|e| uid(e) == format!("cluster-{d}@releaseday"))
            .unwrap_or_else(|| panic!("no event for the cluster on {d}"));
        assert_eq!(day(e.get_start()), d);
        let cats = e.get_categories().unwrap();
        assert!(cats.contains(&s(k, "severity").to_string()), "{cats:?}");
    }
    let christmas = cluster_events
        .iter()
        .find(|e| uid(e) == "cluster-2026-12-23@releaseday")
        .expect("Wed 23 Dec 2026 is a holiday cluster");
    assert_eq!(day(christmas.get_end()), "2026-12-24");
    let summary = christmas.get_summary().unwrap();
    assert!(summary.contains("Release cluster"), "{summary}");
    assert!(summary.contains("Christmas Day, Boxing Day"), "{summary}");
    assert!(summary.contains("red"), "{summary}");
    let k = clusters
        .iter()
        .find(|k| s(k, "day") == "2026-12-23")
        .unwrap();
    let counts = format!(
        "{} releases ({} with nowhere to go)",
        k["load"], k["no_accommodation"]
    );
    assert!(summary.contains(&counts), "{summary} lacks {counts}");
    assert!(christmas.get_description().unwrap().contains("23–28 Dec"));
}

#[test]
fn ics_names_people_by_crn_and_initials_unless_full_names_is_given() {
    let env = Env::new();
    env.import_csv("people.csv", PEOPLE);
    let text = env.ics(&[]);
    let evs = events(&text);
    let unfolded = icalendar::parser::unfold(&text);
    for secret in [
        "Zara",
        "Quillfeather",
        "Bob Example",
        "A1234BC",
        "B2345CD",
        "Sister in Leeds",
        "Leeds",
    ] {
        assert!(!unfolded.contains(secret), "{secret} leaked:\n{text}");
        assert!(!shown_all(&evs).contains(secret), "{secret} leaked");
    }
    let zara = release_of(&evs, "X123456");
    assert_eq!(
        zara.get_summary(),
        Some("Release X123456 Z.Q. ▲ nowhere to go")
    );

    let full = env.ics(&["--full-names"]);
    let evs = events(&full);
    let zara = release_of(&evs, "X123456");
    assert_eq!(
        zara.get_summary(),
        Some("Release X123456 Zara Quillfeather ▲ nowhere to go")
    );
    // Full names only: still no notes and no NOMS numbers.
    for secret in ["A1234BC", "Sister in Leeds"] {
        assert!(!shown_all(&evs).contains(secret), "{secret} leaked");
    }
}

#[test]
fn ics_text_with_commas_semicolons_and_quotes_round_trips() {
    let env = Env::new();
    let name = "O'Hara-Vance, Jo; \"JJ\" \\ Wilhelmina-Anastasia Featherstonehaugh-Cholmondeley";
    env.import_csv(
        "odd.csv",
        &format!(
            "crn,name,officer,release_date\nX654321,\"{}\",\"Lee, Pat; Team North\",2026-12-01\n",
            name.replace('"', "\"\"")
        ),
    );
    let text = env.ics(&["--full-names"]);
    let evs = events(&text);
    let e = release_of(&evs, "X654321");
    assert_eq!(
        e.get_summary(),
        Some(format!("Release X654321 {name} ▲ nowhere to go").as_str())
    );
    assert!(e
        .get_description()
        .unwrap()
        .contains("Officer: Lee, Pat; Team North\n"));
    // RFC 5545: CRLF line ends, lines folded to at most 75 octets, no bare control characters.
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "a line of {} octets: {line}", line.len());
        assert!(!line.chars().any(char::is_control), "{line:?}");
    }
    // Initials only without --full-names.
    let e = events(&env.ics(&[]))
        .into_iter()
        .find(|e| uid(e).starts_with("release-X654321"))
        .unwrap();
    assert_eq!(
        e.get_summary(),
        Some("Release X654321 O.J.J.W.F. ▲ nowhere to go")
    );
}

#[test]
fn ics_written_to_a_file_is_private_and_reported() {
    let env = Env::new();
    env.import_csv("people.csv", PEOPLE);
    let file = env.path("releases.ics");
    let out = env.ok(&[
        "export",
        "--format",
        "ics",
        "--output",
        file.to_str().unwrap(),
    ]);
    // Zara and Bob in the window, Cy's handover; six holiday clusters from Christmas 2026 to
    // August 2027.
    assert!(
        out.contains("Wrote 2 releases, 1 handover and 6 cluster warnings"),
        "{out}"
    );
    assert_eq!(
        releases(&events(&std::fs::read_to_string(&file).unwrap())).len(),
        2
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "mode {:o}", mode & 0o777);
    }
}

/// The printed sheet holds names and risk: written with --output it is private, and whole.
#[test]
fn the_day_sheet_written_to_a_file_is_private_and_the_same_as_printed() {
    let env = Env::new();
    env.import_csv("people.csv", PEOPLE);
    let file = env.path("sheet.html");
    let out = env.ok(&[
        "today",
        "--format",
        "html",
        "--output",
        file.to_str().unwrap(),
    ]);
    assert!(out.starts_with("Wrote the day sheet to "), "{out}");
    let written = std::fs::read_to_string(&file).unwrap();
    assert_eq!(written, env.ok(&["today", "--format", "html"]));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "mode {:o}", mode & 0o777);
    }
}

#[test]
fn full_names_changes_nothing_in_a_csv_export() {
    let env = Env::new();
    env.import_csv("people.csv", PEOPLE);
    assert_eq!(
        env.ok(&["export", "--format", "csv", "--full-names"]),
        env.ok(&["export", "--format", "csv"])
    );
}

// ---------------------------------------------------------------------------------------------
// HTML duty sheet

/// Three due today: a hostile name with nowhere to go, a settled one, and one with quotes in
/// the notes; one due last Friday, not yet reported.
const SHEET: &str = "crn,name,officer,prison,release_date,release_type,accommodation,rosh,mappa,notes\n\
X111111,<script>alert(1)</script> & Co,Pat Officer,HMP Exampleton,2026-11-23,CRD,NFA,HIGH,2,\"Call \"\"Ann\"\" <b>first</b> & don't wait\"\n\
X222222,Bea Example,Pat Officer,HMP Exampleton,2026-11-23,CRD,SETTLED,LOW,,\n\
X333333,Cal Example,,HMP Exampleton,2026-11-23,CRD,AP,MEDIUM,,\n\
X444444,Dee Example,Pat Officer,HMP Exampleton,2026-11-20,CRD,TRANSIENT,,,\n";

#[test]
fn html_sheet_escapes_imported_text() {
    let env = Env::new();
    env.import_csv("sheet.csv", SHEET);
    let html = env.ok(&["today", "--format", "html"]);
    assert!(!html.contains("<script"), "a raw script tag:\n{html}");
    assert!(!html.contains("<b>"), "raw markup from notes:\n{html}");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"),
        "{html}"
    );
    assert!(
        html.contains("Call &quot;Ann&quot; &lt;b&gt;first&lt;/b&gt; &amp; don&#39;t wait"),
        "{html}"
    );
    // Self-contained: nothing fetched, nothing run.
    for outside in ["src=", "href=", "<link", "@import", "url(", "<script"] {
        assert!(!html.contains(outside), "{outside} in:\n{html}");
    }
    assert!(html.contains("@media print"));
}

#[test]
fn html_sheet_is_well_formed_with_the_headline_and_a_row_per_person() {
    use quick_xml::events::Event as Xml;
    let env = Env::new();
    env.import_csv("sheet.csv", SHEET);
    let html = env.ok(&["today", "--format", "html"]);

    // Parsed as XML: every tag closed in order (quick-xml checks end names).
    let mut reader = quick_xml::Reader::from_str(&html);
    let mut open: Vec<String> = Vec::new();
    let mut rows_in_body = 0;
    let mut tables = 0;
    loop {
        match reader.read_event() {
            Ok(Xml::Start(e)) => {
                let name = e.name().into_inner().to_string();
                assert!(
                    !["script", "iframe", "img", "link", "object"].contains(&name.as_str()),
                    "<{name}> in the sheet"
                );
                if name == "tr" && open.last().map(String::as_str) == Some("tbody") {
                    rows_in_body += 1;
                }
                if name == "td" {
                    assert_eq!(
                        open.last().map(String::as_str),
                        Some("tr"),
                        "a td outside a tr"
                    );
                }
                if name == "table" {
                    tables += 1;
                }
                open.push(name);
            }
            Ok(Xml::End(e)) => {
                let name = e.name().into_inner().to_string();
                assert_eq!(open.pop().as_deref(), Some(name.as_str()));
            }
            Ok(Xml::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!(
                "not well-formed at {}: {e}\n{html}",
                reader.error_position()
            ),
        }
    }
    assert!(open.is_empty(), "unclosed: {open:?}");
    assert_eq!(tables, 2, "expected today, and released earlier");
    let sheet = env.json(&["today", "--format", "json"]);
    assert_eq!(rows_in_body, sheet.len());
    assert_eq!(rows_in_body, 4);

    // The headline is the markdown sheet's, word for word.
    let md = env.ok(&["today", "--format", "markdown"]);
    let headline = md.lines().nth(2).unwrap();
    assert!(
        headline.starts_with("3 expected today · 0 reported"),
        "{headline}"
    );
    assert!(
        html.contains(&format!("<p class=\"headline\">{headline}</p>")),
        "{html}"
    );
    assert!(html.contains("Expected today (3)"));
    assert!(html.contains("Released earlier, not yet reported (1)"));

    // Nowhere to go is said in words, not only by colour or symbol.
    let row_of = |crn: &str| {
        html.lines()
            .find(|l| l.contains(&format!(">{crn}</td>")))
            .unwrap_or_else(|| panic!("no row for {crn}"))
            .to_string()
    };
    assert!(row_of("X111111").contains("▲ NFA — nowhere to go"));
    assert!(row_of("X444444").contains("▲ TRANSIENT — nowhere to go"));
    assert!(!row_of("X222222").contains("nowhere"));
    assert!(row_of("X222222").contains("☐"), "a box to tick");
}

// ---------------------------------------------------------------------------------------------
// ICS: folding, SEQUENCE and LAST-MODIFIED

/// RFC 5545 §3.1 unfolding: a line break followed by a space joins the lines.
fn unfold(text: &str) -> String {
    text.replace("\r\n ", "")
}

/// A property's value on the unfolded text: the line `NAME:…` of the event with `uid`.
fn property<'a>(unfolded: &'a str, uid: &str, name: &str) -> Option<&'a str> {
    let event = unfolded
        .split("BEGIN:VEVENT\r\n")
        .find(|e| e.contains(&format!("UID:{uid}\r\n")))?;
    event
        .split("\r\n")
        .find_map(|l| l.strip_prefix(&format!("{name}:")))
}

/// The demo's default caseload (250 releases) gave 6 lines of 76 octets out of 5,647: the
/// crate's folding left a last piece of exactly 75 octets 76 long with its space. Every line
/// of a real export is at most 75 octets, no line break falls inside a UTF-8 character, and
/// unfolding gives back every event's text whole, accents and symbols included.
#[test]
fn ics_lines_are_at_most_75_octets_and_unfold_to_the_text() {
    let env = Env::new();
    env.demo_imported(&[]);
    // Names and officers whose accents and symbols land on fold points.
    let mut people = String::from("crn,name,prison,officer,release_date,accommodation\n");
    for i in 0..40 {
        people += &format!(
            "X8{i:05},Zoë Ñúñez-{} Ó'Brien,HMP Exampleton,Siân Ellis-Zoë{},2026-12-{:02},NFA\n",
            "é".repeat(i % 7),
            "ë".repeat(i % 5),
            1 + i % 28
        );
    }
    env.import_csv("accents.csv", &people);
    let text = env.ics(&["--full-names"]);
    let bytes = text.as_bytes();
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    let mut lines = 0;
    for line in bytes.split(|b| *b == b'\n') {
        if line.is_empty() {
            continue;
        }
        lines += 1;
        let line = line.strip_suffix(b"\r").expect("CRLF line breaks");
        assert!(
            line.len() <= 75,
            "{} octets: {:?}",
            line.len(),
            String::from_utf8_lossy(line)
        );
        assert!(
            std::str::from_utf8(line).is_ok(),
            "a fold split a UTF-8 character: {line:?}"
        );
    }
    assert!(lines > 4000, "a real export: {lines} lines");
    // Unfolded, each release's text is whole: what the parser reads, and what was imported.
    let unfolded = unfold(&text);
    let evs = events(&text);
    for i in 0..40 {
        let crn = format!("X8{i:05}");
        let e = release_of(&evs, &crn);
        let uid = uid(e).to_string();
        let summary = property(&unfolded, &uid, "SUMMARY").expect("a summary line");
        assert_eq!(Some(summary), e.get_summary(), "{crn}");
        let name = format!("Zoë Ñúñez-{} Ó'Brien", "é".repeat(i % 7));
        assert!(summary.contains(&name), "{summary}");
        let desc = property(&unfolded, &uid, "DESCRIPTION").expect("a description line");
        assert!(
            desc.contains(&format!("Officer: Siân Ellis-Zoë{}", "ë".repeat(i % 5))),
            "{desc}"
        );
    }
}

/// Events carry SEQUENCE and LAST-MODIFIED so calendar programs apply a moved day: SEQUENCE
/// stays the same for the same day's export of an unchanged case, and grows when the case
/// changes (here its day moves), when the export is a day later, and when a new holiday file
/// moves the day without the case being written.
#[test]
fn ics_sequence_grows_when_an_event_changes_and_last_modified_says_when() {
    let env = Env::new();
    let file = |day: &str| {
        format!(
            "crn,name,release_date,accommodation,confirmed_day\n\
             X900001,Ann Example,2026-12-10,SETTLED,{day}\n\
             X900002,Bob Example,2027-06-14,SETTLED,\n"
        )
    };
    env.import_csv("a.csv", &file(""));
    let seq = |text: &str, crn: &str| -> (u32, String, String) {
        let evs = events(text);
        let e = release_of(&evs, crn);
        let lm = property(&unfold(text), uid(e), "LAST-MODIFIED")
            .expect("LAST-MODIFIED")
            .to_string();
        (e.get_sequence().expect("SEQUENCE"), lm, day(e.get_start()))
    };
    let first = env.ics(&[]);
    let (ann1, ann_lm1, ann_day1) = seq(&first, "X900001");
    let (bob1, _, _) = seq(&first, "X900002");
    assert_eq!(ann_day1, "2026-12-10");
    assert!(
        ann_lm1.ends_with('Z') && ann_lm1.len() == 16,
        "UTC date-time: {ann_lm1}"
    );
    // The same day, nothing changed: the same SEQUENCE (DTSTAMP alone says when it was written).
    let again = env.ics(&[]);
    assert_eq!(seq(&again, "X900001").0, ann1);
    // The prison confirms another day a second later: Ann's event moves, and says it is newer.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    env.import_csv("b.csv", &file("2026-12-09"));
    let moved = env.ics(&[]);
    let (ann2, ann_lm2, ann_day2) = seq(&moved, "X900001");
    assert_eq!(ann_day2, "2026-12-09");
    assert!(ann2 > ann1, "{ann2} > {ann1}");
    assert!(ann_lm2 > ann_lm1, "{ann_lm2} > {ann_lm1}");
    assert_eq!(seq(&moved, "X900002").0, bob1, "Bob's event did not change");
    // The next day's export says "as of" another day: every event is newer.
    let next = {
        let mut c = env.cmd(&["export", "--format", "ics"]);
        c.args(["--today", "2026-11-24"]);
        String::from_utf8(c.assert().success().get_output().stdout.clone()).unwrap()
    };
    assert!(seq(&next, "X900002").0 > bob1);
    // A holiday file making Mon 14 Jun 2027 a bank holiday moves Bob's day without writing
    // his case: still a newer SEQUENCE.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let extra = common::cli::fixture("holidays-extra.json");
    env.ok(&["holidays", "import", extra.to_str().unwrap()]);
    let after = env.ics(&[]);
    let (bob3, _, bob_day3) = seq(&after, "X900002");
    assert_ne!(bob_day3, "2027-06-14", "the new holiday moved the day");
    assert!(bob3 > bob1, "{bob3} > {bob1}");
}
