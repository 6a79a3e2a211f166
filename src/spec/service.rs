//! `[services.<name>]` as written (also `environments.<env>.services.<name>` overrides) and
//! the tables only a service has: `metrics`, `probes`, `rollout`.

use schemars::JsonSchema;
use serde::Deserialize;

use super::raw::{Map, RawResources, Text};
use super::scaling::{RawAutoscale, RawDisruption, RawSlo};
use super::schema::{DURATION, EGRESS, ENV_NAME, NAME, PATH, SECRET_REF, TOLERATION, WARNING_CODE};
use super::spanned::Spanned;
use super::workload::{RawMigrate, RawServiceAccount, Spread};

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

/// `metrics = { port, path }`: where Prometheus scrapes the service.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMetricsEndpoint {
    /// The port Prometheus scrapes. Default: the service's `port`. Example: `9090`.
    #[schemars(range(min = 1, max = 65535))]
    pub port: Option<Spanned<i64>>,
    /// The path Prometheus scrapes. Default `"/metrics"`. Example: `"/internal/metrics"`.
    #[schemars(pattern(PATH))]
    pub path: Option<Text>,
}

/// `probes`: HTTP paths on `port` or an exec command, and their timing.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawProbes {
    /// HTTP path of the liveness probe on `port`. Default: none. Example: `"/health/live"`.
    #[schemars(pattern(PATH))]
    pub liveness: Option<Text>,
    /// HTTP path of the readiness probe on `port` (W0002 without one). Default: none.
    /// Example: `"/health/ready"`.
    #[schemars(pattern(PATH))]
    pub readiness: Option<Text>,
    /// HTTP path of the startup probe on `port`. Default: none. Example: `"/health/startup"`.
    #[schemars(pattern(PATH))]
    pub startup: Option<Text>,
    /// An exec check: used where no HTTP path is given (workers), and as the Compose
    /// healthcheck. Default: none. Example: `["pg_isready", "-q"]`.
    pub command: Option<Spanned<Vec<String>>>,
    /// How often every probe runs, whole seconds up to `"1h"`. Default: Kubernetes' `"10s"`. Example: `"5s"`.
    #[schemars(pattern(DURATION))]
    pub period: Option<Text>,
    /// How long one probe may take, whole seconds up to `"1h"`. Default: Kubernetes' `"1s"`. Example: `"3s"`.
    #[schemars(pattern(DURATION))]
    pub timeout: Option<Text>,
    /// Wait before the first probe, whole seconds up to `"1d"`. Default `"0s"` (none).
    /// Example: `"10s"`.
    #[schemars(pattern(DURATION))]
    pub initial_delay: Option<Text>,
    /// Failures in a row that count as down, 1–100. Default: Kubernetes' 3. Example: `5`.
    #[schemars(range(min = 1, max = 100))]
    pub failures: Option<Spanned<i64>>,
}

