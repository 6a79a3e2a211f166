//! `docs/reference.md`: every key of the spec, generated from the JSON Schema that
//! `platc schema` prints (itself generated from the types that read the spec), so the
//! reference cannot disagree with the parser. `tests/reference.rs` fails when the file is
//! stale; `PLATC_BLESS=1 cargo test --test reference` regenerates it.

use std::fmt::Write as _;

use serde_json::Value as Schema;

/// The reference as Markdown: one section per table, one row per key.
pub fn markdown(schema: &Schema) -> String {
    let mut writer = Writer {
        root: schema,
        sections: Vec::new(),
        documented: std::collections::BTreeMap::new(),
    };
    writer.table("", schema);
    let mut out = String::from(
        "# Spec reference\n\n\
         Every key of a platc spec, generated from the same Rust types as `platc schema` (the JSON\n\
         Schema editors use). Do not edit: regenerate with\n\
         `PLATC_BLESS=1 cargo test --test reference`. The rules that relate values to each other\n\
         (quotas, routes, references) are in `platc explain`; the layering of tiers and\n\
         environments in the README.\n",
    );
    for (path, rows) in writer.sections {
        let _ = write!(
            out,
            "\n## {}\n\n| key | type | required | description |\n|---|---|---|---|\n",
            heading(&path)
        );
        for row in rows {
            out.push_str(&row);
        }
    }
    out
}

/// The `$defs` name a property refers to (directly, or as the one non-null alternative).
fn type_name(schema: &Schema) -> Option<&str> {
    let direct = schema.get("$ref").and_then(Schema::as_str);
    let optional = || {
        let branches = schema.get("anyOf")?.as_array()?;
        let real: Vec<&Schema> = branches
            .iter()
            .filter(|b| b.get("type").and_then(Schema::as_str) != Some("null"))
            .collect();
        match real.as_slice() {
            [only] => only.get("$ref").and_then(Schema::as_str),
            _ => None,
        }
    };
    direct.or_else(optional)?.strip_prefix("#/$defs/")
}

/// The value rules a schema states (ranges, patterns, lengths), in words.
fn limits(schema: &Schema) -> String {
    let bound = |key: &str| schema.get(key).and_then(Schema::as_f64);
    let number = |value: f64| format!("{}", (value * 100.0).round() / 100.0);
    let mut rules = Vec::new();
    match (
        bound("minimum"),
        bound("exclusiveMinimum"),
        bound("maximum"),
        bound("exclusiveMaximum"),
    ) {
        (Some(low), _, Some(high), _) => rules.push(format!("{}–{}", number(low), number(high))),
        (None, None, None, None) => {}
        (low, low_open, high, high_open) => {
            let left = low
                .map(|l| format!("[{}", number(l)))
                .or_else(|| low_open.map(|l| format!("({}", number(l))));
            let right = high
                .map(|h| format!("{}]", number(h)))
                .or_else(|| high_open.map(|h| format!("{})", number(h))));
            rules.push(format!(
                "in {}, {}",
                left.unwrap_or_else(|| "(−∞".into()),
                right.unwrap_or_else(|| "∞)".into())
            ));
        }
    }
    if let Some(pattern) = schema.get("pattern").and_then(Schema::as_str) {
        rules.push(format!("matching `{pattern}`"));
    }
    if let Some(length) = schema.get("maxLength").and_then(Schema::as_u64) {
        rules.push(format!("at most {length} characters"));
    }
    if rules.is_empty() {
        String::new()
    } else {
        format!(" ({})", rules.join(", "))
    }
}

fn heading(path: &str) -> String {
    if path.is_empty() {
        "Top level".to_string()
    } else {
        format!("`[{path}]`")
    }
}

struct Writer<'s> {
    root: &'s Schema,
    sections: Vec<(String, Vec<String>)>,
    /// Each named type gets one section; later uses (environment overrides) point to it.
    documented: std::collections::BTreeMap<String, String>,
}

