//! End to end: the real `releaseday` binary against a fresh temporary database (DOMAIN.md §5, §6).
//!
//! Every run gets `--db <tempdir>/x.db`, a fixed `--today` (Mon 23 Nov 2026 unless a test says
//! otherwise), no `RELEASEDAY_DB` and `NO_COLOR=1`. Fixtures in `tests/fixtures/` are invented.
//!
//! `tests/fixtures/caseload.csv`, with T = Mon 23 Nov 2026 (expected days worked by hand from §1):
//!
//! | CRN     | name | due (type)        | statutory | expected | why |
//! |---------|------|-------------------|-----------|----------|-----|
//! | X100001 | Ann  | Thu 24 Dec (CRD)  | 24 Dec    | Wed 23 Dec | Fri 25 Dec is Christmas: Friday policy steps back a day. NFA, nothing sent |
//! | X100002 | Bob  | Thu 10 Dec (CRD)  | 10 Dec    | 10 Dec   | Fri 11 is a working day: no move. Settled |
//! | X100003 | Cara | Sat 5 Dec (HDC)   | Mon 7 Dec | Mon 7 Dec | HDC moves forward; no Friday policy. NFA, DTR and CRS sent, no CAS2 |
//! | X100004 | Dan  | Thu 14 Jan 2027 (CRD) | 14 Jan | 14 Jan  | AP required, not sent; accommodation AP |
//! | X100005 | Eve  | Sat 26 Dec (CRD, 26/12/2026) | Thu 24 Dec | Wed 23 Dec | back over Sat 26, Fri 25; then policy |
//! | X100006 | Fay  | Fri 11 Dec (CRD)  | 11 Dec    | Wed 9 Dec | confirmed_day 2026-12-09 wins over the policy day (Thu 10) |
//! | X100007 | Gus  | Fri 18 Dec (CRD), friday_release 2 | 18 Dec | Wed 16 Dec | policy Thu 17, one more working day |
//! | X100008 | Hal  | Fri 8 Jan 2027 (MTD) | 8 Jan  | Wed 6 Jan | blank friday_release means 2 for MTD |
//! | X100009 | Ivy  | Thu 3 Dec (CRD)   | 3 Dec     | 3 Dec    | no officer |
//! | X100010 | Jon  | Sun 22 Nov (ECSL) | 22 Nov    | Sun 22 Nov | arranged date, not moved: released yesterday, not reported |
//! | X100011 | Kim  | Mon 23 Nov (CRD)  | 23 Nov    | 23 Nov   | due today, NFA with DTR/CRS/CAS3 sent |
//! | X100012 | Lee  | Mon 23 Nov (CRD)  | 23 Nov    | 23 Nov   | due today, settled |
//! | X100013 | Max  | Mon 15 Feb 2027   | 15 Feb    | 15 Feb   | today + 12 weeks: inside the default window |
//! | X100014 | Ned  | Mon 22 Feb 2027   | 22 Feb    | 22 Feb   | today + 13 weeks: outside it |

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const TODAY: &str = "2026-11-23";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join(name)
}

