//! Who is told: an environment's Alertmanager routing, validated, with its defaults. Built
//! from `[alerting]` with `environments.<env>.alerting` merged over it; the checks in
//! `check/alerting.rs` have passed, so every ref, time and name here is well-formed.

use std::collections::BTreeMap;

use serde::Serialize;

use super::build::{BuildError, must};
use crate::spec::schedule::{self, TimeRange};
use crate::spec::values::{self, Duration, SecretRef};
use crate::spec::{RawAlerting, RawMute, RawReceiver, Spanned};

pub const DEFAULT_GROUP_BY: [&str; 3] = ["alertname", "namespace", "service"];
pub const DEFAULT_REPEAT: &str = "4h";
pub const DEFAULT_TIMEZONE: &str = "UTC";

#[derive(Debug, Clone, Serialize)]
pub struct Alerting {
    /// Severity (`critical`, `warning`) → receiver name.
    pub routes: BTreeMap<String, String>,
    pub group_by: Vec<String>,
    #[serde(serialize_with = "super::duration_text")]
    pub repeat: Duration,
    pub mute: Vec<MuteWindow>,
    /// By name.
    pub receivers: Vec<Receiver>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Receiver {
    pub name: String,
    pub channel: Channel,
}

#[derive(Debug, Clone, Serialize)]
pub enum Channel {
    PagerDuty {
        routing_key: SecretRef,
    },
    Slack {
        api_url: SecretRef,
        channel: Option<String>,
    },
    Webhook {
        url: SecretRef,
    },
    Email {
        to: String,
        /// `host:port`.
        smarthost: String,
        from: String,
        password: Option<SecretRef>,
    },
}

impl Channel {
    pub fn secrets(&self) -> Vec<&SecretRef> {
        match self {
            Channel::PagerDuty { routing_key: secret }
            | Channel::Slack { api_url: secret, .. }
            | Channel::Webhook { url: secret } => vec![secret],
            Channel::Email { password, .. } => password.iter().collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct MuteWindow {
    pub name: String,
    /// Empty: every day.
    pub weekdays: Vec<String>,
    /// None: the whole day.
    pub times: Option<TimeRange>,
    pub timezone: String,
}

impl Alerting {
    /// The receiver of alerts whose severity has no route: the least urgent routed one.
    pub fn default_receiver(&self) -> &str {
        self.routes
            .get("warning")
            .or_else(|| self.routes.values().next())
            .map_or("", String::as_str)
    }

    /// Every secret the receivers read, each once, ordered.
    pub fn secrets(&self) -> Vec<&SecretRef> {
        let mut secrets: Vec<&SecretRef> = self.receivers.iter().flat_map(|r| r.channel.secrets()).collect();
        secrets.sort_by(|a, b| (&a.name, &a.key).cmp(&(&b.name, &b.key)));
        secrets.dedup_by(|a, b| a.name == b.name && a.key == b.key);
        secrets
    }
}

type Result<T> = std::result::Result<T, BuildError>;

pub fn build(raw: &RawAlerting) -> Result<Alerting> {
    let text = |value: &Spanned<String>| value.value.clone();
    Ok(Alerting {
        routes: raw
            .routes
            .iter()
            .flat_map(|r| r.value.iter())
            .map(|(severity, receiver)| (severity.clone(), text(receiver)))
            .collect(),
        group_by: raw.group_by.as_ref().map_or_else(
            || DEFAULT_GROUP_BY.map(String::from).to_vec(),
            |labels| labels.iter().map(text).collect(),
        ),
        repeat: must(values::duration(
            raw.repeat.as_ref().map_or(DEFAULT_REPEAT, |r| &r.value),
        ))?,
        mute: raw
            .mute
            .iter()
            .flatten()
            .map(|m| mute(&m.value))
            .collect::<Result<_>>()?,
        receivers: raw
            .receivers
            .iter()
            .flatten()
            .map(|(name, r)| receiver(name, &r.value))
            .collect::<Result<_>>()?,
    })
}

fn mute(raw: &RawMute) -> Result<MuteWindow> {
    Ok(MuteWindow {
        name: raw.name.as_ref().map(|n| n.value.clone()).unwrap_or_default(),
        weekdays: raw
            .weekdays
            .iter()
            .flatten()
            .map(|d| must(schedule::weekday(&d.value)).map(String::from))
            .collect::<Result<_>>()?,
        times: raw
            .times
            .as_ref()
            .map(|t| must(schedule::time_range(&t.value)))
            .transpose()?,
        timezone: raw
            .timezone
            .as_ref()
            .map_or_else(|| DEFAULT_TIMEZONE.to_string(), |t| t.value.clone()),
    })
}

fn receiver(name: &str, raw: &RawReceiver) -> Result<Receiver> {
    let secret = |value: &Spanned<String>| must(values::secret_ref(&value.value));
    let channel = if let Some(key) = &raw.pagerduty {
        Channel::PagerDuty {
            routing_key: secret(key)?,
        }
    } else if let Some(url) = &raw.slack {
        Channel::Slack {
            api_url: secret(url)?,
            channel: raw.channel.as_ref().map(|c| c.value.clone()),
        }
    } else if let Some(url) = &raw.webhook {
        Channel::Webhook { url: secret(url)? }
    } else if let (Some(to), Some(smtp)) = (&raw.email, &raw.smtp) {
        let field = |v: &Option<Spanned<String>>| v.as_ref().map(|v| v.value.clone()).unwrap_or_default();
        Channel::Email {
            to: to.value.clone(),
            smarthost: field(&smtp.value.host),
            from: field(&smtp.value.from),
            password: smtp.value.password.as_ref().map(secret).transpose()?,
        }
    } else {
        return Err(BuildError(format!("receiver {name} has no channel")));
    };
    Ok(Receiver {
        name: name.to_string(),
        channel,
    })
}
