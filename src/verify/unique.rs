//! A parsed YAML document as a JSON value, with one rule `serde_json::Value` does not keep: a
//! mapping may not name a key twice. (Read into a `Value`, the last duplicate would silently
//! win, and two Compose services or two labels of one name would pass verification.)

use serde::de::{Deserialize, Deserializer, Error, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// A `Value` read with every mapping's keys distinct.
pub struct Unique(pub Value);

impl<'de> Deserialize<'de> for Unique {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(UniqueVisitor).map(Unique)
    }
}

struct UniqueVisitor;

impl<'de> Visitor<'de> for UniqueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        Unique::deserialize(deserializer).map(|unique| unique.0)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(Unique(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if entries.contains_key(&key) {
                return Err(A::Error::custom(format!(
                    "the key `{key}` appears twice in one mapping"
                )));
            }
            let Unique(value) = map.next_value()?;
            entries.insert(key, value);
        }
        Ok(Value::Object(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::super::yaml_documents;

    #[test]
    fn a_key_twice_in_one_mapping_is_an_error() {
        let error = yaml_documents("services:\n  api:\n    image: a\n  api:\n    image: b\n").unwrap_err();
        assert!(error.contains("the key `api` appears twice"), "{error}");
        let nested = yaml_documents("a:\n  - x: 1\n    y: 2\n    x: 3\n").unwrap_err();
        assert!(nested.contains("`x` appears twice"), "{nested}");
    }

    #[test]
    fn the_same_key_in_different_mappings_is_fine() {
        let documents = yaml_documents("a:\n  name: x\nb:\n  name: y\n---\na: 1\n").unwrap();
        assert_eq!(documents.len(), 2);
        assert_eq!(documents[0]["b"]["name"], "y");
        assert_eq!(documents[1]["a"], 1);
    }
}
