//! `releaseday holidays`: the bank holidays in force, and a newer gov.uk file imported.

use super::*;

/// gov.uk's England and Wales list for 2027.
const EW_2027: [(&str, &str); 8] = [
    ("2027-01-01", "New Year"),
    ("2027-03-26", "Good Friday"),
    ("2027-03-29", "Easter Monday"),
    ("2027-05-03", "Early May bank holiday"),
    ("2027-05-31", "Spring bank holiday"),
    ("2027-08-30", "Summer bank holiday"),
    ("2027-12-27", "Christmas Day"),
    ("2027-12-28", "Boxing Day"),
];

#[test]
fn holidays_2027_are_published() {
    let env = Env::new();
    let list = env.json(&["holidays", "list", "--year", "2027", "--format", "json"]);
    for (date, title) in EW_2027 {
        let h = list
            .iter()
            .find(|h| s(h, "date") == date)
            .unwrap_or_else(|| panic!("{date} missing from {list:?}"));
        assert!(s(h, "title").starts_with(title), "{h}");
    }
    for h in &list {
        assert_eq!(h["projected"], Value::Bool(false), "{h}");
        assert!(s(h, "date").starts_with("2027-"), "{h}");
    }
}

#[test]
fn holidays_2027_are_exactly_the_eight_gov_uk_days() {
    let env = Env::new();
    let list = env.json(&["holidays", "list", "--year", "2027", "--format", "json"]);
    let dates: Vec<&str> = list.iter().map(|h| s(h, "date")).collect();
    let want: Vec<&str> = EW_2027.iter().map(|(d, _)| *d).collect();
    assert_eq!(dates, want);
}

#[test]
fn holidays_2030_are_projected() {
    let env = Env::new();
    let list = env.json(&["holidays", "list", "--year", "2030", "--format", "json"]);
    let got: Vec<(&str, bool)> = list
        .iter()
        .map(|h| (s(h, "date"), h["projected"].as_bool().unwrap()))
        .collect();
    // Easter Sunday 2030 is 21 April.
    assert_eq!(
        got,
        [
            ("2030-01-01", true),
            ("2030-04-19", true),
            ("2030-04-22", true),
            ("2030-05-06", true),
            ("2030-05-27", true),
            ("2030-08-26", true),
            ("2030-12-25", true),
            ("2030-12-26", true),
        ]
    );
    let table = env.ok(&["holidays", "list", "--year", "2030"]);
    assert_no_escape(&table);
    assert!(table.contains("projected"), "{table}");
    assert!(table.contains("Good Friday"), "{table}");
    assert!(table.contains("Fri 19 Apr 2030"), "{table}");
    let published = env.ok(&["holidays", "list", "--year", "2027"]);
    assert!(published.contains("published"), "{published}");
}

/// One settled case due Mon 14 Jun 2027 (CRD), with an officer.
fn june_case(env: &Env) {
    let file = env.path("june.csv");
    std::fs::write(
        &file,
        "crn,name,release_date,accommodation,officer\nX500001,Wyn Example,2027-06-14,SETTLED,Pat Officer\n",
    )
    .unwrap();
    env.import_file(&file);
}

fn june(env: &Env) -> Value {
    let list = env.json(&[
        "list",
        "--from",
        "2027-06-01",
        "--to",
        "2027-06-30",
        "--format",
        "json",
    ]);
    assert_eq!(list.len(), 1, "{list:?}");
    list[0].clone()
}

#[test]
fn importing_a_holiday_file_moves_releases() {
    let env = Env::new();
    june_case(&env);
    let before = june(&env);
    assert_eq!(s(&before, "statutory_day"), "2027-06-14");
    assert_eq!(s(&before, "expected_day"), "2027-06-14");

    let out = env.ok(&[
        "holidays",
        "import",
        fixture("holidays-extra.json").to_str().unwrap(),
    ]);
    assert!(
        out.contains("Loaded 17 England and Wales bank holidays"),
        "{out}"
    );

    let list = env.json(&["holidays", "list", "--year", "2027", "--format", "json"]);
    let extra = list
        .iter()
        .find(|h| s(h, "date") == "2027-06-14")
        .unwrap_or_else(|| panic!("the imported holiday is missing: {list:?}"));
    assert_eq!(s(extra, "title"), "Invented Example Holiday");
    assert_eq!(extra["projected"], Value::Bool(false));
    let table = env.ok(&["holidays", "list", "--year", "2027"]);
    assert!(table.contains("Invented Example Holiday"), "{table}");
    assert!(
        table.contains("imported"),
        "says where the list came from:\n{table}"
    );

    // Mon 14 Jun is now a holiday: back to Fri 11 Jun; Fri before a non-working day → Thu 10 Jun.
    let after = june(&env);
    assert_eq!(s(&after, "release_date"), "2027-06-14");
    assert_eq!(s(&after, "statutory_day"), "2027-06-11");
    assert_eq!(s(&after, "expected_day"), "2027-06-10");

    // And the calendar now has a cluster there: Thu 10 Jun covers 10–14 Jun.
    let clusters = env.json(&[
        "clusters",
        "--from",
        "2027-06-01",
        "--to",
        "2027-06-30",
        "--format",
        "json",
    ]);
    assert_eq!(clusters.len(), 1, "{clusters:?}");
    let k = &clusters[0];
    assert_eq!(s(k, "day"), "2027-06-10");
    assert_eq!(
        k["covers"],
        serde_json::json!([
            "2027-06-10",
            "2027-06-11",
            "2027-06-12",
            "2027-06-13",
            "2027-06-14"
        ])
    );
    assert_eq!(
        k["holidays"],
        serde_json::json!(["Invented Example Holiday"])
    );
    assert_eq!(k["load"], 1);
    assert_eq!(s(k, "severity"), "red");
}

#[test]
fn a_broken_holiday_file_is_refused_and_changes_nothing() {
    let env = Env::new();
    june_case(&env);
    let holidays_before = env.json(&["holidays", "list", "--year", "2027", "--format", "json"]);
    let case_before = june(&env);

    let err = env.fails(&[
        "holidays",
        "import",
        fixture("holidays-broken.json").to_str().unwrap(),
    ]);
    assert!(err.contains("was not loaded"), "{err}");
    assert!(err.contains("14/06/2027"), "names the bad date: {err}");

    let not_govuk = env.path("scotland-only.json");
    std::fs::write(
        &not_govuk,
        r#"{"scotland": {"division": "scotland", "events": []}}"#,
    )
    .unwrap();
    let err = env.fails(&["holidays", "import", not_govuk.to_str().unwrap()]);
    assert!(err.contains("england-and-wales"), "{err}");

    let not_json = env.path("holidays.json");
    std::fs::write(&not_json, "<html>Bank holidays</html>").unwrap();
    let err = env.fails(&["holidays", "import", not_json.to_str().unwrap()]);
    assert!(err.contains("was not loaded"), "{err}");

    assert_eq!(
        env.json(&["holidays", "list", "--year", "2027", "--format", "json"]),
        holidays_before
    );
    assert_eq!(june(&env), case_before);
    let table = env.ok(&["holidays", "list", "--year", "2027"]);
    assert!(table.contains("shipped with releaseday"), "{table}");
}
