//! SLO recording rules and `SLOErrorBudgetBurn` alerts.
//!
//! Every series carries exactly `namespace`, `service` and `slo`, set as static rule labels:
//! the expressions aggregate to one label-less series so that `or vector(0)` can stand in for
//! missing data, which keeps every ratio 0 (never NaN, never absent) without traffic. Every
//! window is `sum_over_time(errors:rate5m[w]) / sum_over_time(requests:rate5m[w])`: request
//! weighted, and cheap even for the 30-day window. The windows and factors come from
//! `model::slo`, the policy the E0080 check uses too.

use crate::model::slo::{BurnAlert, Urgency, alert_windows, burn_alerts};
use crate::model::{Duration, Environment, Labels, Platform, Service};
use crate::render::promql::{Decimal, Selector, duration};

use super::{Rule, alert_labels, page};

/// The rules of every SLO of an environment, by group.
#[derive(Default)]
pub(super) struct SloRules {
    pub sli: Vec<Rule>,
    pub long: Vec<Rule>,
    pub alerts: Vec<Rule>,
}

/// One availability or latency SLO of one service.
pub(crate) struct Objective<'a> {
    pub service: &'a Service,
    /// `availability` or `latency`.
    pub kind: &'static str,
    /// Percent, as written.
    pub objective: f64,
    pub window: Duration,
    pub threshold: Option<Duration>,
}

impl Objective<'_> {
    pub fn budget(&self) -> Decimal {
        Decimal::budget_of(self.objective)
    }

    pub fn objective_text(&self) -> String {
        Decimal::from_f64(self.objective).to_string()
    }

    /// `{namespace="…",service="…",slo="…"}`
    pub fn selector(&self, env: &Environment) -> Selector {
        Selector::new()
            .eq("namespace", &env.namespace)
            .eq("service", &self.service.name)
            .eq("slo", self.kind)
    }

    pub fn identity(&self, env: &Environment) -> Labels {
        [
            ("namespace", env.namespace.as_str()),
            ("service", self.service.name.as_str()),
            ("slo", self.kind),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }
}

/// The SLOs of a service: availability first, then latency.
pub(crate) fn objectives(service: &Service) -> Vec<Objective<'_>> {
    let Some(slo) = &service.slo else {
        return Vec::new();
    };
    let availability = slo.availability.map(|objective| Objective {
        service,
        kind: "availability",
        objective,
        window: slo.window,
        threshold: None,
    });
    let latency = slo.latency.as_ref().map(|l| Objective {
        service,
        kind: "latency",
        objective: l.objective,
        window: slo.window,
        threshold: Some(l.threshold),
    });
    availability.into_iter().chain(latency).collect()
}

pub(super) fn rules(platform: &Platform, env: &Environment) -> SloRules {
    let mut out = SloRules::default();
    for service in &env.services {
        for objective in objectives(service) {
            sli_rules(platform, env, &objective, &mut out.sli);
            long_rules(env, &objective, &mut out.long);
            for urgency in [Urgency::Page, Urgency::Ticket] {
                out.alerts.push(burn_alert(platform, env, &objective, urgency));
            }
        }
    }
    out
}

/// `(sum(num) or vector(0)) / (sum(den) > 0 or vector(1))`: 0 when there is no traffic.
fn safe_ratio(numerator: &str, denominator: &str) -> String {
    format!("(sum({numerator}) or vector(0)) / (sum({denominator}) > 0 or vector(1))")
}

/// The histogram bucket of a latency threshold. Whole seconds match both `1` (client
/// libraries) and `1.0` (Prometheus 3 normalises classic-histogram `le` values).
fn bucket_matcher(selector: Selector, threshold: Duration) -> Selector {
    let seconds = Decimal::seconds(threshold).to_string();
    if seconds.contains('.') {
        selector.eq("le", &seconds)
    } else {
        selector.re("le", &format!(r"{seconds}(\.0)?"))
    }
}

fn sli_rules(platform: &Platform, env: &Environment, o: &Objective<'_>, out: &mut Vec<Rule>) {
    let metrics = &platform.metrics;
    let workload = Selector::new()
        .eq("namespace", &env.namespace)
        .eq("service", &o.service.name);
    let (requests, errors) = match o.threshold {
        None => {
            let failed = workload.clone().re("code", &metrics.error_status);
            (
                format!("sum(rate({}{workload}[5m])) or vector(0)", metrics.requests),
                format!("sum(rate({}{failed}[5m])) or vector(0)", metrics.requests),
            )
        }
        Some(threshold) => {
            let total = format!("(sum(rate({}_count{workload}[5m])) or vector(0))", metrics.latency);
            let fast_enough = bucket_matcher(workload.clone(), threshold);
            let fast = format!("(sum(rate({}_bucket{fast_enough}[5m])) or vector(0))", metrics.latency);
            (
                format!("sum(rate({}_count{workload}[5m])) or vector(0)", metrics.latency),
                format!("clamp_min({total} - {fast}, 0)"),
            )
        }
    };
    let id = o.selector(env);
    let labels = o.identity(env);
    out.push(Rule::record("slo:sli_requests:rate5m", requests, labels.clone()));
    out.push(Rule::record("slo:sli_errors:rate5m", errors, labels.clone()));
    out.push(Rule::record(
        "slo:sli_error:ratio_rate5m",
        safe_ratio(
            &format!("slo:sli_errors:rate5m{id}"),
            &format!("slo:sli_requests:rate5m{id}"),
        ),
        labels.clone(),
    ));
    let five_minutes = Duration::from_secs(300);
    for window in alert_windows(o.window).into_iter().filter(|w| *w != five_minutes) {
        out.push(window_ratio(env, o, window));
    }
}

