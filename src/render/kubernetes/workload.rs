//! The view of one service: `ServiceAccount`, Deployment (or Argo Rollouts `Rollout`), Service,
//! HPA, PDB, `NetworkPolicy`, and a rollout's extra Services and `AnalysisTemplate`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::network::{self, Policy};
use super::{Meta, SECRETS_DIR};
use crate::model::workload::{Migrate, NamedPort};
use crate::model::{
    Disruption, Environment, Labels, Platform, Resources, Scaling, Select, Service, Spread, Toleration,
};

#[derive(Serialize)]
pub struct ServiceView<'a> {
    meta: Meta,
    service: ServiceFields<'a>,
    /// Written whole (`"labels": {{ pod_labels }}`): never empty, it holds the selector.
    #[serde(serialize_with = "crate::render::templates::json_text")]
    pod_labels: Labels,
    pod_annotations: Labels,
    /// Topology keys to spread replicas over (none for a single replica or `spread = "none"`).
    spread: Vec<&'static str>,
    /// Config files: the `ConfigMap` and where each key is mounted.
    files: Option<super::files::FilesView>,
    env: Vec<(String, String)>,
    /// (variable, Secret, key): secrets as `valueFrom.secretKeyRef` (the default).
    secret_env: Vec<(String, String, String)>,
    /// Secrets as files (`secret_files = true`): one projected volume.
    secret_sources: Vec<SecretSource>,
    volumes: Vec<Volume>,
    metrics_port: Option<u16>,
    /// Operator mode: the Service exposes the metrics port too, for the `ServiceMonitor`.
    service_metrics_port: Option<u16>,
    probes: Vec<(&'static str, Probe, Timing)>,
    hpa: Option<Hpa>,
    pdb: (&'static str, serde_json::Value),
    policy: Policy,
    instance: String,
    /// Progressive delivery: the `Rollout` replaces the Deployment (same pod template).
    rollout: Option<super::rollout::RolloutView>,
    /// `<svc>`, and a rollout's `<svc>-canary` or `<svc>-preview` (same selector and ports).
    services: Vec<Meta>,
}

/// The fields of the service that the template reads itself (`s.image`,
/// `service.resources`); the rest reaches it worked out in the view's own fields (`env`,
/// `probes`, `policy`…), so that minijinja converts only these for every service.
#[derive(Serialize)]
struct ServiceFields<'a> {
    image: &'a str,
    port: Option<u16>,
    service_port: Option<u16>,
    ports: &'a [NamedPort],
    termination_grace_seconds: u64,
    service_account_annotations: &'a Labels,
    image_pull_secrets: &'a [String],
    replicas: u32,
    run_as_user: u32,
    node_selector: &'a Labels,
    tolerations: &'a [Toleration],
    migrate: Option<&'a Migrate>,
    command: Option<&'a [String]>,
    args: Option<&'a [String]>,
    resources: &'a Resources,
}

impl<'a> ServiceFields<'a> {
    fn of(service: &'a Service) -> Self {
        ServiceFields {
            image: &service.image,
            port: service.port,
            service_port: service.service_port,
            ports: &service.ports,
            termination_grace_seconds: service.termination_grace_seconds,
            service_account_annotations: &service.service_account_annotations,
            image_pull_secrets: &service.image_pull_secrets,
            replicas: service.replicas,
            run_as_user: service.run_as_user,
            node_selector: &service.node_selector,
            tolerations: &service.tolerations,
            migrate: service.migrate.as_ref(),
            command: service.command.as_deref(),
            args: service.args.as_deref(),
            resources: &service.resources,
        }
    }
}

#[derive(Serialize)]
pub(crate) struct SecretSource {
    pub secret: String,
    /// (key in the Secret, file name under the secrets directory)
    pub items: Vec<(String, String)>,
}

#[derive(Serialize)]
pub(crate) struct Volume {
    pub name: String,
    pub path: String,
}

#[derive(Serialize)]
pub(crate) struct Probe {
    pub http: Option<String>,
    pub exec: Option<Vec<String>>,
    pub tcp: bool,
    pub period: u64,
    pub failures: u32,
}