/// One fresh temporary database and the commands run against it.
struct Env {
    dir: TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("a temporary directory"),
        }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("x.db")
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The binary with `--db`, `--today T`, a clean environment and the given arguments.
    fn cmd_on(&self, today: &str, args: &[&str]) -> Command {
        let mut c = Command::cargo_bin("releaseday").expect("the releaseday binary");
        c.env_remove("RELEASEDAY_DB")
            .env("RELEASEDAY_CONFIG", self.path("config.toml"))
            .env_remove("COLUMNS")
            .env("NO_COLOR", "1")
            .arg("--db")
            .arg(self.db())
            .arg("--today")
            .arg(today)
            .args(args);
        c
    }

    fn cmd(&self, args: &[&str]) -> Command {
        self.cmd_on(TODAY, args)
    }

    /// Runs, expects success, returns standard output.
    fn ok(&self, args: &[&str]) -> String {
        stdout_of(self.cmd(args))
    }

    fn json(&self, args: &[&str]) -> Vec<Value> {
        parse_json_array(&self.ok(args))
    }

    /// Runs, expects exit status 1, returns standard error.
    fn fails(&self, args: &[&str]) -> String {
        let out = self
            .cmd(args)
            .assert()
            .failure()
            .code(1)
            .get_output()
            .clone();
        String::from_utf8(out.stderr).expect("UTF-8 stderr")
    }

    fn import(&self, file: &Path) -> String {
        self.ok(&["import", file.to_str().unwrap()])
    }

    fn import_caseload(&self) -> String {
        self.import(&fixture("caseload.csv"))
    }

    /// `list --format json` over a window wide enough for every fixture case.
    fn list_all(&self) -> Vec<Value> {
        self.json(&[
            "list",
            "--from",
            "2026-01-01",
            "--to",
            "2027-12-31",
            "--format",
            "json",
        ])
    }
}

fn stdout_of(mut c: Command) -> String {
    let out = c.assert().success().get_output().clone();
    String::from_utf8(out.stdout).expect("UTF-8 stdout")
}

fn parse_json_array(text: &str) -> Vec<Value> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(a)) => a,
        other => panic!("expected a JSON array, got {other:?} from:\n{text}"),
    }
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key)
        .unwrap_or_else(|| panic!("no {key:?} in {v}"))
        .as_str()
        .unwrap_or_else(|| panic!("{key:?} is not a string in {v}"))
}

fn by_crn<'a>(list: &'a [Value], crn: &str) -> &'a Value {
    list.iter()
        .find(|v| s(v, "crn") == crn)
        .unwrap_or_else(|| panic!("{crn} not in the list"))
}

fn crns(list: &[Value]) -> Vec<&str> {
    list.iter().map(|v| s(v, "crn")).collect()
}

