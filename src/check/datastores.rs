//! E0093 (with E0023 for schedules and E0003 for missing keys): a datastore's `backup`,
//! `operator`, `instances` and `pooler` must describe something platc can run — an operator
//! only on in-cluster postgres, a backup to `"volume"` or to `s3://bucket/prefix` with its
//! credentials, at least one kept backup, a valid five-field schedule.

use super::Context;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::resolve::DatastoreView;
use crate::spec::{Engine, RawBackup, RawPooler, Span, Spanned, cron, values};

pub const OPERATOR: &str = "cloudnative-pg";

pub fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for env in cx.envs {
        for datastore in &env.datastores {
            operator(datastore, out);
            if let Some(backup) = &datastore.raw.backup {
                if datastore.raw.external.is_some() {
                    not_run(datastore, "backup", backup.span.clone(), out);
                } else {
                    self::backup(datastore, backup, out);
                }
            }
        }
    }
}

fn e0093(span: Span, message: String, help: &str) -> Diagnostic {
    Diagnostic::new(Code::E0093, span, message).with_help(help)
}

fn not_run(datastore: &DatastoreView, key: &str, span: Span, out: &mut Diagnostics) {
    out.push(e0093(
        span,
        format!(
            "datastore `{}` is external: platc does not run it, so `{key}` has no effect",
            datastore.name
        ),
        "remove the key, or remove `external` to run the datastore in the cluster",
    ));
}

fn operator(datastore: &DatastoreView, out: &mut Diagnostics) {
    let raw = &datastore.raw;
    let name = &datastore.name;
    if let Some(operator) = &raw.operator {
        if raw.engine.as_ref().is_some_and(|e| e.value == Engine::Redis) {
            out.push(e0093(
                operator.span.clone(),
                format!("`operator` is for postgres; datastore `{name}` is redis"),
                "remove `operator`: redis runs as a StatefulSet",
            ));
        } else if operator.value != OPERATOR {
            out.push(e0093(
                operator.span.clone(),
                format!("unknown operator `{}` on datastore `{name}`", operator.value),
                "the supported operator is \"cloudnative-pg\"",
            ));
        } else if raw.external.is_some() {
            not_run(datastore, "operator", operator.span.clone(), out);
        }
    }
    let operated = raw.operator.as_ref().is_some_and(|o| o.value == OPERATOR);
    if let Some(instances) = &raw.instances {
        if !operated {
            without_operator(name, "instances", instances.span.clone(), out);
        } else if instances.value < 1 {
            out.push(e0093(
                instances.span.clone(),
                format!("datastore `{name}` needs at least 1 instance"),
                "instances = 1 runs a single primary; 2 or more add replicas",
            ));
        }
    }
    if let Some(pooler) = &raw.pooler {
        if operated {
            self::pooler(name, pooler, out);
        } else {
            without_operator(name, "pooler", pooler.span.clone(), out);
        }
    }
}

fn without_operator(name: &str, key: &str, span: Span, out: &mut Diagnostics) {
    out.push(e0093(
        span,
        format!("`{key}` on datastore `{name}` needs `operator = \"{OPERATOR}\"`"),
        "without the operator the datastore is a single StatefulSet pod",
    ));
}

fn pooler(name: &str, pooler: &Spanned<RawPooler>, out: &mut Diagnostics) {
    let raw = &pooler.value;
    if let Some(mode) = &raw.mode
        && !matches!(mode.value.as_str(), "session" | "transaction")
    {
        out.push(e0093(
            mode.span.clone(),
            format!(
                "pooler mode `{}` of datastore `{name}` is not a PgBouncer pool mode",
                mode.value
            ),
            "mode = \"session\" or \"transaction\"",
        ));
    }
    for (key, count) in [("instances", &raw.instances), ("max_client_conn", &raw.max_client_conn)] {
        if let Some(count) = count
            && count.value < 1
        {
            out.push(e0093(
                count.span.clone(),
                format!("pooler {key} of datastore `{name}` must be at least 1"),
                "use a positive count",
            ));
        }
    }
}