/// Service probes only: the spec's optional timeout and initial delay, in seconds.
#[derive(Serialize)]
pub(crate) struct Timing {
    pub timeout: Option<u64>,
    pub initial_delay: Option<u64>,
}

#[derive(Serialize)]
struct Hpa {
    min: u32,
    max: u32,
    resources: Vec<(&'static str, u32)>,
    rps: Option<String>,
    behavior: Vec<(&'static str, Behavior)>,
}

#[derive(Serialize)]
struct Behavior {
    window: Option<u64>,
    select: Option<&'static str>,
    policies: Vec<(&'static str, u32, u64)>,
}

pub fn view<'a>(platform: &Platform, env: &Environment, service: &'a Service) -> ServiceView<'a> {
    let meta = Meta::new(platform, env, &service.name, "service");
    let mut pod_labels = service.labels.clone();
    pod_labels.extend(meta.labels.clone());
    let mut pod_annotations = service.annotations.clone();
    if let Some(metrics) = &service.metrics {
        pod_annotations.insert("prometheus.io/scrape".into(), "true".into());
        pod_annotations.insert("prometheus.io/port".into(), metrics.port.to_string());
        pod_annotations.insert("prometheus.io/path".into(), metrics.path.clone());
    }
    let files = super::files::view(&service.name, &service.files);
    if let Some(files) = &files {
        pod_annotations.insert("platc.dev/config-hash".into(), files.hash.clone());
    }
    ServiceView {
        spread: spread(service),
        files,
        env: environment(service),
        secret_env: secret_env(service),
        secret_sources: secret_sources(service),
        volumes: volumes(&service.writable),
        metrics_port: separate_metrics_port(service),
        service_metrics_port: separate_metrics_port(service).filter(|_| platform.prometheus_operator),
        probes: probes(service),
        hpa: hpa(service),
        pdb: pdb(service),
        policy: network::service_policy(env, service),
        instance: super::instance(platform, env),
        rollout: super::rollout::view(platform, env, service),
        services: super::rollout::services(platform, env, service),
        meta,
        service: ServiceFields::of(service),
        pod_labels,
        pod_annotations,
    }
}

fn spread(service: &Service) -> Vec<&'static str> {
    if service.max_replicas() < 2 {
        return Vec::new();
    }
    match service.spread {
        Spread::None => Vec::new(),
        Spread::Node => vec!["kubernetes.io/hostname"],
        Spread::Zone => vec!["kubernetes.io/hostname", "topology.kubernetes.io/zone"],
    }
}

/// The metrics port when it is not the HTTP port.
fn separate_metrics_port(service: &Service) -> Option<u16> {
    service
        .metrics
        .as_ref()
        .map(|m| m.port)
        .filter(|p| Some(*p) != service.port)
}

/// Plain variables, then, with `secret_files`, one `<NAME>_FILE` per secret.
fn environment(service: &Service) -> Vec<(String, String)> {
    let plain = service.env.iter().map(|(k, v)| (k.clone(), v.clone()));
    let files = service
        .secrets
        .keys()
        .filter(|_| service.secret_files)
        .map(|name| (format!("{name}_FILE"), format!("{SECRETS_DIR}/{name}")));
    plain.chain(files).collect()
}

/// Without `secret_files`, every secret is a variable that references its Secret's key.
fn secret_env(service: &Service) -> Vec<(String, String, String)> {
    if service.secret_files {
        return Vec::new();
    }
    service
        .secrets
        .iter()
        .map(|(name, reference)| (name.clone(), reference.name.clone(), reference.key.clone()))
        .collect()
}

fn secret_sources(service: &Service) -> Vec<SecretSource> {
    if !service.secret_files {
        return Vec::new();
    }
    let mut by_secret: BTreeMap<&str, Vec<(String, String)>> = BTreeMap::new();
    for (variable, reference) in &service.secrets {
        by_secret
            .entry(&reference.name)
            .or_default()
            .push((reference.key.clone(), variable.clone()));
    }
    by_secret
        .into_iter()
        .map(|(secret, items)| SecretSource {
            secret: secret.to_string(),
            items,
        })
        .collect()
}

