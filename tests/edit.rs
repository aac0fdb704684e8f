//! End to end: `releaseday edit`, `releaseday checkin` and the demo file's safety
//! (DOMAIN.md §6), with the real binary on a real SQLite file in a temporary folder.
//!
//! T = Tue 1 Dec 2026. Cases are invented.

mod common;

use assert_cmd::Command;
use common::cli::Env;
use serde_json::Value;
use std::path::Path;

const TODAY: &str = "2026-12-01";

const CASES: &str = "crn,name,release_date,release_type,accommodation,officer\n\
X200001,Ann Example,2026-12-10,CRD,NFA,Priya Shah\n\
X200002,Bob Sample,2026-12-01,CRD,SETTLED,Sam Ellery\n\
X200003,Cy Invented,2027-02-15,HDC,UNKNOWN,\n";

impl Env {
    /// The cases above, imported, on T.
    fn with_cases() -> Env {
        let env = Env::new().on(TODAY);
        env.import_csv("cases.csv", CASES);
        env
    }

    fn history(&self) -> Vec<Audit> {
        history(&self.db())
    }
}

/// (who, field, old, new)
type Audit = (String, String, Option<String>, Option<String>);

/// The audit rows about cases, oldest first, read from the file itself.
fn history(db: &Path) -> Vec<Audit> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut st = conn
        .prepare("SELECT who, field, old, new FROM audit WHERE crn IS NOT NULL ORDER BY id")
        .unwrap();
    let rows = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap();
    rows.map(Result::unwrap).collect()
}

