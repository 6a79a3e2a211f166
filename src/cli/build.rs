//! `platc build`: compile, then stream Kubernetes YAML, write the tree, or check for drift.
//! While stdout carries the YAML stream, every diagnostic goes to stderr, whatever the format.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};

use super::output::Stdout;
use super::report::{self, Sink, emit, failed, read};
use crate::diag::render::Format;
use crate::emit::{LOCK_WAIT, Scope, TreeError, check_tree, kubernetes_stream, write_tree_from};
use crate::model::Platform;
use crate::render::OutputFile;

pub struct Options {
    pub spec: PathBuf,
    pub out: Option<PathBuf>,
    pub envs: Vec<String>,
    pub check: bool,
    pub deny_warnings: bool,
    pub format: Format,
    pub color: bool,
    /// `NAME=IMAGE` overrides (`--image`).
    pub images: Vec<String>,
}

pub fn build(options: &Options) -> anyhow::Result<ExitCode> {
    if options.out.as_deref() == Some(std::path::Path::new("-")) {
        bail!("`-o -` is not an output folder: without -o, build writes the Kubernetes YAML to stdout");
    }
    crate::verify::kubernetes::prepare();
    let spec = read(&options.spec)?;
    let file = &spec.file;
    let sink = Sink {
        format: options.format,
        color: options.color,
        stdout_busy: options.out.is_none(),
    };
    // The stream holds all its output until it is verified, so the spec's tree may stay to the
    // exit too; `-o` holds a folder or two at a time, so the tree is freed before rendering.
    let afterwards = if options.out.is_none() {
        crate::Afterwards::LeaveToExit
    } else {
        crate::Afterwards::Free
    };
    let mut compilation = match report::compile(&spec, &options.envs, afterwards)? {
        Ok(compilation) => compilation,
        Err(diagnostics) => {
            emit(&[(file, diagnostics)], sink)?;
            return Ok(ExitCode::from(1));
        }
    };
    emit(&[(file, compilation.warnings.clone())], sink)?;
    if failed(&compilation.warnings, options.deny_warnings) {
        return Ok(ExitCode::from(1));
    }
    compilation.platform.source = spec_name(&options.spec);
    super::images::apply(&mut compilation.platform, &options.images)?;
    let scope = select(&mut compilation.platform, &options.envs)?;
    if let (Some(dir), false) = (&options.out, options.check) {
        let written = write(dir, &compilation.platform, &scope);
        leave_to_exit(compilation);
        return written;
    }
    // The stdout stream is Kubernetes YAML only: render nothing else.
    let targets = if options.out.is_none() {
        crate::render::Targets::KUBERNETES
    } else {
        crate::render::Targets::ALL
    };
    let mut files = crate::render_targets(&compilation.platform, targets).map_err(internal)?;
    match &options.out {
        None => {
            for env in compilation.platform.environments.iter().filter(|e| !e.kubernetes) {
                eprintln!(
                    "note: environment `{}` does not target Kubernetes; build it with -o DIR",
                    env.name
                );
            }
            let header = crate::emit::header(&compilation.platform.source);
            Stdout::write_pieces(&kubernetes_stream(&files, &header))?;
            leave_to_exit((files, compilation));
            Ok(ExitCode::SUCCESS)
        }
        Some(dir) => {
            crate::emit::mark_generated(&mut files, &compilation.platform.source);
            drift(dir, &files, &scope)
        }
    }
}

/// The model and the output, written: left for the process's exit to take back at once (as
/// [`crate::Afterwards::LeaveToExit`] does with the spec's tree) rather than freed string by
/// string, since the command ends here.
fn leave_to_exit<T>(done: T) {
    std::mem::forget(done);
}

fn internal(failure: crate::Failure) -> anyhow::Error {
    match failure {
        crate::Failure::Internal(message) => report::internal(&message),
        crate::Failure::Invalid(_) => report::internal("diagnostics after the check stage"),
    }
}

/// Writes the tree under `dir`, one environment folder at a time: a thread renders and
/// verifies the next folder while this one stages the last (a rendezvous channel: at most two
/// folders are in memory), so the whole tree is never held at once.
fn write(dir: &Path, platform: &Platform, scope: &Scope) -> anyhow::Result<ExitCode> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let written = std::thread::scope(|threads| {
        // `None` ends the stream: a renderer that dies without sending it must not look like
        // a finished tree, or the writer would commit it and prune what was never rendered.
        let (send, receive) = std::sync::mpsc::sync_channel(0);
        threads.spawn(move || {
            for folder in crate::render_folders(platform, crate::render::Targets::ALL) {
                let folder = folder.map(|mut files| {
                    crate::emit::mark_generated(&mut files, &platform.source);
                    files
                });
                let failed = folder.is_err();
                // The writer hung up (it failed): nothing more to render.
                if send.send(Some(folder)).is_err() || failed {
                    return;
                }
            }
            let _ = send.send(None);
        });
        let batches = std::iter::from_fn(|| match receive.recv() {
            Ok(folder) => folder,
            Err(_) => Some(Err(crate::Failure::Internal("the renderer stopped".into()))),
        });
        write_tree_from(dir, batches, scope, LOCK_WAIT)
    });
    let written = written.map_err(|error| match error {
        TreeError::Io(error) => anyhow::Error::new(error).context(format!("cannot write {}", dir.display())),
        TreeError::Source(failure) => internal(failure),
    })?;
    for note in &written.notes {
        eprintln!("warning: {note}");
    }
    eprintln!(
        "wrote {} files to {}{}",
        written.files,
        dir.display(),
        pruned(&written.removed)
    );
    Ok(ExitCode::SUCCESS)
}

/// The spec's file name as generated files name it: no folder, so the output does not
/// depend on where the spec was built from.
fn spec_name(path: &std::path::Path) -> String {
    if path == std::path::Path::new("-") {
        return report::STDIN_NAME.to_string();
    }
    path.file_name().map_or_else(
        || path.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    )
}

/// Keeps only the environments named by `--env`; all when none is named.
fn select(platform: &mut crate::model::Platform, names: &[String]) -> anyhow::Result<Scope> {
    if names.is_empty() {
        return Ok(Scope::All);
    }
    let known: Vec<String> = platform.environments.iter().map(|e| e.name.clone()).collect();
    for name in names {
        if !known.contains(name) {
            bail!("the spec has no environment `{name}` (it has: {})", known.join(", "));
        }
    }
    platform.environments.retain(|e| names.contains(&e.name));
    Ok(Scope::Environments(names.to_vec()))
}

fn drift(dir: &std::path::Path, files: &[OutputFile], scope: &Scope) -> anyhow::Result<ExitCode> {
    let drift = check_tree(dir, files, scope, LOCK_WAIT).with_context(|| format!("cannot read {}", dir.display()))?;
    if drift.is_clean() {
        eprintln!("{} is up to date", dir.display());
        return Ok(ExitCode::SUCCESS);
    }
    for (label, paths) in [
        ("missing", &drift.missing),
        ("changed", &drift.changed),
        ("stale", &drift.stale),
    ] {
        for path in paths {
            eprintln!("{label}: {path}");
        }
    }
    if drift.interrupted {
        eprintln!(
            "interrupted: a build of {} was interrupted; the next `platc build -o {}` finishes or rolls it back",
            dir.display(),
            dir.display()
        );
    }
    eprintln!("{} differs from what `platc build` would write", dir.display());
    Ok(ExitCode::from(1))
}

fn pruned(removed: &[String]) -> String {
    if removed.is_empty() {
        String::new()
    } else {
        format!(", removed {} no longer generated", removed.len())
    }
}
