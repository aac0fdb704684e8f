//! Connecting to a team database as PostgreSQL users expect, against real servers: the shared
//! throwaway server of `.ci/postgres` (password sign-in over TCP for every role but the
//! superuser), and a TLS server of this file's own with a throwaway certificate authority.
//!
//! Every check signs in as a login role made for the test, with a password; the superuser only
//! sets things up. The environment handed to the spec is built here (`Env::empty`), so nothing
//! from the machine running the tests (its PGPASSWORD, its ~/.pgpass) leaks in.
//!
//! Run with a server: `bash -c 'source .ci/postgres; cargo test --test pg_connect'`.

#![cfg(feature = "postgres")]

#[path = "common/pg.rs"]
mod pg;

use postgres::error::SqlState;
use postgres::fallible_iterator::FallibleIterator;
use postgres::Client;
use releaseday::store::postgres::{
    connect, connect_for_notifications, ConnSpec, ConnectError, ConnectErrorKind, Env,
    SessionTimeouts,
};
#[cfg(unix)]
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

/// The operating-system user the specs see, so no default comes from the real machine.
const OS_USER: &str = "rd_nobody";

fn env() -> Env {
    Env::empty(OS_USER)
}

fn spec(url: &str, env: &Env) -> ConnSpec {
    ConnSpec::parse(url, env).unwrap_or_else(|e| panic!("{e}"))
}

fn text(client: &mut Client, sql: &str) -> String {
    client.query_one(sql, &[]).unwrap().get(0)
}

/// Whether this session is encrypted, as the server sees it.
fn encrypted(client: &mut Client) -> bool {
    client
        .query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .unwrap()
        .get(0)
}

fn refused(spec: &ConnSpec) -> ConnectError {
    match connect(spec) {
        Ok(_) => panic!("{spec} connected, and should not have"),
        Err(e) => e,
    }
}

