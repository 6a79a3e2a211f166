//! Secrets on both targets (SPEC §3, §8): environment variables by reference by default,
//! read-only files with `<NAME>_FILE` under `secret_files = true`, identically on Kubernetes
//! and Compose; never a value in any output. Also: autoscaled Deployments set no replicas.

use std::path::Path;

use serde_json::Value;

fn files() -> Vec<platc::render::OutputFile> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/atelier.toml");
    let text = std::fs::read_to_string(path).unwrap();
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("specs");
    let Ok(compilation) = platc::compile_in(&text, &specs) else {
        panic!("atelier.toml does not compile")
    };
    let Ok(files) = platc::render(&compilation.platform) else {
        panic!("atelier.toml does not render")
    };
    files
}

fn documents(files: &[platc::render::OutputFile], path: &str) -> Vec<Value> {
    let file = files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} missing"));
    serde_norway::Deserializer::from_str(&file.contents)
        .map(|document| serde::Deserialize::deserialize(document).unwrap())
        .collect()
}

fn deployment(files: &[platc::render::OutputFile], service: &str) -> Value {
    let path = format!("kubernetes/prod/services/{service}.yaml");
    documents(files, &path)
        .into_iter()
        .find(|d| d["kind"] == "Deployment")
        .unwrap()
}

#[test]
fn kubernetes_secrets_are_secret_key_refs_by_default() {
    let web = deployment(&files(), "web");
    let pod = &web["spec"]["template"]["spec"];
    let env = pod["containers"][0]["env"].as_array().unwrap();
    let database = env.iter().find(|v| v["name"] == "DATABASE_URL").unwrap();
    assert_eq!(database["valueFrom"]["secretKeyRef"]["name"], "atelier-db");
    assert_eq!(database["valueFrom"]["secretKeyRef"]["key"], "url");
    assert!(env.iter().all(|v| !v["name"].as_str().unwrap().ends_with("_FILE")));
    let volumes = pod["volumes"].as_array().unwrap();
    assert!(volumes.iter().all(|v| v.get("projected").is_none()), "{volumes:?}");
}

#[test]
fn kubernetes_secret_files_are_read_only_files() {
    let render = deployment(&files(), "render");
    let pod = &render["spec"]["template"]["spec"];
    let container = &pod["containers"][0];
    let env = container["env"].as_array().unwrap();
    assert!(env.iter().all(|v| v.get("valueFrom").is_none()));
    let path = env.iter().find(|v| v["name"] == "S3_SECRET_KEY_FILE").unwrap()["value"].clone();
    assert_eq!(path, "/var/run/secrets/platc/S3_SECRET_KEY");
    let mount = container["volumeMounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "secrets")
        .unwrap();
    assert_eq!(mount["readOnly"], true);
    assert_eq!(mount["mountPath"], "/var/run/secrets/platc");
    let sources = &pod["volumes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "secrets")
        .unwrap()["projected"]["sources"];
    let object_store = sources
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["secret"]["name"] == "object-store")
        .unwrap();
    assert_eq!(object_store["secret"]["items"][0]["key"], "secret-key");
    assert_eq!(object_store["secret"]["items"][0]["path"], "S3_SECRET_KEY");
}

#[test]
fn compose_secret_files_come_from_the_environment_with_the_same_paths() {
    let files = files();
    let compose = &documents(&files, "compose/local/compose.yaml")[0];
    let render = &compose["services"]["render"];
    assert_eq!(
        render["environment"]["S3_SECRET_KEY_FILE"],
        "/var/run/secrets/platc/S3_SECRET_KEY"
    );
    assert!(render["environment"].get("S3_SECRET_KEY").is_none());
    let mounts = render["secrets"].as_array().unwrap();
    assert!(mounts.contains(&serde_json::json!({
        "source": "S3_SECRET_KEY", "target": "/var/run/secrets/platc/S3_SECRET_KEY"
    })));
    assert_eq!(
        compose["secrets"]["S3_SECRET_KEY"],
        serde_json::json!({ "environment": "S3_SECRET_KEY" })
    );
    // The service without `secret_files` still reads the value from a required variable.
    let web = compose["services"]["web"]["environment"]["DATABASE_URL"]
        .as_str()
        .unwrap();
    assert!(web.starts_with("${DATABASE_URL:?"), "{web}");
}

#[test]
fn autoscaled_deployments_leave_replicas_to_the_autoscaler() {
    let files = files();
    assert!(deployment(&files, "web")["spec"].get("replicas").is_none());
    assert_eq!(deployment(&files, "render")["spec"]["replicas"], 2);
}
