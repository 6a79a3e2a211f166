//! The service dashboard of an environment, one for every service: `$namespace` and
//! `$service` variables (listed from `workload:info`, so every service and datastore of the
//! environment), traffic, resources against requests and limits, restarts, and the SLOs of the
//! selected service, read from the recorded series (objective, budget, remaining budget and
//! the error ratio over every recorded alert window).

use super::panels::{Bounds, FROM_ZERO, Layout, Query, budget_thresholds, stat, thresholds, timeseries};
use super::{Dashboard, Frame, query_variable, render_dashboard};
use crate::model::{Environment, Platform};
use crate::render::RenderError;
use crate::render::prometheus::slo::recorded_windows;
use crate::render::promql::{Selector, duration};

pub(super) fn dashboard(
    templates: &minijinja::Environment<'static>,
    platform: &Platform,
    env: &Environment,
) -> Result<Dashboard, RenderError> {
    let mut layout = Layout::default();
    traffic_row(&mut layout, platform);
    resources_row(&mut layout, platform);
    if env.services.iter().any(|s| s.slo.is_some()) {
        slo_row(&mut layout, env);
    }
    let first = env.services.first().map_or("", |s| s.name.as_str());
    let variables = vec![
        query_variable(
            "namespace",
            "Namespace",
            "label_values(workload:info, namespace)",
            &env.namespace,
        ),
        query_variable(
            "service",
            "Service",
            "label_values(workload:info{namespace=\"$namespace\"}, service)",
            first,
        ),
    ];
    let frame = Frame {
        parts: &[&platform.name, &env.name, "service"],
        title: format!("{} / {} / service", platform.name, env.name),
        description: format!(
            "One service of namespace {} (choose it above): traffic, errors, latency, resources and SLOs.",
            env.namespace
        ),
        file_name: "service.json".into(),
        variables,
        links: super::links(platform, env),
    };
    render_dashboard(templates, platform, frame, layout.panels)
}

fn selected() -> Selector {
    Selector::new().eq("namespace", "$namespace").eq("service", "$service")
}

fn traffic_row(layout: &mut Layout, platform: &Platform) {
    let metrics = &platform.metrics;
    let (req, lat) = (&metrics.requests, &metrics.latency);
    let workload = selected();
    let failed = workload.clone().re("code", &metrics.error_status);
    layout.row("Traffic");
    layout.add(
        stat(
            "Healthy targets",
            "Scrape targets of this service reporting up.",
            Query::range(format!("sum(up{workload})"), "healthy"),
            "none",
            thresholds(&[]),
        ),
        4,
        8,
    );
    layout.add(
        timeseries(
            "Request rate",
            "Requests per second by status code.",
            vec![Query::range(
                format!("sum by (code) (rate({req}{workload}[$__rate_interval]))"),
                "{{code}}",
            )],
            "reqps",
            &[],
            FROM_ZERO,
        ),
        10,
        8,
    );
    layout.add(
        timeseries(
            "Error ratio",
            &format!("Share of requests answered with code {}.", metrics.error_status),
            vec![Query::range(
                format!("sum(rate({req}{failed}[$__rate_interval])) / sum(rate({req}{workload}[$__rate_interval]))"),
                "error ratio",
            )],
            "percentunit",
            &[(platform.alerts.error_rate, "red")],
            FROM_ZERO,
        ),
        10,
        8,
    );
    let percentiles = [("0.5", "p50"), ("0.9", "p90"), ("0.95", "p95"), ("0.99", "p99")]
        .into_iter()
        .map(|(q, legend)| {
            Query::range(
                format!("histogram_quantile({q}, sum by (le) (rate({lat}_bucket{workload}[$__rate_interval])))"),
                legend,
            )
        })
        .collect();
    layout.add(
        timeseries(
            "Latency percentiles",
            "p50, p90, p95 and p99 request latency.",
            percentiles,
            "s",
            &[(platform.alerts.latency_p95.seconds(), "red")],
            FROM_ZERO,
        ),
        24,
        8,
    );
}

