//! `depends_on` from `uses`. Compose rejects a dependency cycle, while the spec allows two
//! services to use each other, so edges that close a cycle are dropped: a depth-first walk
//! over the services in model order (by name) drops every edge back onto its own path.
//! Deterministic, and the header names each dropped edge.

use std::collections::BTreeMap;

use crate::model::{Dependency, Environment, Service};

pub const STARTED: &str = "service_started";
pub const HEALTHY: &str = "service_healthy";
pub const COMPLETED: &str = "service_completed_successfully";

/// `(caller, callee)` service edges that are left out of `depends_on`.
pub fn dropped_edges(env: &Environment) -> Vec<(String, String)> {
    let mut state: BTreeMap<&str, Visit> = BTreeMap::new();
    let mut dropped = Vec::new();
    for service in &env.services {
        visit(env, service, &mut state, &mut dropped);
    }
    dropped
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Visit {
    OnPath,
    Done,
}

fn visit<'a>(
    env: &'a Environment,
    service: &'a Service,
    state: &mut BTreeMap<&'a str, Visit>,
    dropped: &mut Vec<(String, String)>,
) {
    if state.contains_key(service.name.as_str()) {
        return;
    }
    state.insert(&service.name, Visit::OnPath);
    for callee in &service.uses {
        let Some(Dependency::Service(next)) = env.dependency(callee) else {
            continue;
        };
        match state.get(next.name.as_str()) {
            Some(Visit::OnPath) => dropped.push((service.name.clone(), next.name.clone())),
            Some(Visit::Done) => {}
            None => visit(env, next, state, dropped),
        }
    }
    state.insert(&service.name, Visit::Done);
}

/// What `service` waits for: its migration, then each in-stack dependency it uses.
pub fn depends_on(env: &Environment, service: &Service, dropped: &[(String, String)]) -> Vec<(String, &'static str)> {
    let mut waits = Vec::new();
    if service.migrate.is_some() {
        waits.push((migrate_name(service), COMPLETED));
    }
    for callee in &service.uses {
        let is_dropped = dropped.iter().any(|(a, b)| *a == service.name && b == callee);
        match env.dependency(callee) {
            Some(Dependency::Datastore(d)) if d.external.is_none() => waits.push((d.name.clone(), HEALTHY)),
            Some(Dependency::Service(s)) if !is_dropped => waits.push((s.name.clone(), condition(s))),
            _ => {}
        }
    }
    // `uses` may name one dependency twice; a mapping key may appear once.
    let mut seen = std::collections::BTreeSet::new();
    waits.retain(|(name, _)| seen.insert(name.clone()));
    waits
}

/// The one-shot migration waits only for the datastores (migrations touch data; waiting for
/// other services could form a cycle).
pub fn migrate_depends_on(env: &Environment, service: &Service) -> Vec<(String, &'static str)> {
    service
        .uses
        .iter()
        .filter_map(|callee| match env.dependency(callee) {
            Some(Dependency::Datastore(d)) if d.external.is_none() => Some((d.name.clone(), HEALTHY)),
            _ => None,
        })
        .collect()
}

/// Healthy when the service has a healthcheck (`probes.command`), else started.
pub fn condition(service: &Service) -> &'static str {
    if service.probes.command.is_some() {
        HEALTHY
    } else {
        STARTED
    }
}

pub fn migrate_name(service: &Service) -> String {
    format!("{}-migrate", service.name)
}
