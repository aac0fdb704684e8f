//! A cursor over a list that only ever draws the rows on screen.

use crate::keys::Action;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cursor {
    pub selected: usize,
    /// The first row drawn.
    pub offset: usize,
    /// Rows that fit on screen at the last draw (PgUp/PgDn move by this).
    pub page: usize,
}

impl Cursor {
    /// Applies a movement to a list of `len` rows; false for actions that are not movements.
    pub fn apply(&mut self, action: Action, len: usize) -> bool {
        if len == 0 {
            return matches!(
                action,
                Action::Up
                    | Action::Down
                    | Action::PageUp
                    | Action::PageDown
                    | Action::Top
                    | Action::Bottom
            );
        }
        let page = self.page.max(1);
        self.selected = match action {
            Action::Down => (self.selected + 1).min(len - 1),
            Action::Up => self.selected.saturating_sub(1),
            Action::PageDown => (self.selected + page).min(len - 1),
            Action::PageUp => self.selected.saturating_sub(page),
            Action::Top => 0,
            Action::Bottom => len - 1,
            _ => return false,
        };
        true
    }

    /// Moves to row `k` when there is one (a case found in the list); false, the cursor
    /// staying where it is, when not.
    pub fn go(&mut self, k: Option<usize>) -> bool {
        if let Some(k) = k {
            self.selected = k;
        }
        k.is_some()
    }

    /// Keeps the selection inside `len` rows and on screen in a window of `height` rows;
    /// returns the range of rows to draw.
    pub fn window(&mut self, len: usize, height: usize) -> std::ops::Range<usize> {
        self.page = height.max(1);
        if len == 0 {
            self.selected = 0;
            self.offset = 0;
            return 0..0;
        }
        self.selected = self.selected.min(len - 1);
        if self.selected < self.offset {
            self.offset = self.selected;
        }
        if height > 0 && self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        self.offset = self.offset.min(len.saturating_sub(height.max(1)));
        self.offset..(self.offset + height).min(len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_selection_stays_on_screen() {
        let mut c = Cursor::default();
        assert_eq!(c.window(100, 10), 0..10);
        for _ in 0..15 {
            c.apply(Action::Down, 100);
        }
        assert_eq!(c.window(100, 10), 6..16);
        c.apply(Action::Bottom, 100);
        assert_eq!(c.window(100, 10), 90..100);
        c.apply(Action::PageUp, 100);
        assert_eq!(c.selected, 89);
        c.apply(Action::Top, 100);
        assert_eq!(c.window(100, 10), 0..10);
        assert_eq!(c.window(3, 10), 0..3, "a short list after a filter");
    }
}
