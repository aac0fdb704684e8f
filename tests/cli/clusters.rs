//! `releaseday clusters`: holiday and load clusters (DOMAIN.md §2, §6).

use super::*;

fn cluster_on<'a>(list: &'a [Value], day: &str) -> &'a Value {
    list.iter()
        .find(|k| s(k, "day") == day)
        .unwrap_or_else(|| panic!("no cluster on {day} in {list:?}"))
}

#[test]
fn clusters_come_from_the_calendar_alone() {
    let env = Env::new();
    let list = env.json(&["clusters", "--format", "json"]);
    assert!(!list.is_empty());
    let days: Vec<&str> = list.iter().map(|k| s(k, "day")).collect();
    let mut sorted = days.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(days, sorted, "in date order, each day once");
    // Default window: today to 12 months on.
    assert!(
        days.iter()
            .all(|d| *d >= "2026-11-23" && *d <= "2027-11-23"),
        "{days:?}"
    );
    for k in &list {
        assert_eq!(s(k, "kind"), "holiday", "{k}");
        assert_eq!(k["load"], 0, "{k}");
        assert_eq!(k["no_accommodation"], 0, "{k}");
        assert!(!k["holidays"].as_array().unwrap().is_empty(), "{k}");
    }
    // Christmas 2026 (§2): policy Wed 23 Dec covers 23–28 Dec.
    let xmas = &list[0];
    assert_eq!(s(xmas, "day"), "2026-12-23");
    assert_eq!(
        xmas["covers"],
        serde_json::json!([
            "2026-12-23",
            "2026-12-24",
            "2026-12-25",
            "2026-12-26",
            "2026-12-27",
            "2026-12-28"
        ])
    );
    assert_eq!(
        xmas["holidays"],
        serde_json::json!(["Christmas Day", "Boxing Day"])
    );
    assert_eq!(s(xmas, "kind"), "holiday");
    assert_eq!(s(xmas, "severity"), "red");
    assert_eq!(xmas["load"], 0);
    // New Year 2027: policy Wed 30 Dec covers 30 Dec–3 Jan. Easter 2027: policy Wed 24 Mar covers 24–29 Mar.
    let ny = cluster_on(&list, "2026-12-30");
    assert_eq!(
        ny["covers"],
        serde_json::json!([
            "2026-12-30",
            "2026-12-31",
            "2027-01-01",
            "2027-01-02",
            "2027-01-03"
        ])
    );
    let easter = cluster_on(&list, "2027-03-24");
    assert_eq!(
        easter["covers"].as_array().unwrap().first().unwrap(),
        "2027-03-24"
    );
    assert_eq!(
        easter["covers"].as_array().unwrap().last().unwrap(),
        "2027-03-29"
    );
    assert_eq!(
        easter["holidays"],
        serde_json::json!(["Good Friday", "Easter Monday"])
    );
}

#[test]
fn clusters_respect_from_and_to() {
    let env = Env::new();
    let list = env.json(&[
        "clusters",
        "--from",
        "2026-12-24",
        "--to",
        "31/03/2027",
        "--format",
        "json",
    ]);
    let days: Vec<&str> = list.iter().map(|k| s(k, "day")).collect();
    assert_eq!(days.first(), Some(&"2026-12-30"), "23 Dec is before --from");
    assert_eq!(days.last(), Some(&"2027-03-24"));
    assert!(
        days.iter()
            .all(|d| *d >= "2026-12-24" && *d <= "2027-03-31"),
        "{days:?}"
    );
    let one = env.json(&[
        "clusters",
        "--from",
        "2026-12-23",
        "--to",
        "2026-12-23",
        "--format",
        "json",
    ]);
    assert_eq!(one.len(), 1);
    assert_eq!(s(&one[0], "day"), "2026-12-23");
}

#[test]
fn clusters_count_the_caseload() {
    let env = Env::new();
    env.import_caseload();
    let list = env.json(&["clusters", "--format", "json"]);
    // Ann (NFA) and Eve (settled) are both expected Wed 23 Dec.
    let xmas = cluster_on(&list, "2026-12-23");
    assert_eq!(xmas["load"], 2);
    assert_eq!(xmas["no_accommodation"], 1);
    assert_eq!(s(xmas, "kind"), "holiday");
    assert_eq!(s(xmas, "severity"), "red");
    // No fixture case falls on the other cluster days.
    for k in list.iter().filter(|k| s(k, "day") != "2026-12-23") {
        assert_eq!(k["load"], 0, "{k}");
    }
}

#[test]
fn clusters_table_shows_days_symbols_and_holidays() {
    let env = Env::new();
    env.import_caseload();
    let mut c = env.cmd(&["clusters"]);
    c.env("COLUMNS", "120");
    let out = stdout_of(c);
    assert_no_escape(&out);
    assert!(out.contains("Friday policy on"), "{out}");
    let row = out
        .lines()
        .find(|l| l.starts_with("Wed 23 Dec 2026"))
        .unwrap_or_else(|| panic!("no Christmas row:\n{out}"));
    for part in ["▲ red", "holiday", "23–28 Dec", "Christmas Day, Boxing Day"] {
        assert!(row.contains(part), "{part:?} missing from {row:?}");
    }
    assert!(out.contains("Wed 30 Dec 2026"), "{out}");
    // Within the 8-week lead time, the warning is spelled out (§2).
    assert!(out.contains("Thu 24 Dec"), "{out}");
}
