//! E0100 (a Compose environment that cannot work on one host as written) and W0004 (an
//! external datastore, which Compose does not run). Only environments whose `targets`
//! include `compose` are checked.
//!
//! Nothing here is about published ports: in the Compose target only the ingress publishes
//! one port, so two services can never claim the same host port.

use std::collections::BTreeMap;

use super::Context;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::render::compose::{RESERVED_VARIABLE_PREFIX, reserved_names};
use crate::resolve::EnvView;
use crate::spec::{Span, Target};

pub fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for env in cx.envs.iter().filter(|env| targets_compose(env)) {
        runnable(env, out);
        names(env, out);
        variables(env, out);
        routes(env, out);
        nul_characters(env, out);
        external_datastores(env, out);
    }
}

fn targets_compose(env: &EnvView) -> bool {
    env.settings
        .targets
        .as_ref()
        .is_some_and(|targets| targets.value.iter().any(|t| t.value == Target::Compose))
}

fn error(span: Span, env: &EnvView, message: String) -> Diagnostic {
    Diagnostic::new(
        Code::E0100,
        span,
        format!("in Compose environment `{}`: {message}", env.name),
    )
}

/// What Compose refuses to run: a project with no container at all, a service scaled to 0
/// replicas, a container with no CPU.
fn runnable(env: &EnvView, out: &mut Diagnostics) {
    let monitoring = env.settings.monitoring.as_ref().is_none_or(|m| m.value);
    let in_stack = env.datastores.iter().any(|d| d.raw.external.is_none());
    if env.services.is_empty() && !in_stack && !monitoring {
        out.push(
            error(
                env.name_span.clone(),
                env,
                "there is nothing to run (no service, no in-stack datastore, monitoring = false)".into(),
            )
            .with_help("add a service, or remove \"compose\" from this environment's targets"),
        );
    }
    for service in &env.services {
        if let Some(replicas) = service.raw.replicas.as_ref().filter(|r| r.value == 0) {
            out.push(
                error(
                    replicas.span.clone(),
                    env,
                    format!("service `{}` runs 0 replicas", service.name),
                )
                .with_help("Compose runs at least one container per service: set replicas to 1 or more"),
            );
        }
    }
    let resources = env.services.iter().filter_map(|s| s.raw.resources.as_ref()).chain(
        env.datastores
            .iter()
            .filter(|d| d.raw.external.is_none())
            .filter_map(|d| d.raw.resources.as_ref()),
    );
    for raw in resources {
        for cpu in [&raw.cpu, &raw.cpu_limit].into_iter().flatten() {
            if crate::spec::values::quantity(&cpu.value).is_ok_and(|q| q.value <= 0.0) {
                out.push(
                    error(
                        cpu.span.clone(),
                        env,
                        format!("cpu `{}` gives the container no CPU", cpu.value),
                    )
                    .with_help("Compose needs a positive number of CPUs: use at least `10m`"),
                );
            }
        }
    }
}

/// Services, datastores and the containers platc adds share one `services:` namespace.
fn names(env: &EnvView, out: &mut Diagnostics) {
    let has_routes = env
        .services
        .iter()
        .any(|s| s.raw.routes.as_ref().is_some_and(|r| !r.is_empty()));
    let monitoring = env.settings.monitoring.as_ref().is_none_or(|m| m.value);
    let reserved = reserved_names(has_routes, monitoring, env.alerting.is_some());
    let spec_names = env
        .services
        .iter()
        .map(|s| (&s.name, &s.name_span, "service"))
        .chain(env.jobs.iter().map(|j| (&j.name, &j.name_span, "job")))
        .chain(env.datastores.iter().map(|d| (&d.name, &d.name_span, "datastore")));
    for (name, span, kind) in spec_names {
        if reserved.contains(&name.as_str()) {
            out.push(
                error(
                    span.clone(),
                    env,
                    format!("{kind} `{name}` has the name of a container platc adds"),
                )
                .with_help(format!(
                    "rename the {kind}: `{}` are taken in this environment",
                    reserved.join("`, `")
                )),
            );
        }
    }
    for datastore in &env.datastores {
        if let Some(service) = env.services.iter().find(|s| s.name == datastore.name) {
            out.push(
                error(
                    datastore.name_span.clone(),
                    env,
                    format!("`{}` names both a service and a datastore", datastore.name),
                )
                .with_label(service.name_span.clone(), "the service"),
            );
        }
    }
    for service in &env.services {
        let Some(migrate) = &service.raw.migrate else { continue };
        let one_shot = format!("{}-migrate", service.name);
        let taken =
            env.services.iter().any(|s| s.name == one_shot) || env.datastores.iter().any(|d| d.name == one_shot);
        if taken {
            out.push(
                error(
                    migrate.span.clone(),
                    env,
                    format!("the migration runs as `{one_shot}`, which the spec already names"),
                )
                .with_help(format!("rename the other `{one_shot}`")),
            );
        }
    }
}

