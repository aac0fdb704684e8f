//! 1 Releases: upcoming releases under day headings, with cluster badges and a detail pane.

use super::cursor::Cursor;
use super::detail;
use super::detail::History;
use super::order::Order;
use crate::domain::case::Crn;
use crate::domain::dates;
use crate::keys::Action;
use crate::query::Planner;
use crate::text::{inert, pad, width};
use crate::tui::data::Caseload;
use crate::tui::filter::Filter;
use crate::tui::{DrawCx, View};
use chrono::NaiveDate;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

/// How cases are ordered within each day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Name,
    Severity,
    Officer,
    Prison,
}

impl Order for Sort {
    const ALL: &'static [Sort] = &[Sort::Name, Sort::Severity, Sort::Officer, Sort::Prison];

    fn label(self) -> &'static str {
        match self {
            Sort::Name => "day, then name",
            Sort::Severity => "day, then worst flag",
            Sort::Officer => "day, then officer",
            Sort::Prison => "day, then prison",
        }
    }
}

/// A display row. Positions are `u32`, not `usize`: at 100,000 cases the rows are held
/// beside the caseload, and this halves them (16 bytes a row to 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    Day(NaiveDate),
    /// A position in `Caseload::cases`.
    Case(u32),
}

#[derive(Default)]
pub struct ReleasesView {
    items: Vec<Item>,
    /// Positions in `items` of the case rows (what the cursor moves over).
    cases: Vec<u32>,
    cursor: Cursor,
    /// First display row drawn.
    offset: usize,
    sort: Sort,
    /// Flips whether the detail pane shows (on by default when the terminal is wide).
    pub pane_toggled: bool,
    /// The width the view is drawn at, from the last draw or the terminal's size (`None`
    /// before either): whether the pane is on screen.
    width: Option<u16>,
    /// The history the pane shows, read for the case under the cursor (`read_pane`).
    pane_history: Option<(Crn, History)>,
    /// Set by `refresh`: the pane's history may be out of date.
    dirty: bool,
    /// Shown cases, and those with nowhere to go, counted once per refresh, not per frame.
    total: usize,
    homeless: usize,
    /// The case the cursor stays on across refreshes. Kept by CRN: an edit that moves a case
    /// to another day shifts every position after it before the rows are rebuilt.
    want: Option<Crn>,
}

impl ReleasesView {
    fn remember(&mut self, data: &Caseload) {
        if let Some(crn) = self.selected(data) {
            self.want = Some(crn);
        }
    }

    /// Whether the detail pane shows beside the list at a width: by default when there is
    /// room; `d` flips that either way.
    fn pane_on(&self, width: u16) -> bool {
        (width >= PANE_FROM) != self.pane_toggled
    }

    /// Reads the history the pane shows for the case under the cursor, if the pane is on
    /// screen and it is not read yet. The app calls this after each key, refresh and resize,
    /// so drawing never reads the database.
    pub fn read_pane(&mut self, data: &Caseload, planner: &Planner) {
        if self.width.is_none_or(|w| !self.pane_on(w)) {
            return;
        }
        let Some(crn) = self.selected(data) else {
            return;
        };
        if !self.dirty && self.pane_history.as_ref().is_some_and(|(c, _)| *c == crn) {
            return;
        }
        self.pane_history = Some((crn.clone(), detail::read_history(planner, &crn)));
        self.dirty = false;
    }

    /// The terminal is `width` columns wide (the view takes the whole width).
    pub fn resized(&mut self, width: u16) {
        self.width = Some(width);
    }

    fn selected_index(&self) -> Option<usize> {
        let pos = *self.cases.get(self.cursor.selected)?;
        match self.items[pos as usize] {
            Item::Case(i) => Some(i as usize),
            Item::Day(_) => None,
        }
    }
}

