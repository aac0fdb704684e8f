//! The team's settings file: a TOML file in the platform's config folder holding every threshold
//! of DOMAIN.md §2 and §4, the Friday-policy switch, the officer's name for the audit log,
//! retention, theme and key bindings. A missing file means every default; a file with a mistake
//! is refused whole, naming each line that is wrong.

mod keys;
mod settings;
mod template;
mod validate;

pub use keys::KeyList;
pub use settings::Settings;
pub use template::template;

use crate::domain::clusters::ClusterThresholds;
use crate::domain::gaps::GapThresholds;
use crate::keys::KeyMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// The settings file in the platform's config folder (`platform::config_file`).
pub fn default_path() -> Option<PathBuf> {
    crate::platform::config_file()
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub officer: Officer,
    pub release: Release,
    pub gaps: GapThresholds,
    pub clusters: ClusterThresholds,
    pub data: Data,
    pub database: Database,
    pub screen: Screen,
    /// Action name → its keys, replacing that action's defaults.
    pub keys: BTreeMap<String, KeyList>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Officer {
    /// The audit log's name for changes made here; the login name when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Release {
    pub friday_policy: bool,
    pub outstanding_days: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Data {
    pub retention_days: u32,
}

/// The `[database]` section: a team database to use when neither `--db` nor `RELEASEDAY_DB`
/// names a database.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Database {
    /// A `postgres://` URL, never with a password in it (the file is not private).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// Whether `s` names a team database (`postgres://` or `postgresql://`, any case) rather than
/// a database file.
pub fn is_team_url(s: &str) -> bool {
    ["postgres://", "postgresql://"].iter().any(|scheme| {
        s.get(..scheme.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(scheme))
    })
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Screen {
    pub theme: ThemeName,
}

/// The `theme` setting of the config file's `[screen]` section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ThemeName {
    /// Bright colours for dark terminal backgrounds.
    #[default]
    Dark,
    /// Deeper colours that read on a white background.
    Light,
    /// No colour at all: symbols, words, bold and reverse video only.
    Mono,
}

impl Default for Release {
    fn default() -> Self {
        let s = Settings::default();
        Release {
            friday_policy: s.friday_policy,
            outstanding_days: s.outstanding_days,
        }
    }
}

impl Default for Data {
    fn default() -> Self {
        Data {
            retention_days: Settings::default().retention_days,
        }
    }
}

/// One thing wrong in the file, with its line where it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: Option<usize>,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the config file {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}", Invalid { path, problems })]
    Invalid {
        path: PathBuf,
        problems: Vec<Problem>,
    },
}

/// Formats the refusal: the file, then one line per problem.
struct Invalid<'a> {
    path: &'a Path,
    problems: &'a [Problem],
}

impl fmt::Display for Invalid<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "the config file {} is not right:", self.path.display())?;
        for p in self.problems {
            match p.line {
                Some(line) => writeln!(f, "  line {line}: {}", p.message)?,
                None => writeln!(f, "  {}", p.message)?,
            }
        }
        write!(
            f,
            "Nothing was done. Fix the file, or see every setting with its default: \
             releaseday config init --print"
        )
    }
}

/// The settings in force: the file's (if there is one) over the defaults.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// Where the file is or would be (None: no config folder on this machine).
    pub path: Option<PathBuf>,
    /// Whether that file exists and was read.
    pub found: bool,
    pub config: Config,
    pub keymap: KeyMap,
}

impl Loaded {
    /// Defaults only, for a machine with no config folder and for tests.
    pub fn defaults() -> Loaded {
        Loaded {
            path: None,
            found: false,
            config: Config::default(),
            keymap: KeyMap::default(),
        }
    }

    pub fn settings(&self) -> Settings {
        self.config.settings()
    }
}

/// Reads the file at `path`; a file that does not exist gives the defaults.
pub fn load(path: Option<&Path>) -> Result<Loaded, ConfigError> {
    let Some(path) = path else {
        return Ok(Loaded::defaults());
    };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Loaded {
                path: Some(path.to_path_buf()),
                ..Loaded::defaults()
            })
        }
        Err(source) => {
            return Err(ConfigError::Read {
                path: path.to_path_buf(),
                source,
            })
        }
    };
    let (config, keymap) = parse(&text).map_err(|problems| ConfigError::Invalid {
        path: path.to_path_buf(),
        problems,
    })?;
    Ok(Loaded {
        path: Some(path.to_path_buf()),
        found: true,
        config,
        keymap,
    })
}

