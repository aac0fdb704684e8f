//! Each kind of release's accommodation and the referrals behind it, as an officer would have
//! them by now.

use super::notes::note_for;
use super::plan::Plan;
use super::risk::general_risk;
use super::rng::{sub, Rng};
use crate::domain::case::{
    Accommodation, ApStatus, Cas2Status, Cas3Status, Case, CrsStatus, DtrStatus, ReleaseType, Rosh,
};

/// Accommodation and the referrals behind it, for an ordinary determinate release.
pub(super) fn housing(case: &mut Case, t: i64, plan: &Plan, rng: &mut Rng) {
    use Accommodation::*;
    let unknown = if t > 84 {
        12
    } else if t > 28 {
        7
    } else {
        4
    };
    let cas3 = if t <= 90 { 5 } else { 0 };
    case.accommodation = rng.weighted(&[
        (Settled, 47),
        (Nfa, 17),
        (Transient, 11),
        (Unknown, unknown),
        (LaTemp, 6),
        (Cas3, cas3),
    ]);
    match case.accommodation {
        Nfa | Transient | Unknown => homeless_referrals(case, t, plan, rng, true),
        Cas3 => {
            // A CAS3 bed is the plan: the council and CRS were told earlier.
            sent_dtr(
                case,
                t,
                plan,
                rng,
                &[(DtrStatus::Submitted, 30), (DtrStatus::Accepted, 70)],
            );
            case.crs = Some(CrsStatus::Live);
            case.cas3 = Some(if t <= 28 {
                rng.weighted(&[(Cas3Status::BedBooked, 85), (Cas3Status::ReadyToPlace, 15)])
            } else {
                rng.weighted(&[
                    (Cas3Status::BedBooked, 20),
                    (Cas3Status::ReadyToPlace, 40),
                    (Cas3Status::InReview, 40),
                ])
            });
        }
        LaTemp => {
            sent_dtr(case, t, plan, rng, &[(DtrStatus::Accepted, 1)]);
            case.crs = rng.weighted(&[
                (Some(CrsStatus::Live), 50),
                (Some(CrsStatus::Completed), 20),
                (None, 30),
            ]);
        }
        _ => {}
    }
}

/// Probability the officer has sent a referral by now, by days to release.
pub(super) fn sent_by(t: i64, steps: &[(i64, f64)]) -> f64 {
    steps
        .iter()
        .find(|(above, _)| t > *above)
        .map(|(_, p)| *p)
        .unwrap_or(steps[steps.len() - 1].1)
}

/// DTR, CRS and CAS3 for someone with nowhere settled to go. `cas3_route`: not HDC, not AP.
pub(super) fn homeless_referrals(
    case: &mut Case,
    t: i64,
    plan: &Plan,
    rng: &mut Rng,
    cas3_route: bool,
) {
    // Unassessed cases lag behind; sofa-surfers a little.
    let diligence = match case.accommodation {
        Accommodation::Unknown => 0.6,
        Accommodation::Transient => 0.85,
        _ => 1.0,
    };
    let p_dtr = diligence * sent_by(t, &[(84, 0.15), (56, 0.45), (28, 0.8), (i64::MIN, 0.88)]);
    if rng.chance(p_dtr) {
        let statuses: &[(DtrStatus, u32)] = if t > 56 {
            &[
                (DtrStatus::Submitted, 75),
                (DtrStatus::Accepted, 20),
                (DtrStatus::NotAccepted, 3),
                (DtrStatus::Withdrawn, 2),
            ]
        } else {
            &[
                (DtrStatus::Submitted, 35),
                (DtrStatus::Accepted, 55),
                (DtrStatus::NotAccepted, 6),
                (DtrStatus::Withdrawn, 4),
            ]
        };
        sent_dtr(case, t, plan, rng, statuses);
    } else {
        case.dtr = Some(DtrStatus::NotSent);
    }
    let p_crs = diligence * sent_by(t, &[(112, 0.1), (84, 0.45), (56, 0.8), (i64::MIN, 0.9)]);
    case.crs = Some(if rng.chance(p_crs) {
        rng.weighted(&[
            (CrsStatus::Live, 92),
            (CrsStatus::Withdrawn, 5),
            (CrsStatus::Completed, 3),
        ])
    } else {
        CrsStatus::NotSent
    });
    if !cas3_route || case.accommodation == Accommodation::Unknown {
        return;
    }
    // CAS3 takes referrals for releases within three months.
    let (p, statuses): (f64, &[(Cas3Status, u32)]) = if t > 90 {
        (0.0, &[])
    } else if t > 28 {
        (
            0.45,
            &[
                (Cas3Status::Submitted, 45),
                (Cas3Status::InReview, 40),
                (Cas3Status::ReadyToPlace, 10),
                (Cas3Status::Rejected, 5),
            ],
        )
    } else if t > 7 {
        (
            0.75,
            &[
                (Cas3Status::Submitted, 10),
                (Cas3Status::InReview, 25),
                (Cas3Status::ReadyToPlace, 25),
                (Cas3Status::BedBooked, 30),
                (Cas3Status::Rejected, 7),
                (Cas3Status::Withdrawn, 3),
            ],
        )
    } else {
        (
            0.8,
            &[
                (Cas3Status::InReview, 10),
                (Cas3Status::ReadyToPlace, 20),
                (Cas3Status::BedBooked, 55),
                (Cas3Status::Rejected, 10),
                (Cas3Status::Withdrawn, 5),
            ],
        )
    };
    case.cas3 = Some(if rng.chance(p) {
        rng.weighted(statuses)
    } else {
        Cas3Status::NotSent
    });
    // Most officers update the planned accommodation once a bed is booked.
    if case.cas3 == Some(Cas3Status::BedBooked) && rng.chance(0.85) {
        case.accommodation = Accommodation::Cas3;
    }
}

