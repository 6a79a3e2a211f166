//! The Prometheus target: per environment a rule file (SLO recording rules, burn-rate
//! alerts, standard alerts) and the scrape configuration that gives application metrics the
//! `namespace` and `service` labels every rule selects on.
//!
//! Rust builds each rule's `PromQL` (spec values enter only through `promql::quote`); the
//! templates own the YAML. Annotation templates such as `{{ $value }}` are plain data here,
//! so the JSON auto-escape writes them out literally.

mod alerts;
mod datastores;
pub(crate) mod slo;

use serde::Serialize;

use super::{OutputFile, RenderError, render_template};
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

/// Every rule group of one environment, empty groups left out.
pub(crate) fn groups(platform: &Platform, env: &Environment) -> Vec<Group> {
    let prefix = format!("{}-{}", platform.name, env.name);
    let slo = slo::rules(platform, env);
    let groups = [
        ("slo-sli", None, slo.sli),
        ("slo-long", Some("2m"), slo.long),
        ("slo-alerts", None, slo.alerts),
        ("alerts", None, alerts::rules(platform, env)),
        ("datastores", None, datastores::rules(platform, env)),
    ];
    groups
        .into_iter()
        .filter(|(_, _, rules)| !rules.is_empty())
        .map(|(name, interval, rules)| Group {
            name: format!("{prefix}.{name}"),
            interval,
            rules,
        })
        .collect()
}

/// The rule file of one environment, as YAML text (`groups: ...`).
pub fn rules(
    templates: &minijinja::Environment<'static>,
    platform: &Platform,
    env: &Environment,
) -> Result<String, RenderError> {
    let groups = groups(platform, env);
    render_template(
        templates,
        "prometheus/rules.yaml.j2",
        serde_json::json!({ "groups": groups }),
    )
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
        serde_json::json!({ "namespace": env.namespace, "services": scraped.join("|") }),
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

/// `severity`, `namespace`, `service` and (when the platform has one) `team`.
pub(crate) fn alert_labels(platform: &Platform, env: &Environment, service: &str, severity: &str) -> Labels {
    let mut labels = Labels::new();
    labels.insert("severity".into(), severity.into());
    labels.insert("namespace".into(), env.namespace.clone());
    labels.insert("service".into(), service.into());
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
