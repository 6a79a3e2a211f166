//! The view of one datastore: in-cluster (`StatefulSet` and friends) or external (`ExternalName`).

use serde::Serialize;

use super::network::{self, Policy};
use super::workload::{Probe, SecretSource, Volume, volumes};
use super::{Meta, SECRETS_DIR};
use crate::model::{Datastore, Engine, Environment, Platform};

const DATA_DIR: [&str; 2] = ["/var/lib/postgresql/data", "/data"];

#[derive(Serialize)]
pub struct DatastoreView<'a> {
    meta: Meta,
    datastore: &'a Datastore,
    instance: String,
    image: String,
    port: u16,
    config_file: &'static str,
    config_dir: &'static str,
    config: String,
    command: Vec<String>,
    args: Vec<String>,
    env: Vec<(String, String)>,
    secret_sources: Vec<SecretSource>,
    data_dir: &'static str,
    volumes: Vec<Volume>,
    probe: Probe,
    policy: Policy,
}

pub fn view<'a>(platform: &Platform, env: &Environment, datastore: &'a Datastore) -> (&'static str, DatastoreView<'a>) {
    let meta = Meta::new(platform, env, &datastore.name, "datastore");
    let postgres = datastore.engine == Engine::Postgres;
    let password_file = format!("{SECRETS_DIR}/password");
    let secret_sources: Vec<SecretSource> = datastore
        .secret
        .iter()
        .map(|secret| SecretSource {
            secret: secret.clone(),
            items: vec![("password".into(), "password".into())],
        })
        .collect();
    let has_secret = !secret_sources.is_empty();
    let (command, args, env_vars, probe) = if postgres {
        postgres_container(datastore, has_secret, &password_file)
    } else {
        redis_container(datastore, has_secret, &password_file)
    };
    let scratch: Vec<String> = if postgres {
        vec!["/var/run/postgresql".into(), "/tmp".into()]
    } else {
        vec!["/tmp".into()]
    };
    let view = DatastoreView {
        instance: super::instance(platform, env),
        image: format!("{}:{}", if postgres { "postgres" } else { "redis" }, datastore.version),
        port: datastore.port(),
        config_file: if postgres { "postgresql.conf" } else { "redis.conf" },
        config_dir: if postgres { "/etc/postgresql" } else { "/etc/redis" },
        config: if postgres {
            postgres_config(datastore)
        } else {
            redis_config(datastore)
        },
        command,
        args,
        env: env_vars,
        secret_sources,
        data_dir: DATA_DIR[usize::from(!postgres)],
        volumes: volumes(&scratch),
        probe,
        policy: network::datastore_policy(env, datastore),
        meta,
        datastore,
    };
    let template = if datastore.external.is_some() {
        "kubernetes/external-datastore.json.j2"
    } else {
        "kubernetes/datastore.json.j2"
    };
    (template, view)
}

type Container = (Vec<String>, Vec<String>, Vec<(String, String)>, Probe);

fn postgres_container(datastore: &Datastore, has_secret: bool, password_file: &str) -> Container {
    let mut env = vec![("PGDATA".to_string(), format!("{}/pgdata", DATA_DIR[0]))];
    if let Some(database) = &datastore.database {
        env.push(("POSTGRES_DB".into(), database.clone()));
    }
    if let Some(user) = &datastore.user {
        env.push(("POSTGRES_USER".into(), user.clone()));
    }
    if has_secret {
        env.push(("POSTGRES_PASSWORD_FILE".into(), password_file.to_string()));
    } else {
        // No secret: only the pods the NetworkPolicy admits can connect at all.
        env.push(("POSTGRES_HOST_AUTH_METHOD".into(), "trust".into()));
    }
    let user = datastore.user.clone().unwrap_or_else(|| "postgres".into());
    let probe = ["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-U", &user];
    let probe = Probe {
        http: None,
        exec: Some(probe.iter().map(std::string::ToString::to_string).collect()),
        tcp: false,
        period: 10,
        failures: 6,
    };
    let args = vec![
        "-c".to_string(),
        "config_file=/etc/postgresql/postgresql.conf".to_string(),
    ];
    (Vec::new(), args, env, probe)
}

fn redis_container(_datastore: &Datastore, has_secret: bool, password_file: &str) -> Container {
    let (command, probe) = if has_secret {
        let start = format!("exec redis-server /etc/redis/redis.conf --requirepass \"$(cat {password_file})\"");
        let check =
            format!("REDISCLI_AUTH=\"$(cat {password_file})\" redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG");
        (
            vec!["sh".into(), "-c".into(), start],
            vec!["sh".into(), "-c".into(), check],
        )
    } else {
        let command = vec!["redis-server".into(), "/etc/redis/redis.conf".into()];
        (
            command,
            vec![
                "sh".into(),
                "-c".into(),
                "redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG".into(),
            ],
        )
    };
    let probe = Probe {
        http: None,
        exec: Some(probe),
        tcp: false,
        period: 10,
        failures: 6,
    };
    (command, Vec::new(), Vec::new(), probe)
}

/// postgresql.conf: every value single-quoted (valid for numbers too), quotes doubled.
fn postgres_config(datastore: &Datastore) -> String {
    let mut lines = vec![
        "listen_addresses = '*'".to_string(),
        "port = 5432".to_string(),
        "unix_socket_directories = '/var/run/postgresql'".to_string(),
    ];
    for (key, value) in &datastore.settings {
        lines.push(format!("{key} = '{}'", value.replace('\\', "\\\\").replace('\'', "''")));
    }
    lines.join("\n") + "\n"
}

/// redis.conf: values double-quoted with escapes, so spaces and quotes survive.
fn redis_config(datastore: &Datastore) -> String {
    let mut lines = vec![
        "port 6379".to_string(),
        "dir /data".to_string(),
        "protected-mode no".to_string(),
    ];
    for (key, value) in &datastore.settings {
        let escaped = value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
        lines.push(format!("{key} \"{escaped}\""));
    }
    lines.join("\n") + "\n"
}
