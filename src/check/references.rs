//! E0030: `tier`, `uses` and environment overrides must name something that exists.

use super::Context;
use crate::diag::{Code, Diagnostic, Diagnostics, suggest};

pub fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let tiers: Vec<&str> = cx.spec.tiers.keys().map(String::as_str).collect();
    let callees: Vec<&str> = cx
        .spec
        .services
        .keys()
        .chain(cx.spec.datastores.keys())
        .map(String::as_str)
        .collect();
    // Lookups go to the spec's maps: a scan of the names per reference is quadratic.
    let defined = |name: &str| cx.spec.services.contains_key(name) || cx.spec.datastores.contains_key(name);
    for (_, service) in cx.services() {
        if let Some(tier) = &service.raw.tier
            && !cx.spec.tiers.contains_key(&tier.value)
        {
            out.push(missing(tier.span.clone(), "tier", &tier.value, &tiers));
        }
        for callee in service.raw.uses.iter().flatten() {
            if !defined(&callee.value) {
                out.push(missing(
                    callee.span.clone(),
                    "service or datastore",
                    &callee.value,
                    &callees,
                ));
            }
        }
    }
    for job in cx.envs.iter().flat_map(|env| &env.jobs) {
        for callee in job.raw.uses.iter().flatten() {
            if !callees.contains(&callee.value.as_str()) {
                out.push(missing(
                    callee.span.clone(),
                    "service or datastore",
                    &callee.value,
                    &callees,
                ));
            }
        }
    }
    overrides(cx, out);
}

fn overrides(cx: &Context<'_>, out: &mut Diagnostics) {
    for (env_name, env) in &cx.spec.environments {
        let tables: [(&str, Vec<&String>, std::collections::BTreeSet<&str>); 4] = [
            (
                "tiers",
                env.tiers.iter().flat_map(|t| t.keys()).collect(),
                cx.spec.tiers.keys().map(String::as_str).collect(),
            ),
            (
                "services",
                env.services.iter().flat_map(|t| t.keys()).collect(),
                cx.spec.services.keys().map(String::as_str).collect(),
            ),
            (
                "jobs",
                env.jobs.iter().flat_map(|t| t.keys()).collect(),
                cx.spec.jobs.keys().map(String::as_str).collect(),
            ),
            (
                "datastores",
                env.datastores.iter().flat_map(|t| t.keys()).collect(),
                cx.spec.datastores.keys().map(String::as_str).collect(),
            ),
        ];
        for (table, overridden, defined) in tables {
            for name in overridden {
                if defined.contains(&name.as_str()) {
                    continue;
                }
                let span = cx
                    .document
                    .key_span(&["environments", env_name, table, name])
                    .unwrap_or(0..0);
                let what = &table[..table.len() - 1];
                let defined: Vec<&str> = defined.iter().copied().collect();
                out.push(missing(span, what, name, &defined).with_help(
                    suggest::did_you_mean(name, defined.iter().copied()).unwrap_or_else(|| {
                        format!("an override changes a {what} defined under [{table}]; define it there first")
                    }),
                ));
            }
        }
    }
}

fn missing(span: crate::spec::Span, what: &str, name: &str, known: &[&str]) -> Diagnostic {
    let diagnostic = Diagnostic::new(Code::E0030, span, format!("{what} `{name}` is not defined"));
    match suggest::did_you_mean(name, known.iter().copied()) {
        Some(help) => diagnostic.with_help(help),
        None if known.is_empty() => diagnostic,
        None => diagnostic.with_help(format!("defined: {}", known.join(", "))),
    }
}
