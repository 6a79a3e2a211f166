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
            // Point at the bound the most specific layer set (an environment override over
            // its tier), with the other as a label.
            let mut diagnostic = match min {
                Some(min) => {
                    let (primary, other) = service.origins.higher_first(&max.span, &min.span);
                    let note = if *other == min.span {
                        "min is set here"
                    } else {
                        "max is set here"
                    };
                    Diagnostic::new(Code::E0040, primary.clone(), String::new()).with_label(other.clone(), note)
                }
                None => Diagnostic::new(Code::E0040, max.span.clone(), String::new()),
            };
            diagnostic.message = format!("autoscale min {low} is greater than max {}", max.value);
            out.push(diagnostic.with_help("min is the fewest replicas, max the most: swap them or raise max"));
        }
        if let (Some(replicas), Some(max)) = (&raw.replicas, max)
            && (replicas.value < low || replicas.value > max.value)
            && low <= max.value
        {
            let bound = if replicas.value < low {
                min.map_or(&max.span, |m| &m.span)
            } else {
                &max.span
            };
            let (primary, other) = service.origins.higher_first(&replicas.span, bound);
            let note = if *other == replicas.span {
                "replicas is set here"
            } else {
                "the autoscale bound"
            };
            out.push(
                Diagnostic::new(
                    Code::E0040,
                    primary.clone(),
                    format!(
                        "replicas {} is outside autoscale [{low}, {}]",
                        replicas.value, max.value
                    ),
                )
                .with_label(other.clone(), note)
                .with_help("with autoscale, replicas is the starting count: keep it within [min, max] or drop it"),
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
