//! Connecting to a team database on PostgreSQL the way PostgreSQL users expect: a `postgres://`
//! URL filled in from the libpq environment (`PGHOST`, `PGUSER`, `PGPASSWORD`, ...) and
//! `~/.pgpass`, `sslmode` with `verify-full` for any host not on this machine, the operating
//! system's trust store, a connect timeout and per-session statement, lock and idle timeouts.
//!
//! `ConnSpec::parse` is pure (the environment is handed in as an `Env`); `connect` and
//! `connect_for_notifications` open connections. No password appears in any `Debug` or `Display`
//! here, nor in any error.
//!
//! The database side of the team database: its schema and forward-only migrations (`schema`,
//! with the SQL under `migrations/`), `db setup` (`setup`), officers granted and revoked
//! (`roles`), and what a change notification says (`notification`). The planner's engine on it,
//! `PgStore`, is in `engine/`.

mod admin_error;
mod connect;
mod conninfo;
mod engine;
mod env;
mod error;
mod ident;
mod notification;
mod pgpass;
pub mod roles;
pub mod schema;
mod session;
mod setup;
mod tls;
mod url;

pub use admin_error::AdminError;
pub use notification::Change;
pub use roles::{grant, revoke, Granted, Revoked, Teams};
pub use schema::{
    check_schema, schema_version, Migrated, CHANNEL, MIGRATIONS, OFFICER_GROUP, SCHEMA_VERSION,
    SOURCE_SETTING,
};
pub use setup::{setup, SetupReport};

pub use connect::{connect, connect_for_notifications};
pub use conninfo::{
    ConnSpec, Host, Keepalives, PasswordSource, Target, DEFAULT_CONNECT_TIMEOUT, DEFAULT_PORT,
};
pub use engine::{PgError, PgStore};
pub use env::Env;
pub use error::{ConnectError, ConnectErrorKind, SpecError};
pub use session::SessionTimeouts;
pub use tls::{RootCert, SslMode};
pub use url::is_postgres_url;

use std::fmt;

/// A password: shown as `<redacted>` by `Debug`, with no `Display` at all.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(String);

impl Secret {
    pub(crate) fn new(s: String) -> Secret {
        Secret(s)
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}
