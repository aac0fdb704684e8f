//! The command line end to end on both engines: the same scripts, run by the real binary
//! against a fresh SQLite file and against a fresh team database on PostgreSQL (signed in as an
//! officer role of every team, never a superuser), must print the same. A representative set
//! of what an officer does: import (with the §5 merge, its conflicts and a dry run), list, gaps,
//! today, clusters, edit, check-in, export, backup and purge (DOMAIN.md §5, §6, §9).
//!
//! The team database runs skip with a printed reason without a server (`source .ci/postgres`
//! in bash first), and fail in CI (`RELEASEDAY_TEST_PG_REQUIRED=1`).

#[path = "common/mod.rs"]
mod common;
#[cfg(feature = "postgres")]
#[path = "common/pg.rs"]
mod pg;
#[cfg(feature = "postgres")]
#[path = "common/team_db.rs"]
mod team_db;

use common::cli::{fixture, parse_csv, s, Env};
use serde_json::Value;

/// A fresh team database set up by its owner, with an officer of every team: `None` (after
/// saying why) without a server.
#[cfg(feature = "postgres")]
fn team_env(test: &str) -> Option<Env> {
    let server: &'static pg::Server = Box::leak(Box::new(pg::server(test)?));
    let team = team_db::TeamDb::set_up(server, "cli");
    let officer = team.officer("officer", &[]);
    let url = server.url(&officer, &team.db, "sslmode=disable");
    // The database goes before the role it grants things to.
    Some(Env::new().on_team(url, team_db::PASSWORD, Box::new((team, officer))))
}

macro_rules! both {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[test]
                fn $test() {
                    super::$test(&super::Env::new())
                }
            )*
        }
        #[cfg(feature = "postgres")]
        mod postgres {
            $(
                #[test]
                fn $test() {
                    if let Some(env) = super::team_env(stringify!($test)) {
                        super::$test(&env)
                    }
                }
            )*
        }
    };
}

fn days(list: &[Value]) -> Vec<(String, String)> {
    list.iter()
        .map(|v| (s(v, "crn").to_string(), s(v, "expected_day").to_string()))
        .collect()
}

fn import_then_list_gaps_today_and_clusters(env: &Env) {
    let out = env.import_file(&fixture("caseload.csv"));
    assert!(
        out.contains("14 new, 0 updated, 0 unchanged, 0 conflicts"),
        "{out}"
    );
    let list = env.json(&["list", "--format", "json"]);
    assert_eq!(
        days(&list)[..6],
        [
            ("X100011".into(), "2026-11-23".into()),
            ("X100012".into(), "2026-11-23".into()),
            ("X100009".into(), "2026-12-03".into()),
            ("X100003".into(), "2026-12-07".into()),
            ("X100006".into(), "2026-12-09".into()),
            ("X100002".into(), "2026-12-10".into()),
        ]
    );
    assert!(
        !list.iter().any(|v| s(v, "crn") == "X100014"),
        "outside 12 weeks"
    );
    let gaps = env.json(&["gaps", "--format", "json"]);
    assert!(gaps
        .iter()
        .any(|g| s(g, "crn") == "X100001" && s(g, "code") == "DTR_NOT_SENT"));
    let sheet = env.json(&["today", "--format", "json"]);
    let crns: Vec<&str> = sheet.iter().map(|v| s(v, "crn")).collect();
    assert_eq!(crns, ["X100011", "X100012", "X100010"]);
    let clusters = env.json(&["clusters", "--format", "json"]);
    let christmas = clusters
        .iter()
        .find(|c| s(c, "day") == "2026-12-23")
        .expect("the Christmas cluster");
    assert_eq!(
        (s(christmas, "kind"), christmas["load"].as_u64()),
        ("holiday", Some(2))
    );
}

fn a_reimport_keeps_planner_work_and_reports_conflicts(env: &Env) {
    env.import_file(&fixture("caseload.csv"));
    let out = env.ok(&["edit", "X100001", "dtr=SUBMITTED", "accommodation=CAS3"]);
    assert!(out.contains("Saved X100001"), "{out}");
    // A fresher export that still says nothing was sent, and moves another case's date.
    let file = env.write(
        "fresh.csv",
        "crn,name,release_date,dtr,accommodation\n\
         X100001,Ann Example,2026-12-24,NOT_SENT,NFA\n\
         X100002,Bob Example,2026-12-17,,\n",
    );
    let file = file.to_str().unwrap();
    let dry = env.ok(&["import", file, "--dry-run"]);
    assert!(
        dry.contains("X100001 dtr: kept SUBMITTED (set in the planner); the file says NOT_SENT"),
        "{dry}"
    );
    assert!(dry.contains("2026-12-10 → 2026-12-17"), "{dry}");
    assert_eq!(
        env.case("X100002")["release_date"],
        "2026-12-10",
        "a dry run writes nothing"
    );
    let out = env.ok(&["import", file]);
    // The accommodation is the planner's too, but the file has not moved: kept, no conflict.
    assert!(
        out.contains("0 new, 1 updated, 1 unchanged, 1 conflict."),
        "{out}"
    );
    let ann = env.case("X100001");
    assert_eq!(
        (s(&ann, "accommodation"), ann["dtr"].as_str()),
        ("CAS3", Some("SUBMITTED"))
    );
    assert_eq!(env.case("X100002")["release_date"], "2026-12-17");
    let out = env.ok(&["import", file, "--prefer-file"]);
    assert!(out.contains("1 updated"), "{out}");
    assert_eq!(s(&env.case("X100001"), "accommodation"), "NFA");
}

