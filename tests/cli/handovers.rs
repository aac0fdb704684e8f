//! `releaseday handovers` (DOMAIN.md §7), and the handover and readiness keys of `list`,
//! `today` and `gaps` JSON. Today is Mon 23 Nov 2026; the default window runs to Mon 18 Jan
//! 2027. Handover days worked by hand from §7's table:
//!
//! | CRN     | name | rule             | from                         | H           |
//! |---------|------|------------------|------------------------------|-------------|
//! | X200001 | Ann  | determinate      | D 14 Aug 2027 − 8 m − 14 d   | 30 Nov 2026 |
//! | X200002 | Bob  | recall           | D 10 Jan 2027                | none        |
//! | X200003 | Cy   | early_allocation | D 20 Mar 2028 − 15 m         | 20 Dec 2026 |
//! | X200004 | Dee  | indeterminate    | D 1 Dec 2027 − 12 m          | 1 Dec 2026  |
//! | X200005 | Eve  | short_sentence   | start 5 Dec 2026, D 1 Jun 2027 | 5 Dec 2026 |
//! | X200006 | Fay  | parole           | PED 10 Dec 2027 − 12 m       | 10 Dec 2026 |
//! | X200007 | Gus  | determinate      | D 1 Mar 2027                 | 17 Jun 2026 (past: COM) |
//! | X200008 | Hal  | parole           | released 2 Nov 2026 (R < T)  | 1 Dec 2026, not listed |
//! | X200009 | Abe  | determinate      | D 14 Aug 2027                | 30 Nov 2026 |

use super::*;

const FILE: &str = "crn,name,release_date,officer,pom,recall,early_allocation,sentence_type,\
sentence_start,ped,appointment,licence\n\
X200001,Ann Aa,2027-08-14,,Jo Bloggs,,,,,,,\n\
X200002,Bob Bb,2027-01-10,Pat Officer,,yes,,,,,,\n\
X200003,Cy Cc,2028-03-20,Pat Officer,Sam Pom,,yes,,,,,\n\
X200004,Dee Dd,2027-12-01,,,,,INDETERMINATE,,,,\n\
X200005,Eve Ee,2027-06-01,Kim Officer,,,,,05/12/2026,,,\n\
X200006,Fay Ff,2029-01-01,Kim Officer,,,,,,2027-12-10,,\n\
X200007,Gus Gg,2027-03-01,Kim Officer,,,,,,,NEXT_DAY_2PM,IN_PROGRESS\n\
X200008,Hal Hh,2026-11-02,,,,,,,2027-12-01,,\n\
X200009,Abe Ab,2027-08-14,Pat Officer,,,,,,,,\n";

fn env() -> Env {
    let env = Env::new();
    env.import_csv("handovers.csv", FILE);
    env
}

fn crns(list: &[Value]) -> Vec<&str> {
    list.iter().map(|v| s(v, "crn")).collect()
}

#[test]
fn handovers_json_lists_the_window_by_day_then_name() {
    let env = env();
    let list = env.json(&["handovers", "--format", "json"]);
    assert_eq!(
        crns(&list),
        ["X200009", "X200001", "X200004", "X200005", "X200006", "X200003"]
    );
    let days: Vec<&str> = list.iter().map(|v| s(v, "handover_day")).collect();
    assert_eq!(
        days,
        [
            "2026-11-30",
            "2026-11-30",
            "2026-12-01",
            "2026-12-05",
            "2026-12-10",
            "2026-12-20"
        ]
    );
    let rules: Vec<&str> = list.iter().map(|v| s(v, "handover_rule")).collect();
    assert_eq!(
        rules,
        [
            "determinate",
            "determinate",
            "indeterminate",
            "short_sentence",
            "parole",
            "early_allocation"
        ]
    );
    for v in &list {
        for key in [
            "crn",
            "name",
            "handover_day",
            "handover_rule",
            "responsibility",
            "pom",
            "officer",
            "release_date",
            "expected_day",
        ] {
            assert!(v.get(key).is_some(), "{key} missing: {v}");
        }
        assert_eq!(
            v["responsibility"], "POM",
            "every handover here is still ahead"
        );
    }
    let ann = by_crn(&list, "X200001");
    assert_eq!(ann["pom"], "Jo Bloggs");
    assert_eq!(ann["officer"], Value::Null);
    assert_eq!(ann["release_date"], "2027-08-14");
    // The handover runs from the legal date; the expected day is §1's (Sat 14 Aug 2027:
    // statutory Fri 13, then the Friday policy's Thu 12).
    assert_eq!(ann["expected_day"], "2027-08-12");
}

