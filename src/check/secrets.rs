//! E0060 (a plain variable that looks like a secret) and E0061 (malformed secret refs, env
//! var names, egress rules, tolerations; a variable set twice).

use super::{Context, parse};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::spec::values;
use crate::spec::{Map, Text};

const SECRET_WORDS: [&str; 5] = ["SECRET", "PASSWORD", "TOKEN", "API_KEY", "PRIVATE_KEY"];

pub fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for (_, service) in cx.services() {
        let raw = &service.raw;
        let files = raw.secret_files.as_ref().is_some_and(|f| f.value);
        variables(raw.env.as_ref(), raw.secrets.as_ref(), files, out);
        rules(raw.egress.as_ref(), raw.tolerations.as_ref(), out);
    }
    for job in cx.envs.iter().flat_map(|env| &env.jobs) {
        let raw = &job.raw;
        let files = raw.secret_files.as_ref().is_some_and(|f| f.value);
        variables(raw.env.as_ref(), raw.secrets.as_ref(), files, out);
        rules(raw.egress.as_ref(), raw.tolerations.as_ref(), out);
    }
    for env in cx.envs {
        for datastore in &env.datastores {
            if let Some(external) = &datastore.raw.external {
                parse(external, Code::E0061, crate::model::build::external_address, out);
            }
        }
    }
}

fn env_name(name: &str, span: crate::spec::Span, out: &mut Diagnostics) {
    if let Err(message) = values::env_name(name) {
        out.push(Diagnostic::new(Code::E0061, span, message));
    }
}

/// `env` and `secrets` of one workload: names, refs, look-alike secrets, variables set twice.
fn variables(env: Option<&Map<Text>>, secrets: Option<&Map<Text>>, files: bool, out: &mut Diagnostics) {
    for (name, value) in env.into_iter().flatten() {
        let upper = name.to_ascii_uppercase();
        if let Some(word) = SECRET_WORDS.iter().find(|word| upper.contains(*word)) {
            out.push(
                Diagnostic::new(
                    Code::E0060,
                    value.span.clone(),
                    format!("env variable `{name}` looks like a secret (it contains {word})"),
                )
                .with_help(format!("move it to `secrets`: {name} = \"<secret-name>/<key>\"")),
            );
        }
        env_name(name, value.span.clone(), out);
        if secrets.is_some_and(|s| s.contains_key(name)) {
            out.push(Diagnostic::new(
                Code::E0061,
                value.span.clone(),
                format!("`{name}` is set in both `env` and `secrets`"),
            ));
        }
        let secret = name.strip_suffix("_FILE").filter(|_| files);
        if secret.is_some_and(|secret| secrets.is_some_and(|s| s.contains_key(secret))) {
            out.push(
                Diagnostic::new(
                    Code::E0061,
                    value.span.clone(),
                    format!("`{name}` is set in `env`, but `secret_files` sets it to the secret's path"),
                )
                .with_help("rename the variable, or drop `secret_files` to read the secret's value"),
            );
        }
    }
    for (name, reference) in secrets.into_iter().flatten() {
        env_name(name, reference.span.clone(), out);
        parse(reference, Code::E0061, values::secret_ref, out);
    }
}

fn rules(egress: Option<&Vec<Text>>, tolerations: Option<&Vec<Text>>, out: &mut Diagnostics) {
    for rule in egress.into_iter().flatten() {
        parse(rule, Code::E0061, values::egress_rule, out);
    }
    for toleration in tolerations.into_iter().flatten() {
        parse(toleration, Code::E0061, values::toleration, out);
    }
}
