//! Writing the output tree: confined, transactional, one writer at a time.
//!
//! - **Confined** ([`super::confined`]): no operation follows a link, so nothing outside
//!   `DIR` is ever created, changed or deleted; a link where platc would write is an error.
//! - **Owned files only** ([`super::manifest`]): `DIR/.platc-manifest` lists the files platc
//!   wrote. A later build replaces or prunes only those; a file platc does not own where it
//!   must write stops the build before anything visible changes.
//! - **Transactional per environment folder** ([`super::journal`]): every environment folder
//!   of every target (`kubernetes/prod`, ...) that the build touches is staged whole in
//!   `DIR/.platc-txn`, with the files platc does not own carried over, then swapped in with
//!   one atomic exchange. Whenever the process dies, each such folder is entirely old or
//!   entirely new, and the next build finishes (after the commit point) or rolls back
//!   (before it) what was interrupted, and says so.
//! - **One writer** ([`super::lock`]): a build holds an exclusive lock on `DIR/.platc-lock`;
//!   a second build waits a few seconds, then fails without writing.

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::Path;
use std::time::Duration;

use super::confined::{Folder, Kind};
use super::journal::{self, STAGED_MANIFEST, TXN};
use super::lock;
use super::manifest::{self, is_generated_path};
use super::stage::{self, Plan};
use super::walk::{Lookup, Walker};
use crate::render::OutputFile;

/// Which generated files a run owns: all, or only those of some environments (`--env`).
pub enum Scope {
    All,
    Environments(Vec<String>),
}

impl Scope {
    fn contains(&self, path: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Environments(names) => path.split('/').nth(1).is_some_and(|env| names.iter().any(|n| n == env)),
        }
    }
}

/// What `--check` found: files to create, change or remove, or an interrupted build.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Drift {
    pub missing: Vec<String>,
    pub changed: Vec<String>,
    pub stale: Vec<String>,
    pub interrupted: bool,
}

impl Drift {
    pub fn is_clean(&self) -> bool {
        self.missing.is_empty() && self.changed.is_empty() && self.stale.is_empty() && !self.interrupted
    }
}

/// What a build did besides writing: how many files it wrote, the files it pruned, and what
/// the user should know (an interrupted build finished or rolled back, manifest entries
/// ignored).
#[derive(Debug, Default)]
pub struct Written {
    pub files: usize,
    pub removed: Vec<String>,
    pub notes: Vec<String>,
}

/// Why a streamed build wrote nothing: the tree could not be written, or the source of the
/// files failed (then everything staged so far was rolled back).
#[derive(Debug)]
pub enum TreeError<E> {
    Io(io::Error),
    Source(E),
}

impl<E> From<io::Error> for TreeError<E> {
    fn from(error: io::Error) -> Self {
        TreeError::Io(error)
    }
}

/// Writes `files` under `dir` (see the module docs), waiting up to `lock_wait` for another
/// build of the same folder.
pub fn write_tree(dir: &Path, files: &[OutputFile], scope: &Scope, lock_wait: Duration) -> io::Result<Written> {
    let batch = std::iter::once(Ok::<_, std::convert::Infallible>(files.to_vec()));
    write_tree_from(dir, batch, scope, lock_wait).map_err(|error| match error {
        TreeError::Io(error) => error,
        TreeError::Source(never) => match never {},
    })
}

/// Writes the files of `batches` under `dir`, staging each batch's environment folders as it
/// arrives, so only the batch at hand is in memory. A folder must come whole in one batch.
/// Nothing visible changes before the last batch is staged: a failing batch rolls back.
pub fn write_tree_from<E>(
    dir: &Path,
    batches: impl IntoIterator<Item = Result<Vec<OutputFile>, E>>,
    scope: &Scope,
    lock_wait: Duration,
) -> Result<Written, TreeError<E>> {
    let root = Folder::open_root(dir)?;
    let _lock = lock::acquire(&root, true, lock_wait)?;
    let mut written = Written::default();
    written.notes.extend(journal::recover(&root)?);
    let manifest = manifest::read(&root)?;
    written.notes.extend(manifest.warnings);
    let txn = root.create(TXN)?;
    let staged = stage_all(&root, &txn, batches, &manifest.owned, scope).and_then(|(swaps, generated)| {
        written.files = generated.len();
        written.removed = stale(&manifest.owned, &generated, scope);
        let mut entries: BTreeSet<String> = manifest.owned.iter().filter(|p| !scope.contains(p)).cloned().collect();
        entries.extend(generated);
        txn.write_new(STAGED_MANIFEST, manifest::text(&entries).as_bytes())?;
        Ok(swaps)
    });
    let swaps = match staged {
        Ok(swaps) => swaps,
        Err(error) => {
            drop(txn);
            root.remove_all(TXN.as_ref())?;
            return Err(error);
        }
    };
    journal::commit(&txn, &swaps).map_err(|e| after_staging(e, &root))?;
    journal::apply(&root, &txn, &swaps).map_err(|e| after_commit(e, &root))?;
    journal::finish(&root, &txn, &swaps).map_err(|e| after_commit(e, &root))?;
    Ok(written)
}

