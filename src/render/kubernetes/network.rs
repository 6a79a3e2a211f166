//! `NetworkPolicy` peers: who may call a workload and whom it may call.

use serde::Serialize;

use super::MONITORING_NAMESPACE;
use crate::model::{Datastore, Dependency, EgressRule, Environment, Labels, Service};

#[derive(Serialize, Default)]
pub struct Policy {
    pub ingress: Vec<Rule>,
    pub egress: Vec<Rule>,
}

/// One rule: pods (by name, or by labels someone else gave them: the `CloudNativePG`
/// operator's), or pods in a namespace (by labels, none: all), or a CIDR; on some TCP ports.
#[derive(Serialize)]
pub struct Rule {
    pub pods: Vec<String>,
    /// Pods labelled by someone else (the `CloudNativePG` operator): their labels as given.
    pub selectors: Vec<Labels>,
    pub namespace: Option<String>,
    pub namespace_pods: Labels,
    pub cidr: Option<String>,
    pub ports: Vec<u16>,
    pub comment: Option<String>,
}

impl Rule {
    pub fn pods(pods: Vec<String>, ports: Vec<u16>) -> Self {
        Rule {
            pods,
            selectors: Vec::new(),
            namespace: None,
            namespace_pods: Labels::new(),
            cidr: None,
            ports,
            comment: None,
        }
    }
    fn namespace(namespace: &str, pods: Labels, port: u16) -> Self {
        Rule {
            pods: Vec::new(),
            selectors: Vec::new(),
            namespace: Some(namespace.to_string()),
            namespace_pods: pods,
            cidr: None,
            ports: vec![port],
            comment: None,
        }
    }
    pub fn cidr(cidr: impl Into<String>, port: u16, comment: Option<String>) -> Self {
        Rule {
            pods: Vec::new(),
            selectors: Vec::new(),
            namespace: None,
            namespace_pods: Labels::new(),
            cidr: Some(cidr.into()),
            ports: vec![port],
            comment,
        }
    }
}

/// The container ports callers reach: the HTTP port and every extra named port.
fn served_ports(service: &Service) -> Vec<u16> {
    service
        .port
        .into_iter()
        .chain(service.ports.iter().map(|p| p.port))
        .collect()
}

pub fn service_policy(env: &Environment, service: &Service) -> Policy {
    let mut policy = Policy::default();
    let ports = served_ports(service);
    let callers = env.caller_names(&service.name);
    if !callers.is_empty() && !ports.is_empty() {
        policy.ingress.push(Rule::pods(callers, ports));
    }
    if let (Some(port), Some(ingress)) = (service.port, env.ingress.as_ref())
        && !service.routes.is_empty()
    {
        let controller = Rule::namespace(&ingress.controller_namespace, ingress.controller_labels.clone(), port);
        policy.ingress.push(controller);
    }
    if let Some(metrics) = &service.metrics {
        policy
            .ingress
            .push(Rule::namespace(MONITORING_NAMESPACE, Labels::new(), metrics.port));
    }
    policy.egress = egress(env, &service.uses, &service.egress);
    policy
}

/// What a workload may reach: each of its `uses` on the ports it serves, then `egress`.
pub fn egress(env: &Environment, uses: &[String], rules: &[EgressRule]) -> Vec<Rule> {
    let mut egress = Vec::new();
    for callee in uses {
        match env.dependency(callee) {
            Some(Dependency::Service(target)) => {
                let ports = served_ports(target);
                if !ports.is_empty() {
                    egress.push(Rule::pods(vec![target.name.clone()], ports));
                }
            }
            Some(Dependency::Datastore(store)) if store.external.is_some() => egress.push(Rule::cidr(
                "0.0.0.0/0",
                store.port(),
                Some(format!(
                    "{} is external: its address is not known in advance",
                    store.name
                )),
            )),
            Some(Dependency::Datastore(store)) => egress.push(to_datastore(store, Entry::Front)),
            None => {}
        }
    }
    for rule in rules {
        egress.push(Rule::cidr(rule.cidr.clone(), rule.port, None));
    }
    egress
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
        None => Rule::pods(vec![store.name.clone()], vec![port]),
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
            ..Rule::pods(Vec::new(), vec![port])
        }
    }

    /// Every pod of a namespace on one port.
    pub fn from_namespace(namespace: &str, port: u16) -> Self {
        Rule::namespace(namespace, Labels::new(), port)
    }
}

/// A datastore admits exactly the workloads that use it, on its port, and the pods platc runs
/// beside it: its exporter and its backup and restore jobs.
pub fn datastore_policy(env: &Environment, store: &Datastore) -> Policy {
    let mut peers: Vec<String> = if datastore_pods(store, Entry::Front) == datastore_pods(store, Entry::Database) {
        env.caller_names(&store.name)
    } else {
        Vec::new()
    };
    peers.extend(helpers(store));
    let ingress = if peers.is_empty() {
        Vec::new()
    } else {
        vec![Rule::pods(peers, vec![store.port()])]
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
