//! `releaseday today --format markdown`: the sheet as Markdown tables, for Teams or email.

use super::words::{escaped, headline, readiness, reported, section_titles, where_to};
use crate::cli::csv_out::opt;
use crate::domain::dates;
use crate::query::wording;
use crate::query::{CaseFilter, TodaySheet};

/// Text made safe in a Markdown table cell: terminal escapes inert, `|` escaped, and `<`, `>`
/// and `&` as HTML entities, since most renderers (Teams, email) pass raw HTML through.
fn md(s: &str) -> String {
    escaped(s, |c| match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '|' => Some("\\|"),
        _ => None,
    })
}

pub(super) fn render(sheet: &TodaySheet, filter: &CaseFilter, by_appointment: bool) -> String {
    let mut out = format!(
        "# Release day sheet — {}\n\n{}\n",
        dates::long(sheet.today),
        md(&headline(sheet, filter))
    );
    let [expected, earlier] = section_titles(sheet, by_appointment);
    for (title, cases) in [(expected, &sheet.expected), (earlier, &sheet.outstanding)] {
        out += &format!("\n## {title}\n\n");
        if cases.is_empty() {
            out += "None.\n";
            continue;
        }
        out += "| Reported | Name | CRN | Day | Accommodation | Appointment | Licence and checks | RoSH | MAPPA | Officer | Prison | Notes |\n";
        out += "|---|---|---|---|---|---|---|---|---|---|---|---|\n";
        for v in cases {
            let c = &v.case;
            let accom = if c.needs_accommodation() {
                format!("**{}**", md(&where_to(v)))
            } else {
                md(&where_to(v))
            };
            let appointment = match wording::nothing_until(v, sheet.today) {
                Some(warning) => format!(
                    "**{}** ({})",
                    md(&warning),
                    md(&wording::appointment_and_place(v, sheet.today))
                ),
                None => md(&wording::appointment_and_place(v, sheet.today)),
            };
            out += &format!(
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
                if v.reported_at.is_some() {
                    reported(v)
                } else {
                    "☐".into()
                },
                md(&c.name),
                c.crn,
                dates::short(v.days.expected),
                accom,
                appointment,
                md(&readiness(v)),
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
