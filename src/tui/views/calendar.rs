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

use super::cursor::Cursor;
use crate::domain::calendar::Calendar;
use crate::domain::case::Crn;
use crate::domain::clusters::Cluster;
use crate::domain::dates;
use crate::keys::Action;
use crate::query::CaseView;
use crate::text::{fit, inert, pad, width, wrap};
use crate::tui::data::Caseload;
use crate::tui::filter::Filter;
use crate::tui::theme::Theme;
use crate::tui::{DrawCx, View};
use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
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

// ---------------------------------------------------------------------------------------------
// The month grid

impl CalendarView {
    fn draw_month(
        &self,
        f: &mut Frame,
        area: Rect,
        month: NaiveDate,
        cx: &DrawCx,
        levels: &Levels,
    ) {
        let t = cx.theme;
        let title_style = if month == month_start(self.day) {
            t.title()
        } else {
            Style::default()
        };
        let title = format!(" {} ", month.format("%B %Y"));
        let block =
            Block::bordered().title(Line::from(Span::styled(title, title_style)).centered());
        let inner = block.inner(area);
        f.render_widget(block, area);

        let mut lines = Vec::with_capacity(7);
        let mut header = Vec::with_capacity(7);
        for (k, name) in ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
            .iter()
            .enumerate()
        {
            let style = if k >= 5 { t.dim() } else { Style::default() };
            let sep = if k < 6 { " " } else { "" };
            header.push(Span::styled(format!("{name}{sep}"), style));
        }
        lines.push(Line::from(header));

        let lead = month.weekday().num_days_from_monday() as i64;
        let last = month_end(month);
        for week in 0..6i64 {
            let mut spans = Vec::with_capacity(14);
            for col in 0..7i64 {
                let offset = week * 7 + col - lead;
                let day = (offset >= 0)
                    .then(|| month.checked_add_days(Days::new(offset as u64)))
                    .flatten()
                    .filter(|d| *d <= last);
                match day {
                    Some(d) => spans.extend(self.cell(d, cx, levels)),
                    None => spans.push(Span::raw("   ")),
                }
            }
            lines.push(Line::from(spans));
        }
        f.render_widget(Paragraph::new(lines), inner);
    }

    /// A day's cell: the number, shaded by load, then one mark (cluster symbol, `*` for a
    /// bank holiday). Today is underlined and the cursor day reversed, so neither needs colour.
    fn cell(&self, d: NaiveDate, cx: &DrawCx, levels: &Levels) -> [Span<'static>; 2] {
        let t = cx.theme;
        let cal = &cx.planner.cal;
        let load = cx.data.loads.get(&d).map_or(0, |l| l.load);
        let mut number = t.load(levels.level(load));
        let mut mark = Style::default();
        let holiday = holiday_title(cal, d).is_some();
        if holiday {
            number = number.patch(t.holiday());
            mark = mark.patch(t.holiday());
        } else if cal.is_non_working(d) {
            number = number.patch(t.dim());
        }
        let cluster = cx.data.cluster_on(d);
        let symbol = match cluster {
            Some(k) => {
                mark = mark.patch(t.severity(k.severity));
                k.severity.symbol()
            }
            None if holiday => "*",
            None => " ",
        };
        if d == cx.today {
            number = number.patch(t.today());
        }
        if d == self.day {
            number = number.patch(t.selected());
            mark = mark.patch(t.selected());
        }
        [
            Span::styled(format!("{:>2}", d.day()), number),
            Span::styled(symbol, mark),
        ]
    }
}

/// Load shading thresholds, from the average releases per working day (days with releases,
/// over the next 12 months), so the shades mean the same for a caseload of 50 or 100,000.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Levels {
    /// Up to this many releases: a typical day (level 1).
    typical: usize,
    /// Up to this many: busy (level 2); above it heavy (level 3).
    busy: usize,
}

impl Levels {
    fn of(cx: &DrawCx) -> Levels {
        // Days with releases only: a few cases due months out would otherwise stretch the
        // range and make every ordinary day look heavy.
        let from = cx.today;
        let to = from.checked_add_months(Months::new(12)).unwrap_or(from);
        let (mut total, mut days) = (0usize, 0usize);
        for (d, l) in cx.data.loads.range(from..=to) {
            if l.load > 0 && cx.planner.cal.is_working(*d) {
                total += l.load;
                days += 1;
            }
        }
        Levels::from_average(total as f64 / days.max(1) as f64)
    }

