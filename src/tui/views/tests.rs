//! What the views' tests share: a day, a planner over the demo caseload with a few cases of
//! the test's own, and a view drawn into a TestBackend read back as lines.

use crate::domain::case::Case;
use crate::domain::demo::{generate, DemoOptions};
use crate::query::{Planner, Settings};
use crate::tui::data::Caseload;
use crate::tui::filter::Filter;
use crate::tui::theme::Theme;
use crate::tui::{DrawCx, View};
use chrono::NaiveDate;
use ratatui::backend::TestBackend;
use ratatui::Terminal;

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub fn today() -> NaiveDate {
    d(2026, 11, 23)
}

/// The demo caseload plus a few hand-made cases, in an in-memory store.
pub fn planner_with(extra: &[Case]) -> Planner {
    let mut planner = Planner::in_memory(Settings::default()).expect("planner");
    let mut cases = generate(
        &DemoOptions {
            cases: 80,
            seed: 5,
            weeks: 16,
        },
        today(),
        &planner.cal,
    );
    cases.retain(|c| extra.iter().all(|e| e.crn != c.crn));
    cases.extend(extra.iter().cloned());
    planner.put_cases(&cases, "test").unwrap();
    planner
}

pub fn render(
    view: &mut dyn View,
    planner: &Planner,
    data: &Caseload,
    filter: &Filter,
    w: u16,
    h: u16,
) -> Vec<String> {
    let theme = Theme::mono();
    let cx = DrawCx {
        data,
        filter,
        planner,
        theme: &theme,
        today: data.today,
        warn_weeks: 8,
        keys: &crate::keys::KeyMap::default(),
    };
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| view.draw(f, f.area(), &cx)).unwrap();
    let buf = term.backend().buffer();
    (0..h)
        .map(|y| (0..w).map(|x| buf[(x, y)].symbol().to_string()).collect())
        .collect()
}
