//! The demo caseload as the query layer keeps it: invented cases written in place of an
//! earlier demo caseload, with a note of what was written, so a real caseload is never taken
//! for a demo one (the note goes as soon as a real import lands).

use super::{Planner, Result};
use crate::domain::case::Case;
use crate::store::DEMO_MARKER;

impl Planner {
    /// How many cases the database holds, released long ago included.
    pub fn case_count(&self) -> Result<usize> {
        Ok(self.store.case_count()?)
    }

    /// The note written with the demo caseload the database holds ("2026-11-23 seed=7
    /// cases=300"); `None` when it holds no demo caseload.
    pub fn demo_note(&self) -> Result<Option<String>> {
        Ok(self.store.meta_get(DEMO_MARKER)?)
    }

    /// Replaces every case (and its history) with `cases`, noted as a demo caseload; returns
    /// how many were written.
    pub fn write_demo(&mut self, cases: &[Case], note: &str) -> Result<usize> {
        self.store.remove_all_cases("demo")?;
        let n = self.put_cases(cases, "demo")?;
        self.store.meta_set(DEMO_MARKER, note)?;
        Ok(n)
    }
}
