//! The audit log (written by the database's triggers and functions; read here), the settings
//! kept in `meta`, and the holiday file (changed through the schema's functions, which audit
//! themselves).

use super::columns::{opt_str, req_str, utc_text};
use super::failure::corrupt;
use super::PgStore;
use crate::domain::case::Crn;
use crate::store::{AuditEntry, Result};
use ::postgres::Row;
use std::sync::OnceLock;

/// Meta key: when the expected days were last worked out again (as the SQLite file keeps it).
pub(super) const EXPECTED_DAYS_AT: &str = "expected_days_redone_at";

fn select_audit() -> &'static str {
    static SQL: OnceLock<String> = OnceLock::new();
    SQL.get_or_init(|| {
        format!(
            "SELECT {}, who, crn, field, old, new, source FROM audit",
            utc_text("at")
        )
    })
}

pub(super) fn read_entry(row: &Row) -> Result<AuditEntry> {
    Ok(AuditEntry {
        at: req_str(row, 0, "audit.at")?.to_string(),
        who: req_str(row, 1, "audit.who")?.to_string(),
        crn: opt_str(row, 2, "audit.crn")?
            .map(|s| s.parse::<Crn>().map_err(|_| corrupt("audit.crn")))
            .transpose()?,
        field: req_str(row, 3, "audit.field")?.to_string(),
        old: opt_str(row, 4, "audit.old")?,
        new: opt_str(row, 5, "audit.new")?,
        source: opt_str(row, 6, "audit.source")?,
    })
}

impl PgStore {
    /// The audit trail of one case, newest first. A case an import created says so in the
    /// import's one "created" row (`cases.created_by`, migration 4), shown here as the case's
    /// own: the time, the person and the file.
    pub(super) fn audit_for(&self, crn: &Crn) -> Result<Vec<AuditEntry>> {
        static SQL: OnceLock<String> = OnceLock::new();
        let sql = SQL.get_or_init(|| {
            format!(
                "{}, id FROM audit WHERE crn = $1 \
                 UNION ALL \
                 SELECT {}, a.who, c.crn, a.field, NULL, NULL, a.source, a.id \
                 FROM cases c JOIN audit a ON a.id = c.created_by WHERE c.crn = $1 \
                 ORDER BY 8 DESC",
                select_audit().trim_end_matches(" FROM audit"),
                utc_text("a.at")
            )
        });
        self.with(|c| {
            c.query(sql.as_str(), &[&crn.as_str()])?
                .iter()
                .map(read_entry)
                .collect()
        })
    }

    pub(super) fn audit_recent(&self, limit: usize) -> Result<Vec<AuditEntry>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.with(|c| {
            let sql = format!("{} ORDER BY id DESC LIMIT $1", select_audit());
            c.query(&sql, &[&limit])?.iter().map(read_entry).collect()
        })
    }

    pub(super) fn last_change(&self) -> Result<Option<String>> {
        let audited = self.with(|c| {
            let sql = format!(
                "SELECT {} FROM audit ORDER BY id DESC LIMIT 1",
                utc_text("at")
            );
            Ok(c.query_opt(&sql, &[])?.map(|r| r.get::<_, String>(0)))
        })?;
        Ok(audited.max(self.meta_get(EXPECTED_DAYS_AT)?))
    }

    pub(super) fn meta_get(&self, key: &str) -> Result<Option<String>> {
        self.with(|c| {
            Ok(
                c.query_opt("SELECT value FROM meta WHERE key = $1", &[&key])?
                    .map(|r| r.get(0)),
            )
        })
    }

    pub(super) fn meta_set(&self, key: &str, value: &str) -> Result<()> {
        self.write(None, |tx| {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ($1, $2) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value \
                 WHERE meta.value IS DISTINCT FROM excluded.value",
                &[&key, &value],
            )?;
            Ok(())
        })
    }

    pub(super) fn holiday_file(&self) -> Result<Option<String>> {
        self.with(|c| {
            Ok(c.query_opt(
                "SELECT json FROM holiday_files ORDER BY id DESC LIMIT 1",
                &[],
            )?
            .map(|r| r.get(0)))
        })
    }

    pub(super) fn set_holiday_file(&self, json: &str) -> Result<()> {
        self.write(None, |tx| {
            tx.execute("SELECT public.releaseday_set_holiday_file($1)", &[&json])?;
            Ok(())
        })
    }

    pub(super) fn clear_holiday_file(&self) -> Result<bool> {
        self.write(None, |tx| {
            Ok(tx
                .query_one("SELECT public.releaseday_clear_holiday_file()", &[])?
                .get(0))
        })
    }
}
