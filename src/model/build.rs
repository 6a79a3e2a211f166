//! Lowering: resolved, checked views → the validated model, with every default applied.
//!
//! Runs only after the checks found no error, so a value that fails to parse here is a
//! compiler bug (the check that should have caught it is missing), reported as such.

use std::collections::BTreeMap;

use super::{
    AlertThresholds, Autoscale, CustomAlert, Datastore, Disruption, Engine, Environment, ExternalAddress, Ingress,
    IntOrPercent, Labels, LatencySlo, MetricConventions, MetricsEndpoint, Platform, Probes, Quota, Resources, Rollout,
    RolloutStrategy, Scaling, Service, Slo,
};
use crate::resolve::{DatastoreView, EnvView, ServiceView};
use crate::spec::values::{self, Quantity};
use crate::spec::{
    IntOrText, RawMetrics, RawResources, RawRollout, RawScaling, RawSlo, RawSpec, Scalar, Spanned, Spread, Strategy,
    Target,
};

/// A value the checks should have rejected reached the model builder.
#[derive(Debug)]
pub struct BuildError(pub String);

type Result<T> = std::result::Result<T, BuildError>;

pub(crate) fn must<T>(result: std::result::Result<T, String>) -> Result<T> {
    result.map_err(|message| BuildError(format!("unchecked value reached the model: {message}")))
}

const DEFAULT_RESOURCES: [&str; 4] = ["100m", "128Mi", "500m", "512Mi"];
const DEFAULT_RUN_AS_USER: u32 = 10_001;

pub fn build(spec: &RawSpec, environments: &[EnvView], dir: &std::path::Path) -> Result<Platform> {
    let platform = &spec.platform;
    let conventions = platform.metrics.as_ref();
    let text = |value: Option<&Spanned<String>>, default: &str| value.map_or(default.to_string(), |v| v.value.clone());
    Ok(Platform {
        name: platform.name.value.clone(),
        team: platform.team.as_ref().map(|t| t.value.clone()),
        labels: labels(platform.labels.as_ref()),
        prometheus_operator: platform.prometheus_operator.as_ref().is_some_and(|p| p.value),
        metrics: MetricConventions {
            requests: text(conventions.and_then(|m| m.requests.as_ref()), "http_requests_total"),
            error_status: text(conventions.and_then(|m| m.error_status.as_ref()), "5.."),
            latency: text(
                conventions.and_then(|m| m.latency.as_ref()),
                "http_request_duration_seconds",
            ),
        },
        alerts: alerts(spec)?,
        environments: crate::parallel::map(environments, |env| environment(spec, env, dir))
            .into_iter()
            .collect::<Result<_>>()?,
        source: String::new(),
    })
}

fn alerts(spec: &RawSpec) -> Result<AlertThresholds> {
    let raw = spec.alerts.as_ref();
    let number = |value: Option<&Spanned<f64>>, default: f64| value.map_or(default, |v| v.value);
    let duration =
        |value: Option<&Spanned<String>>, default: &str| must(values::duration(value.map_or(default, |v| &v.value)));
    Ok(AlertThresholds {
        error_rate: number(raw.and_then(|a| a.error_rate.as_ref()), 0.05),
        latency_p95: duration(raw.and_then(|a| a.latency_p95.as_ref()), "500ms")?,
        restarts: count(raw.and_then(|a| a.restarts.as_ref()), 3)?,
        cpu: number(raw.and_then(|a| a.cpu.as_ref()), 0.9),
        memory: number(raw.and_then(|a| a.memory.as_ref()), 0.9),
        disk: number(raw.and_then(|a| a.disk.as_ref()), 0.85),
        down_for: duration(raw.and_then(|a| a.down_for.as_ref()), "5m")?,
        runbook_base: text(raw.and_then(|a| a.runbook_base.as_ref())),
        dashboard_base: text(raw.and_then(|a| a.dashboard_base.as_ref())),
        severity: raw
            .and_then(|a| a.severity.as_ref())
            .map(|map| map.iter().map(|(k, v)| (k.clone(), v.value.clone())).collect())
            .unwrap_or_default(),
        custom: raw
            .and_then(|a| a.custom.as_ref())
            .into_iter()
            .flatten()
            .map(|(name, alert)| custom_alert(name, &alert.value))
            .collect::<Result<_>>()?,
    })
}

/// A base URL without its trailing slashes, so links join with one `/`.
fn text(value: Option<&Spanned<String>>) -> Option<String> {
    value.map(|v| v.value.trim_end_matches('/').to_string())
}

