//! The Alertmanager target: per environment with `[alerting]`, `alertmanager/<env>/alertmanager.yaml`
//! (`amtool check-config` passes it) and, in operator mode, an `AlertmanagerConfig` among the
//! Kubernetes objects (`operator.rs`). A monitored Compose environment runs the same file.
//!
//! What every form routes: each severity to its receiver, alerts of an unrouted severity to
//! the least urgent routed receiver, grouped by `group_by`, repeated every `repeat`, held in
//! the mute windows; and two inhibitions — a service's critical alert holds its warnings,
//! and `ServiceDown` holds the same service's error, latency and burn-rate alerts.
//!
//! Secrets are never in the file: each is read from `<SECRETS_DIR>/<secret>/<key>`, where the
//! Prometheus Operator mounts an Alertmanager's `spec.secrets` and where the Compose stack
//! mounts them (README, "Alerting").

mod config;
pub(crate) mod operator;

use super::{OutputFile, RenderError};
use crate::model::{Alerting, Environment, Platform, SecretRef};

pub const SECRETS_DIR: &str = "/etc/alertmanager/secrets";
/// How long Alertmanager waits to batch a new group, and between updates of a group.
pub const GROUP_WAIT: &str = "30s";
pub const GROUP_INTERVAL: &str = "5m";
/// The alerts `ServiceDown` holds for the same service: they only repeat that it is down.
pub const HELD_BY_SERVICE_DOWN: [&str; 3] = ["HighErrorRate", "HighLatency", "SLOErrorBudgetBurn"];
/// Labels two alerts must share for one to hold the other.
pub const SAME_SERVICE: [&str; 2] = ["namespace", "service"];

/// Where Alertmanager reads a secret.
pub fn secret_file(secret: &SecretRef) -> String {
    format!("{SECRETS_DIR}/{}/{}", secret.name, secret.key)
}

/// The configuration file's text, when the environment has alerting.
pub fn config_text(platform: &Platform, env: &Environment) -> Result<Option<String>, RenderError> {
    env.alerting
        .as_ref()
        .map(|alerting| config::text(platform, env, alerting))
        .transpose()
}

/// `alertmanager/<env>/alertmanager.yaml`.
pub fn render(platform: &Platform, env: &Environment) -> Result<Vec<OutputFile>, RenderError> {
    Ok(config_text(platform, env)?
        .map(|contents| OutputFile {
            path: format!("alertmanager/{}/alertmanager.yaml", env.name),
            contents,
        })
        .into_iter()
        .collect())
}

/// `severity="critical"` and the like, as Alertmanager's matcher strings write them.
fn matcher(label: &str, op: &str, value: &str) -> String {
    format!("{label}{op}{}", serde_json::Value::from(value))
}

/// Routed severities, most urgent first.
fn routes(alerting: &Alerting) -> impl Iterator<Item = (&str, &str)> {
    ["critical", "warning"]
        .into_iter()
        .filter_map(|severity| alerting.routes.get(severity).map(|r| (severity, r.as_str())))
}

#[cfg(test)]
mod tests;
