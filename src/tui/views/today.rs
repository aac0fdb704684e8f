//! 4 Today: the duty officer's morning, as `releaseday today`. Releases expected today, then
//! earlier days' releases not yet reported; `r`/`x` (handled by the app through `selected`)
//! record whether each person has reported. The cursor moves over both sections as one list.

use super::cursor::Cursor;
use crate::domain::case::{Accommodation, Case, Crn, Rosh};
use crate::domain::severity::Severity;
use crate::keys::Action;
use crate::query::sheet::{sheet_part, SheetCounts, SheetPart};
use crate::query::CaseView;
use crate::text::{fit, inert, pad, width};
use crate::tui::data::Caseload;
use crate::tui::filter::Filter;
use crate::tui::theme::Theme;
use crate::tui::{DrawCx, View};
use chrono::NaiveDate;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
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
}

impl Sort {
    fn next(self) -> Sort {
        match self {
            Sort::Name => Sort::Officer,
            Sort::Officer => Sort::Prison,
            Sort::Prison => Sort::Accommodation,
            Sort::Accommodation => Sort::Name,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Sort::Name => "name",
            Sort::Officer => "officer",
            Sort::Prison => "prison",
            Sort::Accommodation => "accommodation, nowhere to go first",
        }
    }

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
        }
    }

    fn cmp(self, a: &Case, b: &Case) -> Ordering {
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
                    let n = cols.detail(&v.case, t).len();
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
        let by = |a: &usize, b: &usize| sort.cmp(&data.cases[*a].case, &data.cases[*b].case);
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
        match found {
            Some(k) => {
                self.cursor.selected = k;
                self.remember(data);
                true
            }
            None => false,
        }
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

/// One display line of the sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    Heading(usize),
    Nobody,
    Gap,
    Person(usize),
    /// A line of the person's officer, prison and notes.
    Detail(usize, usize),
}

impl TodayView {
    /// Keeps the selected person (both their lines) on screen, with their section heading
    /// when they are first in it.
    fn scroll(&mut self, items: &[Item], height: usize) {
        let sel = self.cursor.selected;
        let first = items.iter().position(|it| *it == Item::Person(sel));
        if let Some(first) = first {
            let last = first
                + items[first + 1..]
                    .iter()
                    .take_while(|it| matches!(it, Item::Detail(k, _) if *k == sel))
                    .count();
            let top = match items[..first].last() {
                Some(Item::Heading(_)) => first - 1,
                _ => first,
            };
            if top < self.offset {
                self.offset = top;
            }
            if last >= self.offset + height {
                self.offset = last + 1 - height;
            }
        }
        self.offset = self.offset.min(items.len().saturating_sub(height));
    }

    fn line<'a>(&self, item: Item, cx: &DrawCx, cols: &Columns) -> Line<'a> {
        let t = cx.theme;
        match item {
            Item::Heading(0) => Line::from(vec![
                Span::styled(
                    format!("Expected today ({})", self.expected.len()),
                    t.heading(),
                ),
                Span::styled(format!(" · {}", self.sort.parts().0), t.dim()),
            ]),
            Item::Heading(_) => Line::from(vec![
                Span::styled(
                    format!(
                        "Released earlier, not yet reported ({})",
                        self.earlier.len()
                    ),
                    t.heading(),
                ),
                Span::styled(format!(" · {}", self.sort.parts().1), t.dim()),
            ]),
            Item::Nobody => Line::from(Span::styled(
                if cx.filter.is_empty() {
                    "  none".to_string()
                } else {
                    format!(
                        "  none matching the filter ({} clears it)",
                        cx.keys.key_for(Action::ClearFilters)
                    )
                },
                t.dim(),
            )),
            Item::Gap => Line::from(""),
            Item::Person(k) => match self.person(k).and_then(|i| cx.data.cases.get(i)) {
                Some(v) => cols.row(v, cx, k == self.cursor.selected),
                None => Line::from(""),
            },
            Item::Detail(k, n) => self
                .person(k)
                .and_then(|i| cx.data.cases.get(i))
                .and_then(|v| cols.detail(&v.case, t).into_iter().nth(n))
                .unwrap_or_default(),
        }
    }
}