impl View for ReleasesView {
    fn refresh(&mut self, data: &Caseload, filter: &Filter) {
        let keep = self.want.clone();
        // Where the selected row sat on screen: a case kept stays on that line, however many
        // rows came or went above it (another planner's changes arriving, say).
        let line = self
            .cases
            .get(self.cursor.selected)
            .and_then(|row| (*row as usize).checked_sub(self.offset));
        // `cases` is by day then name: start at today, and the default order needs no sort.
        let from = data.first_on_or_after(data.today);
        let mut shown: Vec<u32> = (from..data.cases.len())
            .filter(|i| data.visible(*i, filter))
            .map(|i| i as u32)
            .collect();
        let sort = self.sort;
        if sort != Sort::Name {
            shown.sort_by(|a, b| {
                let (x, y) = (&data.cases[*a as usize], &data.cases[*b as usize]);
                x.expected_day()
                    .cmp(&y.expected_day())
                    .then_with(|| match sort {
                        Sort::Name => std::cmp::Ordering::Equal,
                        Sort::Severity => (x.worst_severity().is_none(), x.worst_severity())
                            .cmp(&(y.worst_severity().is_none(), y.worst_severity())),
                        Sort::Officer => x.case.officer.cmp(&y.case.officer),
                        Sort::Prison => x.case.prison.cmp(&y.case.prison),
                    })
                    .then_with(|| a.cmp(b))
            });
        }
        // Cases still loading just after open are counted in the title all the same.
        let (loading, loading_homeless) = if filter.is_empty() {
            data.loading_counts()
        } else {
            (0, 0)
        };
        self.total = shown.len() + loading;
        self.homeless =
            shown.iter().filter(|i| data.homeless(**i as usize)).count() + loading_homeless;
        self.items.clear();
        self.cases.clear();
        // Room for exactly these rows (a list grown by doubling holds up to twice as many).
        let days = shown
            .windows(2)
            .filter(|w| data.day(w[0] as usize) != data.day(w[1] as usize))
            .count()
            + usize::from(!shown.is_empty());
        self.items.reserve_exact(shown.len() + days);
        self.cases.reserve_exact(shown.len());
        let mut day = None;
        for i in shown {
            let d = data.day(i as usize);
            if day != Some(d) {
                self.items.push(Item::Day(d));
                day = Some(d);
            }
            self.cases.push(self.items.len() as u32);
            self.items.push(Item::Case(i));
        }
        // Keep the case under the cursor; if the filter hid it, start again at the top
        // rather than on whichever case now sits at the old position.
        let kept = keep.is_some_and(|crn| self.select(&crn, data));
        if !kept {
            self.cursor.selected = 0;
            self.offset = 0;
        } else if let (Some(line), Some(row)) = (line, self.cases.get(self.cursor.selected)) {
            self.offset = (*row as usize).saturating_sub(line);
        }
        self.remember(data);
        self.dirty = true;
    }

    fn handle(&mut self, action: Action, data: &Caseload) -> bool {
        let used = self.cursor.apply(action, self.cases.len());
        self.remember(data);
        used
    }

    fn listed(&self) -> Option<Vec<usize>> {
        Some(
            self.items
                .iter()
                .filter_map(|it| match it {
                    Item::Case(i) => Some(*i as usize),
                    Item::Day(_) => None,
                })
                .collect(),
        )
    }

    fn listed_count(&self) -> Option<usize> {
        Some(self.cases.len())
    }

    fn selected(&self, data: &Caseload) -> Option<Crn> {
        self.selected_index()
            .map(|i| data.cases[i].case.crn.clone())
    }

    fn select(&mut self, crn: &Crn, data: &Caseload) -> bool {
        let Some(target) = data.position(crn) else {
            return false;
        };
        let found = self
            .cases
            .iter()
            .position(|p| self.items[*p as usize] == Item::Case(target as u32));
        let moved = self.cursor.go(found);
        if moved {
            self.want = Some(crn.clone());
        }
        moved
    }

    fn next_sort(&mut self, data: &Caseload, filter: &Filter) -> &'static str {
        self.sort = self.sort.next();
        self.refresh(data, filter);
        self.sort.label()
    }

    fn draw(&mut self, f: &mut Frame, area: Rect, cx: &DrawCx) {
        self.width = Some(area.width);
        let (list_area, pane) = if self.pane_on(area.width) {
            let [l, p] =
                Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)])
                    .areas(area);
            (l, Some(p))
        } else {
            (area, None)
        };
        self.draw_list(f, list_area, cx);
        if let Some(p) = pane {
            self.draw_pane(f, p, cx);
        }
    }
}