/// A DTR sent before today: recently for releases far off, up to ten weeks ago for close ones.
pub(super) fn sent_dtr(
    case: &mut Case,
    t: i64,
    plan: &Plan,
    rng: &mut Rng,
    statuses: &[(DtrStatus, u32)],
) {
    case.dtr = Some(rng.weighted(statuses));
    let span = (112 - t).clamp(7, 70) as u64;
    case.dtr_date = Some(sub(plan.today, 1 + rng.below(span)));
}

/// Approved Premises: high risk, MAPPA 2 or 3, AP the plan.
pub(super) fn approved_premises(case: &mut Case, t: i64, rng: &mut Rng) {
    case.release_type = rng.weighted(&[
        (ReleaseType::Crd, 85),
        (ReleaseType::Ard, 10),
        (ReleaseType::Prrd, 5),
    ]);
    case.rosh = Some(rng.weighted(&[(Rosh::High, 70), (Rosh::VeryHigh, 30)]));
    case.mappa = Some(rng.weighted(&[(2, 70), (3, 30)]));
    case.accommodation = Accommodation::Ap;
    case.ap_required = Some(true);
    case.ap = Some(if t > 180 {
        rng.weighted(&[
            (ApStatus::NotSent, 45),
            (ApStatus::Submitted, 45),
            (ApStatus::AssessedSuitable, 10),
        ])
    } else if t > 56 {
        rng.weighted(&[
            (ApStatus::NotSent, 5),
            (ApStatus::Submitted, 35),
            (ApStatus::AssessedSuitable, 55),
            (ApStatus::PlacementBooked, 5),
        ])
    } else {
        rng.weighted(&[
            (ApStatus::NotSent, 3),
            (ApStatus::Submitted, 7),
            (ApStatus::AssessedSuitable, 25),
            (ApStatus::PlacementBooked, 65),
        ])
    });
}