/// "Mon 23 Nov 2026 · 7 expected · 2 reported · …", wrapped at " · " to the width.
fn header_lines<'a>(n: SheetCounts, cx: &DrawCx, line_width: usize) -> Vec<Line<'a>> {
    let t = cx.theme;
    let plain = Style::default();
    let mut parts = vec![
        (crate::domain::dates::long(cx.today), t.title()),
        (format!("{} expected", n.expected), plain),
        (
            format!("{} reported", n.reported),
            if n.reported > 0 { t.ok() } else { plain },
        ),
        (
            format!("{} still to report", n.to_report),
            if n.to_report > 0 { t.title() } else { plain },
        ),
        (
            format!("{} from earlier days", n.earlier),
            if n.earlier > 0 { t.title() } else { plain },
        ),
        (
            format!("{} with nowhere to go", n.homeless),
            if n.homeless > 0 { t.homeless() } else { plain },
        ),
    ];
    if !cx.filter.is_empty() {
        parts.push(("(filtered)".into(), t.dim()));
    }
    let mut lines = Vec::new();
    let mut spans: Vec<Span> = Vec::new();
    let mut used = 0;
    for (text, style) in parts {
        let n = width(&text);
        if !spans.is_empty() && used + 3 + n > line_width {
            lines.push(Line::from(std::mem::take(&mut spans)));
            used = 0;
        }
        if !spans.is_empty() {
            spans.push(Span::styled(" · ", t.dim()));
            used += 3;
        }
        spans.push(Span::styled(
            fit(&text, line_width.saturating_sub(used)),
            style,
        ));
        used += n;
    }
    lines.push(Line::from(spans));
    lines
}

const SEP: &str = "  ";
const REPORTED_W: usize = 9;
const CRN_W: usize = 7;
const DAY_W: usize = 6;
/// "▲ TRANSIENT", or "✓ CAS3 bed" for a place booked (said in full under the row).
const ACCOM_W: usize = 12;
const RISK_W: usize = 12;
/// Where the name column starts: the marker, the reported column and a separator.
const INDENT: usize = 2 + REPORTED_W + 2;
/// Most lines of notes under a person (Enter shows the rest).
const NOTE_LINES: usize = 2;

/// Column widths for a width. Under 120 columns officer, prison and notes go on a second
/// line under each person; wider, officer and prison are columns, and notes too from ~180.
#[derive(Debug, Clone, Copy)]
struct Columns {
    width: usize,
    name: usize,
    officer: Option<usize>,
    prison: Option<usize>,
    notes: Option<usize>,
}

impl Columns {
    fn for_width(width: u16) -> Columns {
        let w = width as usize;
        let fixed = 2 + REPORTED_W + CRN_W + DAY_W + ACCOM_W + RISK_W + 5 * SEP.len();
        if w < 120 {
            return Columns {
                width: w,
                name: w.saturating_sub(fixed).max(12),
                officer: None,
                prison: None,
                notes: None,
            };
        }
        let flex = w - fixed - 2 * SEP.len();
        let name = (flex * 40 / 100).clamp(16, 28);
        let officer = (flex * 30 / 100).clamp(12, 22);
        let rest = flex - name - officer;
        let (prison, notes) = if rest >= 26 + SEP.len() + 24 {
            (26, Some(rest - 26 - SEP.len()))
        } else {
            (rest, None)
        };
        Columns {
            width: w,
            name,
            officer: Some(officer),
            prison: Some(prison),
            notes,
        }
    }

    fn header<'a>(&self, style: Style) -> Line<'a> {
        let mut cells = vec![
            pad("Reported", REPORTED_W),
            pad("Name", self.name),
            pad("CRN", CRN_W),
            pad("Day", DAY_W),
            pad("Accomm", ACCOM_W),
            pad("Risk", RISK_W),
        ];
        for (h, w) in [
            ("Officer", self.officer),
            ("Prison", self.prison),
            ("Notes", self.notes),
        ] {
            if let Some(w) = w {
                cells.push(pad(h, w));
            }
        }
        let mut text = format!("  {}", cells.join(SEP));
        if self.officer.is_none() {
            text = fit(&text, self.width);
        }
        Line::from(Span::styled(text, style))
    }

