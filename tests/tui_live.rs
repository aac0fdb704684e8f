//! Live on every desk (issue 13 §4 and §5), in one process: two planners on one SQLite file,
//! each with its own connection, as two officers' would be. Officer A writes through the query
//! layer; officer B's screens take it in when the event loop looks (`App::watch`, which the
//! loop calls every `live::POLL` while no key comes), with the cursor, the search, the filters
//! and any half-typed form left where they were. (tests/pty_live.rs drives two real processes.)

mod common;

use chrono::{NaiveDate, NaiveDateTime};
use common::{press, screen};
use releaseday::domain::case::{Accommodation, Case, Crn};
use releaseday::domain::demo::{self, DemoOptions};
use releaseday::domain::fields::Field;
use releaseday::query::{EditOptions, Planner, QueryError, Settings};
use releaseday::store::StoreError;
use releaseday::tui::app::App;
use releaseday::tui::theme::Theme;
use std::path::Path;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn clock() -> NaiveDateTime {
    today().and_hms_opt(9, 14, 0).unwrap()
}

fn officer(who: &str) -> Settings {
    Settings {
        who: who.into(),
        ..Settings::default()
    }
}

fn crn(s: &str) -> Crn {
    s.parse().unwrap()
}

/// A shared file with invented cases, among them Annika Zed (due on Christmas Eve) and Bo
/// Today (due today); officer A's planner on it.
fn officer_a(path: &Path) -> Planner {
    let mut a = Planner::open(path, officer("officer-a")).unwrap();
    let mut cases = demo::generate(
        &DemoOptions {
            cases: 120,
            seed: 4,
            weeks: 16,
        },
        today(),
        &a.cal,
    );
    let mut ann = Case::new(crn("X900001"), "Annika Zed", ymd(2026, 12, 24));
    ann.accommodation = Accommodation::Nfa;
    cases.push(ann);
    cases.push(Case::new(crn("X900002"), "Bo Today", today()));
    a.put_cases(&cases, "import").unwrap();
    a
}

/// Officer B's screens on the same file, over a connection of their own.
fn officer_b(path: &Path) -> App {
    let b = Planner::open(path, officer("officer-b")).unwrap();
    App::new(b, today(), Box::new(clock), Theme::mono()).unwrap()
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn edit_note(a: &mut Planner, who: &Crn, note: &str) {
    let options = EditOptions {
        sent_on: today(),
        confirmed: true,
        restoring: false,
    };
    a.edit(who, None, &[(Field::Notes, note.into())], today(), options)
        .unwrap();
}

/// Keys that open the editor of `field` on the selected case.
fn edit(field: Field) -> String {
    let n = Field::EDITABLE.iter().position(|f| *f == field).unwrap();
    format!("e{}<Enter>", "j".repeat(n))
}

#[test]
fn a_check_in_on_another_planner_shows_without_a_key_and_the_cursor_stays_put() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("team.db");
    let mut a = officer_a(&path);
    let mut b = officer_b(&path);
    // B looks at a case some way down the list.
    press(&mut b, "jjjjj");
    let held = b.selected().unwrap();
    assert!(!b.watch(), "nothing written yet: nothing to redraw");

    a.check_in(&crn("X900002"), None, Some(clock()), today())
        .unwrap();
    // A confirmed day moves another case up the list, above B's cursor.
    let moved = a.case(&crn("X900001"), today()).unwrap().unwrap().case;
    let options = EditOptions {
        sent_on: today(),
        confirmed: true,
        restoring: false,
    };
    a.edit(
        &moved.crn,
        None,
        &[(Field::ConfirmedDay, "2026-11-23".into())],
        today(),
        options,
    )
    .unwrap();

    assert!(b.watch(), "the change is taken in without a key");
    assert_eq!(
        b.selected().as_ref(),
        Some(&held),
        "the cursor stays on its case"
    );
    press(&mut b, "4");
    let s = screen(&mut b, 120, 40);
    assert!(s.contains("Bo Today"), "{s}");
    assert!(s.contains("09:14"), "B sees A's check-in: {s}");
    assert!(
        s.contains("Annika Zed"),
        "moved to today on A's planner: {s}"
    );
    assert!(!b.watch(), "taken in once");
}

