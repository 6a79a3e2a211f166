//! The standard alerts, with the thresholds of `[alerts]`, each written once per environment
//! over every workload: `ServiceDown`, `HighErrorRate` and `HighLatency` for the scraped
//! services; `PodCrashLooping`, `HighMemoryUsage` and `HighCPUUsage` for services and
//! in-cluster datastores (the description reads the kind from `workload:info`);
//! `DiskSpaceLow` for datastore volumes.
//!
//! Each joins `workload:info` (see `info`): to select the workloads of this environment, and,
//! for the alerts that may page, to take the workload's `severity`. Container metrics name the
//! workload in `container`; the rules copy it into `service`.

use crate::model::{Environment, Labels, Platform};
use crate::render::promql::{Decimal, Selector, duration};

use super::{Rule, team_label};

const SCRAPED: &str = "workload:info{kind=\"service\",scraped=\"true\"}";

pub(super) fn rules(platform: &Platform, env: &Environment) -> Vec<Rule> {
    let mut out = Vec::new();
    if env.services.iter().any(|s| s.metrics.is_some()) {
        out.extend(red_alerts(platform, env));
    }
    let has_datastores = env.datastores.iter().any(|d| d.external.is_none());
    if has_datastores || !env.services.is_empty() {
        out.extend(workload_alerts(platform, env));
    }
    if has_datastores {
        out.push(disk_alert(platform, env));
    }
    out
}

/// Keeps the series of `selector`'s workloads and takes their paging `severity`.
fn paging(expr: &str, workloads: &str) -> String {
    format!("(\n  {expr}\n)\n* on (namespace, service) group_left (severity) {workloads}")
}

fn labels(platform: &Platform, severity: Option<&str>) -> Labels {
    let mut labels = team_label(platform);
    if let Some(severity) = severity {
        labels.insert("severity".into(), severity.into());
    }
    labels
}

