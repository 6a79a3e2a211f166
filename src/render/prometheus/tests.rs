//! Properties of the generated rules that promtool's scenarios do not pin down: windows for
//! SLO windows other than 30d, NaN-safe ratios, labels, demotion and determinism.

use crate::model::Platform;

fn platform(spec: &str) -> Platform {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join(spec)).unwrap();
    match crate::compile(&text) {
        Ok(compilation) => compilation.platform,
        Err(_) => panic!("{spec} does not compile"),
    }
}

fn env_rules(platform: &Platform, env: &str) -> Vec<super::Group> {
    let env = platform.environments.iter().find(|e| e.name == env).unwrap();
    super::groups(platform, env)
}

#[test]
fn windows_scale_with_the_slo_window() {
    let platform = platform("specs/operator.toml");
    let groups = env_rules(&platform, "production");
    let alerts: Vec<&super::Rule> = groups
        .iter()
        .flat_map(|g| &g.rules)
        .filter(|r| r.alert.is_some())
        .collect();
    let api_availability = alerts
        .iter()
        .find(|r| r.labels["service"] == "api" && r.labels["slo"] == "availability" && r.labels["burn"] == "fast")
        .unwrap();
    // 7d: 14.4x over 14m and 5m (floored), 6x over 1h24m and 7m.
    assert!(
        api_availability.expr.contains("ratio_rate14m{"),
        "{}",
        api_availability.expr
    );
    assert!(api_availability.expr.contains("ratio_rate5m{"));
    assert!(api_availability.expr.contains("ratio_rate1h24m{"));
    assert!(api_availability.expr.contains("ratio_rate7m{"));
    let reports_slow = alerts
        .iter()
        .find(|r| r.labels["service"] == "reports" && r.labels.get("burn").is_some_and(|b| b == "slow"))
        .unwrap();
    // 28d: 3x over 22h24m and 1h52m, 1x over 2d19h12m and 5h36m.
    assert!(reports_slow.annotations["description"].contains("3x over 22h24m and 1h52m or 1x over 2d19h12m and 5h36m"));
}

#[test]
fn every_ratio_is_nan_safe_and_every_series_identified() {
    let platform = platform("specs/operator.toml");
    for group in env_rules(&platform, "production") {
        for rule in &group.rules {
            let Some(record) = &rule.record else { continue };
            if record.starts_with("slo:sli_error:ratio_rate") {
                assert!(rule.expr.starts_with("(sum("), "{record}: {}", rule.expr);
                assert!(rule.expr.contains(") or vector(0)) / (sum("), "{record}: {}", rule.expr);
                assert!(rule.expr.ends_with(" > 0 or vector(1))"), "{record}: {}", rule.expr);
            }
            for label in ["namespace", "service", "slo"] {
                assert!(rule.labels.contains_key(label), "{record} lacks {label}");
            }
        }
    }
}

#[test]
fn latency_slos_use_the_threshold_bucket() {
    let platform = platform("specs/operator.toml");
    let groups = env_rules(&platform, "production");
    let errors = groups[0]
        .rules
        .iter()
        .find(|r| r.record.as_deref() == Some("slo:sli_errors:rate5m") && r.labels["slo"] == "latency")
        .unwrap();
    // 1s: both `1` and `1.0`, the regex escaped for a PromQL string.
    assert!(errors.expr.contains(r#"le=~"1(\\.0)?""#), "{}", errors.expr);
    assert!(errors.expr.starts_with("clamp_min("));
}

#[test]
fn paging_off_demotes_every_critical_alert() {
    let platform = platform("specs/operator.toml");
    let severities = |env| -> Vec<String> {
        env_rules(&platform, env)
            .iter()
            .flat_map(|g| &g.rules)
            .filter(|r| r.alert.is_some())
            .map(|r| r.labels["severity"].clone())
            .collect()
    };
    assert!(severities("production").iter().any(|s| s == "critical"));
    assert!(severities("staging").iter().all(|s| s == "warning"));
    for rule in env_rules(&platform, "production").iter().flat_map(|g| &g.rules) {
        if rule.alert.is_some() {
            for label in ["severity", "service", "namespace", "team"] {
                assert!(rule.labels.contains_key(label), "{:?} lacks {label}", rule.alert);
            }
        }
    }
}

#[test]
fn output_is_deterministic() {
    let platform = platform("specs/operator.toml");
    let first = crate::render(&platform).unwrap();
    let second = crate::render(&platform).unwrap();
    assert_eq!(first, second);
}
