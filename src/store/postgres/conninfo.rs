//! The connection spec: a `postgres://` URL filled in from the libpq environment and libpq's
//! defaults, the way `psql` would fill it in, so a team database set up for `psql` works here.
//!
//! Each setting comes from the first of: the URL (its query parameters beating its other parts),
//! the libpq variable, the default.
//!
//! | setting | variable | default |
//! |---|---|---|
//! | host(s) | `PGHOST` | the local socket folder (`/var/run/postgresql` or `/tmp`) where a server's socket is, else `localhost` |
//! | port(s) | `PGPORT` | 5432 |
//! | user | `PGUSER` | the operating-system user |
//! | dbname | `PGDATABASE` | the user name |
//! | password | `PGPASSWORD` | the password file (`passfile`, `PGPASSFILE`, `~/.pgpass`) |
//! | sslmode | `PGSSLMODE` | `disable` on this machine, `verify-full` for any other host |
//! | sslrootcert | `PGSSLROOTCERT` | `~/.postgresql/root.crt` if it exists, else the system's store |
//! | connect_timeout | `PGCONNECT_TIMEOUT` | 5 seconds |
//! | application_name | `PGAPPNAME` | `fallback_application_name`, else `releaseday` |
//! | options | `PGOPTIONS` | none |
//!
//! Nothing here reads the process environment or the network; `Env` brings the environment in.

use super::env::{user_files, Env};
use super::session::SessionTimeouts;
use super::tls::{RootCert, SslMode};
use super::url::{self, UrlParts};
use super::{Secret, SpecError};
use ::postgres::config::{ChannelBinding, TargetSessionAttrs};
use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

pub const DEFAULT_PORT: u16 = 5432;

/// How long to wait for a server before giving up, unless `connect_timeout` says otherwise.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Where libpq looks for a server's Unix socket when no host is given (Debian's, then upstream's).
#[cfg(unix)]
const SOCKET_DIRS: [&str; 2] = ["/var/run/postgresql", "/tmp"];

/// The settings this module reads, with the libpq variable that fills each in.
const SETTINGS: [(&str, Option<&str>); 19] = [
    ("host", Some("PGHOST")),
    ("port", Some("PGPORT")),
    ("user", Some("PGUSER")),
    ("dbname", Some("PGDATABASE")),
    ("password", Some("PGPASSWORD")),
    ("passfile", Some("PGPASSFILE")),
    ("sslmode", Some("PGSSLMODE")),
    ("sslrootcert", Some("PGSSLROOTCERT")),
    ("connect_timeout", Some("PGCONNECT_TIMEOUT")),
    ("application_name", Some("PGAPPNAME")),
    ("fallback_application_name", None),
    ("options", Some("PGOPTIONS")),
    ("target_session_attrs", Some("PGTARGETSESSIONATTRS")),
    ("channel_binding", Some("PGCHANNELBINDING")),
    ("gssencmode", Some("PGGSSENCMODE")),
    ("keepalives", None),
    ("keepalives_idle", None),
    ("keepalives_interval", None),
    ("keepalives_count", None),
];

/// libpq settings that releaseday refuses rather than ignore, so nobody believes they apply.
const UNSUPPORTED: [&str; 22] = [
    "hostaddr",
    "service",
    "sslcert",
    "sslkey",
    "sslpassword",
    "sslcertmode",
    "sslcrl",
    "sslcrldir",
    "sslsni",
    "sslcompression",
    "sslnegotiation",
    "ssl_min_protocol_version",
    "ssl_max_protocol_version",
    "requirepeer",
    "require_auth",
    "krbsrvname",
    "gsslib",
    "gssdelegation",
    "replication",
    "tcp_user_timeout",
    "load_balance_hosts",
    "client_encoding",
];

/// Where a password came from, to say so when the server turns it down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordSource {
    Url,
    Pgpassword,
    Passfile(PathBuf),
}

impl fmt::Display for PasswordSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PasswordSource::Url => f.write_str("the URL"),
            PasswordSource::Pgpassword => f.write_str("PGPASSWORD"),
            PasswordSource::Passfile(p) => write!(f, "the password file {}", p.display()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host {
    /// A host name or IP address, reached over TCP.
    Tcp(String),
    /// The folder holding a server's Unix socket (`.s.PGSQL.<port>`).
    Socket(PathBuf),
}

/// One server to try: libpq tries each host of a list in turn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub host: Host,
    pub port: u16,
}

