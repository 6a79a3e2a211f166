//! The spec as written: every table of SPEC.md §1–3 as a serde type.
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
use super::spanned::Spanned;
use super::workload::{RawController, RawJob, RawMigrate, RawServiceAccount, Select, Spread};

pub type Map<T> = BTreeMap<String, T>;
pub type Text = Spanned<String>;

/// A platform spec (SPEC.md contract v1).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSpec {
    pub platform: RawPlatform,
    /// Deployment targets, one namespace each.
    #[serde(default)]
    pub environments: Map<RawEnvironment>,
    /// Classes of service that carry defaults.
    #[serde(default)]
    pub tiers: Map<RawTier>,
    /// The public HTTP entry point.
    pub ingress: Option<RawIngress>,
    /// The workloads.
    #[serde(default)]
    pub services: Map<RawService>,
    /// Scheduled workloads.
    #[serde(default)]
    pub jobs: Map<RawJob>,
    /// `PostgreSQL` and Redis, in-cluster or external.
    #[serde(default)]
    pub datastores: Map<RawDatastore>,
    /// Thresholds of the standard alerts.
    pub alerts: Option<RawAlerts>,
    /// Alertmanager receivers and routes.
    pub alerting: Option<RawAlerting>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPlatform {
    pub name: Text,
    /// Team label on every object and alert.
    pub team: Option<Text>,
    /// Extra labels on every object.
    pub labels: Option<Map<Text>>,
    /// Also emit `ServiceMonitor`, `PrometheusRule` and dashboard `ConfigMaps`.
    pub prometheus_operator: Option<Spanned<bool>>,
    /// How services expose RED metrics.
    pub metrics: Option<RawMetricConventions>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMetricConventions {
    /// Request counter (default `http_requests_total`).
    pub requests: Option<Text>,
    /// Regex on the `code` label that marks an error (default `5..`).
    pub error_status: Option<Text>,
    /// Latency histogram base name (default `http_request_duration_seconds`).
    pub latency: Option<Text>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    Kubernetes,
    Compose,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawEnvironment {
    /// Default `<platform>-<env>`.
    pub namespace: Option<Text>,
    /// Namespace labels.
    pub labels: Option<Map<Text>>,
    /// Default `["kubernetes"]`.
    pub targets: Option<Spanned<Vec<Spanned<Target>>>>,
    /// Default true; false turns every critical alert of this environment into a warning.
    pub paging: Option<Spanned<bool>>,
    pub quota: Option<Spanned<RawQuota>>,
    /// `LimitRange` defaults and the fallback for services that set no resources.
    pub container_defaults: Option<Spanned<RawResources>>,
    /// Default true: a Compose environment also runs Prometheus and Grafana.
    pub monitoring: Option<Spanned<bool>>,
    /// The Prometheus that rollout analyses query (default
    /// `http://prometheus-operated.monitoring.svc:9090`).
    pub prometheus_url: Option<Text>,
    pub ingress: Option<RawIngress>,
    pub tiers: Option<Map<RawTier>>,
    pub services: Option<Map<RawService>>,
    pub jobs: Option<Map<RawJob>>,
    pub datastores: Option<Map<RawDatastore>>,
    /// Merged over `[alerting]`.
    pub alerting: Option<RawAlerting>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawQuota {
    pub requests_cpu: Option<Text>,
    pub requests_memory: Option<Text>,
    pub limits_cpu: Option<Text>,
    pub limits_memory: Option<Text>,
    pub pods: Option<Spanned<i64>>,
    pub pvcs: Option<Spanned<i64>>,
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawResources {
    pub cpu: Option<Text>,
    pub memory: Option<Text>,
    pub cpu_limit: Option<Text>,
    pub memory_limit: Option<Text>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTier {
    pub replicas: Option<Spanned<i64>>,
    pub autoscale: Option<Spanned<RawAutoscale>>,
    pub disruption: Option<Spanned<RawDisruption>>,
    pub resources: Option<RawResources>,
    /// false: this tier's alerts never page.
    pub paging: Option<Spanned<bool>>,
    pub slo: Option<Spanned<RawSlo>>,
    /// Warning codes accepted for every service of the tier, e.g. `["W0003"]`.
    pub allow: Option<Vec<Text>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAutoscale {
    pub min: Option<Spanned<i64>>,
    pub max: Option<Spanned<i64>>,
    /// Target CPU utilisation, percent of the request.
    pub cpu: Option<Spanned<f64>>,
    /// Target memory utilisation, percent of the request.
    pub memory: Option<Spanned<f64>>,
    /// Target requests per second per pod.
    pub rps: Option<Spanned<f64>>,
    pub scale_up: Option<RawScaling>,
    pub scale_down: Option<RawScaling>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawScaling {
    /// Stabilization window.
    pub window: Option<Text>,
    /// At most this percent of the current replicas per period.
    pub percent: Option<Spanned<i64>>,
    /// At most this many pods per period.
    pub pods: Option<Spanned<i64>>,
    pub period: Option<Text>,
    /// Which policy wins: `max` (default), `min`, or `disabled` (no scaling this way).
    pub select: Option<Spanned<Select>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDisruption {
    pub min_available: Option<Spanned<IntOrText>>,
    pub max_unavailable: Option<Spanned<IntOrText>>,
}

/// An integer or a string such as `"50%"`.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum IntOrText {
    Int(i64),
    Text(String),
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSlo {
    /// Whole days from 1d to 90d (default `30d`).
    pub window: Option<Text>,
    /// Percent of requests that succeed.
    pub availability: Option<Spanned<f64>>,
    pub latency: Option<RawLatencySlo>,
    /// Percents of the error budget consumed that each raise `SLOErrorBudgetConsumed`.
    pub budget_alerts: Option<Spanned<Vec<Spanned<f64>>>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLatencySlo {
    /// Percent of requests faster than `threshold`.
    pub objective: Option<Spanned<f64>>,
    pub threshold: Option<Text>,
}

/// `false` turns scraping off; a table sets the port and path.
#[derive(Debug, Clone, JsonSchema)]
#[serde(untagged)]
pub enum RawMetrics {
    Enabled(bool),
    Endpoint(RawMetricsEndpoint),
}

/// By hand, not `untagged`: serde buffers untagged input, which loses the spans inside.
impl<'de> Deserialize<'de> for RawMetrics {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RawMetrics;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a boolean or a table { port, path }")
            }
            fn visit_bool<E>(self, enabled: bool) -> Result<RawMetrics, E> {
                Ok(RawMetrics::Enabled(enabled))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<RawMetrics, A::Error> {
                let endpoint = RawMetricsEndpoint::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(RawMetrics::Endpoint(endpoint))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMetricsEndpoint {
    pub port: Option<Spanned<i64>>,
    pub path: Option<Text>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawProbes {
    pub liveness: Option<Text>,
    pub readiness: Option<Text>,
    pub startup: Option<Text>,
    /// An exec check: used where no HTTP path is given, and as the Compose healthcheck.
    pub command: Option<Spanned<Vec<String>>>,
    /// Durations and the failure count, for every probe of the service.
    pub period: Option<Text>,
    pub timeout: Option<Text>,
    pub initial_delay: Option<Text>,
    pub failures: Option<Spanned<i64>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawService {
    /// Container image reference (required).
    pub image: Option<Text>,
    pub tier: Option<Text>,
    /// The HTTP port; none makes a worker with no Service, route or HTTP probes.
    pub port: Option<Spanned<i64>>,
    /// The port the Service exposes (default `port`).
    pub service_port: Option<Spanned<i64>>,
    /// Extra named ports: container port, Service port, callers' `NetworkPolicy`.
    pub ports: Option<Map<Spanned<i64>>>,
    pub metrics: Option<Spanned<RawMetrics>>,
    pub probes: Option<RawProbes>,
    pub resources: Option<RawResources>,
    pub replicas: Option<Spanned<i64>>,
    pub autoscale: Option<Spanned<RawAutoscale>>,
    pub disruption: Option<Spanned<RawDisruption>>,
    /// Plain environment variables.
    pub env: Option<Map<Text>>,
    /// Variables read from Secrets: `NAME = "<secret>/<key>"`.
    pub secrets: Option<Map<Text>>,
    /// `true`: every secret is a read-only file and `<NAME>_FILE` holds its path.
    pub secret_files: Option<Spanned<bool>>,
    /// Services and datastores this service calls.
    pub uses: Option<Vec<Text>>,
    /// `"<CIDR>:<port>"` rules to outside the platform.
    pub egress: Option<Vec<Text>>,
    /// HTTP path prefixes served through the ingress.
    pub routes: Option<Vec<Text>>,
    /// Command run to completion before the service starts, or `{ command, image }`.
    pub migrate: Option<Spanned<RawMigrate>>,
    /// How long the pod gets to shut down (default `30s`).
    pub termination_grace: Option<Text>,
    /// `node` (default), `zone` or `none`.
    pub spread: Option<Spanned<Spread>>,
    pub service_account: Option<RawServiceAccount>,
    /// Secrets holding private registry credentials.
    pub image_pull_secrets: Option<Vec<Text>>,
    /// `{ "<absolute container path>" = "<file relative to the spec>" }`: read-only files.
    pub files: Option<Map<Text>>,
    pub command: Option<Spanned<Vec<String>>>,
    pub args: Option<Spanned<Vec<String>>>,
    /// Paths that stay writable (default `["/tmp"]`).
    pub writable: Option<Vec<Text>>,
    /// Default 10001.
    pub run_as_user: Option<Spanned<i64>>,
    pub node_selector: Option<Map<Text>>,
    /// `"<key>=<value>:<Effect>"`.
    pub tolerations: Option<Vec<Text>>,
    pub labels: Option<Map<Text>>,
    pub annotations: Option<Map<Text>>,
    pub slo: Option<Spanned<RawSlo>>,
    /// Progressive delivery through Argo Rollouts instead of a rolling update.
    pub rollout: Option<Spanned<RawRollout>>,
    /// Warning codes accepted for this service, e.g. `["W0003"]`; replaces its tier's list.
    pub allow: Option<Vec<Text>>,
}

/// `{ strategy = "canary", steps, pause, analysis }` or
/// `{ strategy = "blue-green", auto_promote, analysis }`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRollout {
    /// `canary` or `blue-green` (required).
    pub strategy: Option<Spanned<Strategy>>,
    /// Canary: the new version's share of traffic at each step, in percent, strictly
    /// increasing within (0, 100) (default `[25, 50, 75]`).
    pub steps: Option<Spanned<Vec<Spanned<i64>>>>,
    /// Canary: how long each step holds (a duration); without it every step waits for
    /// `kubectl argo rollouts promote`.
    pub pause: Option<Text>,
    /// Blue-green: switch traffic to the new version without a manual promotion (default true).
    pub auto_promote: Option<Spanned<bool>>,
    /// Judge the new version by the availability SLO: abort when it burns the error budget
    /// faster than the fast-page rate (needs an availability SLO).
    pub analysis: Option<Spanned<bool>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Strategy {
    Canary,
    BlueGreen,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    Postgres,
    Redis,
}

/// A scalar engine setting.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Scalar {
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDatastore {
    /// `postgres` or `redis` (required).
    pub engine: Option<Spanned<Engine>>,
    /// Image tag of the official image.
    pub version: Option<Text>,
    pub storage: Option<Text>,
    pub storage_class: Option<Text>,
    pub resources: Option<RawResources>,
    /// Secret holding the password under key `password`.
    pub secret: Option<Text>,
    pub database: Option<Text>,
    pub user: Option<Text>,
    /// postgresql.conf / redis.conf keys.
    pub settings: Option<Map<Spanned<Scalar>>>,
    /// `"host:port"`: not run by the platform, only addressed.
    pub external: Option<Text>,
    /// Default true where the environment is monitored: the engine's Prometheus exporter.
    pub exporter: Option<Spanned<bool>>,
    pub backup: Option<Spanned<RawBackup>>,
    /// postgres only: `"cloudnative-pg"` runs it as a `CloudNativePG` `Cluster`.
    pub operator: Option<Text>,
    /// Operator only: `PostgreSQL` instances (default 1).
    pub instances: Option<Spanned<i64>>,
    /// Operator only: a `PgBouncer` `Pooler` in front of the primary.
    pub pooler: Option<Spanned<RawPooler>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawBackup {
    /// Five-field cron schedule (required).
    pub schedule: Option<Text>,
    /// Backups kept (default 7).
    pub keep: Option<Spanned<i64>>,
    /// `"s3://bucket/prefix"` or `"volume"` (required).
    pub to: Option<Text>,
    /// S3: Secret with `ACCESS_KEY_ID` and `ACCESS_SECRET_KEY`.
    pub credentials: Option<Text>,
    /// S3: endpoint URL of an S3-compatible store.
    pub endpoint: Option<Text>,
    /// Volume: size of the backup claim (default 10Gi).
    pub size: Option<Text>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPooler {
    /// `PgBouncer` pods (default 2).
    pub instances: Option<Spanned<i64>>,
    /// `"session"` or `"transaction"` (default).
    pub mode: Option<Text>,
    pub max_client_conn: Option<Spanned<i64>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawIngress {
    /// Default `nginx`.
    pub class: Option<Text>,
    pub host: Option<Text>,
    pub tls_secret: Option<Text>,
    pub cluster_issuer: Option<Text>,
    pub rate_limit_rps: Option<Spanned<i64>>,
    pub body_size: Option<Text>,
    pub cors_origins: Option<Vec<Text>>,
    /// Where the ingress controller's pods run.
    pub controller: Option<RawController>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAlerts {
    pub error_rate: Option<Spanned<f64>>,
    pub latency_p95: Option<Text>,
    /// Restarts per 15 minutes.
    pub restarts: Option<Spanned<i64>>,
    pub cpu: Option<Spanned<f64>>,
    pub memory: Option<Spanned<f64>>,
    pub disk: Option<Spanned<f64>>,
    pub down_for: Option<Text>,
    /// Every alert gets `runbook_url = <runbook_base>/<alertname>`.
    pub runbook_base: Option<Text>,
    /// Grafana URL: every alert links its service's dashboard.
    pub dashboard_base: Option<Text>,
    /// Severity per alert name, over the built-in one.
    pub severity: Option<Map<Text>>,
    pub custom: Option<Map<Spanned<RawCustomAlert>>>,
}
