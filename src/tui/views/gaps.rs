//! 2 Gaps: the worklist. One row per flag on every case still to be released, red before
//! amber, then by due day (the order of `releaseday gaps`); Enter jumps to the case (the app
//! does that through `selected`). Under 120 columns the selected flag's message sits in a
//! strip at the bottom so every row stays one line; from 120 columns it is also a column.

use super::cursor::Cursor;
use super::detail::place_instead;
use crate::domain::case::Crn;
use crate::domain::dates;
use crate::domain::gaps::{Flag, FlagCode};
use crate::domain::severity::Severity;
use crate::keys::Action;
use crate::query::view::{worklist_key, WorklistKey};
use crate::query::CaseView;
use crate::text::{fit, inert, pad, width};
use crate::tui::data::Caseload;
use crate::tui::filter::{Dimension, Filter};
use crate::tui::{DrawCx, View};
use chrono::{Datelike, NaiveDate};
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

impl Sort {
    fn next(self) -> Sort {
        match self {
            Sort::Severity => Sort::Officer,
            Sort::Officer => Sort::Release,
            Sort::Release => Sort::Code,
            Sort::Code => Sort::Severity,
        }
    }

    pub fn label(self) -> &'static str {
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

/// "Mon 23 Nov" this year; "12 Jan 2027" (no weekday, to fit) in another.
fn day_cell(d: NaiveDate, today: NaiveDate) -> String {
    if d.year() == today.year() {
        dates::short(d)
    } else {
        d.format("%-d %b %Y").to_string()
    }
}

const SEP: &str = "  ";
const SEVERITY_W: usize = 8;
const CODE_W: usize = 14;
const CRN_W: usize = 7;

/// Column widths for a width; `message` only from 120 columns.
#[derive(Debug, Clone, Copy)]
struct Columns {
    name: usize,
    release: usize,
    officer: usize,
    message: Option<usize>,
}

impl Columns {
    fn for_width(width: u16) -> Columns {
        let w = width as usize;
        if w >= 120 {
            let release = 11;
            let flex = w.saturating_sub(2 + SEVERITY_W + CODE_W + CRN_W + release + 6 * SEP.len());
            let name = (flex * 25 / 100).clamp(14, 24);
            let officer = (flex * 18 / 100).clamp(13, 18);
            Columns {
                name,
                release,
                officer,
                message: Some(flex.saturating_sub(name + officer).max(10)),
            }
        } else {
            let release = 11;
            let flex = w
                .saturating_sub(2 + SEVERITY_W + CODE_W + CRN_W + release + 5 * SEP.len())
                .max(20);
            let name = flex * 55 / 100;
            Columns {
                name,
                release,
                officer: flex - name,
                message: None,
            }
        }
    }

    fn header<'a>(&self, style: Style) -> Line<'a> {
        let mut cells = vec![
            pad("Severity", SEVERITY_W),
            pad("Code", CODE_W),
            pad("Name", self.name),
            pad("CRN", CRN_W),
            pad("Release", self.release),
            pad("Officer", self.officer),
        ];
        if let Some(w) = self.message {
            cells.push(pad("What is wrong", w));
        }
        Line::from(Span::styled(format!("  {}", cells.join(SEP)), style))
    }

