//! The demo caseload: an invented but realistic team's releases (`releaseday demo`,
//! `releaseday --demo`).
//!
//! Pure: no I/O, no clock, no database. Every person, prison, officer and team is invented;
//! the name lists are in `assets/demo/`. The output depends only on the options, the `today`
//! the caller passes and the calendar.
//!
//! Identities (CRN, name, NOMS number) come from a stream seeded by the seed alone, so the same
//! seed gives the same people whatever the date; release dates and statuses come from a second
//! stream seeded by the seed and `today`.

use crate::domain::calendar::Calendar;
use crate::domain::case::{
    Accommodation, ApStatus, Cas2Status, Cas3Status, Case, Crn, CrsStatus, DtrStatus,
    FridayRelease, Noms, ReleaseType, Rosh,
};
use chrono::{Days, Months, NaiveDate};
use std::collections::HashSet;

const FIRST_NAMES: &str = include_str!("../../assets/demo/first-names.txt");
const LAST_NAMES: &str = include_str!("../../assets/demo/last-names.txt");
const PRISONS: &str = include_str!("../../assets/demo/prisons.txt");
const OFFICERS: &str = include_str!("../../assets/demo/officers.txt");
const TEAMS: &str = include_str!("../../assets/demo/teams.txt");

/// At most this many cases are generated (CRNs and NOMS numbers must stay unique).
pub const MAX_CASES: usize = 1_000_000;
/// The release window is at most this many weeks.
pub const MAX_WEEKS: u32 = 260;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    /// How many cases (at most [`MAX_CASES`]).
    pub cases: usize,
    /// The same seed and `today` give the same caseload.
    pub seed: u64,
    /// Most releases fall in `today ..= today + weeks × 7` (at most [`MAX_WEEKS`]).
    pub weeks: u32,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            cases: 250,
            seed: 1,
            weeks: 16,
        }
    }
}

/// An invented but realistic caseload: releases from `today` over `weeks` weeks.
/// Deterministic for a given options, today and calendar.
///
/// Besides the window it holds a handful of people released on the last few release days
/// (the duty officer's "not yet reported"), about 5% due up to nine months out (so AP and
/// CRS prompts show), and extra releases due on the non-working days around the next bank
/// holiday in the window, so that holiday shows as a cluster.
pub fn generate(opts: &DemoOptions, today: NaiveDate, cal: &Calendar) -> Vec<Case> {
    let lists = Lists::load();
    let n = opts.cases.min(MAX_CASES);
    let plan = Plan::new(today, opts.weeks.min(MAX_WEEKS), cal);
    let mut ids = Rng::new(opts.seed ^ 0x5EED_1D5E_ED1D_0001);
    let mut rng = Rng::new(mix(opts.seed, today));
    let kinds = schedule(n, &plan, &mut rng);
    let in_window = kinds.iter().filter(|k| k.in_window()).count();
    let mut window_days = spread(plan.today, plan.window_end, in_window, &mut rng);
    let mut crns = HashSet::with_capacity(n);
    let mut noms = HashSet::with_capacity(n);
    kinds
        .into_iter()
        .map(|kind| {
            let id = identity(&mut ids, &lists, &mut crns, &mut noms);
            build(kind, id, &plan, &mut window_days, cal, &lists, &mut rng)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Random numbers

/// SplitMix64 (Steele, Lea and Flood 2014): small, fast and good enough for invented data.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when `n` is 0), by multiply-and-shift.
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.index(xs.len())]
    }

    /// One of `choices`, with probability proportional to its weight.
    fn weighted<T: Copy>(&mut self, choices: &[(T, u32)]) -> T {
        let total: u64 = choices.iter().map(|(_, w)| u64::from(*w)).sum();
        let mut r = self.below(total);
        for (v, w) in choices {
            if r < u64::from(*w) {
                return *v;
            }
            r -= u64::from(*w);
        }
        choices[choices.len() - 1].0
    }

    /// A day in `[from, to]` (just `from` when the range is empty).
    fn date(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let span = (to - from).num_days();
        if span <= 0 {
            return from;
        }
        add(from, self.below(span as u64 + 1))
    }
}

/// The details stream's seed: the seed and the caller's date, nothing else.
fn mix(seed: u64, today: NaiveDate) -> u64 {
    let day = (today - NaiveDate::MIN).num_days() as u64;
    let mut r = Rng::new(seed ^ day.wrapping_mul(0xD6E8_FEB8_6659_FD93));
    r.next_u64()
}

