//! Purge (through the schema's function, which deletes only what the role sees and audits
//! itself), a backup as a SQLite file from one consistent snapshot, and the database read and
//! written whole for `db copy`.

use super::columns::{read_case, read_marks, select_marked, utc_text, MARKS_AT};
use super::history::read_entry;
use super::writes::insert_cases;
use super::PgStore;
use crate::store::whole::{CopiedCase, Whole};
use crate::store::{MaintenanceError, Purged, Result, StoreError};
use ::postgres::types::ToSql;
use ::postgres::IsolationLevel;
use chrono::NaiveDate;
use std::path::Path;

impl PgStore {
    pub(super) fn purge_before(&self, before: NaiveDate, dry_run: bool) -> Result<Purged> {
        let run = |tx: &mut ::postgres::Transaction<'_>| -> Result<Purged> {
            let row = tx.query_one(
                "SELECT cases, audit_rows FROM public.releaseday_purge($1::date, $2)",
                &[&before, &dry_run],
            )?;
            Ok(Purged {
                cases: row.get::<_, i64>(0) as usize,
                audit_rows: row.get::<_, i64>(1) as usize,
            })
        };
        if dry_run {
            self.with(|c| {
                let mut tx = c.transaction()?;
                let p = run(&mut tx)?;
                tx.rollback()?;
                Ok(p)
            })
        } else {
            self.write(Some("purge"), run)
        }
    }

    /// Everything the role sees, from one snapshot (`REPEATABLE READ`, read only).
    pub fn read_whole(&self) -> Result<Whole> {
        self.with(|c| {
            let mut tx = c
                .build_transaction()
                .isolation_level(IsolationLevel::RepeatableRead)
                .read_only(true)
                .start()?;
            // A whole national caseload takes longer to read than a screen's statement may.
            tx.batch_execute(
                "SET LOCAL statement_timeout = 600000; \
                 SET LOCAL idle_in_transaction_session_timeout = 600000",
            )?;
            let sql = format!(
                "SELECT {}, {} FROM cases ORDER BY crn",
                select_marked()
                    .trim_start_matches("SELECT ")
                    .trim_end_matches(" FROM cases"),
                utc_text("created_at")
            );
            let cases = tx
                .query(&sql, &[])?
                .iter()
                .map(|row| {
                    Ok(CopiedCase {
                        stored: read_case(row)?,
                        marks: read_marks(row, MARKS_AT)?,
                        created_at: row.get(MARKS_AT + 3),
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            // An import's one "created" row stands for each case that names it: one row per
            // case, as the SQLite file's copy has it.
            let sql = format!(
                "SELECT {}, who, crn, field, old, new, source, id FROM audit \
                 WHERE crn IS NOT NULL \
                    OR NOT EXISTS (SELECT 1 FROM cases c WHERE c.created_by = audit.id) \
                 UNION ALL \
                 SELECT {}, a.who, c.crn, a.field, NULL, NULL, a.source, a.id \
                 FROM cases c JOIN audit a ON a.id = c.created_by \
                 ORDER BY 8, 3",
                utc_text("at"),
                utc_text("a.at")
            );
            let audit = tx
                .query(&sql, &[])?
                .iter()
                .map(read_entry)
                .collect::<Result<Vec<_>>>()?;
            let meta = tx
                .query("SELECT key, value FROM meta ORDER BY key", &[])?
                .iter()
                .map(|r| (r.get(0), r.get(1)))
                .collect();
            let holiday_file = tx
                .query_opt(
                    "SELECT json FROM holiday_files ORDER BY id DESC LIMIT 1",
                    &[],
                )?
                .map(|r| r.get(0));
            tx.commit()?;
            Ok(Whole {
                cases,
                audit,
                meta,
                holiday_file,
            })
        })
    }

    /// A SQLite file of everything the role sees, from one snapshot.
    pub(super) fn backup_to(
        &self,
        dest: &Path,
        overwrite: bool,
    ) -> std::result::Result<usize, MaintenanceError> {
        let whole = self.read_whole()?;
        crate::store::sqlite::write_file(&whole, dest, overwrite)
    }

    /// Writes `whole` into this team database, which must hold no case, in one transaction,
    /// as its owner: the cases with their versions, marks and times, and their history as it
    /// was (the `created` trigger is switched off inside the transaction, so no new rows are
    /// added), then the audit numbering moved past the copied rows. Returns the counts written
    /// (cases, audit rows), checked against `whole` before the commit.
    pub fn load_whole(&self, whole: &Whole) -> Result<(usize, usize)> {
        self.write(Some("db copy"), |tx| {
            tx.batch_execute(
                "SET LOCAL statement_timeout = 600000; \
                 SET LOCAL idle_in_transaction_session_timeout = 600000; \
                 LOCK TABLE cases, audit IN EXCLUSIVE MODE; \
                 ALTER TABLE cases DISABLE TRIGGER releaseday_audit_created; \
                 ALTER TABLE cases DISABLE TRIGGER releaseday_audit_changed; \
                 ALTER TABLE cases DISABLE TRIGGER releaseday_versioned",
            )?;
            let held: i64 = tx.query_one("SELECT count(*) FROM cases", &[])?.get(0);
            if held > 0 {
                return Err(StoreError::Refused(
                    "the target database already holds cases; copy into an empty one".into(),
                ));
            }
            for c in &whole.cases {
                let s = &c.stored;
                insert_cases(tx, &[(&s.case, s.expected_day)], &c.marks)?;
                tx.execute(
                    "UPDATE cases SET version = $2, reported_at = $3, \
                     created_at = $4::text::timestamptz, updated_at = $5::text::timestamptz \
                     WHERE crn = $1",
                    &[
                        &s.case.crn.as_str(),
                        &s.version,
                        &s.reported_at,
                        &c.created_at,
                        &s.updated_at,
                    ],
                )?;
            }
            for a in &whole.audit {
                let crn = a.crn.as_ref().map(|c| c.as_str());
                let params: [&(dyn ToSql + Sync); 7] =
                    [&a.at, &a.who, &crn, &a.field, &a.old, &a.new, &a.source];
                tx.execute(
                    "INSERT INTO audit (at, who, crn, field, old, new, source) \
                     VALUES ($1::text::timestamptz, $2, $3, $4, $5, $6, $7)",
                    &params,
                )?;
            }
            for (k, v) in &whole.meta {
                tx.execute(
                    "INSERT INTO meta (key, value) VALUES ($1, $2) \
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    &[k, v],
                )?;
            }
            if let Some(json) = &whole.holiday_file {
                tx.execute("DELETE FROM holiday_files", &[])?;
                tx.execute("INSERT INTO holiday_files (json) VALUES ($1)", &[json])?;
            }
            tx.batch_execute(
                "ALTER TABLE cases ENABLE TRIGGER releaseday_audit_created; \
                 ALTER TABLE cases ENABLE TRIGGER releaseday_audit_changed; \
                 ALTER TABLE cases ENABLE TRIGGER releaseday_versioned; \
                 SELECT setval(pg_get_serial_sequence('audit', 'id'), \
                     coalesce((SELECT max(id) FROM audit), 0) + 1, false); \
                 SELECT setval(pg_get_serial_sequence('holiday_files', 'id'), \
                     coalesce((SELECT max(id) FROM holiday_files), 0) + 1, false)",
            )?;
            let cases: i64 = tx.query_one("SELECT count(*) FROM cases", &[])?.get(0);
            let audit: i64 = tx.query_one("SELECT count(*) FROM audit", &[])?.get(0);
            if cases as usize != whole.cases.len() || (audit as usize) < whole.audit.len() {
                return Err(StoreError::Refused(format!(
                    "the copy's counts do not match ({cases} cases and {audit} audit rows \
                     written of {} and {}), so nothing was copied",
                    whole.cases.len(),
                    whole.audit.len()
                )));
            }
            Ok((cases as usize, audit as usize))
        })
    }
}
