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
    let t = |v: &str| spec(&format!("postgres://h?connect_timeout={v}"), &env()).connect_timeout();
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
