//! The spec as written: every table of SPEC.md §1–3 as a serde type (services in `service`,
//! autoscaling, disruption and SLOs in `scaling`, the v2 workload tables in `workload`).
//!
//! Almost everything is optional here because environment overrides are partial tables
//! of the same shape; what must be present on the *effective* value (a service's image,
//! a datastore's engine) is checked after resolution. Every leaf keeps its span.
//! Unknown keys and wrong types are found before deserialization by `shape`, which walks
//! the document against the JSON Schema generated from these same types.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

use super::alerting::{RawAlerting, RawCustomAlert};
use super::datastore::RawDatastore;
use super::scaling::{RawAutoscale, RawDisruption, RawSlo};
use super::schema::{DURATION, NAME, NAME_LENGTH, QUANTITY, WARNING_CODE, named_keys};
use super::service::RawService;
use super::spanned::Spanned;
use super::workload::{RawController, RawJob};

pub type Map<T> = BTreeMap<String, T>;
pub type Text = Spanned<String>;

/// A platform spec (SPEC.md): one platform, its environments, tiers, services, jobs,
/// datastores and alerts.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSpec {
    /// The platform's name and the labels every object carries (required table).
    pub platform: RawPlatform,
    /// Deployment targets by name, one namespace each; at least one is needed. Example:
    /// `[environments.production]`.
    #[serde(default)]
    #[schemars(extend("propertyNames" = named_keys()))]
    pub environments: Map<RawEnvironment>,
    /// Classes of service by name that carry defaults for the services naming them in `tier`.
    /// Example: `[tiers.critical]`.
    #[serde(default)]
    #[schemars(extend("propertyNames" = named_keys()))]
    pub tiers: Map<RawTier>,
    /// The public HTTP entry point that serves the services' `routes`. Default: none (no
    /// Ingress object).
    pub ingress: Option<RawIngress>,
    /// The long-running workloads by name (`image` required). Example: `[services.api]`.
    // Only their names are read here: resolve reads each service's values layered per
    // environment (services are the bulk of a large spec; reading them twice costs).
    #[serde(default)]
    #[schemars(extend("propertyNames" = named_keys()), with = "Map<RawService>")]
    pub services: Map<Declared>,
    /// Scheduled workloads by name, each a `CronJob` (`schedule` and `image` required).
    /// Example: `[jobs.nightly-report]`.
    #[serde(default)]
    #[schemars(extend("propertyNames" = named_keys()))]
    pub jobs: Map<RawJob>,
    /// `PostgreSQL` and Redis by name, in-cluster or external (`engine` required). Example:
    /// `[datastores.postgres]`.
    #[serde(default)]
    #[schemars(extend("propertyNames" = named_keys()))]
    pub datastores: Map<RawDatastore>,
    /// Thresholds, severities, runbooks and custom rules of the generated alerts. Default:
    /// the built-in thresholds.
    pub alerts: Option<RawAlerts>,
    /// Alertmanager receivers and routes: who is told about alerts. Default: none (no
    /// Alertmanager configuration).
    pub alerting: Option<RawAlerting>,
}

/// A table the document's typed read knows by name only (see `RawSpec::services`).
#[derive(Debug, Clone)]
pub struct Declared;

impl<'de> Deserialize<'de> for Declared {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(deserializer).map(|_| Declared)
    }
}

/// `[platform]`: the platform's name and what every object and alert carries.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPlatform {
    /// The platform's name: a DNS-1035 label that prefixes default namespaces. Required.
    /// Example: `"quizmentor"`.
    #[schemars(pattern(NAME), length(max = NAME_LENGTH))]
    pub name: Text,
    /// Team label (`team`) on every object and alert, a Kubernetes label value. Default:
    /// none. Example: `"platform"`.
    pub team: Option<Text>,
    /// Extra labels on every object. Default: none. Example: `{ "cost-center" = "learning" }`.
    pub labels: Option<Map<Text>>,
    /// `true` also emits `ServiceMonitor`, `PrometheusRule` and dashboard `ConfigMaps` for
    /// the Prometheus operator. Default `false`.
    pub prometheus_operator: Option<Spanned<bool>>,
    /// How services expose RED metrics: the metric names the alerts and dashboards query.
    /// Default: the names below.
    pub metrics: Option<RawMetricConventions>,
}

/// `[platform.metrics]`: the metric names services expose, which alerts and dashboards query.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMetricConventions {
    /// Request counter, with a `code` label. Default `"http_requests_total"`.
    pub requests: Option<Text>,
    /// Regex on the `code` label that marks an error. Default `"5.."`. Example: `"5..|429"`.
    pub error_status: Option<Text>,
    /// Latency histogram base name (`_bucket` is appended). Default
    /// `"http_request_duration_seconds"`.
    pub latency: Option<Text>,
}

/// What an environment is rendered for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    Kubernetes,
    Compose,
}

