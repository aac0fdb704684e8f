//! Live refresh between planners (issue 13): a change saved on planner A to its showing on
//! planner B, over 200 changes, on one SQLite file at national scale (a copy of the screens
//! bench's database). B runs as the event loop runs it with no key coming: every `live::POLL`
//! it looks (`App::watch`) and draws when something changed. A saves a note on a case B holds,
//! at a different moment of B's poll each time, and waits for B to show it.
//! Target: change to refresh p99 ≤ 1 s. Also: how long B's thread was busy taking each change
//! in (keys wait that long), and an import elsewhere read again whole in the background.
//! Run: `cargo bench --bench live` (set LIVE_CASES to change size).

mod data;

use ratatui::backend::TestBackend;
use ratatui::Terminal;
use releaseday::domain::case::{Case, Crn};
use releaseday::domain::fields::Field;
use releaseday::query::{EditOptions, Planner};
use releaseday::store::SqliteStore;
use releaseday::tui::app::App;
use releaseday::tui::live::POLL;
use releaseday::tui::theme::Theme;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// What A asks B to look out for: this case showing this note, saved at that instant.
type Wanted = (Crn, String, Instant);

/// What B reports: the time from the save to the frame showing it, and how long B's thread was
/// busy in the look that took it in.
type Seen = (Duration, Duration);

fn report(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let q = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    println!(
        "{name:<28} n={:<4} p50 {:>8.1} ms   p99 {:>8.1} ms   max {:>8.1} ms",
        times.len(),
        q(0.5).as_secs_f64() * 1e3,
        q(0.99).as_secs_f64() * 1e3,
        times.last().unwrap().as_secs_f64() * 1e3
    );
}

/// Planner B: the event loop with no key coming, on its own connection and thread.
fn planner_b(path: PathBuf, wanted: mpsc::Receiver<Option<Wanted>>, seen: mpsc::Sender<Seen>) {
    let planner = Planner::new(SqliteStore::open(&path).unwrap(), data::settings()).unwrap();
    let clock: releaseday::tui::Clock = Box::new(|| data::today().and_hms_opt(9, 0, 0).unwrap());
    let theme = Theme {
        color: true,
        light: false,
    };
    let mut app = App::new(planner, data::today(), clock, theme).unwrap();
    app.settle();
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    term.draw(|f| app.draw(f)).unwrap();
    seen.send((Duration::ZERO, Duration::ZERO)).unwrap();
    let mut target: Option<Wanted> = None;
    loop {
        std::thread::sleep(POLL);
        let t = Instant::now();
        if app.watch() {
            term.draw(|f| app.draw(f)).unwrap();
        }
        let busy = t.elapsed();
        match wanted.try_recv() {
            Ok(Some(w)) => target = Some(w),
            Ok(None) | Err(mpsc::TryRecvError::Disconnected) => return,
            Err(mpsc::TryRecvError::Empty) => {}
        }
        if let Some((crn, note, at)) = &target {
            let shown = app.data.get(crn).and_then(|v| v.case.notes.as_deref()) == Some(note);
            if shown {
                seen.send((at.elapsed(), busy)).unwrap();
                target = None;
            }
        }
    }
}

/// The process's peak resident memory so far (Linux), in MB.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn copy_of(n: usize) -> (tempfile::TempDir, PathBuf) {
    let source = Planner::new(
        SqliteStore::open(&data::database(n)).unwrap(),
        data::settings(),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("live.db");
    source.backup(&path, true).unwrap();
    (dir, path)
}

fn held_crns(path: &Path, how_many: usize) -> Vec<Crn> {
    let p = Planner::new(SqliteStore::open(path).unwrap(), data::settings()).unwrap();
    let today = data::today();
    let to = today + chrono::Days::new(84);
    let list = p.list(today, to, today).unwrap();
    let step = (list.len() / how_many).max(1);
    list.iter()
        .step_by(step)
        .take(how_many)
        .map(|v| v.case.crn.clone())
        .collect()
}

fn main() {
    let quick = !std::env::args().any(|a| a == "--bench");
    let n: usize = std::env::var("LIVE_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if quick { 1_000 } else { 100_000 });
    let changes = if quick { 10 } else { 200 };
    let (_dir, path) = copy_of(n);
    let crns = held_crns(&path, 50);
    let mut a = Planner::new(SqliteStore::open(&path).unwrap(), data::settings()).unwrap();

    let (want_tx, want_rx) = mpsc::channel();
    let (seen_tx, seen_rx) = mpsc::channel();
    let b_path = path.clone();
    let b = std::thread::spawn(move || planner_b(b_path, want_rx, seen_tx));
    let patience = Duration::from_secs(60);
    seen_rx.recv_timeout(patience).expect("planner B opened");

    println!("live refresh at {n} cases, one SQLite file, B looking every {POLL:?}");
    let options = EditOptions {
        sent_on: data::today(),
        confirmed: true,
        restoring: false,
    };
    let (mut latency, mut busy) = (Vec::new(), Vec::new());
    for i in 0..changes {
        // A different moment of B's poll for each save.
        std::thread::sleep(Duration::from_millis(
            (i as u64 * 37) % POLL.as_millis() as u64,
        ));
        let crn = crns[i % crns.len()].clone();
        let note = format!("live change {i}");
        a.edit(
            &crn,
            None,
            &[(Field::Notes, note.clone())],
            data::today(),
            options,
        )
        .unwrap();
        want_tx.send(Some((crn, note, Instant::now()))).unwrap();
        let (took, b_busy) = seen_rx.recv_timeout(patience).expect("B showed the change");
        latency.push(took);
        busy.push(b_busy);
    }
    report("change to refresh on B", latency);
    report("B's thread busy per change", busy);

    // An import of more cases than are read one by one: everything read again, off B's
    // thread; B's looks meanwhile stay short.
    let today = data::today();
    let many: Vec<Case> = (0..1_000)
        .map(|i| {
            let crn: Crn = format!("Z{:06}", 700_000 + i).parse().unwrap();
            Case::new(crn, "Imported Person", today + chrono::Days::new(30))
        })
        .collect();
    let last = many.last().unwrap().crn.clone();
    let note = "imported".to_string();
    let mut with_note = many.clone();
    with_note.last_mut().unwrap().notes = Some(note.clone());
    let peak_before = peak_rss_mb();
    let t = Instant::now();
    a.put_cases(&with_note, "bench import").unwrap();
    let written = t.elapsed();
    want_tx.send(Some((last, note, Instant::now()))).unwrap();
    let (took, b_busy) = seen_rx.recv_timeout(patience).expect("B showed the import");
    println!(
        "{:<28} {:>8.1} ms from the import's commit to B showing it (the import took {:.1} ms); \
         B's thread busy {:.1} ms in the look that took it in",
        "import of 1,000 elsewhere",
        took.as_secs_f64() * 1e3,
        written.as_secs_f64() * 1e3,
        b_busy.as_secs_f64() * 1e3
    );
    if let (Some(before), Some(after)) = (peak_before, peak_rss_mb()) {
        println!(
            "{:<28} {before:>8.1} MB before the import, {after:.1} MB after B read everything again",
            "peak memory (A and B)"
        );
    }
    want_tx.send(None).unwrap();
    b.join().unwrap();
}
