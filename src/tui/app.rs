//! The planner's state and what each action does to it.

use super::chrome::{self, Chrome};
use super::data::Caseload;
use super::filter::{Dimension, Filter};
use super::history::{History, Way};
use super::link::Link;
use super::popups::{FilterValues, Outcome, Popup, PopupCx, Results};
use super::theme::Theme;
use super::views::Views;
use super::{facets, Clock, DrawCx, View, ViewId};
use crate::domain::case::Crn;
use crate::keys::Action;
use crate::keys::KeyMap;
use crate::query::Planner;
use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::Frame;

pub use super::chrome::{Status, MIN_HEIGHT, MIN_WIDTH};

pub struct App {
    pub planner: Planner,
    pub data: Caseload,
    pub filter: Filter,
    pub view: ViewId,
    pub views: Views,
    pub popups: Vec<Popup>,
    /// Typing into the search line.
    pub searching: bool,
    /// What undo and redo walk through.
    pub history: History,
    pub status: Option<Status>,
    pub keymap: KeyMap,
    pub theme: Theme,
    pub clock: Clock,
    pub quit: bool,
    /// Views whose rows are out of date, refreshed when next shown.
    stale: Vec<ViewId>,
    /// Other officers' changes and the team database's connection (`live`).
    pub(super) link: Link,
}

impl App {
    pub fn new(
        mut planner: Planner,
        today: NaiveDate,
        clock: Clock,
        theme: Theme,
    ) -> anyhow::Result<App> {
        planner.serve_screens()?;
        let link = Link::start(&planner);
        let data = Caseload::load(&planner, today)?;
        // Shown on the first screen, where it cannot scroll away unseen.
        let status = planner
            .notice
            .take()
            .map(|text| Status { text, error: true });
        let mut app = App {
            views: Views::new(today),
            planner,
            data,
            filter: Filter::default(),
            view: ViewId::Releases,
            popups: Vec::new(),
            searching: false,
            history: History::default(),
            status,
            keymap: KeyMap::default(),
            theme,
            clock,
            quit: false,
            stale: Vec::new(),
            link,
        };
        app.refresh_views();
        Ok(app)
    }

    /// Called when no key has come for a while: the checkpoint deferred from saves runs now.
    /// A failure is not worth a message (the next pause, or the last close, tries again).
    pub fn idle(&mut self) {
        let _ = self.planner.idle();
    }

    pub fn today(&self) -> NaiveDate {
        self.data.today
    }

    /// Rebuilds the rows of the view on screen now, and of the others when they are next
    /// shown: typing a search costs one view's work per key, not four.
    pub fn refresh_views(&mut self) {
        self.stale = ViewId::ALL.to_vec();
        self.show(self.view);
        self.read_pane();
    }

    /// The Releases view's detail pane reads the history of the case under the cursor here,
    /// after a key or a refresh, never while drawing.
    fn read_pane(&mut self) {
        if self.view == ViewId::Releases {
            self.views.releases.read_pane(&self.data, &self.planner);
        }
    }

