//! No leaks to the screen or to logs (issue 4, promise 7).
//!
//! - Escape sequences in stored text reach neither the CLI's tables nor the planner's screens.
//! - A panic prints where it happened, never its message (which might name someone).
//! - Error messages name no one: not the duplicate-CRN import error, not a refused stale edit.
//! - A whole CLI session leaves no files but the databases and what the user asked for.
//!
//! All names and CRNs are invented.

mod common;

use assert_cmd::Command;
use chrono::{NaiveDate, NaiveDateTime};
use common::cli::{fixture, Env};
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use releaseday::domain::case::{Accommodation, Case};
use releaseday::query::{Planner, Settings};
use releaseday::store::SqliteStore;
use releaseday::tui::app::App;
use releaseday::tui::theme::Theme;
use std::collections::BTreeSet;
use std::path::Path;

const TODAY: &str = "2026-11-23";
const ESC: char = '\u{1b}';

fn today() -> NaiveDate {
    NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap()
}

fn stdout(mut c: Command) -> String {
    let out = c.assert().success().get_output().clone();
    String::from_utf8(out.stdout).unwrap()
}

/// Runs, expects failure with status 1, returns standard error.
fn stderr(mut c: Command) -> String {
    let out = c.assert().failure().code(1).get_output().clone();
    String::from_utf8(out.stderr).unwrap()
}

/// A case due today with nowhere to live (so it is listed, on today's sheet and in the gaps),
/// every free-text field carrying a terminal escape sequence: clear screen, set the window
/// title, colour, cursor movement.
fn hostile_case() -> Case {
    let mut c = Case::new(
        "X777001".parse().unwrap(),
        "Evil\u{1b}[2JName\u{1b}[H",
        today(),
    );
    c.accommodation = Accommodation::Nfa;
    c.officer = Some("Off\u{1b}]0;owned\u{7}icer".into());
    c.prison = Some("HMP \u{1b}[31mRedhill\u{1b}[0m".into());
    c.team = Some("Team\u{1b}[5A\r".into());
    c.notes = Some("note\u{1b}[2K\u{8}\u{8}gone".into());
    c
}

/// Writes the case straight into the database, as another program might have.
fn insert_directly(db: &Path, case: &Case) {
    let mut store = SqliteStore::open(db).unwrap();
    store.upsert_case(case, "elsewhere", today()).unwrap();
}

fn assert_inert(what: &str, out: &str) {
    assert!(
        !out.contains(ESC),
        "{what}: an ESC byte got through:\n{out:?}"
    );
    assert!(
        !out.chars().any(|c| c.is_control() && c != '\n'),
        "{what}: a control character got through:\n{out:?}"
    );
    assert!(
        out.contains("Evil"),
        "{what}: the case is not shown:\n{out}"
    );
}

// ---------------------------------------------------------------------------------------------
// Escape sequences

#[test]
fn stored_escape_sequences_never_reach_table_output() {
    let env = Env::new();
    let db = env.db();
    insert_directly(&db, &hostile_case());
    for args in [
        vec!["list"],
        vec!["today"],
        vec!["gaps"],
        vec!["today", "--format", "markdown"],
        vec!["today", "--format", "html"],
    ] {
        let mut c = env.cmd(&[]);
        c.args(&args);
        assert_inert(&args.join(" "), &stdout(c));
    }
    // No subcommand and no terminal: the summary (clusters and gaps).
    assert_inert("summary", &stdout(env.cmd(&[])));
}

#[test]
fn imported_escape_sequences_are_stripped() {
    let env = Env::new();
    let db = env.db();
    let file = env.path("in.csv");
    std::fs::write(
        &file,
        format!(
            "crn,name,officer,notes,release_date,accommodation\n\
             X777002,\"Evil{ESC}[2JName\",\"Off{ESC}]0;t\u{7}icer\",\"a{ESC}[2Kb\",{TODAY},NFA\n"
        ),
    )
    .unwrap();
    let mut c = env.cmd(&[]);
    c.arg("import").arg(&file);
    stdout(c);
    let store = SqliteStore::open(&db).unwrap();
    let stored = store.get(&"X777002".parse().unwrap()).unwrap().unwrap();
    assert_eq!(stored.case.name, "Evil[2JName");
    assert_eq!(stored.case.officer.as_deref(), Some("Off]0;ticer"));
    assert_eq!(stored.case.notes.as_deref(), Some("a[2Kb"));
    drop(store);
    for sub in ["list", "today", "gaps"] {
        let mut c = env.cmd(&[]);
        c.arg(sub);
        assert_inert(sub, &stdout(c));
    }
}

