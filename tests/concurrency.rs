//! Two users at once (issue 4, promise 3), with real processes.
//!
//! - A writer that holds the database (this test process, `BEGIN IMMEDIATE` on its own
//!   connection) makes `releaseday import` wait, not fail: past SQLite's 5-second busy timeout
//!   too, through the store's retry.
//! - Several `releaseday import`s at once all succeed.
//! - A stale edit from another process is refused and overwrites nothing. The other process is
//!   this test binary run again in "helper" mode (`helper_stale_editor`, which does nothing in an
//!   ordinary run): it opens the store, reads a case, says `READY <version>`, waits for a line on
//!   its standard input, then saves its edit against the version it read and says `SAVED <new
//!   version>`, `STALE` or `ERROR <message>`.

use releaseday::domain::case::Crn;
use releaseday::store::{SqliteStore, StoreError};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

/// How long a helper may take to answer before the test gives up on it (and kills it).
const HELPER_PATIENCE: Duration = Duration::from_secs(60);

const TODAY: &str = "2026-11-23";
const HEADER: &str = "crn,name,release_date,accommodation,notes";

fn releaseday(db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_releaseday"));
    c.env_remove("RELEASEDAY_DB")
        .env("RELEASEDAY_CONFIG", "/nonexistent/releaseday/config.toml")
        .env("NO_COLOR", "1")
        .arg("--db")
        .arg(db)
        .arg("--today")
        .arg(TODAY);
    c
}

