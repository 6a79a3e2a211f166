//! The Grafana target: per environment a fixed set of three dashboards, whatever the number
//! of services — the overview, the service dashboard (`$namespace` and `$service`
//! variables) and the SLO dashboard — with stable uids and links between them.
//!
//! The template owns the dashboard frame (uid, title, variables, links, time settings); Rust
//! lays out the panels (`panels.rs`) and writes their `PromQL`. The rendered text is parsed
//! and pretty-printed once, so the files diff well.

mod datastores;
mod overview;
mod panels;
mod service;
mod slos;

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
    Ok(vec![
        overview::dashboard(templates, platform, env)?,
        service::dashboard(templates, platform, env)?,
        slos::dashboard(templates, platform, env)?,
    ])
}

/// The uid of an environment's service dashboard.
pub fn service_dashboard_uid(platform: &Platform, env: &Environment) -> String {
    uid(&[&platform.name, &env.name, "service"])
}

/// The service dashboard's path with `namespace` and `service` set (`Grafana` or `Prometheus`
/// template text, URL-safe by construction: uids are `[A-Za-z0-9_-]`).
pub fn service_link(platform: &Platform, env: &Environment, namespace: &str, service: &str) -> String {
    format!(
        "/d/{}?var-namespace={namespace}&var-service={service}",
        service_dashboard_uid(platform, env)
    )
}

/// The environment's overview dashboard (its Datastores row is where a datastore alert leads).
pub fn overview_link(platform: &Platform, env: &Environment) -> String {
    format!("/d/{}", uid(&[platform.name.as_str(), env.name.as_str()]))
}

/// Every dashboard links to the three of its environment.
fn links(platform: &Platform, env: &Environment) -> Vec<serde_json::Value> {
    let parts = |last: Option<&str>| -> String {
        let mut parts = vec![platform.name.as_str(), env.name.as_str()];
        parts.extend(last);
        uid(&parts)
    };
    [
        ("Overview", parts(None)),
        ("Service", parts(Some("service"))),
        ("SLOs", parts(Some("slos"))),
    ]
    .into_iter()
    .map(|(title, uid)| link(title, &format!("/d/{uid}")))
    .collect()
}

/// A link in the shape of the dashboard schema's `DashboardLink` (also used for data links).
fn link(title: &str, url: &str) -> serde_json::Value {
    serde_json::json!({
        "title": title, "type": "link", "url": url, "icon": "dashboard", "tooltip": "", "tags": [],
        "asDropdown": false, "targetBlank": false, "includeVars": false, "keepTime": true,
    })
}

/// A variable listed by a `label_values` query, `current` preselected.
fn query_variable(name: &str, label: &str, query: &str, current: &str) -> serde_json::Value {
    serde_json::json!({
        "type": "query", "name": name, "label": label,
        "datasource": { "type": "prometheus", "uid": "${datasource}" },
        "query": query,
        "current": { "text": current, "value": current },
        "hide": 0, "refresh": 2, "sort": 1, "regex": "", "includeAll": false, "multi": false,
        "options": [], "skipUrlSync": false,
    })
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
    /// Variables after `${datasource}`.
    variables: Vec<serde_json::Value>,
    links: Vec<serde_json::Value>,
}

/// Renders one dashboard; its description ends with the generated-file facts.
fn render_dashboard(
    templates: &minijinja::Environment<'static>,
    platform: &Platform,
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
            "uid": uid, "title": title, "description": format!("{} {}", frame.description, super::generated_note(&platform.source)), "tags": tags, "panels": panels,
            "variables": frame.variables, "links": frame.links,
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

    fn dashboards_of(text: &str, env: &str) -> Vec<super::Dashboard> {
        let Ok(compilation) = crate::compile(text) else {
            panic!("the spec does not compile")
        };
        let platform = compilation.platform;
        let env = platform.environments.iter().find(|e| e.name == env).unwrap();
        super::dashboards(&crate::render::templates::environment(), &platform, env).unwrap()
    }

    #[test]
    fn three_dashboards_per_environment_whatever_the_number_of_services() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(root.join("specs/slo-scenarios.toml")).unwrap();
        let more = format!(
            "{text}\n[services.zz-extra]\ntier = \"critical\"\nimage = \"x/extra:1\"\nport = 3000\n\
             metrics = {{ port = 9090, path = \"/metrics\" }}\nprobes = {{ readiness = \"/ready\" }}\n\
             resources = {{ cpu = \"100m\", memory = \"128Mi\" }}\nslo = {{ availability = 99.5 }}\n"
        );
        let before = dashboards_of(&text, "production");
        let after = dashboards_of(&more, "production");
        let names: Vec<&str> = after.iter().map(|d| d.file_name.as_str()).collect();
        assert_eq!(names, ["overview.json", "service.json", "slos.json"]);
        for (a, b) in before.iter().zip(&after) {
            assert_eq!(a.json, b.json, "{} depends on the services", a.file_name);
        }
        let service_uid = "quizmentor-production-service-4fc3d95d";
        assert_eq!(after[1].uid, service_uid);
        let link = format!(
            "/d/{service_uid}?var-namespace=${{__field.labels.namespace}}&var-service=${{__field.labels.service}}"
        );
        assert!(
            after[0].json.contains(&link),
            "the overview links every series to the service dashboard"
        );
        assert!(
            after[2]
                .json
                .contains(&format!("/d/{service_uid}?var-namespace=${{__data.fields.namespace}}"))
        );
        let service: serde_json::Value = serde_json::from_str(&after[1].json).unwrap();
        let variables: Vec<&str> = service["templating"]["list"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["name"].as_str().unwrap())
            .collect();
        assert_eq!(variables, ["datasource", "namespace", "service"]);
        assert!(
            after[1]
                .json
                .contains(r#"slo:objective:ratio{namespace=\"$namespace\",service=\"$service\"}"#)
        );
    }

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
            uid(&["quizmentor", "production", "service"]),
            "quizmentor-production-service-4fc3d95d"
        );
    }
}
