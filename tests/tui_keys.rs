//! Key sequences through the planner's screens on a TestBackend: what an officer types, and
//! what the screen and the database show afterwards.

mod common;

use releaseday::tui::View;

use chrono::{NaiveDate, NaiveDateTime};
use common::{press, screen};
use releaseday::domain::case::{Accommodation, Case, CrsStatus, DtrStatus};
use releaseday::domain::demo::{self, DemoOptions};
use releaseday::domain::fields::Field;
use releaseday::query::{Planner, Settings};
use releaseday::store::SqliteStore;
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

fn planner_with(store: SqliteStore, extra: &[Case]) -> Planner {
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
    planner.put_cases(&cases, "test").unwrap();
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

fn app_on(store: SqliteStore) -> App {
    let planner = planner_with(store, &known_cases());
    App::new(planner, today(), Box::new(clock), Theme::mono()).unwrap()
}

fn app() -> App {
    app_on(SqliteStore::open_in_memory().unwrap())
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
    let stored = a.planner.test_store().get(&crn).unwrap().unwrap();
    assert_eq!(stored.case.dtr, Some(DtrStatus::Submitted));
    assert!(
        !flags(&a).contains(&"DTR_NOT_SENT"),
        "the flag clears at once"
    );
    // Recorded as sent: dated today (the clock's day), in the same save.
    assert_eq!(stored.case.dtr_date, Some(today()));
    let audit = a.planner.test_store().audit_for(&crn).unwrap();
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
    let stored = a.planner.test_store().get(&crn).unwrap().unwrap();
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
    let before = a.planner.test_store().get(&crn).unwrap().unwrap();
    // e → Confirmed release day → type a US-order date.
    press(
        &mut a,
        &format!("{}12/24/2026<Enter>", edit(Field::ConfirmedDay)),
    );
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("no month 24"), "{s}");
    assert_eq!(a.planner.test_store().get(&crn).unwrap().unwrap(), before);
    // Correct it in place: the popup is still open.
    press(
        &mut a,
        "<BS><BS><BS><BS><BS><BS><BS><BS><BS><BS>22/12/2026<Enter>",
    );
    let after = a.planner.test_store().get(&crn).unwrap().unwrap();
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
    let stored = a.planner.test_store().get(&crn).unwrap().unwrap();
    assert_eq!(stored.reported_at, Some(clock()));
    assert!(screen(&mut a, 120, 40).contains("reported at 09:14"));
    press(&mut a, "u");
    assert_eq!(
        a.planner
            .test_store()
            .get(&crn)
            .unwrap()
            .unwrap()
            .reported_at,
        None
    );
}

