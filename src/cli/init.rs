//! `platc init`: a commented starter spec that compiles as written.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};

/// The starter spec (`platc init` writes it; a test compiles it).
pub const STARTER: &str = include_str!("starter.toml");

pub fn init(path: &Path, force: bool) -> anyhow::Result<ExitCode> {
    if path.exists() && !force {
        bail!("{} exists; pass --force to replace it", path.display());
    }
    std::fs::write(path, STARTER).with_context(|| format!("cannot write {}", path.display()))?;
    eprintln!(
        "wrote {}; next: `platc check {0}`, then `platc build {0} -o out/`",
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}
