//! Benchmark databases: 1,000 releases in the next 16 weeks (a region's live window) plus
//! filler outside it — people released in the last three years and releases from six months
//! to three years ahead — so a larger database holds more history, not a busier 12 weeks.
//! Built once per size under target/bench-data and reused.

use chrono::{Days, NaiveDate};
use releaseday::domain::case::Case;
use releaseday::domain::demo::{self, DemoOptions};
use releaseday::query::{Planner, Settings};
use releaseday::store::SqliteStore;
use std::path::PathBuf;

pub const WINDOW_CASES: usize = 1_000;

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

pub fn settings() -> Settings {
    Settings {
        who: "bench".into(),
        ..Settings::default()
    }
}

fn dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    let d = target.join("bench-data");
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The cases of a database of `n` cases.
pub fn cases(n: usize, cal: &releaseday::domain::calendar::Calendar) -> Vec<Case> {
    let live = n.min(WINDOW_CASES);
    let mut out = demo::generate(
        &DemoOptions {
            cases: live,
            seed: 11,
            weeks: 16,
        },
        today(),
        cal,
    );
    if n > live {
        let filler = demo::generate(
            &DemoOptions {
                cases: n - live,
                seed: 12,
                weeks: 16,
            },
            today(),
            cal,
        );
        for (i, mut c) in filler.into_iter().enumerate() {
            // Alternate: released 1–1,095 days ago, or due 183–1,095 days ahead.
            let k = (i as u64 * 7919) % 913;
            c.release_date = if i % 2 == 0 {
                today().checked_sub_days(Days::new(1 + k + 182)).unwrap()
            } else {
                today().checked_add_days(Days::new(183 + k)).unwrap()
            };
            c.confirmed_day = None;
            out.push(c);
        }
    }
    out
}

/// Meta key marking a finished benchmark database with the size it was built for. (Counting
/// rows is not enough: the two generated halves can share a CRN, so 100,000 generated cases
/// may store as 99,999, and a count check rebuilt the database on every run, inside the
/// screens bench's memory figure.)
const BUILT_KEY: &str = "bench_built_cases";

/// A database file of `n` cases, built on first use.
pub fn database(n: usize) -> PathBuf {
    let path = dir().join(format!("cases-{n}.db"));
    if let Ok(store) = SqliteStore::open(&path) {
        if store.meta_get(BUILT_KEY).ok().flatten() == Some(n.to_string()) {
            return path;
        }
    }
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let mut planner = Planner::new(SqliteStore::open(&path).unwrap(), settings()).unwrap();
    let cal = planner.cal.clone();
    let all = cases(n, &cal);
    planner.put_cases(&all, "bench").unwrap();
    planner
        .test_store_mut()
        .meta_set(BUILT_KEY, &n.to_string())
        .unwrap();
    path
}

#[allow(dead_code)] // used by the planner bench, not the screens bench
pub fn planner(n: usize) -> Planner {
    Planner::new(SqliteStore::open(&database(n)).unwrap(), settings()).unwrap()
}
