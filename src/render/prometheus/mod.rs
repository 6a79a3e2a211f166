//! The Prometheus target: per environment a rule file (constant series, SLO recording rules,
//! burn-rate alerts, standard alerts) and the scrape configuration that gives application
//! metrics the `namespace` and `service` labels every rule selects on.
//!
//! Rules are generic: written once per environment over every workload, aggregated
//! `by (namespace, service)` and joined to the constant series of `info` (one per workload
//! and per SLO) for what differs per service. The rule count grows with those constants
//! only, and annotations name the service through `$labels`.
//!
//! Rust builds each rule's `PromQL` (spec values enter only through `promql::quote`); the
//! templates own the YAML. Annotation templates such as `{{ $value }}` are plain data here,
//! written out literally (multi-line ones as block scalars).

mod alerts;
mod datastores;
mod info;
mod jobs;
mod policy;
pub(crate) mod slo;

use serde::Serialize;

use super::{OutputFile, RenderError, grafana, render_template};
use crate::model::{Environment, Labels, Platform};

/// One rule group, as the rule file and the `PrometheusRule` hold it.
#[derive(Debug, Serialize)]
pub(crate) struct Group {
    pub name: String,
    pub interval: Option<&'static str>,
    pub rules: Vec<Rule>,
}

/// A recording rule (`record`) or an alerting rule (`alert`).
#[derive(Debug, Serialize)]
pub(crate) struct Rule {
    pub record: Option<String>,
    pub alert: Option<String>,
    pub expr: String,
    #[serde(rename = "for")]
    pub for_: Option<String>,
    pub labels: Labels,
    pub annotations: Labels,
}

impl Rule {
    pub fn record(name: &str, expr: String, labels: Labels) -> Self {
        Rule {
            record: Some(name.to_string()),
            alert: None,
            expr,
            for_: None,
            labels,
            annotations: Labels::new(),
        }
    }

    pub fn alert(name: &str, expr: String, labels: Labels, annotations: [(&str, String); 2]) -> Self {
        Rule {
            record: None,
            alert: Some(name.to_string()),
            expr,
            for_: None,
            labels,
            annotations: annotations.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
        }
    }

    pub fn lasting(mut self, duration: String) -> Self {
        self.for_ = Some(duration);
        self
    }
}

/// Every rule group of one environment, empty groups left out. Every alert links the service
/// dashboard with its `namespace` and `service` (`dashboard_url`, a path on the Grafana host,
/// or a URL with `dashboard_base`) — a datastore or job alert, whose result carries no
/// `service` label for the dashboard's variable, links the environment's overview instead —
/// and takes the `[alerts]` policy (see `policy`).
pub(crate) fn groups(platform: &Platform, env: &Environment) -> Vec<Group> {
    let prefix = format!("{}-{}", platform.name, env.name);
    let mut slo = slo::rules(platform, env);
    let mut constants = info::rules(env);
    let budget = policy::budget_thresholds(platform, env);
    if !budget.is_empty() {
        constants.extend(budget);
        slo.alerts.push(policy::budget_alert(platform));
    }
    let groups = [
        ("info", None, constants),
        ("slo-sli", None, slo.sli),
        ("slo-long", Some("2m"), slo.long),
        ("slo-alerts", None, slo.alerts),
        ("alerts", None, alerts::rules(platform, env)),
        ("custom", None, policy::custom(platform, env)),
        ("jobs", None, jobs::rules(platform, env)),
        ("datastores", None, datastores::rules(platform, env)),
    ];
    let service_dashboard = grafana::service_link(platform, env, "{{ $labels.namespace }}", "{{ $labels.service }}");
    let overview = grafana::overview_link(platform, env);
    groups
        .into_iter()
        .filter(|(_, _, rules)| !rules.is_empty())
        .map(|(name, interval, mut rules)| {
            let dashboard = if matches!(name, "datastores" | "jobs") {
                &overview
            } else {
                &service_dashboard
            };
            for rule in rules.iter_mut().filter(|r| r.alert.is_some()) {
                rule.annotations.insert("dashboard_url".into(), dashboard.clone());
            }
            policy::override_severities(platform, &mut rules);
            policy::annotate(platform, &mut rules);
            Group {
                name: format!("{prefix}.{name}"),
                interval,
                rules,
            }
        })
        .collect()
}

/// The rule file of one environment, as YAML text (`groups: ...`), checked as it is rendered:
/// its groups typed and every expression `PromQL` (`verify::prometheus::rule_file`).
pub fn rules(
    templates: &minijinja::Environment<'static>,
    platform: &Platform,
    env: &Environment,
) -> Result<String, RenderError> {
    let groups = groups(platform, env);
    let name = "prometheus/rules.json.j2";
    let mut file = super::render_json(templates, name, serde_json::json!({ "groups": groups }))?;
    let yaml = super::yaml::documents(&file);
    let fail = |e: String| RenderError(format!("{name} does not parse back: {e}"));
    match (file.pop(), file.is_empty()) {
        (Some(rules), true) => crate::verify::prometheus::rule_file(rules).map_err(fail)?,
        _ => return Err(fail("a rule file is one object".to_string())),
    }
    Ok(yaml)
}

/// `prometheus/<env>/rules.yaml` and `prometheus/<env>/scrape.yaml`.
pub fn render(
    templates: &minijinja::Environment<'static>,
    platform: &Platform,
    env: &Environment,
) -> Result<Vec<OutputFile>, RenderError> {
    let scraped: Vec<String> = env
        .services
        .iter()
        .filter(|s| s.metrics.is_some())
        .map(|s| s.name.clone())
        .chain(
            env.datastores
                .iter()
                .filter(|d| d.exporter)
                .map(|d| format!("{}-exporter", d.name)),
        )
        .collect();
    let scrape = render_template(
        templates,
        "prometheus/scrape.yaml.j2",
        serde_json::json!({
            "namespace": env.namespace,
            "services": scraped.join("|"),
            "rollouts": env.has_rollouts(),
        }),
    )?;
    Ok(vec![
        OutputFile {
            path: format!("prometheus/{}/rules.yaml", env.name),
            contents: rules(templates, platform, env)?,
        },
        OutputFile {
            path: format!("prometheus/{}/scrape.yaml", env.name),
            contents: scrape,
        },
    ])
}

/// `team`, when the platform has one: the static label of every alert.
pub(crate) fn team_label(platform: &Platform) -> Labels {
    let mut labels = Labels::new();
    if let Some(team) = &platform.team {
        labels.insert("team".into(), team.clone());
    }
    labels
}

/// `critical` where the alert may page, `warning` where paging is off.
pub(crate) fn page(paging: bool) -> &'static str {
    if paging { "critical" } else { "warning" }
}

#[cfg(test)]
mod tests;