    fn row<'a>(&self, v: &CaseView, fl: &Flag, cx: &DrawCx, selected: bool) -> Line<'a> {
        let t = cx.theme;
        let c = &v.case;
        let officer = c
            .officer
            .as_deref()
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .map(inert);
        let mut cells: Vec<(String, usize, Style)> = vec![
            (
                format!("{} {}", fl.severity.symbol(), fl.severity.as_str()),
                SEVERITY_W,
                t.severity(fl.severity),
            ),
            (fl.code.as_str().to_string(), CODE_W, Style::default()),
            (inert(&c.name), self.name, Style::default()),
            (c.crn.to_string(), CRN_W, Style::default()),
            (
                day_cell(v.expected_day(), cx.today),
                self.release,
                Style::default(),
            ),
            match officer {
                Some(o) => (o, self.officer, Style::default()),
                None => ("— none —".into(), self.officer, t.dim()),
            },
        ];
        if let Some(w) = self.message {
            cells.push((inert(&fl.message), w, Style::default()));
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
}

/// The selected flag in full: its message, and where the person is going from and to.
fn draw_strip(f: &mut Frame, area: Rect, v: &CaseView, fl: &Flag, cx: &DrawCx) {
    let t = cx.theme;
    let block = Block::default().borders(Borders::TOP).border_style(t.dim());
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    let label = format!("{} {} ", fl.severity.symbol(), fl.severity.as_str());
    let code = format!("{} ", fl.code.as_str());
    let room = w.saturating_sub(width(&label) + width(&code));
    let first = Line::from(vec![
        Span::styled(label, t.severity(fl.severity)),
        Span::styled(code, t.title()),
        Span::styled(fit(&inert(&fl.message), room), t.severity(fl.severity)),
    ]);
    let c = &v.case;
    // Name, CRN and release day are on the row itself.
    let mut parts = vec![
        c.prison
            .as_deref()
            .map(inert)
            .unwrap_or_else(|| "prison not recorded".into()),
        match (c.needs_accommodation(), place_instead(c)) {
            (true, _) => format!("▲ {}: nowhere to go", c.accommodation),
            (false, Some(place)) => format!("{}, {place}", c.accommodation),
            (false, None) => format!("{} accommodation", c.accommodation),
        },
    ];
    if let Some(team) = c.team.as_deref() {
        parts.push(inert(team));
    }
    let open = cx.keys.key_for(Action::Open);
    let hint = 2 + width(&open) + " opens case".len();
    let second = Line::from(vec![
        Span::styled(fit(&parts.join(" · "), w.saturating_sub(hint + 2)), t.dim()),
        Span::styled(format!("  {open}"), t.key()),
        Span::styled(" opens case", t.dim()),
    ]);
    f.render_widget(Paragraph::new(vec![first, second]), inner);
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::case::{Accommodation, Case, DtrStatus};
    use crate::io::demo::{generate, DemoOptions};
    use crate::query::{Planner, Settings};
    use crate::store::Store;
    use crate::tui::theme::Theme;
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;

    pub(crate) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    pub(crate) fn today() -> NaiveDate {
        d(2026, 11, 23)
    }

    /// The demo caseload plus a few hand-made cases, in an in-memory store.
    pub(crate) fn planner_with(extra: &[Case]) -> Planner {
        let mut planner =
            Planner::new(Store::open_in_memory().unwrap(), Settings::default()).expect("planner");
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
        let cal = &planner.cal;
        planner
            .store
            .insert_many(&cases, "test", &|c| cal.expected_day(c))
            .unwrap();
        planner
    }

    /// A case with nowhere to go released in two weeks: red DTR and CRS, amber NFA.
    fn homeless_soon() -> Case {
        let mut c = Case::new("Q100001".parse().unwrap(), "Aaron Testcase", d(2026, 12, 7));
        c.accommodation = Accommodation::Nfa;
        c.dtr = Some(DtrStatus::NotSent);
        c.officer = Some("Zed Officer".into());
        c.prison = Some("HMP Testmoor".into());
        c
    }

    pub(crate) fn render(
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

    fn setup() -> (Planner, Caseload, GapsView) {
        let planner = planner_with(&[homeless_soon()]);
        let data = Caseload::load(&planner, today()).unwrap();
        let mut view = GapsView::default();
        view.refresh(&data, &Filter::default());
        (planner, data, view)
    }

    fn keys(view: &GapsView, data: &Caseload) -> Vec<(String, FlagCode)> {
        view.rows(data)
            .iter()
            .map(|(v, f)| (v.case.crn.to_string(), f.code))
            .collect()
    }

    #[test]
    fn rows_match_the_cli_worklist_red_first_then_due_day() {
        let (planner, data, view) = setup();
        let cli: Vec<(String, FlagCode)> = planner
            .gaps(today())
            .unwrap()
            .iter()
            .map(|g| (g.crn.to_string(), g.flag.code))
            .collect();
        assert!(cli.len() > 10, "the demo has gaps to show");
        assert_eq!(keys(&view, &data), cli);
        let rows = view.rows(&data);
        let first_amber = rows
            .iter()
            .position(|(_, f)| f.severity == Severity::Amber)
            .unwrap();
        assert!(first_amber > 0);
        assert!(rows[..first_amber]
            .iter()
            .all(|(_, f)| f.severity == Severity::Red));
        assert!(rows[first_amber..]
            .iter()
            .all(|(_, f)| f.severity == Severity::Amber));
        for part in [&rows[..first_amber], &rows[first_amber..]] {
            assert!(part.windows(2).all(|w| w[0].1.due <= w[1].1.due));
        }
        assert!(rows.iter().all(|(v, _)| v.expected_day() >= today()));
    }

    #[test]
    fn filter_by_flag_code_and_severity() {
        let (planner, data, mut view) = setup();
        let mut filter = Filter::default();
        filter.set(Dimension::Flag, "DTR_NOT_SENT".into());
        view.refresh(&data, &filter);
        let want = planner
            .gaps(today())
            .unwrap()
            .iter()
            .filter(|g| g.flag.code == FlagCode::DtrNotSent)
            .count();
        assert!(want > 0);
        assert_eq!(view.rows(&data).len(), want);
        assert!(view
            .rows(&data)
            .iter()
            .all(|(_, f)| f.code == FlagCode::DtrNotSent));

        // "amber" lists every amber gap, also those on cases with a red one.
        let mut filter = Filter::default();
        filter.set(Dimension::Severity, "amber".into());
        view.refresh(&data, &filter);
        let amber = planner
            .gaps(today())
            .unwrap()
            .iter()
            .filter(|g| g.flag.severity == Severity::Amber)
            .count();
        assert_eq!(view.rows(&data).len(), amber);

        let mut filter = Filter::default();
        filter.set(Dimension::Officer, "Zed Officer".into());
        view.refresh(&data, &filter);
        let crns: Vec<_> = keys(&view, &data).into_iter().map(|(c, _)| c).collect();
        assert!(!crns.is_empty());
        assert!(crns.iter().all(|c| c == "Q100001"));
    }

    #[test]
    fn select_goes_to_the_first_flag_of_a_case_and_sorting_keeps_it() {
        let (_planner, data, mut view) = setup();
        let crn: Crn = "Q100001".parse().unwrap();
        assert!(view.select(&crn, &data));
        assert_eq!(view.selected(&data), Some(crn.clone()));
        let first = view
            .rows(&data)
            .iter()
            .position(|(v, _)| v.case.crn == crn)
            .unwrap();
        assert_eq!(view.cursor.selected, first);
        let code = view.rows(&data)[first].1.code;
        assert!(!view.select(&"Q999999".parse().unwrap(), &data));

        let filter = Filter::default();
        let mut labels = Vec::new();
        for _ in 0..4 {
            labels.push(view.next_sort(&data, &filter));
            let (v, f) = view.rows(&data)[view.cursor.selected];
            assert_eq!((&v.case.crn, f.code), (&crn, code), "selection kept");
            let rows = view.rows(&data);
            let sorted = rows.windows(2).all(|w| match view.sort() {
                Sort::Officer => officer_key(w[0].0) <= officer_key(w[1].0),
                Sort::Release => w[0].0.expected_day() <= w[1].0.expected_day(),
                Sort::Code => w[0].1.code <= w[1].1.code,
                Sort::Severity => default_order(w[0], w[1]) != Ordering::Greater,
            });
            assert!(sorted, "{:?}", view.sort());
        }
        assert_eq!(
            labels,
            [
                "officer",
                "release day",
                "flag code",
                "severity, then due day"
            ]
        );
    }

    #[test]
    fn navigation_and_an_empty_list_say_why() {
        let (planner, data, mut view) = setup();
        assert!(view.handle(Action::Bottom, &data));
        assert_eq!(view.cursor.selected, view.rows.len() - 1);
        assert!(!view.handle(Action::PrevMonth, &data));

        let filter = Filter::searching("nobody-by-this-name");
        view.refresh(&data, &filter);
        assert_eq!(view.selected(&data), None);
        let screen = render(&mut view, &planner, &data, &filter, 80, 21).join("\n");
        assert!(
            screen.contains("Nothing matches the filter; F clears it"),
            "{screen}"
        );
        assert!(
            screen.contains("0 gaps · 0 red · 0 amber (filtered)"),
            "{screen}"
        );
        // Clearing the filter returns to the flag that was selected.
        view.refresh(&data, &Filter::default());
        assert_eq!(view.cursor.selected, view.rows.len() - 1);

        let empty = Planner::new(Store::open_in_memory().unwrap(), Settings::default()).unwrap();
        let none = Caseload::load(&empty, today()).unwrap();
        let mut view = GapsView::default();
        view.refresh(&none, &Filter::default());
        let screen = render(&mut view, &empty, &none, &Filter::default(), 80, 21).join("\n");
        assert!(screen.contains("No gaps: every upcoming case"), "{screen}");
    }

    #[test]
    fn renders_at_80_and_120_columns() {
        let (planner, data, mut view) = setup();
        let crn: Crn = "Q100001".parse().unwrap();
        view.select(&crn, &data);
        let filter = Filter::default();
        let total = view.rows.len();
        let red = view.red;
        let head = format!("{total} gaps · {red} red · {} amber", total - red);

        let narrow = render(&mut view, &planner, &data, &filter, 80, 21);
        let screen = narrow.join("\n");
        assert!(narrow[0].contains(&head), "{screen}");
        assert!(
            narrow[1].contains("Severity") && narrow[1].contains("Officer"),
            "{screen}"
        );
        assert!(screen.contains("▶ ▲ red     CRS_NOT_SENT"), "{screen}");
        assert!(screen.contains("Aaron Testcase"), "{screen}");
        assert!(screen.contains("● amber"), "{screen}");
        // The selected flag's message is in the strip at the bottom.
        let (_, fl) = view.rows(&data)[view.cursor.selected];
        assert!(narrow[19].contains(&fl.message), "{screen}");
        assert!(narrow[20].contains("HMP Testmoor"), "{screen}");
        assert!(narrow[20].contains("Enter opens case"), "{screen}");
        // Only the rows that fit are drawn: 21 − title − header − strip.
        let drawn = narrow
            .iter()
            .filter(|l| {
                ["  ▲ red", "  ● amber", "▶ "]
                    .iter()
                    .any(|p| l.starts_with(p))
            })
            .count();
        assert_eq!(drawn, 16.min(total), "{screen}");

        let wide = render(&mut view, &planner, &data, &filter, 120, 37);
        let screen = wide.join("\n");
        assert!(wide[1].contains("What is wrong"), "{screen}");
        let row = wide.iter().find(|l| l.starts_with("▶ ")).unwrap();
        assert!(
            row.contains("Q100001") && row.contains("Zed Officer"),
            "{screen}"
        );
        assert!(row.contains(&fl.message[..20]), "{screen}");
    }

    #[test]
    fn the_whole_screen_at_80x24_and_120x40_and_enter_jumps_to_the_case() {
        use crate::tui::app::App;
        use crate::tui::ViewId;
        let planner = planner_with(&[homeless_soon()]);
        let clock = Box::new(|| today().and_hms_opt(9, 0, 0).unwrap());
        let mut app = App::new(planner, today(), clock, Theme::mono()).unwrap();
        app.dispatch(Action::Show(ViewId::Gaps));
        let draw = |app: &mut App, w: u16, h: u16| -> Vec<String> {
            let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
            term.draw(|f| app.draw(f)).unwrap();
            let buf = term.backend().buffer();
            (0..h)
                .map(|y| (0..w).map(|x| buf[(x, y)].symbol().to_string()).collect())
                .collect()
        };
        for (w, h) in [(80, 24), (120, 40)] {
            let lines = draw(&mut app, w, h);
            let text = lines.join("\n");
            assert!(
                lines[1].contains(" gaps · ") && lines[1].contains(" red · "),
                "{text}"
            );
            assert!(lines[3].starts_with("▶ ▲ red"), "{text}");
            // Rows end above the strip, the strip above the command bar.
            assert!(lines[(h - 5) as usize].starts_with("───"), "{text}");
            assert!(
                lines[(h - 3) as usize].contains("Enter opens case"),
                "{text}"
            );
        }
        app.dispatch(Action::Down);
        let crn = app.selected().unwrap();
        app.dispatch(Action::Open);
        assert_eq!(app.view, ViewId::Releases);
        assert_eq!(app.selected(), Some(crn));
        assert_eq!(app.popups.len(), 1, "the case's detail is open");
    }
}