/// One emptyDir per writable path, named after the path.
pub(crate) fn volumes(paths: &[String]) -> Vec<Volume> {
    let mut used: Vec<String> = Vec::new();
    paths
        .iter()
        .map(|path| {
            let slug: String = path
                .to_ascii_lowercase()
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            let slug = slug.split('-').filter(|s| !s.is_empty()).collect::<Vec<_>>().join("-");
            let base: String = format!("w-{slug}")
                .chars()
                .take(50)
                .collect::<String>()
                .trim_end_matches('-')
                .to_string();
            let mut name = base.clone();
            let mut n = 2;
            while used.contains(&name) {
                name = format!("{base}-{n}");
                n += 1;
            }
            used.push(name.clone());
            Volume {
                name,
                path: path.clone(),
            }
        })
        .collect()
}

/// HTTP paths where given; otherwise the exec command; liveness falls back to a TCP check
/// on the HTTP port so every container has one (checkov `CKV_K8S_8`).
fn probes(service: &Service) -> Vec<(&'static str, Probe, Timing)> {
    let p = &service.probes;
    let make = |path: &Option<String>, period: u64, failures: u32| -> Option<Probe> {
        let http = path.clone().filter(|_| service.port.is_some());
        let exec = p.command.clone().filter(|_| http.is_none());
        let tcp = http.is_none() && exec.is_none() && service.port.is_some();
        (http.is_some() || exec.is_some() || tcp).then_some(Probe {
            http,
            exec,
            tcp,
            period: p.period.unwrap_or(period),
            failures: p.failures.unwrap_or(failures),
        })
    };
    let mut probes = Vec::new();
    if p.startup.is_some()
        && let Some(probe) = make(&p.startup, 5, 30)
    {
        probes.push(("startupProbe", probe));
    }
    if let Some(probe) = make(&p.liveness, 10, 3) {
        probes.push(("livenessProbe", probe));
    }
    if let Some(probe) = make(&p.readiness.clone().or_else(|| p.liveness.clone()), 5, 3)
        && (p.readiness.is_some() || p.command.is_some() || p.liveness.is_some())
    {
        probes.push(("readinessProbe", probe));
    }
    let timing = || Timing {
        timeout: p.timeout,
        initial_delay: p.initial_delay,
    };
    probes
        .into_iter()
        .map(|(kind, probe)| (kind, probe, timing()))
        .collect()
}

fn hpa(service: &Service) -> Option<Hpa> {
    let a = service.autoscale.as_ref()?;
    let resources = [("cpu", a.cpu), ("memory", a.memory)]
        .into_iter()
        .filter_map(|(k, v)| Some((k, v?)))
        .collect();
    let behavior = [("scaleUp", &a.scale_up), ("scaleDown", &a.scale_down)]
        .into_iter()
        .filter_map(|(k, v)| Some((k, behavior(v.as_ref()?))))
        .collect();
    Some(Hpa {
        min: a.min,
        max: a.max,
        resources,
        rps: a.rps.map(trim_number),
        behavior,
    })
}

fn behavior(scaling: &Scaling) -> Behavior {
    let mut policies = Vec::new();
    if let Some(percent) = scaling.percent {
        policies.push(("Percent", percent, scaling.period_seconds));
    }
    if let Some(pods) = scaling.pods {
        policies.push(("Pods", pods, scaling.period_seconds));
    }
    Behavior {
        window: scaling.window_seconds,
        select: scaling.select.map(|select| match select {
            Select::Max => "Max",
            Select::Min => "Min",
            Select::Disabled => "Disabled",
        }),
        policies,
    }
}

fn pdb(service: &Service) -> (&'static str, serde_json::Value) {
    let (field, amount) = match service.disruption.as_ref() {
        Some(Disruption::MinAvailable(amount)) => ("minAvailable", *amount),
        Some(Disruption::MaxUnavailable(amount)) => ("maxUnavailable", *amount),
        None => ("maxUnavailable", crate::model::IntOrPercent::Int(1)),
    };
    (field, serde_json::to_value(amount).unwrap_or_default())
}

/// `100.0` → `"100"`, `2.5` → `"2500m"`: a Kubernetes quantity for an rps target.
fn trim_number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{:.0}m", value * 1000.0)
    }
}
