//! Help generated from the one clap definition: shell completions, the man page, and
//! `--version` with the file locations an officer or their IT desk needs.

use super::args::{Cli, Shell};
use clap::CommandFactory;

pub fn completions(shell: Shell) -> String {
    let shell = match shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
        Shell::Powershell => clap_complete::Shell::PowerShell,
    };
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "releaseday", &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

pub fn man() -> anyhow::Result<String> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    Ok(String::from_utf8(out)?)
}

/// `releaseday --version`: the version, then where the data and the settings live.
pub fn version(cli: &Cli) -> String {
    let show = |p: Option<std::path::PathBuf>| match p {
        Some(p) => p.display().to_string(),
        None => "(no folder for this user; use --db / --config)".to_string(),
    };
    let config = super::config_path(cli);
    let state = match &config {
        Some(p) if p.exists() => "",
        Some(_) => " (not created; defaults in force)",
        None => "",
    };
    // A team database is shown without its password. A settings file that cannot be read
    // names none here (the run itself says what is wrong with it).
    let settings = crate::config::load(config.as_deref())
        .map(|l| l.config)
        .unwrap_or_default();
    let data = match super::team_url(cli, &settings) {
        Some(url) => super::db::shown_url(&url),
        None => show(super::db_path(cli).ok()),
    };
    format!(
        "releaseday {}\ndata:   {data}\nconfig: {}{state}\n",
        env!("CARGO_PKG_VERSION"),
        show(config),
    )
}
