//! `releaseday list`: releases by expected day, grouped under day headings. Every format is
//! written as the cases are read (a table one day at a time), so memory stays flat however
//! wide the window.

use super::csv_out::{opt, Csv};
use super::json::{self, CaseJson};
use super::output::{severity_label, Cell, Column, Table, Term, Tone};
use super::{Ctx, Format};
use crate::domain::clusters::{Cluster, ClusterKind};
use crate::domain::dates;
use crate::query::{CaseFilter, CaseView};
use crate::text::inert;
use chrono::NaiveDate;
use std::io::Write;

const CSV_HEADER: [&str; 16] = [
    "expected_day",
    "crn",
    "name",
    "noms",
    "prison",
    "officer",
    "team",
    "release_date",
    "release_type",
    "statutory_day",
    "accommodation",
    "needs_accommodation",
    "rosh",
    "mappa",
    "worst_severity",
    "flags",
];

pub fn run(
    ctx: &Ctx,
    from: NaiveDate,
    to: NaiveDate,
    format: Format,
    filter: &CaseFilter,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let planner = &ctx.planner;
    match format {
        Format::Json => json::write_array(out, |element| {
            planner.each_listed(from, to, ctx.today, filter, |v| element(CaseJson(v)))
        }),
        Format::Csv => {
            let mut w = Csv::new(out, &CSV_HEADER)?;
            planner.each_listed(from, to, ctx.today, filter, |v| {
                Ok::<(), anyhow::Error>(w.row(&csv_row(&v))?)
            })?;
            Ok(w.finish()?)
        }
        Format::Table => table(ctx, from, to, filter, out),
    }
}

fn csv_row(v: &CaseView) -> Vec<String> {
    let c = &v.case;
    vec![
        v.days.expected.to_string(),
        c.crn.to_string(),
        c.name.clone(),
        opt(&c.noms),
        opt(&c.prison),
        opt(&c.officer),
        opt(&c.team),
        c.release_date.to_string(),
        c.release_type.to_string(),
        v.days.statutory.to_string(),
        c.accommodation.to_string(),
        if c.needs_accommodation() { "yes" } else { "no" }.into(),
        opt(&c.rosh),
        opt(&c.mappa),
        opt(&v.worst_severity()),
        v.flags
            .iter()
            .map(|f| f.code.as_str())
            .collect::<Vec<_>>()
            .join(";"),
    ]
}

fn table(
    ctx: &Ctx,
    from: NaiveDate,
    to: NaiveDate,
    filter: &CaseFilter,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let term = &ctx.term;
    let n = ctx.planner.count_listed(from, to, filter)?;
    let mut line = format!(
        "{n} release{} expected {}",
        if n == 1 { "" } else { "s" },
        dates::span(from, to)
    );
    if !filter.is_empty() {
        line += &format!(" ({})", inert(&filter.describe()));
    }
    out.write_all(term.wrap(&line, 2).as_bytes())?;
    if n == 0 {
        let which = if filter.is_empty() { "" } else { " matches" };
        writeln!(
            out,
            "Nothing in this window{which}. Try a wider one with --from and --to, or import a file."
        )?;
        return Ok(());
    }
    // The day headings' clusters, judged on the whole caseload (DOMAIN.md §2), filter or not.
    let clusters = ctx.planner.clusters(from, to)?;
    let mut group: Vec<CaseView> = Vec::new();
    ctx.planner.each_listed(from, to, ctx.today, filter, |v| {
        if group
            .first()
            .is_some_and(|g| g.days.expected != v.days.expected)
        {
            day(term, &group, &clusters, out)?;
            group.clear();
        }
        group.push(v);
        Ok::<(), anyhow::Error>(())
    })?;
    day(term, &group, &clusters, out)
}

/// One day's heading ("Wed 23 Dec 2026 · 21 releases · 9 with nowhere to go · takes releases
/// due 23–28 Dec · ▲ Christmas Day, Boxing Day") and its table.
fn day(
    term: &Term,
    group: &[CaseView],
    clusters: &[Cluster],
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let Some(first) = group.first() else {
        return Ok(());
    };
    let day = first.days.expected;
    let homeless = group
        .iter()
        .filter(|c| c.case.needs_accommodation())
        .count();
    let mut heading = format!(
        "{} · {}",
        dates::long(day),
        crate::domain::clusters::releases(group.len())
    );
    if homeless > 0 {
        heading += &format!(" · {homeless} with nowhere to go");
    }
    if let Some(k) = clusters.iter().find(|k| k.day == day) {
        if !k.covers.is_empty() {
            heading += &format!(" · takes releases due {}", k.takes());
        }
        heading += &match k.kind {
            ClusterKind::Holiday => format!(" · {} {}", k.severity.symbol(), k.why()),
            ClusterKind::Load => format!(" · {} load cluster: {}", k.severity.symbol(), k.why()),
        };
    }
    let heading = term.wrap(&inert(&heading), 2);
    writeln!(out)?;
    writeln!(out, "{}", term.paint(Tone::Bold, heading.trim_end()))?;
    day_table(group).write(term, out)?;
    Ok(())
}

fn day_table(group: &[CaseView]) -> Table {
    let mut t = Table::new(vec![
        Column::flex_last("Name"),
        Column::fixed("CRN"),
        Column::fixed("Type"),
        Column::fixed("Accomm"),
        Column::fixed("Flag"),
        Column::flex("Officer"),
        Column::flex("Prison"),
    ]);
    t.indent = 2;
    for v in group {
        let c = &v.case;
        let accom_tone = if c.needs_accommodation() {
            Tone::Red
        } else {
            Tone::Plain
        };
        let flag = match v.worst_flag() {
            Some(f) => Cell::toned(
                format!("{} {}", severity_label(f.severity), f.code),
                Tone::of(f.severity),
            ),
            None => Cell::toned("✓ ok", Tone::Green),
        };
        t.row(vec![
            Cell::new(&c.name),
            Cell::new(c.crn.as_str()),
            Cell::new(c.release_type.as_str()),
            Cell::toned(c.accommodation.as_str(), accom_tone),
            flag,
            Cell::new(c.officer.as_deref().unwrap_or("— none —")),
            Cell::new(c.prison.as_deref().unwrap_or("")),
        ]);
    }
    t
}
