//! The whole of one case: how its day was reached, every referral with its deadline, every
//! flag, notes and the change history.

use crate::domain::case::Crn;
use crate::domain::case::{Accommodation, Case, ReleaseType};
use crate::domain::dates;
use crate::domain::gaps::{red_from, FlagCode};
use crate::domain::readiness::checklist_text;
use crate::query::history::AuditEntry;
use crate::query::{wording, CaseView, Planner};
use crate::text::inert;
use crate::tui::theme::Theme;
use chrono::NaiveDate;
use ratatui::text::{Line, Span};

/// A case's change history as read for showing, or why it could not be read.
pub type History = Result<Vec<AuditEntry>, String>;

/// Reads a case's history (when a detail opens, or after the case is written: never while
/// drawing).
pub fn read_history(planner: &Planner, crn: &Crn) -> History {
    planner.case_history(crn).map_err(|e| e.to_string())
}

fn row<'a>(label: &str, value: String, t: &Theme) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("{label:<18}"), t.dim()),
        Span::raw(value),
    ])
}

pub fn lines<'a>(
    v: &CaseView,
    planner: &Planner,
    history: &History,
    today: NaiveDate,
    t: &Theme,
) -> Vec<Line<'a>> {
    let c = &v.case;
    let opt = |o: &Option<String>| o.as_deref().map(inert).unwrap_or_else(|| "—".into());
    let mut out = vec![
        Line::from(vec![
            Span::styled(inert(&c.name), t.title()),
            Span::raw(format!("  {}", c.crn)),
            Span::styled(
                c.noms
                    .as_ref()
                    .map(|n| format!("  NOMS {n}"))
                    .unwrap_or_default(),
                t.dim(),
            ),
        ]),
        row("Prison", opt(&c.prison), t),
        row(
            "Officer",
            format!(
                "{}   Team: {}",
                c.officer
                    .as_deref()
                    .map(inert)
                    .unwrap_or_else(|| "none allocated".into()),
                opt(&c.team)
            ),
            t,
        ),
        row(
            "Risk",
            format!(
                "RoSH {}   MAPPA {}",
                c.rosh.map(|r| r.to_string()).unwrap_or_else(|| "—".into()),
                c.mappa.map(|m| m.to_string()).unwrap_or_else(|| "—".into())
            ),
            t,
        ),
        Line::from(""),
        Line::from(Span::styled("Release day", t.heading())),
        row(
            "Expected",
            format!(
                "{} ({})",
                dates::long(v.expected_day()),
                release_when(v.expected_day(), today)
            ),
            t,
        ),
        row("How", v.days.explain(&planner.cal, c.release_type), t),
        row(
            "Type",
            format!(
                "{}   Friday release: {}{}",
                c.release_type,
                c.friday_release(),
                if c.friday_release.is_none() {
                    " (the type's default)"
                } else {
                    ""
                }
            ),
            t,
        ),
    ];
    if let Some(p) = &v.reported_at {
        out.push(row(
            "Reported",
            p.format("%a %-d %b %Y at %H:%M").to_string(),
            t,
        ));
    }
    custody_and_readiness(&mut out, v, today, t);
    out.push(Line::from(""));
    out.push(Line::from(Span::styled("Accommodation", t.heading())));
    let needs = c.needs_accommodation();
    out.push(Line::from(vec![
        Span::styled(format!("{:<18}", "Planned"), t.dim()),
        Span::styled(
            match (needs, place_instead(c)) {
                (true, _) => format!("{}  ▲ nowhere to go", c.accommodation),
                (false, Some(place)) => format!("{}, {place}", c.accommodation),
                (false, None) => c.accommodation.to_string(),
            },
            if needs { t.homeless() } else { t.ok() },
        ),
    ]));
    let r = v.expected_day();
    let th = &planner.settings.gaps;
    let due = |code| {
        format!(
            "due {}",
            dates::near(red_from(code, r, th, &planner.cal), today)
        )
    };
    let sent = |d: Option<NaiveDate>| d.map(|d| format!("sent {}", dates::near(d, today)));
    let ap_status = format!(
        "{}{}",
        c.ap(),
        if c.ap_required() { " (required)" } else { "" }
    );
    let referrals = [
        (
            "Duty to Refer",
            c.dtr().to_string(),
            sent(c.dtr_date),
            FlagCode::DtrNotSent,
        ),
        (
            "CRS",
            c.crs().to_string(),
            sent(c.crs_date),
            FlagCode::CrsNotSent,
        ),
        (
            "CAS3",
            c.cas3().to_string(),
            sent(c.cas3_date),
            FlagCode::Cas3NotSent,
        ),
        (
            "Approved Premises",
            ap_status,
            sent(c.ap_date),
            FlagCode::ApNotSent,
        ),
        (
            "CAS2",
            c.cas2().to_string(),
            sent(c.cas2_date),
            FlagCode::Cas2NotSent,
        ),
    ];
    for (label, status, sent_on, code) in referrals {
        let mut text = format!("{status:<22}");
        if let Some(s) = sent_on {
            text += &format!("{s}   ");
        }
        // The deadline shows only where the gap rule would apply (DOMAIN.md §4).
        let needs = c.needs_accommodation();
        let relevant = match code {
            FlagCode::DtrNotSent | FlagCode::CrsNotSent => needs,
            FlagCode::Cas3NotSent => {
                needs && c.release_type != ReleaseType::Hdc && !c.on_ap_route()
            }
            FlagCode::ApNotSent => c.ap_required(),
            _ => c.release_type == ReleaseType::Hdc && needs,
        };
        // A deadline matters only while the referral is still to be sent.
        let outstanding = status.starts_with("NOT_SENT") || status.starts_with("WITHDRAWN");
        if relevant && outstanding && r >= today {
            text += &due(code);
        }
        out.push(row(label, text, t));
    }
    out.push(Line::from(""));
    out.push(Line::from(Span::styled("Flags", t.heading())));
    if v.flags.is_empty() {
        out.push(Line::from(Span::styled("✓ nothing due", t.ok())));
    }
    for fl in &v.flags {
        out.push(Line::from(vec![
            Span::styled(
                format!("{} {:<6}", fl.severity.symbol(), fl.severity.as_str()),
                t.severity(fl.severity),
            ),
            Span::raw(format!("{:<16}", fl.code.as_str())),
            Span::raw(fl.message.clone()),
        ]));
    }
    out.push(Line::from(""));
    out.push(Line::from(Span::styled("Notes", t.heading())));
    out.push(Line::from(
        c.notes.as_deref().map(inert).unwrap_or_else(|| "—".into()),
    ));
    out.push(Line::from(""));
    out.push(Line::from(Span::styled("History", t.heading())));
    match history {
        Err(e) => out.push(Line::from(Span::styled(
            format!("The history could not be read: {}", inert(e)),
            t.error(),
        ))),
        Ok(h) if h.is_empty() => {
            out.push(Line::from(Span::styled("no changes recorded", t.dim())));
        }
        Ok(_) => {}
    }
    for h in history.iter().flatten().take(50) {
        let when = h.at.get(..16).unwrap_or(&h.at).replace('T', " ");
        out.push(Line::from(vec![
            Span::styled(format!("{when} UTC  "), t.dim()),
            Span::raw(history_text(h)),
        ]));
    }
    out
}

