//! What the screens know of the database's changes and connection (`live.rs` acts on it).

use crate::query::Watch;

/// What the screens know of the database's changes and connection.
#[derive(Debug, Default)]
pub struct Link {
    /// Where the last look left off; `None` until a first look succeeds.
    pub(super) watch: Option<Watch>,
    /// The team database could not be reached at the last look.
    pub lost: bool,
    /// A look failed otherwise and the status line said so (said once, not every poll).
    pub(super) failed: bool,
}

impl Link {
    /// Starts from the database as it is now (before the caseload is read, so nothing
    /// written while it is read is missed).
    pub fn start(planner: &crate::query::Planner) -> Link {
        Link {
            watch: planner.watch().ok(),
            ..Link::default()
        }
    }
}
