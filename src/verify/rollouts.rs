//! Argo Rollouts' custom resources, which have no `k8s-openapi` type: our own
//! `deny_unknown_fields` structs for the fields platc emits, with the pod template checked as
//! the `k8s-openapi` `PodTemplateSpec` a Deployment's is.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::PodTemplateSpec;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use serde::Deserialize;

use super::strictly;
use crate::render::json::Node;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)] // deserialized only to type-check the document
struct Rollout {
    api_version: String,
    kind: String,
    metadata: ObjectMeta,
    spec: RolloutSpec,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct RolloutSpec {
    replicas: Option<i32>,
    selector: LabelSelector,
    strategy: Strategy,
    template: PodTemplateSpec,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct Strategy {
    canary: Option<Canary>,
    blue_green: Option<BlueGreen>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct Canary {
    canary_service: Option<String>,
    stable_service: Option<String>,
    traffic_routing: Option<TrafficRouting>,
    max_surge: Option<i32>,
    max_unavailable: Option<i32>,
    analysis: Option<AnalysisRef>,
    steps: Vec<Step>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct TrafficRouting {
    nginx: Nginx,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct Nginx {
    stable_ingress: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct Step {
    set_weight: Option<i32>,
    pause: Option<Pause>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct Pause {
    duration: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct BlueGreen {
    active_service: String,
    preview_service: String,
    auto_promotion_enabled: bool,
    pre_promotion_analysis: Option<AnalysisRef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct AnalysisRef {
    templates: Vec<TemplateRef>,
    args: Vec<Argument>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct TemplateRef {
    template_name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct Argument {
    name: String,
    value_from: Option<BTreeMap<String, String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct AnalysisTemplate {
    api_version: String,
    kind: String,
    metadata: ObjectMeta,
    spec: AnalysisTemplateSpec,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct AnalysisTemplateSpec {
    args: Vec<TemplateArgument>,
    metrics: Vec<Metric>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct TemplateArgument {
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct Metric {
    name: String,
    interval: String,
    count: Option<u32>,
    failure_limit: u32,
    success_condition: String,
    provider: Provider,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct Provider {
    prometheus: Prometheus,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct Prometheus {
    address: String,
    query: String,
}

/// A Rollout: exactly one strategy, and every step either a weight or a pause.
pub(super) fn rollout(document: Node) -> Result<(), String> {
    let rollout = strictly::<Rollout>(document)?;
    let strategy = &rollout.spec.strategy;
    if strategy.canary.is_some() == strategy.blue_green.is_some() {
        return Err("a Rollout needs exactly one of canary and blueGreen".into());
    }
    let steps = strategy.canary.iter().flat_map(|c| &c.steps);
    if steps.into_iter().any(|s| s.set_weight.is_some() == s.pause.is_some()) {
        return Err("a canary step is either setWeight or pause".into());
    }
    Ok(())
}

pub(super) fn analysis_template(document: Node) -> Result<(), String> {
    strictly::<AnalysisTemplate>(document).map(drop)
}

#[cfg(test)]
mod tests {
    use super::super::kubernetes::verify;

    const ROLLOUT: &str = "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: a\nspec:\n  selector:\n    matchLabels:\n      app: a\n  strategy:\n    canary:\n      steps:\n        - setWeight: 10\n        - pause: {}\n  template:\n    metadata:\n      labels:\n        app: a\n    spec:\n      containers:\n        - name: a\n          image: a:1\n";

    #[test]
    fn a_rollout_parses_back() {
        assert_eq!(verify(ROLLOUT), Ok(()));
    }

    #[test]
    fn unknown_fields_in_the_strategy_and_the_pod_template_are_caught() {
        let strategy = ROLLOUT.replace("setWeight: 10", "setWeigth: 10");
        assert!(verify(&strategy).unwrap_err().contains("setWeigth"));
        let pod = ROLLOUT.replace("image: a:1", "image: a:1\n          imagePolicy: Always");
        assert!(verify(&pod).unwrap_err().contains("imagePolicy"));
    }

    #[test]
    fn a_step_is_a_weight_or_a_pause() {
        let both = ROLLOUT.replace("- pause: {}", "- pause: {}\n          setWeight: 20");
        assert!(verify(&both).is_err());
        let neither = ROLLOUT.replace("strategy:\n    canary:", "strategy:\n    blueGreen:\n      activeService: a\n      previewService: b\n      autoPromotionEnabled: true\n    canary:");
        assert!(verify(&neither).is_err(), "two strategies");
    }
}