/// A CSV of `n` invented cases with CRNs from `first`, all with `note`.
fn csv(dir: &Path, name: &str, first: u32, n: u32, note: &str) -> PathBuf {
    let mut text = format!("{HEADER}\n");
    for i in 0..n {
        let crn = first + i;
        text += &format!(
            "X{crn:06},Person {crn},2026-12-{:02},NFA,{note}\n",
            1 + i % 28
        );
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn import_ok(db: &Path, file: &Path) -> String {
    let out = releaseday(db).arg("import").arg(file).output().unwrap();
    assert!(
        out.status.success(),
        "import failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn count(db: &Path) -> usize {
    SqliteStore::open(db).unwrap().case_count().unwrap()
}

/// Holds the write lock for `hold` on a connection of this process while `releaseday import`
/// runs in another; the import must still be running when the lock is let go, then succeed.
fn import_waits_for_a_writer(hold: Duration) {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("x.db");
    import_ok(&db, &csv(tmp.path(), "seed.csv", 100_001, 3, "seed"));
    let second = csv(tmp.path(), "second.csv", 200_001, 50, "second");

    let holder = rusqlite::Connection::open(&db).unwrap();
    holder
        .execute_batch(
            "BEGIN IMMEDIATE; INSERT INTO meta (key, value) VALUES ('held_by', 'the test');",
        )
        .unwrap();
    let started = Instant::now();
    let mut child = releaseday(&db)
        .arg("import")
        .arg(&second)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(hold);
    let waiting = child.try_wait().unwrap().is_none();
    holder.execute_batch("COMMIT").unwrap();
    let out = child.wait_with_output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(
        waiting,
        "the import finished while another process held the write lock: {stdout}{stderr}"
    );
    assert!(out.status.success(), "the import failed: {stderr}");
    assert!(
        !stderr.contains("locked") && !stderr.contains("busy"),
        "{stderr}"
    );
    assert!(
        stdout.contains("50 new, 0 updated, 0 unchanged"),
        "{stdout}"
    );
    assert!(started.elapsed() >= hold);
    assert_eq!(count(&db), 53);
    let store = SqliteStore::open(&db).unwrap();
    assert_eq!(
        store.meta_get("held_by").unwrap().as_deref(),
        Some("the test"),
        "the other writer's change is kept"
    );
}

#[test]
fn an_import_waits_for_another_writer_instead_of_failing() {
    import_waits_for_a_writer(Duration::from_millis(1000));
}

#[test]
fn an_import_waits_past_sqlites_busy_timeout() {
    // SQLite's own busy timeout is 5 s; the store retries up to 15 s in all.
    import_waits_for_a_writer(Duration::from_millis(6500));
}

#[test]
fn several_imports_at_once_all_succeed() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("x.db");
    import_ok(&db, &csv(tmp.path(), "seed.csv", 100_001, 3, "seed"));
    let files: Vec<PathBuf> = (0..4)
        .map(|k| {
            let name = format!("part{k}.csv");
            csv(tmp.path(), &name, 300_001 + k * 1000, 200, "part")
        })
        .collect();
    let children: Vec<Child> = files
        .iter()
        .map(|f| {
            releaseday(&db)
                .arg("import")
                .arg(f)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("200 new"));
    }
    assert_eq!(count(&db), 3 + 4 * 200);
    let integrity: String = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
}

// ---- stale edits from another process ----

const HELPER_DB: &str = "RELEASEDAY_TEST_HELPER_DB";
const HELPER_CRN: &str = "RELEASEDAY_TEST_HELPER_CRN";
const HELPER_NOTE: &str = "RELEASEDAY_TEST_HELPER_NOTE";
/// Starts each line the helper says.
const MARK: &str = "@@helper: ";

/// Not a test of its own: the second process of the tests below (see the module comment).
/// In an ordinary run, with no helper variables set, it returns at once.
#[test]
fn helper_stale_editor() {
    let Ok(db) = std::env::var(HELPER_DB) else {
        return;
    };
    let crn: Crn = std::env::var(HELPER_CRN).unwrap().parse().unwrap();
    let note = std::env::var(HELPER_NOTE).unwrap();
    // Written straight to standard output, marked: the harness's own "test ... " starts the
    // same line, and the parent must see each line as it is written.
    let say = |line: String| {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{MARK}{line}").unwrap();
        out.flush().unwrap();
    };
    let mut store = SqliteStore::open(Path::new(&db)).unwrap();
    let opened = store.get(&crn).unwrap().unwrap();
    say(format!("READY {}", opened.version));
    let mut go = String::new();
    if std::io::stdin().read_line(&mut go).unwrap() == 0 {
        return; // the parent went away
    }
    let mut edited = opened.case.clone();
    edited.notes = Some(note);
    match store.save_edit(&edited, opened.version, "helper", opened.expected_day) {
        Ok((version, _)) => say(format!("SAVED {version}")),
        Err(StoreError::StaleEdit) => say("STALE".into()),
        Err(e) => say(format!("ERROR {e}")),
    }
}

/// A helper process that has opened `crn` and is waiting to save `note`.
struct Editor {
    child: Child,
    stdin: Option<ChildStdin>,
    /// Its own lines (the harness's are dropped), read by a thread so a silent helper cannot
    /// hang the test.
    replies: Receiver<String>,
    /// The version it read.
    version: i64,
}

impl Editor {
    fn open(db: &Path, crn: &str, note: &str) -> Editor {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "helper_stale_editor", "--nocapture"])
            .args(["--test-threads", "1"])
            .env(HELPER_DB, db)
            .env(HELPER_CRN, crn)
            .env(HELPER_NOTE, note)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let (tx, replies) = channel();
        std::thread::spawn(move || {
            for line in stdout.lines() {
                let Ok(line) = line else { break };
                let Some(at) = line.find(MARK) else { continue };
                let said = line[at + MARK.len()..].trim().to_string();
                if tx.send(said).is_err() {
                    break;
                }
            }
        });
        let mut editor = Editor {
            child,
            stdin,
            replies,
            version: 0,
        };
        let line = editor.reply();
        editor.version = line
            .strip_prefix("READY ")
            .unwrap_or_else(|| panic!("helper said {line:?}"))
            .parse()
            .unwrap();
        editor
    }

    fn reply(&self) -> String {
        self.replies
            .recv_timeout(HELPER_PATIENCE)
            .expect("the helper process answers")
    }

    /// Tells it to save; returns its answer.
    fn save(mut self) -> String {
        let mut stdin = self.stdin.take().unwrap();
        writeln!(stdin, "go").unwrap();
        stdin.flush().unwrap();
        let reply = self.reply();
        drop(stdin);
        assert!(self.child.wait().unwrap().success());
        reply
    }
}

