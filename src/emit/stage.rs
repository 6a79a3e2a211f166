//! Staging one environment folder (`<target>/<env>`): a new folder in `.platc-txn` that holds
//! the generated files and, carried over from the current folder, everything platc does not
//! own (hard links, so a user's file keeps its identity). Files platc owns and no longer
//! generates are simply not carried over: that is the pruning. A file platc does not own
//! where it must write, a folder where it writes a file, a file where it needs a folder, or a
//! link in any of those places stops the build before anything visible changes.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ffi::OsStr;
use std::io;

use super::confined::{Folder, Kind};
use super::journal::Swap;
use crate::render::OutputFile;

/// What the staging of one environment folder needs to know.
pub struct Plan<'a> {
    pub target: &'a str,
    pub env: &'a str,
    /// The generated files of this folder.
    pub files: Vec<&'a OutputFile>,
    /// Every path the previous manifest validly owns.
    pub owned: &'a BTreeSet<String>,
}

pub fn stage(root: &Folder, txn: &Folder, stage: String, plan: &Plan) -> io::Result<Swap> {
    let staged = txn.create(&stage)?;
    let inode = staged.inode()?;
    let generated: HashSet<&str> = plan.files.iter().map(|f| f.path.as_str()).collect();
    let mut needed_folders = HashSet::new();
    for path in &generated {
        let mut rest = *path;
        while let Some((parent, _)) = rest.rsplit_once('/') {
            needed_folders.insert(parent);
            rest = parent;
        }
    }
    write_generated(&staged, plan)?;
    let current = match root.open(plan.target)? {
        Some(target) => target.open(plan.env)?,
        None => None,
    };
    if let Some(current) = current {
        let carry = Carry {
            generated: &generated,
            needed_folders: &needed_folders,
            owned: plan.owned,
        };
        carry.folder(&current, &staged, &format!("{}/{}", plan.target, plan.env))?;
    }
    let gone = staged.entries()?.is_empty();
    Ok(Swap {
        stage,
        inode,
        gone,
        target: plan.target.to_string(),
        env: plan.env.to_string(),
    })
}

fn write_generated(staged: &Folder, plan: &Plan) -> io::Result<()> {
    let prefix_len = plan.target.len() + plan.env.len() + 2;
    let mut folders: HashMap<String, Folder> = HashMap::new();
    for file in &plan.files {
        let relative = &file.path[prefix_len..];
        let (parent, name) = relative.rsplit_once('/').unwrap_or(("", relative));
        if parent.is_empty() {
            staged.write_new(name, file.contents.as_bytes())?;
            continue;
        }
        if !folders.contains_key(parent) {
            let mut folder = staged.create(parent.split('/').next().unwrap_or(parent))?;
            for part in parent.split('/').skip(1) {
                folder = folder.create(part)?;
            }
            folders.insert(parent.to_string(), folder);
        }
        folders[parent].write_new(name, file.contents.as_bytes())?;
    }
    Ok(())
}

struct Carry<'a> {
    generated: &'a HashSet<&'a str>,
    needed_folders: &'a HashSet<&'a str>,
    owned: &'a BTreeSet<String>,
}

impl Carry<'_> {
    /// Carries what platc does not own from `current` (at `path`) into `staged`.
    fn folder(&self, current: &Folder, staged: &Folder, path: &str) -> io::Result<()> {
        for (name, kind) in current.entries()? {
            // A name that is not UTF-8 is never one platc writes: it is carried over as is.
            let child = name.to_str().map(|n| format!("{path}/{n}"));
            let child = child.as_deref().unwrap_or("");
            if kind == Kind::Folder {
                self.subfolder(current, staged, &name, child)?;
                continue;
            }
            if kind == Kind::File && self.owned.contains(child) {
                continue; // replaced by the generated file, or pruned
            }
            if self.generated.contains(child) || self.needed_folders.contains(child) {
                return Err(blocked(current, &name, kind, self.generated.contains(child)));
            }
            current.share(&name, kind, staged)?;
        }
        Ok(())
    }

    fn subfolder(&self, current: &Folder, staged: &Folder, name: &OsStr, path: &str) -> io::Result<()> {
        if self.generated.contains(path) {
            return Err(blocked(current, name, Kind::Folder, true));
        }
        let Some(inner) = current.open(name)? else {
            return Ok(());
        };
        let was_empty = inner.entries()?.is_empty();
        let staged_inner = staged.create(name)?;
        self.folder(&inner, &staged_inner, path)?;
        // A folder that held only platc's files goes with them; a user's empty folder stays.
        if !was_empty && staged_inner.entries()?.is_empty() {
            staged.remove(name, Kind::Folder)?;
        }
        Ok(())
    }
}

fn blocked(current: &Folder, name: &OsStr, kind: Kind, file_wanted: bool) -> io::Error {
    let path = current.child(name);
    let wanted = if file_wanted { "writes a file" } else { "needs a folder" };
    let message = match kind {
        Kind::Link => format!("{} is a symbolic link, but platc {wanted} there", path.display()),
        Kind::Folder => format!("{} is a folder, but platc {wanted} there", path.display()),
        _ if file_wanted => format!(
            "{} exists and was not generated by platc; refusing to overwrite it",
            path.display()
        ),
        _ => format!("{} is a file, but platc needs a folder there", path.display()),
    };
    io::Error::new(io::ErrorKind::AlreadyExists, format!("{message} (nothing was written)"))
}
