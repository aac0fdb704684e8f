//! Crash safety (issue 4, promise 2): an import killed at any moment leaves the database whole,
//! holding either every change of the file or none of them.
//!
//! A caseload (version 1) is imported; a second version changes every row. That import is run
//! again and again on a fresh copy of the version-1 database and killed with SIGKILL
//! (`Child::kill`) at a different moment each trial, spread over the whole run as measured by
//! one unkilled run, plus trials aimed at the commit itself: killed a random moment after the
//! write-ahead log starts to grow. After each kill the file is opened afresh (SQLite recovers
//! from its log), `PRAGMA integrity_check` must say `ok`, and a checksum over every case and
//! audit row must equal that of version 1 or that of version 2, never anything between.
//!
//! Rows: `CRASH_ROWS` (default 800: a debug build imports about two thousand changed rows a
//! second, and 50+ trials must stay well under a minute). Run with `--nocapture` to see how
//! the trials fell.

#![cfg(unix)]

use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const TODAY: &str = "2026-11-23";
/// Trials killed at a moment spread evenly over the measured run.
const SPREAD_TRIALS: u32 = 36;
/// Trials killed a moment after the write-ahead log starts to grow (the commit).
const COMMIT_TRIALS: u32 = 16;

fn rows() -> u32 {
    std::env::var("CRASH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(800)
}

/// Version `v` of an invented caseload of `n` rows; every field a version can change differs
/// between versions 1 and 2.
fn caseload(n: u32, v: u32) -> String {
    let mut s = String::from(
        "crn,name,noms,prison,officer,team,rosh,mappa,release_date,release_type,accommodation,\
         dtr,dtr_date,notes\n",
    );
    let rosh = ["LOW", "MEDIUM", "HIGH", "VERY_HIGH"];
    let acc = ["NFA", "SETTLED", "CAS3", "TRANSIENT"];
    let dtr = ["SUBMITTED", "ACCEPTED"];
    for i in 0..n {
        let k = (i + v) as usize;
        s += &format!(
            "X{:06},Person {i} v{v},A{:04}B{},HMP Invented {},Officer {} v{v},Team {},{},{},\
             2027-{:02}-{:02},CRD,{},{},2026-10-{:02},note {i} of version {v}\n",
            100_000 + i,
            1000 + i % 9000,
            (b'A' + v as u8) as char,
            (i + v) % 40,
            i % 300,
            (i + v) % 20,
            rosh[k % 4],
            k % 4,
            1 + (k % 12),
            1 + i % 28,
            acc[k % 4],
            dtr[k % 2],
            v,
        );
    }
    s
}

fn releaseday(db: &Path, file: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_releaseday"));
    c.env_remove("RELEASEDAY_DB")
        .env("RELEASEDAY_CONFIG", "/nonexistent/releaseday/config.toml")
        .arg("--db")
        .arg(db)
        .arg("--today")
        .arg(TODAY)
        .arg("import")
        .arg(file)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

fn side(db: &Path, suffix: &str) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn wal_len(db: &Path) -> u64 {
    std::fs::metadata(side(db, "-wal")).map_or(0, |m| m.len())
}

/// A fresh copy of the version-1 database at `db` (no log beside it).
fn reset(base: &Path, db: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(side(db, suffix));
    }
    std::fs::copy(base, db).unwrap();
}

/// FNV-1a over every case (all columns but the write timestamps) and every audit row (all but
/// its time), in key order; and the case count.
fn checksum(conn: &Connection) -> (u64, usize) {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |text: &str| {
        for b in text.bytes().chain([0x1f]) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    let columns: Vec<String> = conn
        .prepare("SELECT name FROM pragma_table_info('cases') ORDER BY cid")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .filter(|c: &String| c != "created_at" && c != "updated_at")
        .collect();
    let sql = format!(
        "SELECT {} FROM cases ORDER BY crn",
        columns
            .iter()
            .map(|c| format!("quote({c})"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut st = conn.prepare(&sql).unwrap();
    let mut rows = st.query([]).unwrap();
    let mut cases = 0;
    while let Some(row) = rows.next().unwrap() {
        for i in 0..columns.len() {
            feed(&row.get::<_, String>(i).unwrap());
        }
        cases += 1;
    }
    let mut st = conn
        .prepare(
            "SELECT quote(who), quote(crn), quote(field), quote(old), quote(new) \
             FROM audit ORDER BY id",
        )
        .unwrap();
    let mut rows = st.query([]).unwrap();
    while let Some(row) = rows.next().unwrap() {
        for i in 0..5 {
            feed(&row.get::<_, String>(i).unwrap());
        }
    }
    (h, cases)
}

/// Opens the file as the next run would (recovering from the log), checks its integrity and
/// returns its checksum.
fn examine(db: &Path) -> (u64, usize) {
    let conn = Connection::open(db).unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok", "the database is damaged");
    checksum(&conn)
}

/// A small, seedable generator, so a failing trial can be repeated (`CRASH_SEED`).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// How one trial ended.
#[derive(Debug, Default)]
struct Tally {
    /// The import finished before the kill came.
    finished: u32,
    /// Killed with nothing in the log: before the transaction reached the file. Old data.
    killed_before_write: u32,
    /// Killed with the log part-written and no commit in it: mid-write. Old data.
    killed_mid_write: u32,
    /// Killed after the commit reached the log, before it was copied into the file. New data.
    killed_after_commit: u32,
    /// Killed after the log was copied in and removed (closing). New data.
    killed_closing: u32,
}

#[test]
fn an_import_killed_at_any_moment_leaves_all_old_or_all_new() {
    let n = rows();
    let tmp = tempfile::tempdir().unwrap();
    let (v1, v2) = (tmp.path().join("v1.csv"), tmp.path().join("v2.csv"));
    std::fs::write(&v1, caseload(n, 1)).unwrap();
    std::fs::write(&v2, caseload(n, 2)).unwrap();

    // The version-1 database, as one file with no log beside it.
    let base = tmp.path().join("base.db");
    assert!(releaseday(&base, &v1).status().unwrap().success());
    {
        let conn = Connection::open(&base).unwrap();
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
    }
    let _ = std::fs::remove_file(side(&base, "-wal"));
    let _ = std::fs::remove_file(side(&base, "-shm"));
    let old = examine(&base);
    assert_eq!(old.1, n as usize);

    // Unkilled runs: how long an import takes, when its commit starts, and what "new" is.
    // The middle of three, so a moment of load on the machine neither stretches the spread past
    // the end of most trials nor shrinks it short of their commits.
    let db = tmp.path().join("trial.db");
    let mut measured = Vec::new();
    for _ in 0..3 {
        reset(&base, &db);
        measured.push(unkilled_run(&db, &v2));
    }
    measured.sort();
    let (run, commit_at) = measured[1];
    let new = examine(&db);
    assert_ne!(old.0, new.0, "version 2 changes every row");
    assert_eq!(new.1, n as usize);
    let commit_span = run.saturating_sub(commit_at).max(Duration::from_millis(5));
    println!("{n} rows: an unkilled import takes {run:?}; its log starts to grow at {commit_at:?}");

    let seed = std::env::var("CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x9e37_79b9_7f4a_7c15);
    let mut rng = Rng(seed);
    let mut tally = Tally::default();
    let spread = run.as_micros() as u64 * 125 / 100;
    for trial in 0..SPREAD_TRIALS + COMMIT_TRIALS {
        reset(&base, &db);
        let mut child = releaseday(&db, &v2).spawn().unwrap();
        if trial < SPREAD_TRIALS {
            // Evenly over [0, 1.25 × run], jittered within each slot.
            let slot = spread / u64::from(SPREAD_TRIALS);
            let at = slot * u64::from(trial) + rng.below(slot);
            std::thread::sleep(Duration::from_micros(at));
        } else {
            wait_for_log(&mut child, &db, run * 3);
            // The log is written first, then copied into the file: aim most at the writing.
            let window = commit_span.as_micros() as u64 / if trial % 2 == 0 { 8 } else { 1 };
            std::thread::sleep(Duration::from_micros(rng.below(window)));
        }
        let _ = child.kill();
        let status = child.wait().unwrap();
        let log = wal_len(&db);
        let got = examine(&db);
        let is_old = got == old;
        assert!(
            is_old || got == new,
            "trial {trial} (seed {seed}): the database holds neither version wholly \
             ({} cases; log {log} bytes)",
            got.1
        );
        use std::os::unix::process::ExitStatusExt;
        if status.signal().is_none() {
            assert!(status.success(), "trial {trial}: the import failed");
            assert!(
                !is_old,
                "trial {trial}: a finished import wrote its changes"
            );
            tally.finished += 1;
        } else {
            assert_eq!(status.signal(), Some(9), "trial {trial}: killed by SIGKILL");
            match (is_old, log > 0) {
                (true, false) => tally.killed_before_write += 1,
                (true, true) => tally.killed_mid_write += 1,
                (false, true) => tally.killed_after_commit += 1,
                (false, false) => tally.killed_closing += 1,
            }
        }
    }
    println!(
        "{} trials, integrity ok and all-or-nothing in every one: {tally:#?}",
        { SPREAD_TRIALS + COMMIT_TRIALS }
    );
    // Every trial above was checked; these make sure the kills landed where they should.
    let killed = SPREAD_TRIALS + COMMIT_TRIALS - tally.finished;
    assert!(
        killed >= (SPREAD_TRIALS + COMMIT_TRIALS) / 2,
        "most trials kill a running import: {tally:?}"
    );
    assert!(tally.killed_before_write > 0, "{tally:?}");
    assert!(
        tally.killed_mid_write + tally.killed_after_commit > 0,
        "some kills land while the log is being written: {tally:?}"
    );
}

/// Runs the import to its end; returns how long it took and when its log started to grow.
fn unkilled_run(db: &Path, file: &Path) -> (Duration, Duration) {
    let started = Instant::now();
    let mut child = releaseday(db, file).spawn().unwrap();
    let mut commit_at = None;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if commit_at.is_none() && wal_len(db) > 0 {
            commit_at = Some(started.elapsed());
        }
        std::thread::sleep(Duration::from_micros(200));
    };
    let run = started.elapsed();
    assert!(status.success());
    (run, commit_at.unwrap_or(run))
}

/// Waits until the import's write-ahead log has something in it (or it ends, or `limit`).
fn wait_for_log(child: &mut Child, db: &Path, limit: Duration) {
    let started = Instant::now();
    while wal_len(db) == 0 && started.elapsed() < limit {
        if child.try_wait().unwrap().is_some() {
            return;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
}
