//! Usage errors and help, through the binary, with no server: each bad
//! input is exit 2 with one sentence that says what is wrong and where.

mod common;

use std::path::Path;

/// A valid, empty PostgreSQL snapshot file.
fn empty_snapshot(dir: &Path, name: &str) -> String {
    let p = dir.join(name);
    std::fs::write(
        &p,
        r#"{"format_version": 1, "source": "test", "taken_at": "2025-01-01T00:00:00Z", "postgres": {}}"#,
    )
    .unwrap();
    p.display().to_string()
}

/// Exit 2, nothing on stdout, one line on stderr holding every needle.
fn assert_bad(args: &[&str], needles: &[&str]) -> String {
    let (code, out, err) = common::run(args);
    assert_eq!(code, 2, "{args:?}: {out}{err}");
    assert_eq!(out, "", "{args:?}");
    assert!(!err.contains("panicked"), "{err}");
    let first = err.lines().next().unwrap_or("");
    for n in needles {
        assert!(first.contains(n), "{args:?}: `{n}` not in: {err}");
    }
    err
}

#[test]
fn jobs_and_timeout_of_zero_are_usage_errors() {
    let d = tempfile::tempdir().unwrap();
    let cfg = d.path().join("sd.toml");
    std::fs::write(
        &cfg,
        "[targets.a]\npostgres = \"postgres://127.0.0.1:1/x\"\n",
    )
    .unwrap();
    let cfg = cfg.to_str().unwrap();
    assert_bad(
        &["check", "-c", cfg, "--jobs", "0"],
        &["--jobs", "at least 1"],
    );
    assert_bad(
        &["check", "-c", cfg, "--timeout", "0s"],
        &["--timeout", "longer than 0"],
    );
    assert_bad(&["check", "-c", cfg, "--timeout", "0"], &["--timeout"]);
}

#[test]
fn a_duplicate_target_says_so() {
    let d = tempfile::tempdir().unwrap();
    let cfg = d.path().join("sd.toml");
    std::fs::write(
        &cfg,
        "[targets.prod]\npostgres = \"postgres://a/x\"\n\n[targets.prod]\npostgres = \"postgres://b/x\"\n",
    )
    .unwrap();
    let err = assert_bad(
        &["check", "-c", cfg.to_str().unwrap()],
        &["sd.toml:4", "duplicate target `prod`"],
    );
    assert!(!err.contains("invalid table header"), "{err}");
}

#[test]
fn a_json_value_that_is_not_an_object_says_what_it_is() {
    let d = tempfile::tempdir().unwrap();
    let good = empty_snapshot(d.path(), "good.json");
    for (text, what) in [
        ("[1, 2]\n", "a JSON array"),
        ("\"x\"", "a JSON string"),
        ("42", "a JSON number"),
        ("null", "JSON null"),
        ("true", "a JSON boolean"),
    ] {
        let p = d.path().join("value.json");
        std::fs::write(&p, text).unwrap();
        let p = p.display().to_string();
        assert_bad(&["diff", &p, &good], &[&p, what, "not a snapshot object"]);
    }
}

#[test]
fn a_directory_as_the_expected_snapshot_says_it_is_a_directory() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("expected");
    std::fs::create_dir(&dir).unwrap();
    let cfg = d.path().join("sd.toml");
    // The expected file of `check` is read as a snapshot: a directory there
    // fails the target naming it.
    std::fs::write(
        &cfg,
        format!(
            "[postgres]\nexpected = \"{}\"\n\n[targets.a]\npostgres = \"{}\"\n",
            dir.display(),
            common::server_url()
        ),
    )
    .unwrap();
    let (code, out, err) = common::run(&["check", "-c", cfg.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains(&format!(
            "{}: it is a directory, not a snapshot file",
            dir.display()
        )),
        "{err}"
    );
    // `expected --check` reads the committed file the same way.
    let mig = d.path().join("migrations");
    std::fs::create_dir(&mig).unwrap();
    std::fs::write(mig.join("1_init.sql"), "CREATE TABLE t (id int);\n").unwrap();
    let out_dir = d.path().join("out");
    std::fs::create_dir_all(out_dir.join("postgres.json")).unwrap();
    assert_bad(
        &[
            "expected",
            "--migrations",
            mig.to_str().unwrap(),
            "-o",
            out_dir.to_str().unwrap(),
            "--check",
            "--shadow",
            &common::server_url(),
        ],
        &["postgres.json: it is a directory, not a snapshot file"],
    );
}

