//! E0060 (a plain variable that looks like a secret) and E0061 (malformed secret refs, env
//! var names, egress rules, tolerations; a variable set twice).

use super::{Context, parse};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::spec::values;

const SECRET_WORDS: [&str; 5] = ["SECRET", "PASSWORD", "TOKEN", "API_KEY", "PRIVATE_KEY"];

pub fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for (_, service) in cx.services() {
        let raw = &service.raw;
        for (name, value) in raw.env.iter().flatten() {
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
            if raw.secrets.as_ref().is_some_and(|s| s.contains_key(name)) {
                out.push(Diagnostic::new(
                    Code::E0061,
                    value.span.clone(),
                    format!("`{name}` is set in both `env` and `secrets`"),
                ));
            }
            let files = raw.secret_files.as_ref().is_some_and(|f| f.value);
            let secret = name.strip_suffix("_FILE").filter(|_| files);
            if secret.is_some_and(|secret| raw.secrets.as_ref().is_some_and(|s| s.contains_key(secret))) {
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
        for (name, reference) in raw.secrets.iter().flatten() {
            env_name(name, reference.span.clone(), out);
            parse(reference, Code::E0061, values::secret_ref, out);
        }
        for rule in raw.egress.iter().flatten() {
            parse(rule, Code::E0061, values::egress_rule, out);
        }
        for toleration in raw.tolerations.iter().flatten() {
            parse(toleration, Code::E0061, values::toleration, out);
        }
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
