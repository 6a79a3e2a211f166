//! The validated model: what renderers consume. Every value here has passed the checks and
//! has its defaults applied, so renderers never re-check and never fail on user input.
//! Collections are ordered by name, which keeps every output deterministic.

pub mod alerting;
pub mod build;
pub mod operations;
pub mod peers;
pub mod slo;
pub mod workload;

pub use alerting::{Alerting, Channel, MuteWindow, Receiver};
pub use build::build;
pub use operations::{Backup, BackupTarget, Operator, Pooler, S3Target};

use std::collections::BTreeMap;

use serde::Serialize;

pub use crate::spec::values::{Duration, EgressRule, Quantity, SecretRef, Toleration};
pub use crate::spec::{Concurrency, Engine, Select, Spread};
pub use workload::{ConfigFile, Job, Migrate, NamedPort};

pub type Labels = BTreeMap<String, String>;

#[derive(Debug, Clone, Serialize)]
pub struct Platform {
    pub name: String,
    pub team: Option<String>,
    pub labels: Labels,
    pub prometheus_operator: bool,
    pub metrics: MetricConventions,
    pub alerts: AlertThresholds,
    pub environments: Vec<Environment>,
    /// The spec's file name as generated files name it (no folder, so output does not depend
    /// on where the spec was built from); set by whoever read the file, empty when unknown.
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct MetricConventions {
    /// Request counter, e.g. `http_requests_total`.
    pub requests: String,
    /// Regex on the `code` label that marks an error, e.g. `5..`.
    pub error_status: String,
    /// Histogram base name, e.g. `http_request_duration_seconds`.
    pub latency: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AlertThresholds {
    pub error_rate: f64,
    #[serde(serialize_with = "duration_text")]
    pub latency_p95: Duration,
    pub restarts: u32,
    pub cpu: f64,
    pub memory: f64,
    pub disk: f64,
    #[serde(serialize_with = "duration_text")]
    pub down_for: Duration,
    /// Without trailing `/`: alerts link `<runbook_base>/<alertname>`.
    pub runbook_base: Option<String>,
    /// Grafana's URL, without trailing `/`.
    pub dashboard_base: Option<String>,
    /// Alert name → `critical` or `warning`, over the built-in severity.
    pub severity: BTreeMap<String, String>,
    /// By name.
    pub custom: Vec<CustomAlert>,
}

/// `[alerts.custom.<name>]`: `expr` still holds `${namespace}`, replaced per environment.
#[derive(Debug, Clone, Serialize)]
pub struct CustomAlert {
    pub name: String,
    pub expr: String,
    #[serde(serialize_with = "duration_text")]
    pub for_: Duration,
    pub severity: String,
    pub summary: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Environment {
    pub name: String,
    pub namespace: String,
    pub labels: Labels,
    pub kubernetes: bool,
    pub compose: bool,
    /// false: every critical alert of this environment is a warning.
    pub paging: bool,
    /// Compose only: also run Prometheus and Grafana.
    pub monitoring: bool,
    pub quota: Option<Quota>,
    pub container_defaults: Option<Resources>,
    pub ingress: Option<Ingress>,
    /// The Prometheus that rollout analyses query.
    pub prometheus_url: String,
    pub services: Vec<Service>,
    pub jobs: Vec<Job>,
    pub datastores: Vec<Datastore>,
    /// Alertmanager routing, when `[alerting]` (or the environment's override) is given.
    pub alerting: Option<Alerting>,
    /// The name index of `dependency` and `callers`, built on first use.
    #[serde(skip)]
    pub peers: std::sync::OnceLock<peers::Peers>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Quota {
    pub requests_cpu: Option<Quantity>,
    pub requests_memory: Option<Quantity>,
    pub limits_cpu: Option<Quantity>,
    pub limits_memory: Option<Quantity>,
    pub pods: Option<u32>,
    pub pvcs: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Resources {
    pub cpu: Quantity,
    pub memory: Quantity,
    pub cpu_limit: Quantity,
    pub memory_limit: Quantity,
}

#[derive(Debug, Clone, Serialize)]
pub struct Ingress {
    pub class: String,
    pub host: Option<String>,
    pub tls_secret: Option<String>,
    pub cluster_issuer: Option<String>,
    pub rate_limit_rps: Option<u32>,
    pub body_size: Option<String>,
    pub cors_origins: Vec<String>,
    /// Where the ingress controller's pods run, and their labels (none: any pod there).
    pub controller_namespace: String,
    pub controller_labels: Labels,
}

#[derive(Debug, Clone, Serialize)]
pub struct Service {
    pub name: String,
    pub image: String,
    pub tier: Option<String>,
    /// The HTTP port; `None` for a worker.
    pub port: Option<u16>,
    /// The port the Service exposes for `port` (`service_port`, default `port`).
    pub service_port: Option<u16>,
    /// Extra named ports, the same number on the container and the Service.
    pub ports: Vec<NamedPort>,
    pub termination_grace_seconds: u64,
    pub spread: Spread,
    pub service_account_annotations: Labels,
    pub image_pull_secrets: Vec<String>,
    pub files: Vec<ConfigFile>,
    /// Where Prometheus scrapes; `None` when scraping is off or there is no port.
    pub metrics: Option<MetricsEndpoint>,
    pub probes: Probes,
    pub resources: Resources,
    /// Desired replicas when not autoscaled (the HPA's starting point otherwise).
    pub replicas: u32,
    pub autoscale: Option<Autoscale>,
    pub disruption: Option<Disruption>,
    pub env: BTreeMap<String, String>,
    pub secrets: BTreeMap<String, SecretRef>,
    /// Secrets as read-only files with `<NAME>_FILE` variables instead of as values.
    pub secret_files: bool,
    /// Names of services and datastores this service calls, in the spec's order.
    pub uses: Vec<String>,
    pub egress: Vec<EgressRule>,
    pub routes: Vec<String>,
    pub migrate: Option<Migrate>,
    pub command: Option<Vec<String>>,
    pub args: Option<Vec<String>>,
    pub writable: Vec<String>,
    pub run_as_user: u32,
    pub node_selector: Labels,
    pub tolerations: Vec<Toleration>,
    pub labels: Labels,
    pub annotations: Labels,
    pub slo: Option<Slo>,
    /// Whether this service's critical alerts page (its tier and environment allow it).
    pub paging: bool,
    /// Progressive delivery: an Argo Rollouts `Rollout` instead of a Deployment.
    pub rollout: Option<Rollout>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Rollout {
    pub strategy: RolloutStrategy,
    /// Judge the new version by the availability SLO (checked: the service has one).
    pub analysis: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RolloutStrategy {
    /// Traffic percents, strictly increasing within (0, 100); `pause: None` waits for a
    /// manual promotion at each step.
    Canary {
        steps: Vec<u32>,
        pause: Option<Duration>,
    },
    BlueGreen {
        auto_promote: bool,
    },
}

/// Where the rollout analysis asks when the spec does not say: the Service the Prometheus
/// Operator creates for every Prometheus (kube-prometheus-stack installs it in `monitoring`).
pub const DEFAULT_PROMETHEUS_URL: &str = "http://prometheus-operated.monitoring.svc:9090";

impl Service {
    pub fn max_replicas(&self) -> u32 {
        self.autoscale.as_ref().map_or(self.replicas, |a| a.max)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct MetricsEndpoint {
    pub port: u16,
    pub path: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Probes {
    pub liveness: Option<String>,
    pub readiness: Option<String>,
    pub startup: Option<String>,
    pub command: Option<Vec<String>>,
    /// Timings for every probe of the service, in seconds; `None`: the probe's default.
    pub period: Option<u64>,
    pub timeout: Option<u64>,
    pub initial_delay: Option<u64>,
    pub failures: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Autoscale {
    pub min: u32,
    pub max: u32,
    /// Target utilisation, percent of the request.
    pub cpu: Option<u32>,
    pub memory: Option<u32>,
    /// Target requests per second per pod.
    pub rps: Option<f64>,
    pub scale_up: Option<Scaling>,
    pub scale_down: Option<Scaling>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Scaling {
    pub window_seconds: Option<u64>,
    /// `selectPolicy`; `None`: Kubernetes' default (`Max`).
    pub select: Option<Select>,
    pub percent: Option<u32>,
    pub pods: Option<u32>,
    pub period_seconds: u64,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Disruption {
    MinAvailable(IntOrPercent),
    MaxUnavailable(IntOrPercent),
}

#[derive(Debug, Clone, Copy, Serialize)]
#[serde(untagged)]
pub enum IntOrPercent {
    Int(u32),
    Percent(#[serde(serialize_with = "percent_text")] u32),
}

#[derive(Debug, Clone, Serialize)]
pub struct Slo {
    #[serde(serialize_with = "duration_text")]
    pub window: Duration,
    /// Percent of requests that succeed.
    pub availability: Option<f64>,
    pub latency: Option<LatencySlo>,
    /// Percents of the error budget consumed that raise `SLOErrorBudgetConsumed`.
    pub budget_alerts: Vec<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LatencySlo {
    /// Percent of requests faster than `threshold`.
    pub objective: f64,
    #[serde(serialize_with = "duration_text")]
    pub threshold: Duration,
}

#[derive(Debug, Clone, Serialize)]
pub struct Datastore {
    pub name: String,
    pub engine: Engine,
    pub version: String,
    pub storage: Quantity,
    pub storage_class: Option<String>,
    pub resources: Resources,
    pub secret: Option<String>,
    pub database: Option<String>,
    pub user: Option<String>,
    /// Engine settings, rendered as text (`500`, `"allkeys-lru"` → `allkeys-lru`).
    pub settings: BTreeMap<String, String>,
    /// The engine's Prometheus exporter runs beside it (in-cluster only).
    pub exporter: bool,
    pub backup: Option<Backup>,
    /// `CloudNativePG` instead of a `StatefulSet` (postgres only).
    pub operator: Option<Operator>,
    pub external: Option<ExternalAddress>,
}

impl Datastore {
    pub fn port(&self) -> u16 {
        match (&self.external, self.engine) {
            (Some(address), _) => address.port,
            (None, Engine::Postgres) => 5432,
            (None, Engine::Redis) => 6379,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ExternalAddress {
    pub host: String,
    pub port: u16,
}

/// What a `uses` entry names.
pub enum Dependency<'a> {
    Service(&'a Service),
    Datastore(&'a Datastore),
}

impl Environment {
    fn peers(&self) -> &peers::Peers {
        self.peers.get_or_init(|| peers::Peers::of(self))
    }

    pub fn dependency(&self, name: &str) -> Option<Dependency<'_>> {
        match self.peers().position(name)? {
            Ok(i) => Some(Dependency::Service(&self.services[i])),
            Err(i) => Some(Dependency::Datastore(&self.datastores[i])),
        }
    }

    /// Services that list `name` in their `uses`, in spec order.
    pub fn callers<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Service> + 'a {
        self.peers().callers(name).iter().map(|&i| &self.services[i])
    }

    /// Services and jobs that list `name` in their `uses`, services first.
    pub fn caller_names(&self, name: &str) -> Vec<String> {
        let services = self.callers(name).map(|s| s.name.clone());
        let jobs = self.jobs.iter().filter(|j| j.uses.iter().any(|u| u == name));
        services.chain(jobs.map(|j| j.name.clone())).collect()
    }

    pub fn has_routes(&self) -> bool {
        self.services.iter().any(|s| !s.routes.is_empty())
    }

    /// Whether a canary of `service` splits requests at the nginx ingress (its routes are
    /// served by an nginx Ingress) rather than by the ratio of old and new pods.
    pub fn routes_canary_by_ingress(&self, service: &Service) -> bool {
        !service.routes.is_empty()
            && self
                .ingress
                .as_ref()
                .is_some_and(|i| i.class == "nginx" && i.host.is_some())
    }

    /// Whether any service of this environment is delivered by a rollout.
    pub fn has_rollouts(&self) -> bool {
        self.services.iter().any(|s| s.rollout.is_some())
    }
}

fn duration_text<S: serde::Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&duration.text())
}

fn percent_text<S: serde::Serializer>(percent: &u32, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&format!("{percent}%"))
}

impl Serialize for Duration {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text())
    }
}

impl Serialize for Quantity {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}
