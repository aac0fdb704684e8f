//! `releaseday today`: the duty officer's sheet, as a table, JSON or CSV here, and as
//! Markdown and HTML in their own modules; the words every format shares are in `words`.

mod html;
mod markdown;
mod words;

use super::csv_out::{opt, Csv};
use super::json::{self, CaseJson};
use super::output::{Cell, Column, Table, Tone};
use super::{Ctx, TodayFormat};
use crate::domain::dates;
use crate::query::{CaseFilter, CaseView, TodaySheet};
use crate::text::inert;
use serde::Serialize;
use std::io::Write;
use words::{headline, reported, section_titles, where_to};

#[derive(Serialize)]
struct SheetJson<'a> {
    status: &'static str,
    #[serde(flatten)]
    case: CaseJson<&'a CaseView>,
}

fn status(sheet: &TodaySheet, v: &CaseView) -> &'static str {
    if v.reported_at.is_some() {
        "reported"
    } else if v.days.expected < sheet.today {
        "overdue"
    } else {
        "expected"
    }
}

pub fn run(
    ctx: &Ctx,
    format: TodayFormat,
    filter: &CaseFilter,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let sheet = ctx.planner.today_sheet_filtered(ctx.today, filter)?;
    match format {
        TodayFormat::Json => json::write_all(
            out,
            sheet.all().map(|v| SheetJson {
                status: status(&sheet, v),
                case: CaseJson::from(v),
            }),
        ),
        TodayFormat::Csv => {
            let mut w = Csv::new(
                out,
                &[
                    "status",
                    "expected_day",
                    "crn",
                    "name",
                    "noms",
                    "accommodation",
                    "needs_accommodation",
                    "place_booked",
                    "rosh",
                    "mappa",
                    "officer",
                    "prison",
                    "reported_at",
                    "notes",
                ],
            )?;
            for v in sheet.all() {
                let c = &v.case;
                w.row(&[
                    status(&sheet, v).into(),
                    v.days.expected.to_string(),
                    c.crn.to_string(),
                    c.name.clone(),
                    opt(&c.noms),
                    c.accommodation.to_string(),
                    if c.needs_accommodation() { "yes" } else { "no" }.into(),
                    c.booked_place().unwrap_or_default().to_string(),
                    opt(&c.rosh),
                    opt(&c.mappa),
                    opt(&c.officer),
                    opt(&c.prison),
                    v.reported_at
                        .map(|t| t.format("%Y-%m-%dT%H:%M:%S").to_string())
                        .unwrap_or_default(),
                    opt(&c.notes),
                ])?;
            }
            Ok(w.finish()?)
        }
        TodayFormat::Markdown => Ok(out.write_all(markdown::render(&sheet, filter).as_bytes())?),
        TodayFormat::Html => Ok(out.write_all(html::render(&sheet, filter).as_bytes())?),
        TodayFormat::Table => table(ctx, &sheet, filter, out),
    }
}

/// "HIGH, MAPPA 2"; blank when neither is recorded.
fn risk(c: &crate::domain::case::Case) -> String {
    match (c.rosh, c.mappa) {
        (Some(r), Some(m)) => format!("{r}, MAPPA {m}"),
        (Some(r), None) => r.to_string(),
        (None, Some(m)) => format!("MAPPA {m}"),
        (None, None) => String::new(),
    }
}

fn table(
    ctx: &Ctx,
    sheet: &TodaySheet,
    filter: &CaseFilter,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let term = &ctx.term;
    let title = format!("Release day sheet for {}", dates::long(sheet.today));
    writeln!(out, "{}", term.paint(Tone::Bold, &title))?;
    out.write_all(term.wrap(&inert(&headline(sheet, filter)), 2).as_bytes())?;
    if sheet.counts().homeless > 0 {
        writeln!(out, "▲ = nowhere to go: no fixed abode, or no place booked")?;
    }
    let [expected, earlier] = section_titles(sheet);
    for (title, cases) in [(expected, &sheet.expected), (earlier, &sheet.outstanding)] {
        writeln!(out, "\n{title}")?;
        if cases.is_empty() {
            writeln!(out, "  none")?;
            continue;
        }
        let mut t = Table::new(vec![
            Column::fixed("Reported"),
            Column::flex_last("Name"),
            Column::fixed("CRN"),
            Column::fixed("Release"),
            Column::fixed("Accommodation"),
            Column::flex("Risk"),
        ]);
        t.indent = 2;
        for v in cases {
            let c = &v.case;
            let in_tone = if v.reported_at.is_some() {
                Tone::Green
            } else {
                Tone::Plain
            };
            let accom_tone = if c.needs_accommodation() {
                Tone::Red
            } else {
                Tone::Plain
            };
            let mut detail = vec![
                format!(
                    "Officer: {}",
                    c.officer.as_deref().unwrap_or("none allocated")
                ),
                c.prison
                    .clone()
                    .unwrap_or_else(|| "prison not recorded".into()),
            ];
            if let Some(n) = &c.notes {
                detail.push(n.clone());
            }
            t.row_with_detail(
                vec![
                    Cell::toned(reported(v), in_tone),
                    Cell::new(&c.name),
                    Cell::new(c.crn.as_str()),
                    Cell::new(dates::short(v.days.expected)),
                    Cell::toned(where_to(v), accom_tone),
                    Cell::new(risk(c)),
                ],
                Cell::new(detail.join(" · ")),
            );
        }
        t.write(term, out)?;
    }
    Ok(())
}
