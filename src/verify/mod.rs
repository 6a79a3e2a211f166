//! Stage 5, verify: every rendered file is parsed back and type-checked before anything is
//! written. A failure here is a bug in platc, never in the spec.

mod compose;
mod kubernetes;

use crate::render::OutputFile;

/// A rendered file that does not parse back into its type.
#[derive(Debug)]
pub struct VerifyError {
    pub path: String,
    pub message: String,
}

pub fn verify(files: &[OutputFile]) -> Result<(), VerifyError> {
    for file in files {
        let fail = |message: String| VerifyError {
            path: file.path.clone(),
            message,
        };
        if file.path.starts_with("kubernetes/") {
            kubernetes::verify(&file.contents).map_err(fail)?;
        } else if file.path.starts_with("compose/") && file.path.ends_with("/compose.yaml") {
            compose::verify(&file.contents).map_err(fail)?;
        } else if file.path.ends_with(".yaml") || file.path.ends_with(".yml") {
            yaml_documents(&file.contents).map_err(fail)?;
        } else if file.path.ends_with(".json") {
            serde_json::from_str::<serde_json::Value>(&file.contents).map_err(|e| fail(e.to_string()))?;
        }
    }
    Ok(())
}

/// Every YAML document of a file, as JSON values.
pub fn yaml_documents(text: &str) -> Result<Vec<serde_json::Value>, String> {
    use serde::Deserialize;
    serde_norway::Deserializer::from_str(text)
        .map(|document| serde_json::Value::deserialize(document).map_err(|e| e.to_string()))
        .filter(|document| !matches!(document, Ok(serde_json::Value::Null)))
        .collect()
}

/// Deserializes `value` into `T`, failing on any field `T` does not know.
pub fn strictly<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T, String> {
    let mut unknown = Vec::new();
    let typed = serde_ignored::deserialize(value, |path| unknown.push(path.to_string())).map_err(|e| e.to_string())?;
    if unknown.is_empty() {
        Ok(typed)
    } else {
        Err(format!("unknown fields: {}", unknown.join(", ")))
    }
}