impl Drop for Editor {
    /// A helper left behind by a failing test is stopped, never left waiting.
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn notes_and_version(db: &Path, crn: &str) -> (Option<String>, i64) {
    let store = SqliteStore::open(db).unwrap();
    let s = store.get(&crn.parse().unwrap()).unwrap().unwrap();
    (s.case.notes, s.version)
}

fn notes_audit(db: &Path, crn: &str) -> Vec<(String, Option<String>)> {
    let store = SqliteStore::open(db).unwrap();
    let mut rows: Vec<_> = store
        .audit_for(&crn.parse().unwrap())
        .unwrap()
        .into_iter()
        .filter(|a| a.field == "notes")
        .map(|a| (a.who, a.new))
        .collect();
    rows.reverse();
    rows
}

#[test]
fn a_stale_edit_from_another_process_is_refused_and_overwrites_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("x.db");
    import_ok(&db, &csv(tmp.path(), "seed.csv", 100_001, 3, "seed"));
    let crn = "X100002";

    // Process B opens the case; this process saves first; B's save is then stale.
    let b = Editor::open(&db, crn, "from B");
    let mut a = SqliteStore::open(&db).unwrap();
    let opened = a.get(&crn.parse().unwrap()).unwrap().unwrap();
    assert_eq!(opened.version, b.version);
    let mut mine = opened.case.clone();
    mine.notes = Some("from A".into());
    let (v, _) = a
        .save_edit(&mine, opened.version, "A", opened.expected_day)
        .unwrap();
    assert_eq!(v, opened.version + 1);
    assert_eq!(b.save(), "STALE");
    assert_eq!(notes_and_version(&db, crn), (Some("from A".into()), v));

    // The other way round: this process holds the case open while `releaseday import`, a real
    // process, changes it; saving over that is refused. (The notes are A's, set in the planner:
    // only `--prefer-file` takes the file's over them.)
    let opened = a.get(&crn.parse().unwrap()).unwrap().unwrap();
    let refresh = tmp.path().join("refresh.csv");
    std::fs::write(
        &refresh,
        format!("{HEADER}\nX100002,Person 100002,2026-12-02,NFA,from the import\n"),
    )
    .unwrap();
    let out = releaseday(&db)
        .args(["import", "--prefer-file"])
        .arg(&refresh)
        .output()
        .unwrap();
    assert!(out.status.success() && String::from_utf8_lossy(&out.stdout).contains("1 updated"));
    let mut mine = opened.case.clone();
    mine.notes = Some("from A again".into());
    let e = a
        .save_edit(&mine, opened.version, "A", opened.expected_day)
        .unwrap_err();
    assert!(matches!(e, StoreError::StaleEdit), "{e:?}");
    assert_eq!(
        notes_and_version(&db, crn),
        (Some("from the import".into()), v + 1)
    );

    // Only the saved changes are in the audit log, in order.
    let who: Vec<String> = notes_audit(&db, crn).into_iter().map(|(w, _)| w).collect();
    assert_eq!(who.len(), 2, "{who:?}");
    assert_eq!(who[0], "A");
}

