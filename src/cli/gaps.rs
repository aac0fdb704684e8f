//! `releaseday gaps`: the worklist, red first, then by due day. The rows are sorted whole (the
//! order needs them all), but only the rows are held, never the cases, and every format is
//! written row by row.

use super::csv_out::{opt, Csv};
use super::json::{self, GapJson};
use super::output::{severity_label, Cell, Column, Table, Tone};
use super::{Ctx, Format};
use crate::domain::dates;
use crate::query::CaseFilter;
use crate::text::inert;
use chrono::NaiveDate;
use std::io::Write;

pub fn run(
    ctx: &Ctx,
    to: Option<NaiveDate>,
    format: Format,
    filter: &CaseFilter,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let rows = ctx.planner.gaps_filtered(ctx.today, to, filter)?;
    match format {
        Format::Json => json::write_all(out, rows.iter().map(GapJson::from)),
        Format::Csv => {
            let mut w = Csv::new(
                out,
                &[
                    "crn",
                    "name",
                    "expected_day",
                    "code",
                    "severity",
                    "due",
                    "message",
                    "officer",
                    "team",
                    "prison",
                ],
            )?;
            for g in &rows {
                w.row(&[
                    g.crn.to_string(),
                    g.name.clone(),
                    g.expected_day.to_string(),
                    g.flag.code.to_string(),
                    g.flag.severity.to_string(),
                    g.flag.due.to_string(),
                    g.flag.message.clone(),
                    opt(&g.officer),
                    opt(&g.team),
                    opt(&g.prison),
                ])?;
            }
            Ok(w.finish()?)
        }
        Format::Table => {
            let red = rows
                .iter()
                .filter(|g| g.flag.severity.as_str() == "red")
                .count();
            let narrowed = if filter.is_empty() {
                String::new()
            } else {
                format!(" ({})", inert(&filter.describe()))
            };
            writeln!(
                out,
                "{} gap{} on cases still to be released{narrowed}: {} red, {} amber\n",
                rows.len(),
                if rows.len() == 1 { "" } else { "s" },
                red,
                rows.len() - red
            )?;
            if rows.is_empty() {
                writeln!(out, "Nothing due: every case has its referrals in hand.")?;
                return Ok(());
            }
            let mut t = Table::new(vec![
                Column::fixed("Severity"),
                Column::fixed("Code"),
                Column::fixed("CRN"),
                Column::flex("Name"),
                Column::fixed("Release"),
                Column::flex("Officer"),
            ]);
            // Each row given up as its cells are made: the worklist is held once, not twice.
            for g in rows {
                let tone = Tone::of(g.flag.severity);
                t.row_with_detail(
                    vec![
                        Cell::toned(severity_label(g.flag.severity), tone),
                        Cell::new(g.flag.code.as_str()),
                        Cell::new(g.crn.as_str()),
                        Cell::new(&g.name),
                        Cell::new(dates::near(g.expected_day, ctx.today)),
                        Cell::new(g.officer.as_deref().unwrap_or("— none —")),
                    ],
                    Cell::toned(&g.flag.message, tone),
                );
            }
            Ok(t.write(&ctx.term, out)?)
        }
    }
}
