//! A run killed outright (SIGKILL) mid-replay cannot remove its embedded
//! shadow; the next run removes it once its owner is gone, and never the
//! shadow of a run that is still going.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The shadow directories under `tmp`.
fn shadows(tmp: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(tmp)
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("schemadrift-shadow-")
        })
        .map(|e| e.path())
        .collect();
    v.sort();
    v
}

fn folder(root: &Path, name: &str, sql: &str) -> PathBuf {
    let d = root.join(name);
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("1_init.sql"), sql).unwrap();
    d
}

fn expected(tmp: &Path, migrations: &Path, out: &Path) -> (i32, String) {
    let o = Command::new(common::bin())
        .args(["expected", "--migrations"])
        .arg(migrations)
        .arg("-o")
        .arg(out)
        .env("TMPDIR", tmp)
        .env_remove("SCHEMADRIFT_SHADOW_URL")
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_shadow_left_by_a_killed_run_is_removed_by_the_next_run() {
    let root = tempfile::tempdir().unwrap();
    // A short private TMPDIR (the shadow's socket path must stay short).
    let tmp = tempfile::Builder::new()
        .prefix("sdl")
        .tempdir_in("/tmp")
        .unwrap();
    let tmp = tmp.path();
    let slow = folder(
        root.path(),
        "slow",
        "CREATE TABLE t (id int);\nSELECT pg_catalog.pg_sleep(120);\n",
    );
    let quick = folder(root.path(), "quick", "CREATE TABLE q (id int);\n");

    let mut killed = Command::new(common::bin())
        .args(["expected", "--migrations"])
        .arg(&slow)
        .arg("-o")
        .arg(root.path().join("out-slow"))
        .env("TMPDIR", tmp)
        .env_remove("SCHEMADRIFT_SHADOW_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Mid-replay: the server is up (its socket exists) and pg_sleep runs.
    wait_until("the shadow's server", || {
        shadows(tmp)
            .iter()
            .any(|d| d.join(".s.PGSQL.5432").exists())
    });
    std::thread::sleep(Duration::from_secs(1));
    let left = shadows(tmp);
    assert_eq!(left.len(), 1, "{left:?}");

    // A run while the first is alive leaves its shadow alone.
    let (code, err) = expected(tmp, &quick, &root.path().join("out-1"));
    assert_eq!(code, 0, "{err}");
    assert_eq!(shadows(tmp), left, "a live run's shadow was touched");
    assert!(!err.contains("removed"), "{err}");

    killed.kill().unwrap(); // SIGKILL: no clean-up of its own
    killed.wait().unwrap();
    assert_eq!(shadows(tmp), left, "the killed run's shadow is left behind");
    // Its server stops by itself (parent-death signal).
    let pid: i32 = std::fs::read_to_string(left[0].join("data/postmaster.pid"))
        .map(|s| s.lines().next().unwrap_or("0").trim().parse().unwrap_or(0))
        .unwrap_or(0);
    wait_until("the orphaned server to stop", || {
        // SAFETY: signal 0 only checks whether the process exists.
        pid <= 0 || unsafe { libc::kill(pid, 0) } != 0
    });

    let (code, err) = expected(tmp, &quick, &root.path().join("out-2"));
    assert_eq!(code, 0, "{err}");
    assert!(shadows(tmp).is_empty(), "{:?}", shadows(tmp));
    assert!(
        err.contains(&format!("removed {}", left[0].display())),
        "{err}"
    );
}