    /// The terminal is `width` columns wide (when the screens open, and after each resize):
    /// the Releases view's pane may now show, or no longer.
    pub fn resized(&mut self, width: u16) {
        self.views.releases.resized(width);
        self.read_pane();
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

    pub(super) fn say(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: false,
        });
    }

    pub(super) fn complain(&mut self, text: impl Into<String>) {
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

    /// Takes in the keys of the cases before the window once read (waiting for them if
    /// `wait`); true when they arrived now (the search line's counts change).
    pub fn take_earlier(&mut self, wait: bool) -> bool {
        match self.data.take_earlier(wait) {
            Ok(arrived) => arrived,
            Err(e) => {
                self.complain(format!(
                    "Only the cases on screen can be searched: the rest could not be read ({e})"
                ));
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
        self.take_key(key);
        self.read_pane();
    }

    fn take_key(&mut self, key: KeyEvent) {
        // Ctrl-C quits even while the rest of the caseload is loading, without waiting for it.
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            self.quit = true;
            return;
        }
        if !self.settle() {
            // The key is spent on showing the failure; the next one acts on what did load.
            return;
        }
        self.take_earlier(false);
        // Another planner's changes read in the background: the key acts on them.
        self.take_reload(false);
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
            let mut act = self.keymap.lookup(self.view, key);
            if act.is_none() && matches!(popup, Popup::Detail(_)) {
                // A case's detail takes check-ins in every view, with the Today view's keys
                // (no other binding can share them: they would clash there).
                act = self
                    .keymap
                    .lookup(ViewId::Today, key)
                    .filter(|a| matches!(a, Action::MarkReported | Action::MarkNotReported));
            }
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
            KeyCode::Enter => {
                self.searching = false;
                // What Enter does depends on the matches elsewhere: have them all.
                self.take_earlier(true);
                // Nothing here but matches elsewhere: Enter shows them rather than nothing.
                if let Some((Some(0), total)) = self.search_counts() {
                    if total > 0 {
                        self.show_results();
                    }
                }
            }
            KeyCode::Tab => {
                self.searching = false;
                self.show_results();
            }
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
        self.act(action);
        self.read_pane();
    }

    fn act(&mut self, action: Action) {
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
            Action::Show(id) => self.show(id),
            Action::Help => self.popups.push(Popup::help()),
            Action::Search => {
                // A new search each time, as in less and vim.
                self.searching = true;
                if !self.filter.search.is_empty() {
                    self.filter.set_search("");
                    self.refresh_views();
                }
                // The keys of every case in the database, read once: the letters typed then
                // search them all.
                if let Err(e) = self.data.begin_search(&self.planner) {
                    self.complain(format!(
                        "Only the cases on screen can be searched: the rest could not be read ({e})"
                    ));
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
            Action::Undo => self.step(Way::Undo),
            Action::Redo => self.step(Way::Redo),
            Action::MarkReported | Action::MarkNotReported if self.view == ViewId::Today => {
                match self.selected() {
                    Some(crn) => self.check_in(&crn, action == Action::MarkReported),
                    None => self.complain("Nobody selected"),
                }
            }
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
        self.popups.push(Popup::detail(crn, &self.planner));
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
            Outcome::Save { crn, field, text } => self.save(&crn, field, &text, false),
            Outcome::SaveConfirmed { crn, field, text } => {
                // The question goes; the save then closes the editor under it.
                self.popups.pop();
                self.save(&crn, field, &text, true);
            }
            Outcome::Filter(dim, value) => {
                self.popups.pop();
                self.apply_filter(dim, value);
            }
            Outcome::FilterValues(dim) => {
                let values = facets::values(dim, &self.data, &self.filter, self.view);
                let active = self
                    .filter
                    .by
                    .iter()
                    .find(|(d, _)| *d == dim)
                    .map(|(_, v)| v.clone());
                self.popups.pop();
                self.popups.push(Popup::FilterValues(FilterValues {
                    dim,
                    values,
                    selected: 0,
                    within: facets::within(dim, &self.filter),
                    active,
                }));
            }
            // Undo and redo from a case's detail keep it open, showing the case as it is now.
            Outcome::Action(a) => self.dispatch(a),
            Outcome::CheckIn(crn, reported) => self.check_in(&crn, reported),
            Outcome::OpenCase(crn) => match self.data.hold(&self.planner, &crn) {
                Ok(true) => self.popups.push(Popup::detail(crn, &self.planner)),
                Ok(false) => self.complain("That case is no longer in the database"),
                Err(e) => self.complain(format!("The case could not be read: {e}")),
            },
        }
    }

    /// The search in force: (how many matches the view lists, if it lists cases; how many
    /// the whole database holds). `None` without a search.
    pub fn search_counts(&self) -> Option<(Option<usize>, usize)> {
        if self.filter.search.is_empty() {
            return None;
        }
        let total = self.data.match_count()?;
        Some((self.views.get(self.view).listed_count(), total))
    }

    /// Lists every case in the database the search matches, the view's own first.
    fn show_results(&mut self) {
        if self.filter.search.is_empty() {
            return;
        }
        self.take_earlier(true);
        let listed = self.views.get(self.view).listed();
        let results = Results::build(&self.data, &self.filter.search, listed);
        self.popups.push(Popup::Results(results));
    }

    fn apply_filter(&mut self, dim: Dimension, value: String) {
        self.filter.set(dim, value);
        self.refresh_views();
        self.say(format!("Showing {}", self.filter.describe()));
    }

    pub fn draw(&mut self, f: &mut Frame) {
        let area = f.area();
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            chrome::too_small(f, area, &self.theme, &self.keymap);
            return;
        }
        let [tabs, body, bar] = chrome::layout(area);
        let frame = Chrome {
            view: self.view,
            today: self.data.today,
            unloaded: self.data.unloaded,
            theme: &self.theme,
            keys: &self.keymap,
            searching: self.searching,
            filter: &self.filter,
            status: self.status.as_ref(),
            search_counts: self.search_counts(),
            earlier_pending: self.data.earlier_pending(),
            unreachable: self.link.lost,
        };
        chrome::tabs(f, tabs, &frame);
        chrome::bar(f, bar, &frame);
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
        if let Some(p) = self.popups.last_mut() {
            let cx = PopupCx {
                data: &self.data,
                planner: &self.planner,
                keys: &self.keymap,
                view: self.view,
                theme: &self.theme,
            };
            // Above the status line, so what a key in the popup did (or why it was refused)
            // can be read while the popup stays open, even at 80×24.
            let above_bar = Rect {
                height: bar.y - area.y,
                ..area
            };
            p.draw(f, above_bar, &cx);
        }
    }
}