fn resources_row(layout: &mut Layout, platform: &Platform) {
    let container = Selector::new()
        .eq("namespace", "$namespace")
        .eq("container", "$service");
    let resource = |name: &str, kind: &str| {
        let selector = container.clone().eq("resource", name);
        format!("max(kube_pod_container_resource_{kind}{selector})")
    };
    layout.row("Resources");
    layout.add(
        timeseries(
            "CPU",
            "CPU cores used per pod against the container's request and limit.",
            vec![
                Query::range(
                    format!("sum by (pod) (rate(container_cpu_usage_seconds_total{container}[$__rate_interval]))"),
                    "{{pod}}",
                ),
                Query::range(resource("cpu", "requests"), "request"),
                Query::range(resource("cpu", "limits"), "limit"),
            ],
            "short",
            &[],
            FROM_ZERO,
        ),
        8,
        8,
    );
    layout.add(
        timeseries(
            "Memory",
            "Working set per pod against the container's request and limit.",
            vec![
                Query::range(
                    format!("max by (pod) (container_memory_working_set_bytes{container})"),
                    "{{pod}}",
                ),
                Query::range(resource("memory", "requests"), "request"),
                Query::range(resource("memory", "limits"), "limit"),
            ],
            "bytes",
            &[],
            FROM_ZERO,
        ),
        8,
        8,
    );
    layout.add(
        timeseries(
            "Restarts (15m)",
            "Container restarts in the last 15 minutes per pod.",
            vec![Query::range(
                format!("sum by (pod) (increase(kube_pod_container_status_restarts_total{container}[15m]))"),
                "{{pod}}",
            )],
            "none",
            &[(f64::from(platform.alerts.restarts) + 1.0, "red")],
            FROM_ZERO,
        ),
        8,
        8,
    );
}

/// The selected service's SLOs, each line labelled by its `slo`: SLI against the recorded
/// objective, budget remaining, and burn rate (error ratio ÷ recorded budget) per window.
fn slo_row(layout: &mut Layout, env: &Environment) {
    let id = selected();
    let on = "on (namespace, service, slo)";
    layout.row("SLOs");
    layout.add(
        timeseries(
            "SLI vs objective",
            "Good-request ratio over 5m and over the SLO window, against the objective, per SLO.",
            vec![
                Query::range(format!("1 - slo:sli_error:ratio_rate5m{id}"), "{{slo}} SLI 5m"),
                Query::range(
                    format!("1 - (1 - slo:error_budget_remaining:ratio{id}) * {on} slo:error_budget:ratio{id}"),
                    "{{slo}} SLI (SLO window)",
                ),
                Query::range(format!("slo:objective:ratio{id}"), "{{slo}} objective"),
            ],
            "percentunit",
            &[],
            Bounds {
                min: None,
                max: Some(1.0),
            },
        ),
        10,
        8,
    );
    layout.add(
        stat(
            "Error budget remaining",
            "Share of each SLO's error budget left over its window (negative: overspent).",
            Query::range(format!("slo:error_budget_remaining:ratio{id}"), "{{slo}}"),
            "percentunit",
            budget_thresholds(),
        ),
        4,
        8,
    );
    let burn_rates = recorded_windows(env)
        .into_iter()
        .map(|w| {
            let w = duration(w);
            Query::range(
                format!("slo:sli_error:ratio_rate{w}{id} / {on} slo:error_budget:ratio{id}"),
                &format!("{{{{slo}}}} {w}"),
            )
        })
        .collect();
    layout.add(
        timeseries(
            "Burn rate",
            "Error ratio divided by the error budget, per alert window; lines mark the page (14.4x, 6x) and ticket (3x, 1x) factors.",
            burn_rates,
            "none",
            &[(1.0, "yellow"), (6.0, "orange"), (14.4, "red")],
            FROM_ZERO,
        ),
        10,
        8,
    );
}
