//! The view of one Compose file: every container in output order, and the named volumes.
//! Strings here are raw; `compose::render` escapes the whole view before the template runs.

use serde::Serialize;

use super::escape::{Required, Text};
use crate::model::{Quantity, Resources};

#[derive(Serialize)]
pub struct ComposeView {
    pub name: String,
    pub containers: Vec<Container>,
    pub volumes: Vec<String>,
    /// Compose secrets, each read from the host variable of the same name.
    pub secrets: Vec<String>,
}

/// One Compose service. Hardening (read-only root, no capabilities, no-new-privileges) is
/// the same for all and lives in the template.
#[derive(Serialize)]
pub struct Container {
    pub name: String,
    pub image: String,
    pub restart: &'static str,
    /// On-demand containers (jobs, datastore backups and restores): only `docker compose run`
    /// starts them.
    pub profiles: Vec<&'static str>,
    /// Container ports other containers call (documentation for Compose; nothing published).
    pub expose: Vec<u16>,
    pub entrypoint: Option<Vec<String>>,
    pub command: Vec<Text>,
    pub environment: Vec<(String, Text)>,
    /// Only the ingress publishes (one port, `PLATC_HTTP_PORT`).
    pub publish: bool,
    pub volumes: Vec<String>,
    /// (Compose secret, mount path): secret files, mounted read-only by Compose.
    pub secrets: Vec<(String, String)>,
    pub healthcheck: Option<Healthcheck>,
    pub depends_on: Vec<(String, &'static str)>,
    pub user: String,
    pub tmpfs: Vec<String>,
    pub replicas: Option<u32>,
    pub resources: Limits,
}

impl Container {
    /// A long-running container with nothing set but its identity and limits.
    pub fn new(name: &str, image: &str, user: String, resources: &Resources) -> Self {
        Container {
            name: name.to_string(),
            image: image.to_string(),
            restart: "unless-stopped",
            profiles: Vec::new(),
            expose: Vec::new(),
            entrypoint: None,
            command: Vec::new(),
            environment: Vec::new(),
            publish: false,
            volumes: Vec::new(),
            secrets: Vec::new(),
            healthcheck: None,
            depends_on: Vec::new(),
            user,
            tmpfs: vec!["/tmp".to_string()],
            replicas: None,
            resources: Limits::new(resources),
        }
    }
}

#[derive(Serialize)]
pub struct Healthcheck {
    pub test: Vec<String>,
    pub interval: String,
    pub timeout: String,
    pub retries: u32,
    pub start_period: String,
}

impl Healthcheck {
    pub fn new(test: Vec<String>, retries: u32, start_period: &'static str) -> Self {
        Healthcheck {
            test,
            interval: "10s".into(),
            timeout: "5s".into(),
            retries,
            start_period: start_period.into(),
        }
    }
}

/// `deploy.resources`: cpus as decimal cores, memory as exact byte counts (Compose reads
/// `1G` as 1 GiB and rejects `Gi`), with the spec's quantity beside it in a comment.
#[derive(Serialize)]
pub struct Limits {
    cpu: String,
    cpu_limit: String,
    memory: String,
    memory_text: String,
    memory_limit: String,
    memory_limit_text: String,
}

impl Limits {
    pub fn new(r: &Resources) -> Self {
        Limits {
            cpu: cpus(&r.cpu),
            cpu_limit: cpus(&r.cpu_limit),
            memory: bytes(&r.memory),
            memory_text: r.memory.text.clone(),
            memory_limit: bytes(&r.memory_limit),
            memory_limit_text: r.memory_limit.text.clone(),
        }
    }
}

/// Cores as a decimal: `250m` → `0.25`, `2` → `2`. Millicores are divided rather than read
/// from the parsed value so the shortest decimal comes out (`100m` → `0.1`).
pub fn cpus(quantity: &Quantity) -> String {
    match quantity.text.strip_suffix('m').and_then(|m| m.parse::<f64>().ok()) {
        Some(millis) => (millis / 1000.0).to_string(),
        None => quantity.value.to_string(),
    }
}

/// Whole bytes, rounded up.
pub fn bytes(quantity: &Quantity) -> String {
    // The checks bound quantities far below 2^53, so the cast is exact.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let whole = quantity.value.ceil() as u64;
    whole.to_string()
}

/// `NAME` read from the host environment, with a message naming where it comes from.
pub fn required(name: &str, origin: &str) -> Text {
    Text::Variable(Required::new(name, &format!("set {name} ({origin}), see .env.example")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::values::quantity;

    #[test]
    fn quantities_become_what_compose_reads_exactly() {
        let cases = [
            ("250m", "0.25"),
            ("100m", "0.1"),
            ("1", "1"),
            ("0.5", "0.5"),
            ("1500m", "1.5"),
        ];
        for (text, want) in cases {
            assert_eq!(cpus(&quantity(text).unwrap()), want, "{text}");
        }
        let cases = [
            ("1Gi", "1073741824"),
            ("512M", "512000000"),
            ("1.5Gi", "1610612736"),
            ("1k", "1000"),
        ];
        for (text, want) in cases {
            assert_eq!(bytes(&quantity(text).unwrap()), want, "{text}");
        }
    }
}