fn backup(datastore: &DatastoreView, backup: &Spanned<RawBackup>, out: &mut Diagnostics) {
    let raw = &backup.value;
    let name = &datastore.name;
    match &raw.schedule {
        None => out.push(
            Diagnostic::new(
                Code::E0003,
                backup.span.clone(),
                format!("the backup of `{name}` has no `schedule`"),
            )
            .with_help("for example schedule = \"0 2 * * *\" (every night at 02:00)"),
        ),
        Some(schedule) => {
            if let Err(message) = cron::schedule(&schedule.value) {
                out.push(Diagnostic::new(Code::E0023, schedule.span.clone(), message));
            }
        }
    }
    if let Some(keep) = &raw.keep
        && keep.value < 1
    {
        out.push(e0093(
            keep.span.clone(),
            format!("the backup of `{name}` keeps {} backups", keep.value),
            "keep counts the newest backups kept; it must be at least 1",
        ));
    }
    if let Some(size) = &raw.size {
        super::parse(size, Code::E0020, values::quantity, out);
    }
    let Some(to) = &raw.to else {
        out.push(
            Diagnostic::new(
                Code::E0003,
                backup.span.clone(),
                format!("the backup of `{name}` has no `to`"),
            )
            .with_help("to = \"volume\" or to = \"s3://bucket/prefix\""),
        );
        return;
    };
    if to.value == "volume" {
        for (key, value) in [("credentials", &raw.credentials), ("endpoint", &raw.endpoint)] {
            if let Some(value) = value {
                out.push(e0093(
                    value.span.clone(),
                    format!("`{key}` is for S3 backups; the backup of `{name}` goes to a volume"),
                    "remove it, or back up to \"s3://bucket/prefix\"",
                ));
            }
        }
    } else if let Err(message) = s3_location(&to.value) {
        out.push(e0093(
            to.span.clone(),
            message,
            "to = \"volume\" or to = \"s3://bucket/prefix\"",
        ));
    } else {
        s3(name, backup, out);
    }
}

fn s3(name: &str, backup: &Spanned<RawBackup>, out: &mut Diagnostics) {
    let raw = &backup.value;
    match &raw.credentials {
        None => out.push(e0093(
            backup.span.clone(),
            format!("the S3 backup of `{name}` has no `credentials`"),
            "credentials = \"<secret>\": a Secret with keys ACCESS_KEY_ID and ACCESS_SECRET_KEY",
        )),
        Some(secret) if !values::subdomain(&secret.value) => out.push(e0093(
            secret.span.clone(),
            format!("`{}` is not a Secret name", secret.value),
            "Secret names are lowercase DNS subdomains",
        )),
        Some(_) => {}
    }
    if let Some(size) = &raw.size {
        out.push(e0093(
            size.span.clone(),
            format!("`size` is for volume backups; the backup of `{name}` goes to S3"),
            "remove `size`",
        ));
    }
    if let Some(endpoint) = &raw.endpoint
        && !endpoint_url(&endpoint.value)
    {
        out.push(e0093(
            endpoint.span.clone(),
            format!("`{}` is not an http(s) endpoint URL", endpoint.value),
            "for example endpoint = \"https://s3.eu-west-1.amazonaws.com\"",
        ));
    }
}

/// `s3://bucket/prefix` → (bucket, prefix): an S3 bucket name and an optional plain prefix.
pub fn s3_location(text: &str) -> Result<(&str, &str), String> {
    let bad = |why: &str| format!("backup target `{text}` {why}");
    let rest = text
        .strip_prefix("s3://")
        .ok_or_else(|| bad("is neither \"volume\" nor an s3:// URL"))?;
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    let bucket_ok = (3..=63).contains(&bucket.len())
        && bucket
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
        && !bucket.starts_with(['-', '.'])
        && !bucket.ends_with(['-', '.']);
    if !bucket_ok {
        return Err(bad(
            "does not name an S3 bucket (3-63 lowercase letters, digits, '-' and '.')",
        ));
    }
    let prefix = prefix.trim_end_matches('/');
    let prefix_ok = prefix.split('/').all(|part| {
        (prefix.is_empty() || !part.is_empty()) && part.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    }) && !prefix.split('/').any(|part| part == "..");
    if !prefix_ok {
        return Err(bad(
            "has a prefix with characters other than letters, digits, '-', '_', '.' and '/'",
        ));
    }
    Ok((bucket, prefix))
}

fn endpoint_url(text: &str) -> bool {
    let Some(host) = text.strip_prefix("https://").or_else(|| text.strip_prefix("http://")) else {
        return false;
    };
    let host = host.trim_end_matches('/');
    let (host, port) = host.rsplit_once(':').unwrap_or((host, "443"));
    !host.is_empty() && values::subdomain(&host.to_ascii_lowercase()) && port.parse::<u16>().is_ok_and(|p| p > 0)
}
