//! The file permissions the database gets (DESIGN.md: mode 0600 inside a 0700 folder).

use super::{Result, StoreError};
use std::path::{Path, PathBuf};

// Where the files go and who the user is are the platform's facts (`crate::platform`); kept
// reachable here for the store's callers.
use crate::platform::data_dir;

/// The files SQLite keeps beside the database: the WAL and its shared-memory index, and the
/// rollback journal used instead of them on a network share.
const SIDECARS: [&str; 3] = ["-wal", "-shm", "-journal"];

/// Creates the missing parent folders and the database file with owner-only permissions, before
/// SQLite opens it (SQLite gives its `-wal`, `-shm` and `-journal` files the database file's
/// mode). An existing file (or leftover sidecar) that other users could open is tightened to
/// 0600, and so is the app's own data folder if it is open to others (0700). Returns one warning
/// line per thing tightened, naming only the path.
pub(crate) fn prepare_db_file(path: &Path) -> Result<Vec<String>> {
    prepare_db_file_in(path, data_dir().as_deref())
}

/// As `prepare_db_file`, with the app's own data folder given (`None`: no folder is ours to
/// tighten). A folder the user chose (`--db /some/where/x.db`) is never changed: it may be shared
/// with other files, and a 0600 file in it is private anyway.
fn prepare_db_file_in(path: &Path, own_dir: Option<&Path>) -> Result<Vec<String>> {
    let mut warnings = Vec::new();
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_private_dirs(parent)?;
        if own_dir == Some(parent) {
            let tightened = tighten(parent, 0o700).map_err(|error| StoreError::CreateDir {
                path: parent.to_path_buf(),
                error,
            })?;
            if tightened {
                warnings.push(format!(
                    "other users could open the folder {}; it is now private to you (mode 0700)",
                    parent.display()
                ));
            }
        }
    }
    secure_file(path, &mut warnings).map_err(|error| StoreError::PrepareFile {
        path: path.to_path_buf(),
        error,
    })?;
    Ok(warnings)
}

/// `path` with `suffix` appended to its file name (`r.db` → `r.db-wal`).
fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut side = path.as_os_str().to_owned();
    side.push(suffix);
    PathBuf::from(side)
}

/// After SQLite has opened the database: sets the `-wal`, `-shm` and `-journal` files it created
/// to 0600 whatever the umask (SQLite copies the database file's mode, but this does not rely on
/// it). Best effort: such a file may vanish as another process closes the database, and one
/// that belongs to another user is not ours to change.
pub(crate) fn secure_sidecars(path: &Path) {
    for suffix in SIDECARS {
        let _ = tighten(&sidecar(path, suffix), 0o600);
    }
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

/// Creates the file 0600 if absent; tightens an existing one that group or others can access,
/// and any leftover `-wal`/`-shm`/`-journal` beside it, with a warning for each.
fn secure_file(path: &Path, warnings: &mut Vec<String>) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut tightened = Vec::new();
    match options.open(path) {
        Ok(_) => set_private(path, 0o600)?,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            if tighten(path, 0o600)? {
                tightened.push(path.to_path_buf());
            }
        }
        Err(e) => return Err(e),
    }
    for suffix in SIDECARS {
        let side = sidecar(path, suffix);
        if tighten(&side, 0o600)? {
            tightened.push(side);
        }
    }
    for p in tightened {
        warnings.push(format!(
            "other users could open {}; it is now private to you (mode 0600)",
            p.display()
        ));
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

/// An existing file or folder that group or others can access gets `mode`. Returns whether it
/// was changed; a path that does not exist is left so (`false`).
#[cfg(unix)]
fn tighten(path: &Path, mode: u32) -> std::io::Result<bool> {
    use std::os::unix::fs::PermissionsExt;
    let found = match std::fs::metadata(path) {
        Ok(m) => m.permissions().mode(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e),
    };
    if found & 0o077 == 0 {
        return Ok(false);
    }
    set_private(path, mode)?;
    Ok(true)
}

#[cfg(not(unix))]
fn tighten(_path: &Path, _mode: u32) -> std::io::Result<bool> {
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn created_dirs_are_0700_and_the_file_0600() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let before = std::fs::metadata(tmp.path()).unwrap().permissions().mode() & 0o777;
        let path = tmp.path().join("a/b/r.db");
        let warnings = prepare_db_file(&path).unwrap();
        assert!(warnings.is_empty(), "a new file is no news: {warnings:?}");
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
        let warnings = prepare_db_file(&path).unwrap();
        for p in [&path, &wal] {
            assert_eq!(
                std::fs::metadata(p).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        assert_eq!(
            warnings,
            [
                format!(
                    "other users could open {}; it is now private to you (mode 0600)",
                    path.display()
                ),
                format!(
                    "other users could open {}; it is now private to you (mode 0600)",
                    wal.display()
                ),
            ]
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_private_file_is_not_loosened_or_changed() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("r.db");
        std::fs::write(&path, b"").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).unwrap();
        assert!(prepare_db_file(&path).unwrap().is_empty(), "no warning");
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o400
        );
    }

    #[cfg(unix)]
    fn mode(p: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[cfg(unix)]
    fn chmod(p: &Path, mode: u32) {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn group_write_alone_is_tightened_too_and_the_warning_names_only_the_file() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("r.db");
        std::fs::write(&path, b"").unwrap();
        chmod(&path, 0o620);
        let warnings = prepare_db_file(&path).unwrap();
        assert_eq!(mode(&path), 0o600);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains(&path.display().to_string()));
        assert!(!warnings[0].contains('\n'));
        // Once private, opening again says nothing.
        assert!(prepare_db_file(&path).unwrap().is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn leftover_shm_and_journal_are_tightened() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("r.db");
        std::fs::write(&path, b"").unwrap();
        chmod(&path, 0o600);
        for suffix in ["-shm", "-journal"] {
            let side = sidecar(&path, suffix);
            std::fs::write(&side, b"").unwrap();
            chmod(&side, 0o666);
        }
        let warnings = prepare_db_file(&path).unwrap();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert_eq!(mode(&sidecar(&path, "-shm")), 0o600);
        assert_eq!(mode(&sidecar(&path, "-journal")), 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn the_apps_own_folder_is_tightened_but_a_chosen_folder_is_not() {
        let tmp = tempfile::tempdir().unwrap();
        let own = tmp.path().join("releaseday");
        std::fs::create_dir(&own).unwrap();
        chmod(&own, 0o755);
        let warnings = prepare_db_file_in(&own.join("releaseday.db"), Some(&own)).unwrap();
        assert_eq!(mode(&own), 0o700);
        assert_eq!(
            warnings,
            [format!(
                "other users could open the folder {}; it is now private to you (mode 0700)",
                own.display()
            )]
        );

        let chosen = tmp.path().join("shared");
        std::fs::create_dir(&chosen).unwrap();
        chmod(&chosen, 0o755);
        let warnings = prepare_db_file_in(&chosen.join("x.db"), Some(&own)).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            mode(&chosen),
            0o755,
            "a folder the user chose is left alone"
        );
        assert_eq!(mode(&chosen.join("x.db")), 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn sidecars_created_later_are_set_to_0600_whatever_the_umask() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("r.db");
        let wal = sidecar(&path, "-wal");
        std::fs::write(&wal, b"").unwrap();
        chmod(&wal, 0o664);
        secure_sidecars(&path);
        assert_eq!(mode(&wal), 0o600);
        assert!(
            !sidecar(&path, "-shm").exists(),
            "absent sidecars are not created"
        );
    }
}
