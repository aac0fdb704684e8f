//! Connection errors as one sentence a user can act on: `could not connect to db.example:5432 as
//! priya: password authentication failed (the password came from PGPASSWORD)`.
//!
//! The sentence is built from what the spec says (host, port, user, database, sslmode, where the
//! password came from) and from the kind of failure; it never holds the password or the URL. The
//! client library's own error is read for its kind, and only its server message or TLS detail is
//! quoted, neither of which ever contains a password.

use super::conninfo::{PasswordSource, Target};
use super::tls::{RootCert, SslMode};
use ::postgres::error::SqlState;
use std::error::Error as _;
use std::fmt;
use std::time::Duration;

/// A URL or setting that cannot be used, as one sentence; nothing was tried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError(String);

impl SpecError {
    pub(super) fn new(message: impl Into<String>) -> SpecError {
        SpecError(message.into())
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SpecError {}

/// What kind of failure, for a caller deciding whether to try again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectErrorKind {
    /// A setting cannot be used (a CA file that cannot be read); trying again will not help.
    Settings,
    /// Nothing answered there: no such host, connection refused, no socket.
    Unreachable,
    /// No answer within `connect_timeout`.
    Timeout,
    /// The password was wrong or missing.
    Authentication,
    /// The server turned the connection down: no such role or database, no pg_hba.conf rule.
    Refused,
    /// Encryption could not be set up, or the server's certificate was not accepted.
    Tls,
    /// The server is starting, stopping or full; trying again later may work.
    Unavailable,
    /// Anything else.
    Other,
}

/// Why no connection could be made, as one sentence that never contains the password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectError {
    kind: ConnectErrorKind,
    message: String,
}

impl ConnectError {
    pub(super) fn new(kind: ConnectErrorKind, message: impl Into<String>) -> ConnectError {
        ConnectError {
            kind,
            message: message.into(),
        }
    }

    pub fn kind(&self) -> ConnectErrorKind {
        self.kind
    }

    /// One error for a list of hosts that all failed: each host's sentence, in the order tried.
    pub(super) fn all(mut errors: Vec<ConnectError>) -> ConnectError {
        if errors.len() == 1 {
            return errors.remove(0);
        }
        let kind = errors.last().map_or(ConnectErrorKind::Other, |e| e.kind);
        let message = errors
            .iter()
            .map(|e| e.message.as_str())
            .collect::<Vec<_>>()
            .join("; ");
        ConnectError { kind, message }
    }
}

impl fmt::Display for ConnectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConnectError {}

/// What one attempt was, for describing its failure.
pub(super) struct Attempt<'a> {
    pub target: &'a Target,
    pub user: &'a str,
    pub dbname: &'a str,
    pub sslmode: SslMode,
    pub root_cert: Option<&'a RootCert>,
    pub password: Option<&'a PasswordSource>,
    /// Why the password file was not used, if it was not.
    pub passfile_warning: Option<&'a str>,
    pub timeout: Option<Duration>,
}

