//! What CI and monitoring read from schemadrift, checked by their own
//! parsers: the SARIF report validated against the SARIF 2.1.0 JSON schema
//! (Python's jsonschema), `check --metrics` parsed by Prometheus' Python
//! client (its OpenMetrics parser and its text-format parser), and the exit
//! codes of `--fail-on` and `diff --quiet`. scripts/test.sh installs the
//! parsers and the schema (scripts/lib/testtools.sh).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::checkers::{assert_valid_sarif, python};
use common::{run, TestDb};
use schemadrift::model::postgres::{Column, Schema, Table};
use schemadrift::model::PgSchema;

/// Parse with prometheus_client's OpenMetrics parser and its Prometheus
/// text-format parser; prints one line per sample from the first.
const PARSE_METRICS: &str = r#"
import json, sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families as om
from prometheus_client.parser import text_string_to_metric_families as prom
text = sys.stdin.read()
for fam in om(text):
    for s in fam.samples:
        print(fam.type, fam.unit or "-", s.name, json.dumps(s.labels, sort_keys=True), s.value)
n = sum(len(f.samples) for f in prom(text))
print("text-format samples", n)
"#;

fn column(name: &str, ty: &str, not_null: bool) -> Column {
    Column {
        name: name.into(),
        data_type: ty.into(),
        not_null,
        default: None,
        identity: None,
        generated: None,
        collation: None,
        storage: None,
        compression: None,
        statistics: None,
        options: vec![],
        comment: None,
        grants: Default::default(),
    }
}

fn write_snapshot(dir: &Path, name: &str, pg: PgSchema) -> String {
    common::write_pg_snapshot(dir, name, pg)
        .display()
        .to_string()
}

/// `care.patients (id, name)`, and variants with one change of each
/// severity: a lost column (error), an unexpected table (warning), a
/// comment (info).
fn schema(lost_column: bool, extra_table: bool, comment: bool) -> PgSchema {
    let mut pg = PgSchema::default();
    let mut care = Schema::default();
    let mut columns = vec![column("id", "integer", true)];
    if !lost_column {
        columns.push(column("name", "text", false));
    }
    care.tables.insert(
        "patients".into(),
        Table {
            columns,
            comment: comment.then(|| "people".to_string()),
            ..Table::default()
        },
    );
    if extra_table {
        care.tables.insert(
            "tmp_import".into(),
            Table {
                columns: vec![column("line", "text", false)],
                ..Table::default()
            },
        );
    }
    pg.schemas.insert("care".into(), care);
    pg
}

struct Files {
    _dir: tempfile::TempDir,
    base: String,
    info: String,
    warning: String,
    error: String,
}

fn files() -> Files {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    Files {
        base: write_snapshot(p, "base.json", schema(false, false, false)),
        info: write_snapshot(p, "info.json", schema(false, false, true)),
        warning: write_snapshot(p, "warning.json", schema(false, true, true)),
        error: write_snapshot(p, "error.json", schema(true, true, true)),
        _dir: d,
    }
}

#[test]
fn fail_on_sets_the_least_severity_that_exits_1() {
    let f = files();
    // (actual, --fail-on, exit code)
    for (actual, level, want) in [
        (&f.info, None, 1),
        (&f.info, Some("info"), 1),
        (&f.info, Some("warning"), 0),
        (&f.warning, Some("warning"), 1),
        (&f.warning, Some("error"), 0),
        (&f.error, Some("error"), 1),
        (&f.base, Some("info"), 0),
    ] {
        let mut args = vec!["diff", f.base.as_str(), actual.as_str()];
        if let Some(l) = level {
            args.extend(["--fail-on", l]);
        }
        let (code, out, err) = run(&args);
        assert_eq!(code, want, "{args:?}: {out}{err}");
        // Below the level, the changes are still reported.
        if actual != &f.base {
            assert!(out.contains("comment-changed"), "{args:?}: {out}");
        }
    }
    let (code, _, err) = run(&["diff", &f.base, &f.base, "--fail-on", "severe"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("invalid value 'severe' for '--fail-on"),
        "{err}"
    );
}

#[test]
fn diff_quiet_prints_nothing_when_clean_and_the_report_when_not() {
    let f = files();
    let (code, out, err) = run(&["diff", "--quiet", &f.base, &f.base]);
    assert_eq!((code, out.as_str(), err.as_str()), (0, "", ""));
    let (code, out, _) = run(&["diff", "-q", &f.base, &f.info]);
    assert_eq!(code, 1);
    assert!(out.contains("comment-changed"), "{out}");
    // A file asked for is written even when clean.
    let dir = tempfile::tempdir().unwrap();
    let o = dir.path().join("report.json");
    let (code, out, _) = run(&[
        "diff",
        "-q",
        &f.base,
        &f.base,
        "--format",
        "json",
        "-o",
        o.to_str().unwrap(),
    ]);
    assert_eq!((code, out.as_str()), (0, ""));
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&o).unwrap()).unwrap();
    assert_eq!(v["summary"]["total"], 0);
}

