//! SLO recording rules and `SLOErrorBudgetBurn` alerts, written once per environment over
//! every SLO (`by (namespace, service)`, the `slo` label set by the rule), joined to the
//! constant series of `info` for what differs per SLO: the objective and budget, the latency
//! bucket, the window and the paging severity.
//!
//! Every series carries exactly `namespace`, `service` and `slo`. Rates are filled with 0 from
//! `slo:objective:ratio` for every SLO, so every ratio is 0 (never NaN, never absent) without
//! traffic. Every window is `sum_over_time(errors:rate5m[w]) / sum_over_time(requests:rate5m[w])`:
//! request weighted, and cheap even for the 30-day window. The windows and factors come from
//! `model::slo`, the policy the E0080 check uses too.

use crate::model::slo::{Urgency, alert_windows, burn_alerts};
use crate::model::{Duration, Environment, Labels, Platform, Service};
use crate::render::promql::{Decimal, Selector, duration, quote};

use super::{Rule, team_label};

/// The generic rules of every SLO of an environment, by group.
#[derive(Default)]
pub(super) struct SloRules {
    pub sli: Vec<Rule>,
    pub long: Vec<Rule>,
    pub alerts: Vec<Rule>,
}

/// Matches the SLO identity of two operands.
const ON_SLO: &str = "on (namespace, service, slo)";

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
    let all: Vec<Objective<'_>> = env.services.iter().flat_map(objectives).collect();
    let mut out = SloRules::default();
    if all.is_empty() {
        return out;
    }
    let kinds = |kind: &str| all.iter().any(|o| o.kind == kind);
    if kinds("availability") {
        out.sli.extend(availability_rates(platform, env));
    }
    if kinds("latency") {
        out.sli.extend(latency_rates(platform, env));
    }
    out.sli.push(Rule::record(
        "slo:sli_error:ratio_rate5m",
        safe_ratio("slo:sli_errors:rate5m", "slo:sli_requests:rate5m"),
        Labels::new(),
    ));
    let slo_windows = slo_windows(env);
    let short: Vec<Duration> = recorded_windows(env)
        .into_iter()
        .filter(|w| *w != Duration::from_secs(300))
        .collect();
    for window in &short {
        out.sli.push(window_ratio(*window, None));
    }
    for slo_window in slo_windows.iter().filter(|w| !short.contains(w)) {
        out.long.push(window_ratio(*slo_window, Some(*slo_window)));
    }
    out.long.push(remaining(&slo_windows));
    for urgency in [Urgency::Page, Urgency::Ticket] {
        out.alerts.push(burn_alert(platform, &slo_windows, urgency));
    }
    out
}

/// The distinct SLO windows of an environment, shortest first.
fn slo_windows(env: &Environment) -> Vec<Duration> {
    let mut windows: Vec<Duration> = env.services.iter().flat_map(objectives).map(|o| o.window).collect();
    windows.sort();
    windows.dedup();
    windows
}

/// Every alert window of every SLO window of an environment, shortest first (5m included):
/// `slo:sli_error:ratio_rate<w>` is recorded for each, over every SLO.
pub(crate) fn recorded_windows(env: &Environment) -> Vec<Duration> {
    let mut windows: Vec<Duration> = slo_windows(env).into_iter().flat_map(alert_windows).collect();
    windows.sort();
    windows.dedup();
    windows
}

/// `slo:info{window="30d"}`: the SLOs whose window is `window`.
fn of_window(window: Duration) -> String {
    format!("slo:info{{window={}}}", quote(&duration(window)))
}

/// Only the SLOs of `kind` (labels `namespace`, `service`; the rule sets `slo`), and a 0 for
/// every such SLO without data.
fn for_each_slo(aggregate: &str, kind: &str) -> String {
    let slos = format!("slo:objective:ratio{{slo={}}}", quote(kind));
    format!("{aggregate}\n  and on (namespace, service) {slos}\nor on (namespace, service)\n  0 * {slos}")
}

fn slo_label(kind: &str) -> Labels {
    Labels::from([("slo".to_string(), kind.to_string())])
}

