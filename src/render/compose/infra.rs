//! The containers platc adds: the ingress (nginx) and, unless `monitoring = false`,
//! Prometheus and Grafana, and with `[alerting]` Alertmanager. Images are pinned here;
//! resources are fixed generator choices.

use super::order;
use super::view::{Container, Healthcheck, required};
use crate::model::{Alerting, Environment, Resources, SecretRef};
use crate::render::alertmanager::secret_file;

pub const NGINX_IMAGE: &str = "nginx:1.28";
pub const PROMETHEUS_IMAGE: &str = "prom/prometheus:v3.5.0";
pub const GRAFANA_IMAGE: &str = "grafana/grafana:12.1.0";
pub const ALERTMANAGER_IMAGE: &str = "prom/alertmanager:v0.28.1";
pub const GRAFANA_PASSWORD: &str = "PLATC_GRAFANA_ADMIN_PASSWORD";
/// Host variables that hold the alerting secrets start so (`PLATC_ALERTING_<SECRET>_<KEY>`).
pub const ALERTING_VARIABLE_PREFIX: &str = "PLATC_ALERTING_";

/// Names platc gives the containers it adds; a spec service or datastore must not take them.
pub const INGRESS: &str = "ingress";
pub const PROMETHEUS: &str = "prometheus";
pub const GRAFANA: &str = "grafana";
pub const ALERTMANAGER: &str = "alertmanager";

/// Fixed limits for a generator-owned container (constant, valid quantities).
fn resources(cpu: &str, memory: &str, cpu_limit: &str, memory_limit: &str) -> Resources {
    let q = |text: &str| crate::spec::values::quantity(text).expect("a constant quantity parses");
    Resources {
        cpu: q(cpu),
        memory: q(memory),
        cpu_limit: q(cpu_limit),
        memory_limit: q(memory_limit),
    }
}

/// nginx on 8080 as its image user (101), the only published container.
pub fn ingress(env: &Environment) -> Container {
    let limits = resources("100m", "64Mi", "500m", "128Mi");
    let mut c = Container::new(INGRESS, NGINX_IMAGE, "101:101".into(), &limits);
    // Bypasses the image's entrypoint scripts, which edit files under /etc/nginx.
    c.entrypoint = Some(["nginx", "-g", "daemon off;"].map(String::from).to_vec());
    c.publish = true;
    c.volumes.push("./nginx/nginx.conf:/etc/nginx/nginx.conf:ro".into());
    c.tmpfs.push("/var/cache/nginx".into());
    c.depends_on = env
        .services
        .iter()
        .filter(|s| !s.routes.is_empty())
        .map(|s| (s.name.clone(), order::condition(s)))
        .collect();
    c
}

pub fn prometheus(env: &Environment) -> Container {
    let limits = resources("250m", "256Mi", "1", "1Gi");
    let mut c = Container::new(PROMETHEUS, PROMETHEUS_IMAGE, "65534:65534".into(), &limits);
    c.command = [
        "--config.file=/etc/prometheus/prometheus.yml",
        "--storage.tsdb.path=/prometheus",
        "--storage.tsdb.retention.time=15d",
    ]
    .map(Into::into)
    .to_vec();
    c.volumes = vec![
        "./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro".into(),
        format!(
            "./prometheus/rules.yaml:/etc/prometheus/rules/{}.yaml:ro",
            env.namespace
        ),
        "prometheus-data:/prometheus".into(),
    ];
    let test = ["CMD", "wget", "-q", "--spider", "http://127.0.0.1:9090/-/ready"];
    c.healthcheck = Some(Healthcheck::new(test.map(String::from).to_vec(), 5, "30s"));
    c
}

pub fn grafana() -> Container {
    let limits = resources("100m", "128Mi", "500m", "512Mi");
    let mut c = Container::new(GRAFANA, GRAFANA_IMAGE, "472:0".into(), &limits);
    c.environment = vec![
        (
            "GF_SECURITY_ADMIN_PASSWORD".into(),
            required(GRAFANA_PASSWORD, "Grafana admin password"),
        ),
        ("GF_LOG_MODE".into(), "console".into()),
        ("GF_ANALYTICS_REPORTING_ENABLED".into(), "false".into()),
        ("GF_ANALYTICS_CHECK_FOR_UPDATES".into(), "false".into()),
    ];
    c.volumes = vec![
        "./grafana/provisioning:/etc/grafana/provisioning:ro".into(),
        "./grafana/dashboards:/etc/grafana/dashboards:ro".into(),
        "grafana-data:/var/lib/grafana".into(),
    ];
    c.depends_on = vec![(PROMETHEUS.into(), order::HEALTHY)];
    c
}

/// Alertmanager with the environment's configuration, each receiver secret a Compose secret
/// (read from the host variable of its name) mounted where the configuration reads it.
pub fn alertmanager(alerting: &Alerting) -> Container {
    let limits = resources("50m", "64Mi", "250m", "256Mi");
    let mut c = Container::new(ALERTMANAGER, ALERTMANAGER_IMAGE, "65534:65534".into(), &limits);
    c.command = [
        "--config.file=/etc/alertmanager/alertmanager.yaml",
        "--storage.path=/alertmanager",
    ]
    .map(Into::into)
    .to_vec();
    c.volumes = vec![
        "./alertmanager/alertmanager.yaml:/etc/alertmanager/alertmanager.yaml:ro".into(),
        "alertmanager-data:/alertmanager".into(),
    ];
    let test = ["CMD", "wget", "-q", "--spider", "http://127.0.0.1:9093/-/ready"];
    c.healthcheck = Some(Healthcheck::new(test.map(String::from).to_vec(), 5, "10s"));
    c.secrets = alerting
        .secrets()
        .into_iter()
        .map(|secret| (alerting_variable(secret), secret_file(secret)))
        .collect();
    c
}

/// The host variable a secret ref is read from: `PLATC_ALERTING_<SECRET>_<KEY>`, uppercased,
/// every other character `_`.
pub fn alerting_variable(secret: &SecretRef) -> String {
    let words = format!("{}_{}", secret.name, secret.key);
    let upper: String = words
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("{ALERTING_VARIABLE_PREFIX}{upper}")
}
