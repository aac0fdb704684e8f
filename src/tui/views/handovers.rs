//! 5 Handovers: the OMiC handovers of the next 8 weeks (DOMAIN.md §7), by handover day, with
//! who holds each case today, the POM, the COM (or that there is none) and the rule that set
//! the day; the selected case's handover in words in a strip at the bottom. The same cases as
//! `releaseday handovers` over its default window.

use super::cursor::Cursor;
use super::order::Order;
use super::row::{self, SEP};
use crate::domain::case::Crn;
use crate::domain::dates;
use crate::domain::handover::HandoverRule;
use crate::domain::severity::Severity;
use crate::keys::Action;
use crate::query::CaseView;
use crate::text::{fit, inert, pad};
use crate::tui::data::Caseload;
use crate::tui::filter::Filter;
use crate::tui::{DrawCx, View};
use chrono::{Datelike, Days, NaiveDate};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;
use std::cmp::Ordering;

/// How far ahead the view looks: Manage POM Cases lists handovers 8 weeks ahead.
pub const WEEKS: u64 = 8;

const DAY_W: usize = 11;
const HOLDS_W: usize = 5;
const RULE_W: usize = 13;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Day,
    /// No community offender manager first: the cases to allocate.
    Unallocated,
}

impl Order for Sort {
    const ALL: &'static [Sort] = &[Sort::Day, Sort::Unallocated];

    fn label(self) -> &'static str {
        match self {
            Sort::Day => "handover day, then name",
            Sort::Unallocated => "no COM first, then handover day",
        }
    }
}

#[derive(Default)]
pub struct HandoversView {
    /// Positions in `Caseload::cases`, in display order.
    rows: Vec<usize>,
    /// Of those, how many have no community offender manager.
    unallocated: usize,
    cursor: Cursor,
    sort: Sort,
    want: Option<Crn>,
}

fn no_com(v: &CaseView) -> bool {
    v.case
        .officer
        .as_deref()
        .is_none_or(|o| o.trim().is_empty())
}

/// The rule in a narrow column.
fn rule_short(rule: HandoverRule) -> &'static str {
    match rule {
        HandoverRule::Recall => "recall",
        HandoverRule::EarlyAllocation => "early alloc.",
        HandoverRule::Indeterminate => "indeterminate",
        HandoverRule::ShortSentence => "short sent.",
        HandoverRule::Parole => "parole (PED)",
        HandoverRule::Determinate => "determinate",
    }
}

/// "Mon 30 Nov", with the year when it is not this one.
fn day(d: NaiveDate, today: NaiveDate) -> String {
    if d.year() == today.year() {
        dates::short(d)
    } else {
        d.format("%-d %b %Y").to_string()
    }
}

impl HandoversView {
    pub fn sort(&self) -> Sort {
        self.sort
    }

    /// The listed cases, in display order.
    pub fn rows<'a>(&self, data: &'a Caseload) -> Vec<&'a CaseView> {
        self.rows
            .iter()
            .filter_map(|i| data.cases.get(*i))
            .collect()
    }

    fn remember(&mut self, data: &Caseload) {
        if let Some(v) = self
            .rows
            .get(self.cursor.selected)
            .and_then(|i| data.cases.get(*i))
        {
            self.want = Some(v.case.crn.clone());
        }
    }
}

