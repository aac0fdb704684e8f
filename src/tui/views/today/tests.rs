use super::columns::{wrap_spans, INDENT, NOTE_LINES};
use super::*;
use crate::domain::case::Rosh;
use crate::query::Planner;
use crate::tui::app::App;
use crate::tui::views::tests::{d, planner_with, render, today};
use chrono::NaiveDate;
use chrono::NaiveDateTime;
use ratatui::backend::TestBackend;
use ratatui::style::Style;
use ratatui::Terminal;

fn case(crn: &str, name: &str, day: NaiveDate) -> Case {
    let mut c = Case::new(crn.parse().unwrap(), name, day);
    c.officer = Some("Olu Duty".into());
    c.prison = Some("HMP Testmoor".into());
    c.accommodation = Accommodation::Settled;
    c
}

/// Today (Mon 23 Nov): three people; earlier: two in the look-back week, one before it.
fn extra() -> Vec<Case> {
    let mut nfa = case("Q200001", "Abe Nowhere", today());
    nfa.accommodation = Accommodation::Nfa;
    nfa.rosh = Some(Rosh::High);
    nfa.mappa = Some(2);
    nfa.notes = Some("Meet at the gate\u{1b}[2J".into());
    let mut settled = case("Q200002", "Bea Settled", today());
    settled.notes = Some("Curfew check done".into());
    let mut unallocated = case("Q200003", "Cy Unallocated", today());
    unallocated.officer = None;
    let mut wed = case("Q200004", "Dot Wednesday", d(2026, 11, 18));
    wed.accommodation = Accommodation::Transient;
    let thu = case("Q200005", "Eve Thursday", d(2026, 11, 19));
    let old = case("Q200006", "Fay Longago", d(2026, 11, 10));
    vec![nfa, settled, unallocated, wed, thu, old]
}

fn setup() -> (Planner, Caseload, TodayView) {
    let planner = planner_with(&extra());
    let data = Caseload::load(&planner, today()).unwrap();
    let mut view = TodayView::default();
    view.refresh(&data, &Filter::default());
    (planner, data, view)
}

fn crns(list: Vec<&CaseView>) -> Vec<String> {
    list.iter().map(|v| v.case.crn.to_string()).collect()
}

fn at(h: u32, m: u32) -> NaiveDateTime {
    today().and_hms_opt(h, m, 0).unwrap()
}

fn assert_same_as_cli(planner: &Planner, data: &Caseload, view: &TodayView) {
    let sheet = planner.today_sheet(today()).unwrap();
    assert_eq!(
        crns(view.expected(data)),
        crns(sheet.expected.iter().collect())
    );
    assert_eq!(
        crns(view.earlier(data)),
        crns(sheet.outstanding.iter().collect())
    );
    assert_eq!(view.counts(), sheet.counts());
    assert_eq!(view.counts().expected, sheet.expected.len());
    assert_eq!(view.counts().earlier, sheet.outstanding.len());
}

#[test]
fn sections_and_counts_match_the_cli_sheet() {
    let (mut planner, mut data, mut view) = setup();
    assert_same_as_cli(&planner, &data, &view);
    let expected = crns(view.expected(&data));
    for crn in ["Q200001", "Q200002", "Q200003"] {
        assert!(expected.contains(&crn.to_string()), "{crn} expected today");
    }
    let names: Vec<_> = view
        .expected(&data)
        .iter()
        .map(|v| v.case.name.clone())
        .collect();
    assert!(names.windows(2).all(|w| w[0] <= w[1]), "by name");
    let earlier = crns(view.earlier(&data));
    assert!(earlier.contains(&"Q200004".into()) && earlier.contains(&"Q200005".into()));
    assert!(
        !earlier.contains(&"Q200006".into()),
        "outside the look-back week"
    );
    let days: Vec<_> = view
        .earlier(&data)
        .iter()
        .map(|v| v.expected_day())
        .collect();
    assert!(days.windows(2).all(|w| w[0] <= w[1]), "by day");

    // Reporting today's person counts at once; an earlier day's person leaves the list.
    let who = "test";
    let q1: Crn = "Q200001".parse().unwrap();
    let q4: Crn = "Q200004".parse().unwrap();
    let before = view.counts();
    planner
        .test_store_mut()
        .set_reported(&q1, Some(at(9, 14)), who, None)
        .unwrap();
    planner
        .test_store_mut()
        .set_reported(&q4, Some(at(9, 20)), who, None)
        .unwrap();
    data.refresh_case(&planner, &q1).unwrap();
    data.refresh_case(&planner, &q4).unwrap();
    view.refresh(&data, &Filter::default());
    let after = view.counts();
    assert_eq!(after.reported, 1);
    assert_eq!(after.to_report, before.to_report - 1);
    assert_eq!(after.earlier, before.earlier - 1);
    assert!(!crns(view.earlier(&data)).contains(&"Q200004".into()));
    assert_same_as_cli(&planner, &data, &view);

    // Everyone on the sheet can be selected.
    for crn in ["Q200001", "Q200003", "Q200005"] {
        let crn: Crn = crn.parse().unwrap();
        assert!(view.select(&crn, &data));
        assert_eq!(view.selected(&data), Some(crn));
    }
    assert!(!view.select(&q4, &data), "reported earlier: off the sheet");
    assert!(!view.select(&"Q200006".parse().unwrap(), &data));
}

