//! platc: compiles one platform spec into Kubernetes, Compose, Prometheus and Grafana files.
//!
//! The pipeline, one module per stage, data flowing one way:
//! `spec` (parse) → `resolve` → `check` → `model` (the validated model) → `render` →
//! `verify` → `emit`. `diag` and `cli` sit beside it.

pub mod check;
pub mod cli;
pub mod diag;
pub mod emit;
pub mod model;
pub mod parallel;
pub mod render;
pub mod resolve;
pub mod spec;
pub mod verify;

use diag::{Diagnostic, Diagnostics};

/// mimalloc instead of glibc's malloc: compiling a large spec is millions of small
/// allocations (TOML tables, rendered strings, parsed-back values), and glibc's allocator
/// spent a third of the run on them. Declared in the library so that the binary, the tests
/// and the benches all measure the same allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Why a compilation produced no output.
#[derive(Debug)]
pub enum Failure {
    /// The spec is invalid: every error (and warning) found.
    Invalid(Vec<Diagnostic>),
    /// platc itself is wrong: a value slipped past the checks, a template failed, or the
    /// output did not parse back.
    Internal(String),
}

/// A valid spec: its model, and the warnings found on the way.
pub struct Compilation {
    pub platform: model::Platform,
    pub warnings: Vec<Diagnostic>,
}

/// parse → resolve → check → model, reading `files` relative to the current folder.
pub fn compile(text: &str) -> Result<Compilation, Failure> {
    compile_in(text, std::path::Path::new("."))
}

/// parse → resolve → check → model; `dir` is the spec's folder, where `files` are read.
pub fn compile_in(text: &str, dir: &std::path::Path) -> Result<Compilation, Failure> {
    compile_for(text, &[], dir)
}

/// Like [`compile`], with the warnings of the environments named in `warning_envs` only
/// (all when empty; names the spec does not have select nothing). Errors are always those
/// of every environment: the spec must be valid as a whole.
pub fn compile_for(text: &str, warning_envs: &[String], dir: &std::path::Path) -> Result<Compilation, Failure> {
    compile_then(text, warning_envs, dir, Afterwards::Free)
}

/// [`compile_for`], with what to do with the spec's tree and views once the model is built.
pub fn compile_then(
    text: &str,
    warning_envs: &[String],
    dir: &std::path::Path,
    afterwards: Afterwards,
) -> Result<Compilation, Failure> {
    let (platform, warnings) = validated(text, warning_envs, dir, afterwards, |spec, environments| {
        model::build(spec, environments, dir).map_err(|e| Failure::Internal(e.0))
    })?;
    Ok(Compilation {
        platform: platform?,
        warnings,
    })
}

/// A valid spec as `platc check` sees it: its environments' names and its warnings.
pub struct Checked {
    pub environments: Vec<String>,
    pub warnings: Vec<Diagnostic>,
}

/// parse → resolve → check, without the model: what `platc check` reports. The checks are
/// what make the model sound (a spec they accept always builds), so the model, the render
/// target's input, is left to `build`.
pub fn check_for(text: &str, warning_envs: &[String], dir: &std::path::Path) -> Result<Checked, Failure> {
    check_then(text, warning_envs, dir, Afterwards::Free)
}

/// What becomes of a valid spec's tree and resolved views once they are checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Afterwards {
    /// Freed, allocation by allocation: a library's duty.
    Free,
    /// Left for the process's exit to take back at once, as compilers do with their last
    /// input (clang's `-disable-free`): the command line's last spec, for which freeing tens
    /// of thousands of services' tables one by one is time spent on nothing.
    LeaveToExit,
}

/// [`check_for`], with what to do with the spec's tree and views afterwards.
pub fn check_then(
    text: &str,
    warning_envs: &[String],
    dir: &std::path::Path,
    afterwards: Afterwards,
) -> Result<Checked, Failure> {
    let (environments, warnings) = validated(text, warning_envs, dir, afterwards, |_, environments| {
        environments.iter().map(|env| env.name.clone()).collect()
    })?;
    Ok(Checked { environments, warnings })
}

/// parse → resolve → check, then `then` on the valid spec; with the warnings found.
fn validated<R>(
    text: &str,
    warning_envs: &[String],
    dir: &std::path::Path,
    afterwards: Afterwards,
    then: impl FnOnce(&spec::RawSpec, &[resolve::EnvView]) -> R,
) -> Result<(R, Vec<Diagnostic>), Failure> {
    let explained = |found: Vec<Diagnostic>| found.into_iter().map(Diagnostic::or_explain).collect();
    let mut document = spec::parse(text).map_err(|found| Failure::Invalid(explained(found)))?;
    let (mut environments, problems) = resolve::resolve(&mut document);
    let mut diagnostics = Diagnostics::default();
    diagnostics.extend(problems);
    diagnostics.extend(document.recovered.iter().cloned());
    if warning_envs.is_empty() {
        diagnostics.extend(check::check(&document, &environments, dir));
    } else {
        let (selected, others): (Vec<_>, Vec<_>) = environments
            .into_iter()
            .partition(|env| warning_envs.contains(&env.name));
        diagnostics.extend(check::check(&document, &selected, dir));
        diagnostics.extend(
            check::check(&document, &others, dir)
                .into_iter()
                .filter(Diagnostic::is_error),
        );
        environments = selected.into_iter().chain(others).collect();
        environments.sort_by(|a, b| a.name.cmp(&b.name));
    }
    if !document.recovered.is_empty() {
        // Keys were dropped: warnings about the rest could be what a dropped key meant to fix
        // (`replica = 3` leaves a single replica). Only the errors are certain.
        diagnostics = diagnostics
            .into_sorted()
            .into_iter()
            .filter(Diagnostic::is_error)
            .collect();
    }
    if diagnostics.has_errors() {
        return Err(Failure::Invalid(explained(diagnostics.into_sorted())));
    }
    let result = then(&document.spec, &environments);
    if afterwards == Afterwards::LeaveToExit {
        std::mem::forget(document);
        std::mem::forget(environments);
    }
    Ok((result, explained(diagnostics.into_sorted())))
}

/// render → verify: every output file, checked.
pub fn render(platform: &model::Platform) -> Result<Vec<render::OutputFile>, Failure> {
    render_targets(platform, render::Targets::ALL)
}

/// render → verify, one environment folder (`<target>/<env>`) at a time, in path order:
/// what `build -o` writes, so that it never holds more than a few folders of the tree.
/// Each folder comes out whole and verified, or as the failure that stops the build.
pub fn render_folders(
    platform: &model::Platform,
    targets: render::Targets,
) -> impl Iterator<Item = Result<Vec<render::OutputFile>, Failure>> + '_ {
    let templates = render::templates();
    render::folders(platform, targets).into_iter().map(move |folder| {
        let files = render::render_folder(&templates, platform, &folder)
            .map_err(|e| Failure::Internal(format!("a template failed: {}", e.0)))?;
        verify::verify(&files)
            .map_err(|e| Failure::Internal(format!("generated {} does not parse back: {}", e.path, e.message)))?;
        Ok(files)
    })
}

/// render → verify for some targets only.
pub fn render_targets(
    platform: &model::Platform,
    targets: render::Targets,
) -> Result<Vec<render::OutputFile>, Failure> {
    let files = render::render_targets(platform, targets)
        .map_err(|e| Failure::Internal(format!("a template failed: {}", e.0)))?;
    verify::verify(&files)
        .map_err(|e| Failure::Internal(format!("generated {} does not parse back: {}", e.path, e.message)))?;
    Ok(files)
}
