//! The team database's schema and its administration on a real PostgreSQL: `db setup` (twice,
//! on a newer schema, without the privileges it needs), the schema against the program's case
//! fields and codes, versions, and `db grant` / `db revoke` as the owner, with awkward role names
//! and the roles that must never be officers.
//!
//! Run with a server: `bash -c 'source .ci/postgres; cargo test --test pg_schema'`.

#![cfg(feature = "postgres")]

#[path = "common/pg.rs"]
mod pg;
#[path = "common/team_db.rs"]
mod team_db;

use postgres::error::SqlState;
use releaseday::domain::case::{
    Accommodation, ApStatus, Cas2Status, Cas3Status, CrsStatus, DtrStatus, ReleaseType, Rosh,
    COLUMNS,
};
use releaseday::store::postgres::{
    self as rdpg, check_schema, AdminError, Teams, OFFICER_GROUP, SCHEMA_VERSION,
};
use team_db::{add_case, refused, TeamDb, PASSWORD};

fn teams(names: &[&str]) -> Teams {
    let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    Teams::from_args(&names).unwrap()
}

/// Whether `role` was made a member of the officer group itself, as the server records it.
fn is_member(team: &TeamDb, role: &str) -> bool {
    team.admin()
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_auth_members m \
             WHERE m.member = (SELECT oid FROM pg_roles WHERE rolname = $1) \
               AND m.roleid = (SELECT oid FROM pg_roles WHERE rolname = $2))",
            &[&role, &OFFICER_GROUP],
        )
        .unwrap()
        .get(0)
}

