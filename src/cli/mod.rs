//! The scriptable command line (DOMAIN.md §6): one module per subcommand, all through the query layer.

pub mod args;
mod backup;
mod clusters;
mod config;
mod csv_out;
mod db;
mod demo;
mod edit;
mod export;
mod gaps;
mod handovers;
mod help;
mod holidays;
pub mod import;
mod json;
mod list;
pub mod output;
mod sink;
mod today;

pub use args::{
    ChangeFormat, Cli, ClusterFormat, Command, ConfigAction, DbAction, ExportFormat, FilterArgs,
    Format, HolidaysAction, TodayFormat,
};
pub use help::version;

use crate::platform;
use crate::query::Planner;
use anyhow::Context;
use chrono::{Days, Months, NaiveDate, NaiveDateTime};
use output::Term;
use sink::write_atomically;
use std::path::PathBuf;

/// What every subcommand works with.
pub struct Ctx {
    pub planner: Planner,
    /// Where the database is (said by `demo`).
    pub db: PathBuf,
    /// The settings file in force (its thresholds are already in the planner).
    pub config: crate::config::Loaded,
    pub today: NaiveDate,
    pub term: Term,
}

/// The database to open: `--db`/`RELEASEDAY_DB`, else the default. Demo runs (`--demo`,
/// `demo`) open the demo file unless `--db` is on the command line: invented cases never go into
/// the database `RELEASEDAY_DB` names, which is a team's real one.
pub fn db_path(cli: &Cli) -> anyhow::Result<PathBuf> {
    let demo = cli.demo || matches!(cli.command, Some(Command::Demo { .. }));
    let path = match (&cli.db, demo) {
        (Some(p), true) if cli.db_on_command_line => Some(p.clone()),
        (_, true) => platform::demo_db_path(),
        (Some(p), false) => Some(p.clone()),
        (None, false) => platform::default_db_path(),
    };
    path.context("no data directory could be found for this user; give a file with --db PATH")
}

/// The team database the run names, if it names one: `--db`/`RELEASEDAY_DB` when that is a
/// `postgres://` URL, else the settings file's `[database] url` when neither names a database.
/// Demo runs never use one (see `db_path`).
pub fn team_url(cli: &Cli, config: &crate::config::Config) -> Option<String> {
    let demo = cli.demo || matches!(cli.command, Some(Command::Demo { .. }));
    match &cli.db {
        _ if demo && !cli.db_on_command_line => None,
        Some(db) => db
            .to_str()
            .filter(|s| crate::config::is_team_url(s))
            .map(str::to_string),
        None => config.database.url.clone(),
    }
}

/// The settings file: `--config`/`RELEASEDAY_CONFIG`, else the platform's config folder.
pub fn config_path(cli: &Cli) -> Option<PathBuf> {
    cli.config.clone().or_else(crate::config::default_path)
}

pub fn open(cli: &Cli, today: NaiveDate) -> anyhow::Result<Ctx> {
    // Settings first: a broken settings file stops the run before the database is touched.
    let config = crate::config::load(config_path(cli).as_deref())?;
    if let Some(url) = team_url(cli, &config.config) {
        return open_team(cli, &url, config, today);
    }
    let path = db_path(cli)?;
    let planner = Planner::open(&path, config.settings())?;
    Ok(Ctx {
        planner,
        db: path,
        config,
        today,
        term: Term::detect(),
    })
}

/// Opens the team database `url` names. Invented cases never go into one.
#[cfg(feature = "postgres")]
fn open_team(
    cli: &Cli,
    url: &str,
    config: crate::config::Loaded,
    today: NaiveDate,
) -> anyhow::Result<Ctx> {
    if cli.demo || matches!(cli.command, Some(Command::Demo { .. })) {
        anyhow::bail!(
            "demo data never goes into a team database: give a database file with --db PATH"
        );
    }
    let planner = crate::query::team::open_planner(url, config.settings())?;
    Ok(Ctx {
        planner,
        db: PathBuf::from(db::shown_url(url)),
        config,
        today,
        term: Term::detect(),
    })
}

