//! The contract-v2 service keys (SPEC.md §8): `service_port` and `ports` (E0050 range and
//! collisions), probe timings and `termination_grace` (E0022), `migrate` as a table (E0003),
//! `image_pull_secrets`, `service_account` annotations and the ingress controller (E0010).

use std::collections::BTreeMap;

use super::{Context, parse};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::spec::{RawMetrics, RawMigrate, RawService, Span, Spanned, values};

pub fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for (_, service) in cx.services() {
        let raw = &service.raw;
        ports(raw, out);
        timings(raw, out);
        if let Some(migrate) = &raw.migrate
            && migrate.value.command().is_none_or(Vec::is_empty)
        {
            out.push(
                Diagnostic::new(Code::E0003, migrate.span.clone(), "`migrate` has no command")
                    .with_help("migrate = { command = [\"npm\", \"run\", \"migrate\"] }"),
            );
        }
        if let Some(Spanned {
            value: RawMigrate::Table(table),
            ..
        }) = &raw.migrate
            && let Some(image) = &table.image
            && image.value.trim().is_empty()
        {
            out.push(Diagnostic::new(
                Code::E0003,
                image.span.clone(),
                "`migrate.image` is empty",
            ));
        }
        for secret in raw.image_pull_secrets.iter().flatten() {
            subdomain(secret, "image pull secret", out);
        }
        let annotations = raw.service_account.as_ref().and_then(|a| a.annotations.as_ref());
        for (key, value) in annotations.into_iter().flatten() {
            if let Err(message) = values::label_key(key) {
                out.push(Diagnostic::new(
                    Code::E0010,
                    value.span.clone(),
                    format!("annotation key: {message}"),
                ));
            }
        }
    }
    for env in cx.envs {
        let Some(controller) = env.ingress.as_ref().and_then(|i| i.controller.as_ref()) else {
            continue;
        };
        if let Some(namespace) = &controller.namespace
            && let Err(message) = values::name(&namespace.value)
        {
            out.push(Diagnostic::new(
                Code::E0010,
                namespace.span.clone(),
                format!("controller namespace: {message}"),
            ));
        }
        for (key, value) in controller.labels.iter().flatten() {
            if let Err(message) = values::label_key(key).and_then(|()| values::label_value(&value.value)) {
                out.push(Diagnostic::new(
                    Code::E0010,
                    value.span.clone(),
                    format!("controller label: {message}"),
                ));
            }
        }
    }
}

fn subdomain(value: &Spanned<String>, what: &str, out: &mut Diagnostics) {
    if !values::subdomain(&value.value) {
        out.push(Diagnostic::new(
            Code::E0010,
            value.span.clone(),
            format!("{what} `{}` is not a valid Secret name", value.value),
        ));
    }
}

/// Every container port and Service port of the service, by number: two uses of one number
/// collide (the metrics port may share the HTTP port: one endpoint serves both).
fn ports(raw: &RawService, out: &mut Diagnostics) {
    let mut container: BTreeMap<i64, (String, Span)> = BTreeMap::new();
    let mut exposed: BTreeMap<i64, (String, Span)> = BTreeMap::new();
    if let Some(port) = &raw.port {
        container.insert(port.value, ("port".into(), port.span.clone()));
        let front = raw.service_port.as_ref().unwrap_or(port);
        exposed.insert(front.value, ("service_port".into(), front.span.clone()));
    } else if let Some(service_port) = &raw.service_port {
        out.push(
            Diagnostic::new(Code::E0050, service_port.span.clone(), "`service_port` without `port`")
                .with_help("a worker without `port` has no Service; set `port` to the container's HTTP port"),
        );
    }
    if let Some(port) = &raw.service_port {
        in_range(port, out);
    }
    if let Some(Spanned {
        value: RawMetrics::Endpoint(endpoint),
        ..
    }) = &raw.metrics
        && let Some(metrics) = &endpoint.port
        && raw.port.as_ref().is_none_or(|p| p.value != metrics.value)
    {
        container.insert(metrics.value, ("metrics.port".into(), metrics.span.clone()));
    }
    for (name, port) in raw.ports.iter().flatten() {
        in_range(port, out);
        port_name(name, port, out);
        for (taken, role) in [(&mut container, "container"), (&mut exposed, "Service")] {
            if let Some((other, first)) = taken.get(&port.value) {
                out.push(
                    Diagnostic::new(
                        Code::E0050,
                        port.span.clone(),
                        format!("port `{name}` = {} collides with `{other}` on the {role}", port.value),
                    )
                    .with_label(first.clone(), "first used here"),
                );
            } else {
                taken.insert(port.value, (format!("ports.{name}"), port.span.clone()));
            }
        }
    }
}

/// IANA service names, as Kubernetes requires of port names; `http` and `metrics` are taken.
fn port_name(name: &str, port: &Spanned<i64>, out: &mut Diagnostics) {
    let valid = (1..=15).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && name.bytes().any(|b| b.is_ascii_lowercase())
        && !name.starts_with('-')
        && !name.ends_with('-')
        && !name.contains("--");
    let problem = if !valid {
        Some(format!(
            "port name `{name}` is not valid: 1–15 lowercase letters, digits and single '-', with a letter"
        ))
    } else if ["http", "metrics"].contains(&name) {
        Some(format!("port name `{name}` is platc's own"))
    } else {
        None
    };
    if let Some(message) = problem {
        out.push(Diagnostic::new(Code::E0050, port.span.clone(), message));
    }
}

fn in_range(port: &Spanned<i64>, out: &mut Diagnostics) {
    if !(1..=65_535).contains(&port.value) {
        out.push(Diagnostic::new(
            Code::E0050,
            port.span.clone(),
            format!("port {} is outside 1–65535", port.value),
        ));
    }
}

/// Probe periods, timeouts and delays are whole seconds from 1s (a delay may be longer than
/// an hour, a period or timeout may not); the failure count is 1–100.
fn timings(raw: &RawService, out: &mut Diagnostics) {
    if let Some(probes) = &raw.probes {
        let bounded = [
            (&probes.period, 3600),
            (&probes.timeout, 3600),
            (&probes.initial_delay, 86_400),
        ];
        for (value, max) in bounded {
            if let Some(value) = value {
                seconds(value, max, out);
            }
        }
        if let Some(failures) = &probes.failures
            && !(1..=100).contains(&failures.value)
        {
            out.push(Diagnostic::new(
                Code::E0022,
                failures.span.clone(),
                format!("failures {} is outside 1–100", failures.value),
            ));
        }
    }
    if let Some(grace) = &raw.termination_grace {
        seconds(grace, 86_400, out);
    }
}

/// A duration of whole seconds within 1s–`max` seconds.
pub(super) fn seconds(value: &Spanned<String>, max: u64, out: &mut Diagnostics) {
    let Some(duration) = parse(value, Code::E0022, values::duration, out) else {
        return;
    };
    if duration.seconds().fract() != 0.0 || duration.whole_seconds() > max {
        out.push(Diagnostic::new(
            Code::E0022,
            value.span.clone(),
            format!("`{}` must be whole seconds, at most {max}s", value.value),
        ));
    }
}
