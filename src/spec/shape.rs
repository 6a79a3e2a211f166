//! The shape check: walks the spanned TOML tree against the spec's JSON Schema and collects
//! every unknown key (E0002), wrong type and missing required key (E0003).
//!
//! Using the generated schema means the check can never disagree with the types that
//! deserialize the spec, nor with the schema editors see.
//!
//! It also records the key of every value it rejected, so `prune` can drop them and the
//! rest of the document can still be checked: one typo does not hide later problems.

use serde_json::Value as Schema;
use toml::de::{DeTable, DeValue};

use super::Span;
use crate::diag::{Code, Diagnostic, suggest};

/// What the shape check found: the problems, and the spans of the keys whose values are
/// wrong (unknown keys, wrong types, values outside an enumeration).
pub struct Shape {
    pub problems: Vec<Diagnostic>,
    pub rejected_keys: Vec<Span>,
}

pub fn check(schema: &Schema, root: &toml::Spanned<DeTable<'_>>) -> Shape {
    let mut walker = Walker::new(schema);
    walker.table(schema, root.get_ref(), 0..0, Path::Root);
    Shape {
        problems: walker.problems,
        rejected_keys: walker.rejected_keys,
    }
}

/// Removes the keys at `rejected` (spans of keys) from the table and every table below it.
pub fn prune(table: &mut DeTable<'_>, rejected: &[Span]) {
    // Keys compare by name only, so a cloned key removes its entry.
    let doomed: Vec<_> = table
        .keys()
        .filter(|key| rejected.contains(&key.span()))
        .cloned()
        .collect();
    for key in &doomed {
        table.remove(key);
    }
    for (_, value) in table.iter_mut() {
        prune_value(value.get_mut(), rejected);
    }
}

fn prune_value(value: &mut DeValue<'_>, rejected: &[Span]) {
    match value {
        DeValue::Table(table) => prune(table, rejected),
        DeValue::Array(items) => {
            for item in items.iter_mut() {
                prune_value(item.get_mut(), rejected);
            }
        }
        _ => {}
    }
}

/// Where a value sits (`services.web.probes`, `uses[1]`), as the chain of keys the walk took
/// to it: written out only when a problem is reported there.
#[derive(Clone, Copy)]
enum Path<'p> {
    Root,
    Key(&'p Path<'p>, &'p str),
    Item(&'p Path<'p>, usize),
}

impl Path<'_> {
    fn is_root(&self) -> bool {
        matches!(self, Path::Root)
    }
}

impl std::fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Key(Path::Root, key) => f.write_str(key),
            Path::Key(parent, key) => write!(f, "{parent}.{key}"),
            Path::Item(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

/// From this many keys, a table's entries are checked in parallel, in runs of half as many (the
/// services of a spec of a few hundred or more).
const PARALLEL_FROM: usize = 256;

struct Walker<'s> {
    root: &'s Schema,
    problems: Vec<Diagnostic>,
    rejected_keys: Vec<Span>,
    /// The alternatives of each schema met so far, by address: the walk meets the same few
    /// schemas once per service.
    branches: std::collections::HashMap<*const Schema, std::rc::Rc<[&'s Schema]>>,
}

/// What a table's schema says of its keys: the known ones, and what any other key may be.
#[derive(Clone, Copy)]
struct Keys<'s> {
    properties: Option<&'s serde_json::Map<String, Schema>>,
    additional: Option<&'s Schema>,
}

impl<'s> Keys<'s> {
    fn of(schema: &'s Schema) -> Self {
        Self {
            properties: schema.get("properties").and_then(Schema::as_object),
            additional: schema.get("additionalProperties"),
        }
    }
}

impl<'s> Walker<'s> {
    fn new(root: &'s Schema) -> Self {
        Self {
            root,
            problems: Vec::new(),
            rejected_keys: Vec::new(),
            branches: std::collections::HashMap::new(),
        }
    }

