//! The transaction of one build: `DIR/.platc-txn/` holds one staged folder per environment
//! folder that changes, the new manifest, and — once everything is staged — the journal that
//! lists the swaps. Writing the journal (renamed into place, so it exists whole or not at all)
//! is the commit point:
//!
//! - no journal: nothing visible has changed; the next run removes `.platc-txn` (roll back);
//! - a journal: the next run performs every swap not yet done, installs the manifest and
//!   removes `.platc-txn` (roll forward);
//! - `done` instead of a journal: the build completed; only the old folders remain to delete.
//!
//! Each swap is one `renameat2(RENAME_EXCHANGE)` (or a plain rename when the folder is new or
//! goes away), so an environment folder is always entirely old or entirely new. A swap is
//! recognised as done by the inode number of the staged folder, which a rename keeps.

use std::ffi::OsStr;
use std::io;

use super::confined::{Folder, Kind};
use super::manifest::MANIFEST;

pub const TXN: &str = ".platc-txn";
pub const STAGED_MANIFEST: &str = "manifest";
const JOURNAL: &str = "journal";
const JOURNAL_TMP: &str = "journal.tmp";
const DONE: &str = "done";

/// One environment folder's swap: `.platc-txn/<stage>` (inode `inode`) becomes
/// `<target>/<env>`; with `gone`, the folder is removed instead (nothing is left in it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Swap {
    pub stage: String,
    pub inode: u64,
    pub gone: bool,
    pub target: String,
    pub env: String,
}

impl Swap {
    fn line(&self) -> String {
        let what = if self.gone { "gone" } else { "new" };
        format!("swap {} {} {what} {}/{}", self.stage, self.inode, self.target, self.env)
    }

    fn parse(line: &str) -> Option<Swap> {
        let mut words = line.split(' ');
        let (Some("swap"), Some(stage), Some(inode), Some(what), Some(folder), None) = (
            words.next(),
            words.next(),
            words.next(),
            words.next(),
            words.next(),
            words.next(),
        ) else {
            return None;
        };
        let (target, env) = folder.split_once('/')?;
        let plain = |s: &str| !s.is_empty() && s != "." && s != ".." && !s.contains('/') && !s.starts_with(".platc");
        let numbered = !stage.is_empty() && stage.bytes().all(|b| b.is_ascii_digit());
        let inode = inode.parse().ok()?;
        (numbered && plain(target) && plain(env) && (what == "gone" || what == "new")).then(|| Swap {
            stage: stage.to_string(),
            inode,
            gone: what == "gone",
            target: target.to_string(),
            env: env.to_string(),
        })
    }
}

/// The commit point: the journal appears whole (written aside, then renamed).
pub fn commit(txn: &Folder, swaps: &[Swap]) -> io::Result<()> {
    let text: String = swaps.iter().map(|s| s.line() + "\n").collect();
    txn.write_new(JOURNAL_TMP, format!("# platc transaction journal\n{text}").as_bytes())?;
    txn.rename(OsStr::new(JOURNAL_TMP), txn, OsStr::new(JOURNAL), false)
}

/// Performs every swap that is not done yet (safe to repeat).
pub fn apply(root: &Folder, txn: &Folder, swaps: &[Swap]) -> io::Result<()> {
    for swap in swaps {
        apply_one(root, txn, swap)?;
    }
    Ok(())
}

