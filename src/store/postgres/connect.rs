//! Opening a connection from a spec: each host in turn, each with its own sslmode and password
//! file line, within `connect_timeout`, then the session's timeouts.
//!
//! The client library is handed a `postgres::Config` built here, never the URL: its own URL
//! parser refuses `sslmode=verify-full` and it reads neither the `PG*` variables nor `~/.pgpass`.

use super::conninfo::{ConnSpec, Host, PasswordSource, Target};
use super::error::{Attempt, ConnectError};
use super::pgpass::{self, Lookup};
use super::tls::{self, SslMode};
use super::Secret;
use ::postgres::config::SslMode as WireSslMode;
use ::postgres::{Client, Config, NoTls};
use std::sync::mpsc;
use std::time::Duration;

/// How long unacknowledged data may wait before the operating system gives up on a connection
/// (Linux's `TCP_USER_TIMEOUT`; elsewhere the keepalives alone): a network that went away
/// mid-statement is noticed in half a minute rather than a quarter of an hour.
const TCP_USER_TIMEOUT: Duration = Duration::from_secs(30);

/// A connection for the planner's reads and writes.
pub fn connect(spec: &ConnSpec) -> Result<Client, ConnectError> {
    let mut errors = Vec::new();
    for target in spec.targets() {
        match connect_target(spec, target) {
            Ok(client) => return Ok(client),
            Err(e) => errors.push(e),
        }
    }
    Err(ConnectError::all(errors))
}

/// A second connection of its own for `LISTEN`, so notifications keep arriving while the first
/// is busy. It is named `<application_name> (notifications)` in `pg_stat_activity`.
pub fn connect_for_notifications(spec: &ConnSpec) -> Result<Client, ConnectError> {
    let name = format!("{} (notifications)", spec.application_name());
    connect(&spec.clone().with_application_name(name))
}

fn connect_target(spec: &ConnSpec, target: &Target) -> Result<Client, ConnectError> {
    let sslmode = spec.sslmode_for(target);
    let password = password_for(spec, target);
    let attempt = Attempt {
        target,
        user: spec.user(),
        dbname: spec.dbname(),
        sslmode,
        root_cert: spec.root_cert(),
        password: password.source.as_ref(),
        passfile_warning: password.passfile_warning.as_deref(),
        timeout: spec.connect_timeout(),
    };

    let tls = tls::connector(sslmode, spec.root_cert()).map_err(|e| attempt.settings(e))?;
    let mut config = Config::new();
    config
        .user(spec.user())
        .dbname(spec.dbname())
        .port(target.port)
        .application_name(spec.application_name())
        .target_session_attrs(spec.target_session_attrs())
        .channel_binding(spec.channel_binding())
        .ssl_mode(match sslmode {
            SslMode::Disable => WireSslMode::Disable,
            // `Require` asks for TLS and fails if the server will not; how much of the
            // certificate is checked is the TLS connector's business.
            _ => WireSslMode::Require,
        });
    match &target.host {
        Host::Tcp(h) => {
            config.host(h);
        }
        #[cfg(unix)]
        Host::Socket(dir) => {
            config.host_path(dir);
        }
        #[cfg(not(unix))]
        Host::Socket(dir) => {
            return Err(attempt.settings(format!(
                "{} is a Unix socket folder, and this system has no Unix sockets; give a host name",
                dir.display()
            )));
        }
    }
    if let Some(p) = &password.secret {
        config.password(p.expose());
    }
    if let Some(o) = spec.options() {
        config.options(o);
    }
    if let Some(t) = spec.connect_timeout() {
        config.connect_timeout(t);
    }
    let k = spec.keepalives();
    config
        .keepalives(k.enabled)
        .keepalives_idle(k.idle)
        .keepalives_interval(k.interval)
        .keepalives_retries(k.retries)
        .tcp_user_timeout(TCP_USER_TIMEOUT);

    let mut client = within(spec.connect_timeout(), move || match tls {
        Some(tls) => config.connect(tls),
        None => config.connect(NoTls),
    })
    .ok_or_else(|| attempt.timed_out())?
    .map_err(|e| attempt.describe(&e))?;

    let set = spec.session_timeouts().sql(spec.options(), false);
    if !set.is_empty() {
        client
            .batch_execute(&set)
            .map_err(|e| attempt.describe(&e))?;
    }
    Ok(client)
}

/// The password for one host, where it came from, and why the password file was not used if
/// it was not.
struct Password {
    secret: Option<Secret>,
    source: Option<PasswordSource>,
    passfile_warning: Option<String>,
}

/// The spec's password (the URL's or `PGPASSWORD`), else the password file's line for this host.
fn password_for(spec: &ConnSpec, target: &Target) -> Password {
    let mut found = Password {
        secret: spec.password().cloned(),
        source: spec.password_source().cloned(),
        passfile_warning: None,
    };
    let (None, Some(path)) = (&found.secret, spec.passfile()) else {
        return found;
    };
    let key = pgpass::Key {
        host: &host_text(&target.host),
        socket: matches!(target.host, Host::Socket(_)),
        port: target.port,
        dbname: spec.dbname(),
        user: spec.user(),
    };
    match pgpass::lookup(path, &key) {
        Lookup::Found(secret) => {
            found.secret = Some(secret);
            found.source = Some(PasswordSource::Passfile(path.to_path_buf()));
        }
        Lookup::Nothing => {}
        Lookup::Ignored(warning) => found.passfile_warning = Some(warning),
    }
    found
}

/// The host as libpq matches it in the password file: the name, or the socket's folder.
fn host_text(host: &Host) -> String {
    match host {
        Host::Tcp(h) => h.clone(),
        Host::Socket(dir) => dir.to_string_lossy().into_owned(),
    }
}

/// Runs `f` and returns its result, or `None` once `limit` has passed without one.
///
/// The client library's own `connect_timeout` covers only the TCP connect; a server that accepts
/// and then never answers (hung, or a proxy whose far side is gone) would hold the TLS handshake
/// or the sign-in for ever. So the whole attempt runs on a thread of its own and is abandoned at
/// the limit: that thread ends, and closes its socket, when the server or the operating system
/// (keepalives, `TCP_USER_TIMEOUT`) finally gives up.
fn within<T: Send + 'static>(
    limit: Option<Duration>,
    f: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    let Some(limit) = limit else {
        return Some(f());
    };
    let (tx, rx) = mpsc::channel();
    let thread = std::thread::Builder::new()
        .name("releaseday-pg-connect".into())
        .spawn(move || {
            // The receiver is gone if the attempt was abandoned: the result is dropped here.
            let _ = tx.send(f());
        })
        .expect("a thread for the connection attempt");
    match rx.recv_timeout(limit) {
        Ok(result) => Some(result),
        Err(mpsc::RecvTimeoutError::Timeout) => None,
        // The attempt panicked: let the panic go on here, where it belongs.
        Err(mpsc::RecvTimeoutError::Disconnected) => match thread.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the attempt ended without sending its result"),
        },
    }
}