    fn from_average(avg: f64) -> Levels {
        let typical = ((avg * 1.25).ceil() as usize).max(1);
        let busy = ((avg * 2.5).ceil() as usize).max(typical + 1);
        Levels { typical, busy }
    }

    fn level(&self, load: usize) -> u8 {
        match load {
            0 => 0,
            n if n <= self.typical => 1,
            n if n <= self.busy => 2,
            _ => 3,
        }
    }
}

/// What each shade and mark means, each with a sample cell drawn the way the grid draws it.
fn draw_legend(f: &mut Frame, area: Rect, t: &Theme, levels: &Levels) {
    if area.width < 8 || area.height == 0 {
        return;
    }
    let area = Rect {
        x: area.x + 1,
        width: area.width - 1,
        ..area
    };
    let sample = |style: Style| Span::styled("12", style);
    let typical = if levels.typical == 1 {
        "1".to_string()
    } else {
        format!("1–{}", levels.typical)
    };
    let busy = if levels.busy == levels.typical + 1 {
        format!("{}", levels.busy)
    } else {
        format!("{}–{}", levels.typical + 1, levels.busy)
    };
    let red = crate::domain::severity::Severity::Red;
    let amber = crate::domain::severity::Severity::Amber;
    let lines = vec![
        Line::styled("Releases a day", t.dim()),
        Line::from(vec![
            sample(t.load(1)),
            Span::raw(format!("  {typical}: typical")),
        ]),
        Line::from(vec![
            sample(t.load(2)),
            Span::raw(format!("  {busy}: busy")),
        ]),
        Line::from(vec![
            sample(t.load(3)),
            Span::raw(format!("  {}+: heavy", levels.busy + 1)),
        ]),
        Line::from(vec![
            sample(t.holiday()),
            Span::styled("*", t.holiday()),
            Span::raw(" bank holiday"),
        ]),
        Line::from(vec![
            sample(Style::default()),
            Span::styled(red.symbol(), t.severity(red)),
            Span::raw(" red cluster"),
        ]),
        Line::from(vec![
            sample(Style::default()),
            Span::styled(amber.symbol(), t.severity(amber)),
            Span::raw(" amber cluster"),
        ]),
        Line::from(vec![sample(t.today()), Span::raw("  today")]),
        Line::from(vec![sample(t.selected()), Span::raw("  selected day")]),
    ];
    f.render_widget(Paragraph::new(lines), area);
}

// ---------------------------------------------------------------------------------------------
// The cluster panel

/// Rows for the cluster panel: a title line and one per cluster, at most `max`.
fn cluster_height(data: &Caseload, max: u16) -> u16 {
    let want = data.clusters.len().max(1) as u16 + 1;
    want.min(max.max(3))
}

impl CalendarView {
    fn draw_clusters(&mut self, f: &mut Frame, area: Rect, cx: &DrawCx) {
        let t = cx.theme;
        let warn_until = cx
            .today
            .checked_add_days(Days::new(u64::from(cx.warn_weeks) * 7))
            .unwrap_or(cx.today);
        let block = Block::default()
            .borders(Borders::TOP)
            .title(Line::from(vec![
                Span::styled(" Clusters in the next 12 months ", t.title()),
                Span::styled(format!("⚠ = within {} weeks ", cx.warn_weeks), t.dim()),
            ]));
        let inner = block.inner(area);
        f.render_widget(block, area);
        let clusters = &cx.data.clusters;
        if clusters.is_empty() {
            f.render_widget(
                Paragraph::new("No holiday or load clusters in the next 12 months.").style(t.dim()),
                inner,
            );
            return;
        }
        // Keep the cursor day's cluster, or the next one after it, in view.
        let height = inner.height as usize;
        let target = clusters
            .partition_point(|k| k.day < self.day)
            .min(clusters.len() - 1);
        if target < self.cluster_offset {
            self.cluster_offset = target;
        }
        if height > 0 && target >= self.cluster_offset + height {
            self.cluster_offset = target + 1 - height;
        }
        self.cluster_offset = self
            .cluster_offset
            .min(clusters.len().saturating_sub(height.max(1)));
        let shown =
            &clusters[self.cluster_offset..(self.cluster_offset + height).min(clusters.len())];
        let cols = ClusterColumns::of(shown, cx.today, inner.width as usize);
        let lines: Vec<Line> = shown
            .iter()
            .map(|k| cluster_line(k, cx, &cols, (k.day <= warn_until, k.day == self.day)))
            .collect();
        f.render_widget(Paragraph::new(lines), inner);
    }
}

