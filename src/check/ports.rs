//! E0050: ports are 1–65535; the metrics endpoint must not collide with the HTTP endpoint.

use super::Context;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::spec::{RawMetrics, Spanned};

pub fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for (_, service) in cx.services() {
        let raw = &service.raw;
        if let Some(port) = &raw.port {
            range(port, out);
        }
        let Some(metrics) = &raw.metrics else { continue };
        let RawMetrics::Endpoint(endpoint) = &metrics.value else {
            continue;
        };
        if let Some(metrics_port) = &endpoint.port {
            range(metrics_port, out);
            let same_port = raw.port.as_ref().is_some_and(|p| p.value == metrics_port.value);
            let serves_probe = raw.probes.as_ref().is_some_and(|probes| {
                let path = endpoint.path.as_ref().map_or("/metrics", |p| p.value.as_str());
                [&probes.liveness, &probes.readiness, &probes.startup]
                    .into_iter()
                    .flatten()
                    .any(|p| p.value == path)
            });
            if same_port && serves_probe {
                out.push(Diagnostic::new(
                    Code::E0050,
                    metrics_port.span.clone(),
                    "the metrics endpoint collides with a probe on the same port and path",
                ));
            }
        }
    }
}

fn range(port: &Spanned<i64>, out: &mut Diagnostics) {
    if !(1..=65_535).contains(&port.value) {
        out.push(Diagnostic::new(
            Code::E0050,
            port.span.clone(),
            format!("port {} is outside 1–65535", port.value),
        ));
    }
}
