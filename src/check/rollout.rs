//! E0092: progressive delivery (SPEC.md §8 Rollouts). A canary's steps are traffic percents
//! strictly increasing within (0, 100) and its pause is a duration; each strategy takes only
//! its own keys; blue-green switches Services, so it needs a port; `analysis = true` judges
//! the new version by the availability SLO, so the service needs one and scraped metrics.
//! Also E0003 for a rollout without `strategy`, and E0010 for the derived Service names
//! (`<svc>-preview`, `<svc>-canary`) that are too long or taken by another service.

use super::Context;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::resolve::{EnvView, ServiceView};
use crate::spec::{RawMetrics, RawRollout, Span, Spanned, Strategy, values};

pub fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for env in cx.envs {
        if let Some(url) = &env.settings.prometheus_url {
            prometheus_url(url, out);
        }
    }
    for (env, service) in cx.services() {
        let Some(rollout) = &service.raw.rollout else { continue };
        let Some(strategy) = &rollout.value.strategy else {
            out.push(
                Diagnostic::new(Code::E0003, rollout.span.clone(), "a rollout needs a `strategy`")
                    .with_help("strategy = \"canary\" or strategy = \"blue-green\""),
            );
            continue;
        };
        match strategy.value {
            Strategy::Canary => canary(&rollout.value, out),
            Strategy::BlueGreen => blue_green(service, &rollout.value, strategy.span.clone(), out),
        }
        if let Some(analysis) = rollout.value.analysis.as_ref().filter(|a| a.value) {
            analysis_needs(service, analysis.span.clone(), out);
        }
        derived_service(cx, env, service, strategy.value, out);
    }
}

fn canary(rollout: &RawRollout, out: &mut Diagnostics) {
    if let Some(auto_promote) = &rollout.auto_promote {
        out.push(
            Diagnostic::new(
                Code::E0092,
                auto_promote.span.clone(),
                "`auto_promote` belongs to blue-green rollouts",
            )
            .with_help("a canary advances through its `steps`: give it a `pause` to advance on its own, or none to wait for `kubectl argo rollouts promote` at each step"),
        );
    }
    if let Some(steps) = &rollout.steps {
        steps_increase(steps, out);
    }
    if let Some(pause) = &rollout.pause {
        let problem = match values::duration(&pause.value) {
            Err(message) => Some(message),
            Ok(d) if d.millis % 1000 != 0 => Some(format!("`{}` is not a whole number of seconds", pause.value)),
            Ok(_) => None,
        };
        if let Some(message) = problem {
            out.push(
                Diagnostic::new(Code::E0092, pause.span.clone(), format!("rollout pause: {message}"))
                    .with_help("for example pause = \"5m\"; leave it out to wait for a manual promotion at each step"),
            );
        }
    }
}

/// Every step inside (0, 100), each above the one before; at least one step.
fn steps_increase(steps: &Spanned<Vec<Spanned<i64>>>, out: &mut Diagnostics) {
    if steps.value.is_empty() {
        out.push(
            Diagnostic::new(Code::E0092, steps.span.clone(), "a canary needs at least one step")
                .with_help("for example steps = [10, 50]; without a rollout the service rolls out as a plain update"),
        );
    }
    let mut previous: Option<i64> = None;
    for step in &steps.value {
        let percent = step.value;
        if !(1..=99).contains(&percent) {
            out.push(
                Diagnostic::new(
                    Code::E0092,
                    step.span.clone(),
                    format!("canary step {percent} is outside (0, 100)"),
                )
                .with_help("a step is the new version's share of traffic in percent; 100 is the promotion that follows the last step"),
            );
        } else if let Some(before) = previous.filter(|before| percent <= *before) {
            out.push(
                Diagnostic::new(
                    Code::E0092,
                    step.span.clone(),
                    format!("canary step {percent} does not increase on the step before it ({before})"),
                )
                .with_help("steps are strictly increasing, such as [10, 25, 50]"),
            );
        }
        previous = Some(percent);
    }
}

