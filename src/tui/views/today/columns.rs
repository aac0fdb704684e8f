//! A person's row and the lines under it, laid out for a width: under 120 columns officer,
//! prison and notes go under the row; wider, they are columns.

use crate::domain::case::{Case, LicenceStatus, Rosh};
use crate::domain::readiness::{check_mark, checklist};
use crate::domain::severity::Severity;
use crate::query::wording;
use crate::query::CaseView;
use crate::text::{fit, inert, pad, width};
use crate::tui::theme::Theme;
use crate::tui::views::detail::place_instead;
use crate::tui::views::row::{self, SEP};
use crate::tui::DrawCx;
use chrono::NaiveDate;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

pub(super) const REPORTED_W: usize = 9;
pub(super) const CRN_W: usize = 7;
pub(super) const DAY_W: usize = 6;
/// "▲ TRANSIENT", or "✓ CAS3 bed" for a place booked (said in full under the row).
pub(super) const ACCOM_W: usize = 12;
pub(super) const RISK_W: usize = 12;
/// Where the name column starts: the marker, the reported column and a separator.
pub(super) const INDENT: usize = 2 + REPORTED_W + 2;
/// Most lines of notes under a person (Enter shows the rest).
pub(super) const NOTE_LINES: usize = 2;

/// Column widths for a width. Under 120 columns officer, prison and notes go on a second
/// line under each person; wider, officer and prison are columns, and notes too from ~180.
#[derive(Debug, Clone, Copy)]
pub(super) struct Columns {
    pub(super) width: usize,
    pub(super) name: usize,
    pub(super) officer: Option<usize>,
    pub(super) prison: Option<usize>,
    pub(super) notes: Option<usize>,
}

impl Columns {
    pub(super) fn for_width(width: u16) -> Columns {
        let w = width as usize;
        let fixed = 2 + REPORTED_W + CRN_W + DAY_W + ACCOM_W + RISK_W + 5 * SEP.len();
        if w < 120 {
            return Columns {
                width: w,
                name: w.saturating_sub(fixed).max(12),
                officer: None,
                prison: None,
                notes: None,
            };
        }
        let flex = w - fixed - 2 * SEP.len();
        let name = (flex * 40 / 100).clamp(16, 28);
        let officer = (flex * 30 / 100).clamp(12, 22);
        let rest = flex - name - officer;
        let (prison, notes) = if rest >= 26 + SEP.len() + 24 {
            (26, Some(rest - 26 - SEP.len()))
        } else {
            (rest, None)
        };
        Columns {
            width: w,
            name,
            officer: Some(officer),
            prison: Some(prison),
            notes,
        }
    }

    pub(super) fn header<'a>(&self, style: Style) -> Line<'a> {
        let mut cells = vec![
            pad("Reported", REPORTED_W),
            pad("Name", self.name),
            pad("CRN", CRN_W),
            pad("Day", DAY_W),
            pad("Accomm", ACCOM_W),
            pad("Risk", RISK_W),
        ];
        for (h, w) in [
            ("Officer", self.officer),
            ("Prison", self.prison),
            ("Notes", self.notes),
        ] {
            if let Some(w) = w {
                cells.push(pad(h, w));
            }
        }
        let mut text = format!("  {}", cells.join(SEP));
        if self.officer.is_none() {
            text = fit(&text, self.width);
        }
        Line::from(Span::styled(text, style))
    }

