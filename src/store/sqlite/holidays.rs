//! A gov.uk bank-holidays JSON file a user imported, kept verbatim so a newer list than the one
//! shipped in the binary survives restarts. The store does not parse it; the calendar does.

use super::audit::insert_audit;
use super::{now_utc, Result, SqliteStore};
use rusqlite::OptionalExtension;

/// Audit field for holiday-file changes.
const HOLIDAYS: &str = "holidays";

impl SqliteStore {
    /// The raw JSON of the imported holiday file, if one was imported.
    pub fn holiday_file(&self) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT json FROM holiday_files ORDER BY id DESC LIMIT 1")?
            .query_row([], |r| r.get(0))
            .optional()?)
    }

    /// Stores `json` in place of any earlier file, with an audit row (no CRN, field
    /// "holidays", old and new given as sizes).
    pub fn set_holiday_file(&self, json: &str, who: &str) -> Result<()> {
        let now = now_utc();
        let tx = self.write_tx_shared()?;
        let old = previous_size(&tx)?;
        tx.execute("DELETE FROM holiday_files", [])?;
        tx.execute(
            "INSERT INTO holiday_files (imported_at, json) VALUES (?1, ?2)",
            [&now, json],
        )?;
        let new = format!("{} bytes", json.len());
        insert_audit(&tx, &now, who, None, HOLIDAYS, old.as_deref(), Some(&new))?;
        tx.commit()?;
        Ok(())
    }

    /// Forgets the imported file, so the calendar shipped in the binary applies again.
    /// Returns whether there was one. Audited like `set_holiday_file`.
    pub fn clear_holiday_file(&self, who: &str) -> Result<bool> {
        let now = now_utc();
        let tx = self.write_tx_shared()?;
        let old = previous_size(&tx)?;
        if old.is_none() {
            return Ok(false);
        }
        tx.execute("DELETE FROM holiday_files", [])?;
        insert_audit(&tx, &now, who, None, HOLIDAYS, old.as_deref(), None)?;
        tx.commit()?;
        Ok(true)
    }
}

fn previous_size(conn: &rusqlite::Connection) -> Result<Option<String>> {
    let len: Option<i64> = conn
        .query_row(
            "SELECT length(CAST(json AS BLOB)) FROM holiday_files ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(len.map(|n| format!("{n} bytes")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_replaced_cleared_and_audited() {
        let store = SqliteStore::open_in_memory().unwrap();
        assert_eq!(store.holiday_file().unwrap(), None);
        store.set_holiday_file("{\"a\":1}", "ann").unwrap();
        store.set_holiday_file("{\"b\":22}", "bob").unwrap();
        assert_eq!(store.holiday_file().unwrap().as_deref(), Some("{\"b\":22}"));
        let log = store.audit_recent(10).unwrap();
        assert_eq!(log.len(), 2);
        assert_eq!(log[0].field, "holidays");
        assert_eq!(log[0].crn, None);
        assert_eq!(log[0].old.as_deref(), Some("7 bytes"));
        assert_eq!(log[0].new.as_deref(), Some("8 bytes"));
        assert!(store.clear_holiday_file("bob").unwrap());
        assert!(!store.clear_holiday_file("bob").unwrap());
        assert_eq!(store.holiday_file().unwrap(), None);
        assert_eq!(store.audit_recent(10).unwrap().len(), 3);
    }
}
