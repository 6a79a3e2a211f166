//! The Compose target: per environment with `compose` in its targets, a folder that
//! `docker compose up` runs as is — `compose.yaml`, `.env.example`, and every file the stack
//! mounts, next to it: `nginx/nginx.conf` (with routes), and unless `monitoring = false`
//! `prometheus/{prometheus.yml,rules.yaml}` and `grafana/{provisioning,dashboards}/`, and
//! with `[alerting]` `alertmanager/alertmanager.yaml`, run by an Alertmanager Prometheus
//! sends to; its secrets are Compose secrets read from host variables (`infra.rs`).
//!
//! Escaping: every string of the Compose view goes through `escape::escape_view` (`$` →
//! `$$`) and then minijinja's JSON auto-escape, so the loader reads back exactly the spec's
//! text. Secrets are never values: each is a required `${VAR:?...}` host variable, or with
//! `secret_files` a Compose secret read from that variable and mounted read-only.

mod datastores;
mod dotenv;
pub mod escape;
mod header;
mod infra;
mod jobs;
mod nginx;
mod operations;
mod order;
mod services;
mod view;

use serde::Serialize;

use super::{OutputFile, RenderError, alertmanager, grafana, prometheus, render_template};
use crate::model::{Engine, Environment, Platform};
use view::ComposeView;

/// Names a spec service or datastore cannot take in a Compose environment: the containers
/// platc adds (`<svc>-migrate` is checked separately).
pub fn reserved_names(env_has_routes: bool, monitoring: bool, alerting: bool) -> Vec<&'static str> {
    let mut names = Vec::new();
    if env_has_routes {
        names.push(infra::INGRESS);
    }
    if monitoring {
        names.extend([infra::PROMETHEUS, infra::GRAFANA]);
    }
    if monitoring && alerting {
        names.push(infra::ALERTMANAGER);
    }
    names
}

/// Host variables platc itself reads (`PLATC_HTTP_PORT`, the Grafana password) start so.
pub const RESERVED_VARIABLE_PREFIX: &str = "PLATC_";

pub fn render(
    templates: &minijinja::Environment<'static>,
    platform: &Platform,
    env: &Environment,
) -> Result<Vec<OutputFile>, RenderError> {
    let dropped = order::dropped_edges(env);
    let view = escape::escape_view(serde_json::to_value(compose_view(env, &dropped)).map_err(json_error)?);
    let compose = header::compose_header(env, &dropped) + &render_template(templates, "compose/compose.yaml.j2", view)?;
    let mut files = vec![
        ("compose.yaml".to_string(), compose),
        (".env.example".to_string(), dotenv::example(env)),
    ];
    if env.has_routes() {
        files.push(("nginx/nginx.conf".to_string(), nginx::config(env)));
    }
    let services = env.services.iter().map(|s| (&s.name, &s.files));
    for (workload, config) in services.chain(env.jobs.iter().map(|j| (&j.name, &j.files))) {
        for file in config {
            files.push((services::config_copy(workload, file), file.content.clone()));
        }
    }
    if env.monitoring {
        files.extend(monitoring(templates, platform, env)?);
    }
    let dir = format!("compose/{}", env.name);
    Ok(super::in_folder(&dir, files))
}

fn json_error(error: serde_json::Error) -> RenderError {
    RenderError(format!("compose view: {error}"))
}

fn compose_view(env: &Environment, dropped: &[(String, String)]) -> ComposeView {
    let mut containers = Vec::new();
    let mut volumes = Vec::new();
    for service in &env.services {
        containers.extend(services::containers(env, service, dropped));
    }
    for job in &env.jobs {
        containers.push(jobs::container(env, job));
    }
    for datastore in env.datastores.iter().filter(|d| d.external.is_none()) {
        containers.push(datastores::container(datastore));
        volumes.push(datastores::volume(datastore));
        if env.monitoring && datastore.exporter {
            containers.push(operations::exporter(datastore));
        }
        if let (Some(backup), Some(restore)) = (operations::backup(datastore), operations::restore(datastore)) {
            containers.extend([backup, restore]);
            volumes.push(operations::backups_volume(datastore));
        }
    }
    if env.has_routes() {
        containers.push(infra::ingress(env));
    }
    if env.monitoring {
        containers.push(infra::prometheus(env));
        containers.push(infra::grafana());
        volumes.extend(["prometheus-data".to_string(), "grafana-data".to_string()]);
    }
    if let Some(alerting) = env.alerting.as_ref().filter(|_| env.monitoring) {
        containers.push(infra::alertmanager(alerting));
        volumes.push("alertmanager-data".to_string());
    }
    let mut secrets: Vec<String> = containers
        .iter()
        .flat_map(|c| c.secrets.iter().map(|(name, _)| name.clone()))
        .collect();
    secrets.sort();
    secrets.dedup();
    ComposeView {
        name: env.namespace.clone(),
        containers,
        volumes,
        secrets,
    }
}

/// Prometheus' configuration and rule file, Grafana's provisioning and dashboards. The rule
/// file and dashboards are the environment's own (the Prometheus and Grafana targets).
fn monitoring(
    templates: &minijinja::Environment<'static>,
    platform: &Platform,
    env: &Environment,
) -> Result<Vec<(String, String)>, RenderError> {
    let scrape = ScrapeView {
        env: &env.name,
        namespace: &env.namespace,
        alertmanager: env.alerting.is_some().then_some(infra::ALERTMANAGER),
        jobs: env
            .services
            .iter()
            .filter_map(|s| {
                let m = s.metrics.as_ref()?;
                Some((s.name.clone(), m.path.clone(), m.port, s.name.clone()))
            })
            .chain(
                env.datastores
                    .iter()
                    .filter(|d| d.exporter && d.external.is_none())
                    .map(|d| {
                        let (service, port, host) = operations::scrape_job(d);
                        (service, "/metrics".to_string(), port, host)
                    }),
            )
            .collect(),
    };
    let mut files = vec![
        (
            "prometheus/prometheus.yml".to_string(),
            render_template(templates, "compose/prometheus.yaml.j2", &scrape)?,
        ),
        (
            "prometheus/rules.yaml".to_string(),
            prometheus::rules(templates, platform, env)?,
        ),
        (
            "grafana/provisioning/datasources/prometheus.yaml".to_string(),
            render_template(templates, "compose/grafana-datasource.yaml.j2", &scrape)?,
        ),
        (
            "grafana/provisioning/dashboards/platc.yaml".to_string(),
            render_template(templates, "compose/grafana-dashboards.yaml.j2", &scrape)?,
        ),
    ];
    for dashboard in grafana::dashboards(templates, platform, env)? {
        files.push((format!("grafana/dashboards/{}", dashboard.file_name), dashboard.json));
    }
    if let Some(config) = alertmanager::config_text(platform, env)? {
        files.push(("alertmanager/alertmanager.yaml".to_string(), config));
    }
    Ok(files)
}

/// Prometheus and Grafana files are not read by Compose: no `$` escaping applies.
#[derive(Serialize)]
struct ScrapeView<'a> {
    env: &'a str,
    namespace: &'a str,
    /// The Alertmanager service Prometheus sends to, when the environment has alerting.
    alertmanager: Option<&'a str>,
    /// (service label, metrics path, metrics port, container name): an exporter reports as
    /// its datastore.
    jobs: Vec<(String, String, u16, String)>,
}

pub(crate) fn engine(engine: Engine) -> &'static str {
    match engine {
        Engine::Postgres => "postgres",
        Engine::Redis => "redis",
    }
}

#[cfg(test)]
mod tests;
