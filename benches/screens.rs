//! The planner's screens at national scale on a 120×40 TestBackend: opening to the first
//! frame, and a keypress to the next frame for scrolling, typing a search, applying a filter,
//! switching views and saving an edit; then the process's peak memory.
//! Targets: keypress to frame ≤ 5 ms at the 99th percentile; first frame ≤ 150 ms;
//! peak memory ≤ 80 MB. Run: `cargo bench --bench screens` (set SCREENS_CASES to change size).

mod data;

use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use releaseday::query::Planner;
use releaseday::store::SqliteStore;
use releaseday::tui::app::App;
use releaseday::tui::theme::Theme;
use std::time::{Duration, Instant};

fn key(c: char) -> KeyEvent {
    let code = match c {
        '\n' => KeyCode::Enter,
        '\x1b' => KeyCode::Esc,
        c => KeyCode::Char(c),
    };
    let mods = if c.is_ascii_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    KeyEvent::new(code, mods)
}

struct Bench {
    app: App,
    term: Terminal<TestBackend>,
}

impl Bench {
    fn frame(&mut self) {
        let app = &mut self.app;
        self.term.draw(|f| app.draw(f)).unwrap();
    }

    /// Presses keys without timing (setting up a measurement).
    fn type_keys(&mut self, keys: &str) {
        for c in keys.chars() {
            self.app.handle_key(key(c));
        }
        self.frame();
    }

    /// Time from a keypress to its frame being drawn.
    fn press(&mut self, c: char) -> Duration {
        let t = Instant::now();
        self.app.handle_key(key(c));
        self.frame();
        t.elapsed()
    }
}

fn report(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let q = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    println!(
        "{name:<22} n={:<5} p50 {:>8.3} ms   p99 {:>8.3} ms   max {:>8.3} ms",
        times.len(),
        q(0.5).as_secs_f64() * 1e3,
        q(0.99).as_secs_f64() * 1e3,
        times.last().unwrap().as_secs_f64() * 1e3
    );
}

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` runs benches as tests: do one quick pass.
    let quick = !std::env::args().any(|a| a == "--bench");
    let n: usize = std::env::var("SCREENS_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if quick { 1_000 } else { 100_000 });
    let path = data::database(n);
    let rss_before = peak_rss_mb();

    let t = Instant::now();
    let planner = Planner::new(SqliteStore::open(&path).unwrap(), data::settings()).unwrap();
    let clock: releaseday::tui::Clock = Box::new(|| data::today().and_hms_opt(9, 0, 0).unwrap());
    let app = App::new(
        planner,
        data::today(),
        clock,
        Theme {
            color: true,
            light: false,
        },
    )
    .unwrap();
    let mut b = Bench {
        app,
        term: Terminal::new(TestBackend::new(120, 40)).unwrap(),
    };
    b.frame();
    let first = t.elapsed();
    // The far-future cases load on another thread after the first frame; the first key
    // waits for them if they are still loading. Shown so that wait is not hidden.
    b.app.settle();
    let whole = t.elapsed();
    println!("screens at {n} cases, 120×40");
    println!(
        "{:<22} {:>8.1} ms",
        "open to first frame",
        first.as_secs_f64() * 1e3
    );
    println!(
        "{:<22} {:>8.1} ms (a key pressed sooner waits for it)",
        "open to all loaded",
        whole.as_secs_f64() * 1e3
    );

    let rounds = if quick { 20 } else { 400 };
    let scroll: Vec<Duration> = (0..rounds)
        .map(|i| b.press(if i % 50 < 25 { 'j' } else { 'k' }))
        .collect();
    report("scroll (j/k)", scroll);

    // The first `/` of a session makes the held cases' search keys and starts reading those
    // of every earlier case on another thread (the search takes them in when they arrive):
    // timed once, apart, and then the wait for the earlier keys.
    let slash = b.press('/');
    let t = Instant::now();
    b.app.take_earlier(true);
    let earlier = t.elapsed();
    b.type_keys("\x1b");
    println!(
        "{:<22} {:>8.1} ms (once; then the earlier cases' keys arrive {:.1} ms later)",
        "first /",
        slash.as_secs_f64() * 1e3,
        earlier.as_secs_f64() * 1e3
    );
    let mut search = Vec::new();
    for _ in 0..rounds / 20 {
        b.type_keys("/");
        for c in "smith".chars() {
            search.push(b.press(c));
        }
        b.type_keys("\x1b");
    }
    let firsts: Vec<Duration> = search.iter().step_by(5).copied().collect();
    let rest: Vec<Duration> = search
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 5 != 0)
        .map(|(_, d)| *d)
        .collect();
    report("search, first letter", firsts);
    report("search, later letters", rest);
    report("search, per key", search);

    let mut filter = Vec::new();
    for _ in 0..rounds / 20 {
        // f → Accommodation → first value ("nowhere to go"); F clears.
        b.type_keys("fjjjj\n");
        filter.push(b.press('\n'));
        b.type_keys("F");
    }
    report("apply a filter", filter);

    let views: Vec<Duration> = (0..rounds)
        .map(|i| b.press(['2', '3', '4', '1'][i % 4]))
        .collect();
    report("switch view", views);

    let mut edits = Vec::new();
    b.type_keys("1g");
    // 200 saves: with 40, the 99th percentile was simply the slowest one, so a single write
    // that lands on a WAL checkpoint decided it.
    for i in 0..rounds / 2 {
        // e → Accommodation → move the pick list one way then back, saving each time.
        b.type_keys("e\n");
        b.type_keys(if i % 2 == 0 { "j" } else { "k" });
        edits.push(b.press('\n'));
    }
    report("save an edit", edits);

    if let (Some(before), Some(peak)) = (rss_before, peak_rss_mb()) {
        println!(
            "{:<22} {:>8.1} MB (before opening: {before:.1} MB)",
            "peak memory", peak
        );
    }
}
