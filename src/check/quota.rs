//! E0070: an environment's quota must hold the platform at full scale — every service at its
//! maximum replicas plus one surge pod (rolling updates add one), plus every in-cluster
//! datastore, plus one running pod of every job. A rollout that runs the new version beside
//! the old one at full size counts twice: blue-green, and a canary split at the ingress (Argo
//! Rollouts scales the canary to 100% before it scales the stable version down). The message
//! names the biggest consumers.

use super::Context;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::build::resources;
use crate::model::operations;
use crate::resolve::{DatastoreView, EnvView, ServiceView};
use crate::spec::{RawQuota, Spanned, Strategy, Target, values};

struct Consumer {
    name: String,
    pods: u32,
    /// requests cpu, requests memory, limits cpu, limits memory — per pod.
    per_pod: [f64; 4],
    pvcs: u32,
}

#[derive(Clone, Copy)]
enum Unit {
    Cores,
    Bytes,
}

pub fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for env in cx.envs {
        let Some(quota) = &env.settings.quota else { continue };
        let kubernetes = env
            .settings
            .targets
            .as_ref()
            .is_none_or(|t| t.value.iter().any(|t| t.value == Target::Kubernetes));
        if kubernetes {
            check_env(env, &quota.value, out);
        }
    }
}

fn check_env(env: &EnvView, quota: &RawQuota, out: &mut Diagnostics) {
    let consumers: Vec<Consumer> = env
        .services
        .iter()
        .filter_map(|s| service(env, s))
        .chain(env.jobs.iter().filter_map(|job| {
            let r = resources(job.raw.resources.as_ref()).ok()?;
            Some(Consumer {
                name: job.name.clone(),
                pods: 1,
                per_pod: [r.cpu.value, r.memory.value, r.cpu_limit.value, r.memory_limit.value],
                pvcs: 0,
            })
        }))
        .chain(
            env.datastores
                .iter()
                .filter(|d| d.raw.external.is_none())
                .flat_map(|d| datastore(env, d)),
        )
        .collect();
    let quantities = [
        (&quota.requests_cpu, "requests_cpu", 0, Unit::Cores),
        (&quota.requests_memory, "requests_memory", 1, Unit::Bytes),
        (&quota.limits_cpu, "limits_cpu", 2, Unit::Cores),
        (&quota.limits_memory, "limits_memory", 3, Unit::Bytes),
    ];
    for (limit, field, index, unit) in quantities {
        let Some(limit) = limit else { continue };
        let Ok(allowed) = values::quantity(&limit.value) else {
            continue;
        };
        let need = |c: &Consumer| f64::from(c.pods) * c.per_pod[index];
        let total: f64 = consumers.iter().map(need).sum();
        if total > allowed.value * (1.0 + 1e-9) {
            let detail = |c: &Consumer| {
                format!(
                    "{} {} ({} × {})",
                    c.name,
                    show(need(c), unit),
                    pods(c.pods),
                    show(c.per_pod[index], unit)
                )
            };
            report(
                env,
                limit.span.clone(),
                field,
                &limit.value,
                &show(total, unit),
                biggest(&consumers, need, detail),
                out,
            );
        }
    }
    let counts = [
        (&quota.pods, "pods", consumers.iter().map(|c| c.pods).sum::<u32>()),
        (&quota.pvcs, "pvcs", consumers.iter().map(|c| c.pvcs).sum()),
    ];
    for (limit, field, total) in counts {
        let Some(limit) = limit else { continue };
        if i64::from(total) > limit.value {
            let detail = |c: &Consumer| format!("{} {}", c.name, if field == "pods" { c.pods } else { c.pvcs });
            let need = |c: &Consumer| f64::from(if field == "pods" { c.pods } else { c.pvcs });
            report(
                env,
                limit.span.clone(),
                field,
                &limit.value.to_string(),
                &total.to_string(),
                biggest(&consumers, need, detail),
                out,
            );
        }
    }
}

fn service(env: &EnvView, view: &ServiceView) -> Option<Consumer> {
    let raw = &view.raw;
    let autoscale_max = raw
        .autoscale
        .as_ref()
        .and_then(|a| a.value.max.as_ref().or(a.value.min.as_ref()));
    let max = autoscale_max
        .or(raw.replicas.as_ref())
        .map_or(1, |m: &Spanned<i64>| m.value.max(0));
    let r = resources(raw.resources.as_ref()).ok()?;
    let pods = if runs_twice(env, view) {
        max.checked_mul(2)?
    } else {
        max + 1
    };
    Some(Consumer {
        name: view.name.clone(),
        pods: u32::try_from(pods).ok()?,
        per_pod: [r.cpu.value, r.memory.value, r.cpu_limit.value, r.memory_limit.value],
        pvcs: 0,
    })
}

