//! `NetworkPolicy` peers: who may call a workload and whom it may call.

use serde::Serialize;

use super::MONITORING_NAMESPACE;
use crate::model::{Dependency, EgressRule, Environment, Labels, Service};

#[derive(Serialize, Default)]
pub struct Policy {
    pub ingress: Vec<Rule>,
    pub egress: Vec<Rule>,
}

/// One rule: pods (by name), or pods in a namespace (by labels, none: all), or a CIDR; on
/// some TCP ports.
#[derive(Serialize)]
pub struct Rule {
    pub pods: Vec<String>,
    pub namespace: Option<String>,
    pub namespace_pods: Labels,
    pub cidr: Option<String>,
    pub ports: Vec<u16>,
    pub comment: Option<String>,
}

impl Rule {
    fn pods(pods: Vec<String>, ports: Vec<u16>) -> Self {
        Rule {
            pods,
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
            namespace: Some(namespace.to_string()),
            namespace_pods: pods,
            cidr: None,
            ports: vec![port],
            comment: None,
        }
    }
    fn cidr(cidr: String, port: u16, comment: Option<String>) -> Self {
        Rule {
            pods: Vec::new(),
            namespace: None,
            namespace_pods: Labels::new(),
            cidr: Some(cidr),
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
                "0.0.0.0/0".into(),
                store.port(),
                Some(format!(
                    "{} is external: its address is not known in advance",
                    store.name
                )),
            )),
            Some(Dependency::Datastore(store)) => {
                egress.push(Rule::pods(vec![store.name.clone()], vec![store.port()]));
            }
            None => {}
        }
    }
    for rule in rules {
        egress.push(Rule::cidr(rule.cidr.clone(), rule.port, None));
    }
    egress
}

/// A datastore admits exactly the workloads that use it, on its port.
pub fn datastore_policy(env: &Environment, name: &str, port: u16) -> Policy {
    let callers = env.caller_names(name);
    let ingress = if callers.is_empty() {
        Vec::new()
    } else {
        vec![Rule::pods(callers, vec![port])]
    };
    Policy {
        ingress,
        egress: Vec::new(),
    }
}
