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
mod tests {
    use super::*;
    use std::path::Path;

    fn env() -> Env {
        Env::empty("priya")
    }

    fn spec(url: &str, env: &Env) -> ConnSpec {
        ConnSpec::parse(url, env).unwrap_or_else(|e| panic!("{url}: {e}"))
    }

    fn err(url: &str, env: &Env) -> String {
        ConnSpec::parse(url, env).unwrap_err().to_string()
    }

    fn tcp(h: &str, port: u16) -> Target {
        Target {
            host: Host::Tcp(h.into()),
            port,
        }
    }

    #[test]
    fn a_full_url_is_taken_as_given() {
        let s = spec(
            "postgres://sam:pw@db.example:6543/team?sslmode=verify-ca&connect_timeout=9&application_name=desk&options=-c%20search_path%3Dx",
            &env(),
        );
        assert_eq!(s.targets(), &[tcp("db.example", 6543)]);
        assert_eq!(s.user(), "sam");
        assert_eq!(s.dbname(), "team");
        assert_eq!(s.password().unwrap().expose(), "pw");
        assert_eq!(s.password_source(), Some(&PasswordSource::Url));
        assert_eq!(s.sslmode_for(&s.targets()[0]), SslMode::VerifyCa);
        assert_eq!(s.connect_timeout(), Some(Duration::from_secs(9)));
        assert_eq!(s.application_name(), "desk");
        assert_eq!(s.options(), Some("-c search_path=x"));
    }

    #[test]
    fn libpq_defaults_fill_in_an_empty_url() {
        let s = spec("postgres://", &env());
        assert_eq!(s.targets(), &[tcp("localhost", 5432)]);
        assert_eq!(s.user(), "priya", "the operating-system user");
        assert_eq!(s.dbname(), "priya", "the user name");
        assert!(s.password().is_none());
        assert_eq!(s.connect_timeout(), Some(DEFAULT_CONNECT_TIMEOUT));
        assert_eq!(s.application_name(), "releaseday");
        assert_eq!(s.options(), None);
        assert_eq!(s.root_cert(), None);
        assert_eq!(s.target_session_attrs(), TargetSessionAttrs::Any);
    }

