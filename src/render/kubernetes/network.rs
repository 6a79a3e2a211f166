//! `NetworkPolicy` peers: who may call a workload and whom it may call.

use serde::Serialize;

use super::{INGRESS_NAMESPACE, MONITORING_NAMESPACE};
use crate::model::{Datastore, Dependency, Environment, Labels, Service};

#[derive(Serialize, Default)]
pub struct Policy {
    pub ingress: Vec<Rule>,
    pub egress: Vec<Rule>,
}

/// One rule: pods (by name or by their own labels) or a namespace or a CIDR, on one TCP port.
#[derive(Serialize)]
pub struct Rule {
    pub pods: Vec<String>,
    /// Pods labelled by someone else (the `CloudNativePG` operator): their labels as given.
    pub selectors: Vec<Labels>,
    pub namespace: Option<&'static str>,
    pub cidr: Option<String>,
    pub port: u16,
    pub comment: Option<String>,
}

impl Rule {
    pub fn pods(pods: Vec<String>, port: u16) -> Self {
        Rule {
            pods,
            selectors: Vec::new(),
            namespace: None,
            cidr: None,
            port,
            comment: None,
        }
    }
    fn namespace(namespace: &'static str, port: u16) -> Self {
        Rule {
            pods: Vec::new(),
            selectors: Vec::new(),
            namespace: Some(namespace),
            cidr: None,
            port,
            comment: None,
        }
    }
}

pub fn service_policy(env: &Environment, service: &Service) -> Policy {
    let mut policy = Policy::default();
    if let Some(port) = service.port {
        let callers: Vec<String> = env.callers(&service.name).map(|c| c.name.clone()).collect();
        if !callers.is_empty() {
            policy.ingress.push(Rule::pods(callers, port));
        }
        if !service.routes.is_empty() {
            policy.ingress.push(Rule::namespace(INGRESS_NAMESPACE, port));
        }
    }
    if let Some(metrics) = &service.metrics {
        policy.ingress.push(Rule::namespace(MONITORING_NAMESPACE, metrics.port));
    }
    for callee in &service.uses {
        match env.dependency(callee) {
            Some(Dependency::Service(target)) => {
                if let Some(port) = target.port {
                    policy.egress.push(Rule::pods(vec![target.name.clone()], port));
                }
            }
            Some(Dependency::Datastore(store)) if store.external.is_some() => policy.egress.push(Rule {
                pods: Vec::new(),
                selectors: Vec::new(),
                namespace: None,
                cidr: Some("0.0.0.0/0".into()),
                port: store.port(),
                comment: Some(format!(
                    "{} is external: its address is not known in advance",
                    store.name
                )),
            }),
            Some(Dependency::Datastore(store)) => policy.egress.push(to_datastore(store, Entry::Front)),
            None => {}
        }
    }
    for rule in &service.egress {
        policy.egress.push(Rule {
            pods: Vec::new(),
            selectors: Vec::new(),
            namespace: None,
            cidr: Some(rule.cidr.clone()),
            port: rule.port,
            comment: None,
        });
    }
    policy
}

/// Which pods of a datastore: the ones callers reach (the pooler, where there is one) or the
/// database itself (what the exporter and the backups talk to).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    Front,
    Database,
}

/// Egress to a datastore's pods on its port: platc's own `StatefulSet` pods by name, the
/// operator's pods by the labels `CloudNativePG` gives them.
pub fn to_datastore(store: &Datastore, entry: Entry) -> Rule {
    let port = store.port();
    match datastore_pods(store, entry) {
        Some(labels) => Rule::selected(labels, port),
        None => Rule::pods(vec![store.name.clone()], port),
    }
}

/// The `CloudNativePG` labels of a datastore's pods; `None` for platc's own pods.
pub fn datastore_pods(store: &Datastore, entry: Entry) -> Option<Labels> {
    let operator = store.operator.as_ref()?;
    let labels = if entry == Entry::Front && operator.pooler.is_some() {
        [("cnpg.io/poolerName".to_string(), store.name.clone())]
    } else {
        [("cnpg.io/cluster".to_string(), cluster_name(store))]
    };
    Some(labels.into())
}

/// The `CloudNativePG` `Cluster` of datastore `<ds>`: `<ds>-db`, because a `Pooler` may not
/// share its cluster's name and the pooler is the one called `<ds>`.
pub fn cluster_name(store: &Datastore) -> String {
    format!("{}-db", store.name)
}

impl Rule {
    pub fn selected(labels: Labels, port: u16) -> Self {
        Rule {
            selectors: vec![labels],
            ..Rule::pods(Vec::new(), port)
        }
    }

    pub fn cidr(cidr: &str, port: u16, comment: &str) -> Self {
        Rule {
            cidr: Some(cidr.to_string()),
            comment: Some(comment.to_string()),
            ..Rule::pods(Vec::new(), port)
        }
    }

    pub fn from_namespace(namespace: &'static str, port: u16) -> Self {
        Rule::namespace(namespace, port)
    }
}

/// A datastore admits exactly the services that use it, on its port, and the pods platc runs
/// beside it: its exporter and its backup and restore jobs.
pub fn datastore_policy(env: &Environment, store: &Datastore) -> Policy {
    let mut peers: Vec<String> = if datastore_pods(store, Entry::Front) == datastore_pods(store, Entry::Database) {
        env.callers(&store.name).map(|c| c.name.clone()).collect()
    } else {
        Vec::new()
    };
    peers.extend(helpers(store));
    let ingress = if peers.is_empty() {
        Vec::new()
    } else {
        vec![Rule::pods(peers, store.port())]
    };
    Policy {
        ingress,
        egress: Vec::new(),
    }
}

/// `<ds>-exporter`, `<ds>-backup`, `<ds>-restore`: the pods platc runs that reach the database.
pub fn helpers(store: &Datastore) -> Vec<String> {
    let mut names = Vec::new();
    if store.exporter {
        names.push(format!("{}-exporter", store.name));
    }
    if store.backup.is_some() {
        names.push(format!("{}-backup", store.name));
        names.push(format!("{}-restore", store.name));
    }
    names
}