fn add(d: NaiveDate, days: u64) -> NaiveDate {
    d.checked_add_days(Days::new(days))
        .unwrap_or(NaiveDate::MAX)
}

fn sub(d: NaiveDate, days: u64) -> NaiveDate {
    d.checked_sub_days(Days::new(days))
        .unwrap_or(NaiveDate::MIN)
}

// ---------------------------------------------------------------------------------------------
// The invented lists

struct Lists {
    first: Vec<&'static str>,
    last: Vec<&'static str>,
    /// Adult prisons (HMP), in rough order of how often this area's releases come from them.
    adult_prisons: Vec<&'static str>,
    /// Young offender institutions (HMYOI), for detention and training orders.
    yoi_prisons: Vec<&'static str>,
    officers: Vec<&'static str>,
    teams: Vec<&'static str>,
}

fn lines(s: &'static str) -> Vec<&'static str> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

impl Lists {
    fn load() -> Lists {
        let (yoi_prisons, adult_prisons) = lines(PRISONS)
            .into_iter()
            .partition(|p| p.starts_with("HMYOI"));
        Lists {
            first: lines(FIRST_NAMES),
            last: lines(LAST_NAMES),
            adult_prisons,
            yoi_prisons,
            officers: lines(OFFICERS),
            teams: lines(TEAMS),
        }
    }

    /// An officer and their team: officer i works in team i mod the number of teams.
    fn officer(&self, rng: &mut Rng) -> (Option<String>, String) {
        if rng.chance(0.03) {
            // Not yet allocated; the case still belongs to a delivery unit.
            return (None, rng.pick(&self.teams).to_string());
        }
        let i = rng.index(self.officers.len());
        (
            Some(self.officers[i].to_string()),
            self.teams[i % self.teams.len()].to_string(),
        )
    }

    /// A prison, most often one of the first few in the list (the local ones).
    fn adult_prison(&self, rng: &mut Rng) -> String {
        let u = rng.unit();
        let i = ((u * u) * self.adult_prisons.len() as f64) as usize;
        self.adult_prisons[i.min(self.adult_prisons.len() - 1)].to_string()
    }
}

// ---------------------------------------------------------------------------------------------
// The shape of the caseload

/// The dates every case is drawn against.
struct Plan {
    today: NaiveDate,
    /// Last day of the main window (`today + weeks × 7`).
    window_end: NaiveDate,
    /// The far releases lie in `(window_end, far_end]`.
    far_end: NaiveDate,
    /// Non-working days (from today on) in the run around the next bank holiday in the window.
    holiday_run: Vec<NaiveDate>,
    /// The last few days before today that an ordinary release went out on.
    recent_days: Vec<NaiveDate>,
}

impl Plan {
    fn new(today: NaiveDate, weeks: u32, cal: &Calendar) -> Plan {
        let window_end = add(today, u64::from(weeks) * 7);
        let nine_months = today
            .checked_add_months(Months::new(9))
            .unwrap_or(NaiveDate::MAX);
        let far_end = if nine_months > add(window_end, 14) {
            nine_months
        } else {
            add(window_end, 60)
        };
        let mut holiday_run = Vec::new();
        if let Some(h) = cal.holidays_between(today, window_end).first() {
            let mut start = h.date;
            while start > today && cal.is_non_working(sub(start, 1)) {
                start = sub(start, 1);
            }
            let mut d = start;
            while cal.is_non_working(d) && d < NaiveDate::MAX {
                holiday_run.push(d);
                d = add(d, 1);
            }
        }
        // Days an ordinary release due that day actually went out on: up to three, looking back
        // a fortnight (after a long weekend the last one may be several days ago).
        let recent_days = (1..=14)
            .map(|k| sub(today, k))
            .filter(|d| cal.ordinary_expected_day(*d) == *d)
            .take(3)
            .collect();
        Plan {
            today,
            window_end,
            far_end,
            holiday_run,
            recent_days,
        }
    }

    /// Days from today to `d` (negative in the past).
    fn days_to(&self, d: NaiveDate) -> i64 {
        (d - self.today).num_days()
    }
}

/// The kind of case, which decides its release date and much of its detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Released on one of the last few release days (not yet reported, perhaps).
    Recent,
    /// Due after the window, up to nine months out.
    Far,
    /// Due on a non-working day around the next bank holiday.
    HolidayExtra,
    /// A fixed-term recall coming to its end.
    Recall,
    Hdc,
    /// Approved Premises required (high risk, MAPPA 2 or 3).
    Ap,
    /// A detention and training order (ETD/MTD), from a YOI.
    Youth,
    /// A Parole Board release on an approved parole date.
    Apd,
    General,
}