/// A CSV text, less the byte-order mark the export starts with (for Excel).
fn parse_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r
        .headers()
        .expect("a CSV header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = r
        .records()
        .map(|rec| {
            rec.expect("a CSV record")
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect();
    (header, rows)
}

fn column(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name:?} in {header:?}"))
}

/// Every line at most `width` characters (not bytes: "▲", "–" and "…" are one each).
fn assert_fits(out: &str, width: usize) {
    for line in out.lines() {
        assert!(
            line.chars().count() <= width,
            "line of {} characters (> {width}):\n{line}\n--- whole output ---\n{out}",
            line.chars().count()
        );
    }
}

fn assert_no_escape(out: &str) {
    assert!(!out.contains('\x1b'), "an ESC byte with NO_COLOR:\n{out}");
}

// ---------------------------------------------------------------------------------------------
// list

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

// ---------------------------------------------------------------------------------------------
// gaps

/// Every flag shown on 23 Nov 2026, red first, then by due day (worked from §4):
///
/// - Ann  (R Wed 23 Dec, NFA, nothing sent): CRS red due R−84 = 30 Sep; DTR red due R−56 = 28 Oct;
///   CAS3 amber due R−28 = 25 Nov (shows from R − 3 months = 23 Sep); NFA not yet (shows 25 Nov).
/// - Kim  (R Mon 23 Nov, NFA, DTR/CRS/CAS3 sent): NFA_AT_RELEASE red due R−7 = 16 Nov.
/// - Cara (R Mon 7 Dec, HDC, NFA, DTR/CRS sent): CAS2 red due R−21 = 16 Nov (ties with Kim on
///   due; Kim's earlier release comes first); NFA amber due R−7 = 30 Nov (shows from 9 Nov).
///   No CAS3 flag: HDC.
/// - Ivy  (R Thu 3 Dec, no officer): NO_OFFICER shows from R−28 = 5 Nov, red 5 working days
///   before R = Thu 26 Nov → amber due 26 Nov.
/// - Dan  (R Thu 14 Jan 2027, AP required, not sent): AP_NOT_SENT red from R−28 = 17 Dec → amber.
/// - Jon (released yesterday) has none: flags are for R ≥ T.
const GAPS: [(&str, &str, &str, &str, &str); 8] = [
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
        "X100001",
        "CAS3_NOT_SENT",
        "amber",
        "2026-11-25",
        "2026-12-23",
    ),
    ("X100009", "NO_OFFICER", "amber", "2026-11-26", "2026-12-03"),
    (
        "X100003",
        "NFA_AT_RELEASE",
        "amber",
        "2026-11-30",
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
    assert_eq!(s(&gaps[0], "name"), "Ann Example");
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
        out.starts_with("8 gaps on cases still to be released: 4 red, 4 amber"),
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

// ---------------------------------------------------------------------------------------------
// clusters

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

// ---------------------------------------------------------------------------------------------
// today

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

// ---------------------------------------------------------------------------------------------
// import

#[test]
fn dry_run_reports_counts_and_writes_nothing() {
    let env = Env::new();
    let out = env.ok(&[
        "import",
        "--dry-run",
        fixture("caseload.csv").to_str().unwrap(),
    ]);
    assert!(
        out.contains("would add 14 new, update 0, leave 0 unchanged"),
        "{out}"
    );
    assert!(out.contains("Nothing was written"), "{out}");
    assert!(env.json(&["list", "--format", "json"]).is_empty());
    assert!(env.list_all().is_empty());
}

#[test]
fn importing_the_same_file_twice_changes_nothing() {
    let env = Env::new();
    let first = env.import_caseload();
    assert!(first.contains("14 new, 0 updated, 0 unchanged"), "{first}");
    let before = env.list_all();
    let second = env.import_caseload();
    assert!(
        second.contains("0 new, 0 updated, 14 unchanged"),
        "{second}"
    );
    let dry = env.ok(&[
        "import",
        "--dry-run",
        fixture("caseload.csv").to_str().unwrap(),
    ]);
    assert!(
        dry.contains("would add 0 new, update 0, leave 14 unchanged"),
        "{dry}"
    );
    assert_eq!(env.list_all(), before);
}

#[test]
fn a_file_lacking_columns_keeps_what_officers_recorded() {
    let env = Env::new();
    env.import_caseload();
    let before = env.list_all();
    let refresh = fixture("refresh-lacking-columns.csv");

    let dry = env.ok(&["import", "--dry-run", refresh.to_str().unwrap()]);
    assert!(
        dry.contains("would add 0 new, update 2, leave 12 unchanged"),
        "{dry}"
    );
    assert!(dry.contains("update X100001: accommodation"), "{dry}");
    assert!(dry.contains("update X100003: accommodation"), "{dry}");
    assert_eq!(env.list_all(), before, "a dry run writes nothing");

    let out = env.import(&refresh);
    assert!(out.contains("0 new, 2 updated, 12 unchanged"), "{out}");
    let after = env.list_all();

    // Ann: NFA → LA_TEMP; everything the file lacks is kept.
    let ann = by_crn(&after, "X100001");
    assert_eq!(s(ann, "accommodation"), "LA_TEMP");
    assert_eq!(s(ann, "officer"), "Pat Officer");
    assert_eq!(s(ann, "team"), "North");
    assert_eq!(s(ann, "noms"), "A1001AA");
    assert_eq!(s(ann, "rosh"), "MEDIUM");
    assert_eq!(ann["mappa"], 1);
    assert_eq!(s(ann, "notes"), "Nothing sent yet");
    // Now housed: no accommodation flags.
    assert_eq!(ann["flags"], serde_json::json!([]));

    // Cara: NFA → CAS2; DTR, its date, CRS and the officer are kept.
    let cara = by_crn(&after, "X100003");
    assert_eq!(s(cara, "accommodation"), "CAS2");
    assert_eq!(s(cara, "dtr"), "SUBMITTED");
    assert_eq!(s(cara, "dtr_date"), "2026-11-01");
    assert_eq!(s(cara, "crs"), "LIVE");
    assert_eq!(s(cara, "officer"), "Sam Officer");
    assert_eq!(s(cara, "rosh"), "HIGH");
    assert_eq!(cara["mappa"], 2);
    assert_eq!(s(cara, "release_type"), "HDC");

    // Kim's accommodation cell is blank in the refresh: NFA is kept.
    assert_eq!(s(by_crn(&after, "X100011"), "accommodation"), "NFA");
    // Fay's confirmed day, Gus's friday_release, Dan's AP fields are kept.
    assert_eq!(s(by_crn(&after, "X100006"), "confirmed_day"), "2026-12-09");
    assert_eq!(s(by_crn(&after, "X100007"), "friday_release"), "2");
    assert_eq!(s(by_crn(&after, "X100007"), "expected_day"), "2026-12-16");
    let dan = by_crn(&after, "X100004");
    assert_eq!(dan["ap_required"], Value::Bool(true));
    assert_eq!(s(dan, "rosh"), "VERY_HIGH");

    // Every case not updated is exactly as before.
    for (b, a) in before.iter().zip(&after) {
        if !["X100001", "X100003"].contains(&s(b, "crn")) {
            assert_eq!(a, b);
        }
    }
}

#[test]
fn a_broken_file_names_every_bad_row_and_writes_nothing() {
    let env = Env::new();
    let file = fixture("broken.csv");
    let out = env
        .cmd(&["import", file.to_str().unwrap()])
        .assert()
        .failure()
        .code(1)
        .get_output()
        .clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.stdout.is_empty(), "nothing on stdout");
    assert!(stderr.contains("was not imported"), "{stderr}");
    assert!(stderr.contains("3 problems found"), "{stderr}");
    let problems: Vec<&str> = stderr.lines().filter(|l| l.starts_with("line ")).collect();
    assert_eq!(problems.len(), 3, "{stderr}");
    // Line 1 is the header; columns are named as the file names them, with their letters.
    assert!(
        problems[0].starts_with("line 3, column C \"release_date\": "),
        "US order is never guessed: {}",
        problems[0]
    );
    assert!(problems[0].contains("12/24/2026"), "{}", problems[0]);
    assert!(
        problems[1].starts_with("line 4, column A \"crn\": "),
        "{}",
        problems[1]
    );
    assert!(problems[1].contains("X20003"), "{}", problems[1]);
    assert!(
        problems[2].starts_with("line 5, column A \"crn\": "),
        "{}",
        problems[2]
    );
    assert!(
        problems[2].contains("line 2"),
        "names the first line: {}",
        problems[2]
    );
    // Line 6's blank release date is no problem for the parser (an update file need not give
    // one); for a CRN the store does not hold it is refused when the rows are planned.
    // The good rows (lines 2 and 7) were not written either.
    assert!(env.list_all().is_empty());
    assert!(env.json(&["list", "--format", "json"]).is_empty());
}

#[test]
fn a_broken_file_leaves_an_existing_caseload_alone() {
    let env = Env::new();
    env.import_caseload();
    let before = env.list_all();
    env.fails(&["import", fixture("broken.csv").to_str().unwrap()]);
    assert_eq!(env.list_all(), before);
}

#[test]
fn windows_1252_and_utf8_bom_files_read_zoe() {
    let env = Env::new();
    let cp1252 = env.path("cp1252.csv");
    std::fs::write(
        &cp1252,
        b"crn,name,release_date\r\nX300001,Zo\xEB Example,10/12/2026\r\n",
    )
    .unwrap();
    env.import(&cp1252);
    let bom = env.path("bom.csv");
    std::fs::write(
        &bom,
        "\u{feff}crn,name,release_date\nX300002,Zoë Sample,2026-12-10\n".as_bytes(),
    )
    .unwrap();
    env.import(&bom);
    let list = env.list_all();
    assert_eq!(s(by_crn(&list, "X300001"), "name"), "Zoë Example");
    assert_eq!(s(by_crn(&list, "X300001"), "release_date"), "2026-12-10");
    assert_eq!(s(by_crn(&list, "X300002"), "name"), "Zoë Sample");
}

#[test]
fn xlsx_import_reads_the_first_sheet() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let env = Env::new();
    let path = env.path("cases.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let header = [
        "CRN",
        "Name",
        "Release Date",
        "Accommodation",
        "Offender Manager",
    ];
    for (i, h) in header.iter().enumerate() {
        sheet.write_string(0, i as u16, *h).unwrap();
    }
    // A date typed as text, British order.
    for (i, v) in ["X600001", "Una Example", "24/12/2026", "NFA", "Pat Officer"]
        .iter()
        .enumerate()
    {
        sheet.write_string(1, i as u16, *v).unwrap();
    }
    // A real Excel date cell.
    sheet.write_string(2, 0, "X600002").unwrap();
    sheet.write_string(2, 1, "Vic Example").unwrap();
    sheet
        .write_datetime_with_format(
            2,
            2,
            ExcelDateTime::from_ymd(2026, 12, 10).unwrap(),
            &Format::new().set_num_format("dd/mm/yyyy"),
        )
        .unwrap();
    sheet.write_string(2, 3, "SETTLED").unwrap();
    book.save(&path).unwrap();

    let out = env.import(&path);
    assert!(out.contains("2 new"), "{out}");
    let list = env.list_all();
    let una = by_crn(&list, "X600001");
    assert_eq!(s(una, "name"), "Una Example");
    assert_eq!(s(una, "expected_day"), "2026-12-23");
    assert_eq!(s(una, "officer"), "Pat Officer");
    assert_eq!(s(una, "accommodation"), "NFA");
    let vic = by_crn(&list, "X600002");
    assert_eq!(s(vic, "release_date"), "2026-12-10");
    assert!(vic["officer"].is_null());
}