#[test]
fn diff_sarif_is_valid_with_one_result_per_change() {
    let f = files();
    let (code, out, err) = run(&["diff", &f.base, &f.error, "--format", "sarif"]);
    assert_eq!(code, 1, "{err}");
    assert_valid_sarif(&out);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run0 = &v["runs"][0];
    assert_eq!(run0["tool"]["driver"]["name"], "schemadrift");
    let results: Vec<(String, String, String)> = run0["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap().to_string(),
                r["level"].as_str().unwrap().to_string(),
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            )
        })
        .collect();
    let base_uri = format!("file://{}", f.base);
    assert_eq!(
        results,
        [
            ("comment-changed".into(), "note".into(), base_uri.clone()),
            ("column-missing".into(), "error".into(), base_uri.clone()),
            ("table-unexpected".into(), "warning".into(), base_uri),
        ]
    );
    let rules: Vec<&str> = run0["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        ["column-missing", "comment-changed", "table-unexpected"]
    );

    // No drift: a valid log with no results.
    let (code, out, _) = run(&["diff", &f.base, &f.base, "--format", "sarif"]);
    assert_eq!(code, 0);
    assert_valid_sarif(&out);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["runs"][0]["results"], serde_json::json!([]));
}

const SCHEMA: &str = "
CREATE SCHEMA shop;
CREATE TABLE shop.items (id bigint PRIMARY KEY, name text NOT NULL);
";

