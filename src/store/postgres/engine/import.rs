//! An import at team scale: planned in one snapshot (the held cases looked up in one query) and
//! written in one transaction through `COPY` into a temporary staging table, then merged into
//! `cases` by three statements: the new cases inserted in list order, the changed ones
//! rewritten and the marks-only ones marked, each checked against the version and marks the
//! plan read (DOMAIN.md §5). Forced row-level security refuses `COPY` into `cases` itself.
//!
//! A row for a team the role may not change would abort the whole transaction at the server;
//! the plan refuses it first, naming its line, so nothing is written and the officer knows why.

use super::columns::{field, written_columns, PgCell};
use super::PgStore;
use crate::domain::case::{Case, Crn, COLUMNS};
use crate::domain::marks::FieldMarks;
use crate::store::marks::base_text;
use crate::store::plan::{self, ImportPlan, ImportSummary, PlannedRow};
use crate::store::postgres::SessionTimeouts;
use crate::store::{Result, RowToPlan, StoreError, StoredCase};
use ::postgres::{GenericClient, IsolationLevel, Transaction};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::io::Write;
use std::time::Duration;

/// The staging table: what each row does (`n` new, `u` updated, `m` marks only), the version and
/// marks the plan read, then the columns written.
const STAGING: &str = "pg_temp.releaseday_staging";

/// An import may take longer than a screen's statement: its own transaction's timeouts.
const IMPORT_TIMEOUTS: SessionTimeouts = SessionTimeouts {
    statement: Duration::from_secs(600),
    lock: Duration::from_secs(30),
    idle_in_transaction: Duration::from_secs(600),
};

/// What the signed-in role may see and change.
struct Scope {
    every: bool,
    no_team: bool,
    /// Lower-cased (ASCII), as the policies compare them.
    teams: Vec<String>,
}

impl Scope {
    fn read(client: &mut impl GenericClient) -> Result<Scope> {
        let row = client.query_one(
            "SELECT public.releaseday_sees_every_team(), public.releaseday_sees_no_team(), \
             public.releaseday_teams()",
            &[],
        )?;
        Ok(Scope {
            every: row.get(0),
            no_team: row.get(1),
            teams: row.get(2),
        })
    }

    fn allows(&self, team: Option<&str>) -> bool {
        self.every
            || match team {
                None => self.no_team,
                Some(t) => self.teams.contains(&t.to_ascii_lowercase()),
            }
    }
}

/// "line 4" or "lines 4, 9 and 12".
fn lines_text(lines: &[usize]) -> String {
    let list: Vec<String> = lines.iter().map(usize::to_string).collect();
    match list.as_slice() {
        [one] => format!("line {one}"),
        [init @ .., last] => format!("lines {} and {last}", init.join(", ")),
        [] => String::new(),
    }
}

/// One value in `COPY`'s text format.
fn copy_value(out: &mut Vec<u8>, v: PgCell<'_>) {
    use std::fmt::Write as _;
    match v {
        PgCell::Null => out.extend_from_slice(b"\\N"),
        PgCell::Text(s) => {
            for b in s.bytes() {
                match b {
                    b'\\' => out.extend_from_slice(b"\\\\"),
                    b'\t' => out.extend_from_slice(b"\\t"),
                    b'\n' => out.extend_from_slice(b"\\n"),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    _ => out.push(b),
                }
            }
        }
        PgCell::Date(d) => {
            let mut s = String::new();
            let _ = write!(s, "{}", d.format("%Y-%m-%d"));
            out.extend_from_slice(s.as_bytes());
        }
        PgCell::Int(n) => out.extend_from_slice(n.to_string().as_bytes()),
        PgCell::Bool(b) => out.push(if b { b't' } else { b'f' }),
    }
}

