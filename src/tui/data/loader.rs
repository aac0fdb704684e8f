//! Opening at national scale: the first screen needs only the releases of the next few days,
//! so the screens load those (and the look-back days) at once, count the rest from a light
//! read of five columns, and load the rest whole on a second thread over its own read-only
//! connection. The first key pressed waits for that load if it is still running, so every
//! key acts on the whole caseload, exactly as if it had all been loaded at open.

use crate::domain::clusters::DayLoad;
use crate::query::{CaseView, Planner};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::thread::JoinHandle;

/// Cases loaded at once, counted from today: the first screen shows a few dozen. A small
/// caseload (fewer than this from today) is loaded whole, with no second thread.
pub const FIRST_CASES: usize = 500;

/// What open loads before the first frame.
pub struct First {
    /// The look-back days' and upcoming cases expected up to `Rest::after`, in list order.
    pub cases: Vec<CaseView>,
    /// The cases still loading, if any.
    pub rest: Option<Rest>,
}

/// The cases expected after `after`, loading on another thread.
pub struct Rest {
    pub after: NaiveDate,
    /// Their releases per expected day, counted at open.
    pub loads: BTreeMap<NaiveDate, DayLoad>,
    handle: JoinHandle<anyhow::Result<Vec<CaseView>>>,
}

impl Rest {
    /// How many of them are due from `today` on, and how many of those have nowhere to go.
    pub fn counts(&self, today: NaiveDate) -> (usize, usize) {
        self.loads.range(today..).fold((0, 0), |(n, h), (_, l)| {
            (n + l.load, h + l.no_accommodation)
        })
    }

    /// A second thread that fails, for tests of what the screens do then.
    #[cfg(test)]
    pub fn failing(rest: Rest) -> Rest {
        let handle = std::thread::spawn(|| Err(anyhow::anyhow!("the second connection failed")));
        Rest { handle, ..rest }
    }

    /// Whether the second thread has finished, so `wait` returns at once.
    pub fn is_ready(&self) -> bool {
        self.handle.is_finished()
    }

    /// Waits for them: in list order, all expected after `after`.
    pub fn wait(self) -> anyhow::Result<Vec<CaseView>> {
        self.handle
            .join()
            .map_err(|_| anyhow::anyhow!("loading the caseload stopped unexpectedly"))?
    }
}

pub fn first(planner: &Planner, today: NaiveDate) -> anyhow::Result<First> {
    let split = match planner.nth_day_from(today, FIRST_CASES)? {
        Some(day) => planner.reader()?.map(|reader| (day, reader)),
        None => None,
    };
    let Some((after, reader)) = split else {
        return Ok(First {
            cases: planner.upcoming(today)?,
            rest: None,
        });
    };
    let handle = std::thread::Builder::new()
        .name("caseload".into())
        .spawn(move || Ok(reader.upcoming_after(after, today)?))?;
    let cases = planner.upcoming_until(today, after)?;
    let loads = planner.loads_after(after)?;
    Ok(First {
        cases,
        rest: Some(Rest {
            after,
            loads,
            handle,
        }),
    })
}
