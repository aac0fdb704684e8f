//! The planner's state and what each action does to it.

use super::action::Action;
use super::data::Caseload;
use super::filter::{Dimension, Filter};
use super::keymap::KeyMap;
use super::popups::{self, Outcome, Popup};
use super::theme::Theme;
use super::views::{CalendarView, GapsView, ReleasesView, TodayView};
use super::{chrome, Clock, DrawCx, View, ViewId};
use crate::domain::case::Crn;
use crate::domain::fields::Field;
use crate::query::{EditError, EditOptions, Planner};
use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;

/// The smallest terminal the screens are laid out for.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// One change that `u` can take back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undo {
    /// The fields one save changed, with their values before it.
    Fields {
        crn: Crn,
        old: Vec<(Field, Option<String>)>,
    },
    Reported {
        crn: Crn,
        old: Option<chrono::NaiveDateTime>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

/// The four screens, kept apart from the rest of the state so one can be borrowed with the data.
pub struct Views {
    pub releases: ReleasesView,
    pub gaps: GapsView,
    pub calendar: CalendarView,
    pub today: TodayView,
}

impl Views {
    pub fn get(&self, id: ViewId) -> &dyn View {
        match id {
            ViewId::Releases => &self.releases,
            ViewId::Gaps => &self.gaps,
            ViewId::Calendar => &self.calendar,
            ViewId::Today => &self.today,
        }
    }

    pub fn get_mut(&mut self, id: ViewId) -> &mut dyn View {
        match id {
            ViewId::Releases => &mut self.releases,
            ViewId::Gaps => &mut self.gaps,
            ViewId::Calendar => &mut self.calendar,
            ViewId::Today => &mut self.today,
        }
    }
}

pub struct App {
    pub planner: Planner,
    pub data: Caseload,
    pub filter: Filter,
    pub view: ViewId,
    pub views: Views,
    pub popups: Vec<Popup>,
    /// Typing into the search line.
    pub searching: bool,
    pub undo: Vec<Undo>,
    pub status: Option<Status>,
    pub keymap: KeyMap,
    pub theme: Theme,
    pub clock: Clock,
    pub quit: bool,
    /// Views whose rows are out of date, refreshed when next shown.
    stale: Vec<ViewId>,
}

impl App {
    pub fn new(
        mut planner: Planner,
        today: NaiveDate,
        clock: Clock,
        theme: Theme,
    ) -> anyhow::Result<App> {
        planner.store.defer_checkpoints()?;
        let data = Caseload::load(&planner, today)?;
        // Shown on the first screen, where it cannot scroll away unseen.
        let status = planner
            .notice
            .take()
            .map(|text| Status { text, error: true });
        let mut app = App {
            views: Views {
                releases: ReleasesView::default(),
                gaps: GapsView::default(),
                calendar: CalendarView::new(today),
                today: TodayView::default(),
            },
            planner,
            data,
            filter: Filter::default(),
            view: ViewId::Releases,
            popups: Vec::new(),
            searching: false,
            undo: Vec::new(),
            status,
            keymap: KeyMap::default(),
            theme,
            clock,
            quit: false,
            stale: Vec::new(),
        };
        app.refresh_views();
        Ok(app)
    }

    /// Called when no key has come for a while: the checkpoint deferred from saves runs now.
    /// A failure is not worth a message (the next pause, or the last close, tries again).
    pub fn idle(&mut self) {
        let _ = self.planner.store.checkpoint_if_written();
    }

    pub fn today(&self) -> NaiveDate {
        self.data.today
    }

    /// Rebuilds the rows of the view on screen now, and of the others when they are next
    /// shown: typing a search costs one view's work per key, not four.
    pub fn refresh_views(&mut self) {
        self.stale = ViewId::ALL.to_vec();
        self.show(self.view);
    }

    /// Switches to a view, bringing its rows up to date first if the data or filter changed.
    pub fn show(&mut self, id: ViewId) {
        self.view = id;
        if let Some(k) = self.stale.iter().position(|v| *v == id) {
            self.stale.swap_remove(k);
            self.data.prepare(&self.filter);
            self.views.get_mut(id).refresh(&self.data, &self.filter);
        }
    }

    pub fn selected(&self) -> Option<Crn> {
        self.views.get(self.view).selected(&self.data)
    }

    fn say(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: false,
        });
    }

    fn complain(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: true,
        });
    }

    /// Takes in the cases still loading after open (waiting for them if need be), so every
    /// key acts on the whole caseload.
    /// Takes in the cases loaded on the second thread (waiting for them if need be). False
    /// when they could not be loaded: the message then says so.
    pub fn settle(&mut self) -> bool {
        match self.data.settle(&self.planner) {
            Ok(true) => {
                self.refresh_views();
                true
            }
            Ok(false) => true,
            Err(e) => {
                self.complain(format!("Some cases could not be loaded: {e}"));
                false
            }
        }
    }

    /// Whether the screen should be redrawn because the rest of the caseload has arrived.
    pub fn settle_if_ready(&mut self) -> bool {
        self.data.loading() == Some(true) && {
            self.settle();
            true
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent) {
        // Ctrl-C quits even while the rest of the caseload is loading, without waiting for it.
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            self.quit = true;
            return;
        }
        if !self.settle() {
            // The key is spent on showing the failure; the next one acts on what did load.
            return;
        }
        if self.searching {
            self.search_key(key);
            return;
        }
        if let Some(popup) = self.popups.last_mut() {
            // As in search: Esc typed quickly before a key arrives as Alt+key. Close the popup,
            // then act on the key, so the key is not lost.
            if key.modifiers == KeyModifiers::ALT && matches!(key.code, KeyCode::Char(_)) {
                self.handle_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
                self.handle_key(KeyEvent::new(key.code, KeyModifiers::NONE));
                return;
            }
            let act = self.keymap.lookup(self.view, key);
            let outcome = popup.handle_key(key, act, &self.data);
            self.popup_outcome(outcome);
            return;
        }
        self.status = None;
        if let Some(action) = self.keymap.lookup(self.view, key) {
            self.dispatch(action);
        }
    }

    fn search_key(&mut self, key: KeyEvent) {
        // Esc typed quickly before a key arrives as Alt+key: end the search, then act on the key.
        if key.modifiers.contains(KeyModifiers::ALT) {
            self.search_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
            self.handle_key(KeyEvent::new(key.code, key.modifiers - KeyModifiers::ALT));
            return;
        }
        match key.code {
            KeyCode::Enter => self.searching = false,
            KeyCode::Esc => {
                self.searching = false;
                self.filter.set_search("");
                self.refresh_views();
            }
            KeyCode::Backspace => {
                let mut text = self.filter.search.clone();
                text.pop();
                self.filter.set_search(text);
                self.refresh_views();
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                let text = format!("{}{c}", self.filter.search);
                self.filter.set_search(text);
                self.refresh_views();
            }
            KeyCode::Down | KeyCode::Up => {
                let action = if key.code == KeyCode::Down {
                    Action::Down
                } else {
                    Action::Up
                };
                self.views.get_mut(self.view).handle(action, &self.data);
            }
            _ => {}
        }
    }

    pub fn dispatch(&mut self, action: Action) {
        self.settle();
        match action {
            Action::Quit => self.quit = true,
            Action::Back => {
                if !self.filter.is_empty() {
                    self.filter = Filter::default();
                    self.refresh_views();
                    self.say("Filters cleared");
                }
            }
            Action::NextView => self.show(self.view.next()),
            Action::PrevView => self.show(self.view.prev()),
            Action::ShowReleases => self.show(ViewId::Releases),
            Action::ShowGaps => self.show(ViewId::Gaps),
            Action::ShowCalendar => self.show(ViewId::Calendar),
            Action::ShowToday => self.show(ViewId::Today),
            Action::Help => self.popups.push(Popup::help()),
            Action::Search => {
                // A new search each time, as in less and vim.
                self.searching = true;
                if !self.filter.search.is_empty() {
                    self.filter.set_search("");
                    self.refresh_views();
                }
            }
            Action::Filter => self.popups.push(Popup::filter_menu(self.view)),
            Action::ClearFilters => {
                self.filter = Filter::default();
                self.refresh_views();
                self.say("Filters cleared");
            }
            Action::Sort => {
                let name = self
                    .views
                    .get_mut(self.view)
                    .next_sort(&self.data, &self.filter);
                self.say(format!("Sorted by {name}"));
            }
            Action::Open => self.open(),
            Action::Edit => match self.selected() {
                Some(crn) => self.popups.push(Popup::edit_menu(crn)),
                None => self.complain("Nothing selected to edit"),
            },
            Action::Undo => self.undo_last(),
            Action::MarkReported => self.check_in(true),
            Action::MarkNotReported => self.check_in(false),
            Action::ToggleDetail => {
                self.views.releases.pane_toggled = !self.views.releases.pane_toggled;
            }
            nav => {
                self.views.get_mut(self.view).handle(nav, &self.data);
            }
        }
    }

    /// Enter: the calendar moves into its day list first; elsewhere the case opens. From the
    /// gap worklist, Enter jumps to the case in the Releases view.
    fn open(&mut self) {
        if self.view == ViewId::Calendar && self.views.calendar.handle(Action::Open, &self.data) {
            return;
        }
        let Some(crn) = self.selected() else { return };
        if self.view == ViewId::Gaps {
            self.show(ViewId::Releases);
            if !self.views.releases.select(&crn, &self.data) {
                // Hidden by a filter or search: clear them so the case can be shown.
                self.filter = Filter::default();
                self.refresh_views();
                self.views.releases.select(&crn, &self.data);
            }
        }
        self.popups.push(Popup::detail(crn));
    }

    fn popup_outcome(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Keep => {}
            Outcome::Close => {
                self.popups.pop();
            }
            Outcome::Push(p) => self.popups.push(p),
            Outcome::Replace(p) => {
                self.popups.pop();
                self.popups.push(p);
            }
            Outcome::Save { crn, field, text } => self.save(&crn, field, &text),
            Outcome::Filter(dim, value) => {
                self.popups.pop();
                self.apply_filter(dim, value);
            }
            Outcome::Action(a) => {
                // Undo from a case's detail keeps the detail open, showing the case as it is now.
                self.dispatch(a);
                self.popups.iter_mut().for_each(Popup::invalidate);
            }
        }
    }

    fn apply_filter(&mut self, dim: Dimension, value: String) {
        self.filter.set(dim, value);
        self.refresh_views();
        self.say(format!("Showing {}", self.filter.describe()));
    }

    /// Saves one field: validated as an import would, checked for plausibility, one
    /// transaction, one audit row per field. A bad value keeps the popup open with the message;
    /// nothing is written.
    fn save(&mut self, crn: &Crn, field: Field, text: &str) {
        let Some(view) = self.data.get(crn) else {
            return;
        };
        let version = view.version;
        let options = EditOptions {
            // Recording a referral as sent dates it today (see `fill_sent_date`).
            sent_on: (self.clock)().date(),
            confirmed: false,
            restoring: false,
        };
        let result = self.planner.edit(
            crn,
            Some(version),
            &[(field, text.to_string())],
            self.today(),
            options,
        );
        match result {
            Err(EditError::Invalid(_) | EditError::Refused(_) | EditError::Confirm(_)) => {
                let Err(e) = result else { unreachable!() };
                let message = match &e {
                    // The popup names the field already.
                    EditError::Invalid(m) => m
                        .split_once(": ")
                        .map_or(m.clone(), |(_, why)| why.to_string()),
                    e => e.to_string(),
                };
                if let Some(p) = self.popups.last_mut() {
                    p.set_error(message);
                }
            }
            Ok(saved) if saved.changes.is_empty() => {
                self.popups.pop();
                self.say(format!("{} unchanged", field.label()));
            }
            Ok(saved) => {
                self.popups.pop();
                self.after_write(crn);
                let new = field
                    .get(&saved.view.case)
                    .unwrap_or_else(|| "blank".into());
                let dated = saved
                    .filled
                    .iter()
                    .map(|date| {
                        format!(
                            ", {} {}",
                            date.label(),
                            crate::domain::dates::short(options.sent_on)
                        )
                    })
                    .collect::<String>();
                self.undo.push(Undo::Fields {
                    crn: crn.clone(),
                    old: saved.before,
                });
                self.say(format!("Saved {}: {new}{dated} (u undoes)", field.label()));
            }
            Err(e) => {
                self.popups.pop();
                self.after_write(crn);
                self.complain(not_saved(e));
            }
        }
    }

    /// After a write (or a refused one): the case is read again and every view brought up to
    /// date, open popups included.
    fn after_write(&mut self, crn: &Crn) {
        if let Err(e) = self.data.refresh_case(&self.planner, crn) {
            self.complain(format!("The screen could not be refreshed: {e}"));
        }
        self.refresh_views();
        self.popups.iter_mut().for_each(Popup::invalidate);
    }

    fn check_in(&mut self, reported: bool) {
        if self.view != ViewId::Today {
            return;
        }
        let Some(crn) = self.selected() else {
            self.complain("Nobody selected");
            return;
        };
        let Some(view) = self.data.get(&crn) else {
            return;
        };
        let old = view.reported_at;
        let version = view.version;
        let name = view.case.name.clone();
        let at = reported.then(|| (self.clock)());
        if old.is_some() == reported {
            self.say(if reported {
                "Already reported"
            } else {
                "Not reported yet"
            });
            return;
        }
        let result = self.planner.check_in(&crn, Some(version), at, self.today());
        self.after_write(&crn);
        match result {
            Ok(_) => {
                self.undo.push(Undo::Reported { crn, old });
                let name = crate::cli::output::inert(&name);
                match at {
                    Some(t) => self.say(format!(
                        "{name} reported at {} (u undoes)",
                        t.format("%H:%M")
                    )),
                    None => self.say(format!("{name} marked not reported (u undoes)")),
                }
            }
            Err(EditError::Stale(now)) => {
                let name = crate::cli::output::inert(&name);
                // Say what the other planner left, so nobody has to guess.
                self.complain(match now.reported_at {
                    Some(t) => format!(
                        "Not changed: {name} was marked reported at {} meanwhile, on another \
                         planner",
                        t.format("%H:%M")
                    ),
                    None => format!(
                        "Not changed: {name}'s case changed meanwhile and is not marked \
                         reported now; check it and try again"
                    ),
                });
            }
            Err(e) => self.complain(not_saved(e)),
        }
    }

    fn undo_last(&mut self) {
        let Some(last) = self.undo.pop() else {
            self.say("Nothing to undo");
            return;
        };
        let restoring = EditOptions {
            sent_on: self.today(),
            confirmed: true,
            restoring: true,
        };
        match last {
            Undo::Fields { crn, old } => {
                let Some(view) = self.data.get(&crn) else {
                    return;
                };
                let version = view.version;
                let values: Vec<(Field, String)> = old
                    .iter()
                    .map(|(f, v)| (*f, v.clone().unwrap_or_default()))
                    .collect();
                let result =
                    self.planner
                        .edit(&crn, Some(version), &values, self.today(), restoring);
                self.after_write(&crn);
                match (result, old.first()) {
                    (Ok(_), Some((field, value))) => self.say(format!(
                        "Undone: {} back to {}",
                        field.label(),
                        value.as_deref().unwrap_or("blank")
                    )),
                    (Ok(_), None) => self.say("Undone"),
                    (Err(e), _) => self.complain(not_saved(e)),
                }
            }
            Undo::Reported { crn, old } => {
                let version = self.data.get(&crn).map(|v| v.version);
                let result = self.planner.check_in(&crn, version, old, self.today());
                self.after_write(&crn);
                match result {
                    Ok(_) => self.say("Undone: check-in"),
                    Err(e) => self.complain(format!("Not undone: {}", not_saved(e))),
                }
            }
        }
    }

    pub fn draw(&mut self, f: &mut Frame) {
        let area = f.area();
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            chrome::too_small(f, area, &self.theme, &self.keymap);
            return;
        }
        let [tabs, body, bar] = chrome::layout(area);
        chrome::tabs(f, tabs, self);
        if self.data.stored == 0 && self.view != ViewId::Calendar {
            chrome::welcome(f, body, &self.theme, &self.keymap);
        } else {
            let cx = DrawCx {
                data: &self.data,
                filter: &self.filter,
                planner: &self.planner,
                theme: &self.theme,
                today: self.data.today,
                warn_weeks: self.planner.settings.clusters.warn_weeks,
                keys: &self.keymap,
            };
            self.views.get_mut(self.view).draw(f, body, &cx);
        }
        chrome::bar(f, bar, self);
        if let Some(p) = self.popups.last_mut() {
            popups::draw(
                p,
                f,
                area,
                &self.data,
                &self.planner,
                &self.keymap,
                self.view,
                &self.theme,
            );
        }
    }
}

/// What the status line says about a change that was not saved.
fn not_saved(e: EditError) -> String {
    match e {
        e @ EditError::Stale(_) => e.to_string(),
        e => format!("Not saved: {e}"),
    }
}
