//! Contract-v2 workloads through the binary: config files read relative to the spec and
//! embedded verbatim, `--check` noticing a changed config file, `--image` overrides, and
//! every new error located by file, line and column (`check --format json`).

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn platc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_platc"))
        .args(args)
        .output()
        .expect("platc runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A file's content no template or escaper may change: `$`, `{{ }}`, quotes, trailing
/// spaces, tabs, non-ASCII, CRLF, no final newline.
const HOSTILE: &str =
    "a $HOME ${X} $$ {{ braces }} {% raw %} 'single' \"double\"   \n\ttab: yes # no\r\n\u{e9}😀 no newline  ";

const SPEC: &str = r#"[platform]
name = "shop"

[environments.dev]
targets = ["kubernetes", "compose"]
monitoring = false

[services.web]
image = "example/web:1.0.0"
port = 8080
replicas = 2
probes = { readiness = "/ready" }
files = { "/etc/web/app.conf" = "conf/app.conf" }

[jobs.nightly]
image = "example/nightly:1.0.0"
schedule = "0 3 * * *"
files = { "/etc/nightly/app.conf" = "conf/app.conf" }
"#;

fn project(spec: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("conf")).unwrap();
    fs::write(dir.path().join("conf/app.conf"), HOSTILE).unwrap();
    fs::write(dir.path().join("platform.toml"), spec).unwrap();
    dir
}

fn build(dir: &Path, extra: &[&str]) -> Output {
    let spec = dir.join("platform.toml");
    let out = dir.join("out");
    let mut args = vec!["build", spec.to_str().unwrap(), "-o", out.to_str().unwrap()];
    args.extend(extra);
    platc(&args)
}

fn documents(path: &Path) -> Vec<Value> {
    let text = fs::read_to_string(path).unwrap();
    serde_norway::Deserializer::from_str(&text)
        .map(|d| serde::Deserialize::deserialize(d).unwrap())
        .collect()
}