/// Column widths shared by the cluster lines on screen, so they line up.
struct ClusterColumns {
    day: usize,
    load: usize,
    nfa: usize,
    /// The whole line, and whether "releases" fits where "rel" would otherwise do.
    width: usize,
}

impl ClusterColumns {
    fn of(shown: &[Cluster], today: NaiveDate, line_width: usize) -> ClusterColumns {
        let max = |f: &dyn Fn(&Cluster) -> usize| shown.iter().map(f).max().unwrap_or(1);
        ClusterColumns {
            day: max(&|k| width(&dates::near(k.day, today))),
            load: max(&|k| k.load.to_string().len()),
            nfa: max(&|k| k.no_accommodation.to_string().len()),
            width: line_width,
        }
    }
}

/// "⚠ ▲ red   Wed 23 Dec  23–28 Dec     21 releases ·  9 NFA  Christmas Day, Boxing Day",
/// cut with "…" to the panel's width.
fn cluster_line<'a>(
    k: &Cluster,
    cx: &DrawCx,
    cols: &ClusterColumns,
    (warn_now, on_cursor): (bool, bool),
) -> Line<'a> {
    let t = cx.theme;
    let base = match (warn_now, on_cursor) {
        (_, true) => t.selected().patch(if warn_now {
            t.title()
        } else {
            Style::default()
        }),
        (true, false) => t.title(),
        (false, false) => Style::default(),
    };
    // The due dates it takes ("23–28 Dec"): the line reads "Wed 23 Dec  23–28 Dec".
    let covers = k.takes();
    let why = k.why();
    let lead = format!(
        "{} {} {:<5} ",
        if warn_now { "⚠" } else { " " },
        k.severity.symbol(),
        k.severity.as_str()
    );
    let gap = if cols.width >= 80 { "  " } else { " " };
    let noun = match (cols.width >= 80, k.load == 1) {
        (true, true) => "release ",
        (true, false) => "releases",
        (false, _) => "rel",
    };
    let mut rest = format!(
        "{:<dw$}{gap}{:<12}{gap}{:>lw$} {noun} · {:>nw$} NFA",
        dates::near(k.day, cx.today),
        covers,
        k.load,
        k.no_accommodation,
        dw = cols.day,
        lw = cols.load,
        nw = cols.nfa,
    );
    let room = cols.width.saturating_sub(width(&lead));
    // The holidays where there is room for more than a stub of them (the day list has them).
    let left = room.saturating_sub(width(&rest) + gap.len());
    if left >= 8 {
        rest += gap;
        rest += &fit(&why, left);
    }
    Line::from(vec![
        Span::styled(lead, base.patch(t.severity(k.severity))),
        Span::styled(fit(&rest, room), base),
    ])
}

// ---------------------------------------------------------------------------------------------
// The day's releases

impl CalendarView {
    fn draw_day(&mut self, f: &mut Frame, area: Rect, cx: &DrawCx) {
        let t = cx.theme;
        let title = match (self.focus, self.rows.is_empty()) {
            (Focus::List, _) => {
                Span::styled(" Releases · Enter opens · ←→ calendar ", t.tab_active())
            }
            (Focus::Grid, false) => Span::styled(" Releases · Enter to pick one ", t.title()),
            (Focus::Grid, true) => Span::styled(" Releases ", t.title()),
        };
        // Only the top border: the inside is the area less one line.
        let width = area.width as usize;
        let mut lines = self.day_heading(cx, width);
        let room = (area.height.saturating_sub(1) as usize).saturating_sub(lines.len());
        let n = self.rows.len();
        let position = match self.focus {
            Focus::List => format!(" {} of {n} ", self.cursor.selected + 1),
            Focus::Grid if n > room => format!(" first {room} of {n} "),
            Focus::Grid => String::new(),
        };
        let block = Block::default()
            .borders(Borders::TOP)
            .title(title)
            .title(Line::styled(position, t.dim()).right_aligned());
        let inner = block.inner(area);
        f.render_widget(block, area);
        if self.rows.is_empty() {
            lines.push(Line::styled(self.empty_message(cx), t.dim()));
        } else {
            let window = self.cursor.window(self.rows.len(), room);
            let widths = Columns::for_width(width);
            for pos in window {
                let v = &cx.data.cases[self.rows[pos]];
                let selected = self.focus == Focus::List && pos == self.cursor.selected;
                lines.push(release_line(v, &widths, t, selected));
            }
        }
        f.render_widget(Paragraph::new(lines), inner);
    }

