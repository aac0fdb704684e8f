//! What only the team database's engine does, signed in as officer roles (never a superuser):
//! an import for a team the role may not change is refused by line before anything is written;
//! each role works out the expected days of the cases it sees, and keeps its own record of the
//! basis they were worked out on; a lost connection is made again by itself.
//!
//! Run with a server: `bash -c 'source .ci/postgres; cargo test --test pg_engine'`.

#![cfg(feature = "postgres")]

#[path = "common/pg.rs"]
mod pg;
#[path = "common/team_db.rs"]
mod team_db;

use chrono::NaiveDate;
use releaseday::config::Settings;
use releaseday::domain::case::{Case, CasePatch, Crn};
use releaseday::query::Planner;
use releaseday::store::postgres::{ConnSpec, Env, PgStore};
use releaseday::store::{CaseStore, StoreError};
use team_db::{TeamDb, PASSWORD};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn crn(s: &str) -> Crn {
    s.parse().unwrap()
}

/// The engine signed in as `role`.
fn open(team: &TeamDb<'_>, role: &pg::Role) -> PgStore {
    let url = team.pg.url(role, &team.db, "sslmode=disable");
    let env = Env::empty("tester").with_var("PGPASSWORD", PASSWORD);
    PgStore::open(&ConnSpec::parse(&url, &env).unwrap()).unwrap_or_else(|e| panic!("{e}"))
}

fn case(c: &str, name: &str, team: &str, day: NaiveDate) -> Case {
    let mut case = Case::new(crn(c), name, day);
    case.team = Some(team.into());
    case
}

/// The stored expected day of `c`, read by the superuser (who sees every team).
fn stored_day(team: &TeamDb<'_>, c: &str) -> NaiveDate {
    team.admin()
        .query_one("SELECT expected_day FROM cases WHERE crn = $1", &[&c])
        .unwrap()
        .get(0)
}

#[test]
fn an_import_for_another_team_is_refused_by_line_and_writes_nothing() {
    let Some(pg) = pg::server("pg_engine_import_teams") else {
        return;
    };
    let team = TeamDb::set_up(&pg, "import_teams");
    let north = team.officer("north", &["North"]);
    let mut store = open(&team, &north);
    let patch = |name: &str, team: Option<&str>| CasePatch {
        name: Some(name.into()),
        release_date: Some(d(2026, 12, 10)),
        team: team.map(str::to_string),
        ..CasePatch::default()
    };
    let rows = vec![
        (2, crn("X700001"), patch("Ann", Some("north"))),
        (3, crn("X700002"), patch("Bob", Some("South"))),
        (5, crn("X700003"), patch("Cy", None)),
    ];
    let e = store.plan_import(rows.clone(), false).unwrap_err();
    let msg = e.to_string();
    assert!(matches!(e, StoreError::Refused(_)), "{e:?}");
    assert!(msg.starts_with("lines 3 and 5: "), "{msg}");
    assert!(!msg.contains("X7000") && !msg.contains("Bob"), "{msg}");
    assert_eq!(store.case_count().unwrap(), 0);
    // Its own team's rows go in, whatever the case of the team's name.
    let plan = store.plan_import(rows[..1].to_vec(), false).unwrap();
    store
        .apply_import(&plan, "x", Some("import of north.csv"), &|c| c.release_date)
        .unwrap();
    assert_eq!(store.case_count().unwrap(), 1);
    let history = store.audit_for(&crn("X700001")).unwrap();
    assert_eq!(
        (history[0].who.as_str(), history[0].source.as_deref()),
        (north.name.as_str(), Some("import of north.csv"))
    );
}