#[test]
fn a_half_typed_note_survives_another_officers_edit_and_its_save_is_refused_not_lost() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("team.db");
    let mut a = officer_a(&path);
    let mut b = officer_b(&path);
    press(&mut b, "/annika<Enter>");
    let annika = b.selected().unwrap();
    press(&mut b, &edit(Field::Notes));
    press(&mut b, "meet at the gate");

    edit_note(&mut a, &annika, "collected by family");
    assert!(b.watch());
    let s = screen(&mut b, 120, 40);
    assert!(s.contains("meet at the gate"), "the typing is kept: {s}");
    assert!(
        s.contains("Changed on another planner since this opened"),
        "{s}"
    );
    assert!(
        b.data.get(&annika).unwrap().case.notes.as_deref() == Some("collected by family"),
        "the case behind the form is the new one"
    );

    // Saving is refused, naming who changed what; nothing of theirs is overwritten.
    press(&mut b, "<Enter>");
    let s = screen(&mut b, 120, 40);
    assert!(
        s.contains("Not saved: officer-a changed this case meanwhile: Notes now collected"),
        "{s}"
    );
    assert!(s.contains("meet at the gate"), "still typed: {s}");
    let stored = |a: &Planner| a.case(&annika, today()).unwrap().unwrap().case.notes;
    assert_eq!(stored(&a).as_deref(), Some("collected by family"));

    // Having seen theirs, Enter saves this officer's knowingly.
    press(&mut b, "<Enter>");
    assert_eq!(stored(&a).as_deref(), Some("meet at the gate"));
    assert!(screen(&mut b, 120, 40).contains("Saved Notes: meet at the gate"));
}

#[test]
fn a_confirmed_value_is_checked_against_the_case_the_editor_opened_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("team.db");
    let mut a = officer_a(&path);
    let mut b = officer_b(&path);
    press(&mut b, "/annika<Enter>");
    let annika = b.selected().unwrap();
    // A confirmed day on a Sunday asks first.
    press(&mut b, &edit(Field::ConfirmedDay));
    press(&mut b, "10/01/2027<Enter>");
    let s = screen(&mut b, 120, 40);
    assert!(s.contains("y saves it"), "{s}");
    edit_note(&mut a, &annika, "hostel booked");
    assert!(b.watch());
    press(&mut b, "y");
    let s = screen(&mut b, 120, 40);
    assert!(s.contains("Notes now hostel booked"), "{s}");
    let stored = a.case(&annika, today()).unwrap().unwrap().case;
    assert_eq!(stored.confirmed_day, None, "not saved over theirs");
}

#[test]
fn search_filters_and_an_open_detail_stay_while_changes_arrive() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("team.db");
    let mut a = officer_a(&path);
    let mut b = officer_b(&path);
    // Everyone with nowhere to go, searched for "annika", her detail open.
    press(&mut b, "fjjjj<Enter><Enter>");
    press(&mut b, "/annika<Enter>");
    let annika = b.selected().unwrap();
    press(&mut b, "<Enter>");
    edit_note(&mut a, &annika, "probation hostel from day one");
    assert!(b.watch());
    // Tall enough for the detail's handover and release-morning parts above its history.
    let s = screen(&mut b, 120, 60);
    assert!(s.contains("probation hostel from day one"), "{s}");
    assert!(
        s.contains("officer-a"),
        "the detail's history names who: {s}"
    );
    press(&mut b, "<Esc>");
    assert_eq!(b.filter.search, "annika");
    assert!(!b.filter.by.is_empty(), "the filter is kept");
    assert_eq!(b.selected().as_ref(), Some(&annika));
}

#[test]
fn an_import_or_a_purge_elsewhere_is_read_again_whole_in_the_background() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("team.db");
    let mut a = officer_a(&path);
    let mut b = officer_b(&path);
    press(&mut b, "jjj");
    let held = b.selected().unwrap();
    let before = b.data.cases.len();
    // More new cases than are read one by one.
    let many: Vec<Case> = (0..600)
        .map(|i| {
            Case::new(
                crn(&format!("X{:06}", 800_000 + i)),
                "Imported Person",
                ymd(2027, 3, 1),
            )
        })
        .collect();
    a.put_cases(&many, "import").unwrap();
    b.watch();
    b.take_reload(true);
    assert_eq!(b.data.cases.len(), before + 600);
    assert_eq!(b.selected().as_ref(), Some(&held));
    // A purge of the long-released is traced to no single case: everything again.
    a.purge(ymd(2027, 2, 1), false).unwrap();
    b.watch();
    b.take_reload(true);
    assert!(b.data.get(&crn("X900002")).is_none(), "purged");
    assert_eq!(b.data.cases.len(), a.upcoming(today()).unwrap().len());
    assert_eq!(b.data.stored, a.case_count().unwrap());
    assert!(b.data.stored < before + 600);
}

