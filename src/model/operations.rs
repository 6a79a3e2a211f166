//! How a datastore is operated (SPEC.md §8 Datastores): its backup and, for postgres, the
//! `CloudNativePG` cluster and pooler. Built from values the checks have passed.

use serde::Serialize;

use super::build::{BuildError, must};
use crate::check::datastores::s3_location;
use crate::spec::{RawBackup, RawDatastore, cron, values};

/// Backups kept when `keep` is not set.
pub const DEFAULT_KEEP: u32 = 7;
/// The backup claim when `size` is not set.
pub const DEFAULT_BACKUP_SIZE: &str = "10Gi";

#[derive(Debug, Clone, Serialize)]
pub struct Backup {
    /// Five-field cron, as written.
    pub schedule: String,
    /// The longest time between two scheduled runs, in seconds.
    pub interval_seconds: u64,
    pub keep: u32,
    pub to: BackupTarget,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BackupTarget {
    /// A claim of this size, `<ds>-backup`.
    Volume {
        size: String,
    },
    S3(S3Target),
}

#[derive(Debug, Clone, Serialize)]
pub struct S3Target {
    /// `s3://bucket/prefix` without a trailing slash.
    pub url: String,
    pub bucket: String,
    pub prefix: String,
    /// Secret with `ACCESS_KEY_ID` and `ACCESS_SECRET_KEY`.
    pub credentials: String,
    pub endpoint: Option<String>,
}

impl Backup {
    pub fn s3(&self) -> Option<&S3Target> {
        match &self.to {
            BackupTarget::S3(target) => Some(target),
            BackupTarget::Volume { .. } => None,
        }
    }
}

impl super::Datastore {
    /// The backup platc runs itself (a `CronJob`): every backup except the operator's own S3
    /// backups of a `CloudNativePG` cluster.
    pub fn platc_backup(&self) -> Option<&Backup> {
        let backup = self.backup.as_ref()?;
        let operator_s3 = self.operator.is_some() && backup.s3().is_some();
        (!operator_s3).then_some(backup)
    }
}

/// `operator = "cloudnative-pg"`.
#[derive(Debug, Clone, Serialize)]
pub struct Operator {
    pub instances: u32,
    pub pooler: Option<Pooler>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Pooler {
    pub instances: u32,
    pub mode: String,
    pub max_client_conn: Option<u32>,
}

type Result<T> = std::result::Result<T, BuildError>;

fn count(value: Option<&crate::spec::Spanned<i64>>, default: u32) -> Result<u32> {
    value.map_or(Ok(default), |v| {
        u32::try_from(v.value).map_err(|_| BuildError(format!("count {} out of range", v.value)))
    })
}

pub fn backup(raw: &RawBackup) -> Result<Backup> {
    let schedule = raw.schedule.as_ref().map(|s| s.value.clone()).unwrap_or_default();
    let gap = must(cron::schedule(&schedule))?.longest_gap_seconds() / 60;
    let to = raw.to.as_ref().map(|t| t.value.as_str()).unwrap_or_default();
    let to = if to == "volume" {
        let size = raw.size.as_ref().map_or(DEFAULT_BACKUP_SIZE, |s| &s.value);
        BackupTarget::Volume {
            size: must(values::quantity(size))?.text,
        }
    } else {
        let (bucket, prefix) = must(s3_location(to))?;
        BackupTarget::S3(S3Target {
            url: format!("s3://{bucket}{}{prefix}", if prefix.is_empty() { "" } else { "/" }),
            bucket: bucket.to_string(),
            prefix: prefix.to_string(),
            credentials: raw
                .credentials
                .as_ref()
                .map(|c| c.value.clone())
                .ok_or_else(|| BuildError("s3 backup without credentials".into()))?,
            endpoint: raw.endpoint.as_ref().map(|e| e.value.trim_end_matches('/').to_string()),
        })
    };
    Ok(Backup {
        schedule,
        interval_seconds: gap * 60,
        keep: count(raw.keep.as_ref(), DEFAULT_KEEP)?,
        to,
    })
}

pub fn operator(raw: &RawDatastore) -> Result<Option<Operator>> {
    if raw.operator.is_none() {
        return Ok(None);
    }
    let pooler = raw
        .pooler
        .as_ref()
        .map(|p| -> Result<Pooler> {
            let p = &p.value;
            Ok(Pooler {
                instances: count(p.instances.as_ref(), 2)?,
                mode: p.mode.as_ref().map_or("transaction", |m| &m.value).to_string(),
                max_client_conn: p.max_client_conn.as_ref().map(|m| count(Some(m), 0)).transpose()?,
            })
        })
        .transpose()?;
    Ok(Some(Operator {
        instances: count(raw.instances.as_ref(), 1)?,
        pooler,
    }))
}

/// Requests and limits (cpu, memory, cpu limit, memory limit) of the containers platc adds
/// beside a datastore. Fixed: they are small, and the quota check counts them.
pub const EXPORTER_RESOURCES: [&str; 4] = ["50m", "64Mi", "200m", "128Mi"];
pub const BACKUP_RESOURCES: [&str; 4] = ["100m", "256Mi", "1", "1Gi"];
pub const POOLER_RESOURCES: [&str; 4] = ["100m", "128Mi", "500m", "256Mi"];

pub fn fixed_resources([cpu, memory, cpu_limit, memory_limit]: [&str; 4]) -> super::Resources {
    let quantity = |text: &str| values::quantity(text).unwrap_or_else(|_| unreachable!("constant quantity {text}"));
    super::Resources {
        cpu: quantity(cpu),
        memory: quantity(memory),
        cpu_limit: quantity(cpu_limit),
        memory_limit: quantity(memory_limit),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixed_resources_parse() {
        for r in [
            super::EXPORTER_RESOURCES,
            super::BACKUP_RESOURCES,
            super::POOLER_RESOURCES,
        ] {
            let parsed = super::fixed_resources(r);
            assert!(parsed.cpu.value <= parsed.cpu_limit.value && parsed.memory.value <= parsed.memory_limit.value);
        }
    }
}