#[test]
fn from_to_and_filters_narrow_it_and_responsibility_turns_on_the_day() {
    let env = env();
    let list = env.json(&[
        "handovers",
        "--from",
        "2026-12-01",
        "--to",
        "05/12/2026",
        "--format",
        "json",
    ]);
    assert_eq!(crns(&list), ["X200004", "X200005"]);
    let list = env.json(&["handovers", "--officer", "Pat Officer", "--format", "json"]);
    assert_eq!(crns(&list), ["X200009", "X200003"]);
    // On the handover day itself the COM holds the case.
    let list = parse_json_array(&env.ok_on("2026-12-05", &["handovers", "--format", "json"]));
    let eve = by_crn(&list, "X200005");
    assert_eq!(eve["responsibility"], "COM");
    assert_eq!(by_crn(&list, "X200006")["responsibility"], "POM");
    // A past window holds the cases still to be released whose handover was then.
    let list = env.json(&[
        "handovers",
        "--from",
        "2026-06-01",
        "--to",
        "2026-06-30",
        "--format",
        "json",
    ]);
    assert_eq!(crns(&list), ["X200007"]);
    assert_eq!(list[0]["responsibility"], "COM");
    // Backwards is refused, as for list.
    let err = env.fails(&["handovers", "--from", "2027-01-01", "--to", "2026-12-01"]);
    assert!(err.contains("--from"), "{err}");
}

#[test]
fn handovers_table_and_csv() {
    let env = env();
    let table = env.ok(&["handovers"]);
    assert!(
        table.starts_with(
            "6 handovers to the community Mon 23 Nov 2026 to Mon 18 Jan 2027: 2 with no \
             community offender manager"
        ),
        "{table}"
    );
    assert!(table.contains("Jo Bloggs"), "{table}");
    // A table a month, each under its counts.
    assert!(
        table.contains("November 2026 · 2 handovers · 1 with no COM"),
        "{table}"
    );
    assert!(
        table.contains("December 2026 · 4 handovers · 1 with no COM"),
        "{table}"
    );
    assert!(table.contains("✗ none"), "{table}");
    assert!(
        table.contains("early allocation: 15 months before release"),
        "{table}"
    );
    let csv = env.ok(&["handovers", "--format", "csv"]);
    let (header, rows) = parse_csv(&csv);
    assert_eq!(
        header,
        [
            "crn",
            "name",
            "handover_day",
            "handover_rule",
            "responsibility",
            "pom",
            "officer",
            "release_date",
            "expected_day",
            "team",
            "prison"
        ]
    );
    assert_eq!(rows.len(), 6);
    assert_eq!(rows[1][0], "X200001");
    assert_eq!(rows[1][2], "2026-11-30");
    let empty = env.ok(&["handovers", "--from", "2030-01-01", "--to", "2030-02-01"]);
    assert!(empty.contains("No handover in this window"), "{empty}");
}

#[test]
fn list_and_today_json_carry_the_handover_and_readiness_keys() {
    let env = env();
    let list = env.list_all();
    for v in &list {
        for key in [
            "handover_day",
            "handover_rule",
            "responsibility",
            "pom",
            "appointment",
            "appointment_place",
            "licence",
            "id_documents",
            "bank_account",
            "benefits",
            "gp",
        ] {
            assert!(v.get(key).is_some(), "{key} missing: {v}");
        }
    }
    let bob = by_crn(&list, "X200002");
    assert_eq!(bob["handover_day"], Value::Null, "a recall has none");
    assert_eq!(bob["handover_rule"], "recall");
    assert_eq!(bob["responsibility"], "COM");
    let gus = by_crn(&list, "X200007");
    assert_eq!(gus["handover_day"], "2026-06-17");
    assert_eq!(gus["responsibility"], "COM");
    assert_eq!(gus["appointment"], "NEXT_DAY_2PM");
    assert_eq!(gus["licence"], "IN_PROGRESS");
    let ann = by_crn(&list, "X200001");
    assert_eq!(ann["responsibility"], "POM");
    assert_eq!(ann["handover_rule"], "determinate");

    // Gus is out on Fri 26 Feb 2027 (Mon 1 Mar is the legal date: a Monday, no move)...
    let today = parse_json_array(&env.ok_on("2027-03-01", &["today", "--format", "json"]));
    let gus = by_crn(&today, "X200007");
    assert_eq!(gus["appointment"], "NEXT_DAY_2PM");
    assert_eq!(gus["licence"], "IN_PROGRESS");
    assert_eq!(gus["handover_rule"], "determinate");
    assert_eq!(gus["responsibility"], "COM");
    assert!(gus.get("gp").is_some() && gus.get("pom").is_some());
}

