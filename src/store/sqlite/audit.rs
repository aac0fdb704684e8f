//! The audit log: who changed what, when. One row per created case, per changed field, per
//! check-in and per holiday-file import. Rows are only ever added.

use super::{Result, SqliteStore, StoreError};
use crate::domain::case::Crn;
use crate::store::AuditEntry;
use rusqlite::{params, CachedStatement, Connection, Row};

/// Audit field for a newly created case (`old` and `new` are null), or for the new cases of one
/// import (`crn` null, `new` how many: each case names the row in `cases.created_by`).
pub(super) const CREATED: &str = "created";

const SELECT_AUDIT: &str = "SELECT at, who, crn, field, old, new, source FROM audit";

impl SqliteStore {
    /// The audit trail of one case, newest first. A case an import created says so in the
    /// import's one "created" row (`cases.created_by`, migration 5), shown here as the case's
    /// own: the time, the person and the file, as a row per case said before.
    pub fn audit_for(&self, crn: &Crn) -> Result<Vec<AuditEntry>> {
        let mut st = self.conn.prepare_cached(
            "SELECT at, who, crn, field, old, new, source, id FROM audit WHERE crn = ?1 \
             UNION ALL \
             SELECT a.at, a.who, c.crn, a.field, NULL, NULL, a.source, a.id \
             FROM cases c JOIN audit a ON a.id = c.created_by WHERE c.crn = ?1 \
             ORDER BY 8 DESC",
        )?;
        let rows = st.query_and_then([crn.as_str()], read_entry)?;
        rows.collect()
    }

    /// The latest `limit` audit rows of any kind, newest first.
    pub fn audit_recent(&self, limit: usize) -> Result<Vec<AuditEntry>> {
        let mut st = self
            .conn
            .prepare_cached(&format!("{SELECT_AUDIT} ORDER BY id DESC LIMIT ?1"))?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = st.query_and_then([limit], read_entry)?;
        rows.collect()
    }
}

const INSERT_AUDIT: &str = "INSERT INTO audit (at, who, crn, field, old, new, source) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

/// Audit rows for the writes of one transaction, all at one time by one person from one source,
/// through a statement prepared once with the time, person and source bound once (SQLite keeps a
/// binding from one run of a statement to the next): a re-import of 100,000 changed cases writes
/// a row per changed field. (A new case's "created" row is its import's one row: `new_cases`.)
pub(super) struct AuditWriter<'c> {
    st: CachedStatement<'c>,
}

impl<'c> AuditWriter<'c> {
    pub(super) fn new(
        conn: &'c Connection,
        at: &'c str,
        who: &'c str,
        source: Option<&'c str>,
    ) -> Result<Self> {
        let mut st = conn.prepare_cached(INSERT_AUDIT)?;
        st.raw_bind_parameter(1, at)?;
        st.raw_bind_parameter(2, who)?;
        st.raw_bind_parameter(7, source)?;
        Ok(AuditWriter { st })
    }

    pub(super) fn add(
        &mut self,
        crn: Option<&Crn>,
        field: &str,
        old: Option<&str>,
        new: Option<&str>,
    ) -> Result<()> {
        self.st.raw_bind_parameter(3, crn.map(Crn::as_str))?;
        self.st.raw_bind_parameter(4, field)?;
        self.st.raw_bind_parameter(5, old)?;
        self.st.raw_bind_parameter(6, new)?;
        self.st.raw_execute()?;
        Ok(())
    }
}

impl Drop for AuditWriter<'_> {
    /// The statement goes back to the connection's cache: it must not keep this writer's
    /// time, person and source for the next user, who binds every parameter anyway.
    fn drop(&mut self) {
        self.st.clear_bindings();
    }
}

pub(super) fn insert_audit(
    conn: &Connection,
    at: &str,
    who: &str,
    crn: Option<&Crn>,
    field: &str,
    old: Option<&str>,
    new: Option<&str>,
) -> Result<()> {
    conn.prepare_cached(INSERT_AUDIT)?.execute(params![
        at,
        who,
        crn.map(Crn::as_str),
        field,
        old,
        new,
        None::<&str>
    ])?;
    Ok(())
}

fn read_entry(row: &Row<'_>) -> Result<AuditEntry> {
    let text = |i: usize, column: &'static str| -> Result<Option<String>> {
        row.get::<_, Option<String>>(i)
            .map_err(|_| StoreError::Corrupt { column })
    };
    let required = |i: usize, column: &'static str| -> Result<String> {
        text(i, column)?.ok_or(StoreError::Corrupt { column })
    };
    let crn = text(2, "audit.crn")?
        .map(|s| {
            s.parse::<Crn>().map_err(|_| StoreError::Corrupt {
                column: "audit.crn",
            })
        })
        .transpose()?;
    Ok(AuditEntry {
        at: required(0, "audit.at")?,
        who: required(1, "audit.who")?,
        crn,
        field: required(3, "audit.field")?,
        old: text(4, "audit.old")?,
        new: text(5, "audit.new")?,
        source: text(6, "audit.source")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::Case;
    use chrono::NaiveDate;

    #[test]
    fn entries_are_newest_first_and_timestamped_utc() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
        let c = Case::new("X000001".parse().unwrap(), "Ann", day);
        store.upsert_case(&c, "alice", day).unwrap();
        let mut c2 = c.clone();
        c2.officer = Some("Officer B".into());
        store.upsert_case(&c2, "bob", day).unwrap();
        let log = store.audit_for(&c.crn).unwrap();
        assert_eq!(log.len(), 2);
        assert_eq!(
            (log[0].who.as_str(), log[0].field.as_str()),
            ("bob", "officer")
        );
        assert_eq!(
            (log[0].old.as_deref(), log[0].new.as_deref()),
            (None, Some("Officer B"))
        );
        assert_eq!(
            (log[1].who.as_str(), log[1].field.as_str()),
            ("alice", "created")
        );
        assert_eq!(log[1].crn.as_ref(), Some(&c.crn));
        assert!(chrono::DateTime::parse_from_rfc3339(&log[0].at).is_ok());
        assert!(log[0].at.ends_with('Z'), "{}", log[0].at);
        assert!(store
            .audit_for(&"X000002".parse().unwrap())
            .unwrap()
            .is_empty());
        assert_eq!(store.audit_recent(1).unwrap(), log[..1]);
    }
}
