//! The team database's schema: forward-only migrations, each run in one transaction with its
//! row in `schema_migrations`, so a failure leaves the schema at the last good version. A schema
//! newer than this program is refused rather than guessed at, as the SQLite engine does.
//!
//! What the schema holds, and what the engine must know to use it (the migration's comments say
//! more, beside each part):
//!
//! - Tables named as the SQLite file's, so one query layer fits both: `cases`, `audit`, `meta`,
//!   `holiday_files`; and `officers` with `officer_teams` (who sees which teams), `schema_migrations`.
//!   Text compares by byte (`COLLATE "C"`), as SQLite's does, so lists sort alike.
//! - Row-level security, forced, on `cases` and `audit`: the owner may do anything; a member of
//!   the officer group ([`OFFICER_GROUP`]) sees, adds and changes only the cases of the teams it
//!   was granted (`db grant`), and reads the audit rows of those cases and the rows about no case.
//!   A team-limited officer does not see cases with no team unless granted `(none)`: such a case
//!   is nobody's yet, and an officer of one team has no need to read every unallocated person's
//!   record (a team lead granted every team allocates them).
//! - The audit log is written by triggers, under the signed-in role (`session_user`): a `created`
//!   row per new case, or one for an import's new cases that each names (`created_by`,
//!   migration 4), a row per changed field (values as the SQLite engine writes them) and
//!   `reported` for a check-in. The engine writes no audit row of its own for cases; it names what
//!   is writing with `SELECT set_config('releaseday.source', $1, true)` (or `SET LOCAL
//!   releaseday.source = '…'`) in the transaction, empty for the planner itself.
//! - Versions: any change of a case field or of `reported_at` adds one to `version` and stamps
//!   `updated_at`, whatever the statement says; marks and `expected_day` change neither. A write
//!   checked against the version it read is `UPDATE cases SET … WHERE crn = $1 AND version = $2`:
//!   0 rows means the case changed (or is not visible) since it was read.
//! - Officers have no DELETE on any table and no write on `audit` or `holiday_files`: a purge is
//!   `SELECT * FROM releaseday_purge(day, dry_run)`, a holiday file `releaseday_set_holiday_file(json)`
//!   and `releaseday_clear_holiday_file()`, each auditing itself.
//! - Change notification on channel [`CHANNEL`]: see [`Change`](super::Change).

use super::admin_error::AdminError;
use ::postgres::{Client, GenericClient, Transaction};

/// The schema, one migration per entry.
///
/// NEVER EDIT A RELEASED MIGRATION: team databases have already run it. To change the schema,
/// append a new file and entry, and check that `tests/pg_schema.rs` upgrades a database from the
/// previous version. A new case field needs a migration adding its column (a test fails until
/// it has one) and, if it is to be audited, new trigger functions.
pub const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_team_database.sql"),
    include_str!("migrations/0002_gp.sql"),
    include_str!("migrations/0003_handover_readiness.sql"),
    include_str!("migrations/0004_import_speed.sql"),
];

/// The schema version this program writes: the number of migrations.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The group role officers are made members of. Named in the migrations' policies and grants.
pub const OFFICER_GROUP: &str = "releaseday_officer";

/// The channel change notifications are sent on.
pub const CHANNEL: &str = "releaseday";

/// The transaction-local setting the audit triggers read for `audit.source`.
pub const SOURCE_SETTING: &str = "releaseday.source";

/// Serialises `db setup` runs on one database (a transaction-scoped advisory lock).
const SETUP_LOCK: i64 = 0x7265_6c65_6173_6501; // "release" + 1

const VERSION_TABLE: &str = "CREATE TABLE IF NOT EXISTS public.schema_migrations (
    version    integer PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now(),
    applied_by text NOT NULL DEFAULT session_user,
    program    text NOT NULL
)";

/// The schema version of the database `client` is connected to: `None` when releaseday's
/// schema was never set up there, 0 when setting it up never completed a migration.
pub fn schema_version(client: &mut impl GenericClient) -> Result<Option<i64>, ::postgres::Error> {
    let exists: bool = client
        .query_one(
            "SELECT to_regclass('public.schema_migrations') IS NOT NULL",
            &[],
        )?
        .get(0);
    if !exists {
        return Ok(None);
    }
    let v: i32 = client
        .query_one(
            "SELECT coalesce(max(version), 0) FROM public.schema_migrations",
            &[],
        )?
        .get(0);
    Ok(Some(i64::from(v)))
}

/// Checks that the database holds the schema this program uses, for a planner opening it:
/// refuses one never set up, an older one (its owner must run `db setup`) and a newer one.
pub fn check_schema(client: &mut impl GenericClient) -> Result<i64, AdminError> {
    let found = match schema_version(client) {
        Ok(found) => found,
        Err(e) if e.code() == Some(&::postgres::error::SqlState::INSUFFICIENT_PRIVILEGE) => {
            return Err(not_an_officer(client));
        }
        Err(e) => return Err(AdminError::server("reading the schema version", &e)),
    };
    match found {
        None | Some(0) => Err(AdminError::NotSetUp),
        Some(found) if found > SCHEMA_VERSION => Err(AdminError::TooNew {
            found,
            known: SCHEMA_VERSION,
        }),
        Some(found) if found < SCHEMA_VERSION => Err(AdminError::TooOld {
            found,
            known: SCHEMA_VERSION,
        }),
        Some(found) => Ok(found),
    }
}

