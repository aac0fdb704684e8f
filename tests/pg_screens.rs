//! The screens on a team database, in a pseudo-terminal: the real binary signed in as an
//! officer, on a throwaway server of the test's own that is stopped while an edit is being
//! saved. The save is refused with the reason on screen and the form kept, what was typed
//! still in it; once the server is back, Enter saves it.
//!
//! Run with PostgreSQL installed (the test starts its own server).

#![cfg(all(feature = "postgres", unix))]

#[path = "common/pg.rs"]
mod pg;

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
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 30,
            cols: 100,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_releaseday"));
    cmd.args(["--db", &url, "--today", "2026-11-23"]);
    cmd.env("TERM", "xterm-256color");
    cmd.env("PGPASSWORD", PASSWORD);
    cmd.env(
        "RELEASEDAY_CONFIG",
        dir.path().join("none.toml").to_str().unwrap(),
    );
    cmd.env_remove("RELEASEDAY_DB");
    let mut child = pty.slave.spawn_command(cmd).unwrap();
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
    let mut s = Session {
        parser: vt100::Parser::new(30.try_into().unwrap(), 100.try_into().unwrap(), 0),
        rx,
        writer: pty.master.take_writer().unwrap(),
    };
    s.wait_for("q quit");
    // The first case is Kim Example's (due today); its Notes, the 16th line of the edit menu.
    s.send("e");
    s.wait_for("Enter choose");
    s.send(&"j".repeat(15));
    s.send("\r");
    s.wait_for("Notes — Enter save");
    server.stop();
    s.send("\x15Rang the council\r"); // Ctrl-U clears what the field held
    let screen = s.wait_for("Not saved, Enter tries again");
    assert!(screen.contains("cannot be reached"), "{screen}");
    assert!(
        screen.contains("Rang the council"),
        "what was typed is kept:\n{screen}"
    );

    server.start_again();
    s.send("\r");
    s.wait_for("Saved Notes");
    s.send("q");
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "the planner did not quit");
        std::thread::sleep(Duration::from_millis(50));
    }
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