    pub(super) fn row<'a>(&self, v: &CaseView, cx: &DrawCx, selected: bool) -> Line<'a> {
        let t = cx.theme;
        let c = &v.case;
        let mut cells: Vec<(String, usize, Style)> = vec![
            match v.reported_at {
                Some(at) => (format!("✓ {}", at.format("%H:%M")), REPORTED_W, t.ok()),
                None => ("· waiting".into(), REPORTED_W, t.dim()),
            },
            (inert(&c.name), self.name, Style::default()),
            (c.crn.to_string(), CRN_W, Style::default()),
            if v.expected_day() == cx.today {
                ("today".into(), DAY_W, t.dim())
            } else {
                (day(v.expected_day()), DAY_W, Style::default())
            },
            match (c.needs_accommodation(), place_instead(c)) {
                (true, _) => (format!("▲ {}", c.accommodation), ACCOM_W, t.homeless()),
                // NFA with a CAS3 bed booked has somewhere to go: say where, not "NFA".
                (false, Some(place)) => (format!("✓ {}", short_place(place)), ACCOM_W, t.ok()),
                (false, None) => (c.accommodation.to_string(), ACCOM_W, Style::default()),
            },
            (
                risk(c),
                RISK_W,
                if matches!(c.rosh, Some(Rosh::High | Rosh::VeryHigh)) {
                    t.title()
                } else {
                    Style::default()
                },
            ),
        ];
        if let Some(w) = self.officer {
            cells.push(match officer(c) {
                Some(o) => (o, w, Style::default()),
                None => ("▲ none".into(), w, t.severity(Severity::Red)),
            });
        }
        if let Some(w) = self.prison {
            cells.push((
                c.prison.as_deref().map(inert).unwrap_or_default(),
                w,
                Style::default(),
            ));
        }
        if let Some(w) = self.notes {
            cells.push((notes(c), w, t.dim()));
        }
        row::line(cells, selected, t)
    }

    /// Lines under a person: "nowhere to go and nothing until tomorrow 14:00" where it is so,
    /// the appointment, licence and checklist (DOMAIN.md §8), officer and prison when narrow
    /// (they are columns when wide), then notes, wrapped, unless they have a column.
    pub(super) fn detail<'a>(&self, v: &CaseView, today: NaiveDate, t: &Theme) -> Vec<Line<'a>> {
        let c = &v.case;
        let mut lines = Vec::new();
        if let Some(warning) = wording::nothing_until(v, today) {
            lines.extend(wrap_spans(
                vec![(warning, t.severity(Severity::Red))],
                self.width,
                INDENT,
                1,
            ));
        }
        let appointment = match c.appointment {
            None => ("▲ no appointment".to_string(), t.severity(Severity::Amber)),
            Some(_) => (
                format!("Appt {}", inert(&wording::appointment_and_place(v, today))),
                Style::default(),
            ),
        };
        let mut parts = vec![appointment];
        // Left out when there is nothing to say, so most people keep to one line at 80
        // columns: a licence not tracked, and a checklist not known at all.
        match c.licence {
            None => {}
            Some(LicenceStatus::Approved) => {
                parts.push((" · ".into(), t.dim()));
                parts.push(("licence approved".into(), t.dim()));
            }
            Some(_) => {
                parts.push((" · ".into(), t.dim()));
                parts.push((
                    format!("▲ licence {}", wording::licence(c)),
                    t.severity(Severity::Amber),
                ));
            }
        }
        parts.push((" · ".into(), t.dim()));
        parts.push((checks(c), t.dim()));
        lines.extend(wrap_spans(parts, self.width, INDENT, 2));
        if self.officer.is_none() {
            let mut parts: Vec<(String, Style)> = Vec::new();
            match officer(c) {
                Some(o) => {
                    parts.push(("Officer ".into(), t.dim()));
                    parts.push((o, Style::default()));
                }
                None => parts.push(("▲ no officer allocated".into(), t.severity(Severity::Red))),
            }
            parts.push((" · ".into(), t.dim()));
            parts.push(match c.prison.as_deref() {
                Some(p) => (inert(p), Style::default()),
                None => ("prison not recorded".into(), t.dim()),
            });
            if let Some(place) = place_instead(c) {
                parts.push((" · ".into(), t.dim()));
                parts.push((format!("{}, {place}", c.accommodation), t.ok()));
            }
            let max = if place_instead(c).is_some() { 2 } else { 1 };
            lines.extend(wrap_spans(parts, self.width, INDENT, max));
        } else if let Some(place) = place_instead(c) {
            lines.extend(wrap_spans(
                vec![(format!("{}, {place}", c.accommodation), t.ok())],
                self.width,
                INDENT,
                1,
            ));
        }
        if self.notes.is_none() && has_notes(c) {
            lines.extend(wrap_spans(
                vec![(notes(c), t.dim())],
                self.width,
                INDENT,
                NOTE_LINES,
            ));
        }
        lines.into_iter().map(Line::from).collect()
    }
}

