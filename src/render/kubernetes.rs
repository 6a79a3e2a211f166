//! The Kubernetes target: per environment a folder that `kubectl apply -k` accepts.
//!
//! Rust computes what needs logic (labels, probes, secret mounts, network peers); the
//! templates under `templates/kubernetes/` hold the structure. Secrets reach containers as
//! `valueFrom.secretKeyRef` variables (SPEC §3, §8), or with `secret_files = true` as
//! read-only files with a `<NAME>_FILE` variable pointing at each (the Docker `_FILE`
//! convention); never as values.

mod analysis;
mod backup;
mod cnpg;
mod datastore;
mod exporter;
mod files;
mod job;
mod monitoring;
mod network;
mod ops;
mod rollout;
mod workload;

use std::collections::BTreeMap;

pub(crate) use backup::{BACKUP_SCRIPT, RESTORE_SCRIPT};
pub(crate) use exporter::{POSTGRES_EXPORTER, REDIS_EXPORTER, port as exporter_port, postgres_login};

use serde::Serialize;

use super::{OutputFile, RenderError};
use crate::model::{Environment, Labels, Platform};

pub(crate) const SECRETS_DIR: &str = "/var/run/secrets/platc";
pub(crate) const MONITORING_NAMESPACE: &str = "monitoring";

/// Name, namespace and labels of one object. Templates write the labels and the selector
/// whole, several times per file (`"labels": {{ meta.labels }}`): each is JSON text, written
/// once (`json_text`).
#[derive(Serialize)]
pub(crate) struct Meta {
    name: String,
    namespace: String,
    #[serde(serialize_with = "super::templates::json_text")]
    pub(crate) labels: Labels,
    #[serde(serialize_with = "super::templates::json_text")]
    selector: Labels,
}

impl Meta {
    pub(crate) fn new(platform: &Platform, env: &Environment, name: &str, component: &str) -> Self {
        let selector: Labels = [
            ("app.kubernetes.io/name".to_string(), name.to_string()),
            ("app.kubernetes.io/instance".to_string(), instance(platform, env)),
        ]
        .into();
        let mut labels = platform.labels.clone();
        labels.extend(selector.clone());
        labels.insert("app.kubernetes.io/part-of".into(), platform.name.clone());
        labels.insert("app.kubernetes.io/managed-by".into(), "platc".into());
        labels.insert("app.kubernetes.io/component".into(), component.into());
        if let Some(team) = &platform.team {
            labels.insert("team".into(), team.clone());
        }
        Meta {
            name: name.to_string(),
            namespace: env.namespace.clone(),
            labels,
            selector,
        }
    }
}

/// Renders the object template `name` (`*.json.j2`), reads every object it wrote back into
/// its Kubernetes type (`verify::kubernetes::objects`), and writes them as YAML documents.
pub(crate) fn render_template(
    templates: &minijinja::Environment<'static>,
    name: &str,
    context: impl Serialize,
) -> Result<String, RenderError> {
    let json = templates
        .get_template(name)?
        .render(minijinja::Value::from(minijinja::value::Serde(&context)))?;
    objects_yaml(name, &json)
}

/// Typed data (an object built in Rust) through the same check and writer as the templates.
pub(crate) fn data_yaml(what: &str, object: &impl Serialize) -> Result<String, RenderError> {
    let json = serde_json::to_string(object).map_err(|e| RenderError(format!("{what}: {e}")))?;
    objects_yaml(what, &json)
}

fn objects_yaml(what: &str, json: &str) -> Result<String, RenderError> {
    let fail = |e: String| RenderError(format!("{what} does not parse back: {e}"));
    let objects = super::json::parse(json).map_err(fail)?;
    let yaml = super::yaml::documents(&objects);
    crate::verify::kubernetes::objects(objects).map_err(fail)?;
    Ok(yaml)
}

pub(crate) fn instance(platform: &Platform, env: &Environment) -> String {
    format!("{}-{}", platform.name, env.name)
}

pub fn render(
    templates: &minijinja::Environment<'static>,
    platform: &Platform,
    env: &Environment,
) -> Result<Vec<OutputFile>, RenderError> {
    let dir = format!("kubernetes/{}", env.name);
    let mut files = vec![(
        "namespace.yaml".to_string(),
        render_template(templates, "kubernetes/namespace.json.j2", namespace_view(platform, env))?,
    )];
    // Services are most of a folder's work and independent of each other: spread them over
    // the cores (in order), so that `build -o`, which renders one folder at a time, uses them.
    let services = crate::parallel::map(&env.services, |service| {
        let view = workload::view(platform, env, service);
        let text = render_template(templates, "kubernetes/service.json.j2", view)?;
        Ok::<_, RenderError>((format!("services/{}.yaml", service.name), text))
    });
    for service in services {
        files.push(service?);
    }
    for job in &env.jobs {
        files.push((
            format!("jobs/{}.yaml", job.name),
            render_template(templates, "kubernetes/cronjob.json.j2", job::view(platform, env, job))?,
        ));
    }
    let mut restores = Vec::new();
    for datastore in &env.datastores {
        files.extend(datastore_files(templates, platform, env, datastore)?);
        restores.extend(restore_file(templates, platform, env, datastore)?);
    }
    if let Some(view) = ingress_view(platform, env) {
        files.push((
            "ingress.yaml".to_string(),
            render_template(templates, "kubernetes/ingress.json.j2", view)?,
        ));
    }
    if platform.prometheus_operator {
        files.extend(monitoring::files(templates, platform, env)?);
    }
    let resources: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    let kustomization = render_template(
        templates,
        "kubernetes/kustomization.json.j2",
        serde_json::json!({ "resources": resources }),
    )?;
    files.push(("kustomization.yaml".to_string(), kustomization));
    // Restores are applied on purpose, never with the rest: outside the kustomization.
    files.extend(restores);
    Ok(super::in_folder(&dir, files))
}