// ---------------------------------------------------------------------------------------------
// holidays

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
    env.import(&file);
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

// ---------------------------------------------------------------------------------------------
// demo

#[test]
fn demo_is_deterministic_for_a_seed_and_today() {
    let a = Env::new();
    let b = Env::new();
    let out = a.ok(&["demo", "--cases", "120", "--seed", "7"]);
    assert!(out.contains("120"), "{out}");
    b.ok(&["demo", "--cases", "120", "--seed", "7"]);
    let la = a.json(&["list", "--format", "json"]);
    assert!(!la.is_empty());
    assert_eq!(la, b.json(&["list", "--format", "json"]));
    assert_eq!(
        a.ok(&["gaps", "--format", "json"]),
        b.ok(&["gaps", "--format", "json"])
    );
    // Every case is in the database, under the given --db.
    assert!(a.db().exists());
    let all = a.json(&[
        "list",
        "--from",
        "2000-01-01",
        "--to",
        "2100-12-31",
        "--format",
        "json",
    ]);
    assert_eq!(all.len(), 120);

    // Another seed gives another caseload.
    let c = Env::new();
    c.ok(&["demo", "--cases", "120", "--seed", "8"]);
    assert_ne!(la, c.json(&["list", "--format", "json"]));
    // Running demo again on a demo database keeps it; --reset replaces it.
    let kept = a.ok(&["demo", "--cases", "30", "--seed", "7"]);
    assert!(kept.contains("kept"), "{kept}");
    assert_eq!(la, a.json(&["list", "--format", "json"]));
    a.ok(&["demo", "--reset", "--cases", "30", "--seed", "7"]);
    let again = a.json(&[
        "list",
        "--from",
        "2000-01-01",
        "--to",
        "2100-12-31",
        "--format",
        "json",
    ]);
    assert_eq!(again.len(), 30);
}

