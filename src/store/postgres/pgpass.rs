//! The password file, as libpq reads it: `~/.pgpass` (or `PGPASSFILE`, or `passfile=` in the
//! URL; `%APPDATA%\postgresql\pgpass.conf` on Windows), consulted only when no password was given.
//!
//! Each line is `hostname:port:database:username:password`; `*` alone matches anything, `\:` and
//! `\\` are a colon and a backslash, lines starting `#` are comments, and the first matching line
//! wins. `localhost` also matches a connection through a Unix socket on this machine.
//!
//! On Unix a file that group or others may open is not used, as libpq does: the connection goes
//! on without it, and the warning (naming the file and `chmod 0600`) is shown, and repeated in
//! the error if the server then asks for a password. On Windows the file sits in the user's own
//! profile folder, which Windows keeps private.

use super::Secret;
use std::path::Path;

/// What to match a line against.
pub(super) struct Key<'a> {
    /// The host as given, or a socket folder's path; a socket also matches `localhost`.
    pub host: &'a str,
    pub socket: bool,
    pub port: u16,
    pub dbname: &'a str,
    pub user: &'a str,
}

/// What looking in the password file found.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Lookup {
    Found(Secret),
    /// No file, or no line for this connection.
    Nothing,
    /// The file was not used; the warning says why and what to do.
    Ignored(String),
}

pub(super) fn lookup(path: &Path, key: &Key) -> Lookup {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Lookup::Nothing,
        Err(e) => {
            return Lookup::Ignored(format!(
                "the password file {} could not be read: {e}",
                path.display()
            ))
        }
    };
    if !meta.is_file() {
        return Lookup::Ignored(format!(
            "the password file {} is not a plain file, so it was not used",
            path.display()
        ));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode();
        if let Some(warning) = permission_problem(path, mode) {
            return Lookup::Ignored(warning);
        }
    }
    match std::fs::read(path) {
        Ok(bytes) => match find(&String::from_utf8_lossy(&bytes), key) {
            Some(p) => Lookup::Found(Secret::new(p)),
            None => Lookup::Nothing,
        },
        Err(e) => Lookup::Ignored(format!(
            "the password file {} could not be read: {e}",
            path.display()
        )),
    }
}

/// The warning for a file other users may open (any group or other permission bit, as libpq).
#[cfg_attr(not(unix), allow(dead_code))]
pub(super) fn permission_problem(path: &Path, mode: u32) -> Option<String> {
    (mode & 0o077 != 0).then(|| {
        format!(
            "the password file {p} was not used because other users can open it (mode {:04o}); \
             make it private with: chmod 0600 {p}",
            mode & 0o7777,
            p = path.display()
        )
    })
}

/// The password of the first line that matches `key`, if any.
pub(super) fn find(text: &str, key: &Key) -> Option<String> {
    let port = key.port.to_string();
    text.lines()
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(fields)
        .find(|f| {
            let host = f[0].matches(key.host) || (key.socket && f[0].matches("localhost"));
            host && f[1].matches(&port) && f[2].matches(key.dbname) && f[3].matches(key.user)
        })
        .map(|f| f[4].text.clone())
        .filter(|p| !p.is_empty())
}

struct Field {
    text: String,
    /// The field was a lone unescaped `*`.
    any: bool,
}

impl Field {
    fn matches(&self, value: &str) -> bool {
        self.any || self.text == value
    }
}