    /// "Wed 23 Dec 2026 · 21 releases · 9 with nowhere to go", then the cluster's message,
    /// the bank holiday, or what the day covers.
    fn day_heading(&self, cx: &DrawCx, line_width: usize) -> Vec<Line<'static>> {
        let t = cx.theme;
        let cal = &cx.planner.cal;
        let d = self.day;
        let shown = self.rows.len();
        let homeless = self
            .rows
            .iter()
            .filter(|i| cx.data.cases[**i].case.needs_accommodation())
            .count();
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let mut head = vec![Span::styled(dates::long(d), t.heading())];
        if d == cx.today {
            head.push(Span::styled(" (today)", t.heading()));
        }
        let count = if shown < self.total {
            format!(
                " · {shown} of {} release{} (filtered)",
                self.total,
                plural(self.total)
            )
        } else {
            format!(" · {shown} release{}", plural(shown))
        };
        head.push(Span::styled(count, t.heading()));
        let nowhere = (homeless > 0).then(|| format!("{homeless} with nowhere to go"));
        let mut lines = Vec::new();
        match nowhere {
            // On one line where it fits, else on the next.
            Some(text) if Line::from(head.clone()).width() + 3 + width(&text) <= line_width => {
                head.push(Span::styled(format!(" · {text}"), t.homeless()));
                lines.push(Line::from(head));
            }
            Some(text) => {
                lines.push(Line::from(head));
                lines.push(Line::styled(text, t.homeless()));
            }
            None => lines.push(Line::from(head)),
        }
        if let Some(k) = cx.data.cluster_on(d) {
            let text = format!("{} {}", k.severity.symbol(), k.message);
            for l in wrap(&text, line_width.max(20), 2).lines() {
                lines.push(Line::styled(l.to_string(), t.severity(k.severity)));
            }
        }
        if let Some(title) = holiday_title(cal, d) {
            lines.push(Line::styled(
                format!("* Bank holiday: {title}"),
                t.holiday(),
            ));
        } else if cal.is_non_working(d) {
            lines.push(Line::styled(
                format!(
                    "{}: releases due today go out {}",
                    weekday_name(d.weekday()),
                    dates::near(cal.ordinary_expected_day(d), cx.today)
                ),
                t.dim(),
            ));
        }
        if cal.is_working(d) && cx.data.cluster_on(d).is_none() {
            let covers = cal.covers(d);
            let text = match (covers.first(), covers.last()) {
                (Some(a), Some(b)) => format!("takes releases due {}", dates::range(*a, *b)),
                _ => format!(
                    "takes no ordinary releases: under the Friday policy those due today go out {}",
                    dates::near(cal.ordinary_expected_day(d), cx.today)
                ),
            };
            lines.push(Line::styled(text, t.dim()));
        }
        lines
    }

    fn empty_message(&self, cx: &DrawCx) -> String {
        // The screens hold the cases from the duty sheet's look-back on.
        let back = cx.data.from;
        if self.day < back {
            format!(
                "Releases before {} are not on screen (the planner looks back {}).",
                dates::near(back, cx.today),
                dates::days(cx.planner.settings.outstanding_days.into())
            )
        } else if self.total > 0 {
            format!(
                "None of them match the search or filter. {}",
                cx.clear_hint()
            )
        } else {
            "No releases expected.".to_string()
        }
    }
}

/// Widths of the release list's columns; officer and prison only where there is room.
struct Columns {
    name: usize,
    officer: usize,
    prison: usize,
}