/// A team that looks back four days, not seven: the screen's sheet is the CLI's from the
/// first refresh, before anything is drawn.
#[test]
fn the_look_back_follows_the_settings_before_any_draw() {
    use crate::query::Settings;
    let settings = Settings {
        outstanding_days: 4,
        ..Settings::default()
    };
    let mut planner = Planner::in_memory(settings).unwrap();
    planner.put_cases(&extra(), "test").unwrap();
    let data = Caseload::load(&planner, today()).unwrap();
    let mut view = TodayView::default();
    view.refresh(&data, &Filter::default());
    assert_same_as_cli(&planner, &data, &view);
    let earlier = crns(view.earlier(&data));
    assert_eq!(
        earlier,
        ["Q200005"],
        "Thu 19 Nov is within four days, Wed 18 is not"
    );
}

#[test]
fn the_cursor_runs_over_both_sections_and_sorting_keeps_it() {
    let (_planner, data, mut view) = setup();
    let n = view.expected.len() + view.earlier.len();
    view.handle(Action::Top, &data);
    for _ in 0..n + 3 {
        view.handle(Action::Down, &data);
    }
    assert_eq!(
        view.selected(&data),
        view.earlier(&data).last().map(|v| v.case.crn.clone())
    );

    let crn: Crn = "Q200002".parse().unwrap();
    view.select(&crn, &data);
    let filter = Filter::default();
    let mut labels = Vec::new();
    for _ in 0..5 {
        labels.push(view.next_sort(&data, &filter));
        assert_eq!(view.selected(&data), Some(crn.clone()));
        if view.sort() == Sort::Accommodation {
            let first = view.expected(&data)[0];
            assert!(first.case.needs_accommodation(), "nowhere to go first");
        }
        if view.sort() == Sort::Officer {
            let first = view.expected(&data)[0];
            assert!(first.case.officer.is_none(), "unallocated first");
        }
    }
    assert_eq!(
        labels,
        [
            "officer",
            "prison",
            "accommodation, nowhere to go first",
            "appointment time",
            "name"
        ]
    );
    // The filter applies: search by name.
    let filter = Filter::searching("dot wed");
    view.refresh(&data, &filter);
    assert_eq!(crns(view.earlier(&data)), ["Q200004"]);
    assert!(view.expected(&data).is_empty());
    assert_eq!(view.selected(&data).unwrap().as_str(), "Q200004");
}

fn app(planner: Planner) -> App {
    let theme = Theme::mono();
    App::new(planner, today(), Box::new(|| at(9, 14)), theme).unwrap()
}

fn screen(app: &mut App, w: u16, h: u16) -> Vec<String> {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| app.draw(f)).unwrap();
    let buf = term.backend().buffer();
    (0..h)
        .map(|y| (0..w).map(|x| buf[(x, y)].symbol().to_string()).collect())
        .collect()
}

#[test]
fn renders_at_80_by_24_and_marks_reported_with_r() {
    let planner = planner_with(&extra());
    let mut app = app(planner);
    app.dispatch(Action::Show(crate::keys::ViewId::Today));
    let crn: Crn = "Q200001".parse().unwrap();
    assert!(app.views.today.select(&crn, &app.data));
    let n = app.views.today.counts();
    let lines = screen(&mut app, 80, 24);
    let text = lines.join("\n");
    assert!(lines.iter().all(|l| l.chars().count() == 80));
    assert!(text.contains("Mon 23 Nov 2026 · "), "{text}");
    assert!(
        text.contains(&format!("{} expected · 0 reported", n.expected)),
        "{text}"
    );
    assert!(
        text.contains(&format!("{} with nowhere to go", n.homeless)),
        "{text}"
    );
    assert!(
        text.contains(&format!("Expected today ({})", n.expected)),
        "{text}"
    );
    let row = lines.iter().find(|l| l.starts_with("▶ ")).expect(&text);
    assert!(
        row.contains("· waiting") && row.contains("Abe Nowhere"),
        "{text}"
    );
    assert!(row.contains("▲ NFA") && row.contains("HIGH M2"), "{text}");
    // Under the row: the appointment, licence and checklist (DOMAIN.md §8), officer and
    // prison, then notes (escape sequences made inert).
    let at = lines.iter().position(|l| l.starts_with("▶ ")).unwrap();
    assert!(
        lines[at + 1].contains("▲ no appointment · checks not known"),
        "{text}"
    );
    assert!(
        lines[at + 2].contains("Officer Olu Duty · HMP Testmoor"),
        "{text}"
    );
    assert!(
        lines[at + 3].contains("Meet at the gate\u{fffd}[2J"),
        "{text}"
    );
    assert!(!text.contains('\u{1b}'));

    app.dispatch(Action::MarkReported);
    let lines = screen(&mut app, 80, 24);
    let text = lines.join("\n");
    let row = lines.iter().find(|l| l.starts_with("▶ ")).expect(&text);
    assert!(
        row.contains("✓ 09:14") && row.contains("Abe Nowhere"),
        "{text}"
    );
    assert!(text.contains(" · 1 reported · "), "{text}");
    app.dispatch(Action::Undo);
    assert_eq!(app.views.today.counts().reported, 0);
}

