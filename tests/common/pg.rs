//! PostgreSQL for the tests: the shared throwaway server `.ci/postgres` starts, a fresh database
//! and login roles with passwords per test, and throwaway servers of a test's own (`TempServer`,
//! for settings the shared one must not change, such as TLS).
//!
//! `RELEASEDAY_TEST_PG` names the shared server (a superuser URL, used only to set tests up; what
//! a test checks it checks signed in as a role of its own, with a password). Without it a test
//! skips with a printed reason on a developer's machine, and fails when
//! `RELEASEDAY_TEST_PG_REQUIRED=1` (CI). The server must ask every role but `postgres` for a
//! password over TCP, as `.ci/postgres` sets it up (`source .ci/postgres` in bash).
//!
//! Include it with `#[path = "common/pg.rs"] mod pg;`.

#![allow(dead_code)]

use postgres::{Client, NoTls};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

// Not every test file starts a server of its own.
#[cfg(unix)]
#[allow(unused_imports)]
pub use temp_server::TempServer;

/// Whether a missing server fails the test (CI) rather than skipping it.
pub fn required() -> bool {
    std::env::var("RELEASEDAY_TEST_PG_REQUIRED").as_deref() == Ok("1")
}

/// Skips (returns `None`, after saying why) or, in CI, fails.
fn unavailable(test: &str, why: &str) -> Option<Server> {
    if required() {
        panic!("{test}: {why}, and RELEASEDAY_TEST_PG_REQUIRED=1 says this run needs PostgreSQL");
    }
    eprintln!(
        "skipping {test}: {why} (run `source .ci/postgres` in bash first to start a throwaway server)"
    );
    None
}

/// The shared test server, or `None` when there is none on this machine (and the test should
/// return at once). Use: `let Some(pg) = pg::server("my_test") else { return };`
pub fn server(test: &str) -> Option<Server> {
    let url = match std::env::var("RELEASEDAY_TEST_PG") {
        Ok(url) if !url.is_empty() => url,
        _ => return unavailable(test, "RELEASEDAY_TEST_PG is not set"),
    };
    let config: postgres::Config = url
        .parse()
        .unwrap_or_else(|e| panic!("RELEASEDAY_TEST_PG is not a PostgreSQL URL: {e}"));
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        _ => panic!("RELEASEDAY_TEST_PG must name a TCP host (127.0.0.1)"),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    Some(Server {
        admin_url: url,
        host,
        port,
    })
}

