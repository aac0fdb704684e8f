//! The SQLite file read whole and written whole (`store::Whole`): what a backup of the team
//! database writes, and what `db copy` moves between engines. Values are written as they are
//! (versions, marks, times, history), not as new writes: nothing is audited again.

use super::columns::{
    bind_case, insert_case, read_case, read_marks, select_marked_by_crn, time_text, MARKS_AT,
};
use super::maintenance::{exists, partial_beside, remove_with_sidecars};
use super::{paths, Result, SqliteStore, StoreError};
use crate::store::whole::{CopiedCase, Whole};
use crate::store::{AuditEntry, MaintenanceError};
use rusqlite::{params, Connection};
use std::path::Path;

impl SqliteStore {
    /// Everything in the file, in one read transaction.
    pub fn read_whole(&self) -> Result<Whole> {
        let tx = rusqlite::Transaction::new_unchecked(
            &self.conn,
            rusqlite::TransactionBehavior::Deferred,
        )?;
        let sql = select_marked_by_crn().replace(" WHERE crn = ?1", "");
        let mut st = tx.prepare(&format!(
            "{}, created_at FROM cases ORDER BY crn",
            sql.trim_end_matches(" FROM cases")
        ))?;
        let cases = st
            .query_and_then([], |row| {
                Ok(CopiedCase {
                    stored: read_case(row)?,
                    marks: read_marks(row, MARKS_AT)?,
                    created_at: row.get(MARKS_AT + 3)?,
                })
            })?
            .collect::<Result<Vec<_>>>()?;
        drop(st);
        // An import's one "created" row stands for each case that names it: one row per case.
        let mut st = tx.prepare(
            "SELECT at, who, crn, field, old, new, source, id FROM audit WHERE crn IS NOT NULL \
                 OR id NOT IN (SELECT created_by FROM cases WHERE created_by IS NOT NULL) \
             UNION ALL \
             SELECT a.at, a.who, c.crn, a.field, NULL, NULL, a.source, a.id \
             FROM cases c JOIN audit a ON a.id = c.created_by \
             ORDER BY 8, 3",
        )?;
        let audit = st
            .query_and_then([], |row| {
                Ok(AuditEntry {
                    at: row.get(0)?,
                    who: row.get(1)?,
                    crn: row
                        .get::<_, Option<String>>(2)?
                        .map(|s| {
                            s.parse().map_err(|_| StoreError::Corrupt {
                                column: "audit.crn",
                            })
                        })
                        .transpose()?,
                    field: row.get(3)?,
                    old: row.get(4)?,
                    new: row.get(5)?,
                    source: row.get(6)?,
                })
            })?
            .collect::<Result<Vec<_>>>()?;
        drop(st);
        let mut st = tx.prepare("SELECT key, value FROM meta ORDER BY key")?;
        let meta = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        drop(st);
        let holiday_file = self.holiday_file()?;
        Ok(Whole {
            cases,
            audit,
            meta,
            holiday_file,
        })
    }

    /// Writes `whole` into this file, which must hold no case, in one transaction.
    pub fn load_whole(&mut self, whole: &Whole) -> Result<()> {
        let tx = self.write_tx()?;
        load(&tx, whole)?;
        tx.commit()?;
        Ok(())
    }
}

fn load(conn: &Connection, whole: &Whole) -> Result<()> {
    let n: i64 = conn.query_row("SELECT count(*) FROM cases", [], |r| r.get(0))?;
    if n > 0 {
        return Err(StoreError::Refused(
            "the target database already holds cases; copy into an empty one".into(),
        ));
    }
    {
        let mut insert = conn.prepare(insert_case())?;
        let mut kept = conn.prepare(
            "UPDATE cases SET version = ?2, reported_at = ?3, created_at = ?4, updated_at = ?5 \
             WHERE crn = ?1",
        )?;
        for c in &whole.cases {
            let s = &c.stored;
            bind_case(
                &mut insert,
                &s.case,
                s.expected_day,
                &s.updated_at,
                &c.marks,
            )?;
            kept.execute(params![
                s.case.crn.as_str(),
                s.version,
                s.reported_at.map(time_text),
                c.created_at,
                s.updated_at
            ])?;
        }
        let mut audit = conn.prepare(
            "INSERT INTO audit (at, who, crn, field, old, new, source) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for a in &whole.audit {
            audit.execute(params![
                a.at,
                a.who,
                a.crn.as_ref().map(|c| c.as_str()),
                a.field,
                a.old,
                a.new,
                a.source
            ])?;
        }
        let mut meta = conn.prepare(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )?;
        for (k, v) in &whole.meta {
            meta.execute([k, v])?;
        }
    }
    let cases: i64 = conn.query_row("SELECT count(*) FROM cases", [], |r| r.get(0))?;
    let audit: i64 = conn.query_row(
        "SELECT count(*) FROM audit WHERE crn IS NOT NULL",
        [],
        |r| r.get(0),
    )?;
    if cases as usize != whole.cases.len() || audit as usize != whole.case_audit_rows() {
        return Err(StoreError::Refused(format!(
            "the copy's counts do not match ({cases} cases and {audit} case history rows written \
             of {} and {}), so nothing was copied",
            whole.cases.len(),
            whole.case_audit_rows()
        )));
    }
    if let Some(json) = &whole.holiday_file {
        conn.execute("DELETE FROM holiday_files", [])?;
        conn.execute(
            "INSERT INTO holiday_files (imported_at, json) VALUES (?1, ?2)",
            params![super::now_utc(), json],
        )?;
    }
    Ok(())
}

/// Writes `whole` as a new self-contained SQLite file at `dest` (owner-only), built beside it
/// and renamed into place; an existing file is replaced only with `overwrite`. Returns the
/// number of cases written.
pub fn write_file(
    whole: &Whole,
    dest: &Path,
    overwrite: bool,
) -> std::result::Result<usize, MaintenanceError> {
    if !overwrite && exists(dest) {
        return Err(MaintenanceError::Exists(dest.to_path_buf()));
    }
    let tmp = partial_beside(dest)?;
    remove_with_sidecars(&tmp);
    let written = (|| -> Result<()> {
        paths::prepare_db_file(&tmp)?;
        let mut store = SqliteStore::open_with(
            &tmp,
            super::OpenOptions {
                network: Some(false),
            },
        )?;
        store.load_whole(whole)?;
        let _mode: String =
            store
                .conn
                .pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get(0))?;
        Ok(())
    })();
    if let Err(e) = written {
        remove_with_sidecars(&tmp);
        return Err(e.into());
    }
    if !overwrite && exists(dest) {
        remove_with_sidecars(&tmp);
        return Err(MaintenanceError::Exists(dest.to_path_buf()));
    }
    if let Err(error) = std::fs::rename(&tmp, dest) {
        remove_with_sidecars(&tmp);
        return Err(MaintenanceError::Write {
            path: dest.to_path_buf(),
            error,
        });
    }
    Ok(whole.cases.len())
}
