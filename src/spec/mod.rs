//! Stage 1, parse: TOML text → the spanned document tree and the typed `RawSpec`.
//!
//! Guarantees: every syntax error is reported (E0001); when the syntax is sound, every
//! unknown key (E0002) and every wrong type or missing key (E0003) is reported, each at
//! its own line, before anything is deserialized. When the document minus the rejected
//! keys still deserializes, parsing goes on with it (the problems kept in
//! `Document::recovered`), so the later stages report the rest of the document's errors.

pub mod alerting;
pub mod cron;
pub mod datastore;
pub mod promql;
pub mod raw;
pub mod reference;
pub mod scaling;
pub mod schedule;
pub mod schema;
mod segments;
pub mod service;
mod shape;
mod spanned;
pub mod values;
pub mod workload;

pub use alerting::*;
pub use datastore::*;
pub use raw::*;
pub use scaling::*;
pub use service::*;
pub use spanned::{Span, Spanned};
pub use workload::*;

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

/// The JSON Schema of the spec (see `schema`), as `platc schema` prints it.
pub fn json_schema() -> serde_json::Value {
    schema::json_schema().clone()
}

pub fn parse(text: &str) -> Result<Document<'_>, Vec<Diagnostic>> {
    let (root, errors) = segments::parse(text);
    if !errors.is_empty() {
        return Err(errors.iter().map(|error| syntax_error(text, error)).collect());
    }
    // The shape check and the typed read of the whole document run side by side; the typed
    // read is repeated on the pruned document only when the shape check rejected keys.
    let (shape, typed) = crate::parallel::join(
        || shape::check(schema::json_schema(), &root),
        || deserialize::<RawSpec>(skeleton(&root)),
    );
    let mut problems = shape.problems;
    problems.sort_by_key(|d| d.span.as_ref().map_or(0, |s| s.start));
    let mut root = root;
    let typed = if problems.is_empty() {
        typed
    } else {
        shape::prune(root.get_mut(), &shape.rejected_keys);
        deserialize::<RawSpec>(skeleton(&root))
    };
    match typed {
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

/// A copy of the document for its typed read, with every `[services.<name>]` table empty:
/// the read keeps only their names (`RawSpec::services`), so copying their values would be
/// most of the work of a large spec for nothing. A value that is not a table is copied as
/// it is (the shape check reports it, E0003, and it is pruned before resolve).
fn skeleton<'a>(root: &toml::Spanned<DeTable<'a>>) -> toml::Spanned<DeTable<'a>> {
    let emptied = |services: &DeTable<'a>| -> DeTable<'a> {
        services
            .iter()
            .map(|(name, body)| match body.get_ref() {
                DeValue::Table(_) => (
                    name.clone(),
                    toml::Spanned::new(body.span(), DeValue::Table(DeTable::new())),
                ),
                _ => (name.clone(), body.clone()),
            })
            .collect()
    };
    let table = root
        .get_ref()
        .iter()
        .map(|(key, value)| match (key.get_ref().as_ref(), value.get_ref()) {
            ("services", DeValue::Table(services)) => (
                key.clone(),
                toml::Spanned::new(value.span(), DeValue::Table(emptied(services))),
            ),
            _ => (key.clone(), value.clone()),
        })
        .collect();
    toml::Spanned::new(root.span(), table)
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

/// The text of a spec file. A file that is not UTF-8 is E0001 at its first invalid byte; the
/// text keeps a replacement character there, so the diagnostic can show the line.
pub fn decode(bytes: Vec<u8>) -> (String, Option<Diagnostic>) {
    match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(error) => {
            let at = error.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(error.as_bytes()).into_owned();
            let diagnostic = Diagnostic::new(
                Code::E0001,
                at..at + char::REPLACEMENT_CHARACTER.len_utf8(),
                "invalid TOML: this byte is not UTF-8 (a TOML file must be UTF-8)".to_string(),
            );
            (text, Some(diagnostic))
        }
    }
}

/// How many parts a dotted key may have before the TOML parser gives up (its recursion limit
/// counts the parts before the last).
const KEY_PARTS_LIMIT: usize = 80;

fn syntax_error(text: &str, error: &toml::de::Error) -> Diagnostic {
    let mut message = error
        .message()
        .lines()
        .next()
        .unwrap_or("invalid TOML")
        .trim()
        .to_string();
    let mut span = error.span();
    // The parser reports a key with too many parts without a location: find it.
    if span.is_none()
        && let Some(key) = long_dotted_key(text)
    {
        message = format!("a key of more than {KEY_PARTS_LIMIT} dotted parts is nested too deep");
        span = Some(key);
    }
    let span = span.unwrap_or(0..0);
    let span = span.start.min(text.len())..span.end.min(text.len());
    Diagnostic::new(Code::E0001, span, format!("invalid TOML: {message}"))
        .with_help("strings are quoted, and each `key = value` stands on its own line (TOML 1.0)")
}

/// The first table header or key (the text before `=`) with more than `KEY_PARTS_LIMIT` parts.
fn long_dotted_key(text: &str) -> Option<Span> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset + (line.len() - line.trim_start().len());
        offset += line.len();
        let key = line.trim_start();
        let key = if key.starts_with('[') {
            key.split(']').next().unwrap_or(key)
        } else {
            key.split('=').next().unwrap_or(key)
        };
        if key.matches('.').count() + 1 > KEY_PARTS_LIMIT {
            return Some(start..start + key.trim_end().len());
        }
    }
    None
}

impl<'a> Document<'a> {
    /// The span of the key at `path` (for example `["services", "web"]`).
    pub fn key_span(&self, path: &[&str]) -> Option<Span> {
        let (last, parents) = path.split_last()?;
        let table = self.table(parents)?;
        // A lookup, not a scan: rules ask for the key of every service.
        table.get_key_value(*last).map(|(key, _)| key.span())
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
    fn a_key_too_deep_for_the_parser_is_located() {
        for parts in [81, 95] {
            let key = vec!["a"; parts].join(".");
            let text = format!("[platform]\n  {key} = 1\n");
            let diagnostics = parse(&text).err().expect("too deep");
            let span = diagnostics[0].span.clone().unwrap();
            assert_eq!(
                (diagnostics[0].code, span.start),
                (Code::E0001, 13),
                "{parts}: {:?}",
                diagnostics[0]
            );
            assert_eq!(&text[span], key);
        }
        let fine = format!("[platform]\n{} = 1\n", vec!["a"; 80].join("."));
        assert!(
            parse(&fine).err().is_none_or(|d| d[0].code != Code::E0001),
            "80 parts parse"
        );
    }

    #[test]
    fn bytes_that_are_not_utf8_are_located() {
        let (text, problem) = decode(b"[platform]\nname = \"x\xffy\"\n".to_vec());
        let problem = problem.expect("not UTF-8");
        assert_eq!((problem.code, problem.span.clone().unwrap().start), (Code::E0001, 20));
        assert!(text.contains('\u{FFFD}'));
        assert!(decode(b"[platform]\n".to_vec()).1.is_none());
    }

    #[test]
    fn key_spans_are_found() {
        let text = "[platform]\nname = \"x\"\n[services.web]\nimage = \"a:1\"\n";
        let document = parse(text).expect("valid spec");
        let span = document.key_span(&["services", "web"]).expect("key exists");
        assert_eq!(&text[span], "web");
    }
}