/// `slo:sli_error:ratio_rate<window>`, request-weighted over the recorded 5m rates.
fn window_ratio(env: &Environment, o: &Objective<'_>, window: Duration) -> Rule {
    let id = o.selector(env);
    let w = duration(window);
    Rule::record(
        &format!("slo:sli_error:ratio_rate{w}"),
        safe_ratio(
            &format!("sum_over_time(slo:sli_errors:rate5m{id}[{w}])"),
            &format!("sum_over_time(slo:sli_requests:rate5m{id}[{w}])"),
        ),
        o.identity(env),
    )
}

fn long_rules(env: &Environment, o: &Objective<'_>, out: &mut Vec<Rule>) {
    let id = o.selector(env);
    let labels = o.identity(env);
    let window = duration(o.window);
    let budget = o.budget();
    let objective_ratio = Decimal::from_f64(o.objective).percent_to_ratio();
    out.push(window_ratio(env, o, o.window));
    out.push(Rule::record(
        "slo:objective:ratio",
        format!("vector({objective_ratio})"),
        labels.clone(),
    ));
    out.push(Rule::record(
        "slo:error_budget:ratio",
        format!("vector({budget})"),
        labels.clone(),
    ));
    out.push(Rule::record(
        "slo:error_budget_remaining:ratio",
        format!("1 - (sum(slo:sli_error:ratio_rate{window}{id}) or vector(0)) / {budget}"),
        labels.clone(),
    ));
    let mut info = labels;
    info.insert("objective".into(), o.objective_text());
    info.insert("window".into(), window);
    info.insert("sli".into(), o.kind.into());
    if let Some(threshold) = o.threshold {
        info.insert("threshold".into(), threshold.text());
        info.insert("le".into(), Decimal::seconds(threshold).to_string());
    }
    out.push(Rule::record("slo:info", "vector(1)".into(), info));
}

fn burn_alert(platform: &Platform, env: &Environment, o: &Objective<'_>, urgency: Urgency) -> Rule {
    let id = o.selector(env);
    let budget = o.budget();
    let pairs: Vec<BurnAlert> = burn_alerts(o.window)
        .into_iter()
        .filter(|a| a.urgency == urgency)
        .collect();
    let burning = |window: Duration, factor: &str| {
        format!("slo:sli_error:ratio_rate{}{id} / {budget} > {factor}", duration(window))
    };
    let expr = pairs
        .iter()
        .map(|a| {
            let factor = Decimal::from_f64(a.factor).to_string();
            format!("({} and {})", burning(a.long, &factor), burning(a.short, &factor))
        })
        .collect::<Vec<_>>()
        .join(" or ");
    let condition = pairs
        .iter()
        .map(|a| {
            let factor = Decimal::from_f64(a.factor);
            format!("{factor}x over {} and {}", duration(a.long), duration(a.short))
        })
        .collect::<Vec<_>>()
        .join(" or ");
    let (severity, burn, speed) = match urgency {
        Urgency::Page => (page(o.service.paging), "fast", "fast"),
        Urgency::Ticket => ("warning", "slow", "steadily"),
    };
    let mut labels = alert_labels(platform, env, &o.service.name, severity);
    labels.insert("slo".into(), o.kind.into());
    labels.insert("burn".into(), burn.into());
    let name = &o.service.name;
    let window = duration(o.window);
    let objective = o.objective_text();
    let what = match o.threshold {
        None => format!("the {} SLO", o.kind),
        Some(threshold) => format!("the latency SLO (requests faster than {})", threshold.text()),
    };
    let summary = format!(
        "{name}: {} SLO ({objective}% over {window}) is burning its error budget {speed}",
        o.kind
    );
    let description = format!(
        "{name} in {} is spending the error budget of {what} (objective {objective}% over {window}) \
         at {{{{ printf \"%.1f\" $value }}}}x the sustainable rate (alert: burn rate above {condition}).",
        env.namespace
    );
    Rule::alert(
        "SLOErrorBudgetBurn",
        expr,
        labels,
        [("summary", summary), ("description", description)],
    )
}
