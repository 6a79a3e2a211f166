//! The Grafana target: per environment an overview dashboard and one per service.
//!
//! The template owns the dashboard frame (uid, title, the `${datasource}` variable, time
//! settings); Rust lays out the panels (`panels.rs`) and writes their `PromQL`. The rendered
//! text is parsed and pretty-printed once, so the files diff well.

mod datastores;
mod overview;
mod panels;
mod service;

use super::{OutputFile, RenderError, render_template};
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
    templates: &minijinja::Environment<'static>,
    platform: &Platform,
    env: &Environment,
) -> Result<Vec<Dashboard>, RenderError> {
    let mut out = vec![overview::dashboard(templates, platform, env)?];
    for service in &env.services {
        out.push(service::dashboard(templates, platform, env, service)?);
    }
    Ok(out)
}

/// `grafana/<env>/<file>.json`.
pub fn render(
    templates: &minijinja::Environment<'static>,
    platform: &Platform,
    env: &Environment,
) -> Result<Vec<OutputFile>, RenderError> {
    Ok(dashboards(templates, platform, env)?
        .into_iter()
        .map(|d| OutputFile {
            path: format!("grafana/{}/{}", env.name, d.file_name),
            contents: d.json,
        })
        .collect())
}

/// What a dashboard frame needs besides its panels.
struct Frame<'a> {
    /// Platform, environment and (for a service dashboard) service: the uid's input.
    parts: &'a [&'a str],
    title: String,
    description: String,
    file_name: String,
}

fn render_dashboard(
    templates: &minijinja::Environment<'static>,
    frame: Frame<'_>,
    panels: Vec<serde_json::Value>,
) -> Result<Dashboard, RenderError> {
    let uid = uid(frame.parts);
    let title = frame.title;
    let mut tags = vec!["platc"];
    tags.extend(frame.parts);
    let text = render_template(
        templates,
        "grafana/dashboard.json.j2",
        serde_json::json!({
            "uid": uid, "title": title, "description": frame.description, "tags": tags, "panels": panels,
        }),
    )?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| RenderError(format!("dashboard {title}: {e}")))?;
    let json = serde_json::to_string_pretty(&value).map_err(|e| RenderError(e.to_string()))? + "\n";
    Ok(Dashboard {
        uid,
        title,
        file_name: frame.file_name,
        json,
    })
}

/// A stable uid of at most 40 characters: a readable prefix of at most 31 characters, a
/// dash, and 8 hex digits of a hash of every part. The overview (platform, environment) and
/// a service dashboard (platform, environment, service) never share a hash input, because
/// names cannot contain `/`.
pub(crate) fn uid(parts: &[&str]) -> String {
    let readable: String = parts
        .join("-")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .take(31)
        .collect();
    format!(
        "{}-{:08x}",
        readable.trim_end_matches('-'),
        fnv1a(&parts.join("/")) >> 32
    )
}

/// 64-bit FNV-1a: tiny, fixed forever, good enough to tell dashboard names apart.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::uid;

    #[test]
    fn uids_are_short_stable_and_distinct() {
        let overview = uid(&["quizmentor", "production"]);
        let service = uid(&["quizmentor", "production", "learning-orchestrator"]);
        assert_eq!(overview, uid(&["quizmentor", "production"]));
        assert_ne!(overview, service);
        assert!(service.len() <= 40, "{service}");
        let long = uid(&[
            "a-very-long-platform-name-indeed",
            "production",
            "another-long-service-name",
        ]);
        assert!(long.len() <= 40, "{long}");
        assert!(long.len() >= 8);
        assert_ne!(
            long,
            uid(&[
                "a-very-long-platform-name-indeed",
                "production",
                "another-long-service-nam"
            ])
        );
    }

    #[test]
    fn uid_is_pinned() {
        // A changed uid breaks every saved link to the dashboard: change it on purpose only.
        assert_eq!(
            uid(&["quizmentor", "production", "learning-orchestrator"]),
            "quizmentor-production-learning-beec7ab7"
        );
    }
}
