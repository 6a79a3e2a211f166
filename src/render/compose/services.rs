//! Application services and their one-shot migrations.

use super::escape::Text;
use super::order;
use super::view::{Container, Healthcheck, required};
use std::collections::BTreeMap;

use crate::model::{ConfigFile, Environment, SecretRef, Service};

/// The service, preceded in the file by nothing and followed by its migration, if any.
pub fn containers(env: &Environment, service: &Service, dropped: &[(String, String)]) -> Vec<Container> {
    let mut main = base(service);
    main.entrypoint.clone_from(&service.command);
    main.command = service.args.iter().flatten().map(|a| Text::from(a.as_str())).collect();
    main.healthcheck = service.probes.command.as_ref().map(|command| {
        let mut test = vec!["CMD".to_string()];
        test.extend(command.iter().cloned());
        let probes = &service.probes;
        let mut check = Healthcheck::new(test, probes.failures.unwrap_or(3), "30s");
        check.interval = probes.period.map_or_else(|| "10s".into(), |s| format!("{s}s"));
        check.timeout = probes.timeout.map_or_else(|| "5s".into(), |s| format!("{s}s"));
        if let Some(delay) = probes.initial_delay {
            check.start_period = format!("{delay}s");
        }
        check
    });
    main.expose = service
        .port
        .into_iter()
        .chain(service.ports.iter().map(|p| p.port))
        .collect();
    main.depends_on = order::depends_on(env, service, dropped);
    main.replicas = Some(service.replicas);
    let mut all = vec![main];
    if let Some(migrate) = &service.migrate {
        let mut once = base(service);
        once.name = order::migrate_name(service);
        once.restart = "no";
        once.image.clone_from(&migrate.image);
        once.entrypoint = Some(migrate.command.clone());
        once.depends_on = order::migrate_depends_on(env, service);
        all.push(once);
    }
    all
}

/// What a service and its migration share: image, environment, user, writable paths.
fn base(service: &Service) -> Container {
    let user = format!("{0}:{0}", service.run_as_user);
    let mut container = Container::new(&service.name, &service.image, user, &service.resources);
    container.environment = environment(service);
    container.secrets = secret_mounts(&service.secrets, service.secret_files);
    container.volumes = config_mounts(&service.name, &service.files);
    container.tmpfs.clone_from(&service.writable);
    container
}

/// `env` values as written, then the secrets.
fn environment(service: &Service) -> Vec<(String, Text)> {
    let plain = service.env.iter().map(|(k, v)| (k.clone(), Text::from(v.as_str())));
    plain
        .chain(secret_variables(&service.secrets, service.secret_files))
        .collect()
}

/// Every secret as a required host variable of the same name, or with `secret_files` as
/// `<NAME>_FILE`, the path where its Compose secret is mounted.
pub fn secret_variables(secrets: &BTreeMap<String, SecretRef>, files: bool) -> Vec<(String, Text)> {
    let variables = secrets.iter().map(|(name, reference)| {
        if files {
            return (format!("{name}_FILE"), Text::from(secret_path(name).as_str()));
        }
        let origin = format!("secret {}/{}", reference.name, reference.key);
        (name.clone(), required(name, &origin))
    });
    variables.collect()
}

/// With `secret_files`: (Compose secret, where it is mounted). The secret is named after the
/// host variable it is read from, so workloads reading the same variable share it.
pub fn secret_mounts(secrets: &BTreeMap<String, SecretRef>, files: bool) -> Vec<(String, String)> {
    let names = secrets.keys().filter(|_| files);
    names.map(|name| (name.clone(), secret_path(name))).collect()
}

/// Where a workload's config file is copied inside the Compose folder.
pub fn config_copy(workload: &str, file: &ConfigFile) -> String {
    format!("files/{workload}{}", file.path)
}

/// Read-only bind mounts of the copies, at exactly the files' paths.
pub fn config_mounts(workload: &str, files: &[ConfigFile]) -> Vec<String> {
    files
        .iter()
        .map(|file| format!("./{}:{}:ro", config_copy(workload, file), file.path))
        .collect()
}

/// The same path as on Kubernetes, so `<NAME>_FILE` is identical on both targets.
fn secret_path(name: &str) -> String {
    format!("{}/{name}", crate::render::kubernetes::SECRETS_DIR)
}
