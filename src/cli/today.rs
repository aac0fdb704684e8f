//! `releaseday today`: the duty officer's sheet.

use super::csv_out::{opt, Csv};
use super::json::{self, CaseJson};
use super::output::{Cell, Column, Table, Tone};
use super::{Ctx, TodayFormat};
use crate::domain::dates;
use crate::query::wording::{self, EXPECTED_ORDER, OUTSTANDING_ORDER};
use crate::query::{CaseFilter, CaseView, TodaySheet};
use crate::text::inert;
use serde::Serialize;
use std::io::Write;

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
        TodayFormat::Markdown => Ok(out.write_all(markdown(&sheet, filter).as_bytes())?),
        TodayFormat::Html => {
            Ok(out.write_all(super::today_html::render(&sheet, filter).as_bytes())?)
        }
        TodayFormat::Table => table(ctx, &sheet, filter, out),
    }
}

pub(super) fn headline(sheet: &TodaySheet, filter: &CaseFilter) -> String {
    let expected = sheet.expected.len();
    let reported = sheet.reported();
    let mut s = format!(
        "{expected} expected today · {reported} reported · {} still to report · {} from earlier days not reported · {} with nowhere to go",
        expected - reported,
        sheet.outstanding.len(),
        sheet.homeless()
    );
    if !filter.is_empty() {
        s += &format!(" (only {})", filter.describe());
    }
    s
}

/// "Expected today (2), by name", "Released earlier, not yet reported (1), by day, then name".
pub(super) fn section_titles(sheet: &TodaySheet) -> [String; 2] {
    [
        format!(
            "Expected today ({}), {EXPECTED_ORDER}",
            sheet.expected.len()
        ),
        format!(
            "Released earlier, not yet reported ({}), {OUTSTANDING_ORDER}",
            sheet.outstanding.len()
        ),
    ]
}

/// "▲ NFA" for nowhere to go; "NFA · CAS3 bed booked" where a place is booked.
pub(super) fn where_to(v: &CaseView) -> String {
    let shown = wording::accommodation(&v.case);
    if v.case.needs_accommodation() {
        format!("▲ {shown}")
    } else {
        shown
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
    if sheet.homeless() > 0 {
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

/// Text made safe in a Markdown table cell: terminal escapes inert, `|` escaped, and `<`, `>`
/// and `&` as HTML entities, since most renderers (Teams, email) pass raw HTML through.
pub(super) fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in inert(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' => out.push_str("\\|"),
            c => out.push(c),
        }
    }
    out
}

fn markdown(sheet: &TodaySheet, filter: &CaseFilter) -> String {
    let mut out = format!(
        "# Release day sheet — {}\n\n{}\n",
        dates::long(sheet.today),
        md(&headline(sheet, filter))
    );
    let [expected, earlier] = section_titles(sheet);
    for (title, cases) in [(expected, &sheet.expected), (earlier, &sheet.outstanding)] {
        out += &format!("\n## {title}\n\n");
        if cases.is_empty() {
            out += "None.\n";
            continue;
        }
        out += "| Reported | Name | CRN | Day | Accommodation | RoSH | MAPPA | Officer | Prison | Notes |\n";
        out += "|---|---|---|---|---|---|---|---|---|---|\n";
        for v in cases {
            let c = &v.case;
            let accom = if c.needs_accommodation() {
                format!("**{}**", md(&where_to(v)))
            } else {
                md(&where_to(v))
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
    }
    out
}

#[cfg(test)]
mod tests {
    use super::md;

    #[test]
    fn markdown_cells_never_carry_markup() {
        assert_eq!(
            md("<img src=x onerror=alert(1)> & | co"),
            "&lt;img src=x onerror=alert(1)&gt; &amp; \\| co"
        );
    }
}
