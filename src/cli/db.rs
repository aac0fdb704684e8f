//! `releaseday db setup|grant|revoke`: setting a team database up on PostgreSQL and saying who
//! may use it (DOMAIN.md §6, §9). Plain sentences saying what was done; the URL is shown without
//! its password, and the password is never printed.

use super::args::{Cli, DbAction};
use std::path::Path;

/// The error for a `db` command run on a database file.
pub fn not_a_team_database(path: &Path) -> anyhow::Error {
    anyhow::anyhow!(
        "db commands need a team database URL (postgres://…), and {} is a database file: give \
         --db postgres://ROLE@HOST/DATABASE, or set RELEASEDAY_DB or the settings file's \
         [database] url",
        path.display()
    )
}

/// A team database URL as it may be shown: without its password, and filled in from the
/// environment as a connection would fill it in.
#[cfg(feature = "postgres")]
pub fn shown_url(url: &str) -> String {
    use crate::query::team::{ConnSpec, Env};
    match ConnSpec::parse(url, &Env::system()) {
        Ok(spec) => format!("{spec} (team database)"),
        Err(e) => format!("a team database URL that cannot be used: {e}"),
    }
}

#[cfg(not(feature = "postgres"))]
pub fn shown_url(_url: &str) -> String {
    "a team database URL (this build has no team database)".to_string()
}

/// The team database URL a `db` command works on.
fn url(cli: &Cli) -> anyhow::Result<String> {
    let config = crate::config::load(super::config_path(cli).as_deref())?;
    if let Some(url) = super::team_url(cli, &config.config) {
        return Ok(url);
    }
    match &cli.db {
        Some(path) => Err(not_a_team_database(path)),
        None => anyhow::bail!(
            "db commands need a team database URL: give --db postgres://ROLE@HOST/DATABASE, or \
             set RELEASEDAY_DB or the settings file's [database] url"
        ),
    }
}

#[cfg(feature = "postgres")]
pub fn run(cli: &Cli, action: &DbAction) -> anyhow::Result<String> {
    use crate::query::team::{self, ConnSpec, Env, SessionTimeouts};
    use std::time::Duration;

    if let DbAction::Copy { source, target } = action {
        return copy(source, target);
    }
    let url = url(cli)?;
    // Setting up runs DDL, which may wait for planners' locks: longer than a planner waits.
    let spec = ConnSpec::parse(&url, &Env::system())?.with_session_timeouts(SessionTimeouts {
        statement: Duration::from_secs(120),
        lock: Duration::from_secs(30),
        idle_in_transaction: Duration::from_secs(120),
    });
    Ok(match action {
        DbAction::Setup => words::setup(&team::setup(&spec)?),
        DbAction::Grant { role, teams } => words::granted(&team::grant(&spec, role, teams)?),
        DbAction::Revoke { role } => words::revoked(&team::revoke(&spec, role)?),
        DbAction::Copy { .. } => unreachable!("handled above"),
    })
}

/// `db copy SOURCE TARGET`: each a file or a URL, named on the command line (not by --db).
#[cfg(feature = "postgres")]
fn copy(source: &str, target: &str) -> anyhow::Result<String> {
    use crate::query::team::{self, ConnSpec, Env, SessionTimeouts};
    use std::time::Duration;

    if source == target {
        anyhow::bail!("the source and the target are the same database: give two");
    }
    // A copy of a national caseload takes longer than a screen's statement.
    let spec_for = |url: &str| -> anyhow::Result<ConnSpec> {
        Ok(
            ConnSpec::parse(url, &Env::system())?.with_session_timeouts(SessionTimeouts {
                statement: Duration::from_secs(600),
                lock: Duration::from_secs(30),
                idle_in_transaction: Duration::from_secs(600),
            }),
        )
    };
    let shown = |s: &str| {
        if crate::config::is_team_url(s) {
            shown_url(s)
        } else {
            s.to_string()
        }
    };
    let copied = team::copy(source, target, spec_for)?;
    Ok(format!(
        "Copied {} {} and {} history {} from {} to {}; the counts were checked before the \
         copy was committed.\n",
        copied.cases,
        if copied.cases == 1 { "case" } else { "cases" },
        copied.audit_rows,
        if copied.audit_rows == 1 {
            "entry"
        } else {
            "entries"
        },
        shown(source),
        shown(target)
    ))
}

#[cfg(not(feature = "postgres"))]
pub fn run(cli: &Cli, _action: &DbAction) -> anyhow::Result<String> {
    url(cli)?;
    anyhow::bail!(
        "this releaseday was built without the team database (cargo feature postgres); \
         install one built with default features"
    )
}

/// What each command did, in sentences.
#[cfg(feature = "postgres")]
mod words {
    use crate::query::team::{shown, Granted, Revoked, SetupReport, OFFICER_GROUP};

    pub fn setup(r: &SetupReport) -> String {
        let db = shown(&r.database);
        let owner = shown(&r.owner);
        let to = r.migrated.to;
        let mut out = match r.migrated.from {
            None | Some(0) => {
                format!("Set up the team database {db}: schema version {to}, owned by {owner}.\n")
            }
            Some(from) if from < to => format!(
                "Brought the team database {db} from schema version {from} to {to} (owned by \
                 {owner}).\n"
            ),
            Some(_) => format!(
                "The team database {db} is up to date: schema version {to}, owned by {owner}.\n"
            ),
        };
        if r.group_created {
            out += &format!("Created the officers' group role {OFFICER_GROUP}.\n");
        }
        if !r.granted.is_empty() {
            out += &format!(
                "Granted {OFFICER_GROUP} {} on the database.\n",
                r.granted.join(", ")
            );
        }
        for note in &r.notes {
            out += &format!("Note: {note}.\n");
        }
        if r.migrated.from.unwrap_or(0) == 0 {
            out += "Next, make each officer's own login role an officer: \
                    releaseday --db URL db grant ROLE [--team TEAM]...\n";
        }
        out
    }

    pub fn granted(g: &Granted) -> String {
        let role = shown(&g.role);
        let mut out = match &g.before {
            None => format!("{role} is an officer now, seeing {}.\n", g.now),
            Some(before) if *before == g.now => {
                format!("{role} is an officer seeing {}, as before.\n", g.now)
            }
            Some(before) => format!(
                "{role} was an officer seeing {before}; now seeing {}.\n",
                g.now
            ),
        };
        for team in &g.unmatched {
            out += &format!(
                "Note: no case has the team {team:?} yet (teams match ignoring case); check the \
                 spelling.\n"
            );
        }
        out
    }

    pub fn revoked(r: &Revoked) -> String {
        let role = shown(&r.role);
        match (&r.was, r.member) {
            (Some(was), _) => format!("{role} is no longer an officer (was seeing {was}).\n"),
            (None, true) => format!("{role} is no longer an officer.\n"),
            (None, false) => format!("{role} was not an officer; nothing changed.\n"),
        }
    }
}