/// A character device with no driver behind it, made privately (never the
/// machine's own /dev): opening it fails with ENXIO.
#[test]
fn an_unreadable_special_file_says_what_it_is() {
    let d = tempfile::tempdir().unwrap();
    let good = empty_snapshot(d.path(), "good.json");
    let dev = d.path().join("dev.json");
    let c = std::ffi::CString::new(dev.to_str().unwrap()).unwrap();
    // 240-254 are the "local/experimental" character majors: no driver.
    // SAFETY: mknod on a fresh path in our own temporary directory.
    let rc = unsafe { libc::mknod(c.as_ptr(), libc::S_IFCHR | 0o600, libc::makedev(241, 7)) };
    if rc != 0 {
        eprintln!(
            "skipped: mknod needs CAP_MKNOD ({})",
            std::io::Error::last_os_error()
        );
        return;
    }
    let p = dev.display().to_string();
    assert_bad(&["diff", &p, &good], &[&p, "a character device"]);
    // A socket cannot be opened at all.
    let sock = d.path().join("sock.json");
    let _l = std::os::unix::net::UnixListener::bind(&sock).unwrap();
    let s = sock.display().to_string();
    assert_bad(&["diff", &good, &s], &[&s, "a socket, not a snapshot file"]);
}

#[test]
fn a_pipe_is_read_as_a_snapshot() {
    // `schemadrift diff <(cat a.json) b.json`: the shell passes /dev/fd/N, a pipe.
    let d = tempfile::tempdir().unwrap();
    let good = empty_snapshot(d.path(), "good.json");
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "'{}' diff <(cat '{good}') '{good}'",
            common::bin().display()
        ))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The examples that end a help text: two or three `schemadrift ...` lines.
fn examples(help: &str) -> Vec<&str> {
    let tail = help
        .trim_end()
        .rsplit_once("\nExamples:\n")
        .map(|(_, t)| t)
        .unwrap_or_else(|| panic!("no Examples: section at the end of:\n{help}"));
    tail.lines().collect()
}

#[test]
fn every_help_ends_with_examples() {
    let paths: [&[&str]; 8] = [
        &[],
        &["snapshot"],
        &["diff"],
        &["check"],
        &["expected"],
        &["alert"],
        &["alert", "test"],
        &["help"],
    ];
    for path in paths {
        for flag in ["-h", "--help"] {
            let mut args = path.to_vec();
            args.push(flag);
            let (code, out, err) = common::run(&args);
            assert_eq!(code, 0, "{args:?}: {err}");
            let ex = examples(&out);
            assert!((2..=3).contains(&ex.len()), "{args:?}: {ex:?}");
            for line in ex {
                assert!(line.starts_with("  schemadrift "), "{args:?}: {line}");
                if let Some(cmd) = path.first().filter(|c| **c != "help") {
                    assert!(
                        line.starts_with(&format!("  schemadrift {cmd}")),
                        "{args:?}: {line}"
                    );
                }
            }
        }
    }
}

#[test]
fn snapshot_and_diff_help_list_every_kind_of_source() {
    for cmd in ["snapshot", "diff"] {
        let (code, out, _) = common::run(&[cmd, "--help"]);
        assert_eq!(code, 0);
        for kind in [
            "postgres://",
            "postgresql://",
            "key=value",
            "PGPASSWORD",
            "snapshot file",
            "SQL migrations folder",
            "Flyway",
            "neo4j://",
            "bolt://",
            "neo4j+s://",
            "Cypher migrations folder",
        ] {
            assert!(out.contains(kind), "{cmd} --help lacks `{kind}`:\n{out}");
        }
    }
}

#[test]
fn help_help_works_and_help_names_a_command() {
    let (code, out, err) = common::run(&["help", "--help"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Usage: schemadrift help"), "{out}");
    let (code, via_help, _) = common::run(&["help", "diff"]);
    assert_eq!(code, 0);
    let (_, direct, _) = common::run(&["diff", "--help"]);
    assert_eq!(via_help, direct);
    let (code, _, _) = common::run(&["help", "alert", "test"]);
    assert_eq!(code, 0);
    assert_bad(&["help", "nope"], &["no command `nope`", "snapshot, diff"]);
}