/// The datastore's pods (one, or one per operator instance) and claims, and what platc runs
/// beside it: the exporter, the backup job (and its claim), the pooler.
fn datastore(env: &EnvView, view: &DatastoreView) -> Vec<Consumer> {
    let raw = &view.raw;
    let Ok(r) = resources(raw.resources.as_ref()) else {
        return Vec::new();
    };
    let instances = raw.operator.as_ref().map_or(1, |_| {
        raw.instances
            .as_ref()
            .map_or(1, |i| u32::try_from(i.value).unwrap_or(1))
    });
    let mut out = vec![Consumer {
        name: view.name.clone(),
        pods: instances,
        per_pod: [r.cpu.value, r.memory.value, r.cpu_limit.value, r.memory_limit.value],
        pvcs: instances,
    }];
    let extra = |suffix: &str, pods: u32, fixed: [&str; 4], pvcs: u32| {
        let r = operations::fixed_resources(fixed);
        Consumer {
            name: format!("{}-{suffix}", view.name),
            pods,
            per_pod: [r.cpu.value, r.memory.value, r.cpu_limit.value, r.memory_limit.value],
            pvcs,
        }
    };
    let monitored = env.settings.monitoring.as_ref().is_none_or(|m| m.value);
    if raw.exporter.as_ref().map_or(monitored, |e| e.value) {
        out.push(extra("exporter", 1, operations::EXPORTER_RESOURCES, 0));
    }
    if let Some(backup) = &raw.backup {
        let volume = backup.value.to.as_ref().is_some_and(|t| t.value == "volume");
        let operated_s3 = raw.operator.is_some() && !volume;
        if !operated_s3 {
            out.push(extra("backup", 1, operations::BACKUP_RESOURCES, u32::from(volume)));
        }
    }
    if let (Some(_), Some(pooler)) = (&raw.operator, &raw.pooler) {
        let pods = pooler
            .value
            .instances
            .as_ref()
            .map_or(2, |i| u32::try_from(i.value).unwrap_or(1));
        out.push(extra("pooler", pods, operations::POOLER_RESOURCES, 0));
    }
    out
}

/// Whether the service's rollout runs two full-size versions side by side.
fn runs_twice(env: &EnvView, view: &ServiceView) -> bool {
    let Some(strategy) = view.raw.rollout.as_ref().and_then(|r| r.value.strategy.as_ref()) else {
        return false;
    };
    let routed = view.raw.routes.as_ref().is_some_and(|r| !r.is_empty());
    let nginx = env
        .ingress
        .as_ref()
        .is_some_and(|i| i.class.as_ref().is_none_or(|c| c.value == "nginx") && i.host.is_some());
    strategy.value == Strategy::BlueGreen || (routed && nginx)
}

fn biggest(consumers: &[Consumer], need: impl Fn(&Consumer) -> f64, detail: impl Fn(&Consumer) -> String) -> String {
    let mut ranked: Vec<&Consumer> = consumers.iter().filter(|c| need(c) > 0.0).collect();
    ranked.sort_by(|a, b| need(b).total_cmp(&need(a)).then_with(|| a.name.cmp(&b.name)));
    let top: Vec<String> = ranked.iter().take(3).map(|c| detail(c)).collect();
    top.join(", ")
}

fn report(
    env: &EnvView,
    span: crate::spec::Span,
    field: &str,
    allowed: &str,
    needed: &str,
    consumers: String,
    out: &mut Diagnostics,
) {
    out.push(
        Diagnostic::new(
            Code::E0070,
            span,
            format!(
                "quota {field} = {allowed} cannot hold environment `{}` at full scale, which needs {needed}",
                env.name
            ),
        )
        .with_help(format!(
            "biggest consumers: {consumers}; raise the quota or lower their maximum replicas or resources"
        )),
    );
}

fn show(value: f64, unit: Unit) -> String {
    let trim = |x: f64| {
        let text = format!("{x:.2}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    match unit {
        Unit::Cores if value < 1.0 => format!("{}m", (value * 1000.0).round()),
        Unit::Cores => trim(value),
        Unit::Bytes if value >= 1_073_741_824.0 => format!("{}Gi", trim(value / 1_073_741_824.0)),
        Unit::Bytes => format!("{}Mi", trim(value / 1_048_576.0)),
    }
}

fn pods(count: u32) -> String {
    if count == 1 {
        "1 pod".to_string()
    } else {
        format!("{count} pods")
    }
}
