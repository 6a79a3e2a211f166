//! The tree writer's promises, each tested on a real folder.

use std::fs;
use std::io;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::time::Duration;

use super::journal::TXN;
use super::lock;
use super::manifest::MANIFEST;
use super::tree::{Drift, Scope, Written, check_tree, write_tree};
use crate::render::OutputFile;

fn file(path: &str, contents: &str) -> OutputFile {
    OutputFile {
        path: path.into(),
        contents: contents.into(),
    }
}

fn write(dir: &Path, files: &[OutputFile]) -> io::Result<Written> {
    write_tree(dir, files, &Scope::All, Duration::from_millis(200))
}

fn read(path: impl AsRef<Path>) -> String {
    fs::read_to_string(path).unwrap()
}

/// Every name under `dir`, with `/` after folders and `-> target` after links.
fn listing(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            let relative = path.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            let meta = fs::symlink_metadata(&path).unwrap();
            if meta.is_symlink() {
                found.push(format!("{relative} -> {}", fs::read_link(&path).unwrap().display()));
            } else if meta.is_dir() {
                found.push(format!("{relative}/"));
                pending.push(path);
            } else {
                found.push(format!("{relative}: {}", read(&path)));
            }
        }
    }
    found.sort();
    found
}

#[test]
fn writes_prunes_and_keeps_foreign_files() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &[file("k/a/one.yaml", "1"), file("k/a/s/two.yaml", "2")]).unwrap();
    fs::write(dir.path().join("k/a/mine.txt"), "user").unwrap();
    fs::create_dir(dir.path().join("k/a/empty")).unwrap();
    let written = write(dir.path(), &[file("k/a/one.yaml", "1b")]).unwrap();
    assert_eq!(written.removed, vec!["k/a/s/two.yaml"]);
    assert_eq!(read(dir.path().join("k/a/one.yaml")), "1b");
    assert!(
        !dir.path().join("k/a/s").exists(),
        "a folder that held only pruned files goes"
    );
    assert_eq!(read(dir.path().join("k/a/mine.txt")), "user");
    assert!(dir.path().join("k/a/empty").is_dir(), "a user's empty folder stays");
    assert!(!dir.path().join(TXN).exists(), "no staging is left behind");
}

#[test]
fn an_environment_that_is_no_longer_generated_goes_with_its_target_folder() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            file("k/a/x.yaml", "1"),
            file("k/b/y.yaml", "2"),
            file("g/b/z.json", "3"),
        ],
    )
    .unwrap();
    write(dir.path(), &[file("k/a/x.yaml", "1")]).unwrap();
    assert_eq!(
        listing(dir.path())
            .iter()
            .filter(|l| !l.starts_with(".platc"))
            .collect::<Vec<_>>(),
        ["k/", "k/a/", "k/a/x.yaml: 1"]
    );
}

#[test]
fn a_tampered_manifest_cannot_touch_anything_outside_and_is_reported() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("out");
    let outside = root.path().join("outside");
    fs::create_dir_all(outside.join("a")).unwrap();
    fs::write(outside.join("a/victim.txt"), "keep").unwrap();
    fs::write(root.path().join("victim.txt"), "keep").unwrap();
    fs::create_dir_all(&dir).unwrap();
    write(&dir, &[file("k/a/x.yaml", "1")]).unwrap();
    symlink(&outside, dir.join("g")).unwrap();
    fs::create_dir_all(dir.join("k/a/folder")).unwrap();
    fs::write(dir.join("k/a/folder/mine.txt"), "user").unwrap();
    let mut manifest = read(dir.join(MANIFEST));
    manifest.push_str("../victim.txt\nk/../../victim.txt\n/etc/passwd\n.platc-manifest\ng/a/victim.txt\nk/a/folder\n");
    fs::write(dir.join(MANIFEST), manifest).unwrap();
    let written = write(&dir, &[file("k/a/x.yaml", "2")]).unwrap();
    assert_eq!(read(root.path().join("victim.txt")), "keep");
    assert_eq!(read(outside.join("a/victim.txt")), "keep");
    assert_eq!(
        read(dir.join("k/a/folder/mine.txt")),
        "user",
        "a folder entry is never pruned"
    );
    let notes = written.notes.join("\n");
    for ignored in [
        "`../victim.txt`: it is not a path",
        "`g/a/victim.txt`: it goes through",
        "g is a symbolic link",
        "`k/a/folder`: it is a folder",
    ] {
        assert!(notes.contains(ignored), "{ignored} in {notes}");
    }
}

/// Puts a link somewhere in a fresh output folder.
type MakeLink<'a> = Box<dyn Fn(&Path) + 'a>;

#[test]
fn a_link_where_platc_writes_is_an_error_naming_it_and_nothing_outside_changes() {
    let root = tempfile::tempdir().unwrap();
    let outside = root.path().join("outside");
    fs::create_dir_all(outside.join("a")).unwrap();
    fs::write(outside.join("a/x.yaml"), "theirs").unwrap();
    let cases: [(&str, MakeLink); 4] = [
        ("k", Box::new(|dir: &Path| symlink(&outside, dir.join("k")).unwrap())),
        (
            "k/a",
            Box::new(|dir: &Path| {
                fs::create_dir(dir.join("k")).unwrap();
                symlink(outside.join("a"), dir.join("k/a")).unwrap();
            }),
        ),
        (
            "k/a/x.yaml",
            Box::new(|dir: &Path| {
                fs::create_dir_all(dir.join("k/a")).unwrap();
                symlink(outside.join("a/x.yaml"), dir.join("k/a/x.yaml")).unwrap();
            }),
        ),
        (
            "k/a/s",
            Box::new(|dir: &Path| {
                fs::create_dir_all(dir.join("k/a")).unwrap();
                symlink(outside.join("a"), dir.join("k/a/s")).unwrap();
            }),
        ),
    ];
    for (link, make) in cases {
        let dir = root.path().join(format!("out-{}", link.replace('/', "-")));
        fs::create_dir(&dir).unwrap();
        make(&dir);
        let before = listing(&dir);
        let error = write(&dir, &[file("k/a/x.yaml", "1"), file("k/a/s/y.yaml", "2")]).unwrap_err();
        let named = dir.join(link).display().to_string();
        assert!(
            error.to_string().contains(&format!("{named} is a symbolic link")),
            "{link}: {error}"
        );
        assert_eq!(
            listing(&dir)
                .iter()
                .filter(|l| !l.starts_with(".platc-lock"))
                .collect::<Vec<_>>(),
            before.iter().collect::<Vec<_>>(),
            "{link}"
        );
        assert_eq!(listing(&outside), ["a/", "a/x.yaml: theirs"], "{link}");
    }
}

