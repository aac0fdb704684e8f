//! The team database's administration (`releaseday db`, DOMAIN.md §9): setting its schema up
//! and saying which login roles are officers, and for which teams. The work is the PostgreSQL
//! engine's (`store::postgres`); the command line asks for it here, as it asks for everything.

#[cfg(feature = "postgres")]
pub use crate::store::postgres::{
    roles::shown, ConnSpec, Env, Granted, Revoked, SessionTimeouts, SetupReport, Teams,
    OFFICER_GROUP,
};

/// Connects to the team database `spec` names and sets up (or brings up to date) its schema
/// and the officers' group.
#[cfg(feature = "postgres")]
pub fn setup(spec: &ConnSpec) -> anyhow::Result<SetupReport> {
    let mut client = crate::store::postgres::connect(spec)?;
    Ok(crate::store::postgres::setup(&mut client)?)
}

/// Makes the login role `role` an officer, seeing `teams` (every team when empty).
#[cfg(feature = "postgres")]
pub fn grant(spec: &ConnSpec, role: &str, teams: &[String]) -> anyhow::Result<Granted> {
    let teams = Teams::from_args(teams)?;
    let mut client = crate::store::postgres::connect(spec)?;
    Ok(crate::store::postgres::grant(&mut client, role, &teams)?)
}

/// Makes the login role `role` no longer an officer.
#[cfg(feature = "postgres")]
pub fn revoke(spec: &ConnSpec, role: &str) -> anyhow::Result<Revoked> {
    let mut client = crate::store::postgres::connect(spec)?;
    Ok(crate::store::postgres::revoke(&mut client, role)?)
}

/// Opens a planner on the team database `url` names (filled in from the libpq environment and
/// `~/.pgpass`), signed in as the officer's own role.
#[cfg(feature = "postgres")]
pub fn open_planner(url: &str, settings: super::Settings) -> anyhow::Result<super::Planner> {
    let spec = ConnSpec::parse(url, &Env::system())?;
    let store = crate::store::postgres::PgStore::open(&spec)?;
    Ok(super::Planner::new(store, settings)?)
}

/// What `db copy` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Copied {
    pub cases: usize,
    pub audit_rows: usize,
}

/// Copies the whole database `source` names into the empty one `target` names (each a file
/// path or a `postgres://` URL), in one transaction on the target, the counts checked before it
/// commits. `spec_for` turns a URL into a connection spec (with the copy's timeouts).
#[cfg(feature = "postgres")]
pub fn copy(
    source: &str,
    target: &str,
    spec_for: impl Fn(&str) -> anyhow::Result<ConnSpec>,
) -> anyhow::Result<Copied> {
    use crate::store::postgres::PgStore;
    use crate::store::SqliteStore;
    use std::path::Path;

    let is_url = crate::config::is_team_url;
    let whole = if is_url(source) {
        PgStore::open(&spec_for(source)?)?.read_whole()?
    } else {
        let path = Path::new(source);
        if !path.exists() {
            anyhow::bail!("{source} does not exist: give the database file to copy from");
        }
        SqliteStore::open(path)?.read_whole()?
    };
    if is_url(target) {
        let (cases, audit_rows) = PgStore::open(&spec_for(target)?)?.load_whole(&whole)?;
        Ok(Copied { cases, audit_rows })
    } else {
        let mut store = SqliteStore::open(Path::new(target))?;
        store.load_whole(&whole)?;
        Ok(Copied {
            cases: whole.cases.len(),
            audit_rows: whole.audit.len(),
        })
    }
}