/// Who holds the case and when it passes to the community (DOMAIN.md §7), and what the duty
/// officer checks on the morning (§8).
fn custody_and_readiness<'a>(out: &mut Vec<Line<'a>>, v: &CaseView, today: NaiveDate, t: &Theme) {
    let c = &v.case;
    out.push(Line::from(""));
    out.push(Line::from(Span::styled("Handover (OMiC)", t.heading())));
    let pom = c.pom.as_deref().map(inert);
    out.push(row(
        "Held by",
        v.handover.describe(pom.as_deref(), today),
        t,
    ));
    // A recall has no handover day, and "Held by" already says the COM holds it throughout.
    if let Some(h) = v.handover.day {
        let rule = format!(
            "{} (handover {})",
            v.handover.rule.explain(),
            dates::long(h)
        );
        out.push(row("Rule", rule, t));
    }
    out.push(Line::from(""));
    out.push(Line::from(Span::styled("Release morning", t.heading())));
    if let Some(warning) = wording::nothing_until(v, today) {
        out.push(Line::from(Span::styled(
            warning,
            t.severity(crate::domain::severity::Severity::Red),
        )));
    }
    out.push(row(
        "Appointment",
        inert(&wording::appointment_and_place(v, today)),
        t,
    ));
    out.push(row("Licence", wording::licence(c).to_string(), t));
    out.push(row("Checks", checklist_text(c), t));
}

/// One history row as an officer reads it: who, and what wrote it when that was not the
/// planner, then the change ("priya, import of weekly.csv: dtr SUBMITTED → NOT_SENT",
/// "priya: notes (blank) → Rang council", "demo: case created").
pub fn history_text(h: &AuditEntry) -> String {
    let show = |v: &Option<String>| v.as_deref().map_or_else(|| "(blank)".into(), inert);
    let change = match h.field.as_str() {
        "created" => "case created".to_string(),
        "replaced" => "case replaced".to_string(),
        f => format!("{f} {} → {}", show(&h.old), show(&h.new)),
    };
    match &h.source {
        Some(source) => format!("{}, {}: {change}", inert(&h.who), inert(source)),
        None => format!("{}: {change}", inert(&h.who)),
    }
}

/// The place booked for someone planned as `NFA`, `TRANSIENT` or `UNKNOWN` ("CAS3 bed
/// booked"): where they will in fact go, which the planned accommodation alone hides. (For a
/// case planned as `CAS3` with its bed booked, the accommodation already says it.)
pub fn place_instead(c: &Case) -> Option<&'static str> {
    let homeless_plan = matches!(
        c.accommodation,
        Accommodation::Nfa | Accommodation::Transient | Accommodation::Unknown
    );
    c.booked_place().filter(|_| homeless_plan)
}

/// "in 12 days", "today", "3 days ago".
pub fn release_when(day: NaiveDate, today: NaiveDate) -> String {
    match (day - today).num_days() {
        0 => "today".into(),
        1 => "tomorrow".into(),
        -1 => "yesterday".into(),
        n if n > 0 => format!("in {}", dates::days(n)),
        n => format!("{} ago", dates::days(-n)),
    }
}
