//! A case as the screens and the CLI show it: the stored record plus its computed days and flags.

use crate::domain::calendar::DayReasoning;
use crate::domain::case::{Case, Crn};
use crate::domain::gaps::{self, Flag, FlagCode};
use crate::domain::handover::{Handover, Responsibility};
use crate::domain::severity::Severity;
use chrono::{NaiveDate, NaiveDateTime};

#[derive(Debug, Clone)]
pub struct CaseView {
    pub case: Case,
    pub days: DayReasoning,
    pub flags: Vec<Flag>,
    /// The OMiC handover (DOMAIN.md §7), and who holds the case today.
    pub handover: Handover,
    pub responsibility: Responsibility,
    /// When the initial appointment is (DOMAIN.md §8; `domain::readiness::appointment_time`).
    pub appointment_at: Option<NaiveDateTime>,
    /// Nowhere to go and no one to see until this later moment (`readiness::nothing_until`).
    pub nothing_until: Option<NaiveDateTime>,
    pub reported_at: Option<NaiveDateTime>,
    pub version: i64,
}

impl CaseView {
    pub fn expected_day(&self) -> NaiveDate {
        self.days.expected
    }

    pub fn worst_flag(&self) -> Option<&Flag> {
        gaps::worst(&self.flags)
    }

    pub fn worst_severity(&self) -> Option<Severity> {
        self.worst_flag().map(|f| f.severity)
    }
}

/// One row of the gap worklist.
#[derive(Debug, Clone)]
pub struct GapRow {
    pub crn: Crn,
    pub name: String,
    pub officer: Option<String>,
    pub team: Option<String>,
    pub prison: Option<String>,
    pub expected_day: NaiveDate,
    pub flag: Flag,
}

impl GapRow {
    /// Where the row stands in the worklist (`worklist_key`).
    pub fn order_key(&self) -> WorklistKey<'_> {
        worklist_key(&self.flag, self.expected_day, &self.name, &self.crn)
    }
}

/// A flag's place in the worklist: compare two to order them.
pub type WorklistKey<'a> = (Severity, NaiveDate, NaiveDate, &'a str, &'a Crn, FlagCode);

/// The worklist's order (DOMAIN.md §4), as `releaseday gaps` and the Gaps screen both sort:
/// red first, then by due day, then release day, name, CRN and code, so the order is total.
pub fn worklist_key<'a>(
    flag: &'a Flag,
    expected_day: NaiveDate,
    name: &'a str,
    crn: &'a Crn,
) -> WorklistKey<'a> {
    (flag.severity, flag.due, expected_day, name, crn, flag.code)
}

/// The duty officer's sheet for one morning.
#[derive(Debug, Clone)]
pub struct TodaySheet {
    pub today: NaiveDate,
    /// Releases expected today.
    pub expected: Vec<CaseView>,
    /// Earlier days' releases (within the look-back) not yet reported.
    pub outstanding: Vec<CaseView>,
}

impl TodaySheet {
    pub fn all(&self) -> impl Iterator<Item = &CaseView> {
        self.expected.iter().chain(self.outstanding.iter())
    }

    /// The headline counts.
    pub fn counts(&self) -> super::sheet::SheetCounts {
        super::sheet::SheetCounts::of(&self.expected, &self.outstanding)
    }

    /// Each part by appointment time instead (`sheet::by_appointment`).
    pub fn sort_by_appointment(&mut self) {
        self.expected.sort_by(super::sheet::by_appointment);
        self.outstanding.sort_by(super::sheet::by_appointment);
    }
}
