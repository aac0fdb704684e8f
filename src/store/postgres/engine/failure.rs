//! The server's errors as the store's: one sentence, never a DETAIL (a constraint error's
//! DETAIL holds the row's values, e.g. `Key (crn)=(X123456)`), so nothing names a person.

use crate::store::{EngineError, StoreError};
use ::postgres::error::SqlState;
use std::fmt;

/// A server or connection error, as the store keeps it: the server's message alone (no DETAIL,
/// HINT or values), its SQLSTATE, and whether the connection was lost.
#[derive(Debug, Clone)]
pub struct PgError {
    message: String,
    code: Option<SqlState>,
    lost: bool,
}

impl PgError {
    pub fn code(&self) -> Option<&SqlState> {
        self.code.as_ref()
    }
}

impl fmt::Display for PgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PgError {}

/// States that mean the server went away (a restart, a crash, an administrator's command).
fn shutting_down(code: &SqlState) -> bool {
    [
        SqlState::ADMIN_SHUTDOWN,
        SqlState::CRASH_SHUTDOWN,
        SqlState::CANNOT_CONNECT_NOW,
        SqlState::CONNECTION_FAILURE,
        SqlState::CONNECTION_EXCEPTION,
        SqlState::CONNECTION_DOES_NOT_EXIST,
        SqlState::IDLE_IN_TRANSACTION_SESSION_TIMEOUT,
    ]
    .contains(code)
}

impl From<::postgres::Error> for PgError {
    fn from(e: ::postgres::Error) -> PgError {
        match e.as_db_error() {
            Some(db) => PgError {
                message: db.message().to_string(),
                code: Some(db.code().clone()),
                lost: shutting_down(db.code()),
            },
            None => PgError {
                // The client's own errors (I/O, protocol, conversion) carry no row values.
                message: if e.is_closed() {
                    "the connection to the server was lost".into()
                } else {
                    e.to_string()
                },
                code: e.code().cloned(),
                lost: e.is_closed() || is_io(&e),
            },
        }
    }
}

/// Whether the client failed reading or writing the socket.
fn is_io(e: &::postgres::Error) -> bool {
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if s.is::<std::io::Error>() {
            return true;
        }
        source = s.source();
    }
    false
}

impl From<::postgres::Error> for StoreError {
    fn from(e: ::postgres::Error) -> StoreError {
        PgError::from(e).into()
    }
}

impl From<PgError> for StoreError {
    fn from(e: PgError) -> StoreError {
        let refused = |what: &str| StoreError::Refused(format!("{what} ({})", e.message));
        match e.code.clone() {
            Some(
                SqlState::LOCK_NOT_AVAILABLE
                | SqlState::QUERY_CANCELED
                | SqlState::T_R_SERIALIZATION_FAILURE
                | SqlState::T_R_DEADLOCK_DETECTED,
            ) => StoreError::Busy(EngineError::new(e)),
            Some(SqlState::INSUFFICIENT_PRIVILEGE) => refused(
                "the team database does not let your role do this: its owner decides which \
                 teams each officer may change",
            ),
            Some(SqlState::UNIQUE_VIOLATION) => StoreError::Conflict,
            _ => StoreError::Engine(EngineError::new(e)),
        }
    }
}

/// Whether `e` says the connection was lost (so it is worth connecting again).
pub(super) fn lost(e: &StoreError) -> bool {
    match e {
        StoreError::Engine(inner) | StoreError::Busy(inner) => {
            inner.downcast_ref::<PgError>().is_some_and(|p| p.lost)
        }
        _ => false,
    }
}

/// A value the database handed back that is not what this program writes.
pub(super) fn corrupt(column: &'static str) -> StoreError {
    StoreError::Corrupt { column }
}
