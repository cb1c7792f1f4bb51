//! Slack and webhook alerts against a real HTTP server on loopback
//! (wiremock), delivery behaviour (500, 429 + Retry-After, 400, a server
//! that never answers), and the one-alert-per-new-state logic across
//! consecutive `check` runs against a live PostgreSQL.

mod common;

use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use common::{run, run_env, TestDb};
use hmac::{KeyInit, Mac};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Run the binary off the async runtime, so wiremock keeps answering.
async fn sd(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    tokio::task::spawn_blocking(move || {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let e: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        run_env(&a, &e)
    })
    .await
    .unwrap()
}

fn write_config(dir: &Path, text: &str) -> String {
    let p = dir.join("schemadrift.toml");
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

fn webhook(url: &str, extra: &str) -> String {
    format!(
        "[alerts]\nretries = 2\nbackoff = \"50ms\"\ntimeout = \"5s\"\n\n[alerts.channels.hook]\ntype = \"webhook\"\nurl = \"{url}\"\n{extra}\n"
    )
}

fn header(r: &Request, name: &str) -> String {
    r.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

/// What a receiver does: recompute HMAC-SHA256(secret, "<timestamp>.<body>")
/// and compare with the header; reject an old timestamp.
fn verify_like_a_receiver(r: &Request, secret: &str) {
    let ts = header(r, "X-Schemadrift-Timestamp");
    let sig = header(r, "X-Schemadrift-Signature");
    let ts_n: u64 = ts.parse().expect("a Unix timestamp");
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(now.abs_diff(ts_n) < 300, "timestamp {ts_n} is not recent");
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(ts.as_bytes());
    mac.update(b".");
    mac.update(&r.body);
    let hex_sig = sig.strip_prefix("sha256=").expect("sha256= prefix");
    mac.verify_slice(&hex::decode(hex_sig).unwrap())
        .expect("the signature verifies");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alert_test_sends_a_signed_webhook_with_headers() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/hooks/schemadrift"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_config(
        dir.path(),
        &webhook(
            &format!("{}/hooks/schemadrift", server.uri()),
            "secret = \"${SD_TEST_HOOK_SECRET}\"\nheaders = { Authorization = \"Bearer ${SD_TEST_HOOK_TOKEN}\", X-Team = \"dba\" }",
        ),
    );
    let env = [
        ("SD_TEST_HOOK_SECRET", "whsec-TOPSECRET-1"),
        ("SD_TEST_HOOK_TOKEN", "tok-TOPSECRET-2"),
    ];
    let (code, out, err) = sd(&["alert", "test", "-c", &cfg], &env).await;
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains("alert `hook`: test message delivered"),
        "{err}"
    );
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.method.as_str(), "POST");
    assert_eq!(header(r, "content-type"), "application/json");
    assert_eq!(header(r, "authorization"), "Bearer tok-TOPSECRET-2");
    assert_eq!(header(r, "x-team"), "dba");
    assert_eq!(header(r, "x-schemadrift-event"), "test");
    verify_like_a_receiver(r, "whsec-TOPSECRET-1");
    let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(v["event"], "test");
    assert_eq!(v["channel"], "hook");
    assert!(v["timestamp"].as_str().unwrap().ends_with('Z'));
    assert!(!err.contains("TOPSECRET") && !out.contains("TOPSECRET"));

    // --channel picks one; an unknown one is named.
    let (code, _, err) = sd(&["alert", "test", "-c", &cfg, "--channel", "nope"], &env).await;
    assert_eq!(code, 2);
    assert!(
        err.contains("there is no alert channel `nope` (channels: hook)"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_error_is_retried_until_success() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_config(dir.path(), &webhook(&format!("{}/h", server.uri()), ""));
    let (code, out, err) = sd(&["alert", "test", "-c", &cfg], &[]).await;
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_many_requests_waits_for_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "2"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_config(dir.path(), &webhook(&format!("{}/h", server.uri()), ""));
    let started = Instant::now();
    let (code, out, err) = sd(&["alert", "test", "-c", &cfg], &[]).await;
    let took = started.elapsed();
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    // The backoff is 50 ms: only Retry-After explains a 2 s wait.
    assert!(took >= Duration::from_millis(1900), "{took:?}");
    assert!(took < Duration::from_secs(10), "{took:?}");

    // A Retry-After beyond max_retry_after is cut down to it.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "3600"))
        .mount(&server)
        .await;
    let cfg = write_config(
        dir.path(),
        &webhook(
            &format!("{}/h", server.uri()),
            "max_retry_after = \"200ms\"\nretries = 1",
        ),
    );
    let started = Instant::now();
    let (code, _, err) = sd(&["alert", "test", "-c", &cfg], &[]).await;
    assert_eq!(code, 2, "{err}");
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(err.contains("429"), "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_error_is_not_retried_and_secrets_stay_hidden() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(404).set_body_string("no_service"))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_config(
        dir.path(),
        &format!(
            "[alerts]\nretries = 3\nbackoff = \"50ms\"\n\n[alerts.channels.oncall]\ntype = \"slack\"\nurl = \"{}/services/T0/B0/${{SD_TEST_SLACK_TOKEN}}\"\n",
            server.uri()
        ),
    );
    let (code, out, err) = sd(
        &["alert", "test", "-c", &cfg],
        &[("SD_TEST_SLACK_TOKEN", "XOXB-SLACKSECRET")],
    )
    .await;
    assert_eq!(code, 2, "{out}{err}");
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        1,
        "no retry on 4xx"
    );
    assert!(
        err.contains("alert channel `oncall` did not deliver: POST to http://127.0.0.1:"),
        "{err}"
    );
    assert!(err.contains("404 Not Found: no_service"), "{err}");
    assert!(
        !err.contains("SLACKSECRET") && !err.contains("/services/"),
        "{err}"
    );
    let r = &server.received_requests().await.unwrap()[0];
    let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert!(v["text"]
        .as_str()
        .unwrap()
        .starts_with(":wave: *schemadrift: test alert"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_never_answers_times_out() {
    let port = common::silent_server();
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_config(
        dir.path(),
        &webhook(
            &format!("http://127.0.0.1:{port}/h"),
            "timeout = \"1s\"\nretries = 1",
        ),
    );
    let started = Instant::now();
    let (code, _, err) = sd(&["alert", "test", "-c", &cfg], &[]).await;
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("alert channel `hook` did not deliver"),
        "{err}"
    );
    assert!(
        err.contains("POST to http://127.0.0.1:") && err.contains("no answer"),
        "{err}"
    );
    assert!(err.contains("gave up after 2 attempts"), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
}

// ------------------------------------------------------------------ state --

const SCHEMA: &str = "
CREATE SCHEMA shop;
CREATE TABLE shop.items (id bigint PRIMARY KEY, name text NOT NULL, price numeric(8,2));
";

/// A fleet config: the expected schema from a pristine database, targets
/// as (name, url), and `alerts` appended.
fn fleet(dir: &Path, targets: &[(&str, &str)], alerts: &str) -> (String, TestDb) {
    let pristine = TestDb::with_sql("alerts_expected", SCHEMA);
    let expected = dir.join("expected.json");
    let (code, _, err) = run(&["snapshot", &pristine.url, "-o", expected.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let mut text = "[postgres]\nexpected = \"expected.json\"\n".to_string();
    for (name, url) in targets {
        text.push_str(&format!("\n[targets.{name}]\npostgres = \"{url}\"\n"));
    }
    text.push('\n');
    text.push_str(alerts);
    (write_config(dir, &text), pristine)
}

async fn sink() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    server
}

/// (event, target, reminder) of every request received so far.
async fn events(server: &MockServer) -> Vec<(String, String, bool)> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| {
            let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
            (
                v["event"].as_str().unwrap().to_string(),
                v["target"].as_str().unwrap().to_string(),
                v["reminder"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn ev(e: &str, t: &str) -> (String, String, bool) {
    (e.to_string(), t.to_string(), false)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drift_then_same_then_changed_then_resolved() {
    let server = sink().await;
    let dir = tempfile::tempdir().unwrap();
    let prod = TestDb::with_sql("alerts_prod", SCHEMA);
    let (cfg, _p) = fleet(
        dir.path(),
        &[("production", &prod.url)],
        &webhook(&format!("{}/h", server.uri()), "secret = \"s\""),
    );
    let check = ["check", "-c", cfg.as_str()];

    let (code, _, err) = sd(&check, &[]).await;
    assert_eq!(code, 0, "{err}");
    assert_eq!(events(&server).await, vec![], "clean: nothing to say");

    prod.exec("CREATE INDEX items_hotfix_idx ON shop.items (price)");
    let (code, _, err) = sd(&check, &[]).await;
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        events(&server).await,
        vec![ev("drift-detected", "production")]
    );
    let r = &server.received_requests().await.unwrap()[0];
    let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(v["status"], "drift");
    assert_eq!(
        v["report"]["changes"][0]["object"],
        "shop.items.items_hotfix_idx"
    );

    let (code, _, err) = sd(&check, &[]).await;
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        events(&server).await.len(),
        1,
        "the same drift is not sent again"
    );

    prod.exec("ALTER TABLE shop.items ALTER COLUMN name DROP NOT NULL");
    let (code, _, _) = sd(&check, &[]).await;
    assert_eq!(code, 1);
    assert_eq!(events(&server).await[1], ev("drift-changed", "production"));

    prod.exec(
        "DROP INDEX shop.items_hotfix_idx; ALTER TABLE shop.items ALTER COLUMN name SET NOT NULL",
    );
    let (code, _, err) = sd(&check, &[]).await;
    assert_eq!(code, 0, "{err}");
    let (code, _, _) = sd(&check, &[]).await;
    assert_eq!(code, 0);
    assert_eq!(
        events(&server).await,
        vec![
            ev("drift-detected", "production"),
            ev("drift-changed", "production"),
            ev("drift-resolved", "production"),
        ]
    );
    // --no-alerts sends nothing and leaves the state alone.
    prod.exec("CREATE INDEX items_hotfix_idx ON shop.items (price)");
    let (code, _, _) = sd(&["check", "-c", &cfg, "--no-alerts"], &[]).await;
    assert_eq!(code, 1);
    assert_eq!(events(&server).await.len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remind_after_sends_the_same_drift_again() {
    let server = sink().await;
    let dir = tempfile::tempdir().unwrap();
    let prod = TestDb::with_sql("alerts_remind", SCHEMA);
    prod.exec("CREATE INDEX items_hotfix_idx ON shop.items (price)");
    let mut alerts = webhook(&format!("{}/h", server.uri()), "");
    alerts = alerts.replace("[alerts]\n", "[alerts]\nremind_after = \"3s\"\n");
    let (cfg, _p) = fleet(dir.path(), &[("production", &prod.url)], &alerts);
    let check = ["check", "-c", cfg.as_str()];
    let first = std::time::Instant::now();
    sd(&check, &[]).await;
    sd(&check, &[]).await;
    // Within remind_after of the first alert, the unchanged drift is not
    // sent again. (On a machine so loaded that two checks took longer than
    // that, a reminder would be right, so only the first alert is certain.)
    let got = events(&server).await;
    assert_eq!(got[0], ev("drift-detected", "production"));
    if first.elapsed() < Duration::from_secs(3) {
        assert_eq!(got.len(), 1, "{got:?}");
    }
    let before = got.len();
    tokio::time::sleep(Duration::from_millis(3100)).await;
    sd(&check, &[]).await;
    let got = events(&server).await;
    assert_eq!(got.len(), before + 1, "{got:?}");
    assert_eq!(
        got[before],
        ("drift-detected".into(), "production".into(), true)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_target_alerts_once_and_channels_filter_targets() {
    let server = sink().await;
    let dir = tempfile::tempdir().unwrap();
    let ok = TestDb::with_sql("alerts_ok", SCHEMA);
    ok.exec("COMMENT ON TABLE shop.items IS 'hotfix'");
    let down = format!(
        "postgres://postgres:pw-SECRET-9@127.0.0.1:{}/x",
        common::closed_port()
    );
    let mut alerts = webhook(&format!("{}/h", server.uri()), "min_severity = \"warning\"");
    // A second channel that follows only `good` and never hears of `down`.
    alerts.push_str(&format!(
        "\n[alerts.channels.goodonly]\ntype = \"webhook\"\nurl = \"{}/other\"\ntargets = [\"good\"]\n",
        server.uri()
    ));
    let (cfg, _p) = fleet(dir.path(), &[("down", &down), ("good", &ok.url)], &alerts);
    let check = ["check", "-c", cfg.as_str()];
    let (code, _, err) = sd(&check, &[]).await;
    assert_eq!(code, 2, "{err}");
    let (code, _, _) = sd(&check, &[]).await;
    assert_eq!(code, 2);
    let reqs = server.received_requests().await.unwrap();
    let by_path = |p: &str| -> Vec<serde_json::Value> {
        reqs.iter()
            .filter(|r| r.url.path() == p)
            .map(|r| serde_json::from_slice(&r.body).unwrap())
            .collect()
    };
    // `hook`: one check-failed for `down`; the info-only drift of `good`
    // is below its min_severity.
    let hook = by_path("/h");
    assert_eq!(hook.len(), 1, "{hook:?}");
    assert_eq!(hook[0]["event"], "check-failed");
    assert_eq!(hook[0]["target"], "down");
    assert!(hook[0]["error"]
        .as_str()
        .unwrap()
        .contains("cannot connect"));
    assert!(!hook[0].to_string().contains("pw-SECRET-9"));
    // `goodonly`: the comment drift of `good`, once.
    let other = by_path("/other");
    assert_eq!(other.len(), 1, "{other:?}");
    assert_eq!(other[0]["event"], "drift-detected");
    assert_eq!(other[0]["target"], "good");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn corrupt_state_file_is_a_warning_and_counts_as_empty() {
    let server = sink().await;
    let dir = tempfile::tempdir().unwrap();
    let prod = TestDb::with_sql("alerts_corrupt", SCHEMA);
    prod.exec("CREATE INDEX items_hotfix_idx ON shop.items (price)");
    let alerts = webhook(&format!("{}/h", server.uri()), "").replace(
        "[alerts]\n",
        "[alerts]\nstate_file = \"state/alerts.json\"\n",
    );
    let (cfg, _p) = fleet(dir.path(), &[("production", &prod.url)], &alerts);
    let state = dir.path().join("state/alerts.json");
    std::fs::create_dir_all(state.parent().unwrap()).unwrap();
    std::fs::write(&state, "{\"version\": 1, \"channels\": [oops").unwrap();
    let (code, _, err) = sd(&["check", "-c", &cfg], &[]).await;
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("warning: the alert state file"), "{err}");
    assert!(err.contains("is corrupt"), "{err}");
    assert_eq!(
        events(&server).await,
        vec![ev("drift-detected", "production")]
    );
    // Rewritten whole and valid.
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    assert!(v["channels"]["hook"]["production"]["drift"]["fingerprint"].is_string());
    let (_, _, err) = sd(&["check", "-c", &cfg], &[]).await;
    assert!(!err.contains("warning"), "{err}");
    assert_eq!(events(&server).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_delivery_is_retried_on_the_next_run_and_others_still_deliver() {
    let broken = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(3)
        .mount(&broken)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&broken)
        .await;
    let good = sink().await;
    let dir = tempfile::tempdir().unwrap();
    let prod = TestDb::with_sql("alerts_retry", SCHEMA);
    prod.exec("CREATE INDEX items_hotfix_idx ON shop.items (price)");
    let mut alerts = webhook(&format!("{}/h", broken.uri()), "");
    alerts.push_str(&format!(
        "\n[alerts.channels.backup]\ntype = \"webhook\"\nurl = \"{}/b\"\n",
        good.uri()
    ));
    let (cfg, _p) = fleet(dir.path(), &[("production", &prod.url)], &alerts);
    let report = dir.path().join("report.txt");
    let (code, _, err) = sd(&["check", "-c", &cfg, "-o", report.to_str().unwrap()], &[]).await;
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("alert channel `hook` did not deliver: drift-detected for target `production` not sent: POST to"),
        "{err}"
    );
    assert!(
        err.contains("500 Internal Server Error (gave up after 3 attempts)"),
        "{err}"
    );
    assert!(std::fs::read_to_string(&report)
        .unwrap()
        .contains("items_hotfix_idx"));
    assert_eq!(
        events(&good).await,
        vec![ev("drift-detected", "production")]
    );
    // Next run: the failed channel is tried again (and now works); the
    // other one, already told, stays quiet.
    let (code, _, err) = sd(&["check", "-c", &cfg], &[]).await;
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        events(&broken).await.last(),
        Some(&ev("drift-detected", "production"))
    );
    assert_eq!(broken.received_requests().await.unwrap().len(), 4);
    assert_eq!(events(&good).await.len(), 1);
}

/// A target whose URL names a variable that is not set fails alone: the
/// others are checked, the report is written, the failure is alerted, exit 2.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_target_with_an_unset_variable_fails_alone() {
    let server = sink().await;
    let dir = tempfile::tempdir().unwrap();
    let good = TestDb::with_sql("alerts_unset_good", SCHEMA);
    let (cfg, _p) = fleet(
        dir.path(),
        &[
            ("good", &good.url),
            ("nosecret", "${SD_TEST_UNSET_TARGET_URL_14}"),
        ],
        &webhook(&format!("{}/h", server.uri()), ""),
    );
    let report = dir.path().join("report.json");
    let (code, out, err) = sd(
        &[
            "check",
            "-c",
            &cfg,
            "--format",
            "json",
            "-o",
            report.to_str().unwrap(),
        ],
        &[],
    )
    .await;
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("environment variable SD_TEST_UNSET_TARGET_URL_14 is not set"),
        "{err}"
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let targets = v["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 2, "{v}");
    assert_eq!(targets[0]["target"], "good");
    assert_eq!(targets[0]["status"], "clean");
    assert_eq!(targets[1]["target"], "nosecret");
    assert_eq!(targets[1]["status"], "failed");
    let e = targets[1]["error"].as_str().unwrap();
    assert!(
        e.contains("schemadrift.toml:") && e.contains("SD_TEST_UNSET_TARGET_URL_14 is not set"),
        "{e}"
    );
    assert_eq!(events(&server).await, [ev("check-failed", "nosecret")]);
}
