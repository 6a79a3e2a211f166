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

impl Node {
    /// The value the type checks read: comments dropped, mappings as `serde_json` maps.
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
fn without_closing_commas(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut kept = Vec::with_capacity(bytes.len());
    let mut in_string = false;
    let mut escaped = false;
    for (at, &byte) in bytes.iter().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
            }
        } else if byte == b'"' {
            in_string = true;
        } else if byte == b',' {
            let next = bytes[at + 1..].iter().find(|b| !b.is_ascii_whitespace());
            if matches!(next, Some(b'}' | b']')) {
                continue;
            }
        }
        kept.push(byte);
    }
    // Only ASCII commas were removed, so the bytes are still UTF-8.
    String::from_utf8(kept).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
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
