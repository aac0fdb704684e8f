//! `releaseday list`: releases by expected day, grouped under day headings.

use super::csv_out::{self, opt};
use super::json::{self, CaseJson};
use super::output::{severity_label, wrap, Cell, Column, Table, Term, Tone};
use super::{Ctx, Format};
use crate::domain::dates;
use crate::query::CaseView;
use chrono::NaiveDate;

pub fn run(ctx: &Ctx, from: NaiveDate, to: NaiveDate, format: Format) -> anyhow::Result<String> {
    let cases = ctx.planner.list(from, to, ctx.today)?;
    Ok(match format {
        Format::Json => json::to_string(&cases.iter().map(CaseJson::from).collect::<Vec<_>>()),
        Format::Csv => csv(&cases),
        Format::Table => table(ctx, &cases, from, to)?,
    })
}

fn csv(cases: &[CaseView]) -> String {
    csv_out::render(
        &[
            "expected_day",
            "crn",
            "name",
            "noms",
            "prison",
            "officer",
            "team",
            "release_date",
            "release_type",
            "statutory_day",
            "accommodation",
            "needs_accommodation",
            "rosh",
            "mappa",
            "worst_severity",
            "flags",
        ],
        cases.iter().map(|v| {
            let c = &v.case;
            vec![
                v.days.expected.to_string(),
                c.crn.to_string(),
                c.name.clone(),
                opt(&c.noms),
                opt(&c.prison),
                opt(&c.officer),
                opt(&c.team),
                c.release_date.to_string(),
                c.release_type.to_string(),
                v.days.statutory.to_string(),
                c.accommodation.to_string(),
                if c.needs_accommodation() { "yes" } else { "no" }.into(),
                opt(&c.rosh),
                opt(&c.mappa),
                opt(&v.worst_severity()),
                v.flags
                    .iter()
                    .map(|f| f.code.as_str())
                    .collect::<Vec<_>>()
                    .join(";"),
            ]
        }),
    )
}

fn table(ctx: &Ctx, cases: &[CaseView], from: NaiveDate, to: NaiveDate) -> anyhow::Result<String> {
    let term = &ctx.term;
    let mut out = wrap(
        &format!(
            "{} release{} expected {} to {}",
            cases.len(),
            if cases.len() == 1 { "" } else { "s" },
            dates::long(from),
            dates::long(to)
        ),
        term.width,
        2,
    );
    if cases.is_empty() {
        out += "Nothing in this window. Try a wider one with --from and --to, or import a file.\n";
        return Ok(out);
    }
    // The badges' clusters from the cases already in hand, not a second read of the window.
    let loads = crate::domain::clusters::loads(
        cases
            .iter()
            .map(|v| (v.expected_day(), v.case.needs_accommodation())),
    );
    let clusters = ctx.planner.clusters_from_loads(from, to, &loads);
    let mut start = 0;
    while start < cases.len() {
        let day = cases[start].days.expected;
        let end = start
            + cases[start..]
                .iter()
                .take_while(|c| c.days.expected == day)
                .count();
        let group = &cases[start..end];
        let homeless = group
            .iter()
            .filter(|c| c.case.needs_accommodation())
            .count();
        let mut heading = format!(
            "{} · {} release{}",
            dates::long(day),
            group.len(),
            if group.len() == 1 { "" } else { "s" }
        );
        if homeless > 0 {
            heading += &format!(" · {homeless} with nowhere to go");
        }
        if let Some(k) = clusters.iter().find(|k| k.day == day) {
            let covers = match (k.covers.first(), k.covers.last()) {
                (Some(a), Some(b)) => format!("covers {}", dates::range(*a, *b)),
                _ => "spike".into(),
            };
            let what = if k.holidays.is_empty() {
                format!("{} load cluster", k.severity.symbol())
            } else {
                format!("{} {}", k.severity.symbol(), k.holidays.join(", "))
            };
            heading += &format!(" · {covers} · {what}");
        }
        out += "\n";
        let heading = wrap(&super::output::inert(&heading), term.width, 2);
        out += &term.paint(Tone::Bold, heading.trim_end());
        out += "\n";
        out += &day_table(term, group);
        start = end;
    }
    Ok(out)
}

fn day_table(term: &Term, group: &[CaseView]) -> String {
    let mut t = Table::new(vec![
        Column::flex_last("Name"),
        Column::fixed("CRN"),
        Column::fixed("Type"),
        Column::fixed("Accomm"),
        Column::fixed("Flag"),
        Column::flex("Officer"),
        Column::flex("Prison"),
    ]);
    t.indent = 2;
    for v in group {
        let c = &v.case;
        let accom_tone = if c.needs_accommodation() {
            Tone::Red
        } else {
            Tone::Plain
        };
        let flag = match v.worst_flag() {
            Some(f) => Cell::toned(
                format!("{} {}", severity_label(f.severity), f.code),
                Tone::of(f.severity),
            ),
            None => Cell::toned("✓ ok", Tone::Green),
        };
        t.row(vec![
            Cell::new(&c.name),
            Cell::new(c.crn.as_str()),
            Cell::new(c.release_type.as_str()),
            Cell::toned(c.accommodation.as_str(), accom_tone),
            flag,
            Cell::new(c.officer.as_deref().unwrap_or("— none —")),
            Cell::new(c.prison.as_deref().unwrap_or("")),
        ]);
    }
    t.render(term)
}
