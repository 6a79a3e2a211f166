//! E0092 and the rollout's derived names: each problem at its line and column.

use super::HEAD;
use crate::diag::Code;

/// (code, line, column) of every error for `HEAD + body`; lines count from the body's first
/// line, columns from 1.
fn located(body: &str) -> Vec<(Code, usize, usize)> {
    let text = format!("{HEAD}{body}");
    let mut document = match crate::spec::parse(&text) {
        Ok(document) => document,
        Err(problems) => panic!("the spec does not parse: {problems:?}"),
    };
    let (envs, mut problems) = crate::resolve::resolve(&mut document);
    problems.extend(crate::check::check(&document, &envs, std::path::Path::new(".")));
    let head_lines = HEAD.matches('\n').count();
    let mut found: Vec<(Code, usize, usize)> = problems
        .iter()
        .filter(|d| d.code.severity() == crate::diag::Severity::Error)
        .map(|d| {
            let start = d.span.clone().map_or(0, |s| s.start);
            let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
            let line = text[..start].matches('\n').count() + 1 - head_lines;
            (d.code, line, text[line_start..start].chars().count() + 1)
        })
        .collect();
    found.sort();
    found.dedup();
    found
}

/// A service with a port, a readiness probe, two replicas and an availability SLO (4 lines).
const WEB: &str = "[services.web]\nimage = \"web:1\"\nport = 8080\nslo = { availability = 99.9 }\n";

#[test]
fn valid_rollouts_have_no_findings() {
    for rollout in [
        "rollout = { strategy = \"canary\", steps = [10, 25, 50], pause = \"5m\", analysis = true }",
        "rollout = { strategy = \"canary\" }",
        "rollout = { strategy = \"blue-green\", auto_promote = false, analysis = true }",
    ] {
        assert_eq!(located(&format!("{WEB}{rollout}\n")), vec![], "{rollout}");
    }
}

#[test]
fn steps_must_increase_within_the_open_range() {
    let body = format!("{WEB}rollout = {{ strategy = \"canary\", steps = [50, 20, 20, 100, 0] }}\n");
    // `[` is column 42: the second 20 does not increase, 100 and 0 are outside (0, 100).
    assert_eq!(
        located(&body),
        vec![
            (Code::E0092, 5, 47),
            (Code::E0092, 5, 51),
            (Code::E0092, 5, 55),
            (Code::E0092, 5, 60)
        ]
    );
    let empty = format!("{WEB}rollout = {{ strategy = \"canary\", steps = [] }}\n");
    assert_eq!(located(&empty), vec![(Code::E0092, 5, 42)]);
}

#[test]
fn pause_must_be_a_duration() {
    let body = format!("{WEB}rollout = {{ strategy = \"canary\", pause = \"five minutes\" }}\n");
    assert_eq!(located(&body), vec![(Code::E0092, 5, 42)]);
    let fraction = format!("{WEB}rollout = {{ strategy = \"canary\", pause = \"1500ms\" }}\n");
    assert_eq!(
        located(&fraction),
        vec![(Code::E0092, 5, 42)],
        "Argo pauses in whole seconds"
    );
}

#[test]
fn each_strategy_takes_only_its_own_keys() {
    let canary = format!("{WEB}rollout = {{ strategy = \"canary\", auto_promote = false }}\n");
    assert_eq!(located(&canary), vec![(Code::E0092, 5, 49)]);
    let blue_green = format!("{WEB}rollout = {{ strategy = \"blue-green\", steps = [10], pause = \"1m\" }}\n");
    assert_eq!(located(&blue_green), vec![(Code::E0092, 5, 46), (Code::E0092, 5, 60)]);
}

#[test]
fn blue_green_needs_a_port() {
    let body = "[services.worker]\nimage = \"w:1\"\nrollout = { strategy = \"blue-green\" }\n";
    assert_eq!(located(body), vec![(Code::E0092, 3, 24)]);
}