#[test]
fn a_users_staging_like_folder_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join(".platc-staging")).unwrap();
    fs::write(dir.path().join(".platc-staging/notes.txt"), "mine").unwrap();
    write(dir.path(), &[file("k/a/x.yaml", "1")]).unwrap();
    assert_eq!(read(dir.path().join(".platc-staging/notes.txt")), "mine");
}

#[test]
fn a_file_where_a_folder_must_go_stops_the_run_before_writing() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("k/a")).unwrap();
    fs::write(dir.path().join("k/a/s"), "a file").unwrap();
    let error = write(dir.path(), &[file("g/a/one.json", "{}"), file("k/a/s/x.yaml", "1")]).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("k/a/s is a file, but platc needs a folder there"),
        "{error}"
    );
    assert!(!dir.path().join("g").exists(), "nothing was written");
    assert!(!dir.path().join(TXN).exists());
}

#[test]
fn refuses_to_overwrite_a_file_it_did_not_write() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("k/a")).unwrap();
    fs::write(dir.path().join("k/a/one.yaml"), "user").unwrap();
    let error = write(dir.path(), &[file("k/a/one.yaml", "1"), file("k/a/two.yaml", "2")]).unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::AlreadyExists);
    assert!(
        error
            .to_string()
            .contains("k/a/one.yaml exists and was not generated by platc"),
        "{error}"
    );
    assert_eq!(read(dir.path().join("k/a/one.yaml")), "user");
    assert!(!dir.path().join("k/a/two.yaml").exists(), "nothing is written");
    assert!(!dir.path().join(MANIFEST).exists());
}

#[test]
fn an_environment_scope_prunes_only_that_environment() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &[file("k/a/x.yaml", "1"), file("k/b/y.yaml", "2")]).unwrap();
    let scope = Scope::Environments(vec!["a".into()]);
    let written = write_tree(dir.path(), &[file("k/a/z.yaml", "3")], &scope, Duration::ZERO).unwrap();
    assert_eq!(written.removed, vec!["k/a/x.yaml"]);
    assert!(dir.path().join("k/b/y.yaml").exists());
    let manifest = read(dir.path().join(MANIFEST));
    assert!(manifest.contains("k/b/y.yaml\n") && manifest.contains("k/a/z.yaml\n") && !manifest.contains("k/a/x.yaml"));
}

#[test]
fn a_second_writer_waits_then_fails_naming_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    let root = super::confined::Folder::open_root(dir.path()).unwrap();
    let held = lock::acquire(&root, true, Duration::ZERO).unwrap();
    let started = std::time::Instant::now();
    let error = write(dir.path(), &[file("k/a/x.yaml", "1")]).unwrap_err();
    assert!(started.elapsed() >= Duration::from_millis(200), "it waited");
    assert!(
        error.to_string().contains("another platc build is writing") && error.to_string().contains(".platc-lock"),
        "{error}"
    );
    assert!(!dir.path().join("k").exists());
    drop(held);
    write(dir.path(), &[file("k/a/x.yaml", "1")]).unwrap();
}

#[test]
fn check_reports_every_kind_of_drift() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &[file("k/a/x.yaml", "1"), file("k/a/y.yaml", "2")]).unwrap();
    let check = |files: &[OutputFile]| check_tree(dir.path(), files, &Scope::All, Duration::ZERO).unwrap();
    assert_eq!(
        check(&[file("k/a/x.yaml", "changed"), file("k/a/new.yaml", "3")]),
        Drift {
            missing: vec!["k/a/new.yaml".into()],
            changed: vec!["k/a/x.yaml".into()],
            stale: vec!["k/a/y.yaml".into()],
            interrupted: false,
        }
    );
    assert!(check(&[file("k/a/x.yaml", "1"), file("k/a/y.yaml", "2")]).is_clean());
    fs::create_dir(dir.path().join(TXN)).unwrap();
    let interrupted = check(&[file("k/a/x.yaml", "1"), file("k/a/y.yaml", "2")]);
    assert!(interrupted.interrupted && !interrupted.is_clean());
}

#[test]
fn staging_left_before_the_commit_point_is_rolled_back_and_said() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &[file("k/a/x.yaml", "1")]).unwrap();
    fs::create_dir_all(dir.path().join(TXN).join("0/sub")).unwrap();
    fs::write(dir.path().join(TXN).join("0/sub/x.yaml"), "half").unwrap();
    let written = write(dir.path(), &[file("k/a/x.yaml", "2")]).unwrap();
    assert!(
        written.notes.iter().any(|n| n.contains("rolled it back")),
        "{:?}",
        written.notes
    );
    assert_eq!(read(dir.path().join("k/a/x.yaml")), "2");
    assert!(!dir.path().join(TXN).exists());
}
