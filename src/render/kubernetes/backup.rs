//! Backups of an in-cluster datastore: a `CronJob` `<ds>-backup` that dumps it with the
//! engine's own tool (`pg_dump --format=custom` from the official image of the same version,
//! `redis-cli --rdb`) into a claim, or into an `emptyDir` then uploaded to S3; and the restore
//! `Job` `<ds>-restore`, written outside the kustomization. Both run fixed scripts
//! (`scripts/datastore/`) configured only through their environment.

use serde::Serialize;

use super::exporter::{database_host, password_secret, postgres_login};
use super::network::{self, Entry, Policy, Rule};
use super::ops::{Container, Pod, PodVolume, RUN_AS_USER, password_file};
use super::{Meta, SECRETS_DIR};
use crate::model::operations::{BACKUP_RESOURCES, fixed_resources};
use crate::model::{Backup, BackupTarget, Datastore, Engine, Environment, Platform, S3Target};

pub const BACKUP_SCRIPT: &str = include_str!("../../../scripts/datastore/backup.sh");
pub const RESTORE_SCRIPT: &str = include_str!("../../../scripts/datastore/restore.sh");
pub const S3_UPLOAD_SCRIPT: &str = include_str!("../../../scripts/datastore/s3-upload.sh");
pub const S3_FETCH_SCRIPT: &str = include_str!("../../../scripts/datastore/s3-fetch.sh");
/// AWS's own CLI image (public ECR, no Docker Hub rate limit), pinned: maintained, speaks S3
/// and any S3-compatible store (`AWS_ENDPOINT_URL`), and ships the shell tools the scripts use.
pub const S3_IMAGE: &str = "public.ecr.aws/aws-cli/aws-cli:2.22.0";

const BACKUP_DIR: &str = "/backups";
const S3_SECRETS_DIR: &str = "/var/run/secrets/platc/s3";

#[derive(Serialize)]
pub struct JobView {
    meta: Meta,
    datastore: String,
    schedule: String,
    keep: u32,
    location: String,
    claim: Option<Claim>,
    pod: Pod,
    policy: Policy,
    instance: String,
}

#[derive(Serialize)]
struct Claim {
    size: String,
    storage_class: Option<String>,
}

pub fn backup_view(platform: &Platform, env: &Environment, datastore: &Datastore) -> Option<JobView> {
    let backup = datastore.platc_backup()?;
    let name = format!("{}-backup", datastore.name);
    let mut dump = engine_container(datastore, "dump", BACKUP_SCRIPT);
    let mut volumes = base_volumes(datastore, backup);
    let (init_containers, containers, claim) = match &backup.to {
        BackupTarget::Volume { size } => {
            dump.env("BACKUP_KEEP", backup.keep.to_string());
            let claim = Claim {
                size: size.clone(),
                storage_class: datastore.storage_class.clone(),
            };
            (Vec::new(), vec![dump], Some(claim))
        }
        BackupTarget::S3(s3) => {
            let mut upload = s3_container(datastore, s3, "upload", S3_UPLOAD_SCRIPT);
            upload.env("BACKUP_KEEP", backup.keep.to_string());
            volumes.push(PodVolume::secret("s3-credentials", &s3.credentials, &S3_KEYS));
            (vec![dump], vec![upload], None)
        }
    };
    Some(JobView {
        meta: Meta::new(platform, env, &name, "backup"),
        datastore: datastore.name.clone(),
        schedule: backup.schedule.clone(),
        keep: backup.keep,
        location: location(backup),
        claim,
        pod: Pod {
            service_account: name,
            run_as_user: RUN_AS_USER,
            restart_policy: Some("OnFailure"),
            init_containers,
            containers,
            volumes,
        },
        policy: policy(datastore, backup, true),
        instance: super::instance(platform, env),
    })
}

