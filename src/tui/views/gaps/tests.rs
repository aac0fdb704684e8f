use super::*;
use crate::domain::case::{Accommodation, Case, DtrStatus};
use crate::query::{Planner, Settings};
use crate::tui::theme::Theme;
use crate::tui::views::tests::{d, planner_with, render, today};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

/// A case with nowhere to go released in two weeks: red DTR and CRS, amber NFA.
fn homeless_soon() -> Case {
    let mut c = Case::new("Q100001".parse().unwrap(), "Aaron Testcase", d(2026, 12, 7));
    c.accommodation = Accommodation::Nfa;
    c.dtr = Some(DtrStatus::NotSent);
    c.officer = Some("Zed Officer".into());
    c.prison = Some("HMP Testmoor".into());
    c
}

fn setup() -> (Planner, Caseload, GapsView) {
    let planner = planner_with(&[homeless_soon()]);
    let data = Caseload::load(&planner, today()).unwrap();
    let mut view = GapsView::default();
    view.refresh(&data, &Filter::default());
    (planner, data, view)
}

fn keys(view: &GapsView, data: &Caseload) -> Vec<(String, FlagCode)> {
    view.rows(data)
        .iter()
        .map(|(v, f)| (v.case.crn.to_string(), f.code))
        .collect()
}

#[test]
fn rows_match_the_cli_worklist_red_first_then_due_day() {
    let (planner, data, view) = setup();
    let cli: Vec<(String, FlagCode)> = planner
        .gaps(today())
        .unwrap()
        .iter()
        .map(|g| (g.crn.to_string(), g.flag.code))
        .collect();
    assert!(cli.len() > 10, "the demo has gaps to show");
    assert_eq!(keys(&view, &data), cli);
    let rows = view.rows(&data);
    let first_amber = rows
        .iter()
        .position(|(_, f)| f.severity == Severity::Amber)
        .unwrap();
    assert!(first_amber > 0);
    assert!(rows[..first_amber]
        .iter()
        .all(|(_, f)| f.severity == Severity::Red));
    assert!(rows[first_amber..]
        .iter()
        .all(|(_, f)| f.severity == Severity::Amber));
    for part in [&rows[..first_amber], &rows[first_amber..]] {
        assert!(part.windows(2).all(|w| w[0].1.due <= w[1].1.due));
    }
    assert!(rows.iter().all(|(v, _)| v.expected_day() >= today()));
}

#[test]
fn filter_by_flag_code_and_severity() {
    let (planner, data, mut view) = setup();
    let mut filter = Filter::default();
    filter.set(Dimension::Flag, "DTR_NOT_SENT".into());
    view.refresh(&data, &filter);
    let want = planner
        .gaps(today())
        .unwrap()
        .iter()
        .filter(|g| g.flag.code == FlagCode::DtrNotSent)
        .count();
    assert!(want > 0);
    assert_eq!(view.rows(&data).len(), want);
    assert!(view
        .rows(&data)
        .iter()
        .all(|(_, f)| f.code == FlagCode::DtrNotSent));

    // "amber" lists every amber gap, also those on cases with a red one.
    let mut filter = Filter::default();
    filter.set(Dimension::Severity, "amber".into());
    view.refresh(&data, &filter);
    let amber = planner
        .gaps(today())
        .unwrap()
        .iter()
        .filter(|g| g.flag.severity == Severity::Amber)
        .count();
    assert_eq!(view.rows(&data).len(), amber);

    let mut filter = Filter::default();
    filter.set(Dimension::Officer, "Zed Officer".into());
    view.refresh(&data, &filter);
    let crns: Vec<_> = keys(&view, &data).into_iter().map(|(c, _)| c).collect();
    assert!(!crns.is_empty());
    assert!(crns.iter().all(|c| c == "Q100001"));
}

#[test]
fn select_goes_to_the_first_flag_of_a_case_and_sorting_keeps_it() {
    let (_planner, data, mut view) = setup();
    let crn: Crn = "Q100001".parse().unwrap();
    assert!(view.select(&crn, &data));
    assert_eq!(view.selected(&data), Some(crn.clone()));
    let first = view
        .rows(&data)
        .iter()
        .position(|(v, _)| v.case.crn == crn)
        .unwrap();
    assert_eq!(view.cursor.selected, first);
    let code = view.rows(&data)[first].1.code;
    assert!(!view.select(&"Q999999".parse().unwrap(), &data));

    let filter = Filter::default();
    let mut labels = Vec::new();
    for _ in 0..4 {
        labels.push(view.next_sort(&data, &filter));
        let (v, f) = view.rows(&data)[view.cursor.selected];
        assert_eq!((&v.case.crn, f.code), (&crn, code), "selection kept");
        let rows = view.rows(&data);
        let sorted = rows.windows(2).all(|w| match view.sort() {
            Sort::Officer => officer_key(w[0].0) <= officer_key(w[1].0),
            Sort::Release => w[0].0.expected_day() <= w[1].0.expected_day(),
            Sort::Code => w[0].1.code <= w[1].1.code,
            Sort::Severity => default_order(w[0], w[1]) != Ordering::Greater,
        });
        assert!(sorted, "{:?}", view.sort());
    }
    assert_eq!(
        labels,
        [
            "officer",
            "release day",
            "flag code",
            "severity, then due day"
        ]
    );
}

