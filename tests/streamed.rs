//! `build -o` renders, verifies and writes one environment folder at a time (it never holds
//! the whole tree). The tree it writes must be exactly the golden tree, byte for byte: every
//! file of `golden/<case>/` with the generated-file header, and nothing else.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn read_tree(dir: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            let relative = path.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            if relative.starts_with(".platc") {
                continue;
            }
            if path.is_dir() {
                pending.push(path);
            } else {
                files.insert(relative, fs::read_to_string(&path).unwrap());
            }
        }
    }
    files
}

/// Every spec that has a golden tree.
fn cases() -> Vec<(PathBuf, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cases = Vec::new();
    for dir in [root.join("specs"), root.join("specs/examples"), root.join("specs/next")] {
        for entry in fs::read_dir(&dir).unwrap() {
            let spec = entry.unwrap().path();
            let golden = root.join("golden").join(spec.file_stem().unwrap());
            if spec.extension().is_some_and(|ext| ext == "toml") && golden.is_dir() {
                cases.push((spec, golden));
            }
        }
    }
    cases.sort();
    cases
}

#[test]
fn the_streamed_tree_is_the_golden_tree() {
    let cases = cases();
    assert!(cases.len() >= 10, "only {} golden cases found", cases.len());
    for (spec, golden) in cases {
        let out = tempfile::tempdir().unwrap();
        let run = Command::new(env!("CARGO_BIN_EXE_platc"))
            .arg("build")
            .arg(&spec)
            .arg("-o")
            .arg(out.path())
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}: {}",
            spec.display(),
            String::from_utf8_lossy(&run.stderr)
        );
        let header = platc::emit::header(&spec.file_name().unwrap().to_string_lossy());
        let expected: BTreeMap<String, String> = read_tree(&golden)
            .into_iter()
            .map(|(path, contents)| {
                let contents = if path.ends_with(".yaml") {
                    format!("{header}{contents}")
                } else {
                    contents
                };
                (path, contents)
            })
            .collect();
        let written = read_tree(out.path());
        assert_eq!(
            written.keys().collect::<Vec<_>>(),
            expected.keys().collect::<Vec<_>>(),
            "{}: the files differ",
            spec.display()
        );
        for (path, contents) in &expected {
            assert!(&written[path] == contents, "{}: {path} differs", spec.display());
        }
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(
            stderr.contains(&format!("wrote {} files", expected.len())),
            "{}: {stderr}",
            spec.display()
        );
    }
}
