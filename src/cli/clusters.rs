//! `releaseday clusters`: holiday and load clusters in date order.

use super::json::{self, ClusterJson};
use super::output::{inert, severity_label, wrap, Cell, Column, Table, Tone};
use super::{ClusterFormat, Ctx};
use crate::domain::clusters::ClusterKind;
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
            let mut out = wrap(
                &format!(
                    "{} cluster day{} {} to {} ({policy})",
                    found.len(),
                    if found.len() == 1 { "" } else { "s" },
                    dates::long(from),
                    dates::long(to)
                ),
                ctx.term.width,
                2,
            );
            out += "\n";
            let mut t = Table::new(vec![
                Column::fixed("Day"),
                Column::fixed("Severity"),
                Column::fixed("Kind"),
                Column::fixed("Covers"),
                Column::number("Load"),
                Column::number("NFA"),
                Column::flex("Why"),
            ]);
            for k in &found {
                let covers = match (k.covers.first(), k.covers.last()) {
                    (Some(a), Some(b)) => dates::range(*a, *b),
                    _ => "—".into(),
                };
                let why = match k.kind {
                    ClusterKind::Holiday => k.holidays.join(", "),
                    ClusterKind::Load => format!("about {:.1} usual", k.expected_load),
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
                    Cell::new(why),
                ]);
            }
            out += &t.render(&ctx.term);
            // The warnings inside the lead time, spelled out.
            let lead = ctx.today
                + chrono::Days::new(u64::from(ctx.planner.settings.clusters.warn_weeks) * 7);
            let soon: Vec<_> = found
                .iter()
                .filter(|k| k.day >= ctx.today && k.day <= lead)
                .collect();
            if !soon.is_empty() {
                out += "\n";
            }
            for k in soon {
                let text = format!("{} {}", k.severity.symbol(), inert(&k.message));
                out += &wrap(&text, ctx.term.width, 2);
            }
            out
        }
    })
}
