//! Stage 1, parse: TOML text → the spanned document tree and the typed `RawSpec`.
//!
//! Guarantees: every syntax error is reported (E0001); when the syntax is sound, every
//! unknown key (E0002) and every wrong type or missing key (E0003) is reported, each at
//! its own line, before anything is deserialized. When the document minus the rejected
//! keys still deserializes, parsing goes on with it (the problems kept in
//! `Document::recovered`), so the later stages report the rest of the document's errors.

pub mod alerting;
pub mod cron;
pub mod promql;
pub mod raw;
pub mod schedule;
mod shape;
mod spanned;
pub mod values;

pub use alerting::*;
pub use raw::*;
pub use spanned::{Span, Spanned};

use serde::Deserialize;
use toml::de::{DeTable, DeValue};

use crate::diag::{Code, Diagnostic};

/// The parsed spec: the tree (for merging layers and finding key spans) and its typed form.
pub struct Document<'a> {
    /// The spec's text, for diagnostics that point inside a string value.
    pub text: &'a str,
    pub root: toml::Spanned<DeTable<'a>>,
    pub spec: RawSpec,
    /// Shape problems (errors) whose keys were dropped so the rest could be checked.
    pub recovered: Vec<Diagnostic>,
}

/// The JSON Schema of the spec, generated from the same types that read it.
pub fn json_schema() -> serde_json::Value {
    let schema = schemars::generate::SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<RawSpec>();
    serde_json::to_value(schema).unwrap_or_default()
}

pub fn parse(text: &str) -> Result<Document<'_>, Vec<Diagnostic>> {
    let (root, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        return Err(errors.iter().map(|error| syntax_error(text, error)).collect());
    }
    let shape = shape::check(&json_schema(), &root);
    let mut problems = shape.problems;
    problems.sort_by_key(|d| d.span.as_ref().map_or(0, |s| s.start));
    let mut root = root;
    if !problems.is_empty() {
        shape::prune(root.get_mut(), &shape.rejected_keys);
    }
    match deserialize::<RawSpec>(root.clone()) {
        Ok(spec) => Ok(Document {
            text,
            root,
            spec,
            recovered: problems,
        }),
        // A missing required key: nothing sensible to check beyond the shape problems.
        Err(_) if !problems.is_empty() => Err(problems),
        Err(error) => Err(vec![error.unwrap_or_else(|| {
            Diagnostic::whole_file(Code::E0003, "the spec does not match its schema")
        })]),
    }
}

/// Deserializes a (possibly merged) table, keeping the spans of its values.
pub fn deserialize<'de, T: Deserialize<'de>>(table: toml::Spanned<DeTable<'de>>) -> Result<T, Option<Diagnostic>> {
    T::deserialize(toml::de::Deserializer::from(table)).map_err(|error| {
        let message = error.message().trim().to_string();
        Some(match error.span() {
            Some(span) => Diagnostic::new(Code::E0003, span, message),
            None => Diagnostic::whole_file(Code::E0003, message),
        })
    })
}

fn syntax_error(text: &str, error: &toml::de::Error) -> Diagnostic {
    let message = error.message().lines().next().unwrap_or("invalid TOML").trim();
    let span = error.span().unwrap_or(0..0);
    let span = span.start.min(text.len())..span.end.min(text.len());
    Diagnostic::new(Code::E0001, span, format!("invalid TOML: {message}"))
        .with_help("strings are quoted, and each `key = value` stands on its own line (TOML 1.0)")
}

impl<'a> Document<'a> {
    /// The span of the key at `path` (for example `["services", "web"]`).
    pub fn key_span(&self, path: &[&str]) -> Option<Span> {
        let (last, parents) = path.split_last()?;
        let table = self.table(parents)?;
        table.keys().find(|key| key.get_ref() == last).map(toml::Spanned::span)
    }

    /// The table at `path`, if there is one.
    pub fn table(&self, path: &[&str]) -> Option<&DeTable<'a>> {
        let mut table = self.root.get_ref();
        for segment in path {
            match table.get(*segment).map(toml::Spanned::get_ref) {
                Some(DeValue::Table(inner)) => table = inner,
                _ => return None,
            }
        }
        Some(table)
    }

    /// The table at `path` with its span, cloned for merging.
    pub fn spanned_table(&self, path: &[&str]) -> Option<toml::Spanned<DeTable<'a>>> {
        let (last, parents) = path.split_last()?;
        let value = self.table(parents)?.get(*last)?;
        match value.get_ref() {
            DeValue::Table(table) => Some(toml::Spanned::new(value.span(), table.clone())),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_point_at_their_line() {
        let text = "[platform]\nname = \"x\"\nport = = 1\n";
        let diagnostics = parse(text).err().expect("invalid TOML");
        assert_eq!(diagnostics[0].code, Code::E0001);
        let line = text[..diagnostics[0].span.clone().unwrap().start].matches('\n').count() + 1;
        assert_eq!(line, 3);
    }

    #[test]
    fn key_spans_are_found() {
        let text = "[platform]\nname = \"x\"\n[services.web]\nimage = \"a:1\"\n";
        let document = parse(text).expect("valid spec");
        let span = document.key_span(&["services", "web"]).expect("key exists");
        assert_eq!(&text[span], "web");
    }
}
