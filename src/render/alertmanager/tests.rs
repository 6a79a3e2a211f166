//! The routing platc writes for the alerting spec: receivers by file, routes by severity,
//! inhibitions and mute windows, in both the plain file and the operator's resource.

use crate::model::Platform;

const SPEC: &str = r##"
[platform]
name = "shop"
prometheus_operator = true
[environments.production]
[environments.staging]
paging = false
[environments.staging.alerting]
routes = { critical = "chat", warning = "chat" }
[services.web]
image = "web:1"
port = 8080
[alerting]
routes = { critical = "oncall", warning = "chat" }
repeat = "2h"
mute = [{ name = "sunday", weekdays = ["sunday"], times = "02:00-04:00" }]
[alerting.receivers.oncall]
pagerduty = "alerting/pd-key"
[alerting.receivers.chat]
slack = "alerting/slack-url"
channel = "#shop"
[alerting.receivers.hook]
webhook = "alerting/hook-url"
[alerting.receivers.mail]
email = "ops@example.com"
smtp = { host = "smtp.example.com:587", from = "am@example.com", password = "alerting/smtp" }
"##;

fn platform() -> Platform {
    crate::compile(SPEC)
        .unwrap_or_else(|_| panic!("the test spec compiles"))
        .platform
}

fn yaml(text: &str) -> serde_json::Value {
    crate::verify::yaml_documents(text).expect("YAML").remove(0)
}

#[test]
fn severities_route_to_their_receivers_and_secrets_are_files() {
    let platform = platform();
    let production = &platform.environments[0];
    let config = yaml(&super::config_text(&platform, production).unwrap().unwrap());
    let route = &config["route"];
    assert_eq!(
        route["receiver"], "chat",
        "unrouted severities go to the warning receiver"
    );
    assert_eq!(route["repeat_interval"], "2h");
    assert_eq!(route["routes"][0]["receiver"], "oncall");
    assert_eq!(route["routes"][0]["matchers"][0], "severity=\"critical\"");
    assert_eq!(route["routes"][1]["mute_time_intervals"][0], "sunday");
    let receivers = config["receivers"].as_array().unwrap();
    let by_name = |name: &str| receivers.iter().find(|r| r["name"] == name).unwrap().clone();
    assert_eq!(
        by_name("oncall")["pagerduty_configs"][0]["routing_key_file"],
        "/etc/alertmanager/secrets/alerting/pd-key"
    );
    assert_eq!(by_name("chat")["slack_configs"][0]["channel"], "#shop");
    assert_eq!(
        by_name("hook")["webhook_configs"][0]["url_file"],
        "/etc/alertmanager/secrets/alerting/hook-url"
    );
    assert_eq!(
        by_name("mail")["email_configs"][0]["auth_password_file"],
        "/etc/alertmanager/secrets/alerting/smtp"
    );
    assert_eq!(config["time_intervals"][0]["time_intervals"][0]["location"], "UTC");
}

#[test]
fn a_services_critical_holds_its_warnings_and_service_down_its_symptoms() {
    let platform = platform();
    let config = yaml(
        &super::config_text(&platform, &platform.environments[0])
            .unwrap()
            .unwrap(),
    );
    let rules = config["inhibit_rules"].as_array().unwrap();
    assert_eq!(rules[0]["source_matchers"][0], "severity=\"critical\"");
    assert_eq!(rules[0]["target_matchers"][0], "severity=\"warning\"");
    assert_eq!(rules[1]["source_matchers"][0], "alertname=\"ServiceDown\"");
    assert_eq!(
        rules[1]["target_matchers"][0],
        "alertname=~\"HighErrorRate|HighLatency|SLOErrorBudgetBurn\""
    );
    for rule in rules {
        assert_eq!(rule["equal"], serde_json::json!(["namespace", "service"]));
    }
}

#[test]
fn the_environment_override_replaces_the_routes() {
    let platform = platform();
    let staging = &platform.environments[1];
    let config = yaml(&super::config_text(&platform, staging).unwrap().unwrap());
    let routes = config["route"]["routes"].as_array().unwrap();
    assert!(routes.iter().all(|r| r["receiver"] == "chat"), "{routes:?}");
}

#[test]
fn operator_mode_uses_secret_references() {
    let platform = platform();
    let env = &platform.environments[0];
    let labels = crate::model::Labels::new();
    let (name, text) = super::operator::file(&platform, env, labels).unwrap().unwrap();
    assert_eq!(name, "monitoring/alertmanager-config.yaml");
    let object = yaml(&text);
    assert_eq!(object["kind"], "AlertmanagerConfig");
    let receivers = object["spec"]["receivers"].as_array().unwrap();
    let oncall = receivers.iter().find(|r| r["name"] == "oncall").unwrap();
    assert_eq!(
        oncall["pagerdutyConfigs"][0]["routingKey"],
        serde_json::json!({ "name": "alerting", "key": "pd-key" })
    );
    assert_eq!(
        object["spec"]["muteTimeIntervals"][0]["timeIntervals"][0]["times"][0]["startTime"],
        "02:00"
    );
    assert!(!text.contains("_file"), "no file paths in operator mode");
}
