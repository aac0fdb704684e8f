use super::*;
use crate::domain::clusters::Cluster;
use crate::domain::dates;
use crate::domain::demo::{self, DemoOptions};
use crate::query::{Planner, Settings};
use crate::tui::theme::Theme;
use ratatui::backend::TestBackend;
use ratatui::style::Modifier;
use ratatui::Terminal;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const TODAY: (i32, u32, u32) = (2026, 11, 23);

fn today() -> NaiveDate {
    d(TODAY.0, TODAY.1, TODAY.2)
}

/// A planner and caseload: `cases` demo cases from today (none when 0).
fn fixture(cases: usize) -> (Planner, Caseload) {
    let mut planner = Planner::in_memory(Settings::default()).unwrap();
    if cases > 0 {
        let opts = DemoOptions {
            cases,
            seed: 3,
            weeks: 16,
        };
        let generated = demo::generate(&opts, today(), &planner.cal);
        planner.put_cases(&generated, "test").unwrap();
    }
    let data = Caseload::load(&planner, today()).unwrap();
    (planner, data)
}

fn view_on(day: NaiveDate, data: &Caseload) -> CalendarView {
    let mut v = CalendarView::new(today());
    v.refresh(data, &Filter::default());
    v.move_to(day, data);
    v
}

/// Draws the view into the body of a `width` × `height` terminal (tabs and bar take 3 lines).
fn render(
    view: &mut CalendarView,
    planner: &Planner,
    data: &Caseload,
    filter: &Filter,
    width: u16,
    height: u16,
) -> (String, ratatui::buffer::Buffer) {
    let theme = Theme::mono();
    let cx = DrawCx {
        data,
        filter,
        planner,
        theme: &theme,
        today: today(),
        warn_weeks: planner.settings.clusters.warn_weeks,
        keys: &crate::keys::KeyMap::default(),
    };
    let mut term = Terminal::new(TestBackend::new(width, height)).unwrap();
    term.draw(|f| view.draw(f, Rect::new(0, 1, width, height - 3), &cx))
        .unwrap();
    let buf = term.backend().buffer().clone();
    let mut text = String::new();
    for y in 0..height {
        let mut skip = 0;
        for x in 0..width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let s = buf[(x, y)].symbol();
            skip = unicode_width(s).saturating_sub(1);
            text.push_str(s);
        }
        text.push('\n');
    }
    (text, buf)
}

fn unicode_width(s: &str) -> usize {
    ratatui::text::Span::raw(s).width()
}

/// Where `needle` starts in the rendered text, as (column, row) cells.
fn find(text: &str, needle: &str) -> Option<(u16, u16)> {
    text.lines().enumerate().find_map(|(y, l)| {
        l.find(needle)
            .map(|b| (unicode_width(&l[..b]) as u16, y as u16))
    })
}

#[test]
fn days_move_across_month_and_year_ends() {
    let (_p, data) = fixture(0);
    let mut v = view_on(d(2026, 12, 31), &data);
    assert!(v.handle(Action::Right, &data));
    assert_eq!(v.day, d(2027, 1, 1));
    v.handle(Action::Left, &data);
    v.handle(Action::Left, &data);
    assert_eq!(v.day, d(2026, 12, 30));
    v.handle(Action::Down, &data);
    assert_eq!(v.day, d(2027, 1, 6));
    v.handle(Action::Up, &data);
    v.handle(Action::Up, &data);
    assert_eq!(v.day, d(2026, 12, 23));
    v.handle(Action::Bottom, &data);
    assert_eq!(v.day, d(2026, 12, 31));
    v.handle(Action::Top, &data);
    assert_eq!(v.day, d(2026, 12, 1));
    v.handle(Action::JumpToday, &data);
    assert_eq!(v.day, today());
    assert!(!v.handle(Action::Sort, &data), "not a calendar key");
}

#[test]
fn months_clamp_to_the_length_of_the_month() {
    let (_p, data) = fixture(0);
    let mut v = view_on(d(2027, 1, 31), &data);
    v.handle(Action::NextMonth, &data);
    assert_eq!(v.day, d(2027, 2, 28));
    let mut v = view_on(d(2028, 1, 31), &data);
    v.handle(Action::NextMonth, &data);
    assert_eq!(v.day, d(2028, 2, 29), "leap year");
    let mut v = view_on(d(2028, 3, 31), &data);
    v.handle(Action::PrevMonth, &data);
    assert_eq!(v.day, d(2028, 2, 29));
    let mut v = view_on(d(2027, 1, 31), &data);
    v.handle(Action::PrevMonth, &data);
    assert_eq!(v.day, d(2026, 12, 31), "back across the year end");
    v.handle(Action::PageDown, &data);
    assert_eq!(v.day, d(2027, 1, 31));
}

