//! One invented person and their release.

use super::lists::Lists;
use super::notes::note_for;
use super::plan::{Kind, Plan};
use super::risk::general_risk;
use super::rng::{add, sub, Rng};
use super::routes::*;
use crate::domain::calendar::Calendar;
use crate::domain::case::{
    ApStatus, Cas2Status, Cas3Status, Case, Crn, CrsStatus, FridayRelease, Noms, ReleaseType,
};
use chrono::NaiveDate;
use std::collections::HashSet;

pub(super) struct Identity {
    pub(super) crn: Crn,
    pub(super) name: String,
    pub(super) noms: Option<Noms>,
}

pub(super) const CRN_LETTERS: &[u8] = b"ABCDEFGHJKLMNPRSTVWXYZ";
pub(super) const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";

pub(super) fn identity(
    rng: &mut Rng,
    lists: &Lists,
    crns: &mut HashSet<Crn>,
    noms_seen: &mut HashSet<Noms>,
) -> Identity {
    let crn = loop {
        let text = format!(
            "{}{:06}",
            *rng.pick(CRN_LETTERS) as char,
            rng.below(1_000_000)
        );
        let crn: Crn = text.parse().expect("a generated CRN is well formed");
        if crns.insert(crn.clone()) {
            break crn;
        }
    };
    let name = format!("{} {}", rng.pick(&lists.first), rng.pick(&lists.last));
    let noms = rng.chance(0.9).then(|| loop {
        // Current NOMS numbers begin with A or G.
        let text = format!(
            "{}{:04}{}{}",
            if rng.chance(0.7) { 'A' } else { 'G' },
            rng.below(10_000),
            *rng.pick(LETTERS) as char,
            *rng.pick(LETTERS) as char
        );
        let noms: Noms = text
            .parse()
            .expect("a generated NOMS number is well formed");
        if noms_seen.insert(noms.clone()) {
            break noms;
        }
    });
    Identity { crn, name, noms }
}

pub(super) fn build(
    kind: Kind,
    id: Identity,
    plan: &Plan,
    window_days: &mut Vec<NaiveDate>,
    cal: &Calendar,
    lists: &Lists,
    rng: &mut Rng,
) -> Case {
    let today = plan.today;
    let release_date = match kind {
        Kind::Recent => *rng.pick(&plan.recent_days),
        Kind::Far => rng.date(add(plan.window_end, 1), plan.far_end),
        Kind::HolidayExtra => *rng.pick(&plan.holiday_run),
        Kind::Recall => {
            let last = add(today, 28).min(plan.window_end);
            rng.date(today, last)
        }
        Kind::Ap if rng.chance(0.35) => rng.date(add(plan.window_end, 1), plan.far_end),
        _ => window_days
            .pop()
            .unwrap_or_else(|| rng.date(today, plan.window_end)),
    };
    let mut case = Case::new(id.crn, id.name, release_date);
    case.noms = id.noms;
    let (officer, team) = lists.officer(rng);
    case.officer = officer;
    case.team = Some(team);
    case.prison = Some(match kind {
        Kind::Youth => rng.pick(&lists.yoi_prisons).to_string(),
        _ => lists.adult_prison(rng),
    });
    let t = plan.days_to(release_date);
    match kind {
        Kind::Ap => approved_premises(&mut case, t, rng),
        Kind::Hdc => hdc(&mut case, t, plan, rng),
        Kind::Youth => youth(&mut case, t, plan, rng),
        Kind::Apd => parole(&mut case, t, rng),
        Kind::Recall => recall(&mut case, t, plan, rng),
        Kind::Recent => {
            // Went out as an ordinary release: CRD, blank Friday setting, no confirmed day.
            general_risk(&mut case, rng);
            housing(&mut case, t, plan, rng);
        }
        Kind::Far | Kind::HolidayExtra | Kind::General => {
            case.release_type = rng.weighted(&[
                (ReleaseType::Crd, 90),
                (ReleaseType::Ard, 5),
                (ReleaseType::Prrd, 3),
                (ReleaseType::Ltd, 1),
                (ReleaseType::Ecsl, 1),
            ]);
            general_risk(&mut case, rng);
            housing(&mut case, t, plan, rng);
            friday_and_confirmed(&mut case, plan, cal, rng);
        }
    }
    if case.notes.is_none() && rng.chance(0.3) {
        case.notes = Some(note_for(&case, rng).to_string());
    }
    date_referrals(&mut case, today);
    super::custody::custody_and_readiness(&mut case, kind, today, lists, cal);
    case
}

/// The day each sent referral went off: one to six weeks before today, from the CRN rather
/// than the generator, so adding dates left every other demo value as it was.
pub(super) fn date_referrals(case: &mut Case, today: NaiveDate) {
    let digits: u64 = case.crn.as_str()[1..].parse().unwrap_or(0);
    let ago = |k: u64| sub(today, 7 + (digits / 7u64.pow(k as u32)) % 36);
    if !matches!(case.crs, None | Some(CrsStatus::NotSent)) {
        case.crs_date = Some(ago(1));
    }
    if !matches!(case.cas3, None | Some(Cas3Status::NotSent)) {
        case.cas3_date = Some(ago(2));
    }
    if !matches!(case.ap, None | Some(ApStatus::NotSent)) {
        case.ap_date = Some(ago(3));
    }
    if !matches!(case.cas2, None | Some(Cas2Status::NotSent)) {
        case.cas2_date = Some(ago(4));
    }
}

/// A few recorded Friday-release decisions and a few days confirmed by the prison.
pub(super) fn friday_and_confirmed(case: &mut Case, plan: &Plan, cal: &Calendar, rng: &mut Rng) {
    if matches!(
        case.release_type,
        ReleaseType::Crd | ReleaseType::Ard | ReleaseType::Prrd
    ) {
        case.friday_release = rng.weighted(&[
            (None, 95),
            (Some(FridayRelease::No), 3),
            (Some(FridayRelease::Two), 2),
        ]);
    }
    let statutory = cal.statutory_day(case.release_date, case.release_type);
    let t = plan.days_to(statutory);
    if (2..=28).contains(&t) && rng.chance(0.12) {
        // The prison has confirmed the day: the statutory day or up to two days before it.
        let options: Vec<NaiveDate> = (0..=2)
            .map(|k| sub(statutory, k))
            .filter(|d| cal.is_working(*d))
            .collect();
        if !options.is_empty() {
            case.confirmed_day = Some(*rng.pick(&options));
        }
    }
}
