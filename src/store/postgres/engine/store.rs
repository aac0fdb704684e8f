//! The team database as a `CaseStore`: the trait's calls, each answered by the engine's own
//! methods. `who` arguments are not used: the database records the signed-in role.

use super::PgStore;
use crate::domain::case::{Case, Crn, FieldChange, Housing};
use crate::domain::marks::FieldMarks;
use crate::store::{
    AuditEntry, CaseKey, CaseStore, Cases, ChangeToken, EachCase, ImportPlan, ImportSummary,
    MaintenanceError, Purged, Restored, Result, RowToPlan, StoreError, StoredCase,
};
use chrono::{NaiveDate, NaiveDateTime};
use std::path::Path;

impl CaseStore for PgStore {
    fn get(&self, crn: &Crn) -> Result<Option<StoredCase>> {
        PgStore::get(self, crn)
    }

    fn marks(&self, crn: &Crn) -> Result<Option<FieldMarks>> {
        PgStore::marks(self, crn)
    }

    fn case_count(&self) -> Result<usize> {
        PgStore::case_count(self)
    }

    fn count_expected_between(&self, from: NaiveDate, to: NaiveDate) -> Result<usize> {
        PgStore::count_expected_between(self, from, to)
    }

    fn nth_expected_day_from(&self, from: NaiveDate, n: usize) -> Result<Option<NaiveDate>> {
        PgStore::nth_expected_day_from(self, from, n)
    }

    fn expected_extent(&self) -> Result<Option<(NaiveDate, NaiveDate)>> {
        PgStore::expected_extent(self)
    }

    fn each_case(&self, which: Cases, each: EachCase<'_>) -> Result<()> {
        PgStore::each_case(self, which, each)
    }

    fn each_housing(&self, which: Cases, each: &mut dyn FnMut(NaiveDate, Housing)) -> Result<()> {
        PgStore::each_housing(self, which, each)
    }

    fn case_keys_before(&self, day: NaiveDate) -> Result<Vec<CaseKey>> {
        PgStore::case_keys_before(self, day)
    }

    fn plan_import(&self, rows: Vec<RowToPlan>, prefer_file: bool) -> Result<ImportPlan> {
        PgStore::plan_import(self, rows, prefer_file)
    }

    fn apply_import(
        &mut self,
        plan: &ImportPlan,
        _who: &str,
        source: Option<&str>,
        expected_day: &dyn Fn(&Case) -> NaiveDate,
    ) -> Result<ImportSummary> {
        PgStore::apply_import(self, plan, source, expected_day)
    }

    fn save_edit(
        &mut self,
        case: &Case,
        expected_version: i64,
        _who: &str,
        expected_day: NaiveDate,
        restoring: bool,
    ) -> Result<(i64, Vec<FieldChange>)> {
        PgStore::save_edit(self, case, expected_version, expected_day, restoring)
    }

    fn set_reported(
        &mut self,
        crn: &Crn,
        at: Option<NaiveDateTime>,
        _who: &str,
        expected_version: Option<i64>,
    ) -> Result<i64> {
        PgStore::set_reported(self, crn, at, expected_version)
    }

    fn upsert_case(&mut self, case: &Case, _who: &str, expected_day: NaiveDate) -> Result<()> {
        PgStore::upsert_case(self, case, expected_day)
    }

    fn insert_many(
        &mut self,
        cases: &[Case],
        _who: &str,
        expected_day: &dyn Fn(&Case) -> NaiveDate,
    ) -> Result<usize> {
        PgStore::insert_many(self, cases, expected_day)
    }

    fn remove_all_cases(&mut self, _who: &str) -> Result<usize> {
        Err(StoreError::Refused(
            "a team database's cases are never cleared wholesale: officers remove released \
             cases with purge"
                .into(),
        ))
    }

    fn recompute_expected(&mut self, expected_day: &dyn Fn(&Case) -> NaiveDate) -> Result<usize> {
        let n = PgStore::recompute_expected(self, expected_day)?;
        self.meta_set(super::history::EXPECTED_DAYS_AT, &crate::store::now_utc())?;
        Ok(n)
    }

    fn expected_scope(&self) -> Option<String> {
        Some(format!("{} ({})", self.role, self.scope))
    }

    fn audit_for(&self, crn: &Crn) -> Result<Vec<AuditEntry>> {
        PgStore::audit_for(self, crn)
    }

    fn audit_recent(&self, limit: usize) -> Result<Vec<AuditEntry>> {
        PgStore::audit_recent(self, limit)
    }

    fn last_change(&self) -> Result<Option<String>> {
        PgStore::last_change(self)
    }

    fn expected_days_redone_at(&self) -> Result<Option<String>> {
        PgStore::meta_get(self, super::history::EXPECTED_DAYS_AT)
    }

    fn meta_get(&self, key: &str) -> Result<Option<String>> {
        PgStore::meta_get(self, key)
    }

    fn meta_set(&mut self, key: &str, value: &str) -> Result<()> {
        PgStore::meta_set(self, key, value)
    }

    fn holiday_file(&self) -> Result<Option<String>> {
        PgStore::holiday_file(self)
    }

    fn set_holiday_file(&mut self, json: &str, _who: &str) -> Result<()> {
        PgStore::set_holiday_file(self, json)
    }

    fn clear_holiday_file(&mut self, _who: &str) -> Result<bool> {
        PgStore::clear_holiday_file(self)
    }

    fn change_token(&self) -> Result<ChangeToken> {
        // Answered from memory, never the network: the screens ask four times a second.
        if self.listener.as_ref().is_some_and(|l| !l.is_up()) {
            return Err(StoreError::Unavailable(
                "the connection for change notification was lost; reconnecting".into(),
            ));
        }
        let others = self.listener.as_ref().map_or(0, |l| l.count());
        Ok(ChangeToken::new(others, self.own.get()))
    }

    fn open_reader(&self) -> Result<Option<Box<dyn CaseStore>>> {
        Ok(Some(Box::new(PgStore::connect_only(&self.spec)?)))
    }

    fn purge_before(&mut self, before: NaiveDate, _who: &str, dry_run: bool) -> Result<Purged> {
        PgStore::purge_before(self, before, dry_run)
    }

    fn backup_to(
        &self,
        dest: &Path,
        overwrite: bool,
    ) -> std::result::Result<usize, MaintenanceError> {
        PgStore::backup_to(self, dest, overwrite)
    }

    fn restore_from(&mut self, _src: &Path) -> std::result::Result<Restored, MaintenanceError> {
        Err(MaintenanceError::Store(StoreError::Refused(
            "a team database is not restored over from a backup file: its owner restores the \
             server's own backups, or copies a file into an empty team database with db copy"
                .into(),
        )))
    }
}
