//! Kubernetes documents → their `k8s-openapi` types (Kubernetes 1.33 API), unknown fields
//! caught although k8s-openapi itself silently drops them. The built-in kinds are checked
//! against their types' shapes (`verify::shapes`, which lists them: what reading into the type
//! accepts, without building it); the rest are read into their types through the parsed-back
//! `Node`, which reports a field its type skips (`render::json_de`).

use super::strictly;
use crate::render::json::Node;

/// The objects a template rendered (`render::json::parse` has read them with every mapping's
/// keys distinct), each read into its type.
pub fn objects(nodes: Vec<Node>) -> Result<(), String> {
    nodes.into_iter().try_for_each(object)
}

/// Every document of a YAML text, each read into its type.
#[cfg(test)]
pub fn verify(text: &str) -> Result<(), String> {
    super::yaml_documents(text)?
        .into_iter()
        .map(Node::from)
        .try_for_each(object)
}

/// Describes the Kubernetes types' shapes ahead, on a thread of their own (`build` calls it
/// first, so that rendering finds them ready).
pub fn prepare() {
    super::shapes::prepare();
}

/// One Kubernetes object read into the type its `apiVersion` and `kind` name.
pub fn object(document: Node) -> Result<(), String> {
    let kind = document.string("kind").unwrap_or_default().to_string();
    let api_version = document.string("apiVersion").unwrap_or_default().to_string();
    typed(&api_version, &kind, document).map_err(|message| format!("{kind} ({api_version}): {message}"))
}

fn typed(api_version: &str, kind: &str, document: Node) -> Result<(), String> {
    if let Some(checked) = super::shapes::shapes().check(api_version, kind, &document) {
        return checked;
    }
    match (api_version, kind) {
        ("postgresql.cnpg.io/v1", kind) => super::cnpg::verify(kind, document),
        ("kustomize.config.k8s.io/v1beta1", "Kustomization") => strictly::<Kustomization>(document).map(drop),
        ("monitoring.coreos.com/v1", "PrometheusRule") => super::monitoring::prometheus_rule(document),
        ("monitoring.coreos.com/v1", "ServiceMonitor") => super::monitoring::service_monitor(document),
        ("monitoring.coreos.com/v1", "PodMonitor") => super::monitoring::pod_monitor(document),
        ("argoproj.io/v1alpha1", "Rollout") => super::rollouts::rollout(document),
        ("argoproj.io/v1alpha1", "AnalysisTemplate") => super::rollouts::analysis_template(document),
        ("monitoring.coreos.com/v1alpha1", "AlertmanagerConfig") => super::alertmanager_config::verify(document),
        _ => Err("not a kind platc emits".to_string()),
    }
}

/// The part of a Kustomization platc writes.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Kustomization {
    #[serde(rename = "apiVersion")]
    _api_version: String,
    #[serde(rename = "kind")]
    _kind: String,
    #[serde(rename = "resources")]
    _resources: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::verify;

    #[test]
    fn unknown_fields_are_caught() {
        let text = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\nautomountToken: false\n";
        let error = verify(text).unwrap_err();
        assert!(error.contains("automountToken"), "{error}");
    }

    #[test]
    fn wrong_types_are_caught() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\nspec:\n  replicas: many\n";
        assert!(verify(text).is_err());
    }

    #[test]
    fn known_objects_pass() {
        let text = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\nautomountServiceAccountToken: false\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  k: v\n";
        assert!(verify(text).is_ok());
    }

    #[test]
    fn rendered_json_objects_are_read_into_their_types() {
        let good = r#"{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "a",},}
{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b"}, "data": {"k": "v"}}"#;
        let objects = |json: &str| crate::render::json::parse(json).and_then(super::objects);
        assert_eq!(objects(good), Ok(()));
        let unknown =
            r#"{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "a"}, "automountToken": false}"#;
        assert!(objects(unknown).unwrap_err().contains("automountToken"));
        let twice =
            r#"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b"}, "data": {"k": "v", "k": "w"}}"#;
        assert!(objects(twice).unwrap_err().contains("`k` appears twice"));
        let typed = r#"{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "a"}, "spec": {"replicas": "many"}}"#;
        assert!(objects(typed).is_err());
    }

    #[test]
    fn unexpected_kinds_are_caught() {
        assert!(verify("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n").is_err());
    }
}