/// Home Detention Curfew: a checked home address, or a CAS2 place.
pub(super) fn hdc(case: &mut Case, t: i64, plan: &Plan, rng: &mut Rng) {
    case.release_type = ReleaseType::Hdc;
    case.rosh = Some(rng.weighted(&[(Rosh::Low, 55), (Rosh::Medium, 45)]));
    case.mappa = rng.weighted(&[(None, 95), (Some(1), 5)]);
    if rng.chance(0.35) {
        case.accommodation = Accommodation::Settled;
        return;
    }
    let cas2 = if t > 56 {
        rng.weighted(&[
            (Cas2Status::NotSent, 50),
            (Cas2Status::Submitted, 40),
            (Cas2Status::PlaceOffered, 10),
        ])
    } else if t > 21 {
        rng.weighted(&[
            (Cas2Status::NotSent, 10),
            (Cas2Status::Submitted, 30),
            (Cas2Status::PlaceOffered, 20),
            (Cas2Status::Accepted, 35),
            (Cas2Status::NoPlace, 5),
        ])
    } else {
        rng.weighted(&[
            (Cas2Status::NotSent, 5),
            (Cas2Status::Submitted, 10),
            (Cas2Status::PlaceOffered, 15),
            (Cas2Status::Accepted, 65),
            (Cas2Status::NoPlace, 5),
        ])
    };
    case.cas2 = Some(cas2);
    case.accommodation = match cas2 {
        Cas2Status::Accepted => Accommodation::Cas2,
        Cas2Status::Submitted | Cas2Status::PlaceOffered => {
            rng.weighted(&[(Accommodation::Unknown, 50), (Accommodation::Nfa, 50)])
        }
        _ => Accommodation::Nfa,
    };
    if case.accommodation != Accommodation::Cas2 {
        homeless_referrals(case, t, plan, rng, false);
    }
}

/// Detention and training orders: children, mostly home to family or to a care placement.
pub(super) fn youth(case: &mut Case, t: i64, plan: &Plan, rng: &mut Rng) {
    case.release_type = rng.weighted(&[(ReleaseType::Etd, 60), (ReleaseType::Mtd, 40)]);
    case.rosh = Some(rng.weighted(&[(Rosh::Low, 35), (Rosh::Medium, 50), (Rosh::High, 15)]));
    case.mappa = rng.weighted(&[(None, 95), (Some(1), 5)]);
    case.accommodation = rng.weighted(&[
        (Accommodation::Settled, 70),
        (Accommodation::LaTemp, 15),
        (Accommodation::Transient, 8),
        (Accommodation::Unknown, 7),
    ]);
    match case.accommodation {
        Accommodation::Transient | Accommodation::Unknown => {
            homeless_referrals(case, t, plan, rng, false)
        }
        Accommodation::LaTemp => sent_dtr(case, t, plan, rng, &[(DtrStatus::Accepted, 1)]),
        _ => {}
    }
}

/// A Parole Board release: often to Approved Premises, as the Board directs.
pub(super) fn parole(case: &mut Case, t: i64, rng: &mut Rng) {
    case.release_type = ReleaseType::Apd;
    case.rosh = Some(rng.weighted(&[(Rosh::Medium, 30), (Rosh::High, 60), (Rosh::VeryHigh, 10)]));
    case.mappa = rng.weighted(&[(None, 30), (Some(1), 20), (Some(2), 45), (Some(3), 5)]);
    if rng.chance(0.5) {
        case.accommodation = Accommodation::Ap;
        case.ap_required = Some(true);
        case.ap = Some(if t > 28 {
            rng.weighted(&[
                (ApStatus::AssessedSuitable, 40),
                (ApStatus::PlacementBooked, 60),
            ])
        } else {
            ApStatus::PlacementBooked
        });
    } else {
        case.accommodation = Accommodation::Settled;
    }
}

/// The end of a fixed-term recall: often back to nowhere.
pub(super) fn recall(case: &mut Case, t: i64, plan: &Plan, rng: &mut Rng) {
    case.release_type = rng.weighted(&[(ReleaseType::Other, 50), (ReleaseType::Prrd, 50)]);
    general_risk(case, rng);
    let term = if rng.chance(0.6) { 28 } else { 14 };
    case.accommodation = rng.weighted(&[
        (Accommodation::Nfa, 35),
        (Accommodation::Transient, 20),
        (Accommodation::Unknown, 10),
        (Accommodation::Settled, 30),
        (Accommodation::LaTemp, 5),
    ]);
    match case.accommodation {
        Accommodation::Nfa | Accommodation::Transient | Accommodation::Unknown => {
            homeless_referrals(case, t, plan, rng, true)
        }
        Accommodation::LaTemp => sent_dtr(case, t, plan, rng, &[(DtrStatus::Accepted, 1)]),
        _ => {}
    }
    let mut note = format!("Recall: fixed-term ({term} days)");
    if rng.chance(0.3) {
        note += "; ";
        note += note_for(case, rng);
    }
    case.notes = Some(note);
}
