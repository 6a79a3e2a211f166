//! The typed check of a rendered Kubernetes object, without building the object.
//!
//! Reading an object into its `k8s-openapi` type allocates every string, map and list of it,
//! only to drop them again: on a large spec that was a quarter of the Kubernetes stream's
//! time. Here the same types are described once per run, from their own JSON schemas (the
//! `schemars` ones `k8s-openapi` generates from the same API definitions as its
//! deserializers), as *shapes*; a rendered [`Node`] is then walked against its shape. The walk
//! accepts exactly what reading into the type accepts (`tests` compares the two on every kind
//! and many broken objects):
//! - a struct's entries are its own fields (any other key is an error, as in
//!   `render::json_de`); a field's value may be `null`, since `k8s-openapi` reads every field
//!   as an `Option` (a missing or null required field becomes its default), but for the few
//!   it does not default ([`Presence`]);
//! - a map's values and a list's items have the value's or item's shape (`null` is not a
//!   string, a number or a struct);
//! - strings, booleans, 32- and 64-bit integers and numbers as serde reads them;
//! - the types with a reading of their own (`IntOrString`, `Quantity`, `Time`, `MicroTime`,
//!   base64 `ByteString`) are read by that very code, value by value;
//! - `RawExtension`, `FieldsV1` and `JSON` hold any value.

use std::collections::HashMap;
use std::sync::OnceLock;

use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{MicroTime, Time};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use schemars::{JsonSchema, SchemaGenerator};
use serde::Deserialize;
use serde::de::Error as _;
use serde_json::{Map, Value as Json};

use crate::render::ReadError;
use crate::render::json::{COMMENT, Node};

/// What a value may be. Shapes refer to each other by their index in [`Shapes::shapes`].
#[derive(Debug)]
enum Shape {
    Any,
    Bool,
    Int32,
    Int64,
    Number,
    String,
    /// Read by its `k8s-openapi` type itself.
    Own(Own),
    List(usize),
    Map(usize),
    /// Fields sorted by [`by_length`], and how many of them are [`Presence::Required`].
    Struct {
        fields: Vec<Field>,
        required: usize,
    },
    /// A resource's own `apiVersion` or `kind`: that string.
    Fixed(&'static str),
}

#[derive(Debug)]
struct Field {
    name: String,
    shape: usize,
    presence: Presence,
}

/// Whether a field may be left out or `null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Presence {
    /// Either: `k8s-openapi` reads the field as an `Option` (a required one becomes its
    /// default).
    Optional,
    /// Neither: required, and its type has no default.
    Required,
    /// It may be left out, never `null`: a resource's `apiVersion` and `kind`, read as strings
    /// and compared with the resource's own, also where a resource sits inside another
    /// (a `StatefulSet`'s `volumeClaimTemplates`).
    NotNull,
}

/// The fields `k8s-openapi` reports missing (`missing_field`) rather than defaulting, of the
/// types the check reaches; its other such fields (`TokenRequestStatus`, `EventSeries`,
/// `WatchEvent`) are in types no checked kind holds.
const REQUIRED_WITHOUT_DEFAULT: &[(&str, &str)] =
    &[("io.k8s.apimachinery.pkg.apis.meta.v1.Condition", "lastTransitionTime")];

#[derive(Debug, Clone, Copy)]
enum Own {
    IntOrString,
    Quantity,
    Time,
    MicroTime,
    Bytes,
}

/// The shapes of every type the check reads, built once per run.
pub(crate) struct Shapes {
    shapes: Vec<Shape>,
    /// A named schema's shape (`io.k8s.api.apps.v1.Deployment`).
    named: HashMap<String, usize>,
    /// Each checked kind's `apiVersion`, `kind` and shape.
    kinds: Vec<(&'static str, &'static str, usize)>,
}

/// Every Kubernetes kind checked by its shape.
macro_rules! kinds {
    ($($kind:ty),* $(,)?) => {
        /// Each kind's schema name, schema, `apiVersion` and `kind`.
        fn describe(generator: &mut SchemaGenerator) -> Vec<(String, Json, &'static str, &'static str)> {
            vec![$((
                <$kind as JsonSchema>::schema_name().into_owned(),
                generator.subschema_for::<$kind>().to_value(),
                <$kind as k8s_openapi::Resource>::API_VERSION,
                <$kind as k8s_openapi::Resource>::KIND,
            )),*]
        }
    };
}

kinds!(
    k8s_openapi::api::core::v1::Namespace,
    k8s_openapi::api::core::v1::ResourceQuota,
    k8s_openapi::api::core::v1::LimitRange,
    k8s_openapi::api::core::v1::ServiceAccount,
    k8s_openapi::api::core::v1::Service,
    k8s_openapi::api::core::v1::ConfigMap,
    k8s_openapi::api::core::v1::PersistentVolumeClaim,
    k8s_openapi::api::apps::v1::Deployment,
    k8s_openapi::api::apps::v1::StatefulSet,
    k8s_openapi::api::batch::v1::CronJob,
    k8s_openapi::api::batch::v1::Job,
    k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler,
    k8s_openapi::api::policy::v1::PodDisruptionBudget,
    k8s_openapi::api::networking::v1::NetworkPolicy,
    k8s_openapi::api::networking::v1::Ingress,
);

