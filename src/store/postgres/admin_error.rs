//! Why setting up a team database, or granting or revoking an officer, was refused or failed: one
//! sentence an administrator can act on, naming the privilege the signed-in role lacks when that
//! is the reason. Only the server's own message is quoted, never its DETAIL, which can hold a
//! row's values (a name, a CRN).

use ::postgres::error::SqlState;

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error(
        "this database has no releaseday schema yet: the role that is to own it runs \
         `releaseday --db URL db setup` first"
    )]
    NotSetUp,

    #[error(
        "the team database's schema is version {found}, newer than this releaseday knows \
         (up to {known}): install the newer releaseday"
    )]
    TooNew { found: i64, known: i64 },

    #[error(
        "the team database's schema is version {found} and this releaseday needs {known}: its \
         owner runs `releaseday --db URL db setup` to bring it up to date"
    )]
    TooOld { found: i64, known: i64 },

    /// Refused before anything was changed, for the reason given.
    #[error("{0}")]
    Refused(String),

    /// The signed-in role lacks a privilege the step needs.
    #[error("{who} lacks {lacks}: {remedy} (the server said: {server})")]
    Privilege {
        who: String,
        lacks: String,
        remedy: String,
        server: String,
    },

    /// Anything else the server or the connection reported, with what was being done.
    #[error("{doing} failed: {server}")]
    Server { doing: String, server: String },
}

impl AdminError {
    /// A server error met while `doing` something, as one sentence.
    pub(super) fn server(doing: &str, e: &::postgres::Error) -> AdminError {
        AdminError::Server {
            doing: doing.to_string(),
            server: server_message(e),
        }
    }

    /// A server error met while doing something that needs a privilege: a refusal for want of
    /// it names the privilege (`lacks`) and what to do (`remedy`); any other error is `server`.
    pub(super) fn needing(
        doing: &str,
        who: &str,
        lacks: &str,
        remedy: &str,
        e: &::postgres::Error,
    ) -> AdminError {
        if e.code() == Some(&SqlState::INSUFFICIENT_PRIVILEGE) {
            AdminError::Privilege {
                who: who.to_string(),
                lacks: lacks.to_string(),
                remedy: remedy.to_string(),
                server: server_message(e),
            }
        } else {
            AdminError::server(doing, e)
        }
    }
}

/// The server's message without its DETAIL; for a connection-level failure, the client's.
pub(super) fn server_message(e: &::postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => db.message().to_string(),
        None if e.is_closed() => "the connection to the server was lost".to_string(),
        None => e.to_string(),
    }
}