    fn resolve(&self, schema: &'s Schema) -> &'s Schema {
        resolve(self.root, schema)
    }

    /// The alternatives a value may take (`anyOf`/`oneOf` flattened, `$ref`s followed).
    fn branches(&mut self, schema: &'s Schema) -> std::rc::Rc<[&'s Schema]> {
        let root = self.root;
        self.branches
            .entry(std::ptr::from_ref(schema))
            .or_insert_with(|| alternatives(root, schema).into())
            .clone()
    }

    /// Checks one value; `key` is the span of the key that holds it (for an array item, the
    /// array's key).
    fn value(&mut self, schema: &'s Schema, value: &toml::Spanned<DeValue<'_>>, path: Path<'_>, key: &Span) {
        let branches = self.branches(schema);
        let kind = kind_of(value.get_ref());
        let Some(branch) = branches.iter().copied().find(|branch| accepts(branch, kind)) else {
            let expected = describe_expected(&branches);
            let help = match kind {
                "string" if expected.contains("integer") || expected.contains("number") => {
                    "write the number without quotes".to_string()
                }
                "integer" | "number" if expected == "a string" => "quote it, as in \"250m\" or \"1.4.2\"".to_string(),
                _ => format!("docs/reference.md (or `platc schema`) describes `{path}`"),
            };
            self.problems.push(
                Diagnostic::new(
                    Code::E0003,
                    value.span(),
                    format!("wrong type for `{path}`: expected {expected}, found {}", article(kind)),
                )
                .with_help(help),
            );
            self.rejected_keys.push(key.clone());
            return;
        };
        match value.get_ref() {
            DeValue::Table(table) => self.table(branch, table, value.span(), path),
            DeValue::Array(items) => {
                if let Some(item_schema) = branch.get("items") {
                    for (index, item) in items.iter().enumerate() {
                        self.value(item_schema, item, Path::Item(&path, index), key);
                    }
                }
            }
            DeValue::String(text) if !self.enumeration(branch, text, value.span(), path) => {
                self.rejected_keys.push(key.clone());
            }
            _ => {}
        }
    }

    /// Whether `text` is allowed by the schema's enumeration (if it has one).
    fn enumeration(&mut self, schema: &Schema, text: &str, span: Span, path: Path<'_>) -> bool {
        let Some(allowed) = schema.get("enum").and_then(Schema::as_array) else {
            return true;
        };
        let names: Vec<&str> = allowed.iter().filter_map(Schema::as_str).collect();
        if !names.contains(&text) {
            let help = suggest::did_you_mean(text, names.iter().copied())
                .unwrap_or_else(|| format!("expected one of: {}", names.join(", ")));
            self.problems.push(
                Diagnostic::new(Code::E0003, span, format!("`{text}` is not a valid value for `{path}`"))
                    .with_help(help),
            );
            return false;
        }
        true
    }

    fn table(&mut self, schema: &'s Schema, table: &DeTable<'_>, span: Span, path: Path<'_>) {
        let schema = self.resolve(schema);
        let keys = Keys::of(schema);
        if table.len() >= PARALLEL_FROM {
            // Hundreds of services: their entries are checked on every core, each run by its
            // own walker, and the findings joined in key order (as one walker finds them).
            let entries: Vec<_> = table.iter().collect();
            let runs: Vec<_> = entries.chunks(PARALLEL_FROM / 2).collect();
            let root = self.root;
            let found = crate::parallel::map(&runs, |run| {
                let mut walker = Walker::new(root);
                for (key, value) in *run {
                    walker.entry(&keys, key, value, path);
                }
                (walker.problems, walker.rejected_keys)
            });
            for (problems, rejected_keys) in found {
                self.problems.extend(problems);
                self.rejected_keys.extend(rejected_keys);
            }
        } else {
            for (key, value) in table {
                self.entry(&keys, key, value, path);
            }
        }
        self.required(schema, keys, table, span, path);
    }

    /// Checks one key of a table (whose schema says `keys`) and its value.
    fn entry(
        &mut self,
        keys: &Keys<'s>,
        key: &toml::Spanned<std::borrow::Cow<'_, str>>,
        value: &toml::Spanned<DeValue<'_>>,
        path: Path<'_>,
    ) {
        let Keys { properties, additional } = *keys;
        let key_path = Path::Key(&path, key.get_ref());
        let property = properties.and_then(|known| known.get(key.get_ref().as_ref()));
        match (property, additional) {
            (Some(property_schema), _) => self.value(property_schema, value, key_path, &key.span()),
            (None, Some(Schema::Bool(false))) => {
                self.unknown_key(key, properties, path);
                self.rejected_keys.push(key.span());
            }
            (None, Some(value_schema)) if value_schema.is_object() => {
                self.value(value_schema, value, key_path, &key.span());
            }
            (None, _) => {}
        }
    }

    /// Reports the keys the table's schema requires and the table lacks.
    fn required(&mut self, schema: &'s Schema, keys: Keys<'s>, table: &DeTable<'_>, span: Span, path: Path<'_>) {
        let properties = keys.properties;
        for required in schema.get("required").and_then(Schema::as_array).into_iter().flatten() {
            let Some(name) = required.as_str() else { continue };
            if table.get(name).is_none() {
                let place = if path.is_root() {
                    "the spec".to_string()
                } else {
                    format!("[{path}]")
                };
                let meaning = properties
                    .and_then(|known| known.get(name))
                    .map(|property| self.resolve(property))
                    .and_then(|property| property.get("description"))
                    .and_then(Schema::as_str)
                    .map(|text| format!(" ({})", first_sentence(text)))
                    .unwrap_or_default();
                self.problems.push(
                    Diagnostic::new(
                        Code::E0003,
                        span.clone(),
                        format!("missing required key `{name}` in {place}"),
                    )
                    .with_help(format!("add `{name} = …` to {place}{meaning}")),
                );
            }
        }
    }

    fn unknown_key(
        &mut self,
        key: &toml::Spanned<std::borrow::Cow<'_, str>>,
        properties: Option<&serde_json::Map<String, Schema>>,
        path: Path<'_>,
    ) {
        let known: Vec<&str> = properties
            .map(|p| p.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let place = if path.is_root() {
            "at the top level".to_string()
        } else {
            format!("in [{path}]")
        };
        let help = suggest::did_you_mean(key.get_ref(), known.iter().copied())
            .unwrap_or_else(|| format!("expected one of: {}", known.join(", ")));
        self.problems.push(
            Diagnostic::new(
                Code::E0002,
                key.span(),
                format!("unknown key `{}` {place}", key.get_ref()),
            )
            .with_help(help),
        );
    }
}

/// `schema`, or the definition its `$ref` points at.
fn resolve<'s>(root: &'s Schema, schema: &'s Schema) -> &'s Schema {
    let target = schema
        .get("$ref")
        .and_then(Schema::as_str)
        .and_then(|reference| reference.strip_prefix("#/$defs/"))
        .and_then(|name| root.get("$defs")?.get(name));
    target.map_or(schema, |found| resolve(root, found))
}

/// The alternatives a value may take (`anyOf`/`oneOf` flattened, `$ref`s followed).
fn alternatives<'s>(root: &'s Schema, schema: &'s Schema) -> Vec<&'s Schema> {
    let schema = resolve(root, schema);
    let listed = schema
        .get("anyOf")
        .or_else(|| schema.get("oneOf"))
        .and_then(Schema::as_array);
    match listed {
        Some(list) => list.iter().flat_map(|branch| alternatives(root, branch)).collect(),
        None => vec![schema],
    }
}

/// A description's first sentence, without its full stop.
fn first_sentence(text: &str) -> &str {
    let end = text.find(". ").unwrap_or(text.len());
    text[..end].trim_end_matches('.')
}

fn kind_of(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "string",
        DeValue::Integer(_) => "integer",
        DeValue::Float(_) => "number",
        DeValue::Boolean(_) => "boolean",
        DeValue::Datetime(_) => "datetime",
        DeValue::Array(_) => "array",
        DeValue::Table(_) => "object",
    }
}

fn types_of(schema: &Schema) -> Vec<&str> {
    match schema.get("type") {
        Some(Schema::String(name)) => vec![name.as_str()],
        Some(Schema::Array(names)) => names.iter().filter_map(Schema::as_str).collect(),
        _ if schema.get("enum").is_some() || schema.get("const").is_some() => vec!["string"],
        _ => Vec::new(),
    }
}

fn accepts(schema: &Schema, kind: &str) -> bool {
    let takes = |type_name: &str| type_name == kind || (kind == "integer" && type_name == "number");
    match schema.get("type") {
        Some(Schema::String(type_name)) => takes(type_name),
        Some(Schema::Array(listed)) => {
            let mut type_names = listed.iter().filter_map(Schema::as_str).peekable();
            type_names.peek().is_none() || type_names.any(takes)
        }
        _ if schema.get("enum").is_some() || schema.get("const").is_some() => takes("string"),
        _ => true,
    }
}

fn describe_expected(branches: &[&Schema]) -> String {
    let mut names: Vec<&str> = branches
        .iter()
        .flat_map(|b| types_of(b))
        .filter(|t| *t != "null")
        .collect();
    names.dedup();
    let described: Vec<String> = names.iter().map(|kind| article(kind)).collect();
    described.join(" or ")
}

fn article(kind: &str) -> String {
    match kind {
        "object" => "a table".to_string(),
        "array" => "an array".to_string(),
        "integer" => "an integer".to_string(),
        "datetime" => "a date-time".to_string(),
        other => format!("a {other}"),
    }
}

#[cfg(test)]
mod tests {
    use crate::diag::Code;

