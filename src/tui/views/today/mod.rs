//! 4 Today: the duty officer's morning, as `releaseday today`. Releases expected today, then
//! earlier days' releases not yet reported; `r`/`x` (handled by the app through `selected`)
//! record whether each person has reported. The cursor moves over both sections as one list.
//!
//! Here the view, its sort and its rows; the sheet's display lines in `lines`, a person's
//! row and the lines under it in `columns`.

mod columns;
mod lines;
#[cfg(test)]
mod tests;

use super::cursor::Cursor;
use super::order::Order;
use crate::domain::case::{Accommodation, Case, Crn};
use crate::keys::Action;
use crate::query::sheet::{sheet_part, SheetCounts, SheetPart};
use crate::query::CaseView;
use crate::tui::data::Caseload;
use crate::tui::filter::Filter;
use crate::tui::theme::Theme;
use crate::tui::{DrawCx, View};
use columns::Columns;
use lines::{header_lines, Item};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;
use std::cmp::Ordering;

/// How people are ordered within each section; ties keep the sheet's own order (name today,
/// day then name for earlier days).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Name,
    Officer,
    Prison,
    Accommodation,
    /// By the time of the initial appointment (DOMAIN.md §8).
    Appointment,
}

impl Order for Sort {
    const ALL: &'static [Sort] = &[
        Sort::Name,
        Sort::Officer,
        Sort::Prison,
        Sort::Accommodation,
        Sort::Appointment,
    ];

    fn label(self) -> &'static str {
        match self {
            Sort::Name => "name",
            Sort::Officer => "officer",
            Sort::Prison => "prison",
            Sort::Accommodation => "accommodation, nowhere to go first",
            Sort::Appointment => "appointment time",
        }
    }
}

impl Sort {
    /// What each part of the sheet is ordered by: (expected today, released earlier). Ties
    /// keep the sheet's own order, name today and day then name for earlier days.
    pub fn parts(self) -> (&'static str, &'static str) {
        match self {
            Sort::Name => ("by name", "by day, then name"),
            Sort::Officer => ("by officer, then name", "by officer, then day"),
            Sort::Prison => ("by prison, then name", "by prison, then day"),
            Sort::Accommodation => (
                "nowhere to go first, then name",
                "nowhere to go first, then day",
            ),
            Sort::Appointment => (
                "by appointment time, then name",
                "by appointment time, then day",
            ),
        }
    }

    fn cmp(self, av: &CaseView, bv: &CaseView) -> Ordering {
        let (a, b) = (&av.case, &bv.case);
        let text = |o: &Option<String>| {
            o.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_lowercase)
        };
        match self {
            Sort::Name => Ordering::Equal,
            Sort::Officer => text(&a.officer).cmp(&text(&b.officer)),
            Sort::Prison => text(&a.prison).cmp(&text(&b.prison)),
            Sort::Accommodation => housing_rank(a).cmp(&housing_rank(b)),
            Sort::Appointment => crate::query::sheet::by_appointment(av, bv),
        }
    }
}

/// Nowhere to go first (no fixed abode, then unknown, then transient), then the rest in the
/// order of `Accommodation`.
fn housing_rank(c: &Case) -> (bool, u8, Accommodation) {
    let worst = match c.accommodation {
        Accommodation::Nfa => 0,
        Accommodation::Unknown => 1,
        _ => 2,
    };
    (!c.needs_accommodation(), worst, c.accommodation)
}

#[derive(Default)]
pub struct TodayView {
    /// Positions in `Caseload::cases`: today's releases, then earlier days' not yet reported.
    expected: Vec<usize>,
    earlier: Vec<usize>,
    cursor: Cursor,
    /// First display line drawn.
    offset: usize,
    sort: Sort,
    /// The person the cursor should stay on across refreshes.
    want: Option<Crn>,
    /// The header's counts, made with the rows.
    counts: SheetCounts,
    /// The display lines as laid out at a width: made after a refresh, and again only when
    /// the width changes (a person's notes wrap to it).
    laid_out: Option<(u16, Vec<Item>)>,
}

impl TodayView {
    pub fn sort(&self) -> Sort {
        self.sort
    }

    pub fn expected<'a>(&self, data: &'a Caseload) -> Vec<&'a CaseView> {
        self.expected
            .iter()
            .filter_map(|i| data.cases.get(*i))
            .collect()
    }

    pub fn earlier<'a>(&self, data: &'a Caseload) -> Vec<&'a CaseView> {
        self.earlier
            .iter()
            .filter_map(|i| data.cases.get(*i))
            .collect()
    }

    /// The header's counts, as the CLI sheet counts them.
    pub fn counts(&self) -> SheetCounts {
        self.counts
    }

    fn len(&self) -> usize {
        self.expected.len() + self.earlier.len()
    }

    /// The case position of the k-th person on the sheet.
    fn person(&self, k: usize) -> Option<usize> {
        if k < self.expected.len() {
            Some(self.expected[k])
        } else {
            self.earlier.get(k - self.expected.len()).copied()
        }
    }

    fn remember(&mut self, data: &Caseload) {
        if let Some(crn) = self.selected(data) {
            self.want = Some(crn);
        }
    }

    /// The display lines at a width: section headings, each person and their detail line.
    fn items(&self, data: &Caseload, cols: &Columns, t: &Theme) -> Vec<Item> {
        let mut items = Vec::with_capacity(2 * self.len() + 5);
        let sections = [(0, self.expected.len()), (self.expected.len(), self.len())];
        for (s, (from, to)) in sections.into_iter().enumerate() {
            if s > 0 {
                items.push(Item::Gap);
            }
            items.push(Item::Heading(s));
            if from == to {
                items.push(Item::Nobody);
            }
            for k in from..to {
                items.push(Item::Person(k));
                if let Some(v) = self.person(k).and_then(|i| data.cases.get(i)) {
                    let n = cols.detail(v, data.today, t).len();
                    items.extend((0..n).map(|line| Item::Detail(k, line)));
                }
            }
        }
        items
    }
}

