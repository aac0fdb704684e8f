//! Words the screens and the command line both show, so each says a thing the same way.

use crate::domain::case::Case;

/// How the duty sheet's first part is ordered: today's releases.
pub const EXPECTED_ORDER: &str = "by name";
/// How its second part is ordered: earlier days' releases not yet reported.
pub const OUTSTANDING_ORDER: &str = "by day, then name";

/// The accommodation as the duty sheet shows it, naming a place booked: "NFA · CAS3 bed
/// booked" (somewhere to go tonight, though the record still says no fixed abode), "NFA",
/// "SETTLED". Whether to mark it as nowhere to go is `Case::needs_accommodation`.
pub fn accommodation(case: &Case) -> String {
    match case.booked_place() {
        Some(place) => format!("{} · {place}", case.accommodation),
        None => case.accommodation.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::{Accommodation, Cas3Status};
    use chrono::NaiveDate;

    #[test]
    fn a_booked_bed_is_named_beside_the_record() {
        let mut c = Case::new(
            "X123456".parse().unwrap(),
            "Ann Example",
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        );
        c.accommodation = Accommodation::Nfa;
        assert_eq!(accommodation(&c), "NFA");
        c.cas3 = Some(Cas3Status::BedBooked);
        assert_eq!(accommodation(&c), "NFA · CAS3 bed booked");
        assert!(!c.needs_accommodation());
    }
}
