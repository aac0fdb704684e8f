//! The OMiC handovers ahead (DOMAIN.md §7): `releaseday handovers` and the Handovers screen
//! ask the same question here.

use super::filter::CaseFilter;
use super::{CaseView, Planner, Result};
use crate::store::Cases;
use chrono::NaiveDate;
use std::ops::ControlFlow;

impl Planner {
    /// The cases not yet released (expected today or later) passing `filter` whose handover
    /// day lies in `[from, to]`, by handover day, then name, then CRN. A recall has no
    /// handover and is never listed. Reads every case still to be released (a handover may
    /// come 15 months or more before the release), keeping only those listed.
    pub fn handovers(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        today: NaiveDate,
        filter: &CaseFilter,
    ) -> Result<Vec<CaseView>> {
        let mut out = Vec::new();
        self.store.each_case(Cases::From(today), &mut |s| {
            if filter.matches(&s.case) {
                let v = self.view(s, today);
                if v.handover.day.is_some_and(|h| from <= h && h <= to) {
                    out.push(v);
                }
            }
            ControlFlow::Continue(())
        })?;
        out.sort_by(|a, b| {
            (a.handover.day, &a.case.name, &a.case.crn).cmp(&(
                b.handover.day,
                &b.case.name,
                &b.case.crn,
            ))
        });
        Ok(out)
    }
}
