//! E0062, `files` of services and jobs: the container path is absolute and used once per
//! workload, and the source (relative to the spec's folder) is a readable UTF-8 file of at
//! most 1 MiB, the most a `ConfigMap` holds.

use std::path::Path;

use super::Context;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::spec::{Map, Span, Text};

/// A `ConfigMap` holds at most 1 MiB.
pub const MAX_BYTES: u64 = 1024 * 1024;

pub fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let services = cx.services().map(|(_, s)| s.raw.files.as_ref());
    let jobs = cx.envs.iter().flat_map(|env| &env.jobs).map(|j| j.raw.files.as_ref());
    for files in services.chain(jobs).flatten() {
        entries(cx, files, out);
    }
}

fn entries(cx: &Context<'_>, files: &Map<Text>, out: &mut Diagnostics) {
    let mut seen: Vec<(String, Span)> = Vec::new();
    for (path, source) in files {
        if let Err(message) = container_path(path) {
            out.push(Diagnostic::new(Code::E0062, source.span.clone(), message));
        }
        let normal = path.trim_end_matches('/').to_string();
        if let Some((_, first)) = seen.iter().find(|(p, _)| *p == normal) {
            out.push(
                Diagnostic::new(
                    Code::E0062,
                    source.span.clone(),
                    format!("two `files` entries mount `{path}`"),
                )
                .with_label(first.clone(), "first here"),
            );
        } else {
            seen.push((normal, source.span.clone()));
        }
        if let Err(message) = read(cx.dir, &source.value) {
            out.push(Diagnostic::new(Code::E0062, source.span.clone(), message));
        }
    }
}

/// An absolute, normal path: no `.`/`..` segments, no empty segments, not `/` itself.
fn container_path(path: &str) -> Result<(), String> {
    if !path.starts_with('/') {
        return Err(format!(
            "`{path}` is not an absolute container path (it must start with `/`)"
        ));
    }
    let segments: Vec<&str> = path[1..].split('/').collect();
    if segments.iter().any(|s| s.is_empty() || *s == "." || *s == "..") || path.contains('\0') {
        return Err(format!("`{path}` is not a plain absolute path to a file"));
    }
    if path.contains(':') {
        return Err(format!("`{path}` holds `:`, which a Compose bind mount cannot take"));
    }
    Ok(())
}

/// The source's text, read relative to the spec's folder.
pub fn read(dir: &Path, source: &str) -> Result<String, String> {
    if source.is_empty() || Path::new(source).is_absolute() {
        return Err(format!("`{source}` must be a file path relative to the spec"));
    }
    let path = dir.join(source);
    let metadata = std::fs::metadata(&path).map_err(|e| format!("cannot read `{source}`: {}", reason(&e)))?;
    if metadata.is_dir() {
        return Err(format!("`{source}` is a directory; `files` maps one file to one path"));
    }
    if metadata.len() > MAX_BYTES {
        return Err(format!(
            "`{source}` is {} bytes; a ConfigMap holds at most 1 MiB",
            metadata.len()
        ));
    }
    let bytes = std::fs::read(&path).map_err(|e| format!("cannot read `{source}`: {}", reason(&e)))?;
    String::from_utf8(bytes).map_err(|_| format!("`{source}` is not UTF-8 text"))
}

fn reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => error.to_string(),
    }
}
