//! `releaseday db setup|grant|revoke` end to end: the real binary against the throwaway server,
//! signing in as the roles a team would use (never as the superuser), with the team database
//! named by --db, RELEASEDAY_DB or the settings file. No password is ever printed.
//!
//! Run with a server: `bash -c 'source .ci/postgres; cargo test --test pg_cli'`.

#![cfg(feature = "postgres")]

#[path = "common/pg.rs"]
mod pg;
#[path = "common/team_db.rs"]
mod team_db;

use assert_cmd::Command;
use releaseday::store::postgres::SCHEMA_VERSION;
use std::borrow::BorrowMut;
use std::path::{Path, PathBuf};
use team_db::{TeamDb, PASSWORD};
use tempfile::TempDir;

/// The libpq variables a developer's shell may hold: none of them reaches a test.
const PG_VARS: [&str; 14] = [
    "PGHOST",
    "PGPORT",
    "PGUSER",
    "PGDATABASE",
    "PGPASSWORD",
    "PGPASSFILE",
    "PGSSLMODE",
    "PGSSLROOTCERT",
    "PGAPPNAME",
    "PGOPTIONS",
    "PGCONNECT_TIMEOUT",
    "PGTARGETSESSIONATTRS",
    "PGCHANNELBINDING",
    "PGGSSENCMODE",
];

/// A home of the test's own: no ~/.pgpass, no settings, no data of the machine's.
struct Home {
    dir: TempDir,
}

impl Home {
    fn new() -> Home {
        Home {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn config(&self) -> PathBuf {
        self.path("config.toml")
    }

    /// The binary with a clean environment and `args`.
    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::cargo_bin("releaseday").unwrap();
        for var in PG_VARS {
            c.env_remove(var);
        }
        c.env_remove("RELEASEDAY_DB")
            .env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.path("data"))
            .env("XDG_CONFIG_HOME", self.path("xdg-config"))
            .env("RELEASEDAY_CONFIG", self.config())
            .env("NO_COLOR", "1")
            .args(args);
        c
    }
}

