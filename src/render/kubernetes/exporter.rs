//! The exporter beside an in-cluster datastore: the prometheus-community `postgres_exporter`
//! or oliver006's `redis_exporter`, pinned, as a Deployment `<ds>-exporter` whose pods carry
//! the scrape annotations and `platc/service: <ds>`, so its series get `service="<ds>"`.

use serde::Serialize;

use super::network::{self, Entry, Policy, Rule};
use super::ops::{Container, Pod, PodVolume, RUN_AS_USER, password_file};
use super::{MONITORING_NAMESPACE, Meta, SECRETS_DIR};
use crate::model::operations::{EXPORTER_RESOURCES, fixed_resources};
use crate::model::{Datastore, Engine, Environment, Labels, Platform};

pub const POSTGRES_EXPORTER: &str = "quay.io/prometheuscommunity/postgres-exporter:v0.17.1";
pub const REDIS_EXPORTER: &str = "oliver006/redis_exporter:v1.67.0";

/// The exporter's metrics port.
pub fn port(engine: Engine) -> u16 {
    match engine {
        Engine::Postgres => 9187,
        Engine::Redis => 9121,
    }
}

#[derive(Serialize)]
pub struct ExporterView {
    meta: Meta,
    datastore: String,
    annotations: Labels,
    /// Operator mode: a `PodMonitor` scrapes the exporter.
    pod_monitor: bool,
    pod: Pod,
    policy: Policy,
    instance: String,
}

/// The host the exporter and the backups reach: the database itself, never a pooler.
pub fn database_host(datastore: &Datastore) -> String {
    if datastore.operator.is_some() {
        format!("{}-rw", network::cluster_name(datastore))
    } else {
        datastore.name.clone()
    }
}

/// The Secret holding the password platc's pods log in with (key `password`): the spec's, or
/// for an operator cluster without one the application Secret `CloudNativePG` generates.
pub fn password_secret(datastore: &Datastore) -> Option<String> {
    datastore.secret.clone().or_else(|| {
        datastore
            .operator
            .as_ref()
            .map(|_| format!("{}-app", network::cluster_name(datastore)))
    })
}

/// (user, database) platc's pods connect as: the spec's, else the image's or operator's default.
pub fn postgres_login(datastore: &Datastore) -> (String, String) {
    let default_user = if datastore.operator.is_some() {
        "app"
    } else {
        "postgres"
    };
    let user = datastore.user.clone().unwrap_or_else(|| default_user.to_string());
    let database = datastore.database.clone().unwrap_or_else(|| {
        if datastore.operator.is_some() {
            "app".to_string()
        } else {
            user.clone()
        }
    });
    (user, database)
}

pub fn view(platform: &Platform, env: &Environment, datastore: &Datastore) -> ExporterView {
    let name = format!("{}-exporter", datastore.name);
    let meta = Meta::new(platform, env, &name, "exporter");
    let port = port(datastore.engine);
    let mut container = Container::new("exporter", "", fixed_resources(EXPORTER_RESOURCES));
    container.port = Some(("metrics", port));
    let mut volumes = Vec::new();
    let host = database_host(datastore);
    match datastore.engine {
        Engine::Postgres => {
            container.image = POSTGRES_EXPORTER.into();
            let (user, database) = postgres_login(datastore);
            let ssl = if datastore.operator.is_some() {
                "require"
            } else {
                "disable"
            };
            container.env("DATA_SOURCE_URI", format!("{host}:5432/{database}?sslmode={ssl}"));
            container.env("DATA_SOURCE_USER", user);
            if let Some(secret) = &password_secret(datastore) {
                container.env("DATA_SOURCE_PASS_FILE", password_file());
                container.mount("secrets", SECRETS_DIR, true);
                volumes.push(PodVolume::secret("secrets", secret, &["password"]));
            }
        }
        Engine::Redis => {
            container.image = REDIS_EXPORTER.into();
            container.env("REDIS_ADDR", format!("redis://{host}:6379"));
            // redis_exporter reads a password file only as a JSON map of addresses, not the
            // plain key the Secret holds: the one variable read from a Secret.
            if let Some(secret) = &password_secret(datastore) {
                container
                    .secret_env
                    .push(("REDIS_PASSWORD".into(), secret.clone(), "password".into()));
            }
        }
    }
    let annotations: Labels = [
        ("prometheus.io/scrape", "true".to_string()),
        ("prometheus.io/port", port.to_string()),
        ("prometheus.io/path", "/metrics".to_string()),
        ("platc/service", datastore.name.clone()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let policy = Policy {
        ingress: vec![Rule::from_namespace(MONITORING_NAMESPACE, port)],
        egress: vec![network::to_datastore(datastore, Entry::Database)],
    };
    ExporterView {
        pod: Pod {
            service_account: name.clone(),
            run_as_user: RUN_AS_USER,
            restart_policy: None,
            init_containers: Vec::new(),
            containers: vec![container],
            volumes,
        },
        meta,
        datastore: datastore.name.clone(),
        annotations,
        pod_monitor: platform.prometheus_operator,
        policy,
        instance: super::instance(platform, env),
    }
}