#[test]
fn enter_goes_into_the_list_only_when_the_day_has_releases() {
    let (_p, data) = fixture(60);
    let busy = data
        .cases
        .iter()
        .map(|c| c.expected_day())
        .find(|day| *day >= today())
        .unwrap();
    let empty = today()
        .iter_days()
        .find(|day| day.weekday() == Weekday::Sun && !data.loads.contains_key(day))
        .unwrap();

    let mut v = view_on(empty, &data);
    assert!(!v.handle(Action::Open, &data), "nothing to go into");
    assert_eq!(v.focus, Focus::Grid);
    assert_eq!(v.selected(&data), None);

    let mut v = view_on(busy, &data);
    assert_eq!(v.selected(&data), None, "the grid has no selected case");
    assert!(v.handle(Action::Open, &data));
    assert_eq!(v.focus, Focus::List);
    let first = v.selected(&data).expect("a case under the list cursor");
    assert_eq!(data.get(&first).unwrap().expected_day(), busy);
    assert!(!v.handle(Action::Open, &data), "the app opens the case");
    if v.rows.len() > 1 {
        assert!(v.handle(Action::Down, &data));
        assert_eq!(v.day, busy, "↓ moves in the list, not the grid");
        assert_ne!(v.selected(&data), Some(first));
    }
    assert!(v.handle(Action::Right, &data));
    assert_eq!(v.focus, Focus::Grid);
    assert_eq!(v.day, busy.succ_opt().unwrap());
    assert_eq!(v.selected(&data), None);
}

#[test]
fn select_jumps_to_the_case_day_and_into_the_list() {
    let (_p, data) = fixture(60);
    let target = data
        .cases
        .iter()
        .rev()
        .find(|c| c.expected_day() > today() + Days::new(30))
        .unwrap();
    let mut v = CalendarView::new(today());
    v.refresh(&data, &Filter::default());
    assert!(v.select(&target.case.crn, &data));
    assert_eq!(v.day, target.expected_day());
    assert_eq!(v.selected(&data), Some(target.case.crn.clone()));
    // A filter that hides the case: the day moves but nothing is selected.
    let hidden = Filter::searching("no such person");
    v.refresh(&data, &hidden);
    assert_eq!(v.selected(&data), None);
    assert!(!v.select(&target.case.crn, &data));
}

#[test]
fn the_day_list_respects_the_filter_but_the_count_says_so() {
    let (p, data) = fixture(60);
    let crowded = data
        .loads
        .iter()
        .filter(|(day, _)| **day >= today())
        .max_by_key(|(_, l)| l.load)
        .map(|(day, l)| (*day, l.load))
        .unwrap();
    let mut v = view_on(crowded.0, &data);
    let name = data.cases[v.rows[0]].case.name.clone();
    let filter = Filter::searching(name.clone());
    v.refresh(&data, &filter);
    let (text, _) = render(&mut v, &p, &data, &filter, 120, 40);
    assert!(
        text.contains(&format!("of {} releases (filtered)", crowded.1)),
        "{text}"
    );
    assert!(text.contains(&name), "{text}");
}

#[test]
fn renders_one_month_at_80_columns() {
    let (p, data) = fixture(60);
    let mut v = CalendarView::new(today());
    v.refresh(&data, &Filter::default());
    let (text, buf) = render(&mut v, &p, &data, &Filter::default(), 80, 24);
    assert!(text.contains("November 2026"), "{text}");
    assert!(!text.contains("December 2026 "), "one month only:\n{text}");
    assert!(text.contains("Mo Tu We Th Fr Sa Su"), "{text}");
    assert!(text.contains("Clusters in the next 12 months"), "{text}");
    assert!(text.contains("23–28 Dec"), "Christmas 2026 listed:\n{text}");
    assert!(text.contains("Mon 23 Nov 2026 (today)"), "{text}");
    assert!(text.lines().all(|l| l.chars().count() <= 80));
    // Today is the cursor day: reversed and underlined, without colour.
    let (x, y) = find(&text, "23 24 25").expect("the week of the 23rd");
    let cell = &buf[(x, y)];
    assert!(cell.modifier.contains(Modifier::REVERSED), "{cell:?}");
    assert!(cell.modifier.contains(Modifier::UNDERLINED), "{cell:?}");
}

