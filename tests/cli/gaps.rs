//! `releaseday gaps`: the worklist of flags, red first (DOMAIN.md §4, §6).

use super::*;

/// Every flag shown on 23 Nov 2026, red first, then by due day (worked from §4):
///
/// - Ann  (R Wed 23 Dec, NFA, nothing sent): CRS red due R−84 = 30 Sep; DTR red due R−56 = 28 Oct;
///   CAS3 amber due R−28 = 25 Nov (shows from R − 3 months = 23 Sep); NFA not yet (shows 25 Nov).
/// - Kim  (R Mon 23 Nov, NFA, DTR/CRS/CAS3 sent): NFA_AT_RELEASE red due R−7 = 16 Nov.
/// - Cara (R Mon 7 Dec, HDC, NFA, DTR/CRS sent): CAS2 red due R−21 = 16 Nov (ties with Kim on
///   due; Kim's earlier release comes first); NFA amber due R−7 = 30 Nov (shows from 9 Nov).
///   No CAS3 flag: HDC.
/// - Ivy  (R Thu 3 Dec, no officer): the OMiC handover (§7, determinate) is 3 Dec − 8 months
///   − 14 days = Fri 20 Mar, so NO_OFFICER is red from H + 2 = 22 Mar, long before §4's day.
/// - Dan  (R Thu 14 Jan 2027, AP required, not sent): AP_NOT_SENT red from R−28 = 17 Dec → amber.
/// - NO_APPOINTMENT (§8: none of the file's cases has one) shows from R − 14, red 2 working days
///   before R: Kim and Lee (R today) red from Thu 19 Nov; Ivy amber (red from Tue 1 Dec), Cara
///   amber on its first day (shows from 23 Nov, red from Thu 3 Dec); Fay (R 9 Dec) not yet.
/// - Jon (released yesterday) has none: flags are for R ≥ T.
const GAPS: [(&str, &str, &str, &str, &str); 12] = [
    ("X100009", "NO_OFFICER", "red", "2026-03-22", "2026-12-03"),
    ("X100001", "CRS_NOT_SENT", "red", "2026-09-30", "2026-12-23"),
    ("X100001", "DTR_NOT_SENT", "red", "2026-10-28", "2026-12-23"),
    (
        "X100011",
        "NFA_AT_RELEASE",
        "red",
        "2026-11-16",
        "2026-11-23",
    ),
    (
        "X100003",
        "CAS2_NOT_SENT",
        "red",
        "2026-11-16",
        "2026-12-07",
    ),
    (
        "X100011",
        "NO_APPOINTMENT",
        "red",
        "2026-11-19",
        "2026-11-23",
    ),
    (
        "X100012",
        "NO_APPOINTMENT",
        "red",
        "2026-11-19",
        "2026-11-23",
    ),
    (
        "X100001",
        "CAS3_NOT_SENT",
        "amber",
        "2026-11-25",
        "2026-12-23",
    ),
    (
        "X100003",
        "NFA_AT_RELEASE",
        "amber",
        "2026-11-30",
        "2026-12-07",
    ),
    (
        "X100009",
        "NO_APPOINTMENT",
        "amber",
        "2026-12-01",
        "2026-12-03",
    ),
    (
        "X100003",
        "NO_APPOINTMENT",
        "amber",
        "2026-12-03",
        "2026-12-07",
    ),
    (
        "X100004",
        "AP_NOT_SENT",
        "amber",
        "2026-12-17",
        "2027-01-14",
    ),
];

#[test]
fn gaps_to_a_date_keeps_only_the_releases_up_to_it_in_the_same_order() {
    let env = Env::new();
    env.import_caseload();
    let to = "2026-12-10";
    let window = env.json(&["gaps", "--to", to, "--format", "json"]);
    let all = env.json(&["gaps", "--format", "json"]);
    let expected: Vec<&Value> = all.iter().filter(|g| s(g, "expected_day") <= to).collect();
    assert_eq!(window.iter().collect::<Vec<_>>(), expected);
    assert!(!window.is_empty() && window.len() < all.len());
    // X100004 (14 Jan 2027, AP not sent) is flagged, but after the window.
    assert!(all.iter().any(|g| s(g, "crn") == "X100004"));
    assert!(!window.iter().any(|g| s(g, "crn") == "X100004"));
}

#[test]
fn gaps_json_red_first_then_by_due_day() {
    let env = Env::new();
    env.import_caseload();
    let gaps = env.json(&["gaps", "--format", "json"]);
    let got: Vec<_> = gaps
        .iter()
        .map(|g| {
            (
                s(g, "crn"),
                s(g, "code"),
                s(g, "severity"),
                s(g, "due"),
                s(g, "expected_day"),
            )
        })
        .collect();
    assert_eq!(got, GAPS);
    for g in &gaps {
        assert!(!s(g, "name").is_empty());
        assert!(!s(g, "message").is_empty());
    }
    // Red before amber, then by due ascending.
    for pair in gaps.windows(2) {
        let rank = |g: &Value| (s(g, "severity") != "red", s(g, "due").to_string());
        assert!(
            rank(&pair[0]) <= rank(&pair[1]),
            "{} then {}",
            pair[0],
            pair[1]
        );
    }
    let msg = |crn: &str, code: &str| {
        let g = gaps
            .iter()
            .find(|g| s(g, "crn") == crn && s(g, "code") == code)
            .unwrap();
        s(g, "message").to_string()
    };
    assert_eq!(
        msg("X100001", "DTR_NOT_SENT"),
        "DTR overdue by 26 days (due Wed 28 Oct)"
    );
    assert_eq!(
        msg("X100001", "CAS3_NOT_SENT"),
        "CAS3 referral due in 2 days (by Wed 25 Nov)"
    );
    assert_eq!(
        msg("X100011", "NFA_AT_RELEASE"),
        "No accommodation booked, release today"
    );
    assert_eq!(
        msg("X100009", "NO_OFFICER"),
        "no community offender manager: handover was due Fri 20 Mar"
    );
    assert_eq!(s(&gaps[1], "name"), "Ann Example");
}

#[test]
fn gaps_csv_matches_the_json() {
    let env = Env::new();
    env.import_caseload();
    let (header, rows) = parse_csv(&env.ok(&["gaps", "--format", "csv"]));
    let idx: Vec<usize> = ["crn", "code", "severity", "due", "expected_day"]
        .iter()
        .map(|n| column(&header, n))
        .collect();
    column(&header, "name");
    column(&header, "message");
    let got: Vec<(&str, &str, &str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r[idx[0]].as_str(),
                r[idx[1]].as_str(),
                r[idx[2]].as_str(),
                r[idx[3]].as_str(),
                r[idx[4]].as_str(),
            )
        })
        .collect();
    assert_eq!(got, GAPS);
}

#[test]
fn gaps_table_counts_and_fits_80_columns() {
    let env = Env::new();
    env.import_caseload();
    let mut c = env.cmd(&["gaps"]);
    c.env("COLUMNS", "80");
    let out = stdout_of(c);
    assert!(
        out.starts_with("12 gaps on cases still to be released: 7 red, 5 amber"),
        "{out}"
    );
    assert!(
        out.contains("DTR_NOT_SENT") && out.contains("NO_OFFICER"),
        "{out}"
    );
    assert_no_escape(&out);
    assert_fits(&out, 80);
    let empty = Env::new().ok(&["gaps"]);
    assert!(empty.starts_with("0 gaps"), "{empty}");
}
