//! Key sequences through the planner's screens on a TestBackend: what an officer types, and
//! what the screen and the database show afterwards.

mod common;

use chrono::{NaiveDate, NaiveDateTime};
use common::{press, screen};
use releaseday::domain::case::{Accommodation, Case, CrsStatus, DtrStatus};
use releaseday::domain::fields::Field;
use releaseday::io::demo::{self, DemoOptions};
use releaseday::query::{Planner, Settings};
use releaseday::store::Store;
use releaseday::tui::app::App;
use releaseday::tui::theme::Theme;
use releaseday::tui::ViewId;
use std::path::Path;

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

fn planner_with(store: Store, extra: &[Case]) -> Planner {
    let mut planner = Planner::new(store, settings()).unwrap();
    let mut cases = demo::generate(
        &DemoOptions {
            cases: 120,
            seed: 4,
            weeks: 16,
        },
        today(),
        &planner.cal,
    );
    cases.extend_from_slice(extra);
    let cal = planner.cal.clone();
    planner
        .store
        .insert_many(&cases, "test", &|c| cal.expected_day(c))
        .unwrap();
    planner
}

/// A homeless person due on Christmas Eve with nothing sent, and someone due today.
fn known_cases() -> Vec<Case> {
    let mut ann = Case::new(
        "X900001".parse().unwrap(),
        "Annika Zed",
        NaiveDate::from_ymd_opt(2026, 12, 24).unwrap(),
    );
    ann.accommodation = Accommodation::Nfa;
    ann.officer = Some("Test Officer".into());
    let mut bo = Case::new("X900002".parse().unwrap(), "Bo Today", today());
    bo.accommodation = Accommodation::Nfa;
    bo.officer = Some("Test Officer".into());
    vec![ann, bo]
}

fn app_on(store: Store) -> App {
    let planner = planner_with(store, &known_cases());
    App::new(planner, today(), Box::new(clock), Theme::mono()).unwrap()
}

fn app() -> App {
    app_on(Store::open_in_memory().unwrap())
}

/// Keys that open the edit menu on `field` of the selected case.
fn edit(field: Field) -> String {
    let n = Field::EDITABLE.iter().position(|f| *f == field).unwrap();
    format!("e{}<Enter>", "j".repeat(n))
}

#[test]
fn navigation_moves_the_selection_and_switches_views() {
    let mut a = app();
    let first = a.selected().unwrap();
    press(&mut a, "jj");
    let third = a.selected().unwrap();
    assert_ne!(first, third);
    press(&mut a, "k");
    press(&mut a, "g");
    assert_eq!(a.selected().unwrap(), first);
    press(&mut a, "G");
    assert_ne!(a.selected().unwrap(), first);
    press(&mut a, "2");
    assert_eq!(a.view, ViewId::Gaps);
    press(&mut a, "<Tab>");
    assert_eq!(a.view, ViewId::Calendar);
    press(&mut a, "4");
    assert_eq!(a.view, ViewId::Today);
    press(&mut a, "1");
    assert!(screen(&mut a, 120, 40).contains("Upcoming releases"));
}

#[test]
fn search_narrows_as_you_type_and_esc_clears() {
    let mut a = app();
    press(&mut a, "/annika");
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("Annika Zed"), "{s}");
    assert!(s.contains("Upcoming releases · 1 "), "{s}");
    press(&mut a, "<Enter>");
    assert_eq!(a.selected().unwrap().as_str(), "X900001");
    press(&mut a, "/x90000");
    assert!(
        screen(&mut a, 120, 40).contains("Upcoming releases · 2 "),
        "CRN search"
    );
    press(&mut a, "<Esc>");
    assert!(!a.searching);
    assert!(a.filter.is_empty());
}

#[test]
fn filter_to_everyone_with_nowhere_to_go() {
    let mut a = app();
    // f → Accommodation (5th dimension) → "nowhere to go" (listed first).
    press(&mut a, "fjjjj<Enter><Enter>");
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("Accommodation: nowhere to go"), "{s}");
    let shown: Vec<_> = a
        .data
        .cases
        .iter()
        .filter(|v| a.filter.matches(v))
        .collect();
    assert!(!shown.is_empty());
    assert!(shown.iter().all(|v| v.case.needs_accommodation()));
    press(&mut a, "F");
    assert!(a.filter.is_empty());
}

