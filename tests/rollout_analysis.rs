//! The rollout analysis on synthetic series: promtool evaluates the query of the
//! `AnalysisTemplate` generated for `specs/progressive.toml` (service `api`: availability
//! 99.5%, so a budget of 0.005; metric `app_http_requests_total`, errors `5..|429`) with the
//! `canary-hash` argument filled in as Argo Rollouts would, and the test checks the value
//! against the template's own `successCondition`.
//!
//! In the series the stable version (hash `stable0`) fails 10% of its requests; the analysis
//! must not see that. A healthy canary (`good1`) fails 0.5% of its requests: burn rate 1, the
//! budget spent exactly on time. A failing canary (`bad2`) fails 10% (half 500s, half 429s,
//! both errors by the platform's regex): burn rate 20, above the fast-page rate of 14.4. A
//! canary that has served nothing yet (`idle3`) reads 0 rather than no data.
//!
//! promtool comes from `$PLATC_VALIDATORS/bin/promtool` (default `/opt/platc-validators`).
//! Without it the test is skipped, except under CI (`CI` set), where that is a failure.

use std::process::Command;

#[path = "support/promtool.rs"]
mod support;
use support::{promtool, rendered};

/// (query, success condition) of the `AnalysisTemplate` in `services/<service>.yaml`.
fn analysis_of(service: &str) -> (String, String) {
    let file = rendered(
        "specs/progressive.toml",
        &format!("kubernetes/production/services/{service}.yaml"),
    );
    let template = platc::verify::yaml_documents(&file)
        .unwrap()
        .into_iter()
        .find(|d| d["kind"] == "AnalysisTemplate")
        .expect("an AnalysisTemplate");
    let metric = &template["spec"]["metrics"][0];
    let text = |value: &serde_json::Value| value.as_str().expect("a string").to_string();
    (
        text(&metric["provider"]["prometheus"]["query"]),
        text(&metric["successCondition"]),
    )
}

const SERIES: &str = r#"
      - series: 'app_http_requests_total{namespace="ledgerly-prod",service="api",pod="a-0",rollouts_pod_template_hash="stable0",code="200"}'
        values: '0+540x30'
      - series: 'app_http_requests_total{namespace="ledgerly-prod",service="api",pod="a-0",rollouts_pod_template_hash="stable0",code="503"}'
        values: '0+60x30'
      - series: 'app_http_requests_total{namespace="ledgerly-prod",service="api",pod="a-1",rollouts_pod_template_hash="good1",code="200"}'
        values: '0+597x30'
      - series: 'app_http_requests_total{namespace="ledgerly-prod",service="api",pod="a-1",rollouts_pod_template_hash="good1",code="500"}'
        values: '0+3x30'
      - series: 'app_http_requests_total{namespace="ledgerly-prod",service="api",pod="a-2",rollouts_pod_template_hash="bad2",code="200"}'
        values: '0+540x30'
      - series: 'app_http_requests_total{namespace="ledgerly-prod",service="api",pod="a-2",rollouts_pod_template_hash="bad2",code="500"}'
        values: '0+30x30'
      - series: 'app_http_requests_total{namespace="ledgerly-prod",service="api",pod="a-2",rollouts_pod_template_hash="bad2",code="429"}'
        values: '0+30x30'
      - series: 'app_http_requests_total{namespace="ledgerly-prod",service="other",pod="o-0",rollouts_pod_template_hash="good1",code="500"}'
        values: '0+600x30'
"#;

/// promtool must compute each (canary hash, burn rate) at minute 10.
fn expect_burn(query: &str, cases: &[(&str, f64)]) {
    let Some(promtool) = promtool() else { return };
    let mut tests =
        String::from("rule_files: []\nevaluation_interval: 1m\ntests:\n  - interval: 1m\n    input_series:");
    tests.push_str(SERIES);
    tests.push_str("    promql_expr_test:\n");
    for (hash, burn) in cases {
        // Rounded to 0.001: promtool compares exactly, and 0.005 / 0.005 in binary floating
        // point is 0.9999999999999998.
        let expr = format!("round({}, 0.001)", query.replace("{{args.canary-hash}}", hash));
        let expr = serde_json::to_string(&expr).unwrap(); // a JSON string is a YAML scalar
        tests.push_str(&format!(
            "      - expr: {expr}\n        eval_time: 10m\n        exp_samples:\n          - labels: '{{}}'\n            value: {burn}\n"
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("analysis.test.yaml");
    std::fs::write(&file, &tests).unwrap();
    let output = Command::new(promtool)
        .args(["test", "rules"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "promtool test rules failed:\n{}{}\n{tests}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_healthy_canary_passes_and_a_failing_one_fails() {
    let (query, condition) = analysis_of("api");
    let threshold: f64 = condition
        .strip_prefix("result[0] <= ")
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("unexpected successCondition {condition}"));
    assert!(
        query.contains(r#"rollouts_pod_template_hash="{{args.canary-hash}}""#),
        "{query}"
    );
    let (healthy, failing) = (1.0, 20.0);
    assert!(healthy <= threshold && failing > threshold, "threshold {threshold}");
    // stable0 fails as often as bad2: judged alone it burns at 20 too, yet good1 reads 1.
    let cases = [
        ("good1", healthy),
        ("bad2", failing),
        ("idle3", 0.0),
        ("stable0", failing),
    ];
    expect_burn(&query, &cases);
}
