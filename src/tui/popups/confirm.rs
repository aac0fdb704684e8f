//! A value the rules ask about (a confirmed day on a non-working day): `y` saves it anyway,
//! `n` or Esc goes back to the editor with what was typed still in it.

use super::parts::{centred, frame};
use super::{Outcome, PopupCx};
use crate::domain::case::Crn;
use crate::domain::fields::Field;
use crate::text::inert;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui::Frame;

#[derive(Debug)]
pub struct Confirm {
    pub crn: Crn,
    pub field: Field,
    pub text: String,
    /// What the rules ask about.
    pub message: String,
}

impl Confirm {
    pub fn handle_key(&mut self, key: KeyEvent) -> Outcome {
        match key.code {
            KeyCode::Char('y' | 'Y') => Outcome::SaveConfirmed {
                crn: self.crn.clone(),
                field: self.field,
                text: self.text.clone(),
            },
            // Back to the editor, with what was typed still in it.
            KeyCode::Char('n' | 'N') | KeyCode::Esc => Outcome::Close,
            _ => Outcome::Keep,
        }
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, cx: &PopupCx) {
        let t = cx.theme;
        let r = centred(area, 60, 30, 60, 7);
        let lines = vec![
            Line::from(Span::styled(
                format!("{}: save anyway? y/n", inert(&self.message)),
                t.title(),
            )),
            Line::from(""),
            Line::from(vec![
                Span::styled("y", t.key()),
                Span::raw(" saves it · "),
                Span::styled("n", t.key()),
                Span::raw(" or "),
                Span::styled("Esc", t.key()),
                Span::raw(" goes back to change it"),
            ]),
        ];
        f.render_widget(Clear, r);
        f.render_widget(
            Paragraph::new(lines)
                .block(frame("Not a working day — y/n", t))
                .wrap(Wrap { trim: true }),
            r,
        );
    }
}