impl ReleasesView {
    fn draw_list(&mut self, f: &mut Frame, area: Rect, cx: &DrawCx) {
        let t = cx.theme;
        let shown = self.total;
        let homeless = self.homeless;
        let title = format!(
            " Upcoming releases · {shown} · {homeless} with nowhere to go · sorted by {} ",
            self.sort.label()
        );
        let block = Block::default()
            .borders(Borders::TOP)
            .title(Span::styled(title, t.title()));
        let inner = block.inner(area);
        f.render_widget(block, area);
        if self.items.is_empty() {
            let msg = if cx.filter.is_empty() {
                "No releases from today on. Import a file, or look back with the Calendar view."
                    .to_string()
            } else {
                format!("Nothing matches the search or filter. {}", cx.clear_hint())
            };
            f.render_widget(Paragraph::new(msg).style(t.dim()), inner);
            return;
        }
        let [header, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
        let widths = column_widths(inner.width);
        f.render_widget(
            Paragraph::new(cells_line(&HEADERS.map(String::from), &widths, t.dim())),
            header,
        );

        // Keep the selected display row on screen; headers scroll with their cases.
        let height = body.height as usize;
        let sel_row = self
            .cases
            .get(self.cursor.selected)
            .map_or(0, |&row| row as usize);
        self.cursor.page = height.saturating_sub(2).max(1);
        if sel_row < self.offset {
            // Show the day heading above the first case of a day.
            self.offset = if sel_row > 0 && matches!(self.items[sel_row - 1], Item::Day(_)) {
                sel_row - 1
            } else {
                sel_row
            };
        }
        if sel_row >= self.offset + height {
            self.offset = sel_row + 1 - height;
        }
        self.offset = self.offset.min(self.items.len().saturating_sub(height));
        let mut end = (self.offset + height).min(self.items.len());
        // A day heading with none of its cases under it waits for the next screen.
        if end > self.offset + 1 && matches!(self.items[end - 1], Item::Day(_)) {
            end -= 1;
        }
        let mut lines = Vec::with_capacity(height);
        for pos in self.offset..end {
            lines.push(match self.items[pos] {
                Item::Day(d) => day_line(d, cx, &self.items, pos),
                Item::Case(i) => {
                    let selected = pos == sel_row;
                    case_line(&cx.data.cases[i as usize], &widths, cx, selected)
                }
            });
        }
        f.render_widget(Paragraph::new(lines), body);
    }

    fn draw_pane(&self, f: &mut Frame, area: Rect, cx: &DrawCx) {
        let t = cx.theme;
        let block = Block::default()
            .borders(Borders::LEFT | Borders::TOP)
            .title(Span::styled(" Case ", t.title()));
        let inner = block.inner(area);
        f.render_widget(block, area);
        let Some(i) = self.selected_index() else {
            return;
        };
        let v = &cx.data.cases[i];
        let not_read = Err("not read yet".to_string());
        let history = match &self.pane_history {
            Some((crn, h)) if *crn == v.case.crn => h,
            _ => &not_read,
        };
        let lines = detail::lines(v, cx.planner, history, cx.today, t);
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    }
}

/// From this width the detail pane shows beside the list unless `d` turned it off.
const PANE_FROM: u16 = 140;

const HEADERS: [&str; 7] = ["Name", "CRN", "Prison", "Type", "Accomm", "Flag", "Officer"];

/// Column widths for the list at a given width (≥ 78 usable at 80 columns).
fn column_widths(width: u16) -> [usize; 7] {
    let w = width as usize;
    // Fixed: CRN 7, Type 5, Accomm 9, Flag 16 ("● amber AP place"); the rest shared by
    // name (first), officer and prison.
    let fixed = 7 + 5 + 9 + 16 + 2 * 6 + 2;
    let rest = w.saturating_sub(fixed).max(24);
    let name = (rest * 42 / 100).max(12);
    let prison = (rest * 26 / 100).max(6);
    let officer = rest.saturating_sub(name + prison).max(6);
    [name, 7, prison, 5, 9, 16, officer]
}

fn cells_line<'a>(cells: &[String; 7], widths: &[usize; 7], style: Style) -> Line<'a> {
    let text: Vec<String> = cells.iter().zip(widths).map(|(c, w)| pad(c, *w)).collect();
    Line::from(Span::styled(format!("  {}", text.join("  ")), style))
}

fn day_line<'a>(d: NaiveDate, cx: &DrawCx, items: &[Item], pos: usize) -> Line<'a> {
    let t = cx.theme;
    let count = items[pos + 1..]
        .iter()
        .take_while(|it| matches!(it, Item::Case(_)))
        .count();
    let homeless = items[pos + 1..pos + 1 + count]
        .iter()
        .filter(|it| {
            matches!(it, Item::Case(i) if cx.data.cases[*i as usize].case.needs_accommodation())
        })
        .count();
    let mut spans = vec![Span::styled(
        format!(
            "{} · {} release{}",
            dates::long(d),
            count,
            if count == 1 { "" } else { "s" }
        ),
        t.heading(),
    )];
    if homeless > 0 {
        spans.push(Span::styled(
            format!(" · {homeless} with nowhere to go"),
            t.homeless(),
        ));
    }
    if let Some(k) = cx.data.cluster_on(d) {
        let covers = match (k.covers.first(), k.covers.last()) {
            (Some(a), Some(b)) if a != b => format!("covers {}", dates::range(*a, *b)),
            _ => "spike".into(),
        };
        let why = if k.holidays.is_empty() {
            "load cluster".to_string()
        } else {
            k.holidays.join(", ")
        };
        spans.push(Span::styled(
            format!("  {} {covers} · {why}", k.severity.symbol()),
            t.severity(k.severity),
        ));
    }
    if cx.data.cluster_on(d).is_none() && cx.planner.cal.is_non_working(d) {
        spans.push(Span::styled(
            "  (a non-working day: confirmed or arranged date)",
            t.dim(),
        ));
    }
    Line::from(spans)
}

fn case_line<'a>(
    v: &crate::query::CaseView,
    widths: &[usize; 7],
    cx: &DrawCx,
    selected: bool,
) -> Line<'a> {
    let t = cx.theme;
    let c = &v.case;
    let flag = match v.worst_flag() {
        Some(fl) => (
            format!(
                "{} {} {}",
                fl.severity.symbol(),
                fl.severity.as_str(),
                fl.code.short()
            ),
            t.severity(fl.severity),
        ),
        None => ("✓ ok".to_string(), t.ok()),
    };
    let accom_style = if c.needs_accommodation() {
        t.homeless()
    } else {
        Style::default()
    };
    let cells: [(String, Style); 7] = [
        (inert(&c.name), Style::default()),
        (c.crn.to_string(), Style::default()),
        (
            c.prison
                .as_deref()
                .map(|p| short_prison(&inert(p), widths[2]))
                .unwrap_or_default(),
            Style::default(),
        ),
        (c.release_type.to_string(), Style::default()),
        (c.accommodation.to_string(), accom_style),
        flag,
        (
            c.officer
                .as_deref()
                .map(inert)
                .unwrap_or_else(|| "— none —".into()),
            Style::default(),
        ),
    ];
    let marker = if selected { "▶ " } else { "  " };
    let mut spans = vec![Span::raw(marker)];
    for (k, ((text, style), w)) in cells.iter().zip(widths).enumerate() {
        let style = if selected {
            style.patch(t.selected())
        } else {
            *style
        };
        spans.push(Span::styled(pad(text, *w), style));
        if k < 6 {
            spans.push(Span::styled(
                "  ",
                if selected {
                    t.selected()
                } else {
                    Style::default()
                },
            ));
        }
    }
    Line::from(spans)
}

/// "HMP Fellbeck" as "Fellbeck" when the column is too narrow for the prefix to be worth it.
fn short_prison(name: &str, max: usize) -> String {
    if width(name) <= max {
        return name.to_string();
    }
    ["HMP/YOI ", "HMYOI ", "HMP ", "YOI "]
        .iter()
        .find_map(|p| name.strip_prefix(p))
        .unwrap_or(name)
        .to_string()
}