    fn row<'a>(&self, v: &CaseView, cx: &DrawCx, selected: bool) -> Line<'a> {
        let t = cx.theme;
        let c = &v.case;
        let mut cells: Vec<(String, usize, Style)> = vec![
            match v.reported_at {
                Some(at) => (format!("✓ {}", at.format("%H:%M")), REPORTED_W, t.ok()),
                None => ("· waiting".into(), REPORTED_W, t.dim()),
            },
            (inert(&c.name), self.name, Style::default()),
            (c.crn.to_string(), CRN_W, Style::default()),
            if v.expected_day() == cx.today {
                ("today".into(), DAY_W, t.dim())
            } else {
                (day(v.expected_day()), DAY_W, Style::default())
            },
            match (c.needs_accommodation(), super::detail::place_instead(c)) {
                (true, _) => (format!("▲ {}", c.accommodation), ACCOM_W, t.homeless()),
                // NFA with a CAS3 bed booked has somewhere to go: say where, not "NFA".
                (false, Some(place)) => (format!("✓ {}", short_place(place)), ACCOM_W, t.ok()),
                (false, None) => (c.accommodation.to_string(), ACCOM_W, Style::default()),
            },
            (
                risk(c),
                RISK_W,
                if matches!(c.rosh, Some(Rosh::High | Rosh::VeryHigh)) {
                    t.title()
                } else {
                    Style::default()
                },
            ),
        ];
        if let Some(w) = self.officer {
            cells.push(match officer(c) {
                Some(o) => (o, w, Style::default()),
                None => ("▲ none".into(), w, t.severity(Severity::Red)),
            });
        }
        if let Some(w) = self.prison {
            cells.push((
                c.prison.as_deref().map(inert).unwrap_or_default(),
                w,
                Style::default(),
            ));
        }
        if let Some(w) = self.notes {
            cells.push((notes(c), w, t.dim()));
        }
        let on = |s: Style| if selected { s.patch(t.selected()) } else { s };
        let mut spans = vec![Span::styled(
            if selected { "▶ " } else { "  " },
            on(Style::default()),
        )];
        let last = cells.len() - 1;
        for (k, (text, w, style)) in cells.into_iter().enumerate() {
            spans.push(Span::styled(pad(&text, w), on(style)));
            if k < last {
                spans.push(Span::styled(SEP, on(Style::default())));
            }
        }
        Line::from(spans)
    }

    /// Lines under a person: officer and prison when narrow (they are columns when wide), then
    /// notes, wrapped, unless they have a column.
    fn detail<'a>(&self, c: &Case, t: &Theme) -> Vec<Line<'a>> {
        let mut lines = Vec::new();
        if self.officer.is_none() {
            let mut parts: Vec<(String, Style)> = Vec::new();
            match officer(c) {
                Some(o) => {
                    parts.push(("Officer ".into(), t.dim()));
                    parts.push((o, Style::default()));
                }
                None => parts.push(("▲ no officer allocated".into(), t.severity(Severity::Red))),
            }
            parts.push((" · ".into(), t.dim()));
            parts.push(match c.prison.as_deref() {
                Some(p) => (inert(p), Style::default()),
                None => ("prison not recorded".into(), t.dim()),
            });
            if let Some(place) = super::detail::place_instead(c) {
                parts.push((" · ".into(), t.dim()));
                parts.push((format!("{}, {place}", c.accommodation), t.ok()));
            }
            let max = if super::detail::place_instead(c).is_some() {
                2
            } else {
                1
            };
            lines.extend(wrap_spans(parts, self.width, INDENT, max));
        } else if let Some(place) = super::detail::place_instead(c) {
            lines.extend(wrap_spans(
                vec![(format!("{}, {place}", c.accommodation), t.ok())],
                self.width,
                INDENT,
                1,
            ));
        }
        if self.notes.is_none() && has_notes(c) {
            lines.extend(wrap_spans(
                vec![(notes(c), t.dim())],
                self.width,
                INDENT,
                NOTE_LINES,
            ));
        }
        lines.into_iter().map(Line::from).collect()
    }
}

