//! Which cases changed since a planner last looked, read from the audit log: every write of a
//! case adds rows naming it, in the write's own transaction, and row ids only grow (until a
//! purge or a restore takes rows away: then the answer is "everything", or, where a purge's
//! own row took the id of a row it deleted, no cases at all, which the query layer reads as
//! "everything" since the change token moved).

use super::{Result, SqliteStore};
use crate::domain::case::Crn;
use crate::store::ChangeLog;

impl SqliteStore {
    /// The cases named by audit rows after `since` (an audit row id), at most `limit`; a row
    /// about no single case (a purge, a holiday file, an import's one "created" row for its
    /// new cases) or more cases than `limit` is "everything". The mark is the last row read.
    pub fn changes_since(&self, since: Option<u64>, limit: usize) -> Result<ChangeLog> {
        let last = || -> Result<u64> {
            let id: i64 =
                self.conn
                    .query_row("SELECT COALESCE(MAX(id), 0) FROM audit", [], |r| r.get(0))?;
            Ok(id.max(0) as u64)
        };
        let Some(since) = since else {
            return Ok(ChangeLog {
                mark: last()?,
                cases: Some(Vec::new()),
            });
        };
        let mut st = self
            .conn
            .prepare_cached("SELECT id, crn FROM audit WHERE id > ?1 ORDER BY id LIMIT ?2")?;
        // One row more than `limit` cases could take: a change to one field of each of them.
        let rows = i64::try_from(limit.saturating_add(1)).unwrap_or(i64::MAX);
        let since_id = i64::try_from(since).unwrap_or(i64::MAX);
        let mut rows = st.query([since_id, rows])?;
        let (mut mark, mut read, mut cases) = (since, 0usize, Vec::<Crn>::new());
        let mut everything = false;
        while let Some(row) = rows.next()? {
            read += 1;
            mark = row.get::<_, i64>(0)?.max(0) as u64;
            match row.get::<_, Option<String>>(1)?.map(|s| s.parse::<Crn>()) {
                Some(Ok(crn)) => {
                    if !cases.contains(&crn) {
                        cases.push(crn);
                    }
                }
                _ => everything = true,
            }
        }
        drop(rows);
        if read > limit || cases.len() > limit {
            everything = true;
        }
        if everything {
            return Ok(ChangeLog::everything(last()?));
        }
        if read == 0 {
            // Rows taken away under the mark (a restore, or a purge's rows renumbered): what
            // was read before can no longer be trusted.
            let now = last()?;
            if now < since {
                return Ok(ChangeLog::everything(now));
            }
        }
        Ok(ChangeLog {
            mark,
            cases: Some(cases),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::Case;
    use chrono::NaiveDate;

    fn case(n: u32) -> Case {
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        Case::new(format!("X{n:06}").parse().unwrap(), "Ann Example", day)
    }

    #[test]
    fn the_cases_written_since_a_mark_are_named_once_each() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        store.upsert_case(&case(1), "a", day).unwrap();
        let start = store.changes_since(None, 10).unwrap();
        assert_eq!(start.cases, Some(vec![]));
        let nothing = store.changes_since(Some(start.mark), 10).unwrap();
        assert_eq!(nothing, start, "nothing written: the same mark, no cases");

        store.upsert_case(&case(2), "a", day).unwrap();
        let mut edited = case(1);
        edited.notes = Some("meet at the gate".into());
        edited.officer = Some("Officer B".into());
        store.upsert_case(&edited, "b", day).unwrap();
        let log = store.changes_since(Some(start.mark), 10).unwrap();
        assert_eq!(log.cases, Some(vec![case(2).crn, case(1).crn]));
        assert!(log.mark > start.mark);
        assert_eq!(
            store.changes_since(Some(log.mark), 10).unwrap().cases,
            Some(vec![])
        );

        // More cases than the limit: everything, and the mark moves past them all.
        for n in 3..6 {
            store.upsert_case(&case(n), "a", day).unwrap();
        }
        let many = store.changes_since(Some(log.mark), 2).unwrap();
        assert_eq!(many.cases, None);
        assert_eq!(
            store.changes_since(Some(many.mark), 2).unwrap().cases,
            Some(vec![])
        );
    }

    #[test]
    fn a_change_about_no_single_case_is_everything() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        store.upsert_case(&case(1), "a", day).unwrap();
        store.upsert_case(&case(2), "a", day).unwrap();
        let start = store.changes_since(None, 10).unwrap();
        store.remove_all_cases("a").unwrap();
        assert_eq!(
            store.changes_since(Some(start.mark), 10).unwrap().cases,
            None
        );
        // A mark beyond the log (the database was replaced by an older copy): everything.
        let ahead = store.changes_since(Some(start.mark + 100), 10).unwrap();
        assert_eq!(ahead.cases, None);
    }
}
