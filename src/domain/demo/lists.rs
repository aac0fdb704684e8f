//! The invented lists: names, prisons, officers and teams (`assets/demo/`).

use super::rng::Rng;

const FIRST_NAMES: &str = include_str!("../../../assets/demo/first-names.txt");
const LAST_NAMES: &str = include_str!("../../../assets/demo/last-names.txt");
const PRISONS: &str = include_str!("../../../assets/demo/prisons.txt");
const OFFICERS: &str = include_str!("../../../assets/demo/officers.txt");
const TEAMS: &str = include_str!("../../../assets/demo/teams.txt");

pub(super) struct Lists {
    pub(super) first: Vec<&'static str>,
    pub(super) last: Vec<&'static str>,
    /// Adult prisons (HMP), in rough order of how often this area's releases come from them.
    pub(super) adult_prisons: Vec<&'static str>,
    /// Young offender institutions (HMYOI), for detention and training orders.
    pub(super) yoi_prisons: Vec<&'static str>,
    pub(super) officers: Vec<&'static str>,
    pub(super) teams: Vec<&'static str>,
}

pub(super) fn lines(s: &'static str) -> Vec<&'static str> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

impl Lists {
    pub(super) fn load() -> Lists {
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
    pub(super) fn officer(&self, rng: &mut Rng) -> (Option<String>, String) {
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
    pub(super) fn adult_prison(&self, rng: &mut Rng) -> String {
        let u = rng.unit();
        let i = ((u * u) * self.adult_prisons.len() as f64) as usize;
        self.adult_prisons[i.min(self.adult_prisons.len() - 1)].to_string()
    }
}
