//! E0010: names are DNS-1035 labels; labels are valid Kubernetes labels; derived names fit.

use std::collections::BTreeMap;

use super::Context;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::spec::{Spanned, values};

pub fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let platform = &cx.spec.platform;
    name(&platform.name.value, platform.name.span.clone(), out);
    for table in ["environments", "tiers", "services", "datastores"] {
        for key in table_keys(cx, table) {
            if let Some(span) = cx.document.key_span(&[table, &key]) {
                name(&key, span, out);
            }
        }
    }
    collisions(cx, out);
    if let Some(team) = &platform.team {
        label_value(team, out);
    }
    labels(platform.labels.as_ref(), out);
    for env in cx.envs {
        labels(env.settings.labels.as_ref(), out);
        namespace(cx, env, out);
        for datastore in &env.datastores {
            derived(&format!("{}-config", datastore.name), datastore.name_span.clone(), out);
        }
    }
    for (_, service) in cx.services() {
        labels(service.raw.labels.as_ref(), out);
        labels(service.raw.node_selector.as_ref(), out);
        for (key, value) in service.raw.annotations.iter().flatten() {
            if let Err(message) = values::label_key(key) {
                out.push(Diagnostic::new(
                    Code::E0010,
                    value.span.clone(),
                    format!("annotation key: {message}"),
                ));
            }
        }
        derived(&format!("{}-migrate", service.name), service.name_span.clone(), out);
    }
}

fn table_keys(cx: &Context<'_>, table: &str) -> Vec<String> {
    match table {
        "environments" => cx.spec.environments.keys().cloned().collect(),
        "tiers" => cx.spec.tiers.keys().cloned().collect(),
        "services" => cx.spec.services.keys().cloned().collect(),
        _ => cx.spec.datastores.keys().cloned().collect(),
    }
}

fn name(text: &str, span: crate::spec::Span, out: &mut Diagnostics) {
    if let Err(message) = values::name(text) {
        out.push(Diagnostic::new(Code::E0010, span, message));
    }
}

fn label_value(value: &Spanned<String>, out: &mut Diagnostics) {
    if let Err(message) = values::label_value(&value.value) {
        out.push(Diagnostic::new(Code::E0010, value.span.clone(), message));
    }
}

fn labels(map: Option<&BTreeMap<String, Spanned<String>>>, out: &mut Diagnostics) {
    for (key, value) in map.into_iter().flatten() {
        if let Err(message) = values::label_key(key) {
            out.push(Diagnostic::new(Code::E0010, value.span.clone(), message));
        }
        label_value(value, out);
    }
}

fn namespace(cx: &Context<'_>, env: &crate::resolve::EnvView, out: &mut Diagnostics) {
    let (text, span, derived_from) = if let Some(namespace) = &env.settings.namespace {
        (namespace.value.clone(), namespace.span.clone(), None)
    } else {
        let text = format!("{}-{}", cx.spec.platform.name.value, env.name);
        (text, env.name_span.clone(), Some("derived "))
    };
    if let Err(message) = values::name(&text) {
        let prefix = derived_from.unwrap_or("");
        out.push(
            Diagnostic::new(Code::E0010, span, format!("{prefix}namespace: {message}"))
                .with_help("set `namespace` on the environment"),
        );
    }
}

fn derived(text: &str, span: crate::spec::Span, out: &mut Diagnostics) {
    if text.len() > 63 {
        out.push(Diagnostic::new(
            Code::E0010,
            span,
            format!(
                "the derived name `{text}` is {} characters long; Kubernetes allows 63",
                text.len()
            ),
        ));
    }
}

/// Services and datastores share object names (Service, `NetworkPolicy`, `ServiceAccount`) in one
/// namespace, beside the namespace's `default-deny` policy: two of them with one name would
/// silently replace each other on apply.
fn collisions(cx: &Context<'_>, out: &mut Diagnostics) {
    for name in cx
        .spec
        .datastores
        .keys()
        .filter(|name| cx.spec.services.contains_key(*name))
    {
        if let Some(span) = cx.document.key_span(&["datastores", name]) {
            let mut diagnostic = Diagnostic::new(
                Code::E0010,
                span,
                format!("a service and a datastore are both named `{name}`"),
            )
            .with_help("rename one: they would share Kubernetes object names, and `uses` could not tell them apart");
            if let Some(first) = cx.document.key_span(&["services", name]) {
                diagnostic = diagnostic.with_label(first, "the service");
            }
            out.push(diagnostic);
        }
    }
    for table in ["services", "datastores"] {
        if let Some(span) = cx.document.key_span(&[table, RESERVED]) {
            out.push(
                Diagnostic::new(
                    Code::E0010,
                    span,
                    format!("`{RESERVED}` is the name of the namespace's own NetworkPolicy"),
                )
                .with_help("choose another name"),
            );
        }
    }
}

const RESERVED: &str = "default-deny";
