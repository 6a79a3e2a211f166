//! E0022 for counts: every integer the spec gives must fit what Kubernetes takes, so no value
//! can slip past the checks and fail later as an internal error.

use super::Context;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::spec::{IntOrText, Spanned, values};

const MAX: i64 = 1_000_000;

pub fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    if let Some(restarts) = cx.spec.alerts.as_ref().and_then(|a| a.restarts.as_ref()) {
        range(restarts, 0, MAX, "restarts", out); // 0: any restart
    }
    for env in cx.envs {
        if let Some(quota) = &env.settings.quota {
            for (value, what) in [(&quota.value.pods, "pods"), (&quota.value.pvcs, "pvcs")] {
                if let Some(value) = value {
                    range(value, 0, MAX, what, out);
                }
            }
        }
        if let Some(rps) = env.ingress.as_ref().and_then(|i| i.rate_limit_rps.as_ref()) {
            range(rps, 1, MAX, "rate_limit_rps", out);
        }
    }
    for (_, service) in cx.services() {
        let raw = &service.raw;
        if let Some(replicas) = &raw.replicas {
            range(replicas, 0, MAX, "replicas", out);
        }
        if let Some(autoscale) = &raw.autoscale {
            for value in [&autoscale.value.min, &autoscale.value.max].into_iter().flatten() {
                range(value, 0, MAX, "autoscale bound", out);
            }
            for scaling in [&autoscale.value.scale_up, &autoscale.value.scale_down]
                .into_iter()
                .flatten()
            {
                for value in [&scaling.pods, &scaling.percent].into_iter().flatten() {
                    range(value, 1, MAX, "scaling policy value", out);
                }
            }
        }
        if let Some(disruption) = &raw.disruption {
            for amount in [&disruption.value.min_available, &disruption.value.max_unavailable]
                .into_iter()
                .flatten()
            {
                disruption_amount(amount, out);
            }
        }
    }
}

fn range(value: &Spanned<i64>, low: i64, high: i64, what: &str, out: &mut Diagnostics) {
    if !(low..=high).contains(&value.value) {
        out.push(Diagnostic::new(
            Code::E0022,
            value.span.clone(),
            format!("{what} {} is outside {low}–{high}", value.value),
        ));
    }
}

fn disruption_amount(amount: &Spanned<IntOrText>, out: &mut Diagnostics) {
    let problem = match &amount.value {
        IntOrText::Int(n) if !(0..=MAX).contains(n) => Some(format!("{n} is outside 0–{MAX}")),
        IntOrText::Int(_) => None,
        IntOrText::Text(text) => values::percent_text(text).err(),
    };
    if let Some(message) = problem {
        out.push(Diagnostic::new(
            Code::E0022,
            amount.span.clone(),
            format!("disruption budget: {message}"),
        ));
    }
}