#[test]
fn edit_saves_every_change_at_once_and_prints_the_case_as_json() {
    let env = Env::with_cases();
    let out = env.ok(&[
        "edit",
        "X200001",
        "dtr=SUBMITTED",
        "dtr_date=2026-11-20",
        "accommodation=CAS3",
        "--format",
        "json",
    ]);
    // JSON is an array of objects (DOMAIN.md §6): here the one case changed.
    let all: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(all.as_array().map(Vec::len), Some(1), "{out}");
    let after = &all[0];
    assert_eq!(after["crn"], "X200001");
    assert_eq!(after["dtr"], "SUBMITTED");
    assert_eq!(after["dtr_date"], "2026-11-20");
    assert_eq!(after["accommodation"], "CAS3");
    // The same case as `list` shows it now.
    assert_eq!(env.case("X200001")["accommodation"], "CAS3");
    // The DTR flag cleared with the referral sent.
    let codes: Vec<&str> = after["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(!codes.contains(&"DTR_NOT_SENT"), "{codes:?}");
}

#[test]
fn edit_table_says_old_and_new_and_a_sent_referral_is_dated_today() {
    let env = Env::with_cases();
    let out = env.ok(&["edit", "X200001", "crs=live"]);
    assert!(out.starts_with("Saved X200001: 2 changes."), "{out}");
    assert!(out.contains("crs: blank → LIVE"), "{out}");
    assert!(out.contains("crs_date: blank → 2026-12-01"), "{out}");
    // Saving the same again changes nothing and says so.
    let again = env.ok(&["edit", "X200001", "crs=LIVE"]);
    assert!(again.contains("nothing changed"), "{again}");
}

#[test]
fn a_bad_field_or_value_changes_nothing_and_fails() {
    let env = Env::with_cases();
    let before = env.case("X200001");
    for (args, says) in [
        (
            vec!["dtr=SUBMITTED", "cas3=BOOKED"],
            "cas3: \"BOOKED\" is not a CAS3 status",
        ),
        (
            vec!["dtr=SUBMITTED", "shoe_size=9"],
            "\"shoe_size\" is not a field",
        ),
        (vec!["accommodation"], "is not FIELD=VALUE"),
        (vec!["name="], "name: it cannot be blank"),
        (
            vec!["dtr_date=2026-12-20", "dtr=SUBMITTED"],
            "is after today (Tue 1 Dec)",
        ),
        (
            vec!["dtr_date=2026-11-20"],
            "DTR date sent is only for a referral that was sent",
        ),
        (vec!["confirmed_day=20/13/2026"], "there is no month 13"),
    ] {
        let mut all = vec!["edit", "X200001"];
        all.extend(args.iter());
        let err = env.fails(&all);
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(err.contains("Nothing was changed"), "{err}");
        assert!(!err.contains("Ann"), "no name in errors: {err}");
    }
    assert_eq!(env.case("X200001"), before, "nothing was written");
    let err = env.fails(&["edit", "X299999", "dtr=SUBMITTED"]);
    assert!(err.contains("no case with that CRN"), "{err}");
    let err = env.fails(&["edit", "nonsense", "dtr=SUBMITTED"]);
    assert!(err.contains("is not a CRN"), "{err}");
}

#[test]
fn a_non_working_confirmed_day_needs_yes() {
    let env = Env::with_cases();
    // Sun 6 Dec 2026.
    let err = env.fails(&["edit", "X200001", "confirmed_day=2026-12-06"]);
    assert!(err.contains("Sun 6 Dec 2026 is not a working day"), "{err}");
    assert!(err.contains("--yes"), "{err}");
    assert_eq!(env.case("X200001")["expected_day"], "2026-12-10");
    env.ok(&["edit", "X200001", "confirmed_day=2026-12-06", "--yes"]);
    assert_eq!(env.case("X200001")["expected_day"], "2026-12-06");
}

#[test]
fn edits_are_audited_under_the_officer() {
    let env = Env::with_cases();
    env.ok(&["edit", "X200002", "notes=rang the hostel", "officer="]);
    let history = env.history();
    let edits: Vec<_> = history
        .iter()
        .filter(|(_, field, _, _)| field == "notes" || field == "officer")
        .collect();
    assert_eq!(edits.len(), 2, "{history:?}");
    assert_eq!(edits[0].1, "officer");
    assert_eq!(edits[0].2.as_deref(), Some("Sam Ellery"));
    assert_eq!(edits[0].3, None);
    assert_eq!(edits[1].3.as_deref(), Some("rang the hostel"));
}

#[test]
fn checkin_records_the_time_and_undo_takes_it_back() {
    let env = Env::with_cases();
    let out = env.ok(&["checkin", "X200002"]);
    assert!(out.starts_with("X200002 reported at "), "{out}");
    let case = env.case("X200002");
    assert_eq!(case["reported"], true);
    let at = case["reported_at"].as_str().unwrap().to_string();
    assert!(at.starts_with("2026-12-01T"), "dated --today: {at}");
    // Again: the first time is kept.
    let again = env.ok(&["checkin", "X200002"]);
    assert!(again.contains("already reported"), "{again}");
    assert_eq!(env.case("X200002")["reported_at"].as_str().unwrap(), at);
    // Taken back.
    let json: Value =
        serde_json::from_str(&env.ok(&["checkin", "X200002", "--undo", "--format", "json"]))
            .unwrap();
    assert_eq!(json[0]["reported"], false);
    assert_eq!(env.case("X200002")["reported"], false);
    let out = env.ok(&["checkin", "X200002", "--undo"]);
    assert!(out.contains("not marked reported"), "{out}");
    assert!(env
        .fails(&["checkin", "X299999"])
        .contains("no case with that CRN"));
}

/// Nobody reports in before they are out: as on the screens, a check-in for someone whose
/// release day is still ahead is refused, naming the day, and nothing is written.
#[test]
fn checkin_of_someone_not_yet_due_is_refused() {
    let env = Env::with_cases();
    let err = env.fails(&["checkin", "X200001"]);
    assert!(
        err.contains("is not due out until Thu 10 Dec 2026"),
        "{err}"
    );
    assert!(err.starts_with("Nothing was changed"), "{err}");
    assert_eq!(env.case("X200001")["reported"], false);
    // Taking a mark back is never refused for the day.
    assert!(env
        .ok(&["checkin", "X200001", "--undo"])
        .contains("not marked reported"));
}

// ---------------------------------------------------------------------------------------------
// The demo file

/// A run with `RELEASEDAY_DB` naming `real` and the data folder under `home`.
fn with_real_db(home: &Path, real: &Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("releaseday")
        .unwrap()
        .env("RELEASEDAY_DB", real)
        .env("RELEASEDAY_CONFIG", home.join("config.toml"))
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("APPDATA", home.join("appdata"))
        .env("NO_COLOR", "1")
        .arg("--today")
        .arg(TODAY)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_demo_never_writes_to_the_database_releaseday_db_names() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("team.db");
    let out = with_real_db(dir.path(), &real, &["demo", "--cases", "20"]);
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    // It says where it wrote: the demo file in the data folder, not team.db.
    assert!(said.contains("releaseday-demo.db"), "{said}");
    assert!(!real.exists(), "team.db was created");
    let out = with_real_db(dir.path(), &real, &["--demo", "list"]);
    assert!(out.status.success(), "{out:?}");
    assert!(!real.exists(), "--demo wrote team.db");
}

#[test]
fn the_demo_file_keeps_its_edits_until_reset() {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo.db");
    let run = |today: &str, args: &[&str]| -> String {
        let out = Command::cargo_bin("releaseday")
            .unwrap()
            .env_remove("RELEASEDAY_DB")
            .env("RELEASEDAY_CONFIG", dir.path().join("config.toml"))
            .env("NO_COLOR", "1")
            .arg("--db")
            .arg(&demo)
            .arg("--today")
            .arg(today)
            .args(args)
            .assert()
            .success()
            .get_output()
            .clone();
        String::from_utf8(out.stdout).unwrap()
    };
    let wrote = run(TODAY, &["demo", "--cases", "40", "--seed", "3"]);
    assert!(
        wrote.contains(demo.to_str().unwrap()),
        "names the file: {wrote}"
    );
    let list = |today: &str| -> Vec<Value> {
        serde_json::from_str(&run(
            today,
            &[
                "--demo",
                "list",
                "--from",
                "2000-01-01",
                "--to",
                "2100-01-01",
                "--format",
                "json",
            ],
        ))
        .unwrap()
    };
    let first = list(TODAY);
    assert_eq!(first.len(), 40);
    let crn = first[0]["crn"].as_str().unwrap().to_string();
    run(TODAY, &["edit", &crn, "notes=an edit in the demo"]);
    // Another day, read-only commands and --demo: the demo is not rebuilt and the edit stays.
    let later = list("2026-12-08");
    assert_eq!(later.len(), 40);
    let edited = later.iter().find(|c| c["crn"] == crn.as_str()).unwrap();
    assert_eq!(edited["notes"], "an edit in the demo");
    // `demo` without --reset keeps it too, and says so.
    let kept = run("2026-12-08", &["demo", "--cases", "10"]);
    assert!(kept.contains("--reset"), "{kept}");
    assert_eq!(list("2026-12-08").len(), 40);
    // --reset writes a fresh one, and no history of the old caseload survives.
    run(
        "2026-12-08",
        &["demo", "--reset", "--cases", "10", "--seed", "3"],
    );
    assert_eq!(list("2026-12-08").len(), 10);
    let history = history(&demo);
    let created = history.iter().filter(|h| h.1 == "created").count();
    assert_eq!(created, 10, "one created row per case: {history:?}");
    assert!(history.iter().all(|h| h.1 != "notes"), "{history:?}");
}

#[test]
fn with_user_unset_the_audit_names_the_operating_system_account() {
    let env = Env::with_cases();
    env.cmd(&["edit", "X200002", "notes=no USER here"])
        .env_remove("USER")
        .env_remove("LOGNAME")
        .env_remove("USERNAME")
        .assert()
        .success();
    let (who, ..) = env.history().pop().unwrap();
    assert_ne!(who, "unknown");
    assert_eq!(who, whoami::username());
}
