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
use ::postgres::types::{IsNull, ToSql, Type};
use ::postgres::{GenericClient, IsolationLevel, Transaction};
use bytes::BytesMut;
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

/// `COPY`'s binary format: its signature, flags and header extension, then rows, then -1.
const BINARY_HEADER: &[u8] = b"PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0";
const BINARY_TRAILER: &[u8] = &(-1i16).to_be_bytes();

/// Staging rows in `COPY`'s binary format, each value sent as the server keeps it (a day as its
/// number, a count as its bytes): the server parses no text, a third less time than the text
/// format at 100,000 rows. `types`: the staging table's columns but `op`, in order.
struct Staged {
    data: BytesMut,
    types: Vec<Type>,
}

impl Staged {
    /// Room for about `rows` rows (a row of the demo's export takes about 250 bytes).
    fn new(types: Vec<Type>, rows: usize) -> Staged {
        let mut data = BytesMut::with_capacity(BINARY_HEADER.len() + rows * 256);
        data.extend_from_slice(BINARY_HEADER);
        Staged { data, types }
    }

    /// One staging row: its op, the held version and marks (for `u` and `m`), and its written
    /// values (a marks-only row has only the CRN and the marks).
    fn row(
        &mut self,
        op: u8,
        held: Option<(i64, &FieldMarks)>,
        case: std::result::Result<(&Case, NaiveDate), &Crn>,
        marks: &FieldMarks,
    ) -> Result<()> {
        let columns = i16::try_from(self.types.len() + 1).map_err(engine_error)?;
        self.data.extend_from_slice(&columns.to_be_bytes());
        self.data.extend_from_slice(&1i32.to_be_bytes());
        self.data.extend_from_slice(&[op]);
        let held_base = held.and_then(|(_, m)| base_text(m));
        let held_cells = match held {
            None => [PgCell::Null; 3],
            Some((v, m)) => [
                PgCell::Int(v),
                PgCell::Int(m.imported as i64),
                PgCell::Int(m.planner as i64),
            ],
        };
        let base = base_text(marks);
        let values = (0..=COLUMNS.len()).map(|i| match case {
            Ok((c, _)) if i < COLUMNS.len() => field(c, i),
            Ok((_, day)) => PgCell::Date(day),
            Err(crn) if i == 0 => PgCell::Text(crn.as_str()),
            Err(_) => PgCell::Null,
        });
        let cells = held_cells
            .into_iter()
            .chain([held_base.as_deref().map_or(PgCell::Null, PgCell::Text)])
            .chain(values)
            .chain([
                PgCell::Int(marks.imported as i64),
                PgCell::Int(marks.planner as i64),
                base.as_deref().map_or(PgCell::Null, PgCell::Text),
            ]);
        let mut n = 0;
        for (v, ty) in cells.zip(&self.types) {
            value(&mut self.data, v, ty)?;
            n += 1;
        }
        debug_assert_eq!(n, self.types.len());
        Ok(())
    }

    fn finish(mut self) -> BytesMut {
        self.data.extend_from_slice(BINARY_TRAILER);
        self.data
    }
}

/// One value in `COPY`'s binary format: its length (-1: NULL), then its bytes.
fn value(data: &mut BytesMut, v: PgCell<'_>, ty: &Type) -> Result<()> {
    let at = data.len();
    data.extend_from_slice(&0i32.to_be_bytes());
    let len = match v.to_sql(ty, data).map_err(engine_error)? {
        IsNull::Yes => -1,
        IsNull::No => i32::try_from(data.len() - at - 4).map_err(engine_error)?,
    };
    data[at..at + 4].copy_from_slice(&len.to_be_bytes());
    Ok(())
}

