//! `releaseday list`: releases by expected day, in every format (DOMAIN.md §6).

use super::*;

#[test]
fn list_json_has_the_contract_fields_days_and_order() {
    let env = Env::new();
    env.import_caseload();
    let list = env.json(&["list", "--format", "json"]);

    // Default window Mon 23 Nov 2026 ..= Mon 15 Feb 2027, by expected day then name.
    // Jon (Sun 22 Nov, yesterday) and Ned (22 Feb 2027, +13 weeks) are outside it.
    assert_eq!(
        crns(&list),
        [
            "X100011", // Kim  2026-11-23
            "X100012", // Lee  2026-11-23
            "X100009", // Ivy  2026-12-03
            "X100003", // Cara 2026-12-07
            "X100006", // Fay  2026-12-09
            "X100002", // Bob  2026-12-10
            "X100007", // Gus  2026-12-16
            "X100001", // Ann  2026-12-23
            "X100005", // Eve  2026-12-23
            "X100008", // Hal  2027-01-06
            "X100004", // Dan  2027-01-14
            "X100013", // Max  2027-02-15
        ]
    );
    for pair in list.windows(2) {
        let a = (s(&pair[0], "expected_day"), s(&pair[0], "name"));
        let b = (s(&pair[1], "expected_day"), s(&pair[1], "name"));
        assert!(
            a <= b,
            "not sorted by expected day then name: {a:?} > {b:?}"
        );
    }
    for v in &list {
        for key in [
            "crn",
            "name",
            "release_date",
            "release_type",
            "statutory_day",
            "expected_day",
            "accommodation",
        ] {
            assert!(v[key].is_string(), "{key} missing or not a string in {v}");
        }
        for f in v["flags"].as_array().expect("flags is an array") {
            for key in ["code", "severity", "due", "message"] {
                assert!(f[key].is_string(), "flag {key} missing in {f}");
            }
        }
    }

    let day = |crn: &str| {
        let v = by_crn(&list, crn);
        (
            s(v, "release_date").to_string(),
            s(v, "release_type").to_string(),
            s(v, "statutory_day").to_string(),
            s(v, "expected_day").to_string(),
        )
    };
    let want = |a: &str, b: &str, c: &str, d: &str| {
        (a.to_string(), b.to_string(), c.to_string(), d.to_string())
    };
    // Sat 26 Dec 2026, CRD, blank friday_release (given as 26/12/2026 in the file):
    // back over Sat 26 and Christmas Day to Thu 24; Fri 25 is non-working, so policy → Wed 23.
    assert_eq!(
        day("X100005"),
        want("2026-12-26", "CRD", "2026-12-24", "2026-12-23")
    );
    // Thu 24 Dec: statutory stays, policy → Wed 23 Dec.
    assert_eq!(
        day("X100001"),
        want("2026-12-24", "CRD", "2026-12-24", "2026-12-23")
    );
    // HDC due Sat 5 Dec moves forward to Mon 7 Dec; no Friday policy for HDC.
    assert_eq!(
        day("X100003"),
        want("2026-12-05", "HDC", "2026-12-07", "2026-12-07")
    );
    // The prison-confirmed day wins.
    assert_eq!(
        day("X100006"),
        want("2026-12-11", "CRD", "2026-12-11", "2026-12-09")
    );
    assert_eq!(s(by_crn(&list, "X100006"), "confirmed_day"), "2026-12-09");
    // friday_release 2: Fri 18 → Thu 17 → Wed 16.
    assert_eq!(
        day("X100007"),
        want("2026-12-18", "CRD", "2026-12-18", "2026-12-16")
    );
    // MTD, blank friday_release means 2: Fri 8 Jan → Thu 7 → Wed 6.
    assert_eq!(
        day("X100008"),
        want("2027-01-08", "MTD", "2027-01-08", "2027-01-06")
    );
    // A Thursday followed by a working Friday does not move.
    assert_eq!(
        day("X100002"),
        want("2026-12-10", "CRD", "2026-12-10", "2026-12-10")
    );

    // Ann (R = Wed 23 Dec, NFA, nothing sent), T = 23 Nov:
    //   DTR_NOT_SENT  red from R−56 = 28 Oct  → red
    //   CRS_NOT_SENT  red from R−84 = 30 Sep  → red
    //   CAS3_NOT_SENT shows R−3 months = 23 Sep, red R−28 = 25 Nov → amber
    //   NFA_AT_RELEASE shows from R−28 = 25 Nov → not yet shown
    let ann = by_crn(&list, "X100001");
    let flags: Vec<(&str, &str, &str)> = ann["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (s(f, "code"), s(f, "severity"), s(f, "due")))
        .collect();
    assert_eq!(
        flags,
        [
            ("DTR_NOT_SENT", "red", "2026-10-28"),
            ("CRS_NOT_SENT", "red", "2026-09-30"),
            ("CAS3_NOT_SENT", "amber", "2026-11-25"),
        ]
    );
    assert_eq!(
        s(&ann["flags"][0], "message"),
        "DTR overdue by 26 days (due Wed 28 Oct)"
    );
    assert_eq!(s(ann, "accommodation"), "NFA");
    assert_eq!(ann["needs_accommodation"], Value::Bool(true));
    // A settled case with an officer has no flags.
    assert_eq!(by_crn(&list, "X100002")["flags"], serde_json::json!([]));
}

#[test]
fn list_window_bounds_are_inclusive_and_default_to_twelve_weeks() {
    let env = Env::new();
    env.import_caseload();
    let default = env.json(&["list", "--format", "json"]);
    let names = crns(&default);
    assert!(names.contains(&"X100013"), "today + 12 weeks is inside");
    assert!(!names.contains(&"X100014"), "today + 13 weeks is outside");
    assert!(!names.contains(&"X100010"), "yesterday is outside");

    // Both ends inclusive: Ivy on 3 Dec and Fay on 9 Dec are the ends.
    let mid = env.json(&[
        "list",
        "--from",
        "2026-12-03",
        "--to",
        "2026-12-09",
        "--format",
        "json",
    ]);
    assert_eq!(crns(&mid), ["X100009", "X100003", "X100006"]);

    // A single day, written DD/MM/YYYY: the expected day counts, not the release date.
    let xmas = env.json(&[
        "list",
        "--from",
        "23/12/2026",
        "--to",
        "23/12/2026",
        "--format",
        "json",
    ]);
    assert_eq!(crns(&xmas), ["X100001", "X100005"]);
    let none = env.json(&[
        "list",
        "--from",
        "2026-12-24",
        "--to",
        "2026-12-28",
        "--format",
        "json",
    ]);
    assert!(none.is_empty(), "nobody is expected 24–28 Dec: {none:?}");

    // The whole file, past and beyond, with an explicit window.
    assert_eq!(env.list_all().len(), 14);
}

#[test]
fn list_csv_has_a_header_and_one_row_per_case() {
    let env = Env::new();
    env.import_caseload();
    let (header, rows) = parse_csv(&env.ok(&["list", "--format", "csv"]));
    for name in [
        "expected_day",
        "crn",
        "name",
        "release_date",
        "release_type",
        "statutory_day",
        "accommodation",
        "flags",
    ] {
        column(&header, name);
    }
    assert_eq!(rows.len(), 12);
    let (crn, day, stat, flags) = (
        column(&header, "crn"),
        column(&header, "expected_day"),
        column(&header, "statutory_day"),
        column(&header, "flags"),
    );
    assert_eq!(rows[0][crn], "X100011");
    let eve = rows.iter().find(|r| r[crn] == "X100005").unwrap();
    assert_eq!(
        (eve[stat].as_str(), eve[day].as_str()),
        ("2026-12-24", "2026-12-23")
    );
    let ann = rows.iter().find(|r| r[crn] == "X100001").unwrap();
    assert_eq!(ann[flags], "DTR_NOT_SENT;CRS_NOT_SENT;CAS3_NOT_SENT");
    // Same order as the JSON.
    let json = env.json(&["list", "--format", "json"]);
    let csv_crns: Vec<&str> = rows.iter().map(|r| r[crn].as_str()).collect();
    assert_eq!(csv_crns, crns(&json));
}

#[test]
fn list_table_has_day_headings_and_no_escape_codes() {
    let env = Env::new();
    env.import_caseload();
    let out = stdout_of({
        let mut c = env.cmd(&["list"]);
        c.env("COLUMNS", "80");
        c
    });
    assert_no_escape(&out);
    assert!(
        out.starts_with("12 releases expected Mon 23 Nov 2026 to Mon 15 Feb 2027\n"),
        "{out}"
    );
    assert!(
        out.contains("Mon 23 Nov 2026 · 2 releases · 1 with nowhere to go"),
        "{out}"
    );
    assert!(out.contains("Wed 23 Dec 2026 · 2 releases"), "{out}");
    assert!(out.contains("Thu 3 Dec 2026 · 1 release"), "{out}");
    // Severity is readable without colour.
    assert!(out.contains("▲ red") && out.contains("● amber"), "{out}");
    for crn in ["X100011", "X100013"] {
        assert!(out.contains(crn), "{crn} missing:\n{out}");
    }
    assert!(!out.contains("X100014"), "{out}");
    // The Christmas heading carries the cluster.
    let heading = out
        .lines()
        .find(|l| l.starts_with("Wed 23 Dec 2026"))
        .unwrap();
    assert!(heading.contains("23–28 Dec"), "{heading}");
}

#[test]
fn an_empty_list_says_what_to_do() {
    let env = Env::new();
    let out = env.ok(&["list"]);
    assert!(out.starts_with("0 releases expected"), "{out}");
    assert!(out.contains("import"), "{out}");
    assert_eq!(env.json(&["list", "--format", "json"]), Vec::<Value>::new());
}