/// The refusal for a role that may not read releaseday's tables.
fn not_an_officer(client: &mut impl GenericClient) -> AdminError {
    let who = client
        .query_one("SELECT current_user::text", &[])
        .map(|r| r.get::<_, String>(0))
        .unwrap_or_else(|_| "this role".to_string());
    AdminError::Refused(format!(
        "{} is not an officer of this team database: its owner runs `releaseday --db URL db \
         grant {}`",
        super::ident::shown(&who),
        super::ident::quote_ident(&who)
    ))
}

/// The version before and after `migrate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Migrated {
    /// `None`: the database had no releaseday schema.
    pub from: Option<i64>,
    pub to: i64,
}

/// Brings the schema up to `migrations.len()`, each migration in a transaction of its own with
/// its version row, under an advisory lock so two setups at once take turns. `act_as`: the
/// role to run them as (`SET LOCAL ROLE`), so every object has one owner.
pub(super) fn migrate(
    client: &mut Client,
    migrations: &[&str],
    act_as: Option<&str>,
    who: &str,
) -> Result<Migrated, AdminError> {
    let known = migrations.len() as i64;
    let from =
        schema_version(client).map_err(|e| AdminError::server("reading the schema version", &e))?;
    if let Some(found) = from.filter(|v| *v > known) {
        return Err(AdminError::TooNew { found, known });
    }
    {
        let mut tx = begin(client, act_as)?;
        tx.batch_execute(VERSION_TABLE).map_err(|e| {
            AdminError::needing(
                "creating the schema_migrations table",
                who,
                "the CREATE privilege on the schema public",
                "make it the database's owner (ALTER DATABASE … OWNER TO it) or GRANT CREATE ON \
                 SCHEMA public TO it, as the database's owner",
                &e,
            )
        })?;
        tx.commit()
            .map_err(|e| AdminError::server("creating the schema_migrations table", &e))?;
    }
    loop {
        let mut tx = begin(client, act_as)?;
        let version = schema_version(&mut tx)
            .map_err(|e| AdminError::server("reading the schema version", &e))?
            .unwrap_or(0);
        if version > known {
            return Err(AdminError::TooNew {
                found: version,
                known,
            });
        }
        if version == known {
            return Ok(Migrated { from, to: known });
        }
        let doing = format!("migration {}", version + 1);
        tx.batch_execute(migrations[version as usize])
            .map_err(|e| match e.code() {
                Some(&::postgres::error::SqlState::LOCK_NOT_AVAILABLE) => lock_error(&doing, &e),
                _ => AdminError::needing(
                    &doing,
                    who,
                    "a privilege the schema needs",
                    "run db setup as the database's owner",
                    &e,
                ),
            })?;
        tx.execute(
            "INSERT INTO public.schema_migrations (version, program) VALUES ($1, $2)",
            &[
                &(version as i32 + 1),
                &concat!("releaseday ", env!("CARGO_PKG_VERSION")),
            ],
        )
        .map_err(|e| AdminError::server(&doing, &e))?;
        tx.commit().map_err(|e| AdminError::server(&doing, &e))?;
    }
}

/// A transaction holding the setup lock, with room for slow DDL, as `act_as` if given.
fn begin<'c>(client: &'c mut Client, act_as: Option<&str>) -> Result<Transaction<'c>, AdminError> {
    let doing = "starting the setup transaction";
    let mut tx = client
        .transaction()
        .map_err(|e| AdminError::server(doing, &e))?;
    let mut sql = String::from(
        "SET LOCAL statement_timeout = 120000; SET LOCAL lock_timeout = 30000; \
         SET LOCAL idle_in_transaction_session_timeout = 120000;",
    );
    if let Some(role) = act_as {
        sql.push_str(&format!(
            " SET LOCAL ROLE {};",
            super::ident::quote_ident(role)
        ));
    }
    tx.batch_execute(&sql)
        .map_err(|e| AdminError::server(doing, &e))?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&SETUP_LOCK])
        .map_err(|e| lock_error(doing, &e))?;
    Ok(tx)
}

/// A lock not granted in time: another setup, or planners holding the tables.
fn lock_error(doing: &str, e: &::postgres::Error) -> AdminError {
    if e.code() == Some(&::postgres::error::SqlState::LOCK_NOT_AVAILABLE) {
        AdminError::Refused(format!(
            "{doing} waited 30 seconds for a lock another session holds (another db setup, \
             an import, an open planner's transaction); try again when it has finished"
        ))
    } else {
        AdminError::server(doing, e)
    }
}
