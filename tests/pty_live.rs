//! Two officers, two real planners, one database (issue 13 §4 and §5): the binary twice, each
//! in a pseudo-terminal of its own. Planner A marks someone reported and edits a note; planner
//! B's screen shows both without a key pressed, keeps B's half-typed note, refuses B's save
//! over A's change naming who changed what, and saves it once B has seen theirs.
//!
//! The test is written once over the `--db` argument both planners are given, and run on the
//! SQLite file and on a team database (an officer role's URL; its audit names the role).

mod common;
#[path = "common/pg.rs"]
mod pg;
#[path = "common/team_db.rs"]
mod team_db;

use common::pty::{exit_status, spawn, Child, Session};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

const TODAY: &str = "2026-11-23";

#[test]
fn two_planners_on_one_sqlite_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("team.db");
    two_planners(db.to_str().unwrap(), dir.path(), "Priya A");
}

#[test]
fn two_planners_on_one_team_database() {
    let Some(server) = pg::server("pty_live_team") else {
        return;
    };
    let team = team_db::TeamDb::set_up(&server, "pty_live");
    let officer = team.officer("duty", &[]);
    // The password in the URL, as both planners and the command line need it.
    let url = format!(
        "postgres://{}:{}@{}:{}/{}?sslmode=disable",
        officer.name,
        team_db::PASSWORD,
        server.host,
        server.port,
        team.db.name
    );
    let dir = tempfile::tempdir().unwrap();
    // Both planners sign in as one officer role, which the audit names.
    two_planners(&url, dir.path(), &officer.name);
}

/// The command line on `db` (a file or a team database's URL), with settings that name no
/// officer.
fn releaseday(db: &str, dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_releaseday"));
    c.env_remove("RELEASEDAY_DB")
        .env("RELEASEDAY_CONFIG", dir.join("no-settings.toml"))
        .env("NO_COLOR", "1")
        .args(["--db", db, "--today", TODAY]);
    c
}

/// A planner on `db` for the officer `name` (their settings file in `dir`).
fn planner(db: &str, dir: &Path, name: &str) -> (Session, Child) {
    let config = dir.join(format!("{}.toml", name.replace(' ', "-")));
    std::fs::write(&config, format!("[officer]\nname = \"{name}\"\n")).unwrap();
    let (mut s, c) = spawn(db, &config, &["--today", TODAY]);
    s.wait_for("q quit");
    (s, c)
}

/// Annika Zed's notes as stored, read by the command line.
fn stored_notes(db: &str, dir: &Path) -> serde_json::Value {
    let out = releaseday(db, dir)
        .args(["list", "--format", "json", "--to", "2027-01-31"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let list = list.as_array().expect("a JSON list");
    let annika = list
        .iter()
        .find(|c| c["crn"] == "X900001")
        .expect("Annika listed");
    annika["notes"].clone()
}

/// `a_is`: the name the database records for planner A's officer (the settings file's name on
/// SQLite; a team database may record the signed-in role instead).
fn two_planners(db: &str, dir: &Path, a_is: &str) {
    let csv = dir.join("cases.csv");
    std::fs::write(
        &csv,
        "crn,name,release_date,accommodation,notes\n\
         X900001,Annika Zed,2026-12-24,NFA,\n\
         X900002,Bo Today,2026-11-23,NFA,\n\
         X900003,Cy Today,2026-11-23,SETTLED,\n",
    )
    .unwrap();
    let out = releaseday(db, dir)
        .arg("import")
        .arg(&csv)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let (mut a, mut a_child) = planner(db, dir, "Priya A");
    let (mut b, mut b_child) = planner(db, dir, "Sam B");

    // A marks Bo reported on the duty sheet; B's sheet says so without a key.
    a.send("4");
    a.wait_for("0 reported");
    b.send("4");
    b.wait_for("0 reported");
    a.send("r");
    a.wait_for("Bo Today reported at");
    let marked = Instant::now();
    b.wait_for("1 reported");
    eprintln!(
        "B's duty sheet showed A's check-in {} ms after A's screen did",
        marked.elapsed().as_millis()
    );

    // B starts a note on Annika; A saves a different one meanwhile.
    b.send("1");
    b.send("/annika\r");
    b.wait_for("Showing only search \"annika\"");
    b.send("e");
    b.wait_for("Edit Annika Zed");
    let notes = releaseday::domain::fields::Field::EDITABLE
        .iter()
        .position(|f| *f == releaseday::domain::fields::Field::Notes)
        .unwrap();
    b.send(&"j".repeat(notes));
    b.send("\r");
    b.wait_for("Notes — Enter save");
    b.send("from B");
    b.wait_for("from B");

    a.send("1");
    a.send("/annika\r");
    a.wait_for("Showing only search \"annika\"");
    a.send("e");
    a.wait_for("Edit Annika Zed");
    a.send(&"j".repeat(notes));
    a.send("\r");
    a.wait_for("Notes — Enter save");
    a.send("from A\r");
    a.wait_for("Saved Notes: from A");
    let saved = Instant::now();

    // B's form stays open, typing kept, and says the case changed; no key was pressed.
    let s = b.wait_for("Changed on another planner");
    eprintln!(
        "B's form said the case changed {} ms after A's save",
        saved.elapsed().as_millis()
    );
    assert!(s.contains("from B"), "{s}");

    // B's save is refused, naming A and what is there now; A's note stands.
    b.send("\r");
    let s = b.wait_for(&format!("Not saved: {a_is} changed this case"));
    assert!(s.contains("from A"), "what is there now: {s}");
    assert!(s.contains("from B"), "B's typing is kept: {s}");
    assert_eq!(stored_notes(db, dir), "from A");

    // Having seen A's note, B saves over it knowingly; A's open detail shows B's.
    b.send("\r");
    b.wait_for("Saved Notes: from B");
    assert_eq!(stored_notes(db, dir), "from B");
    a.send("\r");
    a.wait_for("Case —");
    a.send(&"j".repeat(20));
    a.wait_until("A's detail showing B's note", |s| {
        s.contains("Case —") && s.contains("from B")
    });

    a.send("\x1b");
    a.send("q");
    b.send("q");
    assert!(exit_status(&mut a_child).success());
    assert!(exit_status(&mut b_child).success());
}