impl Kind {
    /// Whether the release date is drawn from the main window's evenly spread days
    /// (an Approved Premises case may instead be due after the window).
    fn in_window(self) -> bool {
        matches!(
            self,
            Kind::Hdc | Kind::Ap | Kind::Youth | Kind::Apd | Kind::General
        )
    }
}

/// `count` due dates spread evenly over `[from, to]` (one in each of `count` equal slices,
/// placed at random within it), shuffled. Even spreading keeps chance spikes out of the
/// demo, so the load clusters it shows are the ones the calendar explains.
fn spread(from: NaiveDate, to: NaiveDate, count: usize, rng: &mut Rng) -> Vec<NaiveDate> {
    let days = ((to - from).num_days().max(0) + 1) as f64;
    let mut out: Vec<NaiveDate> = (0..count)
        .map(|j| {
            let x = (j as f64 + rng.unit()) / count as f64 * days;
            add(from, (x as u64).min(days as u64 - 1))
        })
        .collect();
    for i in (1..out.len()).rev() {
        let j = rng.index(i + 1);
        out.swap(i, j);
    }
    out
}

/// Exact numbers of each kind for `n` cases (shares per mille), in a shuffled order.
fn schedule(n: usize, plan: &Plan, rng: &mut Rng) -> Vec<Kind> {
    let share = |per_mille: usize| (n * per_mille + 500) / 1000;
    let mut counts = vec![
        (
            Kind::Recent,
            if plan.recent_days.is_empty() {
                0
            } else {
                share(25).max(n.min(3))
            },
        ),
        (Kind::Far, share(35)),
        (
            Kind::HolidayExtra,
            if plan.holiday_run.is_empty() {
                0
            } else {
                share(50)
            },
        ),
        (Kind::Recall, share(50)),
        (Kind::Hdc, share(100)),
        (Kind::Ap, share(60)),
        (Kind::Youth, share(20)),
        (Kind::Apd, share(20)),
    ];
    let mut kinds = Vec::with_capacity(n);
    for (kind, count) in counts.drain(..) {
        let room = n - kinds.len();
        kinds.extend(std::iter::repeat_n(kind, count.min(room)));
    }
    let rest = n - kinds.len();
    kinds.extend(std::iter::repeat_n(Kind::General, rest));
    // Fisher–Yates.
    for i in (1..kinds.len()).rev() {
        let j = rng.index(i + 1);
        kinds.swap(i, j);
    }
    kinds
}

// ---------------------------------------------------------------------------------------------
// One case

struct Identity {
    crn: Crn,
    name: String,
    noms: Option<Noms>,
}

const CRN_LETTERS: &[u8] = b"ABCDEFGHJKLMNPRSTVWXYZ";
const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";

