//! E0003 on effective values: what must be present once all layers are merged.

use super::Context;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::spec::{Span, Spanned};

pub fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    if cx.spec.environments.is_empty() {
        let span = cx.document.key_span(&["platform"]).unwrap_or(0..0);
        out.push(
            Diagnostic::new(Code::E0003, span, "the spec defines no environment")
                .with_help("add at least one table such as [environments.production]"),
        );
    }
    for env in cx.envs {
        if let Some(targets) = &env.settings.targets
            && targets.value.is_empty()
        {
            out.push(
                Diagnostic::new(
                    Code::E0003,
                    targets.span.clone(),
                    format!("environment `{}` has no targets", env.name),
                )
                .with_help("targets = [\"kubernetes\"], [\"compose\"] or both"),
            );
        }
    }
    for (_, service) in cx.services() {
        let raw = &service.raw;
        image(service, out);
        let probe = raw.probes.as_ref().and_then(|p| p.command.as_ref());
        empty_program("command", raw.command.as_ref().map(parts), out);
        let migrate = raw
            .migrate
            .as_ref()
            .and_then(|m| Some((&m.span, m.value.command()?.as_slice())));
        empty_program("migrate", migrate, out);
        empty_program("probes.command", probe.map(parts), out);
        if let Some(disruption) = &raw.disruption
            && disruption.value.min_available.is_some()
            && disruption.value.max_unavailable.is_some()
        {
            out.push(
                Diagnostic::new(
                    Code::E0003,
                    disruption.span.clone(),
                    "disruption sets both `min_available` and `max_unavailable`",
                )
                .with_help("a PodDisruptionBudget takes one of them"),
            );
        }
        if let Some(uid) = &raw.run_as_user
            && !(1..=i64::from(u32::MAX)).contains(&uid.value)
        {
            out.push(
                Diagnostic::new(
                    Code::E0003,
                    uid.span.clone(),
                    format!("run_as_user {} is not a non-root uid", uid.value),
                )
                .with_help("pods run as non-root: use a uid of at least 1 (10000 or more is the hardened convention)"),
            );
        }
        if let Some(autoscale) = &raw.autoscale
            && autoscale.value.max.is_none()
        {
            out.push(Diagnostic::new(
                Code::E0003,
                autoscale.span.clone(),
                "autoscale has no `max`",
            ));
        }
        if let Some(slo) = &raw.slo
            && let Some(latency) = &slo.value.latency
            && latency.threshold.is_none()
        {
            out.push(
                Diagnostic::new(Code::E0003, slo.span.clone(), "a latency SLO needs a `threshold`")
                    .with_help("for example latency = { objective = 99, threshold = \"200ms\" }"),
            );
        }
    }
    for env in cx.envs {
        for datastore in &env.datastores {
            if datastore.raw.engine.is_none() {
                out.push(
                    Diagnostic::new(
                        Code::E0003,
                        datastore.name_span.clone(),
                        format!("datastore `{}` has no `engine`", datastore.name),
                    )
                    .with_help("engine = \"postgres\" or engine = \"redis\""),
                );
            }
        }
    }
}

fn parts(list: &Spanned<Vec<String>>) -> (&Span, &[String]) {
    (&list.span, list.value.as_slice())
}

/// A program to run (`command`, `migrate`, `probes.command`) needs at least its executable:
/// Kubernetes rejects an empty exec probe and Compose an empty entrypoint or healthcheck.
fn empty_program(what: &str, list: Option<(&Span, &[String])>, out: &mut Diagnostics) {
    if let Some((span, list)) = list
        && list.first().is_none_or(|program| program.trim().is_empty())
    {
        out.push(
            Diagnostic::new(Code::E0003, span.clone(), format!("`{what}` names no program to run"))
                .with_help("start the list with the executable, e.g. [\"/app/migrate\", \"--up\"]"),
        );
    }
}

fn image(service: &crate::resolve::ServiceView, out: &mut Diagnostics) {
    let Some(image) = &service.raw.image else {
        out.push(
            Diagnostic::new(
                Code::E0003,
                service.name_span.clone(),
                format!("service `{}` has no `image`", service.name),
            )
            .with_help("add image = \"registry/name:1.0.0\" to the service"),
        );
        return;
    };
    // Kubernetes and Compose reject an empty image and one with surrounding spaces.
    let text = &image.value;
    if text.trim().is_empty() || text.trim() != text || text.chars().any(char::is_control) {
        out.push(
            Diagnostic::new(
                Code::E0003,
                image.span.clone(),
                format!(
                    "service `{}` has an empty or malformed image `{}`",
                    service.name,
                    text.escape_debug()
                ),
            )
            .with_help("name the image, e.g. \"registry.example.com/team/app:1.4.2\", without spaces around it"),
        );
    }
}
