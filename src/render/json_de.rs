//! A [`Node`] read into a typed value directly (it is a serde `Deserializer`), so the typed
//! check of a rendered object moves its strings instead of copying them into a
//! `serde_json::Value` first. Comment entries are not fields: they are skipped.

use serde::de::value::{MapAccessDeserializer, MapDeserializer, SeqDeserializer};
use serde::de::{Deserializer, Error as _, IntoDeserializer, Visitor};
use serde_json::Error;

use super::json::{COMMENT, Node};

impl<'de> Deserializer<'de> for Node {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Null => visitor.visit_unit(),
            Node::Bool(flag) => visitor.visit_bool(flag),
            Node::Number(number) => number.deserialize_any(visitor),
            Node::String(text) => visitor.visit_string(text),
            Node::Array(items) => {
                let mut items = SeqDeserializer::new(items.into_iter());
                let value = visitor.visit_seq(&mut items)?;
                items.end()?;
                Ok(value)
            }
            Node::Object(entries) => {
                let mut entries = MapDeserializer::new(fields(entries));
                let value = visitor.visit_map(&mut entries)?;
                entries.end()?;
                Ok(value)
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Null => visitor.visit_none(),
            other => visitor.visit_some(other),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Node::String(variant) => visitor.visit_enum(variant.into_deserializer()),
            Node::Object(entries) => {
                visitor.visit_enum(MapAccessDeserializer::new(MapDeserializer::new(fields(entries))))
            }
            _ => Err(Error::custom("an enum is a string or a mapping of one entry")),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

impl IntoDeserializer<'_, Error> for Node {
    type Deserializer = Node;

    fn into_deserializer(self) -> Node {
        self
    }
}

/// The entries of a mapping that are fields: every one but the comments.
fn fields(entries: Vec<(String, Node)>) -> impl Iterator<Item = (String, Node)> {
    entries.into_iter().filter(|(key, _)| key != COMMENT)
}

#[cfg(test)]
mod tests {
    use super::super::json::parse;
    use serde::Deserialize;

    #[derive(Deserialize, Debug, PartialEq)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    struct Probe {
        name: String,
        port: Option<u16>,
        period_seconds: Option<f64>,
        mode: Mode,
        tags: Vec<String>,
        extra: Option<serde_json::Value>,
        quantity: Quantity,
    }

    #[derive(Deserialize, Debug, PartialEq)]
    enum Mode {
        Fast,
        Slow { factor: u8 },
    }

    #[derive(Deserialize, Debug, PartialEq)]
    struct Quantity(String);

    fn read(json: &str) -> Result<Probe, String> {
        let node = parse(json)?.remove(0);
        Probe::deserialize(node).map_err(|e| e.to_string())
    }

    #[test]
    fn a_node_reads_into_the_type_a_json_text_reads_into() {
        let json = r##"{"#": "a comment", "name": "a", "port": 80, "periodSeconds": 2.5, "mode": "Fast",
            "tags": ["x", "y"], "extra": {"k": [1, null, true]}, "quantity": "512Mi"}"##;
        let direct: Probe = serde_json::from_str(&json.replace(r##""#": "a comment", "##, "")).unwrap();
        assert_eq!(read(json), Ok(direct));
        let slow = read(r#"{"name": "b", "port": null, "mode": {"Slow": {"factor": 3}}, "tags": [], "quantity": "1"}"#);
        assert_eq!(slow.map(|p| p.mode), Ok(Mode::Slow { factor: 3 }));
    }

    #[test]
    fn wrong_types_and_unknown_fields_are_errors() {
        assert!(read(r#"{"name": 1, "mode": "Fast", "tags": [], "quantity": "1"}"#).is_err());
        assert!(read(r#"{"name": "a", "mode": "Medium", "tags": [], "quantity": "1"}"#).is_err());
        let unknown = read(r#"{"name": "a", "mode": "Fast", "tags": [], "quantity": "1", "prot": 1}"#);
        assert!(unknown.unwrap_err().contains("prot"));
    }
}