/// Neither the error's sentence nor its Debug form holds `secret`.
fn assert_hides(e: &ConnectError, secret: &str) {
    let shown = format!("{e} {e:?}");
    assert!(!shown.contains(secret), "the password shows in: {shown}");
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn pgpassword_signs_in_and_a_local_host_is_unencrypted_by_default() {
    let Some(pg) = pg::server("pgpassword_signs_in") else {
        return;
    };
    let role = pg.role("pgpassword", "Correct-Horse-1");
    let db = pg.database("pgpassword");
    let e = env().with_var("PGPASSWORD", "Correct-Horse-1");
    let s = spec(&pg.url(&role, &db, ""), &e);
    let mut c = connect(&s).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(text(&mut c, "SELECT current_user::text"), role.name);
    assert_eq!(text(&mut c, "SELECT current_database()::text"), db.name);
    assert_eq!(text(&mut c, "SHOW application_name"), "releaseday");
    assert!(!encrypted(&mut c), "127.0.0.1 defaults to sslmode=disable");
}

#[test]
fn the_environment_names_the_server_role_and_database() {
    let Some(pg) = pg::server("the_environment_names") else {
        return;
    };
    let role = pg.role("envonly", "Env-Only-2");
    let db = pg.database("envonly");
    let e = env()
        .with_var("PGHOST", &pg.host)
        .with_var("PGPORT", &pg.port.to_string())
        .with_var("PGUSER", &role.name)
        .with_var("PGDATABASE", &db.name)
        .with_var("PGPASSWORD", "Env-Only-2")
        .with_var("PGAPPNAME", "duty desk 7");
    let mut c = connect(&spec("postgres://", &e)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(text(&mut c, "SELECT current_user::text"), role.name);
    assert_eq!(text(&mut c, "SELECT current_database()::text"), db.name);
    assert_eq!(text(&mut c, "SHOW application_name"), "duty desk 7");
}

#[test]
fn a_percent_encoded_password_in_the_url_signs_in() {
    let Some(pg) = pg::server("a_percent_encoded_password") else {
        return;
    };
    let password = "p@ss/w:rd%1 ok?";
    let role = pg.role("urlpass", password);
    let db = pg.database("urlpass");
    let url = format!(
        "postgres://{}:p%40ss%2Fw%3Ard%251%20ok%3F@{}:{}/{}",
        role.name, pg.host, pg.port, db.name
    );
    let s = spec(&url, &env());
    assert!(!format!("{s} {s:?}").contains("ss/w"), "{s:?}");
    let mut c = connect(&s).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(text(&mut c, "SELECT current_user::text"), role.name);
}

#[cfg(unix)]
#[test]
fn a_private_pgpass_signs_in_first_matching_line_wins() {
    let Some(pg) = pg::server("a_private_pgpass") else {
        return;
    };
    let role = pg.role("pgpass", r"pa:ss\word");
    let db = pg.database("pgpass");
    let home = tempfile::tempdir().unwrap();
    let lines = format!(
        "# team database\n\
         {host}:{port}:some_other_db:{role}:wrong-one\n\
         {host}:{port}:{db}:{role}:pa\\:ss\\\\word\n\
         *:*:*:*:wrong-two\n",
        host = pg.host,
        port = pg.port,
        role = role.name,
        db = db.name
    );
    // PGPASSFILE names it...
    let named = home.path().join("team-pgpass");
    write_private(&named, &lines, 0o600);
    let e = env().with_var("PGPASSFILE", named.to_str().unwrap());
    let mut c = connect(&spec(&pg.url(&role, &db, ""), &e)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(text(&mut c, "SELECT current_user::text"), role.name);
    // ...or it is ~/.pgpass.
    write_private(&home.path().join(".pgpass"), &lines, 0o600);
    let e = env().with_home(home.path());
    let mut c = connect(&spec(&pg.url(&role, &db, ""), &e)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(text(&mut c, "SELECT current_user::text"), role.name);
}

#[cfg(unix)]
#[test]
fn a_pgpass_other_users_can_read_is_not_used_and_the_error_says_chmod() {
    let Some(pg) = pg::server("a_pgpass_other_users_can_read") else {
        return;
    };
    let role = pg.role("openpgpass", "Open-Secret-3");
    let db = pg.database("openpgpass");
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join(".pgpass");
    write_private(&path, "*:*:*:*:Open-Secret-3\n", 0o640);
    let s = spec(&pg.url(&role, &db, ""), &env().with_home(home.path()));
    let e = refused(&s);
    assert_eq!(e.kind(), ConnectErrorKind::Authentication);
    let shown = e.to_string();
    assert!(
        shown.contains(&format!(
            "the server asks for a password and none was given: the password file {} was not \
             used because other users can open it (mode 0640)",
            path.display()
        )),
        "{shown}"
    );
    assert!(
        shown.contains(&format!("chmod 0600 {}", path.display())),
        "{shown}"
    );
    assert!(shown.contains("mode 0640"), "{shown}");
    assert_hides(&e, "Open-Secret-3");
    // Made private, the same file signs in.
    write_private(&path, "*:*:*:*:Open-Secret-3\n", 0o600);
    connect(&s).unwrap_or_else(|e| panic!("{e}"));
}

#[cfg(unix)]
#[test]
fn a_wrong_password_is_one_clear_sentence_that_never_shows_it() {
    let Some(pg) = pg::server("a_wrong_password") else {
        return;
    };
    let role = pg.role("wrongpw", "Right-Secret-4");
    let db = pg.database("wrongpw");
    let wrong = "Wrong-Secret-Xyzzy";
    let home = tempfile::tempdir().unwrap();
    let passfile = home.path().join("pgpass");
    write_private(&passfile, &format!("*:*:*:*:{wrong}\n"), 0o600);
    let prefix = format!(
        "could not connect to {}:{} as {}: password authentication failed",
        pg.host, pg.port, role.name
    );
    let cases = [
        (
            format!(
                "postgres://{}:{wrong}@{}:{}/{}",
                role.name, pg.host, pg.port, db.name
            ),
            env(),
            "the URL".to_string(),
        ),
        (
            pg.url(&role, &db, ""),
            env().with_var("PGPASSWORD", wrong),
            "PGPASSWORD".to_string(),
        ),
        (
            pg.url(&role, &db, ""),
            env().with_var("PGPASSFILE", passfile.to_str().unwrap()),
            format!("the password file {}", passfile.display()),
        ),
    ];
    for (url, e, source) in cases {
        let s = spec(&url, &e);
        assert!(!format!("{s} {s:?}").contains(wrong), "{s:?}");
        let err = refused(&s);
        assert_eq!(err.kind(), ConnectErrorKind::Authentication);
        assert_eq!(
            err.to_string(),
            format!("{prefix} (the password came from {source})")
        );
        assert_hides(&err, wrong);
    }
    // No password at all: the server asks, and the sentence says where one can go.
    let err = refused(&spec(&pg.url(&role, &db, ""), &env()));
    assert_eq!(err.kind(), ConnectErrorKind::Authentication);
    assert!(err.to_string().contains("none was given"), "{err}");
}

#[test]
fn a_missing_database_is_named() {
    let Some(pg) = pg::server("a_missing_database") else {
        return;
    };
    let role = pg.role("nodb", "No-Db-5");
    let url = format!(
        "postgres://{}:No-Db-5@{}:{}/rd_no_such_database",
        role.name, pg.host, pg.port
    );
    let e = refused(&spec(&url, &env()));
    assert_eq!(e.kind(), ConnectErrorKind::Refused);
    assert_eq!(
        e.to_string(),
        format!(
            "could not connect to {}:{} as {}: the database \"rd_no_such_database\" does not \
             exist on that server",
            pg.host, pg.port, role.name
        )
    );
}

#[test]
fn nothing_listening_is_named_and_the_next_host_is_tried() {
    let Some(pg) = pg::server("nothing_listening") else {
        return;
    };
    let role = pg.role("hosts", "Two-Hosts-6");
    let db = pg.database("hosts");
    let dead = pg::free_port();
    let e = env().with_var("PGPASSWORD", "Two-Hosts-6");
    let url = format!("postgres://{}@127.0.0.1:{dead}/{}", role.name, db.name);
    let err = refused(&spec(&url, &e));
    assert_eq!(err.kind(), ConnectErrorKind::Unreachable);
    assert!(
        err.to_string().starts_with(&format!(
            "could not connect to 127.0.0.1:{dead} as {}: nothing is listening there \
             (connection refused)",
            role.name
        )),
        "{err}"
    );
    // libpq's host list: the first is down, the second answers.
    let url = format!(
        "postgres://{}@127.0.0.1:{dead},{}:{}/{}",
        role.name, pg.host, pg.port, db.name
    );
    let mut c = connect(&spec(&url, &e)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(text(&mut c, "SELECT current_user::text"), role.name);
}

#[test]
fn a_server_that_never_answers_is_given_up_at_connect_timeout() {
    // A "server" that accepts connections and then says nothing, as a hung one does.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            held.push(stream);
        }
    });
    for sslmode in ["disable", "require"] {
        let url =
            format!("postgres://officer@127.0.0.1:{port}/db?connect_timeout=2&sslmode={sslmode}");
        let s = spec(&url, &env().with_var("PGPASSWORD", "Never-Sent-7"));
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || tx.send(connect(&s).map(|_| ())));
        // Only a bound on the test itself, so a regression fails rather than hangs.
        let result = rx
            .recv_timeout(Duration::from_secs(120))
            .expect("connect never gave up on a server that does not answer");
        let err = result.expect_err("nothing answered, yet it connected");
        assert_eq!(err.kind(), ConnectErrorKind::Timeout, "{err}");
        assert_eq!(
            err.to_string(),
            format!(
                "could not connect to 127.0.0.1:{port} as officer: no answer within 2 seconds \
                 (connect_timeout); the server or the network may be down"
            )
        );
        assert_hides(&err, "Never-Sent-7");
    }
}

#[test]
fn every_session_starts_with_its_timeouts_and_a_long_operation_raises_its_own() {
    let Some(pg) = pg::server("every_session_starts_with_its_timeouts") else {
        return;
    };
    let role = pg.role("timeouts", "Time-Outs-8");
    let db = pg.database("timeouts");
    let e = env().with_var("PGPASSWORD", "Time-Outs-8");
    let mut c = connect(&spec(&pg.url(&role, &db, ""), &e)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(text(&mut c, "SHOW statement_timeout"), "5s");
    assert_eq!(text(&mut c, "SHOW lock_timeout"), "3s");
    assert_eq!(
        text(&mut c, "SHOW idle_in_transaction_session_timeout"),
        "30s"
    );

    let long = SessionTimeouts {
        statement: Duration::from_secs(600),
        lock: Duration::from_secs(30),
        idle_in_transaction: Duration::from_secs(120),
    };
    let mut tx = c.transaction().unwrap();
    long.apply_local(&mut tx).unwrap();
    let shown: String = tx.query_one("SHOW statement_timeout", &[]).unwrap().get(0);
    assert_eq!(shown, "10min");
    tx.commit().unwrap();
    assert_eq!(
        text(&mut c, "SHOW statement_timeout"),
        "5s",
        "back after the transaction"
    );

    // A timeout set in `options` is the user's, and stays.
    let s = spec(
        &pg.url(&role, &db, "options=-c%20statement_timeout%3D60s"),
        &e,
    );
    let mut c = connect(&s).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(text(&mut c, "SHOW statement_timeout"), "1min");
    assert_eq!(text(&mut c, "SHOW lock_timeout"), "3s");
}

#[test]
fn a_held_lock_a_slow_statement_and_an_idle_transaction_are_ended_by_the_server() {
    let Some(pg) = pg::server("a_held_lock") else {
        return;
    };
    let role = pg.role("locks", "Lock-Out-9");
    let db = pg.database("locks");
    pg.admin_on(&db)
        .batch_execute(&format!(
            "CREATE TABLE cases (id int); GRANT ALL ON cases TO {}",
            role.name
        ))
        .unwrap();
    let short = SessionTimeouts {
        statement: Duration::from_millis(300),
        lock: Duration::from_millis(200),
        idle_in_transaction: Duration::from_millis(500),
    };
    let e = env().with_var("PGPASSWORD", "Lock-Out-9");
    let s = spec(&pg.url(&role, &db, ""), &e).with_session_timeouts(short);
    let mut holder = connect(&s).unwrap_or_else(|e| panic!("{e}"));
    let mut waiter = connect(&s).unwrap_or_else(|e| panic!("{e}"));

    let mut tx = holder.transaction().unwrap();
    tx.batch_execute("LOCK TABLE cases IN ACCESS EXCLUSIVE MODE")
        .unwrap();
    let err = waiter.query("SELECT * FROM cases", &[]).unwrap_err();
    assert_eq!(err.code(), Some(&SqlState::LOCK_NOT_AVAILABLE), "{err:?}");
    tx.rollback().unwrap();

    let err = waiter.query("SELECT pg_sleep(30)", &[]).unwrap_err();
    assert_eq!(err.code(), Some(&SqlState::QUERY_CANCELED), "{err:?}");

    // A transaction left open and idle: the server ends the session, releasing its locks.
    let mut tx = holder.transaction().unwrap();
    tx.batch_execute("LOCK TABLE cases IN ACCESS EXCLUSIVE MODE")
        .unwrap();
    std::thread::sleep(Duration::from_secs(2));
    assert!(
        tx.query("SELECT 1", &[]).is_err(),
        "the idle transaction was ended"
    );
    drop(tx);
    assert!(holder.is_closed() || holder.query("SELECT 1", &[]).is_err());
    waiter
        .query("SELECT * FROM cases", &[])
        .expect("the lock was released");
}

#[test]
fn the_notification_connection_receives_what_another_session_sends() {
    let Some(pg) = pg::server("the_notification_connection") else {
        return;
    };
    let role = pg.role("listen", "Listen-10");
    let db = pg.database("listen");
    let e = env().with_var("PGPASSWORD", "Listen-10");
    let s = spec(&pg.url(&role, &db, ""), &e);
    let mut listener = connect_for_notifications(&s).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        text(&mut listener, "SHOW application_name"),
        "releaseday (notifications)"
    );
    listener.batch_execute("LISTEN releaseday_changes").unwrap();
    let mut writer = connect(&s).unwrap_or_else(|e| panic!("{e}"));
    writer
        .batch_execute("NOTIFY releaseday_changes, 'cases'")
        .unwrap();
    // The wait is only a bound, so a lost notification fails rather than hangs.
    let got = listener
        .notifications()
        .timeout_iter(Duration::from_secs(30))
        .next()
        .expect("reading notifications")
        .expect("a notification");
    assert_eq!(got.channel(), "releaseday_changes");
    assert_eq!(got.payload(), "cases");
}

#[cfg(unix)]
#[test]
fn a_unix_socket_folder_in_the_url_connects_and_is_never_encrypted() {
    let Some(pg) = pg::server("a_unix_socket_folder") else {
        return;
    };
    let role = pg.role("socket", "Socket-11");
    let db = pg.database("socket");
    let dir = pg.socket_dir();
    let encoded = dir.to_str().unwrap().replace('/', "%2F");
    for query in ["", "?sslmode=verify-full"] {
        // .ci/postgres trusts local sockets, so no password is needed here.
        let url = format!(
            "postgresql://{}@{encoded}:{}/{}{query}",
            role.name, pg.port, db.name
        );
        let mut c = connect(&spec(&url, &env())).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(text(&mut c, "SELECT current_user::text"), role.name);
        assert!(!encrypted(&mut c));
    }
}

#[test]
fn a_server_without_tls_is_refused_in_every_mode_but_disable() {
    let Some(pg) = pg::server("a_server_without_tls") else {
        return;
    };
    let role = pg.role("notls", "No-Tls-12");
    let db = pg.database("notls");
    let e = env().with_var("PGPASSWORD", "No-Tls-12");
    for mode in ["require", "verify-ca", "verify-full"] {
        let err = refused(&spec(&pg.url(&role, &db, &format!("sslmode={mode}")), &e));
        assert_eq!(err.kind(), ConnectErrorKind::Tls, "{err}");
        assert!(
            err.to_string().contains(&format!(
                "the server does not offer encrypted connections (sslmode={mode})"
            )),
            "{err}"
        );
        assert_hides(&err, "No-Tls-12");
    }
    // A name for this machine other than localhost is "not on this machine" by name alone, so
    // it defaults to verify-full: the same server is refused, not reached in plain text.
    match loopback_hostname() {
        Some(name) => {
            let url = format!("postgres://{}@{name}:{}/{}", role.name, pg.port, db.name);
            let err = refused(&spec(&url, &e));
            assert!(
                err.to_string()
                    .contains("does not offer encrypted connections (sslmode=verify-full)"),
                "{err}"
            );
        }
        None => eprintln!(
            "note: this machine's host name does not resolve to 127.0.0.1, so the default for a \
             host not on this machine was checked by the unit tests only"
        ),
    }
}

/// This machine's host name, when it is not `localhost` and resolves to 127.0.0.1 only.
fn loopback_hostname() -> Option<String> {
    use std::net::ToSocketAddrs;
    let out = Command::new("hostname").output().ok()?;
    let name = String::from_utf8(out.stdout).ok()?.trim().to_string();
    if name.is_empty() || name.eq_ignore_ascii_case("localhost") {
        return None;
    }
    let addrs: Vec<_> = (name.as_str(), 5432).to_socket_addrs().ok()?.collect();
    let all_v4_loopback = !addrs.is_empty()
        && addrs
            .iter()
            .all(|a| a.ip() == std::net::IpAddr::from([127, 0, 0, 1]));
    all_v4_loopback.then_some(name)
}

/// A throwaway certificate authority and a certificate for `localhost` signed by it, made with
/// the `openssl` command.
#[cfg(unix)]
struct Certificates {
    dir: tempfile::TempDir,
}

#[cfg(unix)]
impl Certificates {
    fn make() -> Certificates {
        let dir = tempfile::tempdir().unwrap();
        let run = |args: &[&str]| {
            let out = Command::new("openssl")
                .args(args)
                .current_dir(dir.path())
                .output()
                .expect("the openssl command (apt-get install openssl)");
            assert!(
                out.status.success(),
                "openssl {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        let ec = [
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
        ];
        for ca in ["ca", "other-ca"] {
            let mut args = vec!["req", "-x509", "-new"];
            args.extend(ec);
            let subject = format!("/CN=releaseday test {ca}");
            let (key, crt) = (format!("{ca}.key"), format!("{ca}.crt"));
            args.extend([
                "-keyout",
                &key,
                "-out",
                &crt,
                "-days",
                "2",
                "-subj",
                &subject,
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ]);
            run(&args);
        }
        let mut args = vec!["req", "-new"];
        args.extend(ec);
        args.extend([
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=localhost",
        ]);
        run(&args);
        std::fs::write(
            dir.path().join("server.ext"),
            "subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n",
        )
        .unwrap();
        run(&[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.crt",
            "-days",
            "2",
            "-extfile",
            "server.ext",
        ]);
        Certificates { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.path(name)).unwrap()
    }
}

#[cfg(unix)]
#[test]
fn sslmodes_against_a_server_that_accepts_only_tls() {
    let certs = Certificates::make();
    let hba = "local all all trust\n\
               hostssl all all 127.0.0.1/32 scram-sha-256\n\
               hostssl all all ::1/128 scram-sha-256\n";
    let Some(server) = pg::TempServer::start(
        "sslmodes_against_a_server_that_accepts_only_tls",
        &[
            ("server.crt", &certs.read("server.crt")),
            ("server.key", &certs.read("server.key")),
        ],
        hba,
        &[
            "ssl=on",
            "ssl_cert_file={dir}/server.crt",
            "ssl_key_file={dir}/server.key",
        ],
    ) else {
        return;
    };
    let password = "Tls-Only-13";
    let role = server.role("tls", password);
    let port = server.port;
    let ca = certs.path("ca.crt");
    let other_ca = certs.path("other-ca.crt");
    let e = env().with_var("PGPASSWORD", password);
    let url = |host: &str, query: &str| format!("postgres://{role}@{host}:{port}/postgres?{query}");
    let ca_q = |mode: &str, ca: &Path| format!("sslmode={mode}&sslrootcert={}", ca.display());

    let connects = |host: &str, query: &str, env: &Env| {
        let s = spec(&url(host, query), env);
        let mut c = connect(&s).unwrap_or_else(|e| panic!("{host} {query}: {e}"));
        assert!(
            encrypted(&mut c),
            "{host} {query}: pg_stat_ssl says not encrypted"
        );
        assert_eq!(text(&mut c, "SELECT current_user::text"), role);
    };
    let is_refused = |host: &str, query: &str, env: &Env, says: &str| {
        let err = refused(&spec(&url(host, query), env));
        assert_eq!(err.kind(), ConnectErrorKind::Tls, "{host} {query}: {err}");
        assert!(err.to_string().contains(says), "{host} {query}: {err}");
        assert_hides(&err, password);
    };
    let refused_unencrypted = |host: &str, query: &str| {
        let err = refused(&spec(&url(host, query), &e));
        assert_eq!(
            err.kind(),
            ConnectErrorKind::Refused,
            "{host} {query}: {err}"
        );
        assert!(
            err.to_string().contains(
                "the server accepts only encrypted connections from here (sslmode=disable)"
            ),
            "{err}"
        );
    };

    // verify-full: the chain and the name.
    connects("localhost", &ca_q("verify-full", &ca), &e);
    is_refused(
        "127.0.0.1",
        &ca_q("verify-full", &ca),
        &e,
        "the server's certificate is not valid for 127.0.0.1 (sslmode=verify-full)",
    );
    is_refused(
        "localhost",
        "sslmode=verify-full",
        &e,
        "the server's certificate is not signed by a certificate authority this computer \
         trusts (sslmode=verify-full)",
    );
    is_refused(
        "localhost",
        "sslmode=verify-full&sslrootcert=system",
        &e,
        "not signed by a certificate authority in the system's trust store \
         (sslmode=verify-full, sslrootcert=system)",
    );
    let untrusted = format!(
        "not signed by the certificate authority in {} (sslrootcert), nor by one this computer \
         trusts",
        other_ca.display()
    );
    let untrusted = untrusted.as_str();
    is_refused("localhost", &ca_q("verify-full", &other_ca), &e, untrusted);

    // verify-ca: the chain, not the name.
    connects("127.0.0.1", &ca_q("verify-ca", &ca), &e);
    is_refused("127.0.0.1", &ca_q("verify-ca", &other_ca), &e, untrusted);

    // require: encrypted; the chain only when a root certificate is named.
    connects("127.0.0.1", "sslmode=require", &e);
    connects("127.0.0.1", &ca_q("require", &ca), &e);
    is_refused("127.0.0.1", &ca_q("require", &other_ca), &e, untrusted);

    // ~/.postgresql/root.crt is the root certificate when none is named, as in libpq.
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir(home.path().join(".postgresql")).unwrap();
    std::fs::copy(&ca, home.path().join(".postgresql/root.crt")).unwrap();
    let with_root = env()
        .with_var("PGPASSWORD", password)
        .with_home(home.path())
        .with_files(|p: &Path| p.exists());
    connects("localhost", "sslmode=verify-full", &with_root);

    // PGSSLMODE and PGSSLROOTCERT do what sslmode and sslrootcert do.
    let from_env = env()
        .with_var("PGPASSWORD", password)
        .with_var("PGSSLMODE", "verify-full")
        .with_var("PGSSLROOTCERT", ca.to_str().unwrap());
    connects("localhost", "", &from_env);

    // disable, given or by default for localhost, is turned away by a hostssl-only server:
    // nothing falls back to plain text, and nothing upgrades silently either.
    refused_unencrypted("127.0.0.1", "sslmode=disable");
    refused_unencrypted("localhost", "");
}
