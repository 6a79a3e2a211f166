//! Shared by the tests that run promtool: where it is, and the files a spec renders to.

use std::path::{Path, PathBuf};

/// promtool from `$PLATC_VALIDATORS/bin/promtool` (default `/opt/platc-validators`); `None`
/// (the test is skipped) where it is missing, except under CI (`CI` set), where that fails.
pub fn promtool() -> Option<PathBuf> {
    let prefix = std::env::var("PLATC_VALIDATORS").unwrap_or_else(|_| "/opt/platc-validators".into());
    let path = Path::new(&prefix).join("bin/promtool");
    if path.is_file() {
        return Some(path);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "promtool not found at {} (CI is set, so this is a failure)",
        path.display()
    );
    eprintln!("skipped: promtool not installed at {}", path.display());
    None
}

/// The contents of `path` in the tree that `spec` (relative to the repository) renders to;
/// config files are read relative to the spec's folder.
pub fn rendered(spec: &str, path: &str) -> String {
    let spec_path = Path::new(env!("CARGO_MANIFEST_DIR")).join(spec);
    let text = std::fs::read_to_string(&spec_path).unwrap();
    let Ok(compilation) = platc::compile_in(&text, spec_path.parent().unwrap()) else {
        panic!("{spec} does not compile")
    };
    let Ok(files) = platc::render(&compilation.platform) else {
        panic!("{spec} does not render")
    };
    files
        .into_iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{spec} renders no {path}"))
        .contents
}
