//! The Grafana target: per environment an overview dashboard and one per service.
//!
//! PLACEHOLDER until issue #3 lands: no dashboards yet. The signature is the contract the
//! Compose target relies on.

use super::RenderError;
use crate::model::{Environment, Platform};

/// One dashboard: a stable uid, its title, and its JSON text.
pub struct Dashboard {
    pub uid: String,
    pub title: String,
    /// File name such as `overview.json` or `<service>.json`.
    pub file_name: String,
    pub json: String,
}

pub fn dashboards(
    _templates: &minijinja::Environment<'static>,
    _platform: &Platform,
    _env: &Environment,
) -> Result<Vec<Dashboard>, RenderError> {
    Ok(Vec::new())
}
