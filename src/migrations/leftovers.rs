//! Embedded shadows left behind by runs that were killed outright (SIGKILL,
//! the OOM killer), which no clean-up of their own could remove: tens of
//! megabytes each under the temporary directory. The next run that starts
//! an embedded shadow removes those whose owner is gone.
//!
//! Ownership is an advisory lock (`flock`) on `owner.lock` in the shadow's
//! directory, held for the directory's whole life by the process that made
//! it. The kernel releases it when that process ends however it ends, so a
//! lock that can be taken means the owner is gone; it works across PID
//! namespaces sharing one /tmp, and a reused PID cannot keep a leftover
//! alive for ever. A live run's shadow is never removed: its lock is held.
//! The PID in the directory's name guards the moment between making the
//! directory and locking it, and directories of versions that had no lock.

use std::collections::BTreeMap;
use std::fs::File;
use std::os::fd::AsRawFd;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, SystemTime};

/// The prefix of every embedded shadow's directory name:
/// `schemadrift-shadow-<pid>-<random>`.
pub const PREFIX: &str = "schemadrift-shadow-";

/// The lock file inside a shadow's directory.
const LOCK: &str = "owner.lock";

/// A directory younger than this whose owner PID is alive is left alone
/// even when its lock is free: its owner may not have locked it yet.
const GRACE: Duration = Duration::from_secs(60);

fn held() -> &'static Mutex<BTreeMap<PathBuf, File>> {
    static H: OnceLock<Mutex<BTreeMap<PathBuf, File>>> = OnceLock::new();
    H.get_or_init(|| Mutex::new(BTreeMap::new()))
}

/// Lock a freshly made shadow directory as this process's, until
/// [`release`]. The lock file is closed on exec, so the server and initdb
/// do not inherit it (a killed run's orphaned server must not keep its
/// leftover looking alive).
pub fn claim(dir: &Path) -> std::io::Result<()> {
    let f = File::create(dir.join(LOCK))?;
    lock(&f, true)?;
    held()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(dir.to_path_buf(), f);
    Ok(())
}

/// Give up the lock of `dir` (after it is removed).
pub fn release(dir: &Path) {
    held().lock().unwrap_or_else(|p| p.into_inner()).remove(dir);
}

fn lock(f: &File, wait: bool) -> std::io::Result<()> {
    let op = if wait {
        libc::LOCK_EX
    } else {
        libc::LOCK_EX | libc::LOCK_NB
    };
    // SAFETY: flock on a file descriptor we own, open for the call.
    if unsafe { libc::flock(f.as_raw_fd(), op) } == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// Whether process `pid` exists (EPERM: it does, as another user's).
fn alive(pid: i32) -> bool {
    // SAFETY: signal 0 only checks that the process exists.
    pid > 0
        && (unsafe { libc::kill(pid, 0) } == 0
            || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM))
}

/// The owner PID in a shadow directory's name.
fn owner_pid(name: &str) -> Option<i32> {
    name.strip_prefix(PREFIX)?.split('-').next()?.parse().ok()
}

/// Whether the shadow directory `dir` (named `name`) was left by a run that
/// is gone: its owner's PID, and the lock taken from it (to hold until the
/// directory is removed). `owners`: the user ids our shadows are owned by.
fn is_orphan(dir: &Path, name: &str, owners: &[u32]) -> Option<(i32, Option<File>)> {
    let pid = owner_pid(name)?;
    if pid == std::process::id() as i32 {
        return None;
    }
    // A real directory of ours, never a symlink or another user's.
    let md = std::fs::symlink_metadata(dir).ok()?;
    if !md.is_dir() || !owners.contains(&md.uid()) {
        return None;
    }
    let young = md
        .modified()
        .ok()
        .and_then(|m| SystemTime::now().duration_since(m).ok())
        .is_none_or(|age| age < GRACE);
    match File::open(dir.join(LOCK)) {
        // A held lock is a live run; a free one an owner that is gone,
        // unless its PID is alive and the directory too new to be locked.
        Ok(f) => {
            lock(&f, false).ok()?;
            (!(alive(pid) && young)).then_some((pid, Some(f)))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            (!alive(pid) && !young).then_some((pid, None))
        }
        Err(_) => None,
    }
}

