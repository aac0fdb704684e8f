//! Facts about the machine and the account the planner runs under, asked of the operating
//! system in one place: the per-user folders for data and settings, and the user's name. Both
//! faces, the settings and the store use them; this module uses nothing else of the crate's
//! but `domain` text cleaning.

use std::path::PathBuf;

const REAL_FILE: &str = "releaseday.db";
const DEMO_FILE: &str = "releaseday-demo.db";

/// The per-user data folder (`~/.local/share/releaseday` on Linux, `%APPDATA%\releaseday\releaseday\data`
/// on Windows, `~/Library/Application Support/uk.releaseday.releaseday` on macOS).
pub fn data_dir() -> Option<PathBuf> {
    project_dirs().map(|d| d.data_dir().to_path_buf())
}

/// The real caseload's database file.
pub fn default_db_path() -> Option<PathBuf> {
    data_dir().map(|d| d.join(REAL_FILE))
}

/// The demo database: same folder, a different file, so the demo never touches real cases.
pub fn demo_db_path() -> Option<PathBuf> {
    data_dir().map(|d| d.join(DEMO_FILE))
}

/// The logged-in user's name for audit rows: `USER`, `LOGNAME` or `USERNAME` if set, else the
/// operating system's account name (the password database on Unix, `GetUserNameW` on Windows),
/// so a service or `env -i` run is still named; "unknown" only when both fail. Control
/// characters are removed.
pub fn operating_system_user() -> String {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .filter_map(|var| std::env::var(var).ok())
        .chain(whoami::fallible::username())
        .map(|v| crate::domain::case::clean_text(&v))
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| "unknown".to_string())
}

const CONFIG_FILE: &str = "config.toml";

/// The settings file in the platform's config folder (`~/.config/releaseday` on Linux,
/// `%APPDATA%\releaseday\releaseday\config` on Windows, `~/Library/Application Support/uk.releaseday.releaseday` on macOS).
pub fn config_file() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().join(CONFIG_FILE))
}

/// The platform's folders for this program; `None` when the user has no home folder.
fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("uk", "releaseday", "releaseday")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_file_sits_beside_the_real_one_and_is_never_it() {
        let (Some(real), Some(demo)) = (default_db_path(), demo_db_path()) else {
            return; // no home folder on this machine: nothing to compare
        };
        assert_ne!(real, demo);
        assert_eq!(real.parent(), demo.parent());
        assert_eq!(real.parent(), data_dir().as_deref());
        assert!(config_file().is_some_and(|c| c.ends_with(CONFIG_FILE)));
    }
}