/// A config with targets `alpha` (clean), `beta` (an unexpected index, a
/// warning) and `gamma` (a port nothing listens on).
fn fleet(dir: &Path) -> (PathBuf, Vec<TestDb>) {
    let pristine = TestDb::with_sql("ci_expected", SCHEMA);
    let (code, _, err) = run(&[
        "snapshot",
        &pristine.url,
        "-o",
        dir.join("expected.json").to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let a = TestDb::with_sql("ci_alpha", SCHEMA);
    let b = TestDb::with_sql("ci_beta", SCHEMA);
    b.exec("CREATE INDEX items_name_idx ON shop.items (name)");
    let refused = format!(
        "postgres://postgres@127.0.0.1:{}/none",
        common::closed_port()
    );
    let toml = format!(
        "[postgres]\nexpected = \"expected.json\"\n\n\
         [targets.alpha]\npostgres = \"{}\"\n\n\
         [targets.beta]\npostgres = \"{}\"\n\n\
         [targets.gamma]\npostgres = \"{refused}\"\n",
        a.url, b.url
    );
    let cfg = dir.join("schemadrift.toml");
    std::fs::write(&cfg, toml).unwrap();
    (cfg, vec![pristine, a, b])
}

#[test]
fn check_sarif_metrics_and_fail_on() {
    let dir = tempfile::tempdir().unwrap();
    let (cfg, _dbs) = fleet(dir.path());
    let cfg = cfg.to_str().unwrap();
    let metrics = dir.path().join("schemadrift.prom");
    let m = metrics.to_str().unwrap();

    let (code, out, err) = run(&[
        "check",
        "-c",
        cfg,
        "--format",
        "sarif",
        "--metrics",
        m,
        "--no-alerts",
    ]);
    // gamma could not be checked: exit 2, with the report and metrics written.
    assert_eq!(code, 2, "{err}");
    assert_valid_sarif(&out);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let run0 = &v["runs"][0];
    let results = run0["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{out}");
    assert_eq!(results[0]["ruleId"], "index-unexpected");
    assert_eq!(results[0]["level"], "warning");
    assert_eq!(
        results[0]["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        "beta/shop.items.items_name_idx"
    );
    assert_eq!(run0["invocations"][0]["executionSuccessful"], false);
    let note = run0["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]
        .as_str()
        .unwrap();
    assert!(note.starts_with("target `gamma`: "), "{note}");

    let text = std::fs::read_to_string(&metrics).unwrap();
    assert!(text.ends_with("# EOF\n"), "{text}");
    let (ok, parsed) = python(PARSE_METRICS, &[], &text);
    assert!(ok, "{parsed}\n{text}");
    let samples: Vec<&str> = parsed.lines().collect();
    for want in [
        r#"gauge - schemadrift_target_up {"target": "alpha"} 1"#,
        r#"gauge - schemadrift_target_up {"target": "beta"} 1"#,
        r#"gauge - schemadrift_target_up {"target": "gamma"} 0"#,
        r#"gauge - schemadrift_target_changes {"severity": "warning", "target": "beta"} 1"#,
        r#"gauge - schemadrift_target_changes {"severity": "error", "target": "beta"} 0"#,
        r#"gauge - schemadrift_target_changes {"severity": "info", "target": "alpha"} 0"#,
        "text-format samples 13",
    ] {
        assert!(samples.contains(&want), "no `{want}` in\n{parsed}");
    }
    // No change counts for a target that was not checked.
    assert!(
        !samples
            .iter()
            .any(|l| l.contains("schemadrift_target_changes") && l.contains("gamma")),
        "{parsed}"
    );
    for target in ["alpha", "beta", "gamma"] {
        assert!(
            samples.iter().any(|l| l.starts_with(&format!(
                r#"gauge seconds schemadrift_check_duration_seconds {{"target": "{target}"}}"#
            ))),
            "{parsed}"
        );
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    let stamp: f64 = samples
        .iter()
        .find_map(|l| l.strip_prefix("gauge seconds schemadrift_last_check_timestamp_seconds {} "))
        .expect("a last-check timestamp")
        .parse()
        .unwrap();
    assert!(
        now - stamp < 600.0 && stamp <= now + 1.0,
        "{stamp} vs {now}"
    );

    // --fail-on: beta's drift is a warning.
    let only = |level: &str| {
        run(&[
            "check",
            "-c",
            cfg,
            "--target",
            "alpha",
            "--target",
            "beta",
            "--no-alerts",
            "--fail-on",
            level,
        ])
    };
    let (code, out, err) = only("warning");
    assert_eq!(code, 1, "{out}{err}");
    let (code, out, err) = only("error");
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("index-unexpected"), "still reported: {out}");
}

#[test]
fn metrics_into_a_missing_directory_or_over_a_file_of_others_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let (cfg, _dbs) = fleet(dir.path());
    let check_alpha = |more: &[&str]| {
        let mut args = vec![
            "check",
            "-c",
            cfg.to_str().unwrap(),
            "--target",
            "alpha",
            "--no-alerts",
        ];
        args.extend_from_slice(more);
        run(&args)
    };
    let report = dir.path().join("report.json");
    let missing = dir.path().join("no/such/dir/x.prom");
    let (code, _, err) = check_alpha(&[
        "--format",
        "json",
        "-o",
        report.to_str().unwrap(),
        "--metrics",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("no/such/dir/x.prom"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(report.exists(), "the report is written first");

    // A file that schemadrift did not write is never replaced.
    let theirs = dir.path().join("node.prom");
    std::fs::write(&theirs, "node_load1 0.5\n").unwrap();
    let (code, out, err) = check_alpha(&["--metrics", theirs.to_str().unwrap()]);
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(
        err.contains("is not a metrics file schemadrift wrote"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(
        std::fs::read_to_string(&theirs).unwrap(),
        "node_load1 0.5\n"
    );
}

/// action.yml read as GitHub reads it (YAML), held to run.sh: a composite
/// action whose every `run` is bash that parses, whose every
/// `${{ inputs.x }}` is declared, and which passes run.sh every INPUT_
/// variable it reads.
#[test]
fn the_github_action_is_a_composite_action_that_passes_every_input() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/github-action");
    let yml = std::fs::read_to_string(root.join("action.yml")).unwrap();
    let (ok, json) = python(
        "import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))",
        &[],
        &yml,
    );
    assert!(ok, "action.yml is not YAML: {json}");
    let action: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(action["runs"]["using"], "composite");
    let inputs = action["inputs"].as_object().unwrap();
    for used in yml.split("inputs.").skip(1) {
        let name: String = used
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        assert!(inputs.contains_key(&name), "inputs.{name} is not declared");
    }
    let steps = action["runs"]["steps"].as_array().unwrap();
    for step in steps.iter().filter(|s| s.get("run").is_some()) {
        assert_eq!(step["shell"], "bash", "{step}");
        // GitHub replaces `${{ ... }}` before bash sees the script.
        let mut script = String::new();
        let mut rest = step["run"].as_str().unwrap();
        while let Some(i) = rest.find("${{") {
            script.push_str(&rest[..i]);
            script.push('0');
            rest = &rest[i + rest[i..].find("}}").unwrap() + 2..];
        }
        script.push_str(rest);
        let n = std::process::Command::new("bash")
            .args(["-n", "-c", &script])
            .output()
            .unwrap();
        assert!(n.status.success(), "{script}: {n:?}");
    }
    let run_step = steps.iter().find(|s| s["id"] == "run").unwrap();
    let env = run_step["env"].as_object().unwrap();
    let sh = std::fs::read_to_string(root.join("run.sh")).unwrap();
    for used in sh.split("${INPUT_").skip(1) {
        let name: String = used
            .chars()
            .take_while(|c| c.is_ascii_uppercase() || *c == '_')
            .collect();
        assert!(
            env.contains_key(&format!("INPUT_{name}")),
            "run.sh reads INPUT_{name}, which action.yml does not pass"
        );
    }
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
        })
        .expect("a SARIF upload step");
    assert_eq!(
        upload["with"]["sarif_file"],
        "${{ steps.run.outputs.sarif }}"
    );
}

/// run.sh, as the action's step runs it: the expected files checked
/// against the migrations, the targets checked, the Markdown on the job
/// summary, SARIF written, the exit code in the step's outputs.
#[test]
fn the_github_action_script_checks_reports_and_sets_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let (cfg, _dbs) = fleet(dir.path());
    let migrations = dir.path().join("migrations");
    std::fs::create_dir(&migrations).unwrap();
    std::fs::write(migrations.join("001_shop.sql"), SCHEMA).unwrap();
    let toml = std::fs::read_to_string(&cfg)
        .unwrap()
        .replace("[postgres]\n", "[postgres]\nmigrations = \"migrations\"\n");
    std::fs::write(&cfg, toml).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/github-action/run.sh");
    let action = |targets: &str| {
        let summary = dir.path().join("summary.md");
        let outputs = dir.path().join("outputs");
        let _ = std::fs::remove_file(&summary);
        let _ = std::fs::remove_file(&outputs);
        let out = std::process::Command::new("bash")
            .arg(&script)
            .current_dir(dir.path())
            .env("SCHEMADRIFT_BIN", common::bin())
            .env("SCHEMADRIFT_SHADOW_URL", common::server_url())
            .env("RUNNER_TEMP", dir.path())
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("GITHUB_OUTPUT", &outputs)
            .env("INPUT_CONFIG", "schemadrift.toml")
            .env("INPUT_TARGETS", targets)
            .env("INPUT_EXPECTED_CHECK", "true")
            .env("INPUT_FAIL_ON", "warning")
            .env("INPUT_SARIF", "drift.sarif")
            .env("INPUT_ARGS", "--jobs 2")
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert!(out.status.success(), "run.sh must exit 0: {out:?}");
        (
            std::fs::read_to_string(&summary).unwrap_or_default(),
            std::fs::read_to_string(&outputs).unwrap(),
        )
    };

    let (summary, outputs) = action("alpha beta");
    assert!(outputs.starts_with("exit-code=1\n"), "{outputs}");
    assert!(outputs.contains("\nsarif=drift.sarif\n"), "{outputs}");
    assert!(
        summary.starts_with("## schemadrift check: 2 targets: 1 clean, 1 drift"),
        "{summary}"
    );
    assert!(summary.contains("items_name_idx"), "{summary}");
    let sarif = std::fs::read_to_string(dir.path().join("drift.sarif")).unwrap();
    assert_valid_sarif(&sarif);
    assert!(sarif.contains("\"index-unexpected\""), "{sarif}");

    let (_, outputs) = action("alpha");
    assert!(outputs.starts_with("exit-code=0\n"), "{outputs}");

    // A migration the expected file lacks: out of date, exit 1, on the summary.
    std::fs::write(
        migrations.join("002_note.sql"),
        "ALTER TABLE shop.items ADD COLUMN note text;",
    )
    .unwrap();
    let (summary, outputs) = action("alpha");
    assert!(outputs.starts_with("exit-code=1\n"), "{outputs}");
    assert!(
        summary.starts_with("## schemadrift expected --check: the expected schema is out of date"),
        "{summary}"
    );
    assert!(summary.contains("shop.items.note"), "{summary}");

    // A target that cannot be checked: 2 wins over 1.
    let (_, outputs) = action("gamma");
    assert!(outputs.starts_with("exit-code=2\n"), "{outputs}");
}

/// Run schemadrift with its standard error on a terminal: a pseudo-terminal
/// of a private devpts instance mounted in a temporary directory (in a
/// mount namespace of its own), never the machine's /dev. Returns (exit
/// code, what the terminal showed).
fn on_terminal(args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    const PTY: &str = r#"
import fcntl, os, struct, subprocess, sys
d, out_file = sys.argv[1], sys.argv[2]
m = os.open(d + "/ptmx", os.O_RDWR | os.O_NOCTTY)
fcntl.ioctl(m, 0x40045431, struct.pack("i", 0))                       # TIOCSPTLCK: unlock
n = struct.unpack("i", fcntl.ioctl(m, 0x80045430, struct.pack("i", 0)))[0]  # TIOCGPTN
s = os.open("%s/%d" % (d, n), os.O_RDWR | os.O_NOCTTY)
with open(out_file, "wb") as out:
    p = subprocess.Popen(sys.argv[3:], stdin=subprocess.PIPE, stdout=out, stderr=s)
p.stdin.close()
os.close(s)
shown = b""
while True:
    try:
        b = os.read(m, 65536)
    except OSError:  # EIO: the program closed the terminal
        break
    if not b:
        break
    shown += b
sys.stdout.write(shown.decode("utf-8", "replace"))
sys.exit(p.wait())
"#;
    let dir = tempfile::tempdir().unwrap();
    let pts = dir.path().join("pts");
    std::fs::create_dir(&pts).unwrap();
    let mut cmd = Command::new("unshare");
    cmd.args([
        "-m",
        "sh",
        "-c",
        "mount -t devpts -o newinstance,ptmxmode=0600 devpts \"$1\" && shift && exec python3 \"$@\"",
        "sh",
    ])
    .arg(&pts)
    .args(["-c", PTY])
    .arg(&pts)
    .arg(dir.path().join("stdout"))
    .arg(common::bin())
    .args(args)
    .env("NO_COLOR", "1")
    .env_remove("CI");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run unshare");
    assert!(
        out.status.code().is_some_and(|c| c < 3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// `expected` shows the migrations replayed on a terminal once it has run
/// for half a second, and nothing in a pipe or with CI set.
#[test]
fn expected_shows_progress_on_a_terminal_only() {
    let dir = tempfile::tempdir().unwrap();
    let migrations = dir.path().join("migrations");
    std::fs::create_dir(&migrations).unwrap();
    for i in 1..=4 {
        std::fs::write(
            migrations.join(format!("{i}_t{i}.sql")),
            format!("SELECT pg_sleep(0.3);\nCREATE TABLE t{i} (id int);\n"),
        )
        .unwrap();
    }
    let out = dir.path().join("expected");
    let args = [
        "expected",
        "--migrations",
        migrations.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ];
    let shadow = common::server_url();
    let env = [("SCHEMADRIFT_SHADOW_URL", shadow.as_str())];

    let (code, shown) = on_terminal(&args, &env);
    assert_eq!(code, 0, "{shown}");
    assert!(shown.contains("replayed 3/4 migrations"), "{shown:?}");
    assert!(shown.contains("3_t3.sql"), "{shown:?}");

    let (code, shown) = on_terminal(&args, &[env[0], ("CI", "true")]);
    assert_eq!(code, 0, "{shown}");
    assert!(!shown.contains("replayed"), "{shown:?}");

    let (code, _, err) = common::run_env(&args, &env);
    assert_eq!(code, 0, "{err}");
    assert_eq!(err.lines().count(), 1, "only the `wrote` line: {err:?}");
    assert!(err.starts_with("schemadrift: wrote "), "{err:?}");
}
