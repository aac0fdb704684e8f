//! Undo and redo as a history, as tui-journal keeps one: every saved change (an edit's fields,
//! a check-in) with what it replaced and what it left, so a step can be taken back and put
//! back again. The app applies each step through the query layer with the version it holds,
//! so a step against a case changed meanwhile is refused there; here is only the bookkeeping.

use crate::domain::case::Crn;
use crate::domain::fields::Field;
use chrono::NaiveDateTime;

/// How many steps are kept; the oldest go first.
pub const DEPTH: usize = 100;

/// One saved change, as a move from `before` to `after`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The fields one save changed (with any sent date it filled).
    Fields {
        crn: Crn,
        before: Vec<(Field, Option<String>)>,
        after: Vec<(Field, Option<String>)>,
    },
    /// A check-in made or taken back.
    Reported {
        crn: Crn,
        before: Option<NaiveDateTime>,
        after: Option<NaiveDateTime>,
    },
}

impl Step {
    pub fn crn(&self) -> &Crn {
        match self {
            Step::Fields { crn, .. } | Step::Reported { crn, .. } => crn,
        }
    }

    /// The same change the other way round: what undoing it does.
    pub fn reversed(&self) -> Step {
        match self.clone() {
            Step::Fields { crn, before, after } => Step::Fields {
                crn,
                before: after,
                after: before,
            },
            Step::Reported { crn, before, after } => Step::Reported {
                crn,
                before: after,
                after: before,
            },
        }
    }
}

/// Which way a step is being taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Way {
    Undo,
    Redo,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    /// Saved changes, the latest last: what undo takes back.
    done: Vec<Step>,
    /// Changes undone, the latest undone last: what redo puts back.
    undone: Vec<Step>,
}

impl History {
    /// A new change: it goes on top, and what was undone before it can no longer be redone
    /// (it would be put back over the new change).
    pub fn record(&mut self, step: Step) {
        self.undone.clear();
        self.done.push(step);
        if self.done.len() > DEPTH {
            self.done.remove(0);
        }
    }

    /// The step `way` would take next, as the move to make: undo's is the reverse of the
    /// change it takes back.
    pub fn next(&self, way: Way) -> Option<Step> {
        match way {
            Way::Undo => self.done.last().map(Step::reversed),
            Way::Redo => self.undone.last().cloned(),
        }
    }

    /// The step `next` offered was made: it moves to the other side.
    pub fn taken(&mut self, way: Way) {
        match way {
            Way::Undo => {
                if let Some(s) = self.done.pop() {
                    self.undone.push(s);
                }
            }
            Way::Redo => {
                if let Some(s) = self.undone.pop() {
                    self.done.push(s);
                }
            }
        }
    }

    /// The step `next` offered can never be made (its case has moved on): it is dropped.
    pub fn drop_next(&mut self, way: Way) {
        match way {
            Way::Undo => self.done.pop(),
            Way::Redo => self.undone.pop(),
        };
    }

    /// (steps that can be undone, steps that can be redone)
    pub fn depth(&self) -> (usize, usize) {
        (self.done.len(), self.undone.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(note: &str, was: &str) -> Step {
        Step::Fields {
            crn: "X100001".parse().unwrap(),
            before: vec![(Field::Notes, Some(was.into()))],
            after: vec![(Field::Notes, Some(note.into()))],
        }
    }

    #[test]
    fn undo_and_redo_walk_the_history_and_a_new_change_ends_the_redo_side() {
        let mut h = History::default();
        assert_eq!(h.next(Way::Undo), None);
        h.record(step("b", "a"));
        h.record(step("c", "b"));
        assert_eq!(
            h.next(Way::Undo),
            Some(step("b", "c")),
            "undo moves c back to b"
        );
        h.taken(Way::Undo);
        assert_eq!(h.next(Way::Undo), Some(step("a", "b")));
        h.taken(Way::Undo);
        assert_eq!(h.next(Way::Undo), None);
        assert_eq!(
            h.next(Way::Redo),
            Some(step("b", "a")),
            "redo puts b back first"
        );
        h.taken(Way::Redo);
        assert_eq!(h.depth(), (1, 1));
        h.record(step("d", "b"));
        assert_eq!(
            h.next(Way::Redo),
            None,
            "a new change ends what could be redone"
        );
        assert_eq!(h.depth(), (2, 0));
        h.drop_next(Way::Undo);
        assert_eq!(h.next(Way::Undo), Some(step("a", "b")));
    }

    #[test]
    fn the_history_keeps_the_latest_steps() {
        let mut h = History::default();
        for i in 0..DEPTH + 5 {
            h.record(step(&i.to_string(), "x"));
        }
        assert_eq!(h.depth(), (DEPTH, 0));
        assert_eq!(h.next(Way::Undo), Some(step("x", &(DEPTH + 4).to_string())));
    }
}
