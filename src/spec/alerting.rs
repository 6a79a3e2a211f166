//! `[alerting]` (and `environments.<env>.alerting`, merged over it): who is told about
//! alerts. Receivers name one channel each; secrets are refs (`"<secret>/<key>"`), never
//! values. Contract: SPEC.md §8.

use schemars::JsonSchema;
use serde::Deserialize;

use super::raw::{Map, Text};
use super::schema::{DURATION, SECRET_REF};
use super::spanned::Spanned;

/// `[alerting]`: Alertmanager routes and receivers.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAlerting {
    /// Severity (`critical`, `warning`) → the receiver told. Default: none (alerts are
    /// not sent). Example: `{ critical = "oncall", warning = "team-chat" }`.
    pub routes: Option<Spanned<Map<Text>>>,
    /// Labels that group alerts into one notification. Default
    /// `["alertname", "namespace", "service"]`. Example: `["alertname", "service"]`.
    pub group_by: Option<Vec<Text>>,
    /// How often a still-firing group is sent again, a duration. Default `"4h"`. Example:
    /// `"12h"`.
    #[schemars(pattern(DURATION))]
    pub repeat: Option<Text>,
    /// Time windows in which notifications are held. Default: none. Example:
    /// `[{ name = "maintenance", weekdays = ["sunday"], times = "02:00-04:00" }]`.
    pub mute: Option<Vec<Spanned<RawMute>>>,
    /// Where notifications go, by receiver name; `routes` name them. Default: none.
    /// Example: `[alerting.receivers.oncall]` with `pagerduty = "pagerduty/routing-key"`.
    pub receivers: Option<Map<Spanned<RawReceiver>>>,
}

/// One receiver: exactly one of `pagerduty`, `slack`, `webhook`, `email`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawReceiver {
    /// Secret ref (`"<secret>/<key>"`) of the `PagerDuty` Events v2 routing key. Example:
    /// `"pagerduty/routing-key"`.
    #[schemars(pattern(SECRET_REF))]
    pub pagerduty: Option<Text>,
    /// Secret ref of the Slack incoming-webhook URL. Example: `"slack/webhook-url"`.
    #[schemars(pattern(SECRET_REF))]
    pub slack: Option<Text>,
    /// Slack channel (with `slack`). Default: the webhook's own. Example: `"#alerts"`.
    pub channel: Option<Text>,
    /// Secret ref of the webhook URL. Example: `"alert-hook/url"`.
    #[schemars(pattern(SECRET_REF))]
    pub webhook: Option<Text>,
    /// Address the mail goes to (needs `smtp`). Example: `"oncall@example.com"`.
    pub email: Option<Text>,
    /// The mail server `email` is sent through. Example:
    /// `{ host = "smtp.example.com:587", from = "alerts@example.com", password = "smtp/password" }`.
    pub smtp: Option<Spanned<RawSmtp>>,
}

/// `smtp`: the mail server of an `email` receiver.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSmtp {
    /// `"host:port"` of the mail server. Example: `"smtp.example.com:587"`.
    pub host: Option<Text>,
    /// Sender address, also the login name. Example: `"alerts@example.com"`.
    pub from: Option<Text>,
    /// Secret ref of the SMTP password. Example: `"smtp/password"`.
    #[schemars(pattern(SECRET_REF))]
    pub password: Option<Text>,
}

/// One `mute` window: when notifications are held.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMute {
    /// The window's name in the Alertmanager configuration. Example: `"maintenance"`.
    pub name: Option<Text>,
    /// Lowercase English day names. Default: every day. Example: `["saturday", "sunday"]`.
    pub weekdays: Option<Vec<Text>>,
    /// `"HH:MM-HH:MM"`. Default: the whole day. Example: `"02:00-04:00"`.
    pub times: Option<Text>,
    /// IANA time zone name of `times`. Default `"UTC"`. Example: `"Europe/Berlin"`.
    pub timezone: Option<Text>,
}

/// `[alerts.custom.<AlertName>]`: a rule the platform does not know, in `PromQL`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCustomAlert {
    /// The rule's `PromQL` (required); `${namespace}` is replaced by the environment's
    /// namespace. Example: `"sum(queue_depth{namespace=\"${namespace}\"}) > 1000"`.
    pub expr: Option<Text>,
    /// How long the expression must hold, a duration. Default `"5m"`. Example: `"10m"`.
    #[schemars(pattern(DURATION))]
    #[serde(rename = "for")]
    pub for_: Option<Text>,
    /// `"critical"` or `"warning"`. Default `"warning"`.
    #[schemars(pattern("^(critical|warning)$"))]
    pub severity: Option<Text>,
    /// The alert's one-line summary annotation. Default `"<AlertName> fired in <namespace>"`.
    /// Example:
    /// `"Queue backlog above 1000"`.
    pub summary: Option<Text>,
}

/// The alerts platc generates, by name (for `severity` overrides and "did you mean").
pub const STANDARD_ALERTS: [&str; 9] = [
    "ServiceDown",
    "HighErrorRate",
    "HighLatency",
    "PodCrashLooping",
    "HighMemoryUsage",
    "HighCPUUsage",
    "DiskSpaceLow",
    "SLOErrorBudgetBurn",
    "SLOErrorBudgetConsumed",
];
