//! Editing one field of a case: the menu of fields, then a pick list for a field with a closed
//! set of values or a line of text for the rest. Saving is the app's (`App::save`); a value
//! refused comes back here as the editor's error.

use super::parts::{centred, frame, pick_lines, scroll_for, Nav};
use super::{Outcome, Popup, PopupCx};
use crate::domain::case::Crn;
use crate::domain::fields::Field;
use crate::query::CaseView;
use crate::text::inert;
use crate::tui::data::Caseload;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui::Frame;

/// The fields an officer can edit, with their values now.
#[derive(Debug)]
pub struct EditMenu {
    pub crn: Crn,
    pub selected: usize,
}

/// A field with a closed set of values, as a pick list.
#[derive(Debug)]
pub struct EditChoice {
    pub crn: Crn,
    pub field: Field,
    pub options: &'static [&'static str],
    pub selected: usize,
    pub error: Option<String>,
    /// The case as the officer saw it when the editor opened: saved against its version.
    pub seen: Box<CaseView>,
}

/// A field typed as text (dates too).
#[derive(Debug)]
pub struct EditText {
    pub crn: Crn,
    pub field: Field,
    pub input: String,
    pub error: Option<String>,
    /// The case as the officer saw it when the editor opened: saved against its version.
    pub seen: Box<CaseView>,
}

/// Opens the editor that suits a field, on the case as it is held now: a pick list for
/// closed sets, a line otherwise.
pub fn editor(seen: &CaseView, field: Field) -> Popup {
    let (crn, current) = (seen.case.crn.clone(), field.get(&seen.case));
    let seen = Box::new(seen.clone());
    match field.choices() {
        Some(options) => {
            let selected = current
                .as_deref()
                .and_then(|c| options.iter().position(|o| *o == c))
                .unwrap_or(0);
            Popup::EditChoice(EditChoice {
                crn,
                field,
                options,
                selected,
                error: None,
                seen,
            })
        }
        None => Popup::EditText(EditText {
            crn,
            field,
            input: current.unwrap_or_default(),
            error: None,
            seen,
        }),
    }
}

impl EditMenu {
    pub fn handle_key(&mut self, key: KeyEvent, nav: Nav, data: &Caseload) -> Outcome {
        match key.code {
            KeyCode::Esc => Outcome::Close,
            KeyCode::Enter => match data.get(&self.crn) {
                Some(seen) => Outcome::Replace(editor(seen, Field::EDITABLE[self.selected])),
                None => Outcome::Close,
            },
            _ => {
                nav.pick(&mut self.selected, Field::EDITABLE.len());
                Outcome::Keep
            }
        }
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, cx: &PopupCx) {
        let t = cx.theme;
        let r = centred(area, 60, 70, 60, 22);
        let case = cx.data.get(&self.crn).map(|v| &v.case);
        let items = Field::EDITABLE.iter().map(|fl| {
            let blank = match fl.choices() {
                Some(ch) if ch.contains(&"NOT_SENT") => "— (counts as NOT_SENT)",
                _ => "—",
            };
            let value = case.and_then(|c| fl.get(c)).unwrap_or_else(|| blank.into());
            format!("{:<22} {}", fl.label(), inert(&value))
        });
        let lines = pick_lines(items, self.selected, t);
        let name = case.map(|c| inert(&c.name)).unwrap_or_default();
        let title = format!("Edit {name} — Enter choose · Esc cancel");
        f.render_widget(Clear, r);
        f.render_widget(
            Paragraph::new(lines)
                .block(frame(&title, t))
                .scroll((scroll_for(self.selected, r.height), 0)),
            r,
        );
    }
}

impl EditChoice {
    pub fn handle_key(&mut self, key: KeyEvent, nav: Nav) -> Outcome {
        match key.code {
            KeyCode::Esc => Outcome::Close,
            KeyCode::Enter => Outcome::Save {
                crn: self.crn.clone(),
                field: self.field,
                text: self.options[self.selected].to_string(),
            },
            KeyCode::Backspace | KeyCode::Delete => Outcome::Save {
                crn: self.crn.clone(),
                field: self.field,
                text: String::new(),
            },
            _ => {
                nav.pick(&mut self.selected, self.options.len());
                Outcome::Keep
            }
        }
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, cx: &PopupCx) {
        let t = cx.theme;
        let r = centred(
            area,
            50,
            60,
            50,
            (self.options.len() as u16 + 6).min(area.height),
        );
        let [list, msg] = Layout::vertical([Constraint::Min(1), Constraint::Length(2)]).areas(r);
        let lines = pick_lines(self.options.iter().map(|o| o.to_string()), self.selected, t);
        let title = format!(
            "{} — Enter save · Del blank · Esc cancel",
            self.field.label()
        );
        f.render_widget(Clear, r);
        f.render_widget(
            Paragraph::new(lines)
                .block(frame(&title, t))
                .scroll((scroll_for(self.selected, list.height), 0)),
            list,
        );
        let note = self.error.clone().or_else(|| moved_on(&self.seen, cx));
        if let Some(e) = &note {
            f.render_widget(
                Paragraph::new(Span::styled(inert(e), t.error())).wrap(Wrap { trim: true }),
                msg,
            );
        }
    }
}