fn custom_alert(name: &str, raw: &crate::spec::RawCustomAlert) -> Result<CustomAlert> {
    Ok(CustomAlert {
        name: name.to_string(),
        expr: raw
            .expr
            .as_ref()
            .map(|e| e.value.clone())
            .ok_or_else(|| BuildError(format!("custom alert {name} without expr")))?,
        for_: must(values::duration(raw.for_.as_ref().map_or("5m", |f| &f.value)))?,
        severity: raw
            .severity
            .as_ref()
            .map_or_else(|| "warning".to_string(), |s| s.value.clone()),
        summary: raw.summary.as_ref().map(|s| s.value.clone()),
    })
}

pub(super) fn count(value: Option<&Spanned<i64>>, default: u32) -> Result<u32> {
    value.map_or(Ok(default), |v| {
        must(u32::try_from(v.value).map_err(|_| format!("{} is out of range", v.value)))
    })
}

pub(super) fn labels(raw: Option<&BTreeMap<String, Spanned<String>>>) -> Labels {
    raw.map(|map| map.iter().map(|(k, v)| (k.clone(), v.value.clone())).collect())
        .unwrap_or_default()
}

fn environment(spec: &RawSpec, env: &EnvView, dir: &std::path::Path) -> Result<Environment> {
    let settings = &env.settings;
    let targets: Vec<Target> = settings
        .targets
        .as_ref()
        .map_or(vec![Target::Kubernetes], |t| t.value.iter().map(|t| t.value).collect());
    let paging = settings.paging.as_ref().is_none_or(|p| p.value);
    Ok(Environment {
        name: env.name.clone(),
        namespace: settings
            .namespace
            .as_ref()
            .map_or(format!("{}-{}", spec.platform.name.value, env.name), |n| {
                n.value.clone()
            }),
        labels: labels(settings.labels.as_ref()),
        kubernetes: targets.contains(&Target::Kubernetes),
        compose: targets.contains(&Target::Compose),
        paging,
        monitoring: settings.monitoring.as_ref().is_none_or(|m| m.value),
        quota: settings.quota.as_ref().map(|q| quota(&q.value)).transpose()?,
        container_defaults: settings
            .container_defaults
            .as_ref()
            .map(|d| resources(Some(&d.value)))
            .transpose()?,
        ingress: env.ingress.as_ref().map(ingress),
        prometheus_url: settings
            .prometheus_url
            .as_ref()
            .map_or_else(|| super::DEFAULT_PROMETHEUS_URL.to_string(), |u| u.value.clone()),
        services: env
            .services
            .iter()
            .map(|s| service(s, paging, dir))
            .collect::<Result<_>>()?,
        jobs: env
            .jobs
            .iter()
            .map(|j| super::workload::job(j, dir))
            .collect::<Result<_>>()?,
        datastores: env
            .datastores
            .iter()
            .map(|d| datastore(d, settings.monitoring.as_ref().is_none_or(|m| m.value)))
            .collect::<Result<_>>()?,
        alerting: env.alerting.as_ref().map(super::alerting::build).transpose()?,
        peers: std::sync::OnceLock::new(),
    })
}

fn quota(raw: &crate::spec::RawQuota) -> Result<Quota> {
    let quantity = |v: &Option<Spanned<String>>| v.as_ref().map(|v| must(values::quantity(&v.value))).transpose();
    let number = |v: &Option<Spanned<i64>>| v.as_ref().map(|v| count(Some(v), 0)).transpose();
    Ok(Quota {
        requests_cpu: quantity(&raw.requests_cpu)?,
        requests_memory: quantity(&raw.requests_memory)?,
        limits_cpu: quantity(&raw.limits_cpu)?,
        limits_memory: quantity(&raw.limits_memory)?,
        pods: number(&raw.pods)?,
        pvcs: number(&raw.pvcs)?,
    })
}

/// Requests default to the built-in values; a missing limit defaults to the built-in limit,
/// raised to the request when the request is larger.
pub fn resources(raw: Option<&RawResources>) -> Result<Resources> {
    let pick =
        |value: Option<&Spanned<String>>, default: &str| must(values::quantity(value.map_or(default, |v| &v.value)));
    let cpu = pick(raw.and_then(|r| r.cpu.as_ref()), DEFAULT_RESOURCES[0])?;
    let memory = pick(raw.and_then(|r| r.memory.as_ref()), DEFAULT_RESOURCES[1])?;
    let cpu_limit = limit(raw.and_then(|r| r.cpu_limit.as_ref()), DEFAULT_RESOURCES[2], &cpu)?;
    let memory_limit = limit(raw.and_then(|r| r.memory_limit.as_ref()), DEFAULT_RESOURCES[3], &memory)?;
    Ok(Resources {
        cpu,
        memory,
        cpu_limit,
        memory_limit,
    })
}

