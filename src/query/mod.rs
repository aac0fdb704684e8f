//! The one query layer the CLI and the TUI share: store → domain rules → views.
//! Nothing here knows SQL (the store does) or how anything is drawn (cli and tui do).

pub mod demo;
pub mod edit;
pub mod filter;
pub mod history;
pub mod search;
pub mod settings;
pub mod sheet;
pub mod stream;
pub mod view;
pub mod wording;

pub use edit::{CheckedIn, EditError, EditOptions, Saved};
pub use filter::CaseFilter;
pub use settings::Settings;
pub use view::{CaseView, GapRow, TodaySheet};

use crate::domain::calendar::{Calendar, ExpectedDays};
use crate::domain::case::{Case, Crn};
use crate::domain::clusters::{self, Cluster, DayLoad};
use crate::domain::gaps;
use crate::domain::holidays::{self, Division, Holiday, HolidayFile};
use crate::io::import::{ImportError, ImportRow, RowError};
pub use crate::store::Unheld;
use crate::store::{ImportPlan, ImportSummary, Store, StoreError, StoredCase};
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

/// Meta key recording which calendar and policy the stored expected days were computed under.
const EXPECTED_KEY: &str = "expected_day_basis";

pub struct Planner {
    pub store: Store,
    pub cal: Calendar,
    pub settings: Settings,
    holiday_source: HolidaySource,
    /// Said once on opening when this database's expected days were last worked out under
    /// the other Friday policy (see `Planner::new`).
    pub notice: Option<String>,
}

/// Where the bank holidays in force came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HolidaySource {
    Embedded,
    Imported,
}

#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the stored bank-holiday file is unreadable ({0}); import a fresh one with `releaseday holidays import FILE`")]
    Holidays(holidays::HolidayFileError),
    /// A problem with the file found against the cases held.
    #[error(transparent)]
    Import(ImportError),
    /// Rows for CRNs not held that lack what a new case needs (a name, a release date): every
    /// one, by line. `unheld_errors` words them for the file they came from.
    #[error("{} rows add cases without a name or release date", .0.len())]
    Unheld(Vec<Unheld>),
    /// An import into a database holding the invented demo caseload: real people would sit
    /// among invented ones, so it is refused whole.
    #[error(
        "this database holds the invented demo caseload, so real cases are not imported into \
         it; import into your own database instead"
    )]
    DemoDatabase,
}

pub type Result<T> = std::result::Result<T, QueryError>;

impl Planner {
    /// Builds the calendar (an imported gov.uk file if there is one, else the shipped one) and
    /// brings the stored expected days up to date with it.
    pub fn new(store: Store, settings: Settings) -> Result<Planner> {
        let shipped = HolidayFile::embedded();
        let (events, source, json) = match store.holiday_file()? {
            Some(json) => {
                let file = holidays::parse_govuk(&json).map_err(QueryError::Holidays)?;
                let events = merge_years(
                    shipped.events(Division::EnglandAndWales),
                    file.events(Division::EnglandAndWales),
                );
                (events, HolidaySource::Imported, json)
            }
            None => (
                shipped.events(Division::EnglandAndWales).to_vec(),
                HolidaySource::Embedded,
                holidays::EMBEDDED_JSON.to_string(),
            ),
        };
        let cal = Calendar::new(&events, settings.friday_policy);
        let mut planner = Planner {
            store,
            cal,
            settings,
            holiday_source: source,
            notice: None,
        };
        let basis = format!(
            "v1 policy={} holidays={:016x}",
            planner.settings.friday_policy,
            fnv1a(json.as_bytes())
        );
        let stored = planner.store.meta_get(EXPECTED_KEY)?;
        if stored.as_deref() != Some(basis.as_str()) {
            // Expected days are stored (the windowed queries read them), so they follow one
            // policy at a time. Officers sharing a database with different settings would
            // recompute them back and forth: say so, rather than let it pass silently.
            let policy = |b: &str| b.contains("policy=true");
            let now = planner.settings.friday_policy;
            if stored.as_deref().is_some_and(|b| policy(b) != now) {
                let on_off = |p: bool| if p { "on" } else { "off" };
                // Short enough for an 80-column status line.
                planner.notice = Some(format!(
                    "Friday policy now {} (was {} for this database): expected days redone",
                    on_off(now),
                    on_off(!now)
                ));
            }
            let cal = &planner.cal;
            planner
                .store
                .recompute_expected(&|c: &Case| cal.expected_day(c))?;
            planner.store.meta_set(EXPECTED_KEY, &basis)?;
            // Calendar exports date their events' last change from this too.
            planner.store.note_expected_days_redone()?;
        }
        Ok(planner)
    }

    pub fn holiday_source(&self) -> &HolidaySource {
        &self.holiday_source
    }

