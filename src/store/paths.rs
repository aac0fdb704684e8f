//! Where the database lives by default, who the operating-system user is, and the file
//! permissions the database gets (DESIGN.md: mode 0600 inside a 0700 folder).

use super::{Result, StoreError};
use std::path::{Path, PathBuf};

const REAL_FILE: &str = "releaseday.db";
const DEMO_FILE: &str = "releaseday-demo.db";

/// The per-user data folder (`~/.local/share/releaseday` on Linux, `%APPDATA%\releaseday\releaseday\data`
/// on Windows, `~/Library/Application Support/uk.releaseday.releaseday` on macOS).
pub fn data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("uk", "releaseday", "releaseday")
        .map(|d| d.data_dir().to_path_buf())
}

/// The real caseload's database file.
pub fn default_db_path() -> Option<PathBuf> {
    data_dir().map(|d| d.join(REAL_FILE))
}

/// The demo database: same folder, a different file, so the demo never touches real cases.
pub fn demo_db_path() -> Option<PathBuf> {
    data_dir().map(|d| d.join(DEMO_FILE))
}

/// The logged-in user's name for audit rows (`USER`, else `USERNAME`, else "unknown"),
/// with control characters removed.
pub fn operating_system_user() -> String {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .filter_map(|var| std::env::var(var).ok())
        .map(|v| crate::domain::case::clean_text(&v))
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| "unknown".to_string())
}

/// Creates the missing parent folders and the database file with owner-only permissions, before
/// SQLite opens it (SQLite gives its `-wal` and `-shm` files the database file's mode).
pub(crate) fn prepare_db_file(path: &Path) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_private_dirs(parent)?;
    }
    secure_file(path).map_err(|error| StoreError::PrepareFile {
        path: path.to_path_buf(),
        error,
    })
}

/// Creates `dir` and any missing ancestors, each 0700 on Unix. Existing folders are left alone.
fn create_private_dirs(dir: &Path) -> Result<()> {
    let missing: Vec<&Path> = dir.ancestors().take_while(|p| !p.exists()).collect();
    for d in missing.into_iter().rev() {
        if d.as_os_str().is_empty() {
            continue;
        }
        #[cfg_attr(not(unix), allow(unused_mut))]
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        match builder.create(d) {
            Ok(()) => set_private(d, 0o700),
            // Another process made it first: it is theirs to have set up.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
            Err(e) => Err(e),
        }
        .map_err(|error| StoreError::CreateDir {
            path: d.to_path_buf(),
            error,
        })?;
    }
    Ok(())
}

/// Creates the file 0600 if absent; tightens an existing one that group or others can access.
/// Also tightens a leftover `-wal`/`-shm` beside it.
fn secure_file(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => set_private(path, 0o600)?,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => tighten(path)?,
        Err(e) => return Err(e),
    }
    for suffix in ["-wal", "-shm"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        let side = PathBuf::from(side);
        if side.exists() {
            tighten(&side)?;
        }
    }
    Ok(())
}

/// Sets the mode exactly (the umask may have masked it differently). No-op off Unix.
#[cfg(unix)]
fn set_private(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_private(_path: &Path, _mode: u32) -> std::io::Result<()> {
    // Windows: the per-user data folder is readable only by its owner through inherited ACLs.
    Ok(())
}

/// An existing file that group or others can access becomes 0600.
#[cfg(unix)]
fn tighten(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)?.permissions().mode();
    if mode & 0o077 != 0 {
        set_private(path, 0o600)?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn tighten(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_and_real_files_differ_in_one_folder() {
        if let (Some(real), Some(demo)) = (default_db_path(), demo_db_path()) {
            assert_ne!(real, demo);
            assert_eq!(real.parent(), demo.parent());
            assert_eq!(real.file_name().unwrap(), "releaseday.db");
            assert_eq!(demo.file_name().unwrap(), "releaseday-demo.db");
        }
    }

    #[test]
    fn user_name_is_never_empty() {
        assert!(!operating_system_user().is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn created_dirs_are_0700_and_the_file_0600() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let before = std::fs::metadata(tmp.path()).unwrap().permissions().mode() & 0o777;
        let path = tmp.path().join("a/b/r.db");
        prepare_db_file(&path).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&tmp.path().join("a/b")), 0o700);
        assert_eq!(mode(&tmp.path().join("a")), 0o700);
        assert_eq!(mode(tmp.path()), before, "an existing folder is left alone");
    }

    #[cfg(unix)]
    #[test]
    fn an_open_file_and_its_wal_are_tightened() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("r.db");
        let wal = tmp.path().join("r.db-wal");
        for p in [&path, &wal] {
            std::fs::write(p, b"").unwrap();
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
        prepare_db_file(&path).unwrap();
        for p in [&path, &wal] {
            assert_eq!(
                std::fs::metadata(p).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_private_file_is_not_loosened_or_changed() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("r.db");
        std::fs::write(&path, b"").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).unwrap();
        prepare_db_file(&path).unwrap();
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o400
        );
    }
}
