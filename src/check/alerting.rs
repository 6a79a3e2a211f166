//! E0091: `[alerting]` as each environment sees it (base merged with its override): routes
//! from a known severity to a defined receiver, receivers with exactly one channel and
//! well-formed secret refs, label names, and mute windows with real times, weekdays and
//! time zones. E0022 for `repeat`.

mod receivers;
#[cfg(test)]
mod tests;

use super::{Context, parse};
use crate::diag::suggest::did_you_mean;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::resolve::EnvView;
use crate::spec::schedule::{self, WEEKDAYS};
use crate::spec::{RawAlerting, RawMute, Spanned, values};

pub const SEVERITIES: [&str; 2] = ["critical", "warning"];

pub fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let operator = cx.spec.platform.prometheus_operator.as_ref().is_some_and(|p| p.value);
    for env in cx.envs {
        let Some(alerting) = &env.alerting else { continue };
        routes(cx, env, alerting, out);
        receivers::check(alerting, out);
        for label in alerting.group_by.iter().flatten() {
            if !label_name(&label.value) && label.value != "..." {
                out.push(error(label, format!("`{}` is not a label name", label.value)));
            }
        }
        if let Some(repeat) = &alerting.repeat
            && parse(repeat, Code::E0022, values::duration, out).is_some_and(|d| d.millis == 0)
        {
            out.push(Diagnostic::new(
                Code::E0022,
                repeat.span.clone(),
                "repeat must be longer than 0s",
            ));
        }
        let windows = alerting.mute.iter().flatten();
        let mut names: Vec<&str> = Vec::new();
        for window in windows {
            mute(window, operator, out);
            if let Some(name) = &window.value.name {
                if names.contains(&name.value.as_str()) {
                    out.push(error(name, format!("two mute windows are named `{}`", name.value)));
                }
                names.push(&name.value);
            }
        }
    }
}

fn error(at: &Spanned<String>, message: String) -> Diagnostic {
    Diagnostic::new(Code::E0091, at.span.clone(), message)
}

fn routes(cx: &Context<'_>, env: &EnvView, alerting: &RawAlerting, out: &mut Diagnostics) {
    let receivers: Vec<&str> = alerting.receivers.iter().flatten().map(|(n, _)| n.as_str()).collect();
    let Some(routes) = &alerting.routes else {
        let at = cx
            .document
            .key_span(&["environments", &env.name, "alerting"])
            .or_else(|| cx.document.key_span(&["alerting"]))
            .unwrap_or(env.name_span.clone());
        out.push(
            Diagnostic::new(
                Code::E0091,
                at,
                format!("alerting in environment {} has no routes", env.name),
            )
            .with_help("for example routes = { critical = \"oncall\", warning = \"team-chat\" }"),
        );
        return;
    };
    if routes.value.is_empty() {
        out.push(
            Diagnostic::new(
                Code::E0091,
                routes.span.clone(),
                "routes is empty: no alert would reach anyone",
            )
            .with_help("map each severity to a receiver: { critical = \"oncall\", warning = \"team-chat\" }"),
        );
    }
    for (severity, receiver) in &routes.value {
        if !SEVERITIES.contains(&severity.as_str()) {
            let mut problem = error(
                receiver,
                format!("route `{severity}`: alerts have severity critical or warning"),
            );
            if let Some(help) = did_you_mean(severity, SEVERITIES) {
                problem = problem.with_help(help);
            }
            out.push(problem);
        }
        if !receivers.contains(&receiver.value.as_str()) {
            let mut problem = error(
                receiver,
                format!(
                    "route `{severity}` names receiver `{}`, which is not defined",
                    receiver.value
                ),
            );
            problem = match did_you_mean(&receiver.value, receivers.iter().copied()) {
                Some(help) => problem.with_help(help),
                None => problem.with_help(format!(
                    "define it as [alerting.receivers.{}] (receivers: {})",
                    receiver.value,
                    if receivers.is_empty() {
                        "none".to_string()
                    } else {
                        receivers.join(", ")
                    }
                )),
            };
            out.push(problem);
        }
    }
}

fn mute(window: &Spanned<RawMute>, operator: bool, out: &mut Diagnostics) {
    let raw = &window.value;
    if raw.name.as_ref().is_none_or(|n| n.value.trim().is_empty()) {
        out.push(Diagnostic::new(
            Code::E0091,
            window.span.clone(),
            "a mute window needs a name",
        ));
    }
    if let Some(times) = &raw.times
        && let Err(message) = schedule::time_range(&times.value)
    {
        out.push(error(times, message).with_help("for example times = \"02:00-04:00\" (24-hour clock)"));
    }
    for day in raw.weekdays.iter().flatten() {
        if let Err(message) = schedule::weekday(&day.value) {
            let lower = day.value.to_ascii_lowercase();
            let help = did_you_mean(&lower, WEEKDAYS).unwrap_or_else(|| format!("one of {}", WEEKDAYS.join(", ")));
            out.push(error(day, message).with_help(help));
        }
    }
    if let Some(zone) = &raw.timezone {
        if let Err(message) = schedule::timezone(&zone.value) {
            let mut problem = error(zone, message);
            if let Some(help) = did_you_mean(&zone.value, schedule::timezones()) {
                problem = problem.with_help(help);
            }
            out.push(problem);
        } else if operator && !matches!(zone.value.as_str(), "UTC" | "Etc/UTC") {
            out.push(
                error(
                    zone,
                    format!(
                        "operator mode: an AlertmanagerConfig has no time zone, so `{}` cannot be kept",
                        zone.value
                    ),
                )
                .with_help("write the window in UTC; AlertmanagerConfig v1alpha1 reads times as UTC"),
            );
        }
    }
}

/// A Prometheus label name.
pub(super) fn label_name(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
