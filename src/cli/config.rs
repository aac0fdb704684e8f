//! `releaseday config path|show|init`: where the settings file is, what is in force, and a
//! starting file with every default explained.

use super::ConfigAction;
use crate::config::{self, template};
use anyhow::Context;
use std::path::Path;

pub fn run(path: Option<&Path>, action: &ConfigAction) -> anyhow::Result<String> {
    match action {
        ConfigAction::Path => Ok(format!("{}\n", require(path)?.display())),
        ConfigAction::Show => show(path),
        ConfigAction::Init { print: true, .. } => Ok(template()),
        ConfigAction::Init { force, .. } => init(require(path)?, *force),
    }
}

fn require(path: Option<&Path>) -> anyhow::Result<&Path> {
    path.context("no config directory could be found for this user; give a file with --config PATH")
}

/// The settings in force as TOML: the file's values over the defaults, with the officer's name
/// resolved and every key binding listed.
fn show(path: Option<&Path>) -> anyhow::Result<String> {
    let loaded = config::load(path)?;
    let mut shown = loaded.config.clone();
    shown.officer.name = Some(loaded.settings().who);
    shown.keys = loaded
        .keymap
        .by_action()
        .into_iter()
        .map(|(action, keys)| (action.name().to_string(), config::KeyList(keys)))
        .collect();
    let source = match (&loaded.path, loaded.found) {
        (Some(p), true) => format!("# Settings in force: {} over the defaults.\n", p.display()),
        (Some(p), false) => format!(
            "# Settings in force: the defaults ({} does not exist; `releaseday config init` writes it).\n",
            p.display()
        ),
        (None, _) => "# Settings in force: the defaults.\n".to_string(),
    };
    Ok(source + "\n" + &toml::to_string(&shown)?)
}

fn init(path: &Path, force: bool) -> anyhow::Result<String> {
    if path.exists() && !force {
        anyhow::bail!(
            "{} already exists; `releaseday config show` shows what it sets. \
             Use --force to replace it with the defaults.",
            path.display()
        );
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    }
    super::write_atomically(path, template().as_bytes())?;
    Ok(format!(
        "Wrote {} with every setting at its default. Edit it, then check with `releaseday config show`.\n",
        path.display()
    ))
}
