//! Help: every key in force in the view on screen, with what it does, and a few notes.

use super::parts::{centred, frame, scroll_keys, Nav};
use super::{Outcome, PopupCx};
use crate::keys::Action;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui::Frame;

#[derive(Debug, Default)]
pub struct Help {
    pub scroll: u16,
}

impl Help {
    /// Movement scrolls; any other key closes.
    pub fn handle_key(&mut self, nav: Nav) -> Outcome {
        match nav {
            Nav::Down | Nav::PageDown | Nav::Up | Nav::PageUp => {
                nav.scroll(&mut self.scroll);
                Outcome::Keep
            }
            _ => Outcome::Close,
        }
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, cx: &PopupCx) {
        let (t, keymap, view) = (cx.theme, cx.keys, cx.view);
        let r = centred(area, 90, 90, 76, 22);
        // One entry per action, with every key that does it, in two columns.
        let mut entries: Vec<(String, &'static str)> = Vec::new();
        for b in keymap.for_view(view) {
            let what = b.action.describe();
            match entries.iter_mut().find(|(_, w)| *w == what) {
                Some((keys, _)) => *keys = format!("{keys} {}", b.key_name()),
                None => entries.push((b.key_name(), what)),
            }
        }
        let half = entries.len().div_ceil(2);
        let col = (r.width.saturating_sub(4) / 2) as usize;
        let cell = |e: Option<&(String, &str)>| -> Vec<Span<'static>> {
            match e {
                Some((k, w)) => {
                    let k = format!("{k:>11}  ");
                    let w = format!("{:<width$}", w, width = col.saturating_sub(13));
                    vec![Span::styled(k, t.key()), Span::raw(w)]
                }
                None => vec![],
            }
        };
        let mut lines = vec![
            Line::from(Span::styled(
                format!("Keys in {}", view.title()),
                t.heading(),
            )),
            Line::from(""),
        ];
        for i in 0..half {
            let mut spans = cell(entries.get(i));
            spans.extend(cell(entries.get(i + half)));
            lines.push(Line::from(spans));
        }
        lines.push(Line::from(""));
        let undo = format!(
            "Undo and redo walk back and forth through this session's changes ({} and {}); \
             a change someone else has made since is never undone over.",
            keymap.key_for(Action::Undo),
            keymap.key_for(Action::Redo)
        );
        let detail = format!(
            "In a case's detail ({}): {} edits it, {} takes back a check-in, {} makes one \
             once the day has come.",
            keymap.key_for(Action::Open),
            keymap.key_for(Action::Edit),
            keymap.key_for(Action::MarkNotReported),
            keymap.key_for(Action::MarkReported)
        );
        for note in [
            "Search: type to narrow by name, CRN or NOMS; Enter keeps it, Esc clears it; \
             Tab lists every case in the database that matches, past ones too.",
            detail.as_str(),
            undo.as_str(),
            "Severity: ▲ red (overdue or urgent) · ● amber (due soon) · ✓ nothing due.",
            "▲ beside accommodation: nowhere to go (no fixed abode, or no place booked).",
        ] {
            lines.push(Line::from(Span::styled(note.to_string(), t.dim())));
        }
        let title = format!(
            "Help — {} scroll · any other key closes",
            scroll_keys(keymap)
        );
        f.render_widget(Clear, r);
        f.render_widget(
            Paragraph::new(lines)
                .block(frame(&title, t))
                .wrap(Wrap { trim: false })
                .scroll((self.scroll, 0)),
            r,
        );
    }
}
