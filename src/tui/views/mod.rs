//! The four screens, one module each, plus the case detail they share.

pub mod calendar;
pub mod cursor;
pub mod detail;
pub mod gaps;
pub mod releases;
#[cfg(test)]
pub mod testing;
pub mod today;

pub use calendar::CalendarView;
pub use gaps::GapsView;
pub use releases::ReleasesView;
pub use today::TodayView;
