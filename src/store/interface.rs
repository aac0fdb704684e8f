//! The case store as the rest of the program sees it: one trait, `CaseStore`, with an engine
//! per database behind it. The SQLite file (`sqlite`) is the first engine; a PostgreSQL team
//! database (DOMAIN.md §9) is the second. The query layer holds a `Box<dyn CaseStore>` and
//! never knows which; nothing outside `src/store/` names an engine's client library.
//!
//! # What an engine promises
//!
//! - **One handle, one thread.** A handle is `Send` (it can be moved to the thread that loads
//!   in the background) but is used by one thread at a time. Reads take `&self`, writes
//!   `&mut self`. An engine whose client needs `&mut` for every query (the `postgres` crate's
//!   `Client`) keeps it in a `RefCell`: the callers hold shared borrows of the planner while
//!   they read (the screens read while they draw), and threading `&mut` through every read of
//!   the query layer and the screens would buy nothing, since a handle never serves two
//!   threads. So a callback given to a streaming read (`each_case`, `each_housing`) must not
//!   call the store again: it would find the client borrowed.
//! - **Every write is one transaction**, all or nothing, and is audited in the same
//!   transaction (`AuditEntry`): a case created, each field changed (old and new as text), a
//!   check-in, a holiday file, a purge. `who` is the officer; an engine that signs officers in
//!   as database roles may record the role instead.
//! - **Versions.** Every write of a case adds one to its version. `save_edit` and
//!   `set_reported` are refused with `StoreError::StaleEdit` when the case is no longer at the
//!   version the officer read; `apply_import` with `StoreError::Conflict` when a planned case
//!   changed since it was planned. Nothing is ever silently overwritten.
//! - **Expected days are stored**, worked out by the caller's rules (`expected_day`
//!   arguments): the store never decides a release day. Lists by day read them, so a window of
//!   days is an index range, and `recompute_expected` rewrites them when the calendar moves.
//! - **Order.** "List order" is by expected day, then name, then CRN.
//! - **Errors** are `StoreError`s: one sentence that never names a person or a CRN. The
//!   engine's own error is kept as the source (`EngineError`) where it helps.
//! - **Marks** (`domain::marks::FieldMarks`): per case, the fields some import set and those
//!   the planner changed since, and the values they held before; kept as two integer masks
//!   and a small JSON text (`planner_base`), engine-neutral.
//! - **Values** are written and read through the field table's `Cell`s (`domain::fields`):
//!   text, a day, a small integer or yes/no, by each field's `Kind`; the table's columns are
//!   the engine's columns, so a new field is a migration in each engine and nothing else here.
//!
//! # Change notification
//!
//! `change_token` is a cheap call the screens make often: two equal tokens mean nothing was
//! written in between, by this handle or any other. SQLite compares `PRAGMA data_version`
//! (other connections' commits) and the handle's own count of changes. A PostgreSQL engine
//! `LISTEN`s on a connection of its own, on a thread that counts notifications (no personal
//! data in the payload), and folds that count and its own writes into the token.
//!
//! `changes_since` says which cases changed after a `ChangeLog::mark` (from the audit log, so
//! a planner reloads only those); "everything" when it cannot say (a purge, a holiday file,
//! expected days redone, too many cases, or an engine that does not keep such a log: the
//! default). The screens ask it only once the token has moved.
//!
//! # A lost connection
//!
//! An engine whose database is across a network (PostgreSQL) answers every call made while
//! its connection is down, or cannot be made again yet, with `StoreError::Unavailable`
//! (never `Engine`): the screens then say so in the header, keep what is held and any
//! unsaved form, and refuse a save with the form kept so it can be tried again. Such a call
//! returns quickly (the screens call `change_token` from their own thread four times a second:
//! a reconnect that could hang is tried on another thread, or with a short connect timeout
//! and not on every call), writes nothing of what it was asked, and a later call reconnects by
//! itself. The first call that succeeds after such a failure is taken as "reconnected": the
//! screens read everything again, since notifications sent meanwhile were lost.
//!
//! # Handles
//!
//! `open_reader` opens a second handle onto the same database for a background load (SQLite:
//! a read-only connection; PostgreSQL: another connection); `None` where there is nothing to
//! share (a database in memory). `serve_screens` and `idle` let an engine put housekeeping
//! where an officer will not wait for it (SQLite defers WAL checkpoints out of saves and runs
//! them when the officer pauses); both do nothing by default.

