//! The OMiC handovers ahead (DOMAIN.md §7): `releaseday handovers`, the calendar export and the
//! Handovers screen ask the same question here.

use super::filter::CaseFilter;
use super::{Planner, Result};
use crate::domain::case::Crn;
use crate::domain::handover::{Handover, Responsibility};
use crate::store::Cases;
use chrono::NaiveDate;
use std::ops::ControlFlow;

/// One handover: what `releaseday handovers` shows of a case, kept instead of the case (a
/// window of years at 100,000 cases holds every case still to be released).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandoverRow {
    pub crn: Crn,
    pub name: String,
    pub handover: Handover,
    /// Who holds the case today.
    pub responsibility: Responsibility,
    pub pom: Option<String>,
    pub officer: Option<String>,
    pub release_date: NaiveDate,
    pub expected_day: NaiveDate,
    pub team: Option<String>,
    pub prison: Option<String>,
}

impl HandoverRow {
    /// The handover day (a listed row always has one).
    pub fn day(&self) -> Option<NaiveDate> {
        self.handover.day
    }

    /// No community offender manager allocated.
    pub fn no_com(&self) -> bool {
        self.officer.as_deref().is_none_or(|o| o.trim().is_empty())
    }
}

impl Planner {
    /// The cases not yet released (expected today or later) passing `filter` whose handover
    /// day lies in `[from, to]`, by handover day, then name, then CRN. A recall has no
    /// handover and is never listed. Reads every case still to be released (a handover may
    /// come 15 months or more before the release), keeping only the rows listed.
    pub fn handovers(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        today: NaiveDate,
        filter: &CaseFilter,
    ) -> Result<Vec<HandoverRow>> {
        let mut out = Vec::new();
        self.store.each_case(Cases::From(today), &mut |s| {
            let handover = Handover::of(&s.case);
            if filter.matches(&s.case) && handover.day.is_some_and(|h| from <= h && h <= to) {
                let c = s.case;
                out.push(HandoverRow {
                    responsibility: handover.responsibility(today),
                    handover,
                    crn: c.crn,
                    name: c.name,
                    pom: c.pom,
                    officer: c.officer,
                    release_date: c.release_date,
                    expected_day: s.expected_day,
                    team: c.team,
                    prison: c.prison,
                });
            }
            ControlFlow::Continue(())
        })?;
        out.sort_by(|a, b| {
            (a.handover.day, &a.name, &a.crn).cmp(&(b.handover.day, &b.name, &b.crn))
        });
        Ok(out)
    }
}
