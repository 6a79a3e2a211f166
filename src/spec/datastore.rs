//! `[datastores.<name>]` as written (also `environments.<env>.datastores.<name>` overrides):
//! the engine, its storage, and how it is operated (`exporter`, `backup`, `operator`, `pooler`).

use schemars::JsonSchema;
use serde::Deserialize;

use super::raw::{Map, RawResources, Text};
use super::schema::{CRON, HOST_PORT, QUANTITY};
use super::spanned::Spanned;

/// The datastore's engine.
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

/// `[datastores.<name>]`: `PostgreSQL` or Redis, run in the platform or only addressed.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDatastore {
    /// `"postgres"` or `"redis"` (required in `[datastores.<name>]`).
    pub engine: Option<Spanned<Engine>>,
    /// Image tag of the engine's official image. Default `"16"` (postgres) or `"7"` (redis).
    /// Example: `"15"`.
    pub version: Option<Text>,
    /// Size of the data volume, a quantity. Default `"1Gi"`. Example: `"20Gi"`.
    #[schemars(pattern(QUANTITY))]
    pub storage: Option<Text>,
    /// `StorageClass` of the data volume. Default: the cluster's default class. Example:
    /// `"fast-ssd"`.
    pub storage_class: Option<Text>,
    /// Requests and limits of the datastore's container. Default: the environment's
    /// `container_defaults`.
    pub resources: Option<RawResources>,
    /// Secret holding the password under key `password`. Default: none (no password).
    /// Example: `"postgres-credentials"`.
    pub secret: Option<Text>,
    /// The database created at start (postgres). Default: the image's (`postgres`). Example:
    /// `"quizmentor"`.
    pub database: Option<Text>,
    /// The user created at start (postgres). Default: the image's (`postgres`). Example:
    /// `"app"`.
    pub user: Option<Text>,
    /// Engine configuration: postgresql.conf / redis.conf keys. Default: none. Example:
    /// `{ max_connections = 200 }`.
    pub settings: Option<Map<Spanned<Scalar>>>,
    /// `"host:port"` of a datastore the platform does not run, only addresses. Default:
    /// none (run in the platform). Example: `"db.example.com:5432"`.
    #[schemars(pattern(HOST_PORT))]
    pub external: Option<Text>,
    /// `true`: the engine's Prometheus exporter runs beside it and is scraped; its alerts join
    /// the rule file. Default `true` where the environment is monitored (never for `external`).
    pub exporter: Option<Spanned<bool>>,
    /// Scheduled backups: a `CronJob`, an alert when the last good one is too old, and a
    /// restore Job. Default: none. Example: `{ schedule = "0 2 * * *", to = "volume" }`.
    pub backup: Option<Spanned<RawBackup>>,
    /// Postgres only: `"cloudnative-pg"` runs it as a `CloudNativePG` `Cluster` instead of a
    /// `StatefulSet`. Default: none (a `StatefulSet`).
    #[schemars(pattern("^cloudnative-pg$"))]
    pub operator: Option<Text>,
    /// With `operator`: `PostgreSQL` instances, the first the primary. Default 1. Example: `3`.
    #[schemars(range(min = 1, max = 1_000_000))]
    pub instances: Option<Spanned<i64>>,
    /// With `operator`: a `PgBouncer` `Pooler` in front of the primary. Default: none.
    /// Example: `{ instances = 2, mode = "transaction" }`.
    pub pooler: Option<Spanned<RawPooler>>,
}

/// `backup`: scheduled backups to S3 or a volume.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawBackup {
    /// When backups run, a five-field cron schedule (required). Example: `"0 2 * * *"`.
    #[schemars(pattern(CRON))]
    pub schedule: Option<Text>,
    /// How many of the newest backups are kept. Default 7. Example: `14`.
    #[schemars(range(min = 1, max = 1_000_000))]
    pub keep: Option<Spanned<i64>>,
    /// Where backups go: `"s3://bucket/prefix"` (S3-compatible) or `"volume"` (a claim of
    /// `size`) (required).
    #[schemars(pattern(r"^(volume|s3://[a-z0-9][-a-z0-9.]{1,61}[a-z0-9](/[-_.A-Za-z0-9/]*)?)$"))]
    pub to: Option<Text>,
    /// S3: the Secret with keys `ACCESS_KEY_ID` and `ACCESS_SECRET_KEY` (required for S3).
    /// Example: `"backup-credentials"`.
    pub credentials: Option<Text>,
    /// S3: endpoint URL of an S3-compatible store. Default: AWS S3. Example:
    /// `"https://minio.example.com"`.
    pub endpoint: Option<Text>,
    /// Volume: size of the backup claim, a quantity. Default `"10Gi"`. Example: `"50Gi"`.
    #[schemars(pattern(QUANTITY))]
    pub size: Option<Text>,
}

/// `pooler`: a `PgBouncer` `Pooler` in front of an operator-run postgres.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPooler {
    /// `PgBouncer` pods. Default 2. Example: `3`.
    #[schemars(range(min = 1, max = 1_000_000))]
    pub instances: Option<Spanned<i64>>,
    /// `PgBouncer`'s pool mode, `"session"` or `"transaction"`. Default `"transaction"`.
    #[schemars(pattern("^(session|transaction)$"))]
    pub mode: Option<Text>,
    /// Client connections `PgBouncer` accepts. Default: `PgBouncer`'s (100). Example: `500`.
    #[schemars(range(min = 1, max = 1_000_000))]
    pub max_client_conn: Option<Spanned<i64>>,
}
