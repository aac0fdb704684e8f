//! Narrowing a list to one officer, team or prison, or to the people with nowhere to go: the
//! command line's `--officer`, `--team`, `--prison` and `--nowhere-to-go`, with the screens'
//! meaning (`tui::filter`): a value matches the whole field, `(none)` matches a blank one, and
//! "nowhere to go" is §3's "needs accommodation" (no fixed abode, transient or unknown, and no
//! place booked). Typed by hand, so case is ignored and surrounding spaces trimmed.

use crate::domain::case::Case;

/// The screens' value for a blank officer, prison or team.
pub const NONE: &str = "(none)";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFilter {
    pub officer: Option<String>,
    pub team: Option<String>,
    pub prison: Option<String>,
    pub nowhere_to_go: bool,
}

impl CaseFilter {
    pub fn is_empty(&self) -> bool {
        self.officer.is_none()
            && self.team.is_none()
            && self.prison.is_none()
            && !self.nowhere_to_go
    }

    pub fn matches(&self, c: &Case) -> bool {
        field(&self.officer, &c.officer)
            && field(&self.team, &c.team)
            && field(&self.prison, &c.prison)
            && (!self.nowhere_to_go || c.needs_accommodation())
    }

    /// "officer Priya Shah · nowhere to go", for the line above a table; empty when unfiltered.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        for (label, v) in [
            ("officer", &self.officer),
            ("team", &self.team),
            ("prison", &self.prison),
        ] {
            if let Some(v) = v {
                parts.push(format!("{label} {}", v.trim()));
            }
        }
        if self.nowhere_to_go {
            parts.push("nowhere to go".to_string());
        }
        parts.join(" · ")
    }
}

/// Whether a case's `value` passes a wanted value (`None`: anything passes).
fn field(wanted: &Option<String>, value: &Option<String>) -> bool {
    let Some(wanted) = wanted else {
        return true;
    };
    let wanted = wanted.trim();
    match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        None => wanted.eq_ignore_ascii_case(NONE),
        Some(v) => same(v, wanted),
    }
}

/// Equal ignoring case (all of Unicode's, not only ASCII's: "ZOË" = "Zoë").
fn same(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
        || a.chars()
            .flat_map(char::to_lowercase)
            .eq(b.chars().flat_map(char::to_lowercase))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::{Accommodation, Cas3Status};
    use chrono::NaiveDate;

    fn case() -> Case {
        let mut c = Case::new(
            "X123456".parse().unwrap(),
            "Zoë Example",
            NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        );
        c.officer = Some("Priya Shah".into());
        c.team = Some("Ashbury North".into());
        c.accommodation = Accommodation::Nfa;
        c
    }

    #[test]
    fn a_value_matches_the_whole_field_ignoring_case() {
        let c = case();
        let by = |officer: &str| CaseFilter {
            officer: Some(officer.into()),
            ..CaseFilter::default()
        };
        assert!(by("Priya Shah").matches(&c));
        assert!(by(" priya shah ").matches(&c));
        assert!(
            !by("Priya").matches(&c),
            "the whole field, as the screens match"
        );
        assert!(!by(NONE).matches(&c));
        let prison_none = CaseFilter {
            prison: Some("(none)".into()),
            ..CaseFilter::default()
        };
        assert!(prison_none.matches(&c), "(none) is a blank field");
        assert!(CaseFilter::default().matches(&c));
    }

    #[test]
    fn nowhere_to_go_is_needs_accommodation() {
        let mut c = case();
        let f = CaseFilter {
            nowhere_to_go: true,
            ..CaseFilter::default()
        };
        assert!(f.matches(&c));
        c.cas3 = Some(Cas3Status::BedBooked);
        assert!(
            !f.matches(&c),
            "NFA with a CAS3 bed booked has somewhere to go"
        );
        assert_eq!(f.describe(), "nowhere to go");
    }
}
