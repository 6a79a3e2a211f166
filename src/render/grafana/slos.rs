//! The SLO dashboard of an environment: every SLO in one table (objective, window, SLI over
//! the window, budget remaining; each row links to the service dashboard), budget remaining
//! over time, and the burn rate over the fastest page's long window of each SLO window.

use serde_json::json;

use super::panels::{FROM_ZERO, Layout, Query, table, timeseries};
use super::{Dashboard, Frame, link, render_dashboard, service_link};
use crate::model::slo::burn_alerts;
use crate::model::{Duration, Environment, Platform};
use crate::render::RenderError;
use crate::render::prometheus::slo::objectives;
use crate::render::promql::{Selector, duration, quote};

pub(super) fn dashboard(
    templates: &minijinja::Environment<'static>,
    platform: &Platform,
    env: &Environment,
) -> Result<Dashboard, RenderError> {
    let mut layout = Layout::default();
    slo_rows(&mut layout, platform, env);
    let frame = Frame {
        parts: &[&platform.name, &env.name, "slos"],
        title: format!("{} / {} / SLOs", platform.name, env.name),
        description: format!(
            "Every SLO of namespace {}: objective, SLI, error budget and burn rate.",
            env.namespace
        ),
        file_name: "slos.json".into(),
        variables: Vec::new(),
        links: super::links(platform, env),
    };
    render_dashboard(templates, platform, frame, layout.panels)
}

fn slo_rows(layout: &mut Layout, platform: &Platform, env: &Environment) {
    let namespace = Selector::new().eq("namespace", &env.namespace);
    let on = "on (namespace, service, slo)";
    layout.row("SLOs");
    let organize = json!({
        "excludeByName": { "Time": true, "__name__": true, "Value #A": true, "sli": true, "le": true },
        "indexByName": {
            "service": 0, "slo": 1, "objective": 2, "window": 3, "threshold": 4,
            "Value #B": 5, "Value #C": 6, "namespace": 7,
        },
        "renameByName": {
            "objective": "objective (%)", "Value #B": "SLI (window)", "Value #C": "error budget remaining",
        },
    });
    // SLOs differ in window, so the SLI over the window is derived from the remaining budget
    // (`1 - (1 - remaining) × budget`), which every SLO records under one name.
    let mut status = table(
        "SLO status",
        "Every SLO of the environment: objective, window, SLI over the SLO window and error budget remaining. \
         Click a service for its dashboard.",
        vec![
            Query::table(format!("slo:info{namespace}")),
            Query::table(format!(
                "1 - (1 - slo:error_budget_remaining:ratio{namespace}) * {on} slo:error_budget:ratio{namespace}"
            )),
            Query::table(format!("slo:error_budget_remaining:ratio{namespace}")),
        ],
        organize,
    );
    let url = service_link(platform, env, "${__data.fields.namespace}", "${__data.fields.service}");
    status["fieldConfig"]["defaults"]["links"] =
        json!([link("Service dashboard", &format!("{url}&${{__url_time_range}}"))]);
    layout.add(status, 24, 10);
    let mut remaining = timeseries(
        "Error budget remaining",
        "Share of each SLO's error budget left over its window (negative: overspent).",
        vec![Query::range(
            format!("slo:error_budget_remaining:ratio{namespace}"),
            "{{service}} {{slo}}",
        )],
        "percentunit",
        &[],
        Default::default(),
    );
    link_series(&mut remaining, platform, env);
    layout.add(remaining, 12, 8);
    let burn_rates = page_windows(env)
        .into_iter()
        .map(|(slo_window, long)| {
            Query::range(
                format!(
                    "slo:sli_error:ratio_rate{} / {on} slo:error_budget:ratio{namespace} and {on} slo:info{{window={}}}",
                    duration(long),
                    quote(&duration(slo_window))
                ),
                "{{service}} {{slo}}",
            )
        })
        .collect();
    let mut burn = timeseries(
        "Burn rate (fastest page window)",
        "Error ratio over the fastest page's long window (1h for 30-day SLOs) divided by the error budget; \
         1 spends the budget exactly over the SLO window, 14.4 pages.",
        burn_rates,
        "none",
        &[(1.0, "orange"), (14.4, "red")],
        FROM_ZERO,
    );
    link_series(&mut burn, platform, env);
    layout.add(burn, 12, 8);
}

/// Every series of a time series panel links to its service's dashboard.
pub(super) fn link_series(panel: &mut serde_json::Value, platform: &Platform, env: &Environment) {
    let url = service_link(
        platform,
        env,
        "${__field.labels.namespace}",
        "${__field.labels.service}",
    );
    panel["fieldConfig"]["defaults"]["links"] =
        json!([link("Service dashboard", &format!("{url}&${{__url_time_range}}"))]);
}

/// (SLO window, the long window of its fastest page) for every distinct SLO window.
fn page_windows(env: &Environment) -> Vec<(Duration, Duration)> {
    let mut windows: Vec<Duration> = env.services.iter().flat_map(objectives).map(|o| o.window).collect();
    windows.sort();
    windows.dedup();
    windows.into_iter().map(|w| (w, burn_alerts(w)[0].long)).collect()
}
