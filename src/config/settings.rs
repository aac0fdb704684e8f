//! The rule settings a team may change (config file, issue 6); defaults follow DOMAIN.md. Read
//! from the settings file here, used by the query layer.

use crate::domain::clusters::ClusterThresholds;
use crate::domain::gaps::GapThresholds;

#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Offenders (Day of Release from Detention) Act 2023 policy; off shows the statutory view.
    pub friday_policy: bool,
    pub gaps: GapThresholds,
    pub clusters: ClusterThresholds,
    /// How many days back the duty officer's sheet looks for releases not yet reported.
    pub outstanding_days: u32,
    /// Who the audit log names for changes made here.
    pub who: String,
    /// `releaseday purge` with no date deletes cases released more than this many days before
    /// today, with their history.
    pub retention_days: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            friday_policy: true,
            gaps: GapThresholds::default(),
            clusters: ClusterThresholds::default(),
            outstanding_days: 7,
            who: crate::platform::operating_system_user(),
            retention_days: 90,
        }
    }
}