/// The shared server.
pub struct Server {
    admin_url: String,
    pub host: String,
    pub port: u16,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A name no other test (in this run or a parallel one) uses: `rd_<label>_<pid>_<n>`.
pub fn unique_name(label: &str) -> String {
    let label: String = label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .take(30)
        .collect();
    format!(
        "rd_{label}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

impl Server {
    /// A superuser connection, for setting a test up only.
    pub fn admin(&self) -> Client {
        Client::connect(&self.admin_url, NoTls).unwrap_or_else(|e| {
            panic!("cannot reach the test server at RELEASEDAY_TEST_PG as its superuser: {e}")
        })
    }

    /// A superuser connection to one database.
    pub fn admin_on(&self, db: &TestDb) -> Client {
        let mut config: postgres::Config = self.admin_url.parse().unwrap();
        config.dbname(&db.name);
        config
            .connect(NoTls)
            .expect("superuser into the test database")
    }

    /// A new empty database, dropped (with any sessions still on it) when the value is.
    pub fn database(&self, label: &str) -> TestDb {
        let name = unique_name(label);
        self.admin()
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("CREATE DATABASE");
        TestDb {
            name,
            admin_url: self.admin_url.clone(),
        }
    }

    /// A new login role with this password (not a superuser), dropped when the value is.
    pub fn role(&self, label: &str, password: &str) -> Role {
        let name = unique_name(label);
        let quoted = password.replace('\'', "''");
        self.admin()
            .batch_execute(&format!(
                "CREATE ROLE {name} LOGIN NOSUPERUSER PASSWORD '{quoted}'"
            ))
            .expect("CREATE ROLE");
        Role {
            name,
            admin_url: self.admin_url.clone(),
        }
    }

    /// `postgres://ROLE@HOST:PORT/DB` with what follows `?` (no password).
    pub fn url(&self, role: &Role, db: &TestDb, query: &str) -> String {
        let q = if query.is_empty() {
            String::new()
        } else {
            format!("?{query}")
        };
        format!(
            "postgres://{}@{}:{}/{}{q}",
            role.name, self.host, self.port, db.name
        )
    }

    /// The folder of the server's Unix socket.
    pub fn socket_dir(&self) -> PathBuf {
        let row = self
            .admin()
            .query_one("SHOW unix_socket_directories", &[])
            .unwrap();
        let dirs: String = row.get(0);
        PathBuf::from(dirs.split(',').next().unwrap().trim())
    }
}

pub struct TestDb {
    pub name: String,
    admin_url: String,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Ok(mut c) = Client::connect(&self.admin_url, NoTls) {
            let _ = c.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

pub struct Role {
    pub name: String,
    admin_url: String,
}

impl Drop for Role {
    fn drop(&mut self) {
        // Fails only while a database that grants it something still exists; the server is
        // thrown away at the end of the run anyway.
        if let Ok(mut c) = Client::connect(&self.admin_url, NoTls) {
            let _ = c.batch_execute(&format!("DROP ROLE IF EXISTS {}", self.name));
        }
    }
}

/// A free TCP port on 127.0.0.1 (the kernel's choice, released for the caller to take).
pub fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// The newest PostgreSQL server programs on this machine (Debian keeps them in
/// `/usr/lib/postgresql/<version>/bin`).
pub fn server_bin() -> Option<PathBuf> {
    let mut dirs: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| {
            let e = e.ok()?;
            let version = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    dirs.sort();
    dirs.pop().map(|(_, bin)| bin)
}

/// Throwaway servers of a test's own (Unix: they run as the `postgres` user when tests run as
/// root, with a Unix socket for the superuser).
#[cfg(unix)]
mod temp_server {
    use super::{free_port, server_bin, unavailable, unique_name};
    use postgres::{Client, NoTls};
    use std::path::{Path, PathBuf};
    use std::process::Command;

    /// A throwaway server of a test's own, in a folder under /tmp, run as the `postgres` user when
    /// the tests run as root (the server refuses to run as root). Stopped and removed when dropped.
    pub struct TempServer {
        dir: tempfile::TempDir,
        bin: PathBuf,
        pub port: u16,
    }

    fn running_as_root() -> bool {
        // SAFETY: geteuid has no preconditions and cannot fail.
        unsafe { libc::geteuid() == 0 }
    }

    fn postgres_user_ids() -> (u32, u32) {
        let name = std::ffi::CString::new("postgres").unwrap();
        // SAFETY: a NUL-terminated name; the returned record is read at once, before any other call.
        let pw = unsafe { libc::getpwnam(name.as_ptr()) };
        assert!(
            !pw.is_null(),
            "the postgres user does not exist (apt-get install postgresql)"
        );
        unsafe { ((*pw).pw_uid, (*pw).pw_gid) }
    }

    impl TempServer {
        /// Skips (`None`, after saying why) or, in CI, fails when this machine has no PostgreSQL.
        /// `files` are written into the server's folder first (certificates, keys: mode 0600, owned
        /// by the server's user); `hba` is the whole pg_hba.conf; `settings` are `-c name=value`
        /// settings, where `{dir}` stands for the server's folder.
        pub fn start(
            test: &str,
            files: &[(&str, &[u8])],
            hba: &str,
            settings: &[&str],
        ) -> Option<TempServer> {
            use std::os::unix::fs::PermissionsExt;
            let Some(bin) = server_bin() else {
                let _ = unavailable(test, "no PostgreSQL server programs in /usr/lib/postgresql");
                return None;
            };
            let dir = tempfile::Builder::new()
                .prefix("releaseday-pgtest.")
                .tempdir_in("/tmp")
                .unwrap();
            let owner = running_as_root().then(postgres_user_ids);
            let own = |p: &Path| {
                if let Some((uid, gid)) = owner {
                    std::os::unix::fs::chown(p, Some(uid), Some(gid)).unwrap();
                }
            };
            std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
            own(dir.path());
            for (name, bytes) in files {
                let path = dir.path().join(name);
                std::fs::write(&path, bytes).unwrap();
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
                own(&path);
            }
            let server = TempServer {
                port: free_port(),
                bin,
                dir,
            };
            let data = server.dir.path().join("data");
            server.run(
                "initdb",
                &[
                    "-D".as_ref(),
                    data.as_os_str(),
                    "-U".as_ref(),
                    "postgres".as_ref(),
                    "--auth=trust".as_ref(),
                    "-E".as_ref(),
                    "UTF8".as_ref(),
                    "--locale=C.UTF-8".as_ref(),
                    "--no-sync".as_ref(),
                ],
            );
            let hba_path = data.join("pg_hba.conf");
            std::fs::write(&hba_path, hba).unwrap();
            own(&hba_path);
            let dir_text = server.dir.path().to_str().unwrap().to_string();
            let mut options = format!(
                "-c listen_addresses=localhost -p {} -k {dir_text} -c fsync=off \
                 -c synchronous_commit=off -c full_page_writes=off",
                server.port
            );
            for s in settings {
                options.push_str(&format!(" -c {}", s.replace("{dir}", &dir_text)));
            }
            let log = server.dir.path().join("server.log");
            let started = server.try_run(
                "pg_ctl",
                &[
                    "-D".as_ref(),
                    data.as_os_str(),
                    "-l".as_ref(),
                    log.as_os_str(),
                    "-w".as_ref(),
                    "-t".as_ref(),
                    "60".as_ref(),
                    "-o".as_ref(),
                    options.as_ref(),
                    "start".as_ref(),
                ],
            );
            if let Err(out) = started {
                let log = std::fs::read_to_string(&log).unwrap_or_default();
                panic!("the test's own PostgreSQL did not start: {out}\n{log}");
            }
            Some(server)
        }

        pub fn dir(&self) -> &Path {
            self.dir.path()
        }

        /// Stops the server as an administrator's restart does (`fast`: every session ended at
        /// once, committed data kept; `immediate` could lose the last commits here, where the
        /// test servers run with `synchronous_commit=off`).
        pub fn stop(&self) {
            let data = self.dir.path().join("data");
            self.run(
                "pg_ctl",
                &[
                    "-D".as_ref(),
                    data.as_os_str(),
                    "-m".as_ref(),
                    "fast".as_ref(),
                    "-w".as_ref(),
                    "stop".as_ref(),
                ],
            );
        }

        /// Starts the server again after `stop`, with the settings it first had.
        pub fn start_again(&self) {
            let data = self.dir.path().join("data");
            let log = self.dir.path().join("server.log");
            // postmaster.opts holds the command line the server was first started with.
            let opts = std::fs::read_to_string(data.join("postmaster.opts")).unwrap();
            let words: Vec<&str> = opts
                .split_whitespace()
                .skip(1)
                .map(|o| o.trim_matches('"'))
                .collect();
            // Everything but the data folder, which pg_ctl gives itself.
            let mut options = Vec::new();
            let mut i = 0;
            while i < words.len() {
                if words[i] == "-D" {
                    i += 2;
                    continue;
                }
                options.push(words[i]);
                i += 1;
            }
            self.run(
                "pg_ctl",
                &[
                    "-D".as_ref(),
                    data.as_os_str(),
                    "-l".as_ref(),
                    log.as_os_str(),
                    "-w".as_ref(),
                    "-t".as_ref(),
                    "60".as_ref(),
                    "-o".as_ref(),
                    options.join(" ").as_ref(),
                    "start".as_ref(),
                ],
            );
        }

        /// A superuser connection through the server's socket.
        pub fn admin(&self) -> Client {
            postgres::Config::new()
                .host_path(self.dir.path())
                .port(self.port)
                .user("postgres")
                .dbname("postgres")
                .connect(NoTls)
                .expect("superuser through the test server's socket")
        }

        /// A login role with this password.
        pub fn role(&self, label: &str, password: &str) -> String {
            let name = unique_name(label);
            self.admin()
                .batch_execute(&format!("CREATE ROLE {name} LOGIN PASSWORD '{password}'"))
                .unwrap();
            name
        }

        fn command(&self, program: &str) -> Command {
            let path = self.bin.join(program);
            if running_as_root() {
                let mut c = Command::new("runuser");
                c.args(["-u", "postgres", "--"]).arg(path);
                c
            } else {
                Command::new(path)
            }
        }

        fn try_run(&self, program: &str, args: &[&std::ffi::OsStr]) -> Result<(), String> {
            let out = self
                .command(program)
                .args(args)
                .output()
                .map_err(|e| format!("{program}: {e}"))?;
            if out.status.success() {
                Ok(())
            } else {
                Err(format!(
                    "{program} failed: {}{}",
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                ))
            }
        }

        fn run(&self, program: &str, args: &[&std::ffi::OsStr]) {
            if let Err(e) = self.try_run(program, args) {
                panic!("{e}");
            }
        }
    }

    impl Drop for TempServer {
        fn drop(&mut self) {
            let data = self.dir.path().join("data");
            let _ = self.try_run(
                "pg_ctl",
                &[
                    "-D".as_ref(),
                    data.as_os_str(),
                    "-m".as_ref(),
                    "immediate".as_ref(),
                    "stop".as_ref(),
                ],
            );
        }
    }
}