fn blue_green(service: &ServiceView, rollout: &RawRollout, strategy: Span, out: &mut Diagnostics) {
    let canary_only = [
        (rollout.steps.as_ref().map(|s| s.span.clone()), "steps"),
        (rollout.pause.as_ref().map(|p| p.span.clone()), "pause"),
    ];
    for (span, key) in canary_only {
        if let Some(span) = span {
            out.push(
                Diagnostic::new(Code::E0092, span, format!("`{key}` belongs to canary rollouts"))
                    .with_help("blue-green runs the new version beside the old one and switches all traffic at once; use auto_promote = false to switch by hand"),
            );
        }
    }
    if service.raw.port.is_none() {
        out.push(
            Diagnostic::new(
                Code::E0092,
                strategy,
                format!(
                    "service `{}` has no port, so blue-green has no Service to switch",
                    service.name
                ),
            )
            .with_help("give the service a `port`, or use strategy = \"canary\""),
        );
    }
}

fn analysis_needs(service: &ServiceView, span: Span, out: &mut Diagnostics) {
    let availability = service
        .raw
        .slo
        .as_ref()
        .is_some_and(|slo| slo.value.availability.is_some());
    if !availability {
        out.push(
            Diagnostic::new(
                Code::E0092,
                span.clone(),
                format!(
                    "rollout analysis of `{}` needs an availability SLO to judge the new version by",
                    service.name
                ),
            )
            .with_help("add slo = { availability = 99.9 } to the service or its tier, or drop analysis"),
        );
    }
    let unscraped = (service.raw.port.is_none() && !has_metrics_port(service))
        || matches!(
            service.raw.metrics.as_ref().map(|m| &m.value),
            Some(RawMetrics::Enabled(false))
        );
    if unscraped {
        out.push(
            Diagnostic::new(
                Code::E0092,
                span,
                format!(
                    "rollout analysis of `{}` reads its request metrics, which are not scraped",
                    service.name
                ),
            )
            .with_help("turn metrics on (a port, or metrics = { port = … }), or drop analysis"),
        );
    }
}

fn has_metrics_port(service: &ServiceView) -> bool {
    matches!(
        service.raw.metrics.as_ref().map(|m| &m.value),
        Some(RawMetrics::Endpoint(endpoint)) if endpoint.port.is_some()
    )
}

/// Blue-green adds `<svc>-preview`; a canary routed by the ingress adds `<svc>-canary`. Both
/// are Service names: at most 63 characters, and not another service's or datastore's name.
fn derived_service(cx: &Context<'_>, env: &EnvView, service: &ServiceView, strategy: Strategy, out: &mut Diagnostics) {
    let suffix = match strategy {
        Strategy::BlueGreen => "preview",
        Strategy::Canary if service.raw.routes.as_ref().is_some_and(|r| !r.is_empty()) => "canary",
        Strategy::Canary => return,
    };
    let name = format!("{}-{suffix}", service.name);
    let span = service.name_span.clone();
    if name.len() > 63 {
        out.push(Diagnostic::new(
            Code::E0010,
            span,
            format!(
                "the rollout's Service name `{name}` is {} characters long; Kubernetes allows 63",
                name.len()
            ),
        ));
    } else if let Some(other) = env
        .services
        .iter()
        .map(|s| &s.name)
        .chain(env.datastores.iter().map(|d| &d.name))
        .find(|other| **other == name)
    {
        let mut diagnostic = Diagnostic::new(
            Code::E0010,
            span,
            format!(
                "the rollout of `{}` needs a Service named `{other}`, which is taken",
                service.name
            ),
        )
        .with_help("rename one of them");
        let table = if cx.spec.services.contains_key(other) {
            "services"
        } else {
            "datastores"
        };
        if let Some(taken) = cx.document.key_span(&[table, other]) {
            diagnostic = diagnostic.with_label(taken, "the other object of that name");
        }
        out.push(diagnostic);
    }
}

fn prometheus_url(url: &Spanned<String>, out: &mut Diagnostics) {
    let text = &url.value;
    let rest = text.strip_prefix("http://").or_else(|| text.strip_prefix("https://"));
    let valid = rest.is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        !host.is_empty() && !rest.chars().any(|c| c.is_whitespace() || c.is_control())
    });
    if !valid {
        out.push(
            Diagnostic::new(
                Code::E0092,
                url.span.clone(),
                format!("prometheus_url `{text}` is not an http(s) URL"),
            )
            .with_help("for example prometheus_url = \"http://prometheus-operated.monitoring.svc:9090\""),
        );
    }
}