#[cfg(not(feature = "postgres"))]
fn open_team(
    _cli: &Cli,
    _url: &str,
    _config: crate::config::Loaded,
    _today: NaiveDate,
) -> anyhow::Result<Ctx> {
    anyhow::bail!(
        "this releaseday was built without the team database (cargo feature postgres); \
         install one built with default features, or give a database file with --db PATH"
    )
}

/// Opens the database for a run, writing today's demo caseload first for `--demo`.
pub fn prepare(cli: &Cli, today: NaiveDate) -> anyhow::Result<Ctx> {
    let mut ctx = open(cli, today)?;
    if cli.demo {
        demo::ensure(&mut ctx)?;
    }
    Ok(ctx)
}

/// Runs a subcommand and returns what it prints on standard output. `now` is the time a
/// check-in records.
pub fn run(cli: Cli, today: NaiveDate, now: NaiveDateTime) -> anyhow::Result<String> {
    // These need no database, and must work while the settings file is broken.
    match &cli.command {
        Some(Command::Config { action }) => {
            return config::run(config_path(&cli).as_deref(), action)
        }
        Some(Command::Completions { shell }) => return Ok(help::completions(*shell)),
        Some(Command::Man) => return help::man(),
        // The team database's own commands: no planner, no database file.
        Some(Command::Db { action }) => return db::run(&cli, action),
        _ => {}
    }
    let mut ctx = prepare(&cli, today)?;
    if let Some(notice) = ctx.planner.notice.take() {
        // On standard error: the output may be JSON or CSV for a script.
        eprintln!(
            "releaseday: {notice}. Everyone sharing this database should use the same \
             friday_policy."
        );
    }
    run_in(ctx, cli.command, today, now)
}

/// Runs a subcommand (or, with none, prints the summary) in an opened context.
pub fn run_in(
    mut ctx: Ctx,
    command: Option<Command>,
    today: NaiveDate,
    now: NaiveDateTime,
) -> anyhow::Result<String> {
    let in_weeks = |w: u64| today.checked_add_days(Days::new(w * 7)).unwrap_or(today);
    match command {
        None => summary(&ctx),
        Some(Command::Import {
            file,
            dry_run,
            prefer_file,
        }) => import::run(&mut ctx, &file, dry_run, prefer_file),
        Some(Command::List {
            from,
            to,
            format,
            filter,
        }) => {
            let (from, to) = window(from, to, today, in_weeks(12), "12 weeks")?;
            sink::to_stdout(|out| list::run(&ctx, from, to, format, &filter.filter(), out))
        }
        Some(Command::Gaps { to, format, filter }) => {
            if let Some(to) = to.filter(|to| *to < today) {
                anyhow::bail!(
                    "--to {} is before today ({}): the worklist holds releases from today on; \
                     give a --to on or after today",
                    crate::domain::dates::long(to),
                    crate::domain::dates::long(today)
                );
            }
            sink::to_stdout(|out| gaps::run(&ctx, to, format, &filter.filter(), out))
        }
        Some(Command::Handovers {
            from,
            to,
            format,
            filter,
        }) => {
            let (from, to) = window(from, to, today, in_weeks(8), "8 weeks")?;
            sink::to_stdout(|out| handovers::run(&ctx, from, to, format, &filter.filter(), out))
        }
        Some(Command::Clusters { from, to, format }) => {
            let year = today.checked_add_months(Months::new(12)).unwrap_or(today);
            let (from, to) = window(from, to, today, year, "12 months")?;
            sink::to_stdout(|out| clusters::run(&ctx, from, to, format, out))
        }
        Some(Command::Today {
            format,
            sort,
            output,
            filter,
        }) => sink::to(output, |out| {
            today::run(&ctx, format, sort, &filter.filter(), out)?;
            Ok("the day sheet".to_string())
        }),
        Some(Command::Export {
            format,
            output,
            full_names,
        }) => sink::to(output, |out| match format {
            ExportFormat::Csv => export::csv(&ctx, out),
            // Like the store's audit times, DTSTAMP records when the file was written (it
            // never feeds the rules); calendar programs compare it to tell which copy of an
            // event is newer.
            ExportFormat::Ics => export::ics(&ctx, full_names, chrono::Utc::now(), out),
        }),
        Some(Command::Holidays {
            action: HolidaysAction::List { year, format },
        }) => holidays::list(&ctx, year, format),
        Some(Command::Holidays {
            action: HolidaysAction::Import { file },
        }) => holidays::import(ctx, &file),
        Some(Command::Demo { reset, cases, seed }) => demo::run(&mut ctx, cases, seed, reset),
        Some(Command::Edit {
            crn,
            changes,
            yes,
            format,
        }) => edit::edit(&mut ctx, &crn, &changes, yes, format),
        Some(Command::Checkin { crn, undo, format }) => {
            edit::checkin(&mut ctx, &crn, undo, now, format)
        }
        Some(Command::Backup { file, force }) => backup::backup(&ctx, &file, force),
        Some(Command::Restore { file }) => backup::restore(&mut ctx, &file),
        Some(Command::Purge {
            released_before,
            dry_run,
        }) => backup::purge(&mut ctx, released_before, dry_run),
        Some(Command::Config { action }) => config::run(ctx.config.path.as_deref(), &action),
        // `run` hands these on before a database file is opened; with one open, it is a file.
        Some(Command::Db { .. }) => Err(db::not_a_team_database(&ctx.db)),
        Some(Command::Completions { shell }) => Ok(help::completions(shell)),
        Some(Command::Man) => help::man(),
    }
}

