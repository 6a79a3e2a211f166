//! Operator mode (`[platform] prometheus_operator = true`): the environment's rule groups as a
//! `PrometheusRule`, a `ServiceMonitor` per scraped service, and the Grafana dashboards as
//! `ConfigMaps` labelled `grafana_dashboard: "1"` (the Grafana sidecar's convention), and
//! with `[alerting]` the environment's `AlertmanagerConfig`.
//!
//! The `ServiceMonitor` pins `service` to the pod's `app.kubernetes.io/name` label, exactly as
//! the annotation-based scrape config does, so the rules see the same labels in both modes.
//! A service delivered by a rollout gets a `PodMonitor` instead: Argo Rollouts narrows
//! `<svc>` to one version's pods, so only the pods themselves reach both versions (each once,
//! with its `rollouts_pod_template_hash`, which the rollout analysis selects on).

use serde::Serialize;

use super::Meta;
use super::render_template;
use crate::model::{Environment, Platform};
use crate::render::{RenderError, alertmanager, grafana, prometheus};

#[derive(Serialize)]
struct RuleView {
    meta: Meta,
    groups: Vec<prometheus::Group>,
}

#[derive(Serialize)]
struct Monitors<'a> {
    monitors: Vec<Monitor<'a>>,
}

#[derive(Serialize)]
struct Dashboards {
    dashboards: Vec<DashboardMap>,
}

#[derive(Serialize)]
struct Monitor<'a> {
    meta: Meta,
    /// The port to scrape: `http`, or `metrics` when metrics have their own port.
    port: &'static str,
    path: &'a str,
    /// A `PodMonitor` (the service is delivered by a rollout) rather than a `ServiceMonitor`.
    pods: bool,
}

#[derive(Serialize)]
struct DashboardMap {
    meta: Meta,
    file_name: String,
    json: String,
}

/// (file name under `kubernetes/<env>/`, contents).
pub(super) fn files(
    templates: &minijinja::Environment<'static>,
    platform: &Platform,
    env: &Environment,
) -> Result<Vec<(String, String)>, RenderError> {
    let rule = render_template(
        templates,
        "kubernetes/prometheus-rule.json.j2",
        RuleView {
            meta: Meta::new(platform, env, &platform.name, "monitoring"),
            groups: prometheus::groups(platform, env),
        },
    )?;
    let mut files = vec![("monitoring/prometheus-rule.yaml".to_string(), rule)];
    let monitors: Vec<Monitor<'_>> = env
        .services
        .iter()
        .filter(|s| s.port.is_some())
        .filter_map(|s| {
            let metrics = s.metrics.as_ref()?;
            Some(Monitor {
                meta: Meta::new(platform, env, &s.name, "service"),
                port: if Some(metrics.port) == s.port {
                    "http"
                } else {
                    "metrics"
                },
                path: &metrics.path,
                pods: s.rollout.is_some(),
            })
        })
        .collect();
    if !monitors.is_empty() {
        let text = render_template(templates, "kubernetes/service-monitor.json.j2", Monitors { monitors })?;
        files.push(("monitoring/service-monitors.yaml".to_string(), text));
    }
    let dashboards: Vec<DashboardMap> = grafana::dashboards(templates, platform, env)?
        .into_iter()
        .map(|d| {
            let stem = d.file_name.trim_end_matches(".json");
            let mut meta = Meta::new(platform, env, &format!("grafana-dashboard-{stem}"), "monitoring");
            meta.labels.insert("grafana_dashboard".into(), "1".into());
            DashboardMap {
                meta,
                file_name: d.file_name,
                json: d.json,
            }
        })
        .collect();
    let text = render_template(
        templates,
        "kubernetes/dashboard-configmap.json.j2",
        Dashboards { dashboards },
    )?;
    files.push(("monitoring/dashboards.yaml".to_string(), text));
    let labels = Meta::new(platform, env, &format!("{}-alerting", platform.name), "monitoring").labels;
    files.extend(alertmanager::operator::file(platform, env, labels)?);
    Ok(files)
}