/// "ID ✓ bank ✗ benefits ? GP ✓", each check kept whole when the line wraps; "checks not
/// known" when none is.
fn checks(c: &Case) -> String {
    if checklist(c).iter().all(|(_, v)| v.is_none()) {
        return "checks not known".into();
    }
    checklist(c)
        .iter()
        .map(|(what, v)| format!("{what}\u{a0}{}", check_mark(*v)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// "CAS3 bed booked" as the column has room for it: "CAS3 bed".
pub(super) fn short_place(place: &str) -> String {
    match place.split(' ').take(2).collect::<Vec<_>>()[..] {
        ["AP", _] => "AP place".into(),
        ref words => words.join(" "),
    }
}

pub(super) fn officer(c: &Case) -> Option<String> {
    c.officer
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .map(inert)
}

pub(super) fn has_notes(c: &Case) -> bool {
    c.notes.as_deref().is_some_and(|n| !n.trim().is_empty())
}

pub(super) fn notes(c: &Case) -> String {
    inert(c.notes.as_deref().unwrap_or("").trim())
}

/// "HIGH M2", "MEDIUM", "M1"; blank when neither is recorded.
pub(super) fn risk(c: &Case) -> String {
    match (c.rosh, c.mappa) {
        (Some(r), Some(m)) => format!("{r} M{m}"),
        (Some(r), None) => r.to_string(),
        (None, Some(m)) => format!("M{m}"),
        (None, None) => String::new(),
    }
}

/// "Tue 17": within the week looked back over, the weekday and date are enough.
pub(super) fn day(d: NaiveDate) -> String {
    d.format("%a %-d").to_string()
}

pub(super) fn used_by(spans: &[Span]) -> usize {
    spans.iter().map(|s| width(&s.content)).sum()
}

/// Styled text word-wrapped to a width under an indent, at most `max` lines, the last one
/// ending in "…" when text was left over.
pub(super) fn wrap_spans<'a>(
    parts: Vec<(String, Style)>,
    line_width: usize,
    indent: usize,
    max: usize,
) -> Vec<Vec<Span<'a>>> {
    let room = line_width.saturating_sub(indent).max(10);
    let mut lines: Vec<Vec<Span>> = Vec::new();
    let mut line: Vec<Span> = Vec::new();
    let mut used = 0;
    let mut cut = false;
    'parts: for (text, style) in parts {
        for word in text.split_inclusive(' ') {
            let n = width(word);
            if used + n > room && used > 0 {
                lines.push(std::mem::take(&mut line));
                used = 0;
                if lines.len() == max {
                    cut = true;
                    break 'parts;
                }
            }
            let word = if used == 0 { word.trim_start() } else { word };
            let word = fit(word, room);
            used += width(&word);
            line.push(Span::styled(word, style));
        }
    }
    if !line.is_empty() && !cut {
        lines.push(line);
    }
    if cut {
        if let Some(last) = lines.last_mut() {
            let all = used_by(last);
            if let Some(span) = last.last_mut() {
                let mut text = span.content.trim_end().to_string();
                let before = all - width(&span.content);
                if before + width(&text) >= room {
                    text.pop();
                }
                text.push('…');
                span.content = text.into();
            }
        }
    }
    for l in &mut lines {
        l.insert(0, Span::raw(" ".repeat(indent)));
    }
    lines
}