/// A line's first five fields, unescaped; `None` if it has fewer. Anything after a fifth
/// unescaped colon is ignored, as libpq ignores it.
fn fields(line: &str) -> Option<[Field; 5]> {
    let mut out = Vec::with_capacity(5);
    let mut text = String::new();
    let mut escaped = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                // A backslash at the very end stands for itself.
                text.push(chars.next().unwrap_or('\\'));
                escaped = true;
            }
            ':' => {
                out.push(Field {
                    any: !escaped && text == "*",
                    text: std::mem::take(&mut text),
                });
                escaped = false;
                if out.len() == 5 {
                    break;
                }
            }
            c => text.push(c),
        }
    }
    if out.len() == 4 {
        out.push(Field { text, any: false });
    }
    out.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key<'a>(host: &'a str, port: u16, dbname: &'a str, user: &'a str) -> Key<'a> {
        Key {
            host,
            socket: host.starts_with('/'),
            port,
            dbname,
            user,
        }
    }

    const FILE: &str = "\
# team database
db.example:5432:releaseday:priya:first
db.example:5432:releaseday:priya:second
*:5432:*:sam:sam-anywhere
localhost:*:*:*:local-pass
other.example:6432:releaseday:priya:pa\\:ss\\\\word
";

    #[test]
    fn first_matching_line_wins_and_comments_are_skipped() {
        let k = key("db.example", 5432, "releaseday", "priya");
        assert_eq!(find(FILE, &k).as_deref(), Some("first"));
        let k = key("db.example", 5433, "releaseday", "priya");
        assert_eq!(find(FILE, &k), None, "another port");
        let k = key("db.example", 5432, "other", "priya");
        assert_eq!(find(FILE, &k), None, "another database");
    }

    #[test]
    fn a_lone_star_matches_anything() {
        let k = key("anything.example", 5432, "any_db", "sam");
        assert_eq!(find(FILE, &k).as_deref(), Some("sam-anywhere"));
        let k = key("anything.example", 5433, "any_db", "sam");
        assert_eq!(find(FILE, &k), None, "the port was not a star");
    }

    #[test]
    fn escapes_in_the_password_and_in_matched_fields() {
        let k = key("other.example", 6432, "releaseday", "priya");
        assert_eq!(find(FILE, &k).as_deref(), Some("pa:ss\\word"));
        // An IPv6 host is written with escaped colons; an escaped star is a literal star.
        let text = "\\:\\:1:5432:db:u:six\n\\*:5432:db:u:star\n";
        assert_eq!(
            find(text, &key("::1", 5432, "db", "u")).as_deref(),
            Some("six")
        );
        assert_eq!(
            find(text, &key("*", 5432, "db", "u")).as_deref(),
            Some("star")
        );
        assert_eq!(
            find(text, &key("h", 5432, "db", "u")),
            None,
            "\\* is not a wildcard"
        );
        // A star inside a field is a literal character.
        assert_eq!(find("db*:*:*:*:p\n", &key("dbx", 1, "d", "u")), None);
    }

    #[test]
    fn localhost_matches_a_socket_and_so_does_its_path() {
        let k = key("/var/run/postgresql", 5432, "releaseday", "priya");
        assert_eq!(find(FILE, &k).as_deref(), Some("local-pass"));
        let text = "/tmp/pg:5432:*:*:by-path\n";
        assert_eq!(
            find(text, &key("/tmp/pg", 5432, "d", "u")).as_deref(),
            Some("by-path")
        );
        // A TCP host named like a path is not a socket: only localhost itself matches it.
        let tcp = Key {
            socket: false,
            ..key("db.example", 5432, "d", "u")
        };
        assert_eq!(find("localhost:*:*:*:x\n", &tcp), None);
    }

    #[test]
    fn short_lines_crlf_and_extra_fields() {
        let text = "h:5432:d:u\r\nh:5432:d:u:pw:extra\r\n";
        assert_eq!(find(text, &key("h", 5432, "d", "u")).as_deref(), Some("pw"));
        assert_eq!(find("h:5432:d:u:\n", &key("h", 5432, "d", "u")), None);
        assert_eq!(find("", &key("h", 5432, "d", "u")), None);
    }

    #[test]
    fn group_or_other_bits_are_refused_with_chmod_named() {
        let p = Path::new("/home/priya/.pgpass");
        assert_eq!(permission_problem(p, 0o100600), None);
        assert_eq!(permission_problem(p, 0o100400), None);
        for mode in [0o100640, 0o100604, 0o100660, 0o100610, 0o100644] {
            let w = permission_problem(p, mode).expect("refused");
            assert!(w.contains("/home/priya/.pgpass"), "{w}");
            assert!(w.contains("chmod 0600 /home/priya/.pgpass"), "{w}");
            assert!(w.contains(&format!("{:04o}", mode & 0o7777)), "{w}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn lookup_reads_a_private_file_and_ignores_an_open_one() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pgpass");
        assert_eq!(lookup(&path, &key("h", 5432, "d", "u")), Lookup::Nothing);
        std::fs::write(&path, "h:5432:d:u:right\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let k = key("h", 5432, "d", "u");
        assert_eq!(
            lookup(&path, &k),
            Lookup::Found(Secret::new("right".into()))
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        match lookup(&path, &k) {
            Lookup::Ignored(w) => assert!(w.contains("chmod 0600"), "{w}"),
            other => panic!("{other:?}"),
        }
        match lookup(dir.path(), &k) {
            Lookup::Ignored(w) => assert!(w.contains("not a plain file"), "{w}"),
            other => panic!("{other:?}"),
        }
    }
}
