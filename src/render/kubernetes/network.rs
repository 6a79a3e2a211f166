//! `NetworkPolicy` peers: who may call a workload and whom it may call.

use serde::Serialize;

use super::{INGRESS_NAMESPACE, MONITORING_NAMESPACE};
use crate::model::{Dependency, Environment, Service};

#[derive(Serialize, Default)]
pub struct Policy {
    pub ingress: Vec<Rule>,
    pub egress: Vec<Rule>,
}

/// One rule: pods (by name) or a namespace or a CIDR, on one TCP port.
#[derive(Serialize)]
pub struct Rule {
    pub pods: Vec<String>,
    pub namespace: Option<&'static str>,
    pub cidr: Option<String>,
    pub port: u16,
    pub comment: Option<String>,
}

impl Rule {
    fn pods(pods: Vec<String>, port: u16) -> Self {
        Rule {
            pods,
            namespace: None,
            cidr: None,
            port,
            comment: None,
        }
    }
    fn namespace(namespace: &'static str, port: u16) -> Self {
        Rule {
            pods: Vec::new(),
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
                namespace: None,
                cidr: Some("0.0.0.0/0".into()),
                port: store.port(),
                comment: Some(format!(
                    "{} is external: its address is not known in advance",
                    store.name
                )),
            }),
            Some(Dependency::Datastore(store)) => {
                policy.egress.push(Rule::pods(vec![store.name.clone()], store.port()));
            }
            None => {}
        }
    }
    for rule in &service.egress {
        policy.egress.push(Rule {
            pods: Vec::new(),
            namespace: None,
            cidr: Some(rule.cidr.clone()),
            port: rule.port,
            comment: None,
        });
    }
    policy
}

/// A datastore admits exactly the services that use it, on its port.
pub fn datastore_policy(env: &Environment, name: &str, port: u16) -> Policy {
    let callers: Vec<String> = env.callers(name).map(|c| c.name.clone()).collect();
    let ingress = if callers.is_empty() {
        Vec::new()
    } else {
        vec![Rule::pods(callers, port)]
    };
    Policy {
        ingress,
        egress: Vec::new(),
    }
}