fn availability_rates(platform: &Platform, env: &Environment) -> [Rule; 2] {
    let metrics = &platform.metrics;
    let all = Selector::new().eq("namespace", &env.namespace);
    let failed = all.clone().re("code", &metrics.error_status);
    let rate = |selector: &Selector| format!("sum by (namespace, service) (rate({}{selector}[5m]))", metrics.requests);
    [
        Rule::record(
            "slo:sli_requests:rate5m",
            for_each_slo(&rate(&all), "availability"),
            slo_label("availability"),
        ),
        Rule::record(
            "slo:sli_errors:rate5m",
            for_each_slo(&rate(&failed), "availability"),
            slo_label("availability"),
        ),
    ]
}

/// Requests and requests slower than the SLO's threshold: the bucket is joined from
/// `slo:info{le}`. Whole seconds match both `1` (client libraries) and `1.0` (Prometheus 3
/// normalises classic-histogram `le` values): a trailing `.0` is dropped before the join.
fn latency_rates(platform: &Platform, env: &Environment) -> [Rule; 2] {
    let latency = &platform.metrics.latency;
    let all = Selector::new().eq("namespace", &env.namespace);
    let count = format!("sum by (namespace, service) (rate({latency}_count{all}[5m]))");
    let requests = "slo:sli_requests:rate5m{slo=\"latency\"}";
    let fast = format!(
        "sum by (namespace, service) (\n      label_replace(rate({latency}_bucket{all}[5m]), \"le\", \"$1\", \"le\", {})\n      \
         and on (namespace, service, le) slo:info{{slo=\"latency\"}}\n    )",
        quote(r"(.+)\.0")
    );
    let slow = format!(
        "clamp_min(\n  {requests}\n  - on (namespace, service)\n  (\n    {fast}\n    or on (namespace, service)\n    0 * {requests}\n  ),\n  0\n)"
    );
    [
        Rule::record(
            "slo:sli_requests:rate5m",
            for_each_slo(&count, "latency"),
            slo_label("latency"),
        ),
        Rule::record("slo:sli_errors:rate5m", slow, slo_label("latency")),
    ]
}

/// `errors / requests` where there are requests, else `errors` (0 without traffic).
fn safe_ratio(errors: &str, requests: &str) -> String {
    format!("{errors}\n  / {ON_SLO} ({requests} > 0)\nor {ON_SLO}\n  {errors}")
}

/// `slo:sli_error:ratio_rate<window>`, request-weighted over the recorded 5m rates; for an SLO
/// window, only over the SLOs of that window.
fn window_ratio(window: Duration, only_slo_window: Option<Duration>) -> Rule {
    let w = duration(window);
    let ratio = safe_ratio(
        &format!("sum_over_time(slo:sli_errors:rate5m[{w}])"),
        &format!("sum_over_time(slo:sli_requests:rate5m[{w}])"),
    );
    let expr = match only_slo_window {
        None => ratio,
        Some(slo_window) => format!("(\n{ratio}\n)\nand {ON_SLO} {}", of_window(slo_window)),
    };
    Rule::record(&format!("slo:sli_error:ratio_rate{w}"), expr, Labels::new())
}

/// `1 - long-window ratio / budget`, each SLO over its own window.
fn remaining(slo_windows: &[Duration]) -> Rule {
    let ratios = slo_windows
        .iter()
        .map(|w| {
            format!(
                "  slo:sli_error:ratio_rate{} and {ON_SLO} {}",
                duration(*w),
                of_window(*w)
            )
        })
        .collect::<Vec<_>>()
        .join("\n  or\n");
    Rule::record(
        "slo:error_budget_remaining:ratio",
        format!("1 - (\n{ratios}\n)\n/ {ON_SLO} slo:error_budget:ratio"),
        Labels::new(),
    )
}

/// The annotation prologue that reads the SLO's objective, window and threshold from
/// `slo:info`.
const READ_INFO: &str = "{{- $objective := \"\" }}{{ $window := \"\" }}{{ $threshold := \"\" }}\n\
    {{- range printf \"slo:info{namespace=%q,service=%q,slo=%q}\" $labels.namespace $labels.service $labels.slo | query }}\n\
    {{- $objective = .Labels.objective }}{{ $window = .Labels.window }}{{ $threshold = .Labels.threshold }}\n\
    {{- end }}\n";

