//! The third-party checkers tests hand output to, installed by
//! scripts/test.sh (scripts/lib/testtools.sh): Python with prometheus_client,
//! jsonschema and PyYAML on `SCHEMADRIFT_TEST_PYTHONPATH`, and the SARIF 2.1.0
//! schema at `SCHEMADRIFT_TEST_SARIF_SCHEMA`.

use std::io::Write;
use std::process::{Command, Stdio};

/// A variable scripts/test.sh sets, or a panic that says so: a check that
/// passes without its checker proves nothing.
pub fn env(name: &str) -> String {
    match std::env::var(name) {
        Ok(v) if !v.is_empty() => v,
        _ => panic!(
            "{name} is not set: run the tests through scripts/test.sh, which installs the checkers"
        ),
    }
}

/// Run a Python program with the checkers on its path, `input` on its
/// standard input; returns (success, stdout + stderr).
pub fn python(program: &str, args: &[&str], input: &str) -> (bool, String) {
    let mut child = Command::new("python3")
        .arg("-c")
        .arg(program)
        .args(args)
        .env("PYTHONPATH", env("SCHEMADRIFT_TEST_PYTHONPATH"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run python3");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

const VALIDATE_SARIF: &str = r#"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(sys.stdin)
v = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
errors = sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))
for e in errors:
    print("/".join(map(str, e.absolute_path)), e.message)
sys.exit(1 if errors else 0)
"#;

/// Validate `sarif` against the SARIF 2.1.0 schema; panics with the errors.
pub fn assert_valid_sarif(sarif: &str) {
    let schema = env("SCHEMADRIFT_TEST_SARIF_SCHEMA");
    let (ok, out) = python(VALIDATE_SARIF, &[&schema], sarif);
    assert!(ok, "not valid SARIF 2.1.0:\n{out}\n{sarif}");
}
