//! A list row as the views draw it: a marker, then cells each padded to its width with two
//! spaces between, the whole row reversed when it is under the cursor.

use crate::text::pad;
use crate::tui::theme::Theme;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// Space between two cells.
pub const SEP: &str = "  ";

/// A row of (text, width, style) cells: "▶ " before the selected row, two spaces before others.
pub fn line<'a>(cells: Vec<(String, usize, Style)>, selected: bool, t: &Theme) -> Line<'a> {
    let on = |s: Style| if selected { s.patch(t.selected()) } else { s };
    let mut spans = vec![Span::styled(
        if selected { "▶ " } else { "  " },
        on(Style::default()),
    )];
    let last = cells.len().saturating_sub(1);
    for (k, (text, w, style)) in cells.into_iter().enumerate() {
        spans.push(Span::styled(pad(&text, w), on(style)));
        if k < last {
            spans.push(Span::styled(SEP, on(Style::default())));
        }
    }
    Line::from(spans)
}