/// The open problem of issue 13: an officer limited to some teams recomputes only the cases it
/// sees. Each role (and set of teams) keeps its own marker, so one officer's recompute never
/// tells another, whose cases were not redone, that theirs are done.
#[test]
fn each_role_redoes_the_expected_days_it_sees_under_its_own_marker() {
    let Some(pg) = pg::server("pg_engine_expected_days") else {
        return;
    };
    let team = TeamDb::set_up(&pg, "expected_days");
    let lead = team.officer("lead", &[]);
    let north = team.officer("north", &["North"]);
    let south = team.officer("south", &["South"]);
    // Fri 11 Dec 2026, CRD: the Friday policy makes it Thu 10 Dec. Stored wrong on purpose, as a
    // calendar change would leave them.
    let wrong = |_: &Case| d(2000, 1, 1);
    open(&team, &lead)
        .insert_many(
            &[
                case("X710001", "Ann", "North", d(2026, 12, 11)),
                case("X710002", "Bob", "South", d(2026, 12, 11)),
            ],
            "x",
            &wrong,
        )
        .unwrap();

    let planner = Planner::new(open(&team, &north), Settings::default()).unwrap();
    assert_eq!(
        stored_day(&team, "X710001"),
        d(2026, 12, 10),
        "north's case redone"
    );
    assert_eq!(
        stored_day(&team, "X710002"),
        d(2000, 1, 1),
        "south's not seen"
    );
    drop(planner);

    // A single marker would now say "done" to the South officer; its own says not yet.
    let planner = Planner::new(open(&team, &south), Settings::default()).unwrap();
    assert_eq!(
        stored_day(&team, "X710002"),
        d(2026, 12, 10),
        "south's case redone"
    );
    drop(planner);

    let keys: Vec<String> = team
        .admin()
        .query(
            "SELECT key FROM meta WHERE key LIKE 'expected_day_basis%' ORDER BY key",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        keys,
        [
            format!("expected_day_basis for {} (teams north)", north.name),
            format!("expected_day_basis for {} (teams south)", south.name),
        ]
    );
    // Opened again on the same basis: nothing to redo, no write.
    let before: i64 = team
        .admin()
        .query_one("SELECT count(*) FROM audit", &[])
        .unwrap()
        .get(0);
    let store = open(&team, &north);
    let token = store.change_token().unwrap();
    let planner = Planner::new(store, Settings::default()).unwrap();
    assert_eq!(planner.change_token().unwrap(), token, "nothing written");
    let after: i64 = team
        .admin()
        .query_one("SELECT count(*) FROM audit", &[])
        .unwrap()
        .get(0);
    assert_eq!(before, after);
}