    fn problems(text: &str) -> Vec<(Code, String, String)> {
        let diagnostics = match crate::spec::parse(text) {
            Ok(document) => document.recovered,
            Err(diagnostics) => diagnostics,
        };
        diagnostics
            .into_iter()
            .map(|d| (d.code, text[d.span.unwrap()].to_string(), d.help.unwrap_or_default()))
            .collect()
    }

    #[test]
    fn every_unknown_key_is_reported_with_a_hint() {
        let found = problems("[platform]\nname = \"x\"\nnmae = 1\n[services.web]\nimage = \"a:1\"\nreplica = 3\n");
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0], (Code::E0002, "nmae".into(), "did you mean `name`?".into()));
        assert_eq!(
            found[1],
            (Code::E0002, "replica".into(), "did you mean `replicas`?".into())
        );
    }

    #[test]
    fn thousands_of_services_are_checked_in_parallel_with_every_problem_found() {
        let count = super::PARALLEL_FROM * 2 + 7;
        let mut text = String::from("[platform]\nname = \"x\"\n");
        for i in 0..count {
            let extra = match i % 1000 {
                3 => "replica = 3\n",
                500 => "port = \"80\"\n",
                _ => "",
            };
            text.push_str(&format!("[services.s{i:05}]\nimage = \"a:1\"\n{extra}"));
        }
        let found = problems(&text);
        let expected: Vec<(Code, String)> = (0..count)
            .filter_map(|i| match i % 1000 {
                3 => Some((Code::E0002, "replica".to_string())),
                500 => Some((Code::E0003, "\"80\"".to_string())),
                _ => None,
            })
            .collect();
        let found: Vec<(Code, String)> = found.into_iter().map(|(code, text, _)| (code, text)).collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn wrong_types_and_missing_keys_are_reported() {
        let found = problems("[platform]\nteam = 3\n[services.web]\nport = \"80\"\n");
        let codes: Vec<Code> = found.iter().map(|f| f.0).collect();
        assert_eq!(codes, vec![Code::E0003, Code::E0003, Code::E0003], "{found:?}");
        assert!(found.iter().any(|f| f.1 == "3"), "team's value is pointed at");
        assert!(found.iter().any(|f| f.1 == "\"80\""), "port's value is pointed at");
    }

    #[test]
    fn enum_values_get_a_suggestion() {
        let found = problems("[platform]\nname = \"x\"\n[environments.prod]\ntargets = [\"kubernets\"]\n");
        assert_eq!(
            found,
            vec![(Code::E0003, "\"kubernets\"".into(), "did you mean `kubernetes`?".into())]
        );
    }

    #[test]
    fn untagged_alternatives_accept_either_shape() {
        assert!(problems("[platform]\nname = \"x\"\n[services.a]\nmetrics = false\n").is_empty());
        assert!(problems("[platform]\nname = \"x\"\n[services.a]\nmetrics = { port = 9090 }\n").is_empty());
        let found = problems("[platform]\nname = \"x\"\n[services.a]\nmetrics = { prot = 9090 }\n");
        assert_eq!(found[0].0, Code::E0002);
    }

    #[test]
    fn a_key_typo_does_not_hide_the_value_errors_after_it() {
        let text = "[platform]\nname = \"x\"\n[environments.prod]\n[services.web]\nimage = \"a:1\"\nreplica = 3\n\
                    port = 99999\nresources = { memory = \"512mb\" }\n";
        let Err(crate::Failure::Invalid(diagnostics)) = crate::compile(text) else {
            panic!("the spec is invalid")
        };
        let found: Vec<(Code, &str)> = diagnostics
            .iter()
            .map(|d| (d.code, &text[d.span.clone().unwrap()]))
            .collect();
        assert!(found.contains(&(Code::E0002, "replica")), "{found:?}");
        assert!(
            found.contains(&(Code::E0050, "99999")),
            "the port after the typo: {found:?}"
        );
        assert!(
            found.contains(&(Code::E0020, "\"512mb\"")),
            "the quantity after the typo: {found:?}"
        );
    }

    #[test]
    fn a_missing_required_key_reports_the_shape_problems_alone() {
        let found = problems("[platform]\nteam = \"t\"\nnmae = \"x\"\n");
        let codes: Vec<Code> = found.iter().map(|f| f.0).collect();
        assert_eq!(codes, vec![Code::E0003, Code::E0002], "{found:?}");
    }
}
