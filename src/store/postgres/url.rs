//! libpq's connection URI, taken apart into libpq's keywords (`user`, `password`, `host`,
//! `port`, `dbname` and every query parameter), as `psql` reads it:
//!
//! `postgres[ql]://[user[:password]@][host][:port][,host[:port]…][/dbname][?name=value&…]`
//!
//! A host is a name, an IPv4 address, an IPv6 address in brackets (`[::1]`), or a percent-encoded
//! socket folder (`%2Fvar%2Frun%2Fpostgresql`). Every part is percent-decoded. A query parameter
//! overrides the same part given before it (`?host=/tmp` beats the authority's host).
//!
//! Errors never quote the URL or any part of it that might be (a piece of) the password: a
//! password with an unencoded `/`, `?` or `@` in it splits the URL in the wrong place, so the
//! messages say where the URL went wrong and how to encode it, not what it said.

use super::SpecError;

/// The parts of a URL, by libpq keyword, in the order given: a later one overrides an earlier one.
#[derive(Default)]
pub(super) struct UrlParts {
    pub params: Vec<(String, String)>,
}

impl UrlParts {
    /// The last value given for `keyword`, if any and not empty.
    pub fn get(&self, keyword: &str) -> Option<&str> {
        self.params
            .iter()
            .rev()
            .find(|(k, _)| k == keyword)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }
}

const ENCODE_HINT: &str =
    "if the password has a / ? @ : or % in it, write those as %2F %3F %40 %3A %25";

/// Whether `s` is a PostgreSQL URL rather than a path: it starts `postgres://` or
/// `postgresql://` (any case).
pub fn is_postgres_url(s: &str) -> bool {
    strip_scheme(s).is_some()
}

fn strip_scheme(s: &str) -> Option<&str> {
    ["postgresql://", "postgres://"].iter().find_map(|scheme| {
        s.get(..scheme.len())
            .filter(|head| head.eq_ignore_ascii_case(scheme))
            .map(|_| &s[scheme.len()..])
    })
}

pub(super) fn parse(url: &str) -> Result<UrlParts, SpecError> {
    let rest = strip_scheme(url).ok_or_else(|| {
        SpecError::new("a team database address starts with postgres:// or postgresql://")
    })?;
    let mut parts = UrlParts::default();
    let (before_query, query) = match rest.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (rest, None),
    };
    let (authority, path) = match before_query.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (before_query, None),
    };
    // The last @ ends the user part, so a password with an unencoded @ still parses.
    let hostlist = match authority.rsplit_once('@') {
        Some((userinfo, hosts)) => {
            let (user, password) = match userinfo.split_once(':') {
                Some((u, p)) => (u, Some(p)),
                None => (userinfo, None),
            };
            let user = decode(user).map_err(|e| e.part("user name"))?;
            parts.params.push(("user".into(), user));
            if let Some(p) = password {
                // Never say what is wrong with a password: only that it is.
                let p = decode(p).map_err(|_| {
                    SpecError::new(
                        "the password in the database URL has a % that does not start a \
                         percent-encoded character (write % as %25)",
                    )
                })?;
                parts.params.push(("password".into(), p));
            }
            hosts
        }
        None => authority,
    };
    if !hostlist.is_empty() {
        let (hosts, ports) = parse_hosts(hostlist)?;
        parts.params.push(("host".into(), hosts));
        parts.params.push(("port".into(), ports));
    }
    if let Some(path) = path {
        if path.contains('@') {
            return Err(SpecError::new(format!(
                "the database URL has an @ after the host, where the database name goes; \
                 {ENCODE_HINT}"
            )));
        }
        let dbname = decode(path).map_err(|e| e.part("database name"))?;
        parts.params.push(("dbname".into(), dbname));
    }
    if let Some(query) = query {
        for (i, pair) in query.split('&').enumerate() {
            if pair.is_empty() {
                continue;
            }
            let Some((key, value)) = pair.split_once('=') else {
                return Err(SpecError::new(format!(
                    "setting {} after the ? in the database URL has no = (each is name=value, \
                     joined by &); {ENCODE_HINT}",
                    i + 1
                )));
            };
            let key = decode(key).map_err(|e| e.part("a setting's name"))?;
            let value = decode(value).map_err(|_| {
                SpecError::new(format!(
                    "the value of {key} in the database URL has a % that does not start a \
                     percent-encoded character (write % as %25)"
                ))
            })?;
            parts.params.push((key, value));
        }
    }
    Ok(parts)
}