#[test]
fn an_edit_based_on_a_stale_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.db");
    let mut a = app_on(SqliteStore::open(&path).unwrap());
    press(&mut a, "/annika<Enter>");
    let crn = a.selected().unwrap();
    // Meanwhile a second officer, in another process, records a CRS referral.
    let mut other = SqliteStore::open(Path::new(&path)).unwrap();
    let mut theirs = other.get(&crn).unwrap().unwrap();
    theirs.case.crs = Some(CrsStatus::Live);
    let day = theirs.expected_day;
    other
        .save_edit(&theirs.case, theirs.version, "duty", day)
        .unwrap();
    // This officer's screen still holds the old version: the edit is refused, not merged,
    // and the editor stays open saying who changed what.
    press(&mut a, &format!("{}j<Enter>", edit(Field::Dtr)));
    let s = screen(&mut a, 120, 40);
    assert!(
        s.contains("Not saved: duty changed this case meanwhile"),
        "{s}"
    );
    assert!(s.contains("CRS referral") && s.contains("now LIVE"), "{s}");
    // Esc keeps theirs.
    press(&mut a, "<Esc>");
    let stored = a.planner.test_store().get(&crn).unwrap().unwrap();
    assert_eq!(
        stored.case.crs,
        Some(CrsStatus::Live),
        "their change survives"
    );
    assert_eq!(stored.case.dtr, None, "ours was not written");
    // The screen reloaded the case, so trying again works.
    press(&mut a, &format!("{}j<Enter>", edit(Field::Dtr)));
    assert_eq!(
        a.planner.test_store().get(&crn).unwrap().unwrap().case.dtr,
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
    let planner = Planner::new(SqliteStore::open_in_memory().unwrap(), settings()).unwrap();
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
    let stored = a.planner.test_store().get(&crn).unwrap().unwrap();
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
        .test_store_mut()
        .save_edit(&case, version, "import", day, false)
        .unwrap();
    a.data.refresh_case(&a.planner, &crn).unwrap();
    // The pick list opens on the value held: Enter saves SUBMITTED again.
    press(&mut a, &format!("{}<Enter>", edit(Field::Dtr)));
    let stored = a.planner.test_store().get(&crn).unwrap().unwrap();
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

// ---- search across the whole database, marks taken back, undo and redo ----

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Someone released four weeks ago (before the days the screens hold) and someone released
/// last week (on the sheet's look-back days), both marked reported, so neither is on any list.
fn past_cases() -> Vec<Case> {
    let mut old = Case::new("X900010".parse().unwrap(), "Zoë Pastly", day(2026, 10, 28));
    old.officer = Some("Test Officer".into());
    let mut last_week = Case::new(
        "X900011".parse().unwrap(),
        "Zoe Lastweek",
        day(2026, 11, 18),
    );
    last_week.accommodation = Accommodation::Settled;
    vec![old, last_week]
}

fn app_with_past() -> App {
    let mut cases = known_cases();
    cases.extend(past_cases());
    let mut planner = planner_with(SqliteStore::open_in_memory().unwrap(), &cases);
    for (crn, at) in [
        ("X900010", day(2026, 10, 28).and_hms_opt(10, 5, 0)),
        ("X900011", day(2026, 11, 18).and_hms_opt(9, 40, 0)),
    ] {
        planner
            .test_store_mut()
            .set_reported(&crn.parse().unwrap(), at, "duty", None)
            .unwrap();
    }
    App::new(planner, today(), Box::new(clock), Theme::mono()).unwrap()
}

fn reported(a: &App, crn: &str) -> Option<NaiveDateTime> {
    a.planner
        .test_store()
        .get(&crn.parse().unwrap())
        .unwrap()
        .unwrap()
        .reported_at
}

/// `/zoe` in any view finds both, though no view lists either: the search line says so,
/// Enter lists them with their days and check-ins, and Enter opens one.
#[test]
fn search_finds_cases_no_view_lists_from_every_view() {
    for view in ["1", "2", "3", "4"] {
        let mut a = app_with_past();
        press(&mut a, &format!("{view}/zoe"));
        let s = screen(&mut a, 80, 24);
        assert!(
            s.contains("none here, 2 elsewhere: Enter lists them")
                || (view == "3" && s.contains("2 matches: Tab lists them")),
            "view {view}: {s}"
        );
        press(&mut a, if view == "3" { "<Tab>" } else { "<Enter>" });
        let s = screen(&mut a, 120, 40);
        assert!(
            s.contains("Search \"zoe\" · 2 cases in the database"),
            "{s}"
        );
        // Latest first: last week's release, then the one four weeks ago.
        let last = s.find("Zoe Lastweek").expect(&s);
        let old = s.find("Zoë Pastly").expect(&s);
        assert!(last < old, "{s}");
        assert!(s.contains("Wed 18 Nov 2026  past · reported 09:40"), "{s}");
        assert!(s.contains("Wed 28 Oct 2026  past · reported 10:05"), "{s}");
        press(&mut a, "j<Enter>");
        let s = screen(&mut a, 120, 40);
        assert!(s.contains("Zoë Pastly  X900010"), "the case opens: {s}");
        assert!(s.contains("Wed 28 Oct 2026 at 10:05"), "{s}");
        assert!(
            s.contains("x not reported"),
            "the hint offers taking it back: {s}"
        );
    }
}

/// A mark on someone released before the window is taken back from the detail the search
/// opens, and the results show it at once; undo puts the original time back.
#[test]
fn a_check_in_on_an_earlier_day_is_taken_back_from_its_detail() {
    let mut a = app_with_past();
    press(&mut a, "/pastly<Enter><Enter>");
    assert!(screen(&mut a, 120, 40).contains("x not reported"));
    press(&mut a, "x");
    assert_eq!(reported(&a, "X900010"), None, "taken back in the database");
    let s = screen(&mut a, 120, 40);
    assert!(
        s.contains("r reported"),
        "the detail now offers the mark: {s}"
    );
    assert!(
        s.contains("Zoë Pastly marked not reported (u undoes)"),
        "{s}"
    );
    let audit = a
        .planner
        .test_store()
        .audit_for(&"X900010".parse().unwrap())
        .unwrap();
    assert_eq!(audit[0].field, "reported");
    assert_eq!(audit[0].who, "tester");
    // Back in the results, the row says so.
    press(&mut a, "<Esc>");
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("Wed 28 Oct 2026  past · not reported"), "{s}");
    // Undo: the mark comes back with the time it had, not the time now.
    press(&mut a, "<Esc>u");
    assert_eq!(
        reported(&a, "X900010"),
        day(2026, 10, 28).and_hms_opt(10, 5, 0)
    );
    assert!(screen(&mut a, 120, 40).contains("Undone: Zoë Pastly back to reported at 10:05"));
    // And a person from last week, reported and so off the sheet, likewise from Today.
    press(&mut a, "4/lastweek<Enter><Enter>x");
    assert_eq!(reported(&a, "X900011"), None);
    press(&mut a, "<Esc><Esc>F");
    let s = screen(&mut a, 120, 40);
    assert!(
        s.contains("Zoe Lastweek"),
        "back on the sheet, not reported: {s}"
    );
}

