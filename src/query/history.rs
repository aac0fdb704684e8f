//! A case's change history as the screens show it: who changed which field, when, from what
//! to what, newest first.

use super::{Planner, Result};
use crate::domain::case::Crn;

/// One change recorded in the audit log.
pub use crate::store::AuditEntry;

impl Planner {
    /// Every change recorded for a case, newest first.
    pub fn case_history(&self, crn: &Crn) -> Result<Vec<AuditEntry>> {
        Ok(self.store.audit_for(crn)?)
    }
}
