//! Warnings: W0001 (unpinned image, of a service or a job), W0002 (HTTP service without
//! readiness probe),
//! W0003 (a paging service that can run a single replica). A service (or its tier) accepts
//! the warnings it lists in `allow`; a listed code that is not a warning is E0030.

use super::Context;
use crate::diag::{Code, Diagnostic, Diagnostics, suggest};

pub fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for (env, service) in cx.services() {
        let allowed = allowed_codes(service.raw.allow.as_deref().unwrap_or_default(), out);
        let mut found = Diagnostics::default();
        service_warnings(env, service, &mut found);
        out.extend(found.into_iter().filter(|d| !allowed.contains(&d.code)));
    }
    let mut seen = std::collections::BTreeSet::new();
    for job in cx.envs.iter().flat_map(|env| &env.jobs) {
        if let Some(image) = &job.raw.image
            && seen.insert((image.span.start, image.span.end))
        {
            unpinned(image, out);
        }
    }
}

/// W0001 when `image` has no version tag or digest.
fn unpinned(image: &crate::spec::Spanned<String>, out: &mut Diagnostics) {
    if !pinned(&image.value) {
        out.push(
            Diagnostic::new(
                Code::W0001,
                image.span.clone(),
                format!("image `{}` has no version tag", image.value),
            )
            .with_help("pin a version such as `:1.4.2`, or a digest"),
        );
    }
}

/// The warning codes of an `allow` list; every other entry is reported.
fn allowed_codes(list: &[crate::spec::Spanned<String>], out: &mut Diagnostics) -> Vec<Code> {
    let warnings: Vec<&str> = Code::ALL
        .iter()
        .filter(|code| !code.is_error())
        .map(|code| code.as_str())
        .collect();
    let mut codes = Vec::new();
    for entry in list {
        match Code::parse(&entry.value).filter(|code| !code.is_error()) {
            Some(code) => codes.push(code),
            None => out.push(
                Diagnostic::new(
                    Code::E0030,
                    entry.span.clone(),
                    format!("`{}` is not a warning code; only warnings can be allowed", entry.value),
                )
                .with_help(
                    suggest::did_you_mean(&entry.value, warnings.iter().copied())
                        .unwrap_or_else(|| format!("warning codes: {}", warnings.join(", "))),
                ),
            ),
        }
    }
    codes
}

fn service_warnings(env: &crate::resolve::EnvView, service: &crate::resolve::ServiceView, out: &mut Diagnostics) {
    let raw = &service.raw;
    if let Some(image) = &raw.image {
        unpinned(image, out);
    }
    if let Some(port) = &raw.port {
        let probes = raw.probes.as_ref();
        if probes.is_none_or(|p| p.readiness.is_none() && p.command.is_none()) {
            out.push(
                Diagnostic::new(
                    Code::W0002,
                    port.span.clone(),
                    format!("HTTP service `{}` has no readiness probe", service.name),
                )
                .with_help("add probes = { readiness = \"/ready\" }"),
            );
        }
    }
    let env_paging = env.settings.paging.as_ref().is_none_or(|p| p.value);
    let paging = env_paging && service.tier_paging.as_ref().is_none_or(|p| p.value);
    let autoscale_min = raw.autoscale.as_ref().and_then(|a| a.value.min.as_ref());
    let fewest = autoscale_min.or(raw.replicas.as_ref());
    if paging && fewest.is_none_or(|n| n.value < 2) {
        let span = fewest.map_or(service.name_span.clone(), |n| n.span.clone());
        out.push(
            Diagnostic::new(
                Code::W0003,
                span,
                format!(
                    "service `{}` pages in `{}` but can run a single replica",
                    service.name, env.name
                ),
            )
            .with_help("set replicas (or autoscale.min) to 2 or more"),
        );
    }
}

/// A tag after the last path segment's `:`, not `latest`, or a digest.
fn pinned(image: &str) -> bool {
    if image.contains('@') {
        return true;
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    last.split_once(':')
        .is_some_and(|(_, tag)| !tag.is_empty() && tag != "latest")
}

#[cfg(test)]
mod tests {
    #[test]
    fn images_need_a_version_tag() {
        assert!(super::pinned("quizmentor/api:1.4.2"));
        assert!(super::pinned("registry:5000/api:2"));
        assert!(super::pinned("api@sha256:abc"));
        assert!(!super::pinned("registry:5000/api"));
        assert!(!super::pinned("api:latest"));
        assert!(!super::pinned("api"));
    }
}