/// One staging row: its op, the held version and marks (for `u` and `m`), and its written
/// values (a marks-only row has only the CRN and the marks).
fn stage(
    out: &mut Vec<u8>,
    op: u8,
    held: Option<(i64, &FieldMarks)>,
    case: std::result::Result<(&Case, NaiveDate), &Crn>,
    marks: &FieldMarks,
) {
    out.push(op);
    let held_base = held.and_then(|(_, m)| base_text(m));
    let held_cells = match held {
        None => [PgCell::Null; 3],
        Some((v, m)) => [
            PgCell::Int(v),
            PgCell::Int(m.imported as i64),
            PgCell::Int(m.planner as i64),
        ],
    };
    for v in held_cells
        .into_iter()
        .chain([held_base.as_deref().map_or(PgCell::Null, PgCell::Text)])
    {
        out.push(b'\t');
        copy_value(out, v);
    }
    let base = base_text(marks);
    let values: Vec<PgCell<'_>> = match case {
        Ok((c, day)) => (0..COLUMNS.len())
            .map(|i| field(c, i))
            .chain([PgCell::Date(day)])
            .collect(),
        Err(crn) => std::iter::once(PgCell::Text(crn.as_str()))
            .chain(std::iter::repeat_n(PgCell::Null, COLUMNS.len()))
            .collect(),
    };
    for v in values.into_iter().chain([
        PgCell::Int(marks.imported as i64),
        PgCell::Int(marks.planner as i64),
        base.as_deref().map_or(PgCell::Null, PgCell::Text),
    ]) {
        out.push(b'\t');
        copy_value(out, v);
    }
    out.push(b'\n');
}

