//! Datastore alerts from the exporters' own metric names (`pg_up`, `pg_stat_activity_count`,
//! `pg_settings_max_connections`, `pg_stat_database_blks_*`; `redis_up`,
//! `redis_memory_used_bytes`, `redis_memory_max_bytes`, `redis_rejected_connections_total`)
//! and backup alerts from kube-state-metrics' `CronJob` and `Job` series. Every series is
//! selected by `namespace` and `service="<ds>"`, the labels the scrape configuration gives
//! an exporter's targets.

use crate::model::{Datastore, Engine, Environment, Platform};
use crate::render::promql::{Decimal, Selector, duration};

use super::{Rule, page, team_label};

/// Connections in use, as a share of `max_connections`, that warn.
const CONNECTIONS: f64 = 0.8;
/// Buffer cache hit ratio below which reads go to disk too often.
const CACHE_HIT: f64 = 0.9;

pub(super) fn rules(platform: &Platform, env: &Environment) -> Vec<Rule> {
    let mut out = Vec::new();
    for datastore in env.datastores.iter().filter(|d| d.external.is_none()) {
        if datastore.exporter {
            match datastore.engine {
                Engine::Postgres => out.extend(postgres(platform, env, datastore)),
                Engine::Redis => out.extend(redis(platform, env, datastore)),
            }
        }
        if let Some(backup) = datastore.platc_backup() {
            out.extend(backup_alerts(platform, env, datastore, backup.interval_seconds));
        }
    }
    out
}

/// `severity`, `namespace`, `service` and `datastore` (the datastore's name), and `team`.
fn labels(platform: &Platform, env: &Environment, datastore: &Datastore, severity: &str) -> crate::model::Labels {
    let mut labels = team_label(platform);
    labels.insert("severity".into(), severity.into());
    labels.insert("namespace".into(), env.namespace.clone());
    labels.insert("service".into(), datastore.name.clone());
    labels.insert("datastore".into(), datastore.name.clone());
    labels
}

fn down(platform: &Platform, env: &Environment, datastore: &Datastore, alert: &str, metric: &str) -> Rule {
    let (ns, name) = (&env.namespace, &datastore.name);
    let selector = Selector::new().eq("namespace", ns).eq("service", name);
    let down_for = platform.alerts.down_for;
    Rule::alert(
        alert,
        format!("(max({metric}{selector}) or vector(0)) == 0"),
        labels(platform, env, datastore, page(env.paging)),
        [
            ("summary", format!("{name} is down in {ns}")),
            (
                "description",
                format!(
                    "The exporter of {name} in {ns} has not reached it for {} ({metric} is 0, or the \
                     exporter itself is not scraped).",
                    down_for.text()
                ),
            ),
        ],
    )
    .lasting(duration(down_for))
}

fn postgres(platform: &Platform, env: &Environment, datastore: &Datastore) -> [Rule; 3] {
    let (ns, name) = (&env.namespace, &datastore.name);
    let sel = Selector::new().eq("namespace", ns).eq("service", name);
    let connections = Decimal::from_f64(CONNECTIONS);
    let busy = Rule::alert(
        "PostgresTooManyConnections",
        format!("sum(pg_stat_activity_count{sel}) / max(pg_settings_max_connections{sel}) > {connections}"),
        labels(platform, env, datastore, "warning"),
        [
            ("summary", format!("{name} is running out of connections in {ns}")),
            (
                "description",
                format!(
                    "{name} in {ns} uses {{{{ $value | humanizePercentage }}}} of max_connections \
                     (threshold {}%).",
                    connections.ratio_to_percent()
                ),
            ),
        ],
    )
    .lasting("5m".into());
    let hit = Decimal::from_f64(CACHE_HIT);
    let cache = Rule::alert(
        "PostgresCacheHitRateLow",
        format!(
            "sum(rate(pg_stat_database_blks_hit{sel}[10m])) / (sum(rate(pg_stat_database_blks_hit{sel}[10m])) + sum(rate(pg_stat_database_blks_read{sel}[10m]))) < {hit}"
        ),
        labels(platform, env, datastore, "warning"),
        [
            ("summary", format!("{name} reads too much from disk in {ns}")),
            (
                "description",
                format!(
                    "Only {{{{ $value | humanizePercentage }}}} of {name}'s block reads in {ns} hit the \
                     buffer cache (threshold {}%): shared_buffers or memory may be too small.",
                    hit.ratio_to_percent()
                ),
            ),
        ],
    )
    .lasting("30m".into());
    [down(platform, env, datastore, "PostgresDown", "pg_up"), busy, cache]
}

