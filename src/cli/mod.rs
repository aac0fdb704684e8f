//! The scriptable command line (DOMAIN.md §6): one module per subcommand, all through the query layer.

pub mod args;
mod backup;
mod clusters;
mod config;
mod csv_out;
mod demo;
mod edit;
mod export;
mod gaps;
mod help;
mod holidays;
pub mod import;
mod json;
mod list;
pub mod output;
mod today;
mod today_html;

pub use args::{
    ChangeFormat, Cli, ClusterFormat, Command, ConfigAction, ExportFormat, Format, HolidaysAction,
    TodayFormat,
};
pub use help::version;

use crate::query::Planner;
use crate::store::{self, Store};
use anyhow::Context;
use chrono::{Days, Months, NaiveDate, NaiveDateTime};
use output::Term;
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
        (_, true) => store::paths::demo_db_path(),
        (Some(p), false) => Some(p.clone()),
        (None, false) => store::paths::default_db_path(),
    };
    path.context("no data directory could be found for this user; give a file with --db PATH")
}

/// The settings file: `--config`/`RELEASEDAY_CONFIG`, else the platform's config folder.
pub fn config_path(cli: &Cli) -> Option<PathBuf> {
    cli.config.clone().or_else(crate::config::default_path)
}

pub fn open(cli: &Cli, today: NaiveDate) -> anyhow::Result<Ctx> {
    // Settings first: a broken settings file stops the run before the database is touched.
    let config = crate::config::load(config_path(cli).as_deref())?;
    let path = db_path(cli)?;
    let store = Store::open(&path)
        .with_context(|| format!("cannot open the database {}", path.display()))?;
    let planner = Planner::new(store, config.settings())?;
    Ok(Ctx {
        planner,
        db: path,
        config,
        today,
        term: Term::detect(),
    })
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
        Some(Command::Import { file, dry_run }) => import::run(&mut ctx, &file, dry_run),
        Some(Command::List { from, to, format }) => {
            let from = from.unwrap_or(today);
            list::run(&ctx, from, to.unwrap_or_else(|| in_weeks(12)), format)
        }
        Some(Command::Gaps { to, format }) => gaps::run(&ctx, to, format),
        Some(Command::Clusters { from, to, format }) => {
            let to =
                to.unwrap_or_else(|| today.checked_add_months(Months::new(12)).unwrap_or(today));
            clusters::run(&ctx, from.unwrap_or(today), to, format)
        }
        Some(Command::Today { format, output }) => {
            let sheet = today::run(&ctx, format)?;
            written(sheet, output, "the day sheet")
        }
        Some(Command::Export {
            format,
            output,
            full_names,
        }) => {
            let (text, what) = match format {
                ExportFormat::Csv => {
                    let n = ctx.planner.store.case_count()?;
                    (export::csv(&ctx)?, format!("{n} cases"))
                }
                ExportFormat::Ics => {
                    // Like the store's audit times, DTSTAMP records when the file was written
                    // (it never feeds the rules); calendar programs compare it to tell which
                    // copy of an event is newer.
                    let ics = export::ics(&ctx, full_names, chrono::Utc::now())?;
                    let what = format!(
                        "{} release{} and {} cluster warning{}",
                        ics.releases,
                        if ics.releases == 1 { "" } else { "s" },
                        ics.clusters,
                        if ics.clusters == 1 { "" } else { "s" }
                    );
                    (ics.text, what)
                }
            };
            written(text, output, &what)
        }
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
        Some(Command::Completions { shell }) => Ok(help::completions(shell)),
        Some(Command::Man) => help::man(),
    }
}

/// Until the planner's screens land: clusters ahead and the gap worklist.
fn summary(ctx: &Ctx) -> anyhow::Result<String> {
    if ctx.planner.store.case_count()? == 0 {
        return Ok(format!(
            "releaseday: no cases yet.\n\n\
             Import your team's export:   releaseday import releases.csv\n\
             Or try it on invented data:  releaseday --demo\n\n\
             Bank-holiday clusters ahead come from the calendar alone:\n\n{}",
            clusters::run(
                ctx,
                ctx.today,
                ctx.today + Months::new(12),
                ClusterFormat::Table
            )?
        ));
    }
    let lead = ctx.today + Days::new(u64::from(ctx.planner.settings.clusters.warn_weeks) * 7);
    let mut out = clusters::run(ctx, ctx.today, lead, ClusterFormat::Table)?;
    out += "\n";
    out += &gaps::run(ctx, None, Format::Table)?;
    Ok(out)
}

/// `text` to print, or written to `output` (private, whole) with a line saying so.
fn written(text: String, output: Option<PathBuf>, what: &str) -> anyhow::Result<String> {
    match output {
        Some(path) => {
            write_atomically(&path, text.as_bytes())?;
            Ok(format!("Wrote {what} to {}.\n", path.display()))
        }
        None => Ok(text),
    }
}

/// Writes to a temporary file beside `path`, then renames it over: never a half-written file.
fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let name = path.file_name().context("the output path names no file")?;
    let tmp = dir.join(format!(".{}.tmp", name.to_string_lossy()));
    write_private(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// Exports hold names and risk levels: on Unix the file is readable by its owner only.
fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    // Windows: the file inherits the user profile folder's access list.
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}
