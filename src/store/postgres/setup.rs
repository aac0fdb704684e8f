//! `db setup`: everything a team database needs, made by its owner in one command that is safe
//! to run again (after an upgrade of releaseday, it brings the schema up to date).
//!
//! The owner is the role signed in; it need not be a superuser (better not: row-level security
//! does not hold a superuser). It needs:
//!
//! - to be able to create tables in the schema public: the database's owner can (PostgreSQL 15
//!   gives `CREATE` on public to the database owner only), or `GRANT CREATE ON SCHEMA public`;
//! - the officer group role [`OFFICER_GROUP`]: `CREATEROLE` to create it, or the role made
//!   beforehand by an administrator (`CREATE ROLE releaseday_officer NOLOGIN`) with the owner
//!   given `ADMIN OPTION` on it, which `db grant` needs from PostgreSQL 16 on (on 15 and older,
//!   `CREATEROLE` is enough);
//! - for officers to connect and make temporary tables (an import's staging table): `CONNECT`
//!   and `TEMPORARY` on the database, which PostgreSQL gives everyone unless an administrator took
//!   them away; then the database's owner grants them to the group, and setup does so when it
//!   runs as that owner.
//!
//! A later run as another role with the owner's rights (a superuser, a member of the owner)
//! works as the owner (`SET LOCAL ROLE`), so every object keeps one owner.

use super::admin_error::AdminError;
use super::roles::{quote_ident, shown};
use super::schema::{self, Migrated, MIGRATIONS, OFFICER_GROUP};
use ::postgres::Client;

/// The oldest server the schema runs on (it uses `pg_current_xact_id`); 15 is what is tested.
const OLDEST_SERVER: i32 = 130000;

/// What `setup` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetupReport {
    pub database: String,
    /// The role that owns the schema.
    pub owner: String,
    pub migrated: Migrated,
    /// Whether this run created the officer group role.
    pub group_created: bool,
    /// Privileges this run granted the officer group on the database and the schema public.
    pub granted: Vec<&'static str>,
    /// Things the administrator should know: setup succeeded, but something is not as it should be.
    pub notes: Vec<String>,
}

/// Sets the team database up, or brings it up to date. See the module's notes for what the
/// signed-in role needs; when it lacks something, the error says what and how to give it.
pub fn setup(client: &mut Client) -> Result<SetupReport, AdminError> {
    let doing = "reading the server's settings";
    let row = client
        .query_one(
            "SELECT current_user::text, current_database()::text, \
                    current_setting('server_version_num')::int, \
                    pg_encoding_to_char(d.encoding)::text, r.rolsuper, r.rolcreaterole \
             FROM pg_database d, pg_roles r \
             WHERE d.datname = current_database() AND r.rolname = current_user",
            &[],
        )
        .map_err(|e| AdminError::server(doing, &e))?;
    let (me, database, server, encoding): (String, String, i32, String) =
        (row.get(0), row.get(1), row.get(2), row.get(3));
    let (superuser, createrole): (bool, bool) = (row.get(4), row.get(5));
    if server < OLDEST_SERVER {
        return Err(AdminError::Refused(format!(
            "this PostgreSQL is version {}, and the team database needs 13 or later",
            server / 10000
        )));
    }
    if encoding != "UTF8" {
        return Err(AdminError::Refused(format!(
            "the database {} uses the {encoding} encoding, which cannot hold every name: make \
             one with CREATE DATABASE … ENCODING 'UTF8' TEMPLATE template0",
            quote_ident(&database)
        )));
    }

    // An existing schema keeps its owner: another role with the owner's rights acts as it.
    let existing = client
        .query_opt(
            "SELECT pg_get_userbyid(c.relowner)::text, pg_has_role(current_user, c.relowner, 'MEMBER') \
             FROM pg_class c WHERE c.oid = to_regclass('public.schema_migrations')",
            &[],
        )
        .map_err(|e| AdminError::server("reading who owns the schema", &e))?;
    let (owner, act_as) = match existing {
        Some(row) => {
            let (owner, member): (String, bool) = (row.get(0), row.get(1));
            if !member {
                return Err(AdminError::Refused(format!(
                    "the releaseday schema here belongs to {}: run db setup signed in as {0}",
                    shown(&owner)
                )));
            }
            let act_as = (owner != me).then(|| owner.clone());
            (owner, act_as)
        }
        None => (me.clone(), None),
    };
    if let Some(found) = schema::schema_version(client)
        .map_err(|e| AdminError::server("reading the schema version", &e))?
        .filter(|v| *v > MIGRATIONS.len() as i64)
    {
        return Err(AdminError::TooNew {
            found,
            known: MIGRATIONS.len() as i64,
        });
    }

    let group_created = ensure_group(client, &me)?;
    let granted = grant_database(client, &me, &database)?;
    let migrated = schema::migrate(client, MIGRATIONS, act_as.as_deref(), &shown(&me))?;

    let mut notes = Vec::new();
    let row = client
        .query_one(
            "SELECT r.rolsuper, r.rolcreaterole, \
                    pg_has_role(r.oid, (SELECT oid FROM pg_roles WHERE rolname = $2), \
                                'MEMBER WITH ADMIN OPTION') \
             FROM pg_roles r WHERE r.rolname = $1",
            &[&owner, &OFFICER_GROUP],
        )
        .map_err(|e| AdminError::server("checking the owner", &e))?;
    let (owner_super, owner_createrole, owner_admin): (bool, bool, bool) =
        (row.get(0), row.get(1), row.get(2));
    let can_grant = superuser
        || owner_super
        || owner_admin
        || (server < 160000 && (owner_createrole || createrole));
    if !can_grant {
        notes.push(format!(
            "db grant will be refused until {} holds ADMIN OPTION on {OFFICER_GROUP}: a \
             superuser runs GRANT {OFFICER_GROUP} TO {} WITH ADMIN OPTION",
            shown(&owner),
            quote_ident(&owner)
        ));
    }
    if owner_super {
        notes.push(format!(
            "the schema belongs to {}, a superuser, which row-level security does not hold: a \
             dedicated owner role that is not a superuser is safer (see the README)",
            shown(&owner)
        ));
    }
    Ok(SetupReport {
        database,
        owner,
        migrated,
        group_created,
        granted,
        notes,
    })
}