fn press(app: &mut App, keys: &str) {
    let mut rest = keys;
    while let Some(c) = rest.chars().next() {
        let (code, len) = if rest.starts_with("<Enter>") {
            (KeyCode::Enter, "<Enter>".len())
        } else if rest.starts_with("<Esc>") {
            (KeyCode::Esc, "<Esc>".len())
        } else {
            (KeyCode::Char(c), c.len_utf8())
        };
        app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
        rest = &rest[len..];
    }
}

/// Every cell of the screen, row by row.
fn screen(app: &mut App, w: u16, h: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| app.draw(f)).unwrap();
    let buf = term.backend().buffer().clone();
    (0..h)
        .map(|y| (0..w).map(|x| buf[(x, y)].symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn stored_escape_sequences_never_reach_the_screens() {
    let env = Env::new();
    let db = env.db();
    insert_directly(&db, &hostile_case());
    let planner = Planner::new(
        SqliteStore::open(&db).unwrap(),
        Settings {
            who: "tester".into(),
            ..Settings::default()
        },
    )
    .unwrap();
    let clock = || -> NaiveDateTime { today().and_hms_opt(9, 0, 0).unwrap() };
    let mut app = App::new(planner, today(), Box::new(clock), Theme::mono()).unwrap();
    // Each view, then the case's detail from the releases list (search, select, open).
    for (keys, what) in [
        ("1", "releases"),
        ("2", "gaps"),
        ("3", "calendar"),
        ("4", "today"),
        ("1/evil<Enter><Enter>", "detail"),
    ] {
        press(&mut app, keys);
        for (w, h) in [(120, 40), (200, 60)] {
            let s = screen(&mut app, w, h);
            if what != "calendar" {
                assert_inert(what, &s);
            } else {
                assert!(!s.contains(ESC), "{what}: {s:?}");
            }
        }
        press(&mut app, "<Esc><Esc>");
    }
}

// ---------------------------------------------------------------------------------------------
// Panics and error messages

#[test]
fn a_panic_shows_where_not_what() {
    let env = Env::new();
    let out = env
        .cmd(&[])
        .arg("list")
        .env("RELEASEDAY_TEST_PANIC", "1")
        .env("RUST_BACKTRACE", "1")
        .assert()
        .failure()
        .code(101)
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("releaseday stopped unexpectedly at src/main.rs:"),
        "{err}"
    );
    assert!(
        err.contains(
            "Nothing was half-written: each change is saved whole or not at all. \
             Please report this."
        ),
        "{err}"
    );
    for secret in ["Testy", "McFakename", "X999999", "panicked"] {
        assert!(!err.contains(secret), "{secret:?} in: {err}");
    }
    assert!(out.stdout.is_empty());
}

#[test]
fn a_duplicate_crn_error_names_no_one() {
    let env = Env::new();
    let file = env.path("dup.csv");
    std::fs::write(
        &file,
        "crn,name,release_date\n\
         X123456,Prudence Privacy,2026-12-24\n\
         X000002,Other Person,2026-12-24\n\
         x123456,Prudence Privacy,2026-12-28\n",
    )
    .unwrap();
    let mut c = env.cmd(&[]);
    c.arg("import").arg(&file);
    let err = stderr(c);
    assert!(
        err.contains("line 4, column A \"crn\": this CRN also appears on line 2"),
        "{err}"
    );
    assert!(err.contains("nothing was imported"), "{err}");
    for secret in ["X123456", "x123456", "123456", "Prudence", "Privacy"] {
        assert!(!err.contains(secret), "{secret:?} in: {err}");
    }
}

#[test]
fn a_stale_edit_error_names_no_one() {
    let env = Env::new();
    let db = env.db();
    let case = Case::new("X654321".parse().unwrap(), "Prudence Privacy", today());
    insert_directly(&db, &case);
    let mut mine = SqliteStore::open(&db).unwrap();
    let mut theirs = SqliteStore::open(&db).unwrap();
    let opened = mine.get(&case.crn).unwrap().unwrap();
    let mut their_edit = opened.case.clone();
    their_edit.officer = Some("Someone Else".into());
    theirs
        .save_edit(&their_edit, opened.version, "them", today())
        .unwrap();
    let mut my_edit = opened.case.clone();
    my_edit.notes = Some("mine".into());
    let e = mine
        .save_edit(&my_edit, opened.version, "me", today())
        .unwrap_err();
    // As the store says it, and as `main` would print it through anyhow.
    let shown = [
        e.to_string(),
        format!("releaseday: {:#}", anyhow::Error::from(e)),
    ];
    for text in shown {
        assert!(text.contains("someone else changed this case"), "{text}");
        for secret in ["X654321", "654321", "Prudence", "Privacy"] {
            assert!(!text.contains(secret), "{secret:?} in: {text}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// No log files

/// Every file under `root`, relative to it.
fn files_under(root: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(root).unwrap();
                out.insert(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out
}

#[test]
fn a_whole_session_writes_no_files_but_the_databases_and_the_export() {
    let root = tempfile::tempdir().unwrap();
    let dirs = [
        "home", "data", "config", "cache", "state", "work", "appdata",
    ];
    for d in dirs {
        std::fs::create_dir(root.path().join(d)).unwrap();
    }
    let at = |d: &str| root.path().join(d);
    let run = |args: &[&str]| {
        let out = Command::cargo_bin("releaseday")
            .unwrap()
            .env_remove("RELEASEDAY_DB")
            .env("RELEASEDAY_CONFIG", "/nonexistent/releaseday/config.toml")
            .env("NO_COLOR", "1")
            .env("HOME", at("home"))
            .env("XDG_DATA_HOME", at("data"))
            .env("XDG_CONFIG_HOME", at("config"))
            .env("XDG_CACHE_HOME", at("cache"))
            .env("XDG_STATE_HOME", at("state"))
            .env("APPDATA", at("appdata"))
            .env("LOCALAPPDATA", at("appdata"))
            .env("TMPDIR", at("cache"))
            .current_dir(at("work"))
            .arg("--today")
            .arg(TODAY)
            .args(args)
            .assert()
            .success()
            .get_output()
            .clone();
        String::from_utf8(out.stdout).unwrap()
    };
    let export = at("home").join("out.csv");
    run(&["demo", "--cases", "30"]);
    run(&["--demo", "list"]);
    run(&["import", fixture("caseload.csv").to_str().unwrap()]);
    run(&[
        "import",
        "--dry-run",
        fixture("caseload.csv").to_str().unwrap(),
    ]);
    run(&["list"]);
    run(&["today"]);
    run(&["gaps"]);
    run(&["clusters"]);
    run(&[
        "export",
        "--format",
        "csv",
        "--output",
        export.to_str().unwrap(),
    ]);
    assert!(export.exists());

    let found = files_under(root.path());
    let db_dir = if cfg!(target_os = "linux") {
        "data/releaseday/"
    } else {
        ""
    };
    let allowed = |f: &str| {
        if f == "home/out.csv" {
            return true;
        }
        let name = f.rsplit('/').next().unwrap();
        let base = ["releaseday.db", "releaseday-demo.db"]
            .iter()
            .any(|db| [*db, &format!("{db}-wal"), &format!("{db}-shm")].contains(&name));
        base && f.starts_with(db_dir)
    };
    let strays: Vec<&String> = found.iter().filter(|f| !allowed(f)).collect();
    assert!(strays.is_empty(), "unexpected files: {strays:?}");
    if cfg!(target_os = "linux") {
        for f in [
            "data/releaseday/releaseday.db",
            "data/releaseday/releaseday-demo.db",
        ] {
            assert!(found.contains(f), "{f} not in {found:?}");
        }
    }
}
