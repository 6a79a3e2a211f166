//! The contract-v2 workload tables (SPEC.md §8): scheduled jobs, the table form of `migrate`,
//! the service account, where the ingress controller runs, and their small enums.

use schemars::JsonSchema;
use serde::Deserialize;

use super::raw::{Map, RawResources, Text};
use super::spanned::Spanned;

/// A scheduled workload (a `CronJob`). Overrides are partial tables of the same shape.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawJob {
    /// Five-field cron schedule (required).
    pub schedule: Option<Text>,
    /// IANA time zone of the schedule (default: the cluster's, in practice UTC).
    pub timezone: Option<Text>,
    /// Container image reference (required).
    pub image: Option<Text>,
    pub command: Option<Spanned<Vec<String>>>,
    pub args: Option<Spanned<Vec<String>>>,
    pub env: Option<Map<Text>>,
    pub secrets: Option<Map<Text>>,
    pub secret_files: Option<Spanned<bool>>,
    pub resources: Option<RawResources>,
    pub uses: Option<Vec<Text>>,
    pub egress: Option<Vec<Text>>,
    /// `{ "<absolute container path>" = "<file relative to the spec>" }`.
    pub files: Option<Map<Text>>,
    pub run_as_user: Option<Spanned<i64>>,
    pub node_selector: Option<Map<Text>>,
    pub tolerations: Option<Vec<Text>>,
    /// `forbid` (default), `allow` or `replace`.
    pub concurrency: Option<Spanned<Concurrency>>,
    /// How long one run may take.
    pub deadline: Option<Text>,
    /// Retries of a failed run (default 2).
    pub retries: Option<Spanned<i64>>,
    pub suspend: Option<Spanned<bool>>,
}

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

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawServiceAccount {
    /// Annotations on the `ServiceAccount` (cloud workload identity).
    pub annotations: Option<Map<Text>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawController {
    /// Namespace of the ingress controller's pods (default `ingress-nginx`).
    pub namespace: Option<Text>,
    /// Labels of the controller's pods, to admit only them.
    pub labels: Option<Map<Text>>,
}

/// `migrate`: the v1 command array, or `{ command, image }`.
#[derive(Debug, Clone, JsonSchema)]
#[serde(untagged)]
pub enum RawMigrate {
    Command(Vec<String>),
    Table(RawMigrateTable),
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMigrateTable {
    pub command: Option<Spanned<Vec<String>>>,
    /// Default: the service's image.
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