/// `s.col` for each written column but the CRN, as `col = s.col`.
fn set_from_staging(columns: impl Iterator<Item = &'static str>) -> String {
    columns
        .map(|c| format!("{c} = s.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl PgStore {
    pub(super) fn plan_import(
        &self,
        rows: Vec<RowToPlan>,
        prefer_file: bool,
    ) -> Result<ImportPlan> {
        let crns: Vec<&str> = rows.iter().map(|(_, crn, _)| crn.as_str()).collect();
        let (scope, mut held) = self.with(|c| {
            let mut tx = c
                .build_transaction()
                .isolation_level(IsolationLevel::RepeatableRead)
                .read_only(true)
                .start()?;
            let scope = Scope::read(&mut tx)?;
            // Not `crn = ANY($1)`: the planner estimates that one CRN at a time, 80 ms for
            // 100,000 before the query starts.
            let sql = format!(
                "{} WHERE crn IN (SELECT unnest($1::text[]))",
                super::columns::select_marked()
            );
            let mut held: HashMap<String, (StoredCase, FieldMarks)> = HashMap::new();
            for row in tx.query(&sql, &[&crns])? {
                let stored = super::columns::read_case(&row)?;
                let marks = super::columns::read_marks(&row, super::columns::MARKS_AT)?;
                held.insert(stored.case.crn.to_string(), (stored, marks));
            }
            tx.commit()?;
            Ok((scope, held))
        })?;
        drop(crns);
        // Rows for teams the role may not change: refused now, by line.
        let refused: Vec<usize> = rows
            .iter()
            .filter(|(_, crn, patch)| {
                let team = match (&patch.team, held.get(crn.as_str())) {
                    (Some(t), _) => Some(t.as_str()),
                    (None, Some((s, _))) => s.case.team.as_deref(),
                    (None, None) => None,
                };
                !scope.allows(team)
            })
            .map(|(line, _, _)| *line)
            .collect();
        if !refused.is_empty() {
            return Err(StoreError::Refused(format!(
                "{}: the case's team is not one your role may change on this team database \
                 (its owner grants teams with db grant), so nothing was imported",
                lines_text(&refused)
            )));
        }
        plan::plan(rows, prefer_file, |crn| Ok(held.remove(crn.as_str())))
    }

    pub(super) fn apply_import(
        &self,
        plan: &ImportPlan,
        source: Option<&str>,
        expected_day: &dyn Fn(&Case) -> NaiveDate,
    ) -> Result<ImportSummary> {
        if let Some(unheld) = plan.unheld.first() {
            return Err(StoreError::MissingField {
                field: unheld.missing[0],
            });
        }
        // The staging rows, made once (a retry after a lost connection sends them again).
        let mut data = Vec::new();
        let mut summary = ImportSummary::default();
        let mut marked = 0;
        for row in &plan.rows {
            match row {
                PlannedRow::New { case, imported } => {
                    let marks = FieldMarks::imported(*imported);
                    stage(
                        &mut data,
                        b'n',
                        None,
                        Ok((case, expected_day(case))),
                        &marks,
                    );
                    summary.new += 1;
                }
                PlannedRow::Updated {
                    before: _,
                    after,
                    marks,
                    ..
                } => {
                    let held = Some((marks.version, &marks.before));
                    let day = expected_day(after);
                    stage(&mut data, b'u', held, Ok((after, day)), &marks.after);
                    summary.updated += 1;
                }
                PlannedRow::Unchanged { crn, marks } => {
                    if let Some(marks) = marks {
                        let held = Some((marks.version, &marks.before));
                        stage(&mut data, b'm', held, Err(crn), &marks.after);
                        marked += 1;
                    }
                    summary.unchanged += 1;
                }
            }
        }
        if summary.new + summary.updated + marked == 0 {
            return Ok(summary);
        }
        let columns: Vec<&str> = written_columns().collect();
        self.write(source, |tx| {
            IMPORT_TIMEOUTS.apply_local(tx)?;
            // Room to sort 100,000 new cases into list order in memory (4 MB spilled to disk).
            tx.batch_execute("SET LOCAL work_mem = '64MB'")?;
            tx.batch_execute(&format!(
                "CREATE TEMPORARY TABLE releaseday_staging ON COMMIT DROP AS \
                 SELECT NULL::\"char\" AS op, 0::bigint AS held_version, \
                 0::bigint AS held_imported, 0::bigint AS held_planner, NULL::text AS held_base, \
                 {} FROM public.cases WITH NO DATA",
                columns.join(", ")
            ))?;
            let mut writer = tx.copy_in(&format!(
                "COPY {STAGING} (op, held_version, held_imported, held_planner, held_base, {}) \
                 FROM STDIN",
                columns.join(", ")
            ))?;
            writer
                .write_all(&data)
                .map_err(|e| StoreError::Engine(crate::store::EngineError::new(e)))?;
            writer.finish()?;
            if summary.new > 0 {
                // One "created" row for the import's new cases, each naming it (migration 3).
                let row = tx.query_one("SELECT public.releaseday_import_created()", &[])?;
                let created_by: i64 = row.get(0);
                let n = tx.execute(&new_cases(&columns), &[&created_by])?;
                if n as usize != summary.new {
                    return Err(StoreError::Conflict);
                }
            }
            let held = "c.crn = s.crn AND c.version = s.held_version \
                 AND c.imported_mask = s.held_imported AND c.planner_mask = s.held_planner \
                 AND c.planner_base IS NOT DISTINCT FROM s.held_base";
            check(
                tx,
                &format!(
                    "UPDATE public.cases c SET {} FROM {STAGING} s WHERE s.op = 'u' AND {held}",
                    set_from_staging(columns.iter().copied().skip(1))
                ),
                summary.updated,
            )?;
            check(
                tx,
                &format!(
                    "UPDATE public.cases c SET {} FROM {STAGING} s WHERE s.op = 'm' AND {held}",
                    set_from_staging(["imported_mask", "planner_mask", "planner_base"].into_iter())
                ),
                marked,
            )?;
            Ok(())
        })?;
        Ok(summary)
    }
}

/// The staged new cases inserted in list order, each naming the import's "created" row ($1).
fn new_cases(columns: &[&str]) -> String {
    format!(
        "INSERT INTO public.cases ({0}, created_by) SELECT {0}, $1::bigint FROM {STAGING} \
         WHERE op = 'n' ORDER BY expected_day, name, crn",
        columns.join(", ")
    )
}

/// Runs `sql`, which must touch `want` rows: fewer means a case changed (or was added) since the
/// plan was made, and the whole import is refused.
fn check(tx: &mut Transaction<'_>, sql: &str, want: usize) -> Result<()> {
    if want == 0 {
        return Ok(());
    }
    let n = tx.execute(sql, &[])?;
    if n as usize != want {
        return Err(StoreError::Conflict);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_text_escapes_what_copy_reads_as_syntax() {
        let mut out = Vec::new();
        copy_value(&mut out, PgCell::Text("a\tb\\c\nd\re"));
        assert_eq!(out, b"a\\tb\\\\c\\nd\\re");
        out.clear();
        copy_value(&mut out, PgCell::Null);
        copy_value(&mut out, PgCell::Bool(true));
        copy_value(&mut out, PgCell::Int(-3));
        copy_value(
            &mut out,
            PgCell::Date(NaiveDate::from_ymd_opt(2026, 1, 2).unwrap()),
        );
        assert_eq!(out, b"\\Nt-32026-01-02");
        assert_eq!(lines_text(&[4]), "line 4");
        assert_eq!(lines_text(&[4, 9, 12]), "lines 4, 9 and 12");
    }
}
