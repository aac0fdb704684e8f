//! `releaseday today`: the duty officer's sheet.

use super::csv_out::{self, opt};
use super::json::{self, CaseJson};
use super::output::{inert, wrap, Cell, Column, Table, Tone};
use super::{Ctx, TodayFormat};
use crate::domain::dates;
use crate::query::{CaseView, TodaySheet};
use serde::Serialize;

#[derive(Serialize)]
struct SheetJson {
    status: &'static str,
    #[serde(flatten)]
    case: CaseJson,
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

pub fn run(ctx: &Ctx, format: TodayFormat) -> anyhow::Result<String> {
    let sheet = ctx.planner.today_sheet(ctx.today)?;
    Ok(match format {
        TodayFormat::Json => json::to_string(
            &sheet
                .all()
                .map(|v| SheetJson {
                    status: status(&sheet, v),
                    case: CaseJson::from(v),
                })
                .collect::<Vec<_>>(),
        ),
        TodayFormat::Csv => csv_out::render(
            &[
                "status",
                "expected_day",
                "crn",
                "name",
                "noms",
                "accommodation",
                "needs_accommodation",
                "rosh",
                "mappa",
                "officer",
                "prison",
                "reported_at",
                "notes",
            ],
            sheet.all().map(|v| {
                let c = &v.case;
                vec![
                    status(&sheet, v).into(),
                    v.days.expected.to_string(),
                    c.crn.to_string(),
                    c.name.clone(),
                    opt(&c.noms),
                    c.accommodation.to_string(),
                    if c.needs_accommodation() { "yes" } else { "no" }.into(),
                    opt(&c.rosh),
                    opt(&c.mappa),
                    opt(&c.officer),
                    opt(&c.prison),
                    v.reported_at
                        .map(|t| t.format("%Y-%m-%dT%H:%M:%S").to_string())
                        .unwrap_or_default(),
                    opt(&c.notes),
                ]
            }),
        ),
        TodayFormat::Markdown => markdown(&sheet),
        TodayFormat::Html => super::today_html::render(&sheet),
        TodayFormat::Table => table(ctx, &sheet),
    })
}

pub(super) fn headline(sheet: &TodaySheet) -> String {
    let expected = sheet.expected.len();
    let reported = sheet.reported();
    format!(
        "{expected} expected today · {reported} reported · {} still to report · {} from earlier days not reported · {} with nowhere to go",
        expected - reported,
        sheet.outstanding.len(),
        sheet.homeless()
    )
}

pub(super) fn where_to(v: &CaseView) -> String {
    if v.case.needs_accommodation() {
        format!("▲ {}", v.case.accommodation)
    } else {
        v.case.accommodation.to_string()
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

pub(super) fn reported(v: &CaseView) -> String {
    match v.reported_at {
        Some(t) => format!("✓ {}", t.format("%H:%M")),
        None => "· not yet".into(),
    }
}

fn table(ctx: &Ctx, sheet: &TodaySheet) -> String {
    let mut out = ctx.term.paint(
        Tone::Bold,
        &format!("Release day sheet for {}", dates::long(sheet.today)),
    );
    out += "\n";
    out += &wrap(&headline(sheet), ctx.term.width, 2);
    if sheet.homeless() > 0 {
        out += "▲ = nowhere to go: no fixed abode, or no place booked\n";
    }
    let mut section = |title: String, cases: &[CaseView]| {
        out += &format!("\n{title}\n");
        if cases.is_empty() {
            out += "  none\n";
            return;
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
        out += &t.render(&ctx.term);
    };
    section(
        format!("Expected today ({})", sheet.expected.len()),
        &sheet.expected,
    );
    section(
        format!(
            "Released earlier, not yet reported ({})",
            sheet.outstanding.len()
        ),
        &sheet.outstanding,
    );
    out
}

/// Escapes Markdown table syntax in a cell.
fn md(s: &str) -> String {
    inert(s).replace('|', "\\|")
}

fn markdown(sheet: &TodaySheet) -> String {
    let mut out = format!(
        "# Release day sheet — {}\n\n{}\n",
        dates::long(sheet.today),
        headline(sheet)
    );
    let mut section = |title: &str, cases: &[CaseView]| {
        out += &format!("\n## {title}\n\n");
        if cases.is_empty() {
            out += "None.\n";
            return;
        }
        out += "| Reported | Name | CRN | Day | Accommodation | RoSH | MAPPA | Officer | Prison | Notes |\n";
        out += "|---|---|---|---|---|---|---|---|---|---|\n";
        for v in cases {
            let c = &v.case;
            let accom = if c.needs_accommodation() {
                format!("**{}**", where_to(v))
            } else {
                where_to(v)
            };
            out += &format!(
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
                if v.reported_at.is_some() {
                    reported(v)
                } else {
                    "☐".into()
                },
                md(&c.name),
                c.crn,
                dates::short(v.days.expected),
                accom,
                opt(&c.rosh),
                opt(&c.mappa),
                md(c.officer.as_deref().unwrap_or("none")),
                md(c.prison.as_deref().unwrap_or("")),
                md(c.notes.as_deref().unwrap_or("")),
            );
        }
    };
    section("Expected today", &sheet.expected);
    section("Released earlier, not yet reported", &sheet.outstanding);
    out
}