/// Stop the server a killed run left running in `dir/data`, if any (its
/// parent-death signal normally stopped it): only a process whose command
/// line names that data directory.
fn stop_orphan_server(dir: &Path) {
    let data = dir.join("data");
    let Some(pid) = std::fs::read_to_string(data.join("postmaster.pid"))
        .ok()
        .and_then(|s| s.lines().next()?.trim().parse::<i32>().ok())
    else {
        return;
    };
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    let needle = data.as_os_str().as_encoded_bytes();
    if !alive(pid) || !cmdline.windows(needle.len()).any(|w| w == needle) {
        return;
    }
    // SAFETY: signals to a process whose command line names our directory.
    unsafe { libc::kill(pid, libc::SIGQUIT) };
    for _ in 0..100 {
        if !alive(pid) {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    // SAFETY: as above.
    unsafe { libc::kill(pid, libc::SIGKILL) };
}

/// Remove every shadow directory under `base` whose owner is gone; a note
/// on stderr names each. `owners`: the user ids our shadows are owned by
/// (ourselves, and the unprivileged user the server runs as when root).
pub fn sweep(base: &Path, owners: &[u32]) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(base) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with(PREFIX) {
            continue;
        }
        let dir = entry.path();
        let Some((pid, _lock)) = is_orphan(&dir, &name, owners) else {
            continue;
        };
        stop_orphan_server(&dir);
        // `_lock` is held until the directory is gone.
        match std::fs::remove_dir_all(&dir) {
            Ok(()) => {
                eprintln!(
                    "schemadrift: removed {}, a shadow database left by an earlier run (process {pid}) that was killed",
                    dir.display()
                );
                removed.push(dir);
            }
            Err(e) => eprintln!(
                "schemadrift: warning: could not remove {}, a shadow database left by an earlier run: {e}",
                dir.display()
            ),
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn me() -> Vec<u32> {
        // SAFETY: geteuid has no preconditions.
        vec![unsafe { libc::geteuid() }]
    }

    /// The PID of a process that has ended.
    fn dead_pid() -> i32 {
        let mut c = std::process::Command::new("true").spawn().unwrap();
        let pid = c.id() as i32;
        c.wait().unwrap();
        pid
    }

    fn age(dir: &Path, secs: u64) {
        let t = SystemTime::now() - Duration::from_secs(secs);
        File::open(dir).unwrap().set_modified(t).unwrap();
    }

    #[test]
    fn only_shadows_whose_owner_is_gone_are_removed() {
        let base = tempfile::tempdir().unwrap();
        let mk = |name: String| {
            let d = base.path().join(name);
            std::fs::create_dir(&d).unwrap();
            std::fs::write(d.join("file"), "x").unwrap();
            d
        };
        let dead = dead_pid();
        let parent = std::os::unix::process::parent_id() as i32;
        // Locked by a live owner (a second open file description conflicts
        // even within one process): kept.
        let live = mk(format!("{PREFIX}{parent}-aaaa"));
        let f = File::create(live.join(LOCK)).unwrap();
        lock(&f, true).unwrap();
        age(&live, 3600);
        // Lock free, owner dead: removed.
        let killed = mk(format!("{PREFIX}{dead}-bbbb"));
        File::create(killed.join(LOCK)).unwrap();
        // Lock free, owner PID alive but the directory old (a reused PID): removed.
        let reused = mk(format!("{PREFIX}{parent}-cccc"));
        File::create(reused.join(LOCK)).unwrap();
        age(&reused, 3600);
        // Lock free, owner alive, directory new (not locked yet): kept.
        let starting = mk(format!("{PREFIX}{parent}-dddd"));
        File::create(starting.join(LOCK)).unwrap();
        // No lock (an older version): removed once old and its owner dead.
        let legacy_old = mk(format!("{PREFIX}{dead}-eeee"));
        age(&legacy_old, 3600);
        let legacy_new = mk(format!("{PREFIX}{dead}-ffff"));
        let legacy_live = mk(format!("{PREFIX}{parent}-gggg"));
        age(&legacy_live, 3600);
        // Not ours by name, or a symlink to somewhere else: untouched.
        let other = mk("schemadrift-pg.XXXX".into());
        let target = mk("elsewhere".into());
        std::os::unix::fs::symlink(&target, base.path().join(format!("{PREFIX}{dead}-link")))
            .unwrap();

        let mut removed = sweep(base.path(), &me());
        removed.sort();
        let mut want = vec![killed, reused, legacy_old];
        want.sort();
        assert_eq!(removed, want);
        for kept in [&live, &starting, &legacy_new, &legacy_live, &other, &target] {
            assert!(kept.join("file").exists(), "{} was removed", kept.display());
        }
        // Another user's directory is never ours to remove.
        drop(f);
        assert!(sweep(base.path(), &[u32::MAX]).is_empty());
    }

    #[test]
    fn a_claimed_directory_stays_until_released() {
        let base = tempfile::tempdir().unwrap();
        let dir = base.path().join(format!(
            "{PREFIX}{}-zzzz",
            std::os::unix::process::parent_id()
        ));
        std::fs::create_dir(&dir).unwrap();
        claim(&dir).unwrap();
        age(&dir, 3600);
        assert!(sweep(base.path(), &me()).is_empty());
        release(&dir);
        // A process spawned elsewhere in this test binary at that moment
        // holds a copy of the descriptor until it execs: try for a while.
        let mut removed = Vec::new();
        for _ in 0..100 {
            removed = sweep(base.path(), &me());
            if !removed.is_empty() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_eq!(removed, [dir]);
    }

    #[test]
    fn owner_pids() {
        assert_eq!(owner_pid("schemadrift-shadow-123-abc"), Some(123));
        assert_eq!(owner_pid("schemadrift-shadow-x-abc"), None);
        assert_eq!(owner_pid("other-123"), None);
    }
}