/// `host[:port],host[:port]…` into libpq's comma lists: `host=a,b` and `port=5432,` (an empty
/// entry: that host's port was not given).
fn parse_hosts(list: &str) -> Result<(String, String), SpecError> {
    let mut hosts = Vec::new();
    let mut ports = Vec::new();
    for entry in list.split(',') {
        let (host, port) = if let Some(inside) = entry.strip_prefix('[') {
            let (addr, after) = inside.split_once(']').ok_or_else(|| {
                SpecError::new("an IPv6 address in the database URL has a [ with no ]")
            })?;
            let port = match after {
                "" => "",
                p => p.strip_prefix(':').ok_or_else(|| {
                    SpecError::new(format!(
                        "after an IPv6 address's ] the database URL needs a : and a port, or \
                         nothing; {ENCODE_HINT}"
                    ))
                })?,
            };
            (addr.to_string(), port)
        } else {
            let (host, port) = entry.split_once(':').unwrap_or((entry, ""));
            (decode(host).map_err(|e| e.part("host"))?, port)
        };
        if !port.is_empty() && !port.bytes().all(|b| b.is_ascii_digit()) {
            return Err(SpecError::new(format!(
                "the port after a host in the database URL is not a number; {ENCODE_HINT}"
            )));
        }
        if host.contains(',') {
            return Err(SpecError::new(
                "a host in the database URL has a comma in it (commas separate hosts)",
            ));
        }
        hosts.push(host);
        ports.push(port.to_string());
    }
    Ok((hosts.join(","), ports.join(",")))
}

/// A percent-decoding failure, before we know which part it was in.
struct BadEncoding;

impl BadEncoding {
    fn part(self, what: &str) -> SpecError {
        SpecError::new(format!(
            "the {what} in the database URL has a % that does not start a percent-encoded \
             UTF-8 character (write % as %25)"
        ))
    }
}

/// Percent-decodes `s` (`+` stays a plus, as in libpq). A `%` not followed by two hex digits, an
/// encoded NUL, or bytes that are not UTF-8 are refused.
fn decode(s: &str) -> Result<String, BadEncoding> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).ok_or(BadEncoding)?;
            let hex = std::str::from_utf8(hex).map_err(|_| BadEncoding)?;
            let b = u8::from_str_radix(hex, 16).map_err(|_| BadEncoding)?;
            if b == 0 {
                return Err(BadEncoding);
            }
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| BadEncoding)
}

