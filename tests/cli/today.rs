//! `releaseday today`: the duty officer's sheet.

use super::*;

#[test]
fn today_json_lists_todays_releases_then_yesterdays_unreported() {
    let env = Env::new();
    env.import_caseload();
    let sheet = env.json(&["today", "--format", "json"]);
    let got: Vec<(&str, &str, &str, &str, bool)> = sheet
        .iter()
        .map(|v| {
            (
                s(v, "status"),
                s(v, "crn"),
                s(v, "name"),
                s(v, "accommodation"),
                v["reported"].as_bool().expect("reported is a bool"),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("expected", "X100011", "Kim Example", "NFA", false),
            ("expected", "X100012", "Lee Example", "SETTLED", false),
            ("overdue", "X100010", "Jon Example", "TRANSIENT", false),
        ]
    );
    assert_eq!(s(&sheet[2], "expected_day"), "2026-11-22");
}

#[test]
fn today_table_markdown_and_csv() {
    let env = Env::new();
    env.import_caseload();

    // Piped, so nothing is cut (tests/cli_output.rs runs it at an 80-column terminal).
    let table = env.ok(&["today"]);
    assert_no_escape(&table);
    assert!(
        table.starts_with("Release day sheet for Mon 23 Nov 2026\n"),
        "{table}"
    );
    let expected_at = table.find("Expected today (2)").expect(&table);
    let earlier_at = table
        .find("Released earlier, not yet reported (1)")
        .expect(&table);
    assert!(
        table.contains("Kim Example") && !table.contains('…'),
        "{table}"
    );
    let kim = table.find("X100011").expect(&table);
    let lee = table.find("X100012").expect(&table);
    let jon = table.find("X100010").expect(&table);
    assert!(expected_at < kim && kim < lee && lee < earlier_at && earlier_at < jon);
    assert!(
        table.contains("Meet at the gate 9am"),
        "notes are shown:\n{table}"
    );
    assert!(table.contains("nowhere to go"), "{table}");

    let md = env.ok(&["today", "--format", "markdown"]);
    assert!(
        md.starts_with("# Release day sheet — Mon 23 Nov 2026\n"),
        "{md}"
    );
    assert!(md.contains("## Expected today"), "{md}");
    assert!(md.contains("## Released earlier, not yet reported"), "{md}");
    assert!(md.contains("|---|"), "{md}");
    let kim_row = md
        .lines()
        .find(|l| l.contains("| Kim Example |"))
        .expect(&md);
    assert!(
        kim_row.contains("X100011") && kim_row.contains("NFA"),
        "{kim_row}"
    );
    let jon_row = md
        .lines()
        .find(|l| l.contains("| Jon Example |"))
        .expect(&md);
    assert!(jon_row.contains("Sun 22 Nov"), "{jon_row}");
    assert!(md.find("| Jon Example |") > md.find("## Released earlier"));

    let (header, rows) = parse_csv(&env.ok(&["today", "--format", "csv"]));
    let (st, crn) = (column(&header, "status"), column(&header, "crn"));
    column(&header, "accommodation");
    let got: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r[st].as_str(), r[crn].as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("expected", "X100011"),
            ("expected", "X100012"),
            ("overdue", "X100010")
        ]
    );
}

#[test]
fn today_with_nothing_due_is_empty_not_an_error() {
    let env = Env::new();
    env.import_caseload();
    // Sat 28 Nov: nobody is expected, and Kim and Lee (Mon) are still outstanding.
    let sheet = parse_json_array(&stdout_of(
        env.cmd_on("2026-11-28", &["today", "--format", "json"]),
    ));
    let got: Vec<(&str, &str)> = sheet
        .iter()
        .map(|v| (s(v, "status"), s(v, "crn")))
        .collect();
    assert_eq!(
        got,
        [
            ("overdue", "X100010"),
            ("overdue", "X100011"),
            ("overdue", "X100012")
        ]
    );
}