#[test]
fn editing_a_referral_saves_audits_clears_the_flag_and_undo_restores_it() {
    let mut a = app();
    press(&mut a, "/annika<Enter>");
    let crn = a.selected().unwrap();
    let flags = |a: &App| {
        a.data
            .get(&crn)
            .unwrap()
            .flags
            .iter()
            .map(|f| f.code.as_str())
            .collect::<Vec<_>>()
    };
    assert!(flags(&a).contains(&"DTR_NOT_SENT"));
    // e → Duty to Refer → SUBMITTED (2nd choice).
    press(&mut a, &format!("{}j<Enter>", edit(Field::Dtr)));
    let stored = a.planner.store.get(&crn).unwrap().unwrap();
    assert_eq!(stored.case.dtr, Some(DtrStatus::Submitted));
    assert!(
        !flags(&a).contains(&"DTR_NOT_SENT"),
        "the flag clears at once"
    );
    // Recorded as sent: dated today (the clock's day), in the same save.
    assert_eq!(stored.case.dtr_date, Some(today()));
    let audit = a.planner.store.audit_for(&crn).unwrap();
    let rows: Vec<_> = audit[..2]
        .iter()
        .map(|e| (e.field.as_str(), e.who.as_str()))
        .collect();
    assert!(rows.contains(&("dtr", "tester")), "{rows:?}");
    assert!(rows.contains(&("dtr_date", "tester")), "{rows:?}");
    let s = screen(&mut a, 120, 40);
    assert!(
        s.contains("Saved Duty to Refer: SUBMITTED, DTR date sent Mon 23 Nov"),
        "{s}"
    );

    // One undo takes back the status and the date it filled.
    press(&mut a, "u");
    let stored = a.planner.store.get(&crn).unwrap().unwrap();
    assert_eq!(stored.case.dtr, None);
    assert_eq!(stored.case.dtr_date, None);
    assert!(flags(&a).contains(&"DTR_NOT_SENT"));
    assert!(screen(&mut a, 120, 40).contains("Undone"));
}

#[test]
fn a_bad_date_is_refused_in_the_popup_and_nothing_is_written() {
    let mut a = app();
    press(&mut a, "/annika<Enter>");
    let crn = a.selected().unwrap();
    let before = a.planner.store.get(&crn).unwrap().unwrap();
    // e → Confirmed release day → type a US-order date.
    press(
        &mut a,
        &format!("{}12/24/2026<Enter>", edit(Field::ConfirmedDay)),
    );
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("no month 24"), "{s}");
    assert_eq!(a.planner.store.get(&crn).unwrap().unwrap(), before);
    // Correct it in place: the popup is still open.
    press(
        &mut a,
        "<BS><BS><BS><BS><BS><BS><BS><BS><BS><BS>22/12/2026<Enter>",
    );
    let after = a.planner.store.get(&crn).unwrap().unwrap();
    assert_eq!(
        after.case.confirmed_day,
        NaiveDate::from_ymd_opt(2026, 12, 22)
    );
    assert_eq!(
        a.data.get(&crn).unwrap().expected_day(),
        NaiveDate::from_ymd_opt(2026, 12, 22).unwrap()
    );
}

#[test]
fn check_in_records_the_time_and_undo_takes_it_back() {
    let mut a = app();
    press(&mut a, "4/bo today<Enter>");
    let crn = a.selected().expect("Bo is on today's sheet");
    assert_eq!(crn.as_str(), "X900002");
    press(&mut a, "r");
    let stored = a.planner.store.get(&crn).unwrap().unwrap();
    assert_eq!(stored.reported_at, Some(clock()));
    assert!(screen(&mut a, 120, 40).contains("reported at 09:14"));
    press(&mut a, "u");
    assert_eq!(
        a.planner.store.get(&crn).unwrap().unwrap().reported_at,
        None
    );
}

#[test]
fn an_edit_based_on_a_stale_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.db");
    let mut a = app_on(Store::open(&path).unwrap());
    press(&mut a, "/annika<Enter>");
    let crn = a.selected().unwrap();
    // Meanwhile a second officer, in another process, records a CRS referral.
    let mut other = Store::open(Path::new(&path)).unwrap();
    let mut theirs = other.get(&crn).unwrap().unwrap();
    theirs.case.crs = Some(CrsStatus::Live);
    let day = theirs.expected_day;
    other
        .save_edit(&theirs.case, theirs.version, "duty", day)
        .unwrap();
    // This officer's screen still holds the old version: the edit is refused, not merged.
    press(&mut a, &format!("{}j<Enter>", edit(Field::Dtr)));
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("someone else changed this case"), "{s}");
    let stored = a.planner.store.get(&crn).unwrap().unwrap();
    assert_eq!(
        stored.case.crs,
        Some(CrsStatus::Live),
        "their change survives"
    );
    assert_eq!(stored.case.dtr, None, "ours was not written");
    // The screen reloaded the case, so trying again works.
    press(&mut a, &format!("{}j<Enter>", edit(Field::Dtr)));
    assert_eq!(
        a.planner.store.get(&crn).unwrap().unwrap().case.dtr,
        Some(DtrStatus::Submitted)
    );
}

#[test]
fn help_lists_the_live_bindings_and_small_terminals_get_a_message() {
    let mut a = app();
    press(&mut a, "?");
    let s = screen(&mut a, 120, 40);
    assert!(
        s.contains("Keys in Releases") && s.contains("search") && s.contains("undo"),
        "{s}"
    );
    press(&mut a, "<Esc>");
    let small = screen(&mut a, 70, 20);
    assert!(small.contains("at least 80×24"), "{small}");
    press(&mut a, "q");
    assert!(a.quit);
}

