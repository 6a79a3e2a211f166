//! Typed data → block-style YAML whose strings are written like the templates' (`yaml_scalar`):
//! plain where every parser reads them back as the same string, double-quoted otherwise, so no
//! value is ever read back as a number, a boolean or a YAML 1.1 sexagesimal (`"02:00"`). For
//! outputs built as data rather than templates.
//! Fields keep their declaration order (`serde_norway`'s value is an ordered mapping).

use serde_norway::Value;

use super::templates::yaml_scalar;

/// `data` (a struct or map) as a YAML document.
pub fn document(data: &impl serde::Serialize) -> Result<String, String> {
    let value = serde_norway::to_value(data).map_err(|e| e.to_string())?;
    let mut out = String::new();
    write(&mut out, &value, 0);
    Ok(out)
}

fn write(out: &mut String, value: &Value, indent: usize) {
    let pad = " ".repeat(indent);
    match value {
        Value::Mapping(map) => {
            for (key, item) in map {
                out.push_str(&format!("{pad}{}:", scalar_text(key)));
                nested(out, item, indent + 2);
            }
        }
        Value::Sequence(items) => {
            for item in items {
                out.push_str(&format!("{pad}-"));
                match item {
                    // The first key goes on the dash's line; the rest align with it.
                    Value::Mapping(map) if !map.is_empty() => {
                        let mut inner = String::new();
                        write(&mut inner, item, indent + 2);
                        out.push(' ');
                        out.push_str(inner.trim_start());
                    }
                    _ => nested(out, item, indent + 2),
                }
            }
        }
        scalar => out.push_str(&format!("{pad}{}\n", scalar_text(scalar))),
    }
}

/// After `key:` or `-`: a scalar or empty collection on the same line, else a block below.
fn nested(out: &mut String, value: &Value, indent: usize) {
    match value {
        Value::Mapping(map) if !map.is_empty() => {
            out.push('\n');
            write(out, value, indent);
        }
        Value::Sequence(items) if !items.is_empty() => {
            out.push('\n');
            write(out, value, indent);
        }
        Value::Mapping(_) => out.push_str(" {}\n"),
        Value::Sequence(_) => out.push_str(" []\n"),
        scalar => out.push_str(&format!(" {}\n", scalar_text(scalar))),
    }
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(text) => yaml_scalar(text).into_owned(),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => number.to_string(),
        Value::Null => "null".to_string(),
        Value::Tagged(tagged) => scalar_text(&tagged.value),
        Value::Sequence(_) | Value::Mapping(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::document;

    #[test]
    fn reads_back_as_the_same_data_with_every_string_a_string() {
        let value = serde_json::json!({
            "times": [{ "start_time": "02:00", "end_time": "24:00" }],
            "flags": ["yes", "no", "on", "1e3", "#x", "a: b", "multi\nline"],
            "empty": [], "none": {}, "n": 3, "t": true,
            "label/key.io": { "weird key: x": "v" },
            "nested": [[1, 2], { "a": [{ "b": "c", "d": "e" }] }],
        });
        let text = document(&value).unwrap();
        let back = crate::verify::yaml_documents(&text).unwrap().remove(0);
        assert_eq!(back, value, "{text}");
        assert!(text.contains("start_time: \"02:00\""), "{text}");
        assert!(
            text.contains("label/key.io:\n") && text.contains("\"weird key: x\": v\n"),
            "{text}"
        );
    }
}