#[test]
fn renders_wide_with_officer_and_prison_columns() {
    let (planner, data, mut view) = setup();
    view.select(&"Q200003".parse().unwrap(), &data);
    let filter = Filter::default();
    let lines = render(&mut view, &planner, &data, &filter, 120, 37);
    let text = lines.join("\n");
    assert!(lines[1].contains("Mon 23 Nov 2026 · "), "{text}");
    let head = lines.iter().find(|l| l.contains("Reported")).unwrap();
    assert!(
        head.contains("Officer") && head.contains("Prison"),
        "{text}"
    );
    let row = lines.iter().find(|l| l.starts_with("▶ ")).expect(&text);
    assert!(
        row.contains("Cy Unallocated") && row.contains("▲ none"),
        "{text}"
    );
    assert!(
        text.contains("Released earlier, not yet reported ("),
        "{text}"
    );
    let nfa = lines.iter().find(|l| l.contains("Abe Nowhere")).unwrap();
    assert!(
        nfa.contains("Olu Duty") && nfa.contains("HMP Testmoor"),
        "{text}"
    );

    let wider = render(&mut view, &planner, &data, &filter, 200, 37);
    let nfa = wider.iter().find(|l| l.contains("Abe Nowhere")).unwrap();
    assert!(
        nfa.contains("Meet at the gate"),
        "notes in a column when wide"
    );
}

#[test]
fn a_long_sheet_scrolls_to_keep_the_selection_in_view() {
    let (planner, data, mut view) = setup();
    let filter = Filter::default();
    view.handle(Action::Bottom, &data);
    let lines = render(&mut view, &planner, &data, &filter, 80, 12);
    let last = view.earlier(&data).last().unwrap().case.name.clone();
    let row = lines
        .iter()
        .find(|l| l.starts_with("▶ "))
        .expect("selected shown");
    assert!(row.contains(&last));
    view.handle(Action::Top, &data);
    let lines = render(&mut view, &planner, &data, &filter, 80, 12);
    assert!(
        lines.iter().any(|l| l.starts_with("Expected today")),
        "heading shown"
    );
}

#[test]
fn long_notes_wrap_to_two_lines_and_are_cut_with_a_mark() {
    let words = "word ".repeat(60);
    let lines = wrap_spans(vec![(words, Style::default())], 80, INDENT, NOTE_LINES);
    assert_eq!(lines.len(), 2);
    for l in &lines {
        let text: String = l.iter().map(|s| s.content.as_ref()).collect();
        assert!(text.chars().count() <= 80, "{text}");
        assert!(text.starts_with(&" ".repeat(INDENT)));
    }
    let last: String = lines[1].iter().map(|s| s.content.as_ref()).collect();
    assert!(last.ends_with("word…"), "{last}");
    let short = wrap_spans(
        vec![("Meet at the gate".into(), Style::default())],
        80,
        13,
        2,
    );
    assert_eq!(short.len(), 1);
}

#[test]
fn nowhere_to_go_and_nothing_until_tomorrow_is_spelt_out_and_sorting_by_appointment() {
    use crate::domain::case::Appointment;
    let mut cases = extra();
    // Abe (NFA) is seen tomorrow at 14:00; Bea at 09:30 today; Cy at the gate.
    cases[0].appointment = Some(Appointment::NextDay2pm);
    cases[1].appointment = Appointment::at(today(), at(9, 30).time());
    cases[1].appointment_place = Some("Fellbeck Office".into());
    cases[2].appointment = Some(Appointment::Immediate);
    let planner = planner_with(&cases);
    let data = Caseload::load(&planner, today()).unwrap();
    let mut view = TodayView::default();
    view.refresh(&data, &Filter::default());
    let text = render(&mut view, &planner, &data, &Filter::default(), 80, 30).join("\n");
    assert!(
        text.contains("‼ nowhere to go and nothing until tomorrow 14:00"),
        "{text}"
    );
    assert!(text.contains("Appt 09:30, Fellbeck Office"), "{text}");
    assert!(text.contains("Appt at the gate"), "{text}");
    while view.sort() != Sort::Appointment {
        view.next_sort(&data, &Filter::default());
    }
    let ours: Vec<String> = crns(view.expected(&data))
        .into_iter()
        .filter(|c| c.starts_with('Q'))
        .collect();
    assert_eq!(
        ours,
        ["Q200003", "Q200002", "Q200001"],
        "the gate, 09:30, tomorrow"
    );
}
