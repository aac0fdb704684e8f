//! Placeholder until the view is built.

use crate::domain::case::Crn;
use crate::tui::action::Action;
use crate::tui::data::Caseload;
use crate::tui::filter::Filter;
use crate::tui::{DrawCx, View};
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

pub struct CalendarView;

impl CalendarView {
    pub fn new(_today: chrono::NaiveDate) -> CalendarView {
        CalendarView
    }
}

impl View for CalendarView {
    fn refresh(&mut self, _data: &Caseload, _filter: &Filter) {}
    fn handle(&mut self, _action: Action, _data: &Caseload) -> bool {
        false
    }
    fn draw(&mut self, f: &mut Frame, area: Rect, _cx: &DrawCx) {
        f.render_widget(Paragraph::new("coming soon"), area);
    }
    fn selected(&self, _data: &Caseload) -> Option<Crn> {
        None
    }
    fn select(&mut self, _crn: &Crn, _data: &Caseload) -> bool {
        false
    }
    fn next_sort(&mut self, _data: &Caseload, _filter: &Filter) -> &'static str {
        "default"
    }
}