#[test]
fn of_several_processes_saving_the_same_version_exactly_one_wins() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("x.db");
    import_ok(&db, &csv(tmp.path(), "seed.csv", 100_001, 3, "seed"));
    let crn = "X100001";
    let editors: Vec<Editor> = (0..4)
        .map(|k| Editor::open(&db, crn, &format!("from editor {k}")))
        .collect();
    let version = editors[0].version;
    assert!(editors.iter().all(|e| e.version == version));
    // Let all of them go at once, each from its own thread.
    let replies: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = editors
            .into_iter()
            .map(|e| s.spawn(move || e.save()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let saved: Vec<usize> = (0..replies.len())
        .filter(|&k| replies[k].starts_with("SAVED"))
        .collect();
    assert_eq!(saved.len(), 1, "{replies:?}");
    assert!(
        replies
            .iter()
            .all(|r| r.starts_with("SAVED") || r == "STALE"),
        "{replies:?}"
    );
    let winner = saved[0];
    assert_eq!(replies[winner], format!("SAVED {}", version + 1));
    assert_eq!(
        notes_and_version(&db, crn),
        (Some(format!("from editor {winner}")), version + 1)
    );
    assert_eq!(
        notes_audit(&db, crn).len(),
        1,
        "one change saved, one audited"
    );
}

// ---- two planners on one file: check-ins and undo ----

mod common;

use chrono::{NaiveDate, NaiveDateTime};
use releaseday::domain::case::{Accommodation, Case};
use releaseday::query::{Planner, Settings};
use releaseday::tui::app::App;
use releaseday::tui::theme::Theme;

fn planner_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn at(h: u32, m: u32) -> NaiveDateTime {
    planner_day().and_hms_opt(h, m, 0).unwrap()
}

/// A planner on `db` as officer `who`, whose clock says `h:m`.
fn planner_app(db: &Path, who: &str, (h, m): (u32, u32)) -> App {
    let settings = Settings {
        who: who.into(),
        ..Settings::default()
    };
    let planner = Planner::new(SqliteStore::open(db).unwrap(), settings).unwrap();
    App::new(
        planner,
        planner_day(),
        Box::new(move || at(h, m)),
        Theme::mono(),
    )
    .unwrap()
}

fn reported_at(db: &Path, crn: &str) -> Option<NaiveDateTime> {
    SqliteStore::open(db)
        .unwrap()
        .get(&crn.parse().unwrap())
        .unwrap()
        .unwrap()
        .reported_at
}

/// Duty officers A and B have the sheet open on one file. A marks Bo reported; B, whose
/// screen still shows Bo waiting, presses `r` too: refused, not replacing A's time, saying
/// what is there now, and B's screen reloaded. Later B takes the mark back and makes it
/// again at another time; A's undo of the first mark is then refused and changes nothing.
/// At 80×24 the case detail fills the screen: what a key pressed inside it did, or why it
/// was refused, is still read on the status line below it.
#[test]
fn a_refused_check_in_from_the_case_detail_is_readable_at_80x24() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("shared.db");
    {
        let mut store = SqliteStore::open(&db).unwrap();
        let mut c = Case::new("X700001".parse().unwrap(), "Bo Duty", planner_day());
        c.accommodation = Accommodation::Settled;
        store.upsert_case(&c, "import", planner_day()).unwrap();
    }
    let mut a = planner_app(&db, "officer-a", (9, 14));
    let mut b = planner_app(&db, "officer-b", (9, 30));
    for app in [&mut a, &mut b] {
        common::press(app, "4/bo duty<Enter>");
    }
    common::press(&mut b, "<Enter>");
    assert!(
        common::screen(&mut b, 80, 24).contains("Bo Duty"),
        "detail open"
    );
    common::press(&mut a, "r");
    common::press(&mut b, "r");
    let s = common::screen(&mut b, 80, 24);
    assert!(
        s.contains("Not changed: Bo Duty was marked reported at 09:14 meanwhile"),
        "{s}"
    );
}