/// Parses and checks a whole file, reporting every problem found.
pub fn parse(text: &str) -> Result<(Config, KeyMap), Vec<Problem>> {
    let (config, text, mut problems, blanked) = read_tolerantly(text);
    let Some(config) = config else {
        return Err(problems);
    };
    // A blanked key reads as its default: checks comparing it with another value would report
    // a problem that is not in the file, so they wait until the file reads whole.
    let blank = |section: &str, key: &str| {
        blanked
            .iter()
            .any(|(s, k)| s == section && (k == key || k == "*"))
    };
    problems.append(&mut validate::check(&config, &text, &blank));
    let keys_whole = !blanked.iter().any(|(s, _)| s == "keys");
    let keymap = match keys::keymap(&config.keys, &text, keys_whole) {
        Ok(keymap) => keymap,
        Err(mut more) => {
            problems.append(&mut more);
            KeyMap::default()
        }
    };
    problems.sort_by_key(|p| p.line);
    if problems.is_empty() {
        Ok((config, keymap))
    } else {
        Err(problems)
    }
}

/// toml stops at its first error. So that an officer sees every misspelt key and wrong type at
/// once, each such line is noted and blanked (line numbers stay put) and the file read again;
/// a broken section header takes its section with it. A syntax error ends the search: past it,
/// nothing can be trusted. Returns the config when the blanked text finally reads (the caller
/// refuses it anyway if anything was noted), the text as read, the problems, and the
/// (section, key) of each line blanked — key "*" for a whole section.
type Read = (Option<Config>, String, Vec<Problem>, Vec<(String, String)>);

fn read_tolerantly(text: &str) -> Read {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut problems = Vec::new();
    let mut blanked = Vec::new();
    loop {
        let work = lines.join("\n");
        let err = match toml::from_str::<Config>(&work) {
            Ok(config) => return (Some(config), work, problems, blanked),
            Err(e) => e,
        };
        let line = err.span().map(|s| line_at(&work, s.start));
        problems.push(Problem {
            line,
            message: err.message().trim().to_string(),
        });
        let syntax = toml::from_str::<toml::Table>(&work).is_err();
        let Some(range) = line
            .filter(|_| !syntax)
            .and_then(|n| blankable(&lines, n - 1))
        else {
            return (None, work, problems, blanked);
        };
        blanked.push(key_at(&lines, range.start));
        lines[range].iter_mut().for_each(String::clear);
    }
}

/// The (section, key) written on line `at`; key "*" when the line is the section's header.
fn key_at(lines: &[String], at: usize) -> (String, String) {
    let header = |t: &str| {
        t.strip_prefix('[')
            .and_then(|h| h.split(']').next())
            .map(|h| h.trim().to_string())
    };
    let t = lines[at].trim();
    if let Some(section) = header(t) {
        return (section, "*".into());
    }
    let section = lines[..at]
        .iter()
        .rev()
        .find_map(|l| header(l.trim()).filter(|_| is_header(l)))
        .unwrap_or_default();
    let key = t.split('=').next().unwrap_or("").trim();
    (
        section,
        key.trim_matches(|c| c == '"' || c == '\'').to_string(),
    )
}

/// A `[section]` header line (not the start of an array value such as `[1, 2],`).
fn is_header(line: &str) -> bool {
    let t = line.split('#').next().unwrap_or("").trim();
    t.starts_with('[') && t.ends_with(']') && !t.contains('=') && !t.contains(',')
}

/// The lines to blank for a key-level problem on line `at` (0-based): a one-line `key = value`,
/// or a whole `[section]` when the header is the problem. `None` for anything else.
fn blankable(lines: &[String], at: usize) -> Option<std::ops::Range<usize>> {
    let t = lines.get(at)?.trim();
    if is_header(t) && !t.starts_with("[[") {
        let end = (at + 1..lines.len())
            .find(|&i| is_header(&lines[i]))
            .unwrap_or(lines.len());
        return Some(at..end);
    }
    let balanced = t.matches('[').count() == t.matches(']').count()
        && t.matches('{').count() == t.matches('}').count()
        && !t.contains("\"\"\"")
        && !t.contains("\'\'\'");
    (t.contains('=') && !t.starts_with('#') && balanced).then_some(at..at + 1)
}