/// The journal could not be written: roll back now if we can.
fn after_staging(error: io::Error, root: &Folder) -> io::Error {
    let _ = root.remove_all(TXN.as_ref());
    error
}

fn after_commit(error: io::Error, root: &Folder) -> io::Error {
    io::Error::new(
        error.kind(),
        format!(
            "{error}; the build stopped after its commit point: each environment folder holds entirely the old or the new output, and the next `platc build -o {}` finishes it",
            root.path().display()
        ),
    )
}

/// The environment folders of one batch, each with its generated files.
fn folders(files: &[OutputFile]) -> io::Result<BTreeMap<(String, String), Vec<&OutputFile>>> {
    let mut folders: BTreeMap<(String, String), Vec<&OutputFile>> = BTreeMap::new();
    for file in files {
        if !is_generated_path(&file.path) {
            return Err(io::Error::other(format!(
                "internal error: platc generated the path `{}`, which is not inside an environment folder",
                file.path
            )));
        }
        folders.entry(folder_of(&file.path)).or_default().push(file);
    }
    Ok(folders)
}

fn folder_of(path: &str) -> (String, String) {
    let mut parts = path.split('/');
    let target = parts.next().unwrap_or_default().to_string();
    let env = parts.next().unwrap_or_default().to_string();
    (target, env)
}

/// Stages every environment folder the build rewrites: those it generates, batch by batch,
/// then those in scope where the previous build wrote files and this one writes none (they
/// are pruned). Returns the swaps and every generated path.
fn stage_all<E>(
    root: &Folder,
    txn: &Folder,
    batches: impl IntoIterator<Item = Result<Vec<OutputFile>, E>>,
    owned: &BTreeSet<String>,
    scope: &Scope,
) -> Result<(Vec<journal::Swap>, BTreeSet<String>), TreeError<E>> {
    let mut swaps = Vec::new();
    let mut staged = BTreeSet::new();
    let mut generated = BTreeSet::new();
    // `leftover`: a folder only the previous build wrote to, staged when no batch held it.
    let mut stage_one = |target: &str, env: &str, files: Vec<&OutputFile>, leftover: bool| -> io::Result<()> {
        if !staged.insert((target.to_string(), env.to_string())) {
            if leftover {
                return Ok(());
            }
            return Err(io::Error::other(format!(
                "internal error: the folder {target}/{env} was rendered twice"
            )));
        }
        generated.extend(files.iter().map(|f| f.path.clone()));
        let plan = Plan {
            target,
            env,
            files,
            owned,
        };
        swaps.push(stage::stage(root, txn, swaps.len().to_string(), &plan)?);
        Ok(())
    };
    for batch in batches {
        let batch = batch.map_err(TreeError::Source)?;
        for ((target, env), files) in folders(&batch)? {
            stage_one(&target, &env, files, false)?;
        }
    }
    let previous: BTreeSet<(String, String)> = owned
        .iter()
        .filter(|p| scope.contains(p))
        .map(|p| folder_of(p))
        .collect();
    for (target, env) in previous {
        stage_one(&target, &env, Vec::new(), true)?;
    }
    Ok((swaps, generated))
}

fn stale(owned: &BTreeSet<String>, generated: &BTreeSet<String>, scope: &Scope) -> Vec<String> {
    owned
        .iter()
        .filter(|p| scope.contains(p) && !generated.contains(*p))
        .cloned()
        .collect()
}

/// Compares `dir` with what a build would write, under a shared lock (so never mid-build).
pub fn check_tree(dir: &Path, files: &[OutputFile], scope: &Scope, lock_wait: Duration) -> io::Result<Drift> {
    let root = Folder::open_root(dir)?;
    let _lock = lock::acquire(&root, false, lock_wait)?;
    let manifest = manifest::read(&root)?;
    let mut drift = Drift {
        interrupted: journal::interrupted(&root)?,
        ..Drift::default()
    };
    let mut walker = Walker::new(&root);
    for file in files {
        match walker.lookup(&file.path)? {
            Lookup::Found {
                folder,
                name,
                kind: Some(Kind::File),
            } => {
                if folder.read(name)?.as_deref() != Some(file.contents.as_bytes()) {
                    drift.changed.push(file.path.clone());
                }
            }
            Lookup::Found { kind: None, .. } | Lookup::Absent => drift.missing.push(file.path.clone()),
            Lookup::Found { .. } | Lookup::Blocked(_) => drift.changed.push(file.path.clone()),
        }
    }
    let generated = files.iter().map(|f| f.path.clone()).collect();
    for path in stale(&manifest.owned, &generated, scope) {
        if let Lookup::Found { kind: Some(_), .. } = walker.lookup(&path)? {
            drift.stale.push(path);
        }
    }
    Ok(drift)
}
