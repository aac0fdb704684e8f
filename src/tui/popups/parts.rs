//! What the popups share: movement keys in a popup, a centred frame, and pick lists.

use crate::keys::{Action, KeyMap};
use crate::tui::theme::Theme;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};

/// A key as movement inside a popup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Down,
    Up,
    PageDown,
    PageUp,
    Top,
    Bottom,
    None,
}

impl Nav {
    /// The arrows, page keys, Home and End always move; so do the keys the user's map binds
    /// to those movements.
    pub fn of(code: KeyCode, act: Option<Action>) -> Nav {
        match (code, act) {
            (KeyCode::Down, _) | (_, Some(Action::Down)) => Nav::Down,
            (KeyCode::Up, _) | (_, Some(Action::Up)) => Nav::Up,
            (KeyCode::PageDown, _) | (_, Some(Action::PageDown)) => Nav::PageDown,
            (KeyCode::PageUp, _) | (_, Some(Action::PageUp)) => Nav::PageUp,
            (KeyCode::Home, _) | (_, Some(Action::Top)) => Nav::Top,
            (KeyCode::End, _) | (_, Some(Action::Bottom)) => Nav::Bottom,
            _ => Nav::None,
        }
    }

    /// Moves a pick list's cursor: one row wrapping at the ends, a page, or to either end.
    pub fn pick(self, selected: &mut usize, n: usize) {
        let last = n.max(1) - 1;
        *selected = match self {
            Nav::Down if *selected >= last => 0,
            Nav::Down => *selected + 1,
            Nav::Up if *selected == 0 => last,
            Nav::Up => *selected - 1,
            Nav::PageDown => (*selected + 10).min(last),
            Nav::PageUp => selected.saturating_sub(10),
            Nav::Top => 0,
            Nav::Bottom => last,
            Nav::None => *selected,
        };
    }

    /// Scrolls text: a line, ten lines, or back to the top; false for any other key.
    pub fn scroll(self, scroll: &mut u16) -> bool {
        match self {
            Nav::Down => *scroll = scroll.saturating_add(1),
            Nav::PageDown => *scroll = scroll.saturating_add(10),
            Nav::Up => *scroll = scroll.saturating_sub(1),
            Nav::PageUp => *scroll = scroll.saturating_sub(10),
            _ => return false,
        }
        true
    }
}

/// A centred rectangle of the given share of `area`, at least `min_w` × `min_h`.
pub fn centred(area: Rect, pct_w: u16, pct_h: u16, min_w: u16, min_h: u16) -> Rect {
    let w = (area.width * pct_w / 100).max(min_w).min(area.width);
    let h = (area.height * pct_h / 100).max(min_h).min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// A popup's border with its title.
pub fn frame<'a>(title: &'a str, t: &Theme) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(t.key())
        .title(Span::styled(format!(" {title} "), t.title()))
}

/// Lines for a pick list with the cursor row reversed.
pub fn pick_lines<'a>(
    items: impl Iterator<Item = String>,
    selected: usize,
    t: &Theme,
) -> Vec<Line<'a>> {
    items
        .enumerate()
        .map(|(i, s)| {
            if i == selected {
                Line::from(Span::styled(format!("▶ {s}"), t.selected()))
            } else {
                Line::from(format!("  {s}"))
            }
        })
        .collect()
}

/// Scrolls a pick list so the cursor stays visible.
pub fn scroll_for(selected: usize, height: u16) -> u16 {
    let h = height.saturating_sub(4) as usize;
    selected.saturating_sub(h.saturating_sub(1)) as u16
}

/// "j/k", or the arrows when movement keys are unbound (they always work in popups).
pub fn scroll_keys(keymap: &KeyMap) -> String {
    let (down, up) = (keymap.key_for(Action::Down), keymap.key_for(Action::Up));
    if down == "—" || up == "—" {
        "↓/↑".into()
    } else {
        format!("{down}/{up}")
    }
}
