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