fn a_bad_file_writes_nothing_and_names_its_lines(env: &Env) {
    let err = env.fails(&["import", fixture("broken.csv").to_str().unwrap()]);
    assert!(err.contains("line "), "{err}");
    assert!(env.json(&["list", "--format", "json"]).is_empty());
}

fn edit_checks_values_and_changes_nothing_on_a_bad_one(env: &Env) {
    env.import_file(&fixture("caseload.csv"));
    let err = env.fails(&["edit", "X100002", "dtr=MAYBE", "officer=New Person"]);
    assert!(err.contains("dtr"), "{err}");
    assert_eq!(env.case("X100002")["officer"], "Pat Officer");
    let err = env.fails(&["edit", "X199999", "dtr=SUBMITTED"]);
    assert!(!err.contains("X199999 is"), "{err}");
    env.ok(&["edit", "X100002", "officer=New Person"]);
    assert_eq!(env.case("X100002")["officer"], "New Person");
}

fn checkin_and_undo(env: &Env) {
    env.import_file(&fixture("caseload.csv"));
    let out = env.ok(&["checkin", "X100011"]);
    assert!(out.contains("X100011 reported at"), "{out}");
    let reported = |env: &Env| -> bool {
        env.json(&["today", "--format", "json"])
            .iter()
            .find(|v| s(v, "crn") == "X100011")
            .unwrap()["reported"]
            .as_bool()
            .unwrap()
    };
    assert!(reported(env));
    env.ok(&["checkin", "X100011", "--undo"]);
    assert!(!reported(env));
}

fn export_csv_holds_every_case(env: &Env) {
    env.import_file(&fixture("caseload.csv"));
    let out = env.path("all.csv");
    env.ok(&[
        "export",
        "--format",
        "csv",
        "--output",
        out.to_str().unwrap(),
    ]);
    let (header, rows) = parse_csv(&std::fs::read_to_string(&out).unwrap());
    assert_eq!(rows.len(), 14);
    assert_eq!(header[0], "crn");
    // And it imports back into a fresh file unchanged.
    let again = Env::new();
    let summary = again.import_file(&out);
    assert!(summary.contains("14 new"), "{summary}");
}

fn backup_writes_a_sqlite_file_that_lists_the_same(env: &Env) {
    env.import_file(&fixture("caseload.csv"));
    env.ok(&["edit", "X100001", "notes=Rang the council"]);
    let file = env.path("kept.db");
    let out = env.ok(&["backup", file.to_str().unwrap()]);
    assert!(out.contains("Backed up 14 cases"), "{out}");
    let err = env.fails(&["backup", file.to_str().unwrap()]);
    assert!(err.contains("already exists"), "{err}");
    let mut offline = assert_cmd::Command::cargo_bin("releaseday").unwrap();
    offline
        .env_remove("RELEASEDAY_DB")
        .env("NO_COLOR", "1")
        .env("RELEASEDAY_CONFIG", env.path("none.toml"))
        .args(["--today", env.today, "--db"])
        .arg(&file)
        .args(["list", "--format", "json"]);
    let from_backup = common::cli::stdout_of(offline);
    assert_eq!(from_backup, env.ok(&["list", "--format", "json"]));
}

fn purge_removes_released_cases(env: &Env) {
    env.import_file(&fixture("caseload.csv"));
    let dry = env.ok(&["purge", "--released-before", "2026-11-23", "--dry-run"]);
    assert!(dry.contains("Would purge 1 case"), "{dry}");
    let out = env.ok(&["purge", "--released-before", "2026-11-23"]);
    assert!(out.contains("Purged 1 case"), "{out}");
    let all = env.list("2026-01-01", "2027-12-31");
    assert_eq!(all.len(), 13);
    assert!(!all.iter().any(|v| s(v, "crn") == "X100010"));
}

both!(
    import_then_list_gaps_today_and_clusters,
    a_reimport_keeps_planner_work_and_reports_conflicts,
    a_bad_file_writes_nothing_and_names_its_lines,
    edit_checks_values_and_changes_nothing_on_a_bad_one,
    checkin_and_undo,
    export_csv_holds_every_case,
    backup_writes_a_sqlite_file_that_lists_the_same,
    purge_removes_released_cases,
);
