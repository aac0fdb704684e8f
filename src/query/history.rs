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

    /// Who made the latest change to a case, and to what ("alice changed dtr", "bob recorded a
    /// check-in"): what a refused stale write tells the officer, from the audit log (on a team
    /// database, the role that signed in). `None` when the log says nothing.
    pub fn latest_change_to(&self, crn: &Crn) -> Option<String> {
        let latest = self.store.audit_for(crn).ok()?.into_iter().next()?;
        Some(match latest.field.as_str() {
            "reported" if latest.new.is_some() => format!("{} marked a check-in", latest.who),
            "reported" => format!("{} took back a check-in", latest.who),
            "created" => format!("{} added the case", latest.who),
            field => format!("{} changed {field}", latest.who),
        })
    }
}