impl Target {
    /// On this machine: a Unix socket, `localhost`, 127.0.0.0/8 or `::1`.
    pub fn is_local(&self) -> bool {
        match &self.host {
            Host::Socket(_) => true,
            Host::Tcp(name) => is_local_name(name),
        }
    }
}

fn is_local_name(name: &str) -> bool {
    if name.eq_ignore_ascii_case("localhost") || name.eq_ignore_ascii_case("localhost.") {
        return true;
    }
    match name.parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => v4.is_loopback(),
        Ok(IpAddr::V6(v6)) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        Err(_) => false,
    }
}

/// `db.example:5432`, `[::1]:5432`, or the socket file `/var/run/postgresql/.s.PGSQL.5432`.
impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.host {
            Host::Tcp(h) if h.contains(':') => write!(f, "[{h}]:{}", self.port),
            Host::Tcp(h) => write!(f, "{h}:{}", self.port),
            Host::Socket(dir) => write!(
                f,
                "{}",
                dir.join(format!(".s.PGSQL.{}", self.port)).display()
            ),
        }
    }
}

/// TCP keepalives, so a connection whose network has gone is noticed within half a minute
/// (the operating system's default is two hours).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keepalives {
    pub enabled: bool,
    pub idle: Duration,
    pub interval: Duration,
    pub retries: u32,
}

impl Default for Keepalives {
    fn default() -> Self {
        Keepalives {
            enabled: true,
            idle: Duration::from_secs(10),
            interval: Duration::from_secs(5),
            retries: 3,
        }
    }
}

/// Everything needed to connect to a team database. Its `Debug` and `Display` never show the
/// password; `Display` is the URL without it (`postgres://priya@db.example:5432/releaseday`).
#[derive(Debug, Clone)]
pub struct ConnSpec {
    targets: Vec<Target>,
    user: String,
    dbname: String,
    password: Option<(Secret, PasswordSource)>,
    passfile: Option<PathBuf>,
    sslmode: Option<(SslMode, String)>,
    root_cert: Option<RootCert>,
    connect_timeout: Option<Duration>,
    application_name: String,
    options: Option<String>,
    target_session_attrs: TargetSessionAttrs,
    channel_binding: ChannelBinding,
    keepalives: Keepalives,
    session: SessionTimeouts,
}

/// Reads one setting: the URL's value, else the variable's, with where it came from.
struct Settings<'a> {
    url: &'a UrlParts,
    env: &'a Env,
}

impl<'a> Settings<'a> {
    fn get(&self, keyword: &str) -> Option<(&'a str, String)> {
        if let Some(v) = self.url.get(keyword) {
            return Some((v, "from the URL".to_string()));
        }
        let var = SETTINGS.iter().find(|(k, _)| *k == keyword)?.1?;
        self.env.var(var).map(|v| (v, format!("from {var}")))
    }

    /// A whole number of seconds.
    fn seconds(&self, keyword: &str) -> Result<Option<i64>, SpecError> {
        self.get(keyword)
            .map(|(v, from)| {
                v.trim().parse::<i64>().map_err(|_| {
                    SpecError::new(format!(
                        "{keyword}={v} ({from}) is not a whole number of seconds"
                    ))
                })
            })
            .transpose()
    }

    fn choice<T: Copy>(
        &self,
        keyword: &str,
        choices: &[(&str, T)],
    ) -> Result<Option<T>, SpecError> {
        let Some((v, from)) = self.get(keyword) else {
            return Ok(None);
        };
        choices
            .iter()
            .find(|(name, _)| *name == v)
            .map(|(_, t)| Some(*t))
            .ok_or_else(|| {
                let names: Vec<_> = choices.iter().map(|(n, _)| *n).collect();
                SpecError::new(format!(
                    "{keyword}={v} ({from}) is not one releaseday supports; use {}",
                    names.join(", ")
                ))
            })
    }
}

