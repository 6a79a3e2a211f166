//! The overview dashboard of an environment: RED metrics, health and restarts per service,
//! every series linking to the service dashboard with `$namespace` and `$service` set. The
//! services are the environment's scraped ones, joined from `workload:info`, so the queries do
//! not grow with the number of services.

use super::panels::{FROM_ZERO, Layout, Query, timeseries};
use super::slos::link_series;
use super::{Dashboard, Frame, render_dashboard};
use crate::model::{Environment, Platform};
use crate::render::RenderError;
use crate::render::promql::Selector;

pub(super) fn dashboard(
    templates: &minijinja::Environment<'static>,
    platform: &Platform,
    env: &Environment,
) -> Result<Dashboard, RenderError> {
    let mut layout = Layout::default();
    services_row(&mut layout, platform, env);
    super::datastores::row(&mut layout, env);
    let frame = Frame {
        parts: &[&platform.name, &env.name],
        title: format!("{} / {} / overview", platform.name, env.name),
        description: format!(
            "RED metrics and SLOs of every {} service in namespace {}.",
            platform.name, env.namespace
        ),
        file_name: "overview.json".into(),
        variables: Vec::new(),
        links: super::links(platform, env),
    };
    render_dashboard(templates, platform, frame, layout.panels)
}

fn services_row(layout: &mut Layout, platform: &Platform, env: &Environment) {
    let metrics = &platform.metrics;
    let (req, lat) = (&metrics.requests, &metrics.latency);
    let scraped = Selector::new().eq("namespace", &env.namespace);
    let failed = scraped.clone().re("code", &metrics.error_status);
    // keeps the environment's scraped services (by namespace and service)
    let ours = r#" and on (namespace, service) workload:info{kind="service",scraped="true"}"#;
    let p95 = platform.alerts.latency_p95.seconds();
    layout.row("Services");
    layout.add(
        timeseries(
            "Request rate",
            "Requests per second by service.",
            vec![Query::range(
                format!("sum by (namespace, service) (rate({req}{scraped}[$__rate_interval])){ours}"),
                "{{service}}",
            )],
            "reqps",
            &[],
            FROM_ZERO,
        ),
        8,
        8,
    );
    layout.add(
        timeseries(
            "Error ratio",
            &format!("Share of requests answered with code {}, by service.", metrics.error_status),
            vec![Query::range(
                format!(
                    "sum by (namespace, service) (rate({req}{failed}[$__rate_interval])) / sum by (namespace, service) (rate({req}{scraped}[$__rate_interval])){ours}"
                ),
                "{{service}}",
            )],
            "percentunit",
            &[(platform.alerts.error_rate, "red")],
            FROM_ZERO,
        ),
        8,
        8,
    );
    layout.add(
        timeseries(
            "p95 latency",
            "95th percentile request latency, by service.",
            vec![Query::range(
                format!(
                    "histogram_quantile(0.95, sum by (namespace, service, le) (rate({lat}_bucket{scraped}[$__rate_interval]))){ours}"
                ),
                "{{service}}",
            )],
            "s",
            &[(p95, "red")],
            FROM_ZERO,
        ),
        8,
        8,
    );
    layout.add(
        timeseries(
            "Healthy targets",
            "Scrape targets reporting up, by service.",
            vec![Query::range(
                format!("sum by (namespace, service) (up{scraped}){ours}"),
                "{{service}}",
            )],
            "none",
            &[],
            FROM_ZERO,
        ),
        12,
        6,
    );
    let namespace = Selector::new().eq("namespace", &env.namespace);
    layout.add(
        timeseries(
            "Pod restarts (15m)",
            "Container restarts in the last 15 minutes, by service and datastore.",
            vec![Query::range(
                format!(
                    "sum by (namespace, service) (label_replace(increase(kube_pod_container_status_restarts_total{namespace}[15m]), \"service\", \"$1\", \"container\", \"(.+)\")) \
                     and on (namespace, service) workload:info"
                ),
                "{{service}}",
            )],
            "none",
            &[],
            FROM_ZERO,
        ),
        12,
        6,
    );
    for panel in layout.panels.iter_mut().filter(|p| p["type"] == "timeseries") {
        link_series(panel, platform, env);
    }
}
