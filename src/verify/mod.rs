//! Stage 5, verify: every rendered file is parsed back and type-checked before anything is
//! written. A failure here is a bug in platc, never in the spec. Kubernetes objects and
//! Prometheus rule files are checked as they are rendered, from the JSON their templates write
//! (`kubernetes::objects`, `prometheus::rule_file`), before the YAML writer prints them; this
//! stage reads every other file back from its text.

mod alertmanager;
mod alertmanager_config;
mod cnpg;
mod compose;
mod grafana;
pub(crate) mod kubernetes;
mod monitoring;
pub(crate) mod prometheus;
mod rollouts;
mod shapes;
mod unique;

use crate::render::OutputFile;
use crate::render::json::Node;

/// A rendered file that does not parse back into its type.
#[derive(Debug)]
pub struct VerifyError {
    pub path: String,
    pub message: String,
}

/// Verifies every file, spread over the machine's cores (verification dominates build time).
pub fn verify(files: &[OutputFile]) -> Result<(), VerifyError> {
    let workers = crate::parallel::cores();
    let chunk = files.len().div_ceil(workers).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| scope.spawn(move || verify_files(part)))
            .collect();
        handles.into_iter().try_for_each(|handle| {
            handle.join().unwrap_or_else(|_| {
                Err(VerifyError {
                    path: String::new(),
                    message: "verifier panicked".into(),
                })
            })
        })
    })
}

fn verify_files(files: &[OutputFile]) -> Result<(), VerifyError> {
    for file in files {
        let fail = |message: String| VerifyError {
            path: file.path.clone(),
            message,
        };
        if is_config_copy(&file.path) {
            continue; // the user's own config file, copied verbatim: any text is valid
        }
        if file.path.starts_with("kubernetes/") {
            // Verified as it was rendered: every object of the JSON its template wrote was read
            // into its type (`kubernetes::objects`) before the one YAML writer printed it.
            continue;
        }
        if file.path.ends_with("/compose.yaml") && file.path.starts_with("compose/") {
            compose::verify(&file.contents).map_err(fail)?;
        } else if is_target_file(&file.path, "prometheus", "/rules.yaml") {
            // Verified as it was rendered, from its JSON (`render::prometheus::rules`).
        } else if file.path.starts_with("prometheus/") && file.path.ends_with("/scrape.yaml") {
            prometheus::verify_scrape(&file.contents).map_err(fail)?;
        } else if is_target_file(&file.path, "alertmanager", "/alertmanager.yaml") {
            alertmanager::verify(&file.contents).map_err(fail)?;
        } else if is_target_file(&file.path, "grafana", ".json") {
            grafana::verify(&file.contents).map_err(fail)?;
        } else if file.path.ends_with(".yaml") || file.path.ends_with(".yml") {
            yaml_documents(&file.contents).map_err(fail)?;
        } else if file.path.ends_with(".json") {
            serde_json::from_str::<serde_json::Value>(&file.contents).map_err(|e| fail(e.to_string()))?;
        }
    }
    Ok(())
}

/// `compose/<env>/files/…`: a copy of a `files` source that the Compose stack mounts.
fn is_config_copy(path: &str) -> bool {
    let mut parts = path.splitn(4, '/');
    parts.next() == Some("compose") && parts.next().is_some() && parts.next() == Some("files")
}

/// A file of a target, or its copy that a Compose stack mounts (`compose/<env>/<target>/…`).
fn is_target_file(path: &str, target: &str, suffix: &str) -> bool {
    let in_target = path.starts_with(&format!("{target}/"))
        || (path.starts_with("compose/") && path.contains(&format!("/{target}/")));
    in_target && path.ends_with(suffix)
}

/// Every YAML document of a file, as JSON values; a mapping that names a key twice is an error.
pub fn yaml_documents(text: &str) -> Result<Vec<serde_json::Value>, String> {
    use serde::Deserialize;
    serde_norway::Deserializer::from_str(text)
        .map(|document| {
            unique::Unique::deserialize(document)
                .map(|unique| unique.0)
                .map_err(|e| e.to_string())
        })
        .filter(|document| !matches!(document, Ok(serde_json::Value::Null)))
        .collect()
}

/// Deserializes `value` (a `serde_json::Value`, or a rendered object's `Node`) into `T`,
/// failing on any field `T` does not know.
pub fn strictly<T: serde::de::DeserializeOwned>(value: impl Strict) -> Result<T, String> {
    value.read_strictly()
}

/// A value that reads into a type, failing on any field the type does not know (a field its
/// deserializer skips, as `k8s-openapi`'s and serde's without `deny_unknown_fields` do).
pub trait Strict {
    fn read_strictly<T: serde::de::DeserializeOwned>(self) -> Result<T, String>;
}

/// A `serde_json::Value` is read through `serde_ignored`, which names every skipped field.
impl Strict for serde_json::Value {
    fn read_strictly<T: serde::de::DeserializeOwned>(self) -> Result<T, String> {
        let mut unknown = Vec::new();
        let typed =
            serde_ignored::deserialize(self, |path| unknown.push(path.to_string())).map_err(|e| e.to_string())?;
        if unknown.is_empty() {
            Ok(typed)
        } else {
            Err(format!("unknown fields: {}", unknown.join(", ")))
        }
    }
}

/// A rendered object's `Node` is strict itself (`render::json_de`): a skipped field is an
/// error at its path, with no wrapper around every value read.
impl Strict for Node<'_> {
    fn read_strictly<T: serde::de::DeserializeOwned>(self) -> Result<T, String> {
        T::deserialize(self).map_err(|e| e.to_string())
    }
}
