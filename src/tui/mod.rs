//! The planner's screens (ratatui). State lives in `App` (`app`, with its writes in
//! `writes`); the frame around the views in `chrome`; each view (`views`, added in one place:
//! `views::register!`) builds its rows from the in-memory `Caseload` (`data`) when refreshed
//! and draws them, turning navigation actions into selection changes; popups in `popups`. No
//! SQL and nothing of the store here: everything goes through the query layer, and keys, text
//! and settings come from the floor below (`keys`, `text`, `config`).

pub mod app;
mod chrome;
pub mod data;
pub mod facets;
pub mod filter;
pub mod history;
mod link;
pub mod live;
pub mod popups;
pub mod theme;
pub mod views;
mod writes;

use crate::domain::case::Crn;
use crate::keys::{Action, KeyMap};
use chrono::{NaiveDate, NaiveDateTime};
use data::Caseload;
use filter::Filter;
use ratatui::layout::Rect;
use ratatui::Frame;
use theme::Theme;

/// The screens by name (defined with the key map, which is scoped by view).
pub use crate::keys::ViewId;

/// What a view needs to draw: the data, the filter, the rules and the theme.
pub struct DrawCx<'a> {
    pub data: &'a Caseload,
    pub filter: &'a Filter,
    pub planner: &'a crate::query::Planner,
    pub theme: &'a Theme,
    pub today: NaiveDate,
    /// Warnings begin this many weeks ahead (config).
    pub warn_weeks: u32,
    /// The key map in force, so hints name the keys the user has.
    pub keys: &'a KeyMap,
}

impl DrawCx<'_> {
    /// "Esc or F clears it", with the keys in force.
    pub fn clear_hint(&self) -> String {
        format!(
            "{} or {} clears it.",
            self.keys.key_for(Action::Back),
            self.keys.key_for(Action::ClearFilters)
        )
    }
}

/// One of the screens (`views::register!` lists them).
pub trait View {
    /// Rebuilds the rows after the data or the filter changed; keeps the selection where it can.
    /// The app calls it before a view is shown after any change, so `draw` has rows to draw.
    fn refresh(&mut self, data: &Caseload, filter: &Filter);
    /// Handles a navigation action; false when the view has no use for it.
    fn handle(&mut self, action: Action, data: &Caseload) -> bool;
    /// Draws the rows `refresh` built (laying them out for the area, and keeping the cursor
    /// on screen); it neither rebuilds them nor reads the database.
    fn draw(&mut self, f: &mut Frame, area: Rect, cx: &DrawCx);
    /// The case under the cursor, if any.
    fn selected(&self, data: &Caseload) -> Option<Crn>;
    /// Moves the cursor to a case; false when the case is not in this view's rows.
    fn select(&mut self, crn: &Crn, data: &Caseload) -> bool;
    /// Switches to the next sort order; returns its name.
    fn next_sort(&mut self, data: &Caseload, filter: &Filter) -> &'static str;
    /// The cases the view lists now, by position in `Caseload::cases`, in its order; `None`
    /// for a view that does not list cases by the search (the calendar's grid).
    fn listed(&self) -> Option<Vec<usize>> {
        None
    }
    /// How many cases `listed` would give, without making the list (drawn every frame).
    fn listed_count(&self) -> Option<usize> {
        None
    }
}

/// Where "now" comes from for check-in times: the clock in the binary, fixed in tests.
pub type Clock = Box<dyn Fn() -> NaiveDateTime>;

/// Opens the screens on the terminal and runs until the officer quits. The terminal is
/// restored on the way out, on error and on panic (ratatui's hook).
pub fn run(app: &mut app::App) -> anyhow::Result<()> {
    use ratatui::crossterm::event::{self, Event, KeyEventKind};
    use std::time::Duration;
    let mut terminal = ratatui::try_init()?;
    let result = (|| -> anyhow::Result<()> {
        app.resized(terminal.size()?.width);
        // When the screens last looked for other officers' changes (`live`).
        let mut looked = std::time::Instant::now();
        while !app.quit {
            terminal.draw(|f| app.draw(f))?;
            // While the caseload, or the search's keys of earlier cases, are still loading,
            // wake to take them in (the counts on screen become exact) without waiting for a key.
            while (app.data.loading().is_some() || app.data.earlier_pending())
                && !event::poll(Duration::from_millis(50))?
            {
                if app.settle_if_ready() | app.take_earlier(false) {
                    terminal.draw(|f| app.draw(f))?;
                }
            }
            // No key: look for other officers' changes every `POLL`, and after a pause of a
            // second, run the database checkpoint saves left undone.
            let mut waited = Duration::ZERO;
            loop {
                let due = live::POLL.saturating_sub(looked.elapsed());
                if event::poll(due)? {
                    break;
                }
                if app.watch() {
                    terminal.draw(|f| app.draw(f))?;
                }
                looked = std::time::Instant::now();
                waited += due;
                if waited >= Duration::from_secs(1) {
                    waited = Duration::ZERO;
                    app.idle();
                }
            }
            match event::read()? {
                Event::Key(key) if key.kind != KeyEventKind::Release => app.handle_key(key),
                Event::Resize(width, _) => app.resized(width),
                _ => {}
            }
            // Keys held down or typed without a pause: still look every `POLL` (the frame
            // drawn next shows what came in).
            if looked.elapsed() >= live::POLL {
                app.watch();
                looked = std::time::Instant::now();
            }
        }
        Ok(())
    })();
    ratatui::try_restore()?;
    result
}
