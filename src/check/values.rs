//! E0022: durations, percents and ratios (autoscaling, scaling behaviour, alert thresholds).

use super::{Context, parse};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::spec::{RawScaling, Spanned, values};

pub fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    if let Some(alerts) = &cx.spec.alerts {
        for ratio in [&alerts.error_rate, &alerts.cpu, &alerts.memory, &alerts.disk]
            .into_iter()
            .flatten()
        {
            number(ratio, values::ratio, out);
        }
        for duration in [&alerts.latency_p95, &alerts.down_for].into_iter().flatten() {
            parse(duration, Code::E0022, values::duration, out);
        }
    }
    for (_, service) in cx.services() {
        let Some(autoscale) = &service.raw.autoscale else {
            continue;
        };
        let autoscale = &autoscale.value;
        for target in [&autoscale.cpu, &autoscale.memory].into_iter().flatten() {
            number(target, values::percent, out);
        }
        if let Some(rps) = &autoscale.rps
            && rps.value <= 0.0
        {
            out.push(Diagnostic::new(
                Code::E0022,
                rps.span.clone(),
                format!("rps target {} must be positive", rps.value),
            ));
        }
        for scaling in [&autoscale.scale_up, &autoscale.scale_down].into_iter().flatten() {
            behaviour(scaling, out);
        }
    }
}

fn number(value: &Spanned<f64>, check: fn(f64) -> Result<f64, String>, out: &mut Diagnostics) {
    if let Err(message) = check(value.value) {
        out.push(Diagnostic::new(Code::E0022, value.span.clone(), message));
    }
}

fn positive(value: &Spanned<i64>, what: &str, out: &mut Diagnostics) {
    if value.value < 1 {
        out.push(Diagnostic::new(
            Code::E0022,
            value.span.clone(),
            format!("{what} must be at least 1"),
        ));
    }
}

/// Kubernetes bounds: stabilization window ≤ 1h, policy period 1s–30m.
fn behaviour(scaling: &RawScaling, out: &mut Diagnostics) {
    if let Some(window) = &scaling.window
        && let Some(duration) = parse(window, Code::E0022, values::duration_or_zero, out)
        && duration.seconds() > 3600.0
    {
        out.push(Diagnostic::new(
            Code::E0022,
            window.span.clone(),
            "a stabilization window is at most 1h",
        ));
    }
    if let Some(period) = &scaling.period
        && let Some(duration) = parse(period, Code::E0022, values::duration, out)
        && !(1.0..=1800.0).contains(&duration.seconds())
    {
        out.push(Diagnostic::new(
            Code::E0022,
            period.span.clone(),
            "a scaling period is between 1s and 30m",
        ));
    }
    if let Some(percent) = &scaling.percent {
        positive(percent, "percent", out);
    }
    if let Some(pods) = &scaling.pods {
        positive(pods, "pods", out);
    }
}
