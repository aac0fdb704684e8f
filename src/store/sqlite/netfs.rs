//! Is the database's folder on a network file system?
//!
//! SQLite's WAL mode keeps its index in shared memory (`-shm`) that every process maps; that only
//! works when all of them run on one machine, and NFS and SMB locks are not reliable enough for it
//! (sqlite.org/wal.html, "WAL does not work over a network filesystem"). On such a share the store
//! falls back to the rollback journal and says so once.
//!
//! Linux: the file system type of the longest mount point that holds the folder, read from the
//! process's mount table (`/proc/self/mounts`). Elsewhere: not detected (see `detect`).

use std::path::Path;

/// File system types that live on another machine (or, for `9p`, another kernel: WSL's view of
/// Windows drives and some virtual machine shares), where WAL's shared memory and locks fail.
const NETWORK_TYPES: &[&str] = &[
    "nfs",
    "nfs4",
    "cifs",
    "smb3",
    "smbfs",
    "smb2",
    "9p",
    "afs",
    "ceph",
    "glusterfs",
    "fuse.glusterfs",
    "fuse.sshfs",
    "davfs",
    "fuse.davfs2",
    "ncpfs",
];

/// Whether `fstype` is one of the network file systems above.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
pub(crate) fn is_network_type(fstype: &str) -> bool {
    NETWORK_TYPES.contains(&fstype)
}

/// The network file system type holding `dir` (which should be canonical: symbolic links
/// resolved), or `None` when it is local or cannot be told.
#[cfg(target_os = "linux")]
pub(crate) fn detect(dir: &Path) -> Option<String> {
    let table = std::fs::read_to_string("/proc/self/mounts")
        .or_else(|_| std::fs::read_to_string("/proc/mounts"))
        .ok()?;
    mount_type(&table, dir).filter(|t| is_network_type(t))
}

/// macOS and Windows: not detected. On macOS `statfs` would tell (`f_fstypename` of `nfs`, `smbfs`,
/// `afpfs`); on Windows, `GetDriveTypeW` returning `DRIVE_REMOTE` or a `\\server\share` path. Until
/// then a database on a share there keeps WAL, which SQLite documents as unsafe; the README says so.
#[cfg(not(target_os = "linux"))]
pub(crate) fn detect(_dir: &Path) -> Option<String> {
    None
}

/// The file system type of the mount that holds `path`, from mount-table text in the format of
/// `/proc/mounts` (`device mount-point type options dump pass`, octal escapes for spaces). The
/// longest mount point that is a whole-component prefix of `path` wins; of equal ones, the last
/// listed (a later mount over the same point hides the earlier).
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
pub(crate) fn mount_type(table: &str, path: &Path) -> Option<String> {
    let mut best: Option<(usize, String)> = None;
    for line in table.lines() {
        let mut fields = line.split_whitespace();
        let (Some(_device), Some(point), Some(fstype)) =
            (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let point = unescape(point);
        let point = Path::new(&point);
        if !point.is_absolute() || !path.starts_with(point) {
            continue;
        }
        let depth = point.components().count();
        if best.as_ref().is_none_or(|(d, _)| depth >= *d) {
            best = Some((depth, fstype.to_string()));
        }
    }
    best.map(|(_, t)| t)
}

/// Undoes the kernel's octal escapes in a mount point (`\040` space, `\011` tab, `\012` newline,
/// `\134` backslash).
fn unescape(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' {
            if let Some(digits) = b.get(i + 1..i + 4) {
                if digits.iter().all(|c| (b'0'..=b'7').contains(c)) {
                    let v = digits.iter().fold(0u32, |v, c| v * 8 + u32::from(c - b'0'));
                    if let Ok(byte) = u8::try_from(v) {
                        out.push(byte);
                        i += 4;
                        continue;
                    }
                }
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
/dev/nvme0n1p2 / ext4 rw,relatime 0 0
/dev/nvme0n1p3 /home ext4 rw,relatime 0 0
fileserver:/export/probation /home/ann/shared nfs4 rw,relatime,vers=4.2,rsize=1048576 0 0
//ldn-fs01/Team\\040Drive /mnt/team\\040drive cifs rw,relatime,vers=3.1.1,cache=strict 0 0
//ldn-fs02/old /mnt/old smb3 rw,relatime 0 0
tmpfs /home/ann/shared/local tmpfs rw,relatime 0 0
C:\\134 /mnt/c 9p rw,noatime,aname=drvfs 0 0
server:/a /srv/over nfs rw 0 0
/dev/sdb1 /srv/over ext4 rw 0 0
";

    fn at(path: &str) -> Option<String> {
        mount_type(SAMPLE, Path::new(path))
    }

    #[test]
    fn the_longest_mount_point_wins() {
        assert_eq!(at("/home/ann/releaseday").as_deref(), Some("ext4"));
        assert_eq!(at("/home/ann/shared/releaseday").as_deref(), Some("nfs4"));
        assert_eq!(at("/home/ann/shared").as_deref(), Some("nfs4"));
        assert_eq!(at("/home/ann/shared/local/x").as_deref(), Some("tmpfs"));
        assert_eq!(at("/var/lib").as_deref(), Some("ext4"));
    }

    #[test]
    fn mount_points_match_whole_components_only() {
        assert_eq!(at("/home/ann/shared2/db").as_deref(), Some("ext4"));
        assert_eq!(at("/mnt/olden").as_deref(), Some("ext4"));
        assert_eq!(at("/mnt/old/releaseday").as_deref(), Some("smb3"));
    }

    #[test]
    fn escaped_spaces_in_mount_points() {
        assert_eq!(at("/mnt/team drive/releaseday").as_deref(), Some("cifs"));
        assert_eq!(at("/mnt/team/releaseday").as_deref(), Some("ext4"));
        assert_eq!(unescape("a\\040b\\011c\\134d\\012"), "a b\tc\\d\n");
        assert_eq!(unescape("trailing\\04"), "trailing\\04");
        assert_eq!(unescape("\\999"), "\\999");
    }

    #[test]
    fn a_later_mount_over_the_same_point_hides_the_earlier() {
        assert_eq!(at("/srv/over/db").as_deref(), Some("ext4"));
    }

    #[test]
    fn wsl_windows_drives_count_as_network() {
        assert_eq!(at("/mnt/c/Users/ann").as_deref(), Some("9p"));
        assert!(is_network_type("9p"));
    }

    #[test]
    fn which_types_are_network() {
        for t in ["nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs"] {
            assert!(is_network_type(t), "{t}");
        }
        for t in [
            "ext4", "xfs", "btrfs", "tmpfs", "overlay", "zfs", "apfs", "ntfs",
        ] {
            assert!(!is_network_type(t), "{t}");
        }
    }

    #[test]
    fn junk_lines_and_an_empty_table_are_ignored() {
        assert_eq!(mount_type("", Path::new("/x")), None);
        assert_eq!(
            mount_type("garbage\n\nnone relative nfs rw 0 0\n", Path::new("/x")),
            None
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_real_mount_table_is_readable() {
        // Whatever this machine is, the root folder is on some file system.
        let table = std::fs::read_to_string("/proc/self/mounts").unwrap();
        assert!(mount_type(&table, Path::new("/")).is_some());
    }
}
