//! What the screens' search needs of the cases they do not hold: released before the window
//! the screens load, these are found by name, CRN or NOMS number and then opened one by one.
//! Five columns, not whole cases: at national scale half the database lies back there.

use super::{Result, Store, StoreError};
use crate::domain::case::Crn;
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::types::ValueRef;
use rusqlite::Row;

/// A case as the search list shows it, without the rest of its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseKey {
    pub crn: Crn,
    pub name: String,
    pub noms: Option<String>,
    pub expected_day: NaiveDate,
    pub reported_at: Option<NaiveDateTime>,
}

impl Store {
    /// Every case whose stored expected day is before `day`, most recent first (then name, CRN).
    /// Half the table at national scale: a scan in file order, sorted here, takes a fifth of
    /// the time of reading it in order through the day index (measured at 49,500 of 100,000).
    pub fn case_keys_before(&self, day: NaiveDate) -> Result<Vec<CaseKey>> {
        let mut st = self.conn.prepare_cached(
            "SELECT crn, name, noms, expected_day, reported_at FROM cases \
             WHERE +expected_day < ?1",
        )?;
        let rows = st.query_and_then([day.format("%Y-%m-%d").to_string()], read_key)?;
        let mut keys = rows.collect::<Result<Vec<CaseKey>>>()?;
        keys.sort_unstable_by(|a, b| {
            (b.expected_day, &a.name, &a.crn).cmp(&(a.expected_day, &b.name, &b.crn))
        });
        Ok(keys)
    }
}

fn corrupt(column: &'static str) -> StoreError {
    StoreError::Corrupt { column }
}

fn text<'r>(row: &'r Row<'_>, i: usize, column: &'static str) -> Result<Option<&'r str>> {
    match row.get_ref(i)? {
        ValueRef::Null => Ok(None),
        ValueRef::Text(b) => std::str::from_utf8(b)
            .map(Some)
            .map_err(|_| corrupt(column)),
        _ => Err(corrupt(column)),
    }
}

fn read_key(row: &Row<'_>) -> Result<CaseKey> {
    let crn = text(row, 0, "crn")?
        .and_then(|s| s.parse().ok())
        .ok_or(corrupt("crn"))?;
    let name = text(row, 1, "name")?.ok_or(corrupt("name"))?.to_string();
    let noms = text(row, 2, "noms")?.map(str::to_string);
    let expected_day = text(row, 3, "expected_day")?
        .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .ok_or(corrupt("expected_day"))?;
    let reported_at = text(row, 4, "reported_at")?
        .map(|s| {
            NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
                .map_err(|_| corrupt("reported_at"))
        })
        .transpose()?;
    Ok(CaseKey {
        crn,
        name,
        noms,
        expected_day,
        reported_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::Case;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn keys_before_a_day_come_most_recent_first_with_their_check_in() {
        let mut store = Store::open_in_memory().unwrap();
        let cases = [
            ("X100001", "Ann Older", d(2026, 10, 1)),
            ("X100002", "Bo Recent", d(2026, 11, 16)),
            ("X100003", "Cy Window", d(2026, 11, 20)),
        ];
        for (crn, name, day) in cases {
            let mut c = Case::new(crn.parse().unwrap(), name, day);
            c.noms = Some("A1234BC".parse().unwrap());
            store.upsert_case(&c, "test", day).unwrap();
        }
        let at = d(2026, 11, 16).and_hms_opt(9, 12, 0).unwrap();
        store
            .set_reported(&"X100002".parse().unwrap(), Some(at), "test", None)
            .unwrap();
        let keys = store.case_keys_before(d(2026, 11, 20)).unwrap();
        let crns: Vec<&str> = keys.iter().map(|k| k.crn.as_str()).collect();
        assert_eq!(
            crns,
            ["X100002", "X100001"],
            "the window's own case is left out"
        );
        assert_eq!(keys[0].reported_at, Some(at));
        assert_eq!(keys[0].name, "Bo Recent");
        assert_eq!(keys[1].noms.as_deref(), Some("A1234BC"));
        assert_eq!(keys[1].expected_day, d(2026, 10, 1));
    }
}
