//! `platc build --image <name>=<ref>`: replaces the image of a service or job for one build,
//! on every target and environment (CI pins the reference it just pushed). A service's
//! migration follows when it runs the service's own image.

use anyhow::bail;

use crate::model::Platform;

/// Parses every `name=ref` and applies it; usage errors name what is wrong.
pub fn apply(platform: &mut Platform, overrides: &[String]) -> anyhow::Result<()> {
    for text in overrides {
        let Some((name, reference)) = text.split_once('=') else {
            bail!("--image `{text}`: expected <service-or-job>=<image>, such as api=registry.example.com/api@sha256:…");
        };
        if let Err(problem) = image_reference(reference) {
            bail!("--image {name}: `{reference}` is not an image reference: {problem}");
        }
        let mut found = false;
        for env in &mut platform.environments {
            for service in env.services.iter_mut().filter(|s| s.name == name) {
                if let Some(migrate) = service.migrate.as_mut().filter(|m| m.image == service.image) {
                    migrate.image = reference.to_string();
                }
                service.image = reference.to_string();
                found = true;
            }
            for job in env.jobs.iter_mut().filter(|j| j.name == name) {
                job.image = reference.to_string();
                found = true;
            }
        }
        if !found {
            bail!(
                "--image: the spec has no service or job `{name}` (it has: {})",
                names(platform).join(", ")
            );
        }
    }
    Ok(())
}

fn names(platform: &Platform) -> Vec<String> {
    let mut names: Vec<String> = platform
        .environments
        .iter()
        .flat_map(|e| {
            e.services
                .iter()
                .map(|s| s.name.clone())
                .chain(e.jobs.iter().map(|j| j.name.clone()))
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

/// `[host[:port]/]path[:tag][@algorithm:hex]` as the distribution reference grammar has it.
pub fn image_reference(text: &str) -> Result<(), String> {
    let (rest, digest) = match text.split_once('@') {
        Some((rest, digest)) => (rest, Some(digest)),
        None => (text, None),
    };
    if let Some(digest) = digest {
        let (algorithm, hex) = digest.split_once(':').ok_or("a digest is <algorithm>:<hex>")?;
        let hex_ok = hex.len() >= 32 && hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if algorithm.is_empty() || !algorithm.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) || !hex_ok {
            return Err(format!("digest `{digest}` is not <algorithm>:<lowercase hex>"));
        }
    }
    let (name, tag) = match rest.rsplit_once(':') {
        Some((name, tag)) if !tag.contains('/') => (name, Some(tag)),
        _ => (rest, None),
    };
    if let Some(tag) = tag {
        let valid = (1..=128).contains(&tag.len())
            && tag
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
            && !tag.starts_with(['.', '-']);
        if !valid {
            return Err(format!("tag `{tag}` is not valid"));
        }
    }
    let mut parts: Vec<&str> = name.split('/').collect();
    let first = parts[0];
    if parts.len() > 1 && (first.contains(['.', ':']) || first == "localhost") {
        host(first)?;
        parts.remove(0);
    }
    if parts.iter().any(|part| !path_component(part)) {
        return Err(format!(
            "`{name}` is not a repository path: lowercase letters and digits, separated by . _ __ - or /"
        ));
    }
    Ok(())
}

fn host(text: &str) -> Result<(), String> {
    let (domain, port) = match text.rsplit_once(':') {
        Some((domain, port)) => (domain, Some(port)),
        None => (text, None),
    };
    let domain_ok = !domain.is_empty()
        && domain.split('.').all(|label| {
            !label.is_empty()
                && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        });
    let port_ok = port.is_none_or(|p| p.parse::<u16>().is_ok_and(|p| p > 0));
    if domain_ok && port_ok {
        Ok(())
    } else {
        Err(format!("registry `{text}` is not a host[:port]"))
    }
}

/// `[a-z0-9]+` runs joined by `.`, `_`, `__` or one or more `-`.
fn path_component(part: &str) -> bool {
    let is_alnum = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    let mut runs: Vec<(bool, String)> = Vec::new();
    for c in part.chars() {
        match runs.last_mut() {
            Some((alnum, run)) if *alnum == is_alnum(c) => run.push(c),
            _ => runs.push((is_alnum(c), c.to_string())),
        }
    }
    let separator = |run: &str| matches!(run, "." | "_" | "__") || run.chars().all(|c| c == '-');
    runs.first().is_some_and(|(alnum, _)| *alnum)
        && runs.last().is_some_and(|(alnum, _)| *alnum)
        && runs.iter().all(|(alnum, run)| *alnum || separator(run))
}

#[cfg(test)]
mod tests {
    use super::image_reference;

    #[test]
    fn references_are_checked() {
        for ok in [
            "api",
            "quizmentor/api:2.4.1",
            "registry.example.com:5000/team/api:v1.2",
            "ghcr.io/org/a_b__c/d--e:latest",
            "localhost/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "registry.example.com/api:1.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        ] {
            assert!(image_reference(ok).is_ok(), "{ok}: {:?}", image_reference(ok));
        }
        for bad in [
            "",
            "API:1",
            "api:",
            "api:-x",
            "api@sha256:xyz",
            "api@sha256",
            "reg.io:99999/api",
            "a//b",
            "a/-b",
            "api:1 2",
            "api@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
        ] {
            assert!(image_reference(bad).is_err(), "{bad}");
        }
    }
}
