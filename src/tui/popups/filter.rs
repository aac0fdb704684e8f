//! Choosing a filter: the field to filter by, then its values, each with how many the view
//! would show once chosen (`facets`).

use super::parts::{centred, frame, pick_lines, scroll_for, Nav};
use super::{Outcome, PopupCx};
use crate::text::{fill, fit, inert};
use crate::tui::filter::Dimension;
use crate::tui::ViewId;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

/// The fields to filter by.
#[derive(Debug)]
pub struct FilterMenu {
    pub selected: usize,
    pub dims: Vec<Dimension>,
}

/// One field's values with their counts.
#[derive(Debug)]
pub struct FilterValues {
    pub dim: Dimension,
    pub values: Vec<(String, usize)>,
    pub selected: usize,
    /// The search and other filters the counts are counted within ("" for none).
    pub within: String,
    /// The value this dimension is filtered to now, if any.
    pub active: Option<String>,
}

impl FilterMenu {
    /// The fields that mean something in `view` (flags only in the gap worklist).
    pub fn new(view: ViewId) -> FilterMenu {
        let dims = Dimension::ALL
            .into_iter()
            .filter(|d| *d != Dimension::Flag || view == ViewId::Gaps)
            .collect();
        FilterMenu { selected: 0, dims }
    }

    pub fn handle_key(&mut self, key: KeyEvent, nav: Nav) -> Outcome {
        match key.code {
            KeyCode::Esc => Outcome::Close,
            KeyCode::Enter => Outcome::FilterValues(self.dims[self.selected]),
            _ => {
                nav.pick(&mut self.selected, self.dims.len());
                Outcome::Keep
            }
        }
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, cx: &PopupCx) {
        let t = cx.theme;
        let r = centred(area, 40, 40, 40, 12);
        let lines = pick_lines(
            self.dims.iter().map(|d| d.label().to_string()),
            self.selected,
            t,
        );
        f.render_widget(Clear, r);
        f.render_widget(
            Paragraph::new(lines).block(frame("Filter by — Enter · Esc", t)),
            r,
        );
    }
}

impl FilterValues {
    pub fn handle_key(&mut self, key: KeyEvent, nav: Nav) -> Outcome {
        match key.code {
            KeyCode::Esc => Outcome::Close,
            KeyCode::Enter => match self.values.get(self.selected) {
                Some((v, _)) => Outcome::Filter(self.dim, v.clone()),
                None => Outcome::Close,
            },
            _ => {
                nav.pick(&mut self.selected, self.values.len().max(1));
                Outcome::Keep
            }
        }
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, cx: &PopupCx) {
        let t = cx.theme;
        let r = centred(area, 50, 70, 50, 14);
        let lines = if self.values.is_empty() {
            vec![Line::from("No values among what this view lists")]
        } else {
            pick_lines(
                self.values.iter().map(|(v, n)| {
                    let now = if self.active.as_deref() == Some(v) {
                        " ✓ now"
                    } else {
                        ""
                    };
                    format!("{} {n:>5}{now}", fill(&inert(v), 32))
                }),
                self.selected,
                t,
            )
        };
        let title = format!("{} — Enter filter · Esc cancel", self.dim.label());
        let block = frame(&title, t);
        let block = if self.within.is_empty() {
            block
        } else {
            // The counts are within what is already narrowed: say so where they are.
            let foot = fit(
                &format!(" counted within {} ", inert(&self.within)),
                r.width as usize - 2,
            );
            block.title_bottom(Span::styled(foot, t.dim()))
        };
        f.render_widget(Clear, r);
        f.render_widget(
            Paragraph::new(lines)
                .block(block)
                .scroll((scroll_for(self.selected, r.height), 0)),
            r,
        );
    }
}
