//! Peak memory (resident set) of every output command, on the demo caseload of 100,000
//! (`releaseday demo --cases 100000`: all of it within 16 weeks, so a 12-week list holds about
//! 70,000 releases, the heaviest shape a command meets). Each command is the real release
//! binary, run on its own and measured by the operating system (`wait4`'s `ru_maxrss`, the
//! figure `/usr/bin/time -v` prints as "Maximum resident set size").
//! Also the import (a new file of every case, the same file again, every row changed, and the
//! changed file's dry run) and the planner's screens (opened in a pseudo-terminal, the whole
//! caseload loaded, then `q`). Target: every command within 80 MB. Run: `cargo bench --bench
//! memory` (set MEMORY_CASES to change the size). The database is built once under
//! target/bench-data and reused.

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
    let mb = reap(child.id(), &format!("{args:?}"));
    (mb, started.elapsed().as_secs_f64())
}

/// Waits for the child `pid` (ours, not yet reaped) and returns its peak resident set in MB;
/// panics naming `what` unless it exited with status 0.
#[cfg(unix)]
fn reap(pid: u32, what: &str) -> f64 {
    let mut status = 0;
    // SAFETY: an all-zero `rusage` is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the child is ours and not yet reaped (its `Child` is never waited on).
    let got = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(got, pid as libc::pid_t, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{what} failed"
    );
    // Linux reports kilobytes, macOS bytes.
    let kb = if cfg!(target_os = "macos") {
        usage.ru_maxrss as f64 / 1024.0
    } else {
        usage.ru_maxrss as f64
    };
    kb / 1024.0
}

/// A copy of `db` (with nothing of a previous run beside it) at `to`; `None` makes no file.
#[cfg(unix)]
fn fresh(db: Option<&Path>, to: &Path) -> PathBuf {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", to.display()));
    }
    if let Some(db) = db {
        std::fs::copy(db, to).unwrap();
    }
    to.to_path_buf()
}

/// The export of the demo caseload (every case, the import's columns), and a copy with every
/// row changed in two fields (the officer and the accommodation), as a weekly list would.
#[cfg(unix)]
fn import_files(db: &Path) -> (PathBuf, PathBuf) {
    let (file, changed) = (
        data_dir().join("memory-import.csv"),
        data_dir().join("memory-import-changed.csv"),
    );
    let (mb, _) = measure(
        db,
        &[
            "export",
            "--format",
            "csv",
            "--output",
            file.to_str().unwrap(),
        ],
    );
    assert!(mb > 0.0);
    let mut reader = csv::Reader::from_path(&file).unwrap();
    let headers = reader.headers().unwrap().clone();
    let at = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
            .unwrap()
    };
    let (officer, accommodation) = (at("officer"), at("accommodation"));
    let mut writer = csv::Writer::from_path(&changed).unwrap();
    writer.write_record(&headers).unwrap();
    for record in reader.records() {
        let record = record.unwrap();
        let cells: Vec<String> = record
            .iter()
            .enumerate()
            .map(|(i, cell)| match i {
                i if i == officer => format!("{cell} Jr").trim().to_string(),
                i if i == accommodation => if cell == "NFA" { "CAS3" } else { "NFA" }.to_string(),
                _ => cell.to_string(),
            })
            .collect();
        writer.write_record(&cells).unwrap();
    }
    writer.flush().unwrap();
    (file, changed)
}

/// The planner's screens on `db` in a 120×40 pseudo-terminal: opened, the whole caseload
/// loaded (a key waits for the rest), then quit with `q`; its peak in MB.
#[cfg(unix)]
fn planner_peak(db: &Path) -> f64 {
    use portable_pty::{native_pty_system, CommandBuilder, PtySize};
    use std::io::{Read, Write};
    use std::time::Duration;
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(bin());
    cmd.args(["--db", db.to_str().unwrap(), "--today", TODAY]);
    cmd.env("TERM", "xterm-256color");
    cmd.env("RELEASEDAY_CONFIG", data_dir().join("no-config.toml"));
    cmd.env_remove("RELEASEDAY_DB");
    let child = pty.slave.spawn_command(cmd).unwrap();
    drop(pty.slave);
    let pid = child.process_id().unwrap();
    let mut reader = pty.master.try_clone_reader().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        let mut seen = Vec::new();
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            seen.extend_from_slice(&buf[..n]);
            // The command bar, the last thing a frame draws (its key styled apart).
            if seen.windows(4).any(|w| w == b"quit") {
                let _ = tx.send(());
                seen.clear();
            }
        }
    });
    rx.recv_timeout(Duration::from_secs(60))
        .expect("the planner never drew its first frame");
    let mut keys = pty.master.take_writer().unwrap();
    // Any key first takes in the rest of the caseload (waiting for it); then quit.
    std::thread::sleep(Duration::from_secs(2));
    keys.write_all(b"j").unwrap();
    keys.flush().unwrap();
    std::thread::sleep(Duration::from_secs(1));
    keys.write_all(b"q").unwrap();
    keys.flush().unwrap();
    // Reaped here, not by portable-pty's `Child`, which is never waited on.
    let mb = reap(pid, "the planner");
    std::mem::forget(child);
    mb
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

    // The import, each run into a copy of a fresh database: a new file of every case, the
    // same file again, every row changed (two fields each), and that file's dry run.
    let (file, changed) = import_files(&db);
    let (full, work) = (
        data_dir().join("memory-import-full.db"),
        data_dir().join("memory-import-work.db"),
    );
    let (f, c) = (file.to_str().unwrap(), changed.to_str().unwrap());
    measure(&fresh(None, &full), &["import", f]);
    let imports: [(&str, Option<&Path>, Vec<&str>); 4] = [
        ("import (a new file of every case)", None, vec!["import", f]),
        (
            "import (the same file again)",
            Some(&full),
            vec!["import", f],
        ),
        ("import (every row changed)", Some(&full), vec!["import", c]),
        (
            "import --dry-run (every row changed)",
            Some(&full),
            vec!["import", "--dry-run", c],
        ),
    ];
    for (name, base, args) in &imports {
        let (mut mb, mut s) = (0.0f64, f64::MAX);
        for _ in 0..2 {
            let (a, t) = measure(&fresh(*base, &work), args);
            (mb, s) = (mb.max(a), s.min(t));
        }
        println!("  {name:<70} {mb:>6.1} MB  {s:>5.2} s");
        if mb > worst.0 {
            worst = (mb, name.to_string());
        }
    }

    // The planner: opened on the caseload, everything loaded, quit.
    let name = "the planner (open, whole caseload loaded, q)";
    let mb = planner_peak(&fresh(Some(&db), &work)).max(planner_peak(&fresh(Some(&db), &work)));
    println!("  {name:<70} {mb:>6.1} MB");
    if mb > worst.0 {
        worst = (mb, name.to_string());
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
    for f in [ics, csv, html, file, changed] {
        let _ = std::fs::remove_file(f);
    }
    for db in [full, work] {
        fresh(None, &db);
    }
}

#[cfg(not(unix))]
fn main() {
    eprintln!("the memory bench reads the operating system's wait4 figures: Unix only");
}