/// Makes the officer group role if it is missing; refuses one that exists but could sign in or
/// escape row-level security. Returns whether it was made here.
fn ensure_group(client: &mut Client, me: &str) -> Result<bool, AdminError> {
    let doing = "checking the officer group role";
    let found = client
        .query_opt(
            "SELECT rolcanlogin, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1",
            &[&OFFICER_GROUP],
        )
        .map_err(|e| AdminError::server(doing, &e))?;
    if let Some(row) = found {
        let (login, superuser, bypass): (bool, bool, bool) = (row.get(0), row.get(1), row.get(2));
        if login || superuser || bypass {
            let what = [
                (login, "LOGIN"),
                (superuser, "SUPERUSER"),
                (bypass, "BYPASSRLS"),
            ]
            .iter()
            .filter(|(has, _)| *has)
            .map(|(_, attr)| *attr)
            .collect::<Vec<_>>();
            let undo = what
                .iter()
                .map(|a| format!("NO{a}"))
                .collect::<Vec<_>>()
                .join(" ");
            return Err(AdminError::Refused(format!(
                "the role {OFFICER_GROUP} already exists with {}, so it cannot be the officers' \
                 group: ALTER ROLE {OFFICER_GROUP} {undo}, then run db setup again",
                what.join(" and ")
            )));
        }
        return Ok(false);
    }
    let created = client.batch_execute(&format!(
        "CREATE ROLE {} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS",
        quote_ident(OFFICER_GROUP)
    ));
    match created {
        Ok(()) => Ok(true),
        // Another setup made it meanwhile (on another database, perhaps): check what it made.
        Err(e)
            if e.code() == Some(&::postgres::error::SqlState::DUPLICATE_OBJECT)
                || e.code() == Some(&::postgres::error::SqlState::UNIQUE_VIOLATION) =>
        {
            ensure_group(client, me).map(|_| false)
        }
        Err(e) => Err(AdminError::needing(
            "creating the officer group role",
            &shown(me),
            "CREATEROLE, which creating the officer group role needs",
            &format!(
                "a superuser runs ALTER ROLE {} CREATEROLE, or makes the group itself: CREATE \
                 ROLE {OFFICER_GROUP} NOLOGIN; GRANT {OFFICER_GROUP} TO {0} WITH ADMIN OPTION; \
                 then run db setup again",
                quote_ident(me)
            ),
            &e,
        )),
    }
}

/// Makes sure officers can connect to the database, make temporary tables and reach the schema
/// public, granting the group what it lacks. Returns what was granted.
fn grant_database(
    client: &mut Client,
    me: &str,
    database: &str,
) -> Result<Vec<&'static str>, AdminError> {
    let doing = "checking what officers may do on the database";
    let row = client
        .query_one(
            "SELECT has_database_privilege($1, current_database(), 'CONNECT'), \
                    has_database_privilege($1, current_database(), 'TEMPORARY'), \
                    has_schema_privilege($1, 'public', 'USAGE') \
             FROM pg_roles WHERE rolname = $1",
            &[&OFFICER_GROUP],
        )
        .map_err(|e| AdminError::server(doing, &e))?;
    let (connect, temporary, usage): (bool, bool, bool) = (row.get(0), row.get(1), row.get(2));
    let mut granted = Vec::new();
    let group = quote_ident(OFFICER_GROUP);
    for (has, what, on) in [
        (
            connect,
            "CONNECT",
            format!("DATABASE {}", quote_ident(database)),
        ),
        (
            temporary,
            "TEMPORARY",
            format!("DATABASE {}", quote_ident(database)),
        ),
        (usage, "USAGE", "SCHEMA public".to_string()),
    ] {
        if has {
            continue;
        }
        client
            .batch_execute(&format!("GRANT {what} ON {on} TO {group}"))
            .map_err(|e| {
                AdminError::needing(
                    &format!("granting {what} to the officer group"),
                    &shown(me),
                    &format!("the right to grant {what} on {on}"),
                    &format!(
                        "officers need it: its owner runs GRANT {what} ON {on} TO {group}, or \
                         runs db setup"
                    ),
                    &e,
                )
            })?;
        granted.push(what);
    }
    Ok(granted)
}
