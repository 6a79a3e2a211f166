//! The constant series: the only rules written once per workload or per SLO. Every other
//! rule is written once per environment and joins these for what differs per service.
//!
//! - `workload:info{namespace, service, kind, scraped, severity} = 1` for every service
//!   (`kind="service"`) and in-cluster datastore (`kind="datastore"`): `scraped` says whether
//!   Prometheus scrapes it, `severity` is what its paging alerts carry (`critical`, or
//!   `warning` where paging is off).
//! - per SLO, labelled `namespace`, `service`, `slo`: `slo:objective:ratio` (0.999),
//!   `slo:error_budget:ratio` (0.001) and `slo:info = 1`, whose labels hold the objective as
//!   written, the window, and for latency SLOs the threshold and its histogram bucket (`le`).

use crate::model::{Environment, Labels};
use crate::render::promql::{Decimal, duration};

use super::slo::objectives;
use super::{Rule, page};

/// Every constant series of an environment: workloads first, then SLOs.
pub(super) fn rules(env: &Environment) -> Vec<Rule> {
    let mut out = workloads(env);
    for service in &env.services {
        for o in objectives(service) {
            let labels = o.identity(env);
            let objective_ratio = Decimal::from_f64(o.objective).percent_to_ratio();
            out.push(Rule::record(
                "slo:objective:ratio",
                format!("vector({objective_ratio})"),
                labels.clone(),
            ));
            out.push(Rule::record(
                "slo:error_budget:ratio",
                format!("vector({})", o.budget()),
                labels.clone(),
            ));
            let mut info = labels;
            info.insert("objective".into(), o.objective_text());
            info.insert("window".into(), duration(o.window));
            info.insert("sli".into(), o.kind.into());
            if let Some(threshold) = o.threshold {
                info.insert("threshold".into(), threshold.text());
                info.insert("le".into(), Decimal::seconds(threshold).to_string());
            }
            out.push(Rule::record("slo:info", "vector(1)".into(), info));
        }
    }
    out
}

fn workloads(env: &Environment) -> Vec<Rule> {
    let services = env
        .services
        .iter()
        .map(|s| (s.name.as_str(), "service", s.metrics.is_some(), s.paging));
    let datastores = env
        .datastores
        .iter()
        .filter(|d| d.external.is_none())
        .map(|d| (d.name.as_str(), "datastore", false, env.paging));
    services
        .chain(datastores)
        .map(|(name, kind, scraped, paging)| {
            let labels: Labels = [
                ("namespace", env.namespace.as_str()),
                ("service", name),
                ("kind", kind),
                ("scraped", if scraped { "true" } else { "false" }),
                ("severity", page(paging)),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
            Rule::record("workload:info", "vector(1)".into(), labels)
        })
        .collect()
}
