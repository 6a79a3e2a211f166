//! Reading specs and reporting their diagnostics in the chosen format.
#![allow(clippy::print_stdout)] // this module is the reporter/emitter: stdout is its job

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use crate::diag::render::{self, Format};
use crate::diag::{Diagnostic, SourceFile};
use crate::{Compilation, Failure};

/// A spec as read: its text, and the E0001 for its first byte that is not UTF-8, if any.
pub struct Spec {
    pub file: SourceFile,
    not_utf8: Option<Diagnostic>,
}

pub fn read(path: &Path) -> anyhow::Result<Spec> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let (text, not_utf8) = crate::spec::decode(bytes);
    Ok(Spec {
        file: SourceFile::new(path, text),
        not_utf8,
    })
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
pub fn compile(spec: &Spec) -> anyhow::Result<Result<Compilation, Vec<Diagnostic>>> {
    if let Some(not_utf8) = &spec.not_utf8 {
        return Ok(Err(vec![not_utf8.clone()]));
    }
    match crate::compile(&spec.file.text) {
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
    let specs: Vec<Spec> = specs.iter().map(|p| read(p)).collect::<anyhow::Result<_>>()?;
    let mut reports = Vec::new();
    for spec in &specs {
        let diagnostics = match compile(spec)? {
            Ok(compilation) => compilation.warnings,
            Err(diagnostics) => diagnostics,
        };
        reports.push((&spec.file, diagnostics));
    }
    emit(&reports, format);
    let any_failed = reports.iter().any(|(_, d)| failed(d, deny_warnings));
    Ok(if any_failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