fn redis(platform: &Platform, env: &Environment, datastore: &Datastore) -> [Rule; 3] {
    let (ns, name) = (&env.namespace, &datastore.name);
    let sel = Selector::new().eq("namespace", ns).eq("service", name);
    let limit = Selector::new()
        .eq("namespace", ns)
        .eq("container", name)
        .eq("resource", "memory");
    let memory = Decimal::from_f64(platform.alerts.memory);
    let full = Rule::alert(
        "RedisMemoryHigh",
        format!(
            "max(redis_memory_used_bytes{sel}) / (max(redis_memory_max_bytes{sel} > 0) or max(kube_pod_container_resource_limits{limit})) > {memory}"
        ),
        labels(platform, env, datastore, "warning"),
        [
            ("summary", format!("{name} memory is close to its limit in {ns}")),
            (
                "description",
                format!(
                    "{name} in {ns} uses {{{{ $value | humanizePercentage }}}} of its maxmemory (or, \
                     without one, of its container's memory limit); threshold {}%.",
                    memory.ratio_to_percent()
                ),
            ),
        ],
    )
    .lasting("15m".into());
    let rejected = Rule::alert(
        "RedisRejectedConnections",
        format!("sum(increase(redis_rejected_connections_total{sel}[5m])) > 0"),
        labels(platform, env, datastore, "warning"),
        [
            ("summary", format!("{name} rejects connections in {ns}")),
            (
                "description",
                format!(
                    "{name} in {ns} rejected {{{{ $value | printf \"%.0f\" }}}} connections in the last \
                     5m: it reached maxclients."
                ),
            ),
        ],
    );
    [down(platform, env, datastore, "RedisDown", "redis_up"), full, rejected]
}

/// The newest successful backup is older than twice the schedule's longest gap; the newest
/// backup job failed.
fn backup_alerts(platform: &Platform, env: &Environment, datastore: &Datastore, interval_seconds: u64) -> [Rule; 2] {
    let (ns, name) = (&env.namespace, &datastore.name);
    let cronjob = format!("{name}-backup");
    let cron = Selector::new().eq("namespace", ns).eq("cronjob", &cronjob);
    let jobs = Selector::new()
        .eq("namespace", ns)
        .re("job_name", &format!("{cronjob}-[0-9]+"));
    let failed = jobs.clone().eq("condition", "true");
    let max_age = interval_seconds * 2;
    let stale = Rule::alert(
        "BackupTooOld",
        format!("time() - max(kube_cronjob_status_last_successful_time{cron}) > {max_age}"),
        labels(platform, env, datastore, "warning"),
        [
            ("summary", format!("{name} has no recent backup in {ns}")),
            (
                "description",
                format!(
                    "The newest successful backup of {name} in {ns} is {{{{ $value | humanizeDuration }}}} \
                     old; its schedule runs at least every {interval_seconds}s, so it should be under \
                     {max_age}s."
                ),
            ),
        ],
    )
    .lasting("10m".into());
    let last_failed = Rule::alert(
        "BackupFailed",
        format!(
            "max(kube_job_failed{failed} > 0 and on (job_name) (kube_job_status_start_time{jobs} == scalar(max(kube_job_status_start_time{jobs})))) > 0"
        ),
        labels(platform, env, datastore, "warning"),
        [
            ("summary", format!("the last backup of {name} failed in {ns}")),
            (
                "description",
                format!("The newest job of CronJob {cronjob} in {ns} failed; see its pod's logs."),
            ),
        ],
    );
    [stale, last_failed]
}
