//! What the screens' search needs of the cases they do not hold: released before the window
//! the screens load, these are found by name, CRN or NOMS number and then opened one by one.
//! Five columns, not whole cases: at national scale half the database lies back there.

use super::columns::{corrupt, day_text, opt_str, opt_time, req_day, req_str};
use super::{Result, SqliteStore};
use crate::store::CaseKey;
use chrono::NaiveDate;
use rusqlite::Row;

impl SqliteStore {
    /// Every case whose stored expected day is before `day`, most recent first (then name, CRN).
    /// Half the table at national scale: a scan in file order, sorted here, takes a fifth of
    /// the time of reading it in order through the day index (measured at 49,500 of 100,000).
    pub fn case_keys_before(&self, day: NaiveDate) -> Result<Vec<CaseKey>> {
        let mut st = self.conn.prepare_cached(
            "SELECT crn, name, noms, expected_day, reported_at FROM cases \
             WHERE +expected_day < ?1",
        )?;
        let rows = st.query_and_then([day_text(day)], read_key)?;
        let mut keys = rows.collect::<Result<Vec<CaseKey>>>()?;
        keys.sort_unstable_by(|a, b| {
            (b.expected_day, &a.name, &a.crn).cmp(&(a.expected_day, &b.name, &b.crn))
        });
        Ok(keys)
    }
}

fn read_key(row: &Row<'_>) -> Result<CaseKey> {
    Ok(CaseKey {
        crn: req_str(row, 0, "crn")?
            .parse()
            .map_err(|_| corrupt("crn"))?,
        name: req_str(row, 1, "name")?.to_string(),
        noms: opt_str(row, 2, "noms")?.map(str::to_string),
        expected_day: req_day(row, 3, "expected_day")?,
        reported_at: opt_time(row, 4, "reported_at")?,
    })
}
