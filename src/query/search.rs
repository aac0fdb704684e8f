//! Finding any case in the database, not only those a window of days holds: the screens keep
//! the look-back days and every release still to come in memory, and search the rest through
//! these light keys, opening a case whole (`Planner::case`) only when it is chosen.

use super::{Planner, Result};
/// A case as the search lists it, without the rest of its fields.
pub use crate::store::CaseKey;
use chrono::NaiveDate;

impl Planner {
    /// The first day `upcoming` loads: today less the duty sheet's look-back days.
    pub fn window_start(&self, today: NaiveDate) -> NaiveDate {
        super::sheet::look_back_start(today, self.settings.outstanding_days)
    }

    /// Name, CRN, NOMS number, expected day and check-in of every case expected before
    /// `day`, most recent first.
    pub fn keys_before(&self, day: NaiveDate) -> Result<Vec<CaseKey>> {
        Ok(self.store.case_keys_before(day)?)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::case::Case;
    use crate::query::{Planner, Settings};
    use chrono::NaiveDate;

    #[test]
    fn the_keys_before_the_window_are_exactly_the_cases_upcoming_leaves_out() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let today = d(11, 23);
        let mut planner = Planner::in_memory(Settings::default()).unwrap();
        let days = [
            d(9, 1),
            d(11, 13),
            d(11, 16),
            d(11, 17),
            d(11, 23),
            d(12, 1),
        ];
        for (i, day) in days.into_iter().enumerate() {
            let c = Case::new(format!("X10000{i}").parse().unwrap(), "Some One", day);
            let expected = planner.cal.expected_day(&c);
            planner
                .test_store_mut()
                .upsert_case(&c, "test", expected)
                .unwrap();
        }
        let start = planner.window_start(today);
        assert_eq!(start, d(11, 16), "seven days back by default");
        let held: Vec<String> = planner
            .upcoming(today)
            .unwrap()
            .iter()
            .map(|v| v.case.crn.to_string())
            .collect();
        let before: Vec<String> = planner
            .keys_before(start)
            .unwrap()
            .iter()
            .map(|k| k.crn.to_string())
            .collect();
        assert_eq!(before, ["X100001", "X100000"]);
        assert_eq!(held.len() + before.len(), days.len());
        assert!(held.iter().all(|c| !before.contains(c)));
    }
}
