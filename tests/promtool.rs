//! The SLO scenarios: promtool replays synthetic traffic against the rules generated from
//! `specs/slo-scenarios.toml` and checks what fires (`tests/promtool/<env>.test.yaml`):
//! a 10% error outage pages, a burn rate of 0.5 never alerts, slow requests burn the latency
//! SLO, `paging = false` never pages, and a down target fires `ServiceDown`; from
//! `specs/operator.toml` (`tests/promtool/operator-production.test.yaml`), SLOs of 7 and 28
//! days in one environment; and from `specs/alert-policy.toml`
//! (`tests/promtool/alert-policy-production.test.yaml`), the `[alerts]` policy: an 80% spent
//! budget fires the 50% and 75% budget alerts but not 100%, a custom alert, `restarts = 0`,
//! a severity override, with runbook and dashboard links;
//! from `specs/datastores-ops.toml` the datastore alerts: exporters, a stale and a failed
//! backup; and from `specs/next/workloads.toml` the job alerts: a failed run, and no success
//! for twice the schedule's longest gap.
//!
//! promtool comes from `$PLATC_VALIDATORS/bin/promtool` (default `/opt/platc-validators`).
//! Without it the test is skipped, except under CI (`CI` set), where that is a failure.

use std::path::Path;
use std::process::Command;

#[path = "support/promtool.rs"]
mod support;
use support::{promtool, rendered};

fn scenarios(env: &str) {
    scenarios_of("specs/slo-scenarios.toml", env, env);
}

fn scenarios_of(spec: &str, env: &str, test: &str) {
    let Some(promtool) = promtool() else { return };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("rules.yaml"),
        rendered(spec, &format!("prometheus/{env}/rules.yaml")),
    )
    .unwrap();
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/promtool/{test}.test.yaml"));
    let test_file = dir.path().join("test.yaml");
    std::fs::copy(tests, &test_file).unwrap();
    let output = Command::new(promtool)
        .args(["test", "rules"])
        .arg(&test_file)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "promtool test rules failed for {env}:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn production_outage_pages_slow_burn_does_not_latency_burns_and_down_fires() {
    scenarios("production");
}

#[test]
fn staging_without_paging_never_pages() {
    scenarios("staging");
}

#[test]
fn slo_windows_other_than_30d_alert_with_their_own_conditions() {
    scenarios_of("specs/operator.toml", "production", "operator-production");
}

#[test]
fn datastore_exporters_and_backups_alert() {
    scenarios_of("specs/datastores-ops.toml", "production", "datastores-production");
}

#[test]
fn budget_custom_restart_and_override_alerts_fire_as_the_policy_says() {
    scenarios_of("specs/alert-policy.toml", "production", "alert-policy-production");
}

#[test]
fn a_failed_job_warns_and_a_job_without_success_for_twice_its_gap_pages() {
    scenarios_of("specs/next/workloads.toml", "production", "workloads-production");
}