#[test]
fn navigation_and_an_empty_list_say_why() {
    let (planner, data, mut view) = setup();
    assert!(view.handle(Action::Bottom, &data));
    assert_eq!(view.cursor.selected, view.rows.len() - 1);
    assert!(!view.handle(Action::PrevMonth, &data));

    let filter = Filter::searching("nobody-by-this-name");
    view.refresh(&data, &filter);
    assert_eq!(view.selected(&data), None);
    let screen = render(&mut view, &planner, &data, &filter, 80, 21).join("\n");
    assert!(
        screen.contains("Nothing matches the filter; F clears it"),
        "{screen}"
    );
    assert!(
        screen.contains("0 gaps · 0 red · 0 amber (filtered)"),
        "{screen}"
    );
    // Clearing the filter returns to the flag that was selected.
    view.refresh(&data, &Filter::default());
    assert_eq!(view.cursor.selected, view.rows.len() - 1);

    let empty = Planner::in_memory(Settings::default()).unwrap();
    let none = Caseload::load(&empty, today()).unwrap();
    let mut view = GapsView::default();
    view.refresh(&none, &Filter::default());
    let screen = render(&mut view, &empty, &none, &Filter::default(), 80, 21).join("\n");
    assert!(screen.contains("No gaps: every upcoming case"), "{screen}");
}

#[test]
fn renders_at_80_and_120_columns() {
    let (planner, data, mut view) = setup();
    let crn: Crn = "Q100001".parse().unwrap();
    view.select(&crn, &data);
    let filter = Filter::default();
    let total = view.rows.len();
    let red = view.red;
    let head = format!("{total} gaps · {red} red · {} amber", total - red);

    let narrow = render(&mut view, &planner, &data, &filter, 80, 21);
    let screen = narrow.join("\n");
    assert!(narrow[0].contains(&head), "{screen}");
    assert!(
        narrow[1].contains("Severity") && narrow[1].contains("Officer"),
        "{screen}"
    );
    assert!(screen.contains("▶ ▲ red     CRS_NOT_SENT"), "{screen}");
    assert!(screen.contains("Aaron Testcase"), "{screen}");
    // Amber rows too, below the reds (the unallocated handovers, DOMAIN.md §7, fill the first
    // screen with red).
    assert!(total > red, "{screen}");
    // The selected flag's message is in the strip at the bottom.
    let (_, fl) = view.rows(&data)[view.cursor.selected];
    assert!(narrow[19].contains(&fl.message), "{screen}");
    assert!(narrow[20].contains("HMP Testmoor"), "{screen}");
    assert!(narrow[20].contains("Enter opens case"), "{screen}");
    // Only the rows that fit are drawn: 21 − title − header − strip.
    let drawn = narrow
        .iter()
        .filter(|l| {
            ["  ▲ red", "  ● amber", "▶ "]
                .iter()
                .any(|p| l.starts_with(p))
        })
        .count();
    assert_eq!(drawn, 16.min(total), "{screen}");

    let wide = render(&mut view, &planner, &data, &filter, 120, 37);
    let screen = wide.join("\n");
    assert!(wide[1].contains("What is wrong"), "{screen}");
    let row = wide.iter().find(|l| l.starts_with("▶ ")).unwrap();
    assert!(
        row.contains("Q100001") && row.contains("Zed Officer"),
        "{screen}"
    );
    assert!(row.contains(&fl.message[..20]), "{screen}");
}

#[test]
fn the_whole_screen_at_80x24_and_120x40_and_enter_jumps_to_the_case() {
    use crate::tui::app::App;
    use crate::tui::ViewId;
    let planner = planner_with(&[homeless_soon()]);
    let clock = Box::new(|| today().and_hms_opt(9, 0, 0).unwrap());
    let mut app = App::new(planner, today(), clock, Theme::mono()).unwrap();
    app.dispatch(Action::Show(ViewId::Gaps));
    let draw = |app: &mut App, w: u16, h: u16| -> Vec<String> {
        let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
        term.draw(|f| app.draw(f)).unwrap();
        let buf = term.backend().buffer();
        (0..h)
            .map(|y| (0..w).map(|x| buf[(x, y)].symbol().to_string()).collect())
            .collect()
    };
    for (w, h) in [(80, 24), (120, 40)] {
        let lines = draw(&mut app, w, h);
        let text = lines.join("\n");
        assert!(
            lines[1].contains(" gaps · ") && lines[1].contains(" red · "),
            "{text}"
        );
        assert!(lines[3].starts_with("▶ ▲ red"), "{text}");
        // Rows end above the strip, the strip above the command bar.
        assert!(lines[(h - 5) as usize].starts_with("───"), "{text}");
        assert!(
            lines[(h - 3) as usize].contains("Enter opens case"),
            "{text}"
        );
    }
    app.dispatch(Action::Down);
    let crn = app.selected().unwrap();
    app.dispatch(Action::Open);
    assert_eq!(app.view, ViewId::Releases);
    assert_eq!(app.selected(), Some(crn));
    assert_eq!(app.popups.len(), 1, "the case's detail is open");
}
