//! Compose interpolation: Compose expands `$NAME` and `${NAME}` in every string of the file
//! (values, keys, `command`, `healthcheck.test`, ...), and `$$` is a literal `$`. Every string
//! of a view therefore goes through [`dollars`] before it reaches a template; the only `$`
//! left single are the `${VAR:?...}` references the generator writes on purpose
//! ([`Required`]), which the template assembles after escaping.

use serde::Serialize;

/// `text` with every `$` doubled, so Compose reads it back as `text`.
pub fn dollars(text: &str) -> String {
    text.replace('$', "$$")
}

/// Every string of `value` (keys and values, at any depth) escaped with [`dollars`].
pub fn escape_view(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(text) => Value::String(dollars(&text)),
        Value::Array(items) => Value::Array(items.into_iter().map(escape_view).collect()),
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (dollars(&k), escape_view(v))).collect()),
        other => other,
    }
}

/// A variable the stack reads from the host environment, required: the template writes it
/// as `${name:?message}`, which stops `docker compose up` when the variable is unset or
/// empty. Built only from checked names and generator text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Required {
    pub name: String,
    pub message: String,
}

impl Required {
    /// The message ends at the first `}` and must not hold `$`: both are dropped (the checked
    /// names and secret refs never contain them; this only keeps the form intact).
    pub fn new(name: &str, message: &str) -> Self {
        Required {
            name: name.to_string(),
            message: message.chars().filter(|c| !matches!(c, '}' | '$')).collect(),
        }
    }
}

/// A string in the Compose file: spec or generator text, or a required variable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Text {
    Plain(String),
    Variable(Required),
}

impl From<&str> for Text {
    fn from(text: &str) -> Self {
        Text::Plain(text.to_string())
    }
}

impl From<String> for Text {
    fn from(text: String) -> Self {
        Text::Plain(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dollars_doubles_every_dollar() {
        assert_eq!(dollars("Price: $5 ${HOME} $$ $"), "Price: $$5 $${HOME} $$$$ $$");
        assert_eq!(dollars("no dollar"), "no dollar");
    }

    #[test]
    fn escape_view_reaches_keys_and_nested_strings() {
        let view = serde_json::json!({ "$K": ["a$b", { "c": "$" }], "n": 1 });
        assert_eq!(
            escape_view(view),
            serde_json::json!({ "$$K": ["a$$b", { "c": "$$" }], "n": 1 })
        );
    }

    #[test]
    fn a_required_message_cannot_end_the_form_early() {
        assert_eq!(Required::new("DB", "set DB (a/b}$)").message, "set DB (a/b)");
    }
}
