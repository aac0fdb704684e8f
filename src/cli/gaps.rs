//! `releaseday gaps`: the worklist, red first, then by due day.

use super::csv_out::{self, opt};
use super::json::{self, GapJson};
use super::output::{severity_label, Cell, Column, Table, Tone};
use super::{Ctx, Format};
use crate::domain::dates;
use chrono::NaiveDate;

pub fn run(ctx: &Ctx, to: Option<NaiveDate>, format: Format) -> anyhow::Result<String> {
    let rows = match to {
        Some(to) => ctx.planner.gaps_until(ctx.today, to)?,
        None => ctx.planner.gaps(ctx.today)?,
    };
    Ok(match format {
        Format::Json => json::to_string(&rows.iter().map(GapJson::from).collect::<Vec<_>>()),
        Format::Csv => csv_out::render(
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
            rows.iter().map(|g| {
                vec![
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
                ]
            }),
        ),
        Format::Table => {
            let red = rows
                .iter()
                .filter(|g| g.flag.severity.as_str() == "red")
                .count();
            let mut out = format!(
                "{} gap{} on cases still to be released: {} red, {} amber\n\n",
                rows.len(),
                if rows.len() == 1 { "" } else { "s" },
                red,
                rows.len() - red
            );
            if rows.is_empty() {
                out += "Nothing due: every case has its referrals in hand.\n";
                return Ok(out);
            }
            let mut t = Table::new(vec![
                Column::fixed("Severity"),
                Column::fixed("Code"),
                Column::fixed("CRN"),
                Column::flex("Name"),
                Column::fixed("Release"),
                Column::flex("Officer"),
            ]);
            for g in &rows {
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
            out += &t.render(&ctx.term);
            out
        }
    })
}
