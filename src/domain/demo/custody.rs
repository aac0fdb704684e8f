//! Each invented person's sentence, prison offender manager and release-day readiness
//! (DOMAIN.md §7 and §8): recalls, early allocation, indeterminate and short sentences and
//! PEDs, appointments of every kind, licences at every status, checklists partly known.
//!
//! Drawn from a stream of its own seeded by the CRN, as the referral dates are, so adding these
//! fields left every other demo value as it was.

use super::lists::Lists;
use super::plan::Kind;
use super::rng::{add, sub, Rng};
use crate::domain::calendar::Calendar;
use crate::domain::case::{Appointment, Case, LicenceStatus, SentenceType};
use chrono::{NaiveDate, NaiveTime};

/// Where first appointments are held (invented).
const PLACES: &[&str] = &[
    "Ashbury Probation Office, 12 Market Street",
    "Fellbeck Probation Office, 3 Station Road",
    "Harrowden Hub, Unit 4 Mill Lane",
    "Ravensworth Probation Office, 40 High Street",
    "Denholme Approved Premises, 7 Chapel Row",
    "Greyhithe Community Hub, 2 Quay Street",
];

pub(super) fn custody_and_readiness(
    case: &mut Case,
    kind: Kind,
    today: NaiveDate,
    lists: &Lists,
    cal: &Calendar,
) {
    let digits: u64 = case.crn.as_str()[1..].parse().unwrap_or(0);
    let mut rng = Rng::new(digits.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ 0x0D15_EA5E);
    // Appointments are made for the day the person is expected out.
    let r = cal.expected_day(case);
    let t = (r - today).num_days();

    sentence(case, kind, &mut rng);
    if kind != Kind::Recall && rng.chance(0.85) {
        case.pom = Some(format!(
            "{} {}",
            rng.pick(&lists.first),
            rng.pick(&lists.last)
        ));
    }

    // The nearer the release, the likelier the appointment is booked.
    let booked = if t <= 14 { 0.8 } else { 0.3 };
    if rng.chance(booked) {
        let at = |rng: &mut Rng, day: NaiveDate| {
            let minutes = 9 * 60 + 30 * rng.below(16) as u32;
            Appointment::at(
                day,
                NaiveTime::from_hms_opt(minutes / 60, minutes % 60, 0).unwrap(),
            )
        };
        let appointment = match rng.below(20) {
            0..=10 => at(&mut rng, r),
            11..=13 => Some(Appointment::NextDay2pm),
            14..=15 => Some(Appointment::Immediate),
            16..=18 => {
                // A later working day: the office is shut at weekends and on bank holidays.
                let later = cal.working_on_or_after(add(r, 1 + rng.below(3)));
                at(&mut rng, later)
            }
            _ => Some(Appointment::NotNeeded),
        };
        case.appointment = appointment;
        if matches!(
            appointment,
            Some(Appointment::At(_) | Appointment::NextDay2pm)
        ) && rng.chance(0.9)
        {
            case.appointment_place = Some(rng.pick(PLACES).to_string());
        }
    }

    // A recall goes back out on the licence it had; everyone else's is tracked, mostly.
    if kind != Kind::Recall && rng.chance(0.75) {
        case.licence = Some(match t {
            ..=2 => rng.weighted(&[
                (LicenceStatus::Approved, 80),
                (LicenceStatus::Submitted, 10),
                (LicenceStatus::InProgress, 10),
            ]),
            3..=10 => rng.weighted(&[
                (LicenceStatus::Approved, 40),
                (LicenceStatus::Submitted, 30),
                (LicenceStatus::InProgress, 25),
                (LicenceStatus::NotStarted, 5),
            ]),
            _ => rng.weighted(&[
                (LicenceStatus::NotStarted, 40),
                (LicenceStatus::InProgress, 40),
                (LicenceStatus::Submitted, 10),
                (LicenceStatus::Approved, 10),
            ]),
        });
    }

    let check = |rng: &mut Rng| rng.chance(0.6).then(|| rng.chance(0.65));
    case.id_documents = check(&mut rng);
    case.bank_account = check(&mut rng);
    case.benefits = check(&mut rng);
    case.gp = check(&mut rng);
}

/// The sentence the handover rules read: recalls, parole cases (some indeterminate), a few
/// early allocations and indeterminate sentences, short sentences, PEDs.
fn sentence(case: &mut Case, kind: Kind, rng: &mut Rng) {
    let r = case.release_date;
    match kind {
        Kind::Recall => case.recall = Some(true),
        Kind::Apd => {
            if rng.chance(0.4) {
                case.sentence_type = Some(SentenceType::Indeterminate);
            } else {
                case.sentence_type = Some(SentenceType::Determinate);
                case.ped = Some(sub(r, 60 + rng.below(480)));
            }
            case.sentence_start = Some(sub(r, 900 + rng.below(2500)));
        }
        _ => {
            match rng.below(100) {
                0..=3 => case.early_allocation = Some(true),
                4..=6 => case.sentence_type = Some(SentenceType::Indeterminate),
                7..=14 => case.ped = Some(sub(r, 90 + rng.below(300))),
                _ => {}
            }
            case.sentence_start = match rng.below(100) {
                // A short sentence: the COM holds it from the start.
                0..=14 => Some(sub(r, 60 + rng.below(240))),
                15..=69 => Some(sub(r, 330 + rng.below(1700))),
                _ => None,
            };
        }
    }
}