#[test]
fn an_empty_database_shows_the_welcome_screen() {
    let planner = Planner::new(Store::open_in_memory().unwrap(), settings()).unwrap();
    let mut a = App::new(planner, today(), Box::new(clock), Theme::mono()).unwrap();
    let s = screen(&mut a, 80, 24);
    assert!(s.contains("No cases") || s.contains("no cases"), "{s}");
    assert!(
        s.contains("releaseday import") && s.contains("--demo"),
        "{s}"
    );
}

#[test]
fn a_filter_that_hides_the_selected_case_puts_the_cursor_on_the_first_shown() {
    let mut a = app();
    press(&mut a, "jj");
    // Move to someone with somewhere to go, then show only those with nowhere to go.
    while a
        .data
        .get(&a.selected().unwrap())
        .unwrap()
        .case
        .needs_accommodation()
    {
        press(&mut a, "j");
    }
    let hidden = a.selected().unwrap();
    press(&mut a, "fjjjj<Enter><Enter>");
    let first = a
        .data
        .cases
        .iter()
        .find(|v| v.expected_day() >= a.today() && a.filter.matches(v))
        .unwrap();
    assert!(
        !a.filter.matches(a.data.get(&hidden).unwrap()),
        "the case was hidden"
    );
    assert_eq!(a.selected().unwrap(), first.case.crn);
}

#[test]
fn rebound_keys_act_and_the_hints_name_them() {
    let mut a = app();
    let (_, keymap) =
        releaseday::config::parse("[keys]\nclear_filters = \"c\"\nsearch = \"Ctrl-f\"\n").unwrap();
    a.keymap = keymap;
    press(&mut a, "/");
    assert!(
        !screen(&mut a, 120, 40).contains("Enter keeps"),
        "/ no longer searches"
    );
    a.handle_key(ratatui::crossterm::event::KeyEvent::new(
        ratatui::crossterm::event::KeyCode::Char('f'),
        ratatui::crossterm::event::KeyModifiers::CONTROL,
    ));
    assert!(
        screen(&mut a, 120, 40).contains("Enter keeps"),
        "Ctrl-f searches"
    );
    press(&mut a, "qqqzzz<Enter>");
    let s = screen(&mut a, 120, 40);
    assert!(
        s.contains("Nothing matches the search or filter. Esc or c clears it."),
        "{s}"
    );
    assert!(s.contains("Ctrl-f search"), "{s}");
}

/// Popups move with the user's keys too: `down = "n"` moves the edit menu, `edit = "E"` opens
/// it from the case detail, and `j` (no longer bound) does nothing there.
#[test]
fn popups_follow_rebound_movement_and_edit_keys() {
    let mut a = app();
    let (_, keymap) = releaseday::config::parse("[keys]\ndown = \"n\"\nedit = \"E\"\n").unwrap();
    a.keymap = keymap;
    press(&mut a, "/annika<Enter><Enter>");
    press(&mut a, "E");
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("Accommodation"), "the edit menu is open: {s}");
    let n = Field::EDITABLE
        .iter()
        .position(|f| *f == Field::Notes)
        .unwrap();
    press(&mut a, &format!("jjj{}<Enter>", "n".repeat(n)));
    press(&mut a, "moved by n<Enter>");
    let crn = a.selected().unwrap();
    let stored = a.planner.store.get(&crn).unwrap().unwrap();
    assert_eq!(stored.case.notes.as_deref(), Some("moved by n"));
}

/// Saving SUBMITTED again on a case imported as SUBMITTED without a date invents no date.
#[test]
fn re_saving_a_sent_referral_keeps_its_date_blank() {
    let mut a = app();
    press(&mut a, "/annika<Enter>");
    let crn = a.selected().unwrap();
    let mut case = a.data.get(&crn).unwrap().case.clone();
    case.dtr = Some(DtrStatus::Submitted);
    let version = a.data.get(&crn).unwrap().version;
    let day = a.planner.cal.expected_day(&case);
    a.planner
        .store
        .save_edit(&case, version, "import", day)
        .unwrap();
    a.data.refresh_case(&a.planner, &crn).unwrap();
    // The pick list opens on the value held: Enter saves SUBMITTED again.
    press(&mut a, &format!("{}<Enter>", edit(Field::Dtr)));
    let stored = a.planner.store.get(&crn).unwrap().unwrap();
    assert_eq!(stored.case.dtr, Some(DtrStatus::Submitted));
    assert_eq!(stored.case.dtr_date, None, "no date is made up");
}

#[test]
fn esc_then_a_key_typed_fast_closes_the_popup_and_keeps_the_key() {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let mut a = app();
    press(&mut a, "<Enter>");
    assert!(
        screen(&mut a, 120, 40).contains("Release day"),
        "the detail is open"
    );
    // The terminal sends Esc then `2` as one Alt+2 event.
    a.handle_key(KeyEvent::new(KeyCode::Char('2'), KeyModifiers::ALT));
    assert!(a.popups.is_empty(), "the detail closed");
    assert_eq!(a.view, ViewId::Gaps, "and the 2 switched to Gaps");
}