/// Someone not yet due cannot be marked reported from their detail.
#[test]
fn a_release_still_to_come_is_not_marked_reported() {
    let mut a = app_with_past();
    press(&mut a, "/annika<Enter><Enter>");
    let s = screen(&mut a, 120, 40);
    assert!(!s.contains("r reported"), "{s}");
    press(&mut a, "r");
    assert_eq!(reported(&a, "X900001"), None);
    // Due Thu 24 Dec; the Friday policy brings it to Wednesday.
    let s = screen(&mut a, 120, 40);
    assert!(
        s.contains("Annika Zed is not due out until Wed 23 Dec 2026"),
        "{s}"
    );
}

/// Undo and redo walk a history of several changes on several cases, in order, each way.
#[test]
fn undo_and_redo_walk_several_changes_back_and_forth() {
    let mut a = app_with_past();
    let ann: releaseday::domain::case::Crn = "X900001".parse().unwrap();
    let bo: releaseday::domain::case::Crn = "X900002".parse().unwrap();
    let notes = |a: &App, crn| a.planner.test_store().get(crn).unwrap().unwrap().case.notes;
    let n = Field::EDITABLE
        .iter()
        .position(|f| *f == Field::Notes)
        .unwrap();
    let note = |text: &str| format!("e{}<Enter>{text}<Enter>", "j".repeat(n));
    press(&mut a, &format!("/annika<Enter>{}", note("first")));
    press(&mut a, &note(" second"));
    press(&mut a, "4/bo today<Enter>r");
    assert_eq!(notes(&a, &ann).as_deref(), Some("first second"));
    assert_eq!(reported(&a, "X900002"), Some(clock()));

    press(&mut a, "u");
    assert_eq!(reported(&a, "X900002"), None);
    press(&mut a, "u");
    assert_eq!(notes(&a, &ann).as_deref(), Some("first"));
    press(&mut a, "u");
    assert_eq!(notes(&a, &ann), None);
    press(&mut a, "u");
    assert!(screen(&mut a, 120, 40).contains("Nothing to undo"));

    press(&mut a, "U");
    assert_eq!(notes(&a, &ann).as_deref(), Some("first"));
    press(&mut a, "<C-r>");
    assert_eq!(notes(&a, &ann).as_deref(), Some("first second"));
    press(&mut a, "<C-r>");
    assert_eq!(
        reported(&a, "X900002"),
        Some(clock()),
        "the check-in's own time"
    );
    press(&mut a, "U");
    assert!(screen(&mut a, 120, 40).contains("Nothing to redo"));

    // A new change after an undo: what was undone can no longer be redone over it.
    press(&mut a, "u");
    assert_eq!(reported(&a, "X900002"), None);
    press(&mut a, &format!("1/annika<Enter>{}", note(" third")));
    press(&mut a, "U");
    assert!(screen(&mut a, 120, 40).contains("Nothing to redo"));
    assert_eq!(reported(&a, "X900002"), None);
    assert_eq!(notes(&a, &ann).as_deref(), Some("first second third"));
    assert!(a.data.get(&bo).unwrap().reported_at.is_none());
}

