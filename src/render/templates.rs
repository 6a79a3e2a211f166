//! The templates, embedded in the binary, and the environment that renders them.

use minijinja::syntax::SyntaxConfig;
use minijinja::{Environment, UndefinedBehavior};

/// (name, source) of every template under `templates/`.
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "kubernetes/namespace.yaml.j2",
        include_str!("../../templates/kubernetes/namespace.yaml.j2"),
    ),
    (
        "kubernetes/service.yaml.j2",
        include_str!("../../templates/kubernetes/service.yaml.j2"),
    ),
    (
        "kubernetes/datastore.yaml.j2",
        include_str!("../../templates/kubernetes/datastore.yaml.j2"),
    ),
    (
        "kubernetes/external-datastore.yaml.j2",
        include_str!("../../templates/kubernetes/external-datastore.yaml.j2"),
    ),
    (
        "kubernetes/ingress.yaml.j2",
        include_str!("../../templates/kubernetes/ingress.yaml.j2"),
    ),
    (
        "kubernetes/kustomization.yaml.j2",
        include_str!("../../templates/kubernetes/kustomization.yaml.j2"),
    ),
    (
        "kubernetes/network-policy.yaml.j2",
        include_str!("../../templates/kubernetes/network-policy.yaml.j2"),
    ),
    (
        "kubernetes/pod-security.yaml.j2",
        include_str!("../../templates/kubernetes/pod-security.yaml.j2"),
    ),
    (
        "kubernetes/container-security.yaml.j2",
        include_str!("../../templates/kubernetes/container-security.yaml.j2"),
    ),
    (
        "kubernetes/container-env.yaml.j2",
        include_str!("../../templates/kubernetes/container-env.yaml.j2"),
    ),
    (
        "kubernetes/container-mounts.yaml.j2",
        include_str!("../../templates/kubernetes/container-mounts.yaml.j2"),
    ),
    (
        "prometheus/rules.yaml.j2",
        include_str!("../../templates/prometheus/rules.yaml.j2"),
    ),
    (
        "prometheus/scrape.yaml.j2",
        include_str!("../../templates/prometheus/scrape.yaml.j2"),
    ),
    (
        "grafana/dashboard.json.j2",
        include_str!("../../templates/grafana/dashboard.json.j2"),
    ),
    (
        "kubernetes/prometheus-rule.yaml.j2",
        include_str!("../../templates/kubernetes/prometheus-rule.yaml.j2"),
    ),
    (
        "kubernetes/service-monitor.yaml.j2",
        include_str!("../../templates/kubernetes/service-monitor.yaml.j2"),
    ),
    (
        "kubernetes/dashboard-configmap.yaml.j2",
        include_str!("../../templates/kubernetes/dashboard-configmap.yaml.j2"),
    ),
];

pub fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // Block tags on their own lines vanish; the file's last newline stays.
    let syntax = SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build();
    env.set_syntax(syntax.unwrap_or_default());
    for (name, source) in TEMPLATES {
        // The sources are compiled into the binary; a syntax error is caught by the tests.
        if let Err(error) = env.add_template(name, source) {
            panic!("template {name} does not parse: {error}");
        }
    }
    env
}

#[cfg(test)]
mod tests {
    use super::TEMPLATES;

    #[test]
    fn no_template_marks_data_as_safe() {
        for (name, source) in TEMPLATES {
            assert!(
                !source.contains("|safe") && !source.contains("| safe"),
                "{name} uses |safe"
            );
            assert!(
                name.ends_with(".yaml.j2") || name.ends_with(".json.j2"),
                "{name}: templates are named for their output format so auto-escaping applies"
            );
        }
    }

    #[test]
    fn every_template_file_is_embedded() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut on_disk = Vec::new();
        for target in std::fs::read_dir(&root).unwrap() {
            for file in std::fs::read_dir(target.unwrap().path()).unwrap() {
                let path = file.unwrap().path();
                on_disk.push(path.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
        on_disk.sort();
        let mut embedded: Vec<String> = TEMPLATES.iter().map(|(name, _)| name.to_string()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
    }

    #[test]
    fn templates_parse() {
        let _ = super::environment();
    }
}
