//! The `[alerts]` v2 policy over the generated rules: severity overrides per alert name,
//! `runbook_url` and an absolute `dashboard_url` on every alert, the custom alerts, and the
//! error-budget alerts of SLOs with `budget_alerts`.
//!
//! Budget alerts follow the generic structure: one constant `slo:budget_alert:ratio` per SLO
//! and threshold (labelled with the `threshold` and the `severity` it fires with), and one
//! `SLOErrorBudgetConsumed` rule comparing the consumed budget, `1 -
//! slo:error_budget_remaining:ratio` (each SLO over its own window), against all of them.

use crate::model::{Environment, Platform};
use crate::render::promql::{Decimal, duration};
use crate::spec::promql::NAMESPACE;

use super::slo::objectives;
use super::{Rule, page, team_label};

pub(super) const BUDGET_ALERT: &str = "SLOErrorBudgetConsumed";

/// `slo:budget_alert:ratio{namespace, service, slo, threshold, severity}` = the threshold as
/// a fraction. 100% is critical (demoted where the service does not page), the rest warning;
/// a `severity` override of `SLOErrorBudgetConsumed` applies to every threshold.
pub(super) fn budget_thresholds(platform: &Platform, env: &Environment) -> Vec<Rule> {
    let forced = platform.alerts.severity.get(BUDGET_ALERT).map(String::as_str);
    let mut out = Vec::new();
    for service in &env.services {
        let Some(slo) = &service.slo else { continue };
        for objective in objectives(service) {
            for percent in &slo.budget_alerts {
                let threshold = Decimal::from_f64(*percent);
                let severity = match forced {
                    Some("warning") => "warning",
                    Some(_) => page(service.paging),
                    None if *percent >= 100.0 => page(service.paging),
                    None => "warning",
                };
                let mut labels = objective.identity(env);
                labels.insert("threshold".into(), threshold.to_string());
                labels.insert("severity".into(), severity.into());
                out.push(Rule::record(
                    "slo:budget_alert:ratio",
                    format!("vector({})", threshold.percent_to_ratio()),
                    labels,
                ));
            }
        }
    }
    out
}

/// One alert for every threshold of every SLO; the value is the consumed fraction.
pub(super) fn budget_alert(platform: &Platform) -> Rule {
    Rule::alert(
        BUDGET_ALERT,
        "1 - slo:error_budget_remaining:ratio\n>= on (namespace, service, slo) group_right ()\n  slo:budget_alert:ratio"
            .into(),
        team_label(platform),
        [
            (
                "summary",
                "{{ $labels.service }}: {{ $labels.threshold }}% of the {{ $labels.slo }} SLO's error budget is spent"
                    .into(),
            ),
            (
                "description",
                "{{ $labels.service }} in {{ $labels.namespace }} has spent {{ $value | humanizePercentage }} of \
                 the error budget of its {{ $labels.slo }} SLO over the SLO window (alert at {{ $labels.threshold }}%)."
                    .into(),
            ),
        ],
    )
}

/// The custom alerts, `${namespace}` replaced, with `severity` (critical demoted where the
/// environment does not page), `namespace` and `team`.
pub(super) fn custom(platform: &Platform, env: &Environment) -> Vec<Rule> {
    platform
        .alerts
        .custom
        .iter()
        .map(|alert| {
            let severity = platform.alerts.severity.get(&alert.name).unwrap_or(&alert.severity);
            let mut labels = team_label(platform);
            labels.insert(
                "severity".into(),
                if severity == "critical" {
                    page(env.paging)
                } else {
                    "warning"
                }
                .into(),
            );
            labels.insert("namespace".into(), env.namespace.clone());
            let summary = alert
                .summary
                .clone()
                .unwrap_or_else(|| format!("{} fired in {}", alert.name, env.namespace));
            let description = format!(
                "Custom alert {} in {}: the expression has held for {} (value {{{{ $value }}}}).",
                alert.name,
                env.namespace,
                alert.for_.text()
            );
            Rule::alert(
                &alert.name,
                alert.expr.replace(NAMESPACE, &env.namespace),
                labels,
                [("summary", summary), ("description", description)],
            )
            .lasting(duration(alert.for_))
        })
        .collect()
}

/// `severity = { <Alert> = ... }` over the generated alerts (custom and budget alerts take it
/// where they are built): `warning` is a fixed label; `critical` replaces a fixed warning by
/// the workload's paging severity from `workload:info`, so `paging = false` still demotes it.
pub(super) fn override_severities(platform: &Platform, rules: &mut [Rule]) {
    for rule in rules {
        let Some(name) = rule.alert.as_deref() else { continue };
        if name == BUDGET_ALERT || platform.alerts.custom.iter().any(|c| c.name == name) {
            continue;
        }
        match platform.alerts.severity.get(name).map(String::as_str) {
            Some("warning") => {
                rule.labels.insert("severity".into(), "warning".into());
            }
            Some("critical") if rule.labels.remove("severity").is_some() => {
                let expr = rule
                    .expr
                    .lines()
                    .map(|l| format!("  {l}"))
                    .collect::<Vec<_>>()
                    .join("\n");
                rule.expr = format!("(\n{expr}\n)\n* on (namespace, service) group_left (severity) workload:info");
            }
            _ => {}
        }
    }
}

/// `runbook_url = <runbook_base>/<alertname>`, and `dashboard_url` on the Grafana host.
pub(super) fn annotate(platform: &Platform, rules: &mut [Rule]) {
    for rule in rules {
        let Some(name) = rule.alert.clone() else { continue };
        if let Some(base) = &platform.alerts.runbook_base {
            rule.annotations.insert("runbook_url".into(), format!("{base}/{name}"));
        }
        if let (Some(base), Some(path)) = (
            &platform.alerts.dashboard_base,
            rule.annotations.get_mut("dashboard_url"),
        ) {
            *path = format!("{base}{path}");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::spec::alerting::STANDARD_ALERTS;

    /// `severity` overrides are checked against `STANDARD_ALERTS`: every alert platc writes
    /// must be in it, or an override of it would be rejected.
    #[test]
    fn every_generated_alert_can_be_overridden() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/specs/alert-policy.toml")).unwrap();
        let platform = crate::compile(&text).unwrap_or_else(|_| panic!("compiles")).platform;
        let mut names: Vec<String> = Vec::new();
        for env in &platform.environments {
            for group in super::super::groups(&platform, env) {
                names.extend(group.rules.into_iter().filter_map(|r| r.alert));
            }
        }
        let custom: Vec<&str> = platform.alerts.custom.iter().map(|c| c.name.as_str()).collect();
        assert!(names.len() > 8, "{names:?}");
        for name in names {
            assert!(
                STANDARD_ALERTS.contains(&name.as_str()) || custom.contains(&name.as_str()),
                "{name} is generated but cannot be overridden"
            );
        }
    }
}
