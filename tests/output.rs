//! Where the binary's output goes: `-o` onto a symlink, a FIFO and a device
//! node (written through or directly, never replaced), and a standard output
//! whose reader went away (the exit code the comparison earned, quietly).
//! Snapshot files only: no server.

mod common;

use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A one-table snapshot whose column has type `ty`.
fn snapshot(dir: &Path, name: &str, ty: &str) -> String {
    let text = format!(
        r#"{{"format_version": 1, "source": "test", "taken_at": "2025-01-01T00:00:00Z",
  "postgres": {{"schemas": {{"app": {{"tables": {{"t": {{"columns": [{{"name": "id", "type": "{ty}"}}]}}}}}}}}}}}}"#
    );
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

/// Two snapshots: the same, and one with drift.
fn pair(dir: &Path) -> (String, String) {
    (
        snapshot(dir, "a.json", "integer"),
        snapshot(dir, "b.json", "bigint"),
    )
}

/// Run the binary with a standard output whose reading end is already
/// closed, as after `| head` has read its lines; returns (code, stderr).
fn run_into_closed_pipe(args: &[&str]) -> (i32, String) {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = Command::new(common::bin())
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_closed_pipe_keeps_the_exit_code_the_comparison_earned() {
    let d = tempfile::tempdir().unwrap();
    let (a, b) = pair(d.path());
    for format in ["text", "json", "markdown", "junit"] {
        let (code, err) = run_into_closed_pipe(&["diff", &a, &b, "--format", format]);
        assert_eq!((code, err.as_str()), (1, ""), "drift, --format {format}");
        let (code, err) = run_into_closed_pipe(&["diff", &a, &a, "--format", format]);
        assert_eq!((code, err.as_str()), (0, ""), "no drift, --format {format}");
    }
    let (code, err) = run_into_closed_pipe(&["snapshot", &a]);
    assert_eq!((code, err.as_str()), (0, ""), "snapshot");
}

/// `diff a b -o PATH`: the exit code and what is at PATH afterwards.
fn diff_to(a: &str, b: &str, path: &Path) -> i32 {
    let (code, _, err) = common::run(&[
        "diff",
        a,
        b,
        "--format",
        "json",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert!(err.is_empty(), "{err}");
    code
}

fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn output_through_a_symlink_replaces_its_target_and_keeps_the_link() {
    let d = tempfile::tempdir().unwrap();
    let (a, b) = pair(d.path());
    let reports = d.path().join("reports");
    std::fs::create_dir(&reports).unwrap();
    let real = reports.join("drift.json");
    std::fs::write(&real, "old report").unwrap();
    let link = d.path().join("latest.json");
    std::os::unix::fs::symlink("reports/drift.json", &link).unwrap();
    assert_eq!(diff_to(&a, &b, &link), 1);
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&real).unwrap()).unwrap();
    assert_eq!(v["changes"][0]["code"], "column-type-changed");
    assert_eq!(entries(&reports), ["drift.json"], "no temporary file left");
}

#[test]
fn output_to_a_fifo_reaches_its_reader() {
    let d = tempfile::tempdir().unwrap();
    let (a, b) = pair(d.path());
    let fifo = d.path().join("fifo");
    let status = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(status.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    assert_eq!(diff_to(&a, &b, &fifo), 1);
    let got = reader.join().unwrap();
    assert!(got.contains("\"column-type-changed\""), "{got}");
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
}

/// A private character device like the machine's `/dev/null` (1, 3), made
/// in a temporary directory; `None` where this user may not make devices.
fn null_device(dir: &Path) -> Option<PathBuf> {
    let p = dir.join("null");
    let status = Command::new("mknod")
        .arg(&p)
        .args(["c", "1", "3"])
        .stderr(Stdio::null())
        .status()
        .unwrap();
    status.success().then_some(p)
}

#[test]
fn output_to_a_device_leaves_the_device_in_place() {
    let d = tempfile::tempdir().unwrap();
    let (a, b) = pair(d.path());
    let Some(dev) = null_device(d.path()) else {
        // CI runs as root; elsewhere without CAP_MKNOD this cannot be tried.
        assert_ne!(
            euid(),
            0,
            "root could not make a device node: mknod is missing?"
        );
        eprintln!("skipped: no permission to make a device node");
        return;
    };
    assert_eq!(diff_to(&a, &b, &dev), 1);
    let (code, _, err) = common::run(&["snapshot", &a, "-o", dev.to_str().unwrap()]);
    assert_eq!((code, err.as_str()), (0, ""));
    let meta = std::fs::metadata(&dev).unwrap();
    assert!(meta.file_type().is_char_device(), "{meta:?}");
    assert_eq!(
        std::fs::read_to_string(&dev).unwrap(),
        "",
        "still a null device"
    );
    assert_eq!(entries(d.path()), ["a.json", "b.json", "null"]);
}

fn euid() -> u32 {
    let out = Command::new("id").arg("-u").output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

#[test]
fn a_regular_file_is_replaced_whole() {
    let d = tempfile::tempdir().unwrap();
    let (a, b) = pair(d.path());
    let out = d.path().join("report.json");
    std::fs::write(&out, "x".repeat(100_000)).unwrap();
    assert_eq!(diff_to(&a, &b, &out), 1);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with('{') && !text.contains("xxx"), "{text}");
    assert_eq!(entries(d.path()), ["a.json", "b.json", "report.json"]);
}