/// The shapes, described on first use (`prepare` describes them ahead, beside other work).
pub(crate) fn shapes() -> &'static Shapes {
    static SHAPES: OnceLock<Shapes> = OnceLock::new();
    SHAPES.get_or_init(Shapes::describe)
}

/// Describes the shapes on a thread of their own, so that rendering finds them ready: it
/// takes a few milliseconds, which the stages before rendering leave room for.
pub(crate) fn prepare() {
    // Without a thread (the system refused one), the first check describes them itself.
    let _ = std::thread::Builder::new().spawn(|| {
        shapes();
    });
}

impl Shapes {
    fn describe() -> Shapes {
        let mut generator = SchemaGenerator::default();
        let roots = describe(&mut generator);
        let definitions = generator.take_definitions(true);
        let mut shapes = Shapes {
            shapes: Vec::new(),
            named: HashMap::new(),
            kinds: Vec::new(),
        };
        for (name, schema, api_version, kind) in roots {
            let root = shapes.compile(&schema, &definitions);
            shapes.kinds.push((api_version, kind, root));
            shapes.fix(&name, "apiVersion", api_version);
            shapes.fix(&name, "kind", kind);
        }
        shapes
    }

    /// A resource's `apiVersion` or `kind` field holds its own value, or nothing.
    fn fix(&mut self, resource: &str, field: &str, value: &'static str) {
        let fixed = self.push(Shape::Fixed(value));
        let Some(Shape::Struct { fields, .. }) = self.named.get(resource).map(|&at| &mut self.shapes[at]) else {
            panic!("{resource} is not a struct");
        };
        let Some(field) = fields.iter_mut().find(|f| f.name == field) else {
            panic!("{resource} has no {field}");
        };
        field.shape = fixed;
        field.presence = Presence::NotNull;
    }

    /// The shape of a schema: a reference, or the schema itself.
    fn compile(&mut self, schema: &Json, definitions: &Map<String, Json>) -> usize {
        if let Some(reference) = schema.get("$ref").and_then(Json::as_str) {
            return self.named(reference.rsplit('/').next().unwrap_or(reference), definitions);
        }
        let shape = self.shape_of(schema, definitions);
        self.push(shape)
    }

    fn push(&mut self, shape: Shape) -> usize {
        self.shapes.push(shape);
        self.shapes.len() - 1
    }

    /// The shape of a named definition, compiled once (a placeholder first stands in for it,
    /// so that a type that contains itself refers to its own index).
    fn named(&mut self, name: &str, definitions: &Map<String, Json>) -> usize {
        if let Some(&index) = self.named.get(name) {
            return index;
        }
        let index = self.push(Shape::Any);
        self.named.insert(name.to_string(), index);
        let mut shape = match name {
            "io.k8s.apimachinery.pkg.util.intstr.IntOrString" => Shape::Own(Own::IntOrString),
            "io.k8s.apimachinery.pkg.api.resource.Quantity" => Shape::Own(Own::Quantity),
            "io.k8s.apimachinery.pkg.apis.meta.v1.Time" => Shape::Own(Own::Time),
            "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime" => Shape::Own(Own::MicroTime),
            "io.k8s.apimachinery.pkg.runtime.RawExtension"
            | "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1"
            | "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON" => Shape::Any,
            _ => match definitions.get(name) {
                Some(schema) => self.shape_of(schema, definitions),
                None => panic!("k8s-openapi's schemas do not define {name}"),
            },
        };
        if let Shape::Struct { fields, required } = &mut shape {
            for field in fields.iter_mut() {
                if REQUIRED_WITHOUT_DEFAULT.contains(&(name, field.name.as_str())) {
                    field.presence = Presence::Required;
                    *required += 1;
                }
            }
        }
        self.shapes[index] = shape;
        index
    }

    fn shape_of(&mut self, schema: &Json, definitions: &Map<String, Json>) -> Shape {
        let text = |key: &str| schema.get(key).and_then(Json::as_str);
        match (text("type"), text("format")) {
            (Some("object"), _) => {
                if let Some(Json::Object(properties)) = schema.get("properties") {
                    let mut fields: Vec<Field> = properties
                        .iter()
                        .map(|(name, field)| Field {
                            name: name.clone(),
                            shape: self.compile(field, definitions),
                            presence: Presence::Optional,
                        })
                        .collect();
                    fields.sort_by(|a, b| by_length(&a.name, &b.name));
                    Shape::Struct { fields, required: 0 }
                } else if let Some(values) = schema.get("additionalProperties") {
                    Shape::Map(self.compile(values, definitions))
                } else {
                    panic!("an object schema with neither properties nor values: {schema}")
                }
            }
            (Some("array"), _) => match schema.get("items") {
                Some(items) => Shape::List(self.compile(items, definitions)),
                None => panic!("an array schema without items: {schema}"),
            },
            (Some("string"), Some("byte")) => Shape::Own(Own::Bytes),
            (Some("string"), Some("date-time")) => panic!("a date-time string outside Time: {schema}"),
            (Some("string"), _) => Shape::String,
            (Some("integer"), Some("int32")) => Shape::Int32,
            (Some("integer"), _) => Shape::Int64,
            (Some("number"), _) => Shape::Number,
            (Some("boolean"), _) => Shape::Bool,
            _ => panic!("a schema platc cannot check: {schema}"),
        }
    }