/// Runs; returns (success, stdout, stderr).
fn run(mut c: impl BorrowMut<Command>) -> (bool, String, String) {
    let out = c.borrow_mut().output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ok(c: impl BorrowMut<Command>) -> String {
    let (success, out, err) = run(c);
    assert!(success, "failed: {err}");
    assert!(err.is_empty(), "{err}");
    out
}

fn fails(c: impl BorrowMut<Command>) -> String {
    let (success, out, err) = run(c);
    assert!(!success, "succeeded: {out}");
    assert!(out.is_empty(), "{out}");
    err
}

/// `postgres://ROLE@127.0.0.1:PORT/DB`, the password left to PGPASSWORD.
fn url(team: &TeamDb, role: &str) -> String {
    format!(
        "postgres://{role}@{}:{}/{}",
        team.pg.host, team.pg.port, team.db.name
    )
}

fn no_password(text: &str, secret: &str) {
    assert!(!text.contains(secret), "the password was printed: {text}");
}

#[test]
fn setup_grant_and_revoke_from_the_command_line() {
    let Some(pg) = pg::server("cli_setup_grant_revoke") else {
        return;
    };
    let team = TeamDb::new(&pg, "cli_grant");
    let home = Home::new();
    let owner = team.owner.name.clone();
    let db = team.db.name.clone();

    // The password in the URL: used, never shown.
    let with_password = format!("postgres://{owner}:{PASSWORD}@{}:{}/{db}", pg.host, pg.port);
    let out = ok(home.cmd(&["--db", &with_password, "db", "setup"]));
    no_password(&out, PASSWORD);
    assert!(
        out.starts_with(&format!(
            "Set up the team database {db}: schema version {SCHEMA_VERSION}, owned by {owner}.\n"
        )),
        "{out}"
    );
    assert!(
        out.contains("Next, make each officer's own login role an officer"),
        "{out}"
    );

    // Again, with the password from PGPASSWORD: nothing to do.
    let again = ok(home
        .cmd(&["--db", &url(&team, &owner), "db", "setup"])
        .env("PGPASSWORD", PASSWORD));
    assert_eq!(
        again,
        format!("The team database {db} is up to date: schema version {SCHEMA_VERSION}, owned by {owner}.\n")
    );

    let alice = pg.role("cli_alice", PASSWORD);
    let out = ok(home
        .cmd(&[
            "--db",
            &url(&team, &owner),
            "db",
            "grant",
            &alice.name,
            "--team",
            "South",
            "--team",
            "North",
        ])
        .env("PGPASSWORD", PASSWORD));
    assert_eq!(
        out,
        format!(
            "{} is an officer now, seeing the teams North and South.\n\
             Note: no case has the team \"North\" yet (teams match ignoring case); check the spelling.\n\
             Note: no case has the team \"South\" yet (teams match ignoring case); check the spelling.\n",
            alice.name
        )
    );
    // Signed in as alice, it reads the cases table (empty).
    assert!(team_db::visible(&mut team.connect(&alice.name)).is_empty());

    // RELEASEDAY_DB names the database too; an awkward name is quoted where it is shown.
    let odd = team.named_role(
        &format!("Mary \"M\" O'Neil {}", std::process::id()),
        "LOGIN",
    );
    let out = ok(home
        .cmd(&["db", "grant", &odd.name])
        .env("RELEASEDAY_DB", url(&team, &owner))
        .env("PGPASSWORD", PASSWORD));
    assert_eq!(
        out,
        format!(
            "\"{}\" is an officer now, seeing every team.\n",
            odd.name.replace('"', "\"\"")
        )
    );

    let out = ok(home
        .cmd(&["--db", &url(&team, &owner), "db", "grant", &alice.name])
        .env("PGPASSWORD", PASSWORD));
    assert_eq!(
        out,
        format!(
            "{} was an officer seeing the teams North and South; now seeing every team.\n",
            alice.name
        )
    );

    let out = ok(home
        .cmd(&["--db", &url(&team, &owner), "db", "revoke", &alice.name])
        .env("PGPASSWORD", PASSWORD));
    assert_eq!(
        out,
        format!(
            "{} is no longer an officer (was seeing every team).\n",
            alice.name
        )
    );
    let out = ok(home
        .cmd(&["--db", &url(&team, &owner), "db", "revoke", &alice.name])
        .env("PGPASSWORD", PASSWORD));
    assert_eq!(
        out,
        format!("{} was not an officer; nothing changed.\n", alice.name)
    );
    let e = team_db::refused(&mut team.connect(&alice.name), "SELECT * FROM cases");
    assert!(e.message().contains("permission denied"), "{e}");
}

#[test]
fn refusals_are_one_sentence_naming_the_reason() {
    let Some(pg) = pg::server("cli_refusals") else {
        return;
    };
    let team = TeamDb::new(&pg, "cli_refusals");
    let home = Home::new();
    let owner = team.owner.name.clone();
    let stranger = pg.role("cli_stranger", PASSWORD);

    // A role that cannot create the tables is told which privilege it lacks.
    let err = fails(
        home.cmd(&["--db", &url(&team, &stranger.name), "db", "setup"])
            .env("PGPASSWORD", PASSWORD),
    );
    assert!(
        err.starts_with(&format!(
            "releaseday: {} lacks the CREATE privilege on the schema public:",
            stranger.name
        )),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");

    team.setup().unwrap();
    // A superuser is never an officer.
    let superuser = team.named_role(
        &format!("cli_super_{}", std::process::id()),
        "LOGIN SUPERUSER",
    );
    let err = fails(
        home.cmd(&["--db", &url(&team, &owner), "db", "grant", &superuser.name])
            .env("PGPASSWORD", PASSWORD),
    );
    assert!(err.contains("is a superuser"), "{err}");
    assert!(err.trim_end().ends_with("nothing was changed"), "{err}");
    // Only the owner grants.
    let err = fails(
        home.cmd(&[
            "--db",
            &url(&team, &stranger.name),
            "db",
            "grant",
            &stranger.name,
        ])
        .env("PGPASSWORD", PASSWORD),
    );
    assert!(
        err.contains(&format!(
            "officers are granted and revoked by the team database's owner, {owner}"
        )),
        "{err}"
    );
    // An empty team.
    let err = fails(
        home.cmd(&[
            "--db",
            &url(&team, &owner),
            "db",
            "grant",
            &stranger.name,
            "--team",
            " ",
        ])
        .env("PGPASSWORD", PASSWORD),
    );
    assert!(err.contains("a --team cannot be empty"), "{err}");
    // A wrong password is said, never shown.
    let wrong = format!(
        "postgres://{owner}:Not-The-Password-9@{}:{}/{}",
        pg.host, pg.port, team.db.name
    );
    let err = fails(home.cmd(&["--db", &wrong, "db", "setup"]));
    assert!(err.contains("password authentication failed"), "{err}");
    no_password(&err, "Not-The-Password-9");
}

#[test]
fn db_commands_need_a_team_database_and_other_commands_connect_to_one() {
    let home = Home::new();
    let file = home.path("desk.db");
    let err = fails(home.cmd(&["--db", file.to_str().unwrap(), "db", "setup"]));
    assert_eq!(
        err,
        format!(
            "releaseday: db commands need a team database URL (postgres://…), and {} is a \
             database file: give --db postgres://ROLE@HOST/DATABASE, or set RELEASEDAY_DB or \
             the settings file's [database] url\n",
            file.display()
        )
    );
    let err = fails(home.cmd(&["db", "revoke", "alice"]));
    assert!(
        err.starts_with("releaseday: db commands need a team database URL: give --db"),
        "{err}"
    );
    assert!(!file.exists());

    // A team database URL for the planner's own commands: connected to (here, a host that does
    // not exist), and no file is made of it.
    let team_url = "postgres://alice:Sekrit-4@db.example.org/releaseday";
    let err = fails(home.cmd(&["--db", team_url, "list"]));
    assert!(
        err.contains("the team database cannot be reached (could not connect to db.example.org"),
        "{err}"
    );
    no_password(&err, "Sekrit-4");
    assert_no_files(&home.path("data"));
    assert_no_files(&home.dir.path().join("postgres:"));

    // --version shows it without the password.
    let out = ok(home.cmd(&["--db", team_url, "--version"]));
    assert!(
        out.contains("data:   postgres://alice@db.example.org:5432/releaseday (team database)"),
        "{out}"
    );
    no_password(&out, "Sekrit-4");
}

fn assert_no_files(dir: &Path) {
    let found: Vec<_> = walk(dir);
    assert!(found.is_empty(), "made {found:?}");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .flat_map(|e| {
            let p = e.path();
            if p.is_dir() {
                walk(&p)
            } else {
                vec![p]
            }
        })
        .collect()
}

#[test]
fn the_settings_file_names_the_team_database() {
    let Some(pg) = pg::server("cli_settings_file") else {
        return;
    };
    let team = TeamDb::new(&pg, "cli_settings");
    let home = Home::new();
    let owner = team.owner.name.clone();
    std::fs::write(
        home.config(),
        format!("[database]\nurl = \"{}\"\n", url(&team, &owner)),
    )
    .unwrap();
    let out = ok(home.cmd(&["db", "setup"]).env("PGPASSWORD", PASSWORD));
    assert!(out.starts_with("Set up the team database"), "{out}");
    let out = ok(home.cmd(&["--version"]));
    assert!(
        out.contains(&format!("data:   {} (team database)", url(&team, &owner))),
        "{out}"
    );
    // The planner's commands use it too (here as its owner, who sees every team)...
    let out = ok(home.cmd(&["list"]).env("PGPASSWORD", PASSWORD));
    assert!(out.starts_with("0 releases expected"), "{out}");
    // ...and a database file on the command line wins over the settings file.
    let file = home.path("desk.db");
    ok(home.cmd(&["--db", file.to_str().unwrap(), "list"]));
    assert!(file.exists());

    // A password in the settings file is refused: the file is not private.
    std::fs::write(
        home.config(),
        format!(
            "[database]\nurl = \"postgres://{owner}:{PASSWORD}@{}:{}/{}\"\n",
            pg.host, pg.port, team.db.name
        ),
    )
    .unwrap();
    let err = fails(home.cmd(&["db", "setup"]));
    assert!(
        err.contains("line 2: database.url: holds a password"),
        "{err}"
    );
    no_password(&err, PASSWORD);
}

#[test]
fn db_help_says_what_each_command_does() {
    let home = Home::new();
    let help = ok(home.cmd(&["db", "--help"]));
    for line in ["setup", "grant", "revoke"] {
        assert!(help.contains(&format!("  {line}")), "{help}");
    }
    let help = ok(home.cmd(&["db", "grant", "--help"]));
    assert!(help.contains("--team <TEAM>"), "{help}");
    assert!(help.contains("(none)"), "{help}");
    assert!(help.contains("BYPASSRLS"), "{help}");
    // The variable's value is never shown: it may hold a password.
    let help = ok(home.cmd(&["db", "setup", "--help"]).env(
        "RELEASEDAY_DB",
        "postgres://alice:Sekrit-5@db.example.org/rd",
    ));
    no_password(&help, "Sekrit-5");
}
