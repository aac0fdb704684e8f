//! `releaseday export`: every case as CSV with the import columns, so it round-trips; or the
//! release calendar (ICS, built in `io::export::ics`).

use super::csv_out::{self, opt};
use super::Ctx;
use crate::io::export::ics;
use chrono::{DateTime, Months, Utc};

/// The import columns of DOMAIN.md §5, in the order an officer would read them.
pub use crate::domain::case::COLUMNS;

pub fn csv(ctx: &Ctx) -> anyhow::Result<String> {
    let cases = ctx.planner.store.all_cases()?;
    Ok(csv_out::render(
        &COLUMNS,
        cases.iter().map(|s| {
            let c = &s.case;
            vec![
                c.crn.to_string(),
                c.name.clone(),
                opt(&c.noms),
                opt(&c.prison),
                opt(&c.officer),
                opt(&c.team),
                opt(&c.rosh),
                opt(&c.mappa),
                c.release_date.to_string(),
                c.release_type.to_string(),
                c.accommodation.to_string(),
                opt(&c.dtr),
                opt(&c.dtr_date),
                opt(&c.crs),
                opt(&c.cas3),
                opt(&c.ap),
                c.ap_required
                    .map(|b| if b { "yes" } else { "no" }.to_string())
                    .unwrap_or_default(),
                opt(&c.cas2),
                opt(&c.friday_release),
                opt(&c.confirmed_day),
                opt(&c.notes),
                opt(&c.crs_date),
                opt(&c.cas3_date),
                opt(&c.ap_date),
                opt(&c.cas2_date),
            ]
        }),
    ))
}

/// What an ICS export holds, for the line printed after writing a file.
pub struct Ics {
    pub text: String,
    pub releases: usize,
    pub clusters: usize,
}

/// `releaseday export --format ics`: releases expected from today to 12 months on, each on its
/// expected day, and the cluster warnings of the same window (the `clusters` default).
/// Past releases are left out: the calendar is for planning ahead, and events already imported
/// from an earlier export stay in the calendar program.
pub fn ics(ctx: &Ctx, full_names: bool, stamp: DateTime<Utc>) -> anyhow::Result<Ics> {
    let from = ctx.today;
    let to = ctx
        .today
        .checked_add_months(Months::new(12))
        .unwrap_or(ctx.today);
    let views = ctx.planner.list(from, to, ctx.today)?;
    let clusters = ctx.planner.clusters(from, to)?;
    let cal = &ctx.planner.cal;
    let releases = views.iter().map(|v| ics::Release {
        case: &v.case,
        expected: v.days.expected,
        how: v.days.explain(cal, v.case.release_type),
        worst: v.worst_flag(),
    });
    let opts = ics::Options {
        full_names,
        today: ctx.today,
        stamp,
    };
    Ok(Ics {
        text: ics::calendar(releases, &clusters, &opts),
        releases: views.len(),
        clusters: clusters.len(),
    })
}
