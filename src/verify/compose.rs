//! `compose.yaml` → the subset of the Compose Specification platc emits, every struct
//! `deny_unknown_fields`, plus what the Compose loader would only find at `up`: waits on
//! services without a healthcheck, undeclared volumes, byte counts, and any `$` that is
//! neither escaped (`$$`) nor one of the variables platc writes on purpose.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::yaml_documents;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ComposeFile {
    name: String,
    services: BTreeMap<String, Service>,
    #[serde(default)]
    volumes: BTreeMap<String, Volume>,
    #[serde(default)]
    secrets: BTreeMap<String, Secret>,
}

/// A secret read from the host variable it names; never a value or a file of ours.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Secret {
    environment: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SecretMount {
    source: String,
    target: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Volume {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Service {
    image: String,
    restart: String,
    #[serde(default)]
    profiles: Vec<String>,
    #[serde(default)]
    expose: Vec<u16>,
    entrypoint: Option<Vec<String>>,
    command: Option<Vec<String>>,
    #[serde(default)]
    environment: BTreeMap<String, String>,
    #[serde(default)]
    ports: Vec<String>,
    #[serde(default)]
    volumes: Vec<String>,
    #[serde(default)]
    secrets: Vec<SecretMount>,
    healthcheck: Option<Healthcheck>,
    #[serde(default)]
    depends_on: BTreeMap<String, DependsOn>,
    user: String,
    read_only: bool,
    #[serde(default)]
    tmpfs: Vec<String>,
    cap_drop: Vec<String>,
    security_opt: Vec<String>,
    deploy: Deploy,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Healthcheck {
    test: Vec<String>,
    interval: String,
    timeout: String,
    retries: u32,
    start_period: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DependsOn {
    condition: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Deploy {
    replicas: Option<u32>,
    resources: DeployResources,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeployResources {
    limits: Limits,
    reservations: Limits,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Limits {
    cpus: String,
    memory: String,
}

pub fn verify(text: &str) -> Result<(), String> {
    let mut documents = yaml_documents(text)?;
    if documents.len() != 1 {
        return Err(format!("{} YAML documents, expected one", documents.len()));
    }
    let document = documents.remove(0);
    every_string(&document, &mut |s| interpolation(s))?;
    let file: ComposeFile = serde_json::from_value(document).map_err(|e| e.to_string())?;
    if file.name.is_empty() {
        return Err("empty project name".into());
    }
    if let Some((name, _)) = file.secrets.iter().find(|(name, s)| *name != &s.environment) {
        return Err(format!("secret `{name}` is not read from the variable of its name"));
    }
    for (name, service) in &file.services {
        self::service(&file, service).map_err(|e| format!("service {name}: {e}"))?;
    }
    Ok(())
}

fn service(file: &ComposeFile, service: &Service) -> Result<(), String> {
    let on_demand = ["jobs", "backup", "restore"];
    if service.profiles.iter().any(|p| !on_demand.contains(&p.as_str()))
        || (!service.profiles.is_empty() && service.restart != "no")
    {
        return Err("only run-once containers are in a profile (`jobs`, `backup`, `restore`)".into());
    }
    if service.expose.contains(&0) {
        return Err("exposes port 0".into());
    }
    if !matches!(service.restart.as_str(), "no" | "unless-stopped") {
        return Err(format!("restart `{}`", service.restart));
    }
    if service.image.is_empty() || service.entrypoint.as_ref().is_some_and(Vec::is_empty) {
        return Err("empty image or entrypoint".into());
    }
    if service.command.as_ref().is_some_and(Vec::is_empty) || service.environment.keys().any(String::is_empty) {
        return Err("empty command or variable name".into());
    }
    if service.ports.iter().any(|p| p != "${PLATC_HTTP_PORT:-8080}:8080") {
        return Err("only the ingress port is published".into());
    }
    let ids: Vec<&str> = service.user.split(':').collect();
    if ids.len() != 2
        || ids
            .iter()
            .any(|id| id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(format!("user `{}` is not uid:gid", service.user));
    }
    if !service.read_only || service.cap_drop != ["ALL"] || service.security_opt != ["no-new-privileges:true"] {
        return Err("not hardened".into());
    }
    if service.tmpfs.iter().any(|p| !p.starts_with('/')) {
        return Err("a tmpfs path is not absolute".into());
    }
    if let Some(check) = &service.healthcheck {
        let durations = [&check.interval, &check.timeout, &check.start_period];
        if !matches!(check.test.first().map(String::as_str), Some("CMD" | "CMD-SHELL")) || check.test.len() < 2 {
            return Err("healthcheck test must be CMD or CMD-SHELL with a command".into());
        }
        if durations.iter().any(|d| !d.ends_with('s')) || check.retries == 0 {
            return Err("healthcheck timing".into());
        }
    }
    for (target, wait) in &service.depends_on {
        let other = file
            .services
            .get(target)
            .ok_or(format!("depends on undefined `{target}`"))?;
        match wait.condition.as_str() {
            "service_started" | "service_completed_successfully" => {}
            "service_healthy" if other.healthcheck.is_some() => {}
            condition => return Err(format!("waits for `{target}` with `{condition}`")),
        }
    }
    for mount in &service.secrets {
        if !file.secrets.contains_key(&mount.source) || !mount.target.starts_with('/') {
            return Err(format!(
                "secret `{}` is not declared or not mounted at an absolute path",
                mount.source
            ));
        }
    }
    for volume in &service.volumes {
        let source = volume.split(':').next().unwrap_or_default();
        if !source.starts_with("./") && !file.volumes.contains_key(source) {
            return Err(format!("volume `{source}` is not declared"));
        }
    }
    let r = &service.deploy.resources;
    for limits in [&r.limits, &r.reservations] {
        let cpus_ok = limits.cpus.parse::<f64>().is_ok_and(|c| c > 0.0);
        let memory_ok = !limits.memory.is_empty() && limits.memory.bytes().all(|b| b.is_ascii_digit());
        if !cpus_ok || !memory_ok {
            return Err(format!("resources cpus `{}` memory `{}`", limits.cpus, limits.memory));
        }
    }
    if service.deploy.replicas == Some(0) {
        return Err("0 replicas".into());
    }
    Ok(())
}

fn every_string(value: &serde_json::Value, test: &mut impl FnMut(&str) -> Result<(), String>) -> Result<(), String> {
    match value {
        serde_json::Value::String(s) => test(s),
        serde_json::Value::Array(items) => items.iter().try_for_each(|v| every_string(v, test)),
        serde_json::Value::Object(map) => map.iter().try_for_each(|(k, v)| {
            test(k)?;
            every_string(v, test)
        }),
        _ => Ok(()),
    }
}

/// Every `$` is `$$`, `${NAME:?message}` or platc's `${PLATC_HTTP_PORT:-8080}`.
fn interpolation(text: &str) -> Result<(), String> {
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        let after = &rest[at + 1..];
        if let Some(next) = after.strip_prefix('$') {
            rest = next;
        } else if let Some(next) = after.strip_prefix("{PLATC_HTTP_PORT:-8080}") {
            rest = next;
        } else {
            let body = after
                .strip_prefix('{')
                .ok_or_else(|| format!("unescaped `$` in {text:?}"))?;
            let name_end = body
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(body.len());
            let close = body.find('}').ok_or_else(|| format!("unclosed `${{` in {text:?}"))?;
            if name_end == 0 || !body[name_end..].starts_with(":?") || body[..close].contains('$') {
                return Err(format!("unexpected interpolation in {text:?}"));
            }
            rest = &body[close + 1..];
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::interpolation;

    #[test]
    fn only_escaped_dollars_and_platc_variables_pass() {
        for ok in [
            "a $$5 $${HOME} $$$$",
            "${DB:?set DB (secret a/b)}",
            "${PLATC_HTTP_PORT:-8080}:8080",
            "",
        ] {
            assert!(interpolation(ok).is_ok(), "{ok}");
        }
        for bad in ["$5", "${HOME}", "$HOME", "$$$x", "${X:-y}", "${X:?a", "${X:?$y}"] {
            assert!(interpolation(bad).is_err(), "{bad}");
        }
    }
}