#[test]
fn demo_refuses_a_database_of_real_cases() {
    let env = Env::new();
    env.import_caseload();
    let before = env.list_all();
    let err = env.fails(&["demo", "--cases", "10"]);
    assert!(err.contains("--db"), "{err}");
    assert!(err.contains("14"), "says how many cases are there: {err}");
    assert_eq!(env.list_all(), before);
}

/// Real people are never mixed with invented ones: an import (dry run or not) into a database
/// holding the demo caseload is refused whole, naming the database and what to do, and the
/// demo caseload is left as it was.
#[test]
fn an_import_into_a_demo_database_is_refused() {
    let env = Env::new();
    env.ok(&["demo", "--cases", "5", "--seed", "7"]);
    let before = env.list_all();
    let file = fixture("caseload.csv");
    let file = file.to_str().unwrap();
    for args in [vec!["import", file], vec!["import", "--dry-run", file]] {
        let err = env.fails(&args);
        assert!(err.contains("holds the invented demo caseload"), "{err}");
        assert!(err.contains("was not imported"), "{err}");
        assert!(err.contains("--db"), "says what to do: {err}");
        assert_eq!(err.trim().lines().count(), 1, "one sentence: {err}");
    }
    assert_eq!(env.list_all(), before, "the demo caseload is as it was");
    // `demo --reset` still rewrites it; the file stays a demo file.
    env.ok(&["demo", "--reset", "--cases", "3", "--seed", "7"]);
    assert!(env.fails(&["import", file]).contains("demo caseload"));
}

