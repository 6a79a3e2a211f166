//! Operator mode: the environment's routing as an `AlertmanagerConfig` (monitoring.coreos.com
//! v1alpha1) in its namespace, with native Secret references (`{ name, key }`) instead of
//! files. The Prometheus Operator scopes it to alerts whose `namespace` label is this
//! namespace. v1alpha1 time intervals have no time zone: the checks allow only UTC here.

use serde::Serialize;

use super::{GROUP_INTERVAL, GROUP_WAIT, HELD_BY_SERVICE_DOWN, SAME_SERVICE, routes};
use crate::model::{Alerting, Channel, Environment, Labels, MuteWindow, Platform, Receiver, SecretRef};
use crate::render::RenderError;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AlertmanagerConfig {
    api_version: &'static str,
    kind: &'static str,
    metadata: Metadata,
    spec: Spec,
}

#[derive(Serialize)]
struct Metadata {
    name: String,
    namespace: String,
    labels: Labels,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Spec {
    route: Route,
    receivers: Vec<ReceiverSpec>,
    inhibit_rules: Vec<Inhibit>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    mute_time_intervals: Vec<MuteInterval>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Route {
    receiver: String,
    group_by: Vec<String>,
    group_wait: &'static str,
    group_interval: &'static str,
    repeat_interval: String,
    routes: Vec<ChildRoute>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ChildRoute {
    receiver: String,
    matchers: Vec<Matcher>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    mute_time_intervals: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Matcher {
    name: &'static str,
    value: String,
    match_type: &'static str,
}

#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct ReceiverSpec {
    name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pagerduty_configs: Vec<serde_json::Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    slack_configs: Vec<serde_json::Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    webhook_configs: Vec<serde_json::Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    email_configs: Vec<serde_json::Value>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Inhibit {
    source_match: Vec<Matcher>,
    target_match: Vec<Matcher>,
    equal: Vec<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MuteInterval {
    name: String,
    time_intervals: Vec<serde_json::Value>,
}

/// `(file name under kubernetes/<env>/, contents)`, when the environment has alerting.
pub(crate) fn file(
    platform: &Platform,
    env: &Environment,
    labels: Labels,
) -> Result<Option<(String, String)>, RenderError> {
    let Some(alerting) = &env.alerting else { return Ok(None) };
    let object = AlertmanagerConfig {
        api_version: "monitoring.coreos.com/v1alpha1",
        kind: "AlertmanagerConfig",
        metadata: Metadata {
            name: format!("{}-alerting", platform.name),
            namespace: env.namespace.clone(),
            labels,
        },
        spec: spec(alerting),
    };
    let yaml = crate::render::kubernetes::data_yaml("AlertmanagerConfig", &object)?;
    Ok(Some(("monitoring/alertmanager-config.yaml".to_string(), yaml)))
}

fn spec(alerting: &Alerting) -> Spec {
    let mute: Vec<String> = alerting.mute.iter().map(|m| m.name.clone()).collect();
    Spec {
        route: Route {
            receiver: alerting.default_receiver().to_string(),
            group_by: alerting.group_by.clone(),
            group_wait: GROUP_WAIT,
            group_interval: GROUP_INTERVAL,
            repeat_interval: alerting.repeat.text(),
            routes: routes(alerting)
                .map(|(severity, receiver)| ChildRoute {
                    receiver: receiver.to_string(),
                    matchers: vec![equal("severity", severity)],
                    mute_time_intervals: mute.clone(),
                })
                .collect(),
        },
        receivers: alerting.receivers.iter().map(receiver).collect(),
        inhibit_rules: vec![
            Inhibit {
                source_match: vec![equal("severity", "critical")],
                target_match: vec![equal("severity", "warning")],
                equal: SAME_SERVICE.to_vec(),
            },
            Inhibit {
                source_match: vec![equal("alertname", "ServiceDown")],
                target_match: vec![Matcher {
                    name: "alertname",
                    value: HELD_BY_SERVICE_DOWN.join("|"),
                    match_type: "=~",
                }],
                equal: SAME_SERVICE.to_vec(),
            },
        ],
        mute_time_intervals: alerting.mute.iter().map(mute_interval).collect(),
    }
}

fn equal(name: &'static str, value: &str) -> Matcher {
    Matcher {
        name,
        value: value.to_string(),
        match_type: "=",
    }
}

fn secret(reference: &SecretRef) -> serde_json::Value {
    serde_json::json!({ "name": reference.name, "key": reference.key })
}

fn receiver(receiver: &Receiver) -> ReceiverSpec {
    let mut spec = ReceiverSpec {
        name: receiver.name.clone(),
        ..ReceiverSpec::default()
    };
    match &receiver.channel {
        Channel::PagerDuty { routing_key } => spec
            .pagerduty_configs
            .push(serde_json::json!({ "routingKey": secret(routing_key), "sendResolved": true })),
        Channel::Slack { api_url, channel } => {
            let mut config = serde_json::json!({ "apiURL": secret(api_url), "sendResolved": true });
            if let Some(channel) = channel {
                config["channel"] = channel.as_str().into();
            }
            spec.slack_configs.push(config);
        }
        Channel::Webhook { url } => spec
            .webhook_configs
            .push(serde_json::json!({ "urlSecret": secret(url), "sendResolved": true })),
        Channel::Email {
            to,
            smarthost,
            from,
            password,
        } => {
            let mut config = serde_json::json!({
                "to": to, "from": from, "smarthost": smarthost, "requireTLS": true, "sendResolved": true,
            });
            if let Some(password) = password {
                config["authUsername"] = from.as_str().into();
                config["authPassword"] = secret(password);
            }
            spec.email_configs.push(config);
        }
    }
    spec
}

fn mute_interval(window: &MuteWindow) -> MuteInterval {
    let mut interval = serde_json::Map::new();
    if !window.weekdays.is_empty() {
        interval.insert("weekdays".into(), window.weekdays.clone().into());
    }
    if let Some(times) = &window.times {
        interval.insert(
            "times".into(),
            serde_json::json!([{ "startTime": times.start, "endTime": times.end }]),
        );
    }
    MuteInterval {
        name: window.name.clone(),
        time_intervals: vec![serde_json::Value::Object(interval)],
    }
}
