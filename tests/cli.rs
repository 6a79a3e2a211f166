//! The binary as users run it: exit codes, stdout versus stderr, and what lands on disk.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn platc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_platc"))
        .args(args)
        .output()
        .expect("platc runs")
}

fn example(name: &str) -> String {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "specs", "examples", name].iter().collect();
    path.to_string_lossy().into_owned()
}

fn invalid(name: &str) -> String {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "specs", "shared-invalid", name]
        .iter()
        .collect();
    path.to_string_lossy().into_owned()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn check_accepts_every_example_with_exit_0() {
    let specs = [
        example("azora.toml"),
        example("learning-assistant.toml"),
        example("quizmentor.toml"),
    ];
    let args: Vec<&str> = std::iter::once("check")
        .chain(specs.iter().map(String::as_str))
        .collect();
    let output = platc(&args);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(output.stdout.is_empty(), "check prints diagnostics only, to stderr");
}

#[test]
fn an_invalid_spec_exits_1_with_a_rustc_style_report_on_stderr() {
    let output = platc(&["check", &invalid("unknown-tier.toml")]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("error[E0030]: tier `critcal` is not defined"),
        "{stderr}"
    );
    assert!(stderr.contains("unknown-tier.toml:12:8"), "{stderr}");
    assert!(stderr.contains("help: did you mean `critical`?"), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn json_format_is_one_array_on_stdout() {
    let output = platc(&[
        "check",
        "--format",
        "json",
        &invalid("route-collision.toml"),
        &example("azora.toml"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let diagnostics: serde_json::Value = serde_json::from_slice(&output.stdout).expect("stdout is JSON");
    let errors: Vec<&serde_json::Value> = diagnostics
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["code"], "E0051");
    assert_eq!(errors[0]["line"], 20);
    assert_eq!(errors[0]["column"], 11);
    assert!(errors[0]["file"].as_str().unwrap().ends_with("route-collision.toml"));
}

#[test]
fn github_format_prints_annotations() {
    let output = platc(&["check", "--format", "github", &invalid("bad-quantity.toml")]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with("::error file=") && l.contains("line=10,col=21,title=E0020::")),
        "{stderr}"
    );
}

#[test]
fn deny_warnings_turns_warnings_into_failure() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec.toml");
    fs::write(
        &spec,
        "[platform]\nname = \"shop\"\n[environments.prod]\n[services.web]\nimage = \"web\"\nreplicas = 2\n",
    )
    .unwrap();
    let spec = spec.to_string_lossy();
    assert_eq!(
        platc(&["check", &spec]).status.code(),
        Some(0),
        "W0001 alone does not fail"
    );
    let output = platc(&["check", "--deny-warnings", &spec]);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("warning[W0001]"));
}

#[test]
fn build_without_out_streams_kubernetes_yaml_on_stdout() {
    let output = platc(&["build", &example("quizmentor.toml"), "--env", "staging"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(stdout.starts_with("apiVersion: v1\nkind: Namespace\n"));
    assert!(stdout.contains("namespace: \"quizmentor-staging\""));
    assert!(!stdout.contains("quizmentor-prod"), "--env selects environments");
    assert!(!stdout.contains("kind: Kustomization"));
}

#[test]
fn unknown_env_is_a_usage_error() {
    let output = platc(&["build", &example("quizmentor.toml"), "--env", "prod"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("no environment `prod`"));
}

#[test]
fn a_missing_file_is_an_io_error() {
    let output = platc(&["check", "/nonexistent/spec.toml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("cannot read /nonexistent/spec.toml"));
}

fn files_under(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                found.push(path.strip_prefix(dir).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    found.sort();
    found
}

#[test]
fn build_writes_checks_prunes_and_never_touches_foreign_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let out_str = out.to_string_lossy().into_owned();
    let spec = example("quizmentor.toml");

    let first = platc(&["build", &spec, "-o", &out_str]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    assert!(first.stdout.is_empty());
    assert!(out.join("kubernetes/production/kustomization.yaml").exists());
    assert!(out.join(".platc-manifest").exists());

    let check = platc(&["build", &spec, "-o", &out_str, "--check"]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "a fresh tree has no drift: {}",
        text(&check.stderr)
    );

    let ingress = out.join("kubernetes/production/ingress.yaml");
    fs::write(&ingress, "edited by hand\n").unwrap();
    let user_file = out.join("kubernetes/production/notes.txt");
    fs::write(&user_file, "mine\n").unwrap();
    let drift = platc(&["build", &spec, "-o", &out_str, "--check"]);
    assert_eq!(drift.status.code(), Some(1));
    assert!(
        text(&drift.stderr).contains("changed: kubernetes/production/ingress.yaml"),
        "{}",
        text(&drift.stderr)
    );
    assert_eq!(
        fs::read_to_string(&ingress).unwrap(),
        "edited by hand\n",
        "--check writes nothing"
    );

    let rebuilt = platc(&["build", &spec, "-o", &out_str]);
    assert_eq!(rebuilt.status.code(), Some(0));
    assert_ne!(
        fs::read_to_string(&ingress).unwrap(),
        "edited by hand\n",
        "generated files are regenerated"
    );
    assert_eq!(
        fs::read_to_string(&user_file).unwrap(),
        "mine\n",
        "files platc did not write are kept"
    );

    // A spec without the bloom-validator service: its file is pruned, nothing else is.
    let smaller = dir.path().join("smaller.toml");
    let source = fs::read_to_string(&spec).unwrap();
    let start = source.find("[services.bloom-validator]").unwrap();
    let end = source.find("[services.adaptive-engine]").unwrap();
    let mut trimmed = format!("{}{}", &source[..start], &source[end..]);
    trimmed = trimmed.replace("\"bloom-validator\", ", "");
    fs::write(&smaller, trimmed).unwrap();
    let pruned = platc(&["build", &smaller.to_string_lossy(), "-o", &out_str]);
    assert_eq!(pruned.status.code(), Some(0), "{}", text(&pruned.stderr));
    let files = files_under(&out);
    assert!(!files.iter().any(|f| f.contains("bloom-validator")), "{files:?}");
    assert!(files.contains(&"kubernetes/production/notes.txt".to_string()));
}

#[test]
fn build_refuses_to_overwrite_a_file_it_did_not_generate() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    fs::create_dir_all(out.join("kubernetes/production")).unwrap();
    fs::write(out.join("kubernetes/production/namespace.yaml"), "precious\n").unwrap();
    let output = platc(&[
        "build",
        &example("learning-assistant.toml"),
        "-o",
        &out.to_string_lossy(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("was not generated by platc"),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(
        fs::read_to_string(out.join("kubernetes/production/namespace.yaml")).unwrap(),
        "precious\n"
    );
    assert_eq!(
        files_under(&out),
        vec![".platc-lock", "kubernetes/production/namespace.yaml"],
        "nothing else was written (the lock file aside)"
    );
}

#[test]
fn an_invalid_spec_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let output = platc(&["build", &invalid("quota-exceeded.toml"), "-o", &out.to_string_lossy()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(!out.exists());
}

#[test]
fn schema_is_a_json_schema_of_the_spec() {
    let output = platc(&["schema"]);
    assert_eq!(output.status.code(), Some(0));
    let schema: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(schema["required"], serde_json::json!(["platform"]));
    let service = &schema["$defs"]["RawService"];
    assert_eq!(service["additionalProperties"], false);
    assert!(service["properties"]["autoscale"].is_object());
}

#[test]
fn explain_describes_a_code() {
    let output = platc(&["explain", "E0070"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(text(&output.stdout).starts_with("E0070: an environment's quota cannot hold the platform at full scale"));
    assert_eq!(platc(&["explain", "E9999"]).status.code(), Some(2));
}

#[test]
fn an_environment_with_nothing_to_scrape_builds() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec.toml");
    let source = "[platform]\nname = \"x\"\n[environments.prod]\n[services.w]\nimage = \"w:1\"\nreplicas = 2\nmetrics = false\nprobes = { command = [\"true\"] }\n";
    fs::write(&spec, source).unwrap();
    let out = dir.path().join("out");
    let output = platc(&["build", &spec.to_string_lossy(), "-o", &out.to_string_lossy()]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let scrape = fs::read_to_string(out.join("prometheus/prod/scrape.yaml")).unwrap();
    assert!(scrape.contains("scrape_configs: []"), "{scrape}");
}

#[test]
fn the_readme_example_compiles() {
    let readme = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme.find("```toml\n").expect("the README shows a spec") + "```toml\n".len();
    let end = start + readme[start..].find("```").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("readme.toml");
    fs::write(&spec, &readme[start..end]).unwrap();
    let output = platc(&["check", &spec.to_string_lossy()]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
}
