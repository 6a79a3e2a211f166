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
    // Rebuild when the commit changes: HEAD, the branch it points at, packed refs. Only
    // existing paths are named (cargo reruns every time for a missing one).
    let branch = git(&["rev-parse", "--symbolic-full-name", "HEAD"]);
    let watched = ["HEAD", "packed-refs"].into_iter().map(str::to_string).chain(branch);
    for name in watched {
        if let Some(file) = git(&["rev-parse", "--git-path", &name])
            && Path::new(&file).exists()
        {
            println!("cargo:rerun-if-changed={file}");
        }
    }
}

/// The trimmed stdout of a git command, if git exists and the command succeeds.
fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    (output.status.success() && !text.trim().is_empty()).then(|| text.trim().to_string())
}
