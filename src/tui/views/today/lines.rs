//! The sheet as display lines: the header's counts, each part's heading, each person and
//! the lines under them, scrolled to keep the selected person in view.

use super::columns::Columns;
use super::TodayView;
use crate::keys::Action;
use crate::query::sheet::SheetCounts;
use crate::text::{fit, width};
use crate::tui::DrawCx;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// One display line of the sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Item {
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
    pub(super) fn scroll(&mut self, items: &[Item], height: usize) {
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

    pub(super) fn line<'a>(&self, item: Item, cx: &DrawCx, cols: &Columns) -> Line<'a> {
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
                .and_then(|v| cols.detail(v, cx.today, t).into_iter().nth(n))
                .unwrap_or_default(),
        }
    }
}

/// "Mon 23 Nov 2026 · 7 expected · 2 reported · …", wrapped at " · " to the width.
pub(super) fn header_lines<'a>(n: SheetCounts, cx: &DrawCx, line_width: usize) -> Vec<Line<'a>> {
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
