//! `releaseday today --format html`: the duty officer's sheet as one printable page, the same
//! content as the markdown sheet. Self-contained (inline CSS, no scripts, nothing fetched), so
//! it prints the same on a desk PC with no network. Every text field is escaped: names and
//! notes come from imports. The markup is also well-formed XML, which the tests check.

use super::words::{escaped, headline, readiness, reported, section_titles, where_to};
use crate::cli::csv_out::opt;
use crate::domain::dates;
use crate::query::wording;
use crate::query::{CaseFilter, CaseView, TodaySheet};
use chrono::NaiveDate;

/// A4 landscape, a header row repeated on every page, and no row split across pages.
const STYLE: &str = "
body { font-family: system-ui, 'Segoe UI', Arial, sans-serif; font-size: 11pt; color: #000; background: #fff; margin: 1.5em; }
h1 { font-size: 16pt; margin: 0 0 0.3em; }
h2 { font-size: 13pt; margin: 1.2em 0 0.4em; break-after: avoid; page-break-after: avoid; }
p { margin: 0.2em 0; }
table { border-collapse: collapse; width: 100%; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 1px solid #555; padding: 3pt 5pt; text-align: left; vertical-align: top; }
th { background: #eee; }
td.tick { width: 3.5em; text-align: center; font-size: 14pt; }
td.nowhere { font-weight: bold; border-width: 2px; }
td.notes { min-width: 12em; }
td.nowrap { white-space: nowrap; }
footer { margin-top: 1.5em; font-size: 9pt; }
@page { size: A4 landscape; margin: 10mm; }
@media print {
  body { margin: 0; font-size: 9pt; }
  th { background: none; }
}
";

const HEADERS: [&str; 12] = [
    "Reported",
    "Name",
    "CRN",
    "Day",
    "Accommodation",
    "Appointment",
    "Licence and checks",
    "RoSH",
    "MAPPA",
    "Officer",
    "Prison",
    "Notes",
];

/// Text made safe for HTML: terminal escapes shown inert, then `& < > " '` as entities.
pub fn escape(s: &str) -> String {
    escaped(s, |c| match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '"' => Some("&quot;"),
        '\'' => Some("&#39;"),
        _ => None,
    })
}

pub fn render(sheet: &TodaySheet, filter: &CaseFilter, by_appointment: bool) -> String {
    let title = format!("Release day sheet — {}", dates::long(sheet.today));
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\" />\n\
         <title>{t}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{t}</h1>\n\
         <p class=\"headline\">{}</p>\n",
        escape(&headline(sheet, filter)),
        t = escape(&title),
    );
    if sheet.counts().homeless > 0 {
        out += "<p>▲ nowhere to go = no fixed abode, or no place booked</p>\n";
    }
    if sheet.counts().nothing_until > 0 {
        out += "<p>‼ = nowhere to go and no one to see until a later day</p>\n";
    }
    let [expected, earlier] = section_titles(sheet, by_appointment);
    section(&mut out, &expected, &sheet.expected, sheet.today);
    section(&mut out, &earlier, &sheet.outstanding, sheet.today);
    out += "<footer>Printed from releaseday. It holds personal data: keep it at the desk and \
            shred it after use.</footer>\n</body>\n</html>\n";
    out
}

fn section(out: &mut String, title: &str, cases: &[CaseView], today: NaiveDate) {
    *out += &format!("<section>\n<h2>{}</h2>\n", escape(title));
    if cases.is_empty() {
        *out += "<p>None.</p>\n</section>\n";
        return;
    }
    *out += "<table>\n<thead><tr>";
    for h in HEADERS {
        *out += &format!("<th scope=\"col\">{h}</th>");
    }
    *out += "</tr></thead>\n<tbody>\n";
    for v in cases {
        *out += &row(v, today);
    }
    *out += "</tbody>\n</table>\n</section>\n";
}

fn row(v: &CaseView, today: NaiveDate) -> String {
    let c = &v.case;
    // An empty box to tick by hand, or the time the person reported.
    let tick = if v.reported_at.is_some() {
        reported(v)
    } else {
        "☐".into()
    };
    let accommodation = if c.needs_accommodation() {
        format!(
            "<td class=\"nowhere\">{} — nowhere to go</td>",
            escape(&where_to(v))
        )
    } else {
        format!("<td>{}</td>", escape(&where_to(v)))
    };
    let cell = |s: &str| format!("<td>{}</td>", escape(s));
    let appointment = match wording::nothing_until(v, today) {
        Some(warning) => format!(
            "<td class=\"nowhere\">{}<br />{}</td>",
            escape(&warning),
            escape(&wording::appointment_and_place(v, today))
        ),
        None => cell(&wording::appointment_and_place(v, today)),
    };
    format!(
        "<tr><td class=\"tick\">{}</td>{}<td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td>\
         {}{}{}{}{}{}{}<td class=\"notes\">{}</td></tr>\n",
        escape(&tick),
        cell(&c.name),
        escape(c.crn.as_str()),
        escape(&dates::short(v.days.expected)),
        accommodation,
        appointment,
        cell(&readiness(v)),
        cell(&opt(&c.rosh)),
        cell(&opt(&c.mappa)),
        cell(c.officer.as_deref().unwrap_or("none allocated")),
        cell(c.prison.as_deref().unwrap_or("")),
        escape(c.notes.as_deref().unwrap_or("")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_markup_quotes_and_terminal_escapes() {
        assert_eq!(
            escape("<b>\"Jo\" & 'Al'</b>"),
            "&lt;b&gt;&quot;Jo&quot; &amp; &#39;Al&#39;&lt;/b&gt;"
        );
        assert_eq!(escape("a\u{1b}[2Jb"), "a\u{FFFD}[2Jb");
    }
}
