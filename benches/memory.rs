//! Peak memory (resident set) of every output command, on the demo caseload of 100,000
//! (`releaseday demo --cases 100000`: all of it within 16 weeks, so a 12-week list holds about
//! 70,000 releases, the heaviest shape a command meets). Each command is the real release
//! binary, run on its own and measured by the operating system (`wait4`'s `ru_maxrss`, the
//! figure `/usr/bin/time -v` prints as "Maximum resident set size").
//! Target: every command within 80 MB. Run: `cargo bench --bench memory` (set MEMORY_CASES to
//! change the size). The database is built once under target/bench-data and reused.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const TODAY: &str = "2026-11-23";
const TARGET_MB: f64 = 80.0;
/// Meta key marking a finished database with the size it was built for.
const BUILT_KEY: &str = "bench_memory_demo_cases";

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_releaseday")
}

fn data_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    let d = target.join("bench-data");
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The demo caseload of `n`, written by the binary itself on first use.
fn database(n: usize) -> PathBuf {
    let path = data_dir().join(format!("demo-{n}.db"));
    if let Ok(store) = releaseday::store::SqliteStore::open(&path) {
        if store.meta_get(BUILT_KEY).ok().flatten() == Some(n.to_string()) {
            return path;
        }
    }
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let status = Command::new(bin())
        .args(["--db", path.to_str().unwrap(), "--today", TODAY])
        .args(["demo", "--cases", &n.to_string()])
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "the demo caseload could not be written");
    let store = releaseday::store::SqliteStore::open(&path).unwrap();
    store.meta_set(BUILT_KEY, &n.to_string()).unwrap();
    path
}

/// Runs the binary with `args` on `db`, output thrown away; (peak MB, seconds).
#[cfg(unix)]
fn measure(db: &Path, args: &[&str]) -> (f64, f64) {
    let started = Instant::now();
    // Reaped by wait4 below, which also gives the child's own peak; std's wait would not.
    #[allow(clippy::zombie_processes)]
    let child = Command::new(bin())
        .args(["--db", db.to_str().unwrap(), "--today", TODAY])
        .args(args)
        .env_remove("RELEASEDAY_DB")
        .env("RELEASEDAY_CONFIG", data_dir().join("no-config.toml"))
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut status = 0;
    // SAFETY: an all-zero `rusage` is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the child is ours and not yet reaped (std's `Child` is never waited on).
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{args:?} failed"
    );
    let seconds = started.elapsed().as_secs_f64();
    // Linux reports kilobytes, macOS bytes.
    let kb = if cfg!(target_os = "macos") {
        usage.ru_maxrss as f64 / 1024.0
    } else {
        usage.ru_maxrss as f64
    };
    (kb / 1024.0, seconds)
}

#[cfg(unix)]
fn main() {
    let n: usize = std::env::var("MEMORY_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let db = database(n);
    let out = data_dir().join("memory-bench-output");
    let (ics, csv, html) = (
        out.with_extension("ics"),
        out.with_extension("csv"),
        out.with_extension("html"),
    );
    let wide = ["--from", "2000-01-01", "--to", "2100-12-31"];
    let runs: Vec<Vec<&str>> = vec![
        vec!["list"],
        vec!["list", "--format", "json"],
        vec!["list", "--format", "csv"],
        [&["list"][..], &wide].concat(),
        [&["list", "--format", "json"][..], &wide].concat(),
        [&["list", "--format", "csv"][..], &wide].concat(),
        vec!["list", "--nowhere-to-go"],
        vec!["gaps"],
        vec!["gaps", "--format", "json"],
        vec!["gaps", "--format", "csv"],
        vec!["today"],
        vec!["today", "--format", "json"],
        vec!["today", "--format", "csv"],
        vec!["today", "--format", "markdown"],
        vec![
            "today",
            "--format",
            "html",
            "--output",
            html.to_str().unwrap(),
        ],
        vec!["handovers"],
        [&["handovers"][..], &wide].concat(),
        [&["handovers", "--format", "json"][..], &wide].concat(),
        vec!["clusters"],
        vec!["clusters", "--format", "json"],
        [&["clusters"][..], &wide].concat(),
        vec!["export", "--format", "csv"],
        vec![
            "export",
            "--format",
            "csv",
            "--output",
            csv.to_str().unwrap(),
        ],
        vec!["export", "--format", "ics"],
        vec![
            "export",
            "--format",
            "ics",
            "--output",
            ics.to_str().unwrap(),
        ],
    ];
    println!("peak memory of each command at {n} demo cases (target ≤ {TARGET_MB} MB)");
    let mut worst: (f64, String) = (0.0, String::new());
    for args in &runs {
        // Two runs: the larger peak (memory barely varies), the shorter time (the first run
        // can pay for the page cache filling).
        let (a, t1) = measure(&db, args);
        let (b, t2) = measure(&db, args);
        let (mb, s) = (a.max(b), t1.min(t2));
        let name = args
            .iter()
            .map(|a| {
                if a.starts_with(data_dir().to_str().unwrap()) {
                    "FILE"
                } else {
                    a
                }
            })
            .collect::<Vec<_>>()
            .join(" ");
        println!("  {name:<70} {mb:>6.1} MB  {s:>5.2} s");
        if mb > worst.0 {
            worst = (mb, name);
        }
    }
    let verdict = if worst.0 <= TARGET_MB {
        "met"
    } else {
        "NOT met"
    };
    println!(
        "largest: {} at {:.1} MB (target ≤ {TARGET_MB} MB: {verdict})",
        worst.1, worst.0
    );
    for f in [ics, csv, html] {
        let _ = std::fs::remove_file(f);
    }
}

#[cfg(not(unix))]
fn main() {
    eprintln!("the memory bench reads the operating system's wait4 figures: Unix only");
}