    #[cfg(unix)]
    #[test]
    fn the_default_host_is_a_socket_folder_holding_that_ports_socket() {
        let with = |sockets: &'static [&'static str]| {
            env().with_files(move |p: &Path| sockets.iter().any(|s| p == Path::new(s)))
        };
        let e = with(&["/var/run/postgresql/.s.PGSQL.5432", "/tmp/.s.PGSQL.5432"]);
        assert_eq!(
            spec("postgres:///db", &e).targets()[0].host,
            Host::Socket("/var/run/postgresql".into())
        );
        let e = with(&["/tmp/.s.PGSQL.5433"]);
        let s = spec("postgres://:5433/db", &e);
        assert_eq!(s.targets()[0].host, Host::Socket("/tmp".into()));
        assert_eq!(s.targets()[0].to_string(), "/tmp/.s.PGSQL.5433");
        // The socket of another port does not count.
        assert_eq!(
            spec("postgres:///db", &e).targets()[0].host,
            Host::Tcp("localhost".into())
        );
    }

    #[test]
    fn the_environment_fills_what_the_url_leaves_out() {
        let e = env()
            .with_var("PGHOST", "env.example")
            .with_var("PGPORT", "6000")
            .with_var("PGUSER", "sam")
            .with_var("PGDATABASE", "envdb")
            .with_var("PGPASSWORD", "from-env")
            .with_var("PGSSLMODE", "require")
            .with_var("PGSSLROOTCERT", "/etc/ca.pem")
            .with_var("PGCONNECT_TIMEOUT", "12")
            .with_var("PGAPPNAME", "envapp")
            .with_var("PGOPTIONS", "-c work_mem=8MB")
            .with_var("PGPASSFILE", "/etc/pgpass");
        let s = spec("postgres://", &e);
        assert_eq!(s.targets(), &[tcp("env.example", 6000)]);
        assert_eq!((s.user(), s.dbname()), ("sam", "envdb"));
        assert_eq!(s.password().unwrap().expose(), "from-env");
        assert_eq!(s.password_source(), Some(&PasswordSource::Pgpassword));
        assert_eq!(s.sslmode_for(&s.targets()[0]), SslMode::Require);
        assert_eq!(s.root_cert(), Some(&RootCert::File("/etc/ca.pem".into())));
        assert_eq!(s.connect_timeout(), Some(Duration::from_secs(12)));
        assert_eq!(s.application_name(), "envapp");
        assert_eq!(s.options(), Some("-c work_mem=8MB"));
        assert_eq!(s.passfile(), Some(Path::new("/etc/pgpass")));

        // The URL beats every variable.
        let s = spec(
            "postgres://ann:url-pw@url.example:7000/urldb?sslmode=verify-full&sslrootcert=system&connect_timeout=3&application_name=urlapp&passfile=/p",
            &e,
        );
        assert_eq!(s.targets(), &[tcp("url.example", 7000)]);
        assert_eq!((s.user(), s.dbname()), ("ann", "urldb"));
        assert_eq!(s.password().unwrap().expose(), "url-pw");
        assert_eq!(s.sslmode_for(&s.targets()[0]), SslMode::VerifyFull);
        assert_eq!(s.root_cert(), Some(&RootCert::System));
        assert_eq!(s.connect_timeout(), Some(Duration::from_secs(3)));
        assert_eq!(s.application_name(), "urlapp");
        assert_eq!(s.passfile(), Some(Path::new("/p")));

        // A URL host without a port takes PGPORT; a user without a dbname names the dbname.
        let s = spec("postgres://ann@url.example", &e);
        assert_eq!(s.targets(), &[tcp("url.example", 6000)]);
        assert_eq!(s.dbname(), "envdb");
        let s = spec("postgres://ann@url.example", &env());
        assert_eq!(s.dbname(), "ann");
    }

    #[test]
    fn several_hosts_and_ports() {
        let s = spec("postgres://a.example:5433,b.example/db", &env());
        assert_eq!(
            s.targets(),
            &[tcp("a.example", 5433), tcp("b.example", 5432)]
        );
        let s = spec("postgres:///db?host=a,b&port=6000", &env());
        assert_eq!(s.targets(), &[tcp("a", 6000), tcp("b", 6000)]);
        let e = env().with_var("PGHOST", "a,/tmp").with_var("PGPORT", "1,2");
        let s = spec("postgres:///db", &e);
        assert_eq!(s.targets()[0], tcp("a", 1));
        assert_eq!(
            s.targets()[1],
            Target {
                host: Host::Socket("/tmp".into()),
                port: 2
            }
        );
        let e = err("postgres:///db?host=a,b,c&port=1,2", &env());
        assert!(e.contains("3 hosts but 2 ports"), "{e}");
    }

    #[test]
    fn sockets_and_ipv6() {
        let s = spec("postgres://%2Fvar%2Frun%2Fpostgresql:5433/db", &env());
        assert_eq!(
            s.targets()[0].host,
            Host::Socket("/var/run/postgresql".into())
        );
        assert_eq!(s.targets()[0].port, 5433);
        let s = spec("postgresql://[::1]:6000/db", &env());
        assert_eq!(s.targets(), &[tcp("::1", 6000)]);
        assert_eq!(s.targets()[0].to_string(), "[::1]:6000");
    }

    #[test]
    fn verify_full_by_default_for_any_host_not_on_this_machine() {
        let s = spec("postgres://", &env());
        for host in [
            "db.example",
            "10.0.0.5",
            "192.168.1.20",
            "2001:db8::1",
            "localhost.example",
            "127.example",
        ] {
            assert_eq!(
                s.sslmode_for(&tcp(host, 5432)),
                SslMode::VerifyFull,
                "{host}"
            );
        }
        for host in [
            "localhost",
            "LOCALHOST",
            "127.0.0.1",
            "127.1.2.3",
            "::1",
            "::ffff:127.0.0.1",
        ] {
            assert_eq!(s.sslmode_for(&tcp(host, 5432)), SslMode::Disable, "{host}");
        }
        let socket = Target {
            host: Host::Socket("/tmp".into()),
            port: 5432,
        };
        assert_eq!(s.sslmode_for(&socket), SslMode::Disable);
        // A given sslmode applies to every TCP host; a socket is never encrypted.
        let s = spec("postgres://?sslmode=require", &env());
        assert_eq!(s.sslmode_for(&tcp("localhost", 5432)), SslMode::Require);
        assert_eq!(s.sslmode_for(&tcp("db.example", 5432)), SslMode::Require);
        assert_eq!(s.sslmode_for(&socket), SslMode::Disable);
    }

    #[test]
    fn prefer_and_allow_are_refused_saying_where_they_came_from() {
        let e = err("postgres://db.example?sslmode=prefer", &env());
        assert!(e.contains("sslmode=prefer (from the URL)"), "{e}");
        let e = err(
            "postgres://db.example",
            &env().with_var("PGSSLMODE", "allow"),
        );
        assert!(e.contains("sslmode=allow (from PGSSLMODE)"), "{e}");
    }

    #[test]
    fn root_crt_in_the_home_folder_is_used_when_it_exists() {
        let e = env()
            .with_home(Path::new("/home/priya"))
            .with_files(|p: &Path| p == Path::new("/home/priya/.postgresql/root.crt"));
        let s = spec("postgres://db.example", &e);
        assert_eq!(
            s.root_cert(),
            Some(&RootCert::File("/home/priya/.postgresql/root.crt".into()))
        );
        assert_eq!(s.passfile(), Some(Path::new("/home/priya/.pgpass")));
        let s = spec(
            "postgres://db.example",
            &env().with_home(Path::new("/home/priya")),
        );
        assert_eq!(s.root_cert(), None, "no file, the system's store");
    }

    #[test]
    fn connect_timeout_follows_libpq() {
        let t =
            |v: &str| spec(&format!("postgres://h?connect_timeout={v}"), &env()).connect_timeout();
        assert_eq!(t("0"), None);
        assert_eq!(t("-3"), None);
        assert_eq!(t("1"), Some(Duration::from_secs(2)));
        assert_eq!(t("30"), Some(Duration::from_secs(30)));
        let e = err("postgres://h?connect_timeout=soon", &env());
        assert!(
            e.contains("connect_timeout=soon (from the URL) is not a whole number"),
            "{e}"
        );
    }

    #[test]
    fn other_libpq_settings() {
        let s = spec(
            "postgres://h?target_session_attrs=read-write&channel_binding=require&keepalives=0&keepalives_idle=60&gssencmode=disable&fallback_application_name=fb",
            &env(),
        );
        assert_eq!(s.target_session_attrs(), TargetSessionAttrs::ReadWrite);
        assert_eq!(s.channel_binding(), ChannelBinding::Require);
        assert!(!s.keepalives().enabled);
        assert_eq!(s.keepalives().idle, Duration::from_secs(60));
        assert_eq!(s.application_name(), "fb");
        let e = err("postgres://h?gssencmode=require", &env());
        assert!(e.contains("gssencmode=require"), "{e}");
        let e = err("postgres://h?target_session_attrs=standby", &env());
        assert!(e.contains("read-write"), "{e}");
    }

    #[test]
    fn bad_ports_and_settings_are_named_but_values_of_unknown_ones_never_shown() {
        let e = err("postgres://h?port=70000", &env());
        assert!(e.contains("port 70000 (from the URL)"), "{e}");
        let e = err("postgres://h", &env().with_var("PGPORT", "0"));
        assert!(e.contains("port 0 (from PGPORT)"), "{e}");
        let e = err("postgres://h?sslcert=/x.pem", &env());
        assert!(e.contains("sslcert is not supported"), "{e}");
        let e = err("postgres://h?pasword=hunter2-secret", &env());
        assert!(e.contains("pasword is not a connection setting"), "{e}");
        assert!(!e.contains("hunter2"), "{e}");
    }

    #[test]
    fn display_and_debug_never_show_the_password() {
        for (url, e) in [
            (
                "postgres://priya:hunter2-secret@db.example/releaseday",
                env(),
            ),
            (
                "postgres://priya@db.example/releaseday?password=hunter2-secret",
                env(),
            ),
            (
                "postgres://priya@db.example/releaseday",
                env().with_var("PGPASSWORD", "hunter2-secret"),
            ),
        ] {
            let s = spec(url, &e);
            assert_eq!(s.password().unwrap().expose(), "hunter2-secret");
            assert_eq!(s.to_string(), "postgres://priya@db.example:5432/releaseday");
            let debug = format!("{s:?} {s:#?}");
            assert!(!debug.contains("hunter2"), "{debug}");
            assert!(debug.contains("redacted"), "{debug}");
        }
    }

    #[test]
    fn display_encodes_sockets_ipv6_and_odd_names() {
        let s = spec(
            "postgres://pri%40ya@%2Fvar%2Frun%2Fpostgresql,[::1]:6000/release%20day",
            &env(),
        );
        assert_eq!(
            s.to_string(),
            "postgres://pri%40ya@%2Fvar%2Frun%2Fpostgresql:5432,[::1]:6000/release%20day"
        );
    }
}
