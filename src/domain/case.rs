//! The case record and its value types, under one name: the record (`Case`, `CasePatch`) is
//! generated from the field table (`domain::fields`), its values (the CRN, the codes, their
//! parsers) live in `domain::codes`, below the table.

pub use super::codes::*;
pub use super::fields::{Case, CasePatch, FieldChange, COLUMNS};

impl Case {
    /// §3: a place is booked when AP is `PLACEMENT_BOOKED`, CAS3 `BED_BOOKED` or CAS2 `ACCEPTED`.
    pub fn place_booked(&self) -> bool {
        self.housing().place_booked()
    }

    /// §3: `NFA`, `TRANSIENT` or `UNKNOWN` with no place booked.
    pub fn needs_accommodation(&self) -> bool {
        self.housing().needs_accommodation()
    }

    /// The place booked, if any (`Housing::booked_place`).
    pub fn booked_place(&self) -> Option<&'static str> {
        self.housing().booked_place()
    }

    /// The fields the accommodation rules read.
    pub fn housing(&self) -> Housing {
        Housing {
            accommodation: self.accommodation,
            ap: self.ap,
            cas3: self.cas3,
            cas2: self.cas2,
        }
    }

    /// On the Approved Premises route: an AP application submitted, assessed or placed.
    pub fn on_ap_route(&self) -> bool {
        matches!(
            self.ap(),
            ApStatus::Submitted | ApStatus::AssessedSuitable | ApStatus::PlacementBooked
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn friday_release_defaults_by_type() {
        let mut c = Case::new("X000001".parse().unwrap(), "A", d(2026, 1, 1));
        assert_eq!(c.friday_release(), FridayRelease::One);
        c.release_type = ReleaseType::Mtd;
        assert_eq!(c.friday_release(), FridayRelease::Two);
        c.release_type = ReleaseType::Hdc;
        assert_eq!(c.friday_release(), FridayRelease::No);
        c.friday_release = Some(FridayRelease::One);
        assert_eq!(c.friday_release(), FridayRelease::One);
    }

    #[test]
    fn needs_accommodation_unless_booked() {
        let mut c = Case::new("X000001".parse().unwrap(), "A", d(2026, 1, 1));
        assert!(c.needs_accommodation());
        c.cas3 = Some(Cas3Status::BedBooked);
        assert!(!c.needs_accommodation());
        assert_eq!(c.booked_place(), Some("CAS3 bed booked"));
        c.cas3 = None;
        c.accommodation = Accommodation::Settled;
        assert!(!c.needs_accommodation());
    }
}
