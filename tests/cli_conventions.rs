//! The command-line conventions, tested on the binary: stdout carries output only, `-` is
//! standard input, a closed pipe ends the run quietly, colour follows the terminal,
//! `--color` and `NO_COLOR`, and `--version`, `completions`, `init` work.

use std::fs;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn platc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_platc"))
        .args(args)
        .output()
        .expect("platc runs")
}

fn spec(path: &str) -> String {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), path].iter().collect();
    path.to_string_lossy().into_owned()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A valid spec with one warning (W0001, an unpinned image) in a temporary folder.
fn warning_spec(dir: &tempfile::TempDir) -> String {
    let path = dir.path().join("spec.toml");
    fs::write(
        &path,
        "[platform]\nname = \"shop\"\n[environments.prod]\n[services.web]\nimage = \"web\"\nreplicas = 2\n",
    )
    .unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn json_diagnostics_go_to_stderr_while_stdout_carries_manifests() {
    let dir = tempfile::tempdir().unwrap();
    let output = platc(&["build", "--format", "json", &warning_spec(&dir)]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(
        stdout.starts_with("# Source: kubernetes/prod/namespace.yaml\n"),
        "{stdout}"
    );
    assert!(!stdout.contains("W0001"), "no diagnostic in the YAML stream");
    let diagnostics: serde_json::Value = serde_json::from_slice(&output.stderr).expect("stderr is the JSON array");
    assert_eq!(diagnostics[0]["code"], "W0001");
}

#[test]
fn a_dash_reads_the_spec_from_standard_input() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_platc"))
        .args(["check", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let source = fs::read(spec("specs/shared-invalid/unknown-tier.toml")).unwrap();
    child.stdin.take().unwrap().write_all(&source).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("error[E0030]: tier `critcal` is not defined"),
        "{stderr}"
    );
    assert!(stderr.contains("--> <stdin>:12:8"), "{stderr}");
}

#[test]
fn dash_o_dash_is_rejected_not_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_platc"))
        .args(["build", &spec("specs/examples/azora.toml"), "-o", "-"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("`-o -` is not an output folder"),
        "{}",
        text(&output.stderr)
    );
    assert!(!dir.path().join("-").exists(), "no folder named -");
    assert!(output.stdout.is_empty());
}

#[test]
fn a_closed_stdout_ends_the_run_quietly() {
    // The stream (~100 KiB) is larger than a pipe's buffer, so platc is still writing when
    // the reader has gone, whatever the timing.
    let mut child = Command::new(env!("CARGO_BIN_EXE_platc"))
        .args(["build", &spec("specs/examples/quizmentor.toml")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 10];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    assert_eq!(&first, b"# Source: ");
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
}

#[test]
fn check_reports_the_readable_files_and_the_unreadable_one_then_exits_2() {
    let output = platc(&[
        "check",
        &spec("specs/examples/azora.toml"),
        "/nonexistent/missing.toml",
        &spec("specs/shared-invalid/unknown-tier.toml"),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("unknown-tier.toml:12:8"),
        "the file after the missing one is checked: {stderr}"
    );
    assert!(
        stderr.contains("error: cannot read /nonexistent/missing.toml"),
        "{stderr}"
    );
}

const ESCAPE: &str = "\x1b[";

#[test]
fn colour_is_chosen_by_flag_and_off_when_piped() {
    let invalid = spec("specs/shared-invalid/unknown-tier.toml");
    let piped = platc(&["check", &invalid]);
    assert!(!text(&piped.stderr).contains(ESCAPE), "no colour into a pipe");
    let always = platc(&["--color", "always", "check", &invalid]);
    assert!(
        text(&always.stderr).contains("\x1b[1;31merror[E0030]"),
        "{:?}",
        text(&always.stderr)
    );
    let never = platc(&["check", &invalid, "--color", "never"]);
    assert!(!text(&never.stderr).contains(ESCAPE));
}

/// Runs platc under a pseudo-terminal (util-linux `script`), so stderr is a terminal.
fn on_a_terminal(no_color: Option<&str>, args: &str) -> Option<String> {
    let script = ["/usr/bin/script", "/bin/script"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())?;
    let mut command = Command::new(script);
    command.args(["-qec", &format!("{} {args}", env!("CARGO_BIN_EXE_platc")), "/dev/null"]);
    command.env_remove("NO_COLOR");
    if let Some(value) = no_color {
        command.env("NO_COLOR", value);
    }
    Some(text(&command.output().unwrap().stdout))
}

#[test]
fn on_a_terminal_colour_is_on_unless_no_color_is_set() {
    let args = format!("check {}", spec("specs/shared-invalid/unknown-tier.toml"));
    let Some(coloured) = on_a_terminal(None, &args) else {
        eprintln!("skipped: util-linux `script` is not installed");
        return;
    };
    assert!(coloured.contains("\x1b[1;31merror[E0030]"), "{coloured:?}");
    let plain = on_a_terminal(Some("1"), &args).unwrap();
    assert!(plain.contains("error[E0030]"), "{plain:?}");
    assert!(!plain.contains(ESCAPE), "NO_COLOR is honoured: {plain:?}");
    let forced = on_a_terminal(Some("1"), &format!("--color always {args}")).unwrap();
    assert!(forced.contains(ESCAPE), "--color always overrides NO_COLOR");
}

#[test]
fn env_restricts_warnings_to_that_environment() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("spec.toml");
    let source = "[platform]\nname = \"shop\"\n[environments.production]\n[environments.staging]\npaging = false\n\
                  [services.web]\nimage = \"web:1\"\nmetrics = false\nprobes = { command = [\"true\"] }\n";
    fs::write(&path, source).unwrap();
    let path = path.to_string_lossy();
    let all = text(&platc(&["check", &path]).stderr);
    assert!(
        all.contains("pages in `production` but can run a single replica"),
        "{all}"
    );
    let staging = platc(&["check", &path, "--env", "staging", "--deny-warnings"]);
    assert_eq!(staging.status.code(), Some(0), "{}", text(&staging.stderr));
    assert!(staging.stderr.is_empty(), "{}", text(&staging.stderr));
    let production = platc(&["check", &path, "--env", "production", "--deny-warnings"]);
    assert_eq!(production.status.code(), Some(1));
    let unknown = platc(&["check", &path, "--env", "prod"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown.stderr).contains("no environment `prod`"));
}

#[test]
fn version_names_the_git_commit_when_built_from_git() {
    let output = platc(&["--version"]);
    assert_eq!(output.status.code(), Some(0));
    let version = text(&output.stdout);
    let Some(head) = git(&["rev-parse", "--short=12", "HEAD"]) else {
        assert_eq!(version, format!("platc {}\n", env!("CARGO_PKG_VERSION")));
        return;
    };
    let built = version
        .strip_prefix(&format!("platc {} (", env!("CARGO_PKG_VERSION")))
        .and_then(|rest| rest.strip_suffix(")\n"))
        .unwrap_or_else(|| panic!("built from git, the version names a commit: {version}"));
    if built == head {
        return;
    }
    // HEAD moved after cargo built this binary (a commit or checkout while the tests ran):
    // build.rs is not to blame then, but the binary must still name a real commit. HEAD must
    // really have moved since the build; otherwise build.rs failed to rerun.
    let moved_at: u64 = git(&["log", "-g", "-1", "--format=%gd", "--date=unix", "HEAD"])
        .and_then(|entry| entry.strip_prefix("HEAD@{")?.strip_suffix('}')?.parse().ok())
        .expect("HEAD has a reflog");
    let built_at = fs::metadata(env!("CARGO_BIN_EXE_platc"))
        .and_then(|meta| meta.modified())
        .expect("the binary has a modification time")
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    assert!(
        moved_at + 1 >= built_at,
        "`platc --version` names {built}, HEAD is {head} and has not moved since the build: build.rs did not rerun"
    );
    assert!(
        git(&["rev-parse", "--verify", "--quiet", &format!("{built}^{{commit}}")]).is_some(),
        "{built} is a commit of this repository"
    );
}

/// The trimmed stdout of a git command in the crate's folder, if it succeeds.
fn git(args: &[&str]) -> Option<String> {
    Command::new("git")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| text(&out.stdout).trim().to_string())
        .filter(|out| !out.is_empty())
}

#[test]
fn completions_are_printed_for_bash_zsh_and_fish() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef platc"),
        ("fish", "complete -c platc"),
    ] {
        let output = platc(&["completions", shell]);
        assert_eq!(output.status.code(), Some(0));
        let script = text(&output.stdout);
        assert!(script.contains(marker), "{shell}: {script}");
        assert!(script.contains("deny-warnings"), "{shell} completes the flags");
    }
    assert_eq!(platc(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn init_writes_a_starter_spec_that_compiles() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("platform.toml");
    let path_text = path.to_string_lossy().into_owned();
    let output = platc(&["init", &path_text]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let starter = fs::read_to_string(&path).unwrap();
    assert!(
        starter.lines().filter(|l| l.contains('#')).count() > 10,
        "it is commented"
    );
    let check = platc(&["check", "--deny-warnings", &path_text]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
    let out = dir.path().join("out");
    let build = platc(&["build", &path_text, "-o", &out.to_string_lossy()]);
    assert_eq!(build.status.code(), Some(0), "{}", text(&build.stderr));
    assert!(out.join("kubernetes/production/services/web.yaml").is_file());

    fs::write(&path, "mine\n").unwrap();
    let again = platc(&["init", &path_text]);
    assert_eq!(again.status.code(), Some(2), "an existing file is kept");
    assert_eq!(fs::read_to_string(&path).unwrap(), "mine\n");
    assert_eq!(platc(&["init", "--force", &path_text]).status.code(), Some(0));
    assert_eq!(fs::read_to_string(&path).unwrap(), starter);
}

#[test]
fn generated_files_say_so_and_the_stream_names_each_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let spec = spec("specs/examples/quizmentor.toml");
    let build = platc(&["build", &spec, "-o", &out.to_string_lossy()]);
    assert_eq!(build.status.code(), Some(0), "{}", text(&build.stderr));
    let header = format!(
        "# Generated by platc {} from quizmentor.toml. Do not edit: change the spec and build again.\n",
        env!("CARGO_PKG_VERSION")
    );
    let mut yaml_files = 0;
    let mut json_files = 0;
    let mut streamed_files = 0;
    let mut pending = vec![out.clone()];
    while let Some(folder) = pending.pop() {
        for entry in fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "json") {
                // JSON has no comments: a dashboard carries the same facts in its description.
                json_files += 1;
                let dashboard: serde_json::Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
                let description = dashboard["description"].as_str().unwrap_or_default();
                assert!(
                    description.ends_with(header.trim_start_matches("# ").trim_end()),
                    "{}: {description}",
                    path.display()
                );
            } else if path.extension().is_some_and(|ext| ext == "yaml") {
                yaml_files += 1;
                let relative = path.strip_prefix(&out).unwrap().to_string_lossy().into_owned();
                if relative.starts_with("kubernetes/") && !relative.ends_with("kustomization.yaml") {
                    streamed_files += 1;
                }
                let contents = fs::read_to_string(&path).unwrap();
                assert!(contents.starts_with(&header), "{}: {contents}", path.display());
            }
        }
    }
    assert!(yaml_files > 10, "kubernetes and prometheus files: {yaml_files}");
    assert!(json_files >= 6, "three dashboards per environment: {json_files}");
    let stream = text(&platc(&["build", &spec]).stdout);
    let sources = stream
        .lines()
        .filter(|l| l.starts_with("# Source: kubernetes/"))
        .count();
    assert_eq!(sources, streamed_files, "one # Source comment per file of the stream");
    assert!(stream.starts_with(&format!("# Source: kubernetes/production/namespace.yaml\n{header}")));
}
