//! The duty sheet's readiness (DOMAIN.md §8): each person's appointment time and place, licence
//! and checklist in every format, sorted by appointment time on request, and "nowhere to go and
//! nothing until tomorrow 14:00" in words and a symbol, never colour alone.

use super::*;

/// All four out today, Mon 23 Nov 2026.
const FILE: &str = "crn,name,release_date,officer,accommodation,appointment,appointment_place,\
licence,id_documents,bank_account,benefits,gp\n\
X300001,Ann Example,2026-11-23,Pat Officer,NFA,NEXT_DAY_2PM,Ashbury Probation Office,IN_PROGRESS,yes,no,,yes\n\
X300002,Bob Example,2026-11-23,Pat Officer,SETTLED,23/11/2026 09:30,Fellbeck Office,APPROVED,yes,yes,yes,yes\n\
X300003,Cy Example,2026-11-23,,TRANSIENT,IMMEDIATE,,SUBMITTED,,,,\n\
X300004,Di Example,2026-11-23,Kim Officer,SETTLED,,,,,,,\n";

fn env() -> Env {
    let env = Env::new();
    env.import_csv("sheet.csv", FILE);
    env
}

#[test]
fn the_table_says_who_is_seen_when_and_who_has_nothing_until_tomorrow() {
    let env = env();
    let out = env.ok(&["today"]);
    assert!(
        out.contains("‼ 1 with nowhere to go and nothing until a later day"),
        "{out}"
    );
    assert!(
        out.contains("‼ nowhere to go and nothing until tomorrow 14:00"),
        "{out}"
    );
    assert!(out.contains("Appointment: 09:30, Fellbeck Office"), "{out}");
    assert!(
        out.contains("Licence in progress · ID ✓ bank ✗ benefits ? GP ✓"),
        "{out}"
    );
    assert!(out.contains("at the gate"), "{out}");
    assert!(out.contains("none booked"), "{out}");
    assert!(out.contains("Licence not tracked"), "{out}");
    // By name unless asked.
    let order = |text: &str| -> Vec<usize> {
        ["Ann", "Bob", "Cy", "Di"]
            .iter()
            .map(|n| text.find(&format!("{n} Example")).unwrap())
            .collect()
    };
    let by_name = order(&out);
    assert!(by_name.windows(2).all(|w| w[0] < w[1]), "{out}");
    let by_time = env.ok(&["today", "--sort", "appointment"]);
    assert!(
        by_time.contains("Expected today (4), by appointment time"),
        "{by_time}"
    );
    let at = order(&by_time);
    // The gate (Cy), 09:30 (Bob), tomorrow 14:00 (Ann), none booked (Di).
    assert!(at[2] < at[1] && at[1] < at[0] && at[0] < at[3], "{by_time}");
}

#[test]
fn csv_json_markdown_and_html_carry_it_too() {
    let env = env();
    let (header, rows) = parse_csv(&env.ok(&["today", "--format", "csv", "--sort", "appointment"]));
    let col = |name: &str| column(&header, name);
    let crns: Vec<&str> = rows.iter().map(|r| r[col("crn")].as_str()).collect();
    assert_eq!(crns, ["X300003", "X300002", "X300001", "X300004"]);
    let ann = &rows[2];
    assert_eq!(ann[col("appointment")], "NEXT_DAY_2PM");
    assert_eq!(ann[col("appointment_time")], "2026-11-24 14:00");
    assert_eq!(ann[col("appointment_place")], "Ashbury Probation Office");
    assert_eq!(ann[col("nothing_until")], "2026-11-24 14:00");
    assert_eq!(ann[col("licence")], "IN_PROGRESS");
    assert_eq!(
        [
            ann[col("id_documents")].as_str(),
            ann[col("bank_account")].as_str(),
            ann[col("benefits")].as_str(),
            ann[col("gp")].as_str()
        ],
        ["yes", "no", "", "yes"]
    );
    assert_eq!(rows[1][col("nothing_until")], "", "Bob is seen today");

    let json = env.json(&["today", "--format", "json"]);
    let ann = by_crn(&json, "X300001");
    assert_eq!(ann["appointment"], "NEXT_DAY_2PM");
    assert_eq!(ann["appointment_place"], "Ashbury Probation Office");
    assert_eq!(ann["licence"], "IN_PROGRESS");
    assert_eq!(ann["benefits"], Value::Null);

    let md = env.ok(&["today", "--format", "markdown"]);
    assert!(
        md.contains("**‼ nowhere to go and nothing until tomorrow 14:00** (tomorrow 14:00, Ashbury Probation Office)"),
        "{md}"
    );
    assert!(
        md.contains("| 09:30, Fellbeck Office | Licence approved · ID ✓ bank ✓ benefits ✓ GP ✓ |"),
        "{md}"
    );
    let html = env.ok(&["today", "--format", "html"]);
    assert!(
        html.contains("<td class=\"nowhere\">‼ nowhere to go and nothing until tomorrow 14:00<br />tomorrow 14:00, Ashbury Probation Office</td>"),
        "{html}"
    );
    assert!(
        html.contains("<th scope=\"col\">Appointment</th>"),
        "{html}"
    );
}

#[test]
fn the_next_working_day_is_after_a_weekend() {
    // Out on Fri 27 Nov with nowhere to go and the default appointment: Mon 30 Nov 14:00.
    let env = Env::new();
    env.import_csv(
        "fri.csv",
        "crn,name,release_date,accommodation,appointment,confirmed_day\n\
         X300005,Eve Example,2026-11-27,NFA,NEXT_DAY_2PM,2026-11-27\n",
    );
    let out = env.ok_on("2026-11-27", &["today"]);
    assert!(
        out.contains("‼ nowhere to go and nothing until Mon 30 Nov 14:00"),
        "{out}"
    );
}
