//! insta snapshots of every screen on a TestBackend, at 80×24 and 120×40, with the demo
//! caseload (250 cases, seed 1) and a fixed today (Mon 23 Nov 2026, 09:14).
//!
//! The audit log stamps the wall clock, so its times are filtered to `[audit time]`; everything
//! else on screen comes from the fixed today, the fixed clock, the seed and `Settings::who`.
//! Review changes with `cargo insta review`, or regenerate with
//! `INSTA_UPDATE=always cargo test --test tui_snapshots`.

mod common;

use chrono::{NaiveDate, NaiveDateTime};
use common::{press, screen};
use releaseday::domain::demo::{self, DemoOptions};
use releaseday::query::{Planner, Settings};
use releaseday::store::SqliteStore;
use releaseday::tui::app::App;
use releaseday::tui::theme::Theme;
use releaseday::tui::ViewId;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn clock() -> NaiveDateTime {
    today().and_hms_opt(9, 14, 0).unwrap()
}

fn settings() -> Settings {
    Settings {
        who: "tester".into(),
        ..Settings::default()
    }
}

/// The planner on an in-memory store holding only the demo caseload.
fn app() -> App {
    let mut planner = Planner::new(SqliteStore::open_in_memory().unwrap(), settings()).unwrap();
    let cases = demo::generate(
        &DemoOptions {
            cases: 250,
            seed: 1,
            weeks: 16,
        },
        today(),
        &planner.cal,
    );
    planner.put_cases(&cases, "test").unwrap();
    App::new(planner, today(), Box::new(clock), Theme::mono()).unwrap()
}

/// The planner on an empty in-memory store.
fn empty_app() -> App {
    let planner = Planner::new(SqliteStore::open_in_memory().unwrap(), settings()).unwrap();
    App::new(planner, today(), Box::new(clock), Theme::mono()).unwrap()
}

/// Snapshots a screen, with the audit log's wall-clock times masked. The mask is as wide as
/// the time it hides ("2026-11-23 17:00 UTC"), so the popup's right border stays in line.
fn snap(name: &str, text: &str) {
    insta::with_settings!({
        filters => vec![(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", "[audit time]        ")],
        prepend_module_to_snapshot => true,
    }, {
        insta::assert_snapshot!(name, text);
    });
}

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

#[test]
fn every_view_at_80x24_and_120x40() {
    for (key, view, name) in [
        ("1", ViewId::Releases, "releases"),
        ("2", ViewId::Gaps, "gaps"),
        ("3", ViewId::Calendar, "calendar"),
        ("4", ViewId::Today, "today"),
        ("5", ViewId::Handovers, "handovers"),
    ] {
        for (w, h) in SIZES {
            // A fresh app per size, so one size's layout cannot leave scroll state for the next.
            let mut a = app();
            press(&mut a, key);
            assert_eq!(a.view, view);
            snap(&format!("{name}_{w}x{h}"), &screen(&mut a, w, h));
        }
    }
}

#[test]
fn case_detail_popup_at_120x40() {
    let mut a = app();
    press(&mut a, "<Enter>");
    assert!(!a.popups.is_empty(), "Enter opens the case");
    let s = screen(&mut a, 120, 40);
    // Who holds the case and the morning's readiness (DOMAIN.md §7, §8) come before the
    // referrals; the history is further down (its time is the wall clock's: snapshots mask it).
    assert!(
        s.contains("Handover (OMiC)") && s.contains("Held by") && s.contains("Release morning"),
        "{s}"
    );
    snap("detail_popup_120x40", &s);
}

#[test]
fn help_popup_at_80x24() {
    let mut a = app();
    press(&mut a, "?");
    snap("help_popup_80x24", &screen(&mut a, 80, 24));
}

#[test]
fn edit_menu_at_80x24() {
    let mut a = app();
    press(&mut a, "e");
    assert!(!a.popups.is_empty(), "e opens the edit menu");
    snap("edit_menu_80x24", &screen(&mut a, 80, 24));
}

#[test]
fn filter_values_for_accommodation_at_80x24() {
    let mut a = app();
    // f → Accommodation, the 5th dimension.
    press(&mut a, "fjjjj<Enter>");
    let s = screen(&mut a, 80, 24);
    assert!(s.contains("nowhere to go"), "{s}");
    snap("filter_accommodation_80x24", &s);
}

#[test]
fn calendar_day_list_on_23_december_at_120x40() {
    let mut a = app();
    // Calendar → one month on (Mon 23 Nov → Wed 23 Dec) → into the day's list.
    press(&mut a, "3]<Enter>");
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("23 Dec"), "{s}");
    snap("calendar_23_dec_list_120x40", &s);
}

#[test]
fn welcome_screen_of_an_empty_database_at_80x24() {
    let mut a = empty_app();
    snap("welcome_80x24", &screen(&mut a, 80, 24));
}

#[test]
fn too_small_message_at_60x20() {
    let mut a = app();
    snap("too_small_60x20", &screen(&mut a, 60, 20));
}

#[test]
fn releases_with_the_wide_detail_pane_at_160x48() {
    let mut a = app();
    // As the terminal says on opening: the pane is on screen, so its history is read.
    a.resized(160);
    snap("releases_detail_pane_160x48", &screen(&mut a, 160, 48));
}

#[test]
fn search_results_across_the_database_at_80x24() {
    let mut a = app();
    // "mal" matches upcoming releases and someone released last week, not yet reported.
    press(&mut a, "/mal");
    let line = screen(&mut a, 80, 24);
    assert!(line.contains("elsewhere"), "{line}");
    press(&mut a, "<Tab>");
    let s = screen(&mut a, 80, 24);
    assert!(s.contains("Not in this view"), "{s}");
    snap("search_results_80x24", &s);
}

#[test]
fn a_confirmed_day_on_a_sunday_asks_at_80x24() {
    let mut a = app();
    let n = releaseday::domain::fields::Field::EDITABLE
        .iter()
        .position(|f| *f == releaseday::domain::fields::Field::ConfirmedDay)
        .unwrap();
    press(
        &mut a,
        &format!("e{}<Enter>10/01/2027<Enter>", "j".repeat(n)),
    );
    snap("confirm_sunday_80x24", &screen(&mut a, 80, 24));
}

#[test]
fn filter_counts_within_a_filter_in_force_at_80x24() {
    let mut a = app();
    // Nowhere to go first, then the officers' counts among those cases only.
    press(&mut a, "fjjjj<Enter><Enter>f<Enter>");
    let s = screen(&mut a, 80, 24);
    assert!(
        s.contains("counted within Accommodation: nowhere to go"),
        "{s}"
    );
    snap("filter_officers_within_nowhere_to_go_80x24", &s);
}
