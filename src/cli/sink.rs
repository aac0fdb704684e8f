//! Where a command's output goes as it is made: standard output (buffered, written row by row,
//! so a year's list at 100,000 cases is never one string in memory), or `--output FILE`, which
//! is written to a private temporary file beside FILE and renamed over it only when whole, so
//! FILE is never half-written nor, for a moment, readable by others.

use anyhow::Context;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Runs `write` on standard output. A reader that stops early (`| head`) is not an error:
/// the command ends quietly, as other command-line tools do.
pub fn to_stdout(
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<String> {
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(64 * 1024, stdout.lock());
    let done = write(&mut out).and_then(|()| out.flush().map_err(anyhow::Error::from));
    match done {
        Err(e) if broken_pipe(&e) => Ok(String::new()),
        Err(e) => Err(e),
        Ok(()) => Ok(String::new()),
    }
}

/// Runs `write` on `output` (privately, whole or not at all), or on standard output without
/// one. `write` returns what it wrote ("12 releases"), for the line said after a file.
pub fn to(
    output: Option<PathBuf>,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<String>,
) -> anyhow::Result<String> {
    match output {
        None => to_stdout(|out| write(out).map(drop)),
        Some(path) => {
            let mut file = PrivateFile::create(&path)?;
            let what = write(&mut file)?;
            file.commit()?;
            Ok(format!("Wrote {what} to {}.\n", path.display()))
        }
    }
}

/// Whether writing stopped because the reader went away (the JSON and CSV writers wrap the
/// I/O error in their own).
fn broken_pipe(e: &anyhow::Error) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|j| j.io_error_kind() == Some(BrokenPipe))
            || c.downcast_ref::<csv::Error>().is_some_and(
                |c| matches!(c.kind(), csv::ErrorKind::Io(io) if io.kind() == BrokenPipe),
            )
    })
}

/// A file being written: private from the start (0600 on Unix), under a temporary name beside
/// its final one; `commit` flushes it to disk and renames it into place, and dropping it
/// uncommitted (an error part-way) removes it.
pub struct PrivateFile {
    tmp: PathBuf,
    path: PathBuf,
    file: Option<BufWriter<File>>,
}

impl PrivateFile {
    pub fn create(path: &Path) -> anyhow::Result<PrivateFile> {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = path.file_name().context("the output path names no file")?;
        let tmp = dir.join(format!(".{}.tmp", name.to_string_lossy()));
        let file = open_private(&tmp).with_context(|| format!("cannot write {}", tmp.display()))?;
        Ok(PrivateFile {
            tmp,
            path: path.to_path_buf(),
            file: Some(BufWriter::with_capacity(64 * 1024, file)),
        })
    }

    pub fn commit(mut self) -> anyhow::Result<()> {
        let file = self.file.take().expect("committed once");
        let file = file
            .into_inner()
            .map_err(|e| e.into_error())
            .with_context(|| format!("cannot write {}", self.tmp.display()))?;
        file.sync_all()
            .with_context(|| format!("cannot write {}", self.tmp.display()))?;
        drop(file);
        std::fs::rename(&self.tmp, &self.path)
            .with_context(|| format!("cannot write {}", self.path.display()))?;
        Ok(())
    }
}

impl Write for PrivateFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.as_mut().expect("not yet committed").write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.as_mut().expect("not yet committed").flush()
    }
}

impl Drop for PrivateFile {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Writes `bytes` to `path` privately and whole (a temporary file renamed over it).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut file = PrivateFile::create(path)?;
    file.write_all(bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.commit()
}

/// Exports hold names and risk levels: on Unix the file is readable by its owner only.
fn open_private(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    // Windows: the file inherits the user profile folder's access list.
    let file = options.open(path)?;
    // A temporary file left by an earlier run keeps its mode on open: make it private again.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_whole_or_absent() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        std::fs::write(&path, "old").unwrap();
        let failed = to(Some(path.clone()), |out| {
            out.write_all(b"half")?;
            anyhow::bail!("stopped part-way")
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp file left"
        );
        let said = to(Some(path.clone()), |out| {
            out.write_all(b"new")?;
            Ok("the thing".into())
        })
        .unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(said, format!("Wrote the thing to {}.\n", path.display()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
    }
}
