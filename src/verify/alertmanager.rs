//! Alertmanager configuration → our own `deny_unknown_fields` types: the fields platc
//! writes and nothing else, so an inlined secret (`routing_key`, `api_url`, `url`,
//! `auth_password`) fails here. Then the references inside: every route's receiver and
//! mute interval is defined, every receiver has one channel, every secret is a file under
//! the secrets folder.

use serde::Deserialize;

use super::strictly;
use crate::render::alertmanager::SECRETS_DIR;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    route: Route,
    receivers: Vec<Receiver>,
    inhibit_rules: Vec<Inhibit>,
    #[serde(default)]
    time_intervals: Vec<TimeInterval>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // deserialized only to type-check the document
struct Route {
    receiver: String,
    group_by: Vec<String>,
    group_wait: String,
    group_interval: String,
    repeat_interval: String,
    routes: Vec<ChildRoute>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChildRoute {
    receiver: String,
    matchers: Vec<String>,
    #[serde(default)]
    mute_time_intervals: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
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
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct PagerDuty {
    routing_key_file: String,
    send_resolved: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Slack {
    api_url_file: String,
    channel: Option<String>,
    send_resolved: bool,
    title: String,
    text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Webhook {
    url_file: String,
    send_resolved: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Email {
    to: String,
    from: String,
    smarthost: String,
    auth_username: Option<String>,
    auth_password_file: Option<String>,
    require_tls: bool,
    send_resolved: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Inhibit {
    source_matchers: Vec<String>,
    target_matchers: Vec<String>,
    equal: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TimeInterval {
    name: String,
    time_intervals: Vec<TimeSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct TimeSpec {
    #[serde(default)]
    weekdays: Vec<String>,
    #[serde(default)]
    times: Vec<Times>,
    location: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Times {
    start_time: String,
    end_time: String,
}

pub fn verify(text: &str) -> Result<(), String> {
    let mut documents = super::yaml_documents(text)?;
    if documents.len() != 1 {
        return Err(format!("expected one YAML document, found {}", documents.len()));
    }
    let config = strictly::<Config>(documents.remove(0))?;
    let receivers: Vec<&str> = config.receivers.iter().map(|r| r.name.as_str()).collect();
    let intervals: Vec<&str> = config.time_intervals.iter().map(|t| t.name.as_str()).collect();
    let routed = std::iter::once(&config.route.receiver).chain(config.route.routes.iter().map(|r| &r.receiver));
    if let Some(missing) = routed.clone().find(|r| !receivers.contains(&r.as_str())) {
        return Err(format!("a route sends to receiver `{missing}`, which is not defined"));
    }
    for route in &config.route.routes {
        if route.matchers.is_empty() {
            return Err(format!("the route to `{}` matches every alert", route.receiver));
        }
        if let Some(missing) = route
            .mute_time_intervals
            .iter()
            .find(|m| !intervals.contains(&m.as_str()))
        {
            return Err(format!("a route is muted by `{missing}`, which is not defined"));
        }
    }
    if config.time_intervals.iter().any(|t| t.time_intervals.is_empty()) {
        return Err("a time interval without a time".into());
    }
    for receiver in &config.receivers {
        channel_files(receiver)?;
    }
    if config
        .inhibit_rules
        .iter()
        .any(|i| i.source_matchers.is_empty() || i.target_matchers.is_empty() || i.equal.is_empty())
    {
        return Err("an inhibit rule that holds too much".into());
    }
    Ok(())
}

/// One channel, and each secret a file under `SECRETS_DIR`.
fn channel_files(receiver: &Receiver) -> Result<(), String> {
    let count = receiver.pagerduty_configs.len()
        + receiver.slack_configs.len()
        + receiver.webhook_configs.len()
        + receiver.email_configs.len();
    if count != 1 {
        return Err(format!("receiver `{}` has {count} channels", receiver.name));
    }
    let files = receiver
        .pagerduty_configs
        .iter()
        .map(|c| &c.routing_key_file)
        .chain(receiver.slack_configs.iter().map(|c| &c.api_url_file))
        .chain(receiver.webhook_configs.iter().map(|c| &c.url_file))
        .chain(
            receiver
                .email_configs
                .iter()
                .filter_map(|c| c.auth_password_file.as_ref()),
        );
    for file in files {
        if !file.starts_with(&format!("{SECRETS_DIR}/")) {
            return Err(format!(
                "receiver `{}` reads a secret outside {SECRETS_DIR}: {file}",
                receiver.name
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::verify;

    const GOOD: &str = "route:\n  receiver: a\n  group_by: [alertname]\n  group_wait: 30s\n  group_interval: 5m\n  repeat_interval: 4h\n  routes:\n  - receiver: a\n    matchers: ['severity=\"critical\"']\nreceivers:\n- name: a\n  pagerduty_configs:\n  - routing_key_file: /etc/alertmanager/secrets/pd/key\n    send_resolved: true\ninhibit_rules: []\n";

    #[test]
    fn a_routed_receiver_passes() {
        verify(GOOD).unwrap();
    }

    #[test]
    fn inlined_secrets_and_undefined_receivers_fail() {
        let inlined = GOOD.replace("routing_key_file: /etc/alertmanager/secrets/pd/key", "routing_key: abc");
        assert!(verify(&inlined).unwrap_err().contains("routing_key"));
        let undefined = GOOD.replace("  - receiver: a\n", "  - receiver: b\n");
        assert!(verify(&undefined).unwrap_err().contains("`b`"));
        let outside = GOOD.replace("/etc/alertmanager/secrets/pd/key", "/tmp/key");
        assert!(verify(&outside).is_err());
        let muted = GOOD.replace("    matchers:", "    mute_time_intervals: [night]\n    matchers:");
        assert!(verify(&muted).unwrap_err().contains("night"));
    }
}