impl Config {
    pub fn settings(&self) -> Settings {
        let who = self
            .officer
            .name
            .as_deref()
            .map(crate::domain::case::clean_text)
            .filter(|n| !n.is_empty())
            .unwrap_or_else(crate::platform::operating_system_user);
        Settings {
            friday_policy: self.release.friday_policy,
            gaps: self.gaps.clone(),
            clusters: self.clusters.clone(),
            outstanding_days: self.release.outstanding_days,
            who,
            retention_days: self.data.retention_days,
        }
    }
}

/// 1-based line of a byte offset.
fn line_at(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The line where `key` is set inside `[section]` (for problems found after parsing).
fn line_of(text: &str, section: &str, key: &str) -> Option<usize> {
    let mut current = String::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if let Some(header) = t.strip_prefix('[').and_then(|h| h.split(']').next()) {
            current = header.trim().to_string();
            continue;
        }
        let Some((k, _)) = t.split_once('=') else {
            continue;
        };
        let k = k.trim().trim_matches(|c| c == '"' || c == '\'');
        let dotted = format!("{section}.{key}");
        if (current == section && k == key) || (current.is_empty() && k == dotted) {
            return Some(i + 1);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<Problem> {
        parse(text).expect_err("should be refused")
    }

    #[test]
    fn misspelt_keys_wrong_types_and_bad_values_are_reported_together() {
        let text = "[release]\nfrday_policy = true\n\n[gaps]\nnfa_shows_days = 28\nnfa_red_days = 70\n\n[clusters]\nwarn_weeks = \"eight\"\n\n[gapz]\nx = 1\n\n[keys]\nsearch = \"j\"\n";
        let found: Vec<_> = problems(text)
            .into_iter()
            .map(|p| (p.line, p.message))
            .collect();
        let lines: Vec<_> = found.iter().map(|(l, _)| *l).collect();
        assert_eq!(
            lines,
            [Some(2), Some(6), Some(9), Some(11), Some(15)],
            "{found:?}"
        );
        assert!(
            found[0].1.starts_with("unknown field `frday_policy`"),
            "{found:?}"
        );
        assert!(
            found[1].1.starts_with("gaps.nfa_red_days: red 70 days"),
            "{found:?}"
        );
        assert!(found[2].1.starts_with("invalid type"), "{found:?}");
        assert!(found[3].1.starts_with("unknown field `gapz`"), "{found:?}");
        assert_eq!(found[4].1, "keys: `j` would be both `down` and `search`");
        // A refused value reads as its default: no check compares that default with the file.
        let found = problems("[gaps]\ndtr_shows_days = 30\ndtr_red_days = \"x\"\n");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.starts_with("invalid type"), "{found:?}");
        let found = problems("[keys]\nsearch = 3\ndown = \"/\"\n");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].line, Some(2));
        // A refused section ends at the next header, not at an array value's continuation.
        let found = problems(
            "[gapz]\nx = [\n  [1, 2],\n]\n\n[gaps]\nnfa_shows_days = 28\nnfa_red_days = 70\n",
        );
        let lines: Vec<_> = found.iter().map(|p| p.line).collect();
        assert_eq!(lines, [Some(1), Some(8)], "{found:?}");
        // A syntax error is the end of it: what follows cannot be read.
        let found = problems("[gaps]\nnfa_shows_days = = 3\n[release]\nfrday = 1\n");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].line, Some(2));
    }

    #[test]
    fn the_handover_and_readiness_days_are_settings_checked_like_the_others() {
        let (config, _) = parse(
            "[gaps]\nofficer_handover_shows_days = 84\nofficer_handover_red_days = 5\n\
             appointment_shows_days = 21\nappointment_red_working_days = 3\n\
             licence_shows_working_days = 6\nlicence_red_working_days = 3\n",
        )
        .unwrap();
        let g = &config.gaps;
        assert_eq!(
            (
                g.officer_handover_shows_days,
                g.officer_handover_red_days,
                g.appointment_shows_days,
                g.appointment_red_working_days,
                g.licence_shows_working_days,
                g.licence_red_working_days
            ),
            (84, 5, 21, 3, 6, 3)
        );
        let found = problems(
            "[gaps]\nlicence_shows_working_days = 2\nlicence_red_working_days = 4\n\
             appointment_shows_days = 1000\n",
        );
        let messages: Vec<_> = found.iter().map(|p| (p.line, p.message.as_str())).collect();
        assert!(
            messages.iter().any(|(l, m)| *l == Some(4)
                && m.starts_with("gaps.appointment_shows_days: 1000 days is more than 730")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|(l, m)| *l == Some(3)
                && m.starts_with("gaps.licence_red_working_days: red 4 working days ahead")),
            "{messages:?}"
        );
        // The template holds every one of them at its default.
        let t = template::template();
        for line in [
            "officer_handover_shows_days = 56",
            "officer_handover_red_days = 2",
            "appointment_shows_days = 14",
            "appointment_red_working_days = 2",
            "licence_shows_working_days = 4",
            "licence_red_working_days = 2",
        ] {
            assert!(t.contains(line), "{line}");
        }
    }

    #[test]
    fn an_empty_file_is_every_default() {
        let (config, keymap) = parse("").unwrap();
        assert_eq!(config, Config::default());
        assert_eq!(keymap.by_action(), KeyMap::default().by_action());
        let s = config.settings();
        assert!(s.friday_policy);
        assert_eq!(s.gaps.dtr_red_days, 56);
        assert_eq!(s.clusters.warn_weeks, 8);
        assert_eq!(s.retention_days, 90);
    }

    #[test]
    fn settings_take_the_file_values() {
        let text = "[officer]\nname = \"Sam Example\"\n[release]\nfriday_policy = false\n\
                    [gaps]\nnfa_red_days = 10\n[clusters]\nwarn_weeks = 12\n\
                    [data]\nretention_days = 30\n[screen]\ntheme = \"light\"\n";
        let (config, _) = parse(text).unwrap();
        let s = config.settings();
        assert_eq!(s.who, "Sam Example");
        assert!(!s.friday_policy);
        assert_eq!(s.gaps.nfa_red_days, 10);
        assert_eq!(s.gaps.dtr_red_days, 56, "unset values keep their default");
        assert_eq!(s.clusters.warn_weeks, 12);
        assert_eq!(s.retention_days, 30);
        assert_eq!(config.screen.theme, ThemeName::Light);
    }

    #[test]
    fn an_unknown_key_names_its_line_and_the_known_ones() {
        let p = problems("[release]\n\nfrday_policy = false\n");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].line, Some(3));
        assert!(p[0].message.contains("frday_policy"), "{}", p[0].message);
        assert!(p[0].message.contains("friday_policy"), "{}", p[0].message);
        let p = problems("[colours]\ntheme = \"dark\"\n");
        assert_eq!(p[0].line, Some(1));
    }

    #[test]
    fn a_bad_value_names_its_line() {
        let p = problems("[release]\nfriday_policy = \"sometimes\"\n");
        assert_eq!(p[0].line, Some(2));
        assert!(p[0].message.contains("boolean"), "{}", p[0].message);
        let p = problems("[gaps]\ndtr_red_days = -3\n");
        assert_eq!(p[0].line, Some(2));
        let p = problems("[screen]\ntheme = \"neon\"\n");
        assert_eq!(p[0].line, Some(2));
        assert!(p[0].message.contains("dark"), "{}", p[0].message);
        let p = problems("[release]\nfriday_policy = tru\n");
        assert_eq!(p[0].line, Some(2));
    }

    #[test]
    fn lines_are_found_for_dotted_and_quoted_keys() {
        let text = "gaps.dtr_red_days = 5\n[keys]\n\"down\" = \"n\"\n";
        assert_eq!(line_of(text, "gaps", "dtr_red_days"), Some(1));
        assert_eq!(line_of(text, "keys", "down"), Some(3));
        assert_eq!(line_of(text, "keys", "up"), None);
    }
}
