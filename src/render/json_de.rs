//! A [`Node`] read into a typed value directly (it is a serde `Deserializer`), so the typed
//! check of a rendered object moves its strings instead of copying them into a
//! `serde_json::Value` first. Comment entries are not fields: they are skipped. The reading is
//! strict: a field the type skips (one it does not know) is an error, and every error names
//! the path of keys to its value.

use std::borrow::Cow;

use serde::de::value::{BorrowedStrDeserializer, MapAccessDeserializer};
use serde::de::{DeserializeSeed, Deserializer, Error as _, IntoDeserializer, MapAccess, SeqAccess, Visitor};

use super::json::{COMMENT, Node};

/// Why a [`Node`] did not read into its type, and where: the keys from the object's root.
#[derive(Debug)]
pub struct ReadError {
    /// The keys to the value, innermost first (each mapping adds its key on the way out).
    path_inward: Vec<String>,
    message: String,
}

impl ReadError {
    /// The same error, one key further out (each mapping or list adds its key on the way out).
    pub(crate) fn inside(mut self, key: &str) -> Self {
        self.path_inward.push(key.to_string());
        self
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut keys = self.path_inward.iter().rev();
        if let Some(first) = keys.next() {
            f.write_str(first)?;
            for key in keys {
                if key.starts_with('[') {
                    f.write_str(key)?;
                } else {
                    write!(f, ".{key}")?;
                }
            }
            f.write_str(": ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for ReadError {}

impl serde::de::Error for ReadError {
    fn custom<T: std::fmt::Display>(message: T) -> Self {
        ReadError {
            path_inward: Vec::new(),
            message: message.to_string(),
        }
    }
}

impl<'de> Deserializer<'de> for Node<'de> {
    type Error = ReadError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self {
            Node::Null => visitor.visit_unit(),
            Node::Bool(flag) => visitor.visit_bool(flag),
            Node::Number(number) => number.deserialize_any(visitor).map_err(ReadError::custom),
            Node::String(Cow::Borrowed(text)) => visitor.visit_borrowed_str(text),
            Node::String(Cow::Owned(text)) => visitor.visit_string(text),
            Node::Array(items) => {
                let mut items = Items {
                    items: items.into_iter(),
                    index: 0,
                };
                let value = visitor.visit_seq(&mut items)?;
                items.end()?;
                Ok(value)
            }
            Node::Object(entries) => {
                let mut entries = Entries::new(entries);
                let value = visitor.visit_map(&mut entries)?;
                entries.end()?;
                Ok(value)
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self {
            Node::Null => visitor.visit_none(),
            other => visitor.visit_some(other),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        match self {
            Node::String(variant) => visitor.visit_enum(variant.into_deserializer()),
            Node::Object(entries) => visitor.visit_enum(MapAccessDeserializer::new(Entries::new(entries))),
            _ => Err(ReadError::custom("an enum is a string or a mapping of one entry")),
        }
    }

    /// A type skips the value of a field it does not know: here, that is the error.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, ReadError> {
        Err(ReadError::custom("unknown field: its type has no such field"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct seq tuple tuple_struct map struct identifier
    }
}

impl<'de> IntoDeserializer<'de, ReadError> for Node<'de> {
    type Deserializer = Node<'de>;

    fn into_deserializer(self) -> Node<'de> {
        self
    }
}

/// A list's items, read one after the other; an error in one names its index.
struct Items<'de> {
    items: std::vec::IntoIter<Node<'de>>,
    index: usize,
}

impl Items<'_> {
    /// Fails if the type stopped reading before the last item.
    fn end(self) -> Result<(), ReadError> {
        match self.items.len() {
            0 => Ok(()),
            _ => Err(ReadError::custom("an item the type did not read").inside(&format!("[{}]", self.index))),
        }
    }
}

impl<'de> SeqAccess<'de> for Items<'de> {
    type Error = ReadError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, ReadError> {
        let Some(item) = self.items.next() else {
            return Ok(None);
        };
        let index = self.index;
        self.index += 1;
        seed.deserialize(item)
            .map(Some)
            .map_err(|error| error.inside(&format!("[{index}]")))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// A mapping's entries but its comments, read one after the other. The key being read stays
/// here (its deserializer borrows it), so that an error in its value can name it.
struct Entries<'de> {
    entries: std::vec::IntoIter<(Cow<'de, str>, Node<'de>)>,
    key: Cow<'de, str>,
    value: Option<Node<'de>>,
}

impl<'de> Entries<'de> {
    fn new(entries: Vec<(Cow<'de, str>, Node<'de>)>) -> Self {
        Entries {
            entries: entries.into_iter(),
            key: Cow::Borrowed(""),
            value: None,
        }
    }

    /// Fails if the type stopped reading before the last field.
    fn end(mut self) -> Result<(), ReadError> {
        match self.entries.find(|(key, _)| key != COMMENT) {
            None => Ok(()),
            Some((key, _)) => Err(ReadError::custom("an entry the type did not read").inside(&key)),
        }
    }
}

impl<'de> MapAccess<'de> for Entries<'de> {
    type Error = ReadError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, ReadError> {
        let Some((key, value)) = self.entries.find(|(key, _)| key != COMMENT) else {
            return Ok(None);
        };
        self.value = Some(value);
        self.key = key;
        match &self.key {
            Cow::Borrowed(key) => {
                let key: &'de str = key;
                seed.deserialize(BorrowedStrDeserializer::new(key)).map(Some)
            }
            Cow::Owned(key) => seed.deserialize(key.as_str().into_deserializer()).map(Some),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, ReadError> {
        let value = self
            .value
            .take()
            .ok_or_else(|| ReadError::custom("a value read before its key"))?;
        seed.deserialize(value).map_err(|error| error.inside(&self.key))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
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

    /// Serde's default: unknown fields skipped, as `k8s-openapi`'s types do.
    #[derive(Deserialize, Debug)]
    struct Lenient {
        #[serde(rename = "spec")]
        _spec: LenientSpec,
    }

    #[derive(Deserialize, Debug)]
    struct LenientSpec {
        #[serde(rename = "ports")]
        _ports: Vec<LenientPort>,
    }

    #[derive(Deserialize, Debug)]
    struct LenientPort {
        #[serde(rename = "port")]
        _port: u16,
    }

    #[test]
    fn a_field_the_type_skips_is_an_error_at_its_path() {
        let read = |json: &str| Lenient::deserialize(parse(json).unwrap().remove(0)).map_err(|e| e.to_string());
        assert!(read(r##"{"spec": {"ports": [{"port": 80, "#": "a comment"}]}}"##).is_ok());
        let error = read(r#"{"spec": {"ports": [{"port": 80}, {"port": 81, "protocol": "TCP"}]}}"#).unwrap_err();
        assert!(error.starts_with("spec.ports[1].protocol: unknown field"), "{error}");
        let error = read(r#"{"spec": {"ports": [{"port": "eighty"}]}}"#).unwrap_err();
        assert!(error.starts_with("spec.ports[0].port: invalid type"), "{error}");
        let error = read(r#"{"kind": "Service", "spec": {"ports": []}}"#).unwrap_err();
        assert!(error.starts_with("kind: unknown field"), "{error}");
    }

    #[test]
    fn wrong_types_and_unknown_fields_are_errors() {
        assert!(read(r#"{"name": 1, "mode": "Fast", "tags": [], "quantity": "1"}"#).is_err());
        assert!(read(r#"{"name": "a", "mode": "Medium", "tags": [], "quantity": "1"}"#).is_err());
        let unknown = read(r#"{"name": "a", "mode": "Fast", "tags": [], "quantity": "1", "prot": 1}"#);
        assert!(unknown.unwrap_err().contains("prot"));
    }
}
