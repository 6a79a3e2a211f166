//! `CloudNativePG`'s custom resources, which have no `k8s-openapi` type: our own
//! `deny_unknown_fields` structs for exactly the fields platc emits (the shared validators
//! check the same objects against the operator's CRD schemas).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::SecretKeySelector;
use k8s_openapi::api::core::v1::{PodTemplateSpec, ResourceRequirements};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Deserialize;

use super::strictly;
use crate::render::json::Node;

pub fn verify(kind: &str, document: Node) -> Result<(), String> {
    match kind {
        "Cluster" => strictly::<Object<ClusterSpec>>(document).map(drop),
        "Pooler" => strictly::<Object<PoolerSpec>>(document).map(drop),
        "ScheduledBackup" => strictly::<Object<ScheduledBackupSpec>>(document).map(drop),
        _ => Err("not a kind platc emits".to_string()),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)] // deserialized only to type-check the document
struct Object<S> {
    api_version: String,
    kind: String,
    metadata: ObjectMeta,
    spec: S,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct ClusterSpec {
    instances: u32,
    image_name: String,
    enable_superuser_access: bool,
    bootstrap: Bootstrap,
    external_clusters: Option<Vec<ExternalCluster>>,
    postgresql: Option<Postgresql>,
    storage: Storage,
    resources: ResourceRequirements,
    backup: Option<Backup>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct Bootstrap {
    initdb: Option<Database>,
    recovery: Option<Recovery>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Database {
    database: String,
    owner: String,
    secret: Option<Name>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Recovery {
    source: String,
    database: String,
    owner: String,
    secret: Option<Name>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct ExternalCluster {
    name: String,
    barman_object_store: ObjectStore,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Name {
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Postgresql {
    parameters: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct Storage {
    size: String,
    storage_class: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct Backup {
    retention_policy: String,
    barman_object_store: ObjectStore,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct ObjectStore {
    server_name: Option<String>,
    destination_path: String,
    #[serde(rename = "endpointURL")]
    endpoint_url: Option<String>,
    s3_credentials: S3Credentials,
    wal: Option<Compression>,
    data: Option<Compression>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct S3Credentials {
    access_key_id: SecretKeySelector,
    secret_access_key: SecretKeySelector,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Compression {
    compression: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct PoolerSpec {
    cluster: Name,
    instances: u32,
    #[serde(rename = "type")]
    kind: String,
    pgbouncer: PgBouncer,
    template: PodTemplateSpec,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct PgBouncer {
    pool_mode: String,
    parameters: Option<BTreeMap<String, String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct ScheduledBackupSpec {
    cluster: Name,
    schedule: String,
    method: String,
    backup_owner_reference: String,
}