fn identity(
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

fn build(
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
    case
}

/// The day each sent referral went off: one to six weeks before today, from the CRN rather
/// than the generator, so adding dates left every other demo value as it was.
fn date_referrals(case: &mut Case, today: NaiveDate) {
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

fn general_risk(case: &mut Case, rng: &mut Rng) {
    case.rosh = rng.weighted(&[
        (Some(Rosh::Low), 30),
        (Some(Rosh::Medium), 50),
        (Some(Rosh::High), 17),
        (Some(Rosh::VeryHigh), 1),
        (None, 2),
    ]);
    case.mappa = if matches!(case.rosh, Some(Rosh::High | Rosh::VeryHigh)) {
        rng.weighted(&[(None, 55), (Some(1), 30), (Some(2), 13), (Some(3), 2)])
    } else {
        rng.weighted(&[(None, 93), (Some(1), 6), (Some(2), 1)])
    };
}

/// A few recorded Friday-release decisions and a few days confirmed by the prison.
fn friday_and_confirmed(case: &mut Case, plan: &Plan, cal: &Calendar, rng: &mut Rng) {
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

/// Accommodation and the referrals behind it, for an ordinary determinate release.
fn housing(case: &mut Case, t: i64, plan: &Plan, rng: &mut Rng) {
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
fn sent_by(t: i64, steps: &[(i64, f64)]) -> f64 {
    steps
        .iter()
        .find(|(above, _)| t > *above)
        .map(|(_, p)| *p)
        .unwrap_or(steps[steps.len() - 1].1)
}

/// DTR, CRS and CAS3 for someone with nowhere settled to go. `cas3_route`: not HDC, not AP.
fn homeless_referrals(case: &mut Case, t: i64, plan: &Plan, rng: &mut Rng, cas3_route: bool) {
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
fn sent_dtr(case: &mut Case, t: i64, plan: &Plan, rng: &mut Rng, statuses: &[(DtrStatus, u32)]) {
    case.dtr = Some(rng.weighted(statuses));
    let span = (112 - t).clamp(7, 70) as u64;
    case.dtr_date = Some(sub(plan.today, 1 + rng.below(span)));
}

/// Approved Premises: high risk, MAPPA 2 or 3, AP the plan.
fn approved_premises(case: &mut Case, t: i64, rng: &mut Rng) {
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
fn hdc(case: &mut Case, t: i64, plan: &Plan, rng: &mut Rng) {
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
fn youth(case: &mut Case, t: i64, plan: &Plan, rng: &mut Rng) {
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
fn parole(case: &mut Case, t: i64, rng: &mut Rng) {
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
fn recall(case: &mut Case, t: i64, plan: &Plan, rng: &mut Rng) {
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

// ---------------------------------------------------------------------------------------------
// Notes

const NOTES_HOMELESS: &[&str] = &[
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

const NOTES_SETTLED: &[&str] = &[
    "Returning to own tenancy",
    "Living with parents, address checked",
    "Partner's address approved",
    "Supported housing place confirmed",
    "Sister collecting from the gate",
    "Needs ground-floor room",
];

const NOTES_ANY: &[&str] = &[
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

const NOTES_AP: &[&str] = &[
    "AP placement likely in another region",
    "MAPPA meeting booked",
    "Exclusion zone: town centre",
    "Curfew at AP, 9pm to 7am",
    "Victim liaison officer involved",
];

const NOTES_YOUTH: &[&str] = &[
    "YOT handover meeting arranged",
    "Children's services involved",
    "Mum collecting from the gate",
];

const NOTES_HDC: &[&str] = &[
    "Curfew address check completed",
    "Tag fitting booked for release day",
    "CAS2 property in another area",
];

/// A short officer's note that fits the case.
fn note_for(case: &Case, rng: &mut Rng) -> &'static str {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clusters::{clusters, ClusterKind, ClusterThresholds, DayLoad};
    use crate::domain::holidays::{Division, HolidayFile};
    use std::collections::{BTreeMap, HashMap};

    fn cal() -> Calendar {
        Calendar::new(
            HolidayFile::embedded().events(Division::EnglandAndWales),
            true,
        )
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn today() -> NaiveDate {
        d(2026, 11, 23)
    }

    fn opts(cases: usize, seed: u64) -> DemoOptions {
        DemoOptions {
            cases,
            seed,
            ..DemoOptions::default()
        }
    }

    #[test]
    fn defaults() {
        assert_eq!(
            DemoOptions::default(),
            DemoOptions {
                cases: 250,
                seed: 1,
                weeks: 16
            }
        );
        assert_eq!(
            generate(&DemoOptions::default(), today(), &cal()).len(),
            250
        );
    }

    #[test]
    fn lists_are_big_enough_and_clean() {
        let l = Lists::load();
        assert!(l.first.len() >= 150, "{} first names", l.first.len());
        assert!(l.last.len() >= 150, "{} last names", l.last.len());
        assert!(l.adult_prisons.len() >= 15);
        assert!(l.yoi_prisons.len() >= 2);
        assert!(l.officers.len() >= 12);
        assert!(l.teams.len() >= 5);
        for list in [
            &l.first,
            &l.last,
            &l.adult_prisons,
            &l.yoi_prisons,
            &l.officers,
            &l.teams,
        ] {
            let unique: HashSet<_> = list.iter().collect();
            assert_eq!(unique.len(), list.len(), "duplicates in a list");
            assert!(list.iter().all(|s| !s.chars().any(char::is_control)));
        }
        for name in ["Zoë", "Siân"] {
            assert!(l.first.contains(&name), "{name}");
        }
        for name in ["O'Neill", "Nowak", "Okafor", "Begum"] {
            assert!(l.last.contains(&name), "{name}");
        }
    }

    #[test]
    fn deterministic() {
        let cal = cal();
        let a = generate(&DemoOptions::default(), today(), &cal);
        let b = generate(&DemoOptions::default(), today(), &cal);
        assert_eq!(a, b);
        let c = generate(&opts(250, 2), today(), &cal);
        assert_ne!(a, c);
        // Same seed, same people, whatever the day.
        let e = generate(&DemoOptions::default(), d(2027, 3, 1), &cal);
        let names = |v: &[Case]| {
            v.iter()
                .map(|c| (c.crn.clone(), c.name.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&a), names(&e));
    }

    #[test]
    fn crns_and_noms_unique_and_well_formed() {
        let cases = generate(&opts(20_000, 7), today(), &cal());
        assert_eq!(cases.len(), 20_000);
        let crns: HashSet<&str> = cases.iter().map(|c| c.crn.as_str()).collect();
        assert_eq!(crns.len(), cases.len());
        let noms: Vec<&str> = cases
            .iter()
            .filter_map(|c| c.noms.as_ref().map(|n| n.as_str()))
            .collect();
        let unique: HashSet<&&str> = noms.iter().collect();
        assert_eq!(unique.len(), noms.len());
        let share = noms.len() as f64 / cases.len() as f64;
        assert!((0.85..0.95).contains(&share), "NOMS share {share}");
        for c in &cases {
            assert_eq!(c.crn.as_str().parse::<Crn>().unwrap(), c.crn);
            if let Some(n) = &c.noms {
                assert_eq!(n.as_str().parse::<Noms>().unwrap(), *n);
            }
            let (first, last) = c.name.split_once(' ').unwrap();
            assert!(!first.is_empty() && !last.is_empty());
        }
    }

    #[test]
    fn nfa_share() {
        let cases = generate(&opts(600, 3), today(), &cal());
        let nfa = cases
            .iter()
            .filter(|c| c.accommodation == Accommodation::Nfa)
            .count();
        let share = nfa as f64 / cases.len() as f64;
        assert!((0.10..=0.25).contains(&share), "NFA share {share}");
    }

    #[test]
    fn christmas_cluster() {
        let cal = cal();
        let from = today();
        let to = add(from, 16 * 7);
        let cases = generate(&DemoOptions::default(), from, &cal);
        let mut loads: BTreeMap<NaiveDate, DayLoad> = BTreeMap::new();
        for c in &cases {
            let l = loads.entry(cal.expected_day(c)).or_default();
            l.load += 1;
            if c.needs_accommodation() {
                l.no_accommodation += 1;
            }
        }
        let found = clusters(&cal, from, to, &loads, &ClusterThresholds::default());
        let big: Vec<_> = found
            .iter()
            .filter(|c| c.kind == ClusterKind::Holiday && c.load >= 5)
            .collect();
        assert!(!big.is_empty(), "{found:#?}");
        // The biggest one is Christmas: Wed 23 Dec under the Friday policy, and its covers hold a holiday.
        let xmas = big.iter().max_by_key(|c| c.load).unwrap();
        assert_eq!(xmas.day, d(2026, 12, 23));
        assert!(cal
            .covers(xmas.day)
            .iter()
            .any(|d| cal.holiday(*d).is_some()));
    }

    #[test]
    fn release_dates_in_range() {
        let cal = cal();
        for (seed, weeks) in [(1, 16), (9, 4), (11, 52), (5, 0)] {
            let o = DemoOptions {
                cases: 2000,
                seed,
                weeks,
            };
            let t = today();
            let window_end = add(t, u64::from(weeks) * 7);
            let far_end = t
                .checked_add_months(Months::new(9))
                .unwrap()
                .max(add(window_end, 60));
            let cases = generate(&o, t, &cal);
            let mut recent = 0;
            let mut far = 0;
            for c in &cases {
                assert!(
                    c.release_date >= sub(t, 14) && c.release_date <= far_end,
                    "{c:?}"
                );
                if c.release_date < t {
                    recent += 1;
                    let e = cal.expected_day(c);
                    assert!(e < t && e >= sub(t, 14));
                }
                if c.release_date > window_end {
                    far += 1;
                }
                if let Some(day) = c.confirmed_day {
                    let s = cal.statutory_day_of(c);
                    assert!(day <= s && day >= sub(s, 2) && day >= t, "{c:?}");
                }
                if let Some(dtr) = c.dtr_date {
                    assert!(dtr < t);
                    assert_ne!(c.dtr(), DtrStatus::NotSent);
                }
                if c.dtr.is_some_and(|s| s != DtrStatus::NotSent) {
                    assert!(c.dtr_date.is_some());
                }
            }
            assert!(recent >= 3, "recent {recent}");
            let share = far as f64 / cases.len() as f64;
            assert!((0.03..=0.09).contains(&share), "far share {share}");
        }
    }

    #[test]
    fn realistic_mix() {
        let cal = cal();
        let cases = generate(
            &DemoOptions {
                cases: 2000,
                ..DemoOptions::default()
            },
            today(),
            &cal,
        );
        let n = cases.len() as f64;
        let share = |f: &dyn Fn(&Case) -> bool| cases.iter().filter(|c| f(c)).count() as f64 / n;
        let hdc = share(&|c| c.release_type == ReleaseType::Hdc);
        assert!((0.08..=0.12).contains(&hdc), "HDC {hdc}");
        let recall = share(&|c| {
            c.notes
                .as_deref()
                .is_some_and(|s| s.starts_with("Recall: fixed-term"))
        });
        assert!((0.04..=0.06).contains(&recall), "recall {recall}");
        let ap = share(&|c| c.ap_required());
        assert!((0.05..=0.09).contains(&ap), "AP {ap}");
        let no_officer = share(&|c| c.officer.is_none());
        assert!(
            (0.01..=0.05).contains(&no_officer),
            "no officer {no_officer}"
        );
        let notes = share(&|c| c.notes.is_some());
        assert!((0.25..=0.42).contains(&notes), "notes {notes}");
        let transient = share(&|c| c.accommodation == Accommodation::Transient);
        assert!((0.07..=0.13).contains(&transient), "transient {transient}");
        let unknown = share(&|c| c.accommodation == Accommodation::Unknown);
        assert!((0.05..=0.11).contains(&unknown), "unknown {unknown}");
        // AP cases are high risk under MAPPA 2 or 3 (Parole Board releases aside).
        for c in cases
            .iter()
            .filter(|c| c.ap_required() && c.release_type != ReleaseType::Apd)
        {
            assert!(matches!(c.rosh, Some(Rosh::High | Rosh::VeryHigh)));
            assert!(matches!(c.mappa, Some(2 | 3)));
            assert_eq!(c.accommodation, Accommodation::Ap);
        }
        // Youth cases come from YOIs; CAS2 accommodation means CAS2 accepted.
        for c in &cases {
            if matches!(c.release_type, ReleaseType::Etd | ReleaseType::Mtd) {
                assert!(c.prison.as_deref().unwrap().starts_with("HMYOI"));
            }
            if c.accommodation == Accommodation::Cas2 {
                assert_eq!(c.cas2(), Cas2Status::Accepted);
            }
        }
        // Officers always sit in the same team.
        let mut team_of: HashMap<&str, &str> = HashMap::new();
        for c in &cases {
            if let (Some(o), Some(t)) = (c.officer.as_deref(), c.team.as_deref()) {
                assert_eq!(*team_of.entry(o).or_insert(t), t);
            }
        }
        // Close to release most homeless cases have a DTR in; a minority still have none.
        let close: Vec<&Case> = cases
            .iter()
            .filter(|c| {
                let t = (c.release_date - today()).num_days();
                (0..=28).contains(&t)
                    && c.needs_accommodation()
                    && c.accommodation == Accommodation::Nfa
            })
            .collect();
        let no_dtr = close
            .iter()
            .filter(|c| c.dtr() == DtrStatus::NotSent)
            .count() as f64;
        assert!(!close.is_empty());
        let missing = no_dtr / close.len() as f64;
        assert!(
            missing > 0.0 && missing < 0.35,
            "DTR missing close to release: {missing}"
        );
    }

    #[test]
    fn large_caseload() {
        let cases = generate(&opts(20_000, 42), today(), &cal());
        assert_eq!(cases.len(), 20_000);
    }

    #[test]
    fn tiny_caseloads() {
        let cal = cal();
        for n in 0..12 {
            assert_eq!(generate(&opts(n, 1), today(), &cal).len(), n);
        }
    }
}
