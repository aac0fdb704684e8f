//! `releaseday holidays list|import`.

use super::json;
use super::output::{Cell, Column, Table, Tone};
use super::{ClusterFormat, Ctx};
use crate::domain::dates;
use crate::query::HolidaySource;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::path::Path;

#[derive(Serialize)]
struct HolidayJson {
    date: NaiveDate,
    title: String,
    projected: bool,
}

pub fn list(ctx: &Ctx, year: Option<i32>, format: ClusterFormat) -> anyhow::Result<String> {
    let cal = &ctx.planner.cal;
    let last = cal.last_published_year().unwrap_or(ctx.today.year());
    let (first, end) = match year {
        Some(y) => (y, y),
        None => (ctx.today.year(), last.max(ctx.today.year()) + 1),
    };
    let (known_from, known_to) = cal.known_years();
    if first < known_from || end > known_to {
        let asked = if first == end {
            format!("year {first}")
        } else {
            format!("years {first}–{end}")
        };
        anyhow::bail!(
            "bank holidays are known for {known_from}–{known_to} only (published to {last}, \
             projected by rule after), not for {asked}; give a --year in that range"
        );
    }
    let from = NaiveDate::from_ymd_opt(first, 1, 1)
        .ok_or_else(|| anyhow::anyhow!("year {first} is out of range"))?;
    let to = NaiveDate::from_ymd_opt(end, 12, 31)
        .ok_or_else(|| anyhow::anyhow!("year {end} is out of range"))?;
    let days = cal.holidays_between(from, to);
    Ok(match format {
        ClusterFormat::Json => json::to_string(
            &days
                .iter()
                .map(|h| HolidayJson {
                    date: h.date,
                    title: h.title.clone(),
                    projected: h.projected,
                })
                .collect::<Vec<_>>(),
        ),
        ClusterFormat::Table => {
            let source = match ctx.planner.holiday_source() {
                HolidaySource::Embedded => "the list shipped with releaseday",
                HolidaySource::Imported => "a gov.uk file imported into this database",
            };
            let years = if first == end {
                first.to_string()
            } else {
                format!("{first}–{end}")
            };
            let mut out = ctx.term.wrap(
                &format!(
                    "England and Wales bank holidays {years}, from {source} (published to {last}; later years projected by rule)"
                ),
                2,
            );
            out += "\n";
            let mut t = Table::new(vec![
                Column::fixed("Date"),
                Column::flex("Holiday"),
                Column::fixed("Source"),
            ]);
            for h in &days {
                t.row(vec![
                    Cell::new(dates::long(h.date)),
                    Cell::new(&h.title),
                    if h.projected {
                        Cell::toned("projected", Tone::Amber)
                    } else {
                        Cell::new("published")
                    },
                ]);
            }
            out += &t.render(&ctx.term);
            out
        }
    })
}

pub fn import(ctx: Ctx, file: &Path) -> anyhow::Result<String> {
    let json = std::fs::read_to_string(file)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
    let (planner, parsed) = ctx
        .planner
        .import_holidays(&json)
        .map_err(|e| anyhow::anyhow!("{} was not loaded: {e}", file.display()))?;
    let events = parsed.events(crate::domain::holidays::Division::EnglandAndWales);
    let years = match (events.first(), events.last()) {
        (Some(a), Some(b)) => format!("{}–{}", a.date.year(), b.date.year()),
        _ => "no years".into(),
    };
    let last = planner
        .cal
        .last_published_year()
        .map(|y| y.to_string())
        .unwrap_or_default();
    Ok(format!(
        "Loaded {} England and Wales bank holidays ({years}) from {}. Published to {last}; expected days recomputed.\n",
        events.len(),
        file.display()
    ))
}
