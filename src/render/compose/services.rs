//! Application services and their one-shot migrations.

use super::escape::Text;
use super::order;
use super::view::{Container, Healthcheck, required};
use crate::model::{Environment, Service};

/// The service, preceded in the file by nothing and followed by its migration, if any.
pub fn containers(env: &Environment, service: &Service, dropped: &[(String, String)]) -> Vec<Container> {
    let mut main = base(service);
    main.entrypoint.clone_from(&service.command);
    main.command = service.args.iter().flatten().map(|a| Text::from(a.as_str())).collect();
    main.healthcheck = service.probes.command.as_ref().map(|command| {
        let mut test = vec!["CMD".to_string()];
        test.extend(command.iter().cloned());
        Healthcheck::new(test, 3, "30s")
    });
    main.depends_on = order::depends_on(env, service, dropped);
    main.replicas = Some(service.replicas);
    let mut all = vec![main];
    if let Some(migrate) = &service.migrate {
        let mut once = base(service);
        once.name = order::migrate_name(service);
        once.restart = "no";
        once.entrypoint = Some(migrate.clone());
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
    container.secrets = secret_mounts(service);
    container.tmpfs.clone_from(&service.writable);
    container
}

/// `env` values as written, then every secret as a required host variable of the same name,
/// or with `secret_files` as `<NAME>_FILE`, the path where its Compose secret is mounted.
fn environment(service: &Service) -> Vec<(String, Text)> {
    let plain = service.env.iter().map(|(k, v)| (k.clone(), Text::from(v.as_str())));
    let secrets = service.secrets.iter().map(|(name, reference)| {
        if service.secret_files {
            return (format!("{name}_FILE"), Text::from(secret_path(name).as_str()));
        }
        let origin = format!("secret {}/{}", reference.name, reference.key);
        (name.clone(), required(name, &origin))
    });
    plain.chain(secrets).collect()
}

/// With `secret_files`: (Compose secret, where it is mounted). The secret is named after the
/// host variable it is read from, so services reading the same variable share it.
fn secret_mounts(service: &Service) -> Vec<(String, String)> {
    let names = service.secrets.keys().filter(|_| service.secret_files);
    names.map(|name| (name.clone(), secret_path(name))).collect()
}

/// The same path as on Kubernetes, so `<NAME>_FILE` is identical on both targets.
fn secret_path(name: &str) -> String {
    format!("{}/{name}", crate::render::kubernetes::SECRETS_DIR)
}