/// Percent-encodes what would break a URL's authority or path (for the redacted display form).
pub(super) fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(url: &str) -> Vec<(String, String)> {
        parse(url).unwrap_or_else(|e| panic!("{url}: {e}")).params
    }

    fn get(url: &str, key: &str) -> Option<String> {
        parse(url).unwrap().get(key).map(str::to_string)
    }

    fn err(url: &str) -> String {
        match parse(url) {
            Ok(_) => panic!("{url} parsed"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn every_part_of_a_full_url() {
        let p = parts("postgresql://priya:s3cret@db.example:5433/releaseday?sslmode=verify-full");
        let want = [
            ("user", "priya"),
            ("password", "s3cret"),
            ("host", "db.example"),
            ("port", "5433"),
            ("dbname", "releaseday"),
            ("sslmode", "verify-full"),
        ];
        let want: Vec<_> = want
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(p, want);
    }

    #[test]
    fn both_schemes_any_case_and_nothing_else() {
        assert!(is_postgres_url("postgres://h"));
        assert!(is_postgres_url("PostgreSQL://h"));
        assert!(is_postgres_url("postgres://"));
        assert!(!is_postgres_url("postgres:/h"));
        assert!(!is_postgres_url("/home/priya/releaseday.db"));
        assert!(!is_postgres_url("mysql://h"));
        assert!(err("http://h/db").contains("postgres://"));
    }

    #[test]
    fn an_empty_url_gives_nothing() {
        assert!(parts("postgres://").is_empty());
        assert!(parts("postgres:///").iter().all(|(_, v)| v.is_empty()));
        assert_eq!(get("postgres:///", "dbname"), None);
    }

    #[test]
    fn percent_encoded_socket_folder_and_ipv6() {
        assert_eq!(
            get("postgres://%2Fvar%2Frun%2Fpostgresql/db", "host").as_deref(),
            Some("/var/run/postgresql")
        );
        assert_eq!(
            get("postgres://[::1]:5433/db", "host").as_deref(),
            Some("::1")
        );
        assert_eq!(
            get("postgres://[::1]:5433/db", "port").as_deref(),
            Some("5433")
        );
        assert_eq!(
            get("postgres://[fe80::1]/db", "host").as_deref(),
            Some("fe80::1")
        );
        assert_eq!(get("postgres://[fe80::1]/db", "port"), None);
    }

    #[test]
    fn several_hosts_each_with_or_without_a_port() {
        let p = parse("postgres://a.example:5433,b.example,[::1]:6000/db").unwrap();
        assert_eq!(p.get("host"), Some("a.example,b.example,::1"));
        assert_eq!(p.get("port"), Some("5433,,6000"));
    }

    #[test]
    fn query_parameters_override_the_authority() {
        let p = parse("postgres://priya@db.example/x?host=%2Ftmp&port=6543&dbname=y").unwrap();
        assert_eq!(p.get("host"), Some("/tmp"));
        assert_eq!(p.get("port"), Some("6543"));
        assert_eq!(p.get("dbname"), Some("y"));
        assert_eq!(
            get("postgres:///db?host=/var/lib/postgresql", "host").as_deref(),
            Some("/var/lib/postgresql")
        );
    }

    #[test]
    fn percent_decoding_of_user_password_dbname_and_values() {
        let p = parse("postgres://pri%40ya:p%2Fw%3Ad%25@h/release%20day?application_name=a%26b+c")
            .unwrap();
        assert_eq!(p.get("user"), Some("pri@ya"));
        assert_eq!(p.get("password"), Some("p/w:d%"));
        assert_eq!(p.get("dbname"), Some("release day"));
        assert_eq!(p.get("application_name"), Some("a&b+c"));
    }

    #[test]
    fn an_unencoded_at_in_the_password_still_parses() {
        let p = parse("postgres://priya:p@ss@db.example/releaseday").unwrap();
        assert_eq!(p.get("password"), Some("p@ss"));
        assert_eq!(p.get("host"), Some("db.example"));
    }

    #[test]
    fn errors_never_quote_a_password_that_broke_the_url() {
        for url in [
            "postgres://priya:pa/SECRETss@db.example/releaseday",
            "postgres://priya:SECRET%zz@db.example/releaseday",
            "postgres://priya:12/SECRET@db.example/releaseday",
            "postgres://priya:SEC?RET@db.example/releaseday",
            "postgres://priya:SECRET:x@db.example:port/releaseday",
        ] {
            let e = err(url);
            assert!(!e.contains("SECRET") && !e.contains("SEC"), "{url}: {e}");
            assert!(!e.contains("priya"), "{url}: {e}");
        }
    }

    #[test]
    fn bad_pieces_are_named() {
        assert!(err("postgres://h:54x2/db").contains("port"));
        assert!(err("postgres://[::1/db").contains("IPv6"));
        assert!(err("postgres://[::1]x/db").contains("IPv6"));
        assert!(err("postgres://h/d%4").contains("database name"));
        assert!(err("postgres://h/db?sslmode").contains("setting 1"));
        assert!(err("postgres://h/db?sslmode=%zz").contains("sslmode"));
        assert!(err("postgres://h/db%00").contains("database name"));
    }

    #[test]
    fn encode_round_trips_through_decode() {
        for s in [
            "/var/run/postgresql",
            "pri@ya",
            "release day",
            "a%b",
            "ünïcode",
        ] {
            assert_eq!(decode(&encode(s)).ok().as_deref(), Some(s));
        }
        assert_eq!(encode("/tmp"), "%2Ftmp");
    }
}
