//! A team database for a test, on the shared throwaway server (`pg`): a fresh database owned by
//! a login role of its own that is not a superuser (CREATEROLE, as the README asks of an owner),
//! the officer group role (shared by every test on the server, made by whichever comes first),
//! and connections signed in as the owner or as an officer, with passwords, over TCP.
//!
//! Include it after `pg`: `#[path = "common/pg.rs"] mod pg;` and
//! `#[path = "common/team_db.rs"] mod team_db;`.

#![allow(dead_code)]

use super::pg;
use postgres::{Client, NoTls};
use releaseday::store::postgres::{self as rdpg, SetupReport, Teams, OFFICER_GROUP};

/// Every test role's password.
pub const PASSWORD: &str = "Team-Test-Pass-7";

pub struct TeamDb<'a> {
    pub pg: &'a pg::Server,
    // Dropped before the owner, which cannot go while it owns the database.
    pub db: pg::TestDb,
    pub owner: pg::Role,
}

impl<'a> TeamDb<'a> {
    /// A database and its owner; nothing set up yet.
    pub fn new(pg: &'a pg::Server, label: &str) -> TeamDb<'a> {
        let db = pg.database(label);
        let owner = pg.role(&format!("{label}_owner"), PASSWORD);
        let mut admin = pg.admin();
        admin
            .batch_execute(&format!(
                "ALTER ROLE {o} CREATEROLE; ALTER DATABASE {d} OWNER TO {o};",
                o = owner.name,
                d = db.name
            ))
            .unwrap();
        // The group is the server's, not the database's: make it once, whoever comes first.
        let made = admin.batch_execute(&format!("CREATE ROLE {OFFICER_GROUP} NOLOGIN"));
        if let Err(e) = made {
            let code = e.code().cloned();
            assert!(
                code == Some(postgres::error::SqlState::DUPLICATE_OBJECT)
                    || code == Some(postgres::error::SqlState::UNIQUE_VIOLATION),
                "{e}"
            );
        }
        let version: i32 = admin
            .query_one("SELECT current_setting('server_version_num')::int", &[])
            .unwrap()
            .get(0);
        if version >= 160000 {
            // CREATEROLE no longer lets a role grant a group it did not make.
            admin
                .batch_execute(&format!(
                    "GRANT {OFFICER_GROUP} TO {} WITH ADMIN OPTION",
                    owner.name
                ))
                .unwrap();
        }
        TeamDb { pg, db, owner }
    }

    /// A database set up by its owner.
    pub fn set_up(pg: &'a pg::Server, label: &str) -> TeamDb<'a> {
        let team = TeamDb::new(pg, label);
        team.setup().unwrap_or_else(|e| panic!("db setup: {e}"));
        team
    }

    pub fn setup(&self) -> Result<SetupReport, rdpg::AdminError> {
        rdpg::setup(&mut self.owner())
    }

    /// Signed in as `role` (any role made with `PASSWORD`).
    pub fn connect(&self, role: &str) -> Client {
        self.try_connect(role)
            .unwrap_or_else(|e| panic!("sign in as {role}: {e}"))
    }

    pub fn try_connect(&self, role: &str) -> Result<Client, postgres::Error> {
        postgres::Config::new()
            .host(&self.pg.host)
            .port(self.pg.port)
            .user(role)
            .password(PASSWORD)
            .dbname(&self.db.name)
            .connect(NoTls)
    }

    pub fn owner(&self) -> Client {
        self.connect(&self.owner.name)
    }

    /// A superuser in this database: for arranging what no officer could, never for checking.
    pub fn admin(&self) -> Client {
        self.pg.admin_on(&self.db)
    }

    /// A new login role made an officer of `teams` (none: every team) by the owner.
    pub fn officer(&self, label: &str, teams: &[&str]) -> pg::Role {
        let role = self.pg.role(label, PASSWORD);
        let teams: Vec<String> = teams.iter().map(|t| t.to_string()).collect();
        rdpg::grant(
            &mut self.owner(),
            &role.name,
            &Teams::from_args(&teams).unwrap(),
        )
        .unwrap_or_else(|e| panic!("db grant: {e}"));
        role
    }

    /// A role of any name (capitals, spaces, quotes), made by the superuser with `attributes`
    /// (`LOGIN`, `SUPERUSER`, …) and `PASSWORD`, dropped with the value.
    pub fn named_role(&self, name: &str, attributes: &str) -> NamedRole {
        let quoted = rdpg::roles::quote_ident(name);
        self.pg
            .admin()
            .batch_execute(&format!(
                "CREATE ROLE {quoted} {attributes} PASSWORD '{PASSWORD}'"
            ))
            .unwrap();
        NamedRole {
            name: name.to_string(),
            admin: self.pg.admin(),
        }
    }
}

pub struct NamedRole {
    pub name: String,
    admin: Client,
}

impl Drop for NamedRole {
    fn drop(&mut self) {
        let _ = self.admin.batch_execute(&format!(
            "DROP ROLE IF EXISTS {}",
            rdpg::roles::quote_ident(&self.name)
        ));
    }
}

/// Adds a case as `client` (release and expected day `day`, YYYY-MM-DD).
pub fn add_case(
    client: &mut impl postgres::GenericClient,
    crn: &str,
    name: &str,
    team: Option<&str>,
    day: &str,
) -> Result<u64, postgres::Error> {
    client.execute(
        "INSERT INTO cases (crn, name, team, release_date, release_type, accommodation, \
         expected_day) VALUES ($1, $2, $3, $4::text::date, 'CRD', 'NFA', $4::text::date)",
        &[&crn, &name, &team, &day],
    )
}

/// The CRNs `client` can see, in order.
pub fn visible(client: &mut Client) -> Vec<String> {
    client
        .query("SELECT crn FROM cases ORDER BY crn", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

/// Runs `sql` and returns the server's refusal; panics if it succeeded.
pub fn refused(client: &mut Client, sql: &str) -> postgres::error::DbError {
    match client.batch_execute(sql) {
        Ok(()) => panic!("{sql} was allowed"),
        Err(e) => e
            .as_db_error()
            .unwrap_or_else(|| panic!("{sql}: {e}"))
            .clone(),
    }
}
