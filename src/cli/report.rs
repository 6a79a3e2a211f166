//! Reading specs (a path, or `-` for standard input) and reporting their diagnostics in the
//! chosen format.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use super::output::Stdout;
use crate::diag::render::{self, Format};
use crate::diag::{Diagnostic, SourceFile};
use crate::{Checked, Compilation, Failure};

/// The name diagnostics use for a spec read from standard input.
pub const STDIN_NAME: &str = "<stdin>";

/// A spec as read: its text, and the E0001 for its first byte that is not UTF-8, if any.
pub struct Spec {
    pub file: SourceFile,
    not_utf8: Option<Diagnostic>,
}

pub fn read(path: &Path) -> anyhow::Result<Spec> {
    let (name, bytes) = if path == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("cannot read the spec from standard input")?;
        (PathBuf::from(STDIN_NAME), bytes)
    } else {
        let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        (path.to_path_buf(), bytes)
    };
    let (text, not_utf8) = crate::spec::decode(bytes);
    Ok(Spec {
        file: SourceFile::new(name, text),
        not_utf8,
    })
}

/// Where and how diagnostics are written.
#[derive(Clone, Copy)]
pub struct Sink {
    pub format: Format,
    /// Colour the human format.
    pub color: bool,
    /// stdout carries output (manifests): JSON diagnostics go to stderr instead.
    pub stdout_busy: bool,
}

/// Human and GitHub formats go to stderr as they come; JSON is one array on stdout, or on
/// stderr while stdout carries manifests.
pub fn emit(reports: &[(&SourceFile, Vec<Diagnostic>)], sink: Sink) -> anyhow::Result<()> {
    let mut stderr = std::io::stderr().lock();
    match sink.format {
        Format::Json if sink.stdout_busy => {
            let _ = write!(stderr, "{}", render::json(reports));
        }
        Format::Json => Stdout::write(&render::json(reports))?,
        Format::Human => {
            for (file, diagnostics) in reports {
                for diagnostic in diagnostics {
                    let _ = writeln!(stderr, "{}", render::human_styled(file, diagnostic, sink.color));
                }
            }
        }
        Format::Github => {
            for (file, diagnostics) in reports {
                for diagnostic in diagnostics {
                    let _ = write!(stderr, "{}", render::github(file, diagnostic));
                }
            }
        }
    }
    Ok(())
}

/// Whether a run's diagnostics fail it.
pub fn failed(diagnostics: &[Diagnostic], deny_warnings: bool) -> bool {
    diagnostics.iter().any(|d| d.is_error() || deny_warnings)
}

/// Compiles one spec; an internal failure is an error of platc, not of the spec. With
/// `envs`, warnings are those of these environments only, and naming an environment the
/// (valid) spec does not have is a usage error.
/// `afterwards` says what becomes of the spec's tree and views once the model is built.
pub fn compile(
    spec: &Spec,
    envs: &[String],
    afterwards: crate::Afterwards,
) -> anyhow::Result<Result<Compilation, Vec<Diagnostic>>> {
    let stages = |text: &str, envs: &[String], dir: &Path| crate::compile_then(text, envs, dir, afterwards);
    run_stages(spec, envs, stages, |compilation| {
        compilation
            .platform
            .environments
            .iter()
            .map(|e| e.name.as_str())
            .collect()
    })
}

/// Checks one spec as [`compile`] does, without building the model (`platc check`).
pub fn checked(
    spec: &Spec,
    envs: &[String],
    afterwards: crate::Afterwards,
) -> anyhow::Result<Result<Checked, Vec<Diagnostic>>> {
    let stages = |text: &str, envs: &[String], dir: &Path| crate::check_then(text, envs, dir, afterwards);
    run_stages(spec, envs, stages, |checked| {
        checked.environments.iter().map(String::as_str).collect()
    })
}

fn run_stages<T>(
    spec: &Spec,
    envs: &[String],
    stages: impl FnOnce(&str, &[String], &Path) -> Result<T, Failure>,
    env_names: impl Fn(&T) -> Vec<&str>,
) -> anyhow::Result<Result<T, Vec<Diagnostic>>> {
    if let Some(not_utf8) = &spec.not_utf8 {
        return Ok(Err(vec![not_utf8.clone()]));
    }
    // `files` are read relative to the spec's folder (for `-`, the path is "-": the cwd).
    let dir = spec.file.path.parent().filter(|d| !d.as_os_str().is_empty());
    match stages(&spec.file.text, envs, dir.unwrap_or(Path::new("."))) {
        Ok(result) => {
            let known = env_names(&result);
            if let Some(unknown) = envs.iter().find(|name| !known.contains(&name.as_str())) {
                anyhow::bail!("the spec has no environment `{unknown}` (it has: {})", known.join(", "));
            }
            Ok(Ok(result))
        }
        Err(Failure::Invalid(diagnostics)) => Ok(Err(diagnostics)),
        Err(Failure::Internal(message)) => Err(internal(&message)),
    }
}

pub fn internal(message: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "internal compiler error: {message}\nThis is a bug in platc, not in your spec; nothing was written."
    )
}

pub struct CheckOptions {
    pub format: Format,
    pub deny_warnings: bool,
    pub envs: Vec<String>,
    pub color: bool,
}

/// Checks every readable spec and reports them all; an unreadable file is reported too and
/// makes the run exit 2 after the others were checked.
pub fn check(specs: &[PathBuf], options: &CheckOptions) -> anyhow::Result<ExitCode> {
    let mut files = Vec::new();
    let mut unreadable = Vec::new();
    for path in specs {
        match read(path) {
            Ok(file) => files.push(file),
            Err(error) => unreadable.push(error),
        }
    }
    let mut reports = Vec::new();
    for (index, spec) in files.iter().enumerate() {
        // The last spec's tree is left to the exit; the others are freed before the next.
        let afterwards = if index + 1 == files.len() {
            crate::Afterwards::LeaveToExit
        } else {
            crate::Afterwards::Free
        };
        let diagnostics = match checked(spec, &options.envs, afterwards)? {
            Ok(checked) => checked.warnings,
            Err(diagnostics) => diagnostics,
        };
        reports.push((&spec.file, diagnostics));
    }
    let sink = Sink {
        format: options.format,
        color: options.color,
        stdout_busy: false,
    };
    emit(&reports, sink)?;
    for error in &unreadable {
        eprintln!("error: {error:#}");
    }
    Ok(if !unreadable.is_empty() {
        ExitCode::from(2)
    } else if reports.iter().any(|(_, d)| failed(d, options.deny_warnings)) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
