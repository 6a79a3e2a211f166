//! `build -o` interrupted for real: the binary is killed (SIGKILL) before each change it makes
//! to the tree, in turn, or a change fails. Every environment folder must then be entirely
//! old or entirely new, and the next build must finish or roll back and say so.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const OLD: &str = r#"
[platform]
name = "shop"
team = "platform"

[environments.prod]
targets = ["kubernetes", "compose"]

[environments.stage]

[services.api]
image = "example/api:1.0.0"
port = 8080
replicas = 2
probes = { readiness = "/health" }
resources = { cpu = "100m", memory = "128Mi", cpu_limit = "500m", memory_limit = "256Mi" }

[services.web]
image = "example/web:1.0.0"
port = 8080
replicas = 2
probes = { readiness = "/health" }
resources = { cpu = "100m", memory = "128Mi", cpu_limit = "500m", memory_limit = "256Mi" }
"#;

/// The new spec changes a file everywhere, drops a service and the `stage` environment, and
/// adds `qa`: every kind of swap (exchange, new folder, folder gone, folder left with only a
/// user's file).
fn new_spec() -> String {
    let cut = OLD.find("[services.web]").unwrap();
    OLD[..cut]
        .replace("api:1.0.0", "api:2.0.0")
        .replace("[environments.stage]", "[environments.qa]")
}

type Folders = BTreeMap<String, BTreeMap<String, Vec<u8>>>;

/// Each environment folder (`<target>/<env>`) with its entries (folders end in `/`).
fn snapshot(dir: &Path) -> Folders {
    let mut folders = Folders::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            let relative = path.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            if relative.starts_with(".platc") {
                continue;
            }
            let parts: Vec<&str> = relative.splitn(3, '/').collect();
            let is_dir = path.is_dir();
            if is_dir {
                pending.push(path.clone());
            }
            if parts.len() < 3 {
                if parts.len() == 2 {
                    folders.entry(relative.clone()).or_default();
                }
                continue;
            }
            let key = format!("{}/{}", parts[0], parts[1]);
            let (name, bytes) = if is_dir {
                (format!("{}/", parts[2]), Vec::new())
            } else {
                (parts[2].to_string(), fs::read(&path).unwrap())
            };
            folders.entry(key).or_default().insert(name, bytes);
        }
    }
    folders
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn platc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_platc")).args(args).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs `platc build SPEC -o DIR` paused before its `step`-th change and kills it there with
/// SIGKILL; returns the file that change was about, or `None` when the build had fewer changes.
fn build_killed_at(spec: &Path, dir: &Path, step: usize) -> Option<String> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_platc"))
        .args(["build", &spec.to_string_lossy(), "-o", &dir.to_string_lossy()])
        .env("PLATC_TEST_PAUSE_AT", step.to_string())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let prefix = format!("platc: paused at step {step} (");
    let paused = stderr.lines().map_while(Result::ok).find_map(|line| {
        line.strip_prefix(&prefix)
            .map(|rest| rest.trim_end_matches(')').to_string())
    });
    if paused.is_some() {
        child.kill().unwrap();
    }
    let status = child.wait().unwrap();
    assert!(
        paused.is_some() || status.success(),
        "step {step}: the build failed: {status}"
    );
    paused
}

/// Whether a change is inside one staged folder (`.platc-txn/<n>/...`): staging before the
/// commit point, or deleting old folders after it — every such step recovers the same way.
fn inside_a_staged_folder(path: &str) -> bool {
    path.split_once("/.platc-txn/").is_some_and(|(_, rest)| {
        rest.split('/')
            .next()
            .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
    })
}

struct Setup {
    _tmp: tempfile::TempDir,
    root: std::path::PathBuf,
    old: Folders,
    new: Folders,
}