impl Attempt<'_> {
    fn fail(&self, kind: ConnectErrorKind, why: impl fmt::Display) -> ConnectError {
        ConnectError::new(
            kind,
            format!(
                "could not connect to {} as {}: {why}",
                self.target, self.user
            ),
        )
    }

    pub(super) fn timed_out(&self) -> ConnectError {
        let secs = self.timeout.map_or(0, |d| d.as_secs());
        self.fail(
            ConnectErrorKind::Timeout,
            format!(
                "no answer within {secs} seconds (connect_timeout); the server or the network \
                 may be down"
            ),
        )
    }

    pub(super) fn settings(&self, why: impl fmt::Display) -> ConnectError {
        self.fail(ConnectErrorKind::Settings, why)
    }

    /// The sentence for an error from the client library.
    pub(super) fn describe(&self, err: &::postgres::Error) -> ConnectError {
        use ConnectErrorKind::*;
        if let Some(db) = err.as_db_error() {
            let msg = db.message();
            let code = db.code();
            return if *code == SqlState::INVALID_PASSWORD {
                let from = self
                    .password
                    .map(|s| format!(" (the password came from {s})"))
                    .unwrap_or_default();
                self.fail(
                    Authentication,
                    format!("password authentication failed{from}"),
                )
            } else if *code == SqlState::INVALID_CATALOG_NAME {
                self.fail(
                    Refused,
                    format!(
                        "the database \"{}\" does not exist on that server",
                        self.dbname
                    ),
                )
            } else if *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
                && msg.contains("pg_hba.conf")
            {
                if msg.contains("no encryption") {
                    self.fail(
                        Refused,
                        format!(
                            "the server accepts only encrypted connections from here \
                             (sslmode={}); use sslmode=verify-full (or require)",
                            self.sslmode
                        ),
                    )
                } else {
                    self.fail(
                        Refused,
                        format!(
                            "the server has no rule letting this role into this database from \
                             here ({msg}); ask the database's administrator"
                        ),
                    )
                }
            } else if *code == SqlState::TOO_MANY_CONNECTIONS
                || *code == SqlState::CANNOT_CONNECT_NOW
                || *code == SqlState::ADMIN_SHUTDOWN
            {
                self.fail(Unavailable, format!("{msg}; try again in a moment"))
            } else if *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION {
                self.fail(Refused, msg)
            } else {
                self.fail(Other, format!("the server said: {msg}"))
            };
        }

        let chain = chain(err);
        let lower = chain.to_lowercase();
        if lower.contains("password missing") {
            let why = match self.passfile_warning {
                Some(w) => format!("the server asks for a password and none was given: {w}"),
                None => "the server asks for a password and none was given; put it in \
                         ~/.pgpass (chmod 0600), PGPASSWORD or the URL"
                    .to_string(),
            };
            return self.fail(Authentication, why);
        }
        if err
            .to_string()
            .starts_with("error performing TLS handshake")
        {
            return self.describe_tls(&chain, &lower);
        }
        if lower.contains("database does not allow writes") {
            return self.fail(
                Refused,
                "the server is a read-only standby (target_session_attrs=read-write)",
            );
        }
        if let Some(io) = io_error(err) {
            use std::io::ErrorKind as K;
            match io.kind() {
                K::ConnectionRefused => {
                    return self.fail(
                        Unreachable,
                        "nothing is listening there (connection refused); check the host and \
                         port, and that the server is running",
                    )
                }
                K::NotFound if matches!(self.target.host, super::Host::Socket(_)) => {
                    return self.fail(
                        Unreachable,
                        "there is no server socket there; check the host (the socket's folder) \
                         and port, and that the server is running",
                    )
                }
                K::TimedOut => return self.timed_out(),
                K::PermissionDenied => {
                    return self.fail(Unreachable, format!("permission denied ({io})"))
                }
                K::UnexpectedEof | K::ConnectionReset | K::ConnectionAborted => {
                    return self.fail(
                        Unreachable,
                        "the server closed the connection while signing in; it may be \
                         restarting, or something between here and it refuses the traffic",
                    )
                }
                _ => {}
            }
            let text = io.to_string().to_lowercase();
            if text.contains("lookup")
                || text.contains("resolve")
                || text.contains("name or service")
            {
                if let super::Host::Tcp(h) = &self.target.host {
                    return self.fail(
                        Unreachable,
                        format!("the host name {h} could not be found; check its spelling"),
                    );
                }
            }
        }
        if lower.contains("timeout waiting for server") {
            return self.timed_out();
        }
        self.fail(Other, chain)
    }

    fn describe_tls(&self, chain: &str, lower: &str) -> ConnectError {
        use ConnectErrorKind::Tls;
        let mode = self.sslmode;
        let host = match &self.target.host {
            super::Host::Tcp(h) => h.as_str(),
            super::Host::Socket(_) => "this socket",
        };
        let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
        if has(&["server does not support tls"]) {
            return self.fail(
                Tls,
                format!(
                    "the server does not offer encrypted connections (sslmode={mode}), and \
                     releaseday never falls back to an unencrypted one; turn on ssl at the \
                     server, or use sslmode=disable on this machine or a network you trust"
                ),
            );
        }
        // Name checks first: OpenSSL says "certificate verify failed (hostname mismatch)".
        if has(&["mismatch", "principal name", "host name", "hostname"]) {
            return self.fail(
                Tls,
                format!(
                    "the server's certificate is not valid for {host} (sslmode={mode}); connect \
                     with the host name the certificate names, or use sslmode=verify-ca to check \
                     only who signed it"
                ),
            );
        }
        if has(&["expired", "not yet valid"]) {
            return self.fail(
                Tls,
                format!(
                    "the server's certificate has expired or is not yet valid (sslmode={mode})"
                ),
            );
        }
        if has(&[
            "self-signed",
            "self signed",
            "local issuer",
            "unable to verify",
            "not trusted",
            "untrusted",
            "unknown ca",
            "certificate chain",
            "certificate verify failed",
        ]) {
            let why = match self.root_cert {
                None => format!(
                    "the server's certificate is not signed by a certificate authority this \
                     computer trusts (sslmode={mode}); name the authority's certificate with \
                     sslrootcert=FILE, or add it to the system's trust store"
                ),
                Some(RootCert::System) => format!(
                    "the server's certificate is not signed by a certificate authority in the \
                     system's trust store (sslmode={mode}, sslrootcert=system); add the \
                     authority's certificate to it, or name it with sslrootcert=FILE"
                ),
                Some(RootCert::File(path)) => format!(
                    "the server's certificate is not signed by the certificate authority in {} \
                     (sslrootcert), nor by one this computer trusts (sslmode={mode})",
                    path.display()
                ),
            };
            return self.fail(Tls, why);
        }
        self.fail(
            Tls,
            format!("the encrypted connection could not be set up (sslmode={mode}): {chain}"),
        )
    }
}

/// The error and its causes, `: `-joined.
fn chain(err: &::postgres::Error) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

fn io_error(err: &::postgres::Error) -> Option<&std::io::Error> {
    let mut source = err.source();
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return Some(io);
        }
        source = s.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::postgres::Host;

    #[test]
    fn several_failures_read_as_one_sentence_in_order() {
        let e = ConnectError::all(vec![
            ConnectError::new(
                ConnectErrorKind::Unreachable,
                "could not connect to a:5432 as u: x",
            ),
            ConnectError::new(
                ConnectErrorKind::Timeout,
                "could not connect to b:5432 as u: y",
            ),
        ]);
        assert_eq!(
            e.to_string(),
            "could not connect to a:5432 as u: x; could not connect to b:5432 as u: y"
        );
        assert_eq!(e.kind(), ConnectErrorKind::Timeout);
    }

    #[test]
    fn a_timeout_names_the_target_and_the_setting() {
        let target = Target {
            host: Host::Tcp("db.example".into()),
            port: 5432,
        };
        let a = Attempt {
            target: &target,
            user: "priya",
            dbname: "releaseday",
            sslmode: SslMode::VerifyFull,
            root_cert: None,
            password: None,
            passfile_warning: None,
            timeout: Some(Duration::from_secs(5)),
        };
        assert_eq!(
            a.timed_out().to_string(),
            "could not connect to db.example:5432 as priya: no answer within 5 seconds \
             (connect_timeout); the server or the network may be down"
        );
    }
}
