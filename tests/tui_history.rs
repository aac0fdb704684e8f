//! A case's history on screen is read when its detail opens (or the case under the Releases
//! pane changes) and again after a change to it, never while drawing; a history that cannot be
//! read says so rather than showing as empty.

mod common;

use chrono::{NaiveDate, NaiveDateTime};
use common::{press, screen};
use releaseday::domain::case::Case;
use releaseday::query::{Planner, Settings};
use releaseday::store::SqliteStore;
use releaseday::tui::app::App;
use releaseday::tui::theme::Theme;
use std::path::Path;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn clock() -> NaiveDateTime {
    today().and_hms_opt(9, 14, 0).unwrap()
}

fn app(path: &Path) -> App {
    let settings = Settings {
        who: "tester".into(),
        ..Settings::default()
    };
    let mut planner = Planner::new(SqliteStore::open(path).unwrap(), settings).unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let cases: Vec<Case> = [("X920001", "Ann First"), ("X920002", "Bea Second")]
        .iter()
        .map(|(crn, name)| Case::new(crn.parse().unwrap(), *name, day))
        .collect();
    planner.put_cases(&cases, "importer").unwrap();
    App::new(planner, today(), Box::new(clock), Theme::mono()).unwrap()
}

#[test]
fn the_detail_shows_the_history_read_on_open_and_after_a_change() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app(&dir.path().join("h.db"));
    press(&mut a, "<Enter>");
    let s = screen(&mut a, 120, 60);
    assert!(s.contains("case created"), "{s}");
    // Notes are the last editable field but one: edit them from the detail.
    let notes = releaseday::domain::fields::Field::EDITABLE
        .iter()
        .position(|f| *f == releaseday::domain::fields::Field::Notes)
        .unwrap();
    press(
        &mut a,
        &format!("e{}<Enter>Meet at gate<Enter>", "j".repeat(notes)),
    );
    let s = screen(&mut a, 120, 60);
    assert!(s.contains("notes (blank) → Meet at gate"), "{s}");
}

#[test]
fn a_history_that_cannot_be_read_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let mut a = app(&path);
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("ALTER TABLE audit RENAME TO gone")
        .unwrap();
    press(&mut a, "<Enter>");
    let s = screen(&mut a, 120, 60);
    assert!(s.contains("The history could not be read"), "{s}");
    assert!(!s.contains("no changes recorded"), "{s}");
    // The wide pane beside the list reads it for the case under the cursor, and says so too.
    press(&mut a, "<Esc>j");
    a.resized(160); // as the terminal says when its window is widened
    let s = screen(&mut a, 160, 64);
    assert!(s.contains("Bea Second"), "{s}");
    assert!(s.contains("The history could not be read: "), "{s}");
    assert!(s.contains("audit"), "the store's reason: {s}");
}
