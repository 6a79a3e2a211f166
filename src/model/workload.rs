//! The contract-v2 workload model: jobs, config files, migrations, extra ports, and the
//! builders that lower them from the checked views.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use super::build::{BuildError, count, labels, must, resources, strings};
use super::{EgressRule, Labels, Resources, SecretRef, Toleration};
use crate::resolve::JobView;
use crate::spec::{Concurrency, Map, RawMigrate, RawService, Spanned, Text, cron, values};

type Result<T> = std::result::Result<T, BuildError>;

/// A read-only config file: where it is mounted and what it holds, verbatim.
#[derive(Debug, Clone, Serialize)]
pub struct ConfigFile {
    pub path: String,
    /// The source as the spec names it, relative to the spec.
    pub source: String,
    pub content: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Migrate {
    pub command: Vec<String>,
    pub image: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct NamedPort {
    pub name: String,
    pub port: u16,
}

#[derive(Debug, Clone, Serialize)]
pub struct Job {
    pub name: String,
    pub schedule: String,
    pub timezone: Option<String>,
    /// The longest time between two scheduled runs.
    pub interval_seconds: u64,
    pub image: String,
    pub command: Option<Vec<String>>,
    pub args: Option<Vec<String>>,
    pub env: BTreeMap<String, String>,
    pub secrets: BTreeMap<String, SecretRef>,
    pub secret_files: bool,
    pub resources: Resources,
    pub uses: Vec<String>,
    pub egress: Vec<EgressRule>,
    pub files: Vec<ConfigFile>,
    pub run_as_user: u32,
    pub node_selector: Labels,
    pub tolerations: Vec<Toleration>,
    pub concurrency: Concurrency,
    pub deadline_seconds: Option<u64>,
    pub retries: u32,
    pub suspend: bool,
}

pub fn files(raw: Option<&Map<Text>>, dir: &Path) -> Result<Vec<ConfigFile>> {
    raw.into_iter()
        .flatten()
        .map(|(path, source)| {
            Ok(ConfigFile {
                path: path.clone(),
                source: source.value.clone(),
                content: must(crate::check::read_file(dir, &source.value))?,
            })
        })
        .collect()
}

pub fn migrate(raw: &RawService) -> Option<Migrate> {
    let migrate = &raw.migrate.as_ref()?.value;
    let image = match migrate {
        RawMigrate::Table(table) => table.image.as_ref().map(|i| i.value.clone()),
        RawMigrate::Command(_) => None,
    };
    Some(Migrate {
        command: migrate.command()?.clone(),
        image: image.or_else(|| raw.image.as_ref().map(|i| i.value.clone()))?,
    })
}

pub fn ports(raw: &RawService) -> Result<Vec<NamedPort>> {
    raw.ports
        .iter()
        .flatten()
        .map(|(name, port)| {
            Ok(NamedPort {
                name: name.clone(),
                port: super::build::port(port)?,
            })
        })
        .collect()
}

pub fn seconds(value: Option<&Spanned<String>>) -> Result<Option<u64>> {
    value
        .map(|v| must(values::duration(&v.value)).map(values::Duration::whole_seconds))
        .transpose()
}

/// Plain environment variables, as written.
pub fn env(raw: Option<&Map<Text>>) -> BTreeMap<String, String> {
    raw.into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.value.clone()))
        .collect()
}

/// Secret-backed variables; every ref was checked (E0061) before the model is built.
pub fn secrets(raw: Option<&Map<Text>>) -> Result<BTreeMap<String, SecretRef>> {
    raw.into_iter()
        .flatten()
        .map(|(k, v)| Ok((k.clone(), must(values::secret_ref(&v.value))?)))
        .collect()
}

pub fn egress(raw: Option<&Vec<Text>>) -> Result<Vec<EgressRule>> {
    raw.into_iter()
        .flatten()
        .map(|e| must(values::egress_rule(&e.value)))
        .collect()
}

pub fn tolerations(raw: Option<&Vec<Text>>) -> Result<Vec<Toleration>> {
    raw.into_iter()
        .flatten()
        .map(|t| must(values::toleration(&t.value)))
        .collect()
}

pub fn job(view: &JobView, dir: &Path) -> Result<Job> {
    let raw = &view.raw;
    let text = |v: &Option<Text>, what: &str| {
        v.as_ref()
            .map(|v| v.value.clone())
            .ok_or_else(|| BuildError(format!("job without {what}")))
    };
    let schedule = text(&raw.schedule, "schedule")?;
    Ok(Job {
        name: view.name.clone(),
        interval_seconds: must(cron::schedule(&schedule))?.longest_gap_seconds(),
        schedule,
        timezone: raw.timezone.as_ref().map(|t| t.value.clone()),
        image: text(&raw.image, "image")?,
        command: raw.command.as_ref().map(|c| c.value.clone()),
        args: raw.args.as_ref().map(|a| a.value.clone()),
        env: env(raw.env.as_ref()),
        secrets: secrets(raw.secrets.as_ref())?,
        secret_files: raw.secret_files.as_ref().is_some_and(|f| f.value),
        resources: resources(raw.resources.as_ref())?,
        uses: strings(raw.uses.as_ref()),
        egress: egress(raw.egress.as_ref())?,
        files: files(raw.files.as_ref(), dir)?,
        run_as_user: count(raw.run_as_user.as_ref(), 10_001)?,
        node_selector: labels(raw.node_selector.as_ref()),
        tolerations: tolerations(raw.tolerations.as_ref())?,
        concurrency: raw.concurrency.as_ref().map_or(Concurrency::Forbid, |c| c.value),
        deadline_seconds: seconds(raw.deadline.as_ref())?,
        retries: count(raw.retries.as_ref(), 2)?,
        suspend: raw.suspend.as_ref().is_some_and(|s| s.value),
    })
}
