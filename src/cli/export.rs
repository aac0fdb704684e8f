//! `releaseday export --format csv`: every case, with the import columns, so it round-trips.

use super::csv_out::{self, opt};
use super::Ctx;

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
