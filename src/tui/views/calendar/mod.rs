//! 3 Calendar: Monday-first month grids (three side by side where the width allows), each day
//! shaded by its load, bank holidays and cluster days marked; the cluster warnings of the next
//! 12 months; and the releases of the day under the cursor.
//!
//! Keys, grid focus:
//! - `←` `→` / `h` `l`: one day back or on; `↑` `↓` / `k` `j`: one week.
//! - `[` `]` (and PgUp PgDn): one month, the day clamped to the month's length (31 Jan → 28 Feb).
//! - `g` Home / `G` End: the first / last day of the month; `t`: today.
//! - Enter: into the day's release list (only when it has releases; otherwise nothing happens).
//!
//! Keys, list focus:
//! - `↑` `↓` `j` `k` PgUp PgDn `g` `G`: move in the list; Enter: the app opens that case.
//! - `←` `→` / `h` `l`: back to the grid, moving one day; `[` `]` `t` also go back to the grid.
//! - Esc belongs to the app (it clears filters), so it does not leave the list.
//!
//! Drawing never scans the caseload per cell: shading reads `Caseload::loads`, and the day's
//! releases are a slice of `Caseload::cases` (sorted by expected day) found by binary search.
//!
//! Here the view, its keys and its layout; the month grid in `grid`, the cluster panel in
//! `clusters`, the day's releases in `day`.

mod clusters;
mod day;
mod grid;
#[cfg(test)]
mod tests;

use super::cursor::Cursor;
use crate::domain::calendar::Calendar;
use crate::domain::case::Crn;
use crate::keys::Action;
use crate::query::CaseView;
use crate::tui::data::Caseload;
use crate::tui::filter::Filter;
use crate::tui::{DrawCx, View};
use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use clusters::cluster_height;
use grid::{draw_legend, Levels};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::Frame;
use std::ops::Range;

/// Where the keys go: the month grid or the selected day's release list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Focus {
    Grid,
    List,
}

/// A month grid's width: 7 cells of 3 characters between two borders.
const MONTH_WIDTH: u16 = 7 * 3 + 2;
/// Title border, weekday header, six weeks, bottom border.
const MONTH_HEIGHT: u16 = 9;
/// From this width three months sit side by side, above the clusters and the day's list,
/// when the height leaves the list room (a 29-line terminal); otherwise one month sits
/// beside them, which suits any width.
const WIDE: u16 = 100;
const WIDE_HEIGHT: u16 = 26;

pub struct CalendarView {
    today: NaiveDate,
    /// The cursor day.
    day: NaiveDate,
    /// The first day of the first month shown.
    first_month: NaiveDate,
    focus: Focus,
    /// Over `rows`.
    cursor: Cursor,
    /// Positions in `Caseload::cases` of the cursor day's releases that pass the filter.
    rows: Vec<usize>,
    /// The cursor day's releases before the filter.
    total: usize,
    /// The filter `rows` were built with.
    filter: Filter,
    /// First cluster line drawn.
    cluster_offset: usize,
}

impl CalendarView {
    pub fn new(today: NaiveDate) -> CalendarView {
        CalendarView {
            today,
            day: today,
            first_month: month_start(today),
            focus: Focus::Grid,
            cursor: Cursor::default(),
            rows: Vec::new(),
            total: 0,
            filter: Filter::default(),
            cluster_offset: 0,
        }
    }

    /// Rebuilds the day's rows; the list cursor goes to `keep` if it is still there, else the top.
    fn rebuild(&mut self, data: &Caseload, keep: Option<&Crn>) {
        let range = day_range(data, self.day);
        self.total = range.len();
        self.rows = range.filter(|i| data.visible(*i, &self.filter)).collect();
        let at = keep.and_then(|crn| {
            self.rows
                .iter()
                .position(|i| data.cases[*i].case.crn == *crn)
        });
        self.cursor.selected = at.unwrap_or(0);
        if at.is_none() {
            self.cursor.offset = 0;
        }
        if self.rows.is_empty() {
            self.focus = Focus::Grid;
        }
    }

    fn move_to(&mut self, day: NaiveDate, data: &Caseload) {
        self.focus = Focus::Grid;
        if day != self.day {
            self.day = day;
            self.rebuild(data, None);
        }
    }

    /// The case under the list cursor, whatever the focus.
    fn row_case<'a>(&self, data: &'a Caseload) -> Option<&'a CaseView> {
        let i = *self.rows.get(self.cursor.selected)?;
        data.cases.get(i).filter(|v| v.expected_day() == self.day)
    }

    /// Moves `first_month` so the cursor day's month is among the `n` months shown.
    fn keep_month_visible(&mut self, n: u32) {
        let m = month_start(self.day);
        if m < self.first_month {
            self.first_month = m;
        }
        let last = self
            .first_month
            .checked_add_months(Months::new(n.saturating_sub(1)))
            .unwrap_or(self.first_month);
        if m > last {
            self.first_month = m
                .checked_sub_months(Months::new(n.saturating_sub(1)))
                .unwrap_or(m);
        }
    }
}

impl View for CalendarView {
    fn refresh(&mut self, data: &Caseload, filter: &Filter) {
        let keep = self.row_case(data).map(|v| v.case.crn.clone());
        self.filter = filter.clone();
        self.rebuild(data, keep.as_ref());
    }

