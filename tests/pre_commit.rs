//! The pre-commit hooks run on platform specs only by default: their `files` pattern,
//! evaluated by Python's `re` (the engine pre-commit uses), takes `platform.toml`,
//! `<name>.platform.toml` and TOML files under `platform/`, and leaves `Cargo.toml` alone.

use std::process::Command;

#[test]
fn the_hooks_match_platform_specs_and_nothing_else() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml");
    let hooks: Vec<serde_json::Value> = serde_norway::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(hooks.len(), 2);
    let matching = "platform.toml infra/platform.toml shop.platform.toml platform/prod.toml";
    let other = "Cargo.toml pyproject.toml platforms.toml myplatform.toml .cargo/config.toml";
    for hook in &hooks {
        let pattern = hook["files"].as_str().expect("every hook sets files");
        let script = "import re, sys\np = re.compile(sys.argv[1])\n\
             bad = [f for f in sys.argv[2].split() if not p.search(f)] + [f for f in sys.argv[3].split() if p.search(f)]\n\
             print(' '.join(bad))";
        let Ok(output) = Command::new("python3")
            .args(["-c", script, pattern, matching, other])
            .output()
        else {
            eprintln!("skipped: python3 is not installed");
            return;
        };
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let wrong = String::from_utf8_lossy(&output.stdout).trim().to_string();
        assert!(
            wrong.is_empty(),
            "{}: `{pattern}` gets these wrong: {wrong}",
            hook["id"]
        );
    }
}
