//! In-stack datastores: the official image at the spec's version (whatever the Kubernetes
//! operator), data in a named volume, `settings` as the engine's own flags, and the password
//! from the host environment exactly when the spec names a `secret` — as on Kubernetes,
//! a datastore without one runs without a password.

use super::escape::Text;
use super::view::{Container, Healthcheck, required};
use crate::model::{Datastore, Engine};

/// The images' own uid (Debian-based official images): with every capability dropped the
/// entrypoint cannot switch users, so the container starts as that user.
const DATASTORE_USER: &str = "999:999";

/// `<NAME>_PASSWORD`, `-` → `_`: the host variable holding a datastore's password.
pub fn password_variable(datastore: &Datastore) -> String {
    format!("{}_PASSWORD", datastore.name.to_ascii_uppercase().replace('-', "_"))
}

/// Where the password comes from, for messages and `.env.example`.
pub fn password_origin(datastore: &Datastore) -> String {
    match &datastore.secret {
        Some(secret) => format!("secret {secret}/password"),
        None => "no secret in the spec: choose one".to_string(),
    }
}

pub fn volume(datastore: &Datastore) -> String {
    format!("{}-data", datastore.name)
}

/// The host variable holding the password, as Compose reads it; `None` without a `secret`.
pub fn password(datastore: &Datastore) -> Option<Text> {
    datastore.secret.as_ref()?;
    Some(required(&password_variable(datastore), &password_origin(datastore)))
}

pub fn container(datastore: &Datastore) -> Container {
    let image = format!("{}:{}", engine_name(datastore.engine), datastore.version);
    let mut c = Container::new(&datastore.name, &image, DATASTORE_USER.into(), &datastore.resources);
    let password = password(datastore);
    match datastore.engine {
        Engine::Postgres => postgres(&mut c, datastore, password),
        Engine::Redis => redis(&mut c, datastore, password),
    }
    c
}

pub fn engine_name(engine: Engine) -> &'static str {
    match engine {
        Engine::Postgres => "postgres",
        Engine::Redis => "redis",
    }
}

fn postgres(c: &mut Container, datastore: &Datastore, password: Option<Text>) {
    if !datastore.settings.is_empty() {
        c.command.push("postgres".into());
        for (key, value) in &datastore.settings {
            c.command.push("-c".into());
            c.command.push(format!("{key}={value}").into());
        }
    }
    // The same login as on Kubernetes: the spec's, or the operator's `app` owner and database.
    let (user, database) = crate::render::kubernetes::postgres_login(datastore);
    if datastore.user.is_some() || datastore.operator.is_some() {
        c.environment.push(("POSTGRES_USER".into(), user.as_str().into()));
    }
    if datastore.database.is_some() || datastore.operator.is_some() {
        c.environment.push(("POSTGRES_DB".into(), database.as_str().into()));
    }
    match password {
        Some(password) => c.environment.push(("POSTGRES_PASSWORD".into(), password)),
        // No secret: as on Kubernetes, only the containers of this stack can connect.
        None => c.environment.push(("POSTGRES_HOST_AUTH_METHOD".into(), "trust".into())),
    }
    c.volumes.push(format!(
        "{}:{}",
        volume(datastore),
        postgres_data_dir(&datastore.version)
    ));
    // The image's entrypoint writes its socket here; the root filesystem is read-only.
    c.tmpfs.push("/var/run/postgresql".into());
    // Over TCP: during initialisation the temporary server listens on the socket only, so a
    // socket check could pass before the real server is up.
    let test = ["CMD", "pg_isready", "--host=127.0.0.1", "--port=5432"]
        .map(String::from)
        .into_iter()
        .chain([format!("--username={user}"), format!("--dbname={database}")])
        .collect();
    c.healthcheck = Some(Healthcheck::new(test, 5, "30s"));
}

/// postgres 18 moved `PGDATA` under a versioned folder and expects the parent mounted.
fn postgres_data_dir(version: &str) -> &'static str {
    let major: u32 = version
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or(0);
    if major >= 18 {
        "/var/lib/postgresql"
    } else {
        "/var/lib/postgresql/data"
    }
}

/// With a secret Redis requires its password, as on Kubernetes; the healthcheck reads it from
/// `REDISCLI_AUTH`, never from its command.
fn redis(c: &mut Container, datastore: &Datastore, password: Option<Text>) {
    c.command = vec!["redis-server".into()];
    if let Some(password) = password {
        c.command.extend(["--requirepass".into(), password.clone()]);
        c.environment.push(("REDISCLI_AUTH".into(), password));
    }
    for (key, value) in &datastore.settings {
        c.command.push(format!("--{key}").into());
        c.command.push(value.as_str().into());
    }
    c.volumes.push(format!("{}:/data", volume(datastore)));
    let test = vec!["CMD-SHELL".into(), "redis-cli ping | grep -q PONG".into()];
    c.healthcheck = Some(Healthcheck::new(test, 5, "10s"));
}