#[test]
fn config_files_reach_both_targets_verbatim_and_mounted_read_only() {
    let dir = project(SPEC);
    let output = build(dir.path(), &[]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let out = dir.path().join("out");
    let web = documents(&out.join("kubernetes/dev/services/web.yaml"));
    let config = web.iter().find(|d| d["kind"] == "ConfigMap").unwrap();
    assert_eq!(config["metadata"]["name"], "web-files");
    assert_eq!(config["data"]["etc-web-app.conf"], HOSTILE);
    let deployment = web.iter().find(|d| d["kind"] == "Deployment").unwrap();
    let pod = &deployment["spec"]["template"];
    let mount = pod["spec"]["containers"][0]["volumeMounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "config-files")
        .unwrap()
        .clone();
    assert_eq!(mount["mountPath"], "/etc/web/app.conf");
    assert_eq!(mount["subPath"], "etc-web-app.conf");
    assert_eq!(mount["readOnly"], true);
    let hash = pod["metadata"]["annotations"]["platc.dev/config-hash"]
        .as_str()
        .unwrap()
        .to_string();
    let job = documents(&out.join("kubernetes/dev/jobs/nightly.yaml"));
    let job_config = job.iter().find(|d| d["kind"] == "ConfigMap").unwrap();
    assert_eq!(job_config["data"]["etc-nightly-app.conf"], HOSTILE);
    let copy = fs::read_to_string(out.join("compose/dev/files/web/etc/web/app.conf")).unwrap();
    assert_eq!(copy, HOSTILE);
    let compose = &documents(&out.join("compose/dev/compose.yaml"))[0];
    let volumes = compose["services"]["web"]["volumes"].as_array().unwrap();
    assert_eq!(
        volumes,
        &[Value::from("./files/web/etc/web/app.conf:/etc/web/app.conf:ro")]
    );
    // A changed file: `--check` sees the drift, the hash changes, the rebuild is clean again.
    fs::write(dir.path().join("conf/app.conf"), format!("{HOSTILE}!")).unwrap();
    let check = build(dir.path(), &["--check"]);
    assert_eq!(check.status.code(), Some(1), "{}", text(&check.stderr));
    assert!(
        text(&check.stderr).contains("changed: kubernetes/dev/services/web.yaml"),
        "{}",
        text(&check.stderr)
    );
    assert!(text(&check.stderr).contains("changed: compose/dev/files/web/etc/web/app.conf"));
    assert!(build(dir.path(), &[]).status.success());
    let rebuilt = documents(&out.join("kubernetes/dev/services/web.yaml"));
    let pod = &rebuilt.iter().find(|d| d["kind"] == "Deployment").unwrap()["spec"]["template"];
    assert_ne!(pod["metadata"]["annotations"]["platc.dev/config-hash"], hash.as_str());
    assert!(build(dir.path(), &["--check"]).status.success());
}

#[test]
fn compose_runs_jobs_only_on_demand() {
    let dir = project(SPEC);
    assert!(build(dir.path(), &[]).status.success());
    let compose = &documents(&dir.path().join("out/compose/dev/compose.yaml"))[0];
    let nightly = &compose["services"]["nightly"];
    assert_eq!(nightly["profiles"], serde_json::json!(["jobs"]));
    assert_eq!(nightly["restart"], "no");
    assert!(compose["services"]["web"].get("profiles").is_none());
}

#[test]
fn image_overrides_replace_images_everywhere_and_check_compares_like_for_like() {
    let dir = project(SPEC);
    let digest = "registry.example.com/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    let flag = format!("web={digest}");
    let output = build(
        dir.path(),
        &["--image", &flag, "--image", "nightly=example/nightly:2.0.0"],
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    let out = dir.path().join("out");
    let web = fs::read_to_string(out.join("kubernetes/dev/services/web.yaml")).unwrap();
    assert!(web.contains(digest) && !web.contains("example/web:1.0.0"));
    let compose = fs::read_to_string(out.join("compose/dev/compose.yaml")).unwrap();
    assert!(compose.contains(digest) && compose.contains("example/nightly:2.0.0"));
    let same = build(
        dir.path(),
        &["--check", "--image", &flag, "--image", "nightly=example/nightly:2.0.0"],
    );
    assert!(same.status.success(), "{}", text(&same.stderr));
    let without = build(dir.path(), &["--check"]);
    assert_eq!(without.status.code(), Some(1));
}

#[test]
fn image_override_errors_are_usage_errors() {
    let dir = project(SPEC);
    let unknown = build(dir.path(), &["--image", "api=example/api:1"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        text(&unknown.stderr).contains("no service or job `api` (it has: nightly, web)"),
        "{}",
        text(&unknown.stderr)
    );
    let malformed = build(dir.path(), &["--image", "web=Example/Web:1"]);
    assert_eq!(malformed.status.code(), Some(2));
    assert!(
        text(&malformed.stderr).contains("is not an image reference"),
        "{}",
        text(&malformed.stderr)
    );
    let no_equals = build(dir.path(), &["--image", "web"]);
    assert_eq!(no_equals.status.code(), Some(2));
    assert!(!dir.path().join("out").exists(), "a usage error writes nothing");
}

/// (code, line, column) of every error `check --format json` reports for `spec`.
fn located(spec: &str) -> Vec<(String, u64, u64)> {
    let dir = project(spec);
    fs::create_dir_all(dir.path().join("conf/a-folder")).unwrap();
    fs::write(dir.path().join("conf/big"), vec![b'x'; 1024 * 1024 + 1]).unwrap();
    fs::write(dir.path().join("conf/binary"), [0xff, 0xfe, 0x00]).unwrap();
    let spec_path = dir.path().join("platform.toml");
    let output = platc(&["check", spec_path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let diagnostics: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    diagnostics
        .iter()
        .filter(|d| d["severity"] == "error")
        .inspect(|d| assert!(d["file"].as_str().unwrap().ends_with("platform.toml")))
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn file_errors_are_located() {
    let spec = r#"[platform]
name = "shop"
[environments.dev]
[services.web]
image = "example/web:1.0.0"
files = { "etc/x" = "conf/app.conf", "/a" = "conf/missing", "/b" = "conf/a-folder" }
[services.api]
image = "example/api:1.0.0"
files = { "/c" = "conf/big", "/d" = "conf/binary", "/e/" = "conf/app.conf", "/e" = "conf/app.conf", "/f" = "/etc/passwd" }
"#;
    let found = located(spec);
    let want = [
        ("E0062", 6, 21),  // relative container path
        ("E0062", 6, 45),  // missing source
        ("E0062", 6, 68),  // a directory
        ("E0062", 9, 18),  // over 1 MiB
        ("E0062", 9, 37),  // not UTF-8
        ("E0062", 9, 60),  // `/e/` is not a plain path ...
        ("E0062", 9, 60),  // ... and mounts `/e` a second time
        ("E0062", 9, 108), // an absolute source
    ];
    let want: Vec<(String, u64, u64)> = want.iter().map(|(c, l, k)| ((*c).to_string(), *l, *k)).collect();
    assert_eq!(found, want);
}

#[test]
fn workload_key_errors_are_located() {
    let spec = r#"[platform]
name = "shop"
[environments.dev]
[services.web]
image = "example/web:1.0.0"
port = 8080
service_port = 70000
ports = { grpc = 8080, http = 9000, "Bad_Name" = 9001 }
probes = { readiness = "/ready", timeout = "1500ms", failures = 0 }
termination_grace = "soon"
migrate = { image = "example/migrate:1" }
[jobs.nightly]
image = "example/nightly:1.0.0"
schedule = "0 7 * * mon-"
timezone = "Europe/Atlantis"
deadline = "0s"
retries = -1
"#;
    let found = located(spec);
    let want = [
        ("E0050", 7, 16),
        ("E0050", 8, 18),
        ("E0050", 8, 31),
        ("E0050", 8, 50),
        ("E0022", 9, 44),
        ("E0022", 9, 65),
        ("E0022", 10, 21),
        ("E0003", 11, 11),
        ("E0023", 14, 12),
        ("E0023", 15, 12),
        ("E0022", 16, 12),
        ("E0022", 17, 11),
    ];
    let want: Vec<(String, u64, u64)> = want.iter().map(|(c, l, k)| ((*c).to_string(), *l, *k)).collect();
    assert_eq!(found, want);
}
