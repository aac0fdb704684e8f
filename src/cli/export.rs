//! `releaseday export`: every case as CSV with the import columns, so it round-trips; or the
//! release calendar (ICS, built in `io::export::ics`). Both are written as the cases are read.

use super::csv_out::Csv;
use super::Ctx;
use crate::domain::case::Case;
use crate::domain::fields::Field;
use crate::io::export::ics;
use crate::query::CaseFilter;
use chrono::{DateTime, Months, Utc};
use std::io::Write;

/// The import columns of DOMAIN.md §5: the CRN, then every field of the table.
pub use crate::domain::case::COLUMNS;

/// Excel on Windows reads a CSV file as the machine's code page unless it starts with
/// UTF-8's byte-order mark; the import reads the mark, so an export still imports back.
pub const BOM: &str = "\u{feff}";

/// What the CSV export is, for `--help` and the line said after writing a file.
pub const CSV_ENCODING: &str = "UTF-8 with a byte-order mark, as Excel expects";

/// `releaseday export --format csv`: every case. Returns what it wrote ("12 cases as CSV, …").
pub fn csv(ctx: &Ctx, out: &mut dyn Write) -> anyhow::Result<String> {
    out.write_all(BOM.as_bytes())?;
    let mut w = Csv::new(out, &COLUMNS)?;
    let mut n = 0usize;
    ctx.planner.each_stored(|s| {
        n += 1;
        Ok::<(), anyhow::Error>(w.row(&csv_row(&s.case))?)
    })?;
    w.finish()?;
    Ok(format!(
        "{n} case{} as CSV ({CSV_ENCODING})",
        if n == 1 { "" } else { "s" }
    ))
}

/// The CRN, then each field's text in column order (blank: empty).
fn csv_row(c: &Case) -> Vec<String> {
    std::iter::once(c.crn.to_string())
        .chain(Field::ALL.map(|f| f.get(c).unwrap_or_default()))
        .collect()
}

/// `releaseday export --format ics`: releases expected from today to 12 months on, each on its
/// expected day, and the cluster warnings of the same window (the `clusters` default).
/// Past releases are left out: the calendar is for planning ahead, and events already imported
/// from an earlier export stay in the calendar program. Returns what it wrote.
pub fn ics(
    ctx: &Ctx,
    full_names: bool,
    stamp: DateTime<Utc>,
    out: &mut dyn Write,
) -> anyhow::Result<String> {
    let from = ctx.today;
    let to = ctx
        .today
        .checked_add_months(Months::new(12))
        .unwrap_or(ctx.today);
    let planner = &ctx.planner;
    let cal = &planner.cal;
    let clusters = planner.clusters(from, to)?;
    // A moved calendar or policy changes what every event says without writing the cases.
    let redone = planner
        .days_redone_at()?
        .as_deref()
        .and_then(ics::parse_changed);
    let caseload_changed = planner
        .last_change()?
        .as_deref()
        .and_then(ics::parse_changed);
    let opts = ics::Options {
        full_names,
        today: ctx.today,
        stamp,
    };
    let mut w = ics::IcsWriter::begin(out, &opts)?;
    let mut releases = 0usize;
    planner.each_listed_changed(from, to, ctx.today, &CaseFilter::default(), |v, changed| {
        releases += 1;
        let changed = ics::parse_changed(changed).max(redone);
        w.release(&ics::Release {
            case: &v.case,
            expected: v.days.expected,
            how: v.days.explain(cal, v.case.release_type),
            worst: v.worst_flag(),
            changed,
        })?;
        Ok::<(), anyhow::Error>(())
    })?;
    // The handovers of the same 12 months (DOMAIN.md §7), of cases not yet released.
    let handovers = planner.handovers(from, to, ctx.today, &CaseFilter::default())?;
    for v in &handovers {
        let Some(day) = v.handover.day else { continue };
        w.handover(&ics::Handover {
            crn: v.crn.as_str(),
            name: &v.name,
            pom: v.pom.as_deref(),
            officer: v.officer.as_deref(),
            day,
            rule: v.handover.rule.explain(),
            expected: v.expected_day,
            changed: caseload_changed.max(redone),
        })?;
    }
    for k in &clusters {
        w.cluster(k, caseload_changed)?;
    }
    w.end()?;
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    Ok(format!(
        "{releases} release{}, {} handover{} and {} cluster warning{}",
        plural(releases),
        handovers.len(),
        plural(handovers.len()),
        clusters.len(),
        plural(clusters.len())
    ))
}
