//! `operator = "cloudnative-pg"`: the datastore as a `CloudNativePG` `Cluster` `<ds>-db`, a
//! `Pooler` `<ds>` (or an `ExternalName` Service `<ds>` onto the cluster's `-rw` service),
//! with S3 backups the operator's own (`barmanObjectStore` + `ScheduledBackup`), and the
//! `NetworkPolicies` of the operator's pods, selected by the labels the operator gives them.

use serde::Serialize;

use super::Meta;
use super::backup::endpoint_port;
use super::exporter::postgres_login;
use super::network::{self, Entry, Policy, Rule};
use crate::model::operations::{POOLER_RESOURCES, fixed_resources};
use crate::model::{Datastore, Environment, Platform, Pooler, Resources, S3Target};

/// Where the operator runs (its Helm chart's and manifests' default).
pub const OPERATOR_NAMESPACE: &str = "cnpg-system";
/// The instance manager's status port, which the operator calls.
const STATUS_PORT: u16 = 8000;

#[derive(Serialize)]
pub struct ClusterView<'a> {
    meta: Meta,
    cluster: String,
    version: &'a str,
    image: String,
    instances: u32,
    database: String,
    owner: String,
    secret: Option<&'a str>,
    parameters: &'a std::collections::BTreeMap<String, String>,
    storage: Storage<'a>,
    resources: &'a Resources,
    s3: Option<&'a S3Target>,
    retention: String,
    schedule: &'a str,
    recovery: bool,
    pooler: Option<&'a Pooler>,
    pooler_resources: Resources,
    policies: Vec<PolicyView>,
    instance: String,
}

#[derive(Serialize)]
struct Storage<'a> {
    size: &'a str,
    class: Option<&'a str>,
}

#[derive(Serialize)]
struct PolicyView {
    meta: Meta,
    policy: Policy,
}

pub fn view<'a>(platform: &Platform, env: &Environment, datastore: &'a Datastore, recovery: bool) -> ClusterView<'a> {
    let operator = datastore.operator.as_ref();
    let (owner, database) = postgres_login(datastore);
    let backup = datastore.backup.as_ref();
    let s3 = backup.and_then(|b| b.s3());
    ClusterView {
        meta: Meta::new(platform, env, &datastore.name, "datastore"),
        cluster: network::cluster_name(datastore),
        version: &datastore.version,
        image: format!("ghcr.io/cloudnative-pg/postgresql:{}", datastore.version),
        instances: operator.map_or(1, |o| o.instances),
        database,
        owner,
        secret: datastore.secret.as_deref(),
        parameters: &datastore.settings,
        storage: Storage {
            size: &datastore.storage.text,
            class: datastore.storage_class.as_deref(),
        },
        resources: &datastore.resources,
        s3,
        retention: backup.map_or_else(String::new, |b| retention(b.keep, b.interval_seconds)),
        schedule: backup.map_or("", |b| b.schedule.as_str()),
        recovery,
        pooler: operator.and_then(|o| o.pooler.as_ref()),
        pooler_resources: fixed_resources(POOLER_RESOURCES),
        policies: if recovery {
            Vec::new()
        } else {
            policies(platform, env, datastore)
        },
        instance: super::instance(platform, env),
    }
}

/// `keep` backups `interval` apart, as the operator's time-based retention: whole days.
pub fn retention(keep: u32, interval_seconds: u64) -> String {
    let days = (u64::from(keep) * interval_seconds).div_ceil(86_400).max(1);
    format!("{days}d")
}

fn policies(platform: &Platform, env: &Environment, datastore: &Datastore) -> Vec<PolicyView> {
    let cluster_pods = network::datastore_pods(datastore, Entry::Database).unwrap_or_default();
    let pooled = datastore.operator.as_ref().is_some_and(|o| o.pooler.is_some());
    let callers = env.caller_names(&datastore.name);
    let api = || {
        let why = "the Kubernetes API: the operator's instance manager watches its cluster";
        [
            Rule::cidr("0.0.0.0/0", 443, Some(why.into())),
            Rule::cidr("0.0.0.0/0", 6443, Some(why.into())),
        ]
    };
    let mut database = Policy::default();
    let mut peers = network::helpers(datastore);
    if !pooled {
        peers.extend(callers.iter().cloned());
    }
    // Callers (without a pooler), platc's helpers, and the other instances (replication).
    database.ingress.push(Rule {
        pods: peers,
        ..Rule::selected(cluster_pods.clone(), 5432)
    });
    if let Some(pooler) = network::datastore_pods(datastore, Entry::Front).filter(|_| pooled) {
        database.ingress.push(Rule::selected(pooler, 5432));
    }
    database
        .ingress
        .push(Rule::from_namespace(OPERATOR_NAMESPACE, STATUS_PORT));
    database.egress.push(Rule::selected(cluster_pods.clone(), 5432));
    database.egress.extend(api());
    if let Some(s3) = datastore.backup.as_ref().and_then(|b| b.s3()) {
        let why = "the object store of the operator's backups and WAL archive";
        database
            .egress
            .push(Rule::cidr("0.0.0.0/0", endpoint_port(s3), Some(why.into())));
    }
    let mut meta = Meta::new(platform, env, &network::cluster_name(datastore), "datastore");
    meta.selector = cluster_pods.clone();
    let mut views = vec![PolicyView { meta, policy: database }];
    if pooled && let Some(pooler_pods) = network::datastore_pods(datastore, Entry::Front) {
        let mut policy = Policy::default();
        if !callers.is_empty() {
            policy.ingress.push(Rule::pods(callers, vec![5432]));
        }
        policy.egress.push(Rule::selected(cluster_pods, 5432));
        policy.egress.extend(api());
        let mut meta = Meta::new(platform, env, &datastore.name, "datastore");
        meta.selector = pooler_pods;
        views.push(PolicyView { meta, policy });
    }
    views
}

#[cfg(test)]
mod tests {
    #[test]
    fn retention_covers_keep_backups_in_whole_days() {
        assert_eq!(super::retention(14, 86_400), "14d");
        assert_eq!(super::retention(8, 6 * 3600), "2d");
        assert_eq!(super::retention(1, 3600), "1d");
        assert_eq!(super::retention(4, 7 * 86_400), "28d");
    }
}
