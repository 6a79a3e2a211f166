//! The shape check must accept exactly what reading into the `k8s-openapi` type accepts: both
//! are run on every Kubernetes object of the golden trees and on broken copies of them.

use k8s_openapi::api::{
    apps::v1 as apps, autoscaling::v2 as autoscaling, batch::v1 as batch, core::v1 as core,
    networking::v1 as networking, policy::v1 as policy,
};
use serde_json::{Value, json};

use super::{Own, Shape, shapes};
use crate::render::json::Node;

/// Whether reading into the type and the shape check accept `value`; `None` for a kind
/// neither reads.
fn verdicts(value: &Value) -> Option<(bool, bool)> {
    fn pair<T: serde::de::DeserializeOwned>(value: &Value) -> (bool, bool) {
        let node = Node::from(value.clone());
        let by_type = crate::verify::strictly::<T>(node.clone()).is_ok();
        let checked = shapes().check(
            value["apiVersion"].as_str().unwrap_or_default(),
            value["kind"].as_str().unwrap_or_default(),
            &node,
        );
        let by_shape = checked.expect("a kind checked by shape").is_ok();
        (by_type, by_shape)
    }
    match (value["apiVersion"].as_str()?, value["kind"].as_str()?) {
        ("v1", "Namespace") => Some(pair::<core::Namespace>(value)),
        ("v1", "ResourceQuota") => Some(pair::<core::ResourceQuota>(value)),
        ("v1", "LimitRange") => Some(pair::<core::LimitRange>(value)),
        ("v1", "ServiceAccount") => Some(pair::<core::ServiceAccount>(value)),
        ("v1", "Service") => Some(pair::<core::Service>(value)),
        ("v1", "ConfigMap") => Some(pair::<core::ConfigMap>(value)),
        ("v1", "PersistentVolumeClaim") => Some(pair::<core::PersistentVolumeClaim>(value)),
        ("apps/v1", "Deployment") => Some(pair::<apps::Deployment>(value)),
        ("apps/v1", "StatefulSet") => Some(pair::<apps::StatefulSet>(value)),
        ("batch/v1", "CronJob") => Some(pair::<batch::CronJob>(value)),
        ("batch/v1", "Job") => Some(pair::<batch::Job>(value)),
        ("autoscaling/v2", "HorizontalPodAutoscaler") => Some(pair::<autoscaling::HorizontalPodAutoscaler>(value)),
        ("policy/v1", "PodDisruptionBudget") => Some(pair::<policy::PodDisruptionBudget>(value)),
        ("networking.k8s.io/v1", "NetworkPolicy") => Some(pair::<networking::NetworkPolicy>(value)),
        ("networking.k8s.io/v1", "Ingress") => Some(pair::<networking::Ingress>(value)),
        _ => None,
    }
}

/// A few objects of each kind from the golden trees (the first ones found, in path order).
fn golden_objects() -> Vec<Value> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("golden");
    let mut files = Vec::new();
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml") && path.to_string_lossy().contains("kubernetes") {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut per_kind = std::collections::BTreeMap::<String, usize>::new();
    let mut objects = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for object in crate::verify::yaml_documents(&text).unwrap() {
            let kind = format!("{}/{}", object["apiVersion"], object["kind"]);
            let seen = per_kind.entry(kind).or_default();
            if *seen < 6 && verdicts(&object).is_some() {
                *seen += 1;
                objects.push(object);
            }
        }
    }
    objects
}