#[test]
fn gaps_json_carries_the_handover_and_readiness_flags() {
    let env = env();
    let gaps = env.json(&["gaps", "--format", "json"]);
    let codes = |crn: &str| -> Vec<String> {
        gaps.iter()
            .filter(|g| s(g, "crn") == crn)
            .map(|g| format!("{} {} {}", s(g, "code"), s(g, "severity"), s(g, "due")))
            .collect()
    };
    // Ann: no officer, handover Mon 30 Nov: shown from 5 Oct (H − 56), red from 2 Dec (H + 2).
    assert_eq!(codes("X200001"), ["NO_OFFICER amber 2026-12-02"]);
    let ann = gaps.iter().find(|g| s(g, "crn") == "X200001").unwrap();
    assert_eq!(
        s(ann, "message"),
        "no community offender manager: handover due Mon 30 Nov"
    );
    // Dee, released 1 Dec 2027, unallocated: far beyond the usual look-ahead, but her
    // handover (1 Dec 2026) brings the flag into the worklist now.
    assert_eq!(codes("X200004"), ["NO_OFFICER amber 2026-12-03"]);
    // Allocated cases with far releases carry nothing.
    assert!(codes("X200003").is_empty());
    let later = parse_json_array(&env.ok_on("2026-12-03", &["gaps", "--format", "json"]));
    let ann = later
        .iter()
        .find(|g| s(g, "crn") == "X200001" && s(g, "code") == "NO_OFFICER")
        .unwrap();
    assert_eq!(s(ann, "severity"), "red");
    assert_eq!(
        s(ann, "message"),
        "no community offender manager: handover was due Mon 30 Nov"
    );
    // Gus, days before his release on Mon 1 Mar 2027: a licence in progress and a
    // next-day appointment (his accommodation is not known, so he has nowhere to go).
    let near = parse_json_array(&env.ok_on("2027-02-25", &["gaps", "--format", "json"]));
    let gus: Vec<String> = near
        .iter()
        .filter(|g| s(g, "crn") == "X200007")
        .map(|g| format!("{} {}", s(g, "code"), s(g, "severity")))
        .collect();
    assert!(
        gus.contains(&"LICENCE_NOT_APPROVED red".to_string()),
        "{gus:?}"
    );
    assert!(gus.contains(&"APPOINTMENT_LATE red".to_string()), "{gus:?}");
    assert!(
        !gus.iter().any(|g| g.starts_with("NO_APPOINTMENT")),
        "{gus:?}"
    );
}

#[test]
fn help_completions_and_the_man_page_know_the_command() {
    let env = Env::new();
    let help = env.ok(&["--help"]);
    assert!(help.contains("handovers"), "{help}");
    let own = env.ok(&["handovers", "--help"]);
    assert!(own.contains("--from") && own.contains("--officer"), "{own}");
    let bash = env.ok(&["completions", "bash"]);
    assert!(bash.contains("handovers"), "completions");
    let man = env.ok(&["man"]);
    assert!(man.contains("handovers"), "man page");
    let sort = env.ok(&["today", "--help"]);
    assert!(
        sort.contains("--sort") && sort.contains("appointment"),
        "{sort}"
    );
    // A bad format is the parser's refusal, as for list.
    let out = env
        .cmd(&["handovers", "--format", "markdown"])
        .assert()
        .failure()
        .code(2)
        .get_output()
        .clone();
    assert!(String::from_utf8_lossy(&out.stderr).contains("possible values"));
}
