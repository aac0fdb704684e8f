//! Popups over the views, one module each: help, a case's detail, editing a field (and
//! confirming an unusual value), choosing a filter, and the search's results across the
//! database. Each takes keys and draws itself; this module passes them on. Every hint names
//! the keys in force (`KeyMap::key_for`), not the defaults.

mod confirm;
mod detail;
mod edit;
mod filter;
mod help;
mod parts;
pub mod results;

pub use confirm::Confirm;
pub use detail::Detail;
pub use edit::{EditChoice, EditMenu, EditText};
pub use filter::{FilterMenu, FilterValues};
pub use help::Help;
pub use results::Results;

use super::data::Caseload;
use super::filter::Dimension;
use super::theme::Theme;
use super::ViewId;
use crate::domain::case::Crn;
use crate::domain::fields::Field;
use crate::keys::{Action, KeyMap};
use crate::query::{CaseView, Planner};
use parts::Nav;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::Frame;

pub enum Popup {
    Help(Help),
    Detail(Detail),
    EditMenu(EditMenu),
    EditChoice(EditChoice),
    EditText(EditText),
    FilterMenu(FilterMenu),
    FilterValues(FilterValues),
    /// A value the rules ask about (a confirmed day on a non-working day): y saves it anyway.
    Confirm(Confirm),
    /// Every case in the database the search matches.
    Results(Results),
}

/// What a popup asks the app to do after a key.
pub enum Outcome {
    Keep,
    Close,
    Push(Popup),
    Replace(Popup),
    Save {
        crn: Crn,
        field: Field,
        text: String,
    },
    Filter(Dimension, String),
    /// The filter menu chose a dimension: the app lists its values with their counts.
    FilterValues(Dimension),
    Action(Action),
    /// Open a case's detail (from the search results: it may lie outside the window).
    OpenCase(Crn),
    /// Mark a case reported (true) or not (false), from its detail.
    CheckIn(Crn, bool),
    /// Save what `Confirm` asked about, confirmed.
    SaveConfirmed {
        crn: Crn,
        field: Field,
        text: String,
    },
}

/// What a popup needs to draw.
pub struct PopupCx<'a> {
    pub data: &'a Caseload,
    pub planner: &'a Planner,
    pub keys: &'a KeyMap,
    /// The view under the popup.
    pub view: ViewId,
    pub theme: &'a Theme,
}

impl Popup {
    pub fn help() -> Popup {
        Popup::Help(Help::default())
    }

    /// A case's detail, with its history read now.
    pub fn detail(crn: Crn, planner: &Planner) -> Popup {
        Popup::Detail(Detail::open(crn, planner))
    }

    pub fn edit_menu(crn: Crn) -> Popup {
        Popup::EditMenu(EditMenu { crn, selected: 0 })
    }

    pub fn filter_menu(view: ViewId) -> Popup {
        Popup::FilterMenu(FilterMenu::new(view))
    }

    /// Opens the editor that suits a field, on the case as held now: a pick list for closed
    /// sets, a line otherwise.
    pub fn editor(seen: &CaseView, field: Field) -> Popup {
        edit::editor(seen, field)
    }

    /// The case as an editor of `crn` saw it when it opened (what its save is checked
    /// against); `None` for any other popup.
    pub fn seen(&self, crn: &Crn) -> Option<&CaseView> {
        match self {
            Popup::EditChoice(EditChoice { seen, .. }) | Popup::EditText(EditText { seen, .. })
                if seen.case.crn == *crn =>
            {
                Some(seen)
            }
            _ => None,
        }
    }

    /// An editor's save was refused and the officer shown the case as it is now: the next
    /// save is checked against that.
    pub fn seen_now(&mut self, now: &CaseView) {
        match self {
            Popup::EditChoice(p) => p.seen_now(now),
            Popup::EditText(p) => p.seen_now(now),
            _ => {}
        }
    }

    pub fn set_error(&mut self, message: String) {
        match self {
            Popup::EditChoice(EditChoice { error, .. })
            | Popup::EditText(EditText { error, .. }) => *error = Some(message),
            _ => {}
        }
    }

    /// A case was written: its detail reads its history again to show the change, and the
    /// search results show the case as it is now.
    pub fn refresh_case(&mut self, crn: &Crn, data: &Caseload, planner: &Planner) {
        match self {
            Popup::Detail(d) if d.crn == *crn => d.refresh(planner),
            Popup::Results(r) => r.refresh_case(crn, data),
            _ => {}
        }
    }

    /// Everything was read again: a detail reads its history again and the search results
    /// show each case as it is now.
    pub fn refresh_all(&mut self, data: &Caseload, planner: &Planner) {
        match self {
            Popup::Detail(d) => d.refresh(planner),
            Popup::Results(r) => {
                let crns: Vec<Crn> = r.rows.iter().map(|f| f.crn.clone()).collect();
                crns.iter().for_each(|crn| r.refresh_case(crn, data));
            }
            _ => {}
        }
    }

    /// `act` is what the key means in the user's key map: popups move with the same keys as
    /// the lists (the arrows, page keys, Home and End always work too), and `e`/`u` in the
    /// case detail are whatever edit and undo are bound to.
    pub fn handle_key(&mut self, key: KeyEvent, act: Option<Action>, data: &Caseload) -> Outcome {
        let nav = Nav::of(key.code, act);
        match self {
            Popup::Help(p) => p.handle_key(nav),
            Popup::Detail(p) => p.handle_key(key, nav, act),
            Popup::EditMenu(p) => p.handle_key(key, nav, data),
            Popup::EditChoice(p) => p.handle_key(key, nav),
            Popup::EditText(p) => p.handle_key(key),
            Popup::FilterMenu(p) => p.handle_key(key, nav),
            Popup::FilterValues(p) => p.handle_key(key, nav),
            Popup::Confirm(p) => p.handle_key(key),
            Popup::Results(p) => p.handle_key(key, nav, act),
        }
    }

    pub fn draw(&mut self, f: &mut Frame, area: Rect, cx: &PopupCx) {
        match self {
            Popup::Help(p) => p.draw(f, area, cx),
            Popup::Detail(p) => p.draw(f, area, cx),
            Popup::EditMenu(p) => p.draw(f, area, cx),
            Popup::EditChoice(p) => p.draw(f, area, cx),
            Popup::EditText(p) => p.draw(f, area, cx),
            Popup::FilterMenu(p) => p.draw(f, area, cx),
            Popup::FilterValues(p) => p.draw(f, area, cx),
            Popup::Confirm(p) => p.draw(f, area, cx),
            Popup::Results(p) => p.draw(f, area, cx),
        }
    }
}