pub fn restore_view(platform: &Platform, env: &Environment, datastore: &Datastore) -> Option<JobView> {
    let backup = datastore.platc_backup()?;
    let name = format!("{}-restore", datastore.name);
    let mut restore = engine_container(datastore, "restore", RESTORE_SCRIPT);
    restore.env("BACKUP_NAME", "");
    let mut volumes = base_volumes(datastore, backup);
    if datastore.engine == Engine::Redis {
        // Redis loads dump.rdb from its data volume at start: the restore writes it there,
        // while the StatefulSet is scaled to zero (the claim is ReadWriteOnce).
        restore.env("REDIS_DATA_DIR", "/data");
        restore.mount("data", "/data", false);
        volumes.push(PodVolume::claim("data", &format!("data-{}-0", datastore.name)));
    }
    if datastore.operator.is_some() {
        // The operator's application owner may not create databases: restore into it.
        restore.env("RESTORE_CREATE", "false");
    }
    let mut init_containers = Vec::new();
    if let BackupTarget::S3(s3) = &backup.to {
        let mut fetch = s3_container(datastore, s3, "fetch", S3_FETCH_SCRIPT);
        fetch.env("BACKUP_NAME", "");
        init_containers.push(fetch);
        volumes.push(PodVolume::secret("s3-credentials", &s3.credentials, &S3_KEYS));
    }
    Some(JobView {
        meta: Meta::new(platform, env, &name, "restore"),
        datastore: datastore.name.clone(),
        schedule: backup.schedule.clone(),
        keep: backup.keep,
        location: location(backup),
        claim: None,
        pod: Pod {
            service_account: format!("{}-backup", datastore.name),
            run_as_user: RUN_AS_USER,
            restart_policy: Some("Never"),
            init_containers,
            containers: vec![restore],
            volumes,
        },
        policy: policy(datastore, backup, datastore.engine == Engine::Postgres),
        instance: super::instance(platform, env),
    })
}

const S3_KEYS: [&str; 2] = ["ACCESS_KEY_ID", "ACCESS_SECRET_KEY"];

fn location(backup: &Backup) -> String {
    match &backup.to {
        BackupTarget::Volume { size } => format!("a {size} volume"),
        BackupTarget::S3(s3) => s3.url.clone(),
    }
}

/// The engine's official image at the datastore's version, running `script`.
fn engine_container(datastore: &Datastore, name: &str, script: &str) -> Container {
    let image = match datastore.engine {
        Engine::Postgres => format!("postgres:{}", datastore.version),
        Engine::Redis => format!("redis:{}", datastore.version),
    };
    let mut c = Container::new(name, &image, fixed_resources(BACKUP_RESOURCES));
    c.script("sh", script);
    let engine = match datastore.engine {
        Engine::Postgres => "postgres",
        Engine::Redis => "redis",
    };
    c.env("BACKUP_ENGINE", engine);
    c.env("BACKUP_PREFIX", datastore.name.clone());
    c.env("BACKUP_DIR", BACKUP_DIR);
    let host = database_host(datastore);
    match datastore.engine {
        Engine::Postgres => {
            let (user, database) = postgres_login(datastore);
            c.env("PGHOST", host);
            c.env("PGPORT", "5432");
            c.env("PGUSER", user);
            c.env("PGDATABASE", database);
            if datastore.operator.is_some() {
                c.env("PGSSLMODE", "require");
            }
        }
        Engine::Redis => {
            c.env("REDIS_HOST", host);
            c.env("REDIS_PORT", "6379");
        }
    }
    if password_secret(datastore).is_some() {
        c.env("BACKUP_PASSWORD_FILE", password_file());
        c.mount("secrets", SECRETS_DIR, true);
    }
    c.mount("backups", BACKUP_DIR, false);
    c.mount("tmp", "/tmp", false);
    c
}