    /// Loads a newer gov.uk file into the database and rebuilds the calendar from it.
    pub fn import_holidays(
        self,
        json: &str,
    ) -> std::result::Result<(Planner, HolidayFile), String> {
        let file = holidays::parse_govuk(json).map_err(|e| e.to_string())?;
        self.store
            .set_holiday_file(json, &self.settings.who)
            .map_err(|e| e.to_string())?;
        let planner = Planner::new(self.store, self.settings).map_err(|e| e.to_string())?;
        Ok((planner, file))
    }

    pub fn view(&self, stored: StoredCase, today: NaiveDate) -> CaseView {
        let days = self.cal.reasoning(&stored.case);
        let flags = gaps::flags(
            &stored.case,
            days.expected,
            today,
            &self.cal,
            &self.settings.gaps,
        );
        CaseView {
            case: stored.case,
            days,
            flags,
            reported_at: stored.reported_at,
            version: stored.version,
        }
    }

    pub fn case(&self, crn: &Crn, today: NaiveDate) -> Result<Option<CaseView>> {
        Ok(self.store.get(crn)?.map(|s| self.view(s, today)))
    }

    /// Cases whose expected day lies in `[from, to]`, by expected day then name.
    pub fn list(&self, from: NaiveDate, to: NaiveDate, today: NaiveDate) -> Result<Vec<CaseView>> {
        let mut out: Vec<CaseView> = self
            .store
            .cases_expected_between(from, to)?
            .into_iter()
            .map(|s| self.view(s, today))
            .collect();
        sort_by_day_then_name(&mut out);
        Ok(out)
    }

    /// Every shown flag of every case released today or later: red first, then by due day.
    pub fn gaps(&self, today: NaiveDate) -> Result<Vec<GapRow>> {
        self.gaps_filtered(today, None, &CaseFilter::default())
    }

    /// As `gaps`, for the releases expected from today to `to` only (a window's worklist: its
    /// cost follows the window, where the whole worklist grows with far-ahead AP and HDC cases).
    pub fn gaps_until(&self, today: NaiveDate, to: NaiveDate) -> Result<Vec<GapRow>> {
        self.gaps_filtered(today, Some(to), &CaseFilter::default())
    }