/// `[services.<name>]`: a long-running workload (a Deployment, or an Argo `Rollout`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawService {
    /// Container image reference (required in `[services.<name>]`; W0001 without a tag).
    /// Example: `"quizmentor/api:1.4.2"`.
    pub image: Option<Text>,
    /// The tier whose defaults apply. Default: none. Example: `"critical"`.
    #[schemars(pattern(NAME))]
    pub tier: Option<Text>,
    /// The HTTP port the container listens on, 1–65535. Default: none, which makes a worker
    /// with no Service, route or HTTP probes. Example: `3000`.
    #[schemars(range(min = 1, max = 65535))]
    pub port: Option<Spanned<i64>>,
    /// The port the Service exposes, 1–65535. Default: `port`. Example: `80`.
    #[schemars(range(min = 1, max = 65535))]
    pub service_port: Option<Spanned<i64>>,
    /// Extra named ports (container port, Service port, callers' `NetworkPolicy`), 1–65535.
    /// Default: none. Example: `{ grpc = 9000 }`.
    #[schemars(extend("additionalProperties" = { "type": "integer", "minimum": 1, "maximum": 65535 }))]
    pub ports: Option<Map<Spanned<i64>>>,
    /// Scraping: `false` turns it off, a table sets the port and path. Default: scraped on
    /// `port` at `/metrics`. Example: `{ port = 9090 }`.
    pub metrics: Option<Spanned<RawMetrics>>,
    /// Liveness, readiness and startup probes. Default: none. Example:
    /// `{ readiness = "/healthz" }`.
    pub probes: Option<RawProbes>,
    /// Requests and limits. Default: the tier's, else the environment's
    /// `container_defaults`. Example: `{ cpu = "250m", memory = "512Mi" }`.
    pub resources: Option<RawResources>,
    /// Replicas when not autoscaled. Default: the tier's, else autoscale's `min`, else 1.
    /// Example: `2`.
    #[schemars(range(min = 0, max = 1_000_000))]
    pub replicas: Option<Spanned<i64>>,
    /// A `HorizontalPodAutoscaler`. Default: the tier's. Example: `{ min = 2, max = 10, cpu = 70 }`.
    pub autoscale: Option<Spanned<RawAutoscale>>,
    /// A `PodDisruptionBudget`. Default: the tier's. Example: `{ max_unavailable = 1 }`.
    pub disruption: Option<Spanned<RawDisruption>>,
    /// Plain environment variables (never secrets: E0060). Default: none. Example:
    /// `{ LOG_LEVEL = "info" }`.
    #[schemars(extend("propertyNames" = { "pattern": ENV_NAME }))]
    pub env: Option<Map<Text>>,
    /// Variables read from Secrets: `NAME = "<secret>/<key>"`. Default: none. Example:
    /// `{ DATABASE_URL = "database-credentials/url" }`.
    #[schemars(extend(
        "propertyNames" = { "pattern": ENV_NAME },
        "additionalProperties" = { "type": "string", "pattern": SECRET_REF }
    ))]
    pub secrets: Option<Map<Text>>,
    /// `true`: every secret is a read-only file and `<NAME>_FILE` holds its path. Default
    /// `false`.
    pub secret_files: Option<Spanned<bool>>,
    /// Services and datastores this service calls (its `NetworkPolicy` admits them).
    /// Default: none. Example: `["postgres", "auth"]`.
    #[schemars(inner(pattern(NAME)))]
    pub uses: Option<Vec<Text>>,
    /// `"<CIDR>:<port>"` rules to outside the platform. Default: none (no egress). Example:
    /// `["0.0.0.0/0:443"]`.
    #[schemars(inner(pattern(EGRESS)))]
    pub egress: Option<Vec<Text>>,
    /// HTTP path prefixes served through the ingress on its `host`. Default: none. Example:
    /// `["/api/learning"]`.
    #[schemars(inner(pattern(PATH)))]
    pub routes: Option<Vec<Text>>,
    /// Command run to completion before the service starts (same image, env and secrets),
    /// or `{ command, image }`. Default: none. Example: `["npm", "run", "migrate"]`.
    pub migrate: Option<Spanned<RawMigrate>>,
    /// How long the pod gets to shut down, a duration. Default `"30s"`. Example: `"60s"`.
    #[schemars(pattern(DURATION))]
    pub termination_grace: Option<Text>,
    /// How replicas spread: `"node"`, `"zone"` (also across zones) or `"none"`. Default `"node"`.
    pub spread: Option<Spanned<Spread>>,
    /// The pod's `ServiceAccount`. Default: one without annotations.
    pub service_account: Option<RawServiceAccount>,
    /// Secrets holding private registry credentials. Default: none. Example: `["regcred"]`.
    pub image_pull_secrets: Option<Vec<Text>>,
    /// Read-only config files: `{ "<absolute container path>" = "<file relative to the spec>" }`.
    /// Default: none. Example: `{ "/etc/app/config.yaml" = "config/app.yaml" }`.
    #[schemars(extend("propertyNames" = { "pattern": "^/" }))]
    pub files: Option<Map<Text>>,
    /// Replaces the image's entrypoint. Default: the image's. Example: `["/app/server"]`.
    pub command: Option<Spanned<Vec<String>>>,
    /// Replaces the image's arguments. Default: the image's. Example: `["--port", "3000"]`.
    pub args: Option<Spanned<Vec<String>>>,
    /// Paths that stay writable; the root filesystem is read-only. Default `["/tmp"]`.
    /// Example: `["/tmp", "/app/.cache"]`.
    #[schemars(inner(pattern(PATH)))]
    pub writable: Option<Vec<Text>>,
    /// The non-root uid the container runs as. Default 10001. Example: `1000`.
    #[schemars(range(min = 1, max = 4_294_967_295_i64))]
    pub run_as_user: Option<Spanned<i64>>,
    /// Node labels the pods must run on. Default: none. Example: `{ pool = "general" }`.
    pub node_selector: Option<Map<Text>>,
    /// Taints the pods tolerate, `"<key>=<value>:<Effect>"`. Default: none. Example:
    /// `["spot=true:NoSchedule"]`.
    #[schemars(inner(pattern(TOLERATION)))]
    pub tolerations: Option<Vec<Text>>,
    /// Extra pod labels. Default: none. Example: `{ team = "learning" }`.
    pub labels: Option<Map<Text>>,
    /// Extra pod annotations. Default: none. Example: `{ "example.com/owner" = "ada" }`.
    pub annotations: Option<Map<Text>>,
    /// Service-level objectives. Default: the tier's. Example: `{ availability = 99.9 }`.
    pub slo: Option<Spanned<RawSlo>>,
    /// Progressive delivery through Argo Rollouts instead of a rolling update. Default: none.
    /// Example: `{ strategy = "canary", steps = [10, 50], pause = "5m" }`.
    pub rollout: Option<Spanned<RawRollout>>,
    /// Warning codes accepted for this service; replaces its tier's list. Default: the
    /// tier's. Example: `["W0003"]`.
    #[schemars(inner(pattern(WARNING_CODE)))]
    pub allow: Option<Vec<Text>>,
}

/// `{ strategy = "canary", steps, pause, analysis }` or
/// `{ strategy = "blue-green", auto_promote, analysis }`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRollout {
    /// `"canary"` or `"blue-green"` (required).
    pub strategy: Option<Spanned<Strategy>>,
    /// Canary: the new version's share of traffic at each step, in percent, strictly
    /// increasing within (0, 100). Default `[25, 50, 75]`. Example: `[10, 50]`.
    #[schemars(inner(range(min = 1, max = 99)))]
    pub steps: Option<Spanned<Vec<Spanned<i64>>>>,
    /// Canary: how long each step holds, a duration; without it every step waits for
    /// `kubectl argo rollouts promote`. Default: none. Example: `"5m"`.
    #[schemars(pattern(DURATION))]
    pub pause: Option<Text>,
    /// Blue-green: switch traffic to the new version without a manual promotion. Default
    /// `true`.
    pub auto_promote: Option<Spanned<bool>>,
    /// Judge the new version by the availability SLO: abort when it burns the error budget
    /// faster than the fast-page rate (needs an availability SLO). Default `false`.
    pub analysis: Option<Spanned<bool>>,
}

/// How a rollout brings in a new version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Strategy {
    Canary,
    BlueGreen,
}
