//! The one query layer the CLI and the TUI share: store → domain rules → views.
//! Nothing here knows SQL (the store does) or how anything is drawn (cli and tui do).

pub mod database;
pub mod demo;
pub mod edit;
pub mod filter;
pub mod handovers;
pub mod history;
pub mod import;
pub mod live;
pub mod search;
pub mod sheet;
pub mod stream;
pub mod team;
pub mod view;
pub mod wording;

/// The rule settings a team may change, read from the settings file (`config`).
pub use crate::config::Settings;
pub use crate::store::{ChangeToken, StoredCase};
pub use edit::{CheckedIn, EditError, EditOptions, Saved};
pub use filter::CaseFilter;
pub use import::{unheld_errors, Unheld};
pub use live::{Changed, Watch};
pub use view::{CaseView, GapRow, TodaySheet};

use crate::domain::calendar::Calendar;
use crate::domain::case::{Case, Crn};
use crate::domain::clusters::{self, Cluster, DayLoad};
use crate::domain::gaps;
use crate::domain::handover::Handover;
use crate::domain::holidays::{self, Division, Holiday, HolidayFile};
use crate::domain::readiness;
use crate::io::import::ImportError;
use crate::store::{CaseStore, Cases, StoreError};
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

/// Meta key recording which calendar and policy the stored expected days were computed under.
const EXPECTED_KEY: &str = "expected_day_basis";

pub struct Planner {
    /// The database, whichever engine: reached only through the query layer's methods.
    store: Box<dyn CaseStore>,
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
    /// The database could not be opened at all.
    #[error("cannot open the database {}", path.display())]
    Open {
        path: std::path::PathBuf,
        #[source]
        source: StoreError,
    },
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
    pub fn new(store: impl Into<Box<dyn CaseStore>>, settings: Settings) -> Result<Planner> {
        let store = store.into();
        let (events, source, json) = holidays_in_force(&*store)?;
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
        // On a team database each role recomputes only the cases it sees: its own marker, so
        // one officer's recompute never tells another whose teams differ that theirs is done.
        let key = match planner.store.expected_scope() {
            None => EXPECTED_KEY.to_string(),
            Some(scope) => format!("{EXPECTED_KEY} for {scope}"),
        };
        let stored = planner.store.meta_get(&key)?;
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
            planner.store.meta_set(&key, &basis)?;
        }
        Ok(planner)
    }

    pub fn holiday_source(&self) -> &HolidaySource {
        &self.holiday_source
    }

    /// Loads a newer gov.uk file into the database and rebuilds the calendar from it.
    pub fn import_holidays(
        mut self,
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
        let handover = Handover::of(&stored.case);
        let appointment_at =
            readiness::appointment_time(stored.case.appointment, days.expected, &self.cal);
        let nothing_until = readiness::nothing_until(&stored.case, days.expected, &self.cal);
        // Room for exactly the flags there are (collected, one flag has room for four): the
        // screens hold 100,000 of these lists.
        let flags = crate::domain::exact::exact(flags);
        CaseView {
            appointment_at,
            nothing_until,
            responsibility: handover.responsibility(today),
            handover,
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
        self.views(Cases::Between(from, to), today)
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
                .each_housing(Cases::Between(lo, before), &mut |day, housing| {
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
        self.views(Cases::From(self.window_start(today)), today)
    }

    /// A planner of its own over a second handle onto the same database (SQLite: a read-only
    /// connection), to load on another thread; `None` for a database in memory.
    pub fn reader(&self) -> Result<Option<Planner>> {
        Ok(self.store.open_reader()?.map(|store| Planner {
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

    /// `upcoming` after `after`, by expected day then name, in a list with room for the
    /// cases from the window's start to `after` as well: the screens put the ones they hold in
    /// front of it (`tui::data`) instead of copying the whole caseload into a second list (at
    /// 100,000 cases, 28 MB held twice for a moment).
    pub fn upcoming_after(&self, after: NaiveDate, today: NaiveDate) -> Result<Vec<CaseView>> {
        let room = match self.store.expected_extent()? {
            Some((_, last)) => self
                .store
                .count_expected_between(self.window_start(today), last)?,
            None => 0,
        };
        self.views_into(Vec::with_capacity(room), Cases::After(after), today)
    }

    /// Releases per expected day after `after`, read without loading whole cases.
    pub fn loads_after(&self, after: NaiveDate) -> Result<BTreeMap<NaiveDate, DayLoad>> {
        let mut rows = Vec::new();
        self.store
            .each_housing(Cases::After(after), &mut |day, h| {
                rows.push((day, h.needs_accommodation()))
            })?;
        Ok(clusters::loads(rows))
    }

    /// The duty officer's sheet: today's releases (by name) and earlier unreported ones (by
    /// day, then name).
    pub fn today_sheet(&self, today: NaiveDate) -> Result<TodaySheet> {
        self.today_sheet_filtered(today, &CaseFilter::default())
    }
}

impl Planner {
    /// The views of the cases `which` names, by expected day then name.
    fn views(&self, which: Cases, today: NaiveDate) -> Result<Vec<CaseView>> {
        self.views_into(Vec::new(), which, today)
    }

    /// `views`, added to `out` (empty; its capacity is kept).
    fn views_into(
        &self,
        mut out: Vec<CaseView>,
        which: Cases,
        today: NaiveDate,
    ) -> Result<Vec<CaseView>> {
        self.store.each_case(which, &mut |s| {
            out.push(self.view(s, today));
            std::ops::ControlFlow::Continue(())
        })?;
        sort_by_day_then_name(&mut out);
        Ok(out)
    }
}

/// The bank holidays in force: the shipped list, with the years of a gov.uk file imported
/// into the database over it; where they came from, and the file's text (or the shipped one's).
pub(crate) fn holidays_in_force(
    store: &dyn CaseStore,
) -> Result<(Vec<Holiday>, HolidaySource, String)> {
    let shipped = HolidayFile::embedded();
    Ok(match store.holiday_file()? {
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
    })
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

/// Unstable, so no scratch list as large as half the views (14 MB for 50,000): the CRN is
/// unique, so no two views are equal and the order is the same.
fn sort_by_day_then_name(v: &mut [CaseView]) {
    v.sort_unstable_by(|a, b| {
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
