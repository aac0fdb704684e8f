//! The screens on a team database, in a pseudo-terminal: the real binary signed in as an
//! officer, on a throwaway server of the test's own that is stopped while an edit is being
//! saved. The save is refused with the reason on screen and the form kept, what was typed
//! still in it; once the server is back, Enter saves it. And two planners, two real processes
//! signed in as two officers on one database: the second's save over a case the first changed
//! since it was read is refused, never saved over the first's.
//!
//! Run with PostgreSQL installed (the test starts its own server).

#![cfg(all(feature = "postgres", unix))]

#[path = "common/pg.rs"]
mod pg;
#[path = "common/team_db.rs"]
mod team_db;

use portable_pty::{native_pty_system, CommandBuilder, PtySize};
use std::io::{Read, Write};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const PASSWORD: &str = "Screen-Test-Pass-3";

struct Session {
    parser: vt100::Parser,
    rx: mpsc::Receiver<Vec<u8>>,
    writer: Box<dyn Write + Send>,
}

impl Session {
    /// Reads output until the screen contains `text`, or fails after a generous wait.
    fn wait_for(&mut self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(40);
        loop {
            let screen = self.parser.screen().contents();
            if screen.contains(text) {
                return screen;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "{text:?} never appeared; the screen was:\n{screen}"
            );
            if let Ok(bytes) = self.rx.recv_timeout(left.min(Duration::from_millis(200))) {
                self.parser.process(&bytes);
            }
        }
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }
}

type Child = Box<dyn portable_pty::Child + Send + Sync>;

/// The planner on the team database `url`, signed in with `password`, in a 100×30 terminal.
fn spawn(dir: &tempfile::TempDir, url: &str, password: &str) -> (Session, Child) {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 30,
            cols: 100,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_releaseday"));
    cmd.args(["--db", url, "--today", "2026-11-23"]);
    cmd.env("TERM", "xterm-256color");
    cmd.env("PGPASSWORD", password);
    cmd.env(
        "RELEASEDAY_CONFIG",
        dir.path().join("none.toml").to_str().unwrap(),
    );
    cmd.env_remove("RELEASEDAY_DB");
    let child = pty.slave.spawn_command(cmd).unwrap();
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let session = Session {
        parser: vt100::Parser::new(30.try_into().unwrap(), 100.try_into().unwrap(), 0),
        rx,
        writer: pty.master.take_writer().unwrap(),
    };
    (session, child)
}

/// Quits the planner and waits for it to go.
fn quit(s: &mut Session, child: &mut Child) {
    s.send("q");
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "the planner did not quit");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Opens the edit form of the selected case's Notes (the 16th line of the edit menu), cleared.
fn edit_notes(s: &mut Session) {
    s.send("e");
    s.wait_for("Enter choose");
    s.send(&"j".repeat(15));
    s.send("\r");
    s.wait_for("Notes — Enter save");
    s.send("\x15"); // Ctrl-U clears what the field held
}

/// A team database on `server`: an owner, an officer of every team, the caseload imported.
fn team_database(server: &pg::TempServer) -> String {
    let mut admin = server.admin();
    for sql in [
        format!("CREATE ROLE rd_owner LOGIN CREATEROLE PASSWORD '{PASSWORD}'"),
        format!("CREATE ROLE rd_officer LOGIN PASSWORD '{PASSWORD}'"),
        "CREATE ROLE releaseday_officer NOLOGIN".to_string(),
        "GRANT releaseday_officer TO rd_owner WITH ADMIN OPTION".to_string(),
        "CREATE DATABASE team OWNER rd_owner".to_string(),
    ] {
        admin.batch_execute(&sql).unwrap();
    }
    let url = |role: &str| {
        format!(
            "postgres://{role}@127.0.0.1:{}/team?sslmode=disable",
            server.port
        )
    };
    let run = |args: &[&str]| {
        let mut c = assert_cmd::Command::cargo_bin("releaseday").unwrap();
        c.env_remove("RELEASEDAY_DB")
            .env("PGPASSWORD", PASSWORD)
            .env("RELEASEDAY_CONFIG", "/nonexistent/releaseday.toml")
            .args(["--today", "2026-11-23"])
            .args(args)
            .assert()
            .success();
    };
    run(&["--db", &url("rd_owner"), "db", "setup"]);
    run(&["--db", &url("rd_owner"), "db", "grant", "rd_officer"]);
    let caseload = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/caseload.csv");
    run(&["--db", &url("rd_officer"), "import", caseload]);
    url("rd_officer")
}

