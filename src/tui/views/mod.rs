//! The screens, one module each, plus the case detail they share; and `register!`, the one
//! place the app learns of them.
//!
//! Adding a view: write its module here (a type implementing `tui::View`), give it a variant
//! of `ViewId` and a row in `keys::VIEWS` (its title, the key that shows it and that key's
//! `[keys]` name), and a line in `register!` below saying how it is made. The tabs, the key
//! that shows it, help, the filter counts and the app's dispatch follow from those.

pub mod calendar;
pub mod cursor;
pub mod detail;
pub mod gaps;
pub mod handovers;
pub mod order;
pub mod releases;
pub mod row;
#[cfg(test)]
pub mod tests;
pub mod today;

pub use calendar::CalendarView;
pub use gaps::GapsView;
pub use handovers::HandoversView;
pub use releases::ReleasesView;
pub use today::TodayView;

use super::{View, ViewId};
use chrono::NaiveDate;

/// Makes `Views`: one field per screen, built on opening, and found by its `ViewId`.
macro_rules! register {
    ($($id:ident => $field:ident: $ty:ty = |$today:ident| $make:expr),* $(,)?) => {
        /// Every screen's state, kept apart from the rest of the app's so that one view can be
        /// borrowed with the data.
        pub struct Views {
            $(pub $field: $ty,)*
        }

        impl Views {
            /// Each screen as it opens on `today`.
            pub fn new(today: NaiveDate) -> Views {
                Views {
                    $($field: {
                        let $today = today;
                        $make
                    },)*
                }
            }

            pub fn get(&self, id: ViewId) -> &dyn View {
                match id {
                    $(ViewId::$id => &self.$field,)*
                }
            }

            pub fn get_mut(&mut self, id: ViewId) -> &mut dyn View {
                match id {
                    $(ViewId::$id => &mut self.$field,)*
                }
            }
        }
    };
}

// One line per screen: its `ViewId`, its field in `Views`, its type, and how it is made on
// the day the planner opens.
register! {
    Releases => releases: ReleasesView = |_today| ReleasesView::default(),
    Gaps => gaps: GapsView = |_today| GapsView::default(),
    Calendar => calendar: CalendarView = |today| CalendarView::new(today),
    Today => today: TodayView = |_today| TodayView::default(),
    Handovers => handovers: HandoversView = |_today| HandoversView::default(),
}
