//! The `AlertmanagerConfig` custom resource (monitoring.coreos.com/v1alpha1) → our own
//! `deny_unknown_fields` types for the fields platc emits; secrets only as `{ name, key }`
//! Secret references, and every routed receiver defined.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::SecretKeySelector;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Deserialize;

use super::strictly;
use crate::render::json::Node;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)] // deserialized only to type-check the document
struct AlertmanagerConfig {
    api_version: String,
    kind: String,
    metadata: ObjectMeta,
    spec: Spec,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct Spec {
    route: Route,
    receivers: Vec<Receiver>,
    inhibit_rules: Vec<Inhibit>,
    #[serde(default)]
    mute_time_intervals: Vec<MuteInterval>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct Route {
    receiver: String,
    #[serde(default)]
    matchers: Vec<Matcher>,
    #[serde(default)]
    group_by: Vec<String>,
    group_wait: Option<String>,
    group_interval: Option<String>,
    repeat_interval: Option<String>,
    #[serde(default)]
    mute_time_intervals: Vec<String>,
    #[serde(default)]
    routes: Vec<Route>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct Matcher {
    name: String,
    value: String,
    match_type: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct Receiver {
    name: String,
    #[serde(default)]
    pagerduty_configs: Vec<PagerDuty>,
    #[serde(default)]
    slack_configs: Vec<Slack>,
    #[serde(default)]
    webhook_configs: Vec<Webhook>,
    #[serde(default)]
    email_configs: Vec<Email>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct PagerDuty {
    routing_key: SecretKeySelector,
    send_resolved: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct Slack {
    #[serde(rename = "apiURL")]
    api_url: SecretKeySelector,
    channel: Option<String>,
    send_resolved: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct Webhook {
    url_secret: SecretKeySelector,
    send_resolved: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct Email {
    to: String,
    from: String,
    smarthost: String,
    auth_username: Option<String>,
    auth_password: Option<SecretKeySelector>,
    #[serde(rename = "requireTLS")]
    require_tls: bool,
    send_resolved: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct Inhibit {
    source_match: Vec<Matcher>,
    target_match: Vec<Matcher>,
    equal: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct MuteInterval {
    name: String,
    time_intervals: Vec<BTreeMap<String, serde_json::Value>>,
}

pub(super) fn verify(document: Node) -> Result<(), String> {
    let config = strictly::<AlertmanagerConfig>(document)?;
    let spec = &config.spec;
    let defined: Vec<&str> = spec.receivers.iter().map(|r| r.name.as_str()).collect();
    let mut routes = vec![&spec.route];
    while let Some(route) = routes.pop() {
        if !defined.contains(&route.receiver.as_str()) {
            return Err(format!(
                "a route sends to receiver `{}`, which is not defined",
                route.receiver
            ));
        }
        routes.extend(&route.routes);
    }
    let allowed = ["weekdays", "times"];
    let interval_keys = spec
        .mute_time_intervals
        .iter()
        .flat_map(|m| m.time_intervals.iter().flat_map(BTreeMap::keys));
    if let Some(key) = interval_keys.into_iter().find(|k| !allowed.contains(&k.as_str())) {
        return Err(format!("a time interval has field `{key}`"));
    }
    Ok(())
}
