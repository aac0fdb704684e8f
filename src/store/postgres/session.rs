//! The timeouts every session starts with, so a hung statement, a held lock or a transaction
//! left open never freezes a screen or blocks the team: 5 seconds for a statement, 3 for a lock,
//! 30 idle inside a transaction. A long operation (an import, a copy) raises them for its own
//! transaction with `apply_local`, and they fall back when that transaction ends.
//!
//! They are set with `SET` right after connecting rather than in the startup packet's
//! `options`, which connection poolers such as PgBouncer refuse. A timeout the user set in
//! `options` (`-c statement_timeout=60s`) is left as the user set it.

use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionTimeouts {
    /// `statement_timeout`: the longest one statement may run.
    pub statement: Duration,
    /// `lock_timeout`: the longest a statement waits for a lock another session holds.
    pub lock: Duration,
    /// `idle_in_transaction_session_timeout`: how long a transaction may sit open and idle
    /// before the server ends the session (and so releases its locks).
    pub idle_in_transaction: Duration,
}

impl Default for SessionTimeouts {
    fn default() -> Self {
        SessionTimeouts {
            statement: Duration::from_secs(5),
            lock: Duration::from_secs(3),
            idle_in_transaction: Duration::from_secs(30),
        }
    }
}

impl SessionTimeouts {
    fn settings(&self) -> [(&'static str, Duration); 3] {
        [
            ("statement_timeout", self.statement),
            ("lock_timeout", self.lock),
            (
                "idle_in_transaction_session_timeout",
                self.idle_in_transaction,
            ),
        ]
    }

    /// The `SET` statements, skipping any setting that `options` already sets. `local`: `SET
    /// LOCAL`, for the current transaction only.
    pub(super) fn sql(&self, options: Option<&str>, local: bool) -> String {
        let scope = if local { "LOCAL " } else { "" };
        self.settings()
            .iter()
            .filter(|(name, _)| !options.is_some_and(|o| o.contains(name)))
            .map(|(name, d)| format!("SET {scope}{name} = {};", d.as_millis()))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Sets these timeouts for the rest of the session.
    pub fn apply(&self, client: &mut ::postgres::Client) -> Result<(), ::postgres::Error> {
        client.batch_execute(&self.sql(None, false))
    }

    /// Sets these timeouts until `tx` ends: for an operation that needs longer than the
    /// session's defaults.
    pub fn apply_local(&self, tx: &mut ::postgres::Transaction) -> Result<(), ::postgres::Error> {
        tx.batch_execute(&self.sql(None, true))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_in_milliseconds() {
        assert_eq!(
            SessionTimeouts::default().sql(None, false),
            "SET statement_timeout = 5000; SET lock_timeout = 3000; \
             SET idle_in_transaction_session_timeout = 30000;"
        );
    }

    #[test]
    fn local_and_what_options_already_set_is_left_alone() {
        let t = SessionTimeouts {
            statement: Duration::from_secs(600),
            ..SessionTimeouts::default()
        };
        assert_eq!(
            t.sql(Some("-c statement_timeout=60s"), true),
            "SET LOCAL lock_timeout = 3000; SET LOCAL idle_in_transaction_session_timeout = 30000;"
        );
        assert!(t
            .sql(None, true)
            .starts_with("SET LOCAL statement_timeout = 600000;"));
    }
}
