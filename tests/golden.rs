//! Golden output trees: every spec under `specs/` and every example (`specs/examples/`, copies of the
//! contract's) compiles to
//! exactly the files under `golden/<case>/`, byte for byte.
//!
//! Golden files are reviewed output. Regenerate them only on purpose, then read the diff:
//!     `PLATC_BLESS=1` cargo test --test golden

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

fn cases() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cases = Vec::new();
    // specs/next: copies of the contract-v2 specs this build supports, with their config files.
    for dir in [root.join("specs"), root.join("specs/examples"), root.join("specs/next")] {
        let mut specs: Vec<PathBuf> = fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
            .collect();
        specs.sort();
        for spec in specs {
            let name = spec.file_stem().unwrap().to_string_lossy().to_string();
            cases.push((name, spec));
        }
    }
    cases
}

fn render(spec: &Path) -> BTreeMap<String, String> {
    let text = fs::read_to_string(spec).unwrap();
    let mut compilation = match platc::compile_in(&text, spec.parent().unwrap()) {
        Ok(compilation) => compilation,
        Err(failure) => panic!("{} does not compile: {failure:?}", spec.display()),
    };
    // As `platc build` names the spec in generated files (dashboards' descriptions).
    compilation.platform.source = spec.file_name().unwrap().to_string_lossy().into_owned();
    let files = platc::render(&compilation.platform).unwrap_or_else(|f| panic!("{}: {f:?}", spec.display()));
    files.into_iter().map(|f| (f.path, f.contents)).collect()
}

fn read_tree(dir: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let Ok(entries) = fs::read_dir(&folder) else { continue };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
                files.insert(relative, fs::read_to_string(&path).unwrap());
            }
        }
    }
    files
}

fn bless(dir: &Path, files: &BTreeMap<String, String>) {
    let _ = fs::remove_dir_all(dir);
    for (path, contents) in files {
        let target = dir.join(path);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::write(target, contents).unwrap();
    }
}

#[test]
fn outputs_match_the_golden_trees() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("golden");
    let blessing = std::env::var_os("PLATC_BLESS").is_some();
    let mut problems = Vec::new();
    for (name, spec) in cases() {
        let rendered = render(&spec);
        let dir = root.join(&name);
        if blessing {
            bless(&dir, &rendered);
            continue;
        }
        let golden = read_tree(&dir);
        for path in golden.keys().filter(|p| !rendered.contains_key(*p)) {
            problems.push(format!("{name}: {path} is golden but no longer generated"));
        }
        for (path, contents) in &rendered {
            match golden.get(path) {
                None => problems.push(format!("{name}: {path} is generated but has no golden file")),
                Some(expected) if expected != contents => {
                    let line = expected
                        .lines()
                        .zip(contents.lines())
                        .position(|(a, b)| a != b)
                        .map_or(0, |i| i + 1);
                    problems.push(format!(
                        "{name}: {path} differs from its golden file (first at line {line})"
                    ));
                }
                Some(_) => {}
            }
        }
    }
    assert!(
        problems.is_empty(),
        "golden mismatch (PLATC_BLESS=1 regenerates, then review the diff):\n{}",
        problems.join("\n")
    );
}

#[test]
fn output_is_deterministic() {
    for (_, spec) in cases() {
        assert_eq!(
            render(&spec),
            render(&spec),
            "{} renders differently twice",
            spec.display()
        );
    }
}
