//! `releaseday today`: the duty officer's sheet, as a table, JSON or CSV here, and as
//! Markdown and HTML in their own modules; the words every format shares are in `words`.

mod html;
mod markdown;
mod words;

use super::args::SheetSort;
use super::csv_out::{opt, Csv};
use super::json::{self, CaseJson};
use super::output::{Cell, Column, Table, Tone};
use super::{Ctx, TodayFormat};
use crate::domain::dates;
use crate::query::wording;
use crate::query::{CaseFilter, CaseView, TodaySheet};
use crate::text::inert;
use serde::Serialize;
use std::io::Write;
use words::{headline, readiness, reported, section_titles, where_to};

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
    sort: SheetSort,
    filter: &CaseFilter,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut sheet = ctx.planner.today_sheet_filtered(ctx.today, filter)?;
    let by_appointment = sort == SheetSort::Appointment;
    if by_appointment {
        sheet.sort_by_appointment();
    }
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
                    "appointment",
                    "appointment_time",
                    "appointment_place",
                    "nothing_until",
                    "licence",
                    "id_documents",
                    "bank_account",
                    "benefits",
                    "gp",
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
                    opt(&c.appointment),
                    minute(v.appointment_at),
                    opt(&c.appointment_place),
                    minute(v.nothing_until),
                    opt(&c.licence),
                    yes_no(c.id_documents),
                    yes_no(c.bank_account),
                    yes_no(c.benefits),
                    yes_no(c.gp),
                ])?;
            }
            Ok(w.finish()?)
        }
        TodayFormat::Markdown => {
            Ok(out.write_all(markdown::render(&sheet, filter, by_appointment).as_bytes())?)
        }
        TodayFormat::Html => {
            Ok(out.write_all(html::render(&sheet, filter, by_appointment).as_bytes())?)
        }
        TodayFormat::Table => table(ctx, &sheet, filter, by_appointment, out),
    }
}

/// `YYYY-MM-DD HH:MM`, or blank.
fn minute(t: Option<chrono::NaiveDateTime>) -> String {
    t.map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

/// yes, no, or blank for not known (as the import reads it).
fn yes_no(v: Option<bool>) -> String {
    v.map(|b| if b { "yes" } else { "no" }.to_string())
        .unwrap_or_default()
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
    by_appointment: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let term = &ctx.term;
    let title = format!("Release day sheet for {}", dates::long(sheet.today));
    writeln!(out, "{}", term.paint(Tone::Bold, &title))?;
    out.write_all(term.wrap(&inert(&headline(sheet, filter)), 2).as_bytes())?;
    if sheet.counts().homeless > 0 {
        writeln!(out, "▲ = nowhere to go: no fixed abode, or no place booked")?;
    }
    if sheet.counts().nothing_until > 0 {
        writeln!(
            out,
            "‼ = nowhere to go and no one to see until a later day: find them somewhere today"
        )?;
    }
    let [expected, earlier] = section_titles(sheet, by_appointment);
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
            Column::fixed("Appointment"),
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
            let stranded = wording::nothing_until(v, sheet.today);
            let mut detail: Vec<String> = stranded.iter().cloned().collect();
            if c.appointment_place.is_some() && c.appointment.is_some() {
                detail.push(format!(
                    "Appointment: {}",
                    wording::appointment_and_place(v, sheet.today)
                ));
            }
            detail.push(readiness(v));
            detail.extend([
                format!(
                    "Officer: {}",
                    c.officer.as_deref().unwrap_or("none allocated")
                ),
                c.prison
                    .clone()
                    .unwrap_or_else(|| "prison not recorded".into()),
            ]);
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
                    if stranded.is_some() {
                        Cell::toned(
                            format!("‼ {}", wording::appointment(v, sheet.today)),
                            Tone::Red,
                        )
                    } else {
                        Cell::new(wording::appointment(v, sheet.today))
                    },
                    Cell::new(risk(c)),
                ],
                if stranded.is_some() {
                    Cell::toned(detail.join(" · "), Tone::Red)
                } else {
                    Cell::new(detail.join(" · "))
                },
            );
        }
        t.write(term, out)?;
    }
    Ok(())
}
