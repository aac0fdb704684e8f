//! The duty sheet's words that every format shows the same: the headline counts, the two
//! parts' titles, where a person is going and whether they have reported.

use crate::domain::readiness::checklist_text;
use crate::query::wording::{self, EXPECTED_ORDER, OUTSTANDING_ORDER};
use crate::query::{CaseFilter, CaseView, TodaySheet};
use crate::text::inert;

/// Text made safe for a markup: control characters inert, and each character `entity` names
/// written as that entity instead.
pub(super) fn escaped(s: &str, entity: impl Fn(char) -> Option<&'static str>) -> String {
    let mut out = String::with_capacity(s.len());
    for c in inert(s).chars() {
        match entity(c) {
            Some(e) => out.push_str(e),
            None => out.push(c),
        }
    }
    out
}

pub(super) fn headline(sheet: &TodaySheet, filter: &CaseFilter) -> String {
    let n = sheet.counts();
    let mut s = format!(
        "{} expected today · {} reported · {} still to report · {} from earlier days not reported · {} with nowhere to go",
        n.expected, n.reported, n.to_report, n.earlier, n.homeless
    );
    if n.nothing_until > 0 {
        s += &format!(
            " · ‼ {} with nowhere to go and nothing until a later day",
            n.nothing_until
        );
    }
    if !filter.is_empty() {
        s += &format!(" (only {})", filter.describe());
    }
    s
}

/// "Licence approved · ID ✓ bank ✗ benefits ? GP ✓": the licence and the checklist (§8).
pub(super) fn readiness(v: &CaseView) -> String {
    format!(
        "Licence {} · {}",
        wording::licence(&v.case),
        checklist_text(&v.case)
    )
}

/// "Expected today (2), by name", "Released earlier, not yet reported (1), by day, then name";
/// "…, by appointment time" when sorted so.
pub(super) fn section_titles(sheet: &TodaySheet, by_appointment: bool) -> [String; 2] {
    let (first, second) = if by_appointment {
        ("by appointment time", "by appointment time")
    } else {
        (EXPECTED_ORDER, OUTSTANDING_ORDER)
    };
    [
        format!("Expected today ({}), {first}", sheet.expected.len()),
        format!(
            "Released earlier, not yet reported ({}), {second}",
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

pub(super) fn reported(v: &CaseView) -> String {
    match v.reported_at {
        Some(t) => format!("✓ {}", t.format("%H:%M")),
        None => "· not yet".into(),
    }
}
