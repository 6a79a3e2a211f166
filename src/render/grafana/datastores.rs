//! The overview's datastore row: for each scraped datastore its exporter's view (`PostgreSQL`
//! connections against `max_connections` and cache hit ratio; Redis memory against its limit
//! and clients), and the age of each datastore's newest successful backup.

use super::panels::{FROM_ZERO, Layout, Query, timeseries};
use crate::model::{Datastore, Engine, Environment};
use crate::render::promql::Selector;

pub(super) fn row(layout: &mut Layout, env: &Environment) {
    let scraped: Vec<&Datastore> = env.datastores.iter().filter(|d| d.exporter).collect();
    let backed_up: Vec<&str> = env
        .datastores
        .iter()
        .filter(|d| d.platc_backup().is_some())
        .map(|d| d.name.as_str())
        .collect();
    if scraped.is_empty() && backed_up.is_empty() {
        return;
    }
    layout.row("Datastores");
    for datastore in scraped {
        let sel = Selector::new()
            .eq("namespace", &env.namespace)
            .eq("service", &datastore.name);
        let name = &datastore.name;
        let (first, second) = match datastore.engine {
            Engine::Postgres => postgres(name, &sel),
            Engine::Redis => redis(name, &sel),
        };
        layout.add(first, 12, 7);
        layout.add(second, 12, 7);
    }
    if !backed_up.is_empty() {
        let cronjobs: Vec<String> = backed_up.iter().map(|d| format!("{d}-backup")).collect();
        let sel = Selector::new()
            .eq("namespace", &env.namespace)
            .re("cronjob", &cronjobs.join("|"));
        layout.add(
            timeseries(
                "Age of the newest backup",
                "Time since each backup CronJob last succeeded (kube-state-metrics).",
                vec![Query::range(
                    format!("time() - max by (cronjob) (kube_cronjob_status_last_successful_time{sel})"),
                    "{{cronjob}}",
                )],
                "s",
                &[],
                FROM_ZERO,
            ),
            24,
            6,
        );
    }
}

fn postgres(name: &str, sel: &Selector) -> (serde_json::Value, serde_json::Value) {
    let connections = timeseries(
        &format!("{name}: connections"),
        "Connections by state, and max_connections.",
        vec![
            Query::range(format!("sum by (state) (pg_stat_activity_count{sel})"), "{{state}}"),
            Query::range(format!("max(pg_settings_max_connections{sel})"), "max_connections"),
        ],
        "none",
        &[],
        FROM_ZERO,
    );
    let cache = timeseries(
        &format!("{name}: cache hit ratio"),
        "Share of block reads served from shared buffers.",
        vec![Query::range(
            format!(
                "sum(rate(pg_stat_database_blks_hit{sel}[$__rate_interval])) / (sum(rate(pg_stat_database_blks_hit{sel}[$__rate_interval])) + sum(rate(pg_stat_database_blks_read{sel}[$__rate_interval])))"
            ),
            "hit ratio",
        )],
        "percentunit",
        &[],
        FROM_ZERO,
    );
    (connections, cache)
}

fn redis(name: &str, sel: &Selector) -> (serde_json::Value, serde_json::Value) {
    let memory = timeseries(
        &format!("{name}: memory"),
        "Memory used, and maxmemory where one is set.",
        vec![
            Query::range(format!("max(redis_memory_used_bytes{sel})"), "used"),
            Query::range(format!("max(redis_memory_max_bytes{sel} > 0)"), "maxmemory"),
        ],
        "bytes",
        &[],
        FROM_ZERO,
    );
    let clients = timeseries(
        &format!("{name}: clients and rejections"),
        "Connected clients, and connections rejected per second (maxclients reached).",
        vec![
            Query::range(format!("max(redis_connected_clients{sel})"), "connected"),
            Query::range(
                format!("sum(rate(redis_rejected_connections_total{sel}[$__rate_interval]))"),
                "rejected/s",
            ),
        ],
        "none",
        &[],
        FROM_ZERO,
    );
    (memory, clients)
}
