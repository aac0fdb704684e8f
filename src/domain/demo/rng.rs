//! The random streams the demo draws from, and the day arithmetic it needs.

use chrono::{Days, NaiveDate};

/// SplitMix64 (Steele, Lea and Flood 2014): small, fast and good enough for invented data.
#[derive(Debug, Clone)]
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub(super) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when `n` is 0), by multiply-and-shift.
    pub(super) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `[0, 1)`.
    pub(super) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub(super) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub(super) fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    pub(super) fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.index(xs.len())]
    }

    /// One of `choices`, with probability proportional to its weight.
    pub(super) fn weighted<T: Copy>(&mut self, choices: &[(T, u32)]) -> T {
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
    pub(super) fn date(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let span = (to - from).num_days();
        if span <= 0 {
            return from;
        }
        add(from, self.below(span as u64 + 1))
    }
}

/// The details stream's seed: the seed and the caller's date, nothing else.
pub(super) fn mix(seed: u64, today: NaiveDate) -> u64 {
    let day = (today - NaiveDate::MIN).num_days() as u64;
    let mut r = Rng::new(seed ^ day.wrapping_mul(0xD6E8_FEB8_6659_FD93));
    r.next_u64()
}

pub(super) fn add(d: NaiveDate, days: u64) -> NaiveDate {
    d.checked_add_days(Days::new(days))
        .unwrap_or(NaiveDate::MAX)
}

pub(super) fn sub(d: NaiveDate, days: u64) -> NaiveDate {
    d.checked_sub_days(Days::new(days))
        .unwrap_or(NaiveDate::MIN)
}
