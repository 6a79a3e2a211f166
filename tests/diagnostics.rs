//! Every invalid spec — the contract's (copied to `specs/shared-invalid/`) and our own —
//! snapshotted with the exact
//! diagnostics a user sees (rustc-style, with source line and caret) and as JSON.

use std::path::Path;

fn report(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let file = platc::diag::SourceFile::new(name, text.clone());
    let diagnostics = match platc::compile(&text) {
        Ok(compilation) => compilation.warnings,
        Err(platc::Failure::Invalid(diagnostics)) => diagnostics,
        Err(platc::Failure::Internal(message)) => panic!("internal error on {}: {message}", path.display()),
    };
    assert!(
        diagnostics.iter().any(platc::diag::Diagnostic::is_error),
        "{} should be rejected",
        path.display()
    );
    for diagnostic in &diagnostics {
        assert!(
            diagnostic.help.is_some(),
            "every diagnostic has a help line: {diagnostic:?}"
        );
    }
    diagnostics
        .iter()
        .map(|d| platc::diag::render::human(&file, d))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn shared_invalid_specs() {
    insta::glob!("../specs/shared-invalid", "*.toml", |path| {
        insta::assert_snapshot!(report(path));
    });
}

#[test]
fn our_invalid_specs() {
    insta::glob!("../specs/invalid", "*.toml", |path| {
        insta::assert_snapshot!(report(path));
    });
}
