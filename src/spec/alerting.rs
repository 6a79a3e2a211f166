//! `[alerting]` (and `environments.<env>.alerting`, merged over it): who is told about
//! alerts. Receivers name one channel each; secrets are refs (`"<secret>/<key>"`), never
//! values. Contract: SPEC.md §8.

use schemars::JsonSchema;
use serde::Deserialize;

use super::raw::{Map, Text};
use super::spanned::Spanned;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAlerting {
    /// Severity (`critical`, `warning`) → receiver name.
    pub routes: Option<Spanned<Map<Text>>>,
    /// Labels that group alerts into one notification (default alertname, namespace, service).
    pub group_by: Option<Vec<Text>>,
    /// How often a still-firing group is sent again (default `4h`).
    pub repeat: Option<Text>,
    /// Time windows in which notifications are held.
    pub mute: Option<Vec<Spanned<RawMute>>>,
    pub receivers: Option<Map<Spanned<RawReceiver>>>,
}

/// One receiver: exactly one of `pagerduty`, `slack`, `webhook`, `email`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawReceiver {
    /// Secret ref of the `PagerDuty` Events v2 routing key.
    pub pagerduty: Option<Text>,
    /// Secret ref of the Slack incoming-webhook URL.
    pub slack: Option<Text>,
    /// Slack channel, e.g. `#alerts`.
    pub channel: Option<Text>,
    /// Secret ref of the webhook URL.
    pub webhook: Option<Text>,
    /// Address the mail goes to.
    pub email: Option<Text>,
    pub smtp: Option<Spanned<RawSmtp>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSmtp {
    /// `"host:port"` of the mail server.
    pub host: Option<Text>,
    /// Sender address, also the login name.
    pub from: Option<Text>,
    /// Secret ref of the SMTP password.
    pub password: Option<Text>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMute {
    pub name: Option<Text>,
    /// Lowercase English day names; none means every day.
    pub weekdays: Option<Vec<Text>>,
    /// `"HH:MM-HH:MM"`; none means the whole day.
    pub times: Option<Text>,
    /// IANA time zone name (default `UTC`).
    pub timezone: Option<Text>,
}

/// `[alerts.custom.<AlertName>]`: a rule the platform does not know, in `PromQL`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCustomAlert {
    /// `PromQL`; `${namespace}` is replaced by the environment's namespace.
    pub expr: Option<Text>,
    /// How long the expression must hold (default `5m`).
    #[serde(rename = "for")]
    pub for_: Option<Text>,
    /// `critical` or `warning` (default `warning`).
    pub severity: Option<Text>,
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