impl Setup {
    fn new() -> Setup {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().to_path_buf();
        fs::write(root.join("old.toml"), OLD).unwrap();
        fs::write(root.join("new.toml"), new_spec()).unwrap();
        let base = root.join("base");
        let built = platc(&[
            "build",
            &root.join("old.toml").to_string_lossy(),
            "-o",
            &base.to_string_lossy(),
        ]);
        assert!(built.status.success(), "{}", text(&built.stderr));
        fs::write(base.join("kubernetes/prod/notes.txt"), "mine").unwrap();
        fs::write(base.join("kubernetes/stage/notes.txt"), "mine too").unwrap();
        let old = snapshot(&base);
        let reference = root.join("reference");
        copy_tree(&base, &reference);
        let built = platc(&[
            "build",
            &root.join("new.toml").to_string_lossy(),
            "-o",
            &reference.to_string_lossy(),
        ]);
        assert!(built.status.success(), "{}", text(&built.stderr));
        let new = snapshot(&reference);
        assert_eq!(new["kubernetes/stage"].keys().collect::<Vec<_>>(), ["notes.txt"]);
        assert!(!new.contains_key("grafana/stage") && !old.contains_key("grafana/qa"));
        Setup {
            _tmp: tmp,
            root,
            old,
            new,
        }
    }

    fn assert_each_folder_old_or_new(&self, dir: &Path, when: &str) {
        let now = snapshot(dir);
        let names: BTreeSet<&String> = self.old.keys().chain(self.new.keys()).chain(now.keys()).collect();
        for name in names {
            let folder = now.get(name);
            assert!(
                folder == self.old.get(name) || folder == self.new.get(name),
                "{when}: {name} is neither the old nor the new folder: {:?}",
                folder.map(|f| f.keys().collect::<Vec<_>>())
            );
        }
    }

    /// The next build finishes or rolls back, says so, and leaves exactly the new tree.
    fn rebuild_and_expect_new(&self, dir: &Path, when: &str) -> String {
        let interrupted = dir.join(".platc-txn").exists();
        let spec = self.root.join("new.toml");
        if interrupted {
            let check = platc(&[
                "build",
                &spec.to_string_lossy(),
                "-o",
                &dir.to_string_lossy(),
                "--check",
            ]);
            assert_eq!(check.status.code(), Some(1), "{when}");
            assert!(
                text(&check.stderr).contains("was interrupted"),
                "{when}: {}",
                text(&check.stderr)
            );
        }
        let rebuilt = platc(&["build", &spec.to_string_lossy(), "-o", &dir.to_string_lossy()]);
        let stderr = text(&rebuilt.stderr);
        assert!(rebuilt.status.success(), "{when}: {stderr}");
        assert_eq!(interrupted, stderr.contains("was interrupted"), "{when}: {stderr}");
        assert_eq!(snapshot(dir), self.new, "{when}: the rebuilt tree");
        assert!(!dir.join(".platc-txn").exists(), "{when}: staging left behind");
        stderr
    }
}

#[test]
fn killed_before_any_change_each_folder_is_old_or_new_and_the_next_build_recovers() {
    let setup = Setup::new();
    let (mut finished, mut rolled_back, mut step) = (0, 0, 0);
    loop {
        step += 1;
        let dir = setup.root.join(format!("work-{step}"));
        copy_tree(&setup.root.join("base"), &dir);
        let Some(path) = build_killed_at(&setup.root.join("new.toml"), &dir, step) else {
            assert_eq!(snapshot(&dir), setup.new, "an uninterrupted build");
            break;
        };
        let when = format!("killed at step {step} ({path})");
        setup.assert_each_folder_old_or_new(&dir, &when);
        // Recovery is checked at every swap, commit and clean-up step, and at every fifth step
        // inside a staged folder (they all leave the same state to recover from).
        if inside_a_staged_folder(&path) && step % 5 != 0 {
            fs::remove_dir_all(&dir).unwrap();
            continue;
        }
        let said = setup.rebuild_and_expect_new(&dir, &when);
        finished += usize::from(said.contains("finished it"));
        rolled_back += usize::from(said.contains("rolled it back"));
        fs::remove_dir_all(&dir).unwrap();
    }
    assert!(step > 50, "the build makes {step} changes");
    assert!(
        finished >= 6 && rolled_back > 5,
        "finished {finished}, rolled back {rolled_back}"
    );
}