fn limit(value: Option<&Spanned<String>>, default: &str, request: &Quantity) -> Result<Quantity> {
    if let Some(value) = value {
        return must(values::quantity(&value.value));
    }
    let default = must(values::quantity(default))?;
    Ok(if default.value < request.value {
        request.clone()
    } else {
        default
    })
}

fn ingress(raw: &crate::spec::RawIngress) -> Ingress {
    let text = |v: &Option<Spanned<String>>| v.as_ref().map(|v| v.value.clone());
    Ingress {
        class: text(&raw.class).unwrap_or_else(|| "nginx".to_string()),
        host: text(&raw.host),
        tls_secret: text(&raw.tls_secret),
        cluster_issuer: text(&raw.cluster_issuer),
        rate_limit_rps: raw.rate_limit_rps.as_ref().and_then(|r| u32::try_from(r.value).ok()),
        body_size: text(&raw.body_size),
        cors_origins: raw.cors_origins.iter().flatten().map(|o| o.value.clone()).collect(),
        controller_namespace: raw
            .controller
            .as_ref()
            .and_then(|c| text(&c.namespace))
            .unwrap_or_else(|| "ingress-nginx".to_string()),
        controller_labels: labels(raw.controller.as_ref().and_then(|c| c.labels.as_ref())),
    }
}

pub(super) fn strings(raw: Option<&Vec<Spanned<String>>>) -> Vec<String> {
    raw.map(|list| list.iter().map(|v| v.value.clone()).collect())
        .unwrap_or_default()
}

pub(super) fn port(value: &Spanned<i64>) -> Result<u16> {
    must(u16::try_from(value.value).map_err(|_| format!("port {} is out of range", value.value)))
}

fn service(view: &ServiceView, env_paging: bool, dir: &std::path::Path) -> Result<Service> {
    let raw = &view.raw;
    let port = raw.port.as_ref().map(port).transpose()?;
    let autoscale = raw.autoscale.as_ref().map(|a| autoscale(&a.value)).transpose()?;
    let replicas = match (&raw.replicas, &autoscale) {
        (Some(r), _) => count(Some(r), 1)?,
        (None, Some(a)) => a.min,
        (None, None) => 1,
    };
    Ok(Service {
        name: view.name.clone(),
        image: raw
            .image
            .as_ref()
            .map(|i| i.value.clone())
            .ok_or_else(|| BuildError("service without image".into()))?,
        tier: raw.tier.as_ref().map(|t| t.value.clone()),
        port,
        service_port: match &raw.service_port {
            Some(front) => Some(self::port(front)?),
            None => port,
        },
        ports: super::workload::ports(raw)?,
        termination_grace_seconds: super::workload::seconds(raw.termination_grace.as_ref())?.unwrap_or(30),
        spread: raw.spread.as_ref().map_or(Spread::Node, |s| s.value),
        service_account_annotations: labels(raw.service_account.as_ref().and_then(|a| a.annotations.as_ref())),
        image_pull_secrets: strings(raw.image_pull_secrets.as_ref()),
        files: super::workload::files(raw.files.as_ref(), dir)?,
        metrics: metrics(raw.metrics.as_ref().map(|m| &m.value), port)?,
        probes: probes(raw.probes.as_ref())?,
        resources: resources(raw.resources.as_ref())?,
        replicas,
        autoscale,
        disruption: raw.disruption.as_ref().map(|d| disruption(&d.value)).transpose()?,
        env: super::workload::env(raw.env.as_ref()),
        secrets: super::workload::secrets(raw.secrets.as_ref())?,
        secret_files: raw.secret_files.as_ref().is_some_and(|f| f.value),
        uses: strings(raw.uses.as_ref()),
        egress: super::workload::egress(raw.egress.as_ref())?,
        routes: strings(raw.routes.as_ref()),
        migrate: super::workload::migrate(raw),
        command: raw.command.as_ref().map(|c| c.value.clone()),
        args: raw.args.as_ref().map(|a| a.value.clone()),
        writable: raw
            .writable
            .as_ref()
            .map_or_else(|| vec!["/tmp".to_string()], |w| strings(Some(w))),
        run_as_user: raw
            .run_as_user
            .as_ref()
            .map_or(Ok(DEFAULT_RUN_AS_USER), |u| count(Some(u), DEFAULT_RUN_AS_USER))?,
        node_selector: labels(raw.node_selector.as_ref()),
        tolerations: super::workload::tolerations(raw.tolerations.as_ref())?,
        labels: labels(raw.labels.as_ref()),
        annotations: labels(raw.annotations.as_ref()),
        slo: raw.slo.as_ref().map(|s| slo(&s.value)).transpose()?,
        paging: env_paging && view.tier_paging.as_ref().is_none_or(|p| p.value),
        rollout: raw.rollout.as_ref().map(|r| rollout(&r.value)).transpose()?,
    })
}

