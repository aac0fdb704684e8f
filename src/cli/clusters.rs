//! `releaseday clusters`: holiday and load clusters in date order.

use super::json::{self, ClusterJson};
use super::output::{severity_label, Cell, Column, Table, Tone};
use super::{ClusterFormat, Ctx};
use crate::domain::dates;
use crate::text::inert;
use chrono::NaiveDate;
use std::io::Write;

pub fn run(
    ctx: &Ctx,
    from: NaiveDate,
    to: NaiveDate,
    format: ClusterFormat,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let found = ctx.planner.clusters(from, to)?;
    match format {
        ClusterFormat::Json => json::write_all(out, found.iter().map(ClusterJson::from)),
        ClusterFormat::Table => {
            let policy = if ctx.planner.cal.friday_policy() {
                "Friday policy on"
            } else {
                "statutory days (Friday policy off)"
            };
            let head = format!(
                "{} cluster day{} {} ({policy})",
                found.len(),
                if found.len() == 1 { "" } else { "s" },
                dates::span(from, to)
            );
            writeln!(out, "{}", ctx.term.wrap(&head, 2))?;
            let mut t = Table::new(vec![
                Column::fixed("Day"),
                Column::fixed("Severity"),
                Column::fixed("Kind"),
                Column::fixed("Takes releases due"),
                Column::number("Load"),
                Column::number("NFA"),
                Column::flex("Why"),
            ]);
            for k in &found {
                let tone = Tone::of(k.severity);
                t.row(vec![
                    Cell::new(dates::long(k.day)),
                    Cell::toned(severity_label(k.severity), tone),
                    Cell::new(k.kind.as_str()),
                    Cell::new(k.takes()),
                    Cell::new(k.load.to_string()),
                    Cell::toned(
                        k.no_accommodation.to_string(),
                        if k.no_accommodation > 0 {
                            Tone::Red
                        } else {
                            Tone::Plain
                        },
                    ),
                    Cell::new(k.why()),
                ]);
            }
            t.write(&ctx.term, out)?;
            // The warnings inside the lead time, spelled out.
            let lead = ctx.today
                + chrono::Days::new(u64::from(ctx.planner.settings.clusters.warn_weeks) * 7);
            let soon: Vec<_> = found
                .iter()
                .filter(|k| k.day >= ctx.today && k.day <= lead)
                .collect();
            if !soon.is_empty() {
                writeln!(out)?;
            }
            for k in soon {
                let text = format!("{} {}", k.severity.symbol(), inert(&k.message));
                out.write_all(ctx.term.wrap(&text, 2).as_bytes())?;
            }
            Ok(())
        }
    }
}
