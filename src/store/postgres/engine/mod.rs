//! The team database as a `CaseStore` (DOMAIN.md §9): the same calls as the SQLite file, over
//! one connection signed in as the officer's own role. What differs, and why:
//!
//! - **The database writes the audit log**, by trigger, under the signed-in role: the engine
//!   writes no audit row for a case and names only what is writing (`releaseday.source`, set
//!   in each transaction). `who` arguments are the role, not the `[officer] name` setting.
//! - **Versions** are bumped by a trigger when a field or the check-in changes; a write
//!   checked against the version it read is `UPDATE … WHERE crn = $1 AND version = $2`.
//! - **Row-level security** limits an officer to the teams granted: every read and write sees
//!   only those cases, and an import for another team is refused before anything is written.
//! - **Lost connections** are made again by themselves (with backoff) and the call is tried
//!   once more: a read then answers, a write saves or is refused (its transaction either
//!   committed, and the version check refuses it a second time, or was rolled back by the
//!   server). Never half-saved: every write is one transaction.
//! - **Change notification**: a connection of its own `LISTEN`s on a thread (`listen.rs`).
//!
//! - `columns.rs`: the field table's fields as PostgreSQL columns (statements, binding, reading).
//! - `reads.rs`: cases by CRN and by window, streamed; counts; search keys.
//! - `writes.rs`: edits, check-ins, whole cases, expected days redone.
//! - `import.rs`: an import planned in one snapshot and written through `COPY` and a staging
//!   table (forced row-level security refuses `COPY` into `cases` itself).
//! - `history.rs`: the audit log, settings (`meta`), the holiday file.
//! - `maintenance.rs`: purge and backup (a SQLite file from one snapshot).
//! - `failure.rs`: the server's errors as `StoreError`s, without a DETAIL (it holds values).
//! - `store.rs`: the `CaseStore` implementation, each call answered by the methods above.

mod columns;
mod failure;
mod history;
mod import;
mod listen;
mod maintenance;
mod reads;
mod store;
mod writes;

use super::{check_schema, connect, ConnSpec};
use crate::store::{Result, StoreError};
use ::postgres::{Client, Transaction};
use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::Arc;
use std::time::Duration;

pub use failure::PgError;

/// A connection not made: `Unavailable` where trying again later may work (nothing answered,
/// no answer in time, a server starting or stopping); otherwise the reason alone (a password,
/// a role, a certificate), which trying again will not change.
fn connect_failed(e: super::ConnectError) -> StoreError {
    use super::ConnectErrorKind as Kind;
    match e.kind() {
        Kind::Unreachable | Kind::Timeout | Kind::Unavailable | Kind::Other => {
            StoreError::Unavailable(e.to_string())
        }
        Kind::Settings | Kind::Authentication | Kind::Refused | Kind::Tls => {
            StoreError::Refused(e.to_string())
        }
    }
}

/// How long a lost connection is tried again, in all, before a call gives up with
/// `StoreError::Unavailable`: pauses of 0.2, 0.4, 0.8, 1.6 s between tries.
const RECONNECT_PAUSES: [u64; 4] = [200, 400, 800, 1600];

/// The open team database. One connection for reads and writes (in a `RefCell`: see the
/// interface's head), and, for a planner, one more that listens for others' changes.
pub struct PgStore {
    spec: ConnSpec,
    client: RefCell<Client>,
    /// The signed-in role (`session_user`): what the audit log names.
    role: String,
    /// What the role sees, as a short text: part of the expected-day basis's key.
    scope: String,
    /// The main connection's server process, so the listener can skip our own notifications.
    pid: Arc<AtomicI32>,
    listener: Option<listen::Listener>,
    /// Writes this handle committed.
    own: Cell<u64>,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("spec", &self.spec)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

impl PgStore {
    /// Signs in to the team database `spec` names, checks its schema (set up, not older or
    /// newer than this program, and the role an officer), and starts listening for changes.
    pub fn open(spec: &ConnSpec) -> Result<PgStore> {
        let mut store = PgStore::connect_only(spec)?;
        store.listener = Some(listen::Listener::start(spec, store.pid.clone())?);
        Ok(store)
    }

    /// As `open`, without a listener: a second handle for a background load.
    fn connect_only(spec: &ConnSpec) -> Result<PgStore> {
        let mut client = connect(spec).map_err(connect_failed)?;
        check_schema(&mut client).map_err(|e| StoreError::Refused(e.to_string()))?;
        let row = client.query_one(
            "SELECT session_user::text, pg_backend_pid(), \
             public.releaseday_sees_every_team(), public.releaseday_sees_no_team(), \
             array_to_string(public.releaseday_teams(), ',')",
            &[],
        )?;
        let role: String = row.get(0);
        let scope = if row.get::<_, bool>(2) {
            "every team".to_string()
        } else {
            let mut teams: Vec<String> = row
                .get::<_, String>(4)
                .split(',')
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect();
            teams.sort();
            if row.get::<_, bool>(3) {
                teams.push("(none)".into());
            }
            format!("teams {}", teams.join(","))
        };
        Ok(PgStore {
            spec: spec.clone(),
            client: RefCell::new(client),
            role,
            scope,
            pid: Arc::new(AtomicI32::new(row.get(1))),
            listener: None,
            own: Cell::new(0),
        })
    }

    /// The signed-in role.
    pub fn role(&self) -> &str {
        &self.role
    }

    /// Runs `f` on the connection; if the connection was lost, makes it again (with backoff)
    /// and runs `f` once more. `f` must be a whole read, or a whole write in one transaction.
    fn with<T>(&self, mut f: impl FnMut(&mut Client) -> Result<T>) -> Result<T> {
        let mut client = self.client.borrow_mut();
        if client.is_closed() {
            self.reconnect(&mut client)?;
        }
        match f(&mut client) {
            Err(e) if failure::lost(&e) || client.is_closed() => {
                self.reconnect(&mut client)?;
                f(&mut client).map_err(|e| {
                    if failure::lost(&e) {
                        StoreError::Unavailable("the connection was lost again".into())
                    } else {
                        e
                    }
                })
            }
            r => r,
        }
    }

    /// A write: `f` in one transaction naming `source` (empty: the planner itself), committed.
    /// Counts as this handle's own change.
    fn write<T>(
        &self,
        source: Option<&str>,
        mut f: impl FnMut(&mut Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        let out = self.with(|client| {
            let mut tx = client.transaction()?;
            tx.execute(
                "SELECT set_config('releaseday.source', $1, true)",
                &[&source.unwrap_or("")],
            )?;
            let out = f(&mut tx)?;
            tx.commit()?;
            Ok(out)
        })?;
        self.own.set(self.own.get() + 1);
        Ok(out)
    }

    /// Makes the connection again: each pause of `RECONNECT_PAUSES` then a try; the last
    /// failure is the error.
    fn reconnect(&self, client: &mut Client) -> Result<()> {
        let mut why = String::new();
        for pause in RECONNECT_PAUSES {
            std::thread::sleep(Duration::from_millis(pause));
            match connect(&self.spec) {
                Ok(mut fresh) => {
                    let pid: i32 = fresh.query_one("SELECT pg_backend_pid()", &[])?.get(0);
                    self.pid.store(pid, Ordering::Relaxed);
                    *client = fresh;
                    return Ok(());
                }
                Err(e) => match connect_failed(e) {
                    StoreError::Unavailable(w) => why = w,
                    refused => return Err(refused),
                },
            }
        }
        Err(StoreError::Unavailable(why))
    }
}