/// Canary steps default to 25, 50 and 75 percent; blue-green promotes on its own unless told
/// not to (Argo Rollouts' own default).
fn rollout(raw: &RawRollout) -> Result<Rollout> {
    let strategy = match raw.strategy.as_ref().map(|s| s.value) {
        Some(Strategy::Canary) => RolloutStrategy::Canary {
            steps: match &raw.steps {
                Some(steps) => steps
                    .value
                    .iter()
                    .map(|step| count(Some(step), 0))
                    .collect::<Result<_>>()?,
                None => vec![25, 50, 75],
            },
            pause: raw
                .pause
                .as_ref()
                .map(|p| must(values::duration(&p.value)))
                .transpose()?,
        },
        Some(Strategy::BlueGreen) => RolloutStrategy::BlueGreen {
            auto_promote: raw.auto_promote.as_ref().is_none_or(|a| a.value),
        },
        None => return Err(BuildError("rollout without strategy".into())),
    };
    Ok(Rollout {
        strategy,
        analysis: raw.analysis.as_ref().is_some_and(|a| a.value),
    })
}

fn metrics(raw: Option<&RawMetrics>, port: Option<u16>) -> Result<Option<MetricsEndpoint>> {
    let endpoint =
        |custom_port: Option<&Spanned<i64>>, path: Option<&Spanned<String>>| -> Result<Option<MetricsEndpoint>> {
            let port = match custom_port {
                Some(p) => Some(self::port(p)?),
                None => port,
            };
            let path = path.map_or_else(|| "/metrics".to_string(), |p| p.value.clone());
            Ok(port.map(|port| MetricsEndpoint { port, path }))
        };
    match raw {
        Some(RawMetrics::Enabled(false)) => Ok(None),
        Some(RawMetrics::Enabled(true)) | None => endpoint(None, None),
        Some(RawMetrics::Endpoint(e)) => endpoint(e.port.as_ref(), e.path.as_ref()),
    }
}

fn probes(raw: Option<&crate::spec::RawProbes>) -> Result<Probes> {
    let Some(raw) = raw else { return Ok(Probes::default()) };
    let text = |v: &Option<Spanned<String>>| v.as_ref().map(|v| v.value.clone());
    let seconds = super::workload::seconds;
    Ok(Probes {
        liveness: text(&raw.liveness),
        readiness: text(&raw.readiness),
        startup: text(&raw.startup),
        command: raw.command.as_ref().map(|c| c.value.clone()),
        period: seconds(raw.period.as_ref())?,
        timeout: seconds(raw.timeout.as_ref())?,
        initial_delay: seconds(raw.initial_delay.as_ref())?,
        failures: raw.failures.as_ref().map(|f| count(Some(f), 3)).transpose()?,
    })
}

fn autoscale(raw: &crate::spec::RawAutoscale) -> Result<Autoscale> {
    let min = count(raw.min.as_ref(), 1)?;
    let target = |v: &Option<Spanned<f64>>| v.as_ref().map(|v| v.value.round() as u32);
    let mut cpu = target(&raw.cpu);
    let memory = target(&raw.memory);
    if cpu.is_none() && memory.is_none() && raw.rps.is_none() {
        cpu = Some(80); // what the HorizontalPodAutoscaler itself assumes without metrics
    }
    Ok(Autoscale {
        min,
        max: count(raw.max.as_ref(), min)?,
        cpu,
        memory,
        rps: raw.rps.as_ref().map(|r| r.value),
        scale_up: raw.scale_up.as_ref().map(scaling).transpose()?,
        scale_down: raw.scale_down.as_ref().map(scaling).transpose()?,
    })
}

