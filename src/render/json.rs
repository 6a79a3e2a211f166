//! The JSON that `*.json.j2` object templates render, read back in the template's key order.
//!
//! Templates write every entry with a trailing comma (`"name": {{ name }},`), so that loops and
//! conditionals need no comma logic; [`parse`] drops a comma that closes a mapping or a list
//! (outside strings) before `serde_json` reads the text, which is otherwise strict JSON: every
//! value entered it through the JSON auto-escape. A file holds one or more objects, one after
//! the other. A mapping may not name a key twice (serde's maps would keep the last silently),
//! except the comment key [`COMMENT`], whose values the YAML writer prints as `#` lines.

use serde::de::{Deserialize, Deserializer, Error, MapAccess, SeqAccess, Visitor};

/// The key of a comment: `"#": "text"` becomes the line `# text` where the entry stands.
/// No Kubernetes or Prometheus field, label, annotation or data key can be `#`.
pub(crate) const COMMENT: &str = "#";

/// One JSON value, mappings in the order their keys were written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Node>),
    Object(Vec<(String, Node)>),
}

impl From<serde_json::Value> for Node {
    fn from(value: serde_json::Value) -> Node {
        use serde_json::Value;
        match value {
            Value::Null => Node::Null,
            Value::Bool(flag) => Node::Bool(flag),
            Value::Number(number) => Node::Number(number),
            Value::String(text) => Node::String(text),
            Value::Array(items) => Node::Array(items.into_iter().map(Node::from).collect()),
            Value::Object(entries) => Node::Object(entries.into_iter().map(|(k, v)| (k, Node::from(v))).collect()),
        }
    }
}

impl Node {
    /// The string at `key` of a mapping.
    pub(crate) fn string(&self, key: &str) -> Option<&str> {
        let Node::Object(entries) = self else { return None };
        entries.iter().find_map(|(k, v)| match v {
            Node::String(text) if k == key => Some(text.as_str()),
            _ => None,
        })
    }

    /// The value a YAML parser reads back: comments dropped, mappings as `serde_json` maps.
    #[cfg(test)]
    pub(crate) fn to_value(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Node::Null => Value::Null,
            Node::Bool(flag) => Value::Bool(*flag),
            Node::Number(number) => Value::Number(number.clone()),
            Node::String(text) => Value::String(text.clone()),
            Node::Array(items) => Value::Array(items.iter().map(Node::to_value).collect()),
            Node::Object(entries) => Value::Object(
                entries
                    .iter()
                    .filter(|(key, _)| key != COMMENT)
                    .map(|(key, value)| (key.clone(), value.to_value()))
                    .collect(),
            ),
        }
    }
}

/// Every object of a rendered JSON text, in order.
pub(crate) fn parse(text: &str) -> Result<Vec<Node>, String> {
    let strict = without_closing_commas(text);
    serde_json::Deserializer::from_str(&strict)
        .into_iter::<Node>()
        .map(|node| node.map_err(|e| format!("{e}, in:\n{}", excerpt(&strict, e.line()))))
        .collect()
}

/// `text` without the commas that stand (after optional whitespace) before `}` or `]`.
/// Runs between such commas are copied whole; strings are skipped to their closing quote.
fn without_closing_commas(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut kept = String::with_capacity(text.len());
    let mut copied = 0;
    let mut at = 0;
    while let Some(offset) = bytes[at..].iter().position(|&b| b == b'"' || b == b',') {
        let found = at + offset;
        if bytes[found] == b'"' {
            at = after_string(bytes, found + 1);
            continue;
        }
        let next = bytes[found + 1..].iter().find(|b| !b.is_ascii_whitespace());
        if matches!(next, Some(b'}' | b']')) {
            // Both ends are ASCII bytes, so these are character boundaries.
            kept.push_str(&text[copied..found]);
            copied = found + 1;
        }
        at = found + 1;
    }
    kept.push_str(&text[copied..]);
    kept
}

/// The index after the quote that closes the string whose text starts at `at`.
fn after_string(bytes: &[u8], mut at: usize) -> usize {
    while let Some(offset) = bytes[at..].iter().position(|&b| b == b'"' || b == b'\\') {
        let found = at + offset;
        if bytes[found] == b'"' {
            return found + 1;
        }
        at = (found + 2).min(bytes.len());
    }
    bytes.len()
}

/// The lines around `line` (1-based), for a message that shows where the JSON broke.
fn excerpt(text: &str, line: usize) -> String {
    let first = line.saturating_sub(3);
    text.lines().skip(first).take(5).collect::<Vec<_>>().join("\n")
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Number(v.into()))
    }
    fn visit_f64<E: Error>(self, v: f64) -> Result<Node, E> {
        serde_json::Number::from_f64(v)
            .map(Node::Number)
            .ok_or_else(|| E::custom("a number JSON cannot hold"))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::String(v))
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries: Vec<(String, Node)> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if key != COMMENT && entries.iter().any(|(seen, _)| *seen == key) {
                return Err(A::Error::custom(format!(
                    "the key `{key}` appears twice in one mapping"
                )));
            }
            let value = map.next_value()?;
            entries.push((key, value));
        }
        Ok(Node::Object(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::{Node, parse};

    #[test]
    fn closing_commas_go_and_commas_in_strings_stay() {
        let nodes = parse("{\"a\": [1, 2,],\n \"b\": \"x,]\", \"c\": {},\n}\n{\"d\": \",}\",}").unwrap();
        assert_eq!(nodes.len(), 2);
        assert_eq!(
            nodes[0].to_value(),
            serde_json::json!({ "a": [1, 2], "b": "x,]", "c": {} })
        );
        assert_eq!(nodes[1].to_value(), serde_json::json!({ "d": ",}" }));
        let backslash = parse(r#"{"p": "c:\\",}"#).unwrap();
        assert_eq!(backslash[0].to_value(), serde_json::json!({ "p": "c:\\" }));
        assert!(parse(r#"{"open": "no end,}"#).is_err());
        let escaped = parse(r#"{"q": "say \"hi\",]", "n": null,}"#).unwrap();
        assert_eq!(
            escaped[0].to_value(),
            serde_json::json!({ "q": "say \"hi\",]", "n": null })
        );
    }

    #[test]
    fn keys_keep_their_written_order() {
        let nodes = parse(r#"{"kind": "A", "apiVersion": "v1", "b": 1, "a": 2}"#).unwrap();
        let Node::Object(entries) = &nodes[0] else {
            panic!("{nodes:?}")
        };
        let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["kind", "apiVersion", "b", "a"]);
    }

    #[test]
    fn a_key_twice_in_one_mapping_is_an_error() {
        let error = parse(r#"{"labels": {"app": "a", "app": "b"}}"#).unwrap_err();
        assert!(error.contains("the key `app` appears twice"), "{error}");
        let nested = parse(r#"{"a": [{"x": 1, "y": 2, "x": 3}]}"#).unwrap_err();
        assert!(nested.contains("`x` appears twice"), "{nested}");
        let comments = parse(r##"{"#": "one", "a": 1, "#": "two"}"##).unwrap();
        assert_eq!(comments[0].to_value(), serde_json::json!({ "a": 1 }));
    }

    #[test]
    fn broken_json_is_an_error_that_shows_where() {
        let error = parse("{\n\"a\": 1\n\"b\": 2\n}").unwrap_err();
        assert!(error.contains("line 3") && error.contains("\"b\": 2"), "{error}");
        assert!(parse("{\"a\": 1,,}").is_err());
    }
}