const CRN_W: usize = 7;
const ACCOM_W: usize = 11;
const FLAG_W: usize = 10;

impl Columns {
    fn for_width(width: usize) -> Columns {
        // Marker, CRN, accommodation, flag and the gaps between them.
        let fixed = 2 + CRN_W + ACCOM_W + FLAG_W + 3 * 2;
        let rest = width.saturating_sub(fixed);
        if rest >= 70 {
            // Names rarely need more than 30; prison takes what is left.
            let name = (rest - 44).min(30);
            Columns {
                name,
                officer: 20,
                prison: rest - name - 24,
            }
        } else if rest >= 42 {
            Columns {
                name: rest - 22,
                officer: 20,
                prison: 0,
            }
        } else {
            Columns {
                name: rest.max(10),
                officer: 0,
                prison: 0,
            }
        }
    }
}

fn release_line(v: &CaseView, w: &Columns, t: &Theme, selected: bool) -> Line<'static> {
    let c = &v.case;
    let (accom, accom_style) = if c.needs_accommodation() {
        (format!("▲ {}", c.accommodation), t.homeless())
    } else {
        (format!("  {}", c.accommodation), Style::default())
    };
    let (flag, flag_style) = match v.worst_flag() {
        Some(fl) => (
            format!("{} {}", fl.severity.symbol(), fl.code.short()),
            t.severity(fl.severity),
        ),
        None => ("✓ ok".to_string(), t.ok()),
    };
    let mut cells = vec![
        (inert(&c.name), w.name, Style::default()),
        (c.crn.to_string(), CRN_W, Style::default()),
        (accom, ACCOM_W, accom_style),
        (flag, FLAG_W, flag_style),
    ];
    if w.officer > 0 {
        let officer = c
            .officer
            .as_deref()
            .map(inert)
            .unwrap_or_else(|| "— no officer —".into());
        cells.push((officer, w.officer, Style::default()));
    }
    if w.prison > 0 {
        let prison = c.prison.as_deref().map(inert).unwrap_or_default();
        cells.push((prison, w.prison, t.dim()));
    }
    let sel = |s: Style| if selected { s.patch(t.selected()) } else { s };
    let mut spans = vec![Span::styled(
        if selected { "▶ " } else { "  " },
        sel(Style::default()),
    )];
    let n = cells.len();
    for (k, (text, width, style)) in cells.into_iter().enumerate() {
        spans.push(Span::styled(pad(&text, width), sel(style)));
        if k + 1 < n {
            spans.push(Span::styled("  ", sel(Style::default())));
        }
    }
    Line::from(spans)
}

// ---------------------------------------------------------------------------------------------
// Dates

fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn month_end(d: NaiveDate) -> NaiveDate {
    month_start(d)
        .checked_add_months(Months::new(1))
        .and_then(|n| n.pred_opt())
        .unwrap_or(d)
}

/// Positions in `data.cases` (sorted by expected day) of the cases expected on `day`.
fn day_range(data: &Caseload, day: NaiveDate) -> Range<usize> {
    let lo = data.first_on_or_after(day);
    let hi = day
        .succ_opt()
        .map_or(data.cases.len(), |d| data.first_on_or_after(d));
    lo..hi
}

/// The bank holiday on `d`; 25 December is one even when the list names a substitute day.
fn holiday_title(cal: &Calendar, d: NaiveDate) -> Option<String> {
    match cal.holiday(d) {
        Some(h) if h.projected => Some(format!("{} (projected)", h.title)),
        Some(h) => Some(h.title),
        None if d.month() == 12 && d.day() == 25 => Some("Christmas Day".to_string()),
        None => None,
    }
}

fn weekday_name(w: Weekday) -> &'static str {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::demo::{self, DemoOptions};
    use crate::query::{Planner, Settings};
    use crate::store::Store;
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
        let mut planner =
            Planner::new(Store::open_in_memory().unwrap(), Settings::default()).unwrap();
        if cases > 0 {
            let opts = DemoOptions {
                cases,
                seed: 3,
                weeks: 16,
            };
            let generated = demo::generate(&opts, today(), &planner.cal);
            let cal = planner.cal.clone();
            planner
                .store
                .insert_many(&generated, "test", &|c| cal.expected_day(c))
                .unwrap();
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
}
