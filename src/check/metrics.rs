//! E0081: `[platform.metrics]` goes into every generated `PromQL` expression, so it must be
//! usable there: `requests` and `latency` are Prometheus metric names
//! (`[a-zA-Z_:][a-zA-Z0-9_:]*`), and `error_status` is a regex the `PromQL` parser accepts in
//! a `code=~"…"` matcher. (Found by the property test: a metric name holding a NUL passed
//! `check` and made every rule file fail to parse back at build.)

use super::Context;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::render::promql::quote;
use crate::spec::Spanned;

pub fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let Some(metrics) = &cx.spec.platform.metrics else {
        return;
    };
    for (name, key) in [(&metrics.requests, "requests"), (&metrics.latency, "latency")] {
        if let Some(name) = name
            && !metric_name(&name.value)
        {
            out.push(
                Diagnostic::new(
                    Code::E0081,
                    name.span.clone(),
                    format!("`{key}` = {:?} is not a Prometheus metric name", name.value),
                )
                .with_help("metric names are letters, digits, _ and :, not starting with a digit"),
            );
        }
    }
    if let Some(regex) = &metrics.error_status {
        error_status(regex, out);
    }
}

fn metric_name(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

fn error_status(regex: &Spanned<String>, out: &mut Diagnostics) {
    let matcher = format!("x{{code=~{}}}", quote(&regex.value));
    let control = regex.value.chars().any(char::is_control);
    if let Err(error) = crate::spec::promql::check(&matcher)
        .map_err(|e| e.message)
        .and_then(|()| {
            if control {
                Err("it holds a control character".to_string())
            } else {
                Ok(())
            }
        })
    {
        out.push(
            Diagnostic::new(
                Code::E0081,
                regex.span.clone(),
                format!(
                    "`error_status` = {:?} is not a regex PromQL accepts: {error}",
                    regex.value
                ),
            )
            .with_help("a regex on the `code` label, such as \"5..\" or \"5..|429\""),
        );
    }
}