impl ConnSpec {
    /// The spec for `url`, filled in from `env` and libpq's defaults. The URL may be as short as
    /// `postgres://` (everything from the environment).
    pub fn parse(url: &str, env: &Env) -> Result<ConnSpec, SpecError> {
        let parts = url::parse(url)?;
        check_keywords(&parts)?;
        let s = Settings { url: &parts, env };

        let hosts: Vec<&str> = s
            .get("host")
            .map_or(vec![""], |(v, _)| v.split(',').collect());
        let (ports, ports_from) = s
            .get("port")
            .map_or((vec![""], String::new()), |(v, from)| {
                (v.split(',').collect(), from)
            });
        if ports.len() != 1 && ports.len() != hosts.len() {
            return Err(SpecError::new(format!(
                "{} hosts but {} ports were given; give one port for all, or one for each host",
                hosts.len(),
                ports.len()
            )));
        }
        let mut targets = Vec::with_capacity(hosts.len());
        for (i, host) in hosts.iter().enumerate() {
            let port = match ports[if ports.len() == 1 { 0 } else { i }].trim() {
                "" => DEFAULT_PORT,
                p => p.parse::<u16>().ok().filter(|&n| n > 0).ok_or_else(|| {
                    SpecError::new(format!(
                        "port {p} ({ports_from}) is not a port number (1 to 65535)"
                    ))
                })?,
            };
            let host = match *host {
                "" => default_host(port, env),
                h if h.starts_with('/') => Host::Socket(PathBuf::from(h)),
                h => Host::Tcp(h.to_string()),
            };
            targets.push(Target { host, port });
        }

        let user = s
            .get("user")
            .map_or_else(|| env.os_user().to_string(), |(v, _)| v.to_string());
        let dbname = s
            .get("dbname")
            .map_or_else(|| user.clone(), |(v, _)| v.to_string());
        let password = parts
            .get("password")
            .map(|p| (Secret::new(p.to_string()), PasswordSource::Url))
            .or_else(|| {
                env.var("PGPASSWORD")
                    .map(|p| (Secret::new(p.to_string()), PasswordSource::Pgpassword))
            });
        let files = user_files(env);
        let passfile = s
            .get("passfile")
            .map(|(v, _)| PathBuf::from(v))
            .or(files.passfile);
        let sslmode = s
            .get("sslmode")
            .map(|(v, from)| SslMode::parse(v, &from).map(|m| (m, from)))
            .transpose()?;
        let root_cert = match s.get("sslrootcert") {
            Some(("system", _)) => Some(RootCert::System),
            Some((path, _)) => Some(RootCert::File(PathBuf::from(path))),
            None => files
                .root_cert
                .filter(|p| env.exists(p))
                .map(RootCert::File),
        };
        let connect_timeout = match s.seconds("connect_timeout")? {
            None => Some(DEFAULT_CONNECT_TIMEOUT),
            // libpq: zero or less waits for ever; one second is taken as two.
            Some(n) if n <= 0 => None,
            Some(n) => Some(Duration::from_secs(n.max(2) as u64)),
        };
        let application_name = s
            .get("application_name")
            .or_else(|| s.get("fallback_application_name"))
            .map_or("releaseday", |(v, _)| v)
            .to_string();
        let options = s.get("options").map(|(v, _)| v.to_string());
        let target_session_attrs = s
            .choice(
                "target_session_attrs",
                &[
                    ("any", TargetSessionAttrs::Any),
                    ("read-write", TargetSessionAttrs::ReadWrite),
                    ("read-only", TargetSessionAttrs::ReadOnly),
                ],
            )?
            .unwrap_or(TargetSessionAttrs::Any);
        let channel_binding = s
            .choice(
                "channel_binding",
                &[
                    ("disable", ChannelBinding::Disable),
                    ("prefer", ChannelBinding::Prefer),
                    ("require", ChannelBinding::Require),
                ],
            )?
            .unwrap_or(ChannelBinding::Prefer);
        // Without GSSAPI in this build, `prefer` is what `disable` is; `require` cannot be met.
        s.choice("gssencmode", &[("disable", ()), ("prefer", ())])?;
        let mut keepalives = Keepalives::default();
        if let Some(on) = s.choice("keepalives", &[("0", false), ("1", true)])? {
            keepalives.enabled = on;
        }
        for (keyword, field) in [
            ("keepalives_idle", &mut keepalives.idle),
            ("keepalives_interval", &mut keepalives.interval),
        ] {
            if let Some(n) = s.seconds(keyword)? {
                *field = Duration::from_secs(n.max(1) as u64);
            }
        }
        if let Some(n) = s.seconds("keepalives_count")? {
            keepalives.retries = n.clamp(1, 1000) as u32;
        }

        Ok(ConnSpec {
            targets,
            user,
            dbname,
            password,
            passfile,
            sslmode,
            root_cert,
            connect_timeout,
            application_name,
            options,
            target_session_attrs,
            channel_binding,
            keepalives,
            session: SessionTimeouts::default(),
        })
    }

    /// The servers to try, in order.
    pub fn targets(&self) -> &[Target] {
        &self.targets
    }