fn apply_one(root: &Folder, txn: &Folder, swap: &Swap) -> io::Result<()> {
    let staged_here = txn.kind(&swap.stage)? == Some((Kind::Folder, swap.inode));
    let stage = OsStr::new(&swap.stage);
    let env = OsStr::new(&swap.env);
    if swap.gone {
        let Some(target) = root.open(&swap.target)? else {
            return Ok(());
        };
        // Done once the old folder has replaced the (empty) staged one.
        return match target.kind(env)? {
            Some((Kind::Folder, _)) if staged_here => target.rename(env, txn, stage, false),
            _ => Ok(()),
        };
    }
    let target = root.create(&swap.target)?;
    let current = target.kind(env)?;
    if current == Some((Kind::Folder, swap.inode)) {
        return Ok(()); // done
    }
    if !staged_here {
        return Err(io::Error::other(format!(
            "{} is missing: the interrupted build cannot be finished; remove {} and build again",
            txn.child(stage).display(),
            txn.path().display()
        )));
    }
    match current {
        Some((Kind::Folder, _)) => txn.rename(stage, &target, env, true),
        None => txn.rename(stage, &target, env, false),
        Some(_) => Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!(
                "{} is not a folder; platc will not replace it",
                target.child(env).display()
            ),
        )),
    }
}

/// After the swaps: installs the manifest, marks the build done, removes the old folders and
/// the target folders left empty.
pub fn finish(root: &Folder, txn: &Folder, swaps: &[Swap]) -> io::Result<()> {
    if txn.kind(STAGED_MANIFEST)?.is_some() {
        txn.rename(OsStr::new(STAGED_MANIFEST), root, OsStr::new(MANIFEST), false)?;
    }
    if txn.kind(JOURNAL)?.is_some() {
        txn.rename(OsStr::new(JOURNAL), txn, OsStr::new(DONE), false)?;
    }
    root.remove_all(OsStr::new(TXN))?;
    for swap in swaps.iter().filter(|s| s.gone) {
        root.remove_if_empty(OsStr::new(&swap.target))?;
    }
    Ok(())
}

/// Finishes or rolls back a build that was interrupted; says what it did.
pub fn recover(root: &Folder) -> io::Result<Option<String>> {
    let Some(txn) = root.open(TXN)? else {
        return Ok(None);
    };
    let dir = root.path().display();
    if let Some(bytes) = txn.read(JOURNAL)? {
        let swaps = parse(&txn, &bytes)?;
        apply(root, &txn, &swaps)?;
        finish(root, &txn, &swaps)?;
        return Ok(Some(format!(
            "a build of {dir} was interrupted after its commit point; finished it ({} environment folders now hold its output)",
            swaps.len()
        )));
    }
    let completed = txn.kind(DONE)?.is_some();
    drop(txn);
    root.remove_all(OsStr::new(TXN))?;
    Ok(Some(if completed {
        format!("a build of {dir} was interrupted while cleaning up; removed what it left in {TXN}")
    } else {
        format!(
            "a build of {dir} was interrupted before its commit point; rolled it back (the tree is as the build before it left it)"
        )
    }))
}

fn parse(txn: &Folder, bytes: &[u8]) -> io::Result<Vec<Swap>> {
    let text = String::from_utf8_lossy(bytes);
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .map(|line| {
            Swap::parse(line).ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "{} is not a platc journal (line `{}`); remove {} and build again",
                        txn.child(JOURNAL).display(),
                        line.escape_debug(),
                        txn.path().display()
                    ),
                )
            })
        })
        .collect()
}

/// Whether a build of this folder was interrupted (for `--check`).
pub fn interrupted(root: &Folder) -> io::Result<bool> {
    Ok(root.kind(TXN)?.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_swap_line_reads_back_and_a_tampered_one_does_not() {
        let swap = Swap {
            stage: "3".into(),
            inode: 42,
            gone: false,
            target: "kubernetes".into(),
            env: "prod".into(),
        };
        assert_eq!(Swap::parse(&swap.line()), Some(swap));
        for bad in [
            "swap 3 42 new ../etc",
            "swap 3 42 new kubernetes/../x",
            "swap ../3 42 new kubernetes/prod",
            "swap 3 x new kubernetes/prod",
            "swap 3 42 maybe kubernetes/prod",
            "swap 3 42 new kubernetes/.platc-txn",
            "swap 3 42 new kubernetes/prod extra",
        ] {
            assert_eq!(Swap::parse(bad), None, "{bad}");
        }
    }
}
