//! SPEC §6: every string from the spec reaches the output verbatim, whatever characters it
//! holds. The generated YAML is parsed back and compared with the strings in the spec.

use std::path::Path;

fn spec_text() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/edge-cases.toml")).unwrap()
}

/// The values as TOML itself reads them.
fn spec_value(path: &[&str]) -> String {
    let mut value: toml::Value = toml::from_str(&spec_text()).unwrap();
    for key in path {
        value = value.get(*key).unwrap_or_else(|| panic!("no {key}")).clone();
    }
    value.as_str().unwrap().to_string()
}

fn documents(file: &str) -> Vec<serde_json::Value> {
    let compilation = platc::compile(&spec_text()).expect("edge-cases.toml compiles");
    let files = platc::render(&compilation.platform).expect("edge-cases.toml renders");
    let text = &files
        .iter()
        .find(|f| f.path == file)
        .unwrap_or_else(|| panic!("no {file}"))
        .contents;
    platc::verify::yaml_documents(text).unwrap()
}

fn deployment(file: &str) -> serde_json::Value {
    documents(file).into_iter().find(|d| d["kind"] == "Deployment").unwrap()
}

#[test]
fn env_values_survive_yaml_verbatim() {
    let expected = spec_value(&["services", "api", "env", "GREETING"]);
    assert!(
        expected.contains('\n') && expected.contains("${HOME}") && expected.contains("# c"),
        "the spec holds the nasty value"
    );
    let deployment = deployment("kubernetes/prod/services/api.yaml");
    let env = deployment["spec"]["template"]["spec"]["containers"][0]["env"]
        .as_array()
        .unwrap();
    let greeting = env.iter().find(|e| e["name"] == "GREETING").unwrap();
    assert_eq!(greeting["value"].as_str().unwrap(), expected);
    let empty = env.iter().find(|e| e["name"] == "EMPTY").unwrap();
    assert_eq!(empty["value"], "", "an empty string stays a string, not null");
}

#[test]
fn args_annotations_and_labels_survive_verbatim() {
    let deployment = deployment("kubernetes/prod/services/api.yaml");
    let pod = &deployment["spec"]["template"];
    let args: Vec<&str> = pod["spec"]["containers"][0]["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(args, ["serve", "--listen=:8443", "--banner=yes: no # not a comment"]);
    assert_eq!(
        pod["metadata"]["annotations"]["example.com/owner"],
        spec_value(&["services", "api", "annotations", "example.com/owner"])
    );
    assert_eq!(
        pod["metadata"]["labels"]["sidecar.istio.io/inject"], "false",
        "a string, not a YAML boolean"
    );
}

#[test]
fn engine_settings_are_quoted_for_their_config_format() {
    let config_map = documents("kubernetes/prod/datastores/postgres.yaml")
        .into_iter()
        .find(|d| d["kind"] == "ConfigMap")
        .unwrap();
    let conf = config_map["data"]["postgresql.conf"].as_str().unwrap();
    assert!(
        conf.contains("search_path = '''$user'', public'\n"),
        "single quotes doubled: {conf}"
    );
    assert!(conf.contains("ssl = 'off'\n"), "booleans in postgres' words: {conf}");
}

#[test]
fn map_values_written_whole_survive_verbatim() {
    // Annotations are written by the templates' `tojson` (an object's labels, which the
    // checks keep to Kubernetes' label syntax, by `serde_json`: `json_text`), which escapes
    // otherwise than the formatter (`'`, `<`, `>` and `&` as `\u` escapes, U+2028 raw): the
    // YAML must still hold the spec's string exactly.
    let hostile = r#"it's <b>&amp;</b> \u2028 \"q\" \\ \u007f 😀 end"#;
    let text = spec_text().replace(r#""team: payments # on-call""#, &format!("\"{hostile}\""));
    assert_ne!(text, spec_text(), "the annotation was replaced");
    let spec: toml::Value = toml::from_str(&text).unwrap();
    let expected = spec["services"]["api"]["annotations"]["example.com/owner"]
        .as_str()
        .unwrap();
    assert!(expected.contains('\u{2028}') && expected.contains('\'') && expected.contains('\u{7f}'));
    let compilation = platc::compile(&text).expect("compiles");
    let files = platc::render(&compilation.platform).expect("renders");
    let file = files
        .iter()
        .find(|f| f.path == "kubernetes/prod/services/api.yaml")
        .expect("the service's file");
    let deployment = platc::verify::yaml_documents(&file.contents)
        .unwrap()
        .into_iter()
        .find(|d| d["kind"] == "Deployment")
        .unwrap();
    assert_eq!(
        deployment["spec"]["template"]["metadata"]["annotations"]["example.com/owner"],
        expected
    );
}
