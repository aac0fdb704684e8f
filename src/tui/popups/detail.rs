//! A case's detail: the whole case (`views::detail::lines`), scrolled; edit, undo and redo,
//! and check-ins made or taken back from here.

use super::parts::{centred, frame, scroll_keys, Nav};
use super::{Outcome, Popup, PopupCx};
use crate::domain::case::Crn;
use crate::keys::Action;
use crate::query::Planner;
use crate::tui::views::detail::{self as case, History};
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui::Frame;

#[derive(Debug)]
pub struct Detail {
    pub crn: Crn,
    pub scroll: u16,
    /// Read when the detail opens and again after the case is written.
    pub history: History,
}

impl Detail {
    pub fn open(crn: Crn, planner: &Planner) -> Detail {
        Detail {
            history: case::read_history(planner, &crn),
            crn,
            scroll: 0,
        }
    }

    /// `act`: `e`, `u` and the check-in keys are whatever edit, undo and the Today view's
    /// check-ins are bound to.
    pub fn handle_key(&mut self, key: KeyEvent, nav: Nav, act: Option<Action>) -> Outcome {
        match (nav, act) {
            _ if key.code == KeyCode::Esc || key.code == KeyCode::Enter => Outcome::Close,
            (_, Some(Action::Quit | Action::Back | Action::Open)) => Outcome::Close,
            (Nav::Down | Nav::PageDown | Nav::Up | Nav::PageUp, _) => {
                nav.scroll(&mut self.scroll);
                Outcome::Keep
            }
            (Nav::Top, _) => {
                self.scroll = 0;
                Outcome::Keep
            }
            (_, Some(Action::Edit)) => Outcome::Push(Popup::edit_menu(self.crn.clone())),
            (_, Some(a @ (Action::Undo | Action::Redo))) => Outcome::Action(a),
            (_, Some(Action::MarkReported)) => Outcome::CheckIn(self.crn.clone(), true),
            (_, Some(Action::MarkNotReported)) => Outcome::CheckIn(self.crn.clone(), false),
            _ => Outcome::Keep,
        }
    }

    /// The case was written: its history is read again.
    pub fn refresh(&mut self, planner: &Planner) {
        self.history = case::read_history(planner, &self.crn);
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, cx: &PopupCx) {
        let (data, keymap, t) = (cx.data, cx.keys, cx.theme);
        let r = centred(area, 90, 90, 76, 22);
        let lines = match data.get(&self.crn) {
            Some(v) => case::lines(v, cx.planner, &self.history, data.today, t),
            None => vec![Line::from("This case is no longer in the database.")],
        };
        let key = |a| keymap.key_for(a);
        // The check-in that applies: taken back when marked, made once the day has come.
        let check_in = match data.get(&self.crn) {
            Some(v) if v.reported_at.is_some() => {
                format!("{} not reported · ", key(Action::MarkNotReported))
            }
            Some(v) if v.expected_day() <= data.today => {
                format!("{} reported · ", key(Action::MarkReported))
            }
            _ => String::new(),
        };
        let title = format!("Case — {} edit · {check_in}Esc back", key(Action::Edit));
        let foot = format!(
            " {} undo · {} redo · {} scroll ",
            key(Action::Undo),
            key(Action::Redo),
            scroll_keys(keymap)
        );
        f.render_widget(Clear, r);
        f.render_widget(
            Paragraph::new(lines)
                .block(frame(&title, t).title_bottom(Span::styled(foot, t.dim())))
                .wrap(Wrap { trim: false })
                .scroll((self.scroll, 0)),
            r,
        );
    }
}