/// `datastores/<ds>.yaml` and, beside it, its exporter and backup.
fn datastore_files(
    templates: &minijinja::Environment<'static>,
    platform: &Platform,
    env: &Environment,
    datastore: &crate::model::Datastore,
) -> Result<Vec<(String, String)>, RenderError> {
    let name = &datastore.name;
    let main = if datastore.operator.is_some() {
        let view = cnpg::view(platform, env, datastore, false);
        render_template(templates, "kubernetes/cnpg.json.j2", view)?
    } else {
        let (template, view) = datastore::view(platform, env, datastore);
        render_template(templates, template, view)?
    };
    let mut files = vec![(format!("datastores/{name}.yaml"), main)];
    if datastore.exporter {
        let view = exporter::view(platform, env, datastore);
        let text = render_template(templates, "kubernetes/datastore-exporter.json.j2", view)?;
        files.push((format!("datastores/{name}-exporter.yaml"), text));
    }
    if let Some(view) = backup::backup_view(platform, env, datastore) {
        let text = render_template(templates, "kubernetes/datastore-backup.json.j2", view)?;
        files.push((format!("datastores/{name}-backup.yaml"), text));
    }
    Ok(files)
}

/// `restore/<ds>.yaml`: a restore `Job`, or for the operator's S3 backups a recovery `Cluster`.
fn restore_file(
    templates: &minijinja::Environment<'static>,
    platform: &Platform,
    env: &Environment,
    datastore: &crate::model::Datastore,
) -> Result<Option<(String, String)>, RenderError> {
    let path = format!("restore/{}.yaml", datastore.name);
    if let Some(view) = backup::restore_view(platform, env, datastore) {
        let text = render_template(templates, "kubernetes/datastore-restore.json.j2", view)?;
        return Ok(Some((path, text)));
    }
    if datastore.operator.is_some() && datastore.backup.as_ref().is_some_and(|b| b.s3().is_some()) {
        let view = cnpg::view(platform, env, datastore, true);
        let text = render_template(templates, "kubernetes/cnpg-restore.json.j2", view)?;
        return Ok(Some((path, text)));
    }
    Ok(None)
}

#[derive(Serialize)]
struct NamespaceView<'a> {
    meta: Meta,
    namespace_labels: Labels,
    quota: BTreeMap<&'static str, String>,
    defaults: Option<&'a crate::model::Resources>,
}

fn namespace_view<'a>(platform: &Platform, env: &'a Environment) -> NamespaceView<'a> {
    let mut meta = Meta::new(platform, env, &env.namespace, "namespace");
    meta.name = env.namespace.clone();
    let mut namespace_labels = meta.labels.clone();
    namespace_labels.extend(env.labels.clone());
    for mode in ["enforce", "audit", "warn"] {
        namespace_labels.insert(format!("pod-security.kubernetes.io/{mode}"), "restricted".into());
        namespace_labels.insert(format!("pod-security.kubernetes.io/{mode}-version"), "latest".into());
    }
    let mut quota = BTreeMap::new();
    if let Some(q) = &env.quota {
        let fields = [
            ("requests.cpu", q.requests_cpu.as_ref().map(|v| v.text.clone())),
            ("requests.memory", q.requests_memory.as_ref().map(|v| v.text.clone())),
            ("limits.cpu", q.limits_cpu.as_ref().map(|v| v.text.clone())),
            ("limits.memory", q.limits_memory.as_ref().map(|v| v.text.clone())),
            ("pods", q.pods.map(|n| n.to_string())),
            ("persistentvolumeclaims", q.pvcs.map(|n| n.to_string())),
        ];
        quota.extend(fields.into_iter().filter_map(|(k, v)| Some((k, v?))));
    }
    NamespaceView {
        meta,
        namespace_labels,
        quota,
        defaults: env.container_defaults.as_ref(),
    }
}

#[derive(Serialize)]
struct IngressView<'a> {
    meta: Meta,
    ingress: &'a crate::model::Ingress,
    host: &'a str,
    annotations: Labels,
    paths: Vec<(&'a str, &'a str)>,
}

fn ingress_view<'a>(platform: &Platform, env: &'a Environment) -> Option<IngressView<'a>> {
    let ingress = env.ingress.as_ref()?;
    let host = ingress.host.as_deref()?;
    let paths: Vec<(&str, &str)> = env
        .services
        .iter()
        .flat_map(|s| s.routes.iter().map(move |r| (r.as_str(), s.name.as_str())))
        .collect();
    if paths.is_empty() {
        return None;
    }
    let mut annotations = Labels::new();
    if let Some(issuer) = &ingress.cluster_issuer {
        annotations.insert("cert-manager.io/cluster-issuer".into(), issuer.clone());
    }
    if ingress.class == "nginx" {
        let nginx = "nginx.ingress.kubernetes.io";
        if let Some(rps) = ingress.rate_limit_rps {
            annotations.insert(format!("{nginx}/limit-rps"), rps.to_string());
        }
        if let Some(size) = &ingress.body_size {
            annotations.insert(format!("{nginx}/proxy-body-size"), size.clone());
        }
        if !ingress.cors_origins.is_empty() {
            annotations.insert(format!("{nginx}/enable-cors"), "true".into());
            annotations.insert(format!("{nginx}/cors-allow-origin"), ingress.cors_origins.join(", "));
        }
    }
    Some(IngressView {
        meta: Meta::new(platform, env, &platform.name, "ingress"),
        ingress,
        host,
        annotations,
        paths,
    })
}