/// Secrets are host variables named like the container variable; one name must mean one
/// secret across the environment, and must not be a datastore password's or platc's own.
fn variables(env: &EnvView, out: &mut Diagnostics) {
    let mut first: BTreeMap<String, (String, Span)> = BTreeMap::new();
    for datastore in env.datastores.iter().filter(|d| d.raw.external.is_none()) {
        let name = format!("{}_PASSWORD", datastore.name.to_ascii_uppercase().replace('-', "_"));
        let origin = datastore
            .raw
            .secret
            .as_ref()
            .map_or(String::new(), |s| format!("{}/password", s.value));
        first.insert(name, (origin, datastore.name_span.clone()));
    }
    for service in &env.services {
        for (name, reference) in service.raw.secrets.iter().flatten() {
            if name.starts_with(RESERVED_VARIABLE_PREFIX) {
                out.push(
                    error(
                        reference.span.clone(),
                        env,
                        format!("`{name}`: variables starting with `{RESERVED_VARIABLE_PREFIX}` are platc's own"),
                    )
                    .with_help("rename the variable"),
                );
                continue;
            }
            match first.get(name) {
                Some((origin, span)) if *origin != reference.value => out.push(
                    error(
                        reference.span.clone(),
                        env,
                        format!("host variable `{name}` would carry two different secrets"),
                    )
                    .with_label(span.clone(), "first used here")
                    .with_help("Compose reads each secret from a host variable of the same name: rename one of them"),
                ),
                Some(_) => {}
                None => {
                    first.insert(name.clone(), (reference.value.clone(), reference.span.clone()));
                }
            }
        }
    }
}

/// Routes are written into nginx's config, which has no escaping platc relies on.
fn routes(env: &EnvView, out: &mut Diagnostics) {
    for service in &env.services {
        for route in service.raw.routes.iter().flatten() {
            if route.value.starts_with('/') && !nginx_safe(&route.value) {
                out.push(
                    error(
                        route.span.clone(),
                        env,
                        format!(
                            "route `{}` cannot be written into the ingress (nginx) config",
                            route.value.escape_debug()
                        ),
                    )
                    .with_help("use only `/`, letters, digits and `-`, `.`, `_`, `~` in routes"),
                );
            }
        }
    }
}

pub fn nginx_safe(route: &str) -> bool {
    route
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '.' | '_' | '~'))
}

/// A process environment and argv are C strings: a NUL cannot reach the container.
fn nul_characters(env: &EnvView, out: &mut Diagnostics) {
    for service in &env.services {
        let raw = &service.raw;
        let values = raw.env.iter().flatten().map(|(_, v)| (&v.value, &v.span));
        let probe = raw.probes.as_ref().and_then(|p| p.command.as_ref());
        let migrate = raw.migrate.as_ref().and_then(|m| Some((m.value.command()?, &m.span)));
        let lists = [raw.command.as_ref(), raw.args.as_ref(), probe]
            .into_iter()
            .flatten()
            .map(|list| (&list.value, &list.span))
            .chain(migrate)
            .flat_map(|(list, span)| list.iter().map(move |item| (item, span)));
        for (_, span) in values.chain(lists).filter(|(text, _)| text.contains('\0')) {
            out.push(error(
                span.clone(),
                env,
                "a value holds a NUL character, which no environment variable or argument can carry".into(),
            ));
        }
    }
}

fn external_datastores(env: &EnvView, out: &mut Diagnostics) {
    for datastore in &env.datastores {
        let Some(external) = &datastore.raw.external else {
            continue;
        };
        let callers: Vec<&str> = env
            .services
            .iter()
            .filter(|s| s.raw.uses.iter().flatten().any(|u| u.value == datastore.name))
            .map(|s| s.name.as_str())
            .collect();
        let callers = if callers.is_empty() {
            "its callers".to_string()
        } else {
            callers.join(", ")
        };
        out.push(
            Diagnostic::new(
                Code::W0004,
                external.span.clone(),
                format!("datastore `{}` is external: Compose environment `{}` does not run it", datastore.name, env.name),
            )
            .with_help(format!(
                "{callers} reach it at {} from the Compose host (through their connection secrets); nothing waits for it",
                external.value
            )),
        );
    }
}

#[cfg(test)]
mod tests;