    /// Every holiday or load cluster day in `[from, to]`, in date order (DOMAIN.md §2: each
    /// day judged against the releases of the 28 days either side, whatever the range).
    pub fn clusters(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Cluster>> {
        let (loads, extent) = self.cluster_loads(from, to)?;
        Ok(clusters::clusters_within(
            &self.cal,
            from,
            to,
            &loads,
            extent,
            &self.settings.clusters,
        ))
    }

    /// Clusters from loads already in hand (the screens keep them in memory): `loads` must hold
    /// every release expected from `from` on. The 28 days before `from`, which the usual rate
    /// of a day near `from` also counts, and the caseload's extent are read from the store.
    pub fn clusters_from_loads(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        loads: &BTreeMap<NaiveDate, DayLoad>,
    ) -> Result<Vec<Cluster>> {
        let (lo, _) = clusters::rate_window(from, to);
        let mut around: BTreeMap<NaiveDate, DayLoad> = BTreeMap::new();
        if let Some(before) = from.pred_opt().filter(|b| *b >= lo) {
            self.store
                .each_housing_between(lo, before, |day, housing| {
                    let l = around.entry(day).or_default();
                    l.load += 1;
                    l.no_accommodation += usize::from(housing.needs_accommodation());
                })?;
        }
        around.extend(loads.range(from..).map(|(d, l)| (*d, *l)));
        let extent = clusters::Extent::union(self.extent()?, clusters::Extent::of(&around));
        Ok(clusters::clusters_within(
            &self.cal,
            from,
            to,
            &around,
            extent,
            &self.settings.clusters,
        ))
    }

    /// Every case still to be released, plus the look-back days' releases (for the
    /// duty officer's outstanding list), by expected day then name.
    pub fn upcoming(&self, today: NaiveDate) -> Result<Vec<CaseView>> {
        let back = self.window_start(today);
        let mut out: Vec<CaseView> = self
            .store
            .cases_expected_from(back)?
            .into_iter()
            .map(|s| self.view(s, today))
            .collect();
        sort_by_day_then_name(&mut out);
        Ok(out)
    }

    /// A planner of its own over a second, read-only connection to the same database, to load
    /// on another thread; `None` for a database in memory.
    pub fn reader(&self) -> Result<Option<Planner>> {
        Ok(self.store.reader()?.map(|store| Planner {
            store,
            cal: self.cal.clone(),
            settings: self.settings.clone(),
            holiday_source: self.holiday_source.clone(),
            notice: None,
        }))
    }

    /// The expected day of the case `n` places on in the list from today, or `None` when
    /// fewer than `n + 1` cases are due from today.
    pub fn nth_day_from(&self, today: NaiveDate, n: usize) -> Result<Option<NaiveDate>> {
        Ok(self.store.nth_expected_day_from(today, n)?)
    }

    /// `upcoming` up to and including `to`, by expected day then name.
    pub fn upcoming_until(&self, today: NaiveDate, to: NaiveDate) -> Result<Vec<CaseView>> {
        self.list(self.window_start(today), to, today)
    }

    /// `upcoming` after `after`, by expected day then name.
    pub fn upcoming_after(&self, after: NaiveDate, today: NaiveDate) -> Result<Vec<CaseView>> {
        let mut out: Vec<CaseView> = self
            .store
            .cases_expected_after_unordered(after)?
            .into_iter()
            .map(|s| self.view(s, today))
            .collect();
        sort_by_day_then_name(&mut out);
        Ok(out)
    }

    /// Releases per expected day after `after`, read without loading whole cases.
    pub fn loads_after(&self, after: NaiveDate) -> Result<BTreeMap<NaiveDate, DayLoad>> {
        let rows = self.store.housing_after(after)?;
        Ok(clusters::loads(
            rows.iter().map(|(day, h)| (*day, h.needs_accommodation())),
        ))
    }

    /// The duty officer's sheet: today's releases (by name) and earlier unreported ones (by
    /// day, then name).
    pub fn today_sheet(&self, today: NaiveDate) -> Result<TodaySheet> {
        self.today_sheet_filtered(today, &CaseFilter::default())
    }

    /// What importing a parsed file's rows would change (new, updated, unchanged, and
    /// conflicts with the planner's work: DOMAIN.md §5), without writing. `prefer_file` takes
    /// the file's value wherever it differs. A row for a CRN not held that lacks a name or a
    /// release date is an error at its line (`QueryError::Import`), each such row reported.
    /// Refuses a database holding the demo caseload (`QueryError::DemoDatabase`): asked before
    /// a file is read, so a large one is not checked for nothing, and again by `plan_import`.
    pub fn importable(&self) -> Result<()> {
        if self.demo_note()?.is_some() && self.case_count()? > 0 {
            return Err(QueryError::DemoDatabase);
        }
        Ok(())
    }

    /// Takes the rows, so each is held once: as parsed, then as planned.
    pub fn plan_import(&self, rows: Vec<ImportRow>, prefer_file: bool) -> Result<ImportPlan> {
        self.importable()?;
        let plan = self.store.plan_import_owned(
            rows.into_iter().map(|r| (r.line, r.crn, r.patch)),
            prefer_file,
        )?;
        if plan.unheld.is_empty() {
            return Ok(plan);
        }
        Err(QueryError::Unheld(plan.unheld))
    }

    /// Writes a planned import in one transaction, its audit rows naming `source` (e.g.
    /// "import of weekly.csv").
    pub fn apply_import(&mut self, plan: &ImportPlan, source: &str) -> Result<ImportSummary> {
        let days = ExpectedDays::new(&self.cal);
        Ok(self
            .store
            .apply_import_from(plan, &self.settings.who, Some(source), &|c: &Case| {
                days.of(c)
            })?)
    }
}

/// The shipped list with every year the imported file covers replaced by the file's events:
/// a newer file wins for its years, and a partial one never blanks the others.
fn merge_years(shipped: &[Holiday], imported: &[Holiday]) -> Vec<Holiday> {
    let years: std::collections::BTreeSet<i32> = imported.iter().map(|h| h.date.year()).collect();
    let mut out: Vec<Holiday> = shipped
        .iter()
        .filter(|h| !years.contains(&h.date.year()))
        .chain(imported.iter())
        .cloned()
        .collect();
    out.sort_by_key(|h| h.date);
    out
}

fn sort_by_day_then_name(v: &mut [CaseView]) {
    v.sort_by(|a, b| {
        (a.days.expected, &a.case.name, &a.case.crn).cmp(&(
            b.days.expected,
            &b.case.name,
            &b.case.crn,
        ))
    });
}

/// FNV-1a: a stable fingerprint of the holiday file (std's hasher is not stable across releases).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// One problem per row for CRNs an import cannot add, worded for the file: where the file has
/// a column for what is missing, the row's cell is named (the column given is the first such
/// field); where it has none, the row says the file can only update cases already held.
/// `has_column` says whether the file has a column for a field (`name`, `release_date`).
pub fn unheld_errors(unheld: &[Unheld], has_column: impl Fn(&str) -> bool) -> Vec<RowError> {
    unheld
        .iter()
        .map(|u| {
            let what = |f: &&str| {
                if *f == "name" {
                    "a name"
                } else {
                    "a release date"
                }
            };
            let needed: Vec<&str> = u.missing.iter().map(what).collect();
            let verb = if needed.len() == 1 { "is" } else { "are" };
            let needed = needed.join(" and ");
            match u.missing.iter().find(|f| has_column(f)) {
                Some(field) => RowError::new(
                    u.line,
                    Some(field),
                    format!(
                        "{} is not held yet, so {needed} {verb} needed to add it",
                        u.crn
                    ),
                ),
                None => RowError::new(
                    u.line,
                    None,
                    format!(
                        "{} is not held, and this file has no column giving {needed} to add \
                         it: a file without them only updates cases already held",
                        u.crn
                    ),
                ),
            }
        })
        .collect()
}
