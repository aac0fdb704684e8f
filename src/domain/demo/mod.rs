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

//! - `rng.rs`: the random streams (SplitMix64) and day arithmetic.
//! - `lists.rs`: the invented name, prison, officer and team lists (`assets/demo/`).
//! - `plan.rs`: the shape of the caseload: its dates and how many of each kind of case.
//! - `case.rs`: one invented person and their release.
//! - `routes.rs`: each kind of release's accommodation and referrals.
//! - `notes.rs`: the officers' notes.
//! - `custody.rs`: the sentence, the POM and release-day readiness (§7, §8).

mod case;
mod custody;
mod lists;
mod notes;
mod plan;
mod risk;
mod rng;
mod routes;

use crate::domain::calendar::Calendar;
use crate::domain::case::Case;
use case::{build, identity};
use chrono::NaiveDate;
use lists::Lists;
use plan::{schedule, spread, Plan};
use rng::{mix, Rng};
use std::collections::HashSet;

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

#[cfg(test)]
mod tests;