use super::{
    AuditEntry, CaseKey, ImportPlan, ImportSummary, MaintenanceError, Purged, Restored, Result,
    StoredCase,
};
use crate::domain::case::{Case, CasePatch, Crn, FieldChange, Housing};
use crate::domain::marks::FieldMarks;
use chrono::{NaiveDate, NaiveDateTime};
use std::ops::ControlFlow;
use std::path::Path;

/// Which cases a streaming read hands over, and in what order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cases {
    /// Expected in `[from, to]`, in list order.
    Between(NaiveDate, NaiveDate),
    /// Expected on `from` or later, in list order.
    From(NaiveDate),
    /// Expected after the day, in no order (the caller sorts): for a large share of the
    /// caseload, where reading in order costs more than sorting.
    After(NaiveDate),
    /// The cases that can carry a gap flag on `from` (DOMAIN.md §4), in no order: every case
    /// expected from `from` to `near_to`, those with `ap_required` yes to `ap_to`, and HDC
    /// cases and cases with no officer at any later day (CAS2 shows always; `NO_OFFICER`
    /// from 56 days before the OMiC handover, which may be 15 months or more before release,
    /// DOMAIN.md §7). A blank `ap_required` means no.
    MayFlag {
        from: NaiveDate,
        near_to: NaiveDate,
        ap_to: NaiveDate,
    },
    /// Every case, in list order.
    All,
}

/// A moment in the store's history: two equal tokens, nothing written in between (by any
/// handle). Opaque; made by engines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangeToken([u64; 2]);

/// What `changes_since` found: where the log stands now, and which cases changed before that.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeLog {
    /// Where to ask from next time. Opaque; made by engines.
    pub mark: u64,
    /// The cases written (each once, any order); `None`: reload everything.
    pub cases: Option<Vec<Crn>>,
}

impl ChangeLog {
    /// "Reload everything", at `mark`.
    pub fn everything(mark: u64) -> ChangeLog {
        ChangeLog { mark, cases: None }
    }
}

impl ChangeToken {
    /// From what others have written and what this handle has written, each counted (or
    /// versioned) by the engine.
    pub fn new(others: u64, own: u64) -> ChangeToken {
        ChangeToken([others, own])
    }
}

/// Meta key marking a database whose cases are all invented (what `demo` wrote, and for which
/// day). An import that writes a case removes it, so demo data is never reseeded over real
/// cases, and real cases are never imported among invented ones.
pub const DEMO_MARKER: &str = "demo_generated_for";

/// A row of an import to plan: its line in the file, the CRN and the fields it sets.
pub type RowToPlan = (usize, Crn, CasePatch);

/// What `each_case` calls with each case: `ControlFlow::Break` stops the read.
pub type EachCase<'a> = &'a mut dyn FnMut(StoredCase) -> ControlFlow<()>;

/// The store of cases, their history and the planner's settings: what the query layer asks of
/// a database (see the module's head for what every engine promises).
pub trait CaseStore: Send {
    // ---- reading cases

    /// One case by its CRN.
    fn get(&self, crn: &Crn) -> Result<Option<StoredCase>>;

    /// What imports set of a case and what the planner changed since (DOMAIN.md §5).
    fn marks(&self, crn: &Crn) -> Result<Option<FieldMarks>>;

    /// Every case held, released long ago included.
    fn case_count(&self) -> Result<usize>;

    /// How many cases are expected in `[from, to]`.
    fn count_expected_between(&self, from: NaiveDate, to: NaiveDate) -> Result<usize>;

    /// The expected day of the case `n` places on from the first expected on `from` or later
    /// (in list order); `None` when there are not that many.
    fn nth_expected_day_from(&self, from: NaiveDate, n: usize) -> Result<Option<NaiveDate>>;

    /// The earliest and latest expected day; `None` with no cases.
    fn expected_extent(&self) -> Result<Option<(NaiveDate, NaiveDate)>>;