/// Until the planner's screens land: clusters ahead and the gap worklist.
fn summary(ctx: &Ctx) -> anyhow::Result<String> {
    let none = crate::query::CaseFilter::default();
    if ctx.planner.case_count()? == 0 {
        return sink::to_stdout(|out| {
            out.write_all(
                b"releaseday: no cases yet.\n\n\
                  Import your team's export:   releaseday import releases.csv\n\
                  Or try it on invented data:  releaseday --demo\n\n\
                  Bank-holiday clusters ahead come from the calendar alone:\n\n",
            )?;
            let year = ctx.today + Months::new(12);
            clusters::run(ctx, ctx.today, year, ClusterFormat::Table, out)
        });
    }
    let lead = ctx.today + Days::new(u64::from(ctx.planner.settings.clusters.warn_weeks) * 7);
    sink::to_stdout(|out| {
        clusters::run(ctx, ctx.today, lead, ClusterFormat::Table, out)?;
        out.write_all(b"\n")?;
        gaps::run(ctx, None, Format::Table, &none, out)
    })
}

/// The window of `--from`/`--to`, each defaulting (to today, and to `default_to`); refused
/// when it runs backwards, which would otherwise list nothing and look like an empty caseload.
fn window(
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    today: NaiveDate,
    default_to: NaiveDate,
    default_span: &str,
) -> anyhow::Result<(NaiveDate, NaiveDate)> {
    let (first, last) = (from.unwrap_or(today), to.unwrap_or(default_to));
    if first > last {
        let day = crate::domain::dates::long;
        match (from, to) {
            (Some(_), None) => anyhow::bail!(
                "--from {} is after the end of the default window ({}, {default_span} from \
                 today); give a --to on or after it",
                day(first),
                day(last)
            ),
            (None, _) => anyhow::bail!(
                "--to {} is before today ({}); give a --from on or before it",
                day(last),
                day(first)
            ),
            (Some(_), Some(_)) => anyhow::bail!(
                "--from {} is after --to {}; give a --from on or before the --to",
                day(first),
                day(last)
            ),
        }
    }
    Ok((first, last))
}
