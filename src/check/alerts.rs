//! E0081: `[alerts]` v2 — severity overrides name a known alert and a known severity; each
//! `custom.<Name>` is a valid alert name with an `expr` that parses as `PromQL` (the error
//! points inside the string, where the parser failed), a severity and a `for` duration;
//! `runbook_base` and `dashboard_base` are http(s) URLs. E0080 for `budget_alerts`.

use super::alerting::SEVERITIES;
use super::{Context, parse};
use crate::diag::suggest::did_you_mean;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::spec::alerting::STANDARD_ALERTS;
use crate::spec::{RawCustomAlert, Spanned, promql, values};

pub fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    if let Some(alerts) = &cx.spec.alerts {
        for base in [&alerts.runbook_base, &alerts.dashboard_base].into_iter().flatten() {
            url(base, out);
        }
        let custom: Vec<&str> = alerts.custom.iter().flatten().map(|(n, _)| n.as_str()).collect();
        for (name, alert) in alerts.custom.iter().flatten() {
            custom_alert(cx, name, alert, out);
        }
        for (name, severity) in alerts.severity.iter().flatten() {
            let known = STANDARD_ALERTS.iter().copied().chain(custom.iter().copied());
            if !known.clone().any(|k| k == name) {
                let at = cx
                    .document
                    .key_span(&["alerts", "severity", name])
                    .unwrap_or(severity.span.clone());
                let mut problem =
                    Diagnostic::new(Code::E0081, at, format!("severity names `{name}`, which is no alert"));
                if let Some(help) = did_you_mean(name, known) {
                    problem = problem.with_help(help);
                }
                out.push(problem);
            }
            known_severity(severity, out);
        }
    }
    let tier_slos = cx.spec.tiers.values().filter_map(|t| t.slo.as_ref());
    let service_slos = cx.services().filter_map(|(_, s)| s.raw.slo.as_ref());
    for thresholds in tier_slos
        .chain(service_slos)
        .filter_map(|s| s.value.budget_alerts.as_ref())
    {
        budget_alerts(thresholds, out);
    }
}

fn custom_alert(cx: &Context<'_>, name: &str, alert: &Spanned<RawCustomAlert>, out: &mut Diagnostics) {
    let at = cx
        .document
        .key_span(&["alerts", "custom", name])
        .unwrap_or(alert.span.clone());
    if !alert_name(name) {
        out.push(
            Diagnostic::new(Code::E0081, at.clone(), format!("`{name}` is not an alert name"))
                .with_help("letters, digits and _, not starting with a digit, e.g. PaymentProviderErrors"),
        );
    } else if STANDARD_ALERTS.contains(&name) {
        out.push(
            Diagnostic::new(
                Code::E0081,
                at.clone(),
                format!("custom alert `{name}` has the name of a standard alert"),
            )
            .with_help(format!(
                "change the standard one with severity = {{ {name} = \"...\" }} or thresholds, or rename this one"
            )),
        );
    }
    let raw = &alert.value;
    match &raw.expr {
        None => out.push(Diagnostic::new(
            Code::E0081,
            at,
            format!("custom alert {name} has no `expr`"),
        )),
        Some(expr) => {
            if let Err(error) = promql::check_template(&expr.value) {
                out.push(Diagnostic::new(
                    Code::E0081,
                    inside(cx.document.text, expr, error.offset),
                    format!("custom alert {name}: `expr` is not valid PromQL: {}", error.message),
                ));
            }
        }
    }
    if let Some(duration) = &raw.for_ {
        parse(duration, Code::E0022, values::duration, out);
    }
    if let Some(severity) = &raw.severity {
        known_severity(severity, out);
    }
}

/// The span of one character of a string value, `offset` bytes into its contents, when the
/// source holds the contents verbatim (no escapes); else the whole value.
fn inside(text: &str, value: &Spanned<String>, offset: usize) -> std::ops::Range<usize> {
    let written = text.get(value.span.clone()).unwrap_or_default();
    let quote = ["'''", "\"\"\"", "'", "\""]
        .into_iter()
        .find(|q| written.starts_with(q));
    let Some(quote) = quote else { return value.span.clone() };
    let mut start = quote.len();
    if quote.len() == 3 && written[start..].starts_with('\n') {
        start += 1;
    }
    if !written[start..].starts_with(value.value.as_str()) {
        return value.span.clone();
    }
    let at = value.span.start + start + offset.min(value.value.len());
    let width = value.value[offset.min(value.value.len())..]
        .chars()
        .next()
        .map_or(0, char::len_utf8);
    at..at + width
}

fn known_severity(severity: &Spanned<String>, out: &mut Diagnostics) {
    if !SEVERITIES.contains(&severity.value.as_str()) {
        let mut problem = Diagnostic::new(
            Code::E0081,
            severity.span.clone(),
            format!("`{}` is not a severity: critical or warning", severity.value),
        );
        if let Some(help) = did_you_mean(&severity.value, SEVERITIES) {
            problem = problem.with_help(help);
        }
        out.push(problem);
    }
}

fn url(value: &Spanned<String>, out: &mut Diagnostics) {
    let rest = value
        .value
        .strip_prefix("https://")
        .or_else(|| value.value.strip_prefix("http://"));
    let valid = rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/'))
        && !value
            .value
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '{' | '}'));
    if !valid {
        out.push(Diagnostic::new(
            Code::E0081,
            value.span.clone(),
            format!("`{}` is not an http(s) URL", value.value),
        ));
    }
}

fn budget_alerts(thresholds: &Spanned<Vec<Spanned<f64>>>, out: &mut Diagnostics) {
    if thresholds.value.is_empty() {
        out.push(
            Diagnostic::new(Code::E0080, thresholds.span.clone(), "budget_alerts is empty")
                .with_help("list percents of the error budget, e.g. budget_alerts = [50, 75, 100]"),
        );
    }
    for (i, percent) in thresholds.value.iter().enumerate() {
        if !(percent.value > 0.0 && percent.value <= 100.0) {
            out.push(Diagnostic::new(
                Code::E0080,
                percent.span.clone(),
                format!("budget alert at {}% is outside (0, 100]", percent.value),
            ));
        } else if thresholds.value[..i].iter().any(|p| p.value == percent.value) {
            out.push(Diagnostic::new(
                Code::E0080,
                percent.span.clone(),
                format!("budget alert at {}% is listed twice", percent.value),
            ));
        }
    }
}

/// A Prometheus alert name (a metric name without colons).
fn alert_name(text: &str) -> bool {
    super::alerting::label_name(text)
}
