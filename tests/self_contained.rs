//! The repository is self-contained: the tests read the contract's examples and invalid
//! specs from in-repo copies (`specs/examples/`, `specs/shared-invalid/`, the contract-v2
//! specs this build supports in `specs/next/`, and the contract itself in `docs/SPEC.md`),
//! so a fresh clone
//! with nothing beside it builds and tests. When the contract (`../shared`) is beside the
//! repository, as in CI, the copies must equal it byte for byte.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// The `.toml` files of a folder, by name.
fn specs_in(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .map(|path| {
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                fs::read(&path).unwrap(),
            )
        })
        .collect()
}

#[test]
fn the_in_repo_copies_equal_the_contract_when_it_is_beside_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared/spec");
    if !shared.is_dir() {
        eprintln!("skipped: {} is not beside the repository", shared.display());
        return;
    }
    let contract = fs::read(shared.join("SPEC.md")).unwrap();
    assert!(
        fs::read(root.join("docs/SPEC.md")).unwrap() == contract,
        "docs/SPEC.md differs from ../shared/spec/SPEC.md: copy it again"
    );
    for file in [
        "workloads.toml",
        "alerting.toml",
        "config/app.json",
        "config/nginx-extra.conf",
    ] {
        assert!(
            fs::read(root.join("specs/next").join(file)).unwrap() == fs::read(shared.join("next").join(file)).unwrap(),
            "specs/next/{file} differs from ../shared/spec/next/{file}: copy it again"
        );
    }
    for (copy, original) in [("specs/examples", "examples"), ("specs/shared-invalid", "invalid")] {
        let ours = specs_in(&root.join(copy));
        let theirs = specs_in(&shared.join(original));
        let names = |files: &BTreeMap<String, Vec<u8>>| files.keys().cloned().collect::<Vec<_>>();
        assert_eq!(
            names(&ours),
            names(&theirs),
            "{copy}/ holds other files than ../shared/spec/{original}/: copy them again"
        );
        for (name, bytes) in &ours {
            assert!(
                theirs[name] == *bytes,
                "{copy}/{name} differs from ../shared/spec/{original}/{name}: copy it again"
            );
        }
    }
    // The contract-v2 specs with golden trees: each copy equals its original.
    for (name, bytes) in specs_in(&root.join("specs/next")) {
        assert!(
            fs::read(shared.join("next").join(&name)).ok().as_ref() == Some(&bytes),
            "specs/next/{name} differs from ../shared/spec/next/{name}: copy it again"
        );
    }
}

#[test]
fn no_test_reads_the_contract_folder() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut offenders = Vec::new();
    let mut pending = vec![root.join("tests"), root.join("src"), root.join("benches")];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") && !path.ends_with("self_contained.rs") {
                let text = fs::read_to_string(&path).unwrap();
                if text.contains("../shared") || text.contains("\"shared\", \"spec\"") {
                    offenders.push(path.strip_prefix(root).unwrap().display().to_string());
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "these files read ../shared, which a fresh clone does not have; copy what they need \
         under specs/ instead: {offenders:?}"
    );
}

/// Contract-v2 specs (`../shared/spec/next/`) that have a golden tree, copied under `specs/`.
const NEXT_COPIES: &[&str] = &["rollouts.toml"];

/// The copies of contract-v2 specs must equal them.
#[test]
fn the_copies_of_contract_v2_specs_equal_the_contract() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let next = root.join("../shared/spec/next");
    if !next.is_dir() {
        eprintln!("skipped: {} is not beside the repository", next.display());
        return;
    }
    for name in NEXT_COPIES {
        assert!(
            fs::read(root.join("specs").join(name)).unwrap() == fs::read(next.join(name)).unwrap(),
            "specs/{name} differs from ../shared/spec/next/{name}: copy it again"
        );
    }
}