impl View for TodayView {
    fn refresh(&mut self, data: &Caseload, filter: &Filter) {
        let (today, from) = (data.today, data.from);
        self.expected.clear();
        self.earlier.clear();
        // `cases` is by expected day from the look-back's first day: only the cases up to
        // today need looking at.
        let hi = data.first_on_or_after(today.succ_opt().unwrap_or(today));
        for (i, v) in data.cases.iter().enumerate().take(hi) {
            let part = sheet_part(v.expected_day(), v.reported_at.is_some(), today, from);
            match part {
                Some(SheetPart::Expected) if data.visible(i, filter) => self.expected.push(i),
                Some(SheetPart::Outstanding) if data.visible(i, filter) => self.earlier.push(i),
                _ => {}
            }
        }
        // `cases` is by day then name, so a stable sort keeps that order for ties.
        let sort = self.sort;
        let by = |a: &usize, b: &usize| sort.cmp(&data.cases[*a], &data.cases[*b]);
        self.expected.sort_by(by);
        self.earlier.sort_by(by);
        self.counts = SheetCounts::of(self.expected(data), self.earlier(data));
        self.laid_out = None;

        let want = self.want.clone();
        if let Some(k) = want.and_then(|crn| {
            (0..self.len()).find(|k| {
                self.person(*k)
                    .is_some_and(|i| data.cases[i].case.crn == crn)
            })
        }) {
            self.cursor.selected = k;
        }
        self.cursor.selected = self.cursor.selected.min(self.len().saturating_sub(1));
        self.remember(data);
    }

    fn handle(&mut self, action: Action, data: &Caseload) -> bool {
        let used = self.cursor.apply(action, self.len());
        self.remember(data);
        used
    }

    fn selected(&self, data: &Caseload) -> Option<Crn> {
        let i = self.person(self.cursor.selected)?;
        data.cases.get(i).map(|v| v.case.crn.clone())
    }

    fn select(&mut self, crn: &Crn, data: &Caseload) -> bool {
        let found = (0..self.len()).find(|k| {
            self.person(*k)
                .and_then(|i| data.cases.get(i))
                .is_some_and(|v| v.case.crn == *crn)
        });
        let moved = self.cursor.go(found);
        if moved {
            self.remember(data);
        }
        moved
    }

    fn next_sort(&mut self, data: &Caseload, filter: &Filter) -> &'static str {
        self.sort = self.sort.next();
        self.refresh(data, filter);
        self.sort.label()
    }

    fn listed(&self) -> Option<Vec<usize>> {
        Some(self.expected.iter().chain(&self.earlier).copied().collect())
    }

    fn listed_count(&self) -> Option<usize> {
        Some(self.len())
    }

    fn draw(&mut self, f: &mut Frame, area: Rect, cx: &DrawCx) {
        let t = cx.theme;
        // Each part says its own order under its heading: one order for the whole sheet
        // would be wrong for one part or the other.
        let block = Block::default().borders(Borders::TOP).title(Span::styled(
            format!(
                " Release day sheet · {} sorts ",
                cx.keys.key_for(Action::Sort)
            ),
            t.title(),
        ));
        let inner = block.inner(area);
        f.render_widget(block, area);

        let head = header_lines(self.counts, cx, inner.width as usize);
        let cols = Columns::for_width(inner.width);
        let [head_area, col_area, list] = Layout::vertical([
            Constraint::Length(head.len() as u16),
            Constraint::Length(1),
            Constraint::Min(1),
        ])
        .areas(inner);
        f.render_widget(Paragraph::new(head), head_area);
        f.render_widget(Paragraph::new(cols.header(t.dim())), col_area);

        let items = match self.laid_out.take() {
            Some((w, items)) if w == inner.width => items,
            _ => self.items(cx.data, &cols, t),
        };
        let height = list.height as usize;
        let per_person = if cols.notes.is_some() { 1 } else { 2 };
        self.cursor.page = (height / per_person).saturating_sub(1).max(1);
        self.scroll(&items, height);
        let end = (self.offset + height).min(items.len());
        let lines: Vec<Line> = items[self.offset..end]
            .iter()
            .map(|item| self.line(*item, cx, &cols))
            .collect();
        f.render_widget(Paragraph::new(lines), list);
        self.laid_out = Some((inner.width, items));
    }
}
