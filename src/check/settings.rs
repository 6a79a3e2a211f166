//! Datastore `settings` become lines of postgresql.conf / redis.conf and Compose flags, so a
//! key must be a plain configuration name, a value a single line, and neither may replace
//! what platc itself sets (E0003).

use super::Context;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::spec::{Engine, Scalar};

/// Keys platc writes itself: overriding them would break the container it runs.
const POSTGRES_OWN: [&str; 4] = ["listen_addresses", "port", "unix_socket_directories", "data_directory"];
const REDIS_OWN: [&str; 5] = ["port", "dir", "protected-mode", "requirepass", "include"];

pub fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for env in cx.envs {
        for datastore in &env.datastores {
            let own: &[&str] = match datastore.raw.engine.as_ref().map(|e| e.value) {
                Some(Engine::Postgres) => &POSTGRES_OWN,
                Some(Engine::Redis) => &REDIS_OWN,
                None => &[],
            };
            for (key, value) in datastore.raw.settings.iter().flatten() {
                let plain = !key.is_empty()
                    && key
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
                if !plain {
                    out.push(
                        Diagnostic::new(
                            Code::E0003,
                            value.span.clone(),
                            format!("`{key}` is not a configuration setting name"),
                        )
                        .with_help("setting names are letters, digits, '_', '-' and '.'"),
                    );
                } else if own.contains(&key.to_ascii_lowercase().as_str()) {
                    out.push(
                        Diagnostic::new(
                            Code::E0003,
                            value.span.clone(),
                            format!("`{key}` is set by platc for datastore `{}`", datastore.name),
                        )
                        .with_help("platc needs this value to run the datastore; remove the setting"),
                    );
                }
                if let Scalar::Text(text) = &value.value
                    && text.chars().any(char::is_control)
                {
                    out.push(Diagnostic::new(
                        Code::E0003,
                        value.span.clone(),
                        format!("setting `{key}` holds a line break or control character"),
                    ));
                }
            }
        }
    }
}
