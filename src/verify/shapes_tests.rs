//! The shape check must accept exactly what reading into the `k8s-openapi` type accepts: both
//! are run on every Kubernetes object of the golden trees and on broken copies of them.

use k8s_openapi::api::{
    apps::v1 as apps, autoscaling::v2 as autoscaling, batch::v1 as batch, core::v1 as core,
    networking::v1 as networking, policy::v1 as policy,
};
use serde_json::{Value, json};

use super::shapes;
use crate::render::json::Node;

/// Whether reading into the type and the shape check accept `value`; `None` for a kind
/// neither reads.
fn verdicts(value: &Value) -> Option<(bool, bool)> {
    fn pair<T: serde::de::DeserializeOwned + schemars::JsonSchema>(value: &Value) -> (bool, bool) {
        let node = Node::from(value.clone());
        let by_type = crate::verify::strictly::<T>(node.clone()).is_ok();
        let by_shape = shapes().check(&T::schema_name(), &node).is_ok();
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

#[test]
fn shapes_accept_exactly_what_the_types_read() {
    let objects = golden_objects();
    let kinds: std::collections::BTreeSet<String> = objects.iter().map(|o| o["kind"].to_string()).collect();
    assert!(kinds.len() >= 10, "the golden trees hold too few kinds: {kinds:?}");
    let replacements = [
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
    ];
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
                let (by_type, by_shape) = verdicts(&copy).unwrap_or((false, false));
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
    let error = shapes().check("io.k8s.api.apps.v1.Deployment", &node).unwrap_err();
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
        .check("io.k8s.api.apps.v1.Deployment", &Node::Object(entries))
        .unwrap_err();
    assert_eq!(
        error,
        "spec.template.spec.containers[0].imagePull: unknown field: its type has no such field"
    );
}
