//! E0091 for `[alerting.receivers.<name>]`: exactly one channel, secret refs that parse,
//! `channel` only for Slack, `smtp` only (and always) for email, addresses that look like
//! addresses.

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::spec::{RawAlerting, RawReceiver, Spanned, values};

const CHANNELS: &str = "pagerduty, slack, webhook or email";

pub fn check(alerting: &RawAlerting, out: &mut Diagnostics) {
    for (name, receiver) in alerting.receivers.iter().flatten() {
        let raw = &receiver.value;
        let channels: Vec<&str> = [
            ("pagerduty", raw.pagerduty.is_some()),
            ("slack", raw.slack.is_some()),
            ("webhook", raw.webhook.is_some()),
            ("email", raw.email.is_some()),
        ]
        .into_iter()
        .filter_map(|(channel, set)| set.then_some(channel))
        .collect();
        match channels.len() {
            0 => out.push(
                Diagnostic::new(
                    Code::E0091,
                    receiver.span.clone(),
                    format!("receiver {name} has no channel"),
                )
                .with_help(format!("give it one of {CHANNELS}")),
            ),
            1 => {}
            _ => out.push(
                Diagnostic::new(
                    Code::E0091,
                    receiver.span.clone(),
                    format!(
                        "receiver {name} has {} channels ({})",
                        channels.len(),
                        channels.join(", ")
                    ),
                )
                .with_help("a receiver has one channel; define one receiver per channel"),
            ),
        }
        for secret in [&raw.pagerduty, &raw.slack, &raw.webhook].into_iter().flatten() {
            secret_ref(secret, out);
        }
        companions(name, raw, out);
    }
}

fn secret_ref(value: &Spanned<String>, out: &mut Diagnostics) {
    if let Err(message) = values::secret_ref(&value.value) {
        out.push(
            Diagnostic::new(Code::E0091, value.span.clone(), message)
                .with_help("receivers read credentials from Secrets: \"<secret-name>/<key>\", never the value itself"),
        );
    }
}

/// `channel` goes with `slack`, `smtp` with `email`.
fn companions(name: &str, raw: &RawReceiver, out: &mut Diagnostics) {
    if let Some(channel) = &raw.channel
        && raw.slack.is_none()
    {
        out.push(Diagnostic::new(
            Code::E0091,
            channel.span.clone(),
            format!("receiver {name}: `channel` is a Slack setting, but the receiver has no `slack`"),
        ));
    }
    match (&raw.email, &raw.smtp) {
        (Some(to), None) => out.push(
            Diagnostic::new(Code::E0091, to.span.clone(), format!("receiver {name}: email needs `smtp`"))
                .with_help("smtp = { host = \"smtp.example.com:587\", from = \"alerts@example.com\", password = \"<secret>/<key>\" }"),
        ),
        (None, Some(smtp)) => out.push(Diagnostic::new(
            Code::E0091,
            smtp.span.clone(),
            format!("receiver {name}: `smtp` is an email setting, but the receiver has no `email`"),
        )),
        _ => {}
    }
    if let Some(to) = &raw.email {
        address(to, out);
    }
    if let Some(smtp) = &raw.smtp {
        let smtp_value = &smtp.value;
        match &smtp_value.host {
            Some(host) if crate::model::build::external_address(&host.value).is_err() => out.push(Diagnostic::new(
                Code::E0091,
                host.span.clone(),
                format!("`{}` is not a mail server address: expected \"host:port\"", host.value),
            )),
            None => out.push(Diagnostic::new(Code::E0091, smtp.span.clone(), "smtp needs `host`")),
            Some(_) => {}
        }
        match &smtp_value.from {
            Some(from) => address(from, out),
            None => out.push(Diagnostic::new(Code::E0091, smtp.span.clone(), "smtp needs `from`")),
        }
        if let Some(password) = &smtp_value.password {
            secret_ref(password, out);
        }
    }
}

fn address(value: &Spanned<String>, out: &mut Diagnostics) {
    let valid = value
        .value
        .split_once('@')
        .is_some_and(|(user, domain)| !user.is_empty() && domain.contains('.') && !domain.contains('@'))
        && !value
            .value
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | '"'));
    if !valid {
        out.push(Diagnostic::new(
            Code::E0091,
            value.span.clone(),
            format!("`{}` is not an email address", value.value),
        ));
    }
}