fn red_alerts(platform: &Platform, env: &Environment) -> [Rule; 3] {
    let thresholds = &platform.alerts;
    let metrics = &platform.metrics;
    let all = Selector::new().eq("namespace", &env.namespace);
    let failed = all.clone().re("code", &metrics.error_status);
    let down_for = thresholds.down_for.text();
    let down = Rule::alert(
        "ServiceDown",
        paging(
            &format!(
                "(\n    sum by (namespace, service) (up{all})\n    or on (namespace, service)\n    \
                 0 * sum by (namespace, service) ({SCRAPED})\n  ) == 0"
            ),
            SCRAPED,
        ),
        labels(platform, None),
        [
            (
                "summary",
                "{{ $labels.service }} is down in {{ $labels.namespace }}".into(),
            ),
            (
                "description",
                format!(
                    "No healthy {{{{ $labels.service }}}} scrape target in namespace {{{{ $labels.namespace }}}} \
                     for {down_for} (every target has up == 0, or there is no target at all)."
                ),
            ),
        ],
    )
    .lasting(duration(thresholds.down_for));
    let error_rate = Decimal::from_f64(thresholds.error_rate);
    let rate = |selector: &Selector| format!("sum by (namespace, service) (rate({}{selector}[5m]))", metrics.requests);
    let errors = Rule::alert(
        "HighErrorRate",
        paging(
            &format!(
                "(\n    {}\n    or on (namespace, service)\n    0 * {}\n  )\n  / {}\n  > {error_rate}",
                rate(&failed),
                rate(&all),
                rate(&all)
            ),
            SCRAPED,
        ),
        labels(platform, None),
        [
            (
                "summary",
                "{{ $labels.service }} error rate is high in {{ $labels.namespace }}".into(),
            ),
            (
                "description",
                format!(
                    "{{{{ $value | humanizePercentage }}}} of {{{{ $labels.service }}}} requests in \
                     {{{{ $labels.namespace }}}} failed (code {}) over the last 5m; threshold {}%.",
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
            "histogram_quantile(0.95, sum by (namespace, service, le) (rate({}_bucket{all}[5m])))\n  > {p95}\n\
             and on (namespace, service) {SCRAPED}",
            metrics.latency
        ),
        labels(platform, Some("warning")),
        [
            (
                "summary",
                "{{ $labels.service }} p95 latency is high in {{ $labels.namespace }}".into(),
            ),
            (
                "description",
                format!(
                    "p95 latency of {{{{ $labels.service }}}} in {{{{ $labels.namespace }}}} is \
                     {{{{ $value | humanizeDuration }}}} (threshold {}).",
                    thresholds.latency_p95.text()
                ),
            ),
        ],
    )
    .lasting("10m".into());
    [down, errors, latency]
}

/// `series` aggregated by pod, with the container's name as `service`.
fn by_pod(aggregation: &str, series: &str) -> String {
    format!(
        "{aggregation} by (namespace, service, pod) (label_replace({series}, \"service\", \"$1\", \"container\", \"(.+)\"))"
    )
}

/// `service` or `datastore`, read from `workload:info` by an annotation.
const KIND: &str = "{{ range printf \"workload:info{namespace=%q,service=%q}\" $labels.namespace $labels.service | query }}\
                    {{ .Labels.kind }}{{ end }}";

fn workload_alerts(platform: &Platform, env: &Environment) -> [Rule; 3] {
    let thresholds = &platform.alerts;
    let workloads = "workload:info";
    let all = Selector::new().eq("namespace", &env.namespace);
    let restarts = thresholds.restarts;
    let crash = Rule::alert(
        "PodCrashLooping",
        paging(
            &format!(
                "{}\n  > {restarts}",
                by_pod(
                    "sum",
                    &format!("increase(kube_pod_container_status_restarts_total{all}[15m])")
                )
            ),
            workloads,
        ),
        labels(platform, None),
        [
            (
                "summary",
                "{{ $labels.service }} pods are crash looping in {{ $labels.namespace }}".into(),
            ),
            (
                "description",
                format!(
                    "Pod {{{{ $labels.pod }}}} ({KIND} {{{{ $labels.service }}}}) restarted \
                     {{{{ $value | printf \"%.0f\" }}}} times in the last 15m (threshold {restarts})."
                ),
            ),
        ],
    );
    let usage = |alert: &str, resource: &str, used: String, threshold: f64| {
        let threshold = Decimal::from_f64(threshold);
        let label = if resource == "cpu" { "CPU" } else { resource };
        let limits = by_pod(
            "max",
            &format!(
                "kube_pod_container_resource_limits{}",
                all.clone().eq("resource", resource)
            ),
        );
        Rule::alert(
            alert,
            format!("{used}\n  / {limits}\n  > {threshold}\nand on (namespace, service) {workloads}"),
            labels(platform, Some("warning")),
            [
                (
                    "summary",
                    format!(
                        "{{{{ $labels.service }}}} {label} usage is close to its limit in {{{{ $labels.namespace }}}}"
                    ),
                ),
                (
                    "description",
                    format!(
                        "Pod {{{{ $labels.pod }}}} ({KIND} {{{{ $labels.service }}}}) uses \
                         {{{{ $value | humanizePercentage }}}} of its {label} limit (threshold {}%).",
                        threshold.ratio_to_percent()
                    ),
                ),
            ],
        )
        .lasting("15m".into())
    };
    let memory = by_pod("max", &format!("container_memory_working_set_bytes{all}"));
    let cpu = by_pod("sum", &format!("rate(container_cpu_usage_seconds_total{all}[5m])"));
    [
        crash,
        usage("HighMemoryUsage", "memory", memory, thresholds.memory),
        usage("HighCPUUsage", "cpu", cpu, thresholds.cpu),
    ]
}

/// The used fraction of the datastores' volumes (`data-<datastore>-<n>` claims).
fn disk_alert(platform: &Platform, env: &Environment) -> Rule {
    let claims = Selector::new()
        .eq("namespace", &env.namespace)
        .re("persistentvolumeclaim", "data-.+-[0-9]+");
    let disk = Decimal::from_f64(platform.alerts.disk);
    let volume = |metric: &str| {
        format!(
            "max by (namespace, service, datastore, persistentvolumeclaim) (\n    label_replace(label_replace({metric}{claims}, \
             \"datastore\", \"$1\", \"persistentvolumeclaim\", \"data-(.+)-[0-9]+\"), \"service\", \"$1\", \"datastore\", \"(.+)\")\n  )"
        )
    };
    Rule::alert(
        "DiskSpaceLow",
        format!(
            "1 - {}\n  / {}\n  > {disk}\nand on (namespace, service) workload:info{{kind=\"datastore\"}}",
            volume("kubelet_volume_stats_available_bytes"),
            volume("kubelet_volume_stats_capacity_bytes")
        ),
        labels(platform, Some("warning")),
        [
            (
                "summary",
                "{{ $labels.datastore }} volume is filling up in {{ $labels.namespace }}".into(),
            ),
            (
                "description",
                format!(
                    "Volume {{{{ $labels.persistentvolumeclaim }}}} of {{{{ $labels.datastore }}}} in \
                     {{{{ $labels.namespace }}}} is {{{{ $value | humanizePercentage }}}} full (threshold {}%).",
                    disk.ratio_to_percent()
                ),
            ),
        ],
    )
    .lasting("15m".into())
}
