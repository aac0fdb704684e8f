//! The worklist's rows laid out for a width (the message a column from 120 columns), and the
//! strip under the list saying the selected flag in full.

use crate::domain::dates;
use crate::domain::gaps::Flag;
use crate::keys::Action;
use crate::query::CaseView;
use crate::text::{fit, inert, pad, width};
use crate::tui::views::detail::place_instead;
use crate::tui::views::row::{self, SEP};
use crate::tui::DrawCx;
use chrono::{Datelike, NaiveDate};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

pub(super) const SEVERITY_W: usize = 8;
pub(super) const CODE_W: usize = 14;
pub(super) const CRN_W: usize = 7;

/// Column widths for a width; `message` only from 120 columns.
#[derive(Debug, Clone, Copy)]
pub(super) struct Columns {
    name: usize,
    release: usize,
    officer: usize,
    message: Option<usize>,
}

impl Columns {
    pub(super) fn for_width(width: u16) -> Columns {
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

    pub(super) fn header<'a>(&self, style: Style) -> Line<'a> {
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

    pub(super) fn row<'a>(&self, v: &CaseView, fl: &Flag, cx: &DrawCx, selected: bool) -> Line<'a> {
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
        row::line(cells, selected, t)
    }
}

/// The selected flag in full: its message, and where the person is going from and to.
pub(super) fn draw_strip(f: &mut Frame, area: Rect, v: &CaseView, fl: &Flag, cx: &DrawCx) {
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

/// "Mon 23 Nov" this year; "12 Jan 2027" (no weekday, to fit) in another.
fn day_cell(d: NaiveDate, today: NaiveDate) -> String {
    if d.year() == today.year() {
        dates::short(d)
    } else {
        d.format("%-d %b %Y").to_string()
    }
}