    fn handle(&mut self, action: Action, data: &Caseload) -> bool {
        use Action as A;
        if self.focus == Focus::List {
            match action {
                A::Up | A::Down | A::PageUp | A::PageDown | A::Top | A::Bottom => {
                    return self.cursor.apply(action, self.rows.len());
                }
                // The app opens the case under the cursor.
                A::Open => return false,
                // Anything that moves the day goes back to the grid below.
                _ => {}
            }
        }
        let d = self.day;
        let day = match action {
            A::Left => d.checked_sub_days(Days::new(1)),
            A::Right => d.checked_add_days(Days::new(1)),
            A::Up => d.checked_sub_days(Days::new(7)),
            A::Down => d.checked_add_days(Days::new(7)),
            A::PrevMonth | A::PageUp => d.checked_sub_months(Months::new(1)),
            A::NextMonth | A::PageDown => d.checked_add_months(Months::new(1)),
            A::Top => Some(month_start(d)),
            A::Bottom => Some(month_end(d)),
            A::JumpToday => {
                self.first_month = month_start(self.today);
                Some(self.today)
            }
            A::Open => {
                if self.rows.is_empty() {
                    return false;
                }
                self.focus = Focus::List;
                return true;
            }
            _ => return false,
        };
        self.move_to(day.unwrap_or(d), data);
        true
    }

    fn draw(&mut self, f: &mut Frame, area: Rect, cx: &DrawCx) {
        let levels = Levels::of(cx);
        if area.width >= WIDE && area.height >= WIDE_HEIGHT {
            self.keep_month_visible(3);
            let [top, bottom] =
                Layout::vertical([Constraint::Length(MONTH_HEIGHT), Constraint::Min(0)])
                    .areas(area);
            let [m1, m2, m3, legend] = Layout::horizontal([
                Constraint::Length(MONTH_WIDTH + 1),
                Constraint::Length(MONTH_WIDTH + 1),
                Constraint::Length(MONTH_WIDTH + 1),
                Constraint::Min(0),
            ])
            .areas(top);
            for (k, rect) in [m1, m2, m3].into_iter().enumerate() {
                let month = self
                    .first_month
                    .checked_add_months(Months::new(k as u32))
                    .unwrap_or(self.first_month);
                let rect = Rect {
                    width: MONTH_WIDTH.min(rect.width),
                    ..rect
                };
                self.draw_month(f, rect, month, cx, &levels);
            }
            draw_legend(f, legend, cx.theme, &levels);
            let h = cluster_height(cx.data, bottom.height * 2 / 5);
            let [clusters, list] =
                Layout::vertical([Constraint::Length(h), Constraint::Min(0)]).areas(bottom);
            self.draw_clusters(f, clusters, cx);
            self.draw_day(f, list, cx);
        } else {
            self.keep_month_visible(1);
            let [left, right] =
                Layout::horizontal([Constraint::Length(MONTH_WIDTH + 1), Constraint::Min(0)])
                    .areas(area);
            let [grid, legend] =
                Layout::vertical([Constraint::Length(MONTH_HEIGHT), Constraint::Min(0)])
                    .areas(left);
            let grid = Rect {
                width: MONTH_WIDTH.min(grid.width),
                ..grid
            };
            self.draw_month(f, grid, month_start(self.day), cx, &levels);
            draw_legend(f, legend, cx.theme, &levels);
            let right = Rect {
                x: right.x + 1,
                width: right.width.saturating_sub(1),
                ..right
            };
            let h = cluster_height(cx.data, right.height * 2 / 5);
            let [clusters, list] =
                Layout::vertical([Constraint::Length(h), Constraint::Min(0)]).areas(right);
            self.draw_clusters(f, clusters, cx);
            self.draw_day(f, list, cx);
        }
    }

    fn selected(&self, data: &Caseload) -> Option<Crn> {
        if self.focus != Focus::List {
            return None;
        }
        self.row_case(data).map(|v| v.case.crn.clone())
    }

    fn select(&mut self, crn: &Crn, data: &Caseload) -> bool {
        let Some(v) = data.get(crn) else {
            return false;
        };
        self.day = v.expected_day();
        self.rebuild(data, Some(crn));
        let found = self.row_case(data).is_some_and(|v| v.case.crn == *crn);
        self.focus = if found { Focus::List } else { Focus::Grid };
        found
    }

    fn next_sort(&mut self, _data: &Caseload, _filter: &Filter) -> &'static str {
        "day (the calendar keeps one order)"
    }
}

pub(super) fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

pub(super) fn month_end(d: NaiveDate) -> NaiveDate {
    month_start(d)
        .checked_add_months(Months::new(1))
        .and_then(|n| n.pred_opt())
        .unwrap_or(d)
}

/// Positions in `data.cases` (sorted by expected day) of the cases expected on `day`.
pub(super) fn day_range(data: &Caseload, day: NaiveDate) -> Range<usize> {
    let lo = data.first_on_or_after(day);
    let hi = day
        .succ_opt()
        .map_or(data.cases.len(), |d| data.first_on_or_after(d));
    lo..hi
}

/// The bank holiday on `d`; 25 December is one even when the list names a substitute day.
pub(super) fn holiday_title(cal: &Calendar, d: NaiveDate) -> Option<String> {
    match cal.holiday(d) {
        Some(h) if h.projected => Some(format!("{} (projected)", h.title)),
        Some(h) => Some(h.title),
        None if d.month() == 12 && d.day() == 25 => Some("Christmas Day".to_string()),
        None => None,
    }
}

pub(super) fn weekday_name(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}
