//! What a connection spec reads from the machine, handed in rather than read inside the parser:
//! the libpq environment variables, the operating-system user, the home folder, and whether a
//! file exists (a server's socket, `~/.postgresql/root.crt`). `Env::system()` reads the real ones;
//! tests build their own, so parsing stays a pure function of its inputs.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The variables libpq reads that releaseday honours, and the folders it needs to find the
/// per-user files (`HOME` on Unix, `APPDATA` on Windows).
const VARS: [&str; 15] = [
    "PGHOST",
    "PGPORT",
    "PGUSER",
    "PGDATABASE",
    "PGPASSWORD",
    "PGPASSFILE",
    "PGSSLMODE",
    "PGSSLROOTCERT",
    "PGCONNECT_TIMEOUT",
    "PGAPPNAME",
    "PGOPTIONS",
    "PGTARGETSESSIONATTRS",
    "PGCHANNELBINDING",
    "PGGSSENCMODE",
    "APPDATA",
];

type Exists = Arc<dyn Fn(&Path) -> bool + Send + Sync>;

/// The environment a connection spec is resolved in.
#[derive(Clone)]
pub struct Env {
    vars: BTreeMap<String, String>,
    os_user: String,
    home: Option<PathBuf>,
    exists: Exists,
}

impl Env {
    /// The process's own: its `PG*` variables, the signed-in user, the home folder, the real
    /// file system.
    pub fn system() -> Env {
        let vars = VARS
            .iter()
            .filter_map(|k| std::env::var(k).ok().map(|v| (k.to_string(), v)))
            .collect();
        Env {
            vars,
            os_user: crate::platform::operating_system_user(),
            home: directories::BaseDirs::new().map(|b| b.home_dir().to_path_buf()),
            exists: Arc::new(|p: &Path| p.exists()),
        }
    }

    /// An environment with no variables, no home folder and no files, for the user `os_user`.
    pub fn empty(os_user: &str) -> Env {
        Env {
            vars: BTreeMap::new(),
            os_user: os_user.to_string(),
            home: None,
            exists: Arc::new(|_: &Path| false),
        }
    }

    /// The same, with the variable `name` set to `value`.
    pub fn with_var(mut self, name: &str, value: &str) -> Env {
        self.vars.insert(name.to_string(), value.to_string());
        self
    }

    /// The same, with `home` as the home folder.
    pub fn with_home(mut self, home: &Path) -> Env {
        self.home = Some(home.to_path_buf());
        self
    }

    /// The same, where exactly the files `exists` says yes to exist.
    pub fn with_files(mut self, exists: impl Fn(&Path) -> bool + Send + Sync + 'static) -> Env {
        self.exists = Arc::new(exists);
        self
    }

    /// A variable's value; an empty one counts as unset, as libpq counts it.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    pub fn os_user(&self) -> &str {
        &self.os_user
    }

    pub fn home(&self) -> Option<&Path> {
        self.home.as_deref()
    }

    pub fn exists(&self, path: &Path) -> bool {
        (self.exists)(path)
    }
}

/// Names the variables that are set, never their values (`PGPASSWORD` is one of them).
impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Env")
            .field("vars_set", &self.vars.keys().collect::<Vec<_>>())
            .field("os_user", &self.os_user)
            .field("home", &self.home)
            .finish_non_exhaustive()
    }
}

/// Where libpq keeps a user's own files: `~/.pgpass` and `~/.postgresql/root.crt` on Unix,
/// `%APPDATA%\postgresql\pgpass.conf` and `%APPDATA%\postgresql\root.crt` on Windows.
pub(super) struct UserFiles {
    pub passfile: Option<PathBuf>,
    pub root_cert: Option<PathBuf>,
}

pub(super) fn user_files(env: &Env) -> UserFiles {
    user_files_for(cfg!(windows), env.home(), env.var("APPDATA"))
}

fn user_files_for(windows: bool, home: Option<&Path>, appdata: Option<&str>) -> UserFiles {
    if windows {
        let dir = appdata.map(|a| Path::new(a).join("postgresql"));
        UserFiles {
            passfile: dir.as_ref().map(|d| d.join("pgpass.conf")),
            root_cert: dir.as_ref().map(|d| d.join("root.crt")),
        }
    } else {
        UserFiles {
            passfile: home.map(|h| h.join(".pgpass")),
            root_cert: home.map(|h| h.join(".postgresql").join("root.crt")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_files_are_in_the_home_folder() {
        let f = user_files_for(false, Some(Path::new("/home/priya")), Some("ignored"));
        assert_eq!(f.passfile.unwrap(), Path::new("/home/priya/.pgpass"));
        assert_eq!(
            f.root_cert.unwrap(),
            Path::new("/home/priya/.postgresql/root.crt")
        );
    }

    #[test]
    fn windows_files_are_under_appdata() {
        let f = user_files_for(true, Some(Path::new("C:/Users/priya")), Some("C:/AppData"));
        assert_eq!(
            f.passfile.unwrap(),
            Path::new("C:/AppData")
                .join("postgresql")
                .join("pgpass.conf")
        );
        assert_eq!(
            f.root_cert.unwrap(),
            Path::new("C:/AppData").join("postgresql").join("root.crt")
        );
        assert!(user_files_for(true, None, None).passfile.is_none());
    }

    #[test]
    fn an_empty_variable_is_unset_and_debug_shows_no_values() {
        let env = Env::empty("priya")
            .with_var("PGHOST", "")
            .with_var("PGPASSWORD", "hunter2-secret");
        assert_eq!(env.var("PGHOST"), None);
        assert_eq!(env.var("PGPASSWORD"), Some("hunter2-secret"));
        let debug = format!("{env:?}");
        assert!(debug.contains("PGPASSWORD"), "{debug}");
        assert!(!debug.contains("hunter2"), "{debug}");
    }
}
