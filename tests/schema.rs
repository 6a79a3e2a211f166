//! `platc schema` is useful to editors and means what platc means: every key has a
//! description, every spec platc compiles (converted from TOML to JSON) is valid against it,
//! and a sample of bad values is rejected by it — and by `platc check`, with the code the
//! contract names (the schema's value keywords are for editors; `src/spec/schema.rs` says why).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn platc(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_platc"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("platc runs");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(stdin.as_bytes())
        .expect("platc reads its stdin");
    child.wait_with_output().expect("platc finishes")
}

fn schema() -> Value {
    let output = platc(&["schema"], "");
    assert_eq!(output.status.code(), Some(0));
    serde_json::from_slice(&output.stdout).expect("`platc schema` prints JSON")
}

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&schema()).expect("`platc schema` is a valid JSON Schema")
}

fn as_json(toml_text: &str) -> Value {
    let document: toml::Value = toml::from_str(toml_text).expect("the spec is TOML");
    serde_json::to_value(document).expect("TOML converts to JSON")
}

/// The schema's complaints about `toml_text`, one line each.
fn schema_errors(validator: &jsonschema::Validator, toml_text: &str) -> Vec<String> {
    let instance = as_json(toml_text);
    validator
        .iter_errors(&instance)
        .map(|error| format!("{}: {error}", error.instance_path()))
        .collect()
}

fn specs_in(folder: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    specs.sort();
    specs
}

/// Every table's keys, wherever the table's schema is written (`$defs`, the root, inline).
fn properties_without_description(schema: &Value, at: &str, missing: &mut Vec<String>) {
    match schema {
        Value::Object(map) => {
            if let Some(Value::Object(properties)) = map.get("properties") {
                for (key, property) in properties {
                    let described = property
                        .get("description")
                        .and_then(Value::as_str)
                        .is_some_and(|text| !text.trim().is_empty());
                    if !described {
                        missing.push(format!("{at}.{key}"));
                    }
                }
            }
            for (key, value) in map {
                properties_without_description(value, &format!("{at}/{key}"), missing);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                properties_without_description(item, &format!("{at}/{index}"), missing);
            }
        }
        _ => {}
    }
}

#[test]
fn every_key_of_the_schema_has_a_description() {
    let schema = schema();
    let mut missing = Vec::new();
    properties_without_description(&schema, "#", &mut missing);
    assert!(missing.is_empty(), "keys without a description: {missing:#?}");
    let defs = schema["$defs"].as_object().expect("the schema has $defs");
    assert!(defs.len() > 20, "the walk saw the spec's types: {}", defs.len());
    let tables_without: Vec<&String> = defs
        .iter()
        .filter(|(_, def)| def.get("properties").is_some() && def.get("description").is_none())
        .map(|(name, _)| name)
        .collect();
    assert!(
        tables_without.is_empty(),
        "tables without a description: {tables_without:?}"
    );
}

#[test]
fn descriptions_say_the_default_or_that_the_key_is_required() {
    let schema = schema();
    let mut vague = Vec::new();
    let mut visit = |table: &str, properties: &serde_json::Map<String, Value>| {
        for (key, property) in properties {
            let text = property["description"].as_str().unwrap_or_default();
            let told = ["Default", "required", "Example"]
                .iter()
                .any(|word| text.contains(word));
            if !told {
                vague.push(format!("{table}.{key}: {text}"));
            }
        }
    };
    visit("#", schema["properties"].as_object().expect("root properties"));
    for (name, def) in schema["$defs"].as_object().expect("$defs") {
        if let Some(properties) = def.get("properties").and_then(Value::as_object) {
            visit(name, properties);
        }
    }
    assert!(
        vague.is_empty(),
        "descriptions with neither a default, an example nor `required`: {vague:#?}"
    );
}

#[test]
fn the_schema_is_made_for_editors() {
    let schema = schema();
    assert_eq!(schema["$id"], "urn:platc:spec:v1");
    assert_eq!(schema["title"], "platc platform spec");
    let text = schema.to_string();
    assert!(!text.contains("\"null\""), "no optional key is typed [T, \"null\"]");
    assert_eq!(schema["required"], serde_json::json!(["platform"]));
    let service = &schema["properties"]["services"];
    assert_eq!(
        service["additionalProperties"]["required"],
        serde_json::json!(["image"])
    );
    assert_eq!(service["propertyNames"]["maxLength"], 63);
    let port = &schema["$defs"]["RawService"]["properties"]["port"];
    assert_eq!(
        (port["minimum"].as_i64(), port["maximum"].as_i64()),
        (Some(1), Some(65535))
    );
}

