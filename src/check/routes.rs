//! E0051 (a route claimed twice, a path without a leading `/`) and E0090 (routes without an
//! ingress host).

use std::collections::BTreeMap;

use super::Context;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::spec::{RawMetrics, Spanned};

pub fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for env in cx.envs {
        // In source order, so the second claim is the one reported.
        let mut claims: Vec<(&str, &Spanned<String>)> = env
            .services
            .iter()
            .flat_map(|s| s.raw.routes.iter().flatten().map(move |r| (s.name.as_str(), r)))
            .collect();
        claims.sort_by_key(|(_, route)| route.span.start);
        let mut claimed: BTreeMap<&str, (&str, &Spanned<String>)> = BTreeMap::new();
        for (service, route) in claims {
            path(route, "route", out);
            match claimed.get(route.value.as_str()) {
                Some((owner, first)) => out.push(
                    Diagnostic::new(
                        Code::E0051,
                        route.span.clone(),
                        format!(
                            "route `{}` of service `{service}` is already served by `{owner}`",
                            route.value
                        ),
                    )
                    .with_label(first.span.clone(), "first claimed here"),
                ),
                None => {
                    claimed.insert(&route.value, (service, route));
                }
            }
        }
        for service in &env.services {
            let raw = &service.raw;
            let mut writable: Vec<&str> = Vec::new();
            for path_value in raw.writable.iter().flatten() {
                path(path_value, "writable path", out);
                if writable.contains(&path_value.value.as_str()) {
                    out.push(Diagnostic::new(
                        Code::E0051,
                        path_value.span.clone(),
                        format!("writable path `{}` is listed twice", path_value.value),
                    ));
                }
                writable.push(&path_value.value);
            }
            if let Some(probes) = &raw.probes {
                for probe in [&probes.liveness, &probes.readiness, &probes.startup]
                    .into_iter()
                    .flatten()
                {
                    path(probe, "probe path", out);
                }
            }
            if let Some(metrics) = &raw.metrics
                && let RawMetrics::Endpoint(endpoint) = &metrics.value
                && let Some(metrics_path) = &endpoint.path
            {
                path(metrics_path, "metrics path", out);
            }
        }
        ingress_host(env, out);
    }
}

fn path(value: &Spanned<String>, what: &str, out: &mut Diagnostics) {
    if !value.value.starts_with('/') {
        out.push(
            Diagnostic::new(
                Code::E0051,
                value.span.clone(),
                format!("{what} `{}` does not start with `/`", value.value),
            )
            .with_help(format!("write `/{}`", value.value)),
        );
    }
}

fn ingress_host(env: &crate::resolve::EnvView, out: &mut Diagnostics) {
    let has_host = env.ingress.as_ref().is_some_and(|ingress| ingress.host.is_some());
    if has_host {
        return;
    }
    for service in &env.services {
        if let Some(route) = service.raw.routes.iter().flatten().next() {
            out.push(
                Diagnostic::new(
                    Code::E0090,
                    route.span.clone(),
                    format!(
                        "service `{}` has routes but environment `{}` has no ingress host",
                        service.name, env.name
                    ),
                )
                .with_help(format!(
                    "set [ingress] host, or [environments.{}.ingress] host",
                    env.name
                )),
            );
        }
    }
}