impl<'s> Writer<'s> {
    /// Follows `$ref`s and drops the `null` branch of optional values.
    fn resolve(&self, schema: &'s Schema) -> &'s Schema {
        if let Some(name) = schema
            .get("$ref")
            .and_then(Schema::as_str)
            .and_then(|r| r.strip_prefix("#/$defs/"))
            && let Some(found) = self.root.get("$defs").and_then(|defs| defs.get(name))
        {
            return self.resolve(found);
        }
        if let Some(branches) = schema.get("anyOf").and_then(Schema::as_array) {
            let real: Vec<&Schema> = branches
                .iter()
                .filter(|b| b.get("type").and_then(Schema::as_str) != Some("null"))
                .collect();
            if let [only] = real.as_slice() {
                return self.resolve(only);
            }
        }
        schema
    }

    /// One section; `place` is the schema where the table is used, whose `required` (beside a
    /// `$ref`, such as a base service's `image`) adds to the type's own.
    fn table(&mut self, path: &str, place: &'s Schema) {
        let schema = self.resolve(place);
        let Some(properties) = schema.get("properties").and_then(Schema::as_object) else {
            return;
        };
        let required: Vec<&str> = [place, schema]
            .into_iter()
            .filter_map(|s| s.get("required").and_then(Schema::as_array))
            .flatten()
            .filter_map(Schema::as_str)
            .collect();
        let index = self.sections.len();
        self.sections.push((path.to_string(), Vec::new()));
        let mut nested = Vec::new();
        for (key, property) in properties {
            let key_path = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            let (kind, child) = self.describe(&key_path, property);
            if let Some((child_path, child_schema)) = child {
                nested.push((child_path, child_schema));
            }
            let description = property
                .get("description")
                .or_else(|| self.resolve(property).get("description"))
                .and_then(Schema::as_str)
                .map_or_else(|| "—".to_string(), |text| text.replace('\n', " "));
            let needed = if required.contains(&key.as_str()) { "yes" } else { "" };
            self.sections[index].1.push(format!(
                "| `{key}` | {} | {needed} | {} |\n",
                kind.replace('|', "\\|"),
                description.replace('|', "\\|")
            ));
        }
        for (child_path, child_schema) in nested {
            self.table(&child_path, child_schema);
        }
    }

    /// The type of a value in words, and the table it opens (if any) for its own section.
    fn describe(&mut self, path: &str, property: &'s Schema) -> (String, Option<(String, &'s Schema)>) {
        let schema = self.resolve(property);
        if schema.get("properties").is_some()
            && let Some(name) = type_name(property)
        {
            if let Some(first) = self.documented.get(name) {
                return (format!("table, the keys of `[{first}]`"), None);
            }
            self.documented.insert(name.to_string(), path.to_string());
        }
        if let Some(values) = schema.get("enum").and_then(Schema::as_array) {
            let names: Vec<String> = values
                .iter()
                .filter_map(Schema::as_str)
                .map(|v| format!("`\"{v}\"`"))
                .collect();
            return (format!("one of {}", names.join(", ")), None);
        }
        if schema.get("properties").is_some() {
            return (format!("table, see [{path}]"), Some((path.to_string(), property)));
        }
        if let Some(branches) = schema
            .get("anyOf")
            .or_else(|| schema.get("oneOf"))
            .and_then(Schema::as_array)
        {
            let mut kinds = Vec::new();
            let mut child = None;
            for branch in branches
                .iter()
                .filter(|b| b.get("type").and_then(Schema::as_str) != Some("null"))
            {
                let (kind, opened) = self.describe(path, branch);
                kinds.push(kind);
                child = child.or(opened);
            }
            return (kinds.join(" or "), child);
        }
        let types: Vec<&str> = match schema.get("type") {
            Some(Schema::String(name)) => vec![name.as_str()],
            Some(Schema::Array(names)) => names
                .iter()
                .filter_map(Schema::as_str)
                .filter(|t| *t != "null")
                .collect(),
            _ => Vec::new(),
        };
        match types.first().copied() {
            Some("array") => {
                let (item, child) = schema.get("items").map_or_else(
                    || ("value".to_string(), None),
                    |items| self.describe(&format!("{path}[]"), items),
                );
                (format!("array of {item}"), child)
            }
            Some("object") => match schema.get("additionalProperties") {
                Some(values) if values.is_object() => {
                    let (value, child) = self.describe(&format!("{path}.<name>"), values);
                    // Keys that are names (SPEC.md §2) say so; other key rules are spelled out.
                    let keys = match schema.get("propertyNames") {
                        Some(rule) if rule.get("pattern").and_then(Schema::as_str) != Some(super::schema::NAME) => {
                            format!("key{}", limits(rule))
                        }
                        _ => "name".to_string(),
                    };
                    (format!("map of {keys} → {value}"), child)
                }
                _ => ("table".to_string(), None),
            },
            Some(kind) => (format!("{kind}{}", limits(schema)), None),
            None => ("value".to_string(), None),
        }
    }
}
