//! The Prometheus Operator's custom resources, which have no `k8s-openapi` type: our own
//! `deny_unknown_fields` structs for the fields platc emits.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Deserialize;

use super::prometheus::RuleFile;
use super::strictly;
use crate::render::json::Node;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)] // deserialized only to type-check the document
struct PrometheusRule {
    api_version: String,
    kind: String,
    metadata: ObjectMeta,
    spec: RuleFile,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct ServiceMonitor {
    api_version: String,
    kind: String,
    metadata: ObjectMeta,
    spec: ServiceMonitorSpec,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct ServiceMonitorSpec {
    selector: LabelSelector,
    namespace_selector: NamespaceSelector,
    endpoints: Vec<Endpoint>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct PodMonitor {
    api_version: String,
    kind: String,
    metadata: ObjectMeta,
    spec: PodMonitorSpec,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct PodMonitorSpec {
    selector: LabelSelector,
    namespace_selector: NamespaceSelector,
    pod_metrics_endpoints: Vec<Endpoint>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct LabelSelector {
    match_labels: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct NamespaceSelector {
    match_names: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct Endpoint {
    port: String,
    path: String,
    interval: String,
    relabelings: Vec<Relabeling>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct Relabeling {
    /// Absent where a fixed `replacement` sets the label (a datastore exporter's `service`).
    source_labels: Option<Vec<String>>,
    regex: Option<String>,
    replacement: Option<String>,
    target_label: String,
    action: String,
}

pub(super) fn prometheus_rule(document: Node) -> Result<(), String> {
    strictly::<PrometheusRule>(document)?.spec.check()
}

pub(super) fn service_monitor(document: Node) -> Result<(), String> {
    named_ports(&strictly::<ServiceMonitor>(document)?.spec.endpoints, "Service")
}

pub(super) fn pod_monitor(document: Node) -> Result<(), String> {
    named_ports(
        &strictly::<PodMonitor>(document)?.spec.pod_metrics_endpoints,
        "container",
    )
}

fn named_ports(endpoints: &[Endpoint], owner: &str) -> Result<(), String> {
    if endpoints.iter().all(|e| e.port == "http" || e.port == "metrics") {
        Ok(())
    } else {
        Err(format!("an endpoint on a port the {owner} does not name"))
    }
}
