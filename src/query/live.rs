//! Seeing what other officers wrote: the screens keep a `Watch` and ask `changed` a few times
//! a second. Cheap when nothing changed (one look at the change token); otherwise the cases
//! written since the last look, or "everything" when the store cannot say which.

use super::{Planner, QueryError, Result};
use crate::domain::calendar::Calendar;
use crate::domain::case::Crn;
use crate::store::{ChangeToken, StoreError};

/// More cases than this written at once (an import) are read again whole, off the screens'
/// thread, rather than one by one on it.
pub const CASES_AT_ONCE: usize = 500;

/// Where a planner last looked: the change token and the store's change-log mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Watch {
    token: ChangeToken,
    mark: u64,
}

/// What changed since the last look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changed {
    Nothing,
    /// These cases were written (each once): read them again.
    Cases(Vec<Crn>),
    /// Read everything again (a purge, an import of many cases, a change the store cannot
    /// trace to single cases).
    Everything,
}

impl QueryError {
    /// The team database cannot be reached just now (the engine reconnects by itself): what
    /// the screens hold stays usable, and the same call can be made again later.
    pub fn is_unreachable(&self) -> bool {
        matches!(
            self,
            QueryError::Store(StoreError::Unavailable(_))
                | QueryError::Open {
                    source: StoreError::Unavailable(_),
                    ..
                }
        )
    }
}

impl Planner {
    /// Starts watching from now: everything written before is taken as seen.
    pub fn watch(&self) -> Result<Watch> {
        let (token, log) = self.steady_look(None)?;
        Ok(Watch {
            token,
            mark: log.mark,
        })
    }

    /// What was written since `watch` last looked (by this planner too: its own writes come
    /// back, and reading those cases again costs little); moves `watch` on.
    pub fn changed(&self, watch: &mut Watch) -> Result<Changed> {
        if self.store.change_token()? == watch.token {
            return Ok(Changed::Nothing);
        }
        let (token, log) = self.steady_look(Some(watch.mark))?;
        *watch = Watch {
            token,
            mark: log.mark,
        };
        Ok(match log.cases {
            // The token moved but the log names no case: something it does not trace.
            Some(cases) if cases.is_empty() => Changed::Everything,
            Some(cases) => Changed::Cases(cases),
            None => Changed::Everything,
        })
    }

    /// Builds the calendar again from the bank holidays the database holds now (another
    /// planner may have imported a newer gov.uk file); true when they changed. The expected
    /// days stored are that planner's to redo (it did, on importing).
    pub fn reread_calendar(&mut self) -> Result<bool> {
        let (events, source, _) = super::holidays_in_force(&*self.store)?;
        let cal = Calendar::new(&events, self.settings.friday_policy);
        let changed = source != self.holiday_source || cal != self.cal;
        if changed {
            self.cal = cal;
            self.holiday_source = source;
        }
        Ok(changed)
    }

    /// The token and the log as of one moment: read again if a write landed between the two
    /// reads, so a write is never taken as seen before its cases were named.
    fn steady_look(&self, since: Option<u64>) -> Result<(ChangeToken, crate::store::ChangeLog)> {
        let mut token = self.store.change_token()?;
        loop {
            let log = self.store.changes_since(since, CASES_AT_ONCE)?;
            let after = self.store.change_token()?;
            if after == token {
                return Ok((token, log));
            }
            token = after;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::Case;
    use crate::query::Settings;
    use chrono::NaiveDate;

    #[test]
    fn another_planners_writes_are_named_and_nothing_is_cheap() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("team.db");
        let mut a = Planner::open(&path, Settings::default()).unwrap();
        let b = Planner::open(&path, Settings::default()).unwrap();
        let mut watch = b.watch().unwrap();
        assert_eq!(b.changed(&mut watch).unwrap(), Changed::Nothing);

        let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let ann = Case::new("X000001".parse().unwrap(), "Ann Example", day);
        a.put_cases(std::slice::from_ref(&ann), "a").unwrap();
        assert_eq!(
            b.changed(&mut watch).unwrap(),
            Changed::Cases(vec![ann.crn.clone()])
        );
        assert_eq!(b.changed(&mut watch).unwrap(), Changed::Nothing);

        a.purge(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(), false)
            .unwrap();
        assert_eq!(b.changed(&mut watch).unwrap(), Changed::Everything);
        assert_eq!(b.changed(&mut watch).unwrap(), Changed::Nothing);
    }
}