    /// Checks a rendered object against its kind's shape; `None` for a kind not checked by
    /// shape.
    pub(crate) fn check(&self, api_version: &str, kind: &str, node: &Node) -> Option<Result<(), String>> {
        let &(_, _, shape) = self.kinds.iter().find(|(a, k, _)| *a == api_version && *k == kind)?;
        Some(self.value(shape, node).map_err(|error| error.to_string()))
    }

    fn value(&self, shape: usize, node: &Node) -> Result<(), ReadError> {
        match (&self.shapes[shape], node) {
            (Shape::Any, _)
            | (Shape::Bool, Node::Bool(_))
            | (Shape::Number, Node::Number(_))
            | (Shape::String, Node::String(_)) => Ok(()),
            (Shape::Int32, Node::Number(number)) if number.as_i64().is_some_and(|n| i32::try_from(n).is_ok()) => Ok(()),
            (Shape::Int64, Node::Number(number)) if number.as_i64().is_some() => Ok(()),
            (Shape::Own(own), _) => own.read(node),
            (Shape::List(item), Node::Array(items)) => items
                .iter()
                .enumerate()
                .try_for_each(|(index, node)| self.value(*item, node).map_err(|e| e.inside(&format!("[{index}]")))),
            (Shape::Map(value), Node::Object(entries)) => entries
                .iter()
                .filter(|(key, _)| key != COMMENT)
                .try_for_each(|(key, node)| self.value(*value, node).map_err(|e| e.inside(key))),
            (Shape::Struct { fields, required }, Node::Object(entries)) => self.fields(fields, *required, entries),
            (Shape::Fixed(value), Node::String(text)) if text == value => Ok(()),
            (expected, found) => Err(ReadError::custom(format!(
                "expected {}, found {}",
                expected.name(),
                kind(found)
            ))),
        }
    }

    /// A struct's entries: each one of its fields, `null` only where the field may be; and
    /// every required field there.
    fn fields(
        &self,
        fields: &[Field],
        required: usize,
        entries: &[(std::borrow::Cow<'_, str>, Node)],
    ) -> Result<(), ReadError> {
        let mut required_seen = 0;
        for (key, node) in entries.iter().filter(|(key, _)| key != COMMENT) {
            let Ok(at) = fields.binary_search_by(|field| by_length(&field.name, key)) else {
                return Err(ReadError::custom("unknown field: its type has no such field").inside(key));
            };
            let field = &fields[at];
            required_seen += usize::from(field.presence == Presence::Required);
            if *node == Node::Null && field.presence == Presence::Optional {
                continue;
            }
            self.value(field.shape, node).map_err(|e| e.inside(key))?;
        }
        if required_seen < required {
            let missing = fields
                .iter()
                .filter(|f| f.presence == Presence::Required)
                .find(|f| !entries.iter().any(|(key, _)| *key == f.name));
            let name = missing.map_or("", |f| f.name.as_str());
            return Err(ReadError::custom(format!("missing field `{name}`")));
        }
        Ok(())
    }
}

/// Shorter names first, then byte order: most names differ in length, so a lookup compares
/// their bytes only among the few of its own length.
fn by_length(a: &str, b: &str) -> std::cmp::Ordering {
    a.len().cmp(&b.len()).then_with(|| a.as_bytes().cmp(b.as_bytes()))
}

impl Shape {
    fn name(&self) -> &'static str {
        match self {
            Shape::Any | Shape::Own(_) => "a value",
            Shape::Bool => "a boolean",
            Shape::Int32 => "a 32-bit integer",
            Shape::Int64 => "a 64-bit integer",
            Shape::Number => "a number",
            Shape::String => "a string",
            Shape::Fixed(_) => "the resource's own apiVersion or kind",
            Shape::List(_) => "a list",
            Shape::Map(_) | Shape::Struct { .. } => "a mapping",
        }
    }
}

fn kind(node: &Node) -> &'static str {
    match node {
        Node::Null => "null",
        Node::Bool(_) => "a boolean",
        Node::Number(_) => "a number",
        Node::String(_) => "a string",
        Node::Array(_) => "a list",
        Node::Object(_) => "a mapping",
    }
}

impl Own {
    /// Reads the value into its own type, as reading the whole object would.
    fn read(self, node: &Node) -> Result<(), ReadError> {
        let node = node.clone();
        match self {
            Own::IntOrString => IntOrString::deserialize(node).map(drop),
            Own::Quantity => Quantity::deserialize(node).map(drop),
            Own::Time => Time::deserialize(node).map(drop),
            Own::MicroTime => MicroTime::deserialize(node).map(drop),
            Own::Bytes => k8s_openapi::ByteString::deserialize(node).map(drop),
        }
    }
}

#[cfg(test)]
#[path = "shapes_tests.rs"]
mod tests;
