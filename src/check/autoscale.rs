//! E0040: autoscale bounds, replicas within them, and requests behind utilisation targets.

use super::Context;
use crate::diag::{Code, Diagnostic, Diagnostics};

pub fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for (_, service) in cx.services() {
        let raw = &service.raw;
        if let Some(replicas) = &raw.replicas
            && replicas.value < 0
        {
            out.push(Diagnostic::new(
                Code::E0040,
                replicas.span.clone(),
                "replicas cannot be negative",
            ));
        }
        let Some(autoscale) = &raw.autoscale else { continue };
        let (min, max) = (autoscale.value.min.as_ref(), autoscale.value.max.as_ref());
        if let Some(min) = min
            && min.value < 1
        {
            out.push(Diagnostic::new(
                Code::E0040,
                min.span.clone(),
                format!("autoscale min is {}; it must be at least 1", min.value),
            ));
        }
        let low = min.map_or(1, |m| m.value);
        if let Some(max) = max
            && max.value < low
        {
            out.push(
                Diagnostic::new(
                    Code::E0040,
                    autoscale.span.clone(),
                    format!("autoscale min {low} is greater than max {}", max.value),
                )
                .with_help("min is the fewest replicas, max the most: swap them or raise max"),
            );
        }
        if let (Some(replicas), Some(max)) = (&raw.replicas, max)
            && (replicas.value < low || replicas.value > max.value)
            && low <= max.value
        {
            out.push(
                Diagnostic::new(
                    Code::E0040,
                    replicas.span.clone(),
                    format!(
                        "replicas {} is outside autoscale [{low}, {}]",
                        replicas.value, max.value
                    ),
                )
                .with_label(autoscale.span.clone(), "the autoscale range"),
            );
        }
        let resources = raw.resources.as_ref();
        let targets = [
            (
                "cpu",
                &autoscale.value.cpu,
                resources.and_then(|r| r.cpu.as_ref()).is_some(),
            ),
            (
                "memory",
                &autoscale.value.memory,
                resources.and_then(|r| r.memory.as_ref()).is_some(),
            ),
        ];
        for (what, target, has_request) in targets {
            if let Some(target) = target
                && !has_request
            {
                out.push(
                    Diagnostic::new(
                        Code::E0040,
                        target.span.clone(),
                        format!("a {what} utilisation target needs a {what} request"),
                    )
                    .with_help(format!(
                        "set resources.{what} on the service, its tier or the environment's container_defaults"
                    )),
                );
            }
        }
    }
}