// ---------------------------------------------------------------------------------------------
// export

/// DOMAIN.md §5's columns, then the sent dates of the other referrals (an extension).
const IMPORT_COLUMNS: [&str; 25] = [
    "crn",
    "name",
    "noms",
    "prison",
    "officer",
    "team",
    "rosh",
    "mappa",
    "release_date",
    "release_type",
    "accommodation",
    "dtr",
    "dtr_date",
    "crs",
    "cas3",
    "ap",
    "ap_required",
    "cas2",
    "friday_release",
    "confirmed_day",
    "notes",
    "crs_date",
    "cas3_date",
    "ap_date",
    "cas2_date",
];

#[test]
fn export_round_trips_through_import() {
    let env = Env::new();
    env.import_caseload();
    let file = env.path("export.csv");
    let out = env.ok(&[
        "export",
        "--format",
        "csv",
        "--output",
        file.to_str().unwrap(),
    ]);
    assert!(out.contains("Wrote 14 cases"), "{out}");
    let text = std::fs::read_to_string(&file).unwrap();
    // UTF-8 with a byte-order mark, which Excel needs to read accents right.
    let body = text.strip_prefix('\u{feff}').expect("a byte-order mark");
    let (header, rows) = parse_csv(body);
    assert_eq!(header, IMPORT_COLUMNS);
    assert_eq!(rows.len(), 14);
    // Stdout export is the same text.
    assert_eq!(env.ok(&["export", "--format", "csv"]), text);

    let other = Env::new();
    let imported = other.import(&file);
    assert!(imported.contains("14 new"), "{imported}");
    assert_eq!(other.list_all(), env.list_all());
    assert_eq!(
        other.ok(&["gaps", "--format", "json"]),
        env.ok(&["gaps", "--format", "json"])
    );
    // And importing the export back into the source changes nothing.
    let same = env.import(&file);
    assert!(same.contains("0 new, 0 updated, 14 unchanged"), "{same}");
}