impl View for HandoversView {
    fn refresh(&mut self, data: &Caseload, filter: &Filter) {
        let today = data.today;
        let to = today
            .checked_add_days(Days::new(WEEKS * 7))
            .unwrap_or(NaiveDate::MAX);
        let mut rows = Vec::new();
        // Not yet released (R ≥ today), handover day in [today, today + 8 weeks].
        for i in data.first_on_or_after(today)..data.cases.len() {
            let v = &data.cases[i];
            if v.handover.day.is_some_and(|h| today <= h && h <= to) && data.visible(i, filter) {
                rows.push(i);
            }
        }
        let sort = self.sort;
        let key = |v: &CaseView| (v.handover.day, v.case.name.clone(), v.case.crn.clone());
        rows.sort_by(|a, b| {
            let (x, y) = (&data.cases[*a], &data.cases[*b]);
            let first = match sort {
                Sort::Day => Ordering::Equal,
                Sort::Unallocated => no_com(y).cmp(&no_com(x)),
            };
            first.then_with(|| key(x).cmp(&key(y)))
        });
        self.unallocated = rows.iter().filter(|i| no_com(&data.cases[**i])).count();
        self.rows = rows;
        if let Some(crn) = self.want.clone() {
            if let Some(k) = self
                .rows
                .iter()
                .position(|i| data.cases[*i].case.crn == crn)
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
        let i = self.rows.get(self.cursor.selected)?;
        data.cases.get(*i).map(|v| v.case.crn.clone())
    }

    fn select(&mut self, crn: &Crn, data: &Caseload) -> bool {
        let found = self
            .rows
            .iter()
            .position(|i| data.cases.get(*i).is_some_and(|v| v.case.crn == *crn));
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
        Some(self.rows.clone())
    }

    fn listed_count(&self) -> Option<usize> {
        Some(self.rows.len())
    }

    fn draw(&mut self, f: &mut Frame, area: Rect, cx: &DrawCx) {
        let t = cx.theme;
        let n = self.rows.len();
        let mut title = vec![Span::styled(
            format!(
                " {n} handover{} to the community in the next {WEEKS} weeks",
                if n == 1 { "" } else { "s" }
            ),
            t.title(),
        )];
        if self.unallocated > 0 {
            title.push(Span::styled(" · ", t.title()));
            title.push(Span::styled(
                format!("▲ {} with no COM", self.unallocated),
                t.severity(Severity::Red),
            ));
        }
        if !cx.filter.is_empty() {
            title.push(Span::styled(" (filtered)", t.title()));
        }
        title.push(Span::styled(
            format!(" · by {} ", self.sort.label()),
            t.dim(),
        ));
        let block = Block::default()
            .borders(Borders::TOP)
            .title(Line::from(title));
        let inner = block.inner(area);
        f.render_widget(block, area);
        if self.rows.is_empty() {
            let msg = if cx.filter.is_empty() {
                format!("No handover from prison to the community in the next {WEEKS} weeks.")
            } else {
                format!(
                    "Nothing matches the filter; {} clears it.",
                    cx.keys.key_for(Action::ClearFilters)
                )
            };
            f.render_widget(Paragraph::new(msg).style(t.dim()), inner);
            return;
        }
        let w = inner.width as usize;
        // The release day from 100 columns; the case detail has it below that.
        let release = w >= 100;
        let fixed = 2 + DAY_W + HOLDS_W + RULE_W + 5 * SEP.len();
        let flex = w
            .saturating_sub(fixed + if release { DAY_W + SEP.len() } else { 0 })
            .max(24);
        let name = flex * 40 / 100;
        let pom = flex * 30 / 100;
        let com = flex - name - pom;
        let [header, list, strip] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(2),
        ])
        .areas(inner);
        let mut head = vec![
            pad("Handover", DAY_W),
            pad("Holds", HOLDS_W),
            pad("Name", name),
            pad("POM", pom),
            pad("COM", com),
            pad("Rule", RULE_W),
        ];
        if release {
            head.push(pad("Release", DAY_W));
        }
        f.render_widget(
            Paragraph::new(Line::from(Span::styled(
                fit(&format!("  {}", head.join(SEP)), w),
                t.dim(),
            ))),
            header,
        );
        let range = self.cursor.window(n, list.height as usize);
        let lines: Vec<Line> = range
            .filter_map(|k| {
                let v = cx.data.cases.get(self.rows[k])?;
                let c = &v.case;
                let h = v.handover.day?;
                let com_cell = if no_com(v) {
                    ("▲ none".to_string(), com, t.severity(Severity::Red))
                } else {
                    (
                        inert(c.officer.as_deref().unwrap_or("")),
                        com,
                        Default::default(),
                    )
                };
                let mut cells = vec![
                    (day(h, cx.today), DAY_W, t.title()),
                    (v.responsibility.as_str().to_string(), HOLDS_W, t.dim()),
                    (inert(&c.name), name, Default::default()),
                    (
                        c.pom.as_deref().map(inert).unwrap_or_else(|| "—".into()),
                        pom,
                        Default::default(),
                    ),
                    com_cell,
                    (rule_short(v.handover.rule).to_string(), RULE_W, t.dim()),
                ];
                if release {
                    cells.push((day(v.expected_day(), cx.today), DAY_W, Default::default()));
                }
                Some(row::line(cells, k == self.cursor.selected, t))
            })
            .collect();
        f.render_widget(Paragraph::new(lines), list);
        if let Some(v) = self
            .rows
            .get(self.cursor.selected)
            .and_then(|i| cx.data.cases.get(*i))
        {
            let pom = v.case.pom.as_deref().map(inert);
            let said = [
                format!(
                    "{}: {}",
                    inert(&v.case.name),
                    v.handover.describe(pom.as_deref(), cx.today)
                ),
                format!(
                    "{}  {} opens case",
                    v.handover.rule.explain(),
                    cx.keys.key_for(Action::Open)
                ),
            ];
            let lines: Vec<Line> = said
                .iter()
                .map(|s| Line::from(Span::styled(fit(s, w), t.dim())))
                .collect();
            f.render_widget(Paragraph::new(lines), strip);
        }
    }
}

#[cfg(test)]
mod tests;
