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

/// What a build did besides writing: the files it pruned, and what the user should know
/// (an interrupted build finished or rolled back, manifest entries ignored).
#[derive(Debug, Default)]
pub struct Written {
    pub removed: Vec<String>,
    pub notes: Vec<String>,
}

/// Writes `files` under `dir` (see the module docs), waiting up to `lock_wait` for another
/// build of the same folder.
pub fn write_tree(dir: &Path, files: &[OutputFile], scope: &Scope, lock_wait: Duration) -> io::Result<Written> {
    let root = Folder::open_root(dir)?;
    let _lock = lock::acquire(&root, true, lock_wait)?;
    let mut written = Written::default();
    written.notes.extend(journal::recover(&root)?);
    let manifest = manifest::read(&root)?;
    written.notes.extend(manifest.warnings);
    let folders = folders(files, &manifest.owned, scope)?;
    written.removed = stale(&manifest.owned, files, scope);
    let txn = root.create(TXN)?;
    let staged = stage_all(&root, &txn, &folders, &manifest.owned).and_then(|swaps| {
        let mut entries: BTreeSet<String> = manifest.owned.iter().filter(|p| !scope.contains(p)).cloned().collect();
        entries.extend(files.iter().map(|f| f.path.clone()));
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

/// The environment folders this build rewrites, each with its generated files: those it
/// generates, and those in scope where the previous build wrote files.
fn folders<'a>(
    files: &'a [OutputFile],
    owned: &BTreeSet<String>,
    scope: &Scope,
) -> io::Result<BTreeMap<(String, String), Vec<&'a OutputFile>>> {
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
    for path in owned.iter().filter(|p| scope.contains(p)) {
        folders.entry(folder_of(path)).or_default();
    }
    Ok(folders)
}

fn folder_of(path: &str) -> (String, String) {
    let mut parts = path.split('/');
    let target = parts.next().unwrap_or_default().to_string();
    let env = parts.next().unwrap_or_default().to_string();
    (target, env)
}

fn stage_all(
    root: &Folder,
    txn: &Folder,
    folders: &BTreeMap<(String, String), Vec<&OutputFile>>,
    owned: &BTreeSet<String>,
) -> io::Result<Vec<journal::Swap>> {
    let mut swaps = Vec::new();
    for (number, ((target, env), files)) in folders.iter().enumerate() {
        let plan = Plan {
            target,
            env,
            files: files.clone(),
            owned,
        };
        swaps.push(stage::stage(root, txn, number.to_string(), &plan)?);
    }
    Ok(swaps)
}

fn stale(owned: &BTreeSet<String>, files: &[OutputFile], scope: &Scope) -> Vec<String> {
    let current: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    owned
        .iter()
        .filter(|p| scope.contains(p) && !current.contains(p.as_str()))
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
    for path in stale(&manifest.owned, files, scope) {
        if let Lookup::Found { kind: Some(_), .. } = walker.lookup(&path)? {
            drift.stale.push(path);
        }
    }
    Ok(drift)
}
