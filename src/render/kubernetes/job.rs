//! The view of one job: `ServiceAccount`, `CronJob` (the services' pod hardening), the
//! `ConfigMap` of its files, and a `NetworkPolicy` that admits nothing and lets out exactly
//! its `uses`, DNS and `egress`.

use serde::Serialize;

use super::network::{self, Policy};
use super::workload::{SecretSource, Volume, volumes};
use super::{Meta, SECRETS_DIR};
use crate::model::{Concurrency, Environment, Job, Labels, Platform};

#[derive(Serialize)]
pub struct JobView<'a> {
    meta: Meta,
    job: &'a Job,
    pod_labels: Labels,
    pod_annotations: Labels,
    concurrency: &'static str,
    env: Vec<(String, String)>,
    secret_env: Vec<(String, String, String)>,
    secret_sources: Vec<SecretSource>,
    volumes: Vec<Volume>,
    files: Option<super::files::FilesView>,
    policy: Policy,
    instance: String,
}

pub fn view<'a>(platform: &Platform, env: &Environment, job: &'a Job) -> JobView<'a> {
    let meta = Meta::new(platform, env, &job.name, "job");
    let files = super::files::view(&job.name, &job.files);
    let mut pod_annotations = Labels::new();
    if let Some(files) = &files {
        pod_annotations.insert("platc.dev/config-hash".into(), files.hash.clone());
    }
    let (env_vars, secret_env, secret_sources) = secrets(job);
    JobView {
        pod_labels: meta.labels.clone(),
        meta,
        job,
        pod_annotations,
        concurrency: match job.concurrency {
            Concurrency::Forbid => "Forbid",
            Concurrency::Allow => "Allow",
            Concurrency::Replace => "Replace",
        },
        env: env_vars,
        secret_env,
        secret_sources,
        volumes: volumes(&["/tmp".to_string()]),
        files,
        policy: Policy {
            ingress: Vec::new(),
            egress: network::egress(env, &job.uses, &job.egress),
        },
        instance: super::instance(platform, env),
    }
}

type Secrets = (Vec<(String, String)>, Vec<(String, String, String)>, Vec<SecretSource>);

/// Plain variables and secrets, as variables by reference or, with `secret_files`, as files.
fn secrets(job: &Job) -> Secrets {
    let mut plain: Vec<(String, String)> = job.env.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    if !job.secret_files {
        let by_reference = job
            .secrets
            .iter()
            .map(|(name, r)| (name.clone(), r.name.clone(), r.key.clone()))
            .collect();
        return (plain, by_reference, Vec::new());
    }
    plain.extend(
        job.secrets
            .keys()
            .map(|name| (format!("{name}_FILE"), format!("{SECRETS_DIR}/{name}"))),
    );
    let mut sources: Vec<SecretSource> = Vec::new();
    for (variable, reference) in &job.secrets {
        let item = (reference.key.clone(), variable.clone());
        match sources.iter_mut().find(|s| s.secret == reference.name) {
            Some(source) => source.items.push(item),
            None => sources.push(SecretSource {
                secret: reference.name.clone(),
                items: vec![item],
            }),
        }
    }
    sources.sort_by(|a, b| a.secret.cmp(&b.secret));
    (plain, Vec::new(), sources)
}