#[test]
fn every_spec_of_the_project_is_valid_against_the_schema() {
    let validator = validator();
    let specs: Vec<PathBuf> = ["specs", "specs/examples", "specs/next"]
        .iter()
        .flat_map(|folder| specs_in(folder))
        .collect();
    assert!(specs.len() >= 15, "{specs:?}");
    for spec in specs {
        let text = std::fs::read_to_string(&spec).expect("the spec is readable");
        let errors = schema_errors(&validator, &text);
        assert!(errors.is_empty(), "{}: {errors:#?}", spec.display());
    }
}

const VALID: &str = r#"
[platform]
name = "shop"

[environments.production]
[environments.staging.services.web]
replicas = 1

[services.web]
image = "shop/web:1.0.0"
port = 8080
replicas = 2
probes = { readiness = "/ready" }
resources = { cpu = "250m", memory = "512Mi" }
termination_grace = "30s"
spread = "zone"
slo = { availability = 99.9 }

[datastores.db]
engine = "postgres"
"#;

#[test]
fn a_sample_of_bad_values_is_rejected_by_the_schema_and_by_check() {
    let validator = validator();
    assert_eq!(
        schema_errors(&validator, VALID),
        Vec::<String>::new(),
        "the base is valid"
    );
    let check = platc(&["check", "-"], VALID);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );

    let cases = [
        ("port = 8080", "port = 70000", "/services/web/port", "E0050"),
        (
            "memory = \"512Mi\"",
            "memory = \"512mb\"",
            "/services/web/resources/memory",
            "E0020",
        ),
        (
            "availability = 99.9",
            "availability = 0.999",
            "/services/web/slo/availability",
            "E0080",
        ),
        (
            "availability = 99.9",
            "availability = 120",
            "/services/web/slo/availability",
            "E0080",
        ),
        ("[services.web]", "[services.Bad_Name]", "/services", "E0010"),
        ("name = \"shop\"", "name = \"Bad_Name\"", "/platform/name", "E0010"),
        (
            "spread = \"zone\"",
            "spread = \"rack\"",
            "/services/web/spread",
            "E0003",
        ),
        (
            "engine = \"postgres\"",
            "engine = \"mysql\"",
            "/datastores/db/engine",
            "E0003",
        ),
        (
            "termination_grace = \"30s\"",
            "termination_grace = \"5 minutes\"",
            "/services/web/termination_grace",
            "E0022",
        ),
        ("image = \"shop/web:1.0.0\"\n", "", "/services/web", "E0003"),
    ];
    for (good, bad, path, code) in cases {
        assert!(VALID.contains(good), "{good}");
        let spec = VALID.replacen(good, bad, 1);
        let errors = schema_errors(&validator, &spec);
        assert!(
            errors.iter().any(|error| error.starts_with(&format!("{path}:"))),
            "{bad}: the schema should reject {path}, found {errors:#?}"
        );
        let check = platc(&["check", "-"], &spec);
        let stderr = String::from_utf8_lossy(&check.stderr);
        assert_eq!(check.status.code(), Some(1), "{bad}: {stderr}");
        assert!(
            stderr.contains(&format!("[{code}]")),
            "{bad}: expected {code}, found {stderr}"
        );
    }
}

#[test]
fn an_override_may_leave_out_what_the_base_table_requires() {
    // `[environments.staging.services.web]` has no image, and must not need one.
    let validator = validator();
    let errors = schema_errors(&validator, VALID);
    assert!(errors.is_empty(), "{errors:#?}");
    let without_base = VALID.replacen("[services.web]\nimage = \"shop/web:1.0.0\"\n", "[services.web]\n", 1);
    let errors = schema_errors(&validator, &without_base);
    assert_eq!(errors.len(), 1, "only the base service lacks its image: {errors:#?}");
}