#[test]
fn two_planners_on_one_file_never_replace_each_others_check_ins() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("shared.db");
    {
        let mut store = SqliteStore::open(&db).unwrap();
        for (crn, name) in [("X700001", "Bo Duty"), ("X700002", "Cy Duty")] {
            let mut c = Case::new(crn.parse().unwrap(), name, planner_day());
            c.accommodation = Accommodation::Settled;
            store.upsert_case(&c, "import", planner_day()).unwrap();
        }
    }
    let mut a = planner_app(&db, "officer-a", (9, 14));
    let mut b = planner_app(&db, "officer-b", (9, 30));
    for app in [&mut a, &mut b] {
        common::press(app, "4/bo duty<Enter>");
        assert_eq!(app.selected().unwrap().as_str(), "X700001");
    }

    common::press(&mut a, "r");
    assert_eq!(reported_at(&db, "X700001"), Some(at(9, 14)));
    assert!(
        common::screen(&mut b, 80, 24).contains("· waiting  Bo Duty"),
        "B has not seen it"
    );
    common::press(&mut b, "r");
    let s = common::screen(&mut b, 80, 24);
    assert!(
        s.contains(
            "Not changed: Bo Duty was marked reported at 09:14 meanwhile, on another planner"
        ),
        "{s}"
    );
    assert_eq!(
        reported_at(&db, "X700001"),
        Some(at(9, 14)),
        "A's time stands"
    );
    assert!(s.contains("✓ 09:14    Bo Duty"), "B's sheet reloaded: {s}");
    let audit = SqliteStore::open(&db)
        .unwrap()
        .audit_for(&"X700001".parse().unwrap())
        .unwrap();
    let marks: Vec<&str> = audit
        .iter()
        .filter(|e| e.field == "reported")
        .map(|e| e.who.as_str())
        .collect();
    assert_eq!(marks, ["officer-a"], "one check-in written");
    // B's refused press left nothing for B to undo.
    common::press(&mut b, "u");
    assert!(common::screen(&mut b, 80, 24).contains("Nothing to undo"));

    // B, now up to date, takes A's mark back and marks Bo at B's own time.
    common::press(&mut b, "x");
    assert_eq!(reported_at(&db, "X700001"), None);
    common::press(&mut b, "r");
    assert_eq!(reported_at(&db, "X700001"), Some(at(9, 30)));
    // A's undo would wipe B's mark: refused, and A's screen shows B's.
    common::press(&mut a, "u");
    let s = common::screen(&mut a, 80, 24);
    assert!(
        s.contains(
            "Not undone: Bo Duty was marked reported at 09:30 meanwhile, on another planner"
        ),
        "{s}"
    );
    assert_eq!(
        reported_at(&db, "X700001"),
        Some(at(9, 30)),
        "B's mark stands"
    );
    assert!(s.contains("✓ 09:30    Bo Duty"), "{s}");
    // Tried again against what A now sees, the step no longer fits and is dropped.
    common::press(&mut a, "u");
    let s = common::screen(&mut a, 80, 24);
    assert!(
        s.contains("Not undone: Bo Duty's check-in has changed"),
        "{s}"
    );
    assert_eq!(reported_at(&db, "X700001"), Some(at(9, 30)));
    common::press(&mut a, "u");
    assert!(common::screen(&mut a, 80, 24).contains("Nothing to undo"));
}

/// An undone edit redone after someone else changed the same case is refused likewise.
#[test]
fn undo_and_redo_of_an_edit_are_refused_against_a_case_changed_on_another_planner() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("shared.db");
    {
        let mut store = SqliteStore::open(&db).unwrap();
        let c = Case::new("X700003".parse().unwrap(), "Di Desk", planner_day());
        store.upsert_case(&c, "import", planner_day()).unwrap();
    }
    let mut a = planner_app(&db, "officer-a", (9, 0));
    let mut b = planner_app(&db, "officer-b", (9, 5));
    let notes = |db: &Path| {
        SqliteStore::open(db)
            .unwrap()
            .get(&"X700003".parse().unwrap())
            .unwrap()
            .unwrap()
            .case
            .notes
    };
    let n = releaseday::domain::fields::Field::EDITABLE
        .iter()
        .position(|f| *f == releaseday::domain::fields::Field::Notes)
        .unwrap();
    let note = |text: &str| format!("e{}<Enter>{text}<Enter>", "j".repeat(n));
    common::press(&mut a, &format!("/di desk<Enter>{}", note("from A")));
    assert_eq!(notes(&db).as_deref(), Some("from A"));
    common::press(&mut a, "u");
    assert_eq!(notes(&db), None);
    // B changes the same case: B's first try is refused as stale (B's screen still held the
    // case as it was before A's note), the editor staying open with B's note in it; Enter
    // then saves it, knowingly.
    common::press(&mut b, &format!("/di desk<Enter>{}", note("from B")));
    assert!(common::screen(&mut b, 120, 40).contains("Not saved: officer-a changed this case"));
    common::press(&mut b, "<Enter>");
    assert_eq!(notes(&db).as_deref(), Some("from B"));
    common::press(&mut a, "U");
    let s = common::screen(&mut a, 120, 40);
    assert!(
        s.contains("Not redone: someone else changed Di Desk's case meanwhile"),
        "{s}"
    );
    assert_eq!(notes(&db).as_deref(), Some("from B"), "B's note stands");
}
