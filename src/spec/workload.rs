//! The contract-v2 workload tables (SPEC.md §8): scheduled jobs, the table form of `migrate`,
//! the service account, where the ingress controller runs, and their small enums.

use schemars::JsonSchema;
use serde::Deserialize;

use super::raw::{Map, RawResources, Text};
use super::schema::{CRON, DURATION, EGRESS, ENV_NAME, NAME, SECRET_REF, TOLERATION};
use super::spanned::Spanned;

/// A scheduled workload (a `CronJob`). Overrides are partial tables of the same shape.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawJob {
    /// Five-field cron schedule (required in `[jobs.<name>]`). Example: `"0 3 * * *"`.
    #[schemars(pattern(CRON))]
    pub schedule: Option<Text>,
    /// IANA time zone of the schedule. Default: the cluster's (in practice UTC). Example:
    /// `"Europe/Berlin"`.
    pub timezone: Option<Text>,
    /// Container image reference (required in `[jobs.<name>]`). Example: `"acme/report:2.1.0"`.
    pub image: Option<Text>,
    /// Replaces the image's entrypoint. Default: the image's. Example: `["/app/report"]`.
    pub command: Option<Spanned<Vec<String>>>,
    /// Replaces the image's arguments. Default: the image's. Example: `["--since", "1d"]`.
    pub args: Option<Spanned<Vec<String>>>,
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
    /// Requests and limits. Default: the environment's `container_defaults`. Example:
    /// `{ cpu = "500m", memory = "1Gi" }`.
    pub resources: Option<RawResources>,
    /// Services and datastores the job calls (its `NetworkPolicy` admits them). Default:
    /// none. Example: `["postgres"]`.
    #[schemars(inner(pattern(NAME)))]
    pub uses: Option<Vec<Text>>,
    /// `"<CIDR>:<port>"` rules to outside the platform. Default: none (no egress). Example:
    /// `["0.0.0.0/0:443"]`.
    #[schemars(inner(pattern(EGRESS)))]
    pub egress: Option<Vec<Text>>,
    /// Read-only config files: `{ "<absolute container path>" = "<file relative to the spec>" }`.
    /// Default: none. Example: `{ "/etc/report.yaml" = "config/report.yaml" }`.
    #[schemars(extend("propertyNames" = { "pattern": "^/" }))]
    pub files: Option<Map<Text>>,
    /// The non-root uid the container runs as. Default 10001. Example: `1000`.
    #[schemars(range(min = 1, max = 4_294_967_295_i64))]
    pub run_as_user: Option<Spanned<i64>>,
    /// Node labels the pods must run on. Default: none. Example: `{ pool = "batch" }`.
    pub node_selector: Option<Map<Text>>,
    /// Taints the pods tolerate, `"<key>=<value>:<Effect>"`. Default: none. Example:
    /// `["spot=true:NoSchedule"]`.
    #[schemars(inner(pattern(TOLERATION)))]
    pub tolerations: Option<Vec<Text>>,
    /// What happens when a run is due while the last one still runs: `"forbid"` (skip it),
    /// `"allow"` or `"replace"`. Default `"forbid"`.
    pub concurrency: Option<Spanned<Concurrency>>,
    /// How long one run may take, a duration of at most 30 days. Default: no limit.
    /// Example: `"1h"`.
    #[schemars(pattern(DURATION))]
    pub deadline: Option<Text>,
    /// Retries of a failed run, 0–100. Default 2. Example: `0`.
    #[schemars(range(min = 0, max = 100))]
    pub retries: Option<Spanned<i64>>,
    /// `true` stops scheduling new runs. Default `false`.
    pub suspend: Option<Spanned<bool>>,
}

/// A job's `concurrencyPolicy`: `"forbid"` (default), `"allow"` or `"replace"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Concurrency {
    Forbid,
    Allow,
    Replace,
}

/// `"node"` (default), `"zone"` or `"none"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Spread {
    Node,
    Zone,
    None,
}

/// An autoscaler's `selectPolicy`: `"max"` (default), `"min"` or `"disabled"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Select {
    Max,
    Min,
    Disabled,
}

/// `service_account`: the pod's `ServiceAccount`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawServiceAccount {
    /// Annotations on the `ServiceAccount` (cloud workload identity). Default: none. Example:
    /// `{ "eks.amazonaws.com/role-arn" = "arn:aws:iam::123456789012:role/api" }`.
    pub annotations: Option<Map<Text>>,
}

/// `[ingress.controller]`: where the ingress controller's pods run.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawController {
    /// Namespace of the ingress controller's pods. Default `"ingress-nginx"`. Example:
    /// `"traefik"`.
    pub namespace: Option<Text>,
    /// Labels of the controller's pods, to admit only them. Default: any pod of the
    /// namespace. Example: `{ "app.kubernetes.io/name" = "ingress-nginx" }`.
    pub labels: Option<Map<Text>>,
}

/// `migrate`: the v1 command array, or `{ command, image }`.
#[derive(Debug, Clone, JsonSchema)]
#[serde(untagged)]
pub enum RawMigrate {
    Command(Vec<String>),
    Table(RawMigrateTable),
}

/// `migrate = { command, image }`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMigrateTable {
    /// The command run to completion before the service starts (required). Example:
    /// `["npm", "run", "migrate"]`.
    pub command: Option<Spanned<Vec<String>>>,
    /// The image the command runs in. Default: the service's image. Example:
    /// `"acme/api-migrations:1.4.2"`.
    pub image: Option<Text>,
}

impl RawMigrate {
    pub fn command(&self) -> Option<&Vec<String>> {
        match self {
            RawMigrate::Command(command) => Some(command),
            RawMigrate::Table(table) => table.command.as_ref().map(|c| &c.value),
        }
    }
}

/// By hand, not `untagged`: serde buffers untagged input, which loses the spans inside.
impl<'de> Deserialize<'de> for RawMigrate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RawMigrate;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a command array or a table { command, image }")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<RawMigrate, A::Error> {
                let command = Vec::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))?;
                Ok(RawMigrate::Command(command))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<RawMigrate, A::Error> {
                let table = RawMigrateTable::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(RawMigrate::Table(table))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}