/// `[environments.<name>]`: one deployment target (a namespace), and its overrides of the base tables.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawEnvironment {
    /// The Kubernetes namespace. Default `"<platform>-<env>"`. Example: `"quizmentor-prod"`.
    pub namespace: Option<Text>,
    /// Labels on the namespace. Default: none. Example: `{ "cost-center" = "learning" }`.
    pub labels: Option<Map<Text>>,
    /// What to render this environment for: `"kubernetes"` and/or `"compose"`. Default
    /// `["kubernetes"]`. Example: `["compose"]`.
    pub targets: Option<Spanned<Vec<Spanned<Target>>>>,
    /// `false` turns every critical alert of this environment into a warning. Default `true`.
    pub paging: Option<Spanned<bool>>,
    /// A `ResourceQuota` that must hold the platform at full scale (E0070). Default: none.
    pub quota: Option<Spanned<RawQuota>>,
    /// `LimitRange` defaults, and the resources of services that set none. Default: none.
    /// Example: `{ cpu = "100m", memory = "128Mi" }`.
    pub container_defaults: Option<Spanned<RawResources>>,
    /// `true`: a Compose environment also runs Prometheus and Grafana loaded with the
    /// generated rules and dashboards. Default `true`.
    pub monitoring: Option<Spanned<bool>>,
    /// The Prometheus that rollout analyses query. Default
    /// `"http://prometheus-operated.monitoring.svc:9090"`.
    pub prometheus_url: Option<Text>,
    /// Keys of `[ingress]` set for this environment only. Example: `{ host = "api.staging.example.com" }`.
    pub ingress: Option<RawIngress>,
    /// Tiers' keys set for this environment only, by tier name. Example:
    /// `[environments.staging.tiers.critical]` with `replicas = 1`.
    #[schemars(extend("propertyNames" = named_keys()))]
    pub tiers: Option<Map<RawTier>>,
    /// Services' keys set for this environment only, by service name. Example:
    /// `[environments.staging.services.api]` with `replicas = 1`.
    #[schemars(extend("propertyNames" = named_keys()))]
    pub services: Option<Map<RawService>>,
    /// Jobs' keys set for this environment only, by job name. Example: `{ suspend = true }`.
    #[schemars(extend("propertyNames" = named_keys()))]
    pub jobs: Option<Map<RawJob>>,
    /// Datastores' keys set for this environment only, by datastore name. Example:
    /// `{ storage = "50Gi" }`.
    #[schemars(extend("propertyNames" = named_keys()))]
    pub datastores: Option<Map<RawDatastore>>,
    /// Keys of `[alerting]` set for this environment only, merged over it. Example:
    /// `{ routes = { critical = "team-chat" } }`.
    pub alerting: Option<RawAlerting>,
}

/// `quota`: the environment's `ResourceQuota`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawQuota {
    /// Total CPU requests allowed, a quantity. Default: no limit. Example: `"100"`.
    #[schemars(pattern(QUANTITY))]
    pub requests_cpu: Option<Text>,
    /// Total memory requests allowed, a quantity. Default: no limit. Example: `"200Gi"`.
    #[schemars(pattern(QUANTITY))]
    pub requests_memory: Option<Text>,
    /// Total CPU limits allowed, a quantity. Default: no limit. Example: `"200"`.
    #[schemars(pattern(QUANTITY))]
    pub limits_cpu: Option<Text>,
    /// Total memory limits allowed, a quantity. Default: no limit. Example: `"400Gi"`.
    #[schemars(pattern(QUANTITY))]
    pub limits_memory: Option<Text>,
    /// Pods allowed. Default: no limit. Example: `50`.
    #[schemars(range(min = 0, max = 1_000_000))]
    pub pods: Option<Spanned<i64>>,
    /// `PersistentVolumeClaims` allowed. Default: no limit. Example: `10`.
    #[schemars(range(min = 0, max = 1_000_000))]
    pub pvcs: Option<Spanned<i64>>,
}

/// `resources`: CPU and memory requests and limits of one container.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawResources {
    /// CPU request, a Kubernetes quantity. Default: the environment's `container_defaults`,
    /// else `"100m"`. Example: `"250m"`.
    #[schemars(pattern(QUANTITY))]
    pub cpu: Option<Text>,
    /// Memory request, a Kubernetes quantity. Default: the environment's
    /// `container_defaults`, else `"128Mi"`. Example: `"512Mi"`.
    #[schemars(pattern(QUANTITY))]
    pub memory: Option<Text>,
    /// CPU limit, at least the request (E0021). Default `"500m"`, or the request when it is
    /// larger. Example: `"1"`.
    #[schemars(pattern(QUANTITY))]
    pub cpu_limit: Option<Text>,
    /// Memory limit, at least the request (E0021). Default `"512Mi"`, or the request when it
    /// is larger. Example: `"1Gi"`.
    #[schemars(pattern(QUANTITY))]
    pub memory_limit: Option<Text>,
}

