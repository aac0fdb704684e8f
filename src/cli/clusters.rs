//! `releaseday clusters`: holiday and load clusters in date order.

use super::json::{self, ClusterJson};
use super::output::{inert, severity_label, Cell, Column, Table, Tone};
use super::{ClusterFormat, Ctx};
use crate::domain::dates;
use chrono::NaiveDate;

pub fn run(
    ctx: &Ctx,
    from: NaiveDate,
    to: NaiveDate,
    format: ClusterFormat,
) -> anyhow::Result<String> {
    let found = ctx.planner.clusters(from, to)?;
    Ok(match format {
        ClusterFormat::Json => {
            json::to_string(&found.iter().map(ClusterJson::from).collect::<Vec<_>>())
        }
        ClusterFormat::Table => {
            let policy = if ctx.planner.cal.friday_policy() {
                "Friday policy on"
            } else {
                "statutory days (Friday policy off)"
            };
            let mut out = format!(
                "{} cluster day{} {} to {} ({policy})\n\n",
                found.len(),
                if found.len() == 1 { "" } else { "s" },
                dates::long(from),
                dates::long(to)
            );
            let mut t = Table::new(vec![
                Column::fixed("Day"),
                Column::fixed("Severity"),
                Column::fixed("Kind"),
                Column::fixed("Covers"),
                Column::number("Load"),
                Column::number("NFA"),
                Column::flex("Holidays"),
            ]);
            for k in &found {
                let covers = match (k.covers.first(), k.covers.last()) {
                    (Some(a), Some(b)) => dates::range(*a, *b),
                    _ => "—".into(),
                };
                let tone = Tone::of(k.severity);
                t.row(vec![
                    Cell::new(dates::long(k.day)),
                    Cell::toned(severity_label(k.severity), tone),
                    Cell::new(k.kind.as_str()),
                    Cell::new(covers),
                    Cell::new(k.load.to_string()),
                    Cell::toned(
                        k.no_accommodation.to_string(),
                        if k.no_accommodation > 0 {
                            Tone::Red
                        } else {
                            Tone::Plain
                        },
                    ),
                    Cell::new(if k.holidays.is_empty() {
                        "—".to_string()
                    } else {
                        k.holidays.join(", ")
                    }),
                ]);
            }
            out += &t.render(&ctx.term);
            // The first warning inside the lead time, spelled out.
            let lead = ctx.today
                + chrono::Days::new(u64::from(ctx.planner.settings.clusters.warn_weeks) * 7);
            for k in found.iter().filter(|k| k.day >= ctx.today && k.day <= lead) {
                out += &format!("\n{} {}", k.severity.symbol(), inert(&k.message));
            }
            if found.iter().any(|k| k.day >= ctx.today && k.day <= lead) {
                out.push('\n');
            }
            out
        }
    })
}