// ---- the edit form: a question for a non-working day; the cursor follows the case ----

/// A confirmed release day on a Sunday asks first; `n` goes back to the editor with the
/// text kept, `y` saves, and the cursor stays on the person under their new day heading.
#[test]
fn a_confirmed_sunday_asks_first_and_the_cursor_follows_the_case_in_releases() {
    let mut a = app();
    press(&mut a, "/annika<Enter><Esc>");
    let crn = a.selected().unwrap();
    assert_eq!(crn.as_str(), "X900001");
    press(
        &mut a,
        &format!("{}10/01/2027<Enter>", edit(Field::ConfirmedDay)),
    );
    let s = screen(&mut a, 80, 24);
    assert!(
        s.contains("Sun 10 Jan 2027 is not a working day") && s.contains("save anyway? y/n"),
        "{s}"
    );
    let stored = |a: &App| {
        a.planner
            .test_store()
            .get(&crn)
            .unwrap()
            .unwrap()
            .case
            .confirmed_day
    };
    assert_eq!(stored(&a), None, "nothing written before the answer");
    press(&mut a, "n");
    let s = screen(&mut a, 80, 24);
    assert!(
        s.contains("10/01/2027▏"),
        "back in the editor, text kept: {s}"
    );
    press(&mut a, "<Enter>y");
    assert_eq!(stored(&a), Some(day(2027, 1, 10)));
    assert_eq!(
        a.selected(),
        Some(crn.clone()),
        "the cursor stays on Annika"
    );
    let s = screen(&mut a, 120, 40);
    let row = s.lines().find(|l| l.starts_with("▶ ")).expect(&s);
    assert!(row.contains("Annika Zed"), "{s}");
    assert!(s.contains("Sun 10 Jan 2027 · 1 release"), "{s}");
    // Undo takes it back without asking again; the cursor stays with her still.
    press(&mut a, "u");
    assert_eq!(stored(&a), None);
    assert_eq!(a.selected(), Some(crn));
}

/// In the gap worklist, an edit that re-sorts the list keeps the cursor on the case.
#[test]
fn the_cursor_follows_an_edited_case_in_gaps() {
    let mut a = app();
    press(&mut a, "2");
    // Annika's DTR gap; a confirmed day two months on moves her flags down the list.
    assert!(a.views.gaps.select(&"X900001".parse().unwrap(), &a.data));
    let before = a
        .views
        .gaps
        .rows(&a.data)
        .iter()
        .position(|(v, _)| v.case.crn.as_str() == "X900001");
    press(
        &mut a,
        &format!("{}15/02/2027<Enter>", edit(Field::ConfirmedDay)),
    );
    assert_eq!(a.selected().unwrap().as_str(), "X900001");
    let after = a
        .views
        .gaps
        .rows(&a.data)
        .iter()
        .position(|(v, _)| v.case.crn.as_str() == "X900001");
    assert_ne!(before, after, "the edit moved her in the list");
    let s = screen(&mut a, 120, 40);
    let row = s.lines().find(|l| l.starts_with("▶ ")).expect(&s);
    assert!(row.contains("Annika Zed"), "{s}");
}