#[test]
fn setup_twice_is_idempotent_and_records_the_version() {
    let Some(pg) = pg::server("setup_twice") else {
        return;
    };
    let team = TeamDb::new(&pg, "setup_twice");
    let first = team.setup().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(first.migrated.from, None);
    assert_eq!(first.migrated.to, SCHEMA_VERSION);
    assert_eq!(first.owner, team.owner.name);
    assert!(first.notes.is_empty(), "{:?}", first.notes);

    let mut owner = team.owner();
    let tables: Vec<String> = owner
        .query(
            "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        tables,
        [
            "audit",
            "cases",
            "holiday_files",
            "meta",
            "officer_teams",
            "officers",
            "schema_migrations"
        ]
    );
    let rows: Vec<(i32, String, String)> = owner
        .query(
            "SELECT version, applied_by, program FROM schema_migrations ORDER BY version",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert_eq!(rows.len() as i64, SCHEMA_VERSION);
    assert_eq!(rows[0].0, 1);
    assert_eq!(rows[0].1, team.owner.name, "applied by the signed-in role");
    assert!(rows[0].2.starts_with("releaseday "), "{}", rows[0].2);

    let again = team.setup().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.migrated.from, Some(SCHEMA_VERSION));
    assert_eq!(again.migrated.to, SCHEMA_VERSION);
    assert!(!again.group_created && again.granted.is_empty());
    let count: i64 = owner
        .query_one("SELECT count(*) FROM schema_migrations", &[])
        .unwrap()
        .get(0);
    assert_eq!(count, SCHEMA_VERSION, "no version row twice");
    assert_eq!(check_schema(&mut owner).unwrap(), SCHEMA_VERSION);

    // Everything belongs to the owner, even when a superuser runs setup again.
    rdpg::setup(&mut team.admin()).unwrap_or_else(|e| panic!("{e}"));
    let others: Vec<String> = owner
        .query(
            "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = 'public' AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = current_user) \
             UNION ALL SELECT p.proname::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
             WHERE n.nspname = 'public' AND p.proowner <> (SELECT oid FROM pg_roles WHERE rolname = current_user)",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(others.is_empty(), "not the owner's: {others:?}");
}

#[test]
fn two_setups_at_once_take_turns() {
    let Some(pg) = pg::server("two_setups_at_once") else {
        return;
    };
    let team = TeamDb::new(&pg, "two_setups");
    let (mut a, mut b) = (team.owner(), team.owner());
    let (ra, rb) = std::thread::scope(|s| {
        let ha = s.spawn(move || rdpg::setup(&mut a));
        let hb = s.spawn(move || rdpg::setup(&mut b));
        (ha.join().unwrap(), hb.join().unwrap())
    });
    let (ra, rb) = (
        ra.unwrap_or_else(|e| panic!("{e}")),
        rb.unwrap_or_else(|e| panic!("{e}")),
    );
    assert_eq!(
        (ra.migrated.to, rb.migrated.to),
        (SCHEMA_VERSION, SCHEMA_VERSION)
    );
    let rows: i64 = team
        .owner()
        .query_one("SELECT count(*) FROM schema_migrations", &[])
        .unwrap()
        .get(0);
    assert_eq!(rows, SCHEMA_VERSION);
}

#[test]
fn a_database_never_set_up_or_with_a_newer_schema_is_refused() {
    let Some(pg) = pg::server("a_newer_schema") else {
        return;
    };
    let team = TeamDb::new(&pg, "newer_schema");
    let e = check_schema(&mut team.owner()).unwrap_err();
    assert!(matches!(e, AdminError::NotSetUp), "{e:?}");
    assert!(e.to_string().contains("db setup"), "{e}");

    team.setup().unwrap();
    // A newer releaseday has been here.
    team.admin()
        .execute(
            "INSERT INTO schema_migrations (version, program) VALUES ($1, 'releaseday 99')",
            &[&(SCHEMA_VERSION as i32 + 1)],
        )
        .unwrap();
    let e = team.setup().unwrap_err();
    assert!(
        matches!(e, AdminError::TooNew { found, known } if found == SCHEMA_VERSION + 1 && known == SCHEMA_VERSION),
        "{e:?}"
    );
    assert!(e.to_string().contains("newer releaseday"), "{e}");
    let e = check_schema(&mut team.owner()).unwrap_err();
    assert!(matches!(e, AdminError::TooNew { .. }), "{e:?}");
    // Granting is refused too: it writes to a schema it does not know.
    let officer = pg.role("newer_officer", PASSWORD);
    let e = rdpg::grant(&mut team.owner(), &officer.name, &Teams::Every).unwrap_err();
    assert!(matches!(e, AdminError::TooNew { .. }), "{e:?}");
}

#[test]
fn setup_without_the_owners_privileges_names_what_is_lacking() {
    let Some(pg) = pg::server("setup_without_privileges") else {
        return;
    };
    let team = TeamDb::new(&pg, "setup_lacking");
    let stranger = pg.role("setup_stranger", PASSWORD);
    let e = rdpg::setup(&mut team.connect(&stranger.name)).unwrap_err();
    let shown = e.to_string();
    assert!(matches!(e, AdminError::Privilege { .. }), "{e:?}");
    assert!(
        shown.starts_with(&format!(
            "{} lacks the CREATE privilege on the schema public",
            stranger.name
        )),
        "{shown}"
    );
    assert!(
        shown.contains("database's owner"),
        "says what to do: {shown}"
    );

    // Once set up by its owner, another role may not take it over.
    team.setup().unwrap();
    let e = rdpg::setup(&mut team.connect(&stranger.name)).unwrap_err();
    assert!(
        e.to_string().contains(&format!(
            "belongs to {}: run db setup signed in as {0}",
            team.owner.name
        )),
        "{e}"
    );
}

#[test]
fn every_case_field_has_a_column_and_every_code_fits() {
    let Some(pg) = pg::server("every_case_field") else {
        return;
    };
    let team = TeamDb::set_up(&pg, "every_field");
    let mut owner = team.owner();
    let columns: Vec<String> = owner
        .query(
            "SELECT column_name::text FROM information_schema.columns \
             WHERE table_schema = 'public' AND table_name = 'cases'",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    for field in COLUMNS.iter().chain(&[
        "expected_day",
        "reported_at",
        "version",
        "created_at",
        "updated_at",
        "imported_mask",
        "planner_mask",
        "planner_base",
    ]) {
        assert!(
            columns.iter().any(|c| c == field),
            "cases has no column {field}: a new field needs a PostgreSQL migration"
        );
    }

    // Every code the program knows is stored; anything else is refused by the schema.
    let fields: [(&str, Vec<&str>); 8] = [
        ("rosh", Rosh::ALL.iter().map(|c| c.as_str()).collect()),
        (
            "release_type",
            ReleaseType::ALL.iter().map(|c| c.as_str()).collect(),
        ),
        (
            "accommodation",
            Accommodation::ALL.iter().map(|c| c.as_str()).collect(),
        ),
        ("dtr", DtrStatus::ALL.iter().map(|c| c.as_str()).collect()),
        ("crs", CrsStatus::ALL.iter().map(|c| c.as_str()).collect()),
        ("cas3", Cas3Status::ALL.iter().map(|c| c.as_str()).collect()),
        ("ap", ApStatus::ALL.iter().map(|c| c.as_str()).collect()),
        ("cas2", Cas2Status::ALL.iter().map(|c| c.as_str()).collect()),
    ];
    add_case(&mut owner, "X100001", "Codey Test", None, "2026-05-01").unwrap();
    for (field, codes) in &fields {
        for code in codes {
            owner
                .execute(
                    &format!("UPDATE cases SET {field} = $1 WHERE crn = 'X100001'"),
                    &[code],
                )
                .unwrap_or_else(|e| panic!("{field} = {code}: {e}"));
        }
        let e = refused(
            &mut owner,
            &format!("UPDATE cases SET {field} = 'NOT_A_CODE' WHERE crn = 'X100001'"),
        );
        assert_eq!(e.code(), &SqlState::CHECK_VIOLATION, "{field}");
    }
    for setting in ["no", "1", "2"] {
        owner
            .execute(
                "UPDATE cases SET friday_release = $1 WHERE crn = 'X100001'",
                &[&setting],
            )
            .unwrap();
    }
    for bad in [
        "UPDATE cases SET friday_release = 'yes'",
        "UPDATE cases SET mappa = 4",
        "UPDATE cases SET noms = 'A1234B'",
    ] {
        assert_eq!(
            refused(&mut owner, bad).code(),
            &SqlState::CHECK_VIOLATION,
            "{bad}"
        );
    }
    assert_eq!(
        add_case(&mut owner, "x12345", "Lower Case", None, "2026-05-01")
            .unwrap_err()
            .code(),
        Some(&SqlState::CHECK_VIOLATION)
    );
}

#[test]
fn a_version_changes_with_the_fields_and_never_with_bookkeeping() {
    let Some(pg) = pg::server("versions") else {
        return;
    };
    let team = TeamDb::set_up(&pg, "versions");
    let mut owner = team.owner();
    add_case(
        &mut owner,
        "X100001",
        "Vera Test",
        Some("North"),
        "2026-05-01",
    )
    .unwrap();
    let version = |c: &mut postgres::Client| -> i64 {
        c.query_one("SELECT version FROM cases WHERE crn = 'X100001'", &[])
            .unwrap()
            .get(0)
    };
    assert_eq!(version(&mut owner), 1);
    // The expected day and the marks are bookkeeping.
    owner
        .execute(
            "UPDATE cases SET expected_day = '2026-04-30', imported_mask = 6, planner_mask = 2, \
             planner_base = '{}' WHERE crn = 'X100001'",
            &[],
        )
        .unwrap();
    assert_eq!(version(&mut owner), 1);
    // A field, or a check-in, is a change: one more, whatever the statement said.
    owner
        .execute(
            "UPDATE cases SET notes = 'called', version = 40 WHERE crn = 'X100001'",
            &[],
        )
        .unwrap();
    assert_eq!(version(&mut owner), 2);
    owner
        .execute(
            "UPDATE cases SET reported_at = '2026-05-01 09:00' WHERE crn = 'X100001'",
            &[],
        )
        .unwrap();
    assert_eq!(version(&mut owner), 3);
    // A write checked against an older version changes nothing.
    let stale = owner
        .execute(
            "UPDATE cases SET notes = 'late', version = version + 1 \
             WHERE crn = 'X100001' AND version = $1",
            &[&2i64],
        )
        .unwrap();
    assert_eq!(stale, 0);
    let current = owner
        .execute(
            "UPDATE cases SET notes = 'on time', version = version + 1 \
             WHERE crn = 'X100001' AND version = $1",
            &[&3i64],
        )
        .unwrap();
    assert_eq!((current, version(&mut owner)), (1, 4));
    // A CRN and a creation time never change.
    let e = refused(
        &mut owner,
        "UPDATE cases SET crn = 'X100002' WHERE crn = 'X100001'",
    );
    assert!(e.message().contains("CRN cannot be changed"), "{e}");
    let e = refused(
        &mut owner,
        "UPDATE cases SET created_at = now() - interval '1 day'",
    );
    assert!(e.message().contains("creation time"), "{e}");
}

#[test]
fn grant_and_revoke_as_the_owner_with_awkward_names() {
    let Some(pg) = pg::server("grant_and_revoke") else {
        return;
    };
    let team = TeamDb::set_up(&pg, "grant_revoke");
    let mut owner = team.owner();
    add_case(
        &mut owner,
        "X100001",
        "Ann North",
        Some("North PDU"),
        "2026-05-01",
    )
    .unwrap();
    let suffix = std::process::id();
    let names = [
        format!("Mary \"M\" O'Neil {suffix}"),
        format!("North Officer {suffix}"),
        format!("Bob{suffix}"),
    ];
    let roles: Vec<_> = names.iter().map(|n| team.named_role(n, "LOGIN")).collect();

    for role in &roles {
        let granted = rdpg::grant(&mut owner, &role.name, &teams(&["north pdu", "Nowhere"]))
            .unwrap_or_else(|e| panic!("{}: {e}", role.name));
        assert_eq!(granted.role, role.name);
        assert_eq!(granted.before, None);
        assert_eq!(
            granted.unmatched,
            ["Nowhere"],
            "teams match ignoring case; a team no case has is pointed out"
        );
        assert!(is_member(&team, &role.name));
        // Signed in as that role, it sees its team's case.
        let mut c = team.connect(&role.name);
        assert_eq!(team_db::visible(&mut c), ["X100001"]);
    }

    // Granting again replaces the teams.
    let again = rdpg::grant(&mut owner, &roles[0].name, &Teams::Every).unwrap();
    assert_eq!(again.before, Some(teams(&["north pdu", "Nowhere"])));
    assert_eq!(again.now, Teams::Every);

    for role in &roles {
        let revoked = rdpg::revoke(&mut owner, &role.name).unwrap();
        assert!(revoked.member && revoked.was.is_some(), "{revoked:?}");
        assert!(!is_member(&team, &role.name));
        let mut c = team.connect(&role.name);
        let e = refused(&mut c, "SELECT crn FROM cases");
        assert_eq!(e.code(), &SqlState::INSUFFICIENT_PRIVILEGE);
    }
    let twice = rdpg::revoke(&mut owner, &roles[1].name).unwrap();
    assert_eq!((twice.was, twice.member), (None, false));
    let left: i64 = owner
        .query_one("SELECT count(*) FROM officers", &[])
        .unwrap()
        .get(0);
    assert_eq!(left, 0);

    // A name that does not exist as given, but does in another case, is pointed at.
    let e = rdpg::grant(&mut owner, &names[2].to_lowercase(), &Teams::Every).unwrap_err();
    assert!(
        e.to_string()
            .contains(&format!("did you mean \"{}\"", names[2])),
        "{e}"
    );
}

#[test]
fn roles_that_would_not_be_held_to_their_teams_are_refused() {
    let Some(pg) = pg::server("roles_refused") else {
        return;
    };
    let team = TeamDb::set_up(&pg, "refused");
    let mut owner = team.owner();
    let suffix = std::process::id();
    let superuser = team.named_role(&format!("Super {suffix}"), "LOGIN SUPERUSER");
    let bypass = team.named_role(&format!("bypass_{suffix}"), "LOGIN BYPASSRLS");
    let group = team.named_role(&format!("nologin_{suffix}"), "NOLOGIN");
    let climber = team.named_role(&format!("climber_{suffix}"), "LOGIN");
    team.pg
        .admin()
        .batch_execute(&format!(
            "GRANT \"{}\" TO \"{}\"",
            bypass.name, climber.name
        ))
        .unwrap();
    let owners_friend = team.named_role(&format!("friend_{suffix}"), "LOGIN");
    team.pg
        .admin()
        .batch_execute(&format!(
            "GRANT {} TO \"{}\"",
            team.owner.name, owners_friend.name
        ))
        .unwrap();

    for (role, says) in [
        (superuser.name.as_str(), "is a superuser"),
        (bypass.name.as_str(), "has BYPASSRLS"),
        (group.name.as_str(), "cannot sign in (NOLOGIN)"),
        (climber.name.as_str(), "could see every case with SET ROLE"),
        (
            owners_friend.name.as_str(),
            "is a member of the team database's owner",
        ),
        (team.owner.name.as_str(), "is the team database's owner"),
        (OFFICER_GROUP, "is the officer group itself"),
    ] {
        let e = rdpg::grant(&mut owner, role, &Teams::Every).unwrap_err();
        let shown = e.to_string();
        assert!(shown.contains(says), "{role}: {shown}");
        assert!(shown.ends_with("nothing was changed"), "{role}: {shown}");
        // (From PostgreSQL 16 the owner holds the group WITH ADMIN OPTION, as a member.)
        assert!(!is_member(&team, role) || role == team.owner.name, "{role}");
    }
    let recorded: i64 = owner
        .query_one("SELECT count(*) FROM officers", &[])
        .unwrap()
        .get(0);
    assert_eq!(recorded, 0);
}

#[test]
fn only_the_owner_grants() {
    let Some(pg) = pg::server("only_the_owner_grants") else {
        return;
    };
    let team = TeamDb::set_up(&pg, "owner_grants");
    let officer = team.officer("owner_grants_a", &[]);
    let other = pg.role("owner_grants_b", PASSWORD);
    let e = rdpg::grant(&mut team.connect(&officer.name), &other.name, &Teams::Every).unwrap_err();
    assert!(
        e.to_string().contains(&format!(
            "granted and revoked by the team database's owner, {}",
            team.owner.name
        )),
        "{e}"
    );
    let e = rdpg::revoke(&mut team.connect(&officer.name), &officer.name).unwrap_err();
    assert!(e.to_string().contains("team database's owner"), "{e}");
    assert!(is_member(&team, &officer.name));
    assert!(!is_member(&team, &other.name));
    // A role that is no officer is told so when it opens the database.
    let e = check_schema(&mut team.connect(&other.name)).unwrap_err();
    assert!(
        e.to_string().starts_with(&format!(
            "{} is not an officer of this team database: its owner runs",
            other.name
        )),
        "{e}"
    );
    assert_eq!(
        check_schema(&mut team.connect(&officer.name)).unwrap(),
        SCHEMA_VERSION
    );
}

#[test]
fn revoking_a_role_that_is_an_officer_another_way_says_so() {
    let Some(pg) = pg::server("revoke_another_way") else {
        return;
    };
    let team = TeamDb::set_up(&pg, "another_way");
    let officer = team.officer("another_way", &["North"]);
    let via = team.named_role(&format!("via_{}", std::process::id()), "NOLOGIN");
    team.pg
        .admin()
        .batch_execute(&format!(
            "GRANT {OFFICER_GROUP} TO \"{v}\"; GRANT \"{v}\" TO {o}",
            v = via.name,
            o = officer.name
        ))
        .unwrap();
    let e = rdpg::revoke(&mut team.owner(), &officer.name).unwrap_err();
    let shown = e.to_string();
    assert!(
        shown.contains(&format!(
            "still belongs to {OFFICER_GROUP} through {}",
            via.name
        )),
        "{shown}"
    );
    // What could be undone was: it sees no case now.
    let mut owner = team.owner();
    add_case(
        &mut owner,
        "X100001",
        "Ann North",
        Some("North"),
        "2026-05-01",
    )
    .unwrap();
    assert!(team_db::visible(&mut team.connect(&officer.name)).is_empty());
}

/// A server of the test's own, where the officer group does not exist yet: setup makes it, and
/// says what it lacks when it cannot.
#[cfg(unix)]
#[test]
fn setup_makes_the_officer_group_and_names_createrole_when_it_cannot() {
    let hba = "local all all trust\nhost all all 127.0.0.1/32 trust\n";
    let Some(server) = pg::TempServer::start("setup_makes_the_group", &[], hba, &[]) else {
        return;
    };
    for sql in [
        "CREATE ROLE rd_owner LOGIN",
        "CREATE DATABASE rd_team OWNER rd_owner",
        "CREATE ROLE rd_officer LOGIN",
    ] {
        server.admin().batch_execute(sql).unwrap();
    }
    let owner = || {
        postgres::Config::new()
            .host("127.0.0.1")
            .port(server.port)
            .user("rd_owner")
            .dbname("rd_team")
            .connect(postgres::NoTls)
            .unwrap()
    };
    let e = rdpg::setup(&mut owner()).unwrap_err();
    let shown = e.to_string();
    assert!(shown.starts_with("rd_owner lacks CREATEROLE"), "{shown}");
    assert!(
        shown.contains(&format!("CREATE ROLE {OFFICER_GROUP} NOLOGIN")),
        "{shown}"
    );
    server
        .admin()
        .batch_execute("ALTER ROLE rd_owner CREATEROLE")
        .unwrap();
    let report = rdpg::setup(&mut owner()).unwrap_or_else(|e| panic!("{e}"));
    assert!(report.group_created);
    let group: (bool, bool, bool) = {
        let row = server
            .admin()
            .query_one(
                "SELECT rolcanlogin, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1",
                &[&OFFICER_GROUP],
            )
            .unwrap();
        (row.get(0), row.get(1), row.get(2))
    };
    assert_eq!(group, (false, false, false));
    rdpg::grant(&mut owner(), "rd_officer", &Teams::Every).unwrap_or_else(|e| panic!("{e}"));

    // A group role that could sign in is not taken for the officers' group.
    server
        .admin()
        .batch_execute(&format!("ALTER ROLE {OFFICER_GROUP} LOGIN"))
        .unwrap();
    let e = rdpg::setup(&mut owner()).unwrap_err();
    assert!(
        e.to_string()
            .contains(&format!("ALTER ROLE {OFFICER_GROUP} NOLOGIN")),
        "{e}"
    );
}
