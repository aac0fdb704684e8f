//! 2 Gaps: the worklist. One row per flag on every case still to be released, red before
//! amber, then by due day (the order of `releaseday gaps`); Enter jumps to the case (the app
//! does that through `selected`). Under 120 columns the selected flag's message sits in a
//! strip at the bottom so every row stays one line; from 120 columns it is also a column.
//!
//! Here the view, its sort and its rows; their columns and the strip in `columns`.

mod columns;
#[cfg(test)]
mod tests;

use super::cursor::Cursor;
use super::order::Order;
use crate::domain::case::Crn;
use crate::domain::gaps::{Flag, FlagCode};
use crate::domain::severity::Severity;
use crate::keys::Action;
use crate::query::view::{worklist_key, WorklistKey};
use crate::query::CaseView;
use crate::tui::data::Caseload;
use crate::tui::filter::{Dimension, Filter};
use crate::tui::{DrawCx, View};
use columns::{draw_strip, Columns};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;
use std::cmp::Ordering;

/// How the worklist is ordered; ties always fall back to the default order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Severity,
    Officer,
    Release,
    Code,
}

impl Order for Sort {
    const ALL: &'static [Sort] = &[Sort::Severity, Sort::Officer, Sort::Release, Sort::Code];

    fn label(self) -> &'static str {
        match self {
            Sort::Severity => "severity, then due day",
            Sort::Officer => "officer",
            Sort::Release => "release day",
            Sort::Code => "flag code",
        }
    }
}

/// One row: a flag of a case, as positions in `Caseload::cases` and that case's `flags`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Row {
    case: usize,
    flag: usize,
}

#[derive(Default)]
pub struct GapsView {
    rows: Vec<Row>,
    red: usize,
    cursor: Cursor,
    sort: Sort,
    /// The flag the cursor should stay on across refreshes (kept while a filter hides it).
    want: Option<(Crn, FlagCode)>,
    /// How many cases the rows are about.
    listed: usize,
}

impl GapsView {
    pub fn sort(&self) -> Sort {
        self.sort
    }

    /// The (case, flag) rows in display order.
    pub fn rows<'a>(&self, data: &'a Caseload) -> Vec<(&'a CaseView, &'a Flag)> {
        self.rows
            .iter()
            .filter_map(|r| row_parts(data, *r))
            .collect()
    }

    fn key(&self, data: &Caseload, k: usize) -> Option<(Crn, FlagCode)> {
        let (v, f) = row_parts(data, *self.rows.get(k)?)?;
        Some((v.case.crn.clone(), f.code))
    }

    /// Remembers the row under the cursor (nothing changes while the list is empty).
    fn remember(&mut self, data: &Caseload) {
        if let Some(k) = self.key(data, self.cursor.selected) {
            self.want = Some(k);
        }
    }
}

fn row_parts(data: &Caseload, r: Row) -> Option<(&CaseView, &Flag)> {
    let v = data.cases.get(r.case)?;
    Some((v, v.flags.get(r.flag)?))
}

/// The default order: the worklist's, as `releaseday gaps` sorts it.
fn default_order(a: (&CaseView, &Flag), b: (&CaseView, &Flag)) -> Ordering {
    fn key<'a>((v, f): (&'a CaseView, &'a Flag)) -> WorklistKey<'a> {
        worklist_key(f, v.expected_day(), &v.case.name, &v.case.crn)
    }
    key(a).cmp(&key(b))
}

impl View for GapsView {
    fn refresh(&mut self, data: &Caseload, filter: &Filter) {
        // A severity filter applies flag by flag here ("amber" lists every amber gap, including
        // those on cases that also have a red one), so the case test leaves it out.
        let without_severity;
        let case_filter = if filter.by.iter().any(|(d, _)| *d == Dimension::Severity) {
            let mut f = filter.clone();
            f.by.retain(|(d, _)| *d != Dimension::Severity);
            without_severity = f;
            &without_severity
        } else {
            filter
        };
        let mut rows = Vec::new();
        self.listed = 0;
        // Flagged cases are found in the caseload's dense array, not by opening every case.
        for i in data.first_on_or_after(data.today)..data.cases.len() {
            if !data.flagged(i) || !data.visible(i, case_filter) {
                continue;
            }
            let before = rows.len();
            for (j, f) in data.cases[i].flags.iter().enumerate() {
                if filter.flag_matches(f.code, f.severity) {
                    rows.push(Row { case: i, flag: j });
                }
            }
            self.listed += usize::from(rows.len() > before);
        }
        let sort = self.sort;
        let parts = |r: &Row| {
            let v = &data.cases[r.case];
            (v, &v.flags[r.flag])
        };
        rows.sort_by(|a, b| {
            let (x, y) = (parts(a), parts(b));
            let first = match sort {
                Sort::Severity => Ordering::Equal,
                Sort::Officer => officer_key(x.0).cmp(&officer_key(y.0)),
                Sort::Release => x.0.expected_day().cmp(&y.0.expected_day()),
                Sort::Code => x.1.code.cmp(&y.1.code),
            };
            first.then_with(|| default_order(x, y))
        });
        self.red = rows
            .iter()
            .filter(|r| parts(r).1.severity == Severity::Red)
            .count();
        self.rows = rows;

        // Back to the same flag; else the same case; else the same place in the list.
        if let Some((crn, code)) = self.want.clone() {
            let on = |r: &Row, code: Option<FlagCode>| {
                let (v, f) = parts(r);
                v.case.crn == crn && code.is_none_or(|c| c == f.code)
            };
            if let Some(k) = self
                .rows
                .iter()
                .position(|r| on(r, Some(code)))
                .or_else(|| self.rows.iter().position(|r| on(r, None)))
            {
                self.cursor.selected = k;
            }
        }
        self.cursor.selected = self.cursor.selected.min(self.rows.len().saturating_sub(1));
        self.remember(data);
    }