impl EditText {
    /// Typing: every character is text, whatever it is bound to elsewhere. With Ctrl, the
    /// shell's line keys: Ctrl-U clears the line, Ctrl-W takes back the last word, Ctrl-H is
    /// Backspace; any other Ctrl or Alt letter types nothing (it never lands in a note).
    pub fn handle_key(&mut self, key: KeyEvent) -> Outcome {
        if key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            if let (KeyCode::Char(c), true) = (key.code, key.modifiers == KeyModifiers::CONTROL) {
                match c.to_ascii_lowercase() {
                    'u' => self.input.clear(),
                    'w' => {
                        let kept = self.input.trim_end().rfind(' ').map_or(0, |i| i + 1);
                        self.input.truncate(kept);
                    }
                    'h' => {
                        self.input.pop();
                    }
                    _ => return Outcome::Keep,
                }
                self.error = None;
            }
            return Outcome::Keep;
        }
        match key.code {
            KeyCode::Esc => Outcome::Close,
            KeyCode::Enter => Outcome::Save {
                crn: self.crn.clone(),
                field: self.field,
                text: self.input.clone(),
            },
            KeyCode::Backspace => {
                self.input.pop();
                self.error = None;
                Outcome::Keep
            }
            KeyCode::Char(c) => {
                if self.input.chars().count() < 500 {
                    self.input.push(c);
                }
                self.error = None;
                Outcome::Keep
            }
            _ => Outcome::Keep,
        }
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, cx: &PopupCx) {
        let t = cx.theme;
        let r = centred(area, 70, 30, 60, 9);
        let hint = if self.field.is_date() {
            "YYYY-MM-DD or DD/MM/YYYY; empty clears"
        } else {
            "empty clears"
        };
        let mut lines = vec![
            Line::from(vec![
                Span::raw(inert(&self.input)),
                Span::styled("▏", t.key()),
            ]),
            Line::from(""),
            Line::from(Span::styled(hint, t.dim())),
        ];
        if let Some(e) = self.error.clone().or_else(|| moved_on(&self.seen, cx)) {
            lines.push(Line::from(Span::styled(inert(&e), t.error())));
        }
        let title = format!("{} — Enter save · Esc cancel", self.field.label());
        f.render_widget(Clear, r);
        f.render_widget(
            Paragraph::new(lines)
                .block(frame(&title, t))
                .wrap(Wrap { trim: false }),
            r,
        );
    }
}

/// Said in an open editor once another planner has written its case: the save will be
/// refused and show what changed, rather than overwrite it unseen.
fn moved_on(seen: &CaseView, cx: &PopupCx) -> Option<String> {
    let now = cx.data.get(&seen.case.crn)?;
    (now.version != seen.version).then(|| {
        "⚠ Changed on another planner since this opened: saving shows what changed".to_string()
    })
}

impl EditChoice {
    /// The editor now stands on the case as it is (what the officer has just been shown).
    pub fn seen_now(&mut self, now: &CaseView) {
        *self.seen = now.clone();
    }
}

impl EditText {
    /// The editor now stands on the case as it is (what the officer has just been shown).
    pub fn seen_now(&mut self, now: &CaseView) {
        *self.seen = now.clone();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(keys: &[KeyEvent]) -> String {
        let planner = crate::query::Planner::in_memory(Default::default()).unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let case = crate::domain::case::Case::new("X000001".parse().unwrap(), "Ann", day);
        let stored = crate::query::StoredCase {
            case,
            expected_day: day,
            reported_at: None,
            version: 1,
            updated_at: String::new(),
        };
        let mut e = EditText {
            crn: "X000001".parse().unwrap(),
            field: Field::Notes,
            input: String::new(),
            error: None,
            seen: Box::new(planner.view(stored, day)),
        };
        for k in keys {
            e.handle_key(*k);
        }
        e.input
    }

    fn chars(s: &str) -> Vec<KeyEvent> {
        s.chars()
            .map(|c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
            .collect()
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    #[test]
    fn ctrl_letters_edit_the_line_or_type_nothing() {
        let line = |extra: &[KeyEvent]| typed(&[chars("meet at gate"), extra.to_vec()].concat());
        assert_eq!(line(&[ctrl('u')]), "");
        assert_eq!(line(&[ctrl('w')]), "meet at ");
        assert_eq!(line(&[ctrl('w'), ctrl('w')]), "meet ");
        assert_eq!(line(&[ctrl('h')]), "meet at gat");
        let alt = KeyEvent::new(KeyCode::Char('x'), KeyModifiers::ALT);
        assert_eq!(
            line(&[ctrl('a'), ctrl('e'), ctrl('k'), alt]),
            "meet at gate"
        );
        // Shifted letters are text.
        let shifted = KeyEvent::new(KeyCode::Char('M'), KeyModifiers::SHIFT);
        assert_eq!(typed(&[shifted]), "M");
    }
}
