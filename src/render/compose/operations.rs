//! What runs beside an in-stack datastore: its exporter (in monitored environments, scraped
//! as service `<ds>`), and with a `backup` two on-demand services, `<ds>-backup` and
//! `<ds>-restore` (profiles `backup` and `restore`: `docker compose run --rm <ds>-backup`).
//! They run the same scripts and variables as the Kubernetes `CronJob` and restore `Job`;
//! on Compose the dumps stay in the named volume `<ds>-backups` whatever `to` says.

use super::datastores::{engine_name, password, volume};
use super::escape::Text;
use super::view::Container;
use crate::model::operations::{BACKUP_RESOURCES, EXPORTER_RESOURCES, fixed_resources};
use crate::model::{Datastore, Engine};
use crate::render::kubernetes::{
    BACKUP_SCRIPT, POSTGRES_EXPORTER, REDIS_EXPORTER, RESTORE_SCRIPT, exporter_port, postgres_login,
};

const NOBODY: &str = "65534:65534";
/// The official images' own user, which owns the folders the backups volume is mounted on.
const DATASTORE_USER: &str = "999:999";

/// (service label, metrics path, port, container name) for the Prometheus scrape jobs.
pub fn scrape_job(datastore: &Datastore) -> (String, u16, String) {
    (
        datastore.name.clone(),
        exporter_port(datastore.engine),
        format!("{}-exporter", datastore.name),
    )
}

pub fn exporter(datastore: &Datastore) -> Container {
    let name = format!("{}-exporter", datastore.name);
    let image = match datastore.engine {
        Engine::Postgres => POSTGRES_EXPORTER,
        Engine::Redis => REDIS_EXPORTER,
    };
    let mut c = Container::new(&name, image, NOBODY.into(), &fixed_resources(EXPORTER_RESOURCES));
    let host = &datastore.name;
    match datastore.engine {
        Engine::Postgres => {
            let (user, database) = postgres_login(datastore);
            let uri = format!("{host}:5432/{database}?sslmode=disable");
            c.environment.push(("DATA_SOURCE_URI".into(), uri.into()));
            c.environment.push(("DATA_SOURCE_USER".into(), user.into()));
            if let Some(password) = password(datastore) {
                c.environment.push(("DATA_SOURCE_PASS".into(), password));
            }
        }
        Engine::Redis => {
            let address = format!("redis://{host}:6379");
            c.environment.push(("REDIS_ADDR".into(), address.into()));
            if let Some(password) = password(datastore) {
                c.environment.push(("REDIS_PASSWORD".into(), password));
            }
        }
    }
    c.depends_on.push((datastore.name.clone(), "service_healthy"));
    c
}

/// The backups volume of a datastore.
pub fn backups_volume(datastore: &Datastore) -> String {
    format!("{}-backups", datastore.name)
}

/// A new named volume takes the owner of the folder it is mounted on, so the backup service
/// mounts it where the image's own user owns the folder.
fn owned_dir(engine: Engine) -> &'static str {
    match engine {
        Engine::Postgres => "/var/lib/postgresql",
        Engine::Redis => "/data",
    }
}

pub fn backup(datastore: &Datastore) -> Option<Container> {
    let backup = datastore.backup.as_ref()?;
    let dir = owned_dir(datastore.engine);
    let mut c = on_demand(datastore, "backup", BACKUP_SCRIPT, dir);
    c.environment
        .push(("BACKUP_KEEP".into(), backup.keep.to_string().into()));
    c.volumes.push(format!("{}:{dir}", backups_volume(datastore)));
    Some(c)
}

pub fn restore(datastore: &Datastore) -> Option<Container> {
    datastore.backup.as_ref()?;
    let mut c = on_demand(datastore, "restore", RESTORE_SCRIPT, "/backups");
    c.volumes.push(format!("{}:/backups:ro", backups_volume(datastore)));
    if datastore.engine == Engine::Redis {
        // Redis reads dump.rdb at start: stop it, restore, start it (README).
        c.environment.push(("REDIS_DATA_DIR".into(), "/data".into()));
        c.volumes.push(format!("{}:/data", volume(datastore)));
        c.depends_on.clear();
    }
    Some(c)
}

fn on_demand(datastore: &Datastore, role: &'static str, script: &str, dir: &str) -> Container {
    let name = format!("{}-{role}", datastore.name);
    let image = format!("{}:{}", engine_name(datastore.engine), datastore.version);
    let mut c = Container::new(&name, &image, DATASTORE_USER.into(), &fixed_resources(BACKUP_RESOURCES));
    c.restart = "no";
    c.profiles = vec![role];
    c.entrypoint = Some(vec!["sh".into(), "-c".into(), script.to_string()]);
    let mut env: Vec<(&str, String)> = vec![
        ("BACKUP_ENGINE", engine_name(datastore.engine).to_string()),
        ("BACKUP_PREFIX", datastore.name.clone()),
        ("BACKUP_DIR", dir.to_string()),
    ];
    match datastore.engine {
        Engine::Postgres => {
            let (user, database) = postgres_login(datastore);
            env.extend([
                ("PGHOST", datastore.name.clone()),
                ("PGPORT", "5432".into()),
                ("PGUSER", user),
                ("PGDATABASE", database),
            ]);
        }
        Engine::Redis => {
            env.extend([("REDIS_HOST", datastore.name.clone()), ("REDIS_PORT", "6379".into())]);
        }
    }
    c.environment = env.into_iter().map(|(k, v)| (k.to_string(), Text::from(v))).collect();
    if let Some(password) = password(datastore) {
        let variable = match datastore.engine {
            Engine::Postgres => "PGPASSWORD",
            Engine::Redis => "REDISCLI_AUTH",
        };
        c.environment.push((variable.into(), password));
    }
    c.depends_on.push((datastore.name.clone(), "service_healthy"));
    c
}