#[test]
fn an_edit_saved_while_the_server_is_down_keeps_its_form_and_saves_once_it_is_back() {
    let hba = "local all all trust\nhost all postgres 127.0.0.1/32 trust\n\
               host all all 127.0.0.1/32 scram-sha-256\n";
    let Some(server) = pg::TempServer::start("pg_screens_restart", &[], hba, &[]) else {
        return;
    };
    let url = team_database(&server);
    let dir = tempfile::tempdir().unwrap();
    let (mut s, mut child) = spawn(&dir, &url, PASSWORD);
    s.wait_for("q quit");
    // The first case is Kim Example's (due today).
    edit_notes(&mut s);
    server.stop();
    s.send("Rang the council\r");
    let screen = s.wait_for("What you typed is kept");
    assert!(screen.contains("cannot be reached"), "{screen}");
    assert!(
        screen.contains("Rang the council"),
        "what was typed is kept:\n{screen}"
    );
    // The header says so without a key, the form still open beneath it.
    s.wait_for("team database unreachable");

    server.start_again();
    s.send("\r");
    s.wait_for("Saved Notes");
    // Once it answers again the header is back to the date.
    s.wait_for("Mon 23 Nov 2026");
    quit(&mut s, &mut child);
    let mut check = server.admin();
    check.batch_execute("SELECT 1").expect("the server is back");
    let notes: Option<String> = postgres::Config::new()
        .host_path(server.dir())
        .port(server.port)
        .user("postgres")
        .dbname("team")
        .connect(postgres::NoTls)
        .unwrap()
        .query_one("SELECT notes FROM cases WHERE crn = 'X100011'", &[])
        .unwrap()
        .get(0);
    assert_eq!(notes.as_deref(), Some("Rang the council"));
}

#[test]
fn two_planners_on_one_database_never_save_over_each_other() {
    let Some(pg) = pg::server("pg_screens_two_planners") else {
        return;
    };
    let team = team_db::TeamDb::set_up(&pg, "two_planners");
    let (a, b) = (team.officer("a", &[]), team.officer("b", &[]));
    let (url_a, url_b) = (
        pg.url(&a, &team.db, "sslmode=disable"),
        pg.url(&b, &team.db, "sslmode=disable"),
    );
    let caseload = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/caseload.csv");
    assert_cmd::Command::cargo_bin("releaseday")
        .unwrap()
        .env_remove("RELEASEDAY_DB")
        .env("PGPASSWORD", team_db::PASSWORD)
        .env("RELEASEDAY_CONFIG", "/nonexistent/releaseday.toml")
        .args(["--db", &url_a, "--today", "2026-11-23", "import", caseload])
        .assert()
        .success();
    let dir = tempfile::tempdir().unwrap();
    let (mut first, mut first_child) = spawn(&dir, &url_a, team_db::PASSWORD);
    let (mut second, mut second_child) = spawn(&dir, &url_b, team_db::PASSWORD);
    first.wait_for("q quit");
    second.wait_for("q quit");

    // Both have Kim Example's case open at the same version; the first saves.
    edit_notes(&mut first);
    edit_notes(&mut second);
    first.send("From the first desk\r");
    first.wait_for("Saved Notes");
    second.send("From the second desk\r");
    // Refused, naming the first officer's role, with what is there now; Esc keeps theirs.
    let refused = second.wait_for("changed this case meanwhile: Notes now From");
    assert!(
        refused.contains(&format!("Not saved: {}", a.name)),
        "{refused}"
    );
    second.send("\x1b");
    quit(&mut first, &mut first_child);
    quit(&mut second, &mut second_child);

    let row = team
        .admin()
        .query_one(
            "SELECT c.notes, (SELECT who FROM audit WHERE crn = c.crn AND field = 'notes') \
             FROM cases c WHERE crn = 'X100011'",
            &[],
        )
        .unwrap();
    let (notes, who): (Option<String>, Option<String>) = (row.get(0), row.get(1));
    assert_eq!(notes.as_deref(), Some("From the first desk"));
    assert_eq!(
        who.as_deref(),
        Some(a.name.as_str()),
        "the audit names the first officer"
    );
}