fn scaling(raw: &RawScaling) -> Result<Scaling> {
    let seconds = |v: &Option<Spanned<String>>| {
        v.as_ref()
            .map(|v| must(values::duration_or_zero(&v.value)).map(values::Duration::whole_seconds))
            .transpose()
    };
    Ok(Scaling {
        window_seconds: seconds(&raw.window)?,
        select: raw.select.as_ref().map(|s| s.value),
        percent: raw.percent.as_ref().map(|p| count(Some(p), 0)).transpose()?,
        pods: raw.pods.as_ref().map(|p| count(Some(p), 0)).transpose()?,
        period_seconds: seconds(&raw.period)?.unwrap_or(60),
    })
}

fn disruption(raw: &crate::spec::RawDisruption) -> Result<Disruption> {
    let amount = |value: &IntOrText| -> Result<IntOrPercent> {
        match value {
            IntOrText::Int(n) => must(
                u32::try_from(*n)
                    .map(IntOrPercent::Int)
                    .map_err(|_| format!("{n} is out of range")),
            ),
            IntOrText::Text(text) => must(values::percent_text(text)).map(IntOrPercent::Percent),
        }
    };
    match (&raw.min_available, &raw.max_unavailable) {
        (Some(min), _) => Ok(Disruption::MinAvailable(amount(&min.value)?)),
        (None, Some(max)) => Ok(Disruption::MaxUnavailable(amount(&max.value)?)),
        (None, None) => Ok(Disruption::MaxUnavailable(IntOrPercent::Int(1))),
    }
}

fn slo(raw: &RawSlo) -> Result<Slo> {
    Ok(Slo {
        window: must(values::duration(raw.window.as_ref().map_or("30d", |w| &w.value)))?,
        availability: raw.availability.as_ref().map(|a| a.value),
        latency: raw
            .latency
            .as_ref()
            .map(|l| -> Result<LatencySlo> {
                Ok(LatencySlo {
                    objective: l.objective.as_ref().map_or(99.0, |o| o.value),
                    threshold: must(values::duration(l.threshold.as_ref().map_or("", |t| &t.value)))?,
                })
            })
            .transpose()?,
        budget_alerts: raw
            .budget_alerts
            .iter()
            .flat_map(|b| b.value.iter().map(|p| p.value))
            .collect(),
    })
}

fn datastore(view: &DatastoreView, monitored: bool) -> Result<Datastore> {
    let raw = &view.raw;
    let engine = raw
        .engine
        .as_ref()
        .map(|e| e.value)
        .ok_or_else(|| BuildError("datastore without engine".into()))?;
    let text = |v: &Option<Spanned<String>>| v.as_ref().map(|v| v.value.clone());
    let external = raw
        .external
        .as_ref()
        .map(|e| must(external_address(&e.value)))
        .transpose()?;
    Ok(Datastore {
        name: view.name.clone(),
        engine,
        version: text(&raw.version).unwrap_or_else(|| if engine == Engine::Postgres { "16" } else { "7" }.to_string()),
        storage: must(values::quantity(raw.storage.as_ref().map_or("1Gi", |s| &s.value)))?,
        storage_class: text(&raw.storage_class),
        resources: resources(raw.resources.as_ref())?,
        secret: text(&raw.secret),
        database: text(&raw.database),
        user: text(&raw.user),
        settings: raw
            .settings
            .iter()
            .flatten()
            .map(|(k, v)| (k.clone(), setting(engine, &v.value)))
            .collect(),
        exporter: external.is_none() && raw.exporter.as_ref().map_or(monitored, |e| e.value),
        backup: raw
            .backup
            .as_ref()
            .filter(|_| external.is_none())
            .map(|b| super::operations::backup(&b.value))
            .transpose()?,
        operator: super::operations::operator(raw)?,
        external,
    })
}

/// `"host:port"` of an external datastore.
pub fn external_address(text: &str) -> std::result::Result<ExternalAddress, String> {
    let error = || format!("`{text}` is not an address: expected \"host:port\"");
    let (host, port) = text.rsplit_once(':').ok_or_else(error)?;
    let port: u16 = port.parse().ok().filter(|p| *p > 0).ok_or_else(error)?;
    if host.is_empty() || !values::subdomain(&host.to_ascii_lowercase()) {
        return Err(error());
    }
    Ok(ExternalAddress {
        host: host.to_string(),
        port,
    })
}

fn setting(engine: Engine, value: &Scalar) -> String {
    match (value, engine) {
        (Scalar::Bool(flag), Engine::Postgres) => if *flag { "on" } else { "off" }.to_string(),
        (Scalar::Bool(flag), Engine::Redis) => if *flag { "yes" } else { "no" }.to_string(),
        (Scalar::Int(n), _) => n.to_string(),
        (Scalar::Float(x), _) => x.to_string(),
        (Scalar::Text(text), _) => text.clone(),
    }
}