/// `[tiers.<name>]`: defaults for every service whose `tier` names it.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTier {
    /// Replicas of the tier's services. Default: autoscale's `min`, else 1. Example: `3`.
    #[schemars(range(min = 0, max = 1_000_000))]
    pub replicas: Option<Spanned<i64>>,
    /// A `HorizontalPodAutoscaler` for the tier's services. Default: none. Example:
    /// `{ min = 3, max = 10, cpu = 70 }`.
    pub autoscale: Option<Spanned<RawAutoscale>>,
    /// A `PodDisruptionBudget` for the tier's services. Default: none. Example:
    /// `{ max_unavailable = 1 }`.
    pub disruption: Option<Spanned<RawDisruption>>,
    /// Requests and limits of the tier's services. Default: the environment's
    /// `container_defaults`.
    pub resources: Option<RawResources>,
    /// `false`: this tier's alerts never page. Default `true`.
    pub paging: Option<Spanned<bool>>,
    /// Service-level objectives of the tier's services. Default: none. Example:
    /// `{ availability = 99.9 }`.
    pub slo: Option<Spanned<RawSlo>>,
    /// Warning codes accepted for every service of the tier. Default: none. Example:
    /// `["W0003"]`.
    #[schemars(inner(pattern(WARNING_CODE)))]
    pub allow: Option<Vec<Text>>,
}

/// `[ingress]`: the public HTTP entry point.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawIngress {
    /// The `IngressClass`. Default `"nginx"`. Example: `"traefik"`.
    pub class: Option<Text>,
    /// The public host the services' `routes` are served on (needed for routes: E0090).
    /// Default: none. Example: `"api.quizmentor.com"`.
    pub host: Option<Text>,
    /// Secret holding the TLS certificate of `host`. Default: none (HTTP only). Example:
    /// `"quizmentor-tls"`.
    pub tls_secret: Option<Text>,
    /// cert-manager `ClusterIssuer` that issues `tls_secret`. Default: none. Example:
    /// `"letsencrypt-prod"`.
    pub cluster_issuer: Option<Text>,
    /// Requests per second allowed per client IP. Default: no limit. Example: `10`.
    #[schemars(range(min = 1, max = 1_000_000))]
    pub rate_limit_rps: Option<Spanned<i64>>,
    /// Largest request body (nginx size). Default: the controller's (1m). Example: `"10m"`.
    pub body_size: Option<Text>,
    /// Origins allowed by CORS. Default: none (CORS off). Example: `["https://quizmentor.com"]`.
    pub cors_origins: Option<Vec<Text>>,
    /// Where the ingress controller's pods run, for the `NetworkPolicies` that admit them.
    /// Default: namespace `ingress-nginx`.
    pub controller: Option<RawController>,
}

/// `[alerts]`: thresholds, severities, links and custom rules of the generated alerts.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAlerts {
    /// Ratio of failed requests that raises `HighErrorRate`, in (0, 1]. Default `0.05`.
    /// Example: `0.01`.
    #[schemars(extend("exclusiveMinimum" = 0, "maximum" = 1))]
    pub error_rate: Option<Spanned<f64>>,
    /// 95th-percentile latency that raises `HighLatency`, a duration. Default `"500ms"`.
    /// Example: `"300ms"`.
    #[schemars(pattern(DURATION))]
    pub latency_p95: Option<Text>,
    /// Restarts per 15 minutes that raise `PodCrashLooping` (0: any restart). Default 3.
    /// Example: `0`.
    #[schemars(range(min = 0, max = 1_000_000))]
    pub restarts: Option<Spanned<i64>>,
    /// Ratio of the CPU limit that raises `HighCPUUsage`, in (0, 1]. Default `0.9`.
    #[schemars(extend("exclusiveMinimum" = 0, "maximum" = 1))]
    pub cpu: Option<Spanned<f64>>,
    /// Ratio of the memory limit that raises `HighMemoryUsage`, in (0, 1]. Default `0.9`.
    #[schemars(extend("exclusiveMinimum" = 0, "maximum" = 1))]
    pub memory: Option<Spanned<f64>>,
    /// Ratio of a volume's capacity that raises `DiskSpaceLow`, in (0, 1]. Default `0.85`.
    #[schemars(extend("exclusiveMinimum" = 0, "maximum" = 1))]
    pub disk: Option<Spanned<f64>>,
    /// How long a service is down before `ServiceDown` fires, a duration. Default `"5m"`.
    /// Example: `"5m"`.
    #[schemars(pattern(DURATION))]
    pub down_for: Option<Text>,
    /// Every alert gets `runbook_url = <runbook_base>/<alertname>`. Default: none. Example:
    /// `"https://runbooks.example.com"`.
    pub runbook_base: Option<Text>,
    /// Grafana URL: every alert links its service's dashboard. Default: none. Example:
    /// `"https://grafana.example.com"`.
    pub dashboard_base: Option<Text>,
    /// Severity per alert name, `"critical"` or `"warning"`, over the built-in one. Default:
    /// none. Example: `{ HighLatency = "critical" }`.
    #[schemars(extend("additionalProperties" = { "type": "string", "pattern": "^(critical|warning)$" }))]
    pub severity: Option<Map<Text>>,
    /// Rules the platform does not know, by alert name. Default: none. Example:
    /// `[alerts.custom.QueueBacklog]`.
    pub custom: Option<Map<Spanned<RawCustomAlert>>>,
}