/// A server restart while a planner is open: the next read connects again by itself and
/// answers; a write then saves (checked against the version it read), and the listener,
/// having lost its connection, reports a change so the planner reloads everything. While the
/// server is down a call fails within seconds with `Unavailable`, and nothing is half-saved.
#[cfg(unix)]
#[test]
fn a_server_restart_is_survived_without_a_half_save() {
    let hba = "local all all trust\nhost all postgres 127.0.0.1/32 trust\n\
               host all all 127.0.0.1/32 scram-sha-256\n";
    let Some(server) = pg::TempServer::start("pg_engine_restart", &[], hba, &[]) else {
        return;
    };
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
    let sign_in = |role: &str| {
        postgres::Config::new()
            .host("127.0.0.1")
            .port(server.port)
            .user(role)
            .password(PASSWORD)
            .dbname("team")
            .connect(postgres::NoTls)
            .unwrap()
    };
    releaseday::store::postgres::setup(&mut sign_in("rd_owner")).unwrap();
    releaseday::store::postgres::grant(
        &mut sign_in("rd_owner"),
        "rd_officer",
        &releaseday::store::postgres::Teams::from_args(&[]).unwrap(),
    )
    .unwrap();
    let url = format!(
        "postgres://rd_officer@127.0.0.1:{}/team?sslmode=disable",
        server.port
    );
    let env = Env::empty("tester").with_var("PGPASSWORD", PASSWORD);
    let mut store = PgStore::open(&ConnSpec::parse(&url, &env).unwrap()).unwrap();
    let c = case("X720001", "Ann", "North", d(2026, 12, 10));
    store.upsert_case(&c, "x", d(2026, 12, 10)).unwrap();
    let token = store.change_token().unwrap();

    server.stop();
    let e = store.get(&c.crn).unwrap_err();
    assert!(e.is_unavailable(), "{e:?}");
    assert!(e.to_string().contains("cannot be reached"), "{e}");
    let mut edited = c.clone();
    edited.notes = Some("Rang the council".into());
    let e = store
        .save_edit(&edited, 1, "x", d(2026, 12, 10), false)
        .unwrap_err();
    assert!(e.is_unavailable(), "{e:?}");

    server.start_again();
    assert_eq!(store.get(&c.crn).unwrap().unwrap().case, c, "read again");
    let (v, _) = store
        .save_edit(&edited, 1, "x", d(2026, 12, 10), false)
        .unwrap();
    assert_eq!(v, 2);
    assert_eq!(
        store.get(&c.crn).unwrap().unwrap().case.notes.as_deref(),
        Some("Rang the council")
    );
    // The listener lost its connection: until it listens again the token says the database
    // cannot be reached (the screens show it), then it has moved, so the planner reloads.
    let waited = std::time::Instant::now();
    let moved = loop {
        match store.change_token() {
            Ok(now) if now != token => break true,
            Err(e) => assert!(e.is_unavailable(), "{e:?}"),
            Ok(_) => {}
        }
        if waited.elapsed().as_secs() > 30 {
            break false;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(
        moved,
        "the change token never moved after the listener reconnected"
    );
}

/// The real binary with `args`, the password in `PGPASSWORD`, nothing else from the caller's
/// environment that names a database.
fn releaseday(dir: &std::path::Path, args: &[&str]) -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("releaseday").unwrap();
    c.current_dir(dir)
        .env_remove("RELEASEDAY_DB")
        .env("RELEASEDAY_CONFIG", dir.join("none.toml"))
        .env("NO_COLOR", "1")
        .env("PGPASSWORD", PASSWORD)
        .args(["--today", "2026-11-23"])
        .args(args);
    c
}

fn stdout(mut c: assert_cmd::Command) -> String {
    String::from_utf8(c.assert().success().get_output().stdout.clone()).unwrap()
}

/// `db copy`: a desk's file onto an empty team database and back, with the cases, their marks
/// and check-ins and the whole history; a target holding cases is refused.
#[test]
fn db_copy_moves_a_desk_file_onto_the_team_database_and_back() {
    let Some(pg) = pg::server("pg_engine_db_copy") else {
        return;
    };
    let team = TeamDb::set_up(&pg, "db_copy");
    let officer = team.officer("officer", &[]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("desk.db");
    let file_s = file.to_str().unwrap();
    let caseload = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/caseload.csv");
    stdout(releaseday(
        dir.path(),
        &["--db", file_s, "import", caseload],
    ));
    stdout(releaseday(
        dir.path(),
        &["--db", file_s, "edit", "X100001", "dtr=SUBMITTED"],
    ));
    stdout(releaseday(
        dir.path(),
        &["--db", file_s, "checkin", "X100011"],
    ));

    let owner_url = pg.url(&team.owner, &team.db, "sslmode=disable");
    let out = stdout(releaseday(dir.path(), &["db", "copy", file_s, &owner_url]));
    assert!(out.starts_with("Copied 14 cases and "), "{out}");
    assert!(!out.contains(PASSWORD), "{out}");

    let officer_url = pg.url(&officer, &team.db, "sslmode=disable");
    let list = |db: &str| {
        stdout(releaseday(
            dir.path(),
            &[
                "--db",
                db,
                "list",
                "--from",
                "2026-01-01",
                "--to",
                "2027-12-31",
                "--format",
                "json",
            ],
        ))
    };
    assert_eq!(list(&officer_url), list(file_s));
    let store = open(&team, &officer);
    let desk = releaseday::store::open(&file).unwrap();
    // PostgreSQL keeps times to the microsecond; the file keeps what the clock gave.
    let micros = |s: Option<releaseday::store::StoredCase>| {
        s.map(|mut s| {
            s.reported_at = s.reported_at.map(|t| {
                use chrono::Timelike;
                t.with_nanosecond(t.nanosecond() / 1000 * 1000).unwrap()
            });
            s
        })
    };
    for c in ["X100001", "X100011", "X100014"] {
        assert_eq!(
            micros(store.get(&crn(c)).unwrap()),
            micros(desk.get(&crn(c)).unwrap()),
            "{c}"
        );
        assert_eq!(
            store.marks(&crn(c)).unwrap(),
            desk.marks(&crn(c)).unwrap(),
            "{c}"
        );
        assert_eq!(
            store.audit_for(&crn(c)).unwrap(),
            desk.audit_for(&crn(c)).unwrap(),
            "{c}"
        );
    }

    // Into a database that holds cases: refused, nothing written.
    let err = releaseday(dir.path(), &["db", "copy", file_s, &owner_url])
        .assert()
        .failure()
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(err).unwrap();
    assert!(err.contains("already holds cases"), "{err}");
    assert_eq!(store.case_count().unwrap(), 14);

    // And back to a file.
    let back = dir.path().join("back.db");
    let back_s = back.to_str().unwrap();
    stdout(releaseday(dir.path(), &["db", "copy", &owner_url, back_s]));
    assert_eq!(list(back_s), list(file_s));
    let again = releaseday::store::open(&back).unwrap();
    assert_eq!(
        again.audit_for(&crn("X100001")).unwrap(),
        desk.audit_for(&crn("X100001")).unwrap()
    );
}

/// A planner that cannot reach the team database says so in one sentence and changes nothing;
/// a wrong password says that, not "try again", and never shows the password.
#[test]
fn no_server_and_a_wrong_password_are_told_apart() {
    let Some(pg) = pg::server("pg_engine_no_server") else {
        return;
    };
    let team = TeamDb::set_up(&pg, "no_server");
    let officer = team.officer("officer", &[]);
    let dir = tempfile::tempdir().unwrap();
    let nowhere = format!(
        "postgres://{}@127.0.0.1:{}/{}?sslmode=disable",
        officer.name,
        pg::free_port(),
        team.db.name
    );
    let failed = |mut c: assert_cmd::Command| {
        String::from_utf8(c.assert().failure().get_output().stderr.clone()).unwrap()
    };
    let err = failed(releaseday(dir.path(), &["--db", &nowhere, "list"]));
    assert!(err.contains("the team database cannot be reached"), "{err}");
    assert!(err.contains("nothing was changed"), "{err}");
    let url = pg.url(&officer, &team.db, "sslmode=disable");
    let mut wrong = releaseday(dir.path(), &["--db", &url, "list"]);
    wrong.env("PGPASSWORD", "Not-The-Pass-1");
    let err = failed(wrong);
    assert!(err.contains("password authentication failed"), "{err}");
    assert!(
        !err.contains("try again") && !err.contains("Not-The-Pass-1"),
        "{err}"
    );
}

/// An import killed part way leaves nothing written: one transaction, which the server rolls
/// back when the connection goes. Killed at a few moments; every time the team database holds
/// none of the file's cases or all of them, never some.
#[test]
fn an_import_killed_part_way_writes_nothing_or_everything() {
    let Some(pg) = pg::server("pg_engine_killed_import") else {
        return;
    };
    let team = TeamDb::set_up(&pg, "killed_import");
    let officer = team.officer("officer", &[]);
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("source.db");
    let file = dir.path().join("cases.csv");
    let (source_s, file_s) = (source.to_str().unwrap(), file.to_str().unwrap());
    stdout(releaseday(
        dir.path(),
        &["--db", source_s, "demo", "--cases", "20000", "--seed", "3"],
    ));
    stdout(releaseday(
        dir.path(),
        &[
            "--db", source_s, "export", "--format", "csv", "--output", file_s,
        ],
    ));
    let url = pg.url(&officer, &team.db, "sslmode=disable");
    let mut outcomes = Vec::new();
    for wait_ms in [150, 400, 800, 1500] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_releaseday"))
            .current_dir(dir.path())
            .env_remove("RELEASEDAY_DB")
            .env("RELEASEDAY_CONFIG", dir.path().join("none.toml"))
            .env("PGPASSWORD", PASSWORD)
            .args(["--db", &url, "--today", "2026-11-23", "import", file_s])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(wait_ms));
        let _ = child.kill();
        let _ = child.wait();
        // The server notices the closed connection and rolls back; wait until no session of
        // the import is left, then count.
        let mut admin = team.admin();
        let waited = std::time::Instant::now();
        loop {
            let left: i64 = admin
                .query_one(
                    "SELECT count(*) FROM pg_stat_activity WHERE usename = $1 \
                     AND application_name NOT LIKE '%notifications%'",
                    &[&officer.name],
                )
                .unwrap()
                .get(0);
            if left == 0 || waited.elapsed().as_secs() > 30 {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let n: i64 = admin
            .query_one("SELECT count(*) FROM cases", &[])
            .unwrap()
            .get(0);
        assert!(
            n == 0 || n == 20000,
            "killed after {wait_ms} ms: {n} cases written"
        );
        outcomes.push(n);
        if n == 20000 {
            break;
        }
    }
    assert!(outcomes.contains(&0), "no run was cut short: {outcomes:?}");
}
