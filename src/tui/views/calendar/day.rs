//! The cursor day's releases: what the day is (a cluster, a holiday, what it covers) and the
//! list of releases, which Enter moves into.

use super::{holiday_title, weekday_name, CalendarView, Focus};
use crate::domain::dates;
use crate::query::CaseView;
use crate::text::{inert, width, wrap};
use crate::tui::theme::Theme;
use crate::tui::views::row;
use crate::tui::DrawCx;
use chrono::Datelike;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

impl CalendarView {
    pub(super) fn draw_day(&mut self, f: &mut Frame, area: Rect, cx: &DrawCx) {
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
    pub(super) fn day_heading(&self, cx: &DrawCx, line_width: usize) -> Vec<Line<'static>> {
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

    pub(super) fn empty_message(&self, cx: &DrawCx) -> String {
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
pub(super) struct Columns {
    name: usize,
    officer: usize,
    prison: usize,
}

pub(super) const CRN_W: usize = 7;
pub(super) const ACCOM_W: usize = 11;
pub(super) const FLAG_W: usize = 10;

impl Columns {
    pub(super) fn for_width(width: usize) -> Columns {
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

pub(super) fn release_line(v: &CaseView, w: &Columns, t: &Theme, selected: bool) -> Line<'static> {
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
    row::line(cells, selected, t)
}