/// "CAS3 bed booked" as the column has room for it: "CAS3 bed".
fn short_place(place: &str) -> String {
    match place.split(' ').take(2).collect::<Vec<_>>()[..] {
        ["AP", _] => "AP place".into(),
        ref words => words.join(" "),
    }
}

fn officer(c: &Case) -> Option<String> {
    c.officer
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .map(inert)
}

fn has_notes(c: &Case) -> bool {
    c.notes.as_deref().is_some_and(|n| !n.trim().is_empty())
}

fn notes(c: &Case) -> String {
    inert(c.notes.as_deref().unwrap_or("").trim())
}

/// "HIGH M2", "MEDIUM", "M1"; blank when neither is recorded.
fn risk(c: &Case) -> String {
    match (c.rosh, c.mappa) {
        (Some(r), Some(m)) => format!("{r} M{m}"),
        (Some(r), None) => r.to_string(),
        (None, Some(m)) => format!("M{m}"),
        (None, None) => String::new(),
    }
}

/// "Tue 17": within the week looked back over, the weekday and date are enough.
fn day(d: NaiveDate) -> String {
    d.format("%a %-d").to_string()
}

fn used_by(spans: &[Span]) -> usize {
    spans.iter().map(|s| width(&s.content)).sum()
}

/// Styled text word-wrapped to a width under an indent, at most `max` lines, the last one
/// ending in "…" when text was left over.
fn wrap_spans<'a>(
    parts: Vec<(String, Style)>,
    line_width: usize,
    indent: usize,
    max: usize,
) -> Vec<Vec<Span<'a>>> {
    let room = line_width.saturating_sub(indent).max(10);
    let mut lines: Vec<Vec<Span>> = Vec::new();
    let mut line: Vec<Span> = Vec::new();
    let mut used = 0;
    let mut cut = false;
    'parts: for (text, style) in parts {
        for word in text.split_inclusive(' ') {
            let n = width(word);
            if used + n > room && used > 0 {
                lines.push(std::mem::take(&mut line));
                used = 0;
                if lines.len() == max {
                    cut = true;
                    break 'parts;
                }
            }
            let word = if used == 0 { word.trim_start() } else { word };
            let word = fit(word, room);
            used += width(&word);
            line.push(Span::styled(word, style));
        }
    }
    if !line.is_empty() && !cut {
        lines.push(line);
    }
    if cut {
        if let Some(last) = lines.last_mut() {
            let all = used_by(last);
            if let Some(span) = last.last_mut() {
                let mut text = span.content.trim_end().to_string();
                let before = all - width(&span.content);
                if before + width(&text) >= room {
                    text.pop();
                }
                text.push('…');
                span.content = text.into();
            }
        }
    }
    for l in &mut lines {
        l.insert(0, Span::raw(" ".repeat(indent)));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::Planner;
    use crate::tui::app::App;
    use crate::tui::views::gaps::tests::{d, planner_with, render, today};
    use chrono::NaiveDateTime;
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;

    fn case(crn: &str, name: &str, day: NaiveDate) -> Case {
        let mut c = Case::new(crn.parse().unwrap(), name, day);
        c.officer = Some("Olu Duty".into());
        c.prison = Some("HMP Testmoor".into());
        c.accommodation = Accommodation::Settled;
        c
    }

    /// Today (Mon 23 Nov): three people; earlier: two in the look-back week, one before it.
    fn extra() -> Vec<Case> {
        let mut nfa = case("Q200001", "Abe Nowhere", today());
        nfa.accommodation = Accommodation::Nfa;
        nfa.rosh = Some(Rosh::High);
        nfa.mappa = Some(2);
        nfa.notes = Some("Meet at the gate\u{1b}[2J".into());
        let mut settled = case("Q200002", "Bea Settled", today());
        settled.notes = Some("Curfew check done".into());
        let mut unallocated = case("Q200003", "Cy Unallocated", today());
        unallocated.officer = None;
        let mut wed = case("Q200004", "Dot Wednesday", d(2026, 11, 18));
        wed.accommodation = Accommodation::Transient;
        let thu = case("Q200005", "Eve Thursday", d(2026, 11, 19));
        let old = case("Q200006", "Fay Longago", d(2026, 11, 10));
        vec![nfa, settled, unallocated, wed, thu, old]
    }

    fn setup() -> (Planner, Caseload, TodayView) {
        let planner = planner_with(&extra());
        let data = Caseload::load(&planner, today()).unwrap();
        let mut view = TodayView::default();
        view.refresh(&data, &Filter::default());
        (planner, data, view)
    }

    fn crns(list: Vec<&CaseView>) -> Vec<String> {
        list.iter().map(|v| v.case.crn.to_string()).collect()
    }

    fn at(h: u32, m: u32) -> NaiveDateTime {
        today().and_hms_opt(h, m, 0).unwrap()
    }

    fn assert_same_as_cli(planner: &Planner, data: &Caseload, view: &TodayView) {
        let sheet = planner.today_sheet(today()).unwrap();
        assert_eq!(
            crns(view.expected(data)),
            crns(sheet.expected.iter().collect())
        );
        assert_eq!(
            crns(view.earlier(data)),
            crns(sheet.outstanding.iter().collect())
        );
        assert_eq!(view.counts(), sheet.counts());
        assert_eq!(view.counts().expected, sheet.expected.len());
        assert_eq!(view.counts().earlier, sheet.outstanding.len());
    }

    #[test]
    fn sections_and_counts_match_the_cli_sheet() {
        let (mut planner, mut data, mut view) = setup();
        assert_same_as_cli(&planner, &data, &view);
        let expected = crns(view.expected(&data));
        for crn in ["Q200001", "Q200002", "Q200003"] {
            assert!(expected.contains(&crn.to_string()), "{crn} expected today");
        }
        let names: Vec<_> = view
            .expected(&data)
            .iter()
            .map(|v| v.case.name.clone())
            .collect();
        assert!(names.windows(2).all(|w| w[0] <= w[1]), "by name");
        let earlier = crns(view.earlier(&data));
        assert!(earlier.contains(&"Q200004".into()) && earlier.contains(&"Q200005".into()));
        assert!(
            !earlier.contains(&"Q200006".into()),
            "outside the look-back week"
        );
        let days: Vec<_> = view
            .earlier(&data)
            .iter()
            .map(|v| v.expected_day())
            .collect();
        assert!(days.windows(2).all(|w| w[0] <= w[1]), "by day");

        // Reporting today's person counts at once; an earlier day's person leaves the list.
        let who = "test";
        let q1: Crn = "Q200001".parse().unwrap();
        let q4: Crn = "Q200004".parse().unwrap();
        let before = view.counts();
        planner
            .store
            .set_reported(&q1, Some(at(9, 14)), who, None)
            .unwrap();
        planner
            .store
            .set_reported(&q4, Some(at(9, 20)), who, None)
            .unwrap();
        data.refresh_case(&planner, &q1).unwrap();
        data.refresh_case(&planner, &q4).unwrap();
        view.refresh(&data, &Filter::default());
        let after = view.counts();
        assert_eq!(after.reported, 1);
        assert_eq!(after.to_report, before.to_report - 1);
        assert_eq!(after.earlier, before.earlier - 1);
        assert!(!crns(view.earlier(&data)).contains(&"Q200004".into()));
        assert_same_as_cli(&planner, &data, &view);

        // Everyone on the sheet can be selected.
        for crn in ["Q200001", "Q200003", "Q200005"] {
            let crn: Crn = crn.parse().unwrap();
            assert!(view.select(&crn, &data));
            assert_eq!(view.selected(&data), Some(crn));
        }
        assert!(!view.select(&q4, &data), "reported earlier: off the sheet");
        assert!(!view.select(&"Q200006".parse().unwrap(), &data));
    }

    /// A team that looks back four days, not seven: the screen's sheet is the CLI's from the
    /// first refresh, before anything is drawn.
    #[test]
    fn the_look_back_follows_the_settings_before_any_draw() {
        use crate::query::Settings;
        use crate::store::Store;
        let settings = Settings {
            outstanding_days: 4,
            ..Settings::default()
        };
        let mut planner = Planner::new(Store::open_in_memory().unwrap(), settings).unwrap();
        let cal = planner.cal.clone();
        planner
            .store
            .insert_many(&extra(), "test", &|c| cal.expected_day(c))
            .unwrap();
        let data = Caseload::load(&planner, today()).unwrap();
        let mut view = TodayView::default();
        view.refresh(&data, &Filter::default());
        assert_same_as_cli(&planner, &data, &view);
        let earlier = crns(view.earlier(&data));
        assert_eq!(
            earlier,
            ["Q200005"],
            "Thu 19 Nov is within four days, Wed 18 is not"
        );
    }

    #[test]
    fn the_cursor_runs_over_both_sections_and_sorting_keeps_it() {
        let (_planner, data, mut view) = setup();
        let n = view.expected.len() + view.earlier.len();
        view.handle(Action::Top, &data);
        for _ in 0..n + 3 {
            view.handle(Action::Down, &data);
        }
        assert_eq!(
            view.selected(&data),
            view.earlier(&data).last().map(|v| v.case.crn.clone())
        );

        let crn: Crn = "Q200002".parse().unwrap();
        view.select(&crn, &data);
        let filter = Filter::default();
        let mut labels = Vec::new();
        for _ in 0..4 {
            labels.push(view.next_sort(&data, &filter));
            assert_eq!(view.selected(&data), Some(crn.clone()));
            if view.sort() == Sort::Accommodation {
                let first = view.expected(&data)[0];
                assert!(first.case.needs_accommodation(), "nowhere to go first");
            }
            if view.sort() == Sort::Officer {
                let first = view.expected(&data)[0];
                assert!(first.case.officer.is_none(), "unallocated first");
            }
        }
        assert_eq!(
            labels,
            [
                "officer",
                "prison",
                "accommodation, nowhere to go first",
                "name"
            ]
        );
        // The filter applies: search by name.
        let filter = Filter::searching("dot wed");
        view.refresh(&data, &filter);
        assert_eq!(crns(view.earlier(&data)), ["Q200004"]);
        assert!(view.expected(&data).is_empty());
        assert_eq!(view.selected(&data).unwrap().as_str(), "Q200004");
    }

    fn app(planner: Planner) -> App {
        let theme = Theme::mono();
        App::new(planner, today(), Box::new(|| at(9, 14)), theme).unwrap()
    }

    fn screen(app: &mut App, w: u16, h: u16) -> Vec<String> {
        let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
        term.draw(|f| app.draw(f)).unwrap();
        let buf = term.backend().buffer();
        (0..h)
            .map(|y| (0..w).map(|x| buf[(x, y)].symbol().to_string()).collect())
            .collect()
    }

    #[test]
    fn renders_at_80_by_24_and_marks_reported_with_r() {
        let planner = planner_with(&extra());
        let mut app = app(planner);
        app.dispatch(Action::Show(crate::keys::ViewId::Today));
        let crn: Crn = "Q200001".parse().unwrap();
        assert!(app.views.today.select(&crn, &app.data));
        let n = app.views.today.counts();
        let lines = screen(&mut app, 80, 24);
        let text = lines.join("\n");
        assert!(lines.iter().all(|l| l.chars().count() == 80));
        assert!(text.contains("Mon 23 Nov 2026 · "), "{text}");
        assert!(
            text.contains(&format!("{} expected · 0 reported", n.expected)),
            "{text}"
        );
        assert!(
            text.contains(&format!("{} with nowhere to go", n.homeless)),
            "{text}"
        );
        assert!(
            text.contains(&format!("Expected today ({})", n.expected)),
            "{text}"
        );
        let row = lines.iter().find(|l| l.starts_with("▶ ")).expect(&text);
        assert!(
            row.contains("· waiting") && row.contains("Abe Nowhere"),
            "{text}"
        );
        assert!(row.contains("▲ NFA") && row.contains("HIGH M2"), "{text}");
        // Under the row: officer and prison, then notes (escape sequences made inert).
        let at = lines.iter().position(|l| l.starts_with("▶ ")).unwrap();
        assert!(
            lines[at + 1].contains("Officer Olu Duty · HMP Testmoor"),
            "{text}"
        );
        assert!(
            lines[at + 2].contains("Meet at the gate\u{fffd}[2J"),
            "{text}"
        );
        assert!(!text.contains('\u{1b}'));

        app.dispatch(Action::MarkReported);
        let lines = screen(&mut app, 80, 24);
        let text = lines.join("\n");
        let row = lines.iter().find(|l| l.starts_with("▶ ")).expect(&text);
        assert!(
            row.contains("✓ 09:14") && row.contains("Abe Nowhere"),
            "{text}"
        );
        assert!(text.contains(" · 1 reported · "), "{text}");
        app.dispatch(Action::Undo);
        assert_eq!(app.views.today.counts().reported, 0);
    }

    #[test]
    fn renders_wide_with_officer_and_prison_columns() {
        let (planner, data, mut view) = setup();
        view.select(&"Q200003".parse().unwrap(), &data);
        let filter = Filter::default();
        let lines = render(&mut view, &planner, &data, &filter, 120, 37);
        let text = lines.join("\n");
        assert!(lines[1].contains("Mon 23 Nov 2026 · "), "{text}");
        let head = lines.iter().find(|l| l.contains("Reported")).unwrap();
        assert!(
            head.contains("Officer") && head.contains("Prison"),
            "{text}"
        );
        let row = lines.iter().find(|l| l.starts_with("▶ ")).expect(&text);
        assert!(
            row.contains("Cy Unallocated") && row.contains("▲ none"),
            "{text}"
        );
        assert!(
            text.contains("Released earlier, not yet reported ("),
            "{text}"
        );
        let nfa = lines.iter().find(|l| l.contains("Abe Nowhere")).unwrap();
        assert!(
            nfa.contains("Olu Duty") && nfa.contains("HMP Testmoor"),
            "{text}"
        );

        let wider = render(&mut view, &planner, &data, &filter, 200, 37);
        let nfa = wider.iter().find(|l| l.contains("Abe Nowhere")).unwrap();
        assert!(
            nfa.contains("Meet at the gate"),
            "notes in a column when wide"
        );
    }

    #[test]
    fn a_long_sheet_scrolls_to_keep_the_selection_in_view() {
        let (planner, data, mut view) = setup();
        let filter = Filter::default();
        view.handle(Action::Bottom, &data);
        let lines = render(&mut view, &planner, &data, &filter, 80, 12);
        let last = view.earlier(&data).last().unwrap().case.name.clone();
        let row = lines
            .iter()
            .find(|l| l.starts_with("▶ "))
            .expect("selected shown");
        assert!(row.contains(&last));
        view.handle(Action::Top, &data);
        let lines = render(&mut view, &planner, &data, &filter, 80, 12);
        assert!(
            lines.iter().any(|l| l.starts_with("Expected today")),
            "heading shown"
        );
    }

    #[test]
    fn long_notes_wrap_to_two_lines_and_are_cut_with_a_mark() {
        let words = "word ".repeat(60);
        let lines = wrap_spans(vec![(words, Style::default())], 80, INDENT, NOTE_LINES);
        assert_eq!(lines.len(), 2);
        for l in &lines {
            let text: String = l.iter().map(|s| s.content.as_ref()).collect();
            assert!(text.chars().count() <= 80, "{text}");
            assert!(text.starts_with(&" ".repeat(INDENT)));
        }
        let last: String = lines[1].iter().map(|s| s.content.as_ref()).collect();
        assert!(last.ends_with("word…"), "{last}");
        let short = wrap_spans(
            vec![("Meet at the gate".into(), Style::default())],
            80,
            13,
            2,
        );
        assert_eq!(short.len(), 1);
    }
}
