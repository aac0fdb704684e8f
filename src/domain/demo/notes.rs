//! The short notes officers leave on a case.

use super::rng::Rng;
use crate::domain::case::{Accommodation, Case, ReleaseType};

pub(super) const NOTES_HOMELESS: &[&str] = &[
    "Council asked for ID docs",
    "Mum's address refused by police",
    "Was sofa-surfing at brother's before custody",
    "No local connection, council querying",
    "Rough sleeping before sentence",
    "Partner's address not suitable (DA history)",
    "Needs ground-floor room",
    "Outreach team aware, will meet at the gate",
    "Housing options appointment booked for release day",
    "Lost tenancy while in custody",
    "Rent arrears with council may affect offer",
    "Friend's flat, short term only",
    "Exclusion zone limits where he can live",
    "Has a dog, hostels won't take her",
];

pub(super) const NOTES_SETTLED: &[&str] = &[
    "Returning to own tenancy",
    "Living with parents, address checked",
    "Partner's address approved",
    "Supported housing place confirmed",
    "Sister collecting from the gate",
    "Needs ground-floor room",
];

pub(super) const NOTES_ANY: &[&str] = &[
    "Methadone script to be arranged for release day",
    "Interpreter needed (Polish)",
    "Mental health referral made",
    "Licence condition: no contact with victim",
    "Travel warrant requested",
    "ETE referral made, keen to work",
    "Bank account opened in custody",
    "Phone number to follow",
    "Universal Credit advance claim started",
    "Prison to confirm release time",
    "First appointment booked for 2pm on release day",
];

pub(super) const NOTES_AP: &[&str] = &[
    "AP placement likely in another region",
    "MAPPA meeting booked",
    "Exclusion zone: town centre",
    "Curfew at AP, 9pm to 7am",
    "Victim liaison officer involved",
];

pub(super) const NOTES_YOUTH: &[&str] = &[
    "YOT handover meeting arranged",
    "Children's services involved",
    "Mum collecting from the gate",
];

pub(super) const NOTES_HDC: &[&str] = &[
    "Curfew address check completed",
    "Tag fitting booked for release day",
    "CAS2 property in another area",
];

/// A short officer's note that fits the case.
pub(super) fn note_for(case: &Case, rng: &mut Rng) -> &'static str {
    let specific: &[&str] = match (case.release_type, case.accommodation) {
        (_, Accommodation::Ap) => NOTES_AP,
        (ReleaseType::Hdc, _) => NOTES_HDC,
        (ReleaseType::Etd | ReleaseType::Mtd, _) => NOTES_YOUTH,
        (_, Accommodation::Nfa | Accommodation::Transient | Accommodation::Unknown) => {
            NOTES_HOMELESS
        }
        (_, Accommodation::Settled) => NOTES_SETTLED,
        _ => NOTES_ANY,
    };
    let list = if rng.chance(0.65) {
        specific
    } else {
        NOTES_ANY
    };
    list[rng.index(list.len())]
}
