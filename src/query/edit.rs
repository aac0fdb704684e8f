//! An officer's change to one case — an edit or a check-in — as the screens and
//! `releaseday edit` / `checkin` both make it: the same parsing, sent-date filling,
//! plausibility checks, version check and audit, in one transaction.

use super::{CaseView, Planner};
use crate::domain::case::{Crn, FieldChange};
use crate::domain::fields::{self, Field};
use crate::store::StoreError;
use chrono::{NaiveDate, NaiveDateTime};

/// How an edit is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EditOptions {
    /// The day a referral recorded as sent is dated (`fill_sent_date`).
    pub sent_on: NaiveDate,
    /// The officer has confirmed what `EditError::Confirm` asked.
    pub confirmed: bool,
    /// Putting back values a change replaced (undo, redo): no sent date is filled and nothing is
    /// checked beyond each value's parser, since the values were already held.
    pub restoring: bool,
}

/// Why an edit or check-in was not saved. Messages name fields and days, never the person.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error("no case with that CRN is stored")]
    NotFound,
    /// A value its field does not take: `field: what is wrong`.
    #[error("{0}")]
    Invalid(String),
    /// Values an officer would not expect to hold together (a sent date in the future…).
    #[error("{}", .0.join("; "))]
    Refused(Vec<String>),
    /// Possible but unusual: saved once confirmed (`EditOptions::confirmed`).
    #[error("{}", .0.join("; "))]
    Confirm(Vec<String>),
    /// The case changed since it was read; nothing was saved. The case as it is now.
    #[error(
        "someone else changed this case since it was opened, so your change was not saved; \
         it has been reloaded: check it and make the change again"
    )]
    Stale(Box<CaseView>),
    /// A check-in for someone whose release day is still ahead: nobody reports in before
    /// they are out. The release day.
    #[error("not due out until {}", crate::domain::dates::long(*.0))]
    NotDue(NaiveDate),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for EditError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => EditError::NotFound,
            e => EditError::Store(e),
        }
    }
}

/// A saved edit.
#[derive(Debug, Clone)]
pub struct Saved {
    /// The case as stored now.
    pub view: CaseView,
    /// What changed, field by field (empty: the values were already held; nothing written).
    pub changes: Vec<FieldChange>,
    /// Each changed field with its value before, to put back (undo).
    pub before: Vec<(Field, Option<String>)>,
    /// The sent dates filled in because a referral was recorded as sent.
    pub filled: Vec<Field>,
}

/// A saved check-in (or its undoing).
#[derive(Debug, Clone)]
pub struct CheckedIn {
    pub view: CaseView,
    /// What was held before.
    pub before: Option<NaiveDateTime>,
    /// False when the case already held that value: nothing was written.
    pub changed: bool,
}

impl Planner {
    /// Sets `values` (field, text as an import cell would hold it) on one case and saves them.
    /// With `version`, the case must still be at that version (the one the officer read);
    /// `None` reads it now (a script's one-shot edit). Nothing is written unless every value
    /// parses and the whole passes `fields::check_edit`.
    pub fn edit(
        &mut self,
        crn: &Crn,
        version: Option<i64>,
        values: &[(Field, String)],
        today: NaiveDate,
        options: EditOptions,
    ) -> Result<Saved, EditError> {
        let stored = self.store.get(crn)?.ok_or(EditError::NotFound)?;
        if version.is_some_and(|v| v != stored.version) {
            return Err(EditError::Stale(Box::new(self.view(stored, today))));
        }
        let version = stored.version;
        let mut case = stored.case.clone();
        let mut before: Vec<(Field, Option<String>)> = Vec::new();
        for (field, text) in values {
            remember(&mut before, *field, field.get(&case));
            field
                .set(&mut case, text)
                .map_err(|e| EditError::Invalid(format!("{}: {e}", field.column())))?;
        }
        let mut filled = Vec::new();
        if !options.restoring {
            // Recording a referral as sent dates it, unless the same edit gives the date.
            for (field, _) in values {
                let Some(date) = field.sent_date() else {
                    continue;
                };
                if values.iter().any(|(f, _)| *f == date) {
                    continue;
                }
                let was = field.get(&stored.case);
                let held = date.get(&case);
                if let Some(date) = field.fill_sent_date(was.as_deref(), &mut case, options.sent_on)
                {
                    remember(&mut before, date, held);
                    filled.push(date);
                }
            }
            let check = fields::check_edit(&stored.case, &case, today, &self.cal);
            if !check.refused.is_empty() {
                return Err(EditError::Refused(check.refused));
            }
            if !check.confirm.is_empty() && !options.confirmed {
                return Err(EditError::Confirm(check.confirm));
            }
        }
        let day = self.cal.expected_day(&case);
        let who = self.settings.who.clone();
        match self
            .store
            .save_edit(&case, version, &who, day, options.restoring)
        {
            Ok((_, changes)) => {
                before.retain(|(f, old)| *old != f.get(&case));
                let view = self.reload(crn, today)?;
                Ok(Saved {
                    view,
                    changes,
                    before,
                    filled,
                })
            }
            Err(StoreError::StaleEdit) => Err(EditError::Stale(Box::new(self.reload(crn, today)?))),
            Err(e) => Err(e.into()),
        }
    }

    /// Records that the person reported at `at`, or with `None` takes it back. With `version`,
    /// refused (and the case reloaded) when the case changed since it was read: another duty
    /// officer's mark is never replaced without a word. A mark for someone not yet due out
    /// (expected day after `today`) is refused: `EditError::NotDue`.
    pub fn check_in(
        &mut self,
        crn: &Crn,
        version: Option<i64>,
        at: Option<NaiveDateTime>,
        today: NaiveDate,
    ) -> Result<CheckedIn, EditError> {
        let stored = self.store.get(crn)?.ok_or(EditError::NotFound)?;
        if version.is_some_and(|v| v != stored.version) {
            return Err(EditError::Stale(Box::new(self.view(stored, today))));
        }
        if at.is_some() && stored.expected_day > today {
            return Err(EditError::NotDue(stored.expected_day));
        }
        let before = stored.reported_at;
        let who = self.settings.who.clone();
        match self.store.set_reported(crn, at, &who, Some(stored.version)) {
            Ok(v) => Ok(CheckedIn {
                changed: v != stored.version,
                view: self.reload(crn, today)?,
                before,
            }),
            Err(StoreError::StaleEdit) => Err(EditError::Stale(Box::new(self.reload(crn, today)?))),
            Err(e) => Err(e.into()),
        }
    }

    fn reload(&self, crn: &Crn, today: NaiveDate) -> Result<CaseView, EditError> {
        let stored = self.store.get(crn)?.ok_or(EditError::NotFound)?;
        Ok(self.view(stored, today))
    }
}

/// Keeps the first value seen for each field: what it held before the whole edit.
fn remember(before: &mut Vec<(Field, Option<String>)>, f: Field, v: Option<String>) {
    if !before.iter().any(|(g, _)| *g == f) {
        before.push((f, v));
    }
}