#[test]
fn a_lost_team_database_is_said_on_screen_keys_keep_working_and_everything_is_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("team.db");
    let mut a = officer_a(&path);
    let mut b = officer_b(&path);
    // What the team database's engine returns while its connection is down.
    let lost = QueryError::Store(StoreError::Unavailable("connection reset".into()));
    assert!(b.watched(Err(lost)));
    for width in [80, 120] {
        let s = screen(&mut b, width, 30);
        assert!(
            s.lines()
                .next()
                .unwrap()
                .contains("⚠ team database unreachable — reconnecting…"),
            "{s}"
        );
    }
    let first = b.selected().unwrap();
    press(&mut b, "j");
    assert_ne!(b.selected().unwrap(), first, "keys work on what is held");
    assert!(b.unreachable(), "a key does not clear the warning");

    // Written while this planner could not see it.
    edit_note(&mut a, &crn("X900001"), "written during the outage");
    assert!(b.watch(), "it answers again");
    b.take_reload(true);
    let s = screen(&mut b, 120, 40);
    assert!(!s.contains("unreachable"), "{s}");
    assert!(s.contains("reachable again"), "{s}");
    assert_eq!(
        b.data.get(&crn("X900001")).unwrap().case.notes.as_deref(),
        Some("written during the outage")
    );
}

#[test]
fn a_holiday_file_imported_elsewhere_comes_into_the_calendar() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("team.db");
    let a = officer_a(&path);
    let mut b = officer_b(&path);
    let invented = ymd(2027, 6, 14);
    assert!(b.planner.cal.is_working(invented));
    let json = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/holidays-extra.json"),
    )
    .unwrap();
    let (_a, _) = a.import_holidays(&json).unwrap();
    b.watch();
    b.take_reload(true);
    assert!(
        !b.planner.cal.is_working(invented),
        "B's calendar has the invented holiday"
    );
}

/// The line of the screen the cursor's row is on.
fn cursor_line(b: &mut App) -> usize {
    let s = screen(b, 120, 40);
    s.lines()
        .position(|l| l.starts_with('▶'))
        .expect("a selected row")
}

#[test]
fn a_case_added_above_the_cursor_leaves_the_cursor_on_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("team.db");
    let mut a = officer_a(&path);
    let mut b = officer_b(&path);
    // Well down the list, the cursor mid-screen.
    press(&mut b, &"j".repeat(60));
    screen(&mut b, 120, 40);
    press(&mut b, &"k".repeat(15));
    let held = b.selected().unwrap();
    let line = cursor_line(&mut b);
    let s = screen(&mut b, 120, 40);
    assert!(
        !s.contains("Bo Today"),
        "scrolled past today's releases: {s}"
    );
    a.put_cases(&[Case::new(crn("X900009"), "Al New", today())], "import")
        .unwrap();
    assert!(b.watch());
    assert_eq!(b.selected().as_ref(), Some(&held));
    assert_eq!(
        cursor_line(&mut b),
        line,
        "the rows above moved, not the cursor"
    );
}

#[test]
fn the_first_import_elsewhere_replaces_the_welcome_screen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("team.db");
    let mut b = officer_b(&path);
    assert!(screen(&mut b, 120, 40).contains("Welcome to releaseday"));
    let mut a = Planner::open(&path, officer("officer-a")).unwrap();
    a.put_cases(&[Case::new(crn("X900002"), "Bo Today", today())], "import")
        .unwrap();
    assert!(b.watch());
    b.take_reload(true);
    let s = screen(&mut b, 120, 40);
    assert!(!s.contains("Welcome to releaseday"), "{s}");
    assert!(s.contains("Bo Today"), "{s}");
}
