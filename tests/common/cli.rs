//! What the command-line tests share: a temporary folder with a database in it, and the real
//! `releaseday` binary run against it as a script would run it.
//!
//! Every run gets `--db <tempdir>/x.db` (or `RELEASEDAY_DB`, with `db_in_env`), a fixed
//! `--today` (Mon 23 Nov 2026 unless a test says otherwise), a settings file in the folder that
//! does not exist until a test writes it, no `RELEASEDAY_DB` from the caller's environment, no
//! `COLUMNS` and `NO_COLOR=1`, and runs in the folder, so files can be named bare.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The day every test runs on unless it says otherwise: Mon 23 Nov 2026.
pub const TODAY: &str = "2026-11-23";

/// A file in `tests/fixtures/` (all invented).
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join(name)
}

/// A temporary folder, its database and the binary run against it.
pub struct Env {
    pub dir: TempDir,
    /// `USER` for the runs: who the audit log names.
    user: Option<&'static str>,
    /// The database named by `RELEASEDAY_DB` rather than `--db`.
    db_in_env: bool,
    /// `--today` for `cmd`, `ok`, `fails`.
    pub today: &'static str,
    /// A team database in place of the file: its URL (an officer's, no password in it), the
    /// password (given as `PGPASSWORD`), and what keeps the database and roles alive.
    team: Option<(String, String, Box<dyn std::any::Any>)>,
}

impl Default for Env {
    fn default() -> Env {
        Env {
            dir: tempfile::tempdir().expect("a temporary directory"),
            user: None,
            db_in_env: false,
            today: TODAY,
            team: None,
        }
    }
}

impl Env {
    pub fn new() -> Env {
        Env::default()
    }

    /// Runs on `today` unless told otherwise.
    pub fn on(mut self, today: &'static str) -> Env {
        self.today = today;
        self
    }

    /// Runs as the operating-system user `name`.
    pub fn user(mut self, name: &'static str) -> Env {
        self.user = Some(name);
        self
    }

    /// Runs against the team database `url` (signed in with `password`) instead of a file;
    /// `keep` is held for as long as the `Env` (the test's database and roles).
    pub fn on_team(mut self, url: String, password: &str, keep: Box<dyn std::any::Any>) -> Env {
        self.team = Some((url, password.to_string(), keep));
        self
    }

    /// Whether the runs use a team database.
    pub fn is_team(&self) -> bool {
        self.team.is_some()
    }

    /// Names the database with `RELEASEDAY_DB` instead of `--db`.
    pub fn db_in_env(mut self) -> Env {
        self.db_in_env = true;
        self
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn db(&self) -> PathBuf {
        self.path("x.db")
    }

    /// The settings file the runs read (there is none until a test writes one).
    pub fn config(&self) -> PathBuf {
        self.path("settings/config.toml")
    }

    /// Writes `bytes` to the file `name` in the folder; returns its path.
    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let file = self.path(name);
        std::fs::write(&file, bytes).expect("a file written");
        file
    }

    /// The binary run on `today` with `args`.
    pub fn cmd_on(&self, today: &str, args: &[&str]) -> Command {
        let mut c = Command::cargo_bin("releaseday").expect("the releaseday binary");
        c.current_dir(self.dir.path())
            .env_remove("RELEASEDAY_DB")
            .env_remove("COLUMNS")
            .env("RELEASEDAY_CONFIG", self.config())
            .env("NO_COLOR", "1");
        if let Some(user) = self.user {
            c.env("USER", user);
        }
        if let Some((url, password, _)) = &self.team {
            for var in [
                "PGHOST",
                "PGPORT",
                "PGUSER",
                "PGDATABASE",
                "PGPASSFILE",
                "PGSSLMODE",
            ] {
                c.env_remove(var);
            }
            c.env("PGPASSWORD", password).arg("--db").arg(url);
        } else if self.db_in_env {
            c.env("RELEASEDAY_DB", self.db());
        } else {
            c.arg("--db").arg(self.db());
        }
        c.arg("--today").arg(today).args(args);
        c
    }

    pub fn cmd(&self, args: &[&str]) -> Command {
        self.cmd_on(self.today, args)
    }

    /// Runs on `today`, expects success, returns standard output.
    pub fn ok_on(&self, today: &str, args: &[&str]) -> String {
        stdout_of(self.cmd_on(today, args))
    }

    /// Runs, expects success, returns standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        self.ok_on(self.today, args)
    }

    /// Runs on `today`, expects exit status 1 and nothing on standard output, returns
    /// standard error.
    pub fn fails_on(&self, today: &str, args: &[&str]) -> String {
        let out = self
            .cmd_on(today, args)
            .assert()
            .failure()
            .code(1)
            .get_output()
            .clone();
        assert!(out.stdout.is_empty(), "nothing on stdout when refused");
        String::from_utf8(out.stderr).expect("UTF-8 stderr")
    }

    /// Runs, expects exit status 1, returns standard error.
    pub fn fails(&self, args: &[&str]) -> String {
        self.fails_on(self.today, args)
    }

    /// Runs, expects success and a JSON array on standard output.
    pub fn json(&self, args: &[&str]) -> Vec<Value> {
        parse_json_array(&self.ok(args))
    }

    /// `releaseday import ARGS…`.
    pub fn import(&self, args: &[&str]) -> String {
        let mut all = vec!["import"];
        all.extend_from_slice(args);
        self.ok(&all)
    }

    /// Imports `file`.
    pub fn import_file(&self, file: &Path) -> String {
        self.import(&[file.to_str().expect("a UTF-8 path")])
    }

    /// Writes `text` as the file `name` and imports it.
    pub fn import_csv(&self, name: &str, text: &str) -> String {
        let file = self.write(name, text);
        self.import_file(&file)
    }

    /// `list --format json` from `from` to `to`.
    pub fn list(&self, from: &str, to: &str) -> Vec<Value> {
        self.json(&["list", "--from", from, "--to", to, "--format", "json"])
    }

    /// The case `crn` as `list --format json` gives it (releases in 2026 to 2028).
    pub fn case(&self, crn: &str) -> Value {
        self.list("2026-01-01", "2028-12-31")
            .into_iter()
            .find(|c| c["crn"] == crn)
            .unwrap_or_else(|| panic!("{crn} not listed"))
    }
}

/// Standard output of a run that must succeed.
pub fn stdout_of(mut c: Command) -> String {
    let out = c.assert().success().get_output().clone();
    String::from_utf8(out.stdout).expect("UTF-8 stdout")
}

pub fn parse_json_array(text: &str) -> Vec<Value> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(a)) => a,
        other => panic!("expected a JSON array, got {other:?} from:\n{text}"),
    }
}

/// A string member of a JSON object.
pub fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key)
        .unwrap_or_else(|| panic!("no {key:?} in {v}"))
        .as_str()
        .unwrap_or_else(|| panic!("{key:?} is not a string in {v}"))
}

/// A CSV text, less the byte-order mark the export starts with (for Excel): header and rows.
pub fn parse_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r
        .headers()
        .expect("a CSV header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = r
        .records()
        .map(|rec| {
            rec.expect("a CSV record")
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect();
    (header, rows)
}

/// The place of column `name` in a CSV header.
pub fn column(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name:?} in {header:?}"))
}