#[test]
fn export_defuses_spreadsheet_formulas() {
    let env = Env::new();
    let file = env.path("notes.csv");
    std::fs::write(
        &file,
        "crn,name,release_date,notes\n\
         X700001,Ann Example,2026-11-23,=HYPERLINK(\"http://example.invalid\")\n\
         X700002,Bob Example,2026-11-23,@SUM(A1)\n\
         X700003,Cat Example,2026-11-23,Ring the council\n",
    )
    .unwrap();
    env.import(&file);
    let out = env.path("out.csv");
    env.ok(&[
        "export",
        "--format",
        "csv",
        "--output",
        out.to_str().unwrap(),
    ]);
    let (header, rows) = parse_csv(&std::fs::read_to_string(&out).unwrap());
    let (crn, notes) = (column(&header, "crn"), column(&header, "notes"));
    let note = |c: &str| rows.iter().find(|r| r[crn] == c).unwrap()[notes].clone();
    assert_eq!(note("X700001"), "'=HYPERLINK(\"http://example.invalid\")");
    assert_eq!(note("X700002"), "'@SUM(A1)");
    assert_eq!(note("X700003"), "Ring the council");
    // The stored note is unchanged.
    let list = env.list_all();
    assert_eq!(
        s(by_crn(&list, "X700001"), "notes"),
        "=HYPERLINK(\"http://example.invalid\")"
    );
    // The duty sheet's CSV defuses too (all three are due today).
    let (header, rows) = parse_csv(&env.ok(&["today", "--format", "csv"]));
    let (crn, notes) = (column(&header, "crn"), column(&header, "notes"));
    let sheet_note = |c: &str| rows.iter().find(|r| r[crn] == c).unwrap()[notes].clone();
    assert_eq!(sheet_note("X700002"), "'@SUM(A1)");
}

// ---------------------------------------------------------------------------------------------
// the command line itself

#[test]
fn today_accepts_british_dates() {
    let env = Env::new();
    env.import_caseload();
    let iso = env.ok(&["today", "--format", "json"]);
    let british = stdout_of(env.cmd_on("23/11/2026", &["today", "--format", "json"]));
    assert_eq!(iso, british);
    let list = parse_json_array(&stdout_of(
        env.cmd_on("23/11/2026", &["list", "--format", "json"]),
    ));
    assert_eq!(list.len(), 12);
}

#[test]
fn a_bad_today_is_refused_clearly() {
    let env = Env::new();
    for (bad, why) in [
        ("2026-02-30", "no day 30"),
        ("11/23/2026", "British order"),
        ("tomorrow", "YYYY-MM-DD"),
    ] {
        let out = env
            .cmd_on(bad, &["list"])
            .assert()
            .failure()
            .code(2)
            .get_output()
            .clone();
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains("--today"), "{err}");
        assert!(err.contains(bad), "{err}");
        assert!(err.contains(why), "{bad}: {err}");
        assert!(out.stdout.is_empty());
    }
    assert!(!env.db().exists(), "nothing was opened or created");
}

#[test]
fn an_unknown_format_is_refused_by_the_parser() {
    let env = Env::new();
    for args in [
        &["list", "--format", "xml"][..],
        &["gaps", "--format", "markdown"][..],
        &["clusters", "--format", "csv"][..],
        &["today", "--format", "pdf"][..],
        &["export", "--format", "xlsx"][..],
    ] {
        let out = env
            .cmd(args)
            .assert()
            .failure()
            .code(2)
            .get_output()
            .clone();
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains("invalid value"), "{args:?}: {err}");
        assert!(err.contains("possible values"), "{args:?}: {err}");
    }
}

#[test]
fn a_missing_import_file_is_a_clear_failure() {
    let env = Env::new();
    let missing = env.path("nope.csv");
    let err = env.fails(&["import", missing.to_str().unwrap()]);
    assert!(err.contains("nope.csv"), "{err}");
    assert!(err.contains("was not imported"), "{err}");
}

#[cfg(unix)]
#[test]
fn the_database_file_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    env.import_caseload();
    let mode = std::fs::metadata(env.db()).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "mode {:o}", mode & 0o777);
}