#[test]
fn a_failing_write_names_the_file_and_leaves_the_old_tree() {
    let setup = Setup::new();
    let dir = setup.root.join("work");
    copy_tree(&setup.root.join("base"), &dir);
    // A file size limit of 1 KiB makes the first larger write fail with EFBIG (the signal
    // it would raise is ignored), a real error from the kernel.
    let script = format!(
        "trap '' XFSZ; ulimit -f 2; exec '{}' build '{}' -o '{}'",
        env!("CARGO_BIN_EXE_platc"),
        setup.root.join("new.toml").display(),
        dir.display()
    );
    let failed = Command::new("sh").args(["-c", &script]).output().unwrap();
    let stderr = text(&failed.stderr);
    assert_eq!(failed.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("cannot write ") && stderr.contains("/.platc-txn/"),
        "{stderr}"
    );
    assert_eq!(snapshot(&dir), setup.old, "nothing visible changed");
    assert!(!dir.join(".platc-txn").exists());
    setup.rebuild_and_expect_new(&dir, "after the failed write");
}

#[test]
fn injected_failures_after_the_commit_point_are_finished_by_the_next_build() {
    let setup = Setup::new();
    let spec = setup.root.join("new.toml");
    let mut after_commit = 0;
    for step in (1..300).step_by(11) {
        let dir = setup.root.join(format!("fail-{step}"));
        copy_tree(&setup.root.join("base"), &dir);
        let failed = Command::new(env!("CARGO_BIN_EXE_platc"))
            .args(["build", &spec.to_string_lossy(), "-o", &dir.to_string_lossy()])
            .env("PLATC_TEST_FAIL_AT", step.to_string())
            .output()
            .unwrap();
        if failed.status.success() {
            break;
        }
        let stderr = text(&failed.stderr);
        assert_eq!(failed.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(&format!("injected failure at step {step}")), "{stderr}");
        after_commit += usize::from(stderr.contains("the next `platc build"));
        let when = format!("failed at step {step}");
        setup.assert_each_folder_old_or_new(&dir, &when);
        setup.rebuild_and_expect_new(&dir, &when);
    }
    assert!(after_commit > 0, "some failures struck after the commit point");
}

#[test]
fn a_second_build_waits_for_the_first_then_fails_without_writing() {
    let setup = Setup::new();
    let dir = setup.root.join("work");
    copy_tree(&setup.root.join("base"), &dir);
    let mut first = Command::new(env!("CARGO_BIN_EXE_platc"))
        .args([
            "build",
            &setup.root.join("old.toml").to_string_lossy(),
            "-o",
            &dir.to_string_lossy(),
        ])
        .env("PLATC_TEST_PAUSE_AT", "1")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(first.stderr.take().unwrap()).lines();
    assert!(lines.any(|l| l.unwrap().starts_with("platc: paused at step 1")));
    let started = Instant::now();
    let second = platc(&[
        "build",
        &setup.root.join("new.toml").to_string_lossy(),
        "-o",
        &dir.to_string_lossy(),
    ]);
    let stderr = text(&second.stderr);
    assert_eq!(second.status.code(), Some(2), "{stderr}");
    assert!(started.elapsed() >= Duration::from_secs(4), "it waited");
    assert!(
        stderr.contains("another platc build is writing") && stderr.contains(".platc-lock"),
        "{stderr}"
    );
    first.kill().unwrap();
    first.wait().unwrap();
    setup.assert_each_folder_old_or_new(&dir, "after the second build");
    assert_eq!(snapshot(&dir), setup.old, "the second build wrote nothing");
    setup.rebuild_and_expect_new(&dir, "after both");
}