#[test]
fn renders_three_months_at_120_columns_with_marks_that_need_no_colour() {
    let (p, data) = fixture(60);
    let mut v = view_on(d(2026, 12, 23), &data);
    let (text, buf) = render(&mut v, &p, &data, &Filter::default(), 120, 40);
    for month in ["November 2026", "December 2026", "January 2027"] {
        assert!(text.contains(month), "{month}:\n{text}");
    }
    assert!(text.contains("Mo Tu We Th Fr Sa Su"), "{text}");
    // Christmas week: the cluster day marked red, the bank holidays starred.
    assert!(text.contains("23▲24 25*26 27"), "{text}");
    assert!(text.contains("28*29"), "{text}");
    let (x, y) = find(&text, "23▲24").unwrap();
    assert!(buf[(x, y)].modifier.contains(Modifier::REVERSED));
    // The panel lists it, and marks it as a warning to act on now.
    let line = text
        .lines()
        .find(|l| l.contains("23–28 Dec") && l.contains("Wed 23 Dec"))
        .unwrap_or_else(|| panic!("no Christmas cluster line:\n{text}"));
    assert!(line.contains("⚠") && line.contains("▲ red"), "{line}");
    assert!(line.contains("Christmas Day"), "{line}");
    // The day list: heading, the cluster's message, then the releases.
    let load = data.loads[&d(2026, 12, 23)];
    let heading = format!(
        "Wed 23 Dec 2026 · {} release{}",
        load.load,
        if load.load == 1 { "" } else { "s" }
    );
    assert!(text.contains(&heading), "{heading}:\n{text}");
    // §2's sentence for how the Friday policy moves Christmas 2026.
    assert!(
        text.contains(
            "▲ Thu 24 Dec 2026 takes releases due 24–28 Dec; under the Friday policy most go \
             out Wed 23 Dec, which then covers 23–28"
        ),
        "{text}"
    );
    // One release is "1 release", never "1 releases".
    let easter = text
        .lines()
        .find(|l| l.contains("Wed 24 Mar 2027"))
        .unwrap_or_else(|| panic!("no Easter line:\n{text}"));
    let n = data.loads.get(&d(2027, 3, 24)).map_or(0, |l| l.load);
    assert!(
        easter.contains(&crate::domain::clusters::releases(n)),
        "{easter}"
    );
    assert!(!text.contains("1 releases"), "{text}");
}

#[test]
fn a_holiday_says_so_and_an_empty_day_says_so() {
    let (p, data) = fixture(0);
    let mut v = view_on(d(2026, 12, 25), &data);
    let (text, _) = render(&mut v, &p, &data, &Filter::default(), 80, 24);
    assert!(text.contains("Bank holiday: Christmas Day"), "{text}");
    assert!(text.contains("No releases expected."), "{text}");
    let mut v = view_on(d(2026, 12, 1), &data);
    let (text, _) = render(&mut v, &p, &data, &Filter::default(), 80, 24);
    assert!(text.contains("takes releases due 1 Dec"), "{text}");
    assert!(!text.contains("covers"), "{text}");
}

#[test]
fn three_months_need_the_width_and_the_height() {
    let (p, data) = fixture(60);
    let months = |w, h| {
        let mut v = CalendarView::new(today());
        v.refresh(&data, &Filter::default());
        let (text, _) = render(&mut v, &p, &data, &Filter::default(), w, h);
        ["November 2026", "December 2026", "January 2027"]
            .iter()
            .filter(|m| text.contains(*m))
            .count()
    };
    assert_eq!(months(80, 24), 1);
    assert_eq!(months(100, 24), 1, "too short for three above the list");
    assert_eq!(months(100, 30), 3);
    assert_eq!(months(120, 40), 3);
}

#[test]
fn the_cluster_panel_scrolls_to_the_cursor_day() {
    let (p, data) = fixture(60);
    let last = data.clusters.last().unwrap().clone();
    let first = data.clusters.first().unwrap().clone();
    assert!(data.clusters.len() > 4, "enough clusters to scroll");
    let mut v = view_on(last.day, &data);
    // 80 × 18: the panel shows fewer clusters than there are.
    let (text, _) = render(&mut v, &p, &data, &Filter::default(), 80, 18);
    let day = |k: &Cluster| dates::near(k.day, today());
    assert!(text.contains(&day(&last)), "{text}");
    assert!(!text.contains(&format!("{}  ", day(&first))), "{text}");
    v.handle(Action::JumpToday, &data);
    let (text, _) = render(&mut v, &p, &data, &Filter::default(), 80, 18);
    assert!(text.contains(&day(&first)), "{text}");
}

#[test]
fn load_levels_follow_the_average() {
    let small = Levels::from_average(0.6);
    assert_eq!(
        (
            small.level(0),
            small.level(1),
            small.level(2),
            small.level(3)
        ),
        (0, 1, 2, 3)
    );
    let big = Levels::from_average(1250.0);
    assert_eq!(big.level(1250), 1);
    assert_eq!(big.level(2500), 2);
    assert_eq!(big.level(4000), 3);
}