    pub fn user(&self) -> &str {
        &self.user
    }

    pub fn dbname(&self) -> &str {
        &self.dbname
    }

    /// Where the password came from, if one was given (the URL or `PGPASSWORD`); the password
    /// file is read only when connecting, per host.
    pub fn password_source(&self) -> Option<&PasswordSource> {
        self.password.as_ref().map(|(_, from)| from)
    }

    pub(super) fn password(&self) -> Option<&Secret> {
        self.password.as_ref().map(|(p, _)| p)
    }

    /// The password file to look in when no password was given.
    pub fn passfile(&self) -> Option<&std::path::Path> {
        self.passfile.as_deref()
    }

    /// The sslmode for `target`: the one given, else `disable` on this machine and
    /// `verify-full` for any other host. A Unix socket is never encrypted (the server offers no
    /// TLS there, and nothing leaves the machine), whatever was given.
    pub fn sslmode_for(&self, target: &Target) -> SslMode {
        match (&target.host, &self.sslmode) {
            (Host::Socket(_), _) => SslMode::Disable,
            (_, Some((mode, _))) => *mode,
            _ if target.is_local() => SslMode::Disable,
            _ => SslMode::VerifyFull,
        }
    }

    pub fn root_cert(&self) -> Option<&RootCert> {
        self.root_cert.as_ref()
    }

    /// `None`: wait for ever (`connect_timeout=0`, as libpq).
    pub fn connect_timeout(&self) -> Option<Duration> {
        self.connect_timeout
    }

    pub fn application_name(&self) -> &str {
        &self.application_name
    }

    pub fn options(&self) -> Option<&str> {
        self.options.as_deref()
    }

    pub fn target_session_attrs(&self) -> TargetSessionAttrs {
        self.target_session_attrs
    }

    pub fn channel_binding(&self) -> ChannelBinding {
        self.channel_binding
    }

    pub fn keepalives(&self) -> Keepalives {
        self.keepalives
    }

    /// The statement, lock and idle-in-transaction timeouts every session starts with.
    pub fn session_timeouts(&self) -> SessionTimeouts {
        self.session
    }

    /// The same spec with other session timeouts (a test, or a tool that must wait longer).
    pub fn with_session_timeouts(mut self, session: SessionTimeouts) -> ConnSpec {
        self.session = session;
        self
    }

    /// The same spec with another application name (the notification connection's).
    pub(super) fn with_application_name(mut self, name: String) -> ConnSpec {
        self.application_name = name;
        self
    }
}

/// The URL without its password: `postgres://priya@db.example:5432/releaseday`.
impl fmt::Display for ConnSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hosts: Vec<String> = self
            .targets
            .iter()
            .map(|t| match &t.host {
                Host::Tcp(h) if h.contains(':') => format!("[{h}]:{}", t.port),
                Host::Tcp(h) => format!("{}:{}", url::encode(h), t.port),
                Host::Socket(dir) => format!("{}:{}", url::encode(&dir.to_string_lossy()), t.port),
            })
            .collect();
        write!(
            f,
            "postgres://{}@{}/{}",
            url::encode(&self.user),
            hosts.join(","),
            url::encode(&self.dbname)
        )
    }
}

/// With no host: the first default socket folder that holds this port's server socket, else
/// `localhost` (always `localhost` on Windows, which has no such sockets).
fn default_host(port: u16, env: &Env) -> Host {
    #[cfg(unix)]
    for dir in SOCKET_DIRS {
        let dir = PathBuf::from(dir);
        if env.exists(&dir.join(format!(".s.PGSQL.{port}"))) {
            return Host::Socket(dir);
        }
    }
    let _ = (port, env);
    Host::Tcp("localhost".to_string())
}

/// Every setting in the URL is one this module reads, or is refused by name. A value is never
/// quoted: a misspelt `password` would otherwise print the password.
fn check_keywords(parts: &UrlParts) -> Result<(), SpecError> {
    for (key, _) in &parts.params {
        if SETTINGS.iter().any(|(k, _)| k == key) {
            continue;
        }
        if UNSUPPORTED.contains(&key.as_str()) {
            return Err(SpecError::new(format!(
                "the connection setting {key} is not supported by releaseday (see \
                 \"Connecting to a team database\" in its README)"
            )));
        }
        return Err(SpecError::new(format!(
            "{key} is not a connection setting; check its spelling (settings are libpq's: host, \
             port, dbname, user, sslmode, sslrootcert, connect_timeout, application_name, \
             options, ...)"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
