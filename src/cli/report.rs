//! Reading specs and reporting their diagnostics in the chosen format.
#![allow(clippy::print_stdout)] // this module is the reporter/emitter: stdout is its job

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use crate::diag::render::{self, Format};
use crate::diag::{Diagnostic, SourceFile};
use crate::{Compilation, Failure};

pub fn read(path: &Path) -> anyhow::Result<SourceFile> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(SourceFile::new(path, text))
}

/// Human and GitHub formats go to stderr as they come; JSON is one array on stdout.
pub fn emit(reports: &[(&SourceFile, Vec<Diagnostic>)], format: Format) {
    let mut stderr = std::io::stderr().lock();
    match format {
        Format::Json => print!("{}", render::json(reports)),
        Format::Human => {
            for (file, diagnostics) in reports {
                for diagnostic in diagnostics {
                    let _ = writeln!(stderr, "{}", render::human(file, diagnostic));
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
}

/// Whether a run's diagnostics fail it.
pub fn failed(diagnostics: &[Diagnostic], deny_warnings: bool) -> bool {
    diagnostics.iter().any(|d| d.is_error() || deny_warnings)
}

/// Compiles one spec; an internal failure is an error of platc, not of the spec.
pub fn compile(file: &SourceFile) -> anyhow::Result<Result<Compilation, Vec<Diagnostic>>> {
    // `files` are read relative to the spec's folder (for `-`, the path is "-": the cwd).
    let dir = file.path.parent().filter(|d| !d.as_os_str().is_empty());
    match crate::compile_in(&file.text, dir.unwrap_or(std::path::Path::new("."))) {
        Ok(compilation) => Ok(Ok(compilation)),
        Err(Failure::Invalid(diagnostics)) => Ok(Err(diagnostics)),
        Err(Failure::Internal(message)) => Err(internal(&message)),
    }
}

pub fn internal(message: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "internal compiler error: {message}\nThis is a bug in platc, not in your spec; nothing was written."
    )
}

pub fn check(specs: &[PathBuf], format: Format, deny_warnings: bool) -> anyhow::Result<ExitCode> {
    let files: Vec<SourceFile> = specs.iter().map(|p| read(p)).collect::<anyhow::Result<_>>()?;
    let mut reports = Vec::new();
    for file in &files {
        let diagnostics = match compile(file)? {
            Ok(compilation) => compilation.warnings,
            Err(diagnostics) => diagnostics,
        };
        reports.push((file, diagnostics));
    }
    emit(&reports, format);
    let any_failed = reports.iter().any(|(_, d)| failed(d, deny_warnings));
    Ok(if any_failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
