//! Prometheus files → our own `deny_unknown_fields` types: the rule file (also the spec of a
//! `PrometheusRule`), every expression parsed as `PromQL`, and the scrape configuration.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{strictly, yaml_documents};
use crate::render::json::Node;

#[derive(Deserialize)]
#[allow(dead_code)] // deserialized only to type-check the document
#[serde(deny_unknown_fields)]
pub(super) struct RuleFile {
    groups: Vec<Group>,
}

#[derive(Deserialize)]
#[allow(dead_code)] // deserialized only to type-check the document
#[serde(deny_unknown_fields)]
struct Group {
    name: String,
    interval: Option<String>,
    rules: Vec<Rule>,
}

#[derive(Deserialize)]
#[allow(dead_code)] // deserialized only to type-check the document
#[serde(deny_unknown_fields)]
struct Rule {
    record: Option<String>,
    alert: Option<String>,
    expr: String,
    #[serde(rename = "for")]
    for_: Option<String>,
    labels: Option<BTreeMap<String, String>>,
    annotations: Option<BTreeMap<String, String>>,
}

impl RuleFile {
    /// Each rule records or alerts (not both), and only alerts carry `for` and annotations.
    /// Labels may be absent: generic rules take theirs from the expression.
    pub(super) fn check(&self) -> Result<(), String> {
        for group in &self.groups {
            if group.name.is_empty() || group.interval.as_deref() == Some("") {
                return Err("a group without a name or with an empty interval".into());
            }
            for rule in &group.rules {
                let name = rule.record.as_deref().or(rule.alert.as_deref()).unwrap_or("?");
                let ok = match (&rule.record, &rule.alert) {
                    (Some(_), None) => rule.for_.is_none() && rule.annotations.is_none(),
                    (None, Some(_)) => true,
                    _ => false,
                };
                if !ok || rule.expr.is_empty() {
                    return Err(format!("rule {name} in group {} is malformed", group.name));
                }
                crate::spec::promql::check(&rule.expr)
                    .map_err(|e| format!("rule {name} in group {}: expr is not PromQL: {}", group.name, e.message))?;
            }
        }
        Ok(())
    }
}

#[derive(Deserialize)]
#[allow(dead_code)] // deserialized only to type-check the document
#[serde(deny_unknown_fields)]
struct ScrapeFile {
    scrape_configs: Vec<ScrapeConfig>,
}

#[derive(Deserialize)]
#[allow(dead_code)] // deserialized only to type-check the document
#[serde(deny_unknown_fields)]
struct ScrapeConfig {
    job_name: String,
    honor_labels: bool,
    kubernetes_sd_configs: Vec<KubernetesSd>,
    relabel_configs: Vec<Relabel>,
}

#[derive(Deserialize)]
#[allow(dead_code)] // deserialized only to type-check the document
#[serde(deny_unknown_fields)]
struct KubernetesSd {
    role: String,
    namespaces: Namespaces,
}

#[derive(Deserialize)]
#[allow(dead_code)] // deserialized only to type-check the document
#[serde(deny_unknown_fields)]
struct Namespaces {
    names: Vec<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)] // deserialized only to type-check the document
#[serde(deny_unknown_fields)]
struct Relabel {
    source_labels: Vec<String>,
    action: String,
    regex: Option<String>,
    replacement: Option<String>,
    target_label: Option<String>,
}

fn single(text: &str) -> Result<serde_json::Value, String> {
    let mut documents = yaml_documents(text)?;
    if documents.len() == 1 {
        Ok(documents.remove(0))
    } else {
        Err(format!("expected one YAML document, found {}", documents.len()))
    }
}

/// A rule file as rendered (`render::prometheus::rules`): its groups typed, every expression
/// `PromQL`.
pub fn rule_file(document: Node) -> Result<(), String> {
    strictly::<RuleFile>(document)?.check()
}

#[cfg(test)]
pub fn verify_rules(text: &str) -> Result<(), String> {
    rule_file(Node::from(single(text)?))
}

pub fn verify_scrape(text: &str) -> Result<(), String> {
    let file = strictly::<ScrapeFile>(single(text)?)?;
    let ok = file.scrape_configs.iter().all(|c| {
        !c.job_name.is_empty()
            && !c.honor_labels
            && c.kubernetes_sd_configs
                .iter()
                .all(|sd| sd.role == "pod" && !sd.namespaces.names.is_empty())
            && c.relabel_configs.iter().all(|r| {
                !r.source_labels.is_empty()
                    && (r.action != "replace" || r.target_label.is_some())
                    && r.regex.as_ref().is_none_or(|re| !re.is_empty())
                    && r.replacement.as_ref().is_none_or(|re| !re.is_empty())
            })
    });
    if ok {
        Ok(())
    } else {
        Err("a malformed scrape config".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_files_are_strict() {
        let good = "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n        for: 5m\n        labels:\n          severity: warning\n";
        assert!(verify_rules(good).is_ok());
        assert!(verify_rules(&good.replace("for:", "fore:")).is_err());
        let both = good.replace("      - alert: A\n", "      - alert: A\n        record: r\n");
        assert!(verify_rules(&both).is_err());
        let broken = good.replace("up == 0", "sum(up == 0");
        assert!(verify_rules(&broken).unwrap_err().contains("not PromQL"));
    }
}
