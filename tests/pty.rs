//! The real binary in a pseudo-terminal: it opens on the demo data, switches views on keys,
//! quits on `q`, and leaves the terminal as it found it.

mod common;

use common::pty::{exit_status, spawn, Child, Session};

/// Starts the planner on demo data in a 100×30 pseudo-terminal, with a settings file holding
/// `config` (none when empty).
fn open_planner(config: &str) -> (Session, Child, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let (s, c) = open_on(&dir, &db, config, &["--today", "2026-11-23", "--demo"]);
    (s, c, dir)
}

/// Starts the planner on `db` with `args`, the settings file in `dir`.
fn open_on(
    dir: &tempfile::TempDir,
    db: &std::path::Path,
    config: &str,
    args: &[&str],
) -> (Session, Child) {
    let config_file = dir.path().join("config.toml");
    if !config.is_empty() {
        std::fs::write(&config_file, config).unwrap();
    }
    spawn(db.to_str().unwrap(), &config_file, args)
}

#[test]
fn the_planner_runs_in_a_terminal_and_restores_it_on_quit() {
    let (mut s, mut child, _dir) = open_planner("");

    // The command bar is the last line drawn, so once it shows the frame is whole.
    let first = s.wait_for("q quit");
    assert!(first.contains("Upcoming releases"), "{first}");
    assert!(first.contains("Mon 23 Nov 2026"), "{first}");

    s.send("3");
    let cal = s.wait_for("Clusters in the next 12 months");
    assert!(cal.contains("Mo Tu We"), "{cal}");

    s.send("4");
    s.wait_for("Expected today");

    s.send("?");
    s.wait_for("Keys in Today");
    s.send("x"); // any key closes help
    s.send("q");

    let status = exit_status(&mut child);
    assert!(status.success(), "exit status {status:?}");
    s.drain();
    let raw = String::from_utf8_lossy(&s.raw);
    // The alternate screen was entered and left again, and the cursor shown.
    assert!(raw.contains("\x1b[?1049h"), "entered the alternate screen");
    assert!(raw.contains("\x1b[?1049l"), "left the alternate screen");
    assert!(raw.rfind("\x1b[?1049l") > raw.rfind("\x1b[?1049h"));
    assert!(raw.contains("\x1b[?25h"), "cursor shown again");
}

#[test]
fn keys_and_theme_come_from_the_settings_file() {
    let (mut s, mut child, _dir) = open_planner(
        "[keys]\nquit = \"Q\"\nshow_gaps = \"g\"\nfirst = \"Home\"\n[screen]\ntheme = \"mono\"\n",
    );
    // The command bar shows the rebound key.
    s.wait_for("Q quit");
    s.send("g");
    s.wait_for("sorted by severity");
    s.send("q"); // no longer quits
    s.send("4");
    s.wait_for("Expected today");
    assert!(
        child.try_wait().unwrap().is_none(),
        "q should not quit any more"
    );
    s.send("Q");
    assert!(exit_status(&mut child).success());
    s.drain();
    // mono: no colour escapes at all (38;… foreground, 48;… background).
    let raw = String::from_utf8_lossy(&s.raw);
    assert!(
        !raw.contains("[38;") && !raw.contains("[48;"),
        "colour under the mono theme"
    );
}

/// The real binary: `/` finds someone released weeks before the days the screens hold, whose
/// mistaken check-in is then taken back from the case's detail, and the file says so.
#[test]
fn search_reaches_an_earlier_release_and_its_check_in_is_taken_back() {
    use releaseday::domain::case::Case;
    use releaseday::store::SqliteStore;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cases.db");
    let day = chrono::NaiveDate::from_ymd_opt(2026, 10, 28).unwrap();
    let crn: releaseday::domain::case::Crn = "X900030".parse().unwrap();
    {
        let mut store = SqliteStore::open(&db).unwrap();
        store
            .upsert_case(&Case::new(crn.clone(), "Zoë Pastly", day), "import", day)
            .unwrap();
        let soon = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let other = Case::new("X900031".parse().unwrap(), "Al Upcoming", soon);
        store.upsert_case(&other, "import", soon).unwrap();
        store
            .set_reported(&crn, day.and_hms_opt(10, 5, 0), "duty", None)
            .unwrap();
    }
    let (mut s, mut child) = open_on(&dir, &db, "", &["--today", "2026-11-23"]);
    s.wait_for("q quit");
    s.send("/zoe");
    s.wait_for("none here, 1 elsewhere: Enter lists them");
    s.send("\r");
    let list = s.wait_for("Search \"zoe\"");
    assert!(
        list.contains("Wed 28 Oct 2026  past · reported 10:05"),
        "{list}"
    );
    s.send("\r");
    s.wait_for("x not reported");
    s.send("x");
    s.wait_for("Zoë Pastly marked not reported");
    // Esc then q, typed fast, arrive as Alt-q: the detail closes and the q closes the list
    // under it; the next q quits.
    s.send("\x1bq");
    s.send("q");
    let status = exit_status(&mut child);
    assert!(status.success(), "exit status {status:?}");
    let stored = SqliteStore::open(&db).unwrap().get(&crn).unwrap().unwrap();
    assert_eq!(stored.reported_at, None);
}