#[test]
fn analysis_needs_an_availability_slo_and_metrics() {
    let no_slo =
        "[services.web]\nimage = \"web:1\"\nport = 8080\nrollout = { strategy = \"canary\", analysis = true }\n";
    assert_eq!(located(no_slo), vec![(Code::E0092, 4, 45)]);
    let latency_only = "[services.web]\nimage = \"web:1\"\nport = 8080\nslo = { latency = { objective = 99, threshold = \"200ms\" } }\nrollout = { strategy = \"canary\", analysis = true }\n";
    assert_eq!(located(latency_only), vec![(Code::E0092, 5, 45)]);
    let unscraped = format!("{WEB}metrics = false\nrollout = {{ strategy = \"canary\", analysis = true }}\n");
    assert_eq!(located(&unscraped), vec![(Code::E0092, 6, 45)]);
    let from_tier = "[tiers.critical]\nslo = { availability = 99.5 }\n[services.web]\nimage = \"web:1\"\nport = 8080\ntier = \"critical\"\nrollout = { strategy = \"canary\", analysis = true }\n";
    assert_eq!(located(from_tier), vec![], "the tier's SLO counts");
    let off = "[services.web]\nimage = \"web:1\"\nport = 8080\nrollout = { strategy = \"canary\", analysis = false }\n";
    assert_eq!(located(off), vec![]);
}

#[test]
fn an_override_is_reported_where_it_is_written() {
    let body = format!(
        "{WEB}rollout = {{ strategy = \"canary\", steps = [10, 50] }}\n[environments.production.services.web]\nrollout = {{ steps = [60, 50] }}\n"
    );
    assert_eq!(located(&body), vec![(Code::E0092, 7, 26)], "the 50 after 60");
}

#[test]
fn a_rollout_needs_a_strategy() {
    let body = format!("{WEB}rollout = {{ steps = [10] }}\n");
    assert_eq!(located(&body), vec![(Code::E0003, 5, 11)]);
}

#[test]
fn derived_service_names_fit_and_are_free() {
    let long = "a".repeat(60);
    let body = format!("[services.{long}]\nimage = \"x:1\"\nport = 80\nrollout = {{ strategy = \"blue-green\" }}\n");
    assert_eq!(located(&body), vec![(Code::E0010, 1, 11)]);
    let taken =
        format!("{WEB}rollout = {{ strategy = \"blue-green\" }}\n[services.web-preview]\nimage = \"x:1\"\nport = 80\n");
    assert_eq!(located(&taken), vec![(Code::E0010, 1, 11)]);
}

#[test]
fn prometheus_url_is_an_http_url() {
    for bad in ["prometheus:9090", "http://", "http://a b"] {
        let body = format!("prometheus_url = \"{bad}\"\n");
        assert_eq!(located(&body), vec![(Code::E0092, 1, 18)], "{bad}");
    }
    let good = "prometheus_url = \"https://prom.example.com/prometheus\"\n";
    assert_eq!(located(good), vec![]);
}

#[test]
fn quota_counts_both_versions_where_a_rollout_runs_them_side_by_side() {
    let service = |rollout: &str| {
        format!(
            "[environments.production.quota]\npods = 5\n{WEB}replicas = 3\nrollout = {{ strategy = \"{rollout}\" }}\n"
        )
    };
    assert_eq!(
        located(&service("canary")),
        vec![],
        "a replica canary surges by one pod: 4"
    );
    assert_eq!(
        located(&service("blue-green")),
        vec![(Code::E0070, 2, 8)],
        "blue-green runs 3 + 3 preview pods"
    );
    let routed = format!(
        "[environments.production.quota]\npods = 4\n[ingress]\nhost = \"a.example.com\"\n{WEB}replicas = 2\nroutes = [\"/\"]\nrollout = {{ strategy = \"canary\" }}\n"
    );
    assert_eq!(
        located(&routed),
        vec![],
        "2 stable + 2 canary pods at the end of the canary"
    );
    let tight = routed.replace("pods = 4", "pods = 3");
    assert_eq!(located(&tight), vec![(Code::E0070, 2, 8)]);
}
