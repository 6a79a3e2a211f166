//! Properties of the generated rules that promtool's scenarios do not pin down: windows for
//! SLO windows other than 30d, NaN-safe ratios, generic rules whose count does not grow with
//! the services, the latency bucket, demotion and determinism.

use crate::model::Platform;

fn platform_of(text: &str) -> Platform {
    match crate::compile(text) {
        Ok(compilation) => compilation.platform,
        Err(_) => panic!("the spec does not compile"),
    }
}

fn spec(path: &str) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(root.join(path)).unwrap()
}

fn platform(path: &str) -> Platform {
    platform_of(&spec(path))
}

fn env_rules(platform: &Platform, env: &str) -> Vec<super::Group> {
    let env = platform.environments.iter().find(|e| e.name == env).unwrap();
    super::groups(platform, env)
}

fn alerts(groups: &[super::Group]) -> Vec<&super::Rule> {
    groups
        .iter()
        .flat_map(|g| &g.rules)
        .filter(|r| r.alert.is_some())
        .collect()
}

#[test]
fn windows_scale_with_the_slo_window() {
    let platform = platform("specs/operator.toml");
    let groups = env_rules(&platform, "production");
    let alerts = alerts(&groups);
    let burn = |speed: &str| alerts.iter().find(|r| r.labels["burn"] == speed).unwrap();
    let seven_days_fast = burn("fast");
    assert!(seven_days_fast.expr.contains(r#"slo:info{window="7d"}"#));
    // 7d: 14.4x over 14m and 5m (floored), 6x over 1h24m and 7m.
    for window in ["14m", "5m", "1h24m", "7m"] {
        assert!(
            seven_days_fast.expr.contains(&format!("ratio_rate{window} / ")),
            "{window}: {}",
            seven_days_fast.expr
        );
    }
    let slow = burn("slow");
    assert!(slow.expr.contains(r#"slo:info{window="28d"}"#));
    // 28d: 3x over 22h24m and 1h52m, 1x over 2d19h12m and 5h36m; the window from slo:info.
    assert!(
        slow.annotations["description"].contains(
            r#"{{ else if eq $window "28d" }}3x over 22h24m and 1h52m or 1x over 2d19h12m and 5h36m{{ end }}"#
        ),
        "{}",
        slow.annotations["description"]
    );
    assert!(slow.annotations["summary"].contains("% over {{ $window }})"));
    assert_eq!(
        alerts
            .iter()
            .filter(|r| r.alert.as_deref() == Some("SLOErrorBudgetBurn"))
            .count(),
        2
    );
    // every window any alert reads is recorded
    let recorded: Vec<&str> = groups
        .iter()
        .flat_map(|g| &g.rules)
        .filter_map(|r| r.record.as_deref())
        .collect();
    for window in [
        "5m", "7m", "14m", "1h24m", "22h24m", "1h52m", "2d19h12m", "5h36m", "7d", "28d",
    ] {
        assert!(
            recorded.contains(&format!("slo:sli_error:ratio_rate{window}").as_str()),
            "{window}"
        );
    }
}

#[test]
fn every_ratio_is_nan_safe() {
    let platform = platform("specs/operator.toml");
    for group in env_rules(&platform, "production") {
        for rule in &group.rules {
            let Some(record) = &rule.record else { continue };
            if record.starts_with("slo:sli_error:ratio_rate") {
                // errors / requests where requests > 0, else the errors themselves (0)
                assert!(
                    rule.expr.contains(" / on (namespace, service, slo) (")
                        && rule.expr.contains(" > 0)\nor on (namespace, service, slo)\n"),
                    "{record}: {}",
                    rule.expr
                );
            }
        }
    }
}

#[test]
fn rules_are_written_once_whatever_the_number_of_services() {
    let text = spec("specs/slo-scenarios.toml");
    let more = format!(
        "{text}\n[services.extra]\ntier = \"critical\"\nimage = \"x/extra:1\"\nport = 3000\n\
         metrics = {{ port = 9090, path = \"/metrics\" }}\nprobes = {{ readiness = \"/ready\" }}\nresources = {{ cpu = \"100m\", memory = \"128Mi\" }}\n\
         slo = {{ availability = 99.5, latency = {{ objective = 95, threshold = \"2s\" }} }}\n"
    );
    let count = |text: &str| {
        let platform = platform_of(text);
        let groups = env_rules(&platform, "production");
        let info = groups[0].rules.len();
        let generic: usize = groups[1..].iter().map(|g| g.rules.len()).sum();
        assert!(groups[0].name.ends_with(".info"));
        (info, generic)
    };
    let (info, generic) = count(&text);
    let (more_info, more_generic) = count(&more);
    assert_eq!(generic, more_generic, "generic rules do not grow");
    // one workload:info, and objective, budget and info for each of the two SLOs
    assert_eq!(more_info, info + 1 + 2 * 3);
    let platform = platform_of(&more);
    // Datastore alerts are per datastore (their `service` label is the datastore): they grow
    // with datastores, never with services.
    let per_service = env_rules(&platform, "production");
    for group in per_service[1..].iter().filter(|g| !g.name.ends_with(".datastores")) {
        for rule in &group.rules {
            assert!(
                !rule.labels.contains_key("service"),
                "{:?} names a service",
                rule.record
            );
            assert!(!rule.expr.contains("extra"), "{}", rule.expr);
        }
    }
}

#[test]
fn latency_slos_join_the_threshold_bucket() {
    let platform = platform("specs/operator.toml");
    let groups = env_rules(&platform, "production");
    let rules: Vec<&super::Rule> = groups.iter().flat_map(|g| &g.rules).collect();
    let errors = rules
        .iter()
        .find(|r| r.record.as_deref() == Some("slo:sli_errors:rate5m") && r.labels["slo"] == "latency")
        .unwrap();
    // a trailing `.0` (Prometheus 3 normalises `1` to `1.0`) is dropped before the join
    assert!(
        errors.expr.contains(r#""le", "$1", "le", "(.+)\\.0")"#),
        "{}",
        errors.expr
    );
    assert!(
        errors
            .expr
            .contains(r#"and on (namespace, service, le) slo:info{slo="latency"}"#)
    );
    assert!(errors.expr.starts_with("clamp_min("));
    let info = rules
        .iter()
        .find(|r| r.record.as_deref() == Some("slo:info") && r.labels["slo"] == "latency")
        .unwrap();
    assert_eq!(info.labels["le"], "1", "1s is the bucket `1`");
}

#[test]
fn paging_off_demotes_every_critical_alert() {
    let platform = platform("specs/operator.toml");
    let severities = |env| -> Vec<String> {
        let groups = env_rules(&platform, env);
        let workloads = groups[0]
            .rules
            .iter()
            .filter(|r| r.record.as_deref() == Some("workload:info"));
        let joined = workloads.map(|r| r.labels["severity"].clone());
        let fixed = alerts(&groups)
            .into_iter()
            .filter_map(|r| r.labels.get("severity").cloned());
        joined.chain(fixed).collect()
    };
    assert!(severities("production").iter().any(|s| s == "critical"));
    assert!(severities("staging").iter().all(|s| s == "warning"));
    for rule in alerts(&env_rules(&platform, "production")) {
        assert!(rule.labels.contains_key("team"), "{:?} lacks team", rule.alert);
        assert!(
            rule.labels.contains_key("severity") || rule.expr.contains("group_left (severity) workload:info"),
            "{:?} has no severity",
            rule.alert
        );
    }
}

#[test]
fn output_is_deterministic() {
    let platform = platform("specs/operator.toml");
    let first = crate::render(&platform).unwrap();
    let second = crate::render(&platform).unwrap();
    assert_eq!(first, second);
}