/// Every path to a value inside `value` (keys and indexes), the root's empty path first.
fn paths(value: &Value, at: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(at.clone());
    match value {
        Value::Object(entries) => {
            for (key, value) in entries {
                at.push(key.clone());
                paths(value, at, out);
                at.pop();
            }
        }
        Value::Array(items) => {
            for (index, value) in items.iter().enumerate() {
                at.push(index.to_string());
                paths(value, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

fn at_path<'v>(value: &'v mut Value, path: &[String]) -> &'v mut Value {
    path.iter().fold(value, |value, key| match value {
        Value::Array(items) => &mut items[key.parse::<usize>().unwrap()],
        other => &mut other[key.as_str()],
    })
}

/// The values a broken copy puts in place of one of an object's values.
fn replacements() -> Vec<Value> {
    vec![
        json!(null),
        json!("x"),
        json!("80"),
        json!("2024-05-01T10:00:00Z"),
        json!("aGVsbG8="),
        json!("not base64!"),
        json!(7),
        json!(-1),
        json!(1.5),
        json!(4_294_967_296_u64),
        json!(18_446_744_073_709_551_615_u64),
        json!(true),
        json!({}),
        json!([]),
        json!({ "zzz": 1 }),
        json!(["x"]),
        json!([null]),
        json!({ "k": "v" }),
        json!({ "k": null }),
        json!(""),
        json!("80%"),
        json!(0),
        json!(1.0),
        json!(2_147_483_647),
        json!(2_147_483_648_i64),
        json!(-2_147_483_649_i64),
        json!(9_223_372_036_854_775_808_u64),
        json!({ "#": "c" }),
    ]
}

#[test]
fn shapes_accept_exactly_what_the_types_read() {
    let objects = golden_objects();
    let kinds: std::collections::BTreeSet<String> = objects.iter().map(|o| o["kind"].to_string()).collect();
    assert_eq!(kinds.len(), 15, "the golden trees hold every checked kind: {kinds:?}");
    let replacements = replacements();
    let (mut accepted, mut rejected) = (0, 0);
    for object in &objects {
        assert_eq!(verdicts(object), Some((true, true)), "a golden object: {object}");
        let mut all = Vec::new();
        paths(object, &mut Vec::new(), &mut all);
        for path in all.iter().skip(1) {
            let mut broken: Vec<Value> = replacements
                .iter()
                .map(|replacement| {
                    let mut copy = object.clone();
                    *at_path(&mut copy, path) = replacement.clone();
                    copy
                })
                .collect();
            if let Value::Object(_) = at_path(&mut object.clone(), path) {
                let mut copy = object.clone();
                at_path(&mut copy, path)["zzz"] = json!(1);
                broken.push(copy);
            }
            for copy in broken {
                let Some((by_type, by_shape)) = verdicts(&copy) else {
                    // The root's apiVersion or kind changed: the dispatch refuses it first.
                    continue;
                };
                assert_eq!(by_type, by_shape, "at {path:?}: the type reads it: {by_type}\n{copy}");
                if by_type {
                    accepted += 1;
                } else {
                    rejected += 1;
                }
            }
        }
    }
    assert!(
        accepted > 1000 && rejected > 1000,
        "accepted {accepted}, rejected {rejected}"
    );
}

#[test]
fn the_types_own_readings_are_kept() {
    let check = |value: Value| verdicts(&value).unwrap();
    let config_map = |data: Value| json!({ "apiVersion": "v1", "kind": "ConfigMap", "metadata": { "name": "a" }, "binaryData": data });
    assert_eq!(check(config_map(json!({ "k": "aGk=" }))), (true, true));
    assert_eq!(check(config_map(json!({ "k": "!!" }))), (false, false));
    let stamped = |stamp: Value| json!({ "apiVersion": "v1", "kind": "ServiceAccount", "metadata": { "name": "a", "creationTimestamp": stamp } });
    assert_eq!(check(stamped(json!("2024-05-01T10:00:00Z"))), (true, true));
    assert_eq!(check(stamped(json!("yesterday"))), (false, false));
    assert_eq!(check(stamped(json!(5))), (false, false));
    let quota = |hard: Value| json!({ "apiVersion": "v1", "kind": "ResourceQuota", "metadata": { "name": "q" }, "spec": { "hard": hard } });
    assert_eq!(check(quota(json!({ "cpu": 1.5 }))), (true, true));
    assert_eq!(check(quota(json!({ "cpu": "2" }))), (true, true));
    assert_eq!(check(quota(json!({ "cpu": true }))), (false, false));
}

#[test]
fn a_mismatch_names_its_path() {
    let deployment = json!({ "apiVersion": "apps/v1", "kind": "Deployment", "metadata": { "name": "a" },
        "spec": { "replicas": "many", "template": { "spec": { "containers": [{ "name": "c", "imagePull": "x" }] } } } });
    let node = Node::from(deployment);
    let error = shapes().check("apps/v1", "Deployment", &node).unwrap().unwrap_err();
    assert_eq!(error, "spec.replicas: expected a 32-bit integer, found a string");
    let Node::Object(mut entries) = node else {
        unreachable!()
    };
    entries.retain(|(key, _)| key != "spec");
    entries.push((
        "spec".into(),
        Node::from(json!({ "template": { "spec": { "containers": [{ "name": "c", "imagePull": "x" }] } } })),
    ));
    let error = shapes()
        .check("apps/v1", "Deployment", &Node::Object(entries))
        .unwrap()
        .unwrap_err();
    assert_eq!(
        error,
        "spec.template.spec.containers[0].imagePull: unknown field: its type has no such field"
    );
}

/// A complete value of a shape: every field of every struct filled in.
fn sample(at: usize, depth: usize) -> Value {
    match &shapes().shapes[at] {
        Shape::Any => json!({ "a": [1, null] }),
        Shape::Bool => json!(true),
        Shape::Int32 => json!(3),
        Shape::Int64 => json!(4),
        Shape::Number => json!(1.5),
        Shape::String => json!("s"),
        Shape::Fixed(value) => json!(value),
        Shape::Own(Own::IntOrString) => json!(8080),
        Shape::Own(Own::Quantity) => json!("1Gi"),
        Shape::Own(Own::Time) => json!("2024-05-01T10:00:00Z"),
        Shape::Own(Own::MicroTime) => json!("2024-05-01T10:00:00.000000Z"),
        Shape::Own(Own::Bytes) => json!("aGk="),
        Shape::List(item) => json!([sample(*item, depth + 1)]),
        Shape::Map(value) => json!({ "k": sample(*value, depth + 1) }),
        Shape::Struct { fields, .. } if depth < 40 => Value::Object(
            fields
                .iter()
                .map(|field| (field.name.clone(), sample(field.shape, depth + 1)))
                .collect(),
        ),
        Shape::Struct { .. } => json!({}),
    }
}

/// The first path to each slot (a struct's field, a list's items, a map's values) under a value
/// of shape `at`: a type met again further in is not walked twice.
fn first_paths(
    at: usize,
    value: &Value,
    path: &mut Vec<String>,
    seen: &mut std::collections::HashSet<(usize, String)>,
    out: &mut Vec<Vec<String>>,
) {
    let children: Vec<(String, usize, &Value)> = match (&shapes().shapes[at], value) {
        (Shape::Struct { fields, .. }, Value::Object(entries)) => entries
            .iter()
            .filter_map(|(key, child)| {
                let field = fields.iter().find(|field| field.name == *key)?;
                Some((key.clone(), field.shape, child))
            })
            .collect(),
        (Shape::Map(shape), Value::Object(entries)) => entries
            .iter()
            .map(|(key, child)| (key.clone(), *shape, child))
            .collect(),
        (Shape::List(shape), Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(index, child)| (index.to_string(), *shape, child))
            .collect(),
        _ => Vec::new(),
    };
    for (key, shape, child) in children {
        let slot = match &shapes().shapes[at] {
            Shape::Struct { .. } => key.clone(),
            _ => "*".to_string(),
        };
        if seen.insert((at, slot)) {
            path.push(key);
            out.push(path.clone());
            first_paths(shape, child, path, seen, out);
            path.pop();
        }
    }
}

/// Every field, list item and map value each kind reaches, in a complete object of the kind,
/// replaced in turn by each of many values: both checks give the same verdict on every one.
#[test]
fn every_field_the_kinds_reach_gets_the_same_verdict() {
    let replacements = replacements();
    let (mut cases, mut accepted) = (0, 0);
    let mut seen = std::collections::HashSet::new();
    assert_eq!(shapes().kinds.len(), 15);
    for &(api_version, kind, root) in &shapes().kinds {
        let name = format!("{kind} ({api_version})");
        let object = sample(root, 0);
        assert_eq!(verdicts(&object), Some((true, true)), "a complete {name}");
        let mut slots = Vec::new();
        first_paths(root, &object, &mut Vec::new(), &mut seen, &mut slots);
        for path in &slots {
            for replacement in &replacements {
                let mut copy = object.clone();
                *at_path(&mut copy, path) = replacement.clone();
                let Some((by_type, by_shape)) = verdicts(&copy) else {
                    // The root's apiVersion or kind changed: the dispatch refuses it first.
                    continue;
                };
                assert_eq!(
                    by_type, by_shape,
                    "{name} at {path:?} <- {replacement}: the type reads it: {by_type}"
                );
                cases += 1;
                accepted += usize::from(by_type);
            }
        }
    }
    assert!(cases > 10_000 && accepted > 1_000, "{cases} cases, {accepted} accepted");
}

#[test]
fn a_condition_needs_its_transition_time_and_a_nested_resource_its_own_kind() {
    let pdb = |condition: Value| {
        json!({ "apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": { "name": "a" },
            "status": { "conditions": [condition] } })
    };
    let condition = json!({ "type": "Ready", "status": "True", "reason": "r", "message": "m" });
    let mut stamped = condition.clone();
    stamped["lastTransitionTime"] = json!("2024-05-01T10:00:00Z");
    assert_eq!(verdicts(&pdb(stamped)), Some((true, true)));
    assert_eq!(verdicts(&pdb(condition.clone())), Some((false, false)));
    let mut null = condition;
    null["lastTransitionTime"] = json!(null);
    assert_eq!(verdicts(&pdb(null)), Some((false, false)));
    let set = |claim: Value| {
        json!({ "apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": { "name": "a" },
            "spec": { "selector": {}, "template": {}, "volumeClaimTemplates": [claim] } })
    };
    for (claim, reads) in [
        (json!({ "metadata": { "name": "d" } }), true),
        (
            json!({ "apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": { "name": "d" } }),
            true,
        ),
        (json!({ "apiVersion": "v2", "metadata": { "name": "d" } }), false),
        (json!({ "kind": "Pvc", "metadata": { "name": "d" } }), false),
        (json!({ "kind": null, "metadata": { "name": "d" } }), false),
        (json!({ "apiVersion": 5, "metadata": { "name": "d" } }), false),
    ] {
        assert_eq!(verdicts(&set(claim.clone())), Some((reads, reads)), "{claim}");
    }
}