/// On the duty sheet, renaming someone re-sorts the sheet; the cursor goes with them.
#[test]
fn the_cursor_follows_an_edited_case_on_the_duty_sheet() {
    let mut a = app();
    press(&mut a, "4/bo today<Enter><Esc>");
    assert_eq!(a.selected().unwrap().as_str(), "X900002");
    let first = a.views.today.expected(&a.data)[0].case.crn.clone();
    assert_eq!(first.as_str(), "X900002", "first by name");
    press(
        &mut a,
        &format!(
            "{}<BS><BS><BS><BS><BS><BS><BS><BS>Zed Bo<Enter>",
            edit(Field::Name)
        ),
    );
    let names: Vec<String> = a
        .views
        .today
        .expected(&a.data)
        .iter()
        .map(|v| v.case.name.clone())
        .collect();
    assert_eq!(
        names.last().map(String::as_str),
        Some("Zed Bo"),
        "{names:?}"
    );
    assert_eq!(a.selected().unwrap().as_str(), "X900002");
}

// ---- the duty sheet: a booked bed, and what each part is sorted by ----

#[test]
fn the_duty_sheet_says_a_bed_is_booked_and_how_each_part_is_sorted() {
    use releaseday::domain::case::Cas3Status;
    let mut booked = Case::new("X900020".parse().unwrap(), "Cas Booked", today());
    booked.accommodation = Accommodation::Nfa;
    booked.cas3 = Some(Cas3Status::BedBooked);
    booked.officer = Some("Test Officer".into());
    let mut cases = known_cases();
    cases.push(booked);
    let planner = planner_with(SqliteStore::open_in_memory().unwrap(), &cases);
    let mut a = App::new(planner, today(), Box::new(clock), Theme::mono()).unwrap();
    press(&mut a, "4");
    for (w, h) in [(80, 24), (120, 40)] {
        let s = screen(&mut a, w, h);
        let row = s.lines().find(|l| l.contains("Cas Booked")).expect(&s);
        assert!(row.contains("✓ CAS3 bed"), "{w}: {s}");
        assert!(!row.contains("▲"), "not marked as nowhere to go: {s}");
        assert!(s.contains("NFA, CAS3 bed booked"), "said in full: {s}");
        assert!(!s.contains("sorted by name"), "{s}");
        assert!(
            s.contains("Expected today (") && s.contains(") · by name"),
            "{s}"
        );
        // At 80×24 today's people, each with their readiness line (DOMAIN.md §8), fill the
        // screen; the second part is below.
        if h == 40 {
            assert!(
                s.contains("Released earlier, not yet reported (")
                    && s.contains(") · by day, then name"),
                "{s}"
            );
        }
    }
    let counts = a.views.today.counts();
    let homeless = a
        .views
        .today
        .expected(&a.data)
        .iter()
        .chain(a.views.today.earlier(&a.data).iter())
        .filter(|v| v.case.needs_accommodation())
        .count();
    assert_eq!(counts.homeless, homeless);
    press(&mut a, "s");
    let s = screen(&mut a, 120, 40);
    assert!(
        s.contains(" · by officer, then name") && s.contains(" · by officer, then day"),
        "{s}"
    );
}

// ---- filter counts within the filters in force ----