/// One alert for every SLO of the environment: per SLO window, its multi-window conditions
/// for the SLOs of that window.
fn burn_alert(platform: &Platform, slo_windows: &[Duration], urgency: Urgency) -> Rule {
    let per_window: Vec<(String, String)> = slo_windows
        .iter()
        .map(|w| (burn_condition(*w, urgency), burn_condition_text(*w, urgency)))
        .collect();
    let burning_slos = per_window
        .iter()
        .map(|(condition, _)| condition.clone())
        .collect::<Vec<_>>()
        .join("\nor\n");
    let condition_text = if let [(_, text)] = per_window.as_slice() {
        text.clone()
    } else {
        let cases: Vec<String> = slo_windows
            .iter()
            .zip(&per_window)
            .map(|(w, (_, text))| format!("if eq $window \"{}\" }}}}{text}", duration(*w)))
            .collect();
        format!("{{{{ {}{{{{ end }}}}", cases.join("{{ else "))
    };
    let mut labels = team_label(platform);
    let (expr, burn, speed) = match urgency {
        Urgency::Page => (
            format!(
                "(\n{}\n)\n* on (namespace, service) group_left (severity) workload:info{{kind=\"service\"}}",
                indent(&burning_slos)
            ),
            "fast",
            "fast",
        ),
        Urgency::Ticket => {
            labels.insert("severity".into(), "warning".into());
            (burning_slos, "slow", "steadily")
        }
    };
    labels.insert("burn".into(), burn.into());
    let summary = format!(
        "{READ_INFO}{{{{- $labels.service }}}}: {{{{ $labels.slo }}}} SLO ({{{{ $objective }}}}% over {{{{ $window }}}}) \
         is burning its error budget {speed}"
    );
    let description = format!(
        "{READ_INFO}{{{{- $labels.service }}}} in {{{{ $labels.namespace }}}} is spending the error budget of \
         {{{{ if $threshold }}}}the latency SLO (requests faster than {{{{ $threshold }}}}){{{{ else }}}}the \
         {{{{ $labels.slo }}}} SLO{{{{ end }}}} (objective {{{{ $objective }}}}% over {{{{ $window }}}}) at \
         {{{{ printf \"%.1f\" $value }}}}x the sustainable rate (alert: burn rate above {condition_text})."
    );
    Rule::alert(
        "SLOErrorBudgetBurn",
        expr,
        labels,
        [("summary", summary), ("description", description)],
    )
}

/// Every line of `text` two spaces deeper.
fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}")).collect::<Vec<_>>().join("\n")
}

/// `((long and short) or (long and short)) and on (…) slo:info{window="30d"}`: the burn-rate
/// pairs of `urgency` for the SLOs of one window.
fn burn_condition(slo_window: Duration, urgency: Urgency) -> String {
    let burning = |window: Duration, factor: &Decimal| {
        format!(
            "slo:sli_error:ratio_rate{} / {ON_SLO} slo:error_budget:ratio > {factor}",
            duration(window)
        )
    };
    let pairs = burn_alerts(slo_window)
        .into_iter()
        .filter(|a| a.urgency == urgency)
        .map(|a| {
            let factor = Decimal::from_f64(a.factor);
            format!(
                "    (\n      {}\n      and\n      {}\n    )",
                burning(a.long, &factor),
                burning(a.short, &factor)
            )
        })
        .collect::<Vec<_>>()
        .join("\n    or\n");
    format!("(\n  (\n{pairs}\n  )\n  and {ON_SLO} {}\n)", of_window(slo_window))
}

/// `14.4x over 1h and 5m or 6x over 6h and 30m`
fn burn_condition_text(slo_window: Duration, urgency: Urgency) -> String {
    burn_alerts(slo_window)
        .into_iter()
        .filter(|a| a.urgency == urgency)
        .map(|a| {
            let factor = Decimal::from_f64(a.factor);
            format!("{factor}x over {} and {}", duration(a.long), duration(a.short))
        })
        .collect::<Vec<_>>()
        .join(" or ")
}