fn s3_container(datastore: &Datastore, s3: &S3Target, name: &str, script: &str) -> Container {
    let mut c = Container::new(name, S3_IMAGE, fixed_resources(BACKUP_RESOURCES));
    c.script("sh", script);
    c.env("BACKUP_PREFIX", datastore.name.clone());
    c.env("BACKUP_DIR", BACKUP_DIR);
    c.env("S3_URL", s3.url.clone());
    c.env("S3_CREDENTIALS_DIR", S3_SECRETS_DIR);
    c.env("AWS_DEFAULT_REGION", region(s3));
    if let Some(endpoint) = &s3.endpoint {
        c.env("AWS_ENDPOINT_URL", endpoint.clone());
    }
    // The root filesystem is read-only: the CLI's cache and config live under /tmp.
    c.env("HOME", "/tmp");
    c.mount("backups", BACKUP_DIR, false);
    c.mount("tmp", "/tmp", false);
    c.mount("s3-credentials", S3_SECRETS_DIR, true);
    c
}

/// The region named in an AWS endpoint (`s3.<region>.amazonaws.com`), else `us-east-1`,
/// which S3-compatible stores accept.
pub fn region(s3: &S3Target) -> String {
    s3.endpoint
        .as_deref()
        .and_then(|e| e.split("://").nth(1))
        .and_then(|host| host.strip_prefix("s3."))
        .and_then(|rest| rest.split_once(".amazonaws.com"))
        .map_or_else(|| "us-east-1".to_string(), |(region, _)| region.to_string())
}

fn base_volumes(datastore: &Datastore, backup: &Backup) -> Vec<PodVolume> {
    let mut volumes = vec![match backup.to {
        BackupTarget::Volume { .. } => PodVolume::claim("backups", &format!("{}-backup", datastore.name)),
        BackupTarget::S3(_) => PodVolume::empty("backups"),
    }];
    volumes.push(PodVolume::empty("tmp"));
    if let Some(secret) = &password_secret(datastore) {
        volumes.push(PodVolume::secret("secrets", secret, &["password"]));
    }
    volumes
}

/// Nothing comes in; out: the database (when the job talks to it) and the object store.
fn policy(datastore: &Datastore, backup: &Backup, to_database: bool) -> Policy {
    let mut egress = Vec::new();
    if to_database {
        egress.push(network::to_datastore(datastore, Entry::Database));
    }
    if let Some(s3) = backup.s3() {
        egress.push(Rule::cidr(
            "0.0.0.0/0",
            endpoint_port(s3),
            Some("the object store: its addresses are not known in advance".into()),
        ));
    }
    Policy {
        ingress: Vec::new(),
        egress,
    }
}

/// The port of the S3 endpoint (443 for AWS and any https endpoint without one).
pub fn endpoint_port(s3: &S3Target) -> u16 {
    let Some(endpoint) = &s3.endpoint else { return 443 };
    let (scheme, host) = endpoint.split_once("://").unwrap_or(("https", endpoint));
    host.rsplit_once(':')
        .and_then(|(_, port)| port.parse().ok())
        .unwrap_or(if scheme == "http" { 80 } else { 443 })
}

#[cfg(test)]
mod tests {
    use super::{endpoint_port, region};
    use crate::model::S3Target;

    fn target(endpoint: Option<&str>) -> S3Target {
        S3Target {
            url: "s3://b/p".into(),
            bucket: "b".into(),
            prefix: "p".into(),
            credentials: "c".into(),
            endpoint: endpoint.map(String::from),
        }
    }

    #[test]
    fn the_store_s_region_and_port_come_from_its_endpoint() {
        let aws = target(Some("https://s3.eu-west-1.amazonaws.com"));
        assert_eq!((region(&aws).as_str(), endpoint_port(&aws)), ("eu-west-1", 443));
        let minio = target(Some("http://minio.storage.svc:9000"));
        assert_eq!((region(&minio).as_str(), endpoint_port(&minio)), ("us-east-1", 9000));
        assert_eq!(endpoint_port(&target(Some("http://minio"))), 80);
        assert_eq!(
            (region(&target(None)).as_str(), endpoint_port(&target(None))),
            ("us-east-1", 443)
        );
    }
}
