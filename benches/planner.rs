//! `list` and `gaps` for a 12-week window (and the whole `gaps` worklist), and `clusters` for 12 months, at 1,000, 10,000
//! and 100,000 cases (see data.rs for what the larger databases hold).
//! Target: 12-week list/gaps at 100,000 ≤ 1.5× the time at 10,000.

mod data;

use chrono::{Days, Months};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::hint::black_box;

fn queries(c: &mut Criterion) {
    let today = data::today();
    let to = today.checked_add_days(Days::new(84)).unwrap();
    let year = today.checked_add_months(Months::new(12)).unwrap();
    let mut g = c.benchmark_group("queries");
    g.sample_size(20);
    for n in [1_000usize, 10_000, 100_000] {
        let planner = data::planner(n);
        g.bench_with_input(BenchmarkId::new("list_12_weeks", n), &n, |b, _| {
            b.iter(|| black_box(planner.list(today, to, today).unwrap().len()))
        });
        g.bench_with_input(BenchmarkId::new("gaps_12_weeks", n), &n, |b, _| {
            b.iter(|| black_box(planner.gaps_until(today, to).unwrap().len()))
        });
        // The whole worklist: it grows with the far-ahead cases that already flag (AP from
        // 12 months, CAS2 at any distance), so it is reported, not held to the window target.
        g.bench_with_input(BenchmarkId::new("gaps_all", n), &n, |b, _| {
            b.iter(|| black_box(planner.gaps(today).unwrap().len()))
        });
        g.bench_with_input(BenchmarkId::new("clusters_12_months", n), &n, |b, _| {
            b.iter(|| black_box(planner.clusters(today, year).unwrap().len()))
        });
    }
    g.finish();
}

criterion_group!(benches, queries);
criterion_main!(benches);
