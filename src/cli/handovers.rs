//! `releaseday handovers`: the OMiC handovers in a window (DOMAIN.md §7), by handover day then
//! name, with who holds each case today and the rule that set the day.

use super::csv_out::{opt, Csv};
use super::output::{Cell, Column, Table, Tone};
use super::{Ctx, Format};
use crate::domain::dates;
use crate::domain::handover::Responsibility;
use crate::query::handovers::HandoverRow;
use crate::query::CaseFilter;
use crate::text::inert;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;

/// A `handovers` object (DOMAIN.md §7).
#[derive(Debug, Serialize)]
pub struct HandoverJson {
    pub crn: String,
    pub name: String,
    pub handover_day: Option<NaiveDate>,
    pub handover_rule: &'static str,
    pub responsibility: &'static str,
    pub pom: Option<String>,
    pub officer: Option<String>,
    pub release_date: NaiveDate,
    pub expected_day: NaiveDate,
    pub team: Option<String>,
    pub prison: Option<String>,
}

impl From<&HandoverRow> for HandoverJson {
    fn from(v: &HandoverRow) -> Self {
        HandoverJson {
            crn: v.crn.to_string(),
            name: v.name.clone(),
            handover_day: v.handover.day,
            handover_rule: v.handover.rule.as_str(),
            responsibility: v.responsibility.as_str(),
            pom: v.pom.clone(),
            officer: v.officer.clone(),
            release_date: v.release_date,
            expected_day: v.expected_day,
            team: v.team.clone(),
            prison: v.prison.clone(),
        }
    }
}

const CSV_HEADER: [&str; 11] = [
    "crn",
    "name",
    "handover_day",
    "handover_rule",
    "responsibility",
    "pom",
    "officer",
    "release_date",
    "expected_day",
    "team",
    "prison",
];

pub fn run(
    ctx: &Ctx,
    from: NaiveDate,
    to: NaiveDate,
    format: Format,
    filter: &CaseFilter,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let rows = ctx.planner.handovers(from, to, ctx.today, filter)?;
    match format {
        Format::Json => super::json::write_all(out, rows.iter().map(HandoverJson::from)),
        Format::Csv => {
            let mut w = Csv::new(out, &CSV_HEADER)?;
            for v in &rows {
                w.row(&[
                    v.crn.to_string(),
                    v.name.clone(),
                    opt(&v.handover.day),
                    v.handover.rule.as_str().to_string(),
                    v.responsibility.as_str().to_string(),
                    opt(&v.pom),
                    opt(&v.officer),
                    v.release_date.to_string(),
                    v.expected_day.to_string(),
                    opt(&v.team),
                    opt(&v.prison),
                ])?;
            }
            Ok(w.finish()?)
        }
        Format::Table => table(ctx, from, to, filter, rows, out),
    }
}

fn table(
    ctx: &Ctx,
    from: NaiveDate,
    to: NaiveDate,
    filter: &CaseFilter,
    rows: Vec<HandoverRow>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let n = rows.len();
    let unallocated = rows.iter().filter(|v| v.no_com()).count();
    let mut line = format!(
        "{n} handover{} to the community {}",
        if n == 1 { "" } else { "s" },
        dates::span(from, to)
    );
    if !filter.is_empty() {
        line += &format!(" ({})", inert(&filter.describe()));
    }
    if unallocated > 0 {
        line += &format!(": {unallocated} with no community offender manager");
    }
    out.write_all(ctx.term.wrap(&line, 2).as_bytes())?;
    if n == 0 {
        writeln!(
            out,
            "No handover in this window. Try a wider one with --from and --to."
        )?;
        return Ok(());
    }
    // A table a month, under a heading with its counts: a window of years at 100,000 cases
    // is never laid out whole (the rows are held once, the cells a month at a time).
    let month = |v: &HandoverRow| v.handover.day.map(|h| (h.year(), h.month()));
    let mut counts: BTreeMap<Option<(i32, u32)>, (usize, usize)> = BTreeMap::new();
    for v in &rows {
        let c = counts.entry(month(v)).or_default();
        c.0 += 1;
        c.1 += usize::from(v.no_com());
    }
    let mut t: Option<(Option<(i32, u32)>, Table)> = None;
    for v in rows {
        let m = month(&v);
        if t.as_ref().is_none_or(|(at, _)| *at != m) {
            if let Some((_, done)) = t.take() {
                done.write(&ctx.term, out)?;
            }
            let (n, none) = counts[&m];
            let title = v
                .handover
                .day
                .map_or_else(String::new, |h| h.format("%B %Y").to_string());
            let mut heading = format!("\n{title} · {n} handover{}", if n == 1 { "" } else { "s" });
            if none > 0 {
                heading += &format!(" · {none} with no COM");
            }
            writeln!(out, "{heading}")?;
            t = Some((
                m,
                Table::new(vec![
                    Column::fixed("Handover"),
                    Column::fixed("Holds"),
                    Column::fixed("CRN"),
                    Column::flex("Name"),
                    Column::flex("POM"),
                    Column::flex("COM"),
                    Column::fixed("Release"),
                ]),
            ));
        }
        let table = &mut t.as_mut().expect("made above").1;
        let h = v.handover.day.expect("a listed handover has a day");
        let com = match v.officer.as_deref() {
            Some(o) if !o.trim().is_empty() => Cell::new(o),
            _ => Cell::toned("✗ none", Tone::Red),
        };
        table.row_with_detail(
            vec![
                Cell::new(dates::near(h, ctx.today)),
                Cell::new(match v.responsibility {
                    Responsibility::Pom => "POM",
                    Responsibility::Com => "COM",
                }),
                Cell::new(v.crn.as_str()),
                Cell::new(&v.name),
                Cell::new(v.pom.as_deref().unwrap_or("—")),
                com,
                Cell::new(dates::near(v.expected_day, ctx.today)),
            ],
            Cell::new(v.handover.rule.explain()),
        );
    }
    if let Some((_, done)) = t {
        done.write(&ctx.term, out)?;
    }
    Ok(())
}
