//! The standard alerts, with the thresholds of `[alerts]`: `ServiceDown`, `HighErrorRate` and
//! `HighLatency` for every scraped service; `PodCrashLooping`, `HighMemoryUsage` and `HighCPUUsage` for
//! every workload (services and in-cluster datastores); `DiskSpaceLow` for datastore volumes.
//!
//! Names are written into the annotations as literals: `$labels` holds the expression's
//! labels, and the `sum(...) or vector(0)` expressions have none.

use crate::model::{Datastore, Environment, Platform, Service};
use crate::render::promql::{Decimal, Selector, duration};

use super::{Rule, alert_labels, page};

pub(super) fn rules(platform: &Platform, env: &Environment) -> Vec<Rule> {
    let mut out = Vec::new();
    for service in &env.services {
        if service.metrics.is_some() {
            out.extend(red_alerts(platform, env, service));
        }
        out.extend(workload_alerts(platform, env, &service.name, "service", service.paging));
    }
    for datastore in env.datastores.iter().filter(|d| d.external.is_none()) {
        // An operator's pods are its own (names, containers, restarts): their volumes only.
        if datastore.operator.is_none() {
            out.extend(workload_alerts(platform, env, &datastore.name, "datastore", env.paging));
        }
        out.push(disk_alert(platform, env, datastore));
    }
    out
}

fn red_alerts(platform: &Platform, env: &Environment, service: &Service) -> [Rule; 3] {
    let (ns, name) = (&env.namespace, &service.name);
    let thresholds = &platform.alerts;
    let metrics = &platform.metrics;
    let workload = Selector::new().eq("namespace", ns).eq("service", name);
    let failed = workload.clone().re("code", &metrics.error_status);
    let labels = |severity| alert_labels(platform, env, name, severity);
    let down_for = thresholds.down_for.text();
    let down = Rule::alert(
        "ServiceDown",
        format!("(sum(up{workload}) or vector(0)) == 0"),
        labels(page(service.paging)),
        [
            ("summary", format!("{name} is down in {ns}")),
            (
                "description",
                format!(
                    "No healthy {name} scrape target in namespace {ns} for {down_for} \
                     (every target has up == 0, or there is no target at all)."
                ),
            ),
        ],
    )
    .lasting(duration(thresholds.down_for));
    let error_rate = Decimal::from_f64(thresholds.error_rate);
    let errors = Rule::alert(
        "HighErrorRate",
        format!(
            "(sum(rate({req}{failed}[5m])) or vector(0)) / sum(rate({req}{workload}[5m])) > {error_rate}",
            req = metrics.requests
        ),
        labels(page(service.paging)),
        [
            ("summary", format!("{name} error rate is high in {ns}")),
            (
                "description",
                format!(
                    "{{{{ $value | humanizePercentage }}}} of {name} requests in {ns} failed (code {}) \
                     over the last 5m; threshold {}%.",
                    metrics.error_status,
                    error_rate.ratio_to_percent()
                ),
            ),
        ],
    )
    .lasting("5m".into());
    let p95 = Decimal::seconds(thresholds.latency_p95);
    let latency = Rule::alert(
        "HighLatency",
        format!(
            "histogram_quantile(0.95, sum by (le) (rate({}_bucket{workload}[5m]))) > {p95}",
            metrics.latency
        ),
        labels("warning"),
        [
            ("summary", format!("{name} p95 latency is high in {ns}")),
            (
                "description",
                format!(
                    "p95 latency of {name} in {ns} is {{{{ $value | humanizeDuration }}}} (threshold {}).",
                    thresholds.latency_p95.text()
                ),
            ),
        ],
    )
    .lasting("10m".into());
    [down, errors, latency]
}

fn workload_alerts(platform: &Platform, env: &Environment, name: &str, kind: &str, paging: bool) -> [Rule; 3] {
    let ns = &env.namespace;
    let thresholds = &platform.alerts;
    let container = Selector::new().eq("namespace", ns).eq("container", name);
    let limit = |resource: &str| container.clone().eq("resource", resource);
    let labels = |severity| alert_labels(platform, env, name, severity);
    let restarts = thresholds.restarts;
    let crash = Rule::alert(
        "PodCrashLooping",
        format!("sum by (pod) (increase(kube_pod_container_status_restarts_total{container}[15m])) > {restarts}"),
        labels(page(paging)),
        [
            ("summary", format!("{name} pods are crash looping in {ns}")),
            (
                "description",
                format!(
                    "Pod {{{{ $labels.pod }}}} ({kind} {name}) restarted {{{{ $value | printf \"%.0f\" }}}} \
                     times in the last 15m (threshold {restarts})."
                ),
            ),
        ],
    );
    let usage = |alert: &str, resource: &str, used: String, threshold: f64| {
        let threshold = Decimal::from_f64(threshold);
        let label = if resource == "cpu" { "CPU" } else { resource };
        Rule::alert(
            alert,
            format!(
                "{used} / max by (pod) (kube_pod_container_resource_limits{}) > {threshold}",
                limit(resource)
            ),
            labels("warning"),
            [
                ("summary", format!("{name} {label} usage is close to its limit in {ns}")),
                (
                    "description",
                    format!(
                        "Pod {{{{ $labels.pod }}}} ({kind} {name}) uses {{{{ $value | humanizePercentage }}}} \
                         of its {label} limit (threshold {}%).",
                        threshold.ratio_to_percent()
                    ),
                ),
            ],
        )
        .lasting("15m".into())
    };
    let memory = format!("max by (pod) (container_memory_working_set_bytes{container})");
    let cpu = format!("sum by (pod) (rate(container_cpu_usage_seconds_total{container}[5m]))");
    [
        crash,
        usage("HighMemoryUsage", "memory", memory, thresholds.memory),
        usage("HighCPUUsage", "cpu", cpu, thresholds.cpu),
    ]
}

/// The used fraction of the datastore's volumes (`data-<ds>-<n>` claims; `<ds>-db-<n>` for a
/// `CloudNativePG` cluster).
fn disk_alert(platform: &Platform, env: &Environment, datastore: &Datastore) -> Rule {
    let (ns, name) = (&env.namespace, &datastore.name);
    let claims = Selector::new()
        .eq("namespace", ns)
        .re("persistentvolumeclaim", &claims_pattern(datastore));
    let disk = Decimal::from_f64(platform.alerts.disk);
    let mut labels = alert_labels(platform, env, name, "warning");
    labels.insert("datastore".into(), name.clone());
    Rule::alert(
        "DiskSpaceLow",
        format!(
            "1 - max by (persistentvolumeclaim) (kubelet_volume_stats_available_bytes{claims}) / max by (persistentvolumeclaim) (kubelet_volume_stats_capacity_bytes{claims}) > {disk}"
        ),
        labels,
        [
            ("summary", format!("{name} volume is filling up in {ns}")),
            (
                "description",
                format!(
                    "Volume {{{{ $labels.persistentvolumeclaim }}}} of {name} in {ns} is \
                     {{{{ $value | humanizePercentage }}}} full (threshold {}%).",
                    disk.ratio_to_percent()
                ),
            ),
        ],
    )
    .lasting("15m".into())
}

fn claims_pattern(datastore: &Datastore) -> String {
    if datastore.operator.is_some() {
        format!("{}-db-[0-9]+", datastore.name)
    } else {
        format!("data-{}-[0-9]+", datastore.name)
    }
}
