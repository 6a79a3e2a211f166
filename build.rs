//! Sets `PLATC_VERSION` for `platc --version`: the crate version, followed by the git commit
//! when the crate is built from a git checkout (`0.1.0 (3fd497a1c2d4)`). Without git, or
//! outside a checkout (a published crate), the crate version alone.

use std::path::Path;
use std::process::Command;

fn main() {
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let full = match git(&["rev-parse", "--short=12", "HEAD"]) {
        Some(commit) => format!("{version} ({commit})"),
        None => version,
    };
    println!("cargo:rustc-env=PLATC_VERSION={full}");
    println!("cargo:rerun-if-changed=build.rs");
    for path in watched_git_files() {
        println!("cargo:rerun-if-changed={path}");
    }
}

/// The files whose change means another commit: HEAD (a checkout, or a detached HEAD moving),
/// the branch's loose ref (a commit, merge or reset), and packed-refs (where `git pack-refs`
/// and `gc` move refs, deleting the loose ref). Paths come from git, so a worktree's own HEAD
/// and the shared refs are both right. Cargo reruns the script every time for a missing path,
/// so only existing paths are named; a branch with no loose ref yet (packed, or a fresh clone)
/// has the folder that will hold it watched instead: the next commit creates the file there.
fn watched_git_files() -> Vec<String> {
    let mut watched = Vec::new();
    for name in ["HEAD", "packed-refs"] {
        if let Some(file) = git(&["rev-parse", "--git-path", name])
            && Path::new(&file).exists()
        {
            watched.push(file);
        }
    }
    let branch = git(&["rev-parse", "--symbolic-full-name", "HEAD"]).filter(|name| name.starts_with("refs/"));
    if let Some(file) = branch.and_then(|name| git(&["rev-parse", "--git-path", &name])) {
        let loose = Path::new(&file);
        let folder = loose.parent().filter(|folder| folder.is_dir());
        match (loose.exists(), folder) {
            (true, _) => watched.push(file.clone()),
            (false, Some(folder)) => watched.push(folder.display().to_string()),
            (false, None) => {}
        }
    }
    watched
}

/// The trimmed stdout of a git command, if git exists and the command succeeds.
fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    (output.status.success() && !text.trim().is_empty()).then(|| text.trim().to_string())
}
