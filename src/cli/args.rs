//! The command line (DOMAIN.md §6), defined once with clap; help, completions and the man page come from here.

use chrono::NaiveDate;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "releaseday",
    disable_version_flag = true,
    about = "Release-day planner for probation teams in England and Wales",
    long_about = "Release-day planner for probation teams in England and Wales.\n\n\
        Lists releases by the day they will really happen (weekend, bank-holiday and Friday-policy \
        rules applied), flags accommodation referrals that are due or overdue, and warns about \
        release clusters before holidays. With no subcommand the planner's screens open."
)]
pub struct Cli {
    /// The database file, or a team database's postgres:// URL [default: releaseday.db in your
    /// data directory]
    // The variable's value is never shown in help: a URL there may hold a password.
    #[arg(
        long,
        global = true,
        env = "RELEASEDAY_DB",
        hide_env_values = true,
        value_name = "PATH"
    )]
    pub db: Option<PathBuf>,

    /// Plan as if today were this date (YYYY-MM-DD or DD/MM/YYYY) [default: the local date]
    #[arg(long, global = true, value_name = "DATE", value_parser = parse_day)]
    pub today: Option<NaiveDate>,

    /// The settings file [default: config.toml in your config directory]
    #[arg(long, global = true, env = "RELEASEDAY_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Open the planner on invented demo data (a separate file, never your real one)
    #[arg(long)]
    pub demo: bool,

    /// Print the version and where the data and settings files are
    #[arg(short = 'V', long)]
    pub version: bool,

    #[command(subcommand)]
    pub command: Option<Command>,

    /// Whether `db` came from `--db` on the command line (not `RELEASEDAY_DB`): the demo
    /// writes only to a file named there. Set by `Cli::from_env_args`.
    #[arg(skip)]
    pub db_on_command_line: bool,
}

impl Cli {
    /// Parses the process's arguments (exiting with clap's message on a mistyped command
    /// line), noting where `--db` came from.
    pub fn from_env_args() -> Cli {
        Cli::from_matches(Cli::command().get_matches())
    }