fn engine_error(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> StoreError {
    StoreError::Engine(crate::store::EngineError::new(std::io::Error::other(e)))
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
            // `= ANY`, not a join to `unnest($1)`: the planner weighs the CRNs one by one
            // (30-80 ms at 100,000), but then reads a caseload that holds them all in one pass
            // with a hashed lookup (60 ms in all), where the join took 250-360 ms. A role that
            // sees no case yet (a first import) has nothing to look up.
            let mut held: HashMap<String, (StoredCase, FieldMarks)> = HashMap::new();
            if tx
                .query_one("SELECT EXISTS (SELECT 1 FROM cases)", &[])?
                .get(0)
            {
                let sql = format!("{} WHERE crn = ANY($1)", super::columns::select_marked());
                for row in tx.query(&sql, &[&crns])? {
                    let stored = super::columns::read_case(&row)?;
                    let marks = super::columns::read_marks(&row, super::columns::MARKS_AT)?;
                    held.insert(stored.case.crn.to_string(), (stored, marks));
                }
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
        // What each row does; the rows themselves are staged inside the transaction, in the
        // column types the server reports (a retry after a lost connection stages them again).
        let mut summary = ImportSummary::default();
        let mut marked = 0;
        for row in &plan.rows {
            match row {
                PlannedRow::New { .. } => summary.new += 1,
                PlannedRow::Updated { .. } => summary.updated += 1,
                PlannedRow::Unchanged { marks, .. } => {
                    marked += usize::from(marks.is_some());
                    summary.unchanged += 1;
                }
            }
        }
        if summary.new + summary.updated + marked == 0 {
            return Ok(summary);
        }
        // New cases staged in list order (expected day, name, CRN), so the insert below adds
        // them in the day index's order without sorting them at the server: that index grows
        // at its end, and the table's rows lie as lists read them. (Only speed hangs on it.)
        let mut new: Vec<(NaiveDate, &Case, u64)> = plan
            .rows
            .iter()
            .filter_map(|row| match row {
                PlannedRow::New { case, imported } => Some((expected_day(case), case, *imported)),
                _ => None,
            })
            .collect();
        new.sort_unstable_by(|a, b| (a.0, &a.1.name, &a.1.crn).cmp(&(b.0, &b.1.name, &b.1.crn)));
        // The plan keeps only each updated case's changes (issue 11 part 4): they are applied
        // to the cases as stored now, read in one query. A case whose version moved since the
        // plan is refused here, and again by the staging merge's version check.
        let updated: Vec<&str> = plan
            .rows
            .iter()
            .filter_map(|r| match r {
                PlannedRow::Updated { crn, .. } => Some(crn.as_str()),
                _ => None,
            })
            .collect();
        let mut stored_now: HashMap<String, StoredCase> = HashMap::new();
        if !updated.is_empty() {
            stored_now = self.with(|c| {
                let sql = format!("{} WHERE crn = ANY($1)", super::columns::select_marked());
                let mut found = HashMap::new();
                for row in c.query(&sql, &[&updated])? {
                    let stored = super::columns::read_case(&row)?;
                    found.insert(stored.case.crn.to_string(), stored);
                }
                Ok(found)
            })?;
        }
        drop(updated);
        let mut afters = Vec::with_capacity(summary.updated);
        for row in &plan.rows {
            if let PlannedRow::Updated {
                crn,
                changes,
                marks,
            } = row
            {
                let stored = match stored_now.remove(crn.as_str()) {
                    Some(stored) if stored.version == marks.version => stored,
                    _ => return Err(StoreError::Conflict),
                };
                let after = plan::updated_case(stored.case, changes)?;
                let day = expected_day(&after);
                afters.push((after, day, marks));
            }
        }
        drop(stored_now);
        let columns: Vec<&str> = written_columns().collect();
        self.write(source, |tx| {
            IMPORT_TIMEOUTS.apply_local(tx)?;
            // Room for the merge's joins of 100,000 staged rows with the cases held.
            tx.batch_execute("SET LOCAL work_mem = '64MB'")?;
            tx.batch_execute(&format!(
                "CREATE TEMPORARY TABLE releaseday_staging ON COMMIT DROP AS \
                 SELECT NULL::\"char\" AS op, 0::bigint AS held_version, \
                 0::bigint AS held_imported, 0::bigint AS held_planner, NULL::text AS held_base, \
                 {} FROM public.cases WITH NO DATA",
                columns.join(", ")
            ))?;
            let types = tx
                .prepare(&format!(
                    "SELECT held_version, held_imported, held_planner, held_base, {} \
                     FROM {STAGING}",
                    columns.join(", ")
                ))?
                .columns()
                .iter()
                .map(|c| c.type_().clone())
                .collect();
            let mut staged = Staged::new(types, plan.rows.len());
            for &(day, case, imported) in &new {
                let marks = FieldMarks::imported(imported);
                staged.row(b'n', None, Ok((case, day)), &marks)?;
            }
            for (after, day, marks) in &afters {
                let held = Some((marks.version, &marks.before));
                staged.row(b'u', held, Ok((after, *day)), &marks.after)?;
            }
            for row in &plan.rows {
                if let PlannedRow::Unchanged {
                    crn,
                    marks: Some(marks),
                } = row
                {
                    let held = Some((marks.version, &marks.before));
                    staged.row(b'm', held, Err(crn), &marks.after)?;
                }
            }
            let data = staged.finish();
            let mut writer = tx.copy_in(&format!(
                "COPY {STAGING} (op, held_version, held_imported, held_planner, held_base, {}) \
                 FROM STDIN (FORMAT binary)",
                columns.join(", ")
            ))?;
            writer.write_all(&data).map_err(engine_error)?;
            drop(data);
            writer.finish()?;
            if summary.new > 0 {
                // One "created" row for the import's new cases, each naming it (migration 4).
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

/// The staged new cases inserted in the order staged (list order), each naming the import's "created" row ($1).
fn new_cases(columns: &[&str]) -> String {
    format!(
        "INSERT INTO public.cases ({0}, created_by) SELECT {0}, $1::bigint FROM {STAGING} \
         WHERE op = 'n'",
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
    fn binary_copy_sends_each_value_as_the_server_keeps_it() {
        let mut data = BytesMut::new();
        value(&mut data, PgCell::Null, &Type::TEXT).unwrap();
        value(&mut data, PgCell::Text("a\tb"), &Type::TEXT).unwrap();
        value(&mut data, PgCell::Int(-3), &Type::INT2).unwrap();
        value(&mut data, PgCell::Int(5), &Type::INT8).unwrap();
        value(&mut data, PgCell::Bool(true), &Type::BOOL).unwrap();
        let day = NaiveDate::from_ymd_opt(2000, 1, 3).unwrap();
        value(&mut data, PgCell::Date(day), &Type::DATE).unwrap();
        let want: Vec<u8> = [
            &(-1i32).to_be_bytes()[..],
            &3i32.to_be_bytes(),
            b"a\tb",
            &2i32.to_be_bytes(),
            &(-3i16).to_be_bytes(),
            &8i32.to_be_bytes(),
            &5i64.to_be_bytes(),
            &1i32.to_be_bytes(),
            &[1],
            &4i32.to_be_bytes(),
            &2i32.to_be_bytes(),
        ]
        .concat();
        assert_eq!(&data[..], &want[..]);
        let end = Staged::new(vec![], 0).finish();
        assert_eq!(&end[..11], b"PGCOPY\n\xff\r\n\0");
        assert_eq!(end.len(), 19 + 2);
        assert_eq!(lines_text(&[4]), "line 4");
        assert_eq!(lines_text(&[4, 9, 12]), "lines 4, 9 and 12");
    }
}