#[test]
fn filter_counts_count_within_the_filters_already_applied() {
    let mut a = app();
    // f → Officer (1st) → pick "Test Officer" wherever it is listed.
    press(&mut a, "f<Enter>");
    let pos = match a.popups.last() {
        Some(releaseday::tui::popups::Popup::FilterValues(f)) => f
            .values
            .iter()
            .position(|(v, _)| v == "Test Officer")
            .unwrap(),
        _ => panic!("the officer values are listed"),
    };
    press(&mut a, &format!("{}<Enter>", "j".repeat(pos)));
    assert!(a.filter.describe().contains("Officer: Test Officer"));
    // f → Accommodation: counted among Test Officer's upcoming releases only.
    press(&mut a, "fjjjj<Enter>");
    let values = match a.popups.last() {
        Some(releaseday::tui::popups::Popup::FilterValues(f)) => f.values.clone(),
        _ => panic!("the accommodation values are listed"),
    };
    assert_eq!(
        values,
        [("nowhere to go".to_string(), 2)],
        "Annika and Bo, both NFA"
    );
    let s = screen(&mut a, 80, 24);
    assert!(s.contains("counted within Officer: Test Officer"), "{s}");
    // The officer's own counts leave the officer filter out (choosing one replaces it), but
    // count within the accommodation filter once that is in force.
    press(&mut a, "<Enter>f<Enter>");
    let officers = match a.popups.last() {
        Some(releaseday::tui::popups::Popup::FilterValues(f)) => f.values.clone(),
        _ => panic!(),
    };
    let homeless_by = |who: &str| {
        a.data
            .cases
            .iter()
            .filter(|v| v.expected_day() >= today() && v.case.needs_accommodation())
            .filter(|v| v.case.officer.as_deref().unwrap_or("(none)") == who)
            .count()
    };
    assert!(
        officers.len() > 1,
        "other officers listed too: {officers:?}"
    );
    for (who, n) in &officers {
        assert_eq!(*n, homeless_by(who), "{who}");
    }
    let at = officers
        .iter()
        .position(|(v, _)| v == "Test Officer")
        .unwrap();
    press(&mut a, &"j".repeat(at));
    let s = screen(&mut a, 80, 24);
    assert!(
        s.contains("▶ Test Officer                         2 ✓ now"),
        "{s}"
    );
}

// ---- hints name the keys in force ----

#[test]
fn popup_titles_and_hints_name_the_rebound_keys() {
    let mut a = app_with_past();
    let (_, keymap) = releaseday::config::parse(
        "[keys]\ndown = \"n\"\nup = \"p\"\nedit = \"E\"\nundo = \"z\"\nredo = \"Z\"\n\
         mark_not_reported = \"X\"\nopen = \"o\"\n",
    )
    .unwrap();
    a.keymap = keymap;
    press(&mut a, "?");
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("Help — n/p scroll"), "{s}");
    assert!(!s.contains("j/k"), "{s}");
    press(&mut a, "<Esc>/pastly<Enter>");
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("n/p move"), "{s}");
    press(&mut a, "<Enter>");
    let s = screen(&mut a, 120, 40);
    assert!(
        s.contains("Case — E edit · X not reported · Esc back"),
        "{s}"
    );
    assert!(s.contains("z undo · Z redo · n/p scroll"), "{s}");
    press(&mut a, "X");
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("marked not reported (z undoes)"), "{s}");
    press(&mut a, "z");
    assert!(screen(&mut a, 120, 40).contains("(Z redoes)"));
    press(&mut a, "<Esc><Esc>F2");
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("o opens case"), "{s}");
}

/// Tab with nothing matching anywhere says so rather than showing an empty box.
#[test]
fn a_search_matching_nothing_anywhere_says_so() {
    let mut a = app_with_past();
    press(&mut a, "/qqqzzz");
    assert!(screen(&mut a, 80, 24).contains("no case matches"));
    press(&mut a, "<Tab>");
    let s = screen(&mut a, 80, 24);
    assert!(s.contains("0 cases in the database"), "{s}");
    assert!(s.contains("No case in the database matches"), "{s}");
    press(&mut a, "<Enter><Esc>");
    assert!(a.popups.is_empty());
}
