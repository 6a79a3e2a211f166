//! The Prometheus target: per environment a rule file (SLO recording rules, burn-rate
//! alerts, standard alerts) and the scrape configuration.
//!
//! PLACEHOLDER until issue #3 lands: `rules` returns an empty rule file. The signature is the
//! contract the Compose target relies on.

use super::RenderError;
use crate::model::{Environment, Platform};

/// The rule file of one environment, as YAML text (`groups: ...`).
pub fn rules(
    _templates: &minijinja::Environment<'static>,
    _platform: &Platform,
    _env: &Environment,
) -> Result<String, RenderError> {
    Ok("groups: []\n".to_string())
}
