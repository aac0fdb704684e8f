//! The SQLite file as a `CaseStore`: the trait's calls, each answered by the store's own
//! methods.

use crate::domain::case::{Case, Crn, FieldChange, Housing};
use crate::domain::marks::FieldMarks;
use crate::store::{
    AuditEntry, CaseKey, ImportPlan, ImportSummary, MaintenanceError, Purged, Restored, Result,
    SqliteStore, StoreError, StoredCase,
};
use crate::store::{CaseStore, Cases, ChangeLog, ChangeToken, EachCase, RowToPlan};
use chrono::{NaiveDate, NaiveDateTime};
use std::ops::ControlFlow;
use std::path::Path;

/// `each` as the store's streaming reads take it: a `Break` stops the read.
fn halting(each: EachCase<'_>) -> impl FnMut(StoredCase) -> std::result::Result<(), Halt> + '_ {
    move |s| match each(s) {
        ControlFlow::Continue(()) => Ok(()),
        ControlFlow::Break(()) => Err(Halt::Stopped),
    }
}

/// Why a streaming read ended early.
enum Halt {
    Stopped,
    Failed(StoreError),
}

impl From<StoreError> for Halt {
    fn from(e: StoreError) -> Self {
        Halt::Failed(e)
    }
}

fn finished(r: std::result::Result<(), Halt>) -> Result<()> {
    match r {
        Ok(()) | Err(Halt::Stopped) => Ok(()),
        Err(Halt::Failed(e)) => Err(e),
    }
}

impl CaseStore for SqliteStore {
    fn get(&self, crn: &Crn) -> Result<Option<StoredCase>> {
        SqliteStore::get(self, crn)
    }

    fn marks(&self, crn: &Crn) -> Result<Option<FieldMarks>> {
        SqliteStore::marks(self, crn)
    }

    fn case_count(&self) -> Result<usize> {
        SqliteStore::case_count(self)
    }

    fn count_expected_between(&self, from: NaiveDate, to: NaiveDate) -> Result<usize> {
        SqliteStore::count_expected_between(self, from, to)
    }

    fn nth_expected_day_from(&self, from: NaiveDate, n: usize) -> Result<Option<NaiveDate>> {
        SqliteStore::nth_expected_day_from(self, from, n)
    }

    fn expected_extent(&self) -> Result<Option<(NaiveDate, NaiveDate)>> {
        SqliteStore::expected_extent(self)
    }

    fn each_case(&self, which: Cases, each: EachCase<'_>) -> Result<()> {
        let each = halting(each);
        finished(match which {
            Cases::Between(from, to) => self.each_case_expected_between(from, to, each),
            Cases::From(from) => self.each_case_expected_between(from, NaiveDate::MAX, each),
            Cases::After(after) => self.each_case_expected_after_unordered(after, each),
            Cases::MayFlag {
                from,
                near_to,
                ap_to,
            } => self.each_case_that_may_flag(from, near_to, ap_to, each),
            Cases::All => SqliteStore::each_case(self, each),
        })
    }

    fn each_housing(&self, which: Cases, each: &mut dyn FnMut(NaiveDate, Housing)) -> Result<()> {
        match which {
            Cases::Between(from, to) => self.each_housing_between(from, to, each),
            Cases::After(after) => {
                for (day, housing) in self.housing_after(after)? {
                    each(day, housing);
                }
                Ok(())
            }
            other => CaseStore::each_case(self, other, &mut |s| {
                each(s.expected_day, s.case.housing());
                ControlFlow::Continue(())
            }),
        }
    }

    fn case_keys_before(&self, day: NaiveDate) -> Result<Vec<CaseKey>> {
        SqliteStore::case_keys_before(self, day)
    }

    fn plan_import(&self, rows: Vec<RowToPlan>, prefer_file: bool) -> Result<ImportPlan> {
        self.plan_import_owned(rows, prefer_file)
    }

    fn apply_import(
        &mut self,
        plan: &ImportPlan,
        who: &str,
        source: Option<&str>,
        expected_day: &dyn Fn(&Case) -> NaiveDate,
    ) -> Result<ImportSummary> {
        self.apply_import_from(plan, who, source, expected_day)
    }

    fn save_edit(
        &mut self,
        case: &Case,
        expected_version: i64,
        who: &str,
        expected_day: NaiveDate,
        restoring: bool,
    ) -> Result<(i64, Vec<FieldChange>)> {
        self.save_edit_with(case, expected_version, who, expected_day, restoring)
    }

    fn set_reported(
        &mut self,
        crn: &Crn,
        at: Option<NaiveDateTime>,
        who: &str,
        expected_version: Option<i64>,
    ) -> Result<i64> {
        SqliteStore::set_reported(self, crn, at, who, expected_version)
    }

    fn upsert_case(&mut self, case: &Case, who: &str, expected_day: NaiveDate) -> Result<()> {
        SqliteStore::upsert_case(self, case, who, expected_day)
    }

    fn insert_many(
        &mut self,
        cases: &[Case],
        who: &str,
        expected_day: &dyn Fn(&Case) -> NaiveDate,
    ) -> Result<usize> {
        SqliteStore::insert_many(self, cases, who, expected_day)
    }

    fn remove_all_cases(&mut self, who: &str) -> Result<usize> {
        SqliteStore::remove_all_cases(self, who)
    }

    fn recompute_expected(&mut self, expected_day: &dyn Fn(&Case) -> NaiveDate) -> Result<usize> {
        let n = SqliteStore::recompute_expected(self, expected_day)?;
        self.note_expected_days_redone()?;
        Ok(n)
    }

    fn audit_for(&self, crn: &Crn) -> Result<Vec<AuditEntry>> {
        SqliteStore::audit_for(self, crn)
    }

    fn audit_recent(&self, limit: usize) -> Result<Vec<AuditEntry>> {
        SqliteStore::audit_recent(self, limit)
    }

    fn last_change(&self) -> Result<Option<String>> {
        SqliteStore::last_change(self)
    }

    fn expected_days_redone_at(&self) -> Result<Option<String>> {
        SqliteStore::expected_days_redone_at(self)
    }

    fn meta_get(&self, key: &str) -> Result<Option<String>> {
        SqliteStore::meta_get(self, key)
    }

    fn meta_set(&mut self, key: &str, value: &str) -> Result<()> {
        SqliteStore::meta_set(self, key, value)
    }

    fn holiday_file(&self) -> Result<Option<String>> {
        SqliteStore::holiday_file(self)
    }

    fn set_holiday_file(&mut self, json: &str, who: &str) -> Result<()> {
        SqliteStore::set_holiday_file(self, json, who)
    }

    fn clear_holiday_file(&mut self, who: &str) -> Result<bool> {
        SqliteStore::clear_holiday_file(self, who)
    }

    fn change_token(&self) -> Result<ChangeToken> {
        Ok(ChangeToken::new(
            self.data_version()? as u64,
            self.conn.total_changes(),
        ))
    }

    fn changes_since(&self, since: Option<u64>, limit: usize) -> Result<ChangeLog> {
        SqliteStore::changes_since(self, since, limit)
    }

    fn open_reader(&self) -> Result<Option<Box<dyn CaseStore>>> {
        Ok(self.reader()?.map(|r| Box::new(r) as Box<dyn CaseStore>))
    }

    fn serve_screens(&mut self) -> Result<()> {
        self.defer_checkpoints()
    }

    fn idle(&mut self) -> Result<()> {
        self.checkpoint_if_written()
    }

    fn purge_before(&mut self, before: NaiveDate, who: &str, dry_run: bool) -> Result<Purged> {
        SqliteStore::purge_before(self, before, who, dry_run)
    }

    fn backup_to(
        &self,
        dest: &Path,
        overwrite: bool,
    ) -> std::result::Result<usize, MaintenanceError> {
        SqliteStore::backup_to(self, dest, overwrite)
    }

    fn restore_from(&mut self, src: &Path) -> std::result::Result<Restored, MaintenanceError> {
        SqliteStore::restore_from(self, src)
    }
}