    fn handle(&mut self, action: Action, data: &Caseload) -> bool {
        let used = self.cursor.apply(action, self.rows.len());
        self.remember(data);
        used
    }

    fn selected(&self, data: &Caseload) -> Option<Crn> {
        self.key(data, self.cursor.selected).map(|(crn, _)| crn)
    }

    fn listed(&self) -> Option<Vec<usize>> {
        let mut seen = std::collections::HashSet::new();
        Some(
            self.rows
                .iter()
                .map(|r| r.case)
                .filter(|i| seen.insert(*i))
                .collect(),
        )
    }

    fn listed_count(&self) -> Option<usize> {
        Some(self.listed)
    }

    fn select(&mut self, crn: &Crn, data: &Caseload) -> bool {
        let found = self
            .rows
            .iter()
            .position(|r| row_parts(data, *r).is_some_and(|(v, _)| v.case.crn == *crn));
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

    fn draw(&mut self, f: &mut Frame, area: Rect, cx: &DrawCx) {
        let t = cx.theme;
        let total = self.rows.len();
        let amber = total - self.red;
        let mut title = vec![
            Span::styled(
                format!(" {total} gap{} · ", if total == 1 { "" } else { "s" }),
                t.title(),
            ),
            Span::styled(format!("{} red", self.red), red_style(self.red, cx)),
            Span::styled(" · ", t.title()),
            Span::styled(
                format!("{amber} amber"),
                if amber > 0 {
                    t.severity(Severity::Amber)
                } else {
                    t.title()
                },
            ),
        ];
        if !cx.filter.is_empty() {
            title.push(Span::styled(" (filtered)", t.title()));
        }
        title.push(Span::styled(
            format!(" · sorted by {} ", self.sort.label()),
            t.dim(),
        ));
        let block = Block::default()
            .borders(Borders::TOP)
            .title(Line::from(title));
        let inner = block.inner(area);
        f.render_widget(block, area);
        if self.rows.is_empty() {
            let msg = if cx.filter.is_empty() {
                "No gaps: every upcoming case has its referrals in hand.".to_string()
            } else {
                format!(
                    "Nothing matches the filter; {} clears it.",
                    cx.keys.key_for(Action::ClearFilters)
                )
            };
            f.render_widget(Paragraph::new(msg).style(t.dim()), inner);
            return;
        }

        let cols = Columns::for_width(inner.width);
        let [header, list, strip] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(3),
        ])
        .areas(inner);
        f.render_widget(Paragraph::new(cols.header(t.dim())), header);

        let range = self.cursor.window(self.rows.len(), list.height as usize);
        let lines: Vec<Line> = range
            .filter_map(|k| {
                let (v, fl) = row_parts(cx.data, self.rows[k])?;
                Some(cols.row(v, fl, cx, k == self.cursor.selected))
            })
            .collect();
        f.render_widget(Paragraph::new(lines), list);

        if let Some((v, fl)) = self
            .rows
            .get(self.cursor.selected)
            .and_then(|r| row_parts(cx.data, *r))
        {
            draw_strip(f, strip, v, fl, cx);
        }
    }
}

fn red_style(red: usize, cx: &DrawCx) -> Style {
    if red > 0 {
        cx.theme.severity(Severity::Red)
    } else {
        cx.theme.title()
    }
}

/// Officer for sorting: unallocated first (they are a gap in themselves), then by name.
fn officer_key(v: &CaseView) -> Option<String> {
    v.case
        .officer
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .map(str::to_lowercase)
}
