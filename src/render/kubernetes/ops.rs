//! The pods platc runs beside a datastore (exporter, backup, restore): one shape, rendered by
//! `kubernetes/ops-pod.json.j2` with the same hardening as every other pod.

use serde::Serialize;

use super::SECRETS_DIR;
use super::workload::SecretSource;
use crate::model::Resources;

/// Every pod platc adds runs as this uid: high (checkov `CKV_K8S_40`), not the image's own.
pub const RUN_AS_USER: u32 = 10001;

#[derive(Serialize)]
pub struct Pod {
    pub service_account: String,
    pub run_as_user: u32,
    pub restart_policy: Option<&'static str>,
    pub init_containers: Vec<Container>,
    pub containers: Vec<Container>,
    pub volumes: Vec<PodVolume>,
}

#[derive(Serialize)]
pub struct Container {
    pub name: String,
    pub image: String,
    pub command: Vec<String>,
    pub args: Vec<String>,
    /// (name, number): also probed over TCP.
    pub port: Option<(&'static str, u16)>,
    pub env: Vec<(String, String)>,
    /// (variable, secret, key): only where the program cannot read a file.
    pub secret_env: Vec<(String, String, String)>,
    pub resources: Resources,
    /// (volume, path, read-only)
    pub mounts: Vec<(String, String, bool)>,
}

impl Container {
    pub fn new(name: &str, image: &str, resources: Resources) -> Self {
        Container {
            name: name.to_string(),
            image: image.to_string(),
            command: Vec::new(),
            args: Vec::new(),
            port: None,
            env: Vec::new(),
            secret_env: Vec::new(),
            resources,
            mounts: Vec::new(),
        }
    }

    pub fn env(&mut self, name: &str, value: impl Into<String>) {
        self.env.push((name.to_string(), value.into()));
    }

    pub fn mount(&mut self, volume: &str, path: &str, read_only: bool) {
        self.mounts.push((volume.to_string(), path.to_string(), read_only));
    }

    /// `sh -c <script>`: the script is fixed text; everything it needs comes from `env`.
    pub fn script(&mut self, shell: &str, script: &str) {
        self.command = vec![shell.to_string(), "-c".to_string(), script.to_string()];
    }
}

#[derive(Serialize)]
pub struct PodVolume {
    pub name: String,
    pub claim: Option<String>,
    pub secret: Option<SecretSource>,
}

impl PodVolume {
    pub fn empty(name: &str) -> Self {
        PodVolume {
            name: name.to_string(),
            claim: None,
            secret: None,
        }
    }

    pub fn claim(name: &str, claim: &str) -> Self {
        PodVolume {
            claim: Some(claim.to_string()),
            ..PodVolume::empty(name)
        }
    }

    /// The Secret's `keys` as files of the same names.
    pub fn secret(name: &str, secret: &str, keys: &[&str]) -> Self {
        PodVolume {
            secret: Some(SecretSource {
                secret: secret.to_string(),
                items: keys.iter().map(|k| ((*k).to_string(), (*k).to_string())).collect(),
            }),
            ..PodVolume::empty(name)
        }
    }
}

/// Where the datastore password is mounted, and the file holding it.
pub fn password_file() -> String {
    format!("{SECRETS_DIR}/password")
}