    /// As `from_env_args`, from given arguments (tests).
    pub fn try_from_args<I, T>(args: I) -> Result<Cli, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        Ok(Cli::from_matches(
            Cli::command().try_get_matches_from(args)?,
        ))
    }

    fn from_matches(matches: clap::ArgMatches) -> Cli {
        let mut cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
        cli.db_on_command_line =
            matches.value_source("db") == Some(clap::parser::ValueSource::CommandLine);
        cli
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import a CSV or XLSX export: checked whole, then written in one go or not at all
    Import {
        /// The .csv or .xlsx file
        file: PathBuf,
        /// Report what would change (each field old → new, and each conflict) without writing
        #[arg(long)]
        dry_run: bool,
        /// Take the file's value even for a field changed in the planner since the last
        /// import (otherwise the planner's value is kept and reported as a conflict)
        #[arg(long)]
        prefer_file: bool,
    },
    /// Releases by expected day [default: today to 12 weeks on]
    List {
        /// First expected day to show, YYYY-MM-DD or DD/MM/YYYY [default: today]
        #[arg(long, value_name = "DATE", value_parser = parse_day)]
        from: Option<NaiveDate>,
        /// Last expected day to show, included [default: 12 weeks from today]
        #[arg(long, value_name = "DATE", value_parser = parse_day)]
        to: Option<NaiveDate>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Every accommodation and allocation gap shown today, red first, then by due day
    Gaps {
        /// Only releases expected on or before this date [default: every release from today on]
        #[arg(long, value_name = "DATE", value_parser = parse_day)]
        to: Option<NaiveDate>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// OMiC handovers from prison to the community (POM to COM), by handover day [default:
    /// today to 8 weeks on]
    Handovers {
        /// First handover day to show, YYYY-MM-DD or DD/MM/YYYY [default: today]
        #[arg(long, value_name = "DATE", value_parser = parse_day)]
        from: Option<NaiveDate>,
        /// Last handover day to show, included [default: 8 weeks from today]
        #[arg(long, value_name = "DATE", value_parser = parse_day)]
        to: Option<NaiveDate>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Holiday and load clusters [default: today to 12 months on]
    Clusters {
        /// First day to look at, YYYY-MM-DD or DD/MM/YYYY [default: today]
        #[arg(long, value_name = "DATE", value_parser = parse_day)]
        from: Option<NaiveDate>,
        /// Last day to look at, included [default: 12 months from today]
        #[arg(long, value_name = "DATE", value_parser = parse_day)]
        to: Option<NaiveDate>,
        #[arg(long, value_enum, default_value_t = ClusterFormat::Table)]
        format: ClusterFormat,
    },
    /// The duty officer's sheet: today's releases and anyone not yet reported
    Today {
        #[arg(long, value_enum, default_value_t = TodayFormat::Table)]
        format: TodayFormat,
        /// Each part by name (today's; earlier days' by day, then name) or by the time of the
        /// initial appointment, earliest first and none booked last
        #[arg(long, value_enum, default_value_t = SheetSort::Name)]
        sort: SheetSort,
        #[command(flatten)]
        filter: FilterArgs,
        /// Where to write the sheet, readable by you only [default: standard output]
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Export every case as CSV, or releases and cluster warnings as a calendar (ICS)
    ///
    /// csv: every case with the columns `import` reads (full names included), so the file
    /// imports back unchanged. Written as UTF-8 with a byte-order mark, as Excel expects, so
    /// accents (Zoë) open right in Excel on Windows.
    ///
    /// ics: one all-day event per release expected from today to 12 months on, on its expected
    /// day, and one per release-cluster warning in that window. Events name people by CRN and
    /// initials unless --full-names is given; notes and NOMS numbers are never included. Each
    /// event keeps its identifier from one export to the next, so a calendar program that
    /// matches events by identifier updates them rather than adding copies.
    Export {
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Where to write, readable by you only [default: standard output]
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// ics: full names in events instead of initials (csv always has full names; ignored there)
        #[arg(long)]
        full_names: bool,
    },
    /// Change fields of one case, as the planner's edit form does
    ///
    /// FIELD is an import column name (dtr, dtr_date, crs, cas3, ap, ap_required, cas2,
    /// accommodation, officer, team, prison, rosh, mappa, confirmed_day, friday_release, notes,
    /// name, noms, release_date, release_type and the other referrals' dates); FIELD= clears it.
    /// Every value is checked as an import checks it, and as the edit form does (no sent date
    /// after today; a sent date only on a referral that was sent). All the changes are saved in
    /// one transaction with an audit row each, or none is. Recording a referral as sent
    /// (SUBMITTED, or LIVE for CRS) dates it today unless the same edit gives the date.
    ///
    /// For example: releaseday edit X123456 dtr=SUBMITTED dtr_date=2026-11-20 accommodation=CAS3
    Edit {
        /// The case's CRN
        crn: String,
        /// FIELD=VALUE pairs
        #[arg(required = true, value_name = "FIELD=VALUE")]
        changes: Vec<String>,
        /// Save a confirmed release day on a weekend or bank holiday (the form asks first)
        #[arg(long)]
        yes: bool,
        /// table: what changed; json: the case after the change, as `list --format json` shows it
        #[arg(long, value_enum, default_value_t = ChangeFormat::Table)]
        format: ChangeFormat,
    },
    /// Record that a person reported on release (the time now), or take it back with --undo
    Checkin {
        /// The case's CRN
        crn: String,
        /// Take back a check-in recorded by mistake
        #[arg(long)]
        undo: bool,
        /// table: one line; json: the case after the change
        #[arg(long, value_enum, default_value_t = ChangeFormat::Table)]
        format: ChangeFormat,
    },
    /// Bank holidays in force, and loading a newer gov.uk file
    Holidays {
        #[command(subcommand)]
        action: HolidaysAction,
    },
    /// Write an invented caseload into the demo database (or the file --db names)
    ///
    /// Never into the database RELEASEDAY_DB or the settings name: only the demo file or an
    /// explicit --db PATH on the command line. A demo caseload already there is kept (with any
    /// changes made to it) unless --reset is given.
    Demo {
        /// Replace the demo caseload already there with a freshly written one
        #[arg(long)]
        reset: bool,
        /// How many cases
        #[arg(long, default_value_t = 250)]
        cases: usize,
        /// Seed: the same seed and today give the same caseload
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Copy the whole database to FILE (readable by you only), safely while others use it
    Backup {
        /// The backup file to write
        file: PathBuf,
        /// Replace FILE if it exists
        #[arg(long)]
        force: bool,
    },
    /// Replace the database with a backup, once it is checked whole
    ///
    /// The current database is kept as <database>.before-restore.
    Restore {
        /// A backup written by `releaseday backup`
        file: PathBuf,
    },
    /// Delete cases released before a day, with their history
    ///
    /// By default, cases released more than retention_days (a setting, default 90) days ago.
    Purge {
        /// Delete cases whose expected release day is before this date
        #[arg(long, value_name = "DATE", value_parser = parse_day)]
        released_before: Option<NaiveDate>,
        /// Report how many would go without deleting
        #[arg(long)]
        dry_run: bool,
    },
    /// Set up a team database on PostgreSQL and say who may use it (--db postgres://ROLE@HOST/DATABASE)
    ///
    /// The team database is named by --db or RELEASEDAY_DB (a postgres:// or postgresql:// URL),
    /// or by the settings file's [database] url. The password comes from ~/.pgpass or
    /// PGPASSWORD, as for psql, and is never printed.
    Db {
        #[command(subcommand)]
        action: DbAction,
    },
    /// The settings file: thresholds, Friday policy, your name for the audit log, theme, keys
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// Print a shell completion script for bash, zsh, fish or PowerShell
    ///
    /// For example: releaseday completions bash > ~/.local/share/bash-completion/completions/releaseday
    Completions {
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Print the manual page (roff)
    ///
    /// For example: releaseday man | man -l -
    Man,
}

/// The screens' filters, on the command line (`list`, `gaps`, `today`).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FilterArgs {
    /// Only this officer's cases (the whole name, any case; "(none)" for unallocated)
    #[arg(long, value_name = "NAME")]
    pub officer: Option<String>,
    /// Only this team's cases (the whole name, any case; "(none)" for no team)
    #[arg(long, value_name = "TEAM")]
    pub team: Option<String>,
    /// Only cases leaving this prison (the whole name, any case; "(none)" for not recorded)
    #[arg(long, value_name = "PRISON")]
    pub prison: Option<String>,
    /// Only people with nowhere to go: no fixed abode, transient or unknown, and no place booked
    #[arg(long)]
    pub nowhere_to_go: bool,
}

impl FilterArgs {
    pub fn filter(self) -> crate::query::CaseFilter {
        crate::query::CaseFilter {
            officer: self.officer,
            team: self.team,
            prison: self.prison,
            nowhere_to_go: self.nowhere_to_go,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Print where the settings file is (it need not exist yet)
    Path,
    /// Print the settings in force: the file's over the defaults
    Show,
    /// Write a settings file with every default and why it is the default
    Init {
        /// Replace an existing file
        #[arg(long)]
        force: bool,
        /// Print the file instead of writing it
        #[arg(long)]
        print: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum DbAction {
    /// Create or bring up to date the schema and the officers' group role (safe to run again)
    ///
    /// Run once by the role that is to own the team database (not a superuser, ideally: the
    /// database's owner, with CREATEROLE to make the group role releaseday_officer, or with
    /// that role made beforehand and ADMIN OPTION on it). After an upgrade of releaseday, run
    /// it again to bring the schema up to date.
    Setup,
    /// Make an existing login role an officer, seeing every team or only those given
    ///
    /// Run by the team database's owner. Without --team the officer sees every team's cases;
    /// with it, only those teams' cases (names match ignoring case). --team "(none)" adds the
    /// cases with no team. Granting a role again replaces its teams. Superusers and roles with
    /// BYPASSRLS are refused: nothing would hold them to their teams.
    Grant {
        /// The officer's own login role (exactly as named in PostgreSQL)
        role: String,
        /// A team whose cases the officer sees (repeat for more; "(none)": cases with no team)
        #[arg(long = "team", value_name = "TEAM")]
        teams: Vec<String>,
    },
    /// Stop a role being an officer: it sees no case any more
    Revoke {
        /// The login role
        role: String,
    },
    /// Copy a whole database into an empty one: a desk's file onto the team database, or back
    ///
    /// SOURCE and TARGET are each a database file or a postgres:// URL. Cases are copied with
    /// their versions, marks and check-ins, with their whole history, settings and holiday
    /// file; the counts are checked before the copy is committed, in one transaction on the
    /// target. A target that holds any case is refused. On a team database run it as its
    /// owner: an officer would copy only the teams it sees, and cannot keep the history as
    /// it was.
    Copy {
        /// The database to copy from (a file or a postgres:// URL)
        source: String,
        /// The empty database to copy into (a file, created if need be, or a postgres:// URL)
        target: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum HolidaysAction {
    /// Load a gov.uk bank-holidays JSON file into the database
    Import { file: PathBuf },
    /// Show the England and Wales bank holidays in force, marking projected ones
    List {
        /// Only this year (from 1990 to 2150: the published gov.uk years, the rest projected)
        #[arg(long)]
        year: Option<i32>,
        #[arg(long, value_enum, default_value_t = ClusterFormat::Table)]
        format: ClusterFormat,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SheetSort {
    Name,
    Appointment,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChangeFormat {
    Table,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ClusterFormat {
    Table,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TodayFormat {
    Table,
    Json,
    Csv,
    Markdown,
    /// A printable page for the duty desk, self-contained (no scripts, no outside files)
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Every case, the import columns
    Csv,
    /// A calendar: releases and cluster warnings, today to 12 months on
    Ics,
}

fn parse_day(s: &str) -> Result<NaiveDate, String> {
    crate::domain::case::parse_date(s).map_err(|e| e.to_string())
}