    /// Calls `each` with every case `which` names, one at a time, in its order; stops when
    /// `each` breaks. Whole windows are never held: a year of a national caseload is tens of
    /// megabytes.
    fn each_case(&self, which: Cases, each: EachCase<'_>) -> Result<()>;

    /// `each_case`, collected: for a few cases (or tests), where holding them all is fine.
    fn cases(&self, which: Cases) -> Result<Vec<StoredCase>> {
        let mut out = Vec::new();
        self.each_case(which, &mut |s| {
            out.push(s);
            ControlFlow::Continue(())
        })?;
        Ok(out)
    }

    /// The expected day and accommodation fields of every case `which` names, in no order:
    /// what counting releases and who has nowhere to go needs, without whole cases.
    fn each_housing(&self, which: Cases, each: &mut dyn FnMut(NaiveDate, Housing)) -> Result<()>;

    /// Name, CRN, NOMS number, expected day and check-in of every case expected before `day`,
    /// most recent first (then name, CRN): the screens' search of cases they do not hold.
    fn case_keys_before(&self, day: NaiveDate) -> Result<Vec<CaseKey>>;

    // ---- writing cases: each call one transaction

    /// Checks import rows (line, CRN, fields) against the cases held, writing nothing. A `None`
    /// in a patch keeps the stored value; every other field is merged with what the planner
    /// did (`domain::marks::merge`; `prefer_file` takes the file's value wherever it
    /// differs). A row for a case not held that lacks a required field is listed in `unheld`.
    /// One snapshot for every lookup. Takes the rows whole: a planned row is no larger than a
    /// row to plan, so the plan can be written into the rows' own memory (at 100,000 new cases,
    /// 25 MB not taken from the system).
    fn plan_import(&self, rows: Vec<RowToPlan>, prefer_file: bool) -> Result<ImportPlan>;

    /// Writes a plan: inserts new cases, updates changed ones and the marks of cases whose
    /// values the file left, and audits one "created" row for the import's new cases (each
    /// case's history shows it as its own) and one row per changed field, each naming `source`
    /// (e.g. "import of weekly.csv"). `StoreError::Conflict`
    /// (nothing written) when a case changed since the plan was made; a plan with `unheld` rows
    /// is refused. Clears the demo marker when a case is written.
    fn apply_import(
        &mut self,
        plan: &ImportPlan,
        who: &str,
        source: Option<&str>,
        expected_day: &dyn Fn(&Case) -> NaiveDate,
    ) -> Result<ImportSummary>;

    /// Saves an officer's edit of one case at `expected_version` (else `StaleEdit`): the case
    /// (version + 1), one audit row per changed field, each changed field marked as the
    /// planner's. `restoring` (undo, redo) clears the mark of a field put back to the value it
    /// had before the planner changed it. Returns the new version and what changed.
    fn save_edit(
        &mut self,
        case: &Case,
        expected_version: i64,
        who: &str,
        expected_day: NaiveDate,
        restoring: bool,
    ) -> Result<(i64, Vec<FieldChange>)>;

    /// Records (or, with `None`, clears) a release-morning check-in, audited as "reported";
    /// with `expected_version`, refused with `StaleEdit` unless the case is still at it.
    /// Setting the value already held writes nothing. Returns the version after the call.
    fn set_reported(
        &mut self,
        crn: &Crn,
        at: Option<NaiveDateTime>,
        who: &str,
        expected_version: Option<i64>,
    ) -> Result<i64>;

    /// Inserts or replaces one whole case (blank fields clear the stored values), auditing
    /// "created" or each changed field. Every field counts as imported.
    fn upsert_case(&mut self, case: &Case, who: &str, expected_day: NaiveDate) -> Result<()>;

    /// Inserts or replaces many whole cases, auditing "created" or "replaced" for each. Every
    /// field of each counts as imported. Returns how many were written.
    fn insert_many(
        &mut self,
        cases: &[Case],
        who: &str,
        expected_day: &dyn Fn(&Case) -> NaiveDate,
    ) -> Result<usize>;

    /// Deletes every case with its history, auditing one "cleared" row. Returns how many.
    fn remove_all_cases(&mut self, who: &str) -> Result<usize>;

    /// Rewrites the stored expected day of every case whose day differs from `expected_day`
    /// (after a calendar or policy change) and records when (`expected_days_redone_at`); not
    /// an edit of the cases. Returns how many changed.
    fn recompute_expected(&mut self, expected_day: &dyn Fn(&Case) -> NaiveDate) -> Result<usize>;

    /// Which cases this handle's expected days cover, when not the whole database: on a team
    /// database each role sees only its teams, so recomputing covers only those, and the basis
    /// they were worked out on is recorded per role and set of teams. `None`: every case.
    fn expected_scope(&self) -> Option<String> {
        None
    }

    // ---- history

    /// The audit trail of one case, newest first.
    fn audit_for(&self, crn: &Crn) -> Result<Vec<AuditEntry>>;

    /// The latest `limit` audit rows of any kind, newest first.
    fn audit_recent(&self, limit: usize) -> Result<Vec<AuditEntry>>;

    /// When the caseload last changed (RFC 3339 UTC): the latest audit row or the last time
    /// the expected days were worked out again, whichever is later.
    fn last_change(&self) -> Result<Option<String>>;

    /// When the expected days were last worked out again, if ever (RFC 3339 UTC).
    fn expected_days_redone_at(&self) -> Result<Option<String>>;

    // ---- settings kept in the database

    fn meta_get(&self, key: &str) -> Result<Option<String>>;

    /// Sets `key` to `value`, replacing any earlier value.
    fn meta_set(&mut self, key: &str, value: &str) -> Result<()>;

    /// The raw JSON of the gov.uk bank-holiday file a user imported, if any.
    fn holiday_file(&self) -> Result<Option<String>>;

    /// Keeps `json` in place of any earlier file, audited (field "holidays", sizes as values).
    fn set_holiday_file(&mut self, json: &str, who: &str) -> Result<()>;

    /// Forgets the imported file; whether there was one. Audited.
    fn clear_holiday_file(&mut self, who: &str) -> Result<bool>;

    // ---- change notification and handles

    /// Changes whenever anything is written, by this handle or another (see the head).
    fn change_token(&self) -> Result<ChangeToken>;

    /// The cases written after `since` (a mark an earlier call returned), at most `limit` of
    /// them: more, or a change not about single cases, is "everything". `None` asks only for
    /// the mark as things stand. By default every change is "everything" (mark 0). An engine
    /// may name no case for a write it cannot trace (SQLite: a purge whose row reused an id);
    /// callers whose token moved read no cases as "everything".
    fn changes_since(&self, since: Option<u64>, limit: usize) -> Result<ChangeLog> {
        let _ = (since, limit);
        Ok(ChangeLog::everything(0))
    }

    /// A second handle onto the same database for a background load; `None` where there is
    /// nothing to share.
    fn open_reader(&self) -> Result<Option<Box<dyn CaseStore>>>;

    /// The screens are about to make many small writes: keep housekeeping out of them.
    fn serve_screens(&mut self) -> Result<()> {
        Ok(())
    }

    /// The officer paused: do what `serve_screens` put off. Never waits for other officers.
    fn idle(&mut self) -> Result<()> {
        Ok(())
    }

    // ---- maintenance

    /// Deletes every case expected before `before`, with its history, auditing the purge as
    /// one row that names no one; with `dry_run`, only counts. Deleted content must not linger
    /// readable in the database's free space.
    fn purge_before(&mut self, before: NaiveDate, who: &str, dry_run: bool) -> Result<Purged>;

    /// Writes the whole database to `dest` as one self-contained SQLite file (what `restore`
    /// and a SQLite engine open), owner-only, replacing an existing file only with
    /// `overwrite`. Returns the number of cases copied.
    fn backup_to(
        &self,
        dest: &Path,
        overwrite: bool,
    ) -> std::result::Result<usize, MaintenanceError>;

    /// Replaces the whole database with a backup file, checked first, the database as it was
    /// kept beside it. An engine that cannot (a shared team database) refuses in one sentence.
    fn restore_from(&mut self, src: &Path) -> std::result::Result<Restored, MaintenanceError>;
}

impl<T: CaseStore + 'static> From<T> for Box<dyn CaseStore> {
    fn from(store: T) -> Self {
        Box::new(store)
    }
}
